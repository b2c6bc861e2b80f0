/* onvif-soap.c - gSOAP contexts for the ONVIF layer.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The generated namespace table lives here (one definition for the whole
 * program), with the context set-up every ONVIF call shares: deadlines on
 * every socket operation (trap 1 in STYLE.md) and one context per thread,
 * and bounds on what one reply may cost: no SOAP-ENC multi-reference
 * (id/ref pairs, which ONVIF never uses and which gSOAP 2.8.124 resolves
 * with an overlapping strncpy), at most 4 MB, 200 levels of nesting,
 * 10,000 elements in one list and 256 KB in one string.
 */
#include <stdio.h>
#include <string.h>

#include "soapH.h"
#include "httpda.h"
#include "wsseapi.h"
#include "DeviceBinding.nsmap"	/* every generated .nsmap is the same */

#include "onvif-soap.h"
#include "libvigia.h"

/* Set by the fuzz targets only (tests/fuzz/): called on every new
 * context, to read replies from memory instead of a socket. */
void (*onvif_soap_hook)(struct soap *soap);

/* Version of the gSOAP runtime, from its version number 208124. */
const char *
onvif_soap_version(void)
{
	static char v[16];

	if (v[0] == '\0')
		snprintf(v, sizeof v, "%d.%d.%d", GSOAP_VERSION / 100000,
		    GSOAP_VERSION / 1000 % 100, GSOAP_VERSION % 1000);
	return v;
}

/* A client context with deadlines and the auth plugins registered. */
struct soap *
onvif_soap_new(int timeout_ms)
{
	struct soap *soap;
	int t = timeout_ms > 0 ? timeout_ms : 5000;

	/* no SOAP_XML_IGNORENS: with it gSOAP refuses unknown elements
	 * (vendor extensions such as Hikvision's) instead of skipping them */
	soap = soap_new1(SOAP_C_UTFSTRING | SOAP_XML_TREE);
	if (soap == NULL)
		fatal("onvif: out of memory creating a gSOAP context");
	soap_set_namespaces(soap, namespaces);
	/* negative values are microseconds in gSOAP */
	soap->connect_timeout = -1000 * t;
	soap->send_timeout = -1000 * t;
	soap->recv_timeout = -1000 * t;
	soap->transfer_timeout = (t * 3 + 999) / 1000;
	soap->recv_maxlength = ONVIF_SOAP_MAX_REPLY;
	soap->maxlevel = ONVIF_SOAP_MAX_LEVEL;
	soap->maxoccurs = ONVIF_SOAP_MAX_OCCURS;
	soap->maxlength = ONVIF_SOAP_MAX_STRING;
	/* gSOAP talks over stdin/stdout when an endpoint has no host: let
	 * such a call fail instead of writing a signed request to the
	 * terminal and taking whatever stdin holds as the camera's reply */
	soap->sendfd = -1;
	soap->recvfd = -1;
	if (onvif_soap_hook != NULL)
		onvif_soap_hook(soap);
	if (soap_register_plugin(soap, soap_wsse) != SOAP_OK ||
	    soap_register_plugin(soap, http_da) != SOAP_OK)
		fatal("onvif: cannot register gSOAP plugins");
	return soap;
}

/* Free a context; accepts NULL. */
void
onvif_soap_free(struct soap *soap)
{
	if (soap == NULL)
		return;
	soap_destroy(soap);
	soap_end(soap);
	soap_free(soap);
}

/* One English line describing the last error of soap. */
char *
onvif_soap_error_text(struct soap *soap)
{
	const char *code = NULL, *reason = NULL, *detail = NULL;
	char *s;

	if (soap->error == SOAP_OK)
		return xstrdup("no error");
	code = *soap_faultcode(soap);
	reason = *soap_faultstring(soap);
	detail = *soap_faultdetail(soap);
	xasprintf(&s, "gSOAP error %d%s%s%s%s%s%s", soap->error,
	    code != NULL ? ", code " : "", code != NULL ? code : "",
	    reason != NULL ? ": " : "", reason != NULL ? reason : "",
	    detail != NULL ? " / " : "", detail != NULL ? detail : "");
	return s;
}
