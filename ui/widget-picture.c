/* widget-picture.c - draw a grid of picture cells with ncursesw.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Half-block cells need one colour pair per (foreground, background)
 * combination.  ncurses' alloc_pair() keeps those in a table it recycles
 * least-recently-used first, so a 256-colour terminal never runs out of
 * pairs however many colours a picture has.  On a terminal whose terminfo
 * says it takes direct colour (COLORS of 2^24, e.g. xterm-direct) the
 * colour numbers are the RGB values themselves.
 */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdlib.h>
#include <wchar.h>

#include "preview.h"
#include "ui.h"
#include "libvigia.h"

/* Best mode for this terminal. */
enum vg_picture_mode
widget_picture_best_mode(void)
{
	const char *nc = getenv("NO_COLOR");

	if (MB_CUR_MAX < 2 || !has_colors() || (nc != NULL && *nc != '\0'))
		return VG_PICTURE_MONO;
	if (COLORS >= 0x1000000)
		return VG_PICTURE_TRUECOLOR;
	if (COLORS >= 256)
		return VG_PICTURE_256;
	return VG_PICTURE_MONO;
}

/* Colour number of an RGB value on a direct-colour terminal: below 8 the
 * numbers are the ANSI colours, so the darkest blues move up to 8. */
static int
widget_direct(const uint8_t rgb[3])
{
	int c = rgb[0] << 16 | rgb[1] << 8 | rgb[2];

	return c < 8 ? 8 : c;
}

/* Draw the picture. */
void
widget_picture_draw(WINDOW *win, int y, int x, const struct vg_picture *pic)
{
	wchar_t wch[2] = { 0, 0 };
	int maxy, maxx, r, c, pair, fg, bg;
	cchar_t cc;

	getmaxyx(win, maxy, maxx);
	for (r = 0; r < pic->height && y + r < maxy; r++) {
		if (y + r < 0)
			continue;
		for (c = 0; c < pic->width && x + c < maxx; c++) {
			const struct vg_cell *cell =
			    &pic->cells[(size_t)r * pic->width + c];

			if (x + c < 0)
				continue;
			wch[0] = (wchar_t)cell->ch;
			pair = 0;
			if (pic->mode != VG_PICTURE_MONO) {
				if (pic->mode == VG_PICTURE_TRUECOLOR) {
					fg = widget_direct(cell->fg);
					bg = widget_direct(cell->bg);
				} else {
					fg = cell->fg_index;
					bg = cell->bg_index;
				}
				pair = alloc_pair(fg, bg);
				if (pair < 0)
					pair = 0;
			}
			setcchar(&cc, wch, A_NORMAL, 0, &pair);
			mvwadd_wch(win, y + r, x + c, &cc);
		}
	}
}
