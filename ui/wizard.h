/* wizard.h - the wizard's internal interfaces: steps, jobs, widgets.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three layers, as in nmtui: the draft helpers (wizard-draft.c, no curses:
 * they edit a struct vg_config through config.h and could move to the
 * core), the widgets (widget-*.c: pages of form fields, menus, dialogs),
 * and the wizard (wizard.c: the step table and the main loop) with one
 * step-*.c per step.
 *
 * A step is a vtable (struct wizard_step).  Most steps are a page of
 * fields (struct ui_page_def) that read and write the draft directly:
 * every keystroke lands in the draft, the draft is validated by the core
 * (vg_config_validate) and each diagnostic is shown under the field its
 * key path maps to.  Going back and forth loses nothing because nothing
 * lives in the widgets.
 *
 * Network work never runs in a key handler: a step starts a struct
 * wizard_job (a worker that reports over a pipe); the main loop polls it,
 * shows its progress with a Cancel key and calls the step's job_done().
 */
#ifndef VIGIA_WIZARD_H
#define VIGIA_WIZARD_H

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <form.h>
#include <menu.h>
#include <panel.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui.h"
#include "libvigia.h"

struct wizard;
struct wizard_job;

/* ---- draft helpers (wizard-draft.c; no curses) --------------------------- */

/* A new draft: built-in defaults plus the wizard's (vigiad records into a
 * local directory).  The caller frees it with vg_config_free(). */
struct vg_config *wdraft_new(void);
/* Make a loaded configuration fit the wizard: an NVR mode and one storage
 * entry bound to it (vigiad.storage or nvr.ftp_target). */
void wdraft_prepare(struct vg_config *cfg);
/* Index of the storage entry the wizard edits: the one vigiad.storage or
 * nvr.ftp_target names, else the first (the wizard keeps it). */
size_t wdraft_storage_index(const struct vg_config *cfg);
/* Change the type of storage entry i; a port left at the old type's
 * default follows the new type. */
void wdraft_set_storage_type(struct vg_config *cfg, size_t i,
    enum vg_storage_type t);
/* The same for the FTPS mode (explicit 21, implicit 990). */
void wdraft_set_ftps_mode(struct vg_config *cfg, size_t i,
    enum vg_ftps_mode m);
/* Rename storage entry i and the reference to it. */
void wdraft_rename_storage(struct vg_config *cfg, size_t i,
    const char *name);
/* Set the NVR mode and point vigiad.storage or nvr.ftp_target at storage
 * entry i; FTP mode turns a local or S3 entry into FTP. */
void wdraft_set_nvr_mode(struct vg_config *cfg, size_t i,
    enum vg_nvr_mode mode);
/* "a; b; c"; the caller frees it. */
char *wdraft_list_join(const struct vg_strlist *l);
/* Replace a list by the ';'-separated items of text (blanks trimmed). */
void wdraft_list_set(struct vg_strlist *l, const char *text);
/* Replace a secret by an inline value (NULL or "" unsets it). */
void wdraft_secret_set(struct vg_secret *s, const char *value);
/* A diagnostic path without the ("name") parts: storage[0].bucket. */
char *wdraft_path_norm(const char *path);
/* Where a draft is saved: $XDG_STATE_HOME/vigia/draft.conf or
 * ~/.local/state/vigia/draft.conf; the caller frees it. */
char *wdraft_draft_path(void);
/* The default file to write: /etc/vigia/vigia.conf for root, else
 * $XDG_CONFIG_HOME/vigia/vigia.conf; the caller frees it. */
char *wdraft_target_path(void);
/* Create the parent directories of path (mode 0700). */
int wdraft_mkdirs(const char *path, char **cause);
/* Strength of a password from 0 (weak) to 3 (strong). */
int wdraft_secret_strength(const char *s);

/* A camera the discovery step found (or that was added by address), with
 * what an anonymous look at it told; every string is owned. */
struct wdraft_found {
	char *endpoint;		/* the discovery key (see vg_onvif_device) */
	char *xaddr;		/* device-service URL */
	char *host;		/* host of xaddr */
	int port;		/* port of xaddr (80 when none is given) */
	char *path;		/* path of xaddr */
	char *manufacturer;	/* GetDeviceInformation, or NULL */
	char *model;		/* idem, else the hardware scope, or NULL */
	char *serial;
	char *mac;
	char *hostname;
	char *scope_name;	/* the name scope, or NULL */
	char *scope_location;	/* the location scope, or NULL */
	bool looked;		/* the anonymous look is over */
	bool identified;	/* it answered the anonymous look */
	enum wdraft_access {
		WDRAFT_ACCESS_UNKNOWN,	/* not tried */
		WDRAFT_ACCESS_DEFAULT,	/* its vendor's default opened it */
		WDRAFT_ACCESS_OWN,	/* its own password (typed, CSV) */
		WDRAFT_ACCESS_LOCKED,	/* nothing tried opened it */
	} access;
	/* the administrator that opened it (a camera with users), owned;
	 * the password is wiped on clear */
	char *open_user;
	char *open_password;
	int tries_failed;	/* failed logins spent on it (lockout) */
	uint64_t tried[8];	/* hashes of the pairs tried (no secret) */
	int ntried;
	bool factory_new;	/* no users yet: to be activated */
	bool selected;		/* ticked in the select step */
	char *camera;		/* the draft camera it became, or NULL */
	bool templated;		/* camera is the template's cam-NN */
	bool loaded;		/* a view's row for a draft camera that no
				 * search found (wdraft_cams_view) */
};

/* The cameras found so far and the interfaces to search on. */
struct wdraft_cams {
	char **ifnames;		/* IPv4 interfaces that are up */
	bool *ifon;		/* ticked for discovery */
	size_t nifs;
	struct wdraft_found *v;
	size_t n;
	bool searched;		/* discovery ran once */
	/* the credentials step edits this, then copies it to the draft:
	 * user/password to defaults and every camera, admin_* to the
	 * factory-new cameras only */
	struct vg_camera_credentials cred;
	/* cameras that have users: their current administrator password,
	 * typed once for all (tried on every camera still locked); the
	 * passwords step reaches it from cred (WDRAFT_SITE_ADMIN_OFF) */
	struct vg_secret site_admin;
	bool cred_loaded;	/* cred was read from the draft */
	/* the integrator's CSV of the cameras' current passwords */
	char *csv_path;
	struct vg_cred_csv csv;
	/* cameras with their own credentials or encoder: the steps' "All
	 * cameras" values leave them alone */
	struct vg_strlist own_cred, own_enc;
	/* the network step: how the cameras get their addresses */
	struct wdraft_net {
		enum vg_network_mode mode;
		char *first;	/* first address of the range */
		int prefix;
		char *gateway;
		struct vg_strlist dns;
		bool loaded;	/* read from the draft */
		bool edited;	/* assign again (else the draft's stay) */
	} net;
};

/* Offset of wdraft_cams.site_admin from wdraft_cams.cred (a page of
 * fields over cred reaches it). */
#define WDRAFT_SITE_ADMIN_OFF (offsetof(struct wdraft_cams, site_admin) - \
	offsetof(struct wdraft_cams, cred))

/* Fill the interface list (getifaddrs): every IPv4 interface that is up,
 * ticked unless it is loopback (the core's default). */
void wdraft_ifaces_load(struct wdraft_cams *c);
/* Free everything in c. */
void wdraft_cams_clear(struct wdraft_cams *c);
void wdraft_found_clear(struct wdraft_found *f);
/* Fill f from a discovered device (scopes only; identity comes later). */
void wdraft_found_from_device(struct wdraft_found *f,
    const struct vg_onvif_device *d);
/* Merge f into c by endpoint (a found camera keeps its selection and
 * camera); f is moved (emptied). */
void wdraft_found_merge(struct wdraft_cams *c, struct wdraft_found *f);
/* The vendor whose password rules apply to f. */
enum vg_onvif_vendor wdraft_found_vendor(const struct wdraft_found *f);
/* Make the draft's cameras follow the selection: a ticked camera without
 * a draft camera gets one (see wdraft_add_found), an unticked one loses
 * it.  Cameras the draft had from elsewhere are left alone. */
void wdraft_sync_selection(struct vg_config *cfg, struct wdraft_cams *c);
/* Append a camera for f: name from the hostname or model plus an index,
 * match.mac/serial/address, onvif.address/port/path; returns its name. */
const char *wdraft_add_found(struct vg_config *cfg,
    const struct wdraft_found *f);
/* Give the ticked cameras still named by the template (cam-NN: not
 * renamed, not from the scopes or the CSV, not loaded from a file) the
 * numbers of their places among the ticked cameras in address order
 * (cam-01 the lowest address; the first free number when another camera
 * holds that name), their draft entries in that order; the own lists
 * follow.  Returns how many names changed. */
size_t wdraft_renumber(struct vg_config *cfg, struct wdraft_cams *c);
/* A table of the draft's cameras: view->v[i] is draft camera i, with
 * what the search found of it (no secret) or, for a camera that no
 * search found, its name and address (loaded set).  Free it with
 * wdraft_view_clear(). */
void wdraft_cams_view(const struct vg_config *cfg,
    const struct wdraft_cams *c, struct wdraft_cams *view);
void wdraft_view_clear(struct wdraft_cams *view);
/* Rename draft camera old_name to name; the found camera and the own
 * lists follow (the found camera is no longer the template's).  0, or
 * -1 with a translated *why. */
int wdraft_rename_camera(struct vg_config *cfg, struct wdraft_cams *c,
    const char *old_name, const char *name, const char **why);
/* A time zone as the technician knows it: "America/Bogota (UTC-05:00)"
 * (the offset from the zone's TZif rule), "UTC-05:00" for a bare POSIX
 * rule such as "<-05>5".  The caller frees it. */
char *wdraft_zone_text(const char *tz);
/* Name the ticked cameras after their ONVIF name scope (else their
 * location scope): "Entrada Norte" becomes entrada-norte (-2, -3... when
 * taken).  Returns how many were renamed. */
size_t wdraft_names_from_scopes(struct vg_config *cfg, struct wdraft_cams *c);
/* Whether draft camera name is a camera with users that nothing opened
 * (the steps that log in leave it alone). */
bool wdraft_camera_locked(const struct wdraft_cams *c, const char *name);
/* Copy c->cred into the draft (see struct wdraft_cams). */
void wdraft_sync_credentials(struct vg_config *cfg,
    const struct wdraft_cams *c);

/* Fill c->own_cred and c->own_enc from a loaded configuration: the
 * cameras whose user, password or encoder differ from the defaults. */
void wdraft_own_load(struct wdraft_cams *c, const struct vg_config *cfg);
/* The labels of a "Cameras" choice: N_("All cameras"), then "name
 * address model" of every camera (c: the found cameras, or NULL),
 * NULL-ended, in one allocation (make them again after the draft
 * changes); old (the last ones, or NULL) is freed. */
const char **wdraft_camera_choices(const struct vg_config *cfg,
    const struct wdraft_cams *c, const char **old);
/* Whether name is in the list own (own_cred, own_enc); add or remove. */
bool wdraft_own(const struct vg_strlist *own, const char *name);
void wdraft_own_set(struct vg_strlist *own, const char *name, bool on);
/* Time settings: compare, deep copy, free. */
bool wdraft_time_equal(const struct vg_camera_time *a,
    const struct vg_camera_time *b);
void wdraft_time_copy(struct vg_camera_time *dst,
    const struct vg_camera_time *src);
void wdraft_time_clear(struct vg_camera_time *t);
/* Cameras whose time settings were `before` (the defaults before an
 * edit) take the new defaults. */
void wdraft_sync_time(struct vg_config *cfg,
    const struct vg_camera_time *before);
bool wdraft_encoder_equal(const struct vg_camera_encoder *a,
    const struct vg_camera_encoder *b);
/* Every camera not in c->own_enc takes defaults.encoder. */
void wdraft_sync_encoder(struct vg_config *cfg, const struct wdraft_cams *c);
/* Read the network step's settings from the first camera that is not
 * KEEP (once). */
void wdraft_net_load(struct wdraft_cams *c, const struct vg_config *cfg);
/* Give every draft camera the network settings of c->net: KEEP or DHCP as
 * they are, STATIC with the next free address of the range from
 * c->net.first, in the order of the cameras (skipping the gateway, the
 * network and broadcast addresses and any address a found device or
 * another camera holds now; a camera's own address is no conflict for
 * it).  Translated notes
 * of what was skipped go to notes.  Returns the number of cameras left
 * without an address, or -1 when the range itself is not valid. */
int wdraft_net_assign(struct vg_config *cfg, const struct wdraft_cams *c,
    struct vg_strlist *notes);

/* ---- pages of fields (widget-page.c) ------------------------------------- */

enum ui_kind {
	UI_TEXT,	/* an editable line (form field) */
	UI_NUMBER,	/* digits only */
	UI_SECRET,	/* masked, never shown; a policy line under it */
	UI_CHOICE,	/* one of a list: Left/Right, Enter opens a menu */
	UI_CHECK,	/* [x] / [ ]: Space toggles */
};

/* How a field reaches its value in the page's base struct. */
enum ui_value {
	UV_STR,		/* char *, "" stored as NULL */
	UV_INT,		/* int */
	UV_BOOL,	/* bool */
	UV_ENUM,	/* an enum (int) */
	UV_SECRET,	/* struct vg_secret */
	UV_LIST,	/* struct vg_strlist, edited as "a; b" */
	UV_CUSTOM,	/* the get/set hooks below */
};

#define UF_STRENGTH 0x1		/* secret: show a strength meter */
#define UF_ZERO_EMPTY 0x2	/* number: 0 means unset, shown empty */

struct ui_field {
	enum ui_kind kind;
	const char *label;	/* N_(); short: it sits in the label column */
	const char *hint;	/* N_() shown while focused, or NULL */
	const char *path;	/* ".id" (under the page prefix) or "nvr.x" */
	const char *alias;	/* another path whose diagnostics land here */
	enum ui_value vtype;
	size_t off;		/* offset in the base struct */
	const char *const *choices;	/* UI_CHOICE: N_() labels, NULL-ended */
	const int *values;	/* value of each choice; NULL: 0, 1, 2... */
	unsigned flags;
	bool (*shown)(struct wizard *w);	/* NULL: always */
	char *(*get_text)(struct wizard *w);	/* UV_CUSTOM text/number */
	void (*set_text)(struct wizard *w, const char *text);
	int (*get_int)(struct wizard *w);	/* UV_CUSTOM choice/check */
	void (*set_int)(struct wizard *w, int v);
	/* UI_CHOICE: Enter and Space choose with this instead of a pop-up
	 * menu (a camera table); returns the choice's index or -1 */
	int (*pick)(struct wizard *w, const struct ui_field *f, int current);
};

struct ui_page_def {
	const char *intro;	/* N_() paragraph above the fields, or NULL */
	const struct ui_field *fields;
	size_t nfields;
	void *(*base)(struct wizard *w);	/* what offsets point into */
	char *(*prefix)(struct wizard *w);	/* for ".key" paths; NULL: "" */
	/* Diagnostic paths (normalised prefixes) this step must clear before
	 * Next; NULL-ended; "." and ".key" are under the page prefix.  NULL:
	 * only the paths of its fields. */
	const char *const *scope;
	/* Lines under the fields (notes, a summary); returns rows used. */
	int (*extra)(struct wizard *w, WINDOW *win, int y, int h, int width);
};

/* Per-step state that outlives the widgets (focus, what was touched). */
struct ui_page {
	int focus;		/* index into the def's fields */
	int top;		/* first field drawn (scrolling) */
	bool all_touched;	/* Next was tried: show every diagnostic */
	unsigned char *touched;	/* per field */
	/* while the step is on screen */
	FORM *form;
	FIELD **ff;		/* one per field, NULL when not on screen */
	FIELD **list;		/* the form's NULL-ended array */
	char *raw;		/* text of field raw_field as typed (a list
				 * being typed must keep its last ';') */
	int raw_field;
	WINDOW *sub;
	int *row;		/* row of each field on screen, -1 if not */
	int nrows;
};

/* The generic step hooks for a page (struct wizard_step uses them when it
 * has a page and leaves a hook NULL). */
void page_enter(struct wizard *w);
void page_draw(struct wizard *w);
int page_key(struct wizard *w, int ch, bool is_key);
void page_leave(struct wizard *w);
bool page_validate(struct wizard *w);
/* Rebuild the form from the draft (after a change that moves fields). */
void page_rebuild(struct wizard *w);
/* The diagnostic for a path (normalised), or NULL. */
const struct vg_diag *page_diag_for(struct wizard *w, const char *path);
/* Place the terminal cursor in the focused field (or hide it). */
void page_place_cursor(struct wizard *w);

/* ---- menus and dialogs (widget-menu.c, widget-dialog.c) ------------------ */

/* What a modal widget calls while it waits: redraw the screen under it
 * (after a resize) and poll running jobs. */
struct ui_modal {
	void (*redraw)(void *arg);
	void (*tick)(void *arg);
	void *arg;
};

/* Pick one of n labels (already translated) in a pop-up menu (menu
 * library, in a panel); returns the index, or -1 (Esc, quit signal). */
int ui_menu_pick(const struct ui_modal *m, const char *title,
    const char *const *labels, int n, int current);
/* Tick any number of n labels in a pop-up menu (O_ONEVALUE off); on
 * Enter copies the ticks to on[] and returns 0, Esc returns -1. */
int ui_menu_checklist(const struct ui_modal *m, const char *title,
    const char *const *labels, bool *on, int n);
/* A message box with buttons (translated); returns the button chosen, or
 * -1 on Esc or a quit signal.  error: draw it in the error colour. */
int ui_dialog(const struct ui_modal *m, const char *title, const char *text,
    const char *const *buttons, int nbuttons, int def, bool error);
/* Write text wrapped into win from row y, at most h rows of width
 * columns from column x; returns the rows used. */
int ui_wrap(WINDOW *win, int y, int x, int width, int h, const char *text,
    int attr);

/* ---- the camera table (widget-camtable.c) ------------------------------- */

/* Columns a step may leave out of a camera table (ui_camtable.hide). */
#define UI_CT_ADDR	0x1
#define UI_CT_VENDOR	0x2
#define UI_CT_MODEL	0x4
#define UI_CT_STATE	0x8
#define UI_CT_EXTRA_MAX	2
/* ui_camtable_current() on the "All cameras" row (ui_camtable.all). */
#define UI_CAMTABLE_ALL ((size_t)-2)

/* The state of a camera table on one step (the steps keep one each). */
struct ui_camtable {
	bool ticks;		/* a [x] column */
	bool names;		/* a name column (the draft camera's) */
	unsigned hide;		/* UI_CT_* columns left out */
	/* a first row that stands for every camera (a "Cameras" choice),
	 * translated, or NULL */
	const char *all;
	/* the step's own columns after the others: headings (translated)
	 * and the text of row i (index in the cameras, allocated) */
	int nextra;
	const char *extra_head[UI_CT_EXTRA_MAX];
	char *(*extra_cell)(void *arg, size_t i, int col);
	/* an attribute for row i (an error colour), or NULL */
	int (*row_attr)(void *arg, size_t i);
	void *arg;
	/* the rows below are reached from the fields above (Down from the
	 * last field): the line under the table says so */
	bool passive;
	int cursor;		/* among the rows shown (filtered) */
	int top;		/* first row shown */
	int height;		/* rows of the last draw (for PgUp/PgDn) */
	bool filtering;		/* typing the filter */
	char filter[48];
};

/* The state column of a camera, translated. */
const char *ui_camtable_state(const struct wdraft_found *f);
/* Draw the cameras of c into rows y .. y + h - 1, columns x .. x + W - 1
 * of win: headings, one row per camera (filtered), and a line with the
 * rows above and below or the filter; cursor: highlight the current row. */
void ui_camtable_draw(struct ui_camtable *t, WINDOW *win, int y, int x,
    int h, int W, const struct wdraft_cams *c, bool cursor);
/* Up, Down, PgUp, PgDn, Home, End, / (filter); WK_HANDLED or
 * WK_UNHANDLED. */
int ui_camtable_key(struct ui_camtable *t, int ch, bool is_key,
    const struct wdraft_cams *c);
/* Whether f passes the filter (is shown). */
bool ui_camtable_matches(const struct ui_camtable *t,
    const struct wdraft_found *f);
/* Index in c->v of the camera under the cursor, UI_CAMTABLE_ALL on the
 * "All cameras" row, or (size_t)-1. */
size_t ui_camtable_current(struct ui_camtable *t,
    const struct wdraft_cams *c);
/* Put the cursor on camera i (UI_CAMTABLE_ALL: the "All cameras" row);
 * the filter is cleared. */
void ui_camtable_select(struct ui_camtable *t, const struct wdraft_cams *c,
    size_t i);
/* Choose a camera in a camera table over most of the screen (a panel):
 * Enter chooses, Esc gives up, `/` filters.  current and the result: 0
 * for the "All cameras" row (t->all), k for camera k-1 of c; -1 on Esc
 * or a quit signal. */
int ui_camtable_pick(const struct ui_modal *m, const char *title,
    struct ui_camtable *t, const struct wdraft_cams *c, int current);
/* The "Cameras" choice of a step whose settings a camera may have of its
 * own (passwords, encoder): ui_camtable_pick over the draft's cameras,
 * "All cameras" first, and a column head saying per camera "its own" (in
 * the list own) or "shared".  t keeps the step's filter between calls. */
int ui_camtable_pick_own(struct wizard *w, const char *title,
    struct ui_camtable *t, const char *head, const struct vg_strlist *own,
    int current);

/* ---- jobs (wizard-job.c) ------------------------------------------------- */

struct wizard_job_ops {
	/* Called by the main loop when fd is readable (every tick if fd is
	 * -1): take the worker's news into progress/detail; return true once
	 * the job has ended (result and cause set). */
	bool (*poll)(struct wizard_job *job);
	/* Ask the worker to stop soon; it must honour its deadlines. */
	void (*cancel)(struct wizard_job *job);
	/* Wait for the worker and free the job. */
	void (*free)(struct wizard_job *job);
};

struct wizard_job {
	const struct wizard_job_ops *ops;
	int fd;			/* readable when there is news, or -1 */
	char *label;		/* translated: what is going on */
	double progress;	/* 0..1, or < 0 when unknown */
	char *detail;		/* translated current item, or NULL */
	bool cancellable;	/* Esc cancels (otherwise it must be short) */
	bool cancelling;	/* Esc was pressed; waiting for the worker */
	int result;		/* vg_err once ended; VG_ERR_CANCELLED */
	char *cause;		/* English detail of a failure, or NULL */
	void *arg;		/* the step's data: the worker owns it */
	void *priv;		/* the implementation's */
};

/* Run fn(job) in a thread: fn returns a vg_err and may set job->cause; it
 * reports with wizard_job_progress() and checks wizard_job_cancelled().
 * arg must be data the worker owns (a copy of the draft, never w->draft).
 * The label is copied. */
struct wizard_job *wizard_job_thread(const char *label,
    int (*fn)(struct wizard_job *job), void *arg, bool cancellable);
/* From the worker: fraction done (< 0 unknown) and the current item. */
void wizard_job_progress(struct wizard_job *job, double fraction,
    const char *detail);
/* From the worker: whether the user cancelled. */
bool wizard_job_cancelled(struct wizard_job *job);
/* From the worker: a flag that becomes non-zero when the user cancels,
 * for core calls that take one (vg_stream_opts.cancel). */
const volatile int *wizard_job_cancel_flag(struct wizard_job *job);
/* From the worker: call fn(arg, i) for every i < n, on up to `threads`
 * threads at once (at most 16); once cancelled no new item starts.  After
 * each item the progress is done/n with name(arg, i) as the detail (name
 * may be NULL).  Returns when every call has returned. */
void wizard_job_each(struct wizard_job *job, size_t n, int threads,
    void (*fn)(void *arg, size_t i), const char *(*name)(void *arg, size_t i),
    void *arg);
/* Hand a job to the wizard (it owns it from now on); one at a time.  When
 * it ends the current step's job_done() is called and the job is freed.
 * Esc asks a cancellable job to stop: the screen stays live ("Cancelling")
 * until the worker, bound by its deadlines, reports its end. */
void wizard_job_start(struct wizard *w, struct wizard_job *job);

/* ---- steps and the wizard (wizard.c) ------------------------------------- */

/* What a step's key handler did with a key. */
enum wizard_key {
	WK_UNHANDLED,	/* the wizard may use it (F-keys, Esc, ^N, ^P) */
	WK_HANDLED,
	WK_NEXT,	/* go to the next step (after validate) */
	WK_BACK,
};

struct wizard_step {
	const char *id;		/* stable name: draft resume, tests */
	const char *title;	/* N_() */
	const char *help;	/* N_() F1 text */
	const struct ui_page_def *page;	/* a page of fields, or NULL */
	/* Build the widgets from the draft (also after a resize). */
	void (*enter)(struct wizard *w);
	/* Draw into w->body. */
	void (*draw)(struct wizard *w);
	/* A key (is_key: a KEY_* code, else a character). */
	int (*key)(struct wizard *w, int ch, bool is_key);
	/* Free the widgets; the draft keeps the values. */
	void (*leave)(struct wizard *w);
	/* May Next leave this step?  Shows the problems if not. */
	bool (*validate)(struct wizard *w);
	/* A job this step started has ended. */
	void (*job_done)(struct wizard *w, struct wizard_job *job);
	/* The Next key's label on this step (N_()), NULL for "Next". */
	const char *next_label;
	/* Called on every turn of the main loop (after a key or a timeout);
	 * returning true asks for the next turn within 50 ms (a live
	 * picture), false within 250 ms. */
	bool (*tick)(struct wizard *w);
};

struct wizard {
	struct vg_config *draft;	/* the configuration being edited */
	struct vg_diags diags;		/* of the draft (wizard_revalidate) */
	size_t storage_i;		/* the storage entry the wizard edits */
	const struct wizard_step *const *steps;
	size_t nsteps;
	size_t cur;
	struct ui_page *pages;		/* one per step */
	WINDOW *body;			/* the step's area */
	WINDOW *logwin;			/* the log pane, when shown */
	bool show_log;
	char *status;			/* one line above the key bar */
	bool status_error;
	char *target;			/* the file to write */
	char *written;			/* what was written, for the summary */
	bool overwrite_ok;		/* the user agreed to replace target */
	char *draft_path;		/* where drafts are saved */
	bool dirty;			/* changed since the last save */
	struct wizard_job *job;		/* running, or NULL */
	bool done;			/* leave the loop */
	int exit_status;
	char *lang_env;			/* LANGUAGE when we started */
	struct ui_modal modal;		/* for dialogs: redraw + tick */
	struct wdraft_cams cams;	/* found cameras, interfaces */
	bool live;			/* the step's tick wants 50 ms turns */
};

/* The step table (wizard.c). */
extern const struct wizard_step *const wizard_steps[];
extern const size_t wizard_nsteps;

/* Remove the saved draft (once the configuration is written). */
void wizard_drop_draft(struct wizard *w);
/* Go to a step of the table (from a job_done hook, say). */
void wizard_goto(struct wizard *w, const struct wizard_step *step);
/* Validate the draft again into w->diags. */
void wizard_revalidate(struct wizard *w);
/* Note a change of the draft (validation, draft dirty). */
void wizard_changed(struct wizard *w);
/* Set the status line (a translated, formatted message). */
void wizard_status(struct wizard *w, bool error, const char *fmt, ...)
    VG_PRINTF(3, 4);
/* Redraw everything now (after a dialog, a resize, a language change). */
void wizard_redraw(struct wizard *w);
/* The page state of the current step. */
struct ui_page *wizard_page(struct wizard *w);
/* Apply a UI language now: "es", "en", or NULL for the locale's. */
void wizard_set_language(struct wizard *w, const char *lang);

/* ---- the steps (step-*.c) ------------------------------------------------ */

extern const struct wizard_step step_language;
extern const struct wizard_step step_site;
extern const struct wizard_step step_nvr;
extern const struct wizard_step step_recording;
extern const struct wizard_step step_storage;
extern const struct wizard_step step_label_studio;
extern const struct wizard_step step_write;
extern const struct wizard_step step_summary;
/* The camera steps (step-discovery.c, step-credentials.c,
 * step-review.c). */
extern const struct wizard_step step_interfaces, step_discovery,
    step_select, step_credentials, step_review;
/* The camera settings and the check (step-network.c, step-time.c,
 * step-encoder.c, step-check.c). */
extern const struct wizard_step step_network, step_time, step_encoder,
    step_check;
/* The check step's results are of another draft: check again on entry. */
void check_forget(void);
/* The storage step's live test (step-storage.c): test the entry the
 * wizard edits in a job (the NVR check when an NVR pushes to it);
 * then_next: on to the next step once it passed.  The step that started
 * it calls storage_test_done() from its job_done hook. */
void storage_test_start(struct wizard *w, bool then_next);
void storage_test_done(struct wizard *w, struct wizard_job *job);
/* What to type into the NVR (translated; compact: one paragraph, else
 * aligned lines), or NULL. */
char *storage_nvr_values(struct wizard *w, bool compact);

#endif /* VIGIA_WIZARD_H */
