#!/bin/sh
# bench/wizard-first-screen.sh - time from exec to the wizard's first screen.
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench/wizard-first-screen.sh [RUNS] [COLSxLINES]  (from a build dir)
#
# Runs `vigia` on a fresh pseudo-terminal RUNS times (default 30) and
# measures, from fork to the moment the first frame's key bar has been
# written, the median and the worst time; the goal is <= 100 ms.  In the
# same run it times the anchor `vigia --version` (process start, gettext
# and library initialisation, no terminal) and prints the ratio, so that
# the wizard's own cost shows.  Not a test: numbers depend on the machine.
set -u
top_builddir=${top_builddir:-$(pwd)}
VIGIA=${VIGIA:-$top_builddir/cli/vigia}
RUNS=${1:-30}
SIZE=${2:-80x24}
command -v python3 > /dev/null || { echo "bench: python3 is not installed"; exit 2; }
[ -x "$VIGIA" ] || { echo "bench: $VIGIA not built"; exit 2; }
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/vigia-bench.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT

python3 - "$VIGIA" "$RUNS" "$SIZE" "$TMPD" <<'PY'
import os, pty, signal, statistics, struct, sys, time, fcntl, termios, select

vigia, runs, size, tmpd = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
cols, lines = (int(x) for x in size.split("x"))
env = dict(os.environ, HOME=tmpd, XDG_STATE_HOME=tmpd + "/state",
           XDG_CONFIG_HOME=tmpd + "/config", LC_ALL="C.UTF-8", LANGUAGE="",
           TERM="xterm-256color")
env.pop("NO_COLOR", None)

def first_screen():
    """Seconds from fork to the first frame's key bar, on a new pty."""
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", lines, cols, 0, 0))
        os.execve(vigia, [vigia], env)
    out = b""
    t = None
    while t is None:
        r, _, _ = select.select([fd], [], [], 5)
        if not r:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        out += chunk
        if b"Step 1 of" in out and b"Quit" in out[out.find(b"Step 1 of"):]:
            t = time.perf_counter() - t0
    os.kill(pid, signal.SIGTERM)
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)
    if t is None:
        sys.exit("bench: the first screen never showed")
    return t

def version():
    """Seconds for `vigia --version` to run to its end."""
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.execve(vigia, [vigia, "--version"], env)
    os.waitpid(pid, 0)
    return time.perf_counter() - t0

first_screen()  # warm the page cache
ws = sorted(first_screen() for _ in range(runs))
vs = sorted(version() for _ in range(runs))
wm, vm = statistics.median(ws), statistics.median(vs)
print(f"wizard first screen ({size}, {runs} runs): median {wm*1000:.1f} ms, "
      f"worst {ws[-1]*1000:.1f} ms (goal: median <= 100 ms: "
      f"{'met' if wm <= 0.100 else 'NOT met'})")
print(f"anchor vigia --version:                  median {vm*1000:.1f} ms, "
      f"worst {vs[-1]*1000:.1f} ms")
print(f"ratio first screen / --version (median): {wm/vm:.2f}")
PY
