/* fuzz-onvif-reply.c - libFuzzer target: the reply path of every ONVIF
 * operation vigia calls, through the same core functions the CLI, the
 * wizard and --apply use.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte that picks a sequence of calls (open + info, profiles,
 * encoder options, time, network, users, events, reboot), then the
 * replies, separated by NUL bytes, in the order the calls connect.  A
 * reply that starts with "HTTP/" is sent as it is, any other as the body
 * of a 200 application/soap+xml answer.  No socket is opened: gSOAP's
 * fopen/fsend/frecv/fclose are replaced (onvif_soap_hook), so the real
 * parser, the WS-Security and digest plugins, the address guard and all
 * of vigia's conversions run on every byte.  When the replies run out,
 * the next connection is refused.  A request sent without a connection
 * (gSOAP's stdin/stdout mode, for an endpoint without a host) aborts: it
 * is a finding.  With FUZZ_TRACE set in the
 * environment, each request's path segment and operation are printed
 * ("TRACE media2_service GetProfiles") and a connection past the last
 * reply gets an empty one: tests/fuzz/make-seeds.sh builds the seeds
 * from the fixtures that way.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "soapH.h"

#include "onvif-soap.h"
#include "libvigia.h"

static const uint8_t *fz_next;	/* the replies not yet used */
static size_t fz_left;
static char *fz_reply;		/* the current connection's bytes */
static size_t fz_len, fz_pos;
static bool fz_trace;		/* FUZZ_TRACE: print each request */

/* "Connect": take the next reply, or refuse. */
static SOAP_SOCKET
fz_open(struct soap *soap, const char *endpoint, const char *host, int port)
{
	const uint8_t *end;
	size_t n;
	int fd;

	(void)endpoint;
	(void)host;
	(void)port;
	free(fz_reply);
	fz_reply = NULL;
	fz_len = fz_pos = 0;
	if ((fz_left == 0 && !fz_trace) ||
	    (fd = open("/dev/null", O_RDWR)) < 0) {
		soap->errnum = ECONNREFUSED;
		soap_set_receiver_error(soap, "connect", "refused",
		    SOAP_TCP_ERROR);
		return SOAP_INVALID_SOCKET;
	}
	if (fz_left == 0) {
		fz_reply = xstrdup("");
		return fd;
	}
	end = memchr(fz_next, '\0', fz_left);
	n = end != NULL ? (size_t)(end - fz_next) : fz_left;
	if (n >= 5 && memcmp(fz_next, "HTTP/", 5) == 0) {
		fz_reply = xmalloc(n + 1);
		memcpy(fz_reply, fz_next, n);
		fz_len = n;
	} else {
		char hdr[160];
		int h = snprintf(hdr, sizeof hdr, "HTTP/1.1 200 OK\r\n"
		    "Content-Type: application/soap+xml; charset=utf-8\r\n"
		    "Content-Length: %zu\r\nConnection: close\r\n\r\n", n);

		fz_reply = xmalloc((size_t)h + n + 1);
		memcpy(fz_reply, hdr, (size_t)h);
		memcpy(fz_reply + h, fz_next, n);
		fz_len = (size_t)h + n;
	}
	fz_next += end != NULL ? n + 1 : n;
	fz_left -= end != NULL ? n + 1 : n;
	return fd;
}

/* The request goes nowhere (FUZZ_TRACE: its path segment and operation
 * are printed; the HTTP header and the body come in separate pieces). */
static int
fz_send(struct soap *soap, const char *s, size_t n)
{
	static char seg[64];
	const char *b, *e, *p;

	if (!soap_valid_socket(soap->socket)) {
		/* gSOAP's stdio mode: in vigia this would be the terminal */
		fprintf(stderr, "fuzz: a request went to stdout (endpoint "
		    "\"%s\" has no host)\n", soap->endpoint);
		abort();
	}
	if (!fz_trace)
		return SOAP_OK;
	if (n > 5 && memcmp(s, "POST ", 5) == 0) {
		e = memchr(s + 5, ' ', n - 5);
		for (p = e; p != NULL && p > s + 5 && p[-1] != '/'; p--)
			;
		if (e != NULL && p != NULL)
			snprintf(seg, sizeof seg, "%.*s", (int)(e - p), p);
	}
	if ((b = memmem(s, n, "Body>", 5)) == NULL ||
	    (b = memchr(b, '<', n - (size_t)(b - s))) == NULL)
		return SOAP_OK;
	for (e = b + 1; e < s + n && *e != ' ' && *e != '>' && *e != '/'; e++)
		;
	p = memchr(b, ':', (size_t)(e - b));
	p = p != NULL ? p + 1 : b + 1;
	fprintf(stderr, "TRACE %s %.*s\n", seg, (int)(e - p), p);
	return SOAP_OK;
}

/* The reply, in pieces of at most len bytes; 0 at its end. */
static size_t
fz_recv(struct soap *soap, char *buf, size_t len)
{
	size_t n = fz_len - fz_pos;

	(void)soap;
	if (fz_reply == NULL)
		return 0;	/* no connection: nothing to read */
	if (n > len)
		n = len;
	memcpy(buf, fz_reply + fz_pos, n);
	fz_pos += n;
	return n;
}

/* Close the stand-in socket. */
static int
fz_close(struct soap *soap)
{
	if (soap_valid_socket(soap->socket))
		close(soap->socket);
	soap->socket = SOAP_INVALID_SOCKET;
	return SOAP_OK;
}

/* onvif_soap_hook: every context talks to the input. */
static void
fz_hook(struct soap *soap)
{
	soap->fopen = fz_open;
	soap->fsend = fz_send;
	soap->frecv = fz_recv;
	soap->fclose = fz_close;
}

/* One sequence of calls, as `vigia camera ...` makes them. */
static void
fz_run(int which)
{
	struct vg_onvif_opts o;
	struct vg_onvif *s = NULL;
	char *cause = NULL;

	memset(&o, 0, sizeof o);
	o.user = "admin";
	o.password = "fuzz-secret";
	o.timeout_ms = 1000;
	if (vg_onvif_open("http://127.0.0.1:80/onvif/device_service", &o, &s,
	    &cause) != VG_OK)
		goto out;
	switch (which) {
	case 0: {
		struct vg_onvif_info info;

		memset(&info, 0, sizeof info);
		vg_onvif_get_info(s, &info, &cause);
		vg_onvif_info_clear(&info);
		break;
	}
	case 1:
	case 2: {
		struct vg_onvif_profile *p = NULL;
		size_t n = 0;

		if (vg_onvif_get_profiles(s, &p, &n, &cause) == VG_OK &&
		    which == 2 && n > 0) {
			struct vg_onvif_encoder_options opt;

			memset(&opt, 0, sizeof opt);
			free(cause);
			cause = NULL;
			vg_onvif_get_encoder_options(s, p[0].token, &opt,
			    &cause);
			vg_onvif_encoder_options_clear(&opt);
		}
		vg_onvif_profiles_free(p, n);
		break;
	}
	case 3: {
		struct vg_onvif_time t;

		memset(&t, 0, sizeof t);
		vg_onvif_get_time(s, &t, &cause);
		vg_onvif_time_clear(&t);
		break;
	}
	case 4: {
		struct vg_onvif_net net;

		memset(&net, 0, sizeof net);
		vg_onvif_get_network(s, &net, &cause);
		vg_onvif_net_clear(&net);
		break;
	}
	case 5: {
		struct vg_onvif_user *u = NULL;
		size_t n = 0;
		bool fresh = false;

		vg_onvif_get_users(s, &u, &n, &cause);
		vg_onvif_users_free(u, n);
		free(cause);
		cause = NULL;
		vg_onvif_is_factory_new(s, &fresh, &cause);
		break;
	}
	case 6: {
		struct vg_onvif_events *ev = NULL;
		struct vg_onvif_event *e = NULL;
		char **topics = NULL;
		size_t n = 0, i;

		if (vg_onvif_event_topics(s, &topics, &n, &cause) == VG_OK) {
			for (i = 0; i < n; i++)
				free(topics[i]);
		}
		free(topics);
		free(cause);
		cause = NULL;
		if (vg_onvif_events_open(s, 60, &ev, &cause) == VG_OK) {
			n = 0;
			free(cause);
			cause = NULL;
			if (vg_onvif_events_pull(ev, 0, &e, &n, &cause) ==
			    VG_OK)
				vg_onvif_events_free_list(e, n);
			vg_onvif_events_close(ev);
		}
		break;
	}
	default: {
		char *msg = NULL;

		vg_onvif_reboot(s, &msg, &cause);
		free(msg);
		break;
	}
	}
	/* what the CLI shows of a failure */
	(void)vg_onvif_class_text(vg_onvif_last_class(s));
	if (vg_onvif_last_reason(s) != NULL)
		free(vg_text_safe(vg_onvif_last_reason(s)));
out:
	if (fz_trace)
		fprintf(stderr, "TRACE-END %s\n", cause != NULL ? cause : "ok");
	if (cause != NULL)
		free(vg_text_safe(cause));
	free(cause);
	vg_onvif_free(s);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Once: route every gSOAP context to the input; keep the log quiet. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	onvif_soap_hook = fz_hook;
	fz_trace = getenv("FUZZ_TRACE") != NULL;
	if (fz_trace) {
		vg_log_open_stderr(0);
		vg_log_set_level(VG_LOG_DEBUG);
	}
	vg_log_set_level(VG_LOG_ERR);
	return 0;
}

/* One input: a sequence and its replies. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fz_next = data + 1;
	fz_left = size - 1;
	fz_run(data[0] % 8);
	free(fz_reply);
	fz_reply = NULL;
	return 0;
}
