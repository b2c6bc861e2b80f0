/* plan-report.c - a plan and its results as JSON (`vigia --apply --json`,
 * and the commissioning report the wizard saves).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The schema is documented in vigia(1); keys are stable English words,
 * values the same strings the plan shows.  No secret is ever written:
 * password changes carry "(hidden)".
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan-int.h"
#include "text-json.h"

/* A JSON string or null; device text is repaired, never refused (a
 * NULL from json_string() would make json_pack() drop a whole object). */
static json_t *
jstr(const char *s)
{
	return vg_json_text(s);
}

/* A JSON array of strings (possibly empty). */
static json_t *
jstrv(char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, jstr(v[i]));
	return a;
}

/* ISO 8601 UTC, or null. */
static json_t *
jtime(time_t t)
{
	char buf[32];
	struct tm tm;

	if (t == 0)
		return json_null();
	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

/* The observed state in the report's before/after shape. */
static json_t *
observed_json(const struct vg_plan_observed *o)
{
	json_t *b = json_object();

	if (o->have_time)
		json_object_set_new(b, "time", json_pack("{s:o, s:o, s:I}",
		    "ntp", o->time.ntp ? (o->time.ntp_from_dhcp ?
		    json_string("dhcp") : jstrv(o->time.ntp_servers,
		    o->time.nntp)) : json_null(),
		    "timezone", jstr(o->time.timezone),
		    "clock_offset_s", (json_int_t)o->time.offset_s));
	if (o->have_encoder)
		json_object_set_new(b, "encoder", json_pack("{s:o, s:s, s:i, "
		    "s:i, s:i, s:i, s:i, s:o, s:o}",
		    "profile_token", jstr(o->profile),
		    "codec", vg_onvif_codec_name(o->encoder.codec),
		    "width", o->encoder.width, "height", o->encoder.height,
		    "fps", o->encoder.fps,
		    "bitrate_kbps", o->encoder.bitrate_kbps,
		    "gop", o->encoder.gop,
		    "profile", jstr(o->encoder.profile),
		    "quality", vg_json_real((double)o->encoder.quality)));
	if (o->have_net)
		json_object_set_new(b, "network", json_pack("{s:b, s:o, s:i, "
		    "s:o, s:o}", "dhcp", o->net.dhcp,
		    "address", jstr(o->net.address), "prefix", o->net.prefix,
		    "gateway", jstr(o->net.gateway),
		    "dns", o->net.dns_from_dhcp ? json_string("dhcp") :
		    jstrv(o->net.dns, o->net.ndns)));
	return b;
}

/* The desired state of a camera in the same shape. */
static json_t *
desired_json(const struct vg_config *cfg, const struct vg_camera *cam)
{
	json_t *a = json_object();
	struct vg_onvif_encoder_want w;
	const char *tz = plan_timezone(cfg, cam);
	char *posix = tz != NULL ? vg_onvif_posix_tz(tz) : NULL;

	json_object_set_new(a, "time", json_pack("{s:o, s:o, s:i}",
	    "ntp", cam->time.ntp.n > 0 ? jstrv(cam->time.ntp.v,
	    cam->time.ntp.n) : json_null(),
	    "timezone", jstr(posix != NULL ? posix : tz),
	    "max_drift_s", cam->time.max_drift_s));
	free(posix);
	vg_onvif_encoder_want_from(&w, &cam->encoder);
	json_object_set_new(a, "encoder", json_pack("{s:s, s:s, s:i, s:i, "
	    "s:i, s:i, s:i, s:o, s:i}",
	    "stream", plan_profile_index(cam) == 1 ? "sub" : "main",
	    "codec", vg_onvif_codec_name(w.codec),
	    "width", w.width, "height", w.height, "fps", w.fps,
	    "bitrate_kbps", w.bitrate_kbps, "gop", w.gop,
	    "profile", jstr(w.profile), "quality", cam->encoder.quality));
	if (cam->network.mode == VG_NETWORK_STATIC)
		json_object_set_new(a, "network", json_pack("{s:b, s:o, s:i, "
		    "s:o, s:o}", "dhcp", 0,
		    "address", jstr(cam->network.address),
		    "prefix", cam->network.prefix,
		    "gateway", jstr(cam->network.gateway),
		    "dns", cam->network.dns.n > 0 ?
		    jstrv(cam->network.dns.v, cam->network.dns.n) :
		    json_null()));
	else if (cam->network.mode == VG_NETWORK_DHCP)
		json_object_set_new(a, "network", json_pack("{s:b}", "dhcp",
		    1));
	return a;
}

/* One step. */
static json_t *
step_json(const struct vg_plan_step *st, bool applied)
{
	json_t *o = json_object(), *ch = json_array();
	char op[2] = { 0, 0 };
	size_t i;

	for (i = 0; i < st->nchanges; i++) {
		const struct vg_plan_change *c = &st->changes[i];

		op[0] = c->op;
		json_array_append_new(ch, json_pack("{s:s, s:s, s:o, s:o, "
		    "s:b}", "field", c->field, "op", op,
		    "before", jstr(c->before), "after", jstr(c->after),
		    "before_unknown", c->before_unknown));
	}
	json_object_set_new(o, "step", json_string(vg_plan_step_name(
	    st->kind)));
	json_object_set_new(o, "status", json_string(vg_plan_status_name(
	    applied ? st->status : VG_PLAN_PENDING)));
	json_object_set_new(o, "changes", ch);
	json_object_set_new(o, "blocker", jstr(st->blocker));
	if (applied && st->status == VG_PLAN_FAILED) {
		json_object_set_new(o, "class", st->blocker != NULL ?
		    json_string("blocked") :
		    json_string(vg_onvif_class_name(st->cls)));
		json_object_set_new(o, "error", jstr(st->error));
		json_object_set_new(o, "message", st->blocker != NULL ?
		    vg_json_text(st->blocker) :
		    json_string(vg_onvif_class_text(st->cls)));
	}
	json_object_set_new(o, "differences", jstrv(st->diffs, st->ndiffs));
	json_object_set_new(o, "elapsed_ms", json_integer(
	    (json_int_t)(st->elapsed_us / 1000)));
	return o;
}

/* One camera. */
static json_t *
camera_json(const struct vg_plan *plan, const struct vg_plan_camera *pc,
    bool applied)
{
	const struct vg_onvif_info *in = &pc->obs.info;
	json_t *o = json_object(), *steps = json_array();
	char *host = pc->obs.url != NULL ? vg_onvif_url_host(pc->obs.url) :
	    NULL;
	size_t i;

	json_object_set_new(o, "name", vg_json_text(pc->cam->name));
	json_object_set_new(o, "result", json_string(vg_plan_result_name(
	    applied ? (pc->observed || pc->result != VG_PLAN_RESULT_NONE ?
	    pc->result : VG_PLAN_RESULT_FAILED) : VG_PLAN_RESULT_NONE)));
	json_object_set_new(o, "found", json_boolean(pc->observed));
	json_object_set_new(o, "found_by", jstr(pc->obs.found_by));
	json_object_set_new(o, "access", json_string(vg_plan_access_name(
	    pc->obs.access)));
	json_object_set_new(o, "identity", json_pack("{s:o, s:o, s:o, s:o, "
	    "s:o, s:o}", "id", jstr(in->identity), "serial", jstr(in->serial),
	    "mac", jstr(in->mac), "manufacturer", jstr(in->manufacturer),
	    "model", jstr(in->model), "firmware", jstr(in->firmware)));
	json_object_set_new(o, "url", jstr(pc->obs.url));
	json_object_set_new(o, "address", jstr(host));
	json_object_set_new(o, "address_after", applied ? jstr(pc->address) :
	    json_null());
	json_object_set_new(o, "before", observed_json(&pc->obs));
	json_object_set_new(o, "after", desired_json(plan->cfg, pc->cam));
	for (i = 0; i < pc->nsteps; i++)
		json_array_append_new(steps, step_json(&pc->steps[i],
		    applied));
	json_object_set_new(o, "steps", steps);
	if (!pc->observed) {
		json_object_set_new(o, "class", json_string(
		    vg_onvif_class_name(pc->cls)));
		json_object_set_new(o, "error", jstr(pc->problem));
		json_object_set_new(o, "message", json_string(
		    vg_onvif_class_text(pc->cls)));
	}
	json_object_set_new(o, "last_seen", jstr(pc->last_seen));
	json_object_set_new(o, "last_seen_at", jtime(pc->last_seen_at));
	json_object_set_new(o, "elapsed_ms", json_integer(
	    (json_int_t)(pc->elapsed_us / 1000)));
	free(host);
	return o;
}

/* The whole report. */
char *
vg_plan_json(const struct vg_plan *plan, bool applied)
{
	json_t *root = json_object(), *cams = json_array(), *sum;
	size_t i, unreachable = 0, tochange = 0;
	char *s;

	for (i = 0; i < plan->ncams; i++) {
		if (!plan->cams[i].observed)
			unreachable++;
		else if (plan->cams[i].nsteps > 0)
			tochange++;
		json_array_append_new(cams, camera_json(plan, &plan->cams[i],
		    applied));
	}
	sum = json_pack("{s:I, s:I, s:I, s:I, s:I}",
	    "cameras", (json_int_t)plan->ncams,
	    "to_change", (json_int_t)tochange,
	    "unchanged", (json_int_t)(plan->ncams - tochange - unreachable),
	    "unreachable", (json_int_t)unreachable,
	    "steps", (json_int_t)vg_plan_nchanges(plan));
	if (applied) {
		json_object_set_new(sum, "ok", json_integer((json_int_t)
		    vg_plan_count_result(plan, VG_PLAN_RESULT_OK)));
		json_object_set_new(sum, "failed", json_integer((json_int_t)
		    vg_plan_count_result(plan, VG_PLAN_RESULT_FAILED)));
		json_object_set_new(sum, "cancelled", json_integer(
		    (json_int_t)vg_plan_count_result(plan,
		    VG_PLAN_RESULT_CANCELLED)));
	}
	json_object_set_new(root, "report", json_string("vigia-apply"));
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "applied", json_boolean(applied));
	json_object_set_new(root, "config", jstr(plan->cfg->path));
	json_object_set_new(root, "site", jstr(plan->cfg->site.id));
	json_object_set_new(root, "summary", sum);
	json_object_set_new(root, "cameras", cams);
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (s == NULL)
		fatal("out of memory");
	return s;
}
