/* vigia-sim.c - a simulated site of IP cameras on loopback.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts N cameras, camera i on base+i: its ONVIF services (sim-onvif.c),
 * RTSP and snapshots (sim-media.c), WS-Discovery (sim-wsd.c), and one
 * control socket for the site (sim-control.c).  The main thread owns the
 * clock of the site: every 200 ms it applies reboots and returns, motion
 * schedules, subscription expiry and state saving, and it waits for
 * SIGINT/SIGTERM to stop everything cleanly (Bye from every camera).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "onvif-soap.h"
#include "sim-camera.h"
#include "libvigia.h"

extern char **environ;

struct sim_site sim_site;

static const struct sim_res hik_main[] = {
	{ 2688, 1520 }, { 2560, 1440 }, { 1920, 1080 }, { 1280, 720 } };
static const struct sim_res hik_sub[] = {
	{ 640, 480 }, { 640, 360 }, { 320, 240 } };
static const struct sim_res dahua_main[] = {
	{ 2688, 1520 }, { 2304, 1296 }, { 1920, 1080 }, { 1280, 720 } };
static const struct sim_res dahua_sub[] = {
	{ 704, 576 }, { 640, 480 }, { 352, 288 } };
static const struct sim_res gen_main[] = {
	{ 1920, 1080 }, { 1280, 720 }, { 640, 480 } };
static const struct sim_res gen_sub[] = {
	{ 640, 480 }, { 640, 360 }, { 320, 240 } };

#define NRES(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The models of the default site (see vigia-sim(1)). */
const struct sim_personality sim_personalities[] = {
	{
		.key = "hik",
		.manufacturer = "HIKVISION", .model = "DS-2CD2143G2-I",
		.firmware = "V5.7.3 build 220112", .hardware_id = "88",
		.oui = "44:19:b6", .serial_prefix = "DS-2CD2143G2-I2023",
		.hostname_prefix = "IPCAM",
		.profile_token = { "Profile_1", "Profile_2" },
		.profile_name = { "mainStream", "subStream" },
		.venc_token = { "VideoEncoderToken_1", "VideoEncoderToken_2" },
		.media_path = "/onvif/Media",
		.media2 = true, .h265 = true, .http_digest = false,
		.activation = true, .nonce_check = true,
		.default_user = "admin", .default_password = "12345",
		.pw_min = 8, .pw_max = 16, .pw_classes = 2,
		.pw_forbidden = NULL,
		.res = { hik_main, hik_sub },
		.nres = { NRES(hik_main), NRES(hik_sub) },
		.fps_max = { 25, 25 }, .gop_max = 400,
		.br_min = 32, .br_max = 16384,
		.defaults = {
			{ SIM_CODEC_H265, 1920, 1080, 15, 2048, 30, "main" },
			{ SIM_CODEC_H264, 640, 360, 15, 512, 30, "main" },
		},
	},
	{
		.key = "dahua",
		.manufacturer = "Dahua", .model = "IPC-HDW2431T-AS-S2",
		.firmware = "2.800.0000000.21.R, Build Date 2022-06-13",
		.hardware_id = "1.00",
		.oui = "3c:ef:8c", .serial_prefix = "7G0A2B5PAZ",
		.hostname_prefix = "IPC",
		.profile_token = { "MediaProfile00000", "MediaProfile00001" },
		.profile_name = { "MainStream", "SubStream" },
		.venc_token = { "VideoEncoderToken00000",
		    "VideoEncoderToken00001" },
		.media_path = "/onvif/media_service",
		.media2 = true, .h265 = true, .http_digest = true,
		.activation = false, .nonce_check = true,
		.default_user = "admin", .default_password = "admin",
		.pw_min = 8, .pw_max = 32, .pw_classes = 2,
		.pw_forbidden = "'\";:&",
		.res = { dahua_main, dahua_sub },
		.nres = { NRES(dahua_main), NRES(dahua_sub) },
		.fps_max = { 25, 25 }, .gop_max = 150,
		.br_min = 32, .br_max = 8192,
		.defaults = {
			{ SIM_CODEC_H264, 1920, 1080, 20, 4096, 40, "high" },
			{ SIM_CODEC_H264, 640, 480, 15, 512, 30, "main" },
		},
	},
	{
		.key = "generic",
		.manufacturer = "IPCAM", .model = "IPC-1080P-S",
		.firmware = "V4.02.R11.00035520.10010.1401", .hardware_id =
		    "HI3516EV300_50H20L",
		.oui = "00:12:12", .serial_prefix = "ef8a1c",
		.hostname_prefix = "camera",
		.profile_token = { "000", "001" },
		.profile_name = { "mainStream", "subStream" },
		.venc_token = { "000", "001" },
		.media_path = "/onvif/device_service",
		.media2 = false, .h265 = false, .http_digest = false,
		.activation = false, .nonce_check = false,
		.default_user = "admin", .default_password = "admin",
		.pw_min = 1, .pw_max = 32, .pw_classes = 1,
		.pw_forbidden = NULL,
		.res = { gen_main, gen_sub },
		.nres = { NRES(gen_main), NRES(gen_sub) },
		.fps_max = { 30, 30 }, .gop_max = 120,
		.br_min = 64, .br_max = 8192,
		.defaults = {
			{ SIM_CODEC_H264, 1280, 720, 15, 2048, 30, "main" },
			{ SIM_CODEC_H264, 640, 360, 10, 384, 20, "baseline" },
		},
	},
};

static const char *start_names[] = { "factory-new", "vendor-default",
	"configured" };

/* splitmix64: the site's deterministic randomness. */
static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t
site_rand(int index, unsigned salt)
{
	return mix(((uint64_t)sim_site.seed << 32) ^ ((uint64_t)index << 8) ^
	    salt);
}

/* Milliseconds on the monotonic clock. */
int64_t
sim_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* See sim-camera.h. */
time_t
sim_camera_time(const struct sim_camera *cam)
{
	return time(NULL) + cam->cfg.clock_offset + cam->fault.clock_skew;
}

bool
sim_camera_tls(const struct sim_camera *cam)
{
	return cam->fault.tls;
}

int
sim_camera_port(const struct sim_camera *cam)
{
	if (cam->fault.port != 0)
		return cam->fault.port;
	return cam->fault.tls ? cam->cfg.https_port : cam->cfg.http_port;
}

bool
sim_camera_up(const struct sim_camera *cam)
{
	return !cam->offline && !cam->gone && cam->up_at_ms == 0;
}

void
sim_camera_url(const struct sim_camera *cam, const char *path, char *buf,
    size_t len)
{
	bool tls = sim_camera_tls(cam);
	int port = sim_camera_port(cam);

	if (port == (tls ? 443 : 80))
		snprintf(buf, len, "%s://%s%s", tls ? "https" : "http",
		    cam->serve_addr, path);
	else
		snprintf(buf, len, "%s://%s:%d%s", tls ? "https" : "http",
		    cam->serve_addr, port, path);
}

bool
sim_camera_factory(const struct sim_camera *cam)
{
	return cam->cfg.nusers == 0;
}

void
sim_camera_schedule_reboot(struct sim_camera *cam, int delay_ms)
{
	pthread_mutex_lock(&cam->lock);
	cam->reboot_at_ms = sim_now_ms() + delay_ms;
	pthread_mutex_unlock(&cam->lock);
}

void
sim_camera_sync_credentials(struct sim_camera *cam)
{
	int i;

	int first = -1;

	/* an administrator first (the one a 401 names), then every other
	 * user: a real camera lets any of them stream */
	for (i = 0; i < cam->cfg.nusers && first < 0; i++)
		if (cam->cfg.users[i].level == SIM_LEVEL_ADMIN)
			first = i;
	if (first < 0 && cam->cfg.nusers > 0)
		first = 0;
	sim_media_set_credentials(cam->index, first >= 0 ?
	    cam->cfg.users[first].name : NULL, first >= 0 ?
	    cam->cfg.users[first].password : NULL);
	for (i = 0; i < cam->cfg.nusers; i++)
		if (i != first)
			sim_media_add_credentials(cam->index,
			    cam->cfg.users[i].name, cam->cfg.users[i].password);
}

/* Change the motion state (schedule or control socket). */
void
sim_camera_set_motion(struct sim_camera *cam, bool on)
{
	if (cam->motion == on)
		return;
	cam->motion = on;
	sim_onvif_motion_changed(cam);
}

const char *
sim_site_password(int index)
{
	static char pw[SIM_MAX_CAMERAS][16];

	if (index < 0 || index >= SIM_MAX_CAMERAS)
		return "";
	snprintf(pw[index], sizeof pw[index], "Vigia-%04u",
	    (unsigned)(site_rand(index, 7) % 10000));
	return pw[index];
}

void
sim_camera_scopes(const struct sim_camera *cam, char *buf, size_t len)
{
	size_t n;
	int i;

	n = (size_t)snprintf(buf, len,
	    "onvif://www.onvif.org/type/video_encoder "
	    "onvif://www.onvif.org/type/Network_Video_Transmitter "
	    "onvif://www.onvif.org/Profile/Streaming %s"
	    "onvif://www.onvif.org/Profile/Q/%s "
	    "onvif://www.onvif.org/hardware/%s "
	    "onvif://www.onvif.org/MAC/%s",
	    cam->p->media2 ? "onvif://www.onvif.org/Profile/T " : "",
	    sim_camera_factory(cam) ? "FactoryDefault" : "Operational",
	    cam->p->model, cam->mac);
	for (i = 0; i < cam->cfg.nscopes && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, " %s",
		    cam->cfg.scopes[i]);
}

/* Run argv, wait for it; 0 when it exited 0. */
static int
site_run(const char *const argv[])
{
	pid_t pid;
	int st;

	if (posix_spawnp(&pid, argv[0], NULL, NULL, (char *const *)argv,
	    environ) != 0)
		return -1;
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* See sim-camera.h: one self-signed certificate for every TLS camera,
 * made once with the openssl command into the cache directory. */
int
sim_site_tls_ready(void)
{
	char *key = NULL, *crt = NULL, *pem = NULL;
	int err = -1;

	pthread_mutex_lock(&sim_site.tls_lock);
	if (sim_site.tls_pem != NULL) {
		err = 0;
		goto out;
	}
	xasprintf(&pem, "%s/tls-server.pem", sim_site.cache_dir);
	if (access(pem, R_OK) != 0) {
		FILE *out, *in;
		char buf[4096], *tmp;
		size_t n;
		const char *argv[] = { "openssl", "req", "-x509", "-newkey",
			"rsa:2048", "-nodes", "-days", "3650", "-subj",
			"/CN=vigia-sim", "-keyout", NULL, "-out", NULL, NULL };

		/* private names and a rename: sites started at once (tests
		 * in parallel share the cache) never read half a file */
		xasprintf(&key, "%s/tls-key.pem.%ld", sim_site.cache_dir,
		    (long)getpid());
		xasprintf(&crt, "%s/tls-cert.pem.%ld", sim_site.cache_dir,
		    (long)getpid());
		argv[11] = key;
		argv[13] = crt;
		if (site_run(argv) != 0) {
			log_error("sim: openssl req failed: no TLS cameras");
			goto out;
		}
		xasprintf(&tmp, "%s.%ld", pem, (long)getpid());
		out = fopen(tmp, "w");
		if (out == NULL) {
			free(tmp);
			goto out;
		}
		chmod(tmp, 0600);
		for (int i = 0; i < 2; i++) {
			in = fopen(i == 0 ? key : crt, "r");
			if (in == NULL)
				continue;
			while ((n = fread(buf, 1, sizeof buf, in)) > 0)
				fwrite(buf, 1, n, out);
			fclose(in);
		}
		if (fclose(out) != 0 || rename(tmp, pem) != 0) {
			unlink(tmp);
			free(tmp);
			goto out;
		}
		free(tmp);
		unlink(key);
		unlink(crt);
	}
	sim_site.tls_pem = pem;
	pem = NULL;
	err = 0;
out:
	pthread_mutex_unlock(&sim_site.tls_lock);
	free(key);
	free(crt);
	free(pem);
	return err;
}

/* Address base + i as text. */
static int
site_addr(int i, char *buf, size_t len)
{
	struct in_addr a;
	uint32_t h;

	if (inet_pton(AF_INET, sim_site.base, &a) != 1)
		return -1;
	h = ntohl(a.s_addr) + (uint32_t)i;
	if ((h >> 24) != 127)
		return -1;
	a.s_addr = htonl(h);
	return inet_ntop(AF_INET, &a, buf, (socklen_t)len) != NULL ? 0 : -1;
}

/* A camera as it leaves the factory, plus its starting credentials. */
static void
camera_init(struct sim_camera *cam, int i)
{
	const struct sim_personality *p;
	struct sim_config *c = &cam->cfg;
	uint64_t r = site_rand(i, 1), u = site_rand(i, 2);

	memset(cam, 0, sizeof *cam);
	cam->index = i;
	cam->model = (enum sim_model)(i % 3);
	cam->p = p = &sim_personalities[cam->model];
	cam->start = (enum sim_start)((i + i / 3) % 3);
	pthread_mutex_init(&cam->lock, NULL);
	pthread_cond_init(&cam->cond, NULL);
	atomic_init(&cam->workers, 0);
	atomic_init(&cam->listening, false);
	snprintf(cam->serial, sizeof cam->serial, "%s%09u", p->serial_prefix,
	    (unsigned)(r % 1000000000u));
	snprintf(cam->mac, sizeof cam->mac, "%s:%02x:%02x:%02x", p->oui,
	    (unsigned)(r >> 40) & 0xff, (unsigned)(r >> 48) & 0xff,
	    (unsigned)i & 0xff);
	snprintf(cam->uuid, sizeof cam->uuid,
	    "urn:uuid:%08x-%04x-4%03x-a%03x-%012llx", (unsigned)(u >> 32),
	    (unsigned)(u >> 16) & 0xffff, (unsigned)u & 0xfff,
	    (unsigned)(r >> 20) & 0xfff,
	    (unsigned long long)(r & 0xffffffffffffULL));
	site_addr(i, c->addr, sizeof c->addr);
	c->prefix = 8;
	snprintf(c->gateway, sizeof c->gateway, "127.0.0.1");
	c->ndns = 1;
	snprintf(c->dns[0], sizeof c->dns[0], "127.0.0.53");
	snprintf(c->tz, sizeof c->tz, "%s", cam->model == SIM_MODEL_HIK ?
	    "CST-8:00:00" : "GMT0");
	snprintf(c->hostname, sizeof c->hostname, "%s-%02d",
	    p->hostname_prefix, i);
	c->nscopes = 2;
	snprintf(c->scopes[0], sizeof c->scopes[0],
	    "onvif://www.onvif.org/name/%s", p->manufacturer);
	snprintf(c->scopes[1], sizeof c->scopes[1],
	    "onvif://www.onvif.org/location/country/site");
	c->stream[0] = p->defaults[0];
	c->stream[1] = p->defaults[1];
	c->quality[0] = c->quality[1] = 60;
	c->http_on = c->rtsp_on = true;
	c->http_port = sim_site.onvif_port;
	c->https_port = sim_site.https_port;
	c->rtsp_port = sim_site.rtsp_port;
	switch (cam->start) {
	case SIM_START_FACTORY_NEW:
		/* the RTC starts at 2020-01-01 plus a little uptime */
		c->clock_offset = (long)(1577836800 - time(NULL)) +
		    (long)(r % 600);
		break;
	case SIM_START_VENDOR_DEFAULT:
		c->nusers = 1;
		snprintf(c->users[0].name, sizeof c->users[0].name, "%s",
		    p->default_user);
		snprintf(c->users[0].password, sizeof c->users[0].password,
		    "%s", p->default_password);
		c->users[0].level = SIM_LEVEL_ADMIN;
		/* never set: days off */
		c->clock_offset = -(long)(86400 + (u % (3 * 86400)));
		break;
	case SIM_START_CONFIGURED:
		c->nusers = 1;
		snprintf(c->users[0].name, sizeof c->users[0].name, "admin");
		snprintf(c->users[0].password, sizeof c->users[0].password,
		    "%.15s", sim_site_password(i));
		c->users[0].level = SIM_LEVEL_ADMIN;
		c->time_ntp = true;
		c->nntp = 1;
		snprintf(c->ntp[0], sizeof c->ntp[0], "127.0.0.1");
		c->clock_offset = (long)(u % 3) - 1;	/* NTP-synced */
		break;
	}
	cam->motion_manual = -1;
	cam->motion_phase = (int)(r % 60);
	cam->instance_id = (unsigned)time(NULL);
	cam->metadata_version = 1;
}

/* Apply time-driven changes to one camera; media and discovery calls are
 * made after the lock is released. */
static void
camera_tick(struct sim_camera *cam, int64_t now_ms)
{
	bool down = false, back = false, moved = false, want_media;
	bool media_changed;
	char addr[16];
	time_t now = time(NULL);
	int i;

	pthread_mutex_lock(&cam->lock);
	if (cam->reboot_at_ms != 0 && now_ms >= cam->reboot_at_ms) {
		cam->reboot_at_ms = 0;
		cam->up_at_ms = now_ms + sim_site.reboot_ms;
		for (i = 0; i < SIM_MAX_SUBS; i++)
			cam->subs[i].used = false;
		pthread_cond_broadcast(&cam->cond);
		down = true;
	}
	if (cam->up_at_ms != 0 && now_ms >= cam->up_at_ms) {
		cam->up_at_ms = 0;
		cam->instance_id++;
		cam->msg_number = 0;
		moved = strcmp(cam->serve_addr, cam->cfg.addr) != 0;
		snprintf(cam->serve_addr, sizeof cam->serve_addr, "%s",
		    cam->cfg.addr);
		back = true;
	}
	snprintf(addr, sizeof addr, "%s", cam->serve_addr);
	want_media = sim_camera_up(cam);
	media_changed = want_media != cam->media_up;
	cam->media_up = want_media;
	if (media_changed && !want_media)
		pthread_cond_broadcast(&cam->cond);
	if (cam->motion_manual >= 0)
		sim_camera_set_motion(cam, cam->motion_manual == 1);
	else if (sim_site.motion_period > 0)
		sim_camera_set_motion(cam, (now + cam->motion_phase) %
		    sim_site.motion_period < sim_site.motion_on);
	for (i = 0; i < SIM_MAX_SUBS; i++)
		if (cam->subs[i].used && cam->subs[i].expires < now) {
			cam->subs[i].used = false;
			pthread_cond_broadcast(&cam->cond);
		}
	pthread_mutex_unlock(&cam->lock);
	if (moved) {
		char *cause = NULL;

		if (sim_media_move(cam->index, addr, &cause) != 0) {
			log_warn("sim: camera %d: media move: %s", cam->index,
			    cause != NULL ? cause : "failed");
			free(cause);
		}
	}
	if (down)
		sim_wsd_bye(cam);
	if (media_changed)
		sim_media_set_online(cam->index, want_media);
	if (back && want_media) {
		log_info("sim: camera %d is back on %s", cam->index, addr);
		sim_wsd_hello(cam);
	}
	sim_state_save(cam);
}

static void
usage(FILE *f)
{
	fprintf(f,
"usage: vigia-sim [--cameras N] [--base ADDR] [--state DIR] [--cache DIR]\n"
"                 [--control SOCKET] [--onvif-port P] [--https-port P]\n"
"                 [--rtsp-port P] [--http-port P] [--reboot-time S]\n"
"                 [--motion-period S] [--fault CAM:SPEC]... [--seed S]\n"
"                 [--audio CAM:pcmu|aac]...\n"
"                 [--no-discovery] [--verbose]\n"
"       vigia-sim --control SOCKET --send COMMAND\n"
"\n"
"A simulated site of ONVIF cameras on loopback: camera i listens on BASE+i\n"
"(default 127.0.1.1) with ONVIF on port 80 (8080 when not root), HTTPS 443\n"
"(8443), RTSP 554 (8554) and snapshots on 81 (8081).\n"
"\n"
"Models and starting credentials (camera i; no saved state):\n"
"  model  = i mod 3: 0 HIKVISION DS-2CD2143G2-I (Media2, H.265, activation,\n"
"           password 8-16 chars of 2+ kinds), 1 Dahua IPC-HDW2431T-AS-S2\n"
"           (Media2, H.265, HTTP digest on SOAP, 8-32 chars of 2+ kinds,\n"
"           none of ' \" ; : &), 2 generic IPC-1080P-S (Profile S only,\n"
"           H.264, no Media2)\n"
"  start  = (i + i div 3) mod 3:\n"
"           0 factory-new: no users, anonymous access until CreateUsers\n"
"             (the HIKVISION model opens only its device service),\n"
"             scope Profile/Q/FactoryDefault, clock near 2020-01-01\n"
"           1 vendor default: admin/12345 (HIKVISION), admin/admin (others),\n"
"             clock 1-4 days slow\n"
"           2 configured: admin/Vigia-NNNN (NNNN from --seed and i; printed\n"
"             at start and by the control command `status`), clock synced\n"
"  so cameras 0-8 cover every model x start: 0 hik new, 1 dahua default,\n"
"  2 generic configured, 3 hik default, 4 dahua configured, 5 generic new,\n"
"  6 hik configured, 7 dahua new, 8 generic default.\n"
"\n"
"Faults (--fault CAM:NAME[=VALUE], CAM a number or 'all'; or at run time\n"
"`fault CAM NAME [VALUE]` on the control socket): slow=MS, drop[=PCT],\n"
"malformed, clock=SECONDS, rtsp-stall, rtsp-kill, rtsp-resize,\n"
"ignore-venc, vanish-on-setnet, digest, port[=8899], tls, clear.\n"
"Control commands: status, fault, offline CAM, online CAM, reboot CAM,\n"
"motion CAM on|off|auto, help.  See vigia-sim(1).\n");
}

static volatile sig_atomic_t dummy_sig;

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cameras", required_argument, NULL, 'n' },
		{ "base", required_argument, NULL, 'b' },
		{ "state", required_argument, NULL, 's' },
		{ "cache", required_argument, NULL, 'C' },
		{ "control", required_argument, NULL, 'c' },
		{ "onvif-port", required_argument, NULL, 'o' },
		{ "https-port", required_argument, NULL, 'S' },
		{ "rtsp-port", required_argument, NULL, 'r' },
		{ "http-port", required_argument, NULL, 'H' },
		{ "reboot-time", required_argument, NULL, 'R' },
		{ "motion-period", required_argument, NULL, 'm' },
		{ "fault", required_argument, NULL, 'f' },
		{ "audio", required_argument, NULL, 'a' },
		{ "seed", required_argument, NULL, 'z' },
		{ "no-discovery", no_argument, NULL, 'D' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "send", required_argument, NULL, 'X' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char *faults[64];
	int nfaults = 0, opt, i, ret = 1;
	char *cause = NULL;
	sigset_t sigs;
	bool media_ok = false, mc_setup = false;
	const char *send_cmd = NULL;

	(void)dummy_sig;
	memset(&sim_site, 0, sizeof sim_site);
	sim_site.root = geteuid() == 0;
	sim_site.ncams = 3;
	snprintf(sim_site.base, sizeof sim_site.base, "127.0.1.1");
	sim_site.onvif_port = sim_site.root ? 80 : 8080;
	sim_site.https_port = sim_site.root ? 443 : 8443;
	sim_site.rtsp_port = sim_site.root ? 554 : 8554;
	sim_site.http_port = sim_site.root ? 81 : 8081;
	sim_site.reboot_ms = 20000;
	sim_site.motion_period = 60;
	sim_site.motion_on = 10;
	sim_site.seed = 1;
	sim_site.discovery = true;
	pthread_mutex_init(&sim_site.tls_lock, NULL);
	atomic_init(&sim_site.stopping, false);
	vg_log_open_stderr(VG_LOG_TIMESTAMP);

	while ((opt = getopt_long(argc, argv, "n:hv", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			sim_site.ncams = atoi(optarg);
			break;
		case 'b':
			snprintf(sim_site.base, sizeof sim_site.base, "%s",
			    optarg);
			break;
		case 's':
			sim_site.state_dir = xstrdup(optarg);
			break;
		case 'C':
			sim_site.cache_dir = xstrdup(optarg);
			break;
		case 'c':
			sim_site.control_path = xstrdup(optarg);
			break;
		case 'o':
			sim_site.onvif_port = atoi(optarg);
			break;
		case 'S':
			sim_site.https_port = atoi(optarg);
			break;
		case 'r':
			sim_site.rtsp_port = atoi(optarg);
			break;
		case 'H':
			sim_site.http_port = atoi(optarg);
			break;
		case 'R':
			sim_site.reboot_ms = (int)(atof(optarg) * 1000);
			break;
		case 'm':
			sim_site.motion_period = atoi(optarg);
			break;
		case 'f':
			if (nfaults == (int)(sizeof faults / sizeof faults[0]))
				fatal("vigia-sim: too many --fault options");
			faults[nfaults++] = optarg;
			break;
		case 'a': {
			char *colon = strchr(optarg, ':');
			int idx = atoi(optarg);

			if (colon == NULL || idx < 0 || (strcmp(colon + 1,
			    "pcmu") != 0 && strcmp(colon + 1, "aac") != 0))
				fatal("vigia-sim: --audio CAM:pcmu|aac");
			sim_media_set_audio(idx, strcmp(colon + 1, "aac") == 0 ?
			    SIM_AUDIO_AAC : SIM_AUDIO_PCMU);
			break;
		}
		case 'z':
			sim_site.seed = (unsigned)strtoul(optarg, NULL, 0);
			break;
		case 'D':
			sim_site.discovery = false;
			break;
		case 'v':
			vg_log_set_level(VG_LOG_DEBUG);
			break;
		case 'X':
			send_cmd = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("vigia-sim (gSOAP %s)\n", onvif_soap_version());
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (send_cmd != NULL) {
		if (sim_site.control_path == NULL) {
			fprintf(stderr, "vigia-sim: --send needs --control\n");
			return 2;
		}
		return sim_control_send(sim_site.control_path, send_cmd);
	}
	if (optind != argc || sim_site.ncams < 1 ||
	    sim_site.ncams > SIM_MAX_CAMERAS) {
		fprintf(stderr, "vigia-sim: --cameras must be 1..%d\n",
		    SIM_MAX_CAMERAS);
		return 2;
	}
	if (site_addr(sim_site.ncams - 1, (char[16]){ 0 }, 16) != 0) {
		fprintf(stderr, "vigia-sim: --base %s: every camera address "
		    "must be in 127.0.0.0/8\n", sim_site.base);
		return 2;
	}
	if (sim_site.motion_on >= sim_site.motion_period)
		sim_site.motion_on = sim_site.motion_period / 2;
	if (sim_site.reboot_ms < 0)
		sim_site.reboot_ms = 0;
	if (sim_site.state_dir != NULL && mkdir(sim_site.state_dir, 0700) != 0 &&
	    errno != EEXIST) {
		fprintf(stderr, "vigia-sim: %s: %s\n", sim_site.state_dir,
		    strerror(errno));
		return 1;
	}
	if (sim_site.cache_dir == NULL) {
		const char *xdg = getenv("XDG_CACHE_HOME"), *home =
		    getenv("HOME");

		if (sim_site.state_dir != NULL)
			xasprintf(&sim_site.cache_dir, "%s/cache",
			    sim_site.state_dir);
		else if (xdg != NULL && *xdg != '\0')
			xasprintf(&sim_site.cache_dir, "%s/vigia-sim", xdg);
		else
			xasprintf(&sim_site.cache_dir, "%s/.cache/vigia-sim",
			    home != NULL ? home : "/tmp");
	}
	{
		const char *mk[] = { "mkdir", "-p", sim_site.cache_dir, NULL };

		if (site_run(mk) != 0) {
			fprintf(stderr, "vigia-sim: cannot create %s\n",
			    sim_site.cache_dir);
			return 1;
		}
	}

	/* every thread inherits the mask; main waits for the signals */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	sim_onvif_global_init();
	sim_auth_init();
	sim_site.cams = xcalloc((size_t)sim_site.ncams, sizeof *sim_site.cams);
	for (i = 0; i < sim_site.ncams; i++) {
		struct sim_camera *cam = &sim_site.cams[i];
		int st = 0;

		camera_init(cam, i);
		st = sim_state_load(cam, &cause);
		if (st < 0) {
			fprintf(stderr, "vigia-sim: camera %d: %s\n", i, cause);
			goto out;
		}
		cam->dirty = st == 0 && sim_site.state_dir != NULL;
		snprintf(cam->serve_addr, sizeof cam->serve_addr, "%s",
		    cam->cfg.addr);
	}
	for (i = 0; i < nfaults; i++) {
		char *spec = faults[i], *colon = strchr(spec, ':');
		int cam, first, last;

		if (colon == NULL) {
			fprintf(stderr, "vigia-sim: --fault %s: want CAM:SPEC\n",
			    spec);
			goto out;
		}
		*colon = '\0';
		if (!strcmp(spec, "all")) {
			first = 0;
			last = sim_site.ncams - 1;
		} else {
			first = last = atoi(spec);
			if (first < 0 || first >= sim_site.ncams) {
				fprintf(stderr, "vigia-sim: --fault: no "
				    "camera %s\n", spec);
				goto out;
			}
		}
		for (cam = first; cam <= last; cam++)
			if (sim_fault_apply(&sim_site.cams[cam], colon + 1,
			    &cause) != 0) {
				fprintf(stderr, "vigia-sim: --fault %s:%s: "
				    "%s\n", spec, colon + 1, cause);
				goto out;
			}
	}

	if (sim_media_init(sim_site.cache_dir, sim_site.rtsp_port,
	    sim_site.http_port, &cause) != 0) {
		fprintf(stderr, "vigia-sim: media: %s\n", cause);
		goto out;
	}
	media_ok = true;
	for (i = 0; i < sim_site.ncams; i++) {
		struct sim_camera *cam = &sim_site.cams[i];

		if (sim_media_add_camera(i, cam->serve_addr, cam->cfg.stream,
		    &cause) != 0) {
			fprintf(stderr, "vigia-sim: camera %d: media: %s\n", i,
			    cause);
			goto out;
		}
		pthread_mutex_lock(&cam->lock);
		sim_camera_sync_credentials(cam);
		if (cam->fault.media != SIM_MEDIA_OK)
			sim_media_set_fault(i, cam->fault.media);
		cam->media_up = sim_camera_up(cam);
		pthread_mutex_unlock(&cam->lock);
		sim_media_set_online(i, cam->media_up);
		if (sim_onvif_start(cam, &cause) != 0) {
			fprintf(stderr, "vigia-sim: %s\n", cause);
			goto out;
		}
	}
	if (sim_site.control_path != NULL &&
	    sim_control_start(sim_site.control_path, &cause) != 0) {
		fprintf(stderr, "vigia-sim: control socket: %s\n", cause);
		goto out;
	}
	if (sim_site.discovery) {
		if (!sim_site.root) {
			fprintf(stderr, "vigia-sim: WS-Discovery is off: "
			    "multicast on loopback needs root (ip link set lo "
			    "multicast on; ip route add 239.0.0.0/8 dev lo)\n");
			sim_site.discovery = false;
		} else if (sim_wsd_setup_loopback(&cause) != 0 ||
		    sim_wsd_start(&cause) != 0) {
			fprintf(stderr, "vigia-sim: WS-Discovery is off: %s\n",
			    cause);
			free(cause);
			cause = NULL;
			sim_site.discovery = false;
			mc_setup = true;
		} else
			mc_setup = true;
	}

	/* "ready" means every reachable camera answers */
	for (int tries = 0; tries < 100; tries++) {
		bool all = true;

		for (i = 0; i < sim_site.ncams; i++) {
			struct sim_camera *cam = &sim_site.cams[i];
			bool up;

			pthread_mutex_lock(&cam->lock);
			up = sim_camera_up(cam);
			pthread_mutex_unlock(&cam->lock);
			if (up && !atomic_load(&cam->listening))
				all = false;
		}
		if (all)
			break;
		usleep(50 * 1000);
	}
	printf("vigia-sim: %d camera(s); ONVIF port %d, RTSP %d, snapshots "
	    "%d; discovery %s; state %s\n", sim_site.ncams,
	    sim_site.onvif_port, sim_site.rtsp_port, sim_site.http_port,
	    sim_site.discovery ? "on" : "off",
	    sim_site.state_dir != NULL ? sim_site.state_dir : "not kept");
	for (i = 0; i < sim_site.ncams; i++) {
		struct sim_camera *cam = &sim_site.cams[i];
		char url[160], cred[128];

		pthread_mutex_lock(&cam->lock);
		sim_camera_url(cam, "/onvif/device_service", url, sizeof url);
		if (cam->cfg.nusers == 0)
			snprintf(cred, sizeof cred, "no users (factory-new)");
		else
			snprintf(cred, sizeof cred, "%.32s/%.64s",
			    cam->cfg.users[0].name, cam->cfg.users[0].password);
		printf("  cam %-3d %-15s %-9s %-15s %-46s %s\n", i,
		    cam->serve_addr, cam->p->manufacturer,
		    start_names[cam->start], url, cred);
		pthread_mutex_unlock(&cam->lock);
	}
	printf("vigia-sim: ready\n");
	fflush(stdout);

	for (i = 0; i < sim_site.ncams && sim_site.discovery; i++)
		sim_wsd_hello(&sim_site.cams[i]);

	for (;;) {
		struct timespec ts = { 0, 200 * 1000000L };
		int sig = sigtimedwait(&sigs, NULL, &ts);
		int64_t now = sim_now_ms();

		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
			log_info("sim: signal %d, stopping", sig);
			break;
		}
		for (i = 0; i < sim_site.ncams; i++)
			camera_tick(&sim_site.cams[i], now);
	}
	ret = 0;
out:
	atomic_store(&sim_site.stopping, true);
	if (sim_site.cams != NULL) {
		for (i = 0; i < sim_site.ncams; i++) {
			struct sim_camera *cam = &sim_site.cams[i];
			bool up;

			pthread_mutex_lock(&cam->lock);
			up = sim_camera_up(cam);
			pthread_cond_broadcast(&cam->cond);
			pthread_mutex_unlock(&cam->lock);
			if (up && sim_site.discovery)
				sim_wsd_bye(cam);
		}
		for (i = 0; i < sim_site.ncams; i++)
			sim_onvif_join(&sim_site.cams[i]);
		for (i = 0; i < sim_site.ncams; i++)
			sim_state_save(&sim_site.cams[i]);
	}
	if (sim_site.discovery)
		sim_wsd_stop();
	if (mc_setup)
		sim_wsd_restore_loopback();
	sim_control_stop();
	if (media_ok)
		sim_media_shutdown();
	free(cause);
	return ret;
}
