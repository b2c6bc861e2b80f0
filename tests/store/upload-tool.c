/* tests/store/upload-tool.c - drives the storage targets and the uploader
 * engine for the shell tests (the daemon is not needed):
 *   upload-tool put CONF STORAGE FILE KEY     one upload, no journal
 *   upload-tool get CONF STORAGE KEY OUT      read an object back
 *   upload-tool del CONF STORAGE KEY
 *   upload-tool add CONF FILE CAMERA START_S [SIDECAR]
 *                                             journal a segment (as the
 *                                             recorder does) in vigiad.spool_dir
 *   upload-tool run CONF SECONDS              run the uploader until the
 *                                             backlog is empty (exit 0) or
 *                                             SECONDS pass (exit 2); prints
 *                                             its status JSON
 *   upload-tool show CONF FILE                the journal row of FILE
 *   upload-tool key TEMPLATE SITE CAMERA START_S
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "libvigia.h"
#include "spool.h"
#include "store.h"

static struct vg_config *
load(const char *path)
{
	struct vg_config *cfg = NULL;
	struct vg_diags d = { 0 };

	if (vg_config_load(path, &cfg, &d) != 0) {
		for (size_t i = 0; i < d.n; i++) {
			char *s = vg_diag_format(&d.v[i]);

			fprintf(stderr, "%s\n", s);
			free(s);
		}
		exit(3);
	}
	vg_diags_free(&d);
	return cfg;
}

static struct vg_store *
open_store(struct vg_config *cfg, const char *name)
{
	const struct vg_storage *s = vg_config_find_storage(cfg, name);
	struct vg_store *st = NULL;
	char *cause = NULL;

	if (s == NULL) {
		fprintf(stderr, "no storage %s\n", name);
		exit(3);
	}
	if (vg_store_open(s, &st, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		exit(3);
	}
	return st;
}

static int
report(int err, struct vg_store_err *e)
{
	if (err == 0)
		return 0;
	printf("error %s %s: %s\n", e->cls ? e->cls : "?",
	    e->permanent ? "permanent" : "transient", e->msg ? e->msg : "");
	return 1;
}

static void
sha256_file(const char *path, char hex[65], int64_t *bytes)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned char buf[65536], md[32];
	unsigned int n;
	ssize_t r;
	int fd = open(path, O_RDONLY);

	*bytes = 0;
	if (fd == -1) {
		perror(path);
		exit(3);
	}
	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	while ((r = read(fd, buf, sizeof buf)) > 0) {
		EVP_DigestUpdate(c, buf, (size_t)r);
		*bytes += r;
	}
	EVP_DigestFinal_ex(c, md, &n);
	EVP_MD_CTX_free(c);
	close(fd);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

static struct vg_spool *
open_spool(struct vg_config *cfg)
{
	struct vg_spool *sp = NULL;
	char *cause = NULL;

	if (vg_spool_open(cfg->vigiad.spool_dir, &sp, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		exit(3);
	}
	return sp;
}

static const char *const ups[] = { "ready", "uploading", "stored", "failed" };

int
main(int argc, char **argv)
{
	struct vg_config *cfg;
	struct vg_store_err e = { 0 };
	int rc = 0;

	vg_init();
	if (getenv("UPLOAD_TOOL_LOG") != NULL) {
		vg_log_set_level(VG_LOG_DEBUG);
		vg_log_open_stderr(0);
	}
	if (argc >= 3 && strcmp(argv[1], "key") == 0 && argc == 6) {
		char *k = vg_store_key(argv[2], argv[3], argv[4],
		    strtoll(argv[5], NULL, 10) * 1000000,
		    (strtoll(argv[5], NULL, 10) + 10) * 1000000), *s;

		s = vg_store_sidecar_key(k);
		printf("%s %s\n", k, s);
		free(k);
		free(s);
		return 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: see the source\n");
		return 3;
	}
	cfg = load(argv[2]);
	if (strcmp(argv[1], "put") == 0 && argc == 6) {
		struct vg_store *st = open_store(cfg, argv[3]);
		struct vg_store_put p = { .path = argv[4], .key = argv[5] };
		struct vg_store_result r;

		rc = report(st->ops->put(st, &p, &r, &e), &e);
		if (rc == 0)
			printf("ok etag=%s bytes=%" PRId64 " sent=%" PRId64
			    " multipart=%d\n", r.etag, r.bytes, r.sent,
			    r.multipart);
		vg_store_free(st);
	} else if (strcmp(argv[1], "get") == 0 && argc == 6) {
		struct vg_store *st = open_store(cfg, argv[3]);

		rc = report(st->ops->get(st, argv[4], argv[5], &e), &e);
		vg_store_free(st);
	} else if (strcmp(argv[1], "del") == 0 && argc == 5) {
		struct vg_store *st = open_store(cfg, argv[3]);

		rc = report(st->ops->del(st, argv[4], &e), &e);
		vg_store_free(st);
	} else if (strcmp(argv[1], "add") == 0 && (argc == 6 || argc == 7)) {
		struct vg_spool *sp = open_spool(cfg);
		struct vg_spool_segment s = { 0 };
		int64_t id, start = strtoll(argv[5], NULL, 10);
		char *cause = NULL;

		s.camera = argv[4];
		s.site = cfg->site.id ? cfg->site.id : (char *)"site";
		s.path = argv[3];
		s.sidecar = argc == 7 ? argv[6] : NULL;
		s.start_us = start * 1000000;
		s.end_us = (start + 10) * 1000000;
		sha256_file(argv[3], s.sha256, &s.bytes);
		s.created_us = s.end_us;
		if (vg_spool_add(sp, &s, &id, &cause) != 0) {
			fprintf(stderr, "%s\n", cause);
			rc = 1;
		} else
			printf("%" PRId64 "\n", id);
		vg_spool_close(sp);
	} else if (strcmp(argv[1], "run") == 0 && argc == 4) {
		struct vg_spool *sp = open_spool(cfg);
		char *cause = NULL, *js;
		struct vg_uploader *up;
		json_t *o;

		if (getenv("UPLOAD_TOOL_LOG") == NULL)
			vg_log_open_stderr(0);
		if ((up = vg_uploader_start(cfg, sp, &cause)) == NULL) {
			fprintf(stderr, "%s\n", cause);
			return 3;
		}
		o = json_object();
		rc = vg_uploader_wait_idle(up, strtoll(argv[3], NULL, 10) *
		    1000) ? 0 : 2;
		vg_uploader_status(up, o);
		js = json_dumps(o, JSON_SORT_KEYS);
		printf("%s\n", js);
		free(js);
		json_decref(o);
		vg_uploader_stop(up);
		vg_spool_close(sp);
	} else if (strcmp(argv[1], "show") == 0 && argc == 4) {
		struct vg_spool *sp = open_spool(cfg);
		struct vg_spool_segment s = { 0 };
		char *cause = NULL;

		if (vg_spool_get_path(sp, argv[3], &s, &cause) != 0) {
			fprintf(stderr, "%s\n", cause);
			rc = 1;
		} else
			printf("up=%s key=%s etag=%s attempts=%d sidecar=%d "
			    "upload_id=%s task=%d class=%s error=%s\n",
			    ups[s.up], s.object_key ? s.object_key : "-",
			    s.etag ? s.etag : "-", s.up_attempts,
			    s.sidecar_stored, s.upload_id ? s.upload_id : "-",
			    (int)s.task, s.up_class ? s.up_class : "-",
			    s.up_error ? s.up_error : "-");
		vg_spool_segment_clear(&s);
		vg_spool_close(sp);
	} else {
		fprintf(stderr, "usage: see the source\n");
		rc = 3;
	}
	vg_store_err_clear(&e);
	vg_config_free(cfg);
	return rc;
}
