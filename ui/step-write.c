/* step-write.c - write the configuration, then say what comes next.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole draft must pass vg_config_validate() (and the wizard's own
 * checks) before it is written.  Writing runs as a wizard job: the worker
 * saves a copy of the draft with vg_config_save() (atomic, mode 0600), so
 * a slow disk never freezes the screen.  An existing file is replaced
 * only after the technician agrees.
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "wizard.h"

/* What the worker gets: its own copy of the draft and the path. */
struct write_arg {
	struct vg_config *cfg;
	char *path;
};

/* The target file, as a field. */
static char *
wr_get_target(struct wizard *w)
{
	return xstrdup(w->target != NULL ? w->target : "");
}

static void
wr_set_target(struct wizard *w, const char *text)
{
	free(w->target);
	w->target = xstrdup(text);
	w->overwrite_ok = false;
}

/* The worker: create the directory, save atomically. */
static int
wr_worker(struct wizard_job *job)
{
	struct write_arg *a = job->arg;
	int err;

	wizard_job_progress(job, -1, a->path);
	err = wdraft_mkdirs(a->path, &job->cause);
	if (err == 0)
		err = vg_config_save(a->cfg, a->path, &job->cause);
	return err;
}

/* One summary line, "label: value", into win; returns rows used. */
static int
wr_line(WINDOW *win, int y, int width, const char *label, const char *value)
{
	char *s;
	int r;

	xasprintf(&s, "%s: %s", label, value != NULL ? value : "-");
	r = ui_wrap(win, y, 3, width - 2, 1, s, A_NORMAL);
	free(s);
	return r;
}

/* What will be written, and the problems that block it. */
static int
wr_extra(struct wizard *w, WINDOW *win, int y, int h, int width)
{
	const struct vg_config *c = w->draft;
	const struct vg_storage *st = &c->storage[w->storage_i];
	static const char *const types[] = { "S3", "SFTP", "FTP", "FTPS",
	    NULL };
	int y0 = y;
	size_t i;
	char *line;

	if (w->diags.n > 0) {
		ui_wrap(win, y++, 1, width, 1, P_("This problem must be fixed "
		    "first:", "These problems must be fixed first:",
		    w->diags.n), tui_attr(UI_PAIR_ERROR) | A_BOLD);
		for (i = 0; i < w->diags.n && y < y0 + h; i++) {
			line = vg_diag_format(&w->diags.v[i]);
			y += ui_wrap(win, y, 3, width - 2, y0 + h - y, line,
			    tui_attr(UI_PAIR_ERROR));
			free(line);
		}
		return y - y0;
	}
	ui_wrap(win, y++, 1, width, 1, _("This will be written:"), A_BOLD);
	y += wr_line(win, y, width, _("Site id"), c->site.id);
	y += wr_line(win, y, width, _("Recorder (NVR)"),
	    c->nvr.mode == VG_NVR_FTP ? c->nvr.address : "vigiad");
	y += wr_line(win, y, width, _("Storage target"),
	    st->type == VG_STORAGE_LOCAL ? st->path : types[st->type]);
	y += wr_line(win, y, width, _("Label Studio"), c->label_studio.enabled ?
	    c->label_studio.url : _("off"));
	xasprintf(&line, "%zu", c->ncameras);
	y += wr_line(win, y, width, _("Cameras"), line);
	free(line);
	return y - y0;
}

static const struct ui_field wr_fields[] = {
	{ .kind = UI_TEXT, .vtype = UV_CUSTOM, .label = N_("File"),
	    .get_text = wr_get_target, .set_text = wr_set_target,
	    .hint = N_("Written atomically with mode 0600: it holds "
		"passwords.  ^N writes it.") },
};

static const char *const wr_scope[] = { "", NULL };

static const struct ui_page_def wr_page = {
	.intro = N_("Write the configuration file that vigiad and 'vigia "
	    "--apply' read."),
	.fields = wr_fields,
	.nfields = 1,
	.scope = wr_scope,
	.extra = wr_extra,
};

/* Next writes: check everything, ask before replacing, start the job. */
static bool
wr_validate(struct wizard *w)
{
	const char *buttons[] = { _("Replace it"), _("Cancel") };
	struct write_arg *a;
	struct stat st;
	char *text;

	if (!page_validate(w))
		return false;
	if (w->target == NULL || *w->target == '\0') {
		wizard_status(w, true, "%s", _("Give the file to write."));
		return false;
	}
	if (!w->overwrite_ok && stat(w->target, &st) == 0) {
		xasprintf(&text, _("%s already exists.  Replace it with this "
		    "configuration?"), w->target);
		w->overwrite_ok = ui_dialog(&w->modal, _("Replace the file?"),
		    text, buttons, 2, 1, false) == 0;
		free(text);
		if (!w->overwrite_ok)
			return false;
	}
	a = xcalloc(1, sizeof *a);
	a->cfg = vg_config_dup(w->draft);
	a->path = xstrdup(w->target);
	wizard_job_start(w, wizard_job_thread(_("Writing the configuration"),
	    wr_worker, a, false));
	return false;	/* job_done moves on */
}

/* The file is written (or not). */
static void
wr_done(struct wizard *w, struct wizard_job *job)
{
	struct write_arg *a = job->arg;
	const char *ok[] = { _("Close") };
	char *text;

	if (job->result == 0) {
		free(w->written);
		w->written = xstrdup(a->path);
		log_notice("wizard: configuration written to %s", a->path);
		wizard_drop_draft(w);
		wizard_status(w, false, NULL);
		wizard_goto(w, &step_summary);
	} else {
		xasprintf(&text, _("The configuration could not be written: "
		    "%s"), job->cause != NULL ? job->cause :
		    vg_strerror(job->result));
		ui_dialog(&w->modal, _("Error"), text, ok, 1, 0, true);
		free(text);
	}
	vg_config_free(a->cfg);
	free(a->path);
	free(a);
}

const struct wizard_step step_write = {
	.id = "write",
	.title = N_("Write the configuration"),
	.help = N_("The configuration is written to a temporary file in the "
	    "same directory, synced and renamed over the target, with mode "
	    "0600.  If the file exists you are asked first.  The saved draft "
	    "is removed once the file is written."),
	.page = &wr_page,
	.validate = wr_validate,
	.job_done = wr_done,
	.next_label = N_("Write"),
};

/* What to do next. */
static void
sum_enter(struct wizard *w)
{
	WINDOW *b = w->body;
	int W = getmaxx(b) - 2, H = getmaxy(b), y = 1;
	char *s;

	werase(b);
	if (w->written == NULL) {
		ui_wrap(b, y, 1, W, 2, _("Nothing is written yet: go back to "
		    "the previous step."), A_BOLD);
		return;
	}
	xasprintf(&s, _("The configuration is written to %s (mode 0600)."),
	    w->written);
	y += ui_wrap(b, y, 1, W, 3, s, A_BOLD) + 1;
	free(s);
	y += ui_wrap(b, y, 1, W, 1, _("What to do next:"), A_NORMAL);
	xasprintf(&s, _("1. Check it at any time: vigia config check %s"),
	    w->written);
	y += ui_wrap(b, y, 3, W - 2, 3, s, A_NORMAL);
	free(s);
	xasprintf(&s, _("2. Cameras: 'vigia --apply %s --plan' shows at any "
	    "time whether they still match the file, and 'vigia --apply %s' "
	    "makes them match again."), w->written, w->written);
	y += ui_wrap(b, y, 3, W - 2, 4, s, A_NORMAL);
	free(s);
	y += ui_wrap(b, y, 3, W - 2, 3, _("3. Recording: start vigiad "
	    "(systemctl enable --now vigiad) once it is installed with the "
	    "recorder."), A_NORMAL);
	ui_wrap(b, y + 1, 1, W, H - y - 1, _("^N closes the wizard."),
	    tui_attr(UI_PAIR_DIM));
}

const struct wizard_step step_summary = {
	.id = "summary",
	.title = N_("Summary"),
	.help = N_("The file is written.  The cameras were changed only if "
	    "the plan was applied in the review step."),
	.enter = sum_enter,
	.next_label = N_("Finish"),
};
