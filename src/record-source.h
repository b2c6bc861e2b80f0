/* record-source.h - a camera's stream as timestamped packets: the
 * recorder's input (internal to src/; FFmpeg types are allowed here).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two implementations share this interface:
 *   record-source-lavf.c   libavformat's RTSP demuxer (the reference)
 *   record-rtsp.c          vigia's own RTSP/RTP reader: interleaved TCP,
 *                          large reads into a buffer, depacketized there
 *                          (RFC 6184 H.264, RFC 7798 H.265, RFC 3640 AAC,
 *                          G.711), because bench/record.sh shows
 *                          libavformat's reader too costly at 32 cameras
 * The recorder picks one by name ("lavf" or "native"; VIGIA_RTSP_READER
 * overrides it for benchmarks and tests).
 *
 * Packets come out as libavformat's demuxer would give them: video in
 * Annex B or as the codec parameters' extradata says, with pts/dts in the
 * stream's time_base, AV_PKT_FLAG_KEY on keyframes, so that the recorder
 * can hand them to libavformat's mp4 muxer unchanged.
 */
#ifndef VIGIA_RECORD_SOURCE_H
#define VIGIA_RECORD_SOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavutil/rational.h>

struct vg_source;

struct vg_source_opts {
	const char *url;	/* rtsp://host[:port]/path (no credentials) */
	const char *user;	/* NULL: none */
	const char *password;
	int timeout_ms;		/* connect, each request, and packet stall */
	const char *reader;	/* "lavf" or "native"; NULL: the default */
	/* When non-NULL and set non-zero (by another thread), open and read
	 * return at their next wait (VG_SOURCE_TIMEOUT). */
	const volatile int *stop;
};

struct vg_source_stream {
	enum AVMediaType type;
	AVCodecParameters *par;	/* owned by the source */
	AVRational time_base;
};

/* Why a source failed, for a human (and for backoff decisions). */
enum vg_source_fail {
	VG_SOURCE_OK,
	VG_SOURCE_AUTH,		/* wrong user or password (401) */
	VG_SOURCE_NOTFOUND,	/* no such stream (404) */
	VG_SOURCE_REFUSED,	/* connection refused */
	VG_SOURCE_TIMEOUT,	/* no answer, or packets stopped (stall) */
	VG_SOURCE_UNSUPPORTED,	/* a codec or transport we cannot record */
	VG_SOURCE_CLOSED,	/* the camera ended the session */
	VG_SOURCE_PROTO,	/* broken replies */
};

/* RTCP sender report: the camera's wall clock for a stream timestamp. */
struct vg_source_clock {
	bool valid;
	int64_t ntp_us;		/* UTC microseconds at ... */
	int64_t pts;		/* ... this pts (stream time_base) */
};

/* Open and start playing (DESCRIBE, SETUP over TCP, PLAY).  On failure
 * *why and *cause (English, never with the password) say why. */
int vg_source_open(const struct vg_source_opts *o, struct vg_source **out,
    enum vg_source_fail *why, char **cause);
int vg_source_nstreams(const struct vg_source *s);
const struct vg_source_stream *vg_source_stream(const struct vg_source *s,
    int i);
/* The next packet (pkt->stream_index set), within timeout_ms of progress:
 * 0, or an error with *why (VG_SOURCE_TIMEOUT for a stall). */
int vg_source_read(struct vg_source *s, AVPacket *pkt,
    enum vg_source_fail *why, char **cause);
/* For one thread serving many cameras (the native reader only): the
 * session's socket, -1 for libavformat's reader, whose reads block. */
int vg_source_fd(const struct vg_source *s);
/* As vg_source_read(), but VG_RTSP_AGAIN when nothing is buffered or
 * readable without waiting (the native reader; lavf's blocks). */
int vg_source_read_nowait(struct vg_source *s, AVPacket *pkt,
    enum vg_source_fail *why, char **cause);
/* The latest sender report of stream i (valid = false before one). */
void vg_source_clock(const struct vg_source *s, int i,
    struct vg_source_clock *clk);
/* TEARDOWN (bounded by the timeout) and free. */
void vg_source_close(struct vg_source *s);

/* ---- vigia's own reader (record-rtsp.c) -------------------------------
 * The same contract as vg_source_*() above under its own names, so that
 * vg_source_open() can hand the "native" reader to it (and tests and
 * bench programs can use it alone). */
struct vg_rtsp;

/* Once its socket is drained, the native reader reads it again only this
 * many ms later: one wake-up and one recv per interval instead of one per
 * packet; packets come out in bursts.  VIGIA_RTSP_BATCH_MS overrides it
 * (0: read as soon as data arrives). */
#define VG_RTSP_BATCH_MS 250

/* Counters of one stream since open. */
struct vg_rtsp_stats {
	uint64_t packets;	/* RTP packets received */
	uint64_t frames;	/* packets handed out (access units) */
	uint64_t lost_packets;	/* sequence-number gaps */
	uint64_t dropped_frames; /* access units dropped: broken by a loss */
	uint64_t bad_packets;	/* malformed, duplicate or out of order */
};

int vg_rtsp_open(const struct vg_source_opts *o, struct vg_rtsp **out,
    enum vg_source_fail *why, char **cause);
int vg_rtsp_nstreams(const struct vg_rtsp *r);
const struct vg_source_stream *vg_rtsp_stream(const struct vg_rtsp *r,
    int i);
int vg_rtsp_read(struct vg_rtsp *r, AVPacket *pkt, enum vg_source_fail *why,
    char **cause);
void vg_rtsp_clock(const struct vg_rtsp *r, int i,
    struct vg_source_clock *clk);
void vg_rtsp_stats(const struct vg_rtsp *r, int i, struct vg_rtsp_stats *st);
/* For one thread serving many cameras: what is buffered or can be read
 * without blocking; 0 with a packet, VG_RTSP_AGAIN when there is none
 * yet (wait for vg_rtsp_fd() to be readable, or just call again later:
 * the kernel keeps what arrives), or an error as vg_rtsp_read(), which
 * includes the stall watchdog and keep-alive. */
#define VG_RTSP_AGAIN 1
int vg_rtsp_read_nowait(struct vg_rtsp *r, AVPacket *pkt,
    enum vg_source_fail *why, char **cause);
/* The session's socket (to wait on several cameras in one thread). */
int vg_rtsp_fd(const struct vg_rtsp *r);
void vg_rtsp_close(struct vg_rtsp *r);

#endif

