#!/bin/sh
# tests/store/test-store-cli.sh - `vigia test s3|ftp|ftps|sftp|local` against
# the test servers (steps, throughput, the uplink budget in plain words,
# failures with exit 1) and `vigia presign`: the URL fetched with curl
# gives the stored bytes, an expired one is refused.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/store/lib-store.sh"
command -v rclone >/dev/null 2>&1 || skip "rclone missing (tools/deps.sh)"
store_s3_start || { check "the S3 test server starts"; done_testing; }
C="$TMPD/v.conf"
cams=
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32; do
	cams="$cams${cams:+,} { name = \"cam-$i\"; match = { address = \"127.0.1.$i\"; }; credentials = { user = \"admin\"; password = \"Cam-pass-1\"; }; encoder = { bitrate_kbps = 4000; }; }"
done

# 32 cameras at 4 Mbit/s against an uplink capped at 40 Mbit/s
STORE_CAMERAS=$cams store_conf "$C" "$(s3_group)" 'bandwidth_kbps = 40000;'
"$VIGIA" test s3 -c "$C" --size 8 >"$TMPD/out" 2>&1
check "vigia test s3 passes" || cat "$TMPD/out"
contains "$TMPD/out" "ok +reach +127\.0\.0\.1 port $S3_PORT: DNS [0-9]+ ms, TCP [0-9]+ ms" "reach: DNS and TCP"
contains "$TMPD/out" "ok +auth " "auth"
contains "$TMPD/out" "ok +write +8388608 bytes to \.vigia-probe/.* Mbit/s" "write, with the throughput"
contains "$TMPD/out" "ok +read back +the same bytes \(SHA-256\)" "read back"
contains "$TMPD/out" "ok +delete " "delete"
contains "$TMPD/out" "32 cameras at 4\.0 Mbit/s make 128 Mbit/s; the uplink carried (3[6-9]|4[0-4]) Mbit/s \(the bandwidth_kbps cap\): lower the bitrate to 1\.[0-9] Mbit/s, record the substream, or upload in a window" \
    "the uplink budget in plain words"
[ -z "$(env -u AWS_CA_BUNDLE rclone --config "$TMPD/rclone.conf" lsf -R "t:$S3_BUCKET")" ]
check "no probe object is left behind"

STORE_CAMERAS= store_conf "$C.bad" "$(s3_group "$S3_REGION" wrong-secret-0123456789)"
"$VIGIA" test s3 -c "$C.bad" >"$TMPD/out" 2>&1
test $? -eq 1
check "a wrong secret: exit 1"
contains "$TMPD/out" "FAILED auth +the secret key is wrong for access key $S3_KEY \(SignatureDoesNotMatch\)" \
    "and the step says why in plain words"
"$VIGIA" test ftp -c "$C" >"$TMPD/out" 2>&1
test $? -eq 2
check "no ftp entry: a usage error (exit 2)"

# ---- presign -------------------------------------------------------------------
head -c 1500000 /dev/urandom >"$TMPD/seg.mp4"
"$top_builddir/tests/store/upload-tool" put "$C" t "$TMPD/seg.mp4" cam/seg.mp4 >/dev/null
url=$("$VIGIA" presign -c "$C" t cam/seg.mp4)
check "vigia presign prints a URL"
case $url in "$S3_URL/$S3_BUCKET/cam/seg.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&"*) true ;; *) false ;; esac
check "path-style URL with a SigV4 query"
curl -s -f -o "$TMPD/got" "$url" && cmp -s "$TMPD/got" "$TMPD/seg.mp4"
check "curl fetches the same bytes with it"
url2=$("$VIGIA" presign -c "$C" --expires 1 t "s3://$S3_BUCKET/cam/seg.mp4")
sleep 2
code=$(curl -s -o "$TMPD/err" -w '%{http_code}' "$url2")
[ "$code" = 403 ] && grep -q "AccessDenied\|expired" "$TMPD/err"
check "an expired URL is refused (HTTP $code)"
"$VIGIA" presign -c "$C" --expires 0 t x >/dev/null 2>&1
test $? -eq 2
check "--expires 0 is a usage error"

# ---- FTP, SFTP, local ----------------------------------------------------------
store_ftp_start explicit || check "vsftpd starts"
STORE_CAMERAS= store_conf "$C" "type = \"ftps\"; host = \"127.0.0.1\"; port = $FTP_PORT; user = \"$FTP_USER\"; password = \"$FTP_PASS\"; directory = \"$FTP_ROOT\"; insecure = true;"
"$VIGIA" test ftps -c "$C" --size 1 >"$TMPD/out" 2>&1
check "vigia test ftps passes" || cat "$TMPD/out"
contains "$TMPD/out" "AWS Transfer Family: plain FTP works only on a VPC endpoint.*PassiveIp" \
    "the AWS Transfer Family advice"
store_stop ftp
store_sftp_start || check "sshd starts"
STORE_CAMERAS= store_conf "$C" "type = \"sftp\"; host = \"127.0.0.1\"; port = $SFTP_PORT; user = \"$STORE_USER\"; private_key_file = \"$SFTP_KEY\"; host_key_sha256 = \"$SFTP_HOSTKEY_SHA256\"; directory = \"$SFTP_ROOT\";"
"$VIGIA" test sftp -c "$C" --size 1 >"$TMPD/out" 2>&1
check "vigia test sftp passes" || cat "$TMPD/out"
[ -z "$(ls -A "$SFTP_ROOT/.vigia-probe")" ]
check "sftp: the probe file is deleted"
mkdir -p "$TMPD/archive"
STORE_CAMERAS= store_conf "$C" "type = \"local\"; path = \"$TMPD/archive\";"
"$VIGIA" test local -c "$C" --size 1 >"$TMPD/out" 2>&1
check "vigia test local passes" || cat "$TMPD/out"
done_testing
