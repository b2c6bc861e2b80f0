/* plan-apply.c - run a plan: a pool of worker threads, one camera (and
 * one ONVIF session) per worker at a time, steps in a safe order.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Per camera: activate -> user -> time -> encoder -> network, each
 * verified by the read-back that onvif.h does after every set.  A failed
 * activation or user step stops the camera (nothing else can be done
 * without credentials); a failed time or encoder step does not stop the
 * network step, so the camera still lands on its planned address and the
 * report says what it refused.  Cancellation is checked between steps;
 * a step in flight ends by itself (every ONVIF call has a deadline and
 * the network follow is bounded by follow_ms).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "plan-int.h"

/* ---- the worker pool -------------------------------------------------------- */

struct pool {
	struct vg_plan *plan;
	const size_t *order;
	size_t n;
	atomic_size_t next;
	void (*fn)(struct vg_plan *plan, size_t i);
};

/* One worker: take the next camera until none is left. */
static void *
pool_main(void *arg)
{
	struct pool *p = arg;
	size_t k;

	while ((k = atomic_fetch_add(&p->next, 1)) < p->n)
		p->fn(p->plan, p->order != NULL ? p->order[k] : k);
	return NULL;
}

/* Run fn over every camera on at most `parallel` threads. */
void
plan_run_pool(struct vg_plan *plan, int parallel, const size_t *order,
    void (*fn)(struct vg_plan *plan, size_t i))
{
	struct pool p;
	pthread_t *th;
	size_t nth, i, started = 0;

	if (plan->ncams == 0)
		return;
	nth = parallel > 0 ? (size_t)parallel : 8;
	if (nth > plan->ncams)
		nth = plan->ncams;
	p.plan = plan;
	p.order = order;
	p.n = plan->ncams;
	atomic_init(&p.next, 0);
	p.fn = fn;
	th = xcalloc(nth, sizeof *th);
	for (i = 0; i < nth; i++) {
		if (pthread_create(&th[i], NULL, pool_main, &p) != 0) {
			log_warn("plan: cannot start worker %zu: %s", i,
			    strerror(errno));
			break;
		}
		started++;
	}
	if (started == 0)
		pool_main(&p);	/* do it ourselves */
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
}

/* ---- one camera --------------------------------------------------------------- */

/* Set a step's status under the lock and tell the UI. */
static void
step_status(struct vg_plan *plan, size_t ci, size_t si,
    enum vg_plan_status st)
{
	struct vg_plan_step *step = &plan->cams[ci].steps[si];

	pthread_mutex_lock(&plan->priv->lock);
	step->status = st;
	if (st != VG_PLAN_RUNNING && st != VG_PLAN_PENDING)
		plan->priv->counts.steps_done++;
	plan_notify(plan, ci, (long)si);
	pthread_mutex_unlock(&plan->priv->lock);
}

/* Record a failure on a step: class and English detail. */
static void
step_fail(struct vg_plan_step *st, enum vg_onvif_class cls, char *cause,
    const char *fallback)
{
	st->cls = cls;
	free(st->error);
	st->error = cause != NULL ? cause : xstrdup(fallback);
}

/* Copy translated difference lines into a step. */
static void
step_diffs(struct vg_plan_step *st, char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		st->diffs = xreallocarray(st->diffs, st->ndiffs + 1,
		    sizeof *st->diffs);
		st->diffs[st->ndiffs++] = xstrdup(v[i]);
	}
}

/* Does a step still hold changes whose "before" is unknown? */
static bool
step_unknown(const struct vg_plan_step *st)
{
	size_t i;

	for (i = 0; i < st->nchanges; i++)
		if (st->changes[i].before_unknown)
			return true;
	return false;
}

/* Does the step change a field? */
static bool
step_has(const struct vg_plan_step *st, const char *field)
{
	size_t i;

	for (i = 0; i < st->nchanges; i++)
		if (strcmp(st->changes[i].field, field) == 0)
			return true;
	return false;
}

/* Time: NTP servers and time zone; a clock that is off is set by hand
 * first, so it is right now and NTP keeps it right. */
static int
run_time(struct vg_plan *plan, struct vg_plan_camera *pc,
    struct vg_plan_step *st, struct vg_onvif *s)
{
	const struct vg_camera *cam = pc->cam;
	const char *tz = plan_timezone(plan->cfg, cam);
	struct vg_strlist none = { 0, NULL };
	char *cause = NULL;
	int err;

	if (cam->time.ntp.n > 0 && step_has(st, "clock") &&
	    (err = vg_onvif_set_time(s, &none, tz, &cause)) != VG_OK) {
		step_fail(st, vg_onvif_last_class(s), cause, "set clock");
		return err;
	}
	if ((err = vg_onvif_set_time(s, &cam->time.ntp, tz, &cause)) !=
	    VG_OK) {
		step_fail(st, vg_onvif_last_class(s), cause, "set time");
		return err;
	}
	return VG_OK;
}

/* Encoder of the recorded stream, validated, set, read back. */
static int
run_encoder(struct vg_plan_camera *pc, struct vg_plan_step *st,
    struct vg_onvif *s)
{
	struct vg_onvif_encoder_want w;
	struct vg_onvif_encoder after;
	struct vg_onvif_diffs d = { NULL, NULL, 0 };
	enum vg_onvif_class cls;
	char *cause = NULL;
	int err;

	vg_onvif_encoder_want_from(&w, &pc->cam->encoder);
	err = vg_onvif_set_encoder(s, pc->obs.profile, &w, &after, &d,
	    &cause);
	if (err != VG_OK) {
		cls = vg_onvif_last_class(s);
		/* refused by the camera's own options: nothing was sent */
		if (err == VG_ERR_USAGE && cls == VG_ONVIF_OK)
			cls = VG_ONVIF_UNSUPPORTED;
		step_fail(st, cls, cause, "set encoder");
		step_diffs(st, d.human, d.n);
	} else
		free(cause);
	vg_onvif_encoder_clear(&after);
	vg_onvif_diffs_clear(&d);
	return err;
}

/* Wait until camera k has finished applying (it frees our address). */
static void
wait_camera(struct vg_plan *plan, long k, int ms)
{
	struct timespec ts;
	int64_t ns;

	clock_gettime(CLOCK_REALTIME, &ts);
	ns = (int64_t)ts.tv_nsec + (int64_t)(ms % 1000) * 1000000;
	ts.tv_sec += ms / 1000 + (time_t)(ns / 1000000000);
	ts.tv_nsec = (long)(ns % 1000000000);
	pthread_mutex_lock(&plan->priv->lock);
	while (!plan->priv->finished[k] &&
	    !atomic_load(&plan->priv->cancel))
		if (pthread_cond_timedwait(&plan->priv->cond,
		    &plan->priv->lock, &ts) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&plan->priv->lock);
}

/* Network: static IPv4 through vg_onvif_change_ipv4(), which claims the
 * address for this run, checks it is free, follows the camera and reads
 * the settings back. */
static int
run_network(struct vg_plan *plan, struct vg_plan_camera *pc,
    struct vg_plan_step *st, struct vg_onvif *s)
{
	const struct vg_plan_opts *o = plan->priv->opts;
	const struct vg_camera_network *n = &pc->cam->network;
	struct vg_onvif_ipv4 w;
	struct vg_onvif_ipchange r;
	char *cause = NULL;
	int follow = o != NULL && o->follow_ms > 0 ? o->follow_ms : 90000;
	int err;

	if (st->wait_for >= 0)
		wait_camera(plan, st->wait_for, follow + 30000);
	memset(&w, 0, sizeof w);
	w.address = n->address;
	w.prefix = n->prefix;
	w.gateway = n->gateway;
	w.dns = n->dns.n > 0 ? (const char *const *)n->dns.v : NULL;
	w.ndns = n->dns.n;
	err = vg_onvif_change_ipv4(s, &w, o != NULL ? o->discover : NULL,
	    follow, &r, &cause);
	pthread_mutex_lock(&plan->priv->lock);
	if (r.last_seen != NULL) {
		free(pc->last_seen);
		pc->last_seen = xstrdup(r.last_seen);
		pc->last_seen_at = r.last_seen_at;
	}
	pthread_mutex_unlock(&plan->priv->lock);
	if (err != VG_OK) {
		step_fail(st, vg_onvif_last_class(s), cause, "change address");
		step_diffs(st, r.diffs, r.ndiffs);
	} else
		free(cause);
	vg_onvif_ipchange_clear(&r);
	return err;
}

/* Run one step on s. */
static int
run_step(struct vg_plan *plan, struct vg_plan_camera *pc,
    struct vg_plan_step *st, struct vg_onvif *s)
{
	const struct vg_camera_credentials *cr = &pc->cam->credentials;
	char *cause = NULL;
	int err = VG_OK;

	switch (st->kind) {
	case VG_PLAN_STEP_ACTIVATE:
		err = vg_onvif_activate(s, cr->admin_user,
		    cr->admin_password.value, &cause);
		break;
	case VG_PLAN_STEP_USER:
		/* administrator: the same user sets time, encoder and
		 * network on the next apply */
		err = vg_onvif_set_user(s, cr->user, cr->password.value,
		    VG_ONVIF_ADMIN, &cause);
		break;
	case VG_PLAN_STEP_TIME:
		return run_time(plan, pc, st, s);
	case VG_PLAN_STEP_ENCODER:
		return run_encoder(pc, st, s);
	case VG_PLAN_STEP_NETWORK:
		if (pc->cam->network.mode != VG_NETWORK_STATIC) {
			step_fail(st, VG_ONVIF_UNSUPPORTED, NULL,
			    "switching to DHCP is not supported");
			return VG_ERR_UNSUPPORTED;
		}
		return run_network(plan, pc, st, s);
	}
	if (err != VG_OK)
		step_fail(st, vg_onvif_last_class(s), cause, "failed");
	else
		free(cause);
	return err;
}

/* After activation the camera shows what it hid: read it and plan the
 * remaining steps again (fields found right become "unchanged"). */
static void
replan_rest(struct vg_plan *plan, size_t ci, size_t from, struct vg_onvif *s)
{
	struct vg_plan_camera *pc = &plan->cams[ci];
	size_t i;
	bool any = false;

	for (i = from; i < pc->nsteps; i++)
		any |= step_unknown(&pc->steps[i]);
	if (!any)
		return;
	pthread_mutex_lock(&plan->priv->lock);
	if (pc->obs.access == VG_PLAN_ACCESS_FACTORY)
		pc->obs.access = VG_PLAN_ACCESS_ADMIN;
	pthread_mutex_unlock(&plan->priv->lock);
	/* read outside the lock: the UI must not wait on the network */
	{
		struct vg_plan_camera tmp = *pc;

		memset(&tmp.obs, 0, sizeof tmp.obs);
		tmp.obs.access = pc->obs.access;
		tmp.obs.info = pc->obs.info;
		tmp.steps = NULL;
		tmp.nsteps = 0;
		plan_read_state(plan->cfg, &tmp, s);
		pthread_mutex_lock(&plan->priv->lock);
		vg_onvif_time_clear(&pc->obs.time);
		vg_onvif_encoder_clear(&pc->obs.encoder);
		free(pc->obs.profile);
		vg_onvif_net_clear(&pc->obs.net);
		pc->obs.have_time = tmp.obs.have_time;
		pc->obs.time = tmp.obs.time;
		pc->obs.have_encoder = tmp.obs.have_encoder;
		pc->obs.encoder = tmp.obs.encoder;
		pc->obs.profile = tmp.obs.profile;
		pc->obs.have_net = tmp.obs.have_net;
		pc->obs.net = tmp.obs.net;
		pc->obs.users_known = tmp.obs.users_known;
		pc->obs.user_exists = tmp.obs.user_exists;
		for (i = from; i < pc->nsteps; i++) {
			struct vg_plan_step *st = &pc->steps[i];
			long wait_for = st->wait_for;

			if (!step_unknown(st))
				continue;
			plan_compute_step(plan->cfg, pc, st);
			st->wait_for = wait_for;
			if (st->nchanges == 0 && st->blocker == NULL) {
				st->status = VG_PLAN_UNCHANGED;
				plan->priv->counts.steps_done++;
			}
			plan_notify(plan, ci, (long)i);
		}
		pthread_mutex_unlock(&plan->priv->lock);
	}
}

/* Apply one camera's steps. */
static void
apply_one(struct vg_plan *plan, size_t ci)
{
	struct vg_plan_camera *pc = &plan->cams[ci];
	struct vg_onvif *s = NULL;
	enum vg_plan_result res = VG_PLAN_RESULT_OK;
	char *cause = NULL;
	bool stop = false, failed = false, cancelled = false;
	int64_t t0 = plan_now_us(), t1;
	size_t i;
	int err;

	pthread_mutex_lock(&plan->priv->lock);
	pc->result = VG_PLAN_RESULT_NONE;
	pthread_mutex_unlock(&plan->priv->lock);
	if (!pc->observed) {
		res = VG_PLAN_RESULT_FAILED;
		goto out;
	}
	if (pc->nsteps == 0) {
		res = VG_PLAN_RESULT_UNCHANGED;
		pc->address = vg_onvif_url_host(pc->obs.url);
		goto out;
	}
	if (!plan_cancelled(plan) && (err = plan_open(pc->cam, pc->obs.url,
	    pc->obs.access, &s, &cause)) != VG_OK) {
		/* it answered a moment ago: say why it does not now */
		step_fail(&pc->steps[0], err == VG_ERR_TIMEOUT ?
		    VG_ONVIF_TIMEOUT : VG_ONVIF_UNREACHABLE, cause,
		    "no answer");
		step_status(plan, ci, 0, VG_PLAN_FAILED);
		for (i = 1; i < pc->nsteps; i++)
			step_status(plan, ci, i, VG_PLAN_SKIPPED);
		res = VG_PLAN_RESULT_FAILED;
		pc->last_seen = vg_onvif_url_host(pc->obs.url);
		pc->last_seen_at = time(NULL);
		goto out;
	}
	for (i = 0; i < pc->nsteps; i++) {
		struct vg_plan_step *st = &pc->steps[i];

		if (st->status == VG_PLAN_UNCHANGED)
			continue;
		if (!cancelled && plan_cancelled(plan))
			cancelled = true;
		if (cancelled || stop) {
			step_status(plan, ci, i, VG_PLAN_SKIPPED);
			continue;
		}
		step_status(plan, ci, i, VG_PLAN_RUNNING);
		t1 = plan_now_us();
		if (st->blocker != NULL) {
			step_fail(st, VG_ONVIF_OK, xstrdup(st->blocker), "");
			err = VG_ERR_USAGE;
		} else
			err = run_step(plan, pc, st, s);
		st->elapsed_us = plan_now_us() - t1;
		if (err != VG_OK) {
			log_warn("plan: %s: %s failed: %s", pc->cam->name,
			    vg_plan_step_name(st->kind), st->error != NULL ?
			    st->error : "?");
			failed = true;
			if (st->kind == VG_PLAN_STEP_ACTIVATE ||
			    st->kind == VG_PLAN_STEP_USER)
				stop = true;
			step_status(plan, ci, i, VG_PLAN_FAILED);
			continue;
		}
		log_info("plan: %s: %s done in %lld ms", pc->cam->name,
		    vg_plan_step_name(st->kind),
		    (long long)(st->elapsed_us / 1000));
		step_status(plan, ci, i, VG_PLAN_DONE);
		if (st->kind == VG_PLAN_STEP_ACTIVATE ||
		    st->kind == VG_PLAN_STEP_USER)
			replan_rest(plan, ci, i + 1, s);
	}
	res = failed ? VG_PLAN_RESULT_FAILED : cancelled ?
	    VG_PLAN_RESULT_CANCELLED : VG_PLAN_RESULT_OK;
	if (s != NULL)
		pc->address = vg_onvif_url_host(vg_onvif_url(s));
out:
	vg_onvif_free(s);
	pthread_mutex_lock(&plan->priv->lock);
	pc->result = res;
	pc->elapsed_us = plan_now_us() - t0;
	plan->priv->finished[ci] = true;
	plan->priv->counts.cameras_done++;
	if (res == VG_PLAN_RESULT_FAILED)
		plan->priv->counts.cameras_failed++;
	pthread_cond_broadcast(&plan->priv->cond);
	plan_notify(plan, ci, -1);
	pthread_mutex_unlock(&plan->priv->lock);
	log_info("plan: %s: %s in %lld ms", pc->cam->name,
	    vg_plan_result_name(res), (long long)(pc->elapsed_us / 1000));
}

/* How many cameras a camera's network step waits behind. */
static size_t
wait_depth(const struct vg_plan *plan, size_t i)
{
	size_t d = 0, k;
	long w;

	for (k = i; d <= plan->ncams; d++) {
		const struct vg_plan_camera *pc = &plan->cams[k];
		size_t j;

		w = -1;
		for (j = 0; j < pc->nsteps; j++)
			if (pc->steps[j].kind == VG_PLAN_STEP_NETWORK)
				w = pc->steps[j].wait_for;
		if (w < 0)
			break;
		k = (size_t)w;
	}
	return d;
}

/* Run the plan. */
int
vg_plan_apply(struct vg_plan *plan, const struct vg_plan_opts *opts)
{
	size_t *order, i, j, n = 0, d, maxd = 0, *depth;

	plan->priv->opts = opts;
	pthread_mutex_lock(&plan->priv->lock);
	plan->priv->counts.cameras_done = 0;
	plan->priv->counts.cameras_failed = 0;
	plan->priv->counts.steps = vg_plan_nchanges(plan);
	plan->priv->counts.steps_done = 0;
	for (i = 0; i < plan->ncams; i++)
		plan->priv->finished[i] = false;
	pthread_mutex_unlock(&plan->priv->lock);
	/* cameras that free an address go before those that take it, so a
	 * waiting worker never waits for a camera still in the queue */
	order = xcalloc(plan->ncams + 1, sizeof *order);
	depth = xcalloc(plan->ncams + 1, sizeof *depth);
	for (i = 0; i < plan->ncams; i++) {
		depth[i] = wait_depth(plan, i);
		if (depth[i] > maxd)
			maxd = depth[i];
	}
	for (d = 0; d <= maxd; d++)
		for (j = 0; j < plan->ncams; j++)
			if (depth[j] == d)
				order[n++] = j;
	plan_run_pool(plan, opts != NULL ? opts->parallel : 0, order,
	    apply_one);
	free(order);
	free(depth);
	plan->priv->opts = NULL;
	if (atomic_load(&plan->priv->cancel))
		return VG_ERR_CANCELLED;
	for (i = 0; i < plan->ncams; i++)
		if (plan->cams[i].result != VG_PLAN_RESULT_OK &&
		    plan->cams[i].result != VG_PLAN_RESULT_UNCHANGED)
			return VG_ERR_IO;
	return VG_OK;
}
