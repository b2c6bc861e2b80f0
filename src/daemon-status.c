/* daemon-status.c - reading vigiad's status socket, and showing it.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <pthread.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "daemon.h"
#include "i18n.h"
#include "libvigia.h"

int
vg_status_read(const char *path, int timeout_ms, char **json, char **cause)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct pollfd pfd;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t r;
	struct timespec ts;
	int64_t deadline, now;
	int fd, err = VG_ERR_NET;

	*json = NULL;
	if (strlen(path) >= sizeof sa.sun_path) {
		xasprintf(cause, "socket path too long: %s", path);
		return VG_ERR_USAGE;
	}
	strcpy(sa.sun_path, path);
	/* non-blocking: a stopped vigiad whose backlog is full would
	 * otherwise hold connect() for ever */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		fatalx("socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		err = errno == ENOENT ? VG_ERR_NOTFOUND : errno == EACCES ?
		    VG_ERR_PERM : errno == EAGAIN ? VG_ERR_TIMEOUT :
		    VG_ERR_NET;
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	deadline = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 +
	    timeout_ms;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
		if (now >= deadline) {
			err = VG_ERR_TIMEOUT;
			xasprintf(cause, "%s: no answer within %d ms", path,
			    timeout_ms);
			goto out;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)(deadline - now)) <= 0)
			continue;
		if (len + 4096 > cap) {
			cap = cap ? cap * 2 : 16384;
			if (cap > (64u << 20))
				break;
			buf = xrealloc(buf, cap);
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0) {
			xasprintf(cause, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (buf == NULL || len == 0) {
		err = VG_ERR_PROTO;
		xasprintf(cause, "%s: empty answer", path);
		goto out;
	}
	buf[len] = '\0';
	*json = buf;
	buf = NULL;
	err = VG_OK;
out:
	free(buf);
	close(fd);
	return err;
}

/* "3 min", "2 h 05 min" since then */
static void
ago(char *buf, size_t n, json_int_t then, json_int_t now)
{
	json_int_t s = now - then;

	if (then <= 0) {
		snprintf(buf, n, "-");
		return;
	}
	if (s < 0)
		s = 0;
	if (s < 120)
		snprintf(buf, n, _("%d s"), (int)s);
	else if (s < 7200)
		snprintf(buf, n, _("%d min"), (int)(s / 60));
	else
		snprintf(buf, n, _("%d h %02d min"), (int)(s / 3600),
		    (int)(s % 3600 / 60));
}

/* The camera states, translated. */
static const char *
state_text(const char *s)
{
	if (s == NULL)
		return "?";
	if (!strcmp(s, "recording"))
		return _("recording");
	if (!strcmp(s, "connecting"))
		return _("connecting");
	if (!strcmp(s, "reconnecting"))
		return _("reconnecting");
	if (!strcmp(s, "idle"))
		return _("idle (schedule)");
	if (!strcmp(s, "waiting for motion"))
		return _("waiting for motion");
	if (!strcmp(s, "disk full"))
		return _("disk full");
	if (!strcmp(s, "starting"))
		return _("starting");
	if (!strcmp(s, "stopped"))
		return _("stopped");
	return s;
}

/* Why a camera failed, translated (the keywords of record-camera.c). */
static const char *
reason_text(const char *r)
{
	static const struct {
		const char *key, *text;
	} t[] = {
		{ "wrong password", N_("wrong password") },
		{ "stream not found", N_("stream not found") },
		{ "refused", N_("refused") },
		{ "timeout", N_("timeout") },
		{ "unsupported codec", N_("unsupported codec") },
		{ "closed by the camera", N_("closed by the camera") },
		{ "protocol error", N_("protocol error") },
		{ "onvif", N_("ONVIF") },
		{ "events", N_("events") },
		{ "disk full", N_("disk full") },
		{ "cannot write", N_("cannot write") },
	};
	size_t i;

	for (i = 0; r != NULL && i < sizeof t / sizeof t[0]; i++)
		if (strcmp(r, t[i].key) == 0)
			return _(t[i].text);
	return r != NULL ? r : "?";
}

static void
add(char **out, const char *fmt, ...) VG_PRINTF(2, 3);

static void
add(char **out, const char *fmt, ...)
{
	va_list ap;
	char *line, *t;

	va_start(ap, fmt);
	xvasprintf(&line, fmt, ap);
	va_end(ap);
	xasprintf(&t, "%s%s", *out, line);
	free(*out);
	free(line);
	*out = t;
}

char *
vg_status_format(const char *json, char **cause)
{
	json_error_t jerr;
	json_t *root = json_loads(json, 0, &jerr), *cams, *c, *disk, *al,
	    *spool, *e, *up, *lb;
	json_int_t now;
	char *out = xstrdup(""), since[32];
	const char *base;
	size_t i;

	if (root == NULL || !json_is_object(root)) {
		xasprintf(cause, "not a status document: %s", jerr.text);
		json_decref(root);
		free(out);
		return NULL;
	}
	now = json_integer_value(json_object_get(root, "now"));
	ago(since, sizeof since, json_integer_value(json_object_get(root,
	    "started")), now);
	add(&out, _("vigiad %s (pid %d), site %s, up %s\n"),
	    json_string_value(json_object_get(root, "vigiad")),
	    (int)json_integer_value(json_object_get(root, "pid")),
	    json_string_value(json_object_get(root, "site")), since);
	cams = json_object_get(root, "cameras");
	add(&out, "\n%-16s %-18s %8s %8s %6s %9s %5s %6s  %s\n", _("CAMERA"),
	    _("STATE"), _("SINCE"), _("KBIT/S"), _("FPS"), _("SEGMENTS"),
	    _("GAPS"), _("RECONN"), _("LAST ERROR"));
	json_array_foreach(cams, i, c) {
		ago(since, sizeof since, json_integer_value(json_object_get(c,
		    "since")), now);
		e = json_object_get(c, "last_error");
		add(&out, "%-16s %-18s %8s %8.0f %6.1f %9lld %5lld %6lld  "
		    "%s%s%s\n", json_string_value(json_object_get(c, "name")),
		    state_text(json_string_value(json_object_get(c, "state"))),
		    since, json_real_value(json_object_get(c, "bitrate_kbps")),
		    json_real_value(json_object_get(c, "fps")),
		    (long long)json_integer_value(json_object_get(c,
		    "segments")), (long long)json_integer_value(
		    json_object_get(c, "gaps")), (long long)json_integer_value(
		    json_object_get(c, "reconnects")), json_is_object(e) ?
		    reason_text(json_string_value(json_object_get(e,
		    "reason"))) : "-",
		    json_is_object(e) ? ": " : "", json_is_object(e) ?
		    json_string_value(json_object_get(e, "message")) : "");
		base = json_string_value(json_object_get(c, "segment"));
		if (base != NULL)
			add(&out, _("    now writing %s\n"), base);
	}
	if (json_array_size(cams) == 0)
		add(&out, "%s\n", _("(no camera is recorded)"));
	disk = json_object_get(root, "disk");
	if (json_is_object(disk)) {
		json_t *h = json_object_get(disk, "headroom_h");

		add(&out, _("\nDisk: %.1f GB free of %.1f GB"),
		    (double)json_integer_value(json_object_get(disk,
		    "free_bytes")) / 1e9, (double)json_integer_value(
		    json_object_get(disk, "total_bytes")) / 1e9);
		if (json_is_number(h))
			add(&out, _(", %.1f h of recording at the current "
			    "rate"), json_number_value(h));
		add(&out, "\n");
	}
	spool = json_object_get(root, "spool");
	if (json_is_object(spool))
		add(&out, _("Spool: %lld segments, %lld waiting for upload, "
		    "%lld uploaded, %lld evicted\n"),
		    (long long)json_integer_value(json_object_get(spool,
		    "segments")), (long long)json_integer_value(
		    json_object_get(spool, "backlog")),
		    (long long)json_integer_value(json_object_get(spool,
		    "stored")), (long long)json_integer_value(
		    json_object_get(spool, "evicted")));
	up = json_object_get(root, "uploader");
	if (json_is_object(up)) {
		json_int_t age = json_integer_value(json_object_get(up,
		    "oldest_backlog_age_s"));

		add(&out, _("Uploads to %s: %lld waiting (%.1f MB, the oldest "
		    "%lld s), %.1f Mbit/s, %lld stored, %lld failed\n"),
		    json_string_value(json_object_get(up, "target")) != NULL ?
		    json_string_value(json_object_get(up, "target")) : "?",
		    (long long)json_integer_value(json_object_get(up,
		    "backlog")), (double)json_integer_value(json_object_get(up,
		    "backlog_bytes")) / 1e6, (long long)age,
		    (double)json_integer_value(json_object_get(up,
		    "throughput_bps")) * 8 / 1e6,
		    (long long)json_integer_value(json_object_get(up,
		    "stored")), (long long)json_integer_value(
		    json_object_get(up, "failed")));
		e = json_object_get(up, "last_error");
		if (json_is_object(e))
			add(&out, _("  last upload error (%lld s ago): %s\n"),
			    (long long)json_integer_value(json_object_get(e,
			    "age_s")), json_string_value(json_object_get(e,
			    "message")) != NULL ? json_string_value(
			    json_object_get(e, "message")) : "?");
	}
	lb = json_object_get(root, "labeler");
	if (json_is_object(lb)) {
		add(&out, _("Label Studio: %lld tasks created, %lld pending, "
		    "%lld failed\n"),
		    (long long)json_integer_value(json_object_get(lb,
		    "tasks_created")), (long long)json_integer_value(
		    json_object_get(spool, "tasks_pending")),
		    (long long)json_integer_value(json_object_get(lb,
		    "tasks_failed")));
		e = json_object_get(lb, "last_error");
		if (json_is_string(e))
			add(&out, _("  last Label Studio error: %s\n"),
			    json_string_value(e));
	}
	al = json_object_get(root, "alarms");
	json_array_foreach(al, i, e) {
		ago(since, sizeof since, json_integer_value(json_object_get(e,
		    "last")), now);
		if (json_is_false(json_object_get(e, "active")))
			add(&out, _("alarm (%s, %s ago): %s\n"),
			    json_string_value(json_object_get(e, "source")),
			    since, json_string_value(json_object_get(e,
			    "message")));
		else
			add(&out, _("ALARM (%s, now): %s\n"),
			    json_string_value(json_object_get(e, "source")),
			    json_string_value(json_object_get(e, "message")));
	}
	json_decref(root);
	return out;
}

/* ---- the document as plain values ---------------------------------------- */

/* A string member, copied, or NULL. */
static char *
jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? xstrdup(s) : NULL;
}

static int64_t
jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? (int64_t)json_number_value(v) : 0;
}

static double
jnum(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

int
vg_status_parse(const char *json, struct vg_status **out, char **cause)
{
	json_error_t jerr;
	json_t *root = json_loads(json, 0, &jerr), *a, *c, *e, *o, *h;
	struct vg_status *st;
	size_t i;

	*out = NULL;
	if (root == NULL || !json_is_object(root) ||
	    !json_is_string(json_object_get(root, "vigiad"))) {
		xasprintf(cause, "not a status document: %s", root == NULL ?
		    jerr.text : "no \"vigiad\" member");
		json_decref(root);
		return VG_ERR_PROTO;
	}
	st = xcalloc(1, sizeof *st);
	st->version = jstr(root, "vigiad");
	st->site = jstr(root, "site");
	st->pid = (long)jint(root, "pid");
	st->started = jint(root, "started");
	st->now = jint(root, "now");
	st->headroom_h = -1;
	a = json_object_get(root, "cameras");
	if (json_array_size(a) > 0)
		st->cams = xcalloc(json_array_size(a), sizeof *st->cams);
	json_array_foreach(a, i, c) {
		struct vg_status_cam *k = &st->cams[st->ncams++];
		const char *s;

		k->name = jstr(c, "name");
		k->state = jstr(c, "state");
		k->state_text = xstrdup(state_text(k->state));
		k->mode = jstr(c, "mode");
		k->segment = jstr(c, "segment");
		k->since = jint(c, "since");
		k->kbps = jnum(c, "bitrate_kbps");
		k->fps = jnum(c, "fps");
		k->segments = jint(c, "segments");
		k->frames = jint(c, "frames");
		k->gaps = jint(c, "gaps");
		k->reconnects = jint(c, "reconnects");
		e = json_object_get(c, "last_error");
		if (json_is_object(e)) {
			k->err_reason = jstr(e, "reason");
			k->err_at = jint(e, "at");
			s = json_string_value(json_object_get(e, "message"));
			if (s != NULL && *s != '\0')
				xasprintf(&k->err_text, "%s: %s",
				    reason_text(k->err_reason), s);
			else
				k->err_text = xstrdup(reason_text(
				    k->err_reason));
		}
		s = k->state != NULL ? k->state : "";
		k->packets = !strcmp(s, "recording") ||
		    !strcmp(s, "waiting for motion") || !strcmp(s, "idle");
		k->alarm = !strcmp(s, "reconnecting") ||
		    !strcmp(s, "disk full") || !strcmp(s, "stopped") ||
		    (!strcmp(s, "connecting") && k->err_reason != NULL);
	}
	o = json_object_get(root, "disk");
	if (json_is_object(o)) {
		st->has_disk = true;
		st->disk_free = jint(o, "free_bytes");
		st->disk_total = jint(o, "total_bytes");
		h = json_object_get(o, "headroom_h");
		if (json_is_number(h))
			st->headroom_h = json_number_value(h);
	}
	o = json_object_get(root, "spool");
	if (json_is_object(o)) {
		st->has_spool = true;
		st->segments = jint(o, "segments");
		st->backlog = jint(o, "backlog");
		st->stored = jint(o, "stored");
		st->evicted = jint(o, "evicted");
		st->tasks_pending = jint(o, "tasks_pending");
	}
	o = json_object_get(root, "uploader");
	if (json_is_object(o)) {
		st->has_uploader = true;
		st->up_target = jstr(o, "target");
		st->up_backlog = jint(o, "backlog");
		st->up_backlog_bytes = jint(o, "backlog_bytes");
		st->up_oldest_s = jint(o, "oldest_backlog_age_s");
		st->up_bps = jint(o, "throughput_bps");
		st->up_stored = jint(o, "stored");
		st->up_failed = jint(o, "failed");
		e = json_object_get(o, "last_error");
		if (json_is_object(e)) {
			st->up_error = jstr(e, "message");
			st->up_error_age = jint(e, "age_s");
		}
	}
	o = json_object_get(root, "labeler");
	if (json_is_object(o)) {
		st->has_labeler = true;
		st->lb_state = jstr(o, "state");
		st->lb_created = jint(o, "tasks_created");
		st->lb_failed = jint(o, "tasks_failed");
		st->lb_error = jstr(o, "last_error");
	}
	a = json_object_get(root, "alarms");
	if (json_array_size(a) > 0)
		st->alarms = xcalloc(json_array_size(a), sizeof *st->alarms);
	json_array_foreach(a, i, e) {
		struct vg_status_alarm *al = &st->alarms[st->nalarms++];

		al->source = jstr(e, "source");
		al->message = jstr(e, "message");
		al->active = !json_is_false(json_object_get(e, "active"));
		al->since = jint(e, "since");
		al->last = jint(e, "last");
	}
	json_decref(root);
	*out = st;
	return VG_OK;
}

void
vg_status_free(struct vg_status *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->ncams; i++) {
		struct vg_status_cam *k = &st->cams[i];

		free(k->name);
		free(k->state);
		free(k->state_text);
		free(k->mode);
		free(k->segment);
		free(k->err_reason);
		free(k->err_text);
	}
	for (i = 0; i < st->nalarms; i++) {
		free(st->alarms[i].source);
		free(st->alarms[i].message);
	}
	free(st->cams);
	free(st->alarms);
	free(st->version);
	free(st->site);
	free(st->up_target);
	free(st->up_error);
	free(st->lb_state);
	free(st->lb_error);
	free(st);
}

/* ---- the watcher ----------------------------------------------------------- */

struct vg_status_watch {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	char *path;
	int interval_ms, timeout_ms;
	/* under lock */
	char *json;
	int64_t last_ok, failing_since;
	int err;
	unsigned seq;
};

/* The thread: read, publish, sleep (woken early by stop). */
static void *
watch_main(void *arg)
{
	struct vg_status_watch *w = arg;
	struct timespec ts;
	char *json, *cause;
	int err;

	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		pthread_mutex_unlock(&w->lock);
		json = cause = NULL;
		err = vg_status_read(w->path, w->timeout_ms, &json, &cause);
		if (err != VG_OK)
			log_debug("status watch: %s", cause);
		free(cause);
		pthread_mutex_lock(&w->lock);
		w->err = err;
		if (err == VG_OK) {
			free(w->json);
			w->json = json;
			w->last_ok = (int64_t)time(NULL);
			w->failing_since = 0;
		} else if (w->failing_since == 0)
			w->failing_since = (int64_t)time(NULL);
		w->seq++;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += w->interval_ms / 1000;
		ts.tv_nsec += (long)(w->interval_ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		while (!w->stop && pthread_cond_timedwait(&w->cond, &w->lock,
		    &ts) == 0)
			;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct vg_status_watch *
vg_status_watch_start(const char *path, int interval_ms, int timeout_ms)
{
	struct vg_status_watch *w = xcalloc(1, sizeof *w);
	pthread_condattr_t ca;

	w->path = xstrdup(path);
	w->interval_ms = interval_ms > 0 ? interval_ms : 1000;
	w->timeout_ms = timeout_ms > 0 ? timeout_ms : 800;
	w->err = VG_ERR_TIMEOUT;
	pthread_mutex_init(&w->lock, NULL);
	/* the wait between reads follows the monotonic clock: a step of
	 * the wall clock (NTP on a box without an RTC) never stalls it */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&w->thread, NULL, watch_main, w) != 0)
		fatalx("pthread_create");
	return w;
}

unsigned
vg_status_watch_get(struct vg_status_watch *w, char **json, int64_t *last_ok,
    int64_t *failing_since, int *err)
{
	unsigned seq;

	pthread_mutex_lock(&w->lock);
	if (json != NULL)
		*json = w->json != NULL ? xstrdup(w->json) : NULL;
	if (last_ok != NULL)
		*last_ok = w->last_ok;
	if (failing_since != NULL)
		*failing_since = w->failing_since;
	if (err != NULL)
		*err = w->err;
	seq = w->seq;
	pthread_mutex_unlock(&w->lock);
	return seq;
}

void
vg_status_watch_stop(struct vg_status_watch *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w->json);
	free(w->path);
	free(w);
}
