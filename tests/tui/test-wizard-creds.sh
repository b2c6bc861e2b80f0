#!/bin/sh
# test-wizard-creds.sh - credentials at site scale: cameras that already
# have users are opened by their vendor's default or by the integrator's
# CSV without one password typed per camera; a wrong password in the CSV
# leaves that camera locked (the table says which, the status how many)
# and no camera is ever locked out by the wizard (vigia-sim's HIKVISION
# model locks after 5 failed logins).  80x24, English.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Site: 9 cameras on a /24 of its own (lib.sh's allocator): 0, 5, 7 factory-new;
# 1, 3, 8 vendor defaults; 2, 4, 6 their own passwords, given by the CSV
# (camera 6, a HIKVISION, with a wrong one).
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"

[ "$(id -u)" = 0 ] || skip "WS-Discovery on lo needs root"

CONF="$TMPD/out/creds.conf"
sim_start --cameras 9 --motion-period 0 --reboot-time 1 \
    --seed 68
check "vigia-sim starts on $SIM_BASE port $SIM_PORT"
BASE=$SIM_NET
PORT=$SIM_PORT
B_RE=$(vg_re "$BASE")

pw() { cam_json "$1" '.users[] | select(.name == "admin") | .password'; }
{
	echo "address,user,password,name"
	echo "$BASE.3,admin,$(pw 2),"
	echo "$BASE.5,admin,$(pw 4),door"
	echo "$BASE.7,admin,Wrong-Pass-1,"
} > "$TMPD/site.csv"

wait_long() {
	n=0
	while [ $n -lt 6 ]; do
		wait_for "$1" > /dev/null && return 0
		n=$((n + 1))
	done
	wait_for "$1"
}

start 80 24 LC_ALL=C.UTF-8
wait_for 'Step 1 of 17'
keys Enter
wait_for 'Step 2 of 17'
keys creds C-n
wait_for 'Step 3 of 17'
n=$(grep -E '^ +\[[ x]\] ' "$TMPD/screen" | grep -n '\] lo$' | cut -d: -f1)
i=1
while [ "$i" -lt "$n" ]; do
	keys Down
	i=$((i + 1))
done
keys Space C-n
wait_for 'Step 4 of 17'
wait_long 'Search done'
keys C-n
wait_for 'Step 5 of 17'
keys a /
text "$BASE."
keys Enter a
wait_for ': 9 of'
check "the site's 9 cameras are ticked"
# Other tests' sites on lo may be found too and take the first numbers:
# the names are cam-NN, rising with the address.
nm() { sed -n "s/^ *\[x\] \([^ ]*\) \{1,\}$B_RE\.$1:$PORT .*/\1/p" "$TMPD/screen"; }
prev=0 ok=1
for i in 1 2 3 4 5 6 7 8 9; do
	# cam-01..cam-99, then cam-100...: leading zeros dropped
	n=$(nm "$i" | sed -n 's/^cam-0*\([1-9][0-9]*\)$/\1/p')
	[ -n "$n" ] && [ "$n" -gt "$prev" ] || ok=0
	[ -n "$n" ] && prev=$n
done
test "$ok" = 1
check "the table names them cam-NN... in address order" ||
    sed 's/^/#   /' "$TMPD/screen"
# Next numbers the template's names again among the cameras ticked: the
# site's 9 are cam-01..cam-09 whatever else was found
N1=cam-01 N2=cam-02 N3=cam-03 N7=cam-07
keys C-n
wait_for 'Step 6 of 17'
screen_has 'Admin user +admin' "the administrator user defaults to the vendors' admin"
keys vigia Down
text 'Vigia-Rec-2026'
keys Down Down
text 'Vigia-Adm-2026'
keys Down
screen_has 'Existing password' "cameras with users ask for an existing password"
keys Down
text "$TMPD/site.csv"
keys C-n
wait_long 'Step 7 of 17'
check "Next opens the cameras with users, then goes on"
screen_has '1 camera stays locked' "the status says one camera stays locked"

# back to the table: what opened each camera
keys C-p
wait_for 'Step 6 of 17'
screen_has 'With users: 3 open by default, 2 by own password, 1 locked' \
    "the passwords step counts what opened the cameras"
# the Cameras choice is the camera table: address, state, whose password
keys Up Up Up Up Up Up Up Up
wait_for 'Cameras +> '
keys Enter
wait_for 'Enter chooses, Esc goes back'
screen_has 'All cameras' "the camera table offers all cameras first"
screen_has "$N7 +$B_RE\\.7:$PORT .*locked +shared" \
    "the Cameras table shows each camera's address, state and password"
keys Down Down Enter
wait_for 'Own password +\[[ x]\]'
screen_has "Cameras +> < $N2 " "Enter on a row chooses that camera"
keys Enter
wait_for 'Enter chooses, Esc goes back'
keys Up Up Up Enter
wait_for 'Cameras +> < All cameras'
check "the All cameras row goes back to the shared password"
keys C-p
wait_for 'Step 5 of 17'
ok=1
for i in 1 2 3 4 6 7 8 9; do
	[ "$(nm "$i")" = "cam-0$i" ] || ok=0
done
test "$ok" = 1
check "Next numbered the site's cameras cam-01..cam-09 in address order"
screen_has "$N2 +$B_RE\\.2:$PORT .*default password" \
    "a vendor default opened camera 1"
screen_has "$N3 +$B_RE\\.3:$PORT .*own password" \
    "the CSV opened camera 2"
screen_has "door +$B_RE\\.5:$PORT .*own password" \
    "the CSV named camera 4 \"door\""
screen_has "$N7 +$B_RE\\.7:$PORT .*locked" \
    "the wrong CSV password leaves camera 6 locked, and the table says so"
screen_has "$N1 +$B_RE\\.1:$PORT .*factory-new" \
    "factory-new cameras are shown as such"
# n renames a camera inline
keys Down Down Down Down Down n C-u
text gate
keys Enter
wait_for "gate +$B_RE\\.6:$PORT"
check "n renames the camera under the cursor"

for s in 6 7 8 9; do
	keys C-n
	wait_for "Step $s of 17"
done
wait_long 'Encoder options read'
screen_has "$N7 +locked" "the encoder step does not ask the locked camera"
keys C-n
wait_for 'Step 10 of 17'
wait_long 'Plan: [0-9]+ steps? on'
screen_has '1 camera is left out: locked' "the review leaves the locked camera out"
keys C-n
wait_for 'Apply the plan\?'
keys Enter
wait_long 'Every camera is as configured|cameras? failed'
screen_has 'Every camera is as configured' "the 8 cameras opened are configured"
keys C-n
wait_for 'Step 11 of 17'
wait_long 'cameras? (send|need)'
screen_has "$N7 +$B_RE\\.7:$PORT .*locked" \
    "the check's camera table leaves the locked camera alone"
keys C-n
wait_for 'Go on anyway'
keys Left Enter
for s in 12 13 14 15; do
	wait_for "Step $s of 17"
	keys C-n
done
wait_for 'Step 16 of 17'
keys C-u "$CONF" C-n
wait_for 'Step 17 of 17'
keys C-n
wait_for '^EXIT=0'
check "the configuration is written"

sim_ctl status > "$TMPD/status"
test "$(jq '[.cameras[] | select(.locked)] | length' "$TMPD/status")" = 0
check "no camera was locked out"
test "$(jq '.cameras[6].auth_failed' "$TMPD/status")" -le 4
check "camera 6 saw at most 4 failed logins ($(jq '.cameras[6].auth_failed' "$TMPD/status"))"
for c in 1 2 3 4 8; do
	cam_json $c '.users[] | select(.name == "vigia") | .password' \
	    > "$TMPD/pw.$c"
	contains "$TMPD/pw.$c" '^Vigia-Rec-2026$' "camera $c has the ONVIF user"
done
done_testing
