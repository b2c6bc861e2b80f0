/* cli-apply.c - `vigia --apply FILE`: the headless face of the plan/apply
 * engine (plan.h).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Load the configuration, read every camera, print the plan (+ added,
 * ~ changed, - removed, per field, like terraform), ask on the terminal,
 * apply, print a result table; or the same as one JSON report.  Exit
 * status: 0 all cameras ok or unchanged, 4 some failed, 1 all failed (or
 * the apply was declined), 2 usage, 3 the configuration is invalid.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "libvigia.h"

#define APPLY_CMD "vigia --apply"

static volatile sig_atomic_t apply_interrupted;

/* The help of --apply, also printed by `vigia --help`. */
void
cli_apply_usage(void)
{
	fputs(_("Headless commissioning:\n"
	    "      --apply=FILE       make the cameras match FILE: show the "
	    "plan, ask,\n"
	    "                         apply, verify and report; options after "
	    "FILE:\n"
	    "        --plan           only show the plan (change nothing)\n"
	    "        -y, --yes        apply without asking\n"
	    "        --json           print a JSON report instead of text\n"
	    "        --only=CAMERA    only this camera (repeatable)\n"
	    "        --parallel=N     cameras at once (default 8)\n"
	    "        --follow-timeout=S  wait S seconds for a camera after an "
	    "address\n"
	    "                         change (default 90)\n"
	    "        --interface=NAME discover moved cameras on NAME "
	    "(repeatable)\n"
	    "        --no-discovery   do not look for cameras that moved\n"),
	    stdout);
	fputs(_("  Exit status of --apply: 0 every camera is as configured, "
	    "4 some\n"
	    "  cameras failed, 1 all failed or the apply was declined, 2 "
	    "usage,\n"
	    "  3 the configuration is invalid.\n\n"), stdout);
}

/* Ctrl-C: stop at the next step; a second one ends the program. */
static void
apply_sigint(int sig)
{
	if (apply_interrupted)
		signal(sig, SIG_DFL);
	apply_interrupted = 1;
}

/* Polled by the engine between steps. */
static bool
apply_cancelled(void *arg)
{
	(void)arg;
	return apply_interrupted != 0;
}

/* What the progress line says; cameras finished in this phase. */
struct apply_meter {
	const char *what;
	size_t done;
};

/* Progress on stderr (terminal only): "Reading cameras 12/50".  Runs on
 * a worker with the plan locked; each camera ends once per phase. */
static void
apply_progress(void *arg, const struct vg_plan *plan, size_t cam, long step)
{
	struct apply_meter *m = arg;

	(void)cam;
	if (step != -1)
		return;
	m->done++;
	fprintf(stderr, "\r%s %zu/%zu ", m->what, m->done, plan->ncams);
	fflush(stderr);
}

/* Ask on the terminal; true only for an explicit yes. */
static bool
apply_confirm(size_t nsteps, size_t ncams, bool *no_tty)
{
	char buf[64], *nl;
	bool yes = false;
	FILE *tty;
	int fd;

	*no_tty = false;
	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1) {
		*no_tty = true;
		return false;
	}
	if ((tty = fdopen(fd, "r+")) == NULL) {
		close(fd);
		*no_tty = true;
		return false;
	}
	/* two whole sentences, one number each, for the translators */
	fprintf(tty, P_("\nThe plan has %zu step.\n",
	    "\nThe plan has %zu steps.\n", nsteps), nsteps);
	/* TRANSLATORS: %s is the translation of "yes", the answer that
	 * applies (the English "yes" is accepted too) */
	fprintf(tty, P_("Apply it to %zu camera?  Only '%s' applies: ",
	    "Apply it to %zu cameras?  Only '%s' applies: ", ncams), ncams,
	    _("yes"));
	fflush(tty);
	if (fgets(buf, sizeof buf, tty) != NULL) {
		if ((nl = strchr(buf, '\n')) != NULL)
			*nl = '\0';
		yes = strcasecmp(buf, "yes") == 0 ||
		    strcasecmp(buf, _("yes")) == 0;
	}
	fclose(tty);
	return yes;
}

/* Exit status from the results: 0 all good, 4 some failed, 1 all. */
static int
apply_status(const struct vg_plan *plan, bool applied)
{
	size_t i, bad = 0;

	for (i = 0; i < plan->ncams; i++) {
		const struct vg_plan_camera *pc = &plan->cams[i];

		if (!pc->observed || (applied &&
		    pc->result != VG_PLAN_RESULT_OK &&
		    pc->result != VG_PLAN_RESULT_UNCHANGED))
			bad++;
	}
	if (bad == 0)
		return CLI_EXIT_OK;
	return bad == plan->ncams ? CLI_EXIT_FAIL : CLI_EXIT_PARTIAL;
}

/* Parse a positive integer option; -1 if bad. */
static int
int_arg(const char *s, int max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v < 1 || v > max)
		return -1;
	return (int)v;
}

/* vigia --apply FILE [OPTION]...  (argv[0] is the command's name) */
int
cli_apply(const char *file, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "plan", no_argument, NULL, 'p' },
		{ "yes", no_argument, NULL, 'y' },
		{ "json", no_argument, NULL, 'j' },
		{ "only", required_argument, NULL, 'o' },
		{ "parallel", required_argument, NULL, 'P' },
		{ "follow-timeout", required_argument, NULL, 'F' },
		{ "interface", required_argument, NULL, 'i' },
		{ "no-discovery", no_argument, NULL, 'N' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vg_diags diags = { 0, NULL };
	struct vg_config *cfg = NULL;
	struct vg_plan *plan = NULL;
	struct vg_plan_opts opts;
	struct vg_onvif_discover_opts disc;
	struct sigaction sa, old_sa;
	struct apply_meter meter = { NULL, 0 };
	bool sig_set = false;
	const char **only = NULL, **ifs = NULL;
	size_t nonly = 0, nifs = 0, i;
	bool plan_only = false, yes = false, json = false, no_tty, tty;
	char *cause = NULL, *out;
	int c, ret, err, v;

	memset(&opts, 0, sizeof opts);
	memset(&disc, 0, sizeof disc);
	opts.parallel = 8;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:yvqh", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'p':
			plan_only = true;
			break;
		case 'y':
			yes = true;
			break;
		case 'j':
			json = true;
			break;
		case 'o':
			only = xreallocarray(only, nonly + 1, sizeof *only);
			only[nonly++] = optarg;
			break;
		case 'P':
			if ((v = int_arg(optarg, 256)) < 0) {
				ret = cli_usage_error(APPLY_CMD,
				    _("--parallel needs a number from 1 to "
				    "256"));
				goto out;
			}
			opts.parallel = v;
			break;
		case 'F':
			if ((v = int_arg(optarg, 3600)) < 0) {
				ret = cli_usage_error(APPLY_CMD,
				    _("--follow-timeout needs seconds from 1 "
				    "to 3600"));
				goto out;
			}
			opts.follow_ms = v * 1000;
			break;
		case 'i':
			ifs = xreallocarray(ifs, nifs + 1, sizeof *ifs);
			ifs[nifs++] = optarg;
			break;
		case 'N':
			opts.no_discovery = true;
			break;
		case 'v':
			if (vg_log_get_level() < VG_LOG_DEBUG)
				vg_log_set_level(vg_log_get_level() + 1);
			break;
		case 'q':
			vg_log_set_level(VG_LOG_ERR);
			break;
		case 'h':
			cli_apply_usage();
			ret = CLI_EXIT_OK;
			goto out;
		default:
			ret = cli_bad_option(APPLY_CMD, c, argv);
			goto out;
		}
	}
	if (optind != argc) {
		ret = cli_usage_error(APPLY_CMD, _("unexpected argument '%s'"),
		    argv[optind]);
		goto out;
	}

	err = vg_config_load(file, &cfg, &diags);
	for (i = 0; i < diags.n; i++) {
		char *line = vg_diag_format(&diags.v[i]);

		fprintf(stderr, "%s\n", line);
		free(line);
	}
	if (err != VG_OK) {
		fprintf(stderr, _("%s: %s: the configuration cannot be used: "
		    "%s\n"), APPLY_CMD, file, vg_strerror(err));
		ret = CLI_EXIT_CONFIG;
		goto out;
	}

	disc.interfaces = ifs;
	disc.ninterfaces = nifs;
	opts.discover = &disc;
	opts.only = only;
	opts.nonly = nonly;
	opts.cancelled = apply_cancelled;
	tty = !json && isatty(STDERR_FILENO);
	if (tty) {
		/* TRANSLATORS: progress, followed by "12/50" */
		meter.what = _("Reading cameras");
		opts.progress = apply_progress;
		opts.arg = &meter;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = apply_sigint;
	sigemptyset(&sa.sa_mask);
	sig_set = sigaction(SIGINT, &sa, &old_sa) == 0;

	if ((err = vg_plan_new(cfg, &opts, &plan, &cause)) != VG_OK) {
		ret = cli_usage_error(APPLY_CMD, "%s", cause);
		goto out;
	}
	if (tty)
		fputs("\r\033[K", stderr);
	if (apply_interrupted) {
		fprintf(stderr, _("%s: interrupted; nothing was changed.\n"),
		    APPLY_CMD);
		ret = CLI_EXIT_FAIL;
		goto out;
	}
	if (!json)
		vg_plan_print(plan, stdout);
	if (plan_only) {
		if (json) {
			out = vg_plan_json(plan, false);
			printf("%s\n", out);
			free(out);
		}
		ret = apply_status(plan, false);
		goto out;
	}
	if (vg_plan_nchanges(plan) > 0 && !yes) {
		fflush(stdout);
		if (!apply_confirm(vg_plan_nchanges(plan), plan->ncams,
		    &no_tty)) {
			if (no_tty) {
				fprintf(stderr, _("%s: refusing to change "
				    "cameras without confirmation: there is no "
				    "terminal to ask on.  Check the plan with "
				    "--plan, then run again with --yes.\n"),
				    APPLY_CMD);
				ret = CLI_EXIT_USAGE;
			} else {
				fprintf(stderr, _("%s: not applied; nothing "
				    "was changed.\n"), APPLY_CMD);
				ret = CLI_EXIT_FAIL;
			}
			goto out;
		}
	}
	/* TRANSLATORS: progress, followed by "12/50" */
	meter.what = _("Applying");
	meter.done = 0;
	if (vg_plan_nchanges(plan) > 0 && !json)
		printf("\n");
	vg_plan_apply(plan, &opts);
	if (tty)
		fputs("\r\033[K", stderr);
	if (json) {
		out = vg_plan_json(plan, true);
		printf("%s\n", out);
		free(out);
	} else if (vg_plan_nchanges(plan) > 0 ||
	    vg_plan_count_result(plan, VG_PLAN_RESULT_FAILED) > 0) {
		vg_plan_print_results(plan, stdout);
	} else
		printf("%s\n", _("No changes: the cameras already match the "
		    "configuration."));
	if (apply_interrupted)
		fprintf(stderr, _("%s: interrupted; the steps in progress "
		    "finished, the rest were skipped.\n"), APPLY_CMD);
	ret = apply_status(plan, true);
out:
	if (sig_set)
		sigaction(SIGINT, &old_sa, NULL);
	free(cause);
	vg_plan_free(plan);
	vg_config_free(cfg);
	vg_diags_free(&diags);
	free(only);
	free(ifs);
	return ret;
}
