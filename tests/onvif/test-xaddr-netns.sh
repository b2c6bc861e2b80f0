#!/bin/sh
# test-xaddr-netns.sh - cameras that name another address than the one
# they answer on, host-less service addresses, and devices that refuse
# WS-Security; in a private network namespace (only its loopback exists,
# so even a bug cannot reach another host).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# nat:       GetServices names http://192.0.2.7/... (nothing there): vigia
#            uses the camera's paths on the address it answered on.
# elsewhere: the reached address answers 404 for the media paths; the
#            address the camera names (127.0.0.2:8080) works, and gets no
#            credentials: with a camera that wants them there, a clear
#            message says why.
# nohost:    XAddrs "", "http://", "file:///etc/passwd": never used as
#            they are (gSOAP would talk over stdin/stdout).
# --no-wsse: the device answers a signed request with a MustUnderstand
#            fault: vigia says so and retries without WS-Security.
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

cat > "$TMPD/inner.sh" <<INNER
ip link set lo up
# start NAME ARGS...: a stub logging to \$TMPD/NAME.log; sets P
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
	timeout 30 "$VIGIA" "\$@" < /dev/null > "$TMPD/\$out" 2> "$TMPD/\$out.err"
	echo \$? > "$TMPD/\$out.rc"
}

start nat --dir "$FIX/nat" --fallback-dir "$FIX/spec" --user admin \
    --password '$PW'
V nat-prof camera profiles -u admin -p "$TMPD/pw" 127.0.0.1:\$P
V nat-info camera info -u admin -p "$TMPD/pw" 127.0.0.1:\$P
V nat-json camera info --json -u admin -p "$TMPD/pw" 127.0.0.1:\$P
echo \$P > "$TMPD/nat.p"
stop nat

# the address the camera names: no credentials wanted there
start b --addr 127.0.0.2 --port 8080 --dir "$FIX/spec"
start a --dir "$FIX/elsewhere" --fallback-dir "$FIX/spec" --user admin \
    --password '$PW'
PA=\$P
V else-prof camera profiles -u admin -p "$TMPD/pw" 127.0.0.1:\$PA
stop b
# ... and a camera there that wants them
start b2 --addr 127.0.0.2 --port 8080 --dir "$FIX/spec" --user admin \
    --password '$PW'
V else-auth camera profiles -u admin -p "$TMPD/pw" 127.0.0.1:\$PA
stop b2
stop a

start nohost --dir "$FIX/nohost" --fallback-dir "$FIX/spec"
V nohost-json camera info --json -u admin -p "$TMPD/pw" 127.0.0.1:\$P
V nohost-prof camera profiles --json -u admin -p "$TMPD/pw" 127.0.0.1:\$P
echo \$P > "$TMPD/nohost.p"
stop nohost

start mu --dir "$FIX/spec" --no-wsse
V mu-info camera info -u admin -p "$TMPD/pw" 127.0.0.1:\$P
stop mu
start mud --dir "$FIX/spec" --no-wsse --user admin --password '$PW' --digest
V mud-prof camera profiles -u admin -p "$TMPD/pw" 127.0.0.1:\$P
stop mud
start mux --dir "$FIX/spec" --no-wsse --user admin --password '$PW'
V mux-info camera info -u admin -p "$TMPD/pw" 127.0.0.1:\$P
stop mux
INNER
unshare -n sh "$TMPD/inner.sh"
check "the stubs and vigia ran in a private namespace"

P=$(cat "$TMPD/nat.p")
test "$(cat "$TMPD/nat-prof.rc")" = 0
check "nat: camera profiles works although the XAddrs name 192.0.2.7"
contains "$TMPD/nat-prof" '^Profile_1 +mainStream +H265' "nat: profiles listed"
contains "$TMPD/nat.log" '^GetProfiles ok' "nat: GetProfiles reached the camera at the address it answered on"
! grep -q 'trying the address the camera names' "$TMPD/nat-prof.err"
check "nat: the named address was not needed"
contains "$TMPD/nat-info" "^Media2 +http://127\\.0\\.0\\.1:$P/onvif/media2_service\$" "nat: info shows the address in use"
contains "$TMPD/nat-info" '^Camera names +http://192\.0\.2\.7/onvif/media_service$' "nat: info shows what the camera names"
contains "$TMPD/nat-json" '"media2_named": "http://192.0.2.7/onvif/media2_service"' "nat: JSON has the named address"

test "$(cat "$TMPD/else-prof.rc")" = 0
check "elsewhere: falls back to the named address when the reached one fails"
contains "$TMPD/else-prof" '^Profile_1 +mainStream +H265' "elsewhere: profiles listed"
contains "$TMPD/else-prof.err" 'trying the address the camera names, http://127\.0\.0\.2:8080/onvif/media2_service' "elsewhere: says it falls back"
contains "$TMPD/else-prof.err" 'answers at http://127\.0\.0\.2:8080/onvif/media2_service, the address the camera names' "elsewhere: says which one worked"
contains "$TMPD/b.log" '^GetProfiles ok' "elsewhere: the named address served GetProfiles"
! grep -q 'Username' "$TMPD/b.log.body"
check "elsewhere: no credentials went to the named address"
test "$(cat "$TMPD/else-auth.rc")" = 1
check "elsewhere: a named address that wants credentials fails (exit 1)"
contains "$TMPD/else-auth.err" 'vigia sends no credentials there' "elsewhere: the message says why"
! grep -q 'Username' "$TMPD/b2.log.body" 2> /dev/null
check "elsewhere: still no credentials sent there"

P=$(cat "$TMPD/nohost.p")
test "$(cat "$TMPD/nohost-json.rc")" = 0
check "nohost: camera info works"
! grep -q 'Envelope' "$TMPD/nohost-json"
check "nohost: no SOAP request on stdout"
contains "$TMPD/nohost-json" "\"media2_url\": \"http://127\\.0\\.0\\.1:$P/onvif/device_service\"" "nohost: empty XAddr means the device service"
contains "$TMPD/nohost-json" "\"events_url\": \"http://127\\.0\\.0\\.1:$P/onvif/device_service\"" "nohost: file:// XAddr is not used"
! grep -q 'Envelope' "$TMPD/nohost-prof"
check "nohost: profiles writes no request to stdout"
contains "$TMPD/nohost-prof.rc" '^[01]$' "nohost: profiles ends with 0 or 1, within its deadline"

test "$(cat "$TMPD/mu-info.rc")" = 0
check "MustUnderstand: camera info works with a device without WS-Security"
contains "$TMPD/mu.log" 'MustUnderstand' "MustUnderstand: the device refused the signed request"
contains "$TMPD/mu-info.err" 'refuses WS-Security sign-in and answers without credentials' "MustUnderstand: says so"
! grep -q 'not an ONVIF service\|gSOAP error 8' "$TMPD/mu-info.err"
check "MustUnderstand: not called 'not an ONVIF service'"
test "$(cat "$TMPD/mud-prof.rc")" = 0
check "MustUnderstand + HTTP digest: camera profiles works"
contains "$TMPD/mud.log" '401' "MustUnderstand + digest: asked for HTTP digest"
! grep -q 'answers without credentials' "$TMPD/mud-prof.err"
check "MustUnderstand + digest: not called anonymous"
test "$(cat "$TMPD/mux-info.rc")" = 1
check "MustUnderstand, credentials needed, no digest: fails"
contains "$TMPD/mux-info.err" 'refuses WS-Security sign-in' "MustUnderstand, no way in: says why"

done_testing
