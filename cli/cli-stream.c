/* cli-stream.c - `vigia probe`, `vigia snapshot` and `vigia preview`.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each command takes an RTSP (or HTTP, or file) URL, or the name of a
 * camera in the configuration (--config, default the file vigiad reads).
 * A camera is asked over ONVIF for the stream and snapshot URIs of the
 * profile it records (recording.stream), and its configured credentials
 * open them; `probe CAMERA` compares the stream with the configured
 * encoder.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../ui/preview.h"
#include "cli.h"
#include "i18n.h"
#include "libvigia.h"

/* Where camera names are looked up without --config (as vigiad). */
/* The configuration a CAMERA is looked up in by default: $VIGIA_CONFIG,
 * the system file (root), or the user's (see vg_config_default_path). */
static const char *
cli_stream_default_config(void)
{
	static char *path;

	if (path == NULL)
		path = vg_config_default_path(true);
	return path;
}

/* Parse a number of seconds (0 < s <= one day). */
static bool
cli_stream_seconds(const char *s, double *out)
{
	char *end;
	double d = strtod(s, &end);

	if (end == s || *end != '\0' || !(d > 0) || d > 86400)
		return false;
	*out = d;
	return true;
}

/* Parse a timeout in milliseconds (1..600000). */
static bool
cli_stream_timeout(const char *s, int *out)
{
	char *end;
	long l = strtol(s, &end, 10);

	if (end == s || *end != '\0' || l < 1 || l > 600000)
		return false;
	*out = (int)l;
	return true;
}

/* True for a URL or a file that exists; anything else is a camera name. */
static bool
cli_stream_is_url(const char *arg)
{
	struct stat sb;

	return strstr(arg, "://") != NULL || stat(arg, &sb) == 0;
}

/* A configured camera, asked over ONVIF for the profile it records. */
struct cli_stream_cam {
	struct vg_config *cfg;	/* owns cam and its credentials */
	const struct vg_camera *cam;
	bool sub;		/* recording.stream is "sub" */
	char *profile;		/* profile token */
	char *stream_uri;	/* RTSP, without credentials */
	char *snapshot_uri;	/* NULL: the camera has none */
};

/* Free what a resolved camera holds (the configuration wipes the
 * password); accepts a zeroed struct. */
static void
cli_stream_cam_clear(struct cli_stream_cam *sc)
{
	vg_config_free(sc->cfg);
	free(sc->profile);
	free(sc->stream_uri);
	free(sc->snapshot_uri);
	memset(sc, 0, sizeof *sc);
}

/* The stream class closest to an ONVIF failure (for the JSON report). */
static enum vg_stream_class
cli_stream_onvif_class(enum vg_onvif_class cls)
{
	switch (cls) {
	case VG_ONVIF_UNREACHABLE:
		return VG_STREAM_UNREACHABLE;
	case VG_ONVIF_AUTH:
	case VG_ONVIF_LOCKED:
		return VG_STREAM_AUTH;
	case VG_ONVIF_TIMEOUT:
		return VG_STREAM_TIMEOUT;
	default:
		return VG_STREAM_PROTOCOL;
	}
}

/* Say which cameras a configuration has, so that a mistyped name can be
 * corrected. */
static void
cli_stream_known(const struct vg_config *cfg, const char *file)
{
	size_t i;

	if (cfg->ncameras == 0) {
		fprintf(stderr, _("%s has no cameras.\n"), file);
		return;
	}
	/* TRANSLATORS: %s is a file name; a list of camera names follows */
	fprintf(stderr, _("Cameras in %s:"), file);
	for (i = 0; i < cfg->ncameras; i++)
		fprintf(stderr, "%s %s", i > 0 ? "," : "",
		    cfg->cameras[i].name);
	fputc('\n', stderr);
}

/* Load file, find camera `name` in it and ask the camera over ONVIF for
 * the profile it records: the first profile with a video encoder for
 * recording.stream = "main", the second for "sub" (the one --apply sets
 * the configured encoder on).  Returns CLI_EXIT_OK and fills *sc (clear
 * it), or an exit status after saying why: CLI_EXIT_CONFIG when the file
 * cannot be read or is invalid, CLI_EXIT_USAGE when no camera has that
 * name, CLI_EXIT_FAIL (and *cls) when the camera does not answer as
 * needed. */
static int
cli_stream_camera(const char *cmd, const char *file, const char *name,
    struct cli_stream_cam *sc, enum vg_stream_class *cls)
{
	struct vg_diags diags = { 0, NULL };
	struct vg_onvif_camera_stream cs;
	enum vg_onvif_class oc = VG_ONVIF_OK;
	size_t i;
	char *cause = NULL, *line;
	int err, ret = CLI_EXIT_FAIL;

	memset(sc, 0, sizeof *sc);
	memset(&cs, 0, sizeof cs);
	*cls = VG_STREAM_PROTOCOL;
	err = vg_config_load(file, &sc->cfg, &diags);
	for (i = 0; i < diags.n; i++) {
		line = vg_diag_format(&diags.v[i]);
		fprintf(stderr, "%s\n", line);
		free(line);
	}
	vg_diags_free(&diags);
	if (err == VG_ERR_NOTFOUND || err == VG_ERR_IO) {
		/* TRANSLATORS: command, the argument, a file name */
		fprintf(stderr, _("%s: '%s' is not a URL or a file, and %s "
		    "cannot be read\nto look it up as a camera.\n"), cmd,
		    name, file);
		fputs(_("Give the configuration with --config FILE, or the "
		    "stream's URL.\n"), stderr);
		ret = CLI_EXIT_CONFIG;
		goto out;
	}
	if (err != VG_OK) {
		fprintf(stderr, _("%s: %s is not valid; run 'vigia "
		    "config check %s'\n"), cmd, file, file);
		ret = CLI_EXIT_CONFIG;
		goto out;
	}
	sc->cam = vg_config_find_camera(sc->cfg, name);
	if (sc->cam == NULL) {
		fprintf(stderr, _("%s: no camera named '%s' in %s\n"), cmd,
		    name, file);
		cli_stream_known(sc->cfg, file);
		ret = CLI_EXIT_USAGE;
		goto out;
	}
	sc->sub = sc->cam->recording.stream == VG_STREAM_SUB;

	err = vg_onvif_camera_stream(sc->cam, &cs, &oc, &cause);
	if (err == VG_ERR_NOTFOUND) {
		if (sc->sub)
			fprintf(stderr, _("%s: camera %s has no sub stream (no "
			    "second media profile with a video encoder); set "
			    "recording.stream = \"main\" or name its URL\n"),
			    cmd, name);
		else
			fprintf(stderr, _("%s: camera %s has no media profile "
			    "with a video encoder\n"), cmd, name);
		*cls = VG_STREAM_NO_VIDEO;
		goto out;
	}
	if (err != VG_OK && oc == VG_ONVIF_UNSUPPORTED) {
		fprintf(stderr, _("%s: camera %s gave no stream URI for its "
		    "media profile\n"), cmd, name);
		goto out;
	}
	if (err != VG_OK) {
		/* TRANSLATORS: command, camera name, why (a sentence) */
		fprintf(stderr, _("%s: camera %s: %s\n"), cmd, name,
		    vg_onvif_class_text(oc));
		if (cause != NULL)
			fprintf(stderr, _("  detail: %s\n"), cause);
		*cls = cli_stream_onvif_class(oc);
		goto out;
	}
	sc->profile = cs.profile;
	sc->stream_uri = cs.stream_uri;
	sc->snapshot_uri = cs.snapshot_uri;
	cs.profile = cs.stream_uri = cs.snapshot_uri = NULL;
	log_info("%s: camera %s: profile %s (%s stream), %s", cmd, name,
	    sc->profile, sc->sub ? "sub" : "main", sc->stream_uri);
	ret = CLI_EXIT_OK;
out:
	vg_onvif_camera_stream_clear(&cs);
	free(cause);
	if (ret != CLI_EXIT_OK)
		cli_stream_cam_clear(sc);
	return ret;
}

/* Say why a stream call failed, translated, with the English detail. */
static void
cli_stream_fail(const char *cmd, enum vg_stream_class cls, const char *cause)
{
	fprintf(stderr, "%s: %s\n", cmd, vg_stream_class_text(cls));
	if (cause != NULL)
		/* TRANSLATORS: %s is an English technical detail */
		fprintf(stderr, _("  detail: %s\n"), cause);
}

/* "4.0" from a codec level. */
static void
cli_stream_level(const struct vg_stream_probe *p, char *buf, size_t n)
{
	if (p->level <= 0)
		snprintf(buf, n, "?");
	else if (strcmp(p->codec, "hevc") == 0)
		snprintf(buf, n, "%d.%d", p->level / 30, p->level % 30 / 3);
	else
		snprintf(buf, n, "%d.%d", p->level / 10, p->level % 10);
}

/* A time in ms, or a dash. */
static void
cli_stream_ms(int64_t us, char *buf, size_t n)
{
	if (us < 0)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%lld ms", (long long)((us + 500) / 1000));
}

/* The human report of a probe. */
static void
cli_probe_print(const char *url, const struct vg_stream_probe *p)
{
	char *red = vg_log_redact(url), lvl[16], a[24], b[24], c[24], d[24];
	size_t i;

	printf(_("Stream:       %s\n"), red);
	free(red);
	if (!p->live)
		fputs(_("Transport:    file\n"), stdout);
	else if (p->udp)
		fputs(_("Transport:    RTP over UDP\n"), stdout);
	else
		fputs(_("Transport:    RTP over RTSP (TCP interleaved)\n"),
		    stdout);
	cli_stream_level(p, lvl, sizeof lvl);
	/* TRANSLATORS: codec, profile, level, WIDTHxHEIGHT */
	printf(_("Video:        %s %s, level %s, %dx%d\n"), p->codec,
	    p->profile[0] != '\0' ? p->profile : "-", lvl, p->width,
	    p->height);
	printf(_("Frame rate:   %.2f fps measured (%.2f announced)\n"), p->fps,
	    p->fps_nominal);
	printf(_("Bit rate:     %lld kbit/s measured over %.1f s\n"),
	    (long long)(p->bitrate_bps / 1000), p->window_s);
	if (p->gop > 0 && p->fps > 0)
		printf(_("GOP:          %d frames (%.2f s), from %d to %d\n"),
		    p->gop, p->gop / p->fps, p->gop_min, p->gop_max);
	else
		printf(P_("GOP:          unknown (%lld keyframe in the window)\n",
		    "GOP:          unknown (%lld keyframes in the window)\n",
		    p->keyframes), (long long)p->keyframes);
	if (p->audio_codec[0] == '\0')
		fputs(_("Audio:        none\n"), stdout);
	else if (p->audio_mp4_ok)
		printf(_("Audio:        %s\n"), p->audio_codec);
	else
		printf(_("Audio:        %s (warning: G.711/PCM audio cannot go "
		    "into MP4 as it is)\n"), p->audio_codec);
	cli_stream_ms(p->open_us, a, sizeof a);
	cli_stream_ms(p->first_packet_us, b, sizeof b);
	cli_stream_ms(p->first_keyframe_us, c, sizeof c);
	cli_stream_ms(p->first_picture_us, d, sizeof d);
	printf(_("Times:        opened %s, first packet %s, first keyframe %s, "
	    "first picture %s\n"), a, b, c, d);
	switch (p->browser) {
	case VG_BROWSER_YES:
		fputs(_("Browser:      plays in Label Studio (H.264)\n"), stdout);
		break;
	case VG_BROWSER_WARN:
		fputs(_("Browser:      warning: H.265 plays only in some "
		    "browsers; Label Studio may show no picture\n"), stdout);
		break;
	case VG_BROWSER_NO:
		fputs(_("Browser:      does not play in a browser; choose H.264 "
		    "for labeling\n"), stdout);
		break;
	}
	for (i = 0; i < p->nmismatch; i++)
		/* TRANSLATORS: field name, expected value, measured value */
		printf(_("Mismatch:     %s: set to %s, measured %s\n"),
		    vg_stream_field_text(p->mismatch[i].field),
		    p->mismatch[i].expected, p->mismatch[i].measured);
}

/* What every stream command's help says about CAMERA. */
static void
cli_stream_camera_help(void)
{
	printf(_("CAMERA is the name of a camera in the configuration file "
	    "(default:\n%s).\nvigia asks the camera over ONVIF for the profile it "
	    "records (recording.stream:\n\"main\" is the first profile "
	    "with a video encoder, \"sub\" the second) and opens\nits "
	    "stream and snapshot URIs with the configured credentials.  An "
	    "argument\nthat is a URL or an existing file is not taken as a "
	    "camera name.\n\n"), cli_stream_default_config());
}

/* The options of a stream command: --config, the command's own (own:
 * its translated lines), then the network options and --help. */
static void
cli_stream_options_help(const char *own)
{
	fputs(_("  -c, --config=FILE    look CAMERA up in FILE\n"), stdout);
	fputs(own, stdout);
	fputs(_("  -t, --timeout=MS     longest wait for the network (default "
	    "5000)\n"
	    "  -u, --udp            RTP over UDP instead of TCP interleaved\n"
	    "  -h, --help           show this help and exit\n"), stdout);
}

/* Exit status of snapshot and preview. */
static void
cli_stream_exit_help(void)
{
	fputs(_("\nExit status: 0 on success, 1 if it failed, 2 on a usage "
	    "error or an\nunknown CAMERA, 3 if the configuration cannot be "
	    "read or is invalid.\n"), stdout);
}

/* What every stream command takes: the configuration, the network
 * options, and its URL|CAMERA argument resolved to what to open. */
struct cli_stream_args {
	const char *cmd;		/* argv[0]: "vigia probe" */
	const char *config;		/* where CAMERA is looked up */
	struct vg_stream_opts opts;	/* timeout, UDP; a camera's login */
	struct cli_stream_cam sc;	/* the camera, when it is one */
	const char *url;		/* what to open */
};

/* The options every stream command takes, then a command's own (own ends
 * with a zeroed entry); *optstring gets the getopt letters of both. */
static void
cli_stream_longopts(struct option *out, size_t nout,
    const struct option *own, char *optstring, size_t len)
{
	static const struct option common[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "udp", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
	};
	size_t i, n = 0, k;

	k = (size_t)snprintf(optstring, len, ":c:t:uh");
	for (i = 0; i < sizeof common / sizeof common[0] && n + 1 < nout; i++)
		out[n++] = common[i];
	for (i = 0; own[i].name != NULL && n + 1 < nout && k + 3 < len; i++) {
		out[n++] = own[i];
		optstring[k++] = (char)own[i].val;
		if (own[i].has_arg == required_argument)
			optstring[k++] = ':';
	}
	optstring[k] = '\0';
	memset(&out[n], 0, sizeof out[n]);
}

/* Start sa for argv[0]. */
static void
cli_stream_args_init(struct cli_stream_args *sa, char **argv)
{
	memset(sa, 0, sizeof *sa);
	sa->cmd = argv[0];
	sa->config = cli_stream_default_config();
}

/* Take an option every stream command has (c, t, u, h: help() shows the
 * command's help).  Returns -1 when it was one and is kept, -2 when c is
 * none of them, else an exit status. */
static int
cli_stream_option(struct cli_stream_args *sa, int c, char **argv,
    void (*help)(const char *))
{
	switch (c) {
	case 'c':
		sa->config = optarg;
		return -1;
	case 't':
		if (!cli_stream_timeout(optarg, &sa->opts.timeout_ms))
			return cli_usage_error(sa->cmd,
			    _("bad timeout '%s' (milliseconds)"), optarg);
		return -1;
	case 'u':
		sa->opts.udp = true;
		return -1;
	case 'h':
		help(sa->cmd);
		return CLI_EXIT_OK;
	case '?':
	case ':':
		return cli_bad_option(sa->cmd, c, argv);
	default:
		return -2;
	}
}

/* After the options: exactly one URL|CAMERA.  A URL or a file is opened
 * as it is; a camera is looked up and asked for its stream (sa->url) and
 * its login (sa->opts).  Returns CLI_EXIT_OK or an exit status after
 * saying why (*cls: the class of a camera's failure). */
static int
cli_stream_target(struct cli_stream_args *sa, int argc, char **argv,
    enum vg_stream_class *cls)
{
	int ret;

	*cls = VG_STREAM_PROTOCOL;
	if (argc - optind != 1)
		return cli_usage_error(sa->cmd,
		    _("expected exactly one URL or CAMERA"));
	sa->url = argv[optind];
	if (cli_stream_is_url(sa->url))
		return CLI_EXIT_OK;
	ret = cli_stream_camera(sa->cmd, sa->config, sa->url, &sa->sc, cls);
	if (ret != CLI_EXIT_OK)
		return ret;
	sa->url = sa->sc.stream_uri;
	sa->opts.user = sa->sc.cam->credentials.user;
	sa->opts.password = sa->sc.cam->credentials.password.value;
	return CLI_EXIT_OK;
}

/* Help of `vigia probe`. */
static void
probe_help(const char *cmd)
{
	printf(_("Usage: %s [OPTION]... URL|CAMERA\n"), cmd);
	fputs(_("Open a camera stream, measure it for a few seconds and report "
	    "what it is:\ntransport, codec, profile and level, resolution, "
	    "frame rate, bit rate,\nkeyframe interval, audio, and how long the "
	    "first packet, keyframe and\npicture took.\n\n"), stdout);
	cli_stream_camera_help();
	fputs(_("A CAMERA's stream is compared with the encoder its "
	    "configuration sets;\nevery difference is reported as a "
	    "mismatch.\n\n"), stdout);
	cli_stream_options_help(_("  -s, --seconds=N      measure N seconds "
	    "of stream (default 5)\n"
	    "  -e, --expect=SPEC    compare with what the camera was set to, "
	    "e.g.\n"
	    "                       codec=h264,size=1920x1080,fps=15,"
	    "bitrate=4000,gop=30,profile=high\n"
	    "                       (for a CAMERA: instead of its "
	    "configured encoder)\n"
	    "  -j, --json           print the report as JSON\n"));
	fputs("\n", stdout);
	fputs(_("Exit status: 0 if the stream works and matches, 1 if it "
	    "fails or differs\nfrom what was expected, 2 on a usage error or "
	    "an unknown CAMERA, 3 if\nthe configuration cannot be read or is "
	    "invalid.\n"), stdout);
}

/* vigia probe URL|CAMERA: measure a stream. */
int
cli_probe(int argc, char **argv)
{
	static const struct option own[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "expect", required_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct option longopts[16];
	struct cli_stream_args sa;
	struct vg_stream_expect exp;
	struct vg_stream_probe p;
	enum vg_stream_class cls;
	bool json = false, have_exp = false;
	double seconds = 5;
	char *cause = NULL, *text, optstring[32];
	int c, err, ret;

	cli_stream_args_init(&sa, argv);
	cli_stream_longopts(longopts, 16, own, optstring, sizeof optstring);
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) !=
	    -1) {
		if ((ret = cli_stream_option(&sa, c, argv, probe_help)) != -2) {
			if (ret >= 0)
				return ret;
			continue;
		}
		switch (c) {
		case 's':
			if (!cli_stream_seconds(optarg, &seconds))
				return cli_usage_error(argv[0],
				    _("bad number of seconds '%s'"), optarg);
			break;
		case 'e':
			if (vg_stream_expect_parse(&exp, optarg, &cause) !=
			    VG_OK) {
				ret = cli_usage_error(argv[0], "--expect: %s",
				    cause);
				free(cause);
				return ret;
			}
			have_exp = true;
			break;
		case 'j':
			json = true;
			break;
		}
	}
	if ((ret = cli_stream_target(&sa, argc, argv, &cls)) != CLI_EXIT_OK) {
		if (ret == CLI_EXIT_FAIL && json) {
			/* the camera failed before its stream was opened:
			 * the same report, with the class of the failure */
			memset(&p, 0, sizeof p);
			p.cls = cls;
			p.live = true;
			p.udp = sa.opts.udp;
			text = vg_stream_probe_json(sa.url, &p, VG_ERR_NET);
			printf("%s\n", text);
			free(text);
		}
		goto out;
	}
	if (sa.sc.cam != NULL) {
		if (!have_exp) {
			vg_stream_expect_from_encoder(&exp,
			    &sa.sc.cam->encoder);
			have_exp = true;
		}
		if (!json)
			printf(sa.sc.sub ? _("Camera:       %s, profile %s (sub "
			    "stream)\n") : _("Camera:       %s, profile %s "
			    "(main stream)\n"), sa.sc.cam->name, sa.sc.profile);
	}

	err = vg_stream_probe(sa.url, &sa.opts, seconds, have_exp ? &exp :
	    NULL, &p, &cause);
	if (json) {
		text = vg_stream_probe_json(sa.url, &p, err);
		printf("%s\n", text);
		free(text);
	} else if (err == VG_OK)
		cli_probe_print(sa.url, &p);
	if (err != VG_OK) {
		cli_stream_fail(argv[0], p.cls, cause);
		ret = CLI_EXIT_FAIL;
	} else
		ret = p.nmismatch > 0 ? CLI_EXIT_FAIL : CLI_EXIT_OK;
out:
	cli_stream_cam_clear(&sa.sc);
	free(cause);
	return ret;
}

/* Help of `vigia snapshot`. */
static void
snapshot_help(const char *cmd)
{
	printf(_("Usage: %s [OPTION]... URL|CAMERA (--png FILE | --jpeg "
	    "FILE)\n"), cmd);
	fputs(_("Save one picture of a camera.  An http:// or https:// URL is "
	    "the camera's\nsnapshot URI (digest or basic authentication); an "
	    "rtsp:// URL or a file\ngives its first keyframe.\n\n"), stdout);
	cli_stream_camera_help();
	fputs(_("A CAMERA's picture comes from its ONVIF snapshot URI (HTTP "
	    "digest), or from\nthe first keyframe of its stream when it has "
	    "no snapshot URI.\n\n"), stdout);
	cli_stream_options_help(_("  -p, --png=FILE       write a PNG "
	    "picture\n"
	    "  -J, --jpeg=FILE      write a JPEG picture\n"));
	cli_stream_exit_help();
}

/* vigia snapshot URL|CAMERA --png FILE: save one picture. */
int
cli_snapshot(int argc, char **argv)
{
	static const struct option own[] = {
		{ "png", required_argument, NULL, 'p' },
		{ "jpeg", required_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	struct option longopts[16];
	struct cli_stream_args sa;
	struct vg_snapshot_info info;
	enum vg_image_format fmt = VG_IMAGE_PNG;
	enum vg_stream_class cls;
	const char *path = NULL;
	char *cause = NULL, optstring[32];
	int c, err, ret;

	cli_stream_args_init(&sa, argv);
	cli_stream_longopts(longopts, 16, own, optstring, sizeof optstring);
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) !=
	    -1) {
		if ((ret = cli_stream_option(&sa, c, argv, snapshot_help)) !=
		    -2) {
			if (ret >= 0)
				return ret;
			continue;
		}
		/* 'p' or 'J' */
		if (path != NULL)
			return cli_usage_error(argv[0],
			    _("give only one of --png and --jpeg"));
		path = optarg;
		fmt = c == 'p' ? VG_IMAGE_PNG : VG_IMAGE_JPEG;
	}
	if (argc - optind == 1 && path == NULL)
		return cli_usage_error(argv[0],
		    _("say where to write the picture: --png FILE or "
		    "--jpeg FILE"));
	if ((ret = cli_stream_target(&sa, argc, argv, &cls)) != CLI_EXIT_OK)
		return ret;
	/* a camera: its snapshot URI, else its stream's first keyframe */
	if (sa.sc.snapshot_uri != NULL)
		sa.url = sa.sc.snapshot_uri;
	err = vg_stream_snapshot(sa.url, &sa.opts, path, fmt, &info, &cause);
	cli_stream_cam_clear(&sa.sc);
	if (err != VG_OK) {
		cli_stream_fail(argv[0], info.cls, cause);
		free(cause);
		return CLI_EXIT_FAIL;
	}
	/* TRANSLATORS: file, WIDTHxHEIGHT, where it came from, milliseconds */
	printf(_("%s: %dx%d picture from the %s in %lld ms\n"), path,
	    info.width, info.height, info.from_http ? _("snapshot URI") :
	    _("stream's first keyframe"),
	    (long long)(info.elapsed_us / 1000));
	return CLI_EXIT_OK;
}

/* Help of `vigia preview`. */
static void
preview_help(const char *cmd)
{
	printf(_("Usage: %s [OPTION]... URL|CAMERA\n"), cmd);
	fputs(_("Show a camera's live picture in the terminal, with its codec, "
	    "size,\nframe rate and bit rate.  Press q to quit.\n\n"), stdout);
	cli_stream_camera_help();
	cli_stream_options_help(_("  -m, --mode=MODE      truecolor, 256 or "
	    "mono (default: the best the\n"
	    "                       terminal can show)\n"
	    "  -s, --seconds=N      quit by itself after N seconds\n"));
	cli_stream_exit_help();
}

/* vigia preview URL|CAMERA: the live picture. */
int
cli_preview(int argc, char **argv)
{
	static const struct option own[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "seconds", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const modes[] = { "truecolor", "256", "mono" };
	struct option longopts[16];
	struct cli_stream_args sa;
	struct ui_preview_result res;
	enum vg_stream_class cls;
	double seconds = 0;
	char *cause = NULL, optstring[32];
	int c, err, ret, mode = -1;

	cli_stream_args_init(&sa, argv);
	cli_stream_longopts(longopts, 16, own, optstring, sizeof optstring);
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) !=
	    -1) {
		if ((ret = cli_stream_option(&sa, c, argv, preview_help)) !=
		    -2) {
			if (ret >= 0)
				return ret;
			continue;
		}
		if (c == 'm') {
			for (mode = 0; mode < 3; mode++)
				if (strcmp(optarg, modes[mode]) == 0)
					break;
			if (mode == 3)
				return cli_usage_error(argv[0],
				    _("unknown mode '%s' (truecolor, 256 or "
				    "mono)"), optarg);
		} else if (!cli_stream_seconds(optarg, &seconds))
			return cli_usage_error(argv[0],
			    _("bad number of seconds '%s'"), optarg);
	}
	/* a camera is resolved before curses: the technician must read
	 * why it failed */
	if ((ret = cli_stream_target(&sa, argc, argv, &cls)) != CLI_EXIT_OK)
		return ret;
	/* the screen belongs to curses now: log to the ring, not stderr */
	vg_log_close_stderr();
	vg_log_ring_enable(200);
	err = ui_preview_run(sa.url, &sa.opts, mode, seconds, &res, &cause);
	vg_log_open_stderr(0);
	cli_stream_cam_clear(&sa.sc);
	if (err != VG_OK) {
		fprintf(stderr, "%s: %s\n", argv[0], cause);
		free(cause);
		return CLI_EXIT_USAGE;
	}
	/* TRANSLATORS: pictures drawn, seconds, pictures a second, the
	 * picture mode (truecolor, 256 or mono) */
	printf(_("%lld pictures in %.1f s (%.1f a second, %s mode)\n"),
	    (long long)res.pictures, res.seconds,
	    res.seconds > 0 ? res.pictures / res.seconds : 0.0,
	    modes[res.mode]);
	if (res.first_picture_us >= 0)
		printf(_("First picture after %lld ms\n"),
		    (long long)(res.first_picture_us / 1000));
	if (res.state == VG_PREVIEW_FAILED) {
		cli_stream_fail(argv[0], res.cls, res.error);
		free(res.error);
		return CLI_EXIT_FAIL;
	}
	free(res.error);
	return CLI_EXIT_OK;
}
