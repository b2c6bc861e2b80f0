/* onvif-events.c - ONVIF events through a pull-point subscription:
 * topics, pulling, and re-creating the subscription when it expires.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Renew is not used: its WSDL faults defeat the operation filter (README
 * pitfall 7) and cameras differ on whether a pull extends the lifetime.
 * We track the termination time the camera reports (on its own clock,
 * converted with the session's offset) and create a new subscription
 * shortly before it runs out, or as soon as the camera forgets it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "wsaapi.h"

#include "onvif-int.h"

#define EV_ACTION_CREATE "http://www.onvif.org/ver10/events/wsdl/" \
	"EventPortType/CreatePullPointSubscriptionRequest"
#define EV_ACTION_PROPS "http://www.onvif.org/ver10/events/wsdl/" \
	"EventPortType/GetEventPropertiesRequest"
#define EV_ACTION_PULL "http://www.onvif.org/ver10/events/wsdl/" \
	"PullPointSubscription/PullMessagesRequest"
#define EV_ACTION_UNSUB "http://docs.oasis-open.org/wsn/bw-2/" \
	"SubscriptionManager/UnsubscribeRequest"

/* A pull-point subscription (struct vg_onvif_events in onvif.h). */
struct vg_onvif_events {
	struct vg_onvif *s;	/* borrowed */
	char *address;		/* subscription manager */
	time_t expires;		/* on our clock */
	int lifetime_s;
	int recreated;
};

/* Register the WS-Addressing plugin once per context. */
static void
events_wsa(struct vg_onvif *s)
{
	if (soap_lookup_plugin(s->soap, SOAP_WSA_ID) == NULL &&
	    soap_register_plugin(s->soap, soap_wsa) != SOAP_OK)
		fatal("onvif: cannot register the WS-Addressing plugin");
}

/* ---- topics -------------------------------------------------------------- */

/* Raw reply capture for GetEventProperties: -x drops the TopicSet's
 * content, so the topics are read from the XML text. */
struct capture {
	char *buf;
	size_t len;
	int (*chain)(struct soap *, const char *, size_t);
};

/* fpreparerecv hook: append what arrives. */
static int
capture_recv(struct soap *soap, const char *buf, size_t len)
{
	struct capture *c = soap->user;

	if (c != NULL && c->len + len < (8u << 20)) {
		c->buf = xrealloc(c->buf, c->len + len + 1);
		memcpy(c->buf + c->len, buf, len);
		c->len += len;
		c->buf[c->len] = '\0';
	}
	return c != NULL && c->chain != NULL ? c->chain(soap, buf, len) :
	    SOAP_OK;
}

/* Local name of the tag starting at p ('<' excluded) into out. */
static size_t
tag_name(const char *p, char *out, size_t size, const char **local)
{
	size_t n = strcspn(p, " \t\r\n/>");

	if (n >= size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	*local = strchr(out, ':') != NULL ? strchr(out, ':') + 1 : out;
	return n;
}

/* Topic paths in the TopicSet of xml: every element with
 * wstop:topic="true", as "prefix:Top/Sub/Leaf". */
static void
topics_parse(const char *xml, char ***topics, size_t *n)
{
	const char *p, *end;
	char stack[16][128], name[128];
	int depth = 0;

	p = strstr(xml, "TopicSet");
	while (p != NULL && p > xml && p[-1] != '<' && p[-1] != ':')
		p = strstr(p + 1, "TopicSet");
	if (p == NULL || (p = strchr(p, '>')) == NULL)
		return;
	end = strstr(p, "TopicSet>");
	for (p++; p != NULL && (end == NULL || p < end);
	    p = strchr(p + 1, '<')) {
		const char *local, *close;
		bool empty;

		if (*p != '<')
			continue;
		if (p[1] == '/') {
			if (depth > 0)
				depth--;
			continue;
		}
		if (p[1] == '?' || p[1] == '!')
			continue;
		close = strchr(p, '>');
		if (close == NULL)
			break;
		empty = close[-1] == '/';
		tag_name(p + 1, name, sizeof name, &local);
		if (depth < 16)
			snprintf(stack[depth], sizeof stack[depth], "%s",
			    depth == 0 ? name : local);
		{
			/* topic="true" inside this start tag? */
			const char *a = p;
			bool is_topic = false;

			while ((a = strstr(a, "topic=")) != NULL && a < close) {
				if (strncmp(a + 7, "true", 4) == 0)
					is_topic = true;
				a += 6;
			}
			if (is_topic && depth < 16) {
				char path[1024] = "";
				size_t len = 0;
				int i;

				for (i = 0; i <= depth; i++)
					len += (size_t)snprintf(path + len,
					    sizeof path - len, "%s%s",
					    i ? "/" : "", stack[i]);
				onvif_strv_add(topics, n, path);
			}
		}
		if (!empty)
			depth++;
		p = close;
	}
}

/* The topics the camera publishes. */
int
vg_onvif_event_topics(struct vg_onvif *s, char ***topics, size_t *n,
    char **cause)
{
	struct _tev__GetEventProperties req;
	struct _tev__GetEventPropertiesResponse res;
	struct capture cap = { NULL, 0, NULL };
	int a, err;

	*topics = NULL;
	*n = 0;
	if ((err = onvif_services(s, cause)) != VG_OK)
		return err;
	if (s->events_url == NULL)
		return onvif_fail(s, VG_ONVIF_UNSUPPORTED, VG_ERR_UNSUPPORTED,
		    cause, "the camera offers no event service");
	events_wsa(s);
	cap.chain = s->soap->fpreparerecv;
	for (a = 0; onvif_call_next(s, a); a++) {
		cap.len = 0;
		s->soap->user = &cap;
		s->soap->fpreparerecv = capture_recv;
		soap_wsa_request(s->soap, NULL, s->events_url,
		    EV_ACTION_PROPS);
		soap_default__tev__GetEventProperties(s->soap, &req);
		soap_default__tev__GetEventPropertiesResponse(s->soap, &res);
		soap_call___tev__GetEventProperties(s->soap, s->events_url,
		    NULL, &req, &res);
		s->soap->fpreparerecv = cap.chain;
		s->soap->user = NULL;
	}
	err = onvif_call_done(s, "GetEventProperties", cause);
	onvif_call_end(s);
	if (err == VG_OK && cap.buf != NULL)
		topics_parse(cap.buf, topics, n);
	free(cap.buf);
	return err;
}

/* ---- subscriptions ------------------------------------------------------- */

/* (Re-)create the subscription. */
static int
events_create(struct vg_onvif_events *ev, char **cause)
{
	struct vg_onvif *s = ev->s;
	struct _tev__CreatePullPointSubscription req;
	struct _tev__CreatePullPointSubscriptionResponse res;
	char ttl[32];
	int a, err;

	snprintf(ttl, sizeof ttl, "PT%dS", ev->lifetime_s);
	for (a = 0; onvif_call_next(s, a); a++) {
		soap_wsa_request(s->soap, NULL, s->events_url,
		    EV_ACTION_CREATE);
		soap_default__tev__CreatePullPointSubscription(s->soap, &req);
		soap_default__tev__CreatePullPointSubscriptionResponse(s->soap,
		    &res);
		req.InitialTerminationTime = ttl;
		soap_call___tev__CreatePullPointSubscription(s->soap,
		    s->events_url, NULL, &req, &res);
	}
	err = onvif_call_done(s, "CreatePullPointSubscription", cause);
	if (err == VG_OK) {
		onvif_xaddr_clear(s, ONVIF_XA_PULLPOINT);
		free(ev->address);
		ev->address = NULL;
		/* the camera names it: same address rule as its services */
		if (res.SubscriptionReference.Address != NULL)
			onvif_xaddr_set(s, ONVIF_XA_PULLPOINT, &ev->address,
			    res.SubscriptionReference.Address);
		if (res.wsnt__TerminationTime > 0 &&
		    res.wsnt__CurrentTime > 0)
			ev->expires = time(NULL) + (res.wsnt__TerminationTime -
			    res.wsnt__CurrentTime);
		else if (res.wsnt__TerminationTime > 0)
			ev->expires = res.wsnt__TerminationTime -
			    (time_t)s->offset_s;
		else
			ev->expires = time(NULL) + ev->lifetime_s;
	}
	onvif_call_end(s);
	if (err == VG_OK && ev->address == NULL)
		err = onvif_fail(s, VG_ONVIF_FAULT, VG_ERR_PROTO, cause,
		    "CreatePullPointSubscription: no subscription address");
	if (err == VG_OK)
		log_debug("onvif: %s: pull-point %s, %ld s left", s->url,
		    ev->address, (long)(ev->expires - time(NULL)));
	return err;
}

/* Create a pull-point subscription. */
int
vg_onvif_events_open(struct vg_onvif *s, int lifetime_s,
    struct vg_onvif_events **out, char **cause)
{
	struct vg_onvif_events *ev;
	int err;

	*out = NULL;
	if ((err = onvif_services(s, cause)) != VG_OK)
		return err;
	if (s->events_url == NULL)
		return onvif_fail(s, VG_ONVIF_UNSUPPORTED, VG_ERR_UNSUPPORTED,
		    cause, "the camera offers no event service");
	events_wsa(s);
	ev = xcalloc(1, sizeof *ev);
	ev->s = s;
	ev->lifetime_s = lifetime_s > 0 ? lifetime_s : 60;
	if ((err = events_create(ev, cause)) != VG_OK) {
		onvif_xaddr_clear(s, ONVIF_XA_PULLPOINT);
		free(ev->address);
		free(ev);
		return err;
	}
	*out = ev;
	return VG_OK;
}

/* Free a list of events. */
void
vg_onvif_events_free_list(struct vg_onvif_event *ev, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(ev[i].topic);
		free(ev[i].operation);
		onvif_strv_free(ev[i].source, ev[i].nsource);
		onvif_strv_free(ev[i].data, ev[i].ndata);
	}
	free(ev);
}

/* "Name=Value" pairs of an item list. */
static void
items_copy(const struct tt__ItemList *l, char ***v, size_t *n)
{
	int i;

	for (i = 0; l != NULL && i < l->__sizeSimpleItem; i++) {
		char *s;

		xasprintf(&s, "%s=%s", l->SimpleItem[i].Name != NULL ?
		    l->SimpleItem[i].Name : "", l->SimpleItem[i].Value != NULL ?
		    l->SimpleItem[i].Value : "");
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = s;
	}
}

/* Is this a motion topic, and does its data say motion? */
static void
event_motion(struct vg_onvif_event *e)
{
	size_t i;

	e->is_motion_topic = e->topic != NULL &&
	    strcasestr(e->topic, "motion") != NULL;
	if (!e->is_motion_topic)
		return;
	for (i = 0; i < e->ndata; i++) {
		const char *eq = strchr(e->data[i], '=');

		if (eq == NULL)
			continue;
		if (strcasecmp(eq + 1, "true") == 0 || strcmp(eq + 1, "1") == 0)
			e->motion = true;
	}
}

/* One PullMessages. */
static int
events_pull_once(struct vg_onvif_events *ev, int wait_ms,
    struct vg_onvif_event **out, size_t *n, char **cause)
{
	struct vg_onvif *s = ev->s;
	struct _tev__PullMessages req;
	struct _tev__PullMessagesResponse res;
	char timeout[32];
	int a, i, err, saved = s->soap->recv_timeout;
	int64_t saved_t = s->timeout_ms;

	snprintf(timeout, sizeof timeout, "PT%dS", (wait_ms + 999) / 1000);
	/* the camera may hold the reply for wait_ms: wait that much more */
	s->soap->recv_timeout = -1000 * (wait_ms + s->timeout_ms);
	s->timeout_ms = wait_ms + s->timeout_ms;
	for (a = 0; onvif_call_next(s, a); a++) {
		soap_wsa_request(s->soap, NULL, ev->address, EV_ACTION_PULL);
		soap_default__tev__PullMessages(s->soap, &req);
		soap_default__tev__PullMessagesResponse(s->soap, &res);
		req.Timeout = timeout;
		req.MessageLimit = 64;
		soap_call___tev__PullMessages(s->soap, ev->address, NULL,
		    &req, &res);
	}
	err = onvif_call_done(s, "PullMessages", cause);
	s->soap->recv_timeout = saved;
	s->timeout_ms = (int)saved_t;
	if (err == VG_OK) {
		if (res.TerminationTime > 0 && res.CurrentTime > 0)
			ev->expires = time(NULL) + (res.TerminationTime -
			    res.CurrentTime);
		if (res.__sizeNotificationMessage > 0)
			*out = xcalloc((size_t)res.__sizeNotificationMessage,
			    sizeof **out);
		for (i = 0; i < res.__sizeNotificationMessage; i++) {
			struct wsnt__NotificationMessageHolderType *m =
			    &res.wsnt__NotificationMessage[i];
			struct vg_onvif_event *e = &(*out)[(*n)++];
			struct _tt__Message *tm = m->Message.tt__Message;

			if (m->Topic != NULL && m->Topic->__mixed != NULL) {
				const char *t = m->Topic->__mixed;

				t += strspn(t, " \t\r\n");
				e->topic = xstrndup(t, strcspn(t, " \t\r\n<"));
			}
			if (tm != NULL) {
				static const char *const ops[] = {
					"Initialized", "Deleted", "Changed",
				};

				e->utc = tm->UtcTime;
				if (tm->PropertyOperation != NULL &&
				    (unsigned)*tm->PropertyOperation < 3)
					e->operation = xstrdup(
					    ops[*tm->PropertyOperation]);
				items_copy(tm->Source, &e->source, &e->nsource);
				items_copy(tm->Data, &e->data, &e->ndata);
			}
			event_motion(e);
		}
	}
	onvif_call_end(s);
	return err;
}

/* Pull, re-creating the subscription when needed. */
int
vg_onvif_events_pull(struct vg_onvif_events *ev, int wait_ms,
    struct vg_onvif_event **events, size_t *n, char **cause)
{
	char *c = NULL;
	int err;

	*events = NULL;
	*n = 0;
	if (wait_ms < 0)
		wait_ms = 0;
	if (time(NULL) >= ev->expires - 2) {
		log_info("onvif: %s: pull-point expired; creating a new one",
		    ev->s->url);
		if ((err = events_create(ev, cause)) != VG_OK)
			return err;
		ev->recreated++;
	}
	err = events_pull_once(ev, wait_ms, events, n, &c);
	if (err == VG_OK)
		return VG_OK;
	switch (ev->s->last_class) {
	case VG_ONVIF_UNREACHABLE:
	case VG_ONVIF_TIMEOUT:
	case VG_ONVIF_AUTH:
	case VG_ONVIF_LOCKED:
	case VG_ONVIF_CLOCK:
	case VG_ONVIF_TLS:
		/* a new subscription would not help */
		if (cause != NULL)
			*cause = c;
		else
			free(c);
		return err;
	default:
		break;
	}
	/* the camera forgot the subscription (reboot, expiry): new one */
	log_info("onvif: %s: pull failed (%s); re-creating the "
	    "subscription", ev->s->url, c);
	free(c);
	if ((err = events_create(ev, cause)) != VG_OK)
		return err;
	ev->recreated++;
	return events_pull_once(ev, wait_ms, events, n, cause);
}

/* Re-creations so far. */
int
vg_onvif_events_recreated(const struct vg_onvif_events *ev)
{
	return ev->recreated;
}

/* Unsubscribe and free. */
void
vg_onvif_events_close(struct vg_onvif_events *ev)
{
	struct _wsnt__Unsubscribe req;
	struct _wsnt__UnsubscribeResponse res;
	int a;

	if (ev == NULL)
		return;
	if (ev->address != NULL && time(NULL) < ev->expires) {
		for (a = 0; onvif_call_next(ev->s, a); a++) {
			soap_wsa_request(ev->s->soap, NULL, ev->address,
			    EV_ACTION_UNSUB);
			soap_default__wsnt__Unsubscribe(ev->s->soap, &req);
			soap_default__wsnt__UnsubscribeResponse(ev->s->soap,
			    &res);
			soap_call___tev__Unsubscribe(ev->s->soap, ev->address,
			    NULL, &req, &res);
		}
		if (onvif_call_done(ev->s, "Unsubscribe", NULL) != VG_OK)
			log_debug("onvif: %s: unsubscribe failed (ignored)",
			    ev->s->url);
		onvif_call_end(ev->s);
	}
	onvif_xaddr_clear(ev->s, ONVIF_XA_PULLPOINT);
	free(ev->address);
	free(ev);
}
