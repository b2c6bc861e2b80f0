#!/bin/sh
# test-report-es.sh - `vigia report` in Spanish: the HTML page (its lang,
# title, headings, labels and results, as headless Chromium shows them)
# and the terminal summary, with no English label left.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/store/lib-store.sh"
. "$top_srcdir/tests/ls/lib-ls.sh"
. "$top_srcdir/tests/report/lib-report.sh"

command -v msgfmt > /dev/null || skip "msgfmt (gettext) is not installed"
command -v chromium > /dev/null || skip "chromium is not installed"
loc=$(locale -a 2>/dev/null | grep -iE '^es_[A-Z]+\.utf-?8$' | head -1)
[ -n "$loc" ] || skip "no Spanish UTF-8 locale (run-tests generates es_ES.UTF-8 with locale-gen)"
mkdir -p "$TMPD/locale/es/LC_MESSAGES"
msgfmt -c -o "$TMPD/locale/es/LC_MESSAGES/vigia.mo" "$top_srcdir/po/es.po"
check "po/es.po compiles"

report_site 1
check "a commissioned site of one camera"
VIGIA_LOCALEDIR="$TMPD/locale" LC_ALL=$loc "$VIGIA" report -c "$CONF" \
    --html "$TMPD/informe.html" > "$TMPD/out.txt" 2> "$TMPD/err.txt"
st=$?
sed 's/^/# /' "$TMPD/err.txt" | tail -3
test $st -eq 0
check "vigia report --html exits 0 in Spanish"
contains "$TMPD/out.txt" '^Informe de obra de Warehouse' "the summary is Spanish"
contains "$TMPD/out.txt" '^  correcto +ONVIF accesible: responde en http' "with Spanish test names and results"
contains "$TMPD/out.txt" '^Almacenamiento cloud: correcto$' "the storage check too"
contains "$TMPD/out.txt" '^Grabador: vigiad no está en marcha$' "and the recorder's state"
contains "$TMPD/err.txt" '^Probando 1 cámara, el almacenamiento y Label Studio' "the progress line too"

report_chromium "$TMPD/informe.html"
check "headless Chromium opened the Spanish report"
jq -c '{lang, title, h1, verdict}' "$TMPD/dom.json" | sed 's/^/# /'
jq -e '.lang == "es" and (.title | startswith("Informe de obra: ")) and
    .h1 == "Informe de obra de la puesta en marcha" and
    .verdict == "1 cámara pasó todas las pruebas."' "$TMPD/dom.json" > /dev/null
check "lang=es, title, heading and verdict in Spanish"
jq -e '.cameras[0].identity | has("Fabricante") and has("Número de serie") and
    has("Dirección MAC") and has("Deriva del reloj") and has("URI del flujo")' \
    "$TMPD/dom.json" > /dev/null
check "the camera's labels in Spanish"
for w in 'Codificador' 'Medido en el flujo' 'Pruebas' 'deriva del reloj' \
    'el flujo se abre' 'correcto' 'Almacenamiento' 'Grabador' 'Hecho por vigia'; do
	grep -q "$w" "$TMPD/informe.html" || echo "# missing: $w"
done > "$TMPD/missing"
test ! -s "$TMPD/missing" || cat "$TMPD/missing"
test ! -s "$TMPD/missing"
check "encoder table, tests, storage, recorder and footer in Spanish"
sed -e 's/<[^>]*>/\n/g' "$TMPD/informe.html" | grep -E '^(Vendor|Serial number|Tests|Encoder|passed|Storage|Recorder|Measured on the stream|Clock drift)$' > "$TMPD/english"
test ! -s "$TMPD/english" || sed 's/^/# English: /' "$TMPD/english"
test ! -s "$TMPD/english"
check "no English label left in the page"

done_testing
