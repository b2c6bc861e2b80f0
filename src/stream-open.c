/* stream-open.c - open a stream with a deadline, classify its failures.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every blocking FFmpeg call made through here has a deadline: the
 * interrupt callback compares the monotonic clock with in->deadline_us
 * (renewed before each call), and RTSP sockets also get FFmpeg 5's
 * `timeout` option.  RTSP runs over TCP (interleaved) unless UDP is asked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libavutil/dict.h>
#include <libavutil/error.h>

#include "i18n.h"
#include "stream-int.h"
#include "libvigia.h"

/* Indexed by enum vg_stream_class. */
static const char *const stream_class_text[] = {
	N_("The stream works."),
	/* TRANSLATORS: shown when an RTSP or HTTP connection failed */
	N_("Cannot reach the camera: the connection was refused or there is "
	    "no route to it. Check the address, the port and the cable."),
	N_("The camera did not answer in time. Check the network, or try "
	    "again with a longer timeout."),
	N_("The camera refused the user name or password (401)."),
	N_("The camera has no stream at that path (404). Check the URL or "
	    "the media profile."),
	N_("The stream has no video track."),
	N_("The video codec is not one vigia can use (H.264, H.265 or "
	    "MJPEG)."),
	N_("The camera or the stream broke the protocol; see the log for "
	    "details."),
	N_("Cancelled."),
	N_("The picture could not be written."),
};
static const char *const stream_class_names[] = {
	"ok", "unreachable", "timeout", "auth", "not_found", "no_video",
	"codec", "protocol", "cancelled", "io",
};

/* Translated explanation of a class. */
const char *
vg_stream_class_text(enum vg_stream_class cls)
{
	if ((unsigned)cls >= sizeof stream_class_text / sizeof
	    stream_class_text[0])
		cls = VG_STREAM_PROTOCOL;
	return _(stream_class_text[cls]);
}

/* JSON keyword of a class. */
const char *
vg_stream_class_name(enum vg_stream_class cls)
{
	if ((unsigned)cls >= sizeof stream_class_names / sizeof
	    stream_class_names[0])
		return "protocol";
	return stream_class_names[cls];
}

/* Monotonic clock in microseconds. */
int64_t
stream_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* FFmpeg's interrupt callback: non-zero ends the current wait. */
static int
stream_interrupt(void *opaque)
{
	struct stream_in *in = opaque;

	if ((in->cancel != NULL && *in->cancel) ||
	    (in->stop != NULL && *in->stop) ||
	    (in->deadline_us != 0 && stream_now_us() > in->deadline_us)) {
		in->interrupted = true;
		return 1;
	}
	return 0;
}

/* Percent-encode the characters that cannot appear in URL user-info. */
static void
stream_pct(char **dst, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *p = *dst;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c) != NULL)
			*p++ = (char)c;
		else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*dst = p;
}

/* url with user:password put in its authority (replacing any there);
 * caller frees (and wipes: it holds the password). */
static char *
stream_url_creds(const char *url, const char *user, const char *pass)
{
	const char *sep = strstr(url, "://"), *host, *at, *slash;
	char *out, *p;
	size_t n;

	if (sep == NULL || user == NULL)
		return xstrdup(url);
	host = sep + 3;
	slash = host + strcspn(host, "/?#");
	at = memchr(host, '@', (size_t)(slash - host));
	if (at != NULL)
		host = at + 1;
	n = strlen(url) + 3 * strlen(user) +
	    3 * (pass != NULL ? strlen(pass) : 0) + 3;
	out = p = xmalloc(n);
	memcpy(p, url, (size_t)(sep + 3 - url));
	p += sep + 3 - url;
	stream_pct(&p, user);
	if (pass != NULL) {
		*p++ = ':';
		stream_pct(&p, pass);
	}
	*p++ = '@';
	strcpy(p, host);
	return out;
}

/* Classify an FFmpeg error; returns the vg_err. */
int
stream_classify(struct stream_in *in, int averr, const char *what,
    enum vg_stream_class *cls, char **cause)
{
	char msg[AV_ERROR_MAX_STRING_SIZE];
	enum vg_stream_class c;
	int err;

	av_strerror(averr, msg, sizeof msg);
	if (in != NULL && in->interrupted) {
		if ((in->cancel != NULL && *in->cancel) ||
		    (in->stop != NULL && *in->stop)) {
			c = VG_STREAM_CANCELLED;
			err = VG_ERR_CANCELLED;
			snprintf(msg, sizeof msg, "cancelled");
		} else {
			c = VG_STREAM_TIMEOUT;
			err = VG_ERR_TIMEOUT;
			snprintf(msg, sizeof msg, "no answer within %lld ms",
			    (long long)(in->timeout_us / 1000));
		}
	} else {
		switch (averr) {
		case AVERROR_HTTP_UNAUTHORIZED:
		case AVERROR_HTTP_FORBIDDEN:
			c = VG_STREAM_AUTH;
			err = VG_ERR_AUTH;
			break;
		case AVERROR_HTTP_NOT_FOUND:
		case AVERROR(ENOENT):
			c = VG_STREAM_NOT_FOUND;
			err = VG_ERR_NOTFOUND;
			break;
		case AVERROR(ETIMEDOUT):
		case AVERROR_EXIT:
			c = VG_STREAM_TIMEOUT;
			err = VG_ERR_TIMEOUT;
			break;
		case AVERROR(ECONNREFUSED):
		case AVERROR(EHOSTUNREACH):
		case AVERROR(ENETUNREACH):
		case AVERROR(ECONNRESET):
		case AVERROR(EPIPE):
			c = VG_STREAM_UNREACHABLE;
			err = VG_ERR_NET;
			break;
		case AVERROR_DECODER_NOT_FOUND:
			c = VG_STREAM_CODEC;
			err = VG_ERR_UNSUPPORTED;
			break;
		case AVERROR_STREAM_NOT_FOUND:
			c = VG_STREAM_NO_VIDEO;
			err = VG_ERR_UNSUPPORTED;
			break;
		default:
			c = VG_STREAM_PROTOCOL;
			err = VG_ERR_PROTO;
			break;
		}
	}
	if (cls != NULL)
		*cls = c;
	if (cause != NULL)
		xasprintf(cause, "%s: %s", what, msg);
	return err;
}

/* True for URLs read over a network. */
static bool
stream_is_net(const char *url, const char *scheme)
{
	size_t n = strlen(scheme);

	return strncasecmp(url, scheme, n) == 0 && url[n] == ':';
}

/* Open the input and read its parameters. */
int
stream_open(struct stream_in *in, const char *url,
    const struct vg_stream_opts *opts, const volatile int *stop,
    enum vg_stream_class *cls, char **cause)
{
	static const struct vg_stream_opts defaults = { 0 };
	const AVDictionaryEntry *e = NULL;
	AVDictionary *dict = NULL;
	char *full = NULL, us[32];
	bool rtsp;
	int err, ret;

	if (opts == NULL)
		opts = &defaults;
	memset(in, 0, sizeof *in);
	in->vidx = in->aidx = -1;
	in->timeout_us = (int64_t)(opts->timeout_ms > 0 ? opts->timeout_ms :
	    5000) * 1000;
	in->cancel = opts->cancel;
	in->stop = stop;
	rtsp = stream_is_net(url, "rtsp") || stream_is_net(url, "rtsps");
	in->live = rtsp || stream_is_net(url, "http") ||
	    stream_is_net(url, "https") || stream_is_net(url, "rtmp") ||
	    stream_is_net(url, "udp") || stream_is_net(url, "tcp");
	in->udp = rtsp && opts->udp;

	snprintf(us, sizeof us, "%lld", (long long)in->timeout_us);
	if (rtsp) {
		av_dict_set(&dict, "rtsp_transport", opts->udp ? "udp" : "tcp",
		    0);
		av_dict_set(&dict, "timeout", us, 0);
	} else if (in->live)
		av_dict_set(&dict, "rw_timeout", us, 0);
	/* do not wait five seconds of stream to learn the codec */
	av_dict_set(&dict, "analyzeduration", "2000000", 0);

	if (opts->password != NULL)
		vg_log_add_secret(opts->password);
	full = stream_url_creds(url, opts->user, opts->password);

	in->fmt = avformat_alloc_context();
	if (in->fmt == NULL)
		fatalx("avformat_alloc_context");
	in->fmt->interrupt_callback.callback = stream_interrupt;
	in->fmt->interrupt_callback.opaque = in;
	in->deadline_us = stream_now_us() + in->timeout_us;
	ret = avformat_open_input(&in->fmt, full, NULL, &dict);
	/* after a success, whatever is left was not understood */
	while (ret >= 0 &&
	    (e = av_dict_get(dict, "", e, AV_DICT_IGNORE_SUFFIX)) != NULL)
		log_warn("stream: option %s=%s was not used by FFmpeg",
		    e->key, e->value);
	if (ret < 0) {
		in->fmt = NULL;	/* freed by avformat_open_input() */
		err = stream_classify(in, ret, "open", cls, cause);
		goto out;
	}
	in->deadline_us = stream_now_us() + in->timeout_us + 2000000;
	ret = avformat_find_stream_info(in->fmt, NULL);
	if (ret < 0) {
		err = stream_classify(in, ret, "reading the stream parameters",
		    cls, cause);
		goto out;
	}
	in->deadline_us = 0;
	err = VG_OK;
out:
	av_dict_free(&dict);
	vg_secret_free(full);
	return err;
}

/* Find the video (and audio) stream and check the codec. */
int
stream_find(struct stream_in *in, enum vg_stream_class *cls, char **cause)
{
	const AVCodecParameters *par;
	int ret;

	ret = av_find_best_stream(in->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL,
	    0);
	if (ret < 0) {
		*cls = VG_STREAM_NO_VIDEO;
		if (cause != NULL)
			*cause = xstrdup("the stream has no video track");
		return VG_ERR_UNSUPPORTED;
	}
	in->vidx = ret;
	ret = av_find_best_stream(in->fmt, AVMEDIA_TYPE_AUDIO, -1, in->vidx,
	    NULL, 0);
	in->aidx = ret >= 0 ? ret : -1;
	par = in->fmt->streams[in->vidx]->codecpar;
	switch (par->codec_id) {
	case AV_CODEC_ID_H264:
	case AV_CODEC_ID_HEVC:
	case AV_CODEC_ID_MJPEG:
		break;
	default:
		*cls = VG_STREAM_CODEC;
		if (cause != NULL)
			xasprintf(cause, "unsupported video codec %s",
			    avcodec_get_name(par->codec_id));
		return VG_ERR_UNSUPPORTED;
	}
	if (avcodec_find_decoder(par->codec_id) == NULL) {
		*cls = VG_STREAM_CODEC;
		if (cause != NULL)
			xasprintf(cause, "this FFmpeg has no %s decoder",
			    avcodec_get_name(par->codec_id));
		return VG_ERR_UNSUPPORTED;
	}
	for (unsigned i = 0; i < in->fmt->nb_streams; i++)
		if ((int)i != in->vidx && (int)i != in->aidx)
			in->fmt->streams[i]->discard = AVDISCARD_ALL;
	return VG_OK;
}

/* Read one packet within the deadline. */
int
stream_read(struct stream_in *in, AVPacket *pkt, enum vg_stream_class *cls,
    char **cause)
{
	int ret;

	in->deadline_us = stream_now_us() + in->timeout_us;
	ret = av_read_frame(in->fmt, pkt);
	in->deadline_us = 0;
	if (ret == AVERROR_EOF && !in->interrupted)
		return AVERROR_EOF;
	if (ret < 0)
		return stream_classify(in, ret, "reading", cls, cause);
	return 0;
}

/* Open a decoder for the video stream (one thread: at most one core). */
int
stream_decoder_open(struct stream_in *in, AVCodecContext **out,
    enum vg_stream_class *cls, char **cause)
{
	const AVCodecParameters *par = in->fmt->streams[in->vidx]->codecpar;
	const AVCodec *codec = avcodec_find_decoder(par->codec_id);
	AVCodecContext *ctx;
	int ret;

	*out = NULL;
	if (codec == NULL)
		return stream_classify(in, AVERROR_DECODER_NOT_FOUND,
		    "decoder", cls, cause);
	ctx = avcodec_alloc_context3(codec);
	if (ctx == NULL)
		fatalx("avcodec_alloc_context3");
	ret = avcodec_parameters_to_context(ctx, par);
	if (ret >= 0) {
		ctx->thread_count = 1;
		ctx->pkt_timebase = in->fmt->streams[in->vidx]->time_base;
		ret = avcodec_open2(ctx, codec, NULL);
	}
	if (ret < 0) {
		avcodec_free_context(&ctx);
		return stream_classify(in, ret, "opening the decoder", cls,
		    cause);
	}
	*out = ctx;
	return VG_OK;
}

/* Close the input. */
void
stream_close(struct stream_in *in)
{
	if (in->fmt != NULL)
		avformat_close_input(&in->fmt);
	in->fmt = NULL;
}
