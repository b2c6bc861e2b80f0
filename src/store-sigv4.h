/* store-sigv4.h - AWS Signature Version 4: canonical requests, header and
 * query (presigned URL) signing, S3 presigned GET URLs.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure computation (OpenSSL for SHA-256 and HMAC), no I/O and no logging:
 * the uploader signs its requests with libcurl's CURLOPT_AWS_SIGV4, this
 * module makes the presigned GET URLs (Label Studio tasks, `vigia
 * presign`) and lets the tests check the signing steps one by one against
 * the AWS test suite (tests/fixtures/sigv4).
 *
 * Fallible functions return 0, or -1 with *cause (if cause is not NULL)
 * set to an allocated English sentence naming the bad input; the caller
 * frees it.  A cause never contains a secret.  Derived key material is
 * wiped (OPENSSL_cleanse) before it is freed.
 */
#ifndef VIGIA_STORE_SIGV4_H
#define VIGIA_STORE_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* The limits of X-Amz-Expires (seconds): 1 s to 7 days. */
#define VG_SIGV4_EXPIRES_MIN 1
#define VG_SIGV4_EXPIRES_MAX 604800

/* The payload hash of a presigned S3 URL (the body is not signed). */
#define VG_SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"

/* Request flags. */
enum vg_sigv4_flags {
	/*
	 * S3 rules for the path: it is the object path unencoded (e.g.
	 * "/bucket/my key+1.mp4"), encoded exactly once and never
	 * normalised ("a//b/./c" stays as it is).  Without this flag the
	 * generic rules of the AWS test suite apply: the path is the one of
	 * the request line, its dot segments and empty segments are removed
	 * and it is encoded once more (an escape in it is encoded twice,
	 * "%20" becomes "%2520").
	 */
	VG_SIGV4_S3 = 1 << 0,
};

/* One header, as the client sends it (any case, untrimmed). */
struct vg_sigv4_header {
	const char *name;
	const char *value;
};

/* One query parameter, unencoded (the signer encodes it). */
struct vg_sigv4_param {
	const char *name;
	const char *value;	/* NULL or "" for "name=" */
};

/* What is signed.  Every header given is signed; the caller passes at
 * least Host (and X-Amz-Date for header signing, if it sends one it must
 * match the signing time). */
struct vg_sigv4_request {
	const char *method;		/* "GET", "PUT", ... */
	const char *path;		/* see enum vg_sigv4_flags */
	/* The query string as in the request line ("a=1&b=%20", without
	 * the '?'): decoded, re-encoded and sorted ('+' is a plus sign, as
	 * AWS reads it, not a space); NULL for none. */
	const char *query;
	/* More parameters, unencoded; added to those of query. */
	const struct vg_sigv4_param *params;
	size_t n_params;
	const struct vg_sigv4_header *headers;
	size_t n_headers;
	/* Hex SHA-256 of the body, or VG_SIGV4_UNSIGNED_PAYLOAD; NULL to
	 * hash payload/payload_len here. */
	const char *payload_hash;
	const void *payload;
	size_t payload_len;
	unsigned flags;			/* enum vg_sigv4_flags */
};

/* Who signs, and the scope.  secret_key is never copied, logged or put
 * in a cause.  session_token is signed as X-Amz-Security-Token by query
 * signing; header signing ignores it (send and pass it as the header
 * X-Amz-Security-Token). */
struct vg_sigv4_credentials {
	const char *access_key;
	const char *secret_key;
	const char *session_token;	/* NULL without temporary credentials */
	const char *region;		/* "us-east-1" */
	const char *service;		/* "s3" */
};

/* The result of a signing, every string allocated (free with
 * vg_sigv4_signed_clear). */
struct vg_sigv4_signed {
	char *canonical_request;
	char *string_to_sign;
	char *signed_headers;		/* "host;x-amz-date" */
	char *authorization;		/* header signing: the header's value */
	char *query;			/* query signing: the whole query
					 * string, X-Amz-Signature last */
	char signature[65];		/* lowercase hex */
};

/* Free the strings of s (not s itself); s may be NULL. */
void vg_sigv4_signed_clear(struct vg_sigv4_signed *s);

/*
 * Sign req in the Authorization header style at time `when` (UTC).
 * Fills *out (clear it with vg_sigv4_signed_clear even on failure).
 */
int vg_sigv4_sign_header(const struct vg_sigv4_request *req,
    const struct vg_sigv4_credentials *cred, time_t when,
    struct vg_sigv4_signed *out, char **cause);

/*
 * Sign req in the query style (a presigned URL) at time `when`, valid
 * for `expires` seconds (VG_SIGV4_EXPIRES_MIN..VG_SIGV4_EXPIRES_MAX).
 * Adds X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders and,
 * with a session token, -Security-Token (signed) to the parameters; the
 * result is out->query.  The query is a bearer credential: never log it.
 */
int vg_sigv4_sign_query(const struct vg_sigv4_request *req,
    const struct vg_sigv4_credentials *cred, time_t when, int64_t expires,
    struct vg_sigv4_signed *out, char **cause);

/* What a presigned S3 URL is made of. */
struct vg_s3_presign {
	/* "https://s3.eu-west-1.amazonaws.com", "http://127.0.0.1:4569",
	 * "http://[::1]:9000" (a trailing '/' is allowed, no other path);
	 * NULL for https://s3.REGION.amazonaws.com. */
	const char *endpoint;
	bool virtual_hosted;	/* BUCKET.host/KEY, else host/BUCKET/KEY */
	const char *bucket;
	const char *key;	/* the object key, unencoded UTF-8 */
	const char *region;
	const char *access_key;
	const char *secret_key;
	const char *session_token;	/* NULL without one */
	const char *method;		/* NULL for "GET" */
	/* More query parameters, unencoded and signed (such as
	 * response-content-disposition); n_params 0 for none. */
	const struct vg_sigv4_param *params;
	size_t n_params;
	int64_t expires;		/* seconds, 1..604800 */
	time_t when;			/* the signing time, UTC */
};

/*
 * A presigned URL for p into *url (allocated; the caller frees it).  The
 * URL grants access: never log it.
 */
int vg_s3_presign(const struct vg_s3_presign *p, char **url, char **cause);

/* RFC 3986 encoding as SigV4 wants it: every byte but A-Z a-z 0-9 - . _ ~
 * (and '/' if keep_slash) as %XX in upper case.  Allocated; NULL only
 * when memory is exhausted. */
char *vg_sigv4_uri_encode(const char *s, size_t len, bool keep_slash);

/* Lowercase hex SHA-256 of data into hex (65 bytes with the NUL). */
void vg_sigv4_sha256_hex(const void *data, size_t len, char hex[65]);

/* `when` as "YYYYMMDDTHHMMSSZ" into buf (17 bytes); 0 or -1 if the time
 * cannot be written in four digits of year. */
int vg_sigv4_format_time(time_t when, char buf[17]);

#endif /* VIGIA_STORE_SIGV4_H */
