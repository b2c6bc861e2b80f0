/* test-wizard-draft.c - the wizard's draft helpers, without a terminal:
 * addresses from a range (what is skipped and why, where the range
 * ends), per-camera settings that the "all cameras" values leave alone,
 * and settings loaded from a file that stay as they were.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wizard.h"
#include "tap.h"

/* A draft with n cameras camera-1.. at 10.0.0.(10+i), found as such. */
static struct vg_config *
site(size_t n, struct wdraft_cams *c)
{
	struct vg_config *cfg = wdraft_new();
	size_t i;

	memset(c, 0, sizeof *c);
	for (i = 0; i < n; i++) {
		struct wdraft_found f;
		char host[32];

		memset(&f, 0, sizeof f);
		snprintf(host, sizeof host, "10.0.0.%zu", 10 + i);
		f.host = xstrdup(host);
		f.port = 80;
		f.endpoint = xstrdup(host);
		f.selected = true;
		wdraft_found_merge(c, &f);
	}
	wdraft_sync_selection(cfg, c);
	return cfg;
}

/* Is s one of the notes? */
static bool
has_note(const struct vg_strlist *notes, const char *s)
{
	size_t i;

	for (i = 0; i < notes->n; i++)
		if (strstr(notes->v[i], s) != NULL)
			return true;
	return false;
}

/* The address camera i got, or "". */
static const char *
addr(const struct vg_config *cfg, size_t i)
{
	const char *a = cfg->cameras[i].network.address;

	return a != NULL ? a : "";
}

static void
test_range(void)
{
	struct wdraft_cams c;
	struct vg_config *cfg = site(3, &c);
	struct vg_strlist notes = { 0, NULL };
	struct wdraft_found other;
	int missing;

	tap_ok(cfg->ncameras == 3, "three found cameras become three cameras");
	c.net.mode = VG_NETWORK_STATIC;
	c.net.first = xstrdup("10.0.0.1");
	c.net.prefix = 24;
	c.net.gateway = xstrdup("10.0.0.2");
	wdraft_list_set(&c.net.dns, "10.0.0.53");
	missing = wdraft_net_assign(cfg, &c, &notes);
	tap_ok(missing == 0, "every camera gets an address");
	tap_ok(strcmp(addr(cfg, 0), "10.0.0.1") == 0,
	    "the first camera gets the first address");
	tap_ok(strcmp(addr(cfg, 1), "10.0.0.3") == 0,
	    "the gateway is skipped");
	tap_ok(has_note(&notes, "10.0.0.2 skipped"), "and a note says so");
	tap_ok(cfg->cameras[2].network.prefix == 24 &&
	    strcmp(cfg->cameras[2].network.gateway, "10.0.0.2") == 0 &&
	    cfg->cameras[2].network.dns.n == 1, "prefix, gateway and DNS go "
	    "to every camera");

	/* a found device that was not ticked holds 10.0.0.4 */
	memset(&other, 0, sizeof other);
	other.host = xstrdup("10.0.0.4");
	other.endpoint = xstrdup("urn:other");
	other.manufacturer = xstrdup("ACME");
	other.model = xstrdup("X1");
	wdraft_found_merge(&c, &other);
	missing = wdraft_net_assign(cfg, &c, &notes);
	tap_ok(missing == 0 && strcmp(addr(cfg, 2), "10.0.0.5") == 0,
	    "an address a found device answers on is skipped");
	tap_ok(has_note(&notes, "ACME X1"), "the note names the device");

	/* a range that starts on another camera's current address */
	free(c.net.first);
	c.net.first = xstrdup("10.0.0.11");
	free(c.net.gateway);
	c.net.gateway = NULL;
	missing = wdraft_net_assign(cfg, &c, &notes);
	tap_ok(missing == 0 && strcmp(addr(cfg, 0), "10.0.0.12") != 0 &&
	    strcmp(addr(cfg, 0), "10.0.0.11") != 0,
	    "an address another camera holds is not given to the first");
	tap_ok(has_note(&notes, "camera cam-"),
	    "the note names the camera");
	tap_ok(strcmp(addr(cfg, 1), "10.0.0.11") == 0 ||
	    strcmp(addr(cfg, 1), "10.0.0.13") == 0 ||
	    strcmp(addr(cfg, 1), "10.0.0.14") == 0,
	    "a camera may take its own address");

	/* the range ends before the cameras do */
	free(c.net.first);
	c.net.first = xstrdup("10.0.0.254");
	missing = wdraft_net_assign(cfg, &c, &notes);
	tap_ok(missing == 2, "two cameras are left without an address");
	tap_ok(has_note(&notes, "the range ends at 10.0.0.254"),
	    "the note says where the range ends (the broadcast is never "
	    "given)");

	free(c.net.first);
	c.net.first = xstrdup("10.0.0.300");
	tap_ok(wdraft_net_assign(cfg, &c, &notes) == -1,
	    "a first address that is not IPv4 is refused");

	c.net.mode = VG_NETWORK_DHCP;
	missing = wdraft_net_assign(cfg, &c, &notes);
	tap_ok(missing == 0 && cfg->cameras[1].network.mode ==
	    VG_NETWORK_DHCP && cfg->cameras[1].network.address == NULL,
	    "DHCP clears the static settings");

	wdraft_list_set(&notes, "");
	wdraft_cams_clear(&c);
	vg_config_free(cfg);
}

static void
test_own(void)
{
	struct wdraft_cams c;
	struct vg_config *cfg = site(3, &c);
	struct vg_camera_time before;
	struct vg_diags diags = { 0, NULL };
	char path[] = "/tmp/vigia-draft-test.XXXXXX";
	struct vg_config *loaded = NULL;
	int fd;

	/* encoder: camera 2 has its own frame rate */
	wdraft_own_set(&c.own_enc, cfg->cameras[1].name, true);
	cfg->cameras[1].encoder.fps = 8;
	cfg->defaults.encoder.width = 1280;
	cfg->defaults.encoder.height = 720;
	wdraft_sync_encoder(cfg, &c);
	tap_ok(cfg->cameras[0].encoder.width == 1280 &&
	    cfg->cameras[2].encoder.height == 720,
	    "cameras without their own encoder take the new defaults");
	tap_ok(cfg->cameras[1].encoder.fps == 8 &&
	    cfg->cameras[1].encoder.width == 1920,
	    "the camera with its own encoder keeps it");

	/* time: only cameras that had the defaults follow them */
	memset(&before, 0, sizeof before);
	wdraft_time_copy(&before, &cfg->defaults.time);
	wdraft_list_set(&cfg->cameras[2].time.ntp, "10.9.9.9");
	wdraft_list_set(&cfg->defaults.time.ntp, "10.0.0.1; 10.0.0.2");
	wdraft_sync_time(cfg, &before);
	tap_ok(cfg->cameras[0].time.ntp.n == 2,
	    "a camera that had the default NTP servers takes the new ones");
	tap_ok(cfg->cameras[2].time.ntp.n == 1 &&
	    strcmp(cfg->cameras[2].time.ntp.v[0], "10.9.9.9") == 0,
	    "a camera with its own NTP server keeps it");
	wdraft_time_clear(&before);

	/* credentials: one camera with its own password */
	c.cred.user = xstrdup("vigia");
	wdraft_secret_set(&c.cred.password, "Shared-Pass-1");
	wdraft_own_set(&c.own_cred, cfg->cameras[0].name, true);
	cfg->cameras[0].credentials.user = xstrdup("vigia");
	wdraft_secret_set(&cfg->cameras[0].credentials.password,
	    "Own-Pass-22");
	wdraft_sync_credentials(cfg, &c);
	tap_ok(strcmp(cfg->cameras[1].credentials.password.value,
	    "Shared-Pass-1") == 0, "the shared password reaches the others");
	tap_ok(strcmp(cfg->cameras[0].credentials.password.value,
	    "Own-Pass-22") == 0, "a camera's own password is kept");

	/* saved and loaded again, the overrides are recognised */
	if ((fd = mkstemp(path)) >= 0)
		close(fd);
	free(cfg->site.id);
	cfg->site.id = xstrdup("own-test");
	tap_ok(vg_config_save(cfg, path, NULL) == 0, "the draft is saved");
	tap_ok(vg_config_load_draft(path, &loaded, &diags) == 0 &&
	    loaded != NULL, "and loaded again");
	if (loaded != NULL) {
		struct wdraft_cams c2;

		memset(&c2, 0, sizeof c2);
		wdraft_own_load(&c2, loaded);
		tap_ok(c2.own_enc.n == 1 && wdraft_own(&c2.own_enc,
		    loaded->cameras[1].name), "the camera with its own "
		    "encoder is recognised in a loaded file");
		tap_ok(c2.own_cred.n == 1 && wdraft_own(&c2.own_cred,
		    loaded->cameras[0].name), "and the one with its own "
		    "password");
		/* editing the defaults after loading keeps both */
		loaded->defaults.encoder.fps = 25;
		wdraft_sync_encoder(loaded, &c2);
		tap_ok(loaded->cameras[1].encoder.fps == 8 &&
		    loaded->cameras[0].encoder.fps == 25,
		    "a loaded override survives a change of the defaults");
		wdraft_cams_clear(&c2);
	}
	unlink(path);
	vg_diags_free(&diags);
	vg_config_free(loaded);
	wdraft_cams_clear(&c);
	vg_config_free(cfg);
}

/* Names: cam-01... in address order, renames, the ONVIF scopes, and
 * the administrator that opened a camera with users. */
static void
test_names(void)
{
	struct wdraft_cams c;
	struct vg_config *cfg = site(3, &c);
	const char *why;

	tap_ok(strcmp(cfg->cameras[0].name, "cam-01") == 0 &&
	    strcmp(cfg->cameras[2].name, "cam-03") == 0,
	    "cameras are named cam-01... in the list's order");
	tap_ok(wdraft_rename_camera(cfg, &c, "cam-02", "gate", &why) == 0 &&
	    strcmp(cfg->cameras[1].name, "gate") == 0 &&
	    strcmp(c.v[1].camera, "gate") == 0,
	    "a rename reaches the draft and the found camera");
	tap_ok(wdraft_rename_camera(cfg, &c, "gate", "cam-01", &why) != 0 &&
	    why != NULL, "a name another camera has is refused");
	tap_ok(wdraft_rename_camera(cfg, &c, "gate", "a b", &why) != 0,
	    "a name with a blank is refused");
	c.v[0].scope_name = xstrdup("Entrada Norte");
	c.v[1].scope_location = xstrdup("Entrada Norte");
	tap_ok(wdraft_names_from_scopes(cfg, &c) == 2 &&
	    strcmp(cfg->cameras[0].name, "entrada-norte") == 0 &&
	    strcmp(cfg->cameras[1].name, "entrada-norte-2") == 0 &&
	    strcmp(cfg->cameras[2].name, "cam-03") == 0,
	    "names from the name or location scope, numbered when taken");
	c.v[2].open_user = xstrdup("admin");
	c.v[2].open_password = xstrdup("Own-Pass-1");
	c.v[2].access = WDRAFT_ACCESS_OWN;
	wdraft_sync_credentials(cfg, &c);
	tap_ok(cfg->cameras[2].credentials.admin_password.value != NULL &&
	    strcmp(cfg->cameras[2].credentials.admin_password.value,
	    "Own-Pass-1") == 0, "what opened a camera becomes its "
	    "administrator in the draft");
	c.v[2].access = WDRAFT_ACCESS_LOCKED;
	free(c.v[2].open_user);
	c.v[2].open_user = NULL;
	tap_ok(wdraft_camera_locked(&c, "cam-03") &&
	    !wdraft_camera_locked(&c, "entrada-norte"),
	    "a camera nothing opened is locked, the others are not");
	wdraft_cams_clear(&c);
	vg_config_free(cfg);
}

/* The cameras still named by the template are numbered again in address
 * order when some are unticked (a neighbour's cameras on the network);
 * names given by hand, by the scopes or a CSV stay; the own lists
 * follow; the view of the draft shows every camera. */
static void
test_renumber(void)
{
	struct wdraft_cams c, view;
	struct vg_config *cfg;
	const char *why;
	char name[16];
	size_t i, k;
	bool ok;

	/* 12 found: 3 of them (the 2nd, 5th, 9th) a neighbour's */
	cfg = site(12, &c);
	wdraft_own_set(&c.own_cred, "cam-07", true);
	wdraft_own_set(&c.own_enc, "cam-12", true);
	c.v[1].selected = c.v[4].selected = c.v[8].selected = false;
	wdraft_sync_selection(cfg, &c);
	tap_ok(cfg->ncameras == 9 && vg_config_find_camera(cfg, "cam-01") &&
	    vg_config_find_camera(cfg, "cam-09") == NULL,
	    "unticking leaves gaps in the names");
	tap_ok(wdraft_renumber(cfg, &c) > 0, "the template names change");
	ok = cfg->ncameras == 9;
	for (i = 0, k = 0; ok && i < c.n; i++) {
		if (!c.v[i].selected)
			continue;
		snprintf(name, sizeof name, "cam-%02zu", ++k);
		ok = c.v[i].camera != NULL && strcmp(c.v[i].camera,
		    name) == 0 && strcmp(cfg->cameras[k - 1].name, name) == 0 &&
		    strcmp(cfg->cameras[k - 1].onvif.address, c.v[i].host) == 0;
	}
	tap_ok(ok && k == 9, "9 cameras are cam-01..cam-09 in address order, "
	    "in the draft's order");
	/* the 7th found (10.0.0.16) was cam-07 and is the 5th ticked */
	tap_ok(wdraft_own(&c.own_cred, "cam-05") &&
	    !wdraft_own(&c.own_cred, "cam-07") &&
	    wdraft_own(&c.own_enc, "cam-09") && c.own_enc.n == 1,
	    "own credentials and encoder follow the new names");
	tap_ok(wdraft_renumber(cfg, &c) == 0, "numbering again changes "
	    "nothing");
	/* a camera renamed by hand keeps its name and its place */
	tap_ok(wdraft_rename_camera(cfg, &c, "cam-03", "gate", &why) == 0 &&
	    !c.v[3].templated, "a rename leaves the template");
	c.v[1].selected = true;		/* ticked again: 10 cameras */
	wdraft_sync_selection(cfg, &c);
	wdraft_renumber(cfg, &c);
	tap_ok(strcmp(c.v[1].camera, "cam-02") == 0 &&
	    strcmp(c.v[3].camera, "gate") == 0 &&
	    strcmp(c.v[2].camera, "cam-03") == 0 &&
	    strcmp(c.v[5].camera, "cam-05") == 0 &&
	    strcmp(c.v[11].camera, "cam-10") == 0,
	    "a camera ticked again takes its place; a renamed one keeps its "
	    "name");
	/* a name by hand that is a template name: the template camera
	 * takes the first free number */
	tap_ok(wdraft_rename_camera(cfg, &c, "cam-10", "cam-11", &why) == 0,
	    "a camera may be renamed to a template-like name");
	wdraft_rename_camera(cfg, &c, "cam-02", "cam-88", &why);
	c.v[11].selected = false;
	c.v[8].selected = true;
	wdraft_sync_selection(cfg, &c);
	wdraft_renumber(cfg, &c);
	ok = true;
	for (i = 0; i < cfg->ncameras; i++)
		for (k = i + 1; k < cfg->ncameras; k++)
			ok &= strcmp(cfg->cameras[i].name,
			    cfg->cameras[k].name) != 0;
	tap_ok(ok && vg_config_find_camera(cfg, "cam-88") != NULL,
	    "names stay unique and hand-given ones stay");
	wdraft_cams_view(cfg, &c, &view);
	tap_ok(view.n == cfg->ncameras && strcmp(view.v[0].camera,
	    cfg->cameras[0].name) == 0 && view.v[0].host != NULL &&
	    !view.v[0].loaded, "the view has a row per draft camera");
	wdraft_view_clear(&view);
	vg_config_add_camera(cfg, "from-file");
	wdraft_cams_view(cfg, &c, &view);
	tap_ok(view.v[view.n - 1].loaded && strcmp(view.v[view.n - 1].camera,
	    "from-file") == 0, "a camera no search found is in the view");
	wdraft_view_clear(&view);
	wdraft_cams_clear(&c);
	vg_config_free(cfg);
}

/* Time zones as a technician reads them. */
static void
test_zones(void)
{
	char *z;

	z = wdraft_zone_text("<-05>5");
	tap_ok(strcmp(z, "UTC-05:00") == 0, "<-05>5 reads UTC-05:00");
	free(z);
	z = wdraft_zone_text("CET-1CEST,M3.5.0,M10.5.0/3");
	tap_ok(strcmp(z, "UTC+01:00") == 0, "CET-1CEST reads UTC+01:00");
	free(z);
	z = wdraft_zone_text("UTC");
	tap_ok(strcmp(z, "UTC") == 0, "UTC stays UTC");
	free(z);
	if (access("/usr/share/zoneinfo/America/Bogota", R_OK) == 0) {
		z = wdraft_zone_text("America/Bogota");
		tap_ok(strcmp(z, "America/Bogota (UTC-05:00)") == 0,
		    "an IANA name gets its offset");
		free(z);
	} else
		tap_ok(1, "# skip: no tzdata for America/Bogota");
	z = wdraft_zone_text("../../etc/passwd");
	tap_ok(strcmp(z, "../../etc/passwd") == 0,
	    "a path is not read as a zone");
	free(z);
}

int
main(void)
{
	vg_init();
	test_range();
	test_own();
	test_names();
	test_renumber();
	test_zones();
	return tap_done();
}
