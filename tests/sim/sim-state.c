/* sim-state.c - vigia-sim: what a camera remembers across restarts.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With --state DIR, every camera keeps its configuration (address,
 * users, clock offset, encoder settings, network settings, scopes) in
 * DIR/camera-NNN.json, written atomically (temporary file + rename, mode
 * 0600: it holds passwords) whenever it changed.  Without --state the
 * site starts from its defaults every time.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "sim-camera.h"
#include "libvigia.h"

static char *
state_path(const struct sim_camera *cam)
{
	char *p;

	xasprintf(&p, "%s/camera-%03d.json", sim_site.state_dir, cam->index);
	return p;
}

/* Copy a JSON string member into buf if present. */
static void
get_str(json_t *o, const char *key, char *buf, size_t len)
{
	json_t *v = json_object_get(o, key);

	if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
}

static void
get_int(json_t *o, const char *key, int *out, int lo, int hi)
{
	json_t *v = json_object_get(o, key);

	if (json_is_integer(v) && json_integer_value(v) >= lo &&
	    json_integer_value(v) <= hi)
		*out = (int)json_integer_value(v);
}

static void
get_bool(json_t *o, const char *key, bool *out)
{
	json_t *v = json_object_get(o, key);

	if (json_is_boolean(v))
		*out = json_is_true(v);
}

/* Read an array of strings into rows of width w; the count. */
static int
get_strings(json_t *o, const char *key, char *rows, size_t w, int max)
{
	json_t *a = json_object_get(o, key), *v;
	size_t i;
	int n = 0;

	if (!json_is_array(a))
		return -1;
	json_array_foreach(a, i, v) {
		if (n == max || !json_is_string(v))
			break;
		snprintf(rows + (size_t)n * w, w, "%s", json_string_value(v));
		n++;
	}
	return n;
}

/* See sim-camera.h. */
int
sim_state_load(struct sim_camera *cam, char **cause)
{
	struct sim_config *c = &cam->cfg;
	json_error_t jerr;
	json_t *root, *a, *v;
	char *path, model[32] = "";
	size_t i;
	int n, err = -1;
	long off;

	if (sim_site.state_dir == NULL)
		return 0;
	path = state_path(cam);
	if (access(path, F_OK) != 0) {
		free(path);
		return 0;
	}
	root = json_load_file(path, 0, &jerr);
	if (root == NULL) {
		xasprintf(cause, "%s:%d: %s", path, jerr.line, jerr.text);
		goto out;
	}
	get_str(root, "model", model, sizeof model);
	if (strcmp(model, cam->p->key) != 0) {
		xasprintf(cause, "%s: saved for model '%s', camera %d is '%s'",
		    path, model, cam->index, cam->p->key);
		goto out;
	}
	get_str(root, "addr", c->addr, sizeof c->addr);
	get_int(root, "prefix", &c->prefix, 1, 32);
	get_bool(root, "dhcp", &c->dhcp);
	get_str(root, "gateway", c->gateway, sizeof c->gateway);
	get_bool(root, "dns_dhcp", &c->dns_dhcp);
	if ((n = get_strings(root, "dns", &c->dns[0][0], sizeof c->dns[0],
	    2)) >= 0)
		c->ndns = n;
	get_str(root, "search", c->search, sizeof c->search);
	get_bool(root, "ntp_dhcp", &c->ntp_dhcp);
	if ((n = get_strings(root, "ntp", &c->ntp[0][0], sizeof c->ntp[0],
	    2)) >= 0)
		c->nntp = n;
	get_bool(root, "time_ntp", &c->time_ntp);
	get_str(root, "tz", c->tz, sizeof c->tz);
	get_bool(root, "dst", &c->dst);
	v = json_object_get(root, "clock_offset");
	if (json_is_integer(v)) {
		off = (long)json_integer_value(v);
		c->clock_offset = off;
	}
	get_str(root, "hostname", c->hostname, sizeof c->hostname);
	get_bool(root, "hostname_dhcp", &c->hostname_dhcp);
	if ((n = get_strings(root, "scopes", &c->scopes[0][0],
	    sizeof c->scopes[0], SIM_MAX_SCOPES)) >= 0)
		c->nscopes = n;
	get_int(root, "http_port", &c->http_port, 1, 65535);
	get_int(root, "https_port", &c->https_port, 1, 65535);
	a = json_object_get(root, "users");
	if (json_is_array(a)) {
		c->nusers = 0;
		json_array_foreach(a, i, v) {
			struct sim_user *u = &c->users[c->nusers];

			if (c->nusers == SIM_MAX_USERS || !json_is_object(v))
				break;
			memset(u, 0, sizeof *u);
			get_str(v, "name", u->name, sizeof u->name);
			get_str(v, "password", u->password, sizeof u->password);
			u->level = SIM_LEVEL_USER;
			get_int(v, "level", &u->level, 0, 2);
			if (u->name[0] != '\0')
				c->nusers++;
		}
	}
	a = json_object_get(root, "streams");
	if (json_is_array(a)) {
		json_array_foreach(a, i, v) {
			struct sim_stream_cfg *s;
			char codec[8] = "";

			if (i >= 2 || !json_is_object(v))
				break;
			s = &c->stream[i];
			get_str(v, "codec", codec, sizeof codec);
			s->codec = !strcmp(codec, "h265") ? SIM_CODEC_H265 :
			    SIM_CODEC_H264;
			get_int(v, "width", &s->width, 16, 8192);
			get_int(v, "height", &s->height, 16, 8192);
			get_int(v, "fps", &s->fps, 1, 120);
			get_int(v, "bitrate_kbps", &s->bitrate_kbps, 1, 100000);
			get_int(v, "gop", &s->gop, 1, 1000);
			get_str(v, "profile", s->profile, sizeof s->profile);
			get_int(v, "quality", &c->quality[i], 1, 100);
		}
	}
	err = 1;
out:
	json_decref(root);
	free(path);
	return err;
}

/* A JSON array of strings. */
static json_t *
strings(const char *rows, size_t w, int n)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(rows + (size_t)i * w));
	return a;
}

/* See sim-camera.h. */
void
sim_state_save(struct sim_camera *cam)
{
	struct sim_config c;
	json_t *root, *users, *streams;
	char *path, *tmp;
	int i, fd;

	pthread_mutex_lock(&cam->lock);
	if (!cam->dirty || sim_site.state_dir == NULL) {
		cam->dirty = false;
		pthread_mutex_unlock(&cam->lock);
		return;
	}
	c = cam->cfg;
	cam->dirty = false;
	pthread_mutex_unlock(&cam->lock);

	root = json_object();
	json_object_set_new(root, "model", json_string(cam->p->key));
	json_object_set_new(root, "serial", json_string(cam->serial));
	json_object_set_new(root, "addr", json_string(c.addr));
	json_object_set_new(root, "prefix", json_integer(c.prefix));
	json_object_set_new(root, "dhcp", json_boolean(c.dhcp));
	json_object_set_new(root, "gateway", json_string(c.gateway));
	json_object_set_new(root, "dns_dhcp", json_boolean(c.dns_dhcp));
	json_object_set_new(root, "dns", strings(&c.dns[0][0],
	    sizeof c.dns[0], c.ndns));
	json_object_set_new(root, "search", json_string(c.search));
	json_object_set_new(root, "ntp_dhcp", json_boolean(c.ntp_dhcp));
	json_object_set_new(root, "ntp", strings(&c.ntp[0][0],
	    sizeof c.ntp[0], c.nntp));
	json_object_set_new(root, "time_ntp", json_boolean(c.time_ntp));
	json_object_set_new(root, "tz", json_string(c.tz));
	json_object_set_new(root, "dst", json_boolean(c.dst));
	json_object_set_new(root, "clock_offset",
	    json_integer(c.clock_offset));
	json_object_set_new(root, "hostname", json_string(c.hostname));
	json_object_set_new(root, "hostname_dhcp",
	    json_boolean(c.hostname_dhcp));
	json_object_set_new(root, "scopes", strings(&c.scopes[0][0],
	    sizeof c.scopes[0], c.nscopes));
	json_object_set_new(root, "http_port", json_integer(c.http_port));
	json_object_set_new(root, "https_port", json_integer(c.https_port));
	users = json_array();
	for (i = 0; i < c.nusers; i++)
		json_array_append_new(users, json_pack("{s:s, s:s, s:i}",
		    "name", c.users[i].name, "password", c.users[i].password,
		    "level", c.users[i].level));
	json_object_set_new(root, "users", users);
	streams = json_array();
	for (i = 0; i < 2; i++)
		json_array_append_new(streams, json_pack(
		    "{s:s, s:i, s:i, s:i, s:i, s:i, s:s, s:i}",
		    "codec", c.stream[i].codec == SIM_CODEC_H265 ? "h265" :
		    "h264", "width", c.stream[i].width, "height",
		    c.stream[i].height, "fps", c.stream[i].fps,
		    "bitrate_kbps", c.stream[i].bitrate_kbps, "gop",
		    c.stream[i].gop, "profile", c.stream[i].profile,
		    "quality", c.quality[i]));
	json_object_set_new(root, "streams", streams);

	path = state_path(cam);
	xasprintf(&tmp, "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		int bad = json_dumpfd(root, fd, JSON_INDENT(1) |
		    JSON_SORT_KEYS) != 0 || fsync(fd) != 0;

		if (close(fd) != 0 || bad)
			fd = -1;
	}
	if (fd < 0 || rename(tmp, path) != 0) {
		log_warn("sim: camera %d: cannot save %s: %s", cam->index, path,
		    strerror(errno));
		unlink(tmp);
	}
	OPENSSL_cleanse(&c, sizeof c);
	json_decref(root);
	free(tmp);
	free(path);
}
