/* test-xmalloc.c - allocators, fatal() and its terminal-restore hook.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "libvigia.h"

static int hook_fd = -1;

/* The "terminal restore" hook: leaves a mark on a pipe. */
static void
hook(void)
{
	if (write(hook_fd, "R", 1) != 1)
		_exit(99);
}

/* Run fn in a child; returns its wait status, and what the hook wrote. */
static int
in_child(void (*fn)(void), char *mark)
{
	int p[2], status;
	pid_t pid;

	if (pipe(p) != 0)
		return -1;
	if ((pid = fork()) == 0) {
		close(p[0]);
		hook_fd = p[1];
		/* keep the expected abort quiet and quick */
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(98);
		fn();
		_exit(0);
	}
	close(p[1]);
	*mark = '\0';
	if (read(p[0], mark, 1) != 1)
		*mark = '\0';
	close(p[0]);
	waitpid(pid, &status, 0);
	return status;
}

static void
do_fatal(void)
{
	vg_set_fatal_hook(hook);
	fatal("test %d", 42);
}

static void
do_overflow(void)
{
	vg_set_fatal_hook(hook);
	(void)xreallocarray(NULL, SIZE_MAX / 2, 4);
}

int
main(void)
{
	char *s, mark;
	int st;

	s = xstrdup("héllo");
	tap_ok(strcmp(s, "héllo") == 0, "xstrdup copies UTF-8");
	free(s);
	s = xstrndup("abcdef", 3);
	tap_ok(strcmp(s, "abc") == 0, "xstrndup stops at n");
	free(s);
	tap_ok(xasprintf(&s, "%d-%s", 7, "x") == 3 && strcmp(s, "7-x") == 0,
	    "xasprintf formats and returns the length");
	free(s);
	s = xstrdup("hunter22");
	vg_secret_free(s);
	vg_secret_free(NULL);
	tap_ok(1, "vg_secret_free accepts a secret and NULL");

	st = in_child(do_fatal, &mark);
	tap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT,
	    "fatal() aborts");
	tap_ok(mark == 'R', "fatal() runs the terminal-restore hook first");
	st = in_child(do_overflow, &mark);
	tap_ok(WIFSIGNALED(st) && mark == 'R',
	    "xreallocarray() refuses an overflowing size through fatal()");

	tap_ok(strcmp(vg_strerror(VG_ERR_AUTH), "Wrong user name or password")
	    == 0, "vg_strerror names an error");
	tap_ok(strcmp(vg_strerror(-999), "Unknown error") == 0 &&
	    strcmp(vg_strerror(5), "Unknown error") == 0,
	    "vg_strerror survives unknown codes");
	return tap_done();
}
