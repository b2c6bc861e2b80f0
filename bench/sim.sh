#!/bin/sh
# bench/sim.sh - what a whole vigia-sim site costs: 8, 32 and 64 cameras.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: bench/sim.sh [BUILDDIR [SECONDS]]
#
# Starts vigia-sim (ONVIF servers, WS-Discovery off, RTSP and snapshot
# servers, default site mix) with 8, 32 and 64 cameras and prints its CPU
# (% of one core over SECONDS) and RSS: idle, while every camera answers
# GetDeviceInformation once a second (ONVIF load), and with 8 RTSP clients
# reading main streams (`ffmpeg -c copy`, their own CPU not counted).
# The machine's 2 cores are shared with the clients: compare runs, not
# absolute figures.  Stops only the processes it started, by PID.

set -u
builddir=${1:-build}
secs=${2:-10}
sim=$builddir/tests/sim/vigia-sim
top=$(cd "$(dirname "$0")/.." && pwd)
hz=$(getconf CLK_TCK)
base=127.0.80
port=29080

[ -x "$sim" ] || { echo "error: $sim is not built" >&2; exit 1; }
for t in ffmpeg curl jq; do
	command -v $t > /dev/null || { echo "error: $t is not installed" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigia-bench.XXXXXX")
server=
clients=

# cleanup: stop what we started.
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

# measure N LABEL: CPU % of one core over $secs, RSS, threads.
measure() {
	a=$(ticks "$server")
	sleep "$secs"
	b=$(ticks "$server")
	printf '%-5s %-28s %6s %%  %7s MiB  %5s threads\n' "$1" "$2" \
	    "$(echo "$a $b $hz $secs" | awk '{ printf "%.2f", ($2 - $1) * 100 / $3 / $4 }')" \
	    "$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$server/status")" \
	    "$(awk '/^Threads/ { print $2 }' "/proc/$server/status")"
}

# stop_clients: end the load of the previous measurement.
stop_clients() {
	for p in $clients; do kill "$p" 2> /dev/null; done
	wait $clients 2> /dev/null
	clients=
}

printf '%-5s %-28s %8s  %11s  %s\n' cams load CPU RSS ""
for n in 8 32 64; do
	rm -rf "$tmp/state"
	"$sim" --cameras "$n" --base "$base.1" --onvif-port "$port" \
	    --rtsp-port $((port + 1)) --http-port $((port + 2)) \
	    --https-port $((port + 3)) --no-discovery --state "$tmp/state" \
	    --cache "$builddir/tests/sim/cache" --control "$tmp/ctl" \
	    > "$tmp/out" 2> "$tmp/err" &
	server=$!
	i=0
	until grep -q '^vigia-sim: ready' "$tmp/out" 2> /dev/null; do
		i=$((i + 1))
		if [ $i -gt 1200 ] || ! kill -0 "$server" 2> /dev/null; then
			echo "error: vigia-sim did not start:" >&2
			cat "$tmp/err" >&2
			exit 1
		fi
		sleep 0.1
	done
	"$sim" --control "$tmp/ctl" --send status > "$tmp/status"
	sleep 2
	measure "$n" "idle"

	# ONVIF: one unauthenticated GetSystemDateAndTime per camera and
	# second (what a monitoring tool does)
	body='<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>'
	for url in $(jq -r '.cameras[].onvif_url' "$tmp/status"); do
		( while :; do
			curl -s -m 2 -o /dev/null -H 'Content-Type: application/soap+xml' \
			    -d "$body" "$url"
			sleep 1
		done ) &
		clients="$clients $!"
	done
	measure "$n" "$n ONVIF requests/s"
	stop_clients

	for url in $(jq -r '.cameras[:8][] | . as $c | .streams[0].uri |
	    if ($c.users | length) > 0 then sub("^rtsp://"; "rtsp://" +
	    $c.users[0].name + ":" + $c.users[0].password + "@") else . end' \
	    "$tmp/status"); do
		ffmpeg -nostdin -loglevel quiet -rtsp_transport tcp -i "$url" \
		    -c copy -f null - &
		clients="$clients $!"
	done
	measure "$n" "8 RTSP clients (main streams)"
	stop_clients
	kill "$server"
	wait "$server" 2> /dev/null
	server=
done
