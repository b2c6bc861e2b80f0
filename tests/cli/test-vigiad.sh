#!/bin/sh
# test-vigiad.sh - vigiad validates, reloads on SIGHUP and stops on SIGTERM.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"

# the example, with its spool and status socket in the test's directory,
# and nothing to record (its cameras are on a LAN this test must not
# touch: the recorder is tested against vigia-sim in tests/record/)
sed -e "s|/var/lib/vigia/spool|$TMPD/spool|" \
    -e "s|/run/vigia/status.sock|$TMPD/status.sock|" \
    -e 's|^\tmode = "vigiad";|\tmode = "none";|' \
    "$top_srcdir/data/vigia.conf.example" > "$TMPD/vigia.conf"
chmod 600 "$TMPD/vigia.conf"

"$VIGIAD" --check -c "$TMPD/vigia.conf" 2> "$TMPD/err"
check "vigiad --check accepts the example"

printf 'version = 1;\nsite = { id = "Bad Id"; };\n' > "$TMPD/bad.conf"
"$VIGIAD" --check -c "$TMPD/bad.conf" 2> "$TMPD/err"
test $? -eq 3
check "vigiad --check exits 3 on an invalid file"
contains "$TMPD/err" 'bad\.conf:2: site\.id' "and logs file:line and the key"

"$VIGIAD" -c "$TMPD/missing.conf" 2> "$TMPD/err"
test $? -eq 3
check "vigiad refuses to start without its configuration"

# wait_log PATTERN: poll the log (up to 10 s).
wait_log() {
	i=0
	while [ $i -lt 100 ]; do
		grep -qE -- "$1" "$TMPD/log" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	sed 's/^/#   /' "$TMPD/log"
	return 1
}

JOURNAL_STREAM=8:1234 "$VIGIAD" -c "$TMPD/vigia.conf" 2> "$TMPD/log" &
pid=$!
wait_log 'started'
check "vigiad starts and says so"
contains "$TMPD/log" '^<5>notice: configuration .* loaded' "under systemd each line carries a syslog priority"

kill -HUP $pid
wait_log 'SIGHUP: reloading'
check "SIGHUP reloads"
i=0
while [ "$(grep -c 'configuration .* loaded' "$TMPD/log")" -lt 2 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ "$(grep -c 'configuration .* loaded' "$TMPD/log")" -eq 2 ]
check "the reloaded file is loaded again"

cp "$TMPD/bad.conf" "$TMPD/vigia.conf"
kill -HUP $pid
wait_log 'keeping the previous configuration'
check "a bad file on reload keeps the previous configuration"
kill -0 $pid
check "vigiad keeps running after a bad reload"

kill -TERM $pid
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
wait $pid
test $? -eq 0
check "SIGTERM stops vigiad with status 0"
contains "$TMPD/log" 'stopping cleanly' "and it says it stopped cleanly"

done_testing
