#!/bin/sh
# test-wizard-live.sh - the wizard's live tests against real servers on
# loopback: the storage step's probe of S3 (s3rver) that passes with the
# uplink budget, fails with a wrong secret and with an unreachable host
# (what to fix, stay or go on); the Label Studio step's check, its project
# list and a project created from a template at the encoder's frame rate
# (the emulator's state holds it); the NVR step's FTP target tested end to
# end against vsftpd, with the values to type into the NVR (in Spanish).
# The wizard is resumed at each step from a draft.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/store/lib-store.sh"
. "$top_srcdir/tests/ls/lib-ls.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

store_s3_start || bail_out "the S3 test server does not start"
emu_start
DEAD_PORT=$(vg_alloc_port) || bail_out "no free port"

# draft STEP STORAGE-GROUP [EXTRA]: a draft resumed at STEP, two cameras
# at 6000 kbit/s and 15 fps, vigiad uploading to the storage entry.
VIGIAD_GROUPS='nvr = { mode = "vigiad"; }; vigiad = { storage = "cloud"; };'
draft() {
	mkdir -p "$(dirname "$DRAFT")"
	rest=${3:-$VIGIAD_GROUPS}
	cat > "$DRAFT" <<EOC
version = 1;
site = { id = "site-a"; };
defaults = { credentials = { user = "vigia"; password = "Camera-Pass-1"; };
    encoder = { fps = 15; bitrate_kbps = 6000; }; };
cameras = ( { name = "gate-1"; match = { address = "192.0.2.10"; }; },
    { name = "gate-2"; match = { address = "192.0.2.11"; }; } );
storage = ( { name = "cloud"; $2 } );
$rest
EOC
	chmod 600 "$DRAFT"
	echo "$1" > "$DRAFT.step"
}
s3() {	# s3 SECRET ENDPOINT
	echo "type = \"s3\"; bucket = \"$S3_BUCKET\"; region = \"$S3_REGION\"; endpoint = \"$2\"; path_style = true; access_key = \"$S3_KEY\"; secret_key = \"$1\";"
}
quit() {
	keys Escape
	wait_for 'Quit the wizard\?|¿Salir del asistente\?' && keys Right Right Enter
	wait_for '^EXIT='
	! grep -qE 'Sanitizer|runtime error' "$TMPD/screen"
	check "the wizard leaves cleanly (no sanitizer report)"
}

# a draft that cannot be read: a clear error, no crash
draft storage 'type = "local"; path = "/tmp"; ' 'vigiad = { storage = "cloud"; '
start 80 24 LC_ALL=C.UTF-8 -- --resume
wait_for '^EXIT='
screen_has '^EXIT=3$' "a draft with a syntax error: exit status 3 (no crash)"
screen_has 'draft.conf:[0-9]+: syntax error' "... naming the file and line"

# ---- storage: a test that passes, with the uplink budget (80x24) ----------
draft storage "$(s3 "$S3_SECRET" "$S3_URL")"
start 80 24 LC_ALL=C.UTF-8 -- --resume
wait_for 'Step 14 of 17: Storage target'
check "resumed at the storage step"
screen_has 'Not tested with these settings yet' "the page says it was not tested"
keys F5
wait_for 'Storage target: it works'
check "F5: the live test of S3 passes"
screen_has '2 cameras make 12 Mbit/s; the uplink carried [0-9.]+ Mbit/s' \
    "the uplink budget weighs the cameras' bitrates against the throughput"
screen_has 'Passed: reach, auth, write, read back, delete\.' "the report lists the steps that passed"
s3_ctl stats > "$TMPD/stats"
contains "$TMPD/stats" '"puts":1,' "the S3 server saw the probe's PUT"
contains "$TMPD/stats" '"deletes":1,' "... and its DELETE"
keys Enter
wait_for 'Test passed\. 2 cameras make'
check "the page keeps the result under the fields"
keys C-n
wait_for 'Step 15 of 17: Label Studio'
check "Next after a passing test goes on without testing again"
quit

# ---- Esc cancels a slow test; a budget that does not fit ------------------
draft storage "$(s3 "$S3_SECRET" "$S3_URL")" \
    'nvr = { mode = "vigiad"; }; vigiad = { storage = "cloud"; bandwidth_kbps = 4000; };'
s3_ctl delay ms=3000 > /dev/null
start 80 24 LC_ALL=C.UTF-8 -- --resume
wait_for 'Step 14 of 17: Storage target'
keys F5
wait_for 'Testing the storage target'
check "the test runs in a job with a progress box"
screen_has 'Esc cancels' "... that says Esc cancels"
keys Escape
wait_for 'Test cancelled; F5 tests again'
check "Esc cancels the test (the store answered slowly)"
screen_has 'Not tested with these settings yet' "a cancelled test counts as not tested"
s3_ctl delay ms=0 > /dev/null
keys F5
wait_for 'Storage target: it works'
check "F5 tests again"
screen_has '2 cameras at 6\.0 Mbit/s make 12 Mbit/s; the uplink carried 4\.0' \
    "the budget weighs the cameras against the bandwidth cap"
screen_has 'lower the bitrate to 1\.6 Mbit/s' "... says it does not fit and what to lower"
keys Enter
quit

# ---- a wrong secret: what to fix; stay, then go on anyway -----------------
draft storage "$(s3 wrong-secret-0123456789 "$S3_URL")"
start 80 24 LC_ALL=C.UTF-8 -- --resume
wait_for 'Step 14 of 17: Storage target'
keys C-n
wait_for 'Storage target: the test failed'
check "Next tests the target first: a wrong secret fails"
screen_has 'the secret key is wrong for access key' "... saying so in plain words"
screen_has 'To fix: Check the access key and the secret key' "... and what to fix"
grep -q 'wrong-secret' "$TMPD/screen"
test $? -ne 0
check "the secret never shows"
keys Enter
settle
screen_has 'Step 14 of 17: Storage target' "Stay keeps the step"
screen_has 'Test FAILED at auth' "the page shows the failure"
keys C-n
wait_for 'Go on anyway'
check "Next asks again after a failed test"
keys Left Enter
wait_for 'Step 15 of 17: Label Studio'
check "the technician may go on anyway"
quit

# ---- an unreachable host --------------------------------------------------
draft storage "$(s3 "$S3_SECRET" "http://127.0.0.1:$DEAD_PORT")"
start 80 24 LC_ALL=C.UTF-8 -- --resume
wait_for 'Step 14 of 17: Storage target'
keys F5
wait_for 'Storage target: the test failed'
check "an unreachable host fails"
screen_has "no TCP connection to 127\.0\.0\.1 port $DEAD_PORT" "... saying where"
screen_has "To fix: Check the server's address and port" "... and what to fix"
keys Enter
settle
screen_has 'Step 14 of 17' "Stay keeps the step"
quit

# ---- Label Studio at 200x60: check, projects, one from a template ---------
curl -s -H "Authorization: Token $EMU_TOKEN" -H 'Content-Type: application/json' \
    --data-binary '{"title":"Other site"}' "$EMU_URL/api/projects/" > /dev/null
LS="label_studio = { enabled = true; url = \"$EMU_URL\"; token = \"$EMU_TOKEN\"; project_title = \"Planta Norte\"; label_config = \"video-classification\"; };"
draft label-studio "$(s3 "$S3_SECRET" "$S3_URL")" \
    "nvr = { mode = \"vigiad\"; }; vigiad = { storage = \"cloud\"; }; $LS"
start 200 60 LC_ALL=C.UTF-8 -- --resume
wait_for 'Step 15 of 17: Label Studio'
check "resumed at the Label Studio step at 200x60"
screen_has 'F6 picks or creates the project' "the step says what F5 and F6 do"
keys F5
wait_for 'Label Studio: (everything works|something failed)'
check "F5 runs the check"
screen_has 'Token: ok' "the token is checked live"
screen_has 'Video URL: ok\. HTTP 206' "a probe video put into the bucket is fetched as a browser would"
screen_has 'Range requests: ok' "... with range requests"
screen_has 'CORS: ' "... and its CORS reply is checked"
keys Enter
settle
keys F6
wait_for 'Label Studio projects'
check "F6 lists the projects"
screen_has '#1 Other site \(0 tasks\)' "the existing project is offered"
screen_has 'New project "Planta Norte" from the video-tracking template' "templates are offered"
keys Down Down Down Enter
wait_for 'Project #2 "Planta Norte" created from video-tracking, at 15 frames per second'
check "a project is created from the template"
emu_state 's.projects.find((p) => p.id === 2).title' > "$TMPD/t"
contains "$TMPD/t" '^Planta Norte$' "the emulator has the project"
emu_state 's.projects.find((p) => p.id === 2).label_config' > "$TMPD/cfg"
contains "$TMPD/cfg" 'frameRate="15"' "... with the encoder's frame rate"
contains "$TMPD/cfg" '<VideoRectangle' "... and the tracking template"
keys F2
wait_for 'draft'
contains "$DRAFT" 'project_id = 2;' "the draft points at the new project"
! grep -q 'video-classification' "$DRAFT"
check "... with its template (the default, video-tracking)"
keys F6
wait_for '#2 Planta Norte'
keys Up Enter
wait_for 'Project #1 "Other site" chosen'
check "an existing project can be picked"
quit

# ---- the NVR's FTP target, in Spanish at 80x24 ----------------------------
if ! spanish_locale; then
	echo "# no Spanish locale or msgfmt: the NVR run is in English"
	ES_LOC=C.UTF-8
fi
if store_ftp_start plain; then
	FTP="type = \"ftp\"; host = \"127.0.0.1\"; port = $FTP_PORT; user = \"$FTP_USER\"; password = \"$FTP_PASS\"; directory = \"$FTP_ROOT/nvr/in\"; passive = true;"
	draft nvr "$FTP" "nvr = { mode = \"ftp\"; address = \"192.0.2.50\"; user = \"admin\"; password = \"Nvr-Pass-2026\"; ftp_target = \"cloud\"; };"
	start 80 24 LC_ALL="$ES_LOC" VIGIA_LOCALEDIR="$TMPD/locale" -- --resume
	wait_for '(Step|Paso) 12 (of|de) 17'
	check "resumed at the NVR step"
	tr -d '\n' < "$TMPD/screen" | tr -s ' ' > "$TMPD/flat"
	contains "$TMPD/flat" "(server|servidor) 127\.0\.0\.1" "the page shows the server to type into the NVR"
	contains "$TMPD/flat" "(port|puerto) $FTP_PORT" "... the port"
	contains "$TMPD/flat" "(user|usuario) $FTP_USER" "... the user"
	contains "$TMPD/flat" "(directory|directorio) $FTP_ROOT/nvr/in" "... the directory"
	keys F5
	wait_for '(NVR FTP target: it works|Destino FTP del NVR: funciona)'
	check "F5: the NVR's FTP target works end to end"
	screen_has '(Server|Servidor) +127\.0\.0\.1' "the report shows the values to type into the NVR"
	screen_has "(Directory|Directorio) +$FTP_ROOT/nvr/in" "... the directory too"
	screen_has '(passive ports|puertos pasivos): .*(port|puerto) [0-9]+' "the passive port the data went through"
	# the dialog's text (72 columns wide at 80: text in columns 7-74)
	cut -c7-74 "$TMPD/screen" | tr '\n' ' ' | tr -s ' ' > "$TMPD/flat"
	contains "$TMPD/flat" '(login|inicio de sesión), (directory|directorio), mkdir, (put|envío), (list|listado), (delete|borrado)' \
	    "login, directory, mkdir, put, list and delete passed"
	screen_has '(loopback|bucle local)' "a loopback server is flagged: the NVR cannot use it"
	contains "$TMPD/vsftpd.log" 'OK MKDIR' "vsftpd saw the directory made"
	contains "$TMPD/vsftpd.log" 'OK UPLOAD' "... the file put"
	contains "$TMPD/vsftpd.log" 'OK DELETE' "... and deleted"
	test -d "$FTP_ROOT/nvr/in" && [ -z "$(ls -A "$FTP_ROOT/nvr/in")" ]
	check "the directory is there and nothing is left in it"
	grep -q 'Nvr-Pass-2026\|'"$FTP_PASS" "$TMPD/screen"
	test $? -ne 0
	check "no password shows"
	keys Enter
	settle
	quit

	# a wrong password: said in plain words, with what to fix
	draft nvr "$(echo "$FTP" | sed 's/password = "[^"]*"/password = "wrong-pass-1"/')" \
	    "nvr = { mode = \"ftp\"; address = \"192.0.2.50\"; user = \"admin\"; password = \"Nvr-Pass-2026\"; ftp_target = \"cloud\"; };"
	start 80 24 LC_ALL="$ES_LOC" VIGIA_LOCALEDIR="$TMPD/locale" -- --resume
	wait_for '(Step|Paso) 12 (of|de) 17'
	keys F5
	wait_for '(NVR FTP target: the test failed|Destino FTP del NVR: la prueba falló)'
	check "a wrong FTP password fails the NVR check"
	cut -c7-74 "$TMPD/screen" | tr '\n' ' ' | tr -s ' ' > "$TMPD/flat"
	contains "$TMPD/flat" "$FTP_USER" "... naming the user refused"
	contains "$TMPD/flat" '(Check the user and the password|Revise el usuario y la contraseña)' \
	    "... and saying what to fix"
	keys Enter
	settle
	quit
	store_stop ftp
else
	check "vsftpd starts"
fi
done_testing
