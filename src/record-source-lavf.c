/* record-source-lavf.c - a camera's stream through libavformat's RTSP
 * demuxer (RTP interleaved over TCP): the reference packet source.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every wait has a deadline: the RTSP `timeout` option bounds each socket
 * wait, and the interrupt callback (stream-open.c) ends any call that
 * runs past timeout_ms without a packet, so a camera that goes silent
 * (ffmpeg would wait forever) is a VG_SOURCE_TIMEOUT after timeout_ms.
 *
 * The public vg_source_* functions dispatch on the reader's name:
 * "native" (record-rtsp.c, the default: bench/record.sh measures it at
 * about 0.3-0.4x this reader's CPU) or "lavf" (this file).
 */
#include <stdlib.h>
#include <string.h>

#include <libavformat/avformat.h>

#include "libvigia.h"
#include "record-source.h"
#include "stream-int.h"

struct vg_source {
	struct vg_rtsp *rtsp;	/* the native reader, or NULL */
	struct stream_in in;
	int nstreams;
	struct vg_source_stream *streams;
	int *map;		/* input stream index -> ours, or -1 */
};

/* An FFmpeg error class as a source failure. */
static enum vg_source_fail
lavf_why(enum vg_stream_class cls)
{
	switch (cls) {
	case VG_STREAM_OK:
		return VG_SOURCE_OK;
	case VG_STREAM_AUTH:
		return VG_SOURCE_AUTH;
	case VG_STREAM_NOT_FOUND:
		return VG_SOURCE_NOTFOUND;
	case VG_STREAM_UNREACHABLE:
		return VG_SOURCE_REFUSED;
	case VG_STREAM_TIMEOUT:
	case VG_STREAM_CANCELLED:
		return VG_SOURCE_TIMEOUT;
	case VG_STREAM_NO_VIDEO:
	case VG_STREAM_CODEC:
		return VG_SOURCE_UNSUPPORTED;
	default:
		return VG_SOURCE_PROTO;
	}
}

int
vg_source_open(const struct vg_source_opts *o, struct vg_source **out,
    enum vg_source_fail *why, char **cause)
{
	struct vg_stream_opts so = { 0 };
	enum vg_stream_class cls = VG_STREAM_OK;
	const char *reader = getenv("VIGIA_RTSP_READER");
	struct vg_source *s;
	unsigned i;
	int err;

	*out = NULL;
	*why = VG_SOURCE_OK;
	if (reader == NULL || *reader == '\0')
		reader = o->reader;
	if (reader == NULL || *reader == '\0')
		reader = "native";
	/* the native reader speaks RTSP only: files (tests) go to lavf */
	if (strcmp(reader, "native") == 0 && o->url != NULL &&
	    strncmp(o->url, "rtsp://", 7) != 0)
		reader = "lavf";
	if (strcmp(reader, "native") == 0) {
		s = xcalloc(1, sizeof *s);
		err = vg_rtsp_open(o, &s->rtsp, why, cause);
		if (err != VG_OK) {
			free(s);
			return err;
		}
		*out = s;
		return VG_OK;
	}
	if (strcmp(reader, "lavf") != 0) {
		*why = VG_SOURCE_UNSUPPORTED;
		if (cause != NULL)
			xasprintf(cause, "unknown RTSP reader \"%s\" (native "
			    "or lavf)", reader);
		return VG_ERR_UNSUPPORTED;
	}
	s = xcalloc(1, sizeof *s);
	so.timeout_ms = o->timeout_ms;
	so.user = o->user;
	so.password = o->password;
	err = stream_open(&s->in, o->url, &so, o->stop, &cls, cause);
	if (err != VG_OK)
		goto fail;
	s->map = xcalloc(s->in.fmt->nb_streams, sizeof *s->map);
	s->streams = xcalloc(s->in.fmt->nb_streams, sizeof *s->streams);
	for (i = 0; i < s->in.fmt->nb_streams; i++) {
		AVStream *st = s->in.fmt->streams[i];

		s->map[i] = -1;
		if (st->codecpar->codec_type != AVMEDIA_TYPE_VIDEO &&
		    st->codecpar->codec_type != AVMEDIA_TYPE_AUDIO) {
			st->discard = AVDISCARD_ALL;
			continue;
		}
		s->map[i] = s->nstreams;
		s->streams[s->nstreams].type = st->codecpar->codec_type;
		s->streams[s->nstreams].par = st->codecpar;
		s->streams[s->nstreams].time_base = st->time_base;
		s->nstreams++;
	}
	for (i = 0; i < (unsigned)s->nstreams; i++)
		if (s->streams[i].type == AVMEDIA_TYPE_VIDEO)
			break;
	if (i == (unsigned)s->nstreams) {
		cls = VG_STREAM_NO_VIDEO;
		err = VG_ERR_UNSUPPORTED;
		if (cause != NULL)
			xasprintf(cause, "the stream has no video track");
		goto fail;
	}
	*out = s;
	return VG_OK;
fail:
	*why = lavf_why(cls);
	vg_source_close(s);
	return err;
}

int
vg_source_nstreams(const struct vg_source *s)
{
	if (s->rtsp != NULL)
		return vg_rtsp_nstreams(s->rtsp);
	return s->nstreams;
}

const struct vg_source_stream *
vg_source_stream(const struct vg_source *s, int i)
{
	if (s->rtsp != NULL)
		return vg_rtsp_stream(s->rtsp, i);
	return i >= 0 && i < s->nstreams ? &s->streams[i] : NULL;
}

int
vg_source_read(struct vg_source *s, AVPacket *pkt, enum vg_source_fail *why,
    char **cause)
{
	enum vg_stream_class cls = VG_STREAM_OK;
	int err;

	*why = VG_SOURCE_OK;
	if (s->rtsp != NULL)
		return vg_rtsp_read(s->rtsp, pkt, why, cause);
	for (;;) {
		err = stream_read(&s->in, pkt, &cls, cause);
		if (err == AVERROR_EOF) {
			*why = VG_SOURCE_CLOSED;
			if (cause != NULL)
				xasprintf(cause, "the camera ended the stream");
			return VG_ERR_NET;
		}
		if (err != VG_OK) {
			*why = lavf_why(cls);
			return err;
		}
		if ((unsigned)pkt->stream_index < s->in.fmt->nb_streams &&
		    s->map[pkt->stream_index] >= 0) {
			pkt->stream_index = s->map[pkt->stream_index];
			return VG_OK;
		}
		av_packet_unref(pkt);
	}
}

int
vg_source_fd(const struct vg_source *s)
{
	return s->rtsp != NULL ? vg_rtsp_fd(s->rtsp) : -1;
}

int
vg_source_read_nowait(struct vg_source *s, AVPacket *pkt,
    enum vg_source_fail *why, char **cause)
{
	*why = VG_SOURCE_OK;
	if (s->rtsp != NULL)
		return vg_rtsp_read_nowait(s->rtsp, pkt, why, cause);
	return vg_source_read(s, pkt, why, cause);	/* blocks */
}

void
vg_source_clock(const struct vg_source *s, int i, struct vg_source_clock *clk)
{
	memset(clk, 0, sizeof *clk);
	if (s->rtsp != NULL) {
		vg_rtsp_clock(s->rtsp, i, clk);
		return;
	}
	/* libavformat keeps only the first sender report: the wall clock
	 * of pts 0 in every stream (rtsp.c, start_time_realtime) */
	if (s->in.fmt != NULL && s->in.fmt->start_time_realtime !=
	    AV_NOPTS_VALUE && s->in.fmt->start_time_realtime > 0) {
		clk->valid = true;
		clk->ntp_us = s->in.fmt->start_time_realtime;
		clk->pts = 0;
	}
}

void
vg_source_close(struct vg_source *s)
{
	if (s == NULL)
		return;
	if (s->rtsp != NULL) {
		vg_rtsp_close(s->rtsp);
		free(s);
		return;
	}
	if (s->in.fmt != NULL)
		s->in.deadline_us = stream_now_us() + 2000000;
	stream_close(&s->in);
	free(s->streams);
	free(s->map);
	free(s);
}
