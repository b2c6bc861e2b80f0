/* onvif-stub.c - a loopback ONVIF stand-in that replays recorded replies.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Serves HTTP on 127.0.0.1: the operation is the first element in the
 * SOAP Body, and the reply is DIR/<Operation>.xml.  A file that starts
 * with "HTTP/" is sent as it is (a 401, an HTML page); any other is sent
 * as a 200 application/soap+xml body.  DIR/<last path segment>-<Op>.xml
 * is tried first (Media and Media2 both have GetProfiles).  Placeholders:
 * {Y} {M} {D} {h} {m} {s} (and zero-padded {MM} {DD} {hh} {mm} {ss}) are
 * the stub camera's UTC clock (this host's time plus --offset),
 * {PORT} the HTTP port, {RELATES} the MessageID of a Probe.
 *
 * Authentication, as strict as a camera: with --user/--password every
 * operation except GetSystemDateAndTime needs a WS-Security UsernameToken
 * digest whose Created is within 5 s of the stub's clock (else a
 * ter:NotAuthorized fault), or, with --digest, HTTP digest (401 first).
 *
 * SetVideoEncoderConfiguration stores the Configuration it was sent
 * (attributes and content); a reply with a <!--CFG--><x:Elem ...>...
 * </x:Elem><!--/CFG--> block then returns <x:Elem> with what was sent (a
 * camera that keeps what it is told); fixtures without the block model
 * cameras that ignore a Set.
 *
 * --wsd FILE answers WS-Discovery Probes on 239.255.255.250:3702 (joined
 * on 127.0.0.1; run it in a network namespace with multicast on lo), and
 * --wsd-drop N ignores the first N probes; --wsd-flood S answers the
 * first probe answered with S seconds of copies of its reply;
 * --wsd-devices N follows it with N replies whose first endpoint is
 * made unique (N more cameras).  --hello/--bye FILE multicast
 * an announcement 300/700 ms after start.  Every request is appended to
 * --log FILE (operation and verdict) and FILE.body (the whole request).
 * --addr 127.x.y.z listens there instead of 127.0.0.1; --fallback-dir DIR
 * is searched for a reply when --dir has none; --no-wsse answers any
 * request with a mustUnderstand wsse:Security header with a SOAP
 * MustUnderstand fault (a device without WS-Security).  With no arguments it checks that it can listen and exits
 * 0 (it is run as a test by the harness).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/md5.h>
#include <openssl/sha.h>

#define MAXREQ (1 << 20)

static const char *dir, *user, *password, *logpath, *wsd_file;
static const char *hello_file, *bye_file, *fallback_dir;
static const char *listen_addr = "127.0.0.1";
static bool no_wsse;
static long offset_s;
static int wsd_drop, wsd_flood, wsd_devices, port;
static bool digest;
static char *stored_cfg, *stored_attrs;
static volatile sig_atomic_t stop;

/* SIGTERM/SIGINT: finish the current request and leave. */
static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Append a line to the log file. */
static void
logf_(const char *fmt, ...)
{
	va_list ap;
	FILE *f;

	if (logpath == NULL || (f = fopen(logpath, "a")) == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fclose(f);
}

/* Whole file, or NULL. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Replace every {KEY} in s by val (new string). */
static char *
subst(char *s, const char *key, const char *val)
{
	size_t kl = strlen(key), vl = strlen(val), n = 0;
	char *p, *out, *o;

	for (p = strstr(s, key); p != NULL; p = strstr(p + kl, key))
		n++;
	if (n == 0)
		return s;
	out = malloc(strlen(s) + n * vl + 1);
	for (o = out, p = s;;) {
		char *q = strstr(p, key);

		if (q == NULL) {
			strcpy(o, p);
			break;
		}
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, val, vl);
		o += vl;
		p = q + kl;
	}
	free(s);
	return out;
}

/* Fill the clock placeholders. */
static char *
subst_clock(char *s)
{
	time_t t = time(NULL) + offset_s;
	struct tm tm;
	char v[16];

	gmtime_r(&t, &tm);
	snprintf(v, sizeof v, "%d", tm.tm_year + 1900);
	s = subst(s, "{Y}", v);
	snprintf(v, sizeof v, "%d", tm.tm_mon + 1);
	s = subst(s, "{M}", v);
	snprintf(v, sizeof v, "%d", tm.tm_mday);
	s = subst(s, "{D}", v);
	snprintf(v, sizeof v, "%d", tm.tm_hour);
	s = subst(s, "{h}", v);
	snprintf(v, sizeof v, "%d", tm.tm_min);
	s = subst(s, "{m}", v);
	snprintf(v, sizeof v, "%d", tm.tm_sec);
	s = subst(s, "{s}", v);
	snprintf(v, sizeof v, "%02d", tm.tm_mon + 1);
	s = subst(s, "{MM}", v);
	snprintf(v, sizeof v, "%02d", tm.tm_mday);
	s = subst(s, "{DD}", v);
	snprintf(v, sizeof v, "%02d", tm.tm_hour);
	s = subst(s, "{hh}", v);
	snprintf(v, sizeof v, "%02d", tm.tm_min);
	s = subst(s, "{mm}", v);
	snprintf(v, sizeof v, "%02d", tm.tm_sec);
	s = subst(s, "{ss}", v);
	snprintf(v, sizeof v, "%d", port);
	return subst(s, "{PORT}", v);
}

/* Content of the first element whose local name is `local` (any
 * prefix), new string, or NULL. */
static char *
element_text(const char *xml, const char *local)
{
	size_t ll = strlen(local);
	const char *p, *gt, *q;
	char close[192];

	for (p = strchr(xml, '<'); p != NULL; p = strchr(p + 1, '<')) {
		const char *name = p + 1, *colon;
		size_t n = strcspn(name, " \t\r\n/>");

		if (*name == '/' || *name == '?' || *name == '!')
			continue;
		colon = memchr(name, ':', n);
		if (colon != NULL ? (size_t)(name + n - colon - 1) == ll &&
		    strncmp(colon + 1, local, ll) == 0 : n == ll &&
		    strncmp(name, local, ll) == 0) {
			snprintf(close, sizeof close, "</%.*s>", (int)n, name);
			break;
		}
	}
	if (p == NULL || (gt = strchr(p, '>')) == NULL)
		return NULL;
	if (gt[-1] == '/')
		return strdup("");
	if ((q = strstr(gt, close)) == NULL)
		return NULL;
	return strndup(gt + 1, (size_t)(q - gt - 1));
}

/* Local name of the first element inside the SOAP Body. */
static void
operation(const char *xml, char *op, size_t len)
{
	const char *p = strstr(xml, "Body");
	const char *q;
	size_t n;

	op[0] = '\0';
	if (p == NULL || (p = strchr(p, '>')) == NULL ||
	    (p = strchr(p, '<')) == NULL)
		return;
	p++;
	n = strcspn(p, " \t\r\n/>");
	q = memchr(p, ':', n);
	if (q != NULL) {
		n -= (size_t)(q + 1 - p);
		p = q + 1;
	}
	snprintf(op, len, "%.*s", (int)n, p);
}

/* Base64 decode (for the nonce); returns length. */
static int
b64dec(const char *in, unsigned char *out, int max)
{
	int n = EVP_DecodeBlock(out, (const unsigned char *)in,
	    (int)strlen(in));
	size_t l = strlen(in);

	if (n < 0 || n > max)
		return -1;
	while (l > 0 && in[l - 1] == '=') {
		n--;
		l--;
	}
	return n;
}

/* Check the WS-Security UsernameToken digest and its Created time. */
static bool
wsse_ok(const char *xml, char *why, size_t len)
{
	char *u = element_text(xml, "Username");
	char *pw = element_text(xml, "Password");
	char *nonce = element_text(xml, "Nonce");
	char *created = element_text(xml, "Created");
	unsigned char nraw[128], md[SHA_DIGEST_LENGTH], buf[512];
	char b64[64];
	struct tm tm;
	time_t c, now = time(NULL) + offset_s;
	int nl;
	size_t bl;
	bool ok = false;

	if (u == NULL || pw == NULL || nonce == NULL || created == NULL) {
		snprintf(why, len, "no UsernameToken");
		goto out;
	}
	if (strcmp(u, user) != 0) {
		snprintf(why, len, "unknown user %s", u);
		goto out;
	}
	memset(&tm, 0, sizeof tm);
	if (strptime(created, "%Y-%m-%dT%H:%M:%S", &tm) == NULL) {
		snprintf(why, len, "bad Created");
		goto out;
	}
	c = timegm(&tm);
	if (c < now - 5 || c > now + 5) {
		snprintf(why, len, "Created %ld s off the camera clock",
		    (long)(c - now));
		goto out;
	}
	if ((nl = b64dec(nonce, nraw, sizeof nraw)) < 0) {
		snprintf(why, len, "bad nonce");
		goto out;
	}
	bl = 0;
	memcpy(buf, nraw, (size_t)nl);
	bl += (size_t)nl;
	memcpy(buf + bl, created, strlen(created));
	bl += strlen(created);
	memcpy(buf + bl, password, strlen(password));
	bl += strlen(password);
	SHA1(buf, bl, md);
	EVP_EncodeBlock((unsigned char *)b64, md, sizeof md);
	if (strcmp(b64, pw) != 0) {
		snprintf(why, len, "wrong digest");
		goto out;
	}
	ok = true;
out:
	free(u);
	free(pw);
	free(nonce);
	free(created);
	return ok;
}

/* Lower-case hex MD5 of s. */
static void
md5hex(const char *s, char out[33])
{
	unsigned char md[16];
	int i;

	EVP_Digest(s, strlen(s), md, NULL, EVP_md5(), NULL);
	for (i = 0; i < 16; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

/* Value of a digest parameter in an Authorization header. */
static void
dparam(const char *h, const char *key, char *out, size_t len)
{
	char pat[64];
	const char *p;
	size_t n;

	out[0] = '\0';
	snprintf(pat, sizeof pat, "%s=", key);
	for (p = strstr(h, pat); p != NULL; p = strstr(p + 1, pat))
		if (p == h || p[-1] == ' ' || p[-1] == ',')
			break;
	if (p == NULL)
		return;
	p += strlen(pat);
	if (*p == '"') {
		p++;
		n = strcspn(p, "\"");
	} else
		n = strcspn(p, ", \r\n");
	snprintf(out, len, "%.*s", (int)n, p);
}

/* Check an HTTP digest Authorization header (POST). */
static bool
http_digest_ok(const char *hdr)
{
	const char *a = strcasestr(hdr, "\nAuthorization: Digest ");
	char u[64], realm[64], nonce[128], uri[256], nc[16], cnonce[128],
	    qop[16], resp[64], line[1024], ha1[33], ha2[33], want[33];

	if (a == NULL)
		return false;
	a += strlen("\nAuthorization: Digest ");
	snprintf(line, sizeof line, "%.*s", (int)strcspn(a, "\r\n"), a);
	dparam(line, "username", u, sizeof u);
	dparam(line, "realm", realm, sizeof realm);
	dparam(line, "nonce", nonce, sizeof nonce);
	dparam(line, "uri", uri, sizeof uri);
	dparam(line, "nc", nc, sizeof nc);
	dparam(line, "cnonce", cnonce, sizeof cnonce);
	dparam(line, "qop", qop, sizeof qop);
	dparam(line, "response", resp, sizeof resp);
	if (strcmp(u, user) != 0)
		return false;
	snprintf(line, sizeof line, "%s:%s:%s", u, realm, password);
	md5hex(line, ha1);
	snprintf(line, sizeof line, "POST:%s", uri);
	md5hex(line, ha2);
	if (qop[0] != '\0')
		snprintf(line, sizeof line, "%s:%s:%s:%s:%s:%s", ha1, nonce,
		    nc, cnonce, qop, ha2);
	else
		snprintf(line, sizeof line, "%s:%s:%s", ha1, nonce, ha2);
	md5hex(line, want);
	return strcmp(want, resp) == 0;
}

/* Send all of buf. */
static void
send_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* A 200 SOAP reply with body. */
static void
reply_soap(int fd, int status, const char *body)
{
	char hdr[256];

	snprintf(hdr, sizeof hdr, "HTTP/1.1 %d %s\r\nContent-Type: "
	    "application/soap+xml; charset=utf-8\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n", status, status == 200 ? "OK" :
	    "Internal Server Error", strlen(body));
	send_all(fd, hdr, strlen(hdr));
	send_all(fd, body, strlen(body));
}

/* An ONVIF SOAP 1.2 fault. */
static void
reply_fault(int fd, const char *sub, const char *reason)
{
	char body[2048];

	snprintf(body, sizeof body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\""
	    " xmlns:ter=\"http://www.onvif.org/ver10/error\"><env:Body>"
	    "<env:Fault><env:Code><env:Value>env:Sender</env:Value>"
	    "<env:Subcode><env:Value>%s</env:Value></env:Subcode></env:Code>"
	    "<env:Reason><env:Text xml:lang=\"en\">%s</env:Text></env:Reason>"
	    "</env:Fault></env:Body></env:Envelope>", sub, reason);
	reply_soap(fd, 400, body);
}

/* A SOAP 1.2 fault with a top-level code (env:MustUnderstand...). */
static void
reply_code_fault(int fd, const char *code, const char *reason)
{
	char body[2048];

	snprintf(body, sizeof body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\""
	    "><env:Body><env:Fault><env:Code><env:Value>%s</env:Value>"
	    "</env:Code><env:Reason><env:Text xml:lang=\"en\">%s</env:Text>"
	    "</env:Reason></env:Fault></env:Body></env:Envelope>", code,
	    reason);
	reply_soap(fd, 500, body);
}

/* Serve one HTTP connection. */
static void
serve(int fd)
{
	char *req = malloc(MAXREQ + 1), *body, *reply = NULL, path[1024];
	char op[128], why[128] = "";
	size_t got = 0, need = 0;
	struct pollfd pfd = { fd, POLLIN, 0 };

	while (got < MAXREQ && poll(&pfd, 1, 3000) > 0) {
		ssize_t n = recv(fd, req + got, MAXREQ - got, 0);
		char *cl;

		if (n <= 0)
			break;
		got += (size_t)n;
		req[got] = '\0';
		if ((body = strstr(req, "\r\n\r\n")) == NULL)
			continue;
		cl = strcasestr(req, "\nContent-Length:");
		need = (size_t)(body + 4 - req) + (cl != NULL ?
		    strtoul(cl + 16, NULL, 10) : 0);
		if (got >= need)
			break;
	}
	req[got] = '\0';
	if ((body = strstr(req, "\r\n\r\n")) == NULL)
		goto out;
	*body = '\0';
	body += 4;
	operation(body, op, sizeof op);
	if (no_wsse && strstr(body, "Security") != NULL &&
	    strstr(body, "mustUnderstand") != NULL) {
		/* a device without WS-Security: it must refuse the header */
		logf_("%s MustUnderstand", op);
		reply_code_fault(fd, "env:MustUnderstand",
		    "wsse:Security must be understood");
		goto out;
	}
	if (user != NULL && strcmp(op, "GetSystemDateAndTime") != 0) {
		if (digest && !http_digest_ok(req)) {
			const char *h = "HTTP/1.1 401 Unauthorized\r\n"
			    "WWW-Authenticate: Digest realm=\"stub\", "
			    "qop=\"auth\", nonce=\"4e6f6e6365303031\", "
			    "opaque=\"0a1b\"\r\nContent-Length: 0\r\n"
			    "Connection: close\r\n\r\n";

			logf_("%s 401", op);
			send_all(fd, h, strlen(h));
			goto out;
		}
		if (!digest && !wsse_ok(body, why, sizeof why)) {
			logf_("%s denied (%s)", op, why);
			reply_fault(fd, "ter:NotAuthorized",
			    "Sender not Authorized");
			goto out;
		}
	}
	logf_("%s ok%s", op, strstr(body, "ForcePersistence>true") != NULL ?
	    " ForcePersistence" : "");
	{
		char *q;

		char bp[1100];
		FILE *f;

		for (q = body; *q != '\0'; q++)
			if (*q == '\n' || *q == '\r')
				*q = ' ';
		/* request bodies go beside the log, one per line */
		snprintf(bp, sizeof bp, "%s.body", logpath != NULL ? logpath :
		    "");
		if (logpath != NULL && (f = fopen(bp, "a")) != NULL) {
			fprintf(f, "%s %s\n", op, body);
			fclose(f);
		}
	}
	if (strcmp(op, "SetVideoEncoderConfiguration") == 0) {
		/* keep what the camera was told (the element's content) */
		char *c = element_text(body, "Configuration");
		char *st = strstr(body, "Configuration ");

		if (c != NULL) {
			free(stored_cfg);
			stored_cfg = c;
			free(stored_attrs);
			stored_attrs = NULL;
			/* the attributes of the element (token, GovLength...) */
			while (st != NULL && st[-1] != ':' && st[-1] != '<')
				st = strstr(st + 1, "Configuration ");
			if (st != NULL)
				stored_attrs = strndup(st + 13,
				    strcspn(st + 13, ">"));
		}
	}
	{
		/* "POST /onvif/media2_service HTTP/1.1" -> "media2_service" */
		const char *u = strchr(req, ' '), *ue, *seg;

		ue = u != NULL ? strchr(u + 1, ' ') : NULL;
		for (seg = ue; seg != NULL && seg > u && *seg != '/'; seg--)
			;
		if (seg != NULL && ue != NULL) {
			snprintf(path, sizeof path, "%s/%.*s-%s.xml", dir,
			    (int)(ue - seg - 1), seg + 1, op);
			reply = slurp(path);
		}
		if (reply == NULL) {
			snprintf(path, sizeof path, "%s/%s.xml", dir, op);
			reply = slurp(path);
		}
		if (reply == NULL && fallback_dir != NULL && seg != NULL &&
		    ue != NULL) {
			snprintf(path, sizeof path, "%s/%.*s-%s.xml",
			    fallback_dir, (int)(ue - seg - 1), seg + 1, op);
			reply = slurp(path);
		}
		if (reply == NULL && fallback_dir != NULL) {
			snprintf(path, sizeof path, "%s/%s.xml", fallback_dir,
			    op);
			reply = slurp(path);
		}
	}
	if (reply == NULL) {
		reply_fault(fd, "ter:ActionNotSupported",
		    "Optional Action Not Implemented");
		goto out;
	}
	reply = subst_clock(reply);
	if (stored_cfg != NULL && strstr(reply, "<!--CFG-->") != NULL) {
		/* the block holds one element: keep its name, put in what the
		 * client sent (attributes and content) */
		char *a = strstr(reply, "<!--CFG-->");
		char *b = strstr(reply, "<!--/CFG-->");
		char *lt = strchr(a + 10, '<'), *n;
		size_t tl = lt != NULL ? strcspn(lt + 1, " >") : 0;

		if (b != NULL && lt != NULL && lt < b) {
			n = malloc(strlen(reply) + strlen(stored_cfg) +
			    (stored_attrs != NULL ? strlen(stored_attrs) : 0) +
			    2 * tl + 16);
			sprintf(n, "%.*s<%.*s %s>%s</%.*s>%s", (int)(a - reply),
			    reply, (int)tl, lt + 1, stored_attrs != NULL ?
			    stored_attrs : "", stored_cfg, (int)tl, lt + 1,
			    b + strlen("<!--/CFG-->"));
			free(reply);
			reply = n;
		}
	}
	if (strncmp(reply, "HTTP/", 5) == 0)
		send_all(fd, reply, strlen(reply));
	else
		reply_soap(fd, 200, reply);
out:
	free(reply);
	free(req);
	close(fd);
}

/* Answer a Probe datagram from `from`. */
static void
wsd_answer(int ufd, const char *dgram, const struct sockaddr_in *from)
{
	static int probes;
	char *rel, *msg;
	char pbuf[16];

	if (strstr(dgram, "Probe") == NULL || strstr(dgram, "ProbeMatches"))
		return;
	probes++;
	if (probes <= wsd_drop) {
		logf_("probe %d dropped", probes);
		return;
	}
	logf_("probe %d answered", probes);
	if ((msg = slurp(wsd_file)) == NULL)
		return;
	rel = element_text(dgram, "MessageID");
	msg = subst(msg, "{RELATES}", rel != NULL ? rel : "");
	snprintf(pbuf, sizeof pbuf, "%d", port);
	msg = subst(msg, "{PORT}", pbuf);
	sendto(ufd, msg, strlen(msg), 0, (const struct sockaddr *)from,
	    sizeof *from);
	if (wsd_devices > 0) {
		/* as many cameras: the first endpoint made unique */
		struct timespec pause = { 0, 1000000 };
		char id[32];
		int k;

		for (k = 0; k < wsd_devices; k++) {
			char *m = strdup(msg);

			snprintf(id, sizeof id, "urn:uuid:%08x", k);
			m = subst(m, "urn:uuid:4d454930", id);
			sendto(ufd, m, strlen(m), 0,
			    (const struct sockaddr *)from, sizeof *from);
			free(m);
			if (k % 32 == 31)
				nanosleep(&pause, NULL);
		}
		logf_("devices: %d sent", wsd_devices);
		wsd_devices = 0;
	}
	if (wsd_flood > 0) {
		/* keep sending it, as fast as loopback takes it */
		struct timespec a, b;
		long sentn = 0;

		clock_gettime(CLOCK_MONOTONIC, &a);
		do {
			sendto(ufd, msg, strlen(msg), 0,
			    (const struct sockaddr *)from, sizeof *from);
			sentn++;
			clock_gettime(CLOCK_MONOTONIC, &b);
		} while (b.tv_sec - a.tv_sec < wsd_flood);
		logf_("flood: %ld datagrams in %d s", sentn, wsd_flood);
		wsd_flood = 0;
	}
	free(rel);
	free(msg);
}

/* Multicast an announcement file. */
static void
announce(int ufd, const char *file)
{
	struct sockaddr_in dst;
	char pbuf[16], *msg = slurp(file);

	if (msg == NULL)
		return;
	snprintf(pbuf, sizeof pbuf, "%d", port);
	msg = subst(msg, "{PORT}", pbuf);
	memset(&dst, 0, sizeof dst);
	dst.sin_family = AF_INET;
	dst.sin_port = htons(3702);
	inet_pton(AF_INET, "239.255.255.250", &dst.sin_addr);
	sendto(ufd, msg, strlen(msg), 0, (struct sockaddr *)&dst, sizeof dst);
	logf_("announced %s", file);
	free(msg);
}

/* A UDP socket on 3702 joined to the discovery group on loopback. */
static int
wsd_socket(void)
{
	struct sockaddr_in sa;
	struct ip_mreq mr;
	struct in_addr lo;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(3702);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		perror("onvif-stub: bind 3702");
		exit(1);
	}
	inet_pton(AF_INET, "239.255.255.250", &mr.imr_multiaddr);
	inet_pton(AF_INET, "127.0.0.1", &mr.imr_interface);
	lo = mr.imr_interface;
	if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr) !=
	    0) {
		perror("onvif-stub: IP_ADD_MEMBERSHIP");
		exit(1);
	}
	setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &lo, sizeof lo);
	return fd;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	const char *portfile = NULL;
	int lfd, ufd = -1, one = 1, i;
	struct timespec t0, now;
	bool hello_sent = false, bye_sent = false;

	for (i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "--digest") == 0) {
			digest = true;
			continue;
		}
		if (strcmp(argv[i], "--no-wsse") == 0) {
			no_wsse = true;
			continue;
		}
		if (v == NULL) {
			fprintf(stderr, "onvif-stub: %s needs a value\n",
			    argv[i]);
			return 2;
		}
		i++;
		if (strcmp(argv[i - 1], "--dir") == 0)
			dir = v;
		else if (strcmp(argv[i - 1], "--user") == 0)
			user = v;
		else if (strcmp(argv[i - 1], "--password") == 0)
			password = v;
		else if (strcmp(argv[i - 1], "--offset") == 0)
			offset_s = atol(v);
		else if (strcmp(argv[i - 1], "--port") == 0)
			port = atoi(v);
		else if (strcmp(argv[i - 1], "--port-file") == 0)
			portfile = v;
		else if (strcmp(argv[i - 1], "--log") == 0)
			logpath = v;
		else if (strcmp(argv[i - 1], "--wsd") == 0)
			wsd_file = v;
		else if (strcmp(argv[i - 1], "--wsd-drop") == 0)
			wsd_drop = atoi(v);
		else if (strcmp(argv[i - 1], "--wsd-flood") == 0)
			wsd_flood = atoi(v);
		else if (strcmp(argv[i - 1], "--wsd-devices") == 0)
			wsd_devices = atoi(v);
		else if (strcmp(argv[i - 1], "--hello") == 0)
			hello_file = v;
		else if (strcmp(argv[i - 1], "--bye") == 0)
			bye_file = v;
		else if (strcmp(argv[i - 1], "--fallback-dir") == 0)
			fallback_dir = v;
		else if (strcmp(argv[i - 1], "--addr") == 0)
			listen_addr = v;
		else {
			fprintf(stderr, "onvif-stub: unknown option %s\n",
			    argv[i - 1]);
			return 2;
		}
	}
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, listen_addr, &sa.sin_addr) != 1 ||
	    (ntohl(sa.sin_addr.s_addr) >> 24) != 127) {
		fprintf(stderr, "onvif-stub: --addr %s: only 127.0.0.0/8\n",
		    listen_addr);
		return 2;
	}
	if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(lfd, 16) != 0) {
		perror("onvif-stub: bind");
		return 1;
	}
	getsockname(lfd, (struct sockaddr *)&sa, &sl);
	port = ntohs(sa.sin_port);
	if (argc == 1) {
		/* run by the test harness: it can listen, that is all */
		printf("ok 1 - onvif-stub listens on 127.0.0.1:%d\n1..1\n",
		    port);
		return 0;
	}
	if (dir == NULL) {
		fprintf(stderr, "usage: onvif-stub --dir DIR [--user U "
		    "--password P [--digest]] [--offset S] [--port N]\n"
		    "  [--port-file F] [--log F] [--wsd FILE [--wsd-drop N]] "
		    "[--hello F] [--bye F]\n  [--addr 127.x.y.z] "
		    "[--fallback-dir DIR] [--no-wsse] [--wsd-flood S] [--wsd-devices N]\n");
		return 2;
	}
	if (portfile != NULL) {
		FILE *f = fopen(portfile, "w");

		if (f == NULL) {
			perror(portfile);
			return 1;
		}
		fprintf(f, "%d\n", port);
		fclose(f);
	}
	if (wsd_file != NULL || hello_file != NULL || bye_file != NULL)
		ufd = wsd_socket();
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!stop) {
		struct pollfd p[2] = { { lfd, POLLIN, 0 }, { ufd, POLLIN, 0 } };
		long ms;

		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (now.tv_sec - t0.tv_sec) * 1000 +
		    (now.tv_nsec - t0.tv_nsec) / 1000000;
		if (hello_file != NULL && !hello_sent && ms >= 300) {
			announce(ufd, hello_file);
			hello_sent = true;
		}
		if (bye_file != NULL && !bye_sent && ms >= 700) {
			announce(ufd, bye_file);
			bye_sent = true;
		}
		if (poll(p, ufd >= 0 ? 2 : 1, 50) <= 0)
			continue;
		if (p[0].revents & POLLIN) {
			int fd = accept(lfd, NULL, NULL);

			if (fd >= 0)
				serve(fd);
		}
		if (ufd >= 0 && (p[1].revents & POLLIN)) {
			char buf[65536];
			struct sockaddr_in from;
			socklen_t fl = sizeof from;
			ssize_t n = recvfrom(ufd, buf, sizeof buf - 1, 0,
			    (struct sockaddr *)&from, &fl);

			if (n > 0) {
				buf[n] = '\0';
				if (wsd_file != NULL)
					wsd_answer(ufd, buf, &from);
			}
		}
	}
	free(stored_cfg);
	free(stored_attrs);
	close(lfd);
	if (ufd >= 0)
		close(ufd);
	return 0;
}
