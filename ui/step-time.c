/* step-time.c - the cameras' NTP servers, time zone and clock.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page of fields over the draft's defaults.time.  Every change goes to
 * the cameras that had the defaults before it (wdraft_sync_time): a
 * camera whose time settings came from elsewhere (a loaded file) keeps
 * them.  The plan's time step sets the NTP servers and the time zone, and
 * sets a clock that is off by more than the allowed drift to this
 * computer's UTC time.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "wizard.h"

static void *
time_base(struct wizard *w)
{
	return &w->draft->defaults.time;
}

static const struct ui_field time_fields[] = {
	{ .kind = UI_TEXT, .vtype = UV_LIST,
	    .off = offsetof(struct vg_camera_time, ntp),
	    .path = "defaults.time.ntp", .label = N_("NTP servers"),
	    .hint = N_("Up to 4, separated by ';', such as pool.ntp.org; "
		"empty leaves NTP off.") },
	{ .kind = UI_TEXT, .vtype = UV_STR,
	    .off = offsetof(struct vg_camera_time, timezone),
	    .path = "defaults.time.timezone", .label = N_("Time zone"),
	    .hint = N_("An IANA name such as America/Bogota; empty: the "
		"site's time zone.") },
	{ .kind = UI_NUMBER, .vtype = UV_INT,
	    .off = offsetof(struct vg_camera_time, max_drift_s),
	    .path = "defaults.time.max_drift_s", .label = N_("Max drift (s)"),
	    .hint = N_("A camera clock off by more than this is set to this "
		"computer's time.") },
};

/* Cameras whose time settings differed from the defaults when the step
 * was entered (from a loaded file): they keep their own. */
static struct vg_strlist time_own;

/* This computer's clock and the zone the cameras get. */
static int
time_extra(struct wizard *w, WINDOW *win, int y, int h, int width)
{
	const struct vg_camera_time *t = &w->draft->defaults.time;
	const char *tz = t->timezone != NULL ? t->timezone :
	    w->draft->site.timezone;
	char now[32], *line;
	time_t sec = time(NULL);
	struct tm tm;
	int y0 = y;
	size_t i, own = 0;

	gmtime_r(&sec, &tm);
	strftime(now, sizeof now, "%Y-%m-%d %H:%M:%S", &tm);
	/* TRANSLATORS: %s is a date and time */
	xasprintf(&line, _("This computer's clock: %s UTC.  Check it before "
	    "the cameras are set from it."), now);
	y += ui_wrap(win, y, 1, width, h, line, A_NORMAL);
	free(line);
	if (y < y0 + h) {
		if (tz != NULL) {
			char *zt = wdraft_zone_text(tz);

			/* TRANSLATORS: %s is a time zone name */
			xasprintf(&line, _("The cameras show local time in "
			    "%s."), zt);
			free(zt);
		} else
			line = xstrdup(_("No time zone given: the cameras keep "
			    "theirs."));
		y += ui_wrap(win, y, 1, width, y0 + h - y, line,
		    tui_attr(UI_PAIR_DIM));
		free(line);
	}
	for (i = 0; i < w->draft->ncameras; i++)
		own += wdraft_own(&time_own, w->draft->cameras[i].name) &&
		    !wdraft_time_equal(&w->draft->cameras[i].time, t);
	if (own > 0 && y < y0 + h) {
		xasprintf(&line, P_("%zu camera keeps its own time settings "
		    "from the loaded file.", "%zu cameras keep their own time "
		    "settings from the loaded file.", own), own);
		y += ui_wrap(win, y, 1, width, y0 + h - y, line,
		    tui_attr(UI_PAIR_DIM));
		free(line);
	}
	return y - y0;
}

static const char *const time_scope[] = { "defaults.time", NULL };

static const struct ui_page_def time_page = {
	.intro = N_("The cameras' clocks must agree, or recordings from "
	    "different cameras do not line up.  vigia sets these on every "
	    "camera."),
	.fields = time_fields,
	.nfields = sizeof time_fields / sizeof time_fields[0],
	.base = time_base,
	.scope = time_scope,
	.extra = time_extra,
};

/* Every camera without its own settings takes the defaults. */
static void
time_follow(struct wizard *w)
{
	size_t i;
	bool changed = false;

	for (i = 0; i < w->draft->ncameras; i++) {
		struct vg_camera *cam = &w->draft->cameras[i];

		if (wdraft_own(&time_own, cam->name) ||
		    wdraft_time_equal(&cam->time, &w->draft->defaults.time))
			continue;
		wdraft_time_copy(&cam->time, &w->draft->defaults.time);
		changed = true;
	}
	if (changed)
		wizard_changed(w);
}

/* Entering: note the cameras with their own time settings. */
static void
time_enter(struct wizard *w)
{
	size_t i;

	wdraft_list_set(&time_own, "");
	for (i = 0; i < w->draft->ncameras; i++)
		if (!wdraft_time_equal(&w->draft->cameras[i].time,
		    &w->draft->defaults.time))
			wdraft_own_set(&time_own, w->draft->cameras[i].name,
			    true);
	page_enter(w);
}

/* A key: the page edits the defaults; the other cameras follow. */
static int
time_key(struct wizard *w, int ch, bool is_key)
{
	int k = page_key(w, ch, is_key);

	time_follow(w);
	return k;
}

/* Next: the values typed last are in the defaults; cameras follow. */
static bool
time_validate(struct wizard *w)
{
	bool ok = page_validate(w);

	time_follow(w);
	return ok;
}

const struct wizard_step step_time = {
	.id = "time",
	.title = N_("Time and NTP"),
	.help = N_("The NTP servers and the time zone go to every camera.  "
	    "A camera whose clock is off by more than the allowed drift is "
	    "set to this computer's UTC time first, so that it can be logged "
	    "in to and its recordings carry the right time.  Give NTP "
	    "servers the cameras can reach: the NVR, a router, or a public "
	    "pool when the site has Internet access."),
	.page = &time_page,
	.enter = time_enter,
	.key = time_key,
	.validate = time_validate,
};
