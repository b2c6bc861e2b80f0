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
	char **only;		/* the cameras planned (none locked) */
	size_t nonly;
	size_t nlocked;		/* cameras left out: locked */
	char **ifs;		/* interfaces for cameras that moved */
	size_t nifs;
	struct vg_onvif_discover_opts disc;
	char **text;		/* the plan or the results, line by line */
	size_t ntext;
	int top;		/* first row shown */
	size_t sel;		/* the camera under the cursor */
	bool *open;		/* per plan camera: expanded (Enter) */
	size_t nopen;
	int page;		/* rows of the last draw (PgUp/PgDn) */
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
	free(rv.open);
	rv.open = NULL;
	rv.nopen = 0;
	rv.sel = 0;
	for (i = 0; i < rv.nifs; i++)
		free(rv.ifs[i]);
	free(rv.ifs);
	rv.ifs = NULL;
	rv.nifs = 0;
	for (i = 0; i < rv.nonly; i++)
		free(rv.only[i]);
	free(rv.only);
	rv.only = NULL;
	rv.nonly = 0;
	rv.nlocked = 0;
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
	size_t d, ended, i, sdone = 0, stotal = 0;
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
	/* the bar counts steps, as the rows do, so that both agree */
	for (i = 0; i < plan->ncams; i++) {
		rv_steps(&plan->cams[i], &d);
		sdone += d;
		stotal += plan->cams[i].nsteps;
	}
	if (stotal > 0)
		/* TRANSLATORS: progress of the apply: "3/8 cameras, 20/60
		 * steps" */
		xasprintf(&line, _("%zu/%zu cameras, %zu/%zu steps"), ended,
		    plan->ncams, sdone, stotal);
	else
		/* TRANSLATORS: progress of the plan or apply, "3/8
		 * cameras" */
		xasprintf(&line, _("%zu/%zu cameras"), ended, plan->ncams);
	wizard_job_progress(job, stotal > 0 ? (double)sdone / (double)stotal :
	    plan->ncams > 0 ? (double)ended / (double)plan->ncams : -1, line);
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
	if (rv.nlocked > 0) {
		static const char *const none[1] = { NULL };

		o->only = rv.nonly > 0 ? (const char *const *)rv.only : none;
		o->nonly = rv.nonly;
	}
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
	/* cameras nothing opened are left out: every login tried on them
	 * would bring them nearer their lockout */
	for (i = 0; i < rv.cfg->ncameras; i++) {
		if (wdraft_camera_locked(&w->cams, rv.cfg->cameras[i].name)) {
			rv.nlocked++;
			continue;
		}
		rv.only = xreallocarray(rv.only, rv.nonly + 1,
		    sizeof *rv.only);
		rv.only[rv.nonly++] = xstrdup(rv.cfg->cameras[i].name);
	}
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
	/* the results start folded, from the first camera */
	if (rv.open != NULL)
		memset(rv.open, 0, rv.nopen * sizeof *rv.open);
	rv.sel = 0;
	rv.top = 0;
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

/* A field of the plan as the technician reads it (the plan's keys are
 * stable English). */
static const char *
rv_field(const char *key)
{
	static const struct {
		const char *key, *title;
	} t[] = {
		/* TRANSLATORS: fields of the plan, in a column about 14
		 * wide */
		{ "administrator", N_("administrator") },
		{ "password", N_("password") },
		{ "user", N_("user") },
		{ "ntp", N_("NTP servers") },
		{ "timezone", N_("time zone") },
		{ "clock", N_("clock") },
		{ "codec", N_("codec") },
		{ "resolution", N_("resolution") },
		{ "fps", N_("frames/s") },
		{ "bitrate_kbps", N_("kbit/s") },
		{ "gop", N_("GOP") },
		{ "profile", N_("profile") },
		{ "address", N_("address") },
		{ "prefix", N_("prefix") },
		{ "gateway", N_("gateway") },
		{ "dns", N_("DNS") },
		{ "dhcp", N_("DHCP") },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(key, t[i].key) == 0)
			return _(t[i].title);
	return key;
}

/* A value of a change as shown: "-" none, "?" unknown. */
static char *
rv_value(const struct vg_plan_change *c, const char *v, bool unknown)
{
	if (unknown)
		return xstrdup("?");
	if (v == NULL)
		return xstrdup("-");
	if (strcmp(v, "(hidden)") == 0)
		/* TRANSLATORS: a password in the plan: never shown */
		return xstrdup(_("(hidden)"));
	if (strcmp(c->field, "timezone") == 0)
		return wdraft_zone_text(v);
	return xstrdup(v);
}

/* Where a camera of the plan is: after the apply, the address it
 * answers on; before, the one the draft gives. */
static const char *
rv_addr(const struct vg_plan_camera *pc)
{
	if (rv.applied && pc->address != NULL)
		return pc->address;
	return pc->cam->onvif.address != NULL ? pc->cam->onvif.address :
	    pc->cam->match.address != NULL ? pc->cam->match.address : "-";
}

/* A camera's one line: mark, name, address, and what changes (or its
 * result), in the columns of the camera table. */
static char *
rv_head(const struct vg_plan_camera *pc, int namew, int addrw)
{
	char *s, *what = NULL, *t, mark;
	size_t i, d;

	mark = !pc->observed ? '!' : pc->nsteps > 0 ? '~' : '=';
	if (rv.applied && pc->result != VG_PLAN_RESULT_NONE) {
		rv_steps(pc, &d);
		xasprintf(&what, "%s  %zu/%zu  %.1f s",
		    vg_plan_result_title(pc->result), d, pc->nsteps,
		    pc->elapsed_us / 1e6);
	} else if (!pc->observed)
		/* TRANSLATORS: "cannot be planned: the camera refused..." */
		xasprintf(&what, _("cannot be planned: %s"),
		    vg_onvif_class_text(pc->cls));
	else if (pc->nsteps == 0)
		what = xstrdup(_("no changes"));
	else
		for (i = 0; i < pc->nsteps; i++) {
			xasprintf(&t, "%s%s%s", what != NULL ? what : "",
			    what != NULL ? ", " : "",
			    vg_plan_step_title(pc->steps[i].kind));
			free(what);
			what = t;
		}
	xasprintf(&s, "%c %s%*s %s%*s %s", mark, pc->cam->name,
	    namew - vg_text_width(pc->cam->name), "", rv_addr(pc),
	    addrw - vg_text_width(rv_addr(pc)), "", what);
	free(what);
	return s;
}

/* The lines under an expanded camera (allocated, into *v, *n). */
static void
rv_detail(const struct vg_plan_camera *pc, char ***v, size_t *n)
{
	const struct vg_onvif_info *in = &pc->obs.info;
	size_t i, k;
	char *line, *b, *a, *host;

#define ADD(l) do { *v = xreallocarray(*v, *n + 1, sizeof **v); \
	(*v)[(*n)++] = (l); } while (0)
	if (!pc->observed) {
		if (pc->problem != NULL) {
			xasprintf(&line, "    (%s)", pc->problem);
			ADD(line);
		}
		return;
	}
	host = pc->obs.url != NULL ? vg_onvif_url_host(pc->obs.url) : NULL;
	xasprintf(&line, "    %s %s, %s %s", in->manufacturer != NULL ?
	    in->manufacturer : "?", in->model != NULL ? in->model : "",
	    _("at"), host != NULL ? host : "?");
	free(host);
	ADD(line);
	if (in->serial != NULL) {
		xasprintf(&line, "    %s %s", _("serial"), in->serial);
		ADD(line);
	}
	for (i = 0; i < pc->nsteps; i++) {
		const struct vg_plan_step *st = &pc->steps[i];

		if (rv.applied)
			xasprintf(&line, "    %s: %s%s%s", vg_plan_step_title(
			    st->kind), vg_plan_status_title(st->status),
			    st->error != NULL ? " - " : "", st->error != NULL ?
			    st->error : "");
		else
			xasprintf(&line, "    %s", vg_plan_step_title(
			    st->kind));
		ADD(line);
		for (k = 0; k < st->nchanges; k++) {
			const struct vg_plan_change *c = &st->changes[k];

			b = rv_value(c, c->before, c->before_unknown);
			a = rv_value(c, c->after, false);
			xasprintf(&line, "      %c %s: %s -> %s", c->op,
			    rv_field(c->field), b, a);
			free(b);
			free(a);
			ADD(line);
		}
		if (st->blocker != NULL) {
			xasprintf(&line, "      ! %s", st->blocker);
			ADD(line);
		}
	}
#undef ADD
}

/* The rows of the plan view: per camera its line, and its details when
 * expanded; cam[r] is the camera of row r. */
static void
rv_rows(char ***v, size_t **cam, size_t *n)
{
	size_t i, k, before;
	int namew = 0, addrw = 0;

	*v = NULL;
	*cam = NULL;
	*n = 0;
	if (rv.nopen != rv.plan->ncams) {
		free(rv.open);
		rv.open = xcalloc(rv.plan->ncams + 1, sizeof *rv.open);
		rv.nopen = rv.plan->ncams;
	}
	for (i = 0; i < rv.plan->ncams; i++) {
		if (vg_text_width(rv.plan->cams[i].cam->name) > namew)
			namew = vg_text_width(rv.plan->cams[i].cam->name);
		if (vg_text_width(rv_addr(&rv.plan->cams[i])) > addrw)
			addrw = vg_text_width(rv_addr(&rv.plan->cams[i]));
	}
	for (i = 0; i < rv.plan->ncams; i++) {
		before = *n;
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = rv_head(&rv.plan->cams[i], namew, addrw);
		if (rv.open[i])
			rv_detail(&rv.plan->cams[i], v, n);
		*cam = xreallocarray(*cam, *n + 1, sizeof **cam);
		for (k = before; k < *n; k++)
			(*cam)[k] = i;
	}
}

/* The summary line: "Plan: 88 steps on 22 cameras..." (the last line of
 * the printed plan), or NULL. */
static const char *
rv_summary(void)
{
	size_t n = rv.ntext;

	while (n > 0 && rv.text[n - 1][0] == '\0')
		n--;
	return n > 0 ? rv.text[n - 1] : NULL;
}

/* The plan or results (a line per camera, Enter expands one), or the
 * live lines of a job. */
static void
rv_draw(struct wizard *w)
{
	WINDOW *b = w->body;
	int W = getmaxx(b) - 2, H = getmaxy(b), y = 1, rows, first = -1;
	size_t i, n, *cam;
	char **v;

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
	y += ui_wrap(b, y, 1, W, 2, rv.applied ? _("Results, a line per "
	    "camera: Enter shows its steps, PgUp/PgDn scroll.") : _("The "
	    "plan, a line per camera: Enter shows what changes (+ adds, ~ "
	    "changes, - removes), PgUp/PgDn scroll."), A_BOLD);
	if (!rv.applied && rv_summary() != NULL)
		y += ui_wrap(b, y, 1, W, 2, rv_summary(), A_BOLD);
	if (rv.nlocked > 0) {
		char *line;

		xasprintf(&line, P_("%zu camera is left out: locked, its "
		    "password is not known (Back to the passwords step).",
		    "%zu cameras are left out: locked, their password is not "
		    "known (Back to the passwords step).", rv.nlocked),
		    rv.nlocked);
		y += ui_wrap(b, y, 1, W, 2, line, tui_attr(UI_PAIR_ERROR));
		free(line);
	}
	rv_rows(&v, &cam, &n);
	if (rv.sel >= rv.plan->ncams)
		rv.sel = rv.plan->ncams > 0 ? rv.plan->ncams - 1 : 0;
	for (i = 0; i < n; i++)
		if (cam[i] == rv.sel) {
			first = (int)i;
			break;
		}
	rows = H - y;
	if ((int)n > rows && rows > 2)
		rows--;		/* the line of what is above and below */
	rv.page = rows > 1 ? rows - 1 : 1;
	if (first >= 0 && first < rv.top)
		rv.top = first;
	if (first >= 0 && first >= rv.top + rows)
		rv.top = first - rows + 1;
	if (rv.top > (int)n - rows)
		rv.top = (int)n - rows;
	if (rv.top < 0)
		rv.top = 0;
	for (i = (size_t)rv.top; i < n && (int)i < rv.top + rows; i++) {
		int a = v[i][0] == '!' ? tui_attr(UI_PAIR_ERROR) : A_NORMAL;

		if ((int)i == first)
			a |= A_REVERSE;
		wattron(b, a);
		ui_put_clipped(b, y++, 1, v[i], W);
		wattroff(b, a);
	}
	if ((int)n > rows && y < H) {
		char *line;

		/* TRANSLATORS: under the review's lines; %d are the lines
		 * above and below the ones shown */
		xasprintf(&line, _("%d lines above, %d more below; PgUp/PgDn "
		    "scroll."), rv.top, (int)n - rv.top - rows);
		wattron(b, tui_attr(UI_PAIR_DIM));
		ui_put_clipped(b, H - 1, 1, line, W);
		wattroff(b, tui_attr(UI_PAIR_DIM));
		free(line);
	}
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	free(cam);
}

/* Up/Down choose a camera, Enter expands it, PgUp/PgDn scroll, r plans
 * again. */
static int
rv_key(struct wizard *w, int ch, bool is_key)
{
	size_t nc = rv.plan != NULL && w->job == NULL ? rv.plan->ncams : 0;
	int page = rv.page > 0 ? rv.page : 1;

	if (is_key && ch == KEY_UP) {
		if (rv.sel > 0)
			rv.sel--;
	} else if (is_key && ch == KEY_DOWN) {
		if (rv.sel + 1 < nc)
			rv.sel++;
	} else if (is_key && ch == KEY_PPAGE) {
		rv.top = rv.top > page ? rv.top - page : 0;
		rv.sel = rv.sel > (size_t)page ? rv.sel - (size_t)page : 0;
	} else if (is_key && ch == KEY_NPAGE) {
		rv.top += page;
		rv.sel += (size_t)page;
		if (rv.sel >= nc)
			rv.sel = nc > 0 ? nc - 1 : 0;
	} else if (is_key && ch == KEY_HOME)
		rv.sel = 0;
	else if (is_key && ch == KEY_END)
		rv.sel = nc > 0 ? nc - 1 : 0;
	else if (((!is_key && (ch == '\n' || ch == '\r')) ||
	    (is_key && ch == KEY_ENTER)) && nc > 0 && rv.open != NULL &&
	    rv.sel < rv.nopen)
		rv.open[rv.sel] = !rv.open[rv.sel];
	else if (!is_key && ch == 'r' && w->draft->ncameras > 0)
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
	yes = ui_dialog(&w->modal, _("Apply the plan?"), text, buttons, 2, 0,
	    false) == 0;
	free(text);
	if (yes)
		rv_start_apply(w);
	else
		wizard_status(w, false, "%s", _("Not applied: nothing was "
		    "changed.  Next asks again."));
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
