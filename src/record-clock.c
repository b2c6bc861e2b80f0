/* record-clock.c - segment boundaries and schedules in the site's time
 * zone, the clocks, and the test knobs.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Boundaries are multiples of segment_s counted from local midnight, in
 * elapsed seconds, and every local midnight is one: on the days a DST
 * change makes 23 or 25 hours, the counting restarts at the next
 * midnight, so all cameras (and boxes) of a site still cut together.
 * Schedules compare the local wall time (localtime_r), so a rule
 * "mon-fri 08:00-18:00" means 08:00 on the clock on the wall, summer or
 * winter.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libvigia.h"
#include "record-int.h"

int64_t
vg_record_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
vg_record_wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
vg_record_set_timezone(const char *tz)
{
	if (tz != NULL && *tz != '\0')
		setenv("TZ", tz, 1);
	else
		unsetenv("TZ");
	tzset();
}

/* Local midnight (UTC seconds) of the day holding t, and of the next. */
static void
local_midnights(time_t t, time_t *m0, time_t *m1)
{
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	*m0 = mktime(&tm);
	tm.tm_mday++;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	*m1 = mktime(&tm);
	/* a zone whose midnight does not exist on some day (the DST change
	 * happens at 00:00): mktime gives 01:00, fine */
}

int64_t
vg_record_next_boundary(int64_t t_us, int segment_s)
{
	time_t t = (time_t)(t_us / 1000000), m0, m1;
	int64_t k, b;

	if (segment_s <= 0)
		segment_s = 600;
	local_midnights(t, &m0, &m1);
	if (m0 > t)	/* cannot happen, but never loop */
		m0 = t;
	k = ((int64_t)t - m0) / segment_s + 1;
	b = (int64_t)m0 + k * segment_s;
	if (b > (int64_t)m1)
		b = m1;
	if (b * 1000000 <= t_us)	/* t exactly on a boundary */
		b += segment_s;
	return b * 1000000;
}

bool
vg_record_in_schedule(const struct vg_schedule_rule *rules, size_t n,
    int64_t t_us)
{
	time_t t = (time_t)(t_us / 1000000);
	struct tm tm;
	unsigned today, yesterday;
	int min;
	size_t i;

	localtime_r(&t, &tm);
	today = (unsigned)(tm.tm_wday + 6) % 7;	/* 0 = Monday */
	yesterday = (today + 6) % 7;
	min = tm.tm_hour * 60 + tm.tm_min;
	for (i = 0; i < n; i++) {
		const struct vg_schedule_rule *r = &rules[i];

		if (r->start_min < r->end_min) {
			if ((r->days & (1u << today)) && min >= r->start_min &&
			    min < r->end_min)
				return true;
		} else {
			/* past midnight into the next day */
			if ((r->days & (1u << today)) && min >= r->start_min)
				return true;
			if ((r->days & (1u << yesterday)) && min < r->end_min)
				return true;
		}
	}
	return false;
}

static int
knob(const char *name, int def, int min, int max)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return def;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < min || v > max) {
		log_warn("%s=%s ignored (expected %d..%d)", name, s, min, max);
		return def;
	}
	return (int)v;
}

/* Tests compress time with these; production never sets them. */
const struct vg_record_knobs *
vg_record_knobs(void)
{
	static struct vg_record_knobs k;
	static int done;

	if (!__atomic_load_n(&done, __ATOMIC_ACQUIRE)) {
		k.backoff_min_ms = knob("VIGIA_TEST_BACKOFF_MIN_MS", 1000, 10,
		    600000);
		k.backoff_max_ms = knob("VIGIA_TEST_BACKOFF_MAX_MS", 60000,
		    k.backoff_min_ms, 3600000);
		k.timeout_ms = knob("VIGIA_TEST_RTSP_TIMEOUT_MS", 10000, 200,
		    120000);
		k.onvif_retry_s = knob("VIGIA_TEST_ONVIF_RETRY_S", 300, 1,
		    86400);
		__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	}
	return &k;
}
