#!/bin/sh
# test-record-resize.sh - the camera's main stream changes size in the
# middle of the stream (vigia-sim's rtsp-resize fault: a keyframe with a
# new SPS in the same RTSP session, as an encoder reconfigured without a
# restart), then changes back: vigiad closes the segment at each change
# and starts a new one with the new parameters, without reconnecting; no
# segment mixes sizes (every decoded picture of a segment has the size
# its sidecar and its header say), and no frame is lost at a change.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/record/lib-record.sh"

sim_start --cameras 3 --no-discovery || {
	echo "not ok 1 - vigia-sim started"; exit 1; }
N=2
rec_camera $N cam-r > "$TMPD/r"
rec_config "$TMPD/v.conf" 600 "$TMPD/r"
vigiad_start "$TMPD/v.conf"
check "vigiad starts"
rec() { status_json > "$TMPD/st.json" && jq -e '.cameras[0].state == "recording"' "$TMPD/st.json"; }
wait_for 20 rec
check "the camera records"
W0=$(cam_json $N '.streams[0].width')
H0=$(cam_json $N '.streams[0].height')
sleep 2
sim_ctl fault $N rtsp-resize >/dev/null
check "the main stream (${W0}x$H0) is told to change size mid-stream"
changes() { [ "$(grep -c 'closed (the video format changed in the stream)' "$TMPD/vigiad.log")" -ge "$1" ]; }
wait_for 40 changes 1
check "vigiad closes the segment when the SPS changes in the stream"
sleep 3
sim_ctl fault $N clear >/dev/null
wait_for 40 changes 2
check "and again when it changes back"
sleep 3
R=$(status_json | jq '.cameras[0].reconnects')
[ "$R" -eq 0 ]
check "without reconnecting ($R reconnects)"
vigiad_stop TERM
[ "$VIGIAD_EXIT" -eq 0 ]
check "SIGTERM: clean stop"

n=$(segments cam-r | wc -l)
[ "$n" -ge 3 ]
check "three segments: before, during and after (a 10-minute boundary may add one: $n)"
bad=0 frames=0 sizes=
for f in $(segments cam-r); do
	out=$(seg_check "$f") || { bad=1; echo "$out"; continue; }
	frames=$((frames + ${out%% *}))
	side=${f%.mp4}.json
	want=$(jq -r '"\(.video.width),\(.video.height)"' "$side")
	head=$(ffprobe -v error -select_streams v:0 -show_entries \
	    stream=width,height -of csv=p=0 "$f")
	got=$(ffprobe -v error -select_streams v:0 -show_entries \
	    frame=width,height -of csv=p=0 "$f" |
	    awk -F, '$1 != "" && $2 != "" { print $1 "," $2 }' | sort -u |
	    tr '\n' ' ')
	echo "# $(basename "$f"): sidecar $want, header $head, pictures $got"
	[ "$head" = "$want" ] && [ "$got" = "$want " ] || bad=1
	sizes="$sizes $want"
done
[ $bad -eq 0 ]
check "each segment is clean and holds pictures of one size, the one it declares"
set -- $sizes
first=$1 prev=$1 turns=0 other=0
for s in "$@"; do
	[ "$s" != "$prev" ] && turns=$((turns + 1))
	[ "$s" != "$W0,$H0" ] && other=1
	prev=$s
done
[ "$first" = "$W0,$H0" ] && [ "$prev" = "$W0,$H0" ] && [ $other -eq 1 ] &&
    [ $turns -eq 2 ]
check "the middle at the new size, before and after at the old ($sizes)"
served=$(cam_json $N '.streams[0].served')
fps=$(cam_json $N '.streams[0].fps')
lost=$((served - frames))
echo "# served $served, recorded $frames, lost $lost"
# one connection: only what came before its first keyframe (< a GOP) and
# what was in flight at SIGTERM
gop=$(cam_json $N '.streams[0].gop')
[ $lost -ge 0 ] && [ $lost -le $((gop + fps)) ]
check "no frame lost at the changes"

done_testing
