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

int
main(void)
{
	vg_init();
	test_range();
	test_own();
	return tap_done();
}
