/* test-store.c - object keys from key_template, sidecar keys, and the
 * shared bandwidth cap (a token bucket) of the uploader.
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "libvigia.h"
#include "store.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct taker {
	struct vg_rate *r;
	size_t total;
};

static void *
take_all(void *arg)
{
	struct taker *t = arg;
	size_t done = 0;

	while (done < t->total)
		done += vg_rate_take(t->r, 32768);
	return NULL;
}

static void
key_is(const char *tmpl, const char *want, const char *name)
{
	/* 2026-12-06T07:15:01.250Z to 07:25:01.250Z */
	char *k = vg_store_key(tmpl, "plant-north", "gate-1",
	    INT64_C(1796541301250000), INT64_C(1796541901250000));
	int ok = strcmp(k, want) == 0;

	if (!ok)
		printf("# got %s\n", k);
	tap_ok(ok, name);
	free(k);
}

int
main(void)
{
	char *s;

	key_is("{site}/{camera}/{date}/{start}.mp4",
	    "plant-north/gate-1/2026-12-06/20261206T071501.250Z.mp4",
	    "the default template: site, camera, date, start with ms (UTC)");
	key_is("{year}/{month}/{day}/{hour}/{camera}-{time}-{end}.mp4",
	    "2026/12/06/07/gate-1-071501-20261206T072501.250Z.mp4",
	    "year, month, day, hour, time and end");
	key_is("x/{unknown}/{camera}{start}", "x/{unknown}/gate-120261206T071501.250Z",
	    "an unknown placeholder is kept as it is");
	key_is("{camera}/{start", "gate-1/{start", "an unclosed brace is text");

	s = vg_store_sidecar_key("a/b.c/seg.mp4");
	tap_ok(strcmp(s, "a/b.c/seg.json") == 0, "the sidecar key replaces the extension");
	free(s);
	s = vg_store_sidecar_key("a.b/seg");
	tap_ok(strcmp(s, "a.b/seg.json") == 0, "a key without extension gets .json");
	free(s);

	/* 2 workers share 400 kB/s: 600 kB take about 1.5 s (the first
	 * burst of 40 kB is free) */
	{
		struct vg_rate *r = vg_rate_new(400000);
		struct taker a = { r, 300000 }, b = { r, 300000 };
		pthread_t ta, tb;
		double t0 = now_s(), dt;

		pthread_create(&ta, NULL, take_all, &a);
		pthread_create(&tb, NULL, take_all, &b);
		pthread_join(ta, NULL);
		pthread_join(tb, NULL);
		dt = now_s() - t0;
		printf("# 600000 bytes in %.2f s at 400000 B/s\n", dt);
		tap_ok(dt > 1.3 && dt < 1.9, "two takers share one cap");
		vg_rate_set(r, 0);
		t0 = now_s();
		tap_ok(vg_rate_take(r, 1 << 20) == 1 << 20 && now_s() - t0 < 0.05,
		    "a cap of 0 is unlimited");
		vg_rate_free(r);
	}
	tap_ok(vg_rate_take(NULL, 5) == 5, "no cap: everything at once");
	return tap_done();
}
