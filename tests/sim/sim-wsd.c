/* sim-wsd.c - vigia-sim: WS-Discovery (2005/04, as ONVIF uses it).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One thread listens on 239.255.255.250:3702 (joined on loopback) for the
 * whole site and parses each datagram with gSOAP's UDP transport.  A
 * Probe that matches a camera's types and scopes is answered by that
 * camera, from its own address, after the random 0-500 ms delay that
 * WS-Discovery prescribes (APP_MAX_DELAY) so that a site does not answer
 * in one burst.  Hello (start, return from reboot, metadata change) and
 * Bye (stop, reboot) are multicast from the camera's address.  Messages
 * are rendered with gSOAP into a string (soap->os) and sent with plain
 * sockets, so every camera speaks from its own address.
 *
 * Multicast on loopback needs root: when root, sim_wsd_setup_loopback()
 * turns it on (ip link set lo multicast on; ip route add 239.0.0.0/8 dev
 * lo) and sim_wsd_restore_loopback() undoes exactly what it did.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "soapH.h"

#include "sim-camera.h"
#include "libvigia.h"

#define WSD_GROUP "239.255.255.250"
#define WSD_PORT 3702
#define WSD_MAX_JOBS 1024
#define WSD_MAX_DELAY_MS 500

extern char **environ;

/* Discovery's table: 2004/08 WS-Addressing must win over wsa5's
 * alternative URI when parsing. */
static struct Namespace wsd_namespaces[] = {
	{ "SOAP-ENV", "http://www.w3.org/2003/05/soap-envelope",
	    "http://schemas.xmlsoap.org/soap/envelope/", NULL },
	{ "SOAP-ENC", "http://www.w3.org/2003/05/soap-encoding",
	    "http://schemas.xmlsoap.org/soap/encoding/", NULL },
	{ "xsi", "http://www.w3.org/2001/XMLSchema-instance",
	    "http://www.w3.org/*/XMLSchema-instance", NULL },
	{ "xsd", "http://www.w3.org/2001/XMLSchema",
	    "http://www.w3.org/*/XMLSchema", NULL },
	{ "wsa", "http://schemas.xmlsoap.org/ws/2004/08/addressing", NULL, NULL },
	{ "wsd", "http://schemas.xmlsoap.org/ws/2005/04/discovery", NULL, NULL },
	{ "tdn", "http://www.onvif.org/ver10/network/wsdl", NULL, NULL },
	{ "tds", "http://www.onvif.org/ver10/device/wsdl", NULL, NULL },
	{ "wsa5", "http://www.w3.org/2005/08/addressing", NULL, NULL },
	{ NULL, NULL, NULL, NULL }
};

struct wsd_job {
	int cam;
	int64_t at_ms;
	struct sockaddr_in peer;
	char relates[128];
};

static int wsd_marker;		/* soap->user of the discovery context */
static struct wsd_job wsd_jobs[WSD_MAX_JOBS];
static int wsd_njobs;
static pthread_t wsd_thread;
static bool wsd_running;
static struct soap *wsd_rx;
static unsigned wsd_rand_state;
static bool wsd_set_multicast, wsd_set_route;
static pthread_mutex_t wsd_msgid_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned wsd_msgid_seq;

/* A fresh uuid: URN for a message. */
static char *
wsd_msgid(struct soap *soap, const struct sim_camera *cam)
{
	char buf[64];
	unsigned seq;

	pthread_mutex_lock(&wsd_msgid_lock);
	seq = ++wsd_msgid_seq;
	pthread_mutex_unlock(&wsd_msgid_lock);
	/* the camera's uuid with the last 8 hex digits replaced */
	snprintf(buf, sizeof buf, "%.37s%08x", cam->uuid, seq ^
	    (unsigned)rand_r(&wsd_rand_state));
	return soap_strdup(soap, buf);
}

/* A discovery context for rendering one message. */
static struct soap *
wsd_soap_new(void)
{
	struct soap *soap = soap_new1(SOAP_C_UTFSTRING | SOAP_XML_NOTYPE);

	if (soap == NULL)
		fatal("vigia-sim: out of memory");
	soap_set_namespaces(soap, wsd_namespaces);
	soap_set_version(soap, 2);
	return soap;
}

/* Header common to the messages a camera sends. Caller holds lock. */
static void
wsd_header(struct soap *soap, struct sim_camera *cam, const char *action,
    const char *to, const char *relates)
{
	struct wsd__AppSequenceType *seq;

	soap_header(soap);
	soap->header->wsa__MessageID = wsd_msgid(soap, cam);
	soap->header->wsa__RelatesTo = relates != NULL ?
	    soap_strdup(soap, relates) : NULL;
	soap->header->wsa__To = soap_strdup(soap, to);
	soap->header->wsa__Action = soap_strdup(soap, action);
	seq = soap_malloc(soap, sizeof *seq);
	soap_default_wsd__AppSequenceType(soap, seq);
	seq->InstanceId = cam->instance_id;
	seq->MessageNumber = ++cam->msg_number;
	soap->header->wsd__AppSequence = seq;
}

/* Send buf from the camera's address to dst. */
static void
wsd_sendto(const struct sim_camera *cam, const char *from,
    const struct sockaddr_in *dst, const char *buf, bool multicast)
{
	struct sockaddr_in src;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	memset(&src, 0, sizeof src);
	src.sin_family = AF_INET;
	inet_pton(AF_INET, from, &src.sin_addr);
	if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0) {
		log_debug("sim: camera %d: WS-Discovery bind %s: %s",
		    cam->index, from, strerror(errno));
		close(fd);
		return;
	}
	if (multicast) {
		unsigned char ttl = 1;

		setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &src.sin_addr,
		    sizeof src.sin_addr);
		setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
	}
	if (sendto(fd, buf, strlen(buf), 0, (const struct sockaddr *)dst,
	    sizeof *dst) < 0)
		log_debug("sim: camera %d: WS-Discovery send: %s", cam->index,
		    strerror(errno));
	close(fd);
}

/* Render header + body with gSOAP into a string in soap's memory. */
#define WSD_RENDER(soap, out, serialize, put) do {			\
	(soap)->os = (const char **)&(out);				\
	soap_serializeheader(soap);					\
	serialize;							\
	if (soap_begin_send(soap) || soap_envelope_begin_out(soap) ||	\
	    soap_putheader(soap) || soap_body_begin_out(soap) || put ||	\
	    soap_body_end_out(soap) || soap_envelope_end_out(soap) ||	\
	    soap_end_send(soap))					\
		(out) = NULL;						\
	(soap)->os = NULL;						\
} while (0)

/* The camera's scopes as a wsd:Scopes element. Caller holds lock. */
static struct wsd__ScopesType *
wsd_scopes(struct soap *soap, const struct sim_camera *cam)
{
	struct wsd__ScopesType *s = soap_malloc(soap, sizeof *s);
	char buf[2048];

	soap_default_wsd__ScopesType(soap, s);
	sim_camera_scopes(cam, buf, sizeof buf);
	s->__item = soap_strdup(soap, buf);
	return s;
}

/* Hello or Bye from one camera. */
static void
wsd_announce(struct sim_camera *cam, bool hello)
{
	struct soap *soap;
	struct sockaddr_in dst;
	char *out = NULL, from[16], xaddr[160];

	if (!sim_site.discovery)
		return;
	soap = wsd_soap_new();
	memset(&dst, 0, sizeof dst);
	dst.sin_family = AF_INET;
	dst.sin_port = htons(WSD_PORT);
	inet_pton(AF_INET, WSD_GROUP, &dst.sin_addr);
	pthread_mutex_lock(&cam->lock);
	if (hello && !sim_camera_up(cam)) {
		pthread_mutex_unlock(&cam->lock);
		soap_free(soap);
		return;
	}
	snprintf(from, sizeof from, "%s", cam->serve_addr);
	sim_camera_url(cam, "/onvif/device_service", xaddr, sizeof xaddr);
	wsd_header(soap, cam, hello ?
	    "http://schemas.xmlsoap.org/ws/2005/04/discovery/Hello" :
	    "http://schemas.xmlsoap.org/ws/2005/04/discovery/Bye",
	    "urn:schemas-xmlsoap-org:ws:2005:04:discovery", NULL);
	if (hello) {
		struct wsd__HelloType h;

		soap_default_wsd__HelloType(soap, &h);
		h.wsa__EndpointReference.Address = soap_strdup(soap, cam->uuid);
		h.Types = soap_strdup(soap, "tdn:NetworkVideoTransmitter "
		    "tds:Device");
		h.Scopes = wsd_scopes(soap, cam);
		h.XAddrs = soap_strdup(soap, xaddr);
		h.MetadataVersion = cam->metadata_version;
		pthread_mutex_unlock(&cam->lock);
		WSD_RENDER(soap, out, soap_serialize_wsd__HelloType(soap, &h),
		    soap_put_wsd__HelloType(soap, &h, "wsd:Hello", NULL));
	} else {
		struct wsd__ByeType b;

		soap_default_wsd__ByeType(soap, &b);
		b.wsa__EndpointReference.Address = soap_strdup(soap, cam->uuid);
		pthread_mutex_unlock(&cam->lock);
		WSD_RENDER(soap, out, soap_serialize_wsd__ByeType(soap, &b),
		    soap_put_wsd__ByeType(soap, &b, "wsd:Bye", NULL));
	}
	if (out != NULL)
		wsd_sendto(cam, from, &dst, out, true);
	soap_destroy(soap);
	soap_end(soap);
	soap_free(soap);
}

/* Multicast the camera's Hello. */
void
sim_wsd_hello(struct sim_camera *cam)
{
	wsd_announce(cam, true);
}

/* Multicast the camera's Bye. */
void
sim_wsd_bye(struct sim_camera *cam)
{
	wsd_announce(cam, false);
}

/* Answer one due Probe for one camera. */
static void
wsd_probe_match(const struct wsd_job *job)
{
	struct sim_camera *cam = &sim_site.cams[job->cam];
	struct soap *soap = wsd_soap_new();
	struct wsd__ProbeMatchesType pm;
	struct wsd__ProbeMatchType *m;
	char *out = NULL, from[16], xaddr[160];

	pthread_mutex_lock(&cam->lock);
	if (!sim_camera_up(cam)) {
		pthread_mutex_unlock(&cam->lock);
		soap_free(soap);
		return;
	}
	snprintf(from, sizeof from, "%s", cam->serve_addr);
	sim_camera_url(cam, "/onvif/device_service", xaddr, sizeof xaddr);
	wsd_header(soap, cam,
	    "http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches",
	    "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous",
	    job->relates);
	soap_default_wsd__ProbeMatchesType(soap, &pm);
	m = soap_malloc(soap, sizeof *m);
	soap_default_wsd__ProbeMatchType(soap, m);
	m->wsa__EndpointReference.Address = soap_strdup(soap, cam->uuid);
	m->Types = soap_strdup(soap, "tdn:NetworkVideoTransmitter tds:Device");
	m->Scopes = wsd_scopes(soap, cam);
	m->XAddrs = soap_strdup(soap, xaddr);
	m->MetadataVersion = cam->metadata_version;
	pthread_mutex_unlock(&cam->lock);
	pm.__sizeProbeMatch = 1;
	pm.ProbeMatch = m;
	WSD_RENDER(soap, out, soap_serialize_wsd__ProbeMatchesType(soap, &pm),
	    soap_put_wsd__ProbeMatchesType(soap, &pm, "wsd:ProbeMatches", NULL));
	if (out != NULL)
		wsd_sendto(cam, from, &job->peer, out, false);
	soap_destroy(soap);
	soap_end(soap);
	soap_free(soap);
}

/* Does every item of the space-separated list `want` match `have`?
 * match(w, h) compares one pair. */
static bool
wsd_all_match(const char *want, const char *have,
    bool (*match)(const char *, size_t, const char *, size_t))
{
	const char *w = want;

	while (w != NULL && *w != '\0') {
		size_t wl;
		const char *h = have;
		bool found = false;

		while (*w == ' ' || *w == '\t' || *w == '\n' || *w == '\r')
			w++;
		wl = strcspn(w, " \t\r\n");
		if (wl == 0)
			break;
		while (*h != '\0' && !found) {
			size_t hl;

			while (*h == ' ')
				h++;
			hl = strcspn(h, " ");
			if (hl > 0 && match(w, wl, h, hl))
				found = true;
			h += hl;
		}
		if (!found)
			return false;
		w += wl;
	}
	return true;
}

/* QNames: compare local names (the prefixes are the sender's). */
static bool
wsd_type_match(const char *w, size_t wl, const char *h, size_t hl)
{
	const char *wc = memchr(w, ':', wl), *hc = memchr(h, ':', hl);

	if (wc != NULL) {
		wl -= (size_t)(wc + 1 - w);
		w = wc + 1;
	}
	if (hc != NULL) {
		hl -= (size_t)(hc + 1 - h);
		h = hc + 1;
	}
	return wl == hl && memcmp(w, h, wl) == 0;
}

/* RFC 3986 matching: equal, or a prefix ending at a segment boundary. */
static bool
wsd_scope_match(const char *w, size_t wl, const char *h, size_t hl)
{
	while (wl > 0 && w[wl - 1] == '/')
		wl--;
	if (wl > hl || strncasecmp(w, h, wl) != 0)
		return false;
	return wl == hl || h[wl] == '/';
}

/* strcmp0 matching. */
static bool
wsd_scope_exact(const char *w, size_t wl, const char *h, size_t hl)
{
	return wl == hl && memcmp(w, h, wl) == 0;
}

/* The Probe handler (dispatched from soapServer.c). Queues an answer
 * from every matching camera; nothing is sent back from here. */
int
__wsd__Probe(struct soap *soap, struct wsd__ProbeType *probe)
{
	const char *msgid, *scopes = NULL, *types = NULL;
	bool exact = false;
	int64_t now = sim_now_ms();
	int i;

	if (soap->user != &wsd_marker)
		return sim_soap_fault(soap, false, "ter:ActionNotSupported",
		    NULL, "WS-Discovery is served over UDP on port 3702");
	msgid = soap->header != NULL ? soap->header->wsa__MessageID : NULL;
	if (msgid == NULL || soap->peer.addr.sa_family != AF_INET)
		return SOAP_OK;
	if (probe != NULL) {
		types = probe->Types;
		if (probe->Scopes != NULL) {
			scopes = probe->Scopes->__item;
			if (probe->Scopes->MatchBy != NULL &&
			    strstr(probe->Scopes->MatchBy, "strcmp0") != NULL)
				exact = true;
			else if (probe->Scopes->MatchBy != NULL &&
			    strstr(probe->Scopes->MatchBy, "rfc3986") == NULL)
				return SOAP_OK;	/* unsupported rule */
		}
	}
	for (i = 0; i < sim_site.ncams && wsd_njobs < WSD_MAX_JOBS; i++) {
		struct sim_camera *cam = &sim_site.cams[i];
		struct wsd_job *j;
		char have[2048];
		bool ok;

		pthread_mutex_lock(&cam->lock);
		ok = sim_camera_up(cam);
		sim_camera_scopes(cam, have, sizeof have);
		pthread_mutex_unlock(&cam->lock);
		if (!ok)
			continue;
		if (types != NULL && !wsd_all_match(types,
		    "tdn:NetworkVideoTransmitter tds:Device", wsd_type_match))
			continue;
		if (scopes != NULL && !wsd_all_match(scopes, have, exact ?
		    wsd_scope_exact : wsd_scope_match))
			continue;
		j = &wsd_jobs[wsd_njobs++];
		j->cam = i;
		j->at_ms = now + rand_r(&wsd_rand_state) %
		    (WSD_MAX_DELAY_MS + 1);
		memcpy(&j->peer, &soap->peer.in, sizeof j->peer);
		snprintf(j->relates, sizeof j->relates, "%s", msgid);
	}
	return SOAP_OK;
}

/* A ProbeMatches heard on the group: not for a device. */
int
__wsd__ProbeMatches(struct soap *soap, struct wsd__ProbeMatchesType *m)
{
	if (soap->user == &wsd_marker)
		return SOAP_OK;	/* another device's answer: not for us */
	return sim_soap_fault(soap, false, "ter:ActionNotSupported", NULL,
	    "Not a device operation");
}

/* A Hello heard on the group (ours or a neighbour's): ignored. */
int
__wsd__Hello(struct soap *soap, struct wsd__HelloType *m)
{
	if (soap->user == &wsd_marker)
		return SOAP_OK;	/* ours or a neighbour's */
	return sim_soap_fault(soap, false, "ter:ActionNotSupported", NULL,
	    "Not a device operation");
}

/* A Bye heard on the group: ignored. */
int
__wsd__Bye(struct soap *soap, struct wsd__ByeType *m)
{
	if (soap->user == &wsd_marker)
		return SOAP_OK;
	return sim_soap_fault(soap, false, "ter:ActionNotSupported", NULL,
	    "Not a device operation");
}

/* Send the answers that are due; the ms until the next one (or 1000). */
static int
wsd_run_jobs(void)
{
	int64_t now = sim_now_ms(), next = now + 1000;
	int i = 0;

	while (i < wsd_njobs) {
		if (wsd_jobs[i].at_ms <= now) {
			wsd_probe_match(&wsd_jobs[i]);
			wsd_jobs[i] = wsd_jobs[--wsd_njobs];
			continue;
		}
		if (wsd_jobs[i].at_ms < next)
			next = wsd_jobs[i].at_ms;
		i++;
	}
	return (int)(next - now);
}

/* The discovery thread: parse datagrams, send due answers. */
static void *
wsd_main(void *arg)
{
	struct soap *soap = wsd_rx;

	while (!atomic_load(&sim_site.stopping)) {
		int wait = wsd_run_jobs();

		if (wait < 1)
			wait = 1;
		soap->recv_timeout = -1000 * wait;	/* microseconds */
		/* soap_begin_serve() would answer bad datagrams with a
		 * fault; a discovery listener stays silent instead */
		if (soap_begin_recv(soap) == SOAP_OK &&
		    soap_envelope_begin_in(soap) == SOAP_OK &&
		    soap_recv_header(soap) == SOAP_OK &&
		    soap_body_begin_in(soap) == SOAP_OK)
			(void)soap_serve_request(soap);
		soap_destroy(soap);
		soap_end(soap);
		soap->error = SOAP_OK;
	}
	return NULL;
}

/* See sim-camera.h. */
int
sim_wsd_start(char **cause)
{
	struct soap *soap;
	struct ip_mreq mreq;

	soap = soap_new1(SOAP_IO_UDP | SOAP_C_UTFSTRING);
	if (soap == NULL)
		fatal("vigia-sim: out of memory");
	soap_set_namespaces(soap, wsd_namespaces);
	soap->user = &wsd_marker;
	soap->bind_flags = SO_REUSEADDR;
	soap->recv_maxlength = 65536;
	if (!soap_valid_socket(soap_bind(soap, NULL, WSD_PORT, 16))) {
		xasprintf(cause, "cannot bind UDP port %d: %s", WSD_PORT,
		    strerror(errno));
		soap_free(soap);
		return -1;
	}
	memset(&mreq, 0, sizeof mreq);
	inet_pton(AF_INET, WSD_GROUP, &mreq.imr_multiaddr);
	inet_pton(AF_INET, "127.0.0.1", &mreq.imr_interface);
	if (setsockopt(soap->master, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq,
	    sizeof mreq) != 0) {
		xasprintf(cause, "cannot join %s on loopback: %s", WSD_GROUP,
		    strerror(errno));
		soap_free(soap);
		return -1;
	}
	wsd_rand_state = sim_site.seed ^ (unsigned)getpid();
	wsd_rx = soap;
	if (pthread_create(&wsd_thread, NULL, wsd_main, NULL) != 0) {
		xasprintf(cause, "pthread_create failed");
		wsd_rx = NULL;
		soap_free(soap);
		return -1;
	}
	wsd_running = true;
	return 0;
}

/* Stop the discovery thread and free its context. */
void
sim_wsd_stop(void)
{
	if (wsd_running)
		pthread_join(wsd_thread, NULL);
	wsd_running = false;
	if (wsd_rx != NULL) {
		soap_destroy(wsd_rx);
		soap_end(wsd_rx);
		soap_free(wsd_rx);
	}
	wsd_rx = NULL;
}

/* Run a command quietly; 0 if it exited 0. */
static int
wsd_run(const char *const argv[])
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st, err;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv,
	    environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err != 0)
		return -1;
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* Does `cmd` print something containing `needle`? */
static bool
wsd_output_has(const char *cmd, const char *needle)
{
	char line[512];
	bool found = false;
	FILE *f = popen(cmd, "r");

	if (f == NULL)
		return false;
	while (fgets(line, sizeof line, f) != NULL)
		if (strstr(line, needle) != NULL)
			found = true;
	pclose(f);
	return found;
}

/* See sim-camera.h. */
int
sim_wsd_setup_loopback(char **cause)
{
	if (!wsd_output_has("ip -o link show dev lo 2>/dev/null",
	    "MULTICAST")) {
		const char *argv[] = { "ip", "link", "set", "lo", "multicast", "on",
			NULL };

		if (wsd_run(argv) != 0) {
			xasprintf(cause, "ip link set lo multicast on failed");
			return -1;
		}
		wsd_set_multicast = true;
		log_info("sim: turned multicast on for lo");
	}
	if (!wsd_output_has("ip -o route get " WSD_GROUP " 2>/dev/null",
	    " dev lo ")) {
		const char *argv[] = { "ip", "route", "add", "239.0.0.0/8", "dev",
			"lo", NULL };

		if (wsd_run(argv) != 0) {
			xasprintf(cause, "ip route add 239.0.0.0/8 dev lo "
			    "failed (another multicast route exists?)");
			return -1;
		}
		wsd_set_route = true;
		log_info("sim: added route 239.0.0.0/8 dev lo");
	}
	return 0;
}

/* See sim-camera.h: undo only what sim_wsd_setup_loopback() did. */
void
sim_wsd_restore_loopback(void)
{
	if (wsd_set_route) {
		const char *argv[] = { "ip", "route", "del", "239.0.0.0/8", "dev",
			"lo", NULL };

		wsd_run(argv);
		wsd_set_route = false;
	}
	if (wsd_set_multicast) {
		const char *argv[] = { "ip", "link", "set", "lo", "multicast", "off",
			NULL };

		wsd_run(argv);
		wsd_set_multicast = false;
	}
}
