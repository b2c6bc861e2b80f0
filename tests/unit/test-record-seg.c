/* test-record-seg.c - one segment through the writer, the finalizer and
 * crash recovery, checked with ffprobe: frames in = frames out, the
 * global index is there, a torn .part is cut back to its last whole
 * fragment and plays.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <libavformat/avformat.h>

#include "libvigia.h"
#include "record-int.h"
#include "record-source.h"
#include "tap.h"

static char dir[] = "/tmp/vg-record-seg-XXXXXX";

static char *
run(const char *fmt, const char *arg)
{
	char cmd[1024], *out = xcalloc(1, 4096);
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof cmd, fmt, arg);
	p = popen(cmd, "r");
	if (p == NULL)
		return out;
	n = fread(out, 1, 4095, p);
	out[n] = '\0';
	pclose(p);
	return out;
}

/* Write every packet of in into one segment; the .part is copied into
 * crash (cut cut bytes short) just before closing, if crash != NULL. */
static int
record(const char *in, struct vg_seg_result *res, int64_t *vframes,
    const char *crash, long cut)
{
	struct vg_source_opts so = { .url = in, .timeout_ms = 5000 };
	struct vg_source *src;
	struct vg_seg *sg;
	struct vg_seg_stream st[2];
	struct vg_seg_meta meta = { .site = "test", .camera = "cam",
	    .mode = "continuous", .segment_s = 10 };
	enum vg_source_fail why;
	AVPacket *pkt = av_packet_alloc();
	char *cause = NULL, cmd[1024];
	int64_t t0 = AV_NOPTS_VALUE, t;
	bool enospc;
	int err, i, nst;

	err = vg_source_open(&so, &src, &why, &cause);
	if (!tap_ok(err == 0, "open the input")) {
		printf("# %s\n", cause);
		return -1;
	}
	for (i = 0; i < vg_source_nstreams(src) && i < 2; i++) {
		st[i].par = vg_source_stream(src, i)->par;
		st[i].time_base = vg_source_stream(src, i)->time_base;
	}
	nst = vg_source_nstreams(src) > 1 ? 2 : 1;
	err = vg_seg_open(dir, &meta, 1765000000000000LL, false, st, nst, &sg,
	    &cause);
	if (!tap_ok(err == 0, "open a segment")) {
		printf("# %s\n", cause);
		return -1;
	}
	*vframes = 0;
	while (vg_source_read(src, pkt, &why, NULL) == 0) {
		if (pkt->stream_index >= nst || (t0 == AV_NOPTS_VALUE &&
		    pkt->stream_index != 0)) {
			av_packet_unref(pkt);
			continue;
		}
		if (t0 == AV_NOPTS_VALUE)
			t0 = av_rescale_q(pkt->dts, st[0].time_base,
			    AV_TIME_BASE_Q);
		t = av_rescale_q(pkt->dts, st[pkt->stream_index].time_base,
		    AV_TIME_BASE_Q) - t0;
		if (t < 0) {
			av_packet_unref(pkt);
			continue;
		}
		if (pkt->stream_index != 0) {
			err = vg_seg_write(sg, pkt, t, &enospc, &cause);
			av_packet_unref(pkt);
			if (err != 0)
				return -1;
			continue;
		}
		err = vg_seg_write(sg, pkt, t, &enospc, &cause);
		av_packet_unref(pkt);
		if (err != 0) {
			printf("# write: %s\n", cause);
			return -1;
		}
		(*vframes)++;
	}
	if (crash != NULL) {
		vg_seg_flush(sg, NULL);
		/* vg_seg_path is the final name: the .part is beside it */
		snprintf(cmd, sizeof cmd, "mkdir -p %s && cp %s.part %s/ && "
		    "sed 's/x/x/' %.*s.json.part > %s/cam.json.part.tmp && "
		    "truncate -s -%ld %s/*.mp4.part", crash, vg_seg_path(sg),
		    crash, (int)(strlen(vg_seg_path(sg)) - 4), vg_seg_path(sg),
		    crash, cut, crash);
		if (system(cmd) != 0)
			return -1;
	}
	vg_source_close(src);
	av_packet_free(&pkt);
	err = vg_seg_close(sg, NULL, res, &cause);
	if (!tap_ok(err == 0, "close the segment"))
		printf("# %s\n", cause);
	return err;
}

int
main(void)
{
	struct vg_seg_result res, rec;
	char in[256], *out, crash[300], part[600], *p;
	int64_t frames;
	json_t *side;
	json_error_t jerr;

	if (system("command -v ffmpeg >/dev/null && command -v ffprobe "
	    ">/dev/null") != 0) {
		printf("1..0 # SKIP ffmpeg/ffprobe missing\n");
		return 77;
	}
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(in, sizeof in, "%s/in.mkv", dir);
	/* 12 s, 15 fps, a keyframe every 2 s */
	out = run("ffmpeg -v error -f lavfi -i testsrc2=size=320x240:rate=15 "
	    "-t 12 -c:v libx264 -g 30 -bf 0 -pix_fmt yuv420p %s 2>&1", in);
	free(out);

	if (record(in, &res, &frames, NULL, 0) != 0)
		return tap_done();
	tap_ok(res.frames == frames, "every frame is in the file");
	tap_ok(res.frames == 180, "180 frames");
	tap_ok(res.duration_us >= 11990000 && res.duration_us <= 12010000,
	    "12 s long");
	out = run("ffprobe -v error -count_packets -select_streams v "
	    "-show_entries stream=nb_read_packets -of csv=p=0 %s 2>&1",
	    res.path);
	tap_ok(atoi(out) == 180, "ffprobe reads 180 frames, no errors");
	if (atoi(out) != 180)
		printf("# ffprobe: %s\n", out);
	free(out);
	out = run("ffprobe -v error -show_entries format=duration -of "
	    "csv=p=0 %s 2>&1", res.path);
	tap_ok(atof(out) > 11.9 && atof(out) < 12.1, "ffprobe: 12 s");
	free(out);
	out = run("head -c 200000 %s | od -A n -c | tr -d ' \\n' | "
	    "grep -c sidx", res.path);
	tap_ok(atoi(out) == 1, "a global sidx near the start");
	free(out);
	snprintf(part, sizeof part, "%.*s.json", (int)strlen(res.path) - 4,
	    res.path);
	side = json_load_file(part, 0, &jerr);
	tap_ok(side != NULL, "the sidecar is JSON");
	if (side != NULL) {
		out = run("sha256sum %s | cut -c1-64", res.path);
		tap_ok(strncmp(out, json_string_value(json_object_get(side,
		    "sha256")), 64) == 0, "its sha256 is the file's");
		free(out);
		tap_ok(json_integer_value(json_object_get(side, "frames")) ==
		    180, "sidecar: frames");
		tap_ok(json_is_false(json_object_get(side, "recovered")),
		    "sidecar: not recovered");
		json_decref(side);
	}
	/* finalizing again (a recovery of a renamed file) changes nothing */
	{
		struct vg_mp4_info info;
		char *before = run("sha256sum < %s", res.path), *after;

		tap_ok(vg_mp4_finalize(res.path, &info, NULL) == 0 &&
		    info.indexed && info.frames == 180,
		    "finalizing twice keeps the index");
		after = run("sha256sum < %s", res.path);
		tap_ok(strcmp(before, after) == 0, "and the same bytes");
		free(before);
		free(after);
	}
	vg_seg_result_clear(&res);

	/* a crash: the .part cut in the middle of the last fragment */
	snprintf(crash, sizeof crash, "%s/crash", dir);
	if (record(in, &res, &frames, crash, 100) != 0)
		return tap_done();
	out = run("ls %s/*.mp4.part", crash);
	if ((p = strchr(out, '\n')) != NULL)
		*p = '\0';
	snprintf(part, sizeof part, "%.*s.json.part", (int)strlen(out) - 9,
	    out);
	{
		char cmd[1400];

		snprintf(cmd, sizeof cmd, "mv %s/cam.json.part.tmp %s", crash,
		    part);
		if (system(cmd) != 0)
			return 1;
	}
	tap_ok(vg_seg_recover(out, NULL, &rec, NULL) == 0,
	    "recover the torn .part");
	free(out);
	tap_ok(rec.frames == 174,
	    "only the torn last fragment (under half a second) is gone");
	printf("# recovered %lld of 180 frames, %.3f s\n",
	    (long long)rec.frames, rec.duration_us / 1e6);
	out = run("ffprobe -v error -count_packets -select_streams v "
	    "-show_entries stream=nb_read_packets -of csv=p=0 %s 2>&1",
	    rec.path);
	tap_ok(atoll(out) == rec.frames, "ffprobe reads the recovered file "
	    "cleanly");
	free(out);
	snprintf(part, sizeof part, "%.*s.json", (int)strlen(rec.path) - 4,
	    rec.path);
	side = json_load_file(part, 0, &jerr);
	tap_ok(side != NULL && json_is_true(json_object_get(side,
	    "recovered")), "sidecar: recovered");
	json_decref(side);
	vg_seg_result_clear(&rec);
	vg_seg_result_clear(&res);

	/* AAC audio is copied beside the video */
	snprintf(in, sizeof in, "%s/av.mkv", dir);
	out = run("ffmpeg -v error -f lavfi -i testsrc2=size=320x240:rate=15 "
	    "-f lavfi -i sine=frequency=440:sample_rate=16000 -t 12 -c:v "
	    "libx264 -g 30 -bf 0 -pix_fmt yuv420p -c:a aac -b:a 32k %s 2>&1",
	    in);
	free(out);
	if (record(in, &res, &frames, NULL, 0) != 0)
		return tap_done();
	out = run("ffprobe -v error -show_entries stream=codec_name,duration "
	    "-of csv=p=0 %s 2>&1", res.path);
	tap_ok(strstr(out, "h264") != NULL && strstr(out, "aac") != NULL,
	    "video and AAC audio, copied");
	printf("# %s", out);
	free(out);
	out = run("ffprobe -v error -count_packets -select_streams v "
	    "-show_entries stream=nb_read_packets -of csv=p=0 %s 2>&1",
	    res.path);
	tap_ok(atoi(out) == 180 && res.frames == 180,
	    "with audio: 180 frames, no ffprobe error");
	free(out);
	snprintf(part, sizeof part, "%.*s.json", (int)strlen(res.path) - 4,
	    res.path);
	side = json_load_file(part, 0, &jerr);
	tap_ok(side != NULL && strcmp(json_string_value(json_object_get(
	    json_object_get(side, "audio"), "codec")), "aac") == 0,
	    "the sidecar names the audio");
	json_decref(side);
	vg_seg_result_clear(&res);

	/* G.711 audio transcoded to AAC */
	{
		struct vg_source_opts so = { .timeout_ms = 5000 };
		struct vg_source *src;
		struct vg_atx *atx = NULL;
		struct vg_seg *sg = NULL;
		struct vg_seg_stream st[2];
		struct vg_seg_meta meta = { .site = "test", .camera = "g711",
		    .mode = "continuous", .segment_s = 10 };
		enum vg_source_fail why;
		AVPacket *pkt = av_packet_alloc(), *ap = av_packet_alloc();
		int64_t t0 = AV_NOPTS_VALUE, t;
		char *cause = NULL;
		bool enospc;

		snprintf(in, sizeof in, "%s/g711.mkv", dir);
		out = run("ffmpeg -v error -f lavfi -i testsrc2=size=320x240:"
		    "rate=15 -f lavfi -i sine=frequency=440:sample_rate=8000 "
		    "-t 12 -c:v libx264 -g 30 -bf 0 -pix_fmt yuv420p -c:a "
		    "pcm_mulaw -ar 8000 -ac 1 %s 2>&1", in);
		free(out);
		so.url = in;
		if (!tap_ok(vg_source_open(&so, &src, &why, &cause) == 0 &&
		    vg_source_nstreams(src) == 2 &&
		    vg_source_stream(src, 1)->par->codec_id ==
		    AV_CODEC_ID_PCM_MULAW, "a PCMU input"))
			return tap_done();
		tap_ok(vg_atx_open(vg_source_stream(src, 1)->par,
		    vg_source_stream(src, 1)->time_base, &atx, &cause) == 0,
		    "a G.711 to AAC transcoder");
		st[0].par = vg_source_stream(src, 0)->par;
		st[0].time_base = vg_source_stream(src, 0)->time_base;
		st[1].par = vg_atx_par(atx);
		st[1].time_base = vg_source_stream(src, 1)->time_base;
		if (vg_seg_open(dir, &meta, 1765000000000000LL, false, st, 2,
		    &sg, &cause) != 0)
			return tap_done();
		while (vg_source_read(src, pkt, &why, NULL) == 0) {
			int i = pkt->stream_index;

			if (i == 1) {
				vg_atx_push(atx, pkt);
				av_packet_unref(pkt);
				while (vg_atx_pull(atx, ap) == 0) {
					t = av_rescale_q(ap->dts, st[1].time_base,
					    AV_TIME_BASE_Q) - t0;
					ap->stream_index = 1;
					if (t0 != AV_NOPTS_VALUE && t >= 0)
						vg_seg_write(sg, ap, t, &enospc,
						    NULL);
					av_packet_unref(ap);
				}
				continue;
			}
			if (t0 == AV_NOPTS_VALUE)
				t0 = av_rescale_q(pkt->dts, st[0].time_base,
				    AV_TIME_BASE_Q);
			t = av_rescale_q(pkt->dts, st[0].time_base,
			    AV_TIME_BASE_Q) - t0;
			vg_seg_write(sg, pkt, t, &enospc, NULL);
			av_packet_unref(pkt);
		}
		tap_ok(vg_seg_close(sg, NULL, &res, &cause) == 0,
		    "close the segment with transcoded audio");
		vg_atx_free(atx);
		vg_source_close(src);
		av_packet_free(&pkt);
		av_packet_free(&ap);
		out = run("ffprobe -v error -select_streams a -show_entries "
		    "stream=codec_name,sample_rate,duration -of csv=p=0 %s "
		    "2>&1", res.path);
		printf("# audio: %s", out);
		tap_ok(strncmp(out, "aac,8000,", 9) == 0 && atof(out + 9) >
		    11.5 && atof(out + 9) < 12.2,
		    "ffprobe: AAC at 8 kHz, 12 s, no error");
		free(out);
		vg_seg_result_clear(&res);
	}
	{
		char cmd[300];

		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			return 1;
	}
	return tap_done();
}
