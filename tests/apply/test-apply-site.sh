#!/bin/sh
# test-apply-site.sh - `vigia --apply` on a simulated site of 9 cameras
# (every model x starting state: factory-new, vendor default, configured):
# --plan changes nothing, no terminal and no --yes refuses, --only touches
# one camera, the full apply activates, creates the user, sets time,
# encoder and address and verifies them on the simulator's side, and a
# second apply is empty and sends no change.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/apply/lib-apply.sh"

# discovery is on when we are root (the "moved camera" check needs it)
DISC=--no-discovery
[ "$(id -u)" = 0 ] && DISC=
sim_start --seed 62 --cameras 9 --reboot-time 1 --motion-period 0 \
    $DISC || bail_out "vigia-sim did not start (see above)"
# the site is on $SIM_NET.1-9; the configuration moves it to $NEW.1-9
NEW=$(vg_alloc_net) || bail_out "no free 127.X.Y.0/24 for the new addresses"
SITE_RE=$(vg_re "$SIM_NET")
NEW_RE=$(vg_re "$NEW")
apply_config "$TMPD/site.conf" "$NEW.1"
check "configuration written from the site's status"
"$VIGIA" config check -q "$TMPD/site.conf"
check "the generated configuration is valid"
A="$VIGIA --apply $TMPD/site.conf --no-discovery --follow-timeout 20"

# ---- --plan: a diff, nothing sent -------------------------------------------
state_stamp
$A --plan > "$TMPD/plan.txt" 2> "$TMPD/plan.err"
check "--plan exits 0"
contains "$TMPD/plan.txt" '^~ cam-0 .*\(factory-new\)' \
    "plan: cam-0 shown as factory-new"
contains "$TMPD/plan.txt" 'activate +\+ administrator +- +-> admin' \
    "plan: activation with credentials.admin_user"
contains "$TMPD/plan.txt" 'encoder +~ codec +H265 +-> H264' \
    "plan: the HIKVISION H.265 main stream becomes H.264"
contains "$TMPD/plan.txt" "network +~ address +$SITE_RE\\.2/8 +-> $NEW_RE\\.2/8" \
    "plan: address change, before and after"
contains "$TMPD/plan.txt" '^Plan: [0-9]+ steps on 9 cameras to change' \
    "plan: summary line"
! grep -q "$APPLY_USER_PW\|$APPLY_ADMIN_PW" "$TMPD/plan.txt"
check "plan: no password printed"
$A --plan --json > "$TMPD/plan.json"
check "--plan --json exits 0"
report_check "$TMPD/plan.json" "--plan --json: report schema"
[ "$(jq '[.cameras[] | select(.access == "factory-new")] | length' "$TMPD/plan.json")" = 3 ]
check "--plan --json: three factory-new cameras"
[ "$(jq -r '[.cameras[].result] | unique | join(",")' "$TMPD/plan.json")" = planned ]
check "--plan --json: every camera 'planned'"
[ -z "$(state_changed)" ]
check "--plan sent no change to any camera"

# ---- no terminal, no --yes: refused ------------------------------------------
setsid $A < /dev/null > "$TMPD/noyes.out" 2> "$TMPD/noyes.err"
[ $? -eq 2 ]
check "no terminal and no --yes: exit 2"
contains "$TMPD/noyes.err" 'no terminal to ask on.*--yes' \
    "no terminal and no --yes: says why and what to do"

# ---- --only one camera -------------------------------------------------------
state_stamp
$A --only cam-2 --yes --json > "$TMPD/only.json" 2> "$TMPD/only.err"
check "--only cam-2 --yes exits 0"
report_check "$TMPD/only.json" "--only: report schema"
[ "$(jq '.cameras | length' "$TMPD/only.json")" = 1 ] &&
    [ "$(cam_result "$TMPD/only.json" cam-2)" = ok ]
check "--only: one camera in the report, ok"
[ "$(state_changed | tr '\n' ' ')" = "$SIM_STATE/camera-002.json " ]
check "--only: no other camera was touched"
[ "$(cam_addr 2)" = "$NEW.3" ] && [ "$(cam_addr 1)" = "$SIM_NET.2" ]
check "--only: cam-2 moved, cam-1 did not"
$A --only nope --plan > /dev/null 2> "$TMPD/nope.err"
[ $? -eq 2 ]
check "--only with an unknown camera: exit 2"
contains "$TMPD/nope.err" "no camera named 'nope'" "--only: names it"

# ---- the whole site ------------------------------------------------------------
$A --yes --json > "$TMPD/apply.json" 2> "$TMPD/apply.err"
st=$?
[ $st -eq 0 ]
check "apply --yes: exit 0 (got $st)"
report_check "$TMPD/apply.json" "apply --json: report schema"
[ "$(jq -r '[.cameras[].result] | map(select(. != "ok" and . != "unchanged")) | length' "$TMPD/apply.json")" = 0 ]
check "apply: every camera ok or unchanged"
[ "$(cam_result "$TMPD/apply.json" cam-2)" = unchanged ]
check "apply: cam-2 (done by --only) is unchanged"
[ "$(jq -r '.cameras[] | select(.name == "cam-0") | [.steps[].step] | join(",")' "$TMPD/apply.json")" = activate,user,time,encoder,network ]
check "apply: safe order on a factory-new camera"
[ "$(jq -r '[.cameras[].steps[].status] | unique | join(",")' "$TMPD/apply.json")" = done ] ||
    [ "$(jq -r '[.cameras[].steps[].status] | unique | join(",")' "$TMPD/apply.json")" = done,unchanged ]
check "apply: every step done (or found right after activation)"
sim_ctl status > "$TMPD/after.json"
i=0
ok=0
while [ $i -le 8 ]; do
	c=".cameras[$i]"
	[ "$(jq -r "$c.address" "$TMPD/after.json")" = "$NEW.$((i + 1))" ] &&
	[ "$(jq -r "[$c.users[].name] | index(\"vigia\") != null" "$TMPD/after.json")" = true ] &&
	[ "$(jq -r "$c.streams[0] | \"\(.codec) \(.width)x\(.height) \(.fps) \(.gop)\"" "$TMPD/after.json")" = "h264 1920x1080 15 30" ] &&
	[ "$(jq -r "$c.clock_offset | if . < 0 then -. else . end | . <= 5" "$TMPD/after.json")" = true ] &&
	[ "$(jq -r "$c.factory_new" "$TMPD/after.json")" = false ] &&
	ok=$((ok + 1))
	i=$((i + 1))
done
[ $ok -eq 9 ]
check "simulator: all 9 cameras at their address, user vigia, H.264 1080p15, clock set ($ok/9)"

# ---- again: empty plan, nothing sent ----------------------------------------
state_stamp
$A --yes --json > "$TMPD/again.json" 2> "$TMPD/again.err"
check "second apply: exit 0"
[ "$(jq .summary.steps "$TMPD/again.json")" = 0 ] &&
    [ "$(jq '.summary.unchanged' "$TMPD/again.json")" = 9 ]
check "second apply: empty plan, 9 cameras unchanged"
[ "$(jq -r '[.cameras[].found_by] | unique | join(",")' "$TMPD/again.json")" = network.address ]
check "second apply: cameras found at network.address"
[ -z "$(state_changed)" ]
check "second apply: no camera was changed"
$A > "$TMPD/again.txt" 2>&1 < /dev/null
check "text mode with nothing to do: no question, exit 0"
contains "$TMPD/again.txt" 'No changes: the cameras already match' \
    "text mode: says there is nothing to do"

# ---- a camera that moved: found by MAC/serial through WS-Discovery ------------
if [ -z "$DISC" ]; then
	# cam-4 by MAC and serial only: its configured address is wrong and
	# it keeps its network, so only WS-Discovery can find it
	apply_config "$TMPD/moved.conf" - 4 4
	sed -i "s/address = \"$NEW_RE\\.5\";/address = \"$SIM_NET.250\";/" \
	    "$TMPD/moved.conf"
	"$VIGIA" --apply "$TMPD/moved.conf" --plan --json --interface lo \
	    > "$TMPD/moved.json" 2> "$TMPD/moved.err"
	check "moved camera: plan exits 0"
	[ "$(jq -r '.cameras[0].found_by' "$TMPD/moved.json")" = discovery ] &&
	    [ "$(jq -r '.cameras[0].address' "$TMPD/moved.json")" = "$NEW.5" ]
	check "moved camera: found through WS-Discovery at $NEW.5"
	"$VIGIA" --apply "$TMPD/moved.conf" --plan --json --no-discovery \
	    > "$TMPD/moved2.json" 2> "$TMPD/moved2.err"
	[ $? -eq 1 ] && [ "$(jq -r '.cameras[0].found' "$TMPD/moved2.json")" = false ]
	check "moved camera without discovery: not found, exit 1"
else
	echo "# not root: the WS-Discovery check is skipped"
fi

done_testing
