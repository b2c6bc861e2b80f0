/* record-rtsp.c - vigia's own RTSP/RTP reader for the recorder.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same contract as record-source.h, under the vg_rtsp_ names.  Why it
 * exists: libavformat's RTSP reader makes a poll and about two small recv
 * calls per RTP packet; at 32 cameras that costs as much CPU as 32 ffmpeg
 * processes.  This reader speaks RTSP over TCP only (RTP interleaved, RFC
 * 2326 10.12) and reads with one large recv into a per-camera buffer,
 * then parses every `$` frame there and depacketizes in place:
 *
 *   RFC 6184 H.264 (single NAL, STAP-A, FU-A)
 *   RFC 7798 H.265 (single NAL, AP, FU)
 *   RFC 3640 AAC (mpeg4-generic, AU headers)
 *   G.711 PCMU / PCMA (static payload types 0 and 8, or rtpmap)
 *
 * Packets come out as libavformat's demuxer makes them: one access unit
 * per video packet, every NAL unit behind a 4-byte Annex B start code,
 * the parameter sets from the SDP (or the first keyframe) in extradata as
 * Annex B, pts = dts from the 64-bit unwrapped RTP timestamp, less the
 * stream's first, in 1/clock-rate units.  A sequence-number gap drops the
 * access unit it broke and is counted (vg_rtsp_stats) and logged.
 *
 * Deadlines: connect and every request are bounded by timeout_ms; while
 * playing, no media packet for timeout_ms is a stall (VG_SOURCE_TIMEOUT).
 * Keep-alive (GET_PARAMETER when the server lists it, else OPTIONS) goes
 * out at half the session timeout.  Input is never trusted: every length
 * is checked against what was received.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <libavutil/mem.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "libvigia.h"
#include "record-source.h"

#define RTSP_MAX_STREAMS 4
#define RTSP_BUF_SIZE (128 * 1024)	/* the receive buffer */
#define RTSP_MAX_HEADER (16 * 1024)	/* a response's header block */
#define RTSP_MAX_BODY (64 * 1024)	/* an SDP */
#define RTSP_MAX_AU (8 * 1024 * 1024)	/* one access unit */
#define RTSP_QUEUE 64			/* packets ready to hand out */
#define RTSP_MAX_REDIRECTS 0

enum rtsp_kind {
	KIND_H264,
	KIND_H265,
	KIND_AAC,
	KIND_PCMU,
	KIND_PCMA,
};

/* One SETUP'd stream. */
struct rtsp_stream {
	struct vg_source_stream pub;
	enum rtsp_kind kind;
	int pt;			/* RTP payload type */
	int clock;		/* RTP clock rate */
	char *control;		/* absolute URL for SETUP */
	int channel;		/* interleaved RTP channel; RTCP is +1 */

	bool have_seq;
	uint16_t next_seq;
	bool have_ts;
	uint32_t last_ts;
	int64_t ext_ts;		/* unwrapped last_ts */
	int64_t base;		/* ext_ts that is pts 0 */

	/* access unit being assembled (video) */
	AVBufferRef *au_buf;	/* handed to the packet when complete */
	uint8_t *au;		/* au_buf's data */
	size_t au_len, au_cap;
	size_t au_last;		/* size of the last one: the next's guess */
	bool au_open;
	uint32_t au_ts;
	bool au_key;
	bool au_broken;
	bool fu_open;
	uint8_t *sps;		/* the last SPS seen in the stream, or NULL */
	size_t sps_len;

	/* AAC (RFC 3640) */
	int sizelength, indexlength, indexdeltalength;

	struct vg_source_clock clk;
	struct vg_rtsp_stats stats;
};

/* One camera's session. */
struct vg_rtsp {
	int fd;
	int timeout_ms;
	const volatile int *stop;	/* non-zero: give up waiting (SIGTERM) */
	char *url;		/* as given, without credentials */
	char *host;		/* for Host-less RTSP: only for messages */
	char *user, *password;	/* NULL: none */
	char *base;		/* Content-Base, or url */
	char *session;		/* the id only */
	int session_timeout;	/* seconds */
	int cseq;
	bool get_parameter;	/* the server lists GET_PARAMETER */

	/* authentication, from the last 401 */
	bool digest, basic;
	char *realm, *nonce, *opaque, *algorithm;
	bool qop_auth;
	unsigned nc;

	uint8_t *buf;
	size_t head, tail;	/* unread bytes are buf[head..tail) */

	struct rtsp_stream st[RTSP_MAX_STREAMS];
	int nst;
	int64_t t0_us;		/* monotonic time of the first RTP packet */

	AVPacket *q[RTSP_QUEUE];
	int qhead, qlen;

	bool playing;
	int64_t last_media_us;	/* monotonic; stall watchdog */
	int64_t next_keepalive_us;
	int64_t batch_us;	/* least time between reads once drained */
	int64_t last_fill_us;
	bool drained;		/* the last read emptied the socket */
	unsigned unknown_channel_frames;
};

/* A parsed RTSP response. */
struct rtsp_reply {
	int status;
	char *headers;		/* "Name: value\r\n"..., NUL-terminated */
	char *body;
	size_t body_len;
};

/* ---- small helpers ---------------------------------------------------- */

/* Monotonic microseconds. */
static int64_t
rtsp_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Set *why and *cause (if asked); returns -1. */
static int VG_PRINTF(4, 5)
rtsp_fail(enum vg_source_fail *why, char **cause, enum vg_source_fail w,
    const char *fmt, ...)
{
	va_list ap;

	if (why != NULL)
		*why = w;
	if (cause != NULL) {
		free(*cause);
		va_start(ap, fmt);
		xvasprintf(cause, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Big-endian reads. */
static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Decode standard base64 (padding optional, stops at the first character
 * outside the alphabet); returns the length written to out (at most
 * 3 * len / 4 + 3 bytes are needed) or -1. */
static int
rtsp_b64_decode(const char *in, size_t len, uint8_t *out)
{
	uint32_t acc = 0;
	int bits = 0, n = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		int c = (unsigned char)in[i], v;

		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+' || c == '-')
			v = 62;
		else if (c == '/' || c == '_')
			v = 63;
		else if (c == '=')
			break;
		else
			return -1;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	return n;
}

/* Lower-case hex of an MD5 of s into out[33]. */
static void
rtsp_md5_hex(const char *s, char out[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;

	EVP_Digest(s, strlen(s), md, &len, EVP_md5(), NULL);
	for (i = 0; i < len && i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[32] = '\0';
}

/* ---- Exp-Golomb bit reader over an RBSP (emulation prevention removed) */

struct bits {
	const uint8_t *p;
	size_t len, pos;	/* in bits */
	bool over;
};

static unsigned
bits_get(struct bits *b, int n)
{
	unsigned v = 0;

	while (n-- > 0) {
		if (b->pos >= b->len) {
			b->over = true;
			return 0;
		}
		v = v << 1 | ((b->p[b->pos >> 3] >> (7 - (b->pos & 7))) & 1);
		b->pos++;
	}
	return v;
}

static unsigned
bits_ue(struct bits *b)
{
	int zeros = 0;

	while (bits_get(b, 1) == 0) {
		if (b->over || ++zeros > 31) {
			b->over = true;
			return 0;
		}
	}
	return ((1u << zeros) - 1) + bits_get(b, zeros);
}

static int
bits_se(struct bits *b)
{
	unsigned v = bits_ue(b);

	return (v & 1) ? (int)((v + 1) / 2) : -(int)(v / 2);
}

/* The RBSP of a NAL unit (after its header of hlen bytes) into out. */
static size_t
rtsp_rbsp(const uint8_t *nal, size_t len, size_t hlen, uint8_t *out,
    size_t cap)
{
	size_t i, n = 0;
	int zeros = 0;

	for (i = hlen; i < len && n < cap; i++) {
		if (zeros >= 2 && nal[i] == 3) {
			zeros = 0;
			continue;
		}
		zeros = nal[i] == 0 ? zeros + 1 : 0;
		out[n++] = nal[i];
	}
	return n;
}

/* Skip an H.264 scaling list. */
static void
h264_skip_scaling(struct bits *b, int size)
{
	int last = 8, next = 8, j;

	for (j = 0; j < size && !b->over; j++) {
		if (next != 0)
			next = (last + bits_se(b) + 256) % 256;
		last = next == 0 ? last : next;
	}
}

/* Width, height, profile and level from an H.264 SPS NAL unit. */
static bool
h264_parse_sps(const uint8_t *nal, size_t len, AVCodecParameters *par)
{
	uint8_t rbsp[512];
	struct bits b = { rbsp, 0, 0, false };
	unsigned profile, level, chroma = 1, w_mbs, h_units, frame_mbs;
	unsigned crop_l = 0, crop_r = 0, crop_t = 0, crop_b = 0, i, n;
	int sub_w, sub_h;
	int64_t wd, ht;

	b.len = 8 * rtsp_rbsp(nal, len, 1, rbsp, sizeof rbsp);
	profile = bits_get(&b, 8);
	bits_get(&b, 8);
	level = bits_get(&b, 8);
	bits_ue(&b);		/* seq_parameter_set_id */
	if (profile == 100 || profile == 110 || profile == 122 ||
	    profile == 244 || profile == 44 || profile == 83 ||
	    profile == 86 || profile == 118 || profile == 128 ||
	    profile == 138 || profile == 139 || profile == 134 ||
	    profile == 135) {
		chroma = bits_ue(&b);
		if (chroma == 3)
			bits_get(&b, 1);
		bits_ue(&b);
		bits_ue(&b);
		bits_get(&b, 1);
		if (bits_get(&b, 1)) {
			n = chroma != 3 ? 8 : 12;
			for (i = 0; i < n; i++)
				if (bits_get(&b, 1))
					h264_skip_scaling(&b, i < 6 ? 16 : 64);
		}
	}
	bits_ue(&b);		/* log2_max_frame_num_minus4 */
	n = bits_ue(&b);	/* pic_order_cnt_type */
	if (n == 0)
		bits_ue(&b);
	else if (n == 1) {
		bits_get(&b, 1);
		bits_se(&b);
		bits_se(&b);
		n = bits_ue(&b);
		for (i = 0; i < n && i < 256 && !b.over; i++)
			bits_se(&b);
	}
	bits_ue(&b);		/* max_num_ref_frames */
	bits_get(&b, 1);
	w_mbs = bits_ue(&b) + 1;
	h_units = bits_ue(&b) + 1;
	frame_mbs = bits_get(&b, 1);
	if (!frame_mbs)
		bits_get(&b, 1);
	bits_get(&b, 1);
	if (bits_get(&b, 1)) {
		crop_l = bits_ue(&b);
		crop_r = bits_ue(&b);
		crop_t = bits_ue(&b);
		crop_b = bits_ue(&b);
	}
	if (b.over || w_mbs > 1024 || h_units > 1024)
		return false;
	sub_w = chroma == 1 || chroma == 2 ? 2 : 1;
	sub_h = (chroma == 1 ? 2 : 1) * (2 - (int)frame_mbs);
	if (chroma == 0)
		sub_w = 1, sub_h = 2 - (int)frame_mbs;
	/* the crops are a camera's numbers (up to 2^32 - 2): in 64 bits */
	wd = (int64_t)w_mbs * 16 - sub_w * ((int64_t)crop_l + crop_r);
	ht = (int64_t)h_units * 16 * (2 - frame_mbs) -
	    sub_h * ((int64_t)crop_t + crop_b);
	if (wd <= 0 || ht <= 0)
		return false;
	par->width = (int)wd;
	par->height = (int)ht;
	par->profile = (int)profile;
	par->level = (int)level;
	return true;
}

/* Skip an H.265 profile_tier_level with max_sub_layers_minus1. */
static void
h265_skip_ptl(struct bits *b, unsigned sub, int *profile, int *level)
{
	unsigned i, pp[8] = { 0 }, lp[8] = { 0 };

	bits_get(b, 2);
	bits_get(b, 1);
	*profile = (int)bits_get(b, 5);
	bits_get(b, 32);
	bits_get(b, 4);
	bits_get(b, 32);
	bits_get(b, 12);	/* 43 reserved bits and inbld */
	*level = (int)bits_get(b, 8);
	for (i = 0; i < sub && i < 8; i++) {
		pp[i] = bits_get(b, 1);
		lp[i] = bits_get(b, 1);
	}
	if (sub > 0)
		for (i = sub; i < 8; i++)
			bits_get(b, 2);
	for (i = 0; i < sub && i < 8; i++) {
		if (pp[i])
			bits_get(b, 88);
		if (lp[i])
			bits_get(b, 8);
	}
}

/* Width, height, profile and level from an H.265 SPS NAL unit. */
static bool
h265_parse_sps(const uint8_t *nal, size_t len, AVCodecParameters *par)
{
	uint8_t rbsp[512];
	struct bits b = { rbsp, 0, 0, false };
	unsigned sub, chroma, w, h, cl = 0, cr = 0, ct = 0, cb = 0;
	int64_t wd, ht;
	int profile = 0, level = 0, sw, sh;

	b.len = 8 * rtsp_rbsp(nal, len, 2, rbsp, sizeof rbsp);
	bits_get(&b, 4);
	sub = bits_get(&b, 3);
	bits_get(&b, 1);
	h265_skip_ptl(&b, sub, &profile, &level);
	bits_ue(&b);
	chroma = bits_ue(&b);
	if (chroma == 3)
		bits_get(&b, 1);
	w = bits_ue(&b);
	h = bits_ue(&b);
	if (bits_get(&b, 1)) {
		cl = bits_ue(&b);
		cr = bits_ue(&b);
		ct = bits_ue(&b);
		cb = bits_ue(&b);
	}
	if (b.over || w == 0 || h == 0 || w > 16384 || h > 16384)
		return false;
	sw = chroma == 1 || chroma == 2 ? 2 : 1;
	sh = chroma == 1 ? 2 : 1;
	wd = (int64_t)w - sw * ((int64_t)cl + cr);
	ht = (int64_t)h - sh * ((int64_t)ct + cb);
	if (wd <= 0 || ht <= 0)
		return false;
	par->width = (int)wd;
	par->height = (int)ht;
	par->profile = profile;
	par->level = level;
	return true;
}

/* ---- the packet queue ------------------------------------------------- */

/* Queue a packet (takes it); drops the oldest when full. */
static void
rtsp_queue_push(struct vg_rtsp *r, AVPacket *pkt)
{
	if (r->qlen == RTSP_QUEUE) {
		av_packet_free(&r->q[r->qhead]);
		r->qhead = (r->qhead + 1) % RTSP_QUEUE;
		r->qlen--;
		log_warn("rtsp: %s: output queue full, a packet dropped",
		    r->url);
	}
	r->q[(r->qhead + r->qlen) % RTSP_QUEUE] = pkt;
	r->qlen++;
}

/* pts of an RTP timestamp of stream s (after rtsp_unwrap). */
static int64_t
rtsp_pts(const struct rtsp_stream *s)
{
	return s->ext_ts - s->base;
}

/* Emit a packet of stream index si from data. */
static void
rtsp_emit(struct vg_rtsp *r, int si, const uint8_t *data, size_t len,
    int64_t pts, bool key)
{
	AVPacket *pkt = av_packet_alloc();

	if (pkt == NULL || av_new_packet(pkt, (int)len) < 0)
		fatalx("rtsp: out of memory for a packet");
	memcpy(pkt->data, data, len);
	pkt->stream_index = si;
	pkt->pts = pkt->dts = pts;
	if (key)
		pkt->flags |= AV_PKT_FLAG_KEY;
	r->st[si].stats.frames++;
	rtsp_queue_push(r, pkt);
}

/* ---- video access units ----------------------------------------------- */

/* Append bytes to the access unit (false: too large, now broken). */
static bool
au_append(struct rtsp_stream *s, const uint8_t *p, size_t n)
{
	if (s->au_len + n > RTSP_MAX_AU) {
		s->au_broken = true;
		return false;
	}
	if (s->au_len + n > s->au_cap) {
		size_t cap = s->au_cap ? s->au_cap * 2 :
		    s->au_last + s->au_last / 4 + 4096;

		while (cap < s->au_len + n)
			cap *= 2;
		if (cap > RTSP_MAX_AU)
			cap = RTSP_MAX_AU;
		if (av_buffer_realloc(&s->au_buf, cap +
		    AV_INPUT_BUFFER_PADDING_SIZE) < 0)
			fatalx("rtsp: out of memory for an access unit");
		s->au = s->au_buf->data;
		s->au_cap = cap;
	}
	memcpy(s->au + s->au_len, p, n);
	s->au_len += n;
	return true;
}

static const uint8_t start_code[4] = { 0, 0, 0, 1 };

/* Does an H.264 SEI NAL unit hold a recovery point?  Cameras with
 * periodic intra refresh (and open GOPs) send no IDR: a recovery point is
 * where decoding can start (libavcodec's parser makes it a keyframe too).
 * Only the sizes of messages before it are read, raw. */
static bool
h264_sei_recovery(const uint8_t *nal, size_t n)
{
	size_t i = 1, type, size;

	while (i < n && nal[i] != 0x80) {
		for (type = 0; i < n && nal[i] == 0xff; i++)
			type += 255;
		if (i >= n)
			break;
		type += nal[i++];
		for (size = 0; i < n && nal[i] == 0xff; i++)
			size += 255;
		if (i >= n)
			break;
		size += nal[i++];
		if (type == 6)
			return true;
		i += size;
	}
	return false;
}

/* Append one NAL unit behind a start code, noting keyframes. */
static void
au_nal(struct rtsp_stream *s, const uint8_t *nal, size_t n)
{
	int t;

	if (n == 0)
		return;
	if (s->kind == KIND_H264) {
		t = nal[0] & 0x1f;
		if (t == 5 || (t == 6 && h264_sei_recovery(nal, n)))
			s->au_key = true;
	} else {
		t = (nal[0] >> 1) & 0x3f;
		if (t >= 16 && t <= 23)
			s->au_key = true;
	}
	if (au_append(s, start_code, 4))
		au_append(s, nal, n);
}

static void rtsp_extradata_from_au(struct rtsp_stream *s, const uint8_t *p,
    size_t n);

/* The first NAL unit of type sps_type in an Annex B access unit (and
 * whether one of type pps_type is there too). */
static const uint8_t *
au_find_sps(const struct rtsp_stream *s, const uint8_t *p, size_t n,
    size_t *len, bool *pps)
{
	const uint8_t *sps = NULL;
	size_t i = 0, start, end;
	int t;

	*pps = false;
	while (i + 4 <= n) {
		if (memcmp(p + i, start_code, 4) != 0) {
			i++;
			continue;
		}
		start = i + 4;
		end = start;
		while (end + 4 <= n && memcmp(p + end, start_code, 4) != 0)
			end++;
		if (end + 4 > n)
			end = n;
		if (end > start) {
			t = s->kind == KIND_H264 ? p[start] & 0x1f :
			    (p[start] >> 1) & 0x3f;
			if (sps == NULL && t == (s->kind == KIND_H264 ? 7 : 33)) {
				sps = p + start;
				*len = end - start;
			}
			if (t == (s->kind == KIND_H264 ? 8 : 34))
				*pps = true;
		}
		i = end;
	}
	return sps;
}

/* A keyframe's parameter sets.  The first SPS in the stream replaces
 * what the SDP said (the same format, or the picture's size from it);
 * a later SPS that differs is an in-band change of format (the encoder
 * was reconfigured): extradata and the size become the new ones and the
 * packet carries AV_PKT_DATA_NEW_EXTRADATA, so that the recorder starts
 * a new segment there.  True when the format changed. */
static bool
rtsp_params_from_key(struct rtsp_stream *s, const uint8_t *p, size_t n)
{
	AVCodecParameters *par = s->pub.par;
	const uint8_t *sps;
	size_t len = 0;
	bool pps, first = s->sps == NULL;
	int w = par->width, h = par->height;

	sps = au_find_sps(s, p, n, &len, &pps);
	if (sps == NULL || !pps)
		return false;
	if (!first && len == s->sps_len && memcmp(sps, s->sps, len) == 0)
		return false;
	free(s->sps);
	s->sps = xmalloc(len);
	memcpy(s->sps, sps, len);
	s->sps_len = len;
	av_freep(&par->extradata);
	par->extradata_size = 0;
	rtsp_extradata_from_au(s, p, n);
	return !first || (w > 0 && (par->width != w || par->height != h));
}

/* Finish the open access unit: emit it, or drop it if broken. */
static void
au_finish(struct vg_rtsp *r, int si)
{
	struct rtsp_stream *s = &r->st[si];
	int64_t pts;

	if (!s->au_open)
		return;
	if (s->au_broken || s->fu_open) {
		s->stats.dropped_frames++;
		log_warn("rtsp: %s: stream %d: an access unit at RTP time %u "
		    "was broken by lost packets: dropped", r->url, si,
		    (unsigned)s->au_ts);
	} else if (s->au_len > 0) {
		pts = s->ext_ts - (int64_t)(int32_t)(s->last_ts - s->au_ts) -
		    s->base;
		/* the buffer becomes the packet's: no copy */
		AVPacket *pkt = av_packet_alloc();

		if (pkt == NULL)
			fatalx("rtsp: out of memory for a packet");
		memset(s->au + s->au_len, 0, AV_INPUT_BUFFER_PADDING_SIZE);
		pkt->buf = s->au_buf;
		pkt->data = s->au;
		pkt->size = (int)s->au_len;
		pkt->stream_index = si;
		pkt->pts = pkt->dts = pts;
		if (s->au_key)
			pkt->flags |= AV_PKT_FLAG_KEY;
		if (s->au_key && rtsp_params_from_key(s, pkt->data,
		    (size_t)pkt->size)) {
			AVCodecParameters *par = s->pub.par;
			uint8_t *sd = av_packet_new_side_data(pkt,
			    AV_PKT_DATA_NEW_EXTRADATA,
			    (size_t)par->extradata_size);

			if (sd == NULL)
				fatalx("rtsp: out of memory");
			memcpy(sd, par->extradata, (size_t)par->extradata_size);
			log_notice("rtsp: %s: stream %d: the video format "
			    "changed in the stream (now %dx%d)", r->url, si,
			    par->width, par->height);
		}
		s->stats.frames++;
		rtsp_queue_push(r, pkt);
		s->au_last = s->au_len;
		s->au_buf = NULL;
		s->au = NULL;
		s->au_cap = 0;
	}
	s->au_open = false;
	s->au_len = 0;
	s->au_key = false;
	s->au_broken = false;
	s->fu_open = false;
}

/* One RTP payload of an H.264 stream (RFC 6184). */
static void
h264_payload(struct rtsp_stream *s, const uint8_t *p, size_t n)
{
	size_t off, len;
	uint8_t hdr;

	if (n < 1)
		return;
	switch (p[0] & 0x1f) {
	case 24:		/* STAP-A */
		off = 1;
		while (off + 2 <= n) {
			len = rd16(p + off);
			off += 2;
			if (len > n - off) {
				s->au_broken = true;
				return;
			}
			au_nal(s, p + off, len);
			off += len;
		}
		break;
	case 28:		/* FU-A */
		if (n < 3)
			return;
		hdr = (uint8_t)((p[0] & 0xe0) | (p[1] & 0x1f));
		if (p[1] & 0x80) {
			if (s->fu_open)
				s->au_broken = true;
			if ((p[1] & 0x1f) == 5)
				s->au_key = true;
			if (au_append(s, start_code, 4) &&
			    au_append(s, &hdr, 1))
				au_append(s, p + 2, n - 2);
			s->fu_open = true;
		} else if (s->fu_open) {
			au_append(s, p + 2, n - 2);
		} else {
			s->au_broken = true;
		}
		if (p[1] & 0x40)
			s->fu_open = false;
		break;
	case 0:
	case 25:
	case 26:
	case 27:
	case 29:
	case 30:
	case 31:		/* STAP-B, MTAP, FU-B: not in mode 1 */
		s->au_broken = true;
		break;
	default:
		au_nal(s, p, n);
	}
}

/* One RTP payload of an H.265 stream (RFC 7798, no DONL). */
static void
h265_payload(struct rtsp_stream *s, const uint8_t *p, size_t n)
{
	size_t off, len;
	uint8_t hdr[2];
	int t;

	if (n < 2)
		return;
	switch ((p[0] >> 1) & 0x3f) {
	case 48:		/* AP */
		off = 2;
		while (off + 2 <= n) {
			len = rd16(p + off);
			off += 2;
			if (len > n - off) {
				s->au_broken = true;
				return;
			}
			au_nal(s, p + off, len);
			off += len;
		}
		break;
	case 49:		/* FU */
		if (n < 4)
			return;
		t = p[2] & 0x3f;
		hdr[0] = (uint8_t)((p[0] & 0x81) | (t << 1));
		hdr[1] = p[1];
		if (p[2] & 0x80) {
			if (s->fu_open)
				s->au_broken = true;
			if (t >= 16 && t <= 23)
				s->au_key = true;
			if (au_append(s, start_code, 4) &&
			    au_append(s, hdr, 2))
				au_append(s, p + 3, n - 3);
			s->fu_open = true;
		} else if (s->fu_open) {
			au_append(s, p + 3, n - 3);
		} else {
			s->au_broken = true;
		}
		if (p[2] & 0x40)
			s->fu_open = false;
		break;
	case 50:		/* PACI */
		s->au_broken = true;
		break;
	default:
		au_nal(s, p, n);
	}
}

/* One AAC payload (RFC 3640, AU headers, no auxiliary section). */
static void
aac_payload(struct vg_rtsp *r, int si, const uint8_t *p, size_t n,
    bool gap)
{
	struct rtsp_stream *s = &r->st[si];
	struct bits b;
	size_t hdr_bits, hdr_bytes, off, sizes[64];
	int count = 0, i, hb = s->sizelength + s->indexlength;

	(void)gap;
	if (n < 2 || s->sizelength <= 0 || hb <= 0)
		return;
	hdr_bits = rd16(p);
	hdr_bytes = (hdr_bits + 7) / 8;
	if (2 + hdr_bytes > n)
		goto bad;
	b = (struct bits){ p + 2, hdr_bits, 0, false };
	while (b.pos + (size_t)s->sizelength <= hdr_bits && count < 64) {
		sizes[count] = bits_get(&b, s->sizelength);
		bits_get(&b, count == 0 ? s->indexlength :
		    s->indexdeltalength);
		count++;
	}
	off = 2 + hdr_bytes;
	if (count == 1 && sizes[0] > n - off) {
		/* a fragmented AU (rare at audio rates): not supported */
		goto bad;
	}
	for (i = 0; i < count; i++) {
		if (sizes[i] > n - off)
			goto bad;
		rtsp_emit(r, si, p + off, sizes[i],
		    rtsp_pts(s) + (int64_t)i * 1024, true);
		off += sizes[i];
	}
	return;
bad:
	s->stats.dropped_frames++;
}

/* Unwrap ts into the stream's 64-bit timeline. */
static void
rtsp_unwrap(struct vg_rtsp *r, struct rtsp_stream *s, uint32_t ts)
{
	int64_t now;

	if (!s->have_ts) {
		now = rtsp_now_us();
		if (r->t0_us == 0)
			r->t0_us = now;
		s->have_ts = true;
		s->ext_ts = ts;
		/* pts 0 is the session's first packet, so streams line up
		 * to within the network's jitter */
		s->base = (int64_t)ts -
		    (now - r->t0_us) * s->clock / 1000000;
	} else {
		s->ext_ts += (int32_t)(ts - s->last_ts);
	}
	s->last_ts = ts;
}

/* One RTP packet on stream si. */
static void
rtsp_rtp(struct vg_rtsp *r, int si, const uint8_t *p, size_t n)
{
	struct rtsp_stream *s = &r->st[si];
	size_t hlen, pad = 0;
	uint16_t seq;
	uint32_t ts;
	bool marker, gap = false;
	int lost;

	if (n < 12 || (p[0] >> 6) != 2) {
		s->stats.bad_packets++;
		return;
	}
	hlen = 12 + 4 * (size_t)(p[0] & 0x0f);
	if (p[0] & 0x10) {
		if (hlen + 4 > n)
			goto bad;
		hlen += 4 + 4 * (size_t)rd16(p + hlen + 2);
	}
	if (p[0] & 0x20)
		pad = p[n - 1];
	if (hlen + pad > n)
		goto bad;
	if ((p[1] & 0x7f) != s->pt)
		return;		/* e.g. a comfort-noise payload */
	marker = p[1] & 0x80;
	seq = rd16(p + 2);
	ts = rd32(p + 4);
	r->last_media_us = rtsp_now_us();
	s->stats.packets++;
	if (s->have_seq && seq != s->next_seq) {
		lost = (uint16_t)(seq - s->next_seq);
		if (lost >= 0x8000) {	/* old or duplicate: ignore */
			s->stats.bad_packets++;
			return;
		}
		gap = true;
		s->stats.lost_packets += (uint64_t)lost;
		log_warn("rtsp: %s: stream %d: %d RTP packet%s lost before "
		    "sequence %u", r->url, si, lost, lost == 1 ? "" : "s",
		    (unsigned)seq);
	}
	s->have_seq = true;
	s->next_seq = (uint16_t)(seq + 1);
	p += hlen;
	n -= hlen + pad;

	if (s->kind == KIND_H264 || s->kind == KIND_H265) {
		if (s->au_open && ts != s->au_ts) {
			if (gap)	/* its tail may be what was lost */
				s->au_broken = true;
			au_finish(r, si);
		} else if (s->au_open && gap) {
			s->au_broken = true;	/* lost from its middle */
		}
		rtsp_unwrap(r, s, ts);
		if (!s->au_open) {
			s->au_open = true;
			s->au_ts = ts;
			/* packets of this AU may have been lost */
			s->au_broken = gap;
		}
		if (s->kind == KIND_H264)
			h264_payload(s, p, n);
		else
			h265_payload(s, p, n);
		if (marker)
			au_finish(r, si);
		return;
	}
	rtsp_unwrap(r, s, ts);
	if (s->kind == KIND_AAC)
		aac_payload(r, si, p, n, gap);
	else if (n > 0)
		rtsp_emit(r, si, p, n, rtsp_pts(s), true);
	return;
bad:
	s->stats.bad_packets++;
}

/* An RTCP compound packet of stream si: keep the sender report. */
static void
rtsp_rtcp(struct vg_rtsp *r, int si, const uint8_t *p, size_t n)
{
	struct rtsp_stream *s = &r->st[si];
	size_t len;
	uint32_t sec, frac, ts;

	while (n >= 4) {
		len = 4 * ((size_t)rd16(p + 2) + 1);
		if ((p[0] >> 6) != 2 || len > n)
			return;
		if (p[1] == 200 && len >= 28 && s->have_ts) {
			sec = rd32(p + 8);
			frac = rd32(p + 12);
			ts = rd32(p + 16);
			s->clk.valid = true;
			s->clk.ntp_us = ((int64_t)sec - 2208988800LL) *
			    1000000 + (int64_t)(((uint64_t)frac * 1000000) >>
			    32);
			s->clk.pts = s->ext_ts + (int32_t)(ts - s->last_ts) -
			    s->base;
			(void)r;
		}
		p += len;
		n -= len;
	}
}

/* ---- the connection --------------------------------------------------- */

/* Send all of buf before the deadline; 0 or -1 (errno set). */
static int
rtsp_send_all(struct vg_rtsp *r, const char *buf, size_t len,
    int64_t deadline)
{
	struct pollfd pfd = { .fd = r->fd, .events = POLLOUT };
	ssize_t n;
	int64_t left;

	while (len > 0) {
		n = send(r->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -1;
		left = (deadline - rtsp_now_us()) / 1000;
		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			return -1;
	}
	return 0;
}

/* Read more into the buffer, waiting until the deadline: >0 bytes, 0 at
 * end of stream, -1 on error or timeout (errno ETIMEDOUT).  try_first:
 * attempt the read before polling (when data is likely waiting). */
static ssize_t
rtsp_fill(struct vg_rtsp *r, int64_t deadline, bool try_first)
{
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
	size_t space;
	ssize_t n;
	int64_t left;

	if (r->head > 0 && (r->head == r->tail ||
	    r->tail > RTSP_BUF_SIZE / 2)) {
		memmove(r->buf, r->buf + r->head, r->tail - r->head);
		r->tail -= r->head;
		r->head = 0;
	}
	if (r->tail == RTSP_BUF_SIZE) {
		errno = ENOBUFS;
		return -1;
	}
	space = RTSP_BUF_SIZE - r->tail;
	for (;;) {
		if (!try_first) {
			left = (deadline - rtsp_now_us() + 999) / 1000;
			if (left <= 0 || (r->stop != NULL && *r->stop)) {
				errno = ETIMEDOUT;
				return -1;
			}
			/* wake up now and then to see a stop request */
			n = poll(&pfd, 1, left > 200 ? 200 : (int)left);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -1;
			if (n == 0)
				continue;
		}
		try_first = false;
		n = recv(r->fd, r->buf + r->tail, space, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n > 0) {
			r->tail += (size_t)n;
			r->drained = (size_t)n < space;
		}
		return n;
	}
}

/* Parse url into host and port (host allocated). */
static int
rtsp_parse_url(const char *url, char **host, char **port)
{
	const char *p, *e, *h, *c;

	if (strncasecmp(url, "rtsp://", 7) != 0)
		return -1;
	p = url + 7;
	e = p + strcspn(p, "/?#");
	if (memchr(p, '@', (size_t)(e - p)) != NULL)
		return -1;	/* credentials go in opts, not the URL */
	if (*p == '[') {
		h = memchr(p, ']', (size_t)(e - p));
		if (h == NULL)
			return -1;
		*host = xstrndup(p + 1, (size_t)(h - p - 1));
		c = h + 1;
	} else {
		c = memchr(p, ':', (size_t)(e - p));
		*host = xstrndup(p, (size_t)((c ? c : e) - p));
		if (c == NULL)
			c = e;
	}
	if (c < e && *c == ':' && c + 1 < e)
		*port = xstrndup(c + 1, (size_t)(e - c - 1));
	else
		*port = xstrdup("554");
	if (**host == '\0') {
		free(*host);
		free(*port);
		return -1;
	}
	return 0;
}

/* A name being resolved by a helper thread (getaddrinfo has no
 * deadline): whoever lets go of it last frees it. */
struct rtsp_gai {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int refs;
	bool done;
	char *host, *port;
	struct addrinfo hints, *ai;
	int rc;
};

static void
rtsp_gai_unref(struct rtsp_gai *g)
{
	bool last;

	pthread_mutex_lock(&g->lock);
	last = --g->refs == 0;
	pthread_mutex_unlock(&g->lock);
	if (!last)
		return;
	if (g->ai != NULL)
		freeaddrinfo(g->ai);
	free(g->host);
	free(g->port);
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->cond);
	free(g);
}

static void *
rtsp_gai_main(void *arg)
{
	struct rtsp_gai *g = arg;
	struct addrinfo *ai = NULL;
	int rc;

	rc = getaddrinfo(g->host, g->port, &g->hints, &ai);
	pthread_mutex_lock(&g->lock);
	g->rc = rc;
	g->ai = ai;
	g->done = true;
	pthread_cond_signal(&g->cond);
	pthread_mutex_unlock(&g->lock);
	rtsp_gai_unref(g);
	return NULL;
}

/* getaddrinfo() within the deadline (and a stop request): an address
 * at once; a name in a helper thread, abandoned to finish alone if it
 * takes too long (EAI_AGAIN then). */
static int
rtsp_resolve(const char *host, const char *port,
    const struct addrinfo *hints, int64_t deadline,
    const volatile int *stop, struct addrinfo **res)
{
	struct addrinfo h = *hints;
	struct rtsp_gai *g;
	pthread_attr_t attr;
	pthread_t t;
	struct timespec ts;
	int64_t until;
	int rc;

	*res = NULL;
	h.ai_flags |= AI_NUMERICHOST;
	if (getaddrinfo(host, port, &h, res) == 0)
		return 0;
	*res = NULL;
	g = xcalloc(1, sizeof *g);
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->cond, NULL);
	g->refs = 2;
	g->host = xstrdup(host);
	g->port = xstrdup(port);
	g->hints = *hints;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, rtsp_gai_main, g) != 0) {
		pthread_attr_destroy(&attr);
		g->refs = 1;
		rtsp_gai_unref(g);
		return getaddrinfo(host, port, hints, res);
	}
	pthread_attr_destroy(&attr);
	pthread_mutex_lock(&g->lock);
	while (!g->done && rtsp_now_us() < deadline && !(stop != NULL &&
	    *stop)) {
		/* a look at the stop request every 200 ms */
		until = rtsp_now_us() + 200000;
		if (until > deadline)
			until = deadline;
		clock_gettime(CLOCK_REALTIME, &ts);
		until = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000 +
		    (until - rtsp_now_us());
		ts.tv_sec = (time_t)(until / 1000000);
		ts.tv_nsec = (long)(until % 1000000) * 1000;
		pthread_cond_timedwait(&g->cond, &g->lock, &ts);
	}
	if (g->done) {
		rc = g->rc;
		*res = g->ai;
		g->ai = NULL;
	} else
		rc = EAI_AGAIN;
	pthread_mutex_unlock(&g->lock);
	rtsp_gai_unref(g);
	return rc;
}

/* Connect with a deadline. */
static int
rtsp_connect(struct vg_rtsp *r, enum vg_source_fail *why, char **cause)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL, *a;
	char *host = NULL, *port = NULL;
	int64_t deadline = rtsp_now_us() + (int64_t)r->timeout_ms * 1000;
	int err = -1, e = 0, fd, one = 1, rc;
	socklen_t elen;

	if (rtsp_parse_url(r->url, &host, &port) != 0)
		return rtsp_fail(why, cause, VG_SOURCE_PROTO,
		    "%s: not an rtsp://host[:port]/path URL", r->url);
	r->host = xstrdup(host);
	hints.ai_flags = AI_ADDRCONFIG;
	rc = rtsp_resolve(host, port, &hints, deadline, r->stop, &ai);
	if (rc != 0) {
		err = rtsp_fail(why, cause, VG_SOURCE_REFUSED,
		    "%s: cannot resolve %s: %s", r->url, host,
		    gai_strerror(rc));
		goto out;
	}
	for (a = ai; a != NULL; a = a->ai_next) {
		struct pollfd pfd;
		int64_t left;

		fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0) {
			e = errno;
			continue;
		}
		if (connect(fd, a->ai_addr, a->ai_addrlen) != 0 &&
		    errno != EINPROGRESS) {
			e = errno;
			close(fd);
			continue;
		}
		pfd = (struct pollfd){ .fd = fd, .events = POLLOUT };
		left = (deadline - rtsp_now_us()) / 1000;
		rc = left > 0 ? poll(&pfd, 1, (int)left) : 0;
		if (rc <= 0) {
			e = ETIMEDOUT;
			close(fd);
			break;
		}
		elen = sizeof e;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen) != 0 ||
		    e != 0) {
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		r->fd = fd;
		err = 0;
		break;
	}
	if (err != 0)
		err = rtsp_fail(why, cause, e == ETIMEDOUT ? VG_SOURCE_TIMEOUT :
		    VG_SOURCE_REFUSED, "%s: cannot connect to %s port %s: %s",
		    r->url, host, port, strerror(e ? e : ECONNREFUSED));
out:
	if (ai != NULL)
		freeaddrinfo(ai);
	free(host);
	free(port);
	return err;
}

/* The value of header name in a reply (a pointer into it, up to \r), or
 * NULL; *len its length.  nth: which occurrence (0 the first). */
static const char *
rtsp_header(const struct rtsp_reply *rep, const char *name, int nth,
    size_t *len)
{
	const char *p = rep->headers, *e;
	size_t nl = strlen(name);

	while (p != NULL && *p != '\0') {
		e = strstr(p, "\r\n");
		if (e == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) > nl && strncasecmp(p, name, nl) == 0 &&
		    p[nl] == ':' && nth-- == 0) {
			p += nl + 1;
			while (p < e && (*p == ' ' || *p == '\t'))
				p++;
			*len = (size_t)(e - p);
			return p;
		}
		p = *e ? e + 2 : e;
	}
	return NULL;
}

/* An allocated copy of header name, or NULL. */
static char *
rtsp_header_dup(const struct rtsp_reply *rep, const char *name)
{
	size_t len;
	const char *v = rtsp_header(rep, name, 0, &len);

	return v != NULL ? xstrndup(v, len) : NULL;
}

static void
rtsp_reply_free(struct rtsp_reply *rep)
{
	free(rep->headers);
	free(rep->body);
	memset(rep, 0, sizeof *rep);
}

/* If buf[head..tail) starts with a whole RTSP message, parse it into rep
 * (if not NULL) and consume it: 1; 0 if more bytes are needed; -1 if it
 * is malformed. */
static int
rtsp_take_message(struct vg_rtsp *r, struct rtsp_reply *rep)
{
	const char *p = (const char *)r->buf + r->head, *end;
	size_t avail = r->tail - r->head, hlen, clen = 0;
	char *hdrs;
	const char *v;
	size_t vlen;
	struct rtsp_reply tmp = { 0 };

	end = memmem(p, avail, "\r\n\r\n", 4);
	if (end == NULL)
		return avail > RTSP_MAX_HEADER ? -1 : 0;
	hlen = (size_t)(end - p) + 4;
	hdrs = xstrndup(p, hlen - 2);
	if (memchr(hdrs, '\0', hlen - 2) != NULL) {
		free(hdrs);
		return -1;
	}
	tmp.headers = hdrs;
	v = rtsp_header(&tmp, "Content-Length", 0, &vlen);
	if (v != NULL) {
		char *e;
		unsigned long n = strtoul(v, &e, 10);

		if (e == v || n > RTSP_MAX_BODY) {
			free(hdrs);
			return -1;
		}
		clen = n;
	}
	if (avail < hlen + clen) {
		free(hdrs);
		return 0;
	}
	if (strncmp(p, "RTSP/1.", 7) == 0 && hlen > 12)
		tmp.status = atoi(p + 9);
	else
		tmp.status = 0;	/* a request from the server */
	/* headers start after the first line */
	{
		char *nl = strstr(hdrs, "\r\n");

		memmove(hdrs, nl + 2, strlen(nl + 2) + 1);
	}
	tmp.body = xmalloc(clen + 1);
	memcpy(tmp.body, p + hlen, clen);
	tmp.body[clen] = '\0';
	tmp.body_len = clen;
	r->head += hlen + clen;
	if (rep != NULL)
		*rep = tmp;
	else
		rtsp_reply_free(&tmp);
	return 1;
}

/* Skip one interleaved frame at the head if whole: 1, 0 need more. */
static int
rtsp_skip_frame(struct vg_rtsp *r)
{
	size_t avail = r->tail - r->head;

	if (avail < 4)
		return 0;
	if (avail < 4 + (size_t)rd16(r->buf + r->head + 2))
		return 0;
	r->head += 4 + rd16(r->buf + r->head + 2);
	return 1;
}

/* The Authorization header line for method and uri ("" if none). */
static char *
rtsp_auth_line(struct vg_rtsp *r, const char *method, const char *uri)
{
	char *s, *a1, ha1[33], ha2[33], resp[33], cnonce[17];
	unsigned char rnd[8];
	char *line = NULL;
	int i;

	if (r->user == NULL)
		return xstrdup("");
	if (r->digest) {
		xasprintf(&a1, "%s:%s:%s", r->user, r->realm ? r->realm : "",
		    r->password ? r->password : "");
		rtsp_md5_hex(a1, ha1);
		OPENSSL_cleanse(a1, strlen(a1));
		free(a1);
		xasprintf(&s, "%s:%s", method, uri);
		rtsp_md5_hex(s, ha2);
		free(s);
		if (r->qop_auth) {
			RAND_bytes(rnd, sizeof rnd);
			for (i = 0; i < 8; i++)
				snprintf(cnonce + 2 * i, 3, "%02x", rnd[i]);
			r->nc++;
			xasprintf(&s, "%s:%s:%08x:%s:auth:%s", ha1, r->nonce,
			    r->nc, cnonce, ha2);
			rtsp_md5_hex(s, resp);
			free(s);
			xasprintf(&line, "Authorization: Digest username=\"%s\", "
			    "realm=\"%s\", nonce=\"%s\", uri=\"%s\", "
			    "response=\"%s\", qop=auth, nc=%08x, "
			    "cnonce=\"%s\"%s%s%s\r\n", r->user, r->realm,
			    r->nonce, uri, resp, r->nc, cnonce,
			    r->opaque ? ", opaque=\"" : "",
			    r->opaque ? r->opaque : "", r->opaque ? "\"" : "");
		} else {
			xasprintf(&s, "%s:%s:%s", ha1, r->nonce, ha2);
			rtsp_md5_hex(s, resp);
			free(s);
			xasprintf(&line, "Authorization: Digest username=\"%s\", "
			    "realm=\"%s\", nonce=\"%s\", uri=\"%s\", "
			    "response=\"%s\"%s%s%s\r\n", r->user, r->realm,
			    r->nonce, uri, resp,
			    r->opaque ? ", opaque=\"" : "",
			    r->opaque ? r->opaque : "", r->opaque ? "\"" : "");
		}
		OPENSSL_cleanse(ha1, sizeof ha1);
		return line;
	}
	if (r->basic) {
		char *plain;
		unsigned char *b64;
		size_t n;

		xasprintf(&plain, "%s:%s", r->user,
		    r->password ? r->password : "");
		n = strlen(plain);
		b64 = xmalloc(4 * ((n + 2) / 3) + 1);
		EVP_EncodeBlock(b64, (unsigned char *)plain, (int)n);
		xasprintf(&line, "Authorization: Basic %s\r\n", b64);
		OPENSSL_cleanse(plain, n);
		OPENSSL_cleanse(b64, strlen((char *)b64));
		free(plain);
		free(b64);
		return line;
	}
	return xstrdup("");
}

/* A parameter of a WWW-Authenticate value (allocated) or NULL. */
static char *
rtsp_auth_param(const char *v, size_t len, const char *name)
{
	size_t nl = strlen(name), i = 0;
	const char *s;

	while (i + nl < len) {
		if (strncasecmp(v + i, name, nl) == 0 && v[i + nl] == '=' &&
		    (i == 0 || v[i - 1] == ' ' || v[i - 1] == ',' ||
		    v[i - 1] == '\t')) {
			s = v + i + nl + 1;
			if (*s == '"') {
				const char *e = memchr(s + 1, '"',
				    len - (size_t)(s + 1 - v));

				return e ? xstrndup(s + 1, (size_t)(e - s - 1)) :
				    NULL;
			}
			return xstrndup(s, strcspn(s, ", \t\r"));
		}
		i++;
	}
	return NULL;
}

/* Take the challenge of a 401; false if there is none we can answer. */
static bool
rtsp_take_challenge(struct vg_rtsp *r, const struct rtsp_reply *rep)
{
	const char *v;
	size_t len;
	int i;

	r->digest = r->basic = false;
	for (i = 0; (v = rtsp_header(rep, "WWW-Authenticate", i, &len)) !=
	    NULL; i++) {
		if (len > 7 && strncasecmp(v, "Digest ", 7) == 0) {
			char *alg = rtsp_auth_param(v, len, "algorithm");
			char *qop = rtsp_auth_param(v, len, "qop");

			if (alg != NULL && strcasecmp(alg, "MD5") != 0) {
				free(alg);
				free(qop);
				continue;
			}
			free(alg);
			free(r->realm);
			free(r->nonce);
			free(r->opaque);
			r->realm = rtsp_auth_param(v, len, "realm");
			r->nonce = rtsp_auth_param(v, len, "nonce");
			r->opaque = rtsp_auth_param(v, len, "opaque");
			r->qop_auth = false;
			/* qop is a list: "auth", "auth,auth-int", ... */
			for (const char *q = qop; q != NULL && *q != '\0';) {
				size_t tl;

				q += strspn(q, " ,\t");
				tl = strcspn(q, " ,\t");
				if (tl == 4 && strncasecmp(q, "auth", 4) == 0)
					r->qop_auth = true;
				q += tl;
			}
			free(qop);
			r->nc = 0;
			if (r->nonce == NULL)
				continue;
			r->digest = true;
			return true;
		}
		if (len >= 5 && strncasecmp(v, "Basic", 5) == 0)
			r->basic = true;
	}
	return r->basic;
}

/* Send a request and wait for its reply (skipping interleaved frames),
 * retrying once after a 401 with credentials.  extra: more header lines.
 * 0 with *rep filled (any status), or -1 with *why and *cause. */
static int
rtsp_request(struct vg_rtsp *r, const char *method, const char *uri,
    const char *extra, struct rtsp_reply *rep, enum vg_source_fail *why,
    char **cause)
{
	int64_t deadline;
	char *req, *auth, *sess = NULL;
	int attempt, rc;
	ssize_t n;

	for (attempt = 0; attempt < 3; attempt++) {
		deadline = rtsp_now_us() + (int64_t)r->timeout_ms * 1000;
		auth = rtsp_auth_line(r, method, uri);
		if (r->session != NULL)
			xasprintf(&sess, "Session: %s\r\n", r->session);
		xasprintf(&req, "%s %s RTSP/1.0\r\nCSeq: %d\r\n"
		    "User-Agent: vigia/" PACKAGE_VERSION "\r\n%s%s%s\r\n",
		    method, uri, ++r->cseq, auth, sess ? sess : "",
		    extra ? extra : "");
		rc = rtsp_send_all(r, req, strlen(req), deadline);
		OPENSSL_cleanse(req, strlen(req));
		free(req);
		OPENSSL_cleanse(auth, strlen(auth));
		free(auth);
		free(sess);
		sess = NULL;
		if (rc != 0)
			return rtsp_fail(why, cause, errno == ETIMEDOUT ?
			    VG_SOURCE_TIMEOUT : VG_SOURCE_CLOSED,
			    "%s: %s: cannot send: %s", r->url, method,
			    strerror(errno));
		for (;;) {
			if (r->tail > r->head && r->buf[r->head] == '$') {
				if (rtsp_skip_frame(r))
					continue;
			} else if (r->tail > r->head) {
				rc = rtsp_take_message(r, rep);
				if (rc < 0)
					return rtsp_fail(why, cause,
					    VG_SOURCE_PROTO, "%s: %s: a "
					    "malformed reply", r->url, method);
				if (rc > 0 && rep->status == 0) {
					rtsp_reply_free(rep);
					continue;	/* server request */
				}
				if (rc > 0)
					break;
			}
			n = rtsp_fill(r, deadline, false);
			if (n == 0)
				return rtsp_fail(why, cause, VG_SOURCE_CLOSED,
				    "%s: %s: the camera closed the "
				    "connection", r->url, method);
			if (n < 0)
				return rtsp_fail(why, cause, errno ==
				    ETIMEDOUT ? VG_SOURCE_TIMEOUT :
				    VG_SOURCE_PROTO, "%s: %s: no reply: %s",
				    r->url, method, strerror(errno));
		}
		if (rep->status != 401)
			return 0;
		if (r->user == NULL || attempt > 0 ||
		    !rtsp_take_challenge(r, rep)) {
			/* a second 401 with a stale nonce gets one more try */
			size_t len;
			const char *v = rtsp_header(rep, "WWW-Authenticate", 0,
			    &len);
			char *stale = v ? rtsp_auth_param(v, len, "stale") :
			    NULL;
			bool again = r->user != NULL && attempt == 1 &&
			    stale != NULL && strcasecmp(stale, "true") == 0 &&
			    rtsp_take_challenge(r, rep);

			free(stale);
			if (!again)
				return rtsp_fail(why, cause, VG_SOURCE_AUTH,
				    "%s: %s: the camera refused the %s (401)",
				    r->url, method, r->user == NULL ?
				    "anonymous request" :
				    "user name or password");
		}
		rtsp_reply_free(rep);
	}
	return rtsp_fail(why, cause, VG_SOURCE_AUTH,
	    "%s: %s: the camera refused the user name or password (401)",
	    r->url, method);
}

/* Classify a non-2xx status. */
static int
rtsp_status_fail(struct vg_rtsp *r, const char *method, int status,
    enum vg_source_fail *why, char **cause)
{
	enum vg_source_fail w = VG_SOURCE_PROTO;

	if (status == 401 || status == 403)
		w = VG_SOURCE_AUTH;
	else if (status == 404)
		w = VG_SOURCE_NOTFOUND;
	else if (status == 454)
		w = VG_SOURCE_CLOSED;
	else if (status == 461 || status == 415 || status == 501)
		w = VG_SOURCE_UNSUPPORTED;
	return rtsp_fail(why, cause, w, "%s: %s: the camera answered %d",
	    r->url, method, status);
}

/* ---- SDP -------------------------------------------------------------- */

/* The value of key in an fmtp parameter list (allocated) or NULL. */
static char *
fmtp_get(const char *fmtp, const char *key)
{
	size_t kl = strlen(key);
	const char *p = fmtp;

	while (p != NULL && *p) {
		while (*p == ' ' || *p == ';')
			p++;
		if (strncasecmp(p, key, kl) == 0 && p[kl] == '=') {
			p += kl + 1;
			return xstrndup(p, strcspn(p, "; \r\n"));
		}
		p = strchr(p, ';');
	}
	return NULL;
}

/* Append the parameter sets of a comma-separated base64 list to the
 * extradata of par, each behind a start code (as libavformat does). */
static void
sdp_add_sprop(AVCodecParameters *par, const char *list, enum rtsp_kind k)
{
	const char *p = list;
	uint8_t *nal;
	size_t len;
	int n;

	while (p != NULL && *p) {
		len = strcspn(p, ",");
		nal = xmalloc(len * 3 / 4 + 4);
		n = rtsp_b64_decode(p, len, nal);
		if (n > 0) {
			uint8_t *ed = av_realloc(par->extradata,
			    (size_t)par->extradata_size + 4 + (size_t)n +
			    AV_INPUT_BUFFER_PADDING_SIZE);

			if (ed == NULL)
				fatalx("rtsp: out of memory");
			memcpy(ed + par->extradata_size, start_code, 4);
			memcpy(ed + par->extradata_size + 4, nal, (size_t)n);
			par->extradata = ed;
			par->extradata_size += 4 + n;
			memset(ed + par->extradata_size, 0,
			    AV_INPUT_BUFFER_PADDING_SIZE);
			if (k == KIND_H264 && (nal[0] & 0x1f) == 7)
				h264_parse_sps(nal, (size_t)n, par);
			if (k == KIND_H265 && ((nal[0] >> 1) & 0x3f) == 33)
				h265_parse_sps(nal, (size_t)n, par);
		}
		free(nal);
		p += len;
		if (*p == ',')
			p++;
	}
}

/* AAC AudioSpecificConfig from the hex config into par. */
static bool
sdp_aac_config(AVCodecParameters *par, const char *hex)
{
	size_t n = strlen(hex) / 2, i;
	uint8_t *ed;

	if (n == 0 || n > 64)
		return false;
	ed = av_mallocz(n + AV_INPUT_BUFFER_PADDING_SIZE);
	if (ed == NULL)
		fatalx("rtsp: out of memory");
	for (i = 0; i < n; i++) {
		unsigned v;

		if (sscanf(hex + 2 * i, "%2x", &v) != 1) {
			av_free(ed);
			return false;
		}
		ed[i] = (uint8_t)v;
	}
	par->extradata = ed;
	par->extradata_size = (int)n;
	return true;
}

/* Resolve a control attribute against base (allocated). */
static char *
sdp_control_url(const char *base, const char *control)
{
	char *u;
	size_t bl;

	if (control == NULL || *control == '\0' || strcmp(control, "*") == 0)
		return xstrdup(base);
	if (strncasecmp(control, "rtsp://", 7) == 0)
		return xstrdup(control);
	bl = strlen(base);
	xasprintf(&u, "%s%s%s", base, bl > 0 && base[bl - 1] == '/' ? "" : "/",
	    control);
	return u;
}

/* One m= section being read. */
struct sdp_media {
	enum AVMediaType type;
	int pts[16], npts;	/* payload types offered */
	char *rtpmap[16];	/* "H264/90000" etc., per pts[] */
	char *fmtp[16];
	char *control;
};

static void
sdp_media_clear(struct sdp_media *m)
{
	int i;

	for (i = 0; i < 16; i++) {
		free(m->rtpmap[i]);
		free(m->fmtp[i]);
	}
	free(m->control);
	memset(m, 0, sizeof *m);
}

/* Turn a finished m= section into a stream if we can read it. */
static void
sdp_media_done(struct vg_rtsp *r, struct sdp_media *m, const char *base)
{
	struct rtsp_stream *s;
	AVCodecParameters *par;
	int i, rate, chans;
	char enc[32];
	enum rtsp_kind kind;
	char *v;

	if (m->type != AVMEDIA_TYPE_VIDEO && m->type != AVMEDIA_TYPE_AUDIO)
		return;
	for (i = 0; i < m->npts && r->nst < RTSP_MAX_STREAMS; i++) {
		rate = 0;
		chans = 1;
		enc[0] = '\0';
		if (m->rtpmap[i] != NULL)
			sscanf(m->rtpmap[i], "%31[^/]/%d/%d", enc, &rate,
			    &chans);
		if (strcasecmp(enc, "H264") == 0)
			kind = KIND_H264;
		else if (strcasecmp(enc, "H265") == 0)
			kind = KIND_H265;
		else if (strcasecmp(enc, "MPEG4-GENERIC") == 0)
			kind = KIND_AAC;
		else if (strcasecmp(enc, "PCMU") == 0 ||
		    (enc[0] == '\0' && m->pts[i] == 0))
			kind = KIND_PCMU;
		else if (strcasecmp(enc, "PCMA") == 0 ||
		    (enc[0] == '\0' && m->pts[i] == 8))
			kind = KIND_PCMA;
		else
			continue;
		if ((kind <= KIND_H265) != (m->type == AVMEDIA_TYPE_VIDEO))
			continue;
		if (kind == KIND_PCMU || kind == KIND_PCMA) {
			if (rate <= 0)
				rate = 8000;
		}
		if (rate <= 0 || rate > 1000000 || chans < 1 || chans > 8)
			continue;
		s = &r->st[r->nst];
		memset(s, 0, sizeof *s);
		par = avcodec_parameters_alloc();
		if (par == NULL)
			fatalx("rtsp: out of memory");
		s->kind = kind;
		s->pt = m->pts[i];
		s->clock = rate;
		s->pub.type = m->type;
		s->pub.par = par;
		s->pub.time_base = (AVRational){ 1, rate };
		par->codec_type = m->type;
		switch (kind) {
		case KIND_H264:
		case KIND_H265:
			par->codec_id = kind == KIND_H264 ? AV_CODEC_ID_H264 :
			    AV_CODEC_ID_HEVC;
			if (kind == KIND_H264 && m->fmtp[i] != NULL &&
			    (v = fmtp_get(m->fmtp[i], "packetization-mode")) !=
			    NULL) {
				int mode = atoi(v);

				free(v);
				if (mode > 1) {
					log_warn("rtsp: %s: H.264 "
					    "packetization-mode %d is not "
					    "supported", r->url, mode);
					avcodec_parameters_free(&s->pub.par);
					continue;
				}
			}
			if (kind == KIND_H264 && m->fmtp[i] != NULL &&
			    (v = fmtp_get(m->fmtp[i],
			    "sprop-parameter-sets")) != NULL) {
				sdp_add_sprop(par, v, kind);
				free(v);
			}
			if (kind == KIND_H265 && m->fmtp[i] != NULL) {
				static const char *const keys[] = {
					"sprop-vps", "sprop-sps", "sprop-pps",
					"sprop-sei" };
				size_t k;

				for (k = 0; k < 4; k++) {
					v = fmtp_get(m->fmtp[i], keys[k]);
					if (v != NULL)
						sdp_add_sprop(par, v, kind);
					free(v);
				}
			}
			break;
		case KIND_AAC:
			par->codec_id = AV_CODEC_ID_AAC;
			par->sample_rate = rate;
			av_channel_layout_default(&par->ch_layout, chans);
			v = m->fmtp[i] ? fmtp_get(m->fmtp[i], "mode") : NULL;
			if (v == NULL || strncasecmp(v, "AAC-", 4) != 0) {
				free(v);
				avcodec_parameters_free(&s->pub.par);
				continue;
			}
			free(v);
			v = fmtp_get(m->fmtp[i], "config");
			if (v == NULL || !sdp_aac_config(par, v)) {
				free(v);
				avcodec_parameters_free(&s->pub.par);
				continue;
			}
			free(v);
			v = fmtp_get(m->fmtp[i], "sizelength");
			s->sizelength = v ? atoi(v) : 0;
			free(v);
			v = fmtp_get(m->fmtp[i], "indexlength");
			s->indexlength = v ? atoi(v) : 0;
			free(v);
			v = fmtp_get(m->fmtp[i], "indexdeltalength");
			s->indexdeltalength = v ? atoi(v) : 0;
			free(v);
			if (s->sizelength < 1 || s->sizelength > 16 ||
			    s->indexlength < 0 || s->indexlength > 16 ||
			    s->indexdeltalength < 0 ||
			    s->indexdeltalength > 16) {
				avcodec_parameters_free(&s->pub.par);
				continue;
			}
			break;
		case KIND_PCMU:
		case KIND_PCMA:
			par->codec_id = kind == KIND_PCMU ?
			    AV_CODEC_ID_PCM_MULAW : AV_CODEC_ID_PCM_ALAW;
			par->sample_rate = rate;
			av_channel_layout_default(&par->ch_layout, chans);
			par->bits_per_coded_sample = 8;
			break;
		}
		s->control = sdp_control_url(base, m->control);
		r->nst++;
		return;
	}
}

/* Parse the SDP of DESCRIBE into streams. */
static void
sdp_parse(struct vg_rtsp *r, const char *sdp)
{
	struct sdp_media m = { .type = AVMEDIA_TYPE_UNKNOWN };
	char *session_control = NULL, *base;
	const char *p = sdp, *e;
	char line[4096], media[16];
	bool in_media = false;
	int i, pt;

	base = xstrdup(r->base);
	while (*p) {
		e = p + strcspn(p, "\r\n");
		snprintf(line, sizeof line, "%.*s", (int)(e - p), p);
		p = e + strspn(e, "\r\n");
		if (strncmp(line, "m=", 2) == 0) {
			if (in_media)
				sdp_media_done(r, &m, base);
			sdp_media_clear(&m);
			in_media = true;
			m.type = AVMEDIA_TYPE_DATA;
			if (sscanf(line, "m=%15s", media) == 1) {
				if (strcmp(media, "video") == 0)
					m.type = AVMEDIA_TYPE_VIDEO;
				else if (strcmp(media, "audio") == 0)
					m.type = AVMEDIA_TYPE_AUDIO;
			}
			/* m=<media> <port> <proto> <fmt> ... */
			{
				const char *f = line;
				int sp = 0;

				while (*f && sp < 3)
					if (*f++ == ' ')
						sp++;
				while (*f && m.npts < 16) {
					char *end;
					long v = strtol(f, &end, 10);

					if (end == f)
						break;
					if (v >= 0 && v < 128)
						m.pts[m.npts++] = (int)v;
					f = end + strspn(end, " ");
				}
			}
		} else if (strncmp(line, "a=control:", 10) == 0) {
			if (in_media) {
				free(m.control);
				m.control = xstrdup(line + 10);
			} else {
				free(session_control);
				session_control = xstrdup(line + 10);
			}
		} else if (in_media && (strncmp(line, "a=rtpmap:", 9) == 0 ||
		    strncmp(line, "a=fmtp:", 7) == 0)) {
			bool map = line[2] == 'r';
			const char *v = line + (map ? 9 : 7);
			char *end;

			pt = (int)strtol(v, &end, 10);
			if (end == v)
				continue;
			end += strspn(end, " ");
			for (i = 0; i < m.npts; i++) {
				char **slot = map ? &m.rtpmap[i] : &m.fmtp[i];

				if (m.pts[i] != pt)
					continue;
				free(*slot);
				*slot = xstrdup(end);
			}
		}
	}
	if (in_media)
		sdp_media_done(r, &m, base);
	sdp_media_clear(&m);
	if (session_control != NULL) {
		char *u = sdp_control_url(r->base, session_control);

		free(r->base);
		r->base = u;
		free(session_control);
	}
	free(base);
}

/* ---- the session ------------------------------------------------------ */

/* Session id and timeout from a reply. */
static void
rtsp_take_session(struct vg_rtsp *r, const struct rtsp_reply *rep)
{
	size_t len;
	const char *v = rtsp_header(rep, "Session", 0, &len);
	const char *t;

	if (v == NULL)
		return;
	free(r->session);
	r->session = xstrndup(v, strcspn(v, ";\r\n"));
	if (strlen(r->session) > len)
		r->session[len] = '\0';
	t = strstr(v, "timeout=");
	if (t != NULL && (size_t)(t - v) < len) {
		int n = atoi(t + 8);

		if (n > 0 && n < 3600)
			r->session_timeout = n;
	}
}

/* Extract SPS, PPS (and VPS) from a keyframe into empty extradata. */
static void
rtsp_extradata_from_au(struct rtsp_stream *s, const uint8_t *p, size_t n)
{
	AVCodecParameters *par = s->pub.par;
	size_t i = 0, start, end;
	int t;

	while (i + 4 <= n) {
		if (memcmp(p + i, start_code, 4) != 0) {
			i++;
			continue;
		}
		start = i + 4;
		end = start;
		while (end + 4 <= n && memcmp(p + end, start_code, 4) != 0)
			end++;
		if (end + 4 > n)
			end = n;
		if (end > start) {
			bool ps;

			if (s->kind == KIND_H264) {
				t = p[start] & 0x1f;
				ps = t == 7 || t == 8;
			} else {
				t = (p[start] >> 1) & 0x3f;
				ps = t >= 32 && t <= 34;
			}
			if (ps) {
				uint8_t *ed = av_realloc(par->extradata,
				    (size_t)par->extradata_size + 4 +
				    (end - start) +
				    AV_INPUT_BUFFER_PADDING_SIZE);

				if (ed == NULL)
					fatalx("rtsp: out of memory");
				memcpy(ed + par->extradata_size, p + i,
				    end - i);
				par->extradata = ed;
				par->extradata_size += (int)(end - i);
				memset(ed + par->extradata_size, 0,
				    AV_INPUT_BUFFER_PADDING_SIZE);
				if (s->kind == KIND_H264 && t == 7)
					h264_parse_sps(p + start, end - start,
					    par);
				if (s->kind == KIND_H265 && t == 33)
					h265_parse_sps(p + start, end - start,
					    par);
			}
		}
		i = end;
	}
}

/* Parse what is buffered: RTP/RTCP frames and RTSP messages, until upto
 * packets are queued or more bytes are needed.  0, or -1 (broken). */
static int
rtsp_parse_buffer(struct vg_rtsp *r, int upto, enum vg_source_fail *why,
    char **cause)
{
	struct rtsp_reply rep;
	size_t avail, len;
	const uint8_t *p;
	int ch, i, rc;

	while (r->qlen < upto && (avail = r->tail - r->head) > 0) {
		p = r->buf + r->head;
		if (p[0] == '$') {
			if (avail < 4)
				break;
			len = rd16(p + 2);
			if (avail < 4 + len)
				break;
			ch = p[1];
			for (i = 0; i < r->nst; i++) {
				if (ch == r->st[i].channel) {
					rtsp_rtp(r, i, p + 4, len);
					break;
				}
				if (ch == r->st[i].channel + 1) {
					rtsp_rtcp(r, i, p + 4, len);
					break;
				}
			}
			if (i == r->nst)
				r->unknown_channel_frames++;
			r->head += 4 + len;
			continue;
		}
		if (p[0] == 'R' || (p[0] >= 'A' && p[0] <= 'Z')) {
			rc = rtsp_take_message(r, &rep);
			if (rc == 0)
				break;
			if (rc > 0) {
				if (rep.status == 454 || rep.status == 408) {
					rtsp_reply_free(&rep);
					return rtsp_fail(why, cause,
					    VG_SOURCE_CLOSED, "%s: the camera "
					    "ended the session", r->url);
				}
				rtsp_reply_free(&rep);
				continue;
			}
		}
		/* garbage: resynchronise at the next '$' */
		{
			const uint8_t *d = memchr(p + 1, '$', avail - 1);

			r->head = d ? (size_t)(d - r->buf) : r->tail;
			if (r->head == r->tail)
				r->head = r->tail;
		}
		for (i = 0; i < r->nst; i++)
			r->st[i].stats.bad_packets++;
		log_warn("rtsp: %s: skipped bytes that are neither RTP nor "
		    "RTSP", r->url);
	}
	return 0;
}

/* Send a keep-alive if it is due (no reply is awaited: it comes between
 * the media frames and is skipped there). */
static int
rtsp_keepalive(struct vg_rtsp *r, int64_t now, enum vg_source_fail *why,
    char **cause)
{
	char *req, *auth;
	const char *method = r->get_parameter ? "GET_PARAMETER" : "OPTIONS";
	int rc;

	if (now < r->next_keepalive_us)
		return 0;
	r->next_keepalive_us = now + (int64_t)r->session_timeout * 500000;
	auth = rtsp_auth_line(r, method, r->base);
	xasprintf(&req, "%s %s RTSP/1.0\r\nCSeq: %d\r\n"
	    "User-Agent: vigia/" PACKAGE_VERSION "\r\n%sSession: %s\r\n\r\n",
	    method, r->base, ++r->cseq, auth, r->session ? r->session : "");
	rc = rtsp_send_all(r, req, strlen(req),
	    now + (int64_t)r->timeout_ms * 1000);
	OPENSSL_cleanse(req, strlen(req));
	free(req);
	OPENSSL_cleanse(auth, strlen(auth));
	free(auth);
	if (rc != 0)
		return rtsp_fail(why, cause, VG_SOURCE_CLOSED,
		    "%s: keep-alive: %s", r->url, strerror(errno));
	return 0;
}

/* The socket's next bytes, waiting at most until the stall deadline or
 * the next keep-alive.  Batched: once the socket was drained, the next
 * read waits until batch_us after it, so that one recv takes what a whole
 * interval brought (the kernel buffers it) and the thread wakes a few
 * times a second instead of once a packet.  0, or -1. */
static int
rtsp_wait_input(struct vg_rtsp *r, enum vg_source_fail *why, char **cause)
{
	int64_t now = rtsp_now_us(), stall, wake, until;
	bool try_first = !r->drained;
	struct timespec ts;
	ssize_t n;

	if (rtsp_keepalive(r, now, why, cause) != 0)
		return -1;
	stall = r->last_media_us + (int64_t)r->timeout_ms * 1000;
	if (now >= stall)
		return rtsp_fail(why, cause, VG_SOURCE_TIMEOUT,
		    "%s: no media for %d ms (stalled)", r->url,
		    r->timeout_ms);
	wake = stall < r->next_keepalive_us ? stall : r->next_keepalive_us;
	if (r->batch_us > 0 && r->drained) {
		until = r->last_fill_us + r->batch_us;
		if (until > wake)
			until = wake;
		if (until > now) {
			ts.tv_sec = (until - now) / 1000000;
			ts.tv_nsec = (long)((until - now) % 1000000) * 1000;
			nanosleep(&ts, NULL);
			try_first = true;
		}
	}
	r->last_fill_us = rtsp_now_us();
	n = rtsp_fill(r, wake, try_first);
	if (n > 0)
		return 0;
	if (n == 0)
		return rtsp_fail(why, cause, VG_SOURCE_CLOSED,
		    "%s: the camera closed the connection", r->url);
	if (errno == ETIMEDOUT)
		return 0;	/* the loop checks stall and keep-alive */
	return rtsp_fail(why, cause, VG_SOURCE_CLOSED, "%s: %s", r->url,
	    strerror(errno));
}

/* See record-source.h. */
int
vg_rtsp_read(struct vg_rtsp *r, AVPacket *pkt, enum vg_source_fail *why,
    char **cause)
{
	for (;;) {
		if (r->qlen > 0) {
			av_packet_move_ref(pkt, r->q[r->qhead]);
			av_packet_free(&r->q[r->qhead]);
			r->qhead = (r->qhead + 1) % RTSP_QUEUE;
			r->qlen--;
			return 0;
		}
		if (rtsp_parse_buffer(r, 1, why, cause) != 0)
			return -1;
		if (r->qlen > 0)
			continue;
		if (rtsp_wait_input(r, why, cause) != 0)
			return -1;
	}
}

/* See record-source.h. */
int
vg_rtsp_read_nowait(struct vg_rtsp *r, AVPacket *pkt,
    enum vg_source_fail *why, char **cause)
{
	int64_t now;
	ssize_t n;
	bool tried = false;

	for (;;) {
		if (r->qlen > 0) {
			av_packet_move_ref(pkt, r->q[r->qhead]);
			av_packet_free(&r->q[r->qhead]);
			r->qhead = (r->qhead + 1) % RTSP_QUEUE;
			r->qlen--;
			return 0;
		}
		if (rtsp_parse_buffer(r, 1, why, cause) != 0)
			return -1;
		if (r->qlen > 0)
			continue;
		now = rtsp_now_us();
		if (rtsp_keepalive(r, now, why, cause) != 0)
			return -1;
		if (now >= r->last_media_us + (int64_t)r->timeout_ms * 1000)
			return rtsp_fail(why, cause, VG_SOURCE_TIMEOUT,
			    "%s: no media for %d ms (stalled)", r->url,
			    r->timeout_ms);
		if (tried && r->drained)
			return VG_RTSP_AGAIN;
		tried = true;
		n = rtsp_fill(r, now - 1000, true);	/* never waits */
		if (n == 0)
			return rtsp_fail(why, cause, VG_SOURCE_CLOSED,
			    "%s: the camera closed the connection", r->url);
		if (n < 0 && errno == ETIMEDOUT) {
			r->drained = true;
			return VG_RTSP_AGAIN;
		}
		if (n < 0)
			return rtsp_fail(why, cause, VG_SOURCE_CLOSED,
			    "%s: %s", r->url, strerror(errno));
	}
}

/* SETUP every stream, then PLAY. */
static int
rtsp_setup_play(struct vg_rtsp *r, enum vg_source_fail *why, char **cause)
{
	struct rtsp_reply rep = { 0 };
	char *extra;
	const char *v;
	size_t len;
	int i, a, b, err = -1;

	for (i = 0; i < r->nst; i++) {
		r->st[i].channel = 2 * i;
		xasprintf(&extra, "Transport: RTP/AVP/TCP;unicast;"
		    "interleaved=%d-%d\r\n", 2 * i, 2 * i + 1);
		err = rtsp_request(r, "SETUP", r->st[i].control, extra, &rep,
		    why, cause);
		free(extra);
		if (err != 0)
			return err;
		if (rep.status != 200) {
			err = rtsp_status_fail(r, "SETUP", rep.status, why,
			    cause);
			if (rep.status == 461)
				rtsp_fail(why, cause, VG_SOURCE_UNSUPPORTED,
				    "%s: the camera cannot send RTP over the "
				    "RTSP connection (461)", r->url);
			goto out;
		}
		rtsp_take_session(r, &rep);
		v = rtsp_header(&rep, "Transport", 0, &len);
		if (v != NULL) {
			char *t = xstrndup(v, len), *il = strstr(t,
			    "interleaved=");

			if (il != NULL && sscanf(il + 12, "%d-%d", &a, &b) >=
			    1 && a >= 0 && a < 255)
				r->st[i].channel = a;
			free(t);
		}
		rtsp_reply_free(&rep);
	}
	if (r->session == NULL)
		return rtsp_fail(why, cause, VG_SOURCE_PROTO,
		    "%s: SETUP: no Session in the reply", r->url);
	err = rtsp_request(r, "PLAY", r->base, "Range: npt=0.000-\r\n", &rep,
	    why, cause);
	if (err != 0)
		return err;
	if (rep.status != 200) {
		err = rtsp_status_fail(r, "PLAY", rep.status, why, cause);
		goto out;
	}
	err = 0;
out:
	rtsp_reply_free(&rep);
	return err;
}

/* Wait for the first keyframe of every video stream that has no
 * parameter sets yet (the packets stay queued). */
static int
rtsp_prime(struct vg_rtsp *r, enum vg_source_fail *why, char **cause)
{
	size_t head;
	int i, missing;

	for (;;) {
		for (i = 0; i < r->qlen; i++) {
			AVPacket *p = r->q[(r->qhead + i) % RTSP_QUEUE];
			struct rtsp_stream *s = &r->st[p->stream_index];

			if (s->pub.type == AVMEDIA_TYPE_VIDEO &&
			    s->pub.par->extradata_size == 0 &&
			    (p->flags & AV_PKT_FLAG_KEY))
				rtsp_extradata_from_au(s, p->data,
				    (size_t)p->size);
		}
		missing = 0;
		for (i = 0; i < r->nst; i++)
			if (r->st[i].pub.type == AVMEDIA_TYPE_VIDEO &&
			    r->st[i].pub.par->extradata_size == 0)
				missing++;
		if (missing == 0)
			return 0;
		if (r->qlen >= RTSP_QUEUE / 2) {
			/* keep only the newest half while waiting */
			while (r->qlen > RTSP_QUEUE / 4) {
				av_packet_free(&r->q[r->qhead]);
				r->qhead = (r->qhead + 1) % RTSP_QUEUE;
				r->qlen--;
			}
		}
		head = r->head;
		if (rtsp_parse_buffer(r, RTSP_QUEUE / 2, why, cause) != 0)
			return -1;
		if (r->head != head)
			continue;	/* parsed some: look at the queue */
		if (rtsp_wait_input(r, why, cause) != 0)
			return -1;
	}
}

/* VG_RTSP_BATCH_MS, or VIGIA_RTSP_BATCH_MS (0..1000) from the
 * environment. */
static int
rtsp_batch_ms(void)
{
	const char *e = getenv("VIGIA_RTSP_BATCH_MS");
	char *end;
	long v;

	if (e == NULL || *e == '\0')
		return VG_RTSP_BATCH_MS;
	v = strtol(e, &end, 10);
	return *end == '\0' && v >= 0 && v <= 1000 ? (int)v :
	    VG_RTSP_BATCH_MS;
}

/* See record-source.h. */
int
vg_rtsp_open(const struct vg_source_opts *o, struct vg_rtsp **out,
    enum vg_source_fail *why, char **cause)
{
	struct vg_rtsp *r;
	struct rtsp_reply rep = { 0 };
	int err = -1, i;
	char *v;

	*out = NULL;
	if (o == NULL || o->url == NULL)
		return rtsp_fail(why, cause, VG_SOURCE_PROTO, "no URL");
	r = xcalloc(1, sizeof *r);
	r->fd = -1;
	r->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 10000;
	r->stop = o->stop;
	r->url = xstrdup(o->url);
	r->base = xstrdup(o->url);
	r->user = o->user ? xstrdup(o->user) : NULL;
	r->password = o->password ? xstrdup(o->password) : NULL;
	r->session_timeout = 60;
	r->batch_us = (int64_t)rtsp_batch_ms() * 1000;
	r->buf = xmalloc(RTSP_BUF_SIZE);
	if (rtsp_connect(r, why, cause) != 0)
		goto out;

	err = rtsp_request(r, "OPTIONS", r->url, NULL, &rep, why, cause);
	if (err != 0)
		goto out;
	if (rep.status == 200) {
		v = rtsp_header_dup(&rep, "Public");
		r->get_parameter = v != NULL &&
		    strstr(v, "GET_PARAMETER") != NULL;
		free(v);
	} else if (rep.status == 404) {
		err = rtsp_status_fail(r, "OPTIONS", rep.status, why, cause);
		goto out;
	}
	rtsp_reply_free(&rep);

	err = rtsp_request(r, "DESCRIBE", r->url,
	    "Accept: application/sdp\r\n", &rep, why, cause);
	if (err != 0)
		goto out;
	if (rep.status != 200) {
		err = rtsp_status_fail(r, "DESCRIBE", rep.status, why, cause);
		goto out;
	}
	v = rtsp_header_dup(&rep, "Content-Base");
	if (v == NULL)
		v = rtsp_header_dup(&rep, "Content-Location");
	if (v != NULL) {
		free(r->base);
		r->base = v;
	}
	sdp_parse(r, rep.body);
	rtsp_reply_free(&rep);
	for (i = 0; i < r->nst; i++)
		if (r->st[i].pub.type == AVMEDIA_TYPE_VIDEO)
			break;
	if (i == r->nst) {
		err = rtsp_fail(why, cause, VG_SOURCE_UNSUPPORTED,
		    "%s: no H.264 or H.265 video in the stream", r->url);
		goto out;
	}
	err = rtsp_setup_play(r, why, cause);
	if (err != 0)
		goto out;
	r->playing = true;
	r->last_media_us = rtsp_now_us();
	r->next_keepalive_us = r->last_media_us +
	    (int64_t)r->session_timeout * 500000;
	err = rtsp_prime(r, why, cause);
out:
	rtsp_reply_free(&rep);
	if (err != 0) {
		vg_rtsp_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

/* See record-source.h. */
int
vg_rtsp_nstreams(const struct vg_rtsp *r)
{
	return r->nst;
}

/* See record-source.h. */
const struct vg_source_stream *
vg_rtsp_stream(const struct vg_rtsp *r, int i)
{
	return i >= 0 && i < r->nst ? &r->st[i].pub : NULL;
}

/* See record-source.h. */
void
vg_rtsp_clock(const struct vg_rtsp *r, int i, struct vg_source_clock *clk)
{
	if (i >= 0 && i < r->nst)
		*clk = r->st[i].clk;
	else
		memset(clk, 0, sizeof *clk);
}

/* See record-source.h. */
void
vg_rtsp_stats(const struct vg_rtsp *r, int i, struct vg_rtsp_stats *st)
{
	if (i >= 0 && i < r->nst)
		*st = r->st[i].stats;
	else
		memset(st, 0, sizeof *st);
}

/* See record-source.h. */
int
vg_rtsp_fd(const struct vg_rtsp *r)
{
	return r->fd;
}

/* See record-source.h. */
void
vg_rtsp_close(struct vg_rtsp *r)
{
	char *req, *auth;
	int i;

	if (r == NULL)
		return;
	if (r->fd >= 0 && r->session != NULL) {
		/* TEARDOWN: sent within the deadline; the reply is not
		 * awaited (media may be queued before it) */
		auth = rtsp_auth_line(r, "TEARDOWN", r->base);
		xasprintf(&req, "TEARDOWN %s RTSP/1.0\r\nCSeq: %d\r\n"
		    "User-Agent: vigia/" PACKAGE_VERSION "\r\n%s"
		    "Session: %s\r\n\r\n", r->base, ++r->cseq, auth,
		    r->session);
		(void)rtsp_send_all(r, req, strlen(req), rtsp_now_us() +
		    (int64_t)(r->timeout_ms < 2000 ? r->timeout_ms : 2000) *
		    1000);
		OPENSSL_cleanse(req, strlen(req));
		free(req);
		OPENSSL_cleanse(auth, strlen(auth));
		free(auth);
	}
	if (r->fd >= 0)
		close(r->fd);
	for (i = 0; i < r->nst; i++) {
		avcodec_parameters_free(&r->st[i].pub.par);
		free(r->st[i].control);
		free(r->st[i].sps);
		av_buffer_unref(&r->st[i].au_buf);
	}
	while (r->qlen > 0) {
		av_packet_free(&r->q[r->qhead]);
		r->qhead = (r->qhead + 1) % RTSP_QUEUE;
		r->qlen--;
	}
	if (r->password != NULL) {
		OPENSSL_cleanse(r->password, strlen(r->password));
		free(r->password);
	}
	free(r->user);
	free(r->url);
	free(r->host);
	free(r->base);
	free(r->session);
	free(r->realm);
	free(r->nonce);
	free(r->opaque);
	free(r->algorithm);
	free(r->buf);
	free(r);
}
