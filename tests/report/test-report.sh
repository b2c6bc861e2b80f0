#!/bin/sh
# test-report.sh - `vigia report` on a commissioned vigia-sim site with S3
# and Label Studio on loopback: the JSON has every camera with its
# identity, encoder set and measured, clock drift, tests and picture; the
# CSV one row per camera; the HTML, opened in headless Chromium, shows
# every camera with a picture that decodes, loads nothing from outside,
# is not blank and prints; the storage and Label Studio checks and the
# recorder's state are in it; a camera that is offline fails its tests
# (exit 1) without stopping the report.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/store/lib-store.sh"
. "$top_srcdir/tests/ls/lib-ls.sh"
. "$top_srcdir/tests/record/lib-record.sh"
. "$top_srcdir/tests/report/lib-report.sh"

command -v ffmpeg > /dev/null || skip "ffmpeg is not installed"
N=3
report_site $N
check "a site of $N cameras, S3 and Label Studio, commissioned by vigia --apply"

# ---- JSON -------------------------------------------------------------------
"$VIGIA" report -c "$CONF" --json > "$TMPD/r.json" 2> "$TMPD/r.err"
st=$?
sed 's/^/# /' "$TMPD/r.err" | tail -5
test $st -eq 0
check "vigia report --json exits 0 when everything passes"
jq -e . "$TMPD/r.json" > /dev/null
check "it prints valid JSON"
test "$(jq '.cameras | length' "$TMPD/r.json")" -eq $N
check "every camera is in it ($N)"
for i in $(seq 0 $((N - 1))); do
	name=cam-$((i + 1))
	mac=$(cam_json $i .mac)
	serial=$(cam_json $i .serial)
	jq -e --arg n "$name" --arg mac "$mac" --arg serial "$serial" \
	    --arg maker "$(cam_json $i .manufacturer)" '.cameras[] | select(.name == $n) |
	    .result == "pass" and .vendor == $maker and .model != null and
	    .serial == $serial and (.mac | ascii_downcase) == ($mac | ascii_downcase) and
	    .firmware != null and .address != null and
	    (.stream_uri | startswith("rtsp://")) and (.stream_uri | test("@") | not) and
	    .encoder_set.width == 1280 and .encoder_set.fps == 15 and
	    .encoder_measured.codec == "H264" and .encoder_measured.width == 1280 and
	    .encoder_measured.height == 720 and .encoder_measured.fps > 10 and
	    .encoder_camera.bitrate_kbps == 2000 and
	    (.clock_drift_s | type) == "number" and .first_picture_ms >= 0 and
	    ([.tests[].test] == ["onvif","login","clock","config","stream",
	      "encoder","first_picture","browser","snapshot"]) and
	    all(.tests[]; .result == "pass") and
	    .picture.type == "image/jpeg" and .picture.bytes > 1000' \
	    "$TMPD/r.json" > /dev/null
	check "$name: vendor, model, serial, MAC, firmware, address, stream URI, encoder set/camera/measured, drift, 9 tests passed, a picture"
done
jq -e '.site.id == "report-site" and .site.name == "Warehouse <North> & Co" and
    (.generated | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")) and .ok == true' "$TMPD/r.json" > /dev/null
check "site, date and verdict"
jq -e '.storage.state == "tested" and .storage.name == "cloud" and .storage.type == "s3" and
    .storage.result == "pass" and (.storage.steps | length) >= 3 and .storage.throughput_bps > 0' \
    "$TMPD/r.json" > /dev/null
check "the storage probe ran against the S3 server and passed"
jq -e '.labelstudio.state == "tested" and .labelstudio.result != "fail" and
    (.labelstudio.steps | length) >= 2' "$TMPD/r.json" > /dev/null
check "the Label Studio check ran against the emulator"
jq -e '.recorder.running == false and .recorder.status == null and
    .recorder.socket != null' "$TMPD/r.json" > /dev/null
check "the recorder: vigiad not running"
! grep -q "$S3_SECRET\|$EMU_TOKEN\|$(report_admin_pw 0)" "$TMPD/r.json"
check "no secret in the JSON"

# ---- CSV ---------------------------------------------------------------------
"$VIGIA" report -c "$CONF" --csv "$TMPD/r.csv" --no-pictures --no-storage-test \
    --no-labelstudio-test > "$TMPD/r.txt" 2>&1
check "vigia report --csv (no pictures, checks left out) exits 0"
test "$(wc -l < "$TMPD/r.csv")" -eq $((N + 1))
check "the CSV has a header and one row per camera"
python3 - "$TMPD/r.csv" "$N" > "$TMPD/csv.out" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
assert len(rows) == int(sys.argv[2]), rows
for r in rows:
    assert r['camera'].startswith('cam-'), r
    assert r['result'] == 'pass', r
    assert r['serial'] and r['mac'] and r['vendor'] and r['firmware'], r
    assert r['set_resolution'] == '1280x720' and r['measured_resolution'] == '1280x720', r
    assert r['stream_uri'].startswith('rtsp://'), r
    assert r['picture'] == 'no', r
print('ok', len(rows))
PY
check "each row: camera, result, identity, set and measured encoder, stream URI"
contains "$TMPD/r.txt" 'Storage cloud: not tested' "the storage left out says 'not tested'"
contains "$TMPD/r.txt" 'Label Studio .*: not tested' "so does Label Studio"
contains "$TMPD/r.txt" '^cam-1  passed ' "the terminal summary lists the cameras"

# ---- HTML, in headless Chromium ------------------------------------------------
command -v chromium > /dev/null || skip "chromium is not installed"
# the recorder runs this time
vigiad_start "$CONF"
check "vigiad started"
wait_for 20 status_json
check "vigiad answers on its status socket"
"$VIGIA" report -c "$CONF" --html "$TMPD/report.html" > "$TMPD/h.txt" 2>&1
st=$?
sed 's/^/# /' "$TMPD/h.txt" | tail -3
test $st -eq 0
check "vigia report --html exits 0"
vigiad_stop
grep -q 'vigiad is running' "$TMPD/report.html"
check "the report says that vigiad is running, with its status"
! grep -Eq '<(script|link|iframe)|src="https?:|url\(' "$TMPD/report.html"
check "the HTML has no script, no link and no external reference"
report_chromium "$TMPD/report.html"
check "headless Chromium opened the report"
sed 's/^/# /' "$TMPD/cdp.err" | tail -3
jq -c '{lang, title, verdict, requests, errors, n: (.cameras | length)}' "$TMPD/dom.json" | sed 's/^/# /'
jq -e --argjson n $N '(.cameras | length) == $n and
    ([.cameras[].name] | sort) == ([range(1; $n + 1) | "cam-\(.)"])' "$TMPD/dom.json" > /dev/null
check "its DOM has a section for every camera"
jq -e 'all(.cameras[]; (.images | length) == 1 and .images[0].data and
    .images[0].complete and .images[0].width == 1280 and .images[0].height == 720)' \
    "$TMPD/dom.json" > /dev/null
check "each with one picture, a data: URI that Chromium decoded (1280x720)"
jq -e 'all(.cameras[]; .tests == 9 and .result == "pass" and
    .identity.Vendor != "–" and .identity["Serial number"] != "–")' "$TMPD/dom.json" > /dev/null
check "each with its identity and 9 test rows"
jq -e '.requests == [] and .errors == [] and .scripts == 0 and .stylesheets == 0' \
    "$TMPD/dom.json" > /dev/null
check "the page loads nothing from outside and runs nothing"
jq -e '.lang == "en" and (.title | contains("Warehouse <North> & Co")) and
    (.verdict | contains("3 cameras passed"))' "$TMPD/dom.json" > /dev/null
check "title and verdict (the site's name escaped, shown as typed)"
# every embedded picture, decoded by ffmpeg too
python3 - "$TMPD/report.html" "$TMPD" > "$TMPD/imgs.out" <<'PY'
import base64, re, sys
html = open(sys.argv[1], encoding='utf-8').read()
imgs = re.findall(r'src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"', html)
for i, b in enumerate(imgs):
    open('%s/img%d.jpg' % (sys.argv[2], i), 'wb').write(base64.b64decode(b, validate=True))
print(len(imgs))
PY
test "$(cat "$TMPD/imgs.out")" -eq $N
check "the HTML embeds $N JPEG pictures"
ok=0
for f in "$TMPD"/img*.jpg; do
	s=$(shot_stats "$f")
	[ "${s%% *}" -gt 20 ] && ok=$((ok + 1))
	echo "# $(basename "$f"): $s"
done
test $ok -eq $N
check "each decodes with ffmpeg to a real picture (many grey levels)"
s=$(shot_stats "$TMPD/shot.png")
echo "# screenshot: $s (grey levels, % not white)"
test "${s%% *}" -gt 50 && test "${s##* }" -gt 5
check "the screenshot of the page is not blank"
head -c 5 "$TMPD/print.pdf" | grep -q '%PDF'
check "the page prints (Chromium's printToPDF)"

# ---- a camera that does not answer ------------------------------------------------
sim_ctl offline 1 > /dev/null
"$VIGIA" report -c "$CONF" --json --no-pictures --no-storage-test \
    --no-labelstudio-test --timeout 1500 > "$TMPD/off.json" 2> "$TMPD/off.err"
st=$?
sim_ctl online 1 > /dev/null
test $st -eq 1
check "a camera offline: the report is made and exits 1"
jq -e '(.cameras | length) == 3 and
    (.cameras[] | select(.name == "cam-2") | .result == "fail" and .tests[0].test == "onvif" and
      .tests[0].result == "fail") and
    ([.cameras[] | select(.name != "cam-2") | .result] == ["pass", "pass"]) and .ok == false' \
    "$TMPD/off.json" > /dev/null
check "that camera fails 'ONVIF reachable'; the others pass"

# ---- a setting that differs from the camera: a warning, not a failure ------
sed 's|timezone = "Europe/Madrid"|timezone = "America/Bogota"|' "$CONF" > "$TMPD/tz.conf"
chmod 600 "$TMPD/tz.conf"
"$VIGIA" report -c "$TMPD/tz.conf" --json --no-pictures --no-storage-test \
    --no-labelstudio-test cam-1 > "$TMPD/tz.json" 2> /dev/null
check "a camera named on the command line, a setting that differs: exit 0"
jq -e '(.cameras | length) == 1 and .cameras[0].name == "cam-1" and
    .cameras[0].result == "warn" and .cameras[0].differs == ["timezone"] and
    (.cameras[] | .tests[] | select(.test == "config") | .result == "warn" and
      (.detail | test("timezone$")))' "$TMPD/tz.json" > /dev/null
check "only that camera; 'settings as configured' warns and names the setting"

# ---- usage -------------------------------------------------------------------------
"$VIGIA" report -c "$CONF" no-such-camera > /dev/null 2> "$TMPD/u.err"
test $? -eq 2
check "an unknown camera name is a usage error"
contains "$TMPD/u.err" "no camera named 'no-such-camera'" "naming it"
"$VIGIA" report -c "$TMPD/missing.conf" > /dev/null 2>&1
test $? -eq 3
check "a missing configuration exits 3"

done_testing
