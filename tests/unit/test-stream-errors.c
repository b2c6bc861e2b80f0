/* test-stream-errors.c - failures are classified and never hang.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A loopback stub (a thread here) answers RTSP with 401 or 404, accepts
 * and never answers, or hangs up; HTTP with 401, 404 or a JPEG.  Each
 * probe or snapshot must fail with the right class within the deadline
 * (timeout + 1.5 s), or succeed for the JPEG (kept byte for byte, or
 * converted to PNG).  A closed port is "unreachable"; the cancel flag
 * ends a wait at once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "stream-int.h"
#include "tap.h"
#include "libvigia.h"

enum stub_mode { STUB_401, STUB_404, STUB_SILENT, STUB_HANGUP, STUB_JPEG };

struct stub {
	int fd;
	int port;
	enum stub_mode mode;
	bool http;
	volatile int quit;
	pthread_t thread;
	const uint8_t *body;
	size_t body_len;
};

/* Read one request head; returns its CSeq (0 if none), -1 on EOF. */
static int
stub_read_request(int c)
{
	char buf[4096], *p;
	size_t n = 0;
	ssize_t r;

	while (n < sizeof buf - 1) {
		r = read(c, buf + n, sizeof buf - 1 - n);
		if (r <= 0)
			return -1;
		n += (size_t)r;
		buf[n] = '\0';
		if (strstr(buf, "\r\n\r\n") != NULL)
			break;
	}
	p = strstr(buf, "CSeq:");
	return p != NULL ? atoi(p + 5) : 0;
}

/* Serve one connection in the stub's mode. */
static void
stub_serve(struct stub *s, int c)
{
	char reply[512];
	int cseq, n;

	if (s->mode == STUB_HANGUP)
		return;
	while (!s->quit && (cseq = stub_read_request(c)) >= 0) {
		if (s->mode == STUB_SILENT) {
			while (!s->quit && read(c, reply, sizeof reply) > 0)
				continue;
			return;
		}
		if (s->mode == STUB_JPEG) {
			n = snprintf(reply, sizeof reply, "HTTP/1.1 200 OK\r\n"
			    "Content-Type: image/jpeg\r\nContent-Length: %zu\r\n"
			    "Connection: close\r\n\r\n", s->body_len);
			if (write(c, reply, (size_t)n) != n ||
			    write(c, s->body, s->body_len) < 0)
				return;
			return;
		}
		n = snprintf(reply, sizeof reply, "%s %s\r\n%s%d\r\n%s"
		    "Content-Length: 0\r\n\r\n",
		    s->http ? "HTTP/1.1" : "RTSP/1.0",
		    s->mode == STUB_401 ? "401 Unauthorized" : "404 Not Found",
		    s->http ? "X-CSeq: " : "CSeq: ", cseq,
		    s->mode == STUB_401 ? "WWW-Authenticate: Digest "
		    "realm=\"stub\", nonce=\"0123456789abcdef\", qop=\"auth\"\r\n"
		    : "");
		if (write(c, reply, (size_t)n) != n || s->http)
			return;
	}
}

/* The stub's accept loop. */
static void *
stub_main(void *arg)
{
	struct stub *s = arg;
	int c;

	while (!s->quit) {
		c = accept(s->fd, NULL, NULL);
		if (c < 0)
			break;
		stub_serve(s, c);
		close(c);
	}
	return NULL;
}

/* Listen on 127.0.0.1 on a free port and start serving. */
static void
stub_start(struct stub *s, enum stub_mode mode, bool http)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->mode = mode;
	s->http = http;
	s->quit = 0;
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    listen(s->fd, 8) != 0 ||
	    getsockname(s->fd, (struct sockaddr *)&a, &len) != 0) {
		perror("stub");
		exit(99);
	}
	s->port = ntohs(a.sin_port);
	pthread_create(&s->thread, NULL, stub_main, s);
}

/* Stop the stub (shutdown wakes accept and reads). */
static void
stub_stop(struct stub *s)
{
	s->quit = 1;
	shutdown(s->fd, SHUT_RDWR);
	close(s->fd);
	pthread_join(s->thread, NULL);
}

/* Probe an RTSP URL against a stub; check class and time. */
static void
probe_case(enum stub_mode mode, const char *user, const char *pass,
    enum vg_stream_class want_cls, int want_err, const char *name)
{
	struct vg_stream_opts opts = { .timeout_ms = 800 };
	struct vg_stream_probe p;
	struct stub s;
	char url[128], title[160], *cause = NULL;
	int64_t t0;
	int err;

	stub_start(&s, mode, false);
	snprintf(url, sizeof url, "rtsp://127.0.0.1:%d/stream1", s.port);
	opts.user = user;
	opts.password = pass;
	t0 = stream_now_us();
	err = vg_stream_probe(url, &opts, 2, NULL, &p, &cause);
	t0 = stream_now_us() - t0;
	stub_stop(&s);
	snprintf(title, sizeof title, "%s: class %s", name,
	    vg_stream_class_name(want_cls));
	if (!tap_ok(err == want_err && p.cls == want_cls, title))
		printf("# got err %d class %s: %s\n", err,
		    vg_stream_class_name(p.cls), cause ? cause : "(none)");
	snprintf(title, sizeof title, "%s: within the deadline (%lld ms)",
	    name, (long long)(t0 / 1000));
	tap_ok(t0 < 800000 + 1500000, title);
	free(cause);
}

struct canceller {
	volatile int flag;
	int after_ms;
};

/* Set the cancel flag after a while. */
static void *
cancel_main(void *arg)
{
	struct canceller *c = arg;
	struct timespec ts = { 0, (long)c->after_ms * 1000000 };

	nanosleep(&ts, NULL);
	c->flag = 1;
	return NULL;
}

/* A JPEG of a grey 64x48 picture, made with the project's encoder. */
static void
make_jpeg(uint8_t **buf, size_t *len)
{
	AVFrame *f = av_frame_alloc();
	char *cause = NULL;

	f->format = AV_PIX_FMT_RGB24;
	f->width = 64;
	f->height = 48;
	av_frame_get_buffer(f, 0);
	for (int y = 0; y < 48; y++)
		memset(f->data[0] + y * f->linesize[0], 128, 64 * 3);
	if (stream_encode_image(f, VG_IMAGE_JPEG, buf, len, &cause) != VG_OK) {
		printf("# %s\n", cause);
		exit(99);
	}
	av_frame_free(&f);
}

/* Snapshot from an HTTP stub. */
static void
snapshot_case(enum stub_mode mode, const uint8_t *body, size_t body_len,
    const char *path, enum vg_image_format fmt,
    enum vg_stream_class want_cls, const char *name)
{
	struct vg_stream_opts opts = { .timeout_ms = 800, .user = "admin",
		.password = "wrong" };
	struct vg_snapshot_info info;
	struct stub s;
	char url[128], *cause = NULL;
	int err;

	s.body = body;
	s.body_len = body_len;
	stub_start(&s, mode, true);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/snap.jpg", s.port);
	err = vg_stream_snapshot(url, &opts, path, fmt, &info, &cause);
	stub_stop(&s);
	if (!tap_ok(info.cls == want_cls && (err == VG_OK) ==
	    (want_cls == VG_STREAM_OK), name))
		printf("# got err %d class %s: %s\n", err,
		    vg_stream_class_name(info.cls), cause ? cause : "(none)");
	free(cause);
}

int
main(void)
{
	struct vg_stream_opts opts = { .timeout_ms = 800 };
	struct canceller cn = { 0, 300 };
	struct vg_stream_probe p;
	struct stub s;
	pthread_t t;
	char url[128], tmpl[] = "/tmp/vigia-snap.XXXXXX", path[160];
	char *cause = NULL;
	uint8_t *jpeg, head[8];
	size_t jpeg_len;
	int64_t t0;
	int err, port;
	FILE *f;

	vg_init();
	probe_case(STUB_401, NULL, NULL, VG_STREAM_AUTH, VG_ERR_AUTH,
	    "RTSP 401 without credentials");
	probe_case(STUB_401, "admin", "wrong", VG_STREAM_AUTH, VG_ERR_AUTH,
	    "RTSP 401 with a wrong password");
	probe_case(STUB_404, NULL, NULL, VG_STREAM_NOT_FOUND, VG_ERR_NOTFOUND,
	    "RTSP 404");
	probe_case(STUB_SILENT, NULL, NULL, VG_STREAM_TIMEOUT, VG_ERR_TIMEOUT,
	    "a server that never answers");

	/* hang-up: whatever the class, it is an error and fast */
	stub_start(&s, STUB_HANGUP, false);
	snprintf(url, sizeof url, "rtsp://127.0.0.1:%d/x", s.port);
	t0 = stream_now_us();
	err = vg_stream_probe(url, &opts, 2, NULL, &p, &cause);
	t0 = stream_now_us() - t0;
	stub_stop(&s);
	tap_ok(err != VG_OK && p.cls != VG_STREAM_OK && t0 < 2300000,
	    "a server that hangs up fails fast");
	printf("# hang-up: class %s, %lld ms: %s\n",
	    vg_stream_class_name(p.cls), (long long)(t0 / 1000),
	    cause ? cause : "");
	free(cause);
	cause = NULL;

	/* a closed port */
	stub_start(&s, STUB_HANGUP, false);
	port = s.port;
	stub_stop(&s);
	snprintf(url, sizeof url, "rtsp://127.0.0.1:%d/x", port);
	err = vg_stream_probe(url, &opts, 2, NULL, &p, &cause);
	if (!tap_ok(err == VG_ERR_NET && p.cls == VG_STREAM_UNREACHABLE,
	    "a closed port is unreachable"))
		printf("# got %d %s: %s\n", err, vg_stream_class_name(p.cls),
		    cause);
	free(cause);
	cause = NULL;

	/* cancel while waiting on a silent server (timeout 10 s) */
	stub_start(&s, STUB_SILENT, false);
	snprintf(url, sizeof url, "rtsp://127.0.0.1:%d/x", s.port);
	opts.timeout_ms = 10000;
	opts.cancel = &cn.flag;
	pthread_create(&t, NULL, cancel_main, &cn);
	t0 = stream_now_us();
	err = vg_stream_probe(url, &opts, 2, NULL, &p, &cause);
	t0 = stream_now_us() - t0;
	pthread_join(t, NULL);
	stub_stop(&s);
	if (!tap_ok(err == VG_ERR_CANCELLED && p.cls == VG_STREAM_CANCELLED &&
	    t0 < 1500000, "the cancel flag ends a 10 s wait at once"))
		printf("# got %d %s in %lld ms\n", err,
		    vg_stream_class_name(p.cls), (long long)(t0 / 1000));
	free(cause);
	cause = NULL;

	/* snapshots over HTTP */
	if (mkdtemp(tmpl) == NULL)
		return 99;
	snprintf(path, sizeof path, "%s/snap", tmpl);
	make_jpeg(&jpeg, &jpeg_len);
	snapshot_case(STUB_401, NULL, 0, path, VG_IMAGE_PNG, VG_STREAM_AUTH,
	    "snapshot URI 401: auth");
	snapshot_case(STUB_404, NULL, 0, path, VG_IMAGE_PNG,
	    VG_STREAM_NOT_FOUND, "snapshot URI 404: not found");
	snapshot_case(STUB_JPEG, jpeg, jpeg_len, path, VG_IMAGE_JPEG,
	    VG_STREAM_OK, "snapshot URI JPEG saved");
	f = fopen(path, "rb");
	tap_ok(f != NULL && fseek(f, 0, SEEK_END) == 0 &&
	    ftell(f) == (long)jpeg_len, "the camera's JPEG is kept as it is");
	if (f != NULL)
		fclose(f);
	snapshot_case(STUB_JPEG, jpeg, jpeg_len, path, VG_IMAGE_PNG,
	    VG_STREAM_OK, "snapshot URI JPEG converted to PNG");
	f = fopen(path, "rb");
	tap_ok(f != NULL && fread(head, 1, 8, f) == 8 &&
	    memcmp(head, "\x89PNG", 4) == 0, "the PNG file starts with \\x89PNG");
	if (f != NULL)
		fclose(f);
	unlink(path);
	rmdir(tmpl);
	free(jpeg);
	vg_log_shutdown();
	return tap_done();
}
