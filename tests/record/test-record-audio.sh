#!/bin/sh
# test-record-audio.sh - audio from simulated cameras: AAC is copied,
# G.711 (PCMU) is transcoded to AAC (recording.audio = "aac", the
# default) or left out with a warning ("drop"); the video is recorded in
# every case, and every segment is clean.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/record/lib-record.sh"

sim_start --cameras 5 --no-discovery \
    --audio 1:pcmu --audio 2:aac --audio 4:pcmu || {
	echo "not ok 1 - vigia-sim started"; exit 1; }
rec_camera 1 cam-g > "$TMPD/g"
rec_camera 2 cam-a > "$TMPD/a"
rec_camera 4 cam-d 'recording = { audio = "drop"; };' > "$TMPD/d"
rec_config "$TMPD/v.conf" 10 "$TMPD/g" "$TMPD/a" "$TMPD/d"
vigiad_start "$TMPD/v.conf"
check "vigiad starts"
done2() {
	for c in cam-g cam-a cam-d; do
		[ "$(segments $c | wc -l)" -ge 2 ] || return 1
	done
}
wait_for 40 done2
check "every camera closed two segments"
vigiad_stop TERM
[ "$VIGIAD_EXIT" -eq 0 ]
check "SIGTERM: clean stop"

# audio CAMERA: "codec,rate,duration" of the audio of its 2nd segment
audio() {
	ffprobe -v error -select_streams a -show_entries \
	    stream=codec_name,sample_rate,duration -of csv=p=0 \
	    "$(segments $1 | sed -n 2p)" 2>&1
}
bad=0
for c in cam-g cam-a cam-d; do
	for f in $(segments $c); do seg_check "$f" >/dev/null || bad=1; done
done
[ $bad -eq 0 ]
check "every segment is clean and as long as its sidecar says"
a=$(audio cam-a)
echo "# cam-a audio: $a"
case $a in aac,16000,*) true ;; *) false ;; esac
check "AAC is copied (16 kHz, as the camera sends it)"
g=$(audio cam-g)
echo "# cam-g audio: $g"
case $g in aac,8000,*) true ;; *) false ;; esac
check "PCMU is transcoded to AAC (8 kHz)"
v=$(jq '.duration_s' "$(segments cam-g | sed -n 2p | sed 's/\.mp4$/.json/')")
awk -v a="${g##*,}" -v v="$v" 'BEGIN { d = a - v; if (d < 0) d = -d; exit !(d < 0.35) }'
check "the transcoded audio lasts as long as the video ($v s)"
[ -z "$(audio cam-d)" ]
check "audio = drop: no audio track"
jq -e '.audio == null and (.audio_note | test("pcm_mulaw"))' \
    "$(segments cam-d | sed -n 2p | sed 's/\.mp4$/.json/')" >/dev/null
check "the sidecar says why there is no audio"
grep -q 'cam-d: pcm_mulaw audio not recorded.*video is recorded' "$TMPD/vigiad.log"
check "and the log warns"
jq -e '.video.codec == "h264" and .frames > 100' \
    "$(segments cam-d | sed -n 2p | sed 's/\.mp4$/.json/')" >/dev/null
check "the video is recorded anyway"

done_testing
