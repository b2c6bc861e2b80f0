/* vigiad-main.c - the recording and upload daemon (config, signals).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vigiad loads and validates its configuration, starts the daemon core
 * (src/daemon.c: the recorder and the other engines, the status socket,
 * systemd notification), then waits for signals: SIGTERM/SIGINT stop it
 * cleanly (every segment closed within 5 s), SIGHUP reloads the
 * configuration (a bad new file is reported and the old one kept).
 */
#include <getopt.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "i18n.h"
#include "libvigia.h"

/* $VIGIA_CONFIG, the system file (root), or the user's. */
static const char *
vigiad_default_config(void)
{
	static char *path;

	if (path == NULL)
		path = vg_config_default_path(true);
	return path;
}

/* Exit codes, documented in vigiad(8). */
enum {
	VIGIAD_EXIT_OK = 0,
	VIGIAD_EXIT_FAIL = 1,
	VIGIAD_EXIT_USAGE = 2,
	VIGIAD_EXIT_CONFIG = 3,	/* systemd: RestartPreventExitStatus=3 */
};

/* Print --help. */
static void
usage(void)
{
	printf(_("Usage: %s [OPTION]...\n"), "vigiad");
	fputs(_("Record every camera of the configuration into segments, "
	    "upload them\nand create a labeling task for each.\n\n"), stdout);
	printf(_("  -c, --config=FILE    configuration file (default %s)\n"),
	    vigiad_default_config());
	fputs(_("  -t, --check          check the configuration and exit\n"
	    "  -v, --verbose        log more detail (repeat for debug)\n"
	    "      --log-file=FILE  also append the log to FILE\n"
	    "  -h, --help           show this help and exit\n"
	    "  -V, --version        show version information and exit\n\n"),
	    stdout);
	fputs(_("Signals: TERM or INT stop vigiad cleanly; HUP reloads the "
	    "configuration.\n"), stdout);
	fputs(_("Exit status: 0 clean stop, 1 failure, 2 usage error, 3 invalid "
	    "configuration.\n"), stdout);
}

/* Load and validate path, logging every problem; returns a vg_err. */
static int
vigiad_load(const char *path, struct vg_config **cfg)
{
	struct vg_diags diags = { 0 };
	size_t i;
	int err;

	err = vg_config_load(path, cfg, &diags);
	for (i = 0; i < diags.n; i++) {
		char *line = vg_diag_format(&diags.v[i]);

		log_error("%s", line);
		free(line);
	}
	vg_diags_free(&diags);
	if (err == VG_OK)
		log_notice("configuration %s loaded: site %s, %zu cameras, "
		    "%zu storage targets", path, (*cfg)->site.id,
		    (*cfg)->ncameras, (*cfg)->nstorage);
	return err;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "log-file", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = vigiad_default_config(), *log_path = NULL;
	enum vg_log_level level = VG_LOG_INFO;
	struct vg_config *cfg = NULL, *fresh;
	struct vg_daemon *d = NULL;
	struct timespec tick = { .tv_sec = 1 };
	bool check = false;
	char *cause = NULL;
	sigset_t set;
	int c, sig, ret = VIGIAD_EXIT_FAIL;

	setlocale(LC_ALL, "");
	vg_init();
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:tvhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 't':
			check = true;
			break;
		case 'v':
			if (level < VG_LOG_DEBUG)
				level++;
			break;
		case 'L':
			log_path = optarg;
			break;
		case 'h':
			usage();
			return VIGIAD_EXIT_OK;
		case 'V':
			printf("%s\n", vg_version_text());
			return VIGIAD_EXIT_OK;
		default:
			fprintf(stderr, c == ':' ?
			    _("vigiad: option '%s' needs an argument\n") :
			    _("vigiad: unknown option '%s'\n"), argv[optind - 1]);
			fputs(_("Try 'vigiad --help' for more information.\n"),
			    stderr);
			return VIGIAD_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, _("vigiad: unexpected argument '%s'\n"),
		    argv[optind]);
		return VIGIAD_EXIT_USAGE;
	}

	/* Under systemd, stderr is the journal: priorities, no time. */
	vg_log_open_stderr(getenv("JOURNAL_STREAM") != NULL ?
	    VG_LOG_SYSLOG_PREFIX : VG_LOG_TIMESTAMP);
	vg_log_set_level(level);
	if (log_path != NULL && vg_log_open_file(log_path, &cause) != VG_OK) {
		log_error("cannot open the log file: %s", cause);
		free(cause);
		goto out;
	}

	/* Block the signals we wait for before anything could start a
	 * thread, so that only sigwait() receives them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	if (vigiad_load(path, &cfg) != VG_OK) {
		ret = VIGIAD_EXIT_CONFIG;
		goto out;
	}
	if (check) {
		ret = VIGIAD_EXIT_OK;
		goto out;
	}
	d = vg_daemon_start(cfg, &cause);
	if (d == NULL) {
		log_error("cannot start: %s", cause);
		free(cause);
		goto out;
	}
	log_notice("vigiad %s started (pid %ld)", PACKAGE_VERSION,
	    (long)getpid());
	tick.tv_sec = vg_daemon_tick_ms(d) / 1000;
	tick.tv_nsec = (long)(vg_daemon_tick_ms(d) % 1000) * 1000000;
	for (;;) {
		sig = sigtimedwait(&set, NULL, &tick);
		if (sig < 0) {
			vg_daemon_tick(d);
			continue;
		}
		if (sig != SIGHUP)
			break;
		log_notice("SIGHUP: reloading %s", path);
		if (vigiad_load(path, &fresh) == VG_OK) {
			vg_daemon_reload(d, fresh);
			vg_config_free(cfg);
			cfg = fresh;
		} else
			log_error("reload failed; keeping the previous "
			    "configuration");
	}
	log_notice("%s: stopping cleanly", strsignal(sig));
	vg_daemon_stop(d);
	d = NULL;
	ret = VIGIAD_EXIT_OK;
out:
	vg_daemon_stop(d);
	vg_config_free(cfg);
	vg_log_shutdown();
	return ret;
}
