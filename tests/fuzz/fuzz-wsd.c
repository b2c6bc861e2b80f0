/* fuzz-wsd.c - libFuzzer target: WS-Discovery datagrams (ProbeMatches,
 * Hello, Bye) as `vigia discover` and the wizard receive them.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one or more datagrams separated by NUL bytes, merged into one
 * device list as the receive loop merges them (endpoint merge, XAddr
 * choice, scope parsing, the caps), then shown as the discover table
 * shows them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"

#include "onvif-int.h"

static struct soap *fz_soap;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Once: one parsing context, as in wsd_run(). */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	vg_log_set_level(VG_LOG_ERR);
	fz_soap = onvif_wsd_soap_new();
	return 0;
}

/* One input: datagrams from one sender. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_onvif_devlist l = { NULL, 0 };
	bool full = false;
	size_t i, off = 0, n;
	char *buf;

	while (off < size) {
		const uint8_t *end = memchr(data + off, '\0', size - off);

		n = end != NULL ? (size_t)(end - (data + off)) : size - off;
		if (n > 65535)
			n = 65535;	/* a datagram's largest size */
		buf = xmalloc(n + 1);
		memcpy(buf, data + off, n);
		buf[n] = '\0';
		onvif_wsd_datagram(fz_soap, buf, "192.0.2.1", &l, &full);
		free(buf);
		off += end != NULL ? (size_t)(end - (data + off)) + 1 : n;
	}
	for (i = 0; i < l.n; i++) {
		free(vg_text_safe(l.v[i].scopes.name));
		free(vg_text_safe(l.v[i].endpoint));
		free(vg_onvif_url_host(l.v[i].xaddr));
	}
	vg_onvif_devlist_clear(&l);
	return 0;
}
