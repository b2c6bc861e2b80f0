#!/bin/sh
# test-camera-sim.sh - probe, snapshot and preview by CAMERA name against
# vigia-sim: the camera is asked over ONVIF for the profile it records
# (recording.stream), its configured credentials open the stream, and
# `probe CAMERA` flags every difference from the configured encoder.  An
# unknown name, an unreadable configuration and a wrong password are
# reported clearly, and the password never shows.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/stream/lib-stream.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"

# cameras 2 (generic, Profile S) and 4 (Dahua, Media2) start configured
sim_start --cameras 5 --no-discovery
check "vigia-sim started"

# camera N [STREAM] [PASSWORD] [RECORDING-STREAM]: a config entry whose
# encoder is what the sim serves on STREAM (0 main, 1 sub)
camera() {
	n=$1 s=${2:-0} pw=${3:-$(cam_json "$1" '.users[0].password')}
	st=".streams[$s]"
	cat <<EOF
	{
		name = "$NAME";
		match = { address = "$(cam_addr "$n")"; };
		credentials = { user = "$(cam_json "$n" '.users[0].name')";
		    password = "$pw"; };
		encoder = { codec = "$(cam_json "$n" "$st.codec")";
		    width = $(cam_json "$n" "$st.width");
		    height = $(cam_json "$n" "$st.height");
		    fps = $(cam_json "$n" "$st.fps");
		    bitrate_kbps = $(cam_json "$n" "$st.bitrate_kbps");
		    gop = $(cam_json "$n" "$st.gop");
		    profile = "$(cam_json "$n" "$st.profile")"; };
		recording = { stream = "${4:-main}"; };
	}
EOF
}
# config FILE ENTRIES...: a whole configuration file (mode 0600)
config() {
	f=$1
	shift
	{
		echo 'version = 1;'
		echo 'site = { id = "camera-sim"; };'
		echo "defaults = { onvif = { port = $SIM_PORT; timeout_ms = 10000; }; };"
		echo 'cameras = ('
		first=1
		for e in "$@"; do
			[ $first -eq 1 ] || echo '	,'
			first=0
			cat "$e"
		done
		echo ');'
	} > "$f"
	chmod 600 "$f"
}
PW_A=$(cam_json 2 '.users[0].password')
PW_B=$(cam_json 4 '.users[0].password')
NAME=cam-a camera 2 0 > "$TMPD/a.ent"
NAME=cam-b camera 4 1 "$PW_B" sub > "$TMPD/b.ent"
NAME=cam-a camera 2 0 Wrong-Pass-1 > "$TMPD/bad.ent"
CONF="$TMPD/site.conf"
config "$CONF" "$TMPD/a.ent" "$TMPD/b.ent"
config "$TMPD/bad.conf" "$TMPD/bad.ent"

# no secret on any output of vigia
no_password() {
	! grep -q -e "$PW_A" -e "$PW_B" -e Wrong-Pass-1 "$@"
	check "$(basename "$1"): no password is shown"
}

"$VIGIA" probe -c "$CONF" cam-a --seconds 3 > "$TMPD/a.out" 2> "$TMPD/a.err"
st=$?
test $st -eq 0
check "probe cam-a: the stream matches its configured encoder (exit $st)" ||
    sed 's/^/# /' "$TMPD/a.out" "$TMPD/a.err" | head -30
contains "$TMPD/a.out" "^Camera: +cam-a, profile .* \\(main stream\\)" \
    "probe cam-a names the camera and its main profile"
contains "$TMPD/a.out" "^Stream: +$(cam_json 2 '.streams[0].uri')\$" \
    "probe cam-a opened the main stream URI from ONVIF"
contains "$TMPD/a.out" "^Video: +h264 .* $(cam_json 2 '.streams[0].width')x$(cam_json 2 '.streams[0].height')\$" \
    "probe cam-a reports the stream"
! grep -q '^Mismatch' "$TMPD/a.out"
check "probe cam-a: no mismatch"
no_password "$TMPD/a.out" "$TMPD/a.err"

"$VIGIA" probe --config="$CONF" --json --seconds 3 cam-b > "$TMPD/b.json" \
    2> "$TMPD/b.err"
st=$?
test $st -eq 0 && jq -e '.ok and (.mismatches | length) == 0' \
    "$TMPD/b.json" > /dev/null
check "probe cam-b --json: recording.stream sub, 0 mismatches (exit $st)" ||
    sed 's/^/# /' "$TMPD/b.json" "$TMPD/b.err" | head -30
test "$(jq -r .url "$TMPD/b.json")" = "$(cam_json 4 '.streams[1].uri')"
check "probe cam-b probed the sub stream"
test "$(jq -r '"\(.video.width)x\(.video.height)"' "$TMPD/b.json")" = \
    "$(cam_json 4 '.streams[1].width')x$(cam_json 4 '.streams[1].height')"
check "probe cam-b measured the sub stream's size"

# the camera changes behind the configuration's back (an ONVIF Set)
fps=$(($(cam_json 2 '.streams[0].fps') - 5))
gop=$(($(cam_json 2 '.streams[0].gop') - 10))
"$VIGIA" camera set-encoder --fps $fps --gop $gop -c "$CONF" cam-a \
    > "$TMPD/set.out" 2>&1
check "set-encoder cam-a: $fps fps, GOP $gop" ||
    sed 's/^/# /' "$TMPD/set.out"
test "$(cam_json 2 '.streams[0].fps')" -eq $fps
check "the sim serves $fps fps now"
"$VIGIA" probe -c "$CONF" cam-a --seconds 3 > "$TMPD/m.out" 2> "$TMPD/m.err"
st=$?
test $st -eq 1
check "probe cam-a after the change: exit 1 ($st)"
contains "$TMPD/m.out" "^Mismatch: +frame rate: set to $((fps + 5)), measured $fps" \
    "the frame rate is named as a mismatch"
contains "$TMPD/m.out" "^Mismatch: +keyframe interval \\(GOP\\): set to $((gop + 10)), measured $gop\$" \
    "the GOP is named as a mismatch"
! grep -q -E '^Mismatch: +(codec|resolution|profile)' "$TMPD/m.out"
check "and nothing that did not change"
"$VIGIA" probe -c "$CONF" cam-a --seconds 3 --json > "$TMPD/m.json" 2>/dev/null
test $? -eq 1 && test "$(jq -r '[.mismatches[].field] | join(",")' \
    "$TMPD/m.json")" = fps,gop
check "probe --json lists the mismatched fields fps,gop"
"$VIGIA" probe -c "$CONF" cam-a --seconds 3 \
    --expect "fps=$fps,gop=$gop" > /dev/null 2>&1
check "--expect replaces the configured encoder"

"$VIGIA" snapshot -c "$CONF" cam-a --jpeg "$TMPD/a.jpg" > "$TMPD/s.out" \
    2> "$TMPD/s.err"
check "snapshot cam-a --jpeg" || sed 's/^/# /' "$TMPD/s.out" "$TMPD/s.err"
test "$(head -c 2 "$TMPD/a.jpg" | od -An -tx1 | tr -d ' ')" = ffd8
check "the snapshot is a JPEG"
contains "$TMPD/s.out" 'from the snapshot URI' \
    "it came from the camera's ONVIF snapshot URI (HTTP digest)"
no_password "$TMPD/s.out" "$TMPD/s.err"
"$VIGIA" snapshot -c "$CONF" cam-b --png "$TMPD/b.png" > "$TMPD/sb.out" 2>&1
check "snapshot cam-b --png (Media2, HTTP digest on SOAP)" ||
    sed 's/^/# /' "$TMPD/sb.out"
test "$(ffprobe -v error -show_entries stream=codec_name -of csv=p=0 \
    "$TMPD/b.png")" = png
check "the snapshot is a PNG"

for cmd in probe "snapshot --png $TMPD/x.png" preview; do
	# shellcheck disable=SC2086
	"$VIGIA" $cmd -c "$CONF" no-such-cam > "$TMPD/u.out" 2> "$TMPD/u.err"
	st=$?
	test $st -eq 2
	check "${cmd%% *} no-such-cam: exit 2 ($st)"
	contains "$TMPD/u.err" "no camera named 'no-such-cam' in $CONF" \
	    "${cmd%% *}: the error names the name and the file"
	contains "$TMPD/u.err" "Cameras in $CONF: cam-a, cam-b\$" \
	    "${cmd%% *}: and lists the known cameras"
done
"$VIGIA" probe -c "$TMPD/missing.conf" cam-a > /dev/null 2> "$TMPD/nf.err"
st=$?
test $st -eq 3
check "a configuration that cannot be read: exit 3 ($st)"
contains "$TMPD/nf.err" "missing.conf cannot be read" "and says which file"

"$VIGIA" probe -c "$TMPD/bad.conf" cam-a --json > "$TMPD/auth.json" \
    2> "$TMPD/auth.err"
st=$?
test $st -eq 1
check "a wrong password in the configuration: exit 1 ($st)"
contains "$TMPD/auth.json" '"error": "auth"' "it is class auth in JSON"
contains "$TMPD/auth.err" 'camera cam-a: The camera refused the user name or password' \
    "and the technician reads why"
no_password "$TMPD/auth.json" "$TMPD/auth.err"
"$VIGIA" snapshot -c "$TMPD/bad.conf" cam-a --jpeg "$TMPD/y.jpg" \
    > /dev/null 2> "$TMPD/sa.err"
test $? -eq 1 && grep -q 'refused the user name or password' "$TMPD/sa.err"
check "snapshot with a wrong password: auth"
test ! -e "$TMPD/y.jpg"
check "and no picture is written"

sim_stop
test "$SIM_EXIT" -eq 0
check "vigia-sim stopped cleanly by its PID"

done_testing
