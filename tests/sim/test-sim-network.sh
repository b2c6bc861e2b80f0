#!/bin/sh
# tests/sim/test-sim-network.sh - changes take effect: SetNetworkInterfaces
# answers RebootNeeded, the camera goes quiet for the reboot time and
# comes back on its new address (same MAC); SystemReboot likewise; clock,
# hostname, DNS, NTP and gateway round-trip.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"

sim_start --cameras 3 --no-discovery --reboot-time 2
check "vigia-sim started"
U=$(dev_url 2)
mac=$(cam_json 2 .mac)
code=$(soap_call "$U" '<tds:GetNetworkInterfaces/>' "$(wsse_for 2)")
[ "$code" = 200 ] && grep -q "<tt:HwAddress>$mac</tt:HwAddress>" "$TMPD/resp" &&
    grep -q '<tt:Address>'"$SIM_NET"'.3</tt:Address>' "$TMPD/resp"
check "GetNetworkInterfaces: MAC and address"

code=$(soap_call "$U" '<tds:SetNetworkInterfaces><tds:InterfaceToken>eth0</tds:InterfaceToken><tds:NetworkInterface><tt:Enabled>true</tt:Enabled><tt:IPv4><tt:Enabled>true</tt:Enabled><tt:Manual><tt:Address>'"$SIM_NET"'.103</tt:Address><tt:PrefixLength>24</tt:PrefixLength></tt:Manual><tt:DHCP>false</tt:DHCP></tt:IPv4></tds:NetworkInterface></tds:SetNetworkInterfaces>' "$(wsse_for 2)")
[ "$code" = 200 ] && grep -q '<tds:RebootNeeded>true</tds:RebootNeeded>' "$TMPD/resp"
check "SetNetworkInterfaces answers RebootNeeded=true"
quiet() { [ "$(soap_call "$U" '<tds:GetSystemDateAndTime/>')" = 000 ]; }
wait_until 5 quiet
check "the camera goes quiet on its old address"
[ "$(cam_json 2 .state)" = rebooting ]
check "status says rebooting"
N="http://$SIM_NET.103:$SIM_PORT/onvif/device_service"
back() { [ "$(soap_call "$N" '<tds:GetSystemDateAndTime/>')" = 200 ]; }
start=$(date +%s)
wait_until 15 back
check "it comes back on the new address"
[ $(($(date +%s) - start)) -ge 1 ]
check "after the reboot time"
quiet
check "the old address stays quiet"
[ "$(cam_addr 2)" = "$SIM_NET.103" ]
check "status has the new address"
code=$(soap_call "$N" '<tds:GetNetworkInterfaces/>' "$(wsse_for 2)")
[ "$code" = 200 ] && grep -q "<tt:HwAddress>$mac</tt:HwAddress>" "$TMPD/resp" &&
    grep -q '<tt:Address>'"$SIM_NET"'.103</tt:Address>' "$TMPD/resp" &&
    grep -q '<tt:PrefixLength>24</tt:PrefixLength>' "$TMPD/resp"
check "same MAC, new address and prefix"
code=$(soap_call "$N" '<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>000</trt:ProfileToken></trt:GetStreamUri>' "$(wsse_for 2)")
[ "$code" = 200 ] && grep -q 'rtsp://'"$SIM_NET"'.103:' "$TMPD/resp"
check "the stream URI follows the new address"
code=$(soap_call "$N" '<tds:SetNetworkInterfaces><tds:InterfaceToken>eth0</tds:InterfaceToken><tds:NetworkInterface><tt:IPv4><tt:Manual><tt:Address>10.0.0.5</tt:Address><tt:PrefixLength>24</tt:PrefixLength></tt:Manual></tt:IPv4></tds:NetworkInterface></tds:SetNetworkInterfaces>' "$(wsse_for 2)")
[ "$code" = 400 ] && grep -q 'ter:InvalidArgVal' "$TMPD/resp" && grep -q 'ter:InvalidIPv4Address' "$TMPD/resp"
check "an address outside the simulated LAN: ter:InvalidArgVal/InvalidIPv4Address"

# SystemReboot
U=$N
code=$(soap_call "$U" '<tds:SystemReboot/>' "$(wsse_for 2)")
[ "$code" = 200 ] && grep -q 'tds:Message' "$TMPD/resp"
check "SystemReboot answers"
wait_until 5 quiet
check "quiet while rebooting"
wait_until 15 back
check "back after SystemReboot"

# clock: SetSystemDateAndTime (manual) moves the camera clock
code=$(soap_call "$U" '<tds:SetSystemDateAndTime><tds:DateTimeType>Manual</tds:DateTimeType><tds:DaylightSavings>false</tds:DaylightSavings><tds:TimeZone><tt:TZ>UTC0</tt:TZ></tds:TimeZone><tds:UTCDateTime><tt:Time><tt:Hour>12</tt:Hour><tt:Minute>0</tt:Minute><tt:Second>0</tt:Second></tt:Time><tt:Date><tt:Year>2030</tt:Year><tt:Month>6</tt:Month><tt:Day>1</tt:Day></tt:Date></tds:UTCDateTime></tds:SetSystemDateAndTime>' "$(wsse_for 2)")
[ "$code" = 200 ]
check "SetSystemDateAndTime accepted"
soap_call "$U" '<tds:GetSystemDateAndTime/>' >/dev/null
grep -q '<tt:Year>2030</tt:Year>' "$TMPD/resp" && grep -q '<tt:TZ>UTC0</tt:TZ>' "$TMPD/resp" &&
    grep -q '<tt:DateTimeType>Manual</tt:DateTimeType>' "$TMPD/resp"
check "the camera clock now reads 2030, Manual, UTC0"
code=$(soap_call "$U" '<tds:SetSystemDateAndTime><tds:DateTimeType>Manual</tds:DateTimeType><tds:DaylightSavings>false</tds:DaylightSavings><tds:UTCDateTime><tt:Time><tt:Hour>25</tt:Hour><tt:Minute>0</tt:Minute><tt:Second>0</tt:Second></tt:Time><tt:Date><tt:Year>2030</tt:Year><tt:Month>6</tt:Month><tt:Day>1</tt:Day></tt:Date></tds:UTCDateTime></tds:SetSystemDateAndTime>' "$(wsse_for 2)")
[ "$code" = 400 ] && grep -q 'ter:InvalidDateTime' "$TMPD/resp"
check "hour 25: ter:InvalidDateTime"

# hostname, DNS, NTP, gateway round trips
soap_call "$U" '<tds:SetHostname><tds:Name>gate-cam</tds:Name></tds:SetHostname>' "$(wsse_for 2)" >/dev/null
soap_call "$U" '<tds:GetHostname/>' >/dev/null
grep -q '<tt:Name>gate-cam</tt:Name>' "$TMPD/resp"
check "SetHostname / GetHostname"
soap_call "$U" '<tds:SetDNS><tds:FromDHCP>false</tds:FromDHCP><tds:DNSManual><tt:Type>IPv4</tt:Type><tt:IPv4Address>127.0.0.2</tt:IPv4Address></tds:DNSManual></tds:SetDNS>' "$(wsse_for 2)" >/dev/null
soap_call "$U" '<tds:GetDNS/>' "$(wsse_for 2)" >/dev/null
grep -q '<tt:IPv4Address>127.0.0.2</tt:IPv4Address>' "$TMPD/resp"
check "SetDNS / GetDNS"
soap_call "$U" '<tds:SetNTP><tds:FromDHCP>false</tds:FromDHCP><tds:NTPManual><tt:Type>DNS</tt:Type><tt:DNSname>pool.ntp.example</tt:DNSname></tds:NTPManual></tds:SetNTP>' "$(wsse_for 2)" >/dev/null
soap_call "$U" '<tds:GetNTP/>' "$(wsse_for 2)" >/dev/null
grep -q '<tt:DNSname>pool.ntp.example</tt:DNSname>' "$TMPD/resp"
check "SetNTP / GetNTP"
soap_call "$U" '<tds:SetNetworkDefaultGateway><tds:IPv4Address>'"$SIM_NET"'.254</tds:IPv4Address></tds:SetNetworkDefaultGateway>' "$(wsse_for 2)" >/dev/null
soap_call "$U" '<tds:GetNetworkDefaultGateway/>' "$(wsse_for 2)" >/dev/null
grep -q "$SIM_NET.254" "$TMPD/resp"
check "SetNetworkDefaultGateway / Get"
soap_call "$U" '<tds:GetNetworkProtocols/>' "$(wsse_for 2)" >/dev/null
grep -q '<tt:Name>RTSP</tt:Name>' "$TMPD/resp" && grep -q '<tt:Port>'"$((SIM_PORT + 1))"'</tt:Port>' "$TMPD/resp"
check "GetNetworkProtocols lists RTSP on its port"
done_testing
