/* store-upload.c - the uploader engine: workers that move segments from
 * the spool journal to the storage target.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each of upload_concurrency workers claims the oldest due segment
 * (vg_spool_up_claim), fixes its object key once (vg_spool_up_key: a
 * restart never makes a second name), uploads the segment and then its
 * sidecar JSON beside it, verifies, and marks it stored.  A transient
 * failure makes the segment due again after an exponential backoff with
 * jitter; a permanent one marks it failed (kept; the alarm is logged and
 * shown in the status) until the configuration changes.  One token bucket
 * caps the bandwidth of all workers together.  Local copies are never
 * deleted here: that is retention's, through the journal.
 *
 * Time compression for the tests (VIGIA_TEST_*, read at start):
 * BACKOFF_MS (first retry delay, default 5000), BACKOFF_CAP_MS (default
 * 300000), POLL_MS (how often an idle worker looks, default 2000).
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "libvigia.h"
#include "spool.h"
#include "store.h"

#define UP_MAX_WORKERS 16

struct up_conf {
	struct vg_storage st;	/* deep copy */
	char *key_template;
	bool want_task;
	int64_t bandwidth_bps;
	int workers;
	struct vg_schedule_rule *windows;	/* none: always */
	size_t nwindows;
	struct up_conf *older;	/* retired by a reload, freed at stop */
};

struct vg_uploader;

struct up_worker {
	struct vg_uploader *up;
	pthread_t thread;
	int index;
	bool busy;
};

struct vg_uploader {
	struct vg_spool *sp;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	volatile int stop;
	struct up_conf *conf;	/* under lock; replaced on reload */
	unsigned gen;
	struct vg_rate *rate;
	struct up_worker workers[UP_MAX_WORKERS];
	int nworkers;
	int64_t backoff_ms, backoff_cap_ms, poll_ms;
	/* status */
	int64_t sent_total;
	int64_t stored_total;
	int64_t failed_total;
	int64_t started_us;
	double rate_ewma;	/* bytes/s */
	int64_t rate_last_us;
	char *last_error;
	const char *last_class;
	int64_t last_error_us;
	unsigned seed;
};

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

#define DUP(f) d->f = s->f ? xstrdup(s->f) : NULL
static void
storage_copy(struct vg_storage *d, const struct vg_storage *s)
{
	*d = *s;
	DUP(name); DUP(bucket); DUP(region); DUP(endpoint); DUP(prefix);
	DUP(access_key); DUP(secret_key.value); DUP(secret_key.file);
	DUP(storage_class); DUP(sse); DUP(sse_kms_key_id);
	DUP(host); DUP(user); DUP(password.value); DUP(password.file);
	DUP(private_key_file); DUP(host_key_sha256); DUP(directory);
	DUP(path);
}
#undef DUP

static void
storage_clear(struct vg_storage *d)
{
	free(d->name); free(d->bucket); free(d->region); free(d->endpoint);
	free(d->prefix); free(d->access_key); vg_secret_free(d->secret_key.value);
	free(d->secret_key.file); free(d->storage_class); free(d->sse);
	free(d->sse_kms_key_id); free(d->host); free(d->user);
	vg_secret_free(d->password.value); free(d->password.file);
	free(d->private_key_file); free(d->host_key_sha256);
	free(d->directory); free(d->path);
}

static void
conf_free(struct up_conf *c)
{
	if (c == NULL)
		return;
	conf_free(c->older);
	free(c->windows);
	storage_clear(&c->st);
	free(c->key_template);
	free(c);
}

static struct up_conf *
conf_new(const struct vg_config *cfg, char **cause)
{
	const struct vg_storage *st;
	struct up_conf *c;

	if (cfg->vigiad.storage == NULL) {
		xasprintf(cause, _("vigiad.storage names no storage entry"));
		return NULL;
	}
	if ((st = vg_config_find_storage(cfg, cfg->vigiad.storage)) == NULL) {
		xasprintf(cause, _("vigiad.storage: there is no storage entry %s"),
		    cfg->vigiad.storage);
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	storage_copy(&c->st, st);
	c->key_template = xstrdup(cfg->vigiad.key_template ?
	    cfg->vigiad.key_template : "{site}/{camera}/{date}/{start}.mp4");
	c->want_task = cfg->label_studio.enabled;
	c->bandwidth_bps = (int64_t)cfg->vigiad.bandwidth_kbps * 1000 / 8;
	for (size_t i = 0; i < cfg->vigiad.upload_windows.n; i++) {
		struct vg_schedule_rule r;

		if (vg_schedule_parse(cfg->vigiad.upload_windows.v[i], &r,
		    NULL) != 0)
			continue;	/* config.c checked them */
		c->windows = xreallocarray(c->windows, c->nwindows + 1,
		    sizeof *c->windows);
		c->windows[c->nwindows++] = r;
	}
	c->workers = cfg->vigiad.upload_concurrency;
	if (c->workers < 1)
		c->workers = 1;
	if (c->workers > UP_MAX_WORKERS)
		c->workers = UP_MAX_WORKERS;
	return c;
}

/* Is now (the box's local time) inside an upload window?  No windows:
 * always.  A rule whose end is before its start runs past midnight into
 * the next day. */
static bool
up_window_open(const struct up_conf *c, time_t now)
{
	struct tm tm;
	int wd, yd, min;

	if (c->nwindows == 0)
		return true;
	localtime_r(&now, &tm);
	wd = (tm.tm_wday + 6) % 7;	/* 0 = Monday */
	yd = (wd + 6) % 7;		/* yesterday */
	min = tm.tm_hour * 60 + tm.tm_min;
	for (size_t i = 0; i < c->nwindows; i++) {
		const struct vg_schedule_rule *r = &c->windows[i];

		if (r->start_min < r->end_min) {
			if ((r->days & (1u << wd)) && min >= r->start_min &&
			    min < r->end_min)
				return true;
		} else {
			if ((r->days & (1u << wd)) && min >= r->start_min)
				return true;
			if ((r->days & (1u << yd)) && min < r->end_min)
				return true;
		}
	}
	return false;
}

/* Sleep on the condition for up to ms (or until stop). */
static void
up_wait(struct vg_uploader *up, int64_t ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&up->lock);
	if (!up->stop)
		pthread_cond_timedwait(&up->cond, &up->lock, &ts);
	pthread_mutex_unlock(&up->lock);
}

static void
up_note_error(struct vg_uploader *up, const struct vg_store_err *e)
{
	pthread_mutex_lock(&up->lock);
	free(up->last_error);
	up->last_error = xstrdup(e->msg ? e->msg : "");
	up->last_class = e->cls;
	up->last_error_us = now_us();
	pthread_mutex_unlock(&up->lock);
}

static void
up_note_sent(struct vg_uploader *up, int64_t bytes, double seconds)
{
	pthread_mutex_lock(&up->lock);
	up->sent_total += bytes;
	if (seconds > 0.05 && bytes > 0) {
		double r = (double)bytes / seconds * up->nworkers;

		up->rate_ewma = up->rate_ewma == 0 ? r :
		    0.7 * up->rate_ewma + 0.3 * r;
		up->rate_last_us = now_us();
	}
	pthread_mutex_unlock(&up->lock);
}

/* The delay before the next attempt: base * 2^(attempts-1), capped, with
 * jitter (between half and all of it). */
static int64_t
up_backoff_us(struct vg_uploader *up, int attempts)
{
	int64_t d = up->backoff_ms;
	unsigned r;

	for (int i = 1; i < attempts && d < up->backoff_cap_ms; i++)
		d *= 2;
	if (d > up->backoff_cap_ms)
		d = up->backoff_cap_ms;
	pthread_mutex_lock(&up->lock);
	r = (unsigned)rand_r(&up->seed);
	pthread_mutex_unlock(&up->lock);
	d = d / 2 + (int64_t)(r % (unsigned)(d / 2 + 1));
	return d * 1000;
}

static const char *
content_type_of(const char *key)
{
	size_t n = strlen(key);

	if (n > 4 && strcmp(key + n - 4, ".mp4") == 0)
		return "video/mp4";
	if (n > 5 && strcmp(key + n - 5, ".json") == 0)
		return "application/json";
	return NULL;
}

/* One claimed segment: upload, verify, record.  */
static void
up_one(struct vg_uploader *up, struct vg_store *st, struct up_conf *conf,
    struct vg_spool_segment *seg)
{
	struct vg_store_err e = { 0 };
	struct vg_store_result res = { 0 };
	struct vg_store_put p = { 0 };
	char *key = NULL, *cause = NULL, *want = NULL, *skey = NULL;
	int64_t t0 = now_us(), id = seg->id;
	int err;

	if (seg->object_key != NULL)
		key = xstrdup(seg->object_key);
	else {
		want = vg_store_key(conf->key_template, seg->site, seg->camera,
		    seg->start_us, seg->end_us);
		if (vg_spool_up_key(up->sp, id, want, &key, &cause) != 0) {
			vg_store_err_set(&e, false, "local", "%s", cause);
			goto failed;
		}
	}
	p.path = seg->path;
	p.key = key;
	p.content_type = content_type_of(key);
	p.rate = up->rate;
	p.sp = up->sp;
	p.id = id;
	p.upload_id = seg->upload_id;
	p.stop = &up->stop;
	err = st->ops->put(st, &p, &res, &e);
	up_note_sent(up, res.sent, (double)(now_us() - t0) / 1e6);
	if (err != 0)
		goto failed;
	if (seg->sidecar != NULL && !seg->sidecar_stored) {
		struct vg_store_result r2 = { 0 };
		struct vg_store_put ps = { 0 };

		skey = vg_store_sidecar_key(key);
		ps.path = seg->sidecar;
		ps.key = skey;
		ps.content_type = "application/json";
		ps.rate = up->rate;
		ps.stop = &up->stop;
		if (st->ops->put(st, &ps, &r2, &e) != 0) {
			if (e.cls != NULL && strcmp(e.cls, "local") == 0) {
				/* no sidecar on disk: the segment still goes */
				log_warn(_("segment %" PRId64 ": sidecar not uploaded: %s"),
				    id, e.msg);
				vg_store_err_clear(&e);
			} else
				goto failed;
		} else if (vg_spool_up_sidecar(up->sp, id, &cause) != 0) {
			vg_store_err_set(&e, false, "local", "%s", cause);
			goto failed;
		}
	}
	if (vg_spool_up_stored(up->sp, id, res.etag, conf->want_task,
	    now_us(), &cause) != 0) {
		vg_store_err_set(&e, false, "local", "%s", cause);
		goto failed;
	}
	log_info(_("stored %s (%" PRId64 " bytes%s) in %s"), key, res.bytes,
	    res.multipart ? ", multipart" : "", conf->st.name);
	pthread_mutex_lock(&up->lock);
	up->stored_total++;
	pthread_mutex_unlock(&up->lock);
	goto out;
failed:
	free(cause);
	cause = NULL;
	if (up->stop && e.cls != NULL && strcmp(e.cls, "stop") == 0) {
		/* stopping: ready again at once, keeping the last real
		 * error (an uploader started again on this spool takes it) */
		vg_spool_up_retry(up->sp, id, seg->up_class ? seg->up_class :
		    "stop", seg->up_error ? seg->up_error : e.msg, 0, NULL);
		goto out;
	}
	up_note_error(up, &e);
	if (e.permanent) {
		log_error(_("ALARM: segment %s cannot be stored in %s: %s"),
		    seg->path, conf->st.name, e.msg);
		vg_spool_up_fail(up->sp, id, e.cls, e.msg, &cause);
		pthread_mutex_lock(&up->lock);
		up->failed_total++;
		pthread_mutex_unlock(&up->lock);
	} else {
		int64_t d = up_backoff_us(up, seg->up_attempts);

		log_warn(_("upload of %s to %s failed (attempt %d), retrying in %" PRId64 " s: %s"),
		    seg->path, conf->st.name, seg->up_attempts,
		    (d + 999999) / 1000000, e.msg);
		vg_spool_up_retry(up->sp, id, e.cls, e.msg, now_us() + d,
		    &cause);
	}
	if (cause != NULL)
		log_error("%s", cause);
out:
	vg_store_err_clear(&e);
	free(cause);
	free(key);
	free(want);
	free(skey);
}

static void *
up_worker_main(void *arg)
{
	struct up_worker *w = arg;
	struct vg_uploader *up = w->up;
	struct vg_store *st = NULL;
	struct up_conf *conf = NULL;
	unsigned gen = (unsigned)-1;
	char *cause = NULL;

	while (!up->stop) {
		struct vg_spool_segment seg = { 0 };
		int err;

		pthread_mutex_lock(&up->lock);
		if (gen != up->gen) {
			vg_store_free(st);
			st = NULL;
			gen = up->gen;
			conf = up->conf;
			if (vg_store_open(&conf->st, &st, &cause) != 0) {
				log_error("%s", cause);
				free(cause);
				cause = NULL;
			}
		}
		if (w->index >= conf->workers) {
			/* fewer workers after a reload: idle */
			pthread_mutex_unlock(&up->lock);
			up_wait(up, up->poll_ms);
			continue;
		}
		pthread_mutex_unlock(&up->lock);
		if (st == NULL || !up_window_open(conf, time(NULL))) {
			up_wait(up, up->poll_ms);
			continue;
		}
		err = vg_spool_up_claim(up->sp, conf->st.name, now_us(), &seg,
		    &cause);
		if (err == VG_ERR_NOTFOUND) {
			up_wait(up, up->poll_ms);
			continue;
		}
		if (err != 0) {
			log_error("%s", cause ? cause : "spool");
			free(cause);
			cause = NULL;
			up_wait(up, up->poll_ms);
			continue;
		}
		pthread_mutex_lock(&up->lock);
		w->busy = true;
		pthread_mutex_unlock(&up->lock);
		up_one(up, st, conf, &seg);
		pthread_mutex_lock(&up->lock);
		w->busy = false;
		pthread_cond_broadcast(&up->cond);
		pthread_mutex_unlock(&up->lock);
		vg_spool_segment_clear(&seg);
	}
	vg_store_free(st);
	return NULL;
}

struct vg_uploader *
vg_uploader_start(const struct vg_config *cfg, struct vg_spool *sp,
    char **cause)
{
	struct vg_uploader *up;
	struct up_conf *conf;

	if ((conf = conf_new(cfg, cause)) == NULL)
		return NULL;
	vg_store_curl_init();	/* before any worker thread */
	up = xcalloc(1, sizeof *up);
	up->sp = sp;
	pthread_mutex_init(&up->lock, NULL);
	pthread_cond_init(&up->cond, NULL);
	up->conf = conf;
	up->rate = vg_rate_new(conf->bandwidth_bps);
	up->backoff_ms = vg_store_env_long("VIGIA_TEST_BACKOFF_MS", 5000);
	up->backoff_cap_ms = vg_store_env_long("VIGIA_TEST_BACKOFF_CAP_MS",
	    300000);
	up->poll_ms = vg_store_env_long("VIGIA_TEST_POLL_MS", 2000);
	if (up->backoff_ms < 1)
		up->backoff_ms = 1;
	if (up->backoff_cap_ms < up->backoff_ms)
		up->backoff_cap_ms = up->backoff_ms;
	up->started_us = now_us();
	up->seed = (unsigned)up->started_us;
	/* all UP_MAX_WORKERS threads would idle; start what is configured
	 * and grow on reload */
	up->nworkers = conf->workers;
	for (int i = 0; i < up->nworkers; i++) {
		up->workers[i].up = up;
		up->workers[i].index = i;
		if (pthread_create(&up->workers[i].thread, NULL, up_worker_main,
		    &up->workers[i]) != 0)
			fatalx("pthread_create");
	}
	log_info(_("uploader: %d worker(s) to %s"), up->nworkers,
	    conf->st.name);
	return up;
}

void
vg_uploader_reload(struct vg_uploader *up, const struct vg_config *cfg)
{
	struct up_conf *conf, *old;
	char *cause = NULL;
	int64_t n = 0;

	if (up == NULL)
		return;
	if ((conf = conf_new(cfg, &cause)) == NULL) {
		log_error(_("uploader: configuration not applied: %s"), cause);
		free(cause);
		return;
	}
	/* A worker may still use the old one: keep it until the end (a
	 * reload is rare; a few hundred bytes). */
	pthread_mutex_lock(&up->lock);
	old = up->conf;
	conf->older = old;
	up->conf = conf;
	up->gen++;
	vg_rate_set(up->rate, conf->bandwidth_bps);
	while (up->nworkers < conf->workers) {
		struct up_worker *w = &up->workers[up->nworkers];

		w->up = up;
		w->index = up->nworkers;
		if (pthread_create(&w->thread, NULL, up_worker_main, w) != 0)
			fatalx("pthread_create");
		up->nworkers++;
	}
	pthread_cond_broadcast(&up->cond);
	pthread_mutex_unlock(&up->lock);
	/* a new configuration may cure permanent failures */
	if (vg_spool_up_rearm(up->sp, &n, &cause) != 0) {
		log_error("%s", cause);
		free(cause);
	} else if (n > 0)
		log_notice(_("uploader: %" PRId64 " failed segment(s) will be tried again"),
		    n);
}

void
vg_uploader_stop(struct vg_uploader *up)
{
	if (up == NULL)
		return;
	pthread_mutex_lock(&up->lock);
	up->stop = 1;
	pthread_cond_broadcast(&up->cond);
	pthread_mutex_unlock(&up->lock);
	for (int i = 0; i < up->nworkers; i++)
		pthread_join(up->workers[i].thread, NULL);
	conf_free(up->conf);
	vg_rate_free(up->rate);
	free(up->last_error);
	pthread_cond_destroy(&up->cond);
	pthread_mutex_destroy(&up->lock);
	free(up);
}

void
vg_uploader_status(struct vg_uploader *up, void *json_obj)
{
	json_t *o = json_obj;
	struct vg_spool_stats s = { 0 };
	char *cause = NULL;
	int64_t now = now_us();
	int busy = 0;

	if (up == NULL || o == NULL)
		return;
	if (vg_spool_stats(up->sp, &s, &cause) != 0) {
		json_object_set_new(o, "journal_error", json_string(cause));
		free(cause);
	}
	pthread_mutex_lock(&up->lock);
	for (int i = 0; i < up->nworkers; i++)
		busy += up->workers[i].busy;
	json_object_set_new(o, "target", json_string(up->conf->st.name));
	json_object_set_new(o, "workers", json_integer(up->conf->workers));
	json_object_set_new(o, "busy", json_integer(busy));
	json_object_set_new(o, "backlog", json_integer(s.backlog));
	json_object_set_new(o, "backlog_bytes", json_integer(s.backlog_bytes));
	json_object_set_new(o, "oldest_backlog_age_s", json_integer(
	    s.oldest_backlog_us > 0 ? (now - s.oldest_backlog_us) / 1000000 :
	    0));
	json_object_set_new(o, "stored", json_integer(s.stored));
	json_object_set_new(o, "failed", json_integer(s.up_failed));
	json_object_set_new(o, "sent_bytes", json_integer(up->sent_total));
	/* a rate older than a minute is stale */
	json_object_set_new(o, "throughput_bps", json_integer(
	    now - up->rate_last_us < 60000000 ? (json_int_t)up->rate_ewma : 0));
	json_object_set_new(o, "window_open", json_boolean(
	    up_window_open(up->conf, time(NULL))));
	json_object_set_new(o, "bandwidth_kbps", json_integer(
	    up->conf->bandwidth_bps * 8 / 1000));
	if (up->last_error != NULL) {
		json_t *e = json_object();

		json_object_set_new(e, "class", json_string(up->last_class ?
		    up->last_class : ""));
		json_object_set_new(e, "message", json_string(up->last_error));
		json_object_set_new(e, "age_s", json_integer(
		    (now - up->last_error_us) / 1000000));
		json_object_set_new(o, "last_error", e);
	}
	pthread_mutex_unlock(&up->lock);
}

bool
vg_uploader_wait_idle(struct vg_uploader *up, int64_t timeout_ms)
{
	int64_t end = now_us() + timeout_ms * 1000;

	for (;;) {
		struct vg_spool_stats s = { 0 };
		int busy = 0;

		if (vg_spool_stats(up->sp, &s, NULL) == 0) {
			pthread_mutex_lock(&up->lock);
			for (int i = 0; i < up->nworkers; i++)
				busy += up->workers[i].busy;
			pthread_mutex_unlock(&up->lock);
			if (s.backlog == 0 && busy == 0)
				return true;
		}
		if (now_us() >= end)
			return false;
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL);
	}
}
