#!/bin/sh
# test-wizard-walk.sh - the configuration-only steps, start to written file.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# In English at 80x24 (vigiad + motion + S3 + Label Studio) and in Spanish
# at 200x60 (an NVR by FTP + schedule + FTP): the file exists, is mode
# 0600, `vigia config check` accepts it and the values typed are in it.
# A bad value shows the core's diagnostic under its field and blocks Next;
# Next goes through an empty discovery and the camera steps (a site can
# be configured before its cameras are reachable); the language step
# switches the whole screen live.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

CONF="$TMPD/out/vigia.conf"

# ---- English, 80x24 --------------------------------------------------------
start 80 24 LC_ALL=C.UTF-8
wait_for 'Step 1 of 17: Language'
check "the wizard opens on the language step at 80x24"
screen_has 'From the system' "the language list offers the locale's"
screen_has 'F1 Help +\^N Next +\^P Back' "the key bar is drawn"
keys Enter
wait_for 'Step 2 of 17: Site'
check "Enter goes to the site step"

keys 'Bad Id'
wait_for 'expected at most 63 lowercase letters'
check "a bad site id shows the core's diagnostic as it is typed"
screen_has '^ !Site id' "the field is marked"
keys C-n
wait_for 'Fix the marked fields'
check "Next is refused while the id is bad"
screen_has 'Step 2 of 17: Site' "the wizard stays on the site step"
keys C-u plant-north Tab 'Planta Norte' Tab America/Argentina/Buenos_Aires
settle
! grep -q 'expected at most 63' "$TMPD/screen"
check "the diagnostic goes away once the id is right"
keys C-n
wait_for 'Step 3 of 17: Network interfaces'
check "Next goes on to the interfaces step"
no_cameras
wait_for 'Step 12 of 17: Recorder'
check "Next through an empty discovery and the camera steps reaches the recorder"

keys C-n
wait_for 'Step 13 of 17: Recording policy'
check "vigiad is the default recorder"
keys Right
wait_for 'Pre-roll'
check "motion shows pre- and post-roll"
keys Down C-u 3 Down C-u 999
wait_for 'expected an integer from 0 to 300'
check "an out-of-range post-roll shows the core's range"
keys C-n
settle
screen_has 'Step 13 of 17' "Next is refused with a bad post-roll"
keys BSpace BSpace BSpace 20 C-n
wait_for 'Step 14 of 17: Storage target'
check "a good post-roll lets Next through"

screen_has 'Local directory' "local storage is the default"
keys C-u cloud Down Right
wait_for 'Bucket'
check "S3 shows its fields"
keys Down 'Bad_Bucket'
wait_for 'expected an S3 bucket name'
check "a bad bucket name shows its diagnostic"
keys C-u vigia-segments Down Down http://127.0.0.1:9000 Down plant-north/ \
    Down AKIAEXAMPLE Down wJalrXUtnFEMI-secret Down Space
wait_for '\*{20}'
check "the secret key is shown masked"
! grep -q 'wJalrXUtnFEMI' "$TMPD/screen"
check "the secret key never shows in clear"
screen_has '20 characters, never shown' "the policy line counts what was typed"
keys C-n
wait_for 'Storage target: the test failed'
check "Next tests the S3 target live (nothing answers on port 9000)"
keys Right Enter
wait_for 'Step 15 of 17: Label Studio'
check "the S3 target is accepted (go on anyway)"
keys Space Down https://ls.example.com Down tok-123456 Down Down 'Plant North'
keys C-n
wait_for 'Step 16 of 17: Write the configuration'
check "Label Studio is accepted; Next goes on to writing"
screen_has 'Storage target: S3' "the write step sums up what will be written"
keys C-u "$CONF" C-n
wait_for 'Step 17 of 17: Summary'
check "^N writes the configuration"
screen_has 'written to' "the summary says where"
screen_has 'vigia config check' "the summary says what to do next"
keys C-n
wait_for '^EXIT=0'
check "Finish leaves with status 0"
sane_terminal "after finishing"

test -f "$CONF"
check "the configuration file exists"
test "$(mode_of "$CONF")" = 600
check "it is mode 0600"
"$VIGIA" config check "$CONF" > "$TMPD/check.out" 2>&1
check "vigia config check accepts it"
contains "$CONF" 'id = "plant-north";' "the site id landed"
contains "$CONF" 'timezone = "America/Argentina/Buenos_Aires";' "the time zone landed"
contains "$CONF" 'mode = "motion";' "the recording mode landed"
contains "$CONF" 'pre_roll_s = 3;' "the pre-roll landed"
contains "$CONF" 'post_roll_s = 20;' "the post-roll landed"
contains "$CONF" 'type = "s3";' "the storage type landed"
contains "$CONF" 'bucket = "vigia-segments";' "the bucket landed"
contains "$CONF" 'secret_key = "wJalrXUtnFEMI-secret";' "the secret key landed"
contains "$CONF" 'path_style = true;' "the path-style switch landed"
contains "$CONF" 'storage = "cloud";' "vigiad uploads to the renamed entry"
contains "$CONF" 'project_title = "Plant North";' "Label Studio landed"
test ! -e "$DRAFT"
check "no draft is left behind"

# ---- the language step switches the screen live ----------------------------
if spanish_locale; then
	start 80 24 LC_ALL=C.UTF-8 VIGIA_LOCALEDIR="$TMPD/locale"
	wait_for 'vigia - IP camera commissioning'
	keys Down Down
	wait_for 'vigia - puesta en marcha de cámaras IP'
	check "choosing Español retranslates the screen at once"
	screen_has 'F1 Ayuda' "the key bar is Spanish too"
	keys Up
	wait_for 'vigia - IP camera commissioning'
	check "choosing English switches back"
	keys Down F2
	wait_for 'vigia/draft.conf'
	contains "$DRAFT" 'language = "es";' "the choice is the site's language"
	keys Escape Right Right Enter
	wait_for '^EXIT='

	# ---- Spanish, 200x60 -----------------------------------------------
	rm -f "$CONF" "$DRAFT"*
	start 200 60 LC_ALL="$ES_LOC" VIGIA_LOCALEDIR="$TMPD/locale"
	wait_for 'vigia - puesta en marcha de cámaras IP'
	check "the wizard opens in Spanish at 200x60"
	screen_has 'F1 Ayuda' "the Spanish key bar"
	screen_has 'Esc Salir' "the Spanish quit key"
	keys Enter 'Mal Id'
	wait_for 'se esperaban como máximo 63 letras'
	check "the core's diagnostic is Spanish"
	keys C-n
	settle
	grep -qE '(Step|Paso) 2 (of|de) 17' "$TMPD/screen"
	check "Next is refused in Spanish too"
	keys C-u planta-norte C-n
	wait_for '(Step|Paso) 3 (of|de) 17'
	no_cameras
	wait_for '(Step|Paso) 12 (of|de) 17'
	check "a good id goes on to the recorder"
	keys Right Down 192.168.1.200 Down Right Down admin Down Clave-Segura-2026
	settle
	! grep -q 'Clave-Segura' "$TMPD/screen"
	check "the NVR password is masked"
	keys C-n
	wait_for '(Step|Paso) 13 (of|de) 17'
	check "the NVR by FTP is accepted"
	keys Right Right Down
	text 'mon-fri 08:00-18:00; sat 09:00-13:00'
	keys C-n
	wait_for '(Step|Paso) 14 (of|de) 17'
	check "schedule rules are accepted"
	keys Down Down ftp.example.com Down Down nvr Down ftp-pass-1 Down \
	    C-u /incoming C-n
	wait_for 'Destino FTP del NVR: la prueba falló' ||
	    wait_for 'Destino FTP del NVR: la prueba falló'
	check "Next tests the NVR's FTP target live (the name does not resolve)"
	keys Right Enter
	wait_for '(Step|Paso) 15 (of|de) 17'
	check "the FTP target is accepted (go on anyway)"
	keys C-n
	wait_for '(Step|Paso) 16 (of|de) 17'
	keys C-u "$CONF" C-n
	wait_for '(Step|Paso) 17 (of|de) 17'
	check "the configuration is written in Spanish"
	keys C-n
	wait_for '^EXIT=0'
	check "Finish leaves with status 0"
	sane_terminal "after the Spanish run"
	test "$(mode_of "$CONF")" = 600
	check "the Spanish run's file is mode 0600"
	"$VIGIA" config check "$CONF" > "$TMPD/check.out" 2>&1
	check "vigia config check accepts the Spanish run's file"
	contains "$CONF" 'mode = "ftp";' "the NVR mode landed"
	contains "$CONF" 'vendor = "hikvision";' "the NVR vendor landed"
	contains "$CONF" 'password = "Clave-Segura-2026";' "the NVR password landed"
	contains "$CONF" 'ftp_target = "main";' "the NVR pushes to the entry"
	contains "$CONF" 'type = "ftp";' "an FTP NVR made the target FTP"
	contains "$CONF" 'directory = "/incoming";' "the directory landed"
	contains "$CONF" '"mon-fri 08:00-18:00", "sat 09:00-13:00"' \
	    "both schedule rules landed"
else
	echo "# no Spanish locale or msgfmt: Spanish runs not checked"
fi

done_testing
