/* stream-int.h - what the stream-*.c files share (FFmpeg types allowed).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal to libvigia (and its unit tests): never included by ui/ or
 * from libvigia.h.
 */
#ifndef VIGIA_STREAM_INT_H
#define VIGIA_STREAM_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>

#include "libvigia.h"

/* An open input with its deadline.  The interrupt callback ends any
 * FFmpeg wait when the deadline passes, opts->cancel or *stop is set. */
struct stream_in {
	AVFormatContext *fmt;
	int vidx;		/* the video stream, -1 before stream_find() */
	int aidx;		/* the first audio stream, or -1 */
	bool live;		/* a network protocol (not a file) */
	bool udp;
	int64_t timeout_us;
	int64_t deadline_us;	/* monotonic; 0: none */
	const volatile int *cancel;
	const volatile int *stop;	/* the preview's own flag, or NULL */
	bool interrupted;	/* the callback fired */
};

/* Monotonic clock in microseconds. */
int64_t stream_now_us(void);
/* Open url with the options (TCP interleaved by default, RTSP `timeout`,
 * the interrupt callback), log options FFmpeg did not use, and read the
 * stream parameters.  On failure *cls and *cause say why. */
int stream_open(struct stream_in *in, const char *url,
    const struct vg_stream_opts *opts, const volatile int *stop,
    enum vg_stream_class *cls, char **cause);
/* Pick the video stream (and audio, if any) and check that vigia can use
 * the codec: H.264, H.265 or MJPEG with a decoder. */
int stream_find(struct stream_in *in, enum vg_stream_class *cls,
    char **cause);
/* Read one packet with a fresh deadline.  Returns 0, AVERROR_EOF at the
 * end of a file, or a vg_err with *cls and *cause. */
int stream_read(struct stream_in *in, AVPacket *pkt,
    enum vg_stream_class *cls, char **cause);
/* Open a single-threaded decoder for the video stream. */
int stream_decoder_open(struct stream_in *in, AVCodecContext **out,
    enum vg_stream_class *cls, char **cause);
/* Turn an FFmpeg error into a vg_err, a class and an English cause. */
int stream_classify(struct stream_in *in, int averr, const char *what,
    enum vg_stream_class *cls, char **cause);
/* Close; accepts a never-opened (zeroed) struct. */
void stream_close(struct stream_in *in);

/* Reusable buffers for frame -> picture conversion. */
struct stream_scaler {
	struct SwsContext *to24;	/* source frame -> RGB24, same size */
	uint8_t *rgb;			/* the frame as RGB24 */
	size_t rgb_size;
	float *row;			/* horizontal pass: h x pw x 3 */
	size_t row_size;
};

/* Convert a decoded frame into a picture of at most cols x rows cells
 * (see vg_picture_from_rgb()). */
int stream_picture_from_frame(struct stream_scaler *sc, const AVFrame *f,
    int cols, int rows, double cell_aspect, enum vg_picture_mode mode,
    struct vg_picture *out, char **cause);
/* Free the scaler's contexts and buffers (the struct can be reused). */
void stream_scaler_clear(struct stream_scaler *sc);

/* Encode one frame as PNG or JPEG into a malloc'd buffer. */
int stream_encode_image(const AVFrame *f, enum vg_image_format fmt,
    uint8_t **buf, size_t *len, char **cause);

#endif /* VIGIA_STREAM_INT_H */
