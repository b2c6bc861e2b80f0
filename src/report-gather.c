/* report-gather.c - gathering the as-built report: every camera read over
 * ONVIF (the plan engine's observation), its stream measured and a
 * picture taken, in parallel; the storage and Label Studio checks beside
 * them; the recorder's status socket.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every network call has a deadline: ONVIF calls the camera's timeout,
 * stream probes and snapshots the report's, the storage probe curl's
 * connect and low-speed limits, the Label Studio check a cancel flag
 * raised when the report's check deadline passes, the status socket its
 * own timeout.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "i18n.h"
#include "report.h"
#include "store.h"

/* ---- names ----------------------------------------------------------------- */

const char *
vg_report_result_name(enum vg_report_result res)
{
	switch (res) {
	case VG_REPORT_PASS:
		return "pass";
	case VG_REPORT_WARN:
		return "warn";
	case VG_REPORT_FAIL:
		return "fail";
	case VG_REPORT_SKIP:
		return "skip";
	}
	return "?";
}

const char *
vg_report_result_title(enum vg_report_result res)
{
	switch (res) {
	case VG_REPORT_PASS:
		/* TRANSLATORS: a test result */
		return _("passed");
	case VG_REPORT_WARN:
		/* TRANSLATORS: a test result */
		return _("warning");
	case VG_REPORT_FAIL:
		/* TRANSLATORS: a test result */
		return _("FAILED");
	case VG_REPORT_SKIP:
		/* TRANSLATORS: a test result */
		return _("not tested");
	}
	return "?";
}

/* The camera tests, in report order. */
static const struct {
	const char *key;
	const char *title;
} report_tests[] = {
	{ "onvif", N_("ONVIF reachable") },
	{ "login", N_("login") },
	{ "clock", N_("clock drift") },
	{ "config", N_("settings as configured") },
	{ "stream", N_("stream opens") },
	{ "encoder", N_("stream as set") },
	{ "first_picture", N_("time to first picture") },
	{ "browser", N_("plays in a browser") },
	{ "snapshot", N_("snapshot") },
};

const char *
vg_report_test_title(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof report_tests / sizeof report_tests[0]; i++)
		if (strcmp(report_tests[i].key, key) == 0)
			return _(report_tests[i].title);
	return key;
}

/* ---- helpers --------------------------------------------------------------- */

static char *
dup_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

/* Add a test to a camera (detail formatted, may be NULL). */
static void
cam_test(struct vg_report_camera *c, const char *key,
    enum vg_report_result res, const char *fmt, ...)
    VG_PRINTF(4, 5);
static void
cam_test(struct vg_report_camera *c, const char *key,
    enum vg_report_result res, const char *fmt, ...)
{
	struct vg_report_test *t;
	va_list ap;

	if (c->ntests == VG_REPORT_NTESTS)
		return;
	t = &c->tests[c->ntests++];
	t->key = key;
	t->result = res;
	t->detail = NULL;
	if (fmt != NULL) {
		va_start(ap, fmt);
		xvasprintf(&t->detail, fmt, ap);
		va_end(ap);
	}
	if (res == VG_REPORT_FAIL || (res == VG_REPORT_WARN &&
	    c->result != VG_REPORT_FAIL))
		c->result = res;
}

/* "H264" and friends for a configured codec. */
static const char *
codec_of(enum vg_codec c)
{
	switch (c) {
	case VG_CODEC_H264:
		return "H264";
	case VG_CODEC_H265:
		return "H265";
	case VG_CODEC_MJPEG:
		return "MJPEG";
	}
	return "?";
}

static const char *
profile_of(enum vg_profile p)
{
	switch (p) {
	case VG_PROFILE_MAIN:
		return "Main";
	case VG_PROFILE_BASELINE:
		return "Baseline";
	case VG_PROFILE_HIGH:
		return "High";
	}
	return "";
}

/* The configured encoder as report numbers. */
static void
enc_from_config(struct vg_report_encoder *e, const struct vg_camera_encoder *c)
{
	memset(e, 0, sizeof *e);
	snprintf(e->codec, sizeof e->codec, "%s", codec_of(c->codec));
	if (c->codec == VG_CODEC_H264)
		snprintf(e->profile, sizeof e->profile, "%s",
		    profile_of(c->profile));
	e->width = c->width;
	e->height = c->height;
	e->fps = c->fps;
	e->bitrate_kbps = c->bitrate_kbps;
	e->gop = c->gop;
}

/* What the camera says its encoder is. */
static void
enc_from_onvif(struct vg_report_encoder *e, const struct vg_onvif_encoder *o)
{
	memset(e, 0, sizeof *e);
	snprintf(e->codec, sizeof e->codec, "%s", vg_onvif_codec_name(o->codec));
	snprintf(e->profile, sizeof e->profile, "%s",
	    o->profile != NULL ? o->profile : "");
	e->width = o->width;
	e->height = o->height;
	e->fps = o->fps;
	e->bitrate_kbps = o->bitrate_kbps;
	e->gop = o->gop;
}

/* What the stream measured. */
static void
enc_from_probe(struct vg_report_encoder *e, const struct vg_stream_probe *p)
{
	const char *c = p->codec;

	memset(e, 0, sizeof *e);
	if (strcmp(c, "h264") == 0)
		c = "H264";
	else if (strcmp(c, "hevc") == 0)
		c = "H265";
	else if (strcmp(c, "mjpeg") == 0)
		c = "MJPEG";
	snprintf(e->codec, sizeof e->codec, "%s", c);
	snprintf(e->profile, sizeof e->profile, "%s", p->profile);
	e->width = p->width;
	e->height = p->height;
	e->fps = p->fps;
	e->bitrate_kbps = (int)((p->bitrate_bps + 500) / 1000);
	e->gop = p->gop;
}

/* Read a whole (small) file into memory; NULL on error. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	struct stat sb;
	unsigned char *buf;
	ssize_t n;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) != 0 || sb.st_size <= 0 ||
	    sb.st_size > 64 * 1024 * 1024) {
		close(fd);
		return NULL;
	}
	buf = xmalloc((size_t)sb.st_size);
	while (got < (size_t)sb.st_size) {
		n = read(fd, buf + got, (size_t)sb.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != (size_t)sb.st_size) {
		free(buf);
		return NULL;
	}
	*len = got;
	return buf;
}

/* ---- one camera ------------------------------------------------------------ */

struct rep_job {
	const struct vg_config *cfg;
	const struct vg_report_opts *o;
	struct vg_plan *plan;
	struct vg_report *r;
	char *tmpdir;
	pthread_mutex_t lock;
	size_t next;
};

/* Identity, ONVIF, login, clock and configuration from the plan's
 * observation of camera i. */
static void
cam_from_plan(struct rep_job *j, size_t i)
{
	const struct vg_plan_camera *pc = &j->plan->cams[i];
	const struct vg_plan_observed *ob = &pc->obs;
	const struct vg_camera *cam = pc->cam;
	struct vg_report_camera *c = &j->r->cams[i];
	size_t k, m;
	int64_t d;

	c->name = xstrdup(cam->name);
	c->result = VG_REPORT_PASS;
	c->first_picture_ms = -1;
	c->max_drift_s = cam->time.max_drift_s;
	enc_from_config(&c->set, &cam->encoder);
	if (!pc->observed && ob->url == NULL) {
		c->address = dup_or_null(cam->onvif.address != NULL ?
		    cam->onvif.address : cam->match.address);
		cam_test(c, "onvif", VG_REPORT_FAIL, "%s%s%s",
		    vg_onvif_class_text(pc->cls), pc->problem != NULL ?
		    " " : "", pc->problem != NULL ? pc->problem : "");
		return;
	}
	c->onvif_url = dup_or_null(ob->url);
	c->address = ob->url != NULL ? vg_onvif_url_host(ob->url) : NULL;
	c->vendor = dup_or_null(ob->info.manufacturer);
	c->model = dup_or_null(ob->info.model);
	c->serial = dup_or_null(ob->info.serial);
	c->mac = dup_or_null(ob->info.mac != NULL ? ob->info.mac :
	    ob->have_net ? ob->net.mac : NULL);
	c->firmware = dup_or_null(ob->info.firmware);
	c->hardware_id = dup_or_null(ob->info.hardware_id);
	/* TRANSLATORS: %s is a device-service URL */
	cam_test(c, "onvif", VG_REPORT_PASS, _("answers at %s"), ob->url);
	switch (ob->access) {
	case VG_PLAN_ACCESS_USER:
		/* TRANSLATORS: %s is a user name */
		cam_test(c, "login", VG_REPORT_PASS, _("as %s"),
		    cam->credentials.user);
		break;
	case VG_PLAN_ACCESS_ADMIN:
		cam_test(c, "login", VG_REPORT_WARN, _("only as the "
		    "administrator: the recording user %s does not work"),
		    cam->credentials.user);
		break;
	case VG_PLAN_ACCESS_FACTORY:
		cam_test(c, "login", VG_REPORT_FAIL, _("the camera is "
		    "factory-new: it has no password yet"));
		break;
	case VG_PLAN_ACCESS_NONE:
		cam_test(c, "login", VG_REPORT_FAIL, "%s",
		    vg_onvif_class_text(pc->cls));
		break;
	}
	if (ob->have_time) {
		c->have_drift = true;
		c->drift_s = ob->time.offset_s;
		d = c->drift_s < 0 ? -c->drift_s : c->drift_s;
		cam_test(c, "clock", d <= c->max_drift_s ? VG_REPORT_PASS :
		    VG_REPORT_FAIL,
		    /* TRANSLATORS: clock drift in seconds, then the limit */
		    _("%+lld s (at most %d s allowed)"), (long long)c->drift_s,
		    c->max_drift_s);
	} else {
		cam_test(c, "clock", VG_REPORT_SKIP, _("the camera's clock "
		    "could not be read"));
	}
	if (ob->have_encoder) {
		c->have_camera = true;
		enc_from_onvif(&c->camera, &ob->encoder);
	}
	c->profile = dup_or_null(ob->profile);
	for (k = 0; k < pc->nsteps; k++)
		for (m = 0; m < pc->steps[k].nchanges; m++) {
			c->differs = xreallocarray(c->differs,
			    c->ndiffers + 1, sizeof *c->differs);
			c->differs[c->ndiffers++] =
			    xstrdup(pc->steps[k].changes[m].field);
		}
	if (ob->access == VG_PLAN_ACCESS_NONE ||
	    ob->access == VG_PLAN_ACCESS_FACTORY)
		cam_test(c, "config", VG_REPORT_SKIP, _("the camera could not "
		    "be logged in to"));
	else if (c->ndiffers == 0)
		cam_test(c, "config", VG_REPORT_PASS, _("nothing differs from "
		    "the configuration"));
	else {
		char *list = xstrdup(""), *n;

		for (k = 0; k < c->ndiffers; k++) {
			xasprintf(&n, "%s%s%s", list, k > 0 ? ", " : "",
			    c->differs[k]);
			free(list);
			list = n;
		}
		cam_test(c, "config", VG_REPORT_WARN,
		    /* TRANSLATORS: %zu settings, then their keys ("fps, gop") */
		    P_("%zu setting differs from the configuration "
		    "(vigia --apply would change it): %s",
		    "%zu settings differ from the configuration "
		    "(vigia --apply would change them): %s", c->ndiffers),
		    c->ndiffers, list);
		free(list);
	}
}

/* The stream of camera i: URIs over ONVIF, a probe and a picture. */
static void
cam_stream(struct rep_job *j, size_t i)
{
	const struct vg_camera *cam = j->plan->cams[i].cam;
	struct vg_report_camera *c = &j->r->cams[i];
	struct vg_onvif_camera_stream cs;
	enum vg_onvif_class oc = VG_ONVIF_OK;
	struct vg_stream_opts so;
	struct vg_stream_expect exp;
	struct vg_stream_probe p;
	struct vg_snapshot_info si;
	const char *url;
	char *cause = NULL, *path = NULL;
	size_t k;
	int err;

	memset(&cs, 0, sizeof cs);
	memset(&so, 0, sizeof so);
	so.timeout_ms = j->o->timeout_ms > 0 ? j->o->timeout_ms : 5000;
	so.user = cam->credentials.user;
	so.password = cam->credentials.password.value;
	if (cam->recording.url != NULL) {
		url = cam->recording.url;
		c->stream_uri = xstrdup(url);
	} else {
		err = vg_onvif_camera_stream(cam, &cs, &oc, &cause);
		if (err != VG_OK) {
			cam_test(c, "stream", VG_REPORT_FAIL,
			    _("no stream URI: %s"), err == VG_ERR_NOTFOUND ?
			    _("no media profile with a video encoder") :
			    vg_onvif_class_text(oc));
			log_info("report: %s: %s", cam->name, cause);
			goto out;
		}
		c->stream_uri = xstrdup(cs.stream_uri);
		c->snapshot_uri = dup_or_null(cs.snapshot_uri);
		if (c->profile == NULL)
			c->profile = dup_or_null(cs.profile);
		if (c->address == NULL)
			c->address = dup_or_null(cs.host);
		url = cs.stream_uri;
	}

	vg_stream_expect_from_encoder(&exp, &cam->encoder);
	memset(&p, 0, sizeof p);
	free(cause);
	cause = NULL;
	err = vg_stream_probe(url, &so, j->o->probe_s > 0 ? j->o->probe_s : 3,
	    &exp, &p, &cause);
	if (err != VG_OK) {
		cam_test(c, "stream", VG_REPORT_FAIL, "%s",
		    vg_stream_class_text(p.cls));
		log_info("report: %s: probe: %s", cam->name, cause);
	} else {
		c->have_measured = true;
		enc_from_probe(&c->measured, &p);
		snprintf(c->audio, sizeof c->audio, "%s", p.audio_codec);
		cam_test(c, "stream", VG_REPORT_PASS, _("%s over %s"),
		    p.codec, p.udp ? "UDP" : "TCP");
		if (p.nmismatch == 0) {
			cam_test(c, "encoder", VG_REPORT_PASS, _("codec, "
			    "resolution, frame rate, bit rate and keyframe "
			    "interval as set"));
		} else {
			char *list = xstrdup(""), *n;

			for (k = 0; k < p.nmismatch; k++) {
				/* TRANSLATORS: field, expected, measured */
				xasprintf(&n, _("%s%s%s: set %s, measured %s"),
				    list, k > 0 ? "; " : "",
				    vg_stream_field_text(p.mismatch[k].field),
				    p.mismatch[k].expected,
				    p.mismatch[k].measured);
				free(list);
				list = n;
			}
			cam_test(c, "encoder", VG_REPORT_FAIL, "%s", list);
			free(list);
		}
		if (p.first_picture_us >= 0) {
			c->first_picture_ms = (p.first_picture_us + 500) / 1000;
			cam_test(c, "first_picture", VG_REPORT_PASS, _("%lld ms"),
			    (long long)c->first_picture_ms);
		} else {
			cam_test(c, "first_picture", VG_REPORT_FAIL,
			    _("no picture could be decoded"));
		}
		cam_test(c, "browser", p.browser == VG_BROWSER_YES ?
		    VG_REPORT_PASS : p.browser == VG_BROWSER_WARN ?
		    VG_REPORT_WARN : VG_REPORT_FAIL, "%s",
		    p.browser == VG_BROWSER_YES ? _("H.264 plays in every "
		    "browser") : p.browser == VG_BROWSER_WARN ? _("H.265 "
		    "plays only in some browsers") : _("browsers cannot play "
		    "this codec"));
	}

	if (j->o->no_pictures) {
		cam_test(c, "snapshot", VG_REPORT_SKIP, _("not asked for"));
		goto out;
	}
	xasprintf(&path, "%s/%zu.jpg", j->tmpdir, i);
	memset(&si, 0, sizeof si);
	free(cause);
	cause = NULL;
	err = VG_ERR_NOTFOUND;
	if (c->snapshot_uri != NULL)
		err = vg_stream_snapshot(c->snapshot_uri, &so, path,
		    VG_IMAGE_JPEG, &si, &cause);
	if (err != VG_OK) {
		free(cause);
		cause = NULL;
		memset(&si, 0, sizeof si);
		err = vg_stream_snapshot(url, &so, path, VG_IMAGE_JPEG, &si,
		    &cause);
	}
	if (err == VG_OK)
		c->picture = slurp(path, &c->picture_len);
	unlink(path);
	if (c->picture != NULL) {
		c->picture_w = si.width;
		c->picture_h = si.height;
		c->picture_from_http = si.from_http;
		cam_test(c, "snapshot", VG_REPORT_PASS, si.from_http ?
		    _("%dx%d from the snapshot URI") :
		    _("%dx%d from the stream"), si.width, si.height);
	} else {
		cam_test(c, "snapshot", VG_REPORT_FAIL, "%s",
		    vg_stream_class_text(si.cls));
		log_info("report: %s: snapshot: %s", cam->name, cause);
	}
out:
	vg_onvif_camera_stream_clear(&cs);
	free(path);
	free(cause);
}

/* A worker: take cameras until none is left. */
static void *
cam_worker(void *arg)
{
	struct rep_job *j = arg;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&j->lock);
		i = j->next++;
		pthread_mutex_unlock(&j->lock);
		if (i >= j->plan->ncams)
			break;
		if (j->r->cams[i].tests[0].key != NULL &&
		    j->r->cams[i].tests[0].result == VG_REPORT_FAIL)
			continue;	/* ONVIF did not answer */
		cam_stream(j, i);
	}
	return NULL;
}

/* ---- storage and Label Studio --------------------------------------------- */

struct chk_job {
	const struct vg_config *cfg;
	const struct vg_report_opts *o;
	struct vg_report_check *ck;
	const struct vg_storage *st;
	volatile int cancel;
	bool done;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static void
ck_step(struct vg_report_check *ck, const char *what,
    enum vg_report_result res, const char *detail)
{
	struct vg_report_step *s;

	ck->steps = xreallocarray(ck->steps, ck->nsteps + 1, sizeof *ck->steps);
	s = &ck->steps[ck->nsteps++];
	s->what = xstrdup(what);
	s->result = res;
	s->detail = dup_or_null(detail);
	if (res == VG_REPORT_FAIL || (res == VG_REPORT_WARN &&
	    ck->result != VG_REPORT_FAIL))
		ck->result = res;
}

static void *
storage_worker(void *arg)
{
	struct chk_job *cj = arg;
	struct vg_probe_report rep;
	char *cause = NULL;
	size_t i;

	memset(&rep, 0, sizeof rep);
	if (vg_store_probe(cj->cfg, cj->st, cj->o->probe_bytes > 0 ?
	    cj->o->probe_bytes : 1024 * 1024, &rep, &cause) != VG_OK) {
		cj->ck->result = VG_REPORT_FAIL;
		cj->ck->error = cause;
		cause = NULL;
	} else {
		for (i = 0; i < rep.n; i++)
			ck_step(cj->ck, rep.steps[i].what, rep.steps[i].ok ?
			    VG_REPORT_PASS : VG_REPORT_FAIL,
			    rep.steps[i].detail);
		if (!rep.ok)
			cj->ck->result = VG_REPORT_FAIL;
		cj->ck->throughput_bps = rep.throughput_bps;
		cj->ck->need_bps = rep.need_bps;
		cj->ck->advice = dup_or_null(rep.advice);
	}
	vg_probe_report_clear(&rep);
	free(cause);
	pthread_mutex_lock(&cj->lock);
	cj->done = true;
	pthread_cond_signal(&cj->cond);
	pthread_mutex_unlock(&cj->lock);
	return NULL;
}

/* One step of the Label Studio check. */
static void
ls_item(void *opaque, const struct vg_ls_check_item *it)
{
	struct chk_job *cj = opaque;
	enum vg_report_result res = VG_REPORT_PASS;

	switch (it->status) {
	case VG_LS_CHECK_OK:
		res = VG_REPORT_PASS;
		break;
	case VG_LS_CHECK_WARN:
		res = VG_REPORT_WARN;
		break;
	case VG_LS_CHECK_FAIL:
		res = VG_REPORT_FAIL;
		break;
	case VG_LS_CHECK_SKIP:
		res = VG_REPORT_SKIP;
		break;
	}
	ck_step(cj->ck, _(it->what), res, it->detail);
}

static void *
ls_worker(void *arg)
{
	struct chk_job *cj = arg;
	struct vg_ls_check_opts lo;
	char *cors = NULL;

	memset(&lo, 0, sizeof lo);
	lo.cancel = &cj->cancel;
	lo.probe_key = cj->o->probe_key;
	if (vg_ls_check(cj->cfg, &lo, ls_item, cj, &cors) != 0)
		cj->ck->result = VG_REPORT_FAIL;
	free(cors);
	pthread_mutex_lock(&cj->lock);
	cj->done = true;
	pthread_cond_signal(&cj->cond);
	pthread_mutex_unlock(&cj->lock);
	return NULL;
}

/* Wait for a check until its deadline; past it, raise its cancel flag
 * (Label Studio stops at once; the storage probe at curl's limits) and
 * record that the deadline passed. */
static void
chk_wait(struct chk_job *cj, pthread_t th, const struct timespec *deadline)
{
	bool late = false;

	pthread_mutex_lock(&cj->lock);
	while (!cj->done)
		if (pthread_cond_timedwait(&cj->cond, &cj->lock, deadline) ==
		    ETIMEDOUT && !cj->done) {
			cj->cancel = 1;
			late = true;
			break;
		}
	pthread_mutex_unlock(&cj->lock);
	pthread_join(th, NULL);
	if (late) {
		cj->ck->result = VG_REPORT_FAIL;
		free(cj->ck->error);
		cj->ck->error = xstrdup(_("the check did not finish within "
		    "its deadline"));
	}
}

/* ---- the whole report ------------------------------------------------------ */

int
vg_report_gather(const struct vg_config *cfg,
    const struct vg_report_opts *o, struct vg_report *r, char **cause)
{
	struct vg_plan_opts po;
	struct rep_job j;
	struct chk_job sj, lj;
	pthread_t *th = NULL, sth, lth;
	struct timespec deadline;
	char host[256], tmpl[] = "/tmp/vigia-report.XXXXXX", *tmp;
	const char *sock;
	size_t i, nth;
	bool st_run = false, ls_run = false;
	int err;

	memset(r, 0, sizeof *r);
	memset(&j, 0, sizeof j);
	memset(&sj, 0, sizeof sj);
	memset(&lj, 0, sizeof lj);
	r->generated = time(NULL);
	r->site_id = dup_or_null(cfg->site.id);
	r->site_name = dup_or_null(cfg->site.name);
	r->timezone = dup_or_null(cfg->site.timezone);
	r->config_path = dup_or_null(cfg->path);
	r->version = xstrdup(vg_version_text());
	memset(host, 0, sizeof host);
	if (gethostname(host, sizeof host - 1) == 0)
		r->host = dup_or_null(host);

	memset(&po, 0, sizeof po);
	po.parallel = o->parallel > 0 ? o->parallel : 8;
	po.only = o->only;
	po.nonly = o->nonly;
	po.no_discovery = true;

	/* the checks start first: they run while the cameras are read */
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += (o->check_timeout_ms > 0 ? o->check_timeout_ms :
	    60000) / 1000;
	sj.cfg = lj.cfg = cfg;
	sj.o = lj.o = o;
	sj.ck = &r->storage;
	lj.ck = &r->labelstudio;
	pthread_mutex_init(&sj.lock, NULL);
	pthread_cond_init(&sj.cond, NULL);
	pthread_mutex_init(&lj.lock, NULL);
	pthread_cond_init(&lj.cond, NULL);
	sj.st = cfg->vigiad.storage != NULL ?
	    vg_config_find_storage(cfg, cfg->vigiad.storage) : NULL;
	if (sj.st == NULL && cfg->nstorage > 0)
		sj.st = &cfg->storage[0];
	if (sj.st != NULL) {
		static const char *const types[] = { "s3", "sftp", "ftp",
		    "ftps", "local" };

		r->storage.name = xstrdup(sj.st->name);
		r->storage.kind = xstrdup(types[sj.st->type]);
		if (o->skip_storage)
			r->storage.state = VG_REPORT_NOT_TESTED;
		else {
			r->storage.state = VG_REPORT_TESTED;
			r->storage.result = VG_REPORT_PASS;
			st_run = pthread_create(&sth, NULL, storage_worker,
			    &sj) == 0;
		}
	}
	if (cfg->label_studio.enabled && cfg->label_studio.url != NULL) {
		r->labelstudio.name = xstrdup(cfg->label_studio.url);
		r->labelstudio.kind = xstrdup("labelstudio");
		if (o->skip_labelstudio)
			r->labelstudio.state = VG_REPORT_NOT_TESTED;
		else {
			r->labelstudio.state = VG_REPORT_TESTED;
			r->labelstudio.result = VG_REPORT_PASS;
			ls_run = pthread_create(&lth, NULL, ls_worker, &lj) ==
			    0;
		}
	}

	/* every camera: read over ONVIF (the plan engine's observation) */
	err = vg_plan_new(cfg, &po, &j.plan, cause);
	if (err != VG_OK)
		goto out;
	r->ncams = j.plan->ncams;
	r->cams = xcalloc(r->ncams > 0 ? r->ncams : 1, sizeof *r->cams);
	j.cfg = cfg;
	j.o = o;
	j.r = r;
	for (i = 0; i < r->ncams; i++)
		cam_from_plan(&j, i);

	/* then their streams and pictures, in parallel */
	tmp = mkdtemp(tmpl);
	if (tmp == NULL) {
		err = VG_ERR_IO;
		xasprintf(cause, "mkdtemp %s: %s", tmpl, strerror(errno));
		goto out;
	}
	j.tmpdir = tmp;
	pthread_mutex_init(&j.lock, NULL);
	nth = (size_t)po.parallel < r->ncams ? (size_t)po.parallel : r->ncams;
	th = xcalloc(nth > 0 ? nth : 1, sizeof *th);
	for (i = 0; i < nth; i++)
		if (pthread_create(&th[i], NULL, cam_worker, &j) != 0)
			break;
	if (i == 0)
		cam_worker(&j);
	nth = i;
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&j.lock);
	rmdir(tmp);

	/* the recorder */
	sock = o->status_socket != NULL ? o->status_socket :
	    cfg->vigiad.status_socket;
	if (sock != NULL) {
		char *why = NULL;

		r->status_socket = xstrdup(sock);
		if (vg_status_read(sock, 3000, &r->recorder_json, &why) ==
		    VG_OK) {
			r->recorder_running = true;
			free(why);
			why = NULL;
			r->recorder_text = vg_status_format(r->recorder_json,
			    &why);
		}
		r->recorder_error = why;
	}
	err = VG_OK;
out:
	if (st_run)
		chk_wait(&sj, sth, &deadline);
	if (ls_run)
		chk_wait(&lj, lth, &deadline);
	pthread_mutex_destroy(&sj.lock);
	pthread_cond_destroy(&sj.cond);
	pthread_mutex_destroy(&lj.lock);
	pthread_cond_destroy(&lj.cond);
	free(th);
	vg_plan_free(j.plan);
	if (err != VG_OK)
		vg_report_clear(r);
	return err;
}

bool
vg_report_ok(const struct vg_report *r)
{
	size_t i;

	for (i = 0; i < r->ncams; i++)
		if (r->cams[i].result == VG_REPORT_FAIL)
			return false;
	if (r->storage.state == VG_REPORT_TESTED &&
	    r->storage.result == VG_REPORT_FAIL)
		return false;
	if (r->labelstudio.state == VG_REPORT_TESTED &&
	    r->labelstudio.result == VG_REPORT_FAIL)
		return false;
	return true;
}

static void
check_clear(struct vg_report_check *ck)
{
	size_t i;

	for (i = 0; i < ck->nsteps; i++) {
		free(ck->steps[i].what);
		free(ck->steps[i].detail);
	}
	free(ck->steps);
	free(ck->name);
	free(ck->kind);
	free(ck->error);
	free(ck->advice);
	memset(ck, 0, sizeof *ck);
}

void
vg_report_clear(struct vg_report *r)
{
	size_t i, k;

	if (r == NULL)
		return;
	for (i = 0; i < r->ncams; i++) {
		struct vg_report_camera *c = &r->cams[i];

		free(c->name);
		free(c->address);
		free(c->onvif_url);
		free(c->vendor);
		free(c->model);
		free(c->serial);
		free(c->mac);
		free(c->firmware);
		free(c->hardware_id);
		free(c->profile);
		free(c->stream_uri);
		free(c->snapshot_uri);
		for (k = 0; k < c->ndiffers; k++)
			free(c->differs[k]);
		free(c->differs);
		for (k = 0; k < c->ntests; k++)
			free(c->tests[k].detail);
		free(c->picture);
	}
	free(r->cams);
	check_clear(&r->storage);
	check_clear(&r->labelstudio);
	free(r->site_id);
	free(r->site_name);
	free(r->timezone);
	free(r->config_path);
	free(r->host);
	free(r->version);
	free(r->status_socket);
	free(r->recorder_json);
	free(r->recorder_text);
	free(r->recorder_error);
	memset(r, 0, sizeof *r);
}
