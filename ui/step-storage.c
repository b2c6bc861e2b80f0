/* step-storage.c - where segments go: S3, FTP, FTPS, SFTP or a directory.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The wizard edits one storage entry: the one vigiad uploads to, or the
 * one the NVR pushes to (wizard-draft.c keeps the reference).  Switching
 * the type keeps what was typed for the other types, so going back to
 * them loses nothing.  Live tests of the target come with the upload
 * issue; this page checks the fields.
 */
#include <stddef.h>
#include <stdlib.h>

#include "i18n.h"
#include "wizard.h"

#define S struct vg_storage

/* The storage entry the wizard edits. */
static struct vg_storage *
st_entry(struct wizard *w)
{
	return &w->draft->storage[w->storage_i];
}

/* The page's base. */
static void *
st_base(struct wizard *w)
{
	return st_entry(w);
}

/* "storage[N]": the prefix of the entry's key paths. */
static char *
st_prefix(struct wizard *w)
{
	char *p;

	xasprintf(&p, "storage[%zu]", w->storage_i);
	return p;
}

/* Visibility by type. */
static bool
st_local(struct wizard *w)
{
	return st_entry(w)->type == VG_STORAGE_LOCAL;
}

static bool
st_s3(struct wizard *w)
{
	return st_entry(w)->type == VG_STORAGE_S3;
}

static bool
st_net(struct wizard *w)
{
	enum vg_storage_type t = st_entry(w)->type;

	return t == VG_STORAGE_FTP || t == VG_STORAGE_FTPS ||
	    t == VG_STORAGE_SFTP;
}

static bool
st_ftps(struct wizard *w)
{
	return st_entry(w)->type == VG_STORAGE_FTPS;
}

static bool
st_ftp_any(struct wizard *w)
{
	return st_entry(w)->type == VG_STORAGE_FTP ||
	    st_entry(w)->type == VG_STORAGE_FTPS;
}

static bool
st_sftp(struct wizard *w)
{
	return st_entry(w)->type == VG_STORAGE_SFTP;
}

static bool
st_tls(struct wizard *w)
{
	return st_s3(w) || st_ftps(w) || st_sftp(w);
}

/* The entry's name; renaming follows the references. */
static char *
st_get_name(struct wizard *w)
{
	return xstrdup(st_entry(w)->name != NULL ? st_entry(w)->name : "");
}

static void
st_set_name(struct wizard *w, const char *name)
{
	wdraft_rename_storage(w->draft, w->storage_i, name);
}

/* The type; the port follows (wizard-draft.c). */
static int
st_get_type(struct wizard *w)
{
	return (int)st_entry(w)->type;
}

static void
st_set_type(struct wizard *w, int v)
{
	wdraft_set_storage_type(w->draft, w->storage_i,
	    (enum vg_storage_type)v);
}

/* The FTPS mode; the port follows. */
static int
st_get_tls(struct wizard *w)
{
	return (int)st_entry(w)->tls;
}

static void
st_set_tls(struct wizard *w, int v)
{
	wdraft_set_ftps_mode(w->draft, w->storage_i, (enum vg_ftps_mode)v);
}

static const char *const st_types[] = {
	N_("Local directory"), "S3", "FTP", "FTPS", "SFTP", NULL,
};
static const int st_type_values[] = {
	VG_STORAGE_LOCAL, VG_STORAGE_S3, VG_STORAGE_FTP, VG_STORAGE_FTPS,
	VG_STORAGE_SFTP,
};
static const char *const st_tls_modes[] = {
	N_("Explicit (AUTH TLS, port 21)"), N_("Implicit (port 990)"), NULL,
};

static const struct ui_field st_fields[] = {
	{ .kind = UI_TEXT, .vtype = UV_CUSTOM, .path = ".name",
	    .alias = "vigiad.storage", .label = N_("Entry name"),
	    .get_text = st_get_name, .set_text = st_set_name,
	    .hint = N_("A name for this target in the file, such as "
		"cloud.") },
	{ .kind = UI_CHOICE, .vtype = UV_CUSTOM, .path = ".type",
	    .alias = "nvr.ftp_target", .label = N_("Type"),
	    .choices = st_types, .values = st_type_values,
	    .get_int = st_get_type, .set_int = st_set_type },
	/* local */
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, path),
	    .path = ".path", .label = N_("Directory"), .shown = st_local,
	    .hint = N_("An absolute path on this box, such as "
		"/var/lib/vigia/segments.") },
	/* s3 */
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, bucket),
	    .path = ".bucket", .label = N_("Bucket"), .shown = st_s3 },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, region),
	    .path = ".region", .label = N_("Region"), .shown = st_s3,
	    .hint = N_("Such as us-east-1; MinIO and Ceph accept any.") },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, endpoint),
	    .path = ".endpoint", .label = N_("Endpoint URL"), .shown = st_s3,
	    .hint = N_("Empty for AWS; https://host:port for MinIO, Ceph "
		"and others.") },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, prefix),
	    .path = ".prefix", .label = N_("Key prefix"), .shown = st_s3,
	    .hint = N_("Put in front of every object key, such as "
		"recordings/.") },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, access_key),
	    .path = ".access_key", .label = N_("Access key"), .shown = st_s3 },
	{ .kind = UI_SECRET, .vtype = UV_SECRET,
	    .off = offsetof(S, secret_key), .path = ".secret_key",
	    .label = N_("Secret key"), .shown = st_s3 },
	{ .kind = UI_CHECK, .vtype = UV_BOOL, .off = offsetof(S, path_style),
	    .path = ".path_style", .label = N_("Path-style URLs"),
	    .shown = st_s3,
	    .hint = N_("Space switches it.  MinIO and most S3-compatible "
		"servers want it on.") },
	/* sftp, ftp, ftps */
	{ .kind = UI_CHOICE, .vtype = UV_CUSTOM, .path = ".tls",
	    .label = N_("TLS"), .choices = st_tls_modes, .shown = st_ftps,
	    .get_int = st_get_tls, .set_int = st_set_tls },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, host),
	    .path = ".host", .label = N_("Server"), .shown = st_net,
	    .hint = N_("Host name or IP address.") },
	{ .kind = UI_NUMBER, .vtype = UV_INT, .off = offsetof(S, port),
	    .path = ".port", .label = N_("Port"), .shown = st_net },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, user),
	    .path = ".user", .label = N_("User"), .shown = st_net },
	{ .kind = UI_SECRET, .vtype = UV_SECRET, .off = offsetof(S, password),
	    .path = ".password", .label = N_("Password"), .shown = st_net },
	{ .kind = UI_TEXT, .vtype = UV_STR,
	    .off = offsetof(S, private_key_file), .path = ".private_key_file",
	    .label = N_("Private key file"), .shown = st_sftp,
	    .hint = N_("Instead of a password: an absolute path to an "
		"ed25519 key.") },
	{ .kind = UI_TEXT, .vtype = UV_STR,
	    .off = offsetof(S, host_key_sha256), .path = ".host_key_sha256",
	    .label = N_("Host key SHA256"), .shown = st_sftp,
	    .hint = N_("As printed by ssh-keygen -lf, such as "
		"SHA256:abc...") },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, directory),
	    .path = ".directory", .label = N_("Remote directory"),
	    .shown = st_net },
	{ .kind = UI_CHECK, .vtype = UV_BOOL, .off = offsetof(S, passive),
	    .path = ".passive", .label = N_("Passive mode"),
	    .shown = st_ftp_any },
	{ .kind = UI_CHECK, .vtype = UV_BOOL, .off = offsetof(S, insecure),
	    .path = ".insecure", .label = N_("Skip TLS checks"),
	    .shown = st_tls,
	    .hint = N_("Only for tests: the server's certificate or host key "
		"is not checked.") },
};

static const char *const st_scope[] = {
	".", "vigiad.storage", "nvr.ftp_target", NULL,
};

static const struct ui_page_def st_page = {
	.intro = N_("Where recordings are uploaded.  The target is tested "
	    "once the uploader lands; here its fields are checked."),
	.fields = st_fields,
	.nfields = sizeof st_fields / sizeof st_fields[0],
	.base = st_base,
	.prefix = st_prefix,
	.scope = st_scope,
};

const struct wizard_step step_storage = {
	.id = "storage",
	.title = N_("Storage target"),
	.help = N_("S3 covers AWS and S3-compatible servers (MinIO, Ceph): "
	    "give the bucket, region, endpoint and keys.  FTP, FTPS and SFTP "
	    "(such as AWS Transfer Family) need a server, user and password "
	    "or key.  A local directory keeps the segments on this box.  "
	    "Label Studio needs S3."),
	.page = &st_page,
};
