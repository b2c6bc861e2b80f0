/* cli.h - vigia's subcommand table and shared command-line helpers.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef VIGIA_CLI_H
#define VIGIA_CLI_H

#include <stddef.h>
#include <stdio.h>

/* Exit codes, documented in vigia(1). */
enum cli_exit {
	CLI_EXIT_OK = 0,	/* everything succeeded */
	CLI_EXIT_FAIL = 1,	/* the operation failed */
	CLI_EXIT_USAGE = 2,	/* bad command line */
	CLI_EXIT_CONFIG = 3,	/* the configuration is invalid */
	CLI_EXIT_PARTIAL = 4,	/* --apply: some cameras failed */
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
int cli_status(int argc, char **argv);
/* vigia start (cli-status.c) */
int cli_start(int argc, char **argv);
int cli_probe(int argc, char **argv);
int cli_snapshot(int argc, char **argv);
int cli_preview(int argc, char **argv);
int cli_discover(int argc, char **argv);
/* vigia camera info|profiles|set-user|set-ip|set-time|set-encoder|events|
 * reboot: one entry point, the subcommand is the last word of argv[0] */
int cli_camera(int argc, char **argv);
/* vigia test s3|ftp|ftps|sftp|local [NAME], vigia presign (cli-store.c) */
int cli_test_store(int argc, char **argv);
int cli_presign(int argc, char **argv);

/* vigia test labelstudio, vigia dataset pull (cli-ls.c) */
int cli_test_labelstudio(int argc, char **argv);
int cli_dataset_pull(int argc, char **argv);

/* vigia report (cli-report.c) */
int cli_report(int argc, char **argv);

/* vigia --apply FILE [OPTION]... (cli-apply.c): argv[0] is the command's
 * name, options follow; returns an exit status. */
int cli_apply(const char *file, int argc, char **argv);
/* The --apply section of `vigia --help`. */
void cli_apply_usage(void);

/* Aligned tables (cli-table.c): widths measured with wcswidth. */
struct cli_table;
struct cli_table *cli_table_new(size_t ncols, const char *const *headers);
void cli_table_add(struct cli_table *t, const char *const *cells);
void cli_table_print(const struct cli_table *t, FILE *f);
void cli_table_free(struct cli_table *t);
/* "LABEL  value" lines, labels aligned; pairs end with NULL. */
void cli_print_pairs(FILE *f, const char *const *pairs);
/* s with control characters made visible (vg_text_safe()), for one
 * printf of a string a device gave; valid until 8 more calls, NULL for
 * NULL. */
const char *cli_safe(const char *s);
/* A line read from /dev/tty without echo (vg_secret_free() it), or
 * NULL when there is no terminal. */
char *cli_prompt_secret(const char *prompt);
/* The first line of a file ("-": stdin), or NULL and *cause. */
char *cli_read_secret_file(const char *path, char **cause);

#endif /* VIGIA_CLI_H */
