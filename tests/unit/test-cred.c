/* test-cred.c - the credentials to try and the integrator's CSV.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvigia.h"
#include "tap.h"

/* A pair at position i of a candidate list. */
static bool
is(const struct vg_cred *c, size_t n, size_t i, const char *user,
    const char *pw, enum vg_cred_source src)
{
	return i < n && strcmp(c[i].user, user) == 0 &&
	    strcmp(c[i].password, pw) == 0 && c[i].source == src;
}

int
main(void)
{
	struct vg_cred_csv csv = { NULL, 0 };
	const struct vg_cred_row *r;
	struct vg_cred c[16], typed[3];
	char *cause = NULL;
	size_t n;
	int err;

	err = vg_cred_csv_parse("address,user,password\n"
	    "# the north yard\n"
	    "192.168.1.10,admin,Own-Pass-10\n"
	    "\n"
	    "AA-BB-CC-00-11-22;;\"semi;colon\"\"q\"\r\n"
	    "DS-2CD2143G2-I20200101AAWR123, admin , Serial-Pw-1, gate\n",
	    "site.csv", &csv, &cause);
	tap_ok(err == 0 && csv.n == 3, "a CSV with a heading, a comment, a "
	    "blank line, ';' and quotes gives 3 rows");
	tap_ok(csv.n == 3 && csv.v[0].kind == VG_CRED_KEY_ADDRESS &&
	    strcmp(csv.v[0].password, "Own-Pass-10") == 0 &&
	    csv.v[0].line == 3, "an address row, with its line");
	tap_ok(csv.n == 3 && csv.v[1].kind == VG_CRED_KEY_MAC &&
	    strcmp(csv.v[1].key, "aa:bb:cc:00:11:22") == 0 &&
	    strcmp(csv.v[1].user, "") == 0 &&
	    strcmp(csv.v[1].password, "semi;colon\"q") == 0,
	    "a MAC row, normalised, with a quoted password");
	tap_ok(csv.n == 3 && csv.v[2].kind == VG_CRED_KEY_SERIAL &&
	    strcmp(csv.v[2].user, "admin") == 0 && csv.v[2].name != NULL &&
	    strcmp(csv.v[2].name, "gate") == 0,
	    "a serial row, blanks trimmed, with a name");
	r = vg_cred_csv_find(&csv, "10.0.0.1", NULL, "aa:bb:cc:00:11:22");
	tap_ok(r == &csv.v[1], "a camera is found by its MAC");
	r = vg_cred_csv_find(&csv, "192.168.1.10", NULL, NULL);
	tap_ok(r == &csv.v[0], "and by its address");
	r = vg_cred_csv_find(&csv, "192.168.1.10",
	    "ds-2cd2143g2-i20200101aawr123", NULL);
	tap_ok(r == &csv.v[2], "a serial wins over an address");
	tap_ok(vg_cred_csv_find(&csv, "10.9.9.9", "x", NULL) == NULL,
	    "an unknown camera has no row");

	/* candidates: CSV, defaults, typed; under the lockout */
	typed[0] = (struct vg_cred){ NULL, "Typed-Once-1", VG_CRED_TYPED };
	typed[1] = (struct vg_cred){ "admin", "12345", VG_CRED_TYPED };
	typed[2] = (struct vg_cred){ NULL, "Typed-Twice-2", VG_CRED_TYPED };
	n = vg_cred_candidates(VG_ONVIF_VENDOR_HIKVISION, &csv.v[0], typed, 3,
	    0, c, 16);
	tap_ok(n == 4 && is(c, n, 0, "admin", "Own-Pass-10", VG_CRED_CSV) &&
	    is(c, n, 1, "admin", "12345", VG_CRED_DEFAULT) &&
	    is(c, n, 2, "admin", "Typed-Once-1", VG_CRED_TYPED) &&
	    is(c, n, 3, "admin", "Typed-Twice-2", VG_CRED_TYPED),
	    "Hikvision: the CSV's, admin/12345 once, then the typed ones");
	tap_ok((int)n < vg_cred_lockout(VG_ONVIF_VENDOR_HIKVISION),
	    "fewer tries than Hikvision's lockout");
	n = vg_cred_candidates(VG_ONVIF_VENDOR_HIKVISION, NULL, typed, 3, 3,
	    c, 16);
	tap_ok(n == 1 && is(c, n, 0, "admin", "12345", VG_CRED_DEFAULT),
	    "after 3 failures only one more try is left");
	n = vg_cred_candidates(VG_ONVIF_VENDOR_HIKVISION, NULL, typed, 3, 4,
	    c, 16);
	tap_ok(n == 0, "none at one short of the lockout");
	n = vg_cred_candidates(VG_ONVIF_VENDOR_DAHUA, NULL, NULL, 0, 0, c, 16);
	tap_ok(n == 1 && is(c, n, 0, "admin", "admin", VG_CRED_DEFAULT),
	    "Dahua: admin/admin");
	n = vg_cred_candidates(VG_ONVIF_VENDOR_GENERIC, &csv.v[1], typed, 3, 0,
	    c, 16);
	tap_ok(n == 2 && is(c, n, 0, "admin", "semi;colon\"q", VG_CRED_CSV) &&
	    is(c, n, 1, "admin", "admin", VG_CRED_DEFAULT),
	    "generic: an empty CSV user is the vendor's admin; 2 tries only");
	n = vg_cred_candidates(VG_ONVIF_VENDOR_AXIS, NULL, typed, 1, 0, c, 16);
	tap_ok(n == 2 && is(c, n, 0, "root", "pass", VG_CRED_DEFAULT) &&
	    is(c, n, 1, "root", "Typed-Once-1", VG_CRED_TYPED),
	    "Axis: root");
	vg_cred_csv_clear(&csv);

	/* errors */
	err = vg_cred_csv_parse("10.0.0.1,admin\n", "bad.csv", &csv, &cause);
	tap_ok(err == VG_ERR_CONFIG && cause != NULL &&
	    strstr(cause, "bad.csv:1:") != NULL && csv.n == 0,
	    "a row without a password names the file and line");
	free(cause);
	cause = NULL;
	err = vg_cred_csv_parse("ok,admin,x\n10.0.0.2,admin,\"Secret-9\n",
	    "q.csv", &csv, &cause);
	tap_ok(err == VG_ERR_CONFIG && cause != NULL &&
	    strstr(cause, "q.csv:2:") != NULL &&
	    strstr(cause, "Secret-9") == NULL,
	    "an unclosed quote is an error that does not show the secret");
	free(cause);
	cause = NULL;
	err = vg_cred_csv_load("/nonexistent/site.csv", &csv, &cause);
	tap_ok(err == VG_ERR_NOTFOUND && cause != NULL,
	    "a missing file is NOTFOUND");
	free(cause);
	return tap_done();
}
