/* welcome.c - the wizard's first screen: the job, step by step.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The step table is the spine the wizard grows on (as nmtui's): each step
 * gets its own step-*.c when its capability lands.  Until then this screen
 * shows the plan of the job and what this build can already do.
 */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdlib.h>

#include "i18n.h"
#include "ui.h"
#include "vigia.h"

/* The steps of the job, in the order the technician walks them. */
static const char *const welcome_steps[] = {
	N_("Find the cameras (WS-Discovery, or add one by address)"),
	N_("Set each camera's address, password, clock and encoder"),
	N_("Check each stream and see its picture"),
	N_("Choose the recorder: vigiad, or an NVR over FTP"),
	N_("Test the storage (S3, FTP, FTPS, SFTP) and Label Studio"),
	N_("Write the configuration and start vigiad"),
};
#define NSTEPS (int)(sizeof welcome_steps / sizeof welcome_steps[0])

/* Draw text centred on row y, clipped to the screen. */
static void
welcome_centre(int y, const char *text, int attr)
{
	int w = ui_text_width(text), x = (COLS - w) / 2;

	if (x < 0)
		x = 0;
	attron(attr);
	ui_put_clipped(stdscr, y, x, text, COLS - x);
	attroff(attr);
}

/* The bottom key bar, like nano's: keys in reverse, names beside them. */
static void
welcome_keybar(void)
{
	/* TRANSLATORS: key bar labels; keep each short */
	const char *keys[][2] = { { "F1", _("Help") }, { "q", _("Quit") } };
	int x = 0, i;

	move(LINES - 1, 0);
	clrtoeol();
	for (i = 0; i < 2 && x < COLS; i++) {
		attron(tui_attr(UI_PAIR_KEY));
		x += ui_put_clipped(stdscr, LINES - 1, x, keys[i][0], COLS - x);
		attroff(tui_attr(UI_PAIR_KEY));
		x += ui_put_clipped(stdscr, LINES - 1, x, " ", COLS - x);
		x += ui_put_clipped(stdscr, LINES - 1, x, keys[i][1], COLS - x);
		x += ui_put_clipped(stdscr, LINES - 1, x, "   ", COLS - x);
	}
}

/* Draw the whole screen for the current size. */
static void
welcome_draw(bool help)
{
	int y, i, top;

	erase();
	attron(tui_attr(UI_PAIR_TITLE));
	move(0, 0);
	hline(' ', COLS);
	attroff(tui_attr(UI_PAIR_TITLE));
	/* TRANSLATORS: title bar; keep under 60 columns */
	welcome_centre(0, _("vigia - IP camera commissioning"),
	    tui_attr(UI_PAIR_TITLE) | A_BOLD);
	if (LINES < 6 || COLS < 20) {
		welcome_centre(LINES / 2, _("The terminal is too small."),
		    tui_attr(UI_PAIR_ERROR));
		goto out;
	}
	top = LINES > NSTEPS + 8 ? (LINES - NSTEPS - 8) / 2 + 1 : 2;
	y = top;
	if (help) {
		const char *lines[] = {
			_("This wizard walks you through the whole job."),
			_("Press q to quit at any time; nothing is changed"),
			_("on a camera until you confirm the plan."),
			_("Commands for scripts: run 'vigia --help'."),
		};
		for (i = 0; i < 4 && y < LINES - 2; i++)
			welcome_centre(y++, lines[i], A_NORMAL);
		goto out;
	}
	welcome_centre(y++, _("The job, step by step:"), A_BOLD);
	y++;
	for (i = 0; i < NSTEPS && y < LINES - 3; i++, y++) {
		char *line;

		xasprintf(&line, "%d. %s", i + 1, _(welcome_steps[i]));
		ui_put_clipped(stdscr, y, COLS > 64 ? (COLS - 60) / 2 : 1,
		    line, COLS - 2);
		free(line);
	}
	y++;
	if (y < LINES - 2)
		welcome_centre(y, _("This build checks configurations: "
		    "vigia config check FILE"), tui_attr(UI_PAIR_DIM));
out:
	welcome_keybar();
	refresh();
}

/* Show the screen until q, Esc or a quit signal; returns exit status 0. */
int
welcome_run(void)
{
	bool help = false;
	int ch;

	timeout(250);	/* wake up to notice quit signals */
	welcome_draw(help);
	while (!tui_quit_requested()) {
		ch = getch();
		if (ch == ERR)
			continue;
		if (ch == 'q' || ch == 'Q' || ch == 27)
			break;
		if (ch == KEY_F(1))
			help = !help;
		welcome_draw(help);
	}
	return 0;
}
