#!/bin/sh
# test-i18n-es.sh - vigia speaks Spanish under an es locale.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"

command -v msgfmt > /dev/null || skip "msgfmt (gettext) is not installed"
loc=$(locale -a 2>/dev/null | grep -iE '^es_[A-Z]+\.utf-?8$' | head -1)
[ -n "$loc" ] || skip "no Spanish UTF-8 locale (run-tests generates es_ES.UTF-8 with locale-gen)"

# The catalogue as make install would place it, from the committed es.po.
mkdir -p "$TMPD/locale/es/LC_MESSAGES"
msgfmt -c -o "$TMPD/locale/es/LC_MESSAGES/vigia.mo" "$top_srcdir/po/es.po"
check "po/es.po compiles with msgfmt -c"
export VIGIA_LOCALEDIR="$TMPD/locale"
LC_ALL=$loc
export LC_ALL

"$VIGIA" --help > "$TMPD/out"
check "vigia --help exits 0 in Spanish"
contains "$TMPD/out" '^Uso: vigia \[OPCIÓN\]\.\.\.' "the usage line is Spanish"
contains "$TMPD/out" 'revisar un archivo de configuración' "the command table is Spanish"
contains "$TMPD/out" 'la configuración no es válida' "the exit codes are Spanish"
! grep -q 'Usage:' "$TMPD/out"
check "no English usage line left"

"$VIGIA" --bogus 2> "$TMPD/err"
test $? -eq 2
check "usage error still exits 2"
contains "$TMPD/err" "opción desconocida '--bogus'" "the usage error is Spanish"

"$VIGIA" config check "$TMPD/missing.conf" 2> "$TMPD/err"
test $? -ne 0
check "a missing file fails"
contains "$TMPD/err" 'No encontrado|no existe' "vg_strerror and config errors are Spanish"

"$VIGIAD" --help > "$TMPD/out"
contains "$TMPD/out" '^Uso: vigiad' "vigiad --help is Spanish"

done_testing
