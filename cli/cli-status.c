/* cli-status.c - vigia status [--json] [--watch[=S]]: what vigiad is
 * doing, read from its status socket.
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
#include <unistd.h>

#include "cli.h"
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
	    "  -w, --watch[=S]    show it again every S seconds (default 2) "
	    "until\n"
	    "                     interrupted\n"
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
			watch = 2;
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
	for (;;) {
		err = vg_status_read(path, 5000, &json, &cause);
		if (watch > 0 && !as_json)
			fputs("\033[H\033[2J", stdout);
		if (err != VG_OK) {
			fprintf(stderr, _("vigia status: vigiad does not answer "
			    "on %s (%s). Is it running?\n"), path,
			    vg_strerror(err));
			log_debug("status: %s", cause);
			free(cause);
			cause = NULL;
			ret = CLI_EXIT_FAIL;
		} else if (as_json) {
			fputs(json, stdout);
			ret = CLI_EXIT_OK;
		} else if ((text = vg_status_format(json, &cause)) != NULL) {
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
