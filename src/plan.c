/* plan.c - commissioning plans: which cameras, and the pure planner that
 * turns (desired, observed) into steps with before/after values.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing here talks to a camera: plan-observe.c fills the observed state,
 * plan-apply.c runs the steps, plan-report.c writes the JSON report.  The
 * planner compares exactly what the apply functions of onvif.h compare,
 * so that a camera they leave verified plans as unchanged.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "i18n.h"
#include "plan-int.h"

/* ---- names ---------------------------------------------------------------- */

static const char *const step_names[VG_PLAN_NSTEP_KINDS] = {
	"activate", "user", "time", "encoder", "network",
};
/* TRANSLATORS: step names in the plan, at most 10 columns each */
static const char *const step_titles[VG_PLAN_NSTEP_KINDS] = {
	N_("activate"), N_("user"), N_("time"), N_("encoder"), N_("network"),
};

/* Stable key of a step kind. */
const char *
vg_plan_step_name(enum vg_plan_step_kind kind)
{
	return (unsigned)kind < VG_PLAN_NSTEP_KINDS ? step_names[kind] : "?";
}

/* Translated name of a step kind. */
const char *
vg_plan_step_title(enum vg_plan_step_kind kind)
{
	return (unsigned)kind < VG_PLAN_NSTEP_KINDS ? _(step_titles[kind]) :
	    "?";
}

/* Stable key of a step status. */
const char *
vg_plan_status_name(enum vg_plan_status st)
{
	switch (st) {
	case VG_PLAN_PENDING:
		return "pending";
	case VG_PLAN_RUNNING:
		return "running";
	case VG_PLAN_DONE:
		return "done";
	case VG_PLAN_FAILED:
		return "failed";
	case VG_PLAN_SKIPPED:
		return "skipped";
	case VG_PLAN_UNCHANGED:
		return "unchanged";
	}
	return "?";
}

/* Translated step status. */
const char *
vg_plan_status_title(enum vg_plan_status st)
{
	switch (st) {
	case VG_PLAN_PENDING:
		/* TRANSLATORS: step status, at most 10 columns */
		return _("pending");
	case VG_PLAN_RUNNING:
		/* TRANSLATORS: step status, at most 10 columns */
		return _("running");
	case VG_PLAN_DONE:
		/* TRANSLATORS: step status, at most 10 columns */
		return _("done");
	case VG_PLAN_FAILED:
		/* TRANSLATORS: step status, at most 10 columns */
		return _("failed");
	case VG_PLAN_SKIPPED:
		/* TRANSLATORS: step status, at most 10 columns */
		return _("skipped");
	case VG_PLAN_UNCHANGED:
		/* TRANSLATORS: step status, at most 10 columns */
		return _("unchanged");
	}
	return "?";
}

/* Stable key of a camera result. */
const char *
vg_plan_result_name(enum vg_plan_result r)
{
	switch (r) {
	case VG_PLAN_RESULT_NONE:
		return "planned";
	case VG_PLAN_RESULT_UNCHANGED:
		return "unchanged";
	case VG_PLAN_RESULT_OK:
		return "ok";
	case VG_PLAN_RESULT_FAILED:
		return "failed";
	case VG_PLAN_RESULT_CANCELLED:
		return "cancelled";
	}
	return "?";
}

/* Translated camera result. */
const char *
vg_plan_result_title(enum vg_plan_result r)
{
	switch (r) {
	case VG_PLAN_RESULT_NONE:
		/* TRANSLATORS: camera result, at most 10 columns */
		return _("planned");
	case VG_PLAN_RESULT_UNCHANGED:
		/* TRANSLATORS: camera result, at most 10 columns */
		return _("unchanged");
	case VG_PLAN_RESULT_OK:
		/* TRANSLATORS: camera result, at most 10 columns */
		return _("ok");
	case VG_PLAN_RESULT_FAILED:
		/* TRANSLATORS: camera result, at most 10 columns */
		return _("FAILED");
	case VG_PLAN_RESULT_CANCELLED:
		/* TRANSLATORS: camera result, at most 10 columns */
		return _("cancelled");
	}
	return "?";
}

/* Stable key of an access kind. */
const char *
vg_plan_access_name(enum vg_plan_access a)
{
	switch (a) {
	case VG_PLAN_ACCESS_NONE:
		return "none";
	case VG_PLAN_ACCESS_USER:
		return "user";
	case VG_PLAN_ACCESS_ADMIN:
		return "admin";
	case VG_PLAN_ACCESS_FACTORY:
		return "factory-new";
	}
	return "?";
}

/* ---- helpers ---------------------------------------------------------------- */

/* Microseconds on the monotonic clock. */
int64_t
plan_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* "a, b, c"; NULL for none. */
char *
plan_join(char *const *v, size_t n)
{
	size_t i, len = 1;
	char *s;

	if (n == 0)
		return NULL;
	for (i = 0; i < n; i++)
		len += strlen(v[i] != NULL ? v[i] : "") + 2;
	s = xmalloc(len);
	*s = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(s, ", ");
		strcat(s, v[i] != NULL ? v[i] : "");
	}
	return s;
}

/* The time zone a camera should have: its own, else the site's; NULL
 * leaves the camera's as it is. */
const char *
plan_timezone(const struct vg_config *cfg, const struct vg_camera *cam)
{
	if (cam->time.timezone != NULL)
		return cam->time.timezone;
	return cfg != NULL ? cfg->site.timezone : NULL;
}

/* 0 for the main stream, 1 for the sub stream. */
int
plan_profile_index(const struct vg_camera *cam)
{
	return cam->recording.stream == VG_STREAM_SUB ? 1 : 0;
}

/* Free what an observation holds. */
void
plan_observed_clear(struct vg_plan_observed *o)
{
	free(o->url);
	free(o->found_by);
	vg_onvif_info_clear(&o->info);
	vg_onvif_time_clear(&o->time);
	free(o->profile);
	vg_onvif_encoder_clear(&o->encoder);
	vg_onvif_net_clear(&o->net);
	free(o->addr_in_use);
	memset(o, 0, sizeof *o);
}

/* Free the changes and results of one step, keeping its kind. */
static void
step_clear(struct vg_plan_step *st)
{
	size_t i;

	for (i = 0; i < st->nchanges; i++) {
		free(st->changes[i].field);
		free(st->changes[i].before);
		free(st->changes[i].after);
	}
	free(st->changes);
	st->changes = NULL;
	st->nchanges = 0;
	free(st->blocker);
	st->blocker = NULL;
	free(st->error);
	st->error = NULL;
	for (i = 0; i < st->ndiffs; i++)
		free(st->diffs[i]);
	free(st->diffs);
	st->diffs = NULL;
	st->ndiffs = 0;
}

/* Free a camera's steps. */
void
plan_steps_free(struct vg_plan_camera *pc)
{
	size_t i;

	for (i = 0; i < pc->nsteps; i++)
		step_clear(&pc->steps[i]);
	free(pc->steps);
	pc->steps = NULL;
	pc->nsteps = 0;
}

/* Append a change; before/after are copied. */
static void
change_add(struct vg_plan_step *st, const char *field, const char *before,
    const char *after, bool unknown)
{
	struct vg_plan_change *c;

	st->changes = xreallocarray(st->changes, st->nchanges + 1,
	    sizeof *st->changes);
	c = &st->changes[st->nchanges++];
	c->field = xstrdup(field);
	c->before = before != NULL ? xstrdup(before) : NULL;
	c->after = after != NULL ? xstrdup(after) : NULL;
	c->before_unknown = unknown;
	c->op = unknown || before == NULL ? '+' : after == NULL ? '-' : '~';
}

/* Add a change when before and after differ (NULL = none). */
static void
change_cmp(struct vg_plan_step *st, const char *field, const char *before,
    const char *after)
{
	if (before == NULL && after == NULL)
		return;
	if (before != NULL && after != NULL && strcmp(before, after) == 0)
		return;
	change_add(st, field, before, after, false);
}

/* The same for integers. */
static void
change_int(struct vg_plan_step *st, const char *field, int before, int after)
{
	char b[32], a[32];

	if (before == after)
		return;
	snprintf(b, sizeof b, "%d", before);
	snprintf(a, sizeof a, "%d", after);
	change_add(st, field, b, a, false);
}

/* Set a translated blocker (first one wins). */
static void
step_block(struct vg_plan_step *st, const char *fmt, ...) VG_PRINTF(2, 3);
static void
step_block(struct vg_plan_step *st, const char *fmt, ...)
{
	va_list ap;

	if (st->blocker != NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&st->blocker, fmt, ap);
	va_end(ap);
}

/* ---- the pure planner, one step kind at a time ------------------------------ */

/* Activation and the ONVIF user. */
static void
compute_activate(const struct vg_plan_camera *pc, struct vg_plan_step *st)
{
	const struct vg_camera_credentials *cr = &pc->cam->credentials;
	char *why = NULL;

	change_add(st, "administrator", NULL, cr->admin_user != NULL ?
	    cr->admin_user : "?", false);
	change_add(st, "password", NULL, "(hidden)", false);
	if (cr->admin_user == NULL || cr->admin_password.value == NULL) {
		step_block(st, "%s", _("The camera is factory-new: set "
		    "credentials.admin_user and admin_password to activate "
		    "it."));
		return;
	}
	if (vg_onvif_password_check(vg_onvif_vendor_of(
	    pc->obs.info.manufacturer), cr->admin_password.value, &why) !=
	    VG_OK) {
		step_block(st, _("The administrator password does not meet "
		    "the camera's rules: %s"), why);
		free(why);
	}
}

/* The ONVIF user vigia works with. */
static void
compute_user(const struct vg_plan_camera *pc, struct vg_plan_step *st)
{
	const struct vg_camera_credentials *cr = &pc->cam->credentials;
	const struct vg_plan_observed *o = &pc->obs;
	char *why = NULL;

	if (o->access == VG_PLAN_ACCESS_ADMIN && o->users_known &&
	    o->user_exists)
		change_add(st, "password", "(refused)", "(hidden)", false);
	else if (o->access == VG_PLAN_ACCESS_ADMIN && !o->users_known)
		change_add(st, "password", "(refused)", "(hidden)", false);
	else {
		change_add(st, "user", NULL, cr->user, false);
		change_add(st, "password", NULL, "(hidden)", false);
	}
	if (cr->password.value == NULL) {
		step_block(st, "%s", _("credentials.password is not set."));
		return;
	}
	if (vg_onvif_password_check(vg_onvif_vendor_of(o->info.manufacturer),
	    cr->password.value, &why) != VG_OK) {
		step_block(st, _("The user's password does not meet the "
		    "camera's rules: %s"), why);
		free(why);
	}
}

/* NTP servers, time zone and clock. */
static void
compute_time(const struct vg_config *cfg, const struct vg_plan_camera *pc,
    struct vg_plan_step *st)
{
	const struct vg_camera *cam = pc->cam;
	const struct vg_onvif_time *t = &pc->obs.time;
	const char *tz = plan_timezone(cfg, cam);
	char *want_ntp, *have_ntp = NULL, *posix = NULL, b[32];

	want_ntp = plan_join(cam->time.ntp.v, cam->time.ntp.n);
	if (tz != NULL && (posix = vg_onvif_posix_tz(tz)) == NULL)
		step_block(st, _("Unknown time zone %s."), tz);
	if (!pc->obs.have_time) {
		change_add(st, "ntp", NULL, want_ntp, true);
		if (posix != NULL)
			change_add(st, "timezone", NULL, posix, true);
		change_add(st, "clock", NULL, "+0 s", true);
		goto out;
	}
	if (t->ntp)
		have_ntp = t->ntp_from_dhcp ? xstrdup("dhcp") :
		    plan_join(t->ntp_servers, t->nntp);
	change_cmp(st, "ntp", have_ntp, want_ntp);
	if (posix != NULL)
		change_cmp(st, "timezone", t->timezone, posix);
	if (llabs(t->offset_s) > (cam->time.max_drift_s > 0 ?
	    cam->time.max_drift_s : 2)) {
		snprintf(b, sizeof b, "%+lld s", (long long)t->offset_s);
		change_add(st, "clock", b, "+0 s", false);
	}
out:
	free(want_ntp);
	free(have_ntp);
	free(posix);
}


/* The encoder of the recorded stream. */
static void
compute_encoder(const struct vg_plan_camera *pc, struct vg_plan_step *st)
{
	const struct vg_camera_encoder *e = &pc->cam->encoder;
	const struct vg_onvif_encoder *cur = &pc->obs.encoder;
	struct vg_onvif_encoder_want w;
	char b[32], a[32];

	vg_onvif_encoder_want_from(&w, e);
	if (!pc->obs.have_encoder) {
		if (pc->obs.access != VG_PLAN_ACCESS_FACTORY) {
			if (plan_profile_index(pc->cam) == 1)
				step_block(st, "%s", _("The camera has no "
				    "sub stream (a second media profile with "
				    "a video encoder)."));
			else
				step_block(st, "%s", _("The camera's video "
				    "encoder could not be read."));
		}
		change_add(st, "codec", NULL, vg_onvif_codec_name(w.codec),
		    true);
		snprintf(a, sizeof a, "%dx%d", w.width, w.height);
		change_add(st, "resolution", NULL, a, true);
		snprintf(a, sizeof a, "%d", w.fps);
		change_add(st, "fps", NULL, a, true);
		snprintf(a, sizeof a, "%d", w.bitrate_kbps);
		change_add(st, "bitrate_kbps", NULL, a, true);
		snprintf(a, sizeof a, "%d", w.gop);
		change_add(st, "gop", NULL, a, true);
		if (w.profile != NULL)
			change_add(st, "profile", NULL, w.profile, true);
		return;
	}
	if (w.codec != cur->codec)
		change_add(st, "codec", vg_onvif_codec_name(cur->codec),
		    vg_onvif_codec_name(w.codec), false);
	if (w.width != cur->width || w.height != cur->height) {
		snprintf(b, sizeof b, "%dx%d", cur->width, cur->height);
		snprintf(a, sizeof a, "%dx%d", w.width, w.height);
		change_add(st, "resolution", b, a, false);
	}
	change_int(st, "fps", cur->fps, w.fps);
	change_int(st, "bitrate_kbps", cur->bitrate_kbps, w.bitrate_kbps);
	if (cur->gop != w.gop) {
		snprintf(a, sizeof a, "%d", w.gop);
		snprintf(b, sizeof b, "%d", cur->gop);
		change_add(st, "gop", cur->gop > 0 ? b : NULL, a, false);
	}
	if (w.profile != NULL && (cur->profile == NULL ||
	    strcasecmp(w.profile, cur->profile) != 0))
		change_add(st, "profile", cur->profile, w.profile, false);
	if (e->quality > 0 && fabsf(cur->quality - (float)e->quality) > 0.01f)
		change_int(st, "quality", (int)lroundf(cur->quality),
		    e->quality);
}

/* IPv4 settings. */
static void
compute_network(const struct vg_plan_camera *pc, struct vg_plan_step *st)
{
	const struct vg_camera_network *n = &pc->cam->network;
	const struct vg_onvif_net *net = &pc->obs.net;
	char want[64], have[64], *wd, *hd;

	if (n->mode == VG_NETWORK_DHCP) {
		if (pc->obs.have_net && net->dhcp)
			return;
		change_add(st, "address", pc->obs.have_net &&
		    net->address != NULL ? net->address : NULL, "dhcp",
		    !pc->obs.have_net);
		step_block(st, "%s", _("Switching a camera to DHCP is not "
		    "supported yet; set it in the camera's web page."));
		return;
	}
	snprintf(want, sizeof want, "%s/%d", n->address != NULL ? n->address :
	    "?", n->prefix);
	wd = plan_join(n->dns.v, n->dns.n);
	if (!pc->obs.have_net) {
		change_add(st, "address", NULL, want, true);
		if (n->gateway != NULL)
			change_add(st, "gateway", NULL, n->gateway, true);
		if (wd != NULL)
			change_add(st, "dns", NULL, wd, true);
		free(wd);
		return;
	}
	if (net->dhcp)
		snprintf(have, sizeof have, "dhcp");
	else
		snprintf(have, sizeof have, "%s/%d", net->address != NULL ?
		    net->address : "?", net->prefix);
	change_cmp(st, "address", have, want);
	if (n->gateway != NULL)
		change_cmp(st, "gateway", net->gateway, n->gateway);
	if (wd != NULL) {
		hd = net->dns_from_dhcp ? xstrdup("dhcp") :
		    plan_join(net->dns, net->ndns);
		change_cmp(st, "dns", hd, wd);
		free(hd);
	}
	free(wd);
}

/* Recompute one step of a camera from its observation. */
void
plan_compute_step(const struct vg_config *cfg, struct vg_plan_camera *pc,
    struct vg_plan_step *st)
{
	enum vg_plan_step_kind kind = st->kind;

	step_clear(st);
	st->kind = kind;
	st->wait_for = -1;
	switch (kind) {
	case VG_PLAN_STEP_ACTIVATE:
		compute_activate(pc, st);
		break;
	case VG_PLAN_STEP_USER:
		compute_user(pc, st);
		break;
	case VG_PLAN_STEP_TIME:
		compute_time(cfg, pc, st);
		break;
	case VG_PLAN_STEP_ENCODER:
		compute_encoder(pc, st);
		break;
	case VG_PLAN_STEP_NETWORK:
		if (pc->cam->network.mode != VG_NETWORK_KEEP)
			compute_network(pc, st);
		break;
	}
}

/* Steps of one camera from (desired, observed). */
void
vg_plan_compute_camera(const struct vg_config *cfg, struct vg_plan_camera *pc)
{
	const struct vg_camera_credentials *cr = &pc->cam->credentials;
	struct vg_plan_step st;
	int k;

	plan_steps_free(pc);
	if (!pc->observed)
		return;
	for (k = 0; k < VG_PLAN_NSTEP_KINDS; k++) {
		memset(&st, 0, sizeof st);
		st.kind = (enum vg_plan_step_kind)k;
		st.wait_for = -1;
		if (k == VG_PLAN_STEP_ACTIVATE &&
		    pc->obs.access != VG_PLAN_ACCESS_FACTORY)
			continue;
		if (k == VG_PLAN_STEP_USER && !(pc->obs.access ==
		    VG_PLAN_ACCESS_ADMIN || (pc->obs.access ==
		    VG_PLAN_ACCESS_FACTORY && cr->user != NULL &&
		    (cr->admin_user == NULL ||
		    strcmp(cr->user, cr->admin_user) != 0))))
			continue;
		plan_compute_step(cfg, pc, &st);
		if (st.nchanges == 0 && st.blocker == NULL) {
			step_clear(&st);
			continue;
		}
		pc->steps = xreallocarray(pc->steps, pc->nsteps + 1,
		    sizeof *pc->steps);
		pc->steps[pc->nsteps++] = st;
	}
}

/* The step of a kind, or NULL. */
static struct vg_plan_step *
find_step(struct vg_plan_camera *pc, enum vg_plan_step_kind kind)
{
	size_t i;

	for (i = 0; i < pc->nsteps; i++)
		if (pc->steps[i].kind == kind)
			return &pc->steps[i];
	return NULL;
}

/* Where a camera is now (its IPv4 address), or NULL. */
static const char *
current_address(const struct vg_plan_camera *pc)
{
	if (!pc->observed)
		return NULL;
	if (pc->obs.have_net && !pc->obs.net.dhcp &&
	    pc->obs.net.address != NULL)
		return pc->obs.net.address;
	if (pc->obs.have_net && pc->obs.net.address != NULL)
		return pc->obs.net.address;
	return NULL;
}

/* Checks across cameras: no address given twice; an address another
 * camera of the plan holds now is either freed first (wait_for) or a
 * blocker. */
static void
compute_batch(struct vg_plan *plan)
{
	size_t i, j, hops;
	bool *cycle;

	for (i = 0; i < plan->ncams; i++) {
		struct vg_plan_camera *a = &plan->cams[i];
		struct vg_plan_step *na = find_step(a, VG_PLAN_STEP_NETWORK);
		const char *target;
		bool held = false;

		if (na == NULL || a->cam->network.mode != VG_NETWORK_STATIC)
			continue;
		target = a->cam->network.address;
		if (target == NULL)
			continue;
		for (j = 0; j < plan->ncams; j++) {
			struct vg_plan_camera *b = &plan->cams[j];
			struct vg_plan_step *nb;
			const char *cur = current_address(b);

			if (j == i)
				continue;
			if (j < i && find_step(b, VG_PLAN_STEP_NETWORK) &&
			    b->cam->network.mode == VG_NETWORK_STATIC &&
			    b->cam->network.address != NULL &&
			    strcmp(b->cam->network.address, target) == 0)
				step_block(na, _("Address %s is also planned "
				    "for camera %s."), target, b->cam->name);
			if (cur == NULL || strcmp(cur, target) != 0)
				continue;
			nb = find_step(b, VG_PLAN_STEP_NETWORK);
			held = true;
			/* b holds the address now: it must move away first */
			if (nb != NULL && b->cam->network.mode ==
			    VG_NETWORK_STATIC && nb->blocker == NULL)
				na->wait_for = (long)j;
			else
				step_block(na, _("Address %s is used by camera "
				    "%s, which keeps it."), target,
				    b->cam->name);
		}
		/* another host (not a camera of this plan) answers there */
		if (!held && a->obs.addr_in_use != NULL)
			step_block(na, _("Address %s is already used by "
			    "another device (%s)."), target,
			    a->obs.addr_in_use);
	}
	/* a chain that comes back is a swap: it needs a spare address */
	cycle = xcalloc(plan->ncams + 1, sizeof *cycle);
	for (i = 0; i < plan->ncams; i++) {
		struct vg_plan_step *na = find_step(&plan->cams[i],
		    VG_PLAN_STEP_NETWORK);
		long k = na != NULL ? na->wait_for : -1;

		for (hops = 0; k >= 0 && hops <= plan->ncams; hops++) {
			struct vg_plan_step *nk;

			if ((size_t)k == i) {
				cycle[i] = true;
				break;
			}
			nk = find_step(&plan->cams[k], VG_PLAN_STEP_NETWORK);
			k = nk != NULL ? nk->wait_for : -1;
		}
	}
	for (i = 0; i < plan->ncams; i++) {
		struct vg_plan_step *na;

		na = find_step(&plan->cams[i], VG_PLAN_STEP_NETWORK);
		if (!cycle[i] || na == NULL)
			continue;
		na->wait_for = -1;
		step_block(na, "%s", _("The cameras swap addresses; give one "
		    "of them a spare address first."));
	}
	free(cycle);
}

/* Steps of every camera, then the checks across cameras. */
void
vg_plan_compute(struct vg_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->ncams; i++)
		vg_plan_compute_camera(plan->cfg, &plan->cams[i]);
	compute_batch(plan);
}

/* ---- selection, counting, freeing ------------------------------------------- */

/* Is name among only[] (case does not count, as in the configuration)? */
static bool
name_in(const char *name, const char *const *only, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(name, only[i]) == 0)
			return true;
	return false;
}

/* The cameras to work on. */
int
vg_plan_select(const struct vg_config *cfg, const struct vg_plan_opts *opts,
    struct vg_plan **out, char **cause)
{
	const char *const *only = opts != NULL ? opts->only : NULL;
	size_t nonly = opts != NULL && only != NULL ? opts->nonly : 0;
	struct vg_plan *plan;
	size_t i;

	*out = NULL;
	for (i = 0; i < nonly; i++) {
		size_t j;

		for (j = 0; j < cfg->ncameras; j++)
			if (strcasecmp(cfg->cameras[j].name, only[i]) == 0)
				break;
		if (j == cfg->ncameras) {
			if (cause != NULL)
				xasprintf(cause, _("no camera named '%s' in "
				    "the configuration"), only[i]);
			return VG_ERR_USAGE;
		}
	}
	plan = xcalloc(1, sizeof *plan);
	plan->cfg = cfg;
	plan->priv = xcalloc(1, sizeof *plan->priv);
	pthread_mutex_init(&plan->priv->lock, NULL);
	pthread_cond_init(&plan->priv->cond, NULL);
	pthread_mutex_init(&plan->priv->disc_lock, NULL);
	atomic_init(&plan->priv->cancel, false);
	plan->cams = xcalloc(cfg->ncameras > 0 ? cfg->ncameras : 1,
	    sizeof *plan->cams);
	for (i = 0; i < cfg->ncameras; i++) {
		const struct vg_camera *cam = &cfg->cameras[i];

		if (nonly > 0 ? !name_in(cam->name, only, nonly) :
		    !cam->enabled)
			continue;
		plan->cams[plan->ncams++].cam = cam;
	}
	plan->priv->finished = xcalloc(plan->ncams + 1, sizeof(bool));
	plan->priv->counts.cameras = plan->ncams;
	*out = plan;
	return VG_OK;
}

/* Select, observe, compute. */
int
vg_plan_new(const struct vg_config *cfg, const struct vg_plan_opts *opts,
    struct vg_plan **out, char **cause)
{
	int err;

	if ((err = vg_plan_select(cfg, opts, out, cause)) != VG_OK)
		return err;
	vg_plan_observe(*out, opts);
	vg_plan_compute(*out);
	return VG_OK;
}

/* Steps that change something. */
size_t
vg_plan_nchanges(const struct vg_plan *plan)
{
	size_t i, n = 0;

	for (i = 0; i < plan->ncams; i++)
		n += plan->cams[i].nsteps;
	return n;
}

/* Cameras with a given result. */
size_t
vg_plan_count_result(const struct vg_plan *plan, enum vg_plan_result r)
{
	size_t i, n = 0;

	for (i = 0; i < plan->ncams; i++)
		if (plan->cams[i].result == r)
			n++;
	return n;
}

/* Stop at the next step boundary. */
void
vg_plan_cancel(struct vg_plan *plan)
{
	atomic_store(&plan->priv->cancel, true);
}

/* Has the run been told to stop? */
bool
plan_cancelled(struct vg_plan *plan)
{
	const struct vg_plan_opts *o = plan->priv->opts;

	if (atomic_load(&plan->priv->cancel))
		return true;
	if (o != NULL && o->cancelled != NULL && o->cancelled(o->arg)) {
		atomic_store(&plan->priv->cancel, true);
		return true;
	}
	return false;
}

/* Tell the progress callback (plan locked). */
void
plan_notify(struct vg_plan *plan, size_t cam, long step)
{
	const struct vg_plan_opts *o = plan->priv->opts;

	if (o != NULL && o->progress != NULL)
		o->progress(o->arg, plan, cam, step);
}

/* A copy of the counters. */
void
vg_plan_progress(const struct vg_plan *plan, struct vg_plan_counts *c)
{
	pthread_mutex_lock(&plan->priv->lock);
	*c = plan->priv->counts;
	pthread_mutex_unlock(&plan->priv->lock);
}

/* Free a plan; accepts NULL. */
void
vg_plan_free(struct vg_plan *plan)
{
	size_t i;

	if (plan == NULL)
		return;
	for (i = 0; i < plan->ncams; i++) {
		struct vg_plan_camera *pc = &plan->cams[i];

		plan_steps_free(pc);
		plan_observed_clear(&pc->obs);
		free(pc->problem);
		free(pc->address);
		free(pc->last_seen);
	}
	free(plan->cams);
	if (plan->priv != NULL) {
		pthread_mutex_destroy(&plan->priv->lock);
		pthread_cond_destroy(&plan->priv->cond);
		pthread_mutex_destroy(&plan->priv->disc_lock);
		vg_onvif_devlist_clear(&plan->priv->devs);
		free(plan->priv->finished);
		free(plan->priv);
	}
	free(plan);
}
