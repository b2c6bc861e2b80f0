/* version.c - library start-up (gettext, third-party logging) and versions.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

#ifdef ENABLE_NLS
/* Where the message catalogues are: $VIGIA_LOCALEDIR; else, for a program
 * run from the build tree (by run-demo, or as "Building by hand" leaves
 * it), the build tree's own catalogues (make copies po/LANG.gmo to
 * locale/LANG/LC_MESSAGES); else the installed ones. */
static const char *
version_localedir(void)
{
	const char *dir = getenv("VIGIA_LOCALEDIR");
#ifdef VG_BUILDDIR
	static char exe[PATH_MAX];
	size_t n = strlen(VG_BUILDDIR);
	ssize_t len;
#endif

	if (dir != NULL && *dir != '\0')
		return dir;
#ifdef VG_BUILDDIR
	len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0 && (size_t)len > n) {
		exe[len] = '\0';
		if (strncmp(exe, VG_BUILDDIR, n) == 0 && exe[n] == '/' &&
		    access(VG_BUILDDIR "/locale", F_OK) == 0)
			return VG_BUILDDIR "/locale";
	}
#endif
	return LOCALEDIR;
}
#endif

/* The locale the environment asks for when the C library could not load
 * it (LANG=es_ES.UTF-8 on a box where that locale was never generated):
 * keep the language anyway, through LANGUAGE and C.UTF-8, so that a
 * technician on a fresh box still reads Spanish.  LANGUAGE set by the user
 * wins; a "C" or "POSIX" request is respected. */
static void
version_locale_fallback(void)
{
	const char *cur = setlocale(LC_MESSAGES, NULL), *want = NULL;
	const char *vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	char lang[64];
	size_t i, n;

	if (cur != NULL && strcmp(cur, "C") != 0 && strcmp(cur, "POSIX") != 0)
		return;
	for (i = 0; i < sizeof vars / sizeof vars[0] && want == NULL; i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && *v != '\0')
			want = v;
	}
	if (want == NULL || strcmp(want, "C") == 0 ||
	    strcmp(want, "POSIX") == 0 || strncmp(want, "C.", 2) == 0)
		return;
	n = strcspn(want, ".@");
	if (n == 0 || n >= sizeof lang)
		return;
	memcpy(lang, want, n);
	lang[n] = '\0';
	/* es_ES -> "es_ES:es", so that a catalogue for "es" is found */
	if (getenv("LANGUAGE") == NULL || *getenv("LANGUAGE") == '\0') {
		char list[2 * sizeof lang + 1];
		size_t base = strcspn(lang, "_");

		if (lang[base] == '_')
			snprintf(list, sizeof list, "%s:%.*s", lang,
			    (int)base, lang);
		else
			snprintf(list, sizeof list, "%s", lang);
		setenv("LANGUAGE", list, 1);
	}
	setlocale(LC_MESSAGES, "C.UTF-8");
	cur = setlocale(LC_CTYPE, NULL);
	if (cur == NULL || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0)
		setlocale(LC_CTYPE, "C.UTF-8");
}

/* Bind the message catalogue and route library logging to log.c. */
void
vg_init(void)
{
#ifdef ENABLE_NLS
	version_locale_fallback();
	bindtextdomain(PACKAGE, version_localedir());
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
