#!/bin/sh
# test-record-change.sh - the camera's encoder is changed while vigiad
# records it (H.264 to H.265 at another size, through ONVIF Media2, as
# --apply or a technician would): the open segment is closed and a new
# one starts in the new format; both are clean.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/record/lib-record.sh"

sim_start --cameras 3 --no-discovery || {
	echo "not ok 1 - vigia-sim started"; exit 1; }
rec_camera 1 cam-c > "$TMPD/c"
rec_config "$TMPD/v.conf" 60 "$TMPD/c"
vigiad_start "$TMPD/v.conf"
check "vigiad starts"
rec() { status_json > "$TMPD/st.json" && jq -e '.cameras[0].state == "recording"' "$TMPD/st.json"; }
wait_for 20 rec
check "the camera records"
before=$(cam_json 1 '.streams[0] | "\(.codec) \(.width)x\(.height)"')
sleep 4
code=$(soap_call "$(dev_url 1)" '<tr2:SetVideoEncoderConfiguration><tr2:Configuration token="VideoEncoderToken00000"><tt:Encoding>H265</tt:Encoding><tt:Resolution><tt:Width>1280</tt:Width><tt:Height>720</tt:Height></tt:Resolution><tt:RateControl><tt:FrameRateLimit>10</tt:FrameRateLimit><tt:BitrateLimit>1024</tt:BitrateLimit></tt:RateControl><tt:Quality>50</tt:Quality><tt:GovLength>20</tt:GovLength><tt:Profile>Main</tt:Profile></tr2:Configuration></tr2:SetVideoEncoderConfiguration>' '' --digest -u admin:admin -m 60)
[ "$code" = 200 ]
check "the encoder is changed from $before to h265 1280x720"
changed() { grep -q 'closed (the video format changed)' "$TMPD/vigiad.log"; }
wait_for 30 changed
check "vigiad closes the segment when the format changes"
wait_for 20 rec
sleep 4
vigiad_stop TERM
[ "$VIGIAD_EXIT" -eq 0 ]
check "SIGTERM: clean stop"
[ "$(segments cam-c | wc -l)" -ge 2 ]
check "two segments (three if a minute boundary fell in between)"
bad=0
for f in $(segments cam-c); do seg_check "$f" >/dev/null || bad=1; done
[ $bad -eq 0 ]
check "both are clean and as long as their sidecars say"
A=$(segments cam-c | head -1 | sed 's/\.mp4$/.json/')
B=$(segments cam-c | tail -1 | sed 's/\.mp4$/.json/')
echo "# before: $(jq -c '.video' "$A"); after: $(jq -c '.video' "$B")"
jq -e '.video.codec == "hevc" and .video.width == 1280 and .video.height == 720' "$B" >/dev/null &&
    ! jq -e '.video.codec == "hevc" and .video.width == 1280' "$A" >/dev/null
check "the new segment is in the new format, the old one in the old"
[ "$(ffprobe -v error -select_streams v -show_entries stream=codec_name,width,height -of csv=p=0 "${B%.json}.mp4")" = "hevc,1280,720" ]
check "ffprobe agrees"

done_testing
