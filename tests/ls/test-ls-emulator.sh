#!/bin/sh
# test-ls-emulator.sh - the emulator keeps the contract (label-studio-api.md)
# where the client's tests do not look: plain HTTP with curl.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/ls/lib-ls.sh"

emu_start
A="Authorization: Token $EMU_TOKEN"
J='Content-Type: application/json'
req() {	# req METHOD PATH [BODY]: "STATUS" line then the body, into $TMPD/r
	if [ $# -ge 3 ]; then
		curl -s -o "$TMPD/body" -w '%{http_code}\n' -X "$1" -H "$A" -H "$J" \
		    --data-binary "$3" "$EMU_URL$2" > "$TMPD/r"
	else
		curl -s -o "$TMPD/body" -w '%{http_code}\n' -X "$1" -H "$A" "$EMU_URL$2" > "$TMPD/r"
	fi
	cat "$TMPD/body" >> "$TMPD/r"
}

req GET /health
contains "$TMPD/r" '^200$' "GET /health"
req GET /api/version
contains "$TMPD/r" '"release":"1.22.0"' "GET /api/version (no slash: rescued)"
curl -s -o /dev/null -w '%{http_code}\n' "$EMU_URL/api/projects/" > "$TMPD/r"
contains "$TMPD/r" '^401$' "no credentials: 401"
curl -s -D - -o /dev/null "$EMU_URL/api/projects/" | tr -d '\r' > "$TMPD/r"
contains "$TMPD/r" '^[Ww]ww-[Aa]uthenticate: Token$' "WWW-Authenticate: Token"
curl -s -X POST -H "$J" -d '{}' "$EMU_URL/api/token/refresh/" > "$TMPD/r"
contains "$TMPD/r" '"detail":"Validation error".*"refresh":\["This field is required."\]' "refresh without a token: 400 envelope"
contains "$TMPD/r" '"id":"[0-9a-f-]{36}","status_code":400,"version":"1.22.0"' "the envelope's id, status_code, version"

# projects: null counters on create, pages of 30 at most 100
req POST /api/projects/ '{"title":"cams1","label_config":"<View><Video name=\"v\" value=\"$video\"/><Choices name=\"c\" toName=\"v\"><Choice value=\"a\"/></Choices></View>"}'
contains "$TMPD/r" '^201$' "create a project"
contains "$TMPD/r" '"task_number":null' "created: null counters"
req GET /api/projects/1/
contains "$TMPD/r" '"task_number":0' "read back: numbers"
i=2
while [ $i -le 32 ]; do
	curl -s -o /dev/null -X POST -H "$A" -H "$J" -d "{\"title\":\"project $i\"}" "$EMU_URL/api/projects/"
	i=$((i + 1))
done
req GET /api/projects/
contains "$TMPD/r" '"count":32,"next":"[^"]*page=2","previous":null' "projects: 30 a page, next"
req GET '/api/projects/?title=CAMS1'
contains "$TMPD/r" '"count":1,' "title filter: case-insensitive contains"
req POST /api/projects/ '{"title":"x","color":"red"}'
contains "$TMPD/r" '"title":\[.*"color":\["Color must be in \\"#RRGGBB\\" format"\]' "field errors"
curl -s -o "$TMPD/body" -w '%{http_code}\n' -X POST -H "$J" \
    -d '{"label_config":"<View><Choices name=\"c\" toName=\"x\"/></View>"}' \
    "$EMU_URL/api/projects/validate/" > "$TMPD/r"
cat "$TMPD/body" >> "$TMPD/r"
contains "$TMPD/r" '^400$' "POST /api/projects/validate/ needs no auth"
contains "$TMPD/r" '^\{"label_config":\["toName=\\"x\\" not found' "... and answers raw DRF errors"
req POST /api/projects/1/validate/ '{"label_config":"<View><Video name=\"v\" value=\"$video\"/></View>"}'
contains "$TMPD/r" '"config_essential_data_has_changed":null' "project validate: essential data null"
req POST /api/projects/1/validate/ '{"label_config":"<View><Video name=\"v\""}'
contains "$TMPD/r" 'Validation error.*label_config' "project validate: envelope"

# imports
req POST /api/projects/1/import '[]'
contains "$TMPD/r" 'load_tasks: No tasks added' "empty import: 400"
curl -s -o "$TMPD/body" -w '%{http_code}\n' -X POST -H "$A" -H 'Content-Type:' \
    --data-binary '[{"video":"x"}]' "$EMU_URL/api/projects/1/import" > "$TMPD/r"
cat "$TMPD/body" >> "$TMPD/r"
contains "$TMPD/r" 'Unsupported media type' "no Content-Type: 415"
req POST /api/projects/1/import '[{"video":"a","k":1},{"data":{"video":"b","k":2}}]'
contains "$TMPD/r" '^201$' "flat and wrapped tasks"
contains "$TMPD/r" '"task_count":2,"annotation_count":0,"prediction_count":0' "community reply: counts"
grep -q task_ids "$TMPD/r"
test $? -ne 0
check "task_ids only when asked"
req POST /api/projects/1/import '[{"data":{"video":5}}]'
contains "$TMPD/r" 'video URL must be a string' "Video: the value must be a string"
req POST /api/projects/1/import/ '[{"video":"a"}]'
contains "$TMPD/r" '^404$' "import with a slash: 404"
contains "$TMPD/r" '<title>Not Found</title>' "... an HTML page"
emu POST /_emu/settings '{"import_mode":"lse"}' > /dev/null
req POST /api/projects/1/import '[{"video":"c"}]'
contains "$TMPD/r" '^\{"import":1\}' "enterprise reply: an import id"
req GET /api/projects/1/imports/1/
contains "$TMPD/r" '"status":"completed".*"task_ids":\[3\]' "... polled until completed"
emu POST /_emu/settings '{"import_mode":"oss"}' > /dev/null

# the task list
req GET /api/tasks/
contains "$TMPD/r" '^404$' "tasks without a project: 404"
contains "$TMPD/r" '\{"detail":"Neither project nor view id specified"\}' "... with a plain detail"
req GET '/api/tasks/?project=1&page_size=2'
contains "$TMPD/r" '"total":3,.*"tasks":\[\{"id":1,' "a page of tasks"
grep -q '"annotations":' "$TMPD/r"
test $? -ne 0
check "task_only: no annotations key"
req GET '/api/tasks/?project=1&page_size=2&page=3'
contains "$TMPD/r" '"detail":"Invalid page."' "past the end: 404 Invalid page."
q=$(printf '%s' '{"filters":{"conjunction":"and","items":[{"filter":"filter:tasks:data.video","operator":"equal","type":"String","value":"b"}]}}' | jq -sRr @uri)
req GET "/api/tasks/?project=1&query=$q"
contains "$TMPD/r" '"total":1,.*"video":"b"' "filter on data.<key>"

# exports
curl -s -D "$TMPD/h" -o "$TMPD/body" -H "$A" "$EMU_URL/api/projects/1/export?exportType=JSON&download_all_tasks=true"
tr -d '\r' < "$TMPD/h" > "$TMPD/r"
contains "$TMPD/r" '^[Cc]ontent-[Tt]ype: application/.json$' "easy export: the application/.json quirk"
contains "$TMPD/r" 'filename="project-1-at-[0-9-]+-[0-9a-f]{8}.json"' "easy export: the file name"
node -e 'const a = JSON.parse(require("fs").readFileSync(process.argv[1]));
process.exit(Array.isArray(a) && a.length === 3 && "annotations" in a[0] && !("overlap" in a[0]) ? 0 : 1)' "$TMPD/body"
check "easy export: an array of tasks with annotations, without overlap"
emu POST /_emu/settings '{"import_mode":"lse"}' > /dev/null
req POST /api/projects/1/exports/ '{"title":"t"}'
contains "$TMPD/r" '"status":"in_progress"' "enterprise snapshot: in progress"
req GET /api/projects/1/exports/1/download
contains "$TMPD/r" '^404$' "download before completion: 404"
req GET /api/projects/1/exports/1
req GET /api/projects/1/exports/1
contains "$TMPD/r" '"status":"completed"' "... completed when polled"
req GET '/api/projects/1/exports/1/download?exportType=JSON'
contains "$TMPD/r" '^200$' "download"
emu POST /_emu/settings '{"import_mode":"oss"}' > /dev/null

# storage
req POST /api/storages/s3/ '{"project":1,"bucket":"bk1","prefix":"cams","presign":true}'
contains "$TMPD/r" 's3://bk1/cams not found.' "a source storage on an empty prefix: 400"
req POST /api/storages/s3/ '{"project":1,"bucket":"bk1","synchronizable":false,"aws_access_key_id":"AK","aws_secret_access_key":"SK"}'
contains "$TMPD/r" '^201$' "a storage without a prefix"
grep -q '"aws_secret_access_key"' "$TMPD/r"
test $? -ne 0
check "the secret is not echoed"
req POST /api/storages/s3/1/sync
contains "$TMPD/r" '\{"message":"Storage 1 is not synchronizable"\}' "sync of a non-synchronizable storage: 400 message"
req GET /api/storages/s3/1/
contains "$TMPD/r" '^404$' "storage detail with a slash: 404"
done_testing
