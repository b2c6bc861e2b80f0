/* store-probe.c - `vigia test s3|ftp|ftps|sftp|local` and the wizard's
 * storage step: reach, auth, write, read back, delete a probe object,
 * the measured upload throughput, and the uplink budget in plain words;
 * and presigned URLs for a storage entry.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "i18n.h"
#include "libvigia.h"
#include "store-sigv4.h"
#include "store.h"

static double
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Append a step to rep and tell o's callback. */
void
vg_probe_step_add(const struct vg_probe_opts *o, struct vg_probe_report *rep,
    const char *cls, const char *what, bool ok, double ms,
    const char *fmt, ...)
{
	struct vg_probe_step *s;
	va_list ap;

	rep->steps = xreallocarray(rep->steps, rep->n + 1, sizeof *rep->steps);
	s = &rep->steps[rep->n++];
	s->what = xstrdup(what);
	s->ok = ok;
	s->ms = ms;
	s->cls = ok ? NULL : cls != NULL ? cls : "server";
	va_start(ap, fmt);
	xvasprintf(&s->detail, fmt, ap);
	va_end(ap);
	if (!ok)
		rep->ok = false;
	if (o != NULL && o->step != NULL)
		o->step(o->arg, s, rep->n - 1);
}

/* Whether the caller asked to stop. */
static bool
probe_stopped(const struct vg_probe_opts *o)
{
	return o != NULL && o->stop != NULL && *o->stop != 0;
}

void
vg_probe_report_clear(struct vg_probe_report *rep)
{
	if (rep == NULL)
		return;
	for (size_t i = 0; i < rep->n; i++) {
		free(rep->steps[i].what);
		free(rep->steps[i].detail);
	}
	free(rep->steps);
	free(rep->advice);
	memset(rep, 0, sizeof *rep);
}

/* host and port of an entry (S3: from the endpoint). */
static void
probe_hostport(const struct vg_storage *st, char *host, size_t hostsz,
    char *port, size_t portsz)
{
	if (st->type == VG_STORAGE_S3) {
		const char *ep = st->endpoint, *h, *e;
		bool https = true;
		size_t n;

		if (ep == NULL) {
			if (st->path_style)
				snprintf(host, hostsz, "s3.%s.amazonaws.com",
				    st->region ? st->region : "us-east-1");
			else
				snprintf(host, hostsz, "%s.s3.%s.amazonaws.com",
				    st->bucket, st->region ? st->region :
				    "us-east-1");
			snprintf(port, portsz, "443");
			return;
		}
		https = strncmp(ep, "https:", 6) == 0;
		h = strstr(ep, "://");
		h = h ? h + 3 : ep;
		n = strcspn(h, "/");
		if (*h == '[') {
			e = memchr(h, ']', n);
			if (e == NULL)
				e = h + n;
			snprintf(host, hostsz, "%.*s", (int)(e - h - 1), h + 1);
			if (e < h + n && e[1] == ':')
				snprintf(port, portsz, "%.*s",
				    (int)(h + n - e - 2), e + 2);
			else
				snprintf(port, portsz, https ? "443" : "80");
		} else {
			e = memchr(h, ':', n);
			snprintf(host, hostsz, "%.*s",
			    (int)((e ? e : h + n) - h), h);
			if (e != NULL)
				snprintf(port, portsz, "%.*s",
				    (int)(h + n - e - 1), e + 1);
			else
				snprintf(port, portsz, https ? "443" : "80");
		}
		if (!st->path_style && st->endpoint != NULL) {
			char *b;

			xasprintf(&b, "%s.%s", st->bucket, host);
			snprintf(host, hostsz, "%.*s", (int)hostsz - 1, b);
			free(b);
		}
		return;
	}
	snprintf(host, hostsz, "%s", st->host ? st->host : "");
	snprintf(port, portsz, "%d", st->port > 0 ? st->port :
	    vg_storage_default_port(st->type, st->tls));
}

/* DNS and TCP, each with its time; false with the step failed. */
static bool
probe_reach(const struct vg_storage *st, const struct vg_probe_opts *o,
    struct vg_probe_report *rep)
{
	char host[300], port[16];
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	double t0 = mono_ms(), t1, t2;
	int fd = -1, r;
	bool ok = false;

	probe_hostport(st, host, sizeof host, port, sizeof port);
	if ((r = getaddrinfo(host, port, &hints, &ai)) != 0) {
		vg_probe_step_add(o, rep, "dns", _("reach"), false,
		    mono_ms() - t0,
		    _("the name %s does not resolve (DNS): %s"), host,
		    gai_strerror(r));
		return false;
	}
	t1 = mono_ms();
	for (struct addrinfo *a = ai; a != NULL && !ok; a = a->ai_next) {
		struct pollfd pfd;
		int soerr = 0, waited;
		socklen_t sl = sizeof soerr;

		fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, a->ai_protocol);
		if (fd == -1)
			continue;
		if (connect(fd, a->ai_addr, a->ai_addrlen) == -1 &&
		    errno != EINPROGRESS) {
			soerr = errno;
		} else {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			/* 10 s, in slices that see a stop request */
			for (waited = 0; waited < 10000; waited += 200) {
				if ((r = poll(&pfd, 1, 200)) != 0 ||
				    probe_stopped(o))
					break;
			}
			if (r != 1)
				soerr = probe_stopped(o) ? ECANCELED :
				    ETIMEDOUT;
			else
				getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr,
				    &sl);
		}
		close(fd);
		if (soerr == 0)
			ok = true;
		else
			errno = soerr;
	}
	t2 = mono_ms();
	freeaddrinfo(ai);
	if (!ok) {
		vg_probe_step_add(o, rep, "net", _("reach"), false, t2 - t0,
		    _("no TCP connection to %s port %s: %s"), host, port,
		    strerror(errno));
		return false;
	}
	vg_probe_step_add(o, rep, NULL, _("reach"), true, t2 - t0,
	    _("%s port %s: DNS %.0f ms, TCP %.0f ms"), host, port, t1 - t0,
	    t2 - t1);
	return true;
}

static int
sha256_of(const char *path, unsigned char md[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned char buf[65536];
	unsigned int n;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1) {
		EVP_MD_CTX_free(c);
		return -1;
	}
	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	while ((r = read(fd, buf, sizeof buf)) > 0)
		EVP_DigestUpdate(c, buf, (size_t)r);
	EVP_DigestFinal_ex(c, md, &n);
	EVP_MD_CTX_free(c);
	close(fd);
	return r < 0 ? -1 : 0;
}

static void
mbit(double bps, char *out, size_t n)
{
	double m = bps * 8 / 1e6;

	snprintf(out, n, m >= 10 ? "%.0f" : m >= 1 ? "%.1f" : "%.2f", m);
}

/* The uplink budget: the cameras' bitrates against the throughput. */
static void
probe_budget(const struct vg_config *cfg, const struct vg_storage *st,
    struct vg_probe_report *rep)
{
	double need = 0, have = rep->throughput_bps, cap;
	int n = 0, per_kbps = 0;
	char a[32], b[32], c[32], d[32];
	char *s = NULL, *t = NULL;

	for (size_t i = 0; cfg != NULL && i < cfg->ncameras; i++) {
		const struct vg_camera *cam = &cfg->cameras[i];

		if (!cam->enabled || cam->recording.mode == VG_RECORD_OFF)
			continue;
		need += (double)cam->encoder.bitrate_kbps * 1000 / 8;
		per_kbps = cam->encoder.bitrate_kbps;
		n++;
	}
	rep->need_bps = need;
	rep->cameras = n;
	cap = cfg != NULL && cfg->vigiad.bandwidth_kbps > 0 ?
	    (double)cfg->vigiad.bandwidth_kbps * 1000 / 8 : 0;
	if (cap > 0 && (have == 0 || cap < have))
		have = cap;
	if (n > 0 && have > 0) {
		mbit(need, a, sizeof a);
		mbit(have, b, sizeof b);
		mbit((double)per_kbps * 1000 / 8, d, sizeof d);
		if (need <= have * 0.8)
			xasprintf(&s, P_("%d camera makes %s Mbit/s; the uplink carried %s Mbit/s%s: enough, with room to catch up after an outage.",
			    "%d cameras make %s Mbit/s; the uplink carried %s Mbit/s%s: enough, with room to catch up after an outage.",
			    n), n, a, b, cap > 0 && have == cap ?
			    _(" (the bandwidth_kbps cap)") : "");
		else {
			mbit(have * 0.8 / n, c, sizeof c);
			xasprintf(&s, P_("%d camera at %s Mbit/s makes %s Mbit/s; the uplink carried %s Mbit/s%s: lower the bitrate to %s Mbit/s, record the substream, or upload in a window (the backlog waits in the spool).",
			    "%d cameras at %s Mbit/s make %s Mbit/s; the uplink carried %s Mbit/s%s: lower the bitrate to %s Mbit/s, record the substream, or upload in a window (the backlog waits in the spool).",
			    n), n, d, a, b, cap > 0 && have == cap ?
			    _(" (the bandwidth_kbps cap)") : "", c);
		}
	} else if (n == 0 && have > 0) {
		mbit(have, b, sizeof b);
		xasprintf(&s, _("The uplink carried %s Mbit/s; no camera is configured yet to weigh it against."),
		    b);
	}
	if (st->type == VG_STORAGE_FTP || st->type == VG_STORAGE_FTPS)
		t = xstrdup(_("AWS Transfer Family: plain FTP works only on a VPC endpoint, and behind NAT passive mode needs the server's PassiveIp set to its public address."));
	if (s != NULL && t != NULL) {
		xasprintf(&rep->advice, "%s\n%s", s, t);
		free(s);
		free(t);
	} else
		rep->advice = s != NULL ? s : t;
}

int
vg_store_probe(const struct vg_config *cfg, const struct vg_storage *st,
    int64_t probe_bytes, struct vg_probe_report *rep, char **cause)
{
	struct vg_probe_opts o = { .probe_bytes = probe_bytes };

	return vg_store_probe_with(cfg, st, &o, rep, cause);
}

int
vg_store_probe_with(const struct vg_config *cfg, const struct vg_storage *st,
    const struct vg_probe_opts *o, struct vg_probe_report *rep, char **cause)
{
	int64_t probe_bytes = o->probe_bytes > 0 ? o->probe_bytes :
	    4 * 1024 * 1024;
	struct vg_store *s = NULL;
	struct vg_store_err e = { 0 };
	struct vg_store_result res = { 0 };
	struct vg_store_put p = { 0 };
	char tmpl[] = "/tmp/vigia-probe.XXXXXX", back[64] = "", *key = NULL;
	char host[256] = "";
	unsigned char buf[65536], m1[32], m2[32];
	int fd = -1, err;
	double t0, ms;
	int64_t got = -1;

	memset(rep, 0, sizeof *rep);
	rep->ok = true;
	if ((err = vg_store_open(st, &s, cause)) != 0)
		return err;
	if (st->type != VG_STORAGE_LOCAL && !probe_reach(st, o, rep))
		goto out;
	if (st->type == VG_STORAGE_LOCAL) {
		struct stat sb;

		if (stat(st->path, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
			vg_probe_step_add(o, rep, "local", _("reach"), false,
			    0, _("%s is not a directory"), st->path);
			goto out;
		}
		vg_probe_step_add(o, rep, NULL, _("reach"), true, 0,
		    _("%s is a directory"), st->path);
	}
	gethostname(host, sizeof host - 1);
	xasprintf(&key, ".vigia-probe/%s-%ld.bin", host[0] ? host : "box",
	    (long)time(NULL));

	/* auth: read an object that is not there */
	snprintf(back, sizeof back, "%s", "/tmp/vigia-probe-back.XXXXXX");
	if ((fd = mkstemp(back)) == -1) {
		xasprintf(cause, _("cannot create a temporary file: %s"),
		    strerror(errno));
		err = VG_ERR_IO;
		goto out;
	}
	close(fd);
	fd = -1;
	t0 = mono_ms();
	if (s->ops->size(s, key, &got, &e) == 0 ||
	    (e.cls != NULL && strcmp(e.cls, "missing") == 0))
		vg_probe_step_add(o, rep, NULL, _("auth"), true,
		    mono_ms() - t0, "%s",
		    _("the store accepts the credentials"));
	else {
		vg_probe_step_add(o, rep, e.cls, _("auth"), false,
		    mono_ms() - t0, "%s", e.msg);
		goto out;
	}
	vg_store_err_clear(&e);
	if (probe_stopped(o))
		goto out;

	/* write a probe of random bytes */
	if ((fd = mkstemp(tmpl)) == -1) {
		xasprintf(cause, _("cannot create a temporary file: %s"),
		    strerror(errno));
		err = VG_ERR_IO;
		goto out;
	}
	for (int64_t left = probe_bytes; left > 0; ) {
		size_t n = left > (int64_t)sizeof buf ? sizeof buf :
		    (size_t)left;

		RAND_bytes(buf, (int)n);
		if (write(fd, buf, n) != (ssize_t)n) {
			xasprintf(cause, _("cannot write %s: %s"), tmpl,
			    strerror(errno));
			err = VG_ERR_IO;
			goto out;
		}
		left -= (int64_t)n;
	}
	close(fd);
	fd = -1;
	p.path = tmpl;
	p.key = key;
	p.stop = o->stop;
	t0 = mono_ms();
	if (s->ops->put(s, &p, &res, &e) != 0) {
		vg_probe_step_add(o, rep, e.cls, _("write"), false,
		    mono_ms() - t0, "%s", e.msg);
		goto out;
	}
	ms = mono_ms() - t0;
	rep->throughput_bps = ms > 0 ? (double)res.sent * 1000 / ms : 0;
	{
		char r[32];

		mbit(rep->throughput_bps, r, sizeof r);
		vg_probe_step_add(o, rep, NULL, _("write"), true, ms,
		    _("%lld bytes to %s in %.0f ms: %s Mbit/s"),
		    (long long)probe_bytes, key, ms, r);
	}
	vg_store_err_clear(&e);
	if (probe_stopped(o)) {
		s->ops->del(s, key, &e);
		goto out;
	}

	t0 = mono_ms();
	if (s->ops->get(s, key, back, &e) != 0)
		vg_probe_step_add(o, rep, e.cls, _("read back"), false,
		    mono_ms() - t0, "%s", e.msg);
	else if (sha256_of(back, m1) != 0 || sha256_of(tmpl, m2) != 0 ||
	    memcmp(m1, m2, 32) != 0)
		vg_probe_step_add(o, rep, "verify", _("read back"), false,
		    mono_ms() - t0, "%s",
		    _("the bytes read back differ from those written"));
	else
		vg_probe_step_add(o, rep, NULL, _("read back"), true,
		    mono_ms() - t0, "%s",
		    _("the same bytes (SHA-256)"));
	vg_store_err_clear(&e);

	t0 = mono_ms();
	if (s->ops->del(s, key, &e) != 0)
		vg_probe_step_add(o, rep, e.cls, _("delete"), false,
		    mono_ms() - t0, "%s", e.msg);
	else
		vg_probe_step_add(o, rep, NULL, _("delete"), true,
		    mono_ms() - t0, "%s",
		    _("the probe object is gone"));
	probe_budget(cfg, st, rep);
	err = 0;
out:
	if (err == 0 && probe_stopped(o))
		err = VG_ERR_CANCELLED;
	if (fd != -1)
		close(fd);
	unlink(tmpl);
	if (back[0] != '\0')
		unlink(back);
	vg_store_err_clear(&e);
	vg_store_free(s);
	free(key);
	return err;
}

int
vg_store_presign(const struct vg_storage *st, const char *key,
    int64_t expires, char **url, char **cause)
{
	struct vg_s3_presign p = { 0 };
	char *full = NULL;
	int err;

	*url = NULL;
	if (st->type != VG_STORAGE_S3) {
		xasprintf(cause, _("storage %s is not S3: only S3 objects have presigned URLs"),
		    st->name);
		return VG_ERR_USAGE;
	}
	if (strncmp(key, "s3://", 5) == 0) {
		size_t bl = strlen(st->bucket);

		if (strncmp(key + 5, st->bucket, bl) != 0 ||
		    key[5 + bl] != '/') {
			xasprintf(cause, _("%s is not in bucket %s of storage %s"),
			    key, st->bucket, st->name);
			return VG_ERR_USAGE;
		}
		full = xstrdup(key + 6 + bl);
	} else
		xasprintf(&full, "%s%s", st->prefix ? st->prefix : "", key);
	p.endpoint = st->endpoint;
	p.virtual_hosted = !st->path_style;
	p.bucket = st->bucket;
	p.key = full;
	p.region = st->region ? st->region : "us-east-1";
	p.access_key = st->access_key;
	p.secret_key = st->secret_key.value;
	p.expires = expires;
	p.when = time(NULL);
	err = vg_s3_presign(&p, url, cause) == 0 ? 0 : VG_ERR_USAGE;
	free(full);
	return err;
}
