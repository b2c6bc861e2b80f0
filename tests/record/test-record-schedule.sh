#!/bin/sh
# test-record-schedule.sh - recording.mode = "schedule" with a one-minute
# window in the site's time zone: idle before it, recording inside it,
# idle again after it with the segment closed; the segment lies inside
# the window.  (DST and midnight: tests/unit/test-record-clock.c.)
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
[ "${VIGIA_QUICK:-0}" = 1 ] && skip "VIGIA_QUICK=1: the window takes two minutes"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/record/lib-record.sh"

# the next whole minute (at least 20 s away) in the site's zone
now=$(date +%s)
start=$(( (now + 20) / 60 * 60 + 60 ))
end=$((start + 60))
hm() { TZ=Europe/Madrid date -d "@$1" +%H:%M; }
[ "$(hm $start)" != "23:59" ] || skip "the window would cross midnight"
RULE="daily $(hm $start)-$(hm $end)"

sim_start --cameras 3 --no-discovery || {
	echo "not ok 1 - vigia-sim started"; exit 1; }
rec_camera 2 cam-s "recording = { mode = \"schedule\"; schedule = [ \"$RULE\" ]; };" > "$TMPD/s"
rec_config "$TMPD/v.conf" 600 "$TMPD/s"
vigiad_start "$TMPD/v.conf"
check "vigiad starts with the rule \"$RULE\" (Europe/Madrid)"
state() { status_json > "$TMPD/st.json" && jq -e ".cameras[0].state == \"$1\"" "$TMPD/st.json"; }
wait_for 10 state idle
check "before the window: idle"
[ -z "$(ls "$SPOOL"/cam-s/ 2>/dev/null)" ]
check "and nothing is written"
sleep $((start - $(date +%s)))
wait_for 20 state recording
check "inside the window: recording"
sleep $((end - $(date +%s)))
wait_for 10 state idle
check "after the window: idle again"
closed() { grep -q 'closed (outside the schedule)' "$TMPD/vigiad.log"; }
wait_for 5 closed
check "the segment was closed at the end of the window"
vigiad_stop TERM
[ "$(segments cam-s | wc -l)" -eq 1 ]
check "one segment"
SEG=$(segments cam-s)
seg_check "$SEG" >/dev/null
check "it is clean and as long as its sidecar says"
S=$(jq '.start_us' "${SEG%.mp4}.json")
E=$(jq '.end_us' "${SEG%.mp4}.json")
echo "# window $start..$end; segment $((S / 1000000 - start)) s to $((E / 1000000 - start)) s into it"
# at the first keyframe (GOP 2 s) after the window opens, within the
# reconnect; ends within a GOP of its end
[ "$S" -ge $((start * 1000000)) ] && [ "$S" -le $(((start + 8) * 1000000)) ] &&
    [ "$E" -le $(((end + 2) * 1000000)) ] && [ "$E" -ge $(((end - 3) * 1000000)) ]
check "the segment lies inside the window"

done_testing
