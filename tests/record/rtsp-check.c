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
 *   rtsp-check
 *       (no arguments: a test) against a scripted fake camera on
 *       loopback: STAP-A, FU-A, a lost packet, parameter sets only in
 *       the stream, AAC with two AUs per packet, an RTCP sender report,
 *       G.711 by static payload type, basic authentication, 404, an
 *       unsupported codec, then 2000 randomly mutated sessions
 * USER "-" means none.  Exit status 0 when everything matched.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
	struct vg_source_opts o = { .url = rd->url, .user = rd->user,
	    .password = rd->pass, .timeout_ms = 10000, .reader = "native" };
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
	struct vg_source_opts o = { .url = url, .user = user,
	    .password = pass, .timeout_ms = timeout_ms, .reader = "native" };
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
			struct vg_source_clock clk;

			vg_rtsp_clock(r, i, &clk);
			if (clk.valid)
				printf("clock %d: valid, pts %" PRId64 " at %"
				    PRId64 " us UTC\n", i, clk.pts, clk.ntp_us);
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


/* ---- with no arguments: a loopback fake camera, scripted ---------------- */

/* What the fake camera does on its one connection. */
struct fake {
	const char *sdp;
	const uint8_t *blob;	/* sent after the PLAY reply */
	size_t blob_len;
	const char *basic;	/* expected "Basic ..." or NULL: open */
	int describe_status;	/* 0: 200 */
	int fd, port;
};

static int ntests, nfailed;

static void
ok(bool cond, const char *name)
{
	ntests++;
	if (!cond)
		nfailed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", ntests, name);
}

/* A header's value in a request (into out), or "". */
static void
req_header(const char *req, const char *name, char *out, size_t len)
{
	const char *p = strcasestr(req, name);

	out[0] = '\0';
	if (p == NULL)
		return;
	p += strlen(name);
	while (*p == ' ')
		p++;
	snprintf(out, len, "%.*s", (int)strcspn(p, "\r\n"), p);
}

static void
send_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n > 0 && (w = send(fd, c, n, MSG_NOSIGNAL)) > 0) {
		c += w;
		n -= (size_t)w;
	}
}

/* The fake camera: answer requests, stream the blob after PLAY, then
 * half-close and wait for the client to go. */
static void *
fake_main(void *arg)
{
	struct fake *f = arg;
	struct pollfd pfd = { .fd = f->fd, .events = POLLIN };
	char buf[16384], method[32], cseq[32], auth[256], tr[256], *resp;
	size_t have = 0;
	int c;

	if (poll(&pfd, 1, 5000) <= 0)
		return NULL;
	c = accept(f->fd, NULL, NULL);
	if (c < 0)
		return NULL;
	for (;;) {
		char *end;
		ssize_t n;

		pfd = (struct pollfd){ .fd = c, .events = POLLIN };
		if (poll(&pfd, 1, 5000) <= 0)
			break;
		n = recv(c, buf + have, sizeof buf - 1 - have, 0);
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
		while ((end = strstr(buf, "\r\n\r\n")) != NULL) {
			size_t used = (size_t)(end + 4 - buf);
			bool play = false;

			sscanf(buf, "%31s", method);
			req_header(buf, "CSeq:", cseq, sizeof cseq);
			req_header(buf, "Authorization:", auth, sizeof auth);
			req_header(buf, "Transport:", tr, sizeof tr);
			if (f->basic != NULL && strcmp(auth, f->basic) != 0)
				xasprintf(&resp, "RTSP/1.0 401 Unauthorized\r\n"
				    "CSeq: %s\r\nWWW-Authenticate: Basic "
				    "realm=\"fake\"\r\n\r\n", cseq);
			else if (strcmp(method, "DESCRIBE") == 0 &&
			    f->describe_status != 0)
				xasprintf(&resp, "RTSP/1.0 %d No\r\nCSeq: "
				    "%s\r\n\r\n", f->describe_status, cseq);
			else if (strcmp(method, "DESCRIBE") == 0)
				xasprintf(&resp, "RTSP/1.0 200 OK\r\nCSeq: %s\r\n"
				    "Content-Base: rtsp://127.0.0.1:%d/x/\r\n"
				    "Content-Type: application/sdp\r\n"
				    "Content-Length: %zu\r\n\r\n%s", cseq,
				    f->port, strlen(f->sdp), f->sdp);
			else if (strcmp(method, "SETUP") == 0)
				xasprintf(&resp, "RTSP/1.0 200 OK\r\nCSeq: %s\r\n"
				    "Transport: %s\r\nSession: 4711;timeout=60"
				    "\r\n\r\n", cseq, tr);
			else {
				play = strcmp(method, "PLAY") == 0;
				xasprintf(&resp, "RTSP/1.0 200 OK\r\nCSeq: %s\r\n"
				    "Public: OPTIONS, DESCRIBE, SETUP, PLAY, "
				    "TEARDOWN, GET_PARAMETER\r\nSession: 4711"
				    "\r\n\r\n", cseq);
			}
			send_all(c, resp, strlen(resp));
			free(resp);
			if (play) {
				send_all(c, f->blob, f->blob_len);
				shutdown(c, SHUT_WR);
			}
			memmove(buf, buf + used, have - used + 1);
			have -= used;
		}
	}
	close(c);
	return NULL;
}

/* Start a fake camera on an ephemeral loopback port. */
static void
fake_start(struct fake *f, pthread_t *t)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;

	f->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (f->fd < 0 || bind(f->fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(f->fd, 4) != 0 ||
	    getsockname(f->fd, (struct sockaddr *)&sa, &len) != 0) {
		perror("rtsp-check: fake camera");
		exit(99);
	}
	f->port = ntohs(sa.sin_port);
	pthread_create(t, NULL, fake_main, f);
}

/* A byte string being built. */
struct blob {
	uint8_t *p;
	size_t len;
};

static void
blob_add(struct blob *b, const void *p, size_t n)
{
	b->p = xrealloc(b->p, b->len + n);
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

/* Append an interleaved RTP packet. */
static void
rtp(struct blob *b, int ch, int pt, uint16_t seq, uint32_t ts, bool marker,
    const void *payload, size_t n)
{
	uint8_t h[16] = { '$', (uint8_t)ch, (uint8_t)((n + 12) >> 8),
		(uint8_t)(n + 12), 0x80, (uint8_t)(pt | (marker ? 0x80 : 0)),
		(uint8_t)(seq >> 8), (uint8_t)seq, (uint8_t)(ts >> 24),
		(uint8_t)(ts >> 16), (uint8_t)(ts >> 8), (uint8_t)ts,
		0x12, 0x34, 0x56, 0x78 };

	blob_add(b, h, 16);
	blob_add(b, payload, n);
}

static const uint8_t sps[] = { 0x67, 0x4d, 0x40, 0x16, 0xda, 0x02, 0x80,
	0xbf, 0xe5, 0xc0, 0x44, 0x00, 0x00, 0x03, 0x00, 0x04, 0x00, 0x00,
	0x03, 0x00, 0x78, 0x3c, 0x58, 0xba, 0x80 };	/* 640x360 main */
static const uint8_t pps[] = { 0x68, 0xef, 0x3c, 0x80 };

/* The H.264 script: STAP-A (SPS, PPS) + an IDR in three FU-A, a P frame,
 * a P frame whose middle fragment is lost, a P frame. */
static void
h264_script(struct blob *b, uint16_t seq)
{
	uint8_t stap[64], fu[40];
	size_t n = 0;

	stap[n++] = 24;
	stap[n++] = 0;
	stap[n++] = sizeof sps;
	memcpy(stap + n, sps, sizeof sps);
	n += sizeof sps;
	stap[n++] = 0;
	stap[n++] = sizeof pps;
	memcpy(stap + n, pps, sizeof pps);
	n += sizeof pps;
	rtp(b, 0, 96, seq++, 1000, false, stap, n);
	memset(fu, 0xab, sizeof fu);
	fu[0] = 0x7c;		/* FU-A, NRI 3 */
	fu[1] = 0x80 | 5;	/* start, IDR */
	rtp(b, 0, 96, seq++, 1000, false, fu, 20);
	fu[1] = 5;
	rtp(b, 0, 96, seq++, 1000, false, fu, 20);
	fu[1] = 0x40 | 5;	/* end */
	rtp(b, 0, 96, seq++, 1000, true, fu, 20);
	fu[0] = 0x41;		/* a whole P slice */
	rtp(b, 0, 96, seq++, 4000, true, fu, 30);
	fu[0] = 0x5c;
	fu[1] = 0x80 | 1;
	rtp(b, 0, 96, seq++, 7000, false, fu, 20);
	seq++;			/* lost */
	fu[1] = 0x40 | 1;
	rtp(b, 0, 96, seq++, 7000, true, fu, 20);
	fu[0] = 0x41;
	rtp(b, 0, 96, seq++, 10000, true, fu, 25);
}

/* Read everything a session gives until it ends; the packets of stream
 * si into out (sizes and pts); the failure class of the end. */
static enum vg_source_fail
drain(struct vg_rtsp *r, int si, int *sizes, int64_t *pts, int *flags,
    int max, int *n)
{
	AVPacket *pkt = av_packet_alloc();
	enum vg_source_fail why = VG_SOURCE_OK;
	char *cause = NULL;

	*n = 0;
	while (vg_rtsp_read(r, pkt, &why, &cause) == 0) {
		if (pkt->stream_index == si && *n < max) {
			sizes[*n] = pkt->size;
			pts[*n] = pkt->pts;
			flags[*n] = pkt->flags;
			(*n)++;
		}
		av_packet_unref(pkt);
	}
	free(cause);
	av_packet_free(&pkt);
	return why;
}

/* Open a fake camera serving sdp and blob. */
static int
fake_open(struct fake *f, pthread_t *t, const char *user, const char *pass,
    struct vg_rtsp **r, enum vg_source_fail *why)
{
	struct vg_source_opts o = { .url = NULL, .user = user,
	    .password = pass, .timeout_ms = 2000, .reader = "native" };
	char url[64], *cause = NULL;
	int rc;

	fake_start(f, t);
	snprintf(url, sizeof url, "rtsp://127.0.0.1:%d/x", f->port);
	o.url = url;
	*why = VG_SOURCE_OK;
	rc = vg_rtsp_open(&o, r, why, &cause);
	if (rc != 0 && getenv("RTSP_CHECK_VERBOSE") != NULL)
		printf("# %s\n", cause);
	free(cause);
	return rc;
}

static void
fake_end(struct fake *f, pthread_t t, struct vg_rtsp *r)
{
	vg_rtsp_close(r);
	pthread_join(t, NULL);
	close(f->fd);
}

static int
selftest(void)
{
	static const char sdp_h264[] = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n"
	    "s=fake\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\n"
	    "a=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\n"
	    "a=control:track1\r\n";
	static const char sdp_av[] = "v=0\r\ns=fake\r\nt=0 0\r\n"
	    "a=control:*\r\n"
	    "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
	    "a=fmtp:96 packetization-mode=1; sprop-parameter-sets="
	    "Z01AFtoCgL/lwEQAAAMABAAAAwB4PFi6gA==,aO88gA==\r\n"
	    "a=control:track1\r\n"
	    "m=audio 0 RTP/AVP 97\r\n"
	    "a=rtpmap:97 MPEG4-GENERIC/16000/1\r\n"
	    "a=fmtp:97 streamtype=5;profile-level-id=15;mode=AAC-hbr;"
	    "config=1408;sizelength=13;indexlength=3;indexdeltalength=3\r\n"
	    "a=control:track2\r\n"
	    "m=application 0 RTP/AVP 107\r\na=rtpmap:107 vnd.onvif.metadata/"
	    "90000\r\na=control:track3\r\n";
	static const char sdp_pcmu[] = "v=0\r\ns=fake\r\nt=0 0\r\n"
	    "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
	    "a=fmtp:96 sprop-parameter-sets=Z01AFtoCgL/lwEQAAAMABAAAAwB4PFi6"
	    "gA==,aO88gA==\r\na=control:rtsp://127.0.0.1/abs/v\r\n"
	    "m=audio 0 RTP/AVP 0\r\na=control:a\r\n";
	struct fake f = { 0 };
	struct blob b = { 0 };
	struct vg_rtsp *r = NULL;
	struct vg_rtsp_stats st;
	struct vg_source_clock clk;
	const struct vg_source_stream *vs;
	enum vg_source_fail why;
	pthread_t t;
	int sizes[64], flags[64], n, i, iter;
	int64_t pts[64];
	uint8_t aac[2 + 4 + 30], pcm[160], sr[28];

	/* no batching: the fake camera's sessions are short */
	setenv("VIGIA_RTSP_BATCH_MS", "0", 1);

	/* 1. H.264: STAP-A, FU-A, a loss; parameter sets from the stream */
	h264_script(&b, 65530);	/* wraps the sequence number */
	f = (struct fake){ .sdp = sdp_h264, .blob = b.p, .blob_len = b.len };
	ok(fake_open(&f, &t, NULL, NULL, &r, &why) == 0,
	    "h264: opens (no sprop: waits for the first keyframe)");
	if (r != NULL) {
		vs = vg_rtsp_stream(r, 0);
		ok(vs->par->codec_id == AV_CODEC_ID_H264 &&
		    vs->par->width == 640 && vs->par->height == 360,
		    "h264: 640x360 from the in-band SPS");
		ok(vs->par->extradata_size == 8 + (int)sizeof sps +
		    (int)sizeof pps && memcmp(vs->par->extradata + 4, sps,
		    sizeof sps) == 0, "h264: extradata = Annex B SPS + PPS");
		why = drain(r, 0, sizes, pts, flags, 64, &n);
		ok(why == VG_SOURCE_CLOSED, "h264: ends with 'closed'");
		ok(n == 3, "h264: three access units, the broken one dropped");
		ok(n == 3 && sizes[0] == 3 * 4 + (int)sizeof sps +
		    (int)sizeof pps + 1 + 3 * 18 && (flags[0] &
		    AV_PKT_FLAG_KEY) && sizes[1] == 4 + 30 &&
		    !(flags[1] & AV_PKT_FLAG_KEY) && sizes[2] == 4 + 25,
		    "h264: STAP-A and FU-A reassembled behind start codes");
		ok(n == 3 && pts[1] - pts[0] == 3000 && pts[2] - pts[0] == 9000,
		    "h264: pts from RTP time");
		vg_rtsp_stats(r, 0, &st);
		ok(st.lost_packets == 1 && st.dropped_frames == 1,
		    "h264: one packet lost, one access unit dropped");
	}
	fake_end(&f, t, r);
	r = NULL;

	/* 2. H.264 + AAC (two AUs in a packet) + RTCP; metadata ignored */
	free(b.p);
	b = (struct blob){ 0 };
	h264_script(&b, 1);
	aac[0] = 0;
	aac[1] = 32;		/* two 16-bit AU headers */
	aac[2] = (uint8_t)(10 >> 5);
	aac[3] = (uint8_t)(10 << 3);
	aac[4] = (uint8_t)(20 >> 5);
	aac[5] = (uint8_t)(20 << 3);
	memset(aac + 6, 0x21, 30);
	rtp(&b, 2, 97, 500, 160000, true, aac, sizeof aac);
	memset(sr, 0, sizeof sr);
	sr[0] = 0x80;
	sr[1] = 200;
	sr[3] = 6;		/* length: 7 words - 1 */
	sr[8] = 0xe8;		/* NTP seconds 0xe8000000 */
	sr[16] = 0;
	sr[19] = 0;
	sr[17] = 0x02;
	sr[18] = 0x71;		/* RTP 160000 = 0x27100 */
	sr[19] = 0x00;
	{
		uint8_t h[4] = { '$', 3, 0, sizeof sr };

		blob_add(&b, h, 4);
		blob_add(&b, sr, sizeof sr);
	}
	rtp(&b, 2, 97, 501, 162048, true, aac, sizeof aac);
	f = (struct fake){ .sdp = sdp_av, .blob = b.p, .blob_len = b.len };
	ok(fake_open(&f, &t, NULL, NULL, &r, &why) == 0, "aac: opens");
	if (r != NULL) {
		ok(vg_rtsp_nstreams(r) == 2, "aac: video and audio (metadata "
		    "left out)");
		vs = vg_rtsp_stream(r, 1);
		ok(vs != NULL && vs->par->codec_id == AV_CODEC_ID_AAC &&
		    vs->par->sample_rate == 16000 &&
		    vs->par->extradata_size == 2 &&
		    vs->par->extradata[0] == 0x14 &&
		    vs->time_base.den == 16000,
		    "aac: 16 kHz, AudioSpecificConfig 1408 in extradata");
		why = drain(r, 1, sizes, pts, flags, 64, &n);
		ok(n == 4 && sizes[0] == 10 && sizes[1] == 20 &&
		    pts[1] - pts[0] == 1024 && pts[2] - pts[0] == 2048,
		    "aac: two AUs per packet, 1024 samples apart");
		vg_rtsp_clock(r, 1, &clk);
		ok(clk.valid && clk.ntp_us == ((int64_t)0xe8000000 -
		    2208988800LL) * 1000000 && clk.pts == pts[0],
		    "aac: the RTCP sender report maps RTP time to UTC");
		vg_rtsp_clock(r, 0, &clk);
		ok(!clk.valid, "h264: no sender report, no clock");
	}
	fake_end(&f, t, r);
	r = NULL;

	/* 3. PCMU (static payload type 0, no rtpmap); basic auth */
	free(b.p);
	b = (struct blob){ 0 };
	h264_script(&b, 1);
	memset(pcm, 0xff, sizeof pcm);
	rtp(&b, 2, 0, 9, 800, false, pcm, sizeof pcm);
	rtp(&b, 2, 0, 10, 960, false, pcm, sizeof pcm);
	f = (struct fake){ .sdp = sdp_pcmu, .blob = b.p, .blob_len = b.len,
		.basic = "Basic dXNlcjpwYXNz" };
	ok(fake_open(&f, &t, "user", "pass", &r, &why) == 0,
	    "pcmu: opens with basic authentication");
	if (r != NULL) {
		vs = vg_rtsp_stream(r, 1);
		ok(vs != NULL && vs->par->codec_id == AV_CODEC_ID_PCM_MULAW &&
		    vs->par->sample_rate == 8000,
		    "pcmu: payload type 0 is G.711 mu-law at 8 kHz");
		why = drain(r, 1, sizes, pts, flags, 64, &n);
		ok(n == 2 && sizes[0] == 160 && pts[1] - pts[0] == 160,
		    "pcmu: 160-byte packets, 160 samples apart");
	}
	fake_end(&f, t, r);
	r = NULL;
	f = (struct fake){ .sdp = sdp_pcmu, .blob = b.p, .blob_len = b.len,
		.basic = "Basic dXNlcjpwYXNz" };
	ok(fake_open(&f, &t, "user", "wrong", &r, &why) != 0 &&
	    why == VG_SOURCE_AUTH, "basic: a wrong password is 'auth'");
	fake_end(&f, t, r);
	r = NULL;
	f = (struct fake){ .sdp = sdp_pcmu, .blob = b.p, .blob_len = b.len,
		.describe_status = 404 };
	ok(fake_open(&f, &t, NULL, NULL, &r, &why) != 0 &&
	    why == VG_SOURCE_NOTFOUND, "DESCRIBE 404 is 'notfound'");
	fake_end(&f, t, r);
	r = NULL;
	f = (struct fake){ .sdp = "v=0\r\nm=video 0 RTP/AVP 26\r\n",
		.blob = b.p, .blob_len = b.len };
	ok(fake_open(&f, &t, NULL, NULL, &r, &why) != 0 &&
	    why == VG_SOURCE_UNSUPPORTED, "MJPEG only is 'unsupported'");
	fake_end(&f, t, r);
	r = NULL;

	/* 3b. a recovery point (no IDR) is a keyframe; an SPS that changes
	 * in the stream (another size) comes with the new extradata */
	free(b.p);
	b = (struct blob){ 0 };
	{
		static const uint8_t sps2[] = { 0x67, 0x4d, 0x40, 0x0c, 0xec,
		    0xa0, 0xa0, 0xbd, 0x80, 0x88, 0x00, 0x00, 0x03, 0x00,
		    0x08, 0x00, 0x00, 0x03, 0x00, 0xf0, 0x78, 0xa1, 0x4c,
		    0xb0 };	/* 320x176 main, from x264 */
		static const uint8_t sei[] = { 0x06, 0x06, 0x01, 0x84, 0x80 };
		const uint8_t *sp[2] = { sps, sps2 };
		size_t spl[2] = { sizeof sps, sizeof sps2 };
		uint8_t stap[80], sl[20];
		AVPacket *pkt = av_packet_alloc();
		char *cause = NULL;
		int k, key[8], side[8], w = 0, h = 0;
		uint16_t seq = 100;
		size_t m;

		memset(sl, 0xab, sizeof sl);
		for (k = 0; k < 2; k++) {
			m = 0;
			stap[m++] = 24;
			stap[m++] = 0;
			stap[m++] = (uint8_t)spl[k];
			memcpy(stap + m, sp[k], spl[k]);
			m += spl[k];
			stap[m++] = 0;
			stap[m++] = sizeof pps;
			memcpy(stap + m, pps, sizeof pps);
			m += sizeof pps;
			rtp(&b, 0, 96, seq++, 1000 + 9000 * (uint32_t)k, false,
			    stap, m);
			sl[0] = 0x65;	/* IDR */
			rtp(&b, 0, 96, seq++, 1000 + 9000 * (uint32_t)k, true,
			    sl, sizeof sl);
			/* a recovery point SEI and a non-IDR I slice */
			rtp(&b, 0, 96, seq++, 4000 + 9000 * (uint32_t)k, false,
			    sei, sizeof sei);
			sl[0] = 0x61;
			rtp(&b, 0, 96, seq++, 4000 + 9000 * (uint32_t)k, true,
			    sl, sizeof sl);
			sl[0] = 0x41;	/* P */
			rtp(&b, 0, 96, seq++, 7000 + 9000 * (uint32_t)k, true,
			    sl, sizeof sl);
		}
		f = (struct fake){ .sdp = sdp_h264, .blob = b.p,
			.blob_len = b.len };
		ok(fake_open(&f, &t, NULL, NULL, &r, &why) == 0,
		    "sps change: opens");
		n = 0;
		while (r != NULL && vg_rtsp_read(r, pkt, &why, &cause) == 0) {
			if (n < 8) {
				key[n] = (pkt->flags & AV_PKT_FLAG_KEY) != 0;
				side[n] = av_packet_get_side_data(pkt,
				    AV_PKT_DATA_NEW_EXTRADATA, NULL) != NULL;
				if (n == 3) {
					w = vg_rtsp_stream(r, 0)->par->width;
					h = vg_rtsp_stream(r, 0)->par->height;
				}
			}
			n++;
			av_packet_unref(pkt);
		}
		free(cause);
		av_packet_free(&pkt);
		ok(n == 6 && key[0] && key[1] && !key[2] && key[3] &&
		    key[4] && !key[5], "h264: a recovery point SEI makes a "
		    "keyframe without an IDR");
		ok(n == 6 && !side[0] && !side[1] && !side[2] && side[3] &&
		    !side[4] && !side[5], "h264: only the keyframe whose SPS "
		    "changed carries new extradata");
		ok(w == 320 && h == 176, "h264: the size follows the SPS in "
		    "the stream (640x360 -> 320x176)");
	}
	fake_end(&f, t, r);
	r = NULL;

	/* 4. hostile input: mutated streams and SDPs never crash */
	srand(4711);
	{
		int opened = 0;
		char sdp[sizeof sdp_av];

		for (iter = 0; iter < 2000; iter++) {
			uint8_t *m = xmalloc(b.len);
			size_t len = b.len;
			int k, flips = 1 + rand() % 8;

			memcpy(m, b.p, b.len);
			memcpy(sdp, sdp_av, sizeof sdp);
			for (k = 0; k < flips; k++)
				m[(size_t)rand() % len] = (uint8_t)rand();
			if (iter % 3 == 0)
				len = (size_t)rand() % len;
			if (iter % 4 == 0)
				sdp[(size_t)rand() % (sizeof sdp - 1)] =
				    (char)(1 + rand() % 255);
			f = (struct fake){ .sdp = sdp, .blob = m,
				.blob_len = len };
			if (fake_open(&f, &t, NULL, NULL, &r, &why) == 0) {
				opened++;
				for (i = 0; i < vg_rtsp_nstreams(r); i++)
					drain(r, i, sizes, pts, flags, 64, &n);
			}
			fake_end(&f, t, r);
			r = NULL;
			free(m);
		}
		printf("# fuzz: 2000 mutated sessions, %d opened\n", opened);
		ok(true, "hostile input: 2000 mutated sessions, no crash");
	}
	free(b.p);
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}

int
main(int argc, char **argv)
{
	const char *user;

	setvbuf(stdout, NULL, _IOLBF, 0);
	av_log_set_level(AV_LOG_ERROR);
	if (argc == 1)
		return selftest();
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
