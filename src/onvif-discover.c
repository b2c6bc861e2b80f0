/* onvif-discover.c - finding cameras: WS-Discovery on every chosen
 * interface, Hello/Bye, manual add, and a subnet sweep.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libonvif sends one Probe and listens for half a second; on a busy or
 * lossy site that misses cameras (FIELD.md, pain 1).  Here every chosen
 * interface gets its own socket bound to its address (so the reply comes
 * back on the interface that can reach the camera), the Probe is sent
 * several times with a random gap (each one a new message, because
 * responders may discard a retransmission they have already answered),
 * and we listen on all sockets at once until the reply window after the
 * last probe (APP_MAX_DELAY, 500 ms, plus a margin) has passed, checking
 * the deadline on every datagram.  Replies are merged by endpoint
 * reference.
 *
 * gSOAP only (de)serializes here: the messages are built into and parsed
 * from memory, with a namespace table where WS-Addressing 2004/08 comes
 * before 2005/08 (README pitfall 1), and the sockets are ours, so one
 * poll() covers every interface and the Hello/Bye listener.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "i18n.h"
#include "onvif-int.h"

#define WSD_ADDR "239.255.255.250"
/* four probes 100..200 ms apart (SOAP-over-UDP retransmits after 50..250
 * ms): with 10 % of the replies lost, a camera is missed once in 10,000 */
#define WSD_PROBES 4
#define WSD_GAP_MS 100
#define WSD_APP_MAX_DELAY_MS 500	/* WS-Discovery: replies come within */
#define WSD_MARGIN_MS 150		/* for the network and a busy host */
#define WSD_QUIET_MS 150		/* listen on while replies still come */
#define WSD_LISTEN_CAP_MS 1500		/* never longer after the last probe */
#define WSD_PORT 3702
#define WSD_MAX_IFS 32
#define WSD_DGRAM 65536
/* caps on what replies can make us hold (a site has tens or hundreds of
 * cameras on a segment, a camera one or two addresses): said when hit */
#define WSD_MAX_DEVICES 2048
#define WSD_MAX_XADDRS 16

/* Discovery namespaces: the 2004/08 wsa before wsa5 (pitfall 1). */
struct Namespace onvif_wsd_namespaces[] = {
	{ "SOAP-ENV", "http://www.w3.org/2003/05/soap-envelope",
	    "http://schemas.xmlsoap.org/soap/envelope/", NULL },
	{ "SOAP-ENC", "http://www.w3.org/2003/05/soap-encoding",
	    "http://schemas.xmlsoap.org/soap/encoding/", NULL },
	{ "xsi", "http://www.w3.org/2001/XMLSchema-instance",
	    "http://www.w3.org/*/XMLSchema-instance", NULL },
	{ "xsd", "http://www.w3.org/2001/XMLSchema",
	    "http://www.w3.org/*/XMLSchema", NULL },
	{ "wsa", "http://schemas.xmlsoap.org/ws/2004/08/addressing", NULL,
	    NULL },
	{ "wsd", "http://schemas.xmlsoap.org/ws/2005/04/discovery", NULL,
	    NULL },
	{ "tdn", "http://www.onvif.org/ver10/network/wsdl", NULL, NULL },
	{ "tds", "http://www.onvif.org/ver10/device/wsdl", NULL, NULL },
	{ "wsa5", "http://www.w3.org/2005/08/addressing", NULL, NULL },
	{ NULL, NULL, NULL, NULL },
};

/* One interface we probe on. */
struct wsd_if {
	char name[IF_NAMESIZE];
	struct in_addr addr;
	struct in_addr mask;
	int fd;
};

/* ---- device lists -------------------------------------------------------- */

/* Free one device's strings. */
static void
device_clear(struct vg_onvif_device *d)
{
	free(d->endpoint);
	onvif_strv_free(d->xaddrs, d->nxaddrs);
	free(d->xaddr);
	free(d->types);
	free(d->iface);
	free(d->from);
	vg_onvif_scopes_clear(&d->scopes);
	memset(d, 0, sizeof *d);
}

/* Free a list. */
void
vg_onvif_devlist_clear(struct vg_onvif_devlist *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		device_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Find by endpoint. */
struct vg_onvif_device *
vg_onvif_devlist_find(struct vg_onvif_devlist *l, const char *endpoint)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].endpoint, endpoint) == 0)
			return &l->v[i];
	return NULL;
}

/* A new zeroed entry at the end of l. */
static struct vg_onvif_device *
devlist_add(struct vg_onvif_devlist *l)
{
	struct vg_onvif_device *d;

	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	d = &l->v[l->n++];
	memset(d, 0, sizeof *d);
	return d;
}

/* Is ip inside ifc's subnet? */
static bool
in_subnet(const struct wsd_if *ifc, const char *ip)
{
	struct in_addr a;

	if (ifc == NULL || inet_pton(AF_INET, ip, &a) != 1)
		return false;
	return (a.s_addr & ifc->mask.s_addr) ==
	    (ifc->addr.s_addr & ifc->mask.s_addr);
}

/* Choose the XAddr to use: the one at the reply's source address, else
 * one on the interface's subnet, else the first http one, else the
 * first. */
static void
device_pick_xaddr(struct vg_onvif_device *d, const struct wsd_if *ifc)
{
	size_t i, best = 0;
	int score = -1;

	for (i = 0; i < d->nxaddrs; i++) {
		char *h = vg_onvif_url_host(d->xaddrs[i]);
		int sc = 0;

		if (h != NULL && d->from != NULL && strcmp(h, d->from) == 0)
			sc = 3;
		else if (h != NULL && in_subnet(ifc, h))
			sc = 2;
		else if (strncmp(d->xaddrs[i], "http://", 7) == 0)
			sc = 1;
		free(h);
		if (sc > score) {
			score = sc;
			best = i;
		}
	}
	free(d->xaddr);
	d->xaddr = d->nxaddrs > 0 ? xstrdup(d->xaddrs[best]) : NULL;
}

/* Merge one ProbeMatch/Hello into the list; true if it is new.  At most
 * WSD_MAX_DEVICES devices (*full says the cap was hit and said) and
 * WSD_MAX_XADDRS addresses per device are kept: the merge costs at most
 * that many comparisons per address, and memory stays bounded. */
static bool
devlist_merge(struct vg_onvif_devlist *l, const char *epr, const char *types,
    const char *scopes, const char *xaddrs, unsigned mdv,
    enum vg_onvif_source src, const struct wsd_if *ifc, const char *from,
    int64_t found_us, bool *full, struct vg_onvif_device **out)
{
	struct vg_onvif_device *d = vg_onvif_devlist_find(l, epr);
	bool is_new = d == NULL;
	const char *p;

	*out = NULL;
	if (is_new && l->n >= WSD_MAX_DEVICES) {
		if (!*full)
			log_warn("discover: more than %d devices answer; vigia "
			    "lists the first %d (give --interface to look on "
			    "fewer networks at a time)", WSD_MAX_DEVICES,
			    WSD_MAX_DEVICES);
		*full = true;
		return false;
	}
	if (is_new) {
		d = devlist_add(l);
		d->endpoint = xstrdup(epr);
		d->source = src;
		d->found_us = found_us;
		d->iface = ifc != NULL ? xstrdup(ifc->name) : NULL;
		d->from = onvif_strdup(from);
	}
	d->gone = false;
	d->replies++;
	if (types != NULL && d->types == NULL)
		d->types = xstrdup(types);
	if (scopes != NULL && (is_new || mdv > d->metadata_version ||
	    d->scopes.nall == 0)) {
		vg_onvif_scopes_clear(&d->scopes);
		vg_onvif_scopes_parse(scopes, &d->scopes);
	}
	if (mdv > d->metadata_version)
		d->metadata_version = mdv;
	for (p = xaddrs; p != NULL && *p != '\0';) {
		size_t n, i;
		char *x;

		p += strspn(p, " \t\r\n");
		n = strcspn(p, " \t\r\n");
		if (n == 0)
			break;
		x = xstrndup(p, n);
		for (i = 0; i < d->nxaddrs; i++)
			if (strcmp(d->xaddrs[i], x) == 0)
				break;
		if (i == d->nxaddrs && d->nxaddrs >= WSD_MAX_XADDRS) {
			if (!d->xaddrs_capped)
				log_warn("discover: %s gives more than %d "
				    "addresses; vigia keeps the first %d",
				    d->endpoint, WSD_MAX_XADDRS,
				    WSD_MAX_XADDRS);
			d->xaddrs_capped = true;
			free(x);
			break;
		}
		if (i == d->nxaddrs)
			onvif_strv_add(&d->xaddrs, &d->nxaddrs, x);
		free(x);
		p += n;
	}
	device_pick_xaddr(d, ifc);
	*out = d;
	return is_new;
}

/* ---- interfaces ---------------------------------------------------------- */

/* Fill ifs with the chosen interfaces; returns how many. */
static size_t
wsd_interfaces(const struct vg_onvif_discover_opts *opts, struct wsd_if *ifs,
    char **cause)
{
	struct ifaddrs *ifa, *i;
	size_t n = 0, k;

	if (getifaddrs(&ifa) != 0) {
		if (cause != NULL)
			xasprintf(cause, "getifaddrs: %s", strerror(errno));
		return 0;
	}
	for (i = ifa; i != NULL && n < WSD_MAX_IFS; i = i->ifa_next) {
		bool want;

		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET ||
		    !(i->ifa_flags & IFF_UP))
			continue;
		if (opts != NULL && opts->ninterfaces > 0) {
			want = false;
			for (k = 0; k < opts->ninterfaces; k++)
				if (strcmp(opts->interfaces[k],
				    i->ifa_name) == 0)
					want = true;
		} else
			want = !(i->ifa_flags & IFF_LOOPBACK) &&
			    (i->ifa_flags & IFF_MULTICAST);
		for (k = 0; want && k < n; k++)
			if (strcmp(ifs[k].name, i->ifa_name) == 0)
				want = false;	/* first address only */
		if (!want)
			continue;
		memset(&ifs[n], 0, sizeof ifs[n]);
		snprintf(ifs[n].name, sizeof ifs[n].name, "%s", i->ifa_name);
		ifs[n].addr = ((struct sockaddr_in *)(void *)i->ifa_addr)->
		    sin_addr;
		if (i->ifa_netmask != NULL)
			ifs[n].mask = ((struct sockaddr_in *)(void *)
			    i->ifa_netmask)->sin_addr;
		ifs[n].fd = -1;
		n++;
	}
	freeifaddrs(ifa);
	if (opts != NULL && opts->ninterfaces > n && cause != NULL) {
		for (k = 0; k < opts->ninterfaces; k++) {
			size_t j;

			for (j = 0; j < n; j++)
				if (strcmp(ifs[j].name, opts->interfaces[k])
				    == 0)
					break;
			if (j == n) {
				xasprintf(cause, "interface %s is not up or "
				    "has no IPv4 address", opts->interfaces[k]);
				return 0;
			}
		}
	}
	if (n == 0 && cause != NULL)
		xasprintf(cause, "no interface is up with an IPv4 address "
		    "(loopback is used only when named)");
	return n;
}

/* A socket bound to ifc's address, sending multicast through it. */
static int
wsd_socket(struct wsd_if *ifc, char **cause)
{
	struct sockaddr_in sa;
	unsigned char ttl = 1, loop = 1;
	int fd, big = 1 << 20;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		goto fail;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr = ifc->addr;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &ifc->addr,
	    sizeof ifc->addr) != 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl,
	    sizeof ttl) != 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop,
	    sizeof loop) != 0)
		goto fail;
	return fd;
fail:
	if (cause != NULL)
		xasprintf(cause, "%s: cannot open a discovery socket: %s",
		    ifc->name, strerror(errno));
	if (fd != -1)
		close(fd);
	return -1;
}

/* The Hello/Bye listener: port 3702, joined on every interface. */
static int
wsd_listener(struct wsd_if *ifs, size_t nifs, char **cause)
{
	struct sockaddr_in sa;
	struct ip_mreq mr;
	size_t i, joined = 0;
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(WSD_PORT);
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
		goto fail;
	for (i = 0; i < nifs; i++) {
		memset(&mr, 0, sizeof mr);
		inet_pton(AF_INET, WSD_ADDR, &mr.imr_multiaddr);
		mr.imr_interface = ifs[i].addr;
		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr,
		    sizeof mr) == 0)
			joined++;
	}
	if (joined == 0)
		goto fail;
	return fd;
fail:
	if (cause != NULL)
		xasprintf(cause, "cannot listen on UDP port %d for "
		    "announcements: %s", WSD_PORT, strerror(errno));
	if (fd != -1)
		close(fd);
	return -1;
}

/* ---- messages ------------------------------------------------------------ */

/* A fresh "urn:uuid:..." message id into buf. */
static void
wsd_uuid(char *buf, size_t len)
{
	unsigned char b[16];

	if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
		size_t i;
		int64_t t = onvif_now_us();

		for (i = 0; i < sizeof b; i++)
			b[i] = (unsigned char)(t >> (i % 8 * 8)) ^
			    (unsigned char)(i * 37);
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(buf, len, "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4],
	    b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
	    b[15]);
}

/* Serialize a Probe for NetworkVideoTransmitters (caller frees). */
static char *
wsd_probe_message(struct soap *soap)
{
	struct wsd__ProbeType probe;
	const char *out = NULL;
	char id[64], *msg = NULL;

	wsd_uuid(id, sizeof id);
	soap_begin(soap);
	soap->os = &out;
	soap_header(soap);
	soap_default_SOAP_ENV__Header(soap, soap->header);
	soap->header->wsa__MessageID = id;
	soap->header->wsa__To = (char *)
	    "urn:schemas-xmlsoap-org:ws:2005:04:discovery";
	soap->header->wsa__Action = (char *)
	    "http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe";
	soap_default_wsd__ProbeType(soap, &probe);
	probe.Types = (char *)"tdn:NetworkVideoTransmitter";
	soap_serializeheader(soap);
	soap_serialize_wsd__ProbeType(soap, &probe);
	if (soap_begin_send(soap) == SOAP_OK &&
	    soap_envelope_begin_out(soap) == SOAP_OK &&
	    soap_putheader(soap) == SOAP_OK &&
	    soap_body_begin_out(soap) == SOAP_OK &&
	    soap_put_wsd__ProbeType(soap, &probe, "wsd:Probe", NULL) ==
	    SOAP_OK &&
	    soap_body_end_out(soap) == SOAP_OK &&
	    soap_envelope_end_out(soap) == SOAP_OK &&
	    soap_end_send(soap) == SOAP_OK && out != NULL)
		msg = xstrdup(out);
	soap->os = NULL;
	soap_destroy(soap);
	soap_end(soap);
	return msg;
}

/* A context that parses WS-Discovery datagrams from memory, with the
 * bounds of onvif_soap_new() (no id/ref, nesting, list sizes). */
struct soap *
onvif_wsd_soap_new(void)
{
	struct soap *soap = soap_new1(SOAP_C_UTFSTRING | SOAP_XML_TREE);

	if (soap == NULL)
		fatal("discover: out of memory creating a gSOAP context");
	soap_set_namespaces(soap, onvif_wsd_namespaces);
	soap->recv_maxlength = WSD_DGRAM;
	soap->maxlevel = ONVIF_SOAP_MAX_LEVEL;
	soap->maxoccurs = ONVIF_SOAP_MAX_OCCURS;
	soap->maxlength = ONVIF_SOAP_MAX_STRING;
	soap->sendfd = -1;	/* never stdin/stdout (see onvif_soap_new) */
	soap->recvfd = -1;
	return soap;
}

static void wsd_handle(struct soap *soap, char *buf, const struct wsd_if *ifc,
    const char *from, int64_t t_us, struct vg_onvif_devlist *l,
    const struct vg_onvif_discover_opts *opts, bool *full);

/* See onvif-int.h: one datagram, as the receive loop handles it. */
void
onvif_wsd_datagram(struct soap *soap, char *buf, const char *from,
    struct vg_onvif_devlist *l, bool *full)
{
	wsd_handle(soap, buf, NULL, from, 0, l, NULL, full);
}

/* Parse one datagram and merge what it announces into l. */
static void
wsd_handle(struct soap *soap, char *buf, const struct wsd_if *ifc,
    const char *from, int64_t t_us, struct vg_onvif_devlist *l,
    const struct vg_onvif_discover_opts *opts, bool *full)
{
	struct vg_onvif_device *d;
	int i;

	soap_begin(soap);
	soap->is = buf;
	if (soap_begin_recv(soap) != SOAP_OK ||
	    soap_envelope_begin_in(soap) != SOAP_OK ||
	    soap_recv_header(soap) != SOAP_OK ||
	    soap_body_begin_in(soap) != SOAP_OK ||
	    soap_peek_element(soap) != SOAP_OK)
		goto out;
	if (soap_match_tag(soap, soap->tag, "wsd:ProbeMatches") == SOAP_OK) {
		struct wsd__ProbeMatchesType pm;

		soap_default_wsd__ProbeMatchesType(soap, &pm);
		if (soap_get_wsd__ProbeMatchesType(soap, &pm,
		    "wsd:ProbeMatches", NULL) == NULL)
			goto out;
		for (i = 0; i < pm.__sizeProbeMatch; i++) {
			struct wsd__ProbeMatchType *m = &pm.ProbeMatch[i];

			if (m->wsa__EndpointReference.Address == NULL)
				continue;
			if (devlist_merge(l, m->wsa__EndpointReference.Address,
			    m->Types, m->Scopes != NULL ? m->Scopes->__item :
			    NULL, m->XAddrs, m->MetadataVersion,
			    VG_ONVIF_SRC_PROBE, ifc, from, t_us, full, &d) &&
			    opts != NULL && opts->found != NULL)
				opts->found(d, opts->arg);
		}
	} else if (soap_match_tag(soap, soap->tag, "wsd:Hello") == SOAP_OK) {
		struct wsd__HelloType h;

		soap_default_wsd__HelloType(soap, &h);
		if (soap_get_wsd__HelloType(soap, &h, "wsd:Hello", NULL) ==
		    NULL || h.wsa__EndpointReference.Address == NULL)
			goto out;
		if (h.Types != NULL && strstr(h.Types,
		    "NetworkVideoTransmitter") == NULL)
			goto out;	/* printers, PCs */
		if (devlist_merge(l, h.wsa__EndpointReference.Address,
		    h.Types, h.Scopes != NULL ? h.Scopes->__item : NULL,
		    h.XAddrs, h.MetadataVersion, VG_ONVIF_SRC_HELLO, ifc, from,
		    t_us, full, &d) && opts != NULL && opts->found != NULL)
			opts->found(d, opts->arg);
	} else if (soap_match_tag(soap, soap->tag, "wsd:Bye") == SOAP_OK) {
		struct wsd__ByeType b;

		soap_default_wsd__ByeType(soap, &b);
		if (soap_get_wsd__ByeType(soap, &b, "wsd:Bye", NULL) == NULL ||
		    b.wsa__EndpointReference.Address == NULL)
			goto out;
		if ((d = vg_onvif_devlist_find(l,
		    b.wsa__EndpointReference.Address)) != NULL) {
			d->gone = true;
			log_info("discover: %s said Bye", d->endpoint);
		}
	}
	/* a Probe (ours looped back, or another client's): ignored */
out:
	soap->is = NULL;
	soap_destroy(soap);
	soap_end(soap);
}

/* ---- the loop ------------------------------------------------------------ */

/* Random integer in [0, n). */
static int
wsd_rand(int n)
{
	unsigned r = 0;

	if (n <= 0)
		return 0;
	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r = (unsigned)onvif_now_us();
	return (int)(r % (unsigned)n);
}

/* When the listen ends, in the default mode: responders answer within
 * APP_MAX_DELAY (500 ms) of a probe, so once that window (plus a margin
 * for the network) has passed after the last probe, and nothing came for
 * a short quiet time, nothing more is due; never later than the cap. */
static int64_t
wsd_default_end(int64_t last_probe, int64_t last_rx, int cap_ms)
{
	int64_t e = last_probe + (int64_t)(WSD_APP_MAX_DELAY_MS +
	    WSD_MARGIN_MS) * 1000;
	int64_t cap = last_probe + (int64_t)cap_ms * 1000;

	if (last_rx + (int64_t)WSD_QUIET_MS * 1000 > e)
		e = last_rx + (int64_t)WSD_QUIET_MS * 1000;
	return e < cap ? e : cap;
}

/* Probe (unless probes == 0) and listen; with hello, also on port 3702.
 * total_ms > 0 bounds the whole run (watch mode).  Without an explicit
 * listen_ms the listen ends when the reply window after the last probe
 * has passed (wsd_default_end); with one, listen_ms after it. */
static int
wsd_run(const struct vg_onvif_discover_opts *opts, bool hello, int total_ms,
    struct vg_onvif_devlist *l, char **cause)
{
	struct wsd_if ifs[WSD_MAX_IFS];
	struct pollfd pfd[WSD_MAX_IFS + 1];
	struct sockaddr_in dst;
	struct soap *soap = NULL;
	char *buf = NULL;
	size_t nifs, i, npfd;
	int probes = opts != NULL && opts->probes > 0 ? opts->probes :
	    WSD_PROBES;
	bool fixed = opts != NULL && opts->listen_ms > 0;
	int listen_ms = fixed ? opts->listen_ms : WSD_LISTEN_CAP_MS;
	int jitter = opts != NULL && opts->jitter_ms > 0 ? opts->jitter_ms :
	    WSD_GAP_MS;
	int sent = 0, err = VG_OK, lfd = -1;
	int64_t start, next_probe, end, last_probe = 0, last_rx = 0;
	bool full = false;

	nifs = wsd_interfaces(opts, ifs, cause);
	if (nifs == 0)
		return VG_ERR_NOTFOUND;
	for (i = 0; i < nifs; i++) {
		if ((ifs[i].fd = wsd_socket(&ifs[i], cause)) == -1) {
			err = VG_ERR_NET;
			goto out;
		}
		pfd[i].fd = ifs[i].fd;
		pfd[i].events = POLLIN;
	}
	npfd = nifs;
	if (hello) {
		if ((lfd = wsd_listener(ifs, nifs, cause)) == -1) {
			err = VG_ERR_NET;
			goto out;
		}
		pfd[npfd].fd = lfd;
		pfd[npfd].events = POLLIN;
		npfd++;
	}
	soap = onvif_wsd_soap_new();
	buf = xmalloc(WSD_DGRAM + 1);
	memset(&dst, 0, sizeof dst);
	dst.sin_family = AF_INET;
	dst.sin_port = htons(WSD_PORT);
	inet_pton(AF_INET, WSD_ADDR, &dst.sin_addr);

	start = onvif_now_us();
	next_probe = start;
	end = total_ms > 0 ? start + (int64_t)total_ms * 1000 : INT64_MAX;
	for (;;) {
		int64_t now = onvif_now_us(), until;
		int wait_ms, n;
		bool due = false;

		if (sent < probes && now >= next_probe) {
			char *msg = wsd_probe_message(soap);

			for (i = 0; msg != NULL && i < nifs; i++)
				if (sendto(ifs[i].fd, msg, strlen(msg), 0,
				    (struct sockaddr *)&dst, sizeof dst) < 0)
					log_warn("discover: %s: sending the "
					    "probe failed: %s", ifs[i].name,
					    strerror(errno));
			free(msg);
			sent++;
			last_probe = now;
			/* the next one GAP..GAP+jitter ms later */
			next_probe = now + (int64_t)(WSD_GAP_MS +
			    wsd_rand(jitter + 1)) * 1000;
		}
		if (sent == probes && total_ms <= 0)
			end = fixed ? last_probe + (int64_t)listen_ms * 1000 :
			    wsd_default_end(last_probe, last_rx, listen_ms);
		until = sent < probes ? next_probe : end;
		if (until > end)
			until = end;
		if (now >= end)
			break;
		wait_ms = (int)((until - now + 999) / 1000);
		n = poll(pfd, npfd, wait_ms);
		if (n < 0 && errno != EINTR) {
			if (cause != NULL)
				xasprintf(cause, "poll: %s", strerror(errno));
			err = VG_ERR_NET;
			break;
		}
		for (i = 0; n > 0 && i < npfd && !due; i++) {
			struct sockaddr_in from;
			socklen_t flen;
			ssize_t got;
			char fs[INET_ADDRSTRLEN];

			if (!(pfd[i].revents & POLLIN))
				continue;
			while (!due) {
				flen = sizeof from;
				got = recvfrom(pfd[i].fd, buf, WSD_DGRAM, 0,
				    (struct sockaddr *)&from, &flen);
				if (got <= 0)
					break;
				buf[got] = '\0';
				inet_ntop(AF_INET, &from.sin_addr, fs,
				    sizeof fs);
				now = onvif_now_us();
				wsd_handle(soap, buf, i < nifs ? &ifs[i] :
				    NULL, fs, now - start, l, opts, &full);
				/* a flood must not hold the loop past its
				 * deadline or delay the next probe */
				now = onvif_now_us();
				if (sent == probes)
					last_rx = now;
				if (now >= end || (sent < probes &&
				    now >= next_probe))
					due = true;
			}
		}
	}
	log_info("discover: %d probe(s) on %zu interface(s), %zu device(s)",
	    sent, nifs, l->n);
out:
	for (i = 0; i < nifs; i++)
		if (ifs[i].fd != -1)
			close(ifs[i].fd);
	if (lfd != -1)
		close(lfd);
	free(buf);
	if (soap != NULL) {
		soap_destroy(soap);
		soap_end(soap);
		soap_free(soap);
	}
	return err;
}

/* WS-Discovery: probe with jitter on every chosen interface. */
int
vg_onvif_discover(const struct vg_onvif_discover_opts *opts,
    struct vg_onvif_devlist *out, char **cause)
{
	return wsd_run(opts, false, 0, out, cause);
}

/* Listen for Hello/Bye for ms, after one probe round. */
int
vg_onvif_watch(const struct vg_onvif_discover_opts *opts, int ms,
    struct vg_onvif_devlist *list, char **cause)
{
	return wsd_run(opts, true, ms > 0 ? ms : 1, list, cause);
}

/* ---- manual add and sweep ---------------------------------------------- */

/* Does a device service answer at url?  0 or a vg_err. */
static int
probe_url(struct soap *soap, const char *url, int timeout_ms, char **cause)
{
	enum vg_onvif_class cls;
	char *reason = NULL;
	int64_t t0 = onvif_now_us();
	time_t utc;
	int err;

	onvif_read_clock(soap, url, &utc, NULL);
	err = onvif_classify(soap, t0, timeout_ms, &cls, &reason, url, cause);
	/* a fault still proves an ONVIF device; only "auth needed" counts */
	if (err != VG_OK && (cls == VG_ONVIF_AUTH || cls == VG_ONVIF_FAULT ||
	    cls == VG_ONVIF_UNSUPPORTED)) {
		if (cause != NULL) {
			free(*cause);
			*cause = NULL;
		}
		err = VG_OK;
	}
	free(reason);
	soap_destroy(soap);
	soap_end(soap);
	return err;
}

/* Add a device by address after checking that it answers. */
int
vg_onvif_add_manual(const char *target, bool tls, int timeout_ms,
    struct vg_onvif_devlist *list, char **cause)
{
	struct vg_onvif_device *d;
	struct soap *soap;
	char *url = NULL, *epr;
	int err;

	if ((err = vg_onvif_target_url(target, tls, &url, cause)) != VG_OK)
		return err;
	soap = onvif_soap_new(timeout_ms > 0 ? timeout_ms : 3000);
	if (tls) {
		/* reachability only: no credentials are sent on this context */
		soap_ssl_client_context(soap, SOAP_SSL_NO_AUTHENTICATION |
		    SOAP_TLSv1_2 | SOAP_TLSv1_3, NULL, NULL, NULL, NULL, NULL);
	}
	err = probe_url(soap, url, timeout_ms > 0 ? timeout_ms : 3000, cause);
	onvif_soap_free(soap);
	if (err != VG_OK) {
		free(url);
		return err;
	}
	xasprintf(&epr, "url:%s", url);
	if ((d = vg_onvif_devlist_find(list, epr)) == NULL) {
		d = devlist_add(list);
		d->endpoint = epr;
		d->source = VG_ONVIF_SRC_MANUAL;
		onvif_strv_add(&d->xaddrs, &d->nxaddrs, url);
		d->xaddr = xstrdup(url);
		d->from = vg_onvif_url_host(url);
		d->replies = 1;
	} else
		free(epr);
	free(url);
	return VG_OK;
}

/* Shared state of a sweep. */
struct sweep {
	pthread_mutex_t lock;
	uint32_t first;		/* host order */
	uint32_t count;
	const int *ports;
	size_t nports;
	size_t next;		/* index into count * nports */
	int timeout_ms;
	struct vg_onvif_devlist *list;
	int64_t start;
};

/* One sweep worker: its own gSOAP context, the next address each time. */
static void *
sweep_worker(void *arg)
{
	struct sweep *sw = arg;
	struct soap *soap = onvif_soap_new(sw->timeout_ms);

	/* connecting is the expensive part of a sweep: keep it short */
	soap->connect_timeout = -1000 * (sw->timeout_ms < 1000 ?
	    sw->timeout_ms : 1000);
	for (;;) {
		struct in_addr a;
		char ip[INET_ADDRSTRLEN], *url;
		size_t k;
		int port;

		pthread_mutex_lock(&sw->lock);
		k = sw->next++;
		pthread_mutex_unlock(&sw->lock);
		if (k >= (size_t)sw->count * sw->nports)
			break;
		a.s_addr = htonl(sw->first + (uint32_t)(k / sw->nports));
		port = sw->ports[k % sw->nports];
		inet_ntop(AF_INET, &a, ip, sizeof ip);
		xasprintf(&url, "http://%s:%d/onvif/device_service", ip, port);
		if (probe_url(soap, url, sw->timeout_ms, NULL) == VG_OK) {
			struct vg_onvif_device *d;
			char *epr;

			xasprintf(&epr, "url:%s", url);
			pthread_mutex_lock(&sw->lock);
			if (vg_onvif_devlist_find(sw->list, epr) == NULL) {
				d = devlist_add(sw->list);
				d->endpoint = epr;
				epr = NULL;
				d->source = VG_ONVIF_SRC_SWEEP;
				onvif_strv_add(&d->xaddrs, &d->nxaddrs, url);
				d->xaddr = xstrdup(url);
				d->from = xstrdup(ip);
				d->replies = 1;
				d->found_us = onvif_now_us() - sw->start;
			}
			pthread_mutex_unlock(&sw->lock);
			free(epr);
		}
		free(url);
	}
	onvif_soap_free(soap);
	return NULL;
}

/* Sweep a CIDR range with bounded concurrency. */
int
vg_onvif_sweep(const char *cidr, const int *ports, size_t nports,
    int concurrency, int timeout_ms, struct vg_onvif_devlist *list,
    char **cause)
{
	static const int port80 = 80;
	struct sweep sw;
	pthread_t *th;
	struct in_addr a;
	char *ip = xstrdup(cidr), *slash;
	long prefix = 32;
	uint32_t base, mask;
	int i, nth;

	if ((slash = strchr(ip, '/')) != NULL) {
		char *end;

		*slash = '\0';
		prefix = strtol(slash + 1, &end, 10);
		if (*end != '\0' || end == slash + 1)
			prefix = -1;
	}
	if (inet_pton(AF_INET, ip, &a) != 1 || prefix < 16 || prefix > 32) {
		free(ip);
		if (cause != NULL)
			xasprintf(cause, "%s: expected an IPv4 range from /16 "
			    "to /32, such as 192.168.1.0/24", cidr);
		return VG_ERR_USAGE;
	}
	free(ip);
	mask = prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
	base = ntohl(a.s_addr) & mask;
	memset(&sw, 0, sizeof sw);
	pthread_mutex_init(&sw.lock, NULL);
	sw.first = base;
	sw.count = (uint32_t)1 << (32 - prefix);
	if (prefix <= 30) {
		/* skip the network and broadcast addresses */
		sw.first++;
		sw.count -= 2;
	}
	sw.ports = ports != NULL && nports > 0 ? ports : &port80;
	sw.nports = ports != NULL && nports > 0 ? nports : 1;
	sw.timeout_ms = timeout_ms > 0 ? timeout_ms : 1000;
	sw.list = list;
	sw.start = onvif_now_us();
	nth = concurrency > 0 ? concurrency : 32;
	if ((size_t)nth > (size_t)sw.count * sw.nports)
		nth = (int)(sw.count * sw.nports);
	th = xcalloc((size_t)nth, sizeof *th);
	for (i = 0; i < nth; i++)
		if (pthread_create(&th[i], NULL, sweep_worker, &sw) != 0)
			fatal("sweep: cannot start a thread");
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	free(th);
	pthread_mutex_destroy(&sw.lock);
	log_info("sweep: %s: %u address(es), %zu device(s)", cidr, sw.count,
	    list->n);
	return VG_OK;
}
