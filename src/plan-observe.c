/* plan-observe.c - find each camera of a plan and read its state.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A camera is looked for where the configuration says it is
 * (onvif.address, match.address), then where vigia moves it
 * (network.address: a second apply finds it there), then through
 * WS-Discovery when it has a MAC or serial to be recognised by.  Whatever
 * answers must carry the configured MAC and serial.  Logging in tries the
 * ONVIF user first, then (without a second wrong password) whether the
 * camera is factory-new, then the administrator: a camera that locks
 * accounts after a few failures sees at most two.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "plan-int.h"

/* Outcome of looking at one address. */
enum try_result {
	TRY_FOUND,		/* it is our camera; session open */
	TRY_OTHER,		/* another camera answers there */
	TRY_FAIL,		/* no answer, or no way in */
};

/* Device-service URL of cam at host (caller frees); NULL if bad. */
static char *
cam_url(const struct vg_camera *cam, const char *host)
{
	const struct vg_camera_onvif *o = &cam->onvif;
	char *target = NULL, *url = NULL;
	bool v6 = strchr(host, ':') != NULL;

	xasprintf(&target, "%s%s%s:%d%s", v6 ? "[" : "", host, v6 ? "]" : "",
	    o->port > 0 ? o->port : o->tls ? 443 : 80,
	    o->path != NULL ? o->path : "/onvif/device_service");
	if (vg_onvif_target_url(target, o->tls, &url, NULL) != VG_OK)
		url = NULL;
	free(target);
	return url;
}

/* Session options for cam as user/password (NULL: anonymous). */
static void
cam_opts(const struct vg_camera *cam, const char *user, const char *password,
    struct vg_onvif_opts *o)
{
	memset(o, 0, sizeof *o);
	o->user = user;
	o->password = password;
	o->timeout_ms = cam->onvif.timeout_ms;
	o->legacy_tls = cam->onvif.legacy_tls;
	o->tls_fingerprint = cam->onvif.tls_fingerprint;
}

/* Open a session at url in the way access says. */
int
plan_open(const struct vg_camera *cam, const char *url,
    enum vg_plan_access access, struct vg_onvif **out, char **cause)
{
	const struct vg_camera_credentials *cr = &cam->credentials;
	struct vg_onvif_opts o;

	if (access == VG_PLAN_ACCESS_USER)
		cam_opts(cam, cr->user, cr->password.value, &o);
	else if (access == VG_PLAN_ACCESS_ADMIN)
		cam_opts(cam, cr->admin_user, cr->admin_password.value, &o);
	else
		cam_opts(cam, NULL, NULL, &o);
	return vg_onvif_open(url, &o, out, cause);
}

/* The class of a failed vg_onvif_open() (the session is gone). */
static enum vg_onvif_class
open_class(int err)
{
	switch (err) {
	case VG_ERR_TIMEOUT:
		return VG_ONVIF_TIMEOUT;
	case VG_ERR_AUTH:
		return VG_ONVIF_AUTH;
	case VG_ERR_PROTO:
		return VG_ONVIF_NOT_ONVIF;
	case VG_ERR_PERM:
		return VG_ONVIF_TLS;
	default:
		return VG_ONVIF_UNREACHABLE;
	}
}

/* Keep the first failure's class and English detail. */
static void
keep_failure(enum vg_onvif_class *cls, char **cause, enum vg_onvif_class c,
    char **why)
{
	if (*cause == NULL && why != NULL && *why != NULL) {
		*cause = *why;
		*why = NULL;
		*cls = c;
	}
	if (why != NULL) {
		free(*why);
		*why = NULL;
	}
}

/* Log in at url: as the user, as a factory-new camera, as the
 * administrator.  On success *out is the session, *access how and *info
 * the device information. */
static int
login(const struct vg_camera *cam, const char *url, struct vg_onvif **out,
    enum vg_plan_access *access, struct vg_onvif_info *info,
    enum vg_onvif_class *cls, char **cause)
{
	const struct vg_camera_credentials *cr = &cam->credentials;
	struct vg_onvif *s = NULL;
	enum vg_onvif_class c;
	char *why = NULL;
	bool fresh = false;
	int err = VG_ERR_AUTH;

	*out = NULL;
	*cls = VG_ONVIF_OK;
	memset(info, 0, sizeof *info);
	if (cr->user != NULL && cr->password.value != NULL) {
		if ((err = plan_open(cam, url, VG_PLAN_ACCESS_USER, &s,
		    &why)) != VG_OK) {
			/* no answer at all: nothing else will do better */
			*cls = why != NULL && strstr(why, "TLS") != NULL ?
			    VG_ONVIF_TLS : open_class(err);
			*cause = why;
			return err;
		}
		if ((err = vg_onvif_get_info(s, info, &why)) == VG_OK) {
			/* a Profile Q camera in its factory state lets
			 * anyone in, whatever the name */
			*access = info->scopes.factory_default ?
			    VG_PLAN_ACCESS_FACTORY : VG_PLAN_ACCESS_USER;
			*out = s;
			return VG_OK;
		}
		c = vg_onvif_last_class(s);
		vg_onvif_free(s);
		s = NULL;
		if (c != VG_ONVIF_AUTH && c != VG_ONVIF_LOCKED &&
		    c != VG_ONVIF_CLOCK) {
			*cls = c;
			*cause = why;
			return err;
		}
		keep_failure(cls, cause, c, &why);
	}
	/* factory-new?  (anonymous: costs no failed login) */
	if ((err = plan_open(cam, url, VG_PLAN_ACCESS_FACTORY, &s, &why)) ==
	    VG_OK && vg_onvif_is_factory_new(s, &fresh, NULL) == VG_OK &&
	    fresh) {
		vg_onvif_info_clear(info);
		if (vg_onvif_get_info(s, info, NULL) != VG_OK)
			log_info("plan: %s: factory-new camera hides its "
			    "device information until activated", url);
		*access = VG_PLAN_ACCESS_FACTORY;
		*out = s;
		free(why);
		return VG_OK;
	}
	if (err != VG_OK) {
		keep_failure(cls, cause, open_class(err), &why);
		if (*cls == VG_ONVIF_OK)
			*cls = open_class(err);
		return err;
	}
	free(why);
	why = NULL;
	vg_onvif_free(s);
	s = NULL;
	if (cr->admin_user != NULL && cr->admin_password.value != NULL) {
		if ((err = plan_open(cam, url, VG_PLAN_ACCESS_ADMIN, &s,
		    &why)) == VG_OK) {
			vg_onvif_info_clear(info);
			if ((err = vg_onvif_get_info(s, info, &why)) ==
			    VG_OK) {
				*access = VG_PLAN_ACCESS_ADMIN;
				*out = s;
				return VG_OK;
			}
			c = vg_onvif_last_class(s);
			vg_onvif_free(s);
			keep_failure(cls, cause, c, &why);
			if (*cls == VG_ONVIF_OK)
				*cls = c;
			return err;
		}
		keep_failure(cls, cause, open_class(err), &why);
	}
	if (*cls == VG_ONVIF_OK)
		*cls = VG_ONVIF_AUTH;
	if (*cause == NULL)
		*cause = xstrdup("no credentials were accepted");
	return VG_ERR_AUTH;
}

/* Does info describe the configured camera? */
static bool
identity_matches(const struct vg_camera *cam, const struct vg_onvif_info *in)
{
	const char *mac = in->mac != NULL ? in->mac : in->scopes.mac;

	if (cam->match.mac != NULL && mac != NULL &&
	    strcasecmp(cam->match.mac, mac) != 0)
		return false;
	if (cam->match.serial != NULL && in->serial != NULL &&
	    strcmp(cam->match.serial, in->serial) != 0)
		return false;
	/* a camera that hides both (factory-new) is taken by address */
	return true;
}

/* Look at one URL. */
static enum try_result
try_at(struct vg_plan_camera *pc, const char *url, const char *found_by,
    struct vg_onvif **out, enum vg_onvif_class *cls, char **cause)
{
	const struct vg_camera *cam = pc->cam;
	struct vg_onvif_info info;
	enum vg_plan_access access = VG_PLAN_ACCESS_NONE;
	struct vg_onvif *s = NULL;

	*out = NULL;
	if (login(cam, url, &s, &access, &info, cls, cause) != VG_OK)
		return TRY_FAIL;
	if (!identity_matches(cam, &info)) {
		free(*cause);
		xasprintf(cause, "%s answers as another camera (serial %s, "
		    "MAC %s)", url, info.serial != NULL ? info.serial : "?",
		    info.mac != NULL ? info.mac : "?");
		*cls = VG_ONVIF_OK;
		vg_onvif_info_clear(&info);
		vg_onvif_free(s);
		return TRY_OTHER;
	}
	plan_observed_clear(&pc->obs);
	pc->obs.info = info;
	pc->obs.access = access;
	pc->obs.url = xstrdup(vg_onvif_url(s));
	pc->obs.found_by = xstrdup(found_by);
	*out = s;
	return TRY_FOUND;
}

/* Read users, time, encoder and network through s into pc->obs; parts
 * that fail stay unknown (have_* false). */
void
plan_read_state(const struct vg_config *cfg, struct vg_plan_camera *pc,
    struct vg_onvif *s)
{
	const struct vg_camera *cam = pc->cam;
	struct vg_plan_observed *o = &pc->obs;
	struct vg_onvif_user *users = NULL;
	struct vg_onvif_profile *p = NULL;
	size_t n = 0, i;
	int want, k;
	char *why = NULL;

	(void)cfg;
	if (o->access == VG_PLAN_ACCESS_ADMIN &&
	    vg_onvif_get_users(s, &users, &n, NULL) == VG_OK) {
		o->users_known = true;
		for (i = 0; i < n; i++)
			if (cam->credentials.user != NULL &&
			    strcmp(users[i].name, cam->credentials.user) == 0)
				o->user_exists = true;
		vg_onvif_users_free(users, n);
	}
	vg_onvif_time_clear(&o->time);
	o->have_time = vg_onvif_get_time(s, &o->time, &why) == VG_OK;
	if (!o->have_time)
		log_info("plan: %s: time not readable: %s", cam->name,
		    why != NULL ? why : "?");
	free(why);
	why = NULL;

	vg_onvif_encoder_clear(&o->encoder);
	free(o->profile);
	o->profile = NULL;
	o->have_encoder = false;
	n = 0;
	if (vg_onvif_get_profiles(s, &p, &n, &why) == VG_OK) {
		want = plan_profile_index(cam);
		for (i = 0, k = 0; i < n; i++) {
			if (!p[i].has_encoder)
				continue;
			if (k++ != want)
				continue;
			o->encoder = p[i].enc;
			memset(&p[i].enc, 0, sizeof p[i].enc);
			o->profile = xstrdup(p[i].token);
			o->have_encoder = true;
			break;
		}
		vg_onvif_profiles_free(p, n);
	} else
		log_info("plan: %s: profiles not readable: %s", cam->name,
		    why != NULL ? why : "?");
	free(why);
	why = NULL;

	vg_onvif_net_clear(&o->net);
	o->have_net = vg_onvif_get_network(s, &o->net, &why) == VG_OK;
	if (!o->have_net)
		log_info("plan: %s: network not readable: %s", cam->name,
		    why != NULL ? why : "?");
	free(why);
}

/* Is network.address taken by someone else?  Only asked when the camera
 * is to move there. */
static void
check_target(struct vg_plan_camera *pc)
{
	const struct vg_camera_network *n = &pc->cam->network;
	char *how = NULL, *host;
	bool in_use = false;
	int port = pc->cam->onvif.port > 0 ? pc->cam->onvif.port :
	    pc->cam->onvif.tls ? 443 : 80;

	free(pc->obs.addr_in_use);
	pc->obs.addr_in_use = NULL;
	if (n->mode != VG_NETWORK_STATIC || n->address == NULL)
		return;
	if (pc->obs.have_net && pc->obs.net.address != NULL &&
	    strcmp(pc->obs.net.address, n->address) == 0)
		return;
	host = vg_onvif_url_host(pc->obs.url);
	if (host != NULL && strcmp(host, n->address) == 0) {
		free(host);
		return;
	}
	free(host);
	if (vg_onvif_address_in_use(n->address, port, 500, &in_use, &how) ==
	    VG_OK && in_use)
		pc->obs.addr_in_use = how != NULL ? how : xstrdup("in use");
	else
		free(how);
}

/* The plan's WS-Discovery results, discovering on first call. */
static const struct vg_onvif_devlist *
plan_devices(struct vg_plan *plan)
{
	struct vg_plan_priv *pv = plan->priv;
	const struct vg_plan_opts *o = pv->opts;
	char *why = NULL;

	pthread_mutex_lock(&pv->disc_lock);
	if (!pv->disc_done) {
		if (vg_onvif_discover(o != NULL ? o->discover : NULL,
		    &pv->devs, &why) != VG_OK)
			log_warn("plan: discovery failed: %s",
			    why != NULL ? why : "?");
		else
			log_info("plan: discovery found %zu device(s)",
			    pv->devs.n);
		free(why);
		pv->disc_done = true;
	}
	pthread_mutex_unlock(&pv->disc_lock);
	return &pv->devs;
}

/* Was host among the addresses already tried? */
static bool
tried(char **hosts, size_t n, const char *host)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (host != NULL && strcmp(hosts[i], host) == 0)
			return true;
	return false;
}

/* Find, identify and read one camera. */
static void
observe_one(struct vg_plan *plan, size_t i)
{
	struct vg_plan_camera *pc = &plan->cams[i];
	const struct vg_camera *cam = pc->cam;
	const struct vg_plan_opts *opts = plan->priv->opts;
	const char *cand[3], *how[3] = { "onvif.address", "match.address",
	    "network.address" };
	char *hosts[3], *url, *cause = NULL;
	enum vg_onvif_class cls = VG_ONVIF_OK;
	enum try_result r = TRY_FAIL;
	struct vg_onvif *s = NULL;
	size_t nh = 0, k;
	int64_t t0 = plan_now_us();

	free(pc->problem);
	pc->problem = NULL;
	pc->observed = false;
	cand[0] = cam->onvif.address;
	cand[1] = cam->match.address;
	cand[2] = cam->network.mode == VG_NETWORK_STATIC ?
	    cam->network.address : NULL;
	for (k = 0; k < 3 && r != TRY_FOUND; k++) {
		char *why = NULL;
		enum vg_onvif_class c = VG_ONVIF_OK;

		if (cand[k] == NULL || tried(hosts, nh, cand[k]))
			continue;
		if (plan_cancelled(plan))
			break;
		hosts[nh++] = xstrdup(cand[k]);
		if ((url = cam_url(cam, cand[k])) == NULL)
			continue;
		r = try_at(pc, url, how[k], &s, &c, &why);
		free(url);
		/* report the first failure, unless a later address says
		 * more: something answered there (wrong password, too slow)
		 * where the first had nobody, or the first answered as
		 * another camera */
		if (r != TRY_FOUND && (cause == NULL || (c != VG_ONVIF_OK &&
		    (cls == VG_ONVIF_OK || (cls == VG_ONVIF_UNREACHABLE &&
		    c != VG_ONVIF_UNREACHABLE))))) {
			free(cause);
			cause = why;
			cls = c;
		} else
			free(why);
	}
	if (r != TRY_FOUND && !plan_cancelled(plan) &&
	    (cam->match.mac != NULL || cam->match.serial != NULL) &&
	    (opts == NULL || !opts->no_discovery)) {
		const struct vg_onvif_devlist *l = plan_devices(plan);

		for (k = 0; k < l->n && r != TRY_FOUND; k++) {
			const struct vg_onvif_device *d = &l->v[k];
			char *host, *why = NULL;
			enum vg_onvif_class c;

			if (d->xaddr == NULL || d->gone)
				continue;
			if (cam->match.mac != NULL && d->scopes.mac != NULL &&
			    strcasecmp(d->scopes.mac, cam->match.mac) != 0)
				continue;
			host = vg_onvif_url_host(d->xaddr);
			if (!tried(hosts, nh, host))
				r = try_at(pc, d->xaddr, "discovery", &s, &c,
				    &why);
			free(host);
			free(why);
		}
	}
	if (r == TRY_FOUND) {
		pc->observed = true;
		plan_read_state(plan->cfg, pc, s);
		check_target(pc);
		pc->cls = VG_ONVIF_OK;
		free(cause);
	} else {
		pc->cls = cls;
		if (plan_cancelled(plan)) {
			free(cause);
			cause = xstrdup("cancelled");
		}
		if (cause == NULL)
			xasprintf(&cause, "no address to reach it at%s",
			    cam->match.mac != NULL || cam->match.serial !=
			    NULL ? ", and discovery did not find it" : "");
		else if (cam->match.mac != NULL || cam->match.serial != NULL) {
			char *c2;

			xasprintf(&c2, "%s; %s", cause,
			    opts != NULL && opts->no_discovery ?
			    "discovery was not used" :
			    "discovery did not find it either");
			free(cause);
			cause = c2;
		}
		pc->problem = cause;
	}
	vg_onvif_free(s);
	for (k = 0; k < nh; k++)
		free(hosts[k]);
	pc->elapsed_us = plan_now_us() - t0;
	log_info("plan: %s: %s in %lld ms", cam->name, pc->observed ?
	    "observed" : "not found", (long long)(pc->elapsed_us / 1000));

	pthread_mutex_lock(&plan->priv->lock);
	plan->priv->counts.cameras_done++;
	if (!pc->observed)
		plan->priv->counts.unreachable++;
	plan_notify(plan, i, -1);
	pthread_mutex_unlock(&plan->priv->lock);
}

/* Read every camera of the plan. */
void
vg_plan_observe(struct vg_plan *plan, const struct vg_plan_opts *opts)
{
	plan->priv->opts = opts;
	pthread_mutex_lock(&plan->priv->lock);
	plan->priv->counts.cameras_done = 0;
	plan->priv->counts.unreachable = 0;
	pthread_mutex_unlock(&plan->priv->lock);
	plan_run_pool(plan, opts != NULL ? opts->parallel : 0, NULL,
	    observe_one);
	plan->priv->opts = NULL;
}
