/* xmalloc.c - allocation that never returns NULL, secrets wiping, fatal().
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Out of memory is not recoverable in vigia: the allocators call fatal(),
 * which first runs the hook the terminal owner registered (the TUI puts
 * the screen back, like htop's fail()), then prints and aborts.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "libvigia.h"

static void (*fatal_hook)(void);

/* Register the function fatal() runs first (NULL removes it). */
void
vg_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

/* Run the hook once, then report msg (and errno text when err != 0). */
static void VG_NORETURN
fatal_common(int err, const char *fmt, va_list ap)
{
	void (*hook)(void) = fatal_hook;
	char buf[1024];

	fatal_hook = NULL;	/* a failing hook must not recurse */
	if (hook != NULL)
		hook();
	vsnprintf(buf, sizeof buf, fmt, ap);
	if (err != 0)
		log_error("fatal: %s: %s", buf, strerror(err));
	else
		log_error("fatal: %s", buf);
	/* The log may have no stderr sink (curses owned the screen). */
	if (err != 0)
		fprintf(stderr, "vigia: fatal: %s: %s\n", buf, strerror(err));
	else
		fprintf(stderr, "vigia: fatal: %s\n", buf);
	fflush(stderr);
	abort();
}

/* Print a message, restore the terminal through the hook, abort. */
void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fatal_common(0, fmt, ap);
}

/* Like fatal() with strerror(errno) appended. */
void
fatalx(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	fatal_common(err, fmt, ap);
}

/* malloc() that never fails; size 0 is a bug. */
void *
xmalloc(size_t size)
{
	void *p;

	if (size == 0)
		fatal("xmalloc: zero size");
	if ((p = malloc(size)) == NULL)
		fatal("xmalloc: out of memory allocating %zu bytes", size);
	return p;
}

/* calloc() that never fails. */
void *
xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		fatal("xcalloc: zero size");
	if ((p = calloc(nmemb, size)) == NULL)
		fatal("xcalloc: out of memory allocating %zu x %zu bytes",
		    nmemb, size);
	return p;
}

/* realloc() that never fails. */
void *
xrealloc(void *ptr, size_t size)
{
	return xreallocarray(ptr, 1, size);
}

/* reallocarray() that never fails and checks nmemb * size for overflow. */
void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		fatal("xreallocarray: zero size");
	if (SIZE_MAX / nmemb < size)
		fatal("xreallocarray: %zu x %zu bytes overflows", nmemb, size);
	if ((p = realloc(ptr, nmemb * size)) == NULL)
		fatal("xreallocarray: out of memory allocating %zu x %zu bytes",
		    nmemb, size);
	return p;
}

/* strdup() that never fails. */
char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* strndup() that never fails. */
char *
xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* vasprintf() that never fails; returns the length. */
int
xvasprintf(char **ret, const char *fmt, va_list ap)
{
	int n;

	n = vasprintf(ret, fmt, ap);
	if (n < 0 || *ret == NULL)
		fatal("xvasprintf: out of memory");
	return n;
}

/* asprintf() that never fails; returns the length. */
int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = xvasprintf(ret, fmt, ap);
	va_end(ap);
	return n;
}

/* Wipe a NUL-terminated secret and free it; accepts NULL. */
void
vg_secret_free(char *secret)
{
	if (secret == NULL)
		return;
	OPENSSL_cleanse(secret, strlen(secret));
	free(secret);
}
