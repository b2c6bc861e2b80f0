/* store-local.c - a local archive directory (a disk, a NAS mount).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A file goes to PATH/KEY: hard-linked when the archive is on the spool's
 * file system (no copy, and the spool keeps its own name for retention),
 * else copied to KEY.part, fsync'd and renamed; the directory is fsync'd
 * too, so that a power cut leaves either nothing or the whole file.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "libvigia.h"
#include "store.h"

struct local {
	struct vg_store base;
	char *root;
};

static char *
local_path(const struct local *l, const char *key)
{
	char *p;

	while (*key == '/')
		key++;
	xasprintf(&p, "%s/%s", l->root, key);
	return p;
}

/* fmt: a translated "cannot ... %s: %s" (the path, errno's text). */
static int
local_fail(struct vg_store_err *e, const char *fmt, const char *path)
{
	int saved = errno;
	char *msg;

	xasprintf(&msg, fmt, path, strerror(saved));
	vg_store_err_set(e, saved != ENOSPC && saved != EIO && saved != EDQUOT,
	    saved == ENOSPC || saved == EDQUOT ? "full" : "local", "%s", msg);
	free(msg);
	errno = saved;
	return VG_ERR_IO;
}

/* mkdir -p of the directory part of path. */
static int
local_mkdirs(char *path)
{
	for (size_t i = 1; path[i] != '\0'; i++) {
		if (path[i] != '/')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0755) == -1 && errno != EEXIST) {
			path[i] = '/';
			return -1;
		}
		path[i] = '/';
	}
	return 0;
}

static int
fsync_dir_of(const char *path)
{
	char *d = xstrdup(path);
	int fd, r = -1;

	if ((fd = open(dirname(d), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		r = fsync(fd);
		close(fd);
	}
	free(d);
	return r;
}

static int
local_copy(int in, int out, int64_t len, struct vg_rate *rate,
    const volatile int *stop, int64_t *sent)
{
	int64_t done = 0;

	while (done < len) {
		size_t want = (size_t)(len - done > (1 << 20) ? (1 << 20) :
		    len - done);
		ssize_t n;

		if (stop != NULL && *stop) {
			errno = EINTR;
			return -1;
		}
		want = vg_rate_take(rate, want);
		n = copy_file_range(in, NULL, out, NULL, want, 0);
		if (n == -1 && (errno == EXDEV || errno == ENOSYS ||
		    errno == EINVAL || errno == EOPNOTSUPP)) {
			char buf[65536];

			n = read(in, buf, want < sizeof buf ? want : sizeof buf);
			if (n > 0 && write(out, buf, (size_t)n) != n)
				return -1;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += n;
		*sent += n;
	}
	return 0;
}

static int
local_put(struct vg_store *st, const struct vg_store_put *p,
    struct vg_store_result *res, struct vg_store_err *e)
{
	struct local *l = (struct local *)st;
	char *dst = local_path(l, p->key), *tmp = NULL;
	int in = -1, out = -1, err = 0;
	struct stat sb, db;

	memset(res, 0, sizeof *res);
	xasprintf(&tmp, "%s.part", dst);
	if ((in = open(p->path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(in, &sb) == -1) {
		err = local_fail(e, _("cannot read %s: %s"), p->path);
		e->permanent = true;
		goto out;
	}
	if (local_mkdirs(dst) == -1) {
		err = local_fail(e, _("cannot create the directory of %s: %s"), dst);
		goto out;
	}
	unlink(tmp);
	if (link(p->path, tmp) == 0) {
		res->sent = 0;
	} else {
		if ((out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0644)) == -1) {
			err = local_fail(e, _("cannot create %s: %s"), tmp);
			goto out;
		}
		if (local_copy(in, out, (int64_t)sb.st_size, p->rate, p->stop,
		    &res->sent) == -1) {
			if (p->stop != NULL && *p->stop) {
				vg_store_err_set(e, false, "stop",
				    _("the upload was interrupted"));
				err = VG_ERR_CANCELLED;
			} else
				err = local_fail(e, _("cannot write %s: %s"), tmp);
			unlink(tmp);
			goto out;
		}
		if (fsync(out) == -1) {
			err = local_fail(e, _("cannot write %s: %s"), tmp);
			unlink(tmp);
			goto out;
		}
	}
	if (rename(tmp, dst) == -1) {
		err = local_fail(e, _("cannot rename %s: %s"), tmp);
		unlink(tmp);
		goto out;
	}
	if (fsync_dir_of(dst) == -1) {
		err = local_fail(e, _("cannot write %s: %s"), dst);
		goto out;
	}
	if (stat(dst, &db) == -1 || db.st_size != sb.st_size) {
		vg_store_err_set(e, false, "verify",
		    _("the archived copy %s does not have the file's size"),
		    dst);
		err = VG_ERR_IO;
		goto out;
	}
	res->bytes = (int64_t)db.st_size;
out:
	if (in != -1)
		close(in);
	if (out != -1)
		close(out);
	free(tmp);
	free(dst);
	return err;
}

static int
local_size(struct vg_store *st, const char *key, int64_t *size,
    struct vg_store_err *e)
{
	char *p = local_path((struct local *)st, key);
	struct stat sb;
	int err = 0;

	*size = -1;
	if (stat(p, &sb) == -1) {
		err = local_fail(e, _("cannot read %s: %s"), p);
		if (errno == ENOENT) {
			e->cls = "missing";
			err = VG_ERR_NOTFOUND;
		}
	} else
		*size = (int64_t)sb.st_size;
	free(p);
	return err;
}

static int
local_get(struct vg_store *st, const char *key, const char *path,
    struct vg_store_err *e)
{
	char *p = local_path((struct local *)st, key);
	int in, out, err = 0;
	int64_t sent = 0;
	struct stat sb;

	if ((in = open(p, O_RDONLY | O_CLOEXEC)) == -1 || fstat(in, &sb) == -1) {
		err = local_fail(e, _("cannot read %s: %s"), p);
		if (in != -1)
			close(in);
		free(p);
		return err;
	}
	if ((out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1 || local_copy(in, out, (int64_t)sb.st_size, NULL,
	    NULL, &sent) == -1)
		err = local_fail(e, _("cannot write %s: %s"), path);
	if (out != -1)
		close(out);
	close(in);
	free(p);
	return err;
}

static int
local_del(struct vg_store *st, const char *key, struct vg_store_err *e)
{
	char *p = local_path((struct local *)st, key);
	int err = 0;

	if (unlink(p) == -1)
		err = local_fail(e, _("cannot delete %s: %s"), p);
	free(p);
	return err;
}

static void
local_free(struct vg_store *st)
{
	struct local *l = (struct local *)st;

	free(l->root);
	free(l);
}

static const struct vg_store_ops local_ops = {
	.put = local_put,
	.size = local_size,
	.get = local_get,
	.del = local_del,
	.free = local_free,
};

struct vg_store *
vg_store_local_new(const struct vg_storage *cfg, char **cause)
{
	struct local *l;
	size_t n;

	if (cfg->path == NULL || cfg->path[0] != '/') {
		xasprintf(cause, _("storage %s: path must be an absolute directory"),
		    cfg->name);
		return NULL;
	}
	l = xcalloc(1, sizeof *l);
	l->base.ops = &local_ops;
	l->root = xstrdup(cfg->path);
	n = strlen(l->root);
	while (n > 1 && l->root[n - 1] == '/')
		l->root[--n] = '\0';
	return &l->base;
}
