/* test-ls.c - Label Studio pieces that need no server: the token's
 * scheme, templates, segment keys, the CORS JSON, and the dataset merge's
 * keyframe expansion and annotation choice.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "tap.h"
#include "libvigia.h"
#include "ls.h"
#include "spool.h"

/* A JWT (unsigned: the client never checks signatures) with claims. */
static char *
jwt(const char *claims)
{
	unsigned char out[1024];
	char *s, *p;
	int n = EVP_EncodeBlock(out, (const unsigned char *)claims,
	    (int)strlen(claims));

	while (n > 0 && out[n - 1] == '=')
		n--;
	out[n] = '\0';
	for (p = (char *)out; *p; p++)
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
	xasprintf(&s, "eyJhbGciOiJIUzI1NiJ9.%s.c2ln", out);
	return s;
}

static int
scheme_of(const char *token, char **cause)
{
	struct vg_ls_opts o = { "http://127.0.0.1:9", token,
	    VG_LS_TOKEN_AUTO, false, 1000 };
	struct vg_ls *ls = NULL;
	int r;

	if (vg_ls_new(&o, &ls, cause) != 0)
		return -1;
	r = (int)vg_ls_scheme(ls);
	vg_ls_free(ls);
	return r;
}

static void
test_scheme(void)
{
	char claims[128], *t, *cause = NULL;

	tap_ok(scheme_of("0123456789abcdef0123456789abcdef01234567", NULL) ==
	    VG_LS_TOKEN_LEGACY, "40 hex: a legacy key");
	snprintf(claims, sizeof claims, "{\"token_type\":\"refresh\","
	    "\"exp\":%lld,\"user_id\":1}", (long long)time(NULL) + 3600);
	t = jwt(claims);
	tap_ok(scheme_of(t, NULL) == VG_LS_TOKEN_PAT, "a JWT with exp: a PAT");
	free(t);
	t = jwt("{\"token_type\":\"refresh\",\"exp\":1000}");
	tap_ok(scheme_of(t, &cause) == -1 && cause != NULL &&
	    strstr(cause, "has expired") != NULL, "an expired PAT: refused "
	    "before any call");
	free(cause);
	free(t);
	t = jwt("{\"user_id\":1}");
	tap_ok(scheme_of(t, NULL) == VG_LS_TOKEN_LEGACY,
	    "a JWT without exp: sent as a legacy key (as the SDK does)");
	free(t);
	tap_ok(scheme_of("a.b.c", NULL) == VG_LS_TOKEN_LEGACY,
	    "three dots of garbage: legacy");
	cause = NULL;
	{
		struct vg_ls_opts o = { "ftp://x", "k", VG_LS_TOKEN_AUTO,
		    false, 0 };
		struct vg_ls *ls = NULL;

		tap_ok(vg_ls_new(&o, &ls, &cause) == VG_ERR_CONFIG &&
		    ls == NULL && strstr(cause, "ftp://x") != NULL,
		    "a URL that is not http(s): refused, named");
		free(cause);
	}
}

static void
test_templates(void)
{
	const char *labels[] = { "a<b", "c\"d" };
	char *x = NULL, *cause = NULL;

	tap_ok(vg_ls_render_config("video-tracking", 29.97, NULL, 0, &x,
	    NULL) == 0 && strstr(x, "frameRate=\"29.97\"") &&
	    strstr(x, "<Label value=\"person\"") && strncmp(x, "<View>", 6) ==
	    0, "29.97 fps, the template's labels, no leading comment");
	free(x);
	tap_ok(vg_ls_render_config("video-timeline", 25, labels, 2, &x,
	    NULL) == 0 && strstr(x, "frameRate=\"25\"") &&
	    strstr(x, "value=\"a&lt;b\"") && strstr(x, "value=\"c&quot;d\"") &&
	    strstr(x, "<TimelineLabels"), "25 fps, labels escaped");
	free(x);
	tap_ok(vg_ls_render_config("no-such-template", 25, NULL, 0, &x,
	    &cause) == VG_ERR_NOTFOUND && x == NULL &&
	    strstr(cause, "no-such-template.xml") != NULL,
	    "a missing template: named");
	free(cause);
}

static void
test_key_cors(void)
{
	struct vg_spool_segment s;
	char *k, *c;

	memset(&s, 0, sizeof s);
	s.site = (char *)"site-a";
	s.camera = (char *)"cam 7";
	s.start_us = 1796529600123456LL;
	k = vg_ls_segment_key(&s);
	tap_ok(strcmp(k, "site-a/cam 7/2026-12-06T04:00:00.123Z") == 0,
	    "segment key: site/camera/UTC start with milliseconds");
	free(k);
	c = vg_ls_cors_json("https://ls.example.com");
	tap_ok(c != NULL && strstr(c, "\"CORSRules\"") &&
	    strstr(c, "\"https://ls.example.com\"") && strstr(c, "\"Range\"") &&
	    strstr(c, "\"Content-Range\""), "the CORS JSON");
	free(c);
}

/* Merge one task's annotations; the segment JSON back. */
static json_t *
merge(const char *dir, const char *task)
{
	struct vg_dataset_opts o = { 0, dir, 100, 100 };
	struct vg_dataset_stats st;
	json_t *ex = json_loads(task, 0, NULL), *seg;
	char path[512], *cause = NULL;

	if (ex == NULL || vg_dataset_merge(ex, &o, &st, &cause) != 0) {
		printf("# merge: %s\n", cause ? cause : "bad JSON");
		free(cause);
		json_decref(ex);
		return NULL;
	}
	json_decref(ex);
	snprintf(path, sizeof path, "%s/segments/k.json", dir);
	seg = json_load_file(path, 0, NULL);
	return seg;
}

/* "frame:x" of every frame of track i, space-separated. */
static char *
frames(json_t *seg, size_t i)
{
	json_t *f;
	size_t j;
	char *s = xstrdup(""), *t;

	json_array_foreach(json_object_get(json_array_get(json_object_get(seg,
	    "tracks"), i), "frames"), j, f) {
		xasprintf(&t, "%s%s%lld:%g", s, *s ? " " : "",
		    (long long)json_integer_value(json_object_get(f, "frame")),
		    json_number_value(json_object_get(f, "x_pct")));
		free(s);
		s = t;
	}
	return s;
}

static void
test_merge(const char *dir)
{
	json_t *seg;
	char *f;

	/* no framesCount: the last keyframe holds only itself; enabled
	 * missing means true; a duplicate frame is kept once; rotation
	 * interpolates */
	seg = merge(dir, "[{\"id\":1,\"data\":{\"segment_key\":\"k\",\"fps\":"
	    "10},\"annotations\":[{\"id\":5,\"updated_at\":\"2026\",\"result\":"
	    "[{\"id\":\"r\",\"type\":\"videorectangle\",\"value\":{\"sequence\":"
	    "[{\"frame\":3,\"x\":30,\"y\":0,\"width\":1,\"height\":1,"
	    "\"rotation\":90},{\"frame\":1,\"x\":10,\"y\":0,\"width\":1,"
	    "\"height\":1,\"rotation\":0},{\"frame\":3,\"x\":99,\"y\":0,"
	    "\"width\":1,\"height\":1}]}}]}]}]");
	f = seg ? frames(seg, 0) : NULL;
	tap_ok(f && strcmp(f, "1:10 2:20 3:30") == 0,
	    "no framesCount: interpolated to the last keyframe, which ends it");
	tap_ok(seg && json_real_value(json_object_get(json_array_get(
	    json_object_get(json_array_get(json_object_get(seg, "tracks"), 0),
	    "frames"), 1), "rotation")) == 45, "rotation interpolates");
	tap_ok(seg && json_is_null(json_object_get(json_array_get(
	    json_object_get(seg, "tracks"), 0), "label")),
	    "no Labels: the label is null");
	free(f);
	json_decref(seg);
	/* keyframes past framesCount are dropped; the box holds to the end */
	seg = merge(dir, "[{\"id\":1,\"data\":{\"segment_key\":\"k\",\"fps\":"
	    "10},\"annotations\":[{\"id\":5,\"updated_at\":\"2026\",\"result\":"
	    "[{\"id\":\"r\",\"type\":\"videorectangle\",\"value\":{\"framesCount\":"
	    "4,\"labels\":[\"p\"],\"sequence\":[{\"frame\":2,\"x\":5,\"y\":0,"
	    "\"width\":1,\"height\":1,\"enabled\":true},{\"frame\":9,\"x\":50,"
	    "\"y\":0,\"width\":1,\"height\":1,\"enabled\":true}]}}]}]}]");
	f = seg ? frames(seg, 0) : NULL;
	tap_ok(f && strcmp(f, "2:5 3:11.4286 4:17.8571") == 0,
	    "frames past framesCount are not emitted (interpolation toward "
	    "the later keyframe stops at the end)");
	free(f);
	json_decref(seg);
	/* ground truth wins over a newer annotation; cancelled ones never */
	seg = merge(dir, "[{\"id\":1,\"data\":{\"segment_key\":\"k\"},"
	    "\"annotations\":[{\"id\":5,\"updated_at\":\"2026-01-02\","
	    "\"result\":[{\"id\":\"c\",\"type\":\"choices\",\"from_name\":\"s\","
	    "\"value\":{\"choices\":[\"new\"]}}]},{\"id\":4,\"ground_truth\":"
	    "true,\"updated_at\":\"2026-01-01\",\"result\":[{\"id\":\"c\","
	    "\"type\":\"choices\",\"from_name\":\"s\",\"value\":{\"choices\":"
	    "[\"truth\"]}}]},{\"id\":6,\"was_cancelled\":true,\"ground_truth\":"
	    "true,\"updated_at\":\"2027\",\"result\":[]}]}]");
	tap_ok(seg && json_integer_value(json_object_get(seg,
	    "annotation_id")) == 4, "the ground truth wins, a cancelled one "
	    "never");
	json_decref(seg);
	/* two tasks for one segment (a duplicate made elsewhere): one
	 * file, the latest annotation, and a rerun writes nothing */
	{
		const char *dup = "[{\"id\":1,\"data\":{\"segment_key\":"
		    "\"k\"},\"annotations\":[{\"id\":7,\"updated_at\":\"2026-02\","
		    "\"result\":[]}]},{\"id\":2,\"data\":{\"segment_key\":\"k\"},"
		    "\"annotations\":[{\"id\":8,\"updated_at\":\"2026-01\","
		    "\"result\":[]}]}]";
		struct vg_dataset_opts o = { 0, dir, 100, 100 };
		struct vg_dataset_stats st;
		json_t *ex = json_loads(dup, 0, NULL);

		seg = merge(dir, dup);
		tap_ok(seg && json_integer_value(json_object_get(seg,
		    "annotation_id")) == 7, "a duplicated segment: the latest "
		    "annotation");
		json_decref(seg);
		tap_ok(vg_dataset_merge(ex, &o, &st, NULL) == 0 &&
		    st.written == 0 && st.segments == 1, "... and a rerun "
		    "writes nothing");
		json_decref(ex);
	}
	tap_ok(merge(dir, "{\"not\":\"an array\"}") == NULL,
	    "an export that is not an array: refused");
}

int
main(void)
{
	char dir[] = "/tmp/vigia-test-ls.XXXXXX";

	vg_init();
	setenv("VIGIA_LABEL_CONFIG_DIR", SRCDIR "/data/label-configs", 1);
	test_scheme();
	test_templates();
	test_key_cors();
	if (mkdtemp(dir) != NULL) {
		test_merge(dir);
		if (fork() == 0) {
			execlp("rm", "rm", "-rf", dir, (char *)NULL);
			_exit(127);
		}
	}
	return tap_done();
}
