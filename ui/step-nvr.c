/* step-nvr.c - who records: vigiad on this box, or an existing NVR.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With an existing NVR, the NVR pushes its files by FTP to the storage
 * target of the next steps; its address, vendor and credentials are
 * collected and checked here, and configuring the NVR through its
 * vendor's API comes with a later issue.  Once that target has a server,
 * F5 tests it end to end from this box as the NVR will use it (the
 * storage step's test, vg_store_nvr_check) and the page shows the values
 * to type into the NVR.
 */
#include <stddef.h>
#include <stdlib.h>

#include "i18n.h"
#include "wizard.h"

#define N struct vg_nvr

/* The NVR section of the draft. */
static void *
nvr_base(struct wizard *w)
{
	return &w->draft->nvr;
}

/* Whether an existing NVR records. */
static bool
nvr_ftp(struct wizard *w)
{
	return w->draft->nvr.mode == VG_NVR_FTP;
}

/* The mode, as a choice. */
static int
nvr_get_mode(struct wizard *w)
{
	return (int)w->draft->nvr.mode;
}

/* Changing the mode re-binds the storage entry (wizard-draft.c). */
static void
nvr_set_mode(struct wizard *w, int v)
{
	wdraft_set_nvr_mode(w->draft, w->storage_i, (enum vg_nvr_mode)v);
}

static const char *const nvr_modes[] = {
	N_("vigiad records (this box)"), N_("An existing NVR, by FTP"), NULL,
};
static const int nvr_mode_values[] = { VG_NVR_VIGIAD, VG_NVR_FTP };
static const char *const nvr_vendors[] = {
	N_("Generic"), "Hikvision", "Dahua", NULL,
};

static const struct ui_field nvr_fields[] = {
	{ .kind = UI_CHOICE, .vtype = UV_CUSTOM, .path = "nvr.mode",
	    .label = N_("Recorder"), .choices = nvr_modes,
	    .values = nvr_mode_values, .get_int = nvr_get_mode,
	    .set_int = nvr_set_mode },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(N, address),
	    .path = "nvr.address", .label = N_("NVR address"),
	    .shown = nvr_ftp,
	    .hint = N_("The NVR's IP address or host name on this LAN.") },
	{ .kind = UI_CHOICE, .vtype = UV_ENUM, .off = offsetof(N, vendor),
	    .path = "nvr.vendor", .label = N_("NVR vendor"),
	    .choices = nvr_vendors, .shown = nvr_ftp },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(N, user),
	    .path = "nvr.user", .label = N_("NVR user"), .shown = nvr_ftp,
	    .hint = N_("An NVR administrator, to set its FTP target.") },
	{ .kind = UI_SECRET, .vtype = UV_SECRET, .off = offsetof(N, password),
	    .path = "nvr.password", .label = N_("NVR password"),
	    .shown = nvr_ftp, .flags = UF_STRENGTH,
	    .hint = N_("Typed, never shown.  Vendors ask for 8 characters "
		"or more, with letters and digits.") },
};

static const char *const nvr_scope[] = {
	"nvr.mode", "nvr.address", "nvr.vendor", "nvr.user", "nvr.password",
	NULL,
};

/* A note on what the chosen mode means. */
static int
nvr_extra(struct wizard *w, WINDOW *win, int y, int h, int width)
{
	char *values = nvr_ftp(w) ? storage_nvr_values(w, true) : NULL;
	int used;

	used = ui_wrap(win, y, 1, width, h, nvr_ftp(w) ? values != NULL ?
	    _("The NVR pushes its recordings to the FTP target of the "
	    "storage step; F5 tests it from this box.") :
	    _("The NVR will push its recordings to the storage target of "
	    "the next steps, which must then be FTP, FTPS or SFTP.  Setting "
	    "that target on the NVR itself comes in a later version.") :
	    _("vigiad, on this box, records every camera into segments and "
	    "uploads them to the storage target of the next steps."),
	    tui_attr(UI_PAIR_DIM));
	if (values != NULL && used + 1 < h)
		used += 1 + ui_wrap(win, y + used + 1, 1, width, h - used - 1,
		    values, A_NORMAL);
	free(values);
	return used;
}

/* F5 tests the NVR's FTP target (once it has a server). */
static int
nvr_key(struct wizard *w, int ch, bool is_key)
{
	const struct vg_storage *st = &w->draft->storage[w->storage_i];

	if (!is_key || ch != KEY_F(5) || w->job != NULL)
		return page_key(w, ch, is_key);
	if (!nvr_ftp(w))
		wizard_status(w, true, "%s", _("F5 tests the FTP target of an "
		    "existing NVR: choose that recorder first."));
	else if (st->host == NULL)
		wizard_status(w, true, "%s", _("Give the FTP target in the "
		    "storage step first; it is tested there too."));
	else
		storage_test_start(w, false);
	return WK_HANDLED;
}

static const struct ui_page_def nvr_page = {
	.intro = N_("Who records the cameras?"),
	.fields = nvr_fields,
	.nfields = sizeof nvr_fields / sizeof nvr_fields[0],
	.base = nvr_base,
	.scope = nvr_scope,
	.extra = nvr_extra,
};

const struct wizard_step step_nvr = {
	.id = "nvr",
	.title = N_("Recorder (NVR)"),
	.help = N_("By default vigiad, the recorder bundled with vigia, "
	    "records on this box.  If the site already has an NVR, it can "
	    "keep recording and push its files by FTP instead: give its "
	    "address, vendor and an administrator account.  Once the storage "
	    "step has the FTP target, F5 tests it from this box as the NVR "
	    "will use it (log in, make a directory, put, list, delete, the "
	    "passive port) and the page shows what to type into the NVR."),
	.page = &nvr_page,
	.key = nvr_key,
	.job_done = storage_test_done,
};
