#!/bin/sh
# test-rtsp-sim.sh - probe and snapshot against vigia-sim's RTSP cameras:
# measured codec, size, frame rate and GOP match what the camera serves
# (over TCP and UDP), digest auth and 404 are classified, the HTTP
# snapshot URI works with digest, and stall and kill faults end within
# the deadline instead of hanging.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/stream/lib-stream.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"

sim_start --cameras 3 --no-discovery
check "vigia-sim started"

# with_creds CAM STREAM: the stream URI with the camera's first user
with_creds() {
	u=$(cam_json $1 '.users[0].name')
	if [ "$u" = null ]; then
		cam_json $1 ".streams[$2].uri"
	else
		cam_json $1 ".streams[$2].uri" |
		    sed "s|rtsp://|rtsp://$u:$(cam_json $1 '.users[0].password')@|"
	fi
}
# spec CAM STREAM: the --expect of what the camera says it serves
spec() {
	echo "codec=$(cam_json $1 ".streams[$2].codec"),size=$(cam_json $1 ".streams[$2].width")x$(cam_json $1 ".streams[$2].height"),fps=$(cam_json $1 ".streams[$2].fps"),gop=$(cam_json $1 ".streams[$2].gop")"
}

for c in 0 1 2; do
	for s in 0 1; do
		url=$(with_creds $c $s)
		"$VIGIA" probe "$url" --seconds 3 --json --expect "$(spec $c $s)" \
		    > "$TMPD/p.json" 2> "$TMPD/p.err"
		st=$?
		test $st -eq 0
		check "camera $c stream $s: probe matches $(spec $c $s)" ||
		    { sed 's/^/# /' "$TMPD/p.json" "$TMPD/p.err" | head -40; }
		contains "$TMPD/p.json" '"transport": "tcp"' "camera $c stream $s: RTSP over TCP by default"
		! grep -q 'was not used' "$TMPD/p.err"
		check "camera $c stream $s: FFmpeg used every RTSP option"
	done
done
contains "$TMPD/p.json" '"first_picture": [0-9]+' "time to first picture is measured"

url=$(with_creds 2 1)
"$VIGIA" probe "$url" --udp --seconds 2 --json > "$TMPD/udp.json" 2>&1
check "probe over UDP"
contains "$TMPD/udp.json" '"transport": "udp"' "the transport is UDP"

bad=$(cam_json 2 '.streams[0].uri' | sed 's|rtsp://|rtsp://admin:wrong@|')
"$VIGIA" probe "$bad" --json > "$TMPD/auth.json" 2> "$TMPD/auth.err"
test $? -eq 1
check "a wrong password: exit 1"
contains "$TMPD/auth.json" '"error": "auth"' "a wrong password is class auth"
contains "$TMPD/auth.err" 'refused the user name or password' "and says so"
nf=$(with_creds 2 0 | sed 's|/[^/]*$|/no-such-stream|')
"$VIGIA" probe "$nf" --json > "$TMPD/nf.json" 2>/dev/null
contains "$TMPD/nf.json" '"error": "not_found"' "a wrong path is class not_found"

"$VIGIA" snapshot "$(with_creds 2 0)" --png "$TMPD/s.png" > /dev/null 2>&1
check "snapshot of the RTSP stream"
test "$(ffprobe -v error -show_entries stream=width,height -of csv=p=0:s=x "$TMPD/s.png")" = \
    "$(cam_json 2 '.streams[0].width')x$(cam_json 2 '.streams[0].height')"
check "the snapshot has the stream's size"
snap=$(cam_json 2 .snapshot_uri | sed "s|http://|http://$(cam_json 2 '.users[0].name'):$(cam_json 2 '.users[0].password')@|")
"$VIGIA" snapshot "$snap" --jpeg "$TMPD/s.jpg" > "$TMPD/snap.out" 2>&1
check "snapshot from the snapshot URI (HTTP digest)"
contains "$TMPD/snap.out" 'from the snapshot URI' "it says the snapshot URI answered"
test "$(head -c 2 "$TMPD/s.jpg" | od -An -tx1 | tr -d ' ')" = ffd8
check "the snapshot is a JPEG"
"$VIGIA" snapshot "$(cam_json 2 .snapshot_uri | sed 's|http://|http://admin:wrong@|')" --jpeg "$TMPD/x.jpg" > "$TMPD/snap.out" 2>&1
test $? -eq 1 && grep -q 'refused the user name' "$TMPD/snap.out"
check "the snapshot URI with a wrong password: auth"

sim_ctl fault 2 rtsp-stall > /dev/null
start=$(date +%s)
"$VIGIA" probe "$(with_creds 2 1)" --timeout 2000 --seconds 8 --json > "$TMPD/stall.json" 2>/dev/null
st=$?
el=$(($(date +%s) - start))
test $st -eq 1 && test $el -le 8
check "a stalled stream fails within the deadline (${el} s)"
contains "$TMPD/stall.json" '"error": "timeout"' "a stalled stream is class timeout"
sim_ctl fault 2 clear > /dev/null
sim_ctl fault 2 rtsp-kill > /dev/null
start=$(date +%s)
"$VIGIA" probe "$(with_creds 2 1)" --timeout 2000 --seconds 8 > /dev/null 2>&1
el=$(($(date +%s) - start))
test $el -le 12
check "a killed stream ends the probe, no hang (${el} s)"
sim_ctl fault 2 clear > /dev/null

done_testing
