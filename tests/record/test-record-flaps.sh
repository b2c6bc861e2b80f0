#!/bin/sh
# test-record-flaps.sh - a camera that drops its clients in every GOP
# (vigia-sim's rtsp-kill fault) 100 times (VIGIA_TEST_FLAPS; 10 with
# VIGIA_QUICK=1): vigiad reconnects each time and continues the open
# segment, so there is no tiny file per reconnect; every reconnect inside
# a segment is a gap in its sidecar, every segment is clean, no frame is
# lost beyond the outages, and vigiad's descriptors and memory do not
# grow with the flaps.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/record/lib-record.sh"
if [ "${VIGIA_QUICK:-0}" = 1 ]; then
	FLAPS=${VIGIA_TEST_FLAPS:-10}
else
	FLAPS=${VIGIA_TEST_FLAPS:-100}
fi
# time compression: a reconnect within a GOP, so that each flap is one
# GOP of the camera's (read every 50 ms instead of 250)
VIGIA_RTSP_BATCH_MS=${VIGIA_RTSP_BATCH_MS:-50}
export VIGIA_RTSP_BATCH_MS

sim_start --cameras 3 --no-discovery || {
	echo "not ok 1 - vigia-sim started"; exit 1; }
rec_camera 2 cam-f > "$TMPD/f"
rec_config "$TMPD/v.conf" 20 "$TMPD/f"
vigiad_start "$TMPD/v.conf"
check "vigiad starts"
rec() { status_json > "$TMPD/st.json" && jq -e '.cameras[0].state == "recording"' "$TMPD/st.json"; }
wait_for 20 rec
check "the camera records"
sim_ctl fault 2 rtsp-kill >/dev/null
flapped() {
	status_json > "$TMPD/st.json" &&
	    jq -e ".cameras[0].reconnects >= $1" "$TMPD/st.json"
}
# descriptors and memory: after the first flaps (buffers grown, threads
# made) and at the end
nfd() { ls /proc/$VIGIAD_PID/fd | wc -l; }
rss() { awk '/^VmRSS:/ { print $2 }' /proc/$VIGIAD_PID/status; }
wait_for 60 flapped 5
fd1=$(nfd) rss1=$(rss)
wait_for $((FLAPS * 4 + 30)) flapped $FLAPS
check "$FLAPS flaps"
sim_ctl fault 2 clear >/dev/null
sleep 3
fd2=$(nfd) rss2=$(rss)
echo "# descriptors $fd1 -> $fd2, RSS $rss1 -> $rss2 KiB"
[ "$fd2" -le $((fd1 + 2)) ]
check "no descriptor leaks"
if grep -q libasan /proc/$VIGIAD_PID/maps 2>/dev/null; then
	true
	check "memory: not measured under ASan (LeakSanitizer checks at exit)"
else
	[ "$rss2" -le $((rss1 + 8192)) ]
	check "memory does not grow with the flaps"
fi
R=$(status_json | jq '.cameras[0].reconnects')
vigiad_stop TERM
[ "$VIGIAD_EXIT" -eq 0 ]
check "SIGTERM: clean stop"

n=0 bad=0 gaps=0 short=0 frames=0
last=$(segments cam-f | tail -1)
first=$(segments cam-f | head -1)
for f in $(segments cam-f); do
	n=$((n + 1))
	out=$(seg_check "$f") || { bad=$((bad + 1)); echo "# bad: $f"; }
	frames=$((frames + ${out%% *}))
	g=$(jq '.gaps | length' "${f%.mp4}.json")
	gaps=$((gaps + g))
	# a segment between two boundaries spans most of segment_s
	if [ "$f" != "$first" ] && [ "$f" != "$last" ]; then
		jq -e '.duration_s >= 15' "${f%.mp4}.json" >/dev/null ||
		    short=$((short + 1))
	fi
done
echo "# $R reconnects, $n segments, $gaps gaps in the sidecars"
[ $bad -eq 0 ]
check "every segment is clean and as long as its sidecar says"
[ $short -eq 0 ] && [ $n -le $((R / 4 + 3)) ]
check "no tiny file per reconnect ($n segments for $R reconnects)"
# a reconnect is a gap unless a boundary fell inside it
[ $gaps -le "$R" ] && [ $gaps -ge $((R - n)) ]
check "each reconnect inside a segment is a gap in its sidecar"
jq -s -e '[.[].gaps[]] | all(.length_s > 0 and .length_s < 10 and (.reason | length) > 0)' \
    $(segments cam-f | sed 's/\.mp4$/.json/') >/dev/null
check "each gap has a length and a reason"
# frames: what the simulator served, less what fell into the gaps (their
# length at the frame rate, and up to a frame of each reconnect's timing:
# a connection's clock is anchored when it is asked for), was recorded
served=$(cam_json 2 '.streams[0].served')
fps=$(cam_json 2 '.streams[0].fps')
gapf=$(jq -s "[.[].gaps[].length_s] | add // 0 | . * $fps | ceil" \
    $(segments cam-f | sed 's/\.mp4$/.json/'))
lost=$((served - frames))
echo "# served $served, recorded $frames, lost $lost, in the gaps $gapf"
[ $lost -ge 0 ] && [ $lost -le $((gapf + R + fps)) ]
check "no frame lost beyond the outages"

done_testing
