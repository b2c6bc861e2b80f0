#!/bin/sh
# test-discover-time.sh - discovery ends when the reply window after the
# last probe has passed, and a flood of datagrams cannot hold it past its
# deadline; in a private network namespace with multicast on loopback.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Responders answer within APP_MAX_DELAY (500 ms) of a probe: four probes
# 100..200 ms apart, then 650 ms, end by about 1.25 s (it used to listen
# 1.5 s after the last probe: 1.8 s at the least).  The flooding stub
# sends copies of its reply for 6 s without a pause: the receive loop
# must still stop at its deadline.
. "${top_srcdir:-.}/tests/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root for a network namespace (unshare -n) with multicast on lo"
command -v unshare > /dev/null || skip "unshare (util-linux) is missing"
command -v ip > /dev/null || skip "ip (iproute2) is missing"
unshare -n true 2> /dev/null || skip "unshare -n is not permitted here (container without CAP_SYS_ADMIN)"

STUB="$top_builddir/tests/onvif/onvif-stub"
FIX="$top_srcdir/tests/fixtures/onvif"

cat > "$TMPD/inner.sh" <<INNER
ip link set lo up
ip link set lo multicast on
ip route add 239.0.0.0/8 dev lo
ms() { echo \$((\$(date +%s%N) / 1000000)); }
run() {
	name=\$1
	shift
	rm -f "$TMPD/port"
	"$STUB" --dir "$FIX/spec" --wsd "$FIX/wsd/probe-matches.xml" \
	    --port-file "$TMPD/port" --log "$TMPD/\$name.log" "\$@" &
	pid=\$!
	while [ ! -s "$TMPD/port" ]; do sleep 0.05; done
	s=\$(ms)
	timeout 30 "$VIGIA" discover -i lo --json > "$TMPD/\$name.json" 2> "$TMPD/\$name.err"
	echo \$? > "$TMPD/\$name.rc"
	echo \$((\$(ms) - s)) > "$TMPD/\$name.ms"
	kill \$pid 2> /dev/null
	wait \$pid 2> /dev/null
}
run quiet
run flood --wsd-flood 6
INNER
unshare -n sh "$TMPD/inner.sh"
check "discovery ran in a private namespace"

test "$(cat "$TMPD/quiet.rc")" = 0
check "discover exits 0"
contains "$TMPD/quiet.json" '"count": 2' "both cameras found"
t=$(cat "$TMPD/quiet.ms")
test "$t" -lt 1800
check "discover ends once the reply window has passed (${t} ms < 1800)"

test "$(cat "$TMPD/flood.rc")" = 0
check "discover under a flood exits 0"
contains "$TMPD/flood.log" '^flood: [0-9]+ datagrams' "the stub flooded"
contains "$TMPD/flood.json" '"count": [12]' "cameras found despite the flood"
t=$(cat "$TMPD/flood.ms")
test "$t" -lt 3000
check "a flood does not hold discover past its deadline (${t} ms < 3000; the flood lasts 6 s)"
done_testing
