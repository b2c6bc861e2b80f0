/* spool.h - the spool journal: the one durable record of every segment.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A segment exists for vigiad once its row is committed here (SQLite in
 * WAL mode, synchronous=FULL: every transition survives kill -9 and a
 * power cut).  Three parts of vigiad move a segment along; each
 * transition has exactly one writer:
 *
 *   recorder   add (the closed, renamed, fsync'd file and its sidecar)
 *   uploader   up: ready -> uploading -> stored  (or failed: permanent)
 *              the object key is fixed once (never two names), the
 *              multipart upload id and every finished part are kept, so
 *              a restart resumes without ListParts
 *   labeler    task: none -> pending (when stored, if Label Studio is on)
 *              -> created (task id) | unknown (outcome not known: look it
 *              up by segment_key before importing again) | failed
 *   retention  local: present -> deleted (stored, task done, kept long
 *              enough) | evicted (disk limit: loudly)
 *
 * Claims: a worker claims a row by setting its state to "uploading" (or
 * the task to "pending" with a claim) under this process's run id; rows
 * claimed by an earlier run (a crash) are claimable again at once.
 *
 * Times are UTC microseconds since the epoch.  Every call is thread-safe
 * (one connection, serialized); none blocks for long (busy timeout 5 s).
 * Errors: VG_ERR_* with an English *cause (if not NULL) the caller frees.
 */
#ifndef VIGIA_SPOOL_H
#define VIGIA_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vg_spool;

enum vg_spool_up {
	VG_SPOOL_UP_READY,	/* waiting for an upload (or a retry) */
	VG_SPOOL_UP_UPLOADING,	/* claimed; may hold a multipart upload */
	VG_SPOOL_UP_STORED,	/* the store confirmed size and checksum */
	VG_SPOOL_UP_FAILED,	/* a permanent error: kept, alarm raised */
};

enum vg_spool_task {
	VG_SPOOL_TASK_NONE,	/* no task wanted (yet) */
	VG_SPOOL_TASK_PENDING,	/* to be imported */
	VG_SPOOL_TASK_UNKNOWN,	/* an import's outcome is not known */
	VG_SPOOL_TASK_CREATED,	/* task_id holds the task */
	VG_SPOOL_TASK_FAILED,	/* a permanent error: kept, alarm raised */
};

enum vg_spool_local {
	VG_SPOOL_LOCAL_PRESENT,
	VG_SPOOL_LOCAL_DELETED,	/* by retention, after it was stored */
	VG_SPOOL_LOCAL_EVICTED,	/* under the disk limit, maybe not stored */
};

/* One segment's row.  Strings are owned (vg_spool_segment_clear). */
struct vg_spool_segment {
	int64_t id;
	/* set by the recorder */
	char *camera;		/* configuration name */
	char *site;		/* site id */
	char *path;		/* the closed .mp4 in the spool */
	char *sidecar;		/* its .json */
	int64_t start_us, end_us;
	int64_t bytes;
	char sha256[65];	/* hex */
	bool recovered;		/* finalized from a leftover .part */
	double fps;		/* measured; 0 unknown */
	int64_t frames;
	int64_t created_us;
	/* the uploader's */
	enum vg_spool_up up;
	char *store;		/* storage entry name, fixed at first claim */
	char *object_key;	/* fixed once: never two names */
	char *upload_id;	/* S3 multipart, or NULL */
	char *etag;		/* of the stored object */
	bool sidecar_stored;
	int up_attempts;
	int64_t up_next_us;	/* not before (backoff) */
	char *up_error;		/* last error, plain words */
	char *up_class;		/* its class ("auth", "net", "full"...) */
	int64_t stored_us;
	/* the labeler's */
	enum vg_spool_task task;
	int64_t task_id;	/* 0: none */
	int task_attempts;
	int64_t task_next_us;
	char *task_error;
	/* retention */
	enum vg_spool_local local;
	int64_t local_gone_us;
};

/* One finished multipart part. */
struct vg_spool_part {
	int number;		/* 1..10000 */
	int64_t bytes;
	char *etag;
};

/* What `vigia status` shows of the journal. */
struct vg_spool_stats {
	int64_t segments;		/* rows with a local copy */
	int64_t local_bytes;
	int64_t backlog;		/* not stored yet (ready, uploading) */
	int64_t backlog_bytes;
	int64_t oldest_backlog_us;	/* start of the oldest; 0 none */
	int64_t stored;
	int64_t up_failed;
	int64_t tasks_pending;		/* pending or unknown */
	int64_t tasks_created;
	int64_t tasks_failed;
	int64_t evicted;
};

/* Open (creating) DIR/spool.db; DIR must exist.  The run id tells this
 * process's claims from a crashed run's. */
int vg_spool_open(const char *dir, struct vg_spool **out, char **cause);
void vg_spool_close(struct vg_spool *sp);
/* The database file's path (for messages). */
const char *vg_spool_path(const struct vg_spool *sp);

void vg_spool_segment_clear(struct vg_spool_segment *seg);
void vg_spool_parts_free(struct vg_spool_part *parts, size_t n);

/* ---- the recorder -------------------------------------------------------- */

/* Commit a closed segment (camera, site, path, sidecar, times, bytes,
 * sha256, recovered, fps, frames are read from seg); *id gets its row.  A
 * path already journaled is VG_ERR_EXISTS (crash recovery asks first). */
int vg_spool_add(struct vg_spool *sp, const struct vg_spool_segment *seg,
    int64_t *id, char **cause);
/* Is this file journaled?  (Recovery: a renamed file whose row was not
 * committed yet is added again; one that was is left alone.) */
bool vg_spool_has_path(struct vg_spool *sp, const char *path);
/* The row of id, or of path (NULL id lookups: 0). */
int vg_spool_get(struct vg_spool *sp, int64_t id,
    struct vg_spool_segment *out, char **cause);
int vg_spool_get_path(struct vg_spool *sp, const char *path,
    struct vg_spool_segment *out, char **cause);

/* ---- the uploader -------------------------------------------------------- */

/* Claim the oldest segment for store that is ready (or was uploading under
 * an earlier run) and due (up_next_us <= now), with its local copy
 * present: it becomes uploading under this run, attempts + 1.  The store
 * name is fixed at the first claim.  VG_ERR_NOTFOUND: nothing due. */
int vg_spool_up_claim(struct vg_spool *sp, const char *store, int64_t now_us,
    struct vg_spool_segment *out, char **cause);
/* Fix the object key, once: if a key is already set, *key_out gets that
 * one (the caller must use it), else key. */
int vg_spool_up_key(struct vg_spool *sp, int64_t id, const char *key,
    char **key_out, char **cause);
/* A multipart upload was created (upload_id), or abandoned (NULL: its
 * parts are forgotten too). */
int vg_spool_up_multipart(struct vg_spool *sp, int64_t id,
    const char *upload_id, char **cause);
/* A part finished (its ETag as the store returned it). */
int vg_spool_up_part(struct vg_spool *sp, int64_t id, int number,
    int64_t bytes, const char *etag, char **cause);
/* The finished parts, by number. */
int vg_spool_up_parts(struct vg_spool *sp, int64_t id,
    struct vg_spool_part **parts, size_t *n, char **cause);
/* The sidecar JSON is stored. */
int vg_spool_up_sidecar(struct vg_spool *sp, int64_t id, char **cause);
/* Verified in the store: stored.  want_task moves the task to pending. */
int vg_spool_up_stored(struct vg_spool *sp, int64_t id, const char *etag,
    bool want_task, int64_t now_us, char **cause);
/* A transient failure: ready again, not before next_us. */
int vg_spool_up_retry(struct vg_spool *sp, int64_t id, const char *class,
    const char *error, int64_t next_us, char **cause);
/* A permanent failure: failed (kept; the alarm is the caller's). */
int vg_spool_up_fail(struct vg_spool *sp, int64_t id, const char *class,
    const char *error, char **cause);
/* After a configuration change (SIGHUP): failed uploads are ready again. */
int vg_spool_up_rearm(struct vg_spool *sp, int64_t *count, char **cause);

/* ---- the labeler --------------------------------------------------------- */

/* Up to max segments whose task is pending or unknown and due, oldest
 * first.  *n may be 0. */
int vg_spool_task_due(struct vg_spool *sp, int64_t now_us, size_t max,
    struct vg_spool_segment **segs, size_t *n, char **cause);
/* An import was sent and its outcome is not known yet (mark before the
 * request: a crash then leaves "unknown", never a silent duplicate). */
int vg_spool_task_unknown(struct vg_spool *sp, int64_t id, char **cause);
int vg_spool_task_created(struct vg_spool *sp, int64_t id, int64_t task_id,
    char **cause);
/* Transient: due again at next_us (the state stays pending or unknown). */
int vg_spool_task_retry(struct vg_spool *sp, int64_t id, const char *error,
    int64_t next_us, char **cause);
int vg_spool_task_fail(struct vg_spool *sp, int64_t id, const char *error,
    char **cause);

/* ---- retention ----------------------------------------------------------- */

/* Local copies that may go: stored, task created (or none wanted), stored
 * before now - keep_us; oldest first, at most max. */
int vg_spool_expired(struct vg_spool *sp, int64_t now_us, int64_t keep_us,
    size_t max, struct vg_spool_segment **segs, size_t *n, char **cause);
/* Eviction order under the disk limit: stored ones first (oldest first),
 * then the oldest not stored; at most max. */
int vg_spool_evictable(struct vg_spool *sp, size_t max,
    struct vg_spool_segment **segs, size_t *n, char **cause);
/* The local copy is gone (evicted: under the disk limit). */
int vg_spool_local_gone(struct vg_spool *sp, int64_t id, bool evicted,
    int64_t now_us, char **cause);

/* ---- status -------------------------------------------------------------- */

int vg_spool_stats(struct vg_spool *sp, struct vg_spool_stats *st,
    char **cause);
void vg_spool_segments_free(struct vg_spool_segment *segs, size_t n);

#endif
