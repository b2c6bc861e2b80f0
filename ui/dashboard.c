/* dashboard.c - vigiad's live dashboard (the wizard's last screen and
 * `vigia status --watch`).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * At the top: vigiad itself (or since when it does not answer), the disk,
 * the uploads, Label Studio and the alarms; below, a row per camera that
 * scrolls.  Rows in trouble and alarms are red.  Usable from 60x16: the
 * columns that do not fit are left out, the last one is cut with "…".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dashboard.h"
#include "i18n.h"
#include "libvigia.h"
#include "wizard.h"

/* Start watching. */
void
ui_dash_open(struct ui_dash *d, const char *sock, int interval_ms)
{
	memset(d, 0, sizeof *d);
	d->sock = xstrdup(sock);
	d->watch = vg_status_watch_start(sock, interval_ms, 800);
}

/* Stop watching, free. */
void
ui_dash_close(struct ui_dash *d)
{
	vg_status_watch_stop(d->watch);
	vg_status_free(d->st);
	free(d->sock);
	memset(d, 0, sizeof *d);
}

/* Take the watcher's news. */
bool
ui_dash_poll(struct ui_dash *d)
{
	struct vg_status *st = NULL;
	char *json = NULL, *cause = NULL;
	unsigned seq;
	int64_t ok;

	if (d->watch == NULL)
		return false;
	seq = vg_status_watch_get(d->watch, &json, &ok, &d->failing_since,
	    &d->err);
	if (seq == d->seq) {
		free(json);
		return false;
	}
	d->seq = seq;
	if (json != NULL && d->err == VG_OK) {
		if (vg_status_parse(json, &st, &cause) == VG_OK) {
			vg_status_free(d->st);
			d->st = st;
			d->last_ok = ok;
		} else {
			log_debug("dashboard: %s", cause);
			free(cause);
		}
	}
	free(json);
	return true;
}

/* "3 s", "5 min", "2 h 05 min" (the catalogue's words). */
static void
span(char *buf, size_t n, int64_t s)
{
	if (s < 0)
		s = 0;
	if (s < 120)
		snprintf(buf, n, _("%d s"), (int)s);
	else if (s < 7200)
		snprintf(buf, n, _("%d min"), (int)(s / 60));
	else
		snprintf(buf, n, _("%d h %02d min"), (int)(s / 3600),
		    (int)(s % 3600 / 60));
}

/* HH:MM:SS of an epoch time, local. */
static void
clock_of(char *buf, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(buf, n, "%H:%M:%S", &tm);
}

/* One line at (y, x), clipped to W; returns 1 (rows used). */
static int
line(WINDOW *win, int y, int x, int W, int attr, const char *s)
{
	wattron(win, attr);
	ui_put_clipped(win, y, x, s, W);
	wattroff(win, attr);
	return 1;
}

/* A head line: wrapped on two rows when it does not fit one (and two
 * rows are left), so that its last figures are never cut; returns rows
 * used. */
static int
head(WINDOW *win, int y, int x, int W, int rows, int attr, const char *s)
{
	if (vg_text_width(s) <= W || rows < 2)
		return line(win, y, x, W, attr, s);
	return ui_wrap(win, y, x, W, 2, s, attr);
}

/* The lines above the table; returns rows used (at most h). */
static int
dash_head(struct ui_dash *d, WINDOW *win, int y, int x, int h, int W)
{
	struct vg_status *st = d->st;
	int err = tui_attr(UI_PAIR_ERROR) | A_BOLD, y0 = y;
	char *s, a[32], b[32];
	size_t i, rec = 0;

	if (d->failing_since != 0 || st == NULL) {
		if (d->failing_since == 0) {
			s = xstrdup(_("Waiting for vigiad's first answer..."));
			y += line(win, y, x, W, A_BOLD, s);
		} else {
			clock_of(a, sizeof a, d->failing_since);
			/* TRANSLATORS: %s is a time, HH:MM:SS */
			xasprintf(&s, _("vigiad is not answering since %s "
			    "(%s): %s"), a, vg_strerror(d->err), d->sock);
			y += line(win, y, x, W, err, s);
		}
		free(s);
		if (st != NULL && y < y0 + h) {
			clock_of(b, sizeof b, d->last_ok);
			xasprintf(&s, _("The figures below are from %s."), b);
			y += line(win, y, x, W, tui_attr(UI_PAIR_DIM), s);
			free(s);
		}
		if (st == NULL)
			return y - y0;
	} else {
		for (i = 0; i < st->ncams; i++)
			rec += st->cams[i].packets;
		span(a, sizeof a, st->now - st->started);
		/* TRANSLATORS: the dashboard's first line */
		xasprintf(&s, P_("vigiad %s (pid %ld), site %s, up %s: %zu of "
		    "%zu camera recording", "vigiad %s (pid %ld), site %s, up "
		    "%s: %zu of %zu cameras recording", st->ncams), st->version,
		    st->pid, st->site != NULL ? st->site : "?", a, rec,
		    st->ncams);
		y += line(win, y, x, W, A_BOLD, s);
		free(s);
	}
	if (st->has_disk && y < y0 + h) {
		if (st->headroom_h >= 0)
			xasprintf(&s, _("Disk: %.1f GB free of %.1f GB, %.1f h "
			    "of recording at the current rate"),
			    (double)st->disk_free / 1e9,
			    (double)st->disk_total / 1e9, st->headroom_h);
		else
			xasprintf(&s, _("Disk: %.1f GB free of %.1f GB"),
			    (double)st->disk_free / 1e9,
			    (double)st->disk_total / 1e9);
		y += head(win, y, x, W, y0 + h - y, A_NORMAL, s);
		free(s);
	}
	if (st->has_uploader && y < y0 + h) {
		xasprintf(&s, _("Uploads to %s: %lld waiting (%.1f MB, the "
		    "oldest %lld s), %.1f Mbit/s, %lld stored, %lld failed"),
		    st->up_target != NULL ? st->up_target : "?",
		    (long long)st->up_backlog, (double)st->up_backlog_bytes /
		    1e6, (long long)st->up_oldest_s, (double)st->up_bps * 8 /
		    1e6, (long long)st->up_stored, (long long)st->up_failed);
		y += head(win, y, x, W, y0 + h - y, st->up_failed > 0 ? err :
		    A_NORMAL, s);
		free(s);
		if (st->up_error != NULL && y < y0 + h) {
			xasprintf(&s, _("  last upload error (%lld s ago): %s"),
			    (long long)st->up_error_age, st->up_error);
			y += line(win, y, x, W, err, s);
			free(s);
		}
	} else if (st->has_spool && y < y0 + h) {
		xasprintf(&s, _("Spool: %lld segments, %lld waiting for upload, "
		    "%lld uploaded, %lld evicted"), (long long)st->segments,
		    (long long)st->backlog, (long long)st->stored,
		    (long long)st->evicted);
		y += line(win, y, x, W, A_NORMAL, s);
		free(s);
	}
	if (st->has_labeler && y < y0 + h) {
		xasprintf(&s, _("Label Studio: %lld tasks created, %lld "
		    "pending, %lld failed"), (long long)st->lb_created,
		    (long long)st->tasks_pending, (long long)st->lb_failed);
		y += head(win, y, x, W, y0 + h - y, st->lb_failed > 0 ? err :
		    A_NORMAL, s);
		free(s);
		if (st->lb_error != NULL && y < y0 + h) {
			xasprintf(&s, _("  last Label Studio error: %s"),
			    st->lb_error);
			y += line(win, y, x, W, err, s);
			free(s);
		}
	}
	for (i = 0; i < st->nalarms && y < y0 + h; i++) {
		struct vg_status_alarm *al = &st->alarms[i];

		if (!al->active)
			continue;
		xasprintf(&s, _("ALARM (%s, now): %s"), al->source != NULL ?
		    al->source : "?", al->message != NULL ? al->message : "?");
		y += line(win, y, x, W, err, s);
		free(s);
	}
	return y - y0;
}

/* The columns of the camera table. */
struct col {
	const char *head;	/* N_() */
	int w;			/* 0: the rest */
	bool right;
};

/* The basename of a path. */
static const char *
base(const char *p)
{
	const char *s = p != NULL ? strrchr(p, '/') : NULL;

	return s != NULL ? s + 1 : p;
}

/* Draw the dashboard. */
void
ui_dash_draw(struct ui_dash *d, WINDOW *win, int y, int x, int h, int W)
{
	/* the narrow set first; wide terminals add since, reconnects and
	 * the file being written beside the last error */
	const bool wide = W >= 130;
	struct col cols[] = {
		{ N_("CAMERA"), wide ? 18 : 13, false },
		{ N_("STATE"), wide ? 20 : 14, false },
		{ N_("SINCE"), wide ? 9 : 0, true },
		{ N_("KBIT/S"), 7, true },
		{ N_("FPS"), 5, true },
		{ N_("SEGMENTS"), wide ? 9 : 0, true },
		{ N_("GAPS"), 5, true },
		{ N_("RECONN"), wide ? 7 : 0, true },
		{ N_("SEGMENT"), wide ? 36 : 0, false },
		{ N_("LAST ERROR"), 0, false },
	};
	/* narrow: one column for the file, or the error of a row in
	 * trouble */
	if (!wide)
		cols[9].head = N_("SEGMENT OR LAST ERROR");
	const size_t ncols = sizeof cols / sizeof cols[0];
	struct vg_status *st;
	int used, rows, cx, i, attr, cw, yy;
	size_t c, k, n;
	char cell[64], *s;
	const char *text;

	used = dash_head(d, win, y, x, h, W);
	st = d->st;
	if (st == NULL)
		return;
	y += used + 1;
	h -= used + 1;
	if (h < 3)
		return;
	/* the headings */
	cx = x;
	wattron(win, A_BOLD | A_UNDERLINE);
	for (c = 0; c < ncols; c++) {
		if (cols[c].w == 0 && c + 1 < ncols)
			continue;
		cw = cols[c].w != 0 ? cols[c].w : x + W - cx;
		if (cw <= 0)
			break;
		text = _(cols[c].head);
		if (cols[c].right && vg_text_width(text) < cw - 1)
			ui_put_clipped(win, y, cx + cw - 1 -
			    vg_text_width(text), text, cw - 1);
		else
			ui_put_clipped(win, y, cx, text, cw - 1);
		cx += cw;
	}
	wattroff(win, A_BOLD | A_UNDERLINE);
	y++;
	h--;
	rows = h - 1;		/* the last line says what is above/below */
	d->rows = rows;
	n = st->ncams;
	if (d->top > (int)n - rows)
		d->top = (int)n - rows;
	if (d->top < 0)
		d->top = 0;
	for (i = 0, k = (size_t)d->top; i < rows && k < n; i++, k++) {
		struct vg_status_cam *m = &st->cams[k];

		yy = y + i;
		attr = m->alarm ? tui_attr(UI_PAIR_ERROR) | A_BOLD : A_NORMAL;
		wattron(win, attr);
		cx = x;
		for (c = 0; c < ncols; c++) {
			if (cols[c].w == 0 && c + 1 < ncols)
				continue;
			cw = cols[c].w != 0 ? cols[c].w : x + W - cx;
			if (cw <= 0)
				break;
			text = cell;
			switch (c) {
			case 0:
				text = m->name != NULL ? m->name : "?";
				break;
			case 1:
				text = m->state_text;
				break;
			case 2:
				if (m->since > 0)
					span(cell, sizeof cell, st->now -
					    m->since);
				else
					snprintf(cell, sizeof cell, "-");
				break;
			case 3:
				snprintf(cell, sizeof cell, "%.0f", m->kbps);
				break;
			case 4:
				snprintf(cell, sizeof cell, "%.1f", m->fps);
				break;
			case 5:
				snprintf(cell, sizeof cell, "%lld",
				    (long long)m->segments);
				break;
			case 6:
				snprintf(cell, sizeof cell, "%lld",
				    (long long)m->gaps);
				break;
			case 7:
				snprintf(cell, sizeof cell, "%lld",
				    (long long)m->reconnects);
				break;
			case 8:
				text = m->segment != NULL ? base(m->segment) :
				    "-";
				break;
			default:
				/* narrow: the error when in trouble, else
				 * the file being written */
				if (m->err_text != NULL && (wide || m->alarm ||
				    m->segment == NULL))
					text = m->err_text;
				else if (!wide && m->segment != NULL)
					text = base(m->segment);
				else
					text = "-";
				break;
			}
			if (cols[c].right && vg_text_width(text) < cw - 1)
				ui_put_clipped(win, yy, cx + cw - 1 -
				    vg_text_width(text), text, cw - 1);
			else
				ui_put_clipped(win, yy, cx, text,
				    c + 1 < ncols ? cw - 1 : cw);
			cx += cw;
		}
		wattroff(win, attr);
	}
	if (n == 0) {
		line(win, y, x, W, tui_attr(UI_PAIR_DIM),
		    _("(no camera is recorded)"));
		return;
	}
	/* TRANSLATORS: under the camera table of the dashboard */
	xasprintf(&s, _("cameras %d-%d of %zu; Up, Down, PgUp and PgDn "
	    "scroll"), d->top + 1, d->top + i, n);
	line(win, y + rows, x, W, tui_attr(UI_PAIR_DIM), s);
	free(s);
}

/* Scroll keys. */
bool
ui_dash_key(struct ui_dash *d, int ch, bool is_key)
{
	int page = d->rows > 1 ? d->rows - 1 : 1;

	if (!is_key)
		return false;
	switch (ch) {
	case KEY_UP:
		d->top--;
		break;
	case KEY_DOWN:
		d->top++;
		break;
	case KEY_PPAGE:
		d->top -= page;
		break;
	case KEY_NPAGE:
		d->top += page;
		break;
	case KEY_HOME:
		d->top = 0;
		break;
	case KEY_END:
		d->top = 1 << 20;
		break;
	default:
		return false;
	}
	if (d->top < 0)
		d->top = 0;
	return true;	/* the draw clamps the bottom */
}

/* `vigia status --watch` on a terminal: the dashboard on the whole screen
 * until q, Esc or a quit signal. */
int
ui_dashboard_main(const char *sock, int interval_ms)
{
	struct ui_dash d;
	char *cause = NULL, *title;
	wint_t ch;
	int r, ret;

	if (tui_start(&cause) != VG_OK) {
		fprintf(stderr, "%s: %s\n", PACKAGE, cause);
		free(cause);
		return 2;
	}
	ui_dash_open(&d, sock, interval_ms);
	timeout(200);
	for (;;) {
		ui_dash_poll(&d);
		erase();
		attron(tui_attr(UI_PAIR_TITLE));
		move(0, 0);
		hline(' ', COLS);
		/* TRANSLATORS: title bar of vigia status --watch */
		xasprintf(&title, _("vigia status - %s"), sock);
		ui_put_clipped(stdscr, 0, 1, title, COLS - 2);
		free(title);
		attroff(tui_attr(UI_PAIR_TITLE));
		if (LINES >= 6 && COLS >= 30)
			ui_dash_draw(&d, stdscr, 2, 1, LINES - 3, COLS - 2);
		move(LINES - 1, 0);
		clrtoeol();
		attron(tui_attr(UI_PAIR_KEY));
		addstr("q");
		attroff(tui_attr(UI_PAIR_KEY));
		addch(' ');
		ui_put_clipped(stdscr, LINES - 1, 2, _("Quit"), COLS - 2);
		refresh();
		r = get_wch(&ch);
		if (tui_quit_requested())
			break;
		if (r == ERR)
			continue;
		if (r == OK && (ch == 'q' || ch == 'Q' || ch == 27))
			break;
		ui_dash_key(&d, (int)ch, r == KEY_CODE_YES);
	}
	ret = d.st != NULL && d.failing_since == 0 ? 0 : 1;
	ui_dash_close(&d);
	tui_stop();
	return ret;
}
