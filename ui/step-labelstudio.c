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

/* The live test's own copy of the draft and its report. */
struct ls_test {
	struct vg_config *cfg;
	char *report;
};

/* One line of the report: translated step, outcome, English detail. */
static void
ls_test_item(void *opaque, const struct vg_ls_check_item *it)
{
	static const char *const mark[] = { N_("ok"), N_("warning"),
	    N_("FAILED"), N_("skipped") };
	struct ls_test *t = opaque;
	char *line;

	xasprintf(&line, "%s%s: %s. %s", t->report ? t->report : "",
	    _(it->what), _(mark[it->status]), it->detail ? it->detail : "");
	free(t->report);
	xasprintf(&t->report, "%s\n", line);
	free(line);
}

/* The job: the whole check, cancellable. */
static int
ls_test_worker(struct wizard_job *job)
{
	struct ls_test *t = job->arg;
	struct vg_ls_check_opts o;
	char *cors = NULL, *r;
	int err;

	memset(&o, 0, sizeof o);
	o.cancel = wizard_job_cancel_flag(job);
	err = vg_ls_check(t->cfg, &o, ls_test_item, t, &cors);
	if (cors != NULL) {
		xasprintf(&r, "%s\n%s\n%s", t->report ? t->report : "",
		    _("The bucket must allow Label Studio's origin (CORS): see "
		    "'vigia test labelstudio'."), "");
		free(t->report);
		t->report = r;
		free(cors);
	}
	if (wizard_job_cancelled(job))
		return VG_ERR_CANCELLED;
	return err;
}

/* F5 tests the settings; every other key goes to the page. */
static int
ls_key(struct wizard *w, int ch, bool is_key)
{
	struct ls_test *t;

	if (!is_key || ch != KEY_F(5) || w->job != NULL)
		return page_key(w, ch, is_key);
	if (!w->draft->label_studio.enabled) {
		wizard_status(w, true, "%s", _("Switch \"Create tasks\" on "
		    "first."));
		return WK_HANDLED;
	}
	t = xcalloc(1, sizeof *t);
	t->cfg = vg_config_dup(w->draft);
	wizard_job_start(w, wizard_job_thread(_("Testing Label Studio"),
	    ls_test_worker, t, true));
	return WK_HANDLED;
}

/* The test ended: its report in a dialog. */
static void
ls_job_done(struct wizard *w, struct wizard_job *job)
{
	struct ls_test *t = job->arg;
	const char *ok[] = { _("Close") };

	if (job->result != VG_ERR_CANCELLED)
		ui_dialog(&w->modal, job->result == 0 ?
		    _("Label Studio: everything works") :
		    _("Label Studio: something failed"), t->report ?
		    t->report : vg_strerror(job->result), ok, 1, 0,
		    job->result != 0);
	vg_config_free(t->cfg);
	free(t->report);
	free(t);
}

/* On entering: say that F5 tests. */
static void
ls_enter(struct wizard *w)
{
	page_enter(w);
	wizard_status(w, false, "%s", _("F5 tests Label Studio with these "
	    "settings."));
}

const struct wizard_step step_label_studio = {
	.id = "label-studio",
	.title = N_("Label Studio"),
	.help = N_("Give the server's URL and an access token (Account & "
	    "Settings in Label Studio: a legacy token or a personal access "
	    "token).  The project is found by title or id.  Tasks point at "
	    "the video with a presigned URL, or with s3:// when Label Studio "
	    "has its own S3 storage."),
	.page = &ls_page,
	.enter = ls_enter,
	.key = ls_key,
	.job_done = ls_job_done,
};
