/* test-store-sigv4.c - SigV4 signing against the AWS test suite, the S3
 * documentation's examples and an independent implementation.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 1. The 31 cases of the AWS Signature Version 4 test suite (a copy in
 *    tests/fixtures/sigv4, Apache-2.0, see its LICENSE, NOTICE and
 *    PROVENANCE.txt): each NAME.req is signed in the header style and the
 *    canonical request, string to sign and Authorization value must equal
 *    NAME.creq, NAME.sts and NAME.authz byte for byte.
 * 2. The S3 API Reference's examples (examplebucket, AKIAIOSFODNN7EXAMPLE,
 *    20130524T000000Z): the presigned GET of test.txt and the header-signed
 *    GET Object (Range), PUT Object, GET Bucket lifecycle and list.
 * 3. Presigned URLs for awkward keys (spaces, '+', '=', ':', UTF-8, "//"
 *    and "./" that S3 must keep), path-style with a port, virtual-hosted
 *    with a session token: the expected URLs' signatures were made by
 *    botocore 1.43.11 (generate_presigned_url, s3v4) for the same inputs.
 * 4. Bad input: expiry out of 1..604800, empty key or bucket, invalid
 *    UTF-8, bad endpoints, virtual-hosted on an IP address, a bad region;
 *    each refused with a sentence that names it and never the secret.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store-sigv4.h"
#include "tap.h"

/* The suite's credentials and time (20150830T123600Z). */
#define SUITE_AK "AKIDEXAMPLE"
#define SUITE_SK "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define SUITE_TIME ((time_t)1440938160)

/* The S3 documentation's credentials and time (20130524T000000Z). */
#define DOC_AK "AKIAIOSFODNN7EXAMPLE"
#define DOC_SK "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define DOC_TIME ((time_t)1369353600)
#define EMPTY_SHA256 \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static const char *const suite_cases[] = {
	"get-header-key-duplicate", "get-header-value-multiline",
	"get-header-value-order", "get-header-value-trim", "get-unreserved",
	"get-utf8", "get-vanilla", "get-vanilla-empty-query-key",
	"get-vanilla-query", "get-vanilla-query-order-key",
	"get-vanilla-query-order-key-case", "get-vanilla-query-order-value",
	"get-vanilla-query-unreserved", "get-vanilla-utf8-query",
	"normalize-path/get-relative", "normalize-path/get-relative-relative",
	"normalize-path/get-slash", "normalize-path/get-slash-dot-slash",
	"normalize-path/get-slash-pointless-dot", "normalize-path/get-slashes",
	"normalize-path/get-space", "post-header-key-case",
	"post-header-key-sort", "post-header-value-case",
	"post-sts-token/post-sts-header-after",
	"post-sts-token/post-sts-header-before", "post-vanilla",
	"post-vanilla-empty-query-value", "post-vanilla-query",
	"post-x-www-form-urlencoded", "post-x-www-form-urlencoded-parameters",
};

/* The suite's directory (found through $srcdir, as automake sets it). */
static const char *
suite_dir(void)
{
	static const char *const dirs[] = { "tests/fixtures/sigv4",
	    "fixtures/sigv4", "../fixtures/sigv4", "../tests/fixtures/sigv4",
	    NULL };
	static char buf[4096];
	const char *srcdir = getenv("srcdir");
	size_t i;

	if (srcdir == NULL || *srcdir == '\0')
		srcdir = ".";
	for (i = 0; dirs[i] != NULL; i++) {
		snprintf(buf, sizeof buf, "%s/%s/LICENSE", srcdir, dirs[i]);
		if (access(buf, R_OK) == 0) {
			snprintf(buf, sizeof buf, "%s/%s", srcdir, dirs[i]);
			return buf;
		}
	}
	snprintf(buf, sizeof buf, "%s/%s", srcdir, dirs[0]);
	return buf;
}

/* The whole file, NUL-terminated (allocated); NULL if unreadable. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap * 2 + 4096;
			buf = realloc(buf, cap + 1);
			if (buf == NULL)
				abort();
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

/* Say where two strings first differ (as TAP comments). */
static void
show_diff(const char *what, const char *got, const char *want)
{
	size_t i = 0;

	if (got == NULL || want == NULL) {
		printf("# %s: got %s\n", what, got == NULL ? "NULL" : got);
		return;
	}
	while (got[i] != '\0' && got[i] == want[i])
		i++;
	printf("# %s differs at byte %zu\n# got:\n%s\n# want:\n%s\n", what, i,
	    got, want);
}

/* Check got == want byte for byte. */
static void
check_str(const char *got, const char *want, const char *name)
{
	bool ok = got != NULL && want != NULL && strcmp(got, want) == 0;

	if (!tap_ok(ok, name))
		show_diff(name, got, want);
}

/* A request parsed from the suite's NAME.req. */
struct parsed {
	char *text;		/* the file, cut in place */
	char method[16];
	char *path, *query;
	struct vg_sigv4_header h[32];
	size_t nh;
	const char *body;
	size_t body_len;
};

/*
 * Parse a suite request: "METHOD TARGET HTTP/1.1" (the target may hold a
 * space, get-space), then "Name:value" lines; a line starting with white
 * space continues the header before it, and is signed as one more value
 * of that header (the suite joins them with ','); an empty line starts the
 * body.  Returns false if the file is not like that.
 */
static bool
parse_req(char *text, size_t len, struct parsed *p)
{
	char *line = text, *nl, *sp, *ver, *colon;
	bool first = true;

	memset(p, 0, sizeof *p);
	p->text = text;
	while (line < text + len) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		if (first) {
			sp = strchr(line, ' ');
			ver = strrchr(line, ' ');
			if (sp == NULL || ver == sp ||
			    (size_t)(sp - line) >= sizeof p->method)
				return false;
			memcpy(p->method, line, (size_t)(sp - line));
			*ver = '\0';
			p->path = sp + 1;
			p->query = strchr(p->path, '?');
			if (p->query != NULL)
				*p->query++ = '\0';
			first = false;
		} else if (*line == '\0') {
			if (nl != NULL) {
				p->body = nl + 1;
				p->body_len = (size_t)(text + len - p->body);
			}
			return true;
		} else if (*line == ' ' || *line == '\t') {
			if (p->nh == 0 || p->nh >= 32)
				return false;
			p->h[p->nh].name = p->h[p->nh - 1].name;
			p->h[p->nh].value = line;
			p->nh++;
		} else {
			colon = strchr(line, ':');
			if (colon == NULL || p->nh >= 32)
				return false;
			*colon = '\0';
			p->h[p->nh].name = line;
			p->h[p->nh].value = colon + 1;
			p->nh++;
		}
		if (nl == NULL)
			break;
		line = nl + 1;
	}
	return !first;
}

/* Sign one case of the suite and compare the three results. */
static void
run_suite_case(const char *dir, const char *name)
{
	const char *base = strrchr(name, '/') != NULL ?
	    strrchr(name, '/') + 1 : name;
	struct vg_sigv4_credentials cred = { SUITE_AK, SUITE_SK, NULL,
	    "us-east-1", "service" };
	struct vg_sigv4_request req;
	struct vg_sigv4_signed sig;
	struct parsed p;
	char path[4096], label[256], *text, *creq, *sts, *authz, *cause = NULL;
	size_t len;
	int rc;

	snprintf(path, sizeof path, "%s/%s/%s.req", dir, name, base);
	text = slurp(path, &len);
	snprintf(path, sizeof path, "%s/%s/%s.creq", dir, name, base);
	creq = slurp(path, NULL);
	snprintf(path, sizeof path, "%s/%s/%s.sts", dir, name, base);
	sts = slurp(path, NULL);
	snprintf(path, sizeof path, "%s/%s/%s.authz", dir, name, base);
	authz = slurp(path, NULL);
	snprintf(label, sizeof label, "suite %s: files read and parsed",
	    name);
	if (!tap_ok(text != NULL && creq != NULL && sts != NULL &&
	    authz != NULL && parse_req(text, len, &p), label)) {
		printf("# looked in %s\n", dir);
		goto out;
	}
	memset(&req, 0, sizeof req);
	req.method = p.method;
	req.path = p.path;
	req.query = p.query;
	req.headers = p.h;
	req.n_headers = p.nh;
	req.payload = p.body;
	req.payload_len = p.body_len;
	rc = vg_sigv4_sign_header(&req, &cred, SUITE_TIME, &sig, &cause);
	snprintf(label, sizeof label, "suite %s: signs", name);
	if (!tap_ok(rc == 0, label))
		printf("# %s\n", cause != NULL ? cause : "(no cause)");
	snprintf(label, sizeof label, "suite %s: canonical request", name);
	check_str(sig.canonical_request, creq, label);
	snprintf(label, sizeof label, "suite %s: string to sign", name);
	check_str(sig.string_to_sign, sts, label);
	snprintf(label, sizeof label, "suite %s: Authorization", name);
	check_str(sig.authorization, authz, label);
	vg_sigv4_signed_clear(&sig);
out:
	free(cause);
	free(text);
	free(creq);
	free(sts);
	free(authz);
}

/* The S3 documentation's presigned URL example. */
static void
test_doc_presign(void)
{
	struct vg_sigv4_credentials cred = { DOC_AK, DOC_SK, NULL,
	    "us-east-1", "s3" };
	struct vg_sigv4_header host = { "Host",
	    "examplebucket.s3.amazonaws.com" };
	struct vg_sigv4_request req = { .method = "GET", .path = "/test.txt",
	    .headers = &host, .n_headers = 1,
	    .payload_hash = VG_SIGV4_UNSIGNED_PAYLOAD, .flags = VG_SIGV4_S3 };
	struct vg_s3_presign p = { .endpoint = "https://s3.amazonaws.com",
	    .virtual_hosted = true, .bucket = "examplebucket",
	    .key = "test.txt", .region = "us-east-1", .access_key = DOC_AK,
	    .secret_key = DOC_SK, .expires = 86400, .when = DOC_TIME };
	struct vg_sigv4_signed sig;
	char *url = NULL, *cause = NULL;

	tap_ok(vg_sigv4_sign_query(&req, &cred, DOC_TIME, 86400, &sig,
	    &cause) == 0, "doc presign: signs");
	check_str(sig.canonical_request,
	    "GET\n/test.txt\n"
	    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
	    "AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2F"
	    "aws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&"
	    "X-Amz-SignedHeaders=host\n"
	    "host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD",
	    "doc presign: canonical request");
	check_str(sig.string_to_sign,
	    "AWS4-HMAC-SHA256\n20130524T000000Z\n"
	    "20130524/us-east-1/s3/aws4_request\n"
	    "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04",
	    "doc presign: string to sign");
	check_str(sig.signature,
	    "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
	    "doc presign: signature");
	vg_sigv4_signed_clear(&sig);

	tap_ok(vg_s3_presign(&p, &url, &cause) == 0, "doc presign: URL made");
	check_str(url, "https://examplebucket.s3.amazonaws.com/test.txt?"
	    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
	    "AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2F"
	    "aws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&"
	    "X-Amz-SignedHeaders=host&X-Amz-Signature="
	    "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
	    "doc presign: the documented URL");
	free(url);
	free(cause);
}

/* One header-signed example of the S3 documentation. */
static void
doc_header_case(const char *name, const char *method, const char *path,
    const char *query, const struct vg_sigv4_header *h, size_t nh,
    const char *payload_hash, const char *creq_want, const char *sts_hash,
    const char *sig_want)
{
	struct vg_sigv4_credentials cred = { DOC_AK, DOC_SK, NULL,
	    "us-east-1", "s3" };
	struct vg_sigv4_request req = { .method = method, .path = path,
	    .query = query, .headers = h, .n_headers = nh,
	    .payload_hash = payload_hash, .flags = VG_SIGV4_S3 };
	struct vg_sigv4_signed sig;
	char label[128], sts[256], *cause = NULL;

	snprintf(label, sizeof label, "doc %s: signs", name);
	if (!tap_ok(vg_sigv4_sign_header(&req, &cred, DOC_TIME, &sig,
	    &cause) == 0, label))
		printf("# %s\n", cause != NULL ? cause : "(no cause)");
	if (creq_want != NULL) {
		snprintf(label, sizeof label, "doc %s: canonical request",
		    name);
		check_str(sig.canonical_request, creq_want, label);
	}
	snprintf(sts, sizeof sts, "AWS4-HMAC-SHA256\n20130524T000000Z\n"
	    "20130524/us-east-1/s3/aws4_request\n%s", sts_hash);
	snprintf(label, sizeof label, "doc %s: string to sign", name);
	check_str(sig.string_to_sign, sts, label);
	snprintf(label, sizeof label, "doc %s: signature", name);
	check_str(sig.signature, sig_want, label);
	vg_sigv4_signed_clear(&sig);
	free(cause);
}

/* The S3 documentation's header-signing examples. */
static void
test_doc_headers(void)
{
	static const struct vg_sigv4_header get_object[] = {
		{ "Host", "examplebucket.s3.amazonaws.com" },
		{ "Range", "bytes=0-9" },
		{ "x-amz-content-sha256", EMPTY_SHA256 },
		{ "x-amz-date", "20130524T000000Z" },
	};
	static const struct vg_sigv4_header put_object[] = {
		{ "Host", "examplebucket.s3.amazonaws.com" },
		{ "Date", "Fri, 24 May 2013 00:00:00 GMT" },
		{ "x-amz-date", "20130524T000000Z" },
		{ "x-amz-storage-class", "REDUCED_REDUNDANCY" },
		{ "x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbb"
		    "a87d2b6b4b4e99e42034a8b803f8b072" },
	};
	static const struct vg_sigv4_header bucket[] = {
		{ "Host", "examplebucket.s3.amazonaws.com" },
		{ "x-amz-date", "20130524T000000Z" },
		{ "x-amz-content-sha256", EMPTY_SHA256 },
	};
	char hex[65];

	doc_header_case("GET Object (Range)", "GET", "/test.txt", NULL,
	    get_object, 4, EMPTY_SHA256,
	    "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\n"
	    "range:bytes=0-9\nx-amz-content-sha256:" EMPTY_SHA256 "\n"
	    "x-amz-date:20130524T000000Z\n\n"
	    "host;range;x-amz-content-sha256;x-amz-date\n" EMPTY_SHA256,
	    "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
	    "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");

	/* The payload hash is the SHA-256 of the documented body. */
	vg_sigv4_sha256_hex("Welcome to Amazon S3.", 21, hex);
	check_str(hex, put_object[4].value, "doc PUT Object: body hash");
	doc_header_case("PUT Object", "PUT", "/test$file.text", NULL,
	    put_object, 5, put_object[4].value,
	    "PUT\n/test%24file.text\n\n"
	    "date:Fri, 24 May 2013 00:00:00 GMT\n"
	    "host:examplebucket.s3.amazonaws.com\n"
	    "x-amz-content-sha256:44ce7dd67c959e0d3524ffac1771dfbb"
	    "a87d2b6b4b4e99e42034a8b803f8b072\n"
	    "x-amz-date:20130524T000000Z\n"
	    "x-amz-storage-class:REDUCED_REDUNDANCY\n\n"
	    "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class\n"
	    "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
	    "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d",
	    "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");

	doc_header_case("GET Bucket lifecycle", "GET", "/", "lifecycle",
	    bucket, 3, EMPTY_SHA256,
	    "GET\n/\nlifecycle=\nhost:examplebucket.s3.amazonaws.com\n"
	    "x-amz-content-sha256:" EMPTY_SHA256 "\n"
	    "x-amz-date:20130524T000000Z\n\n"
	    "host;x-amz-content-sha256;x-amz-date\n" EMPTY_SHA256,
	    "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca",
	    "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");

	doc_header_case("GET Bucket (list)", "GET", "/", "max-keys=2&prefix=J",
	    bucket, 3, EMPTY_SHA256,
	    "GET\n/\nmax-keys=2&prefix=J\n"
	    "host:examplebucket.s3.amazonaws.com\n"
	    "x-amz-content-sha256:" EMPTY_SHA256 "\n"
	    "x-amz-date:20130524T000000Z\n\n"
	    "host;x-amz-content-sha256;x-amz-date\n" EMPTY_SHA256,
	    "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7",
	    "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

/* Presign p and compare with want; label names the case. */
static void
presign_case(const struct vg_s3_presign *p, const char *want,
    const char *label)
{
	char *url = NULL, *cause = NULL, name[160];

	snprintf(name, sizeof name, "%s: URL made", label);
	if (!tap_ok(vg_s3_presign(p, &url, &cause) == 0, name))
		printf("# %s\n", cause != NULL ? cause : "(no cause)");
	snprintf(name, sizeof name, "%s: URL", label);
	check_str(url, want, name);
	free(url);
	free(cause);
}

/* Awkward keys, path-style with a port, virtual-hosted with a token
 * (signatures from botocore 1.43.11 for the same inputs). */
static void
test_presign_keys(void)
{
	struct vg_s3_presign p = { .endpoint = "http://127.0.0.1:4569",
	    .bucket = "vigia-footage",
	    .key = "site-1/cam 02/2026-12-06T03:00:00Z+seg=1 "
		"\xc3\xbc\xc3\xb1\xc4\xb1\xc3\xa7\xc3\xb8" "d\xc3\xa9 "
		"\xe3\x82\xab\xe3\x83\xa1\xe3\x83\xa9.mp4",
	    .region = "eu-west-1", .access_key = DOC_AK,
	    .secret_key = DOC_SK, .expires = 3600, .when = 1765000000 };

	presign_case(&p, "http://127.0.0.1:4569/vigia-footage/site-1/"
	    "cam%2002/2026-12-06T03%3A00%3A00Z%2Bseg%3D1%20%C3%BC%C3%B1%C4%B1"
	    "%C3%A7%C3%B8d%C3%A9%20%E3%82%AB%E3%83%A1%E3%83%A9.mp4?"
	    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
	    "AKIAIOSFODNN7EXAMPLE%2F20251206%2Feu-west-1%2Fs3%2Faws4_request&"
	    "X-Amz-Date=20251206T054640Z&X-Amz-Expires=3600&"
	    "X-Amz-SignedHeaders=host&X-Amz-Signature="
	    "2778463f89ba0baba65e7cd032dcbed9efff2b5eb6f71ea3aa206cbdbdd07545",
	    "unicode key, path-style, port");

	/* S3 keeps "//", "./" and "../" in keys: no normalisation; the
	 * token is signed (it sorts before SignedHeaders). */
	p.endpoint = "https://minio.example.net:9000/";
	p.virtual_hosted = true;
	p.bucket = "footage";
	p.key = "a//b/./c/../d~e(f)!*'.ts";
	p.region = "us-east-1";
	p.session_token = "FQoGZXIvYXdzEXAMPLE//token+with/slashes==";
	p.expires = 604800;
	presign_case(&p, "https://footage.minio.example.net:9000/"
	    "a//b/./c/../d~e%28f%29%21%2A%27.ts?"
	    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
	    "AKIAIOSFODNN7EXAMPLE%2F20251206%2Fus-east-1%2Fs3%2Faws4_request&"
	    "X-Amz-Date=20251206T054640Z&X-Amz-Expires=604800&"
	    "X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLE%2F%2Ftoken%2Bwith%2F"
	    "slashes%3D%3D&X-Amz-SignedHeaders=host&X-Amz-Signature="
	    "52ce5cd0c87dcbcf677fb9f8aa0a61822c1e6adb1bdddf246ef70cfba1bbe3da",
	    "dots and slashes kept, token, virtual-hosted");

	/* The scheme's default port is not part of Host (curl omits it). */
	p.endpoint = "https://s3.amazonaws.com:443";
	p.bucket = "examplebucket";
	p.key = "test.txt";
	p.session_token = NULL;
	p.expires = 86400;
	p.when = DOC_TIME;
	presign_case(&p, "https://examplebucket.s3.amazonaws.com/test.txt?"
	    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
	    "AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2F"
	    "aws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&"
	    "X-Amz-SignedHeaders=host&X-Amz-Signature="
	    "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
	    "default port dropped");
}

/* Presign p expecting a refusal whose cause contains `says`. */
static void
refuse_case(const struct vg_s3_presign *p, const char *says,
    const char *label)
{
	char *url = (char *)"untouched", *cause = NULL;
	int rc = vg_s3_presign(p, &url, &cause);
	bool ok = rc == -1 && url == NULL && cause != NULL &&
	    strstr(cause, says) != NULL &&
	    (p->secret_key == NULL || *p->secret_key == '\0' ||
	    strstr(cause, p->secret_key) == NULL);

	if (!tap_ok(ok, label))
		printf("# rc %d, cause: %s\n", rc,
		    cause != NULL ? cause : "(none)");
	if (rc == 0)
		free(url);
	free(cause);
}

/* Bad input is refused with a sentence that names it. */
static void
test_refusals(void)
{
	static const struct vg_s3_presign good = {
	    .endpoint = "http://127.0.0.1:4569", .bucket = "footage",
	    .key = "k.mp4", .region = "us-east-1", .access_key = DOC_AK,
	    .secret_key = DOC_SK, .expires = 60, .when = DOC_TIME };
	struct vg_s3_presign p;
	char *url = NULL, *cause = NULL;

	p = good;
	p.expires = 0;
	refuse_case(&p, "604800", "expiry 0 refused");
	p.expires = -5;
	refuse_case(&p, "not -5 seconds", "negative expiry refused");
	p.expires = 604801;
	refuse_case(&p, "not 604801 seconds", "expiry of 7 days + 1 s refused");
	p.expires = 1;
	tap_ok(vg_s3_presign(&p, &url, &cause) == 0 && url != NULL &&
	    strstr(url, "&X-Amz-Expires=1&") != NULL, "expiry 1 s accepted");
	free(url);
	url = NULL;
	p.expires = 604800;
	tap_ok(vg_s3_presign(&p, &url, &cause) == 0 && url != NULL &&
	    strstr(url, "&X-Amz-Expires=604800&") != NULL,
	    "expiry 604800 s accepted");
	free(url);
	url = NULL;
	free(cause);
	cause = NULL;

	p = good;
	p.key = "";
	refuse_case(&p, "object key is empty", "empty key refused");
	p.key = NULL;
	refuse_case(&p, "object key is empty", "no key refused");
	p.key = "bad\xff\xfe.mp4";
	refuse_case(&p, "not valid UTF-8 (byte 4)", "invalid UTF-8 refused");
	p.key = "overlong\xc0\xaf.mp4";
	refuse_case(&p, "not valid UTF-8", "overlong UTF-8 refused");
	p = good;
	p.bucket = "";
	refuse_case(&p, "bucket name is empty", "empty bucket refused");
	p.bucket = "a/b";
	refuse_case(&p, "\"a/b\"", "bucket with '/' refused");
	p = good;
	p.virtual_hosted = true;
	refuse_case(&p, "IP address", "virtual-hosted on an IP refused");
	p.endpoint = "https://s3.example.net";
	p.bucket = "Footage_1";
	refuse_case(&p, "use path-style", "bucket not a host name refused");
	p.bucket = "site.footage";
	refuse_case(&p, "TLS certificate", "dotted bucket over TLS refused");
	p.endpoint = "http://s3.example.net";
	tap_ok(vg_s3_presign(&p, &url, &cause) == 0 && url != NULL &&
	    strncmp(url, "http://site.footage.s3.example.net/k.mp4?", 41) == 0,
	    "dotted bucket virtual-hosted over plain HTTP");
	free(url);
	url = NULL;
	free(cause);
	cause = NULL;
	p = good;
	p.endpoint = "ftp://s3.example.net";
	refuse_case(&p, "https:// or http://", "ftp endpoint refused");
	p.endpoint = "https://s3.example.net/prefix";
	refuse_case(&p, "no path", "endpoint with a path refused");
	p.endpoint = "http://127.0.0.1:99999";
	refuse_case(&p, "1 to 65535", "bad port refused");
	p.endpoint = "https://";
	refuse_case(&p, "has no host", "endpoint without host refused");
	p = good;
	p.region = "EU West";
	refuse_case(&p, "\"EU West\"", "bad region refused");
	p = good;
	p.secret_key = "";
	refuse_case(&p, "secret key is empty", "empty secret refused");
	p = good;
	p.access_key = "AKIA/EXAMPLE";
	refuse_case(&p, "access key", "access key with '/' refused");
}

/* The generic signer's own refusals and the building blocks. */
static void
test_signer(void)
{
	struct vg_sigv4_credentials cred = { SUITE_AK, SUITE_SK, NULL,
	    "us-east-1", "service" };
	struct vg_sigv4_header h[] = {
		{ "Host", "example.amazonaws.com" },
		{ "X-Amz-Date", "20150830T123601Z" },
	};
	struct vg_sigv4_request req = { .method = "GET", .path = "/",
	    .headers = h, .n_headers = 2 };
	struct vg_sigv4_signed sig;
	char *s, *cause = NULL, t[17];

	tap_ok(vg_sigv4_sign_header(&req, &cred, SUITE_TIME, &sig,
	    &cause) == -1 && cause != NULL &&
	    strstr(cause, "20150830T123601Z") != NULL,
	    "an X-Amz-Date other than the signing time is refused");
	vg_sigv4_signed_clear(&sig);
	h[1].name = "Bad Name";
	h[1].value = "20150830T123600Z";
	tap_ok(vg_sigv4_sign_header(&req, &cred, SUITE_TIME, &sig,
	    &cause) == -1 && cause != NULL && strstr(cause, "Bad Name"),
	    "a header name with a space is refused");
	vg_sigv4_signed_clear(&sig);
	h[1].name = "X-Test";
	h[1].value = "a\r\nInjected: yes";
	tap_ok(vg_sigv4_sign_header(&req, &cred, SUITE_TIME, &sig,
	    &cause) == -1 && cause != NULL && strstr(cause, "line break"),
	    "a header value with CR LF is refused");
	vg_sigv4_signed_clear(&sig);
	h[1].value = "x";
	req.payload_hash = "abc";
	tap_ok(vg_sigv4_sign_header(&req, &cred, SUITE_TIME, &sig,
	    &cause) == -1 && cause != NULL && strstr(cause, "\"abc\""),
	    "a malformed payload hash is refused");
	vg_sigv4_signed_clear(&sig);
	req.payload_hash = NULL;
	req.query = "X-Amz-Signature=x";
	tap_ok(vg_sigv4_sign_query(&req, &cred, SUITE_TIME, 60, &sig,
	    &cause) == -1 && cause != NULL &&
	    strstr(cause, "X-Amz-Signature"),
	    "a query already signed is refused");
	vg_sigv4_signed_clear(&sig);
	free(cause);

	s = vg_sigv4_uri_encode("a b+c=d/\xe1\x88\xb4~%", 13, false);
	check_str(s, "a%20b%2Bc%3Dd%2F%E1%88%B4~%25", "URI encoding");
	free(s);
	s = vg_sigv4_uri_encode("/a b/c", 6, true);
	check_str(s, "/a%20b/c", "URI encoding keeps '/' when asked");
	free(s);
	tap_ok(vg_sigv4_format_time(SUITE_TIME, t) == 0, "time formats");
	check_str(t, "20150830T123600Z", "time format");
	tap_ok(vg_sigv4_format_time((time_t)253402300800LL, t) == -1,
	    "year 10000 is refused");
}

/*
 * The cross-check's side (tests/store/test-sigv4-cross.sh): one presigned
 * URL per line of FILE, whose tab-separated fields are endpoint, "path" or
 * "virtual", bucket, key, region, session token ("-" for none), expiry,
 * signing time (Unix seconds), one more query parameter NAME=VALUE ("-"
 * for none), access key, secret key.  A refusal prints "ERROR: cause".
 */
static int
presign_file(const char *file)
{
	char *text = slurp(file, NULL), *line, *next, *f[11], *cause, *url;
	struct vg_sigv4_param extra;
	struct vg_s3_presign p;
	size_t n;

	if (text == NULL) {
		fprintf(stderr, "cannot read %s\n", file);
		return 2;
	}
	for (line = text; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		else
			next = line + strlen(line);
		for (n = 0; n < 11; n++) {
			f[n] = line;
			line = strchr(line, '\t');
			if (line == NULL)
				break;
			*line++ = '\0';
		}
		if (n != 10) {
			fprintf(stderr, "%s: a line without 11 fields\n",
			    file);
			free(text);
			return 2;
		}
		memset(&p, 0, sizeof p);
		p.endpoint = f[0];
		p.virtual_hosted = strcmp(f[1], "virtual") == 0;
		p.bucket = f[2];
		p.key = f[3];
		p.region = f[4];
		p.session_token = strcmp(f[5], "-") != 0 ? f[5] : NULL;
		p.expires = strtoll(f[6], NULL, 10);
		p.when = (time_t)strtoll(f[7], NULL, 10);
		if (strcmp(f[8], "-") != 0 && strchr(f[8], '=') != NULL) {
			extra.name = f[8];
			extra.value = strchr(f[8], '=') + 1;
			*strchr(f[8], '=') = '\0';
			p.params = &extra;
			p.n_params = 1;
		}
		p.access_key = f[9];
		p.secret_key = f[10];
		cause = url = NULL;
		if (vg_s3_presign(&p, &url, &cause) == 0)
			printf("%s\n", url);
		else
			printf("ERROR: %s\n", cause != NULL ? cause : "?");
		free(url);
		free(cause);
	}
	free(text);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *dir = suite_dir();
	size_t i;

	if (argc == 3 && strcmp(argv[1], "--presign") == 0)
		return presign_file(argv[2]);

	for (i = 0; i < sizeof suite_cases / sizeof suite_cases[0]; i++)
		run_suite_case(dir, suite_cases[i]);
	test_doc_presign();
	test_doc_headers();
	test_presign_keys();
	test_refusals();
	test_signer();
	return tap_done();
}
