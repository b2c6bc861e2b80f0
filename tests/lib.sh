# tests/lib.sh - shared helpers for the shell tests (sourced).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every script prints "ok N - name" / "not ok N - name" and ends with
# `done_testing`, which exits 1 if any check failed.  `skip REASON` exits 77.
# Cleanup goes through vg_at_exit, never a trap of the test's own; anything
# that listens takes its address block and ports from vg_alloc_net and
# vg_alloc_port (at the end of this file), never fixed ones.

: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
VIGIA="$top_builddir/cli/vigia"
VIGIAD="$top_builddir/cli/vigiad"
T_N=0
T_FAILED=0
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/vigia-test.XXXXXX")
VG_EXIT_HOOKS=
trap vg_exit EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
# English by default; tests that want Spanish say so.
LC_ALL=C.UTF-8
LANGUAGE=
export LC_ALL LANGUAGE

# vg_at_exit COMMAND: run COMMAND (eval'd) when the test ends, however it
# ends; the last registered runs first.  Tests never set their own EXIT
# trap: this one also releases the test's addresses and ports and removes
# $TMPD.
vg_at_exit() {
	VG_EXIT_HOOKS="$1
$VG_EXIT_HOOKS"
}

# vg_exit: the EXIT trap: the hooks, then the claims, then $TMPD.
vg_exit() {
	eval "$VG_EXIT_HOOKS"
	vg_release
	rm -rf "$TMPD"
}

# check NAME: record a check from the last command's status, and return it.
check() {
	st=$?
	T_N=$((T_N + 1))
	if [ "$st" -eq 0 ]; then
		echo "ok $T_N - $1"
	else
		echo "not ok $T_N - $1"
		T_FAILED=$((T_FAILED + 1))
	fi
	# the check's own status: `check NAME || show-why` works
	return "$st"
}

# contains FILE PATTERN NAME: grep -E check with the file shown on failure.
contains() {
	grep -E -q -- "$2" "$1"
	st=$?
	if [ "$st" -ne 0 ]; then
		echo "# expected /$2/ in $1:"
		sed 's/^/#   /' "$1" | head -20
	fi
	(exit $st)
	check "$3"
}

skip() {
	echo "SKIP: $*"
	exit 77
}

# bail_out REASON: the test cannot go on (automake counts it an error).
bail_out() {
	echo "Bail out! $*"
	exit 99
}

done_testing() {
	echo "1..$T_N"
	[ "$T_FAILED" -eq 0 ] || { echo "# $T_FAILED of $T_N checks failed"; exit 1; }
	exit 0
}

# ---- private addresses and ports ---------------------------------------------
# Two `make check` runs at once (a developer's beside `make distcheck`, or
# two build trees) must never meet.  Every test claims its own /24 under
# 127.0.0.0/8 (vg_alloc_net) and its own TCP/UDP ports (vg_alloc_port)
# instead of fixed ones.  A claim is a symlink $VG_LOCKDIR/NAME whose
# target is the PID of the test's shell, made with ln -s (atomic: only one
# claimant can create it).  The EXIT trap releases the test's claims; a
# claim whose process is gone (a test killed with SIGKILL) is taken over
# by the next claimant, under flock on the directory so that two of them
# never both take it.  A claimed range is also checked to be idle with ss
# (a simulator outliving its killed test still holds its addresses).
# Claimed /24s are 127.X.Y.0 with X in 100..199: never 127.0.x.x, where
# ./run-demo (127.0.1.x, 127.0.2.x) and the benchmarks live.

VG_LOCKDIR=${VIGIA_TEST_LOCKS:-/tmp/vigia-test-locks}

# vg_random: a number in 0..65535.
vg_random() {
	od -An -N2 -tu2 /dev/urandom | tr -d ' \n'
}

# vg_claim NAME: claim NAME for this test; status 0 if it is ours now.
vg_claim() {
	[ -d "$VG_LOCKDIR" ] || mkdir -m 1777 -p "$VG_LOCKDIR" 2> /dev/null
	if ! ln -s "$$" "$VG_LOCKDIR/$1" 2> /dev/null; then
		_vg_owner=$(readlink "$VG_LOCKDIR/$1" 2> /dev/null) || return 1
		case $_vg_owner in '' | *[!0-9]*) return 1 ;; esac
		[ "$_vg_owner" != "$$" ] && [ ! -d "/proc/$_vg_owner" ] ||
		    return 1
		# its owner is gone: take it over, one claimant at a time
		flock "$VG_LOCKDIR" sh -c '
			[ "$(readlink "$1")" = "$2" ] && [ ! -d "/proc/$2" ] &&
			    rm -f "$1" && ln -s "$3" "$1"' sh \
		    "$VG_LOCKDIR/$1" "$_vg_owner" "$$" 2> /dev/null ||
		    return 1
	fi
	echo "$1" >> "$TMPD/.vg-claims"
	return 0
}

# vg_claim_wait NAME SECONDS: vg_claim, retried every second for up to
# SECONDS: serializes a test with its twin in another run, for what cannot
# be made private (./run-demo's fixed 127.0.1.x site).
vg_claim_wait() {
	_vg_wait=0
	until vg_claim "$1"; do
		_vg_wait=$((_vg_wait + 1))
		[ $_vg_wait -le "$2" ] || return 1
		sleep 1
	done
	return 0
}

# vg_unclaim NAME: give NAME back (only if it is still ours).
vg_unclaim() {
	[ "$(readlink "$VG_LOCKDIR/$1" 2> /dev/null)" = "$$" ] &&
	    rm -f "$VG_LOCKDIR/$1"
	return 0
}

# vg_release: give back every claim of this test (the EXIT trap calls it).
vg_release() {
	[ -f "$TMPD/.vg-claims" ] || return 0
	while read -r _vg_name; do
		vg_unclaim "$_vg_name"
	done < "$TMPD/.vg-claims"
	rm -f "$TMPD/.vg-claims"
}

# vg_idle FILTER: no socket at all (listening, connected or in TIME-WAIT)
# matches the ss FILTER; without ss, assume idle.
vg_idle() {
	command -v ss > /dev/null 2>&1 || return 0
	[ -z "$(ss -Htuan "$1" 2> /dev/null | head -1)" ]
}

# vg_alloc_net: claim a free /24 under 127.0.0.0/8 for this test and print
# its first three octets (127.X.Y); the test's hosts are 127.X.Y.1-254.
# Call it as NET=$(vg_alloc_net) || bail_out "...".
vg_alloc_net() {
	_vg_try=0
	while [ $_vg_try -lt 100 ]; do
		_vg_r=$(vg_random)
		_vg_net=127.$((100 + _vg_r / 256 % 100)).$((_vg_r % 256))
		if vg_claim "net-$_vg_net"; then
			if vg_idle "src $_vg_net.0/24 or dst $_vg_net.0/24"; then
				echo "$_vg_net"
				return 0
			fi
			vg_unclaim "net-$_vg_net"
		fi
		_vg_try=$((_vg_try + 1))
	done
	echo "# vg_alloc_net: no free 127.X.Y.0/24 in 100 tries" >&2
	return 1
}

# vg_alloc_port [N]: claim N (default 1) consecutive free ports, TCP and
# UDP on every address, and print the first.  They lie below the kernel's
# ephemeral range, so no client's source port takes them meanwhile.
vg_alloc_port() {
	_vg_cnt=${1:-1}
	_vg_lo=20000
	_vg_hi=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2> /dev/null)
	case $_vg_hi in '' | *[!0-9]*) _vg_hi=32768 ;; esac
	[ "$_vg_hi" -gt $((_vg_lo + 1000)) ] || _vg_lo=$((_vg_hi - 1000))
	_vg_try=0
	while [ $_vg_try -lt 100 ]; do
		_vg_p=$((_vg_lo + $(vg_random) % (_vg_hi - _vg_lo - _vg_cnt)))
		_vg_k=0
		while [ $_vg_k -lt "$_vg_cnt" ] &&
		    vg_claim "port-$((_vg_p + _vg_k))"; do
			_vg_k=$((_vg_k + 1))
		done
		_vg_last=$((_vg_p + _vg_cnt - 1))
		if [ $_vg_k -eq "$_vg_cnt" ] &&
		    vg_idle "( sport >= :$_vg_p and sport <= :$_vg_last )"; then
			echo "$_vg_p"
			return 0
		fi
		while [ $_vg_k -gt 0 ]; do
			_vg_k=$((_vg_k - 1))
			vg_unclaim "port-$((_vg_p + _vg_k))"
		done
		_vg_try=$((_vg_try + 1))
	done
	echo "# vg_alloc_port: no $_vg_cnt free consecutive ports in 100 tries" >&2
	return 1
}

# vg_re STRING: STRING as a grep -E pattern that matches it literally
# (for addresses: 127.1.2 -> 127\.1\.2).
vg_re() {
	printf '%s\n' "$1" | sed 's/[].[*^$\\+?(){}|]/\\&/g'
}
