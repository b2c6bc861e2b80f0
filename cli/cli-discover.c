/* cli-discover.c - `vigia discover`: find the cameras on the site.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "i18n.h"
#include "libvigia.h"
#include "text-json.h"

#define DISCOVER_MAX_IF 32
#define DISCOVER_MAX_PORTS 8

/* Print the help of `vigia discover`. */
static void
discover_help(const char *cmd)
{
	printf(_("Usage: %s [OPTION]...\n"), cmd);
	fputs(_("Find ONVIF cameras: WS-Discovery on every chosen network "
	    "interface\n(the probe is sent several times), plus cameras "
	    "added by address\nand an optional sweep of an address "
	    "range.\n\n"), stdout);
	fputs(_("  -i, --interface=IF     probe on IF (repeat; default: every "
	    "interface\n"
	    "                         that is up, except loopback)\n"
	    "  -t, --timeout=MS       listen MS milliseconds after the last "
	    "probe\n"
	    "                         (default: while replies are due, at "
	    "most 1500)\n"
	    "      --probes=N         send the probe N times (default 4)\n"
	    "  -a, --add=TARGET       also check HOST[:PORT][/PATH] or a URL "
	    "(repeat)\n"
	    "      --tls              use https for --add\n"
	    "      --sweep=CIDR       also try every address of CIDR "
	    "(/16 to /32)\n"
	    "      --sweep-port=PORT  port for --sweep (repeat; default 80)\n"
	    "      --concurrency=N    requests in flight for --sweep "
	    "(default 32)\n"
	    "      --watch=S          keep listening S seconds for "
	    "cameras that\n"
	    "                         announce themselves (Hello) or leave "
	    "(Bye)\n"
	    "      --no-probe         skip WS-Discovery (only --add and "
	    "--sweep)\n"
	    "      --json             print JSON instead of a table\n"
	    "  -h, --help             show this help and exit\n\n"), stdout);
	fputs(_("Exit status: 0 if at least one camera was found, 1 if none "
	    "was,\n2 on a usage error.\n"), stdout);
}

/* Milliseconds on the monotonic clock. */
static int64_t
discover_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Progress line as each camera answers (the log, at -v). */
static void
discover_found(const struct vg_onvif_device *d, void *arg)
{
	(void)arg;
	log_info("discover: %s at %s after %lld ms", d->endpoint,
	    d->xaddr != NULL ? d->xaddr : "?", (long long)(d->found_us / 1000));
}

/* Name of a source. */
static const char *
source_name(enum vg_onvif_source s)
{
	switch (s) {
	case VG_ONVIF_SRC_PROBE:
		return "probe";
	case VG_ONVIF_SRC_HELLO:
		return "hello";
	case VG_ONVIF_SRC_MANUAL:
		return "manual";
	case VG_ONVIF_SRC_SWEEP:
		return "sweep";
	}
	return "?";
}

/* A JSON array of strings. */
static json_t *
json_strv(char **v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, vg_json_text(v[i]));
	return a;
}

/* A JSON string, or null when absent (NULL or "", "-" in the table). */
static json_t *
json_str_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? vg_json_text(s) : json_null();
}

/* The list as JSON on stdout. */
static void
discover_print_json(const struct vg_onvif_devlist *l, int64_t elapsed_ms)
{
	json_t *root = json_object(), *arr = json_array();
	size_t i;
	char *s;

	for (i = 0; i < l->n; i++) {
		const struct vg_onvif_device *d = &l->v[i];
		json_t *o = json_object();

		json_object_set_new(o, "endpoint", vg_json_text(d->endpoint));
		json_object_set_new(o, "xaddr", json_str_or_null(d->xaddr));
		json_object_set_new(o, "xaddrs", json_strv(d->xaddrs,
		    d->nxaddrs));
		json_object_set_new(o, "types", json_str_or_null(d->types));
		json_object_set_new(o, "interface", json_str_or_null(d->iface));
		json_object_set_new(o, "from", json_str_or_null(d->from));
		json_object_set_new(o, "name",
		    json_str_or_null(d->scopes.name));
		json_object_set_new(o, "hardware",
		    json_str_or_null(d->scopes.hardware));
		json_object_set_new(o, "location",
		    json_str_or_null(d->scopes.location));
		json_object_set_new(o, "mac", json_str_or_null(d->scopes.mac));
		json_object_set_new(o, "profiles", json_strv(d->scopes.profiles,
		    d->scopes.nprofiles));
		json_object_set_new(o, "factory_default",
		    json_boolean(d->scopes.factory_default));
		json_object_set_new(o, "scopes", json_strv(d->scopes.all,
		    d->scopes.nall));
		json_object_set_new(o, "source",
		    json_string(source_name(d->source)));
		json_object_set_new(o, "found_ms",
		    json_integer(d->found_us / 1000));
		json_object_set_new(o, "replies", json_integer(d->replies));
		json_object_set_new(o, "gone", json_boolean(d->gone));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "cameras", arr);
	json_object_set_new(root, "count", json_integer((json_int_t)l->n));
	json_object_set_new(root, "elapsed_ms", json_integer(elapsed_ms));
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(s);
	free(s);
	json_decref(root);
}

/* The list as an aligned table on stdout. */
static void
discover_print_table(const struct vg_onvif_devlist *l, int64_t elapsed_ms)
{
	const char *head[] = {
		/* TRANSLATORS: column headings of `vigia discover` */
		_("ADDRESS"), _("NAME"), _("HARDWARE"), _("STATE"),
		_("PROFILES"), _("SOURCE"), _("ENDPOINT"),
	};
	struct cli_table *t;
	size_t i, j;

	if (l->n == 0) {
		printf(_("No camera found (%lld ms).\n"),
		    (long long)elapsed_ms);
		return;
	}
	t = cli_table_new(7, head);
	for (i = 0; i < l->n; i++) {
		const struct vg_onvif_device *d = &l->v[i];
		char prof[128] = "", *addr;
		const char *row[7];
		size_t len = 0;

		for (j = 0; j < d->scopes.nprofiles && len < sizeof prof - 16;
		    j++)
			len += (size_t)snprintf(prof + len, sizeof prof - len,
			    "%s%s", j ? "," : "", d->scopes.profiles[j]);
		addr = d->xaddr != NULL ? vg_onvif_url_host(d->xaddr) : NULL;
		row[0] = addr;
		row[1] = d->scopes.name;
		row[2] = d->scopes.hardware;
		row[3] = d->gone ? _("gone") : d->scopes.factory_default ?
		    _("factory-new") : _("ready");
		row[4] = prof;
		row[5] = source_name(d->source);
		row[6] = d->endpoint;
		cli_table_add(t, row);
		free(addr);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	printf(P_("%zu camera found in %lld ms.\n",
	    "%zu cameras found in %lld ms.\n", l->n), l->n,
	    (long long)elapsed_ms);
}

/* vigia discover: WS-Discovery, manual add and sweep. */
int
cli_discover(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_PROBES, OPT_TLS, OPT_SWEEP, OPT_SPORT,
	    OPT_CONC, OPT_WATCH, OPT_NOPROBE };
	static const struct option longopts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, 't' },
		{ "probes", required_argument, NULL, OPT_PROBES },
		{ "add", required_argument, NULL, 'a' },
		{ "tls", no_argument, NULL, OPT_TLS },
		{ "sweep", required_argument, NULL, OPT_SWEEP },
		{ "sweep-port", required_argument, NULL, OPT_SPORT },
		{ "concurrency", required_argument, NULL, OPT_CONC },
		{ "watch", required_argument, NULL, OPT_WATCH },
		{ "no-probe", no_argument, NULL, OPT_NOPROBE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ifs[DISCOVER_MAX_IF], *adds[DISCOVER_MAX_IF];
	const char *sweep = NULL;
	int ports[DISCOVER_MAX_PORTS];
	size_t nifs = 0, nadds = 0, nports = 0, i;
	struct vg_onvif_discover_opts o;
	struct vg_onvif_devlist l = { NULL, 0 };
	bool json = false, tls = false, probe = true;
	int c, err, ret = CLI_EXIT_FAIL, conc = 0, watch = 0;
	int64_t t0;
	char *cause = NULL, *end;
	long v;

	memset(&o, 0, sizeof o);
	while ((c = getopt_long(argc, argv, "+:i:t:a:h", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'i':
			if (nifs == DISCOVER_MAX_IF)
				return cli_usage_error(argv[0],
				    _("too many interfaces"));
			ifs[nifs++] = optarg;
			break;
		case 'a':
			if (nadds == DISCOVER_MAX_IF)
				return cli_usage_error(argv[0],
				    _("too many --add targets"));
			adds[nadds++] = optarg;
			break;
		case 't':
		case OPT_PROBES:
		case OPT_SPORT:
		case OPT_CONC:
		case OPT_WATCH:
			v = strtol(optarg, &end, 10);
			if (*end != '\0' || end == optarg || v < 0 ||
			    v > 3600000 || (c == OPT_SPORT && (v < 1 ||
			    v > 65535)) || (c == OPT_PROBES && (v < 1 ||
			    v > 10)))
				return cli_usage_error(argv[0],
				    _("invalid number '%s'"), optarg);
			if (c == 't')
				o.listen_ms = (int)v;
			else if (c == OPT_PROBES)
				o.probes = (int)v;
			else if (c == OPT_CONC)
				conc = (int)v;
			else if (c == OPT_WATCH)
				watch = (int)v;
			else if (nports < DISCOVER_MAX_PORTS)
				ports[nports++] = (int)v;
			break;
		case OPT_TLS:
			tls = true;
			break;
		case OPT_SWEEP:
			sweep = optarg;
			break;
		case OPT_NOPROBE:
			probe = false;
			break;
		case OPT_JSON:
			json = true;
			break;
		case 'h':
			discover_help(argv[0]);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv[0], c, argv);
		}
	}
	if (optind != argc)
		return cli_usage_error(argv[0], _("unexpected argument '%s'"),
		    argv[optind]);
	if (!probe && watch > 0)
		return cli_usage_error(argv[0], _("--watch listens for "
		    "WS-Discovery announcements: it cannot go with "
		    "--no-probe"));
	if (!probe && nadds == 0 && sweep == NULL)
		return cli_usage_error(argv[0], _("--no-probe leaves nothing "
		    "to do: give --add or --sweep"));
	o.interfaces = nifs > 0 ? ifs : NULL;
	o.ninterfaces = nifs;
	o.found = discover_found;

	t0 = discover_now_ms();
	if (probe) {
		err = watch > 0 ? vg_onvif_watch(&o, watch * 1000, &l, &cause) :
		    vg_onvif_discover(&o, &l, &cause);
		if (err != VG_OK) {
			fprintf(stderr, _("%s: discovery failed: %s\n"),
			    argv[0], cli_safe(cause));
			free(cause);
			cause = NULL;
			if (err == VG_ERR_USAGE || (nadds == 0 &&
			    sweep == NULL)) {
				ret = err == VG_ERR_USAGE ? CLI_EXIT_USAGE :
				    CLI_EXIT_FAIL;
				goto out;
			}
		}
	}
	for (i = 0; i < nadds; i++) {
		if (vg_onvif_add_manual(adds[i], tls, o.listen_ms > 0 ?
		    o.listen_ms : 3000, &l, &cause) != VG_OK) {
			/* TRANSLATORS: %s: target, then the reason */
			fprintf(stderr, _("%s: %s does not answer as an ONVIF "
			    "camera: %s\n"), argv[0], adds[i], cli_safe(cause));
			free(cause);
			cause = NULL;
		}
	}
	if (sweep != NULL && vg_onvif_sweep(sweep, nports > 0 ? ports : NULL,
	    nports, conc, 1000, &l, &cause) != VG_OK) {
		ret = cli_usage_error(argv[0], "%s", cause);
		free(cause);
		goto out;
	}
	if (json)
		discover_print_json(&l, discover_now_ms() - t0);
	else
		discover_print_table(&l, discover_now_ms() - t0);
	ret = l.n > 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
out:
	vg_onvif_devlist_clear(&l);
	return ret;
}
