/* store.h - storage targets: S3, FTP/FTPS/SFTP and a local archive behind
 * one small interface, the uploader engine, and the `vigia test` probe.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A struct vg_store is one opened storage entry (its configuration is
 * copied).  Its calls block with deadlines (connect, low speed, total) and
 * stream files from disk with bounded memory; they can be used from one
 * thread at a time each (the uploader opens one per worker).  Failures
 * fill a struct vg_store_err: a class, whether retrying can help, and a
 * message in plain (translated) words that never holds a secret.
 */
#ifndef VIGIA_STORE_H
#define VIGIA_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libvigia.h"

struct vg_spool;
struct vg_config;

/* Why a call failed.  cls is static: "net", "tls", "auth", "bucket",
 * "region", "clock", "server", "full", "verify", "local", "config". */
struct vg_store_err {
	bool permanent;		/* retrying will not help until the
				 * configuration (or the store) changes */
	const char *cls;
	char *msg;		/* allocated; plain words, translated */
};
void vg_store_err_clear(struct vg_store_err *e);

/* A bandwidth cap shared by every upload of a process (a token bucket);
 * 0 bytes/s: unlimited.  Thread-safe. */
struct vg_rate;
struct vg_rate *vg_rate_new(int64_t bytes_per_s);
void vg_rate_set(struct vg_rate *r, int64_t bytes_per_s);
/* Wait until n bytes may be sent (at most ~200 ms per call: callers send
 * in small pieces); returns how many may be sent now (<= n, >= 1). */
size_t vg_rate_take(struct vg_rate *r, size_t n);
void vg_rate_free(struct vg_rate *r);

/* One upload. */
struct vg_store_put {
	const char *path;	/* the local file */
	const char *key;	/* object key, before the entry's prefix */
	const char *content_type;	/* NULL: application/octet-stream */
	struct vg_rate *rate;	/* NULL: uncapped */
	/* The journal row (S3 multipart: upload id and parts are kept
	 * there, so that a restart resumes); sp NULL: no journal. */
	struct vg_spool *sp;
	int64_t id;
	const char *upload_id;	/* the row's multipart upload, or NULL */
	const volatile int *stop;	/* non-zero: give up soon */
};

struct vg_store_result {
	char etag[80];		/* as the store reports it, or "" */
	int64_t bytes;		/* verified size */
	int64_t sent;		/* bytes sent by this call */
	bool multipart;
	int parts_reused;	/* finished parts a resume did not send */
};

struct vg_store;

struct vg_store_ops {
	/* Upload and verify (size; the checksum where the store has one). */
	int (*put)(struct vg_store *st, const struct vg_store_put *p,
	    struct vg_store_result *res, struct vg_store_err *e);
	/* Size of an object (-1 with e->cls "missing" if none). */
	int (*size)(struct vg_store *st, const char *key, int64_t *size,
	    struct vg_store_err *e);
	/* Read an object into a local file (the probe reads back). */
	int (*get)(struct vg_store *st, const char *key, const char *path,
	    struct vg_store_err *e);
	int (*del)(struct vg_store *st, const char *key,
	    struct vg_store_err *e);
	void (*free)(struct vg_store *st);
};

struct vg_store {
	const struct vg_store_ops *ops;
	char *name;
	enum vg_storage_type type;
	/* Deadlines (seconds): connect; an abort when fewer than
	 * low_speed_bytes/s pass for low_speed_s. */
	long connect_s;
	long low_speed_s;
	long low_speed_bytes;
};

/* Open a storage entry (its settings are copied).  *cause on failure. */
int vg_store_open(const struct vg_storage *cfg, struct vg_store **out,
    char **cause);
void vg_store_free(struct vg_store *st);

/* Internal constructors (store-s3.c, store-ftp.c, store-local.c). */
struct vg_store *vg_store_s3_new(const struct vg_storage *cfg, char **cause);
struct vg_store *vg_store_ftp_new(const struct vg_storage *cfg, char **cause);
struct vg_store *vg_store_local_new(const struct vg_storage *cfg,
    char **cause);

/* Helpers shared by the targets. */
void vg_store_err_set(struct vg_store_err *e, bool permanent,
    const char *cls, const char *fmt, ...)
    VG_PRINTF(4, 5);
/* curl_global_init, once. */
void vg_store_curl_init(void);
/* Append a step to a probe report and call o's step callback (o may be
 * NULL); cls: the class of a failure (NULL: "server"). */
struct vg_probe_opts;
struct vg_probe_report;
void vg_probe_step_add(const struct vg_probe_opts *o,
    struct vg_probe_report *rep, const char *cls, const char *what, bool ok,
    double ms, const char *fmt, ...) VG_PRINTF(7, 8);
/* Test hooks read once from the environment (VIGIA_TEST_*). */
long vg_store_env_long(const char *name, long dflt);

/* ---- object keys --------------------------------------------------------- */

/* The key of a segment from key_template (the placeholders of
 * vigia.conf(5)); .json for the sidecar: the key with its extension
 * replaced.  Allocated. */
char *vg_store_key(const char *tmpl, const char *site, const char *camera,
    int64_t start_us, int64_t end_us);
char *vg_store_sidecar_key(const char *key);

/* ---- the uploader engine (store-upload.c) ------------------------------- */

struct vg_uploader;
/* Start the workers for cfg->vigiad.storage on the spool sp (which must
 * outlive the uploader).  NULL with *cause when the target is missing. */
struct vg_uploader *vg_uploader_start(const struct vg_config *cfg,
    struct vg_spool *sp, char **cause);
void vg_uploader_reload(struct vg_uploader *up, const struct vg_config *cfg);
/* Stop every worker (bounded: <= 5 s; an interrupted upload resumes at
 * the next start) and free. */
void vg_uploader_stop(struct vg_uploader *up);
/* Fill a jansson json_t object with the uploader's status. */
void vg_uploader_status(struct vg_uploader *up, void *json_object);
/* Wait until nothing is due and no worker is busy, or timeout_ms passed;
 * true if idle (tests and `vigia upload`). */
bool vg_uploader_wait_idle(struct vg_uploader *up, int64_t timeout_ms);

/* ---- `vigia test` (store-probe.c) -------------------------------------- */

/* One step of a probe, in order. */
struct vg_probe_step {
	char *what;		/* "reach", "auth", "write", "read back"... */
	bool ok;
	char *detail;		/* plain words */
	double ms;
	const char *cls;	/* a failure's class (see vg_store_err;
				 * "dns" and "net" for reach), else NULL */
};

struct vg_probe_report {
	struct vg_probe_step *steps;
	size_t n;
	bool ok;
	double throughput_bps;	/* measured upload, bytes/s; 0 unknown */
	/* the uplink budget */
	double need_bps;	/* sum of the enabled cameras' bitrates */
	int cameras;
	char *advice;		/* plain words, or NULL */
};

/* Probe a storage entry: reach, auth, write, read back, delete a probe
 * object of probe_bytes, measure the upload throughput, and weigh it
 * against the cameras of cfg. */
int vg_store_probe(const struct vg_config *cfg, const struct vg_storage *st,
    int64_t probe_bytes, struct vg_probe_report *rep, char **cause);
void vg_probe_report_clear(struct vg_probe_report *rep);

/* How the wizard runs a probe: a stop flag (non-zero: stop soon, the
 * call returns VG_ERR_CANCELLED) and a callback after every step (from
 * the calling thread; i is the step's index in the report). */
struct vg_probe_opts {
	int64_t probe_bytes;	/* 0: 4 MB (the NVR check: 256 KB) */
	const volatile int *stop;	/* NULL: never */
	void (*step)(void *arg, const struct vg_probe_step *s, size_t i);
	void *arg;
};
/* Steps of a probe and of an NVR check, for a progress bar. */
#define VG_PROBE_STEPS 5
#define VG_NVR_CHECK_STEPS 7
int vg_store_probe_with(const struct vg_config *cfg,
    const struct vg_storage *st, const struct vg_probe_opts *o,
    struct vg_probe_report *rep, char **cause);

/*
 * The FTP target an existing NVR pushes to (an ftp, ftps or sftp entry),
 * tested end to end from this box as the NVR will use it: log in, the
 * directory (created when missing), make a subdirectory, put a small file
 * into it (passive data connection unless passive = false), list it,
 * delete both, and what the server announced for passive mode.  The
 * report's advice says what the NVR needs that this box cannot test.
 * VG_ERR_USAGE for another type.
 */
int vg_store_nvr_check(const struct vg_storage *st,
    const struct vg_probe_opts *o, struct vg_probe_report *rep,
    char **cause);

/* A presigned GET URL (allocated into *url; it grants access: never log
 * it) for an object of an S3 storage entry, valid for expires seconds
 * (1..604800).  key is as vigia names it (the entry's prefix is added),
 * or "s3://BUCKET/FULL-KEY" as it is.  VG_ERR_USAGE with *cause. */
int vg_store_presign(const struct vg_storage *st, const char *key,
    int64_t expires, char **url, char **cause);

#endif /* VIGIA_STORE_H */
