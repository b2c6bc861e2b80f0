#!/bin/sh
# test-ls-frontend.sh - the real Label Studio editor (npm
# @heartexlabs/label-studio 1.4.0, the last version shipping its browser
# bundle) in headless Chromium, driven over the DevTools protocol: the
# classification template renders, its choices show, and a task whose
# data.video is a presigned URL of a segment plays to its true duration
# and seeks to its end.  The segment is an fMP4 written like the
# recorder's (fragment per keyframe, empty moov); it is served with Range
# and CORS by tests/ls/media-server.mjs from another origin than the page
# (the S3 test server is not used here: the URL is presigned by vigia,
# but its signature is not verified).  A broken config must fail.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/ls/lib-frontend.sh"

[ "${VIGIA_QUICK:-0}" = 1 ] && skip "VIGIA_QUICK=1: the Chromium check is left to the normal build"
command -v chromium >/dev/null 2>&1 || skip "chromium is not installed"
command -v node >/dev/null 2>&1 || skip "node is not installed"
command -v npm >/dev/null 2>&1 || skip "npm is not installed"
command -v ffmpeg >/dev/null 2>&1 || skip "ffmpeg is not installed"
LS_TOOL="$top_builddir/tests/ls/ls-tool"
NODE_DIR="$top_builddir/tests/node/ls-frontend"
LSF="$NODE_DIR/node_modules/@heartexlabs/label-studio/build/static"

if [ ! -f "$LSF/js/main.js" ]; then
	mkdir -p "$NODE_DIR"
	timeout 300 npm install --silent --no-audit --no-fund \
	    --prefix "$NODE_DIR" @heartexlabs/label-studio@1.4.0 \
	    > "$TMPD/npm.log" 2>&1
	check "npm install @heartexlabs/label-studio@1.4.0" ||
	    { sed 's/^/# /' "$TMPD/npm.log"; done_testing; }
fi
test -f "$LSF/js/main.js" && test -f "$LSF/css/main.css"
check "the editor's browser bundle is there"

# a 6 s segment, 10 fps, as the recorder writes them
mkdir -p "$TMPD/bucket/segments/site-a/cam-0" "$TMPD/site"
SEG="$TMPD/bucket/segments/site-a/cam-0/1796529600.mp4"
ffmpeg -loglevel error -f lavfi -i testsrc=size=320x240:rate=10 -t 6 \
    -c:v libx264 -preset ultrafast -pix_fmt yuv420p -g 10 \
    -movflags frag_keyframe+empty_moov+default_base_moof "$SEG"
check "a 6 s fragmented MP4 segment"

PIDS=
serve() {	# serve DIR NAME: sets NAME_URL
	rm -f "$TMPD/$2.port"
	node "$top_srcdir/tests/ls/media-server.mjs" --dir "$1" --port-file "$TMPD/$2.port" &
	PIDS="$PIDS $!"
	i=0
	while [ ! -s "$TMPD/$2.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	eval "$2_URL=http://127.0.0.1:$(cat "$TMPD/$2.port")"
}
vg_at_exit 'for p in $PIDS; do kill $p 2>/dev/null; wait $p 2>/dev/null; done'
serve "$TMPD/bucket" bucket
ln -s "$LSF" "$TMPD/site/ls"
serve "$TMPD/site" site

URL=$("$LS_TOOL" - - presign "$bucket_URL" segments site-a/cam-0/1796529600.mp4)
case $URL in *X-Amz-Signature=*) true ;; *) false ;; esac
check "a presigned URL for the segment"
"$LS_TOOL" - - render video-classification 10 > "$TMPD/config.xml"
check "the classification template"

page "$TMPD/site/index.html" "$TMPD/config.xml" "$URL" 10
mkdir -p "$TMPD/profile"
CDP_EXTRA='String(window.__ls.annotationStore.selected.names.get("clip").framerate)' \
node --experimental-websocket --no-warnings "$top_srcdir/tests/ls/cdp-check.mjs" \
    "$site_URL/index.html" "$TMPD/profile" 60000 6 empty activity camera_fault \
    > "$TMPD/report" 2> "$TMPD/cdp.err"
st=$?
sed 's/^/# /' "$TMPD/report"
(exit $st)
check "the editor renders, the choices show, the video plays to 6 s and seeks to its end"
contains "$TMPD/report" '"editor":true' "the editor rendered"
contains "$TMPD/report" '"choices":\{"empty":true,"activity":true,"camera_fault":true\}' "every choice shows"
contains "$TMPD/report" '"duration":(5\.[89]|6)' "the true duration (6 s)"
contains "$TMPD/report" '"extra":"10"' "the editor's frame rate is the camera's (10)"

# vigiad's own config: frameRate="$fps", each task's data.fps
"$LS_TOOL" - - render video-classification 0 > "$TMPD/config-fps.xml"
contains "$TMPD/config-fps.xml" 'frameRate="\$fps"' "vigiad's config takes the task's fps"
page "$TMPD/site/fps.html" "$TMPD/config-fps.xml" "$URL" 10
rm -rf "$TMPD/profile" && mkdir -p "$TMPD/profile"
CDP_EXTRA='String(window.__ls.annotationStore.selected.names.get("clip").framerate)' \
node --experimental-websocket --no-warnings "$top_srcdir/tests/ls/cdp-check.mjs" \
    "$site_URL/fps.html" "$TMPD/profile" 60000 6 empty activity camera_fault \
    > "$TMPD/report" 2> "$TMPD/cdp.err"
st=$?
sed 's/^/# /' "$TMPD/report"
(exit $st)
check "with frameRate=\"\$fps\": renders, plays to 6 s, seeks to its end"
# Label Studio 1.4.0's editor leaves frameRate="$fps" unresolved (newer
# ones read it from the task): vigiad writes a number whenever its
# cameras agree on one (src/ls-tasks.c)
echo "# frameRate=\"\$fps\" in 1.4.0's editor: $(sed 's/.*"extra":\("[^"]*"\).*/\1/' "$TMPD/report")"

# a config the editor cannot use must not pass
sed 's/toName="clip"/toName="nothing"/' "$TMPD/config.xml" > "$TMPD/bad.xml"
page "$TMPD/site/bad.html" "$TMPD/bad.xml" "$URL" 10
rm -rf "$TMPD/profile2" && mkdir -p "$TMPD/profile2"
node --experimental-websocket --no-warnings "$top_srcdir/tests/ls/cdp-check.mjs" \
    "$site_URL/bad.html" "$TMPD/profile2" 15000 6 empty activity camera_fault \
    > "$TMPD/report2" 2>&1
test $? -ne 0
check "a broken config fails the check"
sed 's/^/# /' "$TMPD/report2"
done_testing
