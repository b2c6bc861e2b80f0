#!/bin/sh
# test-record-disk.sh - the spool on a small tmpfs fills up: ENOSPC in the
# middle of a fragment closes the segment with what it has, raises the
# alarm, evicts the oldest segments through the journal (loudly: they
# were not uploaded), and recording resumes by itself.  Every segment
# left is clean.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root to mount a small tmpfs"
[ "${VIGIA_QUICK:-0}" = 1 ] && skip "VIGIA_QUICK=1: the disk-full run takes a minute"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/record/lib-record.sh"

mkdir -p "$SPOOL"
mount -t tmpfs -o size=6m vigia-test-spool "$SPOOL" || skip "cannot mount a tmpfs"
vg_at_exit 'vigiad_stop KILL; umount "$SPOOL" 2>/dev/null'

sim_start --cameras 3 --no-discovery || {
	echo "not ok 1 - vigia-sim started"; exit 1; }
rec_camera 2 cam-a > "$TMPD/a"
rec_config "$TMPD/v.conf" 10 "$TMPD/a"
# a store that never takes anything: what fills the disk is not uploaded
# (and recording must not care that the uploader fails)
sed -i 's|path = "[^"]*/store"|path = "/proc/vigia-no-store"|' "$TMPD/v.conf"
vigiad_start "$TMPD/v.conf"
check "vigiad starts on a 6 MB spool"
full() { grep -q 'No space left' "$TMPD/vigiad.log"; }
wait_for 60 full
check "the disk fills up (ENOSPC)"
alarm() {
	status_json > "$TMPD/st.json" &&
	    jq -e '.alarms | map(select(.source == "disk")) | length > 0' "$TMPD/st.json"
}
wait_for 10 alarm
check "the status raises a disk alarm"
grep -q 'evicted NOT UPLOADED segment' "$TMPD/vigiad.log"
check "the oldest segments are evicted, loudly"
n=$(grep -c 'closed (' "$TMPD/vigiad.log")
resumed() { [ "$(grep -c 'closed (' "$TMPD/vigiad.log")" -gt $((n + 1)) ]; }
wait_for 40 resumed
check "recording resumes by itself"
grep 'closed (disk full)' "$TMPD/vigiad.log" | head -1 | sed 's/^/# /'
vigiad_stop TERM
[ "$VIGIAD_EXIT" -eq 0 ]
check "SIGTERM: clean stop"
bad=0 n=0
for f in $(segments cam-a); do
	n=$((n + 1))
	seg_check "$f" >/dev/null || { bad=$((bad + 1)); echo "# bad: $f"; }
done
[ $n -ge 1 ] && [ $bad -eq 0 ]
check "the $n segments left are clean and as long as their sidecars say"
[ -z "$(ls "$SPOOL"/cam-a/*.part 2>/dev/null)" ]
check "no .part is left"

done_testing
