/* onvif-media.c - media profiles, stream and snapshot URIs, encoder
 * options, and encoder changes that are validated and read back.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Media2 (ver20) is used whenever the camera offers it, because H.265
 * only exists there; Media (ver10) otherwise.  An encoder change is
 * checked against the camera's own options before anything is sent,
 * written with ForcePersistence, and read back: cameras that answer OK
 * and keep their old settings exist, and every difference is reported.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "onvif-int.h"

/* Everything of a configuration that must be sent back on Set (the
 * schema makes Multicast and SessionTimeout mandatory in Media). */
struct venc_full {
	struct vg_onvif_encoder e;
	char *name;
	int use_count;
	int encoding_interval;
	char *mc_addr;
	int mc_port, mc_ttl;
	bool mc_auto;
	char *session_timeout;
	char *profile_token;
};

/* Nearest integer to a number a device gave, or 0 ("not reported") if
 * it is NaN, infinite or outside lo..hi (no libm: the programs do not
 * link it; the comparison is false for NaN). */
static int
round_int(double d, int lo, int hi)
{
	if (!(d >= (double)lo - 0.5 && d < (double)hi + 0.5))
		return 0;
	return d < 0 ? -(int)(-d + 0.5) : (int)(d + 0.5);
}

/* v if lo <= v <= hi, else 0 ("not reported"). */
static int
int_in(long long v, int lo, int hi)
{
	return v >= lo && v <= hi ? (int)v : 0;
}

/* A quality (a device-defined scale, 0..100 in practice): NaN, the
 * infinities and values beyond 0..1000 are "not reported" (0). */
static float
quality_in(double q)
{
	return q >= 0 && q <= 1000 ? (float)q : 0;
}

/* Limits on what a device may report; outside them a value is "not
 * reported" (0), never undefined behaviour or a wrapped number. */
#define ONVIF_MAX_PIXELS 65535	/* width or height */
#define ONVIF_MAX_FPS 1000
#define ONVIF_MAX_KBPS 10000000	/* 10 Gbit/s */
#define ONVIF_MAX_GOP 100000

/* Range-check every number of an encoder read from a device. */
static void
encoder_check(struct vg_onvif_encoder *e)
{
	e->width = int_in(e->width, 1, ONVIF_MAX_PIXELS);
	e->height = int_in(e->height, 1, ONVIF_MAX_PIXELS);
	e->fps = int_in(e->fps, 1, ONVIF_MAX_FPS);
	e->bitrate_kbps = int_in(e->bitrate_kbps, 1, ONVIF_MAX_KBPS);
	e->gop = int_in(e->gop, 1, ONVIF_MAX_GOP);
	e->quality = quality_in(e->quality);
}

/* ---- names ------------------------------------------------------------- */

/* "H264" etc. */
const char *
vg_onvif_codec_name(enum vg_onvif_codec c)
{
	switch (c) {
	case VG_ONVIF_CODEC_JPEG:
		return "JPEG";
	case VG_ONVIF_CODEC_MPEG4:
		return "MPEG4";
	case VG_ONVIF_CODEC_H264:
		return "H264";
	case VG_ONVIF_CODEC_H265:
		return "H265";
	case VG_ONVIF_CODEC_UNKNOWN:
		break;
	}
	return "unknown";
}

/* Media2 encoding names ("H264", "H265", "JPEG", "MPV4-ES"). */
static enum vg_onvif_codec
codec_from_name(const char *s)
{
	if (s == NULL)
		return VG_ONVIF_CODEC_UNKNOWN;
	if (strcasecmp(s, "H264") == 0 || strcasecmp(s, "H.264") == 0)
		return VG_ONVIF_CODEC_H264;
	if (strcasecmp(s, "H265") == 0 || strcasecmp(s, "H.265") == 0 ||
	    strcasecmp(s, "HEVC") == 0)
		return VG_ONVIF_CODEC_H265;
	if (strcasecmp(s, "JPEG") == 0 || strcasecmp(s, "MJPEG") == 0)
		return VG_ONVIF_CODEC_JPEG;
	if (strncasecmp(s, "MPV4", 4) == 0 || strcasecmp(s, "MPEG4") == 0)
		return VG_ONVIF_CODEC_MPEG4;
	return VG_ONVIF_CODEC_UNKNOWN;
}

/* Media ver10 encoding enum to ours. */
static enum vg_onvif_codec
codec_from_tt(enum tt__VideoEncoding e)
{
	switch (e) {
	case tt__VideoEncoding__JPEG:
		return VG_ONVIF_CODEC_JPEG;
	case tt__VideoEncoding__MPEG4:
		return VG_ONVIF_CODEC_MPEG4;
	case tt__VideoEncoding__H264:
		return VG_ONVIF_CODEC_H264;
	}
	return VG_ONVIF_CODEC_UNKNOWN;
}

/* H.264 profile enum to its name. */
static const char *
h264_profile_name(enum tt__H264Profile p)
{
	switch (p) {
	case tt__H264Profile__Baseline:
		return "Baseline";
	case tt__H264Profile__Main:
		return "Main";
	case tt__H264Profile__Extended:
		return "Extended";
	case tt__H264Profile__High:
		return "High";
	}
	return "Main";
}

/* ---- copying out --------------------------------------------------------- */

/* Free what an encoder holds. */
void
vg_onvif_encoder_clear(struct vg_onvif_encoder *e)
{
	if (e == NULL)
		return;
	free(e->token);
	free(e->profile);
	memset(e, 0, sizeof *e);
}

/* Free a full copy. */
static void
venc_full_clear(struct venc_full *f)
{
	vg_onvif_encoder_clear(&f->e);
	free(f->name);
	free(f->mc_addr);
	free(f->session_timeout);
	free(f->profile_token);
	memset(f, 0, sizeof *f);
}

/* Copy a Media configuration. */
static void
venc_from_v1(struct venc_full *f, const struct tt__VideoEncoderConfiguration *c)
{
	memset(f, 0, sizeof *f);
	f->e.token = onvif_strdup(c->token);
	f->e.codec = codec_from_tt(c->Encoding);
	if (c->Resolution != NULL) {
		f->e.width = c->Resolution->Width;
		f->e.height = c->Resolution->Height;
	}
	if (c->RateControl != NULL) {
		f->e.fps = c->RateControl->FrameRateLimit;
		f->e.bitrate_kbps = c->RateControl->BitrateLimit;
		f->encoding_interval = c->RateControl->EncodingInterval;
	}
	if (c->H264 != NULL) {
		f->e.gop = c->H264->GovLength;
		f->e.profile = xstrdup(h264_profile_name(c->H264->H264Profile));
	} else if (c->MPEG4 != NULL)
		f->e.gop = c->MPEG4->GovLength;
	f->e.quality = quality_in(c->Quality);
	f->name = onvif_strdup(c->Name);
	f->use_count = c->UseCount;
	if (c->Multicast != NULL) {
		if (c->Multicast->Address != NULL)
			f->mc_addr = onvif_strdup(
			    c->Multicast->Address->IPv4Address);
		f->mc_port = c->Multicast->Port;
		f->mc_ttl = c->Multicast->TTL;
		f->mc_auto = c->Multicast->AutoStart == xsd__boolean__true_;
	}
	f->session_timeout = onvif_strdup(c->SessionTimeout);
	encoder_check(&f->e);
}

/* Copy a Media2 configuration. */
static void
venc_from_v2(struct venc_full *f,
    const struct tt__VideoEncoder2Configuration *c)
{
	memset(f, 0, sizeof *f);
	f->e.media2 = true;
	f->e.token = onvif_strdup(c->token);
	f->e.codec = codec_from_name(c->Encoding);
	if (c->Resolution != NULL) {
		f->e.width = c->Resolution->Width;
		f->e.height = c->Resolution->Height;
	}
	if (c->RateControl != NULL) {
		f->e.fps = round_int(c->RateControl->FrameRateLimit, 1,
		    ONVIF_MAX_FPS);
		f->e.bitrate_kbps = c->RateControl->BitrateLimit;
	}
	if (c->GovLength != NULL)
		f->e.gop = *c->GovLength;
	f->e.profile = onvif_strdup(c->Profile);
	f->e.quality = quality_in(c->Quality);
	f->name = onvif_strdup(c->Name);
	f->use_count = c->UseCount;
	if (c->Multicast != NULL) {
		if (c->Multicast->Address != NULL)
			f->mc_addr = onvif_strdup(
			    c->Multicast->Address->IPv4Address);
		f->mc_port = c->Multicast->Port;
		f->mc_ttl = c->Multicast->TTL;
		f->mc_auto = c->Multicast->AutoStart == xsd__boolean__true_;
	}
	encoder_check(&f->e);
}

/* ---- profiles ------------------------------------------------------------ */

/* Free a profile list. */
void
vg_onvif_profiles_free(struct vg_onvif_profile *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].token);
		free(p[i].name);
		vg_onvif_encoder_clear(&p[i].enc);
		free(p[i].stream_uri);
		free(p[i].snapshot_uri);
	}
	free(p);
}

/* Profiles read from one reply: each costs two more requests (stream and
 * snapshot URIs), so a device listing thousands cannot keep vigia busy
 * for minutes.  Real cameras have a handful. */
#define ONVIF_MAX_PROFILES 64

/* How many of n listed profiles to read, saying so when it is fewer. */
static int
profiles_cap(struct vg_onvif *s, int n)
{
	if (n <= ONVIF_MAX_PROFILES)
		return n;
	log_warn("onvif: %s: the camera lists %d media profiles; vigia reads "
	    "the first %d", s->url, n, ONVIF_MAX_PROFILES);
	return ONVIF_MAX_PROFILES;
}

/* Media2 GetProfiles. */
static int
profiles_v2(struct vg_onvif *s, struct vg_onvif_profile **out, size_t *n,
    char **cause)
{
	struct _tr2__GetProfiles req;
	struct _tr2__GetProfilesResponse res;
	char *all = (char *)"All";
	int a, i, err;

	for (a = 0; onvif_call_next(s, a); a++) {
		soap_default__tr2__GetProfiles(s->soap, &req);
		soap_default__tr2__GetProfilesResponse(s->soap, &res);
		req.__sizeType = 1;
		req.Type = &all;
		soap_call___tr2__GetProfiles(s->soap, s->media2_url, NULL,
		    &req, &res);
	}
	err = onvif_call_done(s, "Media2 GetProfiles", cause);
	if (err == VG_OK && res.__sizeProfiles > 0) {
		int np = profiles_cap(s, res.__sizeProfiles);

		*out = xcalloc((size_t)np, sizeof **out);
		for (i = 0; i < np; i++) {
			struct tr2__MediaProfile *mp = &res.Profiles[i];
			struct vg_onvif_profile *p = &(*out)[*n];

			if (mp->token == NULL)
				continue;
			p->token = xstrdup(mp->token);
			p->name = onvif_strdup(mp->Name);
			if (mp->Configurations != NULL &&
			    mp->Configurations->VideoEncoder != NULL) {
				struct venc_full f;

				venc_from_v2(&f,
				    mp->Configurations->VideoEncoder);
				p->enc = f.e;
				memset(&f.e, 0, sizeof f.e);
				venc_full_clear(&f);
				p->has_encoder = true;
			}
			(*n)++;
		}
	}
	onvif_call_end(s);
	return err;
}

/* Media GetProfiles. */
static int
profiles_v1(struct vg_onvif *s, struct vg_onvif_profile **out, size_t *n,
    char **cause)
{
	struct _trt__GetProfiles req;
	struct _trt__GetProfilesResponse res;
	int a, i, err;

	for (a = 0; onvif_call_next(s, a); a++) {
		soap_default__trt__GetProfiles(s->soap, &req);
		soap_default__trt__GetProfilesResponse(s->soap, &res);
		soap_call___trt__GetProfiles(s->soap, s->media_url, NULL,
		    &req, &res);
	}
	err = onvif_call_done(s, "GetProfiles", cause);
	if (err == VG_OK && res.__sizeProfiles > 0) {
		int np = profiles_cap(s, res.__sizeProfiles);

		*out = xcalloc((size_t)np, sizeof **out);
		for (i = 0; i < np; i++) {
			struct tt__Profile *mp = &res.Profiles[i];
			struct vg_onvif_profile *p = &(*out)[*n];

			if (mp->token == NULL)
				continue;
			p->token = xstrdup(mp->token);
			p->name = onvif_strdup(mp->Name);
			if (mp->VideoEncoderConfiguration != NULL) {
				struct venc_full f;

				venc_from_v1(&f, mp->VideoEncoderConfiguration);
				p->enc = f.e;
				memset(&f.e, 0, sizeof f.e);
				venc_full_clear(&f);
				p->has_encoder = true;
			}
			(*n)++;
		}
	}
	onvif_call_end(s);
	return err;
}

/* Profiles through Media2 if offered, else Media; *v2 says which. */
static int
profiles_list(struct vg_onvif *s, struct vg_onvif_profile **out, size_t *n,
    bool *v2, char **cause)
{
	enum vg_onvif_class cls2 = VG_ONVIF_OK;
	char *c2 = NULL;
	int err;

	*out = NULL;
	*n = 0;
	*v2 = false;
	if ((err = onvif_services(s, cause)) != VG_OK)
		return err;
	if (s->media2_url != NULL) {
		err = profiles_v2(s, out, n, &c2);
		if (err == VG_OK && *n > 0) {
			*v2 = true;
			return VG_OK;
		}
		vg_onvif_profiles_free(*out, *n);
		*out = NULL;
		*n = 0;
		if (c2 == NULL)
			c2 = xstrdup("Media2 GetProfiles: no profile");
		cls2 = s->last_class;
		log_notice("onvif: %s: %s; trying Media", s->url, c2);
	}
	if (s->media_url == NULL) {
		if (c2 != NULL) {
			/* Media2 was the only way: its failure is the one */
			s->last_class = cls2 != VG_ONVIF_OK ? cls2 :
			    VG_ONVIF_UNSUPPORTED;
			if (cause != NULL)
				*cause = c2;
			else
				free(c2);
			return err != VG_OK ? err : VG_ERR_UNSUPPORTED;
		}
		return onvif_fail(s, VG_ONVIF_UNSUPPORTED, VG_ERR_UNSUPPORTED,
		    cause, "the camera offers no media service");
	}
	err = profiles_v1(s, out, n, cause);
	if (err != VG_OK && c2 != NULL && cause != NULL && *cause != NULL) {
		/* say why Media2 was not used, not only the fallback */
		char *t;

		xasprintf(&t, "%s (after %s)", *cause, c2);
		free(*cause);
		*cause = t;
	}
	free(c2);
	return err;
}

/* Stream and snapshot URIs of one profile. */
static void
profile_uris(struct vg_onvif *s, struct vg_onvif_profile *p, bool v2)
{
	int a;

	if (v2) {
		struct _tr2__GetStreamUri req;
		struct _tr2__GetStreamUriResponse res;
		struct _tr2__GetSnapshotUri sreq;
		struct _tr2__GetSnapshotUriResponse sres;

		for (a = 0; onvif_call_next(s, a); a++) {
			soap_default__tr2__GetStreamUri(s->soap, &req);
			soap_default__tr2__GetStreamUriResponse(s->soap, &res);
			req.Protocol = (char *)"RTSP";	/* RTP over RTSP (TCP) */
			req.ProfileToken = p->token;
			soap_call___tr2__GetStreamUri(s->soap, s->media2_url,
			    NULL, &req, &res);
		}
		if (onvif_call_done(s, "Media2 GetStreamUri", NULL) == VG_OK)
			p->stream_uri = onvif_strdup(res.Uri);
		onvif_call_end(s);
		for (a = 0; onvif_call_next(s, a); a++) {
			soap_default__tr2__GetSnapshotUri(s->soap, &sreq);
			soap_default__tr2__GetSnapshotUriResponse(s->soap,
			    &sres);
			sreq.ProfileToken = p->token;
			soap_call___tr2__GetSnapshotUri(s->soap, s->media2_url,
			    NULL, &sreq, &sres);
		}
		if (onvif_call_done(s, "Media2 GetSnapshotUri", NULL) == VG_OK)
			p->snapshot_uri = onvif_strdup(sres.Uri);
		onvif_call_end(s);
	} else {
		struct _trt__GetStreamUri req;
		struct _trt__GetStreamUriResponse res;
		struct _trt__GetSnapshotUri sreq;
		struct _trt__GetSnapshotUriResponse sres;
		struct tt__StreamSetup setup;
		struct tt__Transport tp;

		for (a = 0; onvif_call_next(s, a); a++) {
			soap_default__trt__GetStreamUri(s->soap, &req);
			soap_default__trt__GetStreamUriResponse(s->soap, &res);
			soap_default_tt__StreamSetup(s->soap, &setup);
			soap_default_tt__Transport(s->soap, &tp);
			setup.Stream = tt__StreamType__RTP_Unicast;
			tp.Protocol = tt__TransportProtocol__RTSP;
			setup.Transport = &tp;
			req.StreamSetup = &setup;
			req.ProfileToken = p->token;
			soap_call___trt__GetStreamUri(s->soap, s->media_url,
			    NULL, &req, &res);
		}
		if (onvif_call_done(s, "GetStreamUri", NULL) == VG_OK &&
		    res.MediaUri != NULL)
			p->stream_uri = onvif_strdup(res.MediaUri->Uri);
		onvif_call_end(s);
		for (a = 0; onvif_call_next(s, a); a++) {
			soap_default__trt__GetSnapshotUri(s->soap, &sreq);
			soap_default__trt__GetSnapshotUriResponse(s->soap,
			    &sres);
			sreq.ProfileToken = p->token;
			soap_call___trt__GetSnapshotUri(s->soap, s->media_url,
			    NULL, &sreq, &sres);
		}
		if (onvif_call_done(s, "GetSnapshotUri", NULL) == VG_OK &&
		    sres.MediaUri != NULL)
			p->snapshot_uri = onvif_strdup(sres.MediaUri->Uri);
		onvif_call_end(s);
	}
}

/* Profiles with their encoders and URIs. */
int
vg_onvif_get_profiles(struct vg_onvif *s, struct vg_onvif_profile **profiles,
    size_t *n, char **cause)
{
	bool v2;
	size_t i;
	int err;

	if ((err = profiles_list(s, profiles, n, &v2, cause)) != VG_OK)
		return err;
	for (i = 0; i < *n; i++)
		profile_uris(s, &(*profiles)[i], v2);
	s->last_class = VG_ONVIF_OK;
	return VG_OK;
}

/* ---- options ------------------------------------------------------------- */

/* Free what options hold. */
void
vg_onvif_encoder_options_clear(struct vg_onvif_encoder_options *opt)
{
	size_t i;

	if (opt == NULL)
		return;
	for (i = 0; i < opt->ncodecs; i++) {
		free(opt->codecs[i].res);
		free(opt->codecs[i].fps_list);
		onvif_strv_free(opt->codecs[i].profiles,
		    opt->codecs[i].nprofiles);
	}
	free(opt->codecs);
	memset(opt, 0, sizeof *opt);
}

/* Append a codec entry. */
static struct vg_onvif_codec_options *
opt_add(struct vg_onvif_encoder_options *opt, enum vg_onvif_codec c)
{
	struct vg_onvif_codec_options *co;

	opt->codecs = xreallocarray(opt->codecs, opt->ncodecs + 1,
	    sizeof *opt->codecs);
	co = &opt->codecs[opt->ncodecs++];
	memset(co, 0, sizeof *co);
	co->codec = c;
	return co;
}

/* Range-check the numbers of options read from a device. */
static void
options_check(struct vg_onvif_encoder_options *opt)
{
	struct vg_onvif_codec_options *co;
	size_t i;

	for (i = 0; i < opt->ncodecs; i++) {
		co = &opt->codecs[i];
		co->fps_min = int_in(co->fps_min, 1, ONVIF_MAX_FPS);
		co->fps_max = int_in(co->fps_max, 1, ONVIF_MAX_FPS);
		co->gop_min = int_in(co->gop_min, 1, ONVIF_MAX_GOP);
		co->gop_max = int_in(co->gop_max, 1, ONVIF_MAX_GOP);
		co->bitrate_min = int_in(co->bitrate_min, 1, ONVIF_MAX_KBPS);
		co->bitrate_max = int_in(co->bitrate_max, 1, ONVIF_MAX_KBPS);
	}
}

/* Copy a resolution list. */
static void
opt_res(struct vg_onvif_codec_options *co, const struct tt__VideoResolution *r,
    int n)
{
	int i;

	if (n <= 0)
		return;
	co->res = xreallocarray(NULL, (size_t)n, sizeof *co->res);
	for (i = 0; i < n; i++) {
		co->res[i][0] = int_in(r[i].Width, 1, ONVIF_MAX_PIXELS);
		co->res[i][1] = int_in(r[i].Height, 1, ONVIF_MAX_PIXELS);
	}
	co->nres = (size_t)n;
}

/* Media ver10 options of one configuration. */
static int
options_v1(struct vg_onvif *s, const char *profile, const char *config,
    struct vg_onvif_encoder_options *opt, char **cause)
{
	struct _trt__GetVideoEncoderConfigurationOptions req;
	struct _trt__GetVideoEncoderConfigurationOptionsResponse res;
	int a, i, err;

	for (a = 0; onvif_call_next(s, a); a++) {
		soap_default__trt__GetVideoEncoderConfigurationOptions(s->soap,
		    &req);
		soap_default__trt__GetVideoEncoderConfigurationOptionsResponse(
		    s->soap, &res);
		req.ProfileToken = (char *)profile;
		req.ConfigurationToken = (char *)config;
		soap_call___trt__GetVideoEncoderConfigurationOptions(s->soap,
		    s->media_url, NULL, &req, &res);
	}
	err = onvif_call_done(s, "GetVideoEncoderConfigurationOptions", cause);
	if (err == VG_OK && res.Options != NULL) {
		struct tt__VideoEncoderConfigurationOptions *o = res.Options;
		struct tt__VideoEncoderOptionsExtension *x = o->Extension;
		struct vg_onvif_codec_options *co;

		if (o->QualityRange != NULL) {
			opt->quality_min = quality_in(o->QualityRange->Min);
			opt->quality_max = quality_in(o->QualityRange->Max);
		}
		if (o->H264 != NULL) {
			co = opt_add(opt, VG_ONVIF_CODEC_H264);
			opt_res(co, o->H264->ResolutionsAvailable,
			    o->H264->__sizeResolutionsAvailable);
			if (o->H264->FrameRateRange != NULL) {
				co->fps_min = o->H264->FrameRateRange->Min;
				co->fps_max = o->H264->FrameRateRange->Max;
			}
			if (o->H264->GovLengthRange != NULL) {
				co->gop_min = o->H264->GovLengthRange->Min;
				co->gop_max = o->H264->GovLengthRange->Max;
			}
			for (i = 0; i < o->H264->__sizeH264ProfilesSupported;
			    i++)
				onvif_strv_add(&co->profiles, &co->nprofiles,
				    h264_profile_name(
				    o->H264->H264ProfilesSupported[i]));
			if (x != NULL && x->H264 != NULL &&
			    x->H264->BitrateRange != NULL) {
				co->bitrate_min = x->H264->BitrateRange->Min;
				co->bitrate_max = x->H264->BitrateRange->Max;
			}
		}
		if (o->JPEG != NULL) {
			co = opt_add(opt, VG_ONVIF_CODEC_JPEG);
			opt_res(co, o->JPEG->ResolutionsAvailable,
			    o->JPEG->__sizeResolutionsAvailable);
			if (o->JPEG->FrameRateRange != NULL) {
				co->fps_min = o->JPEG->FrameRateRange->Min;
				co->fps_max = o->JPEG->FrameRateRange->Max;
			}
			if (x != NULL && x->JPEG != NULL &&
			    x->JPEG->BitrateRange != NULL) {
				co->bitrate_min = x->JPEG->BitrateRange->Min;
				co->bitrate_max = x->JPEG->BitrateRange->Max;
			}
		}
	}
	options_check(opt);
	onvif_call_end(s);
	return err;
}

/* Integers in a space-separated list ("1 5 10 25", floats rounded);
 * values outside 1..max are left out, and at most 1000 are kept. */
static int *
int_list(const char *s, size_t *n, int max)
{
	int *v = NULL;
	char *end;

	*n = 0;
	while (s != NULL && *s != '\0') {
		double d = strtod(s, &end);

		if (end == s) {
			s++;
			continue;
		}
		s = end;
		if (round_int(d, 1, max) == 0 || *n >= 1000)
			continue;
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = round_int(d, 1, max);
	}
	return v;
}

/* Media2 options of one configuration. */
static int
options_v2(struct vg_onvif *s, const char *profile, const char *config,
    struct vg_onvif_encoder_options *opt, char **cause)
{
	struct tr2__GetConfiguration req;
	struct _tr2__GetVideoEncoderConfigurationOptionsResponse res;
	int a, i, err;

	opt->media2 = true;
	for (a = 0; onvif_call_next(s, a); a++) {
		soap_default_tr2__GetConfiguration(s->soap, &req);
		soap_default__tr2__GetVideoEncoderConfigurationOptionsResponse(
		    s->soap, &res);
		req.ProfileToken = (char *)profile;
		req.ConfigurationToken = (char *)config;
		soap_call___tr2__GetVideoEncoderConfigurationOptions(s->soap,
		    s->media2_url, NULL, &req, &res);
	}
	err = onvif_call_done(s, "Media2 GetVideoEncoderConfigurationOptions",
	    cause);
	for (i = 0; err == VG_OK && i < res.__sizeOptions; i++) {
		struct tt__VideoEncoder2ConfigurationOptions *o =
		    &res.Options[i];
		struct vg_onvif_codec_options *co;
		int *g;
		size_t ng, j;

		co = opt_add(opt, codec_from_name(o->Encoding));
		if (o->QualityRange != NULL) {
			opt->quality_min = quality_in(o->QualityRange->Min);
			opt->quality_max = quality_in(o->QualityRange->Max);
		}
		if (o->__sizeResolutionsAvailable > 0) {
			co->res = xreallocarray(NULL,
			    (size_t)o->__sizeResolutionsAvailable,
			    sizeof *co->res);
			for (j = 0; j < (size_t)o->__sizeResolutionsAvailable;
			    j++) {
				co->res[j][0] = int_in(
				    o->ResolutionsAvailable[j].Width, 1,
				    ONVIF_MAX_PIXELS);
				co->res[j][1] = int_in(
				    o->ResolutionsAvailable[j].Height, 1,
				    ONVIF_MAX_PIXELS);
			}
			co->nres = (size_t)o->__sizeResolutionsAvailable;
		}
		if (o->BitrateRange != NULL) {
			co->bitrate_min = o->BitrateRange->Min;
			co->bitrate_max = o->BitrateRange->Max;
		}
		g = int_list(o->GovLengthRange, &ng, ONVIF_MAX_GOP);
		if (ng >= 2) {
			co->gop_min = g[0];
			co->gop_max = g[ng - 1];
		}
		free(g);
		co->fps_list = int_list(o->FrameRatesSupported, &co->nfps,
		    ONVIF_MAX_FPS);
		for (j = 0; j < co->nfps; j++) {
			if (j == 0 || co->fps_list[j] < co->fps_min)
				co->fps_min = co->fps_list[j];
			if (co->fps_list[j] > co->fps_max)
				co->fps_max = co->fps_list[j];
		}
		if (o->ProfilesSupported != NULL) {
			const char *p = o->ProfilesSupported;

			while (*p != '\0') {
				size_t len;
				char *w;

				p += strspn(p, " \t");
				len = strcspn(p, " \t");
				if (len == 0)
					break;
				w = xstrndup(p, len);
				onvif_strv_add(&co->profiles, &co->nprofiles,
				    w);
				free(w);
				p += len;
			}
		}
	}
	options_check(opt);
	onvif_call_end(s);
	return err;
}

/* The profile's encoder, through Media2 if available. */
static int
find_profile(struct vg_onvif *s, const char *profile,
    struct vg_onvif_profile **plist, size_t *np, struct vg_onvif_profile **p,
    bool *v2, char **cause)
{
	size_t i;
	int err;

	*p = NULL;
	if ((err = profiles_list(s, plist, np, v2, cause)) != VG_OK)
		return err;
	for (i = 0; i < *np; i++) {
		if (!(*plist)[i].has_encoder)
			continue;
		if (profile == NULL || strcmp((*plist)[i].token, profile) == 0) {
			*p = &(*plist)[i];
			return VG_OK;
		}
	}
	return onvif_fail(s, VG_ONVIF_OK, VG_ERR_NOTFOUND, cause,
	    "%s%s%s", profile != NULL ? "profile " : "no profile with a "
	    "video encoder", profile != NULL ? profile : "",
	    profile != NULL ? " not found or has no video encoder" : "");
}

/* Encoder options of a profile. */
int
vg_onvif_get_encoder_options(struct vg_onvif *s, const char *profile,
    struct vg_onvif_encoder_options *opt, char **cause)
{
	struct vg_onvif_profile *plist = NULL, *p;
	size_t np = 0;
	bool v2;
	int err;

	memset(opt, 0, sizeof *opt);
	if ((err = find_profile(s, profile, &plist, &np, &p, &v2, cause)) ==
	    VG_OK)
		err = v2 ? options_v2(s, p->token, p->enc.token, opt, cause) :
		    options_v1(s, p->token, p->enc.token, opt, cause);
	vg_onvif_profiles_free(plist, np);
	return err;
}

/* ---- validation ---------------------------------------------------------- */

/* Free what diffs hold. */
void
vg_onvif_diffs_clear(struct vg_onvif_diffs *d)
{
	if (d == NULL)
		return;
	onvif_strv_free(d->v, d->n);
	onvif_strv_free(d->human, d->n);
	memset(d, 0, sizeof *d);
}

/* Append an English and a translated line (both already formatted). */
static void
diff_add(struct vg_onvif_diffs *d, char *en, char *human)
{
	d->v = xreallocarray(d->v, d->n + 1, sizeof *d->v);
	d->human = xreallocarray(d->human, d->n + 1, sizeof *d->human);
	d->v[d->n] = en;
	d->human[d->n] = human;
	d->n++;
}

/* Fill want from the configuration model. */
void
vg_onvif_encoder_want_from(struct vg_onvif_encoder_want *want,
    const struct vg_camera_encoder *enc)
{
	memset(want, 0, sizeof *want);
	want->codec = enc->codec == VG_CODEC_H265 ? VG_ONVIF_CODEC_H265 :
	    enc->codec == VG_CODEC_MJPEG ? VG_ONVIF_CODEC_JPEG :
	    VG_ONVIF_CODEC_H264;
	want->width = enc->width;
	want->height = enc->height;
	want->fps = enc->fps;
	want->bitrate_kbps = enc->bitrate_kbps;
	want->gop = enc->gop;
	if (want->codec != VG_ONVIF_CODEC_JPEG)
		want->profile = enc->profile == VG_PROFILE_HIGH ? "High" :
		    enc->profile == VG_PROFILE_BASELINE ? "Baseline" : "Main";
	want->quality = (float)enc->quality;
}

/* Check want against the camera's options; every problem is listed. */
int
vg_onvif_encoder_validate(const struct vg_onvif_encoder_options *opt,
    const struct vg_onvif_encoder *cur,
    const struct vg_onvif_encoder_want *want, struct vg_onvif_diffs *problems)
{
	const struct vg_onvif_codec_options *co = NULL;
	enum vg_onvif_codec codec = want->codec != VG_ONVIF_CODEC_UNKNOWN ?
	    want->codec : cur->codec;
	char *en, *hu;
	size_t i, before = problems->n;

	for (i = 0; i < opt->ncodecs; i++)
		if (opt->codecs[i].codec == codec)
			co = &opt->codecs[i];
	if (co == NULL) {
		xasprintf(&en, "codec: %s is not offered%s",
		    vg_onvif_codec_name(codec), codec == VG_ONVIF_CODEC_H265 &&
		    !opt->media2 ? " (H.265 needs Media2, which the camera "
		    "lacks)" : "");
		xasprintf(&hu, _("Codec %s is not offered by this encoder."),
		    vg_onvif_codec_name(codec));
		diff_add(problems, en, hu);
		return VG_ERR_USAGE;
	}
	if (want->width > 0 || want->height > 0) {
		int w = want->width > 0 ? want->width : cur->width;
		int h = want->height > 0 ? want->height : cur->height;
		bool found = co->nres == 0;

		for (i = 0; i < co->nres; i++)
			if (co->res[i][0] == w && co->res[i][1] == h)
				found = true;
		if (!found) {
			char list[512] = "";
			size_t len = 0;

			for (i = 0; i < co->nres && len < sizeof list - 24;
			    i++)
				len += (size_t)snprintf(list + len,
				    sizeof list - len, "%s%dx%d",
				    i ? " " : "", co->res[i][0], co->res[i][1]);
			xasprintf(&en, "resolution: %dx%d is not offered "
			    "(offered: %s)", w, h, list);
			xasprintf(&hu, _("Resolution %dx%d is not offered; the "
			    "camera offers: %s."), w, h, list);
			diff_add(problems, en, hu);
		}
	}
	if (want->fps > 0) {
		bool ok;

		if (co->nfps > 0) {
			ok = false;
			for (i = 0; i < co->nfps; i++)
				if (co->fps_list[i] == want->fps)
					ok = true;
		} else
			ok = co->fps_max == 0 || (want->fps >= co->fps_min &&
			    want->fps <= co->fps_max);
		if (!ok) {
			xasprintf(&en, "fps: %d is not offered (%d..%d)",
			    want->fps, co->fps_min, co->fps_max);
			xasprintf(&hu, _("Frame rate %d is not offered; the "
			    "camera accepts %d to %d."), want->fps,
			    co->fps_min, co->fps_max);
			diff_add(problems, en, hu);
		}
	}
	if (want->bitrate_kbps > 0 && co->bitrate_max > 0 &&
	    (want->bitrate_kbps < co->bitrate_min ||
	    want->bitrate_kbps > co->bitrate_max)) {
		xasprintf(&en, "bitrate: %d kbit/s is outside %d..%d",
		    want->bitrate_kbps, co->bitrate_min, co->bitrate_max);
		xasprintf(&hu, _("Bit rate %d kbit/s is outside the camera's "
		    "range, %d to %d kbit/s."), want->bitrate_kbps,
		    co->bitrate_min, co->bitrate_max);
		diff_add(problems, en, hu);
	}
	if (want->gop > 0 && co->gop_max > 0 &&
	    (want->gop < co->gop_min || want->gop > co->gop_max)) {
		xasprintf(&en, "gop: %d is outside %d..%d", want->gop,
		    co->gop_min, co->gop_max);
		xasprintf(&hu, _("Keyframe interval (GOP) %d is outside the "
		    "camera's range, %d to %d."), want->gop, co->gop_min,
		    co->gop_max);
		diff_add(problems, en, hu);
	}
	if (want->profile != NULL && co->nprofiles > 0) {
		bool ok = false;

		for (i = 0; i < co->nprofiles; i++)
			if (strcasecmp(co->profiles[i], want->profile) == 0)
				ok = true;
		if (!ok) {
			xasprintf(&en, "profile: %s is not offered",
			    want->profile);
			xasprintf(&hu, _("Encoder profile %s is not offered."),
			    want->profile);
			diff_add(problems, en, hu);
		}
	}
	if (want->quality > 0 && opt->quality_max > 0 &&
	    (want->quality < opt->quality_min ||
	    want->quality > opt->quality_max)) {
		xasprintf(&en, "quality: %g is outside %g..%g",
		    (double)want->quality, (double)opt->quality_min,
		    (double)opt->quality_max);
		xasprintf(&hu, _("Quality %g is outside the camera's range, "
		    "%g to %g."), (double)want->quality,
		    (double)opt->quality_min, (double)opt->quality_max);
		diff_add(problems, en, hu);
	}
	return problems->n > before ? VG_ERR_USAGE : VG_OK;
}

/* ---- get / set one configuration ---------------------------------------- */

/* Read one configuration in full. */
static int
venc_get(struct vg_onvif *s, bool v2, const char *token, struct venc_full *f,
    char **cause)
{
	int a, err, i;

	memset(f, 0, sizeof *f);
	if (v2) {
		struct tr2__GetConfiguration req;
		struct _tr2__GetVideoEncoderConfigurationsResponse res;

		for (a = 0; onvif_call_next(s, a); a++) {
			soap_default_tr2__GetConfiguration(s->soap, &req);
			soap_default__tr2__GetVideoEncoderConfigurationsResponse(
			    s->soap, &res);
			req.ConfigurationToken = (char *)token;
			soap_call___tr2__GetVideoEncoderConfigurations(s->soap,
			    s->media2_url, NULL, &req, &res);
		}
		err = onvif_call_done(s,
		    "Media2 GetVideoEncoderConfigurations", cause);
		if (err == VG_OK) {
			for (i = 0; i < res.__sizeConfigurations; i++)
				if (res.Configurations[i].token != NULL &&
				    strcmp(res.Configurations[i].token,
				    token) == 0)
					break;
			if (i < res.__sizeConfigurations)
				venc_from_v2(f, &res.Configurations[i]);
			else
				err = onvif_fail(s, VG_ONVIF_FAULT,
				    VG_ERR_PROTO, cause, "encoder "
				    "configuration %s missing from the reply",
				    token);
		}
	} else {
		struct _trt__GetVideoEncoderConfiguration req;
		struct _trt__GetVideoEncoderConfigurationResponse res;

		for (a = 0; onvif_call_next(s, a); a++) {
			soap_default__trt__GetVideoEncoderConfiguration(s->soap,
			    &req);
			soap_default__trt__GetVideoEncoderConfigurationResponse(
			    s->soap, &res);
			req.ConfigurationToken = (char *)token;
			soap_call___trt__GetVideoEncoderConfiguration(s->soap,
			    s->media_url, NULL, &req, &res);
		}
		err = onvif_call_done(s, "GetVideoEncoderConfiguration",
		    cause);
		if (err == VG_OK && res.Configuration != NULL)
			venc_from_v1(f, res.Configuration);
		else if (err == VG_OK)
			err = onvif_fail(s, VG_ONVIF_FAULT, VG_ERR_PROTO,
			    cause, "GetVideoEncoderConfiguration: empty reply");
	}
	onvif_call_end(s);
	return err;
}

/* Apply want over the full copy f. */
static void
venc_apply(struct venc_full *f, const struct vg_onvif_encoder_want *w)
{
	if (w->codec != VG_ONVIF_CODEC_UNKNOWN)
		f->e.codec = w->codec;
	if (w->width > 0)
		f->e.width = w->width;
	if (w->height > 0)
		f->e.height = w->height;
	if (w->fps > 0)
		f->e.fps = w->fps;
	if (w->bitrate_kbps > 0)
		f->e.bitrate_kbps = w->bitrate_kbps;
	if (w->gop > 0)
		f->e.gop = w->gop;
	if (w->profile != NULL) {
		free(f->e.profile);
		f->e.profile = xstrdup(w->profile);
	}
	if (w->quality > 0)
		f->e.quality = w->quality;
}

/* How much longer than other calls a Set of the encoder may take: the
 * camera restarts its encoder before it answers (several seconds on
 * some models, more on a busy simulator re-encoding its loop). */
#define VENC_SET_EXTRA_MS 10000

/* Send the configuration f (Media: with ForcePersistence). */
static int
venc_set(struct vg_onvif *s, bool v2, const struct venc_full *f, char **cause)
{
	struct tt__VideoResolution r1;
	struct tt__VideoResolution2 r2;
	struct tt__VideoRateControl rc1;
	struct tt__VideoRateControl2 rc2;
	struct tt__H264Configuration h264;
	struct tt__MulticastConfiguration mc;
	struct tt__IPAddress mcaddr;
	int a, err, gop = f->e.gop;
	int saved_t = s->timeout_ms, saved_recv = s->soap->recv_timeout;
	int saved_xfer = s->soap->transfer_timeout;

	s->timeout_ms += VENC_SET_EXTRA_MS;
	s->soap->recv_timeout = -1000 * s->timeout_ms;
	s->soap->transfer_timeout = saved_xfer + VENC_SET_EXTRA_MS / 1000;
	memset(&mc, 0, sizeof mc);
	memset(&mcaddr, 0, sizeof mcaddr);
	mcaddr.Type = tt__IPType__IPv4;
	mcaddr.IPv4Address = f->mc_addr != NULL ? f->mc_addr : (char *)"0.0.0.0";
	mc.Address = &mcaddr;
	mc.Port = f->mc_port;
	mc.TTL = f->mc_ttl;
	mc.AutoStart = f->mc_auto ? xsd__boolean__true_ : xsd__boolean__false_;
	if (v2) {
		struct _tr2__SetVideoEncoderConfiguration req;
		struct tr2__SetConfigurationResponse res;
		struct tt__VideoEncoder2Configuration c;

		for (a = 0; onvif_call_next(s, a); a++) {
			soap_default__tr2__SetVideoEncoderConfiguration(s->soap,
			    &req);
			soap_default_tt__VideoEncoder2Configuration(s->soap,
			    &c);
			c.token = f->e.token;
			c.Name = f->name != NULL ? f->name : f->e.token;
			c.UseCount = f->use_count;
			c.Encoding = (char *)vg_onvif_codec_name(f->e.codec);
			r2.Width = f->e.width;
			r2.Height = f->e.height;
			c.Resolution = &r2;
			memset(&rc2, 0, sizeof rc2);
			rc2.FrameRateLimit = (float)f->e.fps;
			rc2.BitrateLimit = f->e.bitrate_kbps;
			c.RateControl = &rc2;
			c.Multicast = f->mc_addr != NULL ? &mc : NULL;
			c.Quality = f->e.quality;
			c.GovLength = gop > 0 ? &gop : NULL;
			c.Profile = f->e.profile;
			req.Configuration = &c;
			soap_call___tr2__SetVideoEncoderConfiguration(s->soap,
			    s->media2_url, NULL, &req, &res);
		}
		err = onvif_call_done(s, "Media2 SetVideoEncoderConfiguration",
		    cause);
	} else {
		struct _trt__SetVideoEncoderConfiguration req;
		struct _trt__SetVideoEncoderConfigurationResponse res;
		struct tt__VideoEncoderConfiguration c;

		for (a = 0; onvif_call_next(s, a); a++) {
			soap_default__trt__SetVideoEncoderConfiguration(s->soap,
			    &req);
			soap_default_tt__VideoEncoderConfiguration(s->soap, &c);
			c.token = f->e.token;
			c.Name = f->name != NULL ? f->name : f->e.token;
			c.UseCount = f->use_count;
			c.Encoding = f->e.codec == VG_ONVIF_CODEC_JPEG ?
			    tt__VideoEncoding__JPEG : f->e.codec ==
			    VG_ONVIF_CODEC_MPEG4 ? tt__VideoEncoding__MPEG4 :
			    tt__VideoEncoding__H264;
			r1.Width = f->e.width;
			r1.Height = f->e.height;
			c.Resolution = &r1;
			c.Quality = f->e.quality;
			rc1.FrameRateLimit = f->e.fps;
			rc1.EncodingInterval = f->encoding_interval > 0 ?
			    f->encoding_interval : 1;
			rc1.BitrateLimit = f->e.bitrate_kbps;
			c.RateControl = &rc1;
			if (f->e.codec == VG_ONVIF_CODEC_H264) {
				h264.GovLength = gop;
				h264.H264Profile = tt__H264Profile__Main;
				if (f->e.profile != NULL) {
					if (strcasecmp(f->e.profile, "High")
					    == 0)
						h264.H264Profile =
						    tt__H264Profile__High;
					else if (strcasecmp(f->e.profile,
					    "Baseline") == 0)
						h264.H264Profile =
						    tt__H264Profile__Baseline;
				}
				c.H264 = &h264;
			}
			c.Multicast = &mc;
			c.SessionTimeout = f->session_timeout != NULL ?
			    f->session_timeout : (char *)"PT60S";
			req.Configuration = &c;
			req.ForcePersistence = xsd__boolean__true_;
			soap_call___trt__SetVideoEncoderConfiguration(s->soap,
			    s->media_url, NULL, &req, &res);
		}
		err = onvif_call_done(s, "SetVideoEncoderConfiguration", cause);
	}
	s->timeout_ms = saved_t;
	s->soap->recv_timeout = saved_recv;
	s->soap->transfer_timeout = saved_xfer;
	onvif_call_end(s);
	return err;
}

/* Compare the read-back b with what was asked. */
static void
venc_diff(const struct vg_onvif_encoder_want *w, const struct venc_full *b,
    struct vg_onvif_diffs *d)
{
	char *en, *hu;

#define VENC_DIFF_INT(cond, name, hname, wanted, got) do {		\
	if (cond) {							\
		xasprintf(&en, "%s: wanted %d, camera has %d", name,	\
		    wanted, got);					\
		xasprintf(&hu, _("%s: asked for %d, the camera kept %d."), \
		    hname, wanted, got);				\
		diff_add(d, en, hu);					\
	}								\
} while (0)
	if (w->codec != VG_ONVIF_CODEC_UNKNOWN && w->codec != b->e.codec) {
		xasprintf(&en, "codec: wanted %s, camera has %s",
		    vg_onvif_codec_name(w->codec),
		    vg_onvif_codec_name(b->e.codec));
		xasprintf(&hu, _("Codec: asked for %s, the camera kept %s."),
		    vg_onvif_codec_name(w->codec),
		    vg_onvif_codec_name(b->e.codec));
		diff_add(d, en, hu);
	}
	VENC_DIFF_INT(w->width > 0 && w->width != b->e.width, "width",
	    _("Width"), w->width, b->e.width);
	VENC_DIFF_INT(w->height > 0 && w->height != b->e.height, "height",
	    _("Height"), w->height, b->e.height);
	VENC_DIFF_INT(w->fps > 0 && w->fps != b->e.fps, "fps",
	    _("Frame rate"), w->fps, b->e.fps);
	VENC_DIFF_INT(w->bitrate_kbps > 0 && w->bitrate_kbps !=
	    b->e.bitrate_kbps, "bitrate", _("Bit rate"), w->bitrate_kbps,
	    b->e.bitrate_kbps);
	VENC_DIFF_INT(w->gop > 0 && w->gop != b->e.gop, "gop",
	    _("Keyframe interval (GOP)"), w->gop, b->e.gop);
#undef VENC_DIFF_INT
	if (w->profile != NULL && (b->e.profile == NULL ||
	    strcasecmp(w->profile, b->e.profile) != 0)) {
		xasprintf(&en, "profile: wanted %s, camera has %s",
		    w->profile, b->e.profile != NULL ? b->e.profile : "none");
		xasprintf(&hu, _("Encoder profile: asked for %s, the camera "
		    "kept %s."), w->profile, b->e.profile != NULL ?
		    b->e.profile : "-");
		diff_add(d, en, hu);
	}
	if (w->quality > 0 && (w->quality - b->e.quality > 0.01f ||
	    b->e.quality - w->quality > 0.01f)) {
		xasprintf(&en, "quality: wanted %g, camera has %g",
		    (double)w->quality, (double)b->e.quality);
		xasprintf(&hu, _("Quality: asked for %g, the camera kept %g."),
		    (double)w->quality, (double)b->e.quality);
		diff_add(d, en, hu);
	}
}

/* Validate, set, read back, diff. */
int
vg_onvif_set_encoder(struct vg_onvif *s, const char *profile,
    const struct vg_onvif_encoder_want *want, struct vg_onvif_encoder *after,
    struct vg_onvif_diffs *diffs, char **cause)
{
	struct vg_onvif_profile *plist = NULL, *p;
	struct vg_onvif_encoder_options opt;
	struct venc_full cur, back;
	size_t np = 0;
	bool v2;
	int err;

	memset(&opt, 0, sizeof opt);
	memset(&cur, 0, sizeof cur);
	memset(&back, 0, sizeof back);
	if (after != NULL)
		memset(after, 0, sizeof *after);
	if ((err = find_profile(s, profile, &plist, &np, &p, &v2, cause)) !=
	    VG_OK)
		goto out;
	if (want->codec == VG_ONVIF_CODEC_H265 && !v2) {
		diff_add(diffs, xstrdup("codec: H265 needs Media2, which the "
		    "camera does not offer"), xstrdup(_("H.265 can only be set "
		    "through ONVIF Media2, which this camera does not "
		    "offer.")));
		err = onvif_fail(s, VG_ONVIF_UNSUPPORTED, VG_ERR_USAGE, cause,
		    "H.265 needs Media2");
		goto out;
	}
	if ((err = venc_get(s, v2, p->enc.token, &cur, cause)) != VG_OK)
		goto out;
	if ((err = v2 ? options_v2(s, p->token, p->enc.token, &opt, cause) :
	    options_v1(s, p->token, p->enc.token, &opt, cause)) != VG_OK)
		goto out;
	if (vg_onvif_encoder_validate(&opt, &cur.e, want, diffs) != VG_OK) {
		err = onvif_fail(s, VG_ONVIF_OK, VG_ERR_USAGE, cause,
		    "%zu setting(s) are not offered by the camera; nothing "
		    "was sent", diffs->n);
		goto out;
	}
	venc_apply(&cur, want);
	if ((err = venc_set(s, v2, &cur, cause)) != VG_OK)
		goto out;
	if ((err = venc_get(s, v2, p->enc.token, &back, cause)) != VG_OK)
		goto out;
	venc_diff(want, &back, diffs);
	if (diffs->n > 0) {
		err = onvif_fail(s, VG_ONVIF_FAULT, VG_ERR_PROTO, cause,
		    "the camera accepted the change but kept %zu setting(s)",
		    diffs->n);
		log_warn("onvif: %s: encoder %s: %s", s->url, p->enc.token,
		    *diffs->v);
	} else
		log_info("onvif: %s: encoder %s set and verified", s->url,
		    p->enc.token);
	if (after != NULL) {
		*after = back.e;
		memset(&back.e, 0, sizeof back.e);
	}
out:
	venc_full_clear(&cur);
	venc_full_clear(&back);
	vg_onvif_encoder_options_clear(&opt);
	vg_onvif_profiles_free(plist, np);
	return err;
}

/* ---- the recorded stream of a configured camera -------------------------- */

void
vg_onvif_camera_stream_clear(struct vg_onvif_camera_stream *cs)
{
	free(cs->profile);
	free(cs->stream_uri);
	free(cs->snapshot_uri);
	free(cs->host);
	memset(cs, 0, sizeof *cs);
}

/* Open cam at addr (NULL: its configured address). */
static int
camera_open_at(const struct vg_camera *cam, const char *addr,
    struct vg_onvif **s, enum vg_onvif_class *cls, char **cause)
{
	struct vg_camera c = *cam;	/* shallow: only read */
	int err;

	if (addr != NULL)
		c.onvif.address = (char *)addr;
	err = vg_onvif_open_camera(&c, false, s, cause);
	*cls = *s != NULL ? vg_onvif_last_class(*s) :
	    vg_onvif_open_class(err, cause != NULL ? *cause : NULL);
	return err;
}

int
vg_onvif_camera_stream(const struct vg_camera *cam,
    struct vg_onvif_camera_stream *out, enum vg_onvif_class *cls,
    char **cause)
{
	const char *cur = cam->onvif.address != NULL ? cam->onvif.address :
	    cam->match.address;
	const char *moved = cam->network.mode == VG_NETWORK_STATIC &&
	    cam->network.address != NULL && (cur == NULL ||
	    strcmp(cur, cam->network.address) != 0) ? cam->network.address :
	    NULL;
	struct vg_onvif *s = NULL;
	struct vg_onvif_profile *prof = NULL;
	size_t i, k, n = 0;
	bool sub = cam->recording.stream == VG_STREAM_SUB;
	char *why = NULL;
	int err;

	memset(out, 0, sizeof *out);
	*cls = VG_ONVIF_OK;
	err = camera_open_at(cam, NULL, &s, cls, &why);
	if (err != VG_OK && moved != NULL && (*cls == VG_ONVIF_UNREACHABLE ||
	    *cls == VG_ONVIF_TIMEOUT)) {
		/* a camera given a new address answers there once applied */
		enum vg_onvif_class c2;
		char *why2 = NULL;

		vg_onvif_free(s);
		s = NULL;
		if (camera_open_at(cam, moved, &s, &c2, &why2) == VG_OK) {
			err = VG_OK;
			*cls = VG_ONVIF_OK;
			cur = moved;
			free(why);
			why = NULL;
		}
		free(why2);
	}
	if (err == VG_OK)
		err = vg_onvif_get_profiles(s, &prof, &n, &why);
	if (err != VG_OK) {
		if (s != NULL)
			*cls = vg_onvif_last_class(s);
		goto out;
	}
	for (i = 0, k = 0; i < n; i++) {
		if (!prof[i].has_encoder || k++ != (sub ? 1u : 0u))
			continue;
		out->profile = xstrdup(prof[i].token);
		if (prof[i].stream_uri != NULL)
			out->stream_uri = xstrdup(prof[i].stream_uri);
		if (prof[i].snapshot_uri != NULL)
			out->snapshot_uri = xstrdup(prof[i].snapshot_uri);
		break;
	}
	out->host = cur != NULL ? xstrdup(cur) : NULL;
	out->sub = sub;
	if (out->profile == NULL) {
		err = VG_ERR_NOTFOUND;
		*cls = VG_ONVIF_UNSUPPORTED;
		xasprintf(&why, sub ? "no second media profile with a video "
		    "encoder (no sub stream)" : "no media profile with a "
		    "video encoder");
	} else if (out->stream_uri == NULL) {
		err = VG_ERR_PROTO;
		*cls = VG_ONVIF_UNSUPPORTED;
		xasprintf(&why, "no stream URI for profile %s", out->profile);
	}
out:
	vg_onvif_profiles_free(prof, n);
	vg_onvif_free(s);
	if (err != VG_OK) {
		vg_onvif_camera_stream_clear(out);
		if (cause != NULL) {
			*cause = why;
			why = NULL;
		}
	}
	free(why);
	return err;
}
