/* cli-status.c - vigia status [--json] [--watch[=S]]: what vigiad is
 * doing, read from its status socket; vigia start: start vigiad for a
 * configuration and wait until every camera records.
 *
 * --watch on a terminal is the live dashboard (ui/dashboard.c); piped, the
 * text again every S seconds, each read bounded by a second.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../ui/ui.h"

#include "cli.h"
#include "daemon-launch.h"
#include "daemon.h"
#include "i18n.h"
#include "libvigia.h"

static void
status_help(const char *cmd)
{
	printf(_("Usage: %s [OPTION]...\n"), cmd);
	fputs(_("Show what vigiad is doing: every camera's state, bit rate and "
	    "segments,\nthe disk and the alarms.\n\n"), stdout);
	fputs(_("  -c, --config=FILE  read the status socket's path from FILE\n"
	    "  -s, --socket=PATH  the status socket (default: from the "
	    "configuration)\n"
	    "  -j, --json         print the status document as JSON\n"
	    "  -w, --watch[=S]    keep it on screen, read again every S "
	    "seconds\n"
	    "                     (default 1): the live dashboard on a "
	    "terminal\n"
	    "  -h, --help         show this help and exit\n\n"), stdout);
	fputs(_("Exit status: 0 when vigiad answered, 1 when it did not, 2 on a "
	    "usage\nerror.\n"), stdout);
}

/* The socket named in the configuration, or the built-in default. */
static char *
status_socket_of(const char *config)
{
	struct vg_diags diags = { 0 };
	struct vg_config *cfg = NULL;
	char *path = NULL, *def = NULL;

	if (config == NULL)
		config = def = vg_config_default_path(true);
	if (vg_config_load_draft(config, &cfg, &diags) == VG_OK &&
	    cfg != NULL)
		path = xstrdup(cfg->vigiad.status_socket);
	vg_diags_free(&diags);
	vg_config_free(cfg);
	free(def);
	return path != NULL ? path : xstrdup("/run/vigia/status.sock");
}

int
cli_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "watch", optional_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *sock = NULL;
	char *path, *json = NULL, *text, *cause = NULL, *end;
	bool as_json = false;
	double watch = 0;
	time_t failing_since = 0;
	int c, err, ret = CLI_EXIT_FAIL;

	while ((c = getopt_long(argc, argv, "+:c:s:jw::h", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 's':
			sock = optarg;
			break;
		case 'j':
			as_json = true;
			break;
		case 'w':
			watch = 1;
			if (optarg != NULL) {
				watch = strtod(optarg, &end);
				if (end == optarg || *end != '\0' || watch < 0.2 ||
				    watch > 3600)
					return cli_usage_error(argv[0],
					    _("--watch expects 0.2 to 3600 "
					    "seconds, got '%s'"), optarg);
			}
			break;
		case 'h':
			status_help(argv[0]);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv[0], c, argv);
		}
	}
	if (optind != argc)
		return cli_usage_error(argv[0], _("unexpected argument '%s'"),
		    argv[optind]);
	path = sock != NULL ? xstrdup(sock) : status_socket_of(config);
	if (watch > 0 && !as_json && isatty(STDIN_FILENO) &&
	    isatty(STDOUT_FILENO)) {
		ret = ui_dashboard_main(path, (int)(watch * 1000));
		free(path);
		return ret == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
	}
	for (;;) {
		/* watching: never wait long on a stopped vigiad */
		err = vg_status_read(path, watch > 0 ? 1000 : 5000, &json,
		    &cause);
		if (watch > 0 && !as_json)
			fputs("\033[H\033[2J", stdout);
		if (err != VG_OK && watch > 0) {
			char hms[16];
			time_t t;

			if (failing_since == 0)
				failing_since = time(NULL);
			t = failing_since;
			strftime(hms, sizeof hms, "%H:%M:%S", localtime(&t));
			fprintf(stderr, _("vigiad is not answering since %s "
			    "(%s): %s"), hms, vg_strerror(err), path);
			fputc('\n', stderr);
			log_debug("status: %s", cause);
			free(cause);
			cause = NULL;
			ret = CLI_EXIT_FAIL;
		} else if (err != VG_OK) {
			fprintf(stderr, _("vigia status: vigiad does not answer "
			    "on %s (%s). Is it running?\n"), path,
			    vg_strerror(err));
			log_debug("status: %s", cause);
			free(cause);
			cause = NULL;
			ret = CLI_EXIT_FAIL;
		} else if (as_json) {
			failing_since = 0;
			fputs(json, stdout);
			ret = CLI_EXIT_OK;
		} else if ((text = vg_status_format(json, &cause)) != NULL) {
			failing_since = 0;
			fputs(text, stdout);
			free(text);
			ret = CLI_EXIT_OK;
		} else {
			fprintf(stderr, _("vigia status: unexpected answer from "
			    "%s\n"), path);
			free(cause);
			cause = NULL;
			ret = CLI_EXIT_FAIL;
		}
		free(json);
		json = NULL;
		fflush(stdout);
		if (watch <= 0)
			break;
		usleep((useconds_t)(watch * 1e6));
	}
	free(path);
	return ret;
}

/* ---- vigia start ----------------------------------------------------------- */

static void
start_help(const char *cmd)
{
	printf(_("Usage: %s [OPTION]...\n"), cmd);
	fputs(_("Start vigiad for a configuration (as the systemd unit when "
	    "systemd runs\nand you are root, else in the background) and wait "
	    "until every camera\nrecords.  If vigiad already runs with it, "
	    "--reload makes it read the file\nagain.\n\n"), stdout);
	fputs(_("  -c, --config=FILE  the configuration (default: the system "
	    "or your own)\n"
	    "  -r, --reload       reload a running vigiad (SIGHUP)\n"
	    "  -d, --detach       run it in the background even under "
	    "systemd\n"
	    "  -t, --timeout=S    wait at most S seconds for the cameras "
	    "(default 30)\n"
	    "  -h, --help         show this help and exit\n\n"), stdout);
	fputs(_("Exit status: 0 when every camera records, 1 when vigiad did "
	    "not start or\na camera has no packets, 2 on a usage error, 3 "
	    "when the configuration is\ninvalid.\n"), stdout);
}

/* Progress lines on stderr, once each. */
static void
start_progress(void *arg, double fraction, const char *detail)
{
	char **last = arg;

	(void)fraction;
	if (detail == NULL || (*last != NULL && strcmp(*last, detail) == 0))
		return;
	fprintf(stderr, "%s\n", detail);
	free(*last);
	*last = xstrdup(detail);
}

int
cli_start(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "reload", no_argument, NULL, 'r' },
		{ "detach", no_argument, NULL, 'd' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vg_launch_opts o = { .mode = VG_LAUNCH_AUTO };
	struct vg_launch_result r;
	struct vg_diags diags = { 0 };
	struct vg_config *cfg = NULL;
	char *def = NULL, *cause = NULL, *last = NULL, *end, *line;
	const char *config = NULL;
	long secs;
	size_t i;
	int c, err, ret = CLI_EXIT_FAIL;

	while ((c = getopt_long(argc, argv, "+:c:rdt:h", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'r':
			o.reload = true;
			break;
		case 'd':
			o.mode = VG_LAUNCH_DETACHED;
			break;
		case 't':
			secs = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || secs < 1 ||
			    secs > 3600)
				return cli_usage_error(argv[0],
				    _("--timeout expects 1 to 3600 seconds, "
				    "got '%s'"), optarg);
			o.packets_ms = (int)secs * 1000;
			break;
		case 'h':
			start_help(argv[0]);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv[0], c, argv);
		}
	}
	if (optind != argc)
		return cli_usage_error(argv[0], _("unexpected argument '%s'"),
		    argv[optind]);
	if (config == NULL)
		config = def = vg_config_default_path(true);
	err = vg_config_load(config, &cfg, &diags);
	for (i = 0; i < diags.n; i++) {
		line = vg_diag_format(&diags.v[i]);
		fprintf(stderr, "%s\n", line);
		free(line);
	}
	vg_diags_free(&diags);
	if (err != VG_OK) {
		ret = CLI_EXIT_CONFIG;
		goto out;
	}
	o.config_path = config;
	o.progress = start_progress;
	o.arg = &last;
	err = vg_daemon_launch(cfg, &o, &r, &cause);
	for (i = 0; i < r.nproblems; i++)
		fprintf(stderr, "%s\n", r.problems[i]);
	if (err == VG_ERR_EXISTS)
		fprintf(stderr, _("vigiad already runs with this configuration "
		    "(pid %ld); 'vigia start --reload' makes it read the file "
		    "again.\n"), r.pid);
	else if (err == VG_OK || err == VG_ERR_TIMEOUT) {
		if (r.reloaded)
			printf(_("vigiad (pid %ld) reloaded the configuration."
			    "\n"), r.pid);
		else if (r.mode == VG_LAUNCH_SYSTEMD)
			printf(_("vigiad runs as the systemd unit vigiad.service "
			    "(pid %ld).\n"), r.pid);
		else
			printf(_("vigiad runs in the background (pid %ld); its "
			    "log is %s.\n"), r.pid, r.log_path);
		printf(P_("%zu of %zu camera records.\n", "%zu of %zu cameras "
		    "record.\n", r.ncameras), r.nrecording, r.ncameras);
		if (err == VG_OK)
			ret = CLI_EXIT_OK;
	}
	if (cause != NULL)
		log_debug("start: %s", cause);
	vg_launch_result_clear(&r);
out:
	free(cause);
	free(last);
	free(def);
	vg_config_free(cfg);
	return ret;
}
