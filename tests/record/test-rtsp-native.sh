#!/bin/sh
# tests/record/test-rtsp-native.sh - vigia's own RTSP reader
# (src/record-rtsp.c) against vigia-sim: for H.264 and H.265 it hands out
# the same packets as libavformat's reader (NAL units, key flags, pts
# steps) and the same codec parameters; an fMP4 muxed from its packets is
# ffprobe-clean with the right codec, size and frame count, and probes
# like one muxed from libavformat's packets; RTCP sender reports give the
# stream's wall clock; a wrong password, a wrong
# path, a refused port, a stall and a killed connection are each
# classified as such, the stall within its deadline.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
command -v ffprobe >/dev/null 2>&1 || skip "ffprobe missing"
CHECK="$top_builddir/tests/record/rtsp-check"
[ -x "$CHECK" ] || skip "tests/record/rtsp-check not built"

sim_start --cameras 7 --no-discovery
check "vigia-sim started"

user() { cam_json $1 '.users[0].name'; }
pass() { cam_json $1 '.users[0].password'; }
uri() { cam_json $1 '.streams[0].uri'; }

# probe FILE: the stream fields both muxed files must share
probe() {
	ffprobe -v error -count_packets -select_streams v:0 -show_entries \
	    stream=codec_name,profile,codec_tag_string,width,height,pix_fmt,level \
	    -of compact=p=0 "$1" 2>>"$TMPD/probe.err"
}

# camera 2: generic, H.264 1280x720; camera 6: HIKVISION, H.265 1920x1080
for c in 2 6; do
	codec=$(cam_json $c '.streams[0].codec' | sed 's/h265/hevc/')
	w=$(cam_json $c '.streams[0].width')
	h=$(cam_json $c '.streams[0].height')
	out="$TMPD/cam$c"
	"$CHECK" compare "$(uri $c)" "$(user $c)" "$(pass $c)" 90 "$out" \
	    >"$out.log" 2>&1
	check "$codec: the native reader's packets equal libavformat's" ||
	    sed 's/^/#   /' "$out.log"
	contains "$out.log" "^compared [0-9]+ packets: [0-9]+ identical, 0 differ" \
	    "$codec: packets compared one by one"
	contains "$out.log" "^codec params: identical" \
	    "$codec: codec parameters and extradata equal libavformat's"
	: >"$TMPD/probe.err"
	n=$(ffprobe -v error -count_packets -select_streams v:0 -show_entries \
	    stream=nb_read_packets -of csv=p=0 "$out-native.mp4" 2>"$TMPD/probe.err")
	muxed=$(sed -n 's/^native muxed: //p' "$out.log")
	[ -n "$n" ] && [ "$n" = "$muxed" ] && [ "$n" -gt 30 ] &&
	    [ ! -s "$TMPD/probe.err" ]
	check "$codec: the native fMP4 is ffprobe-clean with all $muxed frames" ||
	    { echo "# ffprobe counted '$n'"; sed 's/^/#   /' "$TMPD/probe.err"; }
	# ffprobe decodes: every frame, no error
	ffprobe -v error -count_frames -select_streams v:0 -show_entries \
	    stream=nb_read_frames -of csv=p=0 "$out-native.mp4" \
	    >"$TMPD/frames" 2>"$TMPD/probe.err"
	[ "$(cat "$TMPD/frames")" = "$muxed" ] && [ ! -s "$TMPD/probe.err" ]
	check "$codec: every frame of the native fMP4 decodes" ||
	    sed 's/^/#   /' "$TMPD/probe.err" | head -5
	a=$(probe "$out-native.mp4")
	b=$(probe "$out-lavf.mp4")
	[ -n "$a" ] && [ "$a" = "$b" ]
	check "$codec: both fMP4s probe alike ($a)" || echo "# lavf: $b"
	echo "$a" | grep -q "codec_name=$codec|.*width=$w|height=$h|"
	check "$codec: the fMP4 has the camera's codec and size (${w}x$h)"
done

# seven seconds of reading: 15 fps, nothing lost, and a sender report
# (GStreamer sends RTCP every ~5 s) that maps pts to this box's clock
"$CHECK" open "$(uri 2)" "$(user 2)" "$(pass 2)" 5000 7 >"$TMPD/read" 2>&1
contains "$TMPD/read" "^result: ok" "7 s of reading: no error"
fr=$(sed -n 's/^stream 0: packets [0-9]* frames \([0-9]*\) lost 0 dropped 0 bad 0$/\1/p' "$TMPD/read")
[ -n "$fr" ] && [ "$fr" -ge 90 ]
check "7 s at 15 fps: $fr frames, nothing lost" || sed 's/^/#   /' "$TMPD/read"
us=$(sed -n 's/^clock 0: valid, pts [0-9-]* at \([0-9]*\) us UTC$/\1/p' "$TMPD/read")
now=$(date +%s)
[ -n "$us" ] && [ $((us / 1000000)) -ge $((now - 15)) ] &&
    [ $((us / 1000000)) -le $((now + 1)) ]
check "the RTCP sender report gives the stream's UTC time" ||
    sed 's/^/#   /' "$TMPD/read"

# an anonymous (factory-new) camera needs no credentials
"$CHECK" open "$(uri 5)" - - 5000 1 >"$TMPD/anon" 2>&1
contains "$TMPD/anon" "^result: ok" "anonymous camera: no credentials needed"

# failures, classified
"$CHECK" open "$(uri 2)" - - 5000 1 >"$TMPD/f" 2>&1
contains "$TMPD/f" "^result: auth: " "no credentials: auth"
"$CHECK" open "$(uri 2)" "$(user 2)" wrong-password 5000 1 >"$TMPD/f" 2>&1
contains "$TMPD/f" "^result: auth: .*\(401\)" "wrong password: auth (401)"
if grep -q wrong-password "$TMPD/f"; then false; else true; fi
check "the password is not in the message"
"$CHECK" open "$(uri 2 | sed 's|/Streaming/.*|/no/such/stream|')" \
    "$(user 2)" "$(pass 2)" 5000 1 >"$TMPD/f" 2>&1
contains "$TMPD/f" "^result: notfound: .*404" "wrong path: notfound (404)"
closed=$(vg_alloc_port) || bail_out "no free port"
"$CHECK" open "rtsp://$(cam_addr 2):$closed/x" a b 5000 1 >"$TMPD/f" 2>&1
contains "$TMPD/f" "^result: refused: " "nothing listening: refused"

# a stall while playing: VG_SOURCE_TIMEOUT within the 1.5 s deadline
"$CHECK" open "$(uri 2)" "$(user 2)" "$(pass 2)" 1500 20 >"$TMPD/stall" 2>&1 &
pid=$!
sleep 2
sim_ctl fault 2 rtsp-stall >/dev/null
t0=$(date +%s%N)
wait $pid
t1=$(date +%s%N)
sim_ctl fault 2 clear >/dev/null
contains "$TMPD/stall" "^result: timeout: .*stalled" "stall: timeout"
ms=$(( (t1 - t0) / 1000000 ))
[ $ms -ge 1000 ] && [ $ms -le 4000 ]
check "stall: noticed ${ms} ms after it began (deadline 1500 ms)"

# the camera drops the connection in the middle of a GOP: closed
"$CHECK" open "$(uri 2)" "$(user 2)" "$(pass 2)" 5000 20 >"$TMPD/kill" 2>&1 &
pid=$!
sleep 2
sim_ctl fault 2 rtsp-kill >/dev/null
wait $pid
sim_ctl fault 2 clear >/dev/null
contains "$TMPD/kill" "^result: closed: " "connection killed: closed"

done_testing
