#!/bin/sh
# tests/sim/test-sim-media.sh - what each model advertises and accepts:
# GetServices/GetCapabilities (Media2 only where the model has it),
# profiles, video sources, encoder options per model, Set validated
# against those options (ter:InvalidArgVal), Media2 configurations.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"

sim_start --cameras 4 --no-discovery
check "vigia-sim started"
H=$(dev_url 3)		# HIKVISION-like, admin/12345
G=$(dev_url 2)		# generic Profile S

soap_call "$H" '<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>' >/dev/null
grep -q '<tds:Namespace>http://www.onvif.org/ver20/media/wsdl' "$TMPD/resp"
check "Hikvision-like GetServices lists Media2"
soap_call "$G" '<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>' >/dev/null
! grep -q '<tds:Namespace>http://www.onvif.org/ver20/media' "$TMPD/resp" && grep -q '<tds:Namespace>http://www.onvif.org/ver10/media/wsdl' "$TMPD/resp"
check "generic GetServices: Media ver10 only"
soap_call "$G" '<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>' >/dev/null
grep -q '<tt:WSPullPointSupport>true</tt:WSPullPointSupport>' "$TMPD/resp" &&
    grep -q '<tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP>' "$TMPD/resp"
check "GetCapabilities: events pull point and RTSP over TCP"
code=$(soap_call "$G" '<tds:GetCapabilities><tds:Category>PTZ</tds:Category></tds:GetCapabilities>')
[ "$code" = 500 ] && grep -q 'ter:NoSuchService' "$TMPD/resp"
check "GetCapabilities PTZ: env:Receiver ter:ActionNotSupported/NoSuchService"
code=$(soap_call "$G" '<tr2:GetProfiles/>' "$(wsse_for 2)")
[ "$code" = 500 ] && grep -q 'ter:ActionNotSupported' "$TMPD/resp"
check "generic: Media2 operations are not supported"

code=$(soap_call "$H" '<trt:GetProfiles/>' "$(wsse_for 3)")
[ "$code" = 200 ] && [ "$(grep -o '<trt:Profiles ' "$TMPD/resp" | wc -l)" = 2 ]
check "two profiles (main and sub)"
soap_call "$H" '<trt:GetVideoSources/>' "$(wsse_for 3)" >/dev/null
grep -q '<tt:Width>2688</tt:Width>' "$TMPD/resp"
check "video source at the sensor's 2688 width"
soap_call "$H" '<trt:GetVideoEncoderConfigurationOptions><trt:ConfigurationToken>VideoEncoderToken_1</trt:ConfigurationToken></trt:GetVideoEncoderConfigurationOptions>' "$(wsse_for 3)" >/dev/null
grep -q '<tt:Width>2560</tt:Width>' "$TMPD/resp" && tr -d '\n' <"$TMPD/resp" | grep -q '<tt:GovLengthRange><tt:Min>1</tt:Min><tt:Max>400</tt:Max>'
check "Hikvision-like main stream options: 2560x1440, GOP up to 400"
soap_call "$G" '<trt:GetVideoEncoderConfigurationOptions><trt:ProfileToken>001</trt:ProfileToken></trt:GetVideoEncoderConfigurationOptions>' "$(wsse_for 2)" >/dev/null
! grep -q '<tt:Width>1920</tt:Width>' "$TMPD/resp" && grep -q '<tt:Width>320</tt:Width>' "$TMPD/resp"
check "generic sub stream options are the sub stream's"

set_venc() {	# URL HEADER TOKEN W H FPS BITRATE GOP
	soap_call "$1" "<trt:SetVideoEncoderConfiguration><trt:Configuration token=\"$3\"><tt:Name>$3</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>$4</tt:Width><tt:Height>$5</tt:Height></tt:Resolution><tt:Quality>50</tt:Quality><tt:RateControl><tt:FrameRateLimit>$6</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>$7</tt:BitrateLimit></tt:RateControl><tt:H264><tt:GovLength>$8</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264></trt:Configuration><trt:ForcePersistence>true</trt:ForcePersistence></trt:SetVideoEncoderConfiguration>" "$2"
}
code=$(set_venc "$G" "$(wsse_for 2)" 000 1000 700 15 2048 30)
[ "$code" = 400 ] && grep -q 'ter:InvalidArgVal' "$TMPD/resp" && grep -q 'ter:ConfigModify' "$TMPD/resp"
check "unsupported resolution: ter:InvalidArgVal/ConfigModify"
code=$(set_venc "$G" "$(wsse_for 2)" 000 1280 720 60 2048 30)
[ "$code" = 400 ] && grep -q 'Frame rate' "$TMPD/resp"
check "60 fps on a 30 fps model: refused"
code=$(set_venc "$G" "$(wsse_for 2)" 000 1280 720 15 2048 500)
[ "$code" = 400 ] && grep -q 'GOP' "$TMPD/resp"
check "GOP 500 on a 120-max model: refused"
code=$(set_venc "$G" "$(wsse_for 2)" nope 1280 720 15 2048 30)
[ "$code" = 400 ] && grep -q 'ter:NoConfig' "$TMPD/resp"
check "unknown token: ter:NoConfig"
code=$(set_venc "$G" "$(wsse_for 2)" 000 640 480 12 1500 24)
[ "$code" = 200 ]
check "a valid configuration is accepted"
soap_call "$G" '<trt:GetVideoEncoderConfigurations/>' "$(wsse_for 2)" >/dev/null
grep -q '<tt:Width>640</tt:Width>' "$TMPD/resp" && grep -q '<tt:FrameRateLimit>12</tt:FrameRateLimit>' "$TMPD/resp" &&
    grep -q '<tt:GovLength>24</tt:GovLength>' "$TMPD/resp"
check "and read back"
[ "$(cam_json 2 '.streams[0].fps')" = 12 ] && [ "$(cam_json 2 '.streams[0].gop')" = 24 ]
check "and handed to the media side"

# Media2 on the Hikvision-like model
code=$(soap_call "$H" '<tr2:GetProfiles><tr2:Type>All</tr2:Type></tr2:GetProfiles>' "$(wsse_for 3)")
[ "$code" = 200 ] && grep -q '<tt:Encoding>H265</tt:Encoding>' "$TMPD/resp"
check "Media2 GetProfiles shows the H.265 main stream"
soap_call "$H" '<tr2:GetProfiles/>' "$(wsse_for 3)" >/dev/null
! grep -q 'tr2:Configurations><tt' "$TMPD/resp" && ! grep -q 'VideoEncoder' "$TMPD/resp"
check "Media2 GetProfiles without Type: no configurations"
soap_call "$H" '<tr2:GetVideoEncoderConfigurationOptions><tr2:ConfigurationToken>VideoEncoderToken_1</tr2:ConfigurationToken></tr2:GetVideoEncoderConfigurationOptions>' "$(wsse_for 3)" >/dev/null
grep -q '<tr2:Options><tt:Encoding>H264' "$TMPD/resp" || grep -q '<tt:Encoding>H264</tt:Encoding>' "$TMPD/resp"
check "Media2 options list H.264"
grep -q '<tt:Encoding>H265</tt:Encoding>' "$TMPD/resp"
check "Media2 options list H.265"
code=$(soap_call "$H" '<tr2:GetStreamUri><tr2:Protocol>RtspUnicast</tr2:Protocol><tr2:ProfileToken>Profile_2</tr2:ProfileToken></tr2:GetStreamUri>' "$(wsse_for 3)")
[ "$code" = 200 ] && grep -q "<tr2:Uri>$(cam_json 3 '.streams[1].uri')</tr2:Uri>" "$TMPD/resp"
check "Media2 GetStreamUri"
code=$(soap_call "$H" '<tr2:GetSnapshotUri><tr2:ProfileToken>Profile_1</tr2:ProfileToken></tr2:GetSnapshotUri>' "$(wsse_for 3)")
[ "$code" = 200 ] && grep -q "$(cam_json 3 .snapshot_uri)" "$TMPD/resp"
check "Media2 GetSnapshotUri"
done_testing
