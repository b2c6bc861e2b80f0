/* dashboard.h - vigiad's live dashboard: the wizard's last screen and
 * `vigia status --watch`.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A watcher thread of the core (vg_status_watch) reads the status socket
 * every second with a short deadline; the screen only takes its news, so
 * a dead or stopped vigiad never blocks a key.
 */
#ifndef VIGIA_DASHBOARD_H
#define VIGIA_DASHBOARD_H

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdbool.h>
#include <stdint.h>

#include "ui.h"
#include "daemon.h"

struct ui_dash {
	struct vg_status_watch *watch;
	char *sock;
	struct vg_status *st;	/* the last good document, or NULL */
	unsigned seq;		/* of the watcher's last news taken */
	int64_t last_ok;	/* epoch s of st */
	int64_t failing_since;	/* epoch s; 0: answering */
	int err;
	int top;		/* first camera row shown */
	int rows;		/* camera rows of the last draw */
};

/* Start watching the socket at sock (every interval_ms). */
void ui_dash_open(struct ui_dash *d, const char *sock, int interval_ms);
/* Stop the watcher and free what d holds; accepts a closed one. */
void ui_dash_close(struct ui_dash *d);
/* Take the watcher's news; true when there was some (redraw). */
bool ui_dash_poll(struct ui_dash *d);
/* Draw into rows y .. y + h - 1 of win, W columns from column x (the
 * caller erased them). */
void ui_dash_draw(struct ui_dash *d, WINDOW *win, int y, int x, int h,
    int W);
/* Up, Down, PgUp, PgDn, Home, End scroll the cameras; true if taken. */
bool ui_dash_key(struct ui_dash *d, int ch, bool is_key);

#endif /* VIGIA_DASHBOARD_H */
