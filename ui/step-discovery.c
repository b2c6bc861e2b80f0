/* step-discovery.c - the interfaces, discovery and select steps.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Interfaces: tick the IPv4 interfaces to search on (the core's default:
 * every one that is up except loopback).  Discovery: a wizard job runs
 * vg_onvif_discover() on them, then takes an anonymous look at each
 * camera (vg_onvif_open, vg_onvif_is_factory_new, vg_onvif_get_info) so
 * that the list says vendor, model and state; the list fills in while the
 * job runs, and Esc cancels it (what was found so far is kept).  A camera
 * is added by host[:port] with vg_onvif_add_manual() in a job too.  Select:
 * tick the cameras to commission; Next makes the draft's cameras follow
 * the ticks (wdraft_sync_selection).  Nothing here talks to the network
 * from a key handler.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "wizard.h"

#define KEY_CTRL(c) ((c) & 0x1f)
#define ADD_MAX 200

/* ---- interfaces ----------------------------------------------------------- */

static int if_cursor;

/* The list of interfaces with their ticks. */
static void
if_draw(struct wizard *w)
{
	struct wdraft_cams *c = &w->cams;
	WINDOW *b = w->body;
	int W = getmaxx(b) - 2, H = getmaxy(b), y = 1;
	size_t i;
	char *line;

	werase(b);
	y += ui_wrap(b, y, 1, W, 3, _("Tick the network interfaces to search "
	    "for cameras on (Space ticks).  Loopback (lo) is only for a "
	    "simulated site."), A_NORMAL) + 1;
	if (c->nifs == 0) {
		ui_wrap(b, y, 1, W, 2, _("No network interface with an IPv4 "
		    "address is up: cameras can still be added by address."),
		    tui_attr(UI_PAIR_ERROR));
		return;
	}
	if (if_cursor >= (int)c->nifs)
		if_cursor = (int)c->nifs - 1;
	for (i = 0; i < c->nifs && y < H - 1; i++, y++) {
		xasprintf(&line, "[%c] %s", c->ifon[i] ? 'x' : ' ',
		    c->ifnames[i]);
		if ((int)i == if_cursor)
			wattron(b, A_REVERSE);
		ui_put_clipped(b, y, 3, line, W - 2);
		wattroff(b, A_REVERSE);
		free(line);
	}
}

/* Up, Down, Space. */
static int
if_key(struct wizard *w, int ch, bool is_key)
{
	struct wdraft_cams *c = &w->cams;

	if (is_key && ch == KEY_UP && if_cursor > 0)
		if_cursor--;
	else if (is_key && ch == KEY_DOWN && if_cursor + 1 < (int)c->nifs)
		if_cursor++;
	else if (!is_key && ch == ' ' && c->nifs > 0) {
		c->ifon[if_cursor] = !c->ifon[if_cursor];
		c->searched = false;	/* search again on the new set */
	} else if (!is_key && (ch == '\n' || ch == '\r'))
		return WK_NEXT;
	else
		return WK_UNHANDLED;
	return WK_HANDLED;
}

const struct wizard_step step_interfaces = {
	.id = "interfaces",
	.title = N_("Network interfaces"),
	.help = N_("Choose the network interfaces to search for cameras on.  "
	    "WS-Discovery only reaches cameras on the same network segment; "
	    "cameras elsewhere can be added by address in the next step."),
	.draw = if_draw,
	.key = if_key,
};

/* ---- the discovery job ------------------------------------------------------ */

/* What the worker owns; the list is shared with the screen under lock. */
struct disc_arg {
	pthread_mutex_t lock;
	char **ifs;		/* interfaces to probe */
	size_t nifs;
	char *manual;		/* host[:port] to add, or NULL: discovery */
	struct wdraft_found *v;	/* under lock */
	size_t n;
	size_t looked;		/* how many were looked at */
};

static struct disc_arg *disc_running;	/* the job's arg while it runs */
static bool adding;			/* typing an address */
static char add_text[ADD_MAX + 1];

/* A camera found during the probe: show it at once. */
static void
disc_found(const struct vg_onvif_device *d, void *arg)
{
	struct wizard_job *job = arg;
	struct disc_arg *a = job->arg;
	struct wdraft_found f;
	char *detail;
	size_t n;

	wdraft_found_from_device(&f, d);
	pthread_mutex_lock(&a->lock);
	a->v = xreallocarray(a->v, a->n + 1, sizeof *a->v);
	a->v[a->n++] = f;
	n = a->n;
	pthread_mutex_unlock(&a->lock);
	/* TRANSLATORS: progress of the search; %zu is a count */
	xasprintf(&detail, P_("%zu camera found", "%zu cameras found", n), n);
	wizard_job_progress(job, -1, detail);
	free(detail);
}

/* Anonymous look: is it factory-new, what is it?  Fills f. */
static void
disc_identify(struct wdraft_found *f)
{
	struct vg_onvif_opts o;
	struct vg_onvif_info in;
	struct vg_onvif *s = NULL;
	bool fnew = false;

	memset(&o, 0, sizeof o);
	memset(&in, 0, sizeof in);
	o.timeout_ms = 3000;
	if (f->xaddr == NULL || vg_onvif_open(f->xaddr, &o, &s, NULL) != 0)
		goto out;
	f->identified = true;
	if (vg_onvif_is_factory_new(s, &fnew, NULL) == 0)
		f->factory_new = fnew;
	if (vg_onvif_get_info(s, &in, NULL) == 0) {
#define TAKE(dst, src) do { if ((src) != NULL && *(src) != '\0') { \
	free(dst); (dst) = xstrdup(src); } } while (0)
		TAKE(f->manufacturer, in.manufacturer);
		TAKE(f->model, in.model);
		TAKE(f->serial, in.serial);
		TAKE(f->mac, in.mac);
		TAKE(f->hostname, in.hostname);
		if (f->scope_name == NULL)
			TAKE(f->scope_name, in.scopes.name);
		if (f->scope_location == NULL)
			TAKE(f->scope_location, in.scopes.location);
#undef TAKE
		if (in.scopes.factory_default)
			f->factory_new = true;
	}
out:
	vg_onvif_info_clear(&in);
	vg_onvif_free(s);
}

/* The worker: probe (or add by address), then look at each camera. */
static int
disc_worker(struct wizard_job *job)
{
	struct disc_arg *a = job->arg;
	struct vg_onvif_discover_opts o;
	struct vg_onvif_devlist list = { NULL, 0 };
	struct wdraft_found f;
	size_t i, n;
	int err;

	if (a->manual != NULL) {
		wizard_job_progress(job, -1, a->manual);
		err = vg_onvif_add_manual(a->manual, false, 3000, &list,
		    &job->cause);
		if (err != VG_OK)
			goto out;
		pthread_mutex_lock(&a->lock);
		for (i = 0; i < list.n; i++) {
			a->v = xreallocarray(a->v, a->n + 1, sizeof *a->v);
			wdraft_found_from_device(&a->v[a->n++], &list.v[i]);
		}
		pthread_mutex_unlock(&a->lock);
	} else {
		memset(&o, 0, sizeof o);
		o.interfaces = (const char *const *)a->ifs;
		o.ninterfaces = a->nifs;
		o.found = disc_found;
		o.arg = job;
		err = vg_onvif_discover(&o, &list, &job->cause);
		if (err != VG_OK)
			goto out;
		/* the final list merges every reply: take it over */
		pthread_mutex_lock(&a->lock);
		for (i = 0; i < a->n; i++)
			wdraft_found_clear(&a->v[i]);
		a->n = 0;
		for (i = 0; i < list.n; i++) {
			if (list.v[i].gone)
				continue;
			a->v = xreallocarray(a->v, a->n + 1, sizeof *a->v);
			wdraft_found_from_device(&a->v[a->n++], &list.v[i]);
		}
		pthread_mutex_unlock(&a->lock);
	}
	pthread_mutex_lock(&a->lock);
	n = a->n;
	pthread_mutex_unlock(&a->lock);
	for (i = 0; i < n; i++) {
		if (wizard_job_cancelled(job))
			break;
		pthread_mutex_lock(&a->lock);
		memset(&f, 0, sizeof f);
		f.xaddr = a->v[i].xaddr != NULL ? xstrdup(a->v[i].xaddr) :
		    NULL;
		pthread_mutex_unlock(&a->lock);
		wizard_job_progress(job, (double)i / (double)n, f.xaddr);
		disc_identify(&f);
		pthread_mutex_lock(&a->lock);
		free(f.xaddr);
		f.xaddr = a->v[i].xaddr;
		a->v[i].xaddr = NULL;
		f.endpoint = a->v[i].endpoint;
		a->v[i].endpoint = NULL;
		f.host = a->v[i].host;
		a->v[i].host = NULL;
		f.path = a->v[i].path;
		a->v[i].path = NULL;
		f.port = a->v[i].port;
		if (f.model == NULL) {
			f.model = a->v[i].model;
			a->v[i].model = NULL;
		}
		if (f.mac == NULL) {
			f.mac = a->v[i].mac;
			a->v[i].mac = NULL;
		}
		if (f.scope_name == NULL) {
			f.scope_name = a->v[i].scope_name;
			a->v[i].scope_name = NULL;
		}
		if (f.scope_location == NULL) {
			f.scope_location = a->v[i].scope_location;
			a->v[i].scope_location = NULL;
		}
		f.factory_new |= a->v[i].factory_new;
		f.looked = true;
		wdraft_found_clear(&a->v[i]);
		a->v[i] = f;
		a->looked = i + 1;
		pthread_mutex_unlock(&a->lock);
	}
	err = wizard_job_cancelled(job) ? VG_ERR_CANCELLED : VG_OK;
	wizard_job_progress(job, 1, NULL);
out:
	vg_onvif_devlist_clear(&list);
	return err;
}

/* Start a search, or a manual add of target. */
static void
disc_start(struct wizard *w, const char *target)
{
	struct wdraft_cams *c = &w->cams;
	struct disc_arg *a;
	size_t i;

	if (w->job != NULL)
		return;
	a = xcalloc(1, sizeof *a);
	pthread_mutex_init(&a->lock, NULL);
	if (target != NULL)
		a->manual = xstrdup(target);
	else {
		for (i = 0; i < c->nifs; i++) {
			if (!c->ifon[i])
				continue;
			a->ifs = xreallocarray(a->ifs, a->nifs + 1,
			    sizeof *a->ifs);
			a->ifs[a->nifs++] = xstrdup(c->ifnames[i]);
		}
		c->searched = true;
		if (a->nifs == 0) {
			free(a->ifs);
			pthread_mutex_destroy(&a->lock);
			free(a);
			wizard_status(w, false, "%s", _("No interface is "
			    "ticked: add cameras by address (a)."));
			return;
		}
	}
	disc_running = a;
	wizard_status(w, false, NULL);
	wizard_job_start(w, wizard_job_thread(target != NULL ?
	    _("Adding the camera") : _("Searching for cameras"), disc_worker,
	    a, true));
}

/* Free a finished job's arg. */
static void
disc_arg_free(struct disc_arg *a)
{
	size_t i;

	for (i = 0; i < a->nifs; i++)
		free(a->ifs[i]);
	free(a->ifs);
	for (i = 0; i < a->n; i++)
		wdraft_found_clear(&a->v[i]);
	free(a->v);
	free(a->manual);
	pthread_mutex_destroy(&a->lock);
	free(a);
}

/* Order of the list: by address ("127.0.0.9" before "127.0.0.10"). */
static int
found_cmp(const void *a, const void *b)
{
	const struct wdraft_found *x = a, *y = b;
	int c = strverscmp(x->host != NULL ? x->host : "",
	    y->host != NULL ? y->host : "");

	return c != 0 ? c : x->port - y->port;
}

/* The job ended: keep what it found (also when cancelled). */
static void
disc_done(struct wizard *w, struct wizard_job *job)
{
	struct disc_arg *a = job->arg;
	size_t i;

	disc_running = NULL;
	for (i = 0; i < a->n; i++)
		if (a->v[i].endpoint != NULL) {
			a->v[i].selected = true;
			wdraft_found_merge(&w->cams, &a->v[i]);
		}
	if (w->cams.n > 1)
		qsort(w->cams.v, w->cams.n, sizeof *w->cams.v, found_cmp);
	if (job->result == VG_ERR_CANCELLED)
		wizard_status(w, false, P_("Search cancelled; %zu camera "
		    "in the list.", "Search cancelled; %zu cameras in the "
		    "list.", w->cams.n), w->cams.n);
	else if (job->result != VG_OK && a->manual != NULL)
		wizard_status(w, true, _("%s cannot be added: %s"), a->manual,
		    job->cause != NULL ? job->cause :
		    vg_strerror(job->result));
	else if (job->result != VG_OK)
		wizard_status(w, true, _("The search failed: %s"),
		    job->cause != NULL ? job->cause :
		    vg_strerror(job->result));
	else if (a->manual != NULL)
		wizard_status(w, false, _("%s added."), a->manual);
	else
		wizard_status(w, false, P_("Search done: %zu camera in the "
		    "list.", "Search done: %zu cameras in the list.",
		    w->cams.n), w->cams.n);
	disc_arg_free(a);
}

/* ---- the discovery step ------------------------------------------------------ */

static struct ui_camtable disc_table, sel_table = { .ticks = true };
/* The name being typed for the camera under the cursor (select, n). */
static bool renaming;
static char rename_text[41];

/* Whether any camera of c has a draft name (the table shows names). */
static bool
any_named(const struct wdraft_cams *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i].camera != NULL)
			return true;
	return false;
}

/* Start a search the first time the step shows. */
static void
disc_enter(struct wizard *w)
{
	if (!w->cams.searched && w->job == NULL)
		disc_start(w, NULL);
}

/* The list (live while a search runs) and the address being typed. */
static void
disc_draw(struct wizard *w)
{
	struct wdraft_cams *c = &w->cams;
	struct disc_arg *a = w->job != NULL && w->job->arg == disc_running ?
	    disc_running : NULL;
	WINDOW *b = w->body;
	int W = getmaxx(b) - 2, H = getmaxy(b), y = 1;
	size_t i;
	char *line, *ifs = NULL;

	werase(b);
	for (i = 0; i < c->nifs; i++) {
		if (!c->ifon[i])
			continue;
		line = ifs;
		xasprintf(&ifs, "%s%s%s", line != NULL ? line : "",
		    line != NULL ? ", " : "", c->ifnames[i]);
		free(line);
	}
	/* TRANSLATORS: %s is a list of interfaces, or "none" */
	xasprintf(&line, _("Searching on: %s.  r searches again, a adds a "
	    "camera by address, d removes one, c clears the list."),
	    ifs != NULL ? ifs : _("none"));
	y += ui_wrap(b, y, 1, W, 3, line, A_NORMAL) + 1;
	free(line);
	free(ifs);
	if (adding) {
		xasprintf(&line, _("Address (host[:port]): %s"), add_text);
		wattron(b, A_BOLD);
		ui_put_clipped(b, y, 1, line, W);
		wattroff(b, A_BOLD);
		free(line);
		y++;
		ui_put_clipped(b, y++, 1, _("Enter adds it, Esc gives up."),
		    tui_attr(UI_PAIR_DIM));
	}
	y++;
	if (a != NULL) {
		/* the search's own list, live, under its lock */
		struct wdraft_cams view;

		memset(&view, 0, sizeof view);
		pthread_mutex_lock(&a->lock);
		view.v = a->v;
		view.n = a->n;
		disc_table.names = false;
		ui_camtable_draw(&disc_table, b, y, 1, H - y, W, &view, false);
		pthread_mutex_unlock(&a->lock);
		return;
	}
	if (c->n == 0) {
		ui_wrap(b, y, 1, W, 3, _("No camera in the list.  Next goes on "
		    "without cameras: they can be added later."),
		    tui_attr(UI_PAIR_DIM));
		return;
	}
	disc_table.names = any_named(c);
	ui_camtable_draw(&disc_table, b, y, 1, H - y, W, c, !adding);
}

/* Remove camera i from the list (and its draft camera). */
static void
disc_remove(struct wizard *w, size_t i)
{
	struct wdraft_cams *c = &w->cams;

	c->v[i].selected = false;
	wdraft_sync_selection(w->draft, c);
	wdraft_found_clear(&c->v[i]);
	memmove(&c->v[i], &c->v[i + 1], (c->n - i - 1) * sizeof *c->v);
	c->n--;
	wizard_changed(w);
}

/* Keys of the address line. */
static int
disc_key_adding(struct wizard *w, int ch, bool is_key)
{
	size_t len = strlen(add_text);

	if (!is_key && ch == 27)
		adding = false;
	else if ((is_key && ch == KEY_BACKSPACE) || (!is_key && (ch == 127 ||
	    ch == 8))) {
		if (len > 0)
			add_text[len - 1] = '\0';
	} else if (!is_key && (ch == '\n' || ch == '\r' || ch == KEY_ENTER)) {
		adding = false;
		if (len > 0)
			disc_start(w, add_text);
	} else if (!is_key && ch == KEY_CTRL('u'))
		add_text[0] = '\0';
	else if (!is_key && ch > ' ' && ch < 127 && len < ADD_MAX) {
		add_text[len] = (char)ch;
		add_text[len + 1] = '\0';
	}
	return WK_HANDLED;
}

/* r search, a add, d remove, c clear, Up/Down. */
static int
disc_key(struct wizard *w, int ch, bool is_key)
{
	struct wdraft_cams *c = &w->cams;

	size_t cur;

	if (adding)
		return disc_key_adding(w, ch, is_key);
	if (w->job == NULL &&
	    ui_camtable_key(&disc_table, ch, is_key, c) == WK_HANDLED)
		return WK_HANDLED;
	cur = ui_camtable_current(&disc_table, c);
	if (is_key) {
		if (ch == KEY_F(5))
			disc_start(w, NULL);
		else if (ch == KEY_DC && cur != (size_t)-1)
			disc_remove(w, cur);
		else
			return WK_UNHANDLED;
		return WK_HANDLED;
	}
	switch (ch) {
	case 'r':
		disc_start(w, NULL);
		break;
	case 'a':
		adding = true;
		add_text[0] = '\0';
		break;
	case 'd':
		if (cur != (size_t)-1)
			disc_remove(w, cur);
		break;
	case 'c':
		while (c->n > 0)
			disc_remove(w, c->n - 1);
		break;
	default:
		return WK_UNHANDLED;
	}
	return WK_HANDLED;
}

/* Leaving: stop typing. */
static void
disc_leave(struct wizard *w)
{
	(void)w;
	adding = false;
}

const struct wizard_step step_discovery = {
	.id = "discovery",
	.title = N_("Find cameras"),
	.help = N_("The cameras are found with WS-Discovery on the chosen "
	    "interfaces; the list fills in as they answer, and each one is "
	    "asked what it is and whether it is factory-new.  Esc stops a "
	    "search.  A camera on another segment is added by address: press "
	    "a and type host or host:port.  The list can stay empty: the site "
	    "can be configured before the cameras are reachable."),
	.enter = disc_enter,
	.draw = disc_draw,
	.key = disc_key,
	.leave = disc_leave,
	.job_done = disc_done,
};

/* ---- the select step ------------------------------------------------------- */

/* The checklist. */
static void
sel_draw(struct wizard *w)
{
	struct wdraft_cams *c = &w->cams;
	WINDOW *b = w->body;
	int W = getmaxx(b) - 2, H = getmaxy(b), y = 1;
	size_t i, on = 0;
	char *line;

	werase(b);
	for (i = 0; i < c->n; i++)
		on += c->v[i].selected;
	xasprintf(&line, P_("Tick the cameras to commission (Space ticks, a "
	    "ticks all or none, n renames): %zu of %zu ticked.", "Tick the "
	    "cameras to commission (Space ticks, a ticks all or none, n "
	    "renames): %zu of %zu ticked.", c->n), on, c->n);
	y += ui_wrap(b, y, 1, W, 3, line, A_NORMAL) + 1;
	free(line);
	if (c->n == 0) {
		ui_wrap(b, y, 1, W, 3, _("No camera was found: Next goes on "
		    "without cameras."), tui_attr(UI_PAIR_DIM));
		return;
	}
	sel_table.names = any_named(c);
	if (renaming) {
		/* TRANSLATORS: the line where a camera's new name is typed */
		xasprintf(&line, _("New name: %s_  (Enter renames, Esc gives "
		    "up)"), rename_text);
		wattron(b, A_BOLD);
		ui_put_clipped(b, H - 1, 1, line, W);
		wattroff(b, A_BOLD);
		free(line);
		H--;
	}
	ui_camtable_draw(&sel_table, b, y, 1, H - y, W, c, true);
}

/* Entering: the ticked cameras get their draft names at once. */
static void
sel_enter(struct wizard *w)
{
	wdraft_sync_selection(w->draft, &w->cams);
	wizard_changed(w);
}

/* Leaving: stop typing a name. */
static void
sel_leave(struct wizard *w)
{
	(void)w;
	renaming = false;
}

static int sel_key_ticks(struct wizard *w, int ch, bool is_key,
    size_t cur);

/* Keys of the name line. */
static int
sel_key_renaming(struct wizard *w, int ch, bool is_key)
{
	struct wdraft_cams *c = &w->cams;
	size_t len = strlen(rename_text), cur;
	const char *why;

	if (!is_key && ch == 27)
		renaming = false;
	else if ((is_key && ch == KEY_BACKSPACE) || (!is_key && (ch == 127 ||
	    ch == 8))) {
		if (len > 0)
			rename_text[len - 1] = '\0';
	} else if (!is_key && ch == KEY_CTRL('u'))
		rename_text[0] = '\0';
	else if (!is_key && (ch == '\n' || ch == '\r')) {
		cur = ui_camtable_current(&sel_table, c);
		renaming = false;
		if (cur == (size_t)-1 || c->v[cur].camera == NULL)
			return WK_HANDLED;
		if (wdraft_rename_camera(w->draft, c, c->v[cur].camera,
		    rename_text, &why) != 0)
			/* TRANSLATORS: the name typed, why it is refused */
			wizard_status(w, true, _("%s: %s"), rename_text, why);
		else {
			wizard_status(w, false, NULL);
			wizard_changed(w);
		}
	} else if (!is_key && ch > ' ' && ch < 127 &&
	    len + 1 < sizeof rename_text) {
		rename_text[len] = (char)ch;
		rename_text[len + 1] = '\0';
	}
	return WK_HANDLED;
}

/* Up, Down, PgUp, PgDn, /, Space, a, n. */
static int
sel_key(struct wizard *w, int ch, bool is_key)
{
	struct wdraft_cams *c = &w->cams;
	size_t cur;
	int k;

	if (renaming)
		return sel_key_renaming(w, ch, is_key);
	if (ui_camtable_key(&sel_table, ch, is_key, c) == WK_HANDLED)
		return WK_HANDLED;
	cur = ui_camtable_current(&sel_table, c);
	if (!is_key && ch == 'n' && cur != (size_t)-1 &&
	    c->v[cur].camera != NULL) {
		renaming = true;
		snprintf(rename_text, sizeof rename_text, "%s",
		    c->v[cur].camera);
		return WK_HANDLED;
	}
	/* the draft follows the ticks on Next (a camera unticked and
	 * ticked again keeps its place and name) */
	if (!is_key && ch == 'N') {
		size_t n;

		wdraft_sync_selection(w->draft, c);
		n = wdraft_names_from_scopes(w->draft, c);
		wizard_changed(w);
		/* TRANSLATORS: N renames the cameras after their scopes */
		wizard_status(w, false, P_("%zu camera named after its ONVIF "
		    "name or location.", "%zu cameras named after their ONVIF "
		    "name or location.", n), n);
		return WK_HANDLED;
	}
	k = sel_key_ticks(w, ch, is_key, cur);
	return k;
}

/* Space, a, Enter. */
static int
sel_key_ticks(struct wizard *w, int ch, bool is_key, size_t cur)
{
	struct wdraft_cams *c = &w->cams;
	size_t i, on = 0, shown = 0;

	if (!is_key && ch == ' ' && cur != (size_t)-1)
		c->v[cur].selected = !c->v[cur].selected;
	else if (!is_key && ch == 'a') {
		/* all or none of the rows shown (the filter's) */
		for (i = 0; i < c->n; i++)
			if (ui_camtable_matches(&sel_table, &c->v[i])) {
				on += c->v[i].selected;
				shown++;
			}
		for (i = 0; i < c->n; i++)
			if (ui_camtable_matches(&sel_table, &c->v[i]))
				c->v[i].selected = on < shown;
	} else if (!is_key && (ch == '\n' || ch == '\r'))
		return WK_NEXT;
	else
		return WK_UNHANDLED;
	return WK_HANDLED;
}

/* Next: the draft's cameras follow the ticks, and those still named by
 * the template are numbered again in address order (a neighbour's
 * cameras unticked leave no gaps). */
static bool
sel_validate(struct wizard *w)
{
	wdraft_sync_selection(w->draft, &w->cams);
	wdraft_renumber(w->draft, &w->cams);
	if (w->cams.cred_loaded)
		wdraft_sync_credentials(w->draft, &w->cams);
	wizard_changed(w);
	return true;
}

const struct wizard_step step_select = {
	.id = "select",
	.title = N_("Select cameras"),
	.help = N_("Every ticked camera becomes a camera of the "
	    "configuration, named cam-01, cam-02... in address order (n "
	    "renames the one under the cursor, N names every ticked camera "
	    "after its ONVIF name or location scope), and "
	    "recognised by its MAC address, serial number and address.  An "
	    "unticked camera is taken out of the configuration again."),
	.enter = sel_enter,
	.draw = sel_draw,
	.key = sel_key,
	.leave = sel_leave,
	.validate = sel_validate,
};
