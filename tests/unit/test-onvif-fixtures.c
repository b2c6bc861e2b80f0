/* test-onvif-fixtures.c - the ONVIF client against recorded replies.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case starts tests/onvif/onvif-stub on loopback with one fixture
 * directory (a vendor dialect: the spec's own prefixes and Media2, a
 * Hikvision-like camera with other prefixes, extra elements and HTTP
 * digest, an old SOAP 1.1 camera without GetServices, faults, a web page
 * instead of ONVIF) and checks what the core API parsed.  The stub checks
 * WS-Security digests against its own clock, so the clock cases prove
 * that requests are signed at the camera's time.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "libvigia.h"

#define PW "S3cret!pw"

static char stub_path[1024], fix_dir[1024], tmp_dir[256];
static pid_t stub_pid = -1;
static int stub_port;

/* Start the stub on dialect `dialect` with extra arguments (NULL-ended). */
static void
stub_start(const char *dialect, ...)
{
	char dir[1200], pf[300], logf[300];
	const char *argv[32];
	va_list ap;
	int n = 0, i;
	FILE *f;

	snprintf(dir, sizeof dir, "%s/%s", fix_dir, dialect);
	snprintf(pf, sizeof pf, "%s/port", tmp_dir);
	snprintf(logf, sizeof logf, "%s/log", tmp_dir);
	unlink(pf);
	unlink(logf);
	snprintf(pf + strlen(pf), 8, ".x");
	snprintf(logf + strlen(logf), 8, ".body");
	unlink(logf);
	snprintf(pf, sizeof pf, "%s/port", tmp_dir);
	snprintf(logf, sizeof logf, "%s/log", tmp_dir);
	argv[n++] = stub_path;
	argv[n++] = "--dir";
	argv[n++] = dir;
	argv[n++] = "--port-file";
	argv[n++] = pf;
	argv[n++] = "--log";
	argv[n++] = logf;
	va_start(ap, dialect);
	while (n < 30 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	if ((stub_pid = fork()) == 0) {
		execv(stub_path, (char *const *)argv);
		_exit(127);
	}
	for (i = 0; i < 100; i++) {
		if ((f = fopen(pf, "r")) != NULL) {
			if (fscanf(f, "%d", &stub_port) == 1) {
				fclose(f);
				return;
			}
			fclose(f);
		}
		usleep(20000);
	}
	fprintf(stderr, "the stub did not start\n");
	exit(99);
}

/* Stop the stub. */
static void
stub_stop(void)
{
	if (stub_pid > 0) {
		kill(stub_pid, SIGTERM);
		waitpid(stub_pid, NULL, 0);
	}
	stub_pid = -1;
}

/* Does the stub's request log (or the request bodies) contain s? */
static bool
log_has_in(const char *s, const char *file)
{
	char path[300], *buf;
	long n;
	FILE *f;
	bool found = false;

	snprintf(path, sizeof path, "%s/%s", tmp_dir, file);
	if ((f = fopen(path, "r")) == NULL)
		return false;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = xmalloc((size_t)n + 1);
	buf[fread(buf, 1, (size_t)n, f)] = '\0';
	fclose(f);
	found = strstr(buf, s) != NULL;
	free(buf);
	return found;
}

/* In the log or the bodies. */
static bool
log_has(const char *s)
{
	return log_has_in(s, "log") || log_has_in(s, "log.body");
}

/* Device-service URL of the stub. */
static const char *
stub_url(void)
{
	static char url[128];

	snprintf(url, sizeof url, "http://127.0.0.1:%d/onvif/device_service",
	    stub_port);
	return url;
}

/* Open a session as admin with password pw. */
static int
open_as(const char *pw, struct vg_onvif **s, char **cause)
{
	struct vg_onvif_opts o;

	memset(&o, 0, sizeof o);
	o.user = "admin";
	o.password = pw;
	o.timeout_ms = 2000;
	return vg_onvif_open(stub_url(), &o, s, cause);
}

/* The spec dialect: SOAP 1.2, Media2, H.265, events, 3 days of skew. */
static void
test_spec(void)
{
	struct vg_onvif *s = NULL;
	struct vg_onvif_info info;
	struct vg_onvif_time t;
	struct vg_onvif_net net;
	struct vg_onvif_profile *p = NULL;
	struct vg_onvif_encoder_options opt;
	struct vg_onvif_encoder_want w;
	struct vg_onvif_encoder after;
	struct vg_onvif_diffs d = { NULL, NULL, 0 };
	struct vg_onvif_events *ev = NULL;
	struct vg_onvif_event *evs = NULL;
	char **topics = NULL, *cause = NULL;
	size_t n = 0, i;
	bool known, found_motion = false;
	int64_t off;

	stub_start("spec", "--user", "admin", "--password", PW, "--offset",
	    "259200", (char *)NULL);
	tap_ok(open_as(PW, &s, &cause) == VG_OK, "spec: session opens");
	off = vg_onvif_clock_offset(s, &known);
	tap_ok(known && off > 259195 && off < 259205,
	    "spec: camera clock 3 days ahead is measured");
	tap_ok(vg_onvif_get_info(s, &info, &cause) == VG_OK,
	    "spec: signed at camera time, GetDeviceInformation accepted "
	    "with 3 days of skew");
	tap_ok(info.manufacturer != NULL &&
	    strcmp(info.manufacturer, "Acme Óptica") == 0 &&
	    strcmp(info.serial, "AC4K-000123") == 0 &&
	    strcmp(info.firmware, "2.1.0") == 0, "spec: device information");
	tap_ok(info.mac != NULL && strcmp(info.mac, "00:0f:7c:12:34:56") == 0,
	    "spec: MAC from GetNetworkInterfaces, normalised");
	tap_ok(info.identity != NULL &&
	    strcmp(info.identity, "AC4K-000123/00:0f:7c:12:34:56") == 0,
	    "spec: identity is serial/mac");
	tap_ok(info.scopes.name != NULL &&
	    strcmp(info.scopes.name, "Puerta Norte") == 0 &&
	    info.scopes.location != NULL &&
	    strcmp(info.scopes.location, "city/Sevilla") == 0 &&
	    info.scopes.hardware != NULL &&
	    strcmp(info.scopes.hardware, "AC-4K") == 0,
	    "spec: scopes name (decoded), location, hardware");
	tap_ok(info.scopes.nprofiles == 3 && !info.scopes.factory_default,
	    "spec: scope profiles Streaming, T, Q (operational)");
	tap_ok(info.media2_url != NULL && strstr(info.media2_url,
	    "media2_service") != NULL && info.events_url != NULL,
	    "spec: Media2 and events found by GetServices");
	tap_ok(info.hostname != NULL && strcmp(info.hostname, "gate-cam") == 0,
	    "spec: hostname");
	vg_onvif_info_clear(&info);

	tap_ok(vg_onvif_get_time(s, &t, NULL) == VG_OK && t.ntp &&
	    t.nntp == 2 && strcmp(t.ntp_servers[0], "pool.ntp.org") == 0 &&
	    t.timezone != NULL && strncmp(t.timezone, "CET-1CEST", 9) == 0,
	    "spec: time zone and NTP servers");
	vg_onvif_time_clear(&t);
	tap_ok(vg_onvif_get_network(s, &net, NULL) == VG_OK && !net.dhcp &&
	    strcmp(net.address, "192.168.1.64") == 0 && net.prefix == 24 &&
	    net.gateway != NULL && strcmp(net.gateway, "192.168.1.1") == 0 &&
	    net.ndns == 2, "spec: network settings");
	vg_onvif_net_clear(&net);

	tap_ok(vg_onvif_get_profiles(s, &p, &n, NULL) == VG_OK && n == 2,
	    "spec: two profiles through Media2");
	if (n == 2) {
		tap_ok(p[0].enc.codec == VG_ONVIF_CODEC_H265 &&
		    p[0].enc.width == 3840 && p[0].enc.fps == 25 &&
		    p[0].enc.gop == 50 && p[0].enc.media2,
		    "spec: H.265 main stream read through Media2");
		tap_ok(p[1].enc.fps == 13 && p[1].enc.codec ==
		    VG_ONVIF_CODEC_H264, "spec: 12.5 fps rounds to 13");
		tap_ok(p[0].stream_uri != NULL && strncmp(p[0].stream_uri,
		    "rtsp://", 7) == 0 && p[0].snapshot_uri != NULL,
		    "spec: stream and snapshot URIs");
	}
	vg_onvif_profiles_free(p, n);
	tap_ok(log_has("<tr2:Protocol>RTSP</tr2:Protocol>"),
	    "spec: stream URI asked as RTP over RTSP (TCP)");

	tap_ok(vg_onvif_get_encoder_options(s, "Profile_1", &opt, NULL) ==
	    VG_OK && opt.ncodecs == 2 && opt.media2 &&
	    opt.codecs[0].codec == VG_ONVIF_CODEC_H265 &&
	    opt.codecs[0].nres == 2 && opt.codecs[0].gop_max == 150 &&
	    opt.codecs[0].nfps == 7 && opt.codecs[0].bitrate_max == 16384,
	    "spec: Media2 encoder options (lists in attributes)");
	vg_onvif_encoder_options_clear(&opt);

	memset(&w, 0, sizeof w);
	w.width = 1920;
	w.height = 1080;
	w.fps = 15;
	w.bitrate_kbps = 4096;
	w.gop = 30;
	tap_ok(vg_onvif_set_encoder(s, "Profile_1", &w, &after, &d, &cause)
	    == VG_OK && d.n == 0 && after.width == 1920 && after.fps == 15 &&
	    after.gop == 30, "spec: H.265 encoder set via Media2 and read "
	    "back equal");
	vg_onvif_encoder_clear(&after);
	vg_onvif_diffs_clear(&d);
	free(cause);
	cause = NULL;

	w.fps = 30;
	w.width = 1280;
	w.height = 720;
	tap_ok(vg_onvif_set_encoder(s, "Profile_1", &w, NULL, &d, NULL) ==
	    VG_ERR_USAGE && d.n == 2, "spec: 30 fps and 1280x720 refused "
	    "before sending (both listed)");
	vg_onvif_diffs_clear(&d);

	tap_ok(vg_onvif_event_topics(s, &topics, &n, NULL) == VG_OK &&
	    n == 3 && strcmp(topics[0],
	    "tns1:RuleEngine/CellMotionDetector/Motion") == 0 &&
	    strcmp(topics[1], "tns1:VideoSource/MotionAlarm") == 0,
	    "spec: topics from GetEventProperties");
	for (i = 0; i < n; i++)
		free(topics[i]);
	free(topics);
	tap_ok(vg_onvif_events_open(s, 60, &ev, NULL) == VG_OK,
	    "spec: pull-point subscription");
	if (ev != NULL) {
		tap_ok(vg_onvif_events_pull(ev, 1000, &evs, &n, NULL) ==
		    VG_OK && n == 2, "spec: two notifications pulled");
		for (i = 0; i < n; i++)
			if (evs[i].motion && evs[i].is_motion_topic &&
			    evs[i].nsource == 1 && evs[i].operation != NULL &&
			    strcmp(evs[i].operation, "Changed") == 0)
				found_motion = true;
		tap_ok(found_motion, "spec: motion event recognised");
		tap_ok(n == 2 && !evs[1].motion, "spec: other topic is not "
		    "motion");
		vg_onvif_events_free_list(evs, n);
		tap_ok(log_has("/onvif/pullpoint/7") &&
		    log_has("PullMessagesRequest"),
		    "spec: pull sent to the subscription with its action");
		vg_onvif_events_close(ev);
	}
	tap_ok(!log_has(PW), "spec: the password never crossed the wire");
	vg_onvif_free(s);
	stub_stop();
}

/* Clock behind by an hour: still accepted. */
static void
test_clock_behind(void)
{
	struct vg_onvif *s = NULL;
	struct vg_onvif_info info;

	stub_start("spec", "--user", "admin", "--password", PW, "--offset",
	    "-3600", (char *)NULL);
	tap_ok(open_as(PW, &s, NULL) == VG_OK &&
	    vg_onvif_get_info(s, &info, NULL) == VG_OK,
	    "clock -1 h: accepted");
	if (s != NULL)
		vg_onvif_info_clear(&info);
	vg_onvif_free(s);
	s = NULL;
	tap_ok(open_as("wrong-pass", &s, NULL) == VG_OK &&
	    vg_onvif_get_info(s, &info, NULL) == VG_ERR_AUTH &&
	    vg_onvif_last_class(s) == VG_ONVIF_AUTH,
	    "wrong password: class auth");
	vg_onvif_free(s);
	stub_stop();
}

/* Hikvision-like: other prefixes, extra elements, HTTP digest, Media
 * only, ignores SetVideoEncoderConfiguration. */
static void
test_hik(void)
{
	struct vg_onvif *s = NULL;
	struct vg_onvif_info info;
	struct vg_onvif_net net;
	struct vg_onvif_profile *p = NULL;
	struct vg_onvif_encoder_want w;
	struct vg_onvif_diffs d = { NULL, NULL, 0 };
	char *cause = NULL;
	size_t n = 0;
	int err;

	stub_start("hik", "--user", "admin", "--password", PW, "--digest",
	    (char *)NULL);
	tap_ok(open_as(PW, &s, NULL) == VG_OK &&
	    vg_onvif_get_info(s, &info, &cause) == VG_OK,
	    "hik: HTTP digest after 401");
	tap_ok(vg_onvif_uses_http_digest(s), "hik: session switched to "
	    "HTTP digest");
	tap_ok(info.manufacturer != NULL &&
	    strcmp(info.manufacturer, "HIKVISION") == 0 &&
	    info.mac != NULL && strcmp(info.mac, "bc:ba:c2:aa:bb:cc") == 0 &&
	    info.media2_url == NULL && info.media_url != NULL,
	    "hik: ns1/ns2 prefixes, vendor extras ignored, no Media2");
	tap_ok(vg_onvif_vendor_of(info.manufacturer) ==
	    VG_ONVIF_VENDOR_HIKVISION, "hik: vendor recognised");
	vg_onvif_info_clear(&info);
	tap_ok(vg_onvif_get_network(s, &net, NULL) == VG_OK && net.dhcp &&
	    strcmp(net.address, "10.0.0.23") == 0 && net.prefix == 16,
	    "hik: DHCP address read");
	vg_onvif_net_clear(&net);
	tap_ok(vg_onvif_get_profiles(s, &p, &n, NULL) == VG_OK && n == 1 &&
	    p[0].enc.codec == VG_ONVIF_CODEC_H264 && p[0].enc.gop == 50 &&
	    p[0].enc.profile != NULL && strcmp(p[0].enc.profile, "Main") == 0
	    && p[0].stream_uri != NULL && strstr(p[0].stream_uri,
	    "&profile=") != NULL, "hik: Media profile, entity in URI");
	vg_onvif_profiles_free(p, n);

	memset(&w, 0, sizeof w);
	w.fps = 60;
	w.bitrate_kbps = 50000;
	w.codec = VG_ONVIF_CODEC_H265;
	err = vg_onvif_set_encoder(s, NULL, &w, NULL, &d, NULL);
	tap_ok(err == VG_ERR_USAGE && !log_has("SetVideoEncoderConfiguration"),
	    "hik: H.265 without Media2 refused, nothing sent");
	vg_onvif_diffs_clear(&d);
	w.codec = VG_ONVIF_CODEC_UNKNOWN;
	err = vg_onvif_set_encoder(s, NULL, &w, NULL, &d, NULL);
	tap_ok(err == VG_ERR_USAGE && d.n == 2 &&
	    !log_has("SetVideoEncoderConfiguration"),
	    "hik: 60 fps and 50000 kbit/s refused against options, nothing "
	    "sent");
	vg_onvif_diffs_clear(&d);
	w.fps = 15;
	w.bitrate_kbps = 2048;
	w.width = 1920;
	w.height = 1080;
	err = vg_onvif_set_encoder(s, NULL, &w, NULL, &d, NULL);
	tap_ok(err == VG_ERR_PROTO && d.n == 4 &&
	    log_has("SetVideoEncoderConfiguration ok ForcePersistence"),
	    "hik: camera ignores the Set: sent with ForcePersistence, every "
	    "difference reported");
	tap_ok(d.n > 0 && strstr(d.v[0], "wanted") != NULL, "hik: difference "
	    "text says what was wanted");
	vg_onvif_diffs_clear(&d);
	vg_onvif_free(s);
	free(cause);
	stub_stop();
}

/* SOAP 1.1, no GetServices, missing optional elements. */
static void
test_soap11(void)
{
	struct vg_onvif *s = NULL;
	struct vg_onvif_info info;
	struct vg_onvif_profile *p = NULL;
	struct vg_onvif_encoder_want w;
	struct vg_onvif_encoder after;
	struct vg_onvif_diffs d = { NULL, NULL, 0 };
	struct vg_onvif_events *ev = NULL;
	struct vg_onvif_event *evs = NULL;
	size_t n = 0;

	stub_start("soap11", "--user", "admin", "--password", PW,
	    (char *)NULL);
	tap_ok(open_as(PW, &s, NULL) == VG_OK &&
	    vg_onvif_get_info(s, &info, NULL) == VG_OK,
	    "soap11: SOAP 1.1 replies parse");
	tap_ok(info.media_url != NULL && strstr(info.media_url,
	    "/onvif/media") != NULL && info.events_url != NULL &&
	    info.pullpoint, "soap11: GetCapabilities when GetServices "
	    "faults");
	tap_ok(info.hostname == NULL && info.scopes.name == NULL &&
	    strcmp(info.mac, "00:12:34:56:78:9a") == 0,
	    "soap11: missing optional elements are NULL, not errors");
	vg_onvif_info_clear(&info);
	tap_ok(vg_onvif_get_profiles(s, &p, &n, NULL) == VG_OK && n == 2 &&
	    p[0].has_encoder && !p[1].has_encoder &&
	    p[0].snapshot_uri == NULL && p[0].stream_uri != NULL,
	    "soap11: audio-only profile and missing snapshot tolerated");
	vg_onvif_profiles_free(p, n);
	memset(&w, 0, sizeof w);
	w.fps = 10;
	w.gop = 20;
	w.profile = "Main";
	tap_ok(vg_onvif_set_encoder(s, NULL, &w, &after, &d, NULL) == VG_OK &&
	    d.n == 0 && after.fps == 10 && after.gop == 20 &&
	    strcmp(after.profile, "Main") == 0 &&
	    log_has("ForcePersistence"), "soap11: Media set, persisted, read "
	    "back equal");
	vg_onvif_encoder_clear(&after);
	vg_onvif_diffs_clear(&d);
	tap_ok(vg_onvif_events_open(s, 10, &ev, NULL) == VG_OK,
	    "soap11: subscription that expires at once");
	if (ev != NULL) {
		tap_ok(vg_onvif_events_pull(ev, 0, &evs, &n, NULL) == VG_OK &&
		    n == 0 && vg_onvif_events_recreated(ev) == 1,
		    "soap11: expired subscription re-created before pulling");
		vg_onvif_events_free_list(evs, n);
		vg_onvif_events_close(ev);
	}
	vg_onvif_free(s);
	stub_stop();
}

/* Faults and things that are not cameras. */
static void
test_faults(void)
{
	struct vg_onvif *s = NULL;
	struct vg_onvif_info info;
	struct vg_onvif_user *u = NULL;
	struct vg_onvif_opts o;
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	char *cause = NULL, *msg = NULL, url[128];
	size_t n = 0;
	int fd, err;

	stub_start("faults", (char *)NULL);
	tap_ok(open_as(PW, &s, NULL) == VG_OK, "faults: session opens");
	err = vg_onvif_get_info(s, &info, &cause);
	tap_ok(err != VG_OK && vg_onvif_last_class(s) == VG_ONVIF_FAULT &&
	    vg_onvif_last_reason(s) != NULL &&
	    strstr(vg_onvif_last_reason(s), "firmware upgrade") != NULL,
	    "faults: device fault keeps its reason text");
	free(cause);
	cause = NULL;
	err = vg_onvif_get_users(s, &u, &n, NULL);
	tap_ok(err == VG_ERR_AUTH && vg_onvif_last_class(s) ==
	    VG_ONVIF_LOCKED, "faults: locked account recognised");
	err = vg_onvif_reboot(s, &msg, NULL);
	tap_ok(err == VG_ERR_UNSUPPORTED && vg_onvif_last_class(s) ==
	    VG_ONVIF_UNSUPPORTED, "faults: ActionNotSupported is "
	    "'unsupported'");
	vg_onvif_free(s);
	stub_stop();

	stub_start("notonvif", (char *)NULL);
	err = open_as(PW, &s, &cause);
	tap_ok(err == VG_ERR_PROTO, "not ONVIF: HTTP 404 page");
	free(cause);
	cause = NULL;
	stub_stop();
	stub_start("html200", (char *)NULL);
	err = open_as(PW, &s, &cause);
	tap_ok(err == VG_ERR_PROTO, "not ONVIF: a web login page");
	free(cause);
	cause = NULL;
	stub_stop();

	/* unreachable: a port nobody listens on */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	bind(fd, (struct sockaddr *)&sa, sizeof sa);
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	close(fd);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/onvif/device_service",
	    ntohs(sa.sin_port));
	memset(&o, 0, sizeof o);
	o.timeout_ms = 1000;
	err = vg_onvif_open(url, &o, &s, &cause);
	tap_ok(err == VG_ERR_NET, "unreachable: connection refused");
	free(cause);
	cause = NULL;

	/* timeout: accepts the connection, never answers */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_port = 0;
	bind(fd, (struct sockaddr *)&sa, sizeof sa);
	listen(fd, 4);
	sl = sizeof sa;
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/onvif/device_service",
	    ntohs(sa.sin_port));
	o.timeout_ms = 500;
	{
		struct timespec a, b;
		long ms;

		clock_gettime(CLOCK_MONOTONIC, &a);
		err = vg_onvif_open(url, &o, &s, &cause);
		clock_gettime(CLOCK_MONOTONIC, &b);
		ms = (b.tv_sec - a.tv_sec) * 1000 +
		    (b.tv_nsec - a.tv_nsec) / 1000000;
		tap_ok(err == VG_ERR_TIMEOUT && ms < 3000,
		    "timeout: a silent device fails within the deadline");
	}
	free(cause);
	close(fd);
}

int
main(void)
{
	const char *b = getenv("top_builddir"), *src = getenv("top_srcdir");
	char tmpl[] = "/tmp/vigia-onvif.XXXXXX";

	if (b == NULL)
		b = ".";
	if (src == NULL)
		src = "..";
	snprintf(stub_path, sizeof stub_path, "%s/tests/onvif/onvif-stub", b);
	snprintf(fix_dir, sizeof fix_dir, "%s/tests/fixtures/onvif", src);
	if (mkdtemp(tmpl) == NULL)
		return 99;
	snprintf(tmp_dir, sizeof tmp_dir, "%s", tmpl);
	signal(SIGPIPE, SIG_IGN);
	test_spec();
	test_clock_behind();
	test_hik();
	test_soap11();
	test_faults();
	{
		char cmd[400];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", tmp_dir);
	}
	vg_log_shutdown();
	return tap_done();
}
