# tests/tui/lib-field.sh - the field walk of bench/field-time.sh as a
# test (sourced by test-wizard-field-es.sh and test-wizard-field-en.sh).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A simulated site of 16 cameras (vigia-sim: 5 factory-new, 5 with their
# vendor's default administrator, 6 with their own passwords, which an
# integrator's CSV gives) is commissioned at 80x24 from the first screen
# to the written configuration: find, passwords (one ONVIF password and
# one administrator password typed, the CSV named), time (an NTP server),
# review, apply, camera check, recorder and storage defaults, write.  The
# script counts the keys it sends; the test asserts counts, never times:
# at most 80 keys of navigation and confirmation, each secret typed once,
# a file with the 16 cameras named cam-01..cam-16 in address order, and a
# second plan on it with 0 steps.  Other tests' sites on lo answer the
# search too: the select step keeps this site's cameras with the filter.
#
# The caller sets the language's patterns (L, L_ENV, L_STEP, L_OF,
# L_DONE, L_TICKED, L_OPENED, L_ENCREAD, L_PLAN, L_APPLYQ, L_APPLIED,
# L_CHECKED, L_GOON) and calls field_walk.

. "$top_srcdir/tests/tui/lib-tui.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"

[ "$(id -u)" = 0 ] || skip "WS-Discovery on lo needs root"

NCAM=16
NAV=0
TYPED=0
SECRETS=

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
# long PATTERN: wait up to 2 minutes (16 cameras take a while)
long() {
	n=0
	while [ $n -lt 12 ]; do
		wait_for "$1" > /dev/null && return 0
		n=$((n + 1))
	done
	wait_for "$1"
}
# step N: wait for step N of 17 (fail the walk if it never shows)
step() {
	wait_for "$L_STEP $1 $L_OF 17" || bail_out "$L: step $1 never showed"
}

field_walk() {
	CONF="$TMPD/out/site16-$L.conf"
	sim_start --cameras $NCAM --motion-period 0 --reboot-time 1 --seed 16
	check "vigia-sim starts $NCAM cameras on $SIM_BASE port $SIM_PORT"
	BASE=$SIM_NET
	PORT=$SIM_PORT
	sim_ctl status > "$TMPD/status0"
	test "$(jq '[.cameras[] | select(.start == "factory-new")] | length' \
	    "$TMPD/status0")" = 5 &&
	    test "$(jq '[.cameras[] | select(.start == "configured")] |
	    length' "$TMPD/status0")" = 6
	check "the site: 5 factory-new, 5 vendor defaults, 6 own passwords"
	# the integrator's CSV: the cameras with their own passwords
	jq -r '.cameras[] | select(.start == "configured") |
	    "\(.address),admin,\(.users[] | select(.name == "admin") |
	    .password)"' "$TMPD/status0" > "$TMPD/site.csv"

	start 80 24 $L_ENV
	step 1
	nav Enter
	step 2
	typed site16
	nav C-n
	step 3
	# tick lo (the simulated site lives there)
	n=$(grep -E '^ +\[[ x]\] ' "$TMPD/screen" | grep -n '\] lo$' |
	    cut -d: -f1)
	i=1
	while [ "$i" -lt "$n" ]; do
		nav Down
		i=$((i + 1))
	done
	nav Space C-n
	step 4
	long "$L_DONE"
	nav C-n
	step 5
	# this site only: none, filter on its addresses, all of those
	nav a /
	typed "$BASE."
	nav Enter a
	wait_for "$L_TICKED"
	check "$L: the filter and a tick the $NCAM cameras of the site"
	nav C-n
	step 6
	typed vigia
	nav Down
	secret 'Vigia-Rec-2026'
	nav Down Down
	secret 'Vigia-Adm-2026'
	# Existing password: left empty; the CSV
	nav Down Down
	typed "$TMPD/site.csv"
	nav C-n
	long "$L_STEP 7 $L_OF 17"
	screen_has "$L_OPENED" "$L: the CSV and the vendors' defaults open" \
	    "the 11 cameras with users"
	# the addresses step: a camera table of the 16, the first rows
	screen_has "cam-01 +$(vg_re "$BASE").1:$PORT" \
	    "$L: the addresses step lists the cameras in a camera table"
	nav C-n
	step 8
	typed pool.ntp.org
	nav C-n
	step 9
	long "$L_ENCREAD"
	nav C-n
	step 10
	long "$L_PLAN"
	nav C-n
	wait_for "$L_APPLYQ"
	check "$L: Next asks before applying"
	nav Enter
	long "$L_APPLIED"
	check "$L: every camera is as configured"
	nav C-n
	step 11
	long "$L_CHECKED"
	nav C-n
	if wait_for "$L_GOON" > /dev/null; then
		nav Left Enter
	fi
	for s in 12 13 14 15; do
		step $s
		nav C-n
	done
	step 16
	nav C-u
	typed "$CONF"
	nav C-n
	step 17
	nav C-n
	wait_for '^EXIT=0'
	check "$L: the configuration is written"

	echo "# $L: navigation and confirmation keys: $NAV; typed: $TYPED"
	test "$NAV" -le 80
	check "$L: $NAV keys of navigation and confirmation (at most 80)"
	nsec=$(printf '%s' "$SECRETS" | grep -c .)
	ndistinct=$(printf '%s' "$SECRETS" | grep . | sort -u | wc -l)
	test "$nsec" = 2 && test "$ndistinct" = 2
	check "$L: each secret typed once ($nsec typed, $ndistinct distinct)"

	# the file: the 16 cameras, cam-01..cam-16 in address order
	ok=1
	i=1
	while [ $i -le $NCAM ]; do
		name=$(printf 'cam-%02d' $i)
		grep -q "\"$name\"" "$CONF" || ok=0
		i=$((i + 1))
	done
	test "$ok" = 1
	check "$L: the file names the $NCAM cameras cam-01..cam-$NCAM"
	test "$(grep -cE '"cam-[0-9]+"' "$CONF")" -ge $NCAM &&
	    ! grep -qE '"cam-(1[7-9]|[2-9][0-9])"' "$CONF"
	check "$L: and no other camera"
	LC_ALL=C "$VIGIA" --apply "$CONF" --plan --no-discovery \
	    > "$TMPD/plan2" 2>&1
	grep -E '^Plan:' "$TMPD/plan2" | sed 's/^/# /'
	contains "$TMPD/plan2" "^Plan: 0 steps on 0 cameras to change, $NCAM unchanged, 0 cannot be reached" \
	    "$L: a second plan on the written file has 0 steps"
	sim_ctl status > "$TMPD/status1"
	test "$(jq '[.cameras[] | select(.locked)] | length' \
	    "$TMPD/status1")" = 0
	check "$L: no camera was locked out"
	for c in 0 5 9; do
		test "$(jq -r ".cameras[$c].users[] | select(.name == \"vigia\")
		    | .password" "$TMPD/status1")" = Vigia-Rec-2026
		check "$L: camera $c has the ONVIF user"
	done
}
