/* daemon-launch.c - start vigiad (systemd unit or detached) and wait until
 * every camera records.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See daemon-launch.h.  READY is the status socket answering: vigiad
 * opens it after the recorder started, just before it tells systemd
 * READY=1, and it works the same detached and under systemd.  The
 * detached child is forked from what may be a threaded program: between
 * fork() and exec() it calls only async-signal-safe functions, on data
 * prepared before the fork.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon-launch.h"
#include "daemon.h"
#include "i18n.h"
#include "libvigia.h"

#ifndef VG_BINDIR
#define VG_BINDIR "/usr/local/bin"
#endif

#define UNIT "vigiad.service"
#define UNIT_DIR "/etc/systemd/system"

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Add a translated line to r->problems. */
static void
problem(struct vg_launch_result *r, const char *fmt, ...) VG_PRINTF(2, 3);

static void
problem(struct vg_launch_result *r, const char *fmt, ...)
{
	va_list ap;

	r->problems = xreallocarray(r->problems, r->nproblems + 1,
	    sizeof *r->problems);
	va_start(ap, fmt);
	xvasprintf(&r->problems[r->nproblems++], fmt, ap);
	va_end(ap);
}

void
vg_launch_result_clear(struct vg_launch_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nproblems; i++)
		free(r->problems[i]);
	free(r->problems);
	free(r->log_path);
	free(r->pid_path);
	memset(r, 0, sizeof *r);
}

static void
progress(const struct vg_launch_opts *o, double f, const char *detail)
{
	if (o->progress != NULL)
		o->progress(o->arg, f, detail);
}

static bool
cancelled(const struct vg_launch_opts *o)
{
	return o->cancel != NULL && *o->cancel;
}

/* Sleep ms, in small steps that notice a cancel. */
static void
nap(const struct vg_launch_opts *o, int ms)
{
	struct timespec ts = { 0, 50 * 1000000L };

	for (; ms > 0 && !cancelled(o); ms -= 50)
		nanosleep(&ts, NULL);
}

int
vg_daemon_find(const char *status_socket, int timeout_ms, long *pid,
    char **cause)
{
	struct vg_status *st = NULL;
	char *json = NULL;
	int err;

	*pid = 0;
	err = vg_status_read(status_socket, timeout_ms, &json, cause);
	if (err != VG_OK)
		return err;
	err = vg_status_parse(json, &st, cause);
	free(json);
	if (err == VG_OK)
		*pid = st->pid;
	vg_status_free(st);
	return err;
}

char *
vg_launch_vigiad(void)
{
	const char *env = getenv("VIGIA_VIGIAD");
	char self[PATH_MAX], *p, *s;
	ssize_t n;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((s = strrchr(self, '/')) != NULL) {
			*s = '\0';
			xasprintf(&p, "%s/vigiad", self);
			if (access(p, X_OK) == 0)
				return p;
			free(p);
		}
	}
	return xstrdup(VG_BINDIR "/vigiad");
}

bool
vg_launch_systemd_usable(void)
{
	char comm[32] = "";
	FILE *f;

	if (geteuid() != 0 || access("/run/systemd/system", F_OK) != 0)
		return false;
	if ((f = fopen("/proc/1/comm", "re")) == NULL)
		return false;
	if (fgets(comm, sizeof comm, f) == NULL)
		comm[0] = '\0';
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	return strcmp(comm, "systemd") == 0;
}

void
vg_launch_paths(const struct vg_config *cfg, char **log_path,
    char **pid_path)
{
	char *dir = xstrdup(cfg->vigiad.spool_dir != NULL ?
	    cfg->vigiad.spool_dir : "."), *s;
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	s = strrchr(dir, '/');
	if (s == NULL)
		strcpy(dir, ".");
	else if (s == dir)
		dir[1] = '\0';
	else
		*s = '\0';
	xasprintf(log_path, "%s%svigiad.log", dir, strcmp(dir, "/") ? "/" :
	    "");
	xasprintf(pid_path, "%s%svigiad.pid", dir, strcmp(dir, "/") ? "/" :
	    "");
	free(dir);
}

char *
vg_launch_unit_text(const char *vigiad, const char *config_path)
{
	char *t;

	xasprintf(&t,
	    "# vigiad.service - written by vigia for %s\n"
	    "[Unit]\n"
	    "Description=vigia recorder and uploader\n"
	    "Documentation=man:vigiad(8) man:vigia.conf(5)\n"
	    "Wants=network-online.target\n"
	    "After=network-online.target time-sync.target\n"
	    "\n"
	    "[Service]\n"
	    "Type=notify\n"
	    "NotifyAccess=main\n"
	    "WatchdogSec=60\n"
	    "TimeoutStopSec=15\n"
	    "ExecStart=%s --config %s\n"
	    "ExecReload=/bin/kill -HUP $MAINPID\n"
	    "RestartPreventExitStatus=3\n"
	    "Restart=always\n"
	    "RestartSec=5\n"
	    "StateDirectory=vigia\n"
	    "RuntimeDirectory=vigia\n"
	    "RuntimeDirectoryPreserve=yes\n"
	    "UMask=0077\n"
	    "NoNewPrivileges=yes\n"
	    "\n"
	    "[Install]\n"
	    "WantedBy=multi-user.target\n", config_path, vigiad, config_path);
	return t;
}

/* The last lines of a log worth showing (errors first), or NULL. */
static char *
log_tail(const char *path)
{
	char line[512], *keep[3] = { NULL, NULL, NULL }, *out = NULL, *t;
	FILE *f = path != NULL ? fopen(path, "re") : NULL;
	int i;

	if (f == NULL)
		return NULL;
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strstr(line, "error") == NULL && strstr(line, "cannot") ==
		    NULL && strstr(line, "invalid") == NULL &&
		    strstr(line, "failed") == NULL)
			continue;
		free(keep[0]);
		keep[0] = keep[1];
		keep[1] = keep[2];
		keep[2] = xstrdup(line);
	}
	fclose(f);
	for (i = 0; i < 3; i++) {
		if (keep[i] == NULL)
			continue;
		xasprintf(&t, "%s%s%s", out != NULL ? out : "", out != NULL ?
		    "\n" : "", keep[i]);
		free(out);
		out = t;
		free(keep[i]);
	}
	return out;
}

/* Run argv with a deadline; its output (both streams) into *out when
 * asked.  Returns the exit status, or -1 (did not run or timed out). */
static int
run(const char *const argv[], int timeout_ms, char **out)
{
	int p[2], status = -1;
	pid_t pid;
	int64_t end = mono_ms() + timeout_ms;
	char buf[1024];
	size_t len = 0;
	ssize_t n;
	struct pollfd pfd;

	if (out != NULL) {
		/* a caller may chain calls on one buffer */
		free(*out);
		*out = NULL;
	}
	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		int nul = open("/dev/null", O_RDONLY);

		if (nul >= 0)
			dup2(nul, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	for (;;) {
		int64_t left = end - mono_ms();

		if (left <= 0) {
			kill(pid, SIGKILL);
			break;
		}
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = read(p[0], buf, sizeof buf);
		if (n <= 0)
			break;
		if (out != NULL) {
			*out = xrealloc(*out, len + (size_t)n + 1);
			memcpy(*out + len, buf, (size_t)n);
			len += (size_t)n;
			(*out)[len] = '\0';
		}
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (mono_ms() >= end || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Write text to path (atomically, mode 0644). */
static int
write_file(const char *path, const char *text, char **cause)
{
	char *tmp;
	FILE *f;
	int err = VG_OK;

	xasprintf(&tmp, "%s.tmp", path);
	f = fopen(tmp, "we");
	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0 ||
	    chmod(tmp, 0644) != 0 || rename(tmp, path) != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		err = VG_ERR_IO;
		unlink(tmp);
	}
	free(tmp);
	return err;
}

/* Install the unit (or an override that reads this file), enable it and
 * start it without waiting (the status socket says when it is ready). */
static int
launch_systemd(const char *vigiad, const char *config,
    struct vg_launch_result *r, char **cause)
{
	static const char *const units[] = { UNIT_DIR "/" UNIT,
	    "/usr/lib/systemd/system/" UNIT, "/lib/systemd/system/" UNIT,
	    "/usr/local/lib/systemd/system/" UNIT };
	char *text, *out = NULL;
	bool have = false;
	size_t i;
	int err;
	const char *const reload[] = { "systemctl", "daemon-reload", NULL };
	const char *const enable[] = { "systemctl", "enable", UNIT, NULL };
	const char *const restart[] = { "systemctl", "--no-block", "restart", UNIT,
	    NULL };

	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		have = have || access(units[i], F_OK) == 0;
	if (have) {
		/* the packaged unit stays; a drop-in points it at us */
		mkdir(UNIT_DIR "/" UNIT ".d", 0755);
		xasprintf(&text, "# written by vigia: vigiad reads %s\n"
		    "[Service]\nExecStart=\nExecStart=%s --config %s\n",
		    config, vigiad, config);
		err = write_file(UNIT_DIR "/" UNIT ".d/50-vigia.conf", text,
		    cause);
	} else {
		text = vg_launch_unit_text(vigiad, config);
		err = write_file(UNIT_DIR "/" UNIT, text, cause);
	}
	free(text);
	if (err != VG_OK) {
		problem(r, _("The systemd unit could not be written: %s"),
		    *cause);
		return err;
	}
	if (run(reload, 30000, &out) != 0 || run(enable, 30000, &out) != 0 ||
	    run(restart, 30000, &out) != 0) {
		xasprintf(cause, "systemctl failed: %s", out != NULL ? out :
		    "(no output)");
		problem(r, _("systemctl could not start vigiad: %s"),
		    out != NULL ? out : _("no output"));
		free(out);
		return VG_ERR_IO;
	}
	free(out);
	r->mode = VG_LAUNCH_SYSTEMD;
	log_notice("launch: %s enabled and started for %s", UNIT, config);
	return VG_OK;
}

/* Fork vigiad into its own session, its output in the log.  *child is
 * its pid (ours to reap). */
static int
launch_detached(const char *vigiad, const char *config,
    struct vg_launch_result *r, pid_t *child, char **cause)
{
	const char *const argv[] = { "vigiad", "--config", config, NULL };
	int p[2], e = 0, logfd, nul;
	ssize_t n;
	pid_t pid;
	sigset_t none;
	FILE *f;
	char *dir, *s;

	/* the spool's parent, for the log and pidfile */
	dir = xstrdup(r->log_path);
	if ((s = strrchr(dir, '/')) != NULL && s != dir) {
		*s = '\0';
		if (mkdir(dir, 0750) != 0 && errno != EEXIST)
			log_warn("launch: mkdir %s: %s", dir, strerror(errno));
	}
	free(dir);
	logfd = open(r->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600);
	if (logfd < 0) {
		xasprintf(cause, "%s: %s", r->log_path, strerror(errno));
		problem(r, _("vigiad's log file %s cannot be written: %s"),
		    r->log_path, strerror(errno));
		return VG_ERR_IO;
	}
	nul = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (pipe2(p, O_CLOEXEC) != 0)
		fatalx("pipe");
	sigemptyset(&none);
	pid = fork();
	if (pid < 0) {
		e = errno;
		close(p[0]);
		close(p[1]);
		close(logfd);
		if (nul >= 0)
			close(nul);
		xasprintf(cause, "fork: %s", strerror(e));
		problem(r, _("vigiad could not be started: %s"), strerror(e));
		return VG_ERR_IO;
	}
	if (pid == 0) {
		/* the child: async-signal-safe calls only */
		struct sigaction sa;
		int sig;

		setsid();
		if (nul >= 0)
			dup2(nul, 0);
		dup2(logfd, 1);
		dup2(logfd, 2);
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = SIG_DFL;
		for (sig = 1; sig < 32; sig++)
			if (sig != SIGKILL && sig != SIGSTOP)
				sigaction(sig, &sa, NULL);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execv(vigiad, (char *const *)argv);
		e = errno;
		if (write(p[1], &e, sizeof e) < 0)
			_exit(126);
		_exit(127);
	}
	close(p[1]);
	close(logfd);
	if (nul >= 0)
		close(nul);
	while ((n = read(p[0], &e, sizeof e)) < 0 && errno == EINTR)
		;
	close(p[0]);
	if (n == (ssize_t)sizeof e) {
		waitpid(pid, NULL, 0);
		xasprintf(cause, "%s: %s", vigiad, strerror(e));
		problem(r, _("vigiad cannot be run (%s): %s"), vigiad,
		    strerror(e));
		return VG_ERR_NOTFOUND;
	}
	*child = pid;
	r->pid = (long)pid;
	r->mode = VG_LAUNCH_DETACHED;
	f = fopen(r->pid_path, "we");
	if (f != NULL) {
		fprintf(f, "%ld\n", (long)pid);
		fclose(f);
	} else
		log_warn("launch: pidfile %s: %s", r->pid_path,
		    strerror(errno));
	log_notice("launch: vigiad started detached (pid %ld), log %s",
	    (long)pid, r->log_path);
	return VG_OK;
}

/* Whether our child ended; explain it in r. */
static bool
child_ended(pid_t child, struct vg_launch_result *r, char **cause)
{
	int status;
	char *tail;

	if (child <= 0 || waitpid(child, &status, WNOHANG) != child)
		return false;
	tail = log_tail(r->log_path);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
		problem(r, _("vigiad stopped at once: the configuration is "
		    "invalid (exit status 3)."));
	else if (WIFEXITED(status))
		problem(r, _("vigiad stopped at once (exit status %d)."),
		    WEXITSTATUS(status));
	else
		problem(r, _("vigiad was killed by signal %d."),
		    WTERMSIG(status));
	if (tail != NULL)
		problem(r, _("Its log (%s) says:\n%s"), r->log_path, tail);
	xasprintf(cause, "vigiad ended (status 0x%x)", status);
	free(tail);
	r->pid = 0;
	return true;
}

/* Wait until vigiad answers on the socket (and, detached, is our child). */
static int
wait_ready(const struct vg_config *cfg, const struct vg_launch_opts *o,
    struct vg_launch_result *r, pid_t child, char **cause)
{
	int64_t end = mono_ms() + (o->ready_ms > 0 ? o->ready_ms : 20000);
	long pid;
	char *why = NULL;
	int err = VG_ERR_TIMEOUT;

	progress(o, -1, _("Waiting for vigiad to say it is ready"));
	while (mono_ms() < end) {
		if (cancelled(o))
			return VG_ERR_CANCELLED;
		if (child_ended(child, r, cause))
			return VG_ERR_IO;
		free(why);
		why = NULL;
		err = vg_daemon_find(cfg->vigiad.status_socket, 1000, &pid,
		    &why);
		if (err == VG_OK && (child <= 0 || pid == (long)child)) {
			r->pid = pid;
			free(why);
			return VG_OK;
		}
		nap(o, 200);
	}
	xasprintf(cause, "vigiad not ready: %s", why != NULL ? why : "?");
	problem(r, _("vigiad did not answer on its status socket %s within "
	    "%d s."), cfg->vigiad.status_socket, (o->ready_ms > 0 ?
	    o->ready_ms : 20000) / 1000);
	if (r->log_path != NULL) {
		char *tail = log_tail(r->log_path);

		if (tail != NULL)
			problem(r, _("Its log (%s) says:\n%s"), r->log_path,
			    tail);
		free(tail);
	}
	free(why);
	return VG_ERR_TIMEOUT;
}

/* Wait for the first packets of every camera. */
static int
wait_packets(const struct vg_config *cfg, const struct vg_launch_opts *o,
    struct vg_launch_result *r, pid_t child, char **cause)
{
	int ms = o->packets_ms > 0 ? o->packets_ms : 30000;
	int64_t end = mono_ms() + ms;
	struct vg_status *st = NULL;
	char *json, *why = NULL, *line;
	size_t i, ok, fails = 0;
	const char *waiting;

	for (;;) {
		if (cancelled(o)) {
			vg_status_free(st);
			return VG_ERR_CANCELLED;
		}
		if (child_ended(child, r, cause)) {
			vg_status_free(st);
			return VG_ERR_IO;
		}
		json = NULL;
		free(why);
		why = NULL;
		if (vg_status_read(cfg->vigiad.status_socket, 1000, &json,
		    &why) == VG_OK) {
			struct vg_status *n = NULL;

			if (vg_status_parse(json, &n, &why) == VG_OK) {
				vg_status_free(st);
				st = n;
				fails = 0;
			}
			free(json);
		} else if (++fails >= 10) {
			xasprintf(cause, "vigiad stopped answering: %s", why);
			problem(r, _("vigiad stopped answering on its status "
			    "socket while the cameras started."));
			free(why);
			vg_status_free(st);
			return VG_ERR_IO;
		}
		if (st != NULL) {
			ok = 0;
			waiting = NULL;
			for (i = 0; i < st->ncams; i++) {
				if (st->cams[i].packets ||
				    st->cams[i].frames > 0)
					ok++;
				else if (waiting == NULL)
					waiting = st->cams[i].name;
			}
			r->ncameras = st->ncams;
			r->nrecording = ok;
			if (ok == st->ncams)
				break;
			/* TRANSLATORS: progress while vigiad starts; %s is
			 * a camera's name */
			xasprintf(&line, P_("%zu of %zu camera records; "
			    "waiting for %s", "%zu of %zu cameras record; "
			    "waiting for %s", st->ncams), ok, st->ncams,
			    waiting != NULL ? waiting : "?");
			progress(o, (double)ok / (double)st->ncams, line);
			free(line);
		}
		if (mono_ms() >= end)
			break;
		nap(o, 500);
	}
	free(why);
	if (st == NULL || r->nrecording == r->ncameras) {
		vg_status_free(st);
		return VG_OK;
	}
	for (i = 0; i < st->ncams; i++) {
		struct vg_status_cam *k = &st->cams[i];

		if (k->packets || k->frames > 0)
			continue;
		if (k->err_text != NULL)
			problem(r, _("Camera %s has no packets after %d s: "
			    "%s (%s)."), k->name, ms / 1000, k->err_text,
			    k->state_text);
		else
			problem(r, _("Camera %s has no packets after %d s "
			    "(%s)."), k->name, ms / 1000, k->state_text);
	}
	xasprintf(cause, "%zu of %zu cameras without packets",
	    r->ncameras - r->nrecording, r->ncameras);
	vg_status_free(st);
	return VG_ERR_TIMEOUT;
}

int
vg_daemon_launch(const struct vg_config *cfg, const struct vg_launch_opts *o,
    struct vg_launch_result *r, char **cause)
{
	char *vigiad = NULL, *config = NULL, *why = NULL;
	long pid = 0;
	pid_t child = 0;
	int err;

	memset(r, 0, sizeof *r);
	if (cfg->vigiad.status_socket == NULL || o->config_path == NULL) {
		xasprintf(cause, "no status socket or configuration path");
		problem(r, _("The configuration names no status socket."));
		return VG_ERR_USAGE;
	}
	config = realpath(o->config_path, NULL);
	if (config == NULL) {
		xasprintf(cause, "%s: %s", o->config_path, strerror(errno));
		problem(r, _("The configuration file %s cannot be read: %s"),
		    o->config_path, strerror(errno));
		return VG_ERR_NOTFOUND;
	}
	vg_launch_paths(cfg, &r->log_path, &r->pid_path);

	/* 1. already running? */
	progress(o, -1, _("Looking for a running vigiad"));
	if (vg_daemon_find(cfg->vigiad.status_socket, 1000, &pid, &why) ==
	    VG_OK) {
		r->was_running = true;
		r->pid = pid;
		if (!o->reload) {
			xasprintf(cause, "vigiad already runs (pid %ld)", pid);
			err = VG_ERR_EXISTS;
			goto out;
		}
		if (pid <= 0 || kill((pid_t)pid, SIGHUP) != 0) {
			xasprintf(cause, "SIGHUP to %ld: %s", pid,
			    strerror(errno));
			problem(r, _("vigiad (pid %ld) could not be told to "
			    "reload: %s"), pid, strerror(errno));
			err = VG_ERR_PERM;
			goto out;
		}
		r->reloaded = true;
		log_notice("launch: vigiad (pid %ld) reloads %s", pid, config);
		nap(o, 500);
	} else {
		enum vg_launch_mode mode = o->mode;

		log_debug("launch: no vigiad yet: %s", why);
		vigiad = o->vigiad != NULL ? xstrdup(o->vigiad) :
		    vg_launch_vigiad();
		if (mode == VG_LAUNCH_AUTO)
			mode = vg_launch_systemd_usable() ?
			    VG_LAUNCH_SYSTEMD : VG_LAUNCH_DETACHED;
		progress(o, -1, mode == VG_LAUNCH_SYSTEMD ?
		    _("Installing and starting the vigiad systemd unit") :
		    _("Starting vigiad in the background"));
		err = mode == VG_LAUNCH_SYSTEMD ? launch_systemd(vigiad,
		    config, r, cause) : launch_detached(vigiad, config, r,
		    &child, cause);
		if (err != VG_OK)
			goto out;
	}

	/* 2. READY, 3. packets */
	err = wait_ready(cfg, o, r, child, cause);
	if (err == VG_OK)
		err = wait_packets(cfg, o, r, child, cause);
out:
	free(why);
	free(vigiad);
	free(config);
	return err;
}
