#!/bin/sh
# test-cli-camera.sh - `vigia camera ...` against recorded replies.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The CLI reads, prints (table and JSON), changes and reports errors the
# way a technician and a script need: exit codes, the camera's own
# reason, and the password never on the command line or the wire.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/onvif/lib-onvif.sh"

printf '%s\n' "$PW" > "$TMPD/pw"
chmod 600 "$TMPD/pw"

stub_start spec --user admin --password "$PW" --offset 259200
"$VIGIA" camera info -u admin -p "$TMPD/pw" "$TARGET" > "$TMPD/out" 2>&1
check "camera info exits 0 with a camera 3 days ahead"
contains "$TMPD/out" '^Serial +AC4K-000123$' "info: aligned serial line"
contains "$TMPD/out" '^Manufacturer +Acme Óptica$' "info: UTF-8 value"
contains "$TMPD/out" '^Clock offset +\+2592(0[0-9]|1[0-9]) s$' "info: clock offset shown"
contains "$TMPD/out" '^Identity +AC4K-000123/00:0f:7c:12:34:56$' "info: identity"
# nine distinct operations, each asked once (it used to send 13)
n=$(wc -l < "$TMPD/stub.log")
test "$n" -eq 9
check "camera info sends 9 requests (sent $n)"
test -z "$(sed 's/ .*//' "$TMPD/stub.log" | sort | uniq -d)"
check "camera info asks nothing twice"
contains "$TMPD/out" '^Time zone +CET-1CEST' "info: time zone from the clock read at open"
contains "$TMPD/out" '^Gateway +192\.168\.1\.1$' "info: gateway from the network read in get_info"

VIGIA_PASSWORD="$PW" "$VIGIA" camera info --json -u admin "$TARGET" > "$TMPD/json"
check "camera info --json with \$VIGIA_PASSWORD"
contains "$TMPD/json" '"serial": "AC4K-000123"' "json: serial"
contains "$TMPD/json" '"media2_url": "http://127.0.0.1:[0-9]+/onvif/media2_service"' "json: Media2 detected"
contains "$TMPD/json" '"factory_default": false' "json: scopes parsed"

"$VIGIA" camera profiles -u admin -p "$TMPD/pw" "$TARGET" > "$TMPD/prof"
check "camera profiles"
contains "$TMPD/prof" '^PROFILE +NAME +CODEC +SIZE' "profiles: table header"
contains "$TMPD/prof" '^Profile_1 +mainStream +H265 +3840x2160 +25 +8192 +50 +rtsp://' "profiles: H.265 row aligned"

"$VIGIA" camera set-encoder -u admin -p "$TMPD/pw" --profile Profile_1 \
    --resolution 1920x1080 --fps 15 --gop 30 "$TARGET" > "$TMPD/enc" 2>&1
check "set-encoder via Media2: set and read back"
contains "$TMPD/enc" 'read back: H265 1920x1080, 15 fps' "set-encoder: read-back shown"

"$VIGIA" camera set-encoder -u admin -p "$TMPD/pw" --fps 60 \
    --resolution 800x600 "$TARGET" > "$TMPD/bad" 2>&1
test $? -eq 1
check "set-encoder outside the options exits 1"
contains "$TMPD/bad" 'nothing was sent' "set-encoder: says nothing was sent"
contains "$TMPD/bad" 'Resolution 800x600 is not offered' "set-encoder: lists the resolution problem"
contains "$TMPD/bad" 'Frame rate 60 is not offered' "set-encoder: lists the fps problem"

"$VIGIA" camera set-time -u admin -p "$TMPD/pw" --ntp pool.ntp.org \
    --ntp 192.168.1.1 --timezone CET-1CEST,M3.5.0,M10.5.0/3 "$TARGET" \
    > "$TMPD/time" 2>&1
check "set-time with NTP and time zone"
contains "$TMPD/time" 'Drift before: \+2592' "set-time: drift reported"
contains "$TMPD/stub.log" 'SetNTP ok' "set-time: SetNTP sent"

"$VIGIA" camera events -u admin -p "$TMPD/pw" --json --duration 1 \
    "$TARGET" > "$TMPD/ev"
check "camera events --json"
contains "$TMPD/ev" '^\{"topic":"tns1:RuleEngine/CellMotionDetector/Motion".*"motion":true\}$' "events: motion as a JSON line"
"$VIGIA" camera events -u admin -p "$TMPD/pw" --topics "$TARGET" > "$TMPD/topics"
check "camera events --topics"
contains "$TMPD/topics" '^tns1:VideoSource/MotionAlarm$' "topics listed"

"$VIGIA" camera set-ip -u admin -p "$TMPD/pw" --address 192.168.1.64/24 \
    --gateway 192.168.1.1 --dns 192.168.1.1 --dns 9.9.9.9 "$TARGET" > "$TMPD/ip" 2>&1
check "set-ip to the settings it already has: nothing to do"
contains "$TMPD/ip" 'already has 192.168.1.64/24; nothing to do' "set-ip: idempotent"
! grep -q '^SetNetwork' "$TMPD/stub.log"
check "set-ip: nothing was sent"
"$VIGIA" camera set-ip --json -u admin -p "$TMPD/pw" --address 127.0.0.1/8 \
    "$TARGET" > "$TMPD/ip" 2> /dev/null
test $? -eq 1
check "set-ip to an address in use: refused"
contains "$TMPD/ip" '"error": ".*127.0.0.1 is in use' "set-ip: the conflict is explained"
! grep -q '^SetNetwork' "$TMPD/stub.log"
check "set-ip: nothing was sent to the camera"

"$VIGIA" camera reboot -u admin -p "$TMPD/pw" "$TARGET" > "$TMPD/reboot"
check "camera reboot"
contains "$TMPD/reboot" 'Rebooting: Rebooting in 5 seconds' "reboot: camera's message"

printf 'wrong-pass\n' > "$TMPD/badpw"
"$VIGIA" camera info --json -u admin -p "$TMPD/badpw" "$TARGET" > "$TMPD/auth" 2> "$TMPD/autherr"
test $? -eq 1
check "wrong password exits 1"
contains "$TMPD/auth" '"class": "auth"' "wrong password: class auth in JSON"
contains "$TMPD/autherr" 'refused the user name or password' "wrong password: told to the technician"
! grep -q "$PW" "$TMPD/stub.log" "$TMPD/stub.log.body"
check "the password never went over the wire"
stub_stop

"$VIGIA" camera info -u admin "$TARGET" < /dev/null > "$TMPD/nopw" 2>&1
test $? -eq 2
check "no password source and no terminal: usage error"
"$VIGIA" camera info -u admin --password secret 127.0.0.1 > /dev/null 2> "$TMPD/pwopt"
test $? -eq 2
check "--password is --password-file: never the password itself"
contains "$TMPD/pwopt" 'secret: No such file' "the value is read as a file name"
"$VIGIA" camera set-ip -u admin -p "$TMPD/pw" --address 10.0.0.5 127.0.0.1 > /dev/null 2>&1
test $? -eq 2
check "set-ip needs a prefix"
"$VIGIA" camera info --fps 5 127.0.0.1 > /dev/null 2>&1
test $? -eq 2
check "options of another command are refused"

# Hikvision-like: HTTP digest, other prefixes, ignores encoder changes
stub_start hik --user admin --password "$PW" --digest
"$VIGIA" camera set-encoder -u admin -p "$TMPD/pw" --fps 15 \
    --bitrate 2048 "$TARGET" > "$TMPD/ign" 2>&1
test $? -eq 1
check "camera that ignores a Set: exit 1"
contains "$TMPD/ign" 'accepted the change but did not keep it' "ignored Set reported"
contains "$TMPD/ign" 'Frame rate: asked for 15, the camera kept 25' "each difference reported"
contains "$TMPD/stub.log" 'SetVideoEncoderConfiguration ok ForcePersistence' "sent with ForcePersistence"
"$VIGIA" camera info --json -u admin -p "$TMPD/pw" "$TARGET" > "$TMPD/hik"
contains "$TMPD/hik" '"http_digest": true' "HTTP digest fallback reported"
stub_stop

# factory-new: activation with the vendor's password rules
stub_start factory
printf 'short\n' > "$TMPD/newpw"
"$VIGIA" camera set-user --new-user admin --new-password-file "$TMPD/newpw" \
    "$TARGET" > "$TMPD/act" 2>&1
test $? -eq 2
check "activation: weak password refused before sending"
contains "$TMPD/act" 'Hikvision needs 8 to 16' "activation: vendor rule explained"
! grep -q CreateUsers "$TMPD/stub.log"
check "activation: nothing sent with a weak password"
printf 'Vigia2026x\n' > "$TMPD/newpw"
"$VIGIA" camera set-user --new-user admin --new-password-file "$TMPD/newpw" \
    "$TARGET" > "$TMPD/act" 2>&1
check "activation of a factory-new camera"
contains "$TMPD/act" 'Camera activated: administrator admin created and verified' "activation reported"
contains "$TMPD/stub.log" 'CreateUsers ok' "CreateUsers sent"
stub_stop

# not a camera, nobody there
stub_start notonvif
"$VIGIA" camera info "$TARGET" > /dev/null 2> "$TMPD/no"
test $? -eq 1
check "a web server is not a camera: exit 1"
contains "$TMPD/no" 'not an ONVIF service' "not ONVIF explained"
stub_stop
"$VIGIA" camera info --timeout 500 "$TARGET" > /dev/null 2> "$TMPD/gone"
test $? -eq 1
check "nobody listening: exit 1"
contains "$TMPD/gone" 'cannot be reached' "unreachable explained"

# TLS pinning against a self-signed server (openssl s_server)
if command -v openssl > /dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMPD/k.pem" \
	    -out "$TMPD/c.pem" -days 2 -subj /CN=cam 2> /dev/null
	FP=$(openssl x509 -in "$TMPD/c.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
	TP=$(vg_alloc_port) || bail_out "no free port for openssl s_server"
	openssl s_server -accept "127.0.0.1:$TP" -cert "$TMPD/c.pem" \
	    -key "$TMPD/k.pem" -www -quiet > /dev/null 2>&1 &
	SPID=$!
	sleep 0.5
	"$VIGIA" camera info --json --timeout 1000 \
	    --tls-fingerprint sha256:0000000000000000000000000000000000000000000000000000000000000000 \
	    "127.0.0.1:$TP" > "$TMPD/tls" 2> /dev/null
	contains "$TMPD/tls" '"class": "tls"' "TLS: a certificate other than the pinned one is refused"
	contains "$TMPD/tls" "$(echo "$FP" | tr -d : | tr A-F a-f)" "TLS: the certificate's SHA-256 is reported"
	"$VIGIA" camera info --json --timeout 1000 --tls-fingerprint "sha256:$FP" \
	    "127.0.0.1:$TP" > "$TMPD/tls" 2> /dev/null
	! grep -q '"class": "tls"' "$TMPD/tls"
	check "TLS: the pinned certificate (colons, upper case) passes the handshake"
	kill "$SPID" 2> /dev/null
	wait "$SPID" 2> /dev/null
fi
done_testing
