#!/bin/sh
# test-cli.sh - vigia and vigiad command lines: help, version, usage errors.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/lib.sh"

"$VIGIA" --help > "$TMPD/out" 2> "$TMPD/err"
check "vigia --help exits 0"
contains "$TMPD/out" '^Usage: vigia \[OPTION\]\.\.\.' "--help shows the usage line"
contains "$TMPD/out" 'config check FILE' "--help lists the config check command"
contains "$TMPD/out" '^  3  the configuration is invalid' "--help documents exit codes"
test ! -s "$TMPD/err"
check "--help writes nothing to stderr"

"$VIGIA" --version > "$TMPD/out"
check "vigia --version exits 0"
contains "$TMPD/out" '^vigia [0-9]+\.[0-9]+\.[0-9]+$' "--version starts with name and version"
contains "$TMPD/out" 'gSOAP 2\.8\.124' "--version names the gSOAP runtime"
contains "$TMPD/out" 'GPLv3\+' "--version states the licence"

"$VIGIA" --bogus > "$TMPD/out" 2> "$TMPD/err"
test $? -eq 2
check "unknown long option exits 2"
contains "$TMPD/err" "unknown option '--bogus'" "unknown long option is named"
contains "$TMPD/err" "Try 'vigia --help'" "usage error points to --help"
test ! -s "$TMPD/out"
check "usage error prints nothing on stdout"

"$VIGIA" -Z 2> "$TMPD/err"
test $? -eq 2
check "unknown short option exits 2"
contains "$TMPD/err" "unknown option '-Z'" "unknown short option is named"

"$VIGIA" --log-file 2> "$TMPD/err"
test $? -eq 2
check "missing option argument exits 2"
contains "$TMPD/err" "option '--log-file' needs an argument" "missing argument is named"

"$VIGIA" frobnicate 2> "$TMPD/err"
test $? -eq 2
check "unknown command exits 2"
contains "$TMPD/err" "unknown command 'frobnicate'" "unknown command is named"

"$VIGIA" config 2> "$TMPD/err"
test $? -eq 2
check "command group without a subcommand exits 2"
contains "$TMPD/err" 'vigia config check FILE' "the group lists its subcommands"

"$VIGIA" config check 2> "$TMPD/err"
test $? -eq 2
check "config check without FILE exits 2"
contains "$TMPD/err" "Try 'vigia config check --help'" "subcommand usage error names the subcommand"

"$VIGIA" config check --help > "$TMPD/out"
check "config check --help exits 0"
contains "$TMPD/out" '^Usage: vigia config check' "config check --help shows its usage"

"$VIGIA" < /dev/null > "$TMPD/out" 2> "$TMPD/err"
test $? -eq 2
check "the wizard without a terminal exits 2"
contains "$TMPD/err" 'needs a terminal' "and says it needs a terminal"

"$VIGIAD" --help > "$TMPD/out"
check "vigiad --help exits 0"
contains "$TMPD/out" 'HUP reloads the configuration' "vigiad --help documents signals"
"$VIGIAD" --version > "$TMPD/out"
contains "$TMPD/out" '^vigia [0-9.]+$' "vigiad --version prints the version"
"$VIGIAD" --frob 2> "$TMPD/err"
test $? -eq 2
check "vigiad unknown option exits 2"
"$VIGIAD" extra 2> "$TMPD/err"
test $? -eq 2
check "vigiad refuses stray arguments"

done_testing
