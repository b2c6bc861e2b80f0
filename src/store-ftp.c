/* store-ftp.c - FTP, FTPS (explicit and implicit) and SFTP through libcurl.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A file goes to KEY.part (directories created), continuing a .part that
 * an interrupted attempt of this process left behind (a killed run's is
 * sent again whole), and is renamed to KEY once complete; the
 * size of KEY is then read back.  Nothing is ever seen under KEY that is
 * not whole.  TLS certificates and SFTP host keys are checked (the host
 * key against host_key_sha256) unless the entry says insecure = true.
 *
 * directory: an absolute path ("/srv/in"), or relative to the login
 * directory ("in").  "/" on FTP is the server's root (the home directory
 * on a chrooted server, which AWS Transfer Family is).
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "i18n.h"
#include "libvigia.h"
#include "store-sigv4.h"
#include "store.h"

struct ftp_prog {
	const volatile int *stop;
	curl_off_t last;
	time_t last_t;
	long limit_s;
	bool stalled;
};

struct ftp {
	struct vg_store base;
	enum vg_storage_type type;
	enum vg_ftps_mode tls;
	char *host;
	int port;
	char *user;
	char *password;		/* wiped */
	char *key_file;
	char *pub_file;
	char *host_sha256;	/* base64, no "SHA256:" */
	char *dir;		/* "/abs/" or "rel/" or "" , ends with '/' */
	bool passive;
	bool insecure;
	bool no_resume;		/* the last resume went wrong */
	bool no_resume_tried;	/* this attempt did not resume */
	char *tried_key;	/* the last key this process sent */
	struct ftp_prog prog;
	CURL *curl;
	/* the NVR check keeps some of the server's replies */
	bool capture;
	char greeting[128];	/* the 220 line */
	char pasv[128];		/* the last 227 or 229 line */
};

struct ftp_body {
	int fd;
	int64_t len, pos;
	struct vg_rate *rate;
	const volatile int *stop;
	int64_t sent;
};

static size_t
ftp_read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	struct ftp_body *b = arg;
	size_t want = size * nitems;
	ssize_t n;

	if (b->stop != NULL && *b->stop)
		return CURL_READFUNC_ABORT;
	if ((int64_t)want > b->len - b->pos)
		want = (size_t)(b->len - b->pos);
	if (want == 0)
		return 0;
	want = vg_rate_take(b->rate, want);
	do
		n = pread(b->fd, buf, want, (off_t)b->pos);
	while (n == -1 && errno == EINTR);
	if (n <= 0)
		return CURL_READFUNC_ABORT;
	b->pos += n;
	b->sent += n;
	return (size_t)n;
}

static int
ftp_seek_cb(void *arg, curl_off_t offset, int origin)
{
	struct ftp_body *b = arg;

	if (origin != SEEK_SET || offset < 0)
		return CURL_SEEKFUNC_CANTSEEK;
	if (offset > b->len)	/* a remote .part longer than the file */
		return CURL_SEEKFUNC_FAIL;
	b->pos = offset;
	return CURL_SEEKFUNC_OK;
}

static size_t
ftp_discard_cb(char *p, size_t size, size_t n, void *arg)
{
	(void)p, (void)arg;
	return size * n;
}

static size_t
ftp_file_cb(char *p, size_t size, size_t n, void *arg)
{
	return fwrite(p, size, n, arg);
}

/*
 * Stop requests, and the stall deadline: no byte moved for low_speed_s
 * (the deadline counts the whole transfer, directory creation and the
 * final rename included).
 */
static int
ftp_progress_cb(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	struct ftp_prog *pr = arg;
	time_t now = time(NULL);

	(void)dt, (void)ut;
	if (pr->stop != NULL && *pr->stop)
		return 1;
	if (dn + un != pr->last || pr->last_t == 0) {
		pr->last = dn + un;
		pr->last_t = now;
	} else if (now - pr->last_t > pr->limit_s) {
		pr->stalled = true;
		return 1;
	}
	return 0;
}

/* The server's replies, for the NVR check. */
static size_t
ftp_reply_cb(char *p, size_t size, size_t n, void *arg)
{
	struct ftp *f = arg;
	size_t len = size * n, k = len;
	char *slot = NULL;

	while (k > 0 && (p[k - 1] == '\r' || p[k - 1] == '\n'))
		k--;
	if (k >= 4 && strncmp(p, "220", 3) == 0 && f->greeting[0] == '\0')
		slot = f->greeting;
	else if (k >= 4 && (strncmp(p, "227", 3) == 0 ||
	    strncmp(p, "229", 3) == 0))
		slot = f->pasv;
	if (slot != NULL)
		snprintf(slot, sizeof f->pasv, "%.*s", (int)(k > 120 ? 120 :
		    k), p);
	return len;
}

static const char *
ftp_scheme(const struct ftp *f)
{
	if (f->type == VG_STORAGE_SFTP)
		return "sftp";
	if (f->type == VG_STORAGE_FTPS && f->tls == VG_FTPS_IMPLICIT)
		return "ftps";
	return "ftp";
}

/* The remote path of key (dir + key), unencoded. */
static char *
ftp_path(const struct ftp *f, const char *key)
{
	char *p;

	xasprintf(&p, "%s%s", f->dir, key ? key : "");
	return p;
}

/* The URL of a remote path: FTP paths are relative to the login
 * directory unless they start with %2F. */
static char *
ftp_url(const struct ftp *f, const char *path)
{
	char *enc, *url;
	bool abs = path[0] == '/';

	enc = vg_sigv4_uri_encode(abs ? path + 1 : path,
	    strlen(abs ? path + 1 : path), true);
	if (enc == NULL)
		fatal("out of memory");
	if (f->type == VG_STORAGE_SFTP)
		xasprintf(&url, "sftp://%s:%d/%s%s", f->host, f->port,
		    abs ? "" : "~/", enc);
	else
		xasprintf(&url, "%s://%s:%d/%s%s", ftp_scheme(f), f->host,
		    f->port, abs ? "%2F" : "", enc);
	free(enc);
	return url;
}

static void
ftp_setup(struct ftp *f, const char *url, char *errbuf,
    const volatile int *stop)
{
	CURL *c = f->curl;

	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERNAME, f->user);
	if (f->password != NULL)
		curl_easy_setopt(c, CURLOPT_PASSWORD, f->password);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, f->base.connect_s);
	memset(&f->prog, 0, sizeof f->prog);
	f->prog.stop = stop;
	f->prog.limit_s = f->base.low_speed_s;
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, ftp_progress_cb);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, &f->prog);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, ftp_discard_cb);
	curl_easy_setopt(c, CURLOPT_FTP_RESPONSE_TIMEOUT, 60L);
	if (f->type == VG_STORAGE_SFTP) {
		curl_easy_setopt(c, CURLOPT_SSH_AUTH_TYPES, (long)
		    (CURLSSH_AUTH_PUBLICKEY | CURLSSH_AUTH_PASSWORD));
		if (f->key_file != NULL) {
			curl_easy_setopt(c, CURLOPT_SSH_PRIVATE_KEYFILE,
			    f->key_file);
			curl_easy_setopt(c, CURLOPT_SSH_PUBLIC_KEYFILE,
			    f->pub_file ? f->pub_file : "");
		}
		if (f->host_sha256 != NULL && !f->insecure)
			curl_easy_setopt(c,
			    CURLOPT_SSH_HOST_PUBLIC_KEY_SHA256,
			    f->host_sha256);
	} else {
		if (f->type == VG_STORAGE_FTPS) {
			curl_easy_setopt(c, CURLOPT_USE_SSL,
			    (long)CURLUSESSL_ALL);
			/* TLS 1.3 data connections to vsftpd (3.0.3 with
			 * OpenSSL 3) fail now and then with "426 Failure
			 * writing network stream"; 1.2 does not. */
			curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)
			    (CURL_SSLVERSION_TLSv1_2 |
			    CURL_SSLVERSION_MAX_TLSv1_2));
		}
		if (!f->passive)
			curl_easy_setopt(c, CURLOPT_FTPPORT, "-");
		if (f->capture) {
			curl_easy_setopt(c, CURLOPT_HEADERFUNCTION,
			    ftp_reply_cb);
			curl_easy_setopt(c, CURLOPT_HEADERDATA, f);
		}
		if (f->insecure) {
			curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
			curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
		}
	}
}

static int
ftp_error(struct ftp *f, CURLcode cc, const char *msg,
    struct vg_store_err *e)
{
	long resp = 0;

	curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &resp);
	log_debug("%s: curl error %d (%s), reply %ld", f->host, (int)cc, msg,
	    resp);
	if (cc == CURLE_ABORTED_BY_CALLBACK && f->prog.stalled) {
		vg_store_err_set(e, false, "net",
		    _("%s did not answer in time: %s"), f->host,
		    _("the transfer stalled"));
		return VG_ERR_TIMEOUT;
	}
	if (((cc == CURLE_READ_ERROR && !(f->prog.stop && *f->prog.stop)) ||
	    cc == CURLE_FTP_COULDNT_USE_REST || cc == CURLE_BAD_DOWNLOAD_RESUME) &&
	    !f->no_resume_tried) {
		/* the .part on the server is longer than the file: the
		 * next attempt starts from the beginning */
		f->no_resume = true;
		vg_store_err_set(e, false, "verify",
		    _("the partial upload on %s does not fit the file (%s); starting it again"),
		    f->host, msg);
		return VG_ERR_PROTO;
	}
	switch (cc) {
	case CURLE_ABORTED_BY_CALLBACK:
	case CURLE_READ_ERROR:
		vg_store_err_set(e, false, "stop",
		    _("the upload was interrupted"));
		return VG_ERR_CANCELLED;
	case CURLE_LOGIN_DENIED:
		vg_store_err_set(e, true, "auth",
		    _("%s refused the login of user %s: check user and password"),
		    f->host, f->user);
		return VG_ERR_AUTH;
	case CURLE_SSH:
		if (f->type == VG_STORAGE_SFTP && strstr(msg, "hostkey") != NULL) {
			vg_store_err_set(e, true, "tls",
			    _("the SSH host key of %s is not the one in host_key_sha256 (%s): another server is answering, or the key changed"),
			    f->host, msg);
			return VG_ERR_AUTH;
		}
		vg_store_err_set(e, false, "net", _("SSH error with %s: %s"),
		    f->host, msg);
		return VG_ERR_NET;
	case CURLE_PEER_FAILED_VERIFICATION:
		if (f->type == VG_STORAGE_SFTP) {
			vg_store_err_set(e, true, "tls",
			    _("the SSH host key of %s is not the one in host_key_sha256 (%s): another server is answering, or the key changed"),
			    f->host, msg);
			return VG_ERR_AUTH;
		}
		/* FALLTHROUGH */
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		vg_store_err_set(e, true, "tls",
		    _("the TLS certificate of %s cannot be trusted (%s); fix the certificate, or set insecure = true to skip the check"),
		    f->host, msg);
		return VG_ERR_AUTH;
	case CURLE_USE_SSL_FAILED:
		vg_store_err_set(e, true, "tls",
		    _("%s does not offer TLS (AUTH TLS): use type = \"ftp\" or another tls mode"),
		    f->host);
		return VG_ERR_UNSUPPORTED;
	case CURLE_REMOTE_ACCESS_DENIED:
	case CURLE_QUOTE_ERROR:
		vg_store_err_set(e, true, "auth",
		    _("%s refused access to the directory or file (%s): check directory and the user's rights"),
		    f->host, msg);
		return VG_ERR_PERM;
	case CURLE_REMOTE_DISK_FULL:
		vg_store_err_set(e, false, "full",
		    _("the disk of %s is full"), f->host);
		return VG_ERR_IO;
	case CURLE_REMOTE_FILE_NOT_FOUND:
		vg_store_err_set(e, true, "missing", _("no such file on %s"),
		    f->host);
		return VG_ERR_NOTFOUND;
	case CURLE_COULDNT_RESOLVE_HOST:
		vg_store_err_set(e, false, "net",
		    _("the name %s does not resolve (DNS): %s"), f->host, msg);
		return VG_ERR_NET;
	case CURLE_OPERATION_TIMEDOUT:
		vg_store_err_set(e, false, "net",
		    _("%s did not answer in time: %s"), f->host, msg);
		return VG_ERR_TIMEOUT;
	case CURLE_UPLOAD_FAILED:
		if (resp == 452 || resp == 552) {
			vg_store_err_set(e, false, "full",
			    _("the disk of %s is full"), f->host);
			return VG_ERR_IO;
		}
		/* FALLTHROUGH */
	default:
		vg_store_err_set(e, false, "net", _("cannot reach %s: %s"),
		    f->host, msg);
		return VG_ERR_NET;
	}
}

static int
ftp_perform(struct ftp *f, char *errbuf, struct vg_store_err *e)
{
	CURLcode cc = curl_easy_perform(f->curl);

	if (cc == CURLE_OK)
		return 0;
	return ftp_error(f, cc, errbuf[0] ? errbuf : curl_easy_strerror(cc),
	    e);
}

static int ftp_size_path(struct ftp *f, const char *path, int64_t *size,
    struct vg_store_err *e);

/* Does the .part at tmp hold still (or not exist)?  Its size is read
 * twice, VIGIA_TEST_FTP_SETTLE_MS (2 s) apart. */
static bool
ftp_part_settled(struct ftp *f, const char *tmp, const volatile int *stop)
{
	struct vg_store_err e = { 0 };
	int64_t a = -1, b = -1;
	long ms = vg_store_env_long("VIGIA_TEST_FTP_SETTLE_MS", 2000), t;

	if (ftp_size_path(f, tmp, &a, &e) != 0 || a < 0) {
		vg_store_err_clear(&e);
		return true;		/* nothing to continue */
	}
	for (t = 0; t < ms && (stop == NULL || !*stop); t += 100)
		usleep(100 * 1000);
	if (ftp_size_path(f, tmp, &b, &e) != 0)
		b = -1;
	vg_store_err_clear(&e);
	if (a != b)
		log_info("%s: still growing on the server (%" PRId64
		    " then %" PRId64 " bytes): sent again from the start",
		    tmp, a, b);
	return a == b;
}

/* The size of a remote path (SIZE, or an SFTP stat). */
static int
ftp_size_path(struct ftp *f, const char *path, int64_t *size,
    struct vg_store_err *e)
{
	char errbuf[CURL_ERROR_SIZE] = "", *url = ftp_url(f, path);
	curl_off_t cl = -1;
	int err;

	*size = -1;
	ftp_setup(f, url, errbuf, NULL);
	curl_easy_setopt(f->curl, CURLOPT_NOBODY, 1L);
	err = ftp_perform(f, errbuf, e);
	if (err == VG_ERR_PERM && f->type != VG_STORAGE_SFTP) {
		/* CWD into a directory that is not there (yet) */
		vg_store_err_set(e, true, "missing", _("no such file on %s"),
		    f->host);
		err = VG_ERR_NOTFOUND;
	}
	if (err == 0) {
		curl_easy_getinfo(f->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
		    &cl);
		*size = cl;
		if (cl < 0) {
			vg_store_err_set(e, true, "missing",
			    _("no such file on %s"), f->host);
			err = VG_ERR_NOTFOUND;
		}
	}
	free(url);
	return err;
}

static const char *
base_name(const char *p)
{
	size_t i = strlen(p);

	while (i > 0 && p[i - 1] != '/')
		i--;
	return p + i;
}

static int
ftp_put(struct vg_store *st, const struct vg_store_put *p,
    struct vg_store_result *res, struct vg_store_err *e)
{
	struct ftp *f = (struct ftp *)st;
	char errbuf[CURL_ERROR_SIZE] = "";
	char *path = ftp_path(f, p->key), *tmp, *url, *c1 = NULL, *c2 = NULL;
	struct curl_slist *post = NULL;
	struct ftp_body b = { .fd = -1, .rate = p->rate, .stop = p->stop };
	struct stat sb;
	int64_t got = -1;
	bool resumed;
	int err;

	memset(res, 0, sizeof *res);
	xasprintf(&tmp, "%s.part", path);
	url = ftp_url(f, tmp);
	if ((b.fd = open(p->path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(b.fd, &sb) == -1) {
		vg_store_err_set(e, true, "local", _("cannot read %s: %s"),
		    p->path, strerror(errno));
		err = VG_ERR_IO;
		goto out;
	}
	b.len = (int64_t)sb.st_size;
	if (f->type == VG_STORAGE_SFTP) {
		xasprintf(&c1, "*rm \"%s\"", path);
		xasprintf(&c2, "rename \"%s\" \"%s\"", tmp, path);
	} else {
		/* curl has changed to the file's directory */
		xasprintf(&c1, "RNFR %s", base_name(tmp));
		xasprintf(&c2, "RNTO %s", base_name(path));
	}
	post = curl_slist_append(post, c1);
	post = curl_slist_append(post, c2);
	/*
	 * A .part left by a killed run may still be growing on the server
	 * (its session writing what the kernel had buffered): appending to
	 * it then could store wrong bytes.  It is continued only when its
	 * size holds still for a while; otherwise it is sent again from the
	 * start (whatever the old session still writes is then the same
	 * bytes at the same offsets).
	 */
	if (!f->no_resume && (f->tried_key == NULL ||
	    strcmp(f->tried_key, p->key) != 0)) {
		free(f->tried_key);
		f->tried_key = xstrdup(p->key);
		if (!ftp_part_settled(f, tmp, p->stop))
			f->no_resume = true;
	}
again:
	ftp_setup(f, url, errbuf, p->stop);
	curl_easy_setopt(f->curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(f->curl, CURLOPT_INFILESIZE_LARGE,
	    (curl_off_t)b.len);
	/* larger writes: fewer system calls, and libssh2 pipelines more
	 * SFTP writes per call; still bounded memory */
	curl_easy_setopt(f->curl, CURLOPT_UPLOAD_BUFFERSIZE, 512L * 1024);
	curl_easy_setopt(f->curl, CURLOPT_READFUNCTION, ftp_read_cb);
	curl_easy_setopt(f->curl, CURLOPT_READDATA, &b);
	curl_easy_setopt(f->curl, CURLOPT_SEEKFUNCTION, ftp_seek_cb);
	curl_easy_setopt(f->curl, CURLOPT_SEEKDATA, &b);
	curl_easy_setopt(f->curl, CURLOPT_FTP_CREATE_MISSING_DIRS,
	    (long)CURLFTP_CREATE_DIR_RETRY);
	curl_easy_setopt(f->curl, CURLOPT_NEW_DIRECTORY_PERMS, 0755L);
	curl_easy_setopt(f->curl, CURLOPT_NEW_FILE_PERMS, 0644L);
	if (!f->no_resume)
		/* continue a .part left by an interrupted upload */
		curl_easy_setopt(f->curl, CURLOPT_RESUME_FROM_LARGE,
		    (curl_off_t)-1);
	curl_easy_setopt(f->curl, CURLOPT_POSTQUOTE, post);
	resumed = !f->no_resume;
	f->no_resume_tried = !resumed;
	f->no_resume = false;
	b.pos = 0;
	err = ftp_perform(f, errbuf, e);
	res->sent = b.sent;
	b.sent = 0;
	if (err != 0 && resumed && f->no_resume) {
		/* the .part did not fit: once more, from the start */
		log_debug("%s: %s", path, e->msg);
		vg_store_err_clear(e);
		goto again;
	}
	if (err != 0)
		goto out;
	if ((err = ftp_size_path(f, path, &got, e)) != 0)
		goto out;
	if (got != b.len) {
		vg_store_err_set(e, false, "verify",
		    _("the stored file has %" PRId64 " bytes, the local one %" PRId64 ": uploading it again"),
		    got, b.len);
		f->no_resume = true;
		err = VG_ERR_PROTO;
		goto out;
	}
	res->bytes = got;
out:
	if (err != 0) {
		/* the next attempt looks at the .part again: the server may
		 * still be writing what this one sent before it failed */
		free(f->tried_key);
		f->tried_key = NULL;
	}
	if (b.fd != -1)
		close(b.fd);
	curl_slist_free_all(post);
	free(c1);
	free(c2);
	free(url);
	free(tmp);
	free(path);
	return err;
}

static int
ftp_size(struct vg_store *st, const char *key, int64_t *size,
    struct vg_store_err *e)
{
	struct ftp *f = (struct ftp *)st;
	char *path = ftp_path(f, key);
	int err = ftp_size_path(f, path, size, e);

	free(path);
	return err;
}

static int
ftp_get(struct vg_store *st, const char *key, const char *lpath,
    struct vg_store_err *e)
{
	struct ftp *f = (struct ftp *)st;
	char errbuf[CURL_ERROR_SIZE] = "";
	char *path = ftp_path(f, key), *url = ftp_url(f, path);
	FILE *out;
	int err;

	if ((out = fopen(lpath, "wbe")) == NULL) {
		vg_store_err_set(e, true, "local", _("cannot write %s: %s"),
		    lpath, strerror(errno));
		err = VG_ERR_IO;
		goto out;
	}
	ftp_setup(f, url, errbuf, NULL);
	curl_easy_setopt(f->curl, CURLOPT_WRITEFUNCTION, ftp_file_cb);
	curl_easy_setopt(f->curl, CURLOPT_WRITEDATA, out);
	err = ftp_perform(f, errbuf, e);
	if (fclose(out) != 0 && err == 0) {
		vg_store_err_set(e, true, "local", _("cannot write %s: %s"),
		    lpath, strerror(errno));
		err = VG_ERR_IO;
	}
out:
	free(url);
	free(path);
	return err;
}

static int
ftp_del(struct vg_store *st, const char *key, struct vg_store_err *e)
{
	struct ftp *f = (struct ftp *)st;
	char errbuf[CURL_ERROR_SIZE] = "";
	char *path = ftp_path(f, key), *dir, *url, *cmd;
	struct curl_slist *q = NULL;
	int err;

	/* the command runs on the directory's URL */
	dir = xstrndup(path, (size_t)(base_name(path) - path));
	url = ftp_url(f, dir);
	if (f->type == VG_STORAGE_SFTP)
		xasprintf(&cmd, "rm \"%s\"", path);
	else
		xasprintf(&cmd, "DELE %s", path);
	q = curl_slist_append(q, cmd);
	ftp_setup(f, url, errbuf, NULL);
	curl_easy_setopt(f->curl, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(f->curl, CURLOPT_QUOTE, q);
	err = ftp_perform(f, errbuf, e);
	curl_slist_free_all(q);
	free(cmd);
	free(url);
	free(dir);
	free(path);
	return err;
}

static void
ftp_free(struct vg_store *st)
{
	struct ftp *f = (struct ftp *)st;

	curl_easy_cleanup(f->curl);
	free(f->host);
	free(f->user);
	vg_secret_free(f->password);
	free(f->key_file);
	free(f->pub_file);
	free(f->host_sha256);
	free(f->dir);
	free(f->tried_key);
	free(f);
}

static const struct vg_store_ops ftp_ops = {
	.put = ftp_put,
	.size = ftp_size,
	.get = ftp_get,
	.del = ftp_del,
	.free = ftp_free,
};

/* "SHA256:<base64>" or 64 hex digits into curl's form (base64, no
 * padding). */
static char *
host_key_b64(const char *s)
{
	unsigned char md[32], b64[48];
	size_t n;

	if (strncmp(s, "SHA256:", 7) == 0)
		return xstrdup(s + 7);
	if (strlen(s) != 64)
		return xstrdup(s);
	for (int i = 0; i < 32; i++) {
		unsigned int v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return xstrdup(s);
		md[i] = (unsigned char)v;
	}
	EVP_EncodeBlock(b64, md, 32);
	n = strlen((char *)b64);
	while (n > 0 && b64[n - 1] == '=')
		b64[--n] = '\0';
	return xstrdup((char *)b64);
}

struct vg_store *
vg_store_ftp_new(const struct vg_storage *cfg, char **cause)
{
	struct ftp *f;
	const char *d = cfg->directory ? cfg->directory : "/";
	size_t n;

	if (cfg->host == NULL || cfg->user == NULL) {
		xasprintf(cause, _("storage %s: host and user are required"),
		    cfg->name);
		return NULL;
	}
	vg_store_curl_init();
	f = xcalloc(1, sizeof *f);
	f->base.ops = &ftp_ops;
	f->type = cfg->type;
	f->tls = cfg->tls;
	f->host = xstrdup(cfg->host);
	f->port = cfg->port > 0 ? cfg->port :
	    vg_storage_default_port(cfg->type, cfg->tls);
	f->user = xstrdup(cfg->user);
	f->password = cfg->password.value ? xstrdup(cfg->password.value) :
	    NULL;
	if (cfg->private_key_file != NULL) {
		struct stat sb;

		f->key_file = xstrdup(cfg->private_key_file);
		xasprintf(&f->pub_file, "%s.pub", cfg->private_key_file);
		if (stat(f->pub_file, &sb) == -1) {
			free(f->pub_file);
			f->pub_file = NULL;
		}
	}
	if (cfg->host_key_sha256 != NULL)
		f->host_sha256 = host_key_b64(cfg->host_key_sha256);
	n = strlen(d);
	if (strcmp(d, "/") == 0 && cfg->type != VG_STORAGE_SFTP)
		f->dir = xstrdup("");
	else
		xasprintf(&f->dir, "%s%s", d,
		    n > 0 && d[n - 1] == '/' ? "" : "/");
	f->passive = cfg->passive;
	f->insecure = cfg->insecure;
	if ((f->curl = curl_easy_init()) == NULL)
		fatal("curl_easy_init");
	return &f->base;
}

/* ---- the NVR check ------------------------------------------------------- */

static double
ftp_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A directory listing, kept (bounded). */
struct ftp_list {
	char buf[8192];
	size_t n;
};

static size_t
ftp_list_cb(char *p, size_t size, size_t n, void *arg)
{
	struct ftp_list *l = arg;
	size_t len = size * n, k = len;

	if (k > sizeof l->buf - 1 - l->n)
		k = sizeof l->buf - 1 - l->n;
	memcpy(l->buf + l->n, p, k);
	l->n += k;
	l->buf[l->n] = '\0';
	return len;
}

/* Perform on the URL of dirpath with no body, commands first (cmd may
 * be NULL); mkdirs: create the directories of the URL. */
static int
ftp_nobody(struct ftp *f, const char *dirpath, const char *cmd, bool mkdirs,
    const volatile int *stop, struct vg_store_err *e)
{
	char errbuf[CURL_ERROR_SIZE] = "", *url = ftp_url(f, dirpath);
	struct curl_slist *q = cmd ? curl_slist_append(NULL, cmd) : NULL;
	int err;

	ftp_setup(f, url, errbuf, stop);
	curl_easy_setopt(f->curl, CURLOPT_NOBODY, 1L);
	if (q != NULL)
		curl_easy_setopt(f->curl, CURLOPT_QUOTE, q);
	if (mkdirs)
		curl_easy_setopt(f->curl, CURLOPT_FTP_CREATE_MISSING_DIRS,
		    (long)CURLFTP_CREATE_DIR_RETRY);
	err = ftp_perform(f, errbuf, e);
	curl_slist_free_all(q);
	free(url);
	return err;
}

/* Whether the NVR check should stop. */
static bool
nvr_stopped(const struct vg_probe_opts *o)
{
	return o->stop != NULL && *o->stop != 0;
}

/* What the server announced for passive mode, in plain words. */
static void
nvr_passive(struct ftp *f, const struct vg_probe_opts *o,
    struct vg_probe_report *rep)
{
	unsigned h[4], p1, p2, port;
	const char *lp = strchr(f->pasv, '(');
	char ip[32];

	if (!f->passive) {
		vg_probe_step_add(o, rep, NULL, _("passive ports"), true, 0,
		    "%s", _("active mode (PORT): the server connects back to "
		    "the client for every file; passive mode crosses "
		    "firewalls and NAT better"));
		return;
	}
	if (lp != NULL && strncmp(f->pasv, "229", 3) == 0 &&
	    sscanf(lp, "(|||%u|)", &port) == 1) {
		vg_probe_step_add(o, rep, NULL, _("passive ports"), true, 0,
		    _("the data connection opened on port %u (EPSV); every "
		    "port of the server's passive range must be open between "
		    "the NVR and %s"), port, f->host);
		return;
	}
	if (lp != NULL && sscanf(lp, "(%u,%u,%u,%u,%u,%u)", &h[0], &h[1],
	    &h[2], &h[3], &p1, &p2) == 6) {
		snprintf(ip, sizeof ip, "%u.%u.%u.%u", h[0], h[1], h[2], h[3]);
		port = p1 * 256 + p2;
		if (strcmp(ip, f->host) != 0 && strspn(f->host,
		    "0123456789.") == strlen(f->host))
			vg_probe_step_add(o, rep, NULL, _("passive ports"),
			    true, 0, _("the server announces address %s port "
			    "%u for data, not %s: behind NAT, set the "
			    "server's passive address to the one the NVR "
			    "reaches"), ip, port, f->host);
		else
			vg_probe_step_add(o, rep, NULL, _("passive ports"),
			    true, 0, _("the data connection opened on %s "
			    "port %u (PASV); every port of the server's "
			    "passive range must be open between the NVR and "
			    "the server"), ip, port);
		return;
	}
	vg_probe_step_add(o, rep, NULL, _("passive ports"), true, 0, "%s",
	    _("the server's passive reply was not seen; the file went "
	    "through all the same"));
}

int
vg_store_nvr_check(const struct vg_storage *cfg,
    const struct vg_probe_opts *o, struct vg_probe_report *rep,
    char **cause)
{
	struct vg_store *st = NULL;
	struct vg_store_err e = { 0 };
	struct vg_store_result res = { 0 };
	struct vg_store_put p = { 0 };
	struct ftp_list list = { .n = 0 };
	struct ftp *f;
	char tmpl[] = "/tmp/vigia-nvr.XXXXXX", host[64] = "", name[128];
	char *sub = NULL, *key = NULL, *cmd = NULL, *url = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	unsigned char buf[16384];
	int64_t bytes = o->probe_bytes > 0 ? o->probe_bytes : 256 * 1024;
	bool sftp = cfg->type == VG_STORAGE_SFTP, made = false;
	double t0, ms;
	int fd = -1, err;

	memset(rep, 0, sizeof *rep);
	rep->ok = true;
	if (cfg->type != VG_STORAGE_FTP && cfg->type != VG_STORAGE_FTPS &&
	    !sftp) {
		xasprintf(cause, _("storage %s is not FTP, FTPS or SFTP: an NVR "
		    "cannot push to it"), cfg->name ? cfg->name : "");
		return VG_ERR_USAGE;
	}
	if ((err = vg_store_open(cfg, &st, cause)) != 0)
		return err;
	f = (struct ftp *)st;
	f->capture = true;

	/* log in */
	t0 = ftp_ms();
	if (ftp_nobody(f, "", NULL, false, o->stop, &e) != 0) {
		vg_probe_step_add(o, rep, e.cls, _("login"), false,
		    ftp_ms() - t0, "%s", e.msg);
		goto out;
	}
	vg_probe_step_add(o, rep, NULL, _("login"), true, ftp_ms() - t0,
	    _("user %s logged in to %s port %d%s%s"), f->user, f->host,
	    f->port, f->greeting[0] ? ": " : "", f->greeting);
	if (nvr_stopped(o))
		goto out;

	/* the directory, made when missing */
	t0 = ftp_ms();
	if (f->dir[0] == '\0')
		err = 0;
	else if (sftp) {
		char *d = xstrndup(f->dir, strlen(f->dir) - 1);

		xasprintf(&cmd, "*mkdir \"%s\"", d);
		err = ftp_nobody(f, f->dir, cmd, false, o->stop, &e);
		free(d);
		free(cmd);
		cmd = NULL;
	} else
		err = ftp_nobody(f, f->dir, NULL, true, o->stop, &e);
	if (err != 0) {
		vg_probe_step_add(o, rep, e.cls, _("directory"), false,
		    ftp_ms() - t0, "%s", e.msg);
		goto out;
	}
	vg_probe_step_add(o, rep, NULL, _("directory"), true, ftp_ms() - t0,
	    _("%s is there (made when it was missing)"), f->dir[0] ?
	    f->dir : "/");
	vg_store_err_clear(&e);
	if (nvr_stopped(o))
		goto out;

	/* a subdirectory, as NVRs make one per camera or day */
	gethostname(host, sizeof host - 1);
	snprintf(name, sizeof name, ".vigia-nvr-%s-%ld", host[0] ? host :
	    "box", (long)time(NULL));
	sub = ftp_path(f, name);
	if (sftp)
		xasprintf(&cmd, "mkdir \"%s\"", sub);
	else
		xasprintf(&cmd, "MKD %s", sub);
	t0 = ftp_ms();
	if (ftp_nobody(f, f->dir, cmd, false, o->stop, &e) != 0) {
		vg_probe_step_add(o, rep, e.cls, _("mkdir"), false,
		    ftp_ms() - t0, "%s", e.msg);
		goto out;
	}
	made = true;
	vg_probe_step_add(o, rep, NULL, _("mkdir"), true, ftp_ms() - t0,
	    _("made %s"), sub);
	vg_store_err_clear(&e);
	free(cmd);
	cmd = NULL;
	if (nvr_stopped(o))
		goto out;

	/* put a file into it, as the NVR will */
	if ((fd = mkstemp(tmpl)) == -1) {
		xasprintf(cause, _("cannot create a temporary file: %s"),
		    strerror(errno));
		err = VG_ERR_IO;
		goto out;
	}
	for (int64_t left = bytes; left > 0; ) {
		size_t n = left > (int64_t)sizeof buf ? sizeof buf :
		    (size_t)left;

		memset(buf, 'v', n);
		if (write(fd, buf, n) != (ssize_t)n) {
			xasprintf(cause, _("cannot write %s: %s"), tmpl,
			    strerror(errno));
			err = VG_ERR_IO;
			goto out;
		}
		left -= (int64_t)n;
	}
	close(fd);
	fd = -1;
	xasprintf(&key, "%s/vigia-nvr-test.mp4", name);
	p.path = tmpl;
	p.key = key;
	p.stop = o->stop;
	t0 = ftp_ms();
	if (st->ops->put(st, &p, &res, &e) != 0) {
		if (f->pasv[0] != '\0' && e.cls != NULL &&
		    strcmp(e.cls, "net") == 0)
			vg_probe_step_add(o, rep, "passive", _("put"), false,
			    ftp_ms() - t0, _("%s; the data connection "
			    "failed after \"%s\": the server's passive ports "
			    "are closed by a firewall, or it announces an "
			    "address that cannot be reached"), e.msg,
			    f->pasv);
		else
			vg_probe_step_add(o, rep, e.cls, _("put"), false,
			    ftp_ms() - t0, "%s", e.msg);
		goto clean;
	}
	ms = ftp_ms() - t0;
	rep->throughput_bps = ms > 0 ? (double)res.sent * 1000 / ms : 0;
	vg_probe_step_add(o, rep, NULL, _("put"), true, ms,
	    _("%lld bytes to %s in %.0f ms"), (long long)bytes, key, ms);
	vg_store_err_clear(&e);
	if (nvr_stopped(o))
		goto clean;

	/* list the subdirectory */
	{
		char *d;

		xasprintf(&d, "%s/", sub);
		url = ftp_url(f, d);
		free(d);
	}
	ftp_setup(f, url, errbuf, o->stop);
	curl_easy_setopt(f->curl, CURLOPT_DIRLISTONLY, 1L);
	curl_easy_setopt(f->curl, CURLOPT_WRITEFUNCTION, ftp_list_cb);
	curl_easy_setopt(f->curl, CURLOPT_WRITEDATA, &list);
	t0 = ftp_ms();
	if (ftp_perform(f, errbuf, &e) != 0)
		vg_probe_step_add(o, rep, e.cls, _("list"), false,
		    ftp_ms() - t0, "%s", e.msg);
	else if (strstr(list.buf, "vigia-nvr-test.mp4") == NULL)
		vg_probe_step_add(o, rep, "verify", _("list"), false,
		    ftp_ms() - t0, _("the listing of %s does not show the "
		    "file just put"), sub);
	else
		vg_probe_step_add(o, rep, NULL, _("list"), true,
		    ftp_ms() - t0, _("the listing of %s shows the file"), sub);
	vg_store_err_clear(&e);

clean:
	/* delete the file and the subdirectory (also after a failure) */
	if (!rep->ok) {
		char *part;

		xasprintf(&part, "%s.part", key);
		st->ops->del(st, part, &e);
		vg_store_err_clear(&e);
		free(part);
	}
	t0 = ftp_ms();
	if (st->ops->del(st, key, &e) != 0 && rep->ok) {
		vg_probe_step_add(o, rep, e.cls, _("delete"), false,
		    ftp_ms() - t0, "%s", e.msg);
		goto out;
	}
	vg_store_err_clear(&e);
	if (sftp)
		xasprintf(&cmd, "rmdir \"%s\"", sub);
	else
		xasprintf(&cmd, "RMD %s", sub);
	if (ftp_nobody(f, f->dir, cmd, false, NULL, &e) != 0) {
		if (rep->ok)
			vg_probe_step_add(o, rep, e.cls, _("delete"), false,
			    ftp_ms() - t0, "%s", e.msg);
		goto out;
	}
	made = false;
	if (!rep->ok)
		goto out;
	vg_probe_step_add(o, rep, NULL, _("delete"), true, ftp_ms() - t0,
	    "%s", _("the file and the directory are gone"));
	if (!sftp)
		nvr_passive(f, o, rep);
out:
	if (made && sub != NULL) {
		/* a stop or a failure after mkdir: leave nothing behind */
		free(cmd);
		if (sftp)
			xasprintf(&cmd, "rmdir \"%s\"", sub);
		else
			xasprintf(&cmd, "RMD %s", sub);
		vg_store_err_clear(&e);
		ftp_nobody(f, f->dir, cmd, false, NULL, &e);
	}
	if (err == 0 && nvr_stopped(o))
		err = VG_ERR_CANCELLED;
	if (fd != -1)
		close(fd);
	unlink(tmpl);
	vg_store_err_clear(&e);
	vg_store_free(st);
	free(sub);
	free(key);
	free(cmd);
	free(url);
	return err;
}
