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

sim_start --cameras 3 --no-discovery || {
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
wait_for 30 closed	# the event pull may lag under load
check "the segment closes after the post-roll"
sleep 3
# one segment, or two when a boundary fell inside the event (a long event
# is still cut): back to back, and nothing after them
N=$(segments cam-m | wc -l)
[ "$N" -ge 1 ] && [ "$N" -le 2 ]
check "the event is in $N segment(s), nothing after it"
bad=0
for f in $(segments cam-m); do seg_check "$f" >/dev/null || bad=1; done
[ $bad -eq 0 ]
check "they are clean and as long as their sidecars say"
FIRST=$(segments cam-m | head -1)
LAST=$(segments cam-m | tail -1)
S=$(jq '.start_us' "${FIRST%.mp4}.json")
E=$(jq '.end_us' "${LAST%.mp4}.json")
if [ "$N" -eq 2 ]; then
	gap=$(($(jq '.start_us' "${LAST%.mp4}.json") - $(jq '.end_us' "${FIRST%.mp4}.json")))
	[ ${gap#-} -lt 200000 ]
	check "cut at a boundary, back to back ($gap us)"
fi
echo "# motion on at +0, off at +$(((t2 - t1) / 1000)) ms; recorded from $(((S - t1) / 1000)) ms to +$(((E - t1) / 1000)) ms"
# pre-roll: whole GOPs (2 s) reaching at least 3 s back, picked up
# within a second of the event
[ $((t1 - S)) -ge 2500000 ] && [ $((t1 - S)) -le 6500000 ]
check "it starts with the pre-roll (3 s, whole GOPs)"
[ $((E - t2)) -ge 3500000 ] && [ $((E - t2)) -le 6500000 ]
check "it ends after the post-roll (4 s)"
cat $(segments cam-m | sed 's/\.mp4$/.json/') | jq -s -e \
    '[.[].events[].what] == ["motion start", "motion end"] and all(.[]; .mode == "motion")' >/dev/null
check "the sidecars list the events and the mode"

vigiad_stop TERM
[ "$VIGIAD_EXIT" -eq 0 ]
check "SIGTERM: clean stop"

done_testing
