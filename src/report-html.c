/* report-html.c - the as-built report as one self-contained HTML page:
 * pictures embedded as data: URIs, inline CSS with print styles, no
 * script, no external asset, every word translated.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Device text is escaped (a camera's model name is data, not markup) and
 * repaired to valid UTF-8 first.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "report-int.h"

/* A growing text buffer. */
struct hbuf {
	char *s;
	size_t len, cap;
};

static void
hb_add(struct hbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Markup, as is. */
static void
hb_raw(struct hbuf *b, const char *s)
{
	hb_add(b, s, strlen(s));
}

/* Markup, formatted: arguments must be markup or escaped already. */
static void
hb_fmt(struct hbuf *b, const char *fmt, ...) VG_PRINTF(2, 3);
static void
hb_fmt(struct hbuf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	hb_raw(b, s);
	free(s);
}

/* Text, escaped; NULL or "" shows a dash. */
static void
hb_text(struct hbuf *b, const char *s)
{
	char *u;
	const char *p;

	if (s == NULL || *s == '\0') {
		hb_raw(b, "&#8211;");
		return;
	}
	u = vg_text_utf8(s);
	for (p = u; *p != '\0'; p++)
		switch (*p) {
		case '&':
			hb_raw(b, "&amp;");
			break;
		case '<':
			hb_raw(b, "&lt;");
			break;
		case '>':
			hb_raw(b, "&gt;");
			break;
		case '"':
			hb_raw(b, "&quot;");
			break;
		case '\'':
			hb_raw(b, "&#39;");
			break;
		default:
			hb_add(b, p, 1);
		}
	free(u);
}

/* Text formatted, then escaped. */
static void
hb_textf(struct hbuf *b, const char *fmt, ...) VG_PRINTF(2, 3);
static void
hb_textf(struct hbuf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	hb_text(b, s);
	free(s);
}

/* Bytes as base64. */
static void
hb_base64(struct hbuf *b, const unsigned char *d, size_t n)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];
	size_t i;
	unsigned v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 | d[i + 2];
		q[0] = a[v >> 18 & 63];
		q[1] = a[v >> 12 & 63];
		q[2] = a[v >> 6 & 63];
		q[3] = a[v & 63];
		hb_add(b, q, 4);
	}
	if (i < n) {
		v = (unsigned)d[i] << 16 | (i + 1 < n ? (unsigned)d[i + 1] << 8 :
		    0);
		q[0] = a[v >> 18 & 63];
		q[1] = a[v >> 12 & 63];
		q[2] = i + 1 < n ? a[v >> 6 & 63] : '=';
		q[3] = '=';
		hb_add(b, q, 4);
	}
}

/* A result badge. */
static void
hb_badge(struct hbuf *b, enum vg_report_result res)
{
	hb_fmt(b, "<span class=\"badge %s\">", vg_report_result_name(res));
	hb_text(b, vg_report_result_title(res));
	hb_raw(b, "</span>");
}

/* One row of a two-column table: a translated label and text. */
static void
hb_pair(struct hbuf *b, const char *label, const char *value)
{
	hb_raw(b, "<tr><th scope=\"row\">");
	hb_text(b, label);
	hb_raw(b, "</th><td>");
	hb_text(b, value);
	hb_raw(b, "</td></tr>\n");
}

static const char report_css[] =
    ":root{--ok:#1b7f3b;--warn:#a86500;--bad:#b3261e;--skip:#5f6368;"
    "--line:#d0d4d9;--head:#f2f4f7}\n"
    "*{box-sizing:border-box}\n"
    "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,"
    "'DejaVu Sans',sans-serif;color:#1c1f23;margin:0 auto;max-width:"
    "1100px;padding:24px;background:#fff}\n"
    "h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;"
    "border-bottom:2px solid #1c1f23;padding-bottom:4px}"
    "h3{font-size:15px;margin:14px 0 6px}\n"
    ".sub{color:#5f6368;margin:0 0 12px}\n"
    "table{border-collapse:collapse;width:100%;margin:6px 0 10px}\n"
    "th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;"
    "vertical-align:top}\n"
    "thead th,tr.head th{background:var(--head)}\n"
    "th[scope=row]{background:var(--head);width:28%;font-weight:600}\n"
    "td.uri{font-family:'DejaVu Sans Mono',monospace;font-size:12px;"
    "word-break:break-all}\n"
    ".badge{display:inline-block;padding:1px 8px;border-radius:10px;"
    "color:#fff;font-size:12px;font-weight:600;white-space:nowrap}\n"
    ".badge.pass{background:var(--ok)}.badge.warn{background:var(--warn)}"
    ".badge.fail{background:var(--bad)}.badge.skip{background:var(--skip)}\n"
    ".verdict{font-size:16px;font-weight:600;padding:8px 12px;"
    "border-left:6px solid var(--ok);background:#eef7f1}\n"
    ".verdict.fail{border-color:var(--bad);background:#fbeeed}\n"
    ".camera{border:1px solid var(--line);border-radius:6px;padding:10px 14px;"
    "margin:16px 0}\n"
    ".camera h2{border:0;margin:4px 0 10px}\n"
    ".grid{display:grid;grid-template-columns:minmax(0,46%) minmax(0,1fr);"
    "gap:14px}\n"
    "figure{margin:0}figure img{width:100%;height:auto;display:block;"
    "border:1px solid var(--line);background:#000}\n"
    "figcaption{color:#5f6368;font-size:12px;margin-top:3px}\n"
    ".nopic{border:1px dashed var(--line);padding:40px 10px;text-align:"
    "center;color:#5f6368}\n"
    "pre{background:var(--head);padding:8px;white-space:pre-wrap;"
    "font-size:12px}\n"
    "footer{margin-top:30px;color:#5f6368;font-size:12px}\n"
    "@page{size:A4;margin:12mm}\n"
    "@media print{body{padding:0;max-width:none;font-size:11px}"
    ".camera{break-inside:avoid;page-break-inside:avoid}"
    "h2{break-after:avoid;page-break-after:avoid}"
    "table,tr,img{break-inside:avoid;page-break-inside:avoid}"
    ".badge,.verdict,th{-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}}\n"
    "@media (max-width:700px){.grid{grid-template-columns:1fr}}\n";

/* "1920x1080" or a dash. */
static void
res_text(char *buf, size_t n, int w, int h)
{
	if (w > 0 && h > 0)
		snprintf(buf, n, "%dx%d", w, h);
	else
		snprintf(buf, n, "-");
}

/* One encoder row. */
static void
enc_row(struct hbuf *b, const char *label, const struct vg_report_encoder *e,
    bool have)
{
	char res[32];

	hb_raw(b, "<tr><th scope=\"row\">");
	hb_text(b, label);
	hb_raw(b, "</th>");
	if (!have) {
		hb_raw(b, "<td colspan=\"6\">");
		hb_text(b, _("not available"));
		hb_raw(b, "</td></tr>\n");
		return;
	}
	res_text(res, sizeof res, e->width, e->height);
	hb_raw(b, "<td>");
	hb_text(b, e->codec);
	hb_raw(b, "</td><td>");
	hb_text(b, e->profile);
	hb_raw(b, "</td><td>");
	hb_text(b, res);
	hb_raw(b, "</td><td>");
	if (e->fps > 0)
		hb_textf(b, "%.4g", e->fps);
	else
		hb_text(b, NULL);
	hb_raw(b, "</td><td>");
	if (e->bitrate_kbps > 0)
		/* TRANSLATORS: a bit rate */
		hb_textf(b, _("%d kbit/s"), e->bitrate_kbps);
	else
		hb_text(b, NULL);
	hb_raw(b, "</td><td>");
	if (e->gop > 0)
		hb_textf(b, "%d", e->gop);
	else
		hb_text(b, NULL);
	hb_raw(b, "</td></tr>\n");
}

/* A URI cell row. */
static void
uri_row(struct hbuf *b, const char *label, const char *uri)
{
	char *r = vg_report_redact(uri);

	hb_raw(b, "<tr><th scope=\"row\">");
	hb_text(b, label);
	hb_raw(b, "</th><td class=\"uri\">");
	hb_text(b, r);
	hb_raw(b, "</td></tr>\n");
	free(r);
}

/* One camera's section. */
static void
html_camera(struct hbuf *b, const struct vg_report_camera *c, size_t idx)
{
	char drift[64];
	size_t i;

	hb_fmt(b, "<section class=\"camera\" id=\"camera-%zu\" "
	    "data-camera=\"", idx + 1);
	hb_text(b, c->name);
	hb_fmt(b, "\" data-result=\"%s\">\n<h2>",
	    vg_report_result_name(c->result));
	hb_text(b, c->name);
	hb_raw(b, " ");
	hb_badge(b, c->result);
	hb_raw(b, "</h2>\n<div class=\"grid\">\n<figure>");
	if (c->picture != NULL) {
		hb_raw(b, "<img src=\"data:image/jpeg;base64,");
		hb_base64(b, c->picture, c->picture_len);
		hb_raw(b, "\" alt=\"");
		/* TRANSLATORS: alternative text of a picture; %s: camera */
		hb_textf(b, _("Picture of camera %s"), c->name);
		if (c->picture_w > 0)
			hb_fmt(b, "\" width=\"%d\" height=\"%d", c->picture_w,
			    c->picture_h);
		hb_raw(b, "\"><figcaption>");
		hb_textf(b, c->picture_from_http ?
		    /* TRANSLATORS: %dx%d is the picture's size */
		    _("Snapshot, %dx%d, from the camera's snapshot URI") :
		    _("Snapshot, %dx%d, from the stream"), c->picture_w,
		    c->picture_h);
		hb_raw(b, "</figcaption>");
	} else {
		hb_raw(b, "<div class=\"nopic\">");
		hb_text(b, _("No picture could be taken."));
		hb_raw(b, "</div>");
	}
	hb_raw(b, "</figure>\n<table class=\"identity\">\n");
	hb_pair(b, _("Vendor"), c->vendor);
	hb_pair(b, _("Model"), c->model);
	hb_pair(b, _("Serial number"), c->serial);
	hb_pair(b, _("MAC address"), c->mac);
	hb_pair(b, _("Firmware"), c->firmware);
	hb_pair(b, _("Address"), c->address);
	uri_row(b, _("ONVIF device service"), c->onvif_url);
	hb_pair(b, _("Media profile"), c->profile);
	uri_row(b, _("Stream URI"), c->stream_uri);
	uri_row(b, _("Snapshot URI"), c->snapshot_uri);
	if (c->have_drift)
		/* TRANSLATORS: clock drift in seconds */
		snprintf(drift, sizeof drift, _("%+lld s"),
		    (long long)c->drift_s);
	else
		snprintf(drift, sizeof drift, "-");
	hb_pair(b, _("Clock drift"), drift);
	hb_pair(b, _("Audio"), c->audio[0] != '\0' ? c->audio : _("none"));
	hb_raw(b, "</table>\n</div>\n<h3>");
	hb_text(b, _("Encoder"));
	hb_raw(b, "</h3>\n<table class=\"encoder\"><thead><tr><th></th><th>");
	hb_text(b, _("Codec"));
	hb_raw(b, "</th><th>");
	hb_text(b, _("Profile"));
	hb_raw(b, "</th><th>");
	hb_text(b, _("Resolution"));
	hb_raw(b, "</th><th>");
	hb_text(b, _("Frame rate"));
	hb_raw(b, "</th><th>");
	hb_text(b, _("Bit rate"));
	hb_raw(b, "</th><th>");
	hb_text(b, _("Keyframe interval"));
	hb_raw(b, "</th></tr></thead>\n<tbody>\n");
	enc_row(b, _("Set (configuration)"), &c->set, true);
	enc_row(b, _("Reported by the camera"), &c->camera, c->have_camera);
	enc_row(b, _("Measured on the stream"), &c->measured, c->have_measured);
	hb_raw(b, "</tbody></table>\n<h3>");
	hb_text(b, _("Tests"));
	hb_raw(b, "</h3>\n<table class=\"tests\"><thead><tr><th>");
	hb_text(b, _("Test"));
	hb_raw(b, "</th><th>");
	hb_text(b, _("Result"));
	hb_raw(b, "</th><th>");
	hb_text(b, _("Detail"));
	hb_raw(b, "</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < c->ntests; i++) {
		hb_fmt(b, "<tr data-test=\"%s\"><td>", c->tests[i].key);
		hb_text(b, vg_report_test_title(c->tests[i].key));
		hb_raw(b, "</td><td>");
		hb_badge(b, c->tests[i].result);
		hb_raw(b, "</td><td>");
		hb_text(b, c->tests[i].detail);
		hb_raw(b, "</td></tr>\n");
	}
	hb_raw(b, "</tbody></table>\n</section>\n");
}

/* The storage or Label Studio section. */
static void
html_check(struct hbuf *b, const char *id, const char *title,
    const struct vg_report_check *ck)
{
	size_t i;

	hb_fmt(b, "<section id=\"%s\">\n<h2>", id);
	hb_text(b, title);
	hb_raw(b, "</h2>\n");
	if (ck->state == VG_REPORT_NOT_CONFIGURED) {
		hb_raw(b, "<p>");
		hb_text(b, _("Not configured."));
		hb_raw(b, "</p>\n</section>\n");
		return;
	}
	hb_raw(b, "<p>");
	hb_text(b, ck->name);
	hb_raw(b, " (");
	hb_text(b, ck->kind);
	hb_raw(b, ") ");
	hb_badge(b, ck->state == VG_REPORT_TESTED ? ck->result :
	    VG_REPORT_SKIP);
	hb_raw(b, "</p>\n");
	if (ck->state == VG_REPORT_NOT_TESTED) {
		hb_raw(b, "<p>");
		hb_text(b, _("Not tested: it was left out when the report was "
		    "made."));
		hb_raw(b, "</p>\n</section>\n");
		return;
	}
	if (ck->nsteps > 0) {
		hb_raw(b, "<table class=\"steps\"><thead><tr><th>");
		hb_text(b, _("Test"));
		hb_raw(b, "</th><th>");
		hb_text(b, _("Result"));
		hb_raw(b, "</th><th>");
		hb_text(b, _("Detail"));
		hb_raw(b, "</th></tr></thead>\n<tbody>\n");
		for (i = 0; i < ck->nsteps; i++) {
			hb_raw(b, "<tr><td>");
			hb_text(b, ck->steps[i].what);
			hb_raw(b, "</td><td>");
			hb_badge(b, ck->steps[i].result);
			hb_raw(b, "</td><td>");
			hb_text(b, ck->steps[i].detail);
			hb_raw(b, "</td></tr>\n");
		}
		hb_raw(b, "</tbody></table>\n");
	}
	if (ck->error != NULL) {
		hb_raw(b, "<p>");
		hb_text(b, ck->error);
		hb_raw(b, "</p>\n");
	}
	if (ck->advice != NULL) {
		hb_raw(b, "<p>");
		hb_text(b, ck->advice);
		hb_raw(b, "</p>\n");
	}
	hb_raw(b, "</section>\n");
}

char *
vg_report_html(const struct vg_report *r)
{
	struct hbuf b = { NULL, 0, 0 };
	const char *site = r->site_name != NULL ? r->site_name :
	    r->site_id != NULL ? r->site_id : "-";
	char when[32];
	size_t i, nfail = 0;

	vg_report_time(r->generated, when, sizeof when);
	for (i = 0; i < r->ncams; i++)
		if (r->cams[i].result == VG_REPORT_FAIL)
			nfail++;
	hb_raw(&b, "<!DOCTYPE html>\n<html lang=\"");
	/* TRANSLATORS: the language code of this translation ("es") */
	hb_text(&b, _("en"));
	hb_raw(&b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	/* TRANSLATORS: %s is the site's name */
	hb_textf(&b, _("As-built report: %s"), site);
	hb_raw(&b, "</title>\n<style>\n");
	hb_raw(&b, report_css);
	hb_raw(&b, "</style>\n</head>\n<body>\n<header>\n<h1>");
	hb_text(&b, _("As-built commissioning report"));
	hb_raw(&b, "</h1>\n<p class=\"sub\">");
	hb_text(&b, site);
	hb_raw(&b, "</p>\n<table class=\"meta\">\n");
	hb_pair(&b, _("Site"), r->site_id);
	hb_pair(&b, _("Date"), when);
	hb_pair(&b, _("Time zone"), r->timezone);
	hb_pair(&b, _("Configuration"), r->config_path);
	hb_pair(&b, _("Recording box"), r->host);
	hb_raw(&b, "</table>\n");
	hb_fmt(&b, "<p class=\"verdict %s\" id=\"verdict\">",
	    vg_report_ok(r) ? "pass" : "fail");
	if (r->ncams == 0)
		hb_text(&b, _("The configuration has no enabled camera."));
	else if (nfail == 0)
		hb_textf(&b, P_("%zu camera passed every test.",
		    "All %zu cameras passed every test.", r->ncams), r->ncams);
	else
		hb_textf(&b, P_("%zu of %zu cameras failed a test.",
		    "%zu of %zu cameras failed a test.", nfail), nfail,
		    r->ncams);
	hb_raw(&b, "</p>\n</header>\n<section id=\"summary\">\n<h2>");
	hb_text(&b, _("Cameras"));
	hb_raw(&b, "</h2>\n<table class=\"summary\"><thead><tr><th>");
	hb_text(&b, _("Camera"));
	hb_raw(&b, "</th><th>");
	hb_text(&b, _("Address"));
	hb_raw(&b, "</th><th>");
	hb_text(&b, _("Vendor"));
	hb_raw(&b, "</th><th>");
	hb_text(&b, _("Model"));
	hb_raw(&b, "</th><th>");
	hb_text(&b, _("Serial number"));
	hb_raw(&b, "</th><th>");
	hb_text(&b, _("Result"));
	hb_raw(&b, "</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < r->ncams; i++) {
		const struct vg_report_camera *c = &r->cams[i];

		hb_fmt(&b, "<tr><td><a href=\"#camera-%zu\">", i + 1);
		hb_text(&b, c->name);
		hb_raw(&b, "</a></td><td>");
		hb_text(&b, c->address);
		hb_raw(&b, "</td><td>");
		hb_text(&b, c->vendor);
		hb_raw(&b, "</td><td>");
		hb_text(&b, c->model);
		hb_raw(&b, "</td><td>");
		hb_text(&b, c->serial);
		hb_raw(&b, "</td><td>");
		hb_badge(&b, c->result);
		hb_raw(&b, "</td></tr>\n");
	}
	hb_raw(&b, "</tbody></table>\n</section>\n");
	for (i = 0; i < r->ncams; i++)
		html_camera(&b, &r->cams[i], i);
	html_check(&b, "storage", _("Storage"), &r->storage);
	html_check(&b, "labelstudio", _("Label Studio"), &r->labelstudio);
	hb_raw(&b, "<section id=\"recorder\">\n<h2>");
	hb_text(&b, _("Recorder"));
	hb_raw(&b, "</h2>\n<p>");
	if (r->recorder_running) {
		hb_badge(&b, VG_REPORT_PASS);
		hb_raw(&b, " ");
		hb_text(&b, _("vigiad is running."));
		hb_raw(&b, "</p>\n<pre>");
		hb_text(&b, r->recorder_text);
		hb_raw(&b, "</pre>\n");
	} else {
		hb_badge(&b, VG_REPORT_SKIP);
		hb_raw(&b, " ");
		if (r->status_socket != NULL)
			/* TRANSLATORS: %s is the status socket's path */
			hb_textf(&b, _("vigiad is not running (nothing answers "
			    "on %s)."), r->status_socket);
		else
			hb_text(&b, _("vigiad is not running."));
		hb_raw(&b, "</p>\n");
	}
	hb_raw(&b, "</section>\n<footer>");
	/* TRANSLATORS: vigia's version, a date */
	hb_textf(&b, _("Made by vigia %s on %s."), r->version, when);
	hb_raw(&b, "</footer>\n</body>\n</html>\n");
	return b.s;
}
