#!/bin/sh
# tests/sim/test-sim-lockout.sh - the HIKVISION model's illegal-login
# lock: four wrong passwords in a row leave the right one working, the
# fifth locks the camera (the right password is refused too), and the
# control socket's status says so; the other models only count.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"

sim_start --cameras 9 --no-discovery
check "vigia-sim started"
H=$(dev_url 3)		# HIKVISION-like, vendor default admin/12345
G=$(dev_url 8)		# generic, vendor default admin/admin

# try URL USER PASSWORD: one GetDeviceInformation at the camera's clock;
# the HTTP status on stdout
try() {
	off=$(cam_clock_offset "$1")
	soap_call "$1" '<tds:GetDeviceInformation/>' \
	    "$(wsse_header "$2" "$3" "$(iso8601 $(($(date +%s) + off)))")"
}

for i in 1 2 3 4; do
	try "$H" admin "wrong-$i" > /dev/null
done
test "$(cam_json 3 .auth_failed)" = 4 && test "$(cam_json 3 .locked)" = false
check "four wrong passwords are counted, not locked"
code=$(try "$H" admin 12345)
[ "$code" = 200 ]
check "the right password still opens it (and resets the count)"
for i in 1 2 3 4; do
	try "$H" admin "wrong-$i" > /dev/null
done
code=$(try "$H" admin 12345)
[ "$code" = 200 ]
check "four more after a success are still below the lock"
for i in 1 2 3 4 5; do
	try "$H" admin "wrong-$i" > /dev/null
done
test "$(cam_json 3 .locked)" = true
check "the fifth wrong password in a row locks the camera"
code=$(try "$H" admin 12345)
[ "$code" = 400 ] && grep -q 'Locked' "$TMPD/resp"
check "a locked camera refuses the right password too"
code=$(soap_call "$H" '<tds:GetSystemDateAndTime/>')
[ "$code" = 200 ]
check "pre-auth operations still answer while locked"

for i in 1 2 3 4 5 6; do
	try "$G" admin "wrong-$i" > /dev/null
done
test "$(cam_json 8 .locked)" = false && test "$(cam_json 8 .auth_failed)" = 6
check "the generic model counts failures without locking"
code=$(try "$G" admin admin)
[ "$code" = 200 ]
check "and opens with the right password"

done_testing
