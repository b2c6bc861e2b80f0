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

#endif
