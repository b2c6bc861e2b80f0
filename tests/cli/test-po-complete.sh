#!/bin/sh
# test-po-complete.sh - po/es.po translates every string the sources have.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"

command -v xgettext > /dev/null || skip "xgettext (gettext) is not installed"

# Extract the current strings exactly as po/Makevars does.
files=$(grep -v '^#' "$top_srcdir/po/POTFILES.in" | sed "s|^|$top_srcdir/|")
xgettext --keyword=_ --keyword=N_ --keyword=P_:1,2 --from-code=UTF-8 \
    --add-comments=TRANSLATORS: --language=C -o "$TMPD/vigia.pot" $files
check "xgettext extracts the sources listed in POTFILES.in"

msgcmp "$top_srcdir/po/es.po" "$TMPD/vigia.pot" 2> "$TMPD/cmp"
st=$?
[ $st -eq 0 ] || sed 's/^/# /' "$TMPD/cmp" | head -20
(exit $st)
check "es.po has every msgid the sources use"

LC_ALL=C msgfmt --statistics -o /dev/null "$top_srcdir/po/es.po" 2> "$TMPD/stat"
contains "$TMPD/stat" '^[0-9]+ translated messages\.$' "es.po has no fuzzy or untranslated entries"

# Every C file with _() or N_() must be listed in POTFILES.in.
for f in $(grep -lE '\b(N?_|P_)\("' "$top_srcdir"/src/*.c "$top_srcdir"/ui/*.c \
    "$top_srcdir"/cli/*.c); do
	rel=${f#"$top_srcdir"/}
	grep -qx "$rel" "$top_srcdir/po/POTFILES.in" || echo "# not in POTFILES.in: $rel"
done > "$TMPD/missing"
cat "$TMPD/missing"
test ! -s "$TMPD/missing"
check "POTFILES.in lists every file with translatable strings"

done_testing
