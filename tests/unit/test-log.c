/* test-log.c - log sinks, levels, the ring and credential redaction.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "libvigia.h"

/* Read a whole small file into a new string. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = xcalloc(1, 65536);

	if (f != NULL) {
		size_t n = fread(buf, 1, 65535, f);

		buf[n] = '\0';
		fclose(f);
	}
	return buf;
}

/* Check that redacting in gives exactly want. */
static void
redacts(const char *in, const char *want)
{
	char *out = vg_log_redact(in), name[256];

	snprintf(name, sizeof name, "redact: %s", in);
	if (!tap_ok(strcmp(out, want) == 0, name))
		printf("#   got  \"%s\"\n#   want \"%s\"\n", out, want);
	free(out);
}

int
main(void)
{
	char dir[] = "/tmp/vigia-test-log-XXXXXX", path[300], errpath[300];
	char *text, **lines;
	struct stat st;
	size_t n;
	int fd, saved;

	if (mkdtemp(dir) == NULL)
		return 99;

	redacts("rtsp://admin:Secr3t!@10.0.0.5:554/Streaming",
	    "rtsp://admin:***@10.0.0.5:554/Streaming");
	redacts("GET / HTTP/1.1 Authorization: Digest username=\"a\", "
	    "response=\"ff\"", "GET / HTTP/1.1 Authorization: Digest ***");
	redacts("Authorization: Token 0123456789abcdef",
	    "Authorization: Token ***");
	redacts("login user=admin password=hunter2 ok",
	    "login user=admin password=*** ok");
	redacts("{\"token\": \"abc.def\", \"id\": 3}",
	    "{\"token\": \"***\", \"id\": 3}");
	redacts("<wsse:Password>digestvalue</wsse:Password>",
	    "<wsse:Password>***</wsse:Password>");
	redacts("secret_key=AbCd/123&x=1", "secret_key=***&x=1");
	redacts("X-Amz-Security-Token=FQoG; a=b", "X-Amz-Security-Token=***; a=b");
	redacts("camera gate-1: wrong password: the camera refused it",
	    "camera gate-1: wrong password: the camera refused it");
	redacts("http://host/path?a=b", "http://host/path?a=b");
	vg_log_add_secret("S3cr3tP4ss");
	redacts("the camera said S3cr3tP4ss twice: S3cr3tP4ss",
	    "the camera said *** twice: ***");

	/* file sink: created 0600, level filter, one line per message */
	snprintf(path, sizeof path, "%s/vigia.log", dir);
	tap_ok(vg_log_open_file(path, NULL) == VG_OK, "file sink opens");
	tap_ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "log file is mode 0600");
	vg_log_set_level(VG_LOG_INFO);
	log_info("hello %d", 1);
	log_debug("hidden at info level");
	log_error("two\nlines with S3cr3tP4ss");
	vg_log_close_file();
	text = slurp(path);
	tap_ok(strstr(text, "info: hello 1\n") != NULL, "info line written");
	tap_ok(strstr(text, "hidden") == NULL, "debug filtered at info");
	tap_ok(strstr(text, "error: two lines with ***\n") != NULL,
	    "newlines flattened and secret redacted in the file");
	free(text);
	tap_ok(vg_log_open_file("/nonexistent-dir/x.log", &text) ==
	    VG_ERR_IO && strstr(text, "/nonexistent-dir/x.log") != NULL,
	    "unopenable log file names the path");
	free(text);

	/* stderr sink with journald priority prefixes */
	snprintf(errpath, sizeof errpath, "%s/stderr", dir);
	fflush(stderr);
	saved = dup(2);
	fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
	vg_log_open_stderr(VG_LOG_SYSLOG_PREFIX);
	log_warn("disk %d%% full", 91);
	log_notice("started");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	vg_log_close_stderr();
	text = slurp(errpath);
	tap_ok(strcmp(text, "<4>warning: disk 91% full\n<5>notice: started\n")
	    == 0, "stderr sink writes syslog priority prefixes");
	free(text);

	/* ring: keeps the last N, oldest first */
	vg_log_ring_enable(3);
	log_info("r1");
	log_info("r2");
	log_info("r3");
	log_info("r4 password=abc");
	vg_log_ring_copy(&lines, &n);
	tap_ok(n == 3 && strstr(lines[0], "r2") != NULL &&
	    strstr(lines[2], "r4 password=***") != NULL,
	    "ring keeps the last 3 lines, redacted, oldest first");
	vg_log_ring_free(lines, n);

	vg_log_shutdown();
	unlink(path);
	unlink(errpath);
	rmdir(dir);
	return tap_done();
}
