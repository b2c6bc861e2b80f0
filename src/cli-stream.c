/* cli-stream.c - `vigia probe`, `vigia snapshot` and `vigia preview`.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each command takes an RTSP (or HTTP, or file) URL.  Naming a configured
 * camera instead needs the ONVIF client to ask it for its stream URI;
 * until that lands, a CAMERA argument is refused with a clear message.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../ui/preview.h"
#include "cli.h"
#include "i18n.h"
#include "vigia.h"

/* Options every stream command shares. */
struct cli_stream_common {
	struct vg_stream_opts opts;
};

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

/* A URL, or a file that exists; anything else would be a camera name.
 * Returns 0, or CLI_EXIT_USAGE after saying why. */
static int
cli_stream_target(const char *cmd, const char *arg)
{
	struct stat sb;

	if (strstr(arg, "://") != NULL || stat(arg, &sb) == 0)
		return CLI_EXIT_OK;
	fprintf(stderr, _("%s: '%s' is not a URL or a file.\n"), cmd, arg);
	/* TRANSLATORS: CAMERA is a name from the configuration file */
	fputs(_("Naming a CAMERA is not supported yet: it needs the ONVIF "
	    "client to ask\nthe camera for its stream URI. Give the RTSP URL "
	    "instead, for example\nrtsp://user:password@192.0.2.10:554/"
	    "stream1\n"), stderr);
	return CLI_EXIT_USAGE;
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

/* Help of `vigia probe`. */
static void
probe_help(const char *cmd)
{
	printf(_("Usage: %s [OPTION]... URL\n"), cmd);
	fputs(_("Open a camera stream, measure it for a few seconds and report "
	    "what it is:\ntransport, codec, profile and level, resolution, "
	    "frame rate, bit rate,\nkeyframe interval, audio, and how long the "
	    "first packet, keyframe and\npicture took.\n\n"), stdout);
	fputs(_("  -s, --seconds=N      measure N seconds of stream (default 5)\n"
	    "  -e, --expect=SPEC    compare with what the camera was set to, "
	    "e.g.\n"
	    "                       codec=h264,size=1920x1080,fps=15,"
	    "bitrate=4000,gop=30,profile=high\n"
	    "  -t, --timeout=MS     longest wait for the network (default "
	    "5000)\n"
	    "  -u, --udp            RTP over UDP instead of TCP interleaved\n"
	    "  -j, --json           print the report as JSON\n"
	    "  -h, --help           show this help and exit\n\n"), stdout);
	fputs(_("Exit status: 0 if the stream works and matches, 1 if it "
	    "fails or differs\nfrom what was expected, 2 on a usage error.\n"),
	    stdout);
}

/* vigia probe URL: measure a stream. */
int
cli_probe(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "expect", required_argument, NULL, 'e' },
		{ "timeout", required_argument, NULL, 't' },
		{ "udp", no_argument, NULL, 'u' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vg_stream_opts opts = { 0 };
	struct vg_stream_expect exp;
	struct vg_stream_probe p;
	bool json = false, have_exp = false;
	double seconds = 5;
	char *cause = NULL, *text;
	int c, err, ret;

	while ((c = getopt_long(argc, argv, ":s:e:t:ujh", longopts,
	    NULL)) != -1) {
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
		case 't':
			if (!cli_stream_timeout(optarg, &opts.timeout_ms))
				return cli_usage_error(argv[0],
				    _("bad timeout '%s' (milliseconds)"),
				    optarg);
			break;
		case 'u':
			opts.udp = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			probe_help(argv[0]);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv[0], c, argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(argv[0], _("expected exactly one URL"));
	ret = cli_stream_target(argv[0], argv[optind]);
	if (ret != CLI_EXIT_OK)
		return ret;

	err = vg_stream_probe(argv[optind], &opts, seconds,
	    have_exp ? &exp : NULL, &p, &cause);
	if (json) {
		text = vg_stream_probe_json(argv[optind], &p, err);
		printf("%s\n", text);
		free(text);
	} else if (err == VG_OK)
		cli_probe_print(argv[optind], &p);
	if (err != VG_OK) {
		cli_stream_fail(argv[0], p.cls, cause);
		ret = CLI_EXIT_FAIL;
	} else
		ret = p.nmismatch > 0 ? CLI_EXIT_FAIL : CLI_EXIT_OK;
	free(cause);
	return ret;
}

/* Help of `vigia snapshot`. */
static void
snapshot_help(const char *cmd)
{
	printf(_("Usage: %s [OPTION]... URL (--png FILE | --jpeg FILE)\n"), cmd);
	fputs(_("Save one picture of a camera.  An http:// or https:// URL is "
	    "the camera's\nsnapshot URI (digest or basic authentication); an "
	    "rtsp:// URL or a file\ngives its first keyframe.\n\n"), stdout);
	fputs(_("  -p, --png=FILE       write a PNG picture\n"
	    "  -J, --jpeg=FILE      write a JPEG picture\n"
	    "  -t, --timeout=MS     longest wait for the network (default "
	    "5000)\n"
	    "  -u, --udp            RTP over UDP instead of TCP interleaved\n"
	    "  -h, --help           show this help and exit\n"), stdout);
}

/* vigia snapshot URL --png FILE: save one picture. */
int
cli_snapshot(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "png", required_argument, NULL, 'p' },
		{ "jpeg", required_argument, NULL, 'J' },
		{ "timeout", required_argument, NULL, 't' },
		{ "udp", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vg_stream_opts opts = { 0 };
	struct vg_snapshot_info info;
	enum vg_image_format fmt = VG_IMAGE_PNG;
	const char *path = NULL;
	char *cause = NULL;
	int c, err, ret;

	while ((c = getopt_long(argc, argv, ":p:J:t:uh", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'p':
		case 'J':
			if (path != NULL)
				return cli_usage_error(argv[0],
				    _("give only one of --png and --jpeg"));
			path = optarg;
			fmt = c == 'p' ? VG_IMAGE_PNG : VG_IMAGE_JPEG;
			break;
		case 't':
			if (!cli_stream_timeout(optarg, &opts.timeout_ms))
				return cli_usage_error(argv[0],
				    _("bad timeout '%s' (milliseconds)"),
				    optarg);
			break;
		case 'u':
			opts.udp = true;
			break;
		case 'h':
			snapshot_help(argv[0]);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv[0], c, argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(argv[0], _("expected exactly one URL"));
	if (path == NULL)
		return cli_usage_error(argv[0],
		    _("say where to write the picture: --png FILE or "
		    "--jpeg FILE"));
	ret = cli_stream_target(argv[0], argv[optind]);
	if (ret != CLI_EXIT_OK)
		return ret;
	err = vg_stream_snapshot(argv[optind], &opts, path, fmt, &info, &cause);
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
	printf(_("Usage: %s [OPTION]... URL\n"), cmd);
	fputs(_("Show a camera's live picture in the terminal, with its codec, "
	    "size,\nframe rate and bit rate.  Press q to quit.\n\n"), stdout);
	fputs(_("  -m, --mode=MODE      truecolor, 256 or mono (default: the "
	    "best the\n"
	    "                       terminal can show)\n"
	    "  -s, --seconds=N      quit by itself after N seconds\n"
	    "  -t, --timeout=MS     longest wait for the network (default "
	    "5000)\n"
	    "  -u, --udp            RTP over UDP instead of TCP interleaved\n"
	    "  -h, --help           show this help and exit\n"), stdout);
}

/* vigia preview URL: the live picture. */
int
cli_preview(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "seconds", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "udp", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const modes[] = { "truecolor", "256", "mono" };
	struct vg_stream_opts opts = { 0 };
	struct ui_preview_result res;
	double seconds = 0;
	char *cause = NULL;
	int c, err, ret, mode = -1;

	while ((c = getopt_long(argc, argv, ":m:s:t:uh", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'm':
			for (mode = 0; mode < 3; mode++)
				if (strcmp(optarg, modes[mode]) == 0)
					break;
			if (mode == 3)
				return cli_usage_error(argv[0],
				    _("unknown mode '%s' (truecolor, 256 or "
				    "mono)"), optarg);
			break;
		case 's':
			if (!cli_stream_seconds(optarg, &seconds))
				return cli_usage_error(argv[0],
				    _("bad number of seconds '%s'"), optarg);
			break;
		case 't':
			if (!cli_stream_timeout(optarg, &opts.timeout_ms))
				return cli_usage_error(argv[0],
				    _("bad timeout '%s' (milliseconds)"),
				    optarg);
			break;
		case 'u':
			opts.udp = true;
			break;
		case 'h':
			preview_help(argv[0]);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv[0], c, argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(argv[0], _("expected exactly one URL"));
	ret = cli_stream_target(argv[0], argv[optind]);
	if (ret != CLI_EXIT_OK)
		return ret;
	/* the screen belongs to curses now: log to the ring, not stderr */
	vg_log_close_stderr();
	vg_log_ring_enable(200);
	err = ui_preview_run(argv[optind], &opts, mode, seconds, &res, &cause);
	vg_log_open_stderr(0);
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
