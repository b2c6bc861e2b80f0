/* daemon-launch.h - start vigiad for a configuration and wait until every
 * camera records.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The wizard's last step and `vigia start` call the same function:
 *
 *   1. vigiad already answers on the configuration's status socket: with
 *      reload set it gets SIGHUP (it reads the file again), otherwise
 *      VG_ERR_EXISTS says so (the caller offers the reload);
 *   2. otherwise it starts: as the systemd unit (installed or overridden
 *      to read this file, enabled, started) when systemd is PID 1 and we
 *      are root, else detached (setsid, its log in vigiad.log and its pid
 *      in vigiad.pid beside the spool directory);
 *   3. it waits for READY (the status socket answers), then for the first
 *      packets of every camera; a camera without packets by the deadline
 *      is named with its state and the reason vigiad gives.
 *
 * Every wait polls with short deadlines and honours the cancel flag: a
 * worker thread can run it while a screen stays live.
 */
#ifndef VIGIA_DAEMON_LAUNCH_H
#define VIGIA_DAEMON_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>

#include "libvigia.h"

enum vg_launch_mode {
	VG_LAUNCH_AUTO,		/* systemd when it can, else detached */
	VG_LAUNCH_DETACHED,	/* a background process of our own */
	VG_LAUNCH_SYSTEMD,	/* the vigiad.service unit */
};

struct vg_launch_opts {
	const char *config_path;	/* the file vigiad reads */
	enum vg_launch_mode mode;
	bool reload;		/* a running vigiad gets SIGHUP */
	int ready_ms;		/* READY deadline; 0: 20 s */
	int packets_ms;		/* first packets deadline; 0: 30 s */
	const char *vigiad;	/* the program; NULL: see vg_launch_vigiad() */
	const volatile int *cancel;	/* non-zero: stop waiting */
	/* progress: fraction (< 0 unknown) and a translated line */
	void (*progress)(void *arg, double fraction, const char *detail);
	void *arg;
};

struct vg_launch_result {
	enum vg_launch_mode mode;	/* how it runs (AUTO: it was running) */
	long pid;			/* vigiad's, 0 if unknown */
	bool was_running;		/* it answered before we started it */
	bool reloaded;			/* it got SIGHUP */
	char *log_path;			/* detached: its log */
	char *pid_path;			/* detached: its pidfile */
	size_t ncameras;		/* cameras in its status */
	size_t nrecording;		/* of those, with packets */
	/* translated lines for the technician: why it failed, or which
	 * cameras have no packets and why */
	char **problems;
	size_t nproblems;
};

/* Free what r holds (not r). */
void vg_launch_result_clear(struct vg_launch_result *r);

/* Start (or reload) vigiad for cfg and wait.  VG_OK: every camera has
 * packets; VG_ERR_TIMEOUT: vigiad runs but r->problems names cameras
 * without packets; VG_ERR_EXISTS: it already runs (r->pid) and reload was
 * not asked; VG_ERR_CANCELLED; anything else: it did not start
 * (r->problems says why in plain words, *cause in English). */
int vg_daemon_launch(const struct vg_config *cfg,
    const struct vg_launch_opts *o, struct vg_launch_result *r,
    char **cause);

/* Whether vigiad answers on path within timeout_ms (VG_OK, *pid set). */
int vg_daemon_find(const char *status_socket, int timeout_ms, long *pid,
    char **cause);

/* The vigiad program: $VIGIA_VIGIAD, else the one beside this program,
 * else the installed one.  The caller frees it. */
char *vg_launch_vigiad(void);

/* Whether a launch in AUTO mode would use systemd (PID 1 is systemd and
 * we are root). */
bool vg_launch_systemd_usable(void);

/* Where a detached vigiad of cfg logs and keeps its pid: beside the spool
 * directory.  The caller frees both. */
void vg_launch_paths(const struct vg_config *cfg, char **log_path,
    char **pid_path);

/* The unit text for vigiad reading config_path (a unit of its own when
 * none is installed).  The caller frees it. */
char *vg_launch_unit_text(const char *vigiad, const char *config_path);

#endif /* VIGIA_DAEMON_LAUNCH_H */
