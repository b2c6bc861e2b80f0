#!/bin/sh
# test-wizard-quit.sh - leaving the wizard in the middle, by choice or not.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Esc and q ask first; "Stay" loses nothing; "Quit without saving" leaves
# no file at all; "Save draft and quit" leaves a 0600 draft.  SIGTERM in
# the middle (also with a dialog open) gives the terminal back sane and
# keeps the work in a draft.  NO_COLOR runs draw the same screens.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

# Esc, then Stay
start 80 24 LC_ALL=C.UTF-8 NO_COLOR=1
wait_for 'Step 1 of 17'
keys Enter abc
wait_for 'Site id +> abc'
keys Escape
wait_for 'Quit the wizard\?'
check "Esc asks before quitting"
screen_has 'Quit without saving' "the dialog offers to quit without saving"
keys Enter
settle
! grep -q 'Quit the wizard' "$TMPD/screen"
check "Stay closes the dialog"
screen_has 'Site id +> abc' "Stay keeps the step and what was typed"
keys d
wait_for 'Site id +> abcd'
check "typing goes on after Stay"

# Esc, then Quit without saving
keys Escape
wait_for 'Quit the wizard\?'
keys Right Right Enter
wait_for '^EXIT=1'
check "Quit without saving leaves with status 1"
sane_terminal "after quitting"
test -z "$(find "$TMPD/state" "$TMPD/config" "$TMPD/home" -type f)"
check "quitting without saving leaves no file"

# q where no text is typed (the language list), then Save draft and quit
start 80 24 LC_ALL=C.UTF-8
wait_for 'Step 1 of 17'
keys q
wait_for 'Quit the wizard\?'
check "q asks before quitting"
keys Right Enter
wait_for '^EXIT=1'
check "Save draft and quit leaves"
test "$(mode_of "$DRAFT")" = 600
check "it leaves a draft of mode 0600"
sane_terminal "after saving and quitting"
rm -f "$DRAFT"*

# q inside a text field is a letter
start 80 24 LC_ALL=C.UTF-8
wait_for 'Step 1 of 17'
keys Enter q
wait_for 'Site id +> q'
check "q in a text field is typed, not quit"

# SIGTERM in the middle of typing
pid=$(vigia_pid)
test -n "$pid" && kill -TERM "$pid"
check "vigia is running and receives SIGTERM"
wait_for '^EXIT=1'
check "SIGTERM makes vigia leave"
sane_terminal "after SIGTERM"
screen_has 'interrupted; the draft is saved' "it says where the work was kept"
contains "$DRAFT" 'id = "q";' "the draft keeps what was typed"
test "$(mode_of "$DRAFT")" = 600
check "the draft is mode 0600"
rm -f "$DRAFT"*

# SIGTERM with a dialog open, at 200x60
start 200 60 LC_ALL=C.UTF-8
wait_for 'Step 1 of 17'
keys F1
wait_for 'Help: Language'
pid=$(vigia_pid)
test -n "$pid" && kill -TERM "$pid"
wait_for '^EXIT=1'
check "SIGTERM with the help open makes vigia leave"
sane_terminal "after SIGTERM in a dialog"

# SIGHUP (an SSH session that drops) behaves the same
start 80 24 LC_ALL=C.UTF-8
wait_for 'Step 1 of 17'
keys Enter hup-site
wait_for 'hup-site'
pid=$(vigia_pid)
test -n "$pid" && kill -HUP "$pid"
wait_for '^EXIT=1'
check "SIGHUP makes vigia leave"
sane_terminal "after SIGHUP"
contains "$DRAFT" 'id = "hup-site";' "a dropped session keeps its work in the draft"

done_testing
