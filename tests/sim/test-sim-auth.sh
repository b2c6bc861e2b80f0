#!/bin/sh
# tests/sim/test-sim-auth.sh - authentication like a real camera:
# WS-UsernameToken digest checked against the camera's own clock, stale
# Created and replayed nonces refused, wrong passwords refused with
# ter:NotAuthorized, pre-auth operations open, HTTP digest on the
# Dahua-like model, user levels and vendor password policies.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"

sim_start --cameras 4 --no-discovery
check "vigia-sim started"
H=$(dev_url 3)		# HIKVISION-like, vendor default admin/12345
D=$(dev_url 1)		# Dahua-like, admin/admin, HTTP digest

for op in GetSystemDateAndTime GetCapabilities GetServices GetHostname; do
	code=$(soap_call "$H" "<tds:$op/>")
	[ "$code" = 200 ]
	check "unauthenticated $op is allowed"
done
code=$(soap_call "$H" '<tds:GetDeviceInformation/>')
[ "$code" = 400 ] && grep -q 'ter:NotAuthorized' "$TMPD/resp"
check "unauthenticated GetDeviceInformation: 400 env:Sender ter:NotAuthorized"
grep -q 'SOAP-ENV:Sender' "$TMPD/resp"
check "the fault code is env:Sender"

off=$(cam_clock_offset "$H")
[ "$off" -lt -80000 ]
check "the vendor-default camera's clock is days slow ($off s)"
now=$(($(date +%s) + off))
hdr=$(wsse_header admin 12345 "$(iso8601 $now)")
code=$(soap_call "$H" '<tds:GetDeviceInformation/>' "$hdr")
[ "$code" = 200 ] && grep -q 'HIKVISION' "$TMPD/resp"
check "digest signed at the camera's clock is accepted"
code=$(soap_call "$H" '<tds:GetDeviceInformation/>' "$hdr")
[ "$code" = 400 ] && grep -q 'ter:NotAuthorized' "$TMPD/resp" &&
    grep -q 'Nonce replayed' "$TMPD/resp"
check "the same token again (replayed nonce) is refused"
code=$(soap_call "$H" '<tds:GetDeviceInformation/>' "$(wsse_header admin 12345)")
[ "$code" = 400 ] && grep -q 'clock window' "$TMPD/resp"
check "digest signed with our clock (stale for the camera) is refused"
code=$(soap_call "$H" '<tds:GetDeviceInformation/>' "$(wsse_header admin 12345 "$(iso8601 $((now - 30)))")")
[ "$code" = 400 ] && grep -q 'ter:NotAuthorized' "$TMPD/resp"
check "Created 30 s old is refused"
code=$(soap_call "$H" '<tds:GetDeviceInformation/>' "$(wsse_header admin 12345 "$(iso8601 $((now + 2)))")")
[ "$code" = 200 ]
check "Created 2 s ahead is within the window"
code=$(soap_call "$H" '<tds:GetDeviceInformation/>' "$(wsse_header admin wrong "$(iso8601 $now)")")
[ "$code" = 400 ] && grep -q 'ter:NotAuthorized' "$TMPD/resp"
check "wrong password: ter:NotAuthorized"
code=$(soap_call "$H" '<tds:GetDeviceInformation/>' "$(wsse_header nobody 12345 "$(iso8601 $now)")")
[ "$code" = 400 ] && grep -q 'ter:NotAuthorized' "$TMPD/resp"
check "unknown user: ter:NotAuthorized"

# HTTP digest on the Dahua-like model
curl -s -m 10 -D "$TMPD/hdr" -o /dev/null -H 'Content-Type: application/soap+xml' \
    --data-binary '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>' "$D"
contains "$TMPD/hdr" '^HTTP/1.1 401' "Dahua-like: no credentials, HTTP 401"
contains "$TMPD/hdr" 'WWW-Authenticate: Digest .*realm="Login to vigia-sim"' "Dahua-like: digest challenge"
code=$(soap_call "$D" '<tds:GetDeviceInformation/>' '' --digest -u admin:admin)
[ "$code" = 200 ] && grep -q Dahua "$TMPD/resp"
check "Dahua-like: curl --digest gets device information"
code=$(soap_call "$D" '<tds:GetDeviceInformation/>' '' --digest -u admin:wrong)
[ "$code" = 401 ]
check "Dahua-like: wrong digest password, 401"

# user levels: a User may read but not configure
now=$(($(date +%s) + $(cam_clock_offset "$H")))
code=$(soap_call "$H" '<tds:CreateUsers><tds:User><tt:Username>viewer</tt:Username><tt:Password>View2026x</tt:Password><tt:UserLevel>User</tt:UserLevel></tds:User></tds:CreateUsers>' "$(wsse_header admin 12345 "$(iso8601 $now)")")
[ "$code" = 200 ]
check "admin creates a User-level user" || cat "$TMPD/resp"
code=$(soap_call "$H" '<tds:GetDeviceInformation/>' "$(wsse_header viewer View2026x "$(iso8601 $now)")")
[ "$code" = 200 ]
check "User level reads device information"
code=$(soap_call "$H" '<tds:SetHostname><tds:Name>x</tds:Name></tds:SetHostname>' "$(wsse_header viewer View2026x "$(iso8601 $now)")")
[ "$code" = 400 ] && grep -q 'ter:NotAuthorized' "$TMPD/resp"
check "User level may not SetHostname"

# vendor password policies
code=$(soap_call "$H" '<tds:CreateUsers><tds:User><tt:Username>op</tt:Username><tt:Password>abcdefgh</tt:Password><tt:UserLevel>Operator</tt:UserLevel></tds:User></tds:CreateUsers>' "$(wsse_header admin 12345 "$(iso8601 $now)")")
[ "$code" = 400 ] && grep -q 'ter:OperationProhibited' "$TMPD/resp" &&
    grep -q 'ter:PasswordTooWeak' "$TMPD/resp"
check "Hikvision-like policy: one kind of character is too weak"
code=$(soap_call "$D" '<tds:CreateUsers><tds:User><tt:Username>op</tt:Username><tt:Password>Abcdef12;</tt:Password><tt:UserLevel>Operator</tt:UserLevel></tds:User></tds:CreateUsers>' '' --digest -u admin:admin)
[ "$code" = 400 ] && grep -q 'forbidden character' "$TMPD/resp"
check "Dahua-like policy: ';' is forbidden"
code=$(soap_call "$D" '<tds:CreateUsers><tds:User><tt:Username>op</tt:Username><tt:Password>Abcdef12</tt:Password><tt:UserLevel>Operator</tt:UserLevel></tds:User></tds:CreateUsers>' '' --digest -u admin:admin)
[ "$code" = 200 ]
check "Dahua-like policy: a good password is accepted"
done_testing
