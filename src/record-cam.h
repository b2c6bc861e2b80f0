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

struct rec_conn;

/* Where a camera served by the reading thread is (record-loop.c). */
enum rec_phase {
	REC_PH_WAIT,		/* idle or backing off until wake_mono */
	REC_PH_CONNECT,		/* a connector thread is opening the stream */
	REC_PH_READ,		/* reading src */
	REC_PH_DONE,		/* stopped: the loop let go of it */
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

	/* served by the engine's one reading thread (the native reader):
	 * the loop owns the fields above while phase is not REC_PH_CONNECT,
	 * the connector thread while it is */
	bool shared;
	enum rec_phase phase;
	int64_t wake_mono;
	struct vg_source *src;	/* REC_PH_READ */
	struct rec_conn *conn;
	bool conn_done;		/* under lock: the connector is through */
	struct vg_source *conn_src;	/* under lock: what it opened */
	int pending;		/* under lock: queued jobs naming this camera */
	bool done;		/* under lock: the loop let go of it */

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
/* The reading thread's step for one camera: true once it has stopped.
 * *more: packets are left (call again soon); *wake (monotonic us) is
 * lowered to when the camera wants to be looked at again. */
bool rec_cam_tick(struct rec_cam *c, bool *more, int64_t *wake);
/* A connector thread: open c's stream (REC_PH_CONNECT). */
void rec_cam_connect(struct rec_cam *c);
/* A writer thread: close seg (c's), journal it, update c's status. */
void rec_cam_close_now(struct rec_cam *c, struct vg_seg *seg,
    const char *why);

/* record-loop.c: the reading thread, its connector threads and the
 * segment writers. */
struct rec_job;
int rec_loop_start(struct vg_recorder *rec);
void rec_loop_add(struct vg_recorder *rec, struct rec_cam *c);
void rec_loop_wake(struct vg_recorder *rec);
void rec_loop_stop(struct vg_recorder *rec);
/* Queue for a connector: open c's stream; close src (TEARDOWN). */
void rec_pool_connect(struct vg_recorder *rec, struct rec_cam *c);
void rec_pool_close(struct vg_recorder *rec, struct vg_source *src);
/* Queue for a writer: close seg of c; fsync what vg_seg_open deferred. */
void rec_writer_close(struct vg_recorder *rec, struct rec_cam *c,
    struct vg_seg *seg, const char *why);
void rec_writer_sync(struct vg_recorder *rec, const char *meta_part,
    const char *dir);
/* Should cameras be read by the one thread (VIGIA_RECORD_THREADS=1 and
 * VIGIA_RTSP_READER=lavf say no)? */
bool rec_loop_wanted(const char *url_cfg);

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
	/* the reading thread (record-loop.c) */
	pthread_mutex_t loop_lock;	/* everything below */
	pthread_t loop_thread;
	bool loop_started, loop_stop;
	int wake[2];		/* a pipe: wakes the loop */
	struct rec_cam **ladd;	/* cameras handed to the loop */
	size_t nladd, aladd;
	/* connectors: threads made on demand, up to REC_CONNECTORS */
	pthread_cond_t pool_cond;
	struct rec_job *pool_q, **pool_tail;
	pthread_t *pool_threads;
	int npool, pool_idle;
	int pool_qlen;		/* connector jobs not yet taken */
	bool pool_stop;
	/* writers */
	pthread_cond_t writer_cond;
	struct rec_job *writer_q, **writer_tail;
	pthread_t writer_threads[2];
	int nwriters;
	bool writer_stop;
};

#endif
