# tests/onvif/lib-onvif.sh - start and stop the ONVIF stub (sourced after
# tests/lib.sh).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later

STUB="$top_builddir/tests/onvif/onvif-stub"
FIX="$top_srcdir/tests/fixtures/onvif"
STUB_PID=
STUB_PORT=
PW='S3cret!pw'

# stub_start DIALECT [ARGS...]: serve tests/fixtures/onvif/DIALECT; sets
# STUB_PORT, logs requests to $TMPD/stub.log.
stub_start() {
	d=$1
	shift
	rm -f "$TMPD/port" "$TMPD/stub.log" "$TMPD/stub.log.body"
	"$STUB" --dir "$FIX/$d" --port-file "$TMPD/port" \
	    --log "$TMPD/stub.log" "$@" &
	STUB_PID=$!
	i=0
	while [ ! -s "$TMPD/port" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	STUB_PORT=$(cat "$TMPD/port")
	TARGET="127.0.0.1:$STUB_PORT"
}

stub_stop() {
	[ -n "$STUB_PID" ] && kill "$STUB_PID" 2>/dev/null && wait "$STUB_PID"
	STUB_PID=
}

vg_at_exit stub_stop
