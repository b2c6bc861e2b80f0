#!/bin/sh
# test-ls-cli.sh - `vigia test labelstudio` (with a probe of a stored
# segment as a browser fetches it) and `vigia dataset pull` (an export
# merged into a directory, compared with golden files; reruns, edits and
# deleted annotations).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/ls/lib-ls.sh"

FIX="$top_srcdir/tests/fixtures/ls"
emu_start

# a bucket served as S3 serves it to a browser (Range, CORS)
mkdir -p "$TMPD/bucket/segments/site-a/cam-0"
head -c 5000 /dev/urandom > "$TMPD/bucket/segments/site-a/cam-0/1796529600.mp4"
media() {
	rm -f "$TMPD/media.port"
	node "$top_srcdir/tests/ls/media-server.mjs" --dir "$TMPD/bucket" \
	    --port-file "$TMPD/media.port" "$@" &
	MEDIA_PID=$!
	i=0
	while [ ! -s "$TMPD/media.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	MEDIA_URL="http://127.0.0.1:$(cat "$TMPD/media.port")"
}
media_stop() {
	[ -n "$MEDIA_PID" ] || return 0
	kill "$MEDIA_PID" 2>/dev/null
	wait "$MEDIA_PID" 2>/dev/null
	MEDIA_PID=
}
MEDIA_PID=
vg_at_exit media_stop

conf() {	# conf VIDEO_REF TOKEN [PROJECT_LINES]
	proj=${3:-'project_title = "Site A";'}
	cat > "$TMPD/vigia.conf" <<EOC
version = 1;
site = { id = "site-a"; };
storage = ( { name = "s3main"; type = "s3"; bucket = "segments";
    region = "us-east-1"; endpoint = "$MEDIA_URL"; path_style = true;
    access_key = "AKIAVIGIATEST"; secret_key = "vigia-test-secret"; } );
label_studio = { enabled = true; url = "$EMU_URL"; token = "$2";
    $proj label_config = "video-classification"; ${LABELS:-}
    video_ref = "$1"; };
vigiad = { storage = "s3main"; };
EOC
}

# ---- vigia test labelstudio ------------------------------------------------
media
conf presigned "$EMU_TOKEN"
"$VIGIA" test labelstudio --config "$TMPD/vigia.conf" > "$TMPD/out" 2>&1
check "without --key: passes (nothing failed)"
contains "$TMPD/out" 'Token +ok +ana@example.com \(id 1\), legacy token' "the token, its scheme"
contains "$TMPD/out" 'Project +warning +"Site A" does not exist yet' "a missing project: said, not made"
contains "$TMPD/out" 'Label config +ok +video-classification: valid' "the config validated by the server"
contains "$TMPD/out" 'Video URL +skipped' "no probe without --key"
"$VIGIA" test labelstudio --config "$TMPD/vigia.conf" --create --fps 12.5 \
    --key site-a/cam-0/1796529600.mp4 > "$TMPD/out" 2>&1
check "with a probe: passes"
contains "$TMPD/out" 'Project +ok +1 \(created\)' "--create makes the project"
emu_state 's.projects[0].label_config' > "$TMPD/cfg"
contains "$TMPD/cfg" 'frameRate="12.5"' "... with the camera's frame rate"
contains "$TMPD/out" 'Video URL +ok +HTTP 206' "the probe URL answers 206"
contains "$TMPD/out" 'Content-Type +ok +video/mp4' "Content-Type video/mp4"
contains "$TMPD/out" 'Range requests +ok +bytes 0-1023/5000' "range support"
contains "$TMPD/out" "CORS +ok +Access-Control-Allow-Origin: $EMU_URL" "the CORS reply names Label Studio's origin"
media_stop

# label values from the configuration
emu_stop
emu_start
LABELS='labels = [ "car", "bike & co" ];'
conf presigned "$EMU_TOKEN"
"$VIGIA" test labelstudio --config "$TMPD/vigia.conf" --create --fps 25 > "$TMPD/out" 2>&1
check "labels from the configuration: passes"
emu_state 's.projects[0].label_config' > "$TMPD/cfg"
contains "$TMPD/cfg" '<Choice value="car"/>' "label_studio.labels are the choices"
contains "$TMPD/cfg" '<Choice value="bike &amp; co"/>' "... escaped"
grep -q camera_fault "$TMPD/cfg"
test $? -ne 0
check "... instead of the template's"
LABELS='labels = [ "" ];'
conf presigned "$EMU_TOKEN"
"$VIGIA" config check "$TMPD/vigia.conf" > "$TMPD/out" 2>&1
test $? -ne 0
check "an empty label is refused"
contains "$TMPD/out" 'label_studio.labels\[0\]: the value is empty' "... saying where and why"
LABELS="labels = [ \"$(printf 'x%.0s' $(seq 65))\" ];"
conf presigned "$EMU_TOKEN"
"$VIGIA" config check "$TMPD/vigia.conf" > "$TMPD/out" 2>&1
contains "$TMPD/out" 'label_studio.labels\[0\]: expected a label of 1 to 64 characters' "a label too long is refused"
LABELS=

media --no-cors --no-range
conf s3 "$EMU_PAT" "project_id = 1;"
"$VIGIA" test labelstudio --config "$TMPD/vigia.conf" --key site-a/cam-0/1796529600.mp4 > "$TMPD/out" 2>&1
test $? -eq 1
check "no CORS, no Range: fails"
contains "$TMPD/out" 'personal access token' "a PAT is recognised"
contains "$TMPD/out" 'S3 storage +ok +bucket segments: valid; vigiad creates' "the s3:// storage: checked, not made"
emu_state 's.projects[0].storages.length' > "$TMPD/n"
contains "$TMPD/n" '^0$' "... nothing was created"
contains "$TMPD/out" 'Range requests +FAILED +the server ignores Range' "no range support: said so"
contains "$TMPD/out" "CORS +FAILED +the bucket does not allow $EMU_URL" "no CORS: said so"
contains "$TMPD/out" 'put-bucket-cors --bucket segments' "the command to apply it"
sed -n '/^{/,/^}/p' "$TMPD/out" > "$TMPD/cors.json"
node -e '
const c = JSON.parse(require("fs").readFileSync(process.argv[1]));
const r = c.CORSRules[0];
process.exit(r.AllowedOrigins[0] === process.argv[2] && r.AllowedMethods.includes("GET") &&
    r.AllowedHeaders.includes("Range") && r.ExposeHeaders.includes("Content-Range") ? 0 : 1);' \
    "$TMPD/cors.json" "$EMU_URL"
check "the CORS JSON printed is valid and allows GET with Range from Label Studio"
"$VIGIA" test labelstudio --config "$TMPD/vigia.conf" --create > "$TMPD/out" 2>&1
contains "$TMPD/out" 'S3 storage +ok +1 \(bucket segments' "--create makes it"
"$VIGIA" test labelstudio --config "$TMPD/vigia.conf" --key site-a/cam-0/missing.mp4 > "$TMPD/out" 2>&1
contains "$TMPD/out" 'Video URL +FAILED +GET of the presigned URL of site-a/cam-0/missing.mp4: HTTP 404 \(no such object\)' \
    "a missing object: said so"
media_stop
conf presigned "wrong-token"
"$VIGIA" test labelstudio --config "$TMPD/vigia.conf" > "$TMPD/out" 2>&1
test $? -eq 1
check "a bad token fails"
contains "$TMPD/out" 'Token +FAILED +Label Studio refused the token: bad token' "a bad token: said so"

# ---- vigia dataset pull ------------------------------------------------------------
emu_stop
emu_start
conf s3 "$EMU_TOKEN" "project_id = 1;"
"$LS_TOOL" "$EMU_URL" "$EMU_TOKEN" ensure 0 "Dataset" video-tracking 5 > /dev/null
curl -s -H "Authorization: Token $EMU_TOKEN" -H 'Content-Type: application/json' \
    --data-binary @"$FIX/tasks.json" "$EMU_URL/api/projects/1/import" > "$TMPD/imp"
contains "$TMPD/imp" '"task_count":3' "three tasks imported"
node -e '
for (const a of JSON.parse(require("fs").readFileSync(process.argv[1])))
	console.log(JSON.stringify(a));' "$FIX/annotations.json" |
while read -r a; do emu POST /_emu/annotations "$a" > /dev/null; done
D="$TMPD/dataset"
"$VIGIA" dataset pull --config "$TMPD/vigia.conf" "$D" > "$TMPD/out" 2>&1
check "dataset pull"
contains "$TMPD/out" '^2 segments in .*: 4 files written, 0 unchanged, 0 removed$' \
    "2 annotated segments (a skipped one left out): 2 JSON, 1 MOT, the manifest"
# VIGIA_LS_REGEN_GOLDEN=1: refresh the golden files (review the diff!)
if [ -n "$VIGIA_LS_REGEN_GOLDEN" ]; then
	rm -rf "$FIX/dataset" && cp -r "$D" "$FIX/dataset"
fi
diff -r "$FIX/dataset" "$D" > "$TMPD/diff"
st=$?
sed 's/^/# /' "$TMPD/diff" | head -40
(exit $st)
check "the dataset matches the golden files"
touch -d '2000-01-01' "$D/manifest.jsonl" "$D"/segments/site-a/*/*
"$VIGIA" dataset pull --config "$TMPD/vigia.conf" "$D" > "$TMPD/out" 2>&1
contains "$TMPD/out" '0 files written, 3 unchanged, 0 removed$' "a rerun writes nothing"
find "$D" -type f -newermt '2001-01-01' > "$TMPD/new"
test ! -s "$TMPD/new"
check "a rerun leaves every file untouched"
# an annotation edited in Label Studio: only that segment changes
emu PATCH /_emu/annotations/1 '{"updated_at":"2026-12-06T06:00:00.000000Z","result":[{"id":"c1","type":"choices","from_name":"scene","to_name":"clip","value":{"choices":["empty"]}}]}' > /dev/null
"$VIGIA" dataset pull --config "$TMPD/vigia.conf" "$D" > "$TMPD/out" 2>&1
contains "$TMPD/out" '2 segments in .*: 2 files written, 1 unchanged, 1 removed$' \
    "an edit rewrites that segment and the manifest; its boxes gone, its MOT file goes"
find "$D" -type f -newermt '2001-01-01' | sed "s|$D/||" | sort > "$TMPD/new"
printf '%s\n' manifest.jsonl 'segments/site-a/cam-0/2026-12-06T04-00-00.000Z.json' > "$TMPD/want"
diff "$TMPD/want" "$TMPD/new" > /dev/null
check "only the edited segment's file and the manifest were rewritten"
test ! -e "$D/segments/site-a/cam-0/2026-12-06T04-00-00.000Z.mot.txt"
check "the MOT file of a segment without boxes is removed"
# annotations deleted in Label Studio: the segment leaves the dataset
emu DELETE /_emu/annotations/3 > /dev/null
emu DELETE /_emu/annotations/4 > /dev/null
touch "$D/notes.txt"
"$VIGIA" dataset pull --config "$TMPD/vigia.conf" "$D" > "$TMPD/out" 2>&1
contains "$TMPD/out" '^1 segment in .*: 1 files written, 1 unchanged, 1 removed$' "deleted annotations: removed"
test ! -e "$D/segments/site-a/cam-1"
check "... with its empty directory"
test -e "$D/notes.txt"
check "files vigia did not write are left alone"
wc -l < "$D/manifest.jsonl" > "$TMPD/n"
contains "$TMPD/n" '^1$' "the manifest lists one segment"
"$VIGIA" dataset pull --config "$TMPD/vigia.conf" --project 9 "$D" > "$TMPD/out" 2>&1
test $? -eq 1
check "an unknown project fails"
contains "$TMPD/out" 'no such object' "... and says so"
done_testing
