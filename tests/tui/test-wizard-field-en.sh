#!/bin/sh
# test-wizard-field-en.sh - a 16-camera site commissioned in English at
# 80x24, first screen to written configuration, in at most 80 keys of
# navigation and each secret typed once (tests/tui/lib-field.sh).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"

L=en L_ENV=LC_ALL=C.UTF-8 L_STEP=Step L_OF=of L_DONE='Search done'
L_TICKED=': 16 of' L_OPENED='All 11 cameras with users opened'
L_ENCREAD='Encoder options read' L_PLAN='Plan: [0-9]+ steps? on'
L_APPLYQ='Apply the plan\?' L_APPLIED='Every camera is as configured'
L_CHECKED='cameras? (send|need)|The camera sends' L_GOON='Go on anyway'
. "$top_srcdir/tests/tui/lib-field.sh"

field_walk
done_testing
