/* record-segment.c - one segment: fragmented MP4 through libavformat's
 * mp4 muxer, written as .part, finalized, renamed, described, journaled.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The muxer writes through our own AVIOContext onto a file descriptor
 * (64 KiB writes; ENOSPC is seen where it happens).  Fragments are cut by
 * us (movflags frag_custom): at a video keyframe once the fragment holds
 * 200 ms, and at 0.5 s in any case, so that kill -9 loses at most the
 * open fragment; the muxer holds that fragment in memory until it is
 * whole, so half a second rather than a second halves what 32 cameras
 * hold (bench/record.sh: about 10 MB of PSS, no measurable CPU).  After the moov we reserve a `free` box for the global index
 * that record-mp4.c writes when the segment closes.
 *
 * Beside SEG.mp4.part lives SEG.json.part: who, when, what (written when
 * the segment opens and again at every gap), so that a crash leaves what
 * crash recovery needs to write the sidecar SEG.json.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libavformat/avformat.h>
#include <libavutil/avstring.h>
#include <openssl/evp.h>

#include "libvigia.h"
#include "record-int.h"

#define SEG_IO_BUF (64 * 1024)
#define SEG_FRAG_MIN_US 200000
#define SEG_FRAG_MAX_US 500000

struct vg_seg {
	char *dir;
	char *base;		/* DIR/CAMERA-YYYYmmddTHHMMSSZ */
	char *part, *final, *meta_part, *meta_final;
	int fd;
	AVFormatContext *oc;
	AVIOContext *pb;
	int nst;
	AVRational *in_tb;
	int64_t *last_ts;	/* per stream, output time base; INT64_MIN */
	int64_t frag_start_us;	/* -1: no open fragment */
	size_t frags, max_frags;
	int64_t last_us;
	int64_t bytes;
	bool enospc;
	bool nosync;		/* defer_sync: the caller fsyncs */
	int io_errno;
	int64_t start_utc_us;
	json_t *meta;		/* the sidecar being built */
	json_t *gaps, *events;
};

/* ---- output ----------------------------------------------------------- */

static int
seg_write_cb(void *opaque, uint8_t *buf, int len)
{
	struct vg_seg *sg = opaque;
	int done = 0;
	ssize_t r;

	while (done < len) {
		r = write(sg->fd, buf + done, (size_t)(len - done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			sg->io_errno = r < 0 ? errno : ENOSPC;
			if (sg->io_errno == ENOSPC || sg->io_errno == EDQUOT)
				sg->enospc = true;
			return AVERROR(sg->io_errno);
		}
		done += (int)r;
	}
	sg->bytes += len;
	return len;
}

static int
fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

/* Write json to path atomically (tmp, fsync unless nosync, rename). */
static int
write_json_sync(const char *path, json_t *j, bool sync, char **cause)
{
	char *tmp, *text;
	size_t len, done = 0;
	ssize_t r;
	int fd, err = VG_ERR_IO;

	text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (text == NULL)
		fatalx("json_dumps");
	xasprintf(&tmp, "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		xasprintf(cause, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	len = strlen(text);
	text[len++] = '\n';	/* replaces the NUL: written by length */
	while (done < len) {
		r = write(fd, text + done, len - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			xasprintf(cause, "%s: %s", tmp, strerror(r < 0 ? errno :
			    ENOSPC));
			close(fd);
			unlink(tmp);
			goto out;
		}
		done += (size_t)r;
	}
	if ((sync && fsync(fd) != 0) || close(fd) != 0) {
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
	free(text);
	return err;
}

static int
write_json(const char *path, json_t *j, char **cause)
{
	return write_json_sync(path, j, true, cause);
}

/* "2026-12-06T03:55:00.123Z" */
static json_t *
json_utc(int64_t us)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	char buf[80];

	gmtime_r(&t, &tm);
	snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(us % 1000000 / 1000));
	return json_string(buf);
}

static json_t *
json_str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* The codec of a stream as the sidecar shows it. */
static json_t *
stream_json(const AVCodecParameters *par)
{
	const char *prof = avcodec_profile_name(par->codec_id, par->profile);
	json_t *j = json_object();

	json_object_set_new(j, "codec", json_string(avcodec_get_name(
	    par->codec_id)));
	json_object_set_new(j, "profile", json_str_or_null(prof));
	if (par->codec_type == AVMEDIA_TYPE_VIDEO) {
		json_object_set_new(j, "width", json_integer(par->width));
		json_object_set_new(j, "height", json_integer(par->height));
	} else {
		json_object_set_new(j, "sample_rate",
		    json_integer(par->sample_rate));
		json_object_set_new(j, "channels",
		    json_integer(par->ch_layout.nb_channels));
	}
	return j;
}

int
vg_seg_open(const char *dir, const struct vg_seg_meta *meta,
    int64_t start_utc_us, bool rtcp_clock, const struct vg_seg_stream *st,
    int nst, struct vg_seg **out, char **cause)
{
	struct vg_seg *sg;
	AVDictionary *opts = NULL;
	uint8_t *iobuf;
	time_t t = (time_t)(start_utc_us / 1000000);
	struct tm tm;
	char stamp[32], *e;
	size_t reserve, i;
	json_t *streams;
	int ret, err = VG_ERR_IO, k;

	*out = NULL;
	sg = xcalloc(1, sizeof *sg);
	sg->fd = -1;
	sg->dir = xstrdup(dir);
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	xasprintf(&sg->base, "%s/%s-%s", dir, meta->camera, stamp);
	/* two segments in the same second (a codec change): -1, -2 ... */
	for (k = 1;; k++) {
		struct stat sb;

		xasprintf(&sg->final, "%s.mp4", sg->base);
		xasprintf(&sg->part, "%s.mp4.part", sg->base);
		if (stat(sg->final, &sb) != 0 && stat(sg->part, &sb) != 0)
			break;
		free(sg->final);
		free(sg->part);
		e = sg->base;
		xasprintf(&sg->base, "%s/%s-%s-%d", dir, meta->camera, stamp,
		    k);
		free(e);
	}
	xasprintf(&sg->meta_part, "%s.json.part", sg->base);
	xasprintf(&sg->meta_final, "%s.json", sg->base);
	sg->start_utc_us = start_utc_us;
	sg->nst = nst;
	sg->in_tb = xcalloc((size_t)nst, sizeof *sg->in_tb);
	sg->last_ts = xcalloc((size_t)nst, sizeof *sg->last_ts);
	sg->frag_start_us = -1;
	sg->last_us = -1;
	/* at most 5 fragments a second, for twice the segment */
	sg->max_frags = (size_t)(meta->segment_s > 0 ? meta->segment_s : 600) *
	    10 + 64;
	if (sg->max_frags > 65000)
		sg->max_frags = 65000;

	sg->fd = open(sg->part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (sg->fd < 0) {
		if (errno == ENOSPC)
			sg->enospc = true;
		xasprintf(cause, "%s: %s", sg->part, strerror(errno));
		goto fail;
	}
	ret = avformat_alloc_output_context2(&sg->oc, NULL, "mp4", NULL);
	if (ret < 0 || sg->oc == NULL)
		fatalx("avformat_alloc_output_context2");
	iobuf = av_malloc(SEG_IO_BUF);
	if (iobuf == NULL)
		fatalx("av_malloc");
	sg->pb = avio_alloc_context(iobuf, SEG_IO_BUF, 1, sg, NULL,
	    seg_write_cb, NULL);
	if (sg->pb == NULL)
		fatalx("avio_alloc_context");
	sg->pb->seekable = 0;
	sg->oc->pb = sg->pb;
	sg->oc->flags |= AVFMT_FLAG_CUSTOM_IO;
	for (k = 0; k < nst; k++) {
		AVStream *os = avformat_new_stream(sg->oc, NULL);

		if (os == NULL)
			fatalx("avformat_new_stream");
		if (avcodec_parameters_copy(os->codecpar, st[k].par) < 0)
			fatalx("avcodec_parameters_copy");
		os->codecpar->codec_tag = 0;
		/* H.265 as hvc1 (parameter sets in the sample entry), which
		 * Safari and Apple's players need; libavformat's default is
		 * hev1.  In-band sets stay valid: each segment has one
		 * format (an SPS that changes starts a new segment). */
		if (os->codecpar->codec_id == AV_CODEC_ID_HEVC)
			os->codecpar->codec_tag = MKTAG('h', 'v', 'c', '1');
		os->time_base = st[k].time_base;
		sg->in_tb[k] = st[k].time_base;
		sg->last_ts[k] = INT64_MIN;
	}
	av_dict_set(&opts, "movflags", "frag_custom+empty_moov+"
	    "default_base_moof+skip_trailer+skip_sidx", 0);
	ret = avformat_write_header(sg->oc, &opts);
	av_dict_free(&opts);
	if (ret < 0) {
		char msg[AV_ERROR_MAX_STRING_SIZE];

		av_strerror(ret, msg, sizeof msg);
		xasprintf(cause, "starting %s: %s", sg->part, msg);
		err = sg->enospc ? VG_ERR_IO : VG_ERR_UNSUPPORTED;
		goto fail;
	}
	/* the index reserve, right after the moov */
	reserve = vg_mp4_reserve_size(sg->max_frags);
	avio_wb32(sg->pb, (unsigned)reserve);
	avio_write(sg->pb, (const unsigned char *)"free", 4);
	for (i = 8; i < reserve; i++)
		avio_w8(sg->pb, 0);
	avio_flush(sg->pb);
	if (sg->pb->error < 0) {
		xasprintf(cause, "%s: %s", sg->part, strerror(sg->io_errno));
		goto fail;
	}

	sg->meta = json_object();
	json_object_set_new(sg->meta, "site", json_str_or_null(meta->site));
	json_object_set_new(sg->meta, "camera", json_pack("{s:s, s:o, s:o, "
	    "s:o}", "name", meta->camera, "serial",
	    json_str_or_null(meta->serial), "mac", json_str_or_null(meta->mac),
	    "model", json_str_or_null(meta->model)));
	json_object_set_new(sg->meta, "start_utc", json_utc(start_utc_us));
	json_object_set_new(sg->meta, "start_us", json_integer(start_utc_us));
	json_object_set_new(sg->meta, "clock", json_string(rtcp_clock ?
	    "rtcp" : "local"));
	json_object_set_new(sg->meta, "mode", json_string(meta->mode));
	json_object_set_new(sg->meta, "vigia_version",
	    json_string(PACKAGE_VERSION));
	json_object_set_new(sg->meta, "recovered", json_false());
	streams = json_array();
	for (k = 0; k < nst; k++)
		json_array_append_new(streams, stream_json(st[k].par));
	json_object_set_new(sg->meta, "video", json_incref(json_array_get(
	    streams, 0)));
	json_object_set_new(sg->meta, "audio", nst > 1 ?
	    json_incref(json_array_get(streams, 1)) : json_null());
	json_decref(streams);
	if (meta->audio_note != NULL)
		json_object_set_new(sg->meta, "audio_note",
		    json_string(meta->audio_note));
	sg->gaps = json_array();
	sg->events = json_array();
	json_object_set(sg->meta, "gaps", sg->gaps);
	json_object_set(sg->meta, "events", sg->events);
	sg->nosync = meta->defer_sync;
	if (write_json_sync(sg->meta_part, sg->meta, !sg->nosync, cause) !=
	    VG_OK) {
		if (errno == ENOSPC)
			sg->enospc = true;
		goto fail;
	}
	if (!sg->nosync && fsync_dir(dir) != 0)
		log_warn("fsync %s: %s", dir, strerror(errno));
	*out = sg;
	return VG_OK;
fail:
	{
		bool nospace = sg->enospc;

		if (sg->oc != NULL) {
			avformat_free_context(sg->oc);
			sg->oc = NULL;
		}
		if (sg->fd >= 0) {
			close(sg->fd);
			sg->fd = -1;
			unlink(sg->part);
		}
		unlink(sg->meta_part);
		if (sg->pb != NULL) {
			av_freep(&sg->pb->buffer);
			avio_context_free(&sg->pb);
		}
		json_decref(sg->meta);
		json_decref(sg->gaps);
		json_decref(sg->events);
		free(sg->in_tb);
		free(sg->last_ts);
		free(sg->dir);
		free(sg->base);
		free(sg->part);
		free(sg->final);
		free(sg->meta_part);
		free(sg->meta_final);
		free(sg);
		if (nospace)
			errno = ENOSPC;
	}
	return err;
}

static int
seg_averr(struct vg_seg *sg, int ret, const char *what, char **cause)
{
	char msg[AV_ERROR_MAX_STRING_SIZE];

	if (sg->enospc) {
		xasprintf(cause, "%s: %s", sg->part, strerror(ENOSPC));
		return VG_ERR_IO;
	}
	av_strerror(ret, msg, sizeof msg);
	xasprintf(cause, "%s %s: %s", what, sg->part, msg);
	return sg->io_errno != 0 ? VG_ERR_IO : VG_ERR_PROTO;
}

int
vg_seg_flush(struct vg_seg *sg, char **cause)
{
	int ret;

	if (sg->frag_start_us < 0)
		return VG_OK;
	ret = av_write_frame(sg->oc, NULL);
	if (ret >= 0)
		avio_flush(sg->pb);
	if (ret < 0 || sg->pb->error < 0)
		return seg_averr(sg, ret < 0 ? ret : sg->pb->error,
		    "flushing", cause);
	sg->frags++;
	sg->frag_start_us = -1;
	return VG_OK;
}

int
vg_seg_write(struct vg_seg *sg, AVPacket *pkt, int64_t ts_us, bool *enospc,
    char **cause)
{
	AVStream *os;
	int64_t ts, dur;
	bool key;
	int ret, err, i = pkt->stream_index;

	*enospc = false;
	if (i < 0 || i >= sg->nst)
		return VG_OK;
	os = sg->oc->streams[i];
	key = i == 0 && (pkt->flags & AV_PKT_FLAG_KEY);
	if (i == 0 && sg->frag_start_us >= 0 &&
	    ((key && ts_us - sg->frag_start_us >= SEG_FRAG_MIN_US) ||
	    ts_us - sg->frag_start_us >= SEG_FRAG_MAX_US)) {
		err = vg_seg_flush(sg, cause);
		if (err != VG_OK) {
			*enospc = sg->enospc;
			return err;
		}
	}
	ts = av_rescale_q(ts_us, AV_TIME_BASE_Q, os->time_base);
	if (sg->last_ts[i] != INT64_MIN && ts <= sg->last_ts[i])
		ts = sg->last_ts[i] + 1;	/* never backwards */
	dur = pkt->duration;
	if (dur > 0)
		dur = av_rescale_q(dur, sg->in_tb[i], os->time_base);
	if (dur <= 0 && i == 0)	/* the muxer needs the last one's length */
		dur = av_rescale_q(1, (AVRational){ 1, 15 }, os->time_base);
	/* keep the composition offset (B-frames) */
	if (pkt->pts != AV_NOPTS_VALUE && pkt->dts != AV_NOPTS_VALUE &&
	    pkt->pts > pkt->dts)
		pkt->pts = ts + av_rescale_q(pkt->pts - pkt->dts, sg->in_tb[i],
		    os->time_base);
	else
		pkt->pts = ts;
	pkt->dts = ts;
	pkt->duration = dur;
	pkt->pos = -1;
	ret = av_write_frame(sg->oc, pkt);
	if (ret < 0 || sg->pb->error < 0) {
		err = seg_averr(sg, ret < 0 ? ret : sg->pb->error, "writing",
		    cause);
		*enospc = sg->enospc;
		return err;
	}
	sg->last_ts[i] = ts;
	if (sg->frag_start_us < 0)
		sg->frag_start_us = ts_us;
	if (ts_us > sg->last_us)
		sg->last_us = ts_us;
	return VG_OK;
}

const char *
vg_seg_meta_part(const struct vg_seg *sg)
{
	return sg->meta_part;
}

void
vg_seg_sync_open(const char *meta_part, const char *dir)
{
	int fd = open(meta_part, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (fsync(fd) != 0 && errno != EINVAL)
			log_warn("fsync %s: %s", meta_part, strerror(errno));
		close(fd);
	}
	if (fsync_dir(dir) != 0)
		log_warn("fsync %s: %s", dir, strerror(errno));
}

void
vg_seg_gap(struct vg_seg *sg, int64_t at_us, int64_t len_us,
    const char *reason)
{
	char *cause = NULL;

	json_array_append_new(sg->gaps, json_pack("{s:f, s:f, s:s}",
	    "start_s", (double)at_us / 1e6, "length_s", (double)len_us / 1e6,
	    "reason", reason));
	if (write_json_sync(sg->meta_part, sg->meta, !sg->nosync, &cause) !=
	    VG_OK) {
		log_warn("%s", cause);
		free(cause);
	}
}

void
vg_seg_event(struct vg_seg *sg, int64_t utc_us, const char *what)
{
	json_t *e = json_object();

	json_object_set_new(e, "utc", json_utc(utc_us));
	json_object_set_new(e, "what", json_string(what));
	json_array_append_new(sg->events, e);
}

bool
vg_seg_full(const struct vg_seg *sg)
{
	return sg->frags + 2 >= sg->max_frags;
}

int64_t
vg_seg_last_us(const struct vg_seg *sg)
{
	return sg->last_us;
}

int64_t
vg_seg_start_utc(const struct vg_seg *sg)
{
	return sg->start_utc_us;
}

int64_t
vg_seg_bytes(const struct vg_seg *sg)
{
	return sg->bytes;
}

const char *
vg_seg_path(const struct vg_seg *sg)
{
	return sg->final;
}

void
vg_seg_result_clear(struct vg_seg_result *r)
{
	if (r == NULL)
		return;
	free(r->path);
	memset(r, 0, sizeof *r);
}

/* ---- closing ----------------------------------------------------------- */

static int
sha256_file(const char *path, char hex[65], char **cause)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char buf[1 << 16], dig[32];
	unsigned dlen = 0, i;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = VG_ERR_IO;

	if (md == NULL)
		fatalx("EVP_MD_CTX_new");
	if (fd < 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto out;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	while ((r = read(fd, buf, sizeof buf)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			xasprintf(cause, "%s: %s", path, strerror(errno));
			goto out;
		}
		EVP_DigestUpdate(md, buf, (size_t)r);
	}
	EVP_DigestFinal_ex(md, dig, &dlen);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", dig[i]);
	err = VG_OK;
out:
	if (fd >= 0)
		close(fd);
	EVP_MD_CTX_free(md);
	return err;
}

static char *
dir_of(const char *path)
{
	char *d = xstrdup(path), *s = strrchr(d, '/');

	if (s == NULL) {
		free(d);
		return xstrdup(".");
	}
	if (s == d)
		s[1] = '\0';
	else
		*s = '\0';
	return d;
}

/* Finalize part, rename it to final, write the sidecar from meta, fsync
 * the directory and add the row.  meta is completed here. */
static int
seg_commit(const char *part, const char *final, const char *meta_final,
    const char *meta_part, json_t *meta, struct vg_spool *sp,
    struct vg_seg_result *res, char **cause)
{
	struct vg_mp4_info info;
	struct vg_spool_segment row = { 0 };
	char sha[65] = "", *dir = dir_of(final);
	int64_t start, fps100;
	json_t *v;
	int err;

	err = vg_mp4_finalize(part, &info, cause);
	if (err != VG_OK)
		goto out;
	err = sha256_file(part, sha, cause);
	if (err != VG_OK)
		goto out;
	if (rename(part, final) != 0) {
		err = VG_ERR_IO;
		xasprintf(cause, "rename %s: %s", part, strerror(errno));
		goto out;
	}
	start = json_integer_value(json_object_get(meta, "start_us"));
	json_object_set_new(meta, "end_utc", json_utc(start +
	    info.duration_us));
	json_object_set_new(meta, "end_us", json_integer(start +
	    info.duration_us));
	json_object_set_new(meta, "duration_s", json_real((double)
	    info.duration_ts / info.timescale));
	json_object_set_new(meta, "frames", json_integer(info.frames));
	json_object_set_new(meta, "keyframes", json_integer(info.keyframes));
	json_object_set_new(meta, "fragments", json_integer(info.fragments));
	json_object_set_new(meta, "bytes", json_integer(info.bytes));
	json_object_set_new(meta, "sha256", json_string(sha));
	json_object_set_new(meta, "file", json_string(strrchr(final, '/') !=
	    NULL ? strrchr(final, '/') + 1 : final));
	json_object_set_new(meta, "indexed", json_boolean(info.indexed));
	if (info.truncated)
		json_object_set_new(meta, "cut_bytes",
		    json_integer(info.cut_bytes));
	fps100 = info.duration_us > 0 ? info.frames * 100000000 /
	    info.duration_us : 0;
	v = json_object_get(meta, "video");
	if (json_is_object(v))
		json_object_set_new(v, "fps", json_real((double)fps100 / 100));
	err = write_json(meta_final, meta, cause);
	if (err != VG_OK)
		goto out;
	if (meta_part != NULL)
		unlink(meta_part);
	if (fsync_dir(dir) != 0) {
		err = VG_ERR_IO;
		xasprintf(cause, "fsync %s: %s", dir, strerror(errno));
		goto out;
	}
	if (res != NULL) {
		res->path = xstrdup(final);
		res->duration_us = info.duration_us;
		res->frames = info.frames;
		res->bytes = info.bytes;
	}
	if (sp != NULL) {
		json_t *cam = json_object_get(meta, "camera");

		row.camera = (char *)json_string_value(json_object_get(cam,
		    "name"));
		row.site = (char *)json_string_value(json_object_get(meta,
		    "site"));
		row.path = (char *)final;
		row.sidecar = (char *)meta_final;
		row.start_us = start;
		row.end_us = start + info.duration_us;
		row.bytes = info.bytes;
		memcpy(row.sha256, sha, sizeof row.sha256);
		row.recovered = json_is_true(json_object_get(meta,
		    "recovered"));
		row.fps = (double)fps100 / 100;
		row.frames = info.frames;
		err = vg_spool_add(sp, &row, res != NULL ? &res->id : NULL,
		    cause);
		if (err != VG_OK)
			goto out;
	}
	err = VG_OK;
out:
	free(dir);
	return err;
}

int
vg_seg_close(struct vg_seg *sg, struct vg_spool *sp,
    struct vg_seg_result *res, char **cause)
{
	int err = VG_OK, ret;
	char *c2 = NULL;

	if (res != NULL)
		memset(res, 0, sizeof *res);
	if (sg == NULL)
		return VG_OK;
	/* the last fragment; the trailer writes nothing more (skip_trailer) */
	if (!sg->enospc)
		(void)vg_seg_flush(sg, &c2);
	free(c2);
	c2 = NULL;
	ret = av_write_trailer(sg->oc);
	(void)ret;
	avio_flush(sg->pb);
	if (fsync(sg->fd) != 0 && errno != EINVAL)
		log_warn("fsync %s: %s", sg->part, strerror(errno));
	close(sg->fd);
	sg->fd = -1;
	av_freep(&sg->pb->buffer);
	avio_context_free(&sg->pb);
	avformat_free_context(sg->oc);
	sg->oc = NULL;

	if (sg->frags == 0) {
		unlink(sg->part);
		unlink(sg->meta_part);
		err = VG_ERR_NOTFOUND;
		xasprintf(cause, "%s: nothing recorded", sg->part);
	} else {
		err = seg_commit(sg->part, sg->final, sg->meta_final,
		    sg->meta_part, sg->meta, sp, res, cause);
		if (err == VG_ERR_NOTFOUND) {
			unlink(sg->part);
			unlink(sg->meta_part);
		}
	}
	json_decref(sg->meta);
	json_decref(sg->gaps);
	json_decref(sg->events);
	free(sg->in_tb);
	free(sg->last_ts);
	free(sg->dir);
	free(sg->base);
	free(sg->part);
	free(sg->final);
	free(sg->meta_part);
	free(sg->meta_final);
	free(sg);
	return err;
}

/* ---- crash recovery ----------------------------------------------------- */

static json_t *
load_json(const char *path)
{
	json_error_t jerr;

	return json_load_file(path, 0, &jerr);
}

/* "DIR/NAME-20261206T035500Z[-N]": the start from the name. */
static int64_t
start_from_name(const char *base)
{
	const char *s = strrchr(base, '/');
	struct tm tm = { 0 };
	const char *p;
	size_t n;

	s = s != NULL ? s + 1 : base;
	n = strlen(s);
	for (p = s + n; p > s; p--)
		if (p[-1] == '-' && strlen(p) >= 16 && p[8] == 'T' &&
		    p[15] == 'Z')
			break;
	if (p == s || strptime(p, "%Y%m%dT%H%M%SZ", &tm) == NULL)
		return 0;
	return (int64_t)timegm(&tm) * 1000000;
}

int
vg_seg_recover(const char *path, struct vg_spool *sp,
    struct vg_seg_result *res, char **cause)
{
	char *base, *final = NULL, *meta_part = NULL, *meta_final = NULL, *p;
	size_t n = strlen(path);
	bool is_part = n > 9 && strcmp(path + n - 9, ".mp4.part") == 0;
	json_t *meta = NULL;
	int err;

	if (res != NULL)
		memset(res, 0, sizeof *res);
	base = xstrndup(path, n - (is_part ? 9 : 4));
	xasprintf(&final, "%s.mp4", base);
	xasprintf(&meta_part, "%s.json.part", base);
	xasprintf(&meta_final, "%s.json", base);
	if (!is_part && sp != NULL && vg_spool_has_path(sp, final)) {
		err = VG_ERR_EXISTS;
		goto out;
	}
	meta = load_json(is_part ? meta_part : meta_final);
	if (meta == NULL && !is_part)
		meta = load_json(meta_part);
	if (meta == NULL) {
		/* nothing but the file: who and when from its name */
		char *cam = xstrdup(strrchr(base, '/') != NULL ?
		    strrchr(base, '/') + 1 : base);

		if ((p = strrchr(cam, '-')) != NULL && strchr(p, 'T') == NULL)
			*p = '\0';
		if ((p = strrchr(cam, '-')) != NULL)
			*p = '\0';
		meta = json_pack("{s:{s:s}, s:I, s:o, s:s, s:s, s:[], s:[]}",
		    "camera", "name", cam, "start_us",
		    (json_int_t)start_from_name(base), "site", json_null(),
		    "clock", "local", "mode", "unknown", "gaps", "events");
		json_object_set_new(meta, "start_utc", json_utc(
		    start_from_name(base)));
		json_object_set_new(meta, "vigia_version",
		    json_string(PACKAGE_VERSION));
		free(cam);
	}
	if (is_part)
		json_object_set_new(meta, "recovered", json_true());
	if (!is_part) {
		/* renamed: already finalized; write it again (idempotent) */
		char *tmp;

		xasprintf(&tmp, "%s.mp4.part", base);
		if (rename(final, tmp) != 0) {
			err = VG_ERR_IO;
			xasprintf(cause, "rename %s: %s", final,
			    strerror(errno));
			free(tmp);
			goto out;
		}
		err = seg_commit(tmp, final, meta_final, meta_part, meta, sp,
		    res, cause);
		free(tmp);
	} else
		err = seg_commit(path, final, meta_final, meta_part, meta, sp,
		    res, cause);
	if (err == VG_ERR_NOTFOUND && is_part) {
		log_warn("%s: no whole fragment; removed", path);
		unlink(path);
		unlink(meta_part);
	}
out:
	json_decref(meta);
	free(base);
	free(final);
	free(meta_part);
	free(meta_final);
	return err;
}
