/* cli.h - vigia's subcommand table and shared command-line helpers.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef VIGIA_CLI_H
#define VIGIA_CLI_H

/* Exit codes, documented in vigia(1). */
enum cli_exit {
	CLI_EXIT_OK = 0,	/* everything succeeded */
	CLI_EXIT_FAIL = 1,	/* the operation failed */
	CLI_EXIT_USAGE = 2,	/* bad command line */
	CLI_EXIT_CONFIG = 3,	/* the configuration is invalid */
};

/* One subcommand: "vigia NAME [SUB] ARGS". */
struct cli_cmd {
	const char *name;	/* "config" */
	const char *sub;	/* "check", or NULL */
	const char *args;	/* "FILE" (not translated) */
	const char *summary;	/* N_() one line */
	int (*run)(int argc, char **argv);	/* argv[0] is "vigia config check" */
};

/* Print "Try 'vigia --help'..." style usage error and return CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Usage error for an option getopt_long() refused (c is '?' or ':'). */
int cli_bad_option(const char *cmd, int c, char **argv);

/* Subcommands. */
int cli_config_check(int argc, char **argv);

#endif /* VIGIA_CLI_H */
