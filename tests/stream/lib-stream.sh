# tests/stream/lib-stream.sh - media for the stream tests (sourced after
# tests/lib.sh).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Streams are made with the ffmpeg CLI in the test (no binaries in git):
# testsrc2 video, fixed GOPs (no scene-cut keyframes, no B-frames, as
# cameras send), optional sine audio.

command -v ffmpeg > /dev/null || skip "ffmpeg is not installed (apt-get install ffmpeg)"
command -v ffprobe > /dev/null || skip "ffprobe is not installed (apt-get install ffmpeg)"

# gen FILE CODEC WxH FPS GOP SECONDS [AUDIO-CODEC]: make $TMPD/FILE.
gen() {
	f=$1 codec=$2 size=$3 fps=$4 gop=$5 secs=$6 acodec=${7:-}
	case $codec in
	h264) venc="-c:v libx264 -preset veryfast -profile:v high -bf 0 -g $gop -keyint_min $gop -sc_threshold 0 -b:v 600k" ;;
	h264-baseline) venc="-c:v libx264 -preset veryfast -profile:v baseline -g $gop -keyint_min $gop -sc_threshold 0 -b:v 600k" ;;
	h265) venc="-c:v libx265 -preset veryfast -b:v 300k -x265-params log-level=error:keyint=$gop:min-keyint=$gop:scenecut=0:bframes=0" ;;
	mpeg4) venc="-c:v mpeg4 -g $gop -b:v 400k" ;;
	none) venc="" ;;
	esac
	if [ "$codec" = none ]; then
		vin=""
	else
		vin="-f lavfi -i testsrc2=size=$size:rate=$fps"
	fi
	if [ -n "$acodec" ]; then
		ain="-f lavfi -i sine=frequency=440:sample_rate=8000"
		aenc="-c:a $acodec -ar 8000 -ac 1"
	else
		ain="" aenc=""
	fi
	# shellcheck disable=SC2086
	ffmpeg -nostdin -v error -y $vin $ain -t "$secs" $venc $aenc \
	    "$TMPD/$f" || { echo "# ffmpeg could not make $f"; return 1; }
}

# json_num FILE KEY: the first number after "KEY": in a JSON report.
json_num() {
	sed -n "s/.*\"$2\": \\([-0-9.]*\\).*/\\1/p" "$1" | head -1
}

# near A B TOL: |A - B| <= TOL (decimals allowed).
near() {
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= t) }'
}
