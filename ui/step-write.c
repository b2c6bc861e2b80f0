/* step-write.c - write the configuration, then start vigiad and watch it.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole draft must pass vg_config_validate() (and the wizard's own
 * checks) before it is written.  Writing runs as a wizard job: the worker
 * saves a copy of the draft with vg_config_save() (atomic, mode 0600), so
 * a slow disk never freezes the screen.  An existing file is replaced
 * only after the technician agrees.
 *
 * The summary says what comes next; S starts vigiad for the file written
 * (daemon-launch.h, in a cancellable job) and the summary becomes the
 * live dashboard (dashboard.c).  A vigiad already running with the file
 * is offered a reload instead.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "daemon-launch.h"
#include "dashboard.h"
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

/* ---- the summary: what comes next, then vigiad started and watched ------ */

/* The summary's state (it outlives a resize, which leaves and enters). */
static struct {
	bool dash_mode;		/* the dashboard replaces the text */
	struct ui_dash dash;	/* its watcher runs while on screen */
	char *sock;		/* the status socket watched */
	char *note;		/* one translated line above it, or NULL */
	bool note_error;
} sum;

/* What the launch worker gets and gives back. */
struct launch_arg {
	char *path;		/* the file written */
	bool reload;
	struct vg_launch_result r;
	char *sock;		/* the configuration's status socket */
};

/* Progress of vg_daemon_launch() into the job. */
static void
launch_progress(void *arg, double fraction, const char *detail)
{
	wizard_job_progress(arg, fraction, detail);
}

/* The worker: load the file as vigiad will, start it, wait. */
static int
launch_worker(struct wizard_job *job)
{
	struct launch_arg *a = job->arg;
	struct vg_launch_opts o = { .mode = VG_LAUNCH_AUTO };
	struct vg_diags diags = { 0 };
	struct vg_config *cfg = NULL;
	int err;

	wizard_job_progress(job, -1, _("Reading the configuration"));
	err = vg_config_load(a->path, &cfg, &diags);
	if (err != VG_OK) {
		char *line = diags.n > 0 ? vg_diag_format(&diags.v[0]) : NULL;

		xasprintf(&job->cause, "%s", line != NULL ? line :
		    vg_strerror(err));
		free(line);
		vg_diags_free(&diags);
		vg_config_free(cfg);
		return err;
	}
	vg_diags_free(&diags);
	a->sock = xstrdup(cfg->vigiad.status_socket);
	o.config_path = a->path;
	o.reload = a->reload;
	o.cancel = wizard_job_cancel_flag(job);
	o.progress = launch_progress;
	o.arg = job;
	err = vg_daemon_launch(cfg, &o, &a->r, &job->cause);
	vg_config_free(cfg);
	return err;
}

/* Start the launch job (reload: SIGHUP a running vigiad). */
static void
launch_start(struct wizard *w, bool reload)
{
	struct launch_arg *a = xcalloc(1, sizeof *a);

	a->path = xstrdup(w->written);
	a->reload = reload;
	wizard_job_start(w, wizard_job_thread(reload ?
	    _("Reloading vigiad") : _("Starting vigiad"), launch_worker, a,
	    true));
}

/* Show the dashboard of the socket at sock. */
static void
sum_dash(struct wizard *w, const char *sock)
{
	if (sum.dash.watch == NULL || sum.sock == NULL ||
	    strcmp(sum.sock, sock) != 0) {
		ui_dash_close(&sum.dash);
		free(sum.sock);
		sum.sock = xstrdup(sock);
		ui_dash_open(&sum.dash, sum.sock, 1000);
	}
	sum.dash_mode = true;
	wizard_status(w, false, "%s", _("The dashboard refreshes every "
	    "second; vigiad keeps running after the wizard closes."));
}

/* Set the note above the dashboard. */
static void
sum_note(bool error, const char *fmt, ...) VG_PRINTF(2, 3);

static void
sum_note(bool error, const char *fmt, ...)
{
	va_list ap;

	free(sum.note);
	va_start(ap, fmt);
	xvasprintf(&sum.note, fmt, ap);
	va_end(ap);
	sum.note_error = error;
}

/* The problems of a launch, one per paragraph. */
static char *
launch_problems(const struct vg_launch_result *r, const char *first)
{
	char *text = xstrdup(first), *t;
	size_t i;

	for (i = 0; i < r->nproblems; i++) {
		xasprintf(&t, "%s\n\n%s", text, r->problems[i]);
		free(text);
		text = t;
	}
	return text;
}

/* How vigiad runs, for the note. */
static void
launch_note(const struct vg_launch_result *r, bool all)
{
	const char *how = r->reloaded ? _("vigiad reloaded the configuration")
	    : r->was_running ? _("vigiad was already running") :
	    r->mode == VG_LAUNCH_SYSTEMD ? _("vigiad runs as the systemd "
	    "unit vigiad.service") : _("vigiad runs in the background");

	if (r->mode == VG_LAUNCH_DETACHED && !r->reloaded)
		/* TRANSLATORS: %s how it runs, %ld its pid, %s its log */
		sum_note(!all, _("%s (pid %ld, log %s): %zu of %zu cameras "
		    "record."), how, r->pid, r->log_path, r->nrecording,
		    r->ncameras);
	else
		sum_note(!all, _("%s (pid %ld): %zu of %zu cameras record."),
		    how, r->pid, r->nrecording, r->ncameras);
}

/* The launch job ended. */
static void
sum_job_done(struct wizard *w, struct wizard_job *job)
{
	struct launch_arg *a = job->arg;
	const char *ok[] = { _("Close") };
	const char *show[] = { _("Show the dashboard") };
	const char *running[] = { _("Reload it"), _("Just watch it"),
	    _("Cancel") };
	char *text;
	int r;

	switch (job->result) {
	case VG_OK:
		launch_note(&a->r, true);
		sum_dash(w, a->sock);
		break;
	case VG_ERR_EXISTS:
		xasprintf(&text, _("vigiad is already running with this "
		    "configuration (pid %ld).  Reload it, so that it reads the "
		    "file again (SIGHUP)?"), a->r.pid);
		r = ui_dialog(&w->modal, _("vigiad is running"), text,
		    running, 3, 0, false);
		free(text);
		if (r == 0)
			launch_start(w, true);
		else if (r == 1) {
			sum_note(false, _("vigiad was already running (pid "
			    "%ld)."), a->r.pid);
			sum_dash(w, a->sock);
		}
		break;
	case VG_ERR_TIMEOUT:
		if (a->r.pid > 0) {
			text = launch_problems(&a->r, _("vigiad runs, but not "
			    "every camera sends packets:"));
			ui_dialog(&w->modal, _("Cameras without packets"), text,
			    show, 1, 0, true);
			free(text);
			launch_note(&a->r, false);
			sum_dash(w, a->sock);
			break;
		}
		/* it never answered */
		/* FALLTHROUGH */
	default:
		if (job->result == VG_ERR_CANCELLED) {
			if (a->r.pid > 0) {
				sum_note(true, _("Waiting cancelled; vigiad "
				    "keeps running (pid %ld)."), a->r.pid);
				sum_dash(w, a->sock);
			} else
				wizard_status(w, true, "%s",
				    _("Start cancelled."));
			break;
		}
		if (a->r.nproblems == 0)
			xasprintf(&text, "%s\n\n%s", _("vigiad could not be "
			    "started."), job->cause != NULL ? job->cause :
			    vg_strerror(job->result));
		else
			text = launch_problems(&a->r, _("vigiad could not be "
			    "started."));
		ui_dialog(&w->modal, _("Error"), text, ok, 1, 0, true);
		free(text);
		break;
	}
	log_notice("wizard: launch: %s", job->result == VG_OK ? "ok" :
	    job->cause != NULL ? job->cause : vg_strerror(job->result));
	vg_launch_result_clear(&a->r);
	free(a->path);
	free(a->sock);
	free(a);
}

/* Back on screen (also after a resize): the watcher runs again. */
static void
sum_enter(struct wizard *w)
{
	(void)w;
	if (sum.dash_mode && sum.dash.watch == NULL && sum.sock != NULL)
		sum.dash.watch = vg_status_watch_start(sum.sock, 1000, 800);
}

/* Off screen: no watcher thread (what it showed stays). */
static void
sum_leave(struct wizard *w)
{
	(void)w;
	vg_status_watch_stop(sum.dash.watch);
	sum.dash.watch = NULL;
}

/* What to do next, or the dashboard. */
static void
sum_draw(struct wizard *w)
{
	WINDOW *b = w->body;
	int W = getmaxx(b) - 2, H = getmaxy(b), y = 1;
	char *s;

	werase(b);
	if (sum.dash_mode) {
		y = 0;
		if (sum.note != NULL)
			y += ui_wrap(b, y, 1, W, 1, sum.note, sum.note_error ?
			    tui_attr(UI_PAIR_ERROR) | A_BOLD : A_NORMAL);
		ui_dash_draw(&sum.dash, b, y, 1, H - y, W);
		return;
	}
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
	y += ui_wrap(b, y, 3, W - 2, 3, vg_launch_systemd_usable() ?
	    _("3. Recording: press S to start vigiad now as the systemd unit "
	    "(installed, enabled and started) and watch its dashboard here.") :
	    _("3. Recording: press S to start vigiad now in the background "
	    "and watch its dashboard here."), A_BOLD);
	ui_wrap(b, y + 1, 1, W, H - y - 1, _("^N closes the wizard."),
	    tui_attr(UI_PAIR_DIM));
}

/* S starts vigiad; the arrows scroll the dashboard. */
static int
sum_key(struct wizard *w, int ch, bool is_key)
{
	if (sum.dash_mode)
		return ui_dash_key(&sum.dash, ch, is_key) ? WK_HANDLED :
		    WK_UNHANDLED;
	if (!is_key && (ch == 's' || ch == 'S') && w->written != NULL) {
		launch_start(w, false);
		return WK_HANDLED;
	}
	return WK_UNHANDLED;
}

/* Take the watcher's news (the loop redraws every turn). */
static bool
sum_tick(struct wizard *w)
{
	(void)w;
	if (sum.dash_mode)
		ui_dash_poll(&sum.dash);
	return false;
}

const struct wizard_step step_summary = {
	.id = "summary",
	.title = N_("Summary"),
	.help = N_("The file is written.  The cameras were changed only if "
	    "the plan was applied in the review step.  S starts vigiad (the "
	    "systemd unit when systemd runs and you are root, else in the "
	    "background with its log and pid file beside the spool), waits "
	    "until every camera sends packets and shows the live dashboard: "
	    "a row per camera (red when it is in trouble), the disk, the "
	    "uploads, Label Studio and the alarms.  The arrows and PgUp/PgDn "
	    "scroll the cameras."),
	.enter = sum_enter,
	.draw = sum_draw,
	.key = sum_key,
	.leave = sum_leave,
	.job_done = sum_job_done,
	.tick = sum_tick,
	.next_label = N_("Finish"),
};
