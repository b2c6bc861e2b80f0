/* cli-ls.c - `vigia test labelstudio` and `vigia dataset pull`.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Thin front-ends over vg_ls_check() and vg_dataset_pull() (src/ls-*.c),
 * which the wizard calls too.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "libvigia.h"
#include "ls.h"

/* Load the configuration (FILE, or the default one); NULL after telling
 * why. */
static struct vg_config *
cli_ls_config(const char *cmd, const char *file)
{
	struct vg_diags diags = { 0, NULL };
	struct vg_config *cfg = NULL;
	char *def = NULL, *line;
	size_t i;
	int err;

	if (file == NULL)
		file = def = vg_config_default_path(true);
	err = vg_config_load(file, &cfg, &diags);
	for (i = 0; i < diags.n; i++) {
		line = vg_diag_format(&diags.v[i]);
		fprintf(stderr, "%s\n", line);
		free(line);
	}
	vg_diags_free(&diags);
	if (err != VG_OK) {
		fprintf(stderr, _("%s: cannot use the configuration %s; run "
		    "'vigia config check %s'\n"), cmd, file, file);
		free(def);
		return NULL;
	}
	free(def);
	if (cfg->label_studio.url == NULL ||
	    cfg->label_studio.token.value == NULL) {
		fprintf(stderr, _("%s: the configuration has no Label Studio "
		    "URL or token (section label_studio)\n"), cmd);
		vg_config_free(cfg);
		return NULL;
	}
	return cfg;
}

/* Split "a,b,c" into a NULL-terminated vector (allocated). */
static char **
cli_ls_split(const char *s, size_t *n)
{
	char **v = NULL;
	const char *p = s;

	*n = 0;
	while (*p != '\0') {
		size_t k = strcspn(p, ",");

		if (k > 0) {
			v = xreallocarray(v, *n + 2, sizeof *v);
			v[(*n)++] = xstrndup(p, k);
			v[*n] = NULL;
		}
		p += k + (p[k] == ',');
	}
	return v;
}

static void
cli_ls_report(void *opaque, const struct vg_ls_check_item *it)
{
	static const char *const mark[] = { N_("ok"), N_("warning"),
	    N_("FAILED"), N_("skipped") };
	int *width = opaque;
	int w = vg_text_width(_(it->what));
	int m = vg_text_width(_(mark[it->status]));

	/* padded by columns, not bytes ("FALLÓ") */
	printf("  %s%*s  %s%*s %s\n", _(it->what), *width > w ? *width - w : 0,
	    "", _(mark[it->status]), m < 8 ? 8 - m : 0, "",
	    it->detail ? it->detail : "");
}

static void
cli_ls_test_help(FILE *f)
{
	fprintf(f, _("Usage: vigia test labelstudio [--config FILE] "
	    "[--key KEY] [--fps N] [--labels A,B,...] [--create]\n"));
	fputs(_("Check Label Studio as vigiad will use it: the server, the "
	    "token, the\nproject, the label config (validated by the "
	    "server), the s3:// storage,\nand a stored segment's presigned "
	    "URL fetched as the annotator's browser\nwould (Range and CORS).  "
	    "--create makes a missing project.\n"), f);
}

int
cli_test_labelstudio(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "fps", required_argument, NULL, 'f' },
		{ "labels", required_argument, NULL, 'l' },
		{ "create", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vg_ls_check_opts o;
	struct vg_config *cfg;
	const char *file = NULL;
	char *cors = NULL, **labels = NULL;
	size_t i;
	int c, err, width = 0;
	static const char *const whats[] = { N_("Label Studio answers"),
	    N_("Version"), N_("Token"), N_("Project"), N_("Label config"),
	    N_("S3 storage"), N_("Video URL"), N_("Content-Type"),
	    N_("Range requests"), N_("CORS") };

	memset(&o, 0, sizeof o);
	optind = 1;
	while ((c = getopt_long(argc, argv, ":c:k:f:l:Ch", longopts, NULL))
	    != -1) {
		switch (c) {
		case 'c':
			file = optarg;
			break;
		case 'k':
			o.probe_key = optarg;
			break;
		case 'f':
			o.fps = atof(optarg);
			if (!(o.fps > 0 && o.fps <= 300))
				return cli_usage_error(argv[0],
				    _("bad frame rate '%s'"), optarg);
			break;
		case 'l':
			free(labels);
			labels = cli_ls_split(optarg, &o.nlabels);
			o.labels = (const char *const *)labels;
			break;
		case 'C':
			o.create_project = true;
			break;
		case 'h':
			cli_ls_test_help(stdout);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv[0], c, argv);
		}
	}
	if (optind != argc)
		return cli_usage_error(argv[0], _("unexpected argument '%s'"),
		    argv[optind]);
	if ((cfg = cli_ls_config(argv[0], file)) == NULL)
		return CLI_EXIT_CONFIG;
	for (i = 0; i < sizeof whats / sizeof whats[0]; i++)
		if (vg_text_width(_(whats[i])) > width)
			width = vg_text_width(_(whats[i]));
	printf(_("Label Studio at %s:\n"), cfg->label_studio.url);
	err = vg_ls_check(cfg, &o, cli_ls_report, &width, &cors);
	if (cors != NULL) {
		printf(_("\nThe bucket must allow Label Studio's origin.  Apply "
		    "this CORS configuration\n(aws s3api put-bucket-cors "
		    "--bucket %s --cors-configuration file://cors.json):\n\n"),
		    vg_config_find_storage(cfg, cfg->vigiad.storage)->bucket);
		printf("%s\n", cors);
		free(cors);
	}
	for (i = 0; i < o.nlabels; i++)
		free(labels[i]);
	free(labels);
	vg_config_free(cfg);
	return err == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static void
cli_dataset_help(FILE *f)
{
	fprintf(f, _("Usage: vigia dataset pull [--config FILE] [--project "
	    "ID] [--size WxH] DIR\n"));
	fputs(_("Export the finished annotations from Label Studio and merge "
	    "them into DIR:\none JSON per segment (tracked boxes on every "
	    "frame, timeline spans, choices),\na MOT file per segment and "
	    "manifest.jsonl.  Only what changed is written;\nannotations "
	    "deleted in Label Studio are removed.  --size gives the frame "
	    "size\nfor tasks that do not carry it (pixels and MOT need it).\n"),
	    f);
}

int
cli_dataset_pull(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "project", required_argument, NULL, 'p' },
		{ "size", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vg_dataset_opts o;
	struct vg_dataset_stats st;
	struct vg_config *cfg;
	const char *file = NULL;
	char *cause = NULL, *end;
	int c, err;

	memset(&o, 0, sizeof o);
	optind = 1;
	while ((c = getopt_long(argc, argv, ":c:p:s:h", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'c':
			file = optarg;
			break;
		case 'p':
			o.project_id = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || o.project_id <= 0)
				return cli_usage_error(argv[0],
				    _("bad project id '%s'"), optarg);
			break;
		case 's':
			if (sscanf(optarg, "%dx%d", &o.width, &o.height) != 2 ||
			    o.width <= 0 || o.height <= 0 || o.width > 16384 ||
			    o.height > 16384)
				return cli_usage_error(argv[0],
				    _("bad frame size '%s' (WIDTHxHEIGHT)"),
				    optarg);
			break;
		case 'h':
			cli_dataset_help(stdout);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv[0], c, argv);
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(argv[0], "%s",
		    _("give the dataset directory"));
	o.dir = argv[optind];
	if ((cfg = cli_ls_config(argv[0], file)) == NULL)
		return CLI_EXIT_CONFIG;
	err = vg_dataset_pull(&cfg->label_studio, &o, &st, &cause);
	vg_config_free(cfg);
	if (err != 0) {
		fprintf(stderr, _("%s: %s\n"), argv[0], cause);
		free(cause);
		return CLI_EXIT_FAIL;
	}
	/* TRANSLATORS: a summary: numbers of segments and of files */
	printf(P_("%d segment in %s: %d files written, %d unchanged, %d "
	    "removed\n", "%d segments in %s: %d files written, %d unchanged, "
	    "%d removed\n", st.segments), st.segments, o.dir, st.written,
	    st.unchanged, st.removed);
	return CLI_EXIT_OK;
}
