# tests/store/lib-store.sh - storage servers for the tests, on 127.0.0.1,
# started by the test and stopped (by PID) when it ends.  Sourced after
# tests/lib.sh.
#   store_s3_start [REGION [PORT]] S3 (s3rver behind tests/store/s3-server.cjs)
#                                  S3_PORT S3_URL S3_KEY S3_SECRET S3_BUCKET
#   store_ftp_start plain|explicit|implicit
#                                  vsftpd: FTP_PORT FTP_ROOT FTP_USER FTP_PASS
#   store_sftp_start               OpenSSH sshd -D: SFTP_PORT SFTP_ROOT
#                                  SFTP_KEY (ed25519) SFTP_HOSTKEY_SHA256
#   store_stop NAME                stop one (s3, ftp, sftp); store_stop_all
# FTP and SFTP log in as the local user vigia-test (created here, no
# login shell use; its password is set from $TMPD on every run).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later

S3RVER_VERSION=4.0.4
S3_NODE_DIR="$top_builddir/tests/node/s3rver"
STORE_PIDS=
STORE_USER=vigia-test

vg_at_exit store_stop_all
# the test user must reach its directories under $TMPD
chmod 755 "$TMPD"

store_stop() {
	eval "p=\${STORE_PID_$1:-}"
	[ -n "$p" ] || return 0
	kill "$p" 2>/dev/null
	i=0
	while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
	kill -9 "$p" 2>/dev/null
	eval "STORE_PID_$1="
}

store_stop_all() {
	for n in s3 ftp sftp; do store_stop $n; done
}

# wait_file FILE [TENTHS]: until FILE exists and is not empty.
store_wait_file() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt "${2:-100}" ]; do
		sleep 0.1; i=$((i + 1))
	done
	[ -s "$1" ]
}

# A free TCP port on 127.0.0.1 (racy, as every such helper; good enough).
store_free_port() {
	python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# store_port_open PORT: something accepts connections on 127.0.0.1:PORT.
store_port_open() {
	python3 -c 'import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$1" 2>/dev/null
}

store_s3_start() {
	command -v node >/dev/null 2>&1 || skip "node missing"
	command -v npm >/dev/null 2>&1 || skip "npm missing"
	if [ ! -d "$S3_NODE_DIR/node_modules/@20minutes/s3rver" ]; then
		mkdir -p "$S3_NODE_DIR"
		timeout 300 npm install --silent --no-audit --no-fund \
		    --prefix "$S3_NODE_DIR" "@20minutes/s3rver@$S3RVER_VERSION" \
		    >"$TMPD/npm.log" 2>&1 ||
		    { sed 's/^/# /' "$TMPD/npm.log"; skip "npm install @20minutes/s3rver failed"; }
	fi
	S3_REGION=${1:-eu-west-1}
	S3_KEY=AKIAVIGIATEST0000001
	S3_SECRET=vigia-test-secret-0123456789abcdefghij
	S3_BUCKET=vigia-test
	mkdir -p "$TMPD/s3data"
	rm -f "$TMPD/s3.port"
	S3_LISTEN_PORT=${2:-0} node --openssl-legacy-provider "$top_srcdir/tests/store/s3-server.cjs" \
	    "$S3_NODE_DIR/node_modules" "$TMPD/s3data" "$TMPD/s3.port" \
	    "$S3_KEY" "$S3_SECRET" "$S3_REGION" "$S3_BUCKET" \
	    >>"$TMPD/s3.log" 2>&1 &
	STORE_PID_s3=$!
	store_wait_file "$TMPD/s3.port" 150 ||
	    { sed 's/^/# /' "$TMPD/s3.log"; echo "# the S3 test server did not start"; return 1; }
	S3_PORT=$(cat "$TMPD/s3.port")
	S3_URL="http://127.0.0.1:$S3_PORT"
	# rclone as the independent client
	cat >"$TMPD/rclone.conf" <<EOF
[t]
type = s3
provider = Other
access_key_id = $S3_KEY
secret_access_key = $S3_SECRET
region = $S3_REGION
endpoint = $S3_URL
force_path_style = true
EOF
}

# s3_ctl WHAT [QUERY]: the test server's control channel.
s3_ctl() {
	curl -s -m 5 "$S3_URL/__vigia/$1${2:+?$2}"
}

# s3_sha256 KEY: SHA-256 of the object read back by rclone.
s3_sha256() {
	env -u AWS_CA_BUNDLE rclone --config "$TMPD/rclone.conf" cat "t:$S3_BUCKET/$1" 2>/dev/null |
	    sha256sum | cut -d' ' -f1
}

store_user() {
	command -v useradd >/dev/null 2>&1 || skip "useradd missing"
	[ "$(id -u)" -eq 0 ] || skip "starting vsftpd and sshd needs root"
	# one password for every test of every run: tests run in parallel
	# and share the user, so it is made once (under a lock) and kept
	# where only root reads it
	[ -d "$VG_LOCKDIR" ] || mkdir -m 1777 -p "$VG_LOCKDIR" 2> /dev/null
	flock "$VG_LOCKDIR/.store-user.lock" sh -c '
		id "$1" >/dev/null 2>&1 || useradd -M -d / -s /bin/sh "$1" ||
		    exit 1
		if [ ! -s "$2" ]; then
			(umask 077; od -An -N12 -tx1 /dev/urandom |
			    tr -d " \n" > "$2.tmp") && mv "$2.tmp" "$2" &&
			    echo "$1:$(cat "$2")" | chpasswd || { rm -f "$2"; exit 2; }
		fi' sh "$STORE_USER" "$VG_LOCKDIR/.store-user.pass"
	case $? in
	0) ;;
	1) skip "cannot create the test user $STORE_USER" ;;
	*) skip "chpasswd failed" ;;
	esac
	STORE_PASS=$(cat "$VG_LOCKDIR/.store-user.pass")
}

store_cert() {
	[ -s "$TMPD/tls.pem" ] && return 0
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	    -addext subjectAltName=IP:127.0.0.1 -keyout "$TMPD/tls.key" \
	    -out "$TMPD/tls.crt" >/dev/null 2>&1 || return 1
	cat "$TMPD/tls.crt" "$TMPD/tls.key" >"$TMPD/tls.pem"
}

store_ftp_start() {
	command -v vsftpd >/dev/null 2>&1 || [ -x /usr/sbin/vsftpd ] ||
	    skip "vsftpd missing (tools/deps.sh installs it)"
	store_user
	store_cert || { echo "# openssl could not make a certificate"; return 1; }
	FTP_MODE=$1
	FTP_USER=$STORE_USER
	FTP_PASS=$STORE_PASS
	FTP_ROOT="$TMPD/ftproot"
	mkdir -p "$FTP_ROOT" /var/run/vsftpd/empty
	chown "$STORE_USER" "$FTP_ROOT"
	FTP_PORT=$(vg_alloc_port) || bail_out "no free port for vsftpd"
	pasv=$(vg_alloc_port 20) || bail_out "no free passive ports for vsftpd"
	{
		echo "listen=YES"
		echo "listen_ipv6=NO"
		echo "listen_address=127.0.0.1"
		echo "listen_port=$FTP_PORT"
		echo "background=NO"
		echo "anonymous_enable=NO"
		echo "local_enable=YES"
		echo "write_enable=YES"
		echo "local_umask=022"
		echo "local_root=$FTP_ROOT"
		echo "pam_service_name=vsftpd"
		echo "seccomp_sandbox=NO"
		echo "secure_chroot_dir=/var/run/vsftpd/empty"
		echo "pasv_enable=YES"
		echo "pasv_address=127.0.0.1"
		echo "pasv_min_port=$pasv"
		echo "pasv_max_port=$((pasv + 19))"
		echo "xferlog_enable=YES"
		echo "vsftpd_log_file=$TMPD/vsftpd.log"
		echo "max_per_ip=50"
		case $FTP_MODE in
		plain) echo "ssl_enable=NO" ;;
		explicit|implicit)
			echo "ssl_enable=YES"
			echo "rsa_cert_file=$TMPD/tls.pem"
			echo "force_local_logins_ssl=YES"
			echo "force_local_data_ssl=YES"
			echo "require_ssl_reuse=NO"
			echo "ssl_ciphers=HIGH"
			[ "$FTP_MODE" = implicit ] && echo "implicit_ssl=YES"
			;;
		esac
	} >"$TMPD/vsftpd.conf"
	/usr/sbin/vsftpd "$TMPD/vsftpd.conf" >>"$TMPD/vsftpd.out" 2>&1 &
	STORE_PID_ftp=$!
	i=0
	until store_port_open "$FTP_PORT"; do
		i=$((i + 1))
		[ $i -lt 50 ] || { sed 's/^/# /' "$TMPD/vsftpd.out"; echo "# vsftpd did not start"; return 1; }
		sleep 0.1
	done
}

store_sftp_start() {
	[ -x /usr/sbin/sshd ] || skip "sshd missing (openssh-server; tools/deps.sh installs it)"
	store_user
	SFTP_ROOT="$TMPD/sftproot"
	mkdir -p "$SFTP_ROOT" /run/sshd
	chown "$STORE_USER" "$SFTP_ROOT"
	ssh-keygen -q -t ed25519 -N '' -f "$TMPD/ssh_host" || return 1
	ssh-keygen -q -t ed25519 -N '' -f "$TMPD/id_ed25519" || return 1
	cp "$TMPD/id_ed25519.pub" "$TMPD/authorized_keys"
	chmod 644 "$TMPD/authorized_keys"
	SFTP_KEY="$TMPD/id_ed25519"
	SFTP_HOSTKEY_SHA256=$(ssh-keygen -l -E sha256 -f "$TMPD/ssh_host.pub" |
	    awk '{print $2}')
	SFTP_PORT=$(vg_alloc_port) || bail_out "no free port for vsftpd"
	cat >"$TMPD/sshd_config" <<EOF
Port $SFTP_PORT
ListenAddress 127.0.0.1
HostKey $TMPD/ssh_host
PidFile none
AuthorizedKeysFile $TMPD/authorized_keys
StrictModes no
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
AllowUsers $STORE_USER
Subsystem sftp internal-sftp
LogLevel INFO
EOF
	/usr/sbin/sshd -D -e -f "$TMPD/sshd_config" >>"$TMPD/sshd.log" 2>&1 &
	STORE_PID_sftp=$!
	i=0
	until store_port_open "$SFTP_PORT"; do
		i=$((i + 1))
		[ $i -lt 50 ] || { sed 's/^/# /' "$TMPD/sshd.log"; echo "# sshd did not start"; return 1; }
		sleep 0.1
	done
}

# sftp_sha256 PATH: SHA-256 of a file read back with OpenSSH's sftp.
sftp_sha256() {
	rm -f "$TMPD/sftp.get"
	sftp -q -b - -i "$SFTP_KEY" -P "$SFTP_PORT" -o BatchMode=yes \
	    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
	    "$STORE_USER@127.0.0.1" >/dev/null 2>&1 <<EOF
get "$1" "$TMPD/sftp.get"
EOF
	[ -f "$TMPD/sftp.get" ] && sha256sum <"$TMPD/sftp.get" | cut -d' ' -f1
}

# ftp_sha256 PATH: SHA-256 of a file read back with curl.
ftp_sha256() {
	case $FTP_MODE in
	plain) u="ftp://127.0.0.1:$FTP_PORT"; o= ;;
	explicit) u="ftp://127.0.0.1:$FTP_PORT"; o=--ssl-reqd ;;
	implicit) u="ftps://127.0.0.1:$FTP_PORT"; o= ;;
	esac
	curl -s -m 30 -k $o -u "$FTP_USER:$FTP_PASS" "$u/%2F${1#/}" | sha256sum | cut -d' ' -f1
}

# store_conf FILE STORAGE-GROUP [VIGIAD-EXTRA]: a configuration with one
# storage entry (the group's text, name = "t") that vigiad uploads to,
# spool in $TMPD/spool.
store_conf() {
	mkdir -p "$TMPD/spool"
	conc="upload_concurrency = 2;"
	case "$3" in *upload_concurrency*) conc= ;; esac
	cat >"$1" <<EOF2
version = 1;
site = { id = "site-a"; };
cameras = ( ${STORE_CAMERAS:-} );
storage = ( { name = "t"; $2 } );
vigiad = {
	spool_dir = "$TMPD/spool";
	storage = "t";
	$conc
	$3
};
EOF2
	chmod 600 "$1"
}

# s3_group [REGION] [SECRET]: the storage group of the S3 test server.
s3_group() {
	printf 'type = "s3"; bucket = "%s"; region = "%s"; endpoint = "%s"; path_style = true; access_key = "%s"; secret_key = "%s"; part_size_mb = 5;' \
	    "$S3_BUCKET" "${1:-$S3_REGION}" "$S3_URL" "$S3_KEY" "${2:-$S3_SECRET}"
}

UPLOAD_TOOL="$top_builddir/tests/store/upload-tool"
