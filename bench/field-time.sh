#!/bin/sh
# bench/field-time.sh - a 16-camera site from the first screen to the
# written configuration, as a technician would do it, with the keys
# counted.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench/field-time.sh [BUILDDIR]   (root: WS-Discovery on lo)
#
# A simulated site of 16 cameras (vigia-sim --cameras 16: 5 factory-new,
# 5 with their vendor's default administrator, 6 with their own
# passwords, which an integrator's CSV gives) is commissioned by a
# scripted tmux walk at 80x24: find, passwords (one ONVIF password and
# one administrator password typed, the CSV named), time (an NTP server),
# the labeling encoder preset, review, apply, camera check, recorder and
# storage defaults, write.  It prints the keys sent, navigation and
# confirmation apart from typed characters, each secret typed, and the
# wizard's own time (first screen to exit, the script's polling
# included).  Goals (issue #14): <= 80 navigation keys, each secret typed
# once, under 2 minutes for 16 cameras.  The anchor: the same site by hand
# in the vendors' web pages takes one to two hours, and the wizard before
# the site-scale work took 445 keys (179 navigation, 255 typed).
# Not a test: the figures depend on the machine.

top_builddir=$(cd "${1:-.}" && pwd)
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
export top_builddir top_srcdir
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
[ "$(id -u)" = 0 ] || { echo "bench: WS-Discovery on lo needs root"; exit 2; }

NCAM=16
NAV=0
TYPED=0
SECRETS=
# a /24 and ports of its own (tests/lib.sh's allocator), as the tests
sim_start --cameras $NCAM --motion-period 0 --reboot-time 1 --seed 16 ||
    exit 1
BASE=$SIM_NET
PORT=$SIM_PORT

# the integrator's CSV: the cameras with their own passwords
sim_ctl status | jq -r '.cameras[] | select(.start == "configured") |
    "\(.address),admin,\(.users[] | select(.name == "admin") | .password)"' \
    > "$TMPD/site.csv"
echo "# site: $NCAM cameras: $(sim_ctl status | jq -r '[.cameras[] |
    .start] | group_by(.) | map("\(length) \(.[0])") | join(", ")')"
echo "# CSV: $(wc -l < "$TMPD/site.csv") cameras with their own passwords"

# nav KEY...: navigation and confirmation keys, counted one each
nav() {
	NAV=$((NAV + $#))
	tm send-keys -t w "$@"
}
# typed TEXT: characters typed, counted one each
typed() {
	TYPED=$((TYPED + ${#1}))
	tm send-keys -t w -l "$1"
}
# secret TEXT: a typed password (counted, and remembered)
secret() {
	typed "$1"
	SECRETS="$SECRETS$1
"
}
# long PATTERN: wait up to 2 minutes
long() {
	n=0
	while [ $n -lt 12 ]; do
		wait_for "$1" > /dev/null && return 0
		n=$((n + 1))
	done
	wait_for "$1"
}

start 80 24 LC_ALL=C.UTF-8
wait_for 'Step 1 of 17' || exit 1
T0=$(date +%s.%N)
nav Enter
wait_for 'Step 2 of 17'
typed site16
nav C-n
wait_for 'Step 3 of 17'
# tick lo (the simulated site lives there)
n=$(grep -E '^ +\[[ x]\] ' "$TMPD/screen" | grep -n '\] lo$' | cut -d: -f1)
i=1
while [ "$i" -lt "$n" ]; do
	nav Down
	i=$((i + 1))
done
nav Space C-n
wait_for 'Step 4 of 17'
long 'Search done'
nav C-n
wait_for 'Step 5 of 17'
# other sites on lo (tests running) answer too: keep this one's
nav a /
typed "$BASE."
nav Enter a
wait_for ": $NCAM of" || exit 1
nav C-n
wait_for 'Step 6 of 17'
typed vigia
nav Down
secret 'Vigia-Rec-2026'
nav Down Down
secret 'Vigia-Adm-2026'
# Existing password: left empty; the CSV
nav Down Down
typed "$TMPD/site.csv"
nav C-n
long 'Step 7 of 17' || exit 1
STATUS7=$(grep -E 'opened|locked' "$TMPD/screen" | sed 's/^ *//')
nav C-n
wait_for 'Step 8 of 17'
typed pool.ntp.org
nav C-n
wait_for 'Step 9 of 17'
long 'Encoder options read'
nav C-n
wait_for 'Step 10 of 17'
long 'Plan: [0-9]+ steps? on'
PLAN=$(grep -E 'Plan: ' "$TMPD/screen" | sed 's/^ *//')
nav C-n
if wait_for 'Apply the plan\?' > /dev/null; then
	nav Enter
	long 'Every camera is as configured|cameras? failed'
fi
APPLIED=$(grep -E 'Every camera is as configured|cameras? failed' \
    "$TMPD/screen" | sed 's/^ *//')
nav C-n
wait_for 'Step 11 of 17'
long 'cameras? (send|need)|The camera sends'
CHECK=$(grep -E 'send what|need a look|needs a look' "$TMPD/screen" |
    sed 's/^ *//')
nav C-n
if wait_for 'Go on anyway' > /dev/null; then
	nav Left Enter
fi
for s in 12 13 14 15; do
	wait_for "Step $s of 17"
	nav C-n
done
wait_for 'Step 16 of 17'
nav C-u
typed "$TMPD/out/site16.conf"
nav C-n
wait_for 'Step 17 of 17'
nav C-n
wait_for '^EXIT=' > /dev/null
T1=$(date +%s.%N)

nsec=$(printf '%s' "$SECRETS" | grep -c .)
ndistinct=$(printf '%s' "$SECRETS" | grep . | sort -u | wc -l)
echo "# after the passwords step: $STATUS7"
echo "# $PLAN"
echo "# apply: $APPLIED"
echo "# check: $CHECK"
"$VIGIA" --apply "$TMPD/out/site16.conf" --plan --no-discovery \
    > "$TMPD/plan2" 2>&1
echo "# a second plan on the written file: $(grep -E '^Plan:' "$TMPD/plan2")"
locked=$(sim_ctl status | jq '[.cameras[] | select(.locked)] | length')
echo "# cameras locked out by the walk: $locked"
echo "field-time: $NCAM cameras: navigation and confirmation keys: $NAV" \
    "(goal <= 80); typed characters: $TYPED; secrets typed: $nsec," \
    "$ndistinct distinct (goal: each once);" \
    "wizard time: $(awk "BEGIN { printf \"%.1f\", $T1 - $T0 }") s (goal < 120 s)"
