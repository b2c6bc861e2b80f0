#!/bin/sh
# test-demo-headless.sh - ./run-demo headless (what CI runs) does the
# whole job on this build: commissioning, vigiad recording to S3 on
# loopback with a Label Studio task per segment, the dashboard, a dataset
# pull of an annotation, the as-built report; every stage says ok, the
# report has every camera with a picture, and the demo leaves no process
# and no temporary directory behind.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"

[ "${VIGIA_QUICK:-0}" = 1 ] && skip "VIGIA_QUICK=1: the whole demo is left to the normal build"
[ -x "$top_builddir/tests/sim/vigia-sim" ] || skip "vigia-sim is not built (no GStreamer RTSP server library)"
for t in jq curl node; do
	command -v $t > /dev/null || skip "$t is not installed"
done
DEMO_NET=$(vg_alloc_net) || bail_out "no free 127.X.Y.0/24 for the demo's site"
DEMO_NEWNET=$(vg_alloc_net) || bail_out "no free 127.X.Y.0/24 for the new addresses"
mkdir -p "$TMPD/demo-tmp"

env -u VIGIA_CONFIG DEMO=headless VIGIA_BUILDDIR="$top_builddir" \
    VIGIA_DEMO_NET="$DEMO_NET" VIGIA_DEMO_NEWNET="$DEMO_NEWNET" \
    VIGIA_DEMO_REPORT="$TMPD/demo-report.html" TMPDIR="$TMPD/demo-tmp" \
    sh "$top_srcdir/run-demo" < /dev/null > "$TMPD/demo.log" 2>&1
st=$?
grep '^==> ' "$TMPD/demo.log" | sed 's/^/# /'
test $st -eq 0
check "DEMO=headless ./run-demo exits 0"
for s in 'an S3 server on loopback (else the local archive)' \
    'the Label Studio emulator' \
    'vigia --apply .* --yes (activate, user, time, encoder, new address)' \
    'vigia --apply .* --plan (again: nothing left to do)' \
    'vigia probe cam-1 (at its new address, 3 s)' \
    'vigiad: recording, uploading, a Label Studio task per segment' \
    'the first segments stored and labeled (one task each)' \
    'vigia status (the dashboard)' \
    'an annotation in Label Studio, then vigia dataset pull' \
    'vigia report --html (the as-built report)' \
    'stop vigiad (SIGTERM)'; do
	re=$(printf '%s' "$s" | sed 's/[()]/\\&/g')
	grep -Eq "^==> $re: ok$" "$TMPD/demo.log"
	check "stage ok: $s"
done
! grep -q ': FAILED' "$TMPD/demo.log"
check "no stage failed"
contains "$TMPD/demo.log" '^    S3 on http://127\.0\.0\.1:[0-9]+, bucket vigia-demo' "uploads went to the S3 server on loopback"
contains "$TMPD/demo.log" '^    8 segments stored, 8 tasks created \(cameras with a task: 8 of 8\)|^    [0-9]+ segments stored, [0-9]+ tasks created \(cameras with a task: 8 of 8\)' \
    "every camera's segments became Label Studio tasks"
contains "$TMPD/demo.log" '^cam-8 +recording ' "the dashboard shows the cameras recording"
contains "$TMPD/demo.log" '^  passed +CORS: Access-Control-Allow-Origin: http://127\.0\.0\.1:' \
    "the report's Label Studio check played a stored segment from the bucket (CORS)"
contains "$TMPD/demo.log" '^Storage demo-store: passed$' "and its storage test passed"
contains "$TMPD/demo.log" '^    the label is in segments/' "the annotation came back through dataset pull"
contains "$TMPD/demo.log" '^==> done: every stage passed' "the demo says it is done"
test "$(grep -c '<section class="camera"' "$TMPD/demo-report.html")" -eq 8
check "the report it kept has the 8 cameras"
test "$(grep -c 'src="data:image/jpeg;base64,' "$TMPD/demo-report.html")" -eq 8
check "each with a picture"
test -z "$(ls -A "$TMPD/demo-tmp")"
check "the demo removed its temporary directory"
ps -eo args | grep -F "$TMPD/demo-tmp" | grep -v grep > "$TMPD/left"
test ! -s "$TMPD/left" || sed 's/^/# left: /' "$TMPD/left"
test ! -s "$TMPD/left"
check "and stopped every process it started"

done_testing
