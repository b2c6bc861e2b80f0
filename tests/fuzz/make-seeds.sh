#!/bin/sh
# make-seeds.sh - build the seed corpus of fuzz-onvif-reply from the
# recorded replies in tests/fixtures/onvif.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: make-seeds.sh FUZZ-ONVIF-REPLY FIXTURES OUTDIR
#
# For each call sequence of the target (its first input byte) and each
# dialect, the target runs with FUZZ_TRACE set: it prints the operation
# of every connection; the reply the loopback stub would give for it
# (DIALECT/<segment>-<Op>.xml, DIALECT/<Op>.xml, then the same in spec/,
# else an ActionNotSupported fault) is appended, NUL-separated, and the
# target runs again, until it asks for nothing more.
set -e
bin=$1
fix=$2
out=$3
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fault='<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error"><env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value><env:Subcode><env:Value>ter:ActionNotSupported</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">Optional Action Not Implemented</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>'

# reply DIALECT SEGMENT OP: the recorded reply, placeholders filled
reply() {
	for f in "$fix/$1/$2-$3.xml" "$fix/$1/$3.xml" "$fix/spec/$2-$3.xml" \
	    "$fix/spec/$3.xml"; do
		if [ -f "$f" ]; then
			sed -e 's/{PORT}/80/g' -e 's/{RELATES}/uuid:1/g' \
			    -e 's/{Y}/2026/g' -e 's/{M}/12/g' -e 's/{D}/6/g' \
			    -e 's/{h}/4/g' -e 's/{m}/30/g' -e 's/{s}/0/g' \
			    -e 's/{MM}/12/g' -e 's/{DD}/06/g' -e 's/{hh}/04/g' \
			    -e 's/{mm}/30/g' -e 's/{ss}/00/g' "$f"
			return
		fi
	done
	printf '%s' "$fault"
}

for sel in 0 1 2 3 4 5 6 7; do
	for d in spec soap11 hik factory faults hostile nohost nat elsewhere \
	    truncated wrongel media2fail html200 notonvif; do
		seed="$tmp/seed"
		printf "\\$(printf '%03o' "$sel")" > "$seed"
		k=0
		while [ $k -lt 40 ]; do
			FUZZ_TRACE=1 "$bin" "$seed" 2>&1 | sed -n 's/^TRACE //p' > "$tmp/trace"
			line=$(sed -n "$((k + 1))p" "$tmp/trace")
			[ -n "$line" ] || break
			[ $k -eq 0 ] || printf '\000' >> "$seed"
			reply "$d" ${line% *} ${line#* } >> "$seed"
			k=$((k + 1))
		done
		cp "$seed" "$out/seq$sel-$d"
	done
done
echo "make-seeds: $(ls "$out" | wc -l) seeds in $out"
