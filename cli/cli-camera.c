/* cli-camera.c - `vigia camera ...`: one camera, one job.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TARGET is host[:port][/path], a device-service URL, or the name of a
 * camera in --config FILE.  The password never comes from the command
 * line (ps would show it): --password-file, $VIGIA_PASSWORD, or a prompt
 * on the terminal.  Every command prints an aligned table, or JSON with
 * --json, and exits 0 (done), 1 (failed), 2 (usage) or 3 (bad config).
 */
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "i18n.h"
#include "libvigia.h"
#include "text-json.h"

#define CAM_MAX_LIST 8

enum cam_cmd {
	CAM_INFO,
	CAM_PROFILES,
	CAM_SET_USER,
	CAM_SET_IP,
	CAM_SET_TIME,
	CAM_SET_ENCODER,
	CAM_EVENTS,
	CAM_REBOOT,
	CAM_NCMDS,
	CAM_ALL = -1,		/* an option every command takes */
};

/* A repeatable option's values. */
struct cam_list {
	const char *v[CAM_MAX_LIST];
	size_t n;
};

/* Options of every camera command (each uses some). */
struct cam_args {
	enum cam_cmd cmd;
	const char *prog;
	const char *target;
	const char *user;
	const char *password_file;
	const char *config;
	int timeout_ms;
	bool tls, legacy_tls, json;
	const char *fingerprint;
	/* set-user */
	const char *new_user, *new_password_file;
	int level;		/* enum vg_onvif_user_level */
	/* set-ip */
	const char *address;
	const char *gateway;
	struct cam_list dns, ifs;
	int follow_s;
	/* set-time */
	struct cam_list ntp_l;
	struct vg_strlist ntp;	/* ntp_l, as set-time takes it */
	const char *timezone;
	bool manual;
	/* set-encoder */
	const char *profile;
	struct vg_onvif_encoder_want want;
	int codec;		/* enum vg_onvif_codec, into want */
	const char *resolution;	/* WxH, into want */
	int quality;		/* into want */
	/* events */
	int duration_s;
	bool topics;
};

static volatile sig_atomic_t cam_stop;

/* SIGINT/SIGTERM during `camera events`: finish the pull and stop. */
static void
cam_on_signal(int sig)
{
	(void)sig;
	cam_stop = 1;
}

/* ---- help ---------------------------------------------------------------- */

/* Help common to every camera command. */
static void
cam_help_common(void)
{
	fputs(_("TARGET is HOST[:PORT][/PATH], a device-service URL, or a "
	    "camera name\nfrom --config.\n\n"), stdout);
	fputs(_("  -u, --user=USER            ONVIF user (default: "
	    "$VIGIA_USER, else none:\n"
	    "                             a factory-new camera)\n"
	    "  -p, --password-file=FILE   read the password from FILE "
	    "(\"-\": stdin);\n"
	    "                             else $VIGIA_PASSWORD, else a "
	    "prompt\n"
	    "  -c, --config=FILE          take TARGET, user and password from "
	    "FILE\n"
	    "      --timeout=MS           per request (default 5000)\n"
	    "      --tls                  use https\n"
	    "      --legacy-tls           allow TLS 1.0/1.1 and weak keys "
	    "(old firmware)\n"
	    "      --tls-fingerprint=FP   expect this certificate "
	    "(sha256:HEX)\n"
	    "      --json                 print JSON\n"
	    "  -h, --help                 show this help and exit\n\n"),
	    stdout);
	fputs(_("Exit status: 0 on success, 1 if it failed, 2 on a usage "
	    "error,\n3 if the configuration is invalid.\n"), stdout);
}

/* ---- arguments ----------------------------------------------------------- */

/* One accepted spelling of a choice and what it stands for. */
struct cam_choice {
	const char *name;
	int value;
};

static const struct cam_choice cam_levels[] = {
	{ "admin", VG_ONVIF_ADMIN }, { "administrator", VG_ONVIF_ADMIN },
	{ "operator", VG_ONVIF_OPERATOR }, { "user", VG_ONVIF_USER },
	{ NULL, 0 },
};
static const struct cam_choice cam_codecs[] = {
	{ "H264", VG_ONVIF_CODEC_H264 }, { "H.264", VG_ONVIF_CODEC_H264 },
	{ "H265", VG_ONVIF_CODEC_H265 }, { "H.265", VG_ONVIF_CODEC_H265 },
	{ "JPEG", VG_ONVIF_CODEC_JPEG }, { "MJPEG", VG_ONVIF_CODEC_JPEG },
	{ NULL, 0 },
};
static const struct cam_choice cam_eprofiles[] = {
	{ "Baseline", 0 }, { "Main", 0 }, { "High", 0 }, { NULL, 0 },
};

/* How an option's argument is kept in struct cam_args. */
enum cam_how {
	CAM_HOW_STR,		/* const char * */
	CAM_HOW_FLAG,		/* bool, set to true (no argument) */
	CAM_HOW_INT,		/* int within min..max */
	CAM_HOW_LIST,		/* appended to a struct cam_list */
	CAM_HOW_CHOICE,		/* int, the value of one of choices */
	CAM_HOW_NAME,		/* const char *, the name of one of choices */
	CAM_HOW_HELP,		/* show the help and exit */
};

/* cam_parse(): --help was asked */
#define CAM_HELP (-2)

/* One option: its name, the command it belongs to, where it goes. */
struct cam_opt {
	const char *name;
	char key;		/* short option, or 0 */
	int only;		/* enum cam_cmd, or CAM_ALL */
	enum cam_how how;
	size_t off;		/* offsetof(struct cam_args, ...) */
	int min, max;		/* CAM_HOW_INT */
	const struct cam_choice *choices;	/* CAM_HOW_CHOICE */
	const char *bad;	/* N_() usage error of a wrong choice */
};

#define CAM_AT(m) offsetof(struct cam_args, m)
static const struct cam_opt cam_opts[] = {
	{ "user", 'u', CAM_ALL, CAM_HOW_STR, CAM_AT(user), 0, 0, NULL, NULL },
	{ "password-file", 'p', CAM_ALL, CAM_HOW_STR, CAM_AT(password_file),
	    0, 0, NULL, NULL },
	{ "config", 'c', CAM_ALL, CAM_HOW_STR, CAM_AT(config), 0, 0, NULL,
	    NULL },
	{ "timeout", 0, CAM_ALL, CAM_HOW_INT, CAM_AT(timeout_ms), 100, 120000,
	    NULL, NULL },
	{ "tls", 0, CAM_ALL, CAM_HOW_FLAG, CAM_AT(tls), 0, 0, NULL, NULL },
	{ "legacy-tls", 0, CAM_ALL, CAM_HOW_FLAG, CAM_AT(legacy_tls), 0, 0,
	    NULL, NULL },
	{ "tls-fingerprint", 0, CAM_ALL, CAM_HOW_STR, CAM_AT(fingerprint), 0,
	    0, NULL, NULL },
	{ "json", 0, CAM_ALL, CAM_HOW_FLAG, CAM_AT(json), 0, 0, NULL, NULL },
	{ "help", 'h', CAM_ALL, CAM_HOW_HELP, 0, 0, 0, NULL, NULL },
	{ "new-user", 0, CAM_SET_USER, CAM_HOW_STR, CAM_AT(new_user), 0, 0,
	    NULL, NULL },
	{ "new-password-file", 0, CAM_SET_USER, CAM_HOW_STR,
	    CAM_AT(new_password_file), 0, 0, NULL, NULL },
	{ "level", 0, CAM_SET_USER, CAM_HOW_CHOICE, CAM_AT(level), 0, 0,
	    cam_levels, N_("--level must be admin, operator or user") },
	{ "address", 0, CAM_SET_IP, CAM_HOW_STR, CAM_AT(address), 0, 0, NULL,
	    NULL },
	{ "gateway", 0, CAM_SET_IP, CAM_HOW_STR, CAM_AT(gateway), 0, 0, NULL,
	    NULL },
	{ "dns", 0, CAM_SET_IP, CAM_HOW_LIST, CAM_AT(dns), 0, 0, NULL, NULL },
	{ "follow-timeout", 0, CAM_SET_IP, CAM_HOW_INT, CAM_AT(follow_s), 1,
	    3600, NULL, NULL },
	{ "interface", 'i', CAM_SET_IP, CAM_HOW_LIST, CAM_AT(ifs), 0, 0, NULL,
	    NULL },
	{ "ntp", 0, CAM_SET_TIME, CAM_HOW_LIST, CAM_AT(ntp_l), 0, 0, NULL,
	    NULL },
	{ "timezone", 0, CAM_SET_TIME, CAM_HOW_STR, CAM_AT(timezone), 0, 0,
	    NULL, NULL },
	{ "manual", 0, CAM_SET_TIME, CAM_HOW_FLAG, CAM_AT(manual), 0, 0, NULL,
	    NULL },
	{ "profile", 0, CAM_SET_ENCODER, CAM_HOW_STR, CAM_AT(profile), 0, 0,
	    NULL, NULL },
	{ "codec", 0, CAM_SET_ENCODER, CAM_HOW_CHOICE, CAM_AT(codec), 0, 0,
	    cam_codecs, N_("--codec must be H264, H265 or JPEG") },
	{ "resolution", 0, CAM_SET_ENCODER, CAM_HOW_STR, CAM_AT(resolution), 0,
	    0, NULL, NULL },
	{ "fps", 0, CAM_SET_ENCODER, CAM_HOW_INT, CAM_AT(want.fps), 1, 240,
	    NULL, NULL },
	{ "bitrate", 0, CAM_SET_ENCODER, CAM_HOW_INT, CAM_AT(want.bitrate_kbps),
	    16, 200000, NULL, NULL },
	{ "gop", 0, CAM_SET_ENCODER, CAM_HOW_INT, CAM_AT(want.gop), 1, 1000,
	    NULL, NULL },
	{ "encoder-profile", 0, CAM_SET_ENCODER, CAM_HOW_NAME,
	    CAM_AT(want.profile), 0, 0, cam_eprofiles,
	    N_("--encoder-profile must be Baseline, Main or High") },
	{ "quality", 0, CAM_SET_ENCODER, CAM_HOW_INT, CAM_AT(quality), 1, 100,
	    NULL, NULL },
	{ "duration", 0, CAM_EVENTS, CAM_HOW_INT, CAM_AT(duration_s), 0, 86400,
	    NULL, NULL },
	{ "topics", 0, CAM_EVENTS, CAM_HOW_FLAG, CAM_AT(topics), 0, 0, NULL,
	    NULL },
};
#undef CAM_AT
#define CAM_NOPTS (sizeof cam_opts / sizeof cam_opts[0])

/* Parse a positive integer option into *v; false if invalid. */
static bool
cam_int(const char *s, int min, int max, int *v)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*end != '\0' || end == s || n < min || n > max)
		return false;
	*v = (int)n;
	return true;
}

/* Keep the argument of option o in a; returns -1 to go on, CAM_HELP, or
 * an exit status. */
static int
cam_take(struct cam_args *a, const struct cam_opt *o, const char *arg)
{
	char *field = (char *)a + o->off, spelled[64];
	struct cam_list *l = (struct cam_list *)(void *)field;
	size_t i = 0;

	snprintf(spelled, sizeof spelled, "--%s", o->name);

	if (o->only != CAM_ALL && o->only != (int)a->cmd)
		return cli_usage_error(a->prog,
		    _("option '%s' does not apply here"), spelled);
	switch (o->how) {
	case CAM_HOW_STR:
		*(const char **)(void *)field = arg;
		break;
	case CAM_HOW_FLAG:
		*(bool *)(void *)field = true;
		break;
	case CAM_HOW_INT:
		if (!cam_int(arg, o->min, o->max, (int *)(void *)field))
			return cli_usage_error(a->prog,
			    _("invalid value '%s' for '%s'"), arg, spelled);
		break;
	case CAM_HOW_LIST:
		if (l->n == CAM_MAX_LIST)
			return cli_usage_error(a->prog,
			    _("too many values for '%s'"), spelled);
		l->v[l->n++] = arg;
		break;
	case CAM_HOW_CHOICE:
	case CAM_HOW_NAME:
		while (o->choices[i].name != NULL &&
		    strcasecmp(arg, o->choices[i].name) != 0)
			i++;
		if (o->choices[i].name == NULL)
			return cli_usage_error(a->prog, "%s", _(o->bad));
		if (o->how == CAM_HOW_NAME)
			*(const char **)(void *)field = o->choices[i].name;
		else
			*(int *)(void *)field = o->choices[i].value;
		break;
	case CAM_HOW_HELP:
		return CAM_HELP;
	}
	return -1;
}

/* What the options asked for, checked as a whole; -1 or an exit status. */
static int
cam_check(struct cam_args *a)
{
	char *slash;
	int n;

	if (a->legacy_tls || a->fingerprint != NULL)
		a->tls = true;
	a->want.codec = (enum vg_onvif_codec)a->codec;
	a->want.quality = (float)a->quality;
	a->ntp.v = (char **)a->ntp_l.v;
	a->ntp.n = a->ntp_l.n;
	if (a->resolution != NULL && (sscanf(a->resolution, "%dx%d%n",
	    &a->want.width, &a->want.height, &n) != 2 ||
	    a->resolution[n] != '\0' || a->want.width < 16 ||
	    a->want.height < 16 || a->want.width > 16384 ||
	    a->want.height > 16384))
		return cli_usage_error(a->prog, _("--resolution must look like "
		    "1920x1080"));
	if (a->cmd == CAM_SET_USER && a->new_user == NULL)
		return cli_usage_error(a->prog, _("--new-user is required"));
	if (a->cmd == CAM_SET_IP && a->address == NULL)
		return cli_usage_error(a->prog, _("--address is required"));
	if (a->cmd == CAM_SET_IP && ((slash = strchr(a->address, '/')) ==
	    NULL || !cam_int(slash + 1, 1, 32, &n)))
		return cli_usage_error(a->prog, _("--address must look like "
		    "192.168.1.20/24"));
	if (a->cmd == CAM_SET_TIME && a->ntp.n == 0 && !a->manual &&
	    a->timezone == NULL)
		return cli_usage_error(a->prog, _("give --ntp, --manual or "
		    "--timezone"));
	if (a->cmd == CAM_SET_TIME && a->ntp.n > 0 && a->manual)
		return cli_usage_error(a->prog, _("--ntp and --manual "
		    "exclude each other"));
	if (a->cmd == CAM_SET_ENCODER && a->want.codec ==
	    VG_ONVIF_CODEC_UNKNOWN && a->want.width == 0 &&
	    a->want.fps == 0 && a->want.bitrate_kbps == 0 &&
	    a->want.gop == 0 && a->want.profile == NULL &&
	    a->want.quality == 0)
		return cli_usage_error(a->prog, _("nothing to set: give at "
		    "least one of --codec, --resolution, --fps, --bitrate, "
		    "--gop, --encoder-profile, --quality"));
	return -1;
}

/* Parse argv for command cmd; returns -1 to go on, CAM_HELP, or an exit
 * status. */
static int
cam_parse(struct cam_args *a, enum cam_cmd cmd, int argc, char **argv)
{
	struct option lo[CAM_NOPTS + 1];
	size_t i;
	int c, ret;

	memset(a, 0, sizeof *a);
	a->cmd = cmd;
	a->prog = argv[0];
	a->user = getenv("VIGIA_USER");
	a->level = VG_ONVIF_OPERATOR;
	a->duration_s = 10;
	memset(lo, 0, sizeof lo);
	for (i = 0; i < CAM_NOPTS; i++) {
		lo[i].name = cam_opts[i].name;
		lo[i].has_arg = cam_opts[i].how == CAM_HOW_FLAG ||
		    cam_opts[i].how == CAM_HOW_HELP ? no_argument :
		    required_argument;
		lo[i].val = cam_opts[i].key != 0 ? cam_opts[i].key :
		    256 + (int)i;
	}
	while ((c = getopt_long(argc, argv, "+:u:p:c:i:h", lo, NULL)) != -1) {
		for (i = 0; i < CAM_NOPTS; i++)
			if (lo[i].val == c)
				break;
		if (i == CAM_NOPTS)
			return cli_bad_option(a->prog, c, argv);
		if ((ret = cam_take(a, &cam_opts[i], optarg)) != -1)
			return ret;
	}
	if (argc - optind != 1)
		return cli_usage_error(a->prog, _("expected exactly one "
		    "TARGET"));
	a->target = argv[optind];
	return cam_check(a);
}

/* ---- JSON ---------------------------------------------------------------- */

/* Print a JSON value and free it. */
static void
cam_json_out(json_t *o)
{
	char *t = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	puts(t);
	free(t);
	json_decref(o);
}

/* JSON string, or null when the camera gave none (NULL or ""), as the
 * text shows "-". */
static json_t *
jstr(const char *s)
{
	return s != NULL && *s != '\0' ? vg_json_text(s) : json_null();
}

/* Set string members of o from KEY, VALUE pairs that end with a NULL
 * KEY; an absent VALUE (NULL or "") is null. */
static void __attribute__((sentinel))
cam_json_strs(json_t *o, ...)
{
	const char *key;
	va_list ap;

	va_start(ap, o);
	while ((key = va_arg(ap, const char *)) != NULL)
		json_object_set_new(o, key, jstr(va_arg(ap, const char *)));
	va_end(ap);
}

/* JSON number, or null when the camera did not report it (0 or less:
 * the core's "unknown"). */
static json_t *
jcount(int64_t v)
{
	return v > 0 ? json_integer(v) : json_null();
}

/* An encoder's settings as JSON; what the camera does not report is
 * null. */
static json_t *
cam_json_encoder(const struct vg_onvif_encoder *e)
{
	json_t *o = json_object();

	json_object_set_new(o, "token", jstr(e->token));
	json_object_set_new(o, "codec", e->codec != VG_ONVIF_CODEC_UNKNOWN ?
	    json_string(vg_onvif_codec_name(e->codec)) : json_null());
	json_object_set_new(o, "width", jcount(e->width));
	json_object_set_new(o, "height", jcount(e->height));
	json_object_set_new(o, "fps", jcount(e->fps));
	json_object_set_new(o, "bitrate_kbps", jcount(e->bitrate_kbps));
	json_object_set_new(o, "gop", jcount(e->gop));
	json_object_set_new(o, "profile", jstr(e->profile));
	json_object_set_new(o, "quality", e->quality > 0 ?
	    vg_json_real(e->quality) : json_null());
	json_object_set_new(o, "media2", json_boolean(e->media2));
	return o;
}

/* JSON array of strings. */
static json_t *
jstrv(char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, vg_json_text(v[i]));
	return a;
}

/* ---- session ------------------------------------------------------------- */

/* A password from file, $envvar or the terminal (asked with the prompt
 * that fmt makes) into *pw, registered as a secret (vg_secret_free() it);
 * returns -1, or CLI_EXIT_USAGE after saying why there is none. */
static int __attribute__((format(printf, 5, 6)))
cam_password(const struct cam_args *a, const char *file, const char *envvar,
    char **pw, const char *fmt, ...)
{
	const char *env;
	char *prompt, *cause = NULL;
	va_list ap;
	int ret = -1;

	*pw = NULL;
	if (file != NULL)
		*pw = cli_read_secret_file(file, &cause);
	else if ((env = getenv(envvar)) != NULL)
		*pw = xstrdup(env);
	else if (isatty(STDIN_FILENO)) {
		va_start(ap, fmt);
		xvasprintf(&prompt, fmt, ap);
		va_end(ap);
		*pw = cli_prompt_secret(prompt);
		free(prompt);
	}
	if (*pw != NULL)
		vg_log_add_secret(*pw);
	else {
		if (cause == NULL)
			xasprintf(&cause, "no password: use --password-file "
			    "or $%s", envvar);
		ret = cli_usage_error(a->prog, "%s", cause);
	}
	free(cause);
	return ret;
}

/* Report a failure of s (or of opening it) to the technician. */
static int
cam_fail(const struct cam_args *a, struct vg_onvif *s, enum vg_onvif_class cls,
    int err, const char *cause)
{
	const char *reason = s != NULL ? vg_onvif_last_reason(s) : NULL;

	if (s != NULL)
		cls = vg_onvif_last_class(s);
	if (a->json) {
		json_t *o = json_object();
		char *t;

		json_object_set_new(o, "ok", json_false());
		json_object_set_new(o, "class",
		    json_string(vg_onvif_class_name(cls)));
		json_object_set_new(o, "error", vg_json_text(cause != NULL ?
		    cause : vg_strerror(err)));
		json_object_set_new(o, "reason", jstr(reason));
		t = json_dumps(o, JSON_PRESERVE_ORDER);
		puts(t);
		free(t);
		json_decref(o);
	}
	if (cls != VG_ONVIF_OK)
		fprintf(stderr, "%s: %s: %s\n", a->prog, a->target,
		    vg_onvif_class_text(cls));
	else
		fprintf(stderr, "%s: %s: %s\n", a->prog, a->target,
		    vg_strerror(err));
	if (reason != NULL && cls == VG_ONVIF_FAULT)
		/* TRANSLATORS: %s is the camera's own text */
		fprintf(stderr, _("  The camera says: %s\n"),
		    cli_safe(reason));
	if (cause != NULL)
		fprintf(stderr, "  (%s)\n", cli_safe(cause));
	return err == VG_ERR_CONFIG ? CLI_EXIT_CONFIG : CLI_EXIT_FAIL;
}

/* cam_fail() for a command on its open session; frees *cause.  Returns
 * the exit status. */
static int
cam_failed(const struct cam_args *a, struct vg_onvif *s, int err,
    char **cause)
{
	int ret = cam_fail(a, s, VG_ONVIF_OK, err, *cause);

	free(*cause);
	*cause = NULL;
	return ret;
}

/* Open the session a command works on. */
static int
cam_open(struct cam_args *a, bool admin, struct vg_onvif **s)
{
	struct vg_config *cfg = NULL;
	struct vg_diags diags = { 0, NULL };
	const struct vg_camera *cam;
	struct vg_onvif_opts o;
	char *url = NULL, *pw = NULL, *cause = NULL;
	int err, ret = -1;

	*s = NULL;
	if (a->config != NULL) {
		err = vg_config_load(a->config, &cfg, &diags);
		vg_diags_free(&diags);
		if (err != VG_OK) {
			fprintf(stderr, _("%s: %s is not valid; run 'vigia "
			    "config check %s'\n"), a->prog, a->config,
			    a->config);
			return CLI_EXIT_CONFIG;
		}
		if ((cam = vg_config_find_camera(cfg, a->target)) == NULL) {
			fprintf(stderr, _("%s: no camera named '%s' in %s\n"),
			    a->prog, a->target, a->config);
			vg_config_free(cfg);
			return CLI_EXIT_USAGE;
		}
		err = vg_onvif_open_camera(cam, admin, s, &cause);
		vg_config_free(cfg);
		if (err != VG_OK) {
			ret = cam_fail(a, NULL, VG_ONVIF_UNREACHABLE, err,
			    cause);
			goto out;
		}
		return -1;
	}
	if ((err = vg_onvif_target_url(a->target, a->tls, &url, &cause)) !=
	    VG_OK) {
		ret = cli_usage_error(a->prog, "%s", cause);
		goto out;
	}
	if (a->user != NULL && (ret = cam_password(a, a->password_file,
	    "VIGIA_PASSWORD", &pw, _("Password for %s at %s: "), a->user,
	    a->target)) >= 0)
		goto out;
	memset(&o, 0, sizeof o);
	o.user = a->user;
	o.password = pw;
	o.timeout_ms = a->timeout_ms;
	o.legacy_tls = a->legacy_tls;
	o.tls_fingerprint = a->fingerprint;
	err = vg_onvif_open(url, &o, s, &cause);
	if (err != VG_OK) {
		/* the session is gone: classify from the cause */
		enum vg_onvif_class cls = vg_onvif_open_class(err, cause);

		ret = cam_fail(a, NULL, cls, err, cause);
	}
out:
	free(url);
	free(cause);
	vg_secret_free(pw);
	return ret;
}

/* After a TLS session: tell the technician about trust on first use. */
static void
cam_tls_note(const struct cam_args *a, const struct vg_onvif *s)
{
	if (!vg_onvif_tls_first_use(s) || a->json)
		return;
	fprintf(stderr, _("%s: trusting the camera's certificate on first "
	    "use: %s\n  Pin it with --tls-fingerprint or onvif."
	    "tls_fingerprint in the configuration.\n"), a->prog,
	    vg_onvif_tls_fingerprint(s));
}

/* Session facts every JSON answer carries. */
static void
cam_json_session(json_t *o, const struct vg_onvif *s)
{
	bool known;
	int64_t off = vg_onvif_clock_offset(s, &known);

	json_object_set_new(o, "ok", json_true());
	json_object_set_new(o, "url", vg_json_text(vg_onvif_url(s)));
	json_object_set_new(o, "clock_offset_s", known ?
	    json_integer(off) : json_null());
	json_object_set_new(o, "http_digest",
	    json_boolean(vg_onvif_uses_http_digest(s)));
	json_object_set_new(o, "tls_fingerprint",
	    jstr(vg_onvif_tls_fingerprint(s)));
	json_object_set_new(o, "tls_first_use",
	    json_boolean(vg_onvif_tls_first_use(s)));
}

/* The failure of a command that reports in JSON even when it fails:
 * class and error, null when it succeeded. */
static void
cam_json_error(json_t *o, const struct vg_onvif *s, int err, const char *cause)
{
	json_object_set_new(o, "class", err != VG_OK ? json_string(
	    vg_onvif_class_name(vg_onvif_last_class(s))) : json_null());
	json_object_set_new(o, "error", err != VG_OK ? vg_json_text(cause !=
	    NULL ? cause : vg_strerror(err)) : json_null());
}

/* "+12 s" or "unknown" in buf. */
static const char *
cam_offset_text(const struct vg_onvif *s, char *buf, size_t len)
{
	bool known;
	int64_t off = vg_onvif_clock_offset(s, &known);

	if (!known)
		return _("unknown");
	snprintf(buf, len, "%+lld s", (long long)off);
	return buf;
}

/* ---- commands ------------------------------------------------------------ */

/* camera info */
static int
cam_info(struct cam_args *a, struct vg_onvif *s)
{
	struct vg_onvif_info info;
	struct vg_onvif_time t;
	struct vg_onvif_net net;
	char *cause = NULL, off[32], addr[64], ntp[256] = "", dns[256] = "";
	char utc[32] = "";
	bool have_t, have_net;
	size_t i, len;
	int err;

	if ((err = vg_onvif_get_info(s, &info, &cause)) != VG_OK)
		return cam_failed(a, s, err, &cause);
	have_t = vg_onvif_get_time(s, &t, NULL) == VG_OK;
	have_net = vg_onvif_get_network(s, &net, NULL) == VG_OK;
	if (a->json) {
		json_t *o = json_object(), *sc = json_object();

		cam_json_session(o, s);
		cam_json_strs(o, "manufacturer", info.manufacturer,
		    "model", info.model, "firmware", info.firmware,
		    "serial", info.serial, "hardware_id", info.hardware_id,
		    "mac", info.mac, "identity", info.identity,
		    "hostname", info.hostname, "media_url", info.media_url,
		    "media2_url", info.media2_url,
		    "events_url", info.events_url,
		    "media_named", info.media_named,
		    "media2_named", info.media2_named,
		    "events_named", info.events_named, (char *)NULL);
		json_object_set_new(o, "pullpoint",
		    json_boolean(info.pullpoint));
		cam_json_strs(sc, "name", info.scopes.name,
		    "hardware", info.scopes.hardware,
		    "location", info.scopes.location, (char *)NULL);
		json_object_set_new(sc, "profiles", jstrv(info.scopes.profiles,
		    info.scopes.nprofiles));
		json_object_set_new(sc, "factory_default",
		    json_boolean(info.scopes.factory_default));
		json_object_set_new(sc, "all", jstrv(info.scopes.all,
		    info.scopes.nall));
		json_object_set_new(o, "scopes", sc);
		if (have_t) {
			json_t *jt = json_object();

			json_object_set_new(jt, "utc", t.utc != (time_t)-1 ?
			    json_integer(t.utc) : json_null());
			json_object_set_new(jt, "offset_s",
			    json_integer(t.offset_s));
			json_object_set_new(jt, "ntp", json_boolean(t.ntp));
			json_object_set_new(jt, "timezone", jstr(t.timezone));
			json_object_set_new(jt, "ntp_from_dhcp",
			    json_boolean(t.ntp_from_dhcp));
			json_object_set_new(jt, "ntp_servers",
			    jstrv(t.ntp_servers, t.nntp));
			json_object_set_new(o, "time", jt);
		} else
			json_object_set_new(o, "time", json_null());
		if (have_net) {
			json_t *jn = json_object();

			json_object_set_new(jn, "dhcp", json_boolean(net.dhcp));
			json_object_set_new(jn, "address", jstr(net.address));
			json_object_set_new(jn, "prefix", jcount(net.prefix));
			json_object_set_new(jn, "gateway", jstr(net.gateway));
			json_object_set_new(jn, "dns", jstrv(net.dns,
			    net.ndns));
			json_object_set_new(o, "network", jn);
		} else
			json_object_set_new(o, "network", json_null());
		cam_json_out(o);
	} else {
		const char *pairs[52];
		size_t k = 0;

		if (have_t && t.utc != (time_t)-1) {
			struct tm tm;

			gmtime_r(&t.utc, &tm);
			strftime(utc, sizeof utc, "%Y-%m-%d %H:%M:%S UTC", &tm);
		}
		if (have_t)
			for (i = 0, len = 0; i < t.nntp && len < 200; i++)
				len += (size_t)snprintf(ntp + len,
				    sizeof ntp - len, "%s%s", i ? ", " : "",
				    t.ntp_servers[i]);
		if (have_net) {
			snprintf(addr, sizeof addr, "%s/%d%s",
			    net.address != NULL ? net.address : "-",
			    net.prefix, net.dhcp ? " (DHCP)" : "");
			for (i = 0, len = 0; i < net.ndns && len < 200; i++)
				len += (size_t)snprintf(dns + len,
				    sizeof dns - len, "%s%s", i ? ", " : "",
				    net.dns[i]);
		}
#define PAIR(l, v) do { pairs[k++] = (l); pairs[k++] = (v); } while (0)
		/* TRANSLATORS: labels of `vigia camera info` */
		PAIR(_("Manufacturer"), info.manufacturer);
		PAIR(_("Model"), info.model);
		PAIR(_("Firmware"), info.firmware);
		PAIR(_("Serial"), info.serial);
		PAIR(_("MAC"), info.mac);
		PAIR(_("Identity"), info.identity);
		PAIR(_("Hostname"), info.hostname);
		PAIR(_("Name"), info.scopes.name);
		PAIR(_("Location"), info.scopes.location);
		PAIR(_("State"), info.scopes.factory_default ?
		    _("factory-new") : _("ready"));
		PAIR(_("Clock offset"), cam_offset_text(s, off, sizeof off));
		PAIR(_("Camera time"), utc[0] ? utc : NULL);
		PAIR(_("Time zone"), have_t ? t.timezone : NULL);
		PAIR(_("Time mode"), have_t ? (t.ntp ? "NTP" : _("manual")) :
		    NULL);
		PAIR(_("NTP servers"), ntp[0] ? ntp : NULL);
		PAIR(_("Address"), have_net ? addr : NULL);
		PAIR(_("Gateway"), have_net ? net.gateway : NULL);
		PAIR(_("DNS"), dns[0] ? dns : NULL);
		PAIR(_("Media"), info.media_url);
		PAIR(_("Media2"), info.media2_url != NULL ? info.media2_url :
		    _("no (H.265 cannot be set)"));
		PAIR(_("Events"), info.events_url);
		/* TRANSLATORS: the service address the camera gives, when
		 * vigia uses the address the camera answered on instead */
		PAIR(_("Camera names"), info.media_named != NULL ?
		    info.media_named : info.media2_named != NULL ?
		    info.media2_named : info.events_named);
		PAIR(_("HTTP digest"), vg_onvif_uses_http_digest(s) ?
		    _("yes") : NULL);
		PAIR(_("TLS"), vg_onvif_tls_fingerprint(s));
#undef PAIR
		pairs[k] = NULL;
		cli_print_pairs(stdout, pairs);
	}
	vg_onvif_info_clear(&info);
	if (have_t)
		vg_onvif_time_clear(&t);
	if (have_net)
		vg_onvif_net_clear(&net);
	return CLI_EXIT_OK;
}

/* camera profiles */
static int
cam_profiles(struct cam_args *a, struct vg_onvif *s)
{
	struct vg_onvif_profile *p = NULL;
	char *cause = NULL;
	size_t n = 0, i;
	int err;

	if ((err = vg_onvif_get_profiles(s, &p, &n, &cause)) != VG_OK)
		return cam_failed(a, s, err, &cause);
	if (a->json) {
		json_t *o = json_object(), *arr = json_array();

		cam_json_session(o, s);
		for (i = 0; i < n; i++) {
			json_t *j = json_object();

			json_object_set_new(j, "token", jstr(p[i].token));
			json_object_set_new(j, "name", jstr(p[i].name));
			json_object_set_new(j, "encoder", p[i].has_encoder ?
			    cam_json_encoder(&p[i].enc) : json_null());
			json_object_set_new(j, "stream_uri",
			    jstr(p[i].stream_uri));
			json_object_set_new(j, "snapshot_uri",
			    jstr(p[i].snapshot_uri));
			json_array_append_new(arr, j);
		}
		json_object_set_new(o, "profiles", arr);
		cam_json_out(o);
	} else {
		const char *head[] = {
			/* TRANSLATORS: column headings of `camera profiles` */
			_("PROFILE"), _("NAME"), _("CODEC"), _("SIZE"),
			_("FPS"), _("KBIT/S"), _("GOP"), _("STREAM"),
			_("SNAPSHOT"),
		};
		struct cli_table *t = cli_table_new(9, head);

		for (i = 0; i < n; i++) {
			char size[32] = "", fps[16] = "", br[16] = "",
			    gop[16] = "";
			const char *row[9];

			/* what the camera does not report stays "" ("-"),
			 * as it is null in JSON */
			if (p[i].has_encoder && p[i].enc.width > 0 &&
			    p[i].enc.height > 0)
				snprintf(size, sizeof size, "%dx%d",
				    p[i].enc.width, p[i].enc.height);
			if (p[i].has_encoder && p[i].enc.fps > 0)
				snprintf(fps, sizeof fps, "%d", p[i].enc.fps);
			if (p[i].has_encoder && p[i].enc.bitrate_kbps > 0)
				snprintf(br, sizeof br, "%d",
				    p[i].enc.bitrate_kbps);
			if (p[i].has_encoder && p[i].enc.gop > 0)
				snprintf(gop, sizeof gop, "%d", p[i].enc.gop);
			row[0] = p[i].token;
			row[1] = p[i].name;
			row[2] = p[i].has_encoder && p[i].enc.codec !=
			    VG_ONVIF_CODEC_UNKNOWN ?
			    vg_onvif_codec_name(p[i].enc.codec) : NULL;
			row[3] = size;
			row[4] = fps;
			row[5] = br;
			row[6] = gop;
			row[7] = p[i].stream_uri;
			row[8] = p[i].snapshot_uri;
			cli_table_add(t, row);
		}
		cli_table_print(t, stdout);
		cli_table_free(t);
	}
	vg_onvif_profiles_free(p, n);
	return CLI_EXIT_OK;
}

/* camera set-user */
static int
cam_set_user(struct cam_args *a, struct vg_onvif *s)
{
	struct vg_onvif_info info;
	char *pw = NULL, *pw2 = NULL, *cause = NULL;
	enum vg_onvif_vendor vendor = VG_ONVIF_VENDOR_GENERIC;
	bool fresh = false;
	int err, ret;

	if ((ret = cam_password(a, a->new_password_file, "VIGIA_NEW_PASSWORD",
	    &pw, _("New password for %s: "), a->new_user)) >= 0)
		goto out;
	if (a->new_password_file == NULL &&
	    getenv("VIGIA_NEW_PASSWORD") == NULL) {
		pw2 = cli_prompt_secret(_("Again: "));
		if (pw2 == NULL || strcmp(pw, pw2) != 0) {
			ret = cli_usage_error(a->prog,
			    _("the passwords differ"));
			goto out;
		}
	}
	if ((err = vg_onvif_is_factory_new(s, &fresh, &cause)) != VG_OK) {
		ret = cam_fail(a, s, VG_ONVIF_OK, err, cause);
		goto out;
	}
	if (vg_onvif_get_info(s, &info, NULL) == VG_OK) {
		vendor = vg_onvif_vendor_of(info.manufacturer);
		vg_onvif_info_clear(&info);
	}
	if (vg_onvif_password_check(vendor, pw, &cause) != VG_OK) {
		fprintf(stderr, _("%s: the new password does not meet the "
		    "camera's rules: %s\n"), a->prog, cause);
		ret = CLI_EXIT_USAGE;
		goto out;
	}
	if (fresh)
		err = vg_onvif_activate(s, a->new_user, pw, &cause);
	else
		err = vg_onvif_set_user(s, a->new_user, pw,
		    (enum vg_onvif_user_level)a->level, &cause);
	if (err != VG_OK) {
		ret = cam_fail(a, s, VG_ONVIF_OK, err, cause);
		goto out;
	}
	if (a->json) {
		json_t *o = json_object();

		cam_json_session(o, s);
		json_object_set_new(o, "user", vg_json_text(a->new_user));
		json_object_set_new(o, "activated", json_boolean(fresh));
		json_object_set_new(o, "verified", json_true());
		cam_json_out(o);
	} else if (fresh)
		printf(_("Camera activated: administrator %s created and "
		    "verified.\n"), a->new_user);
	else
		printf(_("User %s set and verified by logging in.\n"),
		    a->new_user);
	ret = CLI_EXIT_OK;
out:
	free(cause);
	vg_secret_free(pw);
	vg_secret_free(pw2);
	return ret;
}

/* camera set-ip */
static int
cam_set_ip(struct cam_args *a, struct vg_onvif *s)
{
	struct vg_onvif_ipv4 w;
	struct vg_onvif_ipchange r;
	struct vg_onvif_discover_opts d;
	char *addr = xstrdup(a->address), *slash = strchr(addr, '/');
	char *cause = NULL;
	size_t i;
	int err, ret;

	*slash = '\0';
	memset(&w, 0, sizeof w);
	w.address = addr;
	w.prefix = atoi(slash + 1);
	w.gateway = a->gateway;
	w.dns = a->dns.n > 0 ? a->dns.v : NULL;
	w.ndns = a->dns.n;
	memset(&d, 0, sizeof d);
	d.interfaces = a->ifs.n > 0 ? a->ifs.v : NULL;
	d.ninterfaces = a->ifs.n;
	if (!a->json)
		fprintf(stderr, _("Changing %s to %s; this can take a minute "
		    "if the camera reboots...\n"), a->target, a->address);
	err = vg_onvif_change_ipv4(s, &w, &d, a->follow_s * 1000, &r, &cause);
	if (a->json) {
		json_t *o = json_object();

		cam_json_session(o, s);
		json_object_set_new(o, "ok", json_boolean(err == VG_OK));
		json_object_set_new(o, "changed", json_boolean(r.changed));
		json_object_set_new(o, "reboot_needed",
		    json_boolean(r.reboot_needed));
		json_object_set_new(o, "followed", json_boolean(r.followed));
		json_object_set_new(o, "verified", json_boolean(r.verified));
		cam_json_strs(o, "old_url", r.old_url, "new_url", r.new_url,
		    "identity", r.identity, "last_seen", r.last_seen,
		    (char *)NULL);
		json_object_set_new(o, "last_seen_at",
		    jcount(r.last_seen_at));
		json_object_set_new(o, "differences", jstrv(r.diffs,
		    r.ndiffs));
		cam_json_error(o, s, err, cause);
		cam_json_out(o);
	}
	if (err == VG_OK) {
		if (!a->json) {
			if (!r.changed)
				printf(_("%s already has %s; nothing to do.\n"),
				    a->target, a->address);
			else
				printf(_("Camera %s now answers at %s and reads "
				    "back the new settings.\n"), r.identity,
				    r.new_url);
		}
		ret = CLI_EXIT_OK;
	} else {
		if (!a->json) {
			fprintf(stderr, "%s: %s: %s\n", a->prog, a->target,
			    cause != NULL ? cli_safe(cause) : vg_strerror(err));
			for (i = 0; i < r.ndiffs; i++)
				fprintf(stderr, "  %s\n", cli_safe(r.diffs[i]));
			if (r.changed && !r.followed) {
				char when[32] = "?";
				struct tm tm;

				localtime_r(&r.last_seen_at, &tm);
				strftime(when, sizeof when, "%H:%M:%S", &tm);
				fprintf(stderr, _("  Last seen at %s at %s.  "
				    "It may still be rebooting, or be on the "
				    "new\n  address on a network this box "
				    "cannot reach.  Run 'vigia discover' on "
				    "the\n  camera's network, or reach it at "
				    "its old address %s.\n"),
				    r.last_seen != NULL ? r.last_seen : "?",
				    when, r.old_url);
			}
		}
		ret = CLI_EXIT_FAIL;
	}
	vg_onvif_ipchange_clear(&r);
	free(cause);
	free(addr);
	return ret;
}

/* camera set-time */
static int
cam_set_time(struct cam_args *a, struct vg_onvif *s)
{
	struct vg_onvif_time before, after;
	char *cause = NULL;
	bool have_before;
	int err;

	have_before = vg_onvif_get_time(s, &before, NULL) == VG_OK;
	err = vg_onvif_set_time(s, a->manual ? NULL : &a->ntp, a->timezone,
	    &cause);
	if (err == VG_OK && vg_onvif_get_time(s, &after, &cause) != VG_OK)
		err = VG_ERR_PROTO;
	if (err != VG_OK) {
		if (have_before)
			vg_onvif_time_clear(&before);
		return cam_failed(a, s, err, &cause);
	}
	if (a->json) {
		json_t *o = json_object();

		cam_json_session(o, s);
		json_object_set_new(o, "drift_before_s", have_before ?
		    json_integer(before.offset_s) : json_null());
		json_object_set_new(o, "drift_after_s",
		    json_integer(after.offset_s));
		json_object_set_new(o, "ntp", json_boolean(after.ntp));
		json_object_set_new(o, "ntp_servers", jstrv(after.ntp_servers,
		    after.nntp));
		json_object_set_new(o, "timezone", jstr(after.timezone));
		cam_json_out(o);
	} else {
		if (have_before)
			printf(_("Drift before: %+lld s\n"),
			    (long long)before.offset_s);
		printf(_("Drift now:    %+lld s (%s, time zone %s)\n"),
		    (long long)after.offset_s, after.ntp ? "NTP" :
		    _("manual"), after.timezone != NULL ? after.timezone : "-");
	}
	if (have_before)
		vg_onvif_time_clear(&before);
	vg_onvif_time_clear(&after);
	return CLI_EXIT_OK;
}

/* camera set-encoder */
static int
cam_set_encoder(struct cam_args *a, struct vg_onvif *s)
{
	struct vg_onvif_diffs d = { NULL, NULL, 0 };
	struct vg_onvif_encoder after;
	char *cause = NULL;
	size_t i;
	int err, ret;

	err = vg_onvif_set_encoder(s, a->profile, &a->want, &after, &d,
	    &cause);
	if (a->json) {
		json_t *o = json_object();

		cam_json_session(o, s);
		json_object_set_new(o, "ok", json_boolean(err == VG_OK));
		json_object_set_new(o, "sent", json_boolean(err == VG_OK ||
		    err == VG_ERR_PROTO));
		json_object_set_new(o, "differences", jstrv(d.v, d.n));
		json_object_set_new(o, "encoder", err == VG_OK ||
		    err == VG_ERR_PROTO ? cam_json_encoder(&after) :
		    json_null());
		cam_json_error(o, s, err, cause);
		cam_json_out(o);
	}
	if (err == VG_OK) {
		if (!a->json)
			printf(_("Encoder set and read back: %s %dx%d, %d fps, "
			    "%d kbit/s, GOP %d.\n"),
			    vg_onvif_codec_name(after.codec), after.width,
			    after.height, after.fps, after.bitrate_kbps,
			    after.gop);
		ret = CLI_EXIT_OK;
	} else {
		if (!a->json) {
			if (err == VG_ERR_USAGE && d.n > 0)
				fprintf(stderr, _("%s: nothing was sent; the "
				    "camera does not offer:\n"), a->prog);
			else if (err == VG_ERR_PROTO && d.n > 0)
				fprintf(stderr, _("%s: the camera accepted the "
				    "change but did not keep it:\n"), a->prog);
			else
				cam_fail(a, s, VG_ONVIF_OK, err, cause);
			for (i = 0; i < d.n; i++)
				fprintf(stderr, "  %s\n",
				    cli_safe(d.human[i]));
		}
		ret = CLI_EXIT_FAIL;
	}
	vg_onvif_encoder_clear(&after);
	vg_onvif_diffs_clear(&d);
	free(cause);
	return ret;
}

/* One event as a line of text or JSON. */
static void
cam_print_event(const struct cam_args *a, const struct vg_onvif_event *e)
{
	size_t i;

	if (a->json) {
		json_t *o = json_object();
		char *t;

		json_object_set_new(o, "topic", jstr(e->topic));
		json_object_set_new(o, "utc", jcount(e->utc));
		json_object_set_new(o, "operation", jstr(e->operation));
		json_object_set_new(o, "source", jstrv(e->source, e->nsource));
		json_object_set_new(o, "data", jstrv(e->data, e->ndata));
		json_object_set_new(o, "motion_topic",
		    json_boolean(e->is_motion_topic));
		json_object_set_new(o, "motion", json_boolean(e->motion));
		t = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT);
		puts(t);
		free(t);
		json_decref(o);
	} else {
		char when[32] = "";
		struct tm tm;

		if (e->utc > 0) {
			localtime_r(&e->utc, &tm);
			strftime(when, sizeof when, "%H:%M:%S", &tm);
		}
		printf("%s  %s", when[0] ? when : "--:--:--",
		    e->topic != NULL ? cli_safe(e->topic) : "-");
		for (i = 0; i < e->ndata; i++)
			printf("  %s", cli_safe(e->data[i]));
		if (e->is_motion_topic)
			printf("  [%s]", e->motion ? _("MOTION") :
			    _("no motion"));
		putchar('\n');
	}
	fflush(stdout);
}

/* camera events */
static int
cam_events(struct cam_args *a, struct vg_onvif *s)
{
	struct vg_onvif_events *ev = NULL;
	struct sigaction sa, old_int, old_term;
	char **topics = NULL, *cause = NULL;
	size_t nt = 0, i;
	time_t end;
	int err, ret = CLI_EXIT_OK;

	if (a->topics) {
		if ((err = vg_onvif_event_topics(s, &topics, &nt, &cause)) !=
		    VG_OK)
			return cam_failed(a, s, err, &cause);
		if (a->json) {
			json_t *o = json_object();

			cam_json_session(o, s);
			json_object_set_new(o, "topics", jstrv(topics, nt));
			cam_json_out(o);
		} else
			for (i = 0; i < nt; i++)
				printf("%s\n", cli_safe(topics[i]));
		for (i = 0; i < nt; i++)
			free(topics[i]);
		free(topics);
		return CLI_EXIT_OK;
	}
	if ((err = vg_onvif_events_open(s, 60, &ev, &cause)) != VG_OK)
		return cam_failed(a, s, err, &cause);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cam_on_signal;
	sigemptyset(&sa.sa_mask);
	cam_stop = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	end = a->duration_s > 0 ? time(NULL) + a->duration_s : 0;
	while (!cam_stop && (end == 0 || time(NULL) < end)) {
		struct vg_onvif_event *evs = NULL;
		size_t n = 0;
		int wait = 2000;

		if (end != 0 && (end - time(NULL)) * 1000 < wait)
			wait = (int)(end - time(NULL)) * 1000;
		if ((err = vg_onvif_events_pull(ev, wait > 0 ? wait : 0, &evs,
		    &n, &cause)) != VG_OK) {
			ret = cam_failed(a, s, err, &cause);
			break;
		}
		for (i = 0; i < n; i++)
			cam_print_event(a, &evs[i]);
		vg_onvif_events_free_list(evs, n);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (vg_onvif_events_recreated(ev) > 0 && !a->json)
		fprintf(stderr, P_("(the subscription was re-created %d "
		    "time)\n", "(the subscription was re-created %d times)\n",
		    vg_onvif_events_recreated(ev)),
		    vg_onvif_events_recreated(ev));
	vg_onvif_events_close(ev);
	return ret;
}

/* camera reboot */
static int
cam_reboot(struct cam_args *a, struct vg_onvif *s)
{
	char *msg = NULL, *cause = NULL;
	int err;

	if ((err = vg_onvif_reboot(s, &msg, &cause)) != VG_OK)
		return cam_failed(a, s, err, &cause);
	if (a->json) {
		json_t *o = json_object();

		cam_json_session(o, s);
		json_object_set_new(o, "message", jstr(msg));
		cam_json_out(o);
	} else
		printf(_("Rebooting%s%s\n"), msg != NULL ? ": " : ".",
		    msg != NULL ? cli_safe(msg) : "");
	free(msg);
	return CLI_EXIT_OK;
}

/* ---- the commands, one line each ---------------------------------------- */

/* A camera command: its name, how it runs, what its help says. */
struct cam_cmd_def {
	const char *name;	/* "set-encoder" */
	int (*run)(struct cam_args *a, struct vg_onvif *s);
	bool admin;		/* with --config: needs the admin account */
	const char *help;	/* N_(): what it does and its own options */
};

static const struct cam_cmd_def cam_cmds[CAM_NCMDS] = {
	[CAM_INFO] = { "info", cam_info, false,
	    N_("Show the camera's identity (serial and MAC), clock "
	    "offset, time,\nnetwork settings, services and scopes.\n\n") },
	[CAM_PROFILES] = { "profiles", cam_profiles, false,
	    N_("List media profiles with their encoder settings, "
	    "RTSP and snapshot\nURIs (Media2 when the camera has it).\n\n") },
	[CAM_SET_USER] = { "set-user", cam_set_user, true,
	    N_("On a factory-new camera, create the first "
	    "administrator (activation).\nOtherwise create NEW-USER, "
	    "or set its password and level.  The new\npassword is "
	    "checked against the vendor's rules first, and the "
	    "account is\nverified by logging in with it.\n\n"
	    "      --new-user=NAME        the account to create or "
	    "update\n"
	    "      --new-password-file=F  its password (else "
	    "$VIGIA_NEW_PASSWORD,\n"
	    "                             else a prompt, twice)\n"
	    "      --level=LEVEL          admin, operator (default) "
	    "or user\n\n") },
	[CAM_SET_IP] = { "set-ip", cam_set_ip, true,
	    N_("Give the camera a static IPv4 address without "
	    "losing it: the address\nis checked for conflicts, gateway "
	    "and DNS are set first, then the\naddress; the camera is "
	    "followed to its new address (and rebooted if\nit asks), "
	    "identified by serial and MAC, and the settings are read "
	    "back.\n\n"
	    "      --address=A.B.C.D/N    the new address and prefix\n"
	    "      --gateway=A.B.C.D      default gateway\n"
	    "      --dns=A.B.C.D          DNS server (repeat)\n"
	    "      --follow-timeout=S     wait at most S seconds "
	    "(default 90)\n"
	    "  -i, --interface=IF         rediscover the camera on IF "
	    "(repeat)\n\n") },
	[CAM_SET_TIME] = { "set-time", cam_set_time, false,
	    N_("Set NTP servers and the time zone, or set the clock "
	    "from this box.\nThe camera's drift is shown before and "
	    "after.\n\n"
	    "      --ntp=SERVER           NTP server (repeat)\n"
	    "      --timezone=TZ          IANA name (Europe/Madrid) "
	    "or POSIX TZ\n"
	    "      --manual               set the clock to this box's "
	    "time (no NTP)\n\n") },
	[CAM_SET_ENCODER] = { "set-encoder", cam_set_encoder, false,
	    N_("Change a video encoder.  The values are checked "
	    "against the camera's\nown options before anything is "
	    "sent, written permanently, then read\nback; every "
	    "difference is reported.\n\n"
	    "      --profile=TOKEN        profile (default: the first "
	    "with video)\n"
	    "      --codec=CODEC          H264, H265 or JPEG\n"
	    "      --resolution=WxH       such as 1920x1080\n"
	    "      --fps=N                frames per second\n"
	    "      --bitrate=KBPS         bit rate limit in kbit/s\n"
	    "      --gop=N                frames between keyframes\n"
	    "      --encoder-profile=P    Baseline, Main or High\n"
	    "      --quality=Q            encoder quality\n\n") },
	[CAM_EVENTS] = { "events", cam_events, false,
	    N_("Subscribe to the camera's events (pull-point) and "
	    "print them as they\narrive; --json prints one JSON object "
	    "per line.\n\n"
	    "      --duration=S           stop after S seconds "
	    "(default 10, 0: until\n"
	    "                             interrupted)\n"
	    "      --topics               only list the topics the "
	    "camera publishes\n\n") },
	[CAM_REBOOT] = { "reboot", cam_reboot, true,
	    N_("Reboot the camera.\n\n") },
};

/* Help of one command. */
static void
cam_help(const struct cam_args *a)
{
	printf(_("Usage: %s [OPTION]... TARGET\n"), a->prog);
	fputs(_(cam_cmds[a->cmd].help), stdout);
	cam_help_common();
}

/* Parse, open, run one command, close. */
static int
cam_main(enum cam_cmd cmd, int argc, char **argv)
{
	struct cam_args a;
	struct vg_onvif *s = NULL;
	int ret;

	if ((ret = cam_parse(&a, cmd, argc, argv)) == CAM_HELP) {
		cam_help(&a);
		return CLI_EXIT_OK;
	}
	if (ret >= 0)
		return ret;
	if ((ret = cam_open(&a, cam_cmds[cmd].admin, &s)) >= 0)
		return ret;
	ret = cam_cmds[cmd].run(&a, s);
	cam_tls_note(&a, s);
	vg_onvif_free(s);
	return ret;
}

/* vigia camera SUB ...: argv[0] is "vigia camera SUB" (see vigia-main.c). */
int
cli_camera(int argc, char **argv)
{
	const char *sub = strrchr(argv[0], ' ');
	size_t i;

	sub = sub != NULL ? sub + 1 : argv[0];
	for (i = 0; i < CAM_NCMDS; i++)
		if (strcmp(sub, cam_cmds[i].name) == 0)
			return cam_main((enum cam_cmd)i, argc, argv);
	return cli_usage_error(argv[0], _("unknown subcommand '%s'"), sub);
}
