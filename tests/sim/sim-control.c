/* sim-control.c - vigia-sim: the control socket and fault injection.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Unix stream socket (mode 0600) that takes one command per line and
 * answers one line: "ok", "error: why", or JSON for `status`.  Tests and
 * trainers script faults with it, e.g.
 *   printf 'fault 3 slow 2000\n' | socat - UNIX-CONNECT:ctl.sock
 * Commands: status | fault CAM SPEC | offline CAM | online CAM |
 * reboot CAM | motion CAM on|off|auto | help, where CAM is a camera
 * index or "all".  One client at a time, 5 s read deadline, 4 KiB lines.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>

#include "sim-camera.h"
#include "libvigia.h"

static int control_fd = -1;
static char *control_path;
static pthread_t control_thread;
static bool control_started;

/* How long a command waits for a camera's ONVIF server to move. */
#define CONTROL_SETTLE_MS 8000

static const char *level_names[] = { "Administrator", "Operator", "User",
	"Anonymous" };

/* See sim-camera.h. */
void
sim_fault_describe(const struct sim_faults *f, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
#define ADD(...) do { if (n < len) n += (size_t)snprintf(buf + n, len - n, \
	__VA_ARGS__); } while (0)
	if (f->slow_ms)
		ADD(" slow=%d", f->slow_ms);
	if (f->drop_pct)
		ADD(" drop=%d", f->drop_pct);
	if (f->malformed)
		ADD(" malformed");
	if (f->clock_skew)
		ADD(" clock=%ld", f->clock_skew);
	if (f->ignore_venc)
		ADD(" ignore-venc");
	if (f->vanish)
		ADD(" vanish-on-setnet");
	if (f->digest)
		ADD(" digest");
	if (f->port)
		ADD(" port=%d", f->port);
	if (f->tls)
		ADD(" tls");
	if (f->media == SIM_MEDIA_STALL)
		ADD(" rtsp-stall");
	if (f->media == SIM_MEDIA_KILL)
		ADD(" rtsp-kill");
	if (f->media == SIM_MEDIA_RESIZE)
		ADD(" rtsp-resize");
#undef ADD
	if (buf[0] == '\0')
		snprintf(buf, len, "none");
	else
		memmove(buf, buf + 1, strlen(buf));
}

/* After a change that moves or stops the ONVIF server (port, TLS, cable):
 * wait until the camera's accept loop has followed, so that "ok" means
 * the camera answers where `status` says.  0, or -1 and *cause. */
static int
control_settle(struct sim_camera *cam, char **cause)
{
	if (!cam->thread_started ||
	    sim_onvif_wait_settled(cam, CONTROL_SETTLE_MS) == 0)
		return 0;
	xasprintf(cause, "camera %d: its ONVIF server did not follow within "
	    "%d s (see the log)", cam->index, CONTROL_SETTLE_MS / 1000);
	return -1;
}

/* See sim-camera.h. */
int
sim_fault_apply(struct sim_camera *cam, const char *spec, char **cause)
{
	char name[32] = "", *eq;
	const char *value = NULL;
	long v = 0;
	bool has_value, media = false, readvertise = false;
	enum sim_media_fault mf;

	snprintf(name, sizeof name, "%s", spec);
	if ((eq = strpbrk(name, "= ")) != NULL) {
		*eq = '\0';
		value = spec + (eq - name) + 1;
		while (*value == ' ')
			value++;
	}
	has_value = value != NULL && *value != '\0';
	if (has_value) {
		char *end;

		v = strtol(value, &end, 10);
		if (*end != '\0' && *end != ' ' && *end != '\n') {
			xasprintf(cause, "%s: not a number: %s", name, value);
			return -1;
		}
	}
	pthread_mutex_lock(&cam->lock);
	mf = cam->fault.media;
	if (!strcmp(name, "slow"))
		cam->fault.slow_ms = has_value ? (int)v : 2000;
	else if (!strcmp(name, "drop"))
		cam->fault.drop_pct = has_value ? (int)v : 100;
	else if (!strcmp(name, "malformed"))
		cam->fault.malformed = true;
	else if (!strcmp(name, "clock"))
		cam->fault.clock_skew = has_value ? v : 3600;
	else if (!strcmp(name, "ignore-venc"))
		cam->fault.ignore_venc = true;
	else if (!strcmp(name, "vanish-on-setnet") || !strcmp(name, "vanish"))
		cam->fault.vanish = true;
	else if (!strcmp(name, "digest"))
		cam->fault.digest = true;
	else if (!strcmp(name, "port")) {
		cam->fault.port = has_value ? (int)v : 8899;
		readvertise = true;
	} else if (!strcmp(name, "tls")) {
		cam->fault.tls = true;
		readvertise = true;
	} else if (!strcmp(name, "rtsp-stall")) {
		cam->fault.media = SIM_MEDIA_STALL;
		media = true;
	} else if (!strcmp(name, "rtsp-kill")) {
		cam->fault.media = SIM_MEDIA_KILL;
		media = true;
	} else if (!strcmp(name, "rtsp-resize")) {
		cam->fault.media = SIM_MEDIA_RESIZE;
		media = true;
	} else if (!strcmp(name, "clear")) {
		readvertise = cam->fault.port != 0 || cam->fault.tls;
		media = cam->fault.media != SIM_MEDIA_OK;
		memset(&cam->fault, 0, sizeof cam->fault);
	} else {
		pthread_mutex_unlock(&cam->lock);
		xasprintf(cause, "unknown fault '%s' (slow, drop, malformed, "
		    "clock, rtsp-stall, rtsp-kill, rtsp-resize, ignore-venc, "
		    "vanish-on-setnet, digest, port, tls, clear)", name);
		return -1;
	}
	if (cam->fault.slow_ms < 0 || cam->fault.slow_ms > 600000 ||
	    cam->fault.drop_pct < 0 || cam->fault.drop_pct > 100 ||
	    cam->fault.port < 0 || cam->fault.port > 65535) {
		memset(&cam->fault, 0, sizeof cam->fault);
		cam->fault.media = mf;
		pthread_mutex_unlock(&cam->lock);
		xasprintf(cause, "%s: value out of range", name);
		return -1;
	}
	if (readvertise)
		cam->metadata_version++;
	mf = cam->fault.media;
	pthread_mutex_unlock(&cam->lock);
	if (media)
		sim_media_set_fault(cam->index, mf);
	if (readvertise && control_settle(cam, cause) != 0)
		return -1;
	if (readvertise && sim_site.discovery && !atomic_load(
	    &sim_site.stopping) && cam->thread_started)
		sim_wsd_hello(cam);
	return 0;
}

/* The site as JSON (caller frees). */
char *
sim_status_json(void)
{
	json_t *root = json_object(), *cams = json_array();
	char *s;
	int i, k;

	for (i = 0; i < sim_site.ncams; i++) {
		struct sim_camera *cam = &sim_site.cams[i];
		json_t *o, *users, *streams;
		char faults[256], url[160];
		const char *state;

		pthread_mutex_lock(&cam->lock);
		state = cam->gone ? "gone" : cam->offline ? "offline" :
		    (cam->up_at_ms != 0 || cam->reboot_at_ms != 0) ?
		    "rebooting" : "up";
		sim_fault_describe(&cam->fault, faults, sizeof faults);
		sim_camera_url(cam, "/onvif/device_service", url, sizeof url);
		users = json_array();
		for (k = 0; k < cam->cfg.nusers; k++)
			json_array_append_new(users, json_pack(
			    "{s:s, s:s, s:s}", "name", cam->cfg.users[k].name,
			    "password", cam->cfg.users[k].password, "level",
			    level_names[cam->cfg.users[k].level & 3]));
		streams = json_array();
		for (k = 0; k < 2; k++) {
			const struct sim_stream_cfg *st = &cam->cfg.stream[k];

			json_array_append_new(streams, json_pack(
			    "{s:s, s:i, s:i, s:i, s:i, s:i, s:s, s:s, s:I}",
			    "codec", st->codec == SIM_CODEC_H265 ? "h265" :
			    "h264", "width", st->width, "height", st->height,
			    "fps", st->fps, "bitrate_kbps", st->bitrate_kbps,
			    "gop", st->gop, "profile", st->profile,
			    "uri", sim_media_stream_uri(i, k) != NULL ?
			    sim_media_stream_uri(i, k) : "", "served",
			    (json_int_t)sim_media_frames_served(i, k)));
		}
		o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
		    "s:s, s:i, s:s, s:b, s:b, s:s, s:I, s:o, s:o, s:s, s:i, "
		    "s:s, s:i, s:b}",
		    "index", i, "address", cam->serve_addr,
		    "configured_address", cam->cfg.addr, "state", state,
		    "model", cam->p->key, "manufacturer", cam->p->manufacturer,
		    "model_name", cam->p->model, "serial", cam->serial,
		    "mac", cam->mac, "start", cam->start == SIM_START_FACTORY_NEW ?
		    "factory-new" : cam->start == SIM_START_VENDOR_DEFAULT ?
		    "vendor-default" : "configured",
		    "onvif_port", sim_camera_port(cam), "onvif_url", url,
		    "factory_new", sim_camera_factory(cam),
		    "motion", cam->motion, "faults", faults,
		    "clock_offset", (json_int_t)(cam->cfg.clock_offset +
		    cam->fault.clock_skew), "users", users, "streams", streams,
		    "snapshot_uri", sim_media_snapshot_uri(i) != NULL ?
		    sim_media_snapshot_uri(i) : "", "requests",
		    (int)cam->requests, "uuid", cam->uuid, "auth_failed",
		    (int)cam->auth_failed, "locked",
		    cam->locked_until_ms > sim_now_ms());
		pthread_mutex_unlock(&cam->lock);
		json_array_append_new(cams, o);
	}
	json_object_set_new(root, "cameras", cams);
	json_object_set_new(root, "discovery", json_boolean(sim_site.discovery));
	json_object_set_new(root, "onvif_port", json_integer(sim_site.onvif_port));
	json_object_set_new(root, "rtsp_port", json_integer(sim_site.rtsp_port));
	json_object_set_new(root, "http_port", json_integer(sim_site.http_port));
	s = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (s == NULL)
		fatal("vigia-sim: out of memory");
	return s;
}

/* Parse CAM into a range of indexes; -1 if bad. */
static int
control_cams(const char *arg, int *first, int *last)
{
	char *end;
	long v;

	if (arg == NULL)
		return -1;
	if (!strcmp(arg, "all")) {
		*first = 0;
		*last = sim_site.ncams - 1;
		return 0;
	}
	v = strtol(arg, &end, 10);
	if (*end != '\0' || v < 0 || v >= sim_site.ncams)
		return -1;
	*first = *last = (int)v;
	return 0;
}

/* Execute one command line; the answer (caller frees). */
static char *
control_exec(char *line)
{
	char *cmd, *arg, *rest = NULL, *cause = NULL, *out;
	int first, last, i;

	cmd = strtok_r(line, " \t", &rest);
	if (cmd == NULL)
		return xstrdup("error: empty command");
	if (!strcmp(cmd, "status"))
		return sim_status_json();
	if (!strcmp(cmd, "help"))
		return xstrdup("ok: status | fault CAM SPEC [VALUE] | offline "
		    "CAM | online CAM | reboot CAM | motion CAM on|off|auto");
	arg = strtok_r(NULL, " \t", &rest);
	if (control_cams(arg, &first, &last) != 0) {
		xasprintf(&out, "error: %s: camera index 0..%d or 'all' "
		    "expected", cmd, sim_site.ncams - 1);
		return out;
	}
	while (rest != NULL && (*rest == ' ' || *rest == '\t'))
		rest++;
	for (i = first; i <= last; i++) {
		struct sim_camera *cam = &sim_site.cams[i];

		if (!strcmp(cmd, "fault")) {
			if (rest == NULL || *rest == '\0')
				return xstrdup("error: fault CAM SPEC");
			if (sim_fault_apply(cam, rest, &cause) != 0) {
				xasprintf(&out, "error: %s", cause);
				free(cause);
				return out;
			}
		} else if (!strcmp(cmd, "offline") || !strcmp(cmd, "online")) {
			bool on = cmd[1] == 'n';

			pthread_mutex_lock(&cam->lock);
			cam->offline = !on;
			if (on)
				cam->gone = false;
			pthread_cond_broadcast(&cam->cond);
			pthread_mutex_unlock(&cam->lock);
			if (control_settle(cam, &cause) != 0) {
				xasprintf(&out, "error: %s", cause);
				free(cause);
				return out;
			}
			/* the site tick tells the media side and says Hello */
			if (on && sim_site.discovery)
				sim_wsd_hello(cam);
		} else if (!strcmp(cmd, "reboot")) {
			sim_camera_schedule_reboot(cam, 0);
		} else if (!strcmp(cmd, "motion")) {
			int m;

			if (rest != NULL && !strcmp(rest, "on"))
				m = 1;
			else if (rest != NULL && !strcmp(rest, "off"))
				m = 0;
			else if (rest != NULL && !strcmp(rest, "auto"))
				m = -1;
			else
				return xstrdup("error: motion CAM on|off|auto");
			pthread_mutex_lock(&cam->lock);
			cam->motion_manual = m;
			if (m >= 0)
				sim_camera_set_motion(cam, m == 1);
			pthread_mutex_unlock(&cam->lock);
		} else {
			xasprintf(&out, "error: unknown command '%s' (try help)",
			    cmd);
			return out;
		}
	}
	return xstrdup("ok");
}

/* Serve one client until it closes, errs or idles 5 s. */
static void
control_client(int fd)
{
	struct timeval tv = { 5, 0 };
	char buf[4096];
	size_t used = 0;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	for (;;) {
		char *nl;
		ssize_t n = read(fd, buf + used, sizeof buf - 1 - used);

		if (n <= 0)
			return;
		used += (size_t)n;
		buf[used] = '\0';
		while ((nl = strchr(buf, '\n')) != NULL) {
			char *ans;
			size_t len;

			*nl = '\0';
			if (nl > buf && nl[-1] == '\r')
				nl[-1] = '\0';
			ans = control_exec(buf);
			len = strlen(ans);
			ans[len] = '\0';
			if (write(fd, ans, len) != (ssize_t)len ||
			    write(fd, "\n", 1) != 1) {
				free(ans);
				return;
			}
			free(ans);
			used -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, used + 1);
		}
		if (used == sizeof buf - 1) {
			static const char e[] = "error: line too long\n";

			if (write(fd, e, sizeof e - 1) < 0)
				return;
			return;
		}
	}
}

static void *
control_main(void *arg)
{
	while (!atomic_load(&sim_site.stopping)) {
		struct pollfd p = { control_fd, POLLIN, 0 };
		int fd;

		if (poll(&p, 1, 500) <= 0)
			continue;
		fd = accept(control_fd, NULL, NULL);
		if (fd < 0)
			continue;
		control_client(fd);
		close(fd);
	}
	return NULL;
}

/* See sim-camera.h. */
int
sim_control_start(const char *path, char **cause)
{
	struct sockaddr_un sa;

	if (strlen(path) >= sizeof sa.sun_path) {
		xasprintf(cause, "%s: path too long", path);
		return -1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	control_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (control_fd < 0) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return -1;
	}
	unlink(path);
	if (bind(control_fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    chmod(path, 0600) != 0 || listen(control_fd, 8) != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(control_fd);
		control_fd = -1;
		return -1;
	}
	control_path = xstrdup(path);
	if (pthread_create(&control_thread, NULL, control_main, NULL) != 0) {
		xasprintf(cause, "pthread_create failed");
		return -1;
	}
	control_started = true;
	return 0;
}

/* See sim-camera.h: the client side, for scripts without socat. */
int
sim_control_send(const char *path, const char *cmd)
{
	struct sockaddr_un sa;
	struct timeval tv = { 10, 0 };
	char buf[65536];
	size_t used = 0;
	ssize_t n;
	int fd;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa.sun_path) {
		fprintf(stderr, "vigia-sim: %s: path too long\n", path);
		return 2;
	}
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		fprintf(stderr, "vigia-sim: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 2;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (write(fd, cmd, strlen(cmd)) < 0 || write(fd, "\n", 1) < 0) {
		close(fd);
		return 2;
	}
	while (used < sizeof buf - 1 &&
	    (n = read(fd, buf + used, sizeof buf - 1 - used)) > 0) {
		used += (size_t)n;
		if (memchr(buf, '\n', used) != NULL)
			break;
	}
	close(fd);
	buf[used] = '\0';
	fputs(buf, stdout);
	if (used == 0 || buf[used - 1] != '\n')
		putchar('\n');
	return strncmp(buf, "error", 5) == 0 || used == 0 ? 1 : 0;
}

/* Stop the control thread and remove the socket. */
void
sim_control_stop(void)
{
	if (control_started)
		pthread_join(control_thread, NULL);
	control_started = false;
	if (control_fd >= 0)
		close(control_fd);
	control_fd = -1;
	if (control_path != NULL)
		unlink(control_path);
	free(control_path);
	control_path = NULL;
}
