# tests/record/lib-record.sh - helpers for the recorder tests (sourced
# after tests/lib.sh and tests/sim/sim-lib.sh).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# rec_camera N NAME [EXTRA]: a camera entry for sim camera N (its first
# user; the stream asked over ONVIF unless EXTRA sets recording.url).
# rec_config FILE SEGMENT_S ENTRY-FILES...: a whole configuration with
# the spool and status socket in $TMPD.  vigiad_start / vigiad_stop run
# vigiad by PID; status_json reads its status socket.

for t in ffprobe jq; do
	command -v $t >/dev/null 2>&1 || skip "$t missing"
done
# compress time: quick reconnects and stall detection
VIGIA_TEST_BACKOFF_MIN_MS=${VIGIA_TEST_BACKOFF_MIN_MS:-200}
VIGIA_TEST_BACKOFF_MAX_MS=${VIGIA_TEST_BACKOFF_MAX_MS:-2000}
VIGIA_TEST_RTSP_TIMEOUT_MS=${VIGIA_TEST_RTSP_TIMEOUT_MS:-3000}
export VIGIA_TEST_BACKOFF_MIN_MS VIGIA_TEST_BACKOFF_MAX_MS \
    VIGIA_TEST_RTSP_TIMEOUT_MS
SPOOL="$TMPD/spool"
STATUS_SOCK="$TMPD/status.sock"
VIGIAD_PID=
vg_at_exit 'vigiad_stop KILL'

rec_camera() {
	cat <<EOF2
	{
		name = "$2";
		match = { address = "$(cam_addr "$1")"; };
		credentials = { user = "$(cam_json "$1" '.users[0].name')";
		    password = "$(cam_json "$1" '.users[0].password')"; };
		${3:-}
	}
EOF2
}

rec_config() {
	f=$1 seg=$2
	shift 2
	{
		echo 'version = 1;'
		echo 'site = { id = "rec-test"; timezone = "Europe/Madrid"; };'
		echo "defaults = { onvif = { port = $SIM_PORT; timeout_ms = 5000; };"
		echo "    recording = { segment_s = $seg; }; };"
		echo 'cameras = ('
		first=1
		for e in "$@"; do
			[ $first -eq 1 ] || echo '	,'
			first=0
			cat "$e"
		done
		echo ');'
		echo 'storage = ( { name = "here"; type = "local"; path = "'"$TMPD"'/store"; } );'
		echo 'nvr = { mode = "vigiad"; };'
		echo "vigiad = { spool_dir = \"$SPOOL\"; storage = \"here\";"
		echo "    status_socket = \"$STATUS_SOCK\";"
		echo "    retention = { min_free_gb = ${MIN_FREE_GB:-0.0}; min_free_h = 0.0; }; };"
	} > "$f"
	chmod 600 "$f"
}

vigiad_start() {
	"$VIGIAD" -v -v -c "$1" 2>>"$TMPD/vigiad.log" &
	VIGIAD_PID=$!
	i=0
	while ! grep -q 'vigiad .* started' "$TMPD/vigiad.log" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 $VIGIAD_PID 2>/dev/null; then
			sed 's/^/#   /' "$TMPD/vigiad.log" | tail -20
			return 1
		fi
		sleep 0.1
	done
}

# vigiad_stop [SIGNAL]: TERM (default) and wait; $VIGIAD_SECS = how long
vigiad_stop() {
	[ -n "$VIGIAD_PID" ] || return 0
	t0=$(date +%s%N)
	kill -${1:-TERM} $VIGIAD_PID 2>/dev/null
	i=0
	while kill -0 $VIGIAD_PID 2>/dev/null && [ $i -lt 150 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 $VIGIAD_PID 2>/dev/null; then
		echo "# vigiad did not stop, killing it"
		kill -KILL $VIGIAD_PID
	fi
	wait $VIGIAD_PID 2>/dev/null
	VIGIAD_EXIT=$?
	VIGIAD_MS=$((($(date +%s%N) - t0) / 1000000))
	VIGIAD_PID=
}

status_json() {
	"$VIGIA" status --json --socket "$STATUS_SOCK"
}

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds
wait_for() {
	_wf_n=$(($1 * 5))
	shift
	_wf_i=0
	while ! "$@" >/dev/null 2>&1; do
		_wf_i=$((_wf_i + 1))
		[ $_wf_i -lt $_wf_n ] || return 1
		sleep 0.2
	done
}

# segments CAMERA: the closed segments of a camera, oldest first
segments() {
	ls "$SPOOL/$1"/*.mp4 2>/dev/null | sort
}

# seg_check FILE: ffprobe clean, duration within one frame of the
# sidecar; prints "frames duration" of the file
seg_check() {
	side="${1%.mp4}.json"
	[ -f "$side" ] || { echo "# no sidecar for $1" >&2; return 1; }
	ffprobe -v error -count_packets -select_streams v:0 \
	    -show_entries stream=nb_read_packets,avg_frame_rate:format=duration \
	    -of json "$1" > "$TMPD/probe.json" 2> "$TMPD/probe.err" || return 1
	if [ -s "$TMPD/probe.err" ]; then
		echo "# ffprobe complained about $1:" >&2
		sed 's/^/#   /' "$TMPD/probe.err" | head -5 >&2
		return 1
	fi
	pf=$(jq -r '.streams[0].nb_read_packets' "$TMPD/probe.json")
	pd=$(jq -r '.format.duration' "$TMPD/probe.json")
	sf=$(jq -r '.frames' "$side")
	sd=$(jq -r '.duration_s' "$side")
	fps=$(jq -r '.video.fps' "$side")
	# an audio track may run on past the last video frame by at most
	# one of its frames (1024 samples for AAC): the cut is at a keyframe
	ar=$(ffprobe -v error -select_streams a:0 -show_entries \
	    stream=sample_rate -of csv=p=0 "$1" 2>/dev/null | head -1)
	[ -n "$ar" ] || ar=0
	[ "$pf" = "$sf" ] || { echo "# $1: ffprobe $pf frames, sidecar $sf" >&2; return 1; }
	awk -v a="$pd" -v b="$sd" -v f="$fps" -v r="$ar" 'BEGIN {
		d = a - b; if (d < 0) d = -d
		t = 1.0 / f + 0.0005; if (r > 0) t += 1024.0 / r
		exit !(f > 0 && d <= t) }' || {
		echo "# $1: ffprobe $pd s, sidecar $sd s (fps $fps)" >&2; return 1; }
	echo "$pf $pd"
}
