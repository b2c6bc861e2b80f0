/* sim-auth.c - vigia-sim: who may call what, checked like a camera does.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * WS-UsernameToken: PasswordDigest = Base64(SHA1(nonce + created +
 * password)), with Created checked against the camera's own clock (not
 * ours) within SIM_AUTH_WINDOW seconds and each nonce accepted once.
 * Models that demand it (and the "digest" quirk) take HTTP digest
 * instead, through gSOAP's httpda plugin.  A factory-new camera has no
 * users and lets anyone in (ONVIF Profile Q), except a model that needs
 * activation, which only opens its device service.  Password policies are
 * the vendors' own rules.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "soapH.h"
#include "httpda.h"

#include "sim-camera.h"
#include "libvigia.h"

/* A SOAP 1.2 fault with one or two ONVIF subcodes. */
int
sim_soap_fault(struct soap *soap, bool sender, const char *sub1,
    const char *sub2, const char *reason)
{
	struct SOAP_ENV__Code *c;

	if (sender)
		soap_sender_fault_subcode(soap, sub1, reason, NULL);
	else
		soap_receiver_fault_subcode(soap, sub1, reason, NULL);
	if (sub2 != NULL && soap->fault != NULL &&
	    (c = soap->fault->SOAP_ENV__Code) != NULL &&
	    c->SOAP_ENV__Subcode != NULL) {
		struct SOAP_ENV__Code *s2;

		s2 = soap_malloc(soap, sizeof *s2);
		if (s2 != NULL) {
			soap_default_SOAP_ENV__Code(soap, s2);
			s2->SOAP_ENV__Value = soap_strdup(soap, sub2);
			c->SOAP_ENV__Subcode->SOAP_ENV__Subcode = s2;
		}
	}
	return SOAP_FAULT;
}

/* Parse an xsd:dateTime in UTC (Z or +hh:mm); -1 when it is not one. */
static time_t
auth_parse_created(const char *s)
{
	struct tm tm;
	int y, mo, d, h, mi, n = 0, oh = 0, om = 0;
	double sec;
	const char *p;
	time_t t;

	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%lf%n", &y, &mo, &d, &h,
	    &mi, &sec, &n) != 6)
		return -1;
	p = s + n;
	if (*p == '+' || *p == '-') {
		if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2)
			return -1;
		if (*p == '-') {
			oh = -oh;
			om = -om;
		}
	} else if (*p != 'Z' && *p != '\0')
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = (int)sec;
	t = timegm(&tm);
	return t - (oh * 3600 + om * 60);
}

/* Decode base64 into out; the decoded length or -1. */
static int
auth_unbase64(const char *in, unsigned char *out, size_t outlen)
{
	size_t len = strlen(in), pad = 0;
	int n;

	if (len == 0 || len % 4 != 0 || len / 4 * 3 > outlen)
		return -1;
	if (in[len - 1] == '=')
		pad++;
	if (len > 1 && in[len - 2] == '=')
		pad++;
	n = EVP_DecodeBlock(out, (const unsigned char *)in, (int)len);
	if (n < 0)
		return -1;
	return n - (int)pad;
}

/* True if this nonce was already used within the window; records it. */
static bool
auth_nonce_replayed(struct sim_camera *cam, const unsigned char *nonce,
    int len, time_t now)
{
	unsigned char h[20];
	unsigned int hl = 0;
	int i;

	EVP_Digest(nonce, (size_t)len, h, &hl, EVP_sha1(), NULL);
	for (i = 0; i < SIM_NONCES; i++) {
		struct sim_nonce *n = &cam->nonces[i];

		if (n->seen != 0 && now - n->seen <= 4 * SIM_AUTH_WINDOW &&
		    memcmp(n->hash, h, sizeof h) == 0)
			return true;
	}
	memcpy(cam->nonces[cam->nonce_next].hash, h, sizeof h);
	cam->nonces[cam->nonce_next].seen = now;
	cam->nonce_next = (cam->nonce_next + 1) % SIM_NONCES;
	return false;
}

/* Find a user by name. Caller holds lock. */
static const struct sim_user *
auth_user(const struct sim_camera *cam, const char *name)
{
	int i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < cam->cfg.nusers; i++)
		if (strcmp(cam->cfg.users[i].name, name) == 0)
			return &cam->cfg.users[i];
	return NULL;
}

/* Check a WS-UsernameToken; the user's level, or -1 with *why set.
 * Caller holds cam->lock. */
static int
auth_wsse(struct soap *soap, struct sim_camera *cam, const char **why)
{
	struct _wsse__UsernameToken *tok = NULL;
	const struct sim_user *u;
	unsigned char nonce[128], md[20];
	char expect[64];
	unsigned int mdlen = 0;
	int nlen;
	time_t created, now;
	EVP_MD_CTX *ctx;

	if (soap->header != NULL && soap->header->wsse__Security != NULL)
		tok = soap->header->wsse__Security->UsernameToken;
	if (tok == NULL || tok->Username == NULL || tok->Password == NULL ||
	    tok->Password->__item == NULL) {
		*why = "no WS-Security UsernameToken";
		return -1;
	}
	u = auth_user(cam, tok->Username);
	if (tok->Password->Type == NULL ||
	    strstr(tok->Password->Type, "#PasswordDigest") == NULL) {
		/* PasswordText: old firmwares accept it, so do we */
		if (u == NULL || strcmp(u->password, tok->Password->__item)) {
			*why = "wrong user name or password";
			return -1;
		}
		return u->level;
	}
	if (tok->Nonce == NULL || tok->Nonce->__item == NULL ||
	    tok->wsu__Created == NULL) {
		*why = "PasswordDigest without Nonce or Created";
		return -1;
	}
	nlen = auth_unbase64(tok->Nonce->__item, nonce, sizeof nonce);
	if (nlen <= 0) {
		*why = "Nonce is not base64";
		return -1;
	}
	created = auth_parse_created(tok->wsu__Created);
	now = sim_camera_time(cam);
	if (created == -1) {
		*why = "Created is not an xsd:dateTime";
		return -1;
	}
	if (created < now - SIM_AUTH_WINDOW || created > now + SIM_AUTH_WINDOW) {
		*why = "Created is outside the device's clock window";
		return -1;
	}
	if (u == NULL) {
		*why = "wrong user name or password";
		return -1;
	}
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || !EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) ||
	    !EVP_DigestUpdate(ctx, nonce, (size_t)nlen) ||
	    !EVP_DigestUpdate(ctx, tok->wsu__Created,
	    strlen(tok->wsu__Created)) ||
	    !EVP_DigestUpdate(ctx, u->password, strlen(u->password)) ||
	    !EVP_DigestFinal_ex(ctx, md, &mdlen)) {
		EVP_MD_CTX_free(ctx);
		*why = "digest failure";
		return -1;
	}
	EVP_MD_CTX_free(ctx);
	EVP_EncodeBlock((unsigned char *)expect, md, (int)mdlen);
	if (CRYPTO_memcmp(expect, tok->Password->__item, strlen(expect)) ||
	    strlen(tok->Password->__item) != strlen(expect)) {
		*why = "wrong user name or password";
		return -1;
	}
	/* only a request that proved the password burns its nonce; cheap
	 * firmwares keep no nonce cache at all (libonvif reuses nonces) */
	if (cam->p->nonce_check && auth_nonce_replayed(cam, nonce, nlen, now)) {
		*why = "Nonce replayed";
		return -1;
	}
	return u->level;
}

/* Check HTTP digest credentials; the level, 401 to challenge. Caller
 * holds cam->lock. */
static int
auth_http_digest(struct soap *soap, struct sim_camera *cam, const char *realm)
{
	const struct sim_user *u;

	if (soap->authrealm == NULL || soap->userid == NULL ||
	    strcmp(soap->authrealm, realm) != 0)
		return -1;
	u = auth_user(cam, soap->userid);
	if (u == NULL || http_da_verify_post(soap, (char *)u->password) != 0)
		return -1;
	return u->level;
}

/* The level needed for an access class. */
static int
auth_needed(enum sim_access access)
{
	switch (access) {
	case SIM_PRE_AUTH:
		return SIM_LEVEL_ANONYMOUS;
	case SIM_READ_MEDIA:
	case SIM_READ_SYSTEM:
		return SIM_LEVEL_USER;
	case SIM_ACTUATE:
		return SIM_LEVEL_OPERATOR;
	case SIM_WRITE_SYSTEM:
	default:
		return SIM_LEVEL_ADMIN;
	}
}

/* See sim-camera.h. */
const char *
sim_auth_realm(const struct sim_camera *cam)
{
	return cam->model == SIM_MODEL_DAHUA ? "Login to vigia-sim" :
	    "IP Camera";
}

/* Count a login: a failure with credentials (tried) counts toward the
 * lockout (the HIKVISION model locks), a success resets the count.
 * Caller holds cam->lock. */
static void
auth_count(struct sim_camera *cam, int level, bool tried)
{
	if (level >= 0) {
		cam->auth_failed_row = 0;
		return;
	}
	if (!tried)
		return;
	cam->auth_failed++;
	if (++cam->auth_failed_row >= SIM_LOCKOUT_TRIES &&
	    cam->model == SIM_MODEL_HIK) {
		cam->locked_until_ms = sim_now_ms() + SIM_LOCKOUT_MS;
		cam->auth_failed_row = 0;
		log_info("sim: camera %d: %d failed logins: locked",
		    cam->index, SIM_LOCKOUT_TRIES);
	}
}

/* See sim-camera.h. */
int
sim_auth_check(struct soap *soap, struct sim_camera *cam,
    enum sim_access access, bool tds)
{
	const char *why = NULL;
	char *realm;
	int level, need = auth_needed(access);
	bool digest;

	pthread_mutex_lock(&cam->lock);
	if (sim_camera_factory(cam)) {
		bool closed = cam->p->activation && !tds;

		pthread_mutex_unlock(&cam->lock);
		if (closed)
			return sim_soap_fault(soap, true, "ter:NotAuthorized",
			    NULL, "Device is not activated: create the "
			    "administrator first (CreateUsers)");
		return SOAP_OK;
	}
	if (access == SIM_PRE_AUTH) {
		pthread_mutex_unlock(&cam->lock);
		return SOAP_OK;
	}
	if (cam->locked_until_ms > sim_now_ms()) {
		pthread_mutex_unlock(&cam->lock);
		log_info("sim: camera %d: locked out", cam->index);
		return sim_soap_fault(soap, true, "ter:NotAuthorized", NULL,
		    "Locked: too many failed logins");
	}
	digest = cam->p->http_digest || cam->fault.digest;
	if (digest) {
		realm = soap_strdup(soap, sim_auth_realm(cam));
		level = auth_http_digest(soap, cam, realm);
		/* Dahua-like firmwares also take a valid UsernameToken;
		 * the quirk does not */
		if (level < 0 && !cam->fault.digest && soap->header != NULL &&
		    soap->header->wsse__Security != NULL)
			level = auth_wsse(soap, cam, &why);
		/* a first request without credentials only asks for the
		 * challenge: it is no failed login */
		auth_count(cam, level, soap->userid != NULL ||
		    (soap->header != NULL &&
		    soap->header->wsse__Security != NULL));
		pthread_mutex_unlock(&cam->lock);
		if (level < 0)
			log_info("sim: camera %d: %s: refused: %s", cam->index,
			    soap->action != NULL ? soap->action : soap->path,
			    why != NULL ? why : "?");
		if (level < 0) {
			soap->authrealm = realm;
			return 401;
		}
	} else {
		level = auth_wsse(soap, cam, &why);
		auth_count(cam, level, soap->header != NULL &&
		    soap->header->wsse__Security != NULL);
		pthread_mutex_unlock(&cam->lock);
		if (level < 0)
			log_info("sim: camera %d: %s: refused: %s", cam->index,
			    soap->action != NULL ? soap->action : soap->path,
			    why != NULL ? why : "?");
		if (level < 0)
			return sim_soap_fault(soap, true, "ter:NotAuthorized",
			    NULL, why != NULL ? why : "Sender not authorized");
	}
	if (level > need)
		return sim_soap_fault(soap, true, "ter:NotAuthorized", NULL,
		    "User level too low for this operation");
	return SOAP_OK;
}

/* See sim-camera.h. */
const char *
sim_auth_password_policy(const struct sim_personality *p, const char *user,
    const char *password)
{
	size_t len = strlen(password);
	int lower = 0, upper = 0, digit = 0, other = 0;
	const char *s;

	if ((int)len < p->pw_min)
		return "password too short";
	if ((int)len > p->pw_max)
		return "password too long";
	for (s = password; *s != '\0'; s++) {
		if (p->pw_forbidden != NULL && strchr(p->pw_forbidden, *s))
			return "password contains a forbidden character";
		if (islower((unsigned char)*s))
			lower = 1;
		else if (isupper((unsigned char)*s))
			upper = 1;
		else if (isdigit((unsigned char)*s))
			digit = 1;
		else
			other = 1;
	}
	if (lower + upper + digit + other < p->pw_classes)
		return "password needs more kinds of characters";
	if (user != NULL && strcmp(user, password) == 0)
		return "password equals the user name";
	return NULL;
}

/* Nothing to set up today; kept for symmetry with the other modules. */
void
sim_auth_init(void)
{
}
