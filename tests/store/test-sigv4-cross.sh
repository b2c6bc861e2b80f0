#!/bin/sh
# tests/store/test-sigv4-cross.sh - vigia's presigned S3 URLs against the
# AWS SDK for JavaScript's (@aws-sdk/s3-request-presigner), an independent
# implementation, for the same few hundred generated cases: keys of
# printable ASCII, '/', '+', '=', '&', '?', '#', '%', spaces and UTF-8 of
# 2 to 4 bytes; path-style and virtual-hosted; ports, IPv6, session tokens;
# any expiry and signing time.  The host and path must be equal byte for
# byte and the query parameters (signature included) equal as a set.  A
# run with a wrong secret on the SDK's side must disagree everywhere.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
command -v node >/dev/null 2>&1 || skip "node missing"
command -v npm >/dev/null 2>&1 || skip "npm missing"
SDK_VERSION=3.1178.0
NODE_DIR="$top_builddir/tests/node/aws-sdk"
JS="$top_srcdir/tests/store/sigv4-presign.mjs"
TOOL="$top_builddir/tests/unit/test-store-sigv4"
N=${VG_SIGV4_CASES:-400}
SEED=${VG_SIGV4_SEED:-20261206}

if [ ! -d "$NODE_DIR/node_modules/@aws-sdk/s3-request-presigner" ]; then
	mkdir -p "$NODE_DIR"
	timeout 300 npm install --silent --no-audit --no-fund \
	    --prefix "$NODE_DIR" "@aws-sdk/client-s3@$SDK_VERSION" \
	    "@aws-sdk/s3-request-presigner@$SDK_VERSION" \
	    >"$TMPD/npm.log" 2>&1
	check "npm install @aws-sdk/client-s3 and s3-request-presigner" ||
	    { sed 's/^/# /' "$TMPD/npm.log"; done_testing; }
fi

node "$JS" gen "$SEED" "$N" >"$TMPD/cases.tsv"
check "generated cases (seed $SEED)"
[ "$(wc -l <"$TMPD/cases.tsv")" -eq "$N" ]
check "$N cases"

"$TOOL" --presign "$TMPD/cases.tsv" >"$TMPD/ours.txt"
check "vigia presigned every case"
grep -n '^ERROR' "$TMPD/ours.txt" >"$TMPD/refused"
test ! -s "$TMPD/refused" || sed 's/^/# /' "$TMPD/refused" | head -5
test ! -s "$TMPD/refused"
check "vigia refused none of them"

# The SDK warns about old node versions on stderr; keep it for failures.
node "$JS" sign "$NODE_DIR/node_modules" "$TMPD/cases.tsv" \
    >"$TMPD/sdk.txt" 2>"$TMPD/sdk.err"
check "the SDK presigned every case" || sed 's/^/# /' "$TMPD/sdk.err"

# Host and path as they are, then the parameters sorted.
norm() {
	awk '{
		i = index($0, "?")
		base = substr($0, 1, i - 1)
		n = split(substr($0, i + 1), q, "&")
		for (a = 2; a <= n; a++)	# insertion sort, n is small
			for (b = a; b > 1 && q[b - 1] > q[b]; b--) {
				t = q[b]; q[b] = q[b - 1]; q[b - 1] = t
			}
		s = base " ?"
		for (a = 1; a <= n; a++)
			s = s " " q[a]
		print s
	}' "$1"
}
norm "$TMPD/ours.txt" >"$TMPD/ours.n"
norm "$TMPD/sdk.txt" >"$TMPD/sdk.n"
[ "$(wc -l <"$TMPD/sdk.n")" -eq "$N" ]
check "the SDK made $N URLs"
paste -d '\n' "$TMPD/cases.tsv" "$TMPD/sdk.n" "$TMPD/ours.n" |
    awk 'NR % 3 == 1 { c = $0 } NR % 3 == 2 { s = $0 }
	NR % 3 == 0 && s != $0 { if (++bad <= 5) {
		print "# case: " c; print "# SDK:   " s; print "# vigia: " $0 } }
	END { if (bad) { print "# " bad " cases differ"; exit 1 } }'
check "all $N URLs agree with the AWS SDK (host, path, every parameter)"
grep -c 'X-Amz-Security-Token=' "$TMPD/ours.txt" >"$TMPD/tokens"
[ "$(cat "$TMPD/tokens")" -gt 0 ] && grep -q '/.*%E3%82%AB' "$TMPD/ours.txt" &&
    grep -q '^https://[a-z.-]*\.minio' "$TMPD/ours.txt" &&
    grep -q '^http://\[::1\]:9000/' "$TMPD/ours.txt"
check "the cases cover tokens, UTF-8, virtual-hosted and IPv6"

# The comparison can fail: another secret changes every signature.
node "$JS" sign "$NODE_DIR/node_modules" "$TMPD/cases.tsv" \
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ' >"$TMPD/wrong.txt" \
    2>/dev/null
norm "$TMPD/wrong.txt" >"$TMPD/wrong.n"
[ "$(paste -d '\n' "$TMPD/wrong.n" "$TMPD/ours.n" |
    awk 'NR % 2 == 1 { s = $0 } NR % 2 == 0 && s == $0 { n++ }
	END { print n + 0 }')" -eq 0 ]
check "with another secret no URL agrees"

done_testing
