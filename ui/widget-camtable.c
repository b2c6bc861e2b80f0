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
	COL_X0, NCOL = COL_X0 + UI_CT_EXTRA_MAX };

/* The row of the "All cameras" choice among the rows shown. */
#define ROW_ALL ((size_t)-1)

/* The state of a camera, translated: what the technician must know. */
const char *
ui_camtable_state(const struct wdraft_found *f)
{
	if (f->loaded)
		/* TRANSLATORS: camera state: in the configuration loaded,
		 * not found by the search */
		return _("from the file");
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

/* The text of one cell of camera i (allocated). */
static char *
ct_cell(const struct ui_camtable *t, const struct wdraft_cams *c, size_t i,
    int col)
{
	const struct wdraft_found *f = &c->v[i];

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
	case COL_STATE:
		return xstrdup(ui_camtable_state(f));
	default:
		if (col - COL_X0 < t->nextra && t->extra_cell != NULL)
			return t->extra_cell(t->arg, i, col - COL_X0);
		return xstrdup("");
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

/* Whether the text of f (name, address, vendor, model, state) holds
 * the filter. */
static bool
ct_found_matches(const char *filter, const struct wdraft_found *f)
{
	const char *cells[5];
	char *addr = ct_addr(f);
	bool ok = false;
	int k;

	cells[0] = f->camera != NULL ? f->camera : "";
	cells[1] = addr;
	cells[2] = f->manufacturer != NULL ? f->manufacturer :
	    f->scope_name != NULL ? f->scope_name : "";
	cells[3] = f->model != NULL ? f->model : "";
	cells[4] = ui_camtable_state(f);
	for (k = 0; k < 5 && !ok; k++)
		ok = ct_has(cells[k], filter);
	free(addr);
	return ok;
}

/* Whether camera f passes the filter. */
bool
ui_camtable_matches(const struct ui_camtable *t, const struct wdraft_found *f)
{
	return t->filter[0] == '\0' || ct_found_matches(t->filter, f);
}

/* Whether camera i passes the filter, the step's columns included. */
static bool
ct_row_matches(const struct ui_camtable *t, const struct wdraft_cams *c,
    size_t i)
{
	char *s;
	bool ok;
	int k;

	if (ui_camtable_matches(t, &c->v[i]))
		return true;
	for (k = 0, ok = false; k < t->nextra && !ok; k++) {
		s = ct_cell(t, c, i, COL_X0 + k);
		ok = ct_has(s, t->filter);
		free(s);
	}
	return ok;
}

/* The indices of the rows shown (filtered; ROW_ALL for the "All
 * cameras" row); the caller frees them. */
static size_t *
ct_rows(const struct ui_camtable *t, const struct wdraft_cams *c,
    size_t *n)
{
	size_t *v = xreallocarray(NULL, c->n + 2, sizeof *v), i;

	*n = 0;
	if (t->all != NULL)
		v[(*n)++] = ROW_ALL;
	for (i = 0; i < c->n; i++)
		if (ct_row_matches(t, c, i))
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
		r = v[t->cursor] == ROW_ALL ? UI_CAMTABLE_ALL : v[t->cursor];
	free(v);
	return r;
}

void
ui_camtable_select(struct ui_camtable *t, const struct wdraft_cams *c,
    size_t i)
{
	size_t n, *v, k;

	t->filter[0] = '\0';
	t->filtering = false;
	v = ct_rows(t, c, &n);
	for (k = 0; k < n; k++)
		if ((v[k] == ROW_ALL && i == UI_CAMTABLE_ALL) || v[k] == i) {
			t->cursor = (int)k;
			break;
		}
	free(v);
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
	case COL_STATE:
		return _("STATE");
	default:
		return "";
	}
}

/* A heading of table t. */
static const char *
ct_heading(const struct ui_camtable *t, int col)
{
	if (col >= COL_X0)
		return col - COL_X0 < t->nextra ? t->extra_head[col - COL_X0] :
		    "";
	return ct_head(col);
}

/* Is column col of t drawn at all? */
static bool
ct_shown(const struct ui_camtable *t, int col)
{
	switch (col) {
	case COL_TICK:
		return t->ticks;
	case COL_NAME:
		return t->names;
	case COL_ADDR:
		return !(t->hide & UI_CT_ADDR);
	case COL_VENDOR:
		return !(t->hide & UI_CT_VENDOR);
	case COL_MODEL:
		return !(t->hide & UI_CT_MODEL);
	case COL_STATE:
		return !(t->hide & UI_CT_STATE);
	default:
		return col - COL_X0 < t->nextra;
	}
}

/* Which columns give way first: vendor, model, state and the name, then
 * the step's own columns, the address last. */
static int
ct_class(int col)
{
	return col == COL_ADDR ? 2 : col >= COL_X0 ? 1 : 0;
}

/* Fit the columns into W: natural widths, then the widest column of the
 * first class that can still give (ct_class) gives a column at a time
 * until the row fits. */
static void
ct_fit(const struct ui_camtable *t, const struct wdraft_cams *c,
    const size_t *v, size_t n, int W, int width[NCOL])
{
	static const int minw[COL_X0] = { 3, 6, 9, 5, 8, 6 };
	int col, total, best, k;
	size_t i;
	char *s;

	for (col = 0; col < NCOL; col++)
		width[col] = ct_shown(t, col) ?
		    vg_text_width(ct_heading(t, col)) : 0;
	for (i = 0; i < n; i++)
		for (col = 0; col < NCOL; col++) {
			if (v[i] == ROW_ALL || !ct_shown(t, col))
				continue;
			s = ct_cell(t, c, v[i], col);
			if (vg_text_width(s) > width[col])
				width[col] = vg_text_width(s);
			free(s);
		}
	for (col = 0; col < NCOL; col++)
		if (ct_shown(t, col) && width[col] < 1)
			width[col] = 1;
	for (;;) {
		total = -1;
		for (col = 0; col < NCOL; col++)
			if (width[col] > 0)
				total += width[col] + 1;
		if (total <= W)
			break;
		best = -1;
		for (k = 0; k < 3 && best < 0; k++)
			for (col = 1; col < NCOL; col++) {
				if (ct_class(col) != k || width[col] <=
				    (col < COL_X0 ? minw[col] : 8))
					continue;
				if (best < 0 || width[col] > width[best])
					best = col;
			}
		if (best < 0)
			break;
		width[best]--;
	}
}

/* Draw one row of cells at y: the headings (i == (size_t)-2), the "All
 * cameras" row (ROW_ALL) or camera i. */
static void
ct_draw_row(const struct ui_camtable *t, WINDOW *win, int y, int x, int W,
    const int width[NCOL], const struct wdraft_cams *c, size_t i)
{
	int col, used = 0;
	char *s;

	if (i == ROW_ALL) {
		used = width[COL_TICK] > 0 ? width[COL_TICK] + 1 : 0;
		ui_put_clipped(win, y, x + used, t->all, W - used);
		return;
	}
	for (col = 0; col < NCOL; col++) {
		if (width[col] <= 0 || used >= W)
			continue;
		s = i == (size_t)-2 ? xstrdup(ct_heading(t, col)) :
		    ct_cell(t, c, i, col);
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
	int width[NCOL], rows = h - 2, r, a;
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
	ct_draw_row(t, win, y, x, W, width, c, (size_t)-2);
	wattroff(win, A_BOLD);
	for (r = 0, i = (size_t)t->top; r < rows && i < n; r++, i++) {
		a = v[i] != ROW_ALL && t->row_attr != NULL ?
		    t->row_attr(t->arg, v[i]) : A_NORMAL;
		if (cursor && (int)i == t->cursor)
			a |= A_REVERSE;
		wattron(win, a);
		ct_draw_row(t, win, y + 1 + r, x, W, width, c, v[i]);
		wattroff(win, a);
	}
	if (t->filtering)
		/* TRANSLATORS: the filter line of the camera table */
		xasprintf(&line, _("Filter: %s_  (Enter keeps it, Esc "
		    "clears it)"), t->filter);
	else if (t->filter[0] != '\0')
		xasprintf(&line, P_("Filter \"%s\": %zu of %zu camera.  "
		    "/ changes it.", "Filter \"%s\": %zu of %zu cameras.  "
		    "/ changes it.", c->n), t->filter, n - (t->all != NULL),
		    c->n);
	else if (n > (size_t)rows && t->passive)
		/* TRANSLATORS: under a camera table below fields; %d are
		 * the rows above and below the ones shown */
		xasprintf(&line, _("%d above, %d more below; Down from the "
		    "last field scrolls them."), t->top,
		    (int)n - t->top - rows);
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

/* ---- choosing a camera in a pop-up table ---------------------------- */

struct ct_popup {
	WINDOW *win;
	PANEL *pan;
};

static void
ct_popup_free(struct ct_popup *p)
{
	if (p->pan != NULL)
		del_panel(p->pan);
	if (p->win != NULL)
		delwin(p->win);
	memset(p, 0, sizeof *p);
}

/* A boxed window over the step's area (under the title, the step's line
 * and its rule; over the status line); false if it cannot fit. */
static bool
ct_popup_build(struct ct_popup *p)
{
	int h = LINES - 4, w = COLS - 2;

	if (h < 8 || w < 30)
		return false;
	p->win = newwin(h, w, 3, 1);
	if (p->win == NULL)
		return false;
	keypad(p->win, TRUE);
	wtimeout(p->win, 100);
	p->pan = new_panel(p->win);
	return true;
}

static void
ct_popup_draw(struct ct_popup *p, const char *title, struct ui_camtable *t,
    const struct wdraft_cams *c)
{
	int h = getmaxy(p->win), w = getmaxx(p->win);

	werase(p->win);
	box(p->win, 0, 0);
	wattron(p->win, A_BOLD);
	ui_put_clipped(p->win, 0, 2, title, w - 4);
	wattroff(p->win, A_BOLD);
	ui_camtable_draw(t, p->win, 1, 2, h - 3, w - 4, c, true);
	wattron(p->win, tui_attr(UI_PAIR_DIM));
	/* TRANSLATORS: under the camera table where one camera is chosen */
	ui_put_clipped(p->win, h - 2, 2, _("Enter chooses, Esc goes back, / "
	    "filters."), w - 4);
	wattroff(p->win, tui_attr(UI_PAIR_DIM));
}

int
ui_camtable_pick(const struct ui_modal *m, const char *title,
    struct ui_camtable *t, const struct wdraft_cams *c, int current)
{
	struct ct_popup p = { 0 };
	size_t cur;
	int ret = -1, r;
	wint_t ch;

	ui_camtable_select(t, c, current <= 0 ? UI_CAMTABLE_ALL :
	    (size_t)(current - 1));
	if (!ct_popup_build(&p))
		goto out;
	for (;;) {
		ct_popup_draw(&p, title, t, c);
		update_panels();
		doupdate();
		r = wget_wch(p.win, &ch);
		if (tui_quit_requested())
			break;
		if (r == ERR) {
			if (m != NULL && m->tick != NULL)
				m->tick(m->arg);
			continue;
		}
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
			ct_popup_free(&p);
			if (m != NULL && m->redraw != NULL)
				m->redraw(m->arg);
			if (!ct_popup_build(&p))
				break;
			continue;
		}
		if (!t->filtering && r == OK && ch == 27)
			break;
		if (!t->filtering && ((r == OK && (ch == '\r' || ch == '\n' ||
		    ch == ' ')) || (r == KEY_CODE_YES && ch == KEY_ENTER))) {
			cur = ui_camtable_current(t, c);
			if (cur == UI_CAMTABLE_ALL)
				ret = 0;
			else if (cur != (size_t)-1)
				ret = (int)cur + 1;
			else
				continue;
			break;
		}
		ui_camtable_key(t, (int)ch, r == KEY_CODE_YES, c);
	}
out:
	ct_popup_free(&p);
	update_panels();
	if (m != NULL && m->redraw != NULL)
		m->redraw(m->arg);
	return ret;
}

/* What the own column's cells read. */
struct camtable_own {
	struct wizard *w;
	const struct vg_strlist *own;
};

/* The own column: the camera's own settings, or the shared ones. */
static char *
camtable_own_cell(void *arg, size_t i, int col)
{
	const struct camtable_own *o = arg;

	(void)col;
	if (i >= o->w->draft->ncameras)
		return xstrdup("");
	/* TRANSLATORS: a camera's password or encoder in the "Cameras"
	 * table: its own, or the one of all cameras; keep them short */
	return xstrdup(wdraft_own(o->own, o->w->draft->cameras[i].name) ?
	    _("its own") : _("shared"));
}

/* A step's "Cameras" choice (see wizard.h). */
int
ui_camtable_pick_own(struct wizard *w, const char *title,
    struct ui_camtable *t, const char *head, const struct vg_strlist *own,
    int current)
{
	struct camtable_own o = { .w = w, .own = own };
	struct wdraft_cams view;
	int i;

	wdraft_cams_view(w->draft, &w->cams, &view);
	t->names = true;
	t->all = _("All cameras");
	t->nextra = 1;
	t->extra_head[0] = head;
	t->extra_cell = camtable_own_cell;
	t->arg = &o;
	i = ui_camtable_pick(&w->modal, title, t, &view, current);
	t->arg = NULL;
	wdraft_view_clear(&view);
	return i;
}
