/* cred.c - the credentials to try on cameras with users; the CSV of them.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See cred.h.  The vendors' defaults are the documented ones: Hikvision
 * firmware before 5.3 shipped admin/12345, Dahua admin/admin, Axis
 * root/pass, and most generic ONVIF cameras admin/admin.  Lockouts:
 * Hikvision locks an account (or the client's address) after 5 failed
 * logins by default ("illegal login lock"), Dahua after 5; for the others
 * 3 is assumed.  vigia stays one try below.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "libvigia.h"

#define CSV_MAX (1024 * 1024)

/* Wipe and free a secret. */
static void
secret_free(char *s)
{
	if (s != NULL) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

/* Free the rows; see cred.h. */
void
vg_cred_csv_clear(struct vg_cred_csv *csv)
{
	size_t i;

	for (i = 0; i < csv->n; i++) {
		free(csv->v[i].key);
		free(csv->v[i].user);
		secret_free(csv->v[i].password);
		free(csv->v[i].name);
	}
	free(csv->v);
	csv->v = NULL;
	csv->n = 0;
}

/* Split one line into at most 8 fields at sep, honouring double quotes;
 * returns the number of fields, or -1 for an unclosed quote. */
static int
csv_split(const char *line, char sep, char **f, int max)
{
	const char *p = line;
	char *buf, *o;
	int n = 0;
	bool quoted;

	for (;;) {
		if (n == max)
			return n;
		buf = o = xmalloc(strlen(p) + 1);
		while (*p == ' ' || *p == '\t')
			p++;
		quoted = *p == '"';
		if (quoted) {
			p++;
			for (;;) {
				if (*p == '\0') {
					free(buf);
					while (n > 0)
						free(f[--n]);
					return -1;
				}
				if (*p == '"' && p[1] == '"') {
					*o++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else
					*o++ = *p++;
			}
			while (*p == ' ' || *p == '\t')
				p++;
		} else {
			while (*p != '\0' && *p != sep)
				*o++ = *p++;
			while (o > buf && (o[-1] == ' ' || o[-1] == '\t'))
				o--;
		}
		*o = '\0';
		f[n++] = buf;
		if (*p != sep)
			return n;
		p++;
	}
}

/* A MAC written as aa:bb:cc:dd:ee:ff, aa-bb-..., or aabbccddeeff, in the
 * form "aa:bb:cc:dd:ee:ff" into out[18]; false if it is not one. */
static bool
csv_mac(const char *s, char out[18])
{
	int digits = 0;
	char hex[12];

	for (; *s != '\0'; s++) {
		if (isxdigit((unsigned char)*s)) {
			if (digits == 12)
				return false;
			hex[digits++] = (char)tolower((unsigned char)*s);
		} else if (*s != ':' && *s != '-' && *s != '.')
			return false;
	}
	if (digits != 12)
		return false;
	snprintf(out, 18, "%.2s:%.2s:%.2s:%.2s:%.2s:%.2s", hex, hex + 2,
	    hex + 4, hex + 6, hex + 8, hex + 10);
	return true;
}

/* Whether s is an IPv4 address, with an optional ":port". */
static bool
csv_ipv4(const char *s)
{
	int parts = 0, v;

	for (;;) {
		if (!isdigit((unsigned char)*s))
			return false;
		for (v = 0; isdigit((unsigned char)*s); s++)
			if ((v = v * 10 + (*s - '0')) > 255)
				return false;
		parts++;
		if (*s == '.' && parts < 4) {
			s++;
			continue;
		}
		break;
	}
	if (parts != 4)
		return false;
	if (*s == ':') {
		for (s++; isdigit((unsigned char)*s); s++)
			;
	}
	return *s == '\0';
}

/* Parse CSV text; see cred.h. */
int
vg_cred_csv_parse(const char *text, const char *where,
    struct vg_cred_csv *out, char **cause)
{
	const char *p = text, *nl;
	char *line = NULL, *f[8], mac[18];
	int err = VG_OK, lineno = 0, n, i;
	struct vg_cred_row *r;
	char sep;

	vg_cred_csv_clear(out);
	for (; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		lineno++;
		free(line);
		line = xstrndup(p, (size_t)(nl - p));
		if (nl > p && line[nl - p - 1] == '\r')
			line[nl - p - 1] = '\0';
		if (line[strspn(line, " \t")] == '\0' ||
		    line[strspn(line, " \t")] == '#')
			continue;
		sep = strchr(line, ',') != NULL ? ',' : ';';
		n = csv_split(line, sep, f, 8);
		if (n < 0) {
			err = VG_ERR_CONFIG;
			xasprintf(cause, "%s:%d: a quote is not closed", where,
			    lineno);
			goto out;
		}
		if (out->n == 0 && n > 0 && (strcasecmp(f[0], "address") == 0 ||
		    strcasecmp(f[0], "serial") == 0 ||
		    strcasecmp(f[0], "mac") == 0 ||
		    strcasecmp(f[0], "key") == 0)) {
			for (i = 0; i < n; i++)
				free(f[i]);
			continue;	/* a heading */
		}
		if (n < 3 || f[0][0] == '\0' || f[2][0] == '\0') {
			err = VG_ERR_CONFIG;
			xasprintf(cause, "%s:%d: expected address, serial or "
			    "MAC, then user, then password (%d field%s "
			    "found)", where, lineno, n, n == 1 ? "" : "s");
			for (i = 0; i < n; i++)
				secret_free(f[i]);
			goto out;
		}
		out->v = xreallocarray(out->v, out->n + 1, sizeof *out->v);
		r = &out->v[out->n++];
		memset(r, 0, sizeof *r);
		r->line = lineno;
		if (csv_ipv4(f[0])) {
			r->kind = VG_CRED_KEY_ADDRESS;
			f[0][strcspn(f[0], ":")] = '\0';
			r->key = f[0];
		} else if (csv_mac(f[0], mac)) {
			r->kind = VG_CRED_KEY_MAC;
			r->key = xstrdup(mac);
			free(f[0]);
		} else {
			r->kind = VG_CRED_KEY_SERIAL;
			r->key = f[0];
		}
		r->user = f[1];
		r->password = f[2];
		vg_log_add_secret(r->password);
		r->name = n > 3 && f[3][0] != '\0' ? f[3] : NULL;
		if (n > 3 && r->name == NULL)
			free(f[3]);
		for (i = 4; i < n; i++)
			free(f[i]);
	}
out:
	if (line != NULL) {
		OPENSSL_cleanse(line, strlen(line));
		free(line);
	}
	if (err != VG_OK)
		vg_cred_csv_clear(out);
	return err;
}

/* Read and parse a file; see cred.h. */
int
vg_cred_csv_load(const char *path, struct vg_cred_csv *out, char **cause)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n;
	int err;

	if (f == NULL) {
		err = errno == ENOENT ? VG_ERR_NOTFOUND : VG_ERR_IO;
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return err;
	}
	buf = xmalloc(CSV_MAX + 1);
	n = fread(buf, 1, CSV_MAX + 1, f);
	if (ferror(f) || n > CSV_MAX) {
		err = ferror(f) ? VG_ERR_IO : VG_ERR_CONFIG;
		xasprintf(cause, "%s: %s", path, ferror(f) ?
		    "cannot be read" : "larger than 1 MiB");
		goto out;
	}
	buf[n] = '\0';
	err = vg_cred_csv_parse(buf, path, out, cause);
out:
	fclose(f);
	OPENSSL_cleanse(buf, CSV_MAX + 1);
	free(buf);
	return err;
}

/* Case-insensitive equality of two optional strings. */
static bool
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

/* The row for a camera; see cred.h. */
const struct vg_cred_row *
vg_cred_csv_find(const struct vg_cred_csv *csv, const char *address,
    const char *serial, const char *mac)
{
	static const enum vg_cred_key order[] = { VG_CRED_KEY_MAC,
		VG_CRED_KEY_SERIAL, VG_CRED_KEY_ADDRESS };
	enum vg_cred_key kind;
	char m[18];
	size_t i, k;

	if (mac != NULL && !csv_mac(mac, m))
		mac = NULL;
	for (k = 0; k < sizeof order / sizeof order[0]; k++)
		for (i = 0, kind = order[k]; i < csv->n; i++) {
			const struct vg_cred_row *r = &csv->v[i];

			if (r->kind != kind)
				continue;
			if ((kind == VG_CRED_KEY_MAC && mac != NULL &&
			    same(r->key, m)) || (kind == VG_CRED_KEY_SERIAL &&
			    same(r->key, serial)) ||
			    (kind == VG_CRED_KEY_ADDRESS && same(r->key,
			    address)))
				return r;
		}
	return NULL;
}

/* See cred.h. */
int
vg_cred_lockout(enum vg_onvif_vendor vendor)
{
	switch (vendor) {
	case VG_ONVIF_VENDOR_HIKVISION:
	case VG_ONVIF_VENDOR_DAHUA:
		return 5;
	default:
		return 3;
	}
}

/* See cred.h. */
const char *
vg_cred_admin_user(enum vg_onvif_vendor vendor)
{
	return vendor == VG_ONVIF_VENDOR_AXIS ? "root" : "admin";
}

/* The documented defaults of a vendor, NULL-ended pairs. */
static const char *const *
cred_defaults(enum vg_onvif_vendor vendor)
{
	static const char *const hik[] = { "admin", "12345", NULL };
	static const char *const dahua[] = { "admin", "admin", NULL };
	static const char *const axis[] = { "root", "pass", NULL };
	static const char *const generic[] = { "admin", "admin", NULL };

	switch (vendor) {
	case VG_ONVIF_VENDOR_HIKVISION:
		return hik;
	case VG_ONVIF_VENDOR_DAHUA:
		return dahua;
	case VG_ONVIF_VENDOR_AXIS:
		return axis;
	default:
		return generic;
	}
}

/* Add a candidate unless the pair is listed or the list is full. */
static void
cand_add(struct vg_cred *out, size_t *n, size_t max, const char *user,
    const char *password, enum vg_cred_source src)
{
	size_t i;

	if (*n >= max || password == NULL || *password == '\0')
		return;
	for (i = 0; i < *n; i++)
		if (strcmp(out[i].user, user) == 0 &&
		    strcmp(out[i].password, password) == 0)
			return;
	out[*n].user = user;
	out[*n].password = password;
	out[*n].source = src;
	(*n)++;
}

/* The candidates for one camera; see cred.h. */
size_t
vg_cred_candidates(enum vg_onvif_vendor vendor, const struct vg_cred_row *csv,
    const struct vg_cred *typed, size_t ntyped, int failed,
    struct vg_cred *out, size_t max)
{
	const char *const *d = cred_defaults(vendor);
	const char *admin = vg_cred_admin_user(vendor);
	int budget = vg_cred_lockout(vendor) - 1 - failed;
	size_t n = 0, i;

	if (budget <= 0)
		return 0;
	if ((size_t)budget < max)
		max = (size_t)budget;
	if (csv != NULL)
		cand_add(out, &n, max, csv->user != NULL && *csv->user !=
		    '\0' ? csv->user : admin, csv->password, VG_CRED_CSV);
	for (; d[0] != NULL; d += 2)
		cand_add(out, &n, max, d[0], d[1], VG_CRED_DEFAULT);
	for (i = 0; i < ntyped; i++)
		cand_add(out, &n, max, typed[i].user != NULL &&
		    *typed[i].user != '\0' ? typed[i].user : admin,
		    typed[i].password, VG_CRED_TYPED);
	return n;
}
