/* step-network.c - static addresses for the cameras, from a range.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page of fields over w->cams.net: keep the addresses, DHCP, or static
 * addresses from a first address up.  Each change assigns the addresses
 * again (wdraft_net_assign), skipping the gateway and every address that
 * a found device or another camera holds, and the table under the fields
 * shows each camera's address now and the one it gets.  Next asks the
 * network whether the new addresses are free (a job: a connection to the
 * camera's ONVIF port at each one, vg_onvif_address_in_use, the same test
 * the plan makes) and goes on only when they are.  A draft loaded from a
 * file keeps its addresses until a field is changed.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "wizard.h"

/* What the step knows beyond the draft. */
static struct {
	struct vg_strlist notes;	/* what the assignment skipped */
	int missing;			/* cameras without an address; -1 */
	char *checked;			/* the assignment last checked */
	char **state;			/* per camera: result of the check */
	bool *bad;
	size_t nstate;
} nt;

/* The job's data: addresses to try and what was found. */
struct net_check {
	size_t n;
	char **addr;		/* NULL: the camera keeps its address */
	int *port;
	bool *in_use;
	char **how;
};

static void *
net_base(struct wizard *w)
{
	wdraft_net_load(&w->cams, w->draft);
	return &w->cams.net;
}

static bool
net_static(struct wizard *w)
{
	return w->cams.net.mode == VG_NETWORK_STATIC;
}

static const char *const net_modes[] = {
	N_("Keep the addresses they have"),
	N_("DHCP"),
	N_("Static, from a range"),
	NULL
};
static const int net_mode_values[] = {
	VG_NETWORK_KEEP, VG_NETWORK_DHCP, VG_NETWORK_STATIC
};

static const struct ui_field net_fields[] = {
	{ .kind = UI_CHOICE, .vtype = UV_ENUM,
	    .off = offsetof(struct wdraft_net, mode),
	    .path = "cameras[0].network.mode", .label = N_("Addresses"),
	    .choices = net_modes, .values = net_mode_values,
	    .hint = N_("Static addresses keep the cameras where the recorder "
		"expects them.") },
	{ .kind = UI_TEXT, .vtype = UV_STR,
	    .off = offsetof(struct wdraft_net, first),
	    .path = "cameras[0].network.address", .label = N_("First address"),
	    .shown = net_static,
	    .hint = N_("The first camera gets it, the next one the next free "
		"address, and so on.") },
	{ .kind = UI_NUMBER, .vtype = UV_INT,
	    .off = offsetof(struct wdraft_net, prefix),
	    .path = "cameras[0].network.prefix", .label = N_("Prefix length"),
	    .shown = net_static,
	    .hint = N_("24 is the netmask 255.255.255.0.") },
	{ .kind = UI_TEXT, .vtype = UV_STR,
	    .off = offsetof(struct wdraft_net, gateway),
	    .path = "cameras[0].network.gateway", .label = N_("Gateway"),
	    .shown = net_static,
	    .hint = N_("The router of the camera network; empty: none.") },
	{ .kind = UI_TEXT, .vtype = UV_LIST,
	    .off = offsetof(struct wdraft_net, dns),
	    .path = "cameras[0].network.dns", .label = N_("DNS servers"),
	    .shown = net_static,
	    .hint = N_("Separated by ';'; needed only for NTP servers given "
		"by name.") },
};

/* The address each camera gets, "a;b;c", to know whether it changed
 * since the last check; caller frees. */
static char *
net_signature(struct wizard *w)
{
	char *s = xstrdup(""), *t;
	size_t i;

	for (i = 0; i < w->draft->ncameras; i++) {
		const struct vg_camera_network *n = &w->draft->cameras[i].network;

		xasprintf(&t, "%s%s=%d:%s;", s, w->draft->cameras[i].name,
		    (int)n->mode, n->address != NULL ? n->address : "");
		free(s);
		s = t;
	}
	return s;
}

/* Drop the results of the last check. */
static void
net_forget(void)
{
	size_t i;

	for (i = 0; i < nt.nstate; i++)
		free(nt.state[i]);
	free(nt.state);
	free(nt.bad);
	free(nt.checked);
	nt.state = NULL;
	nt.bad = NULL;
	nt.checked = NULL;
	nt.nstate = 0;
}

/* Assign again after a change of the fields. */
static void
net_assign(struct wizard *w)
{
	char *before = net_signature(w), *after;

	nt.missing = wdraft_net_assign(w->draft, &w->cams, &nt.notes);
	w->cams.net.edited = true;
	after = net_signature(w);
	if (strcmp(before, after) != 0)
		net_forget();	/* the last check was of other addresses */
	free(before);
	free(after);
	wizard_changed(w);
}

/* The address a camera answers on now. */
static const char *
net_now(const struct vg_camera *cam)
{
	return cam->onvif.address != NULL ? cam->onvif.address :
	    cam->match.address;
}

/* The camera table under the fields (Down from the last field goes into
 * it); its columns beyond the usual ones: the address each camera gets
 * and the check of it. */
static struct ui_camtable net_table = { .names = true,
	.hide = UI_CT_VENDOR | UI_CT_STATE };
static bool net_in_table;

/* NEW and CHECK of draft camera i. */
static char *
net_cell(void *arg, size_t i, int col)
{
	struct wizard *w = arg;
	const struct vg_camera *cam;
	const char *now;

	if (i >= w->draft->ncameras)
		return xstrdup("");
	cam = &w->draft->cameras[i];
	now = net_now(cam);
	if (col == 0)
		switch (cam->network.mode) {
		case VG_NETWORK_DHCP:
			return xstrdup(_("DHCP"));
		case VG_NETWORK_STATIC:
			return xstrdup(cam->network.address != NULL ?
			    cam->network.address : _("none left"));
		default:
			return xstrdup(_("(same)"));
		}
	if (i < nt.nstate && nt.state[i] != NULL)
		return xstrdup(nt.state[i]);
	if (cam->network.mode == VG_NETWORK_STATIC &&
	    cam->network.address != NULL && now != NULL &&
	    strcmp(now, cam->network.address) == 0)
		return xstrdup(_("keeps it"));
	return xstrdup("");
}

/* A camera without an address, or whose new one is in use: red. */
static int
net_row_attr(void *arg, size_t i)
{
	struct wizard *w = arg;
	const struct vg_camera *cam;

	if (i >= w->draft->ncameras)
		return A_NORMAL;
	cam = &w->draft->cameras[i];
	if ((cam->network.mode == VG_NETWORK_STATIC &&
	    cam->network.address == NULL) || (i < nt.nstate && nt.bad[i]))
		return tui_attr(UI_PAIR_ERROR);
	return A_NORMAL;
}

/* The table: camera, address now, model, address after, check; the notes
 * of what was skipped under it. */
static int
net_extra(struct wizard *w, WINDOW *win, int y, int h, int width)
{
	const struct vg_config *cfg = w->draft;
	struct wdraft_cams view;
	int y0 = y, notes = 0, th;
	size_t i;

	if (cfg->ncameras == 0) {
		ui_wrap(win, y, 1, width, h, _("No camera is configured: "
		    "these settings apply to cameras added later."),
		    tui_attr(UI_PAIR_DIM));
		return 1;
	}
	if (net_static(w) && nt.missing < 0 && w->cams.net.edited) {
		y += ui_wrap(win, y, 1, width, h, _("Give a first address "
		    "(IPv4) and a prefix length from 1 to 32."),
		    tui_attr(UI_PAIR_ERROR));
	}
	if (net_static(w))
		notes = nt.notes.n < 3 ? (int)nt.notes.n : 3;
	th = y0 + h - y - notes;
	if (th > (int)cfg->ncameras + 2)
		th = (int)cfg->ncameras + 2;
	if (th >= 3) {
		wdraft_cams_view(cfg, &w->cams, &view);
		net_table.nextra = 2;
		/* TRANSLATORS: column titles: the new address, its check */
		net_table.extra_head[0] = _("NEW");
		net_table.extra_head[1] = _("CHECK");
		net_table.extra_cell = net_cell;
		net_table.row_attr = net_row_attr;
		net_table.arg = w;
		net_table.passive = !net_in_table;
		ui_camtable_draw(&net_table, win, y, 1, th, width, &view,
		    net_in_table);
		wdraft_view_clear(&view);
		y += th;
	}
	for (i = 0; net_static(w) && i < nt.notes.n && y < y0 + h; i++)
		y += ui_wrap(win, y, 1, width, y0 + h - y, nt.notes.v[i],
		    tui_attr(UI_PAIR_DIM));
	return y - y0;
}

static const struct ui_page_def net_page = {
	.intro = N_("Give the cameras fixed addresses, so that the recorder "
	    "always finds them.  Conflicts are shown here, before anything "
	    "changes."),
	.fields = net_fields,
	.nfields = sizeof net_fields / sizeof net_fields[0],
	.base = net_base,
	.extra = net_extra,
};

/* What the fields say, to notice a change. */
static char *
net_fields_text(const struct wdraft_net *n)
{
	char *dns = wdraft_list_join(&n->dns), *s;

	xasprintf(&s, "%d|%s|%d|%s|%s", (int)n->mode, n->first != NULL ?
	    n->first : "", n->prefix, n->gateway != NULL ? n->gateway : "",
	    dns != NULL ? dns : "");
	free(dns);
	return s;
}

static void
net_enter(struct wizard *w)
{
	net_base(w);
	if (w->cams.net.edited)
		net_assign(w);	/* cameras may have been added since */
	page_enter(w);
}

/* Keys of the camera table, once Down from the last field went into it:
 * Up from its first row goes back to the fields. */
static int
net_table_key(struct wizard *w, int ch, bool is_key)
{
	struct wdraft_cams view;
	int k;

	wdraft_cams_view(w->draft, &w->cams, &view);
	if (!net_table.filtering && is_key && ch == KEY_UP &&
	    net_table.cursor == 0) {
		net_in_table = false;
		k = WK_HANDLED;
	} else if (!net_table.filtering && !is_key && ch == 27) {
		net_in_table = false;
		k = WK_HANDLED;
	} else
		k = ui_camtable_key(&net_table, ch, is_key, &view);
	wdraft_view_clear(&view);
	if (k == WK_HANDLED)
		page_rebuild(w);
	return k;
}

static int
net_key(struct wizard *w, int ch, bool is_key)
{
	char *before, *after;
	int k;

	if (net_in_table && w->draft->ncameras > 0) {
		k = net_table_key(w, ch, is_key);
		if (k != WK_UNHANDLED)
			return k;
		net_in_table = false;	/* another key: to the fields */
	}
	/* Down from the last field: into the table */
	if (is_key && ch == KEY_DOWN && w->draft->ncameras > 0 &&
	    wizard_page(w)->focus == (net_static(w) ? 4 : 0)) {
		net_in_table = true;
		net_table.cursor = net_table.top;
		page_rebuild(w);
		return WK_HANDLED;
	}
	before = net_fields_text(&w->cams.net);
	k = page_key(w, ch, is_key);
	after = net_fields_text(&w->cams.net);
	if (strcmp(before, after) != 0) {
		net_assign(w);
		page_rebuild(w);
	}
	free(before);
	free(after);
	return k;
}

/* Leaving: the keys go to the fields again. */
static void
net_leave(struct wizard *w)
{
	net_in_table = false;
	page_leave(w);
}

/* Worker: is each new address free? */
static int
net_check_worker(struct wizard_job *job)
{
	struct net_check *c = job->arg;
	size_t i;
	char *item;

	for (i = 0; i < c->n; i++) {
		if (wizard_job_cancelled(job))
			return VG_ERR_CANCELLED;
		if (c->addr[i] == NULL)
			continue;
		item = xstrdup(c->addr[i]);
		wizard_job_progress(job, (double)i / (double)c->n, item);
		free(item);
		if (vg_onvif_address_in_use(c->addr[i], c->port[i], 700,
		    &c->in_use[i], &c->how[i]) != VG_OK)
			c->in_use[i] = false;	/* cannot tell: the plan
						 * asks again */
	}
	return VG_OK;
}

/* Free the job's data. */
static void
net_check_free(struct net_check *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->addr[i]);
		free(c->how[i]);
	}
	free(c->addr);
	free(c->port);
	free(c->in_use);
	free(c->how);
	free(c);
}

/* Start asking whether the new addresses are free. */
static void
net_check_start(struct wizard *w)
{
	struct net_check *c = xcalloc(1, sizeof *c);
	size_t i;

	c->n = w->draft->ncameras;
	c->addr = xcalloc(c->n, sizeof *c->addr);
	c->port = xcalloc(c->n, sizeof *c->port);
	c->in_use = xcalloc(c->n, sizeof *c->in_use);
	c->how = xcalloc(c->n, sizeof *c->how);
	for (i = 0; i < c->n; i++) {
		const struct vg_camera *cam = &w->draft->cameras[i];
		const char *now = net_now(cam);

		c->port[i] = cam->onvif.port > 0 ? cam->onvif.port : 80;
		if (cam->network.address != NULL && (now == NULL ||
		    strcmp(now, cam->network.address) != 0))
			c->addr[i] = xstrdup(cam->network.address);
	}
	wizard_job_start(w, wizard_job_thread(_("Checking that the new "
	    "addresses are free"), net_check_worker, c, true));
}

/* The check ended: mark each camera; go on when every address is free. */
static void
net_done(struct wizard *w, struct wizard_job *job)
{
	struct net_check *c = job->arg;
	size_t i, inuse = 0;

	job->arg = NULL;
	net_forget();
	if (job->result != VG_OK || c->n != w->draft->ncameras) {
		wizard_status(w, job->result != VG_ERR_CANCELLED, "%s",
		    _("The addresses were not checked; Next checks them."));
		net_check_free(c);
		page_rebuild(w);
		return;
	}
	nt.nstate = c->n;
	nt.state = xcalloc(c->n, sizeof *nt.state);
	nt.bad = xcalloc(c->n, sizeof *nt.bad);
	for (i = 0; i < c->n; i++) {
		if (c->addr[i] == NULL)
			continue;
		if (c->in_use[i]) {
			inuse++;
			nt.bad[i] = true;
			/* TRANSLATORS: %s is an English detail */
			xasprintf(&nt.state[i], _("in use: %s"), c->how[i] !=
			    NULL ? c->how[i] : "?");
		} else
			nt.state[i] = xstrdup(_("free"));
	}
	net_check_free(c);
	nt.checked = net_signature(w);
	page_rebuild(w);
	if (inuse > 0) {
		wizard_status(w, true, P_("%zu new address is in use by "
		    "another device: change the range.", "%zu new addresses "
		    "are in use by other devices: change the range.", inuse),
		    inuse);
		return;
	}
	wizard_status(w, false, "%s", _("Every new address is free."));
	wizard_goto(w, w->steps[w->cur + 1]);
}

/* Next: a valid range, then the check, then on. */
static bool
net_validate(struct wizard *w)
{
	char *sig;
	bool same;
	size_t i;

	if (!net_static(w) || w->draft->ncameras == 0)
		return page_validate(w);
	if (!w->cams.net.edited) {
		/* the file's own addresses: checked, never reassigned */
		nt.missing = 0;
		for (i = 0; i < w->draft->ncameras; i++)
			nt.missing += w->draft->cameras[i].network.mode ==
			    VG_NETWORK_STATIC &&
			    w->draft->cameras[i].network.address == NULL;
	}
	if (nt.missing != 0) {
		wizard_status(w, true, "%s", nt.missing < 0 ? _("Give a first "
		    "address (IPv4) and a prefix length from 1 to 32.") :
		    _("The range has no address left for some cameras: "
		    "start it lower or widen the prefix."));
		return false;
	}
	if (!page_validate(w))
		return false;
	sig = net_signature(w);
	same = nt.checked != NULL && strcmp(sig, nt.checked) == 0;
	free(sig);
	if (!same) {
		net_check_start(w);
		return false;
	}
	for (i = 0; i < nt.nstate; i++)
		if (nt.bad[i]) {
			wizard_status(w, true, "%s", _("A new address is in use "
			    "by another device: change the range."));
			return false;
		}
	return true;
}

const struct wizard_step step_network = {
	.id = "network",
	.title = N_("Camera addresses"),
	.help = N_("Static addresses are given in the order of the cameras, "
	    "from the first address up; the gateway and any address a found "
	    "device or another camera holds are skipped (the lines under the "
	    "table say which).  Next asks the network whether each new "
	    "address is free before going on.  The address changes last, "
	    "after everything else on the camera; vigia then follows the "
	    "camera to its new address and checks it there.  Down from the "
	    "last field goes into the table: PgUp/PgDn scroll it, / filters "
	    "it, Up from its first row goes back."),
	.page = &net_page,
	.enter = net_enter,
	.key = net_key,
	.leave = net_leave,
	.validate = net_validate,
	.job_done = net_done,
};
