/* record.h - vigiad's recorder engine: every enabled camera into
 * crash-safe, browser-playable fragmented MP4 segments in the spool.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every recorded camera (nvr.mode "vigiad", camera enabled,
 * recording.mode not "off") is read by one thread (record-loop.c; a
 * thread each with libavformat's reader), plus one that watches the
 * disk.  Segments go
 * to SPOOL/CAMERA/ and into the spool journal when they close.  Usable
 * without the daemon (tests): start, stop, status.
 */
#ifndef VIGIA_RECORD_H
#define VIGIA_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "libvigia.h"
#include "spool.h"

struct vg_recorder;

/* Recover what a crash left in spool_dir (leftover .part files, renamed
 * files without a journal row), then start recording every camera.  NULL
 * with *cause when the spool cannot be used. */
struct vg_recorder *vg_recorder_start(const struct vg_config *cfg,
    struct vg_spool *sp, char **cause);
/* A new configuration: cameras added start, removed ones stop (closing
 * their segment), changed ones restart; the others are not touched.  The
 * recorder keeps its own copy of what it needs. */
void vg_recorder_reload(struct vg_recorder *rec, const struct vg_config *cfg);
/* Close every segment and stop (bounded: within 5 s); accepts NULL. */
void vg_recorder_stop(struct vg_recorder *rec);
/* Fill a jansson object (json_t *) with "cameras" and "disk". */
void vg_recorder_status(struct vg_recorder *rec, void *json_object);
/* Alarms raised (disk full, eviction); for sd_notify STATUS. */
int vg_recorder_alarms(struct vg_recorder *rec);

/* Finish leftovers in the spool (also done by vg_recorder_start). */
int vg_recorder_recover(const char *spool_dir, struct vg_spool *sp,
    int *count, char **cause);

/* Make tz (an IANA name, NULL: the system's) the zone of segment
 * boundaries and schedules (process-wide: TZ; call before threads). */
void vg_record_set_timezone(const char *tz);

#endif
