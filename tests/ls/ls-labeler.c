/* ls-labeler.c - run the labeler engine without the daemon (tests).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ls-labeler SPOOLDIR URL TOKEN N WAIT_S [OPTION]...
 *   Journals N stored segments (cameras cam-0 and cam-1, 10 s apart; a
 *   camera named "bad-cam" for the segment numbered by --bad I) as the
 *   recorder and the uploader would (vg_spool_add, then up_claim, up_key
 *   and up_stored with want_task), unless they are journaled already;
 *   then runs the labeler until no task is pending or unknown, or WAIT_S
 *   seconds passed.  Prints "created C failed F pending P" and the
 *   engine's status JSON.  Exit 0 when nothing is left pending.
 *   --title T (project title, "vigia test"), --project ID, --s3 (video as
 *   s3://), --template NAME, --bad I.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libvigia.h"
#include "ls.h"
#include "spool.h"

static void
fill(struct vg_spool *sp, const char *dir, int n, int bad)
{
	int64_t base = 1796529600;	/* 2026-12-06T04:00:00Z */
	int i;

	for (i = 0; i < n; i++) {
		struct vg_spool_segment s;
		char path[512], side[512], cam[32];
		int64_t id;

		snprintf(cam, sizeof cam, i == bad ? "bad-cam" : "cam-%d",
		    i % 2);
		snprintf(path, sizeof path, "%s/%s-%03d.mp4", dir, cam, i);
		snprintf(side, sizeof side, "%s/%s-%03d.json", dir, cam, i);
		if (vg_spool_has_path(sp, path))
			continue;
		memset(&s, 0, sizeof s);
		s.camera = cam;
		s.site = (char *)"site-a";
		s.path = path;
		s.sidecar = side;
		s.start_us = (base + i * 10) * 1000000;
		s.end_us = s.start_us + 10000000;
		s.bytes = 1000 + i;
		memset(s.sha256, 'a' + i % 6, 64);
		s.fps = 12.5;
		s.frames = 125;
		s.created_us = s.end_us;
		{
			FILE *f = fopen(side, "w");

			if (f != NULL) {
				fprintf(f, "{\"motion\": [{\"start_s\": 1.5, "
				    "\"end_s\": 4.0}]}\n");
				fclose(f);
			}
		}
		if (vg_spool_add(sp, &s, &id, NULL) != 0) {
			fprintf(stderr, "vg_spool_add failed\n");
			exit(1);
		}
	}
	for (;;) {
		struct vg_spool_segment s;
		char key[256], *k = NULL;

		if (vg_spool_up_claim(sp, "s3main", INT64_MAX / 2, &s, NULL)
		    != 0)
			break;
		snprintf(key, sizeof key, "site-a/%s/%lld.mp4", s.camera,
		    (long long)(s.start_us / 1000000));
		vg_spool_up_key(sp, s.id, key, &k, NULL);
		vg_spool_up_stored(sp, s.id, "\"0123abcd\"", true, 0, NULL);
		free(k);
		vg_spool_segment_clear(&s);
	}
}

int
main(int argc, char **argv)
{
	struct vg_config *cfg;
	struct vg_storage *st;
	struct vg_spool *sp;
	struct vg_labeler *lb;
	struct vg_spool_stats ss;
	char *cause = NULL, *dump;
	const char *title = "vigia test", *template = "video-tracking";
	int i, n, wait_s, bad = -1, project = 0;
	bool s3 = false;
	json_t *o;
	time_t t0;

	vg_init();
	if (getenv("LS_TOOL_DEBUG")) {
		vg_log_open_stderr(VG_LOG_TIMESTAMP);
		vg_log_set_level(VG_LOG_DEBUG);
	}
	if (argc < 6) {
		fprintf(stderr, "usage: ls-labeler SPOOLDIR URL TOKEN N "
		    "WAIT_S [OPTION]...\n");
		return 2;
	}
	n = atoi(argv[4]);
	wait_s = atoi(argv[5]);
	for (i = 6; i < argc; i++) {
		if (strcmp(argv[i], "--title") == 0 && i + 1 < argc)
			title = argv[++i];
		else if (strcmp(argv[i], "--project") == 0 && i + 1 < argc)
			project = atoi(argv[++i]);
		else if (strcmp(argv[i], "--template") == 0 && i + 1 < argc)
			template = argv[++i];
		else if (strcmp(argv[i], "--bad") == 0 && i + 1 < argc)
			bad = atoi(argv[++i]);
		else if (strcmp(argv[i], "--s3") == 0)
			s3 = true;
		else {
			fprintf(stderr, "ls-labeler: unknown option %s\n",
			    argv[i]);
			return 2;
		}
	}
	if (vg_spool_open(argv[1], &sp, &cause) != 0) {
		fprintf(stderr, "spool: %s\n", cause);
		return 1;
	}
	fill(sp, argv[1], n, bad);

	cfg = vg_config_new();
	st = vg_config_add_storage(cfg, "s3main", VG_STORAGE_S3);
	st->bucket = xstrdup("segments");
	free(st->region);
	st->region = xstrdup("us-east-1");
	st->endpoint = xstrdup("http://127.0.0.1:4569");
	st->path_style = true;
	st->access_key = xstrdup("AKIAVIGIATEST");
	st->secret_key.value = xstrdup("vigia-test-secret");
	cfg->vigiad.storage = xstrdup("s3main");
	/* two cameras at 12 fps: the label config's frame rate */
	vg_config_add_camera(cfg, "cam-0")->encoder.fps = 12;
	vg_config_add_camera(cfg, "cam-1")->encoder.fps = 12;
	cfg->label_studio.enabled = true;
	cfg->label_studio.url = xstrdup(argv[2]);
	cfg->label_studio.token.value = xstrdup(argv[3]);
	cfg->label_studio.project_id = project;
	cfg->label_studio.project_title = xstrdup(title);
	free(cfg->label_studio.label_config);
	cfg->label_studio.label_config = xstrdup(template);
	cfg->label_studio.video_ref = s3 ? VG_LS_VIDEO_S3 :
	    VG_LS_VIDEO_PRESIGNED;
	cfg->label_studio.presign_ttl_s = 7 * 86400;

	if ((lb = vg_labeler_start(cfg, sp, &cause)) == NULL) {
		fprintf(stderr, "labeler: %s\n", cause);
		return 1;
	}
	vg_config_free(cfg);	/* the engine keeps its own copy */
	t0 = time(NULL);
	for (;;) {
		struct timespec ts = { 0, 100 * 1000000L };

		if (vg_spool_stats(sp, &ss, NULL) == 0 && ss.tasks_pending == 0)
			break;
		if (time(NULL) - t0 >= wait_s)
			break;
		nanosleep(&ts, NULL);
	}
	o = json_object();
	vg_labeler_status(lb, o);
	{
		time_t s0 = time(NULL);

		vg_labeler_stop(lb);
		if (time(NULL) - s0 > 5)
			printf("stop took %lld s\n", (long long)(time(NULL) -
			    s0));
	}
	vg_spool_stats(sp, &ss, NULL);
	printf("created %lld failed %lld pending %lld\n",
	    (long long)ss.tasks_created, (long long)ss.tasks_failed,
	    (long long)ss.tasks_pending);
	dump = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	printf("%s\n", dump);
	free(dump);
	json_decref(o);
	vg_spool_close(sp);
	return ss.tasks_pending == 0 ? 0 : 1;
}
