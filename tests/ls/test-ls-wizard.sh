#!/bin/sh
# test-ls-wizard.sh - the wizard's Label Studio step: F5 runs the live
# check (vg_ls_check) against the emulator in a job and shows its report;
# a bad token shows as a failure.  The wizard is resumed at that step from
# a draft.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/ls/lib-ls.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

emu_start
draft() {	# draft TOKEN: a draft at the Label Studio step
	mkdir -p "$(dirname "$DRAFT")"
	cat > "$DRAFT" <<EOC
version = 1;
site = { id = "site-a"; };
storage = ( { name = "cloud"; type = "s3"; bucket = "segments";
    endpoint = "http://127.0.0.1:1"; path_style = true;
    access_key = "AKIAVIGIATEST"; secret_key = "vigia-test-secret"; } );
nvr = { mode = "vigiad"; };
label_studio = { enabled = true; url = "$EMU_URL"; token = "$1";
    project_title = "Site A"; label_config = "video-classification"; };
vigiad = { storage = "cloud"; };
EOC
	chmod 600 "$DRAFT"
	echo label-studio > "$DRAFT.step"
}
quit() {
	keys Escape
	wait_for 'Quit the wizard\?' && keys Right Right Enter
	wait_for '^EXIT='
}

draft "$EMU_TOKEN"
start 80 24 LC_ALL=C.UTF-8 -- --resume
wait_for 'Step [0-9]+ of [0-9]+: Label Studio'
check "resumed at the Label Studio step"
screen_has 'F5 tests Label Studio' "the step says that F5 tests"
keys F5
wait_for 'Label Studio: everything works'
check "F5: the check passes"
screen_has 'Token: ok' "the token is checked"
screen_has 'Project: warning.*does not exist yet' "a missing project is a warning, not made"
screen_has 'Label config: ok' "the config is validated by the server"
emu_state 's.projects.length' > "$TMPD/n"
contains "$TMPD/n" '^0$' "the test created nothing"
keys Enter
settle
! grep -q 'everything works' "$TMPD/screen"
check "the report closes"
quit

draft "wrong-token"
start 80 24 LC_ALL=C.UTF-8 -- --resume
wait_for 'Step [0-9]+ of [0-9]+: Label Studio'
keys F5
wait_for 'Label Studio: something failed'
check "F5 with a bad token: a failure"
screen_has 'Token: FAILED' "... on the token"
screen_has 'bad token' "... saying why"
keys Enter
grep -q 'wrong-token' "$TMPD/screen"
test $? -ne 0
check "the token never shows"
quit
done_testing
