/* sim-media.c - vigia-sim's media side: RTSP streams and snapshot URLs.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every camera has its own GstRTSPServer bound to its own address and a
 * tiny HTTP server for its snapshot URL (a listening socket watched by the
 * main loop; requests are answered by a small thread pool).
 *
 * Nothing is encoded live.  For each distinct struct sim_stream_cfg,
 * ffmpeg makes once, into cache_dir, a loop (an H.264/H.265 elementary
 * stream whose length is a whole number of GOPs) and a JPEG of its first
 * picture.  The loop file is mapped into memory once and shared by every
 * camera that serves it.  Each (camera, stream) has a shared media
 * factory, so all clients of one stream share one pipeline, which runs
 * only while it has clients:
 *
 *   appsrc (chunks of the mapping, wrapping around) ! h26Xparse
 *     config-interval=-1 ! alignment=au ! rtph26Xpay config-interval=0
 *
 * A probe after the parser stamps each access unit from its frame count
 * (the source clock, never arrival time; the RTSP sinks pace it in real
 * time) and implements the STALL and KILL faults.
 *
 * Threads: one GLib main loop thread owns the servers.  The public
 * functions may be called from any thread: they marshal their work into
 * that loop and wait.  Snapshot requests are answered in worker threads,
 * which read the camera under media.lock.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/socket.h>
#include <sys/time.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "sim.h"

#define MEDIA_MAX_CAMERAS 256
#define MEDIA_LOOP_SECONDS 10	/* at least; rounded up to whole GOPs */
#define MEDIA_CHUNK 65536	/* bytes of the loop per appsrc buffer */
#define MEDIA_POOL_THREADS 16	/* RTSP client threads (default is 1) */
#define MEDIA_BACKLOG 64
#define MEDIA_HTTP_THREADS 8
#define MEDIA_HTTP_TIMEOUT 5	/* seconds per socket operation */
#define MEDIA_HTTP_MAX_REQUEST 8192
#define MEDIA_NONCE_LIFETIME 300	/* seconds */
#define MEDIA_REALM "vigia-sim"
#define MEDIA_MAX_USERS 16	/* users that may stream, per camera */
#define MEDIA_CACHE_VERSION "v1"	/* bump when the recipe changes */

/* One pre-encoded loop and its snapshot, shared by every camera. */
struct media_loop {
	char *key;		/* from the config: v1-h264-640x360-... */
	GMappedFile *es;	/* the elementary stream */
	GBytes *jpeg;		/* its first picture */
	gint refs;
};

/* The fault knob of a camera, shared with its pipelines (refcounted so a
 * pipeline that outlives the camera never reads freed memory). */
struct media_knob {
	gint fault;		/* enum sim_media_fault */
	/* SIM_MEDIA_RESIZE: the main stream's loop at another size, served
	 * from the next wrap-around on (under media.lock) */
	struct media_loop *alt;
};

/* What one media factory serves (refcounted: factory and pipelines). */
struct media_spec {
	struct media_loop *loop;
	struct media_knob *knob;	/* a reference */
	enum sim_codec codec;
	int fps, gop;
	int index, stream;
};

/* The state of one running pipeline (one shared media). */
struct media_feed {
	struct media_spec *spec;	/* a reference */
	struct media_loop *cur;	/* the loop being pushed (a reference) */
	size_t off;		/* next byte of it to push */
	guint64 frames;		/* access units out of the parser */
	int since_key;		/* access units since the last keyframe */
	bool wait_key;		/* after a stall: drop until a keyframe */
};

/* One stream (main or sub) of a camera. */
struct media_stream {
	struct sim_stream_cfg cfg;
	struct media_loop *loop;
	char path[32];		/* mount point */
	char uri[160];
};

/* One simulated camera. */
struct media_cam {
	int index;
	char addr[64];
	bool online;
	struct media_knob *knob;
	/* users that may stream (none: anonymous); under media.lock */
	char *user[MEDIA_MAX_USERS], *pass[MEDIA_MAX_USERS];
	int nusers;
	GstRTSPServer *server;
	GSource *rtsp_source;	/* the listening socket, when online */
	int http_fd;		/* the snapshot server, when online, or -1 */
	GSource *http_source;
	struct media_stream st[2];
	char snap_path[48];
	char snap_uri[160];
};

/* The media side: one per process. */
/* GStreamer and GLib keep global state until exit: not our leaks.  Every
 * program that links the media side (vigia-sim, test-media) gets these. */
const char *__lsan_default_suppressions(void);

/* LeakSanitizer's default suppressions (used only under --enable-debug). */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libglib-2.0.so\nleak:libgobject-2.0.so\n"
	    "leak:libgio-2.0.so\nleak:libgstreamer-1.0.so\n"
	    "leak:libgstrtspserver-1.0.so\nleak:libgstbase-1.0.so\n"
	    "leak:libgstrtsp-1.0.so\nleak:libgstapp-1.0.so\n"
	    "leak:libgstcodecparsers-1.0.so\nleak:libgstrtp-1.0.so\n"
	    "leak:libgstsdp-1.0.so\nleak:libgstvideo-1.0.so\n";
}

/* Access units passed on to the RTSP clients, per (camera, stream), over
 * the simulator's life: with one client, what that client was served
 * (tests compare it with what they recorded). */
static gint64 media_served[MEDIA_MAX_CAMERAS][2];
/* Audio on a camera's main stream (enum sim_audio), set before it is
 * added. */
static int media_audio[MEDIA_MAX_CAMERAS];

static struct {
	bool running;
	char *cache_dir;
	int rtsp_port, http_port;
	GMainContext *ctx;
	GMainLoop *loop;
	GThread *thread;
	GstRTSPThreadPool *pool;
	GSource *cleanup;	/* expires RTSP sessions */
	GThreadPool *http_pool;	/* answers snapshot requests */
	GMutex lock;		/* cams[] fields read by other threads */
	struct media_cam *cams[MEDIA_MAX_CAMERAS];
	GMutex loop_lock;	/* the loop cache */
	GCond loop_cond;
	GHashTable *loops;	/* key -> struct media_loop (a reference) */
	GHashTable *making;	/* keys being made by some thread */
	GMutex call_lock;	/* media_call() completion */
	GCond call_cond;
	gint live_feeds;
	unsigned char secret[16];	/* signs the HTTP digest nonces */
} media;

/* Set *cause (malloc'd, the caller frees it with free()) and return -1. */
static int __attribute__((format(printf, 2, 3)))
media_fail(char **cause, const char *fmt, ...)
{
	va_list ap;

	if (cause != NULL) {
		va_start(ap, fmt);
		if (vasprintf(cause, fmt, ap) < 0)
			*cause = NULL;
		va_end(ap);
	}
	return -1;
}

/* ---- the loop cache ---------------------------------------------------- */

/* Check that an encoder configuration can be served. */
static int
media_check_cfg(const struct sim_stream_cfg *cfg, char **cause)
{
	if (cfg->codec != SIM_CODEC_H264 && cfg->codec != SIM_CODEC_H265)
		return media_fail(cause, "unknown codec %d", (int)cfg->codec);
	if (cfg->width < 16 || cfg->width > 4096 || cfg->width % 2 != 0 ||
	    cfg->height < 16 || cfg->height > 2304 || cfg->height % 2 != 0)
		return media_fail(cause, "unsupported resolution %dx%d",
		    cfg->width, cfg->height);
	if (cfg->fps < 1 || cfg->fps > 120)
		return media_fail(cause, "unsupported frame rate %d",
		    cfg->fps);
	if (cfg->bitrate_kbps < 16 || cfg->bitrate_kbps > 100000)
		return media_fail(cause, "unsupported bitrate %d kbit/s",
		    cfg->bitrate_kbps);
	if (cfg->gop < 1 || cfg->gop > 1000)
		return media_fail(cause, "unsupported GOP length %d", cfg->gop);
	if (cfg->codec == SIM_CODEC_H264 && cfg->profile[0] != '\0' &&
	    strcmp(cfg->profile, "baseline") != 0 &&
	    strcmp(cfg->profile, "main") != 0 &&
	    strcmp(cfg->profile, "high") != 0)
		return media_fail(cause, "unsupported H.264 profile \"%.16s\"",
		    cfg->profile);
	return 0;
}

/* The H.264 profile to encode with ("main" when none is given). */
static const char *
media_profile(const struct sim_stream_cfg *cfg)
{
	if (cfg->codec == SIM_CODEC_H265)
		return "main";	/* the only profile served for H.265 */
	if (cfg->profile[0] == '\0' || memchr(cfg->profile, '\0',
	    sizeof cfg->profile) == NULL)
		return "main";
	return cfg->profile;
}

/* The cache key of a configuration (allocated with g_malloc). */
static char *
media_loop_key(const struct sim_stream_cfg *cfg)
{
	return g_strdup_printf("%s-%s-%dx%d-%dfps-%dk-g%d-%s",
	    MEDIA_CACHE_VERSION, cfg->codec == SIM_CODEC_H264 ? "h264" : "h265",
	    cfg->width, cfg->height, cfg->fps, cfg->bitrate_kbps, cfg->gop,
	    media_profile(cfg));
}

/* Run a command (argv, NULL-terminated) and wait; stderr goes to *cause. */
static int
media_run_tool(const char **argv, char **cause)
{
	GError *gerr = NULL;
	char *err_out = NULL;
	int status, ret = -1;

	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH |
	    G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err_out, &status,
	    &gerr)) {
		media_fail(cause, "cannot run %s: %s", argv[0], gerr->message);
		g_error_free(gerr);
		goto out;
	}
	if (!g_spawn_check_wait_status(status, NULL)) {
		g_strstrip(err_out);
		media_fail(cause, "%s failed: %.400s", argv[0],
		    err_out[0] != '\0' ? err_out : "(no message)");
		goto out;
	}
	ret = 0;
out:
	g_free(err_out);
	return ret;
}

/* Encode the loop of cfg into path with ffmpeg (through a temporary file
 * and a rename, so that a reader never sees half a loop). */
static int
media_encode_loop(const struct sim_stream_cfg *cfg, const char *path,
    char **cause)
{
	static gint serial;
	char *tmp, *src, *frames, *rate, *gop, *x265 = NULL;
	int n, ret = -1;

	/* whole GOPs, at least MEDIA_LOOP_SECONDS, so keyframes stay evenly
	 * spaced across the wrap */
	n = (MEDIA_LOOP_SECONDS * cfg->fps + cfg->gop - 1) / cfg->gop *
	    cfg->gop;
	tmp = g_strdup_printf("%s.tmp.%ld.%d", path, (long)getpid(),
	    g_atomic_int_add(&serial, 1));
	src = g_strdup_printf("testsrc2=size=%dx%d:rate=%d", cfg->width,
	    cfg->height, cfg->fps);
	frames = g_strdup_printf("%d", n);
	rate = g_strdup_printf("%dk", cfg->bitrate_kbps);
	gop = g_strdup_printf("%d", cfg->gop);
	if (cfg->codec == SIM_CODEC_H264) {
		const char *argv[] = { "ffmpeg", "-nostdin", "-hide_banner",
			"-loglevel", "error", "-y", "-f", "lavfi", "-i", src,
			"-frames:v", frames, "-an", "-pix_fmt", "yuv420p",
			"-c:v", "libx264", "-preset", "veryfast",
			"-profile:v", media_profile(cfg), "-bf", "0",
			"-g", gop, "-keyint_min", gop, "-sc_threshold", "0",
			"-b:v", rate, "-maxrate", rate, "-bufsize", rate,
			"-f", "h264", tmp, NULL };

		ret = media_run_tool(argv, cause);
	} else {
		x265 = g_strdup_printf("keyint=%d:min-keyint=%d:scenecut=0:"
		    "bframes=0:open-gop=0:repeat-headers=1:strict-cbr=1:"
		    "log-level=error", cfg->gop, cfg->gop);
		const char *argv[] = { "ffmpeg", "-nostdin", "-hide_banner",
			"-loglevel", "error", "-y", "-f", "lavfi", "-i", src,
			"-frames:v", frames, "-an", "-pix_fmt", "yuv420p",
			"-c:v", "libx265", "-preset", "veryfast",
			"-profile:v", "main", "-g", gop, "-keyint_min", gop,
			"-b:v", rate, "-maxrate", rate, "-bufsize", rate,
			"-x265-params", x265, "-f", "hevc", tmp, NULL };

		ret = media_run_tool(argv, cause);
	}
	if (ret == 0 && rename(tmp, path) != 0)
		ret = media_fail(cause, "rename %s: %s", tmp, strerror(errno));
	if (ret != 0)
		unlink(tmp);
	g_free(tmp);
	g_free(src);
	g_free(frames);
	g_free(rate);
	g_free(gop);
	g_free(x265);
	return ret;
}

/* Make the snapshot of the loop at es_path: its first picture, as JPEG. */
static int
media_encode_jpeg(enum sim_codec codec, const char *es_path,
    const char *path, char **cause)
{
	static gint serial;
	char *tmp;
	int ret;

	tmp = g_strdup_printf("%s.tmp.%ld.%d", path, (long)getpid(),
	    g_atomic_int_add(&serial, 1));
	const char *argv[] = { "ffmpeg", "-nostdin", "-hide_banner",
		"-loglevel", "error", "-y",
		"-f", codec == SIM_CODEC_H264 ? "h264" : "hevc", "-i", es_path, "-frames:v", "1", "-q:v", "3",
		"-pix_fmt", "yuvj420p", "-f", "mjpeg", tmp, NULL };

	ret = media_run_tool(argv, cause);
	if (ret == 0 && rename(tmp, path) != 0)
		ret = media_fail(cause, "rename %s: %s", tmp, strerror(errno));
	if (ret != 0)
		unlink(tmp);
	g_free(tmp);
	return ret;
}

/* Drop a reference to a loop; the last one unmaps it. */
static void
media_loop_unref(struct media_loop *loop)
{
	if (loop == NULL || !g_atomic_int_dec_and_test(&loop->refs))
		return;
	g_mapped_file_unref(loop->es);
	g_bytes_unref(loop->jpeg);
	g_free(loop->key);
	g_free(loop);
}

/* Take a reference to a loop. */
static struct media_loop *
media_loop_ref(struct media_loop *loop)
{
	g_atomic_int_inc(&loop->refs);
	return loop;
}

/* Load the loop of cfg from the cache, making it first if needed. */
static struct media_loop *
media_loop_make(const struct sim_stream_cfg *cfg, const char *key,
    char **cause)
{
	struct media_loop *loop = NULL;
	GMappedFile *es = NULL;
	GError *gerr = NULL;
	char *es_path, *jpg_path, *jpg = NULL;
	gsize jpg_len;

	es_path = g_strdup_printf("%s/vigia-sim-%s.%s", media.cache_dir, key,
	    cfg->codec == SIM_CODEC_H264 ? "h264" : "h265");
	jpg_path = g_strdup_printf("%s/vigia-sim-%s.jpg", media.cache_dir,
	    key);
	if (!g_file_test(es_path, G_FILE_TEST_IS_REGULAR) &&
	    media_encode_loop(cfg, es_path, cause) != 0)
		goto out;
	if (!g_file_test(jpg_path, G_FILE_TEST_IS_REGULAR) &&
	    media_encode_jpeg(cfg->codec, es_path, jpg_path, cause) != 0)
		goto out;
	if ((es = g_mapped_file_new(es_path, FALSE, &gerr)) == NULL ||
	    !g_file_get_contents(jpg_path, &jpg, &jpg_len, &gerr)) {
		media_fail(cause, "%s", gerr->message);
		g_error_free(gerr);
		goto out;
	}
	if (g_mapped_file_get_length(es) < 4096 || jpg_len < 4 ||
	    (guchar)jpg[0] != 0xff || (guchar)jpg[1] != 0xd8) {
		media_fail(cause, "%s or %s is damaged: delete them", es_path,
		    jpg_path);
		goto out;
	}
	loop = g_new0(struct media_loop, 1);
	loop->key = g_strdup(key);
	loop->es = es;
	es = NULL;
	loop->jpeg = g_bytes_new_take(jpg, jpg_len);
	jpg = NULL;
	loop->refs = 1;
out:
	if (es != NULL)
		g_mapped_file_unref(es);
	g_free(jpg);
	g_free(es_path);
	g_free(jpg_path);
	return loop;
}

/* Get (a reference to) the loop of cfg; the first caller of a key makes
 * it, concurrent callers of the same key wait for that one. */
static struct media_loop *
media_loop_get(const struct sim_stream_cfg *cfg, char **cause)
{
	struct media_loop *loop;
	char *key = media_loop_key(cfg);

	g_mutex_lock(&media.loop_lock);
	for (;;) {
		if ((loop = g_hash_table_lookup(media.loops, key)) != NULL) {
			media_loop_ref(loop);
			g_mutex_unlock(&media.loop_lock);
			goto out;
		}
		if (!g_hash_table_contains(media.making, key))
			break;
		g_cond_wait(&media.loop_cond, &media.loop_lock);
	}
	g_hash_table_add(media.making, g_strdup(key));
	g_mutex_unlock(&media.loop_lock);

	loop = media_loop_make(cfg, key, cause);

	g_mutex_lock(&media.loop_lock);
	g_hash_table_remove(media.making, key);
	if (loop != NULL)
		g_hash_table_insert(media.loops, loop->key,
		    media_loop_ref(loop));
	g_cond_broadcast(&media.loop_cond);
	g_mutex_unlock(&media.loop_lock);
out:
	g_free(key);
	return loop;
}

/* ---- pipelines ----------------------------------------------------------- */

/* Free what a knob holds (its last reference is gone). */
static void
media_knob_clear(gpointer data)
{
	struct media_knob *knob = data;

	media_loop_unref(knob->alt);
}

/* Free what a spec holds (its last reference is gone). */
static void
media_spec_clear(gpointer data)
{
	struct media_spec *spec = data;

	media_loop_unref(spec->loop);
	g_atomic_rc_box_release_full(spec->knob, media_knob_clear);
}

/* Drop a reference to a spec. */
static void
media_spec_unref(gpointer data)
{
	g_atomic_rc_box_release_full(data, media_spec_clear);
}

/* Free a pipeline's feed (when its element is finalized). */
static void
media_feed_free(gpointer data)
{
	struct media_feed *feed = data;

	media_loop_unref(feed->cur);
	media_spec_unref(feed->spec);
	g_free(feed);
	g_atomic_int_add(&media.live_feeds, -1);
}

/* appsrc wants data: push the next chunk of the loop, wrapping around.
 * The buffers point into the mapping (no copy); each holds a reference. */
static void
media_feed_need_data(GstAppSrc *src, guint length, gpointer data)
{
	struct media_feed *feed = data;
	struct media_loop *want;
	GMappedFile *es;
	size_t size, n;
	GstBuffer *buf;

	if (feed->cur == NULL || feed->off >= g_mapped_file_get_length(
	    feed->cur->es)) {
		/* at the start and at each wrap-around (a keyframe): the
		 * main stream changes size under SIM_MEDIA_RESIZE, in the
		 * stream, as an encoder reconfigured without a restart */
		g_mutex_lock(&media.lock);
		want = feed->spec->stream == 0 && feed->spec->knob->alt !=
		    NULL ? feed->spec->knob->alt : feed->spec->loop;
		media_loop_ref(want);
		g_mutex_unlock(&media.lock);
		media_loop_unref(feed->cur);
		feed->cur = want;
		feed->off = 0;
	}
	es = feed->cur->es;
	size = g_mapped_file_get_length(es);
	n = MIN(size - feed->off, MEDIA_CHUNK);
	buf = gst_buffer_new_wrapped_full(GST_MEMORY_FLAG_READONLY,
	    g_mapped_file_get_contents(es) + feed->off, n, 0, n,
	    g_mapped_file_ref(es), (GDestroyNotify)g_mapped_file_unref);
	feed->off += n;
	gst_app_src_push_buffer(src, buf);
}

/* What media_kill_cb() should close. */
struct media_kill {
	int index, stream;
};

static gboolean media_kill_cb(gpointer);

/* Every access unit out of the parser: stamp it from the frame count and
 * apply the camera's fault. */
static GstPadProbeReturn
media_feed_probe(GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
	struct media_feed *feed = data;
	struct media_spec *spec = feed->spec;
	GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER(info);
	GstClockTime pts;
	struct media_kill *k;
	bool key;
	int fault;

	if (buf == NULL)
		return GST_PAD_PROBE_OK;
	key = !GST_BUFFER_FLAG_IS_SET(buf, GST_BUFFER_FLAG_DELTA_UNIT);
	pts = gst_util_uint64_scale(feed->frames, GST_SECOND, spec->fps);
	feed->frames++;
	feed->since_key = key ? 0 : feed->since_key + 1;
	buf = gst_buffer_make_writable(buf);
	GST_BUFFER_PTS(buf) = pts;
	GST_BUFFER_DTS(buf) = pts;
	GST_BUFFER_DURATION(buf) = gst_util_uint64_scale(1, GST_SECOND,
	    spec->fps);
	GST_PAD_PROBE_INFO_DATA(info) = buf;

	fault = g_atomic_int_get(&spec->knob->fault);
	if (fault == SIM_MEDIA_STALL) {
		feed->wait_key = true;
		return GST_PAD_PROBE_DROP;
	}
	if (feed->wait_key) {
		if (!key)
			return GST_PAD_PROBE_DROP;
		feed->wait_key = false;
	}
	if (fault == SIM_MEDIA_KILL &&
	    feed->since_key == MAX(spec->gop / 2, 1) % spec->gop) {
		/* half-way through the GOP: drop this stream's clients */
		k = g_new(struct media_kill, 1);
		k->index = spec->index;
		k->stream = spec->stream;
		g_main_context_invoke_full(media.ctx, G_PRIORITY_DEFAULT,
		    media_kill_cb, k, g_free);
	}
	if (spec->index >= 0 && spec->index < MEDIA_MAX_CAMERAS)
		__atomic_add_fetch(&media_served[spec->index][spec->stream & 1],
		    1, __ATOMIC_RELAXED);
	return GST_PAD_PROBE_OK;
}

/* A shared media was made for a factory: hook its feed up. */
static void
media_on_configure(GstRTSPMediaFactory *factory, GstRTSPMedia *rmedia,
    gpointer data)
{
	struct media_spec *spec = data;
	struct media_feed *feed;
	GstElement *top, *src, *parse;
	GstAppSrcCallbacks cbs = { .need_data = media_feed_need_data };
	GstCaps *caps;
	GstPad *pad;

	top = gst_rtsp_media_get_element(rmedia);
	src = gst_bin_get_by_name_recurse_up(GST_BIN(top), "src");
	parse = gst_bin_get_by_name_recurse_up(GST_BIN(top), "parse");
	if (src == NULL || parse == NULL)
		goto out;	/* cannot happen: we wrote the launch line */

	feed = g_new0(struct media_feed, 1);
	feed->spec = g_atomic_rc_box_acquire(spec);
	g_atomic_int_inc(&media.live_feeds);
	g_object_set_data_full(G_OBJECT(top), "vigia-sim-feed", feed,
	    media_feed_free);

	caps = gst_caps_new_simple(spec->codec == SIM_CODEC_H264 ?
	    "video/x-h264" : "video/x-h265", "stream-format", G_TYPE_STRING,
	    "byte-stream", NULL);
	gst_app_src_set_caps(GST_APP_SRC(src), caps);
	gst_caps_unref(caps);
	g_object_set(src, "format", GST_FORMAT_BYTES, "stream-type",
	    GST_APP_STREAM_TYPE_STREAM, "max-bytes", (guint64)2 * MEDIA_CHUNK,
	    NULL);
	gst_app_src_set_callbacks(GST_APP_SRC(src), &cbs, feed, NULL);

	pad = gst_element_get_static_pad(parse, "src");
	gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, media_feed_probe,
	    feed, NULL);
	gst_object_unref(pad);
out:
	if (src != NULL)
		gst_object_unref(src);
	if (parse != NULL)
		gst_object_unref(parse);
	gst_object_unref(top);
}

/* A shared media factory serving loop for camera index, stream n. */
static GstRTSPMediaFactory *
media_factory_new(struct media_cam *cam, int n)
{
	const struct sim_stream_cfg *cfg = &cam->st[n].cfg;
	GstRTSPMediaFactory *f = gst_rtsp_media_factory_new();
	struct media_spec *spec;
	char *launch;
	bool h264 = cfg->codec == SIM_CODEC_H264;

	spec = g_atomic_rc_box_new0(struct media_spec);
	spec->loop = media_loop_ref(cam->st[n].loop);
	spec->knob = g_atomic_rc_box_acquire(cam->knob);
	spec->codec = cfg->codec;
	spec->fps = cfg->fps;
	spec->gop = cfg->gop;
	spec->index = cam->index;
	spec->stream = n;

	/* SPS/PPS once, by the parser, before every keyframe; never by the
	 * payloader (it would put them between the slices of an IDR) */
	launch = g_strdup_printf("( appsrc name=src ! %s name=parse "
	    "config-interval=-1 ! %s,alignment=au ! %s name=pay0 pt=96 "
	    "config-interval=0 %s )", h264 ? "h264parse" : "h265parse",
	    h264 ? "video/x-h264" : "video/x-h265",
	    h264 ? "rtph264pay" : "rtph265pay",
	    n != 0 || media_audio[cam->index] == SIM_AUDIO_NONE ? "" :
	    media_audio[cam->index] == SIM_AUDIO_PCMU ?
	    "audiotestsrc wave=sine freq=440 samplesperbuffer=160 ! "
	    "audio/x-raw,rate=8000,channels=1 ! mulawenc ! rtppcmupay "
	    "name=pay1 pt=0" :
	    "audiotestsrc wave=sine freq=440 samplesperbuffer=1024 ! "
	    "audio/x-raw,rate=16000,channels=1 ! audioconvert ! voaacenc "
	    "bitrate=32000 ! aacparse ! rtpmp4gpay name=pay1 pt=97");
	gst_rtsp_media_factory_set_launch(f, launch);
	g_free(launch);
	gst_rtsp_media_factory_set_shared(f, TRUE);
	gst_rtsp_media_factory_add_role(f, "user",
	    GST_RTSP_PERM_MEDIA_FACTORY_ACCESS, G_TYPE_BOOLEAN, TRUE,
	    GST_RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, G_TYPE_BOOLEAN, TRUE, NULL);
	g_signal_connect_data(f, "media-configure",
	    G_CALLBACK(media_on_configure), spec,
	    (GClosureNotify)(void (*)(void))media_spec_unref, 0);
	return f;
}

/* ---- ending sessions --------------------------------------------------- */

/* Which sessions to end: those of path, or all when path is NULL. */
struct media_match {
	const char *path;
	bool hit;
};

/* Note whether a session's media is the one we look for. */
static GstRTSPFilterResult
media_match_sessmedia(GstRTSPSession *sess, GstRTSPSessionMedia *sm,
    gpointer data)
{
	struct media_match *m = data;
	gint matched;

	if (m->path == NULL || gst_rtsp_session_media_matches(sm, m->path,
	    &matched))
		m->hit = true;
	return GST_RTSP_FILTER_KEEP;
}

/* Look at every media of a client's session. */
static GstRTSPFilterResult
media_match_session(GstRTSPClient *client, GstRTSPSession *sess,
    gpointer data)
{
	gst_rtsp_session_filter(sess, media_match_sessmedia, data);
	return GST_RTSP_FILTER_KEEP;
}

/* Pick the clients that play the path (all clients if it is NULL). */
static GstRTSPFilterResult
media_pick_client(GstRTSPServer *server, GstRTSPClient *client,
    gpointer data)
{
	struct media_match *m = data;

	if (m->path == NULL)
		return GST_RTSP_FILTER_REF;
	m->hit = false;
	gst_rtsp_client_session_filter(client, media_match_session, m);
	return m->hit ? GST_RTSP_FILTER_REF : GST_RTSP_FILTER_KEEP;
}

/* Pick the sessions that play the path (all if it is NULL). */
static GstRTSPFilterResult
media_pick_session(GstRTSPSessionPool *pool, GstRTSPSession *sess,
    gpointer data)
{
	struct media_match *m = data;

	m->hit = false;
	gst_rtsp_session_filter(sess, media_match_sessmedia, m);
	return m->hit ? GST_RTSP_FILTER_REMOVE : GST_RTSP_FILTER_KEEP;
}

/* End the sessions of a camera that play path (all when NULL): close
 * their connections and remove them (UDP sessions have none). */
static void
media_end_sessions(struct media_cam *cam, const char *path)
{
	struct media_match m = { path, false };
	GstRTSPSessionPool *pool;
	GList *clients, *l;

	clients = gst_rtsp_server_client_filter(cam->server,
	    media_pick_client, &m);
	for (l = clients; l != NULL; l = l->next) {
		gst_rtsp_client_close(l->data);
		g_object_unref(l->data);
	}
	g_list_free(clients);
	pool = gst_rtsp_server_get_session_pool(cam->server);
	g_list_free(gst_rtsp_session_pool_filter(pool, media_pick_session,
	    &m));
	g_object_unref(pool);
}

/* KILL, in the main loop: drop the clients of one stream of a camera. */
static gboolean
media_kill_cb(gpointer data)
{
	struct media_kill *k = data;
	struct media_cam *cam = media.cams[k->index];

	if (cam != NULL && g_atomic_int_get(&cam->knob->fault) ==
	    SIM_MEDIA_KILL)
		media_end_sessions(cam, cam->st[k->stream].path);
	return G_SOURCE_REMOVE;
}

/* Expire RTSP sessions whose clients went away without a TEARDOWN. */
static gboolean
media_cleanup_cb(gpointer data)
{
	GstRTSPSessionPool *pool;
	int i;

	for (i = 0; i < MEDIA_MAX_CAMERAS; i++) {
		if (media.cams[i] == NULL)
			continue;
		pool = gst_rtsp_server_get_session_pool(media.cams[i]->server);
		gst_rtsp_session_pool_cleanup(pool);
		g_object_unref(pool);
	}
	return G_SOURCE_CONTINUE;
}

/* ---- the snapshot server (HTTP digest, RFC 7616 MD5 with qop=auth) ---- */

/* Lowercase hex MD5 of a formatted string. */
static void __attribute__((format(printf, 2, 3)))
media_md5_hex(char out[33], const char *fmt, ...)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	out[0] = '\0';
	if (n < 0)
		return;
	if (EVP_Digest(s, (size_t)n, md, &len, EVP_md5(), NULL) == 1) {
		for (i = 0; i < len && i < 16; i++) {
			out[2 * i] = hex[md[i] >> 4];
			out[2 * i + 1] = hex[md[i] & 15];
		}
		out[2 * i] = '\0';
	}
	OPENSSL_cleanse(s, (size_t)n);
	free(s);
}

/* A nonce: its issue time and a MAC over it (nothing to remember). */
static void
media_nonce_make(char out[49], time_t when)
{
	char mac[33];

	media_md5_hex(mac, "%016llx:%.32s", (unsigned long long)when,
	    (const char *)media.secret);
	snprintf(out, 49, "%016llx%s", (unsigned long long)when, mac);
}

/* 1 if the nonce is ours and fresh, 0 if ours but stale, -1 if not ours. */
static int
media_nonce_check(const char *nonce)
{
	unsigned long long when;
	char want[49], ts[17];
	char *end;

	if (nonce == NULL || strlen(nonce) != 48)
		return -1;
	memcpy(ts, nonce, 16);
	ts[16] = '\0';
	when = strtoull(ts, &end, 16);
	if (*end != '\0')
		return -1;
	media_nonce_make(want, (time_t)when);
	if (CRYPTO_memcmp(want, nonce, 48) != 0)
		return -1;
	if ((unsigned long long)time(NULL) - when > MEDIA_NONCE_LIFETIME)
		return 0;
	return 1;
}

/* Find parameter name in a Digest credentials string; returns an
 * allocated value (g_free) or NULL. */
static char *
media_digest_param(const char *s, const char *name)
{
	size_t nlen = strlen(name), klen;
	const char *k;
	GString *v;

	while (*s != '\0') {
		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		k = s;
		while (*s != '\0' && *s != '=' && *s != ',' && *s != ' ')
			s++;
		klen = (size_t)(s - k);
		while (*s == ' ')
			s++;
		if (*s != '=')
			continue;
		s++;
		while (*s == ' ')
			s++;
		v = g_string_new(NULL);
		if (*s == '"') {
			for (s++; *s != '\0' && *s != '"'; s++) {
				if (*s == '\\' && s[1] != '\0')
					s++;
				g_string_append_c(v, *s);
			}
			if (*s == '"')
				s++;
		} else {
			while (*s != '\0' && *s != ',' && *s != ' ')
				g_string_append_c(v, *s++);
		}
		if (klen == nlen && g_ascii_strncasecmp(k, name, nlen) == 0)
			return g_string_free(v, FALSE);
		g_string_free(v, TRUE);
	}
	return NULL;
}

/* Check HTTP Digest credentials (the Authorization header's value).
 * Returns 1 if they are right, 0 if not, -1 if only the nonce is stale. */
static int
media_digest_check(const char *auth, const char *method, const char *target,
    const char *user, const char *pass)
{
	char *p[8] = { NULL };
	enum { U, R, N, URI, RESP, QOP, NC, CN };
	static const char *const names[] = { "username", "realm", "nonce",
		"uri", "response", "qop", "nc", "cnonce" };
	char ha1[33], ha2[33], want[33];
	char *alg = NULL;
	int i, ok = 0, fresh;

	if (g_ascii_strncasecmp(auth, "Digest ", 7) != 0)
		return 0;
	for (i = 0; i < 8; i++)
		p[i] = media_digest_param(auth + 7, names[i]);
	alg = media_digest_param(auth + 7, "algorithm");
	if (p[U] == NULL || p[R] == NULL || p[N] == NULL || p[URI] == NULL ||
	    p[RESP] == NULL || strcmp(p[U], user) != 0 ||
	    strcmp(p[R], MEDIA_REALM) != 0 || strcmp(p[URI], target) != 0 ||
	    (alg != NULL && g_ascii_strcasecmp(alg, "MD5") != 0) ||
	    strlen(p[RESP]) != 32)
		goto out;
	media_md5_hex(ha1, "%s:%s:%s", user, MEDIA_REALM, pass);
	media_md5_hex(ha2, "%s:%s", method, p[URI]);
	if (p[QOP] != NULL) {
		if (strcmp(p[QOP], "auth") != 0 || p[NC] == NULL ||
		    p[CN] == NULL)
			goto out;
		media_md5_hex(want, "%s:%s:%s:%s:%s:%s", ha1, p[N], p[NC],
		    p[CN], p[QOP], ha2);
	} else
		media_md5_hex(want, "%s:%s:%s", ha1, p[N], ha2);
	for (i = 0; i < 32; i++)
		p[RESP][i] = g_ascii_tolower(p[RESP][i]);
	if (CRYPTO_memcmp(want, p[RESP], 32) != 0)
		goto out;
	fresh = media_nonce_check(p[N]);
	ok = fresh > 0 ? 1 : fresh == 0 ? -1 : 0;
out:
	OPENSSL_cleanse(ha1, sizeof ha1);
	for (i = 0; i < 8; i++)
		g_free(p[i]);
	g_free(alg);
	return ok;
}

/* Write all of buf to a socket (it has a send timeout). */
static bool
media_send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* Write a whole HTTP response (the body unless head_only). */
static void
media_http_reply(int fd, const char *status, const char *extra,
    const char *type, const void *body, size_t len, bool head_only)
{
	char *head;

	head = g_strdup_printf("HTTP/1.1 %s\r\nServer: vigia-sim\r\n%s"
	    "Content-Type: %s\r\nContent-Length: %zu\r\n"
	    "Cache-Control: no-cache\r\nConnection: close\r\n\r\n", status,
	    extra, type, len);
	if (media_send_all(fd, head, strlen(head)) && !head_only && len > 0)
		media_send_all(fd, body, len);
	g_free(head);
}

/* Reply with a plain text error. */
static void
media_http_error(int fd, const char *status, const char *extra,
    bool head_only)
{
	char *body = g_strdup_printf("%s\n", status);

	media_http_reply(fd, status, extra, "text/plain", body, strlen(body),
	    head_only);
	g_free(body);
}

/* An accepted snapshot connection, for a worker thread. */
struct media_http_conn {
	int fd;
	int index;
};

/* Answer one snapshot request, in a worker thread. */
static void
media_http_handle(gpointer data, gpointer unused)
{
	struct media_http_conn *hc = data;
	int fd = hc->fd, index = hc->index;
	char req[MEDIA_HTTP_MAX_REQUEST + 1], *eol, *sp, *target, *q, *next;
	char *auth = NULL, *user = NULL, *pass = NULL, *path = NULL, *name;
	bool anon = true;
	char nonce[49], *challenge;
	struct timeval tv = { MEDIA_HTTP_TIMEOUT, 0 };
	GBytes *jpeg = NULL;
	struct media_cam *cam;
	ssize_t n;
	size_t len = 0;
	bool head;
	int ok;

	g_free(hc);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	req[0] = '\0';
	while (len < MEDIA_HTTP_MAX_REQUEST &&
	    strstr(req, "\r\n\r\n") == NULL) {
		n = recv(fd, req + len, MEDIA_HTTP_MAX_REQUEST - len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;
		len += (size_t)n;
		req[len] = '\0';
	}
	if (strlen(req) != len || (eol = strstr(req, "\r\n")) == NULL) {
		media_http_error(fd, "400 Bad Request", "", false);
		goto out;
	}
	if (strstr(req, "\r\n\r\n") == NULL) {
		media_http_error(fd, "431 Request Header Fields Too Large", "",
		    false);
		goto out;
	}
	/* the request line: METHOD SP target SP version */
	*eol = '\0';
	head = strncmp(req, "HEAD ", 5) == 0;
	if (strncmp(req, "GET ", 4) != 0 && !head) {
		media_http_error(fd, "405 Method Not Allowed",
		    "Allow: GET, HEAD\r\n", false);
		goto out;
	}
	target = req + (head ? 5 : 4);
	if ((sp = strchr(target, ' ')) == NULL || target[0] != '/') {
		media_http_error(fd, "400 Bad Request", "", false);
		goto out;
	}
	*sp = '\0';
	/* the Authorization header, if any */
	for (q = eol + 2; (next = strstr(q, "\r\n")) != NULL && next != q;
	    q = next + 2) {
		*next = '\0';
		if (g_ascii_strncasecmp(q, "Authorization:", 14) == 0) {
			g_free(auth);
			auth = g_strstrip(g_strdup(q + 14));
		}
	}

	g_mutex_lock(&media.lock);
	cam = index >= 0 && index < MEDIA_MAX_CAMERAS ? media.cams[index] :
	    NULL;
	if (cam != NULL && cam->online) {
		int k;

		/* the user the client names, else the first (to fail) */
		name = auth != NULL && g_ascii_strncasecmp(auth, "Digest ", 7) ==
		    0 ? media_digest_param(auth + 7, "username") : NULL;
		anon = cam->nusers == 0;
		for (k = 0; k < cam->nusers; k++)
			if (k == 0 || (name != NULL &&
			    strcmp(cam->user[k], name) == 0)) {
				g_free(user);
				g_free(pass);
				user = g_strdup(cam->user[k]);
				pass = g_strdup(cam->pass[k]);
			}
		g_free(name);
		path = g_strdup(cam->snap_path);
		jpeg = g_bytes_ref(cam->st[0].loop->jpeg);
	}
	g_mutex_unlock(&media.lock);
	if (path == NULL)
		goto out;	/* offline: drop the connection */

	if ((q = strchr(target, '?')) != NULL)
		*q = '\0';
	if (strcmp(target, path) != 0) {
		media_http_error(fd, "404 Not Found", "", head);
		goto out;
	}
	if (q != NULL)
		*q = '?';	/* the digest "uri" is the whole target */
	if (!anon) {
		ok = auth == NULL ? 0 : media_digest_check(auth,
		    head ? "HEAD" : "GET", target, user, pass);
		if (ok != 1) {
			media_nonce_make(nonce, time(NULL));
			challenge = g_strdup_printf("WWW-Authenticate: Digest "
			    "realm=\"%s\", qop=\"auth\", algorithm=MD5, "
			    "nonce=\"%s\"%s\r\n", MEDIA_REALM, nonce,
			    ok < 0 ? ", stale=true" : "");
			media_http_error(fd, "401 Unauthorized", challenge,
			    head);
			g_free(challenge);
			goto out;
		}
	}
	media_http_reply(fd, "200 OK", "", "image/jpeg",
	    g_bytes_get_data(jpeg, NULL), g_bytes_get_size(jpeg), head);
out:
	shutdown(fd, SHUT_WR);
	close(fd);
	if (pass != NULL) {
		OPENSSL_cleanse(pass, strlen(pass));
		g_free(pass);
	}
	g_free(user);
	g_free(auth);
	g_free(path);
	if (jpeg != NULL)
		g_bytes_unref(jpeg);
}

/* A snapshot listener is readable (in the main loop): accept and hand the
 * connection to a worker. */
static gboolean
media_http_accept(gint lfd, GIOCondition cond, gpointer data)
{
	struct media_http_conn *hc;
	int fd;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		hc = g_new(struct media_http_conn, 1);
		hc->fd = fd;
		hc->index = GPOINTER_TO_INT(data);
		g_thread_pool_push(media.http_pool, hc, NULL);
	}
	return G_SOURCE_CONTINUE;
}

/* Parse a numeric IPv4 or IPv6 address into sa (with port). */
static bool
media_parse_addr(const char *addr, int port, struct sockaddr_storage *sa,
    socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)(void *)sa;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)(void *)sa;

	memset(sa, 0, sizeof *sa);
	if (addr != NULL && inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		*len = sizeof *s4;
		return true;
	}
	if (addr != NULL && inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof *s6;
		return true;
	}
	return false;
}

/* Open a non-blocking listening TCP socket on addr:port. */
static int
media_http_listen(const char *addr, int port, char **cause)
{
	struct sockaddr_storage sa;
	socklen_t len;
	int fd, one = 1;

	if (!media_parse_addr(addr, port, &sa, &len))
		return media_fail(cause, "bad address \"%s\"", addr);
	fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd < 0)
		return media_fail(cause, "socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&sa, len) != 0 ||
	    listen(fd, MEDIA_BACKLOG) != 0) {
		media_fail(cause, "HTTP on %s:%d: %s", addr, port,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- cameras (in the main loop thread) ------------------------------- */

/* Set a camera's URIs from its address and the ports. */
static void
media_cam_set_uris(struct media_cam *cam)
{
	char host[80], rport[16] = "", hport[16] = "";
	int i;

	/* an IPv6 address goes in brackets */
	snprintf(host, sizeof host, strchr(cam->addr, ':') != NULL ?
	    "[%s]" : "%s", cam->addr);
	if (media.rtsp_port != 554)
		snprintf(rport, sizeof rport, ":%d", media.rtsp_port);
	if (media.http_port != 80)
		snprintf(hport, sizeof hport, ":%d", media.http_port);
	for (i = 0; i < 2; i++) {
		snprintf(cam->st[i].path, sizeof cam->st[i].path,
		    "/Streaming/Channels/10%d", i + 1);
		snprintf(cam->st[i].uri, sizeof cam->st[i].uri,
		    "rtsp://%s%s/Streaming/Channels/10%d", host, rport, i + 1);
	}
	snprintf(cam->snap_path, sizeof cam->snap_path, "/onvif/snapshot/%d",
	    cam->index);
	snprintf(cam->snap_uri, sizeof cam->snap_uri,
	    "http://%s%s/onvif/snapshot/%d", host, hport, cam->index);
}

/* Close a camera's listening sockets (RTSP and snapshot). */
static void
media_cam_unlisten(struct media_cam *cam)
{
	if (cam->rtsp_source != NULL) {
		g_source_destroy(cam->rtsp_source);
		g_source_unref(cam->rtsp_source);	/* closes the socket */
		cam->rtsp_source = NULL;
	}
	if (cam->http_source != NULL) {
		g_source_destroy(cam->http_source);
		g_source_unref(cam->http_source);
		cam->http_source = NULL;
	}
	if (cam->http_fd >= 0) {
		close(cam->http_fd);
		cam->http_fd = -1;
	}
}

/* Open a camera's listening sockets on its address. */
static int
media_cam_listen(struct media_cam *cam, char **cause)
{
	GError *gerr = NULL;
	char port[16];

	snprintf(port, sizeof port, "%d", media.rtsp_port);
	gst_rtsp_server_set_address(cam->server, cam->addr);
	gst_rtsp_server_set_service(cam->server, port);
	cam->rtsp_source = gst_rtsp_server_create_source(cam->server, NULL,
	    &gerr);
	if (cam->rtsp_source == NULL) {
		media_fail(cause, "RTSP on %s:%d: %s", cam->addr,
		    media.rtsp_port, gerr->message);
		g_error_free(gerr);
		return -1;
	}
	g_source_attach(cam->rtsp_source, media.ctx);

	cam->http_fd = media_http_listen(cam->addr, media.http_port, cause);
	if (cam->http_fd < 0) {
		media_cam_unlisten(cam);
		return -1;
	}
	cam->http_source = g_unix_fd_source_new(cam->http_fd, G_IO_IN);
	g_source_set_callback(cam->http_source,
	    (GSourceFunc)(void (*)(void))media_http_accept,
	    GINT_TO_POINTER(cam->index), NULL);
	g_source_attach(cam->http_source, media.ctx);
	return 0;
}

/* Forget a camera's users (with media.lock held, or before it is
 * shared). */
static void
media_cam_users_clear(struct media_cam *cam)
{
	int k;

	for (k = 0; k < cam->nusers; k++) {
		OPENSSL_cleanse(cam->pass[k], strlen(cam->pass[k]));
		g_free(cam->user[k]);
		g_free(cam->pass[k]);
		cam->user[k] = cam->pass[k] = NULL;
	}
	cam->nusers = 0;
}

/* Set a camera's RTSP credentials (digest) or anonymous access. */
static void
media_cam_set_auth(struct media_cam *cam)
{
	GstRTSPAuth *auth;
	GstRTSPToken *token;

	int k;

	if (cam->nusers == 0) {
		gst_rtsp_server_set_auth(cam->server, NULL);
		return;
	}
	auth = gst_rtsp_auth_new();
	gst_rtsp_auth_set_supported_methods(auth, GST_RTSP_AUTH_DIGEST);
	gst_rtsp_auth_set_realm(auth, MEDIA_REALM);
	token = gst_rtsp_token_new(GST_RTSP_TOKEN_MEDIA_FACTORY_ROLE,
	    G_TYPE_STRING, "user", NULL);
	g_mutex_lock(&media.lock);
	for (k = 0; k < cam->nusers; k++)
		gst_rtsp_auth_add_digest(auth, cam->user[k], cam->pass[k],
		    token);
	g_mutex_unlock(&media.lock);
	gst_rtsp_token_unref(token);
	gst_rtsp_server_set_auth(cam->server, auth);
	g_object_unref(auth);
}

/* Mount (or remount) stream n of a camera from its current loop. */
static void
media_cam_mount(struct media_cam *cam, int n)
{
	GstRTSPMountPoints *mounts;

	mounts = gst_rtsp_server_get_mount_points(cam->server);
	gst_rtsp_mount_points_remove_factory(mounts, cam->st[n].path);
	gst_rtsp_mount_points_add_factory(mounts, cam->st[n].path,
	    media_factory_new(cam, n));
	g_object_unref(mounts);
}

/* Free a camera (it is no longer in media.cams). */
static void
media_cam_free(struct media_cam *cam)
{
	int i;

	if (cam == NULL)
		return;
	media_cam_unlisten(cam);
	if (cam->server != NULL) {
		media_end_sessions(cam, NULL);
		g_object_unref(cam->server);
	}
	for (i = 0; i < 2; i++)
		media_loop_unref(cam->st[i].loop);
	g_atomic_rc_box_release_full(cam->knob, media_knob_clear);
	media_cam_users_clear(cam);
	g_free(cam);
}

/* ---- marshalling into the main loop ------------------------------------ */

/* One call to run in the main loop. */
struct media_call {
	void (*fn)(void *);
	void *arg;
	bool done;
};

/* Run a call in the main loop and signal its caller. */
static gboolean
media_call_cb(gpointer data)
{
	struct media_call *c = data;

	c->fn(c->arg);
	g_mutex_lock(&media.call_lock);
	c->done = true;
	g_cond_broadcast(&media.call_cond);
	g_mutex_unlock(&media.call_lock);
	return G_SOURCE_REMOVE;
}

/* Run fn(arg) in the main loop thread and wait for it. */
static void
media_call(void (*fn)(void *), void *arg)
{
	struct media_call c = { fn, arg, false };

	if (g_main_context_is_owner(media.ctx)) {
		fn(arg);
		return;
	}
	g_main_context_invoke(media.ctx, media_call_cb, &c);
	g_mutex_lock(&media.call_lock);
	while (!c.done)
		g_cond_wait(&media.call_cond, &media.call_lock);
	g_mutex_unlock(&media.call_lock);
}

/* The main loop thread. */
static gpointer
media_thread(gpointer data)
{
	g_main_context_push_thread_default(media.ctx);
	g_main_loop_run(media.loop);
	g_main_context_pop_thread_default(media.ctx);
	return NULL;
}

/* The arguments and result of a marshalled call. */
struct media_args {
	int index, stream;
	const char *addr;
	const struct sim_stream_cfg *cfg;
	struct media_loop *loops[2];
	bool online;
	int ret;
	char **cause;
};

/* Check a camera index for a public function. */
static int
media_check_index(int index, char **cause)
{
	if (!media.running)
		return media_fail(cause, "the media side is not running");
	if (index < 0 || index >= MEDIA_MAX_CAMERAS)
		return media_fail(cause, "camera index %d out of range", index);
	return 0;
}

/* ---- public interface -------------------------------------------------- */

/* Start the media side (see sim.h). */
int
sim_media_init(const char *cache_dir, int rtsp_port, int http_port,
    char **cause)
{
	static const char *const need[] = { "appsrc", "h264parse",
		"h265parse", "rtph264pay", "rtph265pay" };
	GstElementFactory *f;
	GError *gerr = NULL;
	size_t i;

	if (media.running)
		return media_fail(cause, "the media side is already running");
	if (rtsp_port < 1 || rtsp_port > 65535 || http_port < 1 ||
	    http_port > 65535 || rtsp_port == http_port)
		return media_fail(cause, "bad ports %d and %d", rtsp_port,
		    http_port);
	if (!gst_init_check(NULL, NULL, &gerr)) {
		media_fail(cause, "GStreamer: %s", gerr->message);
		g_error_free(gerr);
		return -1;
	}
	for (i = 0; i < G_N_ELEMENTS(need); i++) {
		if ((f = gst_element_factory_find(need[i])) == NULL)
			return media_fail(cause, "GStreamer element %s is "
			    "missing (gstreamer1.0-plugins-good and -bad)",
			    need[i]);
		gst_object_unref(f);
	}
	if (g_mkdir_with_parents(cache_dir, 0755) != 0)
		return media_fail(cause, "cannot create %s: %s", cache_dir,
		    strerror(errno));
	if (RAND_bytes(media.secret, sizeof media.secret) != 1)
		return media_fail(cause, "no random bytes for nonces");
	for (i = 0; i < sizeof media.secret; i++)
		media.secret[i] = (unsigned char)('a' + media.secret[i] % 26);

	media.cache_dir = g_strdup(cache_dir);
	media.rtsp_port = rtsp_port;
	media.http_port = http_port;
	g_mutex_init(&media.lock);
	g_mutex_init(&media.loop_lock);
	g_cond_init(&media.loop_cond);
	g_mutex_init(&media.call_lock);
	g_cond_init(&media.call_cond);
	media.loops = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	    (GDestroyNotify)media_loop_unref);
	media.making = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	media.http_pool = g_thread_pool_new(media_http_handle, NULL,
	    MEDIA_HTTP_THREADS, FALSE, NULL);
	media.pool = gst_rtsp_thread_pool_new();
	gst_rtsp_thread_pool_set_max_threads(media.pool, MEDIA_POOL_THREADS);
	media.ctx = g_main_context_new();
	media.loop = g_main_loop_new(media.ctx, FALSE);
	media.cleanup = g_timeout_source_new_seconds(2);
	g_source_set_callback(media.cleanup, media_cleanup_cb, NULL, NULL);
	g_source_attach(media.cleanup, media.ctx);
	media.thread = g_thread_new("sim-media", media_thread, NULL);
	media.running = true;
	return 0;
}

/* In the main loop: add a camera. */
static void
media_do_add(void *data)
{
	struct media_args *a = data;
	struct media_cam *cam;
	int i;

	if (media.cams[a->index] != NULL) {
		a->ret = media_fail(a->cause, "camera %d already exists",
		    a->index);
		return;
	}
	cam = g_new0(struct media_cam, 1);
	cam->index = a->index;
	g_strlcpy(cam->addr, a->addr, sizeof cam->addr);
	cam->online = true;
	cam->http_fd = -1;
	cam->knob = g_atomic_rc_box_new0(struct media_knob);
	for (i = 0; i < 2; i++) {
		cam->st[i].cfg = a->cfg[i];
		cam->st[i].loop = a->loops[i];
		a->loops[i] = NULL;
	}
	media_cam_set_uris(cam);
	cam->server = gst_rtsp_server_new();
	gst_rtsp_server_set_thread_pool(cam->server, media.pool);
	gst_rtsp_server_set_backlog(cam->server, MEDIA_BACKLOG);
	for (i = 0; i < 2; i++)
		media_cam_mount(cam, i);
	if (media_cam_listen(cam, a->cause) != 0) {
		media_cam_free(cam);
		a->ret = -1;
		return;
	}
	g_mutex_lock(&media.lock);
	media.cams[a->index] = cam;
	g_mutex_unlock(&media.lock);
	a->ret = 0;
}

/* Add camera index on addr (see sim.h). */
int
sim_media_add_camera(int index, const char *addr,
    const struct sim_stream_cfg cfg[2], char **cause)
{
	struct media_args a = { .index = index, .addr = addr, .cfg = cfg,
		.cause = cause };
	struct sockaddr_storage sa;
	socklen_t len;
	int i;

	if (media_check_index(index, cause) != 0)
		return -1;
	if (addr == NULL || strlen(addr) >= 64 ||
	    !media_parse_addr(addr, 0, &sa, &len))
		return media_fail(cause, "bad address \"%s\"",
		    addr != NULL ? addr : "(null)");
	for (i = 0; i < 2; i++) {
		if (media_check_cfg(&cfg[i], cause) != 0)
			return -1;
	}
	for (i = 0; i < 2; i++) {
		if ((a.loops[i] = media_loop_get(&cfg[i], cause)) == NULL) {
			a.ret = -1;
			goto out;
		}
	}
	media_call(media_do_add, &a);
out:
	for (i = 0; i < 2; i++)
		media_loop_unref(a.loops[i]);
	return a.ret;
}

/* In the main loop: serve a new configuration on one stream. */
static void
media_do_set_stream(void *data)
{
	struct media_args *a = data;
	struct media_cam *cam = media.cams[a->index];
	struct media_loop *old;

	if (cam == NULL) {
		a->ret = media_fail(a->cause, "no camera %d", a->index);
		return;
	}
	g_mutex_lock(&media.lock);
	old = cam->st[a->stream].loop;
	cam->st[a->stream].loop = a->loops[0];
	cam->st[a->stream].cfg = *a->cfg;
	a->loops[0] = old;	/* the caller drops it */
	g_mutex_unlock(&media.lock);
	media_cam_mount(cam, a->stream);
	media_end_sessions(cam, cam->st[a->stream].path);
	a->ret = 0;
}

/* Serve a new configuration (see sim.h). */
int
sim_media_set_stream(int index, int stream, const struct sim_stream_cfg *cfg,
    char **cause)
{
	struct media_args a = { .index = index, .stream = stream, .cfg = cfg,
		.cause = cause };

	if (media_check_index(index, cause) != 0)
		return -1;
	if (stream < 0 || stream > 1)
		return media_fail(cause, "stream %d out of range", stream);
	if (cfg == NULL || media_check_cfg(cfg, cause) != 0)
		return cfg == NULL ? media_fail(cause, "no configuration") : -1;
	if ((a.loops[0] = media_loop_get(cfg, cause)) == NULL)
		return -1;
	media_call(media_do_set_stream, &a);
	media_loop_unref(a.loops[0]);
	return a.ret;
}

/* In the main loop: change credentials. */
struct media_creds {
	int index;
	bool add;		/* add a user, else replace them all */
	const char *user, *pass;
};

/* In the main loop: set or add a camera's credentials. */
static void
media_do_set_credentials(void *data)
{
	struct media_creds *c = data;
	struct media_cam *cam = media.cams[c->index];

	if (cam == NULL)
		return;
	g_mutex_lock(&media.lock);
	if (!c->add)
		media_cam_users_clear(cam);
	if (c->user != NULL && cam->nusers < MEDIA_MAX_USERS) {
		cam->user[cam->nusers] = g_strdup(c->user);
		cam->pass[cam->nusers] = g_strdup(c->pass != NULL ? c->pass :
		    "");
		cam->nusers++;
	}
	g_mutex_unlock(&media.lock);
	media_cam_set_auth(cam);
}

/* Credentials for RTSP and the snapshot URL (see sim.h). */
void
sim_media_set_credentials(int index, const char *user, const char *password)
{
	struct media_creds c = { index, false, user, password };

	if (media_check_index(index, NULL) == 0)
		media_call(media_do_set_credentials, &c);
}

/* One more user that may stream (see sim.h). */
void
sim_media_add_credentials(int index, const char *user, const char *password)
{
	struct media_creds c = { index, true, user, password };

	if (media_check_index(index, NULL) == 0 && user != NULL)
		media_call(media_do_set_credentials, &c);
}

/* Set a media fault (see sim.h); takes effect at once (RESIZE: at the
 * next wrap-around of the loop, within MEDIA_LOOP_SECONDS and a GOP). */
void
sim_media_set_fault(int index, enum sim_media_fault fault)
{
	struct media_cam *cam;
	struct media_loop *alt = NULL, *old = NULL;
	struct sim_stream_cfg cfg;
	char *cause = NULL;
	bool have = false;

	if (media_check_index(index, NULL) != 0)
		return;
	if (fault == SIM_MEDIA_RESIZE) {
		g_mutex_lock(&media.lock);
		if ((cam = media.cams[index]) != NULL) {
			cfg = cam->st[0].cfg;
			have = true;
		}
		g_mutex_unlock(&media.lock);
		if (!have)
			return;
		/* half the size (three quarters for small pictures), even */
		if (cfg.width >= 640) {
			cfg.width = (cfg.width / 2) & ~1;
			cfg.height = (cfg.height / 2) & ~1;
		} else {
			cfg.width = (cfg.width * 3 / 4) & ~1;
			cfg.height = (cfg.height * 3 / 4) & ~1;
		}
		if (cfg.bitrate_kbps > 256)
			cfg.bitrate_kbps /= 2;
		if ((alt = media_loop_get(&cfg, &cause)) == NULL) {
			g_printerr("vigia-sim: camera %d: rtsp-resize: %s\n",
			    index, cause);
			free(cause);
		}
	}
	g_mutex_lock(&media.lock);
	if ((cam = media.cams[index]) != NULL) {
		g_atomic_int_set(&cam->knob->fault, (gint)fault);
		old = cam->knob->alt;
		cam->knob->alt = alt;
		alt = NULL;
	}
	g_mutex_unlock(&media.lock);
	media_loop_unref(old);
	media_loop_unref(alt);
}

/* In the main loop: take a camera on or off line. */
static void
media_do_set_online(void *data)
{
	struct media_args *a = data;
	struct media_cam *cam = media.cams[a->index];
	char *cause = NULL;

	if (cam == NULL || cam->online == a->online)
		return;
	g_mutex_lock(&media.lock);
	cam->online = a->online;
	g_mutex_unlock(&media.lock);
	if (!a->online) {
		media_cam_unlisten(cam);
		media_end_sessions(cam, NULL);
	} else if (media_cam_listen(cam, &cause) != 0) {
		fprintf(stderr, "vigia-sim: camera %d: %s\n", cam->index,
		    cause != NULL ? cause : "cannot listen");
		free(cause);
	}
}

/* Online or offline (see sim.h). */
void
sim_media_set_online(int index, bool online)
{
	struct media_args a = { .index = index, .online = online };

	if (media_check_index(index, NULL) == 0)
		media_call(media_do_set_online, &a);
}

/* In the main loop: move a camera to a new address. */
static void
media_do_move(void *data)
{
	struct media_args *a = data;
	struct media_cam *cam = media.cams[a->index];
	char old[64];

	if (cam == NULL) {
		a->ret = media_fail(a->cause, "no camera %d", a->index);
		return;
	}
	g_strlcpy(old, cam->addr, sizeof old);
	media_cam_unlisten(cam);
	media_end_sessions(cam, NULL);
	g_mutex_lock(&media.lock);
	g_strlcpy(cam->addr, a->addr, sizeof cam->addr);
	media_cam_set_uris(cam);
	g_mutex_unlock(&media.lock);
	a->ret = 0;
	if (cam->online && media_cam_listen(cam, a->cause) != 0) {
		/* stay where we were */
		a->ret = -1;
		g_mutex_lock(&media.lock);
		g_strlcpy(cam->addr, old, sizeof cam->addr);
		media_cam_set_uris(cam);
		g_mutex_unlock(&media.lock);
		if (media_cam_listen(cam, NULL) != 0)
			fprintf(stderr, "vigia-sim: camera %d: cannot listen "
			    "on %s again\n", cam->index, old);
	}
}

/* Rebind a camera's servers to a new address (see sim.h). */
int
sim_media_move(int index, const char *new_addr, char **cause)
{
	struct media_args a = { .index = index, .addr = new_addr,
		.cause = cause };
	struct sockaddr_storage sa;
	socklen_t len;

	if (media_check_index(index, cause) != 0)
		return -1;
	if (new_addr == NULL || strlen(new_addr) >= 64 ||
	    !media_parse_addr(new_addr, 0, &sa, &len))
		return media_fail(cause, "bad address \"%s\"",
		    new_addr != NULL ? new_addr : "(null)");
	media_call(media_do_move, &a);
	return a.ret;
}

/* A camera's stream URI (static storage per camera), or NULL. */
const char *
sim_media_stream_uri(int index, int stream)
{
	if (!media.running || index < 0 || index >= MEDIA_MAX_CAMERAS ||
	    stream < 0 || stream > 1 || media.cams[index] == NULL)
		return NULL;
	return media.cams[index]->st[stream].uri;
}

/* Audio on a camera's main stream, from when it is added. */
void
sim_media_set_audio(int index, enum sim_audio kind)
{
	if (index >= 0 && index < MEDIA_MAX_CAMERAS)
		media_audio[index] = kind;
}

/* Access units served on a camera's stream so far. */
int64_t
sim_media_frames_served(int index, int stream)
{
	if (index < 0 || index >= MEDIA_MAX_CAMERAS || stream < 0 ||
	    stream > 1)
		return 0;
	return __atomic_load_n(&media_served[index][stream], __ATOMIC_RELAXED);
}

/* A camera's snapshot URI (static storage per camera), or NULL. */
const char *
sim_media_snapshot_uri(int index)
{
	if (!media.running || index < 0 || index >= MEDIA_MAX_CAMERAS ||
	    media.cams[index] == NULL)
		return NULL;
	return media.cams[index]->snap_uri;
}

/* In the main loop: take every camera down. */
static void
media_do_shutdown(void *data)
{
	struct media_cam *cam;
	int i;

	for (i = 0; i < MEDIA_MAX_CAMERAS; i++) {
		if ((cam = media.cams[i]) == NULL)
			continue;
		g_mutex_lock(&media.lock);
		media.cams[i] = NULL;
		g_mutex_unlock(&media.lock);
		media_cam_free(cam);
	}
	g_source_destroy(media.cleanup);
	g_source_unref(media.cleanup);
	media.cleanup = NULL;
}

/* Quit the main loop (run inside it). */
static void
media_do_quit(void *data)
{
	g_main_loop_quit(media.loop);
}

/* Stop everything and free (see sim.h). */
void
sim_media_shutdown(void)
{
	int i;

	if (!media.running)
		return;
	media_call(media_do_shutdown, NULL);
	/* pipelines stop in the RTSP client threads: give them a moment,
	 * they may still post KILL requests to the main loop meanwhile */
	for (i = 0; i < 100 && g_atomic_int_get(&media.live_feeds) > 0; i++)
		g_usleep(20000);
	media_call(media_do_quit, NULL);
	g_thread_join(media.thread);
	media.running = false;
	if (g_atomic_int_get(&media.live_feeds) == 0) {
		g_main_loop_unref(media.loop);
		g_main_context_unref(media.ctx);
	}	/* else leak them: a late pipeline may still post to them */
	g_thread_pool_free(media.http_pool, FALSE, TRUE);
	g_object_unref(media.pool);
	g_hash_table_destroy(media.loops);
	g_hash_table_destroy(media.making);
	g_free(media.cache_dir);
	media.cache_dir = NULL;
	g_mutex_clear(&media.lock);
	g_mutex_clear(&media.loop_lock);
	g_cond_clear(&media.loop_cond);
	g_mutex_clear(&media.call_lock);
	g_cond_clear(&media.call_cond);
}
