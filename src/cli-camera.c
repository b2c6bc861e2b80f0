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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "i18n.h"
#include "vigia.h"

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
	enum vg_onvif_user_level level;
	/* set-ip */
	const char *address;
	const char *gateway;
	const char *dns[CAM_MAX_LIST];
	size_t ndns;
	const char *ifs[CAM_MAX_LIST];
	size_t nifs;
	int follow_s;
	/* set-time */
	struct vg_strlist ntp;
	const char *ntp_v[CAM_MAX_LIST];
	const char *timezone;
	bool manual;
	/* set-encoder */
	const char *profile;
	struct vg_onvif_encoder_want want;
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

/* Help of one command. */
static void
cam_help(const struct cam_args *a)
{
	printf(_("Usage: %s [OPTION]... TARGET\n"), a->prog);
	switch (a->cmd) {
	case CAM_INFO:
		fputs(_("Show the camera's identity (serial and MAC), clock "
		    "offset, time,\nnetwork settings, services and scopes.\n\n"),
		    stdout);
		break;
	case CAM_PROFILES:
		fputs(_("List media profiles with their encoder settings, "
		    "RTSP and snapshot\nURIs (Media2 when the camera has it).\n\n"),
		    stdout);
		break;
	case CAM_SET_USER:
		fputs(_("On a factory-new camera, create the first "
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
		    "or user\n\n"), stdout);
		break;
	case CAM_SET_IP:
		fputs(_("Give the camera a static IPv4 address without "
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
		    "(repeat)\n\n"),
		    stdout);
		break;
	case CAM_SET_TIME:
		fputs(_("Set NTP servers and the time zone, or set the clock "
		    "from this box.\nThe camera's drift is shown before and "
		    "after.\n\n"
		    "      --ntp=SERVER           NTP server (repeat)\n"
		    "      --timezone=TZ          IANA name (Europe/Madrid) "
		    "or POSIX TZ\n"
		    "      --manual               set the clock to this box's "
		    "time (no NTP)\n\n"),
		    stdout);
		break;
	case CAM_SET_ENCODER:
		fputs(_("Change a video encoder.  The values are checked "
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
		    "      --quality=Q            encoder quality\n\n"),
		    stdout);
		break;
	case CAM_EVENTS:
		fputs(_("Subscribe to the camera's events (pull-point) and "
		    "print them as they\narrive; --json prints one JSON object "
		    "per line.\n\n"
		    "      --duration=S           stop after S seconds "
		    "(default 10, 0: until\n"
		    "                             interrupted)\n"
		    "      --topics               only list the topics the "
		    "camera publishes\n\n"),
		    stdout);
		break;
	case CAM_REBOOT:
		fputs(_("Reboot the camera.\n\n"), stdout);
		break;
	}
	cam_help_common();
}

/* ---- arguments ----------------------------------------------------------- */

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

/* Parse argv for command cmd; returns -1 to go on, else an exit code. */
static int
cam_parse(struct cam_args *a, enum cam_cmd cmd, int argc, char **argv)
{
	enum { OPT_TIMEOUT = 256, OPT_TLS, OPT_LEGACY, OPT_FP, OPT_JSON,
	    OPT_NEWUSER, OPT_NEWPW, OPT_LEVEL, OPT_ADDRESS, OPT_GATEWAY,
	    OPT_DNS, OPT_FOLLOW, OPT_NTP, OPT_TZ, OPT_MANUAL, OPT_PROFILE,
	    OPT_CODEC, OPT_RES, OPT_FPS, OPT_BITRATE, OPT_GOP, OPT_EPROFILE,
	    OPT_QUALITY, OPT_DURATION, OPT_TOPICS };
	static const struct option longopts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "password-file", required_argument, NULL, 'p' },
		{ "config", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "tls", no_argument, NULL, OPT_TLS },
		{ "legacy-tls", no_argument, NULL, OPT_LEGACY },
		{ "tls-fingerprint", required_argument, NULL, OPT_FP },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ "new-user", required_argument, NULL, OPT_NEWUSER },
		{ "new-password-file", required_argument, NULL, OPT_NEWPW },
		{ "level", required_argument, NULL, OPT_LEVEL },
		{ "address", required_argument, NULL, OPT_ADDRESS },
		{ "gateway", required_argument, NULL, OPT_GATEWAY },
		{ "dns", required_argument, NULL, OPT_DNS },
		{ "follow-timeout", required_argument, NULL, OPT_FOLLOW },
		{ "interface", required_argument, NULL, 'i' },
		{ "ntp", required_argument, NULL, OPT_NTP },
		{ "timezone", required_argument, NULL, OPT_TZ },
		{ "manual", no_argument, NULL, OPT_MANUAL },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "codec", required_argument, NULL, OPT_CODEC },
		{ "resolution", required_argument, NULL, OPT_RES },
		{ "fps", required_argument, NULL, OPT_FPS },
		{ "bitrate", required_argument, NULL, OPT_BITRATE },
		{ "gop", required_argument, NULL, OPT_GOP },
		{ "encoder-profile", required_argument, NULL, OPT_EPROFILE },
		{ "quality", required_argument, NULL, OPT_QUALITY },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "topics", no_argument, NULL, OPT_TOPICS },
		{ NULL, 0, NULL, 0 },
	};
	/* which command takes which of the specific options */
	static const struct {
		int opt;
		enum cam_cmd cmd;
	} owner[] = {
		{ OPT_NEWUSER, CAM_SET_USER }, { OPT_NEWPW, CAM_SET_USER },
		{ OPT_LEVEL, CAM_SET_USER }, { OPT_ADDRESS, CAM_SET_IP },
		{ OPT_GATEWAY, CAM_SET_IP }, { OPT_DNS, CAM_SET_IP },
		{ OPT_FOLLOW, CAM_SET_IP }, { 'i', CAM_SET_IP },
		{ OPT_NTP, CAM_SET_TIME }, { OPT_TZ, CAM_SET_TIME },
		{ OPT_MANUAL, CAM_SET_TIME }, { OPT_PROFILE, CAM_SET_ENCODER },
		{ OPT_CODEC, CAM_SET_ENCODER }, { OPT_RES, CAM_SET_ENCODER },
		{ OPT_FPS, CAM_SET_ENCODER }, { OPT_BITRATE, CAM_SET_ENCODER },
		{ OPT_GOP, CAM_SET_ENCODER }, { OPT_EPROFILE, CAM_SET_ENCODER },
		{ OPT_QUALITY, CAM_SET_ENCODER },
		{ OPT_DURATION, CAM_EVENTS }, { OPT_TOPICS, CAM_EVENTS },
	};
	size_t i;
	int c, n;
	char *slash;

	memset(a, 0, sizeof *a);
	a->cmd = cmd;
	a->prog = argv[0];
	a->user = getenv("VIGIA_USER");
	a->level = VG_ONVIF_OPERATOR;
	a->duration_s = 10;
	a->ntp.v = (char **)a->ntp_v;
	while ((c = getopt_long(argc, argv, "+:u:p:c:i:h", longopts, NULL)) !=
	    -1) {
		for (i = 0; i < sizeof owner / sizeof owner[0]; i++)
			if (owner[i].opt == c && owner[i].cmd != cmd)
				return cli_usage_error(a->prog,
				    _("option '%s' does not apply here"),
				    argv[optind - 1]);
		switch (c) {
		case 'u':
			a->user = optarg;
			break;
		case 'p':
			a->password_file = optarg;
			break;
		case 'c':
			a->config = optarg;
			break;
		case OPT_TIMEOUT:
			if (!cam_int(optarg, 100, 120000, &a->timeout_ms))
				goto bad_number;
			break;
		case OPT_TLS:
			a->tls = true;
			break;
		case OPT_LEGACY:
			a->legacy_tls = a->tls = true;
			break;
		case OPT_FP:
			a->fingerprint = optarg;
			a->tls = true;
			break;
		case OPT_JSON:
			a->json = true;
			break;
		case 'h':
			cam_help(a);
			return CLI_EXIT_OK;
		case OPT_NEWUSER:
			a->new_user = optarg;
			break;
		case OPT_NEWPW:
			a->new_password_file = optarg;
			break;
		case OPT_LEVEL:
			if (strcasecmp(optarg, "admin") == 0 ||
			    strcasecmp(optarg, "administrator") == 0)
				a->level = VG_ONVIF_ADMIN;
			else if (strcasecmp(optarg, "operator") == 0)
				a->level = VG_ONVIF_OPERATOR;
			else if (strcasecmp(optarg, "user") == 0)
				a->level = VG_ONVIF_USER;
			else
				return cli_usage_error(a->prog,
				    _("--level must be admin, operator or "
				    "user"));
			break;
		case OPT_ADDRESS:
			a->address = optarg;
			break;
		case OPT_GATEWAY:
			a->gateway = optarg;
			break;
		case OPT_DNS:
			if (a->ndns == CAM_MAX_LIST)
				return cli_usage_error(a->prog,
				    _("too many values for '%s'"), "--dns");
			a->dns[a->ndns++] = optarg;
			break;
		case 'i':
			if (a->nifs == CAM_MAX_LIST)
				return cli_usage_error(a->prog,
				    _("too many values for '%s'"),
				    "--interface");
			a->ifs[a->nifs++] = optarg;
			break;
		case OPT_FOLLOW:
			if (!cam_int(optarg, 1, 3600, &a->follow_s))
				goto bad_number;
			break;
		case OPT_NTP:
			if (a->ntp.n == CAM_MAX_LIST)
				return cli_usage_error(a->prog,
				    _("too many values for '%s'"), "--ntp");
			a->ntp_v[a->ntp.n++] = optarg;
			break;
		case OPT_TZ:
			a->timezone = optarg;
			break;
		case OPT_MANUAL:
			a->manual = true;
			break;
		case OPT_PROFILE:
			a->profile = optarg;
			break;
		case OPT_CODEC:
			if (strcasecmp(optarg, "H264") == 0 ||
			    strcasecmp(optarg, "H.264") == 0)
				a->want.codec = VG_ONVIF_CODEC_H264;
			else if (strcasecmp(optarg, "H265") == 0 ||
			    strcasecmp(optarg, "H.265") == 0)
				a->want.codec = VG_ONVIF_CODEC_H265;
			else if (strcasecmp(optarg, "JPEG") == 0 ||
			    strcasecmp(optarg, "MJPEG") == 0)
				a->want.codec = VG_ONVIF_CODEC_JPEG;
			else
				return cli_usage_error(a->prog,
				    _("--codec must be H264, H265 or JPEG"));
			break;
		case OPT_RES:
			if (sscanf(optarg, "%dx%d%n", &a->want.width,
			    &a->want.height, &n) != 2 ||
			    optarg[n] != '\0' || a->want.width < 16 ||
			    a->want.height < 16 || a->want.width > 16384 ||
			    a->want.height > 16384)
				return cli_usage_error(a->prog,
				    _("--resolution must look like "
				    "1920x1080"));
			break;
		case OPT_FPS:
			if (!cam_int(optarg, 1, 240, &a->want.fps))
				goto bad_number;
			break;
		case OPT_BITRATE:
			if (!cam_int(optarg, 16, 200000,
			    &a->want.bitrate_kbps))
				goto bad_number;
			break;
		case OPT_GOP:
			if (!cam_int(optarg, 1, 1000, &a->want.gop))
				goto bad_number;
			break;
		case OPT_EPROFILE:
			if (strcasecmp(optarg, "Baseline") == 0)
				a->want.profile = "Baseline";
			else if (strcasecmp(optarg, "Main") == 0)
				a->want.profile = "Main";
			else if (strcasecmp(optarg, "High") == 0)
				a->want.profile = "High";
			else
				return cli_usage_error(a->prog,
				    _("--encoder-profile must be Baseline, "
				    "Main or High"));
			break;
		case OPT_QUALITY:
			if (!cam_int(optarg, 1, 100, &n))
				goto bad_number;
			a->want.quality = (float)n;
			break;
		case OPT_DURATION:
			if (!cam_int(optarg, 0, 86400, &a->duration_s))
				goto bad_number;
			break;
		case OPT_TOPICS:
			a->topics = true;
			break;
		default:
			return cli_bad_option(a->prog, c, argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(a->prog, _("expected exactly one "
		    "TARGET"));
	a->target = argv[optind];
	if (cmd == CAM_SET_USER && a->new_user == NULL)
		return cli_usage_error(a->prog, _("--new-user is required"));
	if (cmd == CAM_SET_IP && a->address == NULL)
		return cli_usage_error(a->prog, _("--address is required"));
	if (cmd == CAM_SET_IP && ((slash = strchr(a->address, '/')) == NULL ||
	    !cam_int(slash + 1, 1, 32, &n)))
		return cli_usage_error(a->prog, _("--address must look like "
		    "192.168.1.20/24"));
	if (cmd == CAM_SET_TIME && a->ntp.n == 0 && !a->manual &&
	    a->timezone == NULL)
		return cli_usage_error(a->prog, _("give --ntp, --manual or "
		    "--timezone"));
	if (cmd == CAM_SET_TIME && a->ntp.n > 0 && a->manual)
		return cli_usage_error(a->prog, _("--ntp and --manual "
		    "exclude each other"));
	if (cmd == CAM_SET_ENCODER && a->want.codec == VG_ONVIF_CODEC_UNKNOWN &&
	    a->want.width == 0 && a->want.fps == 0 &&
	    a->want.bitrate_kbps == 0 && a->want.gop == 0 &&
	    a->want.profile == NULL && a->want.quality == 0)
		return cli_usage_error(a->prog, _("nothing to set: give at "
		    "least one of --codec, --resolution, --fps, --bitrate, "
		    "--gop, --encoder-profile, --quality"));
	return -1;
bad_number:
	return cli_usage_error(a->prog, _("invalid value '%s' for '%s'"),
	    optarg, argv[optind - 1]);
}

/* ---- session ------------------------------------------------------------- */

/* A password from a file, $envvar or the terminal; NULL and *cause if
 * none can be had. */
static char *
cam_password(const char *file, const char *envvar, const char *prompt,
    char **cause)
{
	const char *env;
	char *pw;

	if (file != NULL)
		return cli_read_secret_file(file, cause);
	if ((env = getenv(envvar)) != NULL)
		return xstrdup(env);
	if (isatty(STDIN_FILENO) && (pw = cli_prompt_secret(prompt)) != NULL)
		return pw;
	xasprintf(cause, "no password: use --password-file or $%s", envvar);
	return NULL;
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
		json_object_set_new(o, "error", json_string(cause != NULL ?
		    cause : vg_strerror(err)));
		if (reason != NULL)
			json_object_set_new(o, "reason", json_string(reason));
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
		fprintf(stderr, _("  The camera says: %s\n"), reason);
	if (cause != NULL)
		fprintf(stderr, "  (%s)\n", cause);
	return err == VG_ERR_CONFIG ? CLI_EXIT_CONFIG : CLI_EXIT_FAIL;
}

/* Open the session a command works on. */
static int
cam_open(struct cam_args *a, struct vg_onvif **s)
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
		err = vg_onvif_open_camera(cam, a->cmd == CAM_SET_USER ||
		    a->cmd == CAM_SET_IP || a->cmd == CAM_REBOOT, s, &cause);
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
	if (a->user != NULL) {
		char *prompt;

		xasprintf(&prompt, _("Password for %s at %s: "), a->user,
		    a->target);
		pw = cam_password(a->password_file, "VIGIA_PASSWORD", prompt,
		    &cause);
		free(prompt);
		if (pw == NULL) {
			ret = cli_usage_error(a->prog, "%s", cause);
			goto out;
		}
		vg_log_add_secret(pw);
	}
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

/* Print a JSON value and free it. */
static void
cam_json_out(json_t *o)
{
	char *t = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	puts(t);
	free(t);
	json_decref(o);
}

/* JSON string or null. */
static json_t *
jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* JSON array of strings. */
static json_t *
jstrv(char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* Session facts every JSON answer carries. */
static void
cam_json_session(json_t *o, const struct vg_onvif *s)
{
	bool known;
	int64_t off = vg_onvif_clock_offset(s, &known);

	json_object_set_new(o, "ok", json_true());
	json_object_set_new(o, "url", json_string(vg_onvif_url(s)));
	json_object_set_new(o, "clock_offset_s", known ?
	    json_integer(off) : json_null());
	json_object_set_new(o, "http_digest",
	    json_boolean(vg_onvif_uses_http_digest(s)));
	json_object_set_new(o, "tls_fingerprint",
	    jstr(vg_onvif_tls_fingerprint(s)));
	json_object_set_new(o, "tls_first_use",
	    json_boolean(vg_onvif_tls_first_use(s)));
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

	if ((err = vg_onvif_get_info(s, &info, &cause)) != VG_OK) {
		err = cam_fail(a, s, VG_ONVIF_OK, err, cause);
		free(cause);
		return err;
	}
	have_t = vg_onvif_get_time(s, &t, NULL) == VG_OK;
	have_net = vg_onvif_get_network(s, &net, NULL) == VG_OK;
	if (a->json) {
		json_t *o = json_object(), *sc = json_object();

		cam_json_session(o, s);
		json_object_set_new(o, "manufacturer", jstr(info.manufacturer));
		json_object_set_new(o, "model", jstr(info.model));
		json_object_set_new(o, "firmware", jstr(info.firmware));
		json_object_set_new(o, "serial", jstr(info.serial));
		json_object_set_new(o, "hardware_id", jstr(info.hardware_id));
		json_object_set_new(o, "mac", jstr(info.mac));
		json_object_set_new(o, "identity", jstr(info.identity));
		json_object_set_new(o, "hostname", jstr(info.hostname));
		json_object_set_new(o, "media_url", jstr(info.media_url));
		json_object_set_new(o, "media2_url", jstr(info.media2_url));
		json_object_set_new(o, "events_url", jstr(info.events_url));
		json_object_set_new(o, "media_named", jstr(info.media_named));
		json_object_set_new(o, "media2_named", jstr(info.media2_named));
		json_object_set_new(o, "events_named", jstr(info.events_named));
		json_object_set_new(o, "pullpoint",
		    json_boolean(info.pullpoint));
		json_object_set_new(sc, "name", jstr(info.scopes.name));
		json_object_set_new(sc, "hardware", jstr(info.scopes.hardware));
		json_object_set_new(sc, "location", jstr(info.scopes.location));
		json_object_set_new(sc, "profiles", jstrv(info.scopes.profiles,
		    info.scopes.nprofiles));
		json_object_set_new(sc, "factory_default",
		    json_boolean(info.scopes.factory_default));
		json_object_set_new(sc, "all", jstrv(info.scopes.all,
		    info.scopes.nall));
		json_object_set_new(o, "scopes", sc);
		if (have_t) {
			json_t *jt = json_object();

			json_object_set_new(jt, "utc", json_integer(t.utc));
			json_object_set_new(jt, "offset_s",
			    json_integer(t.offset_s));
			json_object_set_new(jt, "ntp", json_boolean(t.ntp));
			json_object_set_new(jt, "timezone", jstr(t.timezone));
			json_object_set_new(jt, "ntp_from_dhcp",
			    json_boolean(t.ntp_from_dhcp));
			json_object_set_new(jt, "ntp_servers",
			    jstrv(t.ntp_servers, t.nntp));
			json_object_set_new(o, "time", jt);
		}
		if (have_net) {
			json_t *jn = json_object();

			json_object_set_new(jn, "dhcp", json_boolean(net.dhcp));
			json_object_set_new(jn, "address", jstr(net.address));
			json_object_set_new(jn, "prefix",
			    json_integer(net.prefix));
			json_object_set_new(jn, "gateway", jstr(net.gateway));
			json_object_set_new(jn, "dns", jstrv(net.dns,
			    net.ndns));
			json_object_set_new(o, "network", jn);
		}
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

	if ((err = vg_onvif_get_profiles(s, &p, &n, &cause)) != VG_OK) {
		err = cam_fail(a, s, VG_ONVIF_OK, err, cause);
		free(cause);
		return err;
	}
	if (a->json) {
		json_t *o = json_object(), *arr = json_array();

		cam_json_session(o, s);
		for (i = 0; i < n; i++) {
			json_t *j = json_object(), *e;

			json_object_set_new(j, "token", json_string(p[i].token));
			json_object_set_new(j, "name", jstr(p[i].name));
			if (p[i].has_encoder) {
				e = json_object();
				json_object_set_new(e, "token",
				    jstr(p[i].enc.token));
				json_object_set_new(e, "codec", json_string(
				    vg_onvif_codec_name(p[i].enc.codec)));
				json_object_set_new(e, "width",
				    json_integer(p[i].enc.width));
				json_object_set_new(e, "height",
				    json_integer(p[i].enc.height));
				json_object_set_new(e, "fps",
				    json_integer(p[i].enc.fps));
				json_object_set_new(e, "bitrate_kbps",
				    json_integer(p[i].enc.bitrate_kbps));
				json_object_set_new(e, "gop",
				    json_integer(p[i].enc.gop));
				json_object_set_new(e, "profile",
				    jstr(p[i].enc.profile));
				json_object_set_new(e, "quality",
				    json_real(p[i].enc.quality));
				json_object_set_new(e, "media2",
				    json_boolean(p[i].enc.media2));
				json_object_set_new(j, "encoder", e);
			} else
				json_object_set_new(j, "encoder", json_null());
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

			if (p[i].has_encoder) {
				snprintf(size, sizeof size, "%dx%d",
				    p[i].enc.width, p[i].enc.height);
				snprintf(fps, sizeof fps, "%d", p[i].enc.fps);
				snprintf(br, sizeof br, "%d",
				    p[i].enc.bitrate_kbps);
				if (p[i].enc.gop > 0)
					snprintf(gop, sizeof gop, "%d",
					    p[i].enc.gop);
			}
			row[0] = p[i].token;
			row[1] = p[i].name;
			row[2] = p[i].has_encoder ?
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
	char *pw = NULL, *pw2 = NULL, *cause = NULL, *prompt;
	enum vg_onvif_vendor vendor = VG_ONVIF_VENDOR_GENERIC;
	bool fresh = false;
	int err, ret;

	xasprintf(&prompt, _("New password for %s: "), a->new_user);
	pw = cam_password(a->new_password_file, "VIGIA_NEW_PASSWORD", prompt,
	    &cause);
	free(prompt);
	if (pw == NULL) {
		ret = cli_usage_error(a->prog, "%s", cause);
		goto out;
	}
	if (a->new_password_file == NULL &&
	    getenv("VIGIA_NEW_PASSWORD") == NULL) {
		pw2 = cli_prompt_secret(_("Again: "));
		if (pw2 == NULL || strcmp(pw, pw2) != 0) {
			ret = cli_usage_error(a->prog,
			    _("the passwords differ"));
			goto out;
		}
	}
	vg_log_add_secret(pw);
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
		err = vg_onvif_set_user(s, a->new_user, pw, a->level, &cause);
	if (err != VG_OK) {
		ret = cam_fail(a, s, VG_ONVIF_OK, err, cause);
		goto out;
	}
	if (a->json) {
		json_t *o = json_object();

		cam_json_session(o, s);
		json_object_set_new(o, "user", json_string(a->new_user));
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
	w.dns = a->ndns > 0 ? a->dns : NULL;
	w.ndns = a->ndns;
	memset(&d, 0, sizeof d);
	d.interfaces = a->nifs > 0 ? a->ifs : NULL;
	d.ninterfaces = a->nifs;
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
		json_object_set_new(o, "old_url", jstr(r.old_url));
		json_object_set_new(o, "new_url", jstr(r.new_url));
		json_object_set_new(o, "identity", jstr(r.identity));
		json_object_set_new(o, "last_seen", jstr(r.last_seen));
		json_object_set_new(o, "last_seen_at",
		    json_integer(r.last_seen_at));
		json_object_set_new(o, "differences", jstrv(r.diffs,
		    r.ndiffs));
		if (err != VG_OK) {
			json_object_set_new(o, "class", json_string(
			    vg_onvif_class_name(vg_onvif_last_class(s))));
			json_object_set_new(o, "error", jstr(cause));
		}
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
			    cause != NULL ? cause : vg_strerror(err));
			for (i = 0; i < r.ndiffs; i++)
				fprintf(stderr, "  %s\n", r.diffs[i]);
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
	if (err != VG_OK) {
		err = cam_fail(a, s, VG_ONVIF_OK, err, cause);
		free(cause);
		if (have_before)
			vg_onvif_time_clear(&before);
		return err;
	}
	if (vg_onvif_get_time(s, &after, &cause) != VG_OK) {
		err = cam_fail(a, s, VG_ONVIF_OK, VG_ERR_PROTO, cause);
		free(cause);
		if (have_before)
			vg_onvif_time_clear(&before);
		return err;
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
		if (err == VG_OK || err == VG_ERR_PROTO) {
			json_t *e = json_object();

			json_object_set_new(e, "codec", json_string(
			    vg_onvif_codec_name(after.codec)));
			json_object_set_new(e, "width",
			    json_integer(after.width));
			json_object_set_new(e, "height",
			    json_integer(after.height));
			json_object_set_new(e, "fps", json_integer(after.fps));
			json_object_set_new(e, "bitrate_kbps",
			    json_integer(after.bitrate_kbps));
			json_object_set_new(e, "gop", json_integer(after.gop));
			json_object_set_new(e, "profile", jstr(after.profile));
			json_object_set_new(o, "encoder", e);
		}
		if (err != VG_OK) {
			json_object_set_new(o, "class", json_string(
			    vg_onvif_class_name(vg_onvif_last_class(s))));
			json_object_set_new(o, "error", jstr(cause));
		}
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
				fprintf(stderr, "  %s\n", d.human[i]);
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
		json_object_set_new(o, "utc", json_integer(e->utc));
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
		    e->topic != NULL ? e->topic : "-");
		for (i = 0; i < e->ndata; i++)
			printf("  %s", e->data[i]);
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
		    VG_OK) {
			ret = cam_fail(a, s, VG_ONVIF_OK, err, cause);
			free(cause);
			return ret;
		}
		if (a->json) {
			json_t *o = json_object();

			cam_json_session(o, s);
			json_object_set_new(o, "topics", jstrv(topics, nt));
			cam_json_out(o);
		} else
			for (i = 0; i < nt; i++)
				printf("%s\n", topics[i]);
		for (i = 0; i < nt; i++)
			free(topics[i]);
		free(topics);
		return CLI_EXIT_OK;
	}
	if ((err = vg_onvif_events_open(s, 60, &ev, &cause)) != VG_OK) {
		ret = cam_fail(a, s, VG_ONVIF_OK, err, cause);
		free(cause);
		return ret;
	}
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
			ret = cam_fail(a, s, VG_ONVIF_OK, err, cause);
			free(cause);
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

	if ((err = vg_onvif_reboot(s, &msg, &cause)) != VG_OK) {
		err = cam_fail(a, s, VG_ONVIF_OK, err, cause);
		free(cause);
		return err;
	}
	if (a->json) {
		json_t *o = json_object();

		cam_json_session(o, s);
		json_object_set_new(o, "message", jstr(msg));
		cam_json_out(o);
	} else
		printf(_("Rebooting%s%s\n"), msg != NULL ? ": " : ".",
		    msg != NULL ? msg : "");
	free(msg);
	return CLI_EXIT_OK;
}

/* Parse, open, run one command, close. */
static int
cam_main(enum cam_cmd cmd, int argc, char **argv)
{
	struct cam_args a;
	struct vg_onvif *s = NULL;
	int ret;

	if ((ret = cam_parse(&a, cmd, argc, argv)) >= 0)
		return ret;
	if ((ret = cam_open(&a, &s)) >= 0)
		return ret;
	switch (cmd) {
	case CAM_INFO:
		ret = cam_info(&a, s);
		break;
	case CAM_PROFILES:
		ret = cam_profiles(&a, s);
		break;
	case CAM_SET_USER:
		ret = cam_set_user(&a, s);
		break;
	case CAM_SET_IP:
		ret = cam_set_ip(&a, s);
		break;
	case CAM_SET_TIME:
		ret = cam_set_time(&a, s);
		break;
	case CAM_SET_ENCODER:
		ret = cam_set_encoder(&a, s);
		break;
	case CAM_EVENTS:
		ret = cam_events(&a, s);
		break;
	case CAM_REBOOT:
		ret = cam_reboot(&a, s);
		break;
	}
	cam_tls_note(&a, s);
	vg_onvif_free(s);
	return ret;
}

/* vigia camera SUB ...: argv[0] is "vigia camera SUB" (see vigia.c). */
int
cli_camera(int argc, char **argv)
{
	static const char *const subs[] = {
		[CAM_INFO] = "info", [CAM_PROFILES] = "profiles",
		[CAM_SET_USER] = "set-user", [CAM_SET_IP] = "set-ip",
		[CAM_SET_TIME] = "set-time", [CAM_SET_ENCODER] = "set-encoder",
		[CAM_EVENTS] = "events", [CAM_REBOOT] = "reboot",
	};
	const char *sub = strrchr(argv[0], ' ');
	size_t i;

	sub = sub != NULL ? sub + 1 : argv[0];
	for (i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(sub, subs[i]) == 0)
			return cam_main((enum cam_cmd)i, argc, argv);
	return cli_usage_error(argv[0], _("unknown subcommand '%s'"), sub);
}
