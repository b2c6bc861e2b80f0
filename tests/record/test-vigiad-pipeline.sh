#!/bin/sh
# test-vigiad-pipeline.sh - the whole dataflow of a segment, through vigiad:
# camera (vigia-sim) -> fMP4 segment -> spool journal -> S3 (the test
# server) -> a Label Studio task (the emulator), exactly one per segment;
# the object read back with an independent client has the segment's
# SHA-256, the task's presigned URL fetches the same bytes, and Label
# Studio's own editor (1.4.0, in headless Chromium) plays that URL to the
# segment's true duration and seeks to its end.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/record/lib-record.sh"
. "$top_srcdir/tests/store/lib-store.sh"
. "$top_srcdir/tests/ls/lib-ls.sh"
. "$top_srcdir/tests/ls/lib-frontend.sh"

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
"$VIGIA" status --socket "$STATUS_SOCK" > "$TMPD/status.txt" 2>&1
contains "$TMPD/status.txt" '^Uploads to t: [0-9]+ waiting .* [0-9]+ stored, 0 failed$' \
    "vigia status says what waits for upload, in plain words"
contains "$TMPD/status.txt" '^Label Studio: [0-9]+ tasks created' \
    "and how many Label Studio tasks were created"
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


# ---- retention: stored segments with their task leave the spool ----------
# keep_uploaded_h = 0: a restart deletes every local copy that is stored
# and has its task, keeps the journal rows, and leaves the objects
sed 's/min_free_h = 0.0; };/min_free_h = 0.0; keep_uploaded_h = 0; };/' "$CONF" > "$TMPD/keep0.conf"
chmod 600 "$TMPD/keep0.conf"
gone_before=$(jq -r '.[].segment_key' "$TMPD/data.json" | wc -l)
VIGIA_TEST_RETENTION_MS=300 vigiad_start "$TMPD/keep0.conf"
i=0
while [ $i -lt 30 ]; do
	del=$(status_json 2> /dev/null | jq -r '.spool.deleted_by_retention // 0')
	[ "${del:-0}" -ge "$gone_before" ] && break
	sleep 0.5
	i=$((i + 1))
done
vigiad_stop
test "${del:-0}" -ge "$gone_before"
check "retention deleted the local copies that are stored and labeled ($del of $gone_before)"
kept=0
for key in $(jq -r '.[].video' "$TMPD/data.json" | sed -e 's|^[a-z]*://[^/]*/[^/]*/||' -e 's|?.*||'); do
	[ -n "$(s3_sha256 "$key")" ] && kept=$((kept + 1))
done
test "$kept" -eq "$gone_before"
check "their objects stay in the store"
grep -q 'retention: deleted ' "$TMPD/vigiad.log"
check "each deletion is logged"

# ---- the annotator's view: Label Studio's editor plays the stored segment
if [ "${VIGIA_QUICK:-0}" = 1 ]; then
	echo "# VIGIA_QUICK=1: the editor check is left to the normal build"
elif command -v chromium > /dev/null && command -v npm > /dev/null; then
	NODE_DIR="$top_builddir/tests/node/ls-frontend"
	LSF="$NODE_DIR/node_modules/@heartexlabs/label-studio/build/static"
	if [ ! -f "$LSF/js/main.js" ]; then
		mkdir -p "$NODE_DIR"
		timeout 300 npm install --silent --no-audit --no-fund \
		    --prefix "$NODE_DIR" @heartexlabs/label-studio@1.4.0 \
		    > "$TMPD/npm.log" 2>&1 || sed 's/^/# /' "$TMPD/npm.log"
	fi
	test -f "$LSF/js/main.js"
	check "the editor's bundle (npm @heartexlabs/label-studio@1.4.0)"
	# the longest task: a whole segment
	jq -r 'max_by(.duration_s) | "\(.video) \(.duration_s) \(.fps)"' \
	    "$TMPD/data.json" > "$TMPD/pick"
	read -r url dur fps < "$TMPD/pick"
	mkdir -p "$TMPD/site" "$TMPD/profile"
	ln -s "$LSF" "$TMPD/site/ls"
	"$LS_TOOL" - - render video-classification "${fps%.*}" > "$TMPD/config.xml"
	page "$TMPD/site/index.html" "$TMPD/config.xml" "$url" "$fps"
	node "$top_srcdir/tests/ls/media-server.mjs" --dir "$TMPD/site" \
	    --port-file "$TMPD/site.port" &
	SITE_PID=$!
	vg_at_exit 'kill $SITE_PID 2>/dev/null'
	i=0
	while [ ! -s "$TMPD/site.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	node --experimental-websocket --no-warnings "$top_srcdir/tests/ls/cdp-check.mjs" \
	    "http://127.0.0.1:$(cat "$TMPD/site.port")/index.html" "$TMPD/profile" \
	    60000 "$dur" empty activity camera_fault > "$TMPD/report" 2> "$TMPD/cdp.err"
	st=$?
	sed 's/^/# /' "$TMPD/report"
	(exit $st)
	check "Label Studio's editor plays the recorded, uploaded segment to its ${dur} s and seeks to its end"
else
	echo "# chromium or npm missing: the editor check did not run"
fi

done_testing
