/* onvif-soap.h - internal: gSOAP contexts for the ONVIF layer (src/ only).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef VIGIA_ONVIF_SOAP_H
#define VIGIA_ONVIF_SOAP_H

struct soap;

/* Bounds on one reply (see onvif-soap.c). */
#define ONVIF_SOAP_MAX_REPLY (4 << 20)
#define ONVIF_SOAP_MAX_LEVEL 200
#define ONVIF_SOAP_MAX_OCCURS 10000
#define ONVIF_SOAP_MAX_STRING (256 << 10)

/* Test hook (fuzz targets): called with every context onvif_soap_new()
 * makes, after its set-up; NULL in the programs. */
extern void (*onvif_soap_hook)(struct soap *soap);

/* "2.8.124": the gSOAP runtime the generated code was built for. */
const char *onvif_soap_version(void);
/* A client context for one thread or job: UTF-8 strings, the ONVIF
 * namespace table, WS-Security and HTTP digest plugins registered, and
 * connect/send/receive deadlines of timeout_ms each. */
struct soap *onvif_soap_new(int timeout_ms);
/* Free a context from onvif_soap_new(); accepts NULL. */
void onvif_soap_free(struct soap *soap);
/* The fault or transport error of the last call as one English line
 * (caller frees). */
char *onvif_soap_error_text(struct soap *soap);

#endif /* VIGIA_ONVIF_SOAP_H */
