/* store-common.c - what the storage targets share: errors, the bandwidth
 * cap, object keys, opening an entry.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "libvigia.h"
#include "store.h"

void
vg_store_err_clear(struct vg_store_err *e)
{
	if (e == NULL)
		return;
	free(e->msg);
	e->msg = NULL;
	e->cls = NULL;
	e->permanent = false;
}

void
vg_store_err_set(struct vg_store_err *e, bool permanent, const char *cls,
    const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return;
	free(e->msg);
	va_start(ap, fmt);
	xvasprintf(&e->msg, fmt, ap);
	va_end(ap);
	e->permanent = permanent;
	e->cls = cls;
}

static pthread_once_t store_curl_once = PTHREAD_ONCE_INIT;

static void
store_curl_global(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatal("curl_global_init failed");
}

void
vg_store_curl_init(void)
{
	pthread_once(&store_curl_once, store_curl_global);
}

long
vg_store_env_long(const char *name, long dflt)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return dflt;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0)
		return dflt;
	return v;
}

/* ---- the bandwidth cap --------------------------------------------------- */

struct vg_rate {
	pthread_mutex_t lock;
	int64_t bps;
	double tokens;		/* bytes that may go now */
	int64_t last_us;
};

static int64_t
rate_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct vg_rate *
vg_rate_new(int64_t bytes_per_s)
{
	struct vg_rate *r = xcalloc(1, sizeof *r);

	pthread_mutex_init(&r->lock, NULL);
	r->bps = bytes_per_s;
	r->last_us = rate_now_us();
	return r;
}

void
vg_rate_set(struct vg_rate *r, int64_t bytes_per_s)
{
	if (r == NULL)
		return;
	pthread_mutex_lock(&r->lock);
	r->bps = bytes_per_s;
	pthread_mutex_unlock(&r->lock);
}

/*
 * A token bucket with a burst of 1/10 s of traffic (at least 16 KiB): the
 * caller takes what is there, or waits for what it needs, in slices of at
 * most 200 ms, so that a stop request is seen in time.
 */
size_t
vg_rate_take(struct vg_rate *r, size_t n)
{
	double burst, need;
	int64_t now, wait_us;
	size_t got;
	struct timespec ts;

	if (r == NULL || n == 0)
		return n;
	pthread_mutex_lock(&r->lock);
	if (r->bps <= 0) {
		pthread_mutex_unlock(&r->lock);
		return n;
	}
	burst = (double)r->bps / 10;
	if (burst < 16384)
		burst = 16384;
	if ((double)n > burst)
		n = (size_t)burst;
	now = rate_now_us();
	r->tokens += (double)(now - r->last_us) * (double)r->bps / 1e6;
	r->last_us = now;
	if (r->tokens > burst)
		r->tokens = burst;
	if (r->tokens >= (double)n) {
		r->tokens -= (double)n;
		pthread_mutex_unlock(&r->lock);
		return n;
	}
	/* reserve now (tokens go negative), sleep until they are paid */
	need = (double)n - r->tokens;
	wait_us = (int64_t)(need * 1e6 / (double)r->bps);
	if (wait_us > 200000) {
		got = (size_t)((double)r->bps * 0.2);
		if (got < 1)
			got = 1;
		if (got < n && r->tokens + (double)got > 0)
			n = got;
		wait_us = 200000;
	}
	r->tokens -= (double)n;
	pthread_mutex_unlock(&r->lock);
	ts.tv_sec = wait_us / 1000000;
	ts.tv_nsec = (wait_us % 1000000) * 1000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	return n;
}

void
vg_rate_free(struct vg_rate *r)
{
	if (r == NULL)
		return;
	pthread_mutex_destroy(&r->lock);
	free(r);
}

/* ---- keys ---------------------------------------------------------------- */

static void
key_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = xrealloc(*buf, *cap);
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

/*
 * Placeholders (UTC): {site} {camera} {date} 2026-12-06, {time} 035701,
 * {start} and {end} 20261206T035701.123Z, {year} {month} {day} {hour}.
 * Unknown ones are kept as they are (config.c refuses them).
 */
char *
vg_store_key(const char *tmpl, const char *site, const char *camera,
    int64_t start_us, int64_t end_us)
{
	char *buf = NULL, v[64];
	size_t len = 0, cap = 0;
	const char *p, *q;
	struct tm tm, te;
	time_t t = (time_t)(start_us / 1000000), u = (time_t)(end_us / 1000000);

	gmtime_r(&t, &tm);
	gmtime_r(&u, &te);
	key_append(&buf, &len, &cap, "", 0);
	for (p = tmpl; *p != '\0'; p = q) {
		if (*p != '{' || (q = strchr(p, '}')) == NULL) {
			q = p + 1;
			key_append(&buf, &len, &cap, p, 1);
			continue;
		}
		q++;
		v[0] = '\0';
#define PH(s) ((size_t)(q - p) == sizeof(s) - 1 && strncmp(p, s, sizeof(s) - 1) == 0)
		if (PH("{site}")) {
			key_append(&buf, &len, &cap, site ? site : "site",
			    strlen(site ? site : "site"));
			continue;
		} else if (PH("{camera}")) {
			key_append(&buf, &len, &cap, camera, strlen(camera));
			continue;
		} else if (PH("{date}"))
			strftime(v, sizeof v, "%Y-%m-%d", &tm);
		else if (PH("{time}"))
			strftime(v, sizeof v, "%H%M%S", &tm);
		else if (PH("{start}") || PH("{end}")) {
			struct tm *w = PH("{start}") ? &tm : &te;
			int64_t us = PH("{start}") ? start_us : end_us;
			char d[32];

			strftime(d, sizeof d, "%Y%m%dT%H%M%S", w);
			snprintf(v, sizeof v, "%s.%03dZ", d,
			    (int)((us / 1000) % 1000));
		} else if (PH("{year}"))
			strftime(v, sizeof v, "%Y", &tm);
		else if (PH("{month}"))
			strftime(v, sizeof v, "%m", &tm);
		else if (PH("{day}"))
			strftime(v, sizeof v, "%d", &tm);
		else if (PH("{hour}"))
			strftime(v, sizeof v, "%H", &tm);
		else {
			key_append(&buf, &len, &cap, p, (size_t)(q - p));
			continue;
		}
#undef PH
		key_append(&buf, &len, &cap, v, strlen(v));
	}
	return buf;
}

char *
vg_store_sidecar_key(const char *key)
{
	const char *slash = strrchr(key, '/');
	const char *dot = strrchr(key, '.');
	char *out;

	if (dot == NULL || (slash != NULL && dot < slash))
		dot = key + strlen(key);
	xasprintf(&out, "%.*s.json", (int)(dot - key), key);
	return out;
}

/* ---- opening ------------------------------------------------------------- */

int
vg_store_open(const struct vg_storage *cfg, struct vg_store **out,
    char **cause)
{
	struct vg_store *st = NULL;

	*out = NULL;
	switch (cfg->type) {
	case VG_STORAGE_S3:
		st = vg_store_s3_new(cfg, cause);
		break;
	case VG_STORAGE_FTP:
	case VG_STORAGE_FTPS:
	case VG_STORAGE_SFTP:
		st = vg_store_ftp_new(cfg, cause);
		break;
	case VG_STORAGE_LOCAL:
		st = vg_store_local_new(cfg, cause);
		break;
	}
	if (st == NULL)
		return VG_ERR_CONFIG;
	st->name = xstrdup(cfg->name);
	st->type = cfg->type;
	st->connect_s = vg_store_env_long("VIGIA_TEST_CONNECT_S", 15);
	st->low_speed_s = vg_store_env_long("VIGIA_TEST_LOW_SPEED_S", 60);
	st->low_speed_bytes = 1;
	*out = st;
	return 0;
}

void
vg_store_free(struct vg_store *st)
{
	char *name;

	if (st == NULL)
		return;
	name = st->name;
	st->ops->free(st);
	free(name);
}
