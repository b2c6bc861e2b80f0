#!/bin/sh
# test-run-demo.sh - ./run-demo itself on a Spanish terminal.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# What a Spanish-speaking technician meets first: ./run-demo under
# es_ES.UTF-8, with no VIGIA_LOCALEDIR (the programs find the build tree's
# catalogues themselves), opens the wizard in Spanish; the language step's
# choice switches it live; the file the wizard writes lands in the demo's
# temporary directory (as root too, whose default is the system file) and
# the demo checks it.  A second run on a C.UTF-8 terminal starts in English
# and switches to Spanish.  The demo uses this build (VIGIA_BUILDDIR).
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

ES_LOC=$(locale -a 2>/dev/null | grep -iE '^es_[A-Z]+\.utf-?8$' | head -1)
[ -n "$ES_LOC" ] || skip "no Spanish UTF-8 locale (run-tests generates es_ES.UTF-8 with locale-gen)"
[ -x "$top_builddir/tests/sim/vigia-sim" ] || skip "vigia-sim is not built (no GStreamer RTSP server library)"
# the demo's site and the addresses its cameras move to: this run's own
DEMO_NET=$(vg_alloc_net) || bail_out "no free 127.X.Y.0/24 for the demo's site"
DEMO_NEWNET=$(vg_alloc_net) || bail_out "no free 127.X.Y.0/24 for the new addresses"
SYS_CONF=$(sed -n 's/^sysconfdir = //p' "$top_builddir/Makefile" | sed "s|\${prefix}|$(sed -n 's/^prefix = //p' "$top_builddir/Makefile")|")/vigia/vigia.conf
had_sys_conf=no
[ -e "$SYS_CONF" ] && had_sys_conf=yes
mkdir -p "$TMPD/demo-tmp"

# demo W H ENV...: ./run-demo in a fresh tmux session, no VIGIA_LOCALEDIR
demo() {
	w=$1 h=$2
	shift 2
	tm kill-server 2>/dev/null
	N_START=$((N_START + 1))
	SOCK="$TMPD/tmux.$N_START.sock"
	tm -f /dev/null new-session -d -s w -x "$w" -y "$h" \
	    "env -u VIGIA_LOCALEDIR -u LANGUAGE -u VIGIA_CONFIG HOME=$TMPD/home TMPDIR=$TMPD/demo-tmp VIGIA_BUILDDIR='$top_builddir' VIGIA_DEMO_NET=$DEMO_NET VIGIA_DEMO_NEWNET=$DEMO_NEWNET TERM=xterm-256color $* sh '$top_srcdir/run-demo'; echo EXIT=\$?; sleep 60"
}

# ---- Spanish terminal ------------------------------------------------------
demo 200 50 LANG="$ES_LOC" LC_ALL="$ES_LOC"
i=0
until wait_for 'Press Enter to start' > /dev/null; do
	i=$((i + 1))
	[ $i -lt 30 ] || break	# the site (sanitized and loaded: slow) and the build check: up to 5 min
done
contains "$TMPD/screen" 'Press Enter to start' "run-demo starts the site and offers the wizard"
keys Enter
wait_for 'vigia - puesta en marcha de cámaras IP'
check "the wizard opens in Spanish on an es_ES.UTF-8 terminal"
screen_has 'Paso 1 de 17' "the step line is Spanish"
screen_has 'F1 Ayuda' "the key bar is Spanish"
keys Down
wait_for 'vigia - IP camera commissioning'
check "choosing English switches the wizard to English"
keys Down
wait_for 'vigia - puesta en marcha de cámaras IP'
check "choosing Español switches it back"
keys Enter
wait_for 'Paso 2 de 17'
keys C-u demo-es C-n
wait_for 'Paso 3 de 17'
no_cameras
wait_for 'Paso 12 de 17'
check "Next goes on to the recorder"
for n in 13 14 15 16; do
	keys C-n
	wait_for "Paso $n de 17" || break
done
screen_has 'Paso 16 de 17' "the write step is reached"
screen_has "demo-tmp/vigia-demo\\.[A-Za-z0-9]*/config/vigia/vigia\\.conf" "the wizard writes into the demo's temporary directory"
keys C-n
wait_for 'Paso 17 de 17'
keys C-n
wait_for '^EXIT='
contains "$TMPD/screen" "==> vigia config check $TMPD/demo-tmp/vigia-demo\\.[^/]*/config/vigia/vigia\\.conf" \
    "the demo checks the file its wizard wrote"
contains "$TMPD/screen" '^EXIT=0' "run-demo ends with status 0"
if [ "$had_sys_conf" = no ]; then
	test ! -e "$SYS_CONF"
	check "nothing was written to $SYS_CONF"
fi
test -z "$(ls -A "$TMPD/demo-tmp")"
check "the demo removed its temporary directory"

# ---- C.UTF-8 terminal, then Español ---------------------------------------
demo 80 24 LANG=C.UTF-8 LC_ALL=C.UTF-8
i=0
until wait_for 'Press Enter to start' > /dev/null; do
	i=$((i + 1))
	[ $i -lt 12 ] || break
done
keys Enter
wait_for 'Step 1 of 17'
check "on a C.UTF-8 terminal the wizard opens in English"
keys Down Down
wait_for 'vigia - puesta en marcha de cámaras IP'
check "choosing Español switches it to Spanish without VIGIA_LOCALEDIR"
screen_has 'F1 Ayuda' "the key bar follows"
keys Escape
wait_for 'Salir sin guardar'
keys Right Right Enter
wait_for '^EXIT='
contains "$TMPD/screen" 'the wizard wrote no configuration' "the demo says when the wizard wrote nothing"

done_testing
