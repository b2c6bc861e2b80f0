#!/bin/sh
# test-wizard-cameras-es.sh - the camera walk in Spanish at 80x24 against
# vigia-sim, start to written file: two cameras added by address, one
# factory-new (activated with the shared administrator) and one that
# already has its vendor's default administrator (given as that camera's
# own password), the encoder options read from the cameras, review,
# apply, the stream check with the live picture, write.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"

spanish_locale || skip "no Spanish locale or msgfmt"

CONF="$TMPD/out/vigia.conf"

sim_start --cameras 3 --motion-period 0 --reboot-time 1 --seed 62
BASE=$SIM_NET
PORT=$SIM_PORT
check "vigia-sim starts on $BASE.1 port $PORT"
# camera 1 starts with its vendor's default administrator
ADMIN1=$(cam_json 1 '.users[] | select(.name == "admin") | .password')
test -n "$ADMIN1"
check "camera 1 has a default administrator password"

wait_long() {
	wait_for "$1" || wait_for "$1" || wait_for "$1"
}

start 80 24 LC_ALL="$ES_LOC" VIGIA_LOCALEDIR="$TMPD/locale"
wait_for 'Paso 1 de 17'
check "the wizard opens in Spanish at 80x24"
keys Enter
wait_for 'Paso 2 de 17'
keys planta-sur C-n
wait_for 'Paso 3 de 17'
keys C-n
wait_for 'Paso 4 de 17'
search_ended
keys c
wait_for 'No hay cámaras en la lista'
for n in 1 2; do
	keys a
	wait_for 'host\[:puerto\]'
	text "$BASE.$n:$PORT"
	keys Enter
	wait_long "Se añadió $BASE\\.$n:$PORT"
done
check "two cameras are added by address"
keys C-n
wait_for 'Paso 5 de 17'
screen_has ': 2 de 2' "both cameras are ticked"
keys C-n
wait_for 'Paso 6 de 17'
keys vigia Down
text 'Clave-Vigia-26'
keys Down Down
text 'Clave-Admin-26'
wait_for 'HIKVISION: las dos contraseñas cumplen'
check "the shared administrator meets HIKVISION's rules, in Spanish"
# camera 1 (the second) has users: its current administrator password
keys Up Up Up Up Right Right
wait_for 'Contraseña propia +\[ \]'
check "choosing a camera offers its own password"
keys Down Down Down Down Down C-u
text "$ADMIN1"
wait_for 'Contraseña propia +\[x\]'
check "typing the camera's administrator password gives it its own"
keys C-n
wait_for 'Paso 7 de 17'
check "a current password that breaks the vendor's rules is not refused"
keys C-n
wait_for 'Paso 8 de 17'
keys C-n
wait_for 'Paso 9 de 17'
wait_long 'Opciones de codificador leídas de [12] de 2'
check "the encoder options are read from the cameras"
screen_has 'encaja \(ofrece hasta' "the labeling preset fits a camera"
keys C-n
wait_for 'Paso 10 de 17'
wait_long 'Plan: [0-9]+ pasos? en'
check "the plan is made"
keys C-n
wait_for '¿Aplicar el plan\?'
keys Enter
wait_long 'Todas las cámaras están como se configuraron'
check "the plan is applied"
keys C-n
wait_for 'Paso 11 de 17'
wait_long 'Las 2 cámaras envían lo que se les indicó'
check "both streams match their settings"
screen_has ' H\.264 1920x1080 1[45],[0-9] fps' \
    "the probe line is shown at 80 columns, with a decimal comma"
keys Enter
wait_long ': H\.264 1920x1080'
check "Enter shows the live picture"
keys Escape
wait_for 'NOMBRE +DIRECCIÓN +TRANSMISIÓN'
for n in 12 13 14 15 16; do
	keys C-n
	wait_for "Paso $n de 17"
done
keys C-u "$CONF" C-n
wait_for 'Paso 17 de 17'
check "the configuration is written"
keys C-n
wait_for '^EXIT=0'
check "Finish leaves with status 0"
sane_terminal "after the Spanish camera walk"

"$VIGIA" config check "$CONF" > "$TMPD/check.out" 2>&1
check "vigia config check accepts the file"
test "$(mode_of "$CONF")" = 600
check "it is mode 0600"
contains "$CONF" "admin_password = \"$ADMIN1\";" \
    "camera 1 keeps its own administrator password"
for c in 0 1; do
	cam_json $c '.users[] | select(.name == "vigia") | .password' \
	    > "$TMPD/pw.$c"
	contains "$TMPD/pw.$c" '^Clave-Vigia-26$' "camera $c has the ONVIF user"
done
cam_json 0 '.users[] | select(.name == "admin") | .password' > "$TMPD/adm.0"
contains "$TMPD/adm.0" '^Clave-Admin-26$' \
    "the factory-new camera was activated with the shared administrator"
"$VIGIA" --apply "$CONF" --plan --no-discovery > "$TMPD/plan.out" 2>&1
contains "$TMPD/plan.out" 'Plan: 0 steps on' \
    "vigia --apply finds nothing left to do on the written file"

done_testing
