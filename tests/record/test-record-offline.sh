#!/bin/sh
# test-record-offline.sh - a camera offline for two minutes: vigiad
# retries with exponential backoff and jitter (compressed here: 0.2 s
# doubling up to 2 s), says why in the status, closes the open segment at
# its boundary instead of holding it open, and records again by itself
# when the camera is back; every segment is clean.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
[ "${VIGIA_QUICK:-0}" = 1 ] && skip "VIGIA_QUICK=1: the outage takes two minutes"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/record/lib-record.sh"
OFFLINE_S=${VIGIA_TEST_OFFLINE_S:-120}

sim_start --cameras 3 --no-discovery || {
	echo "not ok 1 - vigia-sim started"; exit 1; }
rec_camera 2 cam-o > "$TMPD/o"
rec_config "$TMPD/v.conf" 20 "$TMPD/o"
vigiad_start "$TMPD/v.conf"
check "vigiad starts"
rec() { status_json > "$TMPD/st.json" && jq -e '.cameras[0].state == "recording"' "$TMPD/st.json"; }
wait_for 20 rec
check "the camera records"
sleep 3
sim_ctl offline 2 >/dev/null
sleep 15
status_json > "$TMPD/st.json"
jq -e '.cameras[0].state == "reconnecting" and (.cameras[0].last_error.reason | test("refused|timeout|closed"))' \
    "$TMPD/st.json" >/dev/null
check "offline: reconnecting, and why ($(jq -r '.cameras[0].last_error.reason' "$TMPD/st.json"))"
sleep $((OFFLINE_S - 15))
[ -z "$(ls "$SPOOL"/cam-o/*.part 2>/dev/null)" ] &&
    grep -q 'closed (boundary while disconnected)' "$TMPD/vigiad.log"
check "the segment open at the outage was closed at its boundary"
sim_ctl online 2 >/dev/null
wait_for 15 rec
check "back online: it records again by itself"
sleep 3
vigiad_stop TERM
[ "$VIGIAD_EXIT" -eq 0 ]
check "SIGTERM: clean stop"

# the retries: quick at first, then spaced by the cap (half to all of it)
grep 'cannot open the stream' "$TMPD/vigiad.log" | sed 's/^\([^ ]*\) .*/\1/' > "$TMPD/tries"
n=$(wc -l < "$TMPD/tries")
echo "# $n attempts in $OFFLINE_S s"
[ "$n" -ge 20 ] && [ "$n" -le $((OFFLINE_S * 2)) ]
check "retries with backoff: neither giving up nor hammering"
bad=0
for f in $(segments cam-o); do seg_check "$f" >/dev/null || bad=1; done
[ $bad -eq 0 ] && [ "$(segments cam-o | wc -l)" -ge 2 ]
check "every segment is clean"

done_testing
