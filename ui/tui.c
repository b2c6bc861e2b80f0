/* tui.c - the only file that calls initscr() and endwin().
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whatever happens (a normal exit, fatal(), SIGTERM, a crash signal) the
 * terminal is given back sane: tui_stop() is the fatal() hook and the crash
 * handlers call it before re-raising, as htop's CRT.c does.  Quit signals
 * only set a flag; the main loop notices it (SIGWINCH is ncurses' own
 * KEY_RESIZE).
 */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "i18n.h"
#include "ui.h"
#include "libvigia.h"

static volatile sig_atomic_t tui_quit;
static bool tui_active;
static bool tui_colour;

/* SIGTERM/SIGINT/SIGHUP: ask the main loop to leave. */
static void
tui_on_quit(int sig)
{
	tui_quit = sig;
}

/* A crash: put the terminal back, then die of the same signal. */
static void
tui_on_crash(int sig)
{
	tui_stop();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* True once a quit signal arrived. */
bool
tui_quit_requested(void)
{
	return tui_quit != 0;
}

/* Install the handlers for quit and crash signals. */
static void
tui_signals(void)
{
	static const int quit[] = { SIGTERM, SIGINT, SIGHUP };
	static const int crash[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = tui_on_quit;
	for (i = 0; i < sizeof quit / sizeof quit[0]; i++)
		sigaction(quit[i], &sa, NULL);
	sa.sa_handler = tui_on_crash;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof crash / sizeof crash[0]; i++)
		sigaction(crash[i], &sa, NULL);
}

/* Take the terminal. */
int
tui_start(char **cause)
{
	const char *nc = getenv("NO_COLOR");

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*cause = xstrdup(_("the wizard needs a terminal; run "
		    "'vigia --help' for the commands that work without one"));
		return VG_ERR_USAGE;
	}
	if (getenv("TERM") == NULL || *getenv("TERM") == '\0')
		setenv("TERM", "vt100", 1);
	tui_signals();
	vg_set_fatal_hook(tui_stop);
	initscr();
	tui_active = true;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	tui_colour = has_colors() && (nc == NULL || *nc == '\0');
	if (tui_colour) {
		start_color();
		use_default_colors();
		init_pair(UI_PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
		init_pair(UI_PAIR_KEY, COLOR_BLACK, COLOR_CYAN);
		init_pair(UI_PAIR_DIM, COLOR_CYAN, -1);
		init_pair(UI_PAIR_ERROR, COLOR_RED, -1);
	}
	return VG_OK;
}

/* Give the terminal back; safe to call more than once, and from fatal(). */
void
tui_stop(void)
{
	if (!tui_active)
		return;
	tui_active = false;
	curs_set(1);
	endwin();
	vg_set_fatal_hook(NULL);
}

/* Attribute for a colour pair, or a monochrome stand-in. */
int
tui_attr(enum ui_pair pair)
{
	if (tui_colour)
		return COLOR_PAIR(pair);
	switch (pair) {
	case UI_PAIR_TITLE:
	case UI_PAIR_KEY:
		return A_REVERSE;
	case UI_PAIR_ERROR:
		return A_BOLD;
	default:
		return A_NORMAL;
	}
}

/* The mark of a cut: an ellipsis, or '~' where the locale cannot show it. */
const char *
ui_ellipsis(void)
{
	return MB_CUR_MAX > 1 ? "\xe2\x80\xa6" : "~";
}

/* Draw s at (y, x), cut to maxw columns; returns the columns used.  When s
 * does not fit, the part that fits in maxw - 1 columns is drawn followed
 * by "…", so that a cut word never looks whole.  s may come from a
 * device: its control characters are shown as text (vg_text_safe), never
 * sent to the terminal. */
int
ui_put_clipped(WINDOW *win, int y, int x, const char *text, int maxw)
{
	char *safe = vg_text_safe(text);
	const char *s = safe;
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int w = 0, cw, full;

	if (maxw <= 0) {
		free(safe);
		return 0;
	}
	full = vg_text_width(s);
	memset(&st, 0, sizeof st);
	wmove(win, y, x);
	while (*s != '\0') {
		n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof st);
			wc = L'?';
			n = 1;
		}
		cw = wcwidth(wc);
		if (cw < 0) {
			wc = L'?';
			cw = 1;
		}
		if (w + cw > (full > maxw ? maxw - 1 : maxw))
			break;
		waddnwstr(win, &wc, 1);
		w += cw;
		s += n;
	}
	if (full > maxw) {
		waddstr(win, ui_ellipsis());
		w++;
	}
	free(safe);
	return w;
}

/* s cut to at most maxw columns, with "…" when it does not fit; the
 * caller frees it. */
char *
ui_fit(const char *s, int maxw)
{
	mbstate_t st;
	wchar_t wc;
	size_t n, len = 0;
	int w = 0, cw, lim;
	char *out;

	if (vg_text_width(s) <= maxw)
		return xstrdup(s);
	lim = maxw > 0 ? maxw - 1 : 0;
	memset(&st, 0, sizeof st);
	while (s[len] != '\0') {
		n = mbrtowc(&wc, s + len, MB_CUR_MAX, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
			break;
		cw = wcwidth(wc) > 0 ? wcwidth(wc) : 0;
		if (w + cw > lim)
			break;
		w += cw;
		len += n;
	}
	if (maxw <= 0)
		return xstrdup("");
	xasprintf(&out, "%.*s%s", (int)len, s, ui_ellipsis());
	return out;
}

static const char *ui_start_config;
static bool ui_start_resume;

/* Remember how ui_main() starts. */
void
ui_set_start(const char *config_path, bool resume)
{
	ui_start_config = config_path;
	ui_start_resume = resume;
}

/* Run the wizard. */
int
ui_main(void)
{
	return wizard_main(ui_start_config, ui_start_resume);
}
