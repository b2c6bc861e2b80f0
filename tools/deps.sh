# tools/deps.sh - install what building and testing vigia needs (sourced by
# run-tests and run-demo).  Debian 12 packages only; as root, or via sudo.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later

VG_DEB_BUILD="gcc make autoconf automake autopoint pkg-config gettext
 gsoap libgsoap-dev libavformat-dev libavcodec-dev libavutil-dev
 libswscale-dev libcurl4-openssl-dev libssl-dev libconfig-dev
 libjansson-dev libncurses-dev zlib1g-dev libsqlite3-dev libgstrtspserver-1.0-dev"
# tests: terminals, locales, independent clients (ffprobe, curl, onvif-util,
# npm's onvif), the simulator's GStreamer plugins (RTP payloaders in -good,
# H.264/H.265 parsers in -bad), namespaces and valgrind; chromium for
# Label Studio's real editor (tests/ls/test-ls-frontend.sh)
VG_DEB_TEST="tmux ncurses-term locales procps ffmpeg curl jq gstreamer1.0-plugins-good
 gstreamer1.0-plugins-bad onvif-tools iproute2 valgrind openssl jq
 libxml2-utils iptables
 vsftpd
 openssh-server
 rclone
 s3cmd
 chromium
 python3
 clang
 libclang-rt-14-dev"
# python3: small socket and number helpers in the store tests;
# vsftpd: the FTP/FTPS test server (tests/store); openssh-server: sshd for
# the SFTP tests; rclone, s3cmd: independent S3 clients that read back what
# the uploader wrote (and the anchors of bench/upload.sh)
# chromium: the recorder and Label Studio tests play segments in <video>;
# clang, libclang-rt-14-dev: libFuzzer (make fuzz, tests/fuzz/test-fuzz.sh)
# Node.js and npm: Debian's packages, unless the machine already has a node
# with its own npm (installing Debian's npm beside it would clash)
VG_NODE="nodejs npm"

# vg_need_root: run a command as root (directly, or through sudo).
vg_as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo > /dev/null; then
		sudo "$@"
	else
		echo "error: '$*' needs root and sudo is not installed" >&2
		return 1
	fi
}

# vg_install_deps: apt-get install the packages that are missing.  Says
# what it installs, and on a failure what failed and what to do; never
# ends a `set -e` caller in silence.  VG_DPKG_ADMINDIR points dpkg-query at
# another database (the installer's own test uses an empty one).
vg_install_deps() {
	missing=
	for p in $VG_DEB_BUILD $VG_DEB_TEST; do
		# a package dpkg never heard of makes dpkg-query fail: under
		# `set -e` (run-demo) that must not end the script
		st=$(dpkg-query ${VG_DPKG_ADMINDIR:+--admindir="$VG_DPKG_ADMINDIR"} \
		    -W -f='${Status}' "$p" 2>/dev/null) || st=
		case "$st" in
		*" installed") ;;
		*) missing="$missing $p" ;;
		esac
	done
	if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
		missing="$missing $VG_NODE"
	fi
	[ -n "$missing" ] || return 0
	echo "==> installing Debian packages:$missing"
	if ! command -v apt-get > /dev/null; then
		echo "error: apt-get not found: vigia builds on Debian 12; install by hand:$missing" >&2
		return 1
	fi
	if ! vg_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q; then
		echo "error: 'apt-get update' failed (above): check this machine's network and" >&2
		echo "       /etc/apt/sources.list, then run this command again" >&2
		return 1
	fi
	# shellcheck disable=SC2086
	if ! vg_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    --no-install-recommends $missing; then
		echo "error: 'apt-get install' failed (above); to retry by hand:" >&2
		echo "       apt-get install$missing" >&2
		return 1
	fi
	echo "==> installed"
	return 0
}

# vg_es_locale: make sure es_ES.UTF-8 exists (the Spanish tests need it).
vg_es_locale() {
	locale -a 2>/dev/null | grep -qiE '^es_ES\.utf-?8$' && return 0
	echo "==> generating the es_ES.UTF-8 locale"
	if [ -f /etc/locale.gen ] && grep -q 'es_ES.UTF-8 UTF-8' /etc/locale.gen; then
		vg_as_root sed -i 's/^# *es_ES.UTF-8 UTF-8/es_ES.UTF-8 UTF-8/' /etc/locale.gen
	else
		echo "es_ES.UTF-8 UTF-8" | vg_as_root tee -a /etc/locale.gen > /dev/null
	fi
	vg_as_root locale-gen > /dev/null
}

# vg_lo_multicast: WS-Discovery on loopback needs lo to carry multicast and
# a route for 239.0.0.0/8 (root only).  Set once here, so that simulated
# sites started in parallel by the tests never add or remove it under each
# other.
vg_lo_multicast() {
	[ "$(id -u)" -eq 0 ] || return 0
	ip link show lo | grep -q MULTICAST || ip link set lo multicast on
	ip route show 239.0.0.0/8 | grep -q . ||
	    ip route add 239.0.0.0/8 dev lo 2> /dev/null || true
}

# vg_build DIR [CONFIGURE-ARGS...]: configure (if needed) and make in DIR.
vg_build() {
	dir=$1
	shift
	[ -x ./configure ] && [ ./configure -nt configure.ac ] &&
	    [ ./configure -nt Makefile.am ] || ./autogen.sh > autogen.log 2>&1 || { cat autogen.log; return 1; }
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ] || [ "$dir/config.status" -ot ./configure ]; then
		(cd "$dir" && ../configure "$@") > "$dir.configure.log" 2>&1 || {
			tail -30 "$dir.configure.log"; return 1; }
	fi
	make -C "$dir" -j"$(nproc)" > "$dir.make.log" 2>&1 || {
		tail -40 "$dir.make.log"; return 1; }
}
