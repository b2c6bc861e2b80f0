/* onvif-device.c - device management: information, services, scopes,
 * time and NTP, users and activation, network read-out, reboot.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each function makes its calls through the session's retry loop
 * (onvif-session.c), copies what it needs out of gSOAP memory and frees
 * that memory before it returns.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <arpa/inet.h>

#include "i18n.h"
#include "onvif-int.h"

/* ---- services ---------------------------------------------------------- */

/* Look up media, media2 and events service addresses once. */
int
onvif_services(struct vg_onvif *s, char **cause)
{
	struct _tds__GetServices req;
	struct _tds__GetServicesResponse res;
	struct _tds__GetCapabilities creq;
	struct _tds__GetCapabilitiesResponse cres;
	enum tt__CapabilityCategory all = tt__CapabilityCategory__All;
	char *c = NULL;
	int a, i, err;

	if (s->services_known)
		return VG_OK;
	for (a = 0; onvif_call_next(s, a); a++) {
		soap_default__tds__GetServices(s->soap, &req);
		soap_default__tds__GetServicesResponse(s->soap, &res);
		req.IncludeCapability = xsd__boolean__false_;
		soap_call___tds__GetServices(s->soap, s->url, NULL, &req,
		    &res);
	}
	err = onvif_call_done(s, "GetServices", &c);
	if (err == VG_OK) {
		for (i = 0; i < res.__sizeService; i++) {
			const char *ns = res.Service[i].Namespace;
			const char *x = res.Service[i].XAddr;

			if (ns == NULL)
				continue;
			if (strcmp(ns, "http://www.onvif.org/ver10/media/wsdl")
			    == 0 && s->media_url == NULL)
				onvif_xaddr_set(s, ONVIF_XA_MEDIA,
				    &s->media_url, x);
			else if (strcmp(ns,
			    "http://www.onvif.org/ver20/media/wsdl") == 0 &&
			    s->media2_url == NULL)
				onvif_xaddr_set(s, ONVIF_XA_MEDIA2,
				    &s->media2_url, x);
			else if (strcmp(ns,
			    "http://www.onvif.org/ver10/events/wsdl") == 0 &&
			    s->events_url == NULL)
				onvif_xaddr_set(s, ONVIF_XA_EVENTS,
				    &s->events_url, x);
		}
		onvif_call_end(s);
		if (s->events_url != NULL)
			s->pullpoint = true;	/* mandatory in Profile S/T */
		s->services_known = true;
		return VG_OK;
	}
	onvif_call_end(s);
	if (s->last_class != VG_ONVIF_UNSUPPORTED &&
	    s->last_class != VG_ONVIF_FAULT &&
	    s->last_class != VG_ONVIF_NOT_ONVIF &&
	    s->last_class != VG_ONVIF_BAD_REPLY) {
		/* unreachable or refused: GetCapabilities would fail too */
		if (cause != NULL)
			*cause = c;
		else
			free(c);
		return err;
	}
	free(c);
	/* older devices: GetCapabilities */
	for (a = 0; onvif_call_next(s, a); a++) {
		soap_default__tds__GetCapabilities(s->soap, &creq);
		soap_default__tds__GetCapabilitiesResponse(s->soap, &cres);
		creq.__sizeCategory = 1;
		creq.Category = &all;
		soap_call___tds__GetCapabilities(s->soap, s->url, NULL, &creq,
		    &cres);
	}
	err = onvif_call_done(s, "GetCapabilities", cause);
	if (err == VG_OK && cres.Capabilities != NULL) {
		struct tt__Capabilities *caps = cres.Capabilities;

		if (caps->Media != NULL)
			onvif_xaddr_set(s, ONVIF_XA_MEDIA, &s->media_url,
			    caps->Media->XAddr);
		if (caps->Events != NULL) {
			onvif_xaddr_set(s, ONVIF_XA_EVENTS, &s->events_url,
			    caps->Events->XAddr);
			s->pullpoint = caps->Events->WSPullPointSupport ==
			    xsd__boolean__true_;
		}
		s->services_known = true;
	}
	onvif_call_end(s);
	return err;
}

/* ---- scopes ------------------------------------------------------------ */

/* Decode %XX escapes of a scope value (caller frees). */
static char *
scope_decode(const char *s, size_t len)
{
	char *out = xmalloc(len + 1), *o = out;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = { s[i + 1], s[i + 2], '\0' };

			*o++ = (char)strtol(hex, NULL, 16);
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/* Add one scope URI to sc. */
static void
scope_add(struct vg_onvif_scopes *sc, const char *uri, size_t len)
{
	static const char pre[] = "onvif://www.onvif.org/";
	const char *p, *v;
	char *raw = xstrndup(uri, len), *val;
	size_t klen;

	sc->all = xreallocarray(sc->all, sc->nall + 1, sizeof *sc->all);
	sc->all[sc->nall++] = raw;
	if (strncasecmp(raw, pre, sizeof pre - 1) != 0)
		return;
	p = raw + sizeof pre - 1;
	v = strchr(p, '/');
	if (v == NULL)
		return;
	klen = (size_t)(v - p);
	v++;
	val = scope_decode(v, strlen(v));
	if (klen == 4 && strncasecmp(p, "name", 4) == 0 && sc->name == NULL) {
		sc->name = val;
		return;
	}
	if (klen == 8 && strncasecmp(p, "hardware", 8) == 0 &&
	    sc->hardware == NULL) {
		sc->hardware = val;
		return;
	}
	if (klen == 8 && strncasecmp(p, "location", 8) == 0 &&
	    sc->location == NULL) {
		sc->location = val;
		return;
	}
	if (klen == 3 && strncasecmp(p, "mac", 3) == 0 && sc->mac == NULL) {
		sc->mac = onvif_mac_norm(val);
		free(val);
		return;
	}
	if (klen == 7 && strncasecmp(p, "Profile", 7) == 0) {
		/* "Streaming", "Q/FactoryDefault", "Q/Operational", "T" */
		char *slash = strchr(val, '/');

		if (slash != NULL) {
			if (strcasecmp(slash + 1, "FactoryDefault") == 0)
				sc->factory_default = true;
			*slash = '\0';
		}
		onvif_strv_add(&sc->profiles, &sc->nprofiles, val);
	}
	free(val);
}

/* Parse a space-separated scope list. */
void
vg_onvif_scopes_parse(const char *list, struct vg_onvif_scopes *sc)
{
	const char *p = list;

	while (p != NULL && *p != '\0') {
		size_t n;

		p += strspn(p, " \t\r\n");
		n = strcspn(p, " \t\r\n");
		if (n > 0)
			scope_add(sc, p, n);
		p += n;
	}
}

/* Free what a scope list holds. */
void
vg_onvif_scopes_clear(struct vg_onvif_scopes *sc)
{
	free(sc->name);
	free(sc->hardware);
	free(sc->location);
	free(sc->mac);
	onvif_strv_free(sc->profiles, sc->nprofiles);
	onvif_strv_free(sc->all, sc->nall);
	memset(sc, 0, sizeof *sc);
}

/* GetScopes into info->scopes. */
static int
device_scopes(struct vg_onvif *s, struct vg_onvif_scopes *sc, char **cause)
{
	struct _tds__GetScopes req;
	struct _tds__GetScopesResponse res;
	int a, i, err;

	for (a = 0; onvif_call_next(s, a); a++) {
		soap_default__tds__GetScopes(s->soap, &req);
		soap_default__tds__GetScopesResponse(s->soap, &res);
		soap_call___tds__GetScopes(s->soap, s->url, NULL, &req, &res);
	}
	err = onvif_call_done(s, "GetScopes", cause);
	if (err == VG_OK)
		for (i = 0; i < res.__sizeScopes; i++)
			if (res.Scopes[i].ScopeItem != NULL)
				vg_onvif_scopes_parse(res.Scopes[i].ScopeItem,
				    sc);
	onvif_call_end(s);
	return err;
}

/* ---- information ------------------------------------------------------- */

/* Device information, services, MAC, hostname, scopes. */
int
vg_onvif_get_info(struct vg_onvif *s, struct vg_onvif_info *info,
    char **cause)
{
	struct _tds__GetDeviceInformation req;
	struct _tds__GetDeviceInformationResponse res;
	struct _tds__GetHostname hreq;
	struct _tds__GetHostnameResponse hres;
	struct vg_onvif_net net;
	int a, err;

	memset(info, 0, sizeof *info);
	for (a = 0; onvif_call_next(s, a); a++) {
		soap_default__tds__GetDeviceInformation(s->soap, &req);
		soap_default__tds__GetDeviceInformationResponse(s->soap, &res);
		soap_call___tds__GetDeviceInformation(s->soap, s->url, NULL,
		    &req, &res);
	}
	err = onvif_call_done(s, "GetDeviceInformation", cause);
	if (err != VG_OK) {
		onvif_call_end(s);
		return err;
	}
	info->manufacturer = onvif_strdup(res.Manufacturer);
	info->model = onvif_strdup(res.Model);
	info->firmware = onvif_strdup(res.FirmwareVersion);
	info->serial = onvif_strdup(res.SerialNumber);
	info->hardware_id = onvif_strdup(res.HardwareId);
	onvif_call_end(s);

	if (vg_onvif_get_network(s, &net, NULL) == VG_OK) {
		info->mac = net.mac;
		net.mac = NULL;
		vg_onvif_net_clear(&net);
	}
	for (a = 0; onvif_call_next(s, a); a++) {
		soap_default__tds__GetHostname(s->soap, &hreq);
		soap_default__tds__GetHostnameResponse(s->soap, &hres);
		soap_call___tds__GetHostname(s->soap, s->url, NULL, &hreq,
		    &hres);
	}
	if (onvif_call_done(s, "GetHostname", NULL) == VG_OK &&
	    hres.HostnameInformation != NULL)
		info->hostname = onvif_strdup(hres.HostnameInformation->Name);
	onvif_call_end(s);
	device_scopes(s, &info->scopes, NULL);
	if (info->mac == NULL && info->scopes.mac != NULL)
		info->mac = xstrdup(info->scopes.mac);
	if (onvif_services(s, NULL) == VG_OK) {
		info->media_url = onvif_strdup(s->media_url);
		info->media2_url = onvif_strdup(s->media2_url);
		info->events_url = onvif_strdup(s->events_url);
		info->media_named = onvif_strdup(onvif_xaddr_named(s,
		    ONVIF_XA_MEDIA));
		info->media2_named = onvif_strdup(onvif_xaddr_named(s,
		    ONVIF_XA_MEDIA2));
		info->events_named = onvif_strdup(onvif_xaddr_named(s,
		    ONVIF_XA_EVENTS));
		info->pullpoint = s->pullpoint;
	}
	xasprintf(&info->identity, "%s/%s",
	    info->serial != NULL && *info->serial != '\0' ? info->serial : "-",
	    info->mac != NULL ? info->mac : "-");
	s->last_class = VG_ONVIF_OK;
	return VG_OK;
}

/* Free what an info holds. */
void
vg_onvif_info_clear(struct vg_onvif_info *info)
{
	if (info == NULL)
		return;
	free(info->manufacturer);
	free(info->model);
	free(info->firmware);
	free(info->serial);
	free(info->hardware_id);
	free(info->mac);
	free(info->hostname);
	free(info->identity);
	free(info->media_url);
	free(info->media2_url);
	free(info->events_url);
	free(info->media_named);
	free(info->media2_named);
	free(info->events_named);
	vg_onvif_scopes_clear(&info->scopes);
	memset(info, 0, sizeof *info);
}

/* ---- read-outs kept for a moment ---------------------------------------- */

/* `vigia camera info` and the plan read the network and the clock after
 * vg_onvif_get_info and vg_onvif_open did: a read-out younger than this
 * is answered from the session, unless a change was sent since. */
#define ONVIF_CACHE_US (10 * 1000000)

/* Drop the kept read-outs (any call that is not a Get does this). */
void
onvif_cache_drop(struct vg_onvif *s)
{
	vg_onvif_net_clear(&s->net_cache);
	s->net_cache_us = 0;
	vg_onvif_time_clear(&s->time_cache);
	s->time_cache_us = 0;
}

/* Keep what a clock read-out said (utc, ntp, timezone). */
void
onvif_time_keep(struct vg_onvif *s, const struct vg_onvif_time *t)
{
	vg_onvif_time_clear(&s->time_cache);
	s->time_cache.utc = t->utc;
	s->time_cache.ntp = t->ntp;
	s->time_cache.timezone = onvif_strdup(t->timezone);
	s->time_cache_us = onvif_now_us();
}

/* Is a read-out taken at `at` still fresh? */
static bool
cache_fresh(int64_t at)
{
	return at != 0 && onvif_now_us() - at < ONVIF_CACHE_US;
}

/* Deep copy of a network read-out. */
static void
net_copy(struct vg_onvif_net *dst, const struct vg_onvif_net *src)
{
	size_t i;

	*dst = *src;
	dst->token = onvif_strdup(src->token);
	dst->mac = onvif_strdup(src->mac);
	dst->address = onvif_strdup(src->address);
	dst->gateway = onvif_strdup(src->gateway);
	dst->dns = NULL;
	dst->ndns = 0;
	for (i = 0; i < src->ndns; i++)
		onvif_strv_add(&dst->dns, &dst->ndns, src->dns[i]);
}

/* ---- network (read) ------------------------------------------------------ */

/* Current IPv4 settings of the first enabled interface. */
int
vg_onvif_get_network(struct vg_onvif *s, struct vg_onvif_net *net,
    char **cause)
{
	struct _tds__GetNetworkInterfaces req;
	struct _tds__GetNetworkInterfacesResponse res;
	struct _tds__GetNetworkDefaultGateway greq;
	struct _tds__GetNetworkDefaultGatewayResponse gres;
	struct _tds__GetDNS dreq;
	struct _tds__GetDNSResponse dres;
	int a, i, err;

	memset(net, 0, sizeof *net);
	if (cache_fresh(s->net_cache_us)) {
		net_copy(net, &s->net_cache);
		s->last_class = VG_ONVIF_OK;
		return VG_OK;
	}
	for (a = 0; onvif_call_next(s, a); a++) {
		soap_default__tds__GetNetworkInterfaces(s->soap, &req);
		soap_default__tds__GetNetworkInterfacesResponse(s->soap, &res);
		soap_call___tds__GetNetworkInterfaces(s->soap, s->url, NULL,
		    &req, &res);
	}
	err = onvif_call_done(s, "GetNetworkInterfaces", cause);
	if (err != VG_OK) {
		onvif_call_end(s);
		return err;
	}
	for (i = 0; i < res.__sizeNetworkInterfaces; i++) {
		struct tt__NetworkInterface *ni = &res.NetworkInterfaces[i];
		struct tt__IPv4Configuration *c;

		if (net->token != NULL && ni->Enabled != xsd__boolean__true_)
			continue;
		free(net->token);
		free(net->mac);
		free(net->address);
		net->address = NULL;
		net->token = onvif_strdup(ni->token);
		net->mac = ni->Info != NULL ?
		    onvif_mac_norm(ni->Info->HwAddress) : NULL;
		if (ni->IPv4 != NULL && (c = ni->IPv4->Config) != NULL) {
			struct tt__PrefixedIPv4Address *pa = NULL;

			net->dhcp = c->DHCP == xsd__boolean__true_;
			if (net->dhcp && c->FromDHCP != NULL)
				pa = c->FromDHCP;
			else if (c->__sizeManual > 0)
				pa = &c->Manual[0];
			else if (c->FromDHCP != NULL)
				pa = c->FromDHCP;
			if (pa != NULL && pa->Address != NULL) {
				net->address = xstrdup(pa->Address);
				net->prefix = pa->PrefixLength;
			}
		}
		if (ni->Enabled == xsd__boolean__true_ && net->address != NULL)
			break;
	}
	onvif_call_end(s);
	if (net->token == NULL) {
		vg_onvif_net_clear(net);
		return onvif_fail(s, VG_ONVIF_FAULT, VG_ERR_PROTO, cause,
		    "GetNetworkInterfaces: the camera lists no interface");
	}

	for (a = 0; onvif_call_next(s, a); a++) {
		soap_default__tds__GetNetworkDefaultGateway(s->soap, &greq);
		soap_default__tds__GetNetworkDefaultGatewayResponse(s->soap,
		    &gres);
		soap_call___tds__GetNetworkDefaultGateway(s->soap, s->url,
		    NULL, &greq, &gres);
	}
	if (onvif_call_done(s, "GetNetworkDefaultGateway", NULL) == VG_OK &&
	    gres.NetworkGateway != NULL &&
	    gres.NetworkGateway->__sizeIPv4Address > 0)
		net->gateway = onvif_strdup(
		    gres.NetworkGateway->IPv4Address[0]);
	onvif_call_end(s);

	for (a = 0; onvif_call_next(s, a); a++) {
		soap_default__tds__GetDNS(s->soap, &dreq);
		soap_default__tds__GetDNSResponse(s->soap, &dres);
		soap_call___tds__GetDNS(s->soap, s->url, NULL, &dreq, &dres);
	}
	if (onvif_call_done(s, "GetDNS", NULL) == VG_OK &&
	    dres.DNSInformation != NULL) {
		struct tt__DNSInformation *d = dres.DNSInformation;
		struct tt__IPAddress *v = d->DNSManual;
		int nv = d->__sizeDNSManual;

		net->dns_from_dhcp = d->FromDHCP == xsd__boolean__true_;
		if (net->dns_from_dhcp) {
			v = d->DNSFromDHCP;
			nv = d->__sizeDNSFromDHCP;
		}
		for (i = 0; i < nv; i++)
			if (v[i].IPv4Address != NULL)
				onvif_strv_add(&net->dns, &net->ndns,
				    v[i].IPv4Address);
	}
	onvif_call_end(s);
	vg_onvif_net_clear(&s->net_cache);
	net_copy(&s->net_cache, net);
	s->net_cache_us = onvif_now_us();
	s->last_class = VG_ONVIF_OK;
	return VG_OK;
}

/* Free what a net holds. */
void
vg_onvif_net_clear(struct vg_onvif_net *net)
{
	if (net == NULL)
		return;
	free(net->token);
	free(net->mac);
	free(net->address);
	free(net->gateway);
	onvif_strv_free(net->dns, net->ndns);
	memset(net, 0, sizeof *net);
}

/* ---- time -------------------------------------------------------------- */

/* The camera's clock, time zone and NTP servers. */
int
vg_onvif_get_time(struct vg_onvif *s, struct vg_onvif_time *t, char **cause)
{
	struct _tds__GetNTP nreq;
	struct _tds__GetNTPResponse nres;
	int a, i, err;

	memset(t, 0, sizeof *t);
	if (cache_fresh(s->time_cache_us)) {
		/* the clock read by vg_onvif_open or a moment ago */
		t->utc = s->time_cache.utc;
		if (t->utc != (time_t)-1)
			t->utc += (time_t)((onvif_now_us() -
			    s->time_cache_us) / 1000000);
		t->ntp = s->time_cache.ntp;
		t->timezone = onvif_strdup(s->time_cache.timezone);
		t->offset_s = s->offset_s;
	} else {
		for (a = 0; onvif_call_next_anon(s, a); a++)
			onvif_read_clock(s->soap, s->url, &t->utc, t);
		err = onvif_call_done(s, "GetSystemDateAndTime", cause);
		onvif_call_end(s);
		if (err != VG_OK) {
			vg_onvif_time_clear(t);
			return err;
		}
		if (t->utc != (time_t)-1) {
			t->offset_s = (int64_t)t->utc - (int64_t)time(NULL);
			s->offset_s = t->offset_s;
			s->clock_known = true;
		}
		onvif_time_keep(s, t);
	}

	for (a = 0; onvif_call_next(s, a); a++) {
		soap_default__tds__GetNTP(s->soap, &nreq);
		soap_default__tds__GetNTPResponse(s->soap, &nres);
		soap_call___tds__GetNTP(s->soap, s->url, NULL, &nreq, &nres);
	}
	if (onvif_call_done(s, "GetNTP", NULL) == VG_OK &&
	    nres.NTPInformation != NULL) {
		struct tt__NTPInformation *n = nres.NTPInformation;
		struct tt__NetworkHost *h = n->NTPManual;
		int nh = n->__sizeNTPManual;

		t->ntp_from_dhcp = n->FromDHCP == xsd__boolean__true_;
		if (t->ntp_from_dhcp) {
			h = n->NTPFromDHCP;
			nh = n->__sizeNTPFromDHCP;
		}
		for (i = 0; i < nh; i++) {
			const char *v = h[i].DNSname != NULL ? h[i].DNSname :
			    h[i].IPv4Address != NULL ? h[i].IPv4Address :
			    h[i].IPv6Address;

			if (v != NULL)
				onvif_strv_add(&t->ntp_servers, &t->nntp, v);
		}
	}
	onvif_call_end(s);
	s->last_class = VG_ONVIF_OK;
	return VG_OK;
}

/* Free what a time holds. */
void
vg_onvif_time_clear(struct vg_onvif_time *t)
{
	if (t == NULL)
		return;
	free(t->timezone);
	onvif_strv_free(t->ntp_servers, t->nntp);
	memset(t, 0, sizeof *t);
}

/* POSIX TZ for an IANA name, from the zoneinfo file's footer. */
char *
vg_onvif_posix_tz(const char *tz)
{
	char path[512], buf[65536], *nl, *start;
	size_t n;
	FILE *f;

	if (tz == NULL || *tz == '\0')
		return NULL;
	if (strchr(tz, ',') != NULL || strchr(tz, '/') == NULL)
		return xstrdup(tz);	/* already POSIX ("CET-1CEST,...") */
	if (strstr(tz, "..") != NULL || tz[0] == '/')
		return NULL;
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	if (n < 44 || memcmp(buf, "TZif", 4) != 0)
		return NULL;
	buf[n] = '\0';
	/* the footer is "\n<POSIX TZ>\n" at the very end */
	if (buf[n - 1] != '\n')
		return NULL;
	buf[n - 1] = '\0';
	nl = memrchr(buf, '\n', n - 1);
	if (nl == NULL)
		return NULL;
	start = nl + 1;
	return *start != '\0' ? xstrdup(start) : NULL;
}

/* Set NTP servers and time zone, then read back. */
int
vg_onvif_set_time(struct vg_onvif *s, const struct vg_strlist *ntp,
    const char *timezone, char **cause)
{
	struct _tds__SetNTP nreq;
	struct _tds__SetNTPResponse nres;
	struct _tds__SetSystemDateAndTime treq;
	struct _tds__SetSystemDateAndTimeResponse tres;
	struct tt__NetworkHost *hosts = NULL;
	struct tt__TimeZone tzv;
	struct tt__DateTime dt;
	struct tt__Date date;
	struct tt__Time tod;
	struct vg_onvif_time back;
	bool use_ntp = ntp != NULL && ntp->n > 0;
	char *posix = NULL;
	size_t i;
	int a, err;

	if (timezone != NULL && (posix = vg_onvif_posix_tz(timezone)) == NULL)
		return onvif_fail(s, VG_ONVIF_OK, VG_ERR_USAGE, cause,
		    "%s: unknown time zone", timezone);
	if (use_ntp) {
		hosts = xcalloc(ntp->n, sizeof *hosts);
		for (i = 0; i < ntp->n; i++) {
			struct in_addr ia;

			if (inet_pton(AF_INET, ntp->v[i], &ia) == 1) {
				hosts[i].Type = tt__NetworkHostType__IPv4;
				hosts[i].IPv4Address = ntp->v[i];
			} else {
				hosts[i].Type = tt__NetworkHostType__DNS;
				hosts[i].DNSname = ntp->v[i];
			}
		}
		for (a = 0; onvif_call_next(s, a); a++) {
			soap_default__tds__SetNTP(s->soap, &nreq);
			nreq.FromDHCP = xsd__boolean__false_;
			nreq.__sizeNTPManual = (int)ntp->n;
			nreq.NTPManual = hosts;
			soap_call___tds__SetNTP(s->soap, s->url, NULL, &nreq,
			    &nres);
		}
		err = onvif_call_done(s, "SetNTP", cause);
		onvif_call_end(s);
		if (err != VG_OK)
			goto out;
	}
	for (a = 0; onvif_call_next(s, a); a++) {
		soap_default__tds__SetSystemDateAndTime(s->soap, &treq);
		treq.DateTimeType = use_ntp ? tt__SetDateTimeType__NTP :
		    tt__SetDateTimeType__Manual;
		treq.DaylightSavings = xsd__boolean__false_;
		if (posix != NULL) {
			tzv.TZ = posix;
			treq.TimeZone = &tzv;
		}
		if (!use_ntp) {
			time_t now = time(NULL);
			struct tm tm;

			gmtime_r(&now, &tm);
			date.Year = tm.tm_year + 1900;
			date.Month = tm.tm_mon + 1;
			date.Day = tm.tm_mday;
			tod.Hour = tm.tm_hour;
			tod.Minute = tm.tm_min;
			tod.Second = tm.tm_sec;
			dt.Date = &date;
			dt.Time = &tod;
			treq.UTCDateTime = &dt;
		}
		soap_call___tds__SetSystemDateAndTime(s->soap, s->url, NULL,
		    &treq, &tres);
	}
	err = onvif_call_done(s, "SetSystemDateAndTime", cause);
	onvif_call_end(s);
	if (err != VG_OK)
		goto out;

	/* read back: our signatures follow the camera's new clock */
	if ((err = vg_onvif_get_time(s, &back, cause)) != VG_OK)
		goto out;
	if (posix != NULL && (back.timezone == NULL ||
	    strcmp(back.timezone, posix) != 0))
		err = onvif_fail(s, VG_ONVIF_FAULT, VG_ERR_PROTO, cause,
		    "time zone: wanted %s, camera has %s", posix,
		    back.timezone != NULL ? back.timezone : "none");
	else if (use_ntp && (!back.ntp || back.nntp != ntp->n))
		err = onvif_fail(s, VG_ONVIF_FAULT, VG_ERR_PROTO, cause,
		    "NTP: wanted %zu server(s), camera has %zu and %s", ntp->n,
		    back.nntp, back.ntp ? "NTP mode" : "manual mode");
	else if (!use_ntp && llabs(back.offset_s) > 5)
		err = onvif_fail(s, VG_ONVIF_FAULT, VG_ERR_PROTO, cause,
		    "clock: still %+lld s off after setting it",
		    (long long)back.offset_s);
	vg_onvif_time_clear(&back);
out:
	free(hosts);
	free(posix);
	return err;
}

/* ---- users ------------------------------------------------------------- */

/* ONVIF user level to ours. */
static enum vg_onvif_user_level
user_level(enum tt__UserLevel l)
{
	if (l == tt__UserLevel__Administrator)
		return VG_ONVIF_ADMIN;
	if (l == tt__UserLevel__Operator)
		return VG_ONVIF_OPERATOR;
	return VG_ONVIF_USER;
}

/* Ours to ONVIF. */
static enum tt__UserLevel
tt_level(enum vg_onvif_user_level l)
{
	if (l == VG_ONVIF_ADMIN)
		return tt__UserLevel__Administrator;
	if (l == VG_ONVIF_OPERATOR)
		return tt__UserLevel__Operator;
	return tt__UserLevel__User;
}

/* GetUsers, authenticated or anonymous. */
static int
users_get(struct vg_onvif *s, bool anon, struct vg_onvif_user **users,
    size_t *n, char **cause)
{
	struct _tds__GetUsers req;
	struct _tds__GetUsersResponse res;
	int a, i, err;

	*users = NULL;
	*n = 0;
	for (a = 0; anon ? onvif_call_next_anon(s, a) :
	    onvif_call_next(s, a); a++) {
		soap_default__tds__GetUsers(s->soap, &req);
		soap_default__tds__GetUsersResponse(s->soap, &res);
		soap_call___tds__GetUsers(s->soap, s->url, NULL, &req, &res);
	}
	err = onvif_call_done(s, "GetUsers", cause);
	if (err == VG_OK && res.__sizeUser > 0) {
		*users = xcalloc((size_t)res.__sizeUser, sizeof **users);
		for (i = 0; i < res.__sizeUser; i++) {
			if (res.User[i].Username == NULL)
				continue;
			(*users)[*n].name = xstrdup(res.User[i].Username);
			(*users)[*n].level = user_level(res.User[i].UserLevel);
			(*n)++;
		}
	}
	onvif_call_end(s);
	return err;
}

/* The camera's users. */
int
vg_onvif_get_users(struct vg_onvif *s, struct vg_onvif_user **users,
    size_t *n, char **cause)
{
	return users_get(s, s->user == NULL, users, n, cause);
}

/* Free a user list. */
void
vg_onvif_users_free(struct vg_onvif_user *users, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(users[i].name);
	free(users);
}

/* Log in as name/password on a new session and read the device info. */
static int
user_verify(struct vg_onvif *s, const char *name, const char *password,
    char **cause)
{
	struct vg_onvif_opts o;
	struct vg_onvif *t = NULL;
	struct vg_onvif_info info;
	int err;

	memset(&o, 0, sizeof o);
	o.user = name;
	o.password = password;
	o.timeout_ms = s->timeout_ms;
	o.legacy_tls = s->legacy_tls;
	o.tls_fingerprint = s->tls_seen != NULL ? s->tls_seen : s->tls_pin;
	if ((err = vg_onvif_open(s->url, &o, &t, cause)) != VG_OK)
		return err;
	err = vg_onvif_get_info(t, &info, cause);
	if (err == VG_OK)
		vg_onvif_info_clear(&info);
	else
		s->last_class = t->last_class;
	vg_onvif_free(t);
	return err;
}

/* Create user name, or update its password and level. */
int
vg_onvif_set_user(struct vg_onvif *s, const char *name, const char *password,
    enum vg_onvif_user_level level, char **cause)
{
	struct vg_onvif_user *users = NULL;
	struct _tds__CreateUsers creq;
	struct _tds__CreateUsersResponse cres;
	struct _tds__SetUser sreq;
	struct _tds__SetUserResponse sres;
	struct tt__User u;
	size_t n = 0, i;
	bool exists = false;
	int a, err;

	if (name == NULL || *name == '\0' || password == NULL)
		return onvif_fail(s, VG_ONVIF_OK, VG_ERR_USAGE, cause,
		    "a user name and a password are needed");
	vg_log_add_secret(password);
	if ((err = vg_onvif_get_users(s, &users, &n, cause)) != VG_OK)
		return err;
	for (i = 0; i < n; i++)
		if (strcmp(users[i].name, name) == 0)
			exists = true;
	vg_onvif_users_free(users, n);

	memset(&u, 0, sizeof u);
	u.Username = (char *)name;
	u.Password = (char *)password;
	u.UserLevel = tt_level(level);
	for (a = 0; onvif_call_next(s, a); a++) {
		if (exists) {
			soap_default__tds__SetUser(s->soap, &sreq);
			sreq.__sizeUser = 1;
			sreq.User = &u;
			soap_call___tds__SetUser(s->soap, s->url, NULL, &sreq,
			    &sres);
		} else {
			soap_default__tds__CreateUsers(s->soap, &creq);
			creq.__sizeUser = 1;
			creq.User = &u;
			soap_call___tds__CreateUsers(s->soap, s->url, NULL,
			    &creq, &cres);
		}
	}
	err = onvif_call_done(s, exists ? "SetUser" : "CreateUsers", cause);
	onvif_call_end(s);
	if (err != VG_OK)
		return err;
	log_info("onvif: %s: user %s %s", s->url, name,
	    exists ? "updated" : "created");
	/* if we changed our own password, the session must follow */
	if (s->user != NULL && strcmp(s->user, name) == 0) {
		vg_secret_free(s->password);
		s->password = xstrdup(password);
		/* re-arm the HTTP digest with the new password */
		onvif_da_release(s);
	}
	return user_verify(s, name, password, cause);
}

/* Factory-new: Profile Q scope, or anonymous GetUsers with none. */
int
vg_onvif_is_factory_new(struct vg_onvif *s, bool *factory_new, char **cause)
{
	struct vg_onvif_scopes sc;
	struct vg_onvif_user *users = NULL;
	char *user = s->user;
	size_t n = 0;
	int err;

	*factory_new = false;
	memset(&sc, 0, sizeof sc);
	/* GetScopes is pre-authentication on Profile Q devices */
	s->user = NULL;
	err = device_scopes(s, &sc, NULL);
	if (err != VG_OK && user != NULL) {
		s->user = user;
		err = device_scopes(s, &sc, NULL);
	}
	s->user = user;
	if (err == VG_OK && sc.factory_default)
		*factory_new = true;
	vg_onvif_scopes_clear(&sc);
	if (*factory_new)
		return VG_OK;
	err = users_get(s, true, &users, &n, NULL);
	if (err == VG_OK) {
		size_t i, real = 0;

		for (i = 0; i < n; i++)
			if (users[i].level != VG_ONVIF_USER ||
			    strcasecmp(users[i].name, "anonymous") != 0)
				real++;
		*factory_new = real == 0;
	}
	vg_onvif_users_free(users, n);
	s->last_class = VG_ONVIF_OK;
	(void)cause;
	return VG_OK;
}

/* Create the first administrator on a factory-new camera. */
int
vg_onvif_activate(struct vg_onvif *s, const char *admin_user,
    const char *admin_password, char **cause)
{
	struct _tds__CreateUsers creq;
	struct _tds__CreateUsersResponse cres;
	struct tt__User u;
	bool fresh = false;
	int a, err;

	if (admin_user == NULL || admin_password == NULL)
		return onvif_fail(s, VG_ONVIF_OK, VG_ERR_USAGE, cause,
		    "activation needs an administrator name and password");
	vg_log_add_secret(admin_password);
	if ((err = vg_onvif_is_factory_new(s, &fresh, cause)) != VG_OK)
		return err;
	if (!fresh)
		return onvif_fail(s, VG_ONVIF_OK, VG_ERR_EXISTS, cause,
		    "the camera is not factory-new (it already has users)");
	memset(&u, 0, sizeof u);
	u.Username = (char *)admin_user;
	u.Password = (char *)admin_password;
	u.UserLevel = tt__UserLevel__Administrator;
	for (a = 0; onvif_call_next_anon(s, a); a++) {
		soap_default__tds__CreateUsers(s->soap, &creq);
		creq.__sizeUser = 1;
		creq.User = &u;
		soap_call___tds__CreateUsers(s->soap, s->url, NULL, &creq,
		    &cres);
	}
	err = onvif_call_done(s, "CreateUsers", cause);
	onvif_call_end(s);
	if (err != VG_OK)
		return err;
	log_notice("onvif: %s: activated with administrator %s", s->url,
	    admin_user);
	free(s->user);
	vg_secret_free(s->password);
	s->user = xstrdup(admin_user);
	s->password = xstrdup(admin_password);
	return user_verify(s, admin_user, admin_password, cause);
}

/* ---- password rules ---------------------------------------------------- */

/* The vendor from a manufacturer name. */
enum vg_onvif_vendor
vg_onvif_vendor_of(const char *m)
{
	if (m == NULL)
		return VG_ONVIF_VENDOR_GENERIC;
	if (strcasestr(m, "hikvision") != NULL)
		return VG_ONVIF_VENDOR_HIKVISION;
	if (strcasestr(m, "dahua") != NULL)
		return VG_ONVIF_VENDOR_DAHUA;
	if (strcasestr(m, "axis") != NULL)
		return VG_ONVIF_VENDOR_AXIS;
	return VG_ONVIF_VENDOR_GENERIC;
}

/* Check a new password against the vendor's published rules. */
int
vg_onvif_password_check(enum vg_onvif_vendor vendor, const char *pw,
    char **cause)
{
	size_t len = pw != NULL ? strlen(pw) : 0, i;
	int lower = 0, upper = 0, digit = 0, other = 0, classes;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)pw[i];

		if (c < 0x20 || c == 0x7f) {
			if (cause != NULL)
				xasprintf(cause, "%s", _("The password "
				    "contains a control character."));
			return VG_ERR_USAGE;
		}
		if (islower(c))
			lower = 1;
		else if (isupper(c))
			upper = 1;
		else if (isdigit(c))
			digit = 1;
		else
			other = 1;
	}
	classes = lower + upper + digit + other;
	switch (vendor) {
	case VG_ONVIF_VENDOR_HIKVISION:
		if (len < 8 || len > 16 || classes < 2) {
			if (cause != NULL)
				xasprintf(cause, "%s", _("Hikvision needs 8 "
				    "to 16 characters with at least two kinds "
				    "of: lower case, upper case, digits, "
				    "symbols."));
			return VG_ERR_USAGE;
		}
		break;
	case VG_ONVIF_VENDOR_DAHUA:
		if (len < 8 || len > 32 || strpbrk(pw, "'\";:&") != NULL) {
			if (cause != NULL)
				xasprintf(cause, "%s", _("Dahua needs 8 to 32 "
				    "characters and none of ' \" ; : &."));
			return VG_ERR_USAGE;
		}
		break;
	case VG_ONVIF_VENDOR_AXIS:
		for (i = 0; i < len; i++)
			if ((unsigned char)pw[i] > 0x7e)
				break;
		if (len < 1 || len > 64 || i < len) {
			if (cause != NULL)
				xasprintf(cause, "%s", _("Axis needs 1 to 64 "
				    "printable ASCII characters."));
			return VG_ERR_USAGE;
		}
		break;
	case VG_ONVIF_VENDOR_GENERIC:
		/* the strictest common ground: works on every vendor above */
		if (len < 8 || len > 16 || classes < 2 ||
		    strpbrk(pw, "'\";:&") != NULL) {
			if (cause != NULL)
				xasprintf(cause, "%s", _("Use 8 to 16 "
				    "characters with at least two kinds of: "
				    "lower case, upper case, digits, symbols; "
				    "and none of ' \" ; : & (rules that every "
				    "common camera brand accepts)."));
			return VG_ERR_USAGE;
		}
		break;
	}
	return VG_OK;
}

/* ---- reboot ------------------------------------------------------------ */

/* SystemReboot. */
int
vg_onvif_reboot(struct vg_onvif *s, char **message, char **cause)
{
	struct _tds__SystemReboot req;
	struct _tds__SystemRebootResponse res;
	int a, err;

	if (message != NULL)
		*message = NULL;
	for (a = 0; onvif_call_next(s, a); a++) {
		soap_default__tds__SystemReboot(s->soap, &req);
		soap_default__tds__SystemRebootResponse(s->soap, &res);
		soap_call___tds__SystemReboot(s->soap, s->url, NULL, &req,
		    &res);
	}
	err = onvif_call_done(s, "SystemReboot", cause);
	if (err == VG_OK && message != NULL)
		*message = onvif_strdup(res.Message);
	onvif_call_end(s);
	if (err == VG_OK)
		log_notice("onvif: %s: rebooting", s->url);
	return err;
}
