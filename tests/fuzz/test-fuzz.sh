#!/bin/sh
# test-fuzz.sh - a short run of each libFuzzer target (make fuzz runs
# them for 10 minutes): the ONVIF reply path and WS-Discovery datagrams,
# from the seed corpora in tests/fuzz/seeds.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# FUZZ_CI_SECONDS per target (15).  Skipped with VIGIA_QUICK=1 (the
# sanitizer build of run-tests and distcheck: the normal build runs it)
# and when clang or its libFuzzer runtime is missing.
. "${top_srcdir:-.}/tests/lib.sh"

[ "${VIGIA_QUICK:-0}" = 1 ] && skip "VIGIA_QUICK=1: the fuzz run is for the normal build"
command -v clang > /dev/null || skip "clang is missing (apt-get install clang libclang-rt-14-dev)"
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' > "$TMPD/t.c"
clang -fsanitize=fuzzer -o "$TMPD/t" "$TMPD/t.c" 2> /dev/null ||
    skip "clang cannot link -fsanitize=fuzzer (apt-get install libclang-rt-14-dev)"

secs=${FUZZ_CI_SECONDS:-15}
make -C "$top_builddir" fuzz-build > "$TMPD/build.log" 2>&1
r=$?
test $r = 0 || tail -20 "$TMPD/build.log" | sed 's/^/# /'
test $r = 0
check "make fuzz-build"

for t in fuzz-onvif-reply fuzz-wsd; do
	mkdir -p "$TMPD/$t"
	cp "$top_srcdir/tests/fuzz/seeds/$t"/* "$TMPD/$t/"
	"$top_builddir/tests/fuzz/$t" -max_total_time="$secs" \
	    -print_final_stats=1 -artifact_prefix="$TMPD/$t-" \
	    -dict="$top_srcdir/tests/fuzz/seeds/onvif.dict" "$TMPD/$t" \
	    > "$TMPD/$t.log" 2>&1
	r=$?
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$TMPD/$t.log")
	test $r = 0 || grep -A30 -E 'ERROR|runtime error' "$TMPD/$t.log" | head -40 | sed 's/^/# /'
	test $r = 0
	check "$t: ${n:-?} executions in $secs s without a finding"
	test "${n:-0}" -gt 0
	check "$t: it ran"
done
done_testing
