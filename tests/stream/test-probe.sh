#!/bin/sh
# test-probe.sh - `vigia probe` on files made by ffmpeg: the measured
# figures are the truth within tolerance, mismatches and warnings are
# flagged, errors are classified and nothing waits past the deadline.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/stream/lib-stream.sh"

gen h264.mp4 h264 640x360 15 10 6 aac
gen hd.mkv h264-baseline 1280x720 25 50 6
gen h265.mkv h265 320x240 25 25 5 pcm_mulaw
gen audio.m4a none - - - 3 aac
gen mpeg4.avi mpeg4 320x240 25 25 3
check "ffmpeg made the test streams"

# H.264 640x360 15 fps, GOP 10, AAC
"$VIGIA" probe "$TMPD/h264.mp4" --seconds 4 --json > "$TMPD/p1.json" 2> "$TMPD/p1.err"
check "probe of an H.264 file succeeds"
! grep -q 'was not used' "$TMPD/p1.err"
check "FFmpeg used every option it was given"
contains "$TMPD/p1.json" '"codec": "h264"' "codec h264"
contains "$TMPD/p1.json" '"profile": "High"' "profile High"
contains "$TMPD/p1.json" '"width": 640,' "width 640"
contains "$TMPD/p1.json" '"height": 360,' "height 360"
near "$(json_num "$TMPD/p1.json" fps)" 15 0.2
check "measured fps is 15 (+-0.2): $(json_num "$TMPD/p1.json" fps)"
contains "$TMPD/p1.json" '"gop": 10,' "GOP 10 from keyframe spacing"
contains "$TMPD/p1.json" '"gop_max": 10,' "every GOP is 10"
truth=$(ffprobe -v error -select_streams v:0 -show_entries stream=bit_rate -of csv=p=0 "$TMPD/h264.mp4")
got=$(json_num "$TMPD/p1.json" bitrate_bps)
near "$got" "$truth" "$((truth / 4))"
check "measured bit rate $got is within 25% of ffprobe's $truth"
near "$(json_num "$TMPD/p1.json" window_s)" 4 0.2
check "the window is the 4 s asked"
contains "$TMPD/p1.json" '"mp4_ok": true' "AAC goes into MP4"
contains "$TMPD/p1.json" '"browser": "yes"' "H.264 is browser-playable"
contains "$TMPD/p1.json" '"first_picture": [0-9]+' "time to first picture is measured"
contains "$TMPD/p1.json" '"mismatches": \[\]' "no expectation, no mismatch"

# the same as text, with a matching and a mismatching expectation
"$VIGIA" probe "$TMPD/h264.mp4" -s 2 --expect codec=h264,size=640x360,fps=15,gop=10,profile=high > "$TMPD/p2.txt" 2>&1
check "a matching --expect exits 0"
contains "$TMPD/p2.txt" '^Video: +h264 High, level [0-9.]+, 640x360' "text report: video line"
contains "$TMPD/p2.txt" '^GOP: +10 frames \(0\.67 s\)' "text report: GOP in frames and seconds"
! grep -q Mismatch "$TMPD/p2.txt"
check "no mismatch line"
"$VIGIA" probe "$TMPD/h264.mp4" -s 2 --expect codec=h265,size=1920x1080,fps=25,gop=30,bitrate=4000 > "$TMPD/p3.txt" 2>&1
test $? -eq 1
check "a mismatching --expect exits 1"
for f in codec resolution 'frame rate' 'bit rate' 'keyframe interval'; do
	contains "$TMPD/p3.txt" "^Mismatch: +$f.*: set to .*, measured " "mismatch flagged: $f"
done

# 720p25 baseline, GOP 50
"$VIGIA" probe "$TMPD/hd.mkv" --seconds 5 --json > "$TMPD/p4.json" 2>&1
check "probe of a 720p baseline file"
contains "$TMPD/p4.json" '"profile": "(Constrained )?Baseline"' "profile Baseline"
near "$(json_num "$TMPD/p4.json" fps)" 25 0.3
check "measured fps 25"
contains "$TMPD/p4.json" '"gop": 50,' "GOP 50 (2 s)"
contains "$TMPD/p4.json" '"audio": null' "no audio"

# H.265 with G.711 audio
"$VIGIA" probe "$TMPD/h265.mkv" --seconds 3 > "$TMPD/p5.txt" 2>&1
check "probe of an H.265 file"
contains "$TMPD/p5.txt" '^Video: +hevc Main' "codec hevc"
contains "$TMPD/p5.txt" '^GOP: +25 frames' "H.265 GOP 25"
contains "$TMPD/p5.txt" 'pcm_mulaw \(warning: G.711/PCM audio cannot go into MP4' "G.711 audio is flagged"
contains "$TMPD/p5.txt" 'warning: H.265 plays only in some browsers' "H.265 browser warning"

# errors
"$VIGIA" probe "$TMPD/audio.m4a" > "$TMPD/e1.txt" 2>&1
test $? -eq 1
check "audio only: exit 1"
contains "$TMPD/e1.txt" 'no video track' "audio only: 'no video track'"
"$VIGIA" probe "$TMPD/mpeg4.avi" > "$TMPD/e2.txt" 2>&1
test $? -eq 1
check "MPEG-4 part 2: exit 1"
contains "$TMPD/e2.txt" 'not one vigia can use' "MPEG-4 part 2: unsupported codec"
"$VIGIA" probe --json "$TMPD/mpeg4.avi" > "$TMPD/e3.json" 2>/dev/null
contains "$TMPD/e3.json" '"error": "codec"' "the JSON names the error class"
start=$(date +%s)
"$VIGIA" probe rtsp://127.0.0.1:1/stream --timeout 1000 > "$TMPD/e4.txt" 2>&1
test $? -eq 1
check "a closed port: exit 1"
contains "$TMPD/e4.txt" 'Cannot reach the camera' "a closed port: unreachable"
test $(($(date +%s) - start)) -le 3
check "and no waiting"
"$VIGIA" probe -c "$TMPD/none.conf" gate-1 > "$TMPD/e5.txt" 2>&1
test $? -eq 3
check "a CAMERA name without a readable configuration: exit 3"
contains "$TMPD/e5.txt" "'gate-1' is not a URL or a file, and $TMPD/none.conf cannot be read" \
    "a CAMERA name without a configuration says which file"
"$VIGIA" probe "$TMPD/h264.mp4" --seconds 0 > /dev/null 2>&1
test $? -eq 2
check "--seconds 0 is a usage error"
"$VIGIA" probe "$TMPD/h264.mp4" --expect fps=fast > "$TMPD/e6.txt" 2>&1
test $? -eq 2
check "a bad --expect is a usage error"
"$VIGIA" probe --help | grep -q -- '--expect=SPEC'
check "--help documents --expect"

done_testing
