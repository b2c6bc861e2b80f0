/* step-storage.c - where segments go: S3, FTP, FTPS, SFTP or a directory.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The wizard edits one storage entry: the one vigiad uploads to, or the
 * one the NVR pushes to (wizard-draft.c keeps the reference).  Switching
 * the type keeps what was typed for the other types, so going back to
 * them loses nothing.
 *
 * F5 tests the target live in a job, as `vigia test` does
 * (vg_store_probe_with: reach, auth, write, read back, delete, the
 * throughput and the uplink budget against the cameras' bitrates); with
 * an NVR by FTP it is the NVR check instead (vg_store_nvr_check: login,
 * directory, mkdir, put, list, delete, passive ports) and the values to
 * type into the NVR.  Next tests a network target that was not tested
 * with these settings; a failed test says what to fix and lets the
 * technician go on anyway or stay.  The NVR step runs the same test
 * (storage_test_start).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "store.h"
#include "wizard.h"

#define S struct vg_storage

/* The storage entry the wizard edits. */
static struct vg_storage *
st_entry(struct wizard *w)
{
	return &w->draft->storage[w->storage_i];
}

/* The page's base. */
static void *
st_base(struct wizard *w)
{
	return st_entry(w);
}

/* "storage[N]": the prefix of the entry's key paths. */
static char *
st_prefix(struct wizard *w)
{
	char *p;

	xasprintf(&p, "storage[%zu]", w->storage_i);
	return p;
}

/* Visibility by type. */
static bool
st_local(struct wizard *w)
{
	return st_entry(w)->type == VG_STORAGE_LOCAL;
}

static bool
st_s3(struct wizard *w)
{
	return st_entry(w)->type == VG_STORAGE_S3;
}

static bool
st_net(struct wizard *w)
{
	enum vg_storage_type t = st_entry(w)->type;

	return t == VG_STORAGE_FTP || t == VG_STORAGE_FTPS ||
	    t == VG_STORAGE_SFTP;
}

static bool
st_ftps(struct wizard *w)
{
	return st_entry(w)->type == VG_STORAGE_FTPS;
}

static bool
st_ftp_any(struct wizard *w)
{
	return st_entry(w)->type == VG_STORAGE_FTP ||
	    st_entry(w)->type == VG_STORAGE_FTPS;
}

static bool
st_sftp(struct wizard *w)
{
	return st_entry(w)->type == VG_STORAGE_SFTP;
}

static bool
st_tls(struct wizard *w)
{
	return st_s3(w) || st_ftps(w) || st_sftp(w);
}

/* The entry's name; renaming follows the references. */
static char *
st_get_name(struct wizard *w)
{
	return xstrdup(st_entry(w)->name != NULL ? st_entry(w)->name : "");
}

static void
st_set_name(struct wizard *w, const char *name)
{
	wdraft_rename_storage(w->draft, w->storage_i, name);
}

/* The type; the port follows (wizard-draft.c). */
static int
st_get_type(struct wizard *w)
{
	return (int)st_entry(w)->type;
}

static void
st_set_type(struct wizard *w, int v)
{
	wdraft_set_storage_type(w->draft, w->storage_i,
	    (enum vg_storage_type)v);
}

/* The FTPS mode; the port follows. */
static int
st_get_tls(struct wizard *w)
{
	return (int)st_entry(w)->tls;
}

static void
st_set_tls(struct wizard *w, int v)
{
	wdraft_set_ftps_mode(w->draft, w->storage_i, (enum vg_ftps_mode)v);
}

static const char *const st_types[] = {
	N_("Local directory"), "S3", "FTP", "FTPS", "SFTP", NULL,
};
static const int st_type_values[] = {
	VG_STORAGE_LOCAL, VG_STORAGE_S3, VG_STORAGE_FTP, VG_STORAGE_FTPS,
	VG_STORAGE_SFTP,
};
static const char *const st_tls_modes[] = {
	N_("Explicit (AUTH TLS, port 21)"), N_("Implicit (port 990)"), NULL,
};

static const struct ui_field st_fields[] = {
	{ .kind = UI_TEXT, .vtype = UV_CUSTOM, .path = ".name",
	    .alias = "vigiad.storage", .label = N_("Entry name"),
	    .get_text = st_get_name, .set_text = st_set_name,
	    .hint = N_("A name for this target in the file, such as "
		"cloud.") },
	{ .kind = UI_CHOICE, .vtype = UV_CUSTOM, .path = ".type",
	    .alias = "nvr.ftp_target", .label = N_("Type"),
	    .choices = st_types, .values = st_type_values,
	    .get_int = st_get_type, .set_int = st_set_type },
	/* local */
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, path),
	    .path = ".path", .label = N_("Directory"), .shown = st_local,
	    .hint = N_("An absolute path on this box, such as "
		"/var/lib/vigia/segments.") },
	/* s3 */
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, bucket),
	    .path = ".bucket", .label = N_("Bucket"), .shown = st_s3 },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, region),
	    .path = ".region", .label = N_("Region"), .shown = st_s3,
	    .hint = N_("Such as us-east-1; MinIO and Ceph accept any.") },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, endpoint),
	    .path = ".endpoint", .label = N_("Endpoint URL"), .shown = st_s3,
	    .hint = N_("Empty for AWS; https://host:port for MinIO, Ceph "
		"and others.") },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, prefix),
	    .path = ".prefix", .label = N_("Key prefix"), .shown = st_s3,
	    .hint = N_("Put in front of every object key, such as "
		"recordings/.") },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, access_key),
	    .path = ".access_key", .label = N_("Access key"), .shown = st_s3 },
	{ .kind = UI_SECRET, .vtype = UV_SECRET,
	    .off = offsetof(S, secret_key), .path = ".secret_key",
	    .label = N_("Secret key"), .shown = st_s3 },
	{ .kind = UI_CHECK, .vtype = UV_BOOL, .off = offsetof(S, path_style),
	    .path = ".path_style", .label = N_("Path-style URLs"),
	    .shown = st_s3,
	    .hint = N_("Space switches it.  MinIO and most S3-compatible "
		"servers want it on.") },
	/* sftp, ftp, ftps */
	{ .kind = UI_CHOICE, .vtype = UV_CUSTOM, .path = ".tls",
	    .label = N_("TLS"), .choices = st_tls_modes, .shown = st_ftps,
	    .get_int = st_get_tls, .set_int = st_set_tls },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, host),
	    .path = ".host", .label = N_("Server"), .shown = st_net,
	    .hint = N_("Host name or IP address.") },
	{ .kind = UI_NUMBER, .vtype = UV_INT, .off = offsetof(S, port),
	    .path = ".port", .label = N_("Port"), .shown = st_net },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, user),
	    .path = ".user", .label = N_("User"), .shown = st_net },
	{ .kind = UI_SECRET, .vtype = UV_SECRET, .off = offsetof(S, password),
	    .path = ".password", .label = N_("Password"), .shown = st_net },
	{ .kind = UI_TEXT, .vtype = UV_STR,
	    .off = offsetof(S, private_key_file), .path = ".private_key_file",
	    .label = N_("Private key file"), .shown = st_sftp,
	    .hint = N_("Instead of a password: an absolute path to an "
		"ed25519 key.") },
	{ .kind = UI_TEXT, .vtype = UV_STR,
	    .off = offsetof(S, host_key_sha256), .path = ".host_key_sha256",
	    .label = N_("Host key SHA256"), .shown = st_sftp,
	    .hint = N_("As printed by ssh-keygen -lf, such as "
		"SHA256:abc...") },
	{ .kind = UI_TEXT, .vtype = UV_STR, .off = offsetof(S, directory),
	    .path = ".directory", .label = N_("Remote directory"),
	    .shown = st_net },
	{ .kind = UI_CHECK, .vtype = UV_BOOL, .off = offsetof(S, passive),
	    .path = ".passive", .label = N_("Passive mode"),
	    .shown = st_ftp_any },
	{ .kind = UI_CHECK, .vtype = UV_BOOL, .off = offsetof(S, insecure),
	    .path = ".insecure", .label = N_("Skip TLS checks"),
	    .shown = st_tls,
	    .hint = N_("Only for tests: the server's certificate or host key "
		"is not checked.") },
};

/* ---- the live test --------------------------------------------------------- */

/* The last test, kept while the settings stay the same. */
static struct {
	struct vg_config *of;	/* the draft it tested */
	bool nvr;		/* the NVR check (else the probe) */
	int result;		/* vg_err of the call */
	char *cause;		/* English, when result != 0 */
	struct vg_probe_report rep;
	bool go_on;		/* the technician went on after a failure */
} stt;

/* A test in a job; the worker owns it until it ends. */
struct st_run {
	struct vg_config *cfg;
	size_t i;		/* the storage entry */
	bool nvr;
	bool then_next;		/* started by Next */
	struct vg_probe_report rep;
	char *cause;
	struct wizard_job *job;
};

/* Whether the NVR pushes to the entry (the NVR check applies). */
static bool
st_nvr_mode(const struct vg_config *cfg)
{
	return cfg->nvr.mode == VG_NVR_FTP;
}

/* Forget the last test. */
static void
st_forget(void)
{
	vg_config_free(stt.of);
	stt.of = NULL;
	free(stt.cause);
	stt.cause = NULL;
	vg_probe_report_clear(&stt.rep);
	stt.go_on = false;
}

/* Whether the last test was of the draft as it is now. */
static bool
st_tested(struct wizard *w)
{
	return stt.of != NULL && vg_config_equal(stt.of, w->draft);
}

/* From the worker: a step ended. */
static void
st_run_step(void *arg, const struct vg_probe_step *s, size_t i)
{
	struct st_run *r = arg;
	int total = r->nvr ? VG_NVR_CHECK_STEPS : VG_PROBE_STEPS;
	char *d;

	xasprintf(&d, "%s: %s", s->what, s->ok ? _("ok") : _("FAILED"));
	wizard_job_progress(r->job, (double)(i + 1) / total, d);
	free(d);
}

/* The worker. */
static int
st_worker(struct wizard_job *job)
{
	struct st_run *r = job->arg;
	struct vg_probe_opts o;

	memset(&o, 0, sizeof o);
	o.stop = wizard_job_cancel_flag(job);
	o.step = st_run_step;
	o.arg = r;
	r->job = job;
	if (r->nvr)
		return vg_store_nvr_check(&r->cfg->storage[r->i], &o, &r->rep,
		    &r->cause);
	return vg_store_probe_with(r->cfg, &r->cfg->storage[r->i], &o,
	    &r->rep, &r->cause);
}

/* Test the storage entry the wizard edits (the NVR check when an NVR
 * pushes to it); then_next: go on to the next step once it passed. */
void
storage_test_start(struct wizard *w, bool then_next)
{
	struct st_run *r = xcalloc(1, sizeof *r);

	r->cfg = vg_config_dup(w->draft);
	r->i = w->storage_i;
	r->nvr = st_nvr_mode(w->draft);
	r->then_next = then_next;
	wizard_job_start(w, wizard_job_thread(r->nvr ?
	    _("Testing the NVR's FTP target") :
	    _("Testing the storage target"), st_worker, r, true));
}

/* What to do about a failed step, in the wizard's words. */
static const char *
st_fix(const struct vg_storage *st, const struct vg_probe_step *s)
{
	const char *c = s->cls != NULL ? s->cls : "";

	if (strcmp(c, "dns") == 0)
		return _("Check the server's name: this box cannot resolve "
		    "it.  Give its IP address, or fix this box's DNS.");
	if (strcmp(c, "net") == 0)
		return _("Check the server's address and port, and that this "
		    "box can reach it (cable, firewall, VPN).");
	if (strcmp(c, "auth") == 0)
		return st->type == VG_STORAGE_S3 ?
		    _("Check the access key and the secret key: the store "
		    "refuses them.") :
		    _("Check the user and the password, and the user's "
		    "rights on the remote directory.");
	if (strcmp(c, "bucket") == 0)
		return _("Create the bucket on the store, or correct the "
		    "bucket name.");
	if (strcmp(c, "region") == 0)
		return _("Correct the region as the message says.");
	if (strcmp(c, "clock") == 0)
		return _("Set this box's clock (NTP): the store refuses "
		    "requests from a clock that is off.");
	if (strcmp(c, "tls") == 0)
		return _("Fix the server's certificate or host key, or tick "
		    "\"Skip TLS checks\" for a test server.");
	if (strcmp(c, "full") == 0)
		return _("Free space on the server.");
	if (strcmp(c, "local") == 0)
		return _("Create the directory, or give one that exists.");
	if (strcmp(c, "passive") == 0)
		return _("Open the server's passive port range in the "
		    "firewall, or set the server's passive address.");
	return _("Read the message above; F5 tests again once it is "
	    "fixed.");
}

/* Whether host is this box's loopback (an NVR cannot use it). */
static bool
st_loopback(const char *host)
{
	return host != NULL && (strncmp(host, "127.", 4) == 0 ||
	    strcmp(host, "localhost") == 0 || strcmp(host, "::1") == 0);
}

/* The values to type into the NVR (translated), or NULL when the NVR
 * does not push to the entry or it has no server yet; compact: one
 * paragraph (a page), else aligned lines (a dialog). */
char *
storage_nvr_values(struct wizard *w, bool compact)
{
	const struct vg_storage *st = &w->draft->storage[w->storage_i];
	const char *mode, *dir = st->directory ? st->directory : "/";
	const char *user = st->user ? st->user : "";
	char *s, *note = NULL;
	int port = st->port > 0 ? st->port :
	    vg_storage_default_port(st->type, st->tls);

	if (!st_nvr_mode(w->draft) || st->host == NULL)
		return NULL;
	if (st->type == VG_STORAGE_SFTP)
		mode = _("SFTP");
	else if (st->type == VG_STORAGE_FTPS)
		mode = st->tls == VG_FTPS_IMPLICIT ? _("FTPS, implicit TLS") :
		    _("FTPS, explicit TLS (AUTH TLS)");
	else
		mode = st->passive ? _("FTP, passive mode") :
		    _("FTP, active mode");
	if (st_loopback(st->host))
		xasprintf(&note, "%s%s", compact ? " " : "\n",
		    _("The NVR cannot reach a loopback address: type this "
		    "box's address on the NVR's network instead."));
	if (compact)
		xasprintf(&s, _("Type into the NVR: server %s, port %d, user "
		    "%s, the password typed here, directory %s, %s.%s"),
		    st->host, port, user, dir, mode, note ? note : "");
	else
		/* TRANSLATORS: keep the labels short and aligned: the
		 * values are typed into the NVR's FTP settings */
		xasprintf(&s, _("Type into the NVR's FTP settings:\n"
		    "  Server     %s\n  Port       %d\n  User       %s\n"
		    "  Password   (the one typed here)\n  Directory  %s\n"
		    "  Protocol   %s%s"), st->host, port, user, dir, mode,
		    note ? note : "");
	free(note);
	return s;
}

/* The report in words: what to fix (or the budget, or what passive mode
 * needs) first, then the NVR's values, then the steps (each with its
 * detail on a tall terminal). */
static char *
st_report_text(struct wizard *w)
{
	const struct vg_storage *st = &stt.of->storage[w->storage_i];
	bool roomy = LINES >= 40;
	char *s = NULL, *t, *nv;
	size_t i, bad;

	if (stt.result != 0) {
		xasprintf(&s, "%s%s%s", vg_strerror(stt.result),
		    stt.cause ? ": " : "", stt.cause ? stt.cause : "");
		return s;
	}
	for (bad = 0; bad < stt.rep.n && stt.rep.steps[bad].ok; bad++)
		;
	if (bad < stt.rep.n)
		xasprintf(&s, _("%s failed: %s\nTo fix: %s"),
		    stt.rep.steps[bad].what, stt.rep.steps[bad].detail,
		    st_fix(st, &stt.rep.steps[bad]));
	else if (stt.nvr && stt.rep.n > 0)
		xasprintf(&s, "%s: %s", stt.rep.steps[stt.rep.n - 1].what,
		    stt.rep.steps[stt.rep.n - 1].detail);
	else if (stt.rep.advice != NULL)
		s = xstrdup(stt.rep.advice);
	else
		s = xstrdup(_("Every step passed."));
	if (stt.rep.ok && (nv = storage_nvr_values(w, false)) != NULL) {
		xasprintf(&t, "%s\n\n%s", s, nv);
		free(s);
		free(nv);
		s = t;
	}
	xasprintf(&t, "%s\n", s);
	free(s);
	s = t;
	if (roomy) {
		for (i = 0; i < stt.rep.n; i++) {
			xasprintf(&t, "%s\n%s %s: %s", s,
			    stt.rep.steps[i].ok ? _("ok") : _("FAILED"),
			    stt.rep.steps[i].what, stt.rep.steps[i].detail);
			free(s);
			s = t;
		}
		return s;
	}
	/* a small terminal: the steps that passed on one line */
	for (i = 0, nv = NULL; i < stt.rep.n; i++) {
		if (!stt.rep.steps[i].ok)
			continue;
		xasprintf(&t, "%s%s%s", nv ? nv : "", nv ? ", " : "",
		    stt.rep.steps[i].what);
		free(nv);
		nv = t;
	}
	if (nv != NULL) {
		/* TRANSLATORS: %s lists steps: "reach, auth, write" */
		xasprintf(&t, _("%s\nPassed: %s."), s, nv);
		free(s);
		free(nv);
		s = t;
	}
	return s;
}

/* A test ended (on this step or the NVR step): keep it, show it. */
void
storage_test_done(struct wizard *w, struct wizard_job *job)
{
	struct st_run *r = job->arg;
	const char *close[] = { _("Close") };
	const char *next[] = { _("Next"), _("Stay") };
	const char *failed[] = { _("Stay and fix it"), _("Go on anyway") };
	const struct wizard_step *here = w->steps[w->cur];
	char *text;
	int b;

	job->arg = NULL;
	if (job->result == VG_ERR_CANCELLED) {
		wizard_status(w, true, "%s", _("Test cancelled; F5 tests "
		    "again."));
		vg_probe_report_clear(&r->rep);
		vg_config_free(r->cfg);
		free(r->cause);
		free(r);
		return;
	}
	st_forget();
	stt.of = r->cfg;
	stt.nvr = r->nvr;
	stt.result = job->result;
	stt.cause = r->cause;
	stt.rep = r->rep;
	text = st_report_text(w);
	if (stt.result == 0 && stt.rep.ok) {
		wizard_status(w, false, "%s", stt.nvr ?
		    _("The NVR's FTP target works.") :
		    _("The storage target works."));
		b = ui_dialog(&w->modal, stt.nvr ?
		    _("NVR FTP target: it works") :
		    _("Storage target: it works"), text,
		    r->then_next ? next : close, r->then_next ? 2 : 1, 0,
		    false);
		if (r->then_next && b == 0)
			wizard_goto(w, w->steps[w->cur + 1]);
	} else {
		wizard_status(w, true, "%s", _("The test failed: fix the "
		    "marked problem, or go on anyway."));
		b = ui_dialog(&w->modal, stt.nvr ?
		    _("NVR FTP target: the test failed") :
		    _("Storage target: the test failed"), text, failed, 2, 0,
		    true);
		if (b == 1) {
			stt.go_on = true;
			if (w->steps[w->cur] == &step_storage)
				wizard_goto(w, w->steps[w->cur + 1]);
		}
	}
	free(text);
	free(r);
	if (w->steps[w->cur] == here)
		page_rebuild(w);	/* the result under the fields */
}

/* Under the fields: the last test of these settings, in a few lines. */
static int
st_extra(struct wizard *w, WINDOW *win, int y, int h, int width)
{
	char *line = NULL;
	size_t i;
	int used;

	if (!st_tested(w)) {
		if (st_entry(w)->type == VG_STORAGE_LOCAL)
			return 0;
		return ui_wrap(win, y, 1, width, h, _("Not tested with these "
		    "settings yet: F5 tests now, Next tests first."),
		    tui_attr(UI_PAIR_DIM));
	}
	if (stt.result != 0 || !stt.rep.ok) {
		for (i = 0; i < stt.rep.n && stt.rep.steps[i].ok; i++)
			;
		if (i < stt.rep.n)
			xasprintf(&line, _("Test FAILED at %s: %s"),
			    stt.rep.steps[i].what, stt.rep.steps[i].detail);
		else
			xasprintf(&line, _("Test FAILED: %s"), stt.cause ?
			    stt.cause : vg_strerror(stt.result));
		used = ui_wrap(win, y, 1, width, h, line,
		    tui_attr(UI_PAIR_ERROR));
	} else {
		xasprintf(&line, "%s %s", _("Test passed."), stt.rep.advice ?
		    stt.rep.advice : "");
		used = ui_wrap(win, y, 1, width, h, line, A_NORMAL);
	}
	free(line);
	return used;
}

/* F5 tests; the rest goes to the page. */
static int
st_key(struct wizard *w, int ch, bool is_key)
{
	if (!is_key || ch != KEY_F(5) || w->job != NULL)
		return page_key(w, ch, is_key);
	if (!page_validate(w))
		return WK_HANDLED;
	storage_test_start(w, false);
	return WK_HANDLED;
}

/* Next: the fields, then a network target tested with these settings. */
static bool
st_validate(struct wizard *w)
{
	const char *buttons[] = { _("Go on anyway"), _("Stay") };
	char *text;
	bool go;

	if (!page_validate(w))
		return false;
	if (st_entry(w)->type == VG_STORAGE_LOCAL && !st_nvr_mode(w->draft))
		return true;
	if (!st_tested(w)) {
		storage_test_start(w, true);
		return false;
	}
	if ((stt.result == 0 && stt.rep.ok) || stt.go_on)
		return true;
	text = st_report_text(w);
	go = ui_dialog(&w->modal, _("Storage target: the test failed"), text,
	    buttons, 2, 1, true) == 0;
	free(text);
	stt.go_on = go;
	return go;
}

/* On entering: say that F5 tests. */
static void
st_enter(struct wizard *w)
{
	page_enter(w);
	wizard_status(w, false, "%s", st_nvr_mode(w->draft) ?
	    _("F5 tests the FTP target as the NVR will use it.") :
	    _("F5 tests the storage target from this box."));
}

static const char *const st_scope[] = {
	".", "vigiad.storage", "nvr.ftp_target", NULL,
};

static const struct ui_page_def st_page = {
	.intro = N_("Where recordings are uploaded.  F5 tests the target "
	    "from this box; Next tests it too."),
	.fields = st_fields,
	.nfields = sizeof st_fields / sizeof st_fields[0],
	.base = st_base,
	.prefix = st_prefix,
	.scope = st_scope,
	.extra = st_extra,
};

const struct wizard_step step_storage = {
	.id = "storage",
	.title = N_("Storage target"),
	.help = N_("S3 covers AWS and S3-compatible servers (MinIO, Ceph): "
	    "give the bucket, region, endpoint and keys.  FTP, FTPS and SFTP "
	    "(such as AWS Transfer Family) need a server, user and password "
	    "or key.  A local directory keeps the segments on this box.  "
	    "Label Studio needs S3.  F5 tests the target from this box (reach, "
	    "log in, write, read back, delete) and weighs the measured upload "
	    "against the cameras' bitrates; Next tests a network target "
	    "first.  A failed test says what to fix; you may stay or go on "
	    "anyway."),
	.page = &st_page,
	.enter = st_enter,
	.key = st_key,
	.validate = st_validate,
	.job_done = storage_test_done,
};
