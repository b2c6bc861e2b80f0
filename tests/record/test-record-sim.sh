#!/bin/sh
# test-record-sim.sh - vigiad records two simulated cameras (H.264 asked
# over ONVIF, H.265 from recording.url) into 10 s segments: every closed
# segment is clean for ffprobe, lasts what its sidecar says (within one
# frame), starts on a wall-clock boundary and is in the journal; the
# frames recorded are the frames the simulator served, less what was lost
# in flight at each reconnect; a stall and an offline camera continue the
# segment with the gap recorded; SIGTERM closes everything within 5 s.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/sim/sim-lib.sh"
. "$top_srcdir/tests/record/lib-record.sh"

sim_start --cameras 7 --no-discovery || {
	echo "not ok 1 - vigia-sim started"; exit 1; }
URL_B=$(cam_json 6 '.streams[0].uri')
CODEC_B=$(cam_json 6 '.streams[0].codec')
rec_camera 2 cam-a > "$TMPD/a"
rec_camera 6 cam-b "recording = { url = \"$URL_B\"; };" > "$TMPD/b"
rec_config "$TMPD/v.conf" 20 "$TMPD/a" "$TMPD/b"
"$VIGIAD" --check -c "$TMPD/v.conf" 2>"$TMPD/err"
check "segment_s = 20 and recording.url are accepted"

vigiad_start "$TMPD/v.conf"
check "vigiad starts"
recording() {
	status_json > "$TMPD/rs.json" &&
	    jq -e '[.cameras[].state] == ["recording", "recording"]' "$TMPD/rs.json"
}
wait_for 20 recording
check "both cameras are recording"

# a boundary, then a stall of cam-a (the watchdog fires after 3 s) and an
# outage of cam-b, both inside one 20 s segment
seg1() { test "$(segments cam-a | wc -l)" -ge 1; }
wait_for 25 seg1
sim_ctl fault 2 rtsp-stall >/dev/null
sim_ctl offline 6 >/dev/null
sleep 4.5
sim_ctl fault 2 clear >/dev/null
sim_ctl online 6 >/dev/null
wait_for 20 recording
check "both cameras record again after the stall and the outage"
# past the next boundary, and a few seconds into the segment after it
seg2() { test "$(segments cam-a | wc -l)" -ge 2 && test "$(segments cam-b | wc -l)" -ge 2; }
wait_for 30 seg2
sleep 3
status_json > "$TMPD/st.json" && jq -e '.cameras[0].reconnects >= 1 and .cameras[1].reconnects >= 1' \
    "$TMPD/st.json" >/dev/null
check "the status counts the reconnects"
jq -e '.cameras[0].last_error.reason == "timeout"' "$TMPD/st.json" >/dev/null
check "the stall is classified as a timeout"
JOURNALED=$(jq '.spool.segments' "$TMPD/st.json")

vigiad_stop TERM
[ "$VIGIAD_EXIT" -eq 0 ] && [ "$VIGIAD_MS" -lt 5000 ]
check "SIGTERM stops vigiad cleanly within 5 s ($VIGIAD_MS ms)"
[ -z "$(ls "$SPOOL"/*/*.part 2>/dev/null)" ]
check "no .part is left behind"
grep -q 'closed (stopping)' "$TMPD/vigiad.log"
check "the open segments were closed at SIGTERM"

for cam in cam-a cam-b; do
	n=0 bad=0 frames=0
	for f in $(segments $cam); do
		n=$((n + 1))
		out=$(seg_check "$f") || { bad=$((bad + 1)); echo "$out"; continue; }
		frames=$((frames + ${out%% *}))
	done
	[ $n -ge 3 ] && [ $bad -eq 0 ]
	check "$cam: $n segments, each clean for ffprobe and as long as its sidecar says"
	eval "frames_$(echo $cam | tr - _)=$frames"
done
# the first segment starts at vigiad's start; the others on a boundary
# (multiples of 20 s), at the first keyframe at or after it (GOP <= 2 s)
bad=0
for f in $(segments cam-a | tail -n +2); do
	s=$(jq '.start_us' "${f%.mp4}.json")
	off=$(( (s / 1000) % 20000 ))
	[ $off -lt 2100 ] || { echo "# $f starts $off ms after a boundary"; bad=1; }
done
[ $bad -eq 0 ]
check "segments start at the first keyframe after a 20 s boundary"
jq -e 'select(.file | test("mp4$")) | .sha256 | test("^[0-9a-f]{64}$")' \
    $(segments cam-a | sed 's/\.mp4$/.json/') >/dev/null
check "sidecars carry the SHA-256"
[ "$(sha256sum "$(segments cam-a | head -1)" | cut -c1-64)" = \
  "$(jq -r .sha256 "$(segments cam-a | head -1 | sed 's/\.mp4$/.json/')")" ]
check "and it is the file's"
jq -e ".video.codec == \"$( [ "$CODEC_B" = h265 ] && echo hevc || echo h264)\"" \
    "$(segments cam-b | head -1 | sed 's/\.mp4$/.json/')" >/dev/null
check "cam-b is recorded as $CODEC_B, without transcoding"
[ "$JOURNALED" -ge 4 ]
check "closed segments are in the journal ($JOURNALED while running)"

# gaps: the stall and the outage are inside segments, recorded
ga=$(cat $(segments cam-a | sed 's/\.mp4$/.json/') | jq -s '[.[].gaps[]] | length')
gb=$(cat $(segments cam-b | sed 's/\.mp4$/.json/') | jq -s '[.[].gaps[]] | length')
[ "$ga" -ge 1 ] && [ "$gb" -ge 1 ]
check "the stall and the outage are gaps in the sidecars ($ga, $gb)"
cat $(segments cam-a | sed 's/\.mp4$/.json/') | jq -s -e \
    '[.[].gaps[]] | all(.length_s >= 2 and .length_s < 15 and .reason == "timeout")' >/dev/null
check "cam-a's gap: its length and reason (timeout)"

# frames: recorded = served - what was in flight at each disconnect
for n in 2 6; do
	served=$(cam_json $n '.streams[0].served')
	fps=$(cam_json $n '.streams[0].fps')
	if [ $n -eq 2 ]; then rec=$frames_cam_a; else rec=${frames_cam_b}; fi
	lost=$((served - rec))
	echo "# camera $n: served $served, recorded $rec, lost $lost (fps $fps)"
	# two connections each; what was in flight when one ended: at most
	# half a second each
	[ $lost -ge 0 ] && [ $lost -le $fps ]
	check "camera $n: every frame served was recorded, but for those in flight at a disconnect"
done

done_testing
