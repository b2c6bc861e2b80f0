#!/bin/sh
# test-vigiad-pipeline.sh - the whole dataflow of a segment, through vigiad:
# camera (vigia-sim) -> fMP4 segment -> spool journal -> S3 (the test
# server) -> a Label Studio task (the emulator), exactly one per segment;
# the object read back with an independent client has the segment's
# SHA-256, and the task's presigned URL fetches the same bytes.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/record/lib-record.sh"
. "$top_srcdir/tests/store/lib-store.sh"
. "$top_srcdir/tests/ls/lib-ls.sh"

command -v rclone > /dev/null || skip "rclone is not installed"
# compressed time: quick polls, no 30 s import interval
VIGIA_TEST_POLL_MS=200 VIGIA_TEST_BACKOFF_MS=200 VIGIA_TEST_BACKOFF_CAP_MS=1000
VIGIA_TEST_LS_INTERVAL_MS=0 VIGIA_TEST_LS_POLL_MS=200
VIGIA_TEST_LS_BACKOFF_MS=200 VIGIA_TEST_LS_BACKOFF_CAP_MS=1000
export VIGIA_TEST_POLL_MS VIGIA_TEST_BACKOFF_MS VIGIA_TEST_BACKOFF_CAP_MS \
    VIGIA_TEST_LS_INTERVAL_MS VIGIA_TEST_LS_POLL_MS VIGIA_TEST_LS_BACKOFF_MS \
    VIGIA_TEST_LS_BACKOFF_CAP_MS

sim_start --cameras 2 --no-discovery
check "vigia-sim started"
store_s3_start
emu_start

rec_camera 0 gate > "$TMPD/c0"
rec_camera 1 dock > "$TMPD/c1"
CONF="$TMPD/vigia.conf"
mkdir -p "$SPOOL"
{
	echo 'version = 1;'
	echo 'site = { id = "pipe"; timezone = "Europe/Madrid"; };'
	echo "defaults = { onvif = { port = $SIM_PORT; timeout_ms = 5000; };"
	echo '    recording = { segment_s = 10; }; };'
	echo 'cameras = ('
	cat "$TMPD/c0"
	echo ','
	cat "$TMPD/c1"
	echo ');'
	echo "storage = ( { name = \"t\"; $(s3_group) } );"
	echo 'nvr = { mode = "vigiad"; };'
	echo "label_studio = { enabled = true; url = \"$EMU_URL\";"
	echo "    token = \"$EMU_TOKEN\"; project_title = \"pipeline\";"
	echo '    label_config = "video-classification"; };'
	echo "vigiad = { spool_dir = \"$SPOOL\"; storage = \"t\";"
	echo "    status_socket = \"$STATUS_SOCK\";"
	echo '    retention = { min_free_gb = 0.0; min_free_h = 0.0; }; };'
} > "$CONF"
chmod 600 "$CONF"
"$VIGIAD" --check -c "$CONF" > "$TMPD/check" 2>&1
st=$?
sed 's/^/# /' "$TMPD/check"
(exit $st)
check "vigiad accepts the configuration"

vigiad_start "$CONF"
check "vigiad started"
# wait for at least 3 tasks (the first segments of both cameras and one
# more): about 25 s of recording
i=0
while [ $i -lt 90 ]; do
	n=$(status_json 2> /dev/null | jq -r '.labeler.tasks_created // 0')
	[ "${n:-0}" -ge 3 ] && break
	sleep 1
	i=$((i + 1))
done
status_json > "$TMPD/status.json"
test "${n:-0}" -ge 3
check "vigiad created Label Studio tasks for stored segments ($n)"
jq -e '.uploader.target == "t" and .uploader.stored >= 3' \
    "$TMPD/status.json" > /dev/null
check "vigia status shows the uploader and what it stored"
vigiad_stop
test "$VIGIAD_EXIT" -eq 0
check "SIGTERM stops vigiad cleanly with every engine (exit $VIGIAD_EXIT, ${VIGIAD_MS} ms)"
test "$VIGIAD_MS" -lt 5000
check "within 5 s"

# every stored segment: the object's bytes are the segment's, one task each
emu_state "(() => { const p = s.projects[0]; const c = Object.values(p.segment_keys);
    return p.task_count + ' tasks, ' + c.length + ' keys, max ' + Math.max(...c); })()" \
    > "$TMPD/tasks"
sed 's/^/# /' "$TMPD/tasks"
grep -qE '^([0-9]+) tasks, \1 keys, max 1$' "$TMPD/tasks"
check "exactly one task per segment"
emu_state 'JSON.stringify(s.projects[0].tasks.map((t) => t.data))' > "$TMPD/data.json"
ok=0 bad=0
for key in $(jq -r '.[].segment_key' "$TMPD/data.json"); do
	url=$(jq -r --arg k "$key" '.[] | select(.segment_key == $k) | .video' "$TMPD/data.json")
	obj=$(printf '%s' "$url" | sed -e 's|^[a-z]*://[^/]*/[^/]*/||' -e 's|?.*||')
	via_url=$(curl -s -m 10 "$url" | sha256sum | cut -d' ' -f1)
	via_rclone=$(s3_sha256 "$obj")
	local_sha=$(find "$SPOOL" -name '*.json' -exec jq -r --arg o "$obj" \
	    'select(.sha256 != null) | .sha256' {} + 2> /dev/null | grep -x "$via_rclone" | head -1)
	if [ -n "$via_url" ] && [ "$via_url" = "$via_rclone" ] &&
	    [ "$local_sha" = "$via_rclone" ]; then
		ok=$((ok + 1))
	else
		bad=$((bad + 1))
		echo "# $key: url $via_url, rclone $via_rclone, sidecar ${local_sha:-none}"
	fi
done
test $ok -ge 3 && test $bad -eq 0
check "each task's presigned URL, rclone and the sidecar agree on the bytes ($ok ok, $bad not)"
jq -e '.[0].video | test("X-Amz-Signature=[0-9a-f]{64}")' "$TMPD/data.json" > /dev/null
check "data.video is a presigned URL"

done_testing
