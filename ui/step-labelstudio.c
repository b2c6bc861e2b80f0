/* step-labelstudio.c - Label Studio: where labeling tasks are created.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fields and validation; F5 runs the live test (vg_ls_check: server,
 * token, project, label config, storage) in a job and shows its report.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "libvigia.h"
#include "wizard.h"

#define L struct vg_label_studio

/* The Label Studio section of the draft. */
static void *
ls_base(struct wizard *w)
{
	return &w->draft->label_studio;
}

/* Everything but the switch is hidden while it is off. */
static bool
ls_on(struct wizard *w)
{
	return w->draft->label_studio.enabled;
}

static const char *const ls_token_types[] = {
	N_("Guess from the token"), N_("Legacy token"),
	N_("Personal access token"), NULL,
};
static const char *const ls_video_refs[] = {
	N_("Presigned HTTPS URL"), N_("s3:// (Label Studio S3 storage)"), NULL,
};

static const struct ui_field ls_fields[] = {
	{ .kind = UI_CHECK, .vtype = UV_BOOL, .off = offsetof(L, enabled),
	    .path = "label_studio.enabled", .label = N_("Create tasks"),
	    .hint = N_("Space switches it: every uploaded segment becomes a "
		"labeling task.  Needs an S3 storage target.") },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(L, url),
	    .path = "label_studio.url", .label = N_("URL"), .shown = ls_on,
	    .hint = N_("Such as https://labelstudio.example.com.") },
	{ .kind = UI_SECRET, .vtype = UV_SECRET, .off = offsetof(L, token),
	    .path = "label_studio.token", .label = N_("Token"),
	    .shown = ls_on },
	{ .kind = UI_CHOICE, .vtype = UV_ENUM, .off = offsetof(L, token_type),
	    .path = "label_studio.token_type", .label = N_("Token type"),
	    .choices = ls_token_types, .shown = ls_on },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(L, project_title),
	    .path = "label_studio.project_title",
	    .alias = "label_studio.project_id", .label = N_("Project title"),
	    .shown = ls_on,
	    .hint = N_("Found or created by this title, unless a project id "
		"is given.") },
	{ .kind = UI_NUMBER, .vtype = UV_INT, .off = offsetof(L, project_id),
	    .path = "label_studio.project_id", .label = N_("Project id"),
	    .shown = ls_on, .flags = UF_ZERO_EMPTY,
	    .hint = N_("Optional: the number in the project's URL.") },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(L, label_config),
	    .path = "label_studio.label_config",
	    .label = N_("Labeling template"), .shown = ls_on,
	    .hint = N_("A template name such as video-tracking, or the "
		"absolute path of an .xml file.") },
	{ .kind = UI_CHOICE, .vtype = UV_ENUM, .off = offsetof(L, video_ref),
	    .path = "label_studio.video_ref", .label = N_("Video links"),
	    .choices = ls_video_refs, .shown = ls_on },
	{ .kind = UI_CHECK, .vtype = UV_BOOL, .off = offsetof(L, insecure),
	    .path = "label_studio.insecure", .label = N_("Skip TLS checks"),
	    .shown = ls_on,
	    .hint = N_("Only for tests: the server's certificate is not "
		"checked.") },
};

static const char *const ls_scope[] = { "label_studio", NULL };

static const struct ui_page_def ls_page = {
	.intro = N_("Label Studio turns every uploaded segment into a "
	    "labeling task.  Leave it off to only record and upload."),
	.fields = ls_fields,
	.nfields = sizeof ls_fields / sizeof ls_fields[0],
	.base = ls_base,
	.scope = ls_scope,
};

/* A job of this step; the worker owns it until it ends. */
struct ls_job {
	enum { LS_TEST, LS_LIST, LS_MAKE } kind;
	struct vg_config *cfg;		/* a copy of the draft */
	char *report;			/* LS_TEST */
	struct vg_ls_project_info *v;	/* LS_LIST */
	size_t n;
	char *title, *tmpl;		/* LS_MAKE */
	double fps;
	int id;
	bool created;
	char *cause;			/* English */
};

static void
ls_job_free(struct ls_job *t)
{
	vg_config_free(t->cfg);
	free(t->report);
	vg_ls_projects_free(t->v, t->n);
	free(t->title);
	free(t->tmpl);
	free(t->cause);
	free(t);
}

/* One line of the report: translated step, outcome, English detail. */
static void
ls_test_item(void *opaque, const struct vg_ls_check_item *it)
{
	static const char *const mark[] = { N_("ok"), N_("warning"),
	    N_("FAILED"), N_("skipped") };
	struct ls_job *t = opaque;
	char *line;

	xasprintf(&line, "%s%s: %s. %s", t->report ? t->report : "",
	    _(it->what), _(mark[it->status]), it->detail ? it->detail : "");
	free(t->report);
	xasprintf(&t->report, "%s\n", line);
	free(line);
}

/* The job: the whole check with a probe video in the bucket. */
static int
ls_test_worker(struct wizard_job *job)
{
	struct ls_job *t = job->arg;
	struct vg_ls_check_opts o;
	char *cors = NULL, *r;
	int err;

	memset(&o, 0, sizeof o);
	o.cancel = wizard_job_cancel_flag(job);
	o.probe_upload = true;
	err = vg_ls_check(t->cfg, &o, ls_test_item, t, &cors);
	if (cors != NULL) {
		xasprintf(&r, "%s\n%s", t->report ? t->report : "",
		    _("The bucket must allow Label Studio's origin (CORS): "
		    "'vigia test labelstudio' prints the CORS configuration "
		    "to apply."));
		free(t->report);
		t->report = r;
		free(cors);
	}
	if (wizard_job_cancelled(job))
		return VG_ERR_CANCELLED;
	return err;
}

/* The job: the projects the token sees. */
static int
ls_list_worker(struct wizard_job *job)
{
	struct ls_job *t = job->arg;

	return vg_ls_projects_list(&t->cfg->label_studio,
	    wizard_job_cancel_flag(job), &t->v, &t->n, &t->cause);
}

/* The job: a project from a template. */
static int
ls_make_worker(struct wizard_job *job)
{
	struct ls_job *t = job->arg;

	return vg_ls_project_create(t->cfg, t->title, t->tmpl, t->fps,
	    wizard_job_cancel_flag(job), &t->id, &t->created, &t->cause);
}

/* Start a job of kind k on a copy of the draft. */
static struct ls_job *
ls_job_new(struct wizard *w, int kind)
{
	struct ls_job *t = xcalloc(1, sizeof *t);

	t->kind = kind;
	t->cfg = vg_config_dup(w->draft);
	return t;
}

/* The frame rate in words. */
static char *
ls_fps_text(double fps)
{
	char *s;

	if (fps > 0)
		xasprintf(&s, _("%g frames per second"), fps);
	else
		s = xstrdup(_("each task's own frame rate"));
	return s;
}

/* F5 tests the settings, F6 lists the projects; the rest goes to the
 * page. */
static int
ls_key(struct wizard *w, int ch, bool is_key)
{
	const struct vg_label_studio *l = &w->draft->label_studio;
	struct ls_job *t;

	if (!is_key || (ch != KEY_F(5) && ch != KEY_F(6)) || w->job != NULL)
		return page_key(w, ch, is_key);
	if (!l->enabled) {
		wizard_status(w, true, "%s", _("Switch \"Create tasks\" on "
		    "first."));
		return WK_HANDLED;
	}
	if (l->url == NULL || l->token.value == NULL) {
		wizard_status(w, true, "%s", _("Give the URL and the token "
		    "first."));
		return WK_HANDLED;
	}
	if (ch == KEY_F(5)) {
		t = ls_job_new(w, LS_TEST);
		wizard_job_start(w, wizard_job_thread(_("Testing Label "
		    "Studio"), ls_test_worker, t, true));
	} else {
		t = ls_job_new(w, LS_LIST);
		wizard_job_start(w, wizard_job_thread(_("Listing the Label "
		    "Studio projects"), ls_list_worker, t, true));
	}
	return WK_HANDLED;
}

/* The projects are listed: pick one, or make one from a template. */
static void
ls_pick(struct wizard *w, struct ls_job *t)
{
	struct vg_label_studio *l = &w->draft->label_studio;
	char **tmpls = vg_ls_template_names(), **labels;
	size_t nt = 0, i, n;
	int k, cur = 0;

	while (tmpls[nt] != NULL)
		nt++;
	n = t->n + nt;
	labels = xcalloc(n + 1, sizeof *labels);
	for (i = 0; i < t->n; i++) {
		/* TRANSLATORS: a project in a menu: id, title, tasks */
		xasprintf(&labels[i], P_("#%d %s (%d task)",
		    "#%d %s (%d tasks)", t->v[i].tasks), t->v[i].id,
		    t->v[i].title, t->v[i].tasks);
		if (t->v[i].id == l->project_id)
			cur = (int)i;
	}
	for (i = 0; i < nt; i++)
		xasprintf(&labels[t->n + i], _("New project \"%s\" from the "
		    "%s template"), l->project_title ? l->project_title : "",
		    tmpls[i]);
	k = n > 0 ? ui_menu_pick(&w->modal, _("Label Studio projects"),
	    (const char *const *)labels, (int)n, cur) : -1;
	if (k >= 0 && (size_t)k < t->n) {
		l->project_id = t->v[k].id;
		free(l->project_title);
		l->project_title = xstrdup(t->v[k].title);
		wizard_changed(w);
		page_rebuild(w);
		wizard_status(w, false, _("Project #%d \"%s\" chosen."),
		    t->v[k].id, t->v[k].title);
	} else if (k >= 0) {
		struct ls_job *m = ls_job_new(w, LS_MAKE);

		m->title = xstrdup(l->project_title ? l->project_title : "");
		m->tmpl = xstrdup(tmpls[k - (int)t->n]);
		m->fps = vg_ls_wizard_fps(w->draft);
		wizard_job_start(w, wizard_job_thread(_("Creating the Label "
		    "Studio project"), ls_make_worker, m, true));
	}
	for (i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	for (i = 0; i < nt; i++)
		free(tmpls[i]);
	free(tmpls);
}

/* A job ended: its report, the project menu, or the new project. */
static void
ls_job_done(struct wizard *w, struct wizard_job *job)
{
	struct ls_job *t = job->arg;
	struct vg_label_studio *l = &w->draft->label_studio;
	const char *ok[] = { _("Close") };
	char *text, *fps;

	job->arg = NULL;
	if (job->result == VG_ERR_CANCELLED) {
		wizard_status(w, true, "%s", _("Cancelled."));
	} else if (t->kind == LS_TEST) {
		ui_dialog(&w->modal, job->result == 0 ?
		    _("Label Studio: everything works") :
		    _("Label Studio: something failed"), t->report ?
		    t->report : vg_strerror(job->result), ok, 1, 0,
		    job->result != 0);
	} else if (job->result != 0) {
		xasprintf(&text, "%s%s%s", vg_strerror(job->result),
		    t->cause ? ": " : "", t->cause ? t->cause : "");
		ui_dialog(&w->modal, t->kind == LS_LIST ?
		    _("Cannot list the projects") :
		    _("Cannot create the project"), text, ok, 1, 0, true);
		free(text);
	} else if (t->kind == LS_LIST) {
		ls_pick(w, t);
	} else {
		l->project_id = t->id;
		free(l->label_config);
		l->label_config = xstrdup(t->tmpl);
		wizard_changed(w);
		page_rebuild(w);
		fps = ls_fps_text(t->fps);
		if (t->created)
			wizard_status(w, false, _("Project #%d \"%s\" created "
			    "from %s, at %s."), t->id, t->title, t->tmpl,
			    fps);
		else
			wizard_status(w, false, _("A project titled \"%s\" "
			    "exists already: #%d is used as it is."),
			    t->title, t->id);
		free(fps);
	}
	ls_job_free(t);
}

/* On entering: say what F5 and F6 do. */
static void
ls_enter(struct wizard *w)
{
	page_enter(w);
	wizard_status(w, false, "%s", _("F5 tests Label Studio; F6 picks "
	    "or creates the project."));
}

const struct wizard_step step_label_studio = {
	.id = "label-studio",
	.title = N_("Label Studio"),
	.help = N_("Give the server's URL and an access token (Account & "
	    "Settings in Label Studio: a legacy token or a personal access "
	    "token).  The project is found by title or id.  Tasks point at "
	    "the video with a presigned URL, or with s3:// when Label Studio "
	    "has its own S3 storage.  F5 tests the server, the token, the "
	    "project and the label config, and puts a small probe video into "
	    "the bucket to see it as a browser does (range requests, CORS).  "
	    "F6 lists the projects to pick one, or creates one titled as the "
	    "Project title field from a template, at the cameras' frame "
	    "rate."),
	.page = &ls_page,
	.enter = ls_enter,
	.key = ls_key,
	.job_done = ls_job_done,
};
