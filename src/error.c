/* error.c - vg_strerror(): translated text for vigia's error codes.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "i18n.h"
#include "libvigia.h"

/* Indexed by -err; N_() so that xgettext sees them, _() at use. */
static const char *const vg_err_text[] = {
	[0] = N_("Success"),
	[-VG_ERR_NOMEM] = N_("Out of memory"),
	[-VG_ERR_USAGE] = N_("Invalid arguments"),
	[-VG_ERR_IO] = N_("Input/output error"),
	[-VG_ERR_CONFIG] = N_("Invalid configuration"),
	[-VG_ERR_PERM] = N_("Permission denied"),
	[-VG_ERR_NOTFOUND] = N_("Not found"),
	[-VG_ERR_TIMEOUT] = N_("Timed out"),
	[-VG_ERR_NET] = N_("Network unreachable or connection refused"),
	[-VG_ERR_AUTH] = N_("Wrong user name or password"),
	[-VG_ERR_PROTO] = N_("The other side broke the protocol"),
	[-VG_ERR_CANCELLED] = N_("Cancelled"),
	[-VG_ERR_UNSUPPORTED] = N_("Not supported"),
	[-VG_ERR_EXISTS] = N_("Already exists"),
	[-VG_ERR_INTERNAL] = N_("Internal error (a bug in vigia)"),
};

/* Translated, human text for an error code; never NULL. */
const char *
vg_strerror(int err)
{
	if (err > 0 || err < VG_ERR_LAST)
		return _("Unknown error");
	return _(vg_err_text[-err]);
}
