/* version.c - library start-up (gettext, third-party logging) and versions.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/log.h>
#include <libconfig.h>
#include <openssl/opensslv.h>

#include "i18n.h"
#include "onvif-soap.h"
#include "libvigia.h"

/* FFmpeg's messages go to our sinks, never straight to the terminal. */
static void
version_av_log(void *avcl, int level, const char *fmt, va_list ap)
{
	enum vg_log_level l;
	char buf[1024];
	size_t n;

	if (level > av_log_get_level())
		return;
	if (level <= AV_LOG_ERROR)
		l = VG_LOG_ERR;
	else if (level <= AV_LOG_WARNING)
		l = VG_LOG_WARN;
	else if (level <= AV_LOG_INFO)
		l = VG_LOG_INFO;
	else
		l = VG_LOG_DEBUG;
	vsnprintf(buf, sizeof buf, fmt, ap);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (n > 0)
		vg_log(l, "ffmpeg: %s", buf);
}

/* Bind the message catalogue and route library logging to log.c. */
void
vg_init(void)
{
#ifdef ENABLE_NLS
	const char *dir = getenv("VIGIA_LOCALEDIR");

	bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
#endif
	av_log_set_level(AV_LOG_WARNING);
	av_log_set_callback(version_av_log);
}

/* Version of vigia and of every library it was built against. */
const char *
vg_version_text(void)
{
	static char text[512];

	if (text[0] == '\0')
		snprintf(text, sizeof text,
		    "%s %s\n"
		    "gSOAP %s, FFmpeg libavformat %u.%u.%u, libcurl %s,\n"
		    "%s, libconfig %d.%d.%d, jansson %s",
		    PACKAGE, PACKAGE_VERSION, onvif_soap_version(),
		    LIBAVFORMAT_VERSION_MAJOR, LIBAVFORMAT_VERSION_MINOR,
		    LIBAVFORMAT_VERSION_MICRO, curl_version_info(CURLVERSION_NOW)
		    ->version, OPENSSL_VERSION_TEXT, LIBCONFIG_VER_MAJOR,
		    LIBCONFIG_VER_MINOR, LIBCONFIG_VER_REVISION,
		    JANSSON_VERSION);
	return text;
}
