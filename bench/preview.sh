#!/bin/bash
# bench/preview.sh - the live preview's cost beside ffmpeg's, in one run.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench/preview.sh [URL] [SECONDS]   (run from a build directory)
#
# Without URL it makes a 1080p15 H.264 file (GOP 30, 4 Mbit/s: a typical
# camera main stream) and paces the anchors to real time (-re), as the
# preview paces itself.  It measures, in the same run:
#   - time to first picture: `vigia preview` (its own clock, from start)
#     against the wall time of `ffmpeg -i URL -frames:v 1 -f null -`;
#   - CPU (user+sys) over SECONDS of live preview in a tmux terminal at
#     200x60 against `ffmpeg -i URL -f null -` (a full decode, what an
#     ffplay-style player does before display) for the same time;
#   - pictures drawn per second (the bar: >= 5 from 1080p15 on <= 1 core);
# and prints the ratios.  Not a test: numbers depend on the machine.
set -u
top_builddir=${top_builddir:-$(pwd)}
VIGIA=${VIGIA:-$top_builddir/cli/vigia}
URL=${1:-}
SECS=${2:-20}
for t in ffmpeg tmux; do
	command -v $t > /dev/null || { echo "bench: $t is not installed"; exit 2; }
done
[ -x "$VIGIA" ] || { echo "bench: $VIGIA not built"; exit 2; }
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/vigia-bench.XXXXXX")
SOCK=$TMPD/tmux.sock
trap 'tmux -S "$SOCK" kill-server 2>/dev/null; rm -rf "$TMPD"' EXIT

RE=
if [ -z "$URL" ]; then
	echo "making a 1080p15 H.264 stream ($((SECS + 10)) s)..."
	ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=1920x1080:rate=15 \
	    -t $((SECS + 10)) -c:v libx264 -preset veryfast -profile:v high \
	    -bf 0 -g 30 -sc_threshold 0 -b:v 4M -maxrate 4M -bufsize 4M \
	    "$TMPD/cam.mp4" || exit 1
	URL=$TMPD/cam.mp4
	RE=-re
fi
echo "stream: $(echo "$URL" | sed 's|://\([^:/@]*\):[^@]*@|://\1:***@|')"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

TIMEFORMAT='%U %S %R'
# cpu CMD...: "user+sys wall" of a command (its own output discarded).
cpu() {
	{ time "$@" > /dev/null 2>&1; } 2> "$TMPD/time"
	awk '{ printf "%.3f %.3f\n", $1 + $2, $3 }' "$TMPD/time"
}

# 1. time to first picture
set -- $(cpu ffmpeg -nostdin -v error -i "$URL" -frames:v 1 -f null -)
ff_first_ms=$(awk -v w="$2" 'BEGIN { printf "%d", w * 1000 }')

# 2. the live preview in a 200x60 terminal, timed by bash in the pane
tmux -S "$SOCK" -f /dev/null new-session -d -s b -x 200 -y 60 \
    "TIMEFORMAT='%U %S %R'; { time env TERM=xterm-256color LC_ALL=C.UTF-8 '$VIGIA' preview --seconds $SECS '$URL' 2>/dev/null; } 2> '$TMPD/pv.time'; echo DONE; sleep 60"
i=0
while ! tmux -S "$SOCK" capture-pane -p -t b | grep -q '^DONE'; do
	sleep 0.5
	i=$((i + 1))
	[ $i -gt $((SECS * 2 + 60)) ] && { echo "bench: the preview did not end"; exit 1; }
done
tmux -S "$SOCK" capture-pane -p -t b > "$TMPD/pv.out"
pv_cpu=$(awk '{ printf "%.3f", $1 + $2 }' "$TMPD/pv.time")
pv_wall=$(awk '{ print $3 }' "$TMPD/pv.time")
pv_pics=$(sed -n 's/^\([0-9]*\) pictures in.*/\1/p' "$TMPD/pv.out")
pv_first=$(sed -n 's/^First picture after \([0-9]*\) ms.*/\1/p' "$TMPD/pv.out")

# 3. a full decode for as long
set -- $(cpu ffmpeg -nostdin -v error $RE -i "$URL" -t "$SECS" -f null -)
ff_cpu=$1 ff_wall=$2

awk -v pc="$pv_cpu" -v pw="$pv_wall" -v pp="${pv_pics:-0}" -v pf="${pv_first:--1}" \
    -v fc="$ff_cpu" -v fw="$ff_wall" -v f1="$ff_first_ms" 'BEGIN {
	printf "\n%-44s %10s %10s %8s\n", "", "vigia", "ffmpeg", "ratio"
	printf "%-44s %10d %10d %8.2f\n", "time to first picture (ms)", pf, f1, pf / f1
	printf "%-44s %10.1f %10.1f %8.2f\n", "CPU, % of one core (preview vs full decode)", 100 * pc / pw, 100 * fc / fw, (pc / pw) / (fc / fw)
	printf "%-44s %10.1f %10s\n", "pictures drawn a second", pp / pw, "-"
	printf "\nbar: >= 5 pictures/s at <= 100%% of one core: %s\n", (pp / pw >= 5 && 100 * pc / pw <= 100) ? "met" : "NOT met"
}'
