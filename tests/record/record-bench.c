/* record-bench.c - record many cameras into fragmented MP4 in one
 * process, with vigia's own RTSP reader or libavformat's (bench/record.sh
 * measures it beside one ffmpeg per camera).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * usage: record-bench --reader native|lavf [--loop] --out DIR CAMERAS-FILE
 *   CAMERAS-FILE: one "URL USER PASSWORD" per line (USER "-": none).
 * One thread per camera (or with --loop and the native reader, one thread
 * for all, reading each camera without blocking every
 * VIGIA_RTSP_BATCH_MS): read packets and hand them to
 * libavformat's mp4 muxer (empty_moov, a fragment at each keyframe and at
 * most every second, or every RECORD_BENCH_FRAG_US microseconds) writing
 * DIR/cam-NNN.mp4, until SIGINT or SIGTERM;
 * then the trailer.  Prints "recording N" once every camera plays, and at
 * the end one line per camera and a total: frames written, and for the
 * native reader RTP packets lost and access units dropped.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libavformat/avformat.h>

#include "libvigia.h"
#include "record-source.h"

#define MAX_CAMS 256

struct cam {
	int index;
	char url[512], user[128], pass[128];
	const char *dir;
	bool native;
	bool open_only;		/* --loop: the thread only opens */
	pthread_t thread;
	struct vg_rtsp *r;
	AVFormatContext *oc;
	const struct vg_source_stream *vs;
	int vi;
	/* results */
	int64_t frames, keys, first_pts, last_pts;
	struct vg_rtsp_stats st;
	char *err;
};

static atomic_bool stopping;
static atomic_int playing;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;

/* libavformat's blocking calls give up when we stop. */
static int
interrupted(void *arg)
{
	(void)arg;
	return atomic_load(&stopping);
}

static void
cam_playing(void)
{
	pthread_mutex_lock(&lock);
	atomic_fetch_add(&playing, 1);
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

static AVFormatContext *
mux_open(const char *path, const AVCodecParameters *par, AVRational tb)
{
	AVFormatContext *oc = NULL;
	AVDictionary *opt = NULL;
	AVStream *st;

	if (avformat_alloc_output_context2(&oc, NULL, "mp4", path) < 0)
		return NULL;
	st = avformat_new_stream(oc, NULL);
	avcodec_parameters_copy(st->codecpar, par);
	st->codecpar->codec_tag = 0;
	st->time_base = tb;
	if (avio_open(&oc->pb, path, AVIO_FLAG_WRITE) < 0) {
		avformat_free_context(oc);
		return NULL;
	}
	av_dict_set(&opt, "movflags", "frag_keyframe+empty_moov+"
	    "default_base_moof", 0);
	av_dict_set(&opt, "frag_duration", getenv("RECORD_BENCH_FRAG_US") ?
	    getenv("RECORD_BENCH_FRAG_US") : "1000000", 0);
	if (avformat_write_header(oc, &opt) < 0) {
		avio_closep(&oc->pb);
		avformat_free_context(oc);
		oc = NULL;
	}
	av_dict_free(&opt);
	return oc;
}

/* Write one video packet. */
static void
cam_write(struct cam *c, AVFormatContext *oc, AVRational tb, AVPacket *pkt)
{
	if (c->frames == 0 && !(pkt->flags & AV_PKT_FLAG_KEY))
		return;
	if (pkt->pts == AV_NOPTS_VALUE)
		return;
	if (c->frames == 0)
		c->first_pts = pkt->pts;
	c->last_pts = pkt->pts;
	c->frames++;
	if (pkt->flags & AV_PKT_FLAG_KEY)
		c->keys++;
	pkt->stream_index = 0;
	av_packet_rescale_ts(pkt, tb, oc->streams[0]->time_base);
	av_write_frame(oc, pkt);
}

/* Open camera c with the native reader and its muxer; 0 or -1. */
static int
native_open(struct cam *c, const char *path)
{
	struct vg_source_opts o = { .url = c->url,
	    .user = c->user[0] ? c->user : NULL,
	    .password = c->user[0] ? c->pass : NULL, .timeout_ms = 10000,
	    .reader = "native" };
	enum vg_source_fail why;
	char *cause = NULL;
	int i;

	c->vi = -1;
	if (vg_rtsp_open(&o, &c->r, &why, &cause) != 0) {
		c->err = cause;
		return -1;
	}
	for (i = 0; i < vg_rtsp_nstreams(c->r); i++)
		if (vg_rtsp_stream(c->r, i)->type == AVMEDIA_TYPE_VIDEO) {
			c->vi = i;
			c->vs = vg_rtsp_stream(c->r, i);
			break;
		}
	if (c->vs == NULL || (c->oc = mux_open(path, c->vs->par,
	    c->vs->time_base)) == NULL) {
		c->err = xstrdup("cannot start the muxer");
		return -1;
	}
	return 0;
}

/* Close camera c's reader and muxer, keeping its counters. */
static void
native_close(struct cam *c)
{
	if (c->r != NULL && c->vi >= 0)
		vg_rtsp_stats(c->r, c->vi, &c->st);
	if (c->oc != NULL) {
		av_write_trailer(c->oc);
		avio_closep(&c->oc->pb);
		avformat_free_context(c->oc);
		c->oc = NULL;
	}
	vg_rtsp_close(c->r);
	c->r = NULL;
}

/* A thread per camera, blocking reads. */
static void
run_native(struct cam *c, const char *path)
{
	AVPacket *pkt = av_packet_alloc();
	enum vg_source_fail why;
	char *cause = NULL;

	if (native_open(c, path) != 0)
		goto out;
	if (c->open_only) {
		av_packet_free(&pkt);
		return;
	}
	cam_playing();
	while (!atomic_load(&stopping)) {
		if (vg_rtsp_read(c->r, pkt, &why, &cause) != 0) {
			c->err = cause;
			break;
		}
		if (pkt->stream_index == c->vi)
			cam_write(c, c->oc, c->vs->time_base, pkt);
		av_packet_unref(pkt);
	}
out:
	native_close(c);
	av_packet_free(&pkt);
}

/* --loop: one thread reads every camera, every batch interval. */
static void
run_loop(struct cam *cams, int n)
{
	AVPacket *pkt = av_packet_alloc();
	enum vg_source_fail why;
	struct timespec next;
	const char *e = getenv("VIGIA_RTSP_BATCH_MS");
	long batch_ms = e != NULL ? atol(e) : VG_RTSP_BATCH_MS;
	char *cause = NULL;
	int i, rc;

	if (batch_ms <= 0)
		batch_ms = 10;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!atomic_load(&stopping)) {
		for (i = 0; i < n; i++) {
			struct cam *c = &cams[i];

			while (c->r != NULL && (rc = vg_rtsp_read_nowait(c->r,
			    pkt, &why, &cause)) != VG_RTSP_AGAIN) {
				if (rc != 0) {
					c->err = cause;
					cause = NULL;
					native_close(c);
					break;
				}
				if (pkt->stream_index == c->vi)
					cam_write(c, c->oc, c->vs->time_base,
					    pkt);
				av_packet_unref(pkt);
			}
		}
		next.tv_nsec += batch_ms * 1000000;
		while (next.tv_nsec >= 1000000000) {
			next.tv_nsec -= 1000000000;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	for (i = 0; i < n; i++)
		native_close(&cams[i]);
	av_packet_free(&pkt);
}

static void
run_lavf(struct cam *c, const char *path)
{
	AVFormatContext *ic = avformat_alloc_context(), *oc = NULL;
	AVDictionary *opt = NULL;
	AVPacket *pkt = av_packet_alloc();
	AVRational tb;
	char *url;
	int vi, rc;

	ic->interrupt_callback.callback = interrupted;
	if (c->user[0])
		xasprintf(&url, "rtsp://%s:%s@%s", c->user, c->pass,
		    c->url + 7);
	else
		url = xstrdup(c->url);
	av_dict_set(&opt, "rtsp_transport", "tcp", 0);
	av_dict_set(&opt, "timeout", "10000000", 0);
	rc = avformat_open_input(&ic, url, NULL, &opt);
	av_dict_free(&opt);
	free(url);
	if (rc < 0 || avformat_find_stream_info(ic, NULL) < 0) {
		c->err = xstrdup("lavf: cannot open");
		goto out;
	}
	vi = av_find_best_stream(ic, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
	if (vi < 0)
		goto out;
	tb = ic->streams[vi]->time_base;
	oc = mux_open(path, ic->streams[vi]->codecpar, tb);
	if (oc == NULL)
		goto out;
	cam_playing();
	while (!atomic_load(&stopping)) {
		if (av_read_frame(ic, pkt) < 0) {
			if (!atomic_load(&stopping))
				c->err = xstrdup("lavf: read failed");
			break;
		}
		if (pkt->stream_index == vi)
			cam_write(c, oc, tb, pkt);
		av_packet_unref(pkt);
	}
out:
	if (oc != NULL) {
		av_write_trailer(oc);
		avio_closep(&oc->pb);
		avformat_free_context(oc);
	}
	avformat_close_input(&ic);
	av_packet_free(&pkt);
}

static void *
cam_main(void *arg)
{
	struct cam *c = arg;
	char path[600];

	snprintf(path, sizeof path, "%s/cam-%03d.mp4", c->dir, c->index);
	if (c->native)
		run_native(c, path);
	else
		run_lavf(c, path);
	if (c->err != NULL || c->open_only)
		cam_playing();	/* count it, so main does not wait forever */
	return NULL;
}

static sigset_t sigs;

/* Waits for SIGINT or SIGTERM, then tells everyone to stop. */
static void *
sig_main(void *arg)
{
	int sig;

	(void)arg;
	sigwait(&sigs, &sig);
	atomic_store(&stopping, true);
	return NULL;
}

int
main(int argc, char **argv)
{
	static struct cam cams[MAX_CAMS];
	const char *reader = NULL, *dir = NULL, *list = NULL;
	pthread_attr_t attr;
	pthread_t sig_thread;
	char line[1024];
	FILE *f;
	int n = 0, i, failed = 0;
	bool loop = false;
	int64_t frames = 0, lost = 0, dropped = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	av_log_set_level(AV_LOG_ERROR);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--reader") == 0 && i + 1 < argc)
			reader = argv[++i];
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "--loop") == 0)
			loop = true;
		else
			list = argv[i];
	}
	if (reader == NULL || dir == NULL || list == NULL ||
	    (strcmp(reader, "native") != 0 && strcmp(reader, "lavf") != 0)) {
		fprintf(stderr, "usage: record-bench --reader native|lavf "
		    "--out DIR CAMERAS-FILE\n");
		return 2;
	}
	if ((f = fopen(list, "r")) == NULL) {
		fprintf(stderr, "record-bench: %s: %s\n", list,
		    strerror(errno));
		return 1;
	}
	while (n < MAX_CAMS && fgets(line, sizeof line, f) != NULL) {
		struct cam *c = &cams[n];

		if (sscanf(line, "%511s %127s %127s", c->url, c->user,
		    c->pass) != 3)
			continue;
		if (strcmp(c->user, "-") == 0)
			c->user[0] = c->pass[0] = '\0';
		c->index = n;
		c->dir = dir;
		c->native = strcmp(reader, "native") == 0;
		c->open_only = loop && c->native;
		n++;
	}
	fclose(f);

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	pthread_create(&sig_thread, NULL, sig_main, NULL);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	for (i = 0; i < n; i++)
		pthread_create(&cams[i].thread, &attr, cam_main, &cams[i]);
	pthread_mutex_lock(&lock);
	while (atomic_load(&playing) < n)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	if (loop)
		for (i = 0; i < n; i++)
			pthread_join(cams[i].thread, NULL);
	printf("recording %d%s\n", n, loop ? " (one thread)" : "");
	if (loop && strcmp(reader, "native") == 0)
		run_loop(cams, n);
	pthread_join(sig_thread, NULL);
	if (!loop)
		for (i = 0; i < n; i++)
			pthread_join(cams[i].thread, NULL);
	for (i = 0; i < n; i++) {
		struct cam *c = &cams[i];

		printf("cam %d: frames %" PRId64 " keys %" PRId64 " pts %"
		    PRId64 "..%" PRId64 " lost %" PRIu64 " dropped %" PRIu64
		    "%s%s\n", i, c->frames, c->keys, c->first_pts, c->last_pts,
		    c->st.lost_packets, c->st.dropped_frames,
		    c->err ? " error: " : "", c->err ? c->err : "");
		frames += c->frames;
		lost += (int64_t)c->st.lost_packets;
		dropped += (int64_t)c->st.dropped_frames;
		failed += c->err != NULL;
		free(c->err);
	}
	printf("total: cameras %d frames %" PRId64 " lost %" PRId64
	    " dropped %" PRId64 " failed %d\n", n, frames, lost, dropped,
	    failed);
	return failed ? 1 : 0;
}
