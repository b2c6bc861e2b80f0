# tests/report/lib-report.sh - a commissioned site for the report tests:
# vigia-sim, the S3 test server and the Label Studio emulator, a
# configuration for them and `vigia --apply` run on it (sourced after
# tests/lib.sh, sim-lib.sh, lib-store.sh and lib-ls.sh).
#   report_site N      start it all with N cameras; CONF is the file
#   report_chromium F  open report F in headless Chromium: $TMPD/dom.json
#                      (what the page shows), $TMPD/shot.png, $TMPD/print.pdf
#   shot_stats PNG     "distinct-grey-levels percent-not-white" of a picture
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later

# report_admin_pw I: the administrator password camera I has, or gets
# when it is factory-new.
report_admin_pw() {
	if [ "$(cam_json "$1" .factory_new)" = true ]; then
		echo Report-Pass-2026
	else
		cam_json "$1" '.users[0].password'
	fi
}

# report_site N: the site, commissioned (passwords from the simulator,
# the encoder every camera is set to); CONF names its configuration.
report_site() {
	sim_start --cameras "$1" --no-discovery || return 1
	store_s3_start || return 1
	emu_start
	CONF="$TMPD/vigia.conf"
	STATUS_SOCK="$TMPD/status.sock"
	SPOOL="$TMPD/spool"
	mkdir -p "$SPOOL"
	{
		echo 'version = 1;'
		echo 'site = { id = "report-site"; name = "Warehouse <North> & Co"; timezone = "Europe/Madrid"; };'
		echo "defaults = { onvif = { port = $SIM_PORT; timeout_ms = 5000; };"
		echo '    credentials = { user = "vigia"; password = "Report-Pass-2026"; };'
		echo '    time = { ntp = [ "127.0.0.1" ]; max_drift_s = 5; };'
		echo '    encoder = { codec = "h264"; width = 1280; height = 720; fps = 15;'
		echo '        bitrate_kbps = 2000; gop = 30; profile = "main"; };'
		echo '    recording = { segment_s = 10; }; };'
		echo 'cameras = ('
		i=0
		while [ $i -lt "$1" ]; do
			[ $i -eq 0 ] || echo ','
			cat <<EOF2
	{ name = "cam-$((i + 1))";
	  match = { address = "$(cam_addr $i)"; };
	  credentials = { admin_user = "admin"; admin_password = "$(report_admin_pw $i)"; }; }
EOF2
			i=$((i + 1))
		done
		echo ');'
		echo "storage = ( { name = \"cloud\"; $(s3_group) } );"
		echo 'nvr = { mode = "vigiad"; };'
		echo "label_studio = { enabled = true; url = \"$EMU_URL\";"
		echo "    token = \"$EMU_TOKEN\"; project_title = \"report\";"
		echo '    label_config = "video-classification"; };'
		echo "vigiad = { spool_dir = \"$SPOOL\"; storage = \"cloud\";"
		echo "    status_socket = \"$STATUS_SOCK\";"
		echo '    retention = { min_free_gb = 0.0; min_free_h = 0.0; }; };'
	} > "$CONF"
	chmod 600 "$CONF"
	"$VIGIA" --apply "$CONF" --yes --no-discovery > "$TMPD/apply.out" 2>&1 ||
	    { sed 's/^/# /' "$TMPD/apply.out"; return 1; }
}

# report_chromium FILE: what headless Chromium shows of it.
report_chromium() {
	rm -rf "$TMPD/profile"
	mkdir -p "$TMPD/profile"
	node --experimental-websocket --no-warnings \
	    "$top_srcdir/tests/report/report-check.mjs" "$1" "$TMPD/profile" \
	    "$TMPD/shot.png" "$TMPD/print.pdf" > "$TMPD/dom.json" 2> "$TMPD/cdp.err"
}

# shot_stats PNG: grey levels used and the share of pixels that are not
# white, from ffmpeg's decode of the picture (an independent decoder).
shot_stats() {
	ffmpeg -v error -i "$1" -vf scale=300:-1,format=gray -f rawvideo - |
	    python3 -c 'import sys
d = sys.stdin.buffer.read()
print(len(set(d)), round(100 * sum(1 for b in d if b < 240) / max(1, len(d))))'
}
