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

/* Which credentials the page edits: 0 all cameras, k camera k-1. */
static struct {
	int target;
	const char **labels;
	bool entered;		/* the step was shown once */
} cr;

/* The camera being edited on its own, or NULL for all cameras. */
static struct vg_camera *
cred_camera(struct wizard *w)
{
	if (cr.target < 0 || (size_t)cr.target > w->draft->ncameras)
		cr.target = 0;
	return cr.target > 0 ? &w->draft->cameras[cr.target - 1] : NULL;
}

/* The credentials shared by every camera, read from the draft the first
 * time. */
static struct vg_camera_credentials *
cred_all(struct wizard *w)
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

/* What the page's offsets point into. */
static void *
cred_base(struct wizard *w)
{
	struct vg_camera *cam = cred_camera(w);

	cred_all(w);
	return cam != NULL ? &cam->credentials : (void *)&w->cams.cred;
}

static char *
cred_prefix(struct wizard *w)
{
	char *p;

	if (cred_camera(w) == NULL)
		return xstrdup("defaults.credentials");
	xasprintf(&p, "cameras[%d].credentials", cr.target - 1);
	return p;
}

/* The found camera that became draft camera name, or NULL. */
static const struct wdraft_found *
cred_found(struct wizard *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->cams.n; i++)
		if (w->cams.v[i].camera != NULL &&
		    strcmp(w->cams.v[i].camera, name) == 0)
			return &w->cams.v[i];
	return NULL;
}

/* Does a ticked camera that shares the credentials count? */
static bool
cred_shares(struct wizard *w, const struct wdraft_found *f)
{
	return f->selected && (f->camera == NULL ||
	    !wdraft_own(&w->cams.own_cred, f->camera));
}

/* Is any ticked camera that shares the credentials factory-new?  For one
 * camera the administrator is always asked: its current one, or the one
 * to create. */
static bool
cred_any_new(struct wizard *w)
{
	size_t i;

	if (cred_camera(w) != NULL)
		return true;
	for (i = 0; i < w->cams.n; i++)
		if (cred_shares(w, &w->cams.v[i]) && w->cams.v[i].factory_new)
			return true;
	return false;
}

/* Is the administrator password one to set (activation), so that the
 * vendor's rules apply?  A camera that has users is logged in to with
 * its current one, whatever it is. */
static bool
cred_admin_is_new(struct wizard *w)
{
	const struct vg_camera *cam = cred_camera(w);
	const struct wdraft_found *f;

	if (cam == NULL)
		return cred_any_new(w);
	f = cred_found(w, cam->name);
	return f != NULL && f->factory_new;
}

static bool
cred_has_cameras(struct wizard *w)
{
	return w->draft->ncameras > 0;
}

static bool
cred_one_camera(struct wizard *w)
{
	return cred_camera(w) != NULL;
}

static int
target_get(struct wizard *w)
{
	cred_camera(w);
	return cr.target;
}

static void
target_set(struct wizard *w, int v)
{
	wdraft_sync_credentials(w->draft, &w->cams);
	cr.target = v;
	cred_camera(w);
}

static int
own_get(struct wizard *w)
{
	struct vg_camera *cam = cred_camera(w);

	return cam != NULL && wdraft_own(&w->cams.own_cred, cam->name);
}

static void
own_set(struct wizard *w, int v)
{
	struct vg_camera *cam = cred_camera(w);

	if (cam == NULL)
		return;
	wdraft_own_set(&w->cams.own_cred, cam->name, v != 0);
	if (v == 0)
		wdraft_sync_credentials(w->draft, &w->cams);
}

#define F_TARGET 0
#define F_OWN 1

/* Not const: the camera choice's labels are made on entry. */
static struct ui_field cred_fields[] = {
	[F_TARGET] = { .kind = UI_CHOICE, .vtype = UV_CUSTOM,
	    .label = N_("Cameras"), .shown = cred_has_cameras,
	    .get_int = target_get, .set_int = target_set,
	    .hint = N_("All cameras share one password, or choose a camera "
		"to give it its own.") },
	[F_OWN] = { .kind = UI_CHECK, .vtype = UV_CUSTOM,
	    .label = N_("Own password"), .shown = cred_one_camera,
	    .get_int = own_get, .set_int = own_set,
	    .hint = N_("Ticked: this camera keeps the values below.  "
		"Unticked: it takes those of all cameras.") },
	{ .kind = UI_TEXT, .vtype = UV_STR,
	    .off = offsetof(struct vg_camera_credentials, user),
	    .path = ".user",
	    .label = N_("ONVIF user"),
	    .hint = N_("The user vigia creates on every camera and records "
		"with, such as vigia.") },
	{ .kind = UI_SECRET, .vtype = UV_SECRET,
	    .off = offsetof(struct vg_camera_credentials, password),
	    .path = ".password",
	    .label = N_("ONVIF password"), .flags = UF_STRENGTH,
	    .hint = N_("The same for every camera; checked below against "
		"each vendor's rules.") },
	{ .kind = UI_TEXT, .vtype = UV_STR,
	    .off = offsetof(struct vg_camera_credentials, admin_user),
	    .path = ".admin_user",
	    .label = N_("Admin user"), .shown = cred_any_new,
	    .hint = N_("The first administrator created on the factory-new "
		"cameras.") },
	{ .kind = UI_SECRET, .vtype = UV_SECRET,
	    .off = offsetof(struct vg_camera_credentials, admin_password),
	    .path = ".admin_password",
	    .label = N_("Admin password"), .flags = UF_STRENGTH,
	    .shown = cred_any_new,
	    .hint = N_("Activates the factory-new cameras; for a camera that "
		"has users, its current administrator password.") },
};

/* The vendors among the ticked cameras (factory-new only if only_new);
 * returns how many, into v. */
static size_t
cred_vendors(struct wizard *w, bool only_new, enum vg_onvif_vendor *v,
    size_t max)
{
	size_t i, k, n = 0;
	enum vg_onvif_vendor x;

	const struct vg_camera *cam = cred_camera(w);

	if (cam != NULL) {	/* one camera: its vendor */
		const struct wdraft_found *f = cred_found(w, cam->name);

		if (max > 0)
			v[n++] = f != NULL ? wdraft_found_vendor(f) :
			    VG_ONVIF_VENDOR_GENERIC;
		return n;
	}
	for (i = 0; i < w->cams.n; i++) {
		const struct wdraft_found *f = &w->cams.v[i];

		if (!cred_shares(w, f) || (only_new && !f->factory_new))
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
	char *line;
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
	if (cred_admin_is_new(w) && y < y0 + h) {
		cred_policy(w, _("Admin password"), c->admin_password.value,
		    cred_camera(w) == NULL, win, y, y0 + h - y, width, &r);
		y += r;
	}
	if (w->cams.own_cred.n > 0 && y < y0 + h) {
		char *names = wdraft_list_join(&w->cams.own_cred);

		/* TRANSLATORS: %s is a list of camera names */
		xasprintf(&line, _("With their own password: %s."), names);
		free(names);
		y += ui_wrap(win, y, 1, width, y0 + h - y, line,
		    tui_attr(UI_PAIR_DIM));
		free(line);
	}
	return y - y0;
}

static const char *const cred_scope[] = { ".", NULL };

static const struct ui_page_def cred_page = {
	.intro = N_("One ONVIF user and password for every camera.  "
	    "Factory-new cameras are activated first with the administrator "
	    "below."),
	.fields = cred_fields,
	.nfields = sizeof cred_fields / sizeof cred_fields[0],
	.base = cred_base,
	.prefix = cred_prefix,
	.scope = cred_scope,
	.extra = cred_extra,
};

/* The problem with the credentials of target t (see cr.target), or
 * NULL; translated. */
static const char *
cred_problem(struct wizard *w, int t)
{
	const struct vg_camera_credentials *c;
	const char *why = NULL;
	int keep = cr.target;

	cr.target = t;
	c = cred_base(w);
	if (c->user == NULL || c->password.value == NULL)
		why = _("Give the ONVIF user and password.");
	else if (cred_policy(w, "", c->password.value, false, NULL, 0, 0, 0,
	    NULL) > 0)
		why = _("A password breaks a vendor's rules: see the lines "
		    "under the fields.");
	else if (cred_any_new(w) && t == 0 && (c->admin_user == NULL ||
	    c->admin_password.value == NULL))
		why = _("Give the administrator user and password for the "
		    "factory-new cameras.");
	else if (cred_admin_is_new(w) && c->admin_password.value != NULL &&
	    cred_policy(w, "", c->admin_password.value, t == 0, NULL, 0, 0, 0,
	    NULL) > 0)
		why = _("A password breaks a vendor's rules: see the lines "
		    "under the fields.");
	cr.target = keep;
	cred_camera(w);
	return why;
}

/* Next: every rule met, for all cameras and for each camera with its own
 * password; then the values go into the draft. */
static bool
cred_validate(struct wizard *w)
{
	const char *why;
	size_t on = 0, i;

	if (!page_validate(w))
		return false;
	for (i = 0; i < w->cams.n; i++)
		on += cred_shares(w, &w->cams.v[i]);
	if (on > 0 && (why = cred_problem(w, 0)) != NULL) {
		if (cr.target != 0) {
			cr.target = 0;
			page_rebuild(w);
		}
		wizard_status(w, true, "%s", why);
		return false;
	}
	for (i = 0; i < w->draft->ncameras; i++) {
		if (!wdraft_own(&w->cams.own_cred, w->draft->cameras[i].name))
			continue;
		if ((why = cred_problem(w, (int)i + 1)) != NULL) {
			cr.target = (int)i + 1;
			page_rebuild(w);
			/* TRANSLATORS: camera name, the problem */
			wizard_status(w, true, _("%s: %s"),
			    w->draft->cameras[i].name, why);
			return false;
		}
	}
	wdraft_sync_credentials(w->draft, &w->cams);
	wizard_changed(w);
	return true;
}

/* Back keeps what was typed in the draft too. */
static void
cred_leave(struct wizard *w)
{
	page_leave(w);
	if (w->cams.cred_loaded)
		wdraft_sync_credentials(w->draft, &w->cams);
}

/* The camera choice lists the draft's cameras. */
static void
cred_enter(struct wizard *w)
{
	cr.labels = wdraft_camera_choices(w->draft, cr.labels);
	cred_fields[F_TARGET].choices = cr.labels;
	cred_camera(w);
	if (!cr.entered) {	/* start on the user: most sites share one */
		cr.entered = true;
		wizard_page(w)->focus = F_OWN + 1;
	}
	page_enter(w);
}

/* Two secrets hold the same value. */
static bool
secret_same(const struct vg_secret *a, const char *b)
{
	return (a->value == NULL && b == NULL) || (a->value != NULL &&
	    b != NULL && strcmp(a->value, b) == 0);
}

/* A key: typing into one camera's fields gives it its own password. */
static int
cred_key(struct wizard *w, int ch, bool is_key)
{
	struct vg_camera *cam = cred_camera(w);
	char *before[4] = { NULL, NULL, NULL, NULL };
	int focus = wizard_page(w)->focus, k, target = cr.target;
	bool same;

	if (cam != NULL) {
		const struct vg_camera_credentials *c = &cam->credentials;

		before[0] = c->user != NULL ? xstrdup(c->user) : NULL;
		before[1] = c->password.value != NULL ?
		    xstrdup(c->password.value) : NULL;
		before[2] = c->admin_user != NULL ? xstrdup(c->admin_user) :
		    NULL;
		before[3] = c->admin_password.value != NULL ?
		    xstrdup(c->admin_password.value) : NULL;
	}
	k = page_key(w, ch, is_key);
	if (cam != NULL && cr.target == target && focus != F_OWN &&
	    focus != F_TARGET) {
		const struct vg_camera_credentials *c = &cam->credentials;

		same = ((c->user == NULL && before[0] == NULL) ||
		    (c->user != NULL && before[0] != NULL &&
		    strcmp(c->user, before[0]) == 0)) &&
		    secret_same(&c->password, before[1]) &&
		    ((c->admin_user == NULL && before[2] == NULL) ||
		    (c->admin_user != NULL && before[2] != NULL &&
		    strcmp(c->admin_user, before[2]) == 0)) &&
		    secret_same(&c->admin_password, before[3]);
		if (!same && !wdraft_own(&w->cams.own_cred, cam->name)) {
			wdraft_own_set(&w->cams.own_cred, cam->name, true);
			/* its administrator is most likely the usual one */
			if (cam->credentials.admin_user == NULL)
				cam->credentials.admin_user = xstrdup(
				    w->cams.cred.admin_user != NULL ?
				    w->cams.cred.admin_user : "admin");
			wizard_changed(w);
			page_rebuild(w);
		}
	}
	if (cr.target != target)
		page_rebuild(w);
	free(before[0]);
	free(before[2]);
	if (before[1] != NULL)
		explicit_bzero(before[1], strlen(before[1]));
	if (before[3] != NULL)
		explicit_bzero(before[3], strlen(before[3]));
	free(before[1]);
	free(before[3]);
	return k;
}

const struct wizard_step step_credentials = {
	.id = "credentials",
	.title = N_("Camera passwords"),
	.help = N_("vigia creates the ONVIF user on every camera (or resets "
	    "its password) and records with it.  A factory-new camera has no "
	    "user at all: it is activated with the administrator user and "
	    "password first.  Each vendor has its own password rules; they "
	    "are checked as you type, before anything is sent.  Under "
	    "Cameras, choose one camera to give it a password of its own, or "
	    "the current administrator password of a camera that already "
	    "has users."),
	.page = &cred_page,
	.enter = cred_enter,
	.key = cred_key,
	.validate = cred_validate,
	.leave = cred_leave,
};
