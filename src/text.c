/* text.c - how wide a string is on a terminal.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One measure for every aligned table, plan and screen: wcwidth() per
 * character in the current locale (accents take one column, CJK two),
 * never strlen().
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "libvigia.h"

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
