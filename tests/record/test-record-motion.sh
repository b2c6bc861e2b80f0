#!/bin/sh
# test-record-motion.sh - recording.mode = "motion": nothing is recorded
# until the camera reports motion (ONVIF pull point); the segment then
# starts with the pre-roll (whole GOPs kept in memory) and ends after the
# post-roll, both checked against the times the test switched motion on
# and off; the events are in the sidecar.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/record/lib-record.sh"

sim_start 127.0.75.1 27500 --cameras 3 --no-discovery || {
	echo "not ok 1 - vigia-sim started"; exit 1; }
sim_ctl motion 2 off >/dev/null
rec_camera 2 cam-m 'recording = { mode = "motion"; pre_roll_s = 3; post_roll_s = 4; };' > "$TMPD/m"
rec_config "$TMPD/v.conf" 60 "$TMPD/m"
vigiad_start "$TMPD/v.conf"
check "vigiad starts"
waiting() {
	status_json > "$TMPD/st.json" &&
	    jq -e '.cameras[0].state == "waiting for motion"' "$TMPD/st.json"
}
wait_for 20 waiting
check "the camera waits for motion"
sleep 6
[ -z "$(ls "$SPOOL"/cam-m/ 2>/dev/null)" ]
check "nothing is written without motion"

t1=$(($(date +%s%N) / 1000))
sim_ctl motion 2 on >/dev/null
sleep 6
t2=$(($(date +%s%N) / 1000))
sim_ctl motion 2 off >/dev/null
closed() { grep -q 'closed (motion over)' "$TMPD/vigiad.log"; }
wait_for 15 closed
check "the segment closes after the post-roll"
sleep 3
[ "$(segments cam-m | wc -l)" -eq 1 ]
check "one segment, nothing after it"
SEG=$(segments cam-m | head -1)
seg_check "$SEG" >/dev/null
check "it is clean and as long as its sidecar says"
S=$(jq '.start_us' "${SEG%.mp4}.json")
E=$(jq '.end_us' "${SEG%.mp4}.json")
echo "# motion on at +0, off at +$(((t2 - t1) / 1000)) ms; segment from $(((S - t1) / 1000)) ms to +$(((E - t1) / 1000)) ms"
# pre-roll: whole GOPs (2 s) reaching at least 3 s back, picked up
# within a second of the event
[ $((t1 - S)) -ge 2500000 ] && [ $((t1 - S)) -le 6500000 ]
check "it starts with the pre-roll (3 s, whole GOPs)"
[ $((E - t2)) -ge 3500000 ] && [ $((E - t2)) -le 6500000 ]
check "it ends after the post-roll (4 s)"
jq -e '[.events[].what] == ["motion start", "motion end"] and .mode == "motion"' \
    "${SEG%.mp4}.json" >/dev/null
check "the sidecar lists the events and the mode"

vigiad_stop TERM
[ "$VIGIAD_EXIT" -eq 0 ]
check "SIGTERM: clean stop"

done_testing
