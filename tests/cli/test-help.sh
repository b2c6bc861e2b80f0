#!/bin/sh
# test-help.sh - every command and subcommand answers --help and -h.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The commands come from `vigia --help` itself, so a command added without
# a --help fails here.  A command with subcommands ("camera") answers too,
# with the list of its subcommands.
. "${top_srcdir:-.}/tests/lib.sh"

"$VIGIA" --help > "$TMPD/main"
check "vigia --help exits 0"
# the "Commands:" block: "  NAME [SUB] ARGS  summary", up to a blank line
sed -n '/^Commands:$/,/^$/p' "$TMPD/main" | sed '1d;/^$/d' |
    awk '{ if ($2 ~ /^[a-z][a-z-]*$/) print $1 " " $2; else print $1 }' \
    > "$TMPD/cmds"
# groups: names that come with a subcommand
awk 'NF == 2 { print $1 }' "$TMPD/cmds" | sort -u > "$TMPD/groups"
test "$(wc -l < "$TMPD/cmds")" -ge 13
check "vigia --help lists at least 13 commands ($(wc -l < "$TMPD/cmds"))"
grep -qx 'camera set-encoder' "$TMPD/cmds" && grep -qx 'probe' "$TMPD/cmds" \
    && grep -qx 'camera' "$TMPD/groups"
check "the list has commands, subcommands and groups"

cat "$TMPD/cmds" "$TMPD/groups" > "$TMPD/all"
while read -r cmd; do
	for opt in --help -h; do
		# shellcheck disable=SC2086 # $cmd is one or two words
		"$VIGIA" $cmd $opt > "$TMPD/out" 2> "$TMPD/err"
		st=$?
		test $st -eq 0 || echo "# vigia $cmd $opt: exit status $st"
		test $st -eq 0 && ! test -s "$TMPD/err" &&
		    head -1 "$TMPD/out" | grep -q "^Usage: vigia $cmd "
		st=$?
		[ $st -eq 0 ] || { sed 's/^/#   /' "$TMPD/err" "$TMPD/out" |
		    head -5; }
		(exit $st)
		check "vigia $cmd $opt: usage on stdout, nothing on stderr, exit 0"
	done
done < "$TMPD/all"

# a group's help lists every one of its subcommands
"$VIGIA" camera --help > "$TMPD/out"
for sub in $(awk '$1 == "camera" { print $2 }' "$TMPD/cmds"); do
	grep -q "^  $sub " "$TMPD/out" || echo "# missing: $sub"
done > "$TMPD/missing"
test ! -s "$TMPD/missing"
check "vigia camera --help lists every camera subcommand"

# still a usage error: no subcommand, or an unknown one
"$VIGIA" camera > "$TMPD/out" 2> "$TMPD/err"
test $? -eq 2
check "vigia camera without a subcommand exits 2"
"$VIGIA" camera --frob > "$TMPD/out" 2> "$TMPD/err"
test $? -eq 2
check "vigia camera --frob exits 2"

for opt in --help -h; do
	"$VIGIAD" $opt > "$TMPD/out" 2> "$TMPD/err"
	test $? -eq 0 && ! test -s "$TMPD/err" &&
	    grep -q '^Usage: vigiad ' "$TMPD/out"
	check "vigiad $opt: usage on stdout, exit 0"
done

done_testing
