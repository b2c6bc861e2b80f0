/* onvif-int.h - internal: what the onvif-*.c files share (src/ only).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Includes gSOAP: never include this from ui/ or the public headers.
 */
#ifndef VIGIA_ONVIF_INT_H
#define VIGIA_ONVIF_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "soapH.h"
#include "httpda.h"

#include "onvif-soap.h"
#include "libvigia.h"

/* The service addresses a camera names that vigia follows. */
enum onvif_xa {
	ONVIF_XA_MEDIA,
	ONVIF_XA_MEDIA2,
	ONVIF_XA_EVENTS,
	ONVIF_XA_PULLPOINT,
	ONVIF_XA_N
};

/* One of them: *url is the address in use (the session's media_url...);
 * named is what the camera gave when it names another host or port than
 * the device service answered on (tried only if *url fails). */
struct onvif_xaddr {
	char **url;
	char *named;
	char *reached;		/* the rewritten address, after a fallback */
	bool settled;		/* a call there worked */
};

/* One camera session (struct vg_onvif in onvif.h). */
struct vg_onvif {
	struct soap *soap;
	char *url;		/* device service */
	char *user;
	char *password;		/* wiped on free */
	int timeout_ms;
	bool tls;
	bool legacy_tls;
	char *tls_pin;		/* "sha256:..." expected, or NULL */
	char *tls_seen;		/* "sha256:..." seen on this session */
	bool tls_mismatch;	/* the last handshake saw another cert */
	bool tls_first_use;
	int64_t offset_s;	/* camera clock minus ours */
	bool clock_known;
	struct http_da_info da;
	bool use_da;
	/* services, looked up once */
	bool services_known;
	char *media_url;
	char *media2_url;
	char *events_url;
	bool pullpoint;
	/* service addresses the camera named (onvif_xaddr_set) */
	struct onvif_xaddr xaddr[ONVIF_XA_N];
	SOAP_SOCKET (*fopen_orig)(struct soap *, const char *, const char *,
	    int);
	bool call_signed;	/* this attempt carries credentials */
	bool anon_next;		/* next attempt goes without them */
	bool anon_foreign;	/* this attempt: anonymous, foreign host */
	bool withheld;		/* the guard refused to connect */
	bool warned_withheld;	/* said so once */
	char *fallback_cause;	/* why the reached address failed */
	char *call_endpoint;	/* where this attempt connected */
	bool no_wsse;		/* the device refuses WS-Security */
	bool warned_anon;	/* said it answers without credentials */
	/* read-outs kept for a few seconds (until a Set) */
	struct vg_onvif_net net_cache;
	int64_t net_cache_us;	/* 0: none */
	struct vg_onvif_time time_cache;	/* utc, ntp, timezone */
	int64_t time_cache_us;	/* 0: none */
	/* last failure */
	enum vg_onvif_class last_class;
	char *last_reason;
	int64_t call_start_us;
	/* a failure classified before its gSOAP memory was reused */
	bool pend_valid;
	int pend_err;
	enum vg_onvif_class pend_class;
	char *pend_reason;
	char *pend_cause;
};

/* Microseconds on the monotonic clock. */
int64_t onvif_now_us(void);

/* Start an authenticated call: clears gSOAP memory of the previous call
 * and adds the WS-Security digest at camera time (and the HTTP digest
 * once the camera asked for it).  Use it as
 *	for (a = 0; onvif_call_next(s, a); a++)
 *		soap_call_...(...);
 *	err = onvif_call_done(s, "GetX", cause);
 * The loop retries once after a 401 (switching to HTTP digest) and once
 * after an authentication fault when a fresh clock reading differs. */
bool onvif_call_next(struct vg_onvif *s, int attempt);
/* Same, without credentials (GetSystemDateAndTime, factory-new). */
bool onvif_call_next_anon(struct vg_onvif *s, int attempt);
/* Classify soap->error after a call; 0 or a vg_err with *cause. */
int onvif_call_done(struct vg_onvif *s, const char *op, char **cause);
/* Forget the HTTP digest state (wiping the password copy). */
void onvif_da_release(struct vg_onvif *s);
/* Free what gSOAP allocated for the last call (after copying out). */
void onvif_call_end(struct vg_onvif *s);
/* Classify an error on a bare gSOAP context (sweep, manual add). */
int onvif_classify(struct soap *soap, int64_t started_us, int timeout_ms,
    enum vg_onvif_class *cls, char **reason, const char *what,
    char **cause);
/* Record a failure of our own (validation, unsupported) on s. */
int onvif_fail(struct vg_onvif *s, enum vg_onvif_class cls, int err,
    char **cause, const char *fmt, ...) VG_PRINTF(5, 6);

/* Set *field to the address to use for the service XAddr `given`
 * (see onvif-session.c): the camera's path on the address the device
 * service answered on; the device service itself when given has no
 * host.  The slot remembers `given` as the fallback. */
void onvif_xaddr_set(struct vg_onvif *s, enum onvif_xa slot, char **field,
    const char *given);
/* Forget a slot (its field is going away). */
void onvif_xaddr_clear(struct vg_onvif *s, enum onvif_xa slot);
/* What the camera named for slot, if it is not the address in use. */
const char *onvif_xaddr_named(const struct vg_onvif *s, enum onvif_xa slot);
/* Drop the read-outs kept by get_network and get_time. */
void onvif_cache_drop(struct vg_onvif *s);
/* Keep a clock read-out (utc, ntp, timezone) for vg_onvif_get_time. */
void onvif_time_keep(struct vg_onvif *s, const struct vg_onvif_time *t);

/* Make sure media/media2/events URLs are known (GetServices, else
 * GetCapabilities).  Missing services stay NULL. */
int onvif_services(struct vg_onvif *s, char **cause);

/* Read the clock of the device at url anonymously with soap;
 * *utc gets the camera's UTC; t (if not NULL) its NTP mode and time
 * zone (allocated). */
int onvif_read_clock(struct soap *soap, const char *url, time_t *utc,
    struct vg_onvif_time *t);
/* tt:DateTime (UTC) to time_t; -1 if incomplete. */
time_t onvif_datetime_to_time(const struct tt__DateTime *dt);

/* Copy a possibly-NULL gSOAP string. */
char *onvif_strdup(const char *s);
/* Append a copy of s to a growing array of strings. */
void onvif_strv_add(char ***v, size_t *n, const char *s);
void onvif_strv_free(char **v, size_t n);
/* Normalise a MAC to "aa:bb:cc:dd:ee:ff"; NULL if it is not one. */
char *onvif_mac_norm(const char *s);

/* The WS-Discovery namespace table (wsa 2004/08 before wsa5). */
extern struct Namespace onvif_wsd_namespaces[];
/* A context for parsing WS-Discovery datagrams from memory (bounded like
 * onvif_soap_new's); soap_free() it. */
struct soap *onvif_wsd_soap_new(void);
/* Parse one NUL-terminated datagram (ProbeMatches, Hello, Bye) from
 * `from` into l as discovery does; *full is set once the device cap is
 * hit (and said).  For the fuzz targets. */
void onvif_wsd_datagram(struct soap *soap, char *buf, const char *from,
    struct vg_onvif_devlist *l, bool *full);

#endif /* VIGIA_ONVIF_INT_H */
