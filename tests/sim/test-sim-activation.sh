#!/bin/sh
# tests/sim/test-sim-activation.sh - factory-new cameras: no users,
# anonymous access until the first CreateUsers, Profile Q scopes that say
# so, the Hikvision-like model opening only its device service until
# activated, and the vendor's password policy on the first password.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"

sim_start --cameras 6 --no-discovery
check "vigia-sim started"
H=$(dev_url 0)		# HIKVISION-like, factory-new
G=$(dev_url 5)		# generic, factory-new

[ "$(cam_json 0 .factory_new)" = true ] && [ "$(cam_json 5 .factory_new)" = true ]
check "cameras 0 and 5 start factory-new"
code=$(soap_call "$H" '<tds:GetScopes/>')
[ "$code" = 200 ] && grep -q 'Profile/Q/FactoryDefault' "$TMPD/resp"
check "scopes say Profile/Q/FactoryDefault"
code=$(soap_call "$H" '<tds:GetDeviceInformation/>')
[ "$code" = 200 ] && grep -q HIKVISION "$TMPD/resp"
check "anonymous GetDeviceInformation while factory-new"
code=$(soap_call "$H" '<tds:GetUsers/>')
[ "$code" = 200 ] && ! grep -q '<tt:Username>' "$TMPD/resp"
check "no users"
code=$(soap_call "$H" '<trt:GetProfiles/>')
[ "$code" = 400 ] && grep -q 'not activated' "$TMPD/resp"
check "Hikvision-like: media service closed until activation"
code=$(soap_call "$G" '<trt:GetProfiles/>')
[ "$code" = 200 ] && grep -q 'trt:Profiles' "$TMPD/resp"
check "generic: anonymous media access while factory-new (Profile Q)"

code=$(soap_call "$H" '<tds:CreateUsers><tds:User><tt:Username>admin</tt:Username><tt:Password>12345678</tt:Password><tt:UserLevel>Administrator</tt:UserLevel></tds:User></tds:CreateUsers>')
[ "$code" = 400 ] && grep -q 'ter:PasswordTooWeak' "$TMPD/resp"
check "activation with a digits-only password is refused"
code=$(soap_call "$H" '<tds:CreateUsers><tds:User><tt:Username>op</tt:Username><tt:Password>Passw0rd2026</tt:Password><tt:UserLevel>Operator</tt:UserLevel></tds:User></tds:CreateUsers>')
[ "$code" = 400 ] && grep -q 'AdministratorRequired' "$TMPD/resp"
check "the first user must be an administrator"
code=$(soap_call "$H" '<tds:CreateUsers><tds:User><tt:Username>admin</tt:Username><tt:Password>Passw0rd2026</tt:Password><tt:UserLevel>Administrator</tt:UserLevel></tds:User></tds:CreateUsers>')
[ "$code" = 200 ]
check "activation: CreateUsers admin" || cat "$TMPD/resp"
[ "$(cam_json 0 .factory_new)" = false ]
check "the camera is no longer factory-new"
code=$(soap_call "$H" '<tds:GetDeviceInformation/>')
[ "$code" = 400 ] && grep -q 'ter:NotAuthorized' "$TMPD/resp"
check "anonymous access ends with the first user"
code=$(soap_call "$H" '<tds:GetScopes/>' "$(wsse_for 0)")
[ "$code" = 200 ] && grep -q 'Profile/Q/Operational' "$TMPD/resp" &&
    ! grep -q FactoryDefault "$TMPD/resp"
check "scopes switch to Profile/Q/Operational"
code=$(soap_call "$H" '<trt:GetProfiles/>' "$(wsse_for 0)")
[ "$code" = 200 ] && grep -q 'Profile_1' "$TMPD/resp"
check "media service open to the new administrator"
done_testing
