/* test-config.c - unit tests of the configuration model (src/config.c).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints "ok N - name" or "not ok N - name" per check (tap.h) and exits 1
 * if any failed.  Fixtures are found through $srcdir (automake sets it); files
 * the tests write go to a mkdtemp() directory under $TMPDIR or /tmp.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libvigia.h"
#include "tap.h"

static char *tmpdir;

const char *__lsan_default_suppressions(void);

/* libconfig 1.5 leaks its scanner buffer after some syntax errors (the
 * mutation test makes many); that leak is not ours. */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libconfig.so\n";
}

/* Print diagnostics as TAP comments (to explain a failure). */
static void
diags_dump(const struct vg_diags *d)
{
	size_t i;
	char *s;

	for (i = 0; i < d->n; i++) {
		s = vg_diag_format(&d->v[i]);
		printf("# %s\n", s);
		free(s);
	}
}

/* The first existing file among srcdir-relative candidates; static. */
static const char *
find_src(const char *const *dirs, const char *name)
{
	static char buf[4096];
	const char *srcdir = getenv("srcdir");
	size_t i;

	if (srcdir == NULL || *srcdir == '\0')
		srcdir = ".";
	for (i = 0; dirs[i] != NULL; i++) {
		snprintf(buf, sizeof buf, "%s/%s/%s", srcdir, dirs[i], name);
		if (access(buf, R_OK) == 0)
			return buf;
	}
	snprintf(buf, sizeof buf, "%s/%s/%s", srcdir, dirs[0], name);
	return buf;
}

/* A fixture under tests/fixtures/config. */
static const char *
fixture(const char *name)
{
	static const char *const dirs[] = { "fixtures/config",
	    "tests/fixtures/config", "../fixtures/config",
	    "../tests/fixtures/config", NULL };

	return find_src(dirs, name);
}

/* data/vigia.conf.example. */
static const char *
example(void)
{
	static const char *const dirs[] = { "../data", "data", "../../data",
	    NULL };

	return find_src(dirs, "vigia.conf.example");
}

/* A file name in the temporary directory; static. */
static const char *
tmp(const char *name)
{
	static char buf[2][4096];
	static int n;

	n = !n;
	snprintf(buf[n], sizeof buf[n], "%s/%s", tmpdir, name);
	return buf[n];
}

/* Write a file with a mode. */
static void
put(const char *path, const char *text, size_t len, mode_t mode)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
		printf("Bail out! cannot write %s: %s\n", path,
		    strerror(errno));
		exit(1);
	}
	chmod(path, mode);
}

/* Write a text file in the temporary directory. */
static const char *
put_tmp(const char *name, const char *text, mode_t mode)
{
	const char *p = tmp(name);

	put(p, text, strlen(text), mode);
	return p;
}

/* Read a whole file (NULL if unreadable); caller frees. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = '\0';
			if (len != NULL)
				*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

/* Load a file; diags are printed when verbose or on request. */
static int
load(const char *path, struct vg_config **cfg, struct vg_diags *d)
{
	int r;

	memset(d, 0, sizeof *d);
	r = vg_config_load(path, cfg, d);
	if (getenv("VERBOSE") != NULL)
		diags_dump(d);
	return r;
}

/* Whether a diagnostic has this line (0 = any), path suffix and message
 * substring. */
static bool
has_diag(const struct vg_diags *d, int line, const char *path,
    const char *msg)
{
	size_t i, pl, l;

	for (i = 0; i < d->n; i++) {
		const struct vg_diag *g = &d->v[i];

		if (line != 0 && g->line != line)
			continue;
		if (path != NULL) {
			if (g->path == NULL)
				continue;
			pl = strlen(path);
			l = strlen(g->path);
			if (l < pl || strcmp(g->path + l - pl, path) != 0)
				continue;
		}
		if (msg != NULL && strstr(g->msg, msg) == NULL)
			continue;
		return true;
	}
	diags_dump(d);
	return false;
}

/* A fixture must fail with VG_ERR_CONFIG and report one problem. */
static void
expect_error(const char *name, int line, const char *path, const char *msg,
    const char *title)
{
	struct vg_config *cfg = NULL;
	struct vg_diags d;
	int r = load(fixture(name), &cfg, &d);

	tap_ok(r == VG_ERR_CONFIG && cfg == NULL && has_diag(&d, line, path,
	    msg), title);
	vg_diags_free(&d);
}

/* The fixture good.conf and the values it must produce. */
static void
test_good(void)
{
	struct vg_config *cfg = NULL;
	const struct vg_camera *a, *b;
	const struct vg_storage *nas;
	struct vg_diags d;
	int r = load(fixture("good.conf"), &cfg, &d);

	tap_ok(r == 0 && cfg != NULL && d.n == 0, "good config loads");
	if (cfg == NULL) {
		diags_dump(&d);
		vg_diags_free(&d);
		return;
	}
	a = vg_config_find_camera(cfg, "gate-1");
	b = vg_config_find_camera(cfg, "yard-2");
	nas = vg_config_find_storage(cfg, "nas");
	tap_ok(cfg->version == 1 && strcmp(cfg->site.id, "plant-north") == 0 &&
	    strcmp(cfg->site.language, "es") == 0 && cfg->ncameras == 2 &&
	    cfg->nstorage == 2, "good: site and counts");
	tap_ok(a != NULL && b != NULL && a->line == 16 &&
	    strcmp(a->match.mac, "aa:bb:cc:dd:ee:ff") == 0 &&
	    strcmp(a->onvif.address, "192.168.1.64") == 0 &&
	    a->onvif.port == 80 && a->network.mode == VG_NETWORK_STATIC &&
	    a->network.prefix == 24 && a->network.dns.n == 1,
	    "good: camera match, onvif, network (MAC normalised)");
	tap_ok(a != NULL && a->encoder.codec == VG_CODEC_H265 &&
	    a->encoder.fps == 25 && a->encoder.bitrate_kbps == 3000 &&
	    a->encoder.width == 1920 && a->recording.segment_s == 300 &&
	    a->recording.mode == VG_RECORD_SCHEDULE &&
	    a->recording.schedule.n == 2 &&
	    strcmp(a->credentials.password.value, "inline-pass") == 0,
	    "good: encoder and recording with defaults");
	tap_ok(b != NULL && !b->enabled && b->onvif.port == 8080 &&
	    b->onvif.tls && strcmp(b->onvif.tls_fingerprint, "sha256:"
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")
	    == 0 && strcmp(b->onvif.address, "cam-yard.local") == 0,
	    "good: second camera, fingerprint normalised");
	tap_ok(nas != NULL && nas->type == VG_STORAGE_FTPS &&
	    nas->tls == VG_FTPS_IMPLICIT && nas->port == 990 && nas->passive &&
	    vg_config_find_storage(cfg, "cloud")->part_size_mb == 16,
	    "good: storage with per-type defaults");
	tap_ok(cfg->nvr.mode == VG_NVR_VIGIAD &&
	    strcmp(cfg->vigiad.storage, "cloud") == 0 &&
	    cfg->vigiad.retention.min_free_gb == 7.0 &&
	    cfg->vigiad.retention.min_free_h == 1.5 &&
	    cfg->vigiad.upload_concurrency == 3 &&
	    cfg->vigiad.retention.keep_uploaded_h == 24 &&
	    strcmp(cfg->vigiad.spool_dir, "/var/lib/vigia/spool") == 0,
	    "good: vigiad (integer accepted for a float)");
	tap_ok(vg_config_find_camera(cfg, "nope") == NULL,
	    "find_camera of an unknown name is NULL");
	vg_config_free(cfg);
	vg_diags_free(&d);
}

/* data/vigia.conf.example documents everything and must be valid. */
static void
test_example(void)
{
	struct vg_config *cfg = NULL;
	struct vg_diags d;
	int r = load(example(), &cfg, &d);

	tap_ok(r == 0 && cfg != NULL && d.n == 0,
	    "data/vigia.conf.example loads with zero diagnostics");
	if (d.n > 0)
		diags_dump(&d);
	vg_config_free(cfg);
	vg_diags_free(&d);
}

/* Syntax errors come with file and line. */
static void
test_syntax(void)
{
	struct vg_config *cfg = NULL;
	struct vg_diags d;
	char *s = NULL;
	int r = load(fixture("syntax-error.conf"), &cfg, &d);

	if (d.n > 0)
		s = vg_diag_format(&d.v[0]);
	tap_ok(r == VG_ERR_CONFIG && cfg == NULL && d.n == 1 &&
	    d.v[0].line == 5 && strstr(s, "syntax-error.conf:5: ") != NULL,
	    "syntax error gives file:line");
	free(s);
	vg_diags_free(&d);
}

/* Problems in the fixtures of one kind each. */
static void
test_errors(void)
{
	expect_error("unknown-key.conf", 9,
	    "cameras[0] (\"gate-1\").encoder.bitrate",
	    "did you mean \"bitrate_kbps\"?", "unknown key gives a hint");
	expect_error("wrong-type.conf", 9, "encoder.fps",
	    "expected an integer from 1 to 60, got a string (\"fast\")",
	    "wrong type names both types");
	expect_error("out-of-range.conf", 9, "encoder.fps",
	    "expected an integer from 1 to 60, got 90", "out of range (fps)");
	expect_error("out-of-range.conf", 10, "onvif.port",
	    "from 1 to 65535, got 70000", "out of range (port)");
	expect_error("missing-required.conf", 4, "site.id",
	    "required key \"id\" is missing", "missing required site.id");
	expect_error("missing-required.conf", 6, "cameras[0].name",
	    "required key \"name\"", "missing required camera name");
	expect_error("missing-required.conf", 6,
	    "cameras[0].credentials.user", "defaults.credentials",
	    "missing required user points at defaults");
	expect_error("duplicate-camera.conf", 8, "cameras[1] (\"Gate-1\").name",
	    "already used by cameras[0] (\"gate-1\")", "duplicate camera name");
	expect_error("duplicate-camera.conf", 8, "match.mac",
	    "\"aa:bb:cc:dd:ee:ff\" is already used", "duplicate MAC");
	expect_error("dangling-storage.conf", 8, "vigiad.storage",
	    "no storage entry named \"cloud\"", "dangling vigiad.storage");
}

/* A config with one camera whose credentials group is `cred`. */
static const char *
secret_conf(const char *name, const char *cred)
{
	char *text;
	const char *p;

	if (xasprintf(&text, "version = 1;\nsite = { id = \"s\"; };\n"
	    "cameras = ( {\n  name = \"c\";\n"
	    "  match = { address = \"10.0.0.1\"; };\n"
	    "  credentials = { user = \"u\"; %s };\n} );\n", cred) < 0)
		exit(1);
	p = put_tmp(name, text, 0600);
	free(text);
	return p;
}

/* Load a generated config and look for one diagnostic (or none). */
static void
expect_secret(const char *cred, const char *msg, const char *title)
{
	struct vg_config *cfg = NULL;
	struct vg_diags d;
	int r = load(secret_conf("secret.conf", cred), &cfg, &d);

	if (msg == NULL)
		tap_ok(r == 0 && d.n == 0 && cfg != NULL, title);
	else
		tap_ok(r == VG_ERR_CONFIG && has_diag(&d, 6,
		    "credentials.password_file", msg), title);
	vg_config_free(cfg);
	vg_diags_free(&d);
}

/* Secret files: existence, permissions, conflicts, newline. */
static void
test_secrets(void)
{
	struct vg_config *cfg = NULL;
	struct vg_diags d;
	int r;

	put_tmp("s644", "pw-644\n", 0644);
	put_tmp("s640", "pw-640\n", 0640);
	put_tmp("s600", "pw-600\n", 0600);
	put_tmp("empty", "", 0600);
	expect_secret("password_file = \"missing\";",
	    "missing\" does not exist", "missing secret file");
	expect_secret("password_file = \"s644\";", "chmod 600",
	    "world-readable (0644) secret file refused");
	expect_secret("password_file = \"s640\";", "mode 0640",
	    "group-readable (0640) secret file refused");
	expect_secret("password_file = \"empty\";", "is empty",
	    "empty secret file refused");
	expect_secret("password_file = \"s600\";", NULL,
	    "0600 secret file accepted");
	r = load(tmp("secret.conf"), &cfg, &d);
	tap_ok(r == 0 && cfg != NULL && strcmp(cfg->cameras[0].credentials.
	    password.value, "pw-600") == 0 && strcmp(cfg->cameras[0].
	    credentials.password.file, "s600") == 0,
	    "secret file read, one newline stripped, reference kept");
	vg_config_free(cfg);
	vg_diags_free(&d);
	r = load(secret_conf("secret.conf", "password = \"x\"; "
	    "password_file = \"s600\";"), &cfg, &d);
	tap_ok(r == VG_ERR_CONFIG && has_diag(&d, 6, "credentials.password",
	    "both \"password\" and \"password_file\""),
	    "password and password_file conflict");
	vg_diags_free(&d);
	r = load(secret_conf("secret.conf", "password = \"\";"), &cfg, &d);
	tap_ok(r == VG_ERR_CONFIG && has_diag(&d, 6, "credentials.password",
	    "empty"), "empty inline secret refused");
	vg_diags_free(&d);
}

/* Whether a directory holds a file whose name starts with prefix. */
static bool
dir_has_prefix(const char *dir, const char *prefix)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	bool found = false;

	while (dp != NULL && (e = readdir(dp)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			found = true;
	if (dp != NULL)
		closedir(dp);
	return found;
}

/* load -> save -> load of one file. */
static void
roundtrip(const char *src, const char *title)
{
	struct vg_config *a = NULL, *b = NULL;
	struct vg_diags d;
	char *cause = NULL, *t1, *t2, name[256];
	size_t l1 = 0, l2 = 0;
	struct stat st;
	int r;

	r = load(src, &a, &d);
	vg_diags_free(&d);
	if (r != 0) {
		tap_ok(false, title);
		return;
	}
	r = vg_config_save(a, tmp("saved.conf"), &cause);
	if (r == 0)
		r = load(tmp("saved.conf"), &b, &d);
	vg_diags_free(&d);
	snprintf(name, sizeof name, "%s: load, save, load gives equal configs",
	    title);
	tap_ok(r == 0 && vg_config_equal(a, b), name);
	if (cause != NULL)
		printf("# %s\n", cause);
	r = vg_config_save(b, tmp("saved2.conf"), &cause);
	t1 = slurp(tmp("saved.conf"), &l1);
	t2 = slurp(tmp("saved2.conf"), &l2);
	snprintf(name, sizeof name, "%s: saving twice gives identical bytes",
	    title);
	tap_ok(r == 0 && t1 != NULL && t2 != NULL && l1 == l2 &&
	    memcmp(t1, t2, l1) == 0, name);
	snprintf(name, sizeof name, "%s: saved file is mode 0600, no temporary "
	    "file left", title);
	tap_ok(stat(tmp("saved.conf"), &st) == 0 &&
	    (st.st_mode & 07777) == 0600 && !dir_has_prefix(tmpdir, ".saved"),
	    name);
	free(t1);
	free(t2);
	vg_config_free(a);
	vg_config_free(b);
}

/* Round trips, and secrets from files stay references. */
static void
test_roundtrip(void)
{
	struct vg_config *cfg = NULL;
	struct vg_diags d;
	char *text;
	int r;

	roundtrip(fixture("good.conf"), "good.conf");
	roundtrip(example(), "example");
	roundtrip(fixture("defaults.conf"), "defaults.conf");
	put_tmp("cam.secret", "file-secret-value\n", 0600);
	put_tmp("s3.secret", "s3-file-secret\n", 0600);
	put_tmp("files.conf", "version = 1;\nsite = { id = \"s\"; };\n"
	    "defaults = { credentials = { user = \"u\";\n"
	    "  password_file = \"cam.secret\"; }; };\n"
	    "cameras = ( { name = \"c\"; match = { address = \"10.0.0.1\"; };"
	    " } );\nstorage = ( { name = \"b\"; type = \"s3\"; bucket = "
	    "\"bkt\"; access_key = \"AK\";\n  secret_key_file = "
	    "\"s3.secret\"; } );\n", 0600);
	roundtrip(tmp("files.conf"), "secret files");
	text = slurp(tmp("saved.conf"), NULL);
	tap_ok(text != NULL && strstr(text, "file-secret-value") == NULL &&
	    strstr(text, "s3-file-secret") == NULL &&
	    strstr(text, "password_file = \"cam.secret\";") != NULL &&
	    strstr(text, "secret_key_file = \"s3.secret\";") != NULL,
	    "secrets read from files are saved as *_file, never inlined");
	free(text);
	r = load(tmp("saved.conf"), &cfg, &d);
	tap_ok(r == 0 && cfg != NULL && strcmp(cfg->storage[0].secret_key.value,
	    "s3-file-secret") == 0, "saved *_file reference reads back");
	vg_config_free(cfg);
	vg_diags_free(&d);
}

/* Occurrences of needle in text (0 for NULL text). */
static int
count(const char *text, const char *needle)
{
	int n = 0;

	while (text != NULL && (text = strstr(text, needle)) != NULL) {
		n++;
		text++;
	}
	return n;
}

/* Cameras inherit what they leave out from defaults. */
static void
test_defaults(void)
{
	struct vg_config *cfg = NULL;
	const struct vg_camera *a, *b;
	struct vg_diags d;
	char *text = NULL, *cause = NULL;
	int r = load(fixture("defaults.conf"), &cfg, &d);

	a = cfg != NULL ? vg_config_find_camera(cfg, "a") : NULL;
	b = cfg != NULL ? vg_config_find_camera(cfg, "b") : NULL;
	tap_ok(r == 0 && a != NULL && a->encoder.codec == VG_CODEC_H265 &&
	    a->encoder.fps == 10 && a->encoder.bitrate_kbps == 2048 &&
	    a->encoder.gop == 30 && a->recording.mode == VG_RECORD_MOTION &&
	    a->recording.pre_roll_s == 3 && a->recording.post_roll_s == 10 &&
	    a->time.ntp.n == 2 &&
	    strcmp(a->credentials.password.value, "from-defaults") == 0 &&
	    strcmp(a->credentials.user, "vigia") == 0,
	    "defaults: a camera inherits unset keys");
	tap_ok(b != NULL && b->encoder.fps == 30 &&
	    b->encoder.codec == VG_CODEC_H265 && b->time.ntp.n == 0 &&
	    strcmp(b->credentials.password.value, "own-password") == 0 &&
	    strcmp(b->credentials.user, "vigia") == 0,
	    "defaults: a camera overrides single keys");
	if (cfg != NULL && vg_config_save(cfg, tmp("d.conf"), &cause) == 0)
		text = slurp(tmp("d.conf"), NULL);
	tap_ok(count(text, "fps = 10;") == 1 && count(text, "fps = 30;") == 1 &&
	    count(text, "from-defaults") == 1 && count(text, "codec") == 1,
	    "defaults: inherited keys are not written per camera");
	free(text);
	free(cause);
	vg_config_free(cfg);
	vg_diags_free(&d);
}

/* Mutated copies of the example must never crash the loader. */
static void
test_mutations(void)
{
	static const char junk[] = "{}()[];=\",.\n\\@#x1-_ \t";
	char *orig, *buf;
	size_t len = 0, n, pos, i, bad = 0;
	unsigned long seed = 12345;
	struct vg_config *cfg;
	struct vg_diags d;
	int r, iter;

	orig = slurp(example(), &len);
	if (orig == NULL || len == 0) {
		tap_ok(false, "mutated example files never crash the loader");
		return;
	}
	buf = malloc(len * 2 + 16);
	for (iter = 0; iter < 400; iter++) {
		memcpy(buf, orig, len);
		n = len;
		for (i = 0; i < (size_t)(iter % 5) + 1; i++) {
			seed = seed * 6364136223846793005UL +
			    1442695040888963407UL;
			pos = (seed >> 33) % n;
			switch ((seed >> 20) % 4) {
			case 0:		/* truncate */
				n = pos;
				break;
			case 1:		/* overwrite a byte */
				buf[pos] = (seed >> 8) % 3 == 0 ?
				    (char)(seed >> 12) : junk[(seed >> 12) %
				    (sizeof junk - 1)];
				break;
			case 2:		/* delete a run */
				memmove(buf + pos, buf + pos + (n - pos) / 8,
				    n - pos - (n - pos) / 8);
				n -= (n - pos) / 8;
				break;
			default:	/* duplicate a run */
				if (n + 64 < len * 2) {
					memmove(buf + pos + 32, buf + pos,
					    n - pos);
					n += 32;
				}
				break;
			}
			if (n == 0)
				break;
		}
		put(tmp("mutant.conf"), buf, n, 0600);
		cfg = NULL;
		r = load(tmp("mutant.conf"), &cfg, &d);
		if ((r == 0) != (cfg != NULL) || (r == 0) != (d.n == 0))
			bad++;
		vg_config_free(cfg);
		vg_diags_free(&d);
	}
	tap_ok(bad == 0, "mutated example files never crash the loader and "
	    "return consistent results");
	free(buf);
	free(orig);
}

/* API details: formatting, missing file, in-memory drafts, schedules. */
static void
test_api(void)
{
	char file[] = "f.conf", path[] = "site.id", msg[] = "msg";
	struct vg_diag g = { file, 0, path, msg };
	struct vg_config *cfg = vg_config_new(), *dup;
	struct vg_schedule_rule rule;
	struct vg_camera *cam;
	struct vg_diags d = { 0, NULL };
	char *s = vg_diag_format(&g), *cause = NULL;
	int r;

	tap_ok(strcmp(s, "f.conf: site.id: msg") == 0,
	    "diag format leaves out line 0");
	free(s);
	g.line = 7;
	s = vg_diag_format(&g);
	tap_ok(strcmp(s, "f.conf:7: site.id: msg") == 0,
	    "diag format FILE:LINE: PATH: MSG");
	free(s);
	r = vg_config_load(tmp("does-not-exist.conf"), &dup, &d);
	tap_ok(r == VG_ERR_NOTFOUND && dup == NULL && d.n == 1,
	    "missing file: VG_ERR_NOTFOUND with a diagnostic");
	vg_diags_free(&d);
	r = vg_config_validate(cfg, &d);
	tap_ok(r == VG_ERR_CONFIG && has_diag(&d, 0, "site.id", "required"),
	    "validate: a new config needs site.id");
	vg_diags_free(&d);
	cfg->site.id = strdup("draft");
	cam = vg_config_add_camera(cfg, "cam-1");
	cam->match.address = strdup("10.1.1.1");
	cam->onvif.address = strdup("10.1.1.1");
	cam->credentials.user = strdup("u");
	cam->credentials.password.value = strdup("pw-draft");
	cam->encoder.fps = 500;
	r = vg_config_validate(cfg, &d);
	tap_ok(r == VG_ERR_CONFIG && d.n == 1 && has_diag(&d, 0,
	    "cameras[0] (\"cam-1\").encoder.fps", "got 500"),
	    "validate: a draft reports the bad value with its path");
	vg_diags_free(&d);
	cfg->cameras[0].encoder.fps = 20;
	dup = vg_config_dup(cfg);
	tap_ok(vg_config_validate(dup, &d) == 0 && vg_config_equal(cfg, dup),
	    "validate: fixed draft passes; dup is equal");
	dup->cameras[0].encoder.fps = 21;
	tap_ok(!vg_config_equal(cfg, dup), "equal notices a changed value");
	tap_ok(vg_config_save(cfg, tmp("draft.conf"), &cause) == 0,
	    "a draft saves");
	vg_config_free(dup);
	vg_config_free(cfg);
	vg_config_free(NULL);
	vg_diags_free(&d);
	tap_ok(vg_schedule_parse("mon-fri 08:00-18:00", &rule, NULL) == 0 &&
	    rule.days == 0x1f && rule.start_min == 480 && rule.end_min == 1080,
	    "schedule: mon-fri 08:00-18:00");
	tap_ok(vg_schedule_parse("sat,sun 22:00-06:00", &rule, NULL) == 0 &&
	    rule.days == 0x60 && rule.end_min < rule.start_min &&
	    vg_schedule_parse("fri-mon 10:00-10:00", &rule, &cause) != 0 &&
	    cause != NULL, "schedule: overnight and empty ranges");
	free(cause);
}

/* Remove a directory that holds only files. */
static void
rmdir_flat(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	char p[4200];

	while (dp != NULL && (e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		unlink(p);
	}
	if (dp != NULL)
		closedir(dp);
	rmdir(dir);
}

/* Run every test. */
int
main(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[4096];

	snprintf(tmpl, sizeof tmpl, "%s/test-config.XXXXXX",
	    base != NULL && *base != '\0' ? base : "/tmp");
	if ((tmpdir = mkdtemp(tmpl)) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	umask(022);
	test_good();
	test_example();
	test_syntax();
	test_errors();
	test_secrets();
	test_roundtrip();
	test_defaults();
	test_mutations();
	test_api();
	if (tap_failed == 0 && getenv("KEEP_TMP") == NULL)
		rmdir_flat(tmpdir);
	else
		printf("# files kept in %s\n", tmpdir);
	return tap_done();
}
