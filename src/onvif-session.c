/* onvif-session.c - one camera session: clock-aware authentication,
 * HTTP-digest fallback, TLS trust-on-first-use, error classes.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A session first reads the camera's clock without credentials
 * (GetSystemDateAndTime is pre-authentication in ONVIF), then signs every
 * request with a WS-Security UsernameToken digest whose Created stamp is
 * the camera's time, so a camera whose clock is hours or days off still
 * accepts us.  A 401 switches the session to HTTP digest as well (some
 * firmwares require it).  An authentication fault makes us re-read the
 * clock once (the camera may have rebooted and lost its time) and retry.
 *
 * A camera that refuses WS-Security (a MustUnderstand fault) is asked
 * again without it.  Service addresses the camera names are followed on
 * the address it answered on (onvif_xaddr_set), and a connect guard keeps
 * credentials from any host and port but the device service's.
 *
 * Every failure is classified (enum vg_onvif_class) so that the CLI and
 * the wizard can tell the technician what to do; the device's own fault
 * reason is kept.  gSOAP memory is freed after each call: callers copy
 * what they need first.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "wsseapi.h"

#include "i18n.h"
#include "onvif-int.h"

static pthread_once_t onvif_ssl_once = PTHREAD_ONCE_INIT;

/* ---- small helpers --------------------------------------------------- */

/* Microseconds on the monotonic clock. */
int64_t
onvif_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Copy a possibly-NULL string. */
char *
onvif_strdup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* Append a copy of s to *v. */
void
onvif_strv_add(char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

/* Free an array of strings. */
void
onvif_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* "AA-BB-CC-DD-EE-FF", "aabb.ccdd.eeff" or "AABBCCDDEEFF" to
 * "aa:bb:cc:dd:ee:ff"; NULL if s holds no 12 hex digits. */
char *
onvif_mac_norm(const char *s)
{
	char hex[13], *out;
	size_t n = 0;

	if (s == NULL)
		return NULL;
	for (; *s != '\0'; s++) {
		if (isxdigit((unsigned char)*s)) {
			if (n == 12)
				return NULL;
			hex[n++] = (char)tolower((unsigned char)*s);
		} else if (*s != ':' && *s != '-' && *s != '.')
			return NULL;
	}
	if (n != 12)
		return NULL;
	hex[12] = '\0';
	xasprintf(&out, "%.2s:%.2s:%.2s:%.2s:%.2s:%.2s", hex, hex + 2,
	    hex + 4, hex + 6, hex + 8, hex + 10);
	return out;
}

/* ---- error classes ----------------------------------------------------- */

/* Translated explanation of a class, with what to do about it. */
const char *
vg_onvif_class_text(enum vg_onvif_class cls)
{
	switch (cls) {
	case VG_ONVIF_OK:
		return _("No error.");
	case VG_ONVIF_UNREACHABLE:
		return _("The camera cannot be reached: check the address, "
		    "the cable and that it is on this network.");
	case VG_ONVIF_NOT_ONVIF:
		return _("Something answers at this address, but it is not "
		    "an ONVIF service: check the port and path, or enable "
		    "ONVIF in the camera's web page.");
	case VG_ONVIF_AUTH:
		return _("The camera refused the user name or password.");
	case VG_ONVIF_LOCKED:
		return _("The camera has locked the account after failed "
		    "logins: wait (often 30 minutes) or reboot it.");
	case VG_ONVIF_CLOCK:
		return _("The camera refused the login because of its clock: "
		    "set its time, then try again.");
	case VG_ONVIF_TIMEOUT:
		return _("The camera did not answer in time.");
	case VG_ONVIF_FAULT:
		return _("The camera refused the request.");
	case VG_ONVIF_UNSUPPORTED:
		return _("The camera does not support this.");
	case VG_ONVIF_TLS:
		return _("The secure (TLS) connection failed, or the camera's "
		    "certificate is not the one recorded for it.");
	case VG_ONVIF_BAD_REPLY:
		return _("The camera answered, but its reply was cut short or "
		    "is not the one ONVIF specifies: try again; if it "
		    "persists, update the camera's firmware.");
	}
	return _("Unknown error.");
}

/* Stable English keyword of a class. */
const char *
vg_onvif_class_name(enum vg_onvif_class cls)
{
	static const char *const names[] = {
		[VG_ONVIF_OK] = "ok",
		[VG_ONVIF_UNREACHABLE] = "unreachable",
		[VG_ONVIF_NOT_ONVIF] = "not-onvif",
		[VG_ONVIF_AUTH] = "auth",
		[VG_ONVIF_LOCKED] = "locked",
		[VG_ONVIF_CLOCK] = "clock",
		[VG_ONVIF_TIMEOUT] = "timeout",
		[VG_ONVIF_FAULT] = "fault",
		[VG_ONVIF_UNSUPPORTED] = "unsupported",
		[VG_ONVIF_TLS] = "tls",
		[VG_ONVIF_BAD_REPLY] = "bad-reply",
	};

	if ((unsigned)cls >= sizeof names / sizeof names[0])
		return "unknown";
	return names[cls];
}

/* Does the lower-cased haystack contain needle (lower case)? */
static bool
has_word(const char *hay, const char *needle)
{
	return hay != NULL && strcasestr(hay, needle) != NULL;
}

/* At most this many fault subcodes are read: ONVIF nests two or three,
 * a hostile reply thousands. */
#define ONVIF_MAX_SUBCODES 16

/* Every fault code and subcode of the last fault, space-separated (the
 * first ONVIF_MAX_SUBCODES; built in one pass). */
static char *
fault_codes(struct soap *soap)
{
	const char *v[ONVIF_MAX_SUBCODES + 1];
	struct SOAP_ENV__Code *c;
	size_t n = 0, len = 1, i;
	char *s, *p;

	if (soap->fault == NULL)
		return xstrdup("");
	if (soap->fault->faultcode != NULL)
		v[n++] = soap->fault->faultcode;
	for (c = soap->fault->SOAP_ENV__Code; c != NULL &&
	    n < ONVIF_MAX_SUBCODES + 1; c = c->SOAP_ENV__Subcode)
		if (c->SOAP_ENV__Value != NULL)
			v[n++] = c->SOAP_ENV__Value;
	for (i = 0; i < n; i++)
		len += 1 + strlen(v[i]);
	p = s = xmalloc(len);
	for (i = 0; i < n; i++) {
		*p++ = ' ';
		memcpy(p, v[i], strlen(v[i]));
		p += strlen(v[i]);
	}
	*p = '\0';
	return s;
}

/* A MustUnderstand fault (gSOAP reports error 8, or a SOAP fault whose
 * code says MustUnderstand)? */
static bool
onvif_is_mustunderstand(struct soap *soap)
{
	char *codes;
	bool mu;

	if (soap->error == SOAP_MUSTUNDERSTAND)
		return true;
	if (soap->error != SOAP_FAULT)
		return false;
	codes = fault_codes(soap);
	mu = has_word(codes, "MustUnderstand");
	free(codes);
	return mu;
}

/* Plain words for the gSOAP errors that mean "not the expected SOAP". */
static const char *
soap_error_words(int e)
{
	switch (e) {
	case SOAP_TAG_MISMATCH:
	case SOAP_NO_TAG:
		return "an unexpected XML element";
	case SOAP_TYPE:
		return "a value of the wrong type";
	case SOAP_SYNTAX_ERROR:
		return "malformed XML";
	case SOAP_NAMESPACE:
		return "an unexpected XML namespace";
	case SOAP_NO_METHOD:
		return "not the reply to this request";
	case SOAP_VERSIONMISMATCH:
		return "another SOAP version";
	case SOAP_HTTP_ERROR:
		return "a broken HTTP reply";
	case SOAP_NO_DATA:
		return "an empty reply";
	case SOAP_ZLIB_ERROR:
		return "undecodable compression";
	case SOAP_EOM:
		return "a reply too large to hold";
	case SOAP_OCCURS:
		return "too few or too many elements";
	case SOAP_LENGTH:
		return "a value of the wrong length";
	case SOAP_UTF_ERROR:
		return "invalid UTF-8";
	case SOAP_DUPLICATE_ID:
	case SOAP_MISSING_ID:
	case SOAP_HREF:
		return "broken multi-reference ids";
	}
	return "an XML error";
}

/* Classify soap->error; see onvif-int.h. */
int
onvif_classify(struct soap *soap, int64_t started_us, int timeout_ms,
    enum vg_onvif_class *cls, char **reason, const char *what, char **cause)
{
	int64_t elapsed_ms = (onvif_now_us() - started_us) / 1000;
	bool late = elapsed_ms * 10 >= (int64_t)timeout_ms * 9;
	int e = soap->error, err;
	char *codes = NULL;
	const char *fs = NULL;

	*reason = NULL;
	if (e == SOAP_OK) {
		*cls = VG_ONVIF_OK;
		return VG_OK;
	}
	if (e == SOAP_SSL_ERROR) {
		*cls = VG_ONVIF_TLS;
		err = VG_ERR_NET;
		fs = soap_fault_detail(soap) != NULL ?
		    soap_fault_detail(soap) : soap_fault_string(soap);
		if (cause != NULL)
			xasprintf(cause, "%s: TLS failed: %s", what,
			    fs != NULL ? fs : "handshake error");
		goto out;
	}
	if (e == SOAP_EOF && soap->status >= 100 && soap->status < 600) {
		/* the HTTP status line came (gSOAP keeps its code in
		 * soap->status), then the connection ended early */
		*cls = VG_ONVIF_BAD_REPLY;
		err = VG_ERR_PROTO;
		if (cause != NULL)
			xasprintf(cause, "%s: the camera answered (HTTP %d) but "
			    "the reply was cut short: the connection closed "
			    "before its end", what, soap->status);
		goto out;
	}
	if (e == SOAP_TCP_ERROR || e == SOAP_EOF || e == SOAP_UDP_ERROR) {
		int n = soap->errnum;

		if (late || n == ETIMEDOUT || n == EAGAIN ||
		    n == EINPROGRESS) {
			*cls = VG_ONVIF_TIMEOUT;
			err = VG_ERR_TIMEOUT;
			if (cause != NULL)
				xasprintf(cause, "%s: no answer within %d ms",
				    what, timeout_ms);
		} else {
			*cls = VG_ONVIF_UNREACHABLE;
			err = VG_ERR_NET;
			if (cause != NULL)
				xasprintf(cause, "%s: %s", what, n != 0 ?
				    strerror(n) : e == SOAP_EOF ?
				    "connection closed without a reply" :
				    "cannot connect");
		}
		goto out;
	}
	if (e >= 200 && e < 300) {
		/* gSOAP sets its error to the HTTP status (200) when the body
		 * holds neither the expected element nor a fault: the HTTP
		 * exchange worked, the reply is not what ONVIF answers */
		*cls = VG_ONVIF_NOT_ONVIF;
		err = VG_ERR_PROTO;
		if (cause != NULL)
			xasprintf(cause, "%s: the reply is not the answer to "
			    "this request (an unexpected XML element or "
			    "namespace, or nesting beyond %d levels)", what,
			    ONVIF_SOAP_MAX_LEVEL);
		goto out;
	}
	if (e >= 100 && e < 600) {
		/* an HTTP status without a SOAP fault in the body */
		if (e == 401 || e == 403) {
			*cls = VG_ONVIF_AUTH;
			err = VG_ERR_AUTH;
		} else if (e == 423) {
			*cls = VG_ONVIF_LOCKED;
			err = VG_ERR_AUTH;
		} else if (e >= 500) {
			*cls = VG_ONVIF_FAULT;
			err = VG_ERR_PROTO;
		} else {
			*cls = VG_ONVIF_NOT_ONVIF;
			err = VG_ERR_PROTO;
		}
		if (cause != NULL)
			xasprintf(cause, "%s: HTTP status %d", what, e);
		goto out;
	}
	if (onvif_is_mustunderstand(soap)) {
		/* a SOAP fault: the device does not process a header we
		 * marked mustUnderstand (wsse:Security, WS-Addressing) */
		fs = soap_fault_string(soap);
		if (fs != NULL)
			*reason = xstrdup(fs);
		*cls = VG_ONVIF_FAULT;
		err = VG_ERR_PROTO;
		if (cause != NULL)
			xasprintf(cause, "%s: the camera does not accept a "
			    "SOAP header that it must understand (WS-Security "
			    "sign-in or WS-Addressing; MustUnderstand fault: "
			    "%s)", what, fs != NULL ? fs : "no reason");
		goto out;
	}
	if (soap_xml_error_check(e) || e == SOAP_NO_METHOD ||
	    e == SOAP_VERSIONMISMATCH || e == SOAP_HTTP_ERROR ||
	    e == SOAP_NO_DATA || e == SOAP_ZLIB_ERROR) {
		*cls = VG_ONVIF_NOT_ONVIF;
		err = VG_ERR_PROTO;
		if (cause != NULL)
			xasprintf(cause, "%s: the reply is not ONVIF SOAP (%s, "
			    "gSOAP error %d)", what, soap_error_words(e), e);
		goto out;
	}
	/* a SOAP fault from the device */
	codes = fault_codes(soap);
	fs = soap_fault_string(soap);
	if (fs != NULL)
		*reason = xstrdup(fs);
	if (has_word(codes, "MessageExpired") ||
	    has_word(fs, "expired") || has_word(fs, "clock") ||
	    has_word(fs, "timestamp")) {
		*cls = VG_ONVIF_CLOCK;
		err = VG_ERR_AUTH;
	} else if (has_word(fs, "lock") || has_word(codes, "lock")) {
		*cls = VG_ONVIF_LOCKED;
		err = VG_ERR_AUTH;
	} else if (has_word(codes, "NotAuthorized") ||
	    has_word(codes, "FailedAuthentication") ||
	    has_word(codes, "InvalidSecurity") ||
	    has_word(codes, "FailedCheck") ||
	    has_word(fs, "not authorized") || has_word(fs, "unauthorized")) {
		*cls = VG_ONVIF_AUTH;
		err = VG_ERR_AUTH;
	} else if (has_word(codes, "ActionNotSupported") ||
	    has_word(codes, "NotSupported") ||
	    has_word(codes, "NoSuchService") ||
	    has_word(codes, "NotImplemented")) {
		*cls = VG_ONVIF_UNSUPPORTED;
		err = VG_ERR_UNSUPPORTED;
	} else {
		*cls = VG_ONVIF_FAULT;
		err = VG_ERR_PROTO;
	}
	if (cause != NULL)
		xasprintf(cause, "%s: device fault%s: %s", what,
		    codes != NULL ? codes : "", fs != NULL ? fs : "(no reason)");
out:
	free(codes);
	return err;
}

/* Record a failure of our own on s. */
int
onvif_fail(struct vg_onvif *s, enum vg_onvif_class cls, int err,
    char **cause, const char *fmt, ...)
{
	va_list ap;

	s->last_class = cls;
	free(s->last_reason);
	s->last_reason = NULL;
	if (cause != NULL) {
		va_start(ap, fmt);
		xvasprintf(cause, fmt, ap);
		va_end(ap);
	}
	return err;
}

/* ---- targets ----------------------------------------------------------- */

/* host[:port][/path] or a URL to a device-service URL. */
int
vg_onvif_target_url(const char *target, bool tls, char **url, char **cause)
{
	const char *p = target, *host, *host_end, *path = NULL;
	char *h = NULL;
	long port = tls ? 443 : 80;
	bool v6 = false;

	*url = NULL;
	if (target == NULL || *target == '\0' || strpbrk(target, " \t\r\n")) {
		if (cause != NULL)
			xasprintf(cause, "empty or invalid target");
		return VG_ERR_USAGE;
	}
	if (strncasecmp(p, "http://", 7) == 0 ||
	    strncasecmp(p, "https://", 8) == 0) {
		*url = xstrdup(target);
		return VG_OK;
	}
	if (strstr(p, "://") != NULL) {
		if (cause != NULL)
			xasprintf(cause, "%s: only http and https URLs",
			    target);
		return VG_ERR_USAGE;
	}
	if (*p == '[') {
		host = p + 1;
		host_end = strchr(host, ']');
		if (host_end == NULL)
			goto bad;
		p = host_end + 1;
		v6 = true;
	} else {
		host = p;
		host_end = p + strcspn(p, ":/");
		p = host_end;
	}
	if (host_end == host)
		goto bad;
	if (*p == ':') {
		char *end;

		errno = 0;
		port = strtol(p + 1, &end, 10);
		if (errno != 0 || end == p + 1 || port < 1 || port > 65535 ||
		    (*end != '\0' && *end != '/'))
			goto bad;
		p = end;
	}
	if (*p == '/')
		path = p;
	else if (*p != '\0')
		goto bad;
	h = xstrndup(host, (size_t)(host_end - host));
	xasprintf(url, "%s://%s%s%s:%ld%s", tls ? "https" : "http",
	    v6 ? "[" : "", h, v6 ? "]" : "", port,
	    path != NULL && path[1] != '\0' ? path : "/onvif/device_service");
	free(h);
	return VG_OK;
bad:
	if (cause != NULL)
		xasprintf(cause, "%s: expected host[:port][/path] or a URL",
		    target);
	return VG_ERR_USAGE;
}

/* Host part of an http(s) URL. */
char *
vg_onvif_url_host(const char *url)
{
	const char *p, *e;

	if (url == NULL || (p = strstr(url, "://")) == NULL)
		return NULL;
	p += 3;
	if ((e = strchr(p, '@')) != NULL && e < p + strcspn(p, "/"))
		p = e + 1;
	if (*p == '[') {
		e = strchr(p, ']');
		return e != NULL ? xstrndup(p + 1, (size_t)(e - p - 1)) : NULL;
	}
	e = p + strcspn(p, ":/");
	return e > p ? xstrndup(p, (size_t)(e - p)) : NULL;
}

/* ---- service addresses the camera names -------------------------------- */

/* Scheme, host and port of an http(s) URL, and where its path starts. */
struct onvif_origin {
	bool tls;
	char host[256];
	int port;
	const char *path;	/* "" if the URL has none */
};

/* Parse url; false if it is not http(s) with a host (an empty XAddr,
 * "http://", "file:///x", "//host/x", a bare path), or if it holds a
 * space or a control character. */
static bool
origin_parse(const char *url, struct onvif_origin *o)
{
	const char *p, *auth_end, *at, *h, *he, *port = NULL;
	size_t hl;

	memset(o, 0, sizeof *o);
	if (url == NULL)
		return false;
	/* no space or control character anywhere: gSOAP cuts URLs at
	 * them, and a cut one can lose its host (then it uses stdio) */
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	if (strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0) {
		p = url + 8;
		o->tls = true;
	} else
		return false;
	auth_end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(auth_end - p));
	h = at != NULL ? at + 1 : p;
	if (*h == '[') {
		he = memchr(h, ']', (size_t)(auth_end - h));
		if (he == NULL)
			return false;
		h++;
		if (he + 1 < auth_end && he[1] == ':')
			port = he + 2;
		else if (he + 1 != auth_end)
			return false;
	} else {
		he = memchr(h, ':', (size_t)(auth_end - h));
		if (he != NULL)
			port = he + 1;
		else
			he = auth_end;
	}
	hl = (size_t)(he - h);
	if (hl == 0 || hl >= sizeof o->host)
		return false;
	/* a name or an address, nothing else: gSOAP reads a host with a
	 * control character in it as no host, and then uses stdin/stdout */
	if (strspn(h, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789.-_:%") < hl)
		return false;
	memcpy(o->host, h, hl);
	o->host[hl] = '\0';
	o->port = o->tls ? 443 : 80;
	if (port != NULL && port < auth_end) {
		long v = 0;

		for (; port < auth_end; port++) {
			if (!isdigit((unsigned char)*port) || v > 65535)
				return false;
			v = v * 10 + (*port - '0');
		}
		if (v < 1 || v > 65535)
			return false;
		o->port = (int)v;
	}
	o->path = auth_end;
	return true;
}

/* Same host and port (and scheme)? */
static bool
origin_same(const struct onvif_origin *a, const struct onvif_origin *b)
{
	return a->tls == b->tls && a->port == b->port &&
	    strcasecmp(a->host, b->host) == 0;
}

static const char onvif_guard_id[] = "vigia-address-guard";

/* Is host:port where the device service answered? */
static bool
onvif_is_device_host(const struct vg_onvif *s, const char *host, int port)
{
	struct onvif_origin d;

	if (!origin_parse(s->url, &d))
		return false;
	return d.port == port && host != NULL && strcasecmp(d.host, host) == 0;
}

/* English name of a slot, for the log. */
static const char *
xaddr_what(enum onvif_xa slot)
{
	static const char *const what[ONVIF_XA_N] = {
		[ONVIF_XA_MEDIA] = "media",
		[ONVIF_XA_MEDIA2] = "media2",
		[ONVIF_XA_EVENTS] = "events",
		[ONVIF_XA_PULLPOINT] = "pull-point",
	};

	return what[slot];
}

/* Forget a slot. */
void
onvif_xaddr_clear(struct vg_onvif *s, enum onvif_xa slot)
{
	struct onvif_xaddr *x = &s->xaddr[slot];

	free(x->named);
	free(x->reached);
	memset(x, 0, sizeof *x);
}

/* Use the address the device service answered on, with the path of the
 * XAddr the camera gave (NAT, port forwarding, a stale or internal IP,
 * a device service on another port than its XAddrs say): robust ONVIF
 * clients do the same (ONVIF Device Manager; agsh/onvif's
 * preserveAddress).  What the camera gave is kept, to be tried only if
 * the reached address fails, and then without credentials (see
 * onvif_guard_open). */
void
onvif_xaddr_set(struct vg_onvif *s, enum onvif_xa slot, char **field,
    const char *given_raw)
{
	struct onvif_xaddr *x = &s->xaddr[slot];
	struct onvif_origin d, g;
	const char *path, *b;
	char *given;
	size_t n;

	onvif_xaddr_clear(s, slot);
	free(*field);
	*field = NULL;
	x->url = field;
	/* the URL without the blanks some cameras pad it with */
	b = given_raw != NULL ? given_raw + strspn(given_raw, " \t\r\n") : "";
	for (n = strlen(b); n > 0 && strchr(" \t\r\n", b[n - 1]) != NULL; n--)
		;
	given = xstrndup(b, n);
	if (!origin_parse(s->url, &d) || !origin_parse(given, &g)) {
		/* no host: gSOAP would talk over stdin/stdout.  Most devices
		 * answer every service at the device service address. */
		char *shown = vg_text_safe(given);

		log_info("onvif: %s: the %s address the camera gives (\"%s\") "
		    "has no host, or holds a space or a control character; "
		    "using the device service address", s->url,
		    xaddr_what(slot), shown);
		free(shown);
		*field = xstrdup(s->url);
		goto out;
	}
	if (origin_same(&d, &g)) {
		*field = xstrdup(given);
		goto out;
	}
	/* the device URL up to its path, then the camera's path */
	path = *g.path == '/' ? g.path : "/";
	xasprintf(field, "%.*s%s", (int)(d.path - s->url), s->url, path);
	x->named = xstrdup(given);
	log_info("onvif: %s: the camera names %s for its %s service; using "
	    "%s (the address it answered on)", s->url, given, xaddr_what(slot),
	    *field);
out:
	free(given);
}

/* What the camera named for slot, when another address is in use. */
const char *
onvif_xaddr_named(const struct vg_onvif *s, enum onvif_xa slot)
{
	const struct onvif_xaddr *x = &s->xaddr[slot];

	return x->url != NULL && *x->url != NULL ? x->named : NULL;
}

/* The slot whose address the last call went to, or NULL. */
static struct onvif_xaddr *
xaddr_of_call(struct vg_onvif *s)
{
	int i;

	for (i = 0; i < ONVIF_XA_N; i++) {
		struct onvif_xaddr *x = &s->xaddr[i];

		if (x->url != NULL && *x->url != NULL &&
		    s->call_endpoint != NULL &&
		    strcmp(*x->url, s->call_endpoint) == 0)
			return x;
	}
	return NULL;
}

/* gSOAP's connect, guarded: credentials go only to the host and port
 * the user gave (the device service).  An attempt that carries them to
 * any other address is stopped here, before anything is sent, and the
 * call is retried without them (onvif_want_retry). */
static SOAP_SOCKET
onvif_guard_open(struct soap *soap, const char *endpoint, const char *host,
    int port)
{
	struct vg_onvif *s = soap_lookup_plugin(soap, onvif_guard_id);

	if (s == NULL)
		return SOAP_INVALID_SOCKET;
	free(s->call_endpoint);
	s->call_endpoint = onvif_strdup(endpoint);
	if (s->call_signed && !onvif_is_device_host(s, host, port)) {
		vg_log(s->warned_withheld ? VG_LOG_DEBUG : VG_LOG_NOTICE,
		    "onvif: %s: not sending credentials to %s:%d, which the "
		    "camera names but was not given for it", s->url,
		    host != NULL ? host : "?", port);
		s->warned_withheld = true;
		s->withheld = true;
		soap->errnum = EACCES;
		soap->error = SOAP_TCP_ERROR;
		return SOAP_INVALID_SOCKET;
	}
	return s->fopen_orig(soap, endpoint, host, port);
}

/* Plugin hooks: the plugin only carries the session pointer. */
static void
onvif_guard_delete(struct soap *soap, struct soap_plugin *p)
{
	(void)soap;
	(void)p;
}

static int
onvif_guard_init(struct soap *soap, struct soap_plugin *p, void *arg)
{
	(void)soap;
	p->id = onvif_guard_id;
	p->data = arg;
	p->fcopy = NULL;
	p->fdelete = onvif_guard_delete;
	return SOAP_OK;
}

/* Put the guard between s->soap and its connect. */
static void
onvif_guard_install(struct vg_onvif *s)
{
	if (soap_register_plugin_arg(s->soap, onvif_guard_init, s) != SOAP_OK)
		fatal("onvif: cannot register the address guard");
	s->fopen_orig = s->soap->fopen;
	s->soap->fopen = onvif_guard_open;
}

/* ---- TLS --------------------------------------------------------------- */

/* "sha256:<hex>" with colons and case removed, for comparison. */
static char *
fingerprint_norm(const char *fp)
{
	char *out, *o;
	const char *p = fp;

	if (strncasecmp(p, "sha256:", 7) == 0)
		p += 7;
	out = xmalloc(strlen(p) + 8);
	memcpy(out, "sha256:", 7);
	o = out + 7;
	for (; *p != '\0'; p++)
		if (*p != ':')
			*o++ = (char)tolower((unsigned char)*p);
	*o = '\0';
	return out;
}

/* OpenSSL verify callback: the leaf certificate's SHA-256 is compared
 * with the pin, or recorded on first use; the chain is not judged by
 * CAs (cameras sign their own certificates). */
static int
onvif_tls_verify(int ok, X509_STORE_CTX *store)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(store,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	struct vg_onvif *s;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;
	X509 *cert;
	char hex[2 * EVP_MAX_MD_SIZE + 8], *p;

	(void)ok;
	if (ssl == NULL ||
	    (s = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl))) == NULL)
		return 0;
	if (X509_STORE_CTX_get_error_depth(store) > 0) {
		X509_STORE_CTX_set_error(store, X509_V_OK);
		return 1;
	}
	cert = X509_STORE_CTX_get_current_cert(store);
	if (cert == NULL || X509_digest(cert, EVP_sha256(), md, &len) != 1)
		return 0;
	p = hex + sprintf(hex, "sha256:");
	for (i = 0; i < len; i++)
		p += sprintf(p, "%02x", md[i]);
	free(s->tls_seen);
	s->tls_seen = xstrdup(hex);
	if (s->tls_pin != NULL && strcmp(s->tls_pin, hex) != 0) {
		s->tls_mismatch = true;
		return 0;
	}
	if (s->tls_pin == NULL)
		s->tls_first_use = true;
	X509_STORE_CTX_set_error(store, X509_V_OK);
	return 1;
}

/* Set up s->soap for https: our verify callback, TLS 1.2+ unless the
 * camera was opted into legacy TLS. */
static int
onvif_tls_setup(struct vg_onvif *s, char **cause)
{
	unsigned short flags = SOAP_SSL_REQUIRE_SERVER_AUTHENTICATION |
	    SOAP_SSL_SKIP_HOST_CHECK | SOAP_SSL_NO_DEFAULT_CA_PATH;

	pthread_once(&onvif_ssl_once, soap_ssl_init);
	flags |= s->legacy_tls ? SOAP_TLSv1 : (SOAP_TLSv1_2 | SOAP_TLSv1_3);
	s->soap->fsslverify = onvif_tls_verify;
	if (soap_ssl_client_context(s->soap, flags, NULL, NULL, NULL, NULL,
	    NULL) != SOAP_OK || s->soap->ctx == NULL) {
		char *t = onvif_soap_error_text(s->soap);

		if (cause != NULL)
			xasprintf(cause, "TLS set-up failed: %s", t);
		free(t);
		return VG_ERR_INTERNAL;
	}
	SSL_CTX_set_app_data(s->soap->ctx, s);
	if (s->legacy_tls) {
		/* explicit per-camera opt-in: old firmware, SHA-1, RSA 1024 */
		SSL_CTX_set_security_level(s->soap->ctx, 0);
		SSL_CTX_set_min_proto_version(s->soap->ctx, TLS1_VERSION);
		SSL_CTX_set_cipher_list(s->soap->ctx, "DEFAULT:@SECLEVEL=0");
	}
	return VG_OK;
}

/* ---- the call protocol ------------------------------------------------- */

/* tt:DateTime to time_t (UTC). */
time_t
onvif_datetime_to_time(const struct tt__DateTime *dt)
{
	struct tm tm;

	/* a year past 9999 would make the signing time (the camera's
	 * clock) one that gmtime() cannot show */
	if (dt == NULL || dt->Date == NULL || dt->Time == NULL ||
	    dt->Date->Year < 1970 || dt->Date->Year > 9999 ||
	    dt->Date->Month < 1 || dt->Date->Month > 12 ||
	    dt->Date->Day < 1 || dt->Date->Day > 31 || dt->Time->Hour < 0 ||
	    dt->Time->Hour > 23 || dt->Time->Minute < 0 ||
	    dt->Time->Minute > 59 || dt->Time->Second < 0 ||
	    dt->Time->Second > 60)
		return (time_t)-1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = dt->Date->Year - 1900;
	tm.tm_mon = dt->Date->Month - 1;
	tm.tm_mday = dt->Date->Day;
	tm.tm_hour = dt->Time->Hour;
	tm.tm_min = dt->Time->Minute;
	tm.tm_sec = dt->Time->Second;
	return timegm(&tm);
}

/* Anonymous GetSystemDateAndTime at url on a bare context. */
int
onvif_read_clock(struct soap *soap, const char *url, time_t *utc,
    struct vg_onvif_time *t)
{
	struct _tds__GetSystemDateAndTime req;
	struct _tds__GetSystemDateAndTimeResponse res;
	struct tt__SystemDateTime *d;

	*utc = (time_t)-1;
	soap_default__tds__GetSystemDateAndTime(soap, &req);
	soap_default__tds__GetSystemDateAndTimeResponse(soap, &res);
	if (soap_call___tds__GetSystemDateAndTime(soap, url, NULL, &req,
	    &res) != SOAP_OK)
		return soap->error;
	if ((d = res.SystemDateAndTime) == NULL)
		return SOAP_OK;
	*utc = onvif_datetime_to_time(d->UTCDateTime);
	/* a reply without UTC: some cameras give local time only */
	if (*utc == (time_t)-1)
		*utc = onvif_datetime_to_time(d->LocalDateTime);
	if (t != NULL) {
		t->ntp = d->DateTimeType == tt__SetDateTimeType__NTP;
		free(t->timezone);
		t->timezone = d->TimeZone != NULL ?
		    onvif_strdup(d->TimeZone->TZ) : NULL;
	}
	return SOAP_OK;
}

/* Free gSOAP memory of the last call. */
void
onvif_call_end(struct vg_onvif *s)
{
	soap_destroy(s->soap);
	soap_end(s->soap);
}

/* Clear credentials gSOAP may still hold from a previous call. */
static void
onvif_clear_auth(struct soap *soap)
{
	soap->userid = NULL;
	soap->passwd = NULL;
	soap->authrealm = NULL;
}

/* Read the clock anonymously and update the offset; true if it moved by
 * more than 2 s. */
static bool
onvif_reclock(struct vg_onvif *s)
{
	time_t utc = (time_t)-1;
	int64_t before = s->offset_s;
	bool was = s->clock_known;

	onvif_clear_auth(s->soap);
	s->soap->header = NULL;
	s->call_signed = s->anon_foreign = false;
	vg_onvif_time_clear(&s->time_cache);
	s->time_cache_us = 0;
	if (onvif_read_clock(s->soap, s->url, &utc, NULL) == SOAP_OK &&
	    utc != (time_t)-1) {
		s->offset_s = (int64_t)utc - (int64_t)time(NULL);
		s->clock_known = true;
	}
	onvif_call_end(s);
	if (!s->clock_known)
		return false;
	log_debug("onvif: %s: clock offset %+lld s", s->url,
	    (long long)s->offset_s);
	return !was || llabs(s->offset_s - before) > 2;
}

/* Forget a pending classification. */
static void
onvif_pend_clear(struct vg_onvif *s)
{
	free(s->pend_reason);
	free(s->pend_cause);
	s->pend_reason = s->pend_cause = NULL;
	s->pend_valid = false;
}

/* Decide whether the failed attempt deserves another try, before its
 * gSOAP memory is freed; true to retry. */
static bool
onvif_want_retry(struct vg_onvif *s, int attempt)
{
	struct soap *soap = s->soap;
	struct onvif_xaddr *x;
	char *reason = NULL, *c = NULL;
	enum vg_onvif_class cls;

	if (soap->error == SOAP_OK || attempt > 3)
		return false;
	if (s->withheld) {
		/* stopped before connecting: try there without credentials */
		s->withheld = false;
		s->anon_next = true;
		return true;
	}
	if (s->anon_foreign)
		return false;
	x = xaddr_of_call(s);
	if (x != NULL && x->named != NULL && !x->settled) {
		onvif_classify(soap, s->call_start_us, s->timeout_ms, &cls,
		    &reason, "", &c);
		free(reason);
		if (cls == VG_ONVIF_UNREACHABLE || cls == VG_ONVIF_TIMEOUT ||
		    cls == VG_ONVIF_NOT_ONVIF || cls == VG_ONVIF_TLS ||
		    cls == VG_ONVIF_BAD_REPLY) {
			struct onvif_origin n;

			log_notice("onvif: %s: %s failed%s; trying the address "
			    "the camera names, %s", s->url, *x->url, c,
			    x->named);
			free(s->fallback_cause);
			xasprintf(&s->fallback_cause, "%s%s", *x->url, c);
			free(c);
			x->reached = *x->url;
			*x->url = x->named;
			x->named = NULL;
			s->anon_next = !origin_parse(*x->url, &n) ||
			    !onvif_is_device_host(s, n.host, n.port);
			return true;
		}
		free(c);
	}
	if (s->user == NULL || !s->call_signed)
		return false;
	if (onvif_is_mustunderstand(soap) && !s->no_wsse) {
		log_notice("onvif: %s: the camera refuses WS-Security sign-in "
		    "(MustUnderstand fault); retrying without it (HTTP "
		    "digest if the camera asks for it)", s->url);
		s->no_wsse = true;
		return true;
	}
	if (attempt > 2)
		return false;
	if (soap->error == 401 && !s->use_da && soap->authrealm != NULL) {
		log_info("onvif: %s: HTTP 401 (realm \"%s\"), retrying "
		    "with HTTP digest", s->url, soap->authrealm);
		http_da_save(soap, &s->da, soap->authrealm, s->user,
		    s->password);
		s->use_da = true;
		return true;
	}
	if (attempt > 1)
		return false;
	onvif_pend_clear(s);
	s->pend_err = onvif_classify(soap, s->call_start_us, s->timeout_ms,
	    &cls, &reason, "authentication", &s->pend_cause);
	s->pend_class = cls;
	s->pend_reason = reason;
	s->pend_valid = true;
	if (cls != VG_ONVIF_AUTH && cls != VG_ONVIF_CLOCK) {
		onvif_pend_clear(s);
		return false;
	}
	/* the camera may have rebooted and lost its time since we read it;
	 * the failure stays pending in case the clock did not move */
	onvif_call_end(s);
	if (onvif_reclock(s)) {
		log_info("onvif: %s: authentication refused and the camera's "
		    "clock moved; retrying at its new time", s->url);
		onvif_pend_clear(s);
		return true;
	}
	return false;
}

/* Wipe and release the HTTP digest state. */
void
onvif_da_release(struct vg_onvif *s)
{
	if (!s->use_da)
		return;
	if (s->da.passwd != NULL)
		OPENSSL_cleanse(s->da.passwd, strlen(s->da.passwd));
	http_da_release(s->soap, &s->da);
	memset(&s->da, 0, sizeof s->da);
	s->use_da = false;
}

/* Begin attempt number `attempt` of an authenticated call. */
bool
onvif_call_next(struct vg_onvif *s, int attempt)
{
	if (attempt == 0) {
		onvif_pend_clear(s);
		s->anon_next = s->withheld = false;
		free(s->fallback_cause);
		s->fallback_cause = NULL;
	}
	if (attempt > 0 && !onvif_want_retry(s, attempt))
		return false;
	onvif_call_end(s);
	onvif_clear_auth(s->soap);
	s->soap->header = NULL;
	s->soap->error = SOAP_OK;
	s->tls_mismatch = false;
	s->anon_foreign = s->anon_next;
	s->anon_next = false;
	free(s->call_endpoint);
	s->call_endpoint = NULL;
	s->call_signed = false;
	if (s->user != NULL && !s->anon_foreign) {
		if (!s->no_wsse)
			soap_wsse_add_UsernameTokenDigest_at(s->soap,
			    "UsernameToken", s->user, s->password != NULL ?
			    s->password : "", time(NULL) + (time_t)s->offset_s);
		if (s->use_da)
			http_da_restore(s->soap, &s->da);
		s->call_signed = true;
	}
	s->call_start_us = onvif_now_us();
	return true;
}

/* Begin an anonymous call (one attempt). */
bool
onvif_call_next_anon(struct vg_onvif *s, int attempt)
{
	if (attempt > 0)
		return false;
	onvif_pend_clear(s);
	onvif_call_end(s);
	onvif_clear_auth(s->soap);
	s->soap->header = NULL;
	s->soap->error = SOAP_OK;
	s->tls_mismatch = false;
	s->call_signed = s->anon_foreign = s->anon_next = s->withheld = false;
	free(s->call_endpoint);
	s->call_endpoint = NULL;
	free(s->fallback_cause);
	s->fallback_cause = NULL;
	s->call_start_us = onvif_now_us();
	return true;
}

/* After a call: note which service address worked, or say why the one
 * the camera named could not be used. */
static void
onvif_xaddr_done(struct vg_onvif *s, int err, char **c)
{
	struct onvif_xaddr *x = xaddr_of_call(s);
	char *t;

	if (err == VG_OK) {
		if (x == NULL || x->settled)
			return;
		x->settled = true;
		if (x->reached != NULL)
			log_notice("onvif: %s: its service answers at %s, the "
			    "address the camera names (not at %s)%s", s->url,
			    *x->url, x->reached, s->anon_foreign ?
			    "; no credentials were sent there" : "");
		else if (x->named != NULL)
			log_info("onvif: %s: its service answers at %s (the "
			    "camera names %s)", s->url, *x->url, x->named);
		return;
	}
	if (s->anon_foreign && (s->last_class == VG_ONVIF_AUTH ||
	    s->last_class == VG_ONVIF_CLOCK)) {
		xasprintf(&t, "%s (the camera names %s for this service, not "
		    "the address it was given: vigia sends no credentials "
		    "there; give that address as the camera's if it is the "
		    "camera)", *c, s->call_endpoint != NULL ?
		    s->call_endpoint : "?");
		free(*c);
		*c = t;
	}
	if (s->fallback_cause != NULL) {
		xasprintf(&t, "%s; first at %s", *c, s->fallback_cause);
		free(*c);
		*c = t;
	}
}

/* Does op only read ("GetDNS", "Media2 GetProfiles")?  Anything else
 * may change what the kept read-outs say. */
static bool
op_is_get(const char *op)
{
	const char *w = strrchr(op, ' ');

	return strncmp(w != NULL ? w + 1 : op, "Get", 3) == 0;
}

/* Classify the result of the call that just ran. */
int
onvif_call_done(struct vg_onvif *s, const char *op, char **cause)
{
	char *reason = NULL, *c = NULL;
	int err;

	free(s->last_reason);
	s->last_reason = NULL;
	if (s->pend_valid) {
		/* classified before the clock re-read reused the context */
		err = s->pend_err;
		s->last_class = s->pend_class;
		reason = s->pend_reason;
		xasprintf(&c, "%s: %s", op, s->pend_cause != NULL ?
		    s->pend_cause : "failed");
		s->pend_reason = NULL;
		onvif_pend_clear(s);
	} else
		err = onvif_classify(s->soap, s->call_start_us, s->timeout_ms,
		    &s->last_class, &reason, op, &c);
	if (err == VG_OK) {
		s->last_class = VG_ONVIF_OK;
		onvif_xaddr_done(s, err, NULL);
		if (s->no_wsse && !s->use_da && s->call_signed &&
		    !s->warned_anon) {
			s->warned_anon = true;
			log_notice("onvif: %s: the camera refuses WS-Security "
			    "sign-in and answers without credentials", s->url);
		}
		if (!op_is_get(op))
			onvif_cache_drop(s);
		return VG_OK;
	}
	if (!op_is_get(op))
		onvif_cache_drop(s);
	if (s->tls_mismatch) {
		s->last_class = VG_ONVIF_TLS;
		free(c);
		xasprintf(&c, "%s: the TLS certificate (%s) is not the pinned "
		    "one (%s)", op, s->tls_seen != NULL ? s->tls_seen : "?",
		    s->tls_pin);
		err = VG_ERR_PERM;
	} else if (s->last_class == VG_ONVIF_AUTH && s->clock_known &&
	    llabs(s->offset_s) > 300 && reason != NULL &&
	    has_word(reason, "time")) {
		s->last_class = VG_ONVIF_CLOCK;
	}
	else if (s->last_class == VG_ONVIF_AUTH && s->no_wsse) {
		char *t;

		xasprintf(&t, "%s (the camera refuses WS-Security sign-in "
		    "and did not accept the request without it)", c);
		free(c);
		c = t;
	}
	onvif_xaddr_done(s, err, &c);
	s->last_reason = reason;
	log_debug("onvif: %s: %s", s->url, c);
	if (cause != NULL)
		*cause = c;
	else
		free(c);
	return err;
}

/* ---- sessions ---------------------------------------------------------- */

/* Open a session: context, TLS, and the camera's clock. */
int
vg_onvif_open(const char *url, const struct vg_onvif_opts *opts,
    struct vg_onvif **out, char **cause)
{
	struct vg_onvif *s;
	int err;

	*out = NULL;
	if (url == NULL || (strncasecmp(url, "http://", 7) != 0 &&
	    strncasecmp(url, "https://", 8) != 0)) {
		if (cause != NULL)
			xasprintf(cause, "%s: not an http(s) URL",
			    url != NULL ? url : "(null)");
		return VG_ERR_USAGE;
	}
	s = xcalloc(1, sizeof *s);
	s->timeout_ms = opts != NULL && opts->timeout_ms > 0 ?
	    opts->timeout_ms : 5000;
	s->soap = onvif_soap_new(s->timeout_ms);
	onvif_guard_install(s);
	s->url = xstrdup(url);
	s->tls = strncasecmp(url, "https://", 8) == 0;
	if (opts != NULL) {
		s->user = onvif_strdup(opts->user);
		s->password = onvif_strdup(opts->password);
		s->legacy_tls = opts->legacy_tls;
		if (opts->tls_fingerprint != NULL)
			s->tls_pin = fingerprint_norm(opts->tls_fingerprint);
	}
	if (s->password != NULL)
		vg_log_add_secret(s->password);
	if (s->tls && (err = onvif_tls_setup(s, cause)) != VG_OK)
		goto fail;
	if ((err = vg_onvif_sync_clock(s, cause)) != VG_OK)
		goto fail;
	*out = s;
	return VG_OK;
fail:
	vg_onvif_free(s);
	return err;
}

/* Re-read the camera's clock anonymously. */
int
vg_onvif_sync_clock(struct vg_onvif *s, char **cause)
{
	struct vg_onvif_time t;
	int a, err;

	memset(&t, 0, sizeof t);
	t.utc = (time_t)-1;
	for (a = 0; onvif_call_next_anon(s, a); a++)
		onvif_read_clock(s->soap, s->url, &t.utc, &t);
	err = onvif_call_done(s, "GetSystemDateAndTime", cause);
	onvif_call_end(s);
	if (err == VG_OK)
		onvif_time_keep(s, &t);
	if (err == VG_OK && t.utc != (time_t)-1) {
		s->offset_s = (int64_t)t.utc - (int64_t)time(NULL);
		s->clock_known = true;
		log_debug("onvif: %s: clock offset %+lld s", s->url,
		    (long long)s->offset_s);
	} else if (err == VG_OK || s->last_class == VG_ONVIF_AUTH ||
	    s->last_class == VG_ONVIF_FAULT) {
		/* a camera that wants credentials even for its clock, or
		 * gave no time: sign with our own clock */
		log_info("onvif: %s: camera clock unknown; signing with "
		    "this box's time", s->url);
		s->clock_known = false;
		s->offset_s = 0;
		s->last_class = VG_ONVIF_OK;
		if (cause != NULL && *cause != NULL) {
			free(*cause);
			*cause = NULL;
		}
		err = VG_OK;
	}
	vg_onvif_time_clear(&t);
	return err;
}

/* Open the camera described by a configuration entry. */
int
vg_onvif_open_camera(const struct vg_camera *cam, bool admin,
    struct vg_onvif **out, char **cause)
{
	const struct vg_camera_onvif *o = &cam->onvif;
	const char *addr = o->address != NULL ? o->address :
	    cam->match.address;
	struct vg_onvif_opts opts;
	char *url = NULL, *target = NULL;
	int err;

	*out = NULL;
	if (addr == NULL) {
		if (cause != NULL)
			xasprintf(cause, "camera %s has no address", cam->name);
		return VG_ERR_CONFIG;
	}
	xasprintf(&target, "%s%s%s:%d%s", strchr(addr, ':') ? "[" : "", addr,
	    strchr(addr, ':') ? "]" : "", o->port > 0 ? o->port :
	    o->tls ? 443 : 80, o->path != NULL ? o->path :
	    "/onvif/device_service");
	err = vg_onvif_target_url(target, o->tls, &url, cause);
	free(target);
	if (err != VG_OK)
		return err;
	memset(&opts, 0, sizeof opts);
	if (admin && cam->credentials.admin_user != NULL) {
		opts.user = cam->credentials.admin_user;
		opts.password = cam->credentials.admin_password.value;
	} else {
		opts.user = cam->credentials.user;
		opts.password = cam->credentials.password.value;
	}
	opts.timeout_ms = o->timeout_ms;
	opts.legacy_tls = o->legacy_tls;
	opts.tls_fingerprint = o->tls_fingerprint;
	err = vg_onvif_open(url, &opts, out, cause);
	free(url);
	return err;
}

/* Class of a failed open (no session left to ask). */
enum vg_onvif_class
vg_onvif_open_class(int err, const char *cause)
{
	if (err == VG_ERR_TIMEOUT)
		return VG_ONVIF_TIMEOUT;
	if (err == VG_ERR_PROTO)
		return cause != NULL && strstr(cause, "cut short") != NULL ?
		    VG_ONVIF_BAD_REPLY : VG_ONVIF_NOT_ONVIF;
	if (err == VG_ERR_PERM || (cause != NULL && strstr(cause, "TLS") !=
	    NULL))
		return VG_ONVIF_TLS;
	return VG_ONVIF_UNREACHABLE;
}

/* Point the session at another address. */
int
vg_onvif_retarget(struct vg_onvif *s, const char *url, char **cause)
{
	bool tls = strncasecmp(url, "https://", 8) == 0;
	int i;

	if (tls != s->tls) {
		if (cause != NULL)
			xasprintf(cause, "%s: cannot switch between http and "
			    "https on one session", url);
		return VG_ERR_USAGE;
	}
	free(s->url);
	s->url = xstrdup(url);
	onvif_da_release(s);
	s->services_known = false;
	free(s->media_url);
	free(s->media2_url);
	free(s->events_url);
	s->media_url = s->media2_url = s->events_url = NULL;
	for (i = 0; i < ONVIF_XA_N; i++)
		if (i != ONVIF_XA_PULLPOINT)
			onvif_xaddr_clear(s, i);
	onvif_cache_drop(s);
	return vg_onvif_sync_clock(s, cause);
}

/* Free a session, wiping the password. */
void
vg_onvif_free(struct vg_onvif *s)
{
	int i;

	if (s == NULL)
		return;
	if (s->soap != NULL) {
		onvif_call_end(s);
		onvif_da_release(s);
		if (s->soap->ctx != NULL)
			SSL_CTX_set_app_data(s->soap->ctx, NULL);
		onvif_soap_free(s->soap);
	}
	vg_secret_free(s->password);
	free(s->user);
	free(s->url);
	free(s->tls_pin);
	free(s->tls_seen);
	free(s->media_url);
	free(s->media2_url);
	free(s->events_url);
	free(s->last_reason);
	free(s->pend_reason);
	free(s->pend_cause);
	free(s->fallback_cause);
	free(s->call_endpoint);
	for (i = 0; i < ONVIF_XA_N; i++)
		onvif_xaddr_clear(s, i);
	onvif_cache_drop(s);
	free(s);
}

/* Accessors. */
const char *
vg_onvif_url(const struct vg_onvif *s)
{
	return s->url;
}

enum vg_onvif_class
vg_onvif_last_class(const struct vg_onvif *s)
{
	return s->last_class;
}

const char *
vg_onvif_last_reason(const struct vg_onvif *s)
{
	return s->last_reason;
}

int64_t
vg_onvif_clock_offset(const struct vg_onvif *s, bool *known)
{
	if (known != NULL)
		*known = s->clock_known;
	return s->offset_s;
}

const char *
vg_onvif_tls_fingerprint(const struct vg_onvif *s)
{
	return s->tls_seen;
}

bool
vg_onvif_tls_first_use(const struct vg_onvif *s)
{
	return s->tls_first_use;
}

bool
vg_onvif_uses_http_digest(const struct vg_onvif *s)
{
	return s->use_da;
}
