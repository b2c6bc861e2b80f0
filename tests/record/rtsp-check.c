/* rtsp-check.c - drive vigia's own RTSP reader (record-rtsp.c) against a
 * camera, and compare it with libavformat's reader.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * usage:
 *   rtsp-check open URL USER PASS [TIMEOUT_MS [SECONDS]]
 *       open with the native reader, read for SECONDS (default 2); print
 *       "result: ok" or "result: FAIL-CLASS: cause" and the counters
 *   rtsp-check compare URL USER PASS NPKT OUT-PREFIX
 *       read NPKT video packets with both readers at the same time,
 *       align them on the first identical packet and compare every one
 *       after it (its NAL units, key flag, pts step); mux each reader's
 *       packets into OUT-PREFIX-native.mp4 and OUT-PREFIX-lavf.mp4
 *       (fragmented, libavformat's mp4 muxer) for ffprobe
 * USER "-" means none.  Exit status 0 when everything matched.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libavformat/avformat.h>
#include <libavutil/opt.h>

#include "libvigia.h"
#include "record-source.h"

static const char *const fail_names[] = { "ok", "auth", "notfound",
	"refused", "timeout", "unsupported", "closed", "proto" };

/* What one reader saw of one video packet. */
struct seen {
	int size;		/* of its NAL units, without start codes */
	bool key;
	int64_t pts;
	uint64_t hash;
};

struct reader {
	const char *url, *user, *pass, *prefix, *name;
	int npkt;
	struct seen *v;
	int nv;
	int muxed;		/* packets written to the mp4 */
	int ok;
	char *why;
	/* what the stream looked like */
	int codec_id, width, height, extradata_size;
	uint64_t extradata_hash;
	AVRational tb;
};

static uint64_t
fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n--)
		h = (h ^ *p++) * 1099511628211ULL;
	return h;
}

/* The NAL units of an Annex B packet, whatever its start codes (3 or 4
 * bytes: libavformat's HEVC parser leaves the zero_byte of the next start
 * code at the end of the previous packet): a hash of each unit and its
 * length, and *payload the sum of their lengths. */
static uint64_t
nal_hash(const uint8_t *p, size_t n, int *payload)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i = 0, s, e;

	*payload = 0;
	for (;;) {
		while (i + 3 <= n && !(p[i] == 0 && p[i + 1] == 0 &&
		    p[i + 2] == 1))
			i++;
		if (i + 3 > n)
			break;
		s = i + 3;
		e = s;
		while (e + 3 <= n && !(p[e] == 0 && p[e + 1] == 0 &&
		    p[e + 2] == 1))
			e++;
		if (e + 3 > n)
			e = n;
		i = e;
		while (e > s && p[e - 1] == 0)
			e--;
		h = (h ^ fnv(p + s, e - s)) * 1099511628211ULL;
		h = (h ^ (e - s)) * 1099511628211ULL;
		*payload += (int)(e - s);
	}
	return h;
}

/* An fMP4 writer for one video stream. */
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
	if (avformat_write_header(oc, &opt) < 0) {
		avio_closep(&oc->pb);
		avformat_free_context(oc);
		oc = NULL;
	}
	av_dict_free(&opt);
	return oc;
}

static void
mux_close(AVFormatContext *oc)
{
	if (oc == NULL)
		return;
	av_write_trailer(oc);
	avio_closep(&oc->pb);
	avformat_free_context(oc);
}

/* Note a video packet and mux it (from the first keyframe on). */
static void
note(struct reader *rd, AVFormatContext *oc, AVRational tb, AVPacket *pkt,
    bool *started)
{
	struct seen *s = &rd->v[rd->nv++];

	s->key = pkt->flags & AV_PKT_FLAG_KEY;
	s->pts = pkt->pts;
	s->hash = nal_hash(pkt->data, (size_t)pkt->size, &s->size);
	if (getenv("RTSP_CHECK_HEAD") != NULL) {
		int i;

		printf("%s #%d size %d pts %" PRId64 ":", rd->name, rd->nv - 1,
		    pkt->size, pkt->pts);
		for (i = 0; i < 12 && i < pkt->size; i++)
			printf(" %02x", pkt->data[i]);
		printf("\n");
	}
	if (getenv("RTSP_CHECK_DUMP") != NULL) {
		char *path;
		FILE *f;

		xasprintf(&path, "%s-%s.raw", rd->prefix, rd->name);
		f = fopen(path, rd->nv == 1 ? "w" : "a");
		if (f != NULL) {
			fwrite(pkt->data, 1, (size_t)pkt->size, f);
			fclose(f);
		}
		free(path);
	}
	if (oc == NULL)
		return;
	if (!*started && !s->key)
		return;
	*started = true;
	pkt->stream_index = 0;
	av_packet_rescale_ts(pkt, tb, oc->streams[0]->time_base);
	if (av_write_frame(oc, pkt) == 0)
		rd->muxed++;
}

static void
stream_info(struct reader *rd, const AVCodecParameters *par, AVRational tb)
{
	rd->codec_id = par->codec_id;
	rd->width = par->width;
	rd->height = par->height;
	rd->extradata_size = par->extradata_size;
	rd->extradata_hash = par->extradata ? fnv(par->extradata,
	    (size_t)par->extradata_size) : 0;
	rd->tb = tb;
}

static void *
run_native(void *arg)
{
	struct reader *rd = arg;
	struct vg_source_opts o = { rd->url, rd->user, rd->pass, 10000,
		"native" };
	struct vg_rtsp *r = NULL;
	enum vg_source_fail why = VG_SOURCE_OK;
	const struct vg_source_stream *vs = NULL;
	AVFormatContext *oc = NULL;
	AVPacket *pkt = av_packet_alloc();
	char *cause = NULL, *path;
	int i, vi = -1;
	bool started = false;

	if (vg_rtsp_open(&o, &r, &why, &cause) != 0)
		goto out;
	for (i = 0; i < vg_rtsp_nstreams(r); i++)
		if (vg_rtsp_stream(r, i)->type == AVMEDIA_TYPE_VIDEO) {
			vi = i;
			vs = vg_rtsp_stream(r, i);
			break;
		}
	if (vs == NULL)
		goto out;
	stream_info(rd, vs->par, vs->time_base);
	xasprintf(&path, "%s-native.mp4", rd->prefix);
	oc = mux_open(path, vs->par, vs->time_base);
	free(path);
	while (rd->nv < rd->npkt) {
		if (vg_rtsp_read(r, pkt, &why, &cause) != 0)
			goto out;
		if (pkt->stream_index == vi)
			note(rd, oc, vs->time_base, pkt, &started);
		av_packet_unref(pkt);
	}
	rd->ok = 1;
out:
	if (!rd->ok)
		xasprintf(&rd->why, "%s: %s", fail_names[why],
		    cause ? cause : "?");
	free(cause);
	mux_close(oc);
	vg_rtsp_close(r);
	av_packet_free(&pkt);
	return NULL;
}

static void *
run_lavf(void *arg)
{
	struct reader *rd = arg;
	AVFormatContext *ic = NULL, *oc = NULL;
	AVDictionary *opt = NULL;
	AVPacket *pkt = av_packet_alloc();
	char *url = NULL, *path;
	int vi, rc;
	bool started = false;

	if (rd->user != NULL)
		xasprintf(&url, "rtsp://%s:%s@%s", rd->user, rd->pass,
		    rd->url + 7);
	else
		url = xstrdup(rd->url);
	av_dict_set(&opt, "rtsp_transport", "tcp", 0);
	av_dict_set(&opt, "timeout", "10000000", 0);
	rc = avformat_open_input(&ic, url, NULL, &opt);
	av_dict_free(&opt);
	free(url);
	if (rc < 0 || avformat_find_stream_info(ic, NULL) < 0) {
		rd->why = xstrdup("lavf: cannot open");
		goto out;
	}
	vi = av_find_best_stream(ic, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
	if (vi < 0)
		goto out;
	stream_info(rd, ic->streams[vi]->codecpar, ic->streams[vi]->time_base);
	xasprintf(&path, "%s-lavf.mp4", rd->prefix);
	oc = mux_open(path, ic->streams[vi]->codecpar,
	    ic->streams[vi]->time_base);
	free(path);
	while (rd->nv < rd->npkt) {
		if (av_read_frame(ic, pkt) < 0) {
			rd->why = xstrdup("lavf: read failed");
			goto out;
		}
		if (pkt->stream_index == vi)
			note(rd, oc, ic->streams[vi]->time_base, pkt, &started);
		av_packet_unref(pkt);
	}
	rd->ok = 1;
out:
	mux_close(oc);
	avformat_close_input(&ic);
	av_packet_free(&pkt);
	return NULL;
}

/* compare: both readers at once, then packet by packet. */
static int
compare(const char *url, const char *user, const char *pass, int npkt,
    const char *prefix)
{
	struct reader a = { .url = url, .user = user, .pass = pass,
		.prefix = prefix, .name = "native", .npkt = npkt };
	struct reader b = { .url = url, .user = user, .pass = pass,
		.prefix = prefix, .name = "lavf", .npkt = npkt + npkt / 2 };
	pthread_t ta, tb;
	int i, j, k, matched = 0, bad = 0;

	a.v = calloc((size_t)a.npkt, sizeof *a.v);
	b.v = calloc((size_t)b.npkt, sizeof *b.v);
	pthread_create(&tb, NULL, run_lavf, &b);
	pthread_create(&ta, NULL, run_native, &a);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	printf("native: %s, %d packets, %dx%d, codec %d, extradata %d "
	    "bytes %016" PRIx64 "\n", a.ok ? "ok" : a.why, a.nv, a.width,
	    a.height, a.codec_id, a.extradata_size, a.extradata_hash);
	printf("native muxed: %d\nlavf muxed: %d\n", a.muxed, b.muxed);
	printf("lavf:   %s, %d packets, %dx%d, codec %d, extradata %d "
	    "bytes %016" PRIx64 "\n", b.ok ? "ok" : b.why ? b.why : "?",
	    b.nv, b.width, b.height, b.codec_id, b.extradata_size,
	    b.extradata_hash);
	if (!a.ok || !b.ok)
		return 1;
	/* align on the first native packet that lavf also has */
	for (i = 0, j = -1; i < a.nv && j < 0; i++)
		for (k = 0; k < b.nv; k++)
			if (a.v[i].hash == b.v[k].hash &&
			    a.v[i].size == b.v[k].size) {
				j = k;
				break;
			}
	if (j < 0) {
		printf("no packet in common\n");
		for (k = 0; k < 8 && k < a.nv && k < b.nv; k++)
			printf("#%d native %d %d %" PRId64 " lavf %d %d %"
			    PRId64 "\n", k, a.v[k].size, a.v[k].key,
			    a.v[k].pts, b.v[k].size, b.v[k].key, b.v[k].pts);
		return 1;
	}
	i--;
	printf("aligned: native #%d = lavf #%d\n", i, j);
	for (k = 0; i + k < a.nv && j + k < b.nv; k++) {
		struct seen *x = &a.v[i + k], *y = &b.v[j + k];
		int64_t dx = 0, dy = 0;

		/* the pts step from the previous packet, where both readers
		 * have one (libavformat's first may have none) */
		if (k > 0 && y[-1].pts != AV_NOPTS_VALUE &&
		    y->pts != AV_NOPTS_VALUE) {
			dx = x->pts - x[-1].pts;
			dy = y->pts - y[-1].pts;
		}
		if (getenv("RTSP_CHECK_VERBOSE") != NULL)
			printf("+%d native %d %d %" PRId64 " lavf %d %d %"
			    PRId64 "\n", k, x->size, x->key, x->pts, y->size,
			    y->key, y->pts);

		if (x->size != y->size || x->key != y->key ||
		    x->hash != y->hash || dx != dy) {
			if (bad++ < 5)
				printf("differ at +%d: native size %d key %d "
				    "pts+%" PRId64 ", lavf size %d key %d "
				    "pts+%" PRId64 "\n", k, x->size, x->key,
				    dx, y->size, y->key, dy);
		} else {
			matched++;
		}
	}
	printf("compared %d packets: %d identical, %d differ\n", k, matched,
	    bad);
	printf("codec params: %s\n", a.codec_id == b.codec_id &&
	    a.width == b.width && a.height == b.height &&
	    a.extradata_hash == b.extradata_hash ? "identical" : "DIFFER");
	free(a.v);
	free(b.v);
	return bad == 0 && matched >= npkt / 3 && a.codec_id == b.codec_id &&
	    a.width == b.width && a.height == b.height &&
	    a.extradata_hash == b.extradata_hash ? 0 : 1;
}

/* open: native only, for the failure classes. */
static int
open_only(const char *url, const char *user, const char *pass,
    int timeout_ms, int secs)
{
	struct vg_source_opts o = { url, user, pass, timeout_ms, "native" };
	struct vg_rtsp *r = NULL;
	enum vg_source_fail why = VG_SOURCE_OK;
	struct vg_rtsp_stats st;
	struct timespec t0, t;
	AVPacket *pkt = av_packet_alloc();
	char *cause = NULL;
	int rc = 1, i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (vg_rtsp_open(&o, &r, &why, &cause) != 0)
		goto out;
	for (i = 0; i < vg_rtsp_nstreams(r); i++) {
		const struct vg_source_stream *s = vg_rtsp_stream(r, i);

		printf("stream %d: %s %s %dx%d time base 1/%d\n", i,
		    av_get_media_type_string(s->type),
		    avcodec_get_name(s->par->codec_id), s->par->width,
		    s->par->height, s->time_base.den);
	}
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= secs)
			break;
		if (vg_rtsp_read(r, pkt, &why, &cause) != 0)
			goto out;
		av_packet_unref(pkt);
	}
	rc = 0;
out:
	clock_gettime(CLOCK_MONOTONIC, &t);
	if (rc == 0)
		printf("result: ok\n");
	else
		printf("result: %s: %s\n", fail_names[why], cause);
	printf("elapsed: %ld ms\n", (long)((t.tv_sec - t0.tv_sec) * 1000 +
	    (t.tv_nsec - t0.tv_nsec) / 1000000));
	if (r != NULL) {
		for (i = 0; i < vg_rtsp_nstreams(r); i++) {
			vg_rtsp_stats(r, i, &st);
			printf("stream %d: packets %" PRIu64 " frames %" PRIu64
			    " lost %" PRIu64 " dropped %" PRIu64 " bad %"
			    PRIu64 "\n", i, st.packets, st.frames,
			    st.lost_packets, st.dropped_frames,
			    st.bad_packets);
		}
	}
	free(cause);
	vg_rtsp_close(r);
	av_packet_free(&pkt);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *user;

	setvbuf(stdout, NULL, _IOLBF, 0);
	av_log_set_level(AV_LOG_ERROR);
	if (argc < 5) {
		fprintf(stderr, "usage: rtsp-check open|compare URL USER PASS "
		    "...\n");
		return 2;
	}
	user = strcmp(argv[3], "-") == 0 ? NULL : argv[3];
	if (strcmp(argv[1], "open") == 0)
		return open_only(argv[2], user, user ? argv[4] : NULL,
		    argc > 5 ? atoi(argv[5]) : 5000,
		    argc > 6 ? atoi(argv[6]) : 2);
	if (strcmp(argv[1], "compare") == 0 && argc == 7)
		return compare(argv[2], user, user ? argv[4] : NULL,
		    atoi(argv[5]), argv[6]);
	fprintf(stderr, "rtsp-check: bad arguments\n");
	return 2;
}
