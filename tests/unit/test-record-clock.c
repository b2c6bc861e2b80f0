/* test-record-clock.c - segment boundaries and schedules in the site's
 * time zone: ordinary days, midnight, and both DST changes.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libvigia.h"
#include "record.h"
#include "record-int.h"
#include "tap.h"

/* Local wall time in the current zone -> UTC microseconds. */
static int64_t
local(int y, int mo, int d, int h, int mi, int s, int isdst)
{
	struct tm tm = { 0 };

	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	tm.tm_isdst = isdst;
	return (int64_t)mktime(&tm) * 1000000;
}

/* "HH:MM:SS" of a UTC microsecond time, local. */
static const char *
hms(int64_t us)
{
	static char buf[32];
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%m-%d %H:%M:%S", &tm);
	return buf;
}

static struct vg_schedule_rule
rule(const char *text)
{
	struct vg_schedule_rule r;
	char *cause = NULL;

	if (vg_schedule_parse(text, &r, &cause) != 0) {
		printf("# %s: %s\n", text, cause);
		free(cause);
		memset(&r, 0, sizeof r);
	}
	return r;
}

int
main(void)
{
	struct vg_schedule_rule r[2];
	int64_t t, b;
	char name[128];

	vg_record_set_timezone("Europe/Madrid");

	/* an ordinary day: multiples of 600 s since midnight */
	t = local(2026, 6, 10, 10, 3, 20, -1);
	b = vg_record_next_boundary(t, 600);
	tap_ok(strcmp(hms(b), "06-10 10:10:00") == 0, "10:03:20 -> 10:10:00");
	tap_ok(vg_record_next_boundary(b, 600) == b + 600000000,
	    "on a boundary -> the next one");
	b = vg_record_next_boundary(local(2026, 6, 10, 10, 3, 20, -1), 10);
	tap_ok(strcmp(hms(b), "06-10 10:03:30") == 0, "10 s segments");
	/* 7 minutes do not divide the day: midnight is still a boundary */
	b = vg_record_next_boundary(local(2026, 6, 10, 23, 58, 0, -1), 420);
	snprintf(name, sizeof name, "23:58 with 420 s -> midnight (%s)",
	    hms(b));
	tap_ok(strcmp(hms(b), "06-11 00:00:00") == 0, name);
	b = vg_record_next_boundary(local(2026, 6, 10, 23, 59, 59, -1), 600);
	tap_ok(strcmp(hms(b), "06-11 00:00:00") == 0, "23:59:59 -> 00:00");

	/* spring forward (2026-03-29 02:00 -> 03:00 in Madrid): the day has
	 * 23 h; boundaries count elapsed time from midnight, which keeps
	 * 600 s multiples aligned to the wall clock */
	t = local(2026, 3, 29, 1, 55, 0, -1);
	b = vg_record_next_boundary(t, 600);
	snprintf(name, sizeof name, "spring: 01:55 -> 03:00 (%s)", hms(b));
	tap_ok(strcmp(hms(b), "03-29 03:00:00") == 0, name);
	tap_ok(b - t == 300000000, "spring: 5 minutes of real time");
	b = vg_record_next_boundary(local(2026, 3, 29, 3, 1, 0, -1), 600);
	tap_ok(strcmp(hms(b), "03-29 03:10:00") == 0, "spring: 03:01 -> 03:10");
	/* fall back (2026-10-25 03:00 -> 02:00): 25 h, 02:xx twice */
	t = local(2026, 10, 25, 2, 55, 0, 1);	/* the first 02:55 (CEST) */
	b = vg_record_next_boundary(t, 600);
	tap_ok(b - t == 300000000, "fall: first 02:55 + 5 min");
	snprintf(name, sizeof name, "fall: -> 02:00 again (%s)", hms(b));
	tap_ok(strcmp(hms(b), "10-25 02:00:00") == 0, name);
	t = local(2026, 10, 25, 23, 55, 0, -1);
	b = vg_record_next_boundary(t, 600);
	tap_ok(strcmp(hms(b), "10-26 00:00:00") == 0,
	    "fall: 23:55 -> midnight");
	tap_ok(b - t == 300000000, "fall: 5 minutes before midnight");

	/* schedules: wall-clock rules, DST-correct */
	r[0] = rule("mon-fri 08:00-18:00");
	tap_ok(vg_record_in_schedule(r, 1, local(2026, 6, 10, 8, 0, 0, -1)),
	    "wed 08:00 in mon-fri 08:00-18:00");
	tap_ok(!vg_record_in_schedule(r, 1, local(2026, 6, 10, 18, 0, 0,
	    -1)), "wed 18:00 out (end excluded)");
	tap_ok(!vg_record_in_schedule(r, 1, local(2026, 6, 13, 12, 0, 0,
	    -1)), "sat out");
	/* 2026-03-30 is a Monday just after spring forward, 2026-10-26
	 * a Monday after fall back: 08:00 is 08:00 on the wall */
	tap_ok(vg_record_in_schedule(r, 1, local(2026, 3, 30, 8, 0, 0, -1)),
	    "after spring forward: 08:00 in");
	tap_ok(!vg_record_in_schedule(r, 1, local(2026, 3, 30, 7, 59, 0, -1)),
	    "after spring forward: 07:59 out");
	tap_ok(vg_record_in_schedule(r, 1, local(2026, 10, 26, 8, 0, 0, -1)),
	    "after fall back: 08:00 in");
	tap_ok(!vg_record_in_schedule(r, 1, local(2026, 10, 26, 7, 59, 0, -1)),
	    "after fall back: 07:59 out");
	/* past midnight: sat,sun 22:00-06:00 */
	r[1] = rule("sat,sun 22:00-06:00");
	tap_ok(vg_record_in_schedule(&r[1], 1, local(2026, 6, 13, 23, 0, 0,
	    -1)), "sat 23:00 in");
	tap_ok(vg_record_in_schedule(&r[1], 1, local(2026, 6, 15, 5, 59, 0,
	    -1)), "mon 05:59 in (sunday's night)");
	tap_ok(!vg_record_in_schedule(&r[1], 1, local(2026, 6, 13, 5, 0, 0,
	    -1)), "sat 05:00 out (friday has no rule)");
	tap_ok(!vg_record_in_schedule(&r[1], 1, local(2026, 6, 15, 6, 0, 0,
	    -1)), "mon 06:00 out");
	/* the night of fall back is an hour longer, still in */
	tap_ok(vg_record_in_schedule(&r[1], 1, local(2026, 10, 25, 2, 30, 0,
	    0)), "second 02:30 of fall-back sunday in");

	/* another zone: America/Santiago (DST in the southern summer) */
	vg_record_set_timezone("America/Santiago");
	b = vg_record_next_boundary(local(2026, 1, 15, 12, 34, 56, -1), 300);
	tap_ok(strcmp(hms(b), "01-15 12:35:00") == 0, "Santiago 300 s");
	return tap_done();
}
