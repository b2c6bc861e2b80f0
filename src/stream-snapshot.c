/* stream-snapshot.c - one picture of a camera, as PNG or JPEG.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two sources: the camera's snapshot URI (HTTP with digest or basic
 * authentication, through libcurl, with connect and low-speed limits),
 * or else the first keyframe of its stream, decoded with FFmpeg.  Either
 * way the image is checked by decoding it, encoded with FFmpeg's PNG or
 * MJPEG encoder when its format is not the one asked, and written
 * atomically (temporary file, fsync, rename).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>
#include <libavutil/imgutils.h>

#include "stream-int.h"
#include "libvigia.h"

#define SNAP_MAX_BYTES (32 << 20)

/* ---- encoding ---------------------------------------------------------- */

/* Encode frame f as one PNG or JPEG image. */
int
stream_encode_image(const AVFrame *f, enum vg_image_format fmt,
    uint8_t **buf, size_t *len, char **cause)
{
	enum AVPixelFormat pix = fmt == VG_IMAGE_PNG ? AV_PIX_FMT_RGB24 :
	    AV_PIX_FMT_YUVJ420P;
	const AVCodec *codec = avcodec_find_encoder(fmt == VG_IMAGE_PNG ?
	    AV_CODEC_ID_PNG : AV_CODEC_ID_MJPEG);
	AVCodecContext *enc = NULL;
	struct SwsContext *sws = NULL;
	AVFrame *conv = NULL;
	AVPacket *pkt = NULL;
	int err = VG_ERR_INTERNAL, ret;

	*buf = NULL;
	*len = 0;
	if (codec == NULL) {
		xasprintf(cause, "this FFmpeg has no %s encoder",
		    fmt == VG_IMAGE_PNG ? "PNG" : "MJPEG");
		return VG_ERR_UNSUPPORTED;
	}
	enc = avcodec_alloc_context3(codec);
	conv = av_frame_alloc();
	pkt = av_packet_alloc();
	if (enc == NULL || conv == NULL || pkt == NULL)
		fatalx("stream_encode_image: out of memory");
	enc->width = f->width;
	enc->height = f->height;
	enc->pix_fmt = pix;
	enc->time_base = (AVRational){ 1, 25 };
	enc->color_range = AVCOL_RANGE_JPEG;
	if (fmt == VG_IMAGE_JPEG) {
		enc->flags |= AV_CODEC_FLAG_QSCALE;
		enc->global_quality = FF_QP2LAMBDA * 3;
	}
	ret = avcodec_open2(enc, codec, NULL);
	if (ret < 0)
		goto fail;
	conv->format = pix;
	conv->width = f->width;
	conv->height = f->height;
	ret = av_frame_get_buffer(conv, 0);
	if (ret < 0)
		goto fail;
	sws = sws_getContext(f->width, f->height, f->format, f->width,
	    f->height, pix, SWS_BICUBIC | SWS_FULL_CHR_H_INT |
	    SWS_ACCURATE_RND, NULL, NULL, NULL);
	if (sws == NULL) {
		ret = AVERROR(ENOSYS);
		goto fail;
	}
	sws_scale(sws, (const uint8_t *const *)f->data, f->linesize, 0,
	    f->height, conv->data, conv->linesize);
	conv->quality = enc->global_quality;
	ret = avcodec_send_frame(enc, conv);
	if (ret >= 0)
		ret = avcodec_send_frame(enc, NULL);
	if (ret >= 0)
		ret = avcodec_receive_packet(enc, pkt);
	if (ret < 0)
		goto fail;
	*buf = xmalloc((size_t)pkt->size);
	memcpy(*buf, pkt->data, (size_t)pkt->size);
	*len = (size_t)pkt->size;
	err = VG_OK;
	goto out;
fail:
	{
		char msg[AV_ERROR_MAX_STRING_SIZE];

		av_strerror(ret, msg, sizeof msg);
		xasprintf(cause, "encoding the picture: %s", msg);
	}
out:
	sws_freeContext(sws);
	av_packet_free(&pkt);
	av_frame_free(&conv);
	avcodec_free_context(&enc);
	return err;
}

/* Write buf to path through a temporary file, fsync and rename. */
static int
snap_write(const char *path, const uint8_t *buf, size_t len, char **cause)
{
	char *tmp;
	size_t off = 0;
	ssize_t n;
	int fd, err = VG_ERR_IO;

	xasprintf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		xasprintf(cause, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	while (off < len) {
		n = write(fd, buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			xasprintf(cause, "%s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			goto out;
		}
		off += (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		xasprintf(cause, "%s: %s", tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, path) != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	err = VG_OK;
out:
	free(tmp);
	return err;
}

/* ---- from the snapshot URI ---------------------------------------------- */

struct snap_body {
	uint8_t *data;
	size_t len;
	bool too_big;
};

/* curl write callback: collect the body (bounded). */
static size_t
snap_collect(char *ptr, size_t size, size_t nmemb, void *opaque)
{
	struct snap_body *b = opaque;
	size_t n = size * nmemb;

	if (b->len + n > SNAP_MAX_BYTES) {
		b->too_big = true;
		return 0;
	}
	b->data = xrealloc(b->data, b->len + n);
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	return n;
}

/* curl progress callback: stop when the caller cancels. */
static int
snap_progress(void *opaque, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	const volatile int *cancel = opaque;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return cancel != NULL && *cancel;
}

/* GET the snapshot URI into *body. */
static int
snap_http(const char *url, const struct vg_stream_opts *opts,
    struct snap_body *body, enum vg_stream_class *cls, char **cause)
{
	long timeout = opts->timeout_ms > 0 ? opts->timeout_ms : 5000, code = 0;
	CURL *c = curl_easy_init();
	CURLcode rc;
	int err;

	if (c == NULL)
		fatalx("curl_easy_init");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST |
	    CURLAUTH_BASIC);
	if (opts->user != NULL) {
		curl_easy_setopt(c, CURLOPT_USERNAME, opts->user);
		if (opts->password != NULL) {
			vg_log_add_secret(opts->password);
			curl_easy_setopt(c, CURLOPT_PASSWORD, opts->password);
		}
	}
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 4 * timeout);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (timeout + 999) / 1000);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, snap_collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, snap_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)opts->cancel);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	switch (rc) {
	case CURLE_OK:
		break;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
		*cls = VG_STREAM_UNREACHABLE;
		err = VG_ERR_NET;
		goto fail;
	case CURLE_OPERATION_TIMEDOUT:
		*cls = VG_STREAM_TIMEOUT;
		err = VG_ERR_TIMEOUT;
		goto fail;
	case CURLE_ABORTED_BY_CALLBACK:
		*cls = VG_STREAM_CANCELLED;
		err = VG_ERR_CANCELLED;
		goto fail;
	default:
		*cls = VG_STREAM_PROTOCOL;
		err = VG_ERR_PROTO;
		goto fail;
	}
	if (code == 401 || code == 403) {
		*cls = VG_STREAM_AUTH;
		err = VG_ERR_AUTH;
	} else if (code == 404) {
		*cls = VG_STREAM_NOT_FOUND;
		err = VG_ERR_NOTFOUND;
	} else if (code < 200 || code > 299) {
		*cls = VG_STREAM_PROTOCOL;
		err = VG_ERR_PROTO;
	} else
		err = VG_OK;
	if (err != VG_OK)
		xasprintf(cause, "snapshot URI answered HTTP %ld", code);
	goto out;
fail:
	xasprintf(cause, "snapshot URI: %s%s", curl_easy_strerror(rc),
	    body->too_big ? " (more than 32 MiB)" : "");
out:
	curl_easy_cleanup(c);
	return err;
}

/* Decode a JPEG or PNG body into frame. */
static int
snap_decode_image(const struct snap_body *b, AVFrame *frame,
    enum vg_image_format *fmt, char **cause)
{
	static const uint8_t png_magic[] = { 0x89, 'P', 'N', 'G' };
	const AVCodec *codec;
	AVCodecContext *dec = NULL;
	AVPacket *pkt = NULL;
	int ret, err = VG_ERR_PROTO;

	if (b->len > 4 && memcmp(b->data, png_magic, 4) == 0)
		*fmt = VG_IMAGE_PNG;
	else if (b->len > 2 && b->data[0] == 0xff && b->data[1] == 0xd8)
		*fmt = VG_IMAGE_JPEG;
	else {
		xasprintf(cause, "the snapshot URI sent %zu bytes that are "
		    "neither JPEG nor PNG", b->len);
		return VG_ERR_PROTO;
	}
	codec = avcodec_find_decoder(*fmt == VG_IMAGE_PNG ? AV_CODEC_ID_PNG :
	    AV_CODEC_ID_MJPEG);
	dec = codec != NULL ? avcodec_alloc_context3(codec) : NULL;
	pkt = av_packet_alloc();
	if (dec == NULL || pkt == NULL)
		fatalx("snap_decode_image: out of memory");
	dec->thread_count = 1;
	ret = avcodec_open2(dec, codec, NULL);
	if (ret >= 0) {
		ret = av_new_packet(pkt, (int)b->len);
		if (ret >= 0) {
			memcpy(pkt->data, b->data, b->len);
			ret = avcodec_send_packet(dec, pkt);
		}
		if (ret >= 0)
			ret = avcodec_send_packet(dec, NULL);
		if (ret >= 0)
			ret = avcodec_receive_frame(dec, frame);
	}
	if (ret < 0) {
		char msg[AV_ERROR_MAX_STRING_SIZE];

		av_strerror(ret, msg, sizeof msg);
		xasprintf(cause, "the snapshot does not decode: %s", msg);
	} else
		err = VG_OK;
	av_packet_free(&pkt);
	avcodec_free_context(&dec);
	return err;
}

/* ---- from the stream ----------------------------------------------------- */

/* Decode the first keyframe of a stream into frame. */
static int
snap_stream(const char *url, const struct vg_stream_opts *opts,
    AVFrame *frame, enum vg_stream_class *cls, char **cause)
{
	struct stream_in in = { 0 };
	AVCodecContext *dec = NULL;
	AVPacket *pkt = NULL;
	bool keyed = false;
	int64_t end;
	int err, ret;

	err = stream_open(&in, url, opts, NULL, cls, cause);
	if (err == VG_OK)
		err = stream_find(&in, cls, cause);
	if (err == VG_OK)
		err = stream_decoder_open(&in, &dec, cls, cause);
	if (err != VG_OK)
		goto out;
	pkt = av_packet_alloc();
	if (pkt == NULL)
		fatalx("av_packet_alloc");
	/* long GOPs: allow up to 20 s of stream beyond the network timeout */
	end = stream_now_us() + in.timeout_us + 20000000;
	for (;;) {
		ret = stream_read(&in, pkt, cls, cause);
		if (ret == AVERROR_EOF) {
			ret = avcodec_send_packet(dec, NULL);
			if (ret >= 0 && avcodec_receive_frame(dec, frame) == 0)
				break;
			*cls = VG_STREAM_PROTOCOL;
			xasprintf(cause, "the stream ended before a picture "
			    "could be decoded");
			err = VG_ERR_PROTO;
			goto out;
		}
		if (ret != 0) {
			err = ret;
			goto out;
		}
		if (pkt->stream_index == in.vidx &&
		    (keyed || (pkt->flags & AV_PKT_FLAG_KEY))) {
			keyed = true;
			ret = avcodec_send_packet(dec, pkt);
			if (ret >= 0 && avcodec_receive_frame(dec, frame) == 0) {
				av_packet_unref(pkt);
				break;
			}
		}
		av_packet_unref(pkt);
		if (stream_now_us() > end) {
			*cls = VG_STREAM_TIMEOUT;
			xasprintf(cause, "no picture decoded within %lld s",
			    (long long)((in.timeout_us + 20000000) / 1000000));
			err = VG_ERR_TIMEOUT;
			goto out;
		}
	}
	err = VG_OK;
out:
	av_packet_free(&pkt);
	avcodec_free_context(&dec);
	stream_close(&in);
	return err;
}

/* Write one picture of url to path. */
int
vg_stream_snapshot(const char *url, const struct vg_stream_opts *opts,
    const char *path, enum vg_image_format fmt,
    struct vg_snapshot_info *info, char **cause)
{
	static const struct vg_stream_opts defaults = { 0 };
	struct snap_body body = { 0 };
	struct vg_snapshot_info dummy;
	enum vg_image_format got;
	char *no_cause = NULL;
	AVFrame *frame = av_frame_alloc();
	uint8_t *buf = NULL;
	size_t len = 0;
	int64_t t0 = stream_now_us();
	int err;

	if (frame == NULL)
		fatalx("av_frame_alloc");
	if (opts == NULL)
		opts = &defaults;
	if (info == NULL)
		info = &dummy;
	if (cause == NULL)
		cause = &no_cause;
	memset(info, 0, sizeof *info);
	if (strncasecmp(url, "http://", 7) == 0 ||
	    strncasecmp(url, "https://", 8) == 0) {
		info->from_http = true;
		err = snap_http(url, opts, &body, &info->cls, cause);
		if (err == VG_OK)
			err = snap_decode_image(&body, frame, &got, cause);
		if (err != VG_OK) {
			if (info->cls == VG_STREAM_OK)
				info->cls = VG_STREAM_PROTOCOL;
			goto out;
		}
		if (got == fmt) {	/* keep the camera's own bytes */
			buf = body.data;
			len = body.len;
			body.data = NULL;
		}
	} else {
		err = snap_stream(url, opts, frame, &info->cls, cause);
		if (err != VG_OK)
			goto out;
	}
	info->width = frame->width;
	info->height = frame->height;
	if (buf == NULL) {
		err = stream_encode_image(frame, fmt, &buf, &len, cause);
		if (err != VG_OK) {
			info->cls = VG_STREAM_CODEC;
			goto out;
		}
	}
	err = snap_write(path, buf, len, cause);
	if (err != VG_OK)
		info->cls = VG_STREAM_IO;
out:
	info->elapsed_us = stream_now_us() - t0;
	free(buf);
	free(body.data);
	free(no_cause);
	av_frame_free(&frame);
	return err;
}
