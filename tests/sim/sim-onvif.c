/* sim-onvif.c - vigia-sim: the ONVIF device, media, media2 and event
 * services of every simulated camera (gSOAP server side of onvif.h).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One thread per camera accepts on the camera's own address (1 s accept
 * timeout, so an idle site costs nothing) and hands each connection to a
 * short-lived worker with its own soap_copy() context (at most
 * SIM_MAX_WORKERS per camera; more connections wait in the backlog).
 * Workers run their own serve loop so that request-level faults (slow,
 * dropped, malformed answers) and ONVIF's fault codes for unknown
 * actions can be applied.  Every operation of data/onvif/keep-operations.txt
 * is here (soapServer.c needs them all), listed in ONVIF_OPERATIONS, which
 * gives each its access class and makes the entry points that run the
 * common prologue (authentication, Media2, locking) before the body.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "soapH.h"
#include "httpda.h"

#include "sim-camera.h"
#include "libvigia.h"

#define ONVIF_MAX_PULL_S 60	/* the longest PullMessages Timeout */
#define ONVIF_RECV_MAX (1024 * 1024)

/* The generated table plus the prefixes our answers use in literal
 * content (tns1 topics, ter fault codes, tdn discovery types). The first
 * entries must stay those of DeviceBinding.nsmap: dispatch matches them. */
static struct Namespace sim_namespaces[] = {
	{ "SOAP-ENV", "http://www.w3.org/2003/05/soap-envelope",
	    "http://schemas.xmlsoap.org/soap/envelope/", NULL },
	{ "SOAP-ENC", "http://www.w3.org/2003/05/soap-encoding",
	    "http://schemas.xmlsoap.org/soap/encoding/", NULL },
	{ "xsi", "http://www.w3.org/2001/XMLSchema-instance",
	    "http://www.w3.org/*/XMLSchema-instance", NULL },
	{ "xsd", "http://www.w3.org/2001/XMLSchema",
	    "http://www.w3.org/*/XMLSchema", NULL },
	{ "xop", "http://www.w3.org/2004/08/xop/include", NULL, NULL },
	{ "chan", "http://schemas.microsoft.com/ws/2005/02/duplex", NULL, NULL },
	{ "wsa5", "http://www.w3.org/2005/08/addressing",
	    "http://schemas.xmlsoap.org/ws/2004/08/addressing", NULL },
	{ "c14n", "http://www.w3.org/2001/10/xml-exc-c14n#", NULL, NULL },
	{ "ds", "http://www.w3.org/2000/09/xmldsig#", NULL, NULL },
	{ "saml1", "urn:oasis:names:tc:SAML:1.0:assertion", NULL, NULL },
	{ "saml2", "urn:oasis:names:tc:SAML:2.0:assertion", NULL, NULL },
	{ "wsu", "http://docs.oasis-open.org/wss/2004/01/"
	    "oasis-200401-wss-wssecurity-utility-1.0.xsd", NULL, NULL },
	{ "xenc", "http://www.w3.org/2001/04/xmlenc#", NULL, NULL },
	{ "wsc", "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512",
	    "http://schemas.xmlsoap.org/ws/2005/02/sc", NULL },
	{ "wsse", "http://docs.oasis-open.org/wss/2004/01/"
	    "oasis-200401-wss-wssecurity-secext-1.0.xsd",
	    "http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd",
	    NULL },
	{ "wsa", "http://schemas.xmlsoap.org/ws/2004/08/addressing", NULL, NULL },
	{ "wsd", "http://schemas.xmlsoap.org/ws/2005/04/discovery", NULL, NULL },
	{ "wstop", "http://docs.oasis-open.org/wsn/t-1", NULL, NULL },
	{ "wsrfbf", "http://docs.oasis-open.org/wsrf/bf-2", NULL, NULL },
	{ "tt", "http://www.onvif.org/ver10/schema", NULL, NULL },
	{ "wsrfr", "http://docs.oasis-open.org/wsrf/r-2", NULL, NULL },
	{ "tds", "http://www.onvif.org/ver10/device/wsdl", NULL, NULL },
	{ "wsnt", "http://docs.oasis-open.org/wsn/b-2", NULL, NULL },
	{ "tev", "http://www.onvif.org/ver10/events/wsdl", NULL, NULL },
	{ "tr2", "http://www.onvif.org/ver20/media/wsdl", NULL, NULL },
	{ "trt", "http://www.onvif.org/ver10/media/wsdl", NULL, NULL },
	{ "tns1", "http://www.onvif.org/ver10/topics", NULL, NULL },
	{ "ter", "http://www.onvif.org/ver10/error", NULL, NULL },
	{ NULL, NULL, NULL, NULL }
};

static const char *onvif_service_ns[] = {
	"http://www.onvif.org/ver10/device/wsdl",
	"http://www.onvif.org/ver10/media/wsdl",
	"http://www.onvif.org/ver10/events/wsdl",
	"http://www.onvif.org/ver20/media/wsdl",
};

/* ---- small helpers ------------------------------------------------------ */

/* Zeroed memory that lives until soap_end(). */
static void *
zalloc(struct soap *soap, size_t size)
{
	void *p = soap_malloc(soap, size);

	if (p == NULL)
		fatal("vigia-sim: out of memory");
	memset(p, 0, size);
	return p;
}
#define ZNEW(soap, type) ((type *)zalloc((soap), sizeof(type)))

static char *
sdup(struct soap *soap, const char *s)
{
	return soap_strdup(soap, s != NULL ? s : "");
}

static enum xsd__boolean *
xbool(struct soap *soap, bool v)
{
	enum xsd__boolean *b = ZNEW(soap, enum xsd__boolean);

	*b = v ? xsd__boolean__true_ : xsd__boolean__false_;
	return b;
}

static int *
xint(struct soap *soap, int v)
{
	int *i = ZNEW(soap, int);

	*i = v;
	return i;
}

static struct sim_camera *
onvif_cam(struct soap *soap)
{
	return soap->user;
}

static int
invalid_arg(struct soap *soap, const char *sub2, const char *reason)
{
	return sim_soap_fault(soap, true, "ter:InvalidArgVal", sub2, reason);
}

static struct tt__DateTime *
onvif_datetime(struct soap *soap, time_t t)
{
	struct tt__DateTime *d = ZNEW(soap, struct tt__DateTime);
	struct tm tm;

	gmtime_r(&t, &tm);
	d->Date = ZNEW(soap, struct tt__Date);
	d->Time = ZNEW(soap, struct tt__Time);
	d->Date->Year = tm.tm_year + 1900;
	d->Date->Month = tm.tm_mon + 1;
	d->Date->Day = tm.tm_mday;
	d->Time->Hour = tm.tm_hour;
	d->Time->Minute = tm.tm_min;
	d->Time->Second = tm.tm_sec;
	return d;
}

/* Seconds east of UTC from a POSIX TZ such as "CST-8" or "EST5EDT". */
static long
onvif_tz_offset(const char *tz)
{
	const char *p = tz;
	int h = 0, m = 0, sign = 1;

	if (*p == '<') {
		p = strchr(p, '>');
		if (p == NULL)
			return 0;
		p++;
	} else
		while (isalpha((unsigned char)*p))
			p++;
	if (*p == '-') {
		sign = -1;
		p++;
	} else if (*p == '+')
		p++;
	if (sscanf(p, "%d:%d", &h, &m) < 1)
		return 0;
	return -sign * (h * 3600L + m * 60L);	/* POSIX: west is positive */
}

/* Parse an xsd:duration such as PT5S, PT1M30S, P1D; seconds or -1. */
static long
onvif_duration(const char *s)
{
	long total = 0;
	bool in_time = false;
	double v;
	int n;

	if (s == NULL || *s != 'P')
		return -1;
	s++;
	while (*s != '\0') {
		if (*s == 'T') {
			in_time = true;
			s++;
			continue;
		}
		if (sscanf(s, "%lf%n", &v, &n) != 1 || v < 0 || v > 1e7)
			return -1;
		s += n;
		switch (*s) {
		case 'D':
			total += (long)(v * 86400);
			break;
		case 'H':
			total += (long)(v * 3600);
			break;
		case 'M':
			total += in_time ? (long)(v * 60) : (long)(v * 2592000);
			break;
		case 'S':
			total += (long)ceil(v);
			break;
		case 'Y':
			total += (long)(v * 31536000);
			break;
		default:
			return -1;
		}
		s++;
	}
	return total;
}

/* Parse an xsd:dateTime; -1 if not one. */
static time_t
onvif_parse_time(const char *s)
{
	struct tm tm;
	int y, mo, d, h, mi;
	double sec;

	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%lf", &y, &mo, &d, &h,
	    &mi, &sec) != 6)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = (int)sec;
	return timegm(&tm);
}

static bool
valid_ipv4(const char *s)
{
	struct in_addr a;

	return s != NULL && inet_pton(AF_INET, s, &a) == 1;
}

/* ---- the operations ------------------------------------------------------
 * Every operation of data/onvif/keep-operations.txt, one line each:
 * OP(service, operation, access class, locking), or OPX() with the
 * request and response types where the binding does not name them
 * _svc__Operation and _svc__OperationResponse.  Adding an operation is its
 * line here plus its body, OP_BODY(svc, Operation) { ... }, further down.
 * Each line makes the entry point that soapServer.c calls,
 * __svc__Operation(), which runs the prologue (op_enter) and then the body:
 *   - a request posted to no camera (wsd:Probe over HTTP) is refused;
 *   - Media2 operations exist only on models that advertise Media2;
 *   - credentials for the access class, as the model checks them
 *     (sim_auth_check: UsernameToken or HTTP digest, replayed nonces, a
 *     factory-new camera, activation that opens only the device service);
 *   - the request's header is dropped so that the answer does not echo it;
 *   - OP_LOCKED: the body runs with cam->lock held, OP_UNLOCKED: it takes
 *     the lock itself where it needs it (it calls what takes it).
 * Request-level faults (slow, dropped, malformed answers) are applied
 * before dispatch, by onvif_request_faults(). */
#define ONVIF_OPERATIONS						\
	/* device management (tds) */					\
	OP(tds, GetDeviceInformation, SIM_READ_SYSTEM, OP_UNLOCKED)	\
	OP(tds, GetSystemDateAndTime, SIM_PRE_AUTH, OP_LOCKED)		\
	OP(tds, SetSystemDateAndTime, SIM_WRITE_SYSTEM, OP_LOCKED)	\
	OP(tds, GetNTP, SIM_READ_SYSTEM, OP_LOCKED)			\
	OP(tds, SetNTP, SIM_WRITE_SYSTEM, OP_LOCKED)			\
	OP(tds, GetCapabilities, SIM_PRE_AUTH, OP_LOCKED)		\
	OP(tds, GetServices, SIM_PRE_AUTH, OP_LOCKED)			\
	OP(tds, GetScopes, SIM_READ_SYSTEM, OP_LOCKED)			\
	OP(tds, SetScopes, SIM_WRITE_SYSTEM, OP_UNLOCKED)		\
	OP(tds, GetHostname, SIM_PRE_AUTH, OP_LOCKED)			\
	OP(tds, SetHostname, SIM_WRITE_SYSTEM, OP_LOCKED)		\
	OP(tds, GetNetworkInterfaces, SIM_READ_SYSTEM, OP_LOCKED)	\
	OP(tds, SetNetworkInterfaces, SIM_WRITE_SYSTEM, OP_UNLOCKED)	\
	OP(tds, GetNetworkProtocols, SIM_READ_SYSTEM, OP_LOCKED)	\
	OP(tds, SetNetworkProtocols, SIM_WRITE_SYSTEM, OP_LOCKED)	\
	OP(tds, GetNetworkDefaultGateway, SIM_READ_SYSTEM, OP_LOCKED)	\
	OP(tds, SetNetworkDefaultGateway, SIM_WRITE_SYSTEM, OP_LOCKED)	\
	OP(tds, GetDNS, SIM_READ_SYSTEM, OP_LOCKED)			\
	OP(tds, SetDNS, SIM_WRITE_SYSTEM, OP_LOCKED)			\
	OP(tds, GetUsers, SIM_WRITE_SYSTEM, OP_LOCKED)			\
	OP(tds, CreateUsers, SIM_WRITE_SYSTEM, OP_UNLOCKED)		\
	OP(tds, DeleteUsers, SIM_WRITE_SYSTEM, OP_LOCKED)		\
	OP(tds, SetUser, SIM_WRITE_SYSTEM, OP_LOCKED)			\
	OP(tds, SystemReboot, SIM_WRITE_SYSTEM, OP_UNLOCKED)		\
	/* media ver10 (trt) */						\
	OP(trt, GetProfiles, SIM_READ_MEDIA, OP_LOCKED)			\
	OP(trt, GetProfile, SIM_READ_MEDIA, OP_LOCKED)			\
	OP(trt, GetStreamUri, SIM_READ_MEDIA, OP_UNLOCKED)		\
	OP(trt, GetSnapshotUri, SIM_READ_MEDIA, OP_UNLOCKED)		\
	OP(trt, GetVideoSources, SIM_READ_MEDIA, OP_UNLOCKED)		\
	OP(trt, GetVideoEncoderConfigurations, SIM_READ_MEDIA, OP_LOCKED) \
	OP(trt, GetVideoEncoderConfiguration, SIM_READ_MEDIA, OP_LOCKED) \
	OP(trt, GetVideoEncoderConfigurationOptions, SIM_READ_MEDIA,	\
	    OP_UNLOCKED)						\
	OP(trt, SetVideoEncoderConfiguration, SIM_ACTUATE, OP_UNLOCKED)	\
	/* media2 ver20 (tr2) */					\
	OP(tr2, GetProfiles, SIM_READ_MEDIA, OP_LOCKED)			\
	OPX(tr2, GetVideoEncoderConfigurations, tr2__GetConfiguration,	\
	    _tr2__GetVideoEncoderConfigurationsResponse, SIM_READ_MEDIA, \
	    OP_LOCKED)							\
	OPX(tr2, GetVideoEncoderConfigurationOptions,			\
	    tr2__GetConfiguration,					\
	    _tr2__GetVideoEncoderConfigurationOptionsResponse,		\
	    SIM_READ_MEDIA, OP_UNLOCKED)				\
	OPX(tr2, SetVideoEncoderConfiguration,				\
	    _tr2__SetVideoEncoderConfiguration,				\
	    tr2__SetConfigurationResponse, SIM_ACTUATE, OP_UNLOCKED)	\
	OP(tr2, GetStreamUri, SIM_READ_MEDIA, OP_UNLOCKED)		\
	OP(tr2, GetSnapshotUri, SIM_READ_MEDIA, OP_UNLOCKED)		\
	/* events (tev), motion through a pull point */		\
	OP(tev, GetEventProperties, SIM_READ_MEDIA, OP_UNLOCKED)	\
	OP(tev, CreatePullPointSubscription, SIM_READ_MEDIA, OP_LOCKED)	\
	OP(tev, PullMessages, SIM_READ_MEDIA, OP_LOCKED)		\
	OP(tev, SetSynchronizationPoint, SIM_READ_MEDIA, OP_LOCKED)	\
	OPX(tev, Unsubscribe, _wsnt__Unsubscribe,			\
	    _wsnt__UnsubscribeResponse, SIM_READ_MEDIA, OP_LOCKED)

enum onvif_lock {
	OP_UNLOCKED,
	OP_LOCKED
};

/* What the prologue knows of a service, by its prefix. */
enum onvif_service {
	OP_SERVICE_tds,		/* device: open before activation */
	OP_SERVICE_trt,
	OP_SERVICE_tr2,		/* Media2: only where the model has it */
	OP_SERVICE_tev
};

/* The prologue every operation shares (see above); SOAP_OK or the fault
 * to answer with.  *camp is the camera, locked if lock says so. */
static int
op_enter(struct soap *soap, enum sim_access access,
    enum onvif_service service, enum onvif_lock lock,
    struct sim_camera **camp)
{
	struct sim_camera *cam = *camp = onvif_cam(soap);
	int err;

	if (cam == NULL)	/* e.g. wsd:Probe posted over HTTP */
		return sim_soap_fault(soap, false, "ter:ActionNotSupported",
		    NULL, "Not an ONVIF device operation");
	if (service == OP_SERVICE_tr2 && !cam->p->media2) {
		soap->header = NULL;
		return sim_soap_fault(soap, false, "ter:ActionNotSupported",
		    "ter:NoSuchService", "Media2 service not supported");
	}
	err = sim_auth_check(soap, cam, access, service == OP_SERVICE_tds);
	soap->header = NULL;
	if (err == SOAP_OK && lock == OP_LOCKED)
		pthread_mutex_lock(&cam->lock);
	return err;
}

/* The entry points: prologue, body, and the lock let go.  The request and
 * response types get short names (svc_op_req, svc_op_res) for OP_BODY. */
#define OPX(svc, op, req_t, res_t, access, locking)			\
	typedef struct req_t svc##_##op##_req;				\
	typedef struct res_t svc##_##op##_res;				\
	static int svc##_##op(struct soap *, struct sim_camera *,	\
	    svc##_##op##_req *, svc##_##op##_res *);			\
	int								\
	__##svc##__##op(struct soap *soap, svc##_##op##_req *req,	\
	    svc##_##op##_res *res)					\
	{								\
		struct sim_camera *cam;					\
		int err;						\
									\
		err = op_enter(soap, access, OP_SERVICE_##svc, locking, &cam); \
		if (err != SOAP_OK)					\
			return err;					\
		err = svc##_##op(soap, cam, req, res);			\
		if (locking == OP_LOCKED)				\
			pthread_mutex_unlock(&cam->lock);		\
		return err;						\
	}
#define OP(svc, op, access, locking)					\
	OPX(svc, op, _##svc##__##op, _##svc##__##op##Response, access, locking)
ONVIF_OPERATIONS
#undef OP
#undef OPX

/* The head of an operation's body: static int svc_op(struct soap *soap,
 * struct sim_camera *cam, svc_op_req *req, svc_op_res *res). */
#define OP_BODY(svc, op)						\
	static int							\
	svc##_##op(struct soap *soap, struct sim_camera *cam,		\
	    svc##_##op##_req *req, svc##_##op##_res *res)

/* ---- device service --------------------------------------------------- */

/* ONVIF tds:GetDeviceInformation. */
OP_BODY(tds, GetDeviceInformation)
{
	res->Manufacturer = sdup(soap, cam->p->manufacturer);
	res->Model = sdup(soap, cam->p->model);
	res->FirmwareVersion = sdup(soap, cam->p->firmware);
	res->SerialNumber = sdup(soap, cam->serial);
	res->HardwareId = sdup(soap, cam->p->hardware_id);
	return SOAP_OK;
}

/* ONVIF tds:GetSystemDateAndTime. */
OP_BODY(tds, GetSystemDateAndTime)
{
	struct tt__SystemDateTime *dt;
	time_t now;

	dt = ZNEW(soap, struct tt__SystemDateTime);
	now = sim_camera_time(cam);
	dt->DateTimeType = cam->cfg.time_ntp ? tt__SetDateTimeType__NTP :
	    tt__SetDateTimeType__Manual;
	dt->DaylightSavings = cam->cfg.dst ? xsd__boolean__true_ :
	    xsd__boolean__false_;
	dt->TimeZone = ZNEW(soap, struct tt__TimeZone);
	dt->TimeZone->TZ = sdup(soap, cam->cfg.tz);
	dt->UTCDateTime = onvif_datetime(soap, now);
	dt->LocalDateTime = onvif_datetime(soap,
	    now + onvif_tz_offset(cam->cfg.tz) + (cam->cfg.dst ? 3600 : 0));
	res->SystemDateAndTime = dt;
	return SOAP_OK;
}

/* ONVIF tds:SetSystemDateAndTime. */
OP_BODY(tds, SetSystemDateAndTime)
{
	time_t target = 0;

	if (req->TimeZone != NULL && (req->TimeZone->TZ == NULL ||
	    req->TimeZone->TZ[0] == '\0' || strlen(req->TimeZone->TZ) > 63))
		return invalid_arg(soap, "ter:InvalidTimeZone",
		    "Unsupported time zone");
	if (req->DateTimeType == tt__SetDateTimeType__Manual) {
		struct tt__DateTime *d = req->UTCDateTime;
		struct tm tm;

		if (d == NULL || d->Date == NULL || d->Time == NULL)
			return invalid_arg(soap, "ter:InvalidDateTime",
			    "Manual time without UTCDateTime");
		if (d->Date->Year < 2000 || d->Date->Year > 2037 ||
		    d->Date->Month < 1 || d->Date->Month > 12 ||
		    d->Date->Day < 1 || d->Date->Day > 31 ||
		    d->Time->Hour < 0 || d->Time->Hour > 23 ||
		    d->Time->Minute < 0 || d->Time->Minute > 59 ||
		    d->Time->Second < 0 || d->Time->Second > 60)
			return invalid_arg(soap, "ter:InvalidDateTime",
			    "Invalid date or time");
		memset(&tm, 0, sizeof tm);
		tm.tm_year = d->Date->Year - 1900;
		tm.tm_mon = d->Date->Month - 1;
		tm.tm_mday = d->Date->Day;
		tm.tm_hour = d->Time->Hour;
		tm.tm_min = d->Time->Minute;
		tm.tm_sec = d->Time->Second;
		target = timegm(&tm);
	}
	if (req->DateTimeType == tt__SetDateTimeType__Manual) {
		cam->cfg.clock_offset = (long)(target - time(NULL));
		cam->cfg.time_ntp = false;
	} else {
		cam->cfg.time_ntp = true;
		/* synchronised "from NTP": the host clock is the site's NTP */
		if (cam->cfg.nntp > 0 || cam->cfg.ntp_dhcp)
			cam->cfg.clock_offset = 0;
	}
	cam->fault.clock_skew = 0;
	if (req->TimeZone != NULL)
		snprintf(cam->cfg.tz, sizeof cam->cfg.tz, "%s",
		    req->TimeZone->TZ);
	cam->cfg.dst = req->DaylightSavings == xsd__boolean__true_;
	cam->dirty = true;
	return SOAP_OK;
}

/* ONVIF tds:GetNTP. */
OP_BODY(tds, GetNTP)
{
	struct tt__NTPInformation *n;
	int i;

	n = ZNEW(soap, struct tt__NTPInformation);
	n->FromDHCP = cam->cfg.ntp_dhcp ? xsd__boolean__true_ :
	    xsd__boolean__false_;
	n->__sizeNTPManual = cam->cfg.nntp;
	n->NTPManual = zalloc(soap, sizeof *n->NTPManual * (cam->cfg.nntp + 1));
	for (i = 0; i < cam->cfg.nntp; i++) {
		if (valid_ipv4(cam->cfg.ntp[i])) {
			n->NTPManual[i].Type = tt__NetworkHostType__IPv4;
			n->NTPManual[i].IPv4Address = sdup(soap, cam->cfg.ntp[i]);
		} else {
			n->NTPManual[i].Type = tt__NetworkHostType__DNS;
			n->NTPManual[i].DNSname = sdup(soap, cam->cfg.ntp[i]);
		}
	}
	res->NTPInformation = n;
	return SOAP_OK;
}

/* ONVIF tds:SetNTP. */
OP_BODY(tds, SetNTP)
{
	char hosts[2][64];
	int i, n = 0;

	if (req->__sizeNTPManual > 2)
		return invalid_arg(soap, "ter:TooManyNTPServers",
		    "At most 2 NTP servers");
	for (i = 0; i < req->__sizeNTPManual; i++) {
		struct tt__NetworkHost *h = &req->NTPManual[i];
		const char *v = h->Type == tt__NetworkHostType__IPv4 ?
		    h->IPv4Address : h->Type == tt__NetworkHostType__DNS ?
		    h->DNSname : NULL;

		if (v == NULL || v[0] == '\0' || strlen(v) >= sizeof hosts[0] ||
		    (h->Type == tt__NetworkHostType__IPv4 && !valid_ipv4(v)))
			return invalid_arg(soap, "ter:InvalidIPv4Address",
			    "Invalid NTP server");
		snprintf(hosts[n++], sizeof hosts[0], "%s", v);
	}
	cam->cfg.ntp_dhcp = req->FromDHCP == xsd__boolean__true_;
	cam->cfg.nntp = n;
	memcpy(cam->cfg.ntp, hosts, sizeof hosts);
	cam->dirty = true;
	return SOAP_OK;
}

/* The XAddrs of one service, by namespace index. Caller holds lock. */
static char *
service_url(struct soap *soap, struct sim_camera *cam, int which)
{
	char buf[160];
	const char *path[] = { "/onvif/device_service", cam->p->media_path,
		"/onvif/event_service", "/onvif/media2_service" };

	sim_camera_url(cam, path[which], buf, sizeof buf);
	return sdup(soap, buf);
}

/* ONVIF tds:GetCapabilities. */
OP_BODY(tds, GetCapabilities)
{
	struct tt__Capabilities *c;
	bool all = req->__sizeCategory == 0, dev = false, ev = false,
	    media = false;
	int i;

	for (i = 0; i < req->__sizeCategory; i++) {
		switch (req->Category[i]) {
		case tt__CapabilityCategory__All:
			all = true;
			break;
		case tt__CapabilityCategory__Device:
			dev = true;
			break;
		case tt__CapabilityCategory__Events:
			ev = true;
			break;
		case tt__CapabilityCategory__Media:
			media = true;
			break;
		default:
			return sim_soap_fault(soap, false,
			    "ter:ActionNotSupported", "ter:NoSuchService",
			    "The requested capability category is not "
			    "supported");
		}
	}
	c = ZNEW(soap, struct tt__Capabilities);
	if (all || dev) {
		struct tt__DeviceCapabilities *d;
		struct tt__SystemCapabilities *s;

		d = c->Device = ZNEW(soap, struct tt__DeviceCapabilities);
		d->XAddr = service_url(soap, cam, 0);
		d->Network = ZNEW(soap, struct tt__NetworkCapabilities);
		d->Network->IPFilter = xbool(soap, false);
		d->Network->ZeroConfiguration = xbool(soap, false);
		d->Network->IPVersion6 = xbool(soap, false);
		d->Network->DynDNS = xbool(soap, false);
		s = d->System = ZNEW(soap, struct tt__SystemCapabilities);
		s->DiscoveryBye = xsd__boolean__true_;
		s->__sizeSupportedVersions = 2;
		s->SupportedVersions = zalloc(soap,
		    2 * sizeof *s->SupportedVersions);
		s->SupportedVersions[0].Major = cam->p->media2 ? 20 : 2;
		s->SupportedVersions[0].Minor = cam->p->media2 ? 12 : 60;
		s->SupportedVersions[1].Major = 2;
		s->SupportedVersions[1].Minor = 0;
		d->IO = ZNEW(soap, struct tt__IOCapabilities);
		d->IO->InputConnectors = xint(soap, 0);
		d->IO->RelayOutputs = xint(soap, 0);
		d->Security = ZNEW(soap, struct tt__SecurityCapabilities);
		d->Security->TLS1_x002e2 = sim_camera_tls(cam) ?
		    xsd__boolean__true_ : xsd__boolean__false_;
	}
	if (all || ev) {
		c->Events = ZNEW(soap, struct tt__EventCapabilities);
		c->Events->XAddr = service_url(soap, cam, 2);
		c->Events->WSPullPointSupport = xsd__boolean__true_;
	}
	if (all || media) {
		struct tt__MediaCapabilities *m;

		m = c->Media = ZNEW(soap, struct tt__MediaCapabilities);
		m->XAddr = service_url(soap, cam, 1);
		m->StreamingCapabilities = ZNEW(soap,
		    struct tt__RealTimeStreamingCapabilities);
		m->StreamingCapabilities->RTPMulticast = xbool(soap, false);
		m->StreamingCapabilities->RTP_USCORETCP = xbool(soap, true);
		m->StreamingCapabilities->RTP_USCORERTSP_USCORETCP =
		    xbool(soap, true);
		m->Extension = ZNEW(soap, struct tt__MediaCapabilitiesExtension);
		m->Extension->ProfileCapabilities = ZNEW(soap,
		    struct tt__ProfileCapabilities);
		m->Extension->ProfileCapabilities->MaximumNumberOfProfiles = 2;
	}
	res->Capabilities = c;
	return SOAP_OK;
}

/* ONVIF tds:GetServices. */
OP_BODY(tds, GetServices)
{
	static const int major[] = { 2, 2, 2, 20 }, minor[] = { 60, 60, 60, 12 };
	int i, n;

	n = cam->p->media2 ? 4 : 3;
	res->__sizeService = n;
	res->Service = zalloc(soap, n * sizeof *res->Service);
	for (i = 0; i < n; i++) {
		res->Service[i].Namespace = sdup(soap, onvif_service_ns[i]);
		res->Service[i].XAddr = service_url(soap, cam, i);
		res->Service[i].Version = ZNEW(soap, struct tt__OnvifVersion);
		res->Service[i].Version->Major = major[i];
		res->Service[i].Version->Minor = minor[i];
	}
	return SOAP_OK;
}

/* ONVIF tds:GetScopes. */
OP_BODY(tds, GetScopes)
{
	char buf[2048], *tok, *save = NULL;
	int n = 0, i, fixed;

	sim_camera_scopes(cam, buf, sizeof buf);
	fixed = 0;
	res->Scopes = zalloc(soap, 32 * sizeof *res->Scopes);
	for (tok = strtok_r(buf, " ", &save); tok != NULL && n < 32;
	    tok = strtok_r(NULL, " ", &save)) {
		bool conf = false;

		for (i = 0; i < cam->cfg.nscopes; i++)
			if (strcmp(cam->cfg.scopes[i], tok) == 0)
				conf = true;
		res->Scopes[n].ScopeDef = conf ?
		    tt__ScopeDefinition__Configurable :
		    tt__ScopeDefinition__Fixed;
		res->Scopes[n].ScopeItem = sdup(soap, tok);
		fixed += !conf;
		n++;
	}
	res->__sizeScopes = n;
	return SOAP_OK;
}

/* ONVIF tds:SetScopes. */
OP_BODY(tds, SetScopes)
{
	int i;

	if (req->__sizeScopes > SIM_MAX_SCOPES)
		return sim_soap_fault(soap, false, "ter:Action",
		    "ter:TooManyScopes", "Too many scopes");
	for (i = 0; i < req->__sizeScopes; i++) {
		const char *s = req->Scopes[i];

		if (s == NULL || strncmp(s, "onvif://www.onvif.org/", 22) != 0 ||
		    strlen(s) >= sizeof cam->cfg.scopes[0] || strchr(s, ' '))
			return sim_soap_fault(soap, true,
			    "ter:OperationProhibited", "ter:ScopeOverwrite",
			    "Scope not valid or not configurable");
		if (strncmp(s + 22, "Profile/", 8) == 0 ||
		    strncmp(s + 22, "type/", 5) == 0 ||
		    strncmp(s + 22, "hardware/", 9) == 0)
			return sim_soap_fault(soap, true,
			    "ter:OperationProhibited", "ter:ScopeOverwrite",
			    "Fixed scopes cannot be overwritten");
	}
	pthread_mutex_lock(&cam->lock);
	cam->cfg.nscopes = req->__sizeScopes;
	for (i = 0; i < req->__sizeScopes; i++)
		snprintf(cam->cfg.scopes[i], sizeof cam->cfg.scopes[i], "%s",
		    req->Scopes[i]);
	cam->metadata_version++;
	cam->dirty = true;
	pthread_mutex_unlock(&cam->lock);
	sim_wsd_hello(cam);
	return SOAP_OK;
}

/* ONVIF tds:GetHostname. */
OP_BODY(tds, GetHostname)
{
	res->HostnameInformation = ZNEW(soap, struct tt__HostnameInformation);
	res->HostnameInformation->FromDHCP = cam->cfg.hostname_dhcp ?
	    xsd__boolean__true_ : xsd__boolean__false_;
	res->HostnameInformation->Name = sdup(soap, cam->cfg.hostname);
	return SOAP_OK;
}

/* ONVIF tds:SetHostname. */
OP_BODY(tds, SetHostname)
{
	const char *s;

	s = req->Name;
	if (s == NULL || *s == '\0' || strlen(s) > 63 || *s == '-')
		return invalid_arg(soap, "ter:InvalidHostname",
		    "Invalid host name");
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '.')
			return invalid_arg(soap, "ter:InvalidHostname",
			    "Invalid host name");
	snprintf(cam->cfg.hostname, sizeof cam->cfg.hostname, "%s", req->Name);
	cam->cfg.hostname_dhcp = false;
	cam->dirty = true;
	return SOAP_OK;
}

/* ONVIF tds:GetNetworkInterfaces. */
OP_BODY(tds, GetNetworkInterfaces)
{
	struct tt__NetworkInterface *ni;
	struct tt__IPv4Configuration *c;
	struct tt__PrefixedIPv4Address *a;

	ni = ZNEW(soap, struct tt__NetworkInterface);
	ni->token = sdup(soap, "eth0");
	ni->Enabled = xsd__boolean__true_;
	ni->Info = ZNEW(soap, struct tt__NetworkInterfaceInfo);
	ni->Info->Name = sdup(soap, "eth0");
	ni->Info->MTU = xint(soap, 1500);
	ni->IPv4 = ZNEW(soap, struct tt__IPv4NetworkInterface);
	ni->IPv4->Enabled = xsd__boolean__true_;
	c = ni->IPv4->Config = ZNEW(soap, struct tt__IPv4Configuration);
	a = ZNEW(soap, struct tt__PrefixedIPv4Address);
	ni->Info->HwAddress = sdup(soap, cam->mac);
	a->Address = sdup(soap, cam->serve_addr);
	a->PrefixLength = cam->cfg.prefix;
	if (cam->cfg.dhcp) {
		c->DHCP = xsd__boolean__true_;
		c->FromDHCP = a;
	} else {
		c->__sizeManual = 1;
		c->Manual = a;
	}
	res->__sizeNetworkInterfaces = 1;
	res->NetworkInterfaces = ni;
	return SOAP_OK;
}

/* ONVIF tds:SetNetworkInterfaces. */
OP_BODY(tds, SetNetworkInterfaces)
{
	struct tt__IPv4NetworkInterfaceSetConfiguration *v4;
	struct in_addr in;
	const char *addr = NULL;
	int prefix = -1;
	bool dhcp, changed, vanish;

	if (req->InterfaceToken == NULL || strcmp(req->InterfaceToken, "eth0"))
		return invalid_arg(soap, "ter:InvalidNetworkInterface",
		    "No such network interface");
	if (req->NetworkInterface == NULL)
		return invalid_arg(soap, "ter:InvalidNetworkInterface",
		    "NetworkInterface missing");
	if (req->NetworkInterface->MTU != NULL &&
	    (*req->NetworkInterface->MTU < 576 ||
	    *req->NetworkInterface->MTU > 1500))
		return invalid_arg(soap, "ter:InvalidMtuValue", "Invalid MTU");
	if (req->NetworkInterface->IPv6 != NULL &&
	    req->NetworkInterface->IPv4 == NULL)
		return sim_soap_fault(soap, false, "ter:ActionNotSupported",
		    "ter:IPv6NotSupported", "IPv6 is not supported");
	v4 = req->NetworkInterface->IPv4;
	pthread_mutex_lock(&cam->lock);
	dhcp = cam->cfg.dhcp;
	pthread_mutex_unlock(&cam->lock);
	if (v4 != NULL) {
		if (v4->DHCP != NULL)
			dhcp = *v4->DHCP == xsd__boolean__true_;
		if (v4->__sizeManual > 1)
			return invalid_arg(soap, "ter:InvalidIPv4Address",
			    "One manual address only");
		if (v4->__sizeManual == 1) {
			addr = v4->Manual[0].Address;
			prefix = v4->Manual[0].PrefixLength;
			/* the simulated LAN is 127.0.0.0/8: every address
			 * there is local, so a camera can move within it */
			if (addr == NULL || inet_pton(AF_INET, addr, &in) != 1 ||
			    (ntohl(in.s_addr) >> 24) != 127 ||
			    (ntohl(in.s_addr) & 0xffffff) == 0 ||
			    (ntohl(in.s_addr) & 0xffffff) == 0xffffff)
				return invalid_arg(soap,
				    "ter:InvalidIPv4Address",
				    "Invalid IPv4 address (the simulated LAN "
				    "is 127.0.0.0/8)");
			if (prefix < 1 || prefix > 32)
				return invalid_arg(soap,
				    "ter:InvalidIPv4Address",
				    "Invalid prefix length");
		} else if (!dhcp)
			return invalid_arg(soap, "ter:InvalidIPv4Address",
			    "Static addressing without an address");
	}
	pthread_mutex_lock(&cam->lock);
	changed = (addr != NULL && strcmp(addr, cam->cfg.addr) != 0) ||
	    dhcp != cam->cfg.dhcp;
	if (addr != NULL)
		snprintf(cam->cfg.addr, sizeof cam->cfg.addr, "%s", addr);
	if (prefix > 0)
		cam->cfg.prefix = prefix;
	cam->cfg.dhcp = dhcp;
	cam->dirty = true;
	vanish = cam->fault.vanish;
	pthread_mutex_unlock(&cam->lock);
	if (vanish) {
		/* the quirk: a happy answer, then nothing, anywhere */
		res->RebootNeeded = xsd__boolean__false_;
		pthread_mutex_lock(&cam->lock);
		cam->gone = true;
		pthread_mutex_unlock(&cam->lock);
		log_info("sim: camera %d: SetNetworkInterfaces, vanishing",
		    cam->index);
		return SOAP_OK;
	}
	res->RebootNeeded = changed ? xsd__boolean__true_ :
	    xsd__boolean__false_;
	if (changed) {
		log_info("sim: camera %d: new address %s, rebooting",
		    cam->index, addr != NULL ? addr : "(DHCP)");
		sim_camera_schedule_reboot(cam, 300);
	}
	return SOAP_OK;
}

/* ONVIF tds:GetNetworkProtocols. */
OP_BODY(tds, GetNetworkProtocols)
{
	struct tt__NetworkProtocol *p;

	p = zalloc(soap, 3 * sizeof *p);
	p[0].Name = tt__NetworkProtocolType__HTTP;
	p[0].Enabled = sim_camera_tls(cam) ? xsd__boolean__false_ :
	    xsd__boolean__true_;
	p[0].__sizePort = 1;
	p[0].Port = xint(soap, cam->fault.port ? cam->fault.port :
	    cam->cfg.http_port);
	p[1].Name = tt__NetworkProtocolType__HTTPS;
	p[1].Enabled = sim_camera_tls(cam) ? xsd__boolean__true_ :
	    xsd__boolean__false_;
	p[1].__sizePort = 1;
	p[1].Port = xint(soap, cam->cfg.https_port);
	p[2].Name = tt__NetworkProtocolType__RTSP;
	p[2].Enabled = cam->cfg.rtsp_on ? xsd__boolean__true_ :
	    xsd__boolean__false_;
	p[2].__sizePort = 1;
	p[2].Port = xint(soap, cam->cfg.rtsp_port);
	res->__sizeNetworkProtocols = 3;
	res->NetworkProtocols = p;
	return SOAP_OK;
}

/* ONVIF tds:SetNetworkProtocols. */
OP_BODY(tds, SetNetworkProtocols)
{
	int i, http_port = 0;

	for (i = 0; i < req->__sizeNetworkProtocols; i++) {
		struct tt__NetworkProtocol *p = &req->NetworkProtocols[i];

		if (p->__sizePort < 1 || p->Port[0] < 1 || p->Port[0] > 65535)
			return invalid_arg(soap, "ter:InvalidArgs",
			    "Invalid port");
		if (p->Name == tt__NetworkProtocolType__RTSP &&
		    p->Port[0] != sim_site.rtsp_port)
			return invalid_arg(soap, "ter:InvalidArgs",
			    "The RTSP port cannot be changed on this model");
		if (p->Name == tt__NetworkProtocolType__HTTP &&
		    p->Enabled == xsd__boolean__true_)
			http_port = p->Port[0];
		if (p->Name == tt__NetworkProtocolType__HTTP &&
		    p->Enabled == xsd__boolean__false_)
			return sim_soap_fault(soap, true,
			    "ter:OperationProhibited", NULL,
			    "Disabling HTTP would lock the client out");
	}
	for (i = 0; i < req->__sizeNetworkProtocols; i++)
		if (req->NetworkProtocols[i].Name ==
		    tt__NetworkProtocolType__HTTPS)
			cam->cfg.https_port = req->NetworkProtocols[i].Port[0];
	if (http_port > 0)
		cam->cfg.http_port = http_port;	/* the server rebinds */
	cam->dirty = true;
	return SOAP_OK;
}

/* ONVIF tds:GetNetworkDefaultGateway. */
OP_BODY(tds, GetNetworkDefaultGateway)
{
	struct tt__NetworkGateway *g;

	g = ZNEW(soap, struct tt__NetworkGateway);
	if (cam->cfg.gateway[0] != '\0') {
		g->__sizeIPv4Address = 1;
		g->IPv4Address = zalloc(soap, sizeof(char *));
		g->IPv4Address[0] = sdup(soap, cam->cfg.gateway);
	}
	res->NetworkGateway = g;
	return SOAP_OK;
}

/* ONVIF tds:SetNetworkDefaultGateway. */
OP_BODY(tds, SetNetworkDefaultGateway)
{
	if (req->__sizeIPv4Address > 1 || (req->__sizeIPv4Address == 1 &&
	    !valid_ipv4(req->IPv4Address[0])))
		return invalid_arg(soap, "ter:InvalidGatewayAddress",
		    "Invalid gateway address");
	snprintf(cam->cfg.gateway, sizeof cam->cfg.gateway, "%s",
	    req->__sizeIPv4Address == 1 ? req->IPv4Address[0] : "");
	cam->dirty = true;
	return SOAP_OK;
}

/* ONVIF tds:GetDNS. */
OP_BODY(tds, GetDNS)
{
	struct tt__DNSInformation *d;
	int i;

	d = ZNEW(soap, struct tt__DNSInformation);
	d->FromDHCP = cam->cfg.dns_dhcp ? xsd__boolean__true_ :
	    xsd__boolean__false_;
	if (cam->cfg.search[0] != '\0') {
		d->__sizeSearchDomain = 1;
		d->SearchDomain = zalloc(soap, sizeof(char *));
		d->SearchDomain[0] = sdup(soap, cam->cfg.search);
	}
	d->__sizeDNSManual = cam->cfg.ndns;
	d->DNSManual = zalloc(soap, (cam->cfg.ndns + 1) * sizeof *d->DNSManual);
	for (i = 0; i < cam->cfg.ndns; i++) {
		d->DNSManual[i].Type = tt__IPType__IPv4;
		d->DNSManual[i].IPv4Address = sdup(soap, cam->cfg.dns[i]);
	}
	res->DNSInformation = d;
	return SOAP_OK;
}

/* ONVIF tds:SetDNS. */
OP_BODY(tds, SetDNS)
{
	int i;

	if (req->__sizeDNSManual > 2)
		return invalid_arg(soap, "ter:InvalidIPv4Address",
		    "At most 2 DNS servers");
	for (i = 0; i < req->__sizeDNSManual; i++)
		if (req->DNSManual[i].Type != tt__IPType__IPv4 ||
		    !valid_ipv4(req->DNSManual[i].IPv4Address))
			return invalid_arg(soap, "ter:InvalidIPv4Address",
			    "Invalid DNS server address");
	if (req->__sizeSearchDomain > 1 || (req->__sizeSearchDomain == 1 &&
	    (req->SearchDomain[0] == NULL || strlen(req->SearchDomain[0]) >= 64)))
		return invalid_arg(soap, "ter:InvalidArgs",
		    "One search domain, shorter than 64 characters");
	cam->cfg.dns_dhcp = req->FromDHCP == xsd__boolean__true_;
	cam->cfg.ndns = req->__sizeDNSManual;
	for (i = 0; i < req->__sizeDNSManual; i++)
		snprintf(cam->cfg.dns[i], sizeof cam->cfg.dns[i], "%s",
		    req->DNSManual[i].IPv4Address);
	snprintf(cam->cfg.search, sizeof cam->cfg.search, "%s",
	    req->__sizeSearchDomain == 1 ? req->SearchDomain[0] : "");
	cam->dirty = true;
	return SOAP_OK;
}

/* ONVIF tds:GetUsers. */
OP_BODY(tds, GetUsers)
{
	int i;

	res->__sizeUser = cam->cfg.nusers;
	res->User = zalloc(soap, (cam->cfg.nusers + 1) * sizeof *res->User);
	for (i = 0; i < cam->cfg.nusers; i++) {
		res->User[i].Username = sdup(soap, cam->cfg.users[i].name);
		res->User[i].UserLevel = cam->cfg.users[i].level;
	}
	return SOAP_OK;
}

/* Validate one tt:User for CreateUsers/SetUser; fault or SOAP_OK. */
static int
user_check(struct soap *soap, struct sim_camera *cam, struct tt__User *u,
    bool create)
{
	const char *why;

	if (u->Username == NULL || u->Username[0] == '\0')
		return sim_soap_fault(soap, true, "ter:OperationProhibited",
		    "ter:UsernameTooShort", "User name too short");
	if (strlen(u->Username) > SIM_USER_MAX)
		return sim_soap_fault(soap, true, "ter:OperationProhibited",
		    "ter:UsernameTooLong", "User name too long");
	if (u->UserLevel == tt__UserLevel__Anonymous ||
	    u->UserLevel == tt__UserLevel__Extended)
		return sim_soap_fault(soap, true, "ter:OperationProhibited",
		    "ter:AnonymousNotAllowed", "User level not allowed");
	if (u->Password == NULL) {
		if (create)
			return sim_soap_fault(soap, true,
			    "ter:OperationProhibited", "ter:PasswordTooWeak",
			    "A password is required");
		return SOAP_OK;
	}
	if (strlen(u->Password) > SIM_PASS_MAX)
		return sim_soap_fault(soap, true, "ter:OperationProhibited",
		    "ter:PasswordTooLong", "Password too long");
	why = sim_auth_password_policy(cam->p, u->Username, u->Password);
	if (why != NULL)
		return sim_soap_fault(soap, true, "ter:OperationProhibited",
		    "ter:PasswordTooWeak", why);
	return SOAP_OK;
}

/* ONVIF tds:CreateUsers. */
OP_BODY(tds, CreateUsers)
{
	bool factory, admin = false;
	int err, i, j;

	if (req->__sizeUser < 1)
		return invalid_arg(soap, "ter:InvalidArgs", "No user given");
	for (i = 0; i < req->__sizeUser; i++) {
		if ((err = user_check(soap, cam, &req->User[i], true)) !=
		    SOAP_OK)
			return err;
		if (req->User[i].UserLevel == tt__UserLevel__Administrator)
			admin = true;
		for (j = 0; j < i; j++)
			if (!strcmp(req->User[i].Username,
			    req->User[j].Username))
				return sim_soap_fault(soap, true,
				    "ter:OperationProhibited",
				    "ter:UsernameClash", "User name twice");
	}
	pthread_mutex_lock(&cam->lock);
	factory = sim_camera_factory(cam);
	if (factory && !admin) {
		pthread_mutex_unlock(&cam->lock);
		return sim_soap_fault(soap, true, "ter:OperationProhibited",
		    "ter:AdministratorRequired", "The first user must be an "
		    "administrator");
	}
	if (cam->cfg.nusers + req->__sizeUser > SIM_MAX_USERS) {
		pthread_mutex_unlock(&cam->lock);
		return sim_soap_fault(soap, false, "ter:Action",
		    "ter:TooManyUsers", "Too many users");
	}
	for (i = 0; i < req->__sizeUser; i++)
		for (j = 0; j < cam->cfg.nusers; j++)
			if (!strcmp(req->User[i].Username,
			    cam->cfg.users[j].name)) {
				pthread_mutex_unlock(&cam->lock);
				return sim_soap_fault(soap, true,
				    "ter:OperationProhibited",
				    "ter:UsernameClash", "User already exists");
			}
	for (i = 0; i < req->__sizeUser; i++) {
		struct sim_user *u = &cam->cfg.users[cam->cfg.nusers++];

		snprintf(u->name, sizeof u->name, "%s", req->User[i].Username);
		snprintf(u->password, sizeof u->password, "%s",
		    req->User[i].Password);
		u->level = req->User[i].UserLevel;
	}
	if (factory)
		cam->metadata_version++;	/* scopes change */
	sim_camera_sync_credentials(cam);
	cam->dirty = true;
	pthread_mutex_unlock(&cam->lock);
	if (factory) {
		log_info("sim: camera %d activated", cam->index);
		sim_wsd_hello(cam);
	}
	return SOAP_OK;
}

/* ONVIF tds:DeleteUsers. */
OP_BODY(tds, DeleteUsers)
{
	struct sim_user keep[SIM_MAX_USERS];
	int i, j, n = 0, admins = 0;

	for (i = 0; i < req->__sizeUsername; i++) {
		for (j = 0; j < cam->cfg.nusers; j++)
			if (req->Username[i] != NULL &&
			    !strcmp(req->Username[i], cam->cfg.users[j].name))
				break;
		if (j == cam->cfg.nusers)
			return invalid_arg(soap, "ter:UsernameMissing",
			    "No such user");
	}
	for (j = 0; j < cam->cfg.nusers; j++) {
		bool del = false;

		for (i = 0; i < req->__sizeUsername; i++)
			if (!strcmp(req->Username[i], cam->cfg.users[j].name))
				del = true;
		if (!del) {
			keep[n++] = cam->cfg.users[j];
			admins += cam->cfg.users[j].level == SIM_LEVEL_ADMIN;
		}
	}
	if (admins == 0)
		return sim_soap_fault(soap, true, "ter:OperationProhibited",
		    "ter:FixedUser", "The last administrator cannot be "
		    "deleted");
	memcpy(cam->cfg.users, keep, sizeof keep);
	cam->cfg.nusers = n;
	sim_camera_sync_credentials(cam);
	cam->dirty = true;
	return SOAP_OK;
}

/* ONVIF tds:SetUser. */
OP_BODY(tds, SetUser)
{
	int err, i, j, admins = 0;

	for (i = 0; i < req->__sizeUser; i++)
		if ((err = user_check(soap, cam, &req->User[i], false)) !=
		    SOAP_OK)
			return err;
	for (i = 0; i < req->__sizeUser; i++) {
		for (j = 0; j < cam->cfg.nusers; j++)
			if (!strcmp(req->User[i].Username,
			    cam->cfg.users[j].name))
				break;
		if (j == cam->cfg.nusers)
			return invalid_arg(soap, "ter:UsernameMissing",
			    "No such user");
	}
	for (j = 0; j < cam->cfg.nusers; j++) {
		int level = cam->cfg.users[j].level;

		for (i = 0; i < req->__sizeUser; i++)
			if (!strcmp(req->User[i].Username,
			    cam->cfg.users[j].name))
				level = req->User[i].UserLevel;
		admins += level == SIM_LEVEL_ADMIN;
	}
	if (admins == 0)
		return sim_soap_fault(soap, true, "ter:OperationProhibited",
		    "ter:FixedUser", "At least one administrator must stay");
	for (i = 0; i < req->__sizeUser; i++)
		for (j = 0; j < cam->cfg.nusers; j++) {
			struct sim_user *u = &cam->cfg.users[j];

			if (strcmp(req->User[i].Username, u->name))
				continue;
			if (req->User[i].Password != NULL)
				snprintf(u->password, sizeof u->password, "%s",
				    req->User[i].Password);
			u->level = req->User[i].UserLevel;
		}
	sim_camera_sync_credentials(cam);
	cam->dirty = true;
	return SOAP_OK;
}

/* ONVIF tds:SystemReboot. */
OP_BODY(tds, SystemReboot)
{
	char msg[64];

	snprintf(msg, sizeof msg, "Rebooting in %d seconds",
	    (sim_site.reboot_ms + 999) / 1000);
	res->Message = sdup(soap, msg);
	log_info("sim: camera %d: SystemReboot", cam->index);
	sim_camera_schedule_reboot(cam, 300);
	return SOAP_OK;
}

/* ---- media (ver10) ---------------------------------------------------- */

/* The stream index of a profile or encoder token, -1 if unknown. */
static int
stream_of(const struct sim_camera *cam, const char *token, bool venc)
{
	int i;

	if (token == NULL)
		return -1;
	for (i = 0; i < 2; i++)
		if (!strcmp(token, venc ? cam->p->venc_token[i] :
		    cam->p->profile_token[i]))
			return i;
	return -1;
}

static const char *
h264_profile_name(enum tt__H264Profile p)
{
	switch (p) {
	case tt__H264Profile__Baseline:
		return "baseline";
	case tt__H264Profile__High:
		return "high";
	default:
		return "main";
	}
}

static enum tt__H264Profile
h264_profile_enum(const char *s)
{
	if (!strcmp(s, "baseline"))
		return tt__H264Profile__Baseline;
	if (!strcmp(s, "high"))
		return tt__H264Profile__High;
	return tt__H264Profile__Main;
}

static struct tt__VideoSourceConfiguration *
media_vsc(struct soap *soap, const struct sim_camera *cam)
{
	struct tt__VideoSourceConfiguration *v;

	v = ZNEW(soap, struct tt__VideoSourceConfiguration);
	v->Name = sdup(soap, "VideoSourceConfig");
	v->UseCount = 2;
	v->token = sdup(soap, "VideoSourceToken");
	v->SourceToken = sdup(soap, "VideoSource_1");
	v->Bounds = ZNEW(soap, struct tt__IntRectangle);
	v->Bounds->width = cam->p->res[0][0].w;
	v->Bounds->height = cam->p->res[0][0].h;
	return v;
}

static struct tt__MulticastConfiguration *
media_multicast(struct soap *soap)
{
	struct tt__MulticastConfiguration *m;

	m = ZNEW(soap, struct tt__MulticastConfiguration);
	m->Address = ZNEW(soap, struct tt__IPAddress);
	m->Address->Type = tt__IPType__IPv4;
	m->Address->IPv4Address = sdup(soap, "0.0.0.0");
	return m;
}

/* Media ver10 view of stream i (H.265 streams show as H264: the ver10
 * enumeration has no H.265, a known camera quirk). Caller holds lock. */
static void
media_vec_fill(struct soap *soap, const struct sim_camera *cam, int i,
    struct tt__VideoEncoderConfiguration *v)
{
	const struct sim_stream_cfg *s = &cam->cfg.stream[i];

	v->Name = sdup(soap, cam->p->venc_token[i]);
	v->UseCount = 1;
	v->token = sdup(soap, cam->p->venc_token[i]);
	v->Encoding = tt__VideoEncoding__H264;
	v->Resolution = ZNEW(soap, struct tt__VideoResolution);
	v->Resolution->Width = s->width;
	v->Resolution->Height = s->height;
	v->Quality = (float)cam->cfg.quality[i];
	v->RateControl = ZNEW(soap, struct tt__VideoRateControl);
	v->RateControl->FrameRateLimit = s->fps;
	v->RateControl->EncodingInterval = 1;
	v->RateControl->BitrateLimit = s->bitrate_kbps;
	v->H264 = ZNEW(soap, struct tt__H264Configuration);
	v->H264->GovLength = s->gop;
	v->H264->H264Profile = h264_profile_enum(s->profile);
	v->Multicast = media_multicast(soap);
	v->SessionTimeout = sdup(soap, "PT60S");
}

/* Media ver10 profile i. Caller holds lock. */
static void
media_profile_fill(struct soap *soap, const struct sim_camera *cam, int i,
    struct tt__Profile *p)
{
	p->token = sdup(soap, cam->p->profile_token[i]);
	p->Name = sdup(soap, cam->p->profile_name[i]);
	p->fixed = xbool(soap, true);
	p->VideoSourceConfiguration = media_vsc(soap, cam);
	p->VideoEncoderConfiguration = ZNEW(soap,
	    struct tt__VideoEncoderConfiguration);
	media_vec_fill(soap, cam, i, p->VideoEncoderConfiguration);
}

/* ONVIF trt:GetProfiles. */
OP_BODY(trt, GetProfiles)
{
	int i;

	res->__sizeProfiles = 2;
	res->Profiles = zalloc(soap, 2 * sizeof *res->Profiles);
	for (i = 0; i < 2; i++)
		media_profile_fill(soap, cam, i, &res->Profiles[i]);
	return SOAP_OK;
}

/* ONVIF trt:GetProfile (onvif-util asks for it before GetStreamUri). */
OP_BODY(trt, GetProfile)
{
	int i;

	if ((i = stream_of(cam, req->ProfileToken, false)) < 0)
		return invalid_arg(soap, "ter:NoProfile", "No such profile");
	res->Profile = ZNEW(soap, struct tt__Profile);
	media_profile_fill(soap, cam, i, res->Profile);
	return SOAP_OK;
}

/* ONVIF trt:GetStreamUri. */
OP_BODY(trt, GetStreamUri)
{
	int i;

	if ((i = stream_of(cam, req->ProfileToken, false)) < 0)
		return invalid_arg(soap, "ter:NoProfile", "No such profile");
	if (req->StreamSetup != NULL &&
	    req->StreamSetup->Stream == tt__StreamType__RTP_Multicast)
		return invalid_arg(soap, "ter:InvalidStreamSetup",
		    "Multicast streaming is not supported");
	res->MediaUri = ZNEW(soap, struct tt__MediaUri);
	res->MediaUri->Uri = sdup(soap, sim_media_stream_uri(cam->index, i));
	res->MediaUri->Timeout = sdup(soap, "PT60S");
	return SOAP_OK;
}

/* ONVIF trt:GetSnapshotUri. */
OP_BODY(trt, GetSnapshotUri)
{
	if (stream_of(cam, req->ProfileToken, false) < 0)
		return invalid_arg(soap, "ter:NoProfile", "No such profile");
	res->MediaUri = ZNEW(soap, struct tt__MediaUri);
	res->MediaUri->Uri = sdup(soap, sim_media_snapshot_uri(cam->index));
	res->MediaUri->Timeout = sdup(soap, "PT60S");
	return SOAP_OK;
}

/* ONVIF trt:GetVideoSources. */
OP_BODY(trt, GetVideoSources)
{
	struct tt__VideoSource *v;

	v = ZNEW(soap, struct tt__VideoSource);
	v->token = sdup(soap, "VideoSource_1");
	v->Framerate = (float)cam->p->fps_max[0];
	v->Resolution = ZNEW(soap, struct tt__VideoResolution);
	v->Resolution->Width = cam->p->res[0][0].w;
	v->Resolution->Height = cam->p->res[0][0].h;
	res->__sizeVideoSources = 1;
	res->VideoSources = v;
	return SOAP_OK;
}

/* ONVIF trt:GetVideoEncoderConfigurations. */
OP_BODY(trt, GetVideoEncoderConfigurations)
{
	int i;

	res->__sizeConfigurations = 2;
	res->Configurations = zalloc(soap, 2 * sizeof *res->Configurations);
	for (i = 0; i < 2; i++)
		media_vec_fill(soap, cam, i, &res->Configurations[i]);
	return SOAP_OK;
}

/* ONVIF trt:GetVideoEncoderConfiguration. */
OP_BODY(trt, GetVideoEncoderConfiguration)
{
	int i;

	if ((i = stream_of(cam, req->ConfigurationToken, true)) < 0)
		return invalid_arg(soap, "ter:NoConfig",
		    "No such encoder configuration");
	res->Configuration = ZNEW(soap, struct tt__VideoEncoderConfiguration);
	media_vec_fill(soap, cam, i, res->Configuration);
	return SOAP_OK;
}

/* Resolutions of stream i as an ONVIF array. */
static struct tt__VideoResolution *
media_resolutions(struct soap *soap, const struct sim_camera *cam, int i)
{
	struct tt__VideoResolution *r;
	int k;

	r = zalloc(soap, cam->p->nres[i] * sizeof *r);
	for (k = 0; k < cam->p->nres[i]; k++) {
		r[k].Width = cam->p->res[i][k].w;
		r[k].Height = cam->p->res[i][k].h;
	}
	return r;
}

static struct tt__IntRange *
irange(struct soap *soap, int lo, int hi)
{
	struct tt__IntRange *r = ZNEW(soap, struct tt__IntRange);

	r->Min = lo;
	r->Max = hi;
	return r;
}

/* ONVIF trt:GetVideoEncoderConfigurationOptions. */
OP_BODY(trt, GetVideoEncoderConfigurationOptions)
{
	struct tt__VideoEncoderConfigurationOptions *o;
	struct tt__H264Options2 *h2;
	enum tt__H264Profile *prof;
	int i = 0;

	if (req->ConfigurationToken != NULL &&
	    (i = stream_of(cam, req->ConfigurationToken, true)) < 0)
		return invalid_arg(soap, "ter:NoConfig",
		    "No such encoder configuration");
	if (req->ConfigurationToken == NULL && req->ProfileToken != NULL &&
	    (i = stream_of(cam, req->ProfileToken, false)) < 0)
		return invalid_arg(soap, "ter:NoProfile", "No such profile");
	o = ZNEW(soap, struct tt__VideoEncoderConfigurationOptions);
	o->QualityRange = irange(soap, 1, 100);
	o->H264 = ZNEW(soap, struct tt__H264Options);
	o->H264->__sizeResolutionsAvailable = cam->p->nres[i];
	o->H264->ResolutionsAvailable = media_resolutions(soap, cam, i);
	o->H264->GovLengthRange = irange(soap, 1, cam->p->gop_max);
	o->H264->FrameRateRange = irange(soap, 1, cam->p->fps_max[i]);
	o->H264->EncodingIntervalRange = irange(soap, 1, 1);
	prof = zalloc(soap, 3 * sizeof *prof);
	prof[0] = tt__H264Profile__Baseline;
	prof[1] = tt__H264Profile__Main;
	prof[2] = tt__H264Profile__High;
	o->H264->__sizeH264ProfilesSupported = 3;
	o->H264->H264ProfilesSupported = prof;
	o->Extension = ZNEW(soap, struct tt__VideoEncoderOptionsExtension);
	h2 = o->Extension->H264 = ZNEW(soap, struct tt__H264Options2);
	h2->__sizeResolutionsAvailable = o->H264->__sizeResolutionsAvailable;
	h2->ResolutionsAvailable = o->H264->ResolutionsAvailable;
	h2->GovLengthRange = o->H264->GovLengthRange;
	h2->FrameRateRange = o->H264->FrameRateRange;
	h2->EncodingIntervalRange = o->H264->EncodingIntervalRange;
	h2->__sizeH264ProfilesSupported = 3;
	h2->H264ProfilesSupported = prof;
	h2->BitrateRange = irange(soap, cam->p->br_min, cam->p->br_max);
	o->GuaranteedFrameRateSupported = xbool(soap, false);
	res->Options = o;
	return SOAP_OK;
}

/* Check a wanted stream against the model's options; NULL if fine. */
static const char *
media_validate(const struct sim_camera *cam, int i,
    const struct sim_stream_cfg *s)
{
	int k;

	for (k = 0; k < cam->p->nres[i]; k++)
		if (cam->p->res[i][k].w == s->width &&
		    cam->p->res[i][k].h == s->height)
			break;
	if (k == cam->p->nres[i])
		return "Resolution not supported by this encoder";
	if (s->fps < 1 || s->fps > cam->p->fps_max[i])
		return "Frame rate out of range";
	if (s->gop < 1 || s->gop > cam->p->gop_max)
		return "GOP length out of range";
	if (s->bitrate_kbps < cam->p->br_min || s->bitrate_kbps > cam->p->br_max)
		return "Bit rate out of range";
	if (s->codec == SIM_CODEC_H265 && !cam->p->h265)
		return "H.265 is not supported by this model";
	return NULL;
}

/* Apply a validated stream configuration. */
static void
media_apply(struct sim_camera *cam, int i, const struct sim_stream_cfg *s,
    int quality)
{
	char *cause = NULL;
	bool ignore;

	pthread_mutex_lock(&cam->lock);
	ignore = cam->fault.ignore_venc;
	if (!ignore) {
		cam->cfg.stream[i] = *s;
		cam->cfg.quality[i] = quality;
		cam->dirty = true;
	}
	pthread_mutex_unlock(&cam->lock);
	if (ignore) {
		log_info("sim: camera %d: encoder change accepted and ignored "
		    "(quirk)", cam->index);
		return;
	}
	if (sim_media_set_stream(cam->index, i, s, &cause) != 0) {
		log_warn("sim: camera %d: stream %d: %s", cam->index, i,
		    cause != NULL ? cause : "media error");
		free(cause);
	}
}

/* Clamp a float quality into the ONVIF 1..100 range we advertise. */
static int
quality_of(float q)
{
	if (!(q >= 1.0f))
		return 1;
	if (q > 100.0f)
		return 100;
	return (int)q;
}

/* ONVIF trt:SetVideoEncoderConfiguration. */
OP_BODY(trt, SetVideoEncoderConfiguration)
{
	struct tt__VideoEncoderConfiguration *c = req->Configuration;
	struct sim_stream_cfg s;
	const char *why;
	int i;

	if (c == NULL || (i = stream_of(cam, c->token, true)) < 0)
		return invalid_arg(soap, "ter:NoConfig",
		    "No such encoder configuration");
	if (c->Encoding != tt__VideoEncoding__H264)
		return invalid_arg(soap, "ter:ConfigModify",
		    "Only H264 is supported through Media ver10");
	if (c->Resolution == NULL)
		return invalid_arg(soap, "ter:ConfigModify",
		    "Resolution missing");
	pthread_mutex_lock(&cam->lock);
	s = cam->cfg.stream[i];
	pthread_mutex_unlock(&cam->lock);
	s.codec = SIM_CODEC_H264;
	s.width = c->Resolution->Width;
	s.height = c->Resolution->Height;
	if (c->RateControl != NULL) {
		s.fps = c->RateControl->FrameRateLimit;
		s.bitrate_kbps = c->RateControl->BitrateLimit;
		if (c->RateControl->EncodingInterval != 1)
			return invalid_arg(soap, "ter:ConfigModify",
			    "EncodingInterval must be 1");
	}
	if (c->H264 != NULL) {
		s.gop = c->H264->GovLength;
		if (c->H264->H264Profile == tt__H264Profile__Extended)
			return invalid_arg(soap, "ter:ConfigModify",
			    "H.264 Extended profile not supported");
		snprintf(s.profile, sizeof s.profile, "%s",
		    h264_profile_name(c->H264->H264Profile));
	}
	if ((why = media_validate(cam, i, &s)) != NULL)
		return invalid_arg(soap, "ter:ConfigModify", why);
	media_apply(cam, i, &s, quality_of(c->Quality));
	return SOAP_OK;
}

/* ---- media2 (ver20) ----------------------------------------------------- */

/* Media2 view of stream i. Caller holds lock. */
static void
media2_vec_fill(struct soap *soap, const struct sim_camera *cam, int i,
    struct tt__VideoEncoder2Configuration *v)
{
	const struct sim_stream_cfg *s = &cam->cfg.stream[i];
	char prof[16];

	v->Name = sdup(soap, cam->p->venc_token[i]);
	v->UseCount = 1;
	v->token = sdup(soap, cam->p->venc_token[i]);
	v->Encoding = sdup(soap, s->codec == SIM_CODEC_H265 ? "H265" : "H264");
	v->Resolution = ZNEW(soap, struct tt__VideoResolution2);
	v->Resolution->Width = s->width;
	v->Resolution->Height = s->height;
	v->RateControl = ZNEW(soap, struct tt__VideoRateControl2);
	v->RateControl->FrameRateLimit = (float)s->fps;
	v->RateControl->BitrateLimit = s->bitrate_kbps;
	v->RateControl->ConstantBitRate = xbool(soap, false);
	v->Multicast = media_multicast(soap);
	v->Quality = (float)cam->cfg.quality[i];
	v->GovLength = xint(soap, s->gop);
	snprintf(prof, sizeof prof, "%s", s->codec == SIM_CODEC_H265 ? "main" :
	    s->profile);
	prof[0] = (char)toupper((unsigned char)prof[0]);
	v->Profile = sdup(soap, prof);
}

/* ONVIF tr2:GetProfiles. */
OP_BODY(tr2, GetProfiles)
{
	bool vs = false, ve = false;
	int i, k, n = 0, only = -1;

	if (req->Token != NULL &&
	    (only = stream_of(cam, req->Token, false)) < 0)
		return invalid_arg(soap, "ter:NoProfile", "No such profile");
	for (k = 0; k < req->__sizeType; k++) {
		const char *t = req->Type[k] != NULL ? req->Type[k] : "";

		if (!strcmp(t, "All"))
			vs = ve = true;
		else if (!strcmp(t, "VideoSource"))
			vs = true;
		else if (!strcmp(t, "VideoEncoder"))
			ve = true;
	}
	res->Profiles = zalloc(soap, 2 * sizeof *res->Profiles);
	for (i = 0; i < 2; i++) {
		struct tr2__MediaProfile *p = &res->Profiles[n];

		if (only >= 0 && i != only)
			continue;
		n++;
		p->token = sdup(soap, cam->p->profile_token[i]);
		p->Name = sdup(soap, cam->p->profile_name[i]);
		p->fixed = xbool(soap, true);
		p->Configurations = ZNEW(soap, struct tr2__ConfigurationSet);
		if (vs)
			p->Configurations->VideoSource = media_vsc(soap, cam);
		if (ve) {
			p->Configurations->VideoEncoder = ZNEW(soap,
			    struct tt__VideoEncoder2Configuration);
			media2_vec_fill(soap, cam, i,
			    p->Configurations->VideoEncoder);
		}
	}
	res->__sizeProfiles = n;
	return SOAP_OK;
}

/* Which streams a tr2:GetConfiguration selects: bit 0 main, bit 1 sub;
 * 0 with a fault set when a token is unknown. */
static int
media2_select(struct soap *soap, struct sim_camera *cam,
    struct tr2__GetConfiguration *req)
{
	int i;

	if (req->ConfigurationToken != NULL) {
		if ((i = stream_of(cam, req->ConfigurationToken, true)) < 0) {
			invalid_arg(soap, "ter:NoConfig",
			    "No such encoder configuration");
			return 0;
		}
		return 1 << i;
	}
	if (req->ProfileToken != NULL) {
		if ((i = stream_of(cam, req->ProfileToken, false)) < 0) {
			invalid_arg(soap, "ter:NoProfile", "No such profile");
			return 0;
		}
		return 1 << i;
	}
	return 3;
}

/* ONVIF tr2:GetVideoEncoderConfigurations. */
OP_BODY(tr2, GetVideoEncoderConfigurations)
{
	int i, sel, n = 0;

	if ((sel = media2_select(soap, cam, req)) == 0)
		return SOAP_FAULT;
	res->Configurations = zalloc(soap, 2 * sizeof *res->Configurations);
	for (i = 0; i < 2; i++)
		if (sel & (1 << i))
			media2_vec_fill(soap, cam, i, &res->Configurations[n++]);
	res->__sizeConfigurations = n;
	return SOAP_OK;
}

/* ONVIF tr2:GetVideoEncoderConfigurationOptions. */
OP_BODY(tr2, GetVideoEncoderConfigurationOptions)
{
	static const int rates[] = { 30, 25, 20, 15, 12, 10, 8, 6, 4, 2, 1 };
	char fr[64], gop[32];
	int i, k, n, sel;
	size_t len = 0;

	if ((sel = media2_select(soap, cam, req)) == 0)
		return SOAP_FAULT;
	i = sel == 2 ? 1 : 0;
	fr[0] = '\0';
	for (k = 0; k < (int)(sizeof rates / sizeof rates[0]); k++)
		if (rates[k] <= cam->p->fps_max[i])
			len += (size_t)snprintf(fr + len, sizeof fr - len, "%s%d",
			    len > 0 ? " " : "", rates[k]);
	snprintf(gop, sizeof gop, "1 %d", cam->p->gop_max);
	n = cam->p->h265 ? 2 : 1;
	res->__sizeOptions = n;
	res->Options = zalloc(soap, n * sizeof *res->Options);
	for (k = 0; k < n; k++) {
		struct tt__VideoEncoder2ConfigurationOptions *o =
		    &res->Options[k];

		o->Encoding = sdup(soap, k == 0 ? "H264" : "H265");
		o->QualityRange = ZNEW(soap, struct tt__FloatRange);
		o->QualityRange->Min = 1;
		o->QualityRange->Max = 100;
		o->__sizeResolutionsAvailable = cam->p->nres[i];
		o->ResolutionsAvailable = (struct tt__VideoResolution2 *)
		    media_resolutions(soap, cam, i);
		o->BitrateRange = irange(soap, cam->p->br_min, cam->p->br_max);
		o->GovLengthRange = sdup(soap, gop);
		o->FrameRatesSupported = sdup(soap, fr);
		o->ProfilesSupported = sdup(soap, k == 0 ?
		    "Baseline Main High" : "Main");
		o->ConstantBitRateSupported = xbool(soap, true);
		o->GuaranteedFrameRateSupported = xbool(soap, false);
	}
	return SOAP_OK;
}

/* ONVIF tr2:SetVideoEncoderConfiguration. */
OP_BODY(tr2, SetVideoEncoderConfiguration)
{
	struct tt__VideoEncoder2Configuration *c = req->Configuration;
	struct sim_stream_cfg s;
	const char *why;
	int i;

	if (c == NULL || (i = stream_of(cam, c->token, true)) < 0)
		return invalid_arg(soap, "ter:NoConfig",
		    "No such encoder configuration");
	if (c->Encoding == NULL || c->Resolution == NULL)
		return invalid_arg(soap, "ter:ConfigModify",
		    "Encoding and Resolution are required");
	pthread_mutex_lock(&cam->lock);
	s = cam->cfg.stream[i];
	pthread_mutex_unlock(&cam->lock);
	if (!strcmp(c->Encoding, "H264"))
		s.codec = SIM_CODEC_H264;
	else if (!strcmp(c->Encoding, "H265"))
		s.codec = SIM_CODEC_H265;
	else
		return invalid_arg(soap, "ter:ConfigModify",
		    "Encoding not supported");
	s.width = c->Resolution->Width;
	s.height = c->Resolution->Height;
	if (c->RateControl != NULL) {
		if (c->RateControl->FrameRateLimit !=
		    floorf(c->RateControl->FrameRateLimit))
			return invalid_arg(soap, "ter:ConfigModify",
			    "Frame rate not supported");
		s.fps = (int)c->RateControl->FrameRateLimit;
		s.bitrate_kbps = c->RateControl->BitrateLimit;
	}
	if (c->GovLength != NULL)
		s.gop = *c->GovLength;
	if (c->Profile != NULL) {
		char p[16];
		size_t k;

		snprintf(p, sizeof p, "%s", c->Profile);
		for (k = 0; p[k] != '\0'; k++)
			p[k] = (char)tolower((unsigned char)p[k]);
		if (s.codec == SIM_CODEC_H265 ? strcmp(p, "main") != 0 :
		    (strcmp(p, "baseline") && strcmp(p, "main") &&
		    strcmp(p, "high")))
			return invalid_arg(soap, "ter:ConfigModify",
			    "Profile not supported");
		snprintf(s.profile, sizeof s.profile, "%s", p);
	}
	if ((why = media_validate(cam, i, &s)) != NULL)
		return invalid_arg(soap, "ter:ConfigModify", why);
	media_apply(cam, i, &s, quality_of(c->Quality));
	return SOAP_OK;
}

/* ONVIF tr2:GetStreamUri. */
OP_BODY(tr2, GetStreamUri)
{
	int i;

	if ((i = stream_of(cam, req->ProfileToken, false)) < 0)
		return invalid_arg(soap, "ter:NoProfile", "No such profile");
	if (req->Protocol == NULL || (strcmp(req->Protocol, "RtspUnicast") &&
	    strcmp(req->Protocol, "RTSP") && strcmp(req->Protocol, "RtspOverHttp")))
		return invalid_arg(soap, "ter:InvalidStreamSetup",
		    "Protocol not supported");
	res->Uri = sdup(soap, sim_media_stream_uri(cam->index, i));
	return SOAP_OK;
}

/* ONVIF tr2:GetSnapshotUri. */
OP_BODY(tr2, GetSnapshotUri)
{
	if (stream_of(cam, req->ProfileToken, false) < 0)
		return invalid_arg(soap, "ter:NoProfile", "No such profile");
	res->Uri = sdup(soap, sim_media_snapshot_uri(cam->index));
	return SOAP_OK;
}

/* ---- events ------------------------------------------------------------- */

/* Send a literal SOAP body as the whole answer; SOAP_STOP (answered). */
static int
onvif_send_raw(struct soap *soap, const char *body)
{
	static const char head[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<SOAP-ENV:Envelope"
	    " xmlns:SOAP-ENV=\"http://www.w3.org/2003/05/soap-envelope\""
	    " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
	    " xmlns:tt=\"http://www.onvif.org/ver10/schema\""
	    " xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\""
	    " xmlns:tev=\"http://www.onvif.org/ver10/events/wsdl\""
	    " xmlns:trt=\"http://www.onvif.org/ver10/media/wsdl\""
	    " xmlns:wsnt=\"http://docs.oasis-open.org/wsn/b-2\""
	    " xmlns:wstop=\"http://docs.oasis-open.org/wsn/t-1\""
	    " xmlns:tns1=\"http://www.onvif.org/ver10/topics\">"
	    "<SOAP-ENV:Body>";
	static const char tail[] = "</SOAP-ENV:Body></SOAP-ENV:Envelope>\n";

	soap->http_content = "application/soap+xml; charset=utf-8";
	soap->keep_alive = 0;
	if (soap_response(soap, SOAP_FILE) || soap_send(soap, head) ||
	    soap_send(soap, body) || soap_send(soap, tail) ||
	    soap_end_send(soap))
		return soap->error;
	return soap->error = SOAP_STOP;
}

/* ONVIF tev:GetEventProperties. */
OP_BODY(tev, GetEventProperties)
{
	/* literal, because -x dropped wstop:TopicSet's xsd:any content */
	return onvif_send_raw(soap,
	    "<tev:GetEventPropertiesResponse>"
	    "<tev:TopicNamespaceLocation>http://www.onvif.org/onvif/ver10/"
	    "topics/topicns.xml</tev:TopicNamespaceLocation>"
	    "<wsnt:FixedTopicSet>true</wsnt:FixedTopicSet>"
	    "<wstop:TopicSet>"
	    "<tns1:RuleEngine wstop:topic=\"false\">"
	    "<CellMotionDetector wstop:topic=\"false\">"
	    "<Motion wstop:topic=\"true\">"
	    "<tt:MessageDescription IsProperty=\"true\">"
	    "<tt:Source>"
	    "<tt:SimpleItemDescription Name=\"VideoSourceConfigurationToken\" "
	    "Type=\"tt:ReferenceToken\"/>"
	    "<tt:SimpleItemDescription Name=\"VideoAnalyticsConfigurationToken\" "
	    "Type=\"tt:ReferenceToken\"/>"
	    "<tt:SimpleItemDescription Name=\"Rule\" Type=\"xsd:string\"/>"
	    "</tt:Source>"
	    "<tt:Data>"
	    "<tt:SimpleItemDescription Name=\"IsMotion\" Type=\"xsd:boolean\"/>"
	    "</tt:Data>"
	    "</tt:MessageDescription>"
	    "</Motion></CellMotionDetector></tns1:RuleEngine>"
	    "</wstop:TopicSet>"
	    "<wsnt:TopicExpressionDialect>http://www.onvif.org/ver10/tev/"
	    "topicExpression/ConcreteSet</wsnt:TopicExpressionDialect>"
	    "<wsnt:TopicExpressionDialect>http://docs.oasis-open.org/wsn/t-1/"
	    "TopicExpression/Concrete</wsnt:TopicExpressionDialect>"
	    "<tev:MessageContentFilterDialect>http://www.onvif.org/ver10/tev/"
	    "messageContentFilter/ItemFilter</tev:MessageContentFilterDialect>"
	    "<tev:MessageContentSchemaLocation>http://www.onvif.org/onvif/ver10/"
	    "schema/onvif.xsd</tev:MessageContentSchemaLocation>"
	    "</tev:GetEventPropertiesResponse>");
}

/* Queue an event on one subscription (oldest dropped when full). */
static void
sub_push(struct sim_sub *s, time_t utc, bool motion, int op)
{
	struct sim_event *e;

	if (s->count == SIM_EVQ) {
		s->head = (s->head + 1) % SIM_EVQ;
		s->count--;
	}
	e = &s->q[(s->head + s->count) % SIM_EVQ];
	e->utc = utc;
	e->motion = motion;
	e->op = op;
	s->count++;
}

/* Called with cam->lock held: a motion change reaches every pull point. */
void
sim_onvif_motion_changed(struct sim_camera *cam)
{
	time_t now = sim_camera_time(cam);
	int i;

	for (i = 0; i < SIM_MAX_SUBS; i++)
		if (cam->subs[i].used)
			sub_push(&cam->subs[i], now, cam->motion, 2);
	pthread_cond_broadcast(&cam->cond);
}

/* The subscription addressed by the request path. Caller holds lock. */
static struct sim_sub *
sub_find(struct soap *soap, struct sim_camera *cam)
{
	const char *p = strstr(soap->path, "/onvif/events/sub/");
	int id, i;

	if (p == NULL || sscanf(p + 18, "%d", &id) != 1)
		return NULL;
	for (i = 0; i < SIM_MAX_SUBS; i++)
		if (cam->subs[i].used && cam->subs[i].id == id)
			return &cam->subs[i];
	return NULL;
}

static int
sub_unknown(struct soap *soap)
{
	return sim_soap_fault(soap, true, "ter:InvalidArgVal",
	    "ter:NoSubscription", "No such subscription (expired or "
	    "unsubscribed)");
}

/* ONVIF tev:CreatePullPointSubscription. */
OP_BODY(tev, CreatePullPointSubscription)
{
	struct sim_sub *s = NULL;
	char url[160], path[64];
	long dur = 60;
	time_t now;
	int i;

	if (req->Filter != NULL && req->Filter->wsnt__TopicExpression != NULL &&
	    req->Filter->wsnt__TopicExpression->__mixed != NULL &&
	    strstr(req->Filter->wsnt__TopicExpression->__mixed, "RuleEngine") ==
	    NULL && strstr(req->Filter->wsnt__TopicExpression->__mixed,
	    "//.") == NULL)
		return sim_soap_fault(soap, true, "ter:InvalidArgVal",
		    "wsnt:TopicNotSupportedFault", "Only "
		    "tns1:RuleEngine/CellMotionDetector/Motion is produced");
	now = sim_camera_time(cam);
	if (req->InitialTerminationTime != NULL) {
		dur = onvif_duration(req->InitialTerminationTime);
		if (dur < 0) {
			time_t t = onvif_parse_time(req->InitialTerminationTime);

			dur = t == -1 ? -1 : (long)(t - now);
		}
		if (dur <= 0)
			return invalid_arg(soap, "ter:InvalidTerminationTime",
			    "Invalid InitialTerminationTime");
		if (dur < 10)
			dur = 10;
		if (dur > 3600)
			dur = 3600;
	}
	for (i = 0; i < SIM_MAX_SUBS; i++)
		if (!cam->subs[i].used) {
			s = &cam->subs[i];
			break;
		}
	if (s == NULL)
		return sim_soap_fault(soap, false, "ter:Action",
		    "ter:TooManySubscriptions", "Too many pull-point "
		    "subscriptions");
	memset(s, 0, sizeof *s);
	s->used = true;
	s->id = ++cam->next_sub;
	s->duration = (int)dur;
	s->expires = time(NULL) + dur;
	sub_push(s, now, cam->motion, 0);	/* the property's first state */
	snprintf(path, sizeof path, "/onvif/events/sub/%d", s->id);
	sim_camera_url(cam, path, url, sizeof url);
	res->SubscriptionReference.Address = sdup(soap, url);
	res->wsnt__CurrentTime = now;
	res->wsnt__TerminationTime = now + dur;
	return SOAP_OK;
}

/* One wsnt:NotificationMessage for event e. */
static void
event_fill(struct soap *soap, struct wsnt__NotificationMessageHolderType *m,
    const struct sim_event *e)
{
	struct _tt__Message *msg;
	struct _tt__ItemList_SimpleItem *si;

	m->Topic = ZNEW(soap, struct wsnt__TopicExpressionType);
	m->Topic->Dialect = sdup(soap,
	    "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet");
	m->Topic->__mixed = sdup(soap,
	    "tns1:RuleEngine/CellMotionDetector/Motion");
	msg = m->Message.tt__Message = ZNEW(soap, struct _tt__Message);
	msg->UtcTime = e->utc;
	msg->PropertyOperation = ZNEW(soap, enum tt__PropertyOperation);
	*msg->PropertyOperation = (enum tt__PropertyOperation)e->op;
	msg->Source = ZNEW(soap, struct tt__ItemList);
	si = zalloc(soap, 3 * sizeof *si);
	si[0].Name = sdup(soap, "VideoSourceConfigurationToken");
	si[0].Value = sdup(soap, "VideoSourceToken");
	si[1].Name = sdup(soap, "VideoAnalyticsConfigurationToken");
	si[1].Value = sdup(soap, "VideoAnalyticsToken");
	si[2].Name = sdup(soap, "Rule");
	si[2].Value = sdup(soap, "MyMotionDetectorRule");
	msg->Source->__sizeSimpleItem = 3;
	msg->Source->SimpleItem = si;
	msg->Data = ZNEW(soap, struct tt__ItemList);
	si = ZNEW(soap, struct _tt__ItemList_SimpleItem);
	si->Name = sdup(soap, "IsMotion");
	si->Value = sdup(soap, e->motion ? "true" : "false");
	msg->Data->__sizeSimpleItem = 1;
	msg->Data->SimpleItem = si;
}

/* A Timeout longer than the device supports: ONVIF's
 * PullMessagesFaultResponse, whose detail names both limits (a
 * MessageLimit beyond ours is no fault: fewer messages come back). */
static int
pull_limits_fault(struct soap *soap)
{
	struct _tev__PullMessagesFaultResponse *f;
	struct SOAP_ENV__Detail *d;
	char max[16];

	sim_soap_fault(soap, true, "ter:InvalidArgVal", NULL,
	    "Timeout exceeds the longest PullMessages wait of this device");
	(void)soap_faultdetail(soap);	/* the Detail of this SOAP version */
	d = soap->version == 2 ? soap->fault->SOAP_ENV__Detail :
	    soap->fault->detail;
	if (d == NULL)
		return SOAP_FAULT;
	f = d->tev__PullMessagesFaultResponse =
	    ZNEW(soap, struct _tev__PullMessagesFaultResponse);
	snprintf(max, sizeof max, "PT%dS", ONVIF_MAX_PULL_S);
	f->MaxTimeout = sdup(soap, max);
	f->MaxMessageLimit = SIM_EVQ;
	return SOAP_FAULT;
}

/* ONVIF tev:PullMessages. */
OP_BODY(tev, PullMessages)
{
	struct sim_event got[SIM_EVQ];
	struct sim_sub *s;
	struct timespec ts;
	long timeout;
	int n = 0, limit, id, i;

	timeout = req->Timeout != NULL ? onvif_duration(req->Timeout) : 10;
	if (timeout < 0)
		return invalid_arg(soap, "ter:InvalidArgs", "Invalid Timeout");
	if (timeout > ONVIF_MAX_PULL_S)
		return pull_limits_fault(soap);
	limit = req->MessageLimit;
	if (limit < 1)
		limit = 1;
	if (limit > SIM_EVQ)
		limit = SIM_EVQ;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout;
	if ((s = sub_find(soap, cam)) == NULL)
		return sub_unknown(soap);
	id = s->id;
	while (s->count == 0 && !atomic_load(&sim_site.stopping) &&
	    sim_camera_up(cam)) {
		if (pthread_cond_timedwait(&cam->cond, &cam->lock, &ts) ==
		    ETIMEDOUT)
			break;
		/* the subscription may have been freed meanwhile */
		s = sub_find(soap, cam);
		if (s == NULL || s->id != id)
			return sub_unknown(soap);
	}
	while (s->count > 0 && n < limit) {
		got[n++] = s->q[s->head];
		s->head = (s->head + 1) % SIM_EVQ;
		s->count--;
	}
	s->expires = time(NULL) + s->duration;
	res->CurrentTime = sim_camera_time(cam);
	res->TerminationTime = res->CurrentTime + s->duration;
	res->__sizeNotificationMessage = n;
	res->wsnt__NotificationMessage = zalloc(soap,
	    (n + 1) * sizeof *res->wsnt__NotificationMessage);
	for (i = 0; i < n; i++)
		event_fill(soap, &res->wsnt__NotificationMessage[i], &got[i]);
	return SOAP_OK;
}

/* ONVIF tev:SetSynchronizationPoint. */
OP_BODY(tev, SetSynchronizationPoint)
{
	struct sim_sub *s;

	if ((s = sub_find(soap, cam)) == NULL)
		return sub_unknown(soap);
	sub_push(s, sim_camera_time(cam), cam->motion, 0);
	pthread_cond_broadcast(&cam->cond);
	return SOAP_OK;
}

/* ONVIF tev:Unsubscribe. */
OP_BODY(tev, Unsubscribe)
{
	struct sim_sub *s;

	if ((s = sub_find(soap, cam)) == NULL)
		return sub_unknown(soap);
	s->used = false;
	pthread_cond_broadcast(&cam->cond);
	return SOAP_OK;
}

/* ---- a fault posted to us ---------------------------------------------- */

/* A SOAP Fault posted to us as a request: refuse it. */
int
SOAP_ENV__Fault(struct soap *soap, char *faultcode, char *faultstring,
    char *faultactor, struct SOAP_ENV__Detail *detail,
    struct SOAP_ENV__Code *code, struct SOAP_ENV__Reason *reason,
    char *node, char *role, struct SOAP_ENV__Detail *detail2)
{
	return sim_soap_fault(soap, true, "ter:InvalidArgVal", NULL,
	    "A fault is not a request");
}

/* ---- the server loop ---------------------------------------------------- */

static int (*onvif_http_parse)(struct soap *);
static size_t (*onvif_raw_recv)(struct soap *, char *, size_t);
/* Bytes of the current request body still to come (-1: unknown).  gSOAP
 * would otherwise wait for more input after a body that is not XML. */
static _Thread_local long long onvif_body_left = -1;

/* Reads stop at the end of a body whose Content-Length we know. */
static size_t
onvif_frecv(struct soap *soap, char *s, size_t n)
{
	size_t r;

	if (onvif_body_left == 0)
		return 0;
	if (onvif_body_left > 0 && (long long)n > onvif_body_left)
		n = (size_t)onvif_body_left;
	r = onvif_raw_recv(soap, s, n);
	if (onvif_body_left > 0)
		onvif_body_left -= (long long)r;
	return r;
}

/* Sleep ms in slices, returning early when the site stops. */
static void
onvif_nap(int ms)
{
	while (ms > 0 && !atomic_load(&sim_site.stopping)) {
		int slice = ms > 100 ? 100 : ms;

		usleep((useconds_t)slice * 1000);
		ms -= slice;
	}
}

/* Request-level faults, after the request's headers were read: true when
 * the request was answered (badly) or dropped. */
static bool
onvif_request_faults(struct soap *soap, struct sim_camera *cam)
{
	struct sim_faults f;
	bool drop;

	pthread_mutex_lock(&cam->lock);
	f = cam->fault;
	cam->requests++;
	drop = f.drop_pct > 0 &&
	    (int)((cam->drop_seq++ * 37u) % 100u) < f.drop_pct;
	pthread_mutex_unlock(&cam->lock);
	if (drop) {
		log_debug("sim: camera %d: dropping a request", cam->index);
		return true;
	}
	if (f.slow_ms > 0)
		onvif_nap(f.slow_ms);
	if (f.malformed) {
		static const char broken[] =
		    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://www.w3.org/"
		    "2003/05/soap-envelope\"><SOAP-ENV:Body>"
		    "<tds:GetDeviceInformationResponse><tds:Manufacturer>"
		    "Broken & <unclosed</SOAP-ENV:Body>";

		soap->http_content = "application/soap+xml; charset=utf-8";
		if (soap_response(soap, SOAP_FILE) == SOAP_OK &&
		    soap_send(soap, broken) == SOAP_OK)
			soap_end_send(soap);
		return true;
	}
	return false;
}

/* The request body ended inside the XML: answer with a fault. */
static void
onvif_malformed(struct soap *soap)
{
	onvif_body_left = -1;
	soap->keep_alive = 0;
	soap->header = NULL;
	soap->error = sim_soap_fault(soap, true, "ter:InvalidArgVal", NULL,
	    "Malformed request: not a complete SOAP envelope");
	soap_send_fault(soap);
}

/* Serve one connection: our own soap_serve() loop. */
static void *
onvif_worker(void *arg)
{
	struct soap *soap = arg;
	struct sim_camera *cam = soap->user;
	int n;

	if (soap->ctx != NULL && soap_ssl_accept(soap) != SOAP_OK)
		goto out;
	for (n = 0; n < 100 && !atomic_load(&sim_site.stopping); n++) {
		onvif_body_left = -1;
		if (soap_begin_serve(soap) != SOAP_OK) {
			log_debug("sim: camera %d: request error %d (body "
			    "left %lld)", cam->index, soap->error,
			    onvif_body_left);
			/* EOF inside a complete body: not XML, say so */
			if ((soap->error == SOAP_EOF ||
			    soap->error == SOAP_POST) && onvif_body_left == 0)
				onvif_malformed(soap);
			break;	/* a fault was sent, or EOF/timeout */
		}
		if (onvif_request_faults(soap, cam))
			break;
		if (soap_serve_request(soap) != SOAP_OK &&
		    soap->error == SOAP_EOF && onvif_body_left == 0) {
			onvif_malformed(soap);
			break;
		}
		if (soap->error != SOAP_OK && soap->error < SOAP_STOP) {
			if (soap->error == SOAP_NO_METHOD)
				sim_soap_fault(soap, false,
				    "ter:ActionNotSupported", NULL,
				    "Optional action not implemented");
			soap->header = NULL;
			soap_send_fault(soap);
			break;
		}
		if (soap->error == SOAP_STOP)
			break;
		soap_destroy(soap);
		soap_end(soap);
		if (!soap->keep_alive)
			break;
	}
out:
	soap_destroy(soap);
	soap_end(soap);
	soap->master = SOAP_INVALID_SOCKET;	/* the camera's, not ours */
	soap_free(soap);
	atomic_fetch_sub(&cam->workers, 1);
	return NULL;
}

/* After the HTTP header: an empty POST to a camera that wants HTTP digest
 * is the client asking for the challenge (curl --digest does that), so
 * answer 401 like a camera instead of a SOAP fault about missing data. */
static int
onvif_fparse(struct soap *soap)
{
	struct sim_camera *cam = soap->user;
	int err = onvif_http_parse(soap);
	bool digest;

	if (err == SOAP_OK && soap->length > 0) {
		size_t have = soap->buflen - soap->bufidx;

		onvif_body_left = soap->length > have ?
		    (long long)(soap->length - have) : 0;
	}
	if (err != SOAP_OK || cam == NULL || soap->status != SOAP_POST ||
	    soap->length != 0 || soap->userid != NULL)
		return err;
	pthread_mutex_lock(&cam->lock);
	digest = (cam->p->http_digest || cam->fault.digest) &&
	    !sim_camera_factory(cam);
	pthread_mutex_unlock(&cam->lock);
	if (!digest)
		return err;
	soap->authrealm = sim_auth_realm(cam);
	return 401;
}

/* A listening context for one camera (plain or TLS). */
static struct soap *
onvif_master_new(struct sim_camera *cam, bool tls)
{
	struct soap *soap = soap_new1(SOAP_C_UTFSTRING | SOAP_IO_KEEPALIVE);

	if (soap == NULL)
		fatal("vigia-sim: out of memory");
	soap_set_namespaces(soap, sim_namespaces);
	soap->user = cam;
	soap->bind_flags = SO_REUSEADDR;
	/* the accept loop looks at the camera's state between accepts */
	soap->accept_timeout = -200000;	/* 200 ms */
	soap->recv_timeout = 5;
	soap->send_timeout = 10;
	soap->transfer_timeout = 30;
	soap->max_keep_alive = 50;
	soap->recv_maxlength = ONVIF_RECV_MAX;
	soap->maxoccurs = 1000;
	if (soap_register_plugin(soap, http_da) != SOAP_OK)
		fatal("vigia-sim: cannot register the HTTP digest plugin");
	onvif_http_parse = soap->fparse;
	soap->fparse = onvif_fparse;
	onvif_raw_recv = soap->frecv;
	soap->frecv = onvif_frecv;
	if (tls && (sim_site_tls_ready() != 0 ||
	    soap_ssl_server_context(soap, SOAP_SSL_NO_AUTHENTICATION,
	    sim_site.tls_pem, NULL, NULL, NULL, NULL, NULL,
	    "vigia-sim") != SOAP_OK)) {
		log_error("sim: camera %d: TLS set-up failed", cam->index);
		soap_free(soap);
		return NULL;
	}
	return soap;
}

static void
onvif_unbind(struct soap *m)
{
	if (m != NULL && soap_valid_socket(m->master)) {
		close(m->master);
		m->master = SOAP_INVALID_SOCKET;
		m->socket = SOAP_INVALID_SOCKET;
	}
}

/* Publish where the ONVIF server listens (port 0: nowhere). */
static void
onvif_listen_note(struct sim_camera *cam, const char *addr, int port,
    bool tls)
{
	pthread_mutex_lock(&cam->lock);
	snprintf(cam->listen_addr, sizeof cam->listen_addr, "%s", addr);
	cam->listen_port = port;
	cam->listen_tls = tls;
	pthread_mutex_unlock(&cam->lock);
	atomic_store(&cam->listening, port != 0);
}

/* See sim-camera.h. */
int
sim_onvif_wait_settled(struct sim_camera *cam, int timeout_ms)
{
	int64_t end = sim_now_ms() + timeout_ms;
	bool settled;

	for (;;) {
		pthread_mutex_lock(&cam->lock);
		if (sim_camera_up(cam))
			settled = cam->listen_port == sim_camera_port(cam) &&
			    cam->listen_tls == sim_camera_tls(cam) &&
			    strcmp(cam->listen_addr, cam->serve_addr) == 0;
		else
			settled = cam->listen_port == 0;
		pthread_mutex_unlock(&cam->lock);
		if (settled)
			return 0;
		if (sim_now_ms() >= end || atomic_load(&sim_site.stopping))
			return -1;
		usleep(20 * 1000);
	}
}

/* The camera's accept loop. */
static void *
onvif_thread(void *arg)
{
	struct sim_camera *cam = arg;
	struct soap *plain, *tls = NULL, *cur = NULL;
	char bound_addr[16] = "";
	int bound_port = 0, warned = 0;

	plain = onvif_master_new(cam, false);
	while (!atomic_load(&sim_site.stopping)) {
		char addr[16];
		int port;
		bool up, want_tls;
		struct soap *want;
		SOAP_SOCKET s;

		pthread_mutex_lock(&cam->lock);
		up = sim_camera_up(cam);
		port = sim_camera_port(cam);
		want_tls = sim_camera_tls(cam);
		snprintf(addr, sizeof addr, "%s", cam->serve_addr);
		pthread_mutex_unlock(&cam->lock);
		if (want_tls && tls == NULL)
			tls = onvif_master_new(cam, true);
		want = want_tls ? tls : plain;
		if (cur != NULL && (!up || cur != want || port != bound_port ||
		    strcmp(addr, bound_addr) != 0)) {
			onvif_unbind(cur);
			cur = NULL;
			onvif_listen_note(cam, "", 0, false);
		}
		if (!up || want == NULL) {
			onvif_nap(200);
			continue;
		}
		if (cur == NULL) {
			if (!soap_valid_socket(soap_bind(want, addr, port,
			    64))) {
				if (warned++ == 0)
					log_warn("sim: camera %d: cannot listen "
					    "on %s:%d: %s", cam->index, addr,
					    port, strerror(errno));
				onvif_nap(1000);
				continue;
			}
			warned = 0;
			cur = want;
			onvif_listen_note(cam, addr, port, want_tls);
			bound_port = port;
			snprintf(bound_addr, sizeof bound_addr, "%s", addr);
			log_debug("sim: camera %d: ONVIF on %s:%d%s",
			    cam->index, addr, port, want_tls ? " (TLS)" : "");
		}
		if (atomic_load(&cam->workers) >= SIM_MAX_WORKERS) {
			onvif_nap(20);
			continue;
		}
		s = soap_accept(cur);
		if (!soap_valid_socket(s))
			continue;	/* timeout: look at the state again */
		{
			struct soap *t = soap_copy(cur);
			pthread_t th;

			cur->socket = SOAP_INVALID_SOCKET;
			if (t == NULL) {
				close(s);
				continue;
			}
			atomic_fetch_add(&cam->workers, 1);
			if (pthread_create(&th, NULL, onvif_worker, t) != 0) {
				atomic_fetch_sub(&cam->workers, 1);
				soap_closesock(t);
				t->master = SOAP_INVALID_SOCKET;
				soap_free(t);
				continue;
			}
			pthread_detach(th);
		}
	}
	onvif_unbind(cur);
	/* workers hold copies of these contexts' SSL_CTX: wait for them */
	for (int i = 0; i < 50 && atomic_load(&cam->workers) > 0; i++)
		usleep(100 * 1000);
	if (atomic_load(&cam->workers) == 0) {
		/* soap_end(): an accept timeout leaves a fault in the
		 * context's memory */
		if (tls != NULL) {
			soap_end(tls);
			soap_free(tls);
		}
		soap_end(plain);
		soap_free(plain);
	}
	return NULL;
}

/* See sim-camera.h. */
void
sim_onvif_global_init(void)
{
	soap_ssl_init();
}

/* Start the camera's server thread. */
int
sim_onvif_start(struct sim_camera *cam, char **cause)
{
	pthread_attr_t attr;
	int err;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	err = pthread_create(&cam->thread, &attr, onvif_thread, cam);
	pthread_attr_destroy(&attr);
	if (err != 0) {
		xasprintf(cause, "camera %d: pthread_create: %s", cam->index,
		    strerror(err));
		return -1;
	}
	cam->thread_started = true;
	return 0;
}

/* Wait for the camera's server thread (after sim_site.stopping). */
void
sim_onvif_join(struct sim_camera *cam)
{
	if (cam->thread_started)
		pthread_join(cam->thread, NULL);
	cam->thread_started = false;
}
