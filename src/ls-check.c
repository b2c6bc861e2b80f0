/* ls-check.c - `vigia test labelstudio`: every step between a segment in
 * the bucket and an annotator's browser, as a report the wizard shows too.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Steps: the server answers, its version, the token, the project, the
 * label config (validated by the server), the s3:// storage, and a probe
 * presigned URL fetched as a browser would (GET with Range and with an
 * Origin equal to Label Studio's): status, Content-Type, range support,
 * and the CORS reply.  When CORS is missing the bucket CORS JSON to apply
 * is handed back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>

#include <curl/curl.h>

#include "i18n.h"
#include "libvigia.h"
#include "ls.h"
#include "store-sigv4.h"
#include "store.h"

struct probe {
	long status;
	char *type;
	char *range;
	char *acao;	/* Access-Control-Allow-Origin */
	size_t got;
};

static size_t
ck_body(char *p, size_t size, size_t n, void *opaque)
{
	struct probe *pr = opaque;

	(void)p;
	pr->got += size * n;
	/* a server ignoring Range sends everything: enough seen */
	return pr->got > 1024 * 1024 ? 0 : size * n;
}

static char *
ck_hval(const char *h, size_t n)
{
	const char *c = memchr(h, ':', n);
	size_t m;

	if (c == NULL)
		return xstrdup("");
	c++;
	while (c < h + n && (*c == ' ' || *c == '\t'))
		c++;
	m = (size_t)(h + n - c);
	while (m > 0 && (c[m - 1] == '\r' || c[m - 1] == '\n' ||
	    c[m - 1] == ' '))
		m--;
	return xstrndup(c, m);
}

static size_t
ck_header(char *h, size_t size, size_t n, void *opaque)
{
	struct probe *pr = opaque;
	char **slot = NULL;

	n *= size;
	if (n > 13 && strncasecmp(h, "Content-Type:", 13) == 0)
		slot = &pr->type;
	else if (n > 14 && strncasecmp(h, "Content-Range:", 14) == 0)
		slot = &pr->range;
	else if (n > 28 && strncasecmp(h, "Access-Control-Allow-Origin:",
	    28) == 0)
		slot = &pr->acao;
	if (slot != NULL) {
		free(*slot);
		*slot = ck_hval(h, n);
	}
	return n;
}

/* Abort the probe when the caller cancels. */
static int
ck_cancelled(void *opaque, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	const volatile int *flag = opaque;

	(void)dt, (void)dn, (void)ut, (void)un;
	return *flag != 0;
}

/* "http://host:port" of a URL (allocated). */
static char *
ck_origin(const char *url)
{
	const char *p = strstr(url, "://");
	size_t n;

	if (p == NULL)
		return xstrdup(url);
	n = (size_t)(p + 3 - url) + strcspn(p + 3, "/?#");
	return xstrndup(url, n);
}

char *
vg_ls_cors_json(const char *origin)
{
	json_t *j = json_pack("{s:[{s:[s],s:[s,s],s:[s,s],s:[s,s,s,s],s:i}]}",
	    "CORSRules", "AllowedOrigins", origin, "AllowedMethods", "GET",
	    "HEAD", "AllowedHeaders", "Range", "Origin", "ExposeHeaders",
	    "Content-Range", "Content-Length", "Accept-Ranges", "ETag",
	    "MaxAgeSeconds", 3000);
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	json_decref(j);
	return s;
}

static void
ck_emit(void (*cb)(void *, const struct vg_ls_check_item *), void *opaque,
    const char *what, enum vg_ls_check_status st, char *detail)
{
	struct vg_ls_check_item it = { what, st, detail };

	cb(opaque, &it);
	free(detail);
}

int
vg_ls_check(const struct vg_config *cfg, const struct vg_ls_check_opts *o,
    void (*cb)(void *, const struct vg_ls_check_item *), void *opaque,
    char **cors_json)
{
	const struct vg_label_studio *l = &cfg->label_studio;
	const struct vg_storage *stg = cfg->vigiad.storage ?
	    vg_config_find_storage(cfg, cfg->vigiad.storage) : NULL;
	struct vg_ls *ls = NULL;
	char *cause = NULL, *s = NULL, *xml = NULL, *url = NULL, *origin;
	char *probe_key = NULL, *probe_full = NULL;
	struct vg_store *probe_st = NULL;
	int project = 0, failed = 0;
	bool created = false;

	*cors_json = NULL;
	if (vg_ls_new_config(l, &ls, &cause) != 0) {
		ck_emit(cb, opaque, N_("Token"), VG_LS_CHECK_FAIL, cause);
		return VG_ERR_CONFIG;
	}
	vg_ls_set_abort(ls, o->cancel);
	origin = ck_origin(vg_ls_url(ls));
	if (vg_ls_health(ls, &cause) != 0) {
		ck_emit(cb, opaque, N_("Label Studio answers"),
		    VG_LS_CHECK_FAIL, cause);
		failed++;
		goto out;
	}
	xasprintf(&s, "%s/health/", vg_ls_url(ls));
	ck_emit(cb, opaque, N_("Label Studio answers"), VG_LS_CHECK_OK, s);
	if (vg_ls_version(ls, &s, &cause) != 0)
		ck_emit(cb, opaque, N_("Version"), VG_LS_CHECK_WARN, cause);
	else
		ck_emit(cb, opaque, N_("Version"), VG_LS_CHECK_OK, s);
	if (vg_ls_whoami(ls, &s, &cause) != 0) {
		ck_emit(cb, opaque, N_("Token"), VG_LS_CHECK_FAIL, cause);
		failed++;
		goto out;
	}
	{
		char *d;

		xasprintf(&d, "%s, %s", s, vg_ls_scheme(ls) ==
		    VG_LS_TOKEN_PAT ? "personal access token" :
		    "legacy token");
		free(s);
		ck_emit(cb, opaque, N_("Token"), VG_LS_CHECK_OK, d);
	}
	/* the label config first: a project is only made with a valid one */
	if (vg_ls_render_config(l->label_config ? l->label_config :
	    "video-tracking", o->fps > 0 ? o->fps : vg_ls_config_fps(cfg),
	    o->nlabels > 0 ? o->labels :
	    (const char *const *)l->labels.v, o->nlabels > 0 ? o->nlabels :
	    l->labels.n, &xml, &cause) != 0) {
		ck_emit(cb, opaque, N_("Label config"), VG_LS_CHECK_FAIL,
		    cause);
		failed++;
		goto out;
	}
	if (l->project_id > 0 || o->create_project) {
		if (vg_ls_project_ensure(ls, l->project_id, l->project_title,
		    xml, false, &project, &created, &cause) != 0) {
			ck_emit(cb, opaque, N_("Project"), VG_LS_CHECK_FAIL,
			    cause);
			failed++;
			goto out;
		}
	} else if (vg_ls_project_find(ls, l->project_title ?
	    l->project_title : "", &project, &cause) != 0) {
		ck_emit(cb, opaque, N_("Project"), VG_LS_CHECK_FAIL, cause);
		failed++;
		goto out;
	}
	if (project > 0)
		xasprintf(&s, "%d%s", project, created ? " (created)" : "");
	else
		xasprintf(&s, "\"%s\" does not exist yet: vigiad creates it",
		    l->project_title ? l->project_title : "");
	ck_emit(cb, opaque, N_("Project"), project > 0 ? VG_LS_CHECK_OK :
	    VG_LS_CHECK_WARN, s);
	if (vg_ls_config_validate(ls, project, xml, &cause) != 0) {
		ck_emit(cb, opaque, N_("Label config"), VG_LS_CHECK_FAIL,
		    cause);
		failed++;
	} else {
		xasprintf(&s, "%s: valid", l->label_config ?
		    l->label_config : "video-tracking");
		ck_emit(cb, opaque, N_("Label config"), VG_LS_CHECK_OK, s);
	}
	if (stg == NULL || stg->type != VG_STORAGE_S3) {
		xasprintf(&s, "the storage \"%s\" is not S3: Label Studio "
		    "cannot open its videos", cfg->vigiad.storage ?
		    cfg->vigiad.storage : "");
		ck_emit(cb, opaque, N_("Video URL"), VG_LS_CHECK_FAIL, s);
		failed++;
		goto out;
	}
	if (l->video_ref == VG_LS_VIDEO_S3) {
		struct vg_ls_s3 s3;
		int sid = 0;

		memset(&s3, 0, sizeof s3);
		s3.bucket = stg->bucket;
		s3.region = stg->region;
		s3.endpoint = stg->endpoint;
		s3.access_key = stg->access_key;
		s3.secret_key = stg->secret_key.value;
		s3.presign_ttl_s = l->presign_ttl_s;
		/* made only with create_project; else found, or checked
		 * by the server's dry run */
		if (project > 0 && (o->create_project ?
		    vg_ls_storage_ensure(ls, project, &s3, &sid, &cause) :
		    vg_ls_storage_find(ls, project, stg->bucket, &sid,
		    &cause)) != 0) {
			ck_emit(cb, opaque, N_("S3 storage"), VG_LS_CHECK_FAIL,
			    cause);
			failed++;
		} else if (sid > 0) {
			xasprintf(&s, "%d (bucket %s, presigned, not "
			    "synchronized)", sid, stg->bucket);
			ck_emit(cb, opaque, N_("S3 storage"), VG_LS_CHECK_OK,
			    s);
		} else if (vg_ls_storage_validate(ls, project > 0 ? project :
		    1, &s3, &cause) != 0) {
			ck_emit(cb, opaque, N_("S3 storage"), VG_LS_CHECK_FAIL,
			    cause);
			failed++;
		} else {
			xasprintf(&s, "bucket %s: valid; vigiad creates the "
			    "resolver storage", stg->bucket);
			ck_emit(cb, opaque, N_("S3 storage"), VG_LS_CHECK_OK,
			    s);
		}
	}
	/* the browser's view of a stored segment (or of a probe put there
	 * for the purpose) */
	if (o->probe_key == NULL && o->probe_upload &&
	    (o->cancel == NULL || *o->cancel == 0)) {
		struct vg_store_err e = { 0 };
		struct vg_store_result res;
		struct vg_store_put pp;
		char tmpl[] = "/tmp/vigia-ls-probe.XXXXXX", host[64] = "";
		char buf[4096];
		int fd;

		memset(&pp, 0, sizeof pp);
		memset(buf, 0, sizeof buf);
		gethostname(host, sizeof host - 1);
		xasprintf(&probe_key, ".vigia-probe/ls-%s-%ld.mp4", host[0] ?
		    host : "box", (long)time(NULL));
		if ((fd = mkstemp(tmpl)) == -1 ||
		    write(fd, buf, sizeof buf) != (ssize_t)sizeof buf) {
			xasprintf(&s, "cannot write a probe file: %s",
			    strerror(errno));
			ck_emit(cb, opaque, N_("Video URL"), VG_LS_CHECK_FAIL,
			    s);
			failed++;
		} else if (vg_store_open(stg, &probe_st, &cause) != 0) {
			ck_emit(cb, opaque, N_("Video URL"), VG_LS_CHECK_FAIL,
			    cause);
			failed++;
		} else {
			pp.path = tmpl;
			pp.key = probe_key;
			pp.content_type = "video/mp4";
			pp.stop = o->cancel;
			if (probe_st->ops->put(probe_st, &pp, &res, &e) != 0) {
				/* the storage test says why; the videos'
				 * URLs are not checked */
				xasprintf(&s, "cannot put a probe video into "
				    "bucket %s (%s): the video URL was not "
				    "checked", stg->bucket, e.msg);
				ck_emit(cb, opaque, N_("Video URL"),
				    VG_LS_CHECK_WARN, s);
			} else
				xasprintf(&probe_full, "%s%s", stg->prefix ?
				    stg->prefix : "", probe_key);
			vg_store_err_clear(&e);
		}
		if (fd != -1)
			close(fd);
		unlink(tmpl);
		if (probe_full == NULL)
			goto out;
	}
	if (o->probe_key == NULL && probe_full == NULL) {
		ck_emit(cb, opaque, N_("Video URL"), VG_LS_CHECK_SKIP,
		    xstrdup("give --key with the object key of a stored "
		    "segment to probe it"));
		goto out;
	}
	{
		struct vg_s3_presign p;
		struct probe pr;
		struct curl_slist *hl = NULL;
		char *oh, errbuf[CURL_ERROR_SIZE] = "";
		CURL *c;
		CURLcode rc;

		memset(&p, 0, sizeof p);
		memset(&pr, 0, sizeof pr);
		p.endpoint = stg->endpoint;
		p.virtual_hosted = !stg->path_style;
		p.bucket = stg->bucket;
		p.key = probe_full != NULL ? probe_full : o->probe_key;
		p.region = stg->region ? stg->region : "us-east-1";
		p.access_key = stg->access_key;
		p.secret_key = stg->secret_key.value;
		p.expires = 600;
		p.when = time(NULL);
		if (vg_s3_presign(&p, &url, &cause) != 0) {
			ck_emit(cb, opaque, N_("Video URL"), VG_LS_CHECK_FAIL,
			    cause);
			failed++;
			goto out;
		}
		c = curl_easy_init();
		if (c == NULL)
			fatalx("curl_easy_init");
		xasprintf(&oh, "Origin: %s", origin);
		hl = curl_slist_append(hl, oh);
		hl = curl_slist_append(hl, "Range: bytes=0-1023");
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, ck_body);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &pr);
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, ck_header);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, &pr);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		if (o->cancel != NULL) {
			curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
			curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION,
			    ck_cancelled);
			curl_easy_setopt(c, CURLOPT_XFERINFODATA,
			    (void *)o->cancel);
		}
		if (stg->insecure) {
			curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
			curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
		}
		rc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &pr.status);
		curl_easy_cleanup(c);
		curl_slist_free_all(hl);
		free(oh);
		if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR &&
		    pr.status > 0)) {
			xasprintf(&s, "cannot fetch the probe URL of %s: %s",
			    p.key, *errbuf ? errbuf :
			    curl_easy_strerror(rc));
			ck_emit(cb, opaque, N_("Video URL"), VG_LS_CHECK_FAIL,
			    s);
			failed++;
		} else if (pr.status != 200 && pr.status != 206) {
			xasprintf(&s, "GET of the presigned URL of %s: HTTP "
			    "%ld%s", p.key, pr.status,
			    pr.status == 403 ? " (signature refused: check "
			    "the keys and this box's clock)" : pr.status ==
			    404 ? " (no such object)" : "");
			ck_emit(cb, opaque, N_("Video URL"), VG_LS_CHECK_FAIL,
			    s);
			failed++;
		} else {
			xasprintf(&s, "HTTP %ld for %s", pr.status,
			    p.key);
			ck_emit(cb, opaque, N_("Video URL"), VG_LS_CHECK_OK, s);
			if (pr.type != NULL && strncasecmp(pr.type,
			    "video/mp4", 9) == 0)
				ck_emit(cb, opaque, N_("Content-Type"),
				    VG_LS_CHECK_OK, xstrdup(pr.type));
			else {
				xasprintf(&s, "%s, not video/mp4: browsers may "
				    "refuse to play it", pr.type ? pr.type :
				    "none");
				ck_emit(cb, opaque, N_("Content-Type"),
				    VG_LS_CHECK_WARN, s);
			}
			if (pr.status == 206 && pr.range != NULL)
				ck_emit(cb, opaque, N_("Range requests"),
				    VG_LS_CHECK_OK, xstrdup(pr.range));
			else {
				ck_emit(cb, opaque, N_("Range requests"),
				    VG_LS_CHECK_FAIL, xstrdup("the server "
				    "ignores Range (200 with the whole file): "
				    "the player cannot seek"));
				failed++;
			}
			if (pr.acao != NULL && (strcmp(pr.acao, "*") == 0 ||
			    strcmp(pr.acao, origin) == 0)) {
				xasprintf(&s, "Access-Control-Allow-Origin: %s",
				    pr.acao);
				ck_emit(cb, opaque, N_("CORS"), VG_LS_CHECK_OK,
				    s);
			} else {
				xasprintf(&s, "the bucket does not allow %s "
				    "(Access-Control-Allow-Origin: %s): the "
				    "video will not load in Label Studio",
				    origin, pr.acao ? pr.acao : "none");
				ck_emit(cb, opaque, N_("CORS"),
				    VG_LS_CHECK_FAIL, s);
				*cors_json = vg_ls_cors_json(origin);
				failed++;
			}
		}
		free(pr.type);
		free(pr.range);
		free(pr.acao);
	}
out:
	if (probe_full != NULL) {
		struct vg_store_err e = { 0 };

		probe_st->ops->del(probe_st, probe_key, &e);
		vg_store_err_clear(&e);
	}
	vg_store_free(probe_st);
	free(probe_key);
	free(probe_full);
	if (url != NULL)
		vg_secret_free(url);
	free(xml);
	free(origin);
	vg_ls_free(ls);
	return failed ? VG_ERR_PROTO : 0;
}
