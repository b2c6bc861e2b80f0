/* ls-project.c - Label Studio projects for video: templates, server-side
 * validation, ensure by id or title, the resolver-only S3 storage.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libvigia.h"
#include "ls.h"

const char *
vg_ls_template_dir(void)
{
	const char *dir = getenv("VIGIA_LABEL_CONFIG_DIR");
#if defined(VG_BUILDDIR) && defined(VG_SRCDIR)
	static char exe[PATH_MAX];
	size_t n = strlen(VG_BUILDDIR);
	ssize_t len;
#endif

	if (dir != NULL && *dir != '\0')
		return dir;
#if defined(VG_BUILDDIR) && defined(VG_SRCDIR)
	/* a program run from the build tree reads the source tree's */
	len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0 && (size_t)len > n) {
		exe[len] = '\0';
		if (strncmp(exe, VG_BUILDDIR, n) == 0 && exe[n] == '/' &&
		    access(VG_SRCDIR "/data/label-configs", F_OK) == 0)
			return VG_SRCDIR "/data/label-configs";
	}
#endif
	return PKGDATADIR "/label-configs";
}

/* Read a whole file (allocated), or NULL. */
static char *
ls_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = NULL;
	size_t n = 0, cap = 0, got;

	if (f == NULL)
		return NULL;
	do {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			if (cap > 1024 * 1024)
				break;
			s = xrealloc(s, cap + 1);
		}
		got = fread(s + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	if (s == NULL)
		s = xmalloc(1);
	s[n] = '\0';
	return s;
}

/* Append XML-escaped s to *out. */
static void
ls_xml_escape(char **out, size_t *n, const char *s)
{
	for (; *s != '\0'; s++) {
		const char *rep = NULL;
		char one[2] = { *s, '\0' };
		size_t m;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default: rep = one; break;
		}
		m = strlen(rep);
		*out = xrealloc(*out, *n + m + 1);
		memcpy(*out + *n, rep, m);
		*n += m;
		(*out)[*n] = '\0';
	}
}

static void
ls_append(char **out, size_t *n, const char *s, size_t m)
{
	*out = xrealloc(*out, *n + m + 1);
	memcpy(*out + *n, s, m);
	*n += m;
	(*out)[*n] = '\0';
}

int
vg_ls_render_config(const char *template, double fps,
    const char *const *labels, size_t nl, char **xml, char **cause)
{
	static const char *const colors[] = { "#e5484d", "#3e63dd",
	    "#30a46c", "#f76b15", "#8e4ec6", "#0090ff", "#ffc53d",
	    "#12a594" };
	char *path = NULL, *src = NULL, *out = NULL, *def = NULL, **dl = NULL;
	const char *p, *view, *m;
	size_t n = 0, i, ndl = 0;
	int err = 0;

	*xml = NULL;
	if (template[0] == '/')
		path = xstrdup(template);
	else
		xasprintf(&path, "%s/%s.xml", vg_ls_template_dir(), template);
	if ((src = ls_slurp(path)) == NULL) {
		if (cause != NULL)
			xasprintf(cause, "cannot read the label config "
			    "template %s", path);
		err = VG_ERR_NOTFOUND;
		goto out;
	}
	/* the template's own values, from "vigia-labels: a,b,c" */
	if ((m = strstr(src, "vigia-labels:")) != NULL) {
		size_t len;

		m += strlen("vigia-labels:");
		m += strspn(m, " ");
		len = strcspn(m, " \n-");
		def = xstrndup(m, len);
		for (p = def; *p != '\0';) {
			size_t k = strcspn(p, ",");

			dl = xreallocarray(dl, ndl + 1, sizeof *dl);
			dl[ndl++] = xstrndup(p, k);
			p += k + (p[k] == ',');
		}
	}
	if (labels == NULL || nl == 0) {
		labels = (const char *const *)dl;
		nl = ndl;
	}
	if ((view = strstr(src, "<View")) == NULL) {
		if (cause != NULL)
			xasprintf(cause, "the label config %s has no <View>",
			    path);
		err = VG_ERR_CONFIG;
		goto out;
	}
	for (p = view; *p != '\0';) {
		const char *at = strchr(p, '@');

		if (at == NULL) {
			ls_append(&out, &n, p, strlen(p));
			break;
		}
		ls_append(&out, &n, p, (size_t)(at - p));
		if (strncmp(at, "@FPS@", 5) == 0) {
			char num[32];

			if (fps > 0) {
				snprintf(num, sizeof num, "%.3f", fps);
				/* 25.000 -> 25, 29.970 -> 29.97 */
				while (strchr(num, '.') != NULL &&
				    (num[strlen(num) - 1] == '0' ||
				    num[strlen(num) - 1] == '.'))
					num[strlen(num) - 1] = '\0';
			} else
				snprintf(num, sizeof num, "$fps");
			ls_append(&out, &n, num, strlen(num));
			p = at + 5;
		} else if (strncmp(at, "@LABELS@", 8) == 0 ||
		    strncmp(at, "@CHOICES@", 9) == 0) {
			bool ch = at[1] == 'C';

			for (i = 0; i < nl; i++) {
				ls_append(&out, &n, ch ? "    <Choice value=\"" :
				    "    <Label value=\"", ch ? 19 : 18);
				ls_xml_escape(&out, &n, labels[i]);
				if (ch)
					ls_append(&out, &n, "\"/>\n", 4);
				else {
					char bg[40];

					snprintf(bg, sizeof bg, "\" background="
					    "\"%s\"/>\n", colors[i % 8]);
					ls_append(&out, &n, bg, strlen(bg));
				}
			}
			if (n > 0 && out[n - 1] == '\n')
				out[--n] = '\0';
			p = at + (ch ? 9 : 8);
		} else {
			ls_append(&out, &n, at, 1);
			p = at + 1;
		}
	}
	if (nl == 0 && (strstr(view, "@LABELS@") || strstr(view,
	    "@CHOICES@"))) {
		if (cause != NULL)
			xasprintf(cause, "no label values for the template %s",
			    path);
		err = VG_ERR_CONFIG;
		goto out;
	}
	*xml = out;
	out = NULL;
out:
	for (i = 0; i < ndl; i++)
		free(dl[i]);
	free(dl);
	free(def);
	free(out);
	free(src);
	free(path);
	return err;
}

int
vg_ls_config_validate(struct vg_ls *ls, int project_id, const char *xml,
    char **cause)
{
	json_t *b = json_pack("{s:s}", "label_config", xml);
	char path[64], *c = NULL, *release = NULL;
	long st = 0;
	int err;

	if (project_id > 0) {
		snprintf(path, sizeof path, "/api/projects/%d/validate/",
		    project_id);
		err = vg_ls_call(ls, "POST", path, NULL, b, NULL, &st, &c);
	} else
		err = vg_ls_call_raw(ls, "POST", "/api/projects/validate/",
		    NULL, b, false, NULL, &st, &c);
	json_decref(b);
	if (err == 0 || st != 400) {
		if (cause != NULL)
			*cause = c;
		else
			free(c);
		return err;
	}
	if (strstr(xml, "<TimelineLabels") != NULL &&
	    strstr(c, "TimelineLabels") != NULL) {
		vg_ls_version(ls, &release, NULL);
		if (cause != NULL)
			xasprintf(cause, "this Label Studio (%s) has no "
			    "TimelineLabels: use the video-tracking or "
			    "video-classification template, or upgrade "
			    "Label Studio (%s)", release ? release : "?", c);
		free(release);
	} else if (cause != NULL)
		xasprintf(cause, "Label Studio says the label config is "
		    "invalid: %s", c);
	free(c);
	return VG_ERR_CONFIG;
}

int
vg_ls_project_find(struct vg_ls *ls, const char *title, int *id,
    char **cause)
{
	char *t = vg_ls_escape(title), *q = NULL;
	json_t *j = NULL, *r, *p;
	int page, err = 0;
	size_t i;

	*id = 0;
	for (page = 1; page < 1000; page++) {
		free(q);
		xasprintf(&q, "title=%s&page_size=100&page=%d", t, page);
		if ((err = vg_ls_call(ls, "GET", "/api/projects/", q, NULL, &j,
		    NULL, cause)) != 0)
			break;
		r = json_object_get(j, "results");
		json_array_foreach(r, i, p) {
			const char *pt = json_string_value(json_object_get(p,
			    "title"));
			int pid = (int)json_integer_value(json_object_get(p,
			    "id"));

			/* ?title= is "contains": compare exactly; the
			 * oldest wins */
			if (pt != NULL && strcmp(pt, title) == 0 &&
			    (*id == 0 || pid < *id))
				*id = pid;
		}
		if (!json_is_string(json_object_get(j, "next"))) {
			json_decref(j);
			break;
		}
		json_decref(j);
	}
	free(q);
	free(t);
	return err;
}

int
vg_ls_project_ensure(struct vg_ls *ls, int id, const char *title,
    const char *xml, bool replace, int *out_id, bool *created,
    char **cause)
{
	json_t *j = NULL, *b;
	char path[64], *c = NULL;
	const char *cur;
	int err;

	*out_id = 0;
	if (created != NULL)
		*created = false;
	if (id <= 0) {
		if (title == NULL || strlen(title) < 3 || strlen(title) > 50) {
			if (cause != NULL)
				xasprintf(cause, "the Label Studio project "
				    "title \"%s\" must have 3 to 50 characters",
				    title ? title : "");
			return VG_ERR_CONFIG;
		}
		if ((err = vg_ls_project_find(ls, title, &id, cause)) != 0)
			return err;
	}
	if (id <= 0) {
		if (xml != NULL &&
		    (err = vg_ls_config_validate(ls, 0, xml, cause)) != 0)
			return err;
		b = json_pack("{s:s,s:s}", "title", title, "description",
		    "Video segments recorded by vigia");
		if (xml != NULL)
			json_object_set_new(b, "label_config",
			    json_string(xml));
		err = vg_ls_call(ls, "POST", "/api/projects/", NULL, b, &j,
		    NULL, cause);
		json_decref(b);
		if (err != 0)
			return err;
		*out_id = (int)json_integer_value(json_object_get(j, "id"));
		json_decref(j);
		if (*out_id <= 0) {
			if (cause != NULL)
				*cause = xstrdup("Label Studio created the "
				    "project but its reply has no id");
			return VG_ERR_PROTO;
		}
		if (created != NULL)
			*created = true;
		log_info("label studio: created project %d \"%s\"", *out_id,
		    title);
		return 0;
	}
	snprintf(path, sizeof path, "/api/projects/%d/", id);
	err = vg_ls_call(ls, "GET", path, NULL, NULL, &j, NULL, &c);
	if (err == VG_ERR_NOTFOUND) {
		if (cause != NULL)
			xasprintf(cause, "Label Studio has no project %d "
			    "(or this token's organization cannot see it)",
			    id);
		free(c);
		return err;
	}
	if (err != 0) {
		if (cause != NULL)
			*cause = c;
		else
			free(c);
		return err;
	}
	cur = json_string_value(json_object_get(j, "label_config"));
	if (xml != NULL && (cur == NULL || (strcmp(cur, xml) != 0 &&
	    (replace || strcmp(cur, "<View></View>") == 0 || *cur == '\0')))) {
		if ((err = vg_ls_config_validate(ls, id, xml, cause)) != 0) {
			json_decref(j);
			return err;
		}
		b = json_pack("{s:s}", "label_config", xml);
		err = vg_ls_call(ls, "PATCH", path, NULL, b, NULL, NULL, cause);
		json_decref(b);
		if (err != 0) {
			json_decref(j);
			return err;
		}
		log_info("label studio: project %d: label config updated", id);
	}
	json_decref(j);
	*out_id = id;
	return 0;
}

/* The resolver-only storage's body for s3 in project. */
static json_t *
ls_storage_body(int project_id, const struct vg_ls_s3 *s3)
{
	int ttl_min = (s3->presign_ttl_s + 59) / 60;
	json_t *b;

	if (ttl_min > 32767)
		ttl_min = 32767;
	if (ttl_min < 1)
		ttl_min = 1;
	b = json_pack("{s:i,s:s,s:s,s:s,s:b,s:i,s:b,s:b,s:b}",
	    "project", project_id, "title", "vigia (s3:// resolver)",
	    "description", "Resolves the s3:// URIs of vigia's tasks; never "
	    "synchronized", "bucket", s3->bucket, "presign", 1, "presign_ttl",
	    ttl_min, "synchronizable", 0, "use_blob_urls", 0,
	    "recursive_scan", 0);
	if (s3->region != NULL)
		json_object_set_new(b, "region_name", json_string(s3->region));
	if (s3->endpoint != NULL)
		json_object_set_new(b, "s3_endpoint",
		    json_string(s3->endpoint));
	if (s3->access_key != NULL)
		json_object_set_new(b, "aws_access_key_id",
		    json_string(s3->access_key));
	if (s3->secret_key != NULL)
		json_object_set_new(b, "aws_secret_access_key",
		    json_string(s3->secret_key));
	return b;
}

int
vg_ls_storage_find(struct vg_ls *ls, int project_id, const char *bucket,
    int *storage_id, char **cause)
{
	json_t *list = NULL, *s;
	char q[64];
	size_t i;
	int err;

	*storage_id = 0;
	snprintf(q, sizeof q, "project=%d", project_id);
	if ((err = vg_ls_call(ls, "GET", "/api/storages/s3/", q, NULL, &list,
	    NULL, cause)) != 0)
		return err;
	json_array_foreach(list, i, s) {
		const char *bk = json_string_value(json_object_get(s,
		    "bucket"));
		const char *px = json_string_value(json_object_get(s,
		    "prefix"));

		if (bk != NULL && strcmp(bk, bucket) == 0 &&
		    (px == NULL || *px == '\0') &&
		    json_is_true(json_object_get(s, "presign"))) {
			*storage_id = (int)json_integer_value(
			    json_object_get(s, "id"));
			break;
		}
	}
	json_decref(list);
	return 0;
}

int
vg_ls_storage_validate(struct vg_ls *ls, int project_id,
    const struct vg_ls_s3 *s3, char **cause)
{
	json_t *b = ls_storage_body(project_id, s3);
	int err;

	err = vg_ls_call(ls, "POST", "/api/storages/s3/validate", NULL, b,
	    NULL, NULL, cause);
	json_decref(b);
	return err;
}

int
vg_ls_storage_ensure(struct vg_ls *ls, int project_id,
    const struct vg_ls_s3 *s3, int *storage_id, char **cause)
{
	json_t *b, *j = NULL;
	int err;

	if ((err = vg_ls_storage_find(ls, project_id, s3->bucket, storage_id,
	    cause)) != 0 || *storage_id > 0)
		return err;
	if ((err = vg_ls_storage_validate(ls, project_id, s3, cause)) != 0)
		return err;
	b = ls_storage_body(project_id, s3);
	err = vg_ls_call(ls, "POST", "/api/storages/s3/", NULL, b, &j, NULL,
	    cause);
	json_decref(b);
	if (err != 0)
		return err;
	*storage_id = (int)json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	log_info("label studio: project %d: created the s3:// resolver "
	    "storage %d for bucket %s", project_id, *storage_id, s3->bucket);
	return 0;
}

/* ---- projects, for the wizard -------------------------------------------- */

/* Order projects by id. */
static int
ls_info_cmp(const void *a, const void *b)
{
	const struct vg_ls_project_info *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

int
vg_ls_projects_list(const struct vg_label_studio *l,
    const volatile int *cancel, struct vg_ls_project_info **v, size_t *n,
    char **cause)
{
	struct vg_ls *ls = NULL;
	json_t *j = NULL, *r, *p;
	char q[64];
	size_t i;
	int page, err;

	*v = NULL;
	*n = 0;
	if ((err = vg_ls_new_config(l, &ls, cause)) != 0)
		return err;
	vg_ls_set_abort(ls, cancel);
	for (page = 1; page <= 10; page++) {
		snprintf(q, sizeof q, "page_size=100&page=%d", page);
		if ((err = vg_ls_call(ls, "GET", "/api/projects/", q, NULL, &j,
		    NULL, cause)) != 0)
			break;
		r = json_object_get(j, "results");
		json_array_foreach(r, i, p) {
			const char *t = json_string_value(json_object_get(p,
			    "title"));
			struct vg_ls_project_info *it;

			*v = xreallocarray(*v, *n + 1, sizeof **v);
			it = &(*v)[(*n)++];
			it->id = (int)json_integer_value(json_object_get(p,
			    "id"));
			it->title = xstrdup(t != NULL ? t : "");
			it->tasks = (int)json_integer_value(json_object_get(p,
			    "task_number"));
		}
		if (!json_is_string(json_object_get(j, "next"))) {
			json_decref(j);
			break;
		}
		json_decref(j);
		if (cancel != NULL && *cancel) {
			err = VG_ERR_CANCELLED;
			break;
		}
	}
	vg_ls_free(ls);
	if (err != 0) {
		vg_ls_projects_free(*v, *n);
		*v = NULL;
		*n = 0;
		return err;
	}
	if (*n > 1)
		qsort(*v, *n, sizeof **v, ls_info_cmp);
	return 0;
}

void
vg_ls_projects_free(struct vg_ls_project_info *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].title);
	free(v);
}

/* Order template names. */
static int
ls_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
vg_ls_template_names(void)
{
	DIR *d = opendir(vg_ls_template_dir());
	struct dirent *de;
	char **v = xcalloc(1, sizeof *v);
	size_t n = 0, len;

	while (d != NULL && (de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 4 || de->d_name[0] == '.' ||
		    strcmp(de->d_name + len - 4, ".xml") != 0)
			continue;
		v = xreallocarray(v, n + 2, sizeof *v);
		v[n++] = xstrndup(de->d_name, len - 4);
		v[n] = NULL;
	}
	if (d != NULL)
		closedir(d);
	qsort(v, n, sizeof *v, ls_name_cmp);
	return v;
}

double
vg_ls_wizard_fps(const struct vg_config *cfg)
{
	double fps = vg_ls_config_fps(cfg);
	bool any = false;

	for (size_t i = 0; i < cfg->ncameras; i++)
		any = any || cfg->cameras[i].enabled;
	if (fps <= 0 && !any && cfg->defaults.encoder.fps > 0)
		fps = cfg->defaults.encoder.fps;
	return fps;
}

int
vg_ls_project_create(const struct vg_config *cfg, const char *title,
    const char *template, double fps, const volatile int *cancel, int *id,
    bool *created, char **cause)
{
	const struct vg_label_studio *l = &cfg->label_studio;
	struct vg_ls *ls = NULL;
	char *xml = NULL;
	int err;

	*id = 0;
	*created = false;
	if ((err = vg_ls_render_config(template, fps,
	    (const char *const *)l->labels.v, l->labels.n, &xml,
	    cause)) != 0)
		return err;
	if ((err = vg_ls_new_config(l, &ls, cause)) == 0) {
		vg_ls_set_abort(ls, cancel);
		err = vg_ls_project_ensure(ls, 0, title, xml, false, id,
		    created, cause);
	}
	vg_ls_free(ls);
	free(xml);
	return err;
}
