/* ls-tasks.c - one Label Studio task per stored segment, never two: the
 * labeler engine.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One thread.  It takes the segments whose task is due from the spool
 * journal, looks every "unknown" one up by data.segment_key first (an
 * earlier import may have created it: a timeout, a 5xx, a dropped
 * connection, a kill -9 before the journal commit), and imports the rest
 * in batches: at most one import per interval (Label Studio asks for at
 * most one per 30 s) unless a batch is full.  Each segment is marked
 * unknown in the journal BEFORE its import is sent.  An all-or-nothing
 * 400 is bisected down to the bad item, which fails alone.  Both import
 * reply shapes are understood: the community edition's counts with
 * task_ids, the enterprise edition's {"import": id} that is polled.
 *
 * Test knobs (environment, read here only): VIGIA_TEST_LS_INTERVAL_MS
 * (import interval, 30000), VIGIA_TEST_LS_BATCH (batch size, 100),
 * VIGIA_TEST_LS_POLL_MS (idle poll, 2000), VIGIA_TEST_LS_BACKOFF_MS and
 * VIGIA_TEST_LS_BACKOFF_CAP_MS (retry backoff, 5000 and 300000),
 * VIGIA_TEST_LS_CRASH_AFTER_IMPORT (SIGKILL itself after an import's
 * reply and before the journal commit: the crash test).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "libvigia.h"
#include "ls.h"
#include "spool.h"
#include "store-sigv4.h"

/* What the engine keeps of the configuration (its own copies). */
struct lb_conf {
	char *url;
	char *token;
	enum vg_ls_token_type token_type;
	bool insecure;
	int project_id;
	char *project_title;
	char *label_config;
	enum vg_ls_video_ref video_ref;
	int presign_ttl_s;
	/* the storage the segments are in */
	char *storage_name;
	enum vg_storage_type storage_type;
	char *bucket, *region, *endpoint, *access_key, *secret_key;
	bool path_style;
	/* the frame rate every enabled camera records at, or 0 when they
	 * differ (then the config says "$fps": each task's data.fps, which
	 * older editors such as 1.4.0's do not resolve: measured by
	 * tests/ls/test-ls-frontend.sh) */
	double fps;
	char **labels;		/* label_studio.labels; NULL: the template's */
	size_t nlabels;
};

struct vg_labeler {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	volatile int stop;
	bool kicked;
	struct vg_spool *sp;
	struct lb_conf *conf, *next_conf;	/* next: a reload */
	/* the thread's */
	struct vg_ls *ls;
	int project_id, storage_id;
	int64_t last_import_us;
	int failures;
	/* knobs */
	int64_t interval_ms, poll_ms, backoff_ms, backoff_cap_ms;
	size_t batch;
	bool crash_after_import;
	/* status, under mu */
	char *state;
	bool ensure_failed;	/* the state is the ensure step's error */
	char *last_error;
	int64_t imports, created, lookups, found, bisections, failed;
};

static int64_t
lb_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t
lb_env(const char *name, int64_t def)
{
	const char *v = getenv(name);
	char *end;
	long long n;

	if (v == NULL || *v == '\0')
		return def;
	n = strtoll(v, &end, 10);
	return *end == '\0' && n >= 0 ? n : def;
}

static char *
lb_dup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
lb_conf_free(struct lb_conf *c)
{
	if (c == NULL)
		return;
	free(c->url);
	vg_secret_free(c->token);
	free(c->project_title);
	free(c->label_config);
	free(c->storage_name);
	free(c->bucket);
	free(c->region);
	free(c->endpoint);
	free(c->access_key);
	vg_secret_free(c->secret_key);
	while (c->nlabels > 0)
		free(c->labels[--c->nlabels]);
	free(c->labels);
	free(c);
}

static struct lb_conf *
lb_conf_new(const struct vg_config *cfg)
{
	const struct vg_label_studio *l = &cfg->label_studio;
	const struct vg_storage *st = cfg->vigiad.storage ?
	    vg_config_find_storage(cfg, cfg->vigiad.storage) : NULL;
	struct lb_conf *c = xcalloc(1, sizeof *c);

	c->url = lb_dup(l->url);
	c->token = lb_dup(l->token.value);
	c->token_type = l->token_type;
	c->insecure = l->insecure;
	c->project_id = l->project_id;
	c->project_title = lb_dup(l->project_title);
	c->label_config = lb_dup(l->label_config ? l->label_config :
	    "video-tracking");
	c->video_ref = l->video_ref;
	c->presign_ttl_s = l->presign_ttl_s > 0 ? l->presign_ttl_s : 86400;
	c->storage_name = lb_dup(cfg->vigiad.storage);
	if (l->labels.n > 0) {
		size_t i;

		c->labels = xcalloc(l->labels.n, sizeof *c->labels);
		for (i = 0; i < l->labels.n; i++)
			c->labels[i] = xstrdup(l->labels.v[i]);
		c->nlabels = l->labels.n;
	}
	c->fps = vg_ls_config_fps(cfg);
	c->storage_type = st ? st->type : VG_STORAGE_LOCAL;
	if (st != NULL && st->type == VG_STORAGE_S3) {
		c->bucket = lb_dup(st->bucket);
		c->region = lb_dup(st->region ? st->region : "us-east-1");
		c->endpoint = lb_dup(st->endpoint);
		c->access_key = lb_dup(st->access_key);
		c->secret_key = lb_dup(st->secret_key.value);
		c->path_style = st->path_style;
	}
	return c;
}

double
vg_ls_config_fps(const struct vg_config *cfg)
{
	double fps = 0;
	size_t i;

	for (i = 0; i < cfg->ncameras; i++) {
		int f = cfg->cameras[i].encoder.fps;

		if (!cfg->cameras[i].enabled)
			continue;
		if (f <= 0 || (fps > 0 && fps != f))
			return 0;
		fps = f;
	}
	return fps;
}

char *
vg_ls_segment_key(const struct vg_spool_segment *seg)
{
	time_t t = (time_t)(seg->start_us / 1000000);
	struct tm tm;
	char ts[32], *k;

	gmtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
	xasprintf(&k, "%s/%s/%s.%03dZ", seg->site ? seg->site : "site",
	    seg->camera ? seg->camera : "camera", ts,
	    (int)(seg->start_us / 1000 % 1000));
	return k;
}

static char *
lb_utc(int64_t us)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	char ts[32], *s;

	gmtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
	xasprintf(&s, "%s.%03dZ", ts, (int)(us / 1000 % 1000));
	return s;
}

int
vg_ls_task_lookup(struct vg_ls *ls, int project_id, const char *key,
    int64_t *task_id, char **cause)
{
	json_t *q = json_pack("{s:{s:s,s:[{s:s,s:s,s:s,s:s}]},s:[s]}",
	    "filters", "conjunction", "and", "items", "filter",
	    "filter:tasks:data.segment_key", "operator", "equal", "type",
	    "String", "value", key, "ordering", "tasks:id");
	char *qs = json_dumps(q, JSON_COMPACT), *eq = vg_ls_escape(qs), *url;
	json_t *r = NULL, *t;
	size_t i, n = 0;
	int err;

	json_decref(q);
	*task_id = 0;
	xasprintf(&url, "project=%d&resolve_uri=false&fields=task_only&"
	    "page_size=10&query=%s", project_id, eq);
	err = vg_ls_call(ls, "GET", "/api/tasks/", url, NULL, &r, NULL, cause);
	free(url);
	free(eq);
	free(qs);
	if (err != 0)
		return err;
	json_array_foreach(json_object_get(r, "tasks"), i, t) {
		const char *k = json_string_value(json_object_get(
		    json_object_get(t, "data"), "segment_key"));
		int64_t id = json_integer_value(json_object_get(t, "id"));

		/* trust no filter: compare the key ourselves */
		if (k == NULL || strcmp(k, key) != 0 || id <= 0)
			continue;
		n++;
		if (*task_id == 0 || id < *task_id)
			*task_id = id;
	}
	if (n > 1)
		log_warn("label studio: project %d has %zu tasks for segment "
		    "%s (made by something else than this box?): keeping "
		    "task %lld", project_id, n, key, (long long)*task_id);
	json_decref(r);
	return 0;
}

/* The sidecar's motion events, or an empty array. */
static json_t *
lb_motion(const char *sidecar)
{
	json_t *j = sidecar ? json_load_file(sidecar, 0, NULL) : NULL;
	json_t *m = NULL;

	if (j != NULL) {
		m = json_object_get(j, "motion");
		if (!json_is_array(m))
			m = json_object_get(j, "events");
		if (json_is_array(m))
			json_incref(m);
		else
			m = NULL;
	}
	json_decref(j);
	return m ? m : json_array();
}

/* One task's JSON for seg, or NULL and *cause (a permanent problem). */
static json_t *
lb_task_json(struct vg_labeler *lb, const struct lb_conf *c,
    const struct vg_spool_segment *seg, char **cause)
{
	char *video = NULL, *key, *start, *end;
	json_t *data, *meta, *t;

	if (seg->object_key == NULL) {
		xasprintf(cause, "segment %lld has no object key",
		    (long long)seg->id);
		return NULL;
	}
	if (c->storage_type != VG_STORAGE_S3 || c->bucket == NULL) {
		xasprintf(cause, "the storage \"%s\" is not S3: Label Studio "
		    "can only open videos from S3 (presigned or s3://)",
		    c->storage_name ? c->storage_name : "");
		return NULL;
	}
	if (c->video_ref == VG_LS_VIDEO_S3)
		xasprintf(&video, "s3://%s/%s", c->bucket, seg->object_key);
	else {
		struct vg_s3_presign p;

		memset(&p, 0, sizeof p);
		p.endpoint = c->endpoint;
		p.virtual_hosted = !c->path_style;
		p.bucket = c->bucket;
		p.key = seg->object_key;
		p.region = c->region;
		p.access_key = c->access_key;
		p.secret_key = c->secret_key;
		p.expires = c->presign_ttl_s;
		p.when = time(NULL);
		if (vg_s3_presign(&p, &video, cause) != 0)
			return NULL;
	}
	(void)lb;
	key = vg_ls_segment_key(seg);
	start = lb_utc(seg->start_us);
	end = lb_utc(seg->end_us);
	data = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:f,s:f,s:I,s:s}",
	    "video", video, "segment_key", key, "camera",
	    seg->camera ? seg->camera : "", "site", seg->site ? seg->site : "",
	    "start_utc", start, "end_utc", end, "fps", seg->fps,
	    "duration_s", (double)(seg->end_us - seg->start_us) / 1e6,
	    "frames", (json_int_t)seg->frames, "object_key", seg->object_key);
	json_object_set_new(data, "motion", lb_motion(seg->sidecar));
	meta = json_pack("{s:s,s:s,s:s,s:s,s:I}", "sha256", seg->sha256,
	    "etag", seg->etag ? seg->etag : "", "vigia_version",
	    PACKAGE_VERSION, "bucket", c->bucket, "bytes",
	    (json_int_t)seg->bytes);
	t = json_pack("{s:o,s:o}", "data", data, "meta", meta);
	free(video);
	free(key);
	free(start);
	free(end);
	return t;
}

static void
lb_set_error(struct vg_labeler *lb, const char *state, const char *err)
{
	pthread_mutex_lock(&lb->mu);
	free(lb->state);
	lb->state = xstrdup(state);
	if (err != NULL) {
		free(lb->last_error);
		lb->last_error = xstrdup(err);
	}
	pthread_mutex_unlock(&lb->mu);
}

static void
lb_count(struct vg_labeler *lb, int64_t *counter, int64_t n)
{
	pthread_mutex_lock(&lb->mu);
	*counter += n;
	pthread_mutex_unlock(&lb->mu);
}

static int64_t
lb_backoff_us(struct vg_labeler *lb)
{
	int64_t ms = lb->backoff_ms;
	int i;

	for (i = 0; i < lb->failures && ms < lb->backoff_cap_ms; i++)
		ms *= 2;
	if (ms > lb->backoff_cap_ms)
		ms = lb->backoff_cap_ms;
	return ms * 1000;
}

/* A transient failure for these segments: due again after the backoff. */
static void
lb_retry(struct vg_labeler *lb, struct vg_spool_segment **segs, size_t n,
    const char *why)
{
	int64_t next = lb_now_us() + lb_backoff_us(lb);
	size_t i;

	for (i = 0; i < n; i++)
		vg_spool_task_retry(lb->sp, segs[i]->id, why, next, NULL);
}

/* Poll an enterprise-style import until it ends: 0 and *r the import
 * object, or an error (the outcome is then unknown). */
static int
lb_poll_import(struct vg_labeler *lb, json_int_t imp, json_t **r,
    char **cause)
{
	char path[96];
	int i;

	snprintf(path, sizeof path, "/api/projects/%d/imports/%lld/",
	    lb->project_id, (long long)imp);
	for (i = 0; i < 600 && !lb->stop; i++) {
		const char *s;
		struct timespec ts = { 0, 200 * 1000000L };

		if (vg_ls_call(lb->ls, "GET", path, NULL, NULL, r, NULL,
		    cause) != 0)
			return VG_ERR_PROTO;
		s = json_string_value(json_object_get(*r, "status"));
		if (s != NULL && (strcmp(s, "completed") == 0 ||
		    strcmp(s, "failed") == 0))
			return 0;
		json_decref(*r);
		*r = NULL;
		nanosleep(&ts, NULL);
	}
	xasprintf(cause, "Label Studio's import %lld did not finish in "
	    "time", (long long)imp);
	return VG_ERR_TIMEOUT;
}

/*
 * Import segs (each already has its JSON in items, same order).  Marks
 * them unknown first.  Returns 0 when every segment's fate is settled
 * (created or failed) or was put off for a retry; a transient error
 * leaves them unknown for the next round's lookup.
 */
static void
lb_import(struct vg_labeler *lb, struct vg_spool_segment **segs,
    json_t **items, size_t n)
{
	json_t *arr = json_array(), *r = NULL, *ids;
	char path[64], *cause = NULL;
	const char *fs;
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		json_array_append(arr, items[i]);
		if (vg_spool_task_unknown(lb->sp, segs[i]->id, &cause) != 0) {
			log_error("label studio: journal: %s", cause);
			free(cause);
			json_decref(arr);
			return;	/* not sent: nothing happened */
		}
	}
	snprintf(path, sizeof path, "/api/projects/%d/import", lb->project_id);
	lb->last_import_us = lb_now_us();
	lb_count(lb, &lb->imports, 1);
	err = vg_ls_call(lb->ls, "POST", path, "return_task_ids=true", arr,
	    &r, NULL, &cause);
	json_decref(arr);
	if (err == 0 && json_object_get(r, "import") != NULL) {
		json_int_t imp = json_integer_value(json_object_get(r,
		    "import"));

		json_decref(r);
		r = NULL;
		err = lb_poll_import(lb, imp, &r, &cause);
		fs = json_string_value(json_object_get(r, "status"));
		if (err == 0 && fs != NULL && strcmp(fs, "failed") == 0) {
			/* item errors surface here: as a 400 */
			const char *e = json_string_value(json_object_get(r,
			    "error"));

			xasprintf(&cause, "Label Studio refused the import: %s",
			    e ? e : "failed");
			json_decref(r);
			r = NULL;
			err = VG_ERR_CONFIG;
			goto refused;
		}
	}
	if (err == 0) {
		ids = json_object_get(r, "task_ids");
		if (lb->crash_after_import)
			raise(SIGKILL);	/* the crash test */
		if (json_array_size(ids) != n) {
			/* created, but which ids? the lookup will tell */
			log_warn("label studio: the import's reply has %zu "
			    "task ids for %zu tasks: looking them up",
			    json_array_size(ids), n);
			lb_retry(lb, segs, n, "import reply without task ids");
			json_decref(r);
			return;
		}
		for (i = 0; i < n; i++) {
			int64_t id = json_integer_value(json_array_get(ids, i));

			if (vg_spool_task_created(lb->sp, segs[i]->id, id,
			    &cause) != 0) {
				log_error("label studio: journal: %s", cause);
				free(cause);
				cause = NULL;
			}
		}
		lb_count(lb, &lb->created, (int64_t)n);
		lb_set_error(lb, "running", NULL);
		lb->failures = 0;
		json_decref(r);
		log_info("label studio: project %d: imported %zu task(s)",
		    lb->project_id, n);
		return;
	}
	json_decref(r);
	if (vg_ls_last_fail(lb->ls) != VG_LS_FAIL_INVALID) {
		/* unknown outcome (or not sent): the lookup comes first */
		log_warn("label studio: import of %zu task(s): %s", n, cause);
		lb->failures++;
		if (vg_ls_last_fail(lb->ls) == VG_LS_FAIL_NOTFOUND)
			lb->project_id = 0;	/* deleted? ensure again */
		lb_set_error(lb, "retrying", cause);
		lb_retry(lb, segs, n, cause);
		free(cause);
		return;
	}
refused:
	/* all or nothing: nothing was created */
	if (cause != NULL && strstr(cause, "key is expected in task data") !=
	    NULL) {
		/* the project's config wants data vigia's tasks do not
		 * have (it was changed in Label Studio): every task would
		 * fail, so none does; retried until the config is fixed */
		log_error("label studio: project %d: the label config asks "
		    "for task data vigia does not send (the config was "
		    "changed?): %s", lb->project_id, cause);
		lb->failures++;
		lb_set_error(lb, "error", cause);
		lb_retry(lb, segs, n, cause);
		free(cause);
		return;
	}
	if (n == 1) {
		log_error("label studio: segment %s: task refused: %s",
		    segs[0]->object_key, cause);
		vg_spool_task_fail(lb->sp, segs[0]->id, cause, NULL);
		lb_count(lb, &lb->failed, 1);
		lb_set_error(lb, "running", cause);
		free(cause);
		return;
	}
	free(cause);
	lb_count(lb, &lb->bisections, 1);
	lb_import(lb, segs, items, n / 2);
	lb_import(lb, segs + n / 2, items + n / 2, n - n / 2);
}

/* Make sure the client, the project and (s3://) the storage exist. */
static int
lb_ensure(struct vg_labeler *lb, const struct lb_conf *c)
{
	struct vg_ls_opts o;
	char *cause = NULL, *xml = NULL;
	bool created;
	int err = 0;

	if (lb->ls == NULL) {
		memset(&o, 0, sizeof o);
		o.url = c->url;
		o.token = c->token;
		o.token_type = c->token_type;
		o.insecure = c->insecure;
		if ((err = vg_ls_new(&o, &lb->ls, &cause)) != 0)
			goto out;
		vg_ls_set_abort(lb->ls, &lb->stop);
	}
	if (lb->project_id == 0) {
		if ((err = vg_ls_render_config(c->label_config, c->fps,
		    (const char *const *)c->labels, c->nlabels, &xml,
		    &cause)) != 0)
			goto out;
		if ((err = vg_ls_project_ensure(lb->ls, c->project_id,
		    c->project_title, xml, false, &lb->project_id, &created,
		    &cause)) != 0)
			goto out;
		lb->storage_id = 0;
		if (c->fps == 0)
			log_warn("label studio: the cameras record at different "
			    "frame rates: the label config takes each task's "
			    "data.fps (older Label Studio editors, such as "
			    "1.4.0's, ignore it)");
	}
	if (c->video_ref == VG_LS_VIDEO_S3 && lb->storage_id == 0 &&
	    c->bucket != NULL) {
		struct vg_ls_s3 s3;

		memset(&s3, 0, sizeof s3);
		s3.bucket = c->bucket;
		s3.region = c->region;
		s3.endpoint = c->endpoint;
		s3.access_key = c->access_key;
		s3.secret_key = c->secret_key;
		s3.presign_ttl_s = c->presign_ttl_s;
		if ((err = vg_ls_storage_ensure(lb->ls, lb->project_id, &s3,
		    &lb->storage_id, &cause)) != 0)
			goto out;
	}
out:
	free(xml);
	if (err != 0) {
		log_warn("label studio: %s", cause);
		lb_set_error(lb, "error", cause);
		pthread_mutex_lock(&lb->mu);
		lb->ensure_failed = true;
		pthread_mutex_unlock(&lb->mu);
		lb->failures++;
	}
	free(cause);
	return err;
}

/* One round: returns how long to wait before the next (ms). */
static int64_t
lb_round(struct vg_labeler *lb, const struct lb_conf *c)
{
	struct vg_spool_segment *segs = NULL, **todo = NULL;
	json_t **items = NULL;
	size_t n = 0, i, nt = 0;
	int64_t now = lb_now_us(), wait = lb->poll_ms;
	char *cause = NULL;

	if (lb_ensure(lb, c) != 0)
		return lb_backoff_us(lb) / 1000;
	/* "running" once the project is there; then failures say
	 * "retrying" or "error" until an import goes through */
	pthread_mutex_lock(&lb->mu);
	if (strcmp(lb->state, "starting") == 0 || lb->ensure_failed) {
		free(lb->state);
		lb->state = xstrdup("running");
	}
	lb->ensure_failed = false;
	pthread_mutex_unlock(&lb->mu);
	if (vg_spool_task_due(lb->sp, now, lb->batch, &segs, &n, &cause) != 0) {
		log_error("label studio: journal: %s", cause);
		free(cause);
		return wait;
	}
	if (n == 0) {
		vg_spool_segments_free(segs, n);
		return wait;
	}
	todo = xcalloc(n, sizeof *todo);
	items = xcalloc(n, sizeof *items);
	for (i = 0; i < n && !lb->stop; i++) {
		struct vg_spool_segment *s = &segs[i];

		if (s->task == VG_SPOOL_TASK_UNKNOWN) {
			/* an earlier import may have made it: ask first */
			char *key = vg_ls_segment_key(s);
			int64_t id = 0;
			int err = vg_ls_task_lookup(lb->ls, lb->project_id,
			    key, &id, &cause);

			free(key);
			lb_count(lb, &lb->lookups, 1);
			if (err != 0) {
				log_warn("label studio: lookup: %s", cause);
				lb->failures++;
				lb_set_error(lb, "retrying", cause);
				lb_retry(lb, &s, 1, cause);
				free(cause);
				cause = NULL;
				if (vg_ls_last_fail(lb->ls) ==
				    VG_LS_FAIL_NOTFOUND) {
					/* the project went away: ensure it
					 * again, import nothing now */
					lb->project_id = 0;
					break;
				}
				continue;
			}
			if (id > 0) {
				vg_spool_task_created(lb->sp, s->id, id, NULL);
				lb_count(lb, &lb->found, 1);
				lb_count(lb, &lb->created, 1);
				continue;
			}
		}
		items[nt] = lb_task_json(lb, c, s, &cause);
		if (items[nt] == NULL) {
			log_error("label studio: segment %lld: %s",
			    (long long)s->id, cause);
			vg_spool_task_fail(lb->sp, s->id, cause, NULL);
			lb_count(lb, &lb->failed, 1);
			free(cause);
			cause = NULL;
			continue;
		}
		todo[nt++] = s;
	}
	if (nt > 0 && !lb->stop && lb->project_id > 0) {
		int64_t since = (now - lb->last_import_us) / 1000;

		if (nt >= lb->batch || lb->last_import_us == 0 ||
		    since >= lb->interval_ms) {
			lb_import(lb, todo, items, nt);
			wait = nt >= lb->batch ? 0 : lb->poll_ms;
		} else
			wait = lb->interval_ms - since;
	}
	for (i = 0; i < nt; i++)
		json_decref(items[i]);
	free(items);
	free(todo);
	vg_spool_segments_free(segs, n);
	return wait;
}

static void *
lb_main(void *arg)
{
	struct vg_labeler *lb = arg;

	pthread_mutex_lock(&lb->mu);
	while (!lb->stop) {
		int64_t wait;
		struct timespec ts;

		if (lb->next_conf != NULL) {
			lb_conf_free(lb->conf);
			lb->conf = lb->next_conf;
			lb->next_conf = NULL;
			vg_ls_free(lb->ls);
			lb->ls = NULL;
			lb->project_id = 0;
			lb->storage_id = 0;
		}
		lb->kicked = false;
		pthread_mutex_unlock(&lb->mu);
		wait = lb_round(lb, lb->conf);
		pthread_mutex_lock(&lb->mu);
		if (lb->stop || lb->kicked || lb->next_conf != NULL)
			continue;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += wait / 1000;
		ts.tv_nsec += (wait % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (wait > 0)
			pthread_cond_timedwait(&lb->cv, &lb->mu, &ts);
	}
	pthread_mutex_unlock(&lb->mu);
	return NULL;
}

struct vg_labeler *
vg_labeler_start(const struct vg_config *cfg, struct vg_spool *sp,
    char **cause)
{
	struct vg_labeler *lb;

	if (!cfg->label_studio.enabled) {
		if (cause != NULL)
			*cause = xstrdup("Label Studio is not enabled "
			    "(label_studio.enabled)");
		return NULL;
	}
	/* before the thread: curl's global state is set up once, here */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	lb = xcalloc(1, sizeof *lb);
	lb->sp = sp;
	lb->conf = lb_conf_new(cfg);
	lb->interval_ms = lb_env("VIGIA_TEST_LS_INTERVAL_MS", 30000);
	lb->poll_ms = lb_env("VIGIA_TEST_LS_POLL_MS", 2000);
	lb->backoff_ms = lb_env("VIGIA_TEST_LS_BACKOFF_MS", 5000);
	lb->backoff_cap_ms = lb_env("VIGIA_TEST_LS_BACKOFF_CAP_MS", 300000);
	lb->batch = (size_t)lb_env("VIGIA_TEST_LS_BATCH", 100);
	if (lb->batch == 0)
		lb->batch = 1;
	if (lb->backoff_ms == 0)
		lb->backoff_ms = 1;
	lb->crash_after_import = lb_env("VIGIA_TEST_LS_CRASH_AFTER_IMPORT",
	    0) != 0;
	lb->state = xstrdup("starting");
	pthread_mutex_init(&lb->mu, NULL);
	pthread_cond_init(&lb->cv, NULL);
	if (pthread_create(&lb->thread, NULL, lb_main, lb) != 0) {
		if (cause != NULL)
			xasprintf(cause, "cannot start the labeler thread: %s",
			    strerror(errno));
		lb_conf_free(lb->conf);
		free(lb->state);
		free(lb);
		curl_global_cleanup();
		return NULL;
	}
	return lb;
}

void
vg_labeler_reload(struct vg_labeler *lb, const struct vg_config *cfg)
{
	struct lb_conf *c = lb_conf_new(cfg);

	pthread_mutex_lock(&lb->mu);
	lb_conf_free(lb->next_conf);
	lb->next_conf = c;
	pthread_cond_signal(&lb->cv);
	pthread_mutex_unlock(&lb->mu);
}

void
vg_labeler_kick(struct vg_labeler *lb)
{
	pthread_mutex_lock(&lb->mu);
	lb->kicked = true;
	pthread_cond_signal(&lb->cv);
	pthread_mutex_unlock(&lb->mu);
}

void
vg_labeler_stop(struct vg_labeler *lb)
{
	if (lb == NULL)
		return;
	pthread_mutex_lock(&lb->mu);
	lb->stop = 1;	/* also aborts a transfer under way */
	pthread_cond_signal(&lb->cv);
	pthread_mutex_unlock(&lb->mu);
	pthread_join(lb->thread, NULL);
	vg_ls_free(lb->ls);
	lb_conf_free(lb->conf);
	lb_conf_free(lb->next_conf);
	pthread_mutex_destroy(&lb->mu);
	pthread_cond_destroy(&lb->cv);
	free(lb->state);
	free(lb->last_error);
	free(lb);
	curl_global_cleanup();
}

void
vg_labeler_status(struct vg_labeler *lb, void *json_object)
{
	json_t *o = json_object;

	pthread_mutex_lock(&lb->mu);
	json_object_set_new(o, "state", json_string(lb->state));
	json_object_set_new(o, "url", json_string(lb->conf->url ?
	    lb->conf->url : ""));
	json_object_set_new(o, "project_id", json_integer(lb->project_id));
	json_object_set_new(o, "storage_id", json_integer(lb->storage_id));
	json_object_set_new(o, "imports", json_integer(lb->imports));
	json_object_set_new(o, "tasks_created", json_integer(lb->created));
	json_object_set_new(o, "lookups", json_integer(lb->lookups));
	json_object_set_new(o, "found_by_lookup", json_integer(lb->found));
	json_object_set_new(o, "bisections", json_integer(lb->bisections));
	json_object_set_new(o, "tasks_failed", json_integer(lb->failed));
	json_object_set_new(o, "last_error", lb->last_error ?
	    json_string(lb->last_error) : json_null());
	pthread_mutex_unlock(&lb->mu);
}
