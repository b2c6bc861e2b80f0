/* vigia-main.c - the technician's program: wizard, subcommands, --apply.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With no command, vigia opens the terminal wizard (ui/).  With a command
 * it runs that one job and exits with a documented status (cli.h).  Every
 * command only calls the core API in libvigia.h.
 */
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../ui/ui.h"
#include "cli.h"
#include "i18n.h"
#include "libvigia.h"

static const struct cli_cmd cli_cmds[] = {
	{ "config", "check", "FILE",
	    N_("check a configuration file and list its problems"),
	    cli_config_check },
	{ "discover", NULL, "[OPTION]...",
	    N_("find cameras: WS-Discovery, by address, or a sweep"),
	    cli_discover },
	{ "camera", "info", "TARGET",
	    N_("show a camera's identity, clock, network, services"),
	    cli_camera },
	{ "camera", "profiles", "TARGET",
	    N_("list media profiles, encoders and stream URIs"),
	    cli_camera },
	{ "camera", "set-user", "TARGET",
	    N_("activate a new camera or create/update a user"),
	    cli_camera },
	{ "camera", "set-ip", "TARGET",
	    N_("set a static IPv4 address and follow the camera"),
	    cli_camera },
	{ "camera", "set-time", "TARGET",
	    N_("set NTP servers, time zone or the clock"),
	    cli_camera },
	{ "camera", "set-encoder", "TARGET",
	    N_("set the video encoder and verify it"),
	    cli_camera },
	{ "camera", "events", "TARGET",
	    N_("show the camera's events (motion) as they happen"),
	    cli_camera },
	{ "camera", "reboot", "TARGET",
	    N_("reboot a camera"), cli_camera },
	{ "probe", NULL, "URL|CAMERA",
	    N_("measure a stream: codec, size, fps, bit rate, GOP"),
	    cli_probe },
	{ "snapshot", NULL, "URL|CAMERA",
	    N_("save one picture of a camera as PNG or JPEG"), cli_snapshot },
	{ "preview", NULL, "URL|CAMERA",
	    N_("show a camera's live picture in the terminal"), cli_preview },
	{ "test", "s3", "[NAME]",
	    N_("test an S3 storage entry: write, read back, uplink"),
	    cli_test_store },
	{ "test", "ftp", "[NAME]",
	    N_("test an FTP storage entry: write, read back, uplink"),
	    cli_test_store },
	{ "test", "ftps", "[NAME]",
	    N_("test an FTPS storage entry: write, read back, uplink"),
	    cli_test_store },
	{ "test", "sftp", "[NAME]",
	    N_("test an SFTP storage entry: write, read back, uplink"),
	    cli_test_store },
	{ "test", "local", "[NAME]",
	    N_("test a local archive directory: write, read back"),
	    cli_test_store },
	{ "presign", NULL, "STORAGE KEY",
	    N_("print a presigned URL for an object in S3 storage"),
	    cli_presign },
	{ "test", "labelstudio", "[OPTION]...",
	    N_("check Label Studio: token, project, config, video URL"),
	    cli_test_labelstudio },
	{ "dataset", "pull", "[OPTION]... DIR",
	    N_("merge finished annotations from Label Studio into DIR"),
	    cli_dataset_pull },
	{ "status", NULL, "[OPTION]...",
	    N_("show what vigiad records: cameras, disk, alarms"),
	    cli_status },
	{ "report", NULL, "[OPTION]... [CAMERA]...",
	    N_("the as-built report: cameras, tests, pictures (HTML, CSV)"),
	    cli_report },
	{ "start", NULL, "[OPTION]...",
	    N_("start vigiad and wait until every camera records"),
	    cli_start },
};
#define NCMDS (sizeof cli_cmds / sizeof cli_cmds[0])

/* Report a usage error on stderr and return CLI_EXIT_USAGE. */
int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	/* TRANSLATORS: %s is a command such as "vigia config check" */
	fprintf(stderr, _("Try '%s --help' for more information.\n"), cmd);
	return CLI_EXIT_USAGE;
}

/* Usage error for what getopt_long() returned as c ('?' or ':'). */
int
cli_bad_option(const char *cmd, int c, char **argv)
{
	if (c == ':')
		return cli_usage_error(cmd, _("option '%s' needs an argument"),
		    argv[optind - 1]);
	if (optopt != 0)
		return cli_usage_error(cmd, _("unknown option '-%c'"), optopt);
	return cli_usage_error(cmd, _("unknown option '%s'"),
	    argv[optind - 1]);
}

/* Print the main --help text. */
static void
usage(void)
{
	char left[NCMDS][64];
	int width = 0;
	size_t i;

	printf(_("Usage: %s [OPTION]...\n"
	    "  or:  %s [OPTION]... COMMAND [ARG]...\n"), PACKAGE, PACKAGE);
	fputs(_("Commission IP cameras, check their streams, and set up "
	    "recording,\nupload and labeling on a site.\n\n"), stdout);
	fputs(_("With no COMMAND, open the interactive wizard.\n\n"), stdout);
	fputs(_("Commands:\n"), stdout);
	for (i = 0; i < NCMDS; i++) {
		snprintf(left[i], sizeof left[i], "%s%s%s %s", cli_cmds[i].name,
		    cli_cmds[i].sub ? " " : "",
		    cli_cmds[i].sub ? cli_cmds[i].sub : "", cli_cmds[i].args);
		if ((int)strlen(left[i]) > width)
			width = (int)strlen(left[i]);
	}
	for (i = 0; i < NCMDS; i++)
		printf("  %-*s  %s\n", width, left[i], _(cli_cmds[i].summary));
	fputs("\n", stdout);
	fputs(_("Options:\n"
	    "  -v, --verbose          log more detail (repeat for debug)\n"
	    "  -q, --quiet            log only errors\n"
	    "      --log-file=FILE    also append the log to FILE (mode 0600)\n"
	    "  -h, --help             show this help and exit\n"
	    "  -V, --version          show version information and exit\n\n"),
	    stdout);
	fputs(_("Wizard options:\n"
	    "      --config=FILE      start the wizard from a configuration "
	    "file\n"
	    "      --resume           resume the wizard's saved draft\n\n"),
	    stdout);
	cli_apply_usage();
	fputs(_("Exit status:\n"
	    "  0  success\n"
	    "  1  the operation failed\n"
	    "  2  the command line was wrong\n"
	    "  3  the configuration is invalid\n\n"), stdout);
	printf(_("Run '%s COMMAND --help' for the options of a command.\n"),
	    PACKAGE);
	fputs(_("See vigia(1) and vigia.conf(5) for details.\n"), stdout);
}

/* Print --version. */
static void
version(void)
{
	printf("%s\n", vg_version_text());
	fputs(_("Copyright (C) 2026 The vigia developers\n"
	    "License GPLv3+: GNU GPL version 3 or later "
	    "<https://gnu.org/licenses/gpl.html>.\n"
	    "This is free software: you are free to change and redistribute "
	    "it.\nThere is NO WARRANTY, to the extent permitted by law.\n"),
	    stdout);
}

/* Print the help of a command that has subcommands ("vigia camera"). */
static void
group_usage(const char *group)
{
	const char *args = NULL;
	size_t i;

	for (i = 0; i < NCMDS && args == NULL; i++)
		if (strcmp(cli_cmds[i].name, group) == 0)
			args = cli_cmds[i].args;
	/* TRANSLATORS: program, command ("vigia camera"), its argument */
	printf(_("Usage: %s %s SUBCOMMAND [OPTION]... %s\n"), PACKAGE, group,
	    args);
	fputs(_("Subcommands:\n"), stdout);
	for (i = 0; i < NCMDS; i++)
		if (strcmp(cli_cmds[i].name, group) == 0)
			printf("  %-12s  %s\n", cli_cmds[i].sub,
			    _(cli_cmds[i].summary));
	fputs("\n", stdout);
	printf(_("Run '%s %s SUBCOMMAND --help' for the options of a "
	    "subcommand.\n"), PACKAGE, group);
}

/* Find and run the subcommand at argv[0]; argc >= 1. */
static int
run_command(int argc, char **argv)
{
	const struct cli_cmd *cmd = NULL, *group = NULL;
	char *name;
	size_t i;
	int ret, skip;

	for (i = 0; i < NCMDS; i++) {
		if (strcmp(cli_cmds[i].name, argv[0]) != 0)
			continue;
		group = &cli_cmds[i];
		if (cli_cmds[i].sub == NULL ||
		    (argc > 1 && strcmp(cli_cmds[i].sub, argv[1]) == 0)) {
			cmd = &cli_cmds[i];
			break;
		}
	}
	if (cmd == NULL && group == NULL)
		return cli_usage_error(PACKAGE, _("unknown command '%s'"),
		    argv[0]);
	if (cmd == NULL && argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		group_usage(argv[0]);
		return CLI_EXIT_OK;
	}
	if (cmd == NULL) {
		if (argc > 1)
			fprintf(stderr, _("%s %s: unknown subcommand '%s'\n"),
			    PACKAGE, argv[0], argv[1]);
		else
			fprintf(stderr, _("%s %s: a subcommand is needed\n"),
			    PACKAGE, argv[0]);
		fputs(_("Subcommands:\n"), stderr);
		for (i = 0; i < NCMDS; i++)
			if (strcmp(cli_cmds[i].name, argv[0]) == 0)
				fprintf(stderr, "  %s %s %s %s\n", PACKAGE,
				    cli_cmds[i].name, cli_cmds[i].sub,
				    cli_cmds[i].args);
		return CLI_EXIT_USAGE;
	}
	skip = cmd->sub != NULL ? 1 : 0;
	xasprintf(&name, "%s %s%s%s", PACKAGE, cmd->name, skip ? " " : "",
	    skip ? cmd->sub : "");
	argv[skip] = name;
	/* optind = 0 makes glibc's getopt start afresh: 1 would keep the
	 * ordering mode ("+") of the main option scan */
	optind = 0;
	opterr = 0;
	ret = cmd->run(argc - skip, argv + skip);
	free(name);
	return ret;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "log-file", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "config", required_argument, NULL, 'C' },
		{ "resume", no_argument, NULL, 'R' },
		{ "apply", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	enum vg_log_level level = VG_LOG_NOTICE;
	const char *log_path = NULL, *wizard_config = NULL;
	const char *apply_file = NULL;	/* --apply: its options follow it */
	bool wizard_resume = false;
	char *cause = NULL;
	int c, ret;

	setlocale(LC_ALL, "");
	vg_init();
	opterr = 0;
	/* '+': options end at the command, which parses its own */
	while (apply_file == NULL &&
	    (c = getopt_long(argc, argv, "+:vqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'v':
			if (level < VG_LOG_DEBUG)
				level++;
			break;
		case 'q':
			level = VG_LOG_ERR;
			break;
		case 'L':
			log_path = optarg;
			break;
		case 'C':
			wizard_config = optarg;
			break;
		case 'R':
			wizard_resume = true;
			break;
		case 'A':
			apply_file = optarg;
			break;
		case 'h':
			usage();
			return CLI_EXIT_OK;
		case 'V':
			version();
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(PACKAGE, c, argv);
		}
	}
	vg_log_set_level(level);
	if (log_path != NULL &&
	    vg_log_open_file(log_path, &cause) != VG_OK) {
		fprintf(stderr, _("%s: cannot open the log file: %s\n"),
		    PACKAGE, cause);
		free(cause);
		return CLI_EXIT_FAIL;
	}

	if (apply_file != NULL) {
		vg_log_open_stderr(0);
		/* argv[optind - 1] becomes the command's argv[0] */
		ret = cli_apply(apply_file, argc - optind + 1,
		    argv + optind - 1);
		vg_log_shutdown();
		return ret;
	}
	if ((wizard_config != NULL || wizard_resume) && optind != argc)
		return cli_usage_error(PACKAGE, "%s", _("--config and --resume "
		    "open the wizard; they take no command"));
	if (optind == argc) {
		/* The wizard owns the terminal: the log goes to a ring (and
		 * the file, if any), never to the screen. */
		vg_log_ring_enable(1000);
		ui_set_start(wizard_config, wizard_resume);
		ret = ui_main();
	} else {
		vg_log_open_stderr(0);
		ret = run_command(argc - optind, argv + optind);
	}
	vg_log_shutdown();
	return ret;
}
