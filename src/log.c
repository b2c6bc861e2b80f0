/* log.c - the one place where the core's messages go.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Core code never prints; it logs.  The program picks the sinks: stderr
 * (with "<N>" syslog priority prefixes when journald reads it), a file
 * (mode 0600), and an in-memory ring that the wizard's log pane reads.
 * Every line is redacted before it reaches any sink: registered secrets,
 * URL passwords, "password=..." pairs and HTTP Authorization values never
 * leave the process.  All functions are thread-safe.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libvigia.h"

#define LOG_LINE_MAX 4096
#define LOG_SECRETS_MAX 64

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static enum vg_log_level log_level = VG_LOG_INFO;
static bool log_stderr_on;
static int log_stderr_flags;
static FILE *log_file;
static char **log_ring;
static size_t log_ring_size, log_ring_next, log_ring_count;
static char *log_secrets[LOG_SECRETS_MAX];
static size_t log_nsecrets;

/* Set the most verbose level that is still written. */
void
vg_log_set_level(enum vg_log_level level)
{
	pthread_mutex_lock(&log_lock);
	log_level = level;
	pthread_mutex_unlock(&log_lock);
}

/* The current level. */
enum vg_log_level
vg_log_get_level(void)
{
	enum vg_log_level level;

	pthread_mutex_lock(&log_lock);
	level = log_level;
	pthread_mutex_unlock(&log_lock);
	return level;
}

/* Turn the stderr sink on with VG_LOG_* flags. */
void
vg_log_open_stderr(int flags)
{
	pthread_mutex_lock(&log_lock);
	log_stderr_on = true;
	log_stderr_flags = flags;
	pthread_mutex_unlock(&log_lock);
}

/* Turn the stderr sink off (the TUI does, while curses owns the screen). */
void
vg_log_close_stderr(void)
{
	pthread_mutex_lock(&log_lock);
	log_stderr_on = false;
	pthread_mutex_unlock(&log_lock);
}

/* Append log lines to path, created with mode 0600. */
int
vg_log_open_file(const char *path, char **cause)
{
	FILE *f;
	int fd;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1) {
		if (cause != NULL)
			xasprintf(cause, "%s: %s", path, strerror(errno));
		return errno == EACCES ? VG_ERR_PERM : VG_ERR_IO;
	}
	if ((f = fdopen(fd, "a")) == NULL) {
		close(fd);
		if (cause != NULL)
			xasprintf(cause, "%s: %s", path, strerror(errno));
		return VG_ERR_IO;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	pthread_mutex_lock(&log_lock);
	if (log_file != NULL)
		fclose(log_file);
	log_file = f;
	pthread_mutex_unlock(&log_lock);
	return VG_OK;
}

/* Close the file sink. */
void
vg_log_close_file(void)
{
	pthread_mutex_lock(&log_lock);
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
	pthread_mutex_unlock(&log_lock);
}

/* Free the ring's lines; the caller holds the lock. */
static void
log_ring_clear(void)
{
	size_t i;

	for (i = 0; i < log_ring_size; i++)
		free(log_ring[i]);
	free(log_ring);
	log_ring = NULL;
	log_ring_size = log_ring_next = log_ring_count = 0;
}

/* Keep the last `lines` messages in memory; 0 turns the ring off. */
void
vg_log_ring_enable(size_t lines)
{
	pthread_mutex_lock(&log_lock);
	log_ring_clear();
	if (lines > 0) {
		log_ring = xcalloc(lines, sizeof *log_ring);
		log_ring_size = lines;
	}
	pthread_mutex_unlock(&log_lock);
}

/* Copy the ring, oldest first. */
void
vg_log_ring_copy(char ***out, size_t *n)
{
	size_t i, first;

	*out = NULL;
	*n = 0;
	pthread_mutex_lock(&log_lock);
	if (log_ring_count > 0) {
		*out = xcalloc(log_ring_count, sizeof **out);
		first = (log_ring_next + log_ring_size - log_ring_count) %
		    log_ring_size;
		for (i = 0; i < log_ring_count; i++)
			(*out)[i] = xstrdup(log_ring[(first + i) %
			    log_ring_size]);
		*n = log_ring_count;
	}
	pthread_mutex_unlock(&log_lock);
}

/* Free what vg_log_ring_copy() returned. */
void
vg_log_ring_free(char **lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/* Remember a secret so that no log line ever shows it. */
void
vg_log_add_secret(const char *secret)
{
	size_t i;

	if (secret == NULL || strlen(secret) < 3)
		return;
	pthread_mutex_lock(&log_lock);
	for (i = 0; i < log_nsecrets; i++)
		if (strcmp(log_secrets[i], secret) == 0)
			goto out;
	if (log_nsecrets == LOG_SECRETS_MAX) {
		/* Forget the oldest rather than refuse the newest. */
		vg_secret_free(log_secrets[0]);
		memmove(log_secrets, log_secrets + 1,
		    (LOG_SECRETS_MAX - 1) * sizeof *log_secrets);
		log_nsecrets--;
	}
	log_secrets[log_nsecrets++] = xstrdup(secret);
out:
	pthread_mutex_unlock(&log_lock);
}

/* Close every sink and wipe the registered secrets. */
void
vg_log_shutdown(void)
{
	size_t i;

	pthread_mutex_lock(&log_lock);
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
	log_stderr_on = false;
	log_ring_clear();
	for (i = 0; i < log_nsecrets; i++)
		vg_secret_free(log_secrets[i]);
	log_nsecrets = 0;
	pthread_mutex_unlock(&log_lock);
}

/* Replace s[from, to) by "***"; returns the index just past the mask. */
static size_t
redact_span(char **s, size_t from, size_t to)
{
	size_t len = strlen(*s), tail = len - to;
	char *n = xmalloc(from + 3 + tail + 1);

	memcpy(n, *s, from);
	memcpy(n + from, "***", 3);
	memcpy(n + from + 3, *s + to, tail + 1);
	free(*s);
	*s = n;
	return from + 3;
}

/* Is the word ending just before s[end] a credential key? */
static bool
redact_is_key(const char *s, size_t end)
{
	static const char *const keys[] = {
		"password", "passwd", "pass", "pwd", "secret", "token",
		"secret_key", "access_token", "refresh", "apikey", "api_key",
	};
	size_t start = end, klen, i;

	while (start > 0 && (isalnum((unsigned char)s[start - 1]) ||
	    s[start - 1] == '_' || s[start - 1] == '-'))
		start--;
	klen = end - start;
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		size_t n = strlen(keys[i]);

		/* "password", "admin_password", "X-Amz-Security-Token" */
		if (klen >= n && strncasecmp(s + end - n, keys[i], n) == 0 &&
		    (klen == n || s[end - n - 1] == '_' ||
		    s[end - n - 1] == '-'))
			return true;
	}
	return false;
}

/* Redact credentials from one line into a new string (caller frees). */
char *
vg_log_redact(const char *line)
{
	char *s = xstrdup(line), *p;
	size_t i, j;

	/* 1. Registered secrets, wherever they appear. */
	pthread_mutex_lock(&log_lock);
	for (i = 0; i < log_nsecrets; i++) {
		size_t slen = strlen(log_secrets[i]);

		while ((p = strstr(s, log_secrets[i])) != NULL)
			redact_span(&s, (size_t)(p - s), (size_t)(p - s) + slen);
	}
	pthread_mutex_unlock(&log_lock);

	/* 2. scheme://user:password@host */
	for (p = strstr(s, "://"); p != NULL; p = strstr(s + i, "://")) {
		i = (size_t)(p - s) + 3;
		j = i + strcspn(s + i, ":@/ \t\"'");
		if (s[j] == ':') {
			size_t at = j + 1 + strcspn(s + j + 1, "@/ \t\"'");

			if (s[at] == '@' && at > j + 1)
				i = redact_span(&s, j + 1, at);
		}
	}

	/* 3. Authorization / Proxy-Authorization header values. */
	for (i = 0; (p = strcasestr(s + i, "authorization:")) != NULL;) {
		size_t v = (size_t)(p - s) + strlen("authorization:");

		while (s[v] == ' ')
			v++;
		/* keep the scheme word ("Digest", "Bearer") for debugging */
		j = v + strcspn(s + v, " \r\n");
		if (s[j] == ' ')
			v = j + 1;
		j = v + strcspn(s + v, "\r\n");
		i = j > v ? redact_span(&s, v, j) : j;
	}

	/* 4. key=value, key: value, "key": "value", <key>value</key> */
	for (i = 0; s[i] != '\0'; i++) {
		size_t v;
		char close = '\0';

		if (s[i] != '=' && s[i] != ':' && s[i] != '>')
			continue;
		j = i;
		if (i > 0 && s[i - 1] == '"' && s[i] == ':')
			j = i - 1;	/* JSON "key": */
		else if (s[i] == ':' && s[i + 1] == ' ')
			continue;	/* prose: "wrong password: ..." */
		if (!redact_is_key(s, j))
			continue;
		v = i + 1;
		while (s[v] == ' ')
			v++;
		if (s[v] == '"' || s[v] == '\'')
			close = s[v++];
		else if (s[i] == '>')
			close = '<';
		j = v;
		while (s[j] != '\0' && (close != '\0' ? s[j] != close :
		    !isspace((unsigned char)s[j]) && s[j] != ',' &&
		    s[j] != ';' && s[j] != '&'))
			j++;
		if (j > v && strncmp(s + v, "***", 3) != 0)
			i = redact_span(&s, v, j) - 1;
	}
	return s;
}

/* Append one line to the ring; the caller holds the lock. */
static void
log_ring_push(const char *stamp, const char *line)
{
	if (log_ring_size == 0)
		return;
	free(log_ring[log_ring_next]);
	xasprintf(&log_ring[log_ring_next], "%s %s", stamp, line);
	log_ring_next = (log_ring_next + 1) % log_ring_size;
	if (log_ring_count < log_ring_size)
		log_ring_count++;
}

/* Format, redact and write one message to every sink. */
void
vg_vlog(enum vg_log_level level, const char *fmt, va_list ap)
{
	static const char *const names[] = {
		[VG_LOG_ERR] = "error", [VG_LOG_WARN] = "warning",
		[VG_LOG_NOTICE] = "notice", [VG_LOG_INFO] = "info",
		[VG_LOG_DEBUG] = "debug",
	};
	char raw[LOG_LINE_MAX], stamp[32], *line, *red, *nl;
	struct timespec ts;
	struct tm tm;
	int saved = errno;

	if (level < VG_LOG_ERR)
		level = VG_LOG_ERR;
	if (level > VG_LOG_DEBUG)
		level = VG_LOG_DEBUG;
	if (level > vg_log_get_level())
		goto out;
	vsnprintf(raw, sizeof raw, fmt, ap);
	/* One message, one line: embedded newlines would forge entries. */
	for (nl = raw; (nl = strpbrk(nl, "\r\n")) != NULL; nl++)
		*nl = ' ';
	red = vg_log_redact(raw);
	/* device text is logged too: no control character reaches a
	 * terminal or a log viewer */
	line = vg_text_safe(red);
	free(red);

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);

	pthread_mutex_lock(&log_lock);
	if (log_stderr_on) {
		if (log_stderr_flags & VG_LOG_SYSLOG_PREFIX)
			fprintf(stderr, "<%d>", (int)level);
		if (log_stderr_flags & VG_LOG_TIMESTAMP)
			fprintf(stderr, "%s ", stamp);
		fprintf(stderr, "%s: %s\n", names[level], line);
	}
	if (log_file != NULL)
		fprintf(log_file, "%s %s: %s\n", stamp, names[level], line);
	log_ring_push(stamp, line);
	pthread_mutex_unlock(&log_lock);
	free(line);
out:
	errno = saved;
}

/* printf-style front end of vg_vlog(). */
void
vg_log(enum vg_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vg_vlog(level, fmt, ap);
	va_end(ap);
}
