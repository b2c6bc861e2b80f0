/* cli-report.c - `vigia report`: the as-built commissioning report.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A thin front-end over vg_report_gather() and its writers (src/report-*.c):
 * a summary on the terminal, JSON on stdout with --json, and the HTML and
 * CSV files a customer gets.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "libvigia.h"
#include "report.h"

#define REPORT_MAX_ONLY 256

static void
report_help(const char *cmd)
{
	printf(_("Usage: %s [OPTION]... [CAMERA]...\n"), cmd);
	fputs(_("Make the as-built commissioning report of a site: per camera "
	    "its vendor,\nmodel, serial number, MAC, firmware, address, stream "
	    "URIs, the encoder as\nset and as measured, clock drift, every test "
	    "result and a picture; the\nstorage and Label Studio checks; the "
	    "recorder's state.  Cameras are\nasked in parallel, every request "
	    "with a deadline.  Without CAMERA, every\nenabled camera.\n\n"),
	    stdout);
	fputs(_("  -c, --config=FILE      the configuration (default: "
	    "vigiad's)\n"
	    "      --html=FILE        write the report as one self-contained "
	    "HTML page\n"
	    "      --csv=FILE         write one CSV row per camera (\"-\": "
	    "stdout)\n"
	    "      --json             print the report as JSON\n"
	    "      --seconds=S        stream time measured per camera "
	    "(default 3)\n"
	    "      --timeout=MS       per camera request (default 5000)\n"
	    "      --no-pictures      take no pictures\n"
	    "      --no-storage-test  do not test the storage (\"not "
	    "tested\")\n"
	    "      --no-labelstudio-test\n"
	    "                         do not test Label Studio (\"not "
	    "tested\")\n"
	    "      --key=KEY          a stored segment's object key: Label "
	    "Studio's check\n"
	    "                         fetches it as the annotator's browser "
	    "would\n"
	    "  -s, --socket=PATH      vigiad's status socket (default: from "
	    "the\n"
	    "                         configuration)\n"
	    "  -h, --help             show this help and exit\n\n"), stdout);
	fputs(_("Exit status: 0 when every test passed, 1 when one failed or "
	    "a file\ncould not be written, 2 on a usage error, 3 if the "
	    "configuration is invalid.\n"), stdout);
}

/* Write text to path ("-": stdout) atomically; false after saying why. */
static bool
report_write(const char *cmd, const char *path, const char *text)
{
	char *tmp = NULL;
	size_t len = strlen(text), off = 0;
	ssize_t n;
	int fd;
	bool ok = false;

	if (strcmp(path, "-") == 0) {
		fputs(text, stdout);
		return fflush(stdout) == 0;
	}
	xasprintf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		goto out;
	while (off < len) {
		n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (off == len && fsync(fd) == 0 && close(fd) == 0) {
		fd = -1;
		ok = rename(tmp, path) == 0;
	}
	if (fd >= 0)
		close(fd);
out:
	if (!ok) {
		/* TRANSLATORS: command, file name, system error */
		fprintf(stderr, _("%s: cannot write %s: %s\n"), cmd, path,
		    strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return ok;
}

int
cli_report(int argc, char **argv)
{
	enum { O_HTML = 256, O_CSV, O_JSON, O_SECONDS, O_TIMEOUT, O_NOPIC,
	    O_NOSTORE, O_NOLS, O_KEY };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "html", required_argument, NULL, O_HTML },
		{ "csv", required_argument, NULL, O_CSV },
		{ "json", no_argument, NULL, O_JSON },
		{ "seconds", required_argument, NULL, O_SECONDS },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "no-pictures", no_argument, NULL, O_NOPIC },
		{ "no-storage-test", no_argument, NULL, O_NOSTORE },
		{ "no-labelstudio-test", no_argument, NULL, O_NOLS },
		{ "key", required_argument, NULL, O_KEY },
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vg_report_opts o;
	struct vg_report r;
	struct vg_diags diags = { 0, NULL };
	struct vg_config *cfg = NULL;
	const char *config = NULL, *html = NULL, *csv = NULL;
	char *def = NULL, *line, *text, *cause = NULL, *end;
	bool json = false, ok = true;
	size_t i;
	long l;
	int c, err, ret;

	memset(&o, 0, sizeof o);
	while ((c = getopt_long(argc, argv, "+:c:s:h", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 's':
			o.status_socket = optarg;
			break;
		case O_HTML:
			html = optarg;
			break;
		case O_CSV:
			csv = optarg;
			break;
		case O_JSON:
			json = true;
			break;
		case O_SECONDS:
			o.probe_s = strtod(optarg, &end);
			if (end == optarg || *end != '\0' || !(o.probe_s >= 0.5) ||
			    o.probe_s > 60)
				return cli_usage_error(argv[0], _("--seconds "
				    "expects 0.5 to 60, got '%s'"), optarg);
			break;
		case O_TIMEOUT:
			l = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || l < 100 ||
			    l > 120000)
				return cli_usage_error(argv[0],
				    _("invalid value '%s' for '%s'"), optarg,
				    "--timeout");
			o.timeout_ms = (int)l;
			break;
		case O_NOPIC:
			o.no_pictures = true;
			break;
		case O_NOSTORE:
			o.skip_storage = true;
			break;
		case O_NOLS:
			o.skip_labelstudio = true;
			break;
		case O_KEY:
			o.probe_key = optarg;
			break;
		case 'h':
			report_help(argv[0]);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv[0], c, argv);
		}
	}
	if (json && ((html != NULL && strcmp(html, "-") == 0) ||
	    (csv != NULL && strcmp(csv, "-") == 0)))
		return cli_usage_error(argv[0], _("--json prints to stdout: "
		    "write --html or --csv to a file"));
	if (argc - optind > REPORT_MAX_ONLY)
		return cli_usage_error(argv[0], _("too many cameras named"));
	o.only = (const char *const *)(argv + optind);
	o.nonly = (size_t)(argc - optind);
	if (o.nonly == 0)
		o.only = NULL;

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
		fprintf(stderr, _("%s: cannot use the configuration %s; run "
		    "'vigia config check %s'\n"), argv[0], config, config);
		free(def);
		return CLI_EXIT_CONFIG;
	}
	for (i = 0; i < o.nonly; i++)
		if (vg_config_find_camera(cfg, o.only[i]) == NULL) {
			ret = cli_usage_error(argv[0], _("no camera named '%s' "
			    "in %s"), o.only[i], config);
			vg_config_free(cfg);
			free(def);
			return ret;
		}
	if (!json)
		/* TRANSLATORS: %zu cameras; a progress line */
		fprintf(stderr, P_("Testing %zu camera, the storage and Label "
		    "Studio...\n", "Testing %zu cameras, the storage and Label "
		    "Studio...\n", o.nonly > 0 ? o.nonly : cfg->ncameras),
		    o.nonly > 0 ? o.nonly : cfg->ncameras);
	err = vg_report_gather(cfg, &o, &r, &cause);
	if (err != VG_OK) {
		fprintf(stderr, "%s: %s\n", argv[0], cause != NULL ? cause :
		    vg_strerror(err));
		free(cause);
		vg_config_free(cfg);
		free(def);
		return CLI_EXIT_FAIL;
	}
	if (html != NULL) {
		text = vg_report_html(&r);
		ok = report_write(argv[0], html, text) && ok;
		free(text);
	}
	if (csv != NULL) {
		text = vg_report_csv(&r);
		ok = report_write(argv[0], csv, text) && ok;
		free(text);
	}
	if (json) {
		text = vg_report_json(&r);
		ok = report_write(argv[0], "-", text) && ok;
		fputc('\n', stdout);
		free(text);
	} else if ((html == NULL || strcmp(html, "-") != 0) &&
	    (csv == NULL || strcmp(csv, "-") != 0)) {
		text = vg_report_text(&r);
		fputs(text, stdout);
		free(text);
		if (html != NULL && ok)
			/* TRANSLATORS: %s is a file name */
			printf(_("The report is in %s\n"), html);
	}
	ret = ok && vg_report_ok(&r) ? CLI_EXIT_OK : CLI_EXIT_FAIL;
	vg_report_clear(&r);
	vg_config_free(cfg);
	free(def);
	return ret;
}
