#!/bin/sh
# test-isolation.sh - two `make check` runs at once never meet: the
# address and port allocator of tests/lib.sh works (claims are exclusive,
# released at exit, taken over from dead owners), and no test script
# names a fixed address or sets an EXIT trap that would skip the release.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"

# ---- the allocator, on a private lock directory ------------------------------
VG_LOCKDIR="$TMPD/locks"
export VIGIA_TEST_LOCKS="$VG_LOCKDIR"
n1=$(vg_alloc_net)
n2=$(vg_alloc_net)
echo "# claimed $n1 and $n2"
echo "$n1" | grep -Eq '^127\.1[0-9][0-9]\.[0-9]{1,3}$' &&
    echo "$n2" | grep -Eq '^127\.1[0-9][0-9]\.[0-9]{1,3}$'
check "vg_alloc_net gives 127.X.Y with X in 100..199 (not run-demo's 127.0.x)"
[ "$n1" != "$n2" ] && [ "$(readlink "$VG_LOCKDIR/net-$n1")" = $$ ] &&
    [ "$(readlink "$VG_LOCKDIR/net-$n2")" = $$ ]
check "two claims give two /24s, both held by this test"
p=$(vg_alloc_port 4)
ok=0
for k in 0 1 2 3; do
	[ "$(readlink "$VG_LOCKDIR/port-$((p + k))")" = $$ ] && ok=$((ok + 1))
done
[ $ok -eq 4 ] && [ "$p" -ge 1024 ] &&
    [ "$p" -lt "$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)" ]
check "vg_alloc_port 4 claims four ports below the ephemeral range ($p)"

sleep 30 &
live=$!
ln -s $live "$VG_LOCKDIR/net-127.250.1"
! vg_claim net-127.250.1
check "a claim whose owner is alive is refused"
kill $live
wait $live 2> /dev/null
vg_claim net-127.250.1 && [ "$(readlink "$VG_LOCKDIR/net-127.250.1")" = $$ ]
check "a claim whose owner is gone is taken over"
! vg_claim net-127.250.1
check "a name this test holds is not handed out twice"
sleep 30 &
live=$!
ln -s $live "$VG_LOCKDIR/run-demo"
! vg_claim_wait run-demo 1
check "vg_claim_wait gives up when the owner outlives the wait"
(sleep 1.5; kill $live) &
vg_claim_wait run-demo 20 && [ "$(readlink "$VG_LOCKDIR/run-demo")" = $$ ]
check "vg_claim_wait gets the claim once its owner is gone"
wait $live 2> /dev/null

# a test that ends normally gives its claims back and runs its hooks, last
# first; one killed with SIGKILL leaves a claim the next test takes over
sh -c '. "$top_srcdir/tests/lib.sh"
	vg_alloc_net > "$1"
	vg_at_exit "echo first >> $2"
	vg_at_exit "echo second >> $2"
	echo "$TMPD" > "$3"' sh "$TMPD/child.net" "$TMPD/child.hooks" \
    "$TMPD/child.tmpd"
cn=$(cat "$TMPD/child.net")
[ -n "$cn" ] && [ ! -e "$VG_LOCKDIR/net-$cn" ] && [ ! -L "$VG_LOCKDIR/net-$cn" ]
check "a finished test's claims are released"
[ "$(tr '\n' ' ' < "$TMPD/child.hooks")" = "second first " ] &&
    [ ! -d "$(cat "$TMPD/child.tmpd")" ]
check "exit hooks run last first, then \$TMPD is removed"
(sh -c '. "$top_srcdir/tests/lib.sh"
	vg_alloc_net > "$1"
	echo "$TMPD" > "$2"
	kill -KILL $$' sh "$TMPD/killed.net" "$TMPD/killed.tmpd"; :) 2> /dev/null
kn=$(cat "$TMPD/killed.net")
kt=$(cat "$TMPD/killed.tmpd")
case $kt in "${TMPDIR:-/tmp}"/vigia-test.*) rm -rf "$kt" ;; esac
[ -n "$kn" ] && [ -L "$VG_LOCKDIR/net-$kn" ] && vg_claim "net-$kn"
check "a killed test's claim is taken over by the next claimant"
sh -c '. "$top_srcdir/tests/lib.sh"
	sleep 30 &
	s=$!
	vg_at_exit "kill $s; echo hook-ran > $1"
	wait $s' sh "$TMPD/term.hook" &
child=$!
sleep 0.5
kill -TERM $child
wait $child
[ $? -eq 143 ] && [ "$(cat "$TMPD/term.hook" 2> /dev/null)" = hook-ran ]
check "SIGTERM still runs the exit hooks (exit 143)"

# ---- the test scripts --------------------------------------------------------
cd "$top_srcdir" || bail_out "no source tree"
# the scripts that run under tests/lib.sh (helpers such as
# tests/fuzz/make-seeds.sh, which bind nothing, keep their own traps)
scripts=$(grep -lE 'tests/lib\.sh|lib-[a-z]+\.sh' $(ls tests/*/*.sh) | grep -v '^tests/lib\.sh$')
test -n "$scripts"
check "there are test scripts to check"
# shellcheck disable=SC2086
grep -nE '^[^#]*\btrap\b.*\bEXIT\b' $scripts > "$TMPD/traps"
test ! -s "$TMPD/traps" || sed 's/^/#   /' "$TMPD/traps"
test ! -s "$TMPD/traps"
check "no test sets its own EXIT trap (lib.sh's releases the claims)"
# 127.0.0.x is shared by design (stubs there take kernel-chosen ports);
# test-config-check.sh only writes addresses into files it never contacts;
# test-run-demo.sh waits for ./run-demo's fixed site to be free
# shellcheck disable=SC2086
grep -nE '^[^#]*127\\?\.0\\?\.[1-9][0-9]*\\?\.[0-9]' $scripts |
    grep -vE '^tests/(cli/test-config-check|tui/test-run-demo)\.sh:' \
    > "$TMPD/fixed"
test ! -s "$TMPD/fixed" || sed 's/^/#   /' "$TMPD/fixed"
test ! -s "$TMPD/fixed"
check "no test names a fixed 127.0.N.x address (use vg_alloc_net or \$SIM_NET)"
# shellcheck disable=SC2086
grep -nE '^[^#]*(sim_start +[0-9$"]|--base\b)' $scripts |
    grep -v '^tests/sim/sim-lib\.sh:' > "$TMPD/base"
test ! -s "$TMPD/base" || sed 's/^/#   /' "$TMPD/base"
test ! -s "$TMPD/base"
check "no test gives vigia-sim its own base address or ports"
done_testing
