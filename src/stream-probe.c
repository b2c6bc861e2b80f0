/* stream-probe.c - measure what a stream really is, over a window.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The probe reads packets for a window of stream time and measures from
 * them (frame rate, bit rate, keyframe spacing); it decodes only until
 * the first picture comes out, which is what "time to first picture"
 * means for a recorder or a preview.  The figures are then compared with
 * the encoder configuration the camera was given.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "config.h"
#include "i18n.h"
#include "stream-int.h"
#include "libvigia.h"
#include "text-json.h"

#define PROBE_MAX_GAPS 256

/* ---- expected encoder ------------------------------------------------------ */

/* Every field of a configured encoder. */
void
vg_stream_expect_from_encoder(struct vg_stream_expect *exp,
    const struct vg_camera_encoder *enc)
{
	exp->codec = (int)enc->codec;
	exp->profile = enc->codec == VG_CODEC_H264 ? (int)enc->profile : -1;
	exp->width = enc->width;
	exp->height = enc->height;
	exp->fps = enc->fps;
	exp->bitrate_kbps = enc->bitrate_kbps;
	exp->gop = enc->gop;
}

/* Parse one non-negative integer that fills the whole of s. */
static bool
probe_int(const char *s, int *v)
{
	char *end;
	long l = strtol(s, &end, 10);

	if (end == s || *end != '\0' || l < 0 || l > 1000000000)
		return false;
	*v = (int)l;
	return true;
}

/* Parse "codec=h264,size=WxH,fps=N,bitrate=KBPS,gop=N,profile=P". */
int
vg_stream_expect_parse(struct vg_stream_expect *exp, const char *spec,
    char **cause)
{
	char *copy = xstrdup(spec), *tok, *save = NULL, *val, *x;
	int err = VG_ERR_USAGE;
	bool ok;

	memset(exp, 0, sizeof *exp);
	exp->codec = exp->profile = -1;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		val = strchr(tok, '=');
		if (val == NULL) {
			xasprintf(cause, "'%s' is not KEY=VALUE", tok);
			goto out;
		}
		*val++ = '\0';
		ok = true;
		if (strcmp(tok, "codec") == 0) {
			if (strcasecmp(val, "h264") == 0)
				exp->codec = VG_CODEC_H264;
			else if (strcasecmp(val, "h265") == 0 ||
			    strcasecmp(val, "hevc") == 0)
				exp->codec = VG_CODEC_H265;
			else if (strcasecmp(val, "mjpeg") == 0)
				exp->codec = VG_CODEC_MJPEG;
			else
				ok = false;
		} else if (strcmp(tok, "profile") == 0) {
			if (strcasecmp(val, "baseline") == 0)
				exp->profile = VG_PROFILE_BASELINE;
			else if (strcasecmp(val, "main") == 0)
				exp->profile = VG_PROFILE_MAIN;
			else if (strcasecmp(val, "high") == 0)
				exp->profile = VG_PROFILE_HIGH;
			else
				ok = false;
		} else if (strcmp(tok, "size") == 0) {
			x = strchr(val, 'x');
			ok = x != NULL;
			if (ok) {
				*x = '\0';
				ok = probe_int(val, &exp->width) &&
				    probe_int(x + 1, &exp->height);
			}
		} else if (strcmp(tok, "fps") == 0)
			ok = probe_int(val, &exp->fps);
		else if (strcmp(tok, "bitrate") == 0)
			ok = probe_int(val, &exp->bitrate_kbps);
		else if (strcmp(tok, "gop") == 0)
			ok = probe_int(val, &exp->gop);
		else {
			xasprintf(cause, "unknown key '%s' (codec, profile, "
			    "size, fps, bitrate, gop)", tok);
			goto out;
		}
		if (!ok) {
			xasprintf(cause, "bad value '%s' for %s", val, tok);
			goto out;
		}
	}
	err = VG_OK;
out:
	free(copy);
	return err;
}

/* Translated name of a compared field. */
const char *
vg_stream_field_text(enum vg_stream_field f)
{
	switch (f) {
	case VG_FIELD_CODEC:
		return _("codec");
	case VG_FIELD_PROFILE:
		return _("profile");
	case VG_FIELD_RESOLUTION:
		return _("resolution");
	case VG_FIELD_FPS:
		return _("frame rate");
	case VG_FIELD_BITRATE:
		return _("bit rate");
	case VG_FIELD_GOP:
		return _("keyframe interval (GOP)");
	}
	return "?";
}

/* Record one mismatch. */
static void
probe_mismatch(struct vg_stream_probe *p, enum vg_stream_field f,
    const char *expected, const char *measured)
{
	struct vg_stream_mismatch *m;

	if (p->nmismatch >= VG_FIELD_COUNT)
		return;
	m = &p->mismatch[p->nmismatch++];
	m->field = f;
	snprintf(m->expected, sizeof m->expected, "%s", expected);
	snprintf(m->measured, sizeof m->measured, "%s", measured);
}

/* Compare the measured stream with the expected encoder. */
static void
probe_compare(struct vg_stream_probe *p, const struct vg_stream_expect *e)
{
	static const char *const codecs[] = { "h264", "hevc", "mjpeg" };
	static const char *const profiles[] = { "Main", "Baseline", "High" };
	char a[32], b[32];

	if (e->codec >= 0 && e->codec < 3 &&
	    strcmp(codecs[e->codec], p->codec) != 0)
		probe_mismatch(p, VG_FIELD_CODEC, codecs[e->codec], p->codec);
	/* "Constrained Baseline" is a Baseline stream */
	if (e->profile >= 0 && e->profile < 3 && strcmp(p->codec, "h264") == 0 &&
	    strstr(p->profile, profiles[e->profile]) == NULL)
		probe_mismatch(p, VG_FIELD_PROFILE, profiles[e->profile],
		    p->profile[0] != '\0' ? p->profile : "?");
	if ((e->width > 0 && e->width != p->width) ||
	    (e->height > 0 && e->height != p->height)) {
		snprintf(a, sizeof a, "%dx%d", e->width, e->height);
		snprintf(b, sizeof b, "%dx%d", p->width, p->height);
		probe_mismatch(p, VG_FIELD_RESOLUTION, a, b);
	}
	if (e->fps > 0 && p->fps > 0 &&
	    fabs(p->fps - e->fps) > fmax(0.5, 0.05 * e->fps)) {
		snprintf(a, sizeof a, "%d", e->fps);
		snprintf(b, sizeof b, "%.2f", p->fps);
		probe_mismatch(p, VG_FIELD_FPS, a, b);
	}
	if (e->bitrate_kbps > 0 && p->bitrate_bps > 0 &&
	    fabs(p->bitrate_bps / 1000.0 - e->bitrate_kbps) >
	    0.3 * e->bitrate_kbps) {
		snprintf(a, sizeof a, "%d kbit/s", e->bitrate_kbps);
		snprintf(b, sizeof b, "%lld kbit/s",
		    (long long)(p->bitrate_bps / 1000));
		probe_mismatch(p, VG_FIELD_BITRATE, a, b);
	}
	if (e->gop > 0 && p->gop > 0 && abs(p->gop - e->gop) > 1) {
		snprintf(a, sizeof a, "%d", e->gop);
		snprintf(b, sizeof b, "%d", p->gop);
		probe_mismatch(p, VG_FIELD_GOP, a, b);
	}
}

/* ---- measuring ------------------------------------------------------------- */

/* Audio that MP4 (and so the recorder) takes as it is. */
static bool
probe_audio_mp4_ok(enum AVCodecID id)
{
	switch (id) {
	case AV_CODEC_ID_AAC:
	case AV_CODEC_ID_MP3:
	case AV_CODEC_ID_OPUS:
	case AV_CODEC_ID_AC3:
	case AV_CODEC_ID_EAC3:
	case AV_CODEC_ID_ALAC:
	case AV_CODEC_ID_FLAC:
		return true;
	default:
		return false;	/* G.711 (pcm_mulaw/alaw), G.726, PCM... */
	}
}

/* Fill what the stream headers say. */
static void
probe_headers(struct stream_in *in, struct vg_stream_probe *p)
{
	const AVStream *st = in->fmt->streams[in->vidx];
	const AVCodecParameters *par = st->codecpar;
	const char *prof;

	snprintf(p->codec, sizeof p->codec, "%s",
	    avcodec_get_name(par->codec_id));
	prof = avcodec_profile_name(par->codec_id, par->profile);
	snprintf(p->profile, sizeof p->profile, "%s", prof != NULL ? prof : "");
	p->level = par->level > 0 ? par->level : 0;
	p->width = par->width;
	p->height = par->height;
	if (st->avg_frame_rate.num > 0 && st->avg_frame_rate.den > 0)
		p->fps_nominal = av_q2d(st->avg_frame_rate);
	else if (st->r_frame_rate.num > 0 && st->r_frame_rate.den > 0)
		p->fps_nominal = av_q2d(st->r_frame_rate);
	if (in->aidx >= 0) {
		enum AVCodecID aid = in->fmt->streams[in->aidx]->codecpar
		    ->codec_id;

		snprintf(p->audio_codec, sizeof p->audio_codec, "%s",
		    avcodec_get_name(aid));
		p->audio_mp4_ok = probe_audio_mp4_ok(aid);
	} else
		p->audio_mp4_ok = true;
	switch (par->codec_id) {
	case AV_CODEC_ID_H264:
		p->browser = VG_BROWSER_YES;
		break;
	case AV_CODEC_ID_HEVC:
		p->browser = VG_BROWSER_WARN;
		break;
	default:
		p->browser = VG_BROWSER_NO;
		break;
	}
}

/* Most common keyframe spacing, and the extremes. */
static void
probe_gop(struct vg_stream_probe *p, const int *gaps, size_t n)
{
	size_t i, j, best = 0, cnt;

	for (i = 0; i < n; i++) {
		if (p->gop_min == 0 || gaps[i] < p->gop_min)
			p->gop_min = gaps[i];
		if (gaps[i] > p->gop_max)
			p->gop_max = gaps[i];
		for (cnt = 0, j = 0; j < n; j++)
			cnt += gaps[j] == gaps[i];
		if (cnt > best || (cnt == best && gaps[i] > p->gop)) {
			best = cnt;
			p->gop = gaps[i];
		}
	}
}

/* Feed one packet to the decoder until the first picture comes out. */
static void
probe_decode(AVCodecContext *dec, AVPacket *pkt, AVFrame *frame,
    struct vg_stream_probe *p, int64_t t0)
{
	if (avcodec_send_packet(dec, pkt) < 0)
		return;
	if (avcodec_receive_frame(dec, frame) == 0) {
		p->first_picture_us = stream_now_us() - t0;
		if (p->width == 0) {
			p->width = frame->width;
			p->height = frame->height;
		}
	}
}

/* Probe url over `seconds` of stream time. */
int
vg_stream_probe(const char *url, const struct vg_stream_opts *opts,
    double seconds, const struct vg_stream_expect *expect,
    struct vg_stream_probe *out, char **cause)
{
	struct stream_in in = { 0 };
	AVCodecContext *dec = NULL;
	AVPacket *pkt = NULL;
	AVFrame *frame = NULL;
	AVRational tb;
	int64_t t0 = stream_now_us(), wall_end, pts, pts_min = INT64_MAX;
	int64_t pts_max = INT64_MIN, since_key = -1;
	int gaps[PROBE_MAX_GAPS];
	size_t ngaps = 0;
	double span = 0;
	char *no_cause = NULL;
	int err, ret;

	if (cause == NULL)
		cause = &no_cause;
	memset(out, 0, sizeof *out);
	out->open_us = out->first_packet_us = out->first_keyframe_us =
	    out->first_picture_us = -1;
	if (!(seconds > 0))
		seconds = 5;
	err = stream_open(&in, url, opts, NULL, &out->cls, cause);
	out->udp = in.udp;
	out->live = in.live;
	if (err != VG_OK)
		goto out;
	out->open_us = stream_now_us() - t0;
	err = stream_find(&in, &out->cls, cause);
	if (err != VG_OK)
		goto out;
	probe_headers(&in, out);
	err = stream_decoder_open(&in, &dec, &out->cls, cause);
	if (err != VG_OK)
		goto out;
	tb = in.fmt->streams[in.vidx]->time_base;
	pkt = av_packet_alloc();
	frame = av_frame_alloc();
	if (pkt == NULL || frame == NULL)
		fatalx("av_packet_alloc");
	wall_end = stream_now_us() + (int64_t)(seconds * 1e6) + in.timeout_us;
	for (;;) {
		ret = stream_read(&in, pkt, &out->cls, cause);
		if (ret == AVERROR_EOF)
			break;
		if (ret != 0) {
			err = ret;
			goto measure;
		}
		if (pkt->stream_index != in.vidx) {
			av_packet_unref(pkt);
			continue;
		}
		if (out->first_packet_us < 0)
			out->first_packet_us = stream_now_us() - t0;
		out->frames++;
		out->bytes += pkt->size;
		if (pkt->flags & AV_PKT_FLAG_KEY) {
			if (out->first_keyframe_us < 0)
				out->first_keyframe_us = stream_now_us() - t0;
			if (since_key > 0 && ngaps < PROBE_MAX_GAPS)
				gaps[ngaps++] = (int)since_key;
			since_key = 0;
			out->keyframes++;
		}
		if (since_key >= 0)
			since_key++;
		if (out->first_picture_us < 0 && out->first_keyframe_us >= 0)
			probe_decode(dec, pkt, frame, out, t0);
		pts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
		if (pts != AV_NOPTS_VALUE) {
			if (pts < pts_min)
				pts_min = pts;
			if (pts > pts_max)
				pts_max = pts;
			span = (double)(pts_max - pts_min) * av_q2d(tb);
		}
		av_packet_unref(pkt);
		if (span >= seconds && out->first_picture_us >= 0)
			break;
		if (stream_now_us() > wall_end) {
			log_info("stream: probe window ended by the wall clock "
			    "after %.1f s of stream time", span);
			break;
		}
	}
	err = VG_OK;
measure:
	/* the last frame lasts one frame interval too */
	if (span > 0 && out->frames > 1) {
		out->fps = (double)(out->frames - 1) / span;
		out->window_s = span + 1 / out->fps;
		out->bitrate_bps = (int64_t)llround(out->bytes * 8.0 /
		    out->window_s);
	}
	probe_gop(out, gaps, ngaps);
	if (err == VG_OK && out->frames == 0) {
		out->cls = VG_STREAM_NO_VIDEO;
		*cause = xstrdup("no video packet arrived");
		err = VG_ERR_PROTO;
	}
	if (expect != NULL)
		probe_compare(out, expect);
out:
	if (err == VG_OK)
		out->cls = VG_STREAM_OK;
	av_frame_free(&frame);
	av_packet_free(&pkt);
	avcodec_free_context(&dec);
	stream_close(&in);
	free(no_cause);
	return err;
}

/* ---- JSON ------------------------------------------------------------------ */

/* A time in whole milliseconds, or null. */
static json_t *
probe_ms(int64_t us)
{
	return us < 0 ? json_null() : json_integer((us + 500) / 1000);
}

/* A count the stream did not give (0 or less) as null. */
static json_t *
probe_count(int64_t n)
{
	return n > 0 ? json_integer(n) : json_null();
}

/* An empty string as null. */
static json_t *
probe_str(const char *s)
{
	return s[0] != '\0' ? vg_json_text(s) : json_null();
}

/* Build the JSON report: what was not measured is null, never 0 or "". */
char *
vg_stream_probe_json(const char *url, const struct vg_stream_probe *p,
    int err)
{
	static const char *const browser[] = { "yes", "warn", "no" };
	json_t *o = json_object(), *v, *a, *m;
	char *red = vg_log_redact(url), *text;
	size_t i;

	json_object_set_new(o, "url", vg_json_text(red));
	free(red);
	json_object_set_new(o, "ok", json_boolean(err == VG_OK));
	json_object_set_new(o, "error", err != VG_OK ?
	    json_string(vg_stream_class_name(p->cls)) : json_null());
	json_object_set_new(o, "transport", json_string(!p->live ? "file" :
	    p->udp ? "udp" : "tcp"));
	if (p->codec[0] != '\0') {
		v = json_object();
		json_object_set_new(v, "codec", vg_json_text(p->codec));
		json_object_set_new(v, "profile", probe_str(p->profile));
		json_object_set_new(v, "level", probe_count(p->level));
		json_object_set_new(v, "width", probe_count(p->width));
		json_object_set_new(v, "height", probe_count(p->height));
		json_object_set_new(v, "fps_nominal", p->fps_nominal > 0 ?
		    vg_json_real(round(p->fps_nominal * 1000) / 1000) :
		    json_null());
		json_object_set_new(v, "fps",
		    vg_json_real(round(p->fps * 1000) / 1000));
		json_object_set_new(v, "bitrate_bps",
		    json_integer(p->bitrate_bps));
		json_object_set_new(v, "gop", probe_count(p->gop));
		json_object_set_new(v, "gop_min", probe_count(p->gop_min));
		json_object_set_new(v, "gop_max", probe_count(p->gop_max));
		json_object_set_new(v, "frames", json_integer(p->frames));
		json_object_set_new(v, "keyframes",
		    json_integer(p->keyframes));
		json_object_set_new(v, "bytes", json_integer(p->bytes));
		json_object_set_new(v, "browser",
		    json_string(browser[p->browser]));
		json_object_set_new(o, "video", v);
	} else
		json_object_set_new(o, "video", json_null());
	if (p->audio_codec[0] != '\0') {
		a = json_object();
		json_object_set_new(a, "codec", vg_json_text(p->audio_codec));
		json_object_set_new(a, "mp4_ok",
		    json_boolean(p->audio_mp4_ok));
		json_object_set_new(o, "audio", a);
	} else
		json_object_set_new(o, "audio", json_null());
	json_object_set_new(o, "window_s",
	    vg_json_real(round(p->window_s * 1000) / 1000));
	v = json_object();
	json_object_set_new(v, "open", probe_ms(p->open_us));
	json_object_set_new(v, "first_packet", probe_ms(p->first_packet_us));
	json_object_set_new(v, "first_keyframe",
	    probe_ms(p->first_keyframe_us));
	json_object_set_new(v, "first_picture",
	    probe_ms(p->first_picture_us));
	json_object_set_new(o, "times_ms", v);
	a = json_array();
	for (i = 0; i < p->nmismatch; i++) {
		static const char *const names[] = { "codec", "profile",
			"resolution", "fps", "bitrate", "gop" };

		m = json_object();
		json_object_set_new(m, "field",
		    json_string(names[p->mismatch[i].field]));
		json_object_set_new(m, "expected",
		    vg_json_text(p->mismatch[i].expected));
		json_object_set_new(m, "measured",
		    vg_json_text(p->mismatch[i].measured));
		json_array_append_new(a, m);
	}
	json_object_set_new(o, "mismatches", a);
	text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (text == NULL)
		fatalx("json_dumps");
	red = xstrdup(text);
	free(text);
	return red;
}
