/* preview.c - `vigia preview`: a camera's live picture, full screen.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The core's preview worker decodes and makes pictures of the size asked;
 * this screen only polls stdin and the worker's descriptor, draws the
 * newest picture with an overlay (codec, size, frame rate, bit rate), and
 * asks for a new size when the window changes.  Nothing here waits on the
 * network, so q always answers at once.
 */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "preview.h"
#include "ui.h"
#include "libvigia.h"

struct preview_screen {
	const char *url;	/* redacted, for the title */
	enum vg_picture_mode mode;
	struct vg_picture pic;
	struct vg_preview_stats st;
	const char *error;
};

/* Monotonic seconds. */
static double
preview_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Draw text centred on row y. */
static void
preview_centre(int y, const char *text, int attr)
{
	int w = vg_text_width(text), x = (COLS - w) / 2;

	if (x < 0)
		x = 0;
	attron(attr);
	ui_put_clipped(stdscr, y, x, text, COLS - x);
	attroff(attr);
}

/* The top line: what the stream is, as measured. */
static void
preview_overlay(const struct preview_screen *s)
{
	char line[256], rate[64];
	int x;

	attron(tui_attr(UI_PAIR_TITLE));
	move(0, 0);
	hline(' ', COLS);
	if (s->st.state == VG_PREVIEW_CONNECTING)
		/* TRANSLATORS: %s is a stream URL */
		snprintf(line, sizeof line, _(" Connecting to %s..."),
		    s->url);
	else {
		if (s->st.bitrate_bps > 0)
			/* TRANSLATORS: bit rate in the overlay */
			snprintf(rate, sizeof rate, _("%.1f Mbit/s"),
			    s->st.bitrate_bps / 1e6);
		else
			snprintf(rate, sizeof rate, "-");
		/* TRANSLATORS: overlay: codec, WIDTHxHEIGHT, frames per
		 * second received, bit rate, pictures drawn a second; keep
		 * it short (about 60 columns) */
		snprintf(line, sizeof line,
		    _(" %s %dx%d  %.1f fps  %s  (%.1f pictures/s)"),
		    s->st.codec, s->st.width, s->st.height, s->st.fps, rate,
		    s->st.shown_fps);
	}
	x = ui_put_clipped(stdscr, 0, 0, line, COLS);
	if (s->st.skip > 0 && x + 12 < COLS)
		/* TRANSLATORS: overlay flag: decoding fewer frames */
		ui_put_clipped(stdscr, 0, x + 2, s->st.skip == 1 ?
		    _("[skipping]") : _("[keyframes]"), COLS - x - 2);
	attroff(tui_attr(UI_PAIR_TITLE));
}

/* The bottom key bar. */
static void
preview_keybar(const struct preview_screen *s)
{
	int x = 0;

	move(LINES - 1, 0);
	clrtoeol();
	attron(tui_attr(UI_PAIR_KEY));
	x += ui_put_clipped(stdscr, LINES - 1, x, "q", COLS - x);
	attroff(tui_attr(UI_PAIR_KEY));
	x += ui_put_clipped(stdscr, LINES - 1, x, " ", COLS - x);
	/* TRANSLATORS: key bar label; keep it short */
	x += ui_put_clipped(stdscr, LINES - 1, x, _("Quit"), COLS - x);
	if (s->st.state == VG_PREVIEW_ENDED) {
		attron(tui_attr(UI_PAIR_DIM));
		x += ui_put_clipped(stdscr, LINES - 1, x, "   ", COLS - x);
		ui_put_clipped(stdscr, LINES - 1, x, _("End of the stream."),
		    COLS - x);
		attroff(tui_attr(UI_PAIR_DIM));
	}
}

/* Redraw everything for the current size. */
static void
preview_draw(const struct preview_screen *s)
{
	int y, x;

	erase();
	preview_overlay(s);
	if (s->st.state == VG_PREVIEW_FAILED) {
		preview_centre(LINES / 2 - 1, vg_stream_class_text(s->st.cls),
		    tui_attr(UI_PAIR_ERROR) | A_BOLD);
		if (s->error != NULL)
			preview_centre(LINES / 2 + 1, s->error,
			    tui_attr(UI_PAIR_DIM));
	} else if (s->pic.cells != NULL) {
		y = 1 + (LINES - 2 - s->pic.height) / 2;
		x = (COLS - s->pic.width) / 2;
		widget_picture_draw(stdscr, y < 1 ? 1 : y, x < 0 ? 0 : x,
		    &s->pic);
	} else if (s->st.state == VG_PREVIEW_PLAYING)
		preview_centre(LINES / 2, _("Waiting for the first picture..."),
		    tui_attr(UI_PAIR_DIM));
	preview_keybar(s);
}

/* Ask the worker for pictures that fill the screen between the bars. */
static void
preview_resize(struct vg_preview *pv, const struct preview_screen *s)
{
	int rows = LINES - 2;

	vg_preview_set_size(pv, COLS > 0 ? COLS : 1, rows > 0 ? rows : 1,
	    s->mode);
}

/* Run the preview screen. */
int
ui_preview_run(const char *url, const struct vg_stream_opts *opts,
    int mode, double seconds, struct ui_preview_result *res, char **cause)
{
	struct preview_screen s;
	struct vg_preview *pv = NULL;
	struct pollfd pfd[2];
	char *red = vg_log_redact(url);
	double t0 = preview_now();
	bool quit = false;
	int err, ch;

	memset(&s, 0, sizeof s);
	memset(res, 0, sizeof *res);
	res->first_picture_us = -1;
	s.url = red;
	err = tui_start(cause);
	if (err != VG_OK)
		goto out;
	s.mode = mode >= 0 ? (enum vg_picture_mode)mode :
	    widget_picture_best_mode();
	nodelay(stdscr, TRUE);
	err = vg_preview_start(url, opts, &pv, cause);
	if (err != VG_OK) {
		tui_stop();
		goto out;
	}
	preview_resize(pv, &s);
	preview_draw(&s);
	refresh();
	while (!quit && !tui_quit_requested()) {
		if (seconds > 0 && preview_now() - t0 >= seconds)
			break;
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = vg_preview_fd(pv);
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, 200) < 0 && errno != EINTR)
			break;
		while ((ch = getch()) != ERR) {
			if (ch == 'q' || ch == 'Q' || ch == 27)
				quit = true;
			else if (ch == KEY_RESIZE)
				preview_resize(pv, &s);
		}
		vg_preview_take(pv, &s.pic, &s.st);
		if (s.st.state == VG_PREVIEW_FAILED)
			s.error = vg_preview_error(pv);
		preview_draw(&s);
		refresh();
	}
	tui_stop();
	vg_preview_take(pv, NULL, &s.st);
	res->state = s.st.state;
	res->cls = s.st.cls;
	if (s.st.state == VG_PREVIEW_FAILED && vg_preview_error(pv) != NULL)
		res->error = xstrdup(vg_preview_error(pv));
	res->mode = s.mode;
	res->first_picture_us = s.st.first_picture_us;
	res->pictures = s.st.pictures;
	err = VG_OK;
out:
	res->seconds = preview_now() - t0;
	vg_preview_stop(pv);
	vg_picture_clear(&s.pic);
	free(red);
	return err;
}
