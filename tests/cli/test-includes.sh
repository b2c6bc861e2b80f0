#!/bin/sh
# test-includes.sh - the include boundary (curl's checksrc idea).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Three layers, and includes go one way only:
#   src/  libvigia, the core; includes nothing from ui/ or cli/.
#   ui/   the wizard; includes the core's API (libvigia.h), never cli/.
#   cli/  the programs (vigia, vigiad); may include ui/ and the core.
# ui/, cli/ and the public API headers include no gSOAP, FFmpeg, curl,
# OpenSSL, libconfig or SQLite header, nor a core-internal header (*-int.h,
# onvif-soap.h).  jansson: the core and cli/ (whose --json output is built
# with it) may use it; ui/ and the public API may not.
. "${top_srcdir:-.}/tests/lib.sh"

libs='stdsoap2|soapH|soapStub|wsseapi|httpda|wsaapi|smdevp|mecevp|threads|.*\.nsmap|libav[a-z]*/|libsw[a-z]*/|curl/|openssl/|libconfig|sqlite3'
internal='[a-z-]*-int\.h|onvif-soap\.h'
inc='#[[:space:]]*include[[:space:]]*[<"]'
S=$top_srcdir

# files FILE...: print "file:line:target-dir" for every quoted include,
# target-dir being where the header resolves (its own directory first,
# then the -I directory src/, as the compiler looks); "other" when it is
# in neither (a generated or system header).
resolve() {
	for f in "$@"; do
		d=$(dirname "$f")
		grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
		    sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1 \2/' |
		    while read -r line h; do
			if test -f "$d/$h"; then
				t=$(cd "$(dirname "$d/$h")" && pwd)
			elif test -f "$S/src/$h"; then
				t=$(cd "$(dirname "$S/src/$h")" && pwd)
			else
				t=other
			fi
			case $t in
			"$(cd "$S" && pwd)"/*) t=${t#"$(cd "$S" && pwd)"/} ;;
			esac
			echo "${f#"$S"/}:$line:$h -> $t"
		done
	done
}

for dir in src ui cli; do
	test -n "$(ls "$S/$dir"/*.c 2>/dev/null)"
	check "$dir/ has sources to check"
done

# the graph: src -> src; ui -> ui, src; cli -> cli, ui, src
resolve "$S"/src/*.c "$S"/src/*.h | grep -vE ' -> (src|other)$' > "$TMPD/g-src"
resolve "$S"/ui/*.c "$S"/ui/*.h | grep -vE ' -> (ui|src|other)$' > "$TMPD/g-ui"
resolve "$S"/cli/*.c "$S"/cli/*.h | grep -vE ' -> (cli|ui|src|other)$' > "$TMPD/g-cli"
for layer in src ui cli; do
	test ! -s "$TMPD/g-$layer" || sed 's/^/# /' "$TMPD/g-$layer"
done
test ! -s "$TMPD/g-src"
check "src/ (the core) includes nothing from ui/ or cli/"
test ! -s "$TMPD/g-ui"
check "ui/ includes nothing from cli/"
test ! -s "$TMPD/g-cli"
check "cli/ includes only cli/, ui/ and the core"

# the check above must see a violation when there is one
mkdir -p "$TMPD/fake/src" "$TMPD/fake/ui"
echo '#include "../ui/ui.h"' > "$TMPD/fake/src/x.c"
: > "$TMPD/fake/ui/ui.h"
(S=$TMPD/fake; resolve "$S/src/x.c") | grep -q ' -> ui$'
check "the include graph check sees src/ including ui/"

grep -nE "$inc($libs|jansson|$internal)" "$S"/ui/*.c "$S"/ui/*.h > "$TMPD/ui"
test ! -s "$TMPD/ui" || sed 's/^/# /' "$TMPD/ui"
test ! -s "$TMPD/ui"
check "ui/ includes no gSOAP/FFmpeg/curl/OpenSSL/libconfig/jansson or core-internal header"

grep -nE "$inc($libs|$internal)" "$S"/cli/*.c "$S"/cli/*.h > "$TMPD/cli"
test ! -s "$TMPD/cli" || sed 's/^/# /' "$TMPD/cli"
test ! -s "$TMPD/cli"
check "cli/ includes no gSOAP/FFmpeg/curl/OpenSSL/libconfig or core-internal header"

api="$S/src/libvigia.h $S/src/config.h $S/src/i18n.h $S/src/onvif.h \
    $S/src/plan.h $S/src/stream.h"
grep -nE "$inc($libs|jansson|$internal)" $api > "$TMPD/api"
test ! -s "$TMPD/api" || sed 's/^/# /' "$TMPD/api"
test ! -s "$TMPD/api"
check "the public API headers include no library header"

grep -nE 'struct soap|AVFormatContext|AVCodecContext|CURL[^_A-Z]|config_t|json_t' \
    $api > "$TMPD/types"
test ! -s "$TMPD/types" || sed 's/^/# /' "$TMPD/types"
test ! -s "$TMPD/types"
check "no library type crosses the public API"

grep -lE '(initscr|endwin|newterm)[[:space:]]*\(' "$S"/ui/*.c "$S"/src/*.c \
    "$S"/cli/*.c | sed 's|.*/||' > "$TMPD/init"
test "$(cat "$TMPD/init")" = "tui.c"
check "only ui/tui.c calls initscr/endwin"

# the programs (cli/) print; in the core only xmalloc.c (its last words
# on OOM) and log.c (the stderr sink) may
grep -nE '\b(printf|puts|fprintf[[:space:]]*\([[:space:]]*std(out|err))' \
    $(ls "$S"/src/*.c | grep -vE '/(xmalloc|log)\.c$') > "$TMPD/print"
test ! -s "$TMPD/print" || sed 's/^/# /' "$TMPD/print"
test ! -s "$TMPD/print"
check "core code never prints (it logs)"

done_testing
