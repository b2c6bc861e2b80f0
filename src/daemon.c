/* daemon.c - vigiad's core: engines, status socket, systemd notify.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See daemon.h.  sd_notify is a datagram on $NOTIFY_SOCKET (a path, or
 * an abstract name written with a leading '@'): no libsystemd.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "daemon.h"
#include "libvigia.h"
#include "ls.h"
#include "record.h"
#include "spool.h"
#include "store.h"

struct vg_daemon {
	struct vg_spool *spool;
	struct vg_recorder *rec;
	struct vg_uploader *up;		/* NULL: no storage to upload to */
	struct vg_labeler *lb;		/* NULL: Label Studio is off */
	int64_t keep_us;		/* retention.keep_uploaded_h */
	int64_t next_sweep;		/* monotonic: the next retention sweep */
	int64_t deleted;		/* local copies retention deleted */
	char *sock_path;
	int sock_fd;
	pthread_t sock_thread;
	bool sock_started;
	volatile int stop;
	char *site;
	int64_t started_us;
	int64_t watchdog_us;	/* from WATCHDOG_USEC; 0: none */
	int64_t last_ping;
	char *last_status;
	pthread_mutex_t lock;
};

static int64_t
now_us(int clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
vg_sd_notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len;
	size_t n;
	ssize_t r;
	int fd, e;

	if (path == NULL || *path == '\0')
		return 0;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof sa.sun_path) {
		errno = EINVAL;
		return -1;
	}
	memcpy(sa.sun_path, path, n);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	r = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
	    (struct sockaddr *)&sa, len);
	e = errno;
	close(fd);
	errno = e;
	return r < 0 ? -1 : 0;
}

/* ---- the status document ----------------------------------------------- */

/* Engines are set and taken out under d->lock, so that the status
 * thread never reads one being stopped. */
#define DAEMON_SET(d, field, v) do {					\
	pthread_mutex_lock(&(d)->lock);					\
	(d)->field = (v);						\
	pthread_mutex_unlock(&(d)->lock);				\
} while (0)

char *
vg_daemon_status_text(struct vg_daemon *d)
{
	json_t *root = json_object(), *spool;
	struct vg_spool_stats st;
	char *text, *cause = NULL;

	json_object_set_new(root, "vigiad", json_string(PACKAGE_VERSION));
	json_object_set_new(root, "pid", json_integer(getpid()));
	json_object_set_new(root, "site", json_string(d->site));
	json_object_set_new(root, "started", json_integer(d->started_us /
	    1000000));
	json_object_set_new(root, "now", json_integer(now_us(CLOCK_REALTIME) /
	    1000000));
	json_object_set_new(root, "alarms", json_array());
	/* a reload may start or stop engines meanwhile (under d->lock) */
	pthread_mutex_lock(&d->lock);
	if (d->rec != NULL)
		vg_recorder_status(d->rec, root);
	if (d->up != NULL) {
		json_t *o = json_object();

		vg_uploader_status(d->up, o);
		json_object_set_new(root, "uploader", o);
	}
	if (d->lb != NULL) {
		json_t *o = json_object();

		vg_labeler_status(d->lb, o);
		json_object_set_new(root, "labeler", o);
	}
	pthread_mutex_unlock(&d->lock);
	if (vg_spool_stats(d->spool, &st, &cause) == VG_OK) {
		spool = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
		    "s:I}", "segments", (json_int_t)st.segments,
		    "local_bytes", (json_int_t)st.local_bytes, "backlog",
		    (json_int_t)st.backlog, "backlog_bytes",
		    (json_int_t)st.backlog_bytes, "stored",
		    (json_int_t)st.stored, "upload_failed",
		    (json_int_t)st.up_failed, "tasks_pending",
		    (json_int_t)st.tasks_pending, "tasks_created",
		    (json_int_t)st.tasks_created, "evicted",
		    (json_int_t)st.evicted);
		json_object_set_new(spool, "deleted_by_retention",
		    json_integer(d->deleted));
		json_object_set_new(root, "spool", spool);
	} else {
		log_warn("status: %s", cause);
		free(cause);
	}
	text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (text == NULL)
		fatalx("json_dumps");
	return text;
}

/* ---- the status socket -------------------------------------------------- */

static void *
sock_main(void *arg)
{
	struct vg_daemon *d = arg;
	struct pollfd pfd = { .fd = d->sock_fd, .events = POLLIN };
	char *text;
	size_t len, done;
	ssize_t r;
	int c;

	while (!d->stop) {
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		c = accept4(d->sock_fd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			continue;
		/* never let a slow reader hold the daemon */
		{
			struct timeval tv = { .tv_sec = 2 };

			setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		}
		text = vg_daemon_status_text(d);
		len = strlen(text);
		text[len++] = '\n';
		for (done = 0; done < len; done += (size_t)r) {
			r = send(c, text + done, len - done, MSG_NOSIGNAL);
			if (r <= 0)
				break;
		}
		free(text);
		close(c);
	}
	return NULL;
}

static int
sock_open(struct vg_daemon *d, const char *path, char **cause)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *dir, *s;
	int fd;

	if (strlen(path) >= sizeof sa.sun_path) {
		xasprintf(cause, "status socket path too long: %s", path);
		return VG_ERR_CONFIG;
	}
	dir = xstrdup(path);
	if ((s = strrchr(dir, '/')) != NULL && s != dir) {
		*s = '\0';
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			log_warn("status socket: mkdir %s: %s", dir,
			    strerror(errno));
	}
	free(dir);
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fatalx("socket");
	unlink(path);	/* a stale one from a crash (the spool lock says no
			 * other vigiad runs on this configuration) */
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(fd, 16) != 0) {
		xasprintf(cause, "status socket %s: %s", path, strerror(errno));
		close(fd);
		return VG_ERR_IO;
	}
	chmod(path, 0660);
	d->sock_fd = fd;
	d->sock_path = xstrdup(path);
	if (pthread_create(&d->sock_thread, NULL, sock_main, d) != 0)
		fatalx("pthread_create");
	d->sock_started = true;
	return VG_OK;
}

/* ---- start, reload, stop ------------------------------------------------- */

/* Start, reload or stop the uploader and the labeler to match cfg.  A
 * failure to start one is logged and leaves recording alone: footage is
 * kept in the spool until the target works (a SIGHUP retries). */
static void
daemon_engines(struct vg_daemon *d, const struct vg_config *cfg)
{
	bool want_up = cfg->nvr.mode == VG_NVR_VIGIAD &&
	    cfg->vigiad.storage != NULL;
	bool want_lb = want_up && cfg->label_studio.enabled;
	char *cause = NULL;

	d->keep_us = (int64_t)cfg->vigiad.retention.keep_uploaded_h * 3600 *
	    1000000;
	d->next_sweep = 0;

	if (want_up && d->up != NULL)
		vg_uploader_reload(d->up, cfg);
	else if (want_up) {
		struct vg_uploader *up = vg_uploader_start(cfg, d->spool,
		    &cause);

		DAEMON_SET(d, up, up);
		if (d->up == NULL) {
			log_error("uploader: %s; segments stay in the spool",
			    cause);
			free(cause);
			cause = NULL;
		}
	} else if (d->up != NULL) {
		struct vg_uploader *up = d->up;

		DAEMON_SET(d, up, NULL);
		vg_uploader_stop(up);
	}
	if (want_lb && d->lb != NULL)
		vg_labeler_reload(d->lb, cfg);
	else if (want_lb) {
		struct vg_labeler *lb = vg_labeler_start(cfg, d->spool,
		    &cause);

		DAEMON_SET(d, lb, lb);
		if (d->lb == NULL) {
			log_error("Label Studio: %s; tasks wait in the spool "
			    "journal", cause);
			free(cause);
		}
	} else if (d->lb != NULL) {
		struct vg_labeler *lb = d->lb;

		DAEMON_SET(d, lb, NULL);
		vg_labeler_stop(lb);
	}
}

static void *
daemon_stop_uploader(void *arg)
{
	vg_uploader_stop(arg);
	return NULL;
}

static void *
daemon_stop_labeler(void *arg)
{
	vg_labeler_stop(arg);
	return NULL;
}

struct vg_daemon *
vg_daemon_start(const struct vg_config *cfg, char **cause)
{
	struct vg_daemon *d = xcalloc(1, sizeof *d);
	const char *wd = getenv("WATCHDOG_USEC");
	struct stat st;

	d->sock_fd = -1;
	pthread_mutex_init(&d->lock, NULL);
	d->started_us = now_us(CLOCK_REALTIME);
	d->site = xstrdup(cfg->site.id);
	if (wd != NULL && atoll(wd) > 0) {
		const char *wp = getenv("WATCHDOG_PID");

		if (wp == NULL || atol(wp) == (long)getpid())
			d->watchdog_us = atoll(wd);
	}
	if (stat(cfg->vigiad.spool_dir, &st) != 0 && mkdir(
	    cfg->vigiad.spool_dir, 0750) != 0 && errno != EEXIST) {
		xasprintf(cause, "spool %s: %s", cfg->vigiad.spool_dir,
		    strerror(errno));
		goto fail;
	}
	if (vg_spool_open(cfg->vigiad.spool_dir, &d->spool, cause) != VG_OK)
		goto fail;
	if (cfg->nvr.mode == VG_NVR_VIGIAD) {
		d->rec = vg_recorder_start(cfg, d->spool, cause);
		if (d->rec == NULL)
			goto fail;
	} else
		log_notice("nvr.mode is not \"vigiad\": nothing to record");
	daemon_engines(d, cfg);
	if (sock_open(d, cfg->vigiad.status_socket, cause) != VG_OK)
		goto fail;
	vg_sd_notify("READY=1\nSTATUS=recording");
	return d;
fail:
	vg_daemon_stop(d);
	return NULL;
}

void
vg_daemon_reload(struct vg_daemon *d, const struct vg_config *cfg)
{
	vg_sd_notify("RELOADING=1");
	if (d->rec != NULL && cfg->nvr.mode == VG_NVR_VIGIAD)
		vg_recorder_reload(d->rec, cfg);
	else if (d->rec == NULL && cfg->nvr.mode == VG_NVR_VIGIAD) {
		char *cause = NULL;
		struct vg_recorder *rec = vg_recorder_start(cfg, d->spool,
		    &cause);

		DAEMON_SET(d, rec, rec);
		if (d->rec == NULL) {
			log_error("recorder: %s", cause);
			free(cause);
		}
	} else if (d->rec != NULL) {
		struct vg_recorder *rec = d->rec;

		log_notice("nvr.mode is no longer \"vigiad\": recording stops");
		DAEMON_SET(d, rec, NULL);
		vg_recorder_stop(rec);
	}
	daemon_engines(d, cfg);
	vg_sd_notify("READY=1");
}

/* Retention: the local copies of segments the store confirmed (and whose
 * Label Studio task exists, when one is wanted) go once they have been
 * stored for keep_uploaded_h; the journal keeps their rows.  Nothing else
 * deletes a segment but the disk limit (record-engine.c), loudly. */
static void
daemon_retention(struct vg_daemon *d)
{
	struct vg_spool_segment *segs = NULL;
	size_t n = 0, i;
	char *cause = NULL;

	if (d->up == NULL || vg_spool_expired(d->spool,
	    now_us(CLOCK_REALTIME), d->keep_us, 64, &segs, &n, &cause) !=
	    VG_OK) {
		if (cause != NULL)
			log_warn("retention: %s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		if (unlink(segs[i].path) != 0 && errno != ENOENT) {
			log_warn("retention: cannot delete %s: %s",
			    segs[i].path, strerror(errno));
			continue;
		}
		if (segs[i].sidecar != NULL)
			unlink(segs[i].sidecar);
		if (vg_spool_local_gone(d->spool, segs[i].id, false,
		    now_us(CLOCK_REALTIME), &cause) != VG_OK) {
			log_warn("retention: %s", cause);
			free(cause);
			cause = NULL;
			continue;
		}
		d->deleted++;
		log_info("retention: deleted %s (stored as %s)",
		    segs[i].path, segs[i].object_key != NULL ?
		    segs[i].object_key : "?");
	}
	vg_spool_segments_free(segs, n);
}

/* A quarter of the watchdog period, at most a second. */
int
vg_daemon_tick_ms(const struct vg_daemon *d)
{
	if (d->watchdog_us > 0 && d->watchdog_us / 4000 < 1000)
		return d->watchdog_us / 4000 > 10 ? (int)(d->watchdog_us /
		    4000) : 10;
	return 1000;
}

void
vg_daemon_tick(struct vg_daemon *d)
{
	int64_t now = now_us(CLOCK_MONOTONIC);
	char buf[256];
	json_t *root, *cams;
	size_t i, rec = 0, n = 0;
	char *text;

	if (d->watchdog_us > 0 && now - d->last_ping >= d->watchdog_us / 2) {
		vg_sd_notify("WATCHDOG=1");
		d->last_ping = now;
	}
	if (now >= d->next_sweep) {
		daemon_retention(d);
		/* a minute between sweeps; VIGIA_TEST_RETENTION_MS for tests */
		d->next_sweep = now + (getenv("VIGIA_TEST_RETENTION_MS") !=
		    NULL ? atoll(getenv("VIGIA_TEST_RETENTION_MS")) * 1000 :
		    60 * 1000000LL);
	}
	if (getenv("NOTIFY_SOCKET") == NULL)
		return;
	/* STATUS=: "3/4 cameras recording, 1 alarm" when it changes */
	text = vg_daemon_status_text(d);
	root = json_loads(text, 0, NULL);
	free(text);
	cams = json_object_get(root, "cameras");
	for (i = 0; i < json_array_size(cams); i++, n++)
		if (strcmp(json_string_value(json_object_get(json_array_get(
		    cams, i), "state")), "recording") == 0)
			rec++;
	snprintf(buf, sizeof buf, "STATUS=%zu/%zu cameras recording, %zu "
	    "alarms", rec, n, json_array_size(json_object_get(root,
	    "alarms")));
	json_decref(root);
	if (d->last_status == NULL || strcmp(buf, d->last_status) != 0) {
		vg_sd_notify(buf);
		free(d->last_status);
		d->last_status = xstrdup(buf);
	}
}

void
vg_daemon_stop(struct vg_daemon *d)
{
	if (d == NULL)
		return;
	vg_sd_notify("STOPPING=1");
	d->stop = 1;
	if (d->sock_started)
		pthread_join(d->sock_thread, NULL);
	{
		/* each engine's stop is bounded (<= 5 s); all at once, so
		 * that SIGTERM stays within the same bound */
		pthread_t tu, tl;
		bool ju = false, jl = false;

		if (d->up != NULL)
			ju = pthread_create(&tu, NULL, daemon_stop_uploader,
			    d->up) == 0;
		if (d->lb != NULL)
			jl = pthread_create(&tl, NULL, daemon_stop_labeler,
			    d->lb) == 0;
		vg_recorder_stop(d->rec);
		d->rec = NULL;
		if (ju)
			pthread_join(tu, NULL);
		else
			vg_uploader_stop(d->up);
		if (jl)
			pthread_join(tl, NULL);
		else
			vg_labeler_stop(d->lb);
		d->up = NULL;
		d->lb = NULL;
	}
	if (d->sock_fd >= 0) {
		close(d->sock_fd);
		unlink(d->sock_path);
	}
	vg_spool_close(d->spool);
	free(d->sock_path);
	free(d->site);
	free(d->last_status);
	pthread_mutex_destroy(&d->lock);
	free(d);
}
