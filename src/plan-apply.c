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
 *
 * Following a camera to its new address is most of a run (it reboots
 * for seconds) and needs nothing but its own session.  So once the
 * address is set, the rest of the network step and the end of the camera
 * go to a follower thread and the worker takes the next camera.  At most
 * FOLLOW_PER_WORKER followers per worker run at once; beyond that a
 * worker follows by itself, as it would without followers.  A follower
 * does exactly what the worker would have done (status, read-back
 * differences, result, the finished flag waiters look at, progress
 * under the plan lock), and vg_plan_apply() joins every follower before
 * it returns.  A follower is not cancelled: the address has changed by
 * then, and only following the camera tells where it is; follow_ms
 * bounds it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "plan-int.h"

/* Followers that may run at once, per worker thread. */
#define FOLLOW_PER_WORKER	4

/* ---- the worker pool -------------------------------------------------------- */

struct pool {
	struct vg_plan *plan;
	const size_t *order;
	size_t n;
	atomic_size_t next;
	/* one of the two */
	void (*fn)(struct vg_plan *plan, size_t i);
	void (*fn_arg)(struct vg_plan *plan, size_t i, void *arg);
	void *arg;
};

/* One worker: take the next camera until none is left. */
static void *
pool_main(void *arg)
{
	struct pool *p = arg;
	size_t k, i;

	while ((k = atomic_fetch_add(&p->next, 1)) < p->n) {
		i = p->order != NULL ? p->order[k] : k;
		if (p->fn_arg != NULL)
			p->fn_arg(p->plan, i, p->arg);
		else
			p->fn(p->plan, i);
	}
	return NULL;
}

/* Run p's function over every camera on at most `parallel` threads. */
static void
pool_run(struct pool *p, int parallel)
{
	struct vg_plan *plan = p->plan;
	pthread_t *th;
	size_t nth, i, started = 0;

	if (plan->ncams == 0)
		return;
	nth = parallel > 0 ? (size_t)parallel : 8;
	if (nth > plan->ncams)
		nth = plan->ncams;
	p->n = plan->ncams;
	atomic_init(&p->next, 0);
	th = xcalloc(nth, sizeof *th);
	for (i = 0; i < nth; i++) {
		if (pthread_create(&th[i], NULL, pool_main, p) != 0) {
			log_warn("plan: cannot start worker %zu: %s", i,
			    strerror(errno));
			break;
		}
		started++;
	}
	if (started == 0)
		pool_main(p);	/* do it ourselves */
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
}

/* Run fn over every camera on at most `parallel` threads. */
void
plan_run_pool(struct vg_plan *plan, int parallel, const size_t *order,
    void (*fn)(struct vg_plan *plan, size_t i))
{
	struct pool p;

	memset(&p, 0, sizeof p);
	p.plan = plan;
	p.order = order;
	p.fn = fn;
	pool_run(&p, parallel);
}

/* ---- followers ----------------------------------------------------------- */

/* The followers of one run (on vg_plan_apply()'s stack). */
struct followers {
	pthread_mutex_t lock;	/* running */
	size_t running;		/* following now */
	size_t cap;		/* at most this many at once */
	/* per camera; written by the worker that starts the follower,
	 * read once every worker has ended */
	pthread_t *th;
	bool *started;
};

/* A network step whose address change went through, with everything
 * needed to follow the camera and end it as apply_one() would. */
struct follow {
	struct vg_plan *plan;
	struct followers *fl;
	size_t ci;		/* camera */
	size_t si;		/* its network step */
	struct vg_onvif *s;	/* the camera's session; owned */
	struct vg_onvif_ipv4 want;	/* points into the configuration */
	const struct vg_onvif_discover_opts *disc;
	int follow_ms;
	struct vg_onvif_ipchange r;	/* from the first part */
	int64_t t0;		/* the camera's start */
	int64_t t1;		/* the step's start */
	bool failed;		/* an earlier step failed */
	bool cancelled;
};

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

/* The end of a network step: where the camera was last seen and, on a
 * failure, why and what it read back.  Takes cause; clears r. */
static int
network_end(struct vg_plan *plan, struct vg_plan_camera *pc,
    struct vg_plan_step *st, struct vg_onvif *s, int err,
    struct vg_onvif_ipchange *r, char *cause)
{
	pthread_mutex_lock(&plan->priv->lock);
	if (r->last_seen != NULL) {
		free(pc->last_seen);
		pc->last_seen = xstrdup(r->last_seen);
		pc->last_seen_at = r->last_seen_at;
	}
	pthread_mutex_unlock(&plan->priv->lock);
	if (err != VG_OK) {
		step_fail(st, vg_onvif_last_class(s), cause, "change address");
		step_diffs(st, r->diffs, r->ndiffs);
	} else
		free(cause);
	vg_onvif_ipchange_clear(r);
	return err;
}

/* Follow the camera to its new address on this thread and end the
 * network step; frees f (not f->s). */
static int
network_follow(struct vg_plan *plan, struct follow *f)
{
	struct vg_plan_camera *pc = &plan->cams[f->ci];
	char *cause = NULL;
	int err;

	err = vg_onvif_change_ipv4_follow(f->s, &f->want, f->disc,
	    f->follow_ms, &f->r, &cause);
	err = network_end(plan, pc, &pc->steps[f->si], f->s, err, &f->r,
	    cause);
	free(f);
	return err;
}

/* Network: static IPv4 through vg_onvif_change_ipv4_begin(), which
 * claims the address for this run, checks it is free and sets it.  When
 * the address changed, *fw gets what it takes to follow the camera and
 * read the settings back (vg_onvif_change_ipv4_follow()), for the caller
 * to run or hand over; otherwise the step is over. */
static int
run_network(struct vg_plan *plan, struct vg_plan_camera *pc,
    struct vg_plan_step *st, struct vg_onvif *s, struct follow **fw)
{
	const struct vg_plan_opts *o = plan->priv->opts;
	const struct vg_camera_network *n = &pc->cam->network;
	struct vg_onvif_ipv4 w;
	struct vg_onvif_ipchange r;
	struct follow *f;
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
	err = vg_onvif_change_ipv4_begin(s, &w, &r, &cause);
	if (err == VG_OK && r.changed) {
		f = xcalloc(1, sizeof *f);
		f->want = w;
		f->disc = o != NULL ? o->discover : NULL;
		f->follow_ms = follow;
		f->r = r;
		*fw = f;
		return VG_OK;
	}
	return network_end(plan, pc, st, s, err, &r, cause);
}

/* Run one step on s; *fw as for run_network(). */
static int
run_step(struct vg_plan *plan, struct vg_plan_camera *pc,
    struct vg_plan_step *st, struct vg_onvif *s, struct follow **fw)
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
		return run_network(plan, pc, st, s, fw);
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

/* A step has run: its time, the log line, its status. */
static void
step_end(struct vg_plan *plan, size_t ci, size_t si, int err, int64_t t1)
{
	struct vg_plan_camera *pc = &plan->cams[ci];
	struct vg_plan_step *st = &pc->steps[si];

	st->elapsed_us = plan_now_us() - t1;
	if (err != VG_OK) {
		log_warn("plan: %s: %s failed: %s", pc->cam->name,
		    vg_plan_step_name(st->kind), st->error != NULL ?
		    st->error : "?");
		step_status(plan, ci, si, VG_PLAN_FAILED);
		return;
	}
	log_info("plan: %s: %s done in %lld ms", pc->cam->name,
	    vg_plan_step_name(st->kind), (long long)(st->elapsed_us / 1000));
	step_status(plan, ci, si, VG_PLAN_DONE);
}

/* A camera has ended: its address, result and time; wake whoever waits
 * for it (wait_camera()) and tell the UI.  Frees s. */
static void
camera_end(struct vg_plan *plan, size_t ci, struct vg_onvif *s,
    enum vg_plan_result res, int64_t t0)
{
	struct vg_plan_camera *pc = &plan->cams[ci];
	char *address = NULL;

	if (s != NULL)
		address = vg_onvif_url_host(vg_onvif_url(s));
	vg_onvif_free(s);
	pthread_mutex_lock(&plan->priv->lock);
	if (address != NULL) {
		free(pc->address);
		pc->address = address;
	}
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

/* A follower thread: the network step's follow, then the camera's end. */
static void *
follow_main(void *arg)
{
	struct follow *f = arg;
	struct vg_plan *plan = f->plan;
	struct followers *fl = f->fl;
	struct vg_onvif *s = f->s;
	size_t ci = f->ci, si = f->si;
	int64_t t0 = f->t0, t1 = f->t1;
	bool failed = f->failed, cancelled = f->cancelled;
	int err;

	err = network_follow(plan, f);		/* frees f */
	step_end(plan, ci, si, err, t1);
	failed |= err != VG_OK;
	camera_end(plan, ci, s, failed ? VG_PLAN_RESULT_FAILED : cancelled ?
	    VG_PLAN_RESULT_CANCELLED : VG_PLAN_RESULT_OK, t0);
	pthread_mutex_lock(&fl->lock);
	fl->running--;
	pthread_mutex_unlock(&fl->lock);
	return NULL;
}

/* Start a follower for f if there is room; false: the caller follows. */
static bool
follow_hand_over(struct followers *fl, struct follow *f)
{
	bool ok = false;
	int e;

	pthread_mutex_lock(&fl->lock);
	if (fl->running < fl->cap) {
		fl->running++;
		if ((e = pthread_create(&fl->th[f->ci], NULL, follow_main,
		    f)) != 0) {
			log_warn("plan: cannot start a follower: %s",
			    strerror(e));
			fl->running--;
		} else
			ok = fl->started[f->ci] = true;
	}
	pthread_mutex_unlock(&fl->lock);
	return ok;
}

/* Apply one camera's steps (arg: the run's followers). */
static void
apply_one(struct vg_plan *plan, size_t ci, void *arg)
{
	struct followers *fl = arg;
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
		step_fail(&pc->steps[0], vg_onvif_open_class(err, cause), cause,
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
		struct follow *fw = NULL;

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
			err = run_step(plan, pc, st, s, &fw);
		if (fw != NULL) {
			/* the address changed: following the camera is all
			 * that is left, and it needs no worker */
			fw->plan = plan;
			fw->fl = fl;
			fw->ci = ci;
			fw->si = i;
			fw->s = s;
			fw->t0 = t0;
			fw->t1 = t1;
			fw->failed = failed;
			fw->cancelled = cancelled;
			if (i + 1 == pc->nsteps && fl != NULL &&
			    follow_hand_over(fl, fw))
				return;	/* the follower ends the camera */
			err = network_follow(plan, fw);
		}
		step_end(plan, ci, i, err, t1);
		if (err != VG_OK) {
			failed = true;
			if (st->kind == VG_PLAN_STEP_ACTIVATE ||
			    st->kind == VG_PLAN_STEP_USER)
				stop = true;
			continue;
		}
		if (st->kind == VG_PLAN_STEP_ACTIVATE ||
		    st->kind == VG_PLAN_STEP_USER)
			replan_rest(plan, ci, i + 1, s);
	}
	res = failed ? VG_PLAN_RESULT_FAILED : cancelled ?
	    VG_PLAN_RESULT_CANCELLED : VG_PLAN_RESULT_OK;
out:
	camera_end(plan, ci, s, res, t0);
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

/* Run the plan: workers, and followers for the cameras that moved. */
int
vg_plan_apply(struct vg_plan *plan, const struct vg_plan_opts *opts)
{
	struct pool p;
	struct followers fl;
	size_t *order, i, j, n = 0, d, maxd = 0, *depth, nth;

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
	memset(&fl, 0, sizeof fl);
	pthread_mutex_init(&fl.lock, NULL);
	nth = opts != NULL && opts->parallel > 0 ? (size_t)opts->parallel : 8;
	fl.cap = FOLLOW_PER_WORKER * nth;
	fl.th = xcalloc(plan->ncams + 1, sizeof *fl.th);
	fl.started = xcalloc(plan->ncams + 1, sizeof *fl.started);
	memset(&p, 0, sizeof p);
	p.plan = plan;
	p.order = order;
	p.fn_arg = apply_one;
	p.arg = &fl;
	pool_run(&p, opts != NULL ? opts->parallel : 0);
	/* the workers are done: no follower starts any more */
	for (i = 0; i < plan->ncams; i++)
		if (fl.started[i])
			pthread_join(fl.th[i], NULL);
	pthread_mutex_destroy(&fl.lock);
	free(fl.th);
	free(fl.started);
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
