/* test-media.c - vigia-sim's media side, checked by independent clients.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts the media side (sim-media.c) for three cameras on 127.0.1.x and
 * checks it with ffprobe, ffmpeg and curl: codec, size and frame rate of
 * H.264 and H.265 streams, keyframe spacing, digest auth on RTSP and on
 * the snapshot URL, a changed stream, the STALL and KILL faults, offline
 * and a move to a new address.  Every client runs under timeout(1).
 * Exits 77 when one of those tools is missing.
 *
 * `test-media --serve N [PORT [CACHE-DIR]]` only serves N cameras
 * (127.0.1.1 and up; main 1080p25 H.264 4 Mbit/s, sub 640x360) until
 * SIGINT or SIGTERM: bench/sim-media.sh uses it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "sim.h"
#include "../unit/tap.h"

#define NCAMS 3
#define USER0 "admin"
#define PASS0 "s3cret"
#define USER2 "op"
#define PASS2 "pw2"

static char *tmpdir;

/* Run a command under timeout(1) with a NULL-terminated argument list;
 * returns its exit status (124: timed out; -1: could not run). *out and
 * *err (optional) receive its output. */
static int
run(char **out, char **err, int timeout_s, const char *arg0, ...)
{
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
	GError *gerr = NULL;
	const char *a;
	va_list ap;
	int status, ret = -1;

	g_ptr_array_add(argv, g_strdup("timeout"));
	g_ptr_array_add(argv, g_strdup("-k"));
	g_ptr_array_add(argv, g_strdup("2"));
	g_ptr_array_add(argv, g_strdup_printf("%d", timeout_s));
	va_start(ap, arg0);
	for (a = arg0; a != NULL; a = va_arg(ap, const char *))
		g_ptr_array_add(argv, g_strdup(a));
	va_end(ap);
	g_ptr_array_add(argv, NULL);
	if (g_spawn_sync(NULL, (char **)argv->pdata, NULL,
	    G_SPAWN_SEARCH_PATH | (out == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL :
	    0) | (err == NULL ? G_SPAWN_STDERR_TO_DEV_NULL : 0), NULL, NULL,
	    out, err, &status, &gerr)) {
		if (WIFEXITED(status))
			ret = WEXITSTATUS(status);
	} else {
		printf("# cannot run %s: %s\n", arg0, gerr->message);
		g_error_free(gerr);
	}
	g_ptr_array_free(argv, TRUE);
	return ret;
}

/* Start a command under timeout(1) in the background; returns its pid. */
static GPid
run_bg(int timeout_s, const char *const *args)
{
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
	const char *arg0 = args[0];
	GError *gerr = NULL;
	GPid pid = -1;

	g_ptr_array_add(argv, g_strdup("timeout"));
	g_ptr_array_add(argv, g_strdup("-k"));
	g_ptr_array_add(argv, g_strdup("2"));
	g_ptr_array_add(argv, g_strdup_printf("%d", timeout_s));
	for (; *args != NULL; args++)
		g_ptr_array_add(argv, g_strdup(*args));
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_async(NULL, (char **)argv->pdata, NULL,
	    G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
	    G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
	    &pid, &gerr)) {
		printf("# cannot run %s: %s\n", arg0, gerr->message);
		g_error_free(gerr);
	}
	g_ptr_array_free(argv, TRUE);
	return pid;
}

/* Wait up to ms for a background command; returns its exit status (and
 * sets *pid to 0: reaped), or -1 if it is still running. */
static int
wait_bg(GPid *pid, int ms)
{
	int status;

	if (*pid <= 0)
		return -1;
	for (;;) {
		if (waitpid(*pid, &status, WNOHANG) == *pid) {
			*pid = 0;
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
		}
		if (ms <= 0)
			return -1;
		g_usleep(50000);
		ms -= 50;
	}
}

/* Wait (up to 10 s) until an ffmpeg -progress file reports frames. */
static bool
wait_reading(const char *progress)
{
	char *text, *p;
	int i;

	for (i = 0; i < 200; i++) {
		if (g_file_get_contents(progress, &text, NULL, NULL)) {
			p = strstr(text, "frame=");
			if (p != NULL && atoi(p + 6) > 0) {
				g_free(text);
				return true;
			}
			g_free(text);
		}
		g_usleep(50000);
	}
	return false;
}

/* The uri with user:pass@ inserted (g_free). */
static char *
with_creds(const char *uri, const char *user, const char *pass)
{
	if (uri == NULL || strncmp(uri, "rtsp://", 7) != 0)
		return g_strdup("rtsp://invalid/");
	return g_strdup_printf("rtsp://%s:%s@%s", user, pass, uri + 7);
}

/* Does text contain line (a whole line)? */
static bool
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p;

	for (p = text; p != NULL && (p = strstr(p, line)) != NULL; p++) {
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' ||
		    p[n] == '\0'))
			return true;
	}
	return false;
}

/* ffprobe a stream; check codec, size, fps (and profile if given). */
static void
check_probe(const char *uri, const char *codec, int w, int h, int fps,
    const char *profile, const char *name)
{
	char *out = NULL, *want;
	bool ok;
	int st;

	st = run(&out, NULL, 20, "ffprobe", "-v", "error", "-rtsp_transport",
	    "tcp", "-timeout", "5000000", "-show_entries",
	    "stream=codec_name,profile,width,height,r_frame_rate,"
	    "avg_frame_rate", "-of", "default=nw=1", uri, NULL);
	ok = st == 0 && out != NULL;
	want = g_strdup_printf("codec_name=%s", codec);
	ok = ok && has_line(out, want);
	g_free(want);
	want = g_strdup_printf("width=%d", w);
	ok = ok && has_line(out, want);
	g_free(want);
	want = g_strdup_printf("height=%d", h);
	ok = ok && has_line(out, want);
	g_free(want);
	want = g_strdup_printf("r_frame_rate=%d/1", fps);
	ok = ok && has_line(out, want);
	g_free(want);
	if (profile != NULL) {
		want = g_strdup_printf("profile=%s", profile);
		ok = ok && has_line(out, want);
		g_free(want);
	}
	if (!ok)
		printf("# ffprobe %s: status %d:\n# %s\n", uri, st,
		    out != NULL ? out : "");
	tap_ok(ok, name);
	g_free(out);
}

/* Read n video packets' flags with ffprobe; check keyframes every gop. */
static void
check_gop(const char *uri, int n, int gop, const char *name)
{
	char *out = NULL, *interval, **lines;
	int st, i, pkt = 0, last = -1, keys = 0, bad = 0;

	interval = g_strdup_printf("%%+#%d", n);
	st = run(&out, NULL, 30, "ffprobe", "-v", "error", "-rtsp_transport",
	    "tcp", "-timeout", "5000000", "-select_streams", "v",
	    "-read_intervals", interval, "-show_entries", "packet=flags",
	    "-of", "csv=p=0", uri, NULL);
	g_free(interval);
	lines = g_strsplit(out != NULL ? out : "", "\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] == '\0')
			continue;
		if (lines[i][0] == 'K') {
			if (last >= 0 && pkt - last != gop) {
				printf("# keyframe after %d packets, not %d\n",
				    pkt - last, gop);
				bad++;
			}
			last = pkt;
			keys++;
		}
		pkt++;
	}
	g_strfreev(lines);
	if (st != 0 || keys < 2)
		printf("# ffprobe status %d, %d packets, %d keyframes\n", st,
		    pkt, keys);
	tap_ok(st == 0 && keys >= 2 && bad == 0, name);
	g_free(out);
}

/* Fetch a snapshot with curl; returns the HTTP status (0: no reply). */
static int
fetch_snapshot(const char *uri, const char *user, const char *pass,
    const char *file, char **headers)
{
	char *out = NULL, *cred = NULL, *hfile;
	int code = 0, st;

	hfile = g_strdup_printf("%s/headers", tmpdir);
	unlink(file);
	if (user != NULL) {
		cred = g_strdup_printf("%s:%s", user, pass);
		st = run(&out, NULL, 15, "curl", "-sS", "--max-time", "10",
		    "--digest", "-u", cred, "-D", hfile, "-o", file, "-w",
		    "%{http_code}", uri, NULL);
	} else
		st = run(&out, NULL, 15, "curl", "-sS", "--max-time", "10",
		    "-D", hfile, "-o", file, "-w", "%{http_code}", uri, NULL);
	if (st == 0 && out != NULL)
		code = atoi(out);
	if (headers != NULL && !g_file_get_contents(hfile, headers, NULL,
	    NULL))
		*headers = g_strdup("");
	g_free(out);
	g_free(cred);
	g_free(hfile);
	return code;
}

/* Is the file a JPEG (magic bytes) that ffprobe reads as w x h? */
static bool
is_jpeg(const char *file, int w, int h)
{
	char *data = NULL, *out = NULL, *want;
	gsize len = 0;
	bool ok;

	ok = g_file_get_contents(file, &data, &len, NULL) && len > 4 &&
	    (unsigned char)data[0] == 0xff && (unsigned char)data[1] == 0xd8 &&
	    (unsigned char)data[2] == 0xff;
	ok = ok && run(&out, NULL, 10, "ffprobe", "-v", "error",
	    "-show_entries", "stream=width,height", "-of", "default=nw=1",
	    file, NULL) == 0;
	want = g_strdup_printf("width=%d\nheight=%d", w, h);
	ok = ok && out != NULL && strstr(out, want) != NULL;
	g_free(want);
	g_free(data);
	g_free(out);
	return ok;
}

/* Does a read of the stream fail (status, not our timeout)? */
static bool
stream_refused(const char *uri)
{
	int st;

	st = run(NULL, NULL, 10, "ffprobe", "-v", "error", "-rtsp_transport",
	    "tcp", "-timeout", "3000000", uri, NULL);
	return st != 0 && st != 124;
}

/* Read ten frames with ffmpeg (-c copy) and a 3 s I/O timeout; returns
 * ffmpeg's status. */
static int
read_frames(const char *uri)
{
	return run(NULL, NULL, 20, "ffmpeg", "-nostdin", "-v", "error",
	    "-rtsp_transport", "tcp", "-timeout", "3000000", "-i", uri,
	    "-map", "0:v", "-c", "copy", "-frames:v", "10", "-f", "null", "-",
	    NULL);
}

/* Start a long ffmpeg -c copy read of uri; wait until it gets frames. */
static GPid
start_reader(const char *uri, bool *reading)
{
	char *progress = g_strdup_printf("%s/progress", tmpdir);
	const char *args[] = { "ffmpeg", "-nostdin", "-v", "error",
		"-rtsp_transport", "tcp", "-timeout", "5000000", "-i", uri,
		"-map", "0:v", "-c", "copy", "-t", "30", "-progress", progress,
		"-stats_period", "0.2", "-f", "null", "-", NULL };
	GPid pid;

	unlink(progress);
	pid = run_bg(40, args);
	*reading = pid > 0 && wait_reading(progress);
	g_free(progress);
	return pid;
}

/* Stop a background reader if it is still running (our unreaped child). */
static void
stop_reader(GPid *pid)
{
	if (*pid > 0 && wait_bg(pid, 0) < 0) {
		kill(*pid, SIGTERM);
		wait_bg(pid, 5000);
	}
}

/* Remove the test's cache directory (flat). */
static void
remove_tmpdir(void)
{
	const char *name;
	char *path;
	GDir *d;

	if (tmpdir == NULL || (d = g_dir_open(tmpdir, 0, NULL)) == NULL)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		path = g_build_filename(tmpdir, name, NULL);
		unlink(path);
		g_free(path);
	}
	g_dir_close(d);
	rmdir(tmpdir);
}

/* Fill in a stream configuration. */
static struct sim_stream_cfg
cfg_make(enum sim_codec codec, int w, int h, int fps, int kbps, int gop,
    const char *profile)
{
	struct sim_stream_cfg c;

	memset(&c, 0, sizeof c);
	c.codec = codec;
	c.width = w;
	c.height = h;
	c.fps = fps;
	c.bitrate_kbps = kbps;
	c.gop = gop;
	g_strlcpy(c.profile, profile, sizeof c.profile);
	return c;
}

/* Start the media side with the test's cameras, retrying other ports if
 * ours are taken. */
static bool
start_site(const struct sim_stream_cfg cfg[NCAMS][2])
{
	char *cause = NULL, addr[32];
	int attempt, port, i;

	for (attempt = 0; attempt < 5; attempt++) {
		port = 20000 + (int)((getpid() + attempt * 797) % 10000) * 2;
		if (sim_media_init(tmpdir, port, port + 1, &cause) != 0)
			break;
		for (i = 0; i < NCAMS; i++) {
			snprintf(addr, sizeof addr, "127.0.1.%d", i + 1);
			if (sim_media_add_camera(i, addr, cfg[i], &cause) != 0)
				break;
		}
		if (i == NCAMS)
			return true;
		printf("# port %d: %s\n", port, cause);
		sim_media_shutdown();
		if (strstr(cause, "in use") == NULL)
			break;
		free(cause);
		cause = NULL;
	}
	printf("# cannot start the media side: %s\n",
	    cause != NULL ? cause : "?");
	free(cause);
	return false;
}

/* --serve: serve n cameras until SIGINT or SIGTERM. */
static int
serve(int n, int port, const char *cache)
{
	struct sim_stream_cfg cfg[2];
	char *cause = NULL, addr[32];
	sigset_t set;
	int i, sig;

	cfg[0] = cfg_make(SIM_CODEC_H264, 1920, 1080, 25, 4096, 50, "high");
	cfg[1] = cfg_make(SIM_CODEC_H264, 640, 360, 25, 512, 50, "main");
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (sim_media_init(cache, port, port + 1, &cause) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		snprintf(addr, sizeof addr, "127.0.1.%d", i + 1);
		if (sim_media_add_camera(i, addr, cfg, &cause) != 0)
			goto fail;
	}
	printf("ready %d cameras, e.g. %s\n", n, sim_media_stream_uri(0, 0));
	fflush(stdout);
	sigwait(&set, &sig);
	sim_media_shutdown();
	return 0;
fail:
	fprintf(stderr, "test-media: %s\n", cause);
	free(cause);
	return 1;
}

/* Run the checks, or only serve cameras for the benchmark. */
int
main(int argc, char **argv)
{
	static const char *const tools[] = { "ffmpeg", "ffprobe", "curl",
		"timeout" };
	struct sim_stream_cfg cfg[NCAMS][2], d;
	char *uri, *u0, *u0sub, *u2, *headers = NULL, *jpg, *cause = NULL;
	const char *moved;
	GPid pid;
	bool reading;
	size_t i;
	int st;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && strcmp(argv[1], "--serve") == 0)
		return serve(atoi(argv[2]), argc > 3 ? atoi(argv[3]) : 18554,
		    argc > 4 ? argv[4] : "/tmp/vigia-sim-cache");
	for (i = 0; i < G_N_ELEMENTS(tools); i++) {
		char *p = g_find_program_in_path(tools[i]);

		if (p == NULL) {
			printf("SKIP: %s is not installed\n", tools[i]);
			return 77;
		}
		g_free(p);
	}
	tmpdir = g_build_filename(g_get_tmp_dir(), "vigia-test-media.XXXXXX",
	    NULL);
	if (g_mkdtemp(tmpdir) == NULL) {
		printf("# mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	jpg = g_strdup_printf("%s/snap.jpg", tmpdir);

	/* cam 0: H.264 main+sub, digest; cam 1: H.265 main, anonymous;
	 * cam 2: digest, shares its loops with cam 0 */
	cfg[0][0] = cfg_make(SIM_CODEC_H264, 640, 360, 25, 800, 25, "high");
	cfg[0][1] = cfg_make(SIM_CODEC_H264, 320, 180, 15, 200, 15,
	    "baseline");
	cfg[1][0] = cfg_make(SIM_CODEC_H265, 480, 272, 20, 500, 20, "main");
	cfg[1][1] = cfg[0][1];
	cfg[2][0] = cfg[0][0];
	cfg[2][1] = cfg[0][1];
	d = cfg_make(SIM_CODEC_H265, 320, 240, 12, 300, 12, "");

	if (!tap_ok(start_site(cfg), "media side starts 3 cameras")) {
		remove_tmpdir();
		return tap_done();
	}
	sim_media_set_credentials(0, USER0, PASS0);
	sim_media_set_credentials(2, USER2, PASS2);
	tap_ok(sim_media_set_stream(0, 0, NULL, &cause) == -1 &&
	    cause != NULL, "a bad call fails with a cause");
	free(cause);
	cause = NULL;
	tap_ok(sim_media_stream_uri(1, 1) != NULL && g_str_has_suffix(
	    sim_media_stream_uri(1, 1), "/Streaming/Channels/102") &&
	    g_str_has_prefix(sim_media_stream_uri(1, 1), "rtsp://127.0.1.2:"),
	    "stream URI names the camera's address and sub channel");

	u0 = with_creds(sim_media_stream_uri(0, 0), USER0, PASS0);
	u0sub = with_creds(sim_media_stream_uri(0, 1), USER0, PASS0);
	u2 = with_creds(sim_media_stream_uri(2, 0), USER2, PASS2);
	check_probe(u0, "h264", 640, 360, 25, "High",
	    "ffprobe: H.264 main stream 640x360 at 25 fps, High (digest)");
	check_probe(u0sub, "h264", 320, 180, 15, "Constrained Baseline",
	    "ffprobe: H.264 sub stream 320x180 at 15 fps, Baseline");
	check_probe(sim_media_stream_uri(1, 0), "hevc", 480, 272, 20, "Main",
	    "ffprobe: H.265 stream 480x272 at 20 fps (anonymous)");

	uri = with_creds(sim_media_stream_uri(0, 0), USER0, "wrong");
	tap_ok(stream_refused(uri), "RTSP: wrong password is refused");
	g_free(uri);
	tap_ok(stream_refused(sim_media_stream_uri(0, 0)),
	    "RTSP: no credentials are refused when a user is set");

	check_gop(u2, 70, 25, "H.264 keyframes every 25 frames (gop)");
	check_gop(sim_media_stream_uri(1, 0), 50, 20,
	    "H.265 keyframes every 20 frames (gop)");

	st = fetch_snapshot(sim_media_snapshot_uri(0), USER0, PASS0, jpg,
	    NULL);
	tap_ok(st == 200 && is_jpeg(jpg, 640, 360),
	    "snapshot: curl --digest gets a 640x360 JPEG");
	st = fetch_snapshot(sim_media_snapshot_uri(0), USER0, "wrong", jpg,
	    &headers);
	tap_ok(st == 401 && strstr(headers, "WWW-Authenticate: Digest") !=
	    NULL, "snapshot: wrong password gets 401 with a Digest challenge");
	g_free(headers);
	tap_ok(fetch_snapshot(sim_media_snapshot_uri(1), NULL, NULL, jpg,
	    NULL) == 200 && is_jpeg(jpg, 480, 272),
	    "snapshot: anonymous camera serves its JPEG");

	/* a new configuration: the running session ends, the next sees it */
	pid = start_reader(sim_media_stream_uri(1, 1), &reading);
	tap_ok(reading, "set_stream: a reader is reading the old stream");
	tap_ok(sim_media_set_stream(1, 1, &d, &cause) == 0,
	    "set_stream: new configuration accepted");
	if (cause != NULL)
		printf("# %s\n", cause);
	free(cause);
	cause = NULL;
	tap_ok(wait_bg(&pid, 10000) >= 0, "set_stream: the old session ends");
	stop_reader(&pid);
	check_probe(sim_media_stream_uri(1, 1), "hevc", 320, 240, 12, NULL,
	    "set_stream: ffprobe sees H.265 320x240 at 12 fps");

	/* STALL: the session opens but no packets come */
	sim_media_set_fault(2, SIM_MEDIA_STALL);
	st = read_frames(u2);
	tap_ok(st != 0 && st != 124, "STALL: ffmpeg times out reading");
	sim_media_set_fault(2, SIM_MEDIA_OK);
	tap_ok(read_frames(u2) == 0, "STALL cleared: ffmpeg reads again");

	/* KILL: a running read ends early, in the middle of a GOP */
	pid = start_reader(u0sub, &reading);
	sim_media_set_fault(0, SIM_MEDIA_KILL);
	tap_ok(reading && wait_bg(&pid, 10000) >= 0,
	    "KILL: a running ffmpeg -c copy read ends early");
	stop_reader(&pid);
	{
		char *out = NULL, **lines;
		int n = 0, after = 0, keys = 0, j;

		st = run(&out, NULL, 20, "ffprobe", "-v", "error",
		    "-rtsp_transport", "tcp", "-timeout", "5000000",
		    "-select_streams", "v", "-show_entries", "packet=flags",
		    "-of", "csv=p=0", u0sub, NULL);
		lines = g_strsplit(out != NULL ? out : "", "\n", -1);
		for (j = 0; lines[j] != NULL; j++) {
			if (lines[j][0] == '\0')
				continue;
			n++;
			if (lines[j][0] == 'K') {
				keys++;
				after = 0;
			} else
				after++;
		}
		g_strfreev(lines);
		g_free(out);
		printf("# KILL: %d packets, %d keyframes, %d after the last\n",
		    n, keys, after);
		tap_ok(st != 124 && keys >= 1 && after > 0 && after < 15,
		    "KILL: the connection drops in the middle of a GOP");
	}
	sim_media_set_fault(0, SIM_MEDIA_OK);

	/* offline: sessions end, connections are refused, and back */
	pid = start_reader(u2, &reading);
	sim_media_set_online(2, false);
	tap_ok(reading && wait_bg(&pid, 10000) >= 0,
	    "offline: the running session ends");
	stop_reader(&pid);
	tap_ok(stream_refused(u2), "offline: RTSP is refused");
	tap_ok(fetch_snapshot(sim_media_snapshot_uri(2), USER2, PASS2, jpg,
	    NULL) == 0, "offline: the snapshot URL is refused");
	sim_media_set_online(2, true);
	check_probe(u2, "h264", 640, 360, 25, NULL, "online again: ffprobe");

	/* move: the camera answers on its new address only */
	tap_ok(sim_media_move(2, "127.0.1.9", &cause) == 0, "move accepted");
	free(cause);
	cause = NULL;
	moved = sim_media_stream_uri(2, 0);
	tap_ok(moved != NULL && strstr(moved, "//127.0.1.9:") != NULL,
	    "move: the URI names the new address");
	uri = with_creds(moved, USER2, PASS2);
	check_probe(uri, "h264", 640, 360, 25, NULL,
	    "move: ffprobe on the new address");
	g_free(uri);
	tap_ok(stream_refused(u2), "move: the old address is refused");
	tap_ok(fetch_snapshot(sim_media_snapshot_uri(2), USER2, PASS2, jpg,
	    NULL) == 200 && is_jpeg(jpg, 640, 360),
	    "move: snapshot on the new address");

	sim_media_shutdown();
	tap_ok(true, "shutdown returns");
	g_free(u0);
	g_free(u0sub);
	g_free(u2);
	g_free(jpg);
	remove_tmpdir();
	g_free(tmpdir);
	return tap_done();
}
