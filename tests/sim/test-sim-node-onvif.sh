#!/bin/sh
# tests/sim/test-sim-node-onvif.sh - npm's `onvif` package, an independent
# client, reads device information, profiles and stream URIs with
# credentials (WS-Security digest; HTTP digest on the Dahua-like model).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
command -v node >/dev/null 2>&1 || skip "node missing"
command -v npm >/dev/null 2>&1 || skip "npm missing"
NODE_DIR="$top_builddir/tests/node"
if [ ! -d "$NODE_DIR/node_modules/onvif" ]; then
	mkdir -p "$NODE_DIR"
	timeout 300 npm install --silent --no-audit --no-fund \
	    --prefix "$NODE_DIR" onvif >"$TMPD/npm.log" 2>&1
	check "npm install onvif" || { cat "$TMPD/npm.log"; done_testing; }
fi

sim_start --cameras 3 --no-discovery
check "vigia-sim started"

for c in 1 2; do
	user=$(cam_json $c '.users[0].name')
	pw=$(cam_json $c '.users[0].password')
	timeout 30 node "$top_srcdir/tests/sim/onvif-client.js" \
	    "$NODE_DIR/node_modules" "$(cam_addr $c)" "$SIM_PORT" "$user" "$pw" \
	    >"$TMPD/n$c.json" 2>"$TMPD/n$c.err"
	check "node onvif talks to camera $c ($(cam_json $c .model))" ||
	    cat "$TMPD/n$c.err"
	[ "$(jq -r .info.manufacturer "$TMPD/n$c.json")" = \
	    "$(cam_json $c .manufacturer)" ]
	check "camera $c: manufacturer"
	[ "$(jq -r .info.serialNumber "$TMPD/n$c.json")" = \
	    "$(cam_json $c .serial)" ]
	check "camera $c: serial number"
	[ "$(jq -r '.profiles | length' "$TMPD/n$c.json")" = 2 ]
	check "camera $c: two profiles"
	[ "$(jq -r '.profiles[0].uri' "$TMPD/n$c.json")" = \
	    "$(cam_json $c '.streams[0].uri')" ]
	check "camera $c: main stream URI"
	[ "$(jq -r '.profiles[1].uri' "$TMPD/n$c.json")" = \
	    "$(cam_json $c '.streams[1].uri')" ]
	check "camera $c: sub stream URI"
	[ "$(jq -r '.profiles[0].width' "$TMPD/n$c.json")" = \
	    "$(cam_json $c '.streams[0].width')" ]
	check "camera $c: main stream width"
	[ "$(jq -r '.profiles[0].snapshot' "$TMPD/n$c.json")" = \
	    "$(cam_json $c .snapshot_uri)" ]
	check "camera $c: snapshot URI"
done

timeout 30 node "$top_srcdir/tests/sim/onvif-client.js" \
    "$NODE_DIR/node_modules" "$(cam_addr 2)" "$SIM_PORT" admin wrong \
    >"$TMPD/bad.json" 2>&1
[ $? -ne 0 ]
check "node onvif with a wrong password fails"
done_testing
