/* cli-table.c - aligned text tables and terminal helpers for the
 * subcommands: column widths measured on screen, not in bytes.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "cli.h"
#include "i18n.h"
#include "libvigia.h"

/* A table being filled (struct cli_table in cli.h). */
struct cli_table {
	size_t ncols;
	size_t nrows;		/* including the header row */
	char **cells;		/* nrows * ncols */
};

/* A table with ncols headers (translated by the caller). */
struct cli_table *
cli_table_new(size_t ncols, const char *const *headers)
{
	struct cli_table *t = xcalloc(1, sizeof *t);

	t->ncols = ncols;
	cli_table_add(t, headers);
	return t;
}

/* Append a row of ncols strings; NULL or "" shows as "-".  Cells often
 * hold what a device said: control characters are shown, not sent. */
void
cli_table_add(struct cli_table *t, const char *const *cells)
{
	size_t i;

	t->cells = xreallocarray(t->cells, (t->nrows + 1) * t->ncols,
	    sizeof *t->cells);
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = vg_text_safe(
		    cells[i] != NULL && *cells[i] != '\0' ? cells[i] : "-");
	t->nrows++;
}

/* Print with two spaces between columns; the last column is not
 * padded. */
void
cli_table_print(const struct cli_table *t, FILE *f)
{
	int *w = xcalloc(t->ncols, sizeof *w);
	size_t r, c;

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			int cw = vg_text_width(t->cells[r * t->ncols + c]);

			if (cw > w[c])
				w[c] = cw;
		}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * t->ncols + c];

			fputs(s, f);
			if (c + 1 < t->ncols)
				fprintf(f, "%*s", w[c] - vg_text_width(s) + 2, "");
		}
		fputc('\n', f);
	}
	free(w);
}

/* Free a table; accepts NULL. */
void
cli_table_free(struct cli_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

/* Print "LABEL  value" lines with the labels aligned (pairs of strings,
 * NULL-terminated list; NULL values are skipped).  Values are shown with
 * their control characters made visible (they come from devices). */
void
cli_print_pairs(FILE *f, const char *const *pairs)
{
	size_t i;
	int w = 0;
	char *v;

	for (i = 0; pairs[i] != NULL; i += 2)
		if (pairs[i + 1] != NULL && vg_text_width(pairs[i]) > w)
			w = vg_text_width(pairs[i]);
	for (i = 0; pairs[i] != NULL; i += 2)
		if (pairs[i + 1] != NULL) {
			v = vg_text_safe(pairs[i + 1]);
			fprintf(f, "%s%*s  %s\n", pairs[i],
			    w - vg_text_width(pairs[i]), "", v);
			free(v);
		}
}

/* s as vg_text_safe() shows it, for a printf argument: the copy lives
 * until eight more calls have been made (NULL gives NULL). */
const char *
cli_safe(const char *s)
{
	static char *ring[8];
	static unsigned next;
	char **slot = &ring[next++ % 8];

	free(*slot);
	*slot = vg_text_safe(s);
	return *slot;
}

/* Read a line from the terminal without echo; NULL if there is no
 * terminal.  The caller frees it with vg_secret_free(). */
char *
cli_prompt_secret(const char *prompt)
{
	struct termios old, quiet;
	char buf[512], *nl, *out = NULL;
	FILE *tty;
	int fd;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1)
		return NULL;
	if ((tty = fdopen(fd, "r+")) == NULL) {
		close(fd);
		return NULL;
	}
	if (tcgetattr(fd, &old) != 0) {
		fclose(tty);
		return NULL;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	fputs(prompt, tty);
	fflush(tty);
	tcsetattr(fd, TCSAFLUSH, &quiet);
	if (fgets(buf, sizeof buf, tty) != NULL) {
		if ((nl = strchr(buf, '\n')) != NULL)
			*nl = '\0';
		out = xstrdup(buf);
	}
	tcsetattr(fd, TCSAFLUSH, &old);
	fputc('\n', tty);
	explicit_bzero(buf, sizeof buf);
	fclose(tty);
	return out;
}

/* Read a secret from a file (mode must not allow others to read it): the
 * first line, without its newline.  NULL with *cause on error. */
char *
cli_read_secret_file(const char *path, char **cause)
{
	char buf[1024], *nl;
	size_t n;
	FILE *f;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	n = fread(buf, 1, sizeof buf - 1, f);
	if (f != stdin)
		fclose(f);
	buf[n] = '\0';
	if ((nl = strpbrk(buf, "\r\n")) != NULL)
		*nl = '\0';
	nl = xstrdup(buf);
	explicit_bzero(buf, sizeof buf);
	return nl;
}
