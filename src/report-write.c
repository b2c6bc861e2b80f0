/* report-write.c - the as-built report as JSON (machines), CSV (one row a
 * camera, for a spreadsheet) and text (the terminal).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON keys and CSV column names are stable English words (documented in
 * vigia(1)); the details inside are the translated words the HTML shows.
 * No secret is ever written: stream URIs carry no credentials (user-info
 * a configured URL might have is cut out).
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "report-int.h"
#include "text-json.h"

char *
vg_report_redact(const char *url)
{
	const char *p, *at, *slash;
	char *out;

	if (url == NULL)
		return NULL;
	p = strstr(url, "://");
	if (p == NULL)
		return xstrdup(url);
	p += 3;
	slash = strchr(p, '/');
	at = strchr(p, '@');
	if (at == NULL || (slash != NULL && at > slash))
		return xstrdup(url);
	xasprintf(&out, "%.*s%s", (int)(p - url), url, at + 1);
	return out;
}

void
vg_report_time(time_t t, char *buf, size_t n)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- JSON ------------------------------------------------------------------ */

static json_t *
jstr(const char *s)
{
	return s != NULL ? vg_json_text(s) : json_null();
}

/* A redacted URL, or null. */
static json_t *
jurl(const char *s)
{
	char *r = vg_report_redact(s);
	json_t *j = jstr(r);

	free(r);
	return j;
}

static json_t *
enc_json(const struct vg_report_encoder *e)
{
	return json_pack("{s:o, s:o, s:i, s:i, s:o, s:i, s:i}",
	    "codec", jstr(e->codec[0] != '\0' ? e->codec : NULL),
	    "profile", jstr(e->profile[0] != '\0' ? e->profile : NULL),
	    "width", e->width, "height", e->height,
	    "fps", vg_json_real(e->fps), "bitrate_kbps", e->bitrate_kbps,
	    "gop", e->gop);
}

static json_t *
check_json(const struct vg_report_check *ck)
{
	static const char *const states[] = { "not_configured", "not_tested",
	    "tested" };
	json_t *o = json_object(), *a = json_array();
	size_t i;

	json_object_set_new(o, "state", json_string(states[ck->state]));
	json_object_set_new(o, "name", jstr(ck->name));
	json_object_set_new(o, "type", jstr(ck->kind));
	json_object_set_new(o, "result", ck->state == VG_REPORT_TESTED ?
	    json_string(vg_report_result_name(ck->result)) :
	    json_string("skip"));
	for (i = 0; i < ck->nsteps; i++)
		json_array_append_new(a, json_pack("{s:o, s:s, s:o}", "what",
		    jstr(ck->steps[i].what), "result",
		    vg_report_result_name(ck->steps[i].result), "detail",
		    jstr(ck->steps[i].detail)));
	json_object_set_new(o, "steps", a);
	json_object_set_new(o, "error", jstr(ck->error));
	if (ck->throughput_bps > 0 || ck->need_bps > 0) {
		json_object_set_new(o, "throughput_bps",
		    vg_json_real(ck->throughput_bps));
		json_object_set_new(o, "need_bps", vg_json_real(ck->need_bps));
	}
	json_object_set_new(o, "advice", jstr(ck->advice));
	return o;
}

static json_t *
camera_json(const struct vg_report_camera *c)
{
	json_t *o = json_object(), *t = json_array(), *d = json_array();
	size_t i;

	json_object_set_new(o, "name", jstr(c->name));
	json_object_set_new(o, "result",
	    json_string(vg_report_result_name(c->result)));
	json_object_set_new(o, "address", jstr(c->address));
	json_object_set_new(o, "onvif_url", jurl(c->onvif_url));
	json_object_set_new(o, "vendor", jstr(c->vendor));
	json_object_set_new(o, "model", jstr(c->model));
	json_object_set_new(o, "serial", jstr(c->serial));
	json_object_set_new(o, "mac", jstr(c->mac));
	json_object_set_new(o, "firmware", jstr(c->firmware));
	json_object_set_new(o, "hardware_id", jstr(c->hardware_id));
	json_object_set_new(o, "profile", jstr(c->profile));
	json_object_set_new(o, "stream_uri", jurl(c->stream_uri));
	json_object_set_new(o, "snapshot_uri", jurl(c->snapshot_uri));
	json_object_set_new(o, "encoder_set", enc_json(&c->set));
	json_object_set_new(o, "encoder_camera", c->have_camera ?
	    enc_json(&c->camera) : json_null());
	json_object_set_new(o, "encoder_measured", c->have_measured ?
	    enc_json(&c->measured) : json_null());
	json_object_set_new(o, "audio", jstr(c->audio[0] != '\0' ? c->audio :
	    NULL));
	json_object_set_new(o, "first_picture_ms", c->first_picture_ms >= 0 ?
	    json_integer(c->first_picture_ms) : json_null());
	json_object_set_new(o, "clock_drift_s", c->have_drift ?
	    json_integer(c->drift_s) : json_null());
	json_object_set_new(o, "max_drift_s", json_integer(c->max_drift_s));
	for (i = 0; i < c->ndiffers; i++)
		json_array_append_new(d, jstr(c->differs[i]));
	json_object_set_new(o, "differs", d);
	for (i = 0; i < c->ntests; i++)
		json_array_append_new(t, json_pack("{s:s, s:o, s:s, s:o}",
		    "test", c->tests[i].key, "title",
		    jstr(vg_report_test_title(c->tests[i].key)), "result",
		    vg_report_result_name(c->tests[i].result), "detail",
		    jstr(c->tests[i].detail)));
	json_object_set_new(o, "tests", t);
	if (c->picture != NULL)
		json_object_set_new(o, "picture", json_pack("{s:s, s:i, s:i, "
		    "s:I, s:s}", "type", "image/jpeg", "width", c->picture_w,
		    "height", c->picture_h, "bytes", (json_int_t)c->picture_len,
		    "source", c->picture_from_http ? "snapshot_uri" :
		    "stream"));
	else
		json_object_set_new(o, "picture", json_null());
	return o;
}

char *
vg_report_json(const struct vg_report *r)
{
	json_t *root = json_object(), *cams = json_array(), *rec, *st;
	char when[32], *text;
	size_t i;

	vg_report_time(r->generated, when, sizeof when);
	json_object_set_new(root, "report", json_string("as-built"));
	json_object_set_new(root, "generated", json_string(when));
	json_object_set_new(root, "vigia", jstr(r->version));
	json_object_set_new(root, "host", jstr(r->host));
	json_object_set_new(root, "config", jstr(r->config_path));
	json_object_set_new(root, "site", json_pack("{s:o, s:o, s:o}", "id",
	    jstr(r->site_id), "name", jstr(r->site_name), "timezone",
	    jstr(r->timezone)));
	json_object_set_new(root, "ok", json_boolean(vg_report_ok(r)));
	for (i = 0; i < r->ncams; i++)
		json_array_append_new(cams, camera_json(&r->cams[i]));
	json_object_set_new(root, "cameras", cams);
	json_object_set_new(root, "storage", check_json(&r->storage));
	json_object_set_new(root, "labelstudio", check_json(&r->labelstudio));
	st = r->recorder_json != NULL ? json_loads(r->recorder_json, 0, NULL) :
	    NULL;
	rec = json_pack("{s:o, s:b, s:o, s:o}", "socket",
	    jstr(r->status_socket), "running", r->recorder_running, "status",
	    st != NULL ? st : json_null(), "error",
	    jstr(r->recorder_running ? NULL : r->recorder_error));
	json_object_set_new(root, "recorder", rec);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	return text;
}

/* ---- CSV ------------------------------------------------------------------- */

/* Append one field, quoted when it must be (RFC 4180). */
static void
csv_field(char **buf, size_t *len, size_t *cap, const char *s, bool last)
{
	size_t need = (s != NULL ? 2 * strlen(s) : 0) + 4;
	const char *p;
	bool quote = s != NULL && strpbrk(s, ",\"\r\n") != NULL;

	if (*len + need >= *cap) {
		*cap = (*len + need) * 2;
		*buf = xrealloc(*buf, *cap);
	}
	if (quote)
		(*buf)[(*len)++] = '"';
	for (p = s; p != NULL && *p != '\0'; p++) {
		if (*p == '"')
			(*buf)[(*len)++] = '"';
		(*buf)[(*len)++] = *p;
	}
	if (quote)
		(*buf)[(*len)++] = '"';
	if (last) {
		(*buf)[(*len)++] = '\r';
		(*buf)[(*len)++] = '\n';
	} else
		(*buf)[(*len)++] = ',';
	(*buf)[*len] = '\0';
}

static const char *const csv_cols[] = {
	"camera", "result", "address", "vendor", "model", "serial", "mac",
	"firmware", "stream_uri", "snapshot_uri",
	"set_codec", "set_resolution", "set_fps", "set_bitrate_kbps",
	"set_gop",
	"measured_codec", "measured_resolution", "measured_fps",
	"measured_bitrate_kbps", "measured_gop",
	"clock_drift_s", "first_picture_ms", "failed_tests", "picture",
};
#define CSV_NCOLS (sizeof csv_cols / sizeof csv_cols[0])

char *
vg_report_csv(const struct vg_report *r)
{
	char *buf = NULL, *v[CSV_NCOLS];
	size_t len = 0, cap = 0, i, k;

	for (k = 0; k < CSV_NCOLS; k++)
		csv_field(&buf, &len, &cap, csv_cols[k], k + 1 == CSV_NCOLS);
	for (i = 0; i < r->ncams; i++) {
		const struct vg_report_camera *c = &r->cams[i];
		const struct vg_report_encoder *m = &c->measured;
		char *failed = xstrdup(""), *n;

		for (k = 0; k < c->ntests; k++) {
			if (c->tests[k].result != VG_REPORT_FAIL)
				continue;
			xasprintf(&n, "%s%s%s", failed, *failed ? " " : "",
			    c->tests[k].key);
			free(failed);
			failed = n;
		}
		memset(v, 0, sizeof v);
		v[0] = xstrdup(c->name);
		v[1] = xstrdup(vg_report_result_name(c->result));
		v[2] = c->address != NULL ? xstrdup(c->address) : NULL;
		v[3] = c->vendor != NULL ? xstrdup(c->vendor) : NULL;
		v[4] = c->model != NULL ? xstrdup(c->model) : NULL;
		v[5] = c->serial != NULL ? xstrdup(c->serial) : NULL;
		v[6] = c->mac != NULL ? xstrdup(c->mac) : NULL;
		v[7] = c->firmware != NULL ? xstrdup(c->firmware) : NULL;
		v[8] = vg_report_redact(c->stream_uri);
		v[9] = vg_report_redact(c->snapshot_uri);
		v[10] = xstrdup(c->set.codec);
		xasprintf(&v[11], "%dx%d", c->set.width, c->set.height);
		xasprintf(&v[12], "%g", c->set.fps);
		xasprintf(&v[13], "%d", c->set.bitrate_kbps);
		xasprintf(&v[14], "%d", c->set.gop);
		if (c->have_measured) {
			v[15] = xstrdup(m->codec);
			xasprintf(&v[16], "%dx%d", m->width, m->height);
			xasprintf(&v[17], "%.2f", m->fps);
			xasprintf(&v[18], "%d", m->bitrate_kbps);
			xasprintf(&v[19], "%d", m->gop);
		}
		if (c->have_drift)
			xasprintf(&v[20], "%lld", (long long)c->drift_s);
		if (c->first_picture_ms >= 0)
			xasprintf(&v[21], "%lld", (long long)c->first_picture_ms);
		v[22] = failed;
		v[23] = xstrdup(c->picture != NULL ? "yes" : "no");
		for (k = 0; k < CSV_NCOLS; k++) {
			csv_field(&buf, &len, &cap, v[k], k + 1 == CSV_NCOLS);
			free(v[k]);
		}
	}
	return buf;
}

/* ---- text ------------------------------------------------------------------ */

/* Append a formatted line to *out. */
static void
out_add(char **out, const char *fmt, ...) VG_PRINTF(2, 3);
static void
out_add(char **out, const char *fmt, ...)
{
	va_list ap;
	char *s, *n;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	xasprintf(&n, "%s%s", *out, s);
	free(*out);
	free(s);
	*out = n;
}

/* One check's summary. */
static void
text_check(char **out, const char *title, const struct vg_report_check *ck)
{
	size_t i;

	switch (ck->state) {
	case VG_REPORT_NOT_CONFIGURED:
		/* TRANSLATORS: "Storage: not configured" */
		out_add(out, _("%s: not configured\n"), title);
		return;
	case VG_REPORT_NOT_TESTED:
		out_add(out, _("%s %s: not tested\n"), title, ck->name);
		return;
	case VG_REPORT_TESTED:
		break;
	}
	out_add(out, "%s %s: %s\n", title, ck->name,
	    vg_report_result_title(ck->result));
	for (i = 0; i < ck->nsteps; i++)
		out_add(out, "  %-10s %s%s%s\n",
		    vg_report_result_title(ck->steps[i].result),
		    ck->steps[i].what, ck->steps[i].detail != NULL ? ": " : "",
		    ck->steps[i].detail != NULL ? ck->steps[i].detail : "");
	if (ck->error != NULL)
		out_add(out, "  %s\n", ck->error);
}

char *
vg_report_text(const struct vg_report *r)
{
	char *out = xstrdup(""), when[32];
	size_t i, k;

	vg_report_time(r->generated, when, sizeof when);
	/* TRANSLATORS: site name, date */
	out_add(&out, _("As-built report of %s, %s\n"), r->site_name != NULL ?
	    r->site_name : r->site_id != NULL ? r->site_id : "-", when);
	for (i = 0; i < r->ncams; i++) {
		const struct vg_report_camera *c = &r->cams[i];

		out_add(&out, "\n%s  %s  %s %s  %s\n", c->name,
		    vg_report_result_title(c->result),
		    c->vendor != NULL ? c->vendor : "-",
		    c->model != NULL ? c->model : "-",
		    c->address != NULL ? c->address : "-");
		for (k = 0; k < c->ntests; k++)
			out_add(&out, "  %-10s %s%s%s\n",
			    vg_report_result_title(c->tests[k].result),
			    vg_report_test_title(c->tests[k].key),
			    c->tests[k].detail != NULL ? ": " : "",
			    c->tests[k].detail != NULL ? c->tests[k].detail :
			    "");
	}
	out_add(&out, "\n");
	text_check(&out, _("Storage"), &r->storage);
	text_check(&out, _("Label Studio"), &r->labelstudio);
	if (r->recorder_running)
		out_add(&out, _("Recorder: vigiad is running\n"));
	else
		out_add(&out, _("Recorder: vigiad is not running\n"));
	return out;
}
