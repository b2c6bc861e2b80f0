#!/bin/sh
# test-wizard-launch.sh - the wizard's last step starts vigiad and watches
# it: from a draft resumed at the write step, ^N writes the file, S starts
# vigiad detached (tests have no systemd: setsid, its log and pidfile
# beside the spool) against a real vigia-sim, the job waits for every
# camera's first packets and the dashboard shows each camera recording;
# a camera taken offline turns its row red with the reason, then
# recovers; a stopped (SIGSTOP) vigiad is "not answering since HH:MM:SS"
# while the keys still work.  Then in Spanish at 200x60: S again finds
# vigiad running and offers the reload (SIGHUP), which it gets.  `vigia
# start` says it runs already, and --reload works.  Last, a camera that
# never sends packets: the progress names it and Esc ends the wait.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/record/lib-record.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"	# its wait_for PATTERN wins

# poll SECONDS COMMAND...: until COMMAND succeeds
poll() {
	_p_n=$(($1 * 5))
	shift
	_p_i=0
	while ! "$@" >/dev/null 2>&1; do
		_p_i=$((_p_i + 1))
		[ $_p_i -lt $_p_n ] || return 1
		sleep 0.2
	done
}
# wait_long PATTERN: up to a minute
wait_long() {
	_w=0
	while [ $_w -lt 6 ]; do
		wait_for "$1" > /dev/null && return 0
		_w=$((_w + 1))
	done
	wait_for "$1"
}
# row NAME: the dashboard row of a camera
row() { grep -E "(^| )$1 " "$TMPD/screen" | head -1; }

sim_start --cameras 6 --no-discovery --motion-period 0 || {
	echo "not ok 1 - vigia-sim started"; exit 1; }
# three cameras that have users (factory-new ones would need activating)
set -- $(sim_ctl status | jq -r '.cameras | to_entries[] |
    select((.value.users | length) > 0) | .key' | head -3)
[ $# -eq 3 ] || bail_out "the site has fewer than 3 cameras with users"
CA=$1 CB=$2 CC=$3
rec_camera $CA cam-a > "$TMPD/a"
rec_camera $CB cam-b > "$TMPD/b"
rec_camera $CC cam-c > "$TMPD/c"
# the draft the wizard resumes, at its write step
mkdir -p "$TMPD/state/vigia"
rec_config "$DRAFT" 10 "$TMPD/a" "$TMPD/b" "$TMPD/c"
echo write > "$DRAFT.step"
CONF="$TMPD/site/vigia.conf"
# vigiad by its pidfile, whatever happens
vg_at_exit 'p=$(cat "$TMPD/vigiad.pid" 2>/dev/null); [ -n "$p" ] && kill -CONT $p 2>/dev/null; [ -n "$p" ] && kill -TERM $p 2>/dev/null; sleep 1; [ -n "$p" ] && kill -KILL $p 2>/dev/null'

start 80 24 -- --resume
wait_for 'Step 16 of 17: Write'
check "the draft resumes at the write step"
keys C-u "$CONF" C-n
wait_for 'Step 17 of 17: Summary'
check "^N writes the configuration"
screen_has 'press S to start vigiad' "the summary offers to start vigiad"
keys s
wait_for 'Starting vigiad'
check "S starts vigiad in a job with progress"
wait_long 'cameras recording'
check "the dashboard follows the launch"
screen_has 'vigiad runs in the background \(pid [0-9]+' "it says vigiad runs detached, with its pid"
screen_has '3 of 3 cameras record' "every camera sent packets before the dashboard"
test -s "$TMPD/vigiad.pid" && kill -0 "$(cat "$TMPD/vigiad.pid")"
check "the pidfile beside the spool names the running vigiad"
VIGIAD_PID=$(cat "$TMPD/vigiad.pid")
grep -q 'vigiad .* started' "$TMPD/vigiad.log"
check "its log is beside the spool"
test "$(ps -o sid= -p "$VIGIAD_PID" | tr -d ' ')" = "$VIGIAD_PID"
check "it leads a session of its own (setsid)"
wait_long '3 of 3 cameras recording'
for c in cam-a cam-b cam-c; do
	row $c | grep -qE "$c +recording +[0-9]+ +[0-9.]+ +[0-9]+ +[^ ]*\.(mp4|part)"
	check "$c: recording, bit rate, fps, gaps and the current segment"
done
screen_has 'Disk: [0-9.]+ GB free of' "disk headroom"
screen_has 'Uploads to here: ' "the upload backlog and throughput"
screen_has 'cameras 1-3 of 3' "the table says which rows it shows"

# ---- a camera offline, then back ---------------------------------------------
sim_ctl offline $CB > /dev/null
wait_long 'cam-b +reconnecting'
check "offline: the camera's row says reconnecting"
wait_long 'cam-b +reconnecting .*(refused|timeout|closed|[Tt]ime)'
check "and why"
screen_has '2 of 3 cameras recording' "the head counts it out"
sim_ctl online $CB > /dev/null
wait_long '3 of 3 cameras recording'
check "back online: the row recovers by itself"
row cam-b | grep -q 'recording'
check "cam-b records again"

# ---- a vigiad that does not answer ---------------------------------------------
kill -STOP "$VIGIAD_PID"
wait_long 'vigiad is not answering since [0-9]{2}:[0-9]{2}:[0-9]{2}'
check "a stopped vigiad: not answering since HH:MM:SS"
screen_has 'The figures below are from' "the last figures stay, with their time"
keys F1
wait_for 'Help: Summary'
check "the keys still work while vigiad does not answer"
keys Enter
kill -CONT "$VIGIAD_PID"
wait_long '3 of 3 cameras recording'
check "answering again: the dashboard is live again"
keys C-n
wait_for '^EXIT=0'
check "Finish leaves the wizard with status 0"
kill -0 "$VIGIAD_PID"
check "vigiad keeps running after the wizard"

# ---- the CLI: already running, reload ---------------------------------------
"$VIGIA" start -c "$CONF" > "$TMPD/start.out" 2> "$TMPD/start.err"
test $? = 1
check "vigia start on a running vigiad exits 1"
contains "$TMPD/start.err" "already runs with this configuration \\(pid $VIGIAD_PID\\)" \
    "and says it runs, with its pid"
"$VIGIA" start -c "$CONF" --reload > "$TMPD/start.out" 2> "$TMPD/start.err"
check "vigia start --reload exits 0 once every camera records"
contains "$TMPD/start.out" "reloaded the configuration" "it says vigiad reloaded"
contains "$TMPD/start.out" '3 of 3 cameras record' "and that every camera records"
poll 5 grep -q 'SIGHUP: reloading' "$TMPD/vigiad.log"
check "vigiad got SIGHUP"

# ---- Spanish, 200x60: running already, the reload offered ------------------
if spanish_locale; then
	# straight to the summary: resume a draft at the write step again
	cp "$CONF" "$DRAFT"
	echo write > "$DRAFT.step"
	start 200 60 LC_ALL="$ES_LOC" VIGIA_LOCALEDIR="$TMPD/locale" -- \
	    --resume
	wait_for 'Paso 16 de 17'
	keys C-u "$CONF" C-n
	wait_for 'Reemplazar el archivo'
	keys Left Enter
	wait_for 'Paso 17 de 17'
	screen_has 'pulse S' "the Spanish summary offers to start vigiad"
	keys s
	wait_long 'vigiad ya está en marcha'
	check "Spanish: vigiad is found running"
	screen_has 'Recargarlo' "and the reload is offered"
	n0=$(grep -c 'SIGHUP: reloading' "$TMPD/vigiad.log")
	keys Enter
	wait_long 'cámaras grabando'
	check "the Spanish dashboard follows the reload"
	poll 5 test "$(grep -c 'SIGHUP: reloading' "$TMPD/vigiad.log")" -gt "$n0"
	check "vigiad got SIGHUP from the wizard"
	wait_long '3 de 3 cámaras grabando'
	screen_has 'CÁMARA +ESTADO +DESDE' "the wide table's Spanish headings"
	row cam-a | grep -q 'grabando'
	check "cam-a: grabando"
	keys C-n
	wait_for '^EXIT=0'
	check "Finish leaves with status 0 in Spanish"
	sane_terminal "after the Spanish dashboard"
else
	echo "# no Spanish locale: Spanish part skipped"
fi

kill -TERM "$VIGIAD_PID"
poll 15 sh -c "! kill -0 $VIGIAD_PID"
check "vigiad stops on SIGTERM"

# ---- a camera that never sends packets: progress names it, Esc cancels --------
cat > "$TMPD/dark" <<EOF
	{ name = "cam-dark"; match = { address = "$SIM_NET.200"; };
	  credentials = { user = "admin"; password = "Nobody-Serves-1"; };
	  recording = { url = "rtsp://$SIM_NET.200:$((SIM_PORT + 1))/none"; }; }
EOF
rec_config "$DRAFT" 10 "$TMPD/a" "$TMPD/dark"
echo write > "$DRAFT.step"
start 80 24 -- --resume
wait_for 'Step 16 of 17: Write'
keys C-u "$TMPD/site/dark.conf" C-n
wait_for 'Step 17 of 17: Summary'
keys s
wait_long '1 of 2 cameras record; waiting for cam-dark'
check "the progress names the camera it waits for"
screen_has 'Esc cancels' "the wait can be cancelled"
keys Escape
wait_long 'Waiting cancelled; vigiad keeps running \(pid [0-9]+\)'
check "Esc: the wait ends, vigiad keeps running"
wait_long 'cam-dark +reconnecting'
check "the dashboard shows the dark camera in trouble"
VIGIAD_PID=$(cat "$TMPD/vigiad.pid")
kill -0 "$VIGIAD_PID"
check "and vigiad runs"
keys C-n
wait_for '^EXIT=0'
kill -TERM "$VIGIAD_PID"
poll 15 sh -c "! kill -0 $VIGIAD_PID"
check "vigiad stops on SIGTERM"
done_testing
