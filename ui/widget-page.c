/* widget-page.c - a step's page of fields (form library).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page lays out its visible fields one per row (label column, field
 * column), with the core's diagnostic for a field wrapped under it and a
 * policy line under a password.  The form holds only the rows that fit;
 * the page scrolls to keep the focused field on screen.
 *
 * Values live in the draft, never in the widgets: each keystroke is read
 * back from the form and written to the draft, the draft is validated
 * and the page is rebuilt from it.  That is what makes Back, a resize or
 * a language change lose nothing.  Password fields are not edited by the
 * form at all: the form only ever holds one '*' per character.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "i18n.h"
#include "wizard.h"

#define HINT_ROWS 2		/* rows at the bottom of the body for hints */
#define DIAG_ROWS 3		/* at most this many rows per diagnostic */
#define FIELD_MAX_W 56		/* widest field, in columns */
#define TEXT_MAX 1024		/* longest value typed into a field */

#define BASEF(w, f, T) ((T *)(void *)((char *)page_base(w) + (f)->off))

/* The current step's page definition. */
static const struct ui_page_def *
page_def(struct wizard *w)
{
	return w->steps[w->cur]->page;
}

/* The struct the current page's offsets point into. */
static void *
page_base(struct wizard *w)
{
	return page_def(w)->base != NULL ? page_def(w)->base(w) : NULL;
}

/* Full key path of a field; caller frees. */
static char *
field_path(struct wizard *w, const struct ui_field *f)
{
	char *pre, *p;

	if (f->path == NULL)
		return NULL;
	if (f->path[0] != '.')
		return xstrdup(f->path);
	pre = page_def(w)->prefix != NULL ? page_def(w)->prefix(w) :
	    xstrdup("");
	xasprintf(&p, "%s%s", pre, *pre != '\0' ? f->path : f->path + 1);
	free(pre);
	return p;
}

/* Whether a field is shown now. */
static bool
field_shown(struct wizard *w, const struct ui_field *f)
{
	return f->shown == NULL || f->shown(w);
}

/* Whether a normalised diagnostic path belongs to a key path. */
static bool
path_matches(const char *norm, const char *path)
{
	size_t n = strlen(path);

	if (strncmp(norm, path, n) != 0)
		return false;
	return norm[n] == '\0' || norm[n] == '[' || strcmp(norm + n,
	    "_file") == 0;
}

/* The first diagnostic of the draft at path (normalised). */
const struct vg_diag *
page_diag_for(struct wizard *w, const char *path)
{
	size_t i;
	char *norm;
	bool hit;

	for (i = 0; path != NULL && i < w->diags.n; i++) {
		norm = wdraft_path_norm(w->diags.v[i].path);
		hit = path_matches(norm, path);
		free(norm);
		if (hit)
			return &w->diags.v[i];
	}
	return NULL;
}

/* The diagnostic shown under a field, or NULL. */
static const struct vg_diag *
field_diag(struct wizard *w, const struct ui_field *f)
{
	const struct vg_diag *d;
	char *p = field_path(w, f);

	d = page_diag_for(w, p);
	free(p);
	if (d == NULL && f->alias != NULL)
		d = page_diag_for(w, f->alias);
	return d;
}

/* ---- values -------------------------------------------------------------- */

/* A field's value as text; caller frees. */
static char *
field_get_text(struct wizard *w, const struct ui_field *f)
{
	const char *s;
	char *out;
	int v;

	switch (f->vtype) {
	case UV_STR:
		s = *BASEF(w, f, char *);
		return xstrdup(s != NULL ? s : "");
	case UV_INT:
		v = *BASEF(w, f, int);
		if (v == 0 && (f->flags & UF_ZERO_EMPTY))
			return xstrdup("");
		xasprintf(&out, "%d", v);
		return out;
	case UV_SECRET:
		s = BASEF(w, f, struct vg_secret)->value;
		return xstrdup(s != NULL ? s : "");
	case UV_LIST:
		return wdraft_list_join(BASEF(w, f, struct vg_strlist));
	case UV_CUSTOM:
		if (f->get_text != NULL)
			return f->get_text(w);
		break;
	default:
		break;
	}
	return xstrdup("");
}

/* Store text into a field's value. */
static void
field_set_text(struct wizard *w, const struct ui_field *f, const char *text)
{
	char **sp;

	switch (f->vtype) {
	case UV_STR:
		sp = BASEF(w, f, char *);
		free(*sp);
		*sp = *text != '\0' ? xstrdup(text) : NULL;
		break;
	case UV_INT:
		*BASEF(w, f, int) = (int)strtol(text, NULL, 10);
		break;
	case UV_SECRET:
		wdraft_secret_set(BASEF(w, f, struct vg_secret), text);
		break;
	case UV_LIST:
		wdraft_list_set(BASEF(w, f, struct vg_strlist), text);
		break;
	case UV_CUSTOM:
		if (f->set_text != NULL)
			f->set_text(w, text);
		break;
	default:
		break;
	}
}

/* A choice or check value. */
static int
field_get_int(struct wizard *w, const struct ui_field *f)
{
	switch (f->vtype) {
	case UV_BOOL:
		return *BASEF(w, f, bool);
	case UV_INT:
	case UV_ENUM:
		return *BASEF(w, f, int);
	case UV_CUSTOM:
		return f->get_int != NULL ? f->get_int(w) : 0;
	default:
		return 0;
	}
}

/* Store a choice or check value. */
static void
field_set_int(struct wizard *w, const struct ui_field *f, int v)
{
	switch (f->vtype) {
	case UV_BOOL:
		*BASEF(w, f, bool) = v != 0;
		break;
	case UV_INT:
	case UV_ENUM:
		*BASEF(w, f, int) = v;
		break;
	case UV_CUSTOM:
		if (f->set_int != NULL)
			f->set_int(w, v);
		break;
	default:
		break;
	}
}

/* Number of labels of a choice field. */
static int
choice_count(const struct ui_field *f)
{
	int n = 0;

	while (f->choices[n] != NULL)
		n++;
	return n;
}

/* Index of the current value among a choice field's values (0 if the
 * value is not one of them). */
static int
choice_index(struct wizard *w, const struct ui_field *f)
{
	int v = field_get_int(w, f), i, n = choice_count(f);

	for (i = 0; i < n; i++)
		if ((f->values != NULL ? f->values[i] : i) == v)
			return i;
	return 0;
}

/* Set a choice field to its i-th value. */
static void
choice_set(struct wizard *w, const struct ui_field *f, int i)
{
	field_set_int(w, f, f->values != NULL ? f->values[i] : i);
}

/* Characters in a UTF-8 string. */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* What the form shows for a field; caller frees. */
static char *
field_display(struct wizard *w, const struct ui_field *f)
{
	const struct vg_secret *sec;
	char *s, *out;
	size_t n;

	switch (f->kind) {
	case UI_SECRET:
		sec = BASEF(w, f, struct vg_secret);
		if (sec->file != NULL) {
			/* TRANSLATORS: shown in a password field whose value
			 * comes from a file; %s is the file name */
			xasprintf(&out, _("(from file %s)"), sec->file);
			return out;
		}
		n = sec->value != NULL ? utf8_chars(sec->value) : 0;
		out = xmalloc(n + 1);
		memset(out, '*', n);
		out[n] = '\0';
		return out;
	case UI_CHOICE:
		xasprintf(&out, "< %s >", _(f->choices[choice_index(w, f)]));
		return out;
	case UI_CHECK:
		return xstrdup(field_get_int(w, f) ? "[x]" : "[ ]");
	default:
		s = field_get_text(w, f);
		return s;
	}
}

/* ---- layout -------------------------------------------------------------- */

/* Rows a field takes at this width (field, diagnostic, policy line). */
static int
field_rows(struct wizard *w, int i, int dw)
{
	const struct ui_field *f = &page_def(w)->fields[i];
	struct ui_page *pg = wizard_page(w);
	const struct vg_diag *d;
	int rows = 1;

	if ((pg->all_touched || pg->touched[i]) && (d = field_diag(w, f)))
		rows += ui_wrap(NULL, 0, 0, dw, DIAG_ROWS, d->msg, 0);
	if (f->kind == UI_SECRET)
		rows++;
	return rows;
}

/* The policy line under a password field; static storage. */
static const char *
secret_policy(struct wizard *w, const struct ui_field *f)
{
	static char buf[256];
	const struct vg_secret *sec = BASEF(w, f, struct vg_secret);
	static const char *const levels[] = {
		/* TRANSLATORS: password strength levels */
		N_("weak"), N_("fair"), N_("good"), N_("strong"),
	};
	size_t n = sec->value != NULL ? utf8_chars(sec->value) : 0;

	if (sec->file != NULL)
		return _("Typing replaces the file reference with the typed "
		    "value.");
	if (f->flags & UF_STRENGTH) {
		/* TRANSLATORS: %zu is a count; %s is weak/fair/good/strong */
		snprintf(buf, sizeof buf, P_("%zu character, never shown; "
		    "strength: %s", "%zu characters, never shown; strength: %s",
		    n), n, _(levels[wdraft_secret_strength(sec->value)]));
		return buf;
	}
	snprintf(buf, sizeof buf, P_("%zu character, never shown",
	    "%zu characters, never shown", n), n);
	return buf;
}

/* Free the form of the current page. */
static void
page_free_form(struct wizard *w)
{
	struct ui_page *pg = wizard_page(w);
	size_t i, n = page_def(w)->nfields;

	if (pg->form != NULL) {
		unpost_form(pg->form);
		free_form(pg->form);
		pg->form = NULL;
	}
	for (i = 0; pg->ff != NULL && i < n; i++)
		if (pg->ff[i] != NULL)
			free_field(pg->ff[i]);
	free(pg->ff);
	pg->ff = NULL;
	free(pg->list);	/* the form kept it until free_form() */
	pg->list = NULL;
	free(pg->row);
	pg->row = NULL;
	if (pg->sub != NULL)
		delwin(pg->sub);
	pg->sub = NULL;
}

/* Draw the label column, diagnostics and policy lines, hints and extra. */
static void
page_decorate(struct wizard *w, int lw, int fx, int bottom)
{
	const struct ui_page_def *def = page_def(w);
	struct ui_page *pg = wizard_page(w);
	const struct ui_field *f;
	const struct vg_diag *d;
	WINDOW *b = w->body;
	int W = getmaxx(b), H = getmaxy(b), y, i, a, dw = W - fx - 1;
	const char *hint;

	if (def->intro != NULL && H > 12)
		ui_wrap(b, 0, 1, W - 2, 3, _(def->intro), A_NORMAL);
	for (i = 0; i < (int)def->nfields; i++) {
		if ((y = pg->row[i]) < 0)
			continue;
		f = &def->fields[i];
		d = pg->all_touched || pg->touched[i] ? field_diag(w, f) :
		    NULL;
		a = d != NULL ? tui_attr(UI_PAIR_ERROR) : A_NORMAL;
		if (i == pg->focus)
			a |= A_BOLD;
		if (d != NULL)
			mvwaddstr(b, y, 0, "!");
		wattron(b, a);
		ui_put_clipped(b, y, 1, _(f->label), lw);
		wattroff(b, a);
		if (i == pg->focus)
			mvwaddstr(b, y, fx - 2, ">");
		y++;
		if (d != NULL)
			y += ui_wrap(b, y, fx, dw, DIAG_ROWS, d->msg,
			    tui_attr(UI_PAIR_ERROR));
		if (f->kind == UI_SECRET)
			ui_put_clipped(b, y, fx, secret_policy(w, f), dw);
	}
	if (pg->top > 0)
		mvwaddstr(b, pg->row[pg->top] >= 0 ? pg->row[pg->top] : 0,
		    W - 1, "^");
	if (bottom < 0)
		mvwaddstr(b, H - HINT_ROWS - 1, W - 1, "v");
	if (def->extra != NULL && bottom >= 0 && bottom < H - HINT_ROWS)
		def->extra(w, b, bottom + 1, H - HINT_ROWS - bottom - 1, W - 2);
	f = &def->fields[pg->focus];
	hint = f->hint != NULL ? _(f->hint) : NULL;
	if (hint == NULL && f->kind == UI_CHOICE)
		hint = _("Left and Right change it; Enter lists the choices.");
	else if (hint == NULL && f->kind == UI_CHECK)
		hint = _("Space switches it on or off.");
	if (hint != NULL)
		ui_wrap(b, H - HINT_ROWS, 1, W - 2, HINT_ROWS, hint,
		    tui_attr(UI_PAIR_DIM));
}

/* The focused field must be visible: move it to a shown field. */
static void
page_fix_focus(struct wizard *w)
{
	const struct ui_page_def *def = page_def(w);
	struct ui_page *pg = wizard_page(w);
	int i, n = (int)def->nfields;

	if (pg->focus >= n)
		pg->focus = n - 1;
	if (field_shown(w, &def->fields[pg->focus]))
		return;
	for (i = pg->focus; i < n; i++)
		if (field_shown(w, &def->fields[i])) {
			pg->focus = i;
			return;
		}
	for (i = pg->focus; i >= 0; i--)
		if (field_shown(w, &def->fields[i])) {
			pg->focus = i;
			return;
		}
}

/* Build the form for the current size, focus and values. */
void
page_rebuild(struct wizard *w)
{
	const struct ui_page_def *def = page_def(w);
	struct ui_page *pg = wizard_page(w);
	const struct ui_field *f;
	WINDOW *b = w->body;
	int W = getmaxx(b), H = getmaxy(b), n = (int)def->nfields;
	int lw = 0, fx, fw, y0, avail, used, i, col = 0, *rows;
	FIELD **list;
	size_t nl = 0;
	char *text;

	if (pg->form != NULL && pg->ff[pg->focus] != NULL &&
	    current_field(pg->form) == pg->ff[pg->focus] &&
	    (def->fields[pg->focus].kind == UI_TEXT ||
	    def->fields[pg->focus].kind == UI_NUMBER))
		col = pg->form->begincol + pg->form->curcol;
	page_free_form(w);
	werase(b);
	page_fix_focus(w);
	y0 = 0;
	if (def->intro != NULL && H > 12)
		y0 = ui_wrap(NULL, 0, 1, W - 2, 3, _(def->intro), 0) + 1;
	for (i = 0; i < n; i++)
		if (field_shown(w, &def->fields[i]) &&
		    vg_text_width(_(def->fields[i].label)) > lw)
			lw = vg_text_width(_(def->fields[i].label));
	if (lw > W / 3)
		lw = W / 3;
	fx = 1 + lw + 3;
	fw = W - fx - 2;
	if (fw > FIELD_MAX_W)
		fw = FIELD_MAX_W;
	if (fw < 4)
		fw = 4;
	avail = H - y0 - HINT_ROWS;
	rows = xcalloc((size_t)n, sizeof *rows);
	for (i = 0; i < n; i++)
		rows[i] = field_shown(w, &def->fields[i]) ?
		    field_rows(w, i, W - fx - 1) : 0;
	/* scroll so that the focused field fits */
	if (pg->focus < pg->top)
		pg->top = pg->focus;
	for (;;) {
		for (used = 0, i = pg->top; i <= pg->focus; i++)
			used += rows[i];
		if (used <= avail || pg->top >= pg->focus)
			break;
		pg->top++;
	}
	pg->row = xmalloc((size_t)n * sizeof *pg->row);
	pg->ff = xcalloc((size_t)n, sizeof *pg->ff);
	list = xcalloc((size_t)n + 1, sizeof *list);
	pg->sub = derwin(b, H, W, 0, 0);
	used = y0;
	for (i = 0; i < n; i++) {
		pg->row[i] = -1;
		if (rows[i] == 0 || i < pg->top)
			continue;
		if (used + rows[i] > y0 + avail) {
			used = -1;	/* more below */
			break;
		}
		f = &def->fields[i];
		pg->row[i] = used;
		pg->ff[i] = new_field(1, fw, used, fx, 0, 0);
		if (pg->ff[i] == NULL)
			break;
		field_opts_off(pg->ff[i], O_AUTOSKIP);
		if (f->kind == UI_TEXT || f->kind == UI_NUMBER) {
			field_opts_off(pg->ff[i], O_STATIC | O_BLANK);
			set_max_field(pg->ff[i], f->kind == UI_NUMBER ? 9 :
			    TEXT_MAX);
			set_field_back(pg->ff[i], A_UNDERLINE);
		} else {
			field_opts_off(pg->ff[i], O_EDIT);
			set_field_back(pg->ff[i], i == pg->focus ? A_REVERSE :
			    A_NORMAL);
		}
		if (i == pg->focus && pg->raw != NULL && pg->raw_field == i)
			set_field_buffer(pg->ff[i], 0, pg->raw);
		else {
			text = field_display(w, f);
			if (f->kind != UI_TEXT && f->kind != UI_NUMBER) {
				/* a choice too long for the field is cut
				 * with "…", its brackets kept */
				char *fit;

				if (f->kind == UI_CHOICE) {
					char *lab = ui_fit(_(f->choices[
					    choice_index(w, f)]), fw - 4);

					xasprintf(&fit, "< %s >", lab);
					free(lab);
				} else
					fit = ui_fit(text, fw);
				free(text);
				text = fit;
			}
			set_field_buffer(pg->ff[i], 0, text);
			free(text);
		}
		list[nl++] = pg->ff[i];
		used += rows[i];
	}
	free(rows);
	pg->nrows = used;
	if (nl > 0) {
		pg->form = new_form(list);
		form_opts_off(pg->form, O_BS_OVERLOAD | O_NL_OVERLOAD);
		set_form_win(pg->form, b);
		set_form_sub(pg->form, pg->sub);
		post_form(pg->form);
		if (pg->ff[pg->focus] != NULL) {
			set_current_field(pg->form, pg->ff[pg->focus]);
			form_driver(pg->form, REQ_BEG_FIELD);
			if (col == 0)
				form_driver(pg->form, REQ_END_LINE);
			while (col-- > 0)
				form_driver(pg->form, REQ_NEXT_CHAR);
		}
	}
	pg->list = list;
	page_decorate(w, lw, fx, used);
}

/* Place (or hide) the terminal cursor for the focused field. */
void
page_place_cursor(struct wizard *w)
{
	struct ui_page *pg = wizard_page(w);
	enum ui_kind k;

	if (pg->form == NULL || pg->ff[pg->focus] == NULL) {
		curs_set(0);
		return;
	}
	k = page_def(w)->fields[pg->focus].kind;
	curs_set(k == UI_TEXT || k == UI_NUMBER ? 1 : 0);
	pos_form_cursor(pg->form);
}

/* ---- step hooks ---------------------------------------------------------- */

/* Build the page. */
void
page_enter(struct wizard *w)
{
	page_rebuild(w);
}

/* The body keeps what page_rebuild() drew; nothing more to draw. */
void
page_draw(struct wizard *w)
{
	(void)w;
}

/* Free the form; the values are in the draft. */
void
page_leave(struct wizard *w)
{
	free(wizard_page(w)->raw);
	wizard_page(w)->raw = NULL;
	page_free_form(w);
	curs_set(0);
}

/* Move the focus by dir over shown fields; false at either end. */
static bool
page_move(struct wizard *w, int dir, bool wrap)
{
	const struct ui_page_def *def = page_def(w);
	struct ui_page *pg = wizard_page(w);
	int n = (int)def->nfields, i = pg->focus, k;

	for (k = 0; k < n; k++) {
		i += dir;
		if (i < 0 || i >= n) {
			if (!wrap)
				return false;
			i = i < 0 ? n - 1 : 0;
		}
		if (field_shown(w, &def->fields[i])) {
			pg->focus = i;
			free(pg->raw);
			pg->raw = NULL;
			page_rebuild(w);
			return true;
		}
	}
	return false;
}

/* A value changed: validate, mark, redraw. */
static void
page_changed(struct wizard *w)
{
	struct ui_page *pg = wizard_page(w);

	pg->touched[pg->focus] = 1;
	wizard_changed(w);
	page_rebuild(w);
}

/* Read the focused text field back into the draft. */
static void
page_commit_text(struct wizard *w)
{
	struct ui_page *pg = wizard_page(w);
	const struct ui_field *f = &page_def(w)->fields[pg->focus];
	char *buf, *e;

	form_driver(pg->form, REQ_VALIDATION);
	buf = xstrdup(field_buffer(pg->ff[pg->focus], 0));
	e = buf + strlen(buf);
	while (e > buf && e[-1] == ' ')
		*--e = '\0';
	field_set_text(w, f, buf);
	free(pg->raw);
	pg->raw = buf;
	pg->raw_field = pg->focus;
	page_changed(w);
}

/* Append a character to, or remove the last one from, a password. */
static void
page_secret_edit(struct wizard *w, const struct ui_field *f, wint_t ch,
    bool del, bool clear)
{
	struct vg_secret *sec = BASEF(w, f, struct vg_secret);
	char mb[MB_LEN_MAX + 1], *s;
	mbstate_t st;
	size_t n, len;

	s = xstrdup(sec->value != NULL && sec->file == NULL ? sec->value : "");
	len = strlen(s);
	if (clear)
		len = 0;
	else if (del) {
		while (len > 0 && ((unsigned char)s[len - 1] & 0xc0) == 0x80)
			len--;
		if (len > 0)
			len--;
	} else {
		memset(&st, 0, sizeof st);
		n = wcrtomb(mb, (wchar_t)ch, &st);
		if (n == (size_t)-1 || len + n > TEXT_MAX) {
			vg_secret_free(s);
			return;
		}
		s = xrealloc(s, len + n + 1);
		memcpy(s + len, mb, n);
		len += n;
	}
	s[len] = '\0';
	wdraft_secret_set(sec, s);
	vg_secret_free(s);
	page_changed(w);
}

/* A key on a page. */
int
page_key(struct wizard *w, int ch, bool is_key)
{
	const struct ui_page_def *def = page_def(w);
	struct ui_page *pg = wizard_page(w);
	const struct ui_field *f = &def->fields[pg->focus];
	bool text = f->kind == UI_TEXT || f->kind == UI_NUMBER;
	const char **labels;
	int i, n, req = -1;

	if (pg->form == NULL)
		return WK_UNHANDLED;
	if ((is_key && ch == KEY_DOWN) || (!is_key && ch == '\t')) {
		page_move(w, 1, !is_key);
		return WK_HANDLED;
	}
	if (is_key && (ch == KEY_UP || ch == KEY_BTAB)) {
		page_move(w, -1, ch == KEY_BTAB);
		return WK_HANDLED;
	}
	if ((!is_key && (ch == '\r' || ch == '\n')) || (is_key &&
	    ch == KEY_ENTER)) {
		if (f->kind == UI_CHOICE || f->kind == UI_CHECK)
			goto activate;
		return page_move(w, 1, false) ? WK_HANDLED : WK_NEXT;
	}
	switch (f->kind) {
	case UI_CHOICE:
		n = choice_count(f);
		if (is_key && (ch == KEY_LEFT || ch == KEY_RIGHT)) {
			i = (choice_index(w, f) + (ch == KEY_LEFT ? n - 1 :
			    1)) % n;
			choice_set(w, f, i);
			page_changed(w);
			return WK_HANDLED;
		}
		if (!is_key && ch == ' ')
			goto activate;
		return WK_UNHANDLED;
	case UI_CHECK:
		if (!is_key && ch == ' ')
			goto activate;
		return WK_UNHANDLED;
	case UI_SECRET:
		if (is_key && ch == KEY_BACKSPACE)
			page_secret_edit(w, f, 0, true, false);
		else if (!is_key && (ch == 127 || ch == 8))
			page_secret_edit(w, f, 0, true, false);
		else if (!is_key && ch == 21)	/* ^U */
			page_secret_edit(w, f, 0, false, true);
		else if (!is_key && ch >= ' ')
			page_secret_edit(w, f, (wint_t)ch, false, false);
		else
			return WK_UNHANDLED;
		return WK_HANDLED;
	default:
		break;
	}
	if (!text)
		return WK_UNHANDLED;
	if (is_key) {
		switch (ch) {
		case KEY_BACKSPACE:
			req = REQ_DEL_PREV;
			break;
		case KEY_DC:
			req = REQ_DEL_CHAR;
			break;
		case KEY_LEFT:
			req = REQ_PREV_CHAR;
			break;
		case KEY_RIGHT:
			req = REQ_NEXT_CHAR;
			break;
		case KEY_HOME:
			req = REQ_BEG_LINE;
			break;
		case KEY_END:
			req = REQ_END_LINE;
			break;
		default:
			return WK_UNHANDLED;
		}
		form_driver(pg->form, req);
		if (req == REQ_DEL_PREV || req == REQ_DEL_CHAR)
			page_commit_text(w);
		return WK_HANDLED;
	}
	if (ch == 127 || ch == 8)
		form_driver(pg->form, REQ_DEL_PREV);
	else if (ch == 21)	/* ^U: clear */
		form_driver(pg->form, REQ_CLR_FIELD);
	else if (ch == 11)	/* ^K: to the end */
		form_driver(pg->form, REQ_CLR_EOL);
	else if (ch == 1)	/* ^A */
		form_driver(pg->form, REQ_BEG_LINE);
	else if (ch == 5)	/* ^E */
		form_driver(pg->form, REQ_END_LINE);
	else if (ch < ' ')
		return WK_UNHANDLED;
	else if (f->kind == UI_NUMBER && (ch < '0' || ch > '9')) {
		beep();
		return WK_HANDLED;
	} else
		form_driver_w(pg->form, OK, (wchar_t)ch);
	if (ch != 1 && ch != 5)
		page_commit_text(w);
	return WK_HANDLED;
activate:
	if (f->kind == UI_CHECK) {
		field_set_int(w, f, !field_get_int(w, f));
		page_changed(w);
		return WK_HANDLED;
	}
	if (f->pick != NULL) {
		i = f->pick(w, f, choice_index(w, f));
		if (i >= 0 && i < choice_count(f)) {
			choice_set(w, f, i);
			page_changed(w);
		}
		return WK_HANDLED;
	}
	n = choice_count(f);
	labels = xcalloc((size_t)n, sizeof *labels);
	for (i = 0; i < n; i++)
		labels[i] = _(f->choices[i]);
	i = ui_menu_pick(&w->modal, _(f->label), labels, n,
	    choice_index(w, f));
	free(labels);
	if (i >= 0) {
		choice_set(w, f, i);
		page_changed(w);
	}
	return WK_HANDLED;
}

/* A scope entry with the page prefix put in; caller frees. */
static char *
scope_path(struct wizard *w, const char *scope)
{
	struct ui_field f = { .path = scope };

	if (strcmp(scope, ".") == 0)
		return page_def(w)->prefix != NULL ? page_def(w)->prefix(w) :
		    xstrdup("");
	return field_path(w, &f);
}

/* Next: every problem of this step's fields and scope must be fixed. */
bool
page_validate(struct wizard *w)
{
	const struct ui_page_def *def = page_def(w);
	struct ui_page *pg = wizard_page(w);
	const struct vg_diag *d;
	int i, first = -1;
	size_t k, j;
	char *norm, *p;
	bool mapped, hit, bad = false;

	wizard_revalidate(w);
	for (i = 0; i < (int)def->nfields; i++) {
		if (!field_shown(w, &def->fields[i]))
			continue;
		if (field_diag(w, &def->fields[i]) != NULL && first < 0)
			first = i;
	}
	/* problems in the step's scope that no shown field carries */
	for (k = 0; def->scope != NULL && k < w->diags.n; k++) {
		d = &w->diags.v[k];
		norm = wdraft_path_norm(d->path);
		for (j = 0; def->scope[j] != NULL; j++) {
			p = scope_path(w, def->scope[j]);
			hit = strncmp(norm, p, strlen(p)) == 0;
			free(p);
			if (hit)
				break;
		}
		mapped = def->scope[j] == NULL;
		for (i = 0; !mapped && i < (int)def->nfields; i++) {
			if (!field_shown(w, &def->fields[i]))
				continue;
			p = field_path(w, &def->fields[i]);
			mapped = (p != NULL && path_matches(norm, p)) ||
			    (def->fields[i].alias != NULL &&
			    path_matches(norm, def->fields[i].alias));
			free(p);
		}
		free(norm);
		if (!mapped) {
			bad = true;
			p = vg_diag_format(d);
			wizard_status(w, true, "%s", p);
			free(p);
			break;
		}
	}
	if (first < 0 && !bad)
		return true;
	pg->all_touched = true;
	if (first >= 0) {
		pg->focus = first;
		wizard_status(w, true, "%s", _("Fix the marked fields to go "
		    "on."));
	}
	page_rebuild(w);
	return false;
}
