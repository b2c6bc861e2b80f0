/* store-s3.c - S3 (AWS and compatible services) through libcurl, signed
 * with CURLOPT_AWS_SIGV4.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Below part_size_mb a file goes in one PUT, above it in a multipart
 * upload whose id and finished parts the journal keeps (a restart
 * continues without ListParts, which not every S3 service has).  Every
 * body carries Content-MD5, streamed from disk (pread into libcurl's
 * buffer), so memory stays bounded whatever the size.  HEAD verifies the
 * size and the ETag (the MD5 of a single PUT, MD5-of-MD5s-N of a
 * multipart upload; not with SSE-KMS, whose ETags are no MD5).
 *
 * The body hash is sent as UNSIGNED-PAYLOAD (signing it would mean a
 * third pass over every byte; Content-MD5 protects the payload instead).
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "i18n.h"
#include "libvigia.h"
#include "spool.h"
#include "store-sigv4.h"
#include "store.h"

#define S3_BODY_MAX 65536	/* kept of a reply body */
#define S3_MAX_PARTS 10000

struct s3 {
	struct vg_store base;
	char *base_url;		/* scheme://host[:port] */
	char *scheme;		/* "https" */
	char *hostport;
	bool virtual_hosted;
	char *bucket;
	char *region;
	char *prefix;
	char *access_key;
	char *userpwd;		/* "access:secret": wiped */
	char *sigv4;		/* "aws:amz:REGION:s3" */
	char *storage_class;
	char *sse;		/* "AES256", "aws:kms" or NULL */
	char *kms_key_id;
	bool insecure;
	int64_t part_size;
	CURL *curl;
};

/* A request body: a range of a file, or memory. */
struct s3_body {
	int fd;
	int64_t off, len, pos;
	const char *mem;
	struct vg_rate *rate;
	const volatile int *stop;
	int64_t sent;
};

struct s3_resp {
	long status;
	char *body;
	size_t blen;
	char etag[80];
	char date[64];
	char region[64];
	int64_t clen;
	FILE *out;		/* GET: 2xx bodies go here */
};

static void
s3_resp_clear(struct s3_resp *r)
{
	free(r->body);
	memset(r, 0, sizeof *r);
}

static size_t
s3_read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	struct s3_body *b = arg;
	size_t want = size * nitems;
	ssize_t n;

	if (b->stop != NULL && *b->stop)
		return CURL_READFUNC_ABORT;
	if ((int64_t)want > b->len - b->pos)
		want = (size_t)(b->len - b->pos);
	if (want == 0)
		return 0;
	want = vg_rate_take(b->rate, want);
	if (b->mem != NULL) {
		memcpy(buf, b->mem + b->pos, want);
		n = (ssize_t)want;
	} else {
		do
			n = pread(b->fd, buf, want, (off_t)(b->off + b->pos));
		while (n == -1 && errno == EINTR);
		if (n <= 0)
			return CURL_READFUNC_ABORT;
	}
	b->pos += n;
	b->sent += n;
	return (size_t)n;
}

static int
s3_seek_cb(void *arg, curl_off_t offset, int origin)
{
	struct s3_body *b = arg;

	if (origin != SEEK_SET || offset < 0 || offset > b->len)
		return CURL_SEEKFUNC_CANTSEEK;
	b->pos = offset;
	return CURL_SEEKFUNC_OK;
}

static size_t
s3_write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct s3_resp *r = arg;
	size_t n = size * nmemb;

	/* s3_header_cb has set the status of this reply */
	if (r->out != NULL && r->status == 200)
		return fwrite(ptr, 1, n, r->out) == n ? n : 0;
	if (r->blen + n > S3_BODY_MAX)
		n = S3_BODY_MAX > r->blen ? S3_BODY_MAX - r->blen : 0;
	if (n > 0) {
		r->body = xrealloc(r->body, r->blen + n + 1);
		memcpy(r->body + r->blen, ptr, n);
		r->blen += n;
		r->body[r->blen] = '\0';
	}
	return size * nmemb;
}

static void
hdr_value(const char *line, size_t len, const char *name, char *out,
    size_t outsz)
{
	size_t nl = strlen(name), vl;
	const char *v;

	if (len <= nl + 1 || strncasecmp(line, name, nl) != 0 ||
	    line[nl] != ':')
		return;
	v = line + nl + 1;
	while (v < line + len && (*v == ' ' || *v == '\t'))
		v++;
	vl = (size_t)(line + len - v);
	while (vl > 0 && (v[vl - 1] == '\r' || v[vl - 1] == '\n' ||
	    v[vl - 1] == ' '))
		vl--;
	if (vl >= outsz)
		vl = outsz - 1;
	memcpy(out, v, vl);
	out[vl] = '\0';
}

static size_t
s3_header_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	struct s3_resp *r = arg;
	size_t n = size * nitems;
	char cl[32] = "";

	if (n > 5 && strncmp(buf, "HTTP/", 5) == 0) {
		/* a new response (after 100 Continue, a redirect) */
		r->etag[0] = r->date[0] = r->region[0] = '\0';
		r->status = strtol(buf + 9 < buf + n ? strchr(buf, ' ') ?
		    strchr(buf, ' ') + 1 : "0" : "0", NULL, 10);
		return n;
	}
	hdr_value(buf, n, "ETag", r->etag, sizeof r->etag);
	hdr_value(buf, n, "Date", r->date, sizeof r->date);
	hdr_value(buf, n, "x-amz-bucket-region", r->region, sizeof r->region);
	hdr_value(buf, n, "Content-Length", cl, sizeof cl);
	if (cl[0] != '\0')
		r->clen = strtoll(cl, NULL, 10);
	return n;
}

static int
s3_progress_cb(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	const volatile int *stop = arg;

	(void)dt, (void)dn, (void)ut, (void)un;
	return stop != NULL && *stop ? 1 : 0;
}

/* The text of <tag>...</tag> in an XML reply into out ("" if absent). */
static void
xml_text(const char *xml, const char *tag, char *out, size_t outsz)
{
	char open[64], close[64];
	const char *a, *b;
	size_t n;

	out[0] = '\0';
	if (xml == NULL)
		return;
	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	if ((a = strstr(xml, open)) == NULL)
		return;
	a += strlen(open);
	if ((b = strstr(a, close)) == NULL)
		return;
	n = (size_t)(b - a);
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, a, n);
	out[n] = '\0';
}

/* The object's path in the URL, encoded once ("/bucket/prefix/key"). */
static char *
s3_url(struct s3 *s, const char *key, const char *query)
{
	char *full, *enc, *url;

	xasprintf(&full, "%s%s", s->prefix ? s->prefix : "", key ? key : "");
	enc = vg_sigv4_uri_encode(full, strlen(full), true);
	if (enc == NULL)
		fatal("out of memory");
	if (s->virtual_hosted)
		xasprintf(&url, "%s://%s.%s/%s%s%s", s->scheme, s->bucket,
		    s->hostport, enc, query ? "?" : "", query ? query : "");
	else
		xasprintf(&url, "%s/%s/%s%s%s", s->base_url, s->bucket, enc,
		    query ? "?" : "", query ? query : "");
	free(full);
	free(enc);
	return url;
}

/* Turn a failed request into plain words.  Returns VG_ERR_*. */
static int
s3_error(struct s3 *s, CURLcode cc, const char *curlerr, struct s3_resp *r,
    bool stopping, struct vg_store_err *e)
{
	char code[64], msg[256], region[64];

	if (cc != CURLE_OK) {
		switch (cc) {
		case CURLE_ABORTED_BY_CALLBACK:
		case CURLE_READ_ERROR:
			if (!stopping) {
				vg_store_err_set(e, false, "local",
				    _("cannot read the file being uploaded: %s"),
				    curlerr);
				return VG_ERR_IO;
			}
			vg_store_err_set(e, false, "stop",
			    _("the upload was interrupted"));
			return VG_ERR_CANCELLED;
		case CURLE_PEER_FAILED_VERIFICATION:
		case CURLE_SSL_CACERT_BADFILE:
		case CURLE_SSL_CERTPROBLEM:
			vg_store_err_set(e, true, "tls",
			    _("the TLS certificate of %s cannot be trusted (%s); fix the certificate, or set insecure = true to skip the check"),
			    s->hostport, curlerr);
			return VG_ERR_AUTH;
		case CURLE_COULDNT_RESOLVE_HOST:
			vg_store_err_set(e, false, "net",
			    _("the name %s does not resolve (DNS): %s"),
			    s->hostport, curlerr);
			return VG_ERR_NET;
		case CURLE_OPERATION_TIMEDOUT:
			vg_store_err_set(e, false, "net",
			    _("%s did not answer in time: %s"), s->hostport,
			    curlerr);
			return VG_ERR_TIMEOUT;
		default:
			vg_store_err_set(e, false, "net",
			    _("cannot reach %s: %s"), s->hostport, curlerr);
			return VG_ERR_NET;
		}
	}
	xml_text(r->body, "Code", code, sizeof code);
	xml_text(r->body, "Message", msg, sizeof msg);
	xml_text(r->body, "Region", region, sizeof region);
	if (region[0] == '\0' && r->region[0] != '\0')
		snprintf(region, sizeof region, "%s", r->region);
	if (strcmp(code, "SignatureDoesNotMatch") == 0) {
		vg_store_err_set(e, true, "auth",
		    _("the secret key is wrong for access key %s (SignatureDoesNotMatch)"),
		    s->access_key);
		return VG_ERR_AUTH;
	}
	if (strcmp(code, "InvalidAccessKeyId") == 0) {
		vg_store_err_set(e, true, "auth",
		    _("the store does not know the access key %s (InvalidAccessKeyId)"),
		    s->access_key);
		return VG_ERR_AUTH;
	}
	if (strcmp(code, "NoSuchBucket") == 0) {
		vg_store_err_set(e, true, "bucket",
		    _("the bucket %s does not exist (NoSuchBucket): create it or fix bucket ="),
		    s->bucket);
		return VG_ERR_NOTFOUND;
	}
	if (strcmp(code, "AccessDenied") == 0) {
		vg_store_err_set(e, true, "auth",
		    _("access denied to bucket %s for key %s (AccessDenied): the key needs s3:PutObject, s3:GetObject and s3:DeleteObject there"),
		    s->bucket, s->access_key);
		return VG_ERR_AUTH;
	}
	if (strcmp(code, "AuthorizationHeaderMalformed") == 0 ||
	    strcmp(code, "PermanentRedirect") == 0 ||
	    strcmp(code, "IllegalLocationConstraintException") == 0 ||
	    (r->status == 301 && region[0] != '\0')) {
		if (region[0] != '\0' && strcmp(region, s->region) != 0)
			vg_store_err_set(e, true, "region",
			    _("the bucket %s is in region %s, not %s: set region = \"%s\""),
			    s->bucket, region, s->region, region);
		else
			vg_store_err_set(e, true, "region",
			    _("the store refused region %s for bucket %s (%s): check region and endpoint"),
			    s->region, s->bucket, code[0] ? code : "301");
		return VG_ERR_CONFIG;
	}
	if (strcmp(code, "RequestTimeTooSkewed") == 0) {
		time_t theirs = r->date[0] ? curl_getdate(r->date, NULL) : -1;
		long off = theirs > 0 ? (long)(time(NULL) - theirs) : 0;

		if (theirs > 0)
			vg_store_err_set(e, false, "clock",
			    _("this box's clock is off by %ld s from the store's (RequestTimeTooSkewed): set up NTP"),
			    off);
		else
			vg_store_err_set(e, false, "clock",
			    _("this box's clock is off from the store's by more than 15 minutes (RequestTimeTooSkewed): set up NTP"));
		return VG_ERR_AUTH;
	}
	if (strcmp(code, "NoSuchUpload") == 0) {
		vg_store_err_set(e, false, "server",
		    _("the store forgot the multipart upload (NoSuchUpload); starting it again"));
		return VG_ERR_NOTFOUND;
	}
	if (strcmp(code, "NoSuchKey") == 0 || r->status == 404) {
		vg_store_err_set(e, true, "missing",
		    _("no such object in bucket %s"), s->bucket);
		return VG_ERR_NOTFOUND;
	}
	if (strcmp(code, "BadDigest") == 0 ||
	    strcmp(code, "InvalidDigest") == 0) {
		vg_store_err_set(e, false, "verify",
		    _("the store received other bytes than were sent (%s)"),
		    code);
		return VG_ERR_PROTO;
	}
	if (r->status >= 500 || r->status == 429 || r->status == 408 ||
	    strcmp(code, "SlowDown") == 0 ||
	    strcmp(code, "RequestTimeout") == 0) {
		vg_store_err_set(e, false, "server",
		    _("the store is failing (HTTP %ld %s); retrying later"),
		    r->status, code[0] ? code : "");
		return VG_ERR_NET;
	}
	if (strcmp(code, "EntityTooLarge") == 0 ||
	    strcmp(code, "QuotaExceeded") == 0) {
		vg_store_err_set(e, true, "full",
		    _("the store refused the object: %s (%s)"), msg, code);
		return VG_ERR_IO;
	}
	vg_store_err_set(e, true, "server",
	    _("the store refused the request: HTTP %ld %s %s"), r->status,
	    code, msg);
	return VG_ERR_PROTO;
}

/*
 * One request.  body NULL: none.  query: already encoded.  On a non-2xx
 * reply or a transport failure, *e is set and VG_ERR_* returned; r holds
 * the reply either way (the caller clears it).
 */
static int
s3_request(struct s3 *s, const char *method, const char *key,
    const char *query, struct curl_slist *hdrs, struct s3_body *body,
    const volatile int *stop, struct s3_resp *r, struct vg_store_err *e)
{
	CURL *c = s->curl;
	char *url = s3_url(s, key, query);
	char errbuf[CURL_ERROR_SIZE] = "";
	CURLcode cc;
	long code = 0;
	int err = 0;

	curl_easy_reset(c);
	hdrs = curl_slist_append(hdrs, "x-amz-content-sha256: UNSIGNED-PAYLOAD");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_AWS_SIGV4, s->sigv4);
	curl_easy_setopt(c, CURLOPT_USERPWD, s->userpwd);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, s->base.connect_s);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, s->base.low_speed_bytes);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, s->base.low_speed_s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, s3_header_cb);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, s3_write_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, s3_progress_cb);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)stop);
	if (s->insecure) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (strcmp(method, "PUT") == 0 && body != NULL) {
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE,
		    (curl_off_t)body->len);
	} else if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(body ? body->len : 0));
		if (body == NULL)
			curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
	} else if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	} else if (strcmp(method, "GET") != 0) {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	}
	if (body != NULL) {
		/* larger writes, fewer system calls; still bounded memory */
		curl_easy_setopt(c, CURLOPT_UPLOAD_BUFFERSIZE, 512L * 1024);
		body->pos = 0;
		curl_easy_setopt(c, CURLOPT_READFUNCTION, s3_read_cb);
		curl_easy_setopt(c, CURLOPT_READDATA, body);
		curl_easy_setopt(c, CURLOPT_SEEKFUNCTION, s3_seek_cb);
		curl_easy_setopt(c, CURLOPT_SEEKDATA, body);
	}
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	r->status = code;
	if (cc != CURLE_OK || code < 200 || code > 299)
		err = s3_error(s, cc, errbuf[0] ? errbuf : curl_easy_strerror(cc),
		    r, stop != NULL && *stop, e);
	if (err != 0)
		log_debug("s3 %s %s: %s", method, key ? key : "",
		    e->msg ? e->msg : "");
	curl_slist_free_all(hdrs);
	free(url);
	return err;
}

/* MD5 of a file range: binary into md (16 bytes). */
static int
md5_range(int fd, int64_t off, int64_t len, unsigned char md[16])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char *buf = xmalloc(1 << 17);
	unsigned int mdlen = 0;
	int64_t done = 0;
	ssize_t n;
	int err = 0;

	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_md5(), NULL) != 1)
		fatal("EVP MD5");
	while (done < len) {
		size_t want = (size_t)(len - done < (1 << 17) ? len - done :
		    (1 << 17));

		n = pread(fd, buf, want, (off_t)(off + done));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = -1;
			break;
		}
		EVP_DigestUpdate(ctx, buf, (size_t)n);
		done += n;
	}
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	free(buf);
	return err;
}

static void
hex16(const unsigned char md[16], char out[33])
{
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static int
unhex16(const char *s, unsigned char md[16])
{
	if (*s == '"')
		s++;
	for (int i = 0; i < 16; i++) {
		unsigned int v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		md[i] = (unsigned char)v;
	}
	return 0;
}

static struct curl_slist *
md5_header(struct curl_slist *h, const unsigned char md[16])
{
	unsigned char b64[32];
	char *line;

	EVP_EncodeBlock(b64, md, 16);
	xasprintf(&line, "Content-MD5: %s", b64);
	h = curl_slist_append(h, line);
	free(line);
	return h;
}

/* Headers of a new object: type, storage class, encryption. */
static struct curl_slist *
s3_object_headers(struct s3 *s, const char *ctype)
{
	struct curl_slist *h = NULL;
	char *line;

	xasprintf(&line, "Content-Type: %s",
	    ctype ? ctype : "application/octet-stream");
	h = curl_slist_append(h, line);
	free(line);
	if (s->storage_class != NULL) {
		xasprintf(&line, "x-amz-storage-class: %s", s->storage_class);
		h = curl_slist_append(h, line);
		free(line);
	}
	if (s->sse != NULL) {
		xasprintf(&line, "x-amz-server-side-encryption: %s", s->sse);
		h = curl_slist_append(h, line);
		free(line);
		if (s->kms_key_id != NULL) {
			xasprintf(&line,
			    "x-amz-server-side-encryption-aws-kms-key-id: %s",
			    s->kms_key_id);
			h = curl_slist_append(h, line);
			free(line);
		}
	}
	return h;
}

static void
etag_strip(const char *in, char *out, size_t outsz)
{
	size_t n;

	if (*in == '"')
		in++;
	n = strlen(in);
	if (n > 0 && in[n - 1] == '"')
		n--;
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, in, n);
	out[n] = '\0';
}

/* HEAD: size and ETag (unquoted). */
static int
s3_head(struct s3 *s, const char *key, int64_t *size, char *etag,
    size_t etagsz, struct vg_store_err *e)
{
	struct s3_resp r = { 0 };
	int err;

	err = s3_request(s, "HEAD", key, NULL, NULL, NULL, NULL, &r, e);
	if (err != 0 && r.status >= 300 && r.status != 404 && r.blen == 0) {
		/* a HEAD reply has no body to say why: ask with a GET of one
		 * byte (the answer is the same error, with its code) */
		s3_resp_clear(&r);
		vg_store_err_clear(e);
		err = s3_request(s, "GET", key, NULL,
		    curl_slist_append(NULL, "Range: bytes=0-0"), NULL, NULL,
		    &r, e);
		if (err == 0) {
			/* it exists after all: HEAD again for size and ETag */
			s3_resp_clear(&r);
			err = s3_request(s, "HEAD", key, NULL, NULL, NULL,
			    NULL, &r, e);
		}
	}
	if (err == 0) {
		*size = r.clen;
		if (etag != NULL)
			etag_strip(r.etag, etag, etagsz);
	}
	s3_resp_clear(&r);
	return err;
}

static int md5_range(int fd, int64_t off, int64_t len, unsigned char md[16]);
static void hex16(const unsigned char md[16], char out[33]);

/*
 * HEAD the object: the size, and the ETag against want.  Some services
 * (s3rver, older Ceph) give a multipart object the MD5 of its whole
 * content rather than MD5-of-MD5s-N: then the size and the parts' ETags
 * (each checked against its MD5 when it was sent) are the check.
 */
static int
s3_verify(struct s3 *s, const char *key, int64_t size, const char *want,
    int fd, struct vg_store_result *res, struct vg_store_err *e)
{
	char etag[80];
	int64_t got = -1;
	int err;

	if ((err = s3_head(s, key, &got, etag, sizeof etag, e)) != 0)
		return err;
	if (got != size) {
		vg_store_err_set(e, false, "verify",
		    _("the stored object has %" PRId64 " bytes, the file %" PRId64 ": uploading it again"),
		    got, size);
		return VG_ERR_PROTO;
	}
	/* SSE-KMS ETags are not MD5s */
	if (want != NULL && strchr(want, '-') != NULL &&
	    strchr(etag, '-') == NULL) {
		/* every part's ETag was its MD5 and the size is right: that
		 * is the check (the whole file's MD5 would cost a pass) */
		log_debug("s3 %s: the store's multipart ETag %s is not of the MD5-of-MD5s form; the parts' ETags were checked",
		    key, etag);
		want = NULL;
	}
	if (want != NULL && (s->sse == NULL || strcmp(s->sse, "AES256") == 0) &&
	    strcasecmp(etag, want) != 0) {
		vg_store_err_set(e, false, "verify",
		    _("the stored object's checksum (ETag %s) is not the file's (%s): uploading it again"),
		    etag, want);
		return VG_ERR_PROTO;
	}
	snprintf(res->etag, sizeof res->etag, "%s", etag);
	res->bytes = got;
	return 0;
}

static int
s3_put_single(struct s3 *s, const struct vg_store_put *p, int fd,
    int64_t size, struct vg_store_result *res, struct vg_store_err *e)
{
	struct s3_body b = { .fd = fd, .len = size, .rate = p->rate,
	    .stop = p->stop };
	struct s3_resp r = { 0 };
	struct curl_slist *h;
	unsigned char md[16];
	char hex[33];
	int err;

	if (md5_range(fd, 0, size, md) != 0) {
		vg_store_err_set(e, false, "local", _("cannot read %s: %s"),
		    p->path, strerror(errno));
		return VG_ERR_IO;
	}
	hex16(md, hex);
	h = md5_header(s3_object_headers(s, p->content_type), md);
	err = s3_request(s, "PUT", p->key, NULL, h, &b, p->stop, &r, e);
	res->sent += b.sent;
	s3_resp_clear(&r);
	if (err != 0)
		return err;
	return s3_verify(s, p->key, size, hex, fd, res, e);
}

/* Complete body: <Part> per number. */
static char *
complete_xml(const char (*etags)[36], int n)
{
	size_t cap = 128 + (size_t)n * 96, len = 0;
	char *x = xmalloc(cap);

	len += (size_t)snprintf(x + len, cap - len,
	    "<CompleteMultipartUpload>");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(x + len, cap - len,
		    "<Part><PartNumber>%d</PartNumber><ETag>\"%s\"</ETag></Part>",
		    i + 1, etags[i]);
	snprintf(x + len, cap - len, "</CompleteMultipartUpload>");
	return x;
}

static int
s3_put_multipart(struct s3 *s, const struct vg_store_put *p, int fd,
    int64_t size, struct vg_store_result *res, struct vg_store_err *e)
{
	int64_t psize = s->part_size;
	int nparts, err = 0;
	char (*etags)[36] = NULL;
	char *upload_id = p->upload_id ? xstrdup(p->upload_id) : NULL;
	char *q = NULL, *cause = NULL, *xml = NULL, want[48];
	struct vg_spool_part *done = NULL;
	size_t ndone = 0;
	struct s3_resp r = { 0 };
	unsigned char md[16];
	EVP_MD_CTX *ctx = NULL;
	unsigned int mdlen;

	res->multipart = true;
	/* at most 10000 parts: grow the part size for huge files */
	while ((size + psize - 1) / psize > S3_MAX_PARTS)
		psize *= 2;
	nparts = (int)((size + psize - 1) / psize);
	etags = xcalloc((size_t)nparts, sizeof *etags);

	if (upload_id != NULL && p->sp != NULL &&
	    vg_spool_up_parts(p->sp, p->id, &done, &ndone, &cause) != 0) {
		vg_store_err_set(e, false, "local", "%s", cause);
		err = VG_ERR_IO;
		goto out;
	}
	if (upload_id == NULL) {
		struct curl_slist *h = s3_object_headers(s, p->content_type);

		err = s3_request(s, "POST", p->key, "uploads=", h, NULL,
		    p->stop, &r, e);
		if (err != 0)
			goto out;
		{
			char id[512];

			xml_text(r.body, "UploadId", id, sizeof id);
			if (id[0] == '\0') {
				vg_store_err_set(e, false, "server",
				    _("the store started a multipart upload without an upload id"));
				err = VG_ERR_PROTO;
				goto out;
			}
			upload_id = xstrdup(id);
		}
		s3_resp_clear(&r);
		if (p->sp != NULL && vg_spool_up_multipart(p->sp, p->id,
		    upload_id, &cause) != 0) {
			vg_store_err_set(e, false, "local", "%s", cause);
			err = VG_ERR_IO;
			goto out;
		}
	}
	for (size_t i = 0; i < ndone; i++) {
		int n = done[i].number;
		int64_t want_bytes = n < nparts ? psize : size - psize *
		    (int64_t)(nparts - 1);

		if (n >= 1 && n <= nparts && done[i].bytes == want_bytes &&
		    done[i].etag != NULL) {
			etag_strip(done[i].etag, etags[n - 1], sizeof etags[0]);
			res->parts_reused++;
		}
	}
	for (int n = 1; n <= nparts; n++) {
		int64_t off = psize * (int64_t)(n - 1);
		int64_t len = n < nparts ? psize : size - off;
		struct s3_body b = { .fd = fd, .off = off, .len = len,
		    .rate = p->rate, .stop = p->stop };
		char *ue, hex[33], got[80];

		if (etags[n - 1][0] != '\0')
			continue;
		if (p->stop != NULL && *p->stop) {
			vg_store_err_set(e, false, "stop",
			    _("the upload was interrupted"));
			err = VG_ERR_CANCELLED;
			goto out;
		}
		if (md5_range(fd, off, len, md) != 0) {
			vg_store_err_set(e, false, "local",
			    _("cannot read %s: %s"), p->path, strerror(errno));
			err = VG_ERR_IO;
			goto out;
		}
		hex16(md, hex);
		ue = vg_sigv4_uri_encode(upload_id, strlen(upload_id), false);
		free(q);
		xasprintf(&q, "partNumber=%d&uploadId=%s", n, ue);
		free(ue);
		err = s3_request(s, "PUT", p->key, q, md5_header(NULL, md), &b,
		    p->stop, &r, e);
		res->sent += b.sent;
		etag_strip(r.etag, got, sizeof got);
		s3_resp_clear(&r);
		if (err != 0)
			goto out;
		if (strcasecmp(got, hex) != 0) {
			vg_store_err_set(e, false, "verify",
			    _("part %d came back with ETag %s, not its MD5 %s"),
			    n, got, hex);
			err = VG_ERR_PROTO;
			goto out;
		}
		snprintf(etags[n - 1], sizeof etags[0], "%s", hex);
		if (p->sp != NULL && vg_spool_up_part(p->sp, p->id, n, len,
		    hex, &cause) != 0) {
			vg_store_err_set(e, false, "local", "%s", cause);
			err = VG_ERR_IO;
			goto out;
		}
	}
	/* the expected ETag: MD5 of the parts' MD5s, "-N" */
	ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_md5(), NULL);
	for (int n = 0; n < nparts; n++) {
		if (unhex16(etags[n], md) != 0) {
			vg_store_err_set(e, false, "verify",
			    _("part %d has no usable ETag"), n + 1);
			err = VG_ERR_PROTO;
			goto out;
		}
		EVP_DigestUpdate(ctx, md, 16);
	}
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	hex16(md, want);
	snprintf(want + 32, sizeof want - 32, "-%d", nparts);

	xml = complete_xml((const char (*)[36])etags, nparts);
	{
		char *ue = vg_sigv4_uri_encode(upload_id, strlen(upload_id),
		    false);
		struct s3_body b = { .fd = -1, .mem = xml,
		    .len = (int64_t)strlen(xml) };
		char code[64];

		free(q);
		xasprintf(&q, "uploadId=%s", ue);
		free(ue);
		err = s3_request(s, "POST", p->key, q,
		    curl_slist_append(NULL, "Content-Type: application/xml"),
		    &b, p->stop, &r, e);
		/* a 200 may still carry an error (AWS) */
		xml_text(r.body, "Code", code, sizeof code);
		if (err == 0 && r.body != NULL && strstr(r.body, "<Error>")) {
			err = s3_error(s, CURLE_OK, "", &r, false, e);
			e->permanent = false;
		}
		s3_resp_clear(&r);
		if (err == VG_ERR_NOTFOUND && strcmp(e->cls, "server") == 0) {
			/* NoSuchUpload: completed before a crash? */
			struct vg_store_err e2 = { 0 };

			if (s3_verify(s, p->key, size, want, fd, res, &e2) == 0) {
				vg_store_err_clear(e);
				err = 0;
				goto out;
			}
			vg_store_err_clear(&e2);
			if (p->sp != NULL)
				vg_spool_up_multipart(p->sp, p->id, NULL, NULL);
			goto out;
		}
		if (err != 0)
			goto out;
	}
	err = s3_verify(s, p->key, size, want, fd, res, e);
out:
	if (err == VG_ERR_NOTFOUND && e->cls != NULL &&
	    strcmp(e->cls, "server") == 0 && p->sp != NULL)
		vg_spool_up_multipart(p->sp, p->id, NULL, NULL);
	EVP_MD_CTX_free(ctx);
	s3_resp_clear(&r);
	vg_spool_parts_free(done, ndone);
	free(etags);
	free(upload_id);
	free(q);
	free(xml);
	free(cause);
	return err;
}

static int
s3_put(struct vg_store *st, const struct vg_store_put *p,
    struct vg_store_result *res, struct vg_store_err *e)
{
	struct s3 *s = (struct s3 *)st;
	struct stat sb;
	int fd, err;

	memset(res, 0, sizeof *res);
	if ((fd = open(p->path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &sb) == -1) {
		vg_store_err_set(e, true, "local", _("cannot read %s: %s"),
		    p->path, strerror(errno));
		if (fd != -1)
			close(fd);
		return VG_ERR_IO;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	if (sb.st_size > s->part_size || p->upload_id != NULL)
		err = s3_put_multipart(s, p, fd, (int64_t)sb.st_size, res, e);
	else
		err = s3_put_single(s, p, fd, (int64_t)sb.st_size, res, e);
	close(fd);
	return err;
}

static int
s3_size(struct vg_store *st, const char *key, int64_t *size,
    struct vg_store_err *e)
{
	*size = -1;
	return s3_head((struct s3 *)st, key, size, NULL, 0, e);
}

static int
s3_get(struct vg_store *st, const char *key, const char *path,
    struct vg_store_err *e)
{
	struct s3 *s = (struct s3 *)st;
	struct s3_resp r = { 0 };
	int err;

	if ((r.out = fopen(path, "wbe")) == NULL) {
		vg_store_err_set(e, true, "local", _("cannot write %s: %s"),
		    path, strerror(errno));
		return VG_ERR_IO;
	}
	r.status = 200;	/* the header callback sets the real one */
	err = s3_request(s, "GET", key, NULL, NULL, NULL, NULL, &r, e);
	if (fclose(r.out) != 0 && err == 0) {
		vg_store_err_set(e, true, "local", _("cannot write %s: %s"),
		    path, strerror(errno));
		err = VG_ERR_IO;
	}
	r.out = NULL;
	s3_resp_clear(&r);
	return err;
}

static int
s3_del(struct vg_store *st, const char *key, struct vg_store_err *e)
{
	struct s3_resp r = { 0 };
	int err;

	err = s3_request((struct s3 *)st, "DELETE", key, NULL, NULL, NULL,
	    NULL, &r, e);
	s3_resp_clear(&r);
	return err;
}

static void
s3_free(struct vg_store *st)
{
	struct s3 *s = (struct s3 *)st;

	curl_easy_cleanup(s->curl);
	free(s->base_url);
	free(s->scheme);
	free(s->hostport);
	free(s->bucket);
	free(s->region);
	free(s->prefix);
	free(s->access_key);
	vg_secret_free(s->userpwd);
	free(s->sigv4);
	free(s->storage_class);
	free(s->sse);
	free(s->kms_key_id);
	free(s);
}

static const struct vg_store_ops s3_ops = {
	.put = s3_put,
	.size = s3_size,
	.get = s3_get,
	.del = s3_del,
	.free = s3_free,
};

struct vg_store *
vg_store_s3_new(const struct vg_storage *cfg, char **cause)
{
	struct s3 *s;
	const char *ep, *host;
	size_t n;

	if (cfg->bucket == NULL || cfg->access_key == NULL ||
	    cfg->secret_key.value == NULL) {
		xasprintf(cause, _("storage %s: bucket, access_key and secret_key are required"),
		    cfg->name);
		return NULL;
	}
	vg_store_curl_init();
	s = xcalloc(1, sizeof *s);
	s->base.ops = &s3_ops;
	s->region = xstrdup(cfg->region ? cfg->region : "us-east-1");
	if (cfg->endpoint != NULL)
		s->base_url = xstrdup(cfg->endpoint);
	else
		xasprintf(&s->base_url, "https://s3.%s.amazonaws.com",
		    s->region);
	n = strlen(s->base_url);
	while (n > 0 && s->base_url[n - 1] == '/')
		s->base_url[--n] = '\0';
	ep = s->base_url;
	if ((host = strstr(ep, "://")) == NULL) {
		xasprintf(cause, _("storage %s: endpoint %s is not a URL (https://host[:port])"),
		    cfg->name, ep);
		s3_free(&s->base);
		return NULL;
	}
	s->scheme = xstrndup(ep, (size_t)(host - ep));
	s->hostport = xstrdup(host + 3);
	s->virtual_hosted = !cfg->path_style;
	s->bucket = xstrdup(cfg->bucket);
	s->prefix = cfg->prefix ? xstrdup(cfg->prefix) : NULL;
	s->access_key = xstrdup(cfg->access_key);
	xasprintf(&s->userpwd, "%s:%s", cfg->access_key,
	    cfg->secret_key.value);
	xasprintf(&s->sigv4, "aws:amz:%s:s3", s->region);
	s->storage_class = cfg->storage_class ?
	    xstrdup(cfg->storage_class) : NULL;
	if (cfg->sse != NULL && strcmp(cfg->sse, "none") != 0)
		s->sse = xstrdup(strcmp(cfg->sse, "kms") == 0 ? "aws:kms" :
		    strcmp(cfg->sse, "s3") == 0 ? "AES256" : cfg->sse);
	s->kms_key_id = cfg->sse_kms_key_id ?
	    xstrdup(cfg->sse_kms_key_id) : NULL;
	s->insecure = cfg->insecure;
	s->part_size = (int64_t)(cfg->part_size_mb > 0 ? cfg->part_size_mb :
	    16) * 1024 * 1024;
	/* tests: parts smaller than S3's 5 MiB minimum (s3rver allows) */
	s->part_size = vg_store_env_long("VIGIA_TEST_PART_BYTES",
	    (long)s->part_size);
	if ((s->curl = curl_easy_init()) == NULL)
		fatal("curl_easy_init");
	return &s->base;
}
