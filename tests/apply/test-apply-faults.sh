#!/bin/sh
# test-apply-faults.sh - `vigia --apply` on 50 simulated cameras, four of
# them faulty: one ignores the encoder set (reported difference, the rest
# of the camera still done), one vanishes after the address change
# (reported with where it was last seen), one is configured with a wrong
# password (classified "auth"), one is unplugged; a slow one still
# succeeds, and a camera slower than its deadline is classified, not
# waited for.  Exit status 4 (partial), and a second apply leaves the
# healthy cameras alone.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/apply/lib-apply.sh"

sim_start --seed 64 --cameras 50 --reboot-time 1 --motion-period 0 \
    --no-discovery --fault 4:ignore-venc --fault 8:vanish-on-setnet \
    --fault 2:slow=300 || bail_out "vigia-sim did not start (see above)"
# the site is on $SIM_NET.1-50; the configuration moves it to $NEW.1-50
NEW=$(vg_alloc_net) || bail_out "no free 127.X.Y.0/24 for the new addresses"
apply_config "$TMPD/site.conf" "$NEW.1"
check "configuration for 50 cameras"
# cam-6 (configured): a wrong administrator password, no vigia user yet
sed -i '/name = "cam-6";/,/^	}/s/admin_password = "[^"]*"/admin_password = "Wrong-Pass-1"/' \
    "$TMPD/site.conf"
sim_ctl offline 10 > /dev/null
check "cam-10 unplugged"
A="$VIGIA --apply $TMPD/site.conf --no-discovery --follow-timeout 6"

s=$(date +%s)
$A --yes --json > "$TMPD/r.json" 2> "$TMPD/r.err"
st=$?
e=$(date +%s)
[ $st -eq 4 ]
check "some cameras failed: exit 4 (got $st)"
[ $((e - s)) -lt 60 ]
check "deadlines: the whole run took $((e - s)) s (< 60 s)"
report_check "$TMPD/r.json" "report schema"
[ "$(jq '[.cameras[] | select(.result == "ok")] | length' "$TMPD/r.json")" = 46 ]
check "46 cameras ok"
[ "$(jq -r '[.cameras[] | select(.result == "failed") | .name] | sort | join(" ")' "$TMPD/r.json")" = "cam-10 cam-4 cam-6 cam-8" ]
check "failed: exactly cam-4, cam-6, cam-8 and cam-10"

# ignores the encoder set
q() {
	jq -r ".cameras[] | select(.name == \"$1\") | $2" "$TMPD/r.json"
}
[ "$(q cam-4 '.steps[] | select(.step == "encoder") | .status')" = failed ] &&
    [ "$(q cam-4 '.steps[] | select(.step == "encoder") | .class')" = fault ]
check "ignored encoder: step failed, class fault"
q cam-4 '.steps[] | select(.step == "encoder") | .differences[]' > "$TMPD/d4"
contains "$TMPD/d4" 'Frame rate: asked for 15, the camera kept 20' \
    "ignored encoder: the read-back difference is reported"
[ "$(q cam-4 '.steps[] | select(.step == "network") | .status')" = done ] &&
    [ "$(q cam-4 .address_after)" = "$NEW.5" ]
check "ignored encoder: the address change still went through"

# vanishes after the address change
[ "$(q cam-8 '.steps[] | select(.step == "network") | .status')" = failed ] &&
    [ "$(q cam-8 '.steps[] | select(.step == "network") | .class')" = timeout ]
check "vanished camera: network step failed, class timeout"
[ "$(q cam-8 .last_seen)" = "$SIM_NET.9" ] &&
    q cam-8 .last_seen_at | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T'
check "vanished camera: last seen at its old address, with the time"
[ "$(q cam-8 '.steps[] | select(.step == "encoder") | .status')" = done ]
check "vanished camera: the steps before the network were done"

# wrong password
[ "$(q cam-6 .found)" = false ] && [ "$(q cam-6 .class)" = auth ]
check "wrong password: not logged in, class auth"
q cam-6 .message > "$TMPD/m6"
contains "$TMPD/m6" '[Pp]assword' "wrong password: plain-words message"

# unplugged
case "$(q cam-10 .class)" in
unreachable|timeout) true ;;
*) false ;;
esac
check "unplugged camera: class $(q cam-10 .class)"

# slow (300 ms per answer), still within every deadline
[ "$(q cam-2 .result)" = ok ]
check "slow camera: ok"

# text report of the same kind of run: the table and the reasons
sim_ctl fault 4 clear > /dev/null
sim_ctl fault 4 ignore-venc > /dev/null
$A --yes --only cam-4 --only cam-6 > "$TMPD/r.txt" 2> "$TMPD/r.txt.err"
[ $? -eq 1 ]
check "text: both selected cameras fail: exit 1"
contains "$TMPD/r.txt" '^cam-6 +- +FAILED' "text: result table"
contains "$TMPD/r.txt" 'encoder: failed: ' "text: the failed step, in words"
contains "$TMPD/r.txt" 'Frame rate: asked for 15, the camera kept 20' \
    "text: the difference read back"

# a camera slower than its deadline: classified, never waited for
sim_ctl fault 12 slow 4000 > /dev/null
sed 's/timeout_ms = 10000;/timeout_ms = 1000;/' "$TMPD/site.conf" \
    > "$TMPD/fast.conf"
chmod 600 "$TMPD/fast.conf"
s=$(date +%s)
"$VIGIA" --apply "$TMPD/fast.conf" --no-discovery --only cam-12 --plan \
    --json > "$TMPD/slow.json" 2> "$TMPD/slow.err"
st=$?
e=$(date +%s)
[ $st -eq 1 ] && [ "$(jq -r '.cameras[0].class' "$TMPD/slow.json")" = timeout ]
check "answers after 4 s with a 1 s deadline: class timeout, exit 1"
[ $((e - s)) -le 8 ]
check "and it took $((e - s)) s, not the camera's time"
sim_ctl fault 12 clear > /dev/null

# the second apply leaves the healthy cameras alone
state_stamp
$A --yes --json > "$TMPD/r2.json" 2> "$TMPD/r2.err"
[ $? -eq 4 ]
check "second apply: still partial (exit 4)"
[ "$(jq '[.cameras[] | select(.result == "unchanged")] | length' "$TMPD/r2.json")" = 46 ]
check "second apply: the 46 healthy cameras are unchanged"
[ "$(jq -r '[.cameras[] | select(.steps | length > 0) | .name] | join(" ")' "$TMPD/r2.json")" = cam-4 ]
check "second apply: only cam-4 (still ignoring the encoder) has a step"
[ "$(state_changed | wc -l)" -le 1 ]
check "second apply: at most cam-4's state was written"

done_testing
