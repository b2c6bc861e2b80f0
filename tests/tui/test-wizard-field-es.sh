#!/bin/sh
# test-wizard-field-es.sh - a 16-camera site commissioned in Spanish
# (es_ES.UTF-8) at 80x24, first screen to written configuration, in at
# most 80 keys of navigation and each secret typed once
# (tests/tui/lib-field.sh).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-field.sh"

spanish_locale || skip "no Spanish UTF-8 locale or msgfmt (run-tests generates es_ES.UTF-8 with locale-gen)"
L=es L_ENV="LC_ALL=$ES_LOC VIGIA_LOCALEDIR=$TMPD/locale" L_STEP=Paso L_OF=de
L_DONE='Búsqueda terminada' L_TICKED='Marcadas: 16 de'
L_OPENED='Se abrieron las 11 cámaras con usuarios'
L_ENCREAD='Opciones de codificador leídas' L_PLAN='Plan: [0-9]+ pasos? en'
L_APPLYQ='¿Aplicar el plan\?'
L_APPLIED='Todas las cámaras están como se configuraron'
L_CHECKED='cámaras? (envían|necesitan)|La cámara envía'
L_GOON='Continuar de todos modos'

field_walk
done_testing
