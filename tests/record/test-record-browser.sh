#!/bin/sh
# test-record-browser.sh - a closed segment plays whole in headless
# Chromium's <video>, served with HTTP Range as S3 and Label Studio serve
# it: the duration is known from the index (not by reading every
# fragment), it is the sidecar's within one frame, a seek to the end lands
# there, and playing from 0 reaches the end.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
CHROMIUM=$(command -v chromium || command -v chromium-browser) ||
    skip "chromium missing (Debian package chromium)"
command -v node >/dev/null 2>&1 || skip "node missing"
node --experimental-websocket -e 'new WebSocket("ws://127.0.0.1:1").onerror=()=>{}' \
    >/dev/null 2>&1 || skip "node has no --experimental-websocket (Node 20+)"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/record/lib-record.sh"

sim_start --cameras 3 --no-discovery || {
	echo "not ok 1 - vigia-sim started"; exit 1; }
rec_camera 2 cam-a > "$TMPD/a"
rec_config "$TMPD/v.conf" 10 "$TMPD/a"
vigiad_start "$TMPD/v.conf"
check "vigiad starts"
two() { test "$(segments cam-a | wc -l)" -ge 2; }
wait_for 40 two
check "two segments closed"
vigiad_stop TERM
SEG=$(segments cam-a | sed -n 2p)	# the second: a whole 10 s
sd=$(jq '.duration_s' "${SEG%.mp4}.json")
fps=$(jq '.video.fps' "${SEG%.mp4}.json")
size=$(stat -c %s "$SEG")

node --experimental-websocket "$top_srcdir/tests/record/play-browser.js" \
    "$SEG" "$CHROMIUM" > "$TMPD/play.json" 2> "$TMPD/play.err"
st=$?
[ $st -eq 0 ] || { echo "# exit $st"; sed 's/^/#   /' "$TMPD/play.err" | tail -25; (exit 1); }
check "Chromium plays ${SEG##*/} to its end"
echo "# $(cat "$TMPD/play.json"); sidecar $sd s at $fps fps, $size bytes"
jq -e --argjson sd "$sd" --argjson fps "$fps" \
    '(.duration - $sd) | fabs <= (1 / $fps + 0.001)' "$TMPD/play.json" >/dev/null
check "the browser's duration is the sidecar's within one frame"
jq -e '.width == 1280 and .height == 720' "$TMPD/play.json" >/dev/null
check "and the picture is 1280x720"
jq -e --argjson fps "$fps" '(.duration - .after_seek) <= (2 / $fps + 0.06)' \
    "$TMPD/play.json" >/dev/null
check "a seek to the end lands at the end"
jq -e --argjson fps "$fps" '(.duration - .ended_at) | fabs <= (1 / $fps + 0.001)' \
    "$TMPD/play.json" >/dev/null
check "playing from 0 ends at the end"
# the global index: libavformat (Chromium's demuxer) reads the header and
# knows every fragment without walking them; the same file without it
# (its sidx turned into a free box) makes it read every moof first
frags=$(jq '.fragments' "${SEG%.mp4}.json")
moofs() {
	ffprobe -v trace -show_entries format=duration "$1" 2>&1 |
	    sed -n "/type:'moof'/p;/^\[FORMAT\]/q" | wc -l
}
perl -0777 -pe 's/sidx/free/' "$SEG" > "$TMPD/noindex.mp4"
with=$(moofs "$SEG")
without=$(moofs "$TMPD/noindex.mp4")
echo "# moof boxes read to open: $with with the index, $without without ($frags fragments)"
# (with the index, what ffprobe reads to learn the streams: its first
# second, up to three half-second fragments)
[ "$with" -le 3 ] && [ "$with" -lt $((frags / 4)) ] && [ "$without" -ge "$frags" ]
check "the index spares the player reading every fragment to open the file"
node --experimental-websocket "$top_srcdir/tests/record/play-browser.js" \
    "$TMPD/noindex.mp4" "$CHROMIUM" > "$TMPD/play2.json" 2>/dev/null
echo "# without the index: $(cat "$TMPD/play2.json")"

done_testing
