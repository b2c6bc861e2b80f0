#!/bin/sh
# test-config-check.sh - `vigia config check` on good and broken files.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"

"$VIGIA" config check "$top_srcdir/data/vigia.conf.example" > "$TMPD/out" 2> "$TMPD/err"
check "the documented example is valid (exit 0)"
contains "$TMPD/out" 'vigia.conf.example: valid' "and is reported valid"
test ! -s "$TMPD/err" || sed 's/^/# /' "$TMPD/err"
test ! -s "$TMPD/err"
check "with no problem printed"

"$VIGIA" config check -q "$top_srcdir/data/vigia.conf.example" > "$TMPD/out"
test $? -eq 0 && test ! -s "$TMPD/out"
check "-q prints nothing for a valid file"

# A broken file: a typo, a wrong type and a bad value, each on its own line.
cat > "$TMPD/broken.conf" <<'CONF'
version = 1;
site = { id = "plant-north"; };
cameras = (
  {
    name = "gate-1";
    match = { address = "127.0.1.1"; };
    credentials = { user = "vigia"; password = "Cam-pass-1"; };
    encoder = {
      codec = "h264";
      bitrate = 4000;
      fps = "fast";
    };
  }
);
CONF
"$VIGIA" config check "$TMPD/broken.conf" > "$TMPD/out" 2> "$TMPD/err"
test $? -eq 3
check "a broken file exits 3"
contains "$TMPD/err" "broken\.conf:10: cameras\[0\] \(\"gate-1\"\)\.encoder\.bitrate: .*bitrate_kbps" \
    "unknown key: file:line, key path and a did-you-mean hint"
contains "$TMPD/err" "broken\.conf:11: cameras\[0\] \(\"gate-1\"\)\.encoder\.fps: .*integer" \
    "wrong type: file:line, key path and what is expected"
contains "$TMPD/err" 'broken\.conf: 2 problems found' "every problem is counted"

printf 'version = 1;\nsite = { id = "x"; );\ncameras = ();\n' > "$TMPD/syntax.conf"
"$VIGIA" config check "$TMPD/syntax.conf" 2> "$TMPD/err"
test $? -eq 3
check "a syntax error exits 3"
contains "$TMPD/err" '^[^:]*syntax\.conf:2: .*syntax error' "a syntax error names file:line"

"$VIGIA" config check "$TMPD/nonexistent.conf" 2> "$TMPD/err"
test $? -eq 1
check "a missing file exits 1"
contains "$TMPD/err" 'nonexistent\.conf' "and names the file"

# Secrets in files must be private.
mkdir "$TMPD/secrets"
printf 'Cam3ra-pass\n' > "$TMPD/secrets/gate-1"
chmod 644 "$TMPD/secrets/gate-1"
cat > "$TMPD/secret.conf" <<'CONF'
version = 1;
site = { id = "plant-north"; };
cameras = (
  {
    name = "gate-1";
    match = { address = "127.0.1.1"; };
    credentials = { user = "vigia"; password_file = "secrets/gate-1"; };
  }
);
CONF
"$VIGIA" config check "$TMPD/secret.conf" 2> "$TMPD/err"
test $? -eq 3
check "a world-readable secret file is refused"
contains "$TMPD/err" 'secret\.conf:7: .*password_file.*chmod 600' "the refusal names the key and the fix"
! grep -q 'Cam3ra-pass' "$TMPD/err"
check "the secret never appears in the output"
chmod 600 "$TMPD/secrets/gate-1"
"$VIGIA" config check "$TMPD/secret.conf" > /dev/null 2> "$TMPD/err"
check "the same file with mode 0600 is accepted (relative to the config)"

# Rules across sections, also for a site without cameras yet (the wizard
# validates such drafts): an NVR that pushes by FTP needs its address, and
# a default schedule needs a rule.
cat > "$TMPD/nvr.conf" <<'CONF'
version = 1;
site = { id = "plant-north"; };
defaults = { recording = { mode = "schedule"; }; };
storage = ( { name = "nas"; type = "ftp"; host = "127.0.0.1"; user = "nvr";
              password = "Nvr-pass-1"; directory = "/upload"; } );
nvr = { mode = "ftp"; ftp_target = "nas"; };
CONF
"$VIGIA" config check "$TMPD/nvr.conf" 2> "$TMPD/err"
test $? -eq 3
check "cross-section rules apply without cameras"
contains "$TMPD/err" 'nvr\.address: .*"address"' "an FTP NVR needs its address"
contains "$TMPD/err" 'defaults\.recording\.schedule: .*schedule rule' "a default schedule needs a rule"

# a reference to a storage entry without a type (it crashed the check)
cat > "$TMPD/typeless.conf" <<'CONF'
version = 1;
site = { id = "plant-north"; };
storage = ( { name = "nas"; } );
nvr = { mode = "ftp"; address = "192.168.1.20"; ftp_target = "nas"; };
vigiad = { storage = "nas"; };
CONF
"$VIGIA" config check "$TMPD/typeless.conf" 2> "$TMPD/err"
test $? -eq 3
check "a reference to a storage entry without a type: refused, no crash"
contains "$TMPD/err" 'storage\[0\].*"type" is missing' "... the missing type is named"

done_testing
