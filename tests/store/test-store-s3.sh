#!/bin/sh
# tests/store/test-store-s3.sh - the S3 target against s3rver: single PUT
# and multipart, read back by rclone (SHA-256), the ETag checks, and each
# misconfiguration with its plain-words message.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/store/lib-store.sh"
command -v rclone >/dev/null 2>&1 || skip "rclone missing (tools/deps.sh)"
store_s3_start || { check "the S3 test server starts"; done_testing; }
# parts of 1 MiB (s3rver allows parts under S3's 5 MiB)
VIGIA_TEST_PART_BYTES=1048576
export VIGIA_TEST_PART_BYTES
C="$TMPD/v.conf"
store_conf "$C" "$(s3_group)"

head -c 300000 /dev/urandom >"$TMPD/small.mp4"
head -c 3500000 /dev/urandom >"$TMPD/big.mp4"
"$UPLOAD_TOOL" put "$C" t "$TMPD/small.mp4" cam/small.mp4 >"$TMPD/out" 2>&1
check "a single PUT succeeds" || cat "$TMPD/out"
contains "$TMPD/out" "etag=$(md5sum <"$TMPD/small.mp4" | cut -c1-32) bytes=300000 .*multipart=0" \
    "its ETag is the file's MD5, verified by HEAD"
[ "$(s3_sha256 cam/small.mp4)" = "$(sha256sum <"$TMPD/small.mp4" | cut -d' ' -f1)" ]
check "rclone reads back the same bytes (SHA-256)"

"$UPLOAD_TOOL" put "$C" t "$TMPD/big.mp4" "cam/dir/big file+1.mp4" >"$TMPD/out" 2>&1
check "a multipart upload succeeds" || cat "$TMPD/out"
contains "$TMPD/out" "etag=[0-9a-f]{32}(-4)? bytes=3500000 .*multipart=1" \
    "4 parts, the ETag checked (MD5-of-MD5s-4, or the whole MD5 as s3rver gives)"
[ "$(s3_sha256 "cam/dir/big file+1.mp4")" = "$(sha256sum <"$TMPD/big.mp4" | cut -d' ' -f1)" ]
check "rclone reads back the multipart object (SHA-256)"
"$UPLOAD_TOOL" get "$C" t "cam/dir/big file+1.mp4" "$TMPD/back" && cmp -s "$TMPD/back" "$TMPD/big.mp4"
check "our GET reads it back too"
"$UPLOAD_TOOL" del "$C" t cam/small.mp4 && ! "$UPLOAD_TOOL" get "$C" t cam/small.mp4 "$TMPD/gone" >"$TMPD/out"
check "DELETE removes the object"
contains "$TMPD/out" "error missing" "a missing object is reported as missing"

# storage class and server-side encryption headers
store_conf "$C.x" "$(s3_group) storage_class = \"STANDARD_IA\"; sse = \"kms\"; sse_kms_key_id = \"key-1\";"
"$UPLOAD_TOOL" put "$C.x" t "$TMPD/small.mp4" cam/ia.mp4 >"$TMPD/out" 2>&1
check "a PUT with storage class and SSE-KMS succeeds" || cat "$TMPD/out"
s3_ctl last >"$TMPD/last"
contains "$TMPD/last" '"content-md5":"[A-Za-z0-9+/]{22}==".*"x-amz-storage-class":"STANDARD_IA","x-amz-server-side-encryption":"aws:kms","x-amz-server-side-encryption-aws-kms-key-id":"key-1"' \
    "Content-MD5, x-amz-storage-class and the SSE-KMS headers are sent"
curl -s -I -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' --aws-sigv4 "aws:amz:$S3_REGION:s3" \
    -u "$S3_KEY:$S3_SECRET" "$S3_URL/$S3_BUCKET/cam/ia.mp4" >"$TMPD/head"
contains "$TMPD/head" "x-amz-storage-class: STANDARD_IA" "the store keeps the storage class"
store_conf "$C.x" "$(s3_group) sse = \"s3\";"
"$UPLOAD_TOOL" put "$C.x" t "$TMPD/big.mp4" cam/sse.mp4 >"$TMPD/out" 2>&1
check "a multipart upload with SSE-S3 succeeds" || cat "$TMPD/out"
s3_ctl last >"$TMPD/last"
contains "$TMPD/last" '"method":"POST","query":"\?uploadId=' "(the last request completes the upload)"
grep -q 'x-amz-server-side-encryption' "$TMPD/last"
[ $? -ne 0 ]
check "SSE is asked when the upload is created, not on Complete"

# a slow store: the stall deadline (no byte moving for 1 s here)
s3_ctl delay ms=4000 >/dev/null
VIGIA_TEST_LOW_SPEED_S=1 "$UPLOAD_TOOL" put "$C" t "$TMPD/big.mp4" slow.mp4 >"$TMPD/out"
contains "$TMPD/out" "error net transient: 127.0.0.1:$S3_PORT did not answer in time" \
    "a store that stops answering is a transient timeout"
s3_ctl delay ms=0 >/dev/null

# bounded memory: a 200 MB file in one PUT (part size 256 MiB) and in
# 8 MiB parts, streamed from disk: the client stays far below the file
if [ "${VIGIA_QUICK:-0}" != 1 ]; then
	head -c 200000000 /dev/zero >"$TMPD/huge.mp4"
	for pb in 268435456 8388608; do
		VIGIA_TEST_PART_BYTES=$pb python3 -c '
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' \
		    "$UPLOAD_TOOL" put "$C" t "$TMPD/huge.mp4" huge.mp4 >"$TMPD/rss"
		read -r rc rss <"$TMPD/rss"
		echo "# part $pb: exit $rc, max RSS $rss KiB"
		[ "$rc" -eq 0 ] && [ "$rss" -lt 40000 ]
		check "200 MB uploaded (parts of $pb bytes) in under 40 MiB of memory"
	done
	rm -f "$TMPD/huge.mp4"
fi

# unsigned requests are refused by the test server (the launcher)
[ "$(curl -s -o /dev/null -w '%{http_code}' "$S3_URL/$S3_BUCKET/cam/dir/big%20file%2B1.mp4")" = 403 ]
check "the server refuses an unsigned GET"

# ---- misconfigurations, each in plain words -------------------------------
store_conf "$C.bad" "$(s3_group "$S3_REGION" wrong-secret-0123456789)"
"$UPLOAD_TOOL" put "$C.bad" t "$TMPD/small.mp4" x.mp4 >"$TMPD/out"
contains "$TMPD/out" "error auth permanent: the secret key is wrong for access key $S3_KEY \(SignatureDoesNotMatch\)" \
    "wrong secret: SignatureDoesNotMatch in plain words"
sed "s/$S3_KEY/AKIAUNKNOWN000000000/" "$C" >"$C.bad"
"$UPLOAD_TOOL" put "$C.bad" t "$TMPD/small.mp4" x.mp4 >"$TMPD/out"
contains "$TMPD/out" "error auth permanent: the store does not know the access key AKIAUNKNOWN000000000" \
    "unknown access key"
sed "s/bucket = \"$S3_BUCKET\"/bucket = \"no-such-bucket\"/" "$C" >"$C.bad"
"$UPLOAD_TOOL" put "$C.bad" t "$TMPD/small.mp4" x.mp4 >"$TMPD/out"
contains "$TMPD/out" "error bucket permanent: the bucket no-such-bucket does not exist" \
    "missing bucket"
store_conf "$C.bad" "$(s3_group us-east-2)"
"$UPLOAD_TOOL" put "$C.bad" t "$TMPD/small.mp4" x.mp4 >"$TMPD/out"
contains "$TMPD/out" "error region permanent: the bucket $S3_BUCKET is in region $S3_REGION, not us-east-2: set region = \"$S3_REGION\"" \
    "wrong region, with the right one from the reply"
s3_ctl clock offset=-1234 >/dev/null
"$UPLOAD_TOOL" put "$C" t "$TMPD/small.mp4" x.mp4 >"$TMPD/out"
contains "$TMPD/out" "error clock transient: this box's clock is off by 123[3-5] s from the store's \(RequestTimeTooSkewed\)" \
    "clock skew: off by N s"
s3_ctl clock offset=0 >/dev/null
s3_ctl fault status=503\&count=100 >/dev/null
"$UPLOAD_TOOL" put "$C" t "$TMPD/small.mp4" x.mp4 >"$TMPD/out"
contains "$TMPD/out" "error server transient: the store is failing \(HTTP 503 SlowDown\)" \
    "503 is transient"
s3_ctl fault count=0 >/dev/null
store_stop s3
"$UPLOAD_TOOL" put "$C" t "$TMPD/small.mp4" x.mp4 >"$TMPD/out"
contains "$TMPD/out" "error net transient: cannot reach 127.0.0.1:$S3_PORT" \
    "a store that is down is a transient network error"
done_testing
