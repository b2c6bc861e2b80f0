#!/bin/sh
# bench/record.sh - recording N cameras: vigia in one process against one
# ffmpeg per camera (how Frigate records), measured in the same run.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: bench/record.sh [BUILDDIR [SECONDS [COUNTS]]]
#        (defaults: build, 30, "8 32 64")
#
# vigia-sim serves 64 cameras, each main stream H.264 1920x1080 15 fps
# 4 Mbit/s (GOP 30), from its own state directory.  For each N in COUNTS,
# one after the other, each recorder records cameras 1..N into files:
#   native  one process, vigia's own RTSP reader (src/record-rtsp.c) into
#           libavformat's mp4 muxer, fMP4 with fragments <= 1 s, one
#           thread reading every camera without blocking each
#           VG_RTSP_BATCH_MS (tests/record/record-bench --reader native
#           --loop)
#   native-t  the same with a thread per camera (blocking reads)
#   lavf    the same process with libavformat's RTSP reader (a thread per
#           camera: its reads block)
#   ffmpeg  one `ffmpeg -rtsp_transport tcp -timeout 10000000 -i URL -c copy
#           -f segment -segment_time 600 -segment_format mp4
#           -reset_timestamps 1` per camera
# After a 5 s warm-up, CPU is utime+stime of the recorder processes only
# (from /proc/PID/stat) over SECONDS, PSS the sum of their
# /proc/PID/smaps_rollup, the mean of a sample every 5 s; both also as a
# ratio to ffmpeg's.
# Then every file is counted with ffprobe: frames recorded, against the
# frames the simulator served in the span of those files (it stamps each
# frame from its count, so a frame lost anywhere shows as a gap in pts).
#
# OURS=vigiad (the default) runs vigiad itself instead of record-bench:
# "native" is vigiad as shipped (one thread reads every camera),
# "native-t" vigiad with VIGIA_RECORD_THREADS=1 (a thread per camera),
# "lavf" vigiad with VIGIA_RTSP_READER=lavf; the segments it wrote are
# counted.  OURS=record-bench measures the bare reader and muxer.
#
# The machine's cores are shared: compare the rows of one run, not runs.
# Stops only the processes it started, by PID.

set -u
OURS=${OURS:-vigiad}	# or: record-bench
RECORDERS=${RECORDERS:-ffmpeg native native-t lavf}
ffcpu=0
ffpss=0
builddir=${1:-build}
secs=${2:-30}
counts=${3:-8 32 64}
top=$(cd "$(dirname "$0")/.." && pwd)
sim=$builddir/tests/sim/vigia-sim
bench=$builddir/tests/record/record-bench
hz=$(getconf CLK_TCK)
base=127.0.93
port=29300
fps=15
max=0
for n in $counts; do [ "$n" -gt "$max" ] && max=$n; done

[ -x "$sim" ] || { echo "error: $sim is not built" >&2; exit 1; }
make -s -C "$builddir" tests/record/record-bench > /dev/null ||
    { echo "error: cannot build $bench" >&2; exit 1; }
for t in ffmpeg ffprobe jq awk; do
	command -v $t > /dev/null || { echo "error: $t is not installed" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigia-bench.XXXXXX")
server=
pids=

# cleanup: stop what we started.
cleanup() {
	for p in $pids; do kill "$p" 2> /dev/null; done
	[ -n "$server" ] && kill "$server" 2> /dev/null
	wait 2> /dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ticks PIDS: user + system CPU ticks of processes, summed.
ticks() {
	for p in "$@"; do cat "/proc/$p/stat" 2> /dev/null; done |
	    awk '{ s += $14 + $15 } END { print s + 0 }'
}

# pss PIDS: summed PSS in KiB.
pss() {
	for p in "$@"; do cat "/proc/$p/smaps_rollup" 2> /dev/null; done |
	    awk '/^Pss:/ { s += $2 } END { print s + 0 }'
}

# count DIR: "frames expected" over every video file in DIR (expected:
# the frames served between each file's first and last pts; the first
# packet's pts is not used, as libavformat's reader gives the first packet
# none and ffmpeg's muxer makes one up, a frame early).
count() {
	find "$1" -name '*.mp4' | while read -r f; do
		ffprobe -v error -select_streams v:0 -show_entries \
		    packet=pts_time -of csv=p=0 "$f" 2> /dev/null |
		    awk 'NF && $1 != "N/A"' | sort -n |
		    awk -v fps=$fps '{ n++; if (n == 2) lo = $1; hi = $1 }
			END { if (n > 1) printf "%d %d\n", n, int((hi - lo) * fps + 0.5) + 2;
			      else printf "%d %d\n", n, n }'
	done | awk '{ a += $1; b += $2 } END { printf "%d %d\n", a, b }'
}

# Camera i's state: model i mod 3, main stream 1080p15 4 Mbit/s H.264.
mkdir -p "$tmp/state"
i=0
while [ $i -lt "$max" ]; do
	case $((i % 3)) in 0) m=hik ;; 1) m=dahua ;; *) m=generic ;; esac
	printf '{"model": "%s", "streams": [{"codec": "h264", "width": 1920, "height": 1080, "fps": %d, "bitrate_kbps": 4096, "gop": 30, "profile": "high"}, {"codec": "h264", "width": 640, "height": 360, "fps": 15, "bitrate_kbps": 512, "gop": 30, "profile": "main"}]}\n' \
	    "$m" "$fps" > "$tmp/state/camera-$(printf %03d $i).json"
	i=$((i + 1))
done
mkdir -p "$builddir/tests/sim/cache"
"$sim" --cameras "$max" --base "$base.1" --onvif-port "$port" \
    --rtsp-port $((port + 1)) --http-port $((port + 2)) \
    --https-port $((port + 3)) --state "$tmp/state" \
    --cache "$builddir/tests/sim/cache" --control "$tmp/ctl" \
    --no-discovery > "$tmp/sim.out" 2> "$tmp/sim.err" &
server=$!
i=0
until grep -q '^vigia-sim: ready' "$tmp/sim.out" 2> /dev/null; do
	i=$((i + 1))
	if [ $i -gt 3000 ] || ! kill -0 $server 2> /dev/null; then
		echo "error: vigia-sim did not start:" >&2
		tail -20 "$tmp/sim.err" >&2
		exit 1
	fi
	sleep 0.1
done
"$sim" --control "$tmp/ctl" --send status > "$tmp/status.json"
i=0
: > "$tmp/cams"
while [ $i -lt "$max" ]; do
	jq -r ".cameras[$i] | [.streams[0].uri, (.users[0].name // \"-\"),
	    (.users[0].password // \"-\")] | join(\" \")" "$tmp/status.json" \
	    >> "$tmp/cams"
	i=$((i + 1))
done

# start_ours READER N DIR: our recorder on the first N cameras; sets pids.
start_ours() {
	head -n "$2" "$tmp/cams" > "$tmp/cams.$2"
	case $OURS in
	record-bench)
		case $1 in
		native) set -- native "$2" "$3" --loop ;;
		native-t) set -- native "$2" "$3" ;;
		*) set -- "$1" "$2" "$3" ;;
		esac
		"$bench" --reader "$1" ${4:-} --out "$3" "$tmp/cams.$2" \
		    > "$3.log" 2>&1 &
		pids=$!
		;;
	vigiad)
		# one camera entry per URL, recorded from recording.url (the
		# key issue #10 adds); `vigiad --check` must accept it
		awk -v dir="$3" 'BEGIN { print "version = 1;\nsite = { id = \"bench\"; timezone = \"UTC\"; };\ndefaults = { credentials = { user = \"bench\"; password = \"bench-anonymous\"; }; };\ncameras = (" }
		    { h = $1; sub(/^rtsp:\/\//, "", h); sub(/[:\/].*/, "", h)
		      c = ($2 == "-") ? "" : sprintf(" credentials = { user = \"%s\"; password = \"%s\"; };", $2, $3)
		      printf "%s{ name = \"cam-%03d\"; match = { address = \"%s\"; };%s recording = { mode = \"continuous\"; segment_s = 600; url = \"%s\"; }; }\n", (NR > 1 ? "," : ""), NR - 1, h, c, $1 }
		    END { printf ");\nstorage = ( { name = \"local\"; type = \"local\"; path = \"%s.archive\"; } );\nnvr = { mode = \"vigiad\"; };\nvigiad = { spool_dir = \"%s\"; storage = \"local\"; status_socket = \"%s/status.sock\"; retention = { min_free_gb = 0.0; min_free_h = 0.0; }; };\n", dir, dir, dir }' \
		    "$tmp/cams.$2" > "$3.conf"
		"$builddir/cli/vigiad" --config "$3.conf" --check > "$3.log" 2>&1 ||
		    { echo "error: vigiad --check:" >&2; cat "$3.log" >&2; return 1; }
		th=0
		[ "$1" = native-t ] && th=1
		VIGIA_RTSP_READER=${1%-t} VIGIA_RECORD_THREADS=$th \
		    "$builddir/cli/vigiad" --config "$3.conf" > "$3.log" 2>&1 &
		pids=$!
		;;
	esac
	[ "$OURS" = vigiad ] && { sleep 5; return 0; }
	i=0
	until grep -q '^recording' "$3.log" 2> /dev/null; do
		i=$((i + 1))
		if [ $i -gt 600 ] || ! kill -0 $pids 2> /dev/null; then
			echo "error: $OURS did not start:" >&2
			tail -5 "$3.log" >&2
			return 1
		fi
		sleep 0.1
	done
}

# start_ffmpeg N DIR: one ffmpeg per camera.
start_ffmpeg() {
	pids=
	j=0
	head -n "$1" "$tmp/cams" | while read -r url u p; do
		[ "$u" = - ] && cred= || cred="$u:$p@"
		echo "rtsp://$cred${url#rtsp://}"
	done > "$tmp/ffurls"
	while read -r url; do
		ffmpeg -nostdin -v error -rtsp_transport tcp -timeout 10000000 \
		    -i "$url" -c copy -f segment -segment_time 600 \
		    -segment_format mp4 -reset_timestamps 1 \
		    "$2/ffmpeg-$(printf %03d $j)-%03d.mp4" \
		    > /dev/null 2>> "$2.log" < /dev/null &
		pids="$pids $!"
		j=$((j + 1))
	done < "$tmp/ffurls"
}

# stop: SIGINT (ffmpeg and record-bench finish their files), wait.
stop() {
	for p in $pids; do kill -INT "$p" 2> /dev/null; done
	for p in $pids; do
		k=0
		while kill -0 "$p" 2> /dev/null && [ $k -lt 150 ]; do
			sleep 0.1
			k=$((k + 1))
		done
		kill -KILL "$p" 2> /dev/null
	done
	wait $pids 2> /dev/null
	pids=
}

printf '%-4s %-8s %8s %9s %9s %9s %14s\n' N reader "cpu %" "cpu x ff" \
    "PSS MiB" "PSS x ff" "frames/served"
for n in $counts; do
	for r in $RECORDERS; do
		d=$tmp/out-$n-$r
		mkdir -p "$d"
		if [ $r = ffmpeg ]; then
			start_ffmpeg "$n" "$d"
		else
			start_ours $r "$n" "$d" || continue
		fi
		sleep 5
		a=$(ticks $pids)
		# PSS: the mean of a sample every 5 s (a recorder's memory
		# breathes with its fragments)
		m=0 k=0 t=0
		while [ $t -lt "$secs" ]; do
			st=$((secs - t < 5 ? secs - t : 5))
			sleep $st
			t=$((t + st))
			m=$((m + $(pss $pids)))
			k=$((k + 1))
		done
		m=$((m / k))
		b=$(ticks $pids)
		stop
		cpu=$(echo "$a $b $hz $secs" | awk '{ printf "%.1f", ($2 - $1) * 100 / $3 / $4 }')
		set -- $(count "$d")
		if [ $r = ffmpeg ]; then
			ffcpu=$cpu
			ffpss=$m
		fi
		printf '%-4s %-8s %8s %9s %9s %9s %14s\n' "$n" "$r" "$cpu" \
		    "$(echo "$cpu $ffcpu" | awk '{ printf "%.2f", ($2 > 0 ? $1 / $2 : 0) }')" \
		    "$(echo "$m" | awk '{ printf "%.1f", $1 / 1024 }')" \
		    "$(echo "$m $ffpss" | awk '{ printf "%.3f", ($2 > 0 ? $1 / $2 : 0) }')" \
		    "$1/$2"
		if [ $r != ffmpeg ]; then
			grep -E '^total|error' "$d.log" | sed 's/^/     # /' | head -5
		fi
		rm -rf "$d" "$d.archive"
	done
done
