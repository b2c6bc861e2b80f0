/* cli-store.c - `vigia test s3|ftp|ftps|sftp|local [NAME]` and
 * `vigia presign STORAGE KEY`: front-ends of vg_store_probe() and
 * vg_store_presign() (the wizard's storage step calls the same).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "libvigia.h"
#include "store.h"

static const char *const type_names[] = {
	[VG_STORAGE_S3] = "s3",
	[VG_STORAGE_SFTP] = "sftp",
	[VG_STORAGE_FTP] = "ftp",
	[VG_STORAGE_FTPS] = "ftps",
	[VG_STORAGE_LOCAL] = "local",
};

/* The last word of argv[0] ("vigia test s3"). */
static const char *
last_word(const char *s)
{
	const char *sp = strrchr(s, ' ');

	return sp ? sp + 1 : s;
}

static int
load_config(const char *cmd, const char *path, struct vg_config **cfg)
{
	struct vg_diags d = { 0 };
	int err;

	if (path == NULL)
		path = vg_config_default_path(true);
	if ((err = vg_config_load(path, cfg, &d)) != 0) {
		for (size_t i = 0; i < d.n; i++) {
			char *s = vg_diag_format(&d.v[i]);

			fprintf(stderr, "%s: %s\n", cmd, s);
			free(s);
		}
		if (d.n == 0)
			fprintf(stderr, _("%s: cannot read %s\n"), cmd, path);
		vg_diags_free(&d);
		return CLI_EXIT_CONFIG;
	}
	vg_diags_free(&d);
	return CLI_EXIT_OK;
}

static void
test_help(const char *cmd)
{
	printf(_("Usage: %s [OPTION]... [NAME]\n"), cmd);
	fputs(_("Test a storage entry of the configuration (NAME, or vigiad.storage when\n"
	    "it has this type, or the first entry of this type): reach it (DNS, TCP),\n"
	    "log in, write a probe object, read it back, delete it; measure the\n"
	    "upload throughput and weigh it against the cameras' bitrates.\n\n"),
	    stdout);
	fputs(_("  -c, --config=FILE    the configuration (default: vigiad's)\n"
	    "  -s, --size=MB        size of the probe object (default 4)\n"
	    "  -h, --help           show this help and exit\n"), stdout);
	fputs(_("\nExit status: 0 if every step passed, 1 if one failed, 2 on a usage\n"
	    "error, 3 if the configuration cannot be read or is invalid.\n"),
	    stdout);
}

int
cli_test_store(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "size", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0], *type = last_word(argv[0]), *config = NULL;
	const struct vg_storage *st = NULL;
	struct vg_config *cfg = NULL;
	struct vg_probe_report rep;
	char *cause = NULL, *end;
	long mb = 4;
	int c, ret;

	while ((c = getopt_long(argc, argv, ":c:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 's':
			mb = strtol(optarg, &end, 10);
			if (*end != '\0' || mb < 1 || mb > 1024)
				return cli_usage_error(cmd,
				    _("bad size '%s' (1 to 1024 MB)"), optarg);
			break;
		case 'h':
			test_help(cmd);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(cmd, c, argv);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error(cmd, "%s", _("too many arguments"));
	if ((ret = load_config(cmd, config, &cfg)) != CLI_EXIT_OK)
		return ret;
	if (optind < argc) {
		st = vg_config_find_storage(cfg, argv[optind]);
		if (st == NULL) {
			vg_config_free(cfg);
			return cli_usage_error(cmd,
			    _("no storage entry named %s"), argv[optind]);
		}
	} else {
		const struct vg_storage *d = cfg->vigiad.storage ?
		    vg_config_find_storage(cfg, cfg->vigiad.storage) : NULL;

		if (d != NULL && strcmp(type_names[d->type], type) == 0)
			st = d;
		for (size_t i = 0; st == NULL && i < cfg->nstorage; i++)
			if (strcmp(type_names[cfg->storage[i].type], type) == 0)
				st = &cfg->storage[i];
		if (st == NULL) {
			vg_config_free(cfg);
			return cli_usage_error(cmd,
			    _("the configuration has no %s storage entry"),
			    type);
		}
	}
	if (strcmp(type_names[st->type], type) != 0) {
		ret = cli_usage_error(cmd, _("storage %s is of type %s, not %s"),
		    st->name, type_names[st->type], type);
		vg_config_free(cfg);
		return ret;
	}
	printf(_("Testing storage %s (%s)\n"), st->name, type);
	if (vg_store_probe(cfg, st, (int64_t)mb * 1024 * 1024, &rep,
	    &cause) != 0) {
		fprintf(stderr, "%s: %s\n", cmd, cause);
		free(cause);
		vg_config_free(cfg);
		return CLI_EXIT_FAIL;
	}
	for (size_t i = 0; i < rep.n; i++) {
		const char *mark = rep.steps[i].ok ? _("ok") : _("FAILED");
		int w = vg_text_width(rep.steps[i].what);

		printf("  %-6s %s%*s  %s\n", mark, rep.steps[i].what,
		    w < 10 ? 10 - w : 0, "", rep.steps[i].detail);
	}
	if (rep.advice != NULL)
		printf("\n%s\n", rep.advice);
	ret = rep.ok ? CLI_EXIT_OK : CLI_EXIT_FAIL;
	vg_probe_report_clear(&rep);
	vg_config_free(cfg);
	return ret;
}

static void
presign_help(const char *cmd)
{
	printf(_("Usage: %s [OPTION]... STORAGE KEY\n"), cmd);
	fputs(_("Print a presigned GET URL for an object of the S3 storage entry STORAGE\n"
	    "(KEY as vigia names it, the entry's prefix is added; or s3://BUCKET/KEY).\n"
	    "Anyone holding the URL can read the object until it expires.\n\n"),
	    stdout);
	fputs(_("  -c, --config=FILE    the configuration (default: vigiad's)\n"
	    "  -e, --expires=SECONDS  validity, 1 to 604800 (default 3600)\n"
	    "  -h, --help           show this help and exit\n"), stdout);
}

int
cli_presign(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "expires", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0], *config = NULL;
	const struct vg_storage *st;
	struct vg_config *cfg = NULL;
	char *cause = NULL, *url = NULL, *end;
	long long expires = 3600;
	int c, ret;

	while ((c = getopt_long(argc, argv, ":c:e:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'e':
			expires = strtoll(optarg, &end, 10);
			if (*end != '\0' || expires < 1 || expires > 604800)
				return cli_usage_error(cmd,
				    _("bad expiry '%s' (1 to 604800 seconds)"),
				    optarg);
			break;
		case 'h':
			presign_help(cmd);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(cmd, c, argv);
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(cmd, "%s",
		    _("expected STORAGE and KEY"));
	if ((ret = load_config(cmd, config, &cfg)) != CLI_EXIT_OK)
		return ret;
	if ((st = vg_config_find_storage(cfg, argv[optind])) == NULL) {
		vg_config_free(cfg);
		return cli_usage_error(cmd, _("no storage entry named %s"),
		    argv[optind]);
	}
	if (vg_store_presign(st, argv[optind + 1], expires, &url,
	    &cause) != 0) {
		fprintf(stderr, "%s: %s\n", cmd, cause);
		free(cause);
		vg_config_free(cfg);
		return CLI_EXIT_USAGE;
	}
	printf("%s\n", url);
	free(url);
	vg_config_free(cfg);
	return CLI_EXIT_OK;
}
