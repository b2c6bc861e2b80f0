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
#include "vigia.h"

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

/* Pad s to width columns. */
static void
put_padded(FILE *f, const char *s, int width)
{
	fputs(s, f);
	if (cli_width(s) < width)
		fprintf(f, "%*s", width - cli_width(s), "");
}

/* The value of a change as shown: "-" none, "?" unknown. */
static const char *
shown(const char *v, bool unknown)
{
	if (unknown)
		return "?";
	return v != NULL ? v : "-";
}

/* One camera's header line. */
static void
print_camera_head(const struct vg_plan_camera *pc, int namew, FILE *f)
{
	const struct vg_onvif_info *in = &pc->obs.info;
	char *host = pc->obs.url != NULL ? vg_onvif_url_host(pc->obs.url) :
	    NULL;
	char mark = !pc->observed ? '!' : pc->nsteps > 0 ? '~' : '=';

	fprintf(f, "%c ", mark);
	put_padded(f, pc->cam->name, namew);
	if (!pc->observed) {
		fprintf(f, "  %s\n", _("cannot be planned"));
		fprintf(f, "    %s\n", vg_onvif_class_text(pc->cls));
		if (pc->problem != NULL)
			fprintf(f, "    (%s)\n", pc->problem);
		free(host);
		return;
	}
	fprintf(f, "  %s %s", in->manufacturer != NULL ? in->manufacturer :
	    "?", in->model != NULL ? in->model : "");
	if (in->serial != NULL)
		fprintf(f, "  %s %s", _("serial"), in->serial);
	fprintf(f, "  %s %s", _("at"), host != NULL ? host : "?");
	if (pc->obs.access == VG_PLAN_ACCESS_FACTORY)
		fprintf(f, "  (%s)", _("factory-new"));
	if (pc->nsteps == 0)
		fprintf(f, "  %s", _("no changes"));
	fputc('\n', f);
	free(host);
}

/* The plan, aligned: step, op, field, before -> after. */
static void
print_plan(const struct vg_plan *plan, FILE *f)
{
	int namew = 0, stepw = 0, fieldw = 0, beforew = 0, w;
	size_t i, j, k, changing = 0, unreach = 0, same = 0;

	for (i = 0; i < plan->ncams; i++) {
		const struct vg_plan_camera *pc = &plan->cams[i];

		if ((w = cli_width(pc->cam->name)) > namew)
			namew = w;
		for (j = 0; j < pc->nsteps; j++) {
			const struct vg_plan_step *st = &pc->steps[j];

			if ((w = cli_width(vg_plan_step_title(st->kind))) >
			    stepw)
				stepw = w;
			for (k = 0; k < st->nchanges; k++) {
				const struct vg_plan_change *c =
				    &st->changes[k];

				if ((w = cli_width(c->field)) > fieldw)
					fieldw = w;
				if ((w = cli_width(shown(c->before,
				    c->before_unknown))) > beforew)
					beforew = w;
			}
		}
	}
	for (i = 0; i < plan->ncams; i++) {
		const struct vg_plan_camera *pc = &plan->cams[i];
		bool unknown = false;

		if (!pc->observed)
			unreach++;
		else if (pc->nsteps > 0)
			changing++;
		else
			same++;
		print_camera_head(pc, namew, f);
		for (j = 0; j < pc->nsteps; j++) {
			const struct vg_plan_step *st = &pc->steps[j];

			for (k = 0; k < st->nchanges; k++) {
				const struct vg_plan_change *c =
				    &st->changes[k];

				fputs("    ", f);
				put_padded(f, k == 0 ?
				    vg_plan_step_title(st->kind) : "", stepw);
				fprintf(f, "  %c ", c->op);
				put_padded(f, c->field, fieldw);
				fputs("  ", f);
				put_padded(f, shown(c->before,
				    c->before_unknown), beforew);
				fprintf(f, " -> %s\n", shown(c->after, false));
				unknown |= c->before_unknown;
			}
			if (st->blocker != NULL)
				fprintf(f, "    ! %s\n", st->blocker);
			if (st->wait_for >= 0)
				fprintf(f, _("    (after %s leaves that "
				    "address)\n"),
				    plan->cams[st->wait_for].cam->name);
		}
		if (unknown)
			fprintf(f, "    %s\n", _("(? = read once the camera "
			    "is activated)"));
	}
	fputc('\n', f);
	/* TRANSLATORS: the plan's summary; the counts follow */
	fprintf(f, P_("Plan: %zu step on ", "Plan: %zu steps on ",
	    vg_plan_nchanges(plan)), vg_plan_nchanges(plan));
	fprintf(f, P_("%zu camera to change, ", "%zu cameras to change, ",
	    changing), changing);
	fprintf(f, P_("%zu unchanged, ", "%zu unchanged, ", same), same);
	fprintf(f, P_("%zu cannot be reached.\n", "%zu cannot be reached.\n",
	    unreach), unreach);
}

/* "3/4" steps done of a camera. */
static void
steps_done(const struct vg_plan_camera *pc, char *buf, size_t len)
{
	size_t i, done = 0;

	for (i = 0; i < pc->nsteps; i++)
		if (pc->steps[i].status == VG_PLAN_DONE ||
		    pc->steps[i].status == VG_PLAN_UNCHANGED)
			done++;
	snprintf(buf, len, "%zu/%zu", done, pc->nsteps);
}

/* The result table, then what went wrong, camera by camera. */
static void
print_results(const struct vg_plan *plan, FILE *f)
{
	const char *head[5] = { _("CAMERA"), _("ADDRESS"), _("RESULT"),
	    _("STEPS"), _("TIME") };
	struct cli_table *t = cli_table_new(5, head);
	size_t i, j, k;

	for (i = 0; i < plan->ncams; i++) {
		const struct vg_plan_camera *pc = &plan->cams[i];
		char steps[32], secs[32];
		const char *row[5];

		steps_done(pc, steps, sizeof steps);
		snprintf(secs, sizeof secs, "%.1f s",
		    (double)pc->elapsed_us / 1e6);
		row[0] = pc->cam->name;
		row[1] = pc->address != NULL ? pc->address : pc->last_seen;
		row[2] = vg_plan_result_title(pc->result);
		row[3] = steps;
		row[4] = secs;
		cli_table_add(t, row);
	}
	cli_table_print(t, f);
	cli_table_free(t);
	for (i = 0; i < plan->ncams; i++) {
		const struct vg_plan_camera *pc = &plan->cams[i];

		if (pc->result != VG_PLAN_RESULT_FAILED &&
		    pc->result != VG_PLAN_RESULT_CANCELLED)
			continue;
		fprintf(f, "\n%s:\n", pc->cam->name);
		if (!pc->observed) {
			fprintf(f, "  %s\n", vg_onvif_class_text(pc->cls));
			if (pc->problem != NULL)
				fprintf(f, "  (%s)\n", pc->problem);
			continue;
		}
		for (j = 0; j < pc->nsteps; j++) {
			const struct vg_plan_step *st = &pc->steps[j];

			if (st->status != VG_PLAN_FAILED &&
			    st->status != VG_PLAN_SKIPPED)
				continue;
			fprintf(f, "  %s: %s", vg_plan_step_title(st->kind),
			    vg_plan_status_title(st->status));
			if (st->status == VG_PLAN_FAILED) {
				fprintf(f, ": %s", st->blocker != NULL ?
				    st->blocker : vg_onvif_class_text(
				    st->cls));
				if (st->blocker == NULL && st->error != NULL)
					fprintf(f, "\n    (%s)", st->error);
			}
			fputc('\n', f);
			for (k = 0; k < st->ndiffs; k++)
				fprintf(f, "    %s\n", st->diffs[k]);
		}
		if (pc->last_seen != NULL && pc->result ==
		    VG_PLAN_RESULT_FAILED) {
			char when[32] = "?";
			struct tm tm;

			localtime_r(&pc->last_seen_at, &tm);
			strftime(when, sizeof when, "%H:%M:%S", &tm);
			fprintf(f, _("  Last seen at %s at %s.\n"),
			    pc->last_seen, when);
		}
	}
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
	fprintf(tty, P_("\nApply %zu step ", "\nApply %zu steps ", nsteps),
	    nsteps);
	/* TRANSLATORS: the answer must be the word in _("yes") */
	fprintf(tty, P_("to %zu camera?  Only 'yes' applies: ",
	    "to %zu cameras?  Only 'yes' applies: ", ncams), ncams);
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
		print_plan(plan, stdout);
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
		print_results(plan, stdout);
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
