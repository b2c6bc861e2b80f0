/* config.h - the configuration model: typed structs, load, validate, save.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Included at the bottom of libvigia.h.  Only standard headers are used here:
 * libconfig stays inside config.c.  The file format is described in
 * vigia.conf(5); data/vigia.conf.example documents every key.
 *
 * Diagnostics name the key with a path such as
 *	cameras[2] ("gate-1").encoder.fps
 *	storage[0] ("cloud").secret_key_file
 *	cameras[0] ("gate-1").time.ntp[1]
 * Groups are joined with '.', list elements are "[N]" counted from 0 and a
 * camera or storage entry whose name is known carries it in parentheses.
 */
#ifndef VIGIA_CONFIG_H
#define VIGIA_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

/* The schema version this build reads and writes. */
#define VG_CONFIG_VERSION 1

/* ---- diagnostics ------------------------------------------------------- */

/* One problem found in a configuration.  All strings are owned by the
 * list; msg is translated (it is shown to a technician). */
struct vg_diag {
	char *file;		/* file name; NULL for an in-memory config */
	int line;		/* 1-based line, or 0 when unknown */
	char *path;		/* key path (see above), or NULL */
	char *msg;		/* what is wrong and what is expected */
};

/* A growing list of diagnostics; start with {0, NULL}. */
struct vg_diags {
	size_t n;
	struct vg_diag *v;
};

/* Free every diagnostic and reset the list to empty; accepts NULL. */
void vg_diags_free(struct vg_diags *diags);
/* "FILE:LINE: PATH: MSG" (parts that are unknown are left out); the
 * caller frees the result. */
char *vg_diag_format(const struct vg_diag *diag);

/* ---- secrets ----------------------------------------------------------- */

/* A password or token.  Either given inline (value only) or read from a
 * file (file is the reference as written in the configuration, value the
 * contents with one trailing newline removed).  Saving writes the file
 * reference back, never the value read from it. */
struct vg_secret {
	char *value;
	char *file;
};

/* A list of strings (NTP servers, DNS servers, schedule rules). */
struct vg_strlist {
	size_t n;
	char **v;
};

/* ---- site -------------------------------------------------------------- */

struct vg_site {
	char *id;		/* [a-z0-9][a-z0-9-]{0,62}, in object keys */
	char *name;		/* free text, or NULL */
	char *timezone;		/* IANA name, or NULL for the system's */
	char *language;		/* "es", "pt_BR"; NULL: the locale's */
};

/* ---- cameras ----------------------------------------------------------- */

/* How a configured camera is recognised among discovered devices. */
struct vg_camera_match {
	char *mac;		/* normalised to "aa:bb:cc:dd:ee:ff" */
	char *serial;
	char *address;		/* IPv4/IPv6 address or host name */
};

struct vg_camera_onvif {
	char *address;		/* NULL: match.address is used */
	int port;
	char *path;
	bool tls;
	bool legacy_tls;	/* allow TLS 1.0/1.1 and old ciphers */
	char *tls_fingerprint;	/* "sha256:<64 lowercase hex>", or NULL */
	int timeout_ms;
};

struct vg_camera_credentials {
	char *user;
	struct vg_secret password;
	char *admin_user;	/* for activation and creating `user` */
	struct vg_secret admin_password;
};

enum vg_network_mode {
	VG_NETWORK_KEEP,
	VG_NETWORK_DHCP,
	VG_NETWORK_STATIC,
};

struct vg_camera_network {
	enum vg_network_mode mode;
	char *address;		/* IPv4, static mode */
	int prefix;		/* 1..32, 0 when unset */
	char *gateway;
	struct vg_strlist dns;
};

struct vg_camera_time {
	struct vg_strlist ntp;
	char *timezone;		/* NULL: site.timezone */
	int max_drift_s;
};

enum vg_codec {
	VG_CODEC_H264,
	VG_CODEC_H265,
	VG_CODEC_MJPEG,
};

enum vg_profile {
	VG_PROFILE_MAIN,
	VG_PROFILE_BASELINE,
	VG_PROFILE_HIGH,
};

struct vg_camera_encoder {
	enum vg_codec codec;
	int width;
	int height;
	int fps;
	int bitrate_kbps;
	int gop;
	enum vg_profile profile;
	int quality;		/* 1..100, 0 when unset */
};

enum vg_record_mode {
	VG_RECORD_CONTINUOUS,
	VG_RECORD_MOTION,
	VG_RECORD_SCHEDULE,
	VG_RECORD_OFF,
};

enum vg_stream {
	VG_STREAM_MAIN,
	VG_STREAM_SUB,
};

/* What the recorder does with audio that MP4 cannot hold (G.711). */
enum vg_audio {
	VG_AUDIO_AAC,		/* transcode it to AAC */
	VG_AUDIO_DROP,		/* record video only, with a warning */
};

struct vg_camera_recording {
	enum vg_record_mode mode;
	int segment_s;
	int pre_roll_s;
	int post_roll_s;
	struct vg_strlist schedule;	/* see vg_schedule_parse() */
	enum vg_stream stream;
	char *url;		/* rtsp:// to record instead of asking ONVIF */
	enum vg_audio audio;
};

/* A camera.  After loading, every group holds the effective values: keys
 * left out were filled from `defaults`, then from the built-in defaults. */
struct vg_camera {
	char *name;
	bool enabled;
	int line;		/* where it was defined; 0: not from a file */
	struct vg_camera_match match;
	struct vg_camera_onvif onvif;
	struct vg_camera_credentials credentials;
	struct vg_camera_network network;
	struct vg_camera_time time;
	struct vg_camera_encoder encoder;
	struct vg_camera_recording recording;
};

/* The `defaults` section: what a camera inherits for keys it leaves out.
 * Per-camera keys (onvif.address, onvif.tls_fingerprint, network.address)
 * cannot appear here. */
struct vg_defaults {
	struct vg_camera_onvif onvif;
	struct vg_camera_credentials credentials;
	struct vg_camera_network network;
	struct vg_camera_time time;
	struct vg_camera_encoder encoder;
	struct vg_camera_recording recording;
};

/* ---- storage ----------------------------------------------------------- */

enum vg_storage_type {
	VG_STORAGE_S3,
	VG_STORAGE_SFTP,
	VG_STORAGE_FTP,
	VG_STORAGE_FTPS,
	VG_STORAGE_LOCAL,
};

enum vg_ftps_mode {
	VG_FTPS_EXPLICIT,	/* AUTH TLS on the control port */
	VG_FTPS_IMPLICIT,	/* TLS from the first byte, port 990 */
};

/* One upload target.  Only the fields of its type are meaningful; the
 * others keep their built-in defaults. */
struct vg_storage {
	char *name;
	enum vg_storage_type type;
	int line;		/* where it was defined; 0: not from a file */
	/* s3 */
	char *bucket;
	char *region;
	char *endpoint;		/* "https://minio.local:9000", or NULL */
	char *prefix;
	bool path_style;
	char *access_key;
	struct vg_secret secret_key;
	int part_size_mb;
	char *storage_class;	/* "STANDARD_IA"..., or NULL: the bucket's */
	char *sse;		/* "none", "s3" (SSE-S3), "kms" (SSE-KMS) */
	char *sse_kms_key_id;	/* sse = "kms": the key, or NULL: default */
	/* sftp, ftp, ftps */
	char *host;
	int port;		/* the type's default if left out */
	char *user;
	struct vg_secret password;
	char *private_key_file;	/* sftp */
	char *host_key_sha256;	/* sftp: "SHA256:<base64>" or 64 hex */
	char *directory;
	enum vg_ftps_mode tls;	/* ftps */
	bool passive;		/* ftp, ftps */
	/* s3, sftp, ftps: skip certificate / host key checks */
	bool insecure;
	/* local */
	char *path;
};

/* The port a storage type uses when none is given (0 for local). */
int vg_storage_default_port(enum vg_storage_type type,
    enum vg_ftps_mode tls);

/* ---- NVR, Label Studio, vigiad ----------------------------------------- */

enum vg_nvr_mode {
	VG_NVR_NONE,		/* no NVR section */
	VG_NVR_VIGIAD,		/* vigiad records and uploads */
	VG_NVR_FTP,		/* cameras/NVR push to a storage entry */
};

enum vg_nvr_vendor {
	VG_NVR_VENDOR_GENERIC,
	VG_NVR_VENDOR_HIKVISION,
	VG_NVR_VENDOR_DAHUA,
};

struct vg_nvr {
	enum vg_nvr_mode mode;
	char *address;
	enum vg_nvr_vendor vendor;
	char *user;
	struct vg_secret password;
	char *ftp_target;	/* name of a storage entry */
};

enum vg_ls_token_type {
	VG_LS_TOKEN_AUTO,	/* guess from the token's shape */
	VG_LS_TOKEN_LEGACY,	/* "Authorization: Token ..." */
	VG_LS_TOKEN_PAT,	/* personal access token (JWT refresh) */
};

enum vg_ls_video_ref {
	VG_LS_VIDEO_PRESIGNED,	/* https:// presigned URL */
	VG_LS_VIDEO_S3,		/* s3://bucket/key, LS cloud storage */
};

struct vg_label_studio {
	bool enabled;
	char *url;
	struct vg_secret token;
	enum vg_ls_token_type token_type;
	int project_id;		/* 0 when unset: use project_title */
	char *project_title;
	char *label_config;	/* template name or absolute .xml path */
	enum vg_ls_video_ref video_ref;
	int presign_ttl_s;
	bool insecure;
	struct vg_strlist labels;	/* label values; none: the template's */
};

struct vg_retention {
	int keep_uploaded_h;
	double min_free_gb;
	double min_free_h;
};

struct vg_vigiad {
	char *spool_dir;
	char *storage;		/* name of a storage entry */
	char *key_template;
	struct vg_retention retention;
	int bandwidth_kbps;	/* 0: unlimited */
	int upload_concurrency;
	/* when uploads may run (schedule rules, the box's local time);
	 * empty: always */
	struct vg_strlist upload_windows;
	char *log_file;		/* NULL: stderr (journald) */
	char *status_socket;
};

/* ---- the whole configuration ------------------------------------------- */

struct vg_config {
	char *path;		/* file it was loaded from, or NULL */
	int version;
	struct vg_site site;
	struct vg_defaults defaults;
	struct vg_camera *cameras;
	size_t ncameras;
	struct vg_nvr nvr;
	struct vg_storage *storage;
	size_t nstorage;
	struct vg_label_studio label_studio;
	struct vg_vigiad vigiad;
};

/* A new configuration with every built-in default filled in, no cameras
 * and no storage; the caller frees it with vg_config_free(). */
struct vg_config *vg_config_new(void);
/* Free a configuration, wiping every secret; accepts NULL. */
void vg_config_free(struct vg_config *cfg);

/* The configuration file every program uses when none is given: $VIGIA_CONFIG
 * when set; else, as root, SYSCONFDIR/vigia/vigia.conf; else the user's
 * $XDG_CONFIG_HOME/vigia/vigia.conf (~/.config/...).  For reading, a user
 * without a file of their own falls back to the system file.  The caller
 * frees the result. */
char *vg_config_default_path(bool for_reading);

/* Read, check and convert the file at path.  Every problem found is
 * appended to diags (which the caller frees); on success *out receives a
 * configuration the caller owns, otherwise *out is NULL and the return is
 * VG_ERR_NOTFOUND or VG_ERR_IO (the file cannot be read) or VG_ERR_CONFIG
 * (syntax or content errors).  Secrets are registered with
 * vg_log_add_secret(). */
int vg_config_load(const char *path, struct vg_config **out,
    struct vg_diags *diags);
/* Like vg_config_load(), but a file whose syntax and types are right is
 * returned even when the validation found problems (they are still in
 * diags, and the return is 0): a draft the wizard saved half-way. */
int vg_config_load_draft(const char *path, struct vg_config **out,
    struct vg_diags *diags);
/* Check an in-memory configuration (a draft edited by the wizard): ranges,
 * formats, required keys and cross-references.  Appends to diags; returns
 * 0 or VG_ERR_CONFIG. */
int vg_config_validate(const struct vg_config *cfg, struct vg_diags *diags);
/* Write cfg to path atomically (temporary file in the same directory, mode
 * 0600, fsync, rename, fsync of the directory).  Secrets read from files
 * are written as *_file references.  Keys a camera inherits unchanged from
 * `defaults` are left out.  Comments are not preserved.  On error, *cause
 * (if not NULL) receives an English detail the caller frees. */
int vg_config_save(const struct vg_config *cfg, const char *path,
    char **cause);
/* True if both hold the same settings (path and line numbers are not
 * compared). */
bool vg_config_equal(const struct vg_config *a, const struct vg_config *b);

/* A deep copy (the wizard's draft); the caller frees it. */
struct vg_config *vg_config_dup(const struct vg_config *cfg);
/* Append a camera filled from cfg->defaults, or a storage entry with the
 * defaults of its type, and return it.  The pointer (and every pointer
 * into that list) is invalidated by the next add or remove. */
struct vg_camera *vg_config_add_camera(struct vg_config *cfg,
    const char *name);
struct vg_storage *vg_config_add_storage(struct vg_config *cfg,
    const char *name, enum vg_storage_type type);
/* Remove (and free) the entry at index i; out of range is ignored. */
void vg_config_remove_camera(struct vg_config *cfg, size_t i);
void vg_config_remove_storage(struct vg_config *cfg, size_t i);

/* Look up by name; NULL if there is none.  The result points into cfg. */
const struct vg_camera *vg_config_find_camera(const struct vg_config *cfg,
    const char *name);
const struct vg_storage *vg_config_find_storage(const struct vg_config *cfg,
    const char *name);

/* ---- recording schedules ----------------------------------------------- */

/* One schedule rule, such as "mon-fri 08:00-18:00" or "sat,sun 22:00-06:00"
 * (an end before the start runs past midnight into the next day). */
struct vg_schedule_rule {
	unsigned days;		/* bit 0 = Monday ... bit 6 = Sunday */
	int start_min;		/* minutes after midnight, 0..1439 */
	int end_min;		/* 1..1440 */
};

/* Parse one rule.  Returns 0, or VG_ERR_CONFIG with an English *cause. */
int vg_schedule_parse(const char *text, struct vg_schedule_rule *rule,
    char **cause);

#endif /* VIGIA_CONFIG_H */
