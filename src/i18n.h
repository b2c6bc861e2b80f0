/* i18n.h - gettext macros shared by src/ and ui/ (as in GNU nano).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef VIGIA_I18N_H
#define VIGIA_I18N_H

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define P_(s, p, n) ngettext(s, p, n)
#else
#define _(s) (s)
#define P_(s, p, n) ((n) == 1 ? (s) : (p))
#endif
/* Mark for translation, translate later (tables of titles). */
#define N_(s) (s)

#endif /* VIGIA_I18N_H */
