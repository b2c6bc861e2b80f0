/* record-cam.h - the recorder engine's camera threads (record-camera.c)
 * and the engine (record-engine.c).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef VIGIA_RECORD_CAM_H
#define VIGIA_RECORD_CAM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "libvigia.h"
#include "record-int.h"
#include "record-source.h"

struct vg_recorder;

#define REC_MAX_EVENTS 32

/* A packet kept for the pre-roll. */
struct rec_ring {
	AVPacket *pkt;
	int out;		/* 0 video, 1 audio */
	int64_t wall, t;
	bool key;
};

/* One recorded camera.  The thread owns the fields without a comment;
 * "lock" guards the ones the status reads. */
struct rec_cam {
	struct vg_recorder *rec;
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	volatile int stop;	/* under lock; read without it */
	char *fingerprint;	/* what a reload compares */

	/* settings (a private copy) */
	struct vg_config *cfg;	/* holds cam */
	const struct vg_camera *cam;
	char *name, *site, *dir;
	char *serial, *mac, *model;
	char *user, *password;
	char *url_cfg;		/* recording.url or NULL */
	enum vg_record_mode mode;
	const char *mode_name;
	int segment_s;
	int fps_guess;		/* encoder.fps: for a first frame without time */
	struct vg_schedule_rule *rules;
	size_t nrules;

	/* connection */
	char *url;
	int64_t url_expires;	/* monotonic */
	int failures;
	unsigned seed;
	int vidx, aidx;
	char *audio_note;
	enum vg_audio audio_mode;	/* recording.audio */
	struct vg_atx *atx;	/* G.711 -> AAC, or NULL */
	bool audio_warned;
	bool rtcp, rtcp_warned;
	int64_t open_wall;	/* when the last connection was asked for */
	bool have_par, par_audio;
	int par_codec, par_w, par_h;

	/* segment */
	struct vg_seg *seg;
	int64_t seg_wall, boundary;
	bool in_gap;
	int64_t gap_at;
	bool enospc;
	int64_t enospc_until;	/* monotonic */
	int64_t win_start;
	size_t win_bytes, win_frames;

	/* motion */
	int pre_roll_s, post_roll_s;
	pthread_t ev_thread;
	bool ev_started;
	bool motion_on;		/* under lock */
	int64_t motion_until;	/* post-roll end, wall; under lock */
	struct {
		int64_t utc;
		char what[32];
	} ev[REC_MAX_EVENTS];	/* under lock */
	size_t nev;
	struct rec_ring *ring;
	size_t ring_n, ring_a;

	/* status (under lock) */
	const char *state;
	int64_t since_us;
	double kbps, fps;
	char *cur_path, *last_path;
	int64_t frames, segments, gaps, reconnects, clock_jumps;
	char *err_reason, *err_msg;
	int64_t err_us;
	char gap_reason[64];
};

const char *rec_reason_name(enum vg_source_fail why);
void *rec_cam_main(void *arg);
void *rec_cam_events_main(void *arg);

/* The engine. */
struct vg_recorder {
	struct vg_spool *spool;
	char *spool_dir;
	pthread_mutex_t lock;	/* cams, nc, disk fields */
	pthread_rwlock_t commit_lock;	/* read: closing; write: sweeping */
	struct rec_cam **cams;
	size_t nc;
	/* disk */
	pthread_t disk_thread;
	pthread_cond_t disk_cond;
	volatile int disk_stop;
	double min_free_gb, min_free_h;
	int64_t free_bytes, total_bytes;
	double headroom_h;
	int64_t evicted, evicted_bytes;
	char *alarm;		/* the current disk alarm, or NULL */
	int64_t alarm_us, alarm_last_us;
	bool alarm_active;
	int alarms;
	int enospc_events;	/* atomic */
};

#endif
