/* widget-dialog.c - message boxes (panel library) and text wrapping.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A dialog is a boxed window in a panel above the wizard.  It waits for
 * keys with a timeout, so that it can poll running jobs, follow a resize
 * (redrawing the screen under it first) and leave on a quit signal.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "i18n.h"
#include "wizard.h"

/* Length in bytes of the longest prefix of s (up to a newline) that fits
 * in width columns, cut after a space when possible; *next is where the
 * following line starts. */
static size_t
wrap_line(const char *s, int width, const char **next)
{
	size_t end = strcspn(s, "\n"), cut = 0, i;
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int w = 0, cw;

	memset(&st, 0, sizeof st);
	for (i = 0; i < end; i += n) {
		n = mbrtowc(&wc, s + i, end - i, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof st);
			n = 1;
			cw = 1;
		} else
			cw = wcwidth(wc) > 0 ? wcwidth(wc) : 0;
		if (w + cw > width)
			break;
		w += cw;
		if (s[i] == ' ')
			cut = i;
	}
	if (i >= end) {
		*next = s[end] == '\n' ? s + end + 1 : s + end;
		return end;
	}
	if (cut == 0)
		cut = i > 0 ? i : 1;	/* one long word: break it */
	*next = s + cut;
	while (**next == ' ')
		(*next)++;
	return cut;
}

/* Write text wrapped; returns the rows used (or needed, if win is NULL). */
int
ui_wrap(WINDOW *win, int y, int x, int width, int h, const char *text,
    int attr)
{
	const char *p = text, *next;
	size_t len;
	int rows = 0;
	char *line;

	if (width < 1)
		return 0;
	while (*p != '\0' && rows < h) {
		len = wrap_line(p, width, &next);
		if (win != NULL) {
			line = xstrndup(p, len);
			/* the last row allowed, and more text after it: say
			 * so, rather than end mid-sentence */
			if (rows + 1 == h && *next != '\0') {
				char *cut;

				xasprintf(&cut, "%s%s", line, ui_ellipsis());
				free(line);
				line = cut;
			}
			wattron(win, attr);
			ui_put_clipped(win, y + rows, x, line, width);
			wattroff(win, attr);
			free(line);
		}
		rows++;
		p = next;
	}
	return rows;
}

/* Draw a box with a title. */
static void
dialog_frame(WINDOW *win, const char *title, int attr)
{
	int w = getmaxx(win), tw;

	wattron(win, attr);
	box(win, 0, 0);
	wattroff(win, attr);
	if (title != NULL) {
		tw = vg_text_width(title);
		if (tw > w - 4)
			tw = w - 4;
		wattron(win, A_BOLD | attr);
		mvwaddstr(win, 0, (w - tw - 2) / 2, " ");
		ui_put_clipped(win, 0, (w - tw) / 2, title, w - 4);
		waddstr(win, " ");
		wattroff(win, A_BOLD | attr);
	}
}

/* A message box with buttons. */
int
ui_dialog(const struct ui_modal *m, const char *title, const char *text,
    const char *const *buttons, int nbuttons, int def, bool error)
{
	WINDOW *win = NULL;
	PANEL *pan = NULL;
	int sel = def, ret = -1, i, bw, w, h, x, rows, frame;
	wint_t ch;
	int r;

	frame = error ? tui_attr(UI_PAIR_ERROR) : A_NORMAL;
	for (;;) {
		if (win == NULL) {
			bw = 0;
			for (i = 0; i < nbuttons; i++)
				bw += vg_text_width(buttons[i]) + 6;
			w = vg_text_width(text) + 4;
			if (w < bw + 4)
				w = bw + 4;
			if (w < 40)
				w = 40;
			if (w > COLS - 2)
				w = COLS - 2;
			if (w > 72)
				w = 72;
			rows = ui_wrap(NULL, 0, 0, w - 4, LINES, text, 0);
			h = rows + 4;
			if (h > LINES)
				h = LINES;
			if (w < 4 || h < 3)
				goto out;
			win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
			keypad(win, TRUE);
			wtimeout(win, 100);
			pan = new_panel(win);
		}
		werase(win);
		dialog_frame(win, title, frame);
		ui_wrap(win, 1, 2, w - 4, h - 3, text, 0);
		x = (w - bw) / 2;
		if (x < 1)
			x = 1;
		for (i = 0; i < nbuttons; i++) {
			int a = i == sel ? A_REVERSE | A_BOLD : A_NORMAL;

			/* the chosen button reads as chosen without colour
			 * or reverse video too: [ Apply ]  < Cancel > */
			wattron(win, a);
			mvwaddstr(win, h - 2, x, i == sel ? "[ " : "< ");
			x += 2 + ui_put_clipped(win, h - 2, x + 2, buttons[i],
			    w - x - 4);
			waddstr(win, i == sel ? " ]" : " >");
			wattroff(win, a);
			x += 4;
		}
		update_panels();
		doupdate();
		r = wget_wch(win, &ch);
		if (tui_quit_requested())
			goto out;
		if (r == ERR) {
			if (m != NULL && m->tick != NULL)
				m->tick(m->arg);
			continue;
		}
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
			del_panel(pan);
			delwin(win);
			win = NULL;
			if (m != NULL && m->redraw != NULL)
				m->redraw(m->arg);
			continue;
		}
		if (r == OK && ch == 27)
			goto out;
		if (r == OK && (ch == '\r' || ch == '\n' || ch == ' ')) {
			ret = sel;
			goto out;
		}
		if ((r == KEY_CODE_YES && (ch == KEY_RIGHT ||
		    ch == KEY_DOWN)) || (r == OK && ch == '\t'))
			sel = (sel + 1) % nbuttons;
		else if (r == KEY_CODE_YES && (ch == KEY_LEFT ||
		    ch == KEY_UP || ch == KEY_BTAB))
			sel = (sel + nbuttons - 1) % nbuttons;
	}
out:
	if (pan != NULL)
		del_panel(pan);
	if (win != NULL)
		delwin(win);
	update_panels();
	if (m != NULL && m->redraw != NULL)
		m->redraw(m->arg);
	return ret;
}

