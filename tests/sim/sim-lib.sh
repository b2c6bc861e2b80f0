# tests/sim/sim-lib.sh - helpers for the vigia-sim tests (sourced after
# tests/lib.sh).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# sim_start starts a private site (its own /24 and ports, claimed from
# tests/lib.sh, a control socket and state directory under $TMPD) and
# waits for "ready"; the EXIT trap stops it by PID.  soap_call posts a
# hand-written SOAP 1.2 envelope with curl; wsse_header makes a
# WS-UsernameToken PasswordDigest with openssl, so the tests check the
# protocol, not our own client.

SIM="${VIGIA_SIM:-$top_builddir/tests/sim/vigia-sim}"
[ -x "$SIM" ] || skip "vigia-sim not built"
for t in curl openssl jq base64 xmllint od; do
	command -v $t >/dev/null 2>&1 || skip "$t missing"
done
# pre-encoded media loops are shared by the tests of one build tree
SIM_CACHE="${SIM_CACHE:-$top_builddir/tests/sim/cache}"
SIM_PID=
SIM_NET=${SIM_NET:-}
SIM_PORT=${SIM_PORT:-}
SIM_CTL="$TMPD/ctl.sock"
SIM_STATE="$TMPD/state"
vg_at_exit sim_stop

# sim_start ARGS...: camera i on $SIM_NET.(i+1); ONVIF on $SIM_PORT, RTSP
# +1, HTTP +2, HTTPS +3.  Both are claimed on first use (vg_alloc_net,
# vg_alloc_port 4) unless the test set them before (onvif-util needs port
# 80), so a restart keeps them.  The simulator's seed is the test's
# --seed (default 0) mixed with SIM_NET: no two sites anywhere share
# serial numbers, MACs or endpoint UUIDs, because WS-Discovery probes on
# lo reach every site, another `make check` run's too.
sim_start() {
	if [ -z "$SIM_NET" ]; then
		SIM_NET=$(vg_alloc_net) || bail_out "no free 127.X.Y.0/24 for vigia-sim"
	fi
	if [ -z "$SIM_PORT" ]; then
		SIM_PORT=$(vg_alloc_port 4) || bail_out "no free ports for vigia-sim"
	fi
	SIM_BASE=$SIM_NET.1
	_sim_seed=0 _sim_prev=
	for _sim_a; do
		[ "$_sim_prev" = --seed ] && _sim_seed=$_sim_a
		_sim_prev=$_sim_a
	done
	_sim_o=${SIM_NET#127.}
	SIM_SEED=$(((_sim_seed % 65536) * 65536 + ${_sim_o%.*} * 256 + ${SIM_NET##*.}))
	echo "# vigia-sim on $SIM_BASE, ports $SIM_PORT-$((SIM_PORT + 3))," \
	    "seed $SIM_SEED"
	mkdir -p "$SIM_CACHE"
	# a restart must not take the last run's "ready" for its own
	rm -f "$TMPD/sim.out" "$TMPD/sim.err"
	"$SIM" --base "$SIM_BASE" --onvif-port "$SIM_PORT" \
	    --rtsp-port $((SIM_PORT + 1)) --http-port $((SIM_PORT + 2)) \
	    --https-port $((SIM_PORT + 3)) --state "$SIM_STATE" \
	    --cache "$SIM_CACHE" --control "$SIM_CTL" "$@" --seed "$SIM_SEED" \
	    >"$TMPD/sim.out" 2>"$TMPD/sim.err" &
	SIM_PID=$!
	i=0
	while ! grep -q '^vigia-sim: ready' "$TMPD/sim.out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 1800 ] || ! kill -0 $SIM_PID 2>/dev/null; then
			echo "# vigia-sim did not start:"
			sed 's/^/#   /' "$TMPD/sim.err" | tail -20
			return 1
		fi
		sleep 0.1
	done
	return 0
}

# Stop the site by PID: TERM, then KILL after 10 s.
sim_stop() {
	[ -n "$SIM_PID" ] || return 0
	kill -TERM $SIM_PID 2>/dev/null
	i=0
	while kill -0 $SIM_PID 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 $SIM_PID 2>/dev/null; then
		echo "# vigia-sim ignored SIGTERM, killing it"
		kill -KILL $SIM_PID 2>/dev/null
		SIM_EXIT=137
	else
		wait $SIM_PID 2>/dev/null
		SIM_EXIT=$?
	fi
	SIM_PID=
}

# sim_ctl COMMAND: one control-socket command; the answer on stdout.
sim_ctl() {
	"$SIM" --control "$SIM_CTL" --send "$*"
}

# cam_json N JQ-FILTER: a field of camera N from `status`.
cam_json() {
	sim_ctl status | jq -r ".cameras[$1]$2"
}

# cam_addr N: where camera N answers now.
cam_addr() {
	cam_json "$1" .address
}

dev_url() {
	echo "http://$(cam_addr "$1"):$SIM_PORT/onvif/device_service"
}

# iso8601 EPOCH
iso8601() {
	date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ
}

# wsse_header USER PASSWORD [CREATED [NONCE_B64]]: a SOAP header with a
# UsernameToken PasswordDigest = B64(SHA1(nonce + created + password)).
wsse_header() {
	created=${3:-$(iso8601 "$(date +%s)")}
	nonce=${4:-$(openssl rand -base64 16)}
	printf '%s' "$nonce" | base64 -d >"$TMPD/digest.in"
	printf '%s%s' "$created" "$2" >>"$TMPD/digest.in"
	digest=$(openssl dgst -sha1 -binary "$TMPD/digest.in" | base64)
	cat <<EOF
<s:Header><wsse:Security s:mustUnderstand="1" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><wsse:UsernameToken><wsse:Username>$1</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">$digest</wsse:Password><wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">$nonce</wsse:Nonce><wsu:Created>$created</wsu:Created></wsse:UsernameToken></wsse:Security></s:Header>
EOF
}

# soap_call URL BODY [HEADER [CURL-ARGS...]]: POST an envelope; the answer
# in $TMPD/resp, the HTTP status on stdout ("000" if none).
soap_call() {
	url=$1
	body=$2
	hdr=${3:-}
	if [ $# -ge 3 ]; then shift 3; else shift $#; fi
	cat >"$TMPD/req.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tr2="http://www.onvif.org/ver20/media/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:tev="http://www.onvif.org/ver10/events/wsdl" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2">$hdr<s:Body>$body</s:Body></s:Envelope>
EOF
	curl -s -m 10 -o "$TMPD/resp" -w '%{http_code}' \
	    -H 'Content-Type: application/soap+xml; charset=utf-8' \
	    --data-binary @"$TMPD/req.xml" "$@" "$url"
}

# cam_clock_offset URL: camera clock minus ours, from an unauthenticated
# GetSystemDateAndTime (what a real client does first).
cam_clock_offset() {
	soap_call "$1" '<tds:GetSystemDateAndTime/>' >/dev/null
	u=$(tr -d '\n' <"$TMPD/resp" | sed -n 's/.*<tt:UTCDateTime>\(.*\)<\/tt:UTCDateTime>.*/\1/p')
	v() { printf '%s' "$u" | sed -n "s/.*<tt:$1>\([0-9]*\)<\/tt:$1>.*/\1/p"; }
	t=$(date -u -d "$(v Year)-$(v Month)-$(v Day) $(v Hour):$(v Minute):$(v Second)" +%s)
	echo $((t - $(date +%s)))
}

# wsse_for N: a header for camera N's first user at the camera's clock.
wsse_for() {
	off=$(cam_clock_offset "$(dev_url "$1")")
	wsse_header "$(cam_json "$1" '.users[0].name')" \
	    "$(cam_json "$1" '.users[0].password')" \
	    "$(iso8601 $(($(date +%s) + off)))"
}

# wait_until SECONDS COMMAND...: poll every 0.2 s until COMMAND succeeds.
wait_until() {
	limit=$(($1 * 5))
	shift
	n=0
	until "$@"; do
		n=$((n + 1))
		[ $n -ge $limit ] && return 1
		sleep 0.2
	done
	return 0
}
