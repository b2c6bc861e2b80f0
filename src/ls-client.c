/* ls-client.c - Label Studio HTTP client: auth schemes, deadlines, errors.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libcurl, one easy handle per client (connections are reused).  Legacy
 * keys go as "Authorization: Token KEY"; a Personal Access Token (a JWT
 * refresh token) is exchanged at POST /api/token/refresh/ for an access
 * token, which is cached, refreshed 30 s before its "exp" and once more
 * when a call gets a 401 (the server answers any bad Bearer token with
 * "Authentication credentials were not provided.").  429 replies are
 * retried after their Retry-After, within the call's deadline.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "libvigia.h"
#include "ls.h"

struct vg_ls {
	CURL *curl;
	char *url;
	char *token;
	enum vg_ls_token_type scheme;
	bool insecure;
	int timeout_ms;
	char *access;		/* PAT: the cached access token */
	int64_t access_exp;	/* its "exp", seconds */
	int64_t margin;		/* refresh this long before exp (s) */
	int refreshes;
	enum vg_ls_fail fail;
	const volatile int *abort_flag;	/* non-zero: stop transfers */
};

struct buf {
	char *p;
	size_t n;
};

struct hdrs {
	long retry_after;	/* -1: none */
};

static int64_t
ls_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Collect the body. */
static size_t
ls_write(char *ptr, size_t size, size_t nmemb, void *opaque)
{
	struct buf *b = opaque;
	size_t n = size * nmemb;

	if (b->n + n > 256u * 1024 * 1024)
		return 0;	/* a runaway reply */
	b->p = xrealloc(b->p, b->n + n + 1);
	memcpy(b->p + b->n, ptr, n);
	b->n += n;
	b->p[b->n] = '\0';
	return n;
}

/* Abort a transfer when the owner is stopping. */
static int
ls_progress(void *opaque, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	const volatile int *flag = opaque;

	(void)dt, (void)dn, (void)ut, (void)un;
	return flag != NULL && *flag != 0;
}

void
vg_ls_set_abort(struct vg_ls *ls, const volatile int *flag)
{
	ls->abort_flag = flag;
}

/* Pick Retry-After out of the headers. */
static size_t
ls_header(char *ptr, size_t size, size_t nmemb, void *opaque)
{
	struct hdrs *h = opaque;
	size_t n = size * nmemb;

	if (n > 12 && strncasecmp(ptr, "Retry-After:", 12) == 0) {
		char tmp[32];
		size_t m = n - 12 < sizeof tmp - 1 ? n - 12 : sizeof tmp - 1;

		memcpy(tmp, ptr + 12, m);
		tmp[m] = '\0';
		h->retry_after = strtol(tmp, NULL, 10);
		if (h->retry_after < 0)
			h->retry_after = 0;
	}
	return n;
}

/* Decode the payload of a JWT (no signature check: only its claims are
 * read, as the official SDK does); NULL if tok is not a JWT. */
static json_t *
ls_jwt_claims(const char *tok)
{
	const char *a = strchr(tok, '.'), *b;
	size_t n, i, len;
	char *s;
	unsigned char *out;
	int got;
	json_t *j;

	if (a == NULL || (b = strchr(a + 1, '.')) == NULL ||
	    strchr(b + 1, '.') != NULL || b == a + 1)
		return NULL;
	n = (size_t)(b - a - 1);
	s = xmalloc(n + 4);
	for (i = 0; i < n; i++) {
		char c = a[1 + i];

		if (c == '-')
			c = '+';
		else if (c == '_')
			c = '/';
		else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '+' || c == '/')) {
			free(s);
			return NULL;
		}
		s[i] = c;
	}
	while (i % 4 != 0)
		s[i++] = '=';
	len = i;
	out = xmalloc(len);
	got = EVP_DecodeBlock(out, (unsigned char *)s, (int)len);
	free(s);
	if (got < 0) {
		free(out);
		return NULL;
	}
	while (got > 0 && out[got - 1] == '\0')
		got--;	/* EVP_DecodeBlock pads with zero bytes */
	j = json_loadb((char *)out, (size_t)got, 0, NULL);
	free(out);
	if (j != NULL && !json_is_object(j)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* The "exp" claim of a JWT, or -1. */
static int64_t
ls_jwt_exp(const char *tok)
{
	json_t *c = ls_jwt_claims(tok);
	int64_t exp = -1;

	if (c != NULL && json_is_integer(json_object_get(c, "exp")))
		exp = json_integer_value(json_object_get(c, "exp"));
	json_decref(c);
	return exp;
}

int
vg_ls_new(const struct vg_ls_opts *opts, struct vg_ls **out, char **cause)
{
	struct vg_ls *ls;
	const char *env = getenv("VIGIA_TEST_LS_TIMEOUT_MS");
	size_t n;

	*out = NULL;
	if (opts->url == NULL || (strncmp(opts->url, "http://", 7) != 0 &&
	    strncmp(opts->url, "https://", 8) != 0)) {
		if (cause != NULL)
			xasprintf(cause, "the Label Studio URL \"%s\" is not "
			    "an http:// or https:// URL",
			    opts->url ? opts->url : "");
		return VG_ERR_CONFIG;
	}
	if (opts->token == NULL || *opts->token == '\0') {
		if (cause != NULL)
			*cause = xstrdup("no Label Studio token is set");
		return VG_ERR_CONFIG;
	}
	ls = xcalloc(1, sizeof *ls);
	ls->url = xstrdup(opts->url);
	n = strlen(ls->url);
	while (n > 0 && ls->url[n - 1] == '/')
		ls->url[--n] = '\0';
	ls->token = xstrdup(opts->token);
	n = strlen(ls->token);
	while (n > 0 && (ls->token[n - 1] == '\n' || ls->token[n - 1] == ' '))
		ls->token[--n] = '\0';
	vg_log_add_secret(ls->token);
	ls->insecure = opts->insecure;
	ls->timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : 30000;
	if (opts->timeout_ms <= 0 && env != NULL && atoi(env) > 0)
		ls->timeout_ms = atoi(env);
	ls->scheme = opts->token_type;
	if (ls->scheme == VG_LS_TOKEN_AUTO) {
		json_t *c = ls_jwt_claims(ls->token);

		ls->scheme = c != NULL && json_object_get(c, "exp") != NULL ?
		    VG_LS_TOKEN_PAT : VG_LS_TOKEN_LEGACY;
		json_decref(c);
	}
	if (ls->scheme == VG_LS_TOKEN_PAT) {
		int64_t exp = ls_jwt_exp(ls->token);

		if (exp < 0) {
			if (cause != NULL)
				*cause = xstrdup("the Label Studio token is "
				    "not a personal access token (not a JWT "
				    "with an expiry)");
			vg_ls_free(ls);
			return VG_ERR_AUTH;
		}
		if (exp <= (int64_t)time(NULL)) {
			if (cause != NULL)
				*cause = xstrdup("the Label Studio personal "
				    "access token has expired: create a new "
				    "one (Account & Settings)");
			vg_ls_free(ls);
			return VG_ERR_AUTH;
		}
	}
	ls->curl = curl_easy_init();
	if (ls->curl == NULL)
		fatalx("curl_easy_init");
	*out = ls;
	return 0;
}

int
vg_ls_new_config(const struct vg_label_studio *cfg, struct vg_ls **out,
    char **cause)
{
	struct vg_ls_opts o;

	memset(&o, 0, sizeof o);
	o.url = cfg->url;
	o.token = cfg->token.value;
	o.token_type = cfg->token_type;
	o.insecure = cfg->insecure;
	return vg_ls_new(&o, out, cause);
}

void
vg_ls_free(struct vg_ls *ls)
{
	if (ls == NULL)
		return;
	if (ls->curl != NULL)
		curl_easy_cleanup(ls->curl);
	free(ls->url);
	vg_secret_free(ls->token);
	vg_secret_free(ls->access);
	free(ls);
}

enum vg_ls_token_type
vg_ls_scheme(const struct vg_ls *ls)
{
	return ls->scheme;
}

const char *
vg_ls_url(const struct vg_ls *ls)
{
	return ls->url;
}

enum vg_ls_fail
vg_ls_last_fail(const struct vg_ls *ls)
{
	return ls->fail;
}

int
vg_ls_refreshes(const struct vg_ls *ls)
{
	return ls->refreshes;
}

char *
vg_ls_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *o = xmalloc(strlen(s) * 3 + 1), *p = o;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			*p++ = (char)c;
		else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	return o;
}

/* Mask what a server may echo of a presigned URL (task data in an error):
 * the signature and a session token are bearer credentials. */
static void
ls_mask_presigned(char *s)
{
	static const char *const keys[] = { "X-Amz-Signature=",
	    "X-Amz-Security-Token=" };
	size_t i;

	for (i = 0; i < 2; i++) {
		char *p = s;

		while ((p = strstr(p, keys[i])) != NULL) {
			char *v = p + strlen(keys[i]);
			size_t n = strcspn(v, "&\"' \\<>");

			if (n > 3) {
				memset(v, '*', 3);
				memmove(v + 3, v + n, strlen(v + n) + 1);
			}
			p = v;
		}
	}
}

/* The server's words out of a reply body: the envelope's detail plus its
 * validation errors, a raw DRF error object, {"message"}, or the start of
 * a plain/HTML body. */
static char *
ls_server_words(const char *body)
{
	json_t *j = body != NULL ? json_loads(body, 0, NULL) : NULL;
	json_t *detail, *ve;
	char *out = NULL, *dump;

	if (j == NULL || !json_is_object(j)) {
		/* HTML or text: the title, else the first line */
		const char *t;
		size_t n;

		json_decref(j);
		if (body == NULL || *body == '\0')
			return xstrdup("(empty reply)");
		if ((t = strstr(body, "<title>")) != NULL) {
			t += 7;
			n = strcspn(t, "<");
		} else {
			t = body;
			n = strcspn(t, "\r\n");
		}
		if (n > 160)
			n = 160;
		return xstrndup(t, n);
	}
	detail = json_object_get(j, "detail");
	ve = json_object_get(j, "validation_errors");
	if (json_is_string(detail) && ve == NULL)
		out = xstrdup(json_string_value(detail));
	else if (ve != NULL) {
		dump = json_dumps(ve, JSON_COMPACT);
		xasprintf(&out, "%s: %s", json_is_string(detail) ?
		    json_string_value(detail) : "Validation error",
		    dump ? dump : "");
		free(dump);
	} else if (json_is_string(json_object_get(j, "message")))
		out = xstrdup(json_string_value(json_object_get(j,
		    "message")));
	else {
		dump = json_dumps(j, JSON_COMPACT);
		out = dump ? xstrdup(dump) : xstrdup("(unreadable reply)");
		free(dump);
	}
	json_decref(j);
	if (strlen(out) > 2000)
		out[2000] = '\0';
	ls_mask_presigned(out);
	return out;
}

/* One HTTP exchange, no auth logic: *st the status (0 none). */
static int
ls_exchange(struct vg_ls *ls, const char *method, const char *path,
    const char *query, const char *body, const char *auth, int64_t deadline,
    struct buf *reply, struct hdrs *h, long *st, char **cause)
{
	struct curl_slist *hl = NULL;
	char *url, *ah = NULL;
	CURLcode rc;
	char errbuf[CURL_ERROR_SIZE];
	int64_t left = deadline - ls_now_ms();
	CURL *c = ls->curl;

	*st = 0;
	h->retry_after = -1;
	if (left <= 0) {
		ls->fail = VG_LS_FAIL_UNKNOWN;
		if (cause != NULL)
			xasprintf(cause, "Label Studio did not answer %s %s in "
			    "time", method, path);
		return VG_ERR_TIMEOUT;
	}
	xasprintf(&url, "%s%s%s%s", ls->url, path, query ? "?" : "",
	    query ? query : "");
	curl_easy_reset(c);
	errbuf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(left < 10000 ? left : 10000));
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)left);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, ls_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, reply);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, ls_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	if (ls->abort_flag != NULL) {
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, ls_progress);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA,
		    (void *)ls->abort_flag);
	}
	if (ls->insecure) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (strcmp(method, "GET") != 0)
		/* never on a reused connection: when one turns out dead,
		 * libcurl silently sends the request again, and an import
		 * the server had already done would be done twice */
		curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
	hl = curl_slist_append(hl, "Accept: application/json");
	if (auth != NULL) {
		xasprintf(&ah, "Authorization: %s", auth);
		hl = curl_slist_append(hl, ah);
	}
	if (body != NULL) {
		hl = curl_slist_append(hl, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	} else if (strcmp(method, "GET") == 0)
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	else
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
	hl = curl_slist_append(hl, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	rc = curl_easy_perform(c);
	curl_slist_free_all(hl);
	vg_secret_free(ah);
	free(url);
	if (rc != CURLE_OK) {
		int err;

		if (rc == CURLE_COULDNT_CONNECT ||
		    rc == CURLE_COULDNT_RESOLVE_HOST) {
			ls->fail = VG_LS_FAIL_CONNECT;
			err = VG_ERR_NET;
		} else if (rc == CURLE_OPERATION_TIMEDOUT) {
			ls->fail = VG_LS_FAIL_UNKNOWN;
			err = VG_ERR_TIMEOUT;
		} else {
			ls->fail = VG_LS_FAIL_UNKNOWN;
			err = VG_ERR_NET;
		}
		if (cause != NULL)
			xasprintf(cause, "cannot reach Label Studio at %s "
			    "(%s %s): %s", ls->url, method, path,
			    *errbuf ? errbuf : curl_easy_strerror(rc));
		return err;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, st);
	return 0;
}

/* Turn a non-2xx status into an error in plain words. */
static int
ls_status_error(struct vg_ls *ls, const char *method, const char *path,
    long st, const char *body, char **cause)
{
	char *words = ls_server_words(body);
	int err;

	if (st == 401 || st == 403) {
		ls->fail = VG_LS_FAIL_AUTH;
		err = VG_ERR_AUTH;
		if (cause == NULL)
			;
		else if (strstr(words, "legacy token authentication has "
		    "been disabled") != NULL)
			xasprintf(cause, "Label Studio refused the legacy "
			    "token: legacy tokens are disabled for this "
			    "organization; use a personal access token (%s)",
			    words);
		else if (st == 403)
			xasprintf(cause, "the Label Studio user may not do "
			    "this (%s %s): %s", method, path, words);
		else if (ls->scheme == VG_LS_TOKEN_PAT)
			xasprintf(cause, "Label Studio refused the personal "
			    "access token: it is expired, revoked or not "
			    "valid here (%s)", words);
		else
			xasprintf(cause, "Label Studio refused the token: bad "
			    "token (%s)", words);
	} else if (st == 404) {
		ls->fail = VG_LS_FAIL_NOTFOUND;
		err = VG_ERR_NOTFOUND;
		if (cause != NULL)
			xasprintf(cause, "Label Studio has no such object "
			    "(%s %s: 404 %s)", method, path, words);
	} else if (st == 400 || st == 409 || st == 413 || st == 415 ||
	    st == 405) {
		ls->fail = VG_LS_FAIL_INVALID;
		err = st == 400 ? VG_ERR_CONFIG : VG_ERR_PROTO;
		if (cause != NULL)
			xasprintf(cause, "Label Studio refused %s %s (%ld): "
			    "%s", method, path, st, words);
	} else if (st == 429) {
		ls->fail = VG_LS_FAIL_RATE;
		err = VG_ERR_TIMEOUT;
		if (cause != NULL)
			xasprintf(cause, "Label Studio asks to slow down (429) "
			    "longer than the deadline of %s %s", method, path);
	} else if (st >= 500) {
		ls->fail = VG_LS_FAIL_UNKNOWN;
		err = VG_ERR_PROTO;
		if (cause != NULL)
			xasprintf(cause, "Label Studio server error %ld on "
			    "%s %s: %s", st, method, path, words);
	} else {
		ls->fail = VG_LS_FAIL_PROTO;
		err = VG_ERR_PROTO;
		if (cause != NULL)
			xasprintf(cause, "unexpected reply %ld from Label "
			    "Studio on %s %s: %s", st, method, path, words);
	}
	free(words);
	return err;
}

/* PAT: exchange the token for an access token. */
static int
ls_refresh(struct vg_ls *ls, int64_t deadline, char **cause)
{
	json_t *b = json_pack("{s:s}", "refresh", ls->token), *j;
	char *body = json_dumps(b, JSON_COMPACT);
	struct buf r = { NULL, 0 };
	struct hdrs h;
	long st;
	int err;

	json_decref(b);
	err = ls_exchange(ls, "POST", "/api/token/refresh/", NULL, body,
	    NULL, deadline, &r, &h, &st, cause);
	vg_secret_free(body);
	if (err != 0)
		goto out;
	if (st != 200) {
		char *words = ls_server_words(r.p);

		ls->fail = st >= 500 ? VG_LS_FAIL_UNKNOWN : VG_LS_FAIL_AUTH;
		err = st >= 500 ? VG_ERR_PROTO : VG_ERR_AUTH;
		if (cause == NULL)
			;
		else if (st >= 500)
			xasprintf(cause, "Label Studio server error %ld while "
			    "refreshing the access token: %s", st, words);
		else if (strstr(words, "blacklisted") != NULL)
			xasprintf(cause, "the Label Studio personal access "
			    "token was revoked: create a new one (%s)", words);
		else if (strstr(words, "wrong type") != NULL)
			xasprintf(cause, "the Label Studio token is an access "
			    "token, not a personal access token: copy the "
			    "personal access token (%s)", words);
		else if (st == 404)
			xasprintf(cause, "this Label Studio has no personal "
			    "access tokens (404 on /api/token/refresh/; it is "
			    "older than 1.17): use a legacy token");
		else
			xasprintf(cause, "Label Studio refused the personal "
			    "access token: expired token or bad token (%s)",
			    words);
		free(words);
		goto out;
	}
	j = r.p ? json_loads(r.p, 0, NULL) : NULL;
	if (!json_is_string(json_object_get(j, "access"))) {
		json_decref(j);
		ls->fail = VG_LS_FAIL_PROTO;
		err = VG_ERR_PROTO;
		if (cause != NULL)
			*cause = xstrdup("Label Studio's token refresh reply "
			    "has no access token");
		goto out;
	}
	vg_secret_free(ls->access);
	ls->access = xstrdup(json_string_value(json_object_get(j, "access")));
	vg_log_add_secret(ls->access);
	json_decref(j);
	ls->access_exp = ls_jwt_exp(ls->access);
	if (ls->access_exp < 0)
		ls->access_exp = (int64_t)time(NULL) + 60;
	/* 30 s before it expires, or a fifth of a short lifetime */
	ls->margin = (ls->access_exp - (int64_t)time(NULL)) / 5;
	if (ls->margin > 30)
		ls->margin = 30;
	ls->refreshes++;
	log_debug("label studio: access token refreshed (expires in %lld s)",
	    (long long)(ls->access_exp - (int64_t)time(NULL)));
out:
	if (r.p != NULL)
		OPENSSL_cleanse(r.p, r.n);
	free(r.p);
	return err;
}

int
vg_ls_call_raw(struct vg_ls *ls, const char *method, const char *path,
    const char *query, json_t *body, bool auth, char **text, long *status,
    char **cause)
{
	int64_t deadline = ls_now_ms() + ls->timeout_ms;
	char *b = body ? json_dumps(body, JSON_COMPACT) : NULL, *ah = NULL;
	struct buf r = { NULL, 0 };
	struct hdrs h;
	bool retried401 = false;
	long st = 0;
	int err = 0;

	if (text != NULL)
		*text = NULL;
	ls->fail = VG_LS_FAIL_NONE;
	for (;;) {
		vg_secret_free(ah);
		ah = NULL;
		if (auth && ls->scheme == VG_LS_TOKEN_PAT) {
			/* before it expires */
			if (ls->access == NULL || ls->access_exp -
			    ls->margin <= (int64_t)time(NULL)) {
				if ((err = ls_refresh(ls, deadline, cause)) != 0)
					goto out;
			}
			xasprintf(&ah, "Bearer %s", ls->access);
		} else if (auth)
			xasprintf(&ah, "Token %s", ls->token);
		free(r.p);
		r.p = NULL;
		r.n = 0;
		err = ls_exchange(ls, method, path, query, b, ah, deadline,
		    &r, &h, &st, cause);
		if (err != 0)
			goto out;
		if (st == 401 && auth && ls->scheme == VG_LS_TOKEN_PAT &&
		    !retried401) {
			/* the cached access token may have been refused
			 * (clock skew, server restart): once more */
			retried401 = true;
			vg_secret_free(ls->access);
			ls->access = NULL;
			continue;
		}
		if (st == 429) {
			long wait = h.retry_after >= 0 ? h.retry_after : 1;
			int64_t until = ls_now_ms() + wait * 1000;

			if (until < deadline && (ls->abort_flag == NULL ||
			    *ls->abort_flag == 0)) {
				log_info("label studio: 429 on %s %s, waiting "
				    "%ld s (Retry-After)", method, path, wait);
				/* in slices: a stopping owner does not wait */
				while (ls_now_ms() < until &&
				    (ls->abort_flag == NULL ||
				    *ls->abort_flag == 0)) {
					struct timespec ts = { 0,
					    100 * 1000000L };

					nanosleep(&ts, NULL);
				}
				continue;
			}
		}
		break;
	}
	if (status != NULL)
		*status = st;
	if (st < 200 || st > 299) {
		err = ls_status_error(ls, method, path, st, r.p, cause);
		goto out;
	}
	if (text != NULL) {
		*text = r.p;
		r.p = NULL;
	}
out:
	if (status != NULL)
		*status = st;
	vg_secret_free(ah);
	free(b);
	free(r.p);
	return err;
}

int
vg_ls_call(struct vg_ls *ls, const char *method, const char *path,
    const char *query, json_t *body, json_t **reply, long *status,
    char **cause)
{
	char *text = NULL;
	json_error_t je;
	json_t *j = NULL;
	int err;

	if (reply != NULL)
		*reply = NULL;
	err = vg_ls_call_raw(ls, method, path, query, body, true, &text,
	    status, cause);
	if (err != 0)
		return err;
	if (text != NULL && *text != '\0') {
		j = json_loads(text, JSON_DECODE_ANY, &je);
		if (j == NULL) {
			ls->fail = VG_LS_FAIL_PROTO;
			if (cause != NULL)
				xasprintf(cause, "Label Studio's reply to %s %s "
				    "is not JSON: %s", method, path, je.text);
			free(text);
			return VG_ERR_PROTO;
		}
	}
	free(text);
	if (reply != NULL)
		*reply = j;
	else
		json_decref(j);
	return 0;
}

int
vg_ls_health(struct vg_ls *ls, char **cause)
{
	char *text = NULL;
	json_t *j;
	int err;

	err = vg_ls_call_raw(ls, "GET", "/health/", NULL, NULL, false, &text,
	    NULL, cause);
	if (err != 0)
		return err;
	j = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	if (!json_is_string(json_object_get(j, "status")) ||
	    strcmp(json_string_value(json_object_get(j, "status")), "UP")) {
		json_decref(j);
		if (cause != NULL)
			xasprintf(cause, "%s/health/ does not answer "
			    "{\"status\": \"UP\"}: is this Label Studio?",
			    ls->url);
		return VG_ERR_PROTO;
	}
	json_decref(j);
	return 0;
}

int
vg_ls_version(struct vg_ls *ls, char **release, char **cause)
{
	char *text = NULL;
	json_t *j, *r;
	int err;

	*release = NULL;
	err = vg_ls_call_raw(ls, "GET", "/api/version/", NULL, NULL, false,
	    &text, NULL, cause);
	if (err != 0)
		return err;
	j = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	r = json_object_get(j, "release");
	if (!json_is_string(r)) {
		json_decref(j);
		if (cause != NULL)
			*cause = xstrdup("Label Studio's /api/version/ reply "
			    "has no release");
		return VG_ERR_PROTO;
	}
	*release = xstrdup(json_string_value(r));
	json_decref(j);
	return 0;
}

int
vg_ls_whoami(struct vg_ls *ls, char **who, char **cause)
{
	json_t *j = NULL;
	const char *name;
	int err;

	*who = NULL;
	err = vg_ls_call(ls, "GET", "/api/current-user/whoami", NULL, NULL,
	    &j, NULL, cause);
	if (err != 0)
		return err;
	name = json_string_value(json_object_get(j, "email"));
	if (name == NULL || *name == '\0')
		name = json_string_value(json_object_get(j, "username"));
	xasprintf(who, "%s (id %lld)", name ? name : "?",
	    (long long)json_integer_value(json_object_get(j, "id")));
	json_decref(j);
	return 0;
}
