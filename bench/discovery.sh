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
# Prints, per condition: cameras found (recall, and the fewest in one
# run), time until the last one was found (vigia: from its JSON found_ms;
# onvif-util reports no times, so only its wall time), wall time of the
# command (mean and slowest run), how many probe replies the 10% loss
# dropped, and the ratios vigia/onvif-util.
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
i=0
while ! grep -q '^vigia-sim: ready' "$T/sim.out"; do
	i=\$((i + 1))
	if [ \$i -gt 600 ] || ! kill -0 \$sp 2> /dev/null; then
		echo "vigia-sim did not start:"; tail -20 "$T/sim.out"
		kill \$sp 2> /dev/null; exit 1
	fi
	sleep 0.1
done
for cond in clean loss10; do
	if [ \$cond = loss10 ]; then
		# each camera answers a Probe from its own address and an
		# ephemeral port, so the replies are told by their content:
		# count every ProbeMatches, drop 10% of them
		iptables -A OUTPUT -p udp -m string --algo bm \
		    --string ProbeMatches
		iptables -A OUTPUT -p udp -m string --algo bm \
		    --string ProbeMatches -m statistic --mode random \
		    --probability 0.10 -j DROP
	fi
	for r in \$(seq $RUNS); do
		s=\$(date +%s%N)
		"$B/cli/vigia" discover -i lo --json > "$T/v.json" 2>/dev/null
		e=\$(date +%s%N)
		echo "vigia \$cond \$(jq .count "$T/v.json") \$(jq '[.cameras[].found_ms]|max' "$T/v.json") \$(((e - s) / 1000000))" >> "$T/res"
		s=\$(date +%s%N)
		timeout 30 onvif-util -a > "$T/o.txt" 2>&1
		e=\$(date +%s%N)
		echo "onvif-util \$cond \$(grep -cE '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+' "$T/o.txt") - \$(((e - s) / 1000000))" >> "$T/res"
	done
done
iptables -L OUTPUT -n -v -x | awk '/ProbeMatches/ {p[n++] = \$1}
    END {if (n == 2) printf "%d %d\\n", p[0], p[1]}' > "$T/drops"
kill \$sp; wait \$sp
INNER
unshare -n sh "$T/inner.sh" || exit 1
echo "discovery of $N simulated cameras, $RUNS runs each (mean)"
printf '%-11s %-7s %8s %9s %14s %10s %9s\n' client loss recall min_found \
    last_found_ms wall_ms wall_max
awk -v n=$N '{k=$1" "$2; c[k]++; f[k]+=$3; if ($4 != "-") l[k]+=$4; w[k]+=$5
        if (!(k in mf) || $3 < mf[k]) mf[k] = $3; if ($5 > mw[k]) mw[k] = $5}
    END {for (k in c) {split(k, a, " ");
        printf "%-11s %-7s %7.1f%% %9d %14s %10.0f %9d\n", a[1], a[2],
        100*f[k]/c[k]/n, mf[k], (l[k] ? sprintf("%.0f", l[k]/c[k]) : "-"),
        w[k]/c[k], mw[k]}}' "$T/res" | sort -k2,2 -k1,1
read seen dropped < "$T/drops" &&
    echo "loss10: $dropped of $seen probe replies dropped" \
    "($(awk -v s="$seen" -v d="$dropped" 'BEGIN {printf "%.1f", s ? 100 * d / s : 0}')%)"
# onvif-util has found its cameras only when it returns: its wall time
# stands beside vigia's last camera found
awk '{k=$1" "$2; c[k]++; f[k]+=$3; if ($4 != "-") l[k]+=$4; w[k]+=$5}
    END {split("clean loss10", cs, " ");
        for (i = 1; i <= 2; i++) { v = "vigia " cs[i]; o = "onvif-util " cs[i];
        if (c[v] && c[o] && f[o] > 0) printf "%s: vigia/onvif-util: recall %.2f, time to last camera found %.2f, wall %.2f\n",
            cs[i], f[v]/f[o], (l[v]/c[v])/(w[o]/c[o]), (w[v]/c[v])/(w[o]/c[o]) }}' "$T/res"
