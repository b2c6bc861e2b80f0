/* step-camera.c - the camera steps, until the camera engine lands.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The interfaces, discovery, select and credentials steps are real
 * (step-discovery.c, step-credentials.c), and so is the review
 * (step-review.c).  These entries hold the other
 * camera steps' places in the step table, so that
 * the progress header and the list of steps show the whole job.  They
 * are marked WIZARD_STEP_LATER: Next and Back skip them, and the list
 * says they come later.  Each becomes its own step-*.c on top of the
 * ONVIF client, the stream probe and the plan/apply engine; nothing here
 * pretends to do their work.
 */
#include "i18n.h"
#include "wizard.h"

/* What a placeholder shows if it is ever on screen. */
static void
later_enter(struct wizard *w)
{
	const struct wizard_step *s = w->steps[w->cur];
	WINDOW *b = w->body;
	int y;

	werase(b);
	wattron(b, A_BOLD);
	y = ui_wrap(b, 1, 1, getmaxx(b) - 2, 2, _("Available when the camera "
	    "engine lands."), A_BOLD);
	wattroff(b, A_BOLD);
	ui_wrap(b, y + 2, 1, getmaxx(b) - 2, getmaxy(b) - y - 3, _(s->help),
	    A_NORMAL);
}

#define LATER(name, sid, stitle, shelp) \
	const struct wizard_step name = { \
		.id = sid, .title = stitle, .help = shelp, \
		.flags = WIZARD_STEP_LATER, .enter = later_enter, \
	}

LATER(step_network, "network", N_("Camera addresses"),
    N_("Give each camera a static address from a range; conflicts are "
    "shown before anything changes."));
LATER(step_time, "time", N_("Time and NTP"),
    N_("Set the cameras' NTP servers and time zone."));
LATER(step_encoder, "encoder", N_("Video encoder"),
    N_("Choose codec, resolution, frame rate, bitrate and GOP from a "
    "preset, checked against each camera's own options."));
LATER(step_check, "check", N_("Camera check"),
    N_("Probe every stream and show its picture in the terminal."));
