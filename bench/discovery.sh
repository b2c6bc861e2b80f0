#!/bin/sh
# bench/discovery.sh - discovery of 100 simulated cameras, vigia against
# onvif-util -a (libonvif: one probe, 0.5 s of silence), in the same run
# and on the same simulated site, clean and with 10% of the probe replies
# dropped.  Not a test: it prints figures and ratios.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   sh bench/discovery.sh [BUILDDIR]        (root: it uses a network namespace)
#
# Prints, per condition: cameras found (recall), time until the last one
# was found (vigia: from its JSON found_ms; onvif-util: its wall time),
# wall time of the command, and the ratios vigia/onvif-util.
set -u
B=$(cd "${1:-build}" && pwd)
S=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-100}
RUNS=${RUNS:-5}
SIM="$B/tests/sim/vigia-sim"
[ "$(id -u)" = 0 ] || { echo "needs root (network namespace)"; exit 77; }
[ -x "$SIM" ] || { echo "missing: $SIM (vigia-sim is not built)"; exit 77; }
command -v onvif-util > /dev/null || { echo "missing: onvif-util (apt-get install onvif-tools)"; exit 77; }
command -v jq > /dev/null || { echo "missing: jq"; exit 77; }
command -v iptables > /dev/null || { echo "missing: iptables (for the 10% loss)"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

cat > "$T/inner.sh" <<INNER
set -u
ip link set lo up; ip link set lo multicast on; ip route add 239.0.0.0/8 dev lo
"$SIM" --cameras $N --base 127.0.1.1 --control "$T/ctl" --state "$T/state" \
    --cache "$B/tests/sim/cache" --motion-period 0 > "$T/sim.out" 2>&1 &
sp=\$!
while ! grep -q '^vigia-sim: ready' "$T/sim.out"; do sleep 0.1; done
for cond in clean loss10; do
	if [ \$cond = loss10 ]; then
		# replies leave the cameras from port 3702: drop 10% of them
		iptables -A OUTPUT -p udp --sport 3702 -m statistic \
		    --mode random --probability 0.10 -j DROP
	fi
	for r in \$(seq $RUNS); do
		s=\$(date +%s%N)
		"$B/src/vigia" discover -i lo --json > "$T/v.json" 2>/dev/null
		e=\$(date +%s%N)
		echo "vigia \$cond \$(jq .count "$T/v.json") \$(jq '[.cameras[].found_ms]|max' "$T/v.json") \$(((e - s) / 1000000))" >> "$T/res"
		s=\$(date +%s%N)
		timeout 30 onvif-util -a > "$T/o.txt" 2>&1
		e=\$(date +%s%N)
		echo "onvif-util \$cond \$(grep -cE '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+' "$T/o.txt") - \$(((e - s) / 1000000))" >> "$T/res"
	done
done
kill \$sp; wait \$sp
INNER
unshare -n sh "$T/inner.sh"
echo "discovery of $N simulated cameras, $RUNS runs each (mean)"
printf '%-11s %-7s %8s %14s %10s\n' client loss recall last_found_ms wall_ms
awk -v n=$N '{k=$1" "$2; c[k]++; f[k]+=$3; if ($4 != "-") l[k]+=$4; w[k]+=$5}
    END {for (k in c) {split(k, a, " ");
        printf "%-11s %-7s %7.1f%% %14s %10.0f\n", a[1], a[2], 100*f[k]/c[k]/n,
        (l[k] ? sprintf("%.0f", l[k]/c[k]) : "-"), w[k]/c[k]}}' "$T/res" | sort -k2,2 -k1,1
awk -v n=$N '{k=$1" "$2; c[k]++; f[k]+=$3; w[k]+=$5}
    END {for (cond in x) ; split("clean loss10", cs, " ");
        for (i = 1; i <= 2; i++) { v = "vigia " cs[i]; o = "onvif-util " cs[i];
        if (c[v] && c[o] && f[o] > 0) printf "%s: recall ratio vigia/onvif-util %.2f, wall ratio %.2f\n",
            cs[i], f[v]/f[o], (w[v]/c[v])/(w[o]/c[o]) }}' "$T/res"
