/* cli-config.c - `vigia config check FILE`.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "i18n.h"
#include "libvigia.h"

/* Print the help of `vigia config check`. */
static void
config_check_help(const char *cmd)
{
	printf(_("Usage: %s [OPTION]... FILE\n"), cmd);
	fputs(_("Load FILE, check every key and reference in it, and report\n"
	    "each problem as FILE:LINE: KEY: MESSAGE.\n\n"), stdout);
	fputs(_("  -q, --quiet    print nothing when the file is valid\n"
	    "  -h, --help     show this help and exit\n\n"), stdout);
	fputs(_("Exit status: 0 if the file is valid, 3 if it is not,\n"
	    "2 on a usage error.\n"), stdout);
}

/* vigia config check [-q] FILE: validate a configuration file. */
int
cli_config_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vg_diags diags = { 0 };
	struct vg_config *cfg = NULL;
	bool quiet = false;
	size_t i;
	int c, err, ret;

	while ((c = getopt_long(argc, argv, "+:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'q':
			quiet = true;
			break;
		case 'h':
			config_check_help(argv[0]);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv[0], c, argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(argv[0],
		    _("expected exactly one FILE"));

	err = vg_config_load(argv[optind], &cfg, &diags);
	for (i = 0; i < diags.n; i++) {
		char *line = vg_diag_format(&diags.v[i]);

		fprintf(stderr, "%s\n", line);
		free(line);
	}
	if (err != VG_OK) {
		fprintf(stderr, P_("%s: %zu problem found: %s\n",
		    "%s: %zu problems found: %s\n", diags.n), argv[optind],
		    diags.n, vg_strerror(err));
		ret = err == VG_ERR_CONFIG ? CLI_EXIT_CONFIG : CLI_EXIT_FAIL;
		goto out;
	}
	if (!quiet) {
		printf(_("%s: valid\n"), argv[optind]);
		printf(P_("  %zu camera\n", "  %zu cameras\n", cfg->ncameras),
		    cfg->ncameras);
		printf(P_("  %zu storage target\n", "  %zu storage targets\n",
		    cfg->nstorage), cfg->nstorage);
	}
	ret = CLI_EXIT_OK;
out:
	vg_diags_free(&diags);
	vg_config_free(cfg);
	return ret;
}
