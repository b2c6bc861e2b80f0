# tests/ls/lib-ls.sh - start the Label Studio emulator for a test (sourced
# after tests/lib.sh).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# emu_start [OPTION]...: starts tests/ls/ls-emulator.mjs on a free port of
# 127.0.0.1; sets EMU_URL, EMU_PID, EMU_TOKEN (its legacy key) and EMU_PAT
# (a personal access token).  emu_stop stops it (by its PID).
# emu GET|POST|DELETE PATH [JSON]: a control or API call, body on stdout.

command -v node >/dev/null 2>&1 || skip "node is not installed"
LS_TOOL="$top_builddir/tests/ls/ls-tool"
EMU_TOKEN=0123456789abcdef0123456789abcdef01234567
EMU_PID=
vg_at_exit emu_stop

emu_start() {
	rm -f "$TMPD/emu.port" "$TMPD/emu.pat"
	node "$top_srcdir/tests/ls/ls-emulator.mjs" --port-file "$TMPD/emu.port" \
	    --pat-file "$TMPD/emu.pat" --token "$EMU_TOKEN" "$@" \
	    >"$TMPD/emu.log" 2>&1 &
	EMU_PID=$!
	i=0
	while [ ! -s "$TMPD/emu.port" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$TMPD/emu.port" ] || { cat "$TMPD/emu.log"; echo "emulator did not start"; exit 1; }
	EMU_URL="http://127.0.0.1:$(cat "$TMPD/emu.port")"
	EMU_PAT=$(cat "$TMPD/emu.pat")
}

emu_stop() {
	if [ -n "$EMU_PID" ]; then
		kill "$EMU_PID" 2>/dev/null
		wait "$EMU_PID" 2>/dev/null
		EMU_PID=
	fi
}

emu() {
	if [ $# -ge 3 ]; then
		curl -s -X "$1" -H 'Content-Type: application/json' \
		    --data-binary "$3" "$EMU_URL$2"
	else
		curl -s -X "$1" "$EMU_URL$2"
	fi
}

# emu_json EXPR: evaluate a JS expression over the emulator's state (`s`).
emu_state() {
	emu GET /_emu/state | node -e '
		let d = ""; process.stdin.on("data", (c) => d += c);
		process.stdin.on("end", () => {
			const s = JSON.parse(d);
			console.log(eval(process.argv[1]));
		});' "$1"
}
