#!/bin/sh
# test-welcome.sh - the wizard's first screen in a real terminal (tmux).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Draws in English and Spanish at 80x24 and 200x60, follows a resize, toggles
# help with F1, quits on q; SIGTERM in the middle also gives the terminal
# back sane (echo and canonical mode on, alternate screen off).
. "${top_srcdir:-.}/tests/lib.sh"

command -v tmux > /dev/null || skip "tmux is not installed"
# one tmux server per start, so that a server still exiting never races
# the next one
N_START=0
SOCK="$TMPD/tmux.0.sock"
tm() { tmux -S "$SOCK" "$@"; }
trap 'for s in "$TMPD"/tmux.*.sock; do tmux -S "$s" kill-server 2>/dev/null; done; rm -rf "$TMPD"' EXIT

# wait_for PATTERN: poll the pane (up to 10 s) until PATTERN shows.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		tm capture-pane -p -t w > "$TMPD/screen" 2>/dev/null
		grep -qE -- "$1" "$TMPD/screen" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# screen never showed /$1/:"
	sed 's/^/#   |/' "$TMPD/screen"
	return 1
}

# start W H ENV...: run vigia in a fresh session; after it exits, record
# the terminal modes so that we can see what it left behind.
start() {
	w=$1 h=$2
	shift 2
	tm kill-server 2>/dev/null
	N_START=$((N_START + 1))
	SOCK="$TMPD/tmux.$N_START.sock"
	tm -f /dev/null new-session -d -s w -x "$w" -y "$h" \
	    "env $* TERM=xterm-256color '$VIGIA'; echo EXIT=\$?; stty -a > '$TMPD/stty'; sleep 60"
}

start 80 24 LC_ALL=C.UTF-8
wait_for 'vigia - IP camera commissioning'
check "the first screen draws at 80x24"
contains "$TMPD/screen" '1\. Find the cameras' "it lists the steps of the job"
contains "$TMPD/screen" 'F1 Help' "it shows the key bar"
tm send-keys -t w F1
wait_for 'nothing is changed'
check "F1 shows help"
tm send-keys -t w F1
wait_for '1\. Find the cameras'
check "F1 again goes back to the steps"
tm resize-window -t w -x 200 -y 60 2>/dev/null || tm resize-pane -t w -x 200 -y 60
wait_for '6\. Write the configuration'
check "it redraws after a resize to 200x60"
tm send-keys -t w q
wait_for '^EXIT=0'
check "q quits with status 0"
sleep 0.2
grep -qE '(^| )echo( |$)' "$TMPD/stty" && grep -qE '(^| )icanon( |$)' "$TMPD/stty"
check "the terminal is left in canonical mode with echo"
test "$(tm display -p -t w '#{alternate_on}')" = 0
check "the alternate screen is off after quitting"

if loc=$(locale -a 2>/dev/null | grep -iE '^es_[A-Z]+\.utf-?8$' | head -1) && [ -n "$loc" ]; then
	mkdir -p "$TMPD/locale/es/LC_MESSAGES"
	msgfmt -o "$TMPD/locale/es/LC_MESSAGES/vigia.mo" "$top_srcdir/po/es.po"
	start 200 60 LC_ALL=$loc VIGIA_LOCALEDIR="$TMPD/locale"
	wait_for '1\. Buscar las cámaras'
	check "the first screen draws in Spanish at 200x60"
	contains "$TMPD/screen" 'F1 Ayuda' "the key bar is Spanish"
	tm send-keys -t w q
	wait_for '^EXIT=0'
	check "q quits the Spanish screen"
else
	echo "# no Spanish locale: Spanish screen not checked (run-tests generates it)"
fi

# SIGTERM in the middle
start 80 24 LC_ALL=C.UTF-8 NO_COLOR=1
wait_for 'vigia - IP camera commissioning'
# the pane runs sh, whose child is vigia (env execs it)
pid=$(pgrep -P "$(tm display -p -t w '#{pane_pid}')" || true)
test -n "$pid" && kill -TERM "$pid"
check "vigia is running and receives SIGTERM"
wait_for '^EXIT=0'
check "SIGTERM makes vigia leave cleanly"
sleep 0.2
grep -qE '(^| )echo( |$)' "$TMPD/stty" && grep -qE '(^| )icanon( |$)' "$TMPD/stty"
check "after SIGTERM the terminal has echo and canonical mode"
test "$(tm display -p -t w '#{alternate_on}')" = 0
check "after SIGTERM the alternate screen is off"

done_testing
