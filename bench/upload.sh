#!/bin/sh
# bench/upload.sh - the uploader against its anchors, in the same run, on
# the same files (the "Uploader" bar of ARCHITECTURE.md: client CPU per GB
# <= 0.5x rclone's, throughput >= rclone's):
#   S3   (s3rver, path-style): vigia's uploader engine (4 workers, on a
#        spool journal) vs `rclone copy --transfers 4` vs `curl -T`
#        (--aws-sigv4, 4 at a time);
#   SFTP (OpenSSH sshd): vigia vs OpenSSH `sftp -b` (one session);
#   FTP  (vsftpd): vigia vs `curl -T` (4 at a time).
# Client CPU is user + system time of the client process tree
# (getrusage of the children); the servers run on the same machine, so
# throughput is bounded by them: compare CPU per GB first.
# Not a test: it prints figures and ratios.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   sh bench/upload.sh [BUILDDIR]
# Environment: N (20 segments), SEG_MB (64 MiB each), PART_MB (vigia's S3
# part_size_mb, 16 as shipped; rclone's multipart cutoff is 200 MiB, and
# s3rver merges the parts of a multipart upload on disk at the end, a
# server cost that S3 does not have), TARGETS ("s3 sftp ftp").
set -u
B=$(cd "${1:-build}" && pwd)
S=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-20}
SEG_MB=${SEG_MB:-64}
PART_MB=${PART_MB:-16}
TARGETS=${TARGETS:-s3 sftp ftp}
top_builddir=$B
top_srcdir=$S
. "$S/tests/lib.sh"
. "$S/tests/store/lib-store.sh"
TOOL="$B/tests/store/upload-tool"
[ -x "$TOOL" ] || { echo "bench/upload.sh: build $TOOL first (make check TESTS=)"; exit 1; }

mkdir -p "$TMPD/seg"
i=1
while [ $i -le "$N" ]; do
	head -c $((SEG_MB * 1048576)) /dev/urandom >"$TMPD/seg/s$i.mp4"
	echo '{}' >"$TMPD/seg/s$i.json"
	i=$((i + 1))
done
BYTES=$((N * SEG_MB * 1048576))
sync

# measure NAME CMD...: runs CMD, appends "NAME cpu_s wall_s" to $TMPD/res
measure() {
	name=$1
	shift
	python3 - "$@" >>"$TMPD/res" <<'EOF' || echo "# $name failed" >&2
import resource, subprocess, sys, time
t = time.time()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
w = time.time() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.3f %.3f %d %d" % (u.ru_utime + u.ru_stime, w, r.returncode,
                          u.ru_maxrss))
EOF
	sed -i "\$s/^/$name /" "$TMPD/res"
}

# a journal with the N segments, for target group G, in spool $TMPD/sp-NAME
ours_conf() {
	mkdir -p "$TMPD/sp-$1"
	cat >"$TMPD/$1.conf" <<EOF
version = 1;
site = { id = "bench"; };
cameras = ();
storage = ( { name = "t"; $2 } );
vigiad = { spool_dir = "$TMPD/sp-$1"; storage = "t"; upload_concurrency = 4;
	key_template = "$1/{camera}/{start}.mp4"; };
EOF
	chmod 600 "$TMPD/$1.conf"
	i=1
	while [ $i -le "$N" ]; do
		"$TOOL" add "$TMPD/$1.conf" "$TMPD/seg/s$i.mp4" cam $((1796540400 + 600 * i)) \
		    "$TMPD/seg/s$i.json" >/dev/null || return 1
		i=$((i + 1))
	done
}

: >"$TMPD/res"
for t in $TARGETS; do
	case $t in
	s3)
		store_s3_start || continue
		ours_conf s3 "$(s3_group | sed "s/part_size_mb = 5;/part_size_mb = $PART_MB;/")" || continue
		measure s3-vigia "$TOOL" run "$TMPD/s3.conf" 600
		mkdir -p "$TMPD/rc"
		for f in "$TMPD"/seg/*.mp4; do ln -sf "$f" "$TMPD/rc/"; done
		measure s3-rclone env -u AWS_CA_BUNDLE rclone --config "$TMPD/rclone.conf" \
		    copy --transfers 4 --copy-links "$TMPD/rc" "t:$S3_BUCKET/rclone"
		ls "$TMPD"/seg/*.mp4 >"$TMPD/list"
		measure s3-curl sh -c "xargs -P 4 -I{} curl -s -f -o /dev/null \
		    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \
		    --aws-sigv4 aws:amz:$S3_REGION:s3 -u '$S3_KEY:$S3_SECRET' \
		    -T {} '$S3_URL/$S3_BUCKET/curl/' <'$TMPD/list'"
		store_stop s3
		;;
	sftp)
		store_sftp_start || continue
		ours_conf sftp "type = \"sftp\"; host = \"127.0.0.1\"; port = $SFTP_PORT; user = \"$STORE_USER\"; private_key_file = \"$SFTP_KEY\"; host_key_sha256 = \"$SFTP_HOSTKEY_SHA256\"; directory = \"$SFTP_ROOT/vigia\";" || continue
		measure sftp-vigia "$TOOL" run "$TMPD/sftp.conf" 600
		mkdir -p "$SFTP_ROOT/openssh"
		chown "$STORE_USER" "$SFTP_ROOT/openssh"
		{ for f in "$TMPD"/seg/*.mp4; do echo "put $f $SFTP_ROOT/openssh/"; done; } >"$TMPD/batch"
		measure sftp-openssh sftp -q -b "$TMPD/batch" -i "$SFTP_KEY" -P "$SFTP_PORT" \
		    -o BatchMode=yes -o StrictHostKeyChecking=no \
		    -o UserKnownHostsFile=/dev/null "$STORE_USER@127.0.0.1"
		store_stop sftp
		;;
	ftp)
		store_ftp_start plain || continue
		ours_conf ftp "type = \"ftp\"; host = \"127.0.0.1\"; port = $FTP_PORT; user = \"$FTP_USER\"; password = \"$FTP_PASS\"; directory = \"$FTP_ROOT/vigia\";" || continue
		measure ftp-vigia "$TOOL" run "$TMPD/ftp.conf" 600
		mkdir -p "$FTP_ROOT/curl"
		chown "$STORE_USER" "$FTP_ROOT/curl"
		ls "$TMPD"/seg/*.mp4 >"$TMPD/list"
		measure ftp-curl sh -c "xargs -P 4 -I{} curl -s -f -u '$FTP_USER:$FTP_PASS' \
		    -T {} 'ftp://127.0.0.1:$FTP_PORT/%2F$FTP_ROOT/curl/' <'$TMPD/list'"
		store_stop ftp
		;;
	esac
done

echo "$N segments of $SEG_MB MiB ($((BYTES / 1048576)) MiB) per client, vigia's S3 parts $PART_MB MiB; CPU = user+sys of the client"
awk -v bytes="$BYTES" '
{
	name = $1; cpu = $2; wall = $3; rc = $4; rss = $5
	gb = bytes / 1e9
	printf "%-14s %8.2f s CPU %8.2f s/GB %8.1f MiB/s  max RSS %6.1f MiB  exit %d\n",
	    name, cpu, cpu / gb, bytes / 1048576 / wall, rss / 1024, rc
	c[name] = cpu; w[name] = wall
}
END {
	split("s3-vigia:s3-rclone s3-vigia:s3-curl sftp-vigia:sftp-openssh ftp-vigia:ftp-curl", p, " ")
	for (i = 1; i in p; i++) {
		split(p[i], ab, ":")
		if ((ab[1] in c) && (ab[2] in c) && c[ab[2]] > 0)
			printf "%-28s CPU/GB %.2fx  throughput %.2fx\n", \
			    ab[1] " / " ab[2], c[ab[1]] / c[ab[2]], w[ab[2]] / w[ab[1]]
	}
}' "$TMPD/res"
