/* step-labelstudio.c - Label Studio: where labeling tasks are created.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fields and validation; the live test (token, project) comes with the
 * Label Studio issue.
 */
#include <stddef.h>

#include "i18n.h"
#include "wizard.h"

#define L struct vg_label_studio

/* The Label Studio section of the draft. */
static void *
ls_base(struct wizard *w)
{
	return &w->draft->label_studio;
}

/* Everything but the switch is hidden while it is off. */
static bool
ls_on(struct wizard *w)
{
	return w->draft->label_studio.enabled;
}

static const char *const ls_token_types[] = {
	N_("Guess from the token"), N_("Legacy token"),
	N_("Personal access token"), NULL,
};
static const char *const ls_video_refs[] = {
	N_("Presigned HTTPS URL"), N_("s3:// (Label Studio S3 storage)"), NULL,
};

static const struct ui_field ls_fields[] = {
	{ .kind = UI_CHECK, .vtype = UV_BOOL, .off = offsetof(L, enabled),
	    .path = "label_studio.enabled", .label = N_("Create tasks"),
	    .hint = N_("Space switches it: every uploaded segment becomes a "
		"labeling task.  Needs an S3 storage target.") },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(L, url),
	    .path = "label_studio.url", .label = N_("URL"), .shown = ls_on,
	    .hint = N_("Such as https://labelstudio.example.com.") },
	{ .kind = UI_SECRET, .vtype = UV_SECRET, .off = offsetof(L, token),
	    .path = "label_studio.token", .label = N_("Token"),
	    .shown = ls_on },
	{ .kind = UI_CHOICE, .vtype = UV_ENUM, .off = offsetof(L, token_type),
	    .path = "label_studio.token_type", .label = N_("Token type"),
	    .choices = ls_token_types, .shown = ls_on },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(L, project_title),
	    .path = "label_studio.project_title",
	    .alias = "label_studio.project_id", .label = N_("Project title"),
	    .shown = ls_on,
	    .hint = N_("Found or created by this title, unless a project id "
		"is given.") },
	{ .kind = UI_NUMBER, .vtype = UV_INT, .off = offsetof(L, project_id),
	    .path = "label_studio.project_id", .label = N_("Project id"),
	    .shown = ls_on, .flags = UF_ZERO_EMPTY,
	    .hint = N_("Optional: the number in the project's URL.") },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(L, label_config),
	    .path = "label_studio.label_config",
	    .label = N_("Labeling template"), .shown = ls_on,
	    .hint = N_("A template name such as video-tracking, or the "
		"absolute path of an .xml file.") },
	{ .kind = UI_CHOICE, .vtype = UV_ENUM, .off = offsetof(L, video_ref),
	    .path = "label_studio.video_ref", .label = N_("Video links"),
	    .choices = ls_video_refs, .shown = ls_on },
	{ .kind = UI_CHECK, .vtype = UV_BOOL, .off = offsetof(L, insecure),
	    .path = "label_studio.insecure", .label = N_("Skip TLS checks"),
	    .shown = ls_on,
	    .hint = N_("Only for tests: the server's certificate is not "
		"checked.") },
};

static const char *const ls_scope[] = { "label_studio", NULL };

static const struct ui_page_def ls_page = {
	.intro = N_("Label Studio turns every uploaded segment into a "
	    "labeling task.  Leave it off to only record and upload."),
	.fields = ls_fields,
	.nfields = sizeof ls_fields / sizeof ls_fields[0],
	.base = ls_base,
	.scope = ls_scope,
};

const struct wizard_step step_label_studio = {
	.id = "label-studio",
	.title = N_("Label Studio"),
	.help = N_("Give the server's URL and an access token (Account & "
	    "Settings in Label Studio: a legacy token or a personal access "
	    "token).  The project is found by title or id.  Tasks point at "
	    "the video with a presigned URL, or with s3:// when Label Studio "
	    "has its own S3 storage."),
	.page = &ls_page,
};
