#!/bin/sh
# test-vigia-start.sh - `vigia start` says why, in plain words: a camera
# whose stream nobody serves is named with vigiad's reason after the
# deadline (vigiad keeps running, detached, with its pidfile and log
# beside the spool); a vigiad program that is not there; a vigiad that
# stops at once (its status socket cannot be made) with its log's last
# error; a second start finds it running; an invalid file exits 3.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
command -v jq >/dev/null 2>&1 || skip "jq missing"
VIGIA_TEST_BACKOFF_MIN_MS=200 VIGIA_TEST_BACKOFF_MAX_MS=1000 \
    VIGIA_TEST_RTSP_TIMEOUT_MS=1000
export VIGIA_TEST_BACKOFF_MIN_MS VIGIA_TEST_BACKOFF_MAX_MS \
    VIGIA_TEST_RTSP_TIMEOUT_MS
NET=$(vg_alloc_net) || bail_out "no free 127.X.Y.0/24"
PORT=$(vg_alloc_port 1) || bail_out "no free port"
vg_at_exit 'p=$(cat "$TMPD/site/vigiad.pid" 2>/dev/null); [ -n "$p" ] && kill -TERM $p 2>/dev/null; sleep 1; [ -n "$p" ] && kill -KILL $p 2>/dev/null'

# conf FILE SOCKET: one camera whose RTSP address serves nothing
conf() {
	cat > "$1" <<EOF
version = 1;
site = { id = "start-test"; };
cameras = ( { name = "cam-dark"; match = { address = "$NET.7"; };
    credentials = { user = "admin"; password = "Nobody-Serves-1"; };
    recording = { url = "rtsp://$NET.7:$PORT/none"; }; } );
storage = ( { name = "here"; type = "local"; path = "$TMPD/store"; } );
nvr = { mode = "vigiad"; };
vigiad = { spool_dir = "$TMPD/site/spool"; storage = "here";
    status_socket = "$2"; };
EOF
	chmod 600 "$1"
}

conf "$TMPD/v.conf" "$TMPD/site/status.sock"
"$VIGIA" start -c "$TMPD/v.conf" --timeout 4 > "$TMPD/out" 2> "$TMPD/err"
test $? = 1
check "a camera without packets: exit 1"
contains "$TMPD/err" 'Camera cam-dark has no packets after 4 s: (refused|timeout|closed)' \
    "it names the camera and vigiad's reason"
contains "$TMPD/err" 'Waiting for vigiad to say it is ready' "progress: READY"
contains "$TMPD/out" 'vigiad runs in the background \(pid [0-9]+\); its log is .*/site/vigiad.log' \
    "vigiad runs detached, its log beside the spool"
contains "$TMPD/out" '0 of 1 camera records' "it counts what records"
pid=$(cat "$TMPD/site/vigiad.pid")
kill -0 "$pid"
check "the pidfile names the running vigiad"
"$VIGIA" status --json --socket "$TMPD/site/status.sock" | jq -e ".pid == $pid" > /dev/null
check "the status socket answers with that pid"

"$VIGIA" start -c "$TMPD/v.conf" > "$TMPD/out" 2> "$TMPD/err"
test $? = 1
check "a second start exits 1"
contains "$TMPD/err" "already runs with this configuration \\(pid $pid\\)" "and says it runs"
kill -TERM "$pid"
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
! kill -0 "$pid" 2>/dev/null
check "it stops on SIGTERM"

VIGIA_VIGIAD=$TMPD/no-such-vigiad "$VIGIA" start -c "$TMPD/v.conf" \
    > "$TMPD/out" 2> "$TMPD/err"
test $? = 1
check "no vigiad program: exit 1"
contains "$TMPD/err" "vigiad cannot be run \\($TMPD/no-such-vigiad\\): No such file" \
    "it says which program is missing"

# a status socket in a directory that cannot be made: vigiad stops at once
: > "$TMPD/plain-file"
conf "$TMPD/bad.conf" "$TMPD/plain-file/sub/status.sock"
"$VIGIA" start -c "$TMPD/bad.conf" > "$TMPD/out" 2> "$TMPD/err"
test $? = 1
check "vigiad that stops at once: exit 1"
contains "$TMPD/err" 'vigiad stopped at once \(exit status 1\)' "it says vigiad stopped"
contains "$TMPD/err" 'status socket .*plain-file' "with the log's last error"

echo 'version = 1; site = { id = "Bad Id"; };' > "$TMPD/invalid.conf"
chmod 600 "$TMPD/invalid.conf"
"$VIGIA" start -c "$TMPD/invalid.conf" > "$TMPD/out" 2> "$TMPD/err"
test $? = 3
check "an invalid file: exit 3"
contains "$TMPD/err" 'invalid.conf:1' "with where"

LC_ALL=C.UTF-8 LANGUAGE=es VIGIA_VIGIAD=$TMPD/no-such-vigiad \
    "$VIGIA" start -c "$TMPD/v.conf" > "$TMPD/out" 2> "$TMPD/err"
contains "$TMPD/err" "No se puede ejecutar vigiad" "Spanish"
done_testing
