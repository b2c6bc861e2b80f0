/* sim-camera.h - vigia-sim internals: one simulated camera and the site.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A camera is a personality (what the model can do, its vendor's quirks
 * and password policy), a mutable state (addresses, users, clock, encoder
 * settings: what sim-state.c persists), injected faults and run-time
 * bookkeeping (reboot timer, event subscriptions, replay cache).  Every
 * field below `lock` is protected by it; nobody sleeps or does I/O while
 * holding it, except sim-state.c writing one small JSON file.
 */
#ifndef VIGIA_SIM_CAMERA_H
#define VIGIA_SIM_CAMERA_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "sim.h"

#define SIM_MAX_CAMERAS 254
#define SIM_MAX_USERS 16
#define SIM_MAX_SCOPES 8
#define SIM_MAX_SUBS 8
#define SIM_EVQ 32
#define SIM_NONCES 256
#define SIM_MAX_WORKERS 8
#define SIM_USER_MAX 32
#define SIM_PASS_MAX 64
#define SIM_AUTH_WINDOW 5	/* seconds either side of the camera clock */

enum sim_model { SIM_MODEL_HIK, SIM_MODEL_DAHUA, SIM_MODEL_GENERIC };

/* How a camera starts when it has no saved state. */
enum sim_start {
	SIM_START_FACTORY_NEW,	/* no users: anonymous until CreateUsers */
	SIM_START_VENDOR_DEFAULT, /* the vendor's admin password */
	SIM_START_CONFIGURED,	/* a site password (see sim_site_password) */
};

/* Same order as tt:UserLevel. */
enum sim_level {
	SIM_LEVEL_ADMIN,
	SIM_LEVEL_OPERATOR,
	SIM_LEVEL_USER,
	SIM_LEVEL_ANONYMOUS,
};

struct sim_res {
	int w, h;
};

/* What a model is: fixed for the life of the camera. */
struct sim_personality {
	const char *key;		/* "hik", "dahua", "generic" */
	const char *manufacturer, *model, *firmware, *hardware_id;
	const char *oui;		/* first three MAC bytes */
	const char *serial_prefix;
	const char *hostname_prefix;
	const char *profile_token[2], *profile_name[2];
	const char *venc_token[2];
	const char *media_path;		/* Media ver10 service path */
	bool media2;			/* advertises Media2 (ver20) */
	bool h265;			/* can encode H.265 */
	bool http_digest;		/* SOAP needs HTTP digest */
	bool activation;		/* factory-new: only tds until activated */
	bool nonce_check;		/* rejects a replayed WS-Security nonce */
	const char *default_user, *default_password;
	int pw_min, pw_max, pw_classes;	/* password policy */
	const char *pw_forbidden;	/* characters refused in passwords */
	const struct sim_res *res[2];	/* resolutions per stream, largest first */
	int nres[2];
	int fps_max[2];
	int gop_max;
	int br_min, br_max;		/* kbit/s */
	struct sim_stream_cfg defaults[2];
};

/* Faults injected from --fault or the control socket. */
struct sim_faults {
	int slow_ms;		/* delay before each answer */
	int drop_pct;		/* close this share of requests unanswered */
	bool malformed;		/* answer with broken XML */
	long clock_skew;	/* seconds added to the camera clock */
	bool ignore_venc;	/* SetVideoEncoderConfiguration is a no-op */
	bool vanish;		/* SetNetworkInterfaces answers, then gone */
	bool digest;		/* HTTP digest instead of WS-Security */
	int port;		/* non-standard ONVIF port, 0 = normal */
	bool tls;		/* HTTPS only, self-signed certificate */
	enum sim_media_fault media;
};

struct sim_user {
	char name[SIM_USER_MAX + 1];
	char password[SIM_PASS_MAX + 1];
	int level;
};

struct sim_event {
	time_t utc;
	bool motion;
	int op;			/* 0 Initialized, 1 Deleted, 2 Changed */
};

struct sim_sub {
	bool used;
	int id;
	int duration;		/* seconds added by each pull */
	time_t expires;
	int head, count;
	struct sim_event q[SIM_EVQ];
};

struct sim_nonce {
	unsigned char hash[20];
	time_t seen;
};

/* What sim-state.c saves and loads. */
struct sim_config {
	char addr[16];
	int prefix;
	bool dhcp;
	char gateway[16];
	bool dns_dhcp;
	char dns[2][16];
	int ndns;
	char search[64];
	bool ntp_dhcp;
	char ntp[2][64];
	int nntp;
	bool time_ntp;		/* DateTimeType NTP, else Manual */
	char tz[64];
	bool dst;
	long clock_offset;	/* camera clock = time(NULL) + this */
	char hostname[64];
	bool hostname_dhcp;
	char scopes[SIM_MAX_SCOPES][128]; /* configurable scopes */
	int nscopes;
	struct sim_user users[SIM_MAX_USERS];
	int nusers;
	struct sim_stream_cfg stream[2];
	int quality[2];
	bool http_on, https_on, rtsp_on;
	int http_port, https_port, rtsp_port;	/* what GetNetworkProtocols says */
};

struct sim_camera {
	int index;
	enum sim_model model;
	const struct sim_personality *p;
	enum sim_start start;
	char serial[32];
	char mac[18];
	char uuid[48];		/* urn:uuid:..., the WS-Discovery endpoint */

	pthread_mutex_t lock;
	pthread_cond_t cond;	/* events and state changes */
	struct sim_config cfg;
	struct sim_faults fault;
	bool offline;		/* control socket: cable pulled */
	bool gone;		/* the vanish quirk fired */
	int64_t reboot_at_ms;	/* go down at this time (0 = no) */
	int64_t up_at_ms;	/* down until this time (0 = up) */
	char serve_addr[16];	/* where it listens now */
	bool media_up;		/* what the media side was last told */
	bool motion;		/* current state */
	int motion_manual;	/* -1 schedule, 0 forced off, 1 forced on */
	int motion_phase;
	struct sim_sub subs[SIM_MAX_SUBS];
	int next_sub;
	struct sim_nonce nonces[SIM_NONCES];
	int nonce_next;
	unsigned instance_id;	/* WS-Discovery AppSequence */
	unsigned msg_number;
	unsigned metadata_version;
	bool dirty;		/* state to save */
	unsigned requests;	/* counter, for status */
	/* Hikvision's illegal-login lock: SIM_LOCKOUT_TRIES failed logins
	 * in a row lock the camera for SIM_LOCKOUT_MS, even to the right
	 * password (the others only count) */
	int auth_failed_row;	/* failed logins since the last success */
	unsigned auth_failed;	/* failed logins in all, for status */
	int64_t locked_until_ms;	/* 0: not locked */
	unsigned drop_seq;

	pthread_t thread;
	bool thread_started;
	atomic_int workers;
	atomic_bool listening;	/* the ONVIF socket is bound */
	char listen_addr[16];	/* where it is bound, under lock */
	int listen_port;	/* 0 = not bound */
	bool listen_tls;
};

#define SIM_LOCKOUT_TRIES 5
#define SIM_LOCKOUT_MS (30 * 60 * 1000)

/* The whole simulated site (one per process). */
struct sim_site {
	int ncams;
	struct sim_camera *cams;
	char base[16];
	char *state_dir;	/* NULL: nothing persists */
	char *cache_dir;
	char *control_path;
	int onvif_port, https_port, rtsp_port, http_port;
	int reboot_ms;
	int motion_period, motion_on;	/* seconds; period 0 = never */
	unsigned seed;
	bool discovery;
	bool root;
	char *tls_pem;		/* key + self-signed certificate */
	pthread_mutex_t tls_lock;
	atomic_bool stopping;
};

extern struct sim_site sim_site;
extern const struct sim_personality sim_personalities[];

/* ---- vigia-sim.c: site and camera life ------------------------------- */
int64_t sim_now_ms(void);
/* The camera clock (seconds). Caller holds cam->lock. */
time_t sim_camera_time(const struct sim_camera *cam);
/* The ONVIF port the camera listens on now. Caller holds cam->lock. */
int sim_camera_port(const struct sim_camera *cam);
bool sim_camera_tls(const struct sim_camera *cam);
/* Up = reachable: not offline, gone or rebooting. Caller holds lock. */
bool sim_camera_up(const struct sim_camera *cam);
/* "http://ADDR[:PORT]PATH" in buf. Caller holds cam->lock. */
void sim_camera_url(const struct sim_camera *cam, const char *path,
    char *buf, size_t len);
/* Schedule a reboot (ms from now), optionally onto a new address. */
void sim_camera_schedule_reboot(struct sim_camera *cam, int delay_ms);
void sim_camera_set_motion(struct sim_camera *cam, bool on);
/* Media credentials follow the first administrator. Caller holds lock. */
void sim_camera_sync_credentials(struct sim_camera *cam);
/* Factory-new = no users yet. Caller holds lock. */
bool sim_camera_factory(const struct sim_camera *cam);
/* The password of a configured camera (static storage). */
const char *sim_site_password(int index);
/* Full scope list, space separated, in buf. Caller holds lock. */
void sim_camera_scopes(const struct sim_camera *cam, char *buf, size_t len);
/* Make sure the TLS key and certificate exist; 0 or -1. */
int sim_site_tls_ready(void);

/* ---- sim-onvif.c: the ONVIF server ---------------------------------- */
int sim_onvif_start(struct sim_camera *cam, char **cause);
void sim_onvif_join(struct sim_camera *cam);
void sim_onvif_global_init(void);
/* Queue the new motion state on every pull point. Caller holds lock. */
void sim_onvif_motion_changed(struct sim_camera *cam);
/* Wait until the ONVIF server listens where the camera's state says (or
 * has stopped, when the camera is down): 0, or -1 after timeout_ms. */
int sim_onvif_wait_settled(struct sim_camera *cam, int timeout_ms);

/* ---- sim-auth.c ------------------------------------------------------ */
struct soap;
/* Access classes, from the least to the most demanding. */
enum sim_access {
	SIM_PRE_AUTH,		/* GetSystemDateAndTime, GetCapabilities... */
	SIM_READ_MEDIA,		/* profiles, URIs: User */
	SIM_READ_SYSTEM,	/* configuration reads: User */
	SIM_ACTUATE,		/* encoder changes: Operator */
	SIM_WRITE_SYSTEM,	/* everything else that changes: Admin */
};
/* Check the request's credentials for an operation of class `access`.
 * SOAP_OK, or a fault / HTTP 401 already set on soap (return it). */
int sim_auth_check(struct soap *soap, struct sim_camera *cam,
    enum sim_access access, bool tds);
/* NULL if the password meets the personality's policy, else why not. */
const char *sim_auth_password_policy(const struct sim_personality *p,
    const char *user, const char *password);
/* Set a SOAP 1.2 fault: code "env:Sender"/"env:Receiver", subcode and
 * optional second subcode ("ter:..."), reason.  Returns SOAP_FAULT. */
int sim_soap_fault(struct soap *soap, bool sender, const char *sub1,
    const char *sub2, const char *reason);
void sim_auth_init(void);
/* The HTTP digest realm of a camera (static storage). */
const char *sim_auth_realm(const struct sim_camera *cam);

/* ---- sim-wsd.c: WS-Discovery ----------------------------------------- */
/* Start the discovery thread; -1 and *cause when discovery cannot run. */
int sim_wsd_start(char **cause);
void sim_wsd_stop(void);
void sim_wsd_hello(struct sim_camera *cam);
void sim_wsd_bye(struct sim_camera *cam);
/* Root only: make loopback multicast work; remembers what it changed. */
int sim_wsd_setup_loopback(char **cause);
void sim_wsd_restore_loopback(void);

/* ---- sim-control.c --------------------------------------------------- */
int sim_control_start(const char *path, char **cause);
void sim_control_stop(void);
/* Client: send one command, print the answer; exit status 0, 1 (the
 * answer is an error) or 2 (no answer). */
int sim_control_send(const char *path, const char *cmd);
/* Apply "NAME [VALUE]" (or "NAME=VALUE") to camera cam.  0 or -1. */
int sim_fault_apply(struct sim_camera *cam, const char *spec, char **cause);
/* The site as JSON (caller frees). */
char *sim_status_json(void);
/* Faults of a camera as text, "none" if none. Caller holds lock. */
void sim_fault_describe(const struct sim_faults *f, char *buf, size_t len);

/* ---- sim-state.c: persistence ---------------------------------------- */
/* Load the camera's saved state if any: 1 loaded, 0 none, -1 bad file. */
int sim_state_load(struct sim_camera *cam, char **cause);
/* Save if dirty (takes cam->lock itself). */
void sim_state_save(struct sim_camera *cam);

#endif /* VIGIA_SIM_CAMERA_H */
