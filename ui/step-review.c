/* step-review.c - review the plan, apply it, show the results.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same engine as `vigia --apply` (plan.h), on a copy of the draft:
 * a wizard job computes the plan (vg_plan_new: select, observe, compute),
 * the screen shows it as `--apply` prints it (vg_plan_print), Next asks
 * and starts a second job that applies it (vg_plan_apply) with a line per
 * camera updated from the engine's progress callback, Esc cancels at the
 * next step boundary, and the result table (vg_plan_print_results)
 * replaces the plan.  A draft changed after the plan was made (Back,
 * edit, Next) is planned again.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "wizard.h"

/* The review's state: it outlives the step (Back and Next keep it).
 * While a job runs the worker owns cfg and plan; the screen only reads
 * the per-camera lines, under lock. */
struct rv_state {
	pthread_mutex_t lock;
	struct vg_config *cfg;	/* what was planned (a copy of the draft) */
	struct vg_plan *plan;
	bool applied;
	char **ifs;		/* interfaces for cameras that moved */
	size_t nifs;
	struct vg_onvif_discover_opts disc;
	char **text;		/* the plan or the results, line by line */
	size_t ntext;
	int top;		/* first line shown */
	char **live;		/* one line per camera while a job runs */
	size_t nlive;
	size_t ended;		/* cameras that ended this phase */
	const char *phase;	/* translated: what the job does */
};

static struct rv_state rv = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Replace the text shown by what fn prints. */
static void
rv_set_text(void (*fn)(const struct vg_plan *, FILE *))
{
	char *buf = NULL, *p, *nl;
	size_t len = 0, i;
	FILE *f;

	for (i = 0; i < rv.ntext; i++)
		free(rv.text[i]);
	free(rv.text);
	rv.text = NULL;
	rv.ntext = 0;
	rv.top = 0;
	if (fn == NULL || (f = open_memstream(&buf, &len)) == NULL)
		return;
	fn(rv.plan, f);
	fclose(f);
	for (p = buf; p != NULL && *p != '\0'; p = nl != NULL ? nl + 1 :
	    NULL) {
		nl = strchr(p, '\n');
		rv.text = xreallocarray(rv.text, rv.ntext + 1,
		    sizeof *rv.text);
		rv.text[rv.ntext++] = nl != NULL ? xstrndup(p, (size_t)(nl -
		    p)) : xstrdup(p);
	}
	free(buf);
}

/* Drop the plan (the draft changed, or planning failed). */
static void
rv_drop(void)
{
	size_t i;

	vg_plan_free(rv.plan);
	rv.plan = NULL;
	vg_config_free(rv.cfg);
	rv.cfg = NULL;
	rv.applied = false;
	rv_set_text(NULL);
	for (i = 0; i < rv.nifs; i++)
		free(rv.ifs[i]);
	free(rv.ifs);
	rv.ifs = NULL;
	rv.nifs = 0;
	pthread_mutex_lock(&rv.lock);
	for (i = 0; i < rv.nlive; i++)
		free(rv.live[i]);
	free(rv.live);
	rv.live = NULL;
	rv.nlive = 0;
	pthread_mutex_unlock(&rv.lock);
}

/* "3/4" steps finished of a camera. */
static void
rv_steps(const struct vg_plan_camera *pc, size_t *done)
{
	size_t i;

	*done = 0;
	for (i = 0; i < pc->nsteps; i++)
		if (pc->steps[i].status != VG_PLAN_PENDING &&
		    pc->steps[i].status != VG_PLAN_RUNNING)
			(*done)++;
}

/* The engine's progress callback (a worker, the plan locked): refresh
 * the camera's line and the job's bar.  A camera ends once per phase
 * (step -1), as `vigia --apply` counts it. */
static void
rv_progress(void *arg, const struct vg_plan *plan, size_t cam, long step)
{
	struct wizard_job *job = arg;
	const struct vg_plan_camera *pc = &plan->cams[cam];
	size_t d, ended;
	char *line;
	const char *what;

	rv_steps(pc, &d);
	if (step >= 0 && (size_t)step < pc->nsteps)
		what = vg_plan_status_title(pc->steps[step].status);
	else if (pc->result != VG_PLAN_RESULT_NONE)
		what = vg_plan_result_title(pc->result);
	else
		what = pc->observed ? _("read") : _("cannot be read");
	if (step >= 0 && (size_t)step < pc->nsteps)
		xasprintf(&line, "%-20s %zu/%zu  %s: %s", pc->cam->name, d,
		    pc->nsteps, vg_plan_step_title(pc->steps[step].kind),
		    what);
	else
		xasprintf(&line, "%-20s %zu/%zu  %s", pc->cam->name, d,
		    pc->nsteps, what);
	pthread_mutex_lock(&rv.lock);
	if (step == -1)
		rv.ended++;
	ended = rv.ended;
	if (cam < rv.nlive) {
		free(rv.live[cam]);
		rv.live[cam] = line;
	} else
		free(line);
	pthread_mutex_unlock(&rv.lock);
	/* TRANSLATORS: progress of the plan or apply, "3/8 cameras" */
	xasprintf(&line, _("%zu/%zu cameras"), ended, plan->ncams);
	wizard_job_progress(job, plan->ncams > 0 ? (double)ended /
	    (double)plan->ncams : -1, line);
	free(line);
}

/* The engine polls this between steps. */
static bool
rv_cancelled(void *arg)
{
	return wizard_job_cancelled(arg);
}

/* From a worker, before the engine reports: "0/8 cameras". */
static void
rv_progress_start(struct wizard_job *job, size_t ncams)
{
	char *line;

	xasprintf(&line, _("%zu/%zu cameras"), (size_t)0, ncams);
	wizard_job_progress(job, 0, line);
	free(line);
}

/* Options for both phases. */
static void
rv_opts(struct vg_plan_opts *o, struct wizard_job *job)
{
	memset(o, 0, sizeof *o);
	memset(&rv.disc, 0, sizeof rv.disc);
	rv.disc.interfaces = (const char *const *)rv.ifs;
	rv.disc.ninterfaces = rv.nifs;
	o->discover = &rv.disc;
	o->no_discovery = rv.nifs == 0;
	o->progress = rv_progress;
	o->cancelled = rv_cancelled;
	o->arg = job;
}

/* Worker: select, observe, compute. */
static int
rv_plan_worker(struct wizard_job *job)
{
	struct vg_plan_opts o;
	struct vg_plan *plan = NULL;
	int err;

	rv_opts(&o, job);
	rv_progress_start(job, rv.cfg->ncameras);
	err = vg_plan_new(rv.cfg, &o, &plan, &job->cause);
	*(struct vg_plan **)job->arg = plan;
	if (err == VG_OK && wizard_job_cancelled(job))
		err = VG_ERR_CANCELLED;
	return err;
}

/* Worker: apply. */
static int
rv_apply_worker(struct wizard_job *job)
{
	struct vg_plan_opts o;

	rv_opts(&o, job);
	rv_progress_start(job, rv.plan->ncams);
	return vg_plan_apply(rv.plan, &o);
}

/* One "name  0/n  waiting" line per camera of the configuration. */
static void
rv_live_init(const struct vg_config *cfg)
{
	size_t i;

	pthread_mutex_lock(&rv.lock);
	rv.live = xcalloc(cfg->ncameras, sizeof *rv.live);
	rv.nlive = cfg->ncameras;
	rv.ended = 0;
	for (i = 0; i < cfg->ncameras; i++)
		xasprintf(&rv.live[i], "%-20s %s", cfg->cameras[i].name,
		    _("waiting"));
	pthread_mutex_unlock(&rv.lock);
}

/* Free the live lines. */
static void
rv_live_free(void)
{
	size_t i;

	pthread_mutex_lock(&rv.lock);
	for (i = 0; i < rv.nlive; i++)
		free(rv.live[i]);
	free(rv.live);
	rv.live = NULL;
	rv.nlive = 0;
	pthread_mutex_unlock(&rv.lock);
}

/* Start planning a copy of the draft. */
static void
rv_start_plan(struct wizard *w)
{
	struct vg_plan **slot;
	size_t i;

	rv_drop();
	rv.cfg = vg_config_dup(w->draft);
	for (i = 0; i < w->cams.nifs; i++) {
		if (!w->cams.ifon[i])
			continue;
		rv.ifs = xreallocarray(rv.ifs, rv.nifs + 1, sizeof *rv.ifs);
		rv.ifs[rv.nifs++] = xstrdup(w->cams.ifnames[i]);
	}
	rv_live_init(rv.cfg);
	rv.phase = _("Reading the cameras");
	slot = xcalloc(1, sizeof *slot);
	wizard_status(w, false, NULL);
	wizard_job_start(w, wizard_job_thread(rv.phase, rv_plan_worker, slot,
	    true));
}

/* Start applying the plan. */
static void
rv_start_apply(struct wizard *w)
{
	rv_live_free();
	rv_live_init(rv.cfg);
	rv.phase = _("Applying the plan");
	wizard_status(w, false, NULL);
	wizard_job_start(w, wizard_job_thread(rv.phase, rv_apply_worker, NULL,
	    true));
}

/* Cameras that answer on a new address now are configured there: the
 * draft (and the plan's copy, so that it still equals the draft) get it
 * as onvif.address and match.address. */
static void
rv_follow_addresses(struct wizard *w)
{
	struct vg_camera *c, *d;
	size_t i;

	for (i = 0; i < rv.plan->ncams; i++) {
		const struct vg_plan_camera *pc = &rv.plan->cams[i];
		const char *now;

		if (pc->address == NULL || (pc->result != VG_PLAN_RESULT_OK &&
		    pc->result != VG_PLAN_RESULT_UNCHANGED))
			continue;
		c = (struct vg_camera *)pc->cam;
		now = c->onvif.address != NULL ? c->onvif.address :
		    c->match.address;
		if (now != NULL && strcmp(now, pc->address) == 0)
			continue;
		d = (struct vg_camera *)vg_config_find_camera(w->draft,
		    c->name);
		log_notice("wizard: camera %s is now at %s", c->name,
		    pc->address);
		free(c->onvif.address);
		c->onvif.address = xstrdup(pc->address);
		free(c->match.address);
		c->match.address = xstrdup(pc->address);
		if (d == NULL)
			continue;
		free(d->onvif.address);
		d->onvif.address = xstrdup(pc->address);
		free(d->match.address);
		d->match.address = xstrdup(pc->address);
		w->dirty = true;
	}
}

/* A job ended: show the plan, or the results. */
static void
rv_done(struct wizard *w, struct wizard_job *job)
{
	size_t failed;

	rv_live_free();
	if (job->arg != NULL) {		/* planning */
		rv.plan = *(struct vg_plan **)job->arg;
		free(job->arg);
		if (job->result != VG_OK) {
			if (job->result == VG_ERR_CANCELLED)
				wizard_status(w, false, "%s", _("Planning "
				    "cancelled; nothing was changed.  Next "
				    "plans again."));
			else
				wizard_status(w, true, _("The plan could not "
				    "be made: %s"), job->cause != NULL ?
				    job->cause : vg_strerror(job->result));
			rv_drop();
			return;
		}
		rv_set_text(vg_plan_print);
		if (vg_plan_nchanges(rv.plan) > 0)
			wizard_status(w, false, "%s", _("Check the plan; Next "
			    "applies it."));
		else
			wizard_status(w, false, "%s", _("Nothing to change; "
			    "Next goes on."));
		return;
	}
	rv.applied = true;
	rv_follow_addresses(w);
	check_forget();
	rv_set_text(vg_plan_print_results);
	failed = vg_plan_count_result(rv.plan, VG_PLAN_RESULT_FAILED);
	if (job->result == VG_ERR_CANCELLED)
		wizard_status(w, true, "%s", _("Apply cancelled: the steps in "
		    "progress finished, the rest were skipped."));
	else if (failed > 0)
		wizard_status(w, true, P_("%zu camera failed: see why below.  "
		    "Back and Next plan again.", "%zu cameras failed: see why "
		    "below.  Back and Next plan again.", failed), failed);
	else
		wizard_status(w, false, "%s", _("Every camera is as "
		    "configured.  Next checks their streams."));
	log_notice("wizard: plan applied (%zu failed)", failed);
}

/* Plan on arrival, unless the plan is of this very draft. */
static void
rv_enter(struct wizard *w)
{
	if (w->job != NULL)
		return;
	if (w->draft->ncameras == 0) {
		rv_drop();
		return;
	}
	if (rv.cfg == NULL || !vg_config_equal(rv.cfg, w->draft))
		rv_start_plan(w);
}

/* The plan or results (scrolled), or the live lines of a job. */
static void
rv_draw(struct wizard *w)
{
	WINDOW *b = w->body;
	int W = getmaxx(b) - 2, H = getmaxy(b), y = 1;
	size_t i, n;

	werase(b);
	if (w->draft->ncameras == 0) {
		ui_wrap(b, y, 1, W, 3, _("No camera is configured: nothing to "
		    "plan.  Next goes on."), tui_attr(UI_PAIR_DIM));
		return;
	}
	if (w->job != NULL && rv.nlive > 0) {
		ui_put_clipped(b, y++, 1, rv.phase, W);
		y++;
		pthread_mutex_lock(&rv.lock);
		for (i = 0; i < rv.nlive && y < H - 1; i++)
			ui_put_clipped(b, y++, 1, rv.live[i], W);
		pthread_mutex_unlock(&rv.lock);
		return;
	}
	if (rv.plan == NULL) {
		ui_wrap(b, y, 1, W, 3, _("No plan yet: Next reads the cameras "
		    "and makes one."), tui_attr(UI_PAIR_DIM));
		return;
	}
	wattron(b, A_BOLD);
	ui_put_clipped(b, y++, 1, rv.applied ? _("Results (Up/Down "
	    "scroll):") : _("The plan (Up/Down scroll; + adds, ~ changes, - "
	    "removes):"), W);
	wattroff(b, A_BOLD);
	n = rv.ntext;
	while (n > 0 && rv.text[n - 1][0] == '\0')
		n--;
	if (!rv.applied && n > 0) {
		/* the summary ("Plan: 5 steps on ...") stays in sight */
		n--;
		wattron(b, A_BOLD);
		y += ui_wrap(b, y, 1, W, 2, rv.text[n], A_BOLD);
		wattroff(b, A_BOLD);
	}
	if (rv.top > 0 && (size_t)rv.top >= n)
		rv.top = n > 0 ? (int)n - 1 : 0;
	for (i = (size_t)rv.top; i < n && y < H; i++)
		ui_put_clipped(b, y++, 1, rv.text[i], W);
}

/* Up/Down scroll; r plans again. */
static int
rv_key(struct wizard *w, int ch, bool is_key)
{
	if (is_key && ch == KEY_UP) {
		if (rv.top > 0)
			rv.top--;
	} else if (is_key && ch == KEY_DOWN) {
		if ((size_t)rv.top + 1 < rv.ntext)
			rv.top++;
	} else if (!is_key && ch == 'r' && w->draft->ncameras > 0)
		rv_start_plan(w);
	else
		return WK_UNHANDLED;
	return WK_HANDLED;
}

/* Next: plan, then confirm and apply, then on to writing. */
static bool
rv_validate(struct wizard *w)
{
	const char *buttons[] = { _("Apply"), _("Cancel") };
	size_t n;
	char *text;
	bool yes;

	if (w->draft->ncameras == 0)
		return true;
	if (rv.plan == NULL || !vg_config_equal(rv.cfg, w->draft)) {
		rv_start_plan(w);
		return false;
	}
	if (rv.applied || (n = vg_plan_nchanges(rv.plan)) == 0)
		return true;
	xasprintf(&text, P_("Apply %zu step to the cameras now?  Each step "
	    "is checked by reading it back.", "Apply %zu steps to the cameras "
	    "now?  Each step is checked by reading it back.", n), n);
	yes = ui_dialog(&w->modal, _("Apply the plan?"), text, buttons, 2, 1,
	    false) == 0;
	free(text);
	if (yes)
		rv_start_apply(w);
	return false;
}

const struct wizard_step step_review = {
	.id = "review",
	.title = N_("Review and apply"),
	.help = N_("The plan lists, camera by camera, every field that will "
	    "change (+ added, ~ changed, - removed; ? is read once the camera "
	    "is activated), exactly as 'vigia --apply' shows it.  Next asks, "
	    "then applies it: several cameras at once, each in a safe order "
	    "(activation, user, time, encoder, network last), every step "
	    "checked by reading it back.  A camera that moved is then "
	    "configured at its new address.  Esc stops after the steps in "
	    "progress.  r plans again."),
	.enter = rv_enter,
	.draw = rv_draw,
	.key = rv_key,
	.validate = rv_validate,
	.job_done = rv_done,
};
