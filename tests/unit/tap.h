/* tap.h - the few test helpers the unit tests share (TAP-style output).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test program prints "ok N - name" / "not ok N - name" lines and
 * exits 1 if any check failed (automake's harness reads the exit status).
 */
#ifndef VIGIA_TAP_H
#define VIGIA_TAP_H

#include <stdio.h>
#include <stdlib.h>

static int tap_n, tap_failed;

/* Record one check; returns cond so callers can stop early. */
static inline int
tap_ok(int cond, const char *name)
{
	tap_n++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, name);
	if (!cond)
		tap_failed++;
	return cond;
}

/* Print the plan and return the program's exit status. */
static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	if (tap_failed)
		printf("# %d of %d checks failed\n", tap_failed, tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* VIGIA_TAP_H */
