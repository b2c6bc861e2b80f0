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

/* Is any ticked camera that shares the credentials one with users (to
 * be opened with its current administrator)? */
static bool
cred_any_used(struct wizard *w)
{
	size_t i;

	if (cred_camera(w) != NULL)
		return false;
	for (i = 0; i < w->cams.n; i++)
		if (cred_shares(w, &w->cams.v[i]) &&
		    !w->cams.v[i].factory_new)
			return true;
	return false;
}

static char *
csv_get(struct wizard *w)
{
	return xstrdup(w->cams.csv_path != NULL ? w->cams.csv_path : "");
}

static void
csv_set(struct wizard *w, const char *text)
{
	free(w->cams.csv_path);
	w->cams.csv_path = *text != '\0' ? xstrdup(text) : NULL;
}

/* Cameras: choose in the camera table (name, address, model, state). */
static int
cred_pick(struct wizard *w, const struct ui_field *f, int current)
{
	static struct ui_camtable t;

	/* TRANSLATORS: column heading: the camera's password */
	return ui_camtable_pick_own(w, _(f->label), &t, _("PASSWORD"),
	    &w->cams.own_cred, current);
}

#define F_TARGET 0
#define F_OWN 1

/* Not const: the camera choice's labels are made on entry. */
static struct ui_field cred_fields[] = {
	[F_TARGET] = { .kind = UI_CHOICE, .vtype = UV_CUSTOM,
	    .label = N_("Cameras"), .shown = cred_has_cameras,
	    .get_int = target_get, .set_int = target_set, .pick = cred_pick,
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
	{ .kind = UI_SECRET, .vtype = UV_SECRET,
	    .off = WDRAFT_SITE_ADMIN_OFF,
	    .label = N_("Existing password"), .shown = cred_any_used,
	    .hint = N_("Cameras that already have users are tried with their "
		"vendor's default and the CSV first; this password is then "
		"tried once on each one still locked.") },
	{ .kind = UI_TEXT, .vtype = UV_CUSTOM,
	    .label = N_("Passwords CSV"), .shown = cred_any_used,
	    .get_text = csv_get, .set_text = csv_set,
	    .hint = N_("A file with a line per camera: address, serial or "
		"MAC, user, password.  Read when Next is pressed.") },
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

/* The count of what opened the cameras with users (once they were
 * tried), drawn first: after Next it matters more than the rules. */
static int
cred_opened_line(struct wizard *w, WINDOW *win, int y, int h, int width)
{
	size_t k, def = 0, own = 0, lk = 0, unk = 0;
	char *line;
	int rows;

	if (h <= 0 || !cred_any_used(w))
		return 0;
	for (k = 0; k < w->cams.n; k++) {
		const struct wdraft_found *f = &w->cams.v[k];

		if (!cred_shares(w, f) || f->factory_new)
			continue;
		def += f->access == WDRAFT_ACCESS_DEFAULT;
		own += f->access == WDRAFT_ACCESS_OWN;
		lk += f->access == WDRAFT_ACCESS_LOCKED;
		unk += f->access == WDRAFT_ACCESS_UNKNOWN;
	}
	if (def + own + lk == 0)
		return 0;	/* not tried yet */
	/* TRANSLATORS: counts of the cameras that have users */
	xasprintf(&line, _("With users: %zu open by default, %zu by own "
	    "password, %zu locked, %zu to try."), def, own, lk, unk);
	rows = ui_wrap(win, y, 1, width, h, line, lk > 0 ?
	    tui_attr(UI_PAIR_ERROR) : tui_attr(UI_PAIR_DIM));
	free(line);
	return rows;
}

/* The vendor rules under the fields: one line per vendor when both
 * passwords fare the same with it (the usual case: both empty, or both
 * good), else one per password, so that the rules fit at 80x24. */
static int
cred_extra(struct wizard *w, WINDOW *win, int y, int h, int width)
{
	const struct vg_camera_credentials *c = cred_base(w);
	enum vg_onvif_vendor v[8];
	size_t i, n;
	char *line, *c1, *c2;
	int y0 = y;
	bool admin;

	if (w->cams.n == 0 || cred_vendors(w, false, (enum vg_onvif_vendor[1]){
	    0 }, 1) == 0) {
		ui_wrap(win, y, 1, width, h, _("No camera is ticked: these "
		    "credentials become the defaults of cameras added "
		    "later."), tui_attr(UI_PAIR_DIM));
		return 1;
	}
	y += cred_opened_line(w, win, y, h, width);
	admin = cred_admin_is_new(w);
	n = cred_vendors(w, false, v, 8);
	for (i = 0; i < n && y < y0 + h; i++) {
		enum vg_onvif_vendor adm[8];
		size_t k, na = admin ? cred_vendors(w, cred_camera(w) == NULL,
		    adm, 8) : 0;
		bool for_admin = false;

		for (k = 0; k < na; k++)
			for_admin |= adm[k] == v[i];
		c1 = c2 = NULL;
		vg_onvif_password_check(v[i], c->password.value != NULL ?
		    c->password.value : "", &c1);
		if (for_admin)
			vg_onvif_password_check(v[i],
			    c->admin_password.value != NULL ?
			    c->admin_password.value : "", &c2);
		if (!for_admin || (c1 == NULL && c2 == NULL) ||
		    (c1 != NULL && c2 != NULL && strcmp(c1, c2) == 0)) {
			/* TRANSLATORS: "HIKVISION: the passwords meet..." */
			xasprintf(&line, _("%s: %s"), vendor_title(v[i]),
			    c1 != NULL ? c1 : for_admin ?
			    _("both passwords meet the vendor's rules") :
			    _("the ONVIF password meets the vendor's rules"));
			y += ui_wrap(win, y, 1, width, y0 + h - y, line,
			    c1 != NULL ? tui_attr(UI_PAIR_ERROR) : A_NORMAL);
			free(line);
		} else {
			xasprintf(&line, _("%s, %s: %s"), _("ONVIF password"),
			    vendor_title(v[i]), c1 != NULL ? c1 :
			    _("meets the vendor's rules"));
			y += ui_wrap(win, y, 1, width, y0 + h - y, line,
			    c1 != NULL ? tui_attr(UI_PAIR_ERROR) : A_NORMAL);
			free(line);
			xasprintf(&line, _("%s, %s: %s"), _("Admin password"),
			    vendor_title(v[i]), c2 != NULL ? c2 :
			    _("meets the vendor's rules"));
			y += ui_wrap(win, y, 1, width, y0 + h - y, line,
			    c2 != NULL ? tui_attr(UI_PAIR_ERROR) : A_NORMAL);
			free(line);
		}
		free(c1);
		free(c2);
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

/* ---- opening the cameras that have users ------------------------------- */

#define OPEN_MAX 8		/* candidates per camera */
#define OPEN_WORKERS 8

/* One camera to open; the worker owns it. */
struct open_item {
	char *xaddr;
	char *name;
	struct vg_cred c[OPEN_MAX];	/* strings owned (copies) */
	size_t nc;
	/* results */
	int ok;			/* index of the pair that opened it, or -1 */
	int failed;		/* refused logins */
	bool unreachable;
};

struct open_arg {
	struct open_item *v;
	size_t n;
};

static bool open_running;	/* the job is this step's */

/* A pair's hash (FNV-1a): what was tried, without keeping the secret. */
static uint64_t
open_hash(const char *user, const char *password)
{
	uint64_t h = 1469598103934665603ULL;
	const char *p;

	for (p = user; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ '\n') * 1099511628211ULL;
	for (p = password; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

/* Free the worker's data, secrets wiped. */
static void
open_arg_free(struct open_arg *a)
{
	size_t i, k;

	for (i = 0; i < a->n; i++) {
		for (k = 0; k < a->v[i].nc; k++) {
			free((char *)a->v[i].c[k].user);
			explicit_bzero((char *)a->v[i].c[k].password,
			    strlen(a->v[i].c[k].password));
			free((char *)a->v[i].c[k].password);
		}
		free(a->v[i].xaddr);
		free(a->v[i].name);
	}
	free(a->v);
	free(a);
}

/* The worker, for one camera: each candidate in turn until one opens it;
 * a camera that does not answer is not tried further (no login spent). */
static void
open_one(void *arg, size_t i)
{
	struct open_item *it = &((struct open_arg *)arg)->v[i];
	struct vg_onvif_opts o;
	struct vg_onvif_info in;
	struct vg_onvif *s;
	size_t k;
	int err;

	it->ok = -1;
	for (k = 0; k < it->nc; k++) {
		memset(&o, 0, sizeof o);
		memset(&in, 0, sizeof in);
		o.user = it->c[k].user;
		o.password = it->c[k].password;
		o.timeout_ms = 3000;
		s = NULL;
		err = vg_onvif_open(it->xaddr, &o, &s, NULL);
		if (err == VG_OK)
			err = vg_onvif_get_info(s, &in, NULL);
		vg_onvif_info_clear(&in);
		vg_onvif_free(s);
		if (err == VG_OK) {
			it->ok = (int)k;
			return;
		}
		if (err != VG_ERR_AUTH) {
			it->unreachable = true;
			return;
		}
		it->failed++;
	}
}

static const char *
open_name(void *arg, size_t i)
{
	return ((struct open_arg *)arg)->v[i].name;
}

static int
open_worker(struct wizard_job *job)
{
	struct open_arg *a = job->arg;

	wizard_job_each(job, a->n, OPEN_WORKERS, open_one, open_name, a);
	return wizard_job_cancelled(job) ? VG_ERR_CANCELLED : VG_OK;
}

/* Start opening the ticked cameras with users that are not open yet,
 * with the pairs not tried on them; false if there is nothing to try (or
 * the CSV cannot be read: then the status says why and *stop is set). */
static bool
open_start(struct wizard *w, bool *stop)
{
	struct wdraft_cams *c = &w->cams;
	struct open_arg *a;
	struct vg_cred typed[2], cand[OPEN_MAX];
	const struct vg_cred_row *row;
	char *cause = NULL;
	size_t i, k, n, ntyped = 0;
	int err;

	*stop = false;
	vg_cred_csv_clear(&c->csv);
	if (c->csv_path != NULL && (err = vg_cred_csv_load(c->csv_path,
	    &c->csv, &cause)) != VG_OK) {
		/* TRANSLATORS: %s is the file and line, and what is wrong */
		wizard_status(w, true, _("The passwords CSV cannot be used: "
		    "%s"), cause != NULL ? cause : vg_strerror(err));
		free(cause);
		*stop = true;
		return false;
	}
	/* names from the CSV's fourth column */
	for (i = 0; i < c->n; i++) {
		const char *why;

		if (c->v[i].camera == NULL || !c->v[i].selected)
			continue;
		row = vg_cred_csv_find(&c->csv, c->v[i].host, c->v[i].serial,
		    c->v[i].mac);
		if (row != NULL && row->name != NULL &&
		    wdraft_rename_camera(w->draft, c, c->v[i].camera,
		    row->name, &why) != 0)
			/* TRANSLATORS: file, line, the name, why not */
			wizard_status(w, true, _("%s:%d: the name %s cannot be "
			    "used: %s"), c->csv_path, row->line, row->name, why);
	}
	if (c->site_admin.value != NULL)
		typed[ntyped++] = (struct vg_cred){ NULL, c->site_admin.value,
		    VG_CRED_TYPED };
	if (c->cred.admin_password.value != NULL)
		typed[ntyped++] = (struct vg_cred){ c->cred.admin_user,
		    c->cred.admin_password.value, VG_CRED_TYPED };
	a = xcalloc(1, sizeof *a);
	for (i = 0; i < c->n; i++) {
		struct wdraft_found *f = &c->v[i];
		struct open_item *it;

		if (!cred_shares(w, f) || f->factory_new || !f->identified ||
		    f->open_user != NULL || f->camera == NULL ||
		    f->xaddr == NULL)
			continue;
		row = vg_cred_csv_find(&c->csv, f->host, f->serial, f->mac);
		n = vg_cred_candidates(wdraft_found_vendor(f), row, typed,
		    ntyped, f->tries_failed, cand, OPEN_MAX);
		a->v = xreallocarray(a->v, a->n + 1, sizeof *a->v);
		it = &a->v[a->n];
		memset(it, 0, sizeof *it);
		for (k = 0; k < n; k++) {
			uint64_t h = open_hash(cand[k].user, cand[k].password);
			int t;

			for (t = 0; t < f->ntried && f->tried[t] != h; t++)
				;
			if (t < f->ntried)
				continue;	/* refused before */
			it->c[it->nc].user = xstrdup(cand[k].user);
			it->c[it->nc].password = xstrdup(cand[k].password);
			it->c[it->nc++].source = cand[k].source;
		}
		if (it->nc == 0) {
			f->access = WDRAFT_ACCESS_LOCKED;
			continue;
		}
		it->xaddr = xstrdup(f->xaddr);
		it->name = xstrdup(f->camera);
		a->n++;
	}
	if (a->n == 0) {
		open_arg_free(a);
		return false;
	}
	open_running = true;
	wizard_status(w, false, NULL);
	wizard_job_start(w, wizard_job_thread(_("Opening the cameras that "
	    "have users"), open_worker, a, true));
	return true;
}

/* The opening job ended: keep what opened each camera; all open: on to
 * the next step, as Next would have gone. */
static void
open_done(struct wizard *w, struct wizard_job *job)
{
	struct open_arg *a = job->arg;
	struct wdraft_cams *c = &w->cams;
	size_t i, k, locked = 0, opened = 0, with_users = 0;

	open_running = false;
	for (i = 0; i < a->n; i++) {
		struct open_item *it = &a->v[i];
		struct wdraft_found *f = NULL;

		for (k = 0; k < c->n && f == NULL; k++)
			if (c->v[k].camera != NULL &&
			    strcmp(c->v[k].camera, it->name) == 0)
				f = &c->v[k];
		if (f == NULL)
			continue;
		f->tries_failed += it->failed;
		for (k = 0; k < (size_t)it->failed && k < it->nc; k++)
			if (f->ntried < 8)
				f->tried[f->ntried++] = open_hash(
				    it->c[k].user, it->c[k].password);
		if (it->ok >= 0) {
			const struct vg_cred *p = &it->c[it->ok];

			free(f->open_user);
			f->open_user = xstrdup(p->user);
			free(f->open_password);
			f->open_password = xstrdup(p->password);
			f->access = p->source == VG_CRED_DEFAULT ?
			    WDRAFT_ACCESS_DEFAULT : WDRAFT_ACCESS_OWN;
		} else if (!it->unreachable)
			f->access = WDRAFT_ACCESS_LOCKED;
	}
	open_arg_free(a);
	for (i = 0; i < c->n; i++)
		if (cred_shares(w, &c->v[i]) && !c->v[i].factory_new &&
		    c->v[i].identified) {
			with_users++;
			opened += c->v[i].open_user != NULL;
		}
	locked = with_users - opened;
	wdraft_sync_credentials(w->draft, c);
	wizard_changed(w);
	if (job->result == VG_ERR_CANCELLED) {
		wizard_status(w, true, "%s", _("Stopped; Next tries the rest "
		    "again."));
		return;
	}
	/* on, as Next would have gone: the technician sees the cameras
	 * left locked in the status line and in every camera table, and
	 * Back brings them here to type their password */
	wizard_goto(w, &step_network);
	if (locked == 0)
		/* TRANSLATORS: the cameras with users opened */
		wizard_status(w, false, P_("%zu camera with users opened.",
		    "All %zu cameras with users opened.", opened), opened);
	else
		wizard_status(w, true, P_("%zu camera stays locked: Back, "
		    "then Existing password or the CSV.", "%zu cameras stay "
		    "locked: Back, then Existing password or the CSV.", locked),
		    locked);
}

/* Next: every rule met, for all cameras and for each camera with its own
 * password; then the values go into the draft. */
static bool
cred_validate(struct wizard *w)
{
	const char *why;
	size_t on = 0, i;
	bool stop;

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
	if (open_start(w, &stop) || stop)
		return false;	/* on when the cameras are open */
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
	cr.labels = wdraft_camera_choices(w->draft, &w->cams,
	    cr.labels);
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
	.job_done = open_done,
};
