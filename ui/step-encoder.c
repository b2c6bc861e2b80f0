/* step-encoder.c - codec, resolution, frame rate, bitrate and GOP.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page of fields over one encoder: the draft's defaults ("All cameras")
 * or one camera's (an override: the camera leaves the defaults and keeps
 * its own until "Own settings" is unticked).  A preset fills every field
 * at once.  On entry a job reads each camera's encoder options over ONVIF
 * (as the ONVIF user, else the administrator, else anonymously: a
 * factory-new camera answers that way), and the lines under the fields
 * check the chosen values against them as they change, with the same
 * check the plan makes before sending anything
 * (vg_onvif_encoder_validate).  The resolution list is the usual sizes
 * plus every size the cameras offer.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "wizard.h"

#define ENC_WORKERS 8

/* What a camera said about its encoder. */
struct enc_cam {
	char *name;
	bool read;		/* options and current encoder known */
	bool locked;		/* no password opened it: not asked */
	enum vg_onvif_class cls;	/* why not */
	struct vg_onvif_encoder_options opt;
	struct vg_onvif_encoder cur;
};

/* The options job's data (the worker owns it until it ends). */
struct enc_read {
	struct vg_config *cfg;	/* a copy of the draft */
	struct enc_cam *v;
	size_t n;
};

static struct {
	int target;		/* 0: All cameras; k: camera k-1 */
	const char **targets;	/* labels of the target choice */
	char **res_text;	/* "1920x1080" */
	int (*res)[2];
	size_t nres;
	const char **res_labels;
	struct enc_cam *cams;	/* options read, by camera */
	size_t ncams;
	char *read_for;		/* the cameras they were read for */
	bool entered;		/* the step was shown once */
} en;

/* ---- presets --------------------------------------------------------------- */

struct enc_preset {
	const char *label;	/* N_() */
	struct vg_camera_encoder e;
};

static const struct enc_preset presets[] = {
	{ N_("Labeling: H.264 1080p, 15 fps, 4 Mbit/s, GOP 2 s"),
	    { VG_CODEC_H264, 1920, 1080, 15, 4000, 30, VG_PROFILE_MAIN, 0 } },
	{ N_("Economy: H.264 720p, 10 fps, 1.5 Mbit/s, GOP 2 s"),
	    { VG_CODEC_H264, 1280, 720, 10, 1500, 20, VG_PROFILE_MAIN, 0 } },
	{ N_("Detail: H.264 1440p, 15 fps, 6 Mbit/s, GOP 2 s"),
	    { VG_CODEC_H264, 2560, 1440, 15, 6000, 30, VG_PROFILE_HIGH, 0 } },
	{ N_("Small files: H.265 1080p, 15 fps, 2 Mbit/s, GOP 2 s"),
	    { VG_CODEC_H265, 1920, 1080, 15, 2000, 30, VG_PROFILE_MAIN, 0 } },
};
#define NPRESETS (sizeof presets / sizeof presets[0])

static const char *preset_labels[NPRESETS + 2];

/* ---- the encoder being edited ------------------------------------------- */

static void *
enc_base(struct wizard *w)
{
	if (en.target < 0 || (size_t)en.target > w->draft->ncameras)
		en.target = 0;
	return en.target == 0 ? &w->draft->defaults.encoder :
	    &w->draft->cameras[en.target - 1].encoder;
}

static struct vg_camera_encoder *
enc_cur(struct wizard *w)
{
	return enc_base(w);
}

static char *
enc_prefix(struct wizard *w)
{
	char *p;

	enc_base(w);
	if (en.target == 0)
		return xstrdup("defaults.encoder");
	xasprintf(&p, "cameras[%d].encoder", en.target - 1);
	return p;
}

static bool
enc_one_camera(struct wizard *w)
{
	enc_base(w);
	return en.target > 0;
}

static bool
enc_has_cameras(struct wizard *w)
{
	return w->draft->ncameras > 0;
}

static int
target_get(struct wizard *w)
{
	enc_base(w);
	return en.target;
}

static void
target_set(struct wizard *w, int v)
{
	en.target = v;
	enc_base(w);
	wizard_page(w)->all_touched = true;
}

static int
preset_get(struct wizard *w)
{
	const struct vg_camera_encoder *e = enc_cur(w);
	size_t i;

	for (i = 0; i < NPRESETS; i++) {
		struct vg_camera_encoder p = presets[i].e;

		p.quality = e->quality;
		if (wdraft_encoder_equal(&p, e))
			return (int)i;
	}
	return (int)NPRESETS;	/* Custom */
}

static void
preset_set(struct wizard *w, int v)
{
	struct vg_camera_encoder *e = enc_cur(w);
	int q = e->quality;

	if (v < 0 || (size_t)v >= NPRESETS)
		return;		/* Custom: keep the values */
	*e = presets[v].e;
	e->quality = q;
}

static int
res_get(struct wizard *w)
{
	const struct vg_camera_encoder *e = enc_cur(w);
	size_t i;

	for (i = 0; i < en.nres; i++)
		if (en.res[i][0] == e->width && en.res[i][1] == e->height)
			return (int)i;
	return 0;
}

static void
res_set(struct wizard *w, int v)
{
	struct vg_camera_encoder *e = enc_cur(w);

	if (v < 0 || (size_t)v >= en.nres)
		return;
	e->width = en.res[v][0];
	e->height = en.res[v][1];
}

static int
own_get(struct wizard *w)
{
	if (!enc_one_camera(w))
		return 0;
	return wdraft_own(&w->cams.own_enc,
	    w->draft->cameras[en.target - 1].name);
}

static void
own_set(struct wizard *w, int v)
{
	struct vg_camera *cam;

	if (!enc_one_camera(w))
		return;
	cam = &w->draft->cameras[en.target - 1];
	wdraft_own_set(&w->cams.own_enc, cam->name, v != 0);
	if (v == 0)
		cam->encoder = w->draft->defaults.encoder;
}

static const char *const codec_labels[] = { "H.264", "H.265", "MJPEG",
	NULL };
static const int codec_values[] = { VG_CODEC_H264, VG_CODEC_H265,
	VG_CODEC_MJPEG };
static const char *const profile_labels[] = { "Main", "High", "Baseline",
	NULL };
static const int profile_values[] = { VG_PROFILE_MAIN, VG_PROFILE_HIGH,
	VG_PROFILE_BASELINE };

/* Cameras: choose in the camera table (name, address, model, state). */
static int
enc_pick(struct wizard *w, const struct ui_field *f, int current)
{
	static struct ui_camtable t;

	/* TRANSLATORS: column heading: the camera's encoder settings */
	return ui_camtable_pick_own(w, _(f->label), &t, _("ENCODER"),
	    &w->cams.own_enc, current);
}

#define F_TARGET 0
#define F_OWN 1

/* Not const: the target, preset and resolution labels are made on entry. */
static struct ui_field enc_fields[] = {
	[F_TARGET] = { .kind = UI_CHOICE, .vtype = UV_CUSTOM,
	    .label = N_("Cameras"), .shown = enc_has_cameras,
	    .get_int = target_get, .set_int = target_set, .pick = enc_pick,
	    .hint = N_("All cameras, or one camera that needs its own "
		"settings.") },
	[F_OWN] = { .kind = UI_CHECK, .vtype = UV_CUSTOM,
	    .label = N_("Own settings"), .shown = enc_one_camera,
	    .get_int = own_get, .set_int = own_set,
	    .hint = N_("Ticked: this camera keeps the values below.  "
		"Unticked: it takes those of all cameras.") },
	{ .kind = UI_CHOICE, .vtype = UV_CUSTOM, .label = N_("Preset"),
	    .get_int = preset_get, .set_int = preset_set,
	    .hint = N_("Fills every field; change any of them after.") },
	{ .kind = UI_CHOICE, .vtype = UV_ENUM, .label = N_("Codec"),
	    .path = ".codec", .off = offsetof(struct vg_camera_encoder, codec),
	    .choices = codec_labels, .values = codec_values,
	    .hint = N_("H.264 plays in every browser (Label Studio); H.265 "
		"only in some.") },
	{ .kind = UI_CHOICE, .vtype = UV_CUSTOM, .label = N_("Resolution"),
	    .path = ".width", .alias = NULL,
	    .get_int = res_get, .set_int = res_set,
	    .hint = N_("The usual sizes and every size the cameras "
		"offer.") },
	{ .kind = UI_NUMBER, .vtype = UV_INT, .label = N_("Frame rate"),
	    .path = ".fps", .off = offsetof(struct vg_camera_encoder, fps),
	    .hint = N_("Frames per second, 1 to 60.") },
	{ .kind = UI_NUMBER, .vtype = UV_INT, .label = N_("Bitrate kbit/s"),
	    .path = ".bitrate_kbps",
	    .off = offsetof(struct vg_camera_encoder, bitrate_kbps),
	    .hint = N_("4000 is plenty for 1080p at 15 fps; the uplink must "
		"carry every camera's.") },
	{ .kind = UI_NUMBER, .vtype = UV_INT, .label = N_("GOP (frames)"),
	    .path = ".gop", .off = offsetof(struct vg_camera_encoder, gop),
	    .hint = N_("Frames from one keyframe to the next: twice the frame "
		"rate is 2 s.") },
	{ .kind = UI_CHOICE, .vtype = UV_ENUM, .label = N_("Profile"),
	    .path = ".profile",
	    .off = offsetof(struct vg_camera_encoder, profile),
	    .choices = profile_labels, .values = profile_values,
	    .hint = N_("H.264 profile; Main suits every player.") },
};
#define NFIELDS (sizeof enc_fields / sizeof enc_fields[0])

/* ---- labels ---------------------------------------------------------------- */

/* Add a resolution to the list unless it is there. */
static void
res_add(int wd, int ht)
{
	size_t i;

	for (i = 0; i < en.nres; i++)
		if (en.res[i][0] == wd && en.res[i][1] == ht)
			return;
	en.res = xreallocarray(en.res, en.nres + 1, sizeof *en.res);
	en.res[en.nres][0] = wd;
	en.res[en.nres][1] = ht;
	en.nres++;
}

/* Larger pictures first. */
static int
res_cmp(const void *a, const void *b)
{
	const int *x = a, *y = b;
	long d = (long)y[0] * y[1] - (long)x[0] * x[1];

	return d < 0 ? -1 : d > 0 ? 1 : y[0] - x[0];
}

/* Make the choice labels: targets, presets, resolutions. */
static void
enc_labels(struct wizard *w)
{
	static const int common[][2] = { { 3840, 2160 }, { 2560, 1440 },
		{ 1920, 1080 }, { 1280, 720 }, { 704, 576 }, { 640, 480 },
		{ 640, 360 } };
	const struct vg_camera_encoder *e;
	size_t i, k;

	en.targets = wdraft_camera_choices(w->draft, &w->cams,
	    en.targets);
	enc_fields[F_TARGET].choices = en.targets;

	for (i = 0; i < NPRESETS; i++)
		preset_labels[i] = presets[i].label;
	preset_labels[NPRESETS] = N_("Custom");
	preset_labels[NPRESETS + 1] = NULL;
	enc_fields[2].choices = preset_labels;

	for (i = 0; i < en.nres; i++)
		free(en.res_text[i]);
	free(en.res_text);
	free(en.res_labels);
	free(en.res);
	en.res = NULL;
	en.nres = 0;
	for (i = 0; i < sizeof common / sizeof common[0]; i++)
		res_add(common[i][0], common[i][1]);
	for (i = 0; i < en.ncams; i++)
		for (k = 0; k < en.cams[i].opt.ncodecs; k++) {
			const struct vg_onvif_codec_options *co =
			    &en.cams[i].opt.codecs[k];
			size_t r;

			for (r = 0; r < co->nres; r++)
				res_add(co->res[r][0], co->res[r][1]);
		}
	e = enc_cur(w);
	res_add(e->width, e->height);
	qsort(en.res, en.nres, sizeof *en.res, res_cmp);
	en.res_text = xcalloc(en.nres, sizeof *en.res_text);
	en.res_labels = xcalloc(en.nres + 1, sizeof *en.res_labels);
	for (i = 0; i < en.nres; i++) {
		xasprintf(&en.res_text[i], "%dx%d", en.res[i][0],
		    en.res[i][1]);
		en.res_labels[i] = en.res_text[i];
	}
	enc_fields[4].choices = en.res_labels;
}

/* ---- reading the cameras' options ----------------------------------------- */

static void
enc_cams_free(struct enc_cam *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		vg_onvif_encoder_options_clear(&v[i].opt);
		vg_onvif_encoder_clear(&v[i].cur);
	}
	free(v);
}

/* Log in to cam: as the ONVIF user, as the administrator, anonymously. */
static int
enc_open(const struct vg_camera *cam, struct vg_onvif **s,
    enum vg_onvif_class *cls)
{
	struct vg_camera anon = *cam;	/* shallow: only read */
	struct vg_onvif_profile *p = NULL;
	size_t n = 0;
	int how, err = VG_ERR_AUTH;
	char *why = NULL;

	anon.credentials.user = NULL;
	anon.credentials.password.value = NULL;
	*cls = VG_ONVIF_AUTH;
	for (how = 0; how < 3; how++) {
		if (how == 1 && cam->credentials.admin_user == NULL)
			continue;
		err = vg_onvif_open_camera(how == 2 ? &anon : cam, how == 1, s,
		    &why);
		if (err != VG_OK) {
			*cls = *s != NULL ? vg_onvif_last_class(*s) :
			    vg_onvif_open_class(err, why);
			free(why);
			vg_onvif_free(*s);
			*s = NULL;
			return err;	/* it does not answer at all */
		}
		/* the first authenticated call says whether it is let in */
		err = vg_onvif_get_profiles(*s, &p, &n, NULL);
		vg_onvif_profiles_free(p, n);
		if (err == VG_OK)
			return VG_OK;
		*cls = vg_onvif_last_class(*s);
		vg_onvif_free(*s);
		*s = NULL;
		if (*cls != VG_ONVIF_AUTH)
			return err;
	}
	return err;
}

/* Read one camera's options for the profile it records. */
static void
enc_read_one(const struct vg_camera *cam, struct enc_cam *out)
{
	struct vg_onvif *s = NULL;
	struct vg_onvif_profile *p = NULL;
	size_t n = 0, i, k;
	bool sub = cam->recording.stream == VG_STREAM_SUB;

	if (enc_open(cam, &s, &out->cls) != VG_OK)
		return;
	if (vg_onvif_get_profiles(s, &p, &n, NULL) != VG_OK) {
		out->cls = vg_onvif_last_class(s);
		goto out;
	}
	for (i = 0, k = 0; i < n; i++) {
		if (!p[i].has_encoder || k++ != (sub ? 1u : 0u))
			continue;
		if (vg_onvif_get_encoder_options(s, p[i].token, &out->opt,
		    NULL) != VG_OK) {
			out->cls = vg_onvif_last_class(s);
			break;
		}
		out->cur = p[i].enc;
		memset(&p[i].enc, 0, sizeof p[i].enc);
		out->read = true;
		out->cls = VG_ONVIF_OK;
		break;
	}
	if (i == n && !out->read)
		out->cls = VG_ONVIF_UNSUPPORTED;
out:
	vg_onvif_profiles_free(p, n);
	vg_onvif_free(s);
}

/* One camera of the job. */
static void
enc_read_item(void *arg, size_t i)
{
	struct enc_read *r = arg;

	if (r->v[i].locked) {
		r->v[i].cls = VG_ONVIF_AUTH;
		return;
	}
	enc_read_one(&r->cfg->cameras[i], &r->v[i]);
}

/* Its name, for the progress box. */
static const char *
enc_read_name(void *arg, size_t i)
{
	struct enc_read *r = arg;

	return r->cfg->cameras[i].name;
}

static int
enc_read_worker(struct wizard_job *job)
{
	struct enc_read *r = job->arg;

	wizard_job_each(job, r->n, ENC_WORKERS, enc_read_item, enc_read_name,
	    r);
	return wizard_job_cancelled(job) ? VG_ERR_CANCELLED : VG_OK;
}

/* Who the options are for: names and addresses; caller frees. */
static char *
enc_signature(const struct vg_config *cfg)
{
	char *s = xstrdup(""), *t;
	size_t i;

	for (i = 0; i < cfg->ncameras; i++) {
		const struct vg_camera *c = &cfg->cameras[i];

		xasprintf(&t, "%s%s@%s:%d;", s, c->name, c->onvif.address !=
		    NULL ? c->onvif.address : c->match.address != NULL ?
		    c->match.address : "", c->onvif.port);
		free(s);
		s = t;
	}
	return s;
}

static void
enc_read_start(struct wizard *w)
{
	struct enc_read *r = xcalloc(1, sizeof *r);
	size_t i;

	r->cfg = vg_config_dup(w->draft);
	r->n = r->cfg->ncameras;
	r->v = xcalloc(r->n, sizeof *r->v);
	for (i = 0; i < r->n; i++) {
		r->v[i].name = xstrdup(r->cfg->cameras[i].name);
		r->v[i].locked = wdraft_camera_locked(&w->cams,
		    r->v[i].name);
	}
	wizard_job_start(w, wizard_job_thread(_("Reading the cameras' encoder "
	    "options"), enc_read_worker, r, true));
}

static void
enc_done(struct wizard *w, struct wizard_job *job)
{
	struct enc_read *r = job->arg;
	size_t i, nread = 0;

	job->arg = NULL;
	if (job->result == VG_OK) {
		enc_cams_free(en.cams, en.ncams);
		en.cams = r->v;
		en.ncams = r->n;
		r->v = NULL;
		free(en.read_for);
		en.read_for = enc_signature(r->cfg);
		for (i = 0; i < en.ncams; i++)
			nread += en.cams[i].read;
		wizard_status(w, false, _("Encoder options read from %zu of "
		    "%zu cameras; o reads them again."), nread, en.ncams);
	} else {
		enc_cams_free(r->v, r->n);
		wizard_status(w, false, "%s", _("The cameras' options were not "
		    "read; o reads them."));
	}
	vg_config_free(r->cfg);
	free(r);
	enc_labels(w);
	page_rebuild(w);
}

/* ---- the page ------------------------------------------------------------ */

/* The options a camera said, for a line; caller frees. */
static char *
enc_offer(const struct enc_cam *c, enum vg_codec codec)
{
	enum vg_onvif_codec oc = codec == VG_CODEC_H265 ? VG_ONVIF_CODEC_H265 :
	    codec == VG_CODEC_MJPEG ? VG_ONVIF_CODEC_JPEG : VG_ONVIF_CODEC_H264;
	const struct vg_onvif_codec_options *co = NULL;
	char *s;
	size_t i;
	int mw = 0, mh = 0, fmax;

	for (i = 0; i < c->opt.ncodecs; i++)
		if (c->opt.codecs[i].codec == oc)
			co = &c->opt.codecs[i];
	if (co == NULL)
		return NULL;
	for (i = 0; i < co->nres; i++)
		if ((long)co->res[i][0] * co->res[i][1] > (long)mw * mh) {
			mw = co->res[i][0];
			mh = co->res[i][1];
		}
	fmax = co->fps_max;
	for (i = 0; i < co->nfps; i++)
		if (co->fps_list[i] > fmax)
			fmax = co->fps_list[i];
	/* TRANSLATORS: what a camera offers: "up to 2560x1440, 30 fps" */
	xasprintf(&s, _("offers up to %dx%d, %d fps"), mw, mh, fmax);
	return s;
}

/* One line per camera: fits its options, or why not. */
static int
enc_extra(struct wizard *w, WINDOW *win, int y, int h, int width)
{
	const struct vg_config *cfg = w->draft;
	int y0 = y, namew = 0, *attrs;
	size_t i, k;
	char *line, *offer, **texts;
	bool group;

	if (cfg->ncameras == 0) {
		ui_wrap(win, y, 1, width, h, _("No camera is configured: these "
		    "settings become the defaults of cameras added later."),
		    tui_attr(UI_PAIR_DIM));
		return 1;
	}
	/* one line per camera, or per group of cameras with the same line
	 * (64 cameras fit at 80x24): "12 cameras (cam-01, cam-04, …): ..." */
	texts = xcalloc(cfg->ncameras + 1, sizeof *texts);
	attrs = xcalloc(cfg->ncameras + 1, sizeof *attrs);
	for (i = 0; i < cfg->ncameras; i++) {
		const struct vg_camera *cam = &cfg->cameras[i];
		const struct enc_cam *c = NULL;
		struct vg_onvif_encoder_want want;
		struct vg_onvif_diffs probs = { NULL, NULL, 0 };

		if (vg_text_width(cam->name) > namew)
			namew = vg_text_width(cam->name);
		for (k = 0; k < en.ncams; k++)
			if (strcmp(en.cams[k].name, cam->name) == 0)
				c = &en.cams[k];
		attrs[i] = tui_attr(UI_PAIR_DIM);
		if (c == NULL) {
			texts[i] = xstrdup(_("options not read yet"));
			continue;
		}
		if (c->locked) {
			texts[i] = xstrdup(_("locked: password not known "
			    "(Back to Passwords)"));
			attrs[i] = tui_attr(UI_PAIR_ERROR);
			continue;
		}
		if (!c->read) {
			texts[i] = xstrdup(c->cls == VG_ONVIF_AUTH ?
			    _("options readable once the camera is activated; "
			    "the plan checks them") :
			    vg_onvif_class_text(c->cls));
			continue;
		}
		vg_onvif_encoder_want_from(&want, &cam->encoder);
		vg_onvif_encoder_validate(&c->opt, &c->cur, &want, &probs);
		if (probs.n == 0) {
			offer = enc_offer(c, cam->encoder.codec);
			xasprintf(&texts[i], "%s (%s)", _("fits"),
			    offer != NULL ? offer : "");
			free(offer);
			attrs[i] = A_NORMAL;
		} else {
			texts[i] = xstrdup(probs.human[0]);
			attrs[i] = tui_attr(UI_PAIR_ERROR);
		}
		vg_onvif_diffs_clear(&probs);
	}
	/* a line per camera while they fit */
	group = cfg->ncameras > (size_t)(h > 2 ? h - 2 : 1);
	for (i = 0; i < cfg->ncameras && y < y0 + h; i++) {
		size_t same = 0, j;
		char *names = NULL, *t, *fit;

		if (texts[i] == NULL)
			continue;	/* in an earlier group */
		for (j = i; j < cfg->ncameras; j++) {
			if (texts[j] == NULL || strcmp(texts[j], texts[i]) != 0 ||
			    (j != i && !group))
				continue;
			xasprintf(&t, "%s%s%s%s", names != NULL ? names : "",
			    names != NULL ? ", " : "",
			    wdraft_own(&w->cams.own_enc, cfg->cameras[j].name) ?
			    "*" : "", cfg->cameras[j].name);
			free(names);
			names = t;
			same++;
			if (j != i) {
				free(texts[j]);
				texts[j] = NULL;
			}
		}
		if (same == 1)
			xasprintf(&line, " %s%*s %s", names, namew + 1 -
			    vg_text_width(names), "", texts[i]);
		else {
			fit = ui_fit(names, width / 3);
			/* TRANSLATORS: a count, camera names, what is said
			 * of each of them */
			xasprintf(&line, P_("%zu camera (%s): %s",
			    "%zu cameras (%s): %s", same), same, fit,
			    texts[i]);
			free(fit);
		}
		y += ui_wrap(win, y, 1, width, y0 + h - y, line, attrs[i]);
		free(line);
		free(names);
	}
	for (i = 0; i < cfg->ncameras; i++)
		free(texts[i]);
	free(texts);
	free(attrs);
	if (w->cams.own_enc.n > 0 && y < y0 + h)
		y += ui_wrap(win, y, 1, width, y0 + h - y, _("* has its own "
		    "settings."), tui_attr(UI_PAIR_DIM));
	return y - y0;
}

static const struct ui_page_def enc_page = {
	.intro = N_("What every camera records.  Pick a preset, change what "
	    "you need; each camera's own options are checked below."),
	.fields = enc_fields,
	.nfields = NFIELDS,
	.base = enc_base,
	.prefix = enc_prefix,
	.extra = enc_extra,
};

static void
enc_enter(struct wizard *w)
{
	char *sig = enc_signature(w->draft);

	enc_labels(w);
	if (!en.entered) {	/* start on the preset */
		en.entered = true;
		wizard_page(w)->focus = F_OWN + 1;
	}
	page_enter(w);
	if (w->job == NULL && w->draft->ncameras > 0 && (en.read_for == NULL ||
	    strcmp(en.read_for, sig) != 0)) {
		free(en.read_for);
		en.read_for = xstrdup(sig);	/* once, even if cancelled */
		enc_read_start(w);
	}
	free(sig);
}

/* A key: edits of one camera make it an override; edits of all cameras
 * reach every camera without one. */
static int
enc_key(struct wizard *w, int ch, bool is_key)
{
	struct vg_camera_encoder before = *enc_cur(w);
	int target = en.target, focus = wizard_page(w)->focus, k;

	if (!is_key && ch == 'o' && w->draft->ncameras > 0 &&
	    enc_fields[focus].kind != UI_TEXT &&
	    enc_fields[focus].kind != UI_NUMBER) {
		enc_read_start(w);
		return WK_HANDLED;
	}
	k = page_key(w, ch, is_key);
	if (en.target != target) {
		enc_labels(w);
		page_rebuild(w);
		return k;
	}
	if (wdraft_encoder_equal(&before, enc_cur(w)))
		return k;
	if (en.target > 0 && focus != F_OWN)
		wdraft_own_set(&w->cams.own_enc,
		    w->draft->cameras[en.target - 1].name, true);
	wdraft_sync_encoder(w->draft, &w->cams);
	wizard_changed(w);
	page_rebuild(w);
	return k;
}

/* Next: the fields of every encoder must be valid. */
static bool
enc_validate(struct wizard *w)
{
	size_t i;
	char *p;

	wdraft_sync_encoder(w->draft, &w->cams);
	wizard_changed(w);
	if (!page_validate(w))
		return false;
	/* a camera with its own settings may be the one that is wrong */
	for (i = 0; i < w->diags.n; i++) {
		const struct vg_diag *d = &w->diags.v[i];
		size_t k;
		int used = 0;

		p = wdraft_path_norm(d->path);
		if (sscanf(p, "cameras[%zu].encoder.%n", &k, &used) == 1 &&
		    used > 0 && k < w->draft->ncameras) {
			free(p);
			en.target = (int)k + 1;
			enc_labels(w);
			wizard_page(w)->all_touched = true;
			page_rebuild(w);
			p = vg_diag_format(d);
			wizard_status(w, true, "%s", p);
			free(p);
			return false;
		}
		free(p);
	}
	return true;
}

const struct wizard_step step_encoder = {
	.id = "encoder",
	.title = N_("Video encoder"),
	.help = N_("The encoder settings of the stream vigia records (the "
	    "main stream, or the sub stream when the recording says so).  A "
	    "preset fills every field.  Choose a camera under Cameras to give "
	    "it its own settings; * marks such cameras in the list.  The "
	    "lines under the fields check the values against what each "
	    "camera offers, read over ONVIF when the step opens (o reads "
	    "again).  Nothing is sent until the plan is applied, and the plan "
	    "checks every value again first."),
	.page = &enc_page,
	.enter = enc_enter,
	.key = enc_key,
	.validate = enc_validate,
	.job_done = enc_done,
};
