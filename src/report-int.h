/* report-int.h - shared by the report's writers (core-internal).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef VIGIA_REPORT_INT_H
#define VIGIA_REPORT_INT_H

#include <stddef.h>
#include <time.h>

#include "report.h"

/* url without user-info ("rtsp://u:p@h/x" -> "rtsp://h/x"); caller frees;
 * NULL for NULL. */
char *vg_report_redact(const char *url);
/* ISO 8601 UTC ("2026-12-06T07:30:00Z"). */
void vg_report_time(time_t t, char *buf, size_t n);

#endif /* VIGIA_REPORT_INT_H */
