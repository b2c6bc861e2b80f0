#!/bin/sh
# bench/apply.sh - plan + apply for 50 simulated cameras (the
# "Commissioning" bar of ARCHITECTURE.md: <= 10 s), against the cameras
# done one after another (a run of `vigia --apply --only CAMERA` per
# camera, as a technician with a vendor tool goes) as the anchor, then
# the second apply that must change nothing.
# Not a test: it prints figures and ratios.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   sh bench/apply.sh [BUILDDIR]
#
# Every run starts a fresh site of N cameras (all nine model x start
# combinations: a third factory-new) and applies the full commissioning:
# activation or user, NTP + time zone + clock, H.264 1080p encoder, and a
# new static address (the camera reboots for REBOOT seconds, 1 by
# default, and is followed there).  Environment: N (50), REBOOT (1),
# PARALLEL ("8 16").
set -u
B=$(cd "${1:-build}" && pwd)
S=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-50}
REBOOT=${REBOOT:-1}
PARALLEL=${PARALLEL:-8 16}
top_builddir=$B
top_srcdir=$S
. "$S/tests/lib.sh"
. "$S/tests/apply/lib-apply.sh"

# ms since the epoch
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# warm the simulator's media cache with the 1080p loop every camera ends
# up serving (made once per build tree; not part of any timing); the site
# and the addresses it moves to are /24s claimed like the tests' own
sim_start --cameras 1 --reboot-time "$REBOOT" \
    --motion-period 0 --no-discovery || exit 1
apply_config "$TMPD/warm.conf" -
"$VIGIA" --apply "$TMPD/warm.conf" --yes --json --no-discovery \
    > /dev/null 2>&1
sim_stop
rm -rf "$SIM_STATE"

echo "plan + apply of $N simulated cameras (fresh site per run; camera" \
    "reboot $REBOOT s after an address change)"
printf '%-10s %10s %10s %9s %10s %8s\n' parallel apply_ms "ok/$N" steps \
    again_ms again
NEW=$(vg_alloc_net) || exit 1
anchor=
for p in one-by-one $PARALLEL; do
	sim_start --cameras "$N" --reboot-time "$REBOOT" \
	    --motion-period 0 --no-discovery || exit 1
	apply_config "$TMPD/site.conf" "$NEW.1"
	s=$(now_ms)
	if [ "$p" = one-by-one ]; then
		# the anchor: one camera after another, each run waiting for
		# its camera to come back before the next starts
		i=0 ok=0 steps=0
		: > "$TMPD/r.err"
		while [ "$i" -lt "$N" ]; do
			"$VIGIA" --apply "$TMPD/site.conf" --yes --json \
			    --no-discovery --only "cam-$i" --parallel 1 \
			    --follow-timeout 30 > "$TMPD/r1.json" \
			    2>> "$TMPD/r.err"
			ok=$((ok + $(jq '[.cameras[] | select(.result == "ok"
			    or .result == "unchanged")] | length' \
			    "$TMPD/r1.json")))
			steps=$((steps + $(jq .summary.steps "$TMPD/r1.json")))
			i=$((i + 1))
		done
		e=$(now_ms)
		echo '{"cameras": []}' > "$TMPD/r.json"
		par=1
	else
		"$VIGIA" --apply "$TMPD/site.conf" --yes --json \
		    --no-discovery --parallel "$p" --follow-timeout 30 \
		    > "$TMPD/r.json" 2> "$TMPD/r.err"
		e=$(now_ms)
		ok=$(jq '[.cameras[] | select(.result == "ok" or
		    .result == "unchanged")] | length' "$TMPD/r.json")
		steps=$(jq .summary.steps "$TMPD/r.json")
		par=$p
	fi
	ms=$((e - s))
	s=$(now_ms)
	"$VIGIA" --apply "$TMPD/site.conf" --yes --json --no-discovery \
	    --parallel "$par" > "$TMPD/r2.json" 2>> "$TMPD/r.err"
	e=$(now_ms)
	again=$(jq .summary.steps "$TMPD/r2.json")
	[ -n "$anchor" ] || anchor=$ms
	printf '%-10s %10d %10s %9s %10d %8s   x%s of one-by-one\n' "$p" \
	    "$ms" "$ok" "$steps" $((e - s)) "$again steps" \
	    "$(awk -v a="$ms" -v b="$anchor" 'BEGIN {printf "%.2f", a / b}')"
	if [ "$ok" != "$N" ]; then
		echo "  failures:"
		jq -r '.cameras[] | select(.result != "ok" and
		    .result != "unchanged") | "    \(.name): \(.result) " +
		    ([.steps[] | select(.status == "failed") |
		    "\(.step): \(.error)"] | join("; "))' "$TMPD/r.json"
	fi
	sim_stop
	rm -rf "$SIM_STATE"
done
echo "goal: parallel 8 (the default) <= 10000 ms, second apply 0 steps"
