/* plan-int.h - internal: what plan*.c share (src/ only).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef VIGIA_PLAN_INT_H
#define VIGIA_PLAN_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "libvigia.h"

/* Private run state of a plan (struct vg_plan_priv in plan.h). */
struct vg_plan_priv {
	pthread_mutex_t lock;	/* the plan's cameras and counts */
	pthread_cond_t cond;	/* a camera finished applying */
	atomic_bool cancel;
	struct vg_plan_counts counts;
	bool *finished;		/* per camera: its apply has ended */
	const struct vg_plan_opts *opts;	/* of the run in progress */
	/* WS-Discovery, run once per plan, on first need */
	pthread_mutex_t disc_lock;
	bool disc_done;
	struct vg_onvif_devlist devs;
};

/* Microseconds on the monotonic clock. */
int64_t plan_now_us(void);
/* True once the run should stop (vg_plan_cancel() or opts->cancelled). */
bool plan_cancelled(struct vg_plan *plan);
/* Tell the progress callback (plan locked by the caller). */
void plan_notify(struct vg_plan *plan, size_t cam, long step);
/* Run fn(plan, i) for every camera index in order[] (NULL: 0..n-1) on
 * at most `parallel` threads. */
void plan_run_pool(struct vg_plan *plan, int parallel, const size_t *order,
    void (*fn)(struct vg_plan *plan, size_t i));

/* Free what an observation holds and zero it. */
void plan_observed_clear(struct vg_plan_observed *o);
/* Free a camera's steps. */
void plan_steps_free(struct vg_plan_camera *pc);
/* Desired values of a camera, shared by compute and apply. */
const char *plan_timezone(const struct vg_config *cfg,
    const struct vg_camera *cam);
/* Index of the profile recording.stream uses among those with an
 * encoder: 0 main, 1 sub. */
int plan_profile_index(const struct vg_camera *cam);
/* Step-level: recompute the changes of one step kind from pc->obs into
 * st (used by apply after activation made the camera readable).  The
 * changes are replaced; blocker too. */
void plan_compute_step(const struct vg_config *cfg, struct vg_plan_camera *pc,
    struct vg_plan_step *st);
/* Open a session at url as the user, the administrator or anonymously
 * (VG_PLAN_ACCESS_FACTORY). */
int plan_open(const struct vg_camera *cam, const char *url,
    enum vg_plan_access access, struct vg_onvif **out, char **cause);
/* Read users, time, encoder and network through s into pc->obs. */
void plan_read_state(const struct vg_config *cfg, struct vg_plan_camera *pc,
    struct vg_onvif *s);
/* "a, b, c" of a list (caller frees); NULL for an empty list. */
char *plan_join(char *const *v, size_t n);

#endif /* VIGIA_PLAN_INT_H */
