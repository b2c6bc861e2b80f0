#!/bin/sh
# tests/sim/test-sim-faults.sh - every ONVIF-side fault and vendor quirk,
# injected at run time through the control socket (and one from the
# command line): slow, dropped and malformed answers, wrong clock,
# offline/online, encoder changes ignored, vanishing after
# SetNetworkInterfaces, HTTP digest only, port 8899, TLS only; and bad
# client requests get faults, never a crash.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"

sim_start --cameras 3 --no-discovery --fault 0:slow=300
check "vigia-sim started with --fault 0:slow=300"
[ "$(cam_json 0 .faults)" = "slow=300" ]
check "command-line fault shows in status"
U=$(dev_url 2)
t0() { date +%s%N | cut -c1-13; }
ms() { s=$(t0); soap_call "$U" '<tds:GetSystemDateAndTime/>' >"$TMPD/code"; echo $(($(t0) - s)); }

# slow
sim_ctl fault 2 slow 1500 >/dev/null
check "fault 2 slow 1500"
el=$(ms)
[ "$(cat "$TMPD/code")" = 200 ] && [ $el -ge 1400 ]
check "slow: the answer comes after ${el} ms"
sim_ctl fault 2 clear >/dev/null
el=$(ms)
[ $el -lt 1000 ]
check "clear: fast again (${el} ms)"

# dropped
sim_ctl fault 2 drop >/dev/null
[ "$(soap_call "$U" '<tds:GetSystemDateAndTime/>')" = 000 ]
check "drop: the connection closes without an answer"
sim_ctl fault 2 clear >/dev/null

# malformed
sim_ctl fault 2 malformed >/dev/null
code=$(soap_call "$U" '<tds:GetSystemDateAndTime/>')
[ "$code" = 200 ] && ! xmllint --noout "$TMPD/resp" 2>/dev/null
check "malformed: HTTP 200 with broken XML"
sim_ctl fault 2 clear >/dev/null

# wrong clock
off1=$(cam_clock_offset "$U")
sim_ctl fault 2 clock 7200 >/dev/null
off2=$(cam_clock_offset "$U")
d=$((off2 - off1))
[ $d -ge 7198 ] && [ $d -le 7202 ]
check "clock: the camera clock jumps 2 h ($d s)"
code=$(soap_call "$U" '<tds:GetDeviceInformation/>' "$(wsse_header admin "$(cam_json 2 '.users[0].password')" "$(iso8601 $(($(date +%s) + off1)))")")
[ "$code" = 400 ] && grep -q 'clock window' "$TMPD/resp"
check "clock: a digest signed for the old clock is refused"
code=$(soap_call "$U" '<tds:GetDeviceInformation/>' "$(wsse_for 2)")
[ "$code" = 200 ]
check "clock: a client that reads the clock first still gets in"
sim_ctl fault 2 clear >/dev/null

# offline / online
sim_ctl offline 2 >/dev/null
quiet() { [ "$(soap_call "$U" '<tds:GetSystemDateAndTime/>')" = 000 ]; }
up() { [ "$(soap_call "$U" '<tds:GetSystemDateAndTime/>')" = 200 ]; }
quiet
check "offline: the camera stops answering once the command answers"
[ "$(cam_json 2 .state)" = offline ]
check "offline: status says so"
sim_ctl online 2 >/dev/null
up
check "online: it answers again once the command answers"

# accepts SetVideoEncoderConfiguration but ignores it
sim_ctl fault 2 ignore-venc >/dev/null
code=$(soap_call "$U" '<trt:SetVideoEncoderConfiguration><trt:Configuration token="000"><tt:Name>000</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>640</tt:Width><tt:Height>480</tt:Height></tt:Resolution><tt:Quality>50</tt:Quality><tt:RateControl><tt:FrameRateLimit>10</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>1000</tt:BitrateLimit></tt:RateControl><tt:H264><tt:GovLength>20</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264></trt:Configuration><trt:ForcePersistence>true</trt:ForcePersistence></trt:SetVideoEncoderConfiguration>' "$(wsse_for 2)")
[ "$code" = 200 ]
check "ignore-venc: SetVideoEncoderConfiguration answers OK"
soap_call "$U" '<trt:GetVideoEncoderConfiguration><trt:ConfigurationToken>000</trt:ConfigurationToken></trt:GetVideoEncoderConfiguration>' "$(wsse_for 2)" >/dev/null
grep -q '<tt:Width>1280</tt:Width>' "$TMPD/resp"
check "ignore-venc: reading back shows the old 1280 width"
sim_ctl fault 2 clear >/dev/null

# HTTP digest instead of WS-Security
sim_ctl fault 2 digest >/dev/null
code=$(soap_call "$U" '<tds:GetDeviceInformation/>' "$(wsse_for 2)")
[ "$code" = 401 ]
check "digest: WS-Security alone gets 401"
code=$(soap_call "$U" '<tds:GetDeviceInformation/>' '' --digest -u "admin:$(cam_json 2 '.users[0].password')")
[ "$code" = 200 ]
check "digest: HTTP digest gets in"
sim_ctl fault 2 clear >/dev/null

# non-standard port (the fault's default 8899: on the test's own
# addresses, so no other test can hold it)
sim_ctl fault 2 port >/dev/null
P="http://$SIM_NET.3:8899/onvif/device_service"
onp() { [ "$(soap_call "$P" '<tds:GetSystemDateAndTime/>')" = 200 ]; }
onp
check "port: ONVIF answers on 8899 once the command answers"
quiet
check "port: and no longer on the standard port"
soap_call "$P" '<tds:GetCapabilities/>' >/dev/null
grep -q "$SIM_NET.3:8899/onvif" "$TMPD/resp"
check "port: XAddrs carry :8899"
sim_ctl fault 2 clear >/dev/null
up
check "clear: back on the standard port"

# TLS only, self-signed
sim_ctl fault 2 tls >/dev/null
S="https://$SIM_NET.3:$((SIM_PORT + 3))/onvif/device_service"
tls_up() { [ "$(soap_call "$S" '<tds:GetSystemDateAndTime/>' '' -k)" = 200 ]; }
tls_up
check "tls: HTTPS answers once the command answers"
[ "$(soap_call "$S" '<tds:GetSystemDateAndTime/>')" = 000 ]
check "tls: the certificate is self-signed (verification fails)"
quiet
check "tls: plain HTTP is gone"
soap_call "$S" '<tds:GetCapabilities/>' '' -k >/dev/null
grep -q "https://$SIM_NET.3:$((SIM_PORT + 3))/onvif" "$TMPD/resp"
check "tls: XAddrs are https"
sim_ctl fault 2 clear >/dev/null
up
check "clear: plain HTTP again"

# answers 200 to SetNetworkInterfaces, then disappears
sim_ctl fault 2 vanish-on-setnet >/dev/null
code=$(soap_call "$U" '<tds:SetNetworkInterfaces><tds:InterfaceToken>eth0</tds:InterfaceToken><tds:NetworkInterface><tt:IPv4><tt:Manual><tt:Address>'"$SIM_NET"'.99</tt:Address><tt:PrefixLength>24</tt:PrefixLength></tt:Manual></tt:IPv4></tds:NetworkInterface></tds:SetNetworkInterfaces>' "$(wsse_for 2)")
[ "$code" = 200 ]
check "vanish: SetNetworkInterfaces answers 200"
wait_until 5 quiet
check "vanish: the old address goes quiet"
sleep 1
[ "$(soap_call "http://$SIM_NET.99:$SIM_PORT/onvif/device_service" '<tds:GetSystemDateAndTime/>')" = 000 ]
check "vanish: nothing on the new address either"
[ "$(cam_json 2 .state)" = gone ]
check "vanish: status says gone"
sim_ctl online 2 >/dev/null
sim_ctl fault 2 clear >/dev/null

# bad requests: a fault, never a crash
code=$(curl -s -m 10 -o "$TMPD/resp" -w '%{http_code}' -H 'Content-Type: application/soap+xml' --data-binary '<<<not xml>>>' "$(dev_url 1)")
[ "$code" -ge 400 ] && grep -q 'SOAP-ENV:Fault' "$TMPD/resp"
check "garbage body: a SOAP fault ($code)"
code=$(soap_call "$(dev_url 0)" '<tds:GetHostname>')
[ "$code" = 400 ] && grep -q 'Malformed request' "$TMPD/resp"
check "unclosed element: env:Sender fault, at once ($code)"
code=$(soap_call "$(dev_url 0)" '<tds:GetWsdlUrl/>')
[ "$code" = 500 ] && grep -q 'ter:ActionNotSupported' "$TMPD/resp"
check "unknown operation: env:Receiver ter:ActionNotSupported"
head -c 3000000 /dev/zero | tr '\0' 'a' >"$TMPD/big"
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/soap+xml' --data-binary @"$TMPD/big" "$(dev_url 0)")
[ "$code" != 200 ]
check "3 MB request refused ($code)"
kill -0 $SIM_PID
check "vigia-sim is still running"
code=$(soap_call "$(dev_url 0)" '<tds:GetSystemDateAndTime/>')
[ "$code" = 200 ]
check "and still answers"
done_testing
