/* test-plan.c - the planner as a pure function: (desired, observed) ->
 * steps, with hand-made observed states; plus selection, the JSON report
 * and apply's handling of cameras it cannot or need not touch (no
 * network is used).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-int.h"
#include "tap.h"
#include "libvigia.h"

/* A camera config: user vigia, admin admin, encoder H.264 1920x1080 15
 * fps 4000 kbit/s GOP 30 Main, NTP 127.0.0.1, time zone UTC0, network
 * keep. */
static struct vg_camera *
add_cam(struct vg_config *cfg, const char *name)
{
	struct vg_camera *c = vg_config_add_camera(cfg, name);

	c->credentials.user = xstrdup("vigia");
	c->credentials.password.value = xstrdup("Secret-Pass-1");
	c->credentials.admin_user = xstrdup("admin");
	c->credentials.admin_password.value = xstrdup("Admin-Pass-9");
	c->encoder.codec = VG_CODEC_H264;
	c->encoder.width = 1920;
	c->encoder.height = 1080;
	c->encoder.fps = 15;
	c->encoder.bitrate_kbps = 4000;
	c->encoder.gop = 30;
	c->encoder.profile = VG_PROFILE_MAIN;
	c->encoder.quality = 0;
	c->time.ntp.n = 1;
	c->time.ntp.v = xcalloc(1, sizeof(char *));
	c->time.ntp.v[0] = xstrdup("127.0.0.1");
	free(c->time.timezone);
	c->time.timezone = xstrdup("UTC0");
	c->time.max_drift_s = 2;
	c->network.mode = VG_NETWORK_KEEP;
	free(c->match.address);
	c->match.address = xstrdup("127.0.1.1");
	return c;
}

/* Make cam static at addr/8 with gateway 127.0.0.1. */
static void
cam_static(struct vg_camera *c, const char *addr)
{
	c->network.mode = VG_NETWORK_STATIC;
	free(c->network.address);
	c->network.address = xstrdup(addr);
	c->network.prefix = 8;
	free(c->network.gateway);
	c->network.gateway = xstrdup("127.0.0.1");
}

/* Observed state that matches add_cam()'s desired state exactly. */
static void
obs_matching(struct vg_plan_camera *pc, const char *addr)
{
	struct vg_plan_observed *o = &pc->obs;

	plan_observed_clear(o);
	pc->observed = true;
	o->access = VG_PLAN_ACCESS_USER;
	xasprintf(&o->url, "http://%s:8080/onvif/device_service", addr);
	o->found_by = xstrdup("match.address");
	o->info.manufacturer = xstrdup("HIKVISION");
	o->info.model = xstrdup("DS-2CD2143G2-I");
	o->info.serial = xstrdup("SN0001");
	o->info.mac = xstrdup("02:00:00:00:00:01");
	o->info.identity = xstrdup("SN0001/02:00:00:00:00:01");
	o->have_time = true;
	o->time.ntp = true;
	o->time.nntp = 1;
	o->time.ntp_servers = xcalloc(1, sizeof(char *));
	o->time.ntp_servers[0] = xstrdup("127.0.0.1");
	o->time.timezone = xstrdup("UTC0");
	o->time.offset_s = 1;
	o->have_encoder = true;
	o->profile = xstrdup("Profile_1");
	o->encoder.token = xstrdup("VideoEncoder_1");
	o->encoder.codec = VG_ONVIF_CODEC_H264;
	o->encoder.width = 1920;
	o->encoder.height = 1080;
	o->encoder.fps = 15;
	o->encoder.bitrate_kbps = 4000;
	o->encoder.gop = 30;
	o->encoder.profile = xstrdup("Main");
	o->have_net = true;
	o->net.token = xstrdup("eth0");
	o->net.address = xstrdup(addr);
	o->net.prefix = 8;
	o->net.gateway = xstrdup("127.0.0.1");
}

/* The step of a kind, or NULL. */
static const struct vg_plan_step *
step_of(const struct vg_plan_camera *pc, enum vg_plan_step_kind kind)
{
	size_t i;

	for (i = 0; i < pc->nsteps; i++)
		if (pc->steps[i].kind == kind)
			return &pc->steps[i];
	return NULL;
}

/* The change of a field in a step, or NULL. */
static const struct vg_plan_change *
change_of(const struct vg_plan_step *st, const char *field)
{
	size_t i;

	if (st == NULL)
		return NULL;
	for (i = 0; i < st->nchanges; i++)
		if (strcmp(st->changes[i].field, field) == 0)
			return &st->changes[i];
	return NULL;
}

/* Does change c go from before to after with op? */
static int
is_change(const struct vg_plan_change *c, char op, const char *before,
    const char *after)
{
	if (c == NULL || c->op != op)
		return 0;
	if ((before == NULL) != (c->before == NULL) ||
	    (before != NULL && strcmp(before, c->before) != 0))
		return 0;
	if ((after == NULL) != (c->after == NULL) ||
	    (after != NULL && strcmp(after, c->after) != 0))
		return 0;
	return 1;
}

/* A one-camera plan over cfg (all cameras selected). */
static struct vg_plan *
select_all(const struct vg_config *cfg)
{
	struct vg_plan *plan = NULL;

	if (vg_plan_select(cfg, NULL, &plan, NULL) != VG_OK)
		abort();
	return plan;
}

static void
test_unchanged(void)
{
	struct vg_config *cfg = vg_config_new();
	struct vg_plan *plan;

	add_cam(cfg, "cam-1");
	plan = select_all(cfg);
	obs_matching(&plan->cams[0], "127.0.1.1");
	vg_plan_compute(plan);
	tap_ok(plan->cams[0].nsteps == 0, "matching state: no step");
	tap_ok(vg_plan_nchanges(plan) == 0, "matching state: empty plan");
	/* clock within max_drift_s, gop/profile case differences */
	plan->cams[0].obs.time.offset_s = -2;
	free(plan->cams[0].obs.encoder.profile);
	plan->cams[0].obs.encoder.profile = xstrdup("main");
	vg_plan_compute(plan);
	tap_ok(vg_plan_nchanges(plan) == 0,
	    "drift at the limit and profile case: still empty");
	vg_plan_free(plan);
	vg_config_free(cfg);
}

static void
test_encoder(void)
{
	struct vg_config *cfg = vg_config_new();
	struct vg_plan *plan;
	const struct vg_plan_step *st;
	struct vg_camera *c;

	c = add_cam(cfg, "cam-1");
	c->encoder.quality = 60;
	plan = select_all(cfg);
	obs_matching(&plan->cams[0], "127.0.1.1");
	plan->cams[0].obs.encoder.codec = VG_ONVIF_CODEC_H265;
	plan->cams[0].obs.encoder.fps = 20;
	plan->cams[0].obs.encoder.width = 2688;
	plan->cams[0].obs.encoder.height = 1520;
	plan->cams[0].obs.encoder.gop = 0;
	plan->cams[0].obs.encoder.quality = 60.0f;
	vg_plan_compute(plan);
	st = step_of(&plan->cams[0], VG_PLAN_STEP_ENCODER);
	tap_ok(plan->cams[0].nsteps == 1 && st != NULL,
	    "encoder differences: one encoder step");
	tap_ok(is_change(change_of(st, "codec"), '~', "H265", "H264"),
	    "codec H265 -> H264");
	tap_ok(is_change(change_of(st, "fps"), '~', "20", "15"),
	    "fps 20 -> 15");
	tap_ok(is_change(change_of(st, "resolution"), '~', "2688x1520",
	    "1920x1080"), "resolution");
	tap_ok(is_change(change_of(st, "gop"), '+', NULL, "30"),
	    "unknown GOP shows as added");
	tap_ok(change_of(st, "bitrate_kbps") == NULL &&
	    change_of(st, "quality") == NULL, "equal fields are not listed");
	plan->cams[0].obs.encoder.quality = 40.0f;
	vg_plan_compute(plan);
	st = step_of(&plan->cams[0], VG_PLAN_STEP_ENCODER);
	tap_ok(is_change(change_of(st, "quality"), '~', "40", "60"),
	    "quality compared when configured");
	vg_plan_free(plan);

	/* the sub stream: the camera has only one profile */
	c->recording.stream = VG_STREAM_SUB;
	plan = select_all(cfg);
	obs_matching(&plan->cams[0], "127.0.1.1");
	plan->cams[0].obs.have_encoder = false;
	vg_plan_compute(plan);
	st = step_of(&plan->cams[0], VG_PLAN_STEP_ENCODER);
	tap_ok(st != NULL && st->blocker != NULL &&
	    strstr(st->blocker, "sub stream") != NULL,
	    "sub stream missing: the encoder step is blocked");
	vg_plan_free(plan);
	vg_config_free(cfg);
}

static void
test_factory(void)
{
	struct vg_config *cfg = vg_config_new();
	struct vg_plan *plan;
	struct vg_plan_camera *pc;
	const struct vg_plan_step *st;
	struct vg_camera *c;
	size_t i;

	c = add_cam(cfg, "cam-1");
	cam_static(c, "127.0.2.1");
	plan = select_all(cfg);
	pc = &plan->cams[0];
	pc->observed = true;
	pc->obs.access = VG_PLAN_ACCESS_FACTORY;
	pc->obs.url = xstrdup("http://127.0.1.1:8080/onvif/device_service");
	pc->obs.info.manufacturer = xstrdup("HIKVISION");
	vg_plan_compute(plan);
	tap_ok(pc->nsteps == 5, "factory-new, nothing readable: 5 steps");
	for (i = 0; i + 1 < pc->nsteps; i++)
		if (pc->steps[i].kind >= pc->steps[i + 1].kind)
			break;
	tap_ok(pc->nsteps == 5 && i + 1 == pc->nsteps &&
	    pc->steps[0].kind == VG_PLAN_STEP_ACTIVATE &&
	    pc->steps[4].kind == VG_PLAN_STEP_NETWORK,
	    "order: activate, user, time, encoder, network last");
	st = step_of(pc, VG_PLAN_STEP_ACTIVATE);
	tap_ok(st != NULL && is_change(change_of(st, "administrator"), '+',
	    NULL, "admin") && st->blocker == NULL,
	    "activate as credentials.admin_user");
	tap_ok(is_change(change_of(st, "password"), '+', NULL, "(hidden)"),
	    "the password is never shown");
	st = step_of(pc, VG_PLAN_STEP_USER);
	tap_ok(is_change(change_of(st, "user"), '+', NULL, "vigia"),
	    "then create the ONVIF user");
	st = step_of(pc, VG_PLAN_STEP_ENCODER);
	tap_ok(st != NULL && st->blocker == NULL &&
	    change_of(st, "fps") != NULL &&
	    change_of(st, "fps")->before_unknown,
	    "encoder: before unknown until activated, not blocked");
	st = step_of(pc, VG_PLAN_STEP_NETWORK);
	tap_ok(st != NULL && change_of(st, "address") != NULL &&
	    change_of(st, "address")->before_unknown &&
	    strcmp(change_of(st, "address")->after, "127.0.2.1/8") == 0,
	    "network: before unknown, after 127.0.2.1/8");

	/* readable factory-new camera (Profile Q): only what differs */
	obs_matching(pc, "127.0.1.1");
	pc->obs.access = VG_PLAN_ACCESS_FACTORY;
	free(pc->obs.net.address);
	pc->obs.net.address = xstrdup("127.0.2.1");
	vg_plan_compute(plan);
	tap_ok(pc->nsteps == 2 && step_of(pc, VG_PLAN_STEP_ACTIVATE) &&
	    step_of(pc, VG_PLAN_STEP_USER),
	    "readable factory-new camera: only activate and user");

	/* the user is the administrator: activation is enough */
	free(c->credentials.user);
	c->credentials.user = xstrdup("admin");
	vg_plan_compute(plan);
	tap_ok(pc->nsteps == 1 && step_of(pc, VG_PLAN_STEP_ACTIVATE),
	    "user == admin_user: no separate user step");

	/* no administrator configured */
	free(c->credentials.admin_user);
	c->credentials.admin_user = NULL;
	vg_plan_compute(plan);
	st = step_of(pc, VG_PLAN_STEP_ACTIVATE);
	tap_ok(st != NULL && st->blocker != NULL &&
	    strstr(st->blocker, "admin_user") != NULL,
	    "factory-new without admin_user: blocked, says what to set");

	/* a password Hikvision refuses */
	c->credentials.admin_user = xstrdup("admin");
	free(c->credentials.admin_password.value);
	c->credentials.admin_password.value = xstrdup("12345");
	vg_plan_compute(plan);
	st = step_of(pc, VG_PLAN_STEP_ACTIVATE);
	tap_ok(st != NULL && st->blocker != NULL &&
	    strstr(st->blocker, "Hikvision") != NULL,
	    "weak administrator password: blocked by the vendor's rules");
	vg_plan_free(plan);
	vg_config_free(cfg);
}

static void
test_user(void)
{
	struct vg_config *cfg = vg_config_new();
	struct vg_plan *plan;
	struct vg_plan_camera *pc;
	const struct vg_plan_step *st;

	add_cam(cfg, "cam-1");
	plan = select_all(cfg);
	pc = &plan->cams[0];
	obs_matching(pc, "127.0.1.1");
	pc->obs.access = VG_PLAN_ACCESS_ADMIN;
	pc->obs.users_known = true;
	pc->obs.user_exists = false;
	vg_plan_compute(plan);
	st = step_of(pc, VG_PLAN_STEP_USER);
	tap_ok(pc->nsteps == 1 && is_change(change_of(st, "user"), '+', NULL,
	    "vigia"), "only the admin works, user missing: create it");
	pc->obs.user_exists = true;
	vg_plan_compute(plan);
	st = step_of(pc, VG_PLAN_STEP_USER);
	tap_ok(is_change(change_of(st, "password"), '~', "(refused)",
	    "(hidden)") && change_of(st, "user") == NULL,
	    "user exists but its password is refused: reset the password");
	vg_plan_free(plan);
	vg_config_free(cfg);
}

static void
test_time(void)
{
	struct vg_config *cfg = vg_config_new();
	struct vg_plan *plan;
	struct vg_plan_camera *pc;
	const struct vg_plan_step *st;
	struct vg_camera *c;

	c = add_cam(cfg, "cam-1");
	plan = select_all(cfg);
	pc = &plan->cams[0];
	obs_matching(pc, "127.0.1.1");
	pc->obs.time.ntp = false;
	pc->obs.time.offset_s = -86400;
	free(pc->obs.time.timezone);
	pc->obs.time.timezone = xstrdup("CST-8");
	vg_plan_compute(plan);
	st = step_of(pc, VG_PLAN_STEP_TIME);
	tap_ok(pc->nsteps == 1 && st != NULL, "time differences: one step");
	tap_ok(is_change(change_of(st, "ntp"), '+', NULL, "127.0.0.1"),
	    "NTP off -> on");
	tap_ok(is_change(change_of(st, "timezone"), '~', "CST-8", "UTC0"),
	    "time zone");
	tap_ok(is_change(change_of(st, "clock"), '~', "-86400 s", "+0 s"),
	    "a clock a day slow is set");

	/* NTP wanted off: the camera uses it */
	c->time.ntp.n = 0;
	obs_matching(pc, "127.0.1.1");
	vg_plan_compute(plan);
	st = step_of(pc, VG_PLAN_STEP_TIME);
	tap_ok(is_change(change_of(st, "ntp"), '-', "127.0.0.1", NULL),
	    "NTP on -> off");
	pc->obs.time.ntp = false;
	vg_plan_compute(plan);
	tap_ok(pc->nsteps == 0, "NTP off on both sides: nothing");
	c->time.ntp.n = 1;

	/* NTP from DHCP is not our server list */
	pc->obs.time.ntp = true;
	pc->obs.time.ntp_from_dhcp = true;
	vg_plan_compute(plan);
	st = step_of(pc, VG_PLAN_STEP_TIME);
	tap_ok(is_change(change_of(st, "ntp"), '~', "dhcp", "127.0.0.1"),
	    "NTP from DHCP -> our servers");

	/* no time zone anywhere: the camera's is kept */
	pc->obs.time.ntp_from_dhcp = false;
	free(c->time.timezone);
	c->time.timezone = NULL;
	free(cfg->site.timezone);
	cfg->site.timezone = NULL;
	free(pc->obs.time.timezone);
	pc->obs.time.timezone = xstrdup("CST-8");
	vg_plan_compute(plan);
	tap_ok(pc->nsteps == 0, "no configured time zone: the camera's stays");
	cfg->site.timezone = xstrdup("No/Such_Zone");
	vg_plan_compute(plan);
	st = step_of(pc, VG_PLAN_STEP_TIME);
	tap_ok(st != NULL && st->blocker != NULL,
	    "unknown site time zone: blocked");
	vg_plan_free(plan);
	vg_config_free(cfg);
}

static void
test_network(void)
{
	struct vg_config *cfg = vg_config_new();
	struct vg_plan *plan;
	struct vg_plan_camera *pc;
	const struct vg_plan_step *st;
	struct vg_camera *c;

	c = add_cam(cfg, "cam-1");
	plan = select_all(cfg);
	pc = &plan->cams[0];
	obs_matching(pc, "127.0.1.1");
	pc->obs.net.dhcp = true;
	vg_plan_compute(plan);
	tap_ok(pc->nsteps == 0, "network keep: no step whatever it has");

	cam_static(c, "127.0.2.1");
	c->network.dns.n = 1;
	c->network.dns.v = xcalloc(1, sizeof(char *));
	c->network.dns.v[0] = xstrdup("127.0.0.53");
	pc->obs.net.dns_from_dhcp = true;
	vg_plan_compute(plan);
	st = step_of(pc, VG_PLAN_STEP_NETWORK);
	tap_ok(pc->nsteps == 1 && is_change(change_of(st, "address"), '~',
	    "dhcp", "127.0.2.1/8"), "DHCP -> static address");
	tap_ok(is_change(change_of(st, "dns"), '~', "dhcp", "127.0.0.53"),
	    "DNS from DHCP -> ours");
	tap_ok(change_of(st, "gateway") == NULL, "same gateway: not listed");

	pc->obs.net.dhcp = false;
	free(pc->obs.net.address);
	pc->obs.net.address = xstrdup("127.0.2.1");
	pc->obs.net.dns_from_dhcp = false;
	pc->obs.net.ndns = 1;
	pc->obs.net.dns = xcalloc(1, sizeof(char *));
	pc->obs.net.dns[0] = xstrdup("127.0.0.53");
	vg_plan_compute(plan);
	tap_ok(pc->nsteps == 0, "already at its address: nothing");

	pc->obs.net.prefix = 24;
	vg_plan_compute(plan);
	st = step_of(pc, VG_PLAN_STEP_NETWORK);
	tap_ok(is_change(change_of(st, "address"), '~', "127.0.2.1/24",
	    "127.0.2.1/8"), "prefix difference");

	c->network.mode = VG_NETWORK_DHCP;
	vg_plan_compute(plan);
	st = step_of(pc, VG_PLAN_STEP_NETWORK);
	tap_ok(st != NULL && st->blocker != NULL,
	    "DHCP wanted: planned but blocked (not supported yet)");
	vg_plan_free(plan);
	vg_config_free(cfg);
}

static void
test_batch(void)
{
	struct vg_config *cfg = vg_config_new();
	struct vg_plan *plan;
	const struct vg_plan_step *a, *b;

	cam_static(add_cam(cfg, "a"), "127.0.2.2");
	cam_static(add_cam(cfg, "b"), "127.0.2.3");
	cam_static(add_cam(cfg, "c"), "127.0.2.3");
	plan = select_all(cfg);
	obs_matching(&plan->cams[0], "127.0.1.1");
	obs_matching(&plan->cams[1], "127.0.2.2");	/* holds a's target */
	obs_matching(&plan->cams[2], "127.0.1.3");
	vg_plan_compute(plan);
	a = step_of(&plan->cams[0], VG_PLAN_STEP_NETWORK);
	b = step_of(&plan->cams[2], VG_PLAN_STEP_NETWORK);
	tap_ok(a != NULL && a->blocker == NULL && a->wait_for == 1,
	    "target held by a camera that moves: wait for it");
	tap_ok(b != NULL && b->blocker != NULL &&
	    strstr(b->blocker, "also planned") != NULL,
	    "one address for two cameras: the second is blocked");

	/* b keeps its address: a cannot have it */
	free(cfg->cameras[1].network.address);
	cfg->cameras[1].network.address = xstrdup("127.0.2.2");
	vg_plan_compute(plan);
	a = step_of(&plan->cams[0], VG_PLAN_STEP_NETWORK);
	tap_ok(a != NULL && a->blocker != NULL && a->wait_for == -1,
	    "target held by a camera that stays: blocked");

	/* a swap */
	free(cfg->cameras[1].network.address);
	cfg->cameras[1].network.address = xstrdup("127.0.1.1");
	vg_plan_compute(plan);
	a = step_of(&plan->cams[0], VG_PLAN_STEP_NETWORK);
	b = step_of(&plan->cams[1], VG_PLAN_STEP_NETWORK);
	tap_ok(a != NULL && b != NULL && a->blocker != NULL &&
	    b->blocker != NULL && strstr(a->blocker, "swap") != NULL,
	    "two cameras swapping addresses: both blocked");
	vg_plan_free(plan);

	/* another host answers on the target */
	plan = select_all(cfg);
	obs_matching(&plan->cams[0], "127.0.1.1");
	plan->cams[0].obs.addr_in_use = xstrdup("a host answers on port 80");
	vg_plan_compute(plan);
	a = step_of(&plan->cams[0], VG_PLAN_STEP_NETWORK);
	tap_ok(a != NULL && a->blocker != NULL &&
	    strstr(a->blocker, "another device") != NULL,
	    "target used by a foreign host: blocked");
	vg_plan_free(plan);
	vg_config_free(cfg);
}

static void
test_select(void)
{
	struct vg_config *cfg = vg_config_new();
	struct vg_plan *plan = NULL;
	struct vg_plan_opts o;
	const char *only[] = { "B" }, *bad[] = { "nope" };
	char *cause = NULL;

	add_cam(cfg, "a");
	add_cam(cfg, "b")->enabled = false;
	add_cam(cfg, "c");
	plan = select_all(cfg);
	tap_ok(plan->ncams == 2 && strcmp(plan->cams[1].cam->name, "c") == 0,
	    "disabled cameras are left out");
	vg_plan_free(plan);
	memset(&o, 0, sizeof o);
	o.only = only;
	o.nonly = 1;
	tap_ok(vg_plan_select(cfg, &o, &plan, NULL) == VG_OK &&
	    plan->ncams == 1 && strcmp(plan->cams[0].cam->name, "b") == 0,
	    "--only names a camera (case does not count), even disabled");
	vg_plan_free(plan);
	o.only = bad;
	tap_ok(vg_plan_select(cfg, &o, &plan, &cause) == VG_ERR_USAGE &&
	    plan == NULL && cause != NULL && strstr(cause, "nope") != NULL,
	    "--only with an unknown name: usage error naming it");
	free(cause);
	vg_config_free(cfg);
}

static void
test_report_and_apply(void)
{
	struct vg_config *cfg = vg_config_new();
	struct vg_plan *plan;
	struct vg_plan_counts n;
	char *json;
	int err;

	add_cam(cfg, "same");
	add_cam(cfg, "gone");
	add_cam(cfg, "todo");
	cfg->cameras[2].encoder.fps = 25;
	plan = select_all(cfg);
	obs_matching(&plan->cams[0], "127.0.1.1");
	plan->cams[1].cls = VG_ONVIF_TIMEOUT;
	plan->cams[1].problem = xstrdup("no answer within 5000 ms");
	obs_matching(&plan->cams[2], "127.0.1.3");
	vg_plan_compute(plan);
	tap_ok(vg_plan_nchanges(plan) == 1, "one step planned in total");
	json = vg_plan_json(plan, false);
	tap_ok(strstr(json, "\"report\": \"vigia-apply\"") != NULL &&
	    strstr(json, "\"result\": \"planned\"") != NULL &&
	    strstr(json, "\"class\": \"timeout\"") != NULL &&
	    strstr(json, "\"field\": \"fps\"") != NULL,
	    "JSON plan: report tag, planned results, class, changes");
	tap_ok(strstr(json, "Secret-Pass-1") == NULL &&
	    strstr(json, "Admin-Pass-9") == NULL, "JSON holds no password");
	free(json);

	/* cancelled before it starts: nothing is sent, steps skipped */
	vg_plan_cancel(plan);
	err = vg_plan_apply(plan, NULL);
	vg_plan_progress(plan, &n);
	tap_ok(err == VG_ERR_CANCELLED, "apply after cancel: cancelled");
	tap_ok(plan->cams[0].result == VG_PLAN_RESULT_UNCHANGED &&
	    plan->cams[1].result == VG_PLAN_RESULT_FAILED &&
	    plan->cams[2].result == VG_PLAN_RESULT_CANCELLED &&
	    plan->cams[2].steps[0].status == VG_PLAN_SKIPPED,
	    "results: unchanged, failed (unreachable), cancelled");
	tap_ok(n.cameras == 3 && n.cameras_done == 3 && n.steps == 1 &&
	    n.steps_done == 1 && n.cameras_failed == 1,
	    "progress counters");
	json = vg_plan_json(plan, true);
	tap_ok(strstr(json, "\"status\": \"skipped\"") != NULL &&
	    strstr(json, "\"cancelled\": 1") != NULL &&
	    strstr(json, "\"failed\": 1") != NULL,
	    "JSON results: step status and summary");
	free(json);
	vg_plan_free(plan);
	vg_config_free(cfg);
}

int
main(void)
{
	test_unchanged();
	test_encoder();
	test_factory();
	test_user();
	test_time();
	test_network();
	test_batch();
	test_select();
	test_report_and_apply();
	return tap_done();
}
