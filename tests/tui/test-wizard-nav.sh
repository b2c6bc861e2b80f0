#!/bin/sh
# test-wizard-nav.sh - back and forth, resize, help, drafts, --config.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Values survive Back, Next, a change of storage type and resizes (also in
# the middle of typing); the wide screen lists every step; F1 shows the
# step's help; F2 saves
# a draft (mode 0600) that `vigia --resume` reopens at the same step;
# `vigia --config FILE` starts from a file, shows its problems under the
# fields and asks before replacing it.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

start 80 24 LC_ALL=C.UTF-8
wait_for 'Step 1 of 17'
keys Enter site-one Tab 'Name One'
wait_for 'Name One'
keys C-n
wait_for 'Step 3 of 17'
no_cameras
wait_for 'Step 12 of 17'
keys C-n
wait_for 'Step 13 of 17'
keys C-n
wait_for 'Step 14 of 17: Storage target'
keys C-u store Down Right Down bucket-one
wait_for 'bucket-one'
check "a bucket is typed on the storage step"
keys Up Right
wait_for 'Server'
check "switching the type to FTP shows the FTP fields"
keys Left
wait_for 'bucket-one'
check "switching back to S3 finds the bucket again"

keys C-p
wait_for 'Step 13 of 17'
keys C-p
wait_for 'Step 12 of 17'
back_to_credentials
wait_for 'Step 6 of 17: Camera passwords'
check "Back goes through the camera steps"
back_to_site
wait_for 'Step 2 of 17: Site'
check "Back goes through the camera steps to the site step"
screen_has 'site-one' "the site id is still there"
screen_has 'Name One' "the site name is still there"

# resize in the middle of typing (the focus came back to the name field)
keys x
wait_for 'Name Onex'
tm resize-window -t w -x 200 -y 60 2>/dev/null || tm resize-pane -t w -x 200 -y 60
wait_for ' 7 Camera addresses'
check "at 200x60 the step list shows"
screen_has "11 Camera check" "with the camera check"
screen_has 'Name Onex' "the value survives the resize"
keys y
wait_for 'Name Onexy'
check "typing goes on in the same field after the resize"
tm resize-window -t w -x 80 -y 24 2>/dev/null || tm resize-pane -t w -x 80 -y 24
wait_for 'Step 2 of 17: Site'
settle
! grep -q ' 7 Camera addresses' "$TMPD/screen"
check "back at 80x24 the step list is gone"
screen_has 'Name Onexy' "the value survives the second resize"
tm resize-window -t w -x 40 -y 10 2>/dev/null || tm resize-pane -t w -x 40 -y 10
wait_for 'too small'
check "a tiny terminal gets a message, not a crash"
tm resize-window -t w -x 80 -y 24 2>/dev/null || tm resize-pane -t w -x 80 -y 24
wait_for 'Name Onexy'
check "growing again brings the step back"

keys C-n
wait_for 'Step 3 of 17'
no_cameras
wait_for 'Step 12 of 17'
keys C-n C-n
wait_for 'Step 14 of 17'
screen_has 'bucket-one' "Next again: the bucket is still there"
screen_has 'store' "Next again: the entry name is still there"

keys F1
wait_for 'Help: Storage target'
check "F1 shows the step's help"
keys Enter
settle
! grep -q 'Help: Storage target' "$TMPD/screen"
check "the help closes"

keys F9
wait_for 'Log \(F9 hides it\)'
check "F9 shows the log pane"
keys F9
settle
! grep -q 'F9 hides it' "$TMPD/screen"
check "F9 hides it again"

keys F2
wait_for 'Draft saved to'
check "F2 saves a draft"
test "$(mode_of "$DRAFT")" = 600
check "the draft is mode 0600"
contains "$DRAFT" 'bucket = "bucket-one";' "the draft holds the bucket"
keys Escape
wait_for 'Quit the wizard\?'
keys Right Right Enter
wait_for '^EXIT=1'
check "quitting without saving leaves with status 1"

start 80 24 LC_ALL=C.UTF-8 -- --resume
wait_for 'Step 14 of 17: Storage target'
check "--resume reopens the draft at its step"
screen_has 'bucket-one' "--resume brings the values back"
keys C-p C-p
wait_for 'Step 12 of 17'
back_to_credentials
wait_for 'Step 6 of 17'
back_to_site
wait_for 'Name Onexy'
check "--resume brings the earlier steps' values back"
keys Escape Right Right Enter
wait_for '^EXIT=1'

start 80 24 LC_ALL=C.UTF-8
wait_for 'Resume it\?'
check "a saved draft is offered at start"
keys Right Enter
wait_for 'Step 1 of 17'
check "Start over starts from the first step"
keys Escape Right Right Enter
wait_for '^EXIT=1'

# --config: start from a file with a problem
FILE="$TMPD/out/given.conf"
cat > "$FILE" <<'CONF'
version = 1;
site = { id = "from-file"; timezone = "Mars/Olympus_Mons"; };
storage = ( { name = "disk"; type = "local"; path = "/srv/vigia"; } );
vigiad = { storage = "disk"; };
CONF
chmod 600 "$FILE"
start 80 24 LC_ALL=C.UTF-8 -- --config "$FILE"
wait_for 'Step 1 of 17'
keys Enter
wait_for 'from-file'
check "--config shows the file's values"
screen_has 'expected a time zone name' "its problem shows under the field"
keys C-n
settle
screen_has 'Step 2 of 17' "and blocks Next"
keys Down Down C-u UTC C-n
wait_for 'Step 3 of 17'
no_cameras
wait_for 'Step 12 of 17'
keys C-n C-n
wait_for 'Step 14 of 17'
screen_has '/srv/vigia' "the file's storage entry is the one edited"
keys C-n C-n
wait_for 'Step 16 of 17'
screen_has 'given\.conf' "the file to write is the one given"
keys C-n
wait_for 'already exists\.  Replace it'
check "an existing file is not replaced without asking"
keys Enter
settle
screen_has 'Step 16 of 17' "Cancel keeps the file and the step"
keys C-n
wait_for 'Replace the file\?'
keys Left Enter
wait_for 'Step 17 of 17'
check "Replace writes it"
keys C-n
wait_for '^EXIT=0'
contains "$FILE" 'timezone = "UTC";' "the fixed time zone is in the file"
contains "$FILE" 'path = "/srv/vigia";' "the rest of the file is kept"
test "$(mode_of "$FILE")" = 600
check "the replaced file is mode 0600"

done_testing
