/* libvigia.h - the narrow public API of libvigia.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The wizard (ui/), `vigia --apply` and vigiad all call the core through
 * this header.  Only plain structs, enums and functions cross it: no gSOAP,
 * FFmpeg, curl, OpenSSL or libconfig type is ever visible here.
 */
#ifndef VIGIA_H
#define VIGIA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __GNUC__
#define VG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define VG_NORETURN __attribute__((noreturn))
#else
#define VG_PRINTF(f, a)
#define VG_NORETURN
#endif

/* ---- errors ------------------------------------------------------------ */

/* Fallible calls return 0 or one of these (negative) codes. */
enum vg_err {
	VG_OK = 0,
	VG_ERR_NOMEM = -1,	/* out of memory */
	VG_ERR_USAGE = -2,	/* bad arguments from the caller */
	VG_ERR_IO = -3,		/* file or device input/output */
	VG_ERR_CONFIG = -4,	/* configuration is invalid */
	VG_ERR_PERM = -5,	/* permission denied or unsafe permissions */
	VG_ERR_NOTFOUND = -6,	/* no such file, camera or object */
	VG_ERR_TIMEOUT = -7,	/* a deadline passed */
	VG_ERR_NET = -8,	/* network unreachable or connection refused */
	VG_ERR_AUTH = -9,	/* wrong user name or password */
	VG_ERR_PROTO = -10,	/* the peer broke the protocol */
	VG_ERR_CANCELLED = -11,	/* the user cancelled */
	VG_ERR_UNSUPPORTED = -12, /* the peer or build cannot do it */
	VG_ERR_EXISTS = -13,	/* already exists */
	VG_ERR_INTERNAL = -14,	/* a bug in vigia */
};
#define VG_ERR_LAST VG_ERR_INTERNAL

/* Translated, human text for an error code; never NULL. */
const char *vg_strerror(int err);

/* ---- memory (abort on exhaustion, through fatal()) ----------------------- */

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
int xasprintf(char **ret, const char *fmt, ...) VG_PRINTF(2, 3);
int xvasprintf(char **ret, const char *fmt, va_list ap) VG_PRINTF(2, 0);

/* Wipe a secret string in place and free it; accepts NULL. */
void vg_secret_free(char *secret);

/* Registered once by the program that owns the terminal: fatal() calls it
 * before printing, so the message lands on a sane screen. */
void vg_set_fatal_hook(void (*hook)(void));
/* Print a message (through the log and to stderr), run the hook, abort. */
void fatal(const char *fmt, ...) VG_PRINTF(1, 2) VG_NORETURN;
/* Like fatal() but also appends strerror(errno). */
void fatalx(const char *fmt, ...) VG_PRINTF(1, 2) VG_NORETURN;

/* ---- logging ----------------------------------------------------------- */

/* Levels carry syslog priority values, so the stderr sink can prefix
 * "<N>" for journald. */
enum vg_log_level {
	VG_LOG_ERR = 3,
	VG_LOG_WARN = 4,
	VG_LOG_NOTICE = 5,
	VG_LOG_INFO = 6,
	VG_LOG_DEBUG = 7,
};

/* Sink flags for vg_log_open_stderr(). */
#define VG_LOG_SYSLOG_PREFIX 0x1	/* "<3>message", for journald */
#define VG_LOG_TIMESTAMP 0x2		/* ISO 8601 local time */

void vg_log_set_level(enum vg_log_level level);
enum vg_log_level vg_log_get_level(void);
/* Send messages to stderr (flags above); 0 turns the sink on. */
void vg_log_open_stderr(int flags);
void vg_log_close_stderr(void);
/* Append to a file (created 0600).  Returns 0 or a vg_err. */
int vg_log_open_file(const char *path, char **cause);
void vg_log_close_file(void);
/* Keep the last `lines` messages in memory (0 disables). */
void vg_log_ring_enable(size_t lines);
/* Copy of the ring, oldest first: *out is an array of *n strings that the
 * caller frees with vg_log_ring_free(). */
void vg_log_ring_copy(char ***out, size_t *n);
void vg_log_ring_free(char **lines, size_t n);
/* A secret that must never appear in any log line (copied; wiped at
 * vg_log_shutdown()).  Strings shorter than 3 bytes are ignored. */
void vg_log_add_secret(const char *secret);
/* Close every sink and wipe registered secrets. */
void vg_log_shutdown(void);

void vg_log(enum vg_log_level level, const char *fmt, ...) VG_PRINTF(2, 3);
void vg_vlog(enum vg_log_level level, const char *fmt, va_list ap)
    VG_PRINTF(2, 0);
/* Redact credentials from one line into a new string (caller frees):
 * registered secrets, URL user-info passwords, "password=..." style
 * pairs and HTTP Authorization headers. */
char *vg_log_redact(const char *line);

#define log_error(...) vg_log(VG_LOG_ERR, __VA_ARGS__)
#define log_warn(...) vg_log(VG_LOG_WARN, __VA_ARGS__)
#define log_notice(...) vg_log(VG_LOG_NOTICE, __VA_ARGS__)
#define log_info(...) vg_log(VG_LOG_INFO, __VA_ARGS__)
#define log_debug(...) vg_log(VG_LOG_DEBUG, __VA_ARGS__)

/* ---- text -------------------------------------------------------------- */

/* Columns a UTF-8 string takes on a terminal (wcwidth per character). */
int vg_text_width(const char *s);
/* A copy of s (caller frees; NULL for NULL) that is valid UTF-8: bytes
 * that start no valid sequence, overlong forms and encoded surrogates
 * (from "&#xD800;") become U+FFFD.  For JSON and logs. */
char *vg_text_utf8(const char *s);
/* As vg_text_utf8(), and control characters (C0 with tab and newline,
 * DEL, C1; so every ESC sequence) shown as "\x1b" / "\u009b": the form
 * of any string a device gave that is shown on a terminal. */
char *vg_text_safe(const char *s);
/* True if s (NULL too) is valid UTF-8 without control characters. */
bool vg_text_is_safe(const char *s);

/* ---- library ----------------------------------------------------------- */

/* Set up gettext for the core and route third-party library logging into
 * the log sinks.  Call once from main(). */
void vg_init(void);
/* "vigia 0.1.0" plus the versions of the libraries it was built with,
 * one per line; static storage. */
const char *vg_version_text(void);

/* ---- configuration ----------------------------------------------------- */

#include "config.h"

/* ---- ONVIF client ------------------------------------------------------ */

#include "onvif.h"

/* ---- credentials to try, the integrator's CSV ------------------------- */

#include "cred.h"

/* ---- streams: probe, snapshot, terminal pictures, preview ------------ */

#include "stream.h"

/* ---- commissioning: plan and apply ------------------------------------ */

#include "plan.h"

/* ---- Label Studio: the check --------------------------------------------- */

#include "labelstudio.h"

#endif /* VIGIA_H */
