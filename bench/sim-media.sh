#!/bin/sh
# bench/sim-media.sh - CPU and memory of vigia-sim's media side.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: bench/sim-media.sh [BUILDDIR [SECONDS]]
#
# Serves 8, then 32 cameras (main 1080p25 H.264 4 Mbit/s, sub 640x360
# 512 kbit/s; `tests/sim/test-media --serve`, build it with
# `make -C BUILDDIR tests/sim/test-media`) and prints the server's CPU
# (% of one core, averaged over SECONDS) and RSS: idle, with one
# `ffmpeg -rtsp_transport tcp -c copy` client per main stream, and with
# one per main and one per sub stream.  Clients' own CPU is not counted.
# The loops are cached in ${VIGIA_SIM_CACHE:-/tmp/vigia-sim-cache}.

set -u
builddir=${1:-build}
secs=${2:-10}
bin=$builddir/tests/sim/test-media
cache=${VIGIA_SIM_CACHE:-/tmp/vigia-sim-cache}
port=${VIGIA_SIM_PORT:-28554}
hz=$(getconf CLK_TCK)

[ -x "$bin" ] || { echo "error: $bin not built (make -C $builddir tests/sim/test-media)" >&2; exit 1; }
for t in ffmpeg timeout; do
	command -v $t > /dev/null || { echo "error: $t is not installed" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigia-bench.XXXXXX")
server=
clients=

# cleanup: stop the clients and the server we started.
cleanup() {
	for p in $clients; do kill "$p" 2> /dev/null; done
	[ -n "$server" ] && kill "$server" 2> /dev/null
	wait 2> /dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ticks PID: user + system CPU ticks of a process.
ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# measure LABEL: print CPU% over $secs seconds, RSS and threads.
measure() {
	a=$(ticks "$server")
	sleep "$secs"
	b=$(ticks "$server")
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$server/status")
	thr=$(awk '/^Threads/ { print $2 }' "/proc/$server/status")
	printf '%-4s %-26s %6s %% %8s MiB %6s\n' "$n" "$1" \
	    "$(echo "$a $b $hz $secs" | awk '{ printf "%.1f", ($2 - $1) * 100 / $3 / $4 }')" \
	    "$(echo "$rss" | awk '{ printf "%.1f", $1 / 1024 }')" "$thr"
}

# start_clients N CHANNEL: one ffmpeg reading CHANNEL of each camera.
start_clients() {
	i=1
	while [ "$i" -le "$1" ]; do
		timeout -k 2 600 ffmpeg -nostdin -v error -rtsp_transport tcp \
		    -timeout 5000000 \
		    -i "rtsp://127.0.1.$i:$port/Streaming/Channels/$2" \
		    -c copy -f null - > /dev/null 2>&1 &
		clients="$clients $!"
		i=$((i + 1))
	done
}

printf '%-4s %-26s %8s %12s %6s\n' cams load "cpu" "rss" threads
for n in 8 32; do
	"$bin" --serve "$n" "$port" "$cache" > "$tmp/serve.out" 2>&1 &
	server=$!
	i=0
	until grep -q ready "$tmp/serve.out"; do
		i=$((i + 1))
		if [ "$i" -gt 1200 ] || ! kill -0 "$server" 2> /dev/null; then
			cat "$tmp/serve.out" >&2
			exit 1
		fi
		sleep 0.1
	done
	measure "idle"
	start_clients "$n" 101
	sleep 3
	measure "$n main clients"
	start_clients "$n" 102
	sleep 3
	measure "$n main + $n sub clients"
	for p in $clients; do kill "$p" 2> /dev/null; done
	kill "$server"
	wait 2> /dev/null
	clients=
	server=
done
