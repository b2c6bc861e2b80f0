/* record-int.h - what the record-*.c files share (FFmpeg types allowed).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef VIGIA_RECORD_INT_H
#define VIGIA_RECORD_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>

#include "record.h"

/* ---- record-mp4.c: finalize a fragmented MP4 ------------------------------ */

/* What a finalized segment holds (read back from the file itself). */
struct vg_mp4_info {
	int64_t fragments;
	int64_t frames;		/* video samples */
	int64_t keyframes;
	int64_t audio_samples;
	uint32_t timescale;	/* of the video track */
	int64_t duration_ts;	/* video timeline, in timescale */
	int64_t duration_us;
	int64_t bytes;		/* the file's size after repair */
	bool truncated;		/* a torn last fragment was cut off */
	int64_t cut_bytes;
	bool indexed;		/* the global sidx was written */
};

/* Bytes to reserve after the moov for an index of nfrag fragments. */
size_t vg_mp4_reserve_size(size_t nfrag);
/* Cut a torn tail, write the global sidx into the reserve and the true
 * duration into mehd, fsync.  VG_ERR_NOTFOUND: no whole fragment. */
int vg_mp4_finalize(const char *path, struct vg_mp4_info *info,
    char **cause);

/* ---- record-segment.c: one segment file ----------------------------------- */

struct vg_seg;

/* A stream of the segment: the source's parameters. */
struct vg_seg_stream {
	const AVCodecParameters *par;
	AVRational time_base;	/* of the packets handed to vg_seg_write */
};

/* Who and what, for the sidecar. */
struct vg_seg_meta {
	const char *site;
	const char *camera;
	const char *serial, *mac, *model;	/* NULL: unknown */
	const char *mode;		/* "continuous", "motion", ... */
	int segment_s;
	const char *audio_note;		/* why audio is missing, or NULL */
	/* Leave the fsyncs of opening (the sidecar's .part, the directory)
	 * and of gap notes to the caller: vg_seg_sync_open() from another
	 * thread, so that a thread reading many cameras never waits on
	 * the disk. */
	bool defer_sync;
};

/* Open DIR/CAMERA-YYYYmmddTHHMMSSZ.mp4.part (and its .json.part) for a
 * segment starting at start_utc_us.  Stream 0 is video. */
int vg_seg_open(const char *dir, const struct vg_seg_meta *meta,
    int64_t start_utc_us, bool rtcp_clock, const struct vg_seg_stream *st,
    int nst, struct vg_seg **out, char **cause);
/* One packet: ts_us is its time from the segment's start (>= 0,
 * increasing per stream); pkt's timestamps are overwritten.  A video
 * keyframe may start a new fragment.  VG_ERR_IO with errno ENOSPC in
 * *enospc when the disk is full (close the segment then). */
int vg_seg_write(struct vg_seg *sg, AVPacket *pkt, int64_t ts_us,
    bool *enospc, char **cause);
/* Flush the open fragment (before a wait: a crash then loses nothing). */
int vg_seg_flush(struct vg_seg *sg, char **cause);
/* The sidecar's .part (for vg_seg_sync_open). */
const char *vg_seg_meta_part(const struct vg_seg *sg);
/* fsync meta_part and dir: what vg_seg_open() left with defer_sync. */
void vg_seg_sync_open(const char *meta_part, const char *dir);
/* A gap: from at_us (segment time), len_us long, why. */
void vg_seg_gap(struct vg_seg *sg, int64_t at_us, int64_t len_us,
    const char *reason);
/* An event (motion) that triggered or extended the recording. */
void vg_seg_event(struct vg_seg *sg, int64_t utc_us, const char *what);
/* Is the index reserve nearly full (close at the next keyframe)? */
bool vg_seg_full(const struct vg_seg *sg);
/* Time of the last packet written (segment time, us), -1 before one. */
int64_t vg_seg_last_us(const struct vg_seg *sg);
int64_t vg_seg_start_utc(const struct vg_seg *sg);
int64_t vg_seg_bytes(const struct vg_seg *sg);
const char *vg_seg_path(const struct vg_seg *sg);	/* the final name */

/* What became of a closed segment. */
struct vg_seg_result {
	char *path;		/* the .mp4 (owned) */
	int64_t duration_us;
	int64_t frames;
	int64_t bytes;
	int64_t id;		/* journal row, 0 if not journaled */
};
void vg_seg_result_clear(struct vg_seg_result *r);

/* Close: trailer, finalize (vg_mp4_finalize), SHA-256, rename .part ->
 * .mp4, sidecar, fsync of the directory, journal row (sp may be NULL).
 * Frees sg in every case.  A segment without a whole fragment is removed
 * (VG_ERR_NOTFOUND). */
int vg_seg_close(struct vg_seg *sg, struct vg_spool *sp,
    struct vg_seg_result *res, char **cause);

/* Finish a leftover DIR/X.mp4.part as vg_seg_close() would, with
 * "recovered": true; or journal a renamed .mp4 whose row is missing. */
int vg_seg_recover(const char *path, struct vg_spool *sp,
    struct vg_seg_result *res, char **cause);

/* ---- record-audio.c: G.711 to AAC ------------------------------------------ */

struct vg_atx;

/* A transcoder for a PCMU/PCMA stream whose packets come in in_tb. */
int vg_atx_open(const AVCodecParameters *in, AVRational in_tb,
    struct vg_atx **out, char **cause);
/* The AAC stream's parameters (for the muxer); its packets come out in
 * in_tb. */
const AVCodecParameters *vg_atx_par(const struct vg_atx *x);
/* Decode a G.711 packet and encode what makes whole AAC frames. */
int vg_atx_push(struct vg_atx *x, const AVPacket *pkt);
/* The next AAC packet: 0, or AVERROR(EAGAIN) when there is none yet. */
int vg_atx_pull(struct vg_atx *x, AVPacket *out);
void vg_atx_free(struct vg_atx *x);

/* ---- record-clock.c: time of day in the site's zone ----------------------- */

/* The first segment boundary strictly after t_us (UTC): a multiple of
 * segment_s since local midnight, or the next local midnight. */
int64_t vg_record_next_boundary(int64_t t_us, int segment_s);
/* Is t_us inside one of the rules (local time of the site)? */
bool vg_record_in_schedule(const struct vg_schedule_rule *rules, size_t n,
    int64_t t_us);

/* Monotonic and wall clocks, microseconds. */
int64_t vg_record_mono_us(void);
int64_t vg_record_wall_us(void);

/* VIGIA_TEST_* knobs for tests, read once (see record-clock.c). */
struct vg_record_knobs {
	int backoff_min_ms, backoff_max_ms;
	int timeout_ms;		/* RTSP waits and the stall watchdog */
	int onvif_retry_s;	/* asking the camera again */
};
const struct vg_record_knobs *vg_record_knobs(void);

#endif
