/* onvif.h - the ONVIF client core: discovery, sessions, device, network,
 * media and events (public part of libvigia.h).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Included at the bottom of libvigia.h.  Only plain structs cross this
 * header: every string is a malloc'd copy the caller owns through the
 * matching *_free() or *_clear() function, never a pointer into gSOAP
 * memory.  A struct vg_onvif (one camera session) belongs to one thread
 * at a time; discovery, sweeps and batches make their own.
 *
 * Every function that talks to a camera has a deadline (the session's
 * timeout, or the one passed in), returns 0 or a negative enum vg_err and
 * may give an English *cause.  After a failed call on a session,
 * vg_onvif_last_class() says what kind of failure it was, for a human.
 */
#ifndef VIGIA_ONVIF_H
#define VIGIA_ONVIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct vg_strlist;
struct vg_camera;
struct vg_camera_encoder;
struct vg_onvif_discover_opts;

/* ---- error classes ------------------------------------------------------ */

/* Why a call failed, in the terms a technician acts on. */
enum vg_onvif_class {
	VG_ONVIF_OK = 0,
	VG_ONVIF_UNREACHABLE,	/* no route, refused, host down */
	VG_ONVIF_NOT_ONVIF,	/* something answers, but not ONVIF SOAP */
	VG_ONVIF_AUTH,		/* wrong user name or password */
	VG_ONVIF_LOCKED,	/* account locked after failed logins */
	VG_ONVIF_CLOCK,		/* rejected because of the camera's clock */
	VG_ONVIF_TIMEOUT,	/* a deadline passed */
	VG_ONVIF_FAULT,		/* the device refused (reason text kept) */
	VG_ONVIF_UNSUPPORTED,	/* the device lacks the operation/service */
	VG_ONVIF_TLS,		/* TLS failed, or the certificate changed */
	VG_ONVIF_BAD_REPLY,	/* it answered (HTTP status), then the reply
				 * was cut short */
};

/* Translated one-line explanation of a class with advice; never NULL. */
const char *vg_onvif_class_text(enum vg_onvif_class cls);
/* Stable English keyword for JSON ("auth", "timeout", ...). */
const char *vg_onvif_class_name(enum vg_onvif_class cls);

/* ---- targets ------------------------------------------------------------ */

/* Turn "host", "host:port", "host[:port]/path", "[v6]:port/path" or a full
 * http(s):// device-service URL into a device-service URL (default port
 * 80, or 443 with tls; default path /onvif/device_service).  Returns 0
 * and *url (caller frees), or VG_ERR_USAGE with *cause. */
int vg_onvif_target_url(const char *target, bool tls, char **url,
    char **cause);
/* The host part of a URL, without brackets (caller frees); NULL if none. */
char *vg_onvif_url_host(const char *url);

/* ---- sessions ----------------------------------------------------------- */

struct vg_onvif;

/* How to talk to one camera.  Strings are borrowed for the call only. */
struct vg_onvif_opts {
	const char *user;	/* NULL: anonymous (factory-new camera) */
	const char *password;
	int timeout_ms;		/* per call; 0: 5000 */
	bool legacy_tls;	/* allow TLS 1.0/1.1 and weak keys (opt-in) */
	const char *tls_fingerprint; /* "sha256:<hex>" pin, NULL: TOFU */
};

/* Open a session to the device service at url (see vg_onvif_target_url):
 * reads the camera's clock without credentials first, so that every
 * later request is signed at the camera's own time.  A camera that does
 * not answer at all fails here (class UNREACHABLE, TIMEOUT, NOT_ONVIF or
 * TLS); bad credentials only show on the first authenticated call.  The
 * password is registered with vg_log_add_secret() and wiped on free. */
int vg_onvif_open(const char *url, const struct vg_onvif_opts *opts,
    struct vg_onvif **out, char **cause);
/* Open a configured camera: address/port/path/tls/legacy_tls/fingerprint
 * and timeout from cam->onvif (or cam->match.address), credentials
 * cam->credentials.user/password, or the admin pair when admin is true. */
int vg_onvif_open_camera(const struct vg_camera *cam, bool admin,
    struct vg_onvif **out, char **cause);
/* Close and free; wipes the password.  Accepts NULL. */
void vg_onvif_free(struct vg_onvif *s);

/* The device-service URL in use (changes after vg_onvif_retarget()). */
const char *vg_onvif_url(const struct vg_onvif *s);
/* Point the session at another device-service URL (same credentials,
 * TLS pin and options) and re-read the clock there. */
int vg_onvif_retarget(struct vg_onvif *s, const char *url, char **cause);
/* Class of the last failure (VG_ONVIF_OK after a success). */
enum vg_onvif_class vg_onvif_last_class(const struct vg_onvif *s);
/* Class of a failed vg_onvif_open() or vg_onvif_open_camera(), which
 * leaves no session to ask: from its return and English cause. */
enum vg_onvif_class vg_onvif_open_class(int err, const char *cause);
/* The device's own fault reason of the last failure, or NULL. */
const char *vg_onvif_last_reason(const struct vg_onvif *s);
/* Camera clock minus ours, in seconds, and whether it could be read. */
int64_t vg_onvif_clock_offset(const struct vg_onvif *s, bool *known);
/* Re-read the camera's clock (unauthenticated); updates the offset. */
int vg_onvif_sync_clock(struct vg_onvif *s, char **cause);
/* "sha256:<hex>" of the camera's TLS certificate as seen on this
 * session, or NULL for plain HTTP or before the first TLS call. */
const char *vg_onvif_tls_fingerprint(const struct vg_onvif *s);
/* True when that certificate was accepted on first use (no pin given):
 * the caller should store the fingerprint (onvif.tls_fingerprint). */
bool vg_onvif_tls_first_use(const struct vg_onvif *s);
/* True after a 401 made the session switch to HTTP digest. */
bool vg_onvif_uses_http_digest(const struct vg_onvif *s);

/* ---- device ------------------------------------------------------------- */

struct vg_onvif_info {
	char *manufacturer;
	char *model;
	char *firmware;
	char *serial;
	char *hardware_id;
	char *mac;		/* first interface, "aa:bb:cc:dd:ee:ff" */
	char *hostname;
	char *identity;		/* "serial/mac": stable across IP changes */
	/* services (GetServices, else GetCapabilities) */
	char *media_url;
	char *media2_url;	/* NULL: no Media2 (no H.265 via ONVIF) */
	char *events_url;
	/* what the camera named, when it is another host or port than the
	 * device service answered on (the *_url above then use the
	 * camera's path on the address it answered on); else NULL */
	char *media_named;
	char *media2_named;
	char *events_named;
	bool pullpoint;		/* events offer a pull-point */
	/* scopes */
	struct vg_onvif_scopes {
		char *name;
		char *hardware;
		char *location;
		char *mac;	/* vendors that publish it as a scope */
		char **profiles;	/* "Streaming", "G", "T", "Q", ... */
		size_t nprofiles;
		bool factory_default;	/* Profile Q FactoryDefault */
		char **all;	/* every scope URI as sent */
		size_t nall;
	} scopes;
};

/* Fill info: GetDeviceInformation, GetServices (or GetCapabilities),
 * GetNetworkInterfaces (MAC), GetHostname and GetScopes.  Only
 * GetDeviceInformation is required; what else fails is left NULL. */
int vg_onvif_get_info(struct vg_onvif *s, struct vg_onvif_info *info,
    char **cause);
void vg_onvif_info_clear(struct vg_onvif_info *info);
void vg_onvif_scopes_clear(struct vg_onvif_scopes *sc);
/* Parse a space-separated scope list into sc (clear it first). */
void vg_onvif_scopes_parse(const char *list, struct vg_onvif_scopes *sc);

/* Time and NTP. */
struct vg_onvif_time {
	time_t utc;		/* the camera's UTC clock when read */
	int64_t offset_s;	/* camera minus this box */
	bool ntp;		/* DateTimeType NTP (else manual) */
	char *timezone;		/* POSIX TZ string as the camera has it */
	bool ntp_from_dhcp;
	char **ntp_servers;
	size_t nntp;
};
int vg_onvif_get_time(struct vg_onvif *s, struct vg_onvif_time *t,
    char **cause);
void vg_onvif_time_clear(struct vg_onvif_time *t);
/* Set NTP servers (ntp != NULL and non-empty: DateTimeType NTP, else
 * manual time from this box's UTC clock) and the time zone (a POSIX TZ
 * string such as "CET-1CEST,M3.5.0,M10.5.0/3", or an IANA name that is
 * converted from /usr/share/zoneinfo; NULL keeps it).  Reads back. */
int vg_onvif_set_time(struct vg_onvif *s, const struct vg_strlist *ntp,
    const char *timezone, char **cause);
/* "CET-1CEST,M3.5.0,M10.5.0/3" for "Europe/Madrid" (caller frees), from
 * the last line of the zoneinfo file; NULL if unknown.  POSIX input is
 * returned as is. */
char *vg_onvif_posix_tz(const char *tz);

/* Users. */
enum vg_onvif_user_level {
	VG_ONVIF_ADMIN,
	VG_ONVIF_OPERATOR,
	VG_ONVIF_USER,
};
struct vg_onvif_user {
	char *name;
	enum vg_onvif_user_level level;
};
int vg_onvif_get_users(struct vg_onvif *s, struct vg_onvif_user **users,
    size_t *n, char **cause);
void vg_onvif_users_free(struct vg_onvif_user *users, size_t n);
/* Create user `name` or, if it exists, set its password and level; then
 * log in as it to verify. */
int vg_onvif_set_user(struct vg_onvif *s, const char *name,
    const char *password, enum vg_onvif_user_level level, char **cause);
/* Is the camera factory-new (Profile Q FactoryDefault scope, or it lets
 * an anonymous caller list users and has none)? */
int vg_onvif_is_factory_new(struct vg_onvif *s, bool *factory_new,
    char **cause);
/* Activate a factory-new camera: create the first administrator (the
 * session may be anonymous), then log in as it to verify. */
int vg_onvif_activate(struct vg_onvif *s, const char *admin_user,
    const char *admin_password, char **cause);

/* Vendors' password rules, checked before anything is sent. */
enum vg_onvif_vendor {
	VG_ONVIF_VENDOR_GENERIC,
	VG_ONVIF_VENDOR_HIKVISION,	/* 8-16 chars, >= 2 classes */
	VG_ONVIF_VENDOR_DAHUA,		/* 8-32 chars, none of ' " ; : & */
	VG_ONVIF_VENDOR_AXIS,		/* 1-64 printable ASCII */
};
/* The vendor from a manufacturer string ("HIKVISION", "Dahua", ...). */
enum vg_onvif_vendor vg_onvif_vendor_of(const char *manufacturer);
/* 0 if password meets the vendor's rules, else VG_ERR_USAGE and a
 * translated *cause for the technician. */
int vg_onvif_password_check(enum vg_onvif_vendor vendor,
    const char *password, char **cause);

/* Reboot; *message (may be NULL) gets the camera's text. */
int vg_onvif_reboot(struct vg_onvif *s, char **message, char **cause);

/* ---- network ------------------------------------------------------------ */

struct vg_onvif_net {
	char *token;		/* interface token */
	char *mac;
	bool dhcp;
	char *address;		/* current IPv4 (manual or from DHCP) */
	int prefix;
	char *gateway;		/* first IPv4 default gateway, or NULL */
	bool dns_from_dhcp;
	char **dns;
	size_t ndns;
};
int vg_onvif_get_network(struct vg_onvif *s, struct vg_onvif_net *net,
    char **cause);
void vg_onvif_net_clear(struct vg_onvif_net *net);

/* What vg_onvif_change_ipv4() should make the camera use. */
struct vg_onvif_ipv4 {
	const char *address;	/* static IPv4 */
	int prefix;		/* 1..32 */
	const char *gateway;	/* NULL: leave as is */
	const char *const *dns;	/* NULL: leave as is */
	size_t ndns;
};

/* What happened during an address change. */
struct vg_onvif_ipchange {
	bool changed;		/* false: it already had these settings */
	bool reboot_needed;	/* the camera said RebootNeeded */
	bool followed;		/* answered and identified at new_url */
	bool verified;		/* read back equals what was asked */
	char *old_url;
	char *new_url;		/* where it answers now (or should) */
	char *last_seen;	/* address where it last answered, or NULL */
	time_t last_seen_at;
	char *identity;		/* serial/mac */
	char **diffs;		/* English "field: wanted X, camera has Y" */
	size_t ndiffs;
};
void vg_onvif_ipchange_clear(struct vg_onvif_ipchange *r);

/* Reserve an IPv4 address for this process (batch safety): VG_ERR_EXISTS
 * if another change in this run already claimed it. */
int vg_onvif_claim_address(const char *address);
void vg_onvif_release_address(const char *address);
/* Is address in use by some host?  Connect test plus the kernel's ARP
 * table; *in_use gets the answer, *how an English explanation. */
int vg_onvif_address_in_use(const char *address, int port, int timeout_ms,
    bool *in_use, char **how);

/* Change the camera's IPv4 settings without stranding it: claim and
 * conflict-check the new address, set gateway and DNS first (while it is
 * still reachable), then the address (DHCP off), reboot if the camera
 * says so, follow it to the new address (polling there and, failing
 * that, WS-Discovery on disc's interfaces, NULL: the defaults, checking
 * every device found for the same serial/MAC), verify its identity and
 * read the settings back.  follow_ms bounds the wait (0: 90000).  On
 * success s points at the new address.  On a timeout the report says
 * where the camera was last seen. */
int vg_onvif_change_ipv4(struct vg_onvif *s, const struct vg_onvif_ipv4 *want,
    const struct vg_onvif_discover_opts *disc, int follow_ms,
    struct vg_onvif_ipchange *report, char **cause);
/* The same in two parts, so that a caller can follow the camera on
 * another thread.  _begin() does everything up to the reboot: on success
 * with report->changed false the camera already had these settings
 * (report->verified is true and nothing is left to do); with it true,
 * call _follow() with the same s, want and report, which finds the camera
 * at report->new_url, verifies its identity and reads the settings back.
 * The claim on the new address is kept once it may have been taken. */
int vg_onvif_change_ipv4_begin(struct vg_onvif *s,
    const struct vg_onvif_ipv4 *want, struct vg_onvif_ipchange *report,
    char **cause);
int vg_onvif_change_ipv4_follow(struct vg_onvif *s,
    const struct vg_onvif_ipv4 *want,
    const struct vg_onvif_discover_opts *disc, int follow_ms,
    struct vg_onvif_ipchange *report, char **cause);

/* ---- media -------------------------------------------------------------- */

enum vg_onvif_codec {
	VG_ONVIF_CODEC_UNKNOWN,
	VG_ONVIF_CODEC_JPEG,
	VG_ONVIF_CODEC_MPEG4,
	VG_ONVIF_CODEC_H264,
	VG_ONVIF_CODEC_H265,
};
const char *vg_onvif_codec_name(enum vg_onvif_codec c);	/* "H264" */

/* One video encoder configuration. */
struct vg_onvif_encoder {
	char *token;
	enum vg_onvif_codec codec;
	int width, height;
	int fps;		/* FrameRateLimit (Media2 floats rounded) */
	int bitrate_kbps;
	int gop;		/* GovLength, 0 if unknown */
	char *profile;		/* "Main", "High", "Baseline", or NULL */
	float quality;
	bool media2;		/* read through Media2 */
};

struct vg_onvif_profile {
	char *token;
	char *name;
	bool has_encoder;
	struct vg_onvif_encoder enc;
	char *stream_uri;	/* RTSP, RTP over RTSP (TCP) */
	char *snapshot_uri;
};

/* Media profiles with their encoder, stream URI (RTSP over TCP) and
 * snapshot URI; Media2 when the camera offers it (H.265 shows only
 * there), else Media.  URIs that fail are left NULL. */
int vg_onvif_get_profiles(struct vg_onvif *s,
    struct vg_onvif_profile **profiles, size_t *n, char **cause);
void vg_onvif_profiles_free(struct vg_onvif_profile *p, size_t n);

/* The stream a configured camera records: the first media profile with a
 * video encoder for recording.stream = "main", the second for "sub" (the
 * profile --apply sets the encoder on).  The camera is asked at its
 * configured address (onvif.address, else match.address) and, when it
 * does not answer there and has a static network.address, at that one
 * (where an applied address change took it). */
struct vg_onvif_camera_stream {
	char *profile;		/* token */
	char *stream_uri;	/* RTSP, without credentials */
	char *snapshot_uri;	/* NULL: the camera has none */
	char *host;		/* the address it answered on */
	bool sub;		/* it is the sub stream */
};
/* Returns 0 and fills *out (clear it), or a vg_err with *cls (UNSUPPORTED
 * when there is no such profile or stream URI: VG_ERR_NOTFOUND /
 * VG_ERR_PROTO) and an English *cause. */
int vg_onvif_camera_stream(const struct vg_camera *cam,
    struct vg_onvif_camera_stream *out, enum vg_onvif_class *cls,
    char **cause);
void vg_onvif_camera_stream_clear(struct vg_onvif_camera_stream *cs);

/* What an encoder configuration accepts, per codec. */
struct vg_onvif_codec_options {
	enum vg_onvif_codec codec;
	int (*res)[2];		/* width, height pairs */
	size_t nres;
	int fps_min, fps_max;	/* range (Media), or ... */
	int *fps_list;		/* ... the list of rates (Media2), or NULL */
	size_t nfps;
	int gop_min, gop_max;	/* 0,0: unknown */
	int bitrate_min, bitrate_max;	/* kbit/s; 0,0: unknown */
	char **profiles;	/* "Main", "High", ... */
	size_t nprofiles;
};
struct vg_onvif_encoder_options {
	float quality_min, quality_max;
	struct vg_onvif_codec_options *codecs;
	size_t ncodecs;
	bool media2;
};
int vg_onvif_get_encoder_options(struct vg_onvif *s, const char *profile,
    struct vg_onvif_encoder_options *opt, char **cause);
void vg_onvif_encoder_options_clear(struct vg_onvif_encoder_options *opt);

/* What to set; 0 / NULL / VG_ONVIF_CODEC_UNKNOWN keep the current value. */
struct vg_onvif_encoder_want {
	enum vg_onvif_codec codec;
	int width, height;
	int fps;
	int bitrate_kbps;
	int gop;
	const char *profile;	/* "Main", "High", "Baseline" */
	float quality;		/* 0: keep */
};
/* Fill want from a configured encoder (config.h). */
void vg_onvif_encoder_want_from(struct vg_onvif_encoder_want *want,
    const struct vg_camera_encoder *enc);

/* Problems or differences, one English line each, plus one translated
 * line each for the technician. */
struct vg_onvif_diffs {
	char **v;		/* English ("fps: wanted 25, camera has 15") */
	char **human;		/* translated */
	size_t n;
};
void vg_onvif_diffs_clear(struct vg_onvif_diffs *d);

/* Check want against opt; every problem found goes to problems.
 * Returns 0 or VG_ERR_USAGE. */
int vg_onvif_encoder_validate(const struct vg_onvif_encoder_options *opt,
    const struct vg_onvif_encoder *cur,
    const struct vg_onvif_encoder_want *want, struct vg_onvif_diffs *problems);

/* Set the encoder of profile (token; NULL: the first profile with one):
 * read its options, validate (nothing is sent if anything is wrong: the
 * problems go to diffs, VG_ERR_USAGE), set with ForcePersistence (Media2
 * when it is H.265 or only Media2 has the encoder), read it back and put
 * every difference from what was asked into diffs (VG_ERR_PROTO: the
 * camera ignored part of it).  *after (may be NULL) gets the read-back. */
int vg_onvif_set_encoder(struct vg_onvif *s, const char *profile,
    const struct vg_onvif_encoder_want *want, struct vg_onvif_encoder *after,
    struct vg_onvif_diffs *diffs, char **cause);
void vg_onvif_encoder_clear(struct vg_onvif_encoder *e);

/* ---- events ------------------------------------------------------------- */

struct vg_onvif_events;

/* One notification. */
struct vg_onvif_event {
	char *topic;		/* "tns1:RuleEngine/CellMotionDetector/Motion" */
	time_t utc;
	char *operation;	/* "Initialized", "Changed", "Deleted" or NULL */
	char **source;		/* "Name=Value" pairs */
	size_t nsource;
	char **data;
	size_t ndata;
	bool motion;		/* a motion topic with a true state */
	bool is_motion_topic;
};
void vg_onvif_events_free_list(struct vg_onvif_event *ev, size_t n);

/* The event topics the camera publishes (GetEventProperties). */
int vg_onvif_event_topics(struct vg_onvif *s, char ***topics, size_t *n,
    char **cause);
/* Create a pull-point subscription (lifetime in seconds, 0: 60). */
int vg_onvif_events_open(struct vg_onvif *s, int lifetime_s,
    struct vg_onvif_events **out, char **cause);
/* Pull messages, waiting up to wait_ms on the camera side.  The
 * subscription is re-created when it expired or the camera forgot it
 * (Renew is not used: see the ONVIF README, pitfall 7). */
int vg_onvif_events_pull(struct vg_onvif_events *ev, int wait_ms,
    struct vg_onvif_event **events, size_t *n, char **cause);
/* How many times the subscription was re-created. */
int vg_onvif_events_recreated(const struct vg_onvif_events *ev);
/* Unsubscribe (best effort) and free; accepts NULL. */
void vg_onvif_events_close(struct vg_onvif_events *ev);

/* ---- discovery ---------------------------------------------------------- */

enum vg_onvif_source {
	VG_ONVIF_SRC_PROBE,	/* answered a WS-Discovery Probe */
	VG_ONVIF_SRC_HELLO,	/* announced itself */
	VG_ONVIF_SRC_MANUAL,	/* added by address */
	VG_ONVIF_SRC_SWEEP,	/* answered GetSystemDateAndTime */
};

/* One device found. */
struct vg_onvif_device {
	char *endpoint;		/* WS-Addressing EPR ("urn:uuid:..."), or
				 * "url:" + XAddr for manual/sweep */
	char **xaddrs;		/* every device-service URL it gave */
	size_t nxaddrs;
	char *xaddr;		/* the one to use (reachable from iface) */
	char *types;
	char *iface;		/* interface that heard it */
	char *from;		/* source IPv4 address of the reply */
	struct vg_onvif_scopes scopes;
	unsigned metadata_version;
	enum vg_onvif_source source;
	int64_t found_us;	/* since the discovery started */
	int replies;		/* how many replies were merged */
	bool gone;		/* said Bye */
	bool xaddrs_capped;	/* it gave more addresses than vigia keeps */
};

struct vg_onvif_devlist {
	struct vg_onvif_device *v;
	size_t n;
};
void vg_onvif_devlist_clear(struct vg_onvif_devlist *l);
/* Find by endpoint; NULL if not there. */
struct vg_onvif_device *vg_onvif_devlist_find(struct vg_onvif_devlist *l,
    const char *endpoint);

struct vg_onvif_discover_opts {
	const char *const *interfaces;	/* names; NULL: every up, non-loopback
					 * IPv4 interface */
	size_t ninterfaces;
	int probes;		/* 0: 4 */
	int listen_ms;		/* after the last probe; 0: until its reply
				 * window has passed (at most 1500) */
	int jitter_ms;		/* max random extra gap; 0: 100 */
	/* Called as each new device is found (may be NULL). */
	void (*found)(const struct vg_onvif_device *d, void *arg);
	void *arg;
};

/* Probe on every chosen interface (one socket each, bound to its
 * address), resend with jitter, listen, and merge replies by endpoint.
 * Returns 0 (even when nothing answered), VG_ERR_NOTFOUND when no usable
 * interface exists, or VG_ERR_NET/VG_ERR_USAGE. */
int vg_onvif_discover(const struct vg_onvif_discover_opts *opts,
    struct vg_onvif_devlist *out, char **cause);

/* Listen for Hello and Bye for up to ms milliseconds (and Probe once at
 * the start), updating list in place: new devices are added, Bye marks
 * them gone.  Returns 0, or VG_ERR_NET when port 3702 cannot be joined. */
int vg_onvif_watch(const struct vg_onvif_discover_opts *opts, int ms,
    struct vg_onvif_devlist *list, char **cause);

/* Manual add: check that target (host[:port][/path] or URL) answers
 * GetSystemDateAndTime and append it to list. */
int vg_onvif_add_manual(const char *target, bool tls, int timeout_ms,
    struct vg_onvif_devlist *list, char **cause);

/* Sweep an IPv4 range ("192.168.1.0/24", at most /16) for ONVIF devices
 * on the given ports (NULL: 80 only) with at most `concurrency` requests
 * in flight (0: 32), each bounded by timeout_ms (0: 1000). */
int vg_onvif_sweep(const char *cidr, const int *ports, size_t nports,
    int concurrency, int timeout_ms, struct vg_onvif_devlist *list,
    char **cause);

#endif /* VIGIA_ONVIF_H */
