/* labelstudio.h - the public part of the Label Studio client: the check
 * that `vigia test labelstudio` prints and the wizard shows.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain types only (included by libvigia.h); the client itself is in the
 * core-internal ls.h.
 */
#ifndef VIGIA_LABELSTUDIO_H
#define VIGIA_LABELSTUDIO_H

#include <stdbool.h>
#include <stddef.h>

struct vg_config;

enum vg_ls_check_status {
	VG_LS_CHECK_OK,
	VG_LS_CHECK_WARN,
	VG_LS_CHECK_FAIL,
	VG_LS_CHECK_SKIP,
};

/* One step's outcome: what (an N_() msgid the caller translates) and an
 * English detail (only valid during the callback). */
struct vg_ls_check_item {
	const char *what;
	enum vg_ls_check_status status;
	const char *detail;
};

struct vg_ls_check_opts {
	const char *probe_key;	/* object key of a stored segment, or NULL */
	bool create_project;	/* make the project when it is missing */
	double fps;		/* for the template; 0: the cameras' common
				 * encoder.fps, else "$fps" (each task's) */
	const char *const *labels;	/* NULL: label_studio.labels, else
					 * the template's */
	size_t nlabels;
	/* non-zero: stop at once (the wizard's Esc); NULL: never */
	const volatile int *cancel;
	/* no probe_key: put a small video/mp4 probe object into the S3
	 * storage, check the browser's view of it (range, type, CORS),
	 * delete it */
	bool probe_upload;
};

/*
 * Check everything from the configuration's label_studio section and its
 * vigiad.storage, step by step through cb.  0 when nothing failed.  When
 * the probe shows CORS missing, *cors_json gets the bucket CORS
 * configuration to apply (allocated, for `aws s3api put-bucket-cors`).
 */
int vg_ls_check(const struct vg_config *cfg, const struct vg_ls_check_opts *o,
    void (*cb)(void *, const struct vg_ls_check_item *), void *opaque,
    char **cors_json);
/* The bucket CORS configuration letting origin play videos (allocated). */
char *vg_ls_cors_json(const char *origin);

/* ---- projects, for the wizard (ls-project.c) ----------------------------- */

/* A project as listed: id, title (allocated) and its number of tasks. */
struct vg_ls_project_info {
	int id;
	char *title;
	int tasks;
};

/* The projects the configuration's token can see (at most 1000), oldest
 * first.  cancel as in vg_ls_check_opts.  VG_ERR_* with an English
 * *cause. */
int vg_ls_projects_list(const struct vg_label_studio *l,
    const volatile int *cancel, struct vg_ls_project_info **v, size_t *n,
    char **cause);
void vg_ls_projects_free(struct vg_ls_project_info *v, size_t n);
/* The label-config template names ("video-tracking"...), sorted,
 * NULL-ended; free each and the array. */
char **vg_ls_template_names(void);
/* The frame rate a project for cfg gets: the cameras' common encoder.fps,
 * else (no camera yet) defaults.encoder.fps, else 0 ("$fps"). */
double vg_ls_wizard_fps(const struct vg_config *cfg);
/* Make the project titled title from template (its label values from
 * label_studio.labels, else the template's) at fps (0: each task's own),
 * validated by the server first; a project with that title already
 * there is kept as it is (*created false).  *id gets its id. */
int vg_ls_project_create(const struct vg_config *cfg, const char *title,
    const char *template, double fps, const volatile int *cancel, int *id,
    bool *created, char **cause);

#endif /* VIGIA_LABELSTUDIO_H */
