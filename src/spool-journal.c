/* spool-journal.c - the spool journal in SQLite (see spool.h).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One connection per process, serialized by a mutex (SQLite's own
 * serialized mode would do, but the mutex also makes a read-modify-write
 * such as a claim atomic without an explicit transaction per caller).
 * WAL with synchronous=FULL: a committed transition survives a power cut.
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>
#include <sqlite3.h>

#include "spool.h"
#include "libvigia.h"

#define SPOOL_SCHEMA_VERSION 1

struct vg_spool {
	sqlite3 *db;
	char *path;
	char run[33];		/* this process's claims */
	int lock_fd;		/* DIR/spool.lock, flock'd: one process */
	pthread_mutex_t lock;
};

static const char spool_schema[] =
    "CREATE TABLE IF NOT EXISTS meta ("
    "  key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS segments ("
    "  id INTEGER PRIMARY KEY,"
    "  camera TEXT NOT NULL, site TEXT NOT NULL,"
    "  path TEXT NOT NULL UNIQUE, sidecar TEXT NOT NULL,"
    "  start_us INTEGER NOT NULL, end_us INTEGER NOT NULL,"
    "  bytes INTEGER NOT NULL, sha256 TEXT NOT NULL,"
    "  recovered INTEGER NOT NULL DEFAULT 0,"
    "  fps REAL NOT NULL DEFAULT 0, frames INTEGER NOT NULL DEFAULT 0,"
    "  created_us INTEGER NOT NULL,"
    "  up INTEGER NOT NULL DEFAULT 0,"
    "  up_claim TEXT, store TEXT, object_key TEXT, upload_id TEXT,"
    "  etag TEXT, sidecar_stored INTEGER NOT NULL DEFAULT 0,"
    "  up_attempts INTEGER NOT NULL DEFAULT 0,"
    "  up_next_us INTEGER NOT NULL DEFAULT 0,"
    "  up_error TEXT, up_class TEXT, stored_us INTEGER,"
    "  task INTEGER NOT NULL DEFAULT 0, task_id INTEGER NOT NULL DEFAULT 0,"
    "  task_attempts INTEGER NOT NULL DEFAULT 0,"
    "  task_next_us INTEGER NOT NULL DEFAULT 0, task_error TEXT,"
    "  local INTEGER NOT NULL DEFAULT 0, local_gone_us INTEGER);"
    "CREATE TABLE IF NOT EXISTS parts ("
    "  segment INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,"
    "  number INTEGER NOT NULL, bytes INTEGER NOT NULL,"
    "  etag TEXT NOT NULL, PRIMARY KEY (segment, number));"
    "CREATE INDEX IF NOT EXISTS segments_up ON segments(up, start_us);"
    "CREATE INDEX IF NOT EXISTS segments_task ON segments(task, start_us);"
    "CREATE INDEX IF NOT EXISTS segments_local ON segments(local, start_us);";

#define SEG_COLUMNS "id, camera, site, path, sidecar, start_us, end_us, " \
	"bytes, sha256, recovered, fps, frames, created_us, up, store, " \
	"object_key, upload_id, etag, sidecar_stored, up_attempts, " \
	"up_next_us, up_error, up_class, stored_us, task, task_id, " \
	"task_attempts, task_next_us, task_error, local, local_gone_us"

static void
spool_cause(struct vg_spool *sp, char **cause, const char *what)
{
	if (cause != NULL)
		xasprintf(cause, "spool journal %s: %s: %s", sp->path, what,
		    sqlite3_errmsg(sp->db));
}

/* The error class of an SQLite result. */
static int
spool_err(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return VG_ERR_IO;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return VG_ERR_TIMEOUT;
	case SQLITE_PERM:
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
		return VG_ERR_PERM;
	case SQLITE_NOMEM:
		return VG_ERR_NOMEM;
	case SQLITE_CONSTRAINT:
		return VG_ERR_EXISTS;
	default:
		return VG_ERR_INTERNAL;
	}
}

static int
spool_exec(struct vg_spool *sp, const char *sql, char **cause)
{
	int rc = sqlite3_exec(sp->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		spool_cause(sp, cause, "cannot update");
		return spool_err(rc);
	}
	return VG_OK;
}

int
vg_spool_open(const char *dir, struct vg_spool **out, char **cause)
{
	struct vg_spool *sp = xcalloc(1, sizeof *sp);
	unsigned char r[16];
	char sql[128];
	int rc, err, i;

	*out = NULL;
	xasprintf(&sp->path, "%s/spool.db", dir);
	pthread_mutex_init(&sp->lock, NULL);
	{
		char *lock;

		xasprintf(&lock, "%s/spool.lock", dir);
		sp->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (sp->lock_fd == -1) {
			if (cause != NULL)
				xasprintf(cause, "cannot open %s: %s", lock,
				    strerror(errno));
			err = errno == EACCES ? VG_ERR_PERM : VG_ERR_IO;
			free(lock);
			goto fail;
		}
		if (flock(sp->lock_fd, LOCK_EX | LOCK_NB) == -1) {
			if (cause != NULL)
				xasprintf(cause, "the spool %s is in use by "
				    "another process (another vigiad?)", dir);
			err = errno == EWOULDBLOCK ? VG_ERR_EXISTS : VG_ERR_IO;
			free(lock);
			goto fail;
		}
		free(lock);
	}
	if (RAND_bytes(r, sizeof r) != 1) {
		for (i = 0; i < (int)sizeof r; i++)
			r[i] = (unsigned char)(rand() ^ getpid() ^ time(NULL));
	}
	for (i = 0; i < (int)sizeof r; i++)
		snprintf(sp->run + 2 * i, 3, "%02x", r[i]);
	rc = sqlite3_open_v2(sp->path, &sp->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
	if (rc != SQLITE_OK) {
		if (cause != NULL)
			xasprintf(cause, "cannot open the spool journal %s: %s",
			    sp->path, sp->db != NULL ? sqlite3_errmsg(sp->db) :
			    strerror(ENOMEM));
		err = spool_err(rc);
		goto fail;
	}
	sqlite3_busy_timeout(sp->db, 5000);
	sqlite3_extended_result_codes(sp->db, 1);
	if ((err = spool_exec(sp, "PRAGMA journal_mode=WAL;"
	    "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", cause)) != 0)
		goto fail;
	if ((err = spool_exec(sp, "BEGIN IMMEDIATE;", cause)) != 0)
		goto fail;
	if ((err = spool_exec(sp, spool_schema, cause)) != 0) {
		sqlite3_exec(sp->db, "ROLLBACK;", NULL, NULL, NULL);
		goto fail;
	}
	snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO meta VALUES "
	    "('schema', '%d'); COMMIT;", SPOOL_SCHEMA_VERSION);
	if ((err = spool_exec(sp, sql, cause)) != 0)
		goto fail;
	*out = sp;
	return VG_OK;
fail:
	vg_spool_close(sp);
	return err;
}

void
vg_spool_close(struct vg_spool *sp)
{
	if (sp == NULL)
		return;
	if (sp->db != NULL)
		sqlite3_close(sp->db);
	if (sp->lock_fd > 0)
		close(sp->lock_fd);
	pthread_mutex_destroy(&sp->lock);
	free(sp->path);
	free(sp);
}

const char *
vg_spool_path(const struct vg_spool *sp)
{
	return sp->path;
}

void
vg_spool_segment_clear(struct vg_spool_segment *s)
{
	free(s->camera);
	free(s->site);
	free(s->path);
	free(s->sidecar);
	free(s->store);
	free(s->object_key);
	free(s->upload_id);
	free(s->etag);
	free(s->up_error);
	free(s->up_class);
	free(s->task_error);
	memset(s, 0, sizeof *s);
}

void
vg_spool_segments_free(struct vg_spool_segment *segs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		vg_spool_segment_clear(&segs[i]);
	free(segs);
}

void
vg_spool_parts_free(struct vg_spool_part *parts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(parts[i].etag);
	free(parts);
}

/* ---- statements ------------------------------------------------------------ */

static char *
col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t != NULL ? xstrdup((const char *)t) : NULL;
}

/* Fill seg from a row of SEG_COLUMNS. */
static void
seg_from_row(sqlite3_stmt *st, struct vg_spool_segment *s)
{
	const unsigned char *h;

	memset(s, 0, sizeof *s);
	s->id = sqlite3_column_int64(st, 0);
	s->camera = col_str(st, 1);
	s->site = col_str(st, 2);
	s->path = col_str(st, 3);
	s->sidecar = col_str(st, 4);
	s->start_us = sqlite3_column_int64(st, 5);
	s->end_us = sqlite3_column_int64(st, 6);
	s->bytes = sqlite3_column_int64(st, 7);
	h = sqlite3_column_text(st, 8);
	if (h != NULL)
		snprintf(s->sha256, sizeof s->sha256, "%s", (const char *)h);
	s->recovered = sqlite3_column_int(st, 9) != 0;
	s->fps = sqlite3_column_double(st, 10);
	s->frames = sqlite3_column_int64(st, 11);
	s->created_us = sqlite3_column_int64(st, 12);
	s->up = (enum vg_spool_up)sqlite3_column_int(st, 13);
	s->store = col_str(st, 14);
	s->object_key = col_str(st, 15);
	s->upload_id = col_str(st, 16);
	s->etag = col_str(st, 17);
	s->sidecar_stored = sqlite3_column_int(st, 18) != 0;
	s->up_attempts = sqlite3_column_int(st, 19);
	s->up_next_us = sqlite3_column_int64(st, 20);
	s->up_error = col_str(st, 21);
	s->up_class = col_str(st, 22);
	s->stored_us = sqlite3_column_int64(st, 23);
	s->task = (enum vg_spool_task)sqlite3_column_int(st, 24);
	s->task_id = sqlite3_column_int64(st, 25);
	s->task_attempts = sqlite3_column_int(st, 26);
	s->task_next_us = sqlite3_column_int64(st, 27);
	s->task_error = col_str(st, 28);
	s->local = (enum vg_spool_local)sqlite3_column_int(st, 29);
	s->local_gone_us = sqlite3_column_int64(st, 30);
}

/* Bind arguments by a tiny format: i int64, d double, s text (NULL ok),
 * b bool. */
static int
bindv(sqlite3_stmt *st, const char *fmt, va_list ap)
{
	int i, rc = SQLITE_OK;

	for (i = 1; *fmt != '\0' && rc == SQLITE_OK; fmt++, i++) {
		switch (*fmt) {
		case 'i':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'd':
			rc = sqlite3_bind_double(st, i, va_arg(ap, double));
			break;
		case 'b':
			rc = sqlite3_bind_int(st, i, va_arg(ap, int) ? 1 : 0);
			break;
		default: {
			const char *t = va_arg(ap, const char *);

			rc = t != NULL ? sqlite3_bind_text(st, i, t, -1,
			    SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
			break;
		}
		}
	}
	return rc;
}

/* Run one statement that changes rows; *changed gets how many (may be
 * NULL).  The caller holds the lock. */
static int
spool_run(struct vg_spool *sp, int *changed, char **cause, const char *sql,
    const char *fmt, ...)
{
	sqlite3_stmt *st = NULL;
	va_list ap;
	int rc;

	rc = sqlite3_prepare_v2(sp->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		va_start(ap, fmt);
		rc = bindv(st, fmt, ap);
		va_end(ap);
	}
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE || rc == SQLITE_ROW)
			rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK) {
		spool_cause(sp, cause, "cannot update");
		sqlite3_finalize(st);
		return spool_err(rc);
	}
	if (changed != NULL)
		*changed = sqlite3_changes(sp->db);
	sqlite3_finalize(st);
	return VG_OK;
}

/* Select segment rows (SEG_COLUMNS ...) into a new array. */
static int
spool_select(struct vg_spool *sp, struct vg_spool_segment **segs, size_t *n,
    char **cause, const char *where, const char *fmt, ...)
{
	sqlite3_stmt *st = NULL;
	char *sql;
	size_t cap = 0;
	va_list ap;
	int rc;

	*segs = NULL;
	*n = 0;
	xasprintf(&sql, "SELECT " SEG_COLUMNS " FROM segments %s", where);
	rc = sqlite3_prepare_v2(sp->db, sql, -1, &st, NULL);
	free(sql);
	if (rc == SQLITE_OK) {
		va_start(ap, fmt);
		rc = bindv(st, fmt, ap);
		va_end(ap);
	}
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap != 0 ? 2 * cap : 8;
			*segs = xreallocarray(*segs, cap, sizeof **segs);
		}
		seg_from_row(st, &(*segs)[(*n)++]);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		spool_cause(sp, cause, "cannot read");
		vg_spool_segments_free(*segs, *n);
		*segs = NULL;
		*n = 0;
		return spool_err(rc);
	}
	return VG_OK;
}

/* One row, or VG_ERR_NOTFOUND. */
static int
spool_one(struct vg_spool *sp, struct vg_spool_segment *out, char **cause,
    const char *where, const char *fmt, const char *text, int64_t num)
{
	struct vg_spool_segment *v;
	size_t n;
	int err;

	if (*fmt == 's')
		err = spool_select(sp, &v, &n, cause, where, fmt, text);
	else
		err = spool_select(sp, &v, &n, cause, where, fmt, num);
	if (err != 0)
		return err;
	if (n == 0) {
		free(v);
		if (cause != NULL)
			xasprintf(cause, "no such segment in %s", sp->path);
		return VG_ERR_NOTFOUND;
	}
	*out = v[0];
	memset(&v[0], 0, sizeof v[0]);
	vg_spool_segments_free(v, n);
	return VG_OK;
}

#define LOCKED(sp, expr) ({ int r_; pthread_mutex_lock(&(sp)->lock); \
	r_ = (expr); pthread_mutex_unlock(&(sp)->lock); r_; })

/* ---- the recorder ------------------------------------------------------------ */

int
vg_spool_add(struct vg_spool *sp, const struct vg_spool_segment *s,
    int64_t *id, char **cause)
{
	int err;

	if (s->camera == NULL || s->site == NULL || s->path == NULL ||
	    s->sidecar == NULL) {
		if (cause != NULL)
			xasprintf(cause, "a segment needs a camera, a site, "
			    "a path and a sidecar");
		return VG_ERR_USAGE;
	}
	pthread_mutex_lock(&sp->lock);
	err = spool_run(sp, NULL, cause, "INSERT INTO segments (camera, site, "
	    "path, sidecar, start_us, end_us, bytes, sha256, recovered, fps, "
	    "frames, created_us) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
	    "ssssiiisbdii", s->camera, s->site, s->path, s->sidecar,
	    s->start_us, s->end_us, s->bytes, s->sha256, (int)s->recovered,
	    s->fps, s->frames, s->created_us);
	if (err == VG_ERR_EXISTS && cause != NULL) {
		free(*cause);
		xasprintf(cause, "%s is already in the spool journal", s->path);
	}
	if (err == 0 && id != NULL)
		*id = sqlite3_last_insert_rowid(sp->db);
	pthread_mutex_unlock(&sp->lock);
	return err;
}

bool
vg_spool_has_path(struct vg_spool *sp, const char *path)
{
	struct vg_spool_segment s;

	if (vg_spool_get_path(sp, path, &s, NULL) != 0)
		return false;
	vg_spool_segment_clear(&s);
	return true;
}

int
vg_spool_get(struct vg_spool *sp, int64_t id, struct vg_spool_segment *out,
    char **cause)
{
	return LOCKED(sp, spool_one(sp, out, cause, "WHERE id = ?", "i", NULL,
	    id));
}

int
vg_spool_get_path(struct vg_spool *sp, const char *path,
    struct vg_spool_segment *out, char **cause)
{
	return LOCKED(sp, spool_one(sp, out, cause, "WHERE path = ?", "s",
	    path, 0));
}

/* ---- the uploader -------------------------------------------------------------- */

int
vg_spool_up_claim(struct vg_spool *sp, const char *store, int64_t now_us,
    struct vg_spool_segment *out, char **cause)
{
	sqlite3_stmt *st = NULL;
	int64_t id = 0;
	int rc, err = 0;

	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&sp->lock);
	/* one statement claims the oldest due row atomically */
	rc = sqlite3_prepare_v2(sp->db, "UPDATE segments SET up = 1, "
	    "up_claim = ?1, store = coalesce(store, ?2), "
	    "up_attempts = up_attempts + 1 WHERE id = (SELECT id FROM segments "
	    "WHERE local = 0 AND (store IS NULL OR store = ?2) AND "
	    "(up = 0 OR (up = 1 AND up_claim IS NOT ?1)) AND up_next_us <= ?3 "
	    "ORDER BY start_us, id LIMIT 1) RETURNING id", -1, &st, NULL);
	if (rc == SQLITE_OK &&
	    (rc = sqlite3_bind_text(st, 1, sp->run, -1, SQLITE_STATIC)) ==
	    SQLITE_OK &&
	    (rc = sqlite3_bind_text(st, 2, store, -1, SQLITE_TRANSIENT)) ==
	    SQLITE_OK &&
	    (rc = sqlite3_bind_int64(st, 3, now_us)) == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			id = sqlite3_column_int64(st, 0);
			rc = sqlite3_step(st);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		spool_cause(sp, cause, "cannot claim a segment");
		err = spool_err(rc);
	} else if (id == 0)
		err = VG_ERR_NOTFOUND;
	else
		err = spool_one(sp, out, cause, "WHERE id = ?", "i", NULL, id);
	pthread_mutex_unlock(&sp->lock);
	return err;
}

/* A change to one row that must exist. */
static int
spool_row(struct vg_spool *sp, int64_t id, char **cause, const char *sql,
    const char *fmt, ...)
{
	sqlite3_stmt *st = NULL;
	va_list ap;
	int rc, err = 0;

	pthread_mutex_lock(&sp->lock);
	rc = sqlite3_prepare_v2(sp->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		va_start(ap, fmt);
		rc = bindv(st, fmt, ap);
		va_end(ap);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, sqlite3_bind_parameter_count(st),
		    id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		spool_cause(sp, cause, "cannot update");
		err = spool_err(rc);
	} else if (sqlite3_changes(sp->db) == 0) {
		if (cause != NULL)
			xasprintf(cause, "segment %" PRId64 " is not in %s, "
			    "or not in the state this step needs", id,
			    sp->path);
		err = VG_ERR_NOTFOUND;
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&sp->lock);
	return err;
}

int
vg_spool_up_key(struct vg_spool *sp, int64_t id, const char *key,
    char **key_out, char **cause)
{
	struct vg_spool_segment s;
	int err;

	*key_out = NULL;
	pthread_mutex_lock(&sp->lock);
	err = spool_run(sp, NULL, cause, "UPDATE segments SET object_key = ? "
	    "WHERE id = ? AND object_key IS NULL", "si", key, id);
	if (err == 0)
		err = spool_one(sp, &s, cause, "WHERE id = ?", "i", NULL, id);
	pthread_mutex_unlock(&sp->lock);
	if (err != 0)
		return err;
	*key_out = s.object_key;
	s.object_key = NULL;
	vg_spool_segment_clear(&s);
	return VG_OK;
}

int
vg_spool_up_multipart(struct vg_spool *sp, int64_t id, const char *upload_id,
    char **cause)
{
	int err;

	if (upload_id != NULL)
		return spool_row(sp, id, cause, "UPDATE segments SET "
		    "upload_id = ? WHERE id = ?", "s", upload_id);
	pthread_mutex_lock(&sp->lock);
	err = spool_exec(sp, "BEGIN IMMEDIATE;", cause);
	if (err == 0)
		err = spool_run(sp, NULL, cause, "DELETE FROM parts WHERE "
		    "segment = ?", "i", id);
	if (err == 0)
		err = spool_run(sp, NULL, cause, "UPDATE segments SET "
		    "upload_id = NULL WHERE id = ?", "i", id);
	if (err == 0)
		err = spool_exec(sp, "COMMIT;", cause);
	else
		sqlite3_exec(sp->db, "ROLLBACK;", NULL, NULL, NULL);
	pthread_mutex_unlock(&sp->lock);
	return err;
}

int
vg_spool_up_part(struct vg_spool *sp, int64_t id, int number, int64_t bytes,
    const char *etag, char **cause)
{
	int err;

	pthread_mutex_lock(&sp->lock);
	err = spool_run(sp, NULL, cause, "INSERT OR REPLACE INTO parts "
	    "(segment, number, bytes, etag) VALUES (?,?,?,?)", "iiis", id,
	    (int64_t)number, bytes, etag);
	pthread_mutex_unlock(&sp->lock);
	return err;
}

int
vg_spool_up_parts(struct vg_spool *sp, int64_t id,
    struct vg_spool_part **parts, size_t *n, char **cause)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	*parts = NULL;
	*n = 0;
	pthread_mutex_lock(&sp->lock);
	rc = sqlite3_prepare_v2(sp->db, "SELECT number, bytes, etag FROM "
	    "parts WHERE segment = ? ORDER BY number", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, id);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap != 0 ? 2 * cap : 16;
			*parts = xreallocarray(*parts, cap, sizeof **parts);
		}
		(*parts)[*n].number = sqlite3_column_int(st, 0);
		(*parts)[*n].bytes = sqlite3_column_int64(st, 1);
		(*parts)[*n].etag = col_str(st, 2);
		(*n)++;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		spool_cause(sp, cause, "cannot read the parts");
		pthread_mutex_unlock(&sp->lock);
		vg_spool_parts_free(*parts, *n);
		*parts = NULL;
		*n = 0;
		return spool_err(rc);
	}
	pthread_mutex_unlock(&sp->lock);
	return VG_OK;
}

int
vg_spool_up_sidecar(struct vg_spool *sp, int64_t id, char **cause)
{
	return spool_row(sp, id, cause, "UPDATE segments SET sidecar_stored "
	    "= 1 WHERE id = ?", "");
}

int
vg_spool_up_stored(struct vg_spool *sp, int64_t id, const char *etag,
    bool want_task, int64_t now_us, char **cause)
{
	int err;

	pthread_mutex_lock(&sp->lock);
	err = spool_exec(sp, "BEGIN IMMEDIATE;", cause);
	if (err == 0)
		err = spool_run(sp, NULL, cause, "UPDATE segments SET up = 2, "
		    "up_claim = NULL, etag = ?, stored_us = ?, up_error = NULL, "
		    "up_class = NULL, upload_id = NULL, task = CASE WHEN ? AND "
		    "task = 0 THEN 1 ELSE task END WHERE id = ?", "sibi", etag,
		    now_us, (int)want_task, id);
	if (err == 0 && sqlite3_changes(sp->db) == 0) {
		if (cause != NULL)
			xasprintf(cause, "segment %" PRId64 " is not in %s",
			    id, sp->path);
		err = VG_ERR_NOTFOUND;
	}
	if (err == 0)
		err = spool_run(sp, NULL, cause, "DELETE FROM parts WHERE "
		    "segment = ?", "i", id);
	if (err == 0)
		err = spool_exec(sp, "COMMIT;", cause);
	else
		sqlite3_exec(sp->db, "ROLLBACK;", NULL, NULL, NULL);
	pthread_mutex_unlock(&sp->lock);
	return err;
}

int
vg_spool_up_retry(struct vg_spool *sp, int64_t id, const char *class,
    const char *error, int64_t next_us, char **cause)
{
	return spool_row(sp, id, cause, "UPDATE segments SET up = 0, "
	    "up_claim = NULL, up_class = ?, up_error = ?, up_next_us = ? "
	    "WHERE id = ? AND up != 2", "ssi", class, error, next_us);
}

int
vg_spool_up_fail(struct vg_spool *sp, int64_t id, const char *class,
    const char *error, char **cause)
{
	return spool_row(sp, id, cause, "UPDATE segments SET up = 3, "
	    "up_claim = NULL, up_class = ?, up_error = ? WHERE id = ? AND "
	    "up != 2", "ss", class, error);
}

int
vg_spool_up_rearm(struct vg_spool *sp, int64_t *count, char **cause)
{
	int err, changed = 0;

	pthread_mutex_lock(&sp->lock);
	err = spool_run(sp, &changed, cause, "UPDATE segments SET up = 0, "
	    "up_next_us = 0 WHERE up = 3", "");
	pthread_mutex_unlock(&sp->lock);
	if (count != NULL)
		*count = changed;
	return err;
}

/* ---- the labeler ---------------------------------------------------------------- */

int
vg_spool_task_due(struct vg_spool *sp, int64_t now_us, size_t max,
    struct vg_spool_segment **segs, size_t *n, char **cause)
{
	return LOCKED(sp, spool_select(sp, segs, n, cause, "WHERE task IN "
	    "(1, 2) AND task_next_us <= ? ORDER BY start_us, id LIMIT ?",
	    "ii", now_us, (int64_t)max));
}

int
vg_spool_task_unknown(struct vg_spool *sp, int64_t id, char **cause)
{
	return spool_row(sp, id, cause, "UPDATE segments SET task = 2, "
	    "task_attempts = task_attempts + 1 WHERE id = ? AND task IN "
	    "(1, 2)", "");
}

int
vg_spool_task_created(struct vg_spool *sp, int64_t id, int64_t task_id,
    char **cause)
{
	return spool_row(sp, id, cause, "UPDATE segments SET task = 3, "
	    "task_id = ?, task_error = NULL WHERE id = ?", "i", task_id);
}

int
vg_spool_task_retry(struct vg_spool *sp, int64_t id, const char *error,
    int64_t next_us, char **cause)
{
	return spool_row(sp, id, cause, "UPDATE segments SET task_error = ?, "
	    "task_next_us = ? WHERE id = ? AND task IN (1, 2)", "si", error,
	    next_us);
}

int
vg_spool_task_fail(struct vg_spool *sp, int64_t id, const char *error,
    char **cause)
{
	return spool_row(sp, id, cause, "UPDATE segments SET task = 4, "
	    "task_error = ? WHERE id = ? AND task != 3", "s", error);
}

/* ---- retention ------------------------------------------------------------------- */

int
vg_spool_expired(struct vg_spool *sp, int64_t now_us, int64_t keep_us,
    size_t max, struct vg_spool_segment **segs, size_t *n, char **cause)
{
	return LOCKED(sp, spool_select(sp, segs, n, cause, "WHERE local = 0 "
	    "AND up = 2 AND task IN (0, 3) AND sidecar_stored = 1 AND "
	    "stored_us <= ? ORDER BY start_us, id LIMIT ?", "ii",
	    now_us - keep_us, (int64_t)max));
}

int
vg_spool_evictable(struct vg_spool *sp, size_t max,
    struct vg_spool_segment **segs, size_t *n, char **cause)
{
	return LOCKED(sp, spool_select(sp, segs, n, cause, "WHERE local = 0 "
	    "ORDER BY (up = 2) DESC, start_us, id LIMIT ?", "i",
	    (int64_t)max));
}

int
vg_spool_local_gone(struct vg_spool *sp, int64_t id, bool evicted,
    int64_t now_us, char **cause)
{
	return spool_row(sp, id, cause, "UPDATE segments SET local = ?, "
	    "local_gone_us = ? WHERE id = ? AND local = 0", "ii",
	    (int64_t)(evicted ? VG_SPOOL_LOCAL_EVICTED :
	    VG_SPOOL_LOCAL_DELETED), now_us);
}

/* ---- status ---------------------------------------------------------------------- */

int
vg_spool_stats(struct vg_spool *sp, struct vg_spool_stats *s, char **cause)
{
	sqlite3_stmt *st = NULL;
	int rc;

	memset(s, 0, sizeof *s);
	pthread_mutex_lock(&sp->lock);
	rc = sqlite3_prepare_v2(sp->db, "SELECT "
	    "count(*) FILTER (WHERE local = 0), "
	    "coalesce(sum(bytes) FILTER (WHERE local = 0), 0), "
	    "count(*) FILTER (WHERE up IN (0, 1) AND local = 0), "
	    "coalesce(sum(bytes) FILTER (WHERE up IN (0, 1) AND local = 0), 0), "
	    "coalesce(min(start_us) FILTER (WHERE up IN (0, 1) AND local = 0), 0), "
	    "count(*) FILTER (WHERE up = 2), "
	    "count(*) FILTER (WHERE up = 3), "
	    "count(*) FILTER (WHERE task IN (1, 2)), "
	    "count(*) FILTER (WHERE task = 3), "
	    "count(*) FILTER (WHERE task = 4), "
	    "count(*) FILTER (WHERE local = 2) FROM segments", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		s->segments = sqlite3_column_int64(st, 0);
		s->local_bytes = sqlite3_column_int64(st, 1);
		s->backlog = sqlite3_column_int64(st, 2);
		s->backlog_bytes = sqlite3_column_int64(st, 3);
		s->oldest_backlog_us = sqlite3_column_int64(st, 4);
		s->stored = sqlite3_column_int64(st, 5);
		s->up_failed = sqlite3_column_int64(st, 6);
		s->tasks_pending = sqlite3_column_int64(st, 7);
		s->tasks_created = sqlite3_column_int64(st, 8);
		s->tasks_failed = sqlite3_column_int64(st, 9);
		s->evicted = sqlite3_column_int64(st, 10);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		spool_cause(sp, cause, "cannot read");
	pthread_mutex_unlock(&sp->lock);
	return rc == SQLITE_OK ? VG_OK : spool_err(rc);
}
