/* step-recording.c - the recording policy every camera inherits.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The policy is written to `defaults.recording`, so that every camera the
 * camera steps add inherits it; a camera can still override it in the
 * file.  Schedule rules are checked by the core (vg_schedule_parse()
 * through vg_config_validate()).
 */
#include <stddef.h>

#include "i18n.h"
#include "wizard.h"

#define R struct vg_camera_recording

/* The recording defaults of the draft. */
static void *
rec_base(struct wizard *w)
{
	return &w->draft->defaults.recording;
}

/* Pre- and post-roll only mean something on motion. */
static bool
rec_motion(struct wizard *w)
{
	return w->draft->defaults.recording.mode == VG_RECORD_MOTION;
}

/* Rules only mean something on a schedule. */
static bool
rec_schedule(struct wizard *w)
{
	return w->draft->defaults.recording.mode == VG_RECORD_SCHEDULE;
}

static const char *const rec_modes[] = {
	N_("Continuous"), N_("On motion"), N_("On a schedule"), NULL,
};
static const int rec_mode_values[] = {
	VG_RECORD_CONTINUOUS, VG_RECORD_MOTION, VG_RECORD_SCHEDULE,
};
static const char *const rec_segments[] = {
	N_("5 minutes"), N_("6 minutes"), N_("7 minutes"), N_("8 minutes"),
	N_("9 minutes"), N_("10 minutes"), NULL,
};
static const int rec_segment_values[] = { 300, 360, 420, 480, 540, 600 };
static const char *const rec_streams[] = {
	N_("Main stream (full quality)"), N_("Sub-stream (smaller)"), NULL,
};

static const struct ui_field rec_fields[] = {
	{ .kind = UI_CHOICE, .vtype = UV_ENUM, .off = offsetof(R, mode),
	    .path = "defaults.recording.mode", .label = N_("Record"),
	    .choices = rec_modes, .values = rec_mode_values },
	{ .kind = UI_NUMBER, .vtype = UV_INT, .off = offsetof(R, pre_roll_s),
	    .path = "defaults.recording.pre_roll_s",
	    .label = N_("Pre-roll (seconds)"), .shown = rec_motion,
	    .hint = N_("Seconds kept before the motion starts, 0 to 60.") },
	{ .kind = UI_NUMBER, .vtype = UV_INT, .off = offsetof(R, post_roll_s),
	    .path = "defaults.recording.post_roll_s",
	    .label = N_("Post-roll (seconds)"), .shown = rec_motion,
	    .hint = N_("Seconds kept after the motion ends, 0 to 300.") },
	{ .kind = UI_TEXT, .vtype = UV_LIST, .off = offsetof(R, schedule),
	    .path = "defaults.recording.schedule",
	    .label = N_("Schedule rules"), .shown = rec_schedule,
	    .hint = N_("Rules separated by ';', such as: mon-fri "
		"08:00-18:00; sat,sun 22:00-06:00 (past midnight runs into "
		"the next day).") },
	{ .kind = UI_CHOICE, .vtype = UV_INT, .off = offsetof(R, segment_s),
	    .path = "defaults.recording.segment_s",
	    .label = N_("Segment length"), .choices = rec_segments,
	    .values = rec_segment_values,
	    .hint = N_("Each segment is one file in storage and one "
		"labeling task.") },
	{ .kind = UI_CHOICE, .vtype = UV_ENUM, .off = offsetof(R, stream),
	    .path = "defaults.recording.stream", .label = N_("Stream"),
	    .choices = rec_streams },
};

static const char *const rec_scope[] = { "defaults.recording", NULL };

static const struct ui_page_def rec_page = {
	.intro = N_("How every camera records.  Cameras added later inherit "
	    "this policy."),
	.fields = rec_fields,
	.nfields = sizeof rec_fields / sizeof rec_fields[0],
	.base = rec_base,
	.scope = rec_scope,
};

const struct wizard_step step_recording = {
	.id = "recording",
	.title = N_("Recording policy"),
	.help = N_("Continuous records all the time.  On motion records "
	    "when the camera reports motion (ONVIF events), with a few "
	    "seconds before and after.  On a schedule records during the "
	    "rules' hours: days (mon..sun, ranges like mon-fri or lists like "
	    "sat,sun) and a time range HH:MM-HH:MM.  Segments are 5 to 10 "
	    "minutes long."),
	.page = &rec_page,
};
