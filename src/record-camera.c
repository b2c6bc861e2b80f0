/* record-camera.c - one camera's recording thread.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * connect (the URI from recording.url, or asked over ONVIF with the
 * camera's own user, cached and asked again after a 401/404), read
 * packets with a stall watchdog (the source's timeout), map them onto
 * this box's wall clock, cut segments at the first keyframe at or after
 * each boundary, and keep going: a lost connection is retried with
 * exponential backoff and jitter, and a reconnect inside a segment
 * continues that segment with the gap recorded in its sidecar.
 *
 * Packet time -> wall time: the first packet of a connection anchors the
 * stream's clock to this box's clock; a camera clock that jumps (more
 * than 10 s ahead, or backwards) is anchored again and logged.  Segment
 * time is wall time since the segment's first keyframe, so a gap in the
 * recording is a gap in the file's timeline too (players hold the last
 * picture) and a second into the file is a second of the site's day.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libavformat/avformat.h>

#include "libvigia.h"
#include "record-cam.h"
#include "record-int.h"
#include "record-source.h"

#define CAM_JUMP_FWD_US 10000000
#define CAM_JUMP_BACK_US 1000000

/* Plain words for a failure class (English; JSON and the log). */
const char *
rec_reason_name(enum vg_source_fail why)
{
	switch (why) {
	case VG_SOURCE_OK:
		return "ok";
	case VG_SOURCE_AUTH:
		return "wrong password";
	case VG_SOURCE_NOTFOUND:
		return "stream not found";
	case VG_SOURCE_REFUSED:
		return "refused";
	case VG_SOURCE_TIMEOUT:
		return "timeout";
	case VG_SOURCE_UNSUPPORTED:
		return "unsupported codec";
	case VG_SOURCE_CLOSED:
		return "closed by the camera";
	default:
		return "protocol error";
	}
}

/* Set the state (under the lock). */
static void
cam_state(struct rec_cam *c, const char *state)
{
	/* once a packet: only the camera's own thread sets it, so the
	 * common case (unchanged) needs no lock */
	if (__atomic_load_n(&c->state, __ATOMIC_RELAXED) == state)
		return;
	pthread_mutex_lock(&c->lock);
	if (c->state == NULL || strcmp(c->state, state) != 0) {
		c->state = state;
		c->since_us = vg_record_wall_us();
	}
	pthread_mutex_unlock(&c->lock);
}

static void
cam_error(struct rec_cam *c, const char *reason, const char *msg)
{
	pthread_mutex_lock(&c->lock);
	free(c->err_reason);
	free(c->err_msg);
	c->err_reason = xstrdup(reason);
	c->err_msg = xstrdup(msg != NULL ? msg : reason);
	c->err_us = vg_record_wall_us();
	pthread_mutex_unlock(&c->lock);
}

/* Sleep up to ms, waking at once when the camera is told to stop. */
static void
cam_sleep(struct rec_cam *c, int64_t ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&c->lock);
	while (!c->stop && pthread_cond_timedwait(&c->cond, &c->lock, &ts) ==
	    0)
		;
	pthread_mutex_unlock(&c->lock);
}

/* The next wait before reconnecting: exponential, with jitter (half to
 * all of it), so that 64 cameras behind one switch do not retry in step. */
static int64_t
cam_backoff(struct rec_cam *c)
{
	const struct vg_record_knobs *k = vg_record_knobs();
	int64_t d = k->backoff_min_ms;
	int i;

	for (i = 0; i < c->failures && d < k->backoff_max_ms; i++)
		d *= 2;
	if (d > k->backoff_max_ms)
		d = k->backoff_max_ms;
	c->failures++;
	return d / 2 + (int64_t)((unsigned)rand_r(&c->seed) % (unsigned)(d / 2 +
	    1));
}

/* Close seg (c's), journaling it; remember it as the last one.  The
 * writer threads run this for cameras of the reading thread. */
void
rec_cam_close_now(struct rec_cam *c, struct vg_seg *seg, const char *why)
{
	struct vg_seg_result res;
	char *cause = NULL;
	int err;

	/* the disk thread's sweep must not take a segment being closed for
	 * a leftover */
	pthread_rwlock_rdlock(&c->rec->commit_lock);
	err = vg_seg_close(seg, c->rec->spool, &res, &cause);
	pthread_rwlock_unlock(&c->rec->commit_lock);
	pthread_mutex_lock(&c->lock);
	if (err == VG_OK) {
		free(c->last_path);
		c->last_path = xstrdup(res.path);
		c->segments++;
	}
	pthread_mutex_unlock(&c->lock);
	if (err == VG_OK)
		log_info("%s: segment %s closed (%s): %.3f s, %lld frames, "
		    "%lld bytes", c->name, res.path, why,
		    (double)res.duration_us / 1e6, (long long)res.frames,
		    (long long)res.bytes);
	else if (err != VG_ERR_NOTFOUND)
		log_error("%s: closing the segment failed: %s", c->name, cause);
	free(cause);
	vg_seg_result_clear(&res);
}

/* Close the open segment: here, or in a writer thread when the camera
 * is served by the reading thread (finalizing, hashing and fsync must
 * not hold up the other cameras). */
static void
cam_close_segment(struct rec_cam *c, const char *why)
{
	struct vg_seg *seg = c->seg;

	if (seg == NULL)
		return;
	c->seg = NULL;
	pthread_mutex_lock(&c->lock);
	free(c->cur_path);
	c->cur_path = NULL;
	pthread_mutex_unlock(&c->lock);
	if (c->shared)
		rec_writer_close(c->rec, c, seg, why);
	else
		rec_cam_close_now(c, seg, why);
}

/* Open a new segment starting at wall (the keyframe in hand). */
static int
cam_open_segment(struct rec_cam *c, struct vg_source *src, int64_t wall,
    int64_t t)
{
	struct vg_seg_stream st[2];
	struct vg_seg_meta meta = { 0 };
	struct vg_source_clock clk;
	int64_t utc = wall;
	char *cause = NULL;
	int err, n = 0;

	/* the camera's own clock for the sidecar, when it sends sender
	 * reports (boundaries stay on this box's clock) */
	vg_source_clock(src, c->vidx, &clk);
	c->rtcp = false;
	if (clk.valid) {
		utc = clk.ntp_us + t - av_rescale_q(clk.pts,
		    vg_source_stream(src, c->vidx)->time_base, AV_TIME_BASE_Q);
		/* a sender report's clock more than 5 minutes from ours is
		 * not a wall clock (some senders count from their start) */
		if (utc > wall - 300000000 && utc < wall + 300000000)
			c->rtcp = true;
		else {
			if (!c->rtcp_warned)
				log_info("%s: the camera's RTCP clock is %+.0f s "
				    "off; times are this box's", c->name,
				    (double)(utc - wall) / 1e6);
			c->rtcp_warned = true;
			utc = wall;
		}
	}

	st[n].par = vg_source_stream(src, c->vidx)->par;
	st[n].time_base = vg_source_stream(src, c->vidx)->time_base;
	n++;
	if (c->aidx >= 0) {
		st[n].par = c->atx != NULL ? vg_atx_par(c->atx) :
		    vg_source_stream(src, c->aidx)->par;
		st[n].time_base = vg_source_stream(src, c->aidx)->time_base;
		n++;
	}
	meta.site = c->site;
	meta.camera = c->name;
	meta.serial = c->serial;
	meta.mac = c->mac;
	meta.model = c->model;
	meta.mode = c->mode_name;
	meta.segment_s = c->segment_s;
	meta.audio_note = c->audio_note;
	meta.defer_sync = c->shared;
	err = vg_seg_open(c->dir, &meta, utc, c->rtcp, st, n, &c->seg,
	    &cause);
	if (err != VG_OK) {
		if (errno == ENOSPC || (cause != NULL && strstr(cause,
		    "No space") != NULL)) {
			c->enospc = true;
			__atomic_add_fetch(&c->rec->enospc_events, 1,
			    __ATOMIC_RELAXED);
		}
		log_error("%s: cannot start a segment: %s", c->name, cause);
		cam_error(c, c->enospc ? "disk full" : "cannot write",
		    cause);
		free(cause);
		return err;
	}
	if (c->shared)
		rec_writer_sync(c->rec, vg_seg_meta_part(c->seg), c->dir);
	c->seg_wall = wall;
	c->boundary = vg_record_next_boundary(wall, c->segment_s);
	pthread_mutex_lock(&c->lock);
	free(c->cur_path);
	c->cur_path = xstrdup(vg_seg_path(c->seg));
	pthread_mutex_unlock(&c->lock);
	log_debug("%s: segment %s started", c->name, vg_seg_path(c->seg));
	return VG_OK;
}

/* The URL to open: recording.url, or the cached ONVIF answer. */
static int
cam_url(struct rec_cam *c, char **cause)
{
	struct vg_onvif_camera_stream cs = { 0 };
	enum vg_onvif_class cls;
	int err;

	if (c->url_cfg != NULL) {
		if (c->url == NULL)
			c->url = xstrdup(c->url_cfg);
		return VG_OK;
	}
	if (c->url != NULL && vg_record_mono_us() < c->url_expires)
		return VG_OK;
	err = vg_onvif_camera_stream(c->cam, &cs, &cls, cause);
	if (err != VG_OK)
		return err;
	free(c->url);
	c->url = xstrdup(cs.stream_uri);
	c->url_expires = vg_record_mono_us() +
	    (int64_t)vg_record_knobs()->onvif_retry_s * 1000000 * 12;
	vg_onvif_camera_stream_clear(&cs);
	log_info("%s: stream %s (asked over ONVIF)", c->name, c->url);
	return VG_OK;
}

/* Pick the streams to record: the first video, and audio if MP4 can
 * hold it (AAC); other audio is left out with a warning, never the
 * recording. */
static int
cam_pick(struct rec_cam *c, struct vg_source *src, char **cause)
{
	int i, n = vg_source_nstreams(src);

	c->vidx = c->aidx = -1;
	free(c->audio_note);
	c->audio_note = NULL;
	vg_atx_free(c->atx);
	c->atx = NULL;
	for (i = 0; i < n; i++) {
		const struct vg_source_stream *s = vg_source_stream(src, i);

		if (s->type == AVMEDIA_TYPE_VIDEO && c->vidx < 0) {
			if (s->par->codec_id != AV_CODEC_ID_H264 &&
			    s->par->codec_id != AV_CODEC_ID_HEVC) {
				xasprintf(cause, "video codec %s cannot be "
				    "recorded (H.264 or H.265 only)",
				    avcodec_get_name(s->par->codec_id));
				return VG_ERR_UNSUPPORTED;
			}
			c->vidx = i;
		} else if (s->type == AVMEDIA_TYPE_AUDIO && c->aidx < 0 &&
		    c->audio_note == NULL) {
			char *why = NULL;

			if (s->par->codec_id == AV_CODEC_ID_AAC)
				c->aidx = i;
			else if (c->audio_mode == VG_AUDIO_AAC &&
			    vg_atx_open(s->par, s->time_base, &c->atx,
			    &why) == VG_OK) {
				c->aidx = i;
				if (!c->audio_warned)
					log_notice("%s: %s audio is transcoded "
					    "to AAC", c->name, avcodec_get_name(
					    s->par->codec_id));
				c->audio_warned = true;
			} else {
				if (why != NULL)
					log_debug("%s: %s", c->name, why);
				free(why);
				why = NULL;
				xasprintf(&c->audio_note, "%s audio not "
				    "recorded: MP4 cannot hold it",
				    avcodec_get_name(s->par->codec_id));
				if (!c->audio_warned)
					log_warn("%s: %s (video is recorded)",
					    c->name, c->audio_note);
				c->audio_warned = true;
			}
		}
	}
	if (c->vidx < 0) {
		xasprintf(cause, "the stream has no video");
		return VG_ERR_UNSUPPORTED;
	}
	return VG_OK;
}

/* Has the video changed so that the open segment cannot go on? */
static bool
cam_params_changed(struct rec_cam *c, struct vg_source *src)
{
	const AVCodecParameters *p = vg_source_stream(src, c->vidx)->par;
	bool changed;

	changed = c->have_par && (p->codec_id != c->par_codec ||
	    p->width != c->par_w || p->height != c->par_h ||
	    (c->aidx >= 0) != c->par_audio);
	c->have_par = true;
	c->par_codec = p->codec_id;
	c->par_w = p->width;
	c->par_h = p->height;
	c->par_audio = c->aidx >= 0;
	return changed;
}

/* Should the camera record at wall time t?  (continuous; schedule) */
static bool
cam_wanted(struct rec_cam *c, int64_t t)
{
	if (c->mode == VG_RECORD_SCHEDULE)
		return vg_record_in_schedule(c->rules, c->nrules, t);
	return true;
}

/* One measured second: bitrate and frame rate for the status. */
static void
cam_measure(struct rec_cam *c, int64_t now, size_t bytes, bool video)
{
	c->win_bytes += bytes;
	if (video)
		c->win_frames++;
	if (c->win_start == 0)
		c->win_start = now;
	if (now - c->win_start >= 2000000) {
		pthread_mutex_lock(&c->lock);
		c->kbps = (double)c->win_bytes * 8 * 1000 / (double)(now -
		    c->win_start);
		c->fps = (double)c->win_frames * 1e6 / (double)(now -
		    c->win_start);
		pthread_mutex_unlock(&c->lock);
		c->win_start = now;
		c->win_bytes = 0;
		c->win_frames = 0;
	}
}


/* ---- motion: events, pre-roll ring, post-roll ------------------------- */

/* Is motion on, or still inside its post-roll, at wall time t? */
static bool
cam_motion_active(struct rec_cam *c, int64_t t)
{
	bool on;

	pthread_mutex_lock(&c->lock);
	on = c->motion_on || t < c->motion_until;
	pthread_mutex_unlock(&c->lock);
	return on;
}

/* Queue an event for the sidecar of the segment it triggers or extends. */
static void
cam_queue_event(struct rec_cam *c, int64_t utc, const char *what)
{
	pthread_mutex_lock(&c->lock);
	if (c->nev < REC_MAX_EVENTS) {
		c->ev[c->nev].utc = utc;
		snprintf(c->ev[c->nev].what, sizeof c->ev[c->nev].what, "%s",
		    what);
		c->nev++;
	}
	pthread_mutex_unlock(&c->lock);
}

static void
cam_drain_events(struct rec_cam *c)
{
	size_t i;

	pthread_mutex_lock(&c->lock);
	for (i = 0; i < c->nev && c->seg != NULL; i++)
		vg_seg_event(c->seg, c->ev[i].utc, c->ev[i].what);
	c->nev = 0;
	pthread_mutex_unlock(&c->lock);
}

/* The ONVIF pull-point thread of a motion camera: motion on holds the
 * recording open; motion off starts the post-roll. */
void *
rec_cam_events_main(void *arg)
{
	struct rec_cam *c = arg;
	struct vg_onvif *s = NULL;
	struct vg_onvif_events *ev = NULL;
	struct vg_onvif_event *evs;
	char *cause = NULL;
	size_t n, i;
	int64_t now;

	while (!c->stop) {
		if (s == NULL && vg_onvif_open_camera(c->cam, false, &s,
		    &cause) != VG_OK) {
			log_warn("%s: events: %s", c->name, cause);
			free(cause);
			cause = NULL;
			s = NULL;
			cam_sleep(c, 5000);
			continue;
		}
		if (ev == NULL && vg_onvif_events_open(s, 60, &ev, &cause) !=
		    VG_OK) {
			log_warn("%s: cannot subscribe to the camera's events: "
			    "%s", c->name, cause);
			cam_error(c, "events", cause);
			free(cause);
			cause = NULL;
			ev = NULL;
			vg_onvif_free(s);
			s = NULL;
			cam_sleep(c, 5000);
			continue;
		}
		evs = NULL;
		n = 0;
		if (vg_onvif_events_pull(ev, 1000, &evs, &n, &cause) !=
		    VG_OK) {
			log_warn("%s: events: %s", c->name, cause);
			free(cause);
			cause = NULL;
			vg_onvif_events_close(ev);
			ev = NULL;
			vg_onvif_free(s);
			s = NULL;
			cam_sleep(c, 2000);
			continue;
		}
		now = vg_record_wall_us();
		for (i = 0; i < n; i++) {
			if (!evs[i].is_motion_topic)
				continue;
			pthread_mutex_lock(&c->lock);
			if (evs[i].motion && !c->motion_on) {
				c->motion_on = true;
				pthread_mutex_unlock(&c->lock);
				log_info("%s: motion", c->name);
				cam_queue_event(c, now, "motion start");
			} else if (!evs[i].motion && c->motion_on) {
				c->motion_on = false;
				c->motion_until = now + (int64_t)c->post_roll_s *
				    1000000;
				pthread_mutex_unlock(&c->lock);
				log_info("%s: motion ended", c->name);
				cam_queue_event(c, now, "motion end");
			} else
				pthread_mutex_unlock(&c->lock);
		}
		vg_onvif_events_free_list(evs, n);
	}
	vg_onvif_events_close(ev);
	vg_onvif_free(s);
	return NULL;
}

static void
ring_clear(struct rec_cam *c)
{
	size_t i;

	for (i = 0; i < c->ring_n; i++)
		av_packet_free(&c->ring[i].pkt);
	c->ring_n = 0;
}

/* Keep pkt in the pre-roll ring: whole GOPs, the oldest dropped while
 * the rest still covers pre_roll_s. */
static void
ring_push(struct rec_cam *c, AVPacket *pkt, int out, int64_t wall, int64_t t,
    bool key)
{
	size_t i, k;

	if (c->ring_n == 0 && !key)
		return;		/* a ring starts at a keyframe */
	if (c->ring_n == c->ring_a) {
		c->ring_a = c->ring_a ? c->ring_a * 2 : 256;
		c->ring = xreallocarray(c->ring, c->ring_a, sizeof *c->ring);
	}
	c->ring[c->ring_n].pkt = av_packet_clone(pkt);
	c->ring[c->ring_n].out = out;
	c->ring[c->ring_n].wall = wall;
	c->ring[c->ring_n].t = t;
	c->ring[c->ring_n].key = key;
	c->ring_n++;
	/* the latest GOP start k such that the ring from k still reaches
	 * back pre_roll_s */
	for (k = 0, i = 1; i < c->ring_n; i++)
		if (c->ring[i].key && c->ring[i].out == 0 && c->ring[i].wall <=
		    wall - (int64_t)c->pre_roll_s * 1000000)
			k = i;
	if (k == 0 && c->ring_n < 20000)
		return;
	if (k == 0)
		k = c->ring_n - 1;	/* no keyframe for ages: bound it */
	for (i = 0; i < k; i++)
		av_packet_free(&c->ring[i].pkt);
	memmove(c->ring, c->ring + k, (c->ring_n - k) * sizeof *c->ring);
	c->ring_n -= k;
}

/* One connection's reading state. */
struct rec_conn {
	struct vg_source *src;
	const struct vg_source_stream *vs;	/* the video */
	AVPacket *pkt, *held, *pend;
	int64_t aw[2], at[2], lw[2], lt[2], last_t, vdur;
	bool anchored, an[2], aac;
	int64_t n_in, n_nots, n_wait, n_early;
};

static struct rec_conn *
conn_new(struct rec_cam *c, struct vg_source *src)
{
	struct rec_conn *k = xcalloc(1, sizeof *k);

	k->src = src;
	k->vs = vg_source_stream(src, c->vidx);
	k->pkt = av_packet_alloc();
	if (k->pkt == NULL)
		fatalx("av_packet_alloc");
	k->lt[0] = k->lt[1] = k->last_t = INT64_MIN;
	return k;
}

/* The next packet into k->pkt: held back, transcoded, or read (nowait:
 * VG_RTSP_AGAIN when none is there yet). */
static int
cam_next(struct rec_cam *c, struct rec_conn *k, bool nowait,
    enum vg_source_fail *why, char **cause)
{
	if (k->pend != NULL) {
		av_packet_move_ref(k->pkt, k->pend);
		av_packet_free(&k->pend);
		return VG_OK;
	}
	if (c->atx != NULL && vg_atx_pull(c->atx, k->pkt) == 0) {
		k->pkt->stream_index = c->aidx;	/* transcoded */
		k->aac = true;
		return VG_OK;
	}
	return nowait ? vg_source_read_nowait(k->src, k->pkt, why, cause) :
	    vg_source_read(k->src, k->pkt, why, cause);
}

/* Record k->pkt: 0, or 1 when the connection should end (outside the
 * schedule). */
static int
cam_packet(struct rec_cam *c, struct rec_conn *k)
{
	AVPacket *pkt = k->pkt;
	char *cause = NULL;
	int64_t now, wall, t;
	bool key, enospc;
	int err, out;

	now = vg_record_wall_us();
	out = pkt->stream_index == c->vidx ? 0 :
	    pkt->stream_index == c->aidx ? 1 : -1;
	if (out < 0) {
		av_packet_unref(pkt);
		return 0;
	}
	if (out == 1 && c->atx != NULL && !k->aac) {
		/* G.711 in: AAC comes out of the transcoder above */
		if (vg_atx_push(c->atx, pkt) != VG_OK)
			log_debug("%s: an audio packet did not decode",
			    c->name);
		av_packet_unref(pkt);
		return 0;
	}
	k->aac = false;
	if (out == 0)
		k->n_in++;
	if (pkt->dts == AV_NOPTS_VALUE)
		pkt->dts = pkt->pts;
	if (pkt->dts == AV_NOPTS_VALUE && out == 0 &&
	    k->last_t == INT64_MIN && k->held == NULL &&
	    (pkt->flags & AV_PKT_FLAG_KEY)) {
		/* the first keyframe often comes before the stream's
		 * clock: keep it, it is placed one frame before the
		 * next picture */
		k->held = av_packet_clone(pkt);
		av_packet_unref(pkt);
		return 0;
	}
	if (k->held != NULL && out == 0 && pkt->dts != AV_NOPTS_VALUE) {
		int64_t fd = av_rescale_q(1000000 / (c->fps_guess > 0 ?
		    c->fps_guess : 15), AV_TIME_BASE_Q, k->vs->time_base);

		k->pend = av_packet_clone(pkt);
		av_packet_unref(pkt);
		av_packet_move_ref(pkt, k->held);
		av_packet_free(&k->held);
		pkt->dts = pkt->pts = k->pend->dts - fd;
	}
	if (pkt->dts == AV_NOPTS_VALUE) {
		k->n_nots += out == 0;
		/* no time at all (the very start): only video can be
		 * placed, one frame after the last */
		if (out != 0 || k->last_t == INT64_MIN) {
			av_packet_unref(pkt);
			return 0;
		}
		pkt->dts = pkt->pts = av_rescale_q(k->last_t + k->vdur,
		    AV_TIME_BASE_Q, k->vs->time_base);
	}
	t = av_rescale_q(pkt->dts, vg_source_stream(k->src,
	    pkt->stream_index)->time_base, AV_TIME_BASE_Q);
	/* each stream has its own mapping onto this box's clock:
	 * libavformat re-bases a stream's timestamps when its first
	 * sender report comes, and cameras' clocks jump */
	if (!k->anchored) {
		/* the first packet arrived right after PLAY, before
		 * the opening read the stream's parameters */
		k->anchored = true;
		k->aw[out] = c->open_wall;
		k->at[out] = t;
		k->an[out] = true;
	} else if (!k->an[out]) {
		/* the other stream's origin (both start near 0) */
		k->aw[out] = k->aw[!out] + (t - k->at[!out]);
		k->at[out] = t;
		k->an[out] = true;
	} else if (k->lt[out] != INT64_MIN && (t - k->lt[out] >
	    CAM_JUMP_FWD_US || t - k->lt[out] < -CAM_JUMP_BACK_US)) {
		/* a jump inside a connection is the clock, not
		 * time passing: go on from the last packet */
		if (out == 0) {
			log_warn("%s: the camera's clock jumped %+.1f "
			    "s; going on from the last picture",
			    c->name, (double)(t - k->lt[out]) / 1e6);
			c->clock_jumps++;
		} else
			log_debug("%s: audio timestamps jumped %+.1f "
			    "s", c->name, (double)(t - k->lt[out]) / 1e6);
		k->aw[out] = k->lw[out] + (out == 0 ? k->vdur : 0);
		k->at[out] = t;
	}
	wall = k->aw[out] + (t - k->at[out]);
	if (wall > now + 1000000 || wall < now - 8000000) {
		/* the mapping drifted from reality (a clock that
		 * runs fast or slow, a re-basing): back to arrival */
		log_debug("%s: stream %d is %+.1f s off this box's "
		    "clock; following the box", c->name, out,
		    (double)(wall - now) / 1e6);
		k->aw[out] = now;
		k->at[out] = t;
		wall = now;
	}
	k->lt[out] = t;
	k->lw[out] = wall;
	if (out == 0) {
		if (k->last_t != INT64_MIN && t > k->last_t)
			k->vdur = t - k->last_t;
		k->last_t = t;
		if (pkt->duration <= 0 && k->vdur > 0)
			pkt->duration = av_rescale_q(k->vdur,
			    AV_TIME_BASE_Q, k->vs->time_base);
	}
	key = out == 0 && (pkt->flags & AV_PKT_FLAG_KEY);
	cam_measure(c, now, (size_t)pkt->size, out == 0);
	if (key && av_packet_get_side_data(pkt, AV_PKT_DATA_NEW_EXTRADATA,
	    NULL) != NULL) {
		/* the encoder changed (its SPS) without a reconnect: a
		 * segment never mixes formats, nor does the pre-roll */
		av_packet_free_side_data(pkt);
		cam_close_segment(c, "the video format changed in the stream");
		ring_clear(c);
		(void)cam_params_changed(c, k->src);
		log_notice("%s: the video format changed in the stream (now "
		    "%s %dx%d)", c->name, avcodec_get_name(
		    k->vs->par->codec_id), k->vs->par->width,
		    k->vs->par->height);
	}

	if (key && c->seg != NULL && (wall >= c->boundary ||
	    vg_seg_full(c->seg)))
		cam_close_segment(c, "boundary");
	if (key && !cam_wanted(c, wall)) {
		cam_close_segment(c, "outside the schedule");
		av_packet_unref(pkt);
		return 1;
	}
	if (c->mode == VG_RECORD_MOTION) {
		bool active = cam_motion_active(c, now);

		if (c->seg != NULL && !active && !c->in_gap)
			cam_close_segment(c, "motion over");
		if (c->seg == NULL && !active) {
			cam_state(c, "waiting for motion");
			ring_push(c, pkt, out, wall, t, key);
			av_packet_unref(pkt);
			return 0;
		}
		if (c->seg == NULL && c->ring_n > 0 &&
		    c->enospc_until <= vg_record_mono_us()) {
			/* motion: start with the pre-roll */
			size_t i;
			int werr = VG_OK;

			if (cam_open_segment(c, k->src, c->ring[0].wall,
			    c->ring[0].t) == VG_OK) {
				c->in_gap = false;
				for (i = 0; i < c->ring_n && werr ==
				    VG_OK; i++) {
					AVPacket *rp = c->ring[i].pkt;

					rp->stream_index = c->ring[i].out;
					werr = vg_seg_write(c->seg, rp,
					    c->ring[i].wall - c->seg_wall,
					    &enospc, &cause);
				}
				if (werr != VG_OK) {
					log_error("%s: %s", c->name,
					    cause);
					free(cause);
					cause = NULL;
					cam_close_segment(c, "write "
					    "error");
				}
			}
			ring_clear(c);
		}
		if (c->seg != NULL && c->nev > 0)
			cam_drain_events(c);
	}
	if (c->seg == NULL) {
		if (!key || c->enospc_until > vg_record_mono_us()) {
			k->n_wait += out == 0;
			av_packet_unref(pkt);
			return 0;
		}
		if (cam_open_segment(c, k->src, wall, t) != VG_OK) {
			if (c->enospc)
				c->enospc_until = vg_record_mono_us() +
				    5000000;
			av_packet_unref(pkt);
			return 0;
		}
		c->enospc = false;
		c->in_gap = false;
	}
	if (c->in_gap) {
		/* after a reconnect: resume at a keyframe */
		if (!key) {
			k->n_wait += out == 0;
			av_packet_unref(pkt);
			return 0;
		}
		vg_seg_gap(c->seg, c->gap_at, wall - c->seg_wall -
		    c->gap_at, c->gap_reason);
		pthread_mutex_lock(&c->lock);
		c->gaps++;
		pthread_mutex_unlock(&c->lock);
		c->in_gap = false;
	}
	if (wall - c->seg_wall < 0 || (out == 1 &&
	    vg_seg_last_us(c->seg) < 0)) {
		k->n_early += out == 0;
		av_packet_unref(pkt);	/* before the first keyframe */
		return 0;
	}
	cam_state(c, "recording");
	c->failures = 0;
	pkt->stream_index = out;	/* 0 video, 1 audio */
	err = vg_seg_write(c->seg, pkt, wall - c->seg_wall, &enospc,
	    &cause);
	av_packet_unref(pkt);
	if (err != VG_OK) {
		log_error("%s: %s", c->name, cause);
		cam_error(c, enospc ? "disk full" : "cannot write",
		    cause);
		free(cause);
		cause = NULL;
		cam_close_segment(c, enospc ? "disk full" :
		    "write error");
		if (enospc) {
			__atomic_add_fetch(&c->rec->enospc_events, 1,
			    __ATOMIC_RELAXED);
			c->enospc_until = vg_record_mono_us() +
			    2000000;
			cam_state(c, "disk full");
		}
		return 0;
	}
	if (out == 0)
		__atomic_add_fetch(&c->frames, 1, __ATOMIC_RELAXED);
	return 0;
}

/* The connection is over: what is written is safe; the gap starts after
 * it.  Frees k (not its source). */
static void
conn_end(struct rec_cam *c, struct rec_conn *k)
{
	char *cause = NULL;

	log_debug("%s: connection done: %lld video packets in, %lld without "
	    "time, %lld before a keyframe, %lld early", c->name,
	    (long long)k->n_in, (long long)k->n_nots, (long long)k->n_wait,
	    (long long)k->n_early);
	if (c->seg != NULL) {
		if (vg_seg_flush(c->seg, &cause) != VG_OK) {
			log_error("%s: %s", c->name, cause);
			free(cause);
			cam_close_segment(c, "write error");
		} else if (vg_seg_last_us(c->seg) >= 0) {
			c->in_gap = true;
			c->gap_at = vg_seg_last_us(c->seg) + (k->vdur > 0 ?
			    k->vdur : 66666);
		}
	}
	av_packet_free(&k->pkt);
	av_packet_free(&k->held);
	av_packet_free(&k->pend);
	free(k);
}

static void
cam_lost(struct rec_cam *c, enum vg_source_fail why, char *cause)
{
	log_warn("%s: stream lost (%s): %s", c->name, rec_reason_name(why),
	    cause);
	cam_error(c, rec_reason_name(why), cause);
	free(cause);
}

/* Read from an open source until it fails or the camera stops (a
 * thread of its own: libavformat's reader). */
static void
cam_run(struct rec_cam *c, struct vg_source *src)
{
	struct rec_conn *k = conn_new(c, src);
	enum vg_source_fail why;
	char *cause = NULL;

	while (!c->stop) {
		if (cam_next(c, k, false, &why, &cause) != VG_OK) {
			cam_lost(c, why, cause);
			break;
		}
		if (cam_packet(c, k) != 0)
			break;
	}
	conn_end(c, k);
}

/* Ask for the URL, open the stream, pick the tracks (logging why not):
 * the source, or NULL. */
static struct vg_source *
cam_open(struct rec_cam *c)
{
	struct vg_source_opts so = { 0 };
	struct vg_source *src;
	enum vg_source_fail why;
	char *cause = NULL;

	if (cam_url(c, &cause) != VG_OK) {
		log_warn("%s: cannot get the stream address over ONVIF: %s",
		    c->name, cause);
		cam_error(c, "onvif", cause);
		free(cause);
		return NULL;
	}
	so.url = c->url;
	so.user = c->user;
	so.password = c->password;
	so.timeout_ms = vg_record_knobs()->timeout_ms;
	so.stop = &c->stop;
	c->open_wall = vg_record_wall_us();
	if (vg_source_open(&so, &src, &why, &cause) != VG_OK) {
		log_warn("%s: cannot open the stream (%s): %s", c->name,
		    rec_reason_name(why), cause);
		cam_error(c, rec_reason_name(why), cause);
		free(cause);
		if ((why == VG_SOURCE_AUTH || why == VG_SOURCE_NOTFOUND) &&
		    c->url_cfg == NULL) {
			free(c->url);	/* ask the camera again */
			c->url = NULL;
		}
		return NULL;
	}
	if (cam_pick(c, src, &cause) != VG_OK) {
		log_error("%s: %s", c->name, cause);
		cam_error(c, "unsupported codec", cause);
		free(cause);
		vg_source_close(src);
		return NULL;
	}
	if (c->shared && vg_source_fd(src) < 0) {
		log_error("%s: %s is not an rtsp:// address", c->name, c->url);
		cam_error(c, "unsupported codec", "not an rtsp:// address");
		vg_source_close(src);
		return NULL;
	}
	return src;
}

/* A new connection: the segment goes on unless the video changed. */
static void
cam_connected(struct rec_cam *c, struct vg_source *src)
{
	if (cam_params_changed(c, src))
		cam_close_segment(c, "the video format changed");
	if (c->in_gap) {
		pthread_mutex_lock(&c->lock);
		snprintf(c->gap_reason, sizeof c->gap_reason, "%s",
		    c->err_reason != NULL ? c->err_reason : "reconnect");
		pthread_mutex_unlock(&c->lock);
	}
}

/* The connection could not be opened: a gap begins, if a segment is
 * open. */
static void
cam_open_failed(struct rec_cam *c)
{
	if (!c->in_gap && c->seg != NULL) {
		c->in_gap = true;
		c->gap_at = vg_seg_last_us(c->seg);
	}
}

void *
rec_cam_main(void *arg)
{
	struct rec_cam *c = arg;
	struct vg_source *src;
	int64_t wait, now;

	while (!c->stop) {
		now = vg_record_wall_us();
		if (!cam_wanted(c, now)) {
			cam_close_segment(c, "outside the schedule");
			cam_state(c, "idle");
			cam_sleep(c, 1000);
			continue;
		}
		if (c->seg != NULL && now >= c->boundary + 2000000)
			cam_close_segment(c, "boundary while disconnected");
		cam_state(c, c->reconnects > 0 || c->failures > 0 ?
		    "reconnecting" : "connecting");
		src = cam_open(c);
		if (src == NULL) {
			cam_open_failed(c);
			goto backoff;
		}
		cam_connected(c, src);
		cam_run(c, src);
		vg_source_close(src);
		if (c->stop)
			break;
		pthread_mutex_lock(&c->lock);
		c->reconnects++;
		pthread_mutex_unlock(&c->lock);
		if (c->failures == 0) {
			cam_state(c, "reconnecting");
			cam_sleep(c, vg_record_knobs()->backoff_min_ms / 2);
			c->failures = 1;
			continue;
		}
backoff:
		cam_state(c, "reconnecting");
		wait = cam_backoff(c);
		while (wait > 0 && !c->stop) {
			int64_t step = wait < 500 ? wait : 500;

			cam_sleep(c, step);
			wait -= step;
			if (c->seg != NULL && vg_record_wall_us() >=
			    c->boundary + 2000000)
				cam_close_segment(c, "boundary while "
				    "disconnected");
		}
	}
	cam_close_segment(c, "stopping");
	ring_clear(c);
	cam_state(c, "stopped");
	return NULL;
}

/* ---- one thread for every camera: the loop's side --------------------- */

/* See record-cam.h: a connector thread, while c is in REC_PH_CONNECT. */
void
rec_cam_connect(struct rec_cam *c)
{
	struct vg_source *src = NULL;

	if (!c->stop)
		src = cam_open(c);
	pthread_mutex_lock(&c->lock);
	c->conn_src = src;
	c->conn_done = true;
	pthread_mutex_unlock(&c->lock);
	rec_loop_wake(c->rec);
}

/* Packets read per camera and step, so that one camera's backlog does
 * not hold up the others. */
#define TICK_MAX_PACKETS 2000

/* See record-cam.h. */
bool
rec_cam_tick(struct rec_cam *c, bool *more, int64_t *wake)
{
	const struct vg_record_knobs *kn = vg_record_knobs();
	enum vg_source_fail why;
	char *cause = NULL;
	int64_t mono = vg_record_mono_us(), wall = vg_record_wall_us(), wait;
	struct vg_source *src;
	bool done;
	int i, err;

	switch (c->phase) {
	case REC_PH_DONE:
		return true;
	case REC_PH_CONNECT:
		pthread_mutex_lock(&c->lock);
		done = c->conn_done;
		src = c->conn_src;
		c->conn_done = false;
		c->conn_src = NULL;
		pthread_mutex_unlock(&c->lock);
		if (!done)
			return false;	/* (the connector sees c->stop) */
		if (src == NULL) {
			cam_open_failed(c);
			if (c->stop)
				goto stopping;
			cam_state(c, "reconnecting");
			c->phase = REC_PH_WAIT;
			c->wake_mono = mono + cam_backoff(c) * 1000;
			if (c->wake_mono < *wake)
				*wake = c->wake_mono;
			return false;
		}
		if (c->stop) {
			rec_pool_close(c->rec, src);
			goto stopping;
		}
		cam_connected(c, src);
		c->src = src;
		c->conn = conn_new(c, src);
		c->phase = REC_PH_READ;
		/* FALLTHROUGH */
	case REC_PH_READ:
		for (i = 0; i < TICK_MAX_PACKETS && !c->stop; i++) {
			err = cam_next(c, c->conn, true, &why, &cause);
			if (err == VG_RTSP_AGAIN)
				return false;
			if (err != VG_OK) {
				cam_lost(c, why, cause);
				cause = NULL;
				break;
			}
			if (cam_packet(c, c->conn) != 0)
				break;
		}
		if (i == TICK_MAX_PACKETS) {
			*more = true;
			return false;
		}
		conn_end(c, c->conn);
		c->conn = NULL;
		rec_pool_close(c->rec, c->src);	/* TEARDOWN: not here */
		c->src = NULL;
		if (c->stop)
			goto stopping;
		pthread_mutex_lock(&c->lock);
		c->reconnects++;
		pthread_mutex_unlock(&c->lock);
		if (c->failures == 0) {
			wait = kn->backoff_min_ms / 2;
			c->failures = 1;
		} else
			wait = cam_backoff(c);
		cam_state(c, "reconnecting");
		c->phase = REC_PH_WAIT;
		c->wake_mono = mono + wait * 1000;
		if (c->wake_mono < *wake)
			*wake = c->wake_mono;
		return false;
	case REC_PH_WAIT:
		if (c->stop)
			goto stopping;
		if (c->seg != NULL && wall >= c->boundary + 2000000)
			cam_close_segment(c, "boundary while disconnected");
		if (mono < c->wake_mono) {
			if (c->wake_mono < *wake)
				*wake = c->wake_mono;
			return false;
		}
		if (!cam_wanted(c, wall)) {
			cam_close_segment(c, "outside the schedule");
			cam_state(c, "idle");
			c->wake_mono = mono + 1000000;
			return false;
		}
		cam_state(c, c->reconnects > 0 || c->failures > 0 ?
		    "reconnecting" : "connecting");
		c->phase = REC_PH_CONNECT;
		rec_pool_connect(c->rec, c);
		return false;
	}
	return false;
stopping:
	cam_close_segment(c, "stopping");
	ring_clear(c);
	cam_state(c, "stopped");
	c->phase = REC_PH_DONE;
	return true;
}
