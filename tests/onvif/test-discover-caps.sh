#!/bin/sh
# test-discover-caps.sh - WS-Discovery replies cannot make vigia hold
# without bound: at most 16 XAddrs per device and 2,048 devices, each cap
# said when hit; in a private network namespace with multicast on lo.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# xaddrs:  one ProbeMatch with 10,000 XAddrs (the merge compared each with
#          every one before it: O(n^2)).
# devices: 3,000 cameras answer one probe.
# hostile: a camera whose scopes carry terminal escapes and invalid UTF-8.
. "${top_srcdir:-.}/tests/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root for a network namespace (unshare -n) with multicast on lo"
command -v unshare > /dev/null || skip "unshare (util-linux) is missing"
command -v ip > /dev/null || skip "ip (iproute2) is missing"
unshare -n true 2> /dev/null || skip "unshare -n is not permitted here (container without CAP_SYS_ADMIN)"

STUB="$top_builddir/tests/onvif/onvif-stub"
FIX="$top_srcdir/tests/fixtures/onvif"
PM="$FIX/wsd/probe-matches.xml"
ESC=$(printf '\033')

# 10,000 XAddrs, the reachable one first
x=$(i=0; while [ $i -lt 10000 ]; do printf ' z%x' $i; i=$((i + 1)); done)
sed "s|<d:XAddrs>http://169.254.10.11/onvif/device_service http://127.0.0.1:{PORT}/onvif/device_service</d:XAddrs>|<d:XAddrs>http://127.0.0.1:{PORT}/onvif/device_service$x</d:XAddrs>|" \
    "$PM" > "$TMPD/xaddrs.xml"
test "$(wc -c < "$TMPD/xaddrs.xml")" -lt 65000
check "the 10,000-XAddr reply fits in one datagram"
sed -e 's|name/HIKVISION%20DS-2CD2143G2-I|name/Evil%1b]0;pwned%07%1b[2J%ff|' \
    -e "s|hardware/DS-2CD2143G2-I|hardware/DS${ESC}[5m|" "$PM" > "$TMPD/hostile.xml"

cat > "$TMPD/inner.sh" <<INNER
ip link set lo up
ip link set lo multicast on
ip route add 239.0.0.0/8 dev lo
ms() { echo \$((\$(date +%s%N) / 1000000)); }
run() {
	name=\$1
	wsd=\$2
	shift 2
	rm -f "$TMPD/port"
	"$STUB" --dir "$FIX/spec" --wsd "\$wsd" --port-file "$TMPD/port" \
	    --log "$TMPD/\$name.log" "\$@" &
	pid=\$!
	while [ ! -s "$TMPD/port" ]; do sleep 0.05; done
	s=\$(ms)
	timeout 30 "$VIGIA" discover -i lo --json > "$TMPD/\$name.json" 2> "$TMPD/\$name.err"
	echo \$? > "$TMPD/\$name.rc"
	echo \$((\$(ms) - s)) > "$TMPD/\$name.ms"
	timeout 30 "$VIGIA" discover -i lo > "$TMPD/\$name.txt" 2> "$TMPD/\$name.txt.err"
	kill \$pid 2> /dev/null
	wait \$pid 2> /dev/null
}
run xaddrs "$TMPD/xaddrs.xml"
run devices "$PM" --wsd-devices 3000
run hostile "$TMPD/hostile.xml"
INNER
unshare -n sh "$TMPD/inner.sh"
check "discovery ran in a private namespace"

test "$(cat "$TMPD/xaddrs.rc")" = 0
check "10,000 XAddrs: discover exits 0"
n=$(grep -c '"z[0-9a-f]*"' "$TMPD/xaddrs.json")
test "$n" -le 16
check "10,000 XAddrs: at most 16 kept ($n)"
contains "$TMPD/xaddrs.err" 'gives more than 16 addresses; vigia keeps the first 16' "10,000 XAddrs: the cap is said"
contains "$TMPD/xaddrs.json" '"xaddr": "http://127\.0\.0\.1:[0-9]+/onvif/device_service"' "10,000 XAddrs: the reachable one is used"

test "$(cat "$TMPD/devices.rc")" = 0
check "3,000 devices: discover exits 0"
contains "$TMPD/devices.log" '^devices: 3000 sent' "the stub sent 3,000 replies"
n=$(sed -n 's/^  "count": \([0-9]*\).*/\1/p' "$TMPD/devices.json")
test -n "$n" && test "$n" -le 2048
check "3,000 devices: at most 2,048 listed ($n)"
if [ "${n:-0}" -ge 2048 ]; then
	contains "$TMPD/devices.err" 'more than 2048 devices answer; vigia lists the first 2048' "3,000 devices: the cap is said"
else
	echo "# only $n replies arrived (the rest were lost in the socket buffer)"
fi
t=$(cat "$TMPD/devices.ms")
test "$t" -lt 5000
check "3,000 devices: discover ends in time (${t} ms)"

test "$(cat "$TMPD/hostile.rc")" = 0
check "hostile scopes: discover exits 0"
contains "$TMPD/hostile.json" '"name": "Evil\\u001B\]0;pwned\\u0007\\u001B\[2J' "hostile scopes: the name is kept in JSON"
contains "$TMPD/hostile.json" '"hardware": "DS\\u001B\[5m"' "hostile scopes: the hardware is kept in JSON"
! grep -q "$ESC" "$TMPD/hostile.txt"
check "hostile scopes: no ESC reaches the terminal"
contains "$TMPD/hostile.txt" 'Evil\\x1b\]0;pwned\\x07' "hostile scopes: the table shows the escapes as text"
done_testing
