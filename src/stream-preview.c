/* stream-preview.c - the live preview's decoding worker.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One thread per preview opens the stream, decodes with one thread, and
 * turns at most PREVIEW_FPS frames a second into pictures of the size the
 * UI asked for: the expensive part (colour conversion, linear-light
 * shrinking) runs only for what is shown.  When decoding falls behind the
 * stream's clock by more than half a second it stops decoding
 * non-reference frames, then everything but keyframes, and comes back
 * when it has caught up.  Files are paced to their timestamps as a player
 * would.  The UI polls a pipe and takes the newest picture; it never
 * waits on the network.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "stream-int.h"
#include "libvigia.h"

#define PREVIEW_FPS 10
#define PREVIEW_BEHIND_US 500000	/* skip more when this late */
#define PREVIEW_CAUGHT_US 150000	/* and less after catching up */
#define PREVIEW_REBASE_US 5000000	/* a timestamp jump: start again */

struct vg_preview {
	char *url;
	char *user, *password;
	struct vg_stream_opts opts;
	pthread_t thread;
	bool started;
	volatile int stop;
	int pipe[2];
	int64_t t0;

	pthread_mutex_t mu;	/* protects everything below */
	pthread_cond_t cond;	/* size changed or stop (after the end) */
	int cols, rows;
	enum vg_picture_mode mode;
	unsigned size_gen;
	struct vg_picture pic;
	bool pic_new;
	struct vg_preview_stats st;
	char *error;
};

/* Wake the UI (the pipe holds at most one unread byte that matters). */
static void
preview_wake(struct vg_preview *pv)
{
	char c = 1;
	ssize_t n;

	do
		n = write(pv->pipe[1], &c, 1);
	while (n < 0 && errno == EINTR);
}

/* Turn f into a picture of the requested size and post it. */
static void
preview_render(struct vg_preview *pv, struct stream_scaler *sc,
    const AVFrame *f, unsigned *gen)
{
	struct vg_picture pic;
	enum vg_picture_mode mode;
	char *cause = NULL;
	int cols, rows;

	pthread_mutex_lock(&pv->mu);
	cols = pv->cols;
	rows = pv->rows;
	mode = pv->mode;
	*gen = pv->size_gen;
	pthread_mutex_unlock(&pv->mu);
	if (cols < 1 || rows < 1)
		return;
	if (stream_picture_from_frame(sc, f, cols, rows, VG_CELL_ASPECT, mode,
	    &pic, &cause) != VG_OK) {
		log_warn("preview: %s", cause);
		free(cause);
		return;
	}
	pthread_mutex_lock(&pv->mu);
	vg_picture_clear(&pv->pic);
	pv->pic = pic;
	pv->pic_new = true;
	pv->st.pictures++;
	if (pv->st.first_picture_us < 0)
		pv->st.first_picture_us = stream_now_us() - pv->t0;
	pthread_mutex_unlock(&pv->mu);
	preview_wake(pv);
}

/* Record a failure and wake the UI. */
static void
preview_fail(struct vg_preview *pv, enum vg_stream_class cls, char *cause)
{
	pthread_mutex_lock(&pv->mu);
	pv->st.state = VG_PREVIEW_FAILED;
	pv->st.cls = cls;
	pv->error = cause;
	pthread_mutex_unlock(&pv->mu);
	log_warn("preview: %s", cause != NULL ? cause : "failed");
	preview_wake(pv);
}

/* Sleep up to us microseconds, in steps that notice stop. */
static void
preview_sleep(struct vg_preview *pv, int64_t us)
{
	struct timespec ts;

	while (us > 0 && !pv->stop) {
		int64_t step = us > 50000 ? 50000 : us;

		ts.tv_sec = 0;
		ts.tv_nsec = (long)step * 1000;
		nanosleep(&ts, NULL);
		us -= step;
	}
}

/* Pacing and skipping state of the decode loop. */
struct preview_clock {
	int64_t base_pts_us;	/* stream time of the first frame */
	int64_t base_wall_us;
	bool based;
	int64_t caught_since;	/* when lag went under PREVIEW_CAUGHT_US */
	int64_t last_shown;
	/* per-second counters for the overlay */
	int64_t sec_start;
	int64_t sec_frames, sec_bytes, sec_shown;
};

/* Adjust skip level from how late frame time ts (us) is; for files, wait
 * until it is due.  Returns the lag. */
static int64_t
preview_pace(struct vg_preview *pv, struct preview_clock *ck, bool live,
    int64_t ts, AVCodecContext *dec)
{
	int64_t now = stream_now_us(), lag;
	int skip;

	if (!ck->based || llabs(ts - ck->base_pts_us - (now -
	    ck->base_wall_us)) > PREVIEW_REBASE_US) {
		ck->based = true;
		ck->base_pts_us = ts;
		ck->base_wall_us = now;
	}
	lag = (now - ck->base_wall_us) - (ts - ck->base_pts_us);
	if (!live && lag < 0) {
		preview_sleep(pv, -lag);
		lag = 0;
	}
	skip = pv->st.skip;	/* only this thread writes it */
	if (lag > PREVIEW_BEHIND_US && skip < 2) {
		skip++;
		ck->caught_since = 0;
		/* judge the new level from here */
		ck->base_pts_us = ts;
		ck->base_wall_us = now;
		log_info("preview: %lld ms behind, skipping %s",
		    (long long)(lag / 1000), skip == 1 ?
		    "non-reference frames" : "all but keyframes");
	} else if (lag < PREVIEW_CAUGHT_US && skip > 0) {
		if (ck->caught_since == 0)
			ck->caught_since = now;
		else if (now - ck->caught_since > 3000000) {
			skip--;
			ck->caught_since = 0;
		}
	} else
		ck->caught_since = 0;
	if (skip != pv->st.skip) {
		pthread_mutex_lock(&pv->mu);
		pv->st.skip = skip;
		pthread_mutex_unlock(&pv->mu);
		dec->skip_frame = skip == 0 ? AVDISCARD_DEFAULT : skip == 1 ?
		    AVDISCARD_NONREF : AVDISCARD_NONKEY;
	}
	return lag;
}

/* Once a second, publish the measured rates. */
static void
preview_tick(struct vg_preview *pv, struct preview_clock *ck)
{
	int64_t now = stream_now_us(), dt = now - ck->sec_start;

	if (dt < 1000000)
		return;
	pthread_mutex_lock(&pv->mu);
	pv->st.fps = ck->sec_frames * 1e6 / (double)dt;
	pv->st.bitrate_bps = (int64_t)(ck->sec_bytes * 8e6 / (double)dt);
	pv->st.shown_fps = ck->sec_shown * 1e6 / (double)dt;
	pthread_mutex_unlock(&pv->mu);
	ck->sec_start = now;
	ck->sec_frames = ck->sec_bytes = ck->sec_shown = 0;
	preview_wake(pv);
}

/* After the end of a file: re-render the last frame on resizes. */
static void
preview_idle(struct vg_preview *pv, struct stream_scaler *sc,
    const AVFrame *last, unsigned gen)
{
	for (;;) {
		pthread_mutex_lock(&pv->mu);
		while (!pv->stop && pv->size_gen == gen)
			pthread_cond_wait(&pv->cond, &pv->mu);
		pthread_mutex_unlock(&pv->mu);
		if (pv->stop)
			return;
		if (last->width > 0)
			preview_render(pv, sc, last, &gen);
		else
			gen = pv->size_gen;
	}
}

/* The worker. */
static void *
preview_main(void *arg)
{
	struct vg_preview *pv = arg;
	struct stream_in in = { 0 };
	struct stream_scaler sc = { 0 };
	struct preview_clock ck = { 0 };
	enum vg_stream_class cls = VG_STREAM_OK;
	AVCodecContext *dec = NULL;
	AVPacket *pkt = av_packet_alloc();
	AVFrame *frame = av_frame_alloc(), *last = av_frame_alloc();
	AVRational tb;
	char *cause = NULL;
	unsigned gen = 0;
	int64_t ts, now;
	int err, ret;

	if (pkt == NULL || frame == NULL || last == NULL)
		fatalx("preview: out of memory");
	err = stream_open(&in, pv->url, &pv->opts, &pv->stop, &cls, &cause);
	if (err == VG_OK)
		err = stream_find(&in, &cls, &cause);
	if (err == VG_OK)
		err = stream_decoder_open(&in, &dec, &cls, &cause);
	if (err != VG_OK) {
		preview_fail(pv, cls, cause);
		goto out;
	}
	tb = in.fmt->streams[in.vidx]->time_base;
	pthread_mutex_lock(&pv->mu);
	pv->st.state = VG_PREVIEW_PLAYING;
	snprintf(pv->st.codec, sizeof pv->st.codec, "%s",
	    avcodec_get_name(dec->codec_id));
	pv->st.width = dec->width;
	pv->st.height = dec->height;
	pthread_mutex_unlock(&pv->mu);
	preview_wake(pv);
	ck.sec_start = stream_now_us();

	while (!pv->stop) {
		ret = stream_read(&in, pkt, &cls, &cause);
		if (ret == AVERROR_EOF)
			break;
		if (ret != 0) {
			if (cls != VG_STREAM_CANCELLED)
				preview_fail(pv, cls, cause);
			else
				free(cause);
			cause = NULL;
			goto out;
		}
		preview_tick(pv, &ck);
		if (pkt->stream_index != in.vidx) {
			av_packet_unref(pkt);
			continue;
		}
		ck.sec_frames++;
		ck.sec_bytes += pkt->size;
		/* keyframes only: do not even parse the others */
		if (pv->st.skip >= 2 && !(pkt->flags & AV_PKT_FLAG_KEY)) {
			av_packet_unref(pkt);
			continue;
		}
		ret = avcodec_send_packet(dec, pkt);
		av_packet_unref(pkt);
		if (ret < 0 && ret != AVERROR(EAGAIN))
			continue;	/* a damaged packet: carry on */
		while (avcodec_receive_frame(dec, frame) == 0) {
			ts = frame->best_effort_timestamp;
			if (ts != AV_NOPTS_VALUE) {
				ts = av_rescale_q(ts, tb, AV_TIME_BASE_Q);
				preview_pace(pv, &ck, in.live, ts, dec);
			}
			now = stream_now_us();
			if (now - ck.last_shown >= 1000000 / PREVIEW_FPS - 5000 ||
			    ck.last_shown == 0) {
				ck.last_shown = now;
				ck.sec_shown++;
				preview_render(pv, &sc, frame, &gen);
				av_frame_unref(last);
				av_frame_ref(last, frame);
			}
			av_frame_unref(frame);
		}
	}
	if (pv->stop)
		goto out;
	/* the end of a file: show its last picture, follow resizes */
	avcodec_send_packet(dec, NULL);
	while (avcodec_receive_frame(dec, frame) == 0) {
		av_frame_unref(last);
		av_frame_move_ref(last, frame);
	}
	if (last->width > 0)
		preview_render(pv, &sc, last, &gen);
	pthread_mutex_lock(&pv->mu);
	pv->st.state = VG_PREVIEW_ENDED;
	pv->st.fps = pv->st.shown_fps = 0;
	pv->st.bitrate_bps = 0;
	pthread_mutex_unlock(&pv->mu);
	preview_wake(pv);
	preview_idle(pv, &sc, last, gen);
out:
	stream_scaler_clear(&sc);
	av_frame_free(&last);
	av_frame_free(&frame);
	av_packet_free(&pkt);
	avcodec_free_context(&dec);
	stream_close(&in);
	return NULL;
}

/* Start the worker. */
int
vg_preview_start(const char *url, const struct vg_stream_opts *opts,
    struct vg_preview **out, char **cause)
{
	struct vg_preview *pv = xcalloc(1, sizeof *pv);
	int ret;

	*out = NULL;
	pv->url = xstrdup(url);
	if (opts != NULL)
		pv->opts = *opts;
	pv->user = opts != NULL && opts->user != NULL ? xstrdup(opts->user) :
	    NULL;
	pv->password = opts != NULL && opts->password != NULL ?
	    xstrdup(opts->password) : NULL;
	pv->opts.user = pv->user;
	pv->opts.password = pv->password;
	pv->st.first_picture_us = -1;
	pv->t0 = stream_now_us();
	pthread_mutex_init(&pv->mu, NULL);
	pthread_cond_init(&pv->cond, NULL);
	if (pipe2(pv->pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		pv->pipe[0] = pv->pipe[1] = -1;
		if (cause != NULL)
			xasprintf(cause, "pipe: %s", strerror(errno));
		vg_preview_stop(pv);
		return VG_ERR_IO;
	}
	ret = pthread_create(&pv->thread, NULL, preview_main, pv);
	if (ret != 0) {
		if (cause != NULL)
			xasprintf(cause, "pthread_create: %s", strerror(ret));
		vg_preview_stop(pv);
		return VG_ERR_INTERNAL;
	}
	pv->started = true;
	*out = pv;
	return VG_OK;
}

/* The descriptor to poll. */
int
vg_preview_fd(const struct vg_preview *pv)
{
	return pv->pipe[0];
}

/* The size and mode wanted. */
void
vg_preview_set_size(struct vg_preview *pv, int cols, int rows,
    enum vg_picture_mode mode)
{
	pthread_mutex_lock(&pv->mu);
	if (pv->cols != cols || pv->rows != rows || pv->mode != mode) {
		pv->cols = cols;
		pv->rows = rows;
		pv->mode = mode;
		pv->size_gen++;
		pthread_cond_signal(&pv->cond);
	}
	pthread_mutex_unlock(&pv->mu);
}

/* Copy the stats; hand over the newest picture. */
bool
vg_preview_take(struct vg_preview *pv, struct vg_picture *pic,
    struct vg_preview_stats *st)
{
	char buf[64];
	bool got = false;

	while (read(pv->pipe[0], buf, sizeof buf) > 0)
		continue;
	pthread_mutex_lock(&pv->mu);
	if (st != NULL)
		*st = pv->st;
	if (pv->pic_new && pic != NULL) {
		vg_picture_clear(pic);
		*pic = pv->pic;
		memset(&pv->pic, 0, sizeof pv->pic);
		pv->pic_new = false;
		got = true;
	}
	pthread_mutex_unlock(&pv->mu);
	return got;
}

/* English detail of the failure. */
const char *
vg_preview_error(struct vg_preview *pv)
{
	const char *e;

	pthread_mutex_lock(&pv->mu);
	e = pv->error;
	pthread_mutex_unlock(&pv->mu);
	return e;
}

/* Stop, join, free. */
void
vg_preview_stop(struct vg_preview *pv)
{
	if (pv == NULL)
		return;
	pv->stop = 1;
	if (pv->started) {
		pthread_mutex_lock(&pv->mu);
		pthread_cond_broadcast(&pv->cond);
		pthread_mutex_unlock(&pv->mu);
		pthread_join(pv->thread, NULL);
	}
	if (pv->pipe[0] >= 0)
		close(pv->pipe[0]);
	if (pv->pipe[1] >= 0)
		close(pv->pipe[1]);
	pthread_cond_destroy(&pv->cond);
	pthread_mutex_destroy(&pv->mu);
	vg_picture_clear(&pv->pic);
	free(pv->error);
	free(pv->url);
	free(pv->user);
	vg_secret_free(pv->password);
	free(pv);
}
