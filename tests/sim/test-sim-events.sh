#!/bin/sh
# tests/sim/test-sim-events.sh - motion events through a pull point:
# GetEventProperties, CreatePullPointSubscription, PullMessages with its
# timeout honoured, tns1:RuleEngine/CellMotionDetector/Motion IsMotion on
# demand (control socket), SetSynchronizationPoint, Unsubscribe.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"

sim_start --cameras 3 --no-discovery --motion-period 0
check "vigia-sim started"
U=$(dev_url 2)
code=$(soap_call "$U" '<tev:GetEventProperties/>' "$(wsse_for 2)")
[ "$code" = 200 ] && grep -q 'tns1:RuleEngine' "$TMPD/resp" &&
    grep -q 'Name="IsMotion"' "$TMPD/resp"
check "GetEventProperties lists the cell motion topic"
xmllint --noout "$TMPD/resp" 2>/dev/null || ! command -v xmllint >/dev/null
check "GetEventProperties is well-formed XML"

code=$(soap_call "$U" '<tev:CreatePullPointSubscription><tev:InitialTerminationTime>PT60S</tev:InitialTerminationTime></tev:CreatePullPointSubscription>' "$(wsse_for 2)")
[ "$code" = 200 ]
check "CreatePullPointSubscription" || cat "$TMPD/resp"
SUB=$(sed -n 's/.*<wsa5:Address>\([^<]*\)<.*/\1/p' "$TMPD/resp")
case "$SUB" in "http://$SIM_NET.3:$SIM_PORT/"*) true ;; *) false ;; esac
check "subscription address on the camera ($SUB)"

pull() {
	soap_call "$SUB" "<tev:PullMessages><tev:Timeout>$1</tev:Timeout><tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages>" "$(wsse_for 2)"
}
code=$(pull PT5S)
[ "$code" = 200 ] && grep -q 'tns1:RuleEngine/CellMotionDetector/Motion' "$TMPD/resp" &&
    grep -q 'PropertyOperation="Initialized"' "$TMPD/resp" &&
    grep -q 'Name="IsMotion" Value="false"' "$TMPD/resp"
check "first pull: the property's initial state (IsMotion=false)" || cat "$TMPD/resp"
start=$(date +%s)
code=$(pull PT2S)
el=$(($(date +%s) - start))
[ "$code" = 200 ] && ! grep -q NotificationMessage "$TMPD/resp" && [ $el -ge 1 ] && [ $el -le 4 ]
check "no event: PullMessages waits its 2 s timeout and returns empty ($el s)"
(sleep 1; sim_ctl motion 2 on >/dev/null) &
bg=$!
start=$(date +%s)
code=$(pull PT10S)
el=$(($(date +%s) - start))
[ "$code" = 200 ] && grep -q 'PropertyOperation="Changed"' "$TMPD/resp" &&
    grep -q 'Name="IsMotion" Value="true"' "$TMPD/resp" && [ $el -lt 5 ]
check "motion on demand wakes a waiting PullMessages with IsMotion=true ($el s)"
wait $bg
sim_ctl motion 2 off >/dev/null
code=$(pull PT5S)
grep -q 'Name="IsMotion" Value="false"' "$TMPD/resp"
check "motion off: IsMotion=false"
code=$(soap_call "$SUB" '<tev:SetSynchronizationPoint/>' "$(wsse_for 2)")
[ "$code" = 200 ]
check "SetSynchronizationPoint"
code=$(pull PT5S)
grep -q 'PropertyOperation="Initialized"' "$TMPD/resp"
check "synchronization point re-sends the current state"
code=$(pull PT61S)
[ "$code" = 400 ] && grep -q 'tev:PullMessagesFaultResponse' "$TMPD/resp" &&
    grep -q '<tev:MaxTimeout>PT60S</tev:MaxTimeout>' "$TMPD/resp"
check "a Timeout over 60 s is a PullMessagesFaultResponse naming the limit" || cat "$TMPD/resp"
code=$(soap_call "$SUB" '<wsnt:Unsubscribe/>' "$(wsse_for 2)")
[ "$code" = 200 ]
check "Unsubscribe"
code=$(pull PT1S)
[ "$code" = 400 ] && grep -q 'NoSubscription' "$TMPD/resp"
check "pulling after Unsubscribe is a fault"
code=$(soap_call "$SUB" '<tev:PullMessages><tev:Timeout>PT5S</tev:Timeout><tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages>')
[ "$code" = 400 ] && grep -q 'ter:NotAuthorized' "$TMPD/resp"
check "events need credentials"
done_testing
