/* step-credentials.c - one ONVIF user for every camera, and the
 * administrator password that activates the factory-new ones.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page of fields over w->cams.cred; each password is checked as it is
 * typed against the rules of every vendor among the ticked cameras
 * (vg_onvif_password_check, the same check the plan makes).  Next copies
 * the values into the draft (wdraft_sync_credentials): the user and
 * password into defaults and every camera, the administrator into the
 * factory-new cameras only.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "wizard.h"

/* The credentials being edited, read from the draft the first time. */
static void *
cred_base(struct wizard *w)
{
	struct wdraft_cams *c = &w->cams;
	const struct vg_camera_credentials *d = &w->draft->defaults.credentials;
	size_t i;

	if (!c->cred_loaded) {
		c->cred_loaded = true;
		c->cred.user = d->user != NULL ? xstrdup(d->user) : NULL;
		wdraft_secret_set(&c->cred.password, d->password.value);
		for (i = 0; i < w->draft->ncameras; i++) {
			const struct vg_camera_credentials *cc =
			    &w->draft->cameras[i].credentials;

			if (cc->admin_user != NULL) {
				c->cred.admin_user = xstrdup(cc->admin_user);
				wdraft_secret_set(&c->cred.admin_password,
				    cc->admin_password.value);
				break;
			}
		}
		if (c->cred.admin_user == NULL)
			c->cred.admin_user = xstrdup("admin");
	}
	return &c->cred;
}

/* Is any ticked camera factory-new? */
static bool
cred_any_new(struct wizard *w)
{
	size_t i;

	for (i = 0; i < w->cams.n; i++)
		if (w->cams.v[i].selected && w->cams.v[i].factory_new)
			return true;
	return false;
}

static const struct ui_field cred_fields[] = {
	{ .kind = UI_TEXT, .vtype = UV_STR,
	    .off = offsetof(struct vg_camera_credentials, user),
	    .path = "defaults.credentials.user",
	    .label = N_("ONVIF user"),
	    .hint = N_("The user vigia creates on every camera and records "
		"with, such as vigia.") },
	{ .kind = UI_SECRET, .vtype = UV_SECRET,
	    .off = offsetof(struct vg_camera_credentials, password),
	    .path = "defaults.credentials.password",
	    .label = N_("ONVIF password"), .flags = UF_STRENGTH,
	    .hint = N_("The same for every camera; checked below against "
		"each vendor's rules.") },
	{ .kind = UI_TEXT, .vtype = UV_STR,
	    .off = offsetof(struct vg_camera_credentials, admin_user),
	    .path = "defaults.credentials.admin_user",
	    .label = N_("Admin user"), .shown = cred_any_new,
	    .hint = N_("The first administrator created on the factory-new "
		"cameras.") },
	{ .kind = UI_SECRET, .vtype = UV_SECRET,
	    .off = offsetof(struct vg_camera_credentials, admin_password),
	    .path = "defaults.credentials.admin_password",
	    .label = N_("Admin password"), .flags = UF_STRENGTH,
	    .shown = cred_any_new,
	    .hint = N_("Activates the factory-new cameras; keep it safe.") },
};

/* The vendors among the ticked cameras (factory-new only if only_new);
 * returns how many, into v. */
static size_t
cred_vendors(struct wizard *w, bool only_new, enum vg_onvif_vendor *v,
    size_t max)
{
	size_t i, k, n = 0;
	enum vg_onvif_vendor x;

	for (i = 0; i < w->cams.n; i++) {
		const struct wdraft_found *f = &w->cams.v[i];

		if (!f->selected || (only_new && !f->factory_new))
			continue;
		x = wdraft_found_vendor(f);
		for (k = 0; k < n && v[k] != x; k++)
			;
		if (k == n && n < max)
			v[n++] = x;
	}
	return n;
}

/* A vendor as the technician knows it. */
static const char *
vendor_title(enum vg_onvif_vendor v)
{
	switch (v) {
	case VG_ONVIF_VENDOR_HIKVISION:
		return "HIKVISION";
	case VG_ONVIF_VENDOR_DAHUA:
		return "Dahua";
	case VG_ONVIF_VENDOR_AXIS:
		return "Axis";
	default:
		return _("Other vendors");
	}
}

/* Check pw against the vendors; problems (if draw) as lines in win.
 * Returns the number of problems; *rows gets the rows drawn. */
static int
cred_policy(struct wizard *w, const char *what, const char *pw,
    bool only_new, WINDOW *win, int y, int h, int width, int *rows)
{
	enum vg_onvif_vendor v[8];
	size_t i, n = cred_vendors(w, only_new, v, 8);
	int bad = 0, y0 = y;
	char *cause, *line;

	for (i = 0; i < n; i++) {
		cause = NULL;
		if (vg_onvif_password_check(v[i], pw != NULL ? pw : "",
		    &cause) != 0)
			bad++;
		if (win != NULL && y < y0 + h) {
			/* TRANSLATORS: "ONVIF password, HIKVISION: ok" */
			xasprintf(&line, _("%s, %s: %s"), what,
			    vendor_title(v[i]), cause != NULL ? cause :
			    _("meets the vendor's rules"));
			y += ui_wrap(win, y, 1, width, y0 + h - y, line,
			    cause != NULL ? tui_attr(UI_PAIR_ERROR) :
			    A_NORMAL);
			free(line);
		}
		free(cause);
	}
	if (rows != NULL)
		*rows = y - y0;
	return bad;
}

/* The vendor rules under the fields. */
static int
cred_extra(struct wizard *w, WINDOW *win, int y, int h, int width)
{
	const struct vg_camera_credentials *c = cred_base(w);
	int y0 = y, r = 0;

	if (w->cams.n == 0 || cred_vendors(w, false, (enum vg_onvif_vendor[1]){
	    0 }, 1) == 0) {
		ui_wrap(win, y, 1, width, h, _("No camera is ticked: these "
		    "credentials become the defaults of cameras added "
		    "later."), tui_attr(UI_PAIR_DIM));
		return 1;
	}
	cred_policy(w, _("ONVIF password"), c->password.value, false, win,
	    y, h, width, &r);
	y += r;
	if (cred_any_new(w)) {
		cred_policy(w, _("Admin password"), c->admin_password.value,
		    true, win, y, y0 + h - y, width, &r);
		y += r;
	}
	return y - y0;
}

static const char *const cred_scope[] = { "defaults.credentials", NULL };

static const struct ui_page_def cred_page = {
	.intro = N_("One ONVIF user and password for every camera.  "
	    "Factory-new cameras are activated first with the administrator "
	    "below."),
	.fields = cred_fields,
	.nfields = sizeof cred_fields / sizeof cred_fields[0],
	.base = cred_base,
	.scope = cred_scope,
	.extra = cred_extra,
};

/* Next: every rule met, then the values go into the draft. */
static bool
cred_validate(struct wizard *w)
{
	const struct vg_camera_credentials *c = cred_base(w);
	size_t on = 0, i;

	if (!page_validate(w))
		return false;
	for (i = 0; i < w->cams.n; i++)
		on += w->cams.v[i].selected;
	if (on == 0)
		goto ok;
	if (c->user == NULL || c->password.value == NULL) {
		wizard_status(w, true, "%s", _("Give the ONVIF user and "
		    "password."));
		return false;
	}
	if (cred_policy(w, "", c->password.value, false, NULL, 0, 0, 0,
	    NULL) > 0)
		goto bad;
	if (!cred_any_new(w))
		goto ok;
	if (c->admin_user == NULL || c->admin_password.value == NULL) {
		wizard_status(w, true, "%s", _("Give the administrator user "
		    "and password for the factory-new cameras."));
		return false;
	}
	if (cred_policy(w, "", c->admin_password.value, true, NULL, 0, 0, 0,
	    NULL) > 0)
		goto bad;
ok:
	wdraft_sync_credentials(w->draft, &w->cams);
	wizard_changed(w);
	return true;
bad:
	wizard_status(w, true, "%s", _("A password breaks a vendor's rules: "
	    "see the lines under the fields."));
	return false;
}

/* Back keeps what was typed in the draft too. */
static void
cred_leave(struct wizard *w)
{
	page_leave(w);
	if (w->cams.cred_loaded)
		wdraft_sync_credentials(w->draft, &w->cams);
}

const struct wizard_step step_credentials = {
	.id = "credentials",
	.title = N_("Camera passwords"),
	.help = N_("vigia creates the ONVIF user on every camera (or resets "
	    "its password) and records with it.  A factory-new camera has no "
	    "user at all: it is activated with the administrator user and "
	    "password first.  Each vendor has its own password rules; they "
	    "are checked as you type, before anything is sent."),
	.page = &cred_page,
	.validate = cred_validate,
	.leave = cred_leave,
};
