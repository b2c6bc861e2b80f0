/* plan.h - commissioning: the plan/apply engine (public part of libvigia.h).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Included at the bottom of libvigia.h.  The desired state is a configuration
 * (config.h); the observed state is what the cameras say (onvif.h).  A
 * plan lists, camera by camera, every step that would change something,
 * each with its fields' before and after values, like `terraform plan`.
 * Applying runs the steps with a bounded number of cameras at once, in a
 * safe order per camera:
 *
 *	activate -> user -> time -> encoder -> network (last)
 *
 * and verifies each by reading it back.  A second plan of the same
 * configuration is empty.
 *
 * The three phases are separate so that a user interface can show each:
 *
 *	vg_plan_select()   which cameras (enabled, --only)        no I/O
 *	vg_plan_observe()  read every camera, in parallel          network
 *	vg_plan_compute()  steps from (desired, observed)          pure
 *	vg_plan_apply()    run the steps, in parallel              network
 *
 * vg_plan_new() does the first three.  The unit tests fill `obs` by hand
 * and call vg_plan_compute() alone.
 *
 * Threads: observe and apply run worker threads and return when they are
 * done.  While they run, other threads may call vg_plan_cancel() and
 * vg_plan_progress() only; the progress callback runs on a worker thread
 * with the plan's lock held, and may read the whole plan.
 */
#ifndef VIGIA_PLAN_H
#define VIGIA_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct vg_config;
struct vg_camera;
struct vg_onvif_discover_opts;

/* ---- observed state ------------------------------------------------------ */

/* How vigia could log in to a camera. */
enum vg_plan_access {
	VG_PLAN_ACCESS_NONE,	/* it could not (see the camera's class) */
	VG_PLAN_ACCESS_USER,	/* as credentials.user */
	VG_PLAN_ACCESS_ADMIN,	/* only as credentials.admin_user */
	VG_PLAN_ACCESS_FACTORY,	/* factory-new: no users, no password */
};

/* What was read from one camera.  The onvif.h structs are owned here;
 * have_* is false when that part could not be read (a factory-new camera
 * that hides everything until it is activated): the plan then shows the
 * step with unknown "before" values, and apply reads them again once it
 * has credentials. */
struct vg_plan_observed {
	char *url;		/* device service where it answered */
	char *found_by;		/* "onvif.address", "match.address",
				 * "network.address" or "discovery" */
	enum vg_plan_access access;
	bool users_known;	/* the list below was readable */
	bool user_exists;	/* credentials.user is a user of the camera */
	struct vg_onvif_info info;
	bool have_time;
	struct vg_onvif_time time;
	bool have_encoder;	/* of the profile of recording.stream */
	char *profile;		/* that profile's token */
	struct vg_onvif_encoder encoder;
	bool have_net;
	struct vg_onvif_net net;
	char *addr_in_use;	/* network.address answers for another
				 * host: English detail; NULL if free */
};

/* ---- the plan -------------------------------------------------------------- */

/* Steps, in the order they run on one camera. */
enum vg_plan_step_kind {
	VG_PLAN_STEP_ACTIVATE,	/* create the first administrator */
	VG_PLAN_STEP_USER,	/* create credentials.user or reset it */
	VG_PLAN_STEP_TIME,	/* NTP servers, time zone, clock */
	VG_PLAN_STEP_ENCODER,	/* encoder of the recorded stream */
	VG_PLAN_STEP_NETWORK,	/* IPv4 address, gateway, DNS */
};
#define VG_PLAN_NSTEP_KINDS 5

/* One field that changes.  Values are display strings that read the
 * same in every language ("H264", "1920x1080", "127.0.0.1, 10.0.0.1",
 * "dhcp", "+3600 s"); NULL means none (NTP off, no gateway).
 * Passwords are never shown: their value is "(hidden)". */
struct vg_plan_change {
	char op;		/* '+' added, '~' changed, '-' removed */
	char *field;		/* stable English key: "fps", "ntp", ... */
	char *before;
	char *after;
	bool before_unknown;	/* unreadable until the camera is activated */
};

enum vg_plan_status {
	VG_PLAN_PENDING,	/* planned, not run yet */
	VG_PLAN_RUNNING,
	VG_PLAN_DONE,		/* done and read back as asked */
	VG_PLAN_FAILED,
	VG_PLAN_SKIPPED,	/* not run: cancelled, or the camera could
				 * not be logged in to */
	VG_PLAN_UNCHANGED,	/* found right when it was about to run */
};

struct vg_plan_step {
	enum vg_plan_step_kind kind;
	struct vg_plan_change *changes;
	size_t nchanges;
	/* a reason known at plan time why it cannot work (translated), e.g.
	 * a password the vendor refuses, an address in use; the step fails
	 * without sending anything */
	char *blocker;
	/* the network step waits for this camera (index in the plan) to
	 * leave the address first; -1: none */
	long wait_for;
	/* apply */
	enum vg_plan_status status;
	enum vg_onvif_class cls;	/* of a failure */
	char *error;		/* English detail of a failure */
	char **diffs;		/* read-back differences, translated */
	size_t ndiffs;
	int64_t elapsed_us;
};

/* What became of a camera. */
enum vg_plan_result {
	VG_PLAN_RESULT_NONE,	/* not applied (a plan only) */
	VG_PLAN_RESULT_UNCHANGED,	/* nothing to do */
	VG_PLAN_RESULT_OK,	/* every step done and verified */
	VG_PLAN_RESULT_FAILED,	/* a step failed, or it was not found */
	VG_PLAN_RESULT_CANCELLED,
};

struct vg_plan_camera {
	const struct vg_camera *cam;	/* borrowed from the configuration */
	bool observed;		/* found, identified, read */
	/* when it could not be observed or planned at all */
	enum vg_onvif_class cls;
	char *problem;		/* English detail, or NULL */
	struct vg_plan_observed obs;
	struct vg_plan_step *steps;
	size_t nsteps;
	/* apply */
	enum vg_plan_result result;
	char *address;		/* host it answers on after the apply */
	char *last_seen;	/* where it last answered, after a failure */
	time_t last_seen_at;
	int64_t elapsed_us;
};

struct vg_plan_priv;

struct vg_plan {
	const struct vg_config *cfg;	/* borrowed; must outlive the plan */
	struct vg_plan_camera *cams;
	size_t ncams;
	struct vg_plan_priv *priv;
};

/* ---- running it ------------------------------------------------------------ */

struct vg_plan_opts {
	int parallel;		/* cameras at once; 0: 8 */
	const char *const *only; /* camera names; NULL: every enabled one */
	size_t nonly;
	int follow_ms;		/* wait for a camera after an address
				 * change; 0: 90000 */
	/* WS-Discovery, used when a camera with match.mac or match.serial is
	 * not at its address: NULL for the defaults; skipped with
	 * no_discovery */
	const struct vg_onvif_discover_opts *discover;
	bool no_discovery;
	/* Called on a worker thread, with the plan locked, whenever a camera
	 * (step == -1) or one of its steps changes status. */
	void (*progress)(void *arg, const struct vg_plan *plan, size_t cam,
	    long step);
	/* Polled between steps; true stops the run like vg_plan_cancel(). */
	bool (*cancelled)(void *arg);
	void *arg;
};

/* Counters for a progress bar, safe to read at any time. */
struct vg_plan_counts {
	size_t cameras;		/* in the plan */
	size_t cameras_done;	/* observed or applied so far (this phase) */
	size_t cameras_failed;
	size_t steps;		/* to apply */
	size_t steps_done;	/* finished, whatever the outcome */
	size_t unreachable;	/* could not be observed */
};

/* A plan of the enabled cameras of cfg (or only those named in
 * opts->only; an unknown name is VG_ERR_USAGE with *cause), observed and
 * computed.  Cameras that cannot be reached are in the plan with a
 * problem; that is not an error.  The caller frees *out with
 * vg_plan_free(); cfg must outlive it. */
int vg_plan_new(const struct vg_config *cfg, const struct vg_plan_opts *opts,
    struct vg_plan **out, char **cause);
/* The first phase alone: the selection, nothing read yet. */
int vg_plan_select(const struct vg_config *cfg,
    const struct vg_plan_opts *opts, struct vg_plan **out, char **cause);
/* Read every camera (bounded parallelism, every call with a deadline). */
void vg_plan_observe(struct vg_plan *plan, const struct vg_plan_opts *opts);
/* Compute every camera's steps from desired and observed state.  Pure:
 * no I/O, same input, same plan.  May be called again. */
void vg_plan_compute(struct vg_plan *plan);
/* Steps of one camera (what vg_plan_compute() does per camera, without
 * the checks across cameras); pc->obs must be filled. */
void vg_plan_compute_camera(const struct vg_config *cfg,
    struct vg_plan_camera *pc);

/* Apply: run every pending step, cameras in parallel.  Returns 0 when
 * every camera ended unchanged or ok, VG_ERR_CANCELLED when cancelled,
 * else VG_ERR_IO (see each camera's result). */
int vg_plan_apply(struct vg_plan *plan, const struct vg_plan_opts *opts);
/* Stop at the next step boundary (any thread; steps in flight finish or
 * time out). */
void vg_plan_cancel(struct vg_plan *plan);
void vg_plan_progress(const struct vg_plan *plan, struct vg_plan_counts *c);

/* Steps that would change something (0: nothing to do). */
size_t vg_plan_nchanges(const struct vg_plan *plan);
/* Cameras whose result is r. */
size_t vg_plan_count_result(const struct vg_plan *plan,
    enum vg_plan_result result);

/* The plan and, once applied, the results as JSON (caller frees); the
 * schema is in vigia(1) under --json. */
char *vg_plan_json(const struct vg_plan *plan, bool applied);

void vg_plan_free(struct vg_plan *plan);

/* The plan as aligned text for people (what `vigia --apply` prints):
 * per camera a header line, then "step  op field  before -> after", and
 * a summary line.  Translated; f is the caller's (a terminal, or a
 * memory stream for the wizard). */
void vg_plan_print(const struct vg_plan *plan, FILE *f);
/* After vg_plan_apply(): the result table (camera, address, result,
 * steps, time), then what went wrong, camera by camera. */
void vg_plan_print_results(const struct vg_plan *plan, FILE *f);

/* Names: stable English keys for JSON ("encoder", "done", "failed") and
 * translated words for people; never NULL. */
const char *vg_plan_step_name(enum vg_plan_step_kind kind);
const char *vg_plan_step_title(enum vg_plan_step_kind kind);
const char *vg_plan_status_name(enum vg_plan_status st);
const char *vg_plan_status_title(enum vg_plan_status st);
const char *vg_plan_result_name(enum vg_plan_result r);
const char *vg_plan_result_title(enum vg_plan_result r);
const char *vg_plan_access_name(enum vg_plan_access a);

#endif /* VIGIA_PLAN_H */
