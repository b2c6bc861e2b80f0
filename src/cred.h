/* cred.h - which credentials to try on cameras that already have users,
 * and the integrator's CSV of them (included by libvigia.h).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A site of cameras that are not factory-new has three sources of
 * administrator passwords: a CSV the integrator keeps (address, serial or
 * MAC; user; password), the vendors' documented defaults (admin/12345 on
 * older Hikvision firmware, admin/admin on Dahua and many others), and
 * what the technician types once for the whole site.  vg_cred_candidates
 * orders them for one camera and keeps the number of tries under the
 * vendor's lockout, so that no camera is ever locked by vigia.  No
 * network here: the caller logs in with each candidate in turn.
 */
#ifndef VIGIA_CRED_H
#define VIGIA_CRED_H

#include <stdbool.h>
#include <stddef.h>

#include "onvif.h"

/* Where a candidate comes from (what the camera table says). */
enum vg_cred_source {
	VG_CRED_CSV,		/* the integrator's CSV row for the camera */
	VG_CRED_DEFAULT,	/* the vendor's documented default */
	VG_CRED_TYPED,		/* typed once for the whole site */
};

/* One user and password to try; the strings are borrowed. */
struct vg_cred {
	const char *user;
	const char *password;
	enum vg_cred_source source;
};

/* What the first column of a CSV row names. */
enum vg_cred_key {
	VG_CRED_KEY_ADDRESS,	/* an IPv4 address (a port is ignored) */
	VG_CRED_KEY_MAC,	/* aa:bb:cc:dd:ee:ff or aa-bb-... */
	VG_CRED_KEY_SERIAL,	/* anything else */
};

/* One row of the CSV; every string is owned. */
struct vg_cred_row {
	enum vg_cred_key kind;
	char *key;		/* as written (a MAC lowercased, with ':') */
	char *user;		/* may be empty: the vendor's admin user */
	char *password;
	char *name;		/* an optional 4th column: the camera's name */
	int line;		/* 1-based line in the file */
};

struct vg_cred_csv {
	struct vg_cred_row *v;
	size_t n;
};

/* Parse CSV text: one camera a line, "key,user,password[,name]"; fields
 * may be double-quoted ("" for a quote inside); blank lines and lines
 * starting with '#' are skipped, and so is a first line whose first field
 * is "address", "serial", "mac" or "key" (a heading).  ';' separates
 * instead of ',' when a line has no ','.  where names the text in
 * errors.  Returns 0, or VG_ERR_CONFIG with *cause ("where:3: ...";
 * English, no password in it).  out is cleared first. */
int vg_cred_csv_parse(const char *text, const char *where,
    struct vg_cred_csv *out, char **cause);
/* Read and parse the file at path (at most 1 MiB). */
int vg_cred_csv_load(const char *path, struct vg_cred_csv *out,
    char **cause);
/* Free the rows (passwords wiped); accepts an empty csv. */
void vg_cred_csv_clear(struct vg_cred_csv *csv);
/* The row for a camera: by MAC, then serial, then address (any may be
 * NULL); NULL if none. */
const struct vg_cred_row *vg_cred_csv_find(const struct vg_cred_csv *csv,
    const char *address, const char *serial, const char *mac);

/* Failed logins a vendor allows before it locks the account out
 * (Hikvision and Dahua: 5; others: assumed 3). */
int vg_cred_lockout(enum vg_onvif_vendor vendor);
/* The vendor's administrator user: "admin" (Axis: "root"). */
const char *vg_cred_admin_user(enum vg_onvif_vendor vendor);

/* Fill out (at most max) with the credentials to try on one camera of
 * vendor, in order: its CSV row (or NULL), the
 * vendor's documented defaults, then the typed ones (a NULL or empty user
 * there means the vendor's admin user); a pair already listed is not
 * listed again.  failed tries were already spent on the camera: the
 * list is cut so that failed + its length stays below the vendor's
 * lockout.  Returns the number of candidates. */
size_t vg_cred_candidates(enum vg_onvif_vendor vendor, const struct vg_cred_row *csv,
    const struct vg_cred *typed, size_t ntyped, int failed,
    struct vg_cred *out, size_t max);

#endif /* VIGIA_CRED_H */
