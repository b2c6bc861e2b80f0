#!/bin/sh
# test-ls-labeler.sh - the labeler engine against the emulator: one task
# per stored segment, never two, through batches, a bisected 400, dropped
# connections, 502/503, timeouts, kill -9 between the import and the
# journal commit, Label Studio down for a while, both import reply shapes,
# s3:// references, and a bounded stop.  Time is compressed through the
# VIGIA_TEST_LS_* knobs (src/ls-tasks.c).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/ls/lib-ls.sh"

LB="$top_builddir/tests/ls/ls-labeler"
VIGIA_TEST_LS_INTERVAL_MS=0
VIGIA_TEST_LS_POLL_MS=100
VIGIA_TEST_LS_BACKOFF_MS=100
VIGIA_TEST_LS_BACKOFF_CAP_MS=400
export VIGIA_TEST_LS_INTERVAL_MS VIGIA_TEST_LS_POLL_MS \
    VIGIA_TEST_LS_BACKOFF_MS VIGIA_TEST_LS_BACKOFF_CAP_MS

n=0
# fresh SPOOL: a new journal directory
fresh() {
	n=$((n + 1))
	SP="$TMPD/spool$n"
	mkdir -p "$SP"
}
# one_each N NAME: exactly N tasks, one per segment_key
one_each() {
	emu_state "(() => { const p = s.projects[0]; if (!p) return 'no project';
	    const c = Object.values(p.segment_keys);
	    return p.task_count + ' tasks, ' + c.length + ' keys, max ' +
	    Math.max(...c); })()" > "$TMPD/one"
	contains "$TMPD/one" "^$1 tasks, $1 keys, max 1\$" "$2: exactly one task per segment"
}
imports() {
	emu GET /_emu/log | grep -o '"path":"/api/projects/[0-9]*/import"' | wc -l
}

# ---- the plain path, and a 400 bisected to the bad item -------------------
emu_start --reject-key bad-cam
fresh
"$LB" "$SP" "$EMU_URL" "$EMU_TOKEN" 6 20 --bad 3 > "$TMPD/out" 2>&1
check "all settled"
contains "$TMPD/out" '^created 5 failed 1 pending 0$' "the bad item fails alone, the rest go in"
contains "$TMPD/out" '"bisections":2' "the 400 was bisected"
contains "$TMPD/out" 'bad-cam/.*refused by this server' "the bad item gets the server's error"
one_each 5 "bisection"
emu_state 'JSON.stringify(s.projects[0].tasks[0])' > "$TMPD/task"
contains "$TMPD/task" '"video":"http://127.0.0.1:4569/segments/site-a/cam-0/1796529600.mp4\?X-Amz-Algorithm=AWS4-HMAC-SHA256&.*X-Amz-Expires=604800&.*X-Amz-Signature=[0-9a-f]{64}"' \
    "data.video is a presigned URL living presign_ttl_s"
contains "$TMPD/task" '"segment_key":"site-a/cam-0/2026-12-06T04:00:00.000Z","camera":"cam-0","site":"site-a","start_utc":"2026-12-06T04:00:00.000Z","end_utc":"2026-12-06T04:00:10.000Z","fps":12.5,"duration_s":10' \
    "flat data: segment_key, camera, site, UTC start/end, fps, duration"
contains "$TMPD/task" '"motion":\[\{"start_s":1.5,"end_s":4\}\]' "motion events from the sidecar"
contains "$TMPD/task" '"meta":\{"sha256":"a{64}","etag":"\\"0123abcd\\"","vigia_version":"[0-9.]+"' \
    "meta: sha256, ETag, vigia version"
emu_state 's.projects[0].label_config' > "$TMPD/cfg"
contains "$TMPD/cfg" 'VideoRectangle' "the project got the tracking template"
contains "$TMPD/cfg" 'frameRate="12"' "... at the cameras' frame rate"
"$LB" "$SP" "$EMU_URL" "$EMU_TOKEN" 6 5 --bad 3 > "$TMPD/out" 2>&1
contains "$TMPD/out" '"imports":0' "a rerun imports nothing"
one_each 5 "rerun"
emu_stop

# ---- a config changed in Label Studio: tasks wait, none fails -----------------
emu_start
fresh
"$LB" "$SP" "$EMU_URL" "$EMU_TOKEN" 2 20 > /dev/null 2>&1
curl -s -X PATCH -H "Authorization: Token $EMU_TOKEN" -H 'Content-Type: application/json' \
    -d '{"label_config":"<View><Image name=\"i\" value=\"$image\"/></View>"}' \
    "$EMU_URL/api/projects/1/" > /dev/null
"$LB" "$SP" "$EMU_URL" "$EMU_TOKEN" 4 3 > "$TMPD/out" 2>&1
contains "$TMPD/out" '^created 2 failed 0 pending 2$' "a config wanting other data: the new tasks wait, none fails"
contains "$TMPD/out" '"last_error":"Label Studio refused .*image.*"state":"error"' "... and the status says why"
curl -s -X PATCH -H "Authorization: Token $EMU_TOKEN" -H 'Content-Type: application/json' \
    -d '{"label_config":"<View><Video name=\"v\" value=\"$video\"/></View>"}' \
    "$EMU_URL/api/projects/1/" > /dev/null
"$LB" "$SP" "$EMU_URL" "$EMU_TOKEN" 4 20 > "$TMPD/out" 2>&1
contains "$TMPD/out" '^created 4 failed 0 pending 0$' "the config fixed: they go in"
one_each 4 "config changed"
emu_stop

# ---- batches: at most one import per interval unless a batch is full --------
emu_start
fresh
s0=$(date +%s)
VIGIA_TEST_LS_INTERVAL_MS=1500 VIGIA_TEST_LS_BATCH=4 \
    "$LB" "$SP" "$EMU_URL" "$EMU_TOKEN" 10 20 > "$TMPD/out" 2>&1
check "batched: all settled"
[ "$(imports)" -eq 3 ]
check "10 segments in batches of 4: 3 imports ($(imports))"
[ $(($(date +%s) - s0)) -ge 1 ]
check "the last, short batch waited for the interval"
one_each 10 "batches"
emu_stop

# ---- unknown outcomes: looked up before importing again ------------------------
for f in drop_after drop status502 status503 slow_after; do
	emu_start
	fresh
	case $f in
	status5*) emu POST /_emu/faults "{\"path\":\"/import\$\",\"kind\":\"status\",\"status\":${f#status},\"count\":2}" >/dev/null ;;
	slow_after) emu POST /_emu/faults '{"path":"/import$","kind":"slow_after","delay_ms":2500}' >/dev/null ;;
	*) emu POST /_emu/faults "{\"path\":\"/import\$\",\"kind\":\"$f\"}" >/dev/null ;;
	esac
	VIGIA_TEST_LS_TIMEOUT_MS=1000 "$LB" "$SP" "$EMU_URL" "$EMU_TOKEN" 4 30 > "$TMPD/out" 2>&1
	check "$f during an import: all settled"
	contains "$TMPD/out" '^created 4 failed 0 pending 0$' "$f: 4 created"
	case $f in
	drop_after|slow_after)
		contains "$TMPD/out" '"found_by_lookup":4' "$f: the server had made them: found by segment_key" ;;
	*)
		contains "$TMPD/out" '"lookups":[1-9]' "$f: looked up before importing again" ;;
	esac
	one_each 4 "$f"
	emu_stop
done

# ---- kill -9 between the import and the journal commit ------------------------
emu_start
fresh
VIGIA_TEST_LS_CRASH_AFTER_IMPORT=1 "$LB" "$SP" "$EMU_URL" "$EMU_TOKEN" 5 20 > "$TMPD/out" 2>&1
st=$?
[ $st -eq 137 ]
check "the labeler was killed after the import (status $st)"
emu_state 's.projects[0].task_count' > "$TMPD/n"
contains "$TMPD/n" '^5$' "the server made the tasks before the kill"
"$LB" "$SP" "$EMU_URL" "$EMU_TOKEN" 5 20 > "$TMPD/out" 2>&1
check "after the restart: all settled"
contains "$TMPD/out" '"found_by_lookup":5,"imports":0' "every task found by segment_key, nothing imported again"
one_each 5 "kill -9"
emu_stop

# ---- Label Studio down for a while (compressed), a PAT with short tokens ---------
emu_start --access-ttl 2
fresh
emu POST /_emu/down '{"ms":3000}' >/dev/null
s0=$(date +%s)
"$LB" "$SP" "$EMU_URL" "$EMU_PAT" 6 30 > "$TMPD/out" 2>&1
check "down, then up again: all settled"
[ $(($(date +%s) - s0)) -ge 2 ]
check "... after the outage"
contains "$TMPD/out" '^created 6 failed 0 pending 0$' "down: 6 created"
one_each 6 "down"
emu GET /_emu/log | grep -c '"status":502' > "$TMPD/n"
grep -qvx 0 "$TMPD/n"
check "the outage was seen (502s)"
# down again in the middle of a second batch
fresh
emu POST /_emu/faults '{"path":"/import$","kind":"drop_after"}' >/dev/null
emu POST /_emu/faults '{"path":"/api/tasks/","kind":"status","status":503,"count":3}' >/dev/null
"$LB" "$SP" "$EMU_URL" "$EMU_PAT" 4 30 --title "second" > "$TMPD/out" 2>&1
check "dropped import, then failing lookups: all settled"
emu_state 's.projects[1].task_count' > "$TMPD/n"
contains "$TMPD/n" '^4$' "second project: exactly 4 tasks"
emu_stop

# ---- the enterprise reply shape: {"import": id}, polled ---------------------------
emu_start --import-mode lse --reject-key bad-cam
fresh
"$LB" "$SP" "$EMU_URL" "$EMU_TOKEN" 4 20 --bad 1 > "$TMPD/out" 2>&1
check "async imports: all settled"
contains "$TMPD/out" '^created 3 failed 1 pending 0$' "async: item errors from the polled import, bisected"
one_each 3 "async"
emu_stop

# ---- s3:// with the resolver storage ------------------------------------------------
emu_start
fresh
"$LB" "$SP" "$EMU_URL" "$EMU_TOKEN" 2 20 --s3 --template video-classification > "$TMPD/out" 2>&1
check "s3://: all settled"
emu_state 's.projects[0].tasks[0].data.video' > "$TMPD/v"
contains "$TMPD/v" '^s3://segments/site-a/cam-0/1796529600.mp4$' "data.video is s3://bucket/key"
emu_state 'JSON.stringify(s.projects[0].storages)' > "$TMPD/v"
contains "$TMPD/v" '"bucket":"segments".*"presign":true.*"synchronizable":false' \
    "the resolver-only storage is in the project"
curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Token $EMU_TOKEN" \
    "$EMU_URL/tasks/1/resolve/?fileuri=$(printf 's3://segments/site-a/cam-0/1796529600.mp4' | base64 -w0 | tr '+/' '-_' | tr -d =)" > "$TMPD/v"
contains "$TMPD/v" '^303$' "the server resolves the s3:// URI (303 to a presigned URL)"
emu_stop

# ---- a bounded stop, even inside a slow import ----------------------------------------
emu_start
fresh
emu POST /_emu/faults '{"path":"/import$","kind":"slow","delay_ms":20000}' >/dev/null
s0=$(date +%s)
"$LB" "$SP" "$EMU_URL" "$EMU_TOKEN" 2 1 > "$TMPD/out" 2>&1
s1=$(date +%s)
[ $((s1 - s0)) -le 5 ]
check "the engine stops within 5 s during a slow import ($((s1 - s0)) s)"
emu_stop
emu_start
fresh
emu POST /_emu/faults '{"path":"/import$","kind":"429","retry_after":20}' >/dev/null
s0=$(date +%s)
VIGIA_TEST_LS_TIMEOUT_MS=30000 "$LB" "$SP" "$EMU_URL" "$EMU_TOKEN" 2 1 > "$TMPD/out" 2>&1
s1=$(date +%s)
[ $((s1 - s0)) -le 5 ]
check "... and while it waits out a 429's Retry-After ($((s1 - s0)) s)"
emu GET /_emu/log | grep -c '"status":429' > "$TMPD/n"
contains "$TMPD/n" '^1$' "the 429 was met (and not retried at once)"
emu_stop

# ---- chaos: kill -9 at random moments while imports fail in every way --------
if [ "${VIGIA_QUICK:-0}" = 1 ]; then
	echo "# VIGIA_QUICK=1: the chaos part is left to the normal build"
	done_testing
fi
emu_start --access-ttl 2
fresh
emu POST /_emu/faults '[{"path":"/import$","kind":"drop_after","count":3},
    {"path":"/import$","kind":"slow_after","delay_ms":2500,"count":2},
    {"path":"/import$","kind":"status","status":503,"count":3},
    {"path":"/import$","kind":"drop","count":2},
    {"path":"/api/tasks/","kind":"status","status":502,"count":2},
    {"path":"/refresh","kind":"drop","count":1}]' > /dev/null
seed=${VG_LS_CHAOS_SEED:-$$}
echo "# chaos seed $seed"
k=0
while [ $k -lt 10 ]; do
	VIGIA_TEST_LS_BATCH=5 VIGIA_TEST_LS_TIMEOUT_MS=1000 \
	    "$LB" "$SP" "$EMU_URL" "$EMU_PAT" 40 30 > /dev/null 2>&1 &
	pid=$!
	sleep "$(awk -v s="$seed" -v k="$k" 'BEGIN { srand(s + k); printf "%.2f", 0.2 + rand() * 1.2 }')"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	k=$((k + 1))
done
VIGIA_TEST_LS_BATCH=5 VIGIA_TEST_LS_TIMEOUT_MS=1000 \
    "$LB" "$SP" "$EMU_URL" "$EMU_PAT" 40 90 > "$TMPD/out" 2>&1
check "after 10 kill -9 and every fault: all settled"
contains "$TMPD/out" '^created 40 failed 0 pending 0$' "chaos: 40 created"
one_each 40 "chaos"
emu_stop

# ---- a long outage (15 s standing for many minutes): backoff, then a drain ----
emu_start
fresh
emu POST /_emu/down '{"ms":15000}' >/dev/null
s0=$(date +%s)
VIGIA_TEST_LS_BACKOFF_CAP_MS=2000 VIGIA_TEST_LS_BATCH=10 \
    "$LB" "$SP" "$EMU_URL" "$EMU_TOKEN" 30 60 > "$TMPD/out" 2>&1
check "a long outage: all settled afterwards"
[ $(($(date +%s) - s0)) -ge 14 ]
check "... only once it was over"
contains "$TMPD/out" '^created 30 failed 0 pending 0$' "outage: 30 created"
one_each 30 "outage"
emu GET /_emu/log | grep -o '"status":502' | wc -l > "$TMPD/n"
[ "$(cat "$TMPD/n")" -le 20 ]
check "the backoff kept the requests during the outage few ($(cat "$TMPD/n") in 15 s)"
emu_stop
done_testing
