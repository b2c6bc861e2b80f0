/* ls.h - the Label Studio client, projects, tasks and the labeler engine.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Written to ../shared/label-studio-api.md (the HTTP contract): exact
 * paths and trailing slashes, legacy `Token` keys and Personal Access
 * Tokens (a JWT refresh token exchanged at /api/token/refresh/ for an
 * access token that is cached, refreshed before it expires and once more
 * on a 401), the error envelope turned into plain words.
 *
 * A client is used by one thread at a time.  Every call has a deadline
 * (the client's timeout, 429 waits included).  Errors: VG_ERR_* with an
 * English *cause (if not NULL) the caller frees; the cause never holds
 * the token.  Internal to the core and cli/ (it speaks jansson).
 */
#ifndef VIGIA_LS_H
#define VIGIA_LS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "config.h"
#include "labelstudio.h"

struct vg_ls;
struct vg_spool;
struct vg_spool_segment;

/* What the last failed call was, for callers that must know whether a
 * request may have had an effect (an import). */
enum vg_ls_fail {
	VG_LS_FAIL_NONE,
	VG_LS_FAIL_CONNECT,	/* never reached the server: no effect */
	VG_LS_FAIL_UNKNOWN,	/* timeout, dropped, 5xx: effect unknown */
	VG_LS_FAIL_AUTH,	/* 401/403: bad or expired token */
	VG_LS_FAIL_NOTFOUND,	/* 404 */
	VG_LS_FAIL_INVALID,	/* 400: refused, nothing done */
	VG_LS_FAIL_RATE,	/* 429 beyond the deadline */
	VG_LS_FAIL_PROTO,	/* a reply that is not what the contract says */
};

/* How a client authenticates (VG_LS_TOKEN_AUTO: by the token's shape: a
 * JWT with "exp" is a Personal Access Token, anything else a legacy
 * key). */
struct vg_ls_opts {
	const char *url;		/* "http://127.0.0.1:8080" (a path is
					 * kept, a trailing '/' dropped) */
	const char *token;		/* copied; wiped at vg_ls_free() */
	enum vg_ls_token_type token_type;
	bool insecure;			/* skip TLS certificate checks */
	int timeout_ms;			/* per call; 0: 30 s (or
					 * $VIGIA_TEST_LS_TIMEOUT_MS) */
};

int vg_ls_new(const struct vg_ls_opts *opts, struct vg_ls **out,
    char **cause);
/* From the configuration's label_studio section. */
int vg_ls_new_config(const struct vg_label_studio *cfg, struct vg_ls **out,
    char **cause);
void vg_ls_free(struct vg_ls *ls);

/* While *flag is not 0, transfers are aborted at once (an engine that
 * stops); NULL: never. */
void vg_ls_set_abort(struct vg_ls *ls, const volatile int *flag);
/* VG_LS_TOKEN_LEGACY or VG_LS_TOKEN_PAT (after auto detection). */
enum vg_ls_token_type vg_ls_scheme(const struct vg_ls *ls);
const char *vg_ls_url(const struct vg_ls *ls);
enum vg_ls_fail vg_ls_last_fail(const struct vg_ls *ls);
/* How many access tokens were fetched (tests, status). */
int vg_ls_refreshes(const struct vg_ls *ls);

/*
 * One API call: method, path (exact spelling, with or without its slash
 * as the contract says), query (already encoded, without '?', or NULL),
 * body (borrowed; NULL for none).  2xx: 0 and *reply (may be NULL) gets
 * the decoded JSON (NULL for an empty body).  *status (may be NULL) gets
 * the HTTP status (0: no reply).  Otherwise a VG_ERR_* and *cause in
 * plain words (bad token, expired token, no such project/object, invalid
 * with the server's validation messages, server error with its message).
 */
int vg_ls_call(struct vg_ls *ls, const char *method, const char *path,
    const char *query, json_t *body, json_t **reply, long *status,
    char **cause);
/* Like vg_ls_call() for endpoints that need no auth and may answer with a
 * non-JSON body: *text (may be NULL) gets the body. */
int vg_ls_call_raw(struct vg_ls *ls, const char *method, const char *path,
    const char *query, json_t *body, bool auth, char **text, long *status,
    char **cause);

/* Liveness (GET /health/), the release ("1.22.0") and who the token is
 * ("ana@example.com (id 1)"); *release / *who allocated. */
int vg_ls_health(struct vg_ls *ls, char **cause);
int vg_ls_version(struct vg_ls *ls, char **release, char **cause);
int vg_ls_whoami(struct vg_ls *ls, char **who, char **cause);

/* URL-encode s for a query string (allocated). */
char *vg_ls_escape(const char *s);

/* ---- projects (ls-project.c) -------------------------------------------- */

/* The label-config templates' directory: $VIGIA_LABEL_CONFIG_DIR; else the
 * source tree's data/label-configs when run from the build tree; else
 * PKGDATADIR/label-configs. */
const char *vg_ls_template_dir(void);
/*
 * The label config for template (a name such as "video-tracking" or an
 * absolute .xml path) with frameRate = fps (0 keeps "$fps": each task's
 * own data.fps) and labels (NULL or n == 0: the template's own).  *xml
 * allocated.
 */
int vg_ls_render_config(const char *template, double fps,
    const char *const *labels, size_t n, char **xml, char **cause);
/* Ask the server whether xml is a valid config (POST
 * /api/projects/validate/, or /api/projects/ID/validate/ when project_id
 * is not 0: then checked against its annotations too).  VG_ERR_CONFIG
 * with the server's messages; a config using TimelineLabels on a server
 * without it says so. */
int vg_ls_config_validate(struct vg_ls *ls, int project_id, const char *xml,
    char **cause);
/* Find a project by exact title: *id 0 when there is none. */
int vg_ls_project_find(struct vg_ls *ls, const char *title, int *id,
    char **cause);
/*
 * Ensure the project: by id (must exist) or by title (created when
 * missing).  xml (may be NULL) is validated first; it is saved into a
 * project that has none (an empty <View>), and, with replace, into one
 * whose config differs (vigiad does not replace: a config edited in
 * Label Studio stays).  *created tells whether it was made.
 */
int vg_ls_project_ensure(struct vg_ls *ls, int id, const char *title,
    const char *xml, bool replace, int *out_id, bool *created,
    char **cause);

/* The S3 source storage that resolves s3:// URIs (no prefix, not
 * synchronizable, presign on, presign_ttl from ttl_s): found by bucket or
 * created, validated first.  *storage_id gets its id. */
struct vg_ls_s3 {
	const char *bucket;
	const char *region;
	const char *endpoint;	/* NULL: AWS */
	const char *access_key;
	const char *secret_key;
	int presign_ttl_s;
};
int vg_ls_storage_ensure(struct vg_ls *ls, int project_id,
    const struct vg_ls_s3 *s3, int *storage_id, char **cause);
/* Such a storage of the project for bucket: *storage_id, 0 when none. */
int vg_ls_storage_find(struct vg_ls *ls, int project_id, const char *bucket,
    int *storage_id, char **cause);
/* Ask the server to check the storage's connection (nothing is made). */
int vg_ls_storage_validate(struct vg_ls *ls, int project_id,
    const struct vg_ls_s3 *s3, char **cause);

/* ---- tasks (ls-tasks.c) -------------------------------------------------- */

/* The frame rate every enabled camera of cfg records at (encoder.fps), or
 * 0 when they differ or none is set: the label config's frameRate. */
double vg_ls_config_fps(const struct vg_config *cfg);
/* The idempotency key of a segment: "SITE/CAMERA/2026-12-06T04:00:00.000Z"
 * (allocated). */
char *vg_ls_segment_key(const struct vg_spool_segment *seg);
/* Look a task up by data.segment_key: *task_id 0 when there is none (more
 * than one: the lowest id, and a warning). */
int vg_ls_task_lookup(struct vg_ls *ls, int project_id, const char *key,
    int64_t *task_id, char **cause);

/* The labeler engine: one thread that imports a task for every stored
 * segment whose task is pending in the journal, and looks every unknown
 * outcome up before importing again.  Bounded stop (<= 5 s). */
struct vg_labeler;
struct vg_labeler *vg_labeler_start(const struct vg_config *cfg,
    struct vg_spool *sp, char **cause);
void vg_labeler_reload(struct vg_labeler *lb, const struct vg_config *cfg);
void vg_labeler_stop(struct vg_labeler *lb);
/* Fill a caller-given jansson object (json_t *) for the status socket. */
void vg_labeler_status(struct vg_labeler *lb, void *json_object);
/* Wake the engine now (a segment was stored). */
void vg_labeler_kick(struct vg_labeler *lb);

/* vg_ls_check() and vg_ls_cors_json(): labelstudio.h (public). */

/* ---- the dataset (ls-dataset.c) ------------------------------------------ */

struct vg_dataset_opts {
	int project_id;		/* 0: the configuration's */
	const char *dir;
	int width, height;	/* frame size when tasks lack data.width/height
				 * (0: unknown: no pixels, no MOT file) */
};

struct vg_dataset_stats {
	int segments;		/* with a usable annotation */
	int written;		/* files (re)written, manifest included */
	int unchanged;
	int removed;		/* files of segments no longer annotated */
	int skipped;		/* exported tasks without a usable one */
};

/* Export the project's annotated tasks (a snapshot) and merge them into
 * o->dir (see ls-dataset.c for the layout). */
int vg_dataset_pull(const struct vg_label_studio *cfg,
    const struct vg_dataset_opts *o, struct vg_dataset_stats *st,
    char **cause);
/* The merge alone, from an export (a JSON array of tasks). */
int vg_dataset_merge(json_t *export, const struct vg_dataset_opts *o,
    struct vg_dataset_stats *st, char **cause);

#endif /* VIGIA_LS_H */
