#!/bin/sh
# test-record-flaps.sh - a camera that drops its clients every second or
# two (vigia-sim's rtsp-kill fault) for about a minute: vigiad reconnects
# each time and continues the open segment, so there is no tiny file per
# reconnect; every reconnect inside a segment is a gap in its sidecar, and
# every segment is clean.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
[ "${VIGIA_QUICK:-0}" = 1 ] && skip "VIGIA_QUICK=1: the flapping run takes a minute"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/record/lib-record.sh"
FLAPS=${VIGIA_TEST_FLAPS:-30}

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
	    jq -e ".cameras[0].reconnects >= $FLAPS" "$TMPD/st.json"
}
wait_for 150 flapped
check "$FLAPS flaps"
sim_ctl fault 2 clear >/dev/null
sleep 3
R=$(status_json | jq '.cameras[0].reconnects')
vigiad_stop TERM
[ "$VIGIAD_EXIT" -eq 0 ]
check "SIGTERM: clean stop"

n=0 bad=0 gaps=0 short=0
last=$(segments cam-f | tail -1)
first=$(segments cam-f | head -1)
for f in $(segments cam-f); do
	n=$((n + 1))
	seg_check "$f" >/dev/null || { bad=$((bad + 1)); echo "# bad: $f"; }
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

done_testing
