#!/bin/sh
# tests/sim/test-sim-onvif-util.sh - Debian's onvif-util (libonvif), an
# independent client, discovers the simulated cameras (WS-Discovery
# multicast on loopback) and reads device information and stream URIs.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# onvif-util talks to port 80 only and discovery needs multicast on
# loopback: both need root (CI runs as root).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
command -v onvif-util >/dev/null 2>&1 || skip "onvif-util missing (apt-get install onvif-tools)"
[ "$(id -u)" -eq 0 ] || skip "onvif-util needs ONVIF on port 80 and discovery needs root"

# onvif-util knows port 80 only: on the test's own addresses it is free
SIM_PORT=80
sim_start --seed 31 --cameras 3
NET_RE=$(vg_re "$SIM_NET")
check "vigia-sim started"
contains "$TMPD/sim.out" 'discovery on' "discovery is on as root"

# camera 2: generic Profile S model, configured credentials
pw=$(cam_json 2 '.users[0].password')
printf 'get rtsp\nget rtsp 1\nget video\nquit\n' |
    timeout 30 onvif-util -u admin -p "$pw" "$SIM_NET.3" >"$TMPD/u.out" 2>&1
check "onvif-util session ends"
contains "$TMPD/u.out" 'successfully connected' "onvif-util logs in"
contains "$TMPD/u.out" 'name: +IPCAM IPC-1080P-S' "onvif-util reads manufacturer and model"
contains "$TMPD/u.out" "serial: +$(cam_json 2 .serial)" "onvif-util reads the serial number"
contains "$TMPD/u.out" "rtsp://$NET_RE\\.3:81/[^ ]*101" "onvif-util gets the main stream URI"
contains "$TMPD/u.out" "rtsp://$NET_RE\\.3:81/[^ ]*102" "onvif-util gets the sub stream URI"
contains "$TMPD/u.out" 'Resolution: 640 x 360' "onvif-util reads the encoder settings"
! grep -q ERROR "$TMPD/u.out"
check "no onvif-util errors" || cat "$TMPD/u.out"

printf 'quit\n' | timeout 30 onvif-util -u admin -p wrong "$SIM_NET.3" >"$TMPD/w.out" 2>&1
! grep -q "serial: $(cam_json 2 .serial)" "$TMPD/w.out"
check "onvif-util with a wrong password gets no device information"

# WS-Discovery: every camera answers a probe (other sites on lo, another
# run's too, answer as well: only ours are looked for)
timeout 30 onvif-util -a >"$TMPD/a.out" 2>&1
check "onvif-util -a ends"
for i in 1 2 3; do
	contains "$TMPD/a.out" "^$NET_RE\\.$i " "discovered the camera at $SIM_NET.$i"
done
contains "$TMPD/a.out" 'HIKVISION DS-2CD2143G2-I' "a probe match names the Hikvision-like model"

sim_stop
[ "$SIM_EXIT" -eq 0 ]
check "vigia-sim stops cleanly on SIGTERM"
done_testing
