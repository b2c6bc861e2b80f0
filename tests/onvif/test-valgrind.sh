#!/bin/sh
# test-valgrind.sh - no leaks and no memory errors in the ONVIF client:
# one read command, one change with read-back, events and a failure, each
# under valgrind --leak-check=full.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/onvif/lib-onvif.sh"

command -v valgrind > /dev/null || skip "valgrind is missing (apt-get install valgrind)"
# an ASan build cannot run under valgrind (and checks leaks itself)
if nm "$VIGIA" 2> /dev/null | grep -q __asan_init; then
	skip "this is an AddressSanitizer build (--enable-debug): it checks leaks itself"
fi

VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --log-file=$TMPD/vg.%p"
printf '%s\n' "$PW" > "$TMPD/pw"

# The core in-process: every fixture case of test-onvif-fixtures (sessions,
# auth fallbacks, media, events, faults) without FFmpeg linked in.
$VG "$top_builddir/tests/unit/test-onvif-fixtures" > "$TMPD/fixtures.out" 2>&1
check "the ONVIF core on every fixture dialect: valgrind clean"

# Debian 12's valgrind 3.19 cannot decode the rdtscp that libhwy (pulled in
# by FFmpeg's libjxl) runs at load time on some CPUs: then vigia itself
# cannot start under valgrind, and the CLI runs below are left to the
# AddressSanitizer build, which runs this suite with leak detection.
valgrind -q --log-file="$TMPD/probe.vg" "$VIGIA" --version > /dev/null 2>&1
if grep -q 'SIGILL' "$TMPD/probe.vg" 2>/dev/null; then
	echo "# valgrind cannot start vigia on this CPU (SIGILL in libhwy's"
	echo "# TimerResolution: rdtscp); the CLI runs are covered by build-asan"
	for f in "$TMPD"/vg.*; do
		[ -s "$f" ] && sed 's/^/# /' "$f" | head -40
	done
	done_testing
fi

stub_start spec --user admin --password "$PW" --offset 7200
$VG "$VIGIA" camera info -u admin -p "$TMPD/pw" "$TARGET" > /dev/null
check "camera info: valgrind clean"
$VG "$VIGIA" camera set-encoder -u admin -p "$TMPD/pw" --profile Profile_1 \
    --fps 15 --gop 30 "$TARGET" > /dev/null
check "camera set-encoder (Media2, read back): valgrind clean"
$VG "$VIGIA" camera events -u admin -p "$TMPD/pw" --duration 1 "$TARGET" > /dev/null
check "camera events: valgrind clean"
$VG "$VIGIA" camera info -u admin -p /dev/null --json "$TARGET" > /dev/null
test $? -eq 1
check "wrong password path: valgrind clean (exit 1, not 99)"
stub_stop
stub_start hik --user admin --password "$PW" --digest
$VG "$VIGIA" camera profiles -u admin -p "$TMPD/pw" "$TARGET" > /dev/null
check "camera profiles over HTTP digest: valgrind clean"
$VG "$VIGIA" discover --no-probe --add "$TARGET" > /dev/null
check "discover --add: valgrind clean"
stub_stop
for f in "$TMPD"/vg.*; do
	[ -s "$f" ] && sed 's/^/# /' "$f" | head -40
done
done_testing
