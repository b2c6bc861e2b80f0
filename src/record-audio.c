/* record-audio.c - G.711 (PCMU/PCMA) to AAC, for cameras whose audio MP4
 * cannot hold as it is (recording.audio = "aac").
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Decode (libavcodec's pcm_mulaw/pcm_alaw: 16-bit samples), convert to
 * planar float by hand (no libswresample needed: same rate, same
 * channels), queue in an AVAudioFifo, and encode 1024-sample frames with
 * libavcodec's native AAC encoder at 32 kbit/s per channel.  At 8 kHz
 * mono that is well under 1 % of a core.  Output timestamps continue the
 * input's, in the input's time base; a jump in the input (a reconnect)
 * drops what is queued and starts again from there.
 */
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/audio_fifo.h>

#include "libvigia.h"
#include "record-int.h"

struct vg_atx {
	AVCodecContext *dec, *enc;
	AVCodecParameters *par;	/* the encoder's, for the muxer */
	AVRational in_tb;
	AVAudioFifo *fifo;
	AVFrame *in, *out;
	int64_t next;		/* next sample's time, 1/sample_rate; or NOPTS */
	AVPacket *pkt;
};

static void
atx_err(int ret, const char *what, char **cause)
{
	char msg[AV_ERROR_MAX_STRING_SIZE];

	av_strerror(ret, msg, sizeof msg);
	if (cause != NULL)
		xasprintf(cause, "%s: %s", what, msg);
}

int
vg_atx_open(const AVCodecParameters *in, AVRational in_tb,
    struct vg_atx **out, char **cause)
{
	const AVCodec *dc = avcodec_find_decoder(in->codec_id);
	const AVCodec *ec = avcodec_find_encoder(AV_CODEC_ID_AAC);
	struct vg_atx *x;
	int ret;

	*out = NULL;
	if (in->codec_id != AV_CODEC_ID_PCM_MULAW && in->codec_id !=
	    AV_CODEC_ID_PCM_ALAW) {
		if (cause != NULL)
			xasprintf(cause, "%s is not G.711",
			    avcodec_get_name(in->codec_id));
		return VG_ERR_UNSUPPORTED;
	}
	if (dc == NULL || ec == NULL || in->sample_rate <= 0 ||
	    in->ch_layout.nb_channels <= 0) {
		if (cause != NULL)
			xasprintf(cause, "no G.711 decoder or AAC encoder in "
			    "this FFmpeg, or no sample rate");
		return VG_ERR_UNSUPPORTED;
	}
	x = xcalloc(1, sizeof *x);
	x->in_tb = in_tb;
	x->next = AV_NOPTS_VALUE;
	x->dec = avcodec_alloc_context3(dc);
	x->enc = avcodec_alloc_context3(ec);
	x->in = av_frame_alloc();
	x->out = av_frame_alloc();
	x->pkt = av_packet_alloc();
	x->par = avcodec_parameters_alloc();
	if (x->dec == NULL || x->enc == NULL || x->in == NULL || x->out ==
	    NULL || x->pkt == NULL || x->par == NULL)
		fatalx("vg_atx_open");
	if ((ret = avcodec_parameters_to_context(x->dec, in)) < 0 ||
	    (ret = avcodec_open2(x->dec, dc, NULL)) < 0) {
		atx_err(ret, "G.711 decoder", cause);
		goto fail;
	}
	x->enc->sample_fmt = AV_SAMPLE_FMT_FLTP;
	x->enc->sample_rate = in->sample_rate;
	av_channel_layout_default(&x->enc->ch_layout,
	    in->ch_layout.nb_channels);
	x->enc->bit_rate = 32000 * in->ch_layout.nb_channels;
	x->enc->time_base = (AVRational){ 1, in->sample_rate };
	x->enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
	x->enc->thread_count = 1;
	if ((ret = avcodec_open2(x->enc, ec, NULL)) < 0) {
		atx_err(ret, "AAC encoder", cause);
		goto fail;
	}
	avcodec_parameters_from_context(x->par, x->enc);
	x->fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP,
	    in->ch_layout.nb_channels, 4096);
	if (x->fifo == NULL)
		fatalx("av_audio_fifo_alloc");
	*out = x;
	return VG_OK;
fail:
	vg_atx_free(x);
	return VG_ERR_UNSUPPORTED;
}

const AVCodecParameters *
vg_atx_par(const struct vg_atx *x)
{
	return x->par;
}

/* Encode whole frames from the FIFO (all of it, padded, when flushing). */
static int
atx_encode(struct vg_atx *x)
{
	int n, fs = x->enc->frame_size, ret;

	while (av_audio_fifo_size(x->fifo) >= fs) {
		av_frame_unref(x->out);
		x->out->nb_samples = fs;
		x->out->format = AV_SAMPLE_FMT_FLTP;
		x->out->sample_rate = x->enc->sample_rate;
		av_channel_layout_copy(&x->out->ch_layout, &x->enc->ch_layout);
		if (av_frame_get_buffer(x->out, 0) < 0)
			fatalx("av_frame_get_buffer");
		n = av_audio_fifo_read(x->fifo, (void **)x->out->data, fs);
		if (n < fs)
			return VG_ERR_INTERNAL;
		x->out->pts = x->next;
		x->next += fs;
		ret = avcodec_send_frame(x->enc, x->out);
		if (ret < 0 && ret != AVERROR(EAGAIN))
			return VG_ERR_PROTO;
	}
	return VG_OK;
}

int
vg_atx_push(struct vg_atx *x, const AVPacket *pkt)
{
	int64_t at;
	int ret, c, i, nch;

	ret = avcodec_send_packet(x->dec, pkt);
	if (ret < 0)
		return VG_ERR_PROTO;
	while (avcodec_receive_frame(x->dec, x->in) == 0) {
		nch = x->in->ch_layout.nb_channels;
		at = x->in->pts != AV_NOPTS_VALUE ? av_rescale_q(x->in->pts,
		    x->in_tb, x->enc->time_base) : AV_NOPTS_VALUE;
		if (at != AV_NOPTS_VALUE && (x->next == AV_NOPTS_VALUE ||
		    llabs(at - (x->next + av_audio_fifo_size(x->fifo))) >
		    x->enc->sample_rate / 5)) {
			/* the first samples, or a jump: start from here */
			av_audio_fifo_reset(x->fifo);
			x->next = at;
		}
		if (x->next == AV_NOPTS_VALUE) {
			av_frame_unref(x->in);
			continue;
		}
		{
			float *pl[8];
			const int16_t *s = (const int16_t *)x->in->data[0];
			int n = x->in->nb_samples;

			if (nch > 8 || x->in->format != AV_SAMPLE_FMT_S16) {
				av_frame_unref(x->in);
				return VG_ERR_UNSUPPORTED;
			}
			for (c = 0; c < nch; c++)
				pl[c] = xmalloc(sizeof(float) * (size_t)n);
			for (i = 0; i < n; i++)
				for (c = 0; c < nch; c++)
					pl[c][i] = s[i * nch + c] / 32768.0f;
			av_audio_fifo_write(x->fifo, (void **)pl, n);
			for (c = 0; c < nch; c++)
				free(pl[c]);
		}
		av_frame_unref(x->in);
		if (atx_encode(x) != VG_OK)
			return VG_ERR_PROTO;
	}
	return VG_OK;
}

int
vg_atx_pull(struct vg_atx *x, AVPacket *out)
{
	int ret = avcodec_receive_packet(x->enc, out);

	if (ret < 0)
		return ret;
	/* back into the input's time base */
	av_packet_rescale_ts(out, x->enc->time_base, x->in_tb);
	if (out->dts == AV_NOPTS_VALUE)
		out->dts = out->pts;
	return 0;
}

void
vg_atx_free(struct vg_atx *x)
{
	if (x == NULL)
		return;
	avcodec_free_context(&x->dec);
	avcodec_free_context(&x->enc);
	avcodec_parameters_free(&x->par);
	if (x->fifo != NULL)
		av_audio_fifo_free(x->fifo);
	av_frame_free(&x->in);
	av_frame_free(&x->out);
	av_packet_free(&x->pkt);
	free(x);
}
