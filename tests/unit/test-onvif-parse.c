/* test-onvif-parse.c - the ONVIF core's pure functions: targets, scopes,
 * vendor password rules, time zones, encoder validation.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "libvigia.h"

/* target -> URL, or NULL when refused. */
static bool
url_is(const char *target, bool tls, const char *want)
{
	char *url = NULL, *cause = NULL;
	int err = vg_onvif_target_url(target, tls, &url, &cause);
	bool ok = want == NULL ? err == VG_ERR_USAGE :
	    err == VG_OK && strcmp(url, want) == 0;

	if (!ok)
		printf("# %s -> %s (%s)\n", target, url ? url : "NULL",
		    cause ? cause : "");
	free(url);
	free(cause);
	return ok;
}

int
main(void)
{
	struct vg_onvif_scopes sc;
	struct vg_onvif_encoder_options opt;
	struct vg_onvif_codec_options co;
	struct vg_onvif_encoder cur;
	struct vg_onvif_encoder_want w;
	struct vg_onvif_diffs d = { NULL, NULL, 0 };
	int res[2][2] = { { 1920, 1080 }, { 1280, 720 } };
	char *s, *cause = NULL;

	tap_ok(url_is("192.168.1.64", false,
	    "http://192.168.1.64:80/onvif/device_service"), "host only");
	tap_ok(url_is("cam.local:8899", false,
	    "http://cam.local:8899/onvif/device_service"), "host:port (8899)");
	tap_ok(url_is("10.0.0.5:8080/onvif/device", false,
	    "http://10.0.0.5:8080/onvif/device"), "host:port/path");
	tap_ok(url_is("10.0.0.5/onvif/dev", true,
	    "https://10.0.0.5:443/onvif/dev"), "host/path with tls");
	tap_ok(url_is("[fe80::1]:80", false,
	    "http://[fe80::1]:80/onvif/device_service"), "IPv6 literal");
	tap_ok(url_is("https://cam/x", false, "https://cam/x"), "URL kept");
	tap_ok(url_is("cam:99999", false, NULL), "port out of range refused");
	tap_ok(url_is("rtsp://cam/x", false, NULL), "other scheme refused");
	tap_ok(url_is("", false, NULL), "empty refused");
	s = vg_onvif_url_host("http://[fe80::1]:80/x");
	tap_ok(s != NULL && strcmp(s, "fe80::1") == 0, "host of IPv6 URL");
	free(s);

	memset(&sc, 0, sizeof sc);
	vg_onvif_scopes_parse("onvif://www.onvif.org/name/C%C3%A1mara%201 "
	    "onvif://www.onvif.org/Profile/Q/FactoryDefault  "
	    "onvif://www.onvif.org/Profile/Streaming\t"
	    "onvif://www.onvif.org/MAC/AA-BB-CC-00-11-22 "
	    "http://vendor.example/extra", &sc);
	tap_ok(sc.name != NULL && strcmp(sc.name, "Cámara 1") == 0,
	    "scope name, percent-decoded UTF-8");
	tap_ok(sc.factory_default && sc.nprofiles == 2 &&
	    strcmp(sc.profiles[0], "Q") == 0, "Profile Q factory default");
	tap_ok(sc.mac != NULL && strcmp(sc.mac, "aa:bb:cc:00:11:22") == 0,
	    "MAC scope normalised");
	tap_ok(sc.nall == 5, "every scope kept, even a vendor's");
	vg_onvif_scopes_clear(&sc);

	tap_ok(vg_onvif_password_check(VG_ONVIF_VENDOR_HIKVISION, "abcdefgh",
	    NULL) == VG_ERR_USAGE, "hikvision: one character class refused");
	tap_ok(vg_onvif_password_check(VG_ONVIF_VENDOR_HIKVISION, "abcd1234",
	    NULL) == VG_OK, "hikvision: two classes accepted");
	tap_ok(vg_onvif_password_check(VG_ONVIF_VENDOR_HIKVISION,
	    "abcd1234abcd1234x", NULL) == VG_ERR_USAGE,
	    "hikvision: 17 characters refused");
	tap_ok(vg_onvif_password_check(VG_ONVIF_VENDOR_DAHUA, "abcd:1234",
	    &cause) == VG_ERR_USAGE && cause != NULL,
	    "dahua: ':' refused with a reason");
	free(cause);
	tap_ok(vg_onvif_password_check(VG_ONVIF_VENDOR_AXIS, "x", NULL) ==
	    VG_OK, "axis: one character accepted");
	tap_ok(vg_onvif_password_check(VG_ONVIF_VENDOR_AXIS, "contraseña",
	    NULL) == VG_ERR_USAGE, "axis: non-ASCII refused");
	tap_ok(vg_onvif_password_check(VG_ONVIF_VENDOR_GENERIC, "Vigia2026",
	    NULL) == VG_OK, "generic: common ground accepted");
	tap_ok(vg_onvif_vendor_of("Dahua Technology") ==
	    VG_ONVIF_VENDOR_DAHUA && vg_onvif_vendor_of("AXIS") ==
	    VG_ONVIF_VENDOR_AXIS, "vendor from manufacturer");

	s = vg_onvif_posix_tz("CET-1CEST,M3.5.0,M10.5.0/3");
	tap_ok(s != NULL && strcmp(s, "CET-1CEST,M3.5.0,M10.5.0/3") == 0,
	    "POSIX TZ kept");
	free(s);
	s = vg_onvif_posix_tz("Europe/Madrid");
	if (s != NULL || access("/usr/share/zoneinfo/Europe/Madrid", 0) == 0)
		tap_ok(s != NULL && strcmp(s, "CET-1CEST,M3.5.0,M10.5.0/3") ==
		    0, "IANA name to POSIX TZ from zoneinfo");
	free(s);
	tap_ok(vg_onvif_posix_tz("../../etc/passwd") == NULL,
	    "no path tricks in a time zone");

	/* validation: every problem listed, nothing else */
	memset(&opt, 0, sizeof opt);
	memset(&co, 0, sizeof co);
	co.codec = VG_ONVIF_CODEC_H264;
	co.res = res;
	co.nres = 2;
	co.fps_min = 1;
	co.fps_max = 30;
	co.gop_min = 1;
	co.gop_max = 100;
	co.bitrate_min = 64;
	co.bitrate_max = 8192;
	opt.codecs = &co;
	opt.ncodecs = 1;
	memset(&cur, 0, sizeof cur);
	cur.codec = VG_ONVIF_CODEC_H264;
	cur.width = 1920;
	cur.height = 1080;
	memset(&w, 0, sizeof w);
	w.fps = 25;
	w.gop = 50;
	tap_ok(vg_onvif_encoder_validate(&opt, &cur, &w, &d) == VG_OK &&
	    d.n == 0, "valid settings pass");
	w.width = 640;
	w.height = 480;
	w.fps = 60;
	w.gop = 500;
	w.bitrate_kbps = 20000;
	tap_ok(vg_onvif_encoder_validate(&opt, &cur, &w, &d) ==
	    VG_ERR_USAGE && d.n == 4, "four problems, four lines");
	tap_ok(d.n == 4 && strstr(d.v[0], "640x480") != NULL &&
	    strstr(d.v[0], "1920x1080") != NULL,
	    "resolution problem lists what is offered");
	vg_onvif_diffs_clear(&d);
	w.codec = VG_ONVIF_CODEC_H265;
	tap_ok(vg_onvif_encoder_validate(&opt, &cur, &w, &d) ==
	    VG_ERR_USAGE && d.n == 1 && strstr(d.v[0], "Media2") != NULL,
	    "H.265 on a Media-only camera explains why");
	vg_onvif_diffs_clear(&d);
	tap_ok(strcmp(vg_onvif_class_name(VG_ONVIF_LOCKED), "locked") == 0 &&
	    vg_onvif_class_text(VG_ONVIF_CLOCK) != NULL, "class names");
	return tap_done();
}
