#!/bin/sh
# test-wizard-site.sh - the wizard at site scale: 64 simulated cameras at
# 80x24, every step rendered in Spanish and in English, and no word cut
# without "…" (tests/tui/cuts.pl reads every screen captured).  Along the
# way: the camera table (a row per camera, "N more below", PgDn, the `/`
# filter and `a` on the rows shown; the Cameras choices of the passwords
# and encoder steps, the addresses step and the camera check use it too), the time step without the false
# "from the loaded file" note, the review's line per camera (Enter
# expands, PgDn scrolls and does not open the apply dialog), the dialog's
# chosen button, a cancelled apply that says "not applied", the apply.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A private site on a /24 of its own (lib.sh's allocator).  Other tests'
# sites on lo answer the search too: the select step keeps this site's
# cameras with the filter.  VIGIA_SCREENS=DIR keeps the screens.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"

[ "$(id -u)" = 0 ] || skip "WS-Discovery on lo needs root"
command -v perl > /dev/null || skip "perl is not installed"
spanish_locale || skip "no Spanish locale or msgfmt"

NCAM=64
SHOTS=${VIGIA_SCREENS:-$TMPD/screens}
mkdir -p "$SHOTS"

sim_start --cameras $NCAM --motion-period 0 \
    --reboot-time 1 --seed 64
check "vigia-sim starts $NCAM cameras on $SIM_BASE port $SIM_PORT"
BASE=$SIM_NET
PORT=$SIM_PORT
B_RE=$(vg_re "$BASE")

# check_table: the camera check's table scrolls and filters.
check_table() {
	keys NPage
	settle
	shot 11-check-pgdn
	screen_has "$B_RE\\.(1[4-9]|2[0-9]):$PORT" "$L: PgDn scrolls the check's camera table"
	keys / && text "$BASE.64" && keys Enter
	settle
	shot 11-check-filter
	screen_has "cam-64 +$B_RE\\.64:$PORT" "$L: / filters the check's camera table"
	keys / Escape
	settle
}

# what the screens may show whole: the catalogue's words, what is typed
{
	cat "$top_srcdir/po/es.po"
	echo "planta-64 plant-64 pool ntp org vigia conf Clave Vigia Admin"
	echo "ONVIF HIKVISION Dahua IPCAM Etiquetado Labeling"
} > "$TMPD/vocab"
# and the strings of the site, whole or cut with "…"
{
	sim_ctl status | jq -r '.cameras[] | .model, .manufacturer, .serial,
	    .mac, .address' 2>/dev/null
	i=1
	while [ $i -le $NCAM ]; do
		echo "$BASE.$i"
		echo "$BASE.$i:$PORT"
		printf 'cam-%02d\n' $i
		i=$((i + 1))
	done
	echo DS-2CD2143G2-I
	echo IPC-HDW2431T-AS-S2
	echo IPC-1080P-S
} | sort -u > "$TMPD/known"

# wait_long PATTERN: up to 2 minutes (64 cameras take a while).
wait_long() {
	n=0
	while [ $n -lt 12 ]; do
		wait_for "$1" > /dev/null && return 0
		n=$((n + 1))
	done
	wait_for "$1"
}

# shot NAME: keep the screen as it is now (the path of $TMPD hidden).
shot() {
	sleep 0.3
	tm capture-pane -p -t w | sed "s|$TMPD|/tmp/T|g" > "$SHOTS/$L-$1"
}

# walk LANG: first screen to written file; the L_* patterns are the
# language's.
walk() {
	wait_for "$L_STEP 1 $L_OF 17"
	shot 01-language
	keys Enter
	wait_for "$L_STEP 2 $L_OF 17"
	keys "$L_SITE"
	shot 02-site
	keys C-n
	wait_for "$L_STEP 3 $L_OF 17"
	n=$(grep -E '^ +\[[ x]\] ' "$TMPD/screen" | grep -n '\] lo$' |
	    cut -d: -f1)
	i=1
	while [ "$i" -lt "$n" ]; do
		keys Down
		i=$((i + 1))
	done
	keys Space
	wait_for '\[x\] lo'
	shot 03-interfaces
	keys C-n
	wait_for "$L_STEP 4 $L_OF 17"
	wait_long "$L_DONE"
	shot 04-discovery
	screen_has "$L_MORE" "$L: the list says how many cameras are below"
	keys C-n
	wait_for "$L_STEP 5 $L_OF 17"
	shot 05-select
	# this site only: none, filter on its addresses, all of those
	keys a
	keys / && text "$BASE." && keys Enter
	keys a
	wait_for "$L_TICKED"
	check "$L: the filter and a tick the $NCAM cameras of the site"
	shot 05-select-filter
	keys NPage
	settle
	shot 05-select-pgdn
	screen_has "$BASE\\.1[4-9]:$PORT" "$L: PgDn scrolls the camera table"
	keys C-n
	wait_for "$L_STEP 6 $L_OF 17"
	shot 06-credentials
	keys vigia Down
	text 'Clave-Vigia-26'
	# the administrator, while factory-new cameras are left
	if grep -qE 'Admin password|Contraseña de admin' "$TMPD/screen"; then
		keys Down Down
		text 'Clave-Admin-26'
	fi
	shot 06-credentials-typed
	# the Cameras choice: the camera table over the screen, filtered
	keys Up Up Up Up Up Up Up Up
	keys Enter
	wait_for "$L_CHOOSE"
	shot 06-cameras
	screen_has "cam-01 +$B_RE\\.1:$PORT" "$L: the Cameras choice is a camera table"
	screen_has "$L_MORE" "$L: the Cameras table says how many are below"
	keys / && text "$BASE.6" && keys Enter
	settle
	shot 06-cameras-filter
	screen_has "$B_RE\\.64:$PORT" "$L: / filters the Cameras table"
	keys Escape
	settle
	keys C-n
	wait_for "$L_STEP 7 $L_OF 17"
	shot 07-network
	screen_has "cam-01 +$B_RE\\.1:$PORT" "$L: the addresses step has a camera table"
	# Down from the last field: into the table, PgDn scrolls it
	keys Down NPage
	settle
	shot 07-network-pgdn
	screen_has "$B_RE\\.(1[4-9]|2[0-9]):$PORT" "$L: PgDn scrolls the addresses table"
	keys C-n
	wait_for "$L_STEP 8 $L_OF 17"
	text 'pool.ntp.org'
	shot 08-time
	grep -qE "$L_LOADED" "$SHOTS/$L-08-time"
	test $? = 1
	check "$L: no note of a loaded file when none was loaded"
	keys C-n
	wait_for "$L_STEP 9 $L_OF 17"
	wait_long "$L_ENCREAD"
	shot 09-encoder
	keys Up Up Up
	keys Enter
	wait_for "$L_CHOOSE"
	shot 09-encoder-cameras
	screen_has "cam-64 +$B_RE\\.64:$PORT|$L_MORE" "$L: the encoder's Cameras choice is a camera table"
	keys Escape
	settle
	keys Down
	shot 09-encoder-preset
	keys C-n
	wait_for "$L_STEP 10 $L_OF 17"
	wait_long "$L_PLAN"
	shot 10-review
	keys Enter
	settle
	shot 10-review-open
	keys NPage
	settle
	shot 10-review-pgdn
	grep -qE "$L_APPLYQ" "$SHOTS/$L-10-review-pgdn"
	test $? = 1
	check "$L: PgDn scrolls the review, without the apply dialog"
	screen_has "$L_STEP 10 $L_OF 17" "$L: PgDn stays on the review"
}

# ---- Spanish: every step, and the apply ------------------------------------
L=es L_STEP=Paso L_OF=de L_SITE=planta-64 L_DONE='Búsqueda terminada'
L_MORE='[0-9]+ más abajo' L_TICKED="Marcadas: $NCAM de"
L_LOADED='archivo cargado' L_ENCREAD='Opciones de codificador leídas'
L_PLAN='Plan: [0-9]+ pasos? en' L_APPLYQ='¿Aplicar el plan\?'
L_CHOOSE='Intro elige, Esc vuelve'
start 80 24 LC_ALL="$ES_LOC" VIGIA_LOCALEDIR="$TMPD/locale"
walk
keys C-n
wait_for '¿Aplicar el plan\?'
shot 10-dialog
screen_has '\[ Aplicar \]' "es: the dialog shows which button is chosen"
keys Right Enter
wait_for 'No se aplicó'
check "es: a cancelled apply says it was not applied"
shot 10-not-applied
keys C-n
wait_for '¿Aplicar el plan\?'
keys Enter
wait_long 'Resultados, una línea por cámara'
check "es: the plan is applied"
shot 10-results
keys C-n
wait_for 'Paso 11 de 17'
wait_long 'cámaras? (envían|necesitan)|La cámara envía'
shot 11-check
check_table
keys C-n
if wait_for 'Continuar de todos modos' > /dev/null; then
	shot 11-check-dialog
	keys Left Enter
fi
for n in 12 13 14 15; do
	wait_for "Paso $n de 17"
	shot $n
	keys C-n
done
wait_for 'Paso 16 de 17'
shot 16
keys C-u "$TMPD/out/site-es.conf" C-n
wait_for 'Paso 17 de 17'
shot 17
keys C-n
wait_for '^EXIT=0'
check "es: the configuration is written"
test -f "$TMPD/out/site-es.conf"
check "es: the file exists"

# ---- English: every step again (nothing left to apply) ---------------------
L=en L_STEP=Step L_OF=of L_SITE=plant-64 L_DONE='Search done'
L_MORE='[0-9]+ more below' L_TICKED=": $NCAM of"
L_LOADED='loaded file' L_ENCREAD='Encoder options read'
L_PLAN='Plan: [0-9]+ steps? on' L_APPLYQ='Apply the plan\?'
L_CHOOSE='Enter chooses, Esc goes back'
start 80 24 LC_ALL=C.UTF-8
walk
keys C-n
if wait_for 'Apply the plan\?' > /dev/null; then
	shot 10-dialog
	keys Enter
	wait_long 'Results, a line per camera'
	shot 10-results
	keys C-n
fi
wait_for 'Step 11 of 17'
wait_long 'cameras? (send|need)|The camera sends'
shot 11-check
check_table
keys C-n
if wait_for 'Go on anyway' > /dev/null; then
	keys Left Enter
fi
for n in 12 13 14 15; do
	wait_for "Step $n of 17"
	shot $n
	keys C-n
done
wait_for 'Step 16 of 17'
shot 16
keys C-u "$TMPD/out/site-en.conf" C-n
wait_for 'Step 17 of 17'
shot 17
keys C-n
wait_for '^EXIT=0'
check "en: the configuration is written"

# ---- every screen: no word cut without "…" -----------------------------------
n=$(ls "$SHOTS" | wc -l)
test "$n" -ge 50
check "the walks kept $n screens"
perl "$top_srcdir/tests/tui/cuts.pl" "$TMPD/vocab" "$TMPD/known" \
    "$SHOTS"/* > "$TMPD/cuts"
st=$?
sed 's/^/# /' "$TMPD/cuts" | head -30
(exit $st)
check "no screen at 80x24 shows a word cut without \"…\""
# the detector itself sees a cut: the issue's own examples, unmarked
mkdir -p "$TMPD/nomark"
{
	echo "  $BASE.2:$PORT  Dahua      IPC-HDW2431T-AS-S lista"
	echo " Todas las cámaras están como se configuraron.  Siguiente comprueba sus transmi"
	echo "  ~ cam-01  HIKVISION DS-2CD2143G2-I  n.º de serie DS-2CD2143G2-"
} > "$TMPD/nomark/issue-examples"
perl "$top_srcdir/tests/tui/cuts.pl" "$TMPD/vocab" "$TMPD/known" \
    "$TMPD/nomark/issue-examples" > "$TMPD/caught"
test "$(wc -l < "$TMPD/caught")" = 3
check "the detector catches the issue's three unmarked cuts"
# (a cut that falls between two words, "GOP…", reads whole once its mark
# is taken out: the detector cannot tell, which is why the wizard marks
# every cut it makes, ui_put_clipped and ui_fit)

done_testing
