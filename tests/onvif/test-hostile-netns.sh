#!/bin/sh
# test-hostile-netns.sh - broken and hostile cameras (issue 16): replies
# from the loopback stub in a private network namespace (only its
# loopback exists, so even a bug cannot reach another host).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# badyear:    a clock in the year 2147483647.
# hostile:    numbers out of range (FrameRateLimit -INF and 1e30, Quality
#             NaN and INF), invalid UTF-8 and a surrogate reference in
#             device strings, terminal escapes (raw ESC, &#27;, a C1 CSI,
#             %1b in a scope that vigia decodes).
# nohostcap:  the same through GetCapabilities (GetServices refused).
# ctlhost:    XAddr hosts with control characters (gSOAP reads them as
#             no host, and would use stdio) after a broken Media2 reply,
#             and an ESC in the events XAddr's path.
# nohost2:    XAddrs "//127.0.0.2:8080/..." and a foreign host that runs
#             a listener: no request over stdio, none there (a foreign
#             address that must be used is in test-xaddr-netns.sh).
# many:       2,000 profiles (each would cost two requests).
# deepfault:  a fault with 5,000 nested Subcodes (beyond the nesting
#             limit), and one with 90.
# truncated, wrongel, media2fail: messages that blame the right thing;
# wrongsvc:   a GetServices reply with the wrong element: GetCapabilities.
. "${top_srcdir:-.}/tests/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root for a network namespace (unshare -n)"
command -v unshare > /dev/null || skip "unshare (util-linux) is missing"
command -v ip > /dev/null || skip "ip (iproute2) is missing"
unshare -n true 2> /dev/null || skip "unshare -n is not permitted here (container without CAP_SYS_ADMIN)"

STUB="$top_builddir/tests/onvif/onvif-stub"
FIX="$top_srcdir/tests/fixtures/onvif"
PW='S3cret!pw'
printf '%s\n' "$PW" > "$TMPD/pw"
chmod 600 "$TMPD/pw"
ESC=$(printf '\033')

# replies made here: too large to keep as fixtures
mkdir -p "$TMPD/many"
sed -n '1,3p' "$FIX/spec/media2_service-GetProfiles.xml" > "$TMPD/many/media2_service-GetProfiles.xml"
{
	echo '<tr2:GetProfilesResponse>'
	i=0
	while [ $i -lt 2000 ]; do
		echo "<tr2:Profiles token=\"P$i\"><tr2:Name>p$i</tr2:Name></tr2:Profiles>"
		i=$((i + 1))
	done
	echo '</tr2:GetProfilesResponse></env:Body></env:Envelope>'
} >> "$TMPD/many/media2_service-GetProfiles.xml"
# deep_fault DIR N: a fault with N nested Subcodes
deep_fault() {
	mkdir -p "$1"
	sed -n '1,3p' "$FIX/faults/GetUsers.xml" > "$1/GetDeviceInformation.xml"
	{
		printf '<env:Fault><env:Code><env:Value>env:Sender</env:Value>'
		i=0
		while [ $i -lt $2 ]; do
			printf '<env:Subcode><env:Value>ter:Deep%d</env:Value>' $i
			i=$((i + 1))
		done
		i=0
		while [ $i -lt $2 ]; do
			printf '</env:Subcode>'
			i=$((i + 1))
		done
		printf '</env:Code><env:Reason><env:Text xml:lang="en">deep</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>\n'
	} >> "$1/GetDeviceInformation.xml"
}
deep_fault "$TMPD/deepfault" 5000
deep_fault "$TMPD/fault90" 90

cat > "$TMPD/inner.sh" <<INNER
ip link set lo up
ip addr add 127.0.0.2/8 dev lo 2> /dev/null
ms() { echo \$((\$(date +%s%N) / 1000000)); }
start() {
	n=\$1
	shift
	rm -f "$TMPD/\$n.port"
	"$STUB" --port-file "$TMPD/\$n.port" --log "$TMPD/\$n.log" "\$@" &
	echo \$! > "$TMPD/\$n.pid"
	i=0
	while [ ! -s "$TMPD/\$n.port" ] && [ \$i -lt 100 ]; do
		sleep 0.05
		i=\$((i + 1))
	done
	P=\$(cat "$TMPD/\$n.port")
}
stop() {
	kill \$(cat "$TMPD/\$1.pid") 2> /dev/null
	wait \$(cat "$TMPD/\$1.pid") 2> /dev/null
}
V() {
	out=\$1
	shift
	s=\$(ms)
	timeout 60 "$VIGIA" "\$@" < /dev/null > "$TMPD/\$out" 2> "$TMPD/\$out.err"
	echo \$? > "$TMPD/\$out.rc"
	echo \$((\$(ms) - s)) > "$TMPD/\$out.ms"
}
A="-u admin -p $TMPD/pw"

start h --dir "$FIX/hostile" --fallback-dir "$FIX/spec"
V h-info camera info \$A 127.0.0.1:\$P
V h-json camera info --json \$A 127.0.0.1:\$P
V h-prof camera profiles \$A 127.0.0.1:\$P
V h-pjson camera profiles --json \$A 127.0.0.1:\$P
stop h

start far --addr 127.0.0.2 --port 8080 --dir "$FIX/spec"
start nh --dir "$FIX/nohost2" --fallback-dir "$FIX/spec" --user admin \
    --password '$PW'
V nh-prof camera profiles --json \$A 127.0.0.1:\$P
V nh-info camera info --json \$A 127.0.0.1:\$P
V nh-ev camera events --topics \$A 127.0.0.1:\$P
stop nh
start nhc --dir "$FIX/nohostcap" --user admin --password '$PW'
V nhc-info camera info --json \$A 127.0.0.1:\$P
V nhc-prof camera profiles --json \$A 127.0.0.1:\$P
echo \$P > "$TMPD/nhc.p"
stop nhc
stop far

start ch --dir "$FIX/ctlhost" --fallback-dir "$FIX/spec"
V ch-prof camera profiles --json \$A 127.0.0.1:\$P
V ch-ev camera events --topics \$A 127.0.0.1:\$P
stop ch

start many --dir "$TMPD/many" --fallback-dir "$FIX/spec"
V many-prof camera profiles --json \$A 127.0.0.1:\$P
stop many

start deep --dir "$TMPD/deepfault" --fallback-dir "$FIX/spec"
V deep-info camera info \$A 127.0.0.1:\$P
stop deep
start f90 --dir "$TMPD/fault90" --fallback-dir "$FIX/spec"
V f90-info camera info \$A 127.0.0.1:\$P
stop f90

start by --dir "$FIX/badyear" --fallback-dir "$FIX/spec" --user admin \
    --password '$PW'
V by-info camera info \$A 127.0.0.1:\$P
stop by
start tr --dir "$FIX/truncated" --fallback-dir "$FIX/spec"
V tr-info camera info \$A 127.0.0.1:\$P
stop tr
start we --dir "$FIX/wrongel" --fallback-dir "$FIX/spec"
V we-info camera info \$A 127.0.0.1:\$P
stop we
start ws --dir "$FIX/wrongsvc" --fallback-dir "$FIX/soap11"
V ws-info camera info \$A 127.0.0.1:\$P
stop ws
start m2 --dir "$FIX/media2fail" --fallback-dir "$FIX/spec"
V m2-prof camera profiles \$A 127.0.0.1:\$P
stop m2
INNER
unshare -n sh "$TMPD/inner.sh"
check "the stubs and vigia ran in a private namespace"

# 3. numbers out of range
test "$(cat "$TMPD/h-pjson.rc")" = 0
check "hostile: profiles --json exits 0"
contains "$TMPD/h-pjson" '"fps": null' "FrameRateLimit -INF / 1e30 is not reported (null)"
! grep -q '"fps": -' "$TMPD/h-pjson"
check "no wrapped negative fps"
test "$(grep -c '"quality": null' "$TMPD/h-pjson")" = 2
check "Quality NaN and INF are null, the key is kept"
grep -q 'UndefinedBehavior\|runtime error' "$TMPD/h-pjson.err" "$TMPD/h-prof.err"
test $? = 1
check "no UBSan report"
contains "$TMPD/h-prof" '^P.*main.*Stream +H265 +3840x2160 +- ' "the table shows '-' for the fps"

# 4. JSON keys never vanish
for k in manufacturer model firmware serial hostname; do
	grep -q "\"$k\": \"" "$TMPD/h-json"
	check "info --json keeps \"$k\" (repaired text)"
done
contains "$TMPD/h-json" '"hostname": "cam���-1"' "invalid UTF-8 (an encoded surrogate) becomes U+FFFD"
contains "$TMPD/h-json" '"firmware": "2\.���1"' "a surrogate reference becomes U+FFFD"
contains "$TMPD/h-pjson" '"stream_uri": "rtsp://127\.0\.0\.1:554/Streaming/Channels/���101"' "profiles --json keeps stream_uri"

# 5. terminal escape injection
for f in h-info h-info.err h-prof h-prof.err; do
	! grep -q "$ESC" "$TMPD/$f" && ! LC_ALL=C grep -q "$(printf '\302\233')" "$TMPD/$f" && ! grep -q "$(printf '\007')" "$TMPD/$f"
	check "$f: no ESC, C1 CSI or BEL reaches the terminal"
done
contains "$TMPD/h-info" 'Acme\\x1b\]0;pwned\\x07\\x1b\[2J\\x1b\[31mRed' "camera info shows the escapes as text"
contains "$TMPD/h-info" 'Evil\\x1b\]0;pwned\\x07' "a %1b decoded from a scope is shown as text"
contains "$TMPD/h-info" 'SN\\u009b31m-1' "a C1 CSI is shown as text"

# 1, 2. host-less and foreign service addresses
for f in nh-prof nh-info; do
	! grep -q 'Envelope' "$TMPD/$f"
	check "$f: no SOAP request on stdout"
	contains "$TMPD/$f.rc" '^[01]$' "$f: ends with 0 or 1"
done
contains "$TMPD/nh-prof" '"ok": ' "//host XAddrs: profiles --json prints a JSON object"
! grep -q 'Envelope' "$TMPD/ch-prof"
check "a control character in an XAddr's host: no SOAP request on stdout"
contains "$TMPD/ch-prof.rc" '^[01]$' "control character in a host: ends with 0 or 1"
! grep -q 'Envelope' "$TMPD/ch-ev"
check "an ESC in an XAddr's path: no SOAP request on stdout"
test "$(cat "$TMPD/ch-ev.rc")" = 0
check "an ESC in an XAddr's path: the device service answers instead"
P=$(cat "$TMPD/nhc.p")
for f in nhc-info nhc-prof; do
	! grep -q 'Envelope' "$TMPD/$f"
	check "GetCapabilities $f: no SOAP request on stdout"
	contains "$TMPD/$f.rc" '^[01]$' "GetCapabilities $f: ends with 0 or 1"
done
contains "$TMPD/nhc.log" '^GetCapabilities' "the camera was asked GetCapabilities (no GetServices)"
contains "$TMPD/nhc-info" "\"media_url\": \"http://127\\.0\\.0\\.1:$P/onvif/device_service\"" "GetCapabilities //host XAddr: the device service is used"
contains "$TMPD/nhc-info" "\"events_url\": \"http://127\\.0\\.0\\.1:$P/onvif/device_service\"" "GetCapabilities empty XAddr: the device service is used"
test "$(cat "$TMPD/nh-ev.rc")" = 0
check "events: served on the address the camera answered on"
! test -s "$TMPD/far.log"
check "nothing (so no credentials) reached the listener on 127.0.0.2:8080"

# 7. unbounded work per reply
n=$(grep -c 'GetStreamUri' "$TMPD/many.log")
test "$n" -le 64
check "2,000 profiles: at most 64 stream-URI requests ($n)"
contains "$TMPD/many-prof.err" 'lists 2000 media profiles; vigia reads the first 64' "the cap is said"
t=$(cat "$TMPD/many-prof.ms")
test "$t" -lt 10000
check "2,000 profiles take less than 10 s ($t ms)"
t=$(cat "$TMPD/deep-info.ms")
test "$t" -lt 3000
check "5,000 nested Subcodes take less than 3 s ($t ms)"
test "$(cat "$TMPD/deep-info.rc")" = 1
check "the deep fault is a failure (exit 1)"
contains "$TMPD/f90-info.err" 'Deep0 .*Deep14' "90 nested Subcodes: the first are listed"
! grep -q 'Deep16' "$TMPD/f90-info.err"
check "90 nested Subcodes: at most 16 codes are read"

test "$(cat "$TMPD/by-info.rc")" = 0
check "a camera clock in the year 2147483647 is not believed (signs with this box's time)"

# 8. messages that blame the right thing
test "$(cat "$TMPD/tr-info.rc")" = 1
check "truncated reply: exit 1"
! grep -q 'cannot be reached' "$TMPD/tr-info.err"
check "truncated reply: not 'cannot be reached'"
contains "$TMPD/tr-info.err" 'cut short' "truncated reply: says the reply was cut short"
test "$(cat "$TMPD/we-info.rc")" = 1
check "wrong element: exit 1"
! grep -q 'HTTP status 200' "$TMPD/we-info.err"
check "wrong element: not 'HTTP status 200'"
! grep -Eq 'gSOAP error [0-9]+\)?$' "$TMPD/we-info.err" "$TMPD/tr-info.err"
check "no bare gSOAP error number"
test "$(cat "$TMPD/ws-info.rc")" = 0
check "a GetServices reply with the wrong element: camera info still works"
contains "$TMPD/ws.log" '^GetCapabilities' "... through GetCapabilities"
contains "$TMPD/m2-prof.err" 'Media2 profile store is corrupt' "Media2's own failure is shown, not only Media's"
done_testing
