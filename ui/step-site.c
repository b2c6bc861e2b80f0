/* step-site.c - the site: its id, name and time zone.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stddef.h>

#include "i18n.h"
#include "wizard.h"

/* The site section of the draft. */
static void *
site_base(struct wizard *w)
{
	return &w->draft->site;
}

static const struct ui_field site_fields[] = {
	{ .kind = UI_TEXT, .vtype = UV_STR,
	    .off = offsetof(struct vg_site, id), .path = "site.id",
	    /* TRANSLATORS: field labels sit in a column of at most 26
	     * columns; keep them short */
	    .label = N_("Site id"),
	    .hint = N_("Lowercase letters, digits and '-', such as "
		"plant-north.  Every uploaded file's name starts with it.") },
	{ .kind = UI_TEXT, .vtype = UV_STR,
	    .off = offsetof(struct vg_site, name), .path = "site.name",
	    .label = N_("Site name"),
	    .hint = N_("Free text, shown in the wizard and in Label "
		"Studio.") },
	{ .kind = UI_TEXT, .vtype = UV_STR,
	    .off = offsetof(struct vg_site, timezone),
	    .path = "site.timezone", .label = N_("Time zone"),
	    .hint = N_("An IANA name such as America/Argentina/Buenos_Aires "
		"or UTC.  Empty: the system's time zone.") },
};

static const char *const site_scope[] = { "site", NULL };

static const struct ui_page_def site_page = {
	.intro = N_("Which site is this?  The id names the site in storage "
	    "and Label Studio, so it cannot change later without moving "
	    "files."),
	.fields = site_fields,
	.nfields = sizeof site_fields / sizeof site_fields[0],
	.base = site_base,
	.scope = site_scope,
};

const struct wizard_step step_site = {
	.id = "site",
	.title = N_("Site"),
	.help = N_("The site id is part of every object key in storage "
	    "({site}/{camera}/...), so that many boxes and sites can share one "
	    "bucket.  The time zone applies to cameras that do not set their "
	    "own."),
	.page = &site_page,
};
