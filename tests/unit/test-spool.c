/* test-spool.c - the spool journal: transitions, claims, crashes.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real SQLite file in a temporary directory.  Crashes are real too: a
 * child process makes a transition and is killed with SIGKILL (or leaves
 * with _exit, without closing anything); the parent opens the journal
 * again and finds what was committed.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "libvigia.h"
#include "spool.h"

static char dir[] = "/tmp/vigia-spool.XXXXXX";

static int64_t
add(struct vg_spool *sp, const char *camera, int64_t start_s, int64_t bytes)
{
	struct vg_spool_segment s;
	char path[256], side[256];
	int64_t id = 0;

	memset(&s, 0, sizeof s);
	snprintf(path, sizeof path, "%s/%s-%lld.mp4", dir, camera,
	    (long long)start_s);
	snprintf(side, sizeof side, "%s/%s-%lld.json", dir, camera,
	    (long long)start_s);
	s.camera = (char *)camera;
	s.site = (char *)"site";
	s.path = path;
	s.sidecar = side;
	s.start_us = start_s * 1000000;
	s.end_us = (start_s + 10) * 1000000;
	s.bytes = bytes;
	memset(s.sha256, 'a', 64);
	s.fps = 15;
	s.frames = 150;
	s.created_us = s.end_us;
	if (vg_spool_add(sp, &s, &id, NULL) != 0)
		return -1;
	return id;
}

/* Run fn(sp) in a child that opens its own journal, then SIGKILLs
 * itself (kill=1) or _exits (kill=0) without closing. */
static int
crash_after(void (*fn)(struct vg_spool *), int kill_it)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct vg_spool *sp;

		if (vg_spool_open(dir, &sp, NULL) != 0)
			_exit(2);
		fn(sp);
		if (kill_it)
			raise(SIGKILL);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static int64_t crash_id;

static void
crash_claim(struct vg_spool *sp)
{
	struct vg_spool_segment s;

	if (vg_spool_up_claim(sp, "s3", 1000LL * 1000000, &s, NULL) == 0 &&
	    s.id == crash_id) {
		vg_spool_up_multipart(sp, s.id, "upload-1", NULL);
		vg_spool_up_part(sp, s.id, 1, 5 << 20, "\"etag-1\"", NULL);
		vg_spool_segment_clear(&s);
	}
}

int
main(void)
{
	struct vg_spool *sp, *sp2 = NULL;
	struct vg_spool_segment s, *v;
	struct vg_spool_part *parts;
	struct vg_spool_stats st;
	size_t n;
	char *key = NULL, *cause = NULL;
	int64_t a, b, c, id;
	int err, status;

	if (mkdtemp(dir) == NULL)
		return 99;
	tap_ok(vg_spool_open(dir, &sp, &cause) == 0, "the journal opens in a new directory");
	{
		struct stat sb;

		tap_ok(stat(vg_spool_path(sp), &sb) == 0, "spool.db exists");
	}

	/* ---- the recorder ---- */
	b = add(sp, "cam-2", 200, 1000);
	a = add(sp, "cam-1", 100, 2000);
	c = add(sp, "cam-1", 300, 4000);
	tap_ok(a > 0 && b > 0 && c > 0, "three segments are committed");
	err = vg_spool_add(sp, &(struct vg_spool_segment){
	    .camera = (char *)"cam-1", .site = (char *)"site", .path = NULL,
	    .sidecar = (char *)"x" }, &id, &cause);
	tap_ok(err == VG_ERR_USAGE, "a segment without a path is refused");
	free(cause);
	cause = NULL;
	tap_ok(add(sp, "cam-1", 100, 2000) == -1, "the same path twice is refused");
	{
		char p[256];

		snprintf(p, sizeof p, "%s/cam-1-100.mp4", dir);
		tap_ok(vg_spool_has_path(sp, p), "has_path finds a committed file");
		snprintf(p, sizeof p, "%s/cam-9-100.mp4", dir);
		tap_ok(!vg_spool_has_path(sp, p), "and not another");
	}

	/* ---- the uploader: oldest first, one claim per run ---- */
	err = vg_spool_up_claim(sp, "s3", 50LL * 1000000, &s, NULL);
	tap_ok(err == 0 && s.id == a && s.up == VG_SPOOL_UP_UPLOADING &&
	    s.up_attempts == 1 && strcmp(s.store, "s3") == 0,
	    "the oldest segment is claimed, uploading, attempt 1");
	vg_spool_segment_clear(&s);
	err = vg_spool_up_claim(sp, "s3", 50LL * 1000000, &s, NULL);
	tap_ok(err == 0 && s.id == b, "the next claim takes the next one");
	vg_spool_segment_clear(&s);
	tap_ok(vg_spool_up_key(sp, a, "site/cam-1/100.mp4", &key, NULL) == 0 &&
	    strcmp(key, "site/cam-1/100.mp4") == 0, "the object key is fixed");
	free(key);
	tap_ok(vg_spool_up_key(sp, a, "site/cam-1/OTHER.mp4", &key, NULL) == 0 &&
	    strcmp(key, "site/cam-1/100.mp4") == 0,
	    "a second key is refused: the first one is kept (never two names)");
	free(key);
	tap_ok(vg_spool_up_multipart(sp, a, "mpu-1", NULL) == 0 &&
	    vg_spool_up_part(sp, a, 2, 100, "\"e2\"", NULL) == 0 &&
	    vg_spool_up_part(sp, a, 1, 5 << 20, "\"e1\"", NULL) == 0,
	    "a multipart upload and two parts are kept");
	tap_ok(vg_spool_up_parts(sp, a, &parts, &n, NULL) == 0 && n == 2 &&
	    parts[0].number == 1 && strcmp(parts[0].etag, "\"e1\"") == 0 &&
	    parts[1].number == 2 && parts[1].bytes == 100,
	    "the parts come back in order with their ETags");
	vg_spool_parts_free(parts, n);
	tap_ok(vg_spool_up_retry(sp, b, "net", "connection refused",
	    500LL * 1000000, NULL) == 0, "a transient failure is kept");
	err = vg_spool_up_claim(sp, "s3", 100LL * 1000000, &s, NULL);
	tap_ok(err == 0 && s.id == c, "a segment in backoff is skipped until due");
	vg_spool_segment_clear(&s);
	err = vg_spool_up_claim(sp, "s3", 100LL * 1000000, &s, NULL);
	tap_ok(err == VG_ERR_NOTFOUND, "nothing else is due");
	err = vg_spool_up_claim(sp, "s3", 600LL * 1000000, &s, NULL);
	tap_ok(err == 0 && s.id == b && s.up_attempts == 2 &&
	    strcmp(s.up_error, "connection refused") == 0,
	    "once due it is claimed again, attempt 2, with its last error");
	vg_spool_segment_clear(&s);
	err = vg_spool_up_claim(sp, "ftp", 600LL * 1000000, &s, NULL);
	tap_ok(err == VG_ERR_NOTFOUND, "a segment never moves to another store");

	tap_ok(vg_spool_up_sidecar(sp, a, NULL) == 0 &&
	    vg_spool_up_stored(sp, a, "\"abc-2\"", true, 700LL * 1000000,
	    NULL) == 0, "stored, with a task wanted");
	tap_ok(vg_spool_get(sp, a, &s, NULL) == 0 && s.up == VG_SPOOL_UP_STORED &&
	    s.task == VG_SPOOL_TASK_PENDING && s.upload_id == NULL &&
	    strcmp(s.etag, "\"abc-2\"") == 0, "the row says stored, task pending");
	vg_spool_segment_clear(&s);
	tap_ok(vg_spool_up_parts(sp, a, &parts, &n, NULL) == 0 && n == 0,
	    "its parts are forgotten");
	free(parts);
	tap_ok(vg_spool_up_fail(sp, b, "auth", "wrong secret", NULL) == 0,
	    "a permanent failure");
	tap_ok(vg_spool_up_fail(sp, a, "auth", "x", NULL) == VG_ERR_NOTFOUND,
	    "a stored segment cannot fail any more");

	/* ---- the labeler ---- */
	tap_ok(vg_spool_task_due(sp, 700LL * 1000000, 10, &v, &n, NULL) == 0 &&
	    n == 1 && v[0].id == a, "the stored segment's task is due");
	vg_spool_segments_free(v, n);
	tap_ok(vg_spool_task_unknown(sp, a, NULL) == 0, "marked unknown before the import");
	tap_ok(vg_spool_task_due(sp, 700LL * 1000000, 10, &v, &n, NULL) == 0 &&
	    n == 1 && v[0].task == VG_SPOOL_TASK_UNKNOWN,
	    "an unknown outcome stays due (to be looked up)");
	vg_spool_segments_free(v, n);
	tap_ok(vg_spool_task_created(sp, a, 42, NULL) == 0, "task 42 created");

	/* ---- retention ---- */
	tap_ok(vg_spool_expired(sp, 800LL * 1000000, 200LL * 1000000, 10, &v,
	    &n, NULL) == 0 && n == 0, "a fresh upload is kept for keep_uploaded_h");
	free(v);
	tap_ok(vg_spool_expired(sp, 1000LL * 1000000, 200LL * 1000000, 10, &v,
	    &n, NULL) == 0 && n == 1 && v[0].id == a,
	    "an old stored segment with its task may go");
	vg_spool_segments_free(v, n);
	tap_ok(vg_spool_evictable(sp, 10, &v, &n, NULL) == 0 && n == 3 &&
	    v[0].id == a && v[1].id == b && v[2].id == c,
	    "eviction order: stored first, then the oldest not stored");
	vg_spool_segments_free(v, n);
	tap_ok(vg_spool_local_gone(sp, a, false, 1000LL * 1000000, NULL) == 0,
	    "the local copy is deleted");
	tap_ok(vg_spool_stats(sp, &st, NULL) == 0 && st.segments == 2 &&
	    st.backlog == 1 && st.backlog_bytes == 4000 &&
	    st.oldest_backlog_us == 300LL * 1000000 && st.stored == 1 &&
	    st.up_failed == 1 && st.tasks_created == 1,
	    "the stats add up");
	tap_ok(vg_spool_up_rearm(sp, &id, NULL) == 0 && id == 1,
	    "a reload re-arms the failed upload");
	vg_spool_close(sp);

	/* ---- crashes ---- */
	/* the child's claim is b: re-armed, the oldest due (c is claimed by
	 * the run just closed, and newer) */
	crash_id = b;
	status = crash_after(crash_claim, 1);
	tap_ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	    "a child claims, starts a multipart upload and is killed -9");
	tap_ok(vg_spool_open(dir, &sp, NULL) == 0, "the journal opens after the kill");
	tap_ok(vg_spool_get(sp, crash_id, &s, NULL) == 0 &&
	    s.up == VG_SPOOL_UP_UPLOADING && s.upload_id != NULL &&
	    strcmp(s.upload_id, "upload-1") == 0,
	    "the killed run's claim and upload id survived");
	vg_spool_segment_clear(&s);
	tap_ok(vg_spool_up_parts(sp, crash_id, &parts, &n, NULL) == 0 &&
	    n == 1 && strcmp(parts[0].etag, "\"etag-1\"") == 0,
	    "and its finished part (no part is sent again)");
	vg_spool_parts_free(parts, n);
	err = vg_spool_up_claim(sp, "s3", 1000LL * 1000000, &s, NULL);
	tap_ok(err == 0 && s.id == crash_id, "a new run claims the killed run's segment at once");
	vg_spool_segment_clear(&s);
	err = vg_spool_open(dir, &sp2, &cause);
	tap_ok(err == VG_ERR_EXISTS && cause != NULL &&
	    strstr(cause, "another process") != NULL,
	    "a second process cannot open a spool in use (one vigiad per spool)");
	free(cause);
	cause = NULL;
	vg_spool_close(sp);

	{
		char cmd[300];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			return 99;
	}
	return tap_done();
}
