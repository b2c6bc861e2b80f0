#!/bin/sh
# tests/sim/test-sim-rtsp.sh - ffprobe opens every RTSP URL (digest
# credentials) and sees the configured codec, size and frame rate; curl
# --digest fetches the snapshot JPEG; a new encoder configuration set over
# ONVIF changes the stream actually served; RTSP stall and kill faults.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
command -v ffprobe >/dev/null 2>&1 || skip "ffprobe missing"

sim_start --cameras 3 --no-discovery
check "vigia-sim started"

# probe URL: "codec width height fps" of the first video stream
probe() {
	timeout 30 ffprobe -v error -rtsp_transport tcp -timeout 10000000 \
	    -select_streams v:0 -show_entries \
	    stream=codec_name,width,height,r_frame_rate -of csv=p=0 "$1" \
	    2>"$TMPD/probe.err" | head -1 | tr ',' ' '
}
with_creds() {
	u=$(cam_json $1 '.users[0].name')
	if [ "$u" = null ]; then
		cam_json $1 ".streams[$2].uri"
	else
		cam_json $1 ".streams[$2].uri" |
		    sed "s|rtsp://|rtsp://$u:$(cam_json $1 '.users[0].password')@|"
	fi
}
expect() {
	codec=$(cam_json $1 ".streams[$2].codec" | sed 's/h265/hevc/')
	echo "$codec $(cam_json $1 ".streams[$2].width") $(cam_json $1 ".streams[$2].height") $(cam_json $1 ".streams[$2].fps")/1"
}

for c in 0 1 2; do
	for s in 0 1; do
		got=$(probe "$(with_creds $c $s)")
		want=$(expect $c $s)
		[ "$got" = "$want" ]
		check "camera $c stream $s: ffprobe sees '$want'" ||
		    { echo "# got '$got'"; cat "$TMPD/probe.err"; }
	done
done

# credentials are required once a camera has users
got=$(probe "$(cam_json 2 '.streams[0].uri' | sed 's|rtsp://|rtsp://admin:wrong@|')")
[ -z "$got" ]
check "RTSP with a wrong password is refused"

# snapshots: HTTP digest
snap=$(cam_json 2 .snapshot_uri)
code=$(curl -s -m 15 --digest -u "admin:$(cam_json 2 '.users[0].password')" \
    -o "$TMPD/snap.jpg" -w '%{http_code}' "$snap")
[ "$code" = 200 ] && [ "$(head -c 2 "$TMPD/snap.jpg" | od -An -tx1 | tr -d ' ')" = ffd8 ]
check "curl --digest fetches a JPEG snapshot"
code=$(curl -s -m 15 --digest -u admin:wrong -o /dev/null -w '%{http_code}' "$snap")
[ "$code" = 401 ]
check "snapshot with a wrong password: 401"

# Media2 SetVideoEncoderConfiguration on the Dahua-like camera (HTTP
# digest on SOAP): H.265 1280x720 at 10 fps is what RTSP then serves
url=$(dev_url 1)
code=$(soap_call "$url" '<tr2:SetVideoEncoderConfiguration><tr2:Configuration token="VideoEncoderToken00000"><tt:Encoding>H265</tt:Encoding><tt:Resolution><tt:Width>1280</tt:Width><tt:Height>720</tt:Height></tt:Resolution><tt:RateControl><tt:FrameRateLimit>10</tt:FrameRateLimit><tt:BitrateLimit>1024</tt:BitrateLimit></tt:RateControl><tt:Quality>50</tt:Quality><tt:GovLength>20</tt:GovLength><tt:Profile>Main</tt:Profile></tr2:Configuration></tr2:SetVideoEncoderConfiguration>' '' --digest -u admin:admin)
[ "$code" = 200 ]
check "Media2 SetVideoEncoderConfiguration accepted" || cat "$TMPD/resp"
got=$(probe "$(with_creds 1 0)")
[ "$got" = "hevc 1280 720 10/1" ]
check "the served stream changed to H.265 1280x720 10 fps" || echo "# got '$got'"

# RTSP faults
sim_ctl fault 2 rtsp-stall >/dev/null
check "fault rtsp-stall"
start=$(date +%s)
timeout 40 ffmpeg -v error -rtsp_transport tcp -timeout 3000000 \
    -i "$(with_creds 2 1)" -t 8 -f null - >/dev/null 2>&1
st=$?
[ $st -ne 0 ] && [ $st -ne 124 ]
check "a stalled stream makes the client's read deadline fire (no hang)"
sim_ctl fault 2 clear >/dev/null
sim_ctl fault 2 rtsp-kill >/dev/null
check "fault rtsp-kill"
timeout 40 ffmpeg -v error -rtsp_transport tcp -timeout 3000000 \
    -i "$(with_creds 2 1)" -t 8 -f null - >/dev/null 2>"$TMPD/kill.err"
st=$?
[ $st -ne 124 ]
check "a killed stream ends the client's read, no hang"
sim_ctl fault 2 clear >/dev/null
got=$(probe "$(with_creds 2 1)")
[ "$got" = "$(expect 2 1)" ]
check "after fault clear the stream plays again"
done_testing
