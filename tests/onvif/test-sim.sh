#!/bin/sh
# test-sim.sh - the ONVIF client against vigia-sim: real gSOAP servers
# with vendor personalities, clocks off by hours and days, factory-new
# cameras, HTTP digest, TLS only, an IP change to follow, and every fault
# the simulator can inject.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"

SIM="${VIGIA_SIM:-$top_builddir/tests/sim/vigia-sim}"
[ -x "$SIM" ] || skip "vigia-sim is not built: $SIM is missing (no automake fragment builds tests/sim/vigia-sim.c yet)"
for t in jq; do
	command -v $t > /dev/null || skip "$t is missing (apt-get install $t)"
done
. "$top_srcdir/tests/sim/sim-lib.sh"

# a private /24 and port block, claimed by sim_start (never shared with
# another test, nor with another `make check` run)
sim_start --seed 5 --cameras 9 --reboot-time 2 --motion-period 0 ||
    bail_out "vigia-sim did not start (see above)"
H=$SIM_PORT
pwfile() {
	cam_json "$1" '.users[0].password' > "$TMPD/pw$1"
	echo "$TMPD/pw$1"
}
user() {
	cam_json "$1" '.users[0].name'
}

# camera 2: generic, configured, clock synced
A2=$(cam_addr 2)
"$VIGIA" camera info --json -u "$(user 2)" -p "$(pwfile 2)" "$A2:$H" > "$TMPD/i2"
check "generic configured camera: info"
contains "$TMPD/i2" '"identity": "[^-"][^"]*/[0-9a-f:]{17}"' "identity is serial/mac"
contains "$TMPD/i2" '"media2_url": null' "generic model has no Media2"

# clocks: +1 h, -1 h, +3 days, -3 days, on top of the camera's own
# offset (a configured camera is "synchronised within a second")
for skew in 3600 -3600 259200 -259200; do
	sim_ctl fault 2 clock $skew > /dev/null
	"$VIGIA" camera info --json -u "$(user 2)" -p "$(pwfile 2)" "$A2:$H" > "$TMPD/c"
	check "clock $skew s: authenticated at the camera's time"
	want=$(cam_json 2 .clock_offset)
	got=$(jq -r .clock_offset_s "$TMPD/c")
	# tt:DateTime has whole seconds: a second boundary between the
	# camera's answer and our reading of our own clock costs one
	[ "$got" -le "$want" ] && [ "$got" -ge $((want - 1)) ]
	check "clock $skew s: offset measured ($got s, camera at $want s)"
done
sim_ctl fault 2 clear > /dev/null

# camera 4: Dahua configured; like the real firmware it takes either HTTP
# digest or a valid UsernameToken, so WS-Security alone gets in
A4=$(cam_addr 4)
"$VIGIA" camera info --json -u "$(user 4)" -p "$(pwfile 4)" "$A4:$H" > "$TMPD/i4"
check "dahua: info"
contains "$TMPD/i4" '"http_digest": false' "dahua: WS-Security accepted, no digest needed"
# firmware that answers 401 to WS-Security alone: the digest fallback
sim_ctl fault 4 digest > /dev/null
"$VIGIA" camera info --json -u "$(user 4)" -p "$(pwfile 4)" "$A4:$H" > "$TMPD/i4"
check "digest-only camera: info over HTTP digest"
contains "$TMPD/i4" '"http_digest": true' "digest-only camera: digest fallback used"
"$VIGIA" camera profiles --json -u "$(user 4)" -p "$(pwfile 4)" "$A4:$H" > "$TMPD/p4"
contains "$TMPD/p4" '"media2": true' "dahua: profiles through Media2"
sim_ctl fault 4 clear > /dev/null

# camera 0: HIKVISION factory-new -> activation
A0=$(cam_addr 0)
"$VIGIA" discover --no-probe --add "$A0:$H" --json > "$TMPD/d0"
check "factory-new camera answers a manual add"
printf 'weak\n' > "$TMPD/weak"
"$VIGIA" camera set-user --new-user admin --new-password-file "$TMPD/weak" "$A0:$H" > "$TMPD/a0" 2>&1
test $? -eq 2
check "activation refuses a password against HIKVISION's rules"
printf 'Vigia2026ok\n' > "$TMPD/strong"
"$VIGIA" camera set-user --new-user admin --new-password-file "$TMPD/strong" "$A0:$H" > "$TMPD/a0" 2>&1
check "activation of the factory-new camera"
contains "$TMPD/a0" 'Camera activated' "activation reported"
"$VIGIA" camera info -u admin -p "$TMPD/strong" "$A0:$H" > /dev/null
check "log in with the new administrator"
"$VIGIA" camera set-user -u admin -p "$TMPD/strong" --new-user vigia \
    --new-password-file "$TMPD/strong" --level operator "$A0:$H" > "$TMPD/u0" 2>&1
check "dedicated ONVIF user created and verified"

# encoder: set, read back; ignore-venc reported
"$VIGIA" camera set-encoder -u "$(user 2)" -p "$(pwfile 2)" --fps 10 --gop 20 "$A2:$H" > "$TMPD/e2" 2>&1
check "set-encoder on the simulator, read back equal"
sim_ctl fault 2 ignore-venc > /dev/null
"$VIGIA" camera set-encoder -u "$(user 2)" -p "$(pwfile 2)" --fps 15 "$A2:$H" > "$TMPD/e2" 2>&1
test $? -eq 1
check "ignore-venc: exit 1"
contains "$TMPD/e2" 'did not keep it' "ignore-venc: difference reported"
sim_ctl fault 2 clear > /dev/null

# events: motion
sim_ctl motion 2 on > /dev/null
"$VIGIA" camera events --json --duration 3 -u "$(user 2)" -p "$(pwfile 2)" "$A2:$H" > "$TMPD/ev"
check "events: pull-point on the simulator"
contains "$TMPD/ev" '"motion":true' "events: motion seen"

# faults
sim_ctl fault 2 slow 3000 > /dev/null
"$VIGIA" camera info --json --timeout 800 -u "$(user 2)" -p "$(pwfile 2)" "$A2:$H" > "$TMPD/f" 2> /dev/null
contains "$TMPD/f" '"class": "timeout"' "slow camera: timeout class"
sim_ctl fault 2 clear > /dev/null
sim_ctl fault 2 malformed > /dev/null
"$VIGIA" camera info --json -u "$(user 2)" -p "$(pwfile 2)" "$A2:$H" > "$TMPD/f" 2> /dev/null
contains "$TMPD/f" '"class": "not-onvif"' "malformed XML: not-onvif class"
sim_ctl fault 2 clear > /dev/null
sim_ctl offline 2 > /dev/null
"$VIGIA" camera info --json --timeout 800 -u "$(user 2)" -p "$(pwfile 2)" "$A2:$H" > "$TMPD/f" 2> /dev/null
grep -Eq '"class": "(unreachable|timeout)"' "$TMPD/f"
check "offline camera: unreachable or timeout"
sim_ctl online 2 > /dev/null
"$VIGIA" camera info --json -u "$(user 2)" -p /dev/null "$A2:$H" > "$TMPD/f" 2> /dev/null
contains "$TMPD/f" '"class": "(auth|locked)"' "wrong password: auth class"
# port 8899 on the camera's own address: no other test can hold it
sim_ctl fault 2 port 8899 > /dev/null
"$VIGIA" camera info -u "$(user 2)" -p "$(pwfile 2)" "$A2:8899" > /dev/null
check "non-standard port 8899 by manual target"
sim_ctl fault 2 clear > /dev/null

# TLS only: trust on first use, then a pin
sim_ctl fault 6 tls > /dev/null
A6=$(cam_addr 6)
"$VIGIA" camera info --tls --json -u "$(user 6)" -p "$(pwfile 6)" "$A6:$((H + 3))" > "$TMPD/t6"
check "TLS-only camera over https"
contains "$TMPD/t6" '"tls_first_use": true' "TLS: first use reported"
FP=$(jq -r .tls_fingerprint "$TMPD/t6")
"$VIGIA" camera info --tls-fingerprint "$FP" -u "$(user 6)" -p "$(pwfile 6)" "$A6:$((H + 3))" > /dev/null
check "TLS: the pinned certificate is accepted"
"$VIGIA" camera info --json --tls-fingerprint sha256:0000000000000000000000000000000000000000000000000000000000000000 \
    -u "$(user 6)" -p "$(pwfile 6)" "$A6:$((H + 3))" > "$TMPD/t6b" 2> /dev/null
contains "$TMPD/t6b" '"class": "tls"' "TLS: another certificate is refused"
sim_ctl fault 6 clear > /dev/null

# IP change and follow (camera 2 moves inside the sim's loopback block)
"$VIGIA" camera set-ip --json -u "$(user 2)" -p "$(pwfile 2)" \
    --address "$SIM_NET.77/8" --gateway 127.0.0.1 --follow-timeout 30 "$A2:$H" > "$TMPD/ip"
check "set-ip: moved, followed, verified"
contains "$TMPD/ip" '"verified": true' "set-ip: read back equal"
"$VIGIA" camera info -u "$(user 2)" -p "$(pwfile 2)" "$SIM_NET.77:$H" > /dev/null
check "camera answers at its new address"
# a camera that vanishes after SetNetworkInterfaces: reported, not hung
sim_ctl fault 8 vanish-on-setnet > /dev/null
A8=$(cam_addr 8)
"$VIGIA" camera set-ip --json -u "$(user 8)" -p "$(pwfile 8)" \
    --address "$SIM_NET.88/8" --follow-timeout 5 "$A8:$H" > "$TMPD/ip8" 2> /dev/null
test $? -eq 1
check "vanishing camera: set-ip fails within the follow timeout"
contains "$TMPD/ip8" "\"last_seen\": \"$(vg_re "$SIM_NET")\\." "vanishing camera: where it was last seen"
done_testing
