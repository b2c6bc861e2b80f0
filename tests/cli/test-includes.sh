#!/bin/sh
# test-includes.sh - the include boundary (curl's checksrc idea).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# ui/ and the public API talk only through vigia.h: no gSOAP, FFmpeg, curl,
# OpenSSL, libconfig or JSON header may be included there.
. "${top_srcdir:-.}/tests/lib.sh"

forbidden='#[[:space:]]*include[[:space:]]*[<"](stdsoap2|soapH|soapStub|wsseapi|httpda|wsaapi|smdevp|mecevp|threads|.*\.nsmap|libav[a-z]*/|libsw[a-z]*/|curl/|openssl/|libconfig|jansson|onvif-soap)'

files=$(ls "$top_srcdir"/ui/*.c "$top_srcdir"/ui/*.h 2>/dev/null)
test -n "$files"
check "ui/ has sources to check"
grep -nE "$forbidden" $files > "$TMPD/ui"
test ! -s "$TMPD/ui" || sed 's/^/# /' "$TMPD/ui"
test ! -s "$TMPD/ui"
check "ui/ includes no gSOAP/FFmpeg/curl/OpenSSL/libconfig/jansson header"

grep -nE "$forbidden" "$top_srcdir/src/vigia.h" "$top_srcdir/src/config.h" \
    "$top_srcdir/src/i18n.h" > "$TMPD/api"
test ! -s "$TMPD/api" || sed 's/^/# /' "$TMPD/api"
test ! -s "$TMPD/api"
check "the public API headers include no library header"

grep -nE 'struct soap|AVFormatContext|AVCodecContext|CURL[^_A-Z]|config_t|json_t' \
    "$top_srcdir/src/vigia.h" "$top_srcdir/src/config.h" > "$TMPD/types"
test ! -s "$TMPD/types" || sed 's/^/# /' "$TMPD/types"
test ! -s "$TMPD/types"
check "no library type crosses the public API"

grep -lE '(initscr|endwin|newterm)[[:space:]]*\(' "$top_srcdir"/ui/*.c "$top_srcdir"/src/*.c \
    | sed 's|.*/||' > "$TMPD/init"
test "$(cat "$TMPD/init")" = "tui.c"
check "only ui/tui.c calls initscr/endwin"

grep -nE '\b(printf|puts|fprintf[[:space:]]*\([[:space:]]*std(out|err))' \
    $(ls "$top_srcdir"/src/*.c | grep -vE '/(vigia|vigiad|cli-[a-z-]+|xmalloc|log)\.c$') \
    > "$TMPD/print"
test ! -s "$TMPD/print" || sed 's/^/# /' "$TMPD/print"
test ! -s "$TMPD/print"
check "core code never prints (it logs)"

done_testing
