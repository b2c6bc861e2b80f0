#!/bin/sh
# test-vigiad-notify.sh - vigiad speaks systemd's notify protocol on
# $NOTIFY_SOCKET by itself: READY=1 once started, STATUS=, WATCHDOG=1
# every half WATCHDOG_USEC, STOPPING=1 on SIGTERM; and `vigia status`
# reads its status socket (text, --json, and a clear error without it).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 missing"
command -v jq >/dev/null 2>&1 || skip "jq missing"
SPOOL="$TMPD/spool"
STATUS_SOCK="$TMPD/status.sock"

cat > "$TMPD/v.conf" <<EOF
version = 1;
site = { id = "notify-test"; };
cameras = ( );
storage = ( { name = "here"; type = "local"; path = "$TMPD/store"; } );
nvr = { mode = "vigiad"; };
vigiad = { spool_dir = "$SPOOL"; storage = "here"; status_socket = "$STATUS_SOCK"; };
EOF
chmod 600 "$TMPD/v.conf"

# a datagram socket that writes what it receives, one line per message
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
out = open(sys.argv[2], "a")
while True:
    m = s.recv(4096).decode()
    out.write(m.replace("\n", " | ") + "\n")
    out.flush()
' "$TMPD/notify.sock" "$TMPD/notify.log" &
PY=$!
vg_at_exit 'kill $PY 2>/dev/null'
i=0
while [ ! -S "$TMPD/notify.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

"$VIGIA" status --socket "$STATUS_SOCK" > "$TMPD/out" 2> "$TMPD/err"
[ $? -eq 1 ]
check "vigia status without vigiad exits 1"
contains "$TMPD/err" 'does not answer on .*status.sock' "and says where it looked"

NOTIFY_SOCKET="$TMPD/notify.sock" WATCHDOG_USEC=1000000 \
    "$VIGIAD" -c "$TMPD/v.conf" 2> "$TMPD/vigiad.log" &
pid=$!
i=0
while ! grep -q 'READY=1' "$TMPD/notify.log" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
contains "$TMPD/notify.log" '^READY=1' "READY=1 once started"
sleep 2.5
[ "$(grep -c 'WATCHDOG=1' "$TMPD/notify.log")" -ge 3 ]
check "WATCHDOG=1 every half WATCHDOG_USEC"
contains "$TMPD/notify.log" 'STATUS=0/0 cameras recording, 0 alarms' "a STATUS= line"

"$VIGIA" status --socket "$STATUS_SOCK" > "$TMPD/out"
check "vigia status reads the status socket"
contains "$TMPD/out" 'site notify-test' "it shows the site"
contains "$TMPD/out" 'no camera is recorded' "and that no camera is recorded"
"$VIGIA" status -c "$TMPD/v.conf" --json > "$TMPD/out.json"
jq -e '.site == "notify-test" and .pid > 0 and (.cameras | length) == 0 and .disk.free_bytes > 0' \
    "$TMPD/out.json" >/dev/null
check "vigia status --json (socket path from the configuration)"
if locale -a 2>/dev/null | grep -qi '^es_ES.utf'; then
	LC_ALL=es_ES.UTF-8 LANGUAGE=es "$VIGIA" status --socket "$STATUS_SOCK" > "$TMPD/out.es" 2>&1
	contains "$TMPD/out.es" 'sitio notify-test' "in Spanish too"
fi

kill -TERM $pid
wait $pid
[ $? -eq 0 ]
check "SIGTERM: exit 0"
contains "$TMPD/notify.log" '^STOPPING=1' "STOPPING=1 when it stops"
[ ! -e "$STATUS_SOCK" ]
check "the status socket is removed"

done_testing
