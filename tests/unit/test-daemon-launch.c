/* test-daemon-launch.c - the status document as plain values, and the
 * launcher's paths and systemd unit.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "daemon-launch.h"
#include "daemon.h"
#include "libvigia.h"
#include "tap.h"

static const char doc[] =
    "{\"vigiad\":\"0.1.0\",\"pid\":42,\"site\":\"plant\",\"started\":1000,"
    "\"now\":1600,\"alarms\":[{\"source\":\"disk\",\"message\":\"disk "
    "almost full\",\"since\":1500,\"last\":1590,\"active\":true},"
    "{\"source\":\"disk\",\"message\":\"old\",\"active\":false}],"
    "\"cameras\":[{\"name\":\"cam-1\",\"mode\":\"continuous\",\"state\":"
    "\"recording\",\"since\":1010,\"bitrate_kbps\":2048.5,\"fps\":25.0,"
    "\"segment\":\"/s/cam-1/a.mp4.part\",\"segments\":7,\"frames\":900,"
    "\"gaps\":1,\"reconnects\":2,\"last_error\":null},"
    "{\"name\":\"cam-2\",\"mode\":\"continuous\",\"state\":"
    "\"reconnecting\",\"since\":1590,\"bitrate_kbps\":0,\"fps\":0,"
    "\"segment\":null,\"segments\":0,\"frames\":0,\"gaps\":0,"
    "\"reconnects\":5,\"last_error\":{\"reason\":\"refused\",\"message\":"
    "\"rtsp://x: Connection refused\",\"at\":1595}},"
    "{\"name\":\"cam-3\",\"mode\":\"schedule\",\"state\":\"idle\"}],"
    "\"disk\":{\"free_bytes\":5000000000,\"total_bytes\":10000000000,"
    "\"headroom_h\":12.5},"
    "\"spool\":{\"segments\":9,\"backlog\":3,\"stored\":6,\"evicted\":0,"
    "\"tasks_pending\":1},"
    "\"uploader\":{\"target\":\"s3\",\"backlog\":3,\"backlog_bytes\":"
    "3000000,\"oldest_backlog_age_s\":40,\"throughput_bps\":1000000,"
    "\"stored\":6,\"failed\":1,\"last_error\":{\"message\":\"503\","
    "\"age_s\":5}},"
    "\"labeler\":{\"state\":\"ok\",\"tasks_created\":5,\"tasks_failed\":0,"
    "\"last_error\":null}}";

int
main(void)
{
	struct vg_status *st = NULL;
	struct vg_config *cfg = vg_config_new();
	char *cause = NULL, *log = NULL, *pid = NULL, *unit;

	tap_ok(vg_status_parse(doc, &st, &cause) == VG_OK && st != NULL,
	    "a status document parses");
	tap_ok(st->pid == 42 && !strcmp(st->site, "plant") &&
	    st->now - st->started == 600, "pid, site, times");
	tap_ok(st->ncams == 3, "three cameras");
	tap_ok(st->cams[0].packets && !st->cams[0].alarm &&
	    st->cams[0].kbps > 2048 && st->cams[0].fps == 25.0 &&
	    st->cams[0].gaps == 1 && st->cams[0].segments == 7 &&
	    !strcmp(st->cams[0].segment, "/s/cam-1/a.mp4.part"),
	    "a recording camera: packets, bit rate, fps, gaps, segment");
	tap_ok(!st->cams[1].packets && st->cams[1].alarm &&
	    st->cams[1].err_text != NULL &&
	    strstr(st->cams[1].err_text, "refused") != NULL &&
	    strstr(st->cams[1].err_text, "Connection refused") != NULL,
	    "a reconnecting camera: an alarm, with its reason and message");
	tap_ok(st->cams[2].packets && !st->cams[2].alarm,
	    "an idle (scheduled) camera expects no packets and is no alarm");
	tap_ok(st->has_disk && st->headroom_h == 12.5 &&
	    st->disk_free == 5000000000LL, "disk and headroom");
	tap_ok(st->has_uploader && st->up_backlog == 3 && st->up_bps ==
	    1000000 && st->up_failed == 1 && st->up_error != NULL &&
	    !strcmp(st->up_error, "503"), "the uploader, with its last error");
	tap_ok(st->has_labeler && st->lb_created == 5 && st->lb_error == NULL &&
	    st->tasks_pending == 1, "Label Studio");
	tap_ok(st->nalarms == 2 && st->alarms[0].active &&
	    !st->alarms[1].active, "alarms, active or not");
	vg_status_free(st);
	st = NULL;

	tap_ok(vg_status_parse("{\"x\":1}", &st, &cause) == VG_ERR_PROTO &&
	    st == NULL && cause != NULL, "not a status document: refused");
	free(cause);
	cause = NULL;
	tap_ok(vg_status_parse("not json", &st, &cause) == VG_ERR_PROTO,
	    "not JSON: refused");
	free(cause);

	free(cfg->vigiad.spool_dir);
	cfg->vigiad.spool_dir = xstrdup("/var/lib/vigia/spool/");
	vg_launch_paths(cfg, &log, &pid);
	tap_ok(!strcmp(log, "/var/lib/vigia/vigiad.log") &&
	    !strcmp(pid, "/var/lib/vigia/vigiad.pid"),
	    "log and pidfile beside the spool");
	free(log);
	free(pid);
	free(cfg->vigiad.spool_dir);
	cfg->vigiad.spool_dir = xstrdup("/spool");
	vg_launch_paths(cfg, &log, &pid);
	tap_ok(!strcmp(log, "/vigiad.log"), "a spool at the root");
	free(log);
	free(pid);
	free(cfg->vigiad.spool_dir);
	cfg->vigiad.spool_dir = xstrdup("spool");
	vg_launch_paths(cfg, &log, &pid);
	tap_ok(!strcmp(log, "./vigiad.log"), "a relative spool");
	free(log);
	free(pid);

	unit = vg_launch_unit_text("/usr/bin/vigiad", "/etc/vigia/site.conf");
	tap_ok(strstr(unit, "\nExecStart=/usr/bin/vigiad --config "
	    "/etc/vigia/site.conf\n") != NULL && strstr(unit,
	    "\nType=notify\n") != NULL && strstr(unit,
	    "\nRestartPreventExitStatus=3\n") != NULL && strstr(unit,
	    "\nWantedBy=multi-user.target\n") != NULL,
	    "the unit runs vigiad on this file, Type=notify");
	free(unit);
	vg_config_free(cfg);
	return tap_done();
}
