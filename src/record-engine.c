/* record-engine.c - the recorder engine: camera threads, reload, status,
 * crash recovery and the disk watch.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Disk: every few seconds the free space of the spool's file system is
 * compared with retention.min_free_gb and with min_free_h hours of the
 * current total bitrate.  Below the limit, closed segments are evicted
 * through the journal (vg_spool_evictable: stored ones first, then the
 * oldest not stored: loudly, an error and an alarm).  A camera that hits
 * ENOSPC closes its segment with what it has and starts again by itself
 * once space is back.
 */
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "libvigia.h"
#include "record-cam.h"
#include "record-int.h"

#define DISK_PERIOD_MS 2000
#define STOP_DEADLINE_US 4500000

static const char *const mode_names[] =
    { "continuous", "motion", "schedule", "off" };

/* mkdir -p */
static int
rec_mkdir_p(const char *path, mode_t mode, char **cause)
{
	char *p = xstrdup(path), *s;
	int err = VG_OK;

	for (s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		{
			char c = *s;

			*s = '\0';
			if (mkdir(p, mode) != 0 && errno != EEXIST) {
				if (cause != NULL)
					xasprintf(cause, "%s: %s", p,
					    strerror(errno));
				err = VG_ERR_IO;
				break;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	return err;
}

/* ---- crash recovery ----------------------------------------------------- */

/* Finish what a crash left in dir: leftover .part files (only at start:
 * parts = true; later they belong to running cameras) and renamed
 * segments whose journal row is missing. */
static int
recover_dir(const char *dir, struct vg_spool *sp, bool parts, int *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *path, *cause = NULL;
	size_t n;
	int err;

	if (d == NULL)
		return VG_OK;
	while ((e = readdir(d)) != NULL) {
		struct vg_seg_result res;
		bool part;

		n = strlen(e->d_name);
		part = n > 9 && strcmp(e->d_name + n - 9, ".mp4.part") == 0;
		if (part && !parts)
			continue;
		if (!part && !(n > 4 && strcmp(e->d_name + n - 4, ".mp4") ==
		    0))
			continue;
		xasprintf(&path, "%s/%s", dir, e->d_name);
		if (!part && vg_spool_has_path(sp, path)) {
			free(path);
			continue;
		}
		err = vg_seg_recover(path, sp, &res, &cause);
		if (err == VG_OK) {
			log_notice("recovered %s: %.3f s, %lld frames",
			    res.path, (double)res.duration_us / 1e6,
			    (long long)res.frames);
			(*count)++;
		} else if (err != VG_ERR_EXISTS)
			log_error("recovering %s: %s", path, cause);
		free(cause);
		cause = NULL;
		vg_seg_result_clear(&res);
		free(path);
	}
	closedir(d);
	return VG_OK;
}

static int
rec_sweep(const char *spool_dir, struct vg_spool *sp, bool parts, int *count,
    char **cause)
{
	DIR *d = opendir(spool_dir);
	struct dirent *e;
	struct stat st;
	char *sub;
	int n = 0;

	if (d == NULL) {
		if (cause != NULL)
			xasprintf(cause, "%s: %s", spool_dir, strerror(errno));
		return VG_ERR_IO;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		xasprintf(&sub, "%s/%s", spool_dir, e->d_name);
		if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			recover_dir(sub, sp, parts, &n);
		free(sub);
	}
	closedir(d);
	if (count != NULL)
		*count = n;
	return VG_OK;
}

int
vg_recorder_recover(const char *spool_dir, struct vg_spool *sp, int *count,
    char **cause)
{
	return rec_sweep(spool_dir, sp, true, count, cause);
}

/* ---- cameras ------------------------------------------------------------ */

/* Everything that, changed, restarts a camera. */
static char *
cam_fingerprint(const struct vg_config *cfg, const struct vg_camera *cam)
{
	const struct vg_camera_recording *r = &cam->recording;
	char *fp, *sched = xstrdup(""), *t;
	size_t i;

	for (i = 0; i < r->schedule.n; i++) {
		xasprintf(&t, "%s|%s", sched, r->schedule.v[i]);
		free(sched);
		sched = t;
	}
	xasprintf(&fp, "%s\n%s\n%s\n%s\n%s:%d%s%d\n%s\n%s\n%s\n%d %d %d %d %d "
	    "%d\n%s\n%s\n%s\n%s", cam->name, cfg->site.id,
	    cfg->site.timezone != NULL ? cfg->site.timezone : "",
	    cfg->vigiad.spool_dir,
	    cam->onvif.address != NULL ? cam->onvif.address : "",
	    cam->onvif.port, cam->onvif.path, cam->onvif.tls,
	    cam->match.address != NULL ? cam->match.address : "",
	    cam->credentials.user,
	    cam->credentials.password.value != NULL ?
	    cam->credentials.password.value : "",
	    r->mode, r->segment_s, r->pre_roll_s, r->post_roll_s, r->stream,
	    r->audio, sched, r->url != NULL ? r->url : "",
	    cam->match.serial != NULL ? cam->match.serial : "",
	    cam->match.mac != NULL ? cam->match.mac : "");
	free(sched);
	return fp;
}

static bool
cam_recorded(const struct vg_config *cfg, const struct vg_camera *cam)
{
	return cfg->nvr.mode == VG_NVR_VIGIAD && cam->enabled &&
	    cam->recording.mode != VG_RECORD_OFF;
}

static struct rec_cam *
cam_new(struct vg_recorder *rec, const struct vg_config *cfg,
    const struct vg_camera *src)
{
	struct rec_cam *c = xcalloc(1, sizeof *c);
	const struct vg_camera *cam;
	char *cause = NULL;
	size_t i;

	c->rec = rec;
	pthread_mutex_init(&c->lock, NULL);
	{
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&c->cond, &ca);
		pthread_condattr_destroy(&ca);
	}
	c->fingerprint = cam_fingerprint(cfg, src);
	c->cfg = vg_config_dup(cfg);
	cam = vg_config_find_camera(c->cfg, src->name);
	c->cam = cam;
	c->name = xstrdup(cam->name);
	c->site = xstrdup(cfg->site.id);
	xasprintf(&c->dir, "%s/%s", rec->spool_dir, cam->name);
	c->serial = cam->match.serial != NULL ? xstrdup(cam->match.serial) :
	    NULL;
	c->mac = cam->match.mac != NULL ? xstrdup(cam->match.mac) : NULL;
	c->user = xstrdup(cam->credentials.user);
	c->password = cam->credentials.password.value != NULL ?
	    xstrdup(cam->credentials.password.value) : NULL;
	c->url_cfg = cam->recording.url != NULL ?
	    xstrdup(cam->recording.url) : NULL;
	c->mode = cam->recording.mode;
	c->mode_name = mode_names[c->mode];
	c->segment_s = cam->recording.segment_s;
	c->fps_guess = cam->encoder.fps;
	c->pre_roll_s = cam->recording.pre_roll_s;
	c->audio_mode = cam->recording.audio;
	c->post_roll_s = cam->recording.post_roll_s;
	c->nrules = cam->recording.schedule.n;
	c->rules = xcalloc(c->nrules + 1, sizeof *c->rules);
	for (i = 0; i < c->nrules; i++)
		if (vg_schedule_parse(cam->recording.schedule.v[i],
		    &c->rules[i], &cause) != VG_OK) {
			log_error("%s: %s", c->name, cause);
			free(cause);
			cause = NULL;
		}
	c->seed = (unsigned)vg_record_mono_us() ^ (unsigned)(uintptr_t)c;
	c->state = "starting";
	c->since_us = vg_record_wall_us();
	c->vidx = c->aidx = -1;
	return c;
}

static void
cam_free(struct rec_cam *c)
{
	if (c == NULL)
		return;
	vg_config_free(c->cfg);
	free(c->fingerprint);
	free(c->name);
	free(c->site);
	free(c->dir);
	free(c->serial);
	free(c->mac);
	free(c->model);
	free(c->user);
	vg_secret_free(c->password);
	free(c->url_cfg);
	free(c->url);
	free(c->rules);
	free(c->ring);
	free(c->audio_note);
	vg_atx_free(c->atx);
	free(c->cur_path);
	free(c->last_path);
	free(c->err_reason);
	free(c->err_msg);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->cond);
	free(c);
}

static void
cam_start(struct rec_cam *c)
{
	char *cause = NULL;

	if (rec_mkdir_p(c->dir, 0755, &cause) != VG_OK) {
		log_error("%s: %s", c->name, cause);
		free(cause);
	}
	if (rec_loop_wanted(c->url_cfg)) {
		c->shared = true;	/* the one reading thread */
		rec_loop_add(c->rec, c);
	} else {
		if (pthread_create(&c->thread, NULL, rec_cam_main, c) != 0)
			fatalx("pthread_create");
		c->started = true;
	}
	if (c->mode == VG_RECORD_MOTION) {
		if (pthread_create(&c->ev_thread, NULL, rec_cam_events_main,
		    c) != 0)
			fatalx("pthread_create");
		c->ev_started = true;
	}
	log_notice("%s: recording (%s, %d s segments) into %s", c->name,
	    c->mode_name, c->segment_s, c->dir);
}

static void
cam_signal_stop(struct rec_cam *c)
{
	pthread_mutex_lock(&c->lock);
	c->stop = 1;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	if (c->shared)
		rec_loop_wake(c->rec);
}

/* Stop the cameras of v (already signalled) and free them. */
static void
cams_join(struct rec_cam **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i]->started)
			pthread_join(v[i]->thread, NULL);
		/* the loop lets go of it, the writers close its segment */
		pthread_mutex_lock(&v[i]->lock);
		while ((v[i]->shared && !v[i]->done) || v[i]->pending > 0)
			pthread_cond_wait(&v[i]->cond, &v[i]->lock);
		pthread_mutex_unlock(&v[i]->lock);
		if (v[i]->ev_started)
			pthread_join(v[i]->ev_thread, NULL);
		cam_free(v[i]);
	}
}

/* ---- the disk ----------------------------------------------------------- */

/* Raise (msg) or calm (NULL) the disk alarm.  A calmed alarm stays in
 * the status, inactive, for an hour: whoever looks later still sees that
 * segments were evicted. */
static void
disk_alarm(struct vg_recorder *rec, const char *msg)
{
	int64_t now = vg_record_wall_us();

	pthread_mutex_lock(&rec->lock);
	if (msg == NULL) {
		rec->alarm_active = false;
		if (rec->alarm != NULL && now - rec->alarm_last_us >
		    3600 * (int64_t)1000000) {
			free(rec->alarm);
			rec->alarm = NULL;
		}
	} else {
		if (rec->alarm == NULL || strcmp(rec->alarm, msg) != 0) {
			free(rec->alarm);
			rec->alarm = xstrdup(msg);
			rec->alarm_us = now;
			rec->alarms++;
		}
		rec->alarm_active = true;
		rec->alarm_last_us = now;
	}
	pthread_mutex_unlock(&rec->lock);
}

/* Total measured bitrate of every camera, bytes per second. */
static double
disk_rate(struct vg_recorder *rec)
{
	double kbps = 0;
	size_t i;

	pthread_mutex_lock(&rec->lock);
	for (i = 0; i < rec->nc; i++) {
		pthread_mutex_lock(&rec->cams[i]->lock);
		kbps += rec->cams[i]->kbps;
		pthread_mutex_unlock(&rec->cams[i]->lock);
	}
	pthread_mutex_unlock(&rec->lock);
	return kbps * 1000 / 8;
}

static bool
disk_check(struct vg_recorder *rec)
{
	struct statvfs sv;
	struct vg_spool_segment *segs = NULL;
	size_t n = 0, i;
	double rate, need, avail;
	char *cause = NULL, msg[256];
	bool low;

	if (statvfs(rec->spool_dir, &sv) != 0)
		return false;
	avail = (double)sv.f_bavail * (double)sv.f_frsize;
	rate = disk_rate(rec);
	need = rec->min_free_gb * 1e9;
	if (rec->min_free_h * 3600 * rate > need)
		need = rec->min_free_h * 3600 * rate;
	pthread_mutex_lock(&rec->lock);
	rec->free_bytes = (int64_t)avail;
	rec->total_bytes = (int64_t)((double)sv.f_blocks * sv.f_frsize);
	rec->headroom_h = rate > 0 ? avail / rate / 3600 : -1;
	pthread_mutex_unlock(&rec->lock);
	low = avail < need ||
	    __atomic_exchange_n(&rec->enospc_events, 0, __ATOMIC_RELAXED) > 0;
	if (!low) {
		disk_alarm(rec, NULL);
		return false;
	}
	if (vg_spool_evictable(rec->spool, 1, &segs, &n, &cause) != VG_OK) {
		log_error("disk: %s", cause);
		free(cause);
		return false;
	}
	if (n == 0) {
		snprintf(msg, sizeof msg, "disk full: %.2f GB free, nothing "
		    "left to evict", avail / 1e9);
		disk_alarm(rec, msg);
		return false;
	}
	for (i = 0; i < n; i++) {
		struct stat st;
		int64_t size = stat(segs[i].path, &st) == 0 ? st.st_size : 0;

		if (unlink(segs[i].path) != 0 && errno != ENOENT) {
			log_error("disk: cannot evict %s: %s", segs[i].path,
			    strerror(errno));
			continue;
		}
		if (segs[i].sidecar != NULL)
			unlink(segs[i].sidecar);
		if (vg_spool_local_gone(rec->spool, segs[i].id, true,
		    vg_record_wall_us(), &cause) != VG_OK) {
			log_error("disk: %s", cause);
			free(cause);
			cause = NULL;
		}
		log_error("disk: %.2f GB free (limit %.2f GB): evicted %s "
		    "segment %s", avail / 1e9, need / 1e9, segs[i].up ==
		    VG_SPOOL_UP_STORED ? "uploaded" : "NOT UPLOADED",
		    segs[i].path);
		pthread_mutex_lock(&rec->lock);
		rec->evicted++;
		rec->evicted_bytes += size;
		pthread_mutex_unlock(&rec->lock);
		snprintf(msg, sizeof msg, "disk low: segments evicted (%s)",
		    segs[i].up == VG_SPOOL_UP_STORED ? "uploaded ones" :
		    "some not uploaded");
		disk_alarm(rec, msg);
	}
	vg_spool_segments_free(segs, n);
	return true;
}

static void *
disk_main(void *arg)
{
	struct vg_recorder *rec = arg;
	struct timespec ts;
	int sweep = 0;

	while (!rec->disk_stop) {
		if (disk_check(rec)) {
			sweep = -1;	/* evicted: sweep, and look again */
			continue;
		}
		/* now and then, and after an eviction: segments closed
		 * while the disk was full (renamed, but no row) */
		if (sweep < 0 || ++sweep % 30 == 0) {
			int n = 0;

			pthread_rwlock_wrlock(&rec->commit_lock);
			rec_sweep(rec->spool_dir, rec->spool, false, &n, NULL);
			pthread_rwlock_unlock(&rec->commit_lock);
			if (n > 0)
				log_notice("disk: %d segments journaled late",
				    n);
			sweep = 0;
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += DISK_PERIOD_MS / 1000;
		pthread_mutex_lock(&rec->lock);
		if (!rec->disk_stop)
			pthread_cond_timedwait(&rec->disk_cond, &rec->lock,
			    &ts);
		pthread_mutex_unlock(&rec->lock);
	}
	return NULL;
}

/* ---- the engine --------------------------------------------------------- */

static void
rec_apply(struct vg_recorder *rec, const struct vg_config *cfg)
{
	struct rec_cam **keep, **gone;
	size_t i, j, nk = 0, ng = 0;
	bool *used;

	used = xcalloc(cfg->ncameras + 1, sizeof *used);
	keep = xcalloc(rec->nc + cfg->ncameras + 1, sizeof *keep);
	gone = xcalloc(rec->nc + 1, sizeof *gone);
	pthread_mutex_lock(&rec->lock);
	rec->min_free_gb = cfg->vigiad.retention.min_free_gb;
	rec->min_free_h = cfg->vigiad.retention.min_free_h;
	for (i = 0; i < rec->nc; i++) {
		struct rec_cam *c = rec->cams[i];
		bool same = false;

		for (j = 0; j < cfg->ncameras; j++) {
			const struct vg_camera *cam = &cfg->cameras[j];
			char *fp;

			if (strcmp(cam->name, c->name) != 0 ||
			    !cam_recorded(cfg, cam))
				continue;
			fp = cam_fingerprint(cfg, cam);
			same = strcmp(fp, c->fingerprint) == 0;
			free(fp);
			if (same)
				used[j] = true;
			break;
		}
		if (same)
			keep[nk++] = c;
		else
			gone[ng++] = c;
	}
	/* the status and the disk thread see only the kept cameras from
	 * now on: the gone ones are freed below (keep has room for the new
	 * ones, appended under the lock) */
	free(rec->cams);
	rec->cams = keep;
	rec->nc = nk;
	pthread_mutex_unlock(&rec->lock);
	for (i = 0; i < ng; i++) {
		log_notice("%s: stopping (removed or changed)", gone[i]->name);
		cam_signal_stop(gone[i]);
	}
	cams_join(gone, ng);
	for (j = 0; j < cfg->ncameras; j++) {
		struct rec_cam *c;

		if (used[j] || !cam_recorded(cfg, &cfg->cameras[j]))
			continue;
		c = cam_new(rec, cfg, &cfg->cameras[j]);
		cam_start(c);
		pthread_mutex_lock(&rec->lock);
		keep[rec->nc++] = c;
		pthread_mutex_unlock(&rec->lock);
	}
	free(gone);
	free(used);
}

struct vg_recorder *
vg_recorder_start(const struct vg_config *cfg, struct vg_spool *sp,
    char **cause)
{
	struct vg_recorder *rec;
	pthread_condattr_t ca;
	int n = 0;

	if (rec_mkdir_p(cfg->vigiad.spool_dir, 0755, cause) != VG_OK)
		return NULL;
	rec = xcalloc(1, sizeof *rec);
	rec->spool = sp;
	rec->spool_dir = xstrdup(cfg->vigiad.spool_dir);
	pthread_mutex_init(&rec->lock, NULL);
	pthread_rwlock_init(&rec->commit_lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&rec->disk_cond, &ca);
	pthread_condattr_destroy(&ca);
	vg_record_set_timezone(cfg->site.timezone);
	vg_recorder_recover(rec->spool_dir, sp, &n, NULL);
	if (n > 0)
		log_notice("crash recovery: %d segments finished", n);
	if (rec_loop_start(rec) != VG_OK) {
		xasprintf(cause, "cannot start the reading thread: %s",
		    strerror(errno));
		pthread_mutex_destroy(&rec->lock);
		pthread_rwlock_destroy(&rec->commit_lock);
		pthread_cond_destroy(&rec->disk_cond);
		free(rec->spool_dir);
		free(rec);
		return NULL;
	}
	rec_apply(rec, cfg);
	if (pthread_create(&rec->disk_thread, NULL, disk_main, rec) != 0)
		fatalx("pthread_create");
	return rec;
}

void
vg_recorder_reload(struct vg_recorder *rec, const struct vg_config *cfg)
{
	if (strcmp(cfg->vigiad.spool_dir, rec->spool_dir) != 0)
		log_warn("vigiad.spool_dir changed: it takes effect at the "
		    "next start (keeping %s)", rec->spool_dir);
	rec_apply(rec, cfg);
}

void
vg_recorder_stop(struct vg_recorder *rec)
{
	struct rec_cam **cams;
	size_t i, nc;

	if (rec == NULL)
		return;
	pthread_mutex_lock(&rec->lock);
	rec->disk_stop = 1;
	pthread_cond_broadcast(&rec->disk_cond);
	/* taken out under the lock: the disk and status readers see none
	 * while they are freed */
	cams = rec->cams;
	nc = rec->nc;
	rec->cams = NULL;
	rec->nc = 0;
	pthread_mutex_unlock(&rec->lock);
	for (i = 0; i < nc; i++)
		cam_signal_stop(cams[i]);
	cams_join(cams, nc);
	rec_loop_stop(rec);
	pthread_join(rec->disk_thread, NULL);
	free(cams);
	free(rec->spool_dir);
	free(rec->alarm);
	pthread_mutex_destroy(&rec->lock);
	pthread_rwlock_destroy(&rec->commit_lock);
	pthread_cond_destroy(&rec->disk_cond);
	free(rec);
}

int
vg_recorder_alarms(struct vg_recorder *rec)
{
	int n;

	pthread_mutex_lock(&rec->lock);
	n = rec->alarm != NULL && rec->alarm_active ? 1 : 0;
	pthread_mutex_unlock(&rec->lock);
	return n;
}

static json_t *
json_us(int64_t us)
{
	return us > 0 ? json_integer(us / 1000000) : json_null();
}

static json_t *
json_s(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

void
vg_recorder_status(struct vg_recorder *rec, void *json_object)
{
	json_t *root = json_object, *cams = json_array(), *disk, *alarms;
	size_t i;

	pthread_mutex_lock(&rec->lock);
	for (i = 0; i < rec->nc; i++) {
		struct rec_cam *c = rec->cams[i];
		json_t *j, *err = json_null();

		pthread_mutex_lock(&c->lock);
		if (c->err_reason != NULL)
			err = json_pack("{s:s, s:s, s:o}", "reason",
			    c->err_reason, "message", c->err_msg, "at",
			    json_us(c->err_us));
		j = json_pack("{s:s, s:s, s:s, s:o, s:f, s:f, s:o, s:o, s:I, "
		    "s:I, s:I, s:I, s:I, s:o}", "name", c->name, "mode",
		    c->mode_name, "state", c->state, "since",
		    json_us(c->since_us), "bitrate_kbps", c->kbps, "fps",
		    c->fps, "segment", json_s(c->cur_path), "last_segment",
		    json_s(c->last_path), "segments", (json_int_t)c->segments,
		    "frames", (json_int_t)__atomic_load_n(&c->frames,
		    __ATOMIC_RELAXED), "gaps",
		    (json_int_t)c->gaps, "reconnects",
		    (json_int_t)c->reconnects, "clock_jumps",
		    (json_int_t)c->clock_jumps, "last_error", err);
		pthread_mutex_unlock(&c->lock);
		json_array_append_new(cams, j);
	}
	disk = json_pack("{s:s, s:I, s:I, s:f, s:f, s:I, s:I}", "spool",
	    rec->spool_dir, "free_bytes", (json_int_t)rec->free_bytes,
	    "total_bytes", (json_int_t)rec->total_bytes, "min_free_gb",
	    rec->min_free_gb, "min_free_h", rec->min_free_h, "evicted",
	    (json_int_t)rec->evicted, "evicted_bytes",
	    (json_int_t)rec->evicted_bytes);
	json_object_set_new(disk, "headroom_h", rec->headroom_h >= 0 ?
	    json_real(rec->headroom_h) : json_null());
	alarms = json_object_get(root, "alarms");
	if (!json_is_array(alarms)) {
		alarms = json_array();
		json_object_set_new(root, "alarms", alarms);
	}
	if (rec->alarm != NULL)
		json_array_append_new(alarms, json_pack("{s:s, s:s, s:o, s:o, "
		    "s:b}", "source", "disk", "message", rec->alarm, "since",
		    json_us(rec->alarm_us), "last", json_us(rec->alarm_last_us),
		    "active", rec->alarm_active));
	pthread_mutex_unlock(&rec->lock);
	json_object_set_new(root, "cameras", cams);
	json_object_set_new(root, "disk", disk);
}
