#!/bin/sh
# tests/store/test-upload-engine.sh - the uploader engine on a journal:
# segments and sidecars to S3 under key_template, read back by rclone;
# kill -9 in the middle of a multipart upload and of an FTP upload, then
# a restart: exactly one object with the right bytes, no finished part
# sent again; the store down and back; a 500 storm; a permanent error
# keeps the segment; the bandwidth cap shared by two workers.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/store/lib-store.sh"
command -v rclone >/dev/null 2>&1 || skip "rclone missing (tools/deps.sh)"
store_s3_start || { check "the S3 test server starts"; done_testing; }
VIGIA_TEST_PART_BYTES=1048576 VIGIA_TEST_BACKOFF_MS=200 \
VIGIA_TEST_BACKOFF_CAP_MS=1000 VIGIA_TEST_POLL_MS=100
export VIGIA_TEST_PART_BYTES VIGIA_TEST_BACKOFF_MS VIGIA_TEST_BACKOFF_CAP_MS \
    VIGIA_TEST_POLL_MS
C="$TMPD/v.conf"
T0=1796540400	# 2026-12-06T07:00:00Z
rcl() { env -u AWS_CA_BUNDLE rclone --config "$TMPD/rclone.conf" "$@"; }
sum() { sha256sum <"$1" | cut -d' ' -f1; }
seg() {	# seg NAME BYTES: a segment file and its sidecar
	head -c "$2" /dev/urandom >"$TMPD/spool/$1.mp4"
	printf '{"segment":"%s"}\n' "$1" >"$TMPD/spool/$1.json"
}

# ---- a backlog drains, keys from the template, sidecars beside --------------
store_conf "$C" "$(s3_group)" 'key_template = "{site}/{camera}/{date}/{start}.mp4";'
for i in 1 2 3 4 5; do
	seg s$i $((200000 * i))
	"$UPLOAD_TOOL" add "$C" "$TMPD/spool/s$i.mp4" cam-$((i % 2)) $((T0 + 600 * i)) \
	    "$TMPD/spool/s$i.json" >/dev/null
done
"$UPLOAD_TOOL" run "$C" 60 >"$TMPD/status" 2>"$TMPD/run.err"
check "five segments are stored" || cat "$TMPD/run.err"
contains "$TMPD/status" '"backlog": 0.*"stored": 5' "the status says backlog 0, stored 5"
"$UPLOAD_TOOL" show "$C" "$TMPD/spool/s3.mp4" >"$TMPD/row"
contains "$TMPD/row" "up=stored key=site-a/cam-1/2026-12-06/20261206T073000.000Z.mp4 etag=[0-9a-f]{32} attempts=1 sidecar=1" \
    "the journal has the key (site, camera, start), the ETag, the sidecar"
[ "$(s3_sha256 site-a/cam-1/2026-12-06/20261206T073000.000Z.mp4)" = "$(sum "$TMPD/spool/s3.mp4")" ] &&
[ "$(s3_sha256 site-a/cam-1/2026-12-06/20261206T073000.000Z.json)" = "$(sum "$TMPD/spool/s3.json")" ]
check "rclone reads back the segment and its sidecar (SHA-256)"
[ -f "$TMPD/spool/s1.mp4" ] && [ -f "$TMPD/spool/s5.mp4" ]
check "local copies are left to retention"
[ "$(rcl lsf -R "t:$S3_BUCKET/site-a" | grep -c '\.mp4$')" -eq 5 ]
check "five objects, one per segment"

# ---- kill -9 in the middle of a multipart upload ------------------------------
store_conf "$C" "$(s3_group)" 'bandwidth_kbps = 16000; upload_concurrency = 1;'
seg big 12000000
"$UPLOAD_TOOL" add "$C" "$TMPD/spool/big.mp4" cam-9 $((T0 + 9000)) "$TMPD/spool/big.json" >/dev/null
before=$(s3_ctl stats | sed 's/.*"parts":\([0-9]*\).*/\1/')
"$UPLOAD_TOOL" run "$C" 60 >/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 100 ]; do
	n=$(($(s3_ctl stats | sed 's/.*"parts":\([0-9]*\).*/\1/') - before))
	[ "$n" -ge 4 ] && break
	sleep 0.1; i=$((i + 1))
done
kill -9 $pid; wait $pid 2>/dev/null
"$UPLOAD_TOOL" show "$C" "$TMPD/spool/big.mp4" >"$TMPD/row"
contains "$TMPD/row" "up=uploading .*upload_id=[0-9a-f]+" "killed -9 while uploading parts ($n sent)"
store_conf "$C" "$(s3_group)" 'upload_concurrency = 1;'
"$UPLOAD_TOOL" run "$C" 60 >"$TMPD/status" 2>"$TMPD/run.err"
check "the restart completes the upload" || cat "$TMPD/run.err"
"$UPLOAD_TOOL" show "$C" "$TMPD/spool/big.mp4" >"$TMPD/row"
contains "$TMPD/row" "up=stored key=site-a/cam-9/.*etag=[0-9a-f]{32}" "stored, with the key fixed before the crash"
key=$(sed 's/.* key=\([^ ]*\) .*/\1/' "$TMPD/row")
[ "$(s3_sha256 "$key")" = "$(sum "$TMPD/spool/big.mp4")" ]
check "the object has the right bytes (rclone, SHA-256)"
[ "$(rcl lsf -R "t:$S3_BUCKET/site-a/cam-9" | grep -c '\.mp4$')" -eq 1 ]
check "exactly one object for the segment"
total=$(($(s3_ctl stats | sed 's/.*"parts":\([0-9]*\).*/\1/') - before))
[ "$total" -le 13 ]
check "no finished part was sent again ($total part requests for 12 parts)"

# ---- the store down, then back ----------------------------------------------
store_stop s3
seg d1 300000
"$UPLOAD_TOOL" add "$C" "$TMPD/spool/d1.mp4" cam-1 $((T0 + 20000)) "$TMPD/spool/d1.json" >/dev/null
"$UPLOAD_TOOL" run "$C" 2 >"$TMPD/status" 2>/dev/null
[ $? -eq 2 ]
check "with the store down the backlog stays"
"$UPLOAD_TOOL" show "$C" "$TMPD/spool/d1.mp4" >"$TMPD/row"
contains "$TMPD/row" "up=ready .*attempts=([2-9]|[1-9][0-9]) .*class=net error=cannot reach 127.0.0.1" \
    "retried with backoff, the error in plain words"
contains "$TMPD/status" '"last_error": \{"age_s": [0-9]+, "class": "net"' "the status shows the last error"
store_s3_start "$S3_REGION" "$S3_PORT" || check "the store comes back"
"$UPLOAD_TOOL" run "$C" 30 >/dev/null 2>&1
check "once the store is back the backlog drains"

# ---- a 500 storm --------------------------------------------------------------
s3_ctl fault 'status=500&count=8' >/dev/null
seg f1 300000
seg f2 2500000
"$UPLOAD_TOOL" add "$C" "$TMPD/spool/f1.mp4" cam-1 $((T0 + 30000)) "$TMPD/spool/f1.json" >/dev/null
"$UPLOAD_TOOL" add "$C" "$TMPD/spool/f2.mp4" cam-1 $((T0 + 30600)) "$TMPD/spool/f2.json" >/dev/null
"$UPLOAD_TOOL" run "$C" 60 >/dev/null 2>&1
check "a storm of 8 HTTP 500s is ridden out"
[ "$(s3_ctl stats | sed 's/.*"faults":\([0-9]*\).*/\1/')" -eq 8 ]
check "all 8 faults were served"
"$UPLOAD_TOOL" show "$C" "$TMPD/spool/f2.mp4" >"$TMPD/row"
key=$(sed 's/.* key=\([^ ]*\) .*/\1/' "$TMPD/row")
[ "$(s3_sha256 "$key")" = "$(sum "$TMPD/spool/f2.mp4")" ]
check "the multipart object after the storm has the right bytes"

# ---- a permanent error keeps the segment ----------------------------------------
store_conf "$C.bad" "$(s3_group "$S3_REGION" wrong-secret-0123456789)"
seg p1 100000
"$UPLOAD_TOOL" add "$C" "$TMPD/spool/p1.mp4" cam-1 $((T0 + 40000)) "$TMPD/spool/p1.json" >/dev/null
"$UPLOAD_TOOL" run "$C.bad" 10 >"$TMPD/status" 2>"$TMPD/run.err"
"$UPLOAD_TOOL" show "$C" "$TMPD/spool/p1.mp4" >"$TMPD/row"
contains "$TMPD/row" "up=failed .*class=auth error=the secret key is wrong" "a wrong secret fails the segment (permanent)"
contains "$TMPD/run.err" "ALARM: segment .*p1.mp4 cannot be stored" "and raises an alarm in the log"
[ -f "$TMPD/spool/p1.mp4" ]
check "the segment is kept"

# ---- the bandwidth cap, shared by two workers --------------------------------
if [ "${VIGIA_QUICK:-0}" != 1 ]; then
	store_conf "$C" "$(s3_group)" 'bandwidth_kbps = 8000; upload_concurrency = 2;'
	for i in 1 2 3 4; do
		seg b$i 2000000
		"$UPLOAD_TOOL" add "$C" "$TMPD/spool/b$i.mp4" cam-2 $((T0 + 50000 + 600 * i)) "$TMPD/spool/b$i.json" >/dev/null
	done
	t0=$(date +%s.%N)
	"$UPLOAD_TOOL" run "$C" 60 >/dev/null 2>&1
	t1=$(date +%s.%N)
	# 8,000,000 bytes at 1,000,000 B/s: 8 s; within 10 % over
	awk -v a="$t0" -v b="$t1" 'BEGIN { r = 8000000 / (b - a);
	    printf "# %.0f B/s over %.1f s (cap 1000000)\n", r, b - a;
	    exit !(r <= 1100000 && r >= 850000) }'
	check "the cap of 8000 kbit/s holds within 10 % over two workers"
fi

# ---- upload windows -------------------------------------------------------------
ws=$(date -d '+2 hours' +%H:10) we=$(date -d '+3 hours' +%H:20)
store_conf "$C" "$(s3_group)" "upload_windows = [ \"daily $ws-$we\" ];"
seg w1 100000
"$UPLOAD_TOOL" add "$C" "$TMPD/spool/w1.mp4" cam-3 $((T0 + 70000)) "$TMPD/spool/w1.json" >/dev/null
"$UPLOAD_TOOL" run "$C" 2 >"$TMPD/status" 2>/dev/null
[ $? -eq 2 ]
check "outside its upload window ($ws-$we) nothing is uploaded"
contains "$TMPD/status" '"backlog": 1,.*"window_open": false' "the status says the window is closed"
store_conf "$C" "$(s3_group)" "upload_windows = [ \"daily $ws-$we\", \"daily $(date -d '-1 hour' +%H:%M)-$(date -d '+1 hour' +%H:%M)\" ];"
"$UPLOAD_TOOL" run "$C" 20 >/dev/null 2>&1
check "inside a window the backlog drains"

# ---- kill -9 in the middle of an FTP upload ------------------------------------
store_ftp_start plain || { check "vsftpd starts"; done_testing; }
store_conf "$C" "type = \"ftp\"; host = \"127.0.0.1\"; port = $FTP_PORT; user = \"$FTP_USER\"; password = \"$FTP_PASS\"; directory = \"$FTP_ROOT\";" \
    'bandwidth_kbps = 16000; upload_concurrency = 1;'
seg ftpbig 6000000
"$UPLOAD_TOOL" add "$C" "$TMPD/spool/ftpbig.mp4" cam-7 $((T0 + 60000)) "$TMPD/spool/ftpbig.json" >/dev/null
"$UPLOAD_TOOL" run "$C" 60 >/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 100 ]; do
	p=$(find "$FTP_ROOT" -name '*.part' -size +1000k 2>/dev/null | head -1)
	[ -n "$p" ] && break
	sleep 0.1; i=$((i + 1))
done
kill -9 $pid; wait $pid 2>/dev/null
[ -n "$p" ]
check "killed -9 in the middle of the FTP upload ($(stat -c %s "$p" 2>/dev/null) bytes sent)"
store_conf "$C" "type = \"ftp\"; host = \"127.0.0.1\"; port = $FTP_PORT; user = \"$FTP_USER\"; password = \"$FTP_PASS\"; directory = \"$FTP_ROOT\";"
"$UPLOAD_TOOL" run "$C" 60 >/dev/null 2>"$TMPD/run.err"
check "the restart completes the FTP upload" || cat "$TMPD/run.err"
"$UPLOAD_TOOL" show "$C" "$TMPD/spool/ftpbig.mp4" >"$TMPD/row"
key=$(sed 's/.* key=\([^ ]*\) .*/\1/' "$TMPD/row")
[ "$(ftp_sha256 "$FTP_ROOT/$key")" = "$(sum "$TMPD/spool/ftpbig.mp4")" ]
check "the file has the right bytes (curl, SHA-256)" || {
	echo "# journal: $(cat "$TMPD/row")"
	echo "# stored: $(stat -c %s "$FTP_ROOT/$key" 2>&1), local: $(stat -c %s "$TMPD/spool/ftpbig.mp4")"
	sed 's/^/# /' "$TMPD/run.err" | tail -20
	cmp "$FTP_ROOT/$key" "$TMPD/spool/ftpbig.mp4" 2>&1 | sed 's/^/# /'
}
[ "$(find "$FTP_ROOT" -name '*.mp4*' | wc -l)" -eq 1 ] && [ -f "$FTP_ROOT/${key%.mp4}.json" ]
check "exactly one file, no .part left, the sidecar beside it"
done_testing
