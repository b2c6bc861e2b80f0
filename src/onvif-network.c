/* onvif-network.c - changing a camera's IPv4 settings without
 * stranding it.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cameras answer SetNetworkInterfaces with 200 and vanish, or keep the
 * old settings (FIELD.md, pain 5).  So: claim the new address for this
 * run (a batch never hands one address out twice), make sure no other
 * host uses it, set gateway and DNS while the camera is still where we
 * know it, set the address last, reboot if the camera says so, then
 * follow it: poll the new address, and if it does not show up there, ask
 * WS-Discovery where its endpoint went.  It only counts as done once it
 * answers at the new address with the same serial and MAC and reads back
 * the settings we asked for.  When it cannot be found, the report says
 * where it was last seen.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "onvif-int.h"

static pthread_mutex_t claim_lock = PTHREAD_MUTEX_INITIALIZER;
static char **claimed;
static size_t nclaimed;

/* ---- claims -------------------------------------------------------------- */

/* Reserve address for this process. */
int
vg_onvif_claim_address(const char *address)
{
	size_t i;
	int err = VG_OK;

	pthread_mutex_lock(&claim_lock);
	for (i = 0; i < nclaimed; i++)
		if (strcmp(claimed[i], address) == 0)
			err = VG_ERR_EXISTS;
	if (err == VG_OK)
		onvif_strv_add(&claimed, &nclaimed, address);
	pthread_mutex_unlock(&claim_lock);
	return err;
}

/* Give a claim back. */
void
vg_onvif_release_address(const char *address)
{
	size_t i;

	pthread_mutex_lock(&claim_lock);
	for (i = 0; i < nclaimed; i++)
		if (strcmp(claimed[i], address) == 0) {
			free(claimed[i]);
			claimed[i] = claimed[--nclaimed];
			break;
		}
	if (nclaimed == 0) {
		free(claimed);
		claimed = NULL;
	}
	pthread_mutex_unlock(&claim_lock);
}

/* ---- conflict check ------------------------------------------------------ */

/* Does the kernel's ARP table hold a complete entry for address? */
static bool
arp_known(const char *address)
{
	char line[256], ip[64], hw[64];
	unsigned flags;
	bool found = false;
	FILE *f = fopen("/proc/net/arp", "r");

	if (f == NULL)
		return false;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%63s %*s 0x%x %63s", ip, &flags, hw) != 3)
			continue;
		if (strcmp(ip, address) == 0 && (flags & 0x2) &&
		    strcmp(hw, "00:00:00:00:00:00") != 0)
			found = true;
	}
	fclose(f);
	return found;
}

/* Is address taken?  See onvif.h. */
int
vg_onvif_address_in_use(const char *address, int port, int timeout_ms,
    bool *in_use, char **how)
{
	struct sockaddr_in sa;
	struct pollfd pfd;
	socklen_t len;
	int fd, e = 0, r;
	bool loop;

	*in_use = false;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)(port > 0 ? port : 80));
	if (inet_pton(AF_INET, address, &sa.sin_addr) != 1) {
		if (how != NULL)
			xasprintf(how, "%s is not an IPv4 address", address);
		return VG_ERR_USAGE;
	}
	/* every 127/8 address is this host: only a listener counts there */
	loop = (ntohl(sa.sin_addr.s_addr) >> 24) == 127;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		if (how != NULL)
			xasprintf(how, "socket: %s", strerror(errno));
		return VG_ERR_IO;
	}
	r = connect(fd, (struct sockaddr *)&sa, sizeof sa);
	if (r != 0 && errno == EINPROGRESS) {
		pfd.fd = fd;
		pfd.events = POLLOUT;
		r = poll(&pfd, 1, timeout_ms > 0 ? timeout_ms : 1000);
		if (r == 0)
			e = ETIMEDOUT;
		else {
			len = sizeof e;
			getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len);
		}
	} else if (r != 0)
		e = errno;
	close(fd);
	if (e == 0) {
		*in_use = true;
		if (how != NULL)
			xasprintf(how, "%s accepts connections on port %d",
			    address, port > 0 ? port : 80);
	} else if (e == ECONNREFUSED && !loop) {
		*in_use = true;
		if (how != NULL)
			xasprintf(how, "a host at %s refused a connection "
			    "(it exists)", address);
	} else if (!loop && arp_known(address)) {
		*in_use = true;
		if (how != NULL)
			xasprintf(how, "%s answers ARP", address);
	} else if (how != NULL)
		xasprintf(how, "%s looks free (%s)", address, strerror(e));
	return VG_OK;
}

/* ---- setting ------------------------------------------------------------- */

/* Free what a report holds. */
void
vg_onvif_ipchange_clear(struct vg_onvif_ipchange *r)
{
	if (r == NULL)
		return;
	free(r->old_url);
	free(r->new_url);
	free(r->last_seen);
	free(r->identity);
	onvif_strv_free(r->diffs, r->ndiffs);
	memset(r, 0, sizeof *r);
}

/* url with its host replaced by addr (caller frees). */
static char *
url_with_host(const char *url, const char *addr)
{
	const char *p = strstr(url, "://"), *rest;
	char *out;

	if (p == NULL)
		return xstrdup(url);
	p += 3;
	if (*p == '[')
		rest = strchr(p, ']') != NULL ? strchr(p, ']') + 1 : p;
	else
		rest = p + strcspn(p, ":/");
	xasprintf(&out, "%.*s%s%s", (int)(p - url), url, addr, rest);
	return out;
}

/* The port in a URL (80/443 by scheme when absent). */
static int
url_port(const char *url)
{
	const char *p = strstr(url, "://"), *c;

	if (p == NULL)
		return 80;
	p += 3;
	if (*p == '[' && (c = strchr(p, ']')) != NULL)
		p = c + 1;
	else
		p += strcspn(p, ":/");
	if (*p == ':')
		return atoi(p + 1);
	return strncmp(url, "https", 5) == 0 ? 443 : 80;
}

/* Does net already match want? */
static bool
net_matches(const struct vg_onvif_net *net, const struct vg_onvif_ipv4 *w)
{
	size_t i;

	if (net->dhcp || net->address == NULL ||
	    strcmp(net->address, w->address) != 0 || net->prefix != w->prefix)
		return false;
	if (w->gateway != NULL && (net->gateway == NULL ||
	    strcmp(net->gateway, w->gateway) != 0))
		return false;
	if (w->dns != NULL) {
		if (net->dns_from_dhcp || net->ndns != w->ndns)
			return false;
		for (i = 0; i < w->ndns; i++)
			if (strcmp(net->dns[i], w->dns[i]) != 0)
				return false;
	}
	return true;
}

/* Add an English difference line. */
static void
report_diff(struct vg_onvif_ipchange *r, const char *fmt, ...)
    VG_PRINTF(2, 3);
static void
report_diff(struct vg_onvif_ipchange *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	r->diffs = xreallocarray(r->diffs, r->ndiffs + 1, sizeof *r->diffs);
	r->diffs[r->ndiffs++] = s;
}

/* Gateway, then DNS (while the camera is still reachable). */
static int
set_gateway_dns(struct vg_onvif *s, const struct vg_onvif_ipv4 *w,
    char **cause)
{
	struct _tds__SetNetworkDefaultGateway greq;
	struct _tds__SetNetworkDefaultGatewayResponse gres;
	struct _tds__SetDNS dreq;
	struct _tds__SetDNSResponse dres;
	struct tt__IPAddress *dns = NULL;
	char *gw;
	size_t i;
	int a, err = VG_OK;

	if (w->gateway != NULL) {
		gw = (char *)w->gateway;
		for (a = 0; onvif_call_next(s, a); a++) {
			soap_default__tds__SetNetworkDefaultGateway(s->soap,
			    &greq);
			greq.__sizeIPv4Address = 1;
			greq.IPv4Address = &gw;
			soap_call___tds__SetNetworkDefaultGateway(s->soap,
			    s->url, NULL, &greq, &gres);
		}
		err = onvif_call_done(s, "SetNetworkDefaultGateway", cause);
		onvif_call_end(s);
		if (err != VG_OK)
			return err;
	}
	if (w->dns != NULL) {
		dns = xcalloc(w->ndns > 0 ? w->ndns : 1, sizeof *dns);
		for (i = 0; i < w->ndns; i++) {
			dns[i].Type = tt__IPType__IPv4;
			dns[i].IPv4Address = (char *)w->dns[i];
		}
		for (a = 0; onvif_call_next(s, a); a++) {
			soap_default__tds__SetDNS(s->soap, &dreq);
			dreq.FromDHCP = xsd__boolean__false_;
			dreq.__sizeDNSManual = (int)w->ndns;
			dreq.DNSManual = dns;
			soap_call___tds__SetDNS(s->soap, s->url, NULL, &dreq,
			    &dres);
		}
		err = onvif_call_done(s, "SetDNS", cause);
		onvif_call_end(s);
		free(dns);
	}
	return err;
}

/* The address itself: static, DHCP off. */
static int
set_address(struct vg_onvif *s, const char *token,
    const struct vg_onvif_ipv4 *w, bool *reboot, char **cause)
{
	struct _tds__SetNetworkInterfaces req;
	struct _tds__SetNetworkInterfacesResponse res;
	struct tt__NetworkInterfaceSetConfiguration nic;
	struct tt__IPv4NetworkInterfaceSetConfiguration v4;
	struct tt__PrefixedIPv4Address pa;
	enum xsd__boolean yes = xsd__boolean__true_, no = xsd__boolean__false_;
	int a, err;

	*reboot = false;
	for (a = 0; onvif_call_next(s, a); a++) {
		soap_default__tds__SetNetworkInterfaces(s->soap, &req);
		soap_default__tds__SetNetworkInterfacesResponse(s->soap, &res);
		soap_default_tt__NetworkInterfaceSetConfiguration(s->soap,
		    &nic);
		soap_default_tt__IPv4NetworkInterfaceSetConfiguration(s->soap,
		    &v4);
		pa.Address = (char *)w->address;
		pa.PrefixLength = w->prefix;
		v4.Enabled = &yes;
		v4.DHCP = &no;
		v4.__sizeManual = 1;
		v4.Manual = &pa;
		nic.Enabled = &yes;
		nic.IPv4 = &v4;
		req.InterfaceToken = (char *)token;
		req.NetworkInterface = &nic;
		soap_call___tds__SetNetworkInterfaces(s->soap, s->url, NULL,
		    &req, &res);
	}
	err = onvif_call_done(s, "SetNetworkInterfaces", cause);
	if (err == VG_OK)
		*reboot = res.RebootNeeded == xsd__boolean__true_;
	onvif_call_end(s);
	if (err != VG_OK && (s->last_class == VG_ONVIF_TIMEOUT ||
	    s->last_class == VG_ONVIF_UNREACHABLE)) {
		/* some cameras switch before answering: follow anyway */
		log_warn("onvif: %s: no answer to SetNetworkInterfaces; "
		    "following the camera to %s anyway", s->url, w->address);
		if (cause != NULL) {
			free(*cause);
			*cause = NULL;
		}
		return VG_OK;
	}
	return err;
}

/* Sleep ms milliseconds. */
static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Does the camera answer at url with identity?  Retargets s there. */
static bool
identify_at(struct vg_onvif *s, const char *url, const char *identity)
{
	struct vg_onvif_info info;
	bool ok;

	if (vg_onvif_retarget(s, url, NULL) != VG_OK)
		return false;
	if (vg_onvif_get_info(s, &info, NULL) != VG_OK)
		return false;
	ok = identity == NULL || strcmp(info.identity, identity) == 0;
	if (!ok)
		log_warn("onvif: %s answers as %s, not %s", url,
		    info.identity, identity);
	vg_onvif_info_clear(&info);
	return ok;
}

/* Discover, and return the first device-service URL (caller frees) that
 * answers with identity; s is left pointing there. */
static char *
find_by_identity(struct vg_onvif *s, const struct vg_onvif_discover_opts *disc,
    const char *identity)
{
	struct vg_onvif_devlist l = { NULL, 0 };
	char *url = NULL;
	size_t i;

	if (vg_onvif_discover(disc, &l, NULL) != VG_OK)
		return NULL;
	for (i = 0; i < l.n && i < 256 && url == NULL; i++)
		if (l.v[i].xaddr != NULL &&
		    identify_at(s, l.v[i].xaddr, identity))
			url = xstrdup(l.v[i].xaddr);
	vg_onvif_devlist_clear(&l);
	return url;
}

/* Change the IPv4 settings, first part: see onvif.h. */
int
vg_onvif_change_ipv4_begin(struct vg_onvif *s, const struct vg_onvif_ipv4 *want,
    struct vg_onvif_ipchange *r, char **cause)
{
	struct vg_onvif_info info;
	struct vg_onvif_net net;
	struct in_addr tmp;
	char *how = NULL;
	bool in_use = false, claimed_it = false, reboot = false;
	int err;

	memset(r, 0, sizeof *r);
	memset(&info, 0, sizeof info);
	memset(&net, 0, sizeof net);
	if (want->address == NULL ||
	    inet_pton(AF_INET, want->address, &tmp) != 1 ||
	    want->prefix < 1 || want->prefix > 32 ||
	    (want->gateway != NULL &&
	    inet_pton(AF_INET, want->gateway, &tmp) != 1))
		return onvif_fail(s, VG_ONVIF_OK, VG_ERR_USAGE, cause,
		    "expected an IPv4 address, a prefix 1..32 and an IPv4 "
		    "gateway");
	r->old_url = xstrdup(s->url);

	/* 1. who and where is it now */
	if ((err = vg_onvif_get_info(s, &info, cause)) != VG_OK)
		goto out;
	r->identity = xstrdup(info.identity);
	if ((err = vg_onvif_get_network(s, &net, cause)) != VG_OK)
		goto out;
	r->last_seen = vg_onvif_url_host(s->url);
	r->last_seen_at = time(NULL);
	if (net_matches(&net, want)) {
		r->new_url = xstrdup(s->url);
		r->followed = r->verified = true;
		log_info("onvif: %s already has %s/%d", s->url, want->address,
		    want->prefix);
		goto out;
	}

	/* 2. claim and conflict-check the new address */
	if (net.address == NULL || strcmp(net.address, want->address) != 0) {
		if (vg_onvif_claim_address(want->address) != VG_OK) {
			err = onvif_fail(s, VG_ONVIF_OK, VG_ERR_EXISTS, cause,
			    "%s is already being given to another camera in "
			    "this run", want->address);
			goto out;
		}
		claimed_it = true;
		err = vg_onvif_address_in_use(want->address, url_port(s->url),
		    1000, &in_use, &how);
		if (err == VG_OK && in_use) {
			err = onvif_fail(s, VG_ONVIF_OK, VG_ERR_EXISTS, cause,
			    "%s is in use: %s", want->address, how);
			goto out;
		}
		if (err != VG_OK) {
			if (cause != NULL) {
				*cause = how;
				how = NULL;
			}
			goto out;
		}
		log_info("onvif: %s", how);
	}

	/* 3. gateway and DNS first, then the address */
	if ((err = set_gateway_dns(s, want, cause)) != VG_OK)
		goto out;
	if ((err = set_address(s, net.token, want, &reboot, cause)) != VG_OK)
		goto out;
	r->changed = true;
	r->reboot_needed = reboot;
	r->new_url = url_with_host(s->url, want->address);
	if (reboot) {
		char *msg = NULL;

		log_notice("onvif: %s: the camera needs a reboot for the new "
		    "address", s->url);
		if (vg_onvif_reboot(s, &msg, NULL) != VG_OK)
			log_warn("onvif: %s: reboot request failed; it may "
			    "have moved already", s->url);
		free(msg);
	}
out:
	/* a camera that may have taken the address keeps the claim */
	if (claimed_it && !r->changed)
		vg_onvif_release_address(want->address);
	free(how);
	vg_onvif_info_clear(&info);
	vg_onvif_net_clear(&net);
	return err;
}

/* Compare what the camera reads back with want; English lines into r. */
static void
report_readback(struct vg_onvif_ipchange *r, const struct vg_onvif_net *back,
    const struct vg_onvif_ipv4 *want)
{
	size_t i;
	bool same;

	if (back->dhcp)
		report_diff(r, "dhcp: wanted off, camera has on");
	if (back->address == NULL || strcmp(back->address, want->address) != 0)
		report_diff(r, "address: wanted %s, camera has %s",
		    want->address, back->address ? back->address : "none");
	if (back->prefix != want->prefix)
		report_diff(r, "prefix: wanted %d, camera has %d",
		    want->prefix, back->prefix);
	if (want->gateway != NULL && (back->gateway == NULL ||
	    strcmp(back->gateway, want->gateway) != 0))
		report_diff(r, "gateway: wanted %s, camera has %s",
		    want->gateway, back->gateway ? back->gateway : "none");
	if (want->dns != NULL) {
		same = back->ndns == want->ndns;
		for (i = 0; same && i < want->ndns; i++)
			same = strcmp(back->dns[i], want->dns[i]) == 0;
		if (!same)
			report_diff(r, "dns: wanted %zu server(s) starting %s, "
			    "camera has %zu", want->ndns, want->ndns ?
			    want->dns[0] : "-", back->ndns);
	}
}

/*
 * The follow loop's pace.  While a look fails fast (connection refused,
 * no route: the camera is rebooting on a LAN that answers), look again
 * every FOLLOW_POLL_MS, so a camera that is back is seen within that.
 * Back off by FOLLOW_STEP_MS up to FOLLOW_MAX_MS only when a look itself
 * was slow (FOLLOW_SLOW_MS or more: a connect that waited for its
 * timeout, where looking often only adds load) or once the camera has
 * been gone for FOLLOW_FAST_FOR_MS (a reboot that long is a slow camera,
 * not one that is about to answer).
 */
#define FOLLOW_POLL_MS		200
#define FOLLOW_STEP_MS		250
#define FOLLOW_MAX_MS		2000
#define FOLLOW_SLOW_MS		1000
#define FOLLOW_FAST_FOR_MS	5000

/* Change the IPv4 settings, second part: see onvif.h. */
int
vg_onvif_change_ipv4_follow(struct vg_onvif *s,
    const struct vg_onvif_ipv4 *want, const struct vg_onvif_discover_opts *disc,
    int follow_ms, struct vg_onvif_ipchange *r, char **cause)
{
	struct vg_onvif_net back;
	char *old_host = NULL, *found = NULL;
	int64_t start, deadline, t, now;
	int err = VG_OK, poll_ms = FOLLOW_POLL_MS, nap;

	memset(&back, 0, sizeof back);
	if (!r->changed || r->old_url == NULL || r->new_url == NULL ||
	    r->identity == NULL)
		return onvif_fail(s, VG_ONVIF_OK, VG_ERR_USAGE, cause,
		    "nothing to follow: the address was not changed");
	follow_ms = follow_ms > 0 ? follow_ms : 90000;
	old_host = vg_onvif_url_host(r->old_url);

	/* 4. follow it */
	start = onvif_now_us();
	deadline = start + (int64_t)follow_ms * 1000;
	while ((t = onvif_now_us()) < deadline) {
		if (identify_at(s, r->new_url, r->identity)) {
			r->followed = true;
			break;
		}
		/* still at the old address?  (settings did not stick) */
		if (identify_at(s, r->old_url, r->identity)) {
			free(r->last_seen);
			r->last_seen = onvif_strdup(old_host);
			r->last_seen_at = time(NULL);
		}
		now = onvif_now_us();
		if (now - t >= (int64_t)FOLLOW_SLOW_MS * 1000 ||
		    now - start >= (int64_t)FOLLOW_FAST_FOR_MS * 1000) {
			if (poll_ms < FOLLOW_MAX_MS)
				poll_ms += FOLLOW_STEP_MS;
		} else
			poll_ms = FOLLOW_POLL_MS;
		if (now >= deadline)
			break;
		/* never sleep past the deadline: one last look there */
		nap = (deadline - now) / 1000 < poll_ms ?
		    (int)((deadline - now) / 1000) : poll_ms;
		sleep_ms(nap);
	}
	if (!r->followed) {
		/* ask WS-Discovery where it went: every device found is
		 * checked for the same serial and MAC */
		found = find_by_identity(s, disc, r->identity);
		if (found != NULL) {
			free(r->last_seen);
			r->last_seen = vg_onvif_url_host(found);
			r->last_seen_at = time(NULL);
		}
		/* leave s pointing where we last saw it */
		if (found == NULL)
			vg_onvif_retarget(s, r->old_url, NULL);
		err = onvif_fail(s, VG_ONVIF_TIMEOUT, VG_ERR_TIMEOUT, cause,
		    "the camera did not answer at %s within %d s; last seen "
		    "at %s", want->address, follow_ms / 1000,
		    r->last_seen != NULL ? r->last_seen : "an unknown address");
		goto out;
	}

	/* 5. read back */
	if ((err = vg_onvif_get_network(s, &back, cause)) != VG_OK)
		goto out;
	report_readback(r, &back, want);
	r->verified = r->ndiffs == 0;
	free(r->last_seen);
	r->last_seen = xstrdup(want->address);
	r->last_seen_at = time(NULL);
	if (!r->verified)
		err = onvif_fail(s, VG_ONVIF_FAULT, VG_ERR_PROTO, cause,
		    "the camera moved but reads back %zu difference(s): %s",
		    r->ndiffs, r->diffs[0]);
	else
		log_notice("onvif: camera %s moved to %s and verified",
		    r->identity, r->new_url);
out:
	free(old_host);
	free(found);
	vg_onvif_net_clear(&back);
	return err;
}

/* Change the IPv4 settings and follow the camera: both parts. */
int
vg_onvif_change_ipv4(struct vg_onvif *s, const struct vg_onvif_ipv4 *want,
    const struct vg_onvif_discover_opts *disc, int follow_ms,
    struct vg_onvif_ipchange *r, char **cause)
{
	int err;

	if ((err = vg_onvif_change_ipv4_begin(s, want, r, cause)) != VG_OK ||
	    !r->changed)
		return err;
	return vg_onvif_change_ipv4_follow(s, want, disc, follow_ms, r, cause);
}
