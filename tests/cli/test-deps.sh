#!/bin/sh
# test-deps.sh - the dependency installer works from nothing.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A fresh Debian machine: dpkg knows none of the packages (an empty dpkg
# database through VG_DPKG_ADMINDIR) and apt-get is a recording stand-in
# on PATH.  tools/deps.sh must reach `apt-get update` and `apt-get install`
# with every package under `set -eu` (as run-demo sources it), and a failed
# apt-get must end run-demo with words, never in silence.
. "${top_srcdir:-.}/tests/lib.sh"

mkdir -p "$TMPD/dpkg" "$TMPD/bin"
: > "$TMPD/dpkg/status"
# apt-get stand-in: records its arguments; fails when told to
cat > "$TMPD/bin/apt-get" <<'STUB'
#!/bin/sh
echo "apt-get $*" >> "$APT_LOG"
case "$*" in
*update*) [ -z "${APT_FAIL_UPDATE:-}" ] ;;
*install*) [ -z "${APT_FAIL_INSTALL:-}" ] ;;
esac
STUB
chmod +x "$TMPD/bin/apt-get"
APT_LOG=$TMPD/apt.log
export APT_LOG

# run_deps: source deps.sh and install, under set -eu, as run-demo does
run_deps() {
	(
		set -eu
		PATH=$TMPD/bin:$PATH
		VG_DPKG_ADMINDIR=$TMPD/dpkg
		. "$top_srcdir/tools/deps.sh"
		vg_install_deps
		echo "deps: returned"
	)
}

: > "$APT_LOG"
run_deps > "$TMPD/out" 2>&1
check "vg_install_deps returns under set -eu on a machine that knows no package"
contains "$TMPD/out" '^deps: returned$' "the caller goes on after it"
contains "$APT_LOG" '^apt-get .*update' "it runs apt-get update"
contains "$APT_LOG" '^apt-get .*install -y .* gsoap( |$)' "it installs gsoap"
for p in libgsoap-dev libavformat-dev libcurl4-openssl-dev libconfig-dev \
    libjansson-dev libncurses-dev tmux ffmpeg; do
	grep -q "install.* $p\\b" "$APT_LOG"
	check "it installs $p"
done
contains "$TMPD/out" '^==> installing Debian packages: ' "it says what it installs"

# the real dpkg database: nothing to install on this (test) machine, so
# no apt-get at all
: > "$APT_LOG"
(
	set -eu
	PATH=$TMPD/bin:$PATH
	. "$top_srcdir/tools/deps.sh"
	vg_install_deps
) > "$TMPD/out2" 2>&1
check "on this machine (everything installed) it succeeds"
test ! -s "$APT_LOG"
check "and calls no apt-get"

# failures are said, with what to do
: > "$APT_LOG"
APT_FAIL_UPDATE=1 run_deps > "$TMPD/out3" 2>&1
test $? -ne 0
check "a failed apt-get update fails"
contains "$TMPD/out3" "error: 'apt-get update' failed" "and says so"
contains "$TMPD/out3" "network" "and what to check"
: > "$APT_LOG"
APT_FAIL_INSTALL=1 run_deps > "$TMPD/out4" 2>&1
test $? -ne 0
check "a failed apt-get install fails"
contains "$TMPD/out4" "apt-get install .*gsoap" "and prints the command to retry"

# run-demo itself stops with words before building anything
: > "$APT_LOG"
APT_FAIL_INSTALL=1 PATH=$TMPD/bin:$PATH VG_DPKG_ADMINDIR=$TMPD/dpkg \
    sh "$top_srcdir/run-demo" < /dev/null > "$TMPD/demo" 2>&1
st=$?
test $st -eq 1
check "run-demo exits 1 when the packages cannot be installed (got $st)"
contains "$TMPD/demo" '^run-demo: the dependencies could not be installed' \
    "run-demo says why it stopped"
grep -q '^==> building' "$TMPD/demo"
test $? -ne 0
check "run-demo does not go on to build"

done_testing
