/* ls-tool.c - drive the Label Studio client from the shell tests.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ls-tool URL TOKEN COMMAND [ARG]...   (TOKEN "-": read $LS_TOKEN)
 *   whoami [N [SLEEP_MS]]  N times: "scheme who refreshes"
 *   version | health
 *   call METHOD PATH [QUERY [BODY]]    prints the status and the reply
 *   validate XMLFILE [PROJECT]
 *   ensure ID TITLE TEMPLATE FPS [LABEL]...   (ID 0: by title)
 *   lookup PROJECT KEY
 *   storage PROJECT BUCKET
 * ls-tool - - render TEMPLATE FPS [LABEL]...   (no server)
 * ls-tool - - presign ENDPOINT BUCKET KEY       (path style, test keys)
 * Errors: the cause on stdout as "error: ...", exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libvigia.h"
#include "ls.h"
#include "store-sigv4.h"

static int
fail(char *cause)
{
	printf("error: %s\n", cause ? cause : "?");
	free(cause);
	return 1;
}

int
main(int argc, char **argv)
{
	struct vg_ls_opts o;
	struct vg_ls *ls = NULL;
	const char *cmd;
	char *cause = NULL, *s = NULL;
	int err, rc = 0;

	vg_init();
	if (getenv("LS_TOOL_DEBUG"))
		vg_log_open_stderr(0), vg_log_set_level(VG_LOG_DEBUG);
	if (argc < 4) {
		fprintf(stderr, "usage: ls-tool URL TOKEN COMMAND [ARG]...\n");
		return 2;
	}
	cmd = argv[3];
	if (strcmp(cmd, "presign") == 0 && argc >= 7) {
		/* presign ENDPOINT BUCKET KEY: path style, test keys */
		struct vg_s3_presign p;

		memset(&p, 0, sizeof p);
		p.endpoint = argv[4];
		p.bucket = argv[5];
		p.key = argv[6];
		p.region = "us-east-1";
		p.access_key = "AKIAVIGIATEST";
		p.secret_key = "vigia-test-secret";
		p.expires = 3600;
		p.when = time(NULL);
		if (vg_s3_presign(&p, &s, &cause) != 0)
			return fail(cause);
		printf("%s\n", s);
		free(s);
		return 0;
	}
	if (strcmp(cmd, "render") == 0) {
		if (argc < 6)
			return 2;
		err = vg_ls_render_config(argv[4], atof(argv[5]),
		    (const char *const *)argv + 6, (size_t)(argc - 6), &s,
		    &cause);
		if (err != 0)
			return fail(cause);
		printf("%s", s);
		free(s);
		return 0;
	}
	memset(&o, 0, sizeof o);
	o.url = argv[1];
	o.token = strcmp(argv[2], "-") == 0 ? getenv("LS_TOKEN") : argv[2];
	if (getenv("LS_TOOL_SCHEME"))
		o.token_type = strcmp(getenv("LS_TOOL_SCHEME"), "pat") == 0 ?
		    VG_LS_TOKEN_PAT : VG_LS_TOKEN_LEGACY;
	if ((err = vg_ls_new(&o, &ls, &cause)) != 0)
		return fail(cause);
	if (strcmp(cmd, "whoami") == 0) {
		int i, n = argc > 4 ? atoi(argv[4]) : 1;
		int ms = argc > 5 ? atoi(argv[5]) : 0;

		for (i = 0; i < n && rc == 0; i++) {
			struct timespec ts = { ms / 1000,
			    (ms % 1000) * 1000000L };

			if (i > 0)
				nanosleep(&ts, NULL);
			if (vg_ls_whoami(ls, &s, &cause) != 0)
				rc = fail(cause);
			else
				printf("%s %s refreshes=%d\n",
				    vg_ls_scheme(ls) == VG_LS_TOKEN_PAT ?
				    "pat" : "legacy", s, vg_ls_refreshes(ls));
			free(s);
			s = NULL;
		}
	} else if (strcmp(cmd, "version") == 0) {
		if (vg_ls_version(ls, &s, &cause) != 0)
			rc = fail(cause);
		else
			printf("release %s\n", s);
	} else if (strcmp(cmd, "health") == 0) {
		if (vg_ls_health(ls, &cause) != 0)
			rc = fail(cause);
		else
			printf("up\n");
	} else if (strcmp(cmd, "call") == 0 && argc >= 6) {
		json_t *b = NULL, *r = NULL;
		long st = 0;

		if (argc > 7)
			b = json_loads(argv[7], JSON_DECODE_ANY, NULL);
		err = vg_ls_call(ls, argv[4], argv[5],
		    argc > 6 && *argv[6] ? argv[6] : NULL, b, &r, &st, &cause);
		json_decref(b);
		printf("status %ld\n", st);
		if (err != 0)
			rc = fail(cause);
		else {
			s = r ? json_dumps(r, JSON_COMPACT | JSON_ENCODE_ANY) :
			    NULL;
			printf("%s\n", s ? s : "(empty)");
		}
		json_decref(r);
	} else if (strcmp(cmd, "validate") == 0 && argc >= 5) {
		FILE *f = fopen(argv[4], "r");
		char buf[65536];
		size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;

		if (f)
			fclose(f);
		buf[n] = '\0';
		if (vg_ls_config_validate(ls, argc > 5 ? atoi(argv[5]) : 0, buf,
		    &cause) != 0)
			rc = fail(cause);
		else
			printf("valid\n");
	} else if (strcmp(cmd, "ensure") == 0 && argc >= 8) {
		int id = 0;
		bool created = false;

		if (vg_ls_render_config(argv[6], atof(argv[7]),
		    (const char *const *)argv + 8, (size_t)(argc - 8), &s,
		    &cause) != 0 ||
		    vg_ls_project_ensure(ls, atoi(argv[4]), argv[5], s,
		    getenv("LS_TOOL_KEEP_CONFIG") == NULL, &id, &created,
		    &cause) != 0)
			rc = fail(cause);
		else
			printf("project %d%s\n", id, created ? " created" : "");
	} else if (strcmp(cmd, "lookup") == 0 && argc >= 6) {
		int64_t id = 0;

		if (vg_ls_task_lookup(ls, atoi(argv[4]), argv[5], &id,
		    &cause) != 0)
			rc = fail(cause);
		else
			printf("task %lld\n", (long long)id);
	} else if (strcmp(cmd, "storage") == 0 && argc >= 6) {
		struct vg_ls_s3 s3;
		int id = 0;

		memset(&s3, 0, sizeof s3);
		s3.bucket = argv[5];
		s3.region = "us-east-1";
		s3.endpoint = "http://127.0.0.1:1";
		s3.access_key = "AKIDEXAMPLE";
		s3.secret_key = "secret-never-shown";
		s3.presign_ttl_s = 86400;
		if (vg_ls_storage_ensure(ls, atoi(argv[4]), &s3, &id,
		    &cause) != 0)
			rc = fail(cause);
		else
			printf("storage %d\n", id);
	} else {
		fprintf(stderr, "ls-tool: unknown command %s\n", cmd);
		rc = 2;
	}
	free(s);
	vg_ls_free(ls);
	return rc;
}
