/* daemon.h - vigiad's core: the engines, the status socket and systemd.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cli/vigiad-main.c parses the command line, loads the configuration and
 * waits for signals; everything else is here, so tests and other front
 * ends drive the same code:
 *
 *   start   open the spool journal (one process per spool), start the
 *           recorder (and the uploader and labeler when built in), open
 *           the status socket, tell systemd READY=1
 *   reload  SIGHUP: hand the new configuration to every engine (cameras
 *           added, removed or changed; the others untouched)
 *   tick    once a second: WATCHDOG=1 and a STATUS= line for systemd
 *   stop    SIGTERM: STOPPING=1, every engine stops (each closes what it
 *           has open: segments within 5 s), the socket is removed
 *
 * The status socket (vigiad.status_socket, a UNIX stream socket, mode
 * 0660) answers every connection with one JSON document and closes it:
 * see vigiad(8) for its shape; `vigia status` reads it.
 */
#ifndef VIGIA_DAEMON_H
#define VIGIA_DAEMON_H

#include "libvigia.h"

struct vg_daemon;

/* Start everything for cfg (which the caller keeps alive until the next
 * reload or stop).  NULL with *cause (English) on failure. */
struct vg_daemon *vg_daemon_start(const struct vg_config *cfg,
    char **cause);
void vg_daemon_reload(struct vg_daemon *d, const struct vg_config *cfg);
/* From the main loop every vg_daemon_tick_ms(): the systemd watchdog
 * and status. */
void vg_daemon_tick(struct vg_daemon *d);
int vg_daemon_tick_ms(const struct vg_daemon *d);
/* Stop everything (bounded) and free; accepts NULL. */
void vg_daemon_stop(struct vg_daemon *d);

/* The status document as text (for tests and the socket); free it. */
char *vg_daemon_status_text(struct vg_daemon *d);

/* Send a datagram to systemd's $NOTIFY_SOCKET ("READY=1", ...); a no-op
 * without one.  Returns 0, or -1 with errno. */
int vg_sd_notify(const char *state);

/* ---- reading it (vigia status) ------------------------------------------ */

/* The status document from the socket at path, within timeout_ms.
 * VG_ERR_NOTFOUND / VG_ERR_NET when no vigiad answers there. */
int vg_status_read(const char *path, int timeout_ms, char **json,
    char **cause);
/* The document as lines for a technician (translated); NULL with *cause
 * if it is not a status document. */
char *vg_status_format(const char *json, char **cause);

/* The status document as plain values (for screens that cannot parse
 * JSON themselves).  Strings are owned; absent values are NULL, 0 or -1
 * where said. */
struct vg_status_cam {
	char *name;
	char *state;		/* "recording", "reconnecting"... (English) */
	char *state_text;	/* the state, translated */
	char *mode;		/* "continuous", "motion", "schedule" */
	char *segment;		/* the file being written, or NULL */
	char *err_reason;	/* the last error's keyword, or NULL */
	char *err_text;		/* the reason translated + message, or NULL */
	int64_t since;		/* epoch s of the state, 0: unknown */
	int64_t err_at;		/* epoch s of the last error, 0: none */
	double kbps, fps;
	int64_t segments, frames, gaps, reconnects;
	bool packets;		/* packets flow (or none are expected now) */
	bool alarm;		/* a state to show in red */
};

struct vg_status_alarm {
	char *source, *message;
	bool active;
	int64_t since, last;
};

struct vg_status {
	char *version, *site;
	long pid;
	int64_t started, now;	/* epoch s */
	struct vg_status_cam *cams;
	size_t ncams;
	bool has_disk;
	int64_t disk_free, disk_total;
	double headroom_h;	/* < 0: unknown */
	bool has_spool;
	int64_t segments, backlog, stored, evicted, tasks_pending;
	bool has_uploader;
	char *up_target;
	int64_t up_backlog, up_backlog_bytes, up_oldest_s, up_bps;
	int64_t up_stored, up_failed;
	char *up_error;		/* the last upload error, or NULL */
	int64_t up_error_age;
	bool has_labeler;
	char *lb_state;
	int64_t lb_created, lb_failed;
	char *lb_error;
	struct vg_status_alarm *alarms;
	size_t nalarms;
};

/* Parse a status document; VG_ERR_PROTO with *cause if it is not one. */
int vg_status_parse(const char *json, struct vg_status **out, char **cause);
void vg_status_free(struct vg_status *st);

/* A watcher: a thread that reads the status socket every interval_ms
 * (each read bounded by timeout_ms), so that a screen never waits on a
 * dead vigiad. */
struct vg_status_watch;
struct vg_status_watch *vg_status_watch_start(const char *path,
    int interval_ms, int timeout_ms);
/* The newest news: returns a sequence number that changes with every
 * read; *json the last good document (a copy, or NULL if none yet),
 * *last_ok the epoch s of that read (0: never), *failing_since the epoch
 * s since when reads fail (0: the last read worked), *err the last
 * read's vg_err. */
unsigned vg_status_watch_get(struct vg_status_watch *w, char **json,
    int64_t *last_ok, int64_t *failing_since, int *err);
/* Stop the thread (within timeout_ms) and free; accepts NULL. */
void vg_status_watch_stop(struct vg_status_watch *w);

#endif
