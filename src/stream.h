/* stream.h - streams: RTSP probe, snapshots, terminal pictures and the
 * live preview (public part of libvigia.h).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Included at the bottom of libvigia.h.  Only plain structs cross this
 * header: the core opens the stream with FFmpeg, measures it, decodes
 * what must be seen and hands back numbers and grids of terminal cells;
 * ui/ draws those grids.  Every network wait has a deadline (the
 * options' timeout, checked by an FFmpeg interrupt callback and by the
 * RTSP `timeout` option), so no call here can hang.
 *
 * Fallible calls return 0 or a negative enum vg_err, may give an English
 * *cause, and say in terms a technician acts on why they failed through
 * an enum vg_stream_class (vg_stream_class_text() translates it).
 */
#ifndef VIGIA_STREAM_H
#define VIGIA_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vg_camera_encoder;

/* ---- opening a stream ---------------------------------------------------- */

/* How to open a stream.  Strings are borrowed for the call only.  A zeroed
 * struct means: RTSP over TCP (interleaved), 5 s per network wait, the
 * credentials in the URL (if any). */
struct vg_stream_opts {
	bool udp;		/* RTP over UDP instead of TCP interleaved */
	int timeout_ms;		/* longest wait for the network; 0: 5000 */
	const char *user;	/* NULL: the URL's user-info, or none */
	const char *password;	/* registered with vg_log_add_secret() */
	/* When non-NULL and set non-zero (by another thread or a signal
	 * handler), the call stops at its next wait, VG_ERR_CANCELLED. */
	const volatile int *cancel;
};

/* Why opening or reading a stream failed. */
enum vg_stream_class {
	VG_STREAM_OK = 0,
	VG_STREAM_UNREACHABLE,	/* refused, no route, unknown host */
	VG_STREAM_TIMEOUT,	/* nothing came before the deadline */
	VG_STREAM_AUTH,		/* 401: wrong or missing user/password */
	VG_STREAM_NOT_FOUND,	/* 404: no such stream path or file */
	VG_STREAM_NO_VIDEO,	/* the stream has no video track */
	VG_STREAM_CODEC,	/* a video codec vigia cannot use */
	VG_STREAM_PROTOCOL,	/* anything else the server or data broke */
	VG_STREAM_CANCELLED,	/* opts->cancel was set */
	VG_STREAM_IO,		/* a local file could not be written */
};

/* Translated one-line explanation with advice; never NULL. */
const char *vg_stream_class_text(enum vg_stream_class cls);
/* Stable English keyword for JSON ("auth", "timeout", ...). */
const char *vg_stream_class_name(enum vg_stream_class cls);

/* ---- probe --------------------------------------------------------------- */

/* What the camera was told to send, to compare with what it sends.  A
 * field that is 0 (codec, profile: -1) is not compared. */
struct vg_stream_expect {
	int codec;		/* enum vg_codec, or -1 */
	int profile;		/* enum vg_profile, or -1 (H.264 only) */
	int width, height;
	int fps;
	int bitrate_kbps;	/* compared within +-30 % */
	int gop;		/* frames between keyframes, +-1 */
};

/* Every field of a configured encoder (src/config.h). */
void vg_stream_expect_from_encoder(struct vg_stream_expect *exp,
    const struct vg_camera_encoder *enc);
/* Parse "codec=h264,size=1920x1080,fps=15,bitrate=4000,gop=30,
 * profile=high" (any subset, any order).  Returns 0 or VG_ERR_USAGE with
 * *cause. */
int vg_stream_expect_parse(struct vg_stream_expect *exp, const char *spec,
    char **cause);

/* The measured values that differ from the expected ones. */
enum vg_stream_field {
	VG_FIELD_CODEC,
	VG_FIELD_PROFILE,
	VG_FIELD_RESOLUTION,
	VG_FIELD_FPS,
	VG_FIELD_BITRATE,
	VG_FIELD_GOP,
};
#define VG_FIELD_COUNT 6

struct vg_stream_mismatch {
	enum vg_stream_field field;
	char expected[32];	/* "1920x1080", "15", "4000 kbit/s" */
	char measured[32];
};

/* Can Label Studio's player (a browser <video>) play it? */
enum vg_browser {
	VG_BROWSER_YES,		/* H.264 */
	VG_BROWSER_WARN,	/* H.265: only some browsers */
	VG_BROWSER_NO,		/* MJPEG and the rest: must be transcoded */
};

/* What a probe saw over its window.  Times are microseconds from the
 * start of the call, -1 when the event never happened. */
struct vg_stream_probe {
	enum vg_stream_class cls; /* VG_STREAM_OK unless the call failed */
	bool udp;		/* transport used: RTP over UDP, else TCP */
	bool live;		/* a network stream (not a file) */
	char codec[16];		/* "h264", "hevc", "mjpeg" */
	char profile[32];	/* "High", "Main", ... or "" */
	int level;		/* H.264: 40 = 4.0; H.265: 120 = 4.0 */
	int width, height;
	double fps_nominal;	/* what the stream headers say, 0: nothing */
	double fps;		/* measured: frames per second of stream time */
	int64_t bitrate_bps;	/* measured video bit rate */
	int gop;		/* most common keyframe spacing, 0: unknown */
	int gop_min, gop_max;
	char audio_codec[16];	/* "" when there is no audio */
	bool audio_mp4_ok;	/* false for G.711/PCM: cannot go into MP4 */
	int64_t open_us;	/* stream described and set up */
	int64_t first_packet_us;
	int64_t first_keyframe_us;
	int64_t first_picture_us; /* first decoded picture */
	double window_s;	/* stream time measured */
	int64_t frames, keyframes, bytes;
	enum vg_browser browser;
	struct vg_stream_mismatch mismatch[VG_FIELD_COUNT];
	size_t nmismatch;
};

/* Open url (rtsp://, http(s):// or a file), read `seconds` of stream time
 * (wall time is bounded by seconds plus the timeout), decode the first
 * keyframe, and fill *out.  With expect, also fill out->mismatch.
 * Returns 0, or a vg_err with out->cls and *cause set; *out is filled as
 * far as the probe got either way. */
int vg_stream_probe(const char *url, const struct vg_stream_opts *opts,
    double seconds, const struct vg_stream_expect *expect,
    struct vg_stream_probe *out, char **cause);
/* JSON text of a probe (the `--json` output; caller frees).  err is what
 * vg_stream_probe() returned; the URL is redacted. */
char *vg_stream_probe_json(const char *url, const struct vg_stream_probe *p,
    int err);
/* Translated name of a field ("frame rate"). */
const char *vg_stream_field_text(enum vg_stream_field f);

/* ---- snapshot ------------------------------------------------------------ */

enum vg_image_format {
	VG_IMAGE_PNG,
	VG_IMAGE_JPEG,
};

struct vg_snapshot_info {
	enum vg_stream_class cls;
	bool from_http;		/* a snapshot URI answered (else a keyframe) */
	int width, height;
	int64_t elapsed_us;
};

/* Write one picture of url to path (atomically, mode 0644).  An http(s)://
 * url is a camera snapshot URI (digest or basic auth via libcurl; a JPEG
 * body is kept as is when JPEG is asked); anything else is a stream whose
 * first decoded keyframe is encoded as PNG or JPEG. */
int vg_stream_snapshot(const char *url, const struct vg_stream_opts *opts,
    const char *path, enum vg_image_format fmt,
    struct vg_snapshot_info *info, char **cause);

/* ---- terminal pictures --------------------------------------------------- */

/* How a picture is drawn with text cells. */
enum vg_picture_mode {
	VG_PICTURE_TRUECOLOR,	/* U+2580 with 24-bit fg (top) / bg (bottom) */
	VG_PICTURE_256,		/* U+2580 with xterm-256 palette indexes */
	VG_PICTURE_MONO,	/* one character of a brightness ramp */
};

/* One cell.  Half-block modes: ch is U+2580, fg is the upper pixel and bg
 * the lower one (rgb, and the palette index in 256-colour mode).  Mono:
 * ch from " .:-=+*#%@", colours unused (0). */
struct vg_cell {
	uint32_t ch;
	uint8_t fg[3], bg[3];
	uint8_t fg_index, bg_index;
};

/* A grid of cells, row-major; cells owned by the picture. */
struct vg_picture {
	int width, height;
	enum vg_picture_mode mode;
	struct vg_cell *cells;
};

/* Width/height of a terminal cell: most fonts draw cells twice as tall
 * as they are wide. */
#define VG_CELL_ASPECT 0.5

/* Fit an RGB24 image (w x h, stride bytes a row, pixel aspect par: 1.0
 * for square pixels) into at most cols x rows cells keeping its shape,
 * with an area filter in linear light.  The picture may be smaller than
 * cols x rows on one axis (the caller centres it).  Returns 0 or
 * VG_ERR_USAGE with *cause; free with vg_picture_clear(). */
int vg_picture_from_rgb(const uint8_t *rgb, int w, int h, size_t stride,
    double par, int cols, int rows, double cell_aspect,
    enum vg_picture_mode mode, struct vg_picture *out, char **cause);
/* Free the cells; the struct can be reused. Accepts NULL. */
void vg_picture_clear(struct vg_picture *pic);
/* Nearest xterm-256 colour (16..255) to an sRGB colour. */
uint8_t vg_picture_xterm256(const uint8_t rgb[3]);
/* The sRGB value of an xterm-256 palette entry (16..255). */
void vg_picture_xterm256_rgb(uint8_t index, uint8_t rgb[3]);

/* ---- live preview --------------------------------------------------------- */

/* A decoding worker: opens the stream, decodes only what it must, and
 * posts pictures of the requested size (about ten a second).  Owned by
 * one thread (the UI's); the worker is internal. */
struct vg_preview;

enum vg_preview_state {
	VG_PREVIEW_CONNECTING,
	VG_PREVIEW_PLAYING,
	VG_PREVIEW_ENDED,	/* a file reached its end */
	VG_PREVIEW_FAILED,	/* see cls and error */
};

/* What the overlay shows; copied out by vg_preview_take(). */
struct vg_preview_stats {
	enum vg_preview_state state;
	enum vg_stream_class cls;	/* when FAILED */
	char codec[16];
	int width, height;
	double fps;		/* frames received a second, last second */
	int64_t bitrate_bps;	/* last second */
	double shown_fps;	/* pictures made a second, last second */
	int64_t first_picture_us; /* from vg_preview_start(), -1: none yet */
	int64_t pictures;	/* pictures made so far */
	int skip;		/* 0 all frames, 1 no non-reference, 2 keys */
};

/* Start a preview of url; returns at once (the worker connects).  Frees
 * with vg_preview_stop(). */
int vg_preview_start(const char *url, const struct vg_stream_opts *opts,
    struct vg_preview **out, char **cause);
/* A descriptor that becomes readable when a picture or state is new
 * (poll it beside stdin); vg_preview_take() drains it. */
int vg_preview_fd(const struct vg_preview *pv);
/* The size and mode of the pictures wanted from now on. */
void vg_preview_set_size(struct vg_preview *pv, int cols, int rows,
    enum vg_picture_mode mode);
/* Copy the stats, and move the newest picture (if one came since the last
 * call) into *pic (cleared first; returns true then). */
bool vg_preview_take(struct vg_preview *pv, struct vg_picture *pic,
    struct vg_preview_stats *st);
/* English detail of a failure (valid until vg_preview_stop), or NULL. */
const char *vg_preview_error(struct vg_preview *pv);
/* Stop the worker (at its next wait), join it and free.  Accepts NULL. */
void vg_preview_stop(struct vg_preview *pv);

#endif /* VIGIA_STREAM_H */
