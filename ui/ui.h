/* ui.h - the terminal wizard's entry point and shared drawing helpers.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ui/ includes curses, this header and libvigia.h: never gSOAP, FFmpeg, curl,
 * OpenSSL or libconfig (tests/cli/test-includes.sh checks it).
 */
#ifndef VIGIA_UI_H
#define VIGIA_UI_H

#include <stdbool.h>

/* Run the wizard on the controlling terminal; returns an exit status:
 * 0 once the configuration is written, 1 if the technician quit (or a
 * signal ended it), 2 without a terminal, 3 if the file to start from
 * cannot be loaded. */
int ui_main(void);
/* How ui_main() starts: from an existing configuration file (NULL: a new
 * one), or from the saved draft (`vigia --resume`).  The path is kept. */
void ui_set_start(const char *config_path, bool resume);
/* The wizard (ui/wizard.c): load, take the terminal, run, give it back. */
int wizard_main(const char *config_path, bool resume);
/* vigiad's live dashboard on the whole terminal (ui/dashboard.c), read
 * from the status socket at sock every interval_ms, until q or Esc;
 * returns 0 if vigiad answered last, 1 if not, 2 without a terminal. */
int ui_dashboard_main(const char *sock, int interval_ms);

#ifdef NCURSES_VERSION	/* the rest is for ui/ itself */

/* Colour pairs (all fall back to attributes without colour). */
enum ui_pair {
	UI_PAIR_TITLE = 1,
	UI_PAIR_KEY,
	UI_PAIR_DIM,
	UI_PAIR_ERROR,
};

/* Take the terminal: curses mode, colours, signal and fatal() hooks. */
int tui_start(char **cause);
/* Give the terminal back exactly as it was; safe to call twice. */
void tui_stop(void);
/* True once SIGTERM, SIGINT or SIGHUP asked the program to leave. */
bool tui_quit_requested(void);
/* Attribute for a colour pair, or a monochrome stand-in. */
int tui_attr(enum ui_pair pair);

/* Draw s at (y, x), cut to at most maxw columns with a final "…" when it
 * does not fit; returns columns used. */
int ui_put_clipped(WINDOW *win, int y, int x, const char *s, int maxw);
/* s cut to maxw columns with a final "…" (allocated). */
char *ui_fit(const char *s, int maxw);
/* "…" (or "~" in a locale without it): the mark of a cut. */
const char *ui_ellipsis(void);

#endif /* NCURSES_VERSION */
#endif /* VIGIA_UI_H */
