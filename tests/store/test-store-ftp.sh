#!/bin/sh
# tests/store/test-store-ftp.sh - FTP, FTPS (explicit, implicit) against
# vsftpd, SFTP against OpenSSH (host key pinned), and the local archive:
# upload, read back by an independent client (curl, OpenSSH sftp, cmp),
# SHA-256 compared; TLS verified unless insecure; wrong password and wrong
# host key in plain words; an interrupted .part is continued.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/store/lib-store.sh"
C="$TMPD/v.conf"
head -c 2500000 /dev/urandom >"$TMPD/seg.mp4"
SUM=$(sha256sum <"$TMPD/seg.mp4" | cut -d' ' -f1)

for mode in plain explicit implicit; do
	store_ftp_start $mode || { check "vsftpd ($mode) starts"; continue; }
	case $mode in
	plain) g='type = "ftp";' ;;
	explicit) g='type = "ftps"; tls = "explicit";' ;;
	implicit) g='type = "ftps"; tls = "implicit";' ;;
	esac
	g="$g host = \"127.0.0.1\"; port = $FTP_PORT; user = \"$FTP_USER\"; password = \"$FTP_PASS\"; directory = \"$FTP_ROOT/in/box\";"
	if [ $mode != plain ]; then
		store_conf "$C" "$g"
		"$UPLOAD_TOOL" put "$C" t "$TMPD/seg.mp4" cam/a.mp4 >"$TMPD/out"
		contains "$TMPD/out" "error tls permanent: the TLS certificate of 127.0.0.1 cannot be trusted" \
		    "ftps $mode: a self-signed certificate is refused without insecure = true"
		g="$g insecure = true;"
	fi
	store_conf "$C" "$g"
	UPLOAD_TOOL_LOG=1 "$UPLOAD_TOOL" put "$C" t "$TMPD/seg.mp4" cam/2026/a.mp4 >"$TMPD/out" 2>&1
	check "$mode: upload into new directories" || { cat "$TMPD/out"; tail -5 "$TMPD/vsftpd.log"; }
	[ "$(ftp_sha256 $FTP_ROOT/in/box/cam/2026/a.mp4)" = "$SUM" ]
	check "$mode: curl reads back the same bytes (SHA-256)"
	[ ! -e "$FTP_ROOT/in/box/cam/2026/a.mp4.part" ]
	check "$mode: no temporary name left behind"
	if [ $mode = plain ]; then
		# an interrupted upload left 1 MB under the temporary name
		head -c 1000000 "$TMPD/seg.mp4" >"$FTP_ROOT/in/box/cam/b.mp4.part"
		chown "$STORE_USER" "$FTP_ROOT/in/box/cam/b.mp4.part"
		"$UPLOAD_TOOL" put "$C" t "$TMPD/seg.mp4" cam/b.mp4 >"$TMPD/out" 2>&1
		contains "$TMPD/out" "ok .*bytes=2500000 sent=1500000" \
		    "plain: a .part is continued (only the rest is sent)"
		[ "$(ftp_sha256 $FTP_ROOT/in/box/cam/b.mp4)" = "$SUM" ]
		check "plain: the continued file has the right bytes"
		# a .part longer than the file (not ours after all): start over
		head -c 2600000 /dev/urandom >"$FTP_ROOT/in/box/cam/c.mp4.part"
		chown "$STORE_USER" "$FTP_ROOT/in/box/cam/c.mp4.part"
		"$UPLOAD_TOOL" put "$C" t "$TMPD/seg.mp4" cam/c.mp4 >"$TMPD/out" 2>&1
		contains "$TMPD/out" "ok .*bytes=2500000 sent=2500000" \
		    "plain: a .part longer than the file is replaced"
		[ "$(ftp_sha256 $FTP_ROOT/in/box/cam/c.mp4)" = "$SUM" ]
		check "plain: and the file has the right bytes"
		# a .part still growing (a killed run's session still writing
		# on the server): not continued, sent again from the start
		head -c 500000 "$TMPD/seg.mp4" >"$FTP_ROOT/in/box/cam/d.mp4.part"
		chown "$STORE_USER" "$FTP_ROOT/in/box/cam/d.mp4.part"
		(i=0; while [ $i -lt 40 ]; do head -c 1000 /dev/zero \
		    >>"$FTP_ROOT/in/box/cam/d.mp4.part" 2>/dev/null; sleep 0.1;
		    i=$((i + 1)); done) &
		grow=$!
		VIGIA_TEST_FTP_SETTLE_MS=1000 "$UPLOAD_TOOL" put "$C" t "$TMPD/seg.mp4" cam/d.mp4 >"$TMPD/out" 2>&1
		kill $grow 2>/dev/null; wait $grow 2>/dev/null
		contains "$TMPD/out" "ok .*bytes=2500000 sent=2500000" \
		    "plain: a .part still growing is not continued"
		"$UPLOAD_TOOL" del "$C" t cam/b.mp4 && [ ! -e "$FTP_ROOT/in/box/cam/b.mp4" ]
		check "plain: delete"
		sed 's/password = "[^"]*"/password = "wrong-password"/' "$C" >"$C.bad"
		"$UPLOAD_TOOL" put "$C.bad" t "$TMPD/seg.mp4" x.mp4 >"$TMPD/out"
		contains "$TMPD/out" "error auth permanent: 127.0.0.1 refused the login of user $FTP_USER" \
		    "plain: wrong password in plain words"
	fi
	store_stop ftp
done

store_sftp_start || { check "sshd starts"; done_testing; }
g="type = \"sftp\"; host = \"127.0.0.1\"; port = $SFTP_PORT; user = \"$STORE_USER\"; private_key_file = \"$SFTP_KEY\"; host_key_sha256 = \"$SFTP_HOSTKEY_SHA256\"; directory = \"$SFTP_ROOT/in\";"
store_conf "$C" "$g"
"$UPLOAD_TOOL" put "$C" t "$TMPD/seg.mp4" cam/2026/a.mp4 >"$TMPD/out" 2>&1
check "sftp: upload with an ed25519 key, host key pinned" || cat "$TMPD/out"
[ "$(sftp_sha256 "$SFTP_ROOT/in/cam/2026/a.mp4")" = "$SUM" ]
check "sftp: OpenSSH's sftp reads back the same bytes (SHA-256)"
"$UPLOAD_TOOL" put "$C" t "$TMPD/seg.mp4" cam/2026/a.mp4 >"$TMPD/out" 2>&1
check "sftp: uploading the same key again replaces it" || cat "$TMPD/out"
head -c 700000 "$TMPD/seg.mp4" >"$SFTP_ROOT/in/cam/c.mp4.part"
chown "$STORE_USER" "$SFTP_ROOT/in/cam/c.mp4.part"
"$UPLOAD_TOOL" put "$C" t "$TMPD/seg.mp4" cam/c.mp4 >"$TMPD/out" 2>&1
contains "$TMPD/out" "ok .*bytes=2500000 sent=1800000" "sftp: a .part is continued"
cmp -s "$SFTP_ROOT/in/cam/c.mp4" "$TMPD/seg.mp4"
check "sftp: the continued file has the right bytes"
other=$(ssh-keygen -l -E sha256 -f "$TMPD/id_ed25519.pub" | awk '{print $2}')
store_conf "$C.bad" "$(echo "$g" | sed "s|$SFTP_HOSTKEY_SHA256|$other|")"
"$UPLOAD_TOOL" put "$C.bad" t "$TMPD/seg.mp4" x.mp4 >"$TMPD/out"
contains "$TMPD/out" "error tls permanent: the SSH host key of 127.0.0.1 is not the one in host_key_sha256" \
    "sftp: another host key is refused, in plain words"
store_stop sftp

# the local archive
mkdir -p "$TMPD/archive"
store_conf "$C" "type = \"local\"; path = \"$TMPD/archive\";"
"$UPLOAD_TOOL" put "$C" t "$TMPD/seg.mp4" cam/2026/a.mp4 >"$TMPD/out" 2>&1
check "local: archive into new directories" || cat "$TMPD/out"
cmp -s "$TMPD/archive/cam/2026/a.mp4" "$TMPD/seg.mp4" && [ -f "$TMPD/seg.mp4" ]
check "local: same bytes, the spool copy stays"
# a full disk: transient (the segment waits), nothing half-written left
mkdir -p "$TMPD/full"
if mount -t tmpfs -o size=1m vigia-test-full "$TMPD/full" 2>/dev/null; then
	store_conf "$C" "type = \"local\"; path = \"$TMPD/full\";"
	"$UPLOAD_TOOL" put "$C" t "$TMPD/seg.mp4" cam/a.mp4 >"$TMPD/out" 2>&1
	contains "$TMPD/out" "error full transient: cannot write .*No space left on device" \
	    "local: a full disk is a transient error in plain words"
	[ -z "$(find "$TMPD/full" -type f)" ]
	check "local: no partial file is left on the full disk"
	umount "$TMPD/full"
else
	echo "# (no tmpfs mount: disk-full case not run)"
fi
done_testing
