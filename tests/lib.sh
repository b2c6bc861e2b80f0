# tests/lib.sh - shared helpers for the shell tests (sourced).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every script prints "ok N - name" / "not ok N - name" and ends with
# `done_testing`, which exits 1 if any check failed.  `skip REASON` exits 77.

: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
VIGIA="$top_builddir/cli/vigia"
VIGIAD="$top_builddir/cli/vigiad"
T_N=0
T_FAILED=0
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/vigia-test.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT
# English by default; tests that want Spanish say so.
LC_ALL=C.UTF-8
LANGUAGE=
export LC_ALL LANGUAGE

# ok COND-EXIT-STATUS NAME: record a check from the last command's status.
check() {
	st=$?
	T_N=$((T_N + 1))
	if [ "$st" -eq 0 ]; then
		echo "ok $T_N - $1"
	else
		echo "not ok $T_N - $1"
		T_FAILED=$((T_FAILED + 1))
	fi
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

done_testing() {
	echo "1..$T_N"
	[ "$T_FAILED" -eq 0 ] || { echo "# $T_FAILED of $T_N checks failed"; exit 1; }
	exit 0
}
