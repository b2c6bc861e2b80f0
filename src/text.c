/* text.c - how wide a string is on a terminal.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One measure for every aligned table, plan and screen: wcwidth() per
 * character in the current locale (accents take one column, CJK two),
 * never strlen().
 *
 * And one way to show what a device says: its strings are repaired to
 * valid UTF-8 (U+FFFD for what is not) before they go into JSON, and
 * control characters are made visible ("\x1b") before they reach a
 * terminal, so that a camera cannot retitle, clear or recolour the
 * technician's screen.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <jansson.h>

#include "libvigia.h"
#include "text-json.h"

/* Columns s takes on screen; a byte that is not valid in the locale
 * counts one column, a non-printable character none. */
int
vg_text_width(const char *s)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int w = 0, cw;

	memset(&st, 0, sizeof st);
	while (*s != '\0') {
		n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof st);
			n = 1;
			cw = 1;
		} else
			cw = wcwidth(wc);
		w += cw > 0 ? cw : 0;
		s += n;
	}
	return w;
}

/* Length of the valid UTF-8 sequence at s (1..4), with its code point in
 * *cp; 0 if s does not start one (a stray byte, an overlong form, a
 * surrogate U+D800..U+DFFF or a value above U+10FFFF). */
static size_t
utf8_seq(const unsigned char *s, unsigned long *cp)
{
	unsigned long c;
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

/* Copy of s as valid UTF-8 (caller frees): every byte that does not start
 * a valid sequence, and every encoded surrogate, becomes U+FFFD; NULL for
 * NULL.  With visible, control characters (C0 including tab and newline,
 * DEL, C1) become "\xHH" / "\u00HH" text, so that an ESC sequence is
 * shown and never run by the terminal. */
static char *
text_clean(const char *s, bool visible)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	size_t cap, len = 0, n;
	char *out;

	if (s == NULL)
		return NULL;
	/* the longest output per input byte: "\xHH" (4) or U+FFFD (3) */
	cap = strlen(s) * 4 + 1;
	out = xmalloc(cap);
	while (*p != '\0') {
		n = utf8_seq(p, &cp);
		if (n == 0) {
			memcpy(out + len, "\xef\xbf\xbd", 3);
			len += 3;
			p++;
			continue;
		}
		if (visible && (cp < 0x20 || cp == 0x7f)) {
			len += (size_t)snprintf(out + len, cap - len,
			    "\\x%02lx", cp);
		} else if (visible && cp >= 0x80 && cp <= 0x9f) {
			/* two input bytes, six output bytes: still < 4 per
			 * byte on average, the bound holds */
			len += (size_t)snprintf(out + len, cap - len,
			    "\\u%04lx", cp);
		} else {
			memcpy(out + len, p, n);
			len += n;
		}
		p += n;
	}
	out[len] = '\0';
	return out;
}

/* See libvigia.h. */
char *
vg_text_utf8(const char *s)
{
	return text_clean(s, false);
}

/* See libvigia.h. */
char *
vg_text_safe(const char *s)
{
	return text_clean(s, true);
}

/* See libvigia.h. */
bool
vg_text_is_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	size_t n;

	if (s == NULL)
		return true;
	while (*p != '\0') {
		n = utf8_seq(p, &cp);
		if (n == 0 || cp < 0x20 || cp == 0x7f ||
		    (cp >= 0x80 && cp <= 0x9f))
			return false;
		p += n;
	}
	return true;
}

/* See libvigia.h. */
json_t *
vg_json_text(const char *s)
{
	char *t;
	json_t *j;

	if (s == NULL)
		return json_null();
	t = vg_text_utf8(s);
	j = json_string(t);
	free(t);
	/* cannot fail on valid UTF-8 but for lack of memory */
	if (j == NULL)
		fatal("json: out of memory");
	return j;
}

/* See libvigia.h. */
json_t *
vg_json_real(double d)
{
	json_t *j;

	/* NaN is not equal to itself; the infinities are beyond DBL_MAX */
	if (d != d || d > 1.7976931348623157e308 ||
	    d < -1.7976931348623157e308)
		return json_null();
	if ((j = json_real(d)) == NULL)
		fatal("json: out of memory");
	return j;
}
