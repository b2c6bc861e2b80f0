/* ls-dataset.c - `vigia dataset pull`: finished annotations exported from
 * Label Studio, merged incrementally into a dataset directory.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DIR/manifest.jsonl     one line per segment, sorted by segment_key
 * DIR/segments/KEY.json  one segment: tracks (every frame, expanded from
 *                        the keyframes), timeline spans, choices
 * DIR/segments/KEY.mot.txt  MOT: frame,id,x,y,w,h,conf,-1,-1,-1 (pixels;
 *                        only when the frame size is known)
 *
 * KEY is data.segment_key with ':' and anything outside [A-Za-z0-9._/-]
 * turned into '-'.  A file is written only when its bytes change, so a
 * rerun writes nothing; files the previous manifest listed whose segment
 * has no usable annotation any more are removed.  Other files in DIR are
 * never touched.
 *
 * The annotation of a task: a ground-truth one if any, else the latest
 * updated (ties: the highest id), never a cancelled (skipped) one.
 * Keyframes (label-studio-api.md 6.1): frames are 1-based; between
 * keyframe k and k+1 the box is interpolated linearly iff k is enabled;
 * a disabled keyframe is the object's last frame until the next keyframe;
 * after the last enabled keyframe the box holds until framesCount.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libvigia.h"
#include "ls.h"

#define DS_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | \
	JSON_REAL_PRECISION(10))

static double
ds_round(double v, double unit)
{
	return round(v / unit) * unit;
}

static double
ds_num(json_t *j, const char *key, double def)
{
	json_t *v = json_object_get(j, key);

	return json_is_number(v) ? json_number_value(v) : def;
}

/* The annotation a task contributes, or NULL. */
static json_t *
ds_pick(json_t *task)
{
	json_t *a, *best = NULL;
	size_t i;

	json_array_foreach(json_object_get(task, "annotations"), i, a) {
		const char *u, *bu;
		int c;

		if (!json_is_object(a) ||
		    json_is_true(json_object_get(a, "was_cancelled")))
			continue;
		if (best == NULL) {
			best = a;
			continue;
		}
		if (json_is_true(json_object_get(a, "ground_truth")) !=
		    json_is_true(json_object_get(best, "ground_truth"))) {
			if (json_is_true(json_object_get(a, "ground_truth")))
				best = a;
			continue;
		}
		u = json_string_value(json_object_get(a, "updated_at"));
		bu = json_string_value(json_object_get(best, "updated_at"));
		c = strcmp(u ? u : "", bu ? bu : "");
		if (c > 0 || (c == 0 && json_integer_value(json_object_get(a,
		    "id")) > json_integer_value(json_object_get(best, "id"))))
			best = a;
	}
	return best;
}

struct kf {
	int frame;
	double x, y, w, h, r;
	bool enabled;
};

static int
kf_cmp(const void *a, const void *b)
{
	const struct kf *x = a, *y = b;

	return (x->frame > y->frame) - (x->frame < y->frame);
}

/* One frame of a track into frames (and MOT lines into mot). */
static void
ds_frame(json_t *frames, int f, double fps, const struct kf *k, bool autof,
    int width, int height)
{
	json_t *o = json_object();

	json_object_set_new(o, "frame", json_integer(f));
	json_object_set_new(o, "time_s", json_real(ds_round(f / fps, 1e-4)));
	json_object_set_new(o, "x_pct", json_real(ds_round(k->x, 1e-4)));
	json_object_set_new(o, "y_pct", json_real(ds_round(k->y, 1e-4)));
	json_object_set_new(o, "w_pct", json_real(ds_round(k->w, 1e-4)));
	json_object_set_new(o, "h_pct", json_real(ds_round(k->h, 1e-4)));
	json_object_set_new(o, "rotation", json_real(ds_round(k->r, 1e-4)));
	if (width > 0 && height > 0) {
		json_object_set_new(o, "x", json_real(ds_round(k->x *
		    width / 100, 0.01)));
		json_object_set_new(o, "y", json_real(ds_round(k->y *
		    height / 100, 0.01)));
		json_object_set_new(o, "w", json_real(ds_round(k->w *
		    width / 100, 0.01)));
		json_object_set_new(o, "h", json_real(ds_round(k->h *
		    height / 100, 0.01)));
	}
	json_object_set_new(o, "keyframe", json_boolean(!autof));
	json_array_append_new(frames, o);
}

/* A videorectangle result's every frame. */
static json_t *
ds_track(json_t *value, double fps, int frames_count, int width, int height)
{
	json_t *seq = json_object_get(value, "sequence"), *s, *frames;
	struct kf *k;
	size_t i, n = json_array_size(seq), m = 0;
	int last = 0;

	frames = json_array();
	k = xcalloc(n ? n : 1, sizeof *k);
	json_array_foreach(seq, i, s) {
		json_t *e = json_object_get(s, "enabled");

		if (!json_is_integer(json_object_get(s, "frame")))
			continue;
		k[m].frame = (int)json_integer_value(json_object_get(s,
		    "frame"));
		k[m].x = ds_num(s, "x", 0);
		k[m].y = ds_num(s, "y", 0);
		k[m].w = ds_num(s, "width", 0);
		k[m].h = ds_num(s, "height", 0);
		k[m].r = ds_num(s, "rotation", 0);
		k[m].enabled = e == NULL || json_is_true(e);
		m++;
	}
	qsort(k, m, sizeof *k, kf_cmp);
	for (i = 0; i < m; i++) {
		int f, end;

		if (k[i].frame <= last || k[i].frame < 1 ||
		    (frames_count > 0 && k[i].frame > frames_count))
			continue;
		ds_frame(frames, k[i].frame, fps, &k[i], false, width, height);
		last = k[i].frame;
		if (!k[i].enabled)
			continue;
		end = i + 1 < m ? k[i + 1].frame - 1 :
		    (frames_count > 0 ? frames_count : k[i].frame);
		if (frames_count > 0 && end > frames_count)
			end = frames_count;
		for (f = k[i].frame + 1; f <= end; f++) {
			struct kf p = k[i];

			if (i + 1 < m) {
				double t = (double)(f - k[i].frame) /
				    (k[i + 1].frame - k[i].frame);

				p.x += (k[i + 1].x - k[i].x) * t;
				p.y += (k[i + 1].y - k[i].y) * t;
				p.w += (k[i + 1].w - k[i].w) * t;
				p.h += (k[i + 1].h - k[i].h) * t;
				p.r += (k[i + 1].r - k[i].r) * t;
			}
			ds_frame(frames, f, fps, &p, true, width, height);
			last = f;
		}
	}
	free(k);
	return frames;
}

struct mot_line {
	int frame, id;
	double x, y, w, h;
};

static int
mot_cmp(const void *a, const void *b)
{
	const struct mot_line *x = a, *y = b;

	if (x->frame != y->frame)
		return x->frame < y->frame ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* The MOT text of a segment's tracks (allocated), or NULL. */
static char *
ds_mot(json_t *tracks)
{
	struct mot_line *l = NULL;
	size_t n = 0, i, j, len = 0;
	json_t *t, *f;
	char *out = NULL;

	json_array_foreach(tracks, i, t) {
		json_array_foreach(json_object_get(t, "frames"), j, f) {
			if (json_object_get(f, "x") == NULL) {
				free(l);
				return NULL;
			}
			l = xreallocarray(l, n + 1, sizeof *l);
			l[n].frame = (int)json_integer_value(json_object_get(f,
			    "frame"));
			l[n].id = (int)json_integer_value(json_object_get(t,
			    "track"));
			l[n].x = ds_num(f, "x", 0);
			l[n].y = ds_num(f, "y", 0);
			l[n].w = ds_num(f, "w", 0);
			l[n].h = ds_num(f, "h", 0);
			n++;
		}
	}
	if (n == 0)
		return NULL;
	qsort(l, n, sizeof *l, mot_cmp);
	out = xmalloc(n * 96 + 1);
	out[0] = '\0';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, 96, "%d,%d,%.2f,%.2f,%.2f,"
		    "%.2f,1,-1,-1,-1\n", l[i].frame, l[i].id, l[i].x, l[i].y,
		    l[i].w, l[i].h);
	free(l);
	return out;
}

/* The dataset path of a key: "segments/" + the key made safe. */
static char *
ds_path(const char *key, const char *ext)
{
	char *s, *p;

	xasprintf(&s, "segments/%s%s", key, ext);
	for (p = s + 9; *p != '\0' && p < s + strlen(s) - strlen(ext); p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '/' || *p == '-'))
			*p = '-';
	while ((p = strstr(s, "..")) != NULL)
		p[0] = p[1] = '-';
	while ((p = strstr(s, "//")) != NULL)
		p[1] = '-';
	return s;
}

/* mkdir -p of path's directory under dir. */
static int
ds_mkdirs(const char *dir, const char *rel)
{
	char *full, *p;

	xasprintf(&full, "%s/%s", dir, rel);
	for (p = full + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(full, 0755) != 0 && errno != EEXIST) {
			free(full);
			return -1;
		}
		*p = '/';
	}
	free(full);
	return 0;
}

/* Write text to dir/rel unless it holds exactly that: 1 written, 0 same,
 * -1 error. */
static int
ds_put(const char *dir, const char *rel, const char *text, char **cause)
{
	char *full, *tmp;
	FILE *f;
	size_t n = strlen(text);
	int same = 0;

	xasprintf(&full, "%s/%s", dir, rel);
	if ((f = fopen(full, "rb")) != NULL) {
		char *old = xmalloc(n + 2);
		size_t got = fread(old, 1, n + 1, f);

		fclose(f);
		same = got == n && memcmp(old, text, n) == 0;
		free(old);
	}
	if (same) {
		free(full);
		return 0;
	}
	if (ds_mkdirs(dir, rel) != 0) {
		xasprintf(cause, "cannot create the directories of %s: %s",
		    full, strerror(errno));
		free(full);
		return -1;
	}
	xasprintf(&tmp, "%s.tmp", full);
	if ((f = fopen(tmp, "wb")) == NULL || fwrite(text, 1, n, f) != n ||
	    fflush(f) != 0 || fsync(fileno(f)) != 0) {
		xasprintf(cause, "cannot write %s: %s", tmp, strerror(errno));
		if (f != NULL)
			fclose(f);
		unlink(tmp);
		free(tmp);
		free(full);
		return -1;
	}
	fclose(f);
	if (rename(tmp, full) != 0) {
		xasprintf(cause, "cannot rename %s: %s", tmp, strerror(errno));
		unlink(tmp);
		free(tmp);
		free(full);
		return -1;
	}
	free(tmp);
	free(full);
	return 1;
}

/* One exported task as a dataset segment, or NULL (nothing usable). */
static json_t *
ds_segment(json_t *task, const struct vg_dataset_opts *o)
{
	json_t *data = json_object_get(task, "data"), *a = ds_pick(task);
	json_t *seg, *tracks, *spans, *choices, *r;
	const char *key = json_string_value(json_object_get(data,
	    "segment_key"));
	char *tk = NULL;
	double fps = ds_num(data, "fps", 0);
	int width = (int)ds_num(data, "width", o->width);
	int height = (int)ds_num(data, "height", o->height);
	int frames_count = 0, ntrack = 0;
	size_t i;
	static const char *const copy[] = { "camera", "site", "start_utc",
	    "end_utc", "object_key" };

	if (a == NULL)
		return NULL;
	if (key == NULL)
		xasprintf(&tk, "task-%lld", (long long)json_integer_value(
		    json_object_get(task, "id")));
	/* the frame rate: the task's, else what the editor measured */
	json_array_foreach(json_object_get(a, "result"), i, r) {
		json_t *v = json_object_get(r, "value");

		if (json_is_integer(json_object_get(v, "framesCount")) &&
		    frames_count == 0)
			frames_count = (int)json_integer_value(
			    json_object_get(v, "framesCount"));
		if (fps <= 0 && ds_num(v, "duration", 0) > 0 &&
		    json_is_integer(json_object_get(v, "framesCount")))
			fps = json_integer_value(json_object_get(v,
			    "framesCount")) / ds_num(v, "duration", 1);
	}
	if (fps <= 0)
		fps = 25;
	seg = json_object();
	json_object_set_new(seg, "segment_key", json_string(key ? key : tk));
	json_object_set(seg, "task_id", json_object_get(task, "id"));
	json_object_set(seg, "annotation_id", json_object_get(a, "id"));
	json_object_set(seg, "annotation_updated_at",
	    json_object_get(a, "updated_at"));
	for (i = 0; i < sizeof copy / sizeof copy[0]; i++)
		if (json_is_string(json_object_get(data, copy[i])))
			json_object_set(seg, copy[i],
			    json_object_get(data, copy[i]));
	json_object_set_new(seg, "fps", json_real(ds_round(fps, 1e-4)));
	json_object_set_new(seg, "frames_count", frames_count > 0 ?
	    json_integer(frames_count) : json_null());
	json_object_set_new(seg, "width", width > 0 ? json_integer(width) :
	    json_null());
	json_object_set_new(seg, "height", height > 0 ? json_integer(height) :
	    json_null());
	tracks = json_array();
	spans = json_array();
	choices = json_object();
	json_array_foreach(json_object_get(a, "result"), i, r) {
		const char *type = json_string_value(json_object_get(r, "type"));
		const char *from = json_string_value(json_object_get(r,
		    "from_name"));
		json_t *v = json_object_get(r, "value"), *t;

		if (type == NULL || !json_is_object(v))
			continue;
		if (strcmp(type, "videorectangle") == 0) {
			t = json_object();
			json_object_set_new(t, "track", json_integer(++ntrack));
			json_object_set(t, "region", json_object_get(r, "id"));
			json_object_set_new(t, "label", json_incref(
			    json_array_get(json_object_get(v, "labels"), 0)) ?
			    json_array_get(json_object_get(v, "labels"), 0) :
			    json_null());
			json_object_set_new(t, "frames", ds_track(v, fps,
			    frames_count, width, height));
			json_array_append_new(tracks, t);
		} else if (strcmp(type, "timelinelabels") == 0) {
			json_t *rg;
			size_t j;

			json_array_foreach(json_object_get(v, "ranges"), j,
			    rg) {
				double s0 = ds_num(rg, "start", 0);
				double e0 = ds_num(rg, "end", 0);

				t = json_object();
				json_object_set(t, "region",
				    json_object_get(r, "id"));
				json_object_set(t, "label", json_array_get(
				    json_object_get(v, "timelinelabels"), 0) ?
				    json_array_get(json_object_get(v,
				    "timelinelabels"), 0) : json_null());
				json_object_set_new(t, "start_frame",
				    json_integer((json_int_t)s0));
				json_object_set_new(t, "end_frame",
				    json_integer((json_int_t)e0));
				json_object_set_new(t, "start_s", json_real(
				    ds_round(s0 / fps, 1e-4)));
				json_object_set_new(t, "end_s", json_real(
				    ds_round(e0 / fps, 1e-4)));
				json_array_append_new(spans, t);
			}
		} else if (strcmp(type, "choices") == 0 && from != NULL)
			json_object_set(choices, from, json_object_get(v,
			    "choices"));
		/* other result types are ignored */
	}
	json_object_set_new(seg, "tracks", tracks);
	json_object_set_new(seg, "spans", spans);
	json_object_set_new(seg, "choices", choices);
	free(tk);
	return seg;
}

static int
ds_key_cmp(const void *a, const void *b)
{
	json_t *const *x = a, *const *y = b;

	return strcmp(json_string_value(json_object_get(*x, "segment_key")),
	    json_string_value(json_object_get(*y, "segment_key")));
}

/* Remove dir/rel and its empty parent directories up to dir. */
static void
ds_remove(const char *dir, const char *rel)
{
	char *full, *p;

	xasprintf(&full, "%s/%s", dir, rel);
	unlink(full);
	while ((p = strrchr(full, '/')) != NULL &&
	    (size_t)(p - full) > strlen(dir)) {
		*p = '\0';
		if (rmdir(full) != 0)
			break;
	}
	free(full);
}

int
vg_dataset_merge(json_t *export, const struct vg_dataset_opts *o,
    struct vg_dataset_stats *st, char **cause)
{
	json_t **segs = NULL, *t, *keep = json_object();
	size_t n = 0, i;
	char *man = NULL, *mpath;
	size_t mlen = 0;
	FILE *f;
	int err = 0, w;

	memset(st, 0, sizeof *st);
	if (!json_is_array(export)) {
		xasprintf(cause, "the Label Studio export is not a JSON array "
		    "of tasks");
		json_decref(keep);
		return VG_ERR_PROTO;
	}
	if (mkdir(o->dir, 0755) != 0 && errno != EEXIST) {
		xasprintf(cause, "cannot create %s: %s", o->dir,
		    strerror(errno));
		json_decref(keep);
		return VG_ERR_IO;
	}
	json_array_foreach(export, i, t) {
		json_t *s = ds_segment(t, o);

		if (s == NULL) {
			st->skipped++;
			continue;
		}
		segs = xreallocarray(segs, n + 1, sizeof *segs);
		segs[n++] = s;
	}
	if (n > 1)
		qsort(segs, n, sizeof *segs, ds_key_cmp);
	/* one segment, one file: of tasks sharing a segment_key (made by
	 * something else than vigia, such as a storage sync) the latest
	 * annotation is kept */
	for (i = 1; i < n; i++) {
		json_t *a = segs[i - 1], *b = segs[i];
		const char *ua, *ub;

		if (ds_key_cmp(&a, &b) != 0)
			continue;
		ua = json_string_value(json_object_get(a,
		    "annotation_updated_at"));
		ub = json_string_value(json_object_get(b,
		    "annotation_updated_at"));
		log_warn("dataset: tasks %lld and %lld are both segment %s: "
		    "keeping the latest annotation",
		    (long long)json_integer_value(json_object_get(a, "task_id")),
		    (long long)json_integer_value(json_object_get(b, "task_id")),
		    json_string_value(json_object_get(a, "segment_key")));
		if (strcmp(ua ? ua : "", ub ? ub : "") > 0) {
			segs[i] = a;
			json_decref(b);
		} else
			json_decref(a);
		memmove(segs + i - 1, segs + i, (n - i) * sizeof *segs);
		n--;
		i--;
		st->skipped++;
	}
	man = xstrdup("");
	for (i = 0; i < n; i++) {
		const char *key = json_string_value(json_object_get(segs[i],
		    "segment_key"));
		char *jp = ds_path(key, ".json"), *mp = ds_path(key, ".mot.txt");
		char *text = json_dumps(segs[i], DS_JSON_FLAGS), *mot;
		json_t *m;
		char *ml;

		mot = ds_mot(json_object_get(segs[i], "tracks"));
		w = ds_put(o->dir, jp, text, cause);
		if (w > 0)
			st->written++;
		else if (w == 0)
			st->unchanged++;
		if (w >= 0 && mot != NULL) {
			int w2 = ds_put(o->dir, mp, mot, cause);

			if (w2 > 0)
				st->written++;
			else if (w2 == 0)
				st->unchanged++;
			else
				w = -1;
		}
		st->segments++;
		json_object_set_new(keep, jp, json_true());
		if (mot != NULL)
			json_object_set_new(keep, mp, json_true());
		m = json_pack("{s:O,s:O,s:O,s:O,s:s,s:o,s:i,s:i,s:O}",
		    "segment_key", json_object_get(segs[i], "segment_key"),
		    "task_id", json_object_get(segs[i], "task_id"),
		    "annotation_id", json_object_get(segs[i], "annotation_id"),
		    "annotation_updated_at", json_object_get(segs[i],
		    "annotation_updated_at"), "json", jp,
		    "mot", mot ? json_string(mp) : json_null(),
		    "tracks", (int)json_array_size(json_object_get(segs[i],
		    "tracks")), "spans", (int)json_array_size(json_object_get(
		    segs[i], "spans")), "choices", json_object_get(segs[i],
		    "choices"));
		ml = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER |
		    JSON_REAL_PRECISION(10));
		json_decref(m);
		man = xrealloc(man, mlen + strlen(ml) + 2);
		memcpy(man + mlen, ml, strlen(ml));
		mlen += strlen(ml);
		man[mlen++] = '\n';
		man[mlen] = '\0';
		free(ml);
		free(text);
		free(mot);
		free(jp);
		free(mp);
		if (w < 0) {
			err = VG_ERR_IO;
			goto out;
		}
	}
	/* what the last manifest listed and this one does not: removed */
	xasprintf(&mpath, "%s/manifest.jsonl", o->dir);
	if ((f = fopen(mpath, "r")) != NULL) {
		char buf[65536];

		while (fgets(buf, sizeof buf, f) != NULL) {
			json_t *m = json_loads(buf, 0, NULL);
			const char *k[2] = { "json", "mot" };
			int j;

			for (j = 0; j < 2; j++) {
				const char *p = json_string_value(
				    json_object_get(m, k[j]));

				if (p != NULL && strncmp(p, "segments/", 9) ==
				    0 && strstr(p, "..") == NULL &&
				    json_object_get(keep, p) == NULL) {
					ds_remove(o->dir, p);
					st->removed++;
				}
			}
			json_decref(m);
		}
		fclose(f);
	}
	free(mpath);
	w = ds_put(o->dir, "manifest.jsonl", man, cause);
	if (w < 0)
		err = VG_ERR_IO;
	else if (w > 0)
		st->written++;
out:
	for (i = 0; i < n; i++)
		json_decref(segs[i]);
	free(segs);
	free(man);
	json_decref(keep);
	return err;
}

/* A snapshot export of the annotated tasks: the JSON array. */
static int
ds_export(struct vg_ls *ls, int project, json_t **out, char **cause)
{
	json_t *b, *e = NULL;
	char path[128], *text = NULL;
	json_error_t je;
	json_int_t id;
	int err, i;

	*out = NULL;
	b = json_pack("{s:s,s:{s:s},s:{s:b,s:b},s:{s:{s:b},s:{s:b},"
	    "s:{s:b},s:b}}", "title", "vigia dataset pull",
	    "task_filter_options", "annotated", "only",
	    "annotation_filter_options", "usual", 1, "skipped", 0,
	    "serialization_options", "drafts", "only_id", 1, "predictions",
	    "only_id", 1, "annotations__completed_by", "only_id", 1,
	    "interpolate_key_frames", 0);
	snprintf(path, sizeof path, "/api/projects/%d/exports/", project);
	err = vg_ls_call(ls, "POST", path, NULL, b, &e, NULL, cause);
	json_decref(b);
	if (err != 0)
		return err;
	id = json_integer_value(json_object_get(e, "id"));
	snprintf(path, sizeof path, "/api/projects/%d/exports/%lld", project,
	    (long long)id);
	for (i = 0; i < 600; i++) {
		const char *s = json_string_value(json_object_get(e, "status"));
		struct timespec ts = { 0, 250 * 1000000L };

		if (s != NULL && strcmp(s, "completed") == 0)
			break;
		if (s != NULL && strcmp(s, "failed") == 0) {
			json_decref(e);
			xasprintf(cause, "Label Studio could not make the "
			    "export %lld (status failed)", (long long)id);
			return VG_ERR_PROTO;
		}
		nanosleep(&ts, NULL);
		json_decref(e);
		e = NULL;
		if ((err = vg_ls_call(ls, "GET", path, NULL, NULL, &e, NULL,
		    cause)) != 0)
			return err;
	}
	json_decref(e);
	snprintf(path, sizeof path, "/api/projects/%d/exports/%lld/download",
	    project, (long long)id);
	err = vg_ls_call_raw(ls, "GET", path, "exportType=JSON", NULL, true,
	    &text, NULL, cause);
	if (err == 0) {
		*out = text ? json_loads(text, 0, &je) : NULL;
		if (*out == NULL) {
			xasprintf(cause, "the Label Studio export is not JSON: "
			    "%s", je.text);
			err = VG_ERR_PROTO;
		}
	}
	free(text);
	/* the snapshot is not needed any more */
	snprintf(path, sizeof path, "/api/projects/%d/exports/%lld", project,
	    (long long)id);
	vg_ls_call(ls, "DELETE", path, NULL, NULL, NULL, NULL, NULL);
	return err;
}

int
vg_dataset_pull(const struct vg_label_studio *cfg,
    const struct vg_dataset_opts *o, struct vg_dataset_stats *st,
    char **cause)
{
	struct vg_ls *ls = NULL;
	json_t *ex = NULL;
	int err, project = o->project_id;

	memset(st, 0, sizeof *st);
	if ((err = vg_ls_new_config(cfg, &ls, cause)) != 0)
		return err;
	if (project <= 0)
		project = cfg->project_id;
	if (project <= 0) {
		if (cfg->project_title == NULL) {
			xasprintf(cause, "no Label Studio project: give "
			    "--project or set label_studio.project_id");
			err = VG_ERR_CONFIG;
			goto out;
		}
		if ((err = vg_ls_project_find(ls, cfg->project_title, &project,
		    cause)) != 0)
			goto out;
		if (project <= 0) {
			xasprintf(cause, "Label Studio has no project titled "
			    "\"%s\"", cfg->project_title);
			err = VG_ERR_NOTFOUND;
			goto out;
		}
	}
	if ((err = ds_export(ls, project, &ex, cause)) != 0)
		goto out;
	err = vg_dataset_merge(ex, o, st, cause);
out:
	json_decref(ex);
	vg_ls_free(ls);
	return err;
}
