/* store-sigv4.c - AWS Signature Version 4 signing (header and query).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The steps of the AWS General Reference ("Create a signed AWS API
 * request"), each kept visible for the tests: canonical request, string to
 * sign, signing key (kDate, kRegion, kService, kSigning), signature.  The
 * S3 exceptions (no path normalisation, single encoding, UNSIGNED-PAYLOAD
 * for presigned URLs) come from the S3 API Reference ("Authenticating
 * Requests: Using Query Parameters").  Self-contained on purpose (libc and
 * OpenSSL only), so it can be tested and reused without the rest of the
 * core.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "store-sigv4.h"

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define SIGV4_TERMINATOR "aws4_request"

/* ---- a growable string that remembers running out of memory ---------- */

struct sb {
	char *buf;
	size_t len, cap;
	bool oom;
};

/* Make room for n more bytes (and the NUL); false if out of memory. */
static bool
sb_grow(struct sb *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->oom)
		return false;
	if (b->len + n + 1 <= b->cap)
		return true;
	cap = b->cap != 0 ? b->cap : 64;
	while (cap < b->len + n + 1)
		cap *= 2;
	p = realloc(b->buf, cap);
	if (p == NULL) {
		b->oom = true;
		return false;
	}
	b->buf = p;
	b->cap = cap;
	return true;
}

/* Append n bytes of s. */
static void
sb_addn(struct sb *b, const char *s, size_t n)
{
	if (!sb_grow(b, n))
		return;
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

/* Append a string. */
static void
sb_add(struct sb *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

/* Append one byte. */
static void
sb_addc(struct sb *b, char c)
{
	sb_addn(b, &c, 1);
}

/* Hand over the string (never NULL unless out of memory); b is reset. */
static char *
sb_take(struct sb *b)
{
	char *s = b->buf;

	if (b->oom) {
		free(s);
		s = NULL;
	} else if (s == NULL)
		s = strdup("");
	memset(b, 0, sizeof *b);
	return s;
}

/* Drop the string. */
static void
sb_free(struct sb *b)
{
	free(b->buf);
	memset(b, 0, sizeof *b);
}

/* ---- errors --------------------------------------------------------- */

/* Set *cause (if wanted) to an allocated sentence; returns -1. */
static int sigv4_fail(char **cause, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static int
sigv4_fail(char **cause, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (cause == NULL)
		return -1;
	free(*cause);
	*cause = NULL;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	*cause = malloc((size_t)n + 1);
	if (*cause == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(*cause, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return -1;
}

/* The cause when memory ran out. */
static int
sigv4_oom(char **cause)
{
	return sigv4_fail(cause, "out of memory while signing a request");
}

/* ---- encoding ------------------------------------------------------- */

/* True for the RFC 3986 unreserved characters. */
static bool
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

/* Append s (n bytes) percent-encoded. */
static void
sb_add_encoded(struct sb *b, const char *s, size_t n, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[3];
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (is_unreserved(c) || (keep_slash && c == '/'))
			sb_addc(b, (char)c);
		else {
			esc[0] = '%';
			esc[1] = hex[c >> 4];
			esc[2] = hex[c & 15];
			sb_addn(b, esc, 3);
		}
	}
}

char *
vg_sigv4_uri_encode(const char *s, size_t len, bool keep_slash)
{
	struct sb b = { 0 };

	sb_add_encoded(&b, s, len, keep_slash);
	return sb_take(&b);
}

/* Value of a hex digit, or -1. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append s (n bytes) with its %XX escapes decoded (a stray '%' stays). */
static void
sb_add_decoded(struct sb *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] == '%' && i + 2 < n &&
		    (hi = hexval(s[i + 1])) >= 0 &&
		    (lo = hexval(s[i + 2])) >= 0) {
			sb_addc(b, (char)(hi << 4 | lo));
			i += 2;
		} else
			sb_addc(b, s[i]);
	}
}

/* Lowercase hex of n bytes into out (2n + 1 bytes). */
static void
hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

/* ---- hashing -------------------------------------------------------- */

void
vg_sigv4_sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (data == NULL)
		data = "";
	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != 32) {
		/* OpenSSL without SHA-256 cannot sign anything: a hash no
		 * server will accept is the honest result. */
		memset(hex, '0', 64);
		hex[64] = '\0';
		return;
	}
	hex_encode(md, 32, hex);
}

/* out = HMAC-SHA256(key, msg); false if OpenSSL failed. */
static bool
hmac_sha256(const unsigned char *key, size_t keylen, const char *msg,
    unsigned char out[32])
{
	unsigned int outlen = 0;

	if (HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)msg,
	    strlen(msg), out, &outlen) == NULL || outlen != 32)
		return false;
	return true;
}

/*
 * The signing key: HMAC chain over date, region, service, "aws4_request",
 * starting from "AWS4" + secret.  Every intermediate is wiped.
 */
static bool
sigv4_signing_key(const char *secret, const char *date, const char *region,
    const char *service, unsigned char ksigning[32])
{
	unsigned char k1[32], k2[32];
	size_t slen = strlen(secret);
	unsigned char *ksecret;
	bool ok;

	ksecret = malloc(slen + 4);
	if (ksecret == NULL)
		return false;
	memcpy(ksecret, "AWS4", 4);
	memcpy(ksecret + 4, secret, slen);
	ok = hmac_sha256(ksecret, slen + 4, date, k1) &&	/* kDate */
	    hmac_sha256(k1, 32, region, k2) &&			/* kRegion */
	    hmac_sha256(k2, 32, service, k1) &&			/* kService */
	    hmac_sha256(k1, 32, SIGV4_TERMINATOR, ksigning);	/* kSigning */
	OPENSSL_cleanse(ksecret, slen + 4);
	OPENSSL_cleanse(k1, sizeof k1);
	OPENSSL_cleanse(k2, sizeof k2);
	free(ksecret);
	if (!ok)
		OPENSSL_cleanse(ksigning, 32);
	return ok;
}

int
vg_sigv4_format_time(time_t when, char buf[17])
{
	struct tm tm;

	if (gmtime_r(&when, &tm) == NULL || tm.tm_year < 1000 - 1900 ||
	    tm.tm_year > 9999 - 1900) {
		buf[0] = '\0';
		return -1;
	}
	if (strftime(buf, 17, "%Y%m%dT%H%M%SZ", &tm) != 16) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

/* ---- the canonical request -------------------------------------------- */

/*
 * The generic rule: remove "." and ".." segments and empty segments (RFC
 * 3986 section 5.2.4 plus "//" collapsed), keep a trailing slash.
 */
static void
sb_add_normalized_path(struct sb *b, const char *path)
{
	const char **seg = NULL;
	size_t *seglen = NULL, nseg = 0, i, n = strlen(path), start;
	bool trailing = false;

	seg = calloc(n + 1, sizeof *seg);
	seglen = calloc(n + 1, sizeof *seglen);
	if (seg == NULL || seglen == NULL) {
		b->oom = true;
		goto out;
	}
	for (i = 0; i <= n; i++) {
		size_t len;

		start = i;
		while (i < n && path[i] != '/')
			i++;
		len = i - start;
		trailing = false;
		if (len == 0) {
			trailing = true;	/* "//" or a final '/' */
		} else if (len == 1 && path[start] == '.') {
			trailing = true;
		} else if (len == 2 && path[start] == '.' &&
		    path[start + 1] == '.') {
			if (nseg > 0)
				nseg--;
			trailing = true;
		} else {
			seg[nseg] = path + start;
			seglen[nseg] = len;
			nseg++;
		}
	}
	sb_addc(b, '/');
	for (i = 0; i < nseg; i++) {
		if (i > 0)
			sb_addc(b, '/');
		sb_addn(b, seg[i], seglen[i]);
	}
	if (trailing && nseg > 0)
		sb_addc(b, '/');
out:
	free(seg);
	free(seglen);
}

/* The canonical URI of req. */
static void
sb_add_canonical_uri(struct sb *b, const struct vg_sigv4_request *req)
{
	const char *path = req->path != NULL && *req->path != '\0' ?
	    req->path : "/";
	struct sb norm = { 0 };

	if (req->flags & VG_SIGV4_S3) {
		if (path[0] != '/')
			sb_addc(b, '/');
		sb_add_encoded(b, path, strlen(path), true);
		return;
	}
	sb_add_normalized_path(&norm, path);
	if (norm.oom) {
		b->oom = true;
		sb_free(&norm);
		return;
	}
	sb_add_encoded(b, norm.buf, norm.len, true);
	sb_free(&norm);
}

/* One encoded query parameter (name=value). */
struct qparam {
	char *name, *value;
};

/* Order parameters by encoded name, then encoded value (byte order). */
static int
qparam_cmp(const void *a, const void *b)
{
	const struct qparam *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : strcmp(x->value, y->value);
}

/* A list of encoded parameters. */
struct qlist {
	struct qparam *p;
	size_t n, cap;
	bool oom;
};

/* Append name/value (unencoded, n and v bytes long) encoded. */
static void
qlist_add(struct qlist *q, const char *name, size_t nlen, const char *value,
    size_t vlen)
{
	struct qparam *p;

	if (q->oom)
		return;
	if (q->n == q->cap) {
		size_t cap = q->cap != 0 ? q->cap * 2 : 8;

		p = realloc(q->p, cap * sizeof *p);
		if (p == NULL) {
			q->oom = true;
			return;
		}
		q->p = p;
		q->cap = cap;
	}
	p = &q->p[q->n];
	p->name = vg_sigv4_uri_encode(name, nlen, false);
	p->value = vg_sigv4_uri_encode(value != NULL ? value : "", vlen,
	    false);
	if (p->name == NULL || p->value == NULL) {
		free(p->name);
		free(p->value);
		q->oom = true;
		return;
	}
	q->n++;
}

/* Append the parameters of a request-line query string (decoded first). */
static void
qlist_add_query(struct qlist *q, const char *query)
{
	const char *s = query, *amp, *eq;
	struct sb name = { 0 }, value = { 0 };

	while (s != NULL && *s != '\0') {
		amp = strchr(s, '&');
		if (amp == NULL)
			amp = s + strlen(s);
		if (amp > s) {
			eq = memchr(s, '=', (size_t)(amp - s));
			sb_add_decoded(&name, s, (size_t)((eq != NULL ? eq :
			    amp) - s));
			if (eq != NULL)
				sb_add_decoded(&value, eq + 1,
				    (size_t)(amp - eq - 1));
			if (name.oom || value.oom)
				q->oom = true;
			else
				qlist_add(q, name.buf != NULL ? name.buf : "",
				    name.len, value.buf, value.len);
			sb_free(&name);
			sb_free(&value);
		}
		s = *amp != '\0' ? amp + 1 : amp;
	}
}

/* Free the list. */
static void
qlist_free(struct qlist *q)
{
	size_t i;

	for (i = 0; i < q->n; i++) {
		free(q->p[i].name);
		free(q->p[i].value);
	}
	free(q->p);
	memset(q, 0, sizeof *q);
}

/* Append the sorted list as a query string. */
static void
sb_add_qlist(struct sb *b, struct qlist *q)
{
	size_t i;

	if (q->n > 1)
		qsort(q->p, q->n, sizeof *q->p, qparam_cmp);
	for (i = 0; i < q->n; i++) {
		if (i > 0)
			sb_addc(b, '&');
		sb_add(b, q->p[i].name);
		sb_addc(b, '=');
		sb_add(b, q->p[i].value);
	}
}

/* One canonical header: lowercase name, trimmed value(s) joined by ','. */
struct cheader {
	char *name;
	struct sb value;
	size_t order;
};

/* Order headers by name, then by first appearance (stable). */
static int
cheader_cmp(const void *a, const void *b)
{
	const struct cheader *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* True for a byte that may appear in an HTTP header name (RFC 9110). */
static bool
is_tchar(unsigned char c)
{
	return isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

/* Append value trimmed, with runs of spaces and tabs made one space. */
static void
sb_add_trimmed(struct sb *b, const char *v)
{
	bool space = false, any = false;

	for (; *v != '\0'; v++) {
		if (*v == ' ' || *v == '\t') {
			space = true;
			continue;
		}
		if (space && any)
			sb_addc(b, ' ');
		space = false;
		any = true;
		sb_addc(b, *v);
	}
}

/* The canonical headers of req, merged and sorted; NULL and a cause if a
 * header is malformed.  *n receives their number. */
static struct cheader *
canonical_headers(const struct vg_sigv4_request *req, size_t *n,
    char **cause)
{
	struct cheader *h;
	size_t i, j, k, m = 0;

	*n = 0;
	h = calloc(req->n_headers + 1, sizeof *h);
	if (h == NULL) {
		sigv4_oom(cause);
		return NULL;
	}
	for (i = 0; i < req->n_headers; i++) {
		const char *name = req->headers[i].name;
		const char *value = req->headers[i].value;
		char *lower;

		if (name == NULL || *name == '\0') {
			sigv4_fail(cause, "header %zu has no name", i + 1);
			goto fail;
		}
		for (k = 0; name[k] != '\0'; k++)
			if (!is_tchar((unsigned char)name[k])) {
				sigv4_fail(cause, "header name \"%s\" has a "
				    "character HTTP does not allow", name);
				goto fail;
			}
		if (value == NULL)
			value = "";
		if (strpbrk(value, "\r\n") != NULL) {
			sigv4_fail(cause, "the value of header \"%s\" has a "
			    "line break", name);
			goto fail;
		}
		lower = strdup(name);
		if (lower == NULL) {
			sigv4_oom(cause);
			goto fail;
		}
		for (k = 0; lower[k] != '\0'; k++)
			lower[k] = (char)tolower((unsigned char)lower[k]);
		for (j = 0; j < m; j++)
			if (strcmp(h[j].name, lower) == 0)
				break;
		if (j < m) {
			free(lower);
			sb_addc(&h[j].value, ',');
		} else {
			h[m].name = lower;
			h[m].order = m;
			m++;
		}
		sb_add_trimmed(&h[j].value, value);
		if (h[j].value.oom) {
			sigv4_oom(cause);
			goto fail;
		}
	}
	qsort(h, m, sizeof *h, cheader_cmp);
	*n = m;
	return h;
fail:
	for (j = 0; j < m; j++) {
		free(h[j].name);
		sb_free(&h[j].value);
	}
	free(h);
	return NULL;
}

/* Free n canonical headers. */
static void
cheaders_free(struct cheader *h, size_t n)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(h[i].name);
		sb_free(&h[i].value);
	}
	free(h);
}

/* True if s is a payload hash we can put in a canonical request. */
static bool
payload_hash_ok(const char *s)
{
	size_t i;

	if (strcmp(s, VG_SIGV4_UNSIGNED_PAYLOAD) == 0 ||
	    strncmp(s, "STREAMING-", 10) == 0)
		return strpbrk(s, " \t\r\n") == NULL;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 64;
}

/* True if s is non-empty and has only a-z, 0-9 and '-'. */
static bool
scope_word_ok(const char *s)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return false;
	return true;
}

/* Check the credentials and the scope. */
static int
check_credentials(const struct vg_sigv4_credentials *cred, char **cause)
{
	const char *s;

	if (cred == NULL || cred->access_key == NULL ||
	    *cred->access_key == '\0')
		return sigv4_fail(cause, "the access key is empty");
	for (s = cred->access_key; *s != '\0'; s++)
		if (*s == '/' || *s <= ' ' || *s == 127)
			return sigv4_fail(cause, "the access key has a "
			    "character an access key cannot have (a space, "
			    "'/' or a control character)");
	if (cred->secret_key == NULL || *cred->secret_key == '\0')
		return sigv4_fail(cause, "the secret key is empty");
	if (!scope_word_ok(cred->region))
		return sigv4_fail(cause, "the region \"%s\" is not a region "
		    "name (lowercase letters, digits and '-', such as "
		    "us-east-1)", cred->region != NULL ? cred->region : "");
	if (!scope_word_ok(cred->service))
		return sigv4_fail(cause, "the service \"%s\" is not a service "
		    "name (such as s3)", cred->service != NULL ?
		    cred->service : "");
	if (cred->session_token != NULL &&
	    strpbrk(cred->session_token, "\r\n") != NULL)
		return sigv4_fail(cause, "the session token has a line break");
	return 0;
}

/* Check what every request needs. */
static int
check_request(const struct vg_sigv4_request *req, char **cause)
{
	const char *s;
	size_t i;

	if (req == NULL || req->method == NULL || *req->method == '\0')
		return sigv4_fail(cause, "the request has no method");
	for (s = req->method; *s != '\0'; s++)
		if (!is_tchar((unsigned char)*s))
			return sigv4_fail(cause, "the method \"%s\" is not an "
			    "HTTP method", req->method);
	if (req->path != NULL && strpbrk(req->path, "?#") != NULL &&
	    !(req->flags & VG_SIGV4_S3))
		return sigv4_fail(cause, "the path \"%s\" has a '?' or '#': "
		    "pass the query separately", req->path);
	if (req->payload_hash != NULL && !payload_hash_ok(req->payload_hash))
		return sigv4_fail(cause, "the payload hash \"%s\" is neither "
		    "64 lowercase hex digits nor UNSIGNED-PAYLOAD",
		    req->payload_hash);
	if (req->n_headers > 0 && req->headers == NULL)
		return sigv4_fail(cause, "the request lists headers but "
		    "gives none");
	if (req->n_params > 0 && req->params == NULL)
		return sigv4_fail(cause, "the request lists query parameters "
		    "but gives none");
	for (i = 0; i < req->n_params; i++)
		if (req->params[i].name == NULL ||
		    *req->params[i].name == '\0')
			return sigv4_fail(cause, "query parameter %zu has no "
			    "name", i + 1);
	return 0;
}

/*
 * Build the canonical request, string to sign and signature of req with
 * the extra (already encoded) query list q; fills out.  amzdate is the
 * "YYYYMMDDTHHMMSSZ" time.
 */
static int
sigv4_sign(const struct vg_sigv4_request *req,
    const struct vg_sigv4_credentials *cred, const char *amzdate,
    struct qlist *q, const char *signed_headers_in,
    struct vg_sigv4_signed *out, char **cause)
{
	struct sb creq = { 0 }, sts = { 0 }, sh = { 0 };
	struct cheader *h = NULL;
	size_t nh = 0, i;
	char date[9], payload[65], creq_hash[65];
	unsigned char ksigning[32], sig[32];
	int err = -1;

	memcpy(date, amzdate, 8);
	date[8] = '\0';
	h = canonical_headers(req, &nh, cause);
	if (h == NULL)
		goto out;

	for (i = 0; i < nh; i++) {
		if (i > 0)
			sb_addc(&sh, ';');
		sb_add(&sh, h[i].name);
		if (strcmp(h[i].name, "x-amz-date") == 0 &&
		    strcmp(h[i].value.buf != NULL ? h[i].value.buf : "",
		    amzdate) != 0) {
			sigv4_fail(cause, "the X-Amz-Date header says \"%s\" "
			    "but the signing time is %s", h[i].value.buf !=
			    NULL ? h[i].value.buf : "", amzdate);
			goto out;
		}
	}
	if (signed_headers_in != NULL && !sh.oom &&
	    strcmp(signed_headers_in, sh.buf != NULL ? sh.buf : "") != 0) {
		sigv4_fail(cause, "internal error: signed headers changed");
		goto out;
	}

	/* 1. The canonical request. */
	sb_add(&creq, req->method);
	sb_addc(&creq, '\n');
	sb_add_canonical_uri(&creq, req);
	sb_addc(&creq, '\n');
	sb_add_qlist(&creq, q);
	sb_addc(&creq, '\n');
	for (i = 0; i < nh; i++) {
		sb_add(&creq, h[i].name);
		sb_addc(&creq, ':');
		if (h[i].value.buf != NULL)
			sb_add(&creq, h[i].value.buf);
		sb_addc(&creq, '\n');
	}
	sb_addc(&creq, '\n');
	if (sh.buf != NULL)
		sb_add(&creq, sh.buf);
	sb_addc(&creq, '\n');
	if (req->payload_hash != NULL)
		sb_add(&creq, req->payload_hash);
	else {
		vg_sigv4_sha256_hex(req->payload, req->payload_len, payload);
		sb_add(&creq, payload);
	}
	if (creq.oom || sh.oom) {
		sigv4_oom(cause);
		goto out;
	}

	/* 2. The string to sign. */
	vg_sigv4_sha256_hex(creq.buf, creq.len, creq_hash);
	sb_add(&sts, SIGV4_ALGORITHM "\n");
	sb_add(&sts, amzdate);
	sb_addc(&sts, '\n');
	sb_add(&sts, date);
	sb_addc(&sts, '/');
	sb_add(&sts, cred->region);
	sb_addc(&sts, '/');
	sb_add(&sts, cred->service);
	sb_add(&sts, "/" SIGV4_TERMINATOR "\n");
	sb_add(&sts, creq_hash);
	if (sts.oom) {
		sigv4_oom(cause);
		goto out;
	}

	/* 3. The signing key and 4. the signature. */
	if (!sigv4_signing_key(cred->secret_key, date, cred->region,
	    cred->service, ksigning)) {
		sigv4_fail(cause, "OpenSSL could not compute HMAC-SHA256");
		goto out;
	}
	if (!hmac_sha256(ksigning, sizeof ksigning, sts.buf, sig)) {
		OPENSSL_cleanse(ksigning, sizeof ksigning);
		sigv4_fail(cause, "OpenSSL could not compute HMAC-SHA256");
		goto out;
	}
	OPENSSL_cleanse(ksigning, sizeof ksigning);
	hex_encode(sig, sizeof sig, out->signature);
	OPENSSL_cleanse(sig, sizeof sig);

	out->canonical_request = sb_take(&creq);
	out->string_to_sign = sb_take(&sts);
	out->signed_headers = sb_take(&sh);
	if (out->canonical_request == NULL || out->string_to_sign == NULL ||
	    out->signed_headers == NULL) {
		sigv4_oom(cause);
		goto out;
	}
	err = 0;
out:
	cheaders_free(h, nh);
	sb_free(&creq);
	sb_free(&sts);
	sb_free(&sh);
	return err;
}

void
vg_sigv4_signed_clear(struct vg_sigv4_signed *s)
{
	if (s == NULL)
		return;
	free(s->canonical_request);
	free(s->string_to_sign);
	free(s->signed_headers);
	free(s->authorization);
	if (s->query != NULL) {
		OPENSSL_cleanse(s->query, strlen(s->query));
		free(s->query);
	}
	memset(s, 0, sizeof *s);
}

/* Start a signing: check the inputs, format the time, clear out. */
static int
sign_begin(const struct vg_sigv4_request *req,
    const struct vg_sigv4_credentials *cred, time_t when,
    struct vg_sigv4_signed *out, char amzdate[17], char **cause)
{
	if (out == NULL)
		return sigv4_fail(cause, "nowhere to put the signature");
	memset(out, 0, sizeof *out);
	if (check_request(req, cause) < 0 ||
	    check_credentials(cred, cause) < 0)
		return -1;
	if (vg_sigv4_format_time(when, amzdate) < 0)
		return sigv4_fail(cause, "the signing time %" PRId64 " is not "
		    "a date between the years 1000 and 9999", (int64_t)when);
	return 0;
}

/* Add the parameters of req (query string and list) to q. */
static void
qlist_add_request(struct qlist *q, const struct vg_sigv4_request *req)
{
	size_t i;

	qlist_add_query(q, req->query);
	for (i = 0; i < req->n_params; i++) {
		const char *v = req->params[i].value;

		qlist_add(q, req->params[i].name, strlen(req->params[i].name),
		    v, v != NULL ? strlen(v) : 0);
	}
}

int
vg_sigv4_sign_header(const struct vg_sigv4_request *req,
    const struct vg_sigv4_credentials *cred, time_t when,
    struct vg_sigv4_signed *out, char **cause)
{
	struct qlist q = { 0 };
	struct sb authz = { 0 };
	char amzdate[17];
	int err = -1;

	if (sign_begin(req, cred, when, out, amzdate, cause) < 0)
		return -1;
	qlist_add_request(&q, req);
	if (q.oom) {
		sigv4_oom(cause);
		goto out;
	}
	if (sigv4_sign(req, cred, amzdate, &q, NULL, out, cause) < 0)
		goto out;
	sb_add(&authz, SIGV4_ALGORITHM " Credential=");
	sb_add(&authz, cred->access_key);
	sb_addc(&authz, '/');
	sb_addn(&authz, amzdate, 8);
	sb_addc(&authz, '/');
	sb_add(&authz, cred->region);
	sb_addc(&authz, '/');
	sb_add(&authz, cred->service);
	sb_add(&authz, "/" SIGV4_TERMINATOR ", SignedHeaders=");
	sb_add(&authz, out->signed_headers);
	sb_add(&authz, ", Signature=");
	sb_add(&authz, out->signature);
	out->authorization = sb_take(&authz);
	if (out->authorization == NULL) {
		sigv4_oom(cause);
		goto out;
	}
	err = 0;
out:
	qlist_free(&q);
	return err;
}

int
vg_sigv4_sign_query(const struct vg_sigv4_request *req,
    const struct vg_sigv4_credentials *cred, time_t when, int64_t expires,
    struct vg_sigv4_signed *out, char **cause)
{
	struct qlist q = { 0 };
	struct sb cred_s = { 0 }, sh = { 0 }, query = { 0 };
	struct cheader *h = NULL;
	size_t nh = 0, i;
	char amzdate[17], exp_s[24];
	int err = -1;

	if (sign_begin(req, cred, when, out, amzdate, cause) < 0)
		return -1;
	if (expires < VG_SIGV4_EXPIRES_MIN || expires > VG_SIGV4_EXPIRES_MAX) {
		sigv4_fail(cause, "a presigned URL must expire after 1 to "
		    "604800 seconds (7 days), not %" PRId64 " seconds",
		    expires);
		goto out;
	}
	if (req->n_headers == 0) {
		sigv4_fail(cause, "a presigned request must sign at least "
		    "the Host header");
		goto out;
	}
	/* The list of signed headers goes into the query, so it is known
	 * before the canonical request is built. */
	h = canonical_headers(req, &nh, cause);
	if (h == NULL)
		goto out;
	for (i = 0; i < nh; i++) {
		if (i > 0)
			sb_addc(&sh, ';');
		sb_add(&sh, h[i].name);
	}
	sb_add(&cred_s, cred->access_key);
	sb_addc(&cred_s, '/');
	sb_addn(&cred_s, amzdate, 8);
	sb_addc(&cred_s, '/');
	sb_add(&cred_s, cred->region);
	sb_addc(&cred_s, '/');
	sb_add(&cred_s, cred->service);
	sb_add(&cred_s, "/" SIGV4_TERMINATOR);
	snprintf(exp_s, sizeof exp_s, "%" PRId64, expires);
	if (sh.oom || cred_s.oom) {
		sigv4_oom(cause);
		goto out;
	}

	qlist_add_request(&q, req);
	for (i = 0; i < q.n; i++)
		if (strncmp(q.p[i].name, "X-Amz-", 6) == 0 &&
		    (strcmp(q.p[i].name + 6, "Algorithm") == 0 ||
		    strcmp(q.p[i].name + 6, "Credential") == 0 ||
		    strcmp(q.p[i].name + 6, "Date") == 0 ||
		    strcmp(q.p[i].name + 6, "Expires") == 0 ||
		    strcmp(q.p[i].name + 6, "SignedHeaders") == 0 ||
		    strcmp(q.p[i].name + 6, "Security-Token") == 0 ||
		    strcmp(q.p[i].name + 6, "Signature") == 0)) {
			sigv4_fail(cause, "the query already has %s: the "
			    "signer adds it", q.p[i].name);
			goto out;
		}
	qlist_add(&q, "X-Amz-Algorithm", 15, SIGV4_ALGORITHM,
	    strlen(SIGV4_ALGORITHM));
	qlist_add(&q, "X-Amz-Credential", 16, cred_s.buf, cred_s.len);
	qlist_add(&q, "X-Amz-Date", 10, amzdate, strlen(amzdate));
	qlist_add(&q, "X-Amz-Expires", 13, exp_s, strlen(exp_s));
	qlist_add(&q, "X-Amz-SignedHeaders", 19, sh.buf, sh.len);
	if (cred->session_token != NULL && *cred->session_token != '\0')
		qlist_add(&q, "X-Amz-Security-Token", 20, cred->session_token,
		    strlen(cred->session_token));
	if (q.oom) {
		sigv4_oom(cause);
		goto out;
	}
	if (sigv4_sign(req, cred, amzdate, &q, sh.buf, out, cause) < 0)
		goto out;
	/* sigv4_sign sorted q: the canonical query is the URL's query. */
	sb_add_qlist(&query, &q);
	sb_add(&query, "&X-Amz-Signature=");
	sb_add(&query, out->signature);
	out->query = sb_take(&query);
	if (out->query == NULL) {
		sigv4_oom(cause);
		goto out;
	}
	err = 0;
out:
	cheaders_free(h, nh);
	qlist_free(&q);
	sb_free(&cred_s);
	sb_free(&sh);
	if (query.buf != NULL)
		OPENSSL_cleanse(query.buf, query.len);
	sb_free(&query);
	return err;
}

/* ---- S3 presigned URLs ---------------------------------------------- */

/* The parts of an endpoint URL. */
struct endpoint {
	bool https;
	char host[256];		/* without brackets for IPv6 */
	bool ipv6, ip;
	unsigned port;		/* 0: the scheme's default */
};

/* True if s (n bytes) is a dotted IPv4 address. */
static bool
is_ipv4(const char *s)
{
	unsigned a, b, c, d;
	char end;

	return sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &end) == 4 &&
	    a < 256 && b < 256 && c < 256 && d < 256;
}

/* Split "http[s]://host[:port][/]" into e. */
static int
parse_endpoint(const char *url, struct endpoint *e, char **cause)
{
	const char *s, *host, *hend, *p;
	size_t hlen;

	memset(e, 0, sizeof *e);
	if (strncmp(url, "https://", 8) == 0) {
		e->https = true;
		s = url + 8;
	} else if (strncmp(url, "http://", 7) == 0)
		s = url + 7;
	else
		return sigv4_fail(cause, "the endpoint \"%s\" must start with "
		    "https:// or http://", url);
	host = s;
	if (*s == '[') {
		hend = strchr(s, ']');
		if (hend == NULL)
			return sigv4_fail(cause, "the endpoint \"%s\" has an "
			    "IPv6 address without its closing ']'", url);
		host = s + 1;
		p = hend + 1;
		e->ipv6 = e->ip = true;
	} else {
		hend = s + strcspn(s, ":/?#@");
		p = hend;
	}
	hlen = (size_t)(hend - host);
	if (hlen == 0)
		return sigv4_fail(cause, "the endpoint \"%s\" has no host",
		    url);
	if (hlen >= sizeof e->host)
		return sigv4_fail(cause, "the host of the endpoint \"%s\" is "
		    "too long", url);
	memcpy(e->host, host, hlen);
	e->host[hlen] = '\0';
	for (s = e->host; *s != '\0'; s++)
		if (!(isalnum((unsigned char)*s) || *s == '-' || *s == '.' ||
		    (e->ipv6 && *s == ':')))
			return sigv4_fail(cause, "the host of the endpoint "
			    "\"%s\" has a character a host name cannot have",
			    url);
	if (!e->ipv6)
		e->ip = is_ipv4(e->host);
	if (*p == ':') {
		char *end;
		unsigned long port = strtoul(p + 1, &end, 10);

		if (end == p + 1 || port < 1 || port > 65535 ||
		    !isdigit((unsigned char)p[1]))
			return sigv4_fail(cause, "the endpoint \"%s\" has a "
			    "port that is not a number from 1 to 65535", url);
		e->port = (unsigned)port;
		p = end;
		if ((e->https && port == 443) || (!e->https && port == 80))
			e->port = 0;	/* what curl sends as Host */
	}
	if (*p == '/')
		p++;
	if (*p != '\0')
		return sigv4_fail(cause, "the endpoint \"%s\" must be only "
		    "scheme, host and port (no path, query or user)", url);
	return 0;
}

/* True if name is a bucket name that can be part of a host name. */
static bool
bucket_dns_ok(const char *name)
{
	size_t n = strlen(name), i;

	if (n < 3 || n > 63 || name[0] == '-' || name[0] == '.' ||
	    name[n - 1] == '-' || name[n - 1] == '.' || is_ipv4(name))
		return false;
	for (i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '-' ||
		    (name[i] == '.' && name[i + 1] != '.')))
			return false;
	return true;
}

/* Position of the first byte that is not UTF-8, or -1 if all are. */
static long
utf8_invalid_at(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (p[i] != '\0') {
		unsigned c = p[i], need, cp, min;
		size_t k;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			need = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			need = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			need = 3, cp = c & 0x07, min = 0x10000;
		} else
			return (long)i;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return (long)i;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return (long)i;
		i += need + 1;
	}
	return -1;
}

int
vg_s3_presign(const struct vg_s3_presign *p, char **url, char **cause)
{
	struct vg_sigv4_credentials cred;
	struct vg_sigv4_request req;
	struct vg_sigv4_header host_h;
	struct vg_sigv4_signed sig = { 0 };
	struct endpoint e;
	struct sb host = { 0 }, path = { 0 }, u = { 0 }, ep = { 0 };
	long bad;
	int err = -1;

	if (url == NULL)
		return sigv4_fail(cause, "nowhere to put the URL");
	*url = NULL;
	if (p == NULL)
		return sigv4_fail(cause, "nothing to presign");
	if (p->bucket == NULL || *p->bucket == '\0')
		return sigv4_fail(cause, "the bucket name is empty");
	if (strchr(p->bucket, '/') != NULL ||
	    strpbrk(p->bucket, " \t\r\n?#") != NULL)
		return sigv4_fail(cause, "the bucket name \"%s\" has a '/', a "
		    "space, '?' or '#', which a bucket name cannot have",
		    p->bucket);
	if (p->key == NULL || *p->key == '\0')
		return sigv4_fail(cause, "the object key is empty");
	if (strlen(p->key) > 1024)
		return sigv4_fail(cause, "the object key is %zu bytes long; S3 "
		    "allows at most 1024", strlen(p->key));
	if ((bad = utf8_invalid_at(p->key)) >= 0)
		return sigv4_fail(cause, "the object key is not valid UTF-8 "
		    "(byte %ld)", bad + 1);
	if (p->region == NULL || *p->region == '\0')
		return sigv4_fail(cause, "the region is empty (S3 signs with "
		    "it; us-east-1 if unsure)");

	if (p->endpoint != NULL && *p->endpoint != '\0')
		sb_add(&ep, p->endpoint);
	else if (scope_word_ok(p->region)) {
		sb_add(&ep, "https://s3.");
		sb_add(&ep, p->region);
		sb_add(&ep, ".amazonaws.com");
	} else {
		/* check_credentials names the bad region */
		sb_add(&ep, "https://s3.amazonaws.com");
	}
	if (ep.oom) {
		sigv4_oom(cause);
		goto out;
	}
	if (parse_endpoint(ep.buf, &e, cause) < 0)
		goto out;

	if (p->virtual_hosted) {
		if (e.ip) {
			sigv4_fail(cause, "virtual-hosted addressing needs a "
			    "host name, and the endpoint \"%s\" is an IP "
			    "address: use path-style", ep.buf);
			goto out;
		}
		if (!bucket_dns_ok(p->bucket)) {
			sigv4_fail(cause, "the bucket name \"%s\" cannot be "
			    "part of a host name (3 to 63 lowercase letters, "
			    "digits, '-' and '.'): use path-style",
			    p->bucket);
			goto out;
		}
		if (e.https && strchr(p->bucket, '.') != NULL) {
			sigv4_fail(cause, "the bucket name \"%s\" has a '.', "
			    "so as part of the host name it would not match "
			    "the server's TLS certificate: use path-style",
			    p->bucket);
			goto out;
		}
		sb_add(&host, p->bucket);
		sb_addc(&host, '.');
	}
	if (e.ipv6)
		sb_addc(&host, '[');
	sb_add(&host, e.host);
	if (e.ipv6)
		sb_addc(&host, ']');
	if (e.port != 0) {
		char port[16];

		snprintf(port, sizeof port, ":%u", e.port);
		sb_add(&host, port);
	}
	sb_addc(&path, '/');
	if (!p->virtual_hosted) {
		sb_add(&path, p->bucket);
		sb_addc(&path, '/');
	}
	sb_add(&path, p->key);
	if (host.oom || path.oom) {
		sigv4_oom(cause);
		goto out;
	}

	memset(&cred, 0, sizeof cred);
	cred.access_key = p->access_key;
	cred.secret_key = p->secret_key;
	cred.session_token = p->session_token;
	cred.region = p->region;
	cred.service = "s3";
	host_h.name = "host";
	host_h.value = host.buf;
	memset(&req, 0, sizeof req);
	req.method = p->method != NULL ? p->method : "GET";
	req.path = path.buf;
	req.params = p->params;
	req.n_params = p->n_params;
	req.headers = &host_h;
	req.n_headers = 1;
	req.payload_hash = VG_SIGV4_UNSIGNED_PAYLOAD;
	req.flags = VG_SIGV4_S3;
	if (vg_sigv4_sign_query(&req, &cred, p->when, p->expires, &sig,
	    cause) < 0)
		goto out;

	sb_add(&u, e.https ? "https://" : "http://");
	sb_add(&u, host.buf);
	sb_add_encoded(&u, path.buf, path.len, true);
	sb_addc(&u, '?');
	sb_add(&u, sig.query);
	*url = sb_take(&u);
	if (*url == NULL) {
		sigv4_oom(cause);
		goto out;
	}
	err = 0;
out:
	vg_sigv4_signed_clear(&sig);
	sb_free(&host);
	sb_free(&path);
	sb_free(&ep);
	if (u.buf != NULL)
		OPENSSL_cleanse(u.buf, u.len);
	sb_free(&u);
	return err;
}
