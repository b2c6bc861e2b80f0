/* wizard-draft.c - how the wizard edits its draft configuration.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No curses here: these functions only use config.h, so that `--apply`
 * and tests can reuse them, and they can move into the core (config.c)
 * as they are.  Key handlers call them; they never decide anything.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ifaddrs.h>
#include <net/if.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "wizard.h"

/* Where the wizard's defaults put local recordings. */
#define WDRAFT_LOCAL_PATH "/var/lib/vigia/segments"
#define WDRAFT_STORAGE_NAME "main"

/* Free and replace a string field (NULL or "" unsets it). */
static void
str_set(char **field, const char *value)
{
	free(*field);
	*field = value != NULL && *value != '\0' ? xstrdup(value) : NULL;
}

/* A new draft with the wizard's defaults. */
struct vg_config *
wdraft_new(void)
{
	struct vg_config *cfg = vg_config_new();
	struct vg_storage *st;

	st = vg_config_add_storage(cfg, WDRAFT_STORAGE_NAME,
	    VG_STORAGE_LOCAL);
	st->path = xstrdup(WDRAFT_LOCAL_PATH);
	wdraft_set_nvr_mode(cfg, 0, VG_NVR_VIGIAD);
	return cfg;
}

/* Index of the entry the wizard edits: the one vigiad or the NVR uses,
 * else the first.  There is always one after wdraft_prepare(). */
size_t
wdraft_storage_index(const struct vg_config *cfg)
{
	const char *ref = cfg->nvr.mode == VG_NVR_FTP ? cfg->nvr.ftp_target :
	    cfg->vigiad.storage;
	size_t i;

	for (i = 0; ref != NULL && i < cfg->nstorage; i++)
		if (cfg->storage[i].name != NULL &&
		    strcmp(cfg->storage[i].name, ref) == 0)
			return i;
	return 0;
}

/* Fit a loaded configuration to the wizard. */
void
wdraft_prepare(struct vg_config *cfg)
{
	struct vg_storage *st;

	if (cfg->nstorage == 0) {
		st = vg_config_add_storage(cfg, WDRAFT_STORAGE_NAME,
		    VG_STORAGE_LOCAL);
		st->path = xstrdup(WDRAFT_LOCAL_PATH);
	}
	wdraft_set_nvr_mode(cfg, wdraft_storage_index(cfg),
	    cfg->nvr.mode == VG_NVR_FTP ? VG_NVR_FTP : VG_NVR_VIGIAD);
}

/* Change the storage type; the port follows when it was the default. */
void
wdraft_set_storage_type(struct vg_config *cfg, size_t i,
    enum vg_storage_type t)
{
	struct vg_storage *st = &cfg->storage[i];

	if (st->port == 0 || st->port == vg_storage_default_port(st->type,
	    st->tls))
		st->port = vg_storage_default_port(t, st->tls);
	st->type = t;
}

/* Change the FTPS mode; the port follows when it was the default. */
void
wdraft_set_ftps_mode(struct vg_config *cfg, size_t i, enum vg_ftps_mode m)
{
	struct vg_storage *st = &cfg->storage[i];

	if (st->port == vg_storage_default_port(st->type, st->tls))
		st->port = vg_storage_default_port(st->type, m);
	st->tls = m;
}

/* Rename storage entry i; the NVR mode's reference follows (even through
 * an empty name while it is retyped). */
void
wdraft_rename_storage(struct vg_config *cfg, size_t i, const char *name)
{
	str_set(&cfg->storage[i].name, name);
	wdraft_set_nvr_mode(cfg, i, cfg->nvr.mode);
}

/* Set the NVR mode and bind the storage entry to it. */
void
wdraft_set_nvr_mode(struct vg_config *cfg, size_t i, enum vg_nvr_mode mode)
{
	const char *name = cfg->storage[i].name;
	enum vg_storage_type t = cfg->storage[i].type;

	cfg->nvr.mode = mode;
	if (mode == VG_NVR_FTP) {
		str_set(&cfg->nvr.ftp_target, name);
		str_set(&cfg->vigiad.storage, NULL);
		if (t == VG_STORAGE_LOCAL || t == VG_STORAGE_S3)
			wdraft_set_storage_type(cfg, i, VG_STORAGE_FTP);
	} else {
		str_set(&cfg->vigiad.storage, name);
		str_set(&cfg->nvr.ftp_target, NULL);
	}
}

/* Join a list as "a; b; c". */
char *
wdraft_list_join(const struct vg_strlist *l)
{
	size_t i, len = 1;
	char *s;

	for (i = 0; i < l->n; i++)
		len += strlen(l->v[i]) + 2;
	s = xmalloc(len);
	*s = '\0';
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			strcat(s, "; ");
		strcat(s, l->v[i]);
	}
	return s;
}

/* Replace a list by the ';'-separated items of text. */
void
wdraft_list_set(struct vg_strlist *l, const char *text)
{
	const char *p = text, *e, *b;
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
	while (p != NULL && *p != '\0') {
		e = strchr(p, ';');
		if (e == NULL)
			e = p + strlen(p);
		for (b = p; b < e && isspace((unsigned char)*b); b++)
			;
		while (e > b && isspace((unsigned char)e[-1]))
			e--;
		if (e > b) {
			l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
			l->v[l->n++] = xstrndup(b, (size_t)(e - b));
		}
		p = strchr(p, ';');
		if (p != NULL)
			p++;
	}
}

/* Replace a secret by an inline value; a file reference is dropped (the
 * file would otherwise be written back instead of what was typed). */
void
wdraft_secret_set(struct vg_secret *s, const char *value)
{
	vg_secret_free(s->value);
	free(s->file);
	s->file = NULL;
	s->value = value != NULL && *value != '\0' ? xstrdup(value) : NULL;
}

/* Drop the ` ("name")` parts of a diagnostic path. */
char *
wdraft_path_norm(const char *path)
{
	char *out = xstrdup(path != NULL ? path : ""), *p, *e;

	while ((p = strstr(out, " (\"")) != NULL &&
	    (e = strstr(p, "\")")) != NULL)
		memmove(p, e + 2, strlen(e + 2) + 1);
	return out;
}

/* $VAR/sub, or ~/fallback/sub; the caller frees it. */
static char *
xdg_path(const char *var, const char *fallback, const char *sub)
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

/* Where a draft is saved. */
char *
wdraft_draft_path(void)
{
	return xdg_path("XDG_STATE_HOME", ".local/state", "vigia/draft.conf");
}

/* The default file to write. */
char *
wdraft_target_path(void)
{
	return vg_config_default_path(false);
}

/* mkdir -p of the directory part of path, new directories mode 0700. */
int
wdraft_mkdirs(const char *path, char **cause)
{
	char *dir = xstrdup(path), *p, c;
	int err = 0;

	p = strrchr(dir, '/');
	if (p == NULL || p == dir)
		goto out;
	*p = '\0';
	for (p = dir + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
			err = errno == EACCES ? VG_ERR_PERM : VG_ERR_IO;
			if (cause != NULL)
				xasprintf(cause, "cannot create %s: %s", dir,
				    strerror(errno));
			goto out;
		}
		*p = c;
		if (c == '\0')
			break;
	}
out:
	free(dir);
	return err;
}

/* 0 weak .. 3 strong: length and kinds of characters. */
int
wdraft_secret_strength(const char *s)
{
	int lower = 0, upper = 0, digit = 0, other = 0, classes, score;
	size_t n = 0;

	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c & 0xc0) != 0x80)
			n++;	/* count characters, not UTF-8 bytes */
		if (islower(c))
			lower = 1;
		else if (isupper(c))
			upper = 1;
		else if (isdigit(c))
			digit = 1;
		else
			other = 1;
	}
	classes = lower + upper + digit + other;
	if (n < 8 || classes < 2)
		return 0;
	score = 1;
	if (n >= 10 && classes >= 3)
		score = 2;
	if (n >= 14 && classes >= 3)
		score = 3;
	return score;
}

/* ---- found cameras ------------------------------------------------------- */

/* Fill the interface list: every IPv4 interface that is up. */
void
wdraft_ifaces_load(struct wdraft_cams *c)
{
	struct ifaddrs *ifa, *p;
	size_t i;

	if (c->nifs > 0 || getifaddrs(&ifa) != 0)
		return;
	for (p = ifa; p != NULL; p = p->ifa_next) {
		if (p->ifa_addr == NULL || p->ifa_addr->sa_family != AF_INET ||
		    !(p->ifa_flags & IFF_UP))
			continue;
		for (i = 0; i < c->nifs; i++)
			if (strcmp(c->ifnames[i], p->ifa_name) == 0)
				break;
		if (i < c->nifs)
			continue;
		c->ifnames = xreallocarray(c->ifnames, c->nifs + 1,
		    sizeof *c->ifnames);
		c->ifon = xreallocarray(c->ifon, c->nifs + 1, sizeof *c->ifon);
		c->ifnames[c->nifs] = xstrdup(p->ifa_name);
		c->ifon[c->nifs] = !(p->ifa_flags & IFF_LOOPBACK);
		c->nifs++;
	}
	freeifaddrs(ifa);
}

/* Free one found camera. */
void
wdraft_found_clear(struct wdraft_found *f)
{
	free(f->endpoint);
	free(f->xaddr);
	free(f->host);
	free(f->path);
	free(f->manufacturer);
	free(f->model);
	free(f->serial);
	free(f->mac);
	free(f->hostname);
	free(f->scope_name);
	free(f->scope_location);
	free(f->camera);
	free(f->open_user);
	if (f->open_password != NULL)
		explicit_bzero(f->open_password, strlen(f->open_password));
	free(f->open_password);
	memset(f, 0, sizeof *f);
}

/* Free everything. */
void
wdraft_cams_clear(struct wdraft_cams *c)
{
	size_t i;

	for (i = 0; i < c->nifs; i++)
		free(c->ifnames[i]);
	free(c->ifnames);
	free(c->ifon);
	for (i = 0; i < c->n; i++)
		wdraft_found_clear(&c->v[i]);
	free(c->v);
	free(c->cred.user);
	free(c->cred.admin_user);
	free(c->net.first);
	free(c->net.gateway);
	wdraft_secret_set(&c->site_admin, NULL);
	free(c->csv_path);
	vg_cred_csv_clear(&c->csv);
	wdraft_list_set(&c->net.dns, "");
	wdraft_list_set(&c->own_cred, "");
	wdraft_list_set(&c->own_enc, "");
	wdraft_secret_set(&c->cred.password, NULL);
	wdraft_secret_set(&c->cred.admin_password, NULL);
	memset(c, 0, sizeof *c);
}

/* Port and path of a device-service URL ("http://h:p/path"). */
static void
url_port_path(const char *url, int *port, char **path)
{
	const char *p = strstr(url, "://"), *slash, *colon;

	*port = strncmp(url, "https:", 6) == 0 ? 443 : 80;
	*path = NULL;
	if (p == NULL)
		return;
	p += 3;
	slash = strchr(p, '/');
	if (*p == '[')
		p = strchr(p, ']') != NULL ? strchr(p, ']') : p;
	colon = strchr(p, ':');
	if (colon != NULL && (slash == NULL || colon < slash))
		*port = atoi(colon + 1);
	if (slash != NULL)
		*path = xstrdup(slash);
}

/* A copy or NULL. */
static char *
dup_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

/* Fill f from a discovered device. */
void
wdraft_found_from_device(struct wdraft_found *f,
    const struct vg_onvif_device *d)
{
	memset(f, 0, sizeof *f);
	f->endpoint = xstrdup(d->endpoint);
	f->xaddr = dup_or_null(d->xaddr);
	if (f->xaddr != NULL) {
		f->host = vg_onvif_url_host(f->xaddr);
		url_port_path(f->xaddr, &f->port, &f->path);
	}
	f->model = dup_or_null(d->scopes.hardware);
	f->mac = dup_or_null(d->scopes.mac);
	f->scope_name = dup_or_null(d->scopes.name);
	f->scope_location = dup_or_null(d->scopes.location);
	f->factory_new = d->scopes.factory_default;
}

/* Merge f into c by endpoint (or by device-service URL). */
void
wdraft_found_merge(struct wdraft_cams *c, struct wdraft_found *f)
{
	struct wdraft_found *o = NULL;
	size_t i;

	for (i = 0; i < c->n && o == NULL; i++)
		if (strcmp(c->v[i].endpoint, f->endpoint) == 0 ||
		    (c->v[i].xaddr != NULL && f->xaddr != NULL &&
		    strcmp(c->v[i].xaddr, f->xaddr) == 0))
			o = &c->v[i];
	if (o == NULL) {
		c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
		c->v[c->n++] = *f;
		memset(f, 0, sizeof *f);
		return;
	}
	f->selected = o->selected;
	f->camera = o->camera;
	o->camera = NULL;
	/* what opened it, and the tries spent, stay with the camera */
	if (f->open_user == NULL && !f->factory_new) {
		f->open_user = o->open_user;
		f->open_password = o->open_password;
		o->open_user = o->open_password = NULL;
		f->access = o->access;
	}
	f->tries_failed = o->tries_failed;
	memcpy(f->tried, o->tried, sizeof f->tried);
	f->ntried = o->ntried;
	wdraft_found_clear(o);
	*o = *f;
	memset(f, 0, sizeof *f);
}

/* The vendor whose password rules apply. */
enum vg_onvif_vendor
wdraft_found_vendor(const struct wdraft_found *f)
{
	if (f->manufacturer != NULL)
		return vg_onvif_vendor_of(f->manufacturer);
	if (f->scope_name != NULL)
		return vg_onvif_vendor_of(f->scope_name);
	return VG_ONVIF_VENDOR_GENERIC;
}

/* Append a camera for f, named from the template cam-01, cam-02...
 * (the first number free; the selection is in address order, so the
 * numbers follow the addresses): short names of one width keep the
 * tables' columns even.  Returns its name (owned by the draft). */
const char *
wdraft_add_found(struct vg_config *cfg, const struct wdraft_found *f)
{
	struct vg_camera *cam;
	char *name = NULL;
	size_t k;

	for (k = 1;; k++) {
		free(name);
		xasprintf(&name, "cam-%02zu", k);
		if (vg_config_find_camera(cfg, name) == NULL)
			break;
	}
	cam = vg_config_add_camera(cfg, name);
	free(name);
	str_set(&cam->match.mac, f->mac);
	str_set(&cam->match.serial, f->serial);
	str_set(&cam->match.address, f->host);
	str_set(&cam->onvif.address, f->host);
	if (f->port > 0)
		cam->onvif.port = f->port;
	if (f->path != NULL && strcmp(f->path, "/onvif/device_service") != 0)
		str_set(&cam->onvif.path, f->path);
	return cam->name;
}

/* Index of the draft camera called name, or cfg->ncameras. */
static size_t
camera_index(const struct vg_config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->ncameras; i++)
		if (cfg->cameras[i].name != NULL &&
		    strcmp(cfg->cameras[i].name, name) == 0)
			break;
	return i;
}

/* Make the draft's cameras follow the selection. */
void
wdraft_sync_selection(struct vg_config *cfg, struct wdraft_cams *c)
{
	size_t i, k;

	for (i = 0; i < c->n; i++) {
		struct wdraft_found *f = &c->v[i];

		if (!f->selected && f->camera != NULL) {
			k = camera_index(cfg, f->camera);
			vg_config_remove_camera(cfg, k);
			free(f->camera);
			f->camera = NULL;
		}
	}
	for (i = 0; i < c->n; i++) {
		struct wdraft_found *f = &c->v[i];

		if (f->selected && f->camera != NULL &&
		    camera_index(cfg, f->camera) == cfg->ncameras) {
			free(f->camera);
			f->camera = NULL;
		}
		if (f->selected && f->camera == NULL && f->host != NULL) {
			f->camera = xstrdup(wdraft_add_found(cfg, f));
			f->templated = true;
		}
	}
}

/* Copy one secret. */
static void
secret_copy(struct vg_secret *dst, const struct vg_secret *src)
{
	wdraft_secret_set(dst, src->value);
}

/* Copy the credentials into the draft. */
void
wdraft_sync_credentials(struct vg_config *cfg, const struct wdraft_cams *c)
{
	size_t i, k;

	str_set(&cfg->defaults.credentials.user, c->cred.user);
	secret_copy(&cfg->defaults.credentials.password, &c->cred.password);
	for (i = 0; i < cfg->ncameras; i++) {
		if (wdraft_own(&c->own_cred, cfg->cameras[i].name))
			continue;
		str_set(&cfg->cameras[i].credentials.user, c->cred.user);
		secret_copy(&cfg->cameras[i].credentials.password,
		    &c->cred.password);
	}
	for (i = 0; i < c->n; i++) {
		const struct wdraft_found *f = &c->v[i];

		if (f->camera == NULL || !f->factory_new ||
		    wdraft_own(&c->own_cred, f->camera) ||
		    (k = camera_index(cfg, f->camera)) == cfg->ncameras)
			continue;
		str_set(&cfg->cameras[k].credentials.admin_user,
		    c->cred.admin_user);
		secret_copy(&cfg->cameras[k].credentials.admin_password,
		    &c->cred.admin_password);
	}
	/* a camera with users: the administrator that opened it */
	for (i = 0; i < c->n; i++) {
		const struct wdraft_found *f = &c->v[i];

		if (f->camera == NULL || f->factory_new ||
		    f->open_user == NULL ||
		    wdraft_own(&c->own_cred, f->camera) ||
		    (k = camera_index(cfg, f->camera)) == cfg->ncameras)
			continue;
		str_set(&cfg->cameras[k].credentials.admin_user, f->open_user);
		wdraft_secret_set(&cfg->cameras[k].credentials.admin_password,
		    f->open_password);
	}
}

/* Rename draft camera old_name to name (letters, digits, '-', '_', '.';
 * not taken): the found camera and the own lists follow.  Returns 0, or
 * -1 with a translated *why (static). */
int
wdraft_rename_camera(struct vg_config *cfg, struct wdraft_cams *c,
    const char *old_name, const char *name, const char **why)
{
	size_t i, k;
	const char *p;
	char *old;

	*why = NULL;
	if (name == NULL || *name == '\0' || strlen(name) > 40) {
		*why = _("a name of 1 to 40 characters is needed");
		return -1;
	}
	for (p = name; *p != '\0'; p++)
		if (!isascii((unsigned char)*p) || (!isalnum((unsigned char)*p) &&
		    *p != '-' && *p != '_' && *p != '.')) {
			*why = _("use letters, digits, '-', '_' or '.'");
			return -1;
		}
	if (strcmp(old_name, name) == 0)
		return 0;	/* unchanged: still the template's if it was */
	if (vg_config_find_camera(cfg, name) != NULL) {
		*why = _("another camera has that name");
		return -1;
	}
	if ((k = camera_index(cfg, old_name)) == cfg->ncameras) {
		*why = _("no such camera");
		return -1;
	}
	/* old_name may be one of the strings replaced below */
	old = xstrdup(old_name);
	free(cfg->cameras[k].name);
	cfg->cameras[k].name = xstrdup(name);
	for (i = 0; i < c->n; i++)
		if (c->v[i].camera != NULL &&
		    strcmp(c->v[i].camera, old) == 0) {
			free(c->v[i].camera);
			c->v[i].camera = xstrdup(name);
			c->v[i].templated = false;
		}
	if (wdraft_own(&c->own_cred, old)) {
		wdraft_own_set(&c->own_cred, old, false);
		wdraft_own_set(&c->own_cred, name, true);
	}
	if (wdraft_own(&c->own_enc, old)) {
		wdraft_own_set(&c->own_enc, old, false);
		wdraft_own_set(&c->own_enc, name, true);
	}
	free(old);
	return 0;
}

/* The standard offset of a POSIX TZ string ("<-05>5", "EST5EDT",
 * "CET-1CEST") as "UTC-05:00" into buf; false if it has none. */
static bool
zone_posix_offset(const char *tz, char *buf, size_t len)
{
	const char *p = tz;
	int sign = 1, h = 0, m = 0;

	if (*p == '<') {
		p = strchr(p, '>');
		if (p == NULL)
			return false;
		p++;
	} else
		while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
			p++;
	if (p == tz || (*p != '+' && *p != '-' && (*p < '0' || *p > '9')))
		return false;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	while (*p >= '0' && *p <= '9')
		h = h * 10 + (*p++ - '0');
	if (*p == ':') {
		p++;
		while (*p >= '0' && *p <= '9')
			m = m * 10 + (*p++ - '0');
	}
	if (h > 24 || m > 59)
		return false;
	/* POSIX counts west of Greenwich as positive: UTC-5 is "5" */
	snprintf(buf, len, "UTC%c%02d:%02d", sign > 0 ? '-' : '+', h, m);
	return true;
}

/* The POSIX rule at the end of a TZif file (RFC 8536 footer) of an IANA
 * name, or NULL; the caller frees it. */
static char *
zone_iana_rule(const char *name)
{
	char *path, buf[4096], *nl, *rule = NULL;
	size_t n, i;
	FILE *f;

	if (strstr(name, "..") != NULL || name[0] == '/')
		return NULL;
	xasprintf(&path, "/usr/share/zoneinfo/%s", name);
	f = fopen(path, "rb");
	free(path);
	if (f == NULL)
		return NULL;
	if (fseek(f, -(long)(sizeof buf - 1), SEEK_END) != 0)
		rewind(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (n < 2 || buf[n - 1] != '\n')
		return NULL;
	buf[n - 1] = '\0';
	/* the data before the footer has NULs: look back by hand */
	for (i = n - 1; i > 0 && buf[i - 1] != '\n'; i--)
		;
	nl = buf + i;
	if (i > 0 && *nl != '\0')
		rule = xstrdup(nl);
	return rule;
}

/* A time zone as the technician knows it; see wizard.h. */
char *
wdraft_zone_text(const char *tz)
{
	char off[32], *rule, *s;

	if (strchr(tz, '/') != NULL && (rule = zone_iana_rule(tz)) != NULL) {
		if (zone_posix_offset(rule, off, sizeof off))
			xasprintf(&s, "%s (%s)", tz, off);
		else
			s = xstrdup(tz);
		free(rule);
		return s;
	}
	if (strcmp(tz, "UTC") == 0 || strcmp(tz, "UTC0") == 0)
		return xstrdup("UTC");
	if (zone_posix_offset(tz, off, sizeof off))
		return xstrdup(off);
	return xstrdup(tz);
}

/* "entrada-norte" from "Entrada Norte": letters and digits lowercased,
 * anything else one '-'; NULL if nothing is left.  Caller frees. */
static char *
scope_slug(const char *src)
{
	char *out = xmalloc(strlen(src) + 1), *o = out;

	for (; *src != '\0' && o - out < 32; src++) {
		unsigned char ch = (unsigned char)*src;

		if (isascii(ch) && isalnum(ch))
			*o++ = (char)tolower(ch);
		else if (o > out && o[-1] != '-')
			*o++ = '-';
	}
	while (o > out && o[-1] == '-')
		o--;
	*o = '\0';
	if (o == out) {
		free(out);
		return NULL;
	}
	return out;
}

/* Name the ticked cameras after their scopes; see wizard.h. */
size_t
wdraft_names_from_scopes(struct vg_config *cfg, struct wdraft_cams *c)
{
	size_t i, n = 0;
	const char *why;
	char *base, *name;
	int k;

	for (i = 0; i < c->n; i++) {
		struct wdraft_found *f = &c->v[i];
		const char *src = f->scope_name != NULL ? f->scope_name :
		    f->scope_location;

		if (!f->selected || f->camera == NULL || src == NULL ||
		    (base = scope_slug(src)) == NULL)
			continue;
		for (k = 1; k < 100; k++) {
			if (k == 1)
				name = xstrdup(base);
			else
				xasprintf(&name, "%s-%d", base, k);
			if (strcmp(name, f->camera) == 0 ||
			    wdraft_rename_camera(cfg, c, f->camera, name,
			    &why) == 0) {
				free(name);
				n++;
				break;
			}
			free(name);
		}
		free(base);
	}
	return n;
}

/* Whether draft camera name is a found camera that nothing opened: the
 * steps leave it alone, so that no login is wasted on it (lockout). */
bool
wdraft_camera_locked(const struct wdraft_cams *c, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < c->n; i++)
		if (c->v[i].camera != NULL &&
		    strcmp(c->v[i].camera, name) == 0)
			return c->v[i].access == WDRAFT_ACCESS_LOCKED &&
			    c->v[i].open_user == NULL;
	return false;
}

/* ---- per-camera settings ------------------------------------------------- */

bool
wdraft_own(const struct vg_strlist *own, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < own->n; i++)
		if (strcmp(own->v[i], name) == 0)
			return true;
	return false;
}

void
wdraft_own_set(struct vg_strlist *own, const char *name, bool on)
{
	size_t i;

	for (i = 0; i < own->n; i++)
		if (strcmp(own->v[i], name) == 0)
			break;
	if (on && i == own->n) {
		own->v = xreallocarray(own->v, own->n + 1, sizeof *own->v);
		own->v[own->n++] = xstrdup(name);
	} else if (!on && i < own->n) {
		free(own->v[i]);
		own->v[i] = own->v[--own->n];
	}
}

/* Two strings, either NULL, are the same. */
static bool
str_equal(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

const char **
wdraft_camera_choices(const struct vg_config *cfg,
    const struct wdraft_cams *c, const char **old)
{
	char **lab = xcalloc(cfg->ncameras + 1, sizeof *lab), *p;
	const char **v;
	size_t i, k, len = 0;

	free(old);
	/* "cam-01  127.0.0.1  DS-2CD2143G2-I": where a camera is picked,
	 * its address and model say which one it is */
	for (i = 0; i < cfg->ncameras; i++) {
		const struct vg_camera *cam = &cfg->cameras[i];
		const struct wdraft_found *f = NULL;
		const char *addr = cam->onvif.address != NULL ?
		    cam->onvif.address : cam->match.address;

		for (k = 0; c != NULL && k < c->n && f == NULL; k++)
			if (c->v[k].camera != NULL &&
			    strcmp(c->v[k].camera, cam->name) == 0)
				f = &c->v[k];
		xasprintf(&lab[i], "%s  %s  %s", cam->name, addr != NULL ?
		    addr : "", f != NULL && f->model != NULL ? f->model : "");
		len += strlen(lab[i]) + 1;
	}
	/* one block, so that the caller's free() frees the labels too */
	v = xmalloc((cfg->ncameras + 2) * sizeof *v + len);
	p = (char *)(v + cfg->ncameras + 2);
	v[0] = N_("All cameras");
	for (i = 0; i < cfg->ncameras; i++) {
		strcpy(p, lab[i]);
		v[i + 1] = p;
		p += strlen(lab[i]) + 1;
		free(lab[i]);
	}
	v[cfg->ncameras + 1] = NULL;
	free(lab);
	return v;
}

void
wdraft_own_load(struct wdraft_cams *c, const struct vg_config *cfg)
{
	const struct vg_camera_credentials *d = &cfg->defaults.credentials;
	size_t i;

	wdraft_list_set(&c->own_cred, "");
	wdraft_list_set(&c->own_enc, "");
	for (i = 0; i < cfg->ncameras; i++) {
		const struct vg_camera *cam = &cfg->cameras[i];

		if (!str_equal(cam->credentials.user, d->user) ||
		    !str_equal(cam->credentials.password.value,
		    d->password.value))
			wdraft_own_set(&c->own_cred, cam->name, true);
		if (!wdraft_encoder_equal(&cam->encoder,
		    &cfg->defaults.encoder))
			wdraft_own_set(&c->own_enc, cam->name, true);
	}
}

/* Both lists hold the same strings in the same order. */
static bool
list_equal(const struct vg_strlist *a, const struct vg_strlist *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

/* Replace dst by a copy of src. */
static void
list_copy(struct vg_strlist *dst, const struct vg_strlist *src)
{
	size_t i;

	wdraft_list_set(dst, "");
	dst->v = src->n > 0 ? xcalloc(src->n, sizeof *dst->v) : NULL;
	for (i = 0; i < src->n; i++)
		dst->v[i] = xstrdup(src->v[i]);
	dst->n = src->n;
}


bool
wdraft_time_equal(const struct vg_camera_time *a,
    const struct vg_camera_time *b)
{
	return list_equal(&a->ntp, &b->ntp) && str_equal(a->timezone,
	    b->timezone) && a->max_drift_s == b->max_drift_s;
}

void
wdraft_time_copy(struct vg_camera_time *dst, const struct vg_camera_time *src)
{
	list_copy(&dst->ntp, &src->ntp);
	str_set(&dst->timezone, src->timezone);
	dst->max_drift_s = src->max_drift_s;
}

void
wdraft_time_clear(struct vg_camera_time *t)
{
	wdraft_list_set(&t->ntp, "");
	free(t->timezone);
	memset(t, 0, sizeof *t);
}

void
wdraft_sync_time(struct vg_config *cfg, const struct vg_camera_time *before)
{
	size_t i;

	for (i = 0; i < cfg->ncameras; i++)
		if (wdraft_time_equal(&cfg->cameras[i].time, before))
			wdraft_time_copy(&cfg->cameras[i].time,
			    &cfg->defaults.time);
}

bool
wdraft_encoder_equal(const struct vg_camera_encoder *a,
    const struct vg_camera_encoder *b)
{
	return a->codec == b->codec && a->width == b->width &&
	    a->height == b->height && a->fps == b->fps &&
	    a->bitrate_kbps == b->bitrate_kbps && a->gop == b->gop &&
	    a->profile == b->profile && a->quality == b->quality;
}

void
wdraft_sync_encoder(struct vg_config *cfg, const struct wdraft_cams *c)
{
	size_t i;

	for (i = 0; i < cfg->ncameras; i++)
		if (!wdraft_own(&c->own_enc, cfg->cameras[i].name))
			cfg->cameras[i].encoder = cfg->defaults.encoder;
}

/* ---- addresses from a range ---------------------------------------------- */

/* An IPv4 address in host order; false if s is not one. */
static bool
ip4(const char *s, uint32_t *out)
{
	struct in_addr a;

	if (s == NULL || inet_pton(AF_INET, s, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

/* Dotted text of a host-order address; caller frees. */
static char *
ip4_text(uint32_t v)
{
	char *s;

	xasprintf(&s, "%u.%u.%u.%u", v >> 24, (v >> 16) & 0xff,
	    (v >> 8) & 0xff, v & 0xff);
	return s;
}

/* The address a camera answers on now. */
static const char *
cam_now(const struct vg_camera *cam)
{
	return cam->onvif.address != NULL ? cam->onvif.address :
	    cam->match.address;
}

/* Who holds address a now, other than camera `self` (or NULL). */
static char *
addr_holder(const struct vg_config *cfg, const struct wdraft_cams *c,
    const char *self, const char *a)
{
	char *who = NULL;
	size_t i;

	for (i = 0; i < cfg->ncameras; i++) {
		const char *now = cam_now(&cfg->cameras[i]);

		if (now != NULL && strcmp(now, a) == 0 &&
		    !str_equal(cfg->cameras[i].name, self)) {
			/* TRANSLATORS: %s is a camera name */
			xasprintf(&who, _("camera %s has it"),
			    cfg->cameras[i].name);
			return who;
		}
	}
	for (i = 0; i < c->n; i++) {
		const struct wdraft_found *f = &c->v[i];

		if (f->host == NULL || strcmp(f->host, a) != 0 ||
		    (f->camera != NULL && str_equal(f->camera, self)))
			continue;
		/* TRANSLATORS: a device that was found but not ticked */
		xasprintf(&who, _("%s %s answers there (not selected)"),
		    f->manufacturer != NULL ? f->manufacturer : "ONVIF",
		    f->model != NULL ? f->model : "");
		return who;
	}
	return NULL;
}

int
wdraft_net_assign(struct vg_config *cfg, const struct wdraft_cams *c,
    struct vg_strlist *notes)
{
	const struct wdraft_net *n = &c->net;
	uint32_t first, gw = 0, mask, next, net, bcast;
	bool have_gw;
	char *a, *who, *line;
	int missing = 0;
	size_t i;

	wdraft_list_set(notes, "");
	for (i = 0; i < cfg->ncameras; i++) {
		struct vg_camera_network *cn = &cfg->cameras[i].network;

		if (n->mode != VG_NETWORK_STATIC) {
			cn->mode = n->mode;
			str_set(&cn->address, NULL);
			str_set(&cn->gateway, NULL);
			wdraft_list_set(&cn->dns, "");
			cn->prefix = 0;
		}
	}
	if (n->mode != VG_NETWORK_STATIC)
		return 0;
	if (!ip4(n->first, &first) || n->prefix < 1 || n->prefix > 32)
		return -1;	/* the page shows the field's problem */
	have_gw = ip4(n->gateway, &gw);
	mask = n->prefix == 32 ? 0xffffffffu : ~(0xffffffffu >> n->prefix);
	net = first & mask;
	bcast = net | ~mask;
	next = first;
	for (i = 0; i < cfg->ncameras; i++) {
		struct vg_camera *cam = &cfg->cameras[i];
		struct vg_camera_network *cn = &cam->network;

		cn->mode = VG_NETWORK_STATIC;
		cn->prefix = n->prefix;
		str_set(&cn->gateway, n->gateway);
		list_copy(&cn->dns, &n->dns);
		str_set(&cn->address, NULL);
		for (;; next++) {
			if ((next & mask) != net || next < first ||
			    (n->prefix < 31 && (next == net ||
			    next == bcast))) {
				missing++;
				a = ip4_text(next - 1);
				/* TRANSLATORS: camera name, last address */
				xasprintf(&line, _("No address left for camera "
				    "%s: the range ends at %s."), cam->name, a);
				free(a);
				wdraft_own_set(notes, line, true);
				free(line);
				break;
			}
			if (have_gw && next == gw) {
				a = ip4_text(next);
				xasprintf(&line, _("%s skipped: it is the "
				    "gateway."), a);
				wdraft_own_set(notes, line, true);
				free(line);
				free(a);
				continue;
			}
			a = ip4_text(next);
			who = addr_holder(cfg, c, cam->name, a);
			if (who != NULL) {
				/* TRANSLATORS: address, who holds it */
				xasprintf(&line, _("%s skipped: %s."), a, who);
				wdraft_own_set(notes, line, true);
				free(line);
				free(who);
				free(a);
				continue;
			}
			cn->address = a;
			next++;
			break;
		}
		if (cn->address == NULL)
			break;
	}
	for (i++; i < cfg->ncameras; i++) {
		missing++;
		str_set(&cfg->cameras[i].network.address, NULL);
	}
	return missing;
}

void
wdraft_net_load(struct wdraft_cams *c, const struct vg_config *cfg)
{
	struct wdraft_net *n = &c->net;
	size_t i;

	if (n->loaded)
		return;
	n->loaded = true;
	n->mode = VG_NETWORK_KEEP;
	for (i = 0; i < cfg->ncameras; i++) {
		const struct vg_camera_network *cn = &cfg->cameras[i].network;

		if (cn->mode == VG_NETWORK_KEEP)
			continue;
		n->mode = cn->mode;
		if (cn->mode != VG_NETWORK_STATIC)
			break;
		str_set(&n->first, cn->address);
		n->prefix = cn->prefix;
		str_set(&n->gateway, cn->gateway);
		list_copy(&n->dns, &cn->dns);
		break;
	}
	if (n->prefix == 0)
		n->prefix = 24;
}

/* ---- names from the template, tables of the draft's cameras ------------ */

/* Address order of found cameras ("127.0.0.9" before "127.0.0.10"). */
static int
found_addr_cmp(const struct wdraft_found *x, const struct wdraft_found *y)
{
	int k = strverscmp(x->host != NULL ? x->host : "",
	    y->host != NULL ? y->host : "");

	return k != 0 ? k : x->port - y->port;
}

/* Replace a name in an own list by a new one, after the renaming of every
 * template camera at once (olds[k] -> news[k]). */
static void
own_follow(struct vg_strlist *own, char **olds, char **news, size_t n)
{
	size_t i, k;

	for (i = 0; i < own->n; i++)
		for (k = 0; k < n; k++)
			if (strcmp(own->v[i], olds[k]) == 0) {
				free(own->v[i]);
				own->v[i] = xstrdup(news[k]);
				break;
			}
}

size_t
wdraft_renumber(struct vg_config *cfg, struct wdraft_cams *c)
{
	size_t *ord, *slot, n = 0, nt = 0, i, k, pos, changed = 0, num;
	struct vg_camera *cams;
	char **olds, **news, *name = NULL;
	bool taken;

	/* the ticked cameras in the draft, in address order */
	ord = xreallocarray(NULL, c->n + 1, sizeof *ord);
	for (i = 0; i < c->n; i++)
		if (c->v[i].selected && c->v[i].camera != NULL &&
		    camera_index(cfg, c->v[i].camera) < cfg->ncameras)
			ord[n++] = i;
	for (i = 1; i < n; i++)		/* insertion sort: a few dozen */
		for (k = i; k > 0 && found_addr_cmp(&c->v[ord[k - 1]],
		    &c->v[ord[k]]) > 0; k--) {
			pos = ord[k];
			ord[k] = ord[k - 1];
			ord[k - 1] = pos;
		}
	olds = xcalloc(n + 1, sizeof *olds);
	news = xcalloc(n + 1, sizeof *news);
	slot = xcalloc(n + 1, sizeof *slot);
	/* the new names: the place among the ticked cameras, else the first
	 * number that no other camera (nor a new name) holds */
	for (pos = 0; pos < n; pos++) {
		struct wdraft_found *f = &c->v[ord[pos]];

		if (!f->templated)
			continue;
		for (num = 0;; num++) {
			free(name);
			xasprintf(&name, "cam-%02zu", num == 0 ? pos + 1 : num);
			taken = false;
			for (i = 0; i < cfg->ncameras && !taken; i++) {
				bool tmpl = false;

				for (k = 0; k < n && !tmpl; k++)
					tmpl = c->v[ord[k]].templated &&
					    strcmp(c->v[ord[k]].camera,
					    cfg->cameras[i].name) == 0;
				taken = !tmpl &&
				    strcmp(cfg->cameras[i].name, name) == 0;
			}
			for (k = 0; k < nt && !taken; k++)
				taken = strcmp(news[k], name) == 0;
			if (!taken)
				break;
		}
		olds[nt] = xstrdup(f->camera);
		news[nt] = name;
		name = NULL;
		slot[nt] = camera_index(cfg, f->camera);
		nt++;
	}
	free(name);
	/* rename them all at once (a name may pass from one to another) */
	for (k = 0; k < nt; k++) {
		changed += strcmp(olds[k], news[k]) != 0;
		free(cfg->cameras[slot[k]].name);
		cfg->cameras[slot[k]].name = xstrdup(news[k]);
	}
	for (i = 0; i < c->n; i++)
		for (k = 0; k < nt && c->v[i].camera != NULL; k++)
			if (c->v[i].templated &&
			    strcmp(c->v[i].camera, olds[k]) == 0) {
				free(c->v[i].camera);
				c->v[i].camera = xstrdup(news[k]);
				break;
			}
	own_follow(&c->own_cred, olds, news, nt);
	own_follow(&c->own_enc, olds, news, nt);
	/* their draft entries in address order, in the slots they held (the
	 * addresses from a range are given in the draft's order) */
	cams = xcalloc(nt + 1, sizeof *cams);
	for (k = 0; k < nt; k++)
		cams[k] = cfg->cameras[slot[k]];
	for (i = 1; i < nt; i++)	/* the slots, ascending */
		for (k = i; k > 0 && slot[k - 1] > slot[k]; k--) {
			pos = slot[k];
			slot[k] = slot[k - 1];
			slot[k - 1] = pos;
		}
	for (k = 0; k < nt; k++)
		cfg->cameras[slot[k]] = cams[k];
	free(cams);
	for (k = 0; k < nt; k++) {
		free(olds[k]);
		free(news[k]);
	}
	free(olds);
	free(news);
	free(slot);
	free(ord);
	return changed;
}

/* A copy or NULL, for the view. */
static char *
dup_maybe(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
wdraft_cams_view(const struct vg_config *cfg, const struct wdraft_cams *c,
    struct wdraft_cams *view)
{
	size_t i, k;

	memset(view, 0, sizeof *view);
	view->v = xcalloc(cfg->ncameras + 1, sizeof *view->v);
	view->n = cfg->ncameras;
	for (i = 0; i < cfg->ncameras; i++) {
		const struct vg_camera *cam = &cfg->cameras[i];
		const struct wdraft_found *f = NULL;
		struct wdraft_found *v = &view->v[i];

		for (k = 0; c != NULL && k < c->n && f == NULL; k++)
			if (c->v[k].camera != NULL &&
			    strcmp(c->v[k].camera, cam->name) == 0)
				f = &c->v[k];
		if (f != NULL) {
			v->endpoint = dup_maybe(f->endpoint);
			v->xaddr = dup_maybe(f->xaddr);
			v->host = dup_maybe(f->host);
			v->port = f->port;
			v->path = dup_maybe(f->path);
			v->manufacturer = dup_maybe(f->manufacturer);
			v->model = dup_maybe(f->model);
			v->serial = dup_maybe(f->serial);
			v->mac = dup_maybe(f->mac);
			v->hostname = dup_maybe(f->hostname);
			v->scope_name = dup_maybe(f->scope_name);
			v->scope_location = dup_maybe(f->scope_location);
			v->looked = f->looked;
			v->identified = f->identified;
			v->access = f->access;
			v->factory_new = f->factory_new;
			v->selected = f->selected;
			v->templated = f->templated;
			v->open_user = dup_maybe(f->open_user);
		} else {
			v->serial = dup_maybe(cam->match.serial);
			v->mac = dup_maybe(cam->match.mac);
			v->looked = true;
			v->loaded = true;
			v->selected = true;
		}
		/* where the camera is now (it may have moved since the
		 * search) */
		if (cam_now(cam) != NULL) {
			free(v->host);
			v->host = xstrdup(cam_now(cam));
			v->port = cam->onvif.port > 0 ? cam->onvif.port : 80;
		}
		v->camera = xstrdup(cam->name);
	}
}

void
wdraft_view_clear(struct wdraft_cams *view)
{
	size_t i;

	for (i = 0; i < view->n; i++)
		wdraft_found_clear(&view->v[i]);
	free(view->v);
	memset(view, 0, sizeof *view);
}
