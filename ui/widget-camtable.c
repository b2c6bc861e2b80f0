/* widget-camtable.c - the camera table: the wizard's list of cameras.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Wherever cameras are shown or chosen, one row per camera: an optional
 * tick, the name it has in the draft, its address, vendor, model and
 * state.  The columns take their natural width when the terminal has
 * room; otherwise the widest ones give way first, each cut with "…"
 * (ui_put_clipped).  The rows scroll with the cursor, a line under them
 * says how many are above and below, and `/` filters the rows by any
 * text of them (name, address, vendor, model, state).  The widget only
 * reads struct wdraft_cams: what a key does to a camera is the step's.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "wizard.h"

#define KEY_CTRL(c) ((c) & 0x1f)

enum { COL_TICK, COL_NAME, COL_ADDR, COL_VENDOR, COL_MODEL, COL_STATE,
	NCOL };

/* The state of a camera, translated: what the technician must know. */
const char *
ui_camtable_state(const struct wdraft_found *f)
{
	if (!f->looked)
		/* TRANSLATORS: camera state while it is being asked */
		return _("checking");
	if (f->factory_new)
		return _("factory-new");
	if (!f->identified)
		return _("no answer");
	switch (f->access) {
	case WDRAFT_ACCESS_DEFAULT:
		/* TRANSLATORS: camera state: it opened with its vendor's
		 * documented default password; keep it short */
		return _("default password");
	case WDRAFT_ACCESS_OWN:
		/* TRANSLATORS: camera state: it has its own password */
		return _("own password");
	case WDRAFT_ACCESS_LOCKED:
		/* TRANSLATORS: camera state: no password tried opened it */
		return _("locked");
	default:
		return _("ready");
	}
}

/* "host" or "host:port". */
static char *
ct_addr(const struct wdraft_found *f)
{
	char *s;

	if (f->host != NULL && f->port != 80)
		xasprintf(&s, "%s:%d", f->host, f->port);
	else
		s = xstrdup(f->host != NULL ? f->host : "?");
	return s;
}

/* The text of one cell (allocated). */
static char *
ct_cell(const struct wdraft_found *f, int col)
{
	switch (col) {
	case COL_TICK:
		return xstrdup(f->selected ? "[x]" : "[ ]");
	case COL_NAME:
		return xstrdup(f->camera != NULL ? f->camera : "-");
	case COL_ADDR:
		return ct_addr(f);
	case COL_VENDOR:
		return xstrdup(f->manufacturer != NULL ? f->manufacturer :
		    f->scope_name != NULL ? f->scope_name : "?");
	case COL_MODEL:
		return xstrdup(f->model != NULL ? f->model : "?");
	default:
		return xstrdup(ui_camtable_state(f));
	}
}

/* Case-insensitive substring. */
static bool
ct_has(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return n == 0;
}

/* Whether camera f passes the filter. */
bool
ui_camtable_matches(const struct ui_camtable *t, const struct wdraft_found *f)
{
	char *s;
	bool ok = false;
	int col;

	if (t->filter[0] == '\0')
		return true;
	for (col = COL_NAME; col < NCOL && !ok; col++) {
		s = ct_cell(f, col);
		ok = ct_has(s, t->filter);
		free(s);
	}
	return ok;
}

/* The indices of the rows shown (filtered); the caller frees them. */
static size_t *
ct_rows(const struct ui_camtable *t, const struct wdraft_cams *c,
    size_t *n)
{
	size_t *v = xreallocarray(NULL, c->n + 1, sizeof *v), i;

	*n = 0;
	for (i = 0; i < c->n; i++)
		if (ui_camtable_matches(t, &c->v[i]))
			v[(*n)++] = i;
	return v;
}

/* The camera under the cursor, or (size_t)-1 when no row is shown. */
size_t
ui_camtable_current(struct ui_camtable *t, const struct wdraft_cams *c)
{
	size_t n, *v = ct_rows(t, c, &n), r = (size_t)-1;

	if (t->cursor >= (int)n)
		t->cursor = n > 0 ? (int)n - 1 : 0;
	if (t->cursor < 0)
		t->cursor = 0;
	if (n > 0)
		r = v[t->cursor];
	free(v);
	return r;
}

/* The column headings, translated. */
static const char *
ct_head(int col)
{
	switch (col) {
	case COL_TICK:
		return "";
	/* TRANSLATORS: headings of the camera table; the columns get
	 * narrower (cut with "…") when the terminal is */
	case COL_NAME:
		return _("NAME");
	case COL_ADDR:
		return _("ADDRESS");
	case COL_VENDOR:
		return _("VENDOR");
	case COL_MODEL:
		return _("MODEL");
	default:
		return _("STATE");
	}
}

/* Fit the columns into W: natural widths, then the widest shrinkable
 * column gives a column at a time until the row fits. */
static void
ct_fit(const struct ui_camtable *t, const struct wdraft_cams *c,
    const size_t *v, size_t n, int W, int width[NCOL])
{
	static const int minw[NCOL] = { 3, 6, 9, 5, 8, 6 };
	int col, total, best;
	size_t i;
	char *s;

	for (col = 0; col < NCOL; col++)
		width[col] = vg_text_width(ct_head(col));
	for (i = 0; i < n; i++)
		for (col = 0; col < NCOL; col++) {
			s = ct_cell(&c->v[v[i]], col);
			if (vg_text_width(s) > width[col])
				width[col] = vg_text_width(s);
			free(s);
		}
	if (!t->ticks)
		width[COL_TICK] = 0;
	if (!t->names)
		width[COL_NAME] = 0;
	for (;;) {
		total = -1;
		for (col = 0; col < NCOL; col++)
			if (width[col] > 0)
				total += width[col] + 1;
		if (total <= W)
			break;
		best = -1;
		for (col = 0; col < NCOL; col++) {
			if (width[col] <= minw[col] || col == COL_TICK)
				continue;
			/* the address is the last to give way */
			if (col == COL_ADDR && best >= 0)
				continue;
			if (best < 0 || best == COL_ADDR ||
			    width[col] > width[best])
				best = col;
		}
		if (best < 0)
			break;
		width[best]--;
	}
}

/* Draw one row of cells at y. */
static void
ct_draw_row(WINDOW *win, int y, int x, int W, const int width[NCOL],
    const struct wdraft_found *f, bool head)
{
	int col, used = 0;
	char *s;

	for (col = 0; col < NCOL; col++) {
		if (width[col] <= 0 || used >= W)
			continue;
		s = head ? xstrdup(ct_head(col)) : ct_cell(f, col);
		ui_put_clipped(win, y, x + used, s,
		    width[col] < W - used ? width[col] : W - used);
		free(s);
		used += width[col] + 1;
	}
}

/* Draw the table in rows y .. y + h - 1 of win, columns x .. x + W - 1:
 * headings, rows, and a line that says what is above and below (or the
 * filter being typed).  cursor: highlight the current row. */
void
ui_camtable_draw(struct ui_camtable *t, WINDOW *win, int y, int x, int h,
    int W, const struct wdraft_cams *c, bool cursor)
{
	int width[NCOL], rows = h - 2, r;
	size_t n, *v = ct_rows(t, c, &n), i;
	char *line;

	t->height = h;
	if (h < 3 || W < 10)
		goto out;
	if (t->cursor >= (int)n)
		t->cursor = n > 0 ? (int)n - 1 : 0;
	if (t->cursor < 0)
		t->cursor = 0;
	if (t->cursor < t->top)
		t->top = t->cursor;
	if (t->cursor >= t->top + rows)
		t->top = t->cursor - rows + 1;
	if (t->top > (int)n - rows)
		t->top = (int)n - rows;
	if (t->top < 0)
		t->top = 0;
	ct_fit(t, c, v, n, W, width);
	wattron(win, A_BOLD);
	ct_draw_row(win, y, x, W, width, NULL, true);
	wattroff(win, A_BOLD);
	for (r = 0, i = (size_t)t->top; r < rows && i < n; r++, i++) {
		if (cursor && (int)i == t->cursor)
			wattron(win, A_REVERSE);
		ct_draw_row(win, y + 1 + r, x, W, width, &c->v[v[i]], false);
		wattroff(win, A_REVERSE);
	}
	if (t->filtering)
		/* TRANSLATORS: the filter line of the camera table */
		xasprintf(&line, _("Filter: %s_  (Enter keeps it, Esc "
		    "clears it)"), t->filter);
	else if (t->filter[0] != '\0')
		xasprintf(&line, P_("Filter \"%s\": %zu of %zu camera.  "
		    "/ changes it.", "Filter \"%s\": %zu of %zu cameras.  "
		    "/ changes it.", c->n), t->filter, n, c->n);
	else if (n > (size_t)rows)
		/* TRANSLATORS: under a camera table that scrolls; %d are
		 * the rows above and below the ones shown */
		xasprintf(&line, _("%d above, %d more below; PgUp/PgDn "
		    "scroll, / filters."), t->top,
		    (int)n - t->top - rows);
	else
		line = NULL;
	if (line != NULL) {
		wattron(win, tui_attr(UI_PAIR_DIM));
		ui_put_clipped(win, y + h - 1, x, line, W);
		wattroff(win, tui_attr(UI_PAIR_DIM));
		free(line);
	}
out:
	free(v);
}

/* Rows drawn by ui_camtable_draw for a height h (for PgUp/PgDn). */
static int
ct_page(int h)
{
	return h - 2 > 1 ? h - 2 : 1;
}

/* The table's keys: Up, Down, PgUp, PgDn, Home, End, / and the filter
 * line.  Returns WK_HANDLED or WK_UNHANDLED. */
int
ui_camtable_key(struct ui_camtable *t, int ch, bool is_key,
    const struct wdraft_cams *c)
{
	size_t n, *v = ct_rows(t, c, &n), len = strlen(t->filter);
	int page = ct_page(t->height);

	free(v);
	if (t->filtering) {
		if (!is_key && ch == 27) {
			t->filter[0] = '\0';
			t->filtering = false;
		} else if (!is_key && (ch == '\n' || ch == '\r'))
			t->filtering = false;
		else if ((is_key && ch == KEY_BACKSPACE) || (!is_key &&
		    (ch == 127 || ch == 8))) {
			if (len > 0)
				t->filter[len - 1] = '\0';
		} else if (!is_key && ch == KEY_CTRL('u'))
			t->filter[0] = '\0';
		else if (!is_key && ch >= ' ' && ch < 127 &&
		    len + 1 < sizeof t->filter) {
			t->filter[len] = (char)ch;
			t->filter[len + 1] = '\0';
		} else if (is_key && (ch == KEY_UP || ch == KEY_DOWN)) {
			t->filtering = false;	/* on to the list */
			return ui_camtable_key(t, ch, is_key, c);
		} else
			return WK_HANDLED;
		t->cursor = 0;
		t->top = 0;
		return WK_HANDLED;
	}
	if (!is_key && ch == '/') {
		t->filtering = true;
		return WK_HANDLED;
	}
	if (!is_key)
		return WK_UNHANDLED;
	switch (ch) {
	case KEY_UP:
		if (t->cursor > 0)
			t->cursor--;
		break;
	case KEY_DOWN:
		if (t->cursor + 1 < (int)n)
			t->cursor++;
		break;
	case KEY_PPAGE:
		t->cursor -= page;
		t->top -= page;
		if (t->cursor < 0)
			t->cursor = 0;
		if (t->top < 0)
			t->top = 0;
		break;
	case KEY_NPAGE:
		t->cursor += page;
		t->top += page;
		if (t->cursor >= (int)n)
			t->cursor = n > 0 ? (int)n - 1 : 0;
		break;
	case KEY_HOME:
		t->cursor = 0;
		break;
	case KEY_END:
		t->cursor = n > 0 ? (int)n - 1 : 0;
		break;
	default:
		return WK_UNHANDLED;
	}
	return WK_HANDLED;
}
