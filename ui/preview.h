/* preview.h - the live preview screen and the picture widget.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `vigia preview` calls ui_preview_run(); the wizard's stream step will
 * embed the same widget.  Like ui.h, this header is for ui/ and the CLI
 * only: it sees libvigia.h, never FFmpeg.
 */
#ifndef VIGIA_UI_PREVIEW_H
#define VIGIA_UI_PREVIEW_H

#include <stdint.h>

#include "libvigia.h"

/* How a preview went, for the summary printed after the screen closes. */
struct ui_preview_result {
	enum vg_preview_state state;	/* at the end */
	enum vg_stream_class cls;	/* when FAILED */
	char *error;			/* English detail (caller frees) */
	enum vg_picture_mode mode;	/* the mode used */
	int64_t first_picture_us;	/* -1: none */
	int64_t pictures;
	double seconds;			/* how long it ran */
};

/* Preview url full-screen until q (or `seconds`, when > 0).  mode < 0
 * picks the best the terminal can do.  Returns 0, or VG_ERR_USAGE with
 * *cause when there is no terminal. */
int ui_preview_run(const char *url, const struct vg_stream_opts *opts,
    int mode, double seconds, struct ui_preview_result *res, char **cause);

#ifdef NCURSES_VERSION
/* The best picture mode for this terminal: direct colour when terminfo
 * has it, 256 colours, else the monochrome ramp (also without UTF-8 or
 * with NO_COLOR).  Call after tui_start(). */
enum vg_picture_mode widget_picture_best_mode(void);
/* Draw pic with its top-left corner at (y, x) of win, clipped to win. */
void widget_picture_draw(WINDOW *win, int y, int x,
    const struct vg_picture *pic);
#endif

#endif /* VIGIA_UI_PREVIEW_H */
