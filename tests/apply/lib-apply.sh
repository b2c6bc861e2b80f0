# tests/apply/lib-apply.sh - helpers for the `vigia --apply` tests against
# vigia-sim (sourced after tests/lib.sh).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# apply_start starts a private site; apply_config writes a configuration
# for its cameras from the site's own `status` (so the test does not
# hard-code the simulator's seeds): every camera gets the ONVIF user
# vigia, NTP, the site's time zone, H.264 1920x1080 15 fps and, with
# NETBASE, a static address NETBASE+i.  report_check validates a JSON
# report's schema with jq.

SIM="${VIGIA_SIM:-$top_builddir/tests/sim/vigia-sim}"
[ -x "$SIM" ] || skip "vigia-sim is not built: $SIM is missing"
[ -x "$VIGIA" ] || skip "vigia is not built: $VIGIA is missing"
command -v jq > /dev/null 2>&1 ||
    skip "jq is missing (apt-get install jq; tools/deps.sh lists it)"
. "$top_srcdir/tests/sim/sim-lib.sh"

APPLY_USER_PW=Vigia-User-1
APPLY_ADMIN_PW=Admin-Pass-1

# apply_config OUT NETBASE|- [FIRST [LAST]]: cameras FIRST..LAST of the
# running site (default all) as cam-N.  Factory-new cameras get
# APPLY_ADMIN_PW as their first administrator password; others keep the
# administrator password they have.
apply_config() {
	out=$1
	netbase=$2
	sim_ctl status > "$TMPD/status.json" || return 1
	n=$(jq '.cameras | length' "$TMPD/status.json")
	first=${3:-0}
	last=${4:-$((n - 1))}
	cat > "$out" <<EOF
version = 1;
site = { id = "apply-test"; timezone = "Europe/Madrid"; };
defaults = {
	onvif = { port = $SIM_PORT; timeout_ms = 10000; };
	credentials = { user = "vigia"; password = "$APPLY_USER_PW"; };
	time = { ntp = [ "127.0.0.1" ]; max_drift_s = 5; };
	encoder = { codec = "h264"; width = 1920; height = 1080; fps = 15;
	    bitrate_kbps = 4000; gop = 30; profile = "main"; };
};
cameras = (
EOF
	i=$first
	while [ "$i" -le "$last" ]; do
		c=".cameras[$i]"
		addr=$(jq -r "$c.address" "$TMPD/status.json")
		mac=$(jq -r "$c.mac" "$TMPD/status.json")
		serial=$(jq -r "$c.serial" "$TMPD/status.json")
		apw=$(jq -r "$c.users | map(select(.name == \"admin\")) | .[0].password // \"$APPLY_ADMIN_PW\"" "$TMPD/status.json")
		[ "$(jq -r "$c.factory_new" "$TMPD/status.json")" = true ] &&
		    apw=$APPLY_ADMIN_PW
		net='mode = "keep";'
		if [ "$netbase" != - ]; then
			o4=${netbase##*.}
			net="mode = \"static\"; address = \"${netbase%.*}.$((o4 + i))\"; prefix = 8; gateway = \"127.0.0.1\"; dns = [ \"127.0.0.53\" ];"
		fi
		[ "$i" -gt "$first" ] && echo "	," >> "$out"
		cat >> "$out" <<EOF
	{
		name = "cam-$i";
		match = { mac = "$mac"; serial = "$serial"; address = "$addr"; };
		credentials = { admin_user = "admin"; admin_password = "$apw"; };
		network = { $net };
	}
EOF
		i=$((i + 1))
	done
	echo ");" >> "$out"
	chmod 600 "$out"
}

# report_check FILE NAME: the JSON report has the documented schema.
report_check() {
	jq -e '
	  .report == "vigia-apply" and .version == 1 and
	  (.applied | type == "boolean") and
	  (.summary | (.cameras|type) == "number" and (.steps|type) == "number"
	    and (.to_change|type) == "number" and (.unreachable|type) == "number")
	  and (.cameras | type == "array") and
	  all(.cameras[];
	    (.name | type == "string") and
	    (.result | IN("planned","unchanged","ok","failed","cancelled")) and
	    (.found | type == "boolean") and
	    (.access | IN("none","user","admin","factory-new")) and
	    (.identity | has("serial") and has("mac") and has("id")) and
	    has("address") and has("address_after") and
	    (.before | type == "object") and (.after | type == "object") and
	    (.after.encoder | has("codec") and has("fps")) and
	    (.steps | type == "array") and
	    all(.steps[];
	      (.step | IN("activate","user","time","encoder","network")) and
	      (.status | IN("pending","running","done","failed","skipped",
	        "unchanged")) and
	      (.changes | type == "array") and
	      all(.changes[]; (.field|type) == "string" and
	        (.op | IN("+","~","-")) and has("before") and has("after")) and
	      (.differences | type == "array") and
	      (if .status == "failed" then (.class|type) == "string" and
	        (.message|type) == "string" else true end)) and
	    (if .found then true else (.class|type) == "string" and
	      (.error|type) == "string" end))
	' "$1" > /dev/null
	check "$2"
}

# cam_result REPORT NAME: a camera's result in a JSON report.
cam_result() {
	jq -r ".cameras[] | select(.name == \"$2\") | .result" "$1"
}

# state_stamp: a marker the sim's state files are compared against
# (the simulator rewrites a camera's file only after a change).
state_stamp() {
	sleep 1.2
	touch "$TMPD/stamp"
	sleep 1.2
}
# state_changed: camera files written since state_stamp.
state_changed() {
	sleep 1.5
	find "$SIM_STATE" -name 'camera-*.json' -newer "$TMPD/stamp" | sort
}
