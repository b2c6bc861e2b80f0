#!/bin/sh
# test-record-recovery.sh - kill -9 of vigiad in the middle of a segment:
# on restart the leftover .part is repaired (the torn fragment cut off),
# finalized, marked recovered and journaled; it plays to within 2 s of
# the kill and the next segment starts cleanly.  Then SIGHUP with one
# camera removed and one added leaves the third one untouched.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/record/lib-record.sh"

sim_start --cameras 5 --no-discovery || {
	echo "not ok 1 - vigia-sim started"; exit 1; }
rec_camera 2 cam-a > "$TMPD/a"
rec_camera 4 cam-b > "$TMPD/b"
rec_camera 1 cam-c > "$TMPD/c"
rec_config "$TMPD/v.conf" 20 "$TMPD/a" "$TMPD/b"

vigiad_start "$TMPD/v.conf"
check "vigiad starts"
seg1() { test "$(segments cam-a | wc -l)" -ge 1; }
wait_for 30 seg1
check "a first segment closes"
sleep 6
ls "$SPOOL"/cam-a/*.mp4.part > "$TMPD/parts" 2>/dev/null
check "a segment is being written (.part)"
PART=$(head -1 "$TMPD/parts")
kill_us=$(($(date +%s%N) / 1000))
vigiad_stop KILL
[ -f "$PART" ]
check "kill -9 leaves the .part behind"

vigiad_start "$TMPD/v.conf"
check "vigiad starts again"
wait_for 10 grep -q "recovered .*cam-a" "$TMPD/vigiad.log"
check "it recovers the leftover segment at start"
REC="${PART%.part}"
[ -f "$REC" ] && [ ! -f "$PART" ]
check "the .part became ${REC##*/}"
jq -e '.recovered == true' "${REC%.mp4}.json" >/dev/null
check "its sidecar says recovered"
seg_check "$REC" >/dev/null
check "it is clean for ffprobe and as long as its sidecar says"
end=$(jq '.end_us' "${REC%.mp4}.json")
echo "# recovered up to $(((kill_us - end) / 1000)) ms before the kill"
[ $((kill_us - end)) -lt 2000000 ] && [ $((end - kill_us)) -lt 500000 ]
check "it plays to within 2 s of the kill"
status_json > "$TMPD/st.json"
jq -e '.spool.segments >= 2' "$TMPD/st.json" >/dev/null
check "and it is in the journal"

# the first segment after the restart closes cleanly at its boundary
n=$(segments cam-a | wc -l)
more() { test "$(segments cam-a | wc -l)" -gt "$n"; }
wait_for 30 more
check "the next segment closes at its boundary"
NEXT=$(segments cam-a | tail -1)
seg_check "$NEXT" >/dev/null && jq -e '.recovered == false' "${NEXT%.mp4}.json" >/dev/null
check "and it is clean (${NEXT##*/})"

# SIGHUP: cam-b removed, cam-c added, cam-a untouched
status_json > "$TMPD/before.json"
rec_config "$TMPD/v.conf" 20 "$TMPD/a" "$TMPD/c"
kill -HUP $VIGIAD_PID
c_rec() {
	status_json > "$TMPD/after.json" &&
	    jq -e '[.cameras[] | select(.name == "cam-c") | .state] == ["recording"]' "$TMPD/after.json"
}
wait_for 20 c_rec
check "SIGHUP: the added camera records"
jq -e '[.cameras[].name] | index("cam-b") == null' "$TMPD/after.json" >/dev/null
check "SIGHUP: the removed camera is gone"
[ -z "$(ls "$SPOOL"/cam-b/*.part 2>/dev/null)" ] &&
    grep -q 'cam-b: segment .* closed (stopping)' "$TMPD/vigiad.log"
check "SIGHUP: its segment was closed"
a_before=$(jq -c '.cameras[] | select(.name == "cam-a") | [.since, .segment, .reconnects]' "$TMPD/before.json")
a_after=$(jq -c '.cameras[] | select(.name == "cam-a") | [.since, .segment, .reconnects]' "$TMPD/after.json")
echo "# cam-a before $a_before, after $a_after"
[ "$a_before" = "$a_after" ] && ! grep -q 'cam-a: stopping' "$TMPD/vigiad.log"
check "SIGHUP: the unchanged camera goes on with the same segment"

vigiad_stop TERM
[ "$VIGIAD_EXIT" -eq 0 ]
check "SIGTERM: clean stop ($VIGIAD_MS ms)"
bad=0
for f in "$SPOOL"/*/*.mp4; do
	seg_check "$f" >/dev/null || bad=$((bad + 1))
done
[ $bad -eq 0 ] && [ -z "$(ls "$SPOOL"/*/*.part 2>/dev/null)" ]
check "every segment is clean, none left as .part"

done_testing
