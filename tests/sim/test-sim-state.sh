#!/bin/sh
# tests/sim/test-sim-state.sh - state persists in --state DIR across
# restarts of the simulator: address, users, hostname, encoder, clock.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"

sim_start --seed 37 --cameras 3 --no-discovery --reboot-time 0.5
check "vigia-sim started"
U=$(dev_url 2)
soap_call "$U" '<tds:SetHostname><tds:Name>persisted-cam</tds:Name></tds:SetHostname>' "$(wsse_for 2)" >/dev/null
soap_call "$U" '<tds:CreateUsers><tds:User><tt:Username>vigia</tt:Username><tt:Password>Vigia-Op-1</tt:Password><tt:UserLevel>Operator</tt:UserLevel></tds:User></tds:CreateUsers>' "$(wsse_for 2)" >/dev/null
code=$(soap_call "$U" '<trt:SetVideoEncoderConfiguration><trt:Configuration token="001"><tt:Name>001</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>320</tt:Width><tt:Height>240</tt:Height></tt:Resolution><tt:Quality>40</tt:Quality><tt:RateControl><tt:FrameRateLimit>5</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>256</tt:BitrateLimit></tt:RateControl><tt:H264><tt:GovLength>10</tt:GovLength><tt:H264Profile>Baseline</tt:H264Profile></tt:H264><tt:SessionTimeout>PT60S</tt:SessionTimeout></trt:Configuration><trt:ForcePersistence>true</trt:ForcePersistence></trt:SetVideoEncoderConfiguration>' "$(wsse_for 2)")
[ "$code" = 200 ]
check "sub stream set to 320x240 at 5 fps" || cat "$TMPD/resp"
code=$(soap_call "$U" '<tds:SetNetworkInterfaces><tds:InterfaceToken>eth0</tds:InterfaceToken><tds:NetworkInterface><tt:IPv4><tt:Manual><tt:Address>'"$SIM_NET"'.33</tt:Address><tt:PrefixLength>16</tt:PrefixLength></tt:Manual><tt:DHCP>false</tt:DHCP></tt:IPv4></tds:NetworkInterface></tds:SetNetworkInterfaces>' "$(wsse_for 2)")
[ "$code" = 200 ]
check "address change accepted"
N="http://$SIM_NET.33:$SIM_PORT/onvif/device_service"
back() { [ "$(soap_call "$N" '<tds:GetSystemDateAndTime/>')" = 200 ]; }
wait_until 15 back
check "camera 2 moved to $SIM_NET.33"
off_before=$(cam_json 1 .clock_offset)
sim_stop
[ "$SIM_EXIT" = 0 ]
check "stopped cleanly"
[ -f "$SIM_STATE/camera-002.json" ] && [ "$(stat -c %a "$SIM_STATE/camera-002.json")" = 600 ]
check "state file written with mode 0600"

sim_start --seed 37 --cameras 3 --no-discovery
check "vigia-sim restarted on the same state"
a2=$(cam_addr 2); echo "# camera 2 at $a2"; [ "$a2" = "$SIM_NET.33" ]
check "camera 2 is still on its new address"
soap_call "$N" '<tds:GetHostname/>' >/dev/null
grep -q '<tt:Name>persisted-cam</tt:Name>' "$TMPD/resp"
check "hostname kept"
code=$(soap_call "$N" '<tds:GetDeviceInformation/>' "$(wsse_header vigia Vigia-Op-1)")
[ "$code" = 200 ]
check "user created before the restart can log in"
code=$(soap_call "$N" '<trt:GetVideoEncoderConfiguration><trt:ConfigurationToken>001</trt:ConfigurationToken></trt:GetVideoEncoderConfiguration>' "$(wsse_for 2)")
grep -q '<tt:Width>320</tt:Width>' "$TMPD/resp" && grep -q '<tt:FrameRateLimit>5</tt:FrameRateLimit>' "$TMPD/resp" &&
    grep -q '<tt:H264Profile>Baseline</tt:H264Profile>' "$TMPD/resp"
check "encoder configuration kept"
[ "$(cam_json 2 '.streams[1].width')" = 320 ]
check "the media side serves the kept configuration"
[ "$(cam_json 1 .clock_offset)" = "$off_before" ]
check "camera clock offset kept"
done_testing
