#!/bin/sh
# test-status-watch.sh - `vigia status --watch` is the live dashboard on a
# terminal: a real vigiad records 64 cameras' worth of configuration (two
# real vigia-sim cameras, 62 whose streams nobody serves), at 80x24 the
# table scrolls (PgDn to the 64th) and the cameras in trouble are red
# with the reason; at 200x60 the wide columns show; a stopped vigiad
# (SIGSTOP) is "not answering since HH:MM:SS" while q still quits at
# once, and so is a dead one; Spanish at 80x24; piped, it prints the
# text again each time.  Last, uploads to the S3 test server and tasks in
# the Label Studio emulator: the counts, then Label Studio's failures once
# the emulator is gone.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/record/lib-record.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"	# its wait_for PATTERN wins

# wait_long PATTERN: up to a minute
wait_long() {
	_w=0
	while [ $_w -lt 6 ]; do
		wait_for "$1" > /dev/null && return 0
		_w=$((_w + 1))
	done
	wait_for "$1"
}
# row NAME: the dashboard row of a camera (with its colours: -e)
ESC=$(printf '\033')
row_sgr() { tm capture-pane -p -e -t w | grep -E "$1[^0-9]" | head -1; }

sim_start --cameras 4 --no-discovery --motion-period 0 || {
	echo "not ok 1 - vigia-sim started"; exit 1; }
set -- $(sim_ctl status | jq -r '.cameras | to_entries[] |
    select((.value.users | length) > 0) | .key' | head -2)
[ $# -eq 2 ] || bail_out "the site has fewer than 2 cameras with users"
rec_camera $1 cam-01 > "$TMPD/e01"
rec_camera $2 cam-02 > "$TMPD/e02"
entries="$TMPD/e01 $TMPD/e02"
i=3
while [ $i -le 64 ]; do
	n=$(printf %02d $i)
	# an address of our own block where nothing serves RTSP
	cat > "$TMPD/e$n" <<EOF
	{ name = "cam-$n"; match = { address = "$SIM_NET.$((100 + i))"; };
	  credentials = { user = "admin"; password = "Nobody-Serves-1"; };
	  recording = { url = "rtsp://$SIM_NET.$((100 + i)):$((SIM_PORT + 1))/none"; }; }
EOF
	entries="$entries $TMPD/e$n"
	i=$((i + 1))
done
rec_config "$TMPD/v.conf" 10 $entries
vigiad_start "$TMPD/v.conf"
check "vigiad starts with 64 cameras"

# ---- 80x24 ------------------------------------------------------------------
start 80 24 -- status --watch --socket "$STATUS_SOCK"
wait_long 'site rec-test'
check "80x24: the dashboard shows vigiad and the site"
wait_long '2 of 64 cameras recording'
check "it counts the cameras that record"
screen_has 'cameras 1-[0-9]+ of 64' "the table says which of the 64 rows it shows"
screen_has 'cam-01 +recording' "a camera that records"
wait_long 'cam-03 +reconnecting .*(refused|timeout|[Rr]efused)'
check "a camera without a stream: reconnecting, and why"
row_sgr cam-03 | grep -qE "$ESC\\[[0-9;]*(31|38;5;1)m"
check "its row is red"
row_sgr cam-01 | grep -qE "$ESC\\[[0-9;]*(31|38;5;1)m"
test $? = 1
check "a camera that records is not red"
test "$(grep -c 'cam-[0-9][0-9] ' "$TMPD/screen")" -lt 64
check "80x24 does not pretend to show all 64"
keys NPage
wait_for 'cameras [1-9][0-9]?-[0-9]+ of 64' > /dev/null
settle
grep -q 'cam-01 ' "$TMPD/screen"
test $? = 1
check "PgDn scrolls the first cameras away"
# (End may reach the program as a bare Esc under tmux: PgDn to the end)
keys NPage NPage NPage NPage NPage NPage NPage NPage
wait_for 'cameras [0-9]+-64 of 64'
check "PgDn reaches the last rows"
screen_has 'cam-64 ' "the 64th camera is on screen"
screen_has 'Disk: [0-9.]+ GB free' "the disk"
screen_has 'Uploads to here' "the uploads"

# ---- a stopped vigiad, then a dead one --------------------------------------
kill -STOP "$VIGIAD_PID"
wait_long 'vigiad is not answering since [0-9]{2}:[0-9]{2}:[0-9]{2}'
check "a stopped vigiad: not answering since HH:MM:SS"
screen_has 'The figures below are from [0-9]{2}:' "the last figures stay, with their time"
keys q
wait_for '^EXIT=1'
check "q quits at once although vigiad does not answer (status 1)"
sane_terminal "after the watch"
kill -CONT "$VIGIAD_PID"

# ---- 200x60 -----------------------------------------------------------------
start 200 60 -- status --watch --socket "$STATUS_SOCK"
wait_long 'site rec-test'
check "200x60: the dashboard"
screen_has 'CAMERA +STATE +SINCE +KBIT/S +FPS +SEGMENTS +GAPS +RECONN +SEGMENT +LAST ERROR' \
    "the wide columns"
screen_has 'cam-01 +recording +[0-9]+ (s|min) +[0-9]+ +[0-9.]+ +[0-9]+ +[0-9]+ +[0-9]+ +[^ ]+\.(mp4|part)' \
    "a recording row: since, bit rate, fps, segments, gaps, reconnects, its file"
screen_has 'cameras 1-[0-9]+ of 64' "still scrolls at 60 lines"
vigiad_stop TERM
wait_long 'vigiad is not answering since [0-9:]+ \((no such|network|not found|connection|[A-Za-z ]+)'
check "vigiad gone: not answering, and why"
keys q
wait_for '^EXIT=1'
check "q quits"

# ---- Spanish, 80x24 -----------------------------------------------------------
if spanish_locale; then
	vigiad_start "$TMPD/v.conf"
	start 80 24 LC_ALL="$ES_LOC" VIGIA_LOCALEDIR="$TMPD/locale" -- \
	    status --watch --socket "$STATUS_SOCK"
	wait_long 'sitio rec-test'
	check "Spanish: the dashboard"
	screen_has 'CÁMARA +ESTADO' "Spanish headings"
	wait_long 'cam-01 +grabando'
	check "Spanish: grabando"
	screen_has 'cámaras 1-[0-9]+ de 64' "Spanish footer"
	keys q
	wait_for '^EXIT=0'
	check "q quits with status 0 while vigiad answers"
else
	echo "# no Spanish locale: Spanish part skipped"
fi

# ---- piped: the text again every time ------------------------------------------
[ -n "$VIGIAD_PID" ] || vigiad_start "$TMPD/v.conf"
timeout 3 "$VIGIA" status --watch=1 --socket "$STATUS_SOCK" > "$TMPD/piped" 2>&1
test "$(grep -c 'site rec-test' "$TMPD/piped")" -ge 2
check "piped: the text again every second"
vigiad_stop TERM
timeout 5 "$VIGIA" status --watch=1 --socket "$STATUS_SOCK" > "$TMPD/piped" 2>&1
test $? = 124
check "piped, vigiad gone: it keeps trying until interrupted"
contains "$TMPD/piped" 'vigiad is not answering since [0-9:]+' "and says since when"

# ---- uploads to S3 and Label Studio tasks (the test servers) ---------------------
. "$top_srcdir/tests/store/lib-store.sh"
if command -v node > /dev/null && command -v npm > /dev/null; then
	. "$top_srcdir/tests/ls/lib-ls.sh"
	VIGIA_TEST_POLL_MS=200 VIGIA_TEST_LS_INTERVAL_MS=0 VIGIA_TEST_LS_POLL_MS=200
	export VIGIA_TEST_POLL_MS VIGIA_TEST_LS_INTERVAL_MS VIGIA_TEST_LS_POLL_MS
	store_s3_start
	emu_start
	{
		echo 'version = 1;'
		echo 'site = { id = "rec-test"; };'
		echo "defaults = { onvif = { port = $SIM_PORT; timeout_ms = 5000; };"
		echo '    recording = { segment_s = 10; }; };'
		echo 'cameras = ('
		cat "$TMPD/e01"
		echo ','
		cat "$TMPD/e02"
		echo ');'
		echo "storage = ( { name = \"t\"; $(s3_group) } );"
		echo 'nvr = { mode = "vigiad"; };'
		echo "label_studio = { enabled = true; url = \"$EMU_URL\";"
		echo "    token = \"$EMU_TOKEN\"; project_title = \"watch\";"
		echo '    label_config = "video-classification"; };'
		echo "vigiad = { spool_dir = \"$TMPD/spool-s3\"; storage = \"t\";"
		echo "    status_socket = \"$STATUS_SOCK\";"
		echo '    retention = { min_free_gb = 0.0; min_free_h = 0.0; }; };'
	} > "$TMPD/s3.conf"
	chmod 600 "$TMPD/s3.conf"
	vigiad_start "$TMPD/s3.conf"
	check "vigiad records to S3 with Label Studio"
	start 80 24 -- status --watch --socket "$STATUS_SOCK"
	wait_long 'Label Studio: [1-9][0-9]* tasks created, [0-9]+ pending, 0 failed'
	check "the dashboard counts Label Studio's tasks"
	# (at 80 columns the line wraps rather than lose its last figures)
	settle
	tr '\n' ' ' < "$TMPD/screen" |
	    grep -qE 'Uploads to t: [0-9]+ waiting .* [1-9][0-9]* stored, 0 +failed'
	check "and what was uploaded to S3, whole"
	emu_stop
	wait_long 'Label Studio: .* [1-9][0-9]* failed|last Label Studio error'
	check "Label Studio gone: its failures and last error"
	keys q
	wait_for '^EXIT=0'
	vigiad_stop TERM
else
	echo "# no node or npm: the S3 and Label Studio part skipped"
fi
done_testing
