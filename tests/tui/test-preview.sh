#!/bin/sh
# test-preview.sh - `vigia preview` in a real terminal (tmux): it draws
# half-block cells in colour, shows the overlay, follows a resize, quits on
# q, and leaves the terminal sane (echo and canonical mode on, alternate
# screen off); mono mode draws the character ramp; a dead URL shows the
# classified error instead of hanging.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"

command -v tmux > /dev/null || skip "tmux is not installed"
. "$top_srcdir/tests/stream/lib-stream.sh"
N_START=0
SOCK="$TMPD/tmux.0.sock"
tm() { tmux -S "$SOCK" "$@"; }
vg_at_exit 'for s in "$TMPD"/tmux.*.sock; do tmux -S "$s" kill-server 2>/dev/null; done'

# wait_for PATTERN [FLAGS]: poll the pane (up to 10 s) until PATTERN shows.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		tm capture-pane -p $2 -t w > "$TMPD/screen" 2>/dev/null
		grep -qE -- "$1" "$TMPD/screen" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# screen never showed /$1/:"
	sed 's/^/#   |/' "$TMPD/screen" | cut -c1-120
	return 1
}

# start W H TERM ARGS...: run vigia preview in a fresh tmux server.
start() {
	w=$1 h=$2 term=$3
	shift 3
	tm kill-server 2>/dev/null
	N_START=$((N_START + 1))
	SOCK="$TMPD/tmux.$N_START.sock"
	tm -f /dev/null new-session -d -s w -x "$w" -y "$h" \
	    "env LC_ALL=C.UTF-8 TERM=$term '$VIGIA' preview $*; echo EXIT=\$?; stty -a > '$TMPD/stty'; sleep 60"
}

# sane: the terminal modes vigia left behind
sane() {
	sleep 0.2
	grep -qE '(^| )echo( |$)' "$TMPD/stty" && grep -qE '(^| )icanon( |$)' "$TMPD/stty"
	check "$1: the terminal is left in canonical mode with echo"
	test "$(tm display -p -t w '#{alternate_on}')" = 0
	check "$1: the alternate screen is off"
}

gen bars.mp4 h264 640x360 15 15 60
check "ffmpeg made a 60 s stream"

"$VIGIA" preview "$TMPD/bars.mp4" < /dev/null > "$TMPD/notty" 2>&1
test $? -eq 2
check "without a terminal: exit 2"
contains "$TMPD/notty" 'needs a terminal' "and it says a terminal is needed"

start 80 24 xterm-256color "'$TMPD/bars.mp4'"
wait_for '▀▀▀▀▀▀▀▀▀▀'
check "it draws half-block cells at 80x24"
contains "$TMPD/screen" '^ h264 640x360 ' "the overlay shows codec and size"
wait_for 'fps .*Mbit/s|fps .*kbit'
check "the overlay shows the frame rate and bit rate"
contains "$TMPD/screen" 'q Quit' "the key bar shows q Quit"
tm capture-pane -p -e -t w > "$TMPD/colour"
grep -q "$(printf '\033')\\[38;5;[0-9]*m" "$TMPD/colour"
check "cells are drawn with xterm-256 colours"
rows=$(grep -c '▀' "$TMPD/screen")
test "$rows" -ge 20
check "the picture fills the rows between the bars ($rows)"
tm resize-window -t w -x 160 -y 50 2>/dev/null || tm resize-pane -t w -x 160 -y 50
i=0
while [ $i -lt 50 ]; do
	tm capture-pane -p -t w > "$TMPD/screen"
	r=$(grep -c '▀' "$TMPD/screen")
	[ "$r" -ge 40 ] && break
	sleep 0.1
	i=$((i + 1))
done
test "$r" -ge 40
check "after a resize to 160x50 the picture grows ($r rows)"
w=$(grep '▀' "$TMPD/screen" | head -1 | sed 's/[^▀]//g' | tr -d '\n' | wc -m)
test "$r" -eq 45 && test "$w" -eq 160
check "and keeps its 16:9 shape: 160x45 cells in 160x48 ($w x $r)"
tm send-keys -t w q
wait_for '^EXIT=0'
check "q quits with status 0"
contains "$TMPD/screen" '^[0-9]+ pictures in [0-9.]+ s' "it prints a summary after the screen closes"
sane "after q"

# truecolor terminal: direct colour
if infocmp xterm-direct > /dev/null 2>&1; then
	start 80 24 xterm-direct "'$TMPD/bars.mp4'"
	wait_for '▀▀▀▀▀▀▀▀▀▀'
	check "xterm-direct: half-block cells"
	tm capture-pane -p -e -t w > "$TMPD/colour"
	grep -q "$(printf '\033')\\[38;2;[0-9]*;[0-9]*;[0-9]*m" "$TMPD/colour"
	check "xterm-direct: cells are drawn in 24-bit colour"
	tm send-keys -t w q
	wait_for '^EXIT=0'
	contains "$TMPD/screen" 'truecolor mode' "xterm-direct: truecolor mode is picked"
else
	echo "# no xterm-direct terminfo: direct colour not checked (install ncurses-term)"
fi

# mono
start 80 24 xterm-256color --mode mono "'$TMPD/bars.mp4'"
wait_for '[@%#*+=:.-]{20}'
check "--mode mono draws the character ramp"
! grep -q '▀' "$TMPD/screen"
check "and no half-blocks"
tm send-keys -t w q
wait_for '^EXIT=0'
check "q quits mono mode"

# a dead camera: the error shows, q still quits, nothing hangs
start 80 24 xterm-256color --timeout 1000 rtsp://127.0.0.1:1/stream
wait_for 'Cannot reach the camera'
check "a refused connection shows the classified error"
tm send-keys -t w q
wait_for '^EXIT=1'
check "q quits with status 1 after a failure"
sane "after a failure"

# SIGTERM in the middle
start 80 24 xterm-256color "'$TMPD/bars.mp4'"
wait_for '▀▀▀▀▀▀▀▀▀▀'
pid=$(pgrep -P "$(tm display -p -t w '#{pane_pid}')" || true)
test -n "$pid" && kill -TERM "$pid"
check "vigia preview receives SIGTERM"
wait_for '^EXIT=0'
check "SIGTERM makes it leave cleanly"
sane "after SIGTERM"

done_testing
