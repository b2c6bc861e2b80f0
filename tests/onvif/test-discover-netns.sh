#!/bin/sh
# test-discover-netns.sh - WS-Discovery over real multicast, in a private
# network namespace with multicast on loopback.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The stub drops the reply to the first probe: the camera is only found
# because the probe is sent again.  Replies are merged by endpoint, the
# XAddr reachable from the interface is chosen over a link-local one,
# scopes are parsed; Hello adds a camera and Bye marks one gone.
. "${top_srcdir:-.}/tests/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root for a network namespace (unshare -n) with multicast on lo"
command -v unshare > /dev/null || skip "unshare (util-linux) is missing"
command -v ip > /dev/null || skip "ip (iproute2) is missing"
unshare -n true 2> /dev/null || skip "unshare -n is not permitted here (container without CAP_SYS_ADMIN)"

STUB="$top_builddir/tests/onvif/onvif-stub"
FIX="$top_srcdir/tests/fixtures/onvif"

cat > "$TMPD/inner.sh" <<INNER
set -e
ip link set lo up
ip link set lo multicast on
ip route add 239.0.0.0/8 dev lo
# one probe, as libonvif sends: its reply is lost
"$STUB" --dir "$FIX/spec" --wsd "$FIX/wsd/probe-matches.xml" --wsd-drop 1 \
    --port-file "$TMPD/port" --log "$TMPD/one.log" &
pid=\$!
while [ ! -s "$TMPD/port" ]; do sleep 0.05; done
"$VIGIA" discover -i lo --probes 1 --timeout 500 > "$TMPD/one" 2>&1 || echo "rc=\$?" > "$TMPD/one-rc"
kill \$pid; wait \$pid || :
rm -f "$TMPD/port"
# three probes: the same loss is survived
"$STUB" --dir "$FIX/spec" --wsd "$FIX/wsd/probe-matches.xml" --wsd-drop 1 \
    --port-file "$TMPD/port" --log "$TMPD/wsd.log" &
pid=\$!
while [ ! -s "$TMPD/port" ]; do sleep 0.05; done
"$VIGIA" discover -i lo > "$TMPD/table" 2> "$TMPD/err" || echo "rc=\$?" >> "$TMPD/err"
"$VIGIA" discover -i lo --json > "$TMPD/json"
kill \$pid; wait \$pid || :
rm -f "$TMPD/port"
"$STUB" --dir "$FIX/spec" --wsd "$FIX/wsd/probe-matches.xml" \
    --hello "$FIX/wsd/hello.xml" --bye "$FIX/wsd/bye.xml" \
    --port-file "$TMPD/port" --log "$TMPD/hello.log" &
pid=\$!
"$VIGIA" discover -i lo --watch 2 --json > "$TMPD/watch"
kill \$pid; wait \$pid || :
INNER
unshare -n sh "$TMPD/inner.sh"
check "discovery ran in a private namespace"

contains "$TMPD/wsd.log" 'probe 1 dropped' "first probe's reply was dropped"
contains "$TMPD/table" '^ADDRESS +NAME +HARDWARE +STATE' "table header"
contains "$TMPD/table" '^127\.0\.0\.1 +HIKVISION DS-2CD2143G2-I +DS-2CD2143G2-I +ready +Streaming +probe +urn:uuid:4d454930' "camera found despite the lost reply (resend)"
contains "$TMPD/table" 'factory-new' "Profile Q factory-default camera flagged"
contains "$TMPD/table" '^2 cameras found' "two cameras, each listed once"
contains "$TMPD/json" '"xaddr": "http://127.0.0.1:[0-9]+/onvif/device_service"' "reachable XAddr chosen over link-local"
contains "$TMPD/json" '"mac": "bc:ba:c2:aa:bb:cc"' "MAC scope parsed"
contains "$TMPD/json" '"location": "city/hangzhou"' "location scope parsed"
contains "$TMPD/json" '"replies": [2-9]' "repeated replies merged by endpoint"
test "$(grep -c '"endpoint"' "$TMPD/json")" -eq 2
check "no duplicates"
test "$(cat "$TMPD/one-rc" 2>/dev/null)" = "rc=1"
check "a single probe (libonvif's way) misses the camera whose reply was lost"
contains "$TMPD/watch" '"endpoint": "urn:uuid:aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"' "Hello adds a camera"
contains "$TMPD/watch" '"source": "hello"' "its source is hello"
grep -A40 '"urn:uuid:11111111-2222-3333-4444-555555555555"' "$TMPD/watch" | grep -q '"gone": true'
check "Bye marks a camera gone"
done_testing
