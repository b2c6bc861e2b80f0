#!/bin/sh
# test-cli-json.sh - absent values are null in JSON, "-" in the table; the
# discover options that cannot go together are usage errors.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The camera is the "spec" fixture with what real cameras leave out: the
# sub stream's encoder has no GovLength and GetSnapshotUri answers an
# empty Uri.  Probe reports come from files made by ffmpeg (skipped
# without it: the rest still runs).
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/onvif/lib-onvif.sh"

command -v jq > /dev/null || skip "jq is not installed (apt-get install jq)"

printf '%s\n' "$PW" > "$TMPD/pw"
chmod 600 "$TMPD/pw"
mkdir -p "$TMPD/fix"
cp -R "$FIX/spec" "$TMPD/fix/absent"
sed -i 's/ GovLength="25"//' "$TMPD/fix/absent/media2_service-GetProfiles.xml"
sed -i 's|<tr2:Uri>[^<]*</tr2:Uri>|<tr2:Uri></tr2:Uri>|' \
    "$TMPD/fix/absent/media2_service-GetSnapshotUri.xml"
! grep -q 'GovLength="25"' "$TMPD/fix/absent/media2_service-GetProfiles.xml" &&
    grep -q '<tr2:Uri></tr2:Uri>' "$TMPD/fix/absent/media2_service-GetSnapshotUri.xml"
check "the fixture leaves out the sub stream's GOP and the snapshot URI"
FIX=$TMPD/fix
stub_start absent --user admin --password "$PW"

# ---- camera profiles: table and JSON agree ---------------------------------
"$VIGIA" camera profiles -u admin -p "$TMPD/pw" "$TARGET" > "$TMPD/prof"
check "camera profiles"
contains "$TMPD/prof" '^Profile_2 +subStream +H264 +640x360 +13 +512 +- +rtsp://[^ ]+ +-$' \
    "table: the absent GOP and snapshot URI are '-'"
"$VIGIA" camera profiles --json -u admin -p "$TMPD/pw" "$TARGET" > "$TMPD/prof.json"
check "camera profiles --json"
test "$(jq -c '.profiles[1].encoder.gop' "$TMPD/prof.json")" = null
check "json: the absent GOP is null (not 0)"
test "$(jq -c '[.profiles[].snapshot_uri]' "$TMPD/prof.json")" = '[null,null]'
check "json: the empty snapshot URI is null (not \"\")"
test "$(jq -c '.profiles[0].encoder.gop' "$TMPD/prof.json")" = 50
check "json: a reported GOP is still a number"

# ---- no 0 or "" stands for "absent" anywhere ----------------------------------
# paths of every "" and of every 0 that the table would show as "-"
nothing='[paths(. == "")] + [paths(. == 0) | select(.[-1] | tostring |
    test("^(gop|fps|width|height|bitrate_kbps|prefix|quality|utc|last_seen_at)$"))]'
for cmd in info profiles; do
	"$VIGIA" camera $cmd --json -u admin -p "$TMPD/pw" "$TARGET" > "$TMPD/$cmd.json"
	test "$(jq -c "$nothing" "$TMPD/$cmd.json")" = '[]'
	check "camera $cmd --json: no \"\" or 0 for an absent value ($(jq -c "$nothing" "$TMPD/$cmd.json"))"
done
test "$(jq -c '[has("time"), has("network")]' "$TMPD/info.json")" = '[true,true]'
check "camera info --json: time and network are there"

"$VIGIA" camera reboot --json -u admin -p "$TMPD/pw" "$TARGET" > "$TMPD/reboot.json"
check "camera reboot --json"
test "$(jq -c 'has("message")' "$TMPD/reboot.json")" = true
check "camera reboot --json has its message key"

printf 'wrong-pass\n' > "$TMPD/badpw"
"$VIGIA" camera info --json -u admin -p "$TMPD/badpw" "$TARGET" > "$TMPD/fail.json" 2> /dev/null
test $? -eq 1
check "a refused login exits 1"
test "$(jq -c '[.ok, has("reason"), has("error"), has("class")]' "$TMPD/fail.json")" = '[false,true,true,true]'
check "a failure's JSON always has class, error and reason (null if none)"

# ---- discover -----------------------------------------------------------------
"$VIGIA" discover --no-probe --add "$TARGET" --json > "$TMPD/d.json" 2> /dev/null
check "discover --no-probe --add --json"
test "$(jq -c '.count' "$TMPD/d.json")" = 1 &&
    test "$(jq -c "$nothing" "$TMPD/d.json")" = '[]'
check "discover --json: one camera, no \"\" for an absent value"
stub_stop

"$VIGIA" discover --no-probe --watch=4 > "$TMPD/out" 2> "$TMPD/err"
test $? -eq 2
check "discover --no-probe --watch=4 is a usage error"
contains "$TMPD/err" "--watch .*cannot go with --no-probe" "it says --watch needs the probe"
test ! -s "$TMPD/out"
check "and prints no (empty) result"
"$VIGIA" discover --no-probe > "$TMPD/out" 2> "$TMPD/err"
test $? -eq 2
check "discover --no-probe alone is a usage error"
contains "$TMPD/err" "give --add or --sweep" "it says what to give"

# ---- probe: what the stream does not tell is null -------------------------------
if command -v ffmpeg > /dev/null && command -v ffprobe > /dev/null; then
	. "$top_srcdir/tests/stream/lib-stream.sh"
	# one keyframe in the window: the GOP cannot be measured
	gen onekey.mp4 h264 320x240 10 100 2
	gen audio.m4a none - - - 2 aac
	check "ffmpeg made the streams"
	"$VIGIA" probe "$TMPD/onekey.mp4" --seconds 2 --json > "$TMPD/p1.json" 2> /dev/null
	check "probe of a stream with one keyframe"
	test "$(jq -c '[.video.gop, .video.gop_min, .video.gop_max, .error]' "$TMPD/p1.json")" = '[null,null,null,null]'
	check "probe --json: an unmeasured GOP and no error are null ($(jq -c '[.video.gop, .video.gop_min, .video.gop_max, .error]' "$TMPD/p1.json"))"
	"$VIGIA" probe "$TMPD/audio.m4a" --seconds 1 --json > "$TMPD/p2.json" 2> /dev/null
	test "$(jq -c '[.ok, .video]' "$TMPD/p2.json")" = '[false,null]'
	check "probe --json of a stream without video: video is null"
else
	echo "# ffmpeg is not installed: the probe checks are not run"
fi

done_testing
