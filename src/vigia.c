/* vigia.c - the technician's program: wizard, subcommands, --apply.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With no command, vigia opens the terminal wizard (ui/).  With a command
 * it runs that one job and exits with a documented status (cli.h).  Every
 * command only calls the core API in vigia.h.
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
#include "vigia.h"

static const struct cli_cmd cli_cmds[] = {
	{ "config", "check", "FILE",
	    N_("check a configuration file and report every problem"),
	    cli_config_check },
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
	size_t i;

	printf(_("Usage: %s [OPTION]...\n"
	    "  or:  %s [OPTION]... COMMAND [ARG]...\n"), PACKAGE, PACKAGE);
	fputs(_("Commission IP cameras, check their streams, and set up "
	    "recording,\nupload and labeling on a site.\n\n"), stdout);
	fputs(_("With no COMMAND, open the interactive wizard.\n\n"), stdout);
	fputs(_("Commands:\n"), stdout);
	for (i = 0; i < NCMDS; i++) {
		char left[64];

		snprintf(left, sizeof left, "%s%s%s %s", cli_cmds[i].name,
		    cli_cmds[i].sub ? " " : "",
		    cli_cmds[i].sub ? cli_cmds[i].sub : "", cli_cmds[i].args);
		printf("  %-22s %s\n", left, _(cli_cmds[i].summary));
	}
	fputs("\n", stdout);
	fputs(_("Options:\n"
	    "  -v, --verbose          log more detail (repeat for debug)\n"
	    "  -q, --quiet            log only errors\n"
	    "      --log-file=FILE    also append the log to FILE (mode 0600)\n"
	    "  -h, --help             show this help and exit\n"
	    "  -V, --version          show version information and exit\n\n"),
	    stdout);
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
		{ NULL, 0, NULL, 0 },
	};
	enum vg_log_level level = VG_LOG_NOTICE;
	const char *log_path = NULL;
	char *cause = NULL;
	int c, ret;

	setlocale(LC_ALL, "");
	vg_init();
	opterr = 0;
	/* '+': options end at the command, which parses its own */
	while ((c = getopt_long(argc, argv, "+:vqhV", longopts, NULL)) != -1) {
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

	if (optind == argc) {
		/* The wizard owns the terminal: the log goes to a ring (and
		 * the file, if any), never to the screen. */
		vg_log_ring_enable(1000);
		ret = ui_main();
	} else {
		vg_log_open_stderr(0);
		ret = run_command(argc - optind, argv + optind);
	}
	vg_log_shutdown();
	return ret;
}
