/* test-text.c - device strings made safe for JSON and for a terminal.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tap.h"
#include "libvigia.h"
#include "text-json.h"

/* Does f(in) give want? */
static void
same(char *(*f)(const char *), const char *in, const char *want,
    const char *name)
{
	char *got = f(in);

	if (!tap_ok(got != NULL && strcmp(got, want) == 0, name))
		printf("# got \"%s\", want \"%s\"\n", got != NULL ? got :
		    "(null)", want);
	free(got);
}

int
main(void)
{
	json_t *o;
	char *t;

	same(vg_text_utf8, "Caf\xc3\xa9 \xe4\xb8\xad", "Caf\xc3\xa9 \xe4\xb8\xad",
	    "valid UTF-8 is kept");
	same(vg_text_utf8, "a\xff" "b", "a\xef\xbf\xbd" "b",
	    "a stray byte becomes U+FFFD");
	same(vg_text_utf8, "x\xc3", "x\xef\xbf\xbd",
	    "a truncated sequence becomes U+FFFD");
	same(vg_text_utf8, "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd",
	    "an overlong '/' becomes U+FFFD");
	same(vg_text_utf8, "\xed\xa0\x80z", "\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbdz", "an encoded surrogate (&#xD800;) becomes U+FFFD");
	same(vg_text_utf8, "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd", "above U+10FFFF becomes U+FFFD");
	same(vg_text_utf8, "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80",
	    "a 4-byte character is kept");
	same(vg_text_utf8, "a\x1b]0;x\x07", "a\x1b]0;x\x07",
	    "vg_text_utf8 keeps control characters (JSON escapes them)");

	same(vg_text_safe, "Acme\x1b]0;pwned\x07\x1b[2J",
	    "Acme\\x1b]0;pwned\\x07\\x1b[2J",
	    "ESC and BEL are shown, not sent to the terminal");
	same(vg_text_safe, "a\xc2\x9b" "31mb", "a\\u009b31mb",
	    "a C1 CSI (U+009B) is shown");
	same(vg_text_safe, "a\tb\nc\rd\x7f", "a\\x09b\\x0ac\\x0dd\\x7f",
	    "tab, newline, CR and DEL are shown");
	same(vg_text_safe, "\x9b" "31m", "\xef\xbf\xbd" "31m",
	    "a raw 8-bit CSI byte (invalid UTF-8) becomes U+FFFD");
	same(vg_text_safe, "%1b[2J", "%1b[2J",
	    "%1b is text (vigia does not decode it)");
	same(vg_text_safe, "Cam\xc3\xa9ra 1", "Cam\xc3\xa9ra 1",
	    "ordinary text is unchanged");
	t = vg_text_safe(NULL);
	tap_ok(t == NULL, "NULL stays NULL");
	tap_ok(vg_text_is_safe("Cam\xc3\xa9ra") && !vg_text_is_safe("a\x1b") &&
	    !vg_text_is_safe("\xc2\x85") && !vg_text_is_safe("\xff"),
	    "vg_text_is_safe tells them apart");

	o = json_object();
	json_object_set_new(o, "hostname", vg_json_text("cam\xff\xed\xa0\x80"));
	json_object_set_new(o, "none", vg_json_text(NULL));
	json_object_set_new(o, "nan", vg_json_real(0.0 / 0.0));
	json_object_set_new(o, "inf", vg_json_real(1e308 * 10));
	json_object_set_new(o, "q", vg_json_real(50.5));
	t = json_dumps(o, JSON_SORT_KEYS);
	if (!tap_ok(t != NULL && strcmp(t, "{\"hostname\": \"cam\xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\", \"inf\": null, \"nan\": "
	    "null, \"none\": null, \"q\": 50.5}") == 0,
	    "JSON keeps every key: repaired text, null for NaN and INF"))
		printf("# %s\n", t != NULL ? t : "(null)");
	free(t);
	json_decref(o);
	return tap_done();
}
