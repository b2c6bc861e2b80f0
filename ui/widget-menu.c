/* widget-menu.c - pop-up choice lists and checkbox lists (menu library).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both are a menu in a boxed window in a panel.  The choice list is a
 * one-value menu; the checkbox list turns O_ONEVALUE off and draws a
 * "[x]" column beside the items itself, so that the ticks read the same
 * on every terminal.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "wizard.h"

struct popup {
	WINDOW *win;
	WINDOW *sub;
	PANEL *pan;
	MENU *menu;
	ITEM **items;
	char **labels;		/* the items' text, made safe to show */
	int n;
	int rows;
	int check_w;		/* columns of the "[x] " column, 0 if none */
};

/* Free the menu and its window. */
static void
popup_free(struct popup *p)
{
	int i;

	if (p->menu != NULL) {
		unpost_menu(p->menu);
		free_menu(p->menu);
	}
	for (i = 0; p->items != NULL && i < p->n; i++)
		free_item(p->items[i]);
	free(p->items);
	for (i = 0; p->labels != NULL && i < p->n; i++)
		free(p->labels[i]);
	free(p->labels);
	if (p->pan != NULL)
		del_panel(p->pan);
	if (p->sub != NULL)
		delwin(p->sub);
	if (p->win != NULL)
		delwin(p->win);
	memset(p, 0, sizeof *p);
}

/* Build the pop-up for the current screen size; false if it cannot fit. */
static bool
popup_build(struct popup *p, const char *title, const char *const *labels,
    int n, int current, const bool *on, bool multi)
{
	int i, w = vg_text_width(title) + 4, lw, h;

	p->n = n;
	p->check_w = multi ? 4 : 0;
	for (i = 0; i < n; i++) {
		lw = vg_text_width(labels[i]) + 4 + p->check_w;
		if (lw > w)
			w = lw;
	}
	if (w > COLS - 2)
		w = COLS - 2;
	p->rows = n < LINES - 4 ? n : LINES - 4;
	h = p->rows + 2;
	if (p->rows < 1 || w < 8 + p->check_w)
		return false;
	p->items = xcalloc((size_t)n + 1, sizeof *p->items);
	p->labels = xcalloc((size_t)n, sizeof *p->labels);
	for (i = 0; i < n; i++) {
		/* labels can be camera names: controls shown as text */
		p->labels[i] = vg_text_safe(labels[i]);
		p->items[i] = new_item(p->labels[i], "");
	}
	p->menu = new_menu(p->items);
	if (multi)
		menu_opts_off(p->menu, O_ONEVALUE);
	menu_opts_off(p->menu, O_SHOWDESC);
	set_menu_mark(p->menu, multi ? "" : "> ");
	set_menu_format(p->menu, p->rows, 1);
	set_menu_fore(p->menu, A_REVERSE);
	p->win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
	keypad(p->win, TRUE);
	wtimeout(p->win, 100);
	p->sub = derwin(p->win, p->rows, w - 2 - p->check_w, 1,
	    1 + p->check_w);
	set_menu_win(p->menu, p->win);
	set_menu_sub(p->menu, p->sub);
	box(p->win, 0, 0);
	wattron(p->win, A_BOLD);
	ui_put_clipped(p->win, 0, 2, title, w - 4);
	wattroff(p->win, A_BOLD);
	post_menu(p->menu);
	for (i = 0; multi && i < n; i++)
		set_item_value(p->items[i], on[i]);
	if (current >= 0 && current < n)
		set_current_item(p->menu, p->items[current]);
	p->pan = new_panel(p->win);
	return true;
}

/* Draw the tick column of a checkbox list. */
static void
popup_ticks(struct popup *p)
{
	int top = top_row(p->menu), r;

	for (r = 0; r < p->rows && top + r < p->n; r++)
		mvwaddstr(p->win, 1 + r, 1,
		    item_value(p->items[top + r]) ? "[x]" : "[ ]");
}

/* The shared loop of both pop-ups. */
static int
popup_run(const struct ui_modal *m, const char *title,
    const char *const *labels, bool *on, int n, int current, bool multi)
{
	struct popup p = { 0 };
	int ret = -1, r, i;
	wint_t ch;

	if (n < 1 || !popup_build(&p, title, labels, n, current, on, multi))
		goto out;
	for (;;) {
		if (multi)
			popup_ticks(&p);
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
			current = item_index(current_item(p.menu));
			if (multi)
				for (i = 0; i < n; i++)
					on[i] = item_value(p.items[i]);
			popup_free(&p);
			if (m != NULL && m->redraw != NULL)
				m->redraw(m->arg);
			if (!popup_build(&p, title, labels, n, current, on,
			    multi))
				break;
			continue;
		}
		if (r == OK && ch == 27)
			break;
		if (r == OK && (ch == '\r' || ch == '\n')) {
			ret = item_index(current_item(p.menu));
			if (multi) {
				for (i = 0; i < n; i++)
					on[i] = item_value(p.items[i]);
				ret = 0;
			}
			break;
		}
		if (r == OK && ch == ' ') {
			if (multi)
				menu_driver(p.menu, REQ_TOGGLE_ITEM);
			else {
				ret = item_index(current_item(p.menu));
				break;
			}
			continue;
		}
		if (r != KEY_CODE_YES)
			continue;
		switch (ch) {
		case KEY_DOWN:
			menu_driver(p.menu, REQ_DOWN_ITEM);
			break;
		case KEY_UP:
			menu_driver(p.menu, REQ_UP_ITEM);
			break;
		case KEY_NPAGE:
			menu_driver(p.menu, REQ_SCR_DPAGE);
			break;
		case KEY_PPAGE:
			menu_driver(p.menu, REQ_SCR_UPAGE);
			break;
		case KEY_HOME:
			menu_driver(p.menu, REQ_FIRST_ITEM);
			break;
		case KEY_END:
			menu_driver(p.menu, REQ_LAST_ITEM);
			break;
		}
	}
out:
	popup_free(&p);
	update_panels();
	if (m != NULL && m->redraw != NULL)
		m->redraw(m->arg);
	return ret;
}

/* Pick one item. */
int
ui_menu_pick(const struct ui_modal *m, const char *title,
    const char *const *labels, int n, int current)
{
	return popup_run(m, title, labels, NULL, n, current, false);
}

/* Tick any number of items. */
int
ui_menu_checklist(const struct ui_modal *m, const char *title,
    const char *const *labels, bool *on, int n)
{
	return popup_run(m, title, labels, on, n, 0, true);
}
