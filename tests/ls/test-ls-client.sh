#!/bin/sh
# test-ls-client.sh - the Label Studio client against the emulator: both
# auth schemes, expiry and refresh, every error class, slash rules,
# 429 Retry-After, config validation, projects and the s3:// storage.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/ls/lib-ls.sh"

emu_start --access-ttl 5
T() { "$LS_TOOL" "$EMU_URL" "$@" > "$TMPD/out" 2>&1; }

# ---- auth ------------------------------------------------------------------
T "$EMU_TOKEN" whoami
contains "$TMPD/out" '^legacy ana@example.com \(id 1\) refreshes=0$' \
    "a 40-hex key is a legacy Token"
T "$EMU_PAT" whoami 2
contains "$TMPD/out" '^pat ana@example.com .* refreshes=1$' \
    "a JWT is a PAT: one refresh, the access token is cached"
emu GET /_emu/log > "$TMPD/log"
contains "$TMPD/log" '"path":"/api/token/refresh/"' \
    "the refresh goes to /api/token/refresh/ (with its slash)"
# 5 s tokens, refreshed a fifth of their life before expiry: no 401 at all
T "$EMU_PAT" whoami 3 2500
contains "$TMPD/out" 'refreshes=2$' "the access token is refreshed before it expires"
emu GET /_emu/log | grep -c '"status":401' > "$TMPD/n401"
grep -qx 0 "$TMPD/n401"
check "no call was refused while refreshing ahead of expiry"
# a refused access token: refresh on 401, once
"$LS_TOOL" "$EMU_URL" "$EMU_PAT" whoami 2 1000 > "$TMPD/out" 2>&1 &
wp=$!
sleep 0.5
emu POST /_emu/revoke-access '{}' > /dev/null
wait $wp
contains "$TMPD/out" 'refreshes=2$' "a 401 on a cached access token makes one refresh"
emu GET /_emu/log | grep -o '"status":401' | wc -l > "$TMPD/n401"
grep -qx 1 "$TMPD/n401"
check "... after exactly one 401"
T "not-a-valid-key" whoami
contains "$TMPD/out" '^error: Label Studio refused the token: bad token \(Invalid token\.\)' \
    "bad legacy token: said so"
X=$(emu POST /_emu/pat '{"exp_s":-60}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
T "$X" whoami
contains "$TMPD/out" 'personal access token has expired' "expired PAT: said so, before any call"
# a PAT signed by another server: the refresh refuses it
Y=$(echo "$EMU_PAT" | awk -F. '{print $1"."$2".AAAA"}')
T "$Y" whoami
contains "$TMPD/out" 'refused the personal access token: expired token or bad token \(Token is invalid or expired\)' \
    "bad PAT: the refresh's refusal in plain words"
emu POST /_emu/settings '{"legacy_enabled":false}' >/dev/null
T "$EMU_TOKEN" whoami
contains "$TMPD/out" 'legacy tokens are disabled for this organization; use a personal access token' \
    "legacy tokens disabled: said so"
T "$EMU_PAT" whoami
contains "$TMPD/out" '^pat ' "a PAT still works with legacy tokens disabled"
emu POST /_emu/settings '{"legacy_enabled":true}' >/dev/null

# ---- liveness, version, slash rules, error classes ------------------------------
T "$EMU_TOKEN" health
contains "$TMPD/out" '^up$' "health"
"$LS_TOOL" "$EMU_URL/" "$EMU_TOKEN" version > "$TMPD/out" 2>&1
contains "$TMPD/out" '^release 1.22.0$' "version (a trailing slash on the URL is dropped)"
T "$EMU_TOKEN" call GET /api/projects
contains "$TMPD/out" '^status 200$' "a slash-registered route answers without its slash"
T "$EMU_TOKEN" call GET /api/current-user/whoami/
contains "$TMPD/out" '^status 404$' "a slash-less route refuses a trailing slash (404)"
T "$EMU_TOKEN" call GET /api/projects/99/
contains "$TMPD/out" 'no such object .*No Project matches the given query' "no such project: said so"
T "$EMU_TOKEN" call POST /api/projects/ '' '{"title":"ab"}'
contains "$TMPD/out" 'refused POST /api/projects/ \(400\): Validation error: \{"title"' \
    "validation errors: the server's messages"
emu POST /_emu/faults '{"path":"whoami","kind":"status","status":500,"detail":"database is locked"}' >/dev/null
T "$EMU_TOKEN" whoami
contains "$TMPD/out" 'server error 500 on GET /api/current-user/whoami: database is locked' \
    "server error: with its message"
emu POST /_emu/faults '{"path":"whoami","kind":"status","status":502}' >/dev/null
T "$EMU_TOKEN" whoami
contains "$TMPD/out" 'server error 502 .*: 502' "502 from the proxy (HTML): said so"
emu POST /_emu/faults '{"path":"whoami","kind":"429","retry_after":2}' >/dev/null
s0=$(date +%s)
T "$EMU_TOKEN" whoami
s1=$(date +%s)
contains "$TMPD/out" '^legacy ' "429: retried"
[ $((s1 - s0)) -ge 1 ]
check "429: Retry-After honoured ($((s1 - s0)) s)"
emu POST /_emu/faults '{"path":"whoami","kind":"slow","delay_ms":4000}' >/dev/null
s0=$(date +%s)
VIGIA_TEST_LS_TIMEOUT_MS=1000 T "$EMU_TOKEN" whoami
s1=$(date +%s)
contains "$TMPD/out" 'did not answer|Timeout|timed out' "a slow server: the deadline"
[ $((s1 - s0)) -le 2 ]
check "the deadline held ($((s1 - s0)) s)"
emu POST /_emu/faults '{"path":"whoami","kind":"drop"}' >/dev/null
T "$EMU_TOKEN" whoami
contains "$TMPD/out" '^error: cannot reach Label Studio' "a dropped connection: said so"
"$LS_TOOL" http://127.0.0.1:1 "$EMU_TOKEN" whoami > "$TMPD/out" 2>&1
contains "$TMPD/out" 'cannot reach Label Studio at http://127.0.0.1:1' "nothing listening: said so"
"$LS_TOOL" ftp://x "$EMU_TOKEN" whoami > "$TMPD/out" 2>&1
contains "$TMPD/out" 'is not an http:// or https:// URL' "a URL that is not http: said so"
grep -q "$EMU_TOKEN" "$TMPD/out"
test $? -ne 0
check "the token never appears in a message"

# ---- templates, validation, projects, storage --------------------------------------
for t in video-tracking video-classification video-timeline; do
	"$LS_TOOL" - - render $t 12.5 > "$TMPD/$t.xml" 2>&1
	contains "$TMPD/$t.xml" 'frameRate="12.5"' "$t: frameRate is the camera's"
	T "$EMU_TOKEN" validate "$TMPD/$t.xml"
	contains "$TMPD/out" '^valid$' "$t: the server validates it"
done
"$LS_TOOL" - - render video-tracking 0 person 'fork & knife' > "$TMPD/x.xml"
contains "$TMPD/x.xml" '<Label value="fork &amp; knife" background=' "label values configurable, escaped"
contains "$TMPD/x.xml" 'frameRate="\$fps"' "fps 0: each task's data.fps"
grep -q 'value="animal"' "$TMPD/x.xml"
test $? -ne 0
check "given labels replace the template's"
"$LS_TOOL" - - render video-classification 25 > "$TMPD/c.xml"
contains "$TMPD/c.xml" '<Choice value="camera_fault"/>' "the template's own choices by default"
printf '<View><Video name="v" value="$video"/><Choices name="c" toName="nope"><Choice value="a"/></Choices></View>' > "$TMPD/bad.xml"
T "$EMU_TOKEN" validate "$TMPD/bad.xml"
contains "$TMPD/out" 'label config is invalid: .*toName=\\"nope\\" not found' "invalid config: the server's message"
printf '<View><Video name="v" value="$video"/><Choices name="v" toName="v"/></View>' > "$TMPD/bad.xml"
T "$EMU_TOKEN" validate "$TMPD/bad.xml"
contains "$TMPD/out" 'non-unique names' "duplicate names refused"
T "$EMU_TOKEN" ensure 0 "Site A cameras" video-tracking 25
contains "$TMPD/out" '^project 1 created$' "ensure by title: created"
T "$EMU_PAT" ensure 0 "Site A cameras" video-tracking 25
contains "$TMPD/out" '^project 1$' "ensure by title again: found, not duplicated"
T "$EMU_TOKEN" ensure 1 "" video-classification 25
contains "$TMPD/out" '^project 1$' "ensure by id"
emu_state 's.projects[0].label_config.includes("<Choices")' > "$TMPD/out"
contains "$TMPD/out" true "ensure by id: a changed config is saved"
LS_TOOL_KEEP_CONFIG=1 T "$EMU_TOKEN" ensure 1 "" video-tracking 25
emu_state 's.projects[0].label_config.includes("<Choices")' > "$TMPD/out"
contains "$TMPD/out" true "... but not replaced when asked to keep it (vigiad)"
T "$EMU_TOKEN" ensure 42 "" video-tracking 25
contains "$TMPD/out" 'has no project 42' "ensure of a missing id: no such project"
emu POST /_emu/settings '{"timeline":false,"release":"1.13.0"}' >/dev/null
T "$EMU_TOKEN" ensure 0 "Timeline" video-timeline 25
contains "$TMPD/out" 'this Label Studio \(1.13.0\) has no TimelineLabels' \
    "TimelineLabels on a server without it: said so"
emu_state 's.projects.length' > "$TMPD/out"
contains "$TMPD/out" '^1$' "an invalid config creates no project"
T "$EMU_TOKEN" storage 1 segments
contains "$TMPD/out" '^storage 1$' "the s3:// resolver storage is created"
T "$EMU_TOKEN" storage 1 segments
contains "$TMPD/out" '^storage 1$' "and found again, not duplicated"
emu_state 'JSON.stringify(s.projects[0].storages[0])' > "$TMPD/out"
contains "$TMPD/out" '"synchronizable":false' "the storage is not synchronizable"
contains "$TMPD/out" '"presign":true,"presign_ttl":1440' "presign on, TTL in minutes"
grep -q '"prefix":"' "$TMPD/out"
test $? -ne 0
check "the storage has no prefix"
grep -q 'secret-never-shown' "$TMPD/out"
test $? -ne 0
check "the storage's secret is not echoed"
# task data echoed back in an import error: a presigned URL's signature
# and session token are masked
T "$EMU_TOKEN" call POST /api/projects/1/import '' '[{"v":"?X-Amz-Signature=0123456789abcdef&X-Amz-Security-Token=SECRETTOKEN"}]'
contains "$TMPD/out" 'X-Amz-Signature=\*\*\*&X-Amz-Security-Token=\*\*\*' "an echoed signature and token are masked"
grep -qE '0123456789abcdef|SECRETTOKEN' "$TMPD/out"
test $? -ne 0
check "... entirely"
done_testing
