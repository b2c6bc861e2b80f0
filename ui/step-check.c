/* step-check.c - probe every camera's stream and look at its picture.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * It follows the review: the cameras have their settings now.  On entry a
 * job asks each camera over ONVIF for the stream it records
 * (vg_onvif_camera_stream, at its new address if it moved) and probes it
 * for a few seconds against the configured encoder (vg_stream_probe, as
 * `vigia probe CAMERA` does), four cameras at once.  The list shows one
 * line per camera: what the stream is, or what differs from the
 * configuration, or why it could not be read.  Enter shows the selected
 * camera's live picture in the step's area (the preview widget); Enter or
 * Esc closes it.  r checks again.  A failed camera does not block: Next
 * asks first.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "wizard.h"
#include "preview.h"	/* after curses: the picture widget */

#define CHECK_SECONDS 3.0
#define CHECK_WORKERS 4

/* One camera's check. */
struct ck_row {
	char *name;
	char *uri;		/* its stream, without credentials */
	char *line;		/* translated result */
	bool done;
	bool bad;		/* failed or differs */
	bool locked;		/* no password opened it: not tried */
};

/* The job's data (the worker owns it until it ends). */
struct ck_run {
	struct vg_config *cfg;	/* a copy of the draft */
	struct ck_row *rows;
	size_t n;
	struct wizard_job *job;
};

static struct {
	pthread_mutex_t lock;	/* rows, while a job runs */
	struct ck_row *rows;
	size_t n;
	struct vg_config *of;	/* the draft they were made for */
	struct ui_camtable table;	/* a row per draft camera */
	bool ran;
	/* the live picture */
	struct vg_preview *pv;
	int pv_row;
	struct vg_picture pic;
	struct vg_preview_stats st;
	enum vg_picture_mode mode;
	int pv_cols, pv_rows;
	int lines, cols;	/* the terminal when last drawn */
} ck = { .lock = PTHREAD_MUTEX_INITIALIZER, .pv_row = -1,
	.table = { .names = true, .hide = UI_CT_VENDOR | UI_CT_MODEL |
	UI_CT_STATE } };

static void
ck_rows_free(struct ck_row *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].name);
		free(r[i].uri);
		free(r[i].line);
	}
	free(r);
}

/* Close the live picture. */
static void
ck_picture_stop(void)
{
	vg_preview_stop(ck.pv);
	ck.pv = NULL;
	ck.pv_row = -1;
	vg_picture_clear(&ck.pic);
	memset(&ck.st, 0, sizeof ck.st);
}

void
check_forget(void)
{
	ck_picture_stop();
	pthread_mutex_lock(&ck.lock);
	ck_rows_free(ck.rows, ck.n);
	ck.rows = NULL;
	ck.n = 0;
	pthread_mutex_unlock(&ck.lock);
	vg_config_free(ck.of);
	ck.of = NULL;
	ck.ran = false;
	ck.table.cursor = 0;
	ck.table.top = 0;
}

/* ---- the job ----------------------------------------------------------------- */

/* A codec as the technician knows it ("H.264" for FFmpeg's "h264"). */
static const char *
ck_codec(const char *ff)
{
	return strcmp(ff, "h264") == 0 ? "H.264" : strcmp(ff, "hevc") == 0 ?
	    "H.265" : strcmp(ff, "mjpeg") == 0 ? "MJPEG" : ff;
}

/* "H.264 1920x1080 15.0 fps 3.9 Mbit/s GOP 30, picture in 0.4 s", after
 * what differs from the settings (first: a narrow screen clips the end). */
static char *
ck_describe(const struct vg_stream_probe *p)
{
	char *s = xstrdup(""), *t, gop[32] = "";
	size_t i;

	for (i = 0; i < p->nmismatch; i++) {
		/* TRANSLATORS: field, configured value, measured value */
		xasprintf(&t, _("%s%s: %s configured, %s measured; "), s,
		    vg_stream_field_text(p->mismatch[i].field),
		    p->mismatch[i].expected, p->mismatch[i].measured);
		free(s);
		s = t;
	}
	if (p->gop > 0)
		snprintf(gop, sizeof gop, " GOP %d", p->gop);
	/* TRANSLATORS: what went before, codec, width, height, measured
	 * fps, Mbit/s, " GOP n" (or nothing), seconds to the first picture */
	xasprintf(&t, _("%s%s %dx%d %.1f fps %.1f Mbit/s%s, picture in %.1f s"),
	    s, ck_codec(p->codec), p->width, p->height, p->fps,
	    p->bitrate_bps / 1e6, gop, p->first_picture_us > 0 ?
	    p->first_picture_us / 1e6 : 0.0);
	free(s);
	s = t;
	if (p->browser == VG_BROWSER_WARN || p->browser == VG_BROWSER_NO) {
		xasprintf(&t, "%s; %s", s, p->browser == VG_BROWSER_WARN ?
		    _("only some browsers play it") : _("browsers cannot play "
		    "it"));
		free(s);
		s = t;
	}
	return s;
}

/* Check one camera (an item of the job). */
static void
ck_one(void *arg, size_t i)
{
	struct ck_run *r = arg;
	const struct vg_camera *cam = &r->cfg->cameras[i];
	struct ck_row *row = &r->rows[i];
	struct vg_onvif_camera_stream cs;
	struct vg_stream_opts o;
	struct vg_stream_expect exp;
	struct vg_stream_probe p;
	enum vg_onvif_class oc;
	char *cause = NULL, *line;
	int err;

	if (row->locked) {
		err = VG_ERR_AUTH;
		line = xstrdup(_("locked: password not known (Back to "
		    "Passwords)"));
		goto out;
	}
	err = vg_onvif_camera_stream(cam, &cs, &oc, &cause);
	if (err != VG_OK) {
		line = xstrdup(err == VG_ERR_NOTFOUND ? _("no media profile "
		    "with a video encoder for the recorded stream") :
		    vg_onvif_class_text(oc));
		goto out;
	}
	memset(&o, 0, sizeof o);
	o.user = cam->credentials.user;
	o.password = cam->credentials.password.value;
	o.cancel = wizard_job_cancel_flag(r->job);
	vg_stream_expect_from_encoder(&exp, &cam->encoder);
	memset(&p, 0, sizeof p);
	free(cause);
	cause = NULL;
	err = vg_stream_probe(cs.stream_uri, &o, CHECK_SECONDS, &exp, &p,
	    &cause);
	if (err != VG_OK)
		line = xstrdup(vg_stream_class_text(p.cls));
	else
		line = ck_describe(&p);
	pthread_mutex_lock(&ck.lock);
	row->uri = cs.stream_uri;
	cs.stream_uri = NULL;
	pthread_mutex_unlock(&ck.lock);
	vg_onvif_camera_stream_clear(&cs);
	if (err == VG_OK && p.nmismatch > 0)
		err = VG_ERR_PROTO;
out:
	if (cause != NULL)
		log_info("wizard: check %s: %s", cam->name, cause);
	free(cause);
	pthread_mutex_lock(&ck.lock);
	free(row->line);
	row->line = line;
	row->bad = err != VG_OK;
	row->done = true;
	pthread_mutex_unlock(&ck.lock);
}

/* Its name, for the progress box. */
static const char *
ck_name(void *arg, size_t i)
{
	struct ck_run *r = arg;

	return r->cfg->cameras[i].name;
}

static int
ck_worker(struct wizard_job *job)
{
	struct ck_run *r = job->arg;

	r->job = job;
	wizard_job_each(job, r->n, CHECK_WORKERS, ck_one, ck_name, r);
	return wizard_job_cancelled(job) ? VG_ERR_CANCELLED : VG_OK;
}

static void
ck_start(struct wizard *w)
{
	struct ck_run *r = xcalloc(1, sizeof *r);
	size_t i;

	check_forget();
	ck.of = vg_config_dup(w->draft);
	r->cfg = vg_config_dup(w->draft);
	r->n = r->cfg->ncameras;
	pthread_mutex_lock(&ck.lock);
	ck.rows = xcalloc(r->n, sizeof *ck.rows);
	ck.n = r->n;
	for (i = 0; i < r->n; i++) {
		ck.rows[i].name = xstrdup(r->cfg->cameras[i].name);
		ck.rows[i].locked = wdraft_camera_locked(&w->cams,
		    ck.rows[i].name);
	}
	pthread_mutex_unlock(&ck.lock);
	r->rows = ck.rows;	/* filled under ck.lock */
	ck.ran = true;
	wizard_job_start(w, wizard_job_thread(_("Checking the streams"),
	    ck_worker, r, true));
}

static void
ck_done(struct wizard *w, struct wizard_job *job)
{
	struct ck_run *r = job->arg;
	size_t i, bad = 0, ok = 0;

	job->arg = NULL;
	vg_config_free(r->cfg);
	free(r);
	pthread_mutex_lock(&ck.lock);
	for (i = 0; i < ck.n; i++) {
		if (!ck.rows[i].done) {
			free(ck.rows[i].line);
			ck.rows[i].line = xstrdup(_("not checked"));
			ck.rows[i].bad = true;
		}
		bad += ck.rows[i].bad;
		ok += !ck.rows[i].bad;
	}
	pthread_mutex_unlock(&ck.lock);
	if (job->result == VG_ERR_CANCELLED)
		wizard_status(w, true, "%s", _("Check cancelled; r checks "
		    "again."));
	else if (bad > 0)
		/* TRANSLATORS: one line of at most 78 columns */
		wizard_status(w, true, P_("%zu camera needs a look (see its "
		    "line).  Enter: picture; r: check again.", "%zu cameras "
		    "need a look (see their lines).  Enter: picture; r: check "
		    "again.", bad), bad);
	else
		wizard_status(w, false, P_("The camera sends what it was told.  "
		    "Enter shows its picture.", "All %zu cameras send what they "
		    "were told.  Enter shows a picture.", ok), ok);
}

/* ---- the screen ------------------------------------------------------------ */

/* Start the live picture of row i. */
static void
ck_picture_start(struct wizard *w, int i)
{
	const struct vg_camera *cam;
	struct vg_stream_opts o;
	char *cause = NULL;

	ck_picture_stop();
	if (i < 0 || (size_t)i >= ck.n || ck.rows[i].uri == NULL) {
		wizard_status(w, true, "%s", _("This camera gave no stream to "
		    "show."));
		return;
	}
	cam = vg_config_find_camera(w->draft, ck.rows[i].name);
	memset(&o, 0, sizeof o);
	if (cam != NULL) {
		o.user = cam->credentials.user;
		o.password = cam->credentials.password.value;
	}
	if (vg_preview_start(ck.rows[i].uri, &o, &ck.pv, &cause) != VG_OK) {
		wizard_status(w, true, _("The picture cannot be shown: %s"),
		    cause != NULL ? cause : "?");
		free(cause);
		return;
	}
	ck.pv_row = i;
	ck.mode = widget_picture_best_mode();
	ck.pv_cols = ck.pv_rows = 0;
	wizard_status(w, false, "%s", _("Enter or Esc closes the picture."));
}

static void
ck_enter(struct wizard *w)
{
	if (w->job != NULL)
		return;
	if (w->draft->ncameras > 0 && (!ck.ran || ck.of == NULL ||
	    !vg_config_equal(ck.of, w->draft)))
		ck_start(w);
}

/* Leaving the step closes the picture; a new layout (the terminal was
 * resized) keeps it and asks for pictures of the new size. */
static void
ck_leave(struct wizard *w)
{
	(void)w;
	if (ck.pv != NULL && (LINES != ck.lines || COLS != ck.cols)) {
		ck.pv_cols = ck.pv_rows = 0;
		return;
	}
	ck_picture_stop();
}

/* The live picture with a line of what it is. */
static void
ck_draw_picture(struct wizard *w)
{
	WINDOW *b = w->body;
	int W = getmaxx(b), H = getmaxy(b), y, x;
	char *line;

	if (W != ck.pv_cols || H - 1 != ck.pv_rows) {
		ck.pv_cols = W;
		ck.pv_rows = H - 1;
		vg_preview_set_size(ck.pv, W, H - 1 > 0 ? H - 1 : 1, ck.mode);
	}
	if (ck.st.state == VG_PREVIEW_CONNECTING)
		/* TRANSLATORS: %s is a camera name */
		xasprintf(&line, _("%s: connecting..."),
		    ck.rows[ck.pv_row].name);
	else if (ck.st.state == VG_PREVIEW_FAILED)
		xasprintf(&line, "%s: %s", ck.rows[ck.pv_row].name,
		    vg_stream_class_text(ck.st.cls));
	else
		/* TRANSLATORS: camera, codec, width, height, fps received */
		xasprintf(&line, _("%s: %s %dx%d %.1f fps"),
		    ck.rows[ck.pv_row].name, ck_codec(ck.st.codec), ck.st.width,
		    ck.st.height, ck.st.fps);
	wattron(b, A_BOLD);
	ui_put_clipped(b, 0, 1, line, W - 2);
	wattroff(b, A_BOLD);
	free(line);
	if (ck.pic.cells != NULL) {
		y = 1 + (H - 1 - ck.pic.height) / 2;
		x = (W - ck.pic.width) / 2;
		widget_picture_draw(b, y < 1 ? 1 : y, x < 0 ? 0 : x, &ck.pic);
	} else if (ck.st.state != VG_PREVIEW_FAILED)
		ui_wrap(b, H / 2, 1, W - 2, 1, _("Waiting for the first "
		    "picture..."), tui_attr(UI_PAIR_DIM));
}

/* The check row of camera name, or -1 (call under ck.lock). */
static int
ck_row_of(const char *name)
{
	size_t i;

	for (i = 0; i < ck.n; i++)
		if (strcmp(ck.rows[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The STREAM column of draft camera i. */
static char *
ck_cell(void *arg, size_t i, int col)
{
	struct wizard *w = arg;
	const struct ck_row *r;
	char *s;
	int k;

	(void)col;
	if (i >= w->draft->ncameras)
		return xstrdup("");
	pthread_mutex_lock(&ck.lock);
	k = ck_row_of(w->draft->cameras[i].name);
	r = k >= 0 ? &ck.rows[k] : NULL;
	s = xstrdup(r == NULL ? "" : r->line != NULL ? r->line : r->done ?
	    "" : _("checking..."));
	pthread_mutex_unlock(&ck.lock);
	return s;
}

/* A camera that failed or differs: red. */
static int
ck_row_attr(void *arg, size_t i)
{
	struct wizard *w = arg;
	int k, a = A_NORMAL;

	if (i >= w->draft->ncameras)
		return a;
	pthread_mutex_lock(&ck.lock);
	k = ck_row_of(w->draft->cameras[i].name);
	if (k >= 0 && ck.rows[k].bad)
		a = tui_attr(UI_PAIR_ERROR);
	pthread_mutex_unlock(&ck.lock);
	return a;
}

/* The table's columns, for w. */
static void
ck_table_setup(struct wizard *w)
{
	ck.table.nextra = 1;
	ck.table.extra_head[0] = _("STREAM");
	ck.table.extra_cell = ck_cell;
	ck.table.row_attr = ck_row_attr;
	ck.table.arg = w;
}

static void
ck_draw(struct wizard *w)
{
	WINDOW *b = w->body;
	int W = getmaxx(b) - 2, H = getmaxy(b), y = 0;
	struct wdraft_cams view;
	char *cell, *line;
	size_t cur;

	werase(b);
	ck.lines = LINES;
	ck.cols = COLS;
	if (ck.pv != NULL) {
		ck_draw_picture(w);
		return;
	}
	if (w->draft->ncameras == 0) {
		ui_wrap(b, 1, 1, W, 3, _("No camera is configured: nothing to "
		    "check.  Next goes on."), tui_attr(UI_PAIR_DIM));
		return;
	}
	y += ui_wrap(b, y, 1, W, 2, _("Each camera's stream, measured for a "
	    "few seconds and compared with its settings.  Enter: picture.  "
	    "r: check again."), A_NORMAL);
	y++;
	/* a row per camera; the stream line gets what the other columns
	 * leave (cut with "…"), and the current camera's whole under the
	 * table */
	ck_table_setup(w);
	wdraft_cams_view(w->draft, &w->cams, &view);
	ui_camtable_draw(&ck.table, b, y, 1, H - y - 2, W, &view, true);
	/* the line of the camera under the cursor, whole */
	cur = ui_camtable_current(&ck.table, &view);
	if (cur < view.n) {
		cell = ck_cell(w, cur, 0);
		if (*cell != '\0') {
			xasprintf(&line, "%s: %s", view.v[cur].camera, cell);
			ui_wrap(b, H - 2, 1, W, 2, line, ck_row_attr(w, cur) |
			    A_BOLD);
			free(line);
		}
		free(cell);
	}
	wdraft_view_clear(&view);
}

static int
ck_key(struct wizard *w, int ch, bool is_key)
{
	bool enter = (!is_key && (ch == '\r' || ch == '\n')) ||
	    (is_key && ch == KEY_ENTER);
	struct wdraft_cams view;
	size_t cur;
	int k;

	if (ck.pv != NULL) {
		if (enter || (!is_key && (ch == 27 || ch == 'q'))) {
			ck_picture_stop();
			wizard_status(w, false, NULL);
			return WK_HANDLED;
		}
		return WK_UNHANDLED;
	}
	ck_table_setup(w);
	wdraft_cams_view(w->draft, &w->cams, &view);
	if (ui_camtable_key(&ck.table, ch, is_key, &view) == WK_HANDLED) {
		wdraft_view_clear(&view);
		return WK_HANDLED;
	}
	cur = ui_camtable_current(&ck.table, &view);
	wdraft_view_clear(&view);
	if (enter && cur < w->draft->ncameras) {
		pthread_mutex_lock(&ck.lock);
		k = ck_row_of(w->draft->cameras[cur].name);
		pthread_mutex_unlock(&ck.lock);
		ck_picture_start(w, k);
	} else if (!is_key && ch == 'r' && w->draft->ncameras > 0)
		ck_start(w);
	else
		return WK_UNHANDLED;
	return WK_HANDLED;
}

/* Poll the live picture. */
static bool
ck_tick(struct wizard *w)
{
	(void)w;
	if (ck.pv == NULL)
		return false;
	vg_preview_take(ck.pv, &ck.pic, &ck.st);
	return true;
}

/* Next: fine when every camera passed; ask when some did not. */
static bool
ck_validate(struct wizard *w)
{
	const char *buttons[] = { _("Go on"), _("Stay") };
	size_t i, bad = 0;
	char *text;
	bool go;

	ck_picture_stop();
	if (w->draft->ncameras == 0)
		return true;
	if (!ck.ran || ck.of == NULL || !vg_config_equal(ck.of, w->draft)) {
		ck_start(w);
		return false;
	}
	for (i = 0; i < ck.n; i++)
		bad += ck.rows[i].bad;
	if (bad == 0)
		return true;
	xasprintf(&text, P_("%zu camera did not pass the check.  Go on "
	    "anyway?", "%zu cameras did not pass the check.  Go on anyway?",
	    bad), bad);
	go = ui_dialog(&w->modal, _("Camera check"), text, buttons, 2, 1,
	    false) == 0;
	free(text);
	return go;
}

const struct wizard_step step_check = {
	.id = "check",
	.title = N_("Camera check"),
	.help = N_("Every camera is asked for the stream vigia records, and "
	    "the stream is measured for a few seconds: codec, size, frame "
	    "rate, bitrate and keyframe interval, compared with the encoder "
	    "settings, and whether a browser can play it (Label Studio's "
	    "player).  Up and Down select a camera; Enter shows its live "
	    "picture, drawn with text cells; Enter or Esc closes it.  r checks "
	    "again.  PgUp/PgDn scroll the list, / filters it."),
	.enter = ck_enter,
	.draw = ck_draw,
	.key = ck_key,
	.leave = ck_leave,
	.validate = ck_validate,
	.job_done = ck_done,
	.tick = ck_tick,
};
