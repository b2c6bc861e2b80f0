#!/bin/sh
# test-snapshot.sh - `vigia snapshot` writes the first keyframe of a stream
# as PNG or JPEG, with the stream's size and colours.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/stream/lib-stream.sh"

gen h264.mp4 h264 640x360 15 10 2
gen h265.mkv h265 320x240 25 25 2
ffmpeg -nostdin -v error -y -f lavfi -i color=c=red:size=160x120:rate=10 -t 1 \
    -c:v libx264 -pix_fmt yuv420p "$TMPD/red.mp4"
check "ffmpeg made the test streams"

# size WxH of an image, by ffprobe
size() {
	ffprobe -v error -show_entries stream=width,height -of csv=p=0:s=x "$1"
}

"$VIGIA" snapshot "$TMPD/h264.mp4" --png "$TMPD/a.png" > "$TMPD/out" 2>&1
check "a PNG snapshot of an H.264 stream"
contains "$TMPD/out" "640x360 picture from the stream's first keyframe" "it says what it wrote"
test "$(head -c 4 "$TMPD/a.png" | od -An -c | tr -d ' ')" = '211PNG'
check "the file is a PNG"
test "$(size "$TMPD/a.png")" = 640x360
check "the PNG is 640x360"
"$VIGIA" snapshot "$TMPD/h265.mkv" --jpeg "$TMPD/b.jpg" > /dev/null 2>&1
check "a JPEG snapshot of an H.265 stream"
test "$(head -c 2 "$TMPD/b.jpg" | od -An -tx1 | tr -d ' ')" = ffd8
check "the file is a JPEG"
test "$(size "$TMPD/b.jpg")" = 320x240
check "the JPEG is 320x240"
"$VIGIA" snapshot "$TMPD/red.mp4" --png "$TMPD/red.png" > /dev/null 2>&1
px=$(ffmpeg -nostdin -v error -i "$TMPD/red.png" -vf crop=1:1:80:60 -f rawvideo -pix_fmt rgb24 - | od -An -tu1 | tr -s ' ')
set -- $px
test "${1:-0}" -ge 240 && test "${2:-255}" -le 15 && test "${3:-255}" -le 15
check "a red stream gives a red picture ($px)"
ls "$TMPD"/*.tmp.* > /dev/null 2>&1
test $? -ne 0
check "no temporary file is left behind"

"$VIGIA" snapshot "$TMPD/h264.mp4" > /dev/null 2>&1
test $? -eq 2
check "without --png/--jpeg: usage error"
"$VIGIA" snapshot "$TMPD/h264.mp4" --png a --jpeg b > /dev/null 2>&1
test $? -eq 2
check "both --png and --jpeg: usage error"
"$VIGIA" snapshot "$TMPD/h264.mp4" --png "$TMPD/no/such/dir/x.png" > "$TMPD/out" 2>&1
test $? -eq 1
check "an unwritable path fails"
contains "$TMPD/out" 'could not be written' "and says the picture could not be written"

done_testing
