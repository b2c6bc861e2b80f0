/* record-loop.c - one thread reads every camera; connectors and writers
 * keep it from ever waiting.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cameras read with vigia's own RTSP reader are served by one thread
 * (bench/record.sh: a thread per camera costs more CPU, in wake-ups, and
 * more memory, in stacks and malloc arenas).  Every step interval
 * (VG_RTSP_BATCH_MS, or VIGIA_RTSP_BATCH_MS) it takes from each camera
 * what the kernel has buffered (vg_rtsp_read_nowait: one large recv,
 * depacketized from there), records it and goes back to sleep; a pipe
 * wakes it early when a connection is ready or a camera stops.  Waking
 * on every socket's readiness instead would wake it once a packet.
 *
 * Nothing in that thread waits on a camera or on the disk:
 *   connectors  open a camera's stream (the ONVIF question, DESCRIBE,
 *               SETUP, PLAY: each bounded by the timeout, and ended at
 *               once when the camera stops) and close one (TEARDOWN);
 *               threads made on demand, up to REC_CONNECTORS, so that
 *               a camera that does not answer holds up only itself
 *   writers     close segments (the trailer, the index, SHA-256, fsync,
 *               rename, the journal) and do the fsyncs that opening one
 *               deferred; REC_WRITERS threads
 * Reconnects and backoff are the camera's phase (REC_PH_*) and a time to
 * look again, in the loop.  libavformat's reader (files, and
 * VIGIA_RTSP_READER=lavf) blocks: those cameras keep a thread each
 * (rec_cam_main), as does every camera with VIGIA_RECORD_THREADS=1.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libvigia.h"
#include "record-cam.h"
#include "record-int.h"

#define REC_CONNECTORS 8
#define REC_WRITERS 2

enum rec_job_kind {
	JOB_CONNECT,		/* c */
	JOB_CLOSE_SOURCE,	/* src */
	JOB_CLOSE_SEGMENT,	/* c, seg, why */
	JOB_SYNC,		/* a (a file), b (its directory) */
};

struct rec_job {
	struct rec_job *next;
	enum rec_job_kind kind;
	struct rec_cam *c;
	struct vg_source *src;
	struct vg_seg *seg;
	const char *why;
	char *a, *b;
};

/* See record-cam.h. */
bool
rec_loop_wanted(const char *url_cfg)
{
	const char *e = getenv("VIGIA_RECORD_THREADS"), *r;

	if (e != NULL && strcmp(e, "1") == 0)
		return false;
	r = getenv("VIGIA_RTSP_READER");
	if (r != NULL && *r != '\0' && strcmp(r, "native") != 0)
		return false;
	return url_cfg == NULL || strncmp(url_cfg, "rtsp://", 7) == 0;
}

/* The step interval, microseconds. */
static int64_t
loop_step_us(void)
{
	const char *e = getenv("VIGIA_RTSP_BATCH_MS");
	char *end;
	long v = VG_RTSP_BATCH_MS;

	if (e != NULL && *e != '\0') {
		v = strtol(e, &end, 10);
		if (*end != '\0' || v < 0 || v > 1000)
			v = VG_RTSP_BATCH_MS;
	}
	if (v < 10)
		v = 10;
	return (int64_t)v * 1000;
}

static void
job_push(struct rec_job **head, struct rec_job ***tail, struct rec_job *j)
{
	j->next = NULL;
	if (*head == NULL)
		*head = j;
	else
		**tail = j;
	*tail = &j->next;
}

static struct rec_job *
job_pop(struct rec_job **head, struct rec_job ***tail)
{
	struct rec_job *j = *head;

	if (j != NULL) {
		*head = j->next;
		if (*head == NULL)
			*tail = head;
	}
	return j;
}

/* A job naming c is done. */
static void
cam_unpend(struct rec_cam *c)
{
	pthread_mutex_lock(&c->lock);
	c->pending--;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

static void
cam_pend(struct rec_cam *c)
{
	pthread_mutex_lock(&c->lock);
	c->pending++;
	pthread_mutex_unlock(&c->lock);
}

/* ---- connectors --------------------------------------------------------- */

static void *
pool_main(void *arg)
{
	struct vg_recorder *rec = arg;
	struct rec_job *j;

	pthread_mutex_lock(&rec->loop_lock);
	for (;;) {
		j = job_pop(&rec->pool_q, &rec->pool_tail);
		if (j == NULL) {
			if (rec->pool_stop)
				break;
			rec->pool_idle++;
			pthread_cond_wait(&rec->pool_cond, &rec->loop_lock);
			rec->pool_idle--;
			continue;
		}
		rec->pool_qlen--;
		pthread_mutex_unlock(&rec->loop_lock);
		if (j->kind == JOB_CONNECT) {
			rec_cam_connect(j->c);
			cam_unpend(j->c);
		} else
			vg_source_close(j->src);
		free(j);
		pthread_mutex_lock(&rec->loop_lock);
	}
	pthread_mutex_unlock(&rec->loop_lock);
	return NULL;
}

static void
pool_push(struct vg_recorder *rec, struct rec_job *j)
{
	pthread_mutex_lock(&rec->loop_lock);
	job_push(&rec->pool_q, &rec->pool_tail, j);
	rec->pool_qlen++;
	/* more jobs waiting than idle connectors (a woken one counts as
	 * idle until it takes its job): one more, so that a camera slow to
	 * answer never holds up another's connect */
	if (rec->pool_qlen > rec->pool_idle && rec->npool < REC_CONNECTORS) {
		if (pthread_create(&rec->pool_threads[rec->npool], NULL,
		    pool_main, rec) != 0)
			fatalx("pthread_create");
		rec->npool++;
	}
	pthread_cond_signal(&rec->pool_cond);
	pthread_mutex_unlock(&rec->loop_lock);
}

/* See record-cam.h. */
void
rec_pool_connect(struct vg_recorder *rec, struct rec_cam *c)
{
	struct rec_job *j = xcalloc(1, sizeof *j);

	j->kind = JOB_CONNECT;
	j->c = c;
	cam_pend(c);
	pool_push(rec, j);
}

/* See record-cam.h. */
void
rec_pool_close(struct vg_recorder *rec, struct vg_source *src)
{
	struct rec_job *j;

	if (src == NULL)
		return;
	j = xcalloc(1, sizeof *j);
	j->kind = JOB_CLOSE_SOURCE;
	j->src = src;
	pool_push(rec, j);
}

/* ---- writers ------------------------------------------------------------ */

static void *
writer_main(void *arg)
{
	struct vg_recorder *rec = arg;
	struct rec_job *j;

	pthread_mutex_lock(&rec->loop_lock);
	for (;;) {
		j = job_pop(&rec->writer_q, &rec->writer_tail);
		if (j == NULL) {
			if (rec->writer_stop)
				break;
			pthread_cond_wait(&rec->writer_cond, &rec->loop_lock);
			continue;
		}
		pthread_mutex_unlock(&rec->loop_lock);
		if (j->kind == JOB_CLOSE_SEGMENT) {
			rec_cam_close_now(j->c, j->seg, j->why);
			cam_unpend(j->c);
		} else
			vg_seg_sync_open(j->a, j->b);
		free(j->a);
		free(j->b);
		free(j);
		pthread_mutex_lock(&rec->loop_lock);
	}
	pthread_mutex_unlock(&rec->loop_lock);
	return NULL;
}

static void
writer_push(struct vg_recorder *rec, struct rec_job *j)
{
	pthread_mutex_lock(&rec->loop_lock);
	job_push(&rec->writer_q, &rec->writer_tail, j);
	pthread_cond_signal(&rec->writer_cond);
	pthread_mutex_unlock(&rec->loop_lock);
}

/* See record-cam.h. */
void
rec_writer_close(struct vg_recorder *rec, struct rec_cam *c,
    struct vg_seg *seg, const char *why)
{
	struct rec_job *j = xcalloc(1, sizeof *j);

	j->kind = JOB_CLOSE_SEGMENT;
	j->c = c;
	j->seg = seg;
	j->why = why;
	cam_pend(c);
	writer_push(rec, j);
}

/* See record-cam.h. */
void
rec_writer_sync(struct vg_recorder *rec, const char *meta_part,
    const char *dir)
{
	struct rec_job *j = xcalloc(1, sizeof *j);

	j->kind = JOB_SYNC;
	j->a = xstrdup(meta_part);
	j->b = xstrdup(dir);
	writer_push(rec, j);
}

/* ---- the reading thread ------------------------------------------------- */

/* See record-cam.h. */
void
rec_loop_wake(struct vg_recorder *rec)
{
	char b = 1;

	/* full pipe: a wake-up is pending already */
	while (write(rec->wake[1], &b, 1) < 0 && errno == EINTR)
		;
}

/* See record-cam.h. */
void
rec_loop_add(struct vg_recorder *rec, struct rec_cam *c)
{
	pthread_mutex_lock(&rec->loop_lock);
	if (rec->nladd == rec->aladd) {
		rec->aladd = rec->aladd ? rec->aladd * 2 : 16;
		rec->ladd = xreallocarray(rec->ladd, rec->aladd,
		    sizeof *rec->ladd);
	}
	rec->ladd[rec->nladd++] = c;
	pthread_mutex_unlock(&rec->loop_lock);
	rec_loop_wake(rec);
}

static void *
loop_main(void *arg)
{
	struct vg_recorder *rec = arg;
	struct rec_cam **v = NULL, *c;
	size_t n = 0, a = 0, i;
	int64_t step = loop_step_us(), next = vg_record_mono_us() + step, now,
	    wake, until;
	struct pollfd pfd;
	char buf[64];
	bool more, stop;

	for (;;) {
		pthread_mutex_lock(&rec->loop_lock);
		if (n + rec->nladd > a) {
			a = n + rec->nladd + 16;
			v = xreallocarray(v, a, sizeof *v);
		}
		if (rec->nladd > 0)
			memcpy(v + n, rec->ladd, rec->nladd * sizeof *v);
		n += rec->nladd;
		rec->nladd = 0;
		stop = rec->loop_stop && n == 0;
		pthread_mutex_unlock(&rec->loop_lock);
		if (stop)
			break;
		more = false;
		wake = INT64_MAX;
		for (i = 0; i < n;) {
			c = v[i];
			if (!rec_cam_tick(c, &more, &wake)) {
				i++;
				continue;
			}
			pthread_mutex_lock(&c->lock);
			c->done = true;
			pthread_cond_broadcast(&c->cond);
			pthread_mutex_unlock(&c->lock);
			v[i] = v[--n];
		}
		if (more)
			continue;
		now = vg_record_mono_us();
		if (now >= next) {
			next += step;
			if (next <= now)
				next = now + step;
		}
		/* the next step, or sooner a camera's backoff that ends */
		until = wake < next ? wake : next;
		if (until < now)
			until = now;
		pfd.fd = rec->wake[0];
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)((until - now + 999) / 1000)) > 0)
			while (read(rec->wake[0], buf, sizeof buf) > 0)
				;
	}
	free(v);
	return NULL;
}

/* See record-cam.h. */
int
rec_loop_start(struct vg_recorder *rec)
{
	pthread_condattr_t ca;
	int i;

	pthread_mutex_init(&rec->loop_lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&rec->pool_cond, &ca);
	pthread_cond_init(&rec->writer_cond, &ca);
	pthread_condattr_destroy(&ca);
	rec->pool_tail = &rec->pool_q;
	rec->writer_tail = &rec->writer_q;
	rec->pool_threads = xcalloc(REC_CONNECTORS, sizeof *rec->pool_threads);
	if (pipe(rec->wake) != 0)
		return VG_ERR_IO;
	for (i = 0; i < 2; i++) {
		fcntl(rec->wake[i], F_SETFD, FD_CLOEXEC);
		fcntl(rec->wake[i], F_SETFL, O_NONBLOCK);
	}
	for (i = 0; i < REC_WRITERS; i++) {
		if (pthread_create(&rec->writer_threads[i], NULL, writer_main,
		    rec) != 0)
			fatalx("pthread_create");
		rec->nwriters++;
	}
	if (pthread_create(&rec->loop_thread, NULL, loop_main, rec) != 0)
		fatalx("pthread_create");
	rec->loop_started = true;
	return VG_OK;
}

/* See record-cam.h: every camera has left the loop already (or none
 * was ever given to it). */
void
rec_loop_stop(struct vg_recorder *rec)
{
	int i;

	if (!rec->loop_started)
		return;
	pthread_mutex_lock(&rec->loop_lock);
	rec->loop_stop = true;
	pthread_mutex_unlock(&rec->loop_lock);
	rec_loop_wake(rec);
	pthread_join(rec->loop_thread, NULL);
	/* what the loop handed on: TEARDOWNs, segments to close */
	pthread_mutex_lock(&rec->loop_lock);
	rec->pool_stop = true;
	rec->writer_stop = true;
	pthread_cond_broadcast(&rec->pool_cond);
	pthread_cond_broadcast(&rec->writer_cond);
	pthread_mutex_unlock(&rec->loop_lock);
	for (i = 0; i < rec->npool; i++)
		pthread_join(rec->pool_threads[i], NULL);
	for (i = 0; i < rec->nwriters; i++)
		pthread_join(rec->writer_threads[i], NULL);
	free(rec->pool_threads);
	free(rec->ladd);
	close(rec->wake[0]);
	close(rec->wake[1]);
	pthread_cond_destroy(&rec->pool_cond);
	pthread_cond_destroy(&rec->writer_cond);
	pthread_mutex_destroy(&rec->loop_lock);
	rec->loop_started = false;
}
