/* config.c - load, validate and save the vigia configuration (libconfig).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every group of the schema is described once, by a key table (struct
 * kdef: name, type, offset in the C struct, range, default, allowed
 * values, format check).  Loading, built-in defaults, validation, deep
 * copies, comparison, freeing and saving all walk the same tables, so a
 * new key is one table line plus its struct field.
 *
 * Loading happens in two passes: the libconfig tree is converted into the
 * typed structs (type errors, unknown keys, secret files), then the typed
 * structs are validated (ranges, formats, required keys, cross
 * references).  The second pass is what vg_config_validate() runs on a
 * draft; when it runs after a load, a path -> line map recorded during the
 * first pass gives its messages their line numbers.
 */

#include <sys/stat.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libvigia.h"
#include "i18n.h"

#define SECRET_MAX (64 * 1024)
#define NAME_MAX_LEN 64

/* ---- key tables -------------------------------------------------------- */

enum ktype {
	KT_STR,
	KT_INT,
	KT_FLOAT,
	KT_BOOL,
	KT_ENUM,
	KT_SECRET,	/* "key" inline or "key_file" */
	KT_LIST,	/* list of strings */
	KT_GROUP,
	KT_CAMERAS,	/* root only: list of camera groups */
	KT_STORAGE,	/* root only: list of storage groups */
};

#define KF_REQ		0x01	/* required (not inside defaults) */
#define KF_NODEF	0x02	/* per camera: refused inside defaults */
#define KF_UNSET0	0x04	/* int: 0 means "not set" */
#define KF_KEYFILE	0x08	/* string: a private key file, checked */
#define KF_ALWAYS	0x10	/* always written, even when default */

/* Checks a string; returns NULL or a translated, allocated message.  If
 * norm is not NULL it may receive a normalised copy. */
typedef char *(*check_fn)(const char *s, char **norm);

struct kgroup;

struct kdef {
	const char *name;
	enum ktype type;
	size_t off;
	unsigned flags;
	double min, max;	/* int and float range; list: max entries */
	double def;		/* int, float, bool, enum default */
	const char *sdef;	/* string default */
	const char *const *choices;	/* enum names, NULL-terminated */
	check_fn check;
	const struct kgroup *sub;
	unsigned types;		/* storage types it applies to; 0: all */
};

struct kgroup {
	const struct kdef *keys;
	size_t n;
};

/* Where a group sits: inside `defaults`, or in a storage entry of a type. */
struct scope {
	bool defaults;
	int stype;		/* -1 outside storage */
};

#define FIELD(base, k, T) ((T *)(void *)((char *)(base) + (k)->off))
#define CFIELD(base, k, T) \
	((const T *)(const void *)((const char *)(base) + (k)->off))
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define GROUP(tab) { tab, NELEM(tab) }
#define K_(S, f, t, ...) \
	{ .name = #f, .type = t, .off = offsetof(S, f), __VA_ARGS__ }
#define ST(t) (1u << (t))
#define ST_NET (ST(VG_STORAGE_SFTP) | ST(VG_STORAGE_FTP) | ST(VG_STORAGE_FTPS))

_Static_assert(sizeof(enum vg_codec) == sizeof(int), "enums are ints");

static const char *const network_modes[] = { "keep", "dhcp", "static", NULL };
static const char *const codecs[] = { "h264", "h265", "mjpeg", NULL };
static const char *const profiles[] = { "main", "baseline", "high", NULL };
static const char *const record_modes[] =
    { "continuous", "motion", "schedule", "off", NULL };
static const char *const streams[] = { "main", "sub", NULL };
static const char *const audio_modes[] = { "aac", "drop", NULL };
static const char *const storage_types[] =
    { "s3", "sftp", "ftp", "ftps", "local", NULL };
static const char *const ftps_modes[] = { "explicit", "implicit", NULL };
static const char *const nvr_modes[] = { "none", "vigiad", "ftp", NULL };
static const char *const nvr_vendors[] =
    { "generic", "hikvision", "dahua", NULL };
static const char *const token_types[] = { "auto", "legacy", "pat", NULL };
static const char *const video_refs[] = { "presigned", "s3", NULL };

static char *check_name(const char *, char **);
static char *check_site_id(const char *, char **);
static char *check_ipv4(const char *, char **);
static char *check_host(const char *, char **);
static char *check_mac(const char *, char **);
static char *check_fingerprint(const char *, char **);
static char *check_host_key(const char *, char **);
static char *check_abspath(const char *, char **);
static char *check_urlpath(const char *, char **);
static char *check_url(const char *, char **);
static char *check_rtsp_url(const char *, char **);
static char *check_timezone(const char *, char **);
static char *check_language(const char *, char **);
static char *check_schedule(const char *, char **);
static char *check_bucket(const char *, char **);
static char *check_s3_word(const char *, char **);
static char *check_sse(const char *, char **);
static char *check_template(const char *, char **);
static char *check_label_config(const char *, char **);
static char *check_socket(const char *, char **);
static char *check_label_value(const char *, char **);

#define S struct vg_site
static const struct kdef site_keys[] = {
	K_(S, id, KT_STR, .flags = KF_REQ, .check = check_site_id),
	K_(S, name, KT_STR),
	K_(S, timezone, KT_STR, .check = check_timezone),
	K_(S, language, KT_STR, .check = check_language),
};
#undef S

#define S struct vg_camera_match
static const struct kdef match_keys[] = {
	K_(S, mac, KT_STR, .check = check_mac),
	K_(S, serial, KT_STR),
	K_(S, address, KT_STR, .check = check_host),
};
#undef S

#define S struct vg_camera_onvif
static const struct kdef onvif_keys[] = {
	K_(S, address, KT_STR, .flags = KF_NODEF, .check = check_host),
	K_(S, port, KT_INT, .min = 1, .max = 65535, .def = 80),
	K_(S, path, KT_STR, .sdef = "/onvif/device_service",
	    .check = check_urlpath),
	K_(S, tls, KT_BOOL),
	K_(S, legacy_tls, KT_BOOL),
	K_(S, tls_fingerprint, KT_STR, .flags = KF_NODEF,
	    .check = check_fingerprint),
	K_(S, timeout_ms, KT_INT, .min = 100, .max = 120000, .def = 5000),
};
#undef S

#define S struct vg_camera_credentials
static const struct kdef credentials_keys[] = {
	K_(S, user, KT_STR, .flags = KF_REQ),
	K_(S, password, KT_SECRET, .flags = KF_REQ),
	K_(S, admin_user, KT_STR),
	K_(S, admin_password, KT_SECRET),
};
#undef S

#define S struct vg_camera_network
static const struct kdef network_keys[] = {
	K_(S, mode, KT_ENUM, .choices = network_modes),
	K_(S, address, KT_STR, .flags = KF_NODEF, .check = check_ipv4),
	K_(S, prefix, KT_INT, .flags = KF_UNSET0, .min = 1, .max = 32),
	K_(S, gateway, KT_STR, .check = check_ipv4),
	K_(S, dns, KT_LIST, .max = 3, .check = check_ipv4),
};
#undef S

#define S struct vg_camera_time
static const struct kdef time_keys[] = {
	K_(S, ntp, KT_LIST, .max = 4, .check = check_host),
	K_(S, timezone, KT_STR, .check = check_timezone),
	K_(S, max_drift_s, KT_INT, .min = 1, .max = 3600, .def = 2),
};
#undef S

#define S struct vg_camera_encoder
static const struct kdef encoder_keys[] = {
	K_(S, codec, KT_ENUM, .choices = codecs),
	K_(S, width, KT_INT, .min = 160, .max = 7680, .def = 1920),
	K_(S, height, KT_INT, .min = 90, .max = 4320, .def = 1080),
	K_(S, fps, KT_INT, .min = 1, .max = 60, .def = 15),
	K_(S, bitrate_kbps, KT_INT, .min = 32, .max = 65536, .def = 4000),
	K_(S, gop, KT_INT, .min = 1, .max = 600, .def = 30),
	K_(S, profile, KT_ENUM, .choices = profiles),
	K_(S, quality, KT_INT, .flags = KF_UNSET0, .min = 1, .max = 100),
};
#undef S

#define S struct vg_camera_recording
static const struct kdef recording_keys[] = {
	K_(S, mode, KT_ENUM, .choices = record_modes),
	K_(S, segment_s, KT_INT, .min = 10, .max = 600, .def = 600),
	K_(S, pre_roll_s, KT_INT, .min = 0, .max = 60, .def = 5),
	K_(S, post_roll_s, KT_INT, .min = 0, .max = 300, .def = 10),
	K_(S, schedule, KT_LIST, .max = 32, .check = check_schedule),
	K_(S, stream, KT_ENUM, .choices = streams),
	K_(S, url, KT_STR, .flags = KF_NODEF, .check = check_rtsp_url),
	K_(S, audio, KT_ENUM, .choices = audio_modes),
};
#undef S

static const struct kgroup match_group = GROUP(match_keys);
static const struct kgroup onvif_group = GROUP(onvif_keys);
static const struct kgroup credentials_group = GROUP(credentials_keys);
static const struct kgroup network_group = GROUP(network_keys);
static const struct kgroup time_group = GROUP(time_keys);
static const struct kgroup encoder_group = GROUP(encoder_keys);
static const struct kgroup recording_group = GROUP(recording_keys);

/* The inheritable groups, in the same order in both tables below. */
#define INHERITED(S) \
	K_(S, onvif, KT_GROUP, .sub = &onvif_group), \
	K_(S, credentials, KT_GROUP, .sub = &credentials_group), \
	K_(S, network, KT_GROUP, .sub = &network_group), \
	K_(S, time, KT_GROUP, .sub = &time_group), \
	K_(S, encoder, KT_GROUP, .sub = &encoder_group), \
	K_(S, recording, KT_GROUP, .sub = &recording_group)

static const struct kdef defaults_keys[] = { INHERITED(struct vg_defaults) };

#define S struct vg_camera
static const struct kdef camera_keys[] = {
	K_(S, name, KT_STR, .flags = KF_REQ, .check = check_name),
	K_(S, enabled, KT_BOOL, .def = 1),
	K_(S, match, KT_GROUP, .sub = &match_group),
	INHERITED(S),
};
#undef S

#define S struct vg_storage
#define S3 ST(VG_STORAGE_S3)
static const struct kdef storage_keys[] = {
	K_(S, name, KT_STR, .flags = KF_REQ, .check = check_name),
	K_(S, type, KT_ENUM, .flags = KF_REQ | KF_ALWAYS,
	    .choices = storage_types),
	K_(S, bucket, KT_STR, .flags = KF_REQ, .types = S3,
	    .check = check_bucket),
	K_(S, region, KT_STR, .types = S3, .sdef = "us-east-1"),
	K_(S, endpoint, KT_STR, .types = S3, .check = check_url),
	K_(S, prefix, KT_STR, .types = S3),
	K_(S, path_style, KT_BOOL, .types = S3),
	K_(S, access_key, KT_STR, .flags = KF_REQ, .types = S3),
	K_(S, secret_key, KT_SECRET, .flags = KF_REQ, .types = S3),
	K_(S, part_size_mb, KT_INT, .types = S3, .min = 5, .max = 5120,
	    .def = 16),
	K_(S, storage_class, KT_STR, .types = S3, .check = check_s3_word),
	K_(S, sse, KT_STR, .types = S3, .sdef = "none", .check = check_sse),
	K_(S, sse_kms_key_id, KT_STR, .types = S3, .check = check_s3_word),
	K_(S, host, KT_STR, .flags = KF_REQ, .types = ST_NET,
	    .check = check_host),
	K_(S, port, KT_INT, .types = ST_NET, .min = 1, .max = 65535),
	K_(S, user, KT_STR, .flags = KF_REQ, .types = ST_NET),
	K_(S, password, KT_SECRET, .types = ST_NET),
	K_(S, private_key_file, KT_STR, .flags = KF_KEYFILE,
	    .types = ST(VG_STORAGE_SFTP), .check = check_abspath),
	K_(S, host_key_sha256, KT_STR, .types = ST(VG_STORAGE_SFTP),
	    .check = check_host_key),
	K_(S, directory, KT_STR, .types = ST_NET, .sdef = "/",
	    .check = check_urlpath),
	K_(S, tls, KT_ENUM, .types = ST(VG_STORAGE_FTPS),
	    .choices = ftps_modes),
	K_(S, passive, KT_BOOL, .types = ST(VG_STORAGE_FTP) |
	    ST(VG_STORAGE_FTPS), .def = 1),
	K_(S, insecure, KT_BOOL, .types = S3 | ST(VG_STORAGE_SFTP) |
	    ST(VG_STORAGE_FTPS)),
	K_(S, path, KT_STR, .flags = KF_REQ, .types = ST(VG_STORAGE_LOCAL),
	    .check = check_abspath),
};
#undef S3
#undef S

#define S struct vg_nvr
static const struct kdef nvr_keys[] = {
	K_(S, mode, KT_ENUM, .choices = nvr_modes),
	K_(S, address, KT_STR, .check = check_host),
	K_(S, vendor, KT_ENUM, .choices = nvr_vendors),
	K_(S, user, KT_STR),
	K_(S, password, KT_SECRET),
	K_(S, ftp_target, KT_STR),
};
#undef S

#define S struct vg_label_studio
static const struct kdef ls_keys[] = {
	K_(S, enabled, KT_BOOL),
	K_(S, url, KT_STR, .check = check_url),
	K_(S, token, KT_SECRET),
	K_(S, token_type, KT_ENUM, .choices = token_types),
	K_(S, project_id, KT_INT, .flags = KF_UNSET0, .min = 1,
	    .max = INT_MAX),
	K_(S, project_title, KT_STR),
	K_(S, label_config, KT_STR, .sdef = "video-tracking",
	    .check = check_label_config),
	K_(S, video_ref, KT_ENUM, .choices = video_refs),
	K_(S, presign_ttl_s, KT_INT, .min = 60, .max = 604800,
	    .def = 86400),
	K_(S, insecure, KT_BOOL),
	K_(S, labels, KT_LIST, .max = 64, .check = check_label_value),
};
#undef S

#define S struct vg_retention
static const struct kdef retention_keys[] = {
	K_(S, keep_uploaded_h, KT_INT, .min = 0, .max = 8760, .def = 24),
	K_(S, min_free_gb, KT_FLOAT, .min = 0, .max = 100000,
	    .def = 5.0),
	K_(S, min_free_h, KT_FLOAT, .min = 0, .max = 720, .def = 2.0),
};
#undef S
static const struct kgroup retention_group = GROUP(retention_keys);

#define S struct vg_vigiad
static const struct kdef vigiad_keys[] = {
	K_(S, spool_dir, KT_STR, .sdef = "/var/lib/vigia/spool",
	    .check = check_abspath),
	K_(S, storage, KT_STR),
	K_(S, key_template, KT_STR,
	    .sdef = "{site}/{camera}/{date}/{start}.mp4",
	    .check = check_template),
	K_(S, retention, KT_GROUP, .sub = &retention_group),
	K_(S, bandwidth_kbps, KT_INT, .min = 0, .max = 10000000),
	K_(S, upload_concurrency, KT_INT, .min = 1, .max = 16, .def = 2),
	K_(S, upload_windows, KT_LIST, .max = 32, .check = check_schedule),
	K_(S, log_file, KT_STR, .check = check_abspath),
	K_(S, status_socket, KT_STR, .sdef = "/run/vigia/status.sock",
	    .check = check_socket),
};
#undef S

static const struct kgroup site_group = GROUP(site_keys);
static const struct kgroup defaults_group = GROUP(defaults_keys);
static const struct kgroup camera_group = GROUP(camera_keys);
static const struct kgroup storage_group = GROUP(storage_keys);
static const struct kgroup nvr_group = GROUP(nvr_keys);
static const struct kgroup ls_group = GROUP(ls_keys);
static const struct kgroup vigiad_group = GROUP(vigiad_keys);

#define S struct vg_config
static const struct kdef root_keys[] = {
	K_(S, version, KT_INT, .flags = KF_REQ | KF_UNSET0 | KF_ALWAYS,
	    .min = VG_CONFIG_VERSION, .max = VG_CONFIG_VERSION,
	    .def = VG_CONFIG_VERSION),
	K_(S, site, KT_GROUP, .flags = KF_REQ, .sub = &site_group),
	K_(S, defaults, KT_GROUP, .sub = &defaults_group),
	K_(S, cameras, KT_CAMERAS),
	K_(S, storage, KT_STORAGE),
	K_(S, nvr, KT_GROUP, .sub = &nvr_group),
	K_(S, label_studio, KT_GROUP, .sub = &ls_group),
	K_(S, vigiad, KT_GROUP, .sub = &vigiad_group),
};
#undef S
static const struct kgroup root_group = GROUP(root_keys);

static const struct scope no_scope = { false, -1 };

/* ---- small helpers ----------------------------------------------------- */

/* Growable string buffer for paths, lists and the saved file. */
struct sbuf {
	char *p;
	size_t len;
	size_t cap;
};

/* Append formatted text to a buffer. */
static void VG_PRINTF(2, 3)
sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (sb->len + (size_t)n + 1 > sb->cap) {
		sb->cap = (sb->len + (size_t)n + 1) * 2;
		sb->p = xrealloc(sb->p, sb->cap);
	}
	va_start(ap, fmt);
	vsnprintf(sb->p + sb->len, sb->cap - sb->len, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

/* The buffer's text, never NULL; ownership passes to the caller. */
static char *
sb_take(struct sbuf *sb)
{
	char *p = sb->p != NULL ? sb->p : xstrdup("");

	sb->p = NULL;
	sb->len = sb->cap = 0;
	return p;
}

/* Free a string that may hold a secret; accepts NULL. */
static void
secret_clear(struct vg_secret *s)
{
	vg_secret_free(s->value);
	free(s->file);
	s->value = s->file = NULL;
}

/* Free the strings of a list and empty it. */
static void
strlist_clear(struct vg_strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Append a copy of s to a list. */
static void
strlist_add(struct vg_strlist *l, const char *s)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

/* Equal strings, where NULL equals only NULL. */
static bool
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* strdup that keeps NULL. */
static char *
str_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* Number of names in a NULL-terminated choice list. */
static int
choices_count(const char *const *c)
{
	int n = 0;

	while (c[n] != NULL)
		n++;
	return n;
}

/* "a, b, c" from a NULL-terminated list; caller frees. */
static char *
choices_join(const char *const *c)
{
	struct sbuf sb = { 0 };
	int i;

	for (i = 0; c[i] != NULL; i++)
		sb_printf(&sb, "%s%s", i > 0 ? ", " : "", c[i]);
	return sb_take(&sb);
}

/* Whether a storage-scoped key applies. */
static bool
key_applies(const struct kdef *k, struct scope sc)
{
	if (sc.defaults && (k->flags & KF_NODEF))
		return false;
	if (k->types == 0 || sc.stype < 0)
		return true;
	return (k->types & ST(sc.stype)) != 0;
}

/* The key of a group with this name, or NULL. */
static const struct kdef *
key_find(const struct kgroup *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (strcmp(g->keys[i].name, name) == 0)
			return &g->keys[i];
	return NULL;
}

/* Optimal string alignment (Damerau) distance, capped for long input. */
static size_t
str_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[33][33];

	if (la > 32 || lb > 32)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], v;

			v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/* Score one candidate for a "did you mean" hint; lower is better. */
static size_t
hint_score(const char *given, const char *cand)
{
	size_t lg = strlen(given), lc = strlen(cand), d;

	if (lg >= 3 && (strncmp(given, cand, lg) == 0 ||
	    strncmp(given, cand, lc) == 0))
		return 1;
	d = str_distance(given, cand);
	return d <= 2 && d < lc ? d : SIZE_MAX;
}

/* Track the best candidate for a hint. */
static void
hint_try(const char *given, const char *cand, const char **best,
    size_t *score)
{
	size_t s = hint_score(given, cand);

	if (s < *score) {
		*score = s;
		*best = cand;
	}
}

/* ---- diagnostics ------------------------------------------------------- */

/* Where a key was found while loading. */
struct lineref {
	char *path;
	const char *file;
	int line;
};

/* State shared by loading and validation. */
struct cctx {
	struct vg_diags *diags;
	const char *file;	/* main file, for messages without a line */
	char *dir;		/* its directory, for relative *_file */
	struct lineref *lines;
	size_t nlines;
	int fallback_line;	/* camera or storage line while validating */
	int nerr;
};

/* Append a diagnostic. */
static void VG_PRINTF(5, 0)
diag_vadd(struct cctx *c, const char *file, int line, const char *path,
    const char *fmt, va_list ap)
{
	struct vg_diags *d = c->diags;
	struct vg_diag *e;

	c->nerr++;
	if (d == NULL)
		return;
	d->v = xreallocarray(d->v, d->n + 1, sizeof *d->v);
	e = &d->v[d->n++];
	e->file = str_dup(file);
	e->line = line;
	e->path = str_dup(path);
	xvasprintf(&e->msg, fmt, ap);
}

/* A diagnostic about a setting seen in the file. */
static void VG_PRINTF(4, 5)
diag_at(struct cctx *c, const config_setting_t *s, const char *path,
    const char *fmt, ...)
{
	va_list ap;
	const char *file = c->file;

	if (s != NULL && config_setting_source_file(s) != NULL)
		file = config_setting_source_file(s);
	va_start(ap, fmt);
	diag_vadd(c, file, s != NULL ? (int)config_setting_source_line(s) : 0,
	    path, fmt, ap);
	va_end(ap);
}

/* Remember where a path was defined. */
static void
line_record(struct cctx *c, const char *path, const config_setting_t *s)
{
	struct lineref *r;

	c->lines = xreallocarray(c->lines, c->nlines + 1, sizeof *c->lines);
	r = &c->lines[c->nlines++];
	r->path = xstrdup(path);
	r->file = config_setting_source_file(s);
	r->line = (int)config_setting_source_line(s);
}

/* Length of the parent of the first len bytes of a path
 * ("a[1] (\"x.y\").b" -> "a[1] (\"x.y\")"), or 0 at the top. */
static size_t
path_parent_len(const char *path, size_t len)
{
	size_t i, cut = 0;
	bool quoted = false;

	for (i = 0; i < len; i++) {
		if (path[i] == '"')
			quoted = !quoted;
		else if (!quoted && (path[i] == '.' || path[i] == '['))
			cut = i;
	}
	return cut;
}

/* Where a path, or the nearest enclosing group, was defined; NULL when
 * the config did not come from a file. */
static const struct lineref *
line_lookup(const struct cctx *c, const char *path)
{
	size_t len = strlen(path), i;

	while (len > 0) {
		for (i = c->nlines; i-- > 0;) {
			if (strncmp(c->lines[i].path, path, len) == 0 &&
			    c->lines[i].path[len] == '\0')
				return &c->lines[i];
		}
		len = path_parent_len(path, len);
	}
	return NULL;
}

/* A diagnostic found while validating, placed at the key's line. */
static void VG_PRINTF(3, 4)
diag_path(struct cctx *c, const char *path, const char *fmt, ...)
{
	va_list ap;
	const struct lineref *r = line_lookup(c, path);
	const char *file = c->file;
	int line = c->fallback_line;

	if (r != NULL) {
		line = r->line;
		if (r->file != NULL)
			file = r->file;
	}
	va_start(ap, fmt);
	diag_vadd(c, file, line, path, fmt, ap);
	va_end(ap);
}

/* ---- generic operations on typed groups -------------------------------- */

static void group_init(const struct kgroup *g, void *base);
static void group_clear(const struct kgroup *g, void *base);
static void group_copy(const struct kgroup *g, void *dst, const void *src);
static bool group_equal(const struct kgroup *g, const void *a,
    const void *b);

/* Set every key of a group (zeroed memory) to its built-in default. */
static void
group_init(const struct kgroup *g, void *base)
{
	const struct kdef *k;

	for (k = g->keys; k < g->keys + g->n; k++) {
		switch (k->type) {
		case KT_STR:
			*FIELD(base, k, char *) = str_dup(k->sdef);
			break;
		case KT_INT:
		case KT_ENUM:
			*FIELD(base, k, int) = (int)k->def;
			break;
		case KT_FLOAT:
			*FIELD(base, k, double) = k->def;
			break;
		case KT_BOOL:
			*FIELD(base, k, bool) = k->def != 0;
			break;
		case KT_GROUP:
			group_init(k->sub, FIELD(base, k, char));
			break;
		default:
			break;
		}
	}
}

/* Free what a group owns (wiping secrets) and zero its pointers. */
static void
group_clear(const struct kgroup *g, void *base)
{
	struct vg_config *cfg = base;
	const struct kdef *k;
	size_t i;

	for (k = g->keys; k < g->keys + g->n; k++) {
		switch (k->type) {
		case KT_STR:
			free(*FIELD(base, k, char *));
			*FIELD(base, k, char *) = NULL;
			break;
		case KT_SECRET:
			secret_clear(FIELD(base, k, struct vg_secret));
			break;
		case KT_LIST:
			strlist_clear(FIELD(base, k, struct vg_strlist));
			break;
		case KT_GROUP:
			group_clear(k->sub, FIELD(base, k, char));
			break;
		case KT_CAMERAS:
			for (i = 0; i < cfg->ncameras; i++)
				group_clear(&camera_group, &cfg->cameras[i]);
			free(cfg->cameras);
			cfg->cameras = NULL;
			cfg->ncameras = 0;
			break;
		case KT_STORAGE:
			for (i = 0; i < cfg->nstorage; i++)
				group_clear(&storage_group, &cfg->storage[i]);
			free(cfg->storage);
			cfg->storage = NULL;
			cfg->nstorage = 0;
			break;
		default:
			break;
		}
	}
}

/* Deep copy of one key into uninitialised (or cleared) memory. */
static void
key_copy(const struct kdef *k, void *dst, const void *src)
{
	const struct vg_secret *ss;
	const struct vg_strlist *sl;
	const struct vg_config *sc = src;
	struct vg_config *dc = dst;
	size_t i;

	switch (k->type) {
	case KT_STR:
		*FIELD(dst, k, char *) = str_dup(*CFIELD(src, k, char *));
		break;
	case KT_INT:
	case KT_ENUM:
		*FIELD(dst, k, int) = *CFIELD(src, k, int);
		break;
	case KT_FLOAT:
		*FIELD(dst, k, double) = *CFIELD(src, k, double);
		break;
	case KT_BOOL:
		*FIELD(dst, k, bool) = *CFIELD(src, k, bool);
		break;
	case KT_SECRET:
		ss = CFIELD(src, k, struct vg_secret);
		FIELD(dst, k, struct vg_secret)->value = str_dup(ss->value);
		FIELD(dst, k, struct vg_secret)->file = str_dup(ss->file);
		break;
	case KT_LIST:
		sl = CFIELD(src, k, struct vg_strlist);
		memset(FIELD(dst, k, struct vg_strlist), 0, sizeof *sl);
		for (i = 0; i < sl->n; i++)
			strlist_add(FIELD(dst, k, struct vg_strlist), sl->v[i]);
		break;
	case KT_GROUP:
		group_copy(k->sub, FIELD(dst, k, char), CFIELD(src, k, char));
		break;
	case KT_CAMERAS:
		dc->ncameras = sc->ncameras;
		dc->cameras = sc->ncameras == 0 ? NULL :
		    xcalloc(sc->ncameras, sizeof *dc->cameras);
		for (i = 0; i < sc->ncameras; i++) {
			group_copy(&camera_group, &dc->cameras[i],
			    &sc->cameras[i]);
			dc->cameras[i].line = sc->cameras[i].line;
		}
		break;
	case KT_STORAGE:
		dc->nstorage = sc->nstorage;
		dc->storage = sc->nstorage == 0 ? NULL :
		    xcalloc(sc->nstorage, sizeof *dc->storage);
		for (i = 0; i < sc->nstorage; i++) {
			group_copy(&storage_group, &dc->storage[i],
			    &sc->storage[i]);
			dc->storage[i].line = sc->storage[i].line;
		}
		break;
	}
}

/* Deep copy of a group into uninitialised (or cleared) memory. */
static void
group_copy(const struct kgroup *g, void *dst, const void *src)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		key_copy(&g->keys[i], dst, src);
}

/* Whether one key holds the same value in a and b. */
static bool
key_equal(const struct kdef *k, const void *a, const void *b)
{
	const struct vg_secret *sa, *sb;
	const struct vg_strlist *la, *lb;
	const struct vg_config *ca = a, *cb = b;
	size_t i;

	switch (k->type) {
	case KT_STR:
		return str_eq(*CFIELD(a, k, char *), *CFIELD(b, k, char *));
	case KT_INT:
	case KT_ENUM:
		return *CFIELD(a, k, int) == *CFIELD(b, k, int);
	case KT_FLOAT:
		return *CFIELD(a, k, double) == *CFIELD(b, k, double);
	case KT_BOOL:
		return *CFIELD(a, k, bool) == *CFIELD(b, k, bool);
	case KT_SECRET:
		sa = CFIELD(a, k, struct vg_secret);
		sb = CFIELD(b, k, struct vg_secret);
		return str_eq(sa->value, sb->value) &&
		    str_eq(sa->file, sb->file);
	case KT_LIST:
		la = CFIELD(a, k, struct vg_strlist);
		lb = CFIELD(b, k, struct vg_strlist);
		if (la->n != lb->n)
			return false;
		for (i = 0; i < la->n; i++)
			if (!str_eq(la->v[i], lb->v[i]))
				return false;
		return true;
	case KT_GROUP:
		return group_equal(k->sub, CFIELD(a, k, char),
		    CFIELD(b, k, char));
	case KT_CAMERAS:
		if (ca->ncameras != cb->ncameras)
			return false;
		for (i = 0; i < ca->ncameras; i++)
			if (!group_equal(&camera_group, &ca->cameras[i],
			    &cb->cameras[i]))
				return false;
		return true;
	case KT_STORAGE:
		if (ca->nstorage != cb->nstorage)
			return false;
		for (i = 0; i < ca->nstorage; i++)
			if (!group_equal(&storage_group, &ca->storage[i],
			    &cb->storage[i]))
				return false;
		return true;
	}
	return false;
}

/* Whether every key of a group is equal in a and b. */
static bool
group_equal(const struct kgroup *g, const void *a, const void *b)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (!key_equal(&g->keys[i], a, b))
			return false;
	return true;
}

/* Fill a new camera: built-in defaults overridden by `defaults`. */
static void
camera_init(struct vg_camera *cam, const struct vg_defaults *defs)
{
	const struct kdef *dk, *ck;

	memset(cam, 0, sizeof *cam);
	group_init(&camera_group, cam);
	for (dk = defaults_keys; dk < defaults_keys + NELEM(defaults_keys);
	    dk++) {
		if ((ck = key_find(&camera_group, dk->name)) == NULL)
			continue;	/* cannot happen: see INHERITED */
		group_clear(dk->sub, FIELD(cam, ck, char));
		group_copy(dk->sub, FIELD(cam, ck, char),
		    CFIELD(defs, dk, char));
	}
}

/* Fill a new storage entry of a type with built-in defaults. */
static void
storage_init(struct vg_storage *st, enum vg_storage_type type)
{
	memset(st, 0, sizeof *st);
	group_init(&storage_group, st);
	st->type = type;
	st->port = vg_storage_default_port(type, st->tls);
}

/* The port a storage type uses when none is given. */
int
vg_storage_default_port(enum vg_storage_type type, enum vg_ftps_mode tls)
{
	switch (type) {
	case VG_STORAGE_SFTP:
		return 22;
	case VG_STORAGE_FTP:
		return 21;
	case VG_STORAGE_FTPS:
		return tls == VG_FTPS_IMPLICIT ? 990 : 21;
	default:
		return 0;
	}
}

/* ---- string formats ---------------------------------------------------- */

/* An allocated message from a translated format and its arguments. */
static char * VG_PRINTF(1, 2)
msg_new(const char *fmt, ...)
{
	va_list ap;
	char *m;

	va_start(ap, fmt);
	xvasprintf(&m, fmt, ap);
	va_end(ap);
	return m;
}

/* Whether every byte of s is in the set (plus alnum when alnum is set). */
static bool
str_all(const char *s, bool alnum, const char *set)
{
	for (; *s != '\0'; s++) {
		if (alnum && isascii((unsigned char)*s) &&
		    isalnum((unsigned char)*s))
			continue;
		if (strchr(set, *s) == NULL)
			return false;
	}
	return true;
}

/* Camera and storage names: [A-Za-z0-9][A-Za-z0-9_.-]*, at most 64. */
static char *
check_name(const char *s, char **norm)
{
	if (strlen(s) > NAME_MAX_LEN || !isalnum((unsigned char)s[0]) ||
	    !isascii((unsigned char)s[0]) || !str_all(s, true, "_.-"))
		return msg_new(_("expected a name of at most %d letters, "
		    "digits, '_', '.' or '-' that starts with a letter or "
		    "digit, got \"%s\""), NAME_MAX_LEN, s);
	return NULL;
}

/* Site id: [a-z0-9][a-z0-9-]{0,62}, safe in object keys. */
static char *
check_site_id(const char *s, char **norm)
{
	if (strlen(s) > 63 || s[0] == '-' ||
	    !str_all(s, false, "abcdefghijklmnopqrstuvwxyz0123456789-"))
		return msg_new(_("expected at most 63 lowercase letters, "
		    "digits or '-' that start with a letter or digit, got "
		    "\"%s\""), s);
	return NULL;
}

/* A dotted-quad IPv4 address. */
static char *
check_ipv4(const char *s, char **norm)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return msg_new(_("expected an IPv4 address such as "
		    "192.168.1.64, got \"%s\""), s);
	return NULL;
}

/* An IPv4 or IPv6 address, or a DNS host name. */
static char *
check_host(const char *s, char **norm)
{
	struct in6_addr a;
	const char *p = s;
	size_t label;

	if (inet_pton(AF_INET, s, &a) == 1 || inet_pton(AF_INET6, s, &a) == 1)
		return NULL;
	if (strlen(s) > 253 || !str_all(s, true, ".-"))
		goto bad;
	while (*p != '\0') {
		label = strcspn(p, ".");
		if (label == 0 || label > 63 || p[0] == '-' ||
		    p[label - 1] == '-')
			goto bad;
		p += label;
		if (*p == '.' && *++p == '\0')
			break;
	}
	if (!isalpha((unsigned char)s[strlen(s) - 1]) &&
	    strspn(s, "0123456789.") == strlen(s))
		goto bad;	/* looks like a broken IPv4 address */
	return NULL;
bad:
	return msg_new(_("expected an IP address or a host name, got \"%s\""),
	    s);
}

/* Collect exactly n hex digits from s, skipping the separators in sep. */
static bool
hex_collect(const char *s, const char *sep, char *out, size_t n)
{
	size_t got = 0;

	for (; *s != '\0'; s++) {
		if (strchr(sep, *s) != NULL && got > 0 && s[1] != '\0')
			continue;
		if (!isxdigit((unsigned char)*s) || got == n)
			return false;
		out[got++] = (char)tolower((unsigned char)*s);
	}
	out[got] = '\0';
	return got == n;
}

/* A MAC address in any common form, normalised to aa:bb:cc:dd:ee:ff. */
static char *
check_mac(const char *s, char **norm)
{
	char hex[13];
	int i;

	if (!hex_collect(s, ":-.", hex, 12))
		return msg_new(_("expected a MAC address such as "
		    "aa:bb:cc:dd:ee:ff, got \"%s\""), s);
	if (norm != NULL) {
		*norm = xmalloc(18);
		for (i = 0; i < 6; i++)
			snprintf(*norm + i * 3, 4, "%.2s%s", hex + i * 2,
			    i < 5 ? ":" : "");
	}
	return NULL;
}

/* "sha256:" and 64 hex digits (colons allowed), normalised to lowercase. */
static char *
check_fingerprint(const char *s, char **norm)
{
	char hex[65];

	if (strncasecmp(s, "sha256:", 7) != 0 || !hex_collect(s + 7, ":", hex,
	    64))
		return msg_new(_("expected \"sha256:\" followed by 64 hex "
		    "digits, got \"%s\""), s);
	if (norm != NULL)
		xasprintf(norm, "sha256:%s", hex);
	return NULL;
}

/* An SSH host key hash: "SHA256:" and 43 base64 digits, or 64 hex. */
static char *
check_host_key(const char *s, char **norm)
{
	char hex[65];
	const char *b = s + 7;

	if (hex_collect(s, ":", hex, 64))
		return NULL;
	if (strncmp(s, "SHA256:", 7) == 0 && strlen(b) >= 43 &&
	    strlen(b) <= 44 && str_all(b, true, "+/=") &&
	    strspn(b, "=") == 0)
		return NULL;
	return msg_new(_("expected the SHA-256 host key hash as printed by "
	    "ssh-keygen -lf (\"SHA256:...\") or as 64 hex digits, got \"%s\""),
	    s);
}

/* An absolute file name. */
static char *
check_abspath(const char *s, char **norm)
{
	if (s[0] != '/' || strlen(s) >= PATH_MAX)
		return msg_new(_("expected an absolute path such as "
		    "/var/lib/vigia, got \"%s\""), s);
	return NULL;
}

/* The path part of a URL, or a remote directory: starts with '/'. */
static char *
check_urlpath(const char *s, char **norm)
{
	if (s[0] != '/' || strpbrk(s, " \\") != NULL)
		return msg_new(_("expected a path that starts with '/' and has "
		    "no spaces, got \"%s\""), s);
	return NULL;
}

/* An http:// or https:// URL with a host. */
static char *
check_url(const char *s, char **norm)
{
	const char *h = NULL;

	if (strncmp(s, "https://", 8) == 0)
		h = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		h = s + 7;
	if (h == NULL || *h == '\0' || *h == '/' || strpbrk(s, " \"") != NULL)
		return msg_new(_("expected a URL such as https://host.example."
		    "com, got \"%s\""), s);
	return NULL;
}

/* An IANA time zone name, checked against the zoneinfo database when
 * the system has one. */
static char *
check_timezone(const char *s, char **norm)
{
	struct stat st;
	char *f;
	bool ok;

	ok = s[0] != '/' && strstr(s, "..") == NULL && strlen(s) < 64 &&
	    str_all(s, true, "/_+-");
	if (ok && stat("/usr/share/zoneinfo", &st) == 0 &&
	    strcmp(s, "UTC") != 0) {
		xasprintf(&f, "/usr/share/zoneinfo/%s", s);
		ok = stat(f, &st) == 0 && S_ISREG(st.st_mode);
		free(f);
	}
	if (!ok)
		return msg_new(_("expected a time zone name such as "
		    "America/Argentina/Buenos_Aires or UTC, got \"%s\""), s);
	return NULL;
}

/* A language code: "es", "pt_BR". */
static char *
check_language(const char *s, char **norm)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz");

	if ((n == 2 || n == 3) && (s[n] == '\0' || (s[n] == '_' &&
	    strlen(s + n + 1) == 2 && isupper((unsigned char)s[n + 1]) &&
	    isupper((unsigned char)s[n + 2]))))
		return NULL;
	return msg_new(_("expected a language code such as es or pt_BR, got "
	    "\"%s\""), s);
}

/* An S3 bucket name. */
static char *
check_bucket(const char *s, char **norm)
{
	size_t n = strlen(s);

	if (n < 3 || n > 63 || !isalnum((unsigned char)s[0]) ||
	    !isalnum((unsigned char)s[n - 1]) ||
	    !str_all(s, false, "abcdefghijklmnopqrstuvwxyz0123456789.-"))
		return msg_new(_("expected an S3 bucket name (3 to 63 "
		    "lowercase letters, digits, '.' or '-'), got \"%s\""), s);
	return NULL;
}

/* A storage class or KMS key id: a header value, so no spaces or
 * control characters. */
static char *
check_s3_word(const char *s, char **norm)
{
	(void)norm;
	if (*s == '\0' || strlen(s) > 2048 || !str_all(s, false,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_:/."))
		return msg_new(_("expected letters, digits and - _ : / ., "
		    "got \"%s\""), s);
	return NULL;
}

/* Server-side encryption: none, s3 (SSE-S3) or kms (SSE-KMS). */
static char *
check_sse(const char *s, char **norm)
{
	(void)norm;
	if (strcmp(s, "none") != 0 && strcmp(s, "s3") != 0 &&
	    strcmp(s, "kms") != 0)
		return msg_new(_("expected \"none\", \"s3\" or \"kms\", "
		    "got \"%s\""), s);
	return NULL;
}

/* An object key template: known {placeholders}, with {camera} and
 * {start} so that keys are unique. */
static char *
check_template(const char *s, char **norm)
{
	static const char *const known[] = { "site", "camera", "date",
	    "time", "start", "end", "year", "month", "day", "hour", NULL };
	const char *p = s, *e;
	size_t i;
	bool camera = false, start = false;

	while ((p = strchr(p, '{')) != NULL) {
		e = strchr(++p, '}');
		if (e == NULL)
			return msg_new(_("\"{\" without a closing \"}\" in "
			    "\"%s\""), s);
		for (i = 0; known[i] != NULL; i++)
			if (strlen(known[i]) == (size_t)(e - p) &&
			    strncmp(known[i], p, (size_t)(e - p)) == 0)
				break;
		if (known[i] == NULL) {
			char *j = choices_join(known), *m;

			m = msg_new(_("unknown placeholder {%.*s}; expected "
			    "one of %s"), (int)(e - p), p, j);
			free(j);
			return m;
		}
		camera |= i == 1;
		start |= i == 4;
		p = e + 1;
	}
	if (!camera || !start || s[0] == '/')
		return msg_new(_("the template must contain {camera} and "
		    "{start} (so that every segment gets its own key) and must "
		    "not start with '/', got \"%s\""), s);
	return NULL;
}

/* A Label Studio labeling template name, or an absolute .xml file. */
static char *
check_label_config(const char *s, char **norm)
{
	size_t n = strlen(s);

	if (s[0] == '/' ? n > 4 && strcmp(s + n - 4, ".xml") == 0 :
	    str_all(s, false, "abcdefghijklmnopqrstuvwxyz0123456789-"))
		return NULL;
	return msg_new(_("expected a template name such as video-tracking or "
	    "an absolute path to an .xml file, got \"%s\""), s);
}

/* A Label Studio label value: 1 to 64 bytes, no control characters. */
static char *
check_label_value(const char *s, char **norm)
{
	const unsigned char *p;

	(void)norm;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			break;
	if (*s == '\0' || strlen(s) > 64 || *p != '\0')
		return msg_new(_("expected a label of 1 to 64 characters, "
		    "got \"%s\""), s);
	return NULL;
}

/* A Unix socket path: absolute and short enough for sun_path. */
static char *
check_socket(const char *s, char **norm)
{
	if (s[0] != '/' || strlen(s) > 107)
		return msg_new(_("expected an absolute path of at most 107 "
		    "bytes, got \"%s\""), s);
	return NULL;
}

/* Parse "HH:MM" (00:00..24:00) into minutes; -1 if invalid. */
static int
sched_time(const char *s, size_t len)
{
	int h, m;

	if (len != 5 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || s[2] != ':' ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return -1;
	h = (s[0] - '0') * 10 + s[1] - '0';
	m = (s[3] - '0') * 10 + s[4] - '0';
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

/* Day index (0 = mon) of a three-letter name at s, or -1. */
static int
sched_day(const char *s, size_t len)
{
	static const char days[] = "montuewedthufrisatsun";
	int i;

	for (i = 0; len == 3 && i < 7; i++)
		if (strncasecmp(s, days + i * 3, 3) == 0)
			return i;
	return -1;
}

/* Parse one schedule rule; returns NULL or an untranslated msgid. */
static const char *
sched_parse(const char *text, struct vg_schedule_rule *r)
{
	const char *p = text, *sp, *dash;
	size_t len;
	int a, b, d;

	memset(r, 0, sizeof *r);
	sp = strchr(text, ' ');
	if (sp == NULL)
		return N_("expected days and a time range such as "
		    "\"mon-fri 08:00-18:00\"");
	if (strncasecmp(text, "daily ", 6) == 0 ||
	    strncmp(text, "* ", 2) == 0) {
		r->days = 0x7f;
		p = sp;
	}
	while (p < sp) {
		len = strcspn(p, ", ");
		dash = memchr(p, '-', len);
		a = sched_day(p, dash != NULL ? (size_t)(dash - p) : len);
		b = dash != NULL ? sched_day(dash + 1,
		    len - (size_t)(dash - p) - 1) : a;
		if (a < 0 || b < 0)
			return N_("unknown day; expected mon, tue, wed, thu, "
			    "fri, sat, sun, a range such as mon-fri, or daily");
		for (d = a;; d = (d + 1) % 7) {
			r->days |= 1u << d;
			if (d == b)
				break;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	while (*sp == ' ')
		sp++;
	dash = strchr(sp, '-');
	if (dash == NULL)
		return N_("expected a time range such as 08:00-18:00");
	r->start_min = sched_time(sp, (size_t)(dash - sp));
	r->end_min = sched_time(dash + 1, strlen(dash + 1));
	if (r->start_min < 0 || r->end_min < 0 || r->start_min == 1440)
		return N_("expected times from 00:00 to 24:00 such as "
		    "08:00-18:00");
	if (r->start_min == r->end_min)
		return N_("the time range is empty: the start equals the end");
	if (r->end_min == 0)
		r->end_min = 1440;
	return NULL;
}

/* Parse one schedule rule for callers outside this file. */
int
vg_schedule_parse(const char *text, struct vg_schedule_rule *rule,
    char **cause)
{
	const char *m = sched_parse(text, rule);

	if (m == NULL)
		return 0;
	if (cause != NULL)
		xasprintf(cause, "schedule \"%s\": %s", text, m);
	return VG_ERR_CONFIG;
}

/* An RTSP URL (recording.url): rtsp://host[:port]/path, credentials
 * not inside it (they come from `credentials`). */
static char *
check_rtsp_url(const char *s, char **norm)
{
	const char *h = NULL, *slash;

	(void)norm;
	if (strncmp(s, "rtsp://", 7) == 0)
		h = s + 7;
	if (h == NULL || *h == '\0' || *h == '/' || strpbrk(s, " \"") != NULL)
		return msg_new(_("expected an RTSP URL such as "
		    "rtsp://192.0.2.10:554/stream1, got \"%s\""), s);
	slash = strchr(h, '/');
	if (memchr(h, '@', slash != NULL ? (size_t)(slash - h) : strlen(h)))
		return msg_new(_("put the user and password in credentials, "
		    "not in the URL \"%s\""), "rtsp://...@...");
	return NULL;
}

/* A schedule rule, as a key check. */
static char *
check_schedule(const char *s, char **norm)
{
	struct vg_schedule_rule r;
	const char *m = sched_parse(s, &r);

	if (m == NULL)
		return NULL;
	return msg_new(_("invalid schedule \"%s\": %s"), s, _(m));
}

/* ---- loading: libconfig tree -> typed structs -------------------------- */

/* "parent.name", or "name" at the top; caller frees. */
static char *
path_join(const char *parent, const char *name)
{
	char *p;

	if (parent == NULL)
		return xstrdup(name);
	xasprintf(&p, "%s.%s", parent, name);
	return p;
}

/* "list[i]" or "list[i] (\"name\")"; caller frees. */
static char *
path_elem(const char *list, size_t i, const char *name)
{
	char *p;

	if (name != NULL)
		xasprintf(&p, "%s[%zu] (\"%s\")", list, i, name);
	else
		xasprintf(&p, "%s[%zu]", list, i);
	return p;
}

/* What a setting is, for "got ..." in messages; caller frees. */
static char *
desc_setting(const config_setting_t *s, bool secret)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_STRING:
		if (secret)
			return msg_new("%s", _("a string"));
		return msg_new(_("a string (\"%.40s\")"),
		    config_setting_get_string(s));
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		if (secret)
			return msg_new("%s", _("an integer"));
		return msg_new(_("an integer (%lld)"),
		    config_setting_get_int64(s));
	case CONFIG_TYPE_FLOAT:
		return msg_new(_("a number (%g)"), config_setting_get_float(s));
	case CONFIG_TYPE_BOOL:
		return msg_new(_("a boolean (%s)"),
		    config_setting_get_bool(s) ? "true" : "false");
	case CONFIG_TYPE_GROUP:
		return msg_new("%s", _("a group { ... }"));
	case CONFIG_TYPE_ARRAY:
		return msg_new("%s", _("an array [ ... ]"));
	case CONFIG_TYPE_LIST:
		return msg_new("%s", _("a list ( ... )"));
	}
	return msg_new("%s", _("an unknown value"));
}

/* What a key expects, for "expected ..." in messages; caller frees. */
static char *
desc_expected(const struct kdef *k)
{
	char *j, *m;

	switch (k->type) {
	case KT_INT:
		return msg_new(_("an integer from %.0f to %.0f"), k->min,
		    k->max);
	case KT_FLOAT:
		return msg_new(_("a number from %g to %g"), k->min, k->max);
	case KT_BOOL:
		return msg_new("%s", _("true or false"));
	case KT_ENUM:
		j = choices_join(k->choices);
		m = msg_new(_("one of %s"), j);
		free(j);
		return m;
	case KT_LIST:
		return msg_new("%s", _("a list of strings such as "
		    "[ \"a\", \"b\" ]"));
	case KT_GROUP:
		return msg_new("%s", _("a group { ... }"));
	case KT_CAMERAS:
	case KT_STORAGE:
		return msg_new("%s", _("a list of groups such as "
		    "( { ... }, { ... } )"));
	default:
		return msg_new("%s", _("a string in double quotes"));
	}
}

/* Report a value of the wrong type. */
static void
type_error(struct cctx *c, const config_setting_t *m, const char *path,
    const struct kdef *k)
{
	char *exp = desc_expected(k);
	char *got = desc_setting(m, k->type == KT_SECRET);

	diag_at(c, m, path, _("wrong type: expected %s, got %s"), exp, got);
	free(exp);
	free(got);
}

/* Report an unknown key, with the closest valid key as a hint or the
 * list of valid keys. */
static void
unknown_key(struct cctx *c, const config_setting_t *m, const char *path,
    const struct kgroup *g, struct scope sc)
{
	const char *name = config_setting_name(m);
	char cand[80], best[80] = "";
	size_t i, score = SIZE_MAX, s;
	struct sbuf all = { 0 };

	for (i = 0; i < g->n; i++) {
		if (!key_applies(&g->keys[i], sc))
			continue;
		snprintf(cand, sizeof cand, "%s%s", g->keys[i].name,
		    g->keys[i].type == KT_SECRET ? "_file" : "");
		sb_printf(&all, "%s%s", all.len > 0 ? ", " : "",
		    g->keys[i].name);
		if (g->keys[i].type == KT_SECRET)
			sb_printf(&all, ", %s", cand);
		for (s = 0; s < 2; s++) {
			const char *try = s == 0 ? g->keys[i].name : cand;
			size_t sc2 = hint_score(name, try);

			if (sc2 < score) {
				score = sc2;
				snprintf(best, sizeof best, "%s", try);
			}
		}
	}
	if (score != SIZE_MAX)
		diag_at(c, m, path, _("unknown key \"%s\"; did you mean "
		    "\"%s\"?"), name, best);
	else
		diag_at(c, m, path, _("unknown key \"%s\"; the keys allowed "
		    "here are: %s"), name, all.p != NULL ? all.p : "");
	free(all.p);
}

/* An absolute version of a file name from the config; caller frees. */
static char *
path_resolve(const struct cctx *c, const char *ref)
{
	char *p;

	if (ref[0] == '/' || c->dir == NULL || strcmp(c->dir, ".") == 0)
		return xstrdup(ref);
	xasprintf(&p, "%s/%s", c->dir, ref);
	return p;
}

/* Refuse files that are not regular or that others may read or change;
 * returns NULL or a translated message. */
static char *
file_check_private(const char *full, const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return msg_new(_("\"%s\" is not a regular file"), full);
	if ((st->st_mode & 077) != 0)
		return msg_new(_("the file \"%s\" can be read or changed by "
		    "other users (mode %04o); restrict it with: chmod 600 %s"),
		    full, (unsigned)(st->st_mode & 07777), full);
	return NULL;
}

/* The message for a file that cannot be opened. */
static char *
file_open_error(const char *full, int errnum)
{
	if (errnum == ENOENT || errnum == ENOTDIR)
		return msg_new(_("the file \"%s\" does not exist"), full);
	return msg_new(_("cannot open the file \"%s\": %s"), full,
	    strerror(errnum));
}

/* Read a secret file: private, not empty, no NUL byte, at most 64 KiB,
 * one trailing newline removed.  Returns NULL and sets *value, or a
 * translated message. */
static char *
secret_read(const char *full, char **value)
{
	struct stat st;
	char *buf = NULL, *m = NULL;
	size_t len = 0;
	ssize_t r;
	int fd;

	*value = NULL;
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return file_open_error(full, errno);
	if (fstat(fd, &st) == -1) {
		m = file_open_error(full, errno);
		goto out;
	}
	if ((m = file_check_private(full, &st)) != NULL)
		goto out;
	buf = xmalloc(SECRET_MAX + 1);
	while (len <= SECRET_MAX &&
	    (r = read(fd, buf + len, SECRET_MAX + 1 - len)) != 0) {
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			m = msg_new(_("cannot read the file \"%s\": %s"), full,
			    strerror(errno));
			goto out;
		}
		len += (size_t)r;
	}
	if (len > SECRET_MAX) {
		m = msg_new(_("the secret file \"%s\" is larger than 64 KiB"),
		    full);
		goto out;
	}
	if (memchr(buf, '\0', len) != NULL) {
		m = msg_new(_("the secret file \"%s\" contains a NUL byte"),
		    full);
		goto out;
	}
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	if (len == 0) {
		m = msg_new(_("the secret file \"%s\" is empty"), full);
		goto out;
	}
	*value = xstrndup(buf, len);
out:
	if (buf != NULL) {
		explicit_bzero(buf, SECRET_MAX + 1);
		free(buf);
	}
	close(fd);
	return m;
}

/* Load "name" or "name_file" into a secret. */
static void
load_secret(struct cctx *c, const config_setting_t *grp,
    const config_setting_t *m, const struct kdef *k, void *base,
    const char *path, bool is_file)
{
	struct vg_secret *sec = FIELD(base, k, struct vg_secret);
	char other[80], *full, *err;
	const char *v;

	snprintf(other, sizeof other, "%s%s", k->name, is_file ? "" : "_file");
	if (config_setting_get_member(grp, other) != NULL) {
		if (!is_file)
			diag_at(c, m, path, _("both \"%s\" and \"%s_file\" are "
			    "set; keep only one of them"), k->name, k->name);
		return;
	}
	if (config_setting_type(m) != CONFIG_TYPE_STRING) {
		type_error(c, m, path, k);
		return;
	}
	v = config_setting_get_string(m);
	secret_clear(sec);
	if (!is_file) {
		sec->value = xstrdup(v);
		vg_log_add_secret(v);
		return;
	}
	sec->file = xstrdup(v);
	if (*v == '\0')
		return;		/* reported by validation */
	full = path_resolve(c, v);
	if ((err = secret_read(full, &sec->value)) != NULL) {
		diag_at(c, m, path, "%s", err);
		free(err);
	} else
		vg_log_add_secret(sec->value);
	free(full);
}

/* Make a private key file name absolute and check its permissions. */
static void
load_keyfile(struct cctx *c, const config_setting_t *m, const char *path,
    char **value)
{
	struct stat st;
	char *full, *err;

	if (**value == '\0')
		return;
	full = path_resolve(c, *value);
	if (stat(full, &st) == -1)
		err = file_open_error(full, errno);
	else
		err = file_check_private(full, &st);
	if (err != NULL) {
		diag_at(c, m, path, "%s", err);
		free(err);
	}
	free(*value);
	*value = full;
}

/* Read an integer setting; false (and a diagnostic) if it is not one or
 * does not fit. */
static bool
load_int(struct cctx *c, const config_setting_t *m, const char *path,
    const struct kdef *k, int *out)
{
	long long v;

	if (config_setting_type(m) != CONFIG_TYPE_INT &&
	    config_setting_type(m) != CONFIG_TYPE_INT64) {
		type_error(c, m, path, k);
		return false;
	}
	v = config_setting_get_int64(m);
	if (v < INT_MIN || v > INT_MAX) {
		diag_at(c, m, path, _("expected an integer from %.0f to %.0f, "
		    "got %lld"), k->min, k->max, v);
		return false;
	}
	*out = (int)v;
	return true;
}

/* Read an enum setting by name. */
static void
load_enum(struct cctx *c, const config_setting_t *m, const char *path,
    const struct kdef *k, int *out)
{
	const char *v, *best = NULL;
	char *j;
	size_t score = SIZE_MAX;
	int i;

	if (config_setting_type(m) != CONFIG_TYPE_STRING) {
		type_error(c, m, path, k);
		return;
	}
	v = config_setting_get_string(m);
	for (i = 0; k->choices[i] != NULL; i++) {
		if (strcmp(v, k->choices[i]) == 0) {
			*out = i;
			return;
		}
		hint_try(v, k->choices[i], &best, &score);
	}
	j = choices_join(k->choices);
	if (best != NULL)
		diag_at(c, m, path, _("expected one of %s, got \"%.40s\"; did "
		    "you mean \"%s\"?"), j, v, best);
	else
		diag_at(c, m, path, _("expected one of %s, got \"%.40s\""), j,
		    v);
	free(j);
}

/* Read a list of strings. */
static void
load_list(struct cctx *c, const config_setting_t *m, const char *path,
    const struct kdef *k, struct vg_strlist *l)
{
	const config_setting_t *e;
	char *epath;
	int i, n;

	if (config_setting_type(m) != CONFIG_TYPE_ARRAY &&
	    config_setting_type(m) != CONFIG_TYPE_LIST) {
		type_error(c, m, path, k);
		return;
	}
	strlist_clear(l);
	n = config_setting_length(m);
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(m, (unsigned)i);
		epath = path_elem(path, (size_t)i, NULL);
		line_record(c, epath, e);
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			char *got = desc_setting(e, false);

			diag_at(c, e, epath, _("wrong type: expected %s, got "
			    "%s"), _("a string in double quotes"), got);
			free(got);
		} else
			strlist_add(l, config_setting_get_string(e));
		free(epath);
	}
}

static void load_group(struct cctx *, const config_setting_t *,
    const struct kgroup *, void *, const char *, struct scope,
    const struct kdef *);
static void load_cameras(struct cctx *, const config_setting_t *,
    struct vg_config *);
static void load_storage(struct cctx *, const config_setting_t *,
    struct vg_config *);

/* Read one (non-secret) key into its typed field. */
static void
load_key(struct cctx *c, const config_setting_t *m, const struct kdef *k,
    void *base, const char *path, struct scope sc)
{
	char **sp, *norm = NULL, *err;

	switch (k->type) {
	case KT_STR:
		if (config_setting_type(m) != CONFIG_TYPE_STRING) {
			type_error(c, m, path, k);
			break;
		}
		sp = FIELD(base, k, char *);
		free(*sp);
		*sp = xstrdup(config_setting_get_string(m));
		if (k->check != NULL) {
			err = k->check(*sp, &norm);
			free(err);
			if (err == NULL && norm != NULL) {
				free(*sp);
				*sp = norm;
			}
		}
		if (k->flags & KF_KEYFILE)
			load_keyfile(c, m, path, sp);
		break;
	case KT_INT:
		load_int(c, m, path, k, FIELD(base, k, int));
		break;
	case KT_FLOAT:
		if (!config_setting_is_number(m))
			type_error(c, m, path, k);
		else if (config_setting_type(m) == CONFIG_TYPE_FLOAT)
			*FIELD(base, k, double) = config_setting_get_float(m);
		else
			*FIELD(base, k, double) =
			    (double)config_setting_get_int64(m);
		break;
	case KT_BOOL:
		if (config_setting_type(m) != CONFIG_TYPE_BOOL)
			type_error(c, m, path, k);
		else
			*FIELD(base, k, bool) = config_setting_get_bool(m);
		break;
	case KT_ENUM:
		load_enum(c, m, path, k, FIELD(base, k, int));
		break;
	case KT_LIST:
		load_list(c, m, path, k, FIELD(base, k, struct vg_strlist));
		break;
	case KT_GROUP:
		if (k->sub == &defaults_group)
			sc.defaults = true;
		load_group(c, m, k->sub, FIELD(base, k, char), path, sc, NULL);
		break;
	case KT_CAMERAS:
		load_cameras(c, m, base);
		break;
	case KT_STORAGE:
		load_storage(c, m, base);
		break;
	case KT_SECRET:
		break;
	}
}

/* Read a group: every member must be a key of the table g. */
static void
load_group(struct cctx *c, const config_setting_t *s, const struct kgroup *g,
    void *base, const char *path, struct scope sc, const struct kdef *skip)
{
	const config_setting_t *m;
	const struct kdef *k;
	const char *name;
	char *cpath, *stem;
	size_t len;
	bool is_file;
	int i;

	if (!config_setting_is_group(s)) {
		struct kdef gk = { .name = "", .type = KT_GROUP };

		type_error(c, s, path, &gk);
		return;
	}
	for (i = 0; i < config_setting_length(s); i++) {
		m = config_setting_get_elem(s, (unsigned)i);
		name = config_setting_name(m);
		cpath = path_join(path, name);
		line_record(c, cpath, m);
		k = key_find(g, name);
		is_file = false;
		len = strlen(name);
		if (k == NULL && len > 5 &&
		    strcmp(name + len - 5, "_file") == 0) {
			stem = xstrndup(name, len - 5);
			k = key_find(g, stem);
			free(stem);
			is_file = true;
			if (k != NULL && k->type != KT_SECRET)
				k = NULL;
		}
		if (k == NULL)
			unknown_key(c, m, cpath, g, sc);
		else if (k == skip)
			;
		else if (sc.defaults && (k->flags & KF_NODEF))
			diag_at(c, m, cpath, _("\"%s\" is set for each camera "
			    "and cannot be used in defaults"), name);
		else if (!key_applies(k, sc))
			diag_at(c, m, cpath, _("\"%s\" is not used by storage "
			    "entries of type %s"), name,
			    storage_types[sc.stype]);
		else if (k->type == KT_SECRET)
			load_secret(c, s, m, k, base, cpath, is_file);
		else
			load_key(c, m, k, base, cpath, sc);
		free(cpath);
	}
}

/* The name of a list element, if it has a string one, for its path. */
static const char *
elem_name(const config_setting_t *e)
{
	const char *name = NULL;

	if (config_setting_is_group(e))
		config_setting_lookup_string(e, "name", &name);
	return name;
}

/* Whether a setting is a list (an empty array counts). */
static bool
is_list(struct cctx *c, const config_setting_t *m, const char *path,
    const struct kdef *k)
{
	if (config_setting_is_list(m) || (config_setting_is_array(m) &&
	    config_setting_length(m) == 0))
		return true;
	type_error(c, m, path, k);
	return false;
}

/* Read the camera list; each camera starts from the defaults. */
static void
load_cameras(struct cctx *c, const config_setting_t *m, struct vg_config *cfg)
{
	const config_setting_t *e;
	struct vg_camera *cam;
	char *path;
	int i;

	if (!is_list(c, m, "cameras", key_find(&root_group, "cameras")))
		return;
	for (i = 0; i < config_setting_length(m); i++) {
		e = config_setting_get_elem(m, (unsigned)i);
		path = path_elem("cameras", (size_t)i, elem_name(e));
		line_record(c, path, e);
		cfg->cameras = xreallocarray(cfg->cameras, cfg->ncameras + 1,
		    sizeof *cfg->cameras);
		cam = &cfg->cameras[cfg->ncameras++];
		camera_init(cam, &cfg->defaults);
		cam->line = (int)config_setting_source_line(e);
		load_group(c, e, &camera_group, cam, path, no_scope, NULL);
		if (cam->onvif.address == NULL && cam->match.address != NULL)
			cam->onvif.address = xstrdup(cam->match.address);
		free(path);
	}
}

/* Read the storage list.  An entry without a valid type gets the type -1
 * (all keys accepted), so that it causes no further errors. */
static void
load_storage(struct cctx *c, const config_setting_t *m, struct vg_config *cfg)
{
	const config_setting_t *e;
	struct vg_storage *st;
	struct scope sc = { false, -1 };
	const char *type;
	char *path;
	int i;

	if (!is_list(c, m, "storage", key_find(&root_group, "storage")))
		return;
	for (i = 0; i < config_setting_length(m); i++) {
		e = config_setting_get_elem(m, (unsigned)i);
		path = path_elem("storage", (size_t)i, elem_name(e));
		line_record(c, path, e);
		sc.stype = -1;
		if (config_setting_is_group(e) &&
		    config_setting_lookup_string(e, "type", &type))
			for (sc.stype = 0; storage_types[sc.stype] != NULL &&
			    strcmp(storage_types[sc.stype], type) != 0;
			    sc.stype++)
				;
		if (sc.stype < 0 || storage_types[sc.stype] == NULL) {
			if (config_setting_is_group(e) &&
			    config_setting_get_member(e, "type") == NULL)
				diag_at(c, e, path, _("required key \"%s\" is "
				    "missing"), "type");
			sc.stype = -1;
		}
		cfg->storage = xreallocarray(cfg->storage, cfg->nstorage + 1,
		    sizeof *cfg->storage);
		st = &cfg->storage[cfg->nstorage++];
		storage_init(st, sc.stype < 0 ? VG_STORAGE_S3 :
		    (enum vg_storage_type)sc.stype);
		st->line = (int)config_setting_source_line(e);
		load_group(c, e, &storage_group, st, path, sc, NULL);
		if (sc.stype < 0)
			st->type = (enum vg_storage_type)-1;
		if (config_setting_get_member(e, "port") == NULL)
			st->port = vg_storage_default_port(st->type, st->tls);
		free(path);
	}
}

/* ---- validation of typed structs --------------------------------------- */

/* Check a string value: not empty, no control bytes, its format. */
static void
check_string(struct cctx *c, const struct kdef *k, const char *s,
    const char *path)
{
	const unsigned char *p;
	char *err;

	if (*s == '\0') {
		diag_path(c, path, "%s", _("the value is empty; remove the key "
		    "to leave it unset"));
		return;
	}
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			diag_path(c, path, "%s", _("the value contains control "
			    "characters"));
			return;
		}
	}
	if (k->check != NULL && (err = k->check(s, NULL)) != NULL) {
		diag_path(c, path, "%s", err);
		free(err);
	}
}

/* Whether a required key has no value. */
static bool
key_unset(const struct kdef *k, const void *base)
{
	const struct vg_secret *s;

	switch (k->type) {
	case KT_STR:
		return *CFIELD(base, k, char *) == NULL;
	case KT_SECRET:
		s = CFIELD(base, k, struct vg_secret);
		return s->value == NULL && s->file == NULL;
	case KT_INT:
		return (k->flags & KF_UNSET0) && *CFIELD(base, k, int) == 0;
	default:
		return false;
	}
}

/* Check the value of one key against its range, choices and format. */
static void
validate_key(struct cctx *c, const struct kdef *k, const void *base,
    const char *path)
{
	const struct vg_secret *sec;
	const struct vg_strlist *l;
	char *epath, *j;
	double d;
	size_t i;
	int v;

	switch (k->type) {
	case KT_STR:
		if (*CFIELD(base, k, char *) != NULL)
			check_string(c, k, *CFIELD(base, k, char *), path);
		break;
	case KT_INT:
		v = *CFIELD(base, k, int);
		if (k == &root_keys[0] && v != VG_CONFIG_VERSION)
			diag_path(c, path, _("unsupported schema version %d; "
			    "this vigia reads version %d"), v,
			    VG_CONFIG_VERSION);
		else if ((v < k->min || v > k->max) &&
		    !(v == 0 && (k->flags & KF_UNSET0)))
			diag_path(c, path, _("expected an integer from %.0f to "
			    "%.0f, got %lld"), k->min, k->max, (long long)v);
		break;
	case KT_FLOAT:
		d = *CFIELD(base, k, double);
		if (!(d >= k->min && d <= k->max))
			diag_path(c, path, _("expected a number from %g to %g, "
			    "got %g"), k->min, k->max, d);
		break;
	case KT_ENUM:
		v = *CFIELD(base, k, int);
		if (v < 0 || v >= choices_count(k->choices)) {
			j = choices_join(k->choices);
			diag_path(c, path, _("invalid value %d; expected one "
			    "of %s"), v, j);
			free(j);
		}
		break;
	case KT_SECRET:
		sec = CFIELD(base, k, struct vg_secret);
		if (sec->file != NULL && *sec->file == '\0')
			diag_path(c, path, "%s", _("the file name is empty"));
		else if (sec->file == NULL && sec->value != NULL &&
		    *sec->value == '\0')
			diag_path(c, path, "%s", _("the secret is empty"));
		break;
	case KT_LIST:
		l = CFIELD(base, k, struct vg_strlist);
		if (l->n > k->max)
			diag_path(c, path, _("at most %.0f entries are "
			    "allowed, got %zu"), k->max, l->n);
		for (i = 0; i < l->n; i++) {
			epath = path_elem(path, i, NULL);
			check_string(c, k, l->v[i], epath);
			free(epath);
		}
		break;
	default:
		break;
	}
}

/* Path of a key; a secret read from a file is named "key_file". */
static char *
key_path(const char *path, const struct kdef *k, const void *base)
{
	char *p, *kp;

	if (k->type != KT_SECRET ||
	    CFIELD(base, k, struct vg_secret)->file == NULL)
		return path_join(path, k->name);
	xasprintf(&kp, "%s_file", k->name);
	p = path_join(path, kp);
	free(kp);
	return p;
}

static void validate_camera(struct cctx *, const struct vg_config *,
    size_t);
static void validate_storage(struct cctx *, const struct vg_config *,
    size_t);

/* Check every key of a group.  Keys equal to the baseline (what a camera
 * inherits from defaults) were checked there and are skipped; inherit
 * names the defaults group for "missing" messages. */
static void
validate_group(struct cctx *c, const struct kgroup *g, const void *base,
    const void *baseline, const char *path, struct scope sc,
    const char *inherit)
{
	const struct kdef *k;
	const struct vg_config *cfg = base;
	char *kpath, *sub_inherit;
	struct scope csc;
	size_t i;

	for (k = g->keys; k < g->keys + g->n; k++) {
		if (!key_applies(k, sc))
			continue;
		if (k->type == KT_CAMERAS) {
			for (i = 0; i < cfg->ncameras; i++)
				validate_camera(c, cfg, i);
			continue;
		}
		if (k->type == KT_STORAGE) {
			for (i = 0; i < cfg->nstorage; i++)
				validate_storage(c, cfg, i);
			continue;
		}
		kpath = key_path(path, k, base);
		if ((k->flags & KF_REQ) && !sc.defaults && key_unset(k, base)) {
			if (inherit != NULL && g != &camera_group)
				diag_path(c, kpath, _("required key \"%s\" is "
				    "missing; set it here or in %s"), k->name,
				    inherit);
			else
				diag_path(c, kpath, _("required key \"%s\" is "
				    "missing"), k->name);
		} else if (k->type == KT_GROUP) {
			csc = sc;
			if (k->sub == &defaults_group)
				csc.defaults = true;
			sub_inherit = NULL;
			if (inherit != NULL &&
			    key_find(&defaults_group, k->name) != NULL)
				sub_inherit = path_join(inherit, k->name);
			validate_group(c, k->sub, CFIELD(base, k, char),
			    baseline != NULL ? CFIELD(baseline, k, char) : NULL,
			    kpath, csc, sub_inherit);
			free(sub_inherit);
		} else if (baseline == NULL || !key_equal(k, base, baseline))
			validate_key(c, k, base, kpath);
		free(kpath);
	}
}

/* Camera filled only from defaults (what it would be with no keys set);
 * the caller clears it with group_clear(). */
static void
camera_baseline(struct vg_camera *b, const struct vg_config *cfg,
    const struct vg_camera *cam)
{
	camera_init(b, &cfg->defaults);
	if (cam->match.address != NULL) {
		free(b->onvif.address);
		b->onvif.address = xstrdup(cam->match.address);
	}
}

/* A diagnostic at "<prefix>.<key>". */
static void VG_PRINTF(4, 5)
diag_sub(struct cctx *c, const char *prefix, const char *key,
    const char *fmt, ...)
{
	va_list ap;
	char *path = path_join(prefix, key), *msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	diag_path(c, path, "%s", msg);
	free(msg);
	free(path);
}

/* Whether gw is inside addr/prefix (both valid dotted quads). */
static bool
ipv4_same_net(const char *addr, int prefix, const char *gw)
{
	struct in_addr a, g;
	uint32_t mask;

	if (inet_pton(AF_INET, addr, &a) != 1 ||
	    inet_pton(AF_INET, gw, &g) != 1 || prefix < 1 || prefix > 32)
		return true;	/* reported elsewhere */
	mask = prefix == 32 ? 0xffffffffu : ~(0xffffffffu >> prefix);
	return (ntohl(a.s_addr) & mask) == (ntohl(g.s_addr) & mask);
}

/* Checks across the keys of one camera. */
static void
validate_camera_rules(struct cctx *c, const struct vg_camera *cam,
    const char *p)
{
	const struct vg_camera_network *n = &cam->network;
	const struct vg_camera_encoder *e = &cam->encoder;

	if (!cam->match.mac && !cam->match.serial && !cam->match.address)
		diag_sub(c, p, "match", "%s", _("set at least one of mac, "
		    "serial or address, so that the camera can be recognised"));
	if (cam->onvif.address == NULL)
		diag_sub(c, p, "onvif.address", "%s", _("the camera has no "
		    "address; set onvif.address or match.address"));
	if (cam->onvif.legacy_tls && !cam->onvif.tls)
		diag_sub(c, p, "onvif.legacy_tls", "%s", _("legacy_tls only "
		    "applies when tls is true"));
	if (cam->onvif.tls_fingerprint != NULL && !cam->onvif.tls)
		diag_sub(c, p, "onvif.tls_fingerprint", "%s",
		    _("tls_fingerprint only applies when tls is true"));
	if (cam->credentials.admin_user == NULL &&
	    !key_unset(&credentials_keys[3], &cam->credentials))
		diag_sub(c, p, "credentials.admin_user", "%s", _("admin_user "
		    "is needed when admin_password is set"));
	if (cam->credentials.admin_user != NULL &&
	    key_unset(&credentials_keys[3], &cam->credentials))
		diag_sub(c, p, "credentials.admin_password", "%s",
		    _("admin_password (or admin_password_file) is needed when "
		    "admin_user is set"));
	if (n->mode == VG_NETWORK_STATIC && (n->address == NULL ||
	    n->prefix == 0))
		diag_sub(c, p, n->address == NULL ? "network.address" :
		    "network.prefix", "%s", _("a static network needs both "
		    "address and prefix"));
	if (n->mode != VG_NETWORK_STATIC && n->address != NULL)
		diag_sub(c, p, "network.address", "%s", _("address is only "
		    "used when mode is \"static\""));
	if (n->mode == VG_NETWORK_STATIC && n->address != NULL &&
	    n->gateway != NULL && !ipv4_same_net(n->address, n->prefix,
	    n->gateway))
		diag_sub(c, p, "network.gateway", _("the gateway %s is not in "
		    "the network %s/%d"), n->gateway, n->address, n->prefix);
	if (e->codec == VG_CODEC_H265 && e->profile != VG_PROFILE_MAIN)
		diag_sub(c, p, "encoder.profile", "%s", _("H.265 only has the "
		    "main profile; use profile = \"main\""));
	if (e->width % 2 != 0 || e->height % 2 != 0)
		diag_sub(c, p, "encoder.width", _("width and height must be "
		    "even numbers, got %dx%d"), e->width, e->height);
	if (cam->recording.mode == VG_RECORD_SCHEDULE &&
	    cam->recording.schedule.n == 0)
		diag_sub(c, p, "recording.schedule", "%s", _("recording mode "
		    "\"schedule\" needs at least one schedule rule"));
}

/* Check one camera: its keys, then the rules across them. */
static void
validate_camera(struct cctx *c, const struct vg_config *cfg, size_t i)
{
	const struct vg_camera *cam = &cfg->cameras[i];
	struct vg_camera base;
	char *path = path_elem("cameras", i, cam->name);

	c->fallback_line = cam->line;
	camera_baseline(&base, cfg, cam);
	validate_group(c, &camera_group, cam, &base, path, no_scope,
	    "defaults");
	group_clear(&camera_group, &base);
	validate_camera_rules(c, cam, path);
	c->fallback_line = 0;
	free(path);
}

/* Check one storage entry. */
static void
validate_storage(struct cctx *c, const struct vg_config *cfg, size_t i)
{
	const struct vg_storage *st = &cfg->storage[i];
	struct scope sc = { false, (int)st->type };
	char *p = path_elem("storage", i, st->name);
	bool has_pw = st->password.value || st->password.file;

	c->fallback_line = st->line;
	if ((unsigned)st->type > VG_STORAGE_LOCAL) {
		if (c->nlines > 0)
			goto out;	/* the load reported it */
		diag_sub(c, p, "type", _("invalid value %d; expected one of "
		    "%s"), (int)st->type, "s3, sftp, ftp, ftps, local");
		goto out;
	}
	validate_group(c, &storage_group, st, NULL, p, sc, NULL);
	if ((st->type == VG_STORAGE_FTP || st->type == VG_STORAGE_FTPS) &&
	    !has_pw)
		diag_sub(c, p, "password", _("required key \"%s\" is missing"),
		    "password");
	if (st->type == VG_STORAGE_SFTP && !has_pw &&
	    st->private_key_file == NULL)
		diag_sub(c, p, "password", "%s", _("an sftp entry needs "
		    "password, password_file or private_key_file"));
	if (st->type == VG_STORAGE_SFTP && st->host_key_sha256 == NULL &&
	    !st->insecure)
		diag_sub(c, p, "host_key_sha256", "%s", _("set host_key_sha256 "
		    "to the server's key hash (ssh-keygen -lf), or insecure = "
		    "true to skip the check"));
out:
	c->fallback_line = 0;
	free(p);
}

/* Report a reference to a storage entry that does not exist or has the
 * wrong type; mask lists the types that fit (0 = any). */
static void
check_storage_ref(struct cctx *c, const struct vg_config *cfg,
    const char *path, const char *name, unsigned mask)
{
	const struct vg_storage *st = vg_config_find_storage(cfg, name);
	struct sbuf names = { 0 };
	size_t i;

	if (st != NULL) {
		if ((unsigned)st->type > VG_STORAGE_LOCAL)
			return;	/* no valid type: reported with the entry */
		if (mask != 0 && (mask & ST(st->type)) == 0)
			diag_path(c, path, _("storage entry \"%s\" is of type "
			    "%s, which cannot be used here"), name,
			    storage_types[st->type]);
		return;
	}
	for (i = 0; i < cfg->nstorage; i++)
		sb_printf(&names, "%s%s", i > 0 ? ", " : "",
		    cfg->storage[i].name ? cfg->storage[i].name : "?");
	if (names.p != NULL)
		diag_path(c, path, _("there is no storage entry named \"%s\"; "
		    "the entries are: %s"), name, names.p);
	else
		diag_path(c, path, _("there is no storage entry named \"%s\"; "
		    "add one to the storage list"), name);
	free(names.p);
}

/* Two cameras (or entries) must not share a value; reports the later one. */
static void
check_unique(struct cctx *c, const char *list, const char *key,
    const char *const *vals, const char *const *names, size_t n, bool icase)
{
	char *p, *kp, *other;
	size_t i, j;

	for (j = 1; j < n; j++) {
		for (i = 0; vals[j] != NULL && i < j; i++) {
			if (vals[i] == NULL || (icase ?
			    strcasecmp(vals[i], vals[j]) :
			    strcmp(vals[i], vals[j])) != 0)
				continue;
			p = path_elem(list, j, names[j]);
			kp = path_join(p, key);
			other = path_elem(list, i, names[i]);
			diag_path(c, kp, _("\"%s\" is already used by %s"),
			    vals[j], other);
			free(other);
			free(kp);
			free(p);
			break;
		}
	}
}

/* Names, MAC addresses and static addresses are unique. */
static void
validate_unique(struct cctx *c, const struct vg_config *cfg)
{
	size_t n = cfg->ncameras > cfg->nstorage ? cfg->ncameras :
	    cfg->nstorage;
	const char **names = xcalloc(n + 1, sizeof *names);
	const char **vals = xcalloc(n + 1, sizeof *vals);
	size_t i;

	for (i = 0; i < cfg->ncameras; i++)
		names[i] = cfg->cameras[i].name;
	check_unique(c, "cameras", "name", names, names, cfg->ncameras, true);
	for (i = 0; i < cfg->ncameras; i++)
		vals[i] = cfg->cameras[i].match.mac;
	check_unique(c, "cameras", "match.mac", vals, names, cfg->ncameras,
	    true);
	for (i = 0; i < cfg->ncameras; i++)
		vals[i] = cfg->cameras[i].network.mode == VG_NETWORK_STATIC ?
		    cfg->cameras[i].network.address : NULL;
	check_unique(c, "cameras", "network.address", vals, names,
	    cfg->ncameras, false);
	for (i = 0; i < cfg->nstorage; i++)
		names[i] = cfg->storage[i].name;
	check_unique(c, "storage", "name", names, names, cfg->nstorage, true);
	free(names);
	free(vals);
}

/* References between sections: vigiad, nvr and Label Studio. */
static void
validate_refs(struct cctx *c, const struct vg_config *cfg)
{
	const struct vg_storage *st;
	const struct vg_label_studio *ls = &cfg->label_studio;

	if (cfg->vigiad.storage != NULL)
		check_storage_ref(c, cfg, "vigiad.storage", cfg->vigiad.storage,
		    0);
	else if (cfg->nvr.mode == VG_NVR_VIGIAD)
		diag_path(c, "vigiad.storage", "%s", _("vigiad.storage is "
		    "required when nvr.mode is \"vigiad\""));
	if (cfg->nvr.ftp_target != NULL)
		check_storage_ref(c, cfg, "nvr.ftp_target", cfg->nvr.ftp_target,
		    ST_NET);
	else if (cfg->nvr.mode == VG_NVR_FTP)
		diag_path(c, "nvr.ftp_target", "%s", _("ftp_target is required "
		    "when mode is \"ftp\""));
	if (cfg->nvr.mode == VG_NVR_FTP && cfg->nvr.address == NULL)
		diag_path(c, "nvr.address", _("required key \"%s\" is "
		    "missing"), "address");
	if (cfg->defaults.recording.mode == VG_RECORD_SCHEDULE &&
	    cfg->defaults.recording.schedule.n == 0)
		diag_path(c, "defaults.recording.schedule", "%s",
		    _("recording mode \"schedule\" needs at least one schedule "
		    "rule"));
	if (!ls->enabled)
		return;
	if (ls->url == NULL)
		diag_path(c, "label_studio.url", _("required key \"%s\" is "
		    "missing"), "url");
	if (key_unset(&ls_keys[2], ls))
		diag_path(c, "label_studio.token", _("required key \"%s\" is "
		    "missing"), "token");
	if (ls->project_id == 0 && ls->project_title == NULL)
		diag_path(c, "label_studio.project_id", "%s",
		    _("set project_id or project_title"));
	st = cfg->vigiad.storage != NULL ?
	    vg_config_find_storage(cfg, cfg->vigiad.storage) : NULL;
	if ((st == NULL && cfg->vigiad.storage == NULL) ||
	    (st != NULL && st->type != VG_STORAGE_S3))
		diag_path(c, "label_studio.enabled", "%s", _("Label Studio "
		    "tasks link to uploaded videos: vigiad.storage must name "
		    "an s3 storage entry"));
}

/* Validate a whole configuration into c. */
static void
validate_config(struct cctx *c, const struct vg_config *cfg)
{
	validate_group(c, &root_group, cfg, NULL, NULL, no_scope, NULL);
	validate_unique(c, cfg);
	validate_refs(c, cfg);
}

/* ---- saving ------------------------------------------------------------ */

/* Append a string in double quotes, with libconfig escapes. */
static void
emit_quoted(struct sbuf *sb, const char *s)
{
	const unsigned char *p;

	sb_printf(sb, "\"");
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			sb_printf(sb, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			sb_printf(sb, "\\x%02x", *p);
		else
			sb_printf(sb, "%c", *p);
	}
	sb_printf(sb, "\"");
}

/* The shortest text that reads back as the same double, in the C locale,
 * always with a '.' so that libconfig reads a float. */
static void
format_double(char *buf, size_t len, double d)
{
	locale_t c_loc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t old = c_loc != (locale_t)0 ? uselocale(c_loc) : (locale_t)0;
	int prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (strpbrk(buf, ".en") == NULL && strlen(buf) + 3 <= len)
		strcat(buf, ".0");
	if (c_loc != (locale_t)0) {
		uselocale(old);
		freelocale(c_loc);
	}
}

/* Options for writing a file. */
struct emit {
	struct sbuf sb;
	const struct vg_config *cfg;
	const char *rebase;	/* directory for relative *_file, or NULL */
};

static void emit_group(struct emit *, const struct kgroup *, const void *,
    const void *, struct scope, int);

/* Write one camera or storage entry of a list. */
static void
emit_entry(struct emit *em, const struct kgroup *g, const void *v,
    const void *base, struct scope sc, bool last)
{
	sb_printf(&em->sb, "\t{\n");
	emit_group(em, g, v, base, sc, 2);
	sb_printf(&em->sb, "\t}%s\n", last ? "" : ",");
}

/* Write the camera and storage lists. */
static void
emit_lists(struct emit *em, const struct kdef *k)
{
	const struct vg_config *cfg = em->cfg;
	struct vg_camera cb;
	struct vg_storage sb;
	struct scope sc = { false, -1 };
	size_t i, n = k->type == KT_CAMERAS ? cfg->ncameras : cfg->nstorage;

	if (n == 0)
		return;
	sb_printf(&em->sb, "\n%s = (\n", k->name);
	for (i = 0; i < n; i++) {
		if (k->type == KT_CAMERAS) {
			camera_baseline(&cb, cfg, &cfg->cameras[i]);
			emit_entry(em, &camera_group, &cfg->cameras[i], &cb,
			    sc, i + 1 == n);
			group_clear(&camera_group, &cb);
			continue;
		}
		sc.stype = (int)cfg->storage[i].type;
		storage_init(&sb, cfg->storage[i].type);
		sb.port = vg_storage_default_port(sb.type,
		    cfg->storage[i].tls);
		emit_entry(em, &storage_group, &cfg->storage[i], &sb, sc,
		    i + 1 == n);
		group_clear(&storage_group, &sb);
	}
	sb_printf(&em->sb, ");\n");
}

/* Write one scalar, secret or list key. */
static void
emit_value(struct emit *em, const struct kdef *k, const void *v)
{
	const struct vg_secret *sec;
	const struct vg_strlist *l;
	char num[40], *ref;
	size_t i;

	switch (k->type) {
	case KT_STR:
		emit_quoted(&em->sb, *CFIELD(v, k, char *));
		break;
	case KT_INT:
		sb_printf(&em->sb, "%d", *CFIELD(v, k, int));
		break;
	case KT_FLOAT:
		format_double(num, sizeof num, *CFIELD(v, k, double));
		sb_printf(&em->sb, "%s", num);
		break;
	case KT_BOOL:
		sb_printf(&em->sb, "%s",
		    *CFIELD(v, k, bool) ? "true" : "false");
		break;
	case KT_ENUM:
		emit_quoted(&em->sb, k->choices[*CFIELD(v, k, int)]);
		break;
	case KT_SECRET:
		sec = CFIELD(v, k, struct vg_secret);
		if (sec->file == NULL) {
			emit_quoted(&em->sb, sec->value);
			break;
		}
		if (em->rebase != NULL && sec->file[0] != '/' &&
		    sec->file[0] != '\0') {
			xasprintf(&ref, "%s/%s", em->rebase, sec->file);
			emit_quoted(&em->sb, ref);
			free(ref);
		} else
			emit_quoted(&em->sb, sec->file);
		break;
	case KT_LIST:
		l = CFIELD(v, k, struct vg_strlist);
		sb_printf(&em->sb, "[");
		for (i = 0; i < l->n; i++) {
			sb_printf(&em->sb, "%s", i > 0 ? ", " : " ");
			emit_quoted(&em->sb, l->v[i]);
		}
		sb_printf(&em->sb, " ]");
		break;
	default:
		break;
	}
}

/* Whether a key has something to write. */
static bool
key_writable(const struct kdef *k, const void *v)
{
	const struct vg_secret *sec;

	switch (k->type) {
	case KT_STR:
		return *CFIELD(v, k, char *) != NULL;
	case KT_SECRET:
		sec = CFIELD(v, k, struct vg_secret);
		return sec->file != NULL || sec->value != NULL;
	case KT_ENUM:
		return *CFIELD(v, k, int) >= 0 &&
		    *CFIELD(v, k, int) < choices_count(k->choices);
	default:
		return true;
	}
}

/* Write the keys of a group that differ from base. */
static void
emit_group(struct emit *em, const struct kgroup *g, const void *v,
    const void *base, struct scope sc, int depth)
{
	const struct kdef *k;
	struct emit sub;
	struct scope csc;

	for (k = g->keys; k < g->keys + g->n; k++) {
		if (!key_applies(k, sc))
			continue;
		if (k->type == KT_CAMERAS || k->type == KT_STORAGE) {
			emit_lists(em, k);
			continue;
		}
		if (k->type == KT_GROUP) {
			csc = sc;
			if (k->sub == &defaults_group)
				csc.defaults = true;
			sub = *em;
			memset(&sub.sb, 0, sizeof sub.sb);
			emit_group(&sub, k->sub, CFIELD(v, k, char),
			    CFIELD(base, k, char), csc, depth + 1);
			if (sub.sb.len > 0)
				sb_printf(&em->sb, "%s%.*s%s = {\n%s%.*s};\n",
				    depth == 0 ? "\n" : "", depth,
				    "\t\t\t\t\t\t\t\t", k->name, sub.sb.p,
				    depth, "\t\t\t\t\t\t\t\t");
			if (sub.sb.p != NULL) {
				explicit_bzero(sub.sb.p, sub.sb.len);
				free(sub.sb.p);
			}
			continue;
		}
		if (!key_writable(k, v) || (!(k->flags & KF_ALWAYS) &&
		    key_equal(k, v, base)))
			continue;
		sb_printf(&em->sb, "%.*s%s%s = ", depth, "\t\t\t\t\t\t\t\t",
		    k->name, k->type == KT_SECRET && CFIELD(v, k,
		    struct vg_secret)->file != NULL ? "_file" : "");
		emit_value(em, k, v);
		sb_printf(&em->sb, ";\n");
	}
}

/* The directory part of a file name; caller frees. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* The source directory if relative *_file references must be rewritten
 * because the file moves to another directory; caller frees. */
static char *
rebase_dir(const struct vg_config *cfg, const char *path)
{
	char *src, *dst, *rs, *rd, *out = NULL;

	if (cfg->path == NULL)
		return NULL;
	src = dir_of(cfg->path);
	dst = dir_of(path);
	rs = realpath(src, NULL);
	rd = realpath(dst, NULL);
	if (rs != NULL && (rd == NULL || strcmp(rs, rd) != 0)) {
		out = rs;
		rs = NULL;
	}
	free(rs);
	free(rd);
	free(src);
	free(dst);
	return out;
}

/* Write all of buf to fd. */
static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t r;

	while (len > 0) {
		r = write(fd, buf, len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

/* The saved text of a configuration; caller wipes and frees it. */
static char *
config_text(const struct vg_config *cfg, const char *rebase)
{
	struct vg_config *base = vg_config_new();
	struct emit em = { { 0 }, cfg, rebase };

	sb_printf(&em.sb, "# vigia configuration: see vigia.conf(5).\n"
	    "# Written by vigia; comments are not kept.\n\n");
	emit_group(&em, &root_group, cfg, base, no_scope, 0);
	vg_config_free(base);
	return sb_take(&em.sb);
}

/* Save atomically: temporary file, fsync, rename, fsync the directory. */
int
vg_config_save(const struct vg_config *cfg, const char *path, char **cause)
{
	char *rebase = rebase_dir(cfg, path), *text = config_text(cfg, rebase);
	char *dir = dir_of(path), *tmp = NULL;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const char *what = "create a temporary file in";
	int fd = -1, dfd, err = 0;
	bool created = false;

	xasprintf(&tmp, "%s/.%s.XXXXXX", dir, base);
	if ((fd = mkstemp(tmp)) == -1)
		goto fail;
	created = true;
	what = "write";
	if (fchmod(fd, 0600) == -1 || write_all(fd, text, strlen(text)) == -1 ||
	    fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	what = "rename the temporary file in";
	if (rename(tmp, path) == -1)
		goto fail;
	created = false;
	what = "sync the directory";
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		goto fail;
	if (fsync(dfd) == -1 && errno != EINVAL) {
		close(dfd);
		goto fail;
	}
	close(dfd);
	goto out;
fail:
	err = errno == EACCES || errno == EPERM ? VG_ERR_PERM : VG_ERR_IO;
	if (cause != NULL)
		xasprintf(cause, "cannot %s %s: %s", what,
		    strcmp(what, "write") == 0 ? tmp : dir, strerror(errno));
	if (fd != -1)
		close(fd);
	if (created)
		unlink(tmp);
out:
	vg_secret_free(text);
	free(tmp);
	free(dir);
	free(rebase);
	return err;
}

/* ---- public API -------------------------------------------------------- */

/* A configuration with built-in defaults; the caller frees it. */
struct vg_config *
vg_config_new(void)
{
	struct vg_config *cfg = xcalloc(1, sizeof *cfg);

	group_init(&root_group, cfg);
	return cfg;
}

/* Free a configuration and wipe its secrets; accepts NULL. */
void
vg_config_free(struct vg_config *cfg)
{
	if (cfg == NULL)
		return;
	group_clear(&root_group, cfg);
	free(cfg->path);
	free(cfg);
}

/* A deep copy (a draft for the wizard); the caller frees it. */
struct vg_config *
vg_config_dup(const struct vg_config *cfg)
{
	struct vg_config *d = xcalloc(1, sizeof *d);

	group_copy(&root_group, d, cfg);
	d->path = str_dup(cfg->path);
	return d;
}

/* Append a camera filled from the defaults; the pointer stays valid
 * until the camera list changes again. */
struct vg_camera *
vg_config_add_camera(struct vg_config *cfg, const char *name)
{
	struct vg_camera *cam;

	cfg->cameras = xreallocarray(cfg->cameras, cfg->ncameras + 1,
	    sizeof *cfg->cameras);
	cam = &cfg->cameras[cfg->ncameras++];
	camera_init(cam, &cfg->defaults);
	cam->name = str_dup(name);
	return cam;
}

/* Append a storage entry with the defaults of its type. */
struct vg_storage *
vg_config_add_storage(struct vg_config *cfg, const char *name,
    enum vg_storage_type type)
{
	struct vg_storage *st;

	cfg->storage = xreallocarray(cfg->storage, cfg->nstorage + 1,
	    sizeof *cfg->storage);
	st = &cfg->storage[cfg->nstorage++];
	storage_init(st, type);
	st->name = str_dup(name);
	return st;
}

/* Remove camera i (ignored if out of range). */
void
vg_config_remove_camera(struct vg_config *cfg, size_t i)
{
	if (i >= cfg->ncameras)
		return;
	group_clear(&camera_group, &cfg->cameras[i]);
	memmove(&cfg->cameras[i], &cfg->cameras[i + 1],
	    (cfg->ncameras - i - 1) * sizeof *cfg->cameras);
	cfg->ncameras--;
}

/* Remove storage entry i (ignored if out of range). */
void
vg_config_remove_storage(struct vg_config *cfg, size_t i)
{
	if (i >= cfg->nstorage)
		return;
	group_clear(&storage_group, &cfg->storage[i]);
	memmove(&cfg->storage[i], &cfg->storage[i + 1],
	    (cfg->nstorage - i - 1) * sizeof *cfg->storage);
	cfg->nstorage--;
}

/* Same settings (paths and lines are not compared). */
bool
vg_config_equal(const struct vg_config *a, const struct vg_config *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return group_equal(&root_group, a, b);
}

/* A camera by name, or NULL. */
const struct vg_camera *
vg_config_find_camera(const struct vg_config *cfg, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < cfg->ncameras; i++)
		if (str_eq(cfg->cameras[i].name, name))
			return &cfg->cameras[i];
	return NULL;
}

/* A storage entry by name, or NULL. */
const struct vg_storage *
vg_config_find_storage(const struct vg_config *cfg, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < cfg->nstorage; i++)
		if (str_eq(cfg->storage[i].name, name))
			return &cfg->storage[i];
	return NULL;
}

/* Release what a context owns. */
static void
cctx_free(struct cctx *c)
{
	size_t i;

	for (i = 0; i < c->nlines; i++)
		free(c->lines[i].path);
	free(c->lines);
	free(c->dir);
}

/* Check an in-memory configuration. */
int
vg_config_validate(const struct vg_config *cfg, struct vg_diags *diags)
{
	struct cctx c = { .diags = diags, .file = cfg->path };

	validate_config(&c, cfg);
	return c.nerr > 0 ? VG_ERR_CONFIG : 0;
}

/* Order diagnostics from `from` on by file and line (stable). */
static void
diags_sort(struct vg_diags *d, size_t from)
{
	struct vg_diag t;
	size_t i, j;

	for (i = from + 1; d != NULL && i < d->n; i++) {
		t = d->v[i];
		for (j = i; j > from; j--) {
			const struct vg_diag *p = &d->v[j - 1];
			int fc = strcmp(p->file ? p->file : "",
			    t.file ? t.file : "");

			if (fc < 0 || (fc == 0 && p->line <= t.line))
				break;
			d->v[j] = d->v[j - 1];
		}
		d->v[j] = t;
	}
}

/* Run libconfig on a file with numbers read in the C locale. */
static int
parse_file(config_t *lc, const char *path)
{
	locale_t c_loc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t old = c_loc != (locale_t)0 ? uselocale(c_loc) : (locale_t)0;
	int ok;

	ok = config_read_file(lc, path);
	if (c_loc != (locale_t)0) {
		uselocale(old);
		freelocale(c_loc);
	}
	return ok;
}

/* A diagnostic at a file and line (the syntax errors of libconfig). */
static void VG_PRINTF(4, 5)
diag_line(struct cctx *c, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(c, file, line, NULL, fmt, ap);
	va_end(ap);
}

/* Read, convert and validate a configuration file; a draft is kept when
 * only the validation found problems. */
static int
config_load(const char *path, struct vg_config **out,
    struct vg_diags *diags, bool draft)
{
	struct cctx c = { .diags = diags, .file = path };
	struct vg_config *cfg = NULL;
	const config_setting_t *defs;
	const struct kdef *dk = key_find(&root_group, "defaults");
	const char *text;
	struct stat st;
	config_t lc;
	FILE *fp;
	size_t first = diags != NULL ? diags->n : 0;
	int err = 0, nerr_load = 0;

	*out = NULL;
	config_init(&lc);
	fp = fopen(path, "re");
	if (fp != NULL && fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(fp);
		fp = NULL;
		errno = EISDIR;
	}
	if (fp == NULL) {
		err = errno == ENOENT || errno == ENOTDIR ? VG_ERR_NOTFOUND :
		    VG_ERR_IO;
		diag_line(&c, path, 0, _("cannot read the configuration file: "
		    "%s"), strerror(errno));
		goto out;
	}
	fclose(fp);
	c.dir = dir_of(path);
	config_set_include_dir(&lc, c.dir);
	if (!parse_file(&lc, path)) {
		err = config_error_type(&lc) == CONFIG_ERR_FILE_IO ? VG_ERR_IO :
		    VG_ERR_CONFIG;
		text = config_error_text(&lc) != NULL ?
		    config_error_text(&lc) : "syntax error";
		if (strcmp(text, "syntax error") == 0)
			text = _("syntax error");
		diag_line(&c, config_error_file(&lc) != NULL ?
		    config_error_file(&lc) : path, config_error_line(&lc),
		    _("%s; look for a missing ';', '}', ')' or '\"' on this "
		    "line or the one before"), text);
		goto out;
	}
	cfg = vg_config_new();
	cfg->path = xstrdup(path);
	cfg->version = 0;
	defs = config_setting_get_member(config_root_setting(&lc), "defaults");
	if (defs != NULL) {
		line_record(&c, "defaults", defs);
		load_key(&c, defs, dk, cfg, "defaults", no_scope);
	}
	load_group(&c, config_root_setting(&lc), &root_group, cfg, NULL,
	    no_scope, dk);
	nerr_load = c.nerr;
	validate_config(&c, cfg);
	if (c.nerr > 0 && (!draft || nerr_load > 0))
		err = VG_ERR_CONFIG;
out:
	diags_sort(diags, first);
	if (err == 0)
		*out = cfg;
	else
		vg_config_free(cfg);
	config_destroy(&lc);
	cctx_free(&c);
	return err;
}

/* Read, convert and validate a configuration file. */
int
vg_config_load(const char *path, struct vg_config **out,
    struct vg_diags *diags)
{
	return config_load(path, out, diags, false);
}

/* The same for a draft saved half-way: kept if it only fails validation. */
int
vg_config_load_draft(const char *path, struct vg_config **out,
    struct vg_diags *diags)
{
	return config_load(path, out, diags, true);
}

/* Free all diagnostics; accepts NULL. */
void
vg_diags_free(struct vg_diags *diags)
{
	size_t i;

	if (diags == NULL)
		return;
	for (i = 0; i < diags->n; i++) {
		free(diags->v[i].file);
		free(diags->v[i].path);
		free(diags->v[i].msg);
	}
	free(diags->v);
	diags->v = NULL;
	diags->n = 0;
}

/* "FILE:LINE: PATH: MSG", leaving out unknown parts; caller frees. */
char *
vg_diag_format(const struct vg_diag *d)
{
	struct sbuf sb = { 0 };

	if (d->file != NULL && d->line > 0)
		sb_printf(&sb, "%s:%d: ", d->file, d->line);
	else if (d->file != NULL)
		sb_printf(&sb, "%s: ", d->file);
	if (d->path != NULL)
		sb_printf(&sb, "%s: ", d->path);
	sb_printf(&sb, "%s", d->msg != NULL ? d->msg : "");
	return sb_take(&sb);
}

/* $VAR/sub, or $HOME/fallback/sub (/tmp without a HOME). */
static char *
config_xdg_path(const char *var, const char *fallback, const char *sub)
{
	const char *v = getenv(var), *home = getenv("HOME");
	char *p;

	if (v != NULL && v[0] == '/')
		xasprintf(&p, "%s/%s", v, sub);
	else
		xasprintf(&p, "%s/%s/%s", home != NULL && *home != '\0' ?
		    home : "/tmp", fallback, sub);
	return p;
}

char *
vg_config_default_path(bool for_reading)
{
	const char *env = getenv("VIGIA_CONFIG");
	char *user;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if (geteuid() == 0)
		return xstrdup(SYSCONFDIR "/vigia/vigia.conf");
	user = config_xdg_path("XDG_CONFIG_HOME", ".config",
	    "vigia/vigia.conf");
	if (for_reading && access(user, F_OK) != 0 &&
	    access(SYSCONFDIR "/vigia/vigia.conf", F_OK) == 0) {
		free(user);
		return xstrdup(SYSCONFDIR "/vigia/vigia.conf");
	}
	return user;
}
