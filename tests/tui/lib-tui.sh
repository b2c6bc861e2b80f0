# tests/tui/lib-tui.sh - tmux helpers for the wizard tests (sourced).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# One tmux server per start (a server still exiting
# never races the next one), `capture-pane -p` to read the screen, and the
# terminal modes recorded after vigia exits.  Every start gets a private
# HOME and XDG directories under $TMPD, so that no draft or configuration
# lands in the real home.

command -v tmux > /dev/null || skip "tmux is not installed"
N_START=0
SOCK="$TMPD/tmux.0.sock"
tm() { tmux -S "$SOCK" "$@"; }
vg_at_exit 'for s in "$TMPD"/tmux.*.sock; do tmux -S "$s" kill-server 2>/dev/null; done'
mkdir -p "$TMPD/home" "$TMPD/state" "$TMPD/config" "$TMPD/out"
XDG_ENV="HOME=$TMPD/home XDG_STATE_HOME=$TMPD/state XDG_CONFIG_HOME=$TMPD/config"
DRAFT="$TMPD/state/vigia/draft.conf"

# wait_for PATTERN: poll the pane (up to 10 s) until PATTERN shows.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		tm capture-pane -p -t w > "$TMPD/screen" 2>/dev/null
		grep -qE -- "$1" "$TMPD/screen" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# screen never showed /$1/:"
	sed 's/^/#   |/' "$TMPD/screen"
	return 1
}

# settle: give vigia a moment to draw after keys, then read the screen.
settle() {
	sleep 0.4
	tm capture-pane -p -t w > "$TMPD/screen" 2>/dev/null
}

# screen_has PATTERN NAME: a check on the current screen.
screen_has() {
	# poll: what is checked may be drawn a moment after what was awaited
	wait_for "$1" > /dev/null || true
	contains "$TMPD/screen" "$1" "$2"
}

# start W H ENV... [-- ARG...]: run vigia in a fresh session; after it
# exits, print EXIT=status and record the terminal modes.
start() {
	w=$1 h=$2
	shift 2
	envs= args=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		envs="$envs $1"
		shift
	done
	[ "$1" = -- ] && shift
	args="$*"
	tm kill-server 2>/dev/null
	N_START=$((N_START + 1))
	SOCK="$TMPD/tmux.$N_START.sock"
	tm -f /dev/null new-session -d -s w -x "$w" -y "$h" \
	    "env $XDG_ENV $envs TERM=xterm-256color '$VIGIA' $args; echo EXIT=\$?; stty -a > '$TMPD/stty'; sleep 60"
}

# keys KEY...: tmux key names and words; text: literal text (for ';').
keys() { tm send-keys -t w "$@"; }
text() { tm send-keys -t w -l "$1"; }

# vigia_pid: the vigia process of the pane (env execs it).
vigia_pid() {
	pgrep -P "$(tm display -p -t w '#{pane_pid}')" || true
}

# sane_terminal WHAT: echo and canonical mode on, alternate screen off.
sane_terminal() {
	sleep 0.2
	grep -qE '(^| )echo( |$)' "$TMPD/stty" &&
	    grep -qE '(^| )icanon( |$)' "$TMPD/stty"
	check "$1: the terminal has echo and canonical mode"
	test "$(tm display -p -t w '#{alternate_on}')" = 0
	check "$1: the alternate screen is off"
}

# spanish_locale: set $ES_LOC and build the catalogue, or return 1.
spanish_locale() {
	command -v msgfmt > /dev/null || return 1
	ES_LOC=$(locale -a 2>/dev/null | grep -iE '^es_[A-Z]+\.utf-?8$' | head -1)
	[ -n "$ES_LOC" ] || return 1
	mkdir -p "$TMPD/locale/es/LC_MESSAGES"
	msgfmt -o "$TMPD/locale/es/LC_MESSAGES/vigia.mo" "$top_srcdir/po/es.po"
}

# mode_of FILE: its permission bits in octal.
mode_of() { stat -c %a "$1"; }

# search_ended: the discovery step's search (on the default interfaces)
# has ended, whatever it found.
search_ended() {
	wait_for 'Search done|search failed|No interface is ticked|Search cancelled|Búsqueda terminada|La búsqueda falló|No hay ninguna interfaz marcada|Búsqueda cancelada' ||
	    wait_for 'Search done|search failed|No interface is ticked|Search cancelled|Búsqueda terminada|La búsqueda falló|No hay ninguna interfaz marcada|Búsqueda cancelada'
}

# no_cameras: from the interfaces step (3) to the recorder (12) without
# cameras: let the search end, clear what it found (a simulated site of
# another test may answer), Next through select, credentials, addresses,
# time, encoder, review and check (each says it has no camera).
no_cameras() {
	keys C-n
	wait_for '(Step|Paso) 4 (of|de) 17' || return 1
	wait_for 'Search done|search failed|No interface is ticked|Search cancelled|Búsqueda terminada|La búsqueda falló|No hay ninguna interfaz marcada|Búsqueda cancelada|No camera in the list|No hay cámaras en la lista' ||
	    return 1
	keys c
	wait_for 'No camera in the list|No hay cámaras en la lista' || return 1
	for n in 5 6 7 8 9 10 11; do
		keys C-n
		wait_for "(Step|Paso) $n (of|de) 17" || return 1
	done
	keys C-n
}

# back_to_credentials: from the recorder (12) back to the credentials
# step (6) through the camera steps.
back_to_credentials() {
	for n in 11 10 9 8 7 6; do
		keys C-p
		wait_for "(Step|Paso) $n (of|de) 17" || return 1
	done
}

# back_to_site: from the credentials step (6) back to the site step (2):
# Back through select, discovery (which searches when it has not
# yet; keys wait for the search to end) and interfaces.
back_to_site() {
	for n in 5 4; do
		keys C-p
		wait_for "(Step|Paso) $n (of|de) 17" || return 1
	done
	wait_for 'Search done|search failed|No interface is ticked|Search cancelled|Búsqueda terminada|La búsqueda falló|No hay ninguna interfaz marcada|Búsqueda cancelada|No camera in the list|No hay cámaras en la lista|[0-9]+:[0-9]+ ' ||
	    return 1
	sleep 0.3
	tm capture-pane -p -t w | grep -qE 'Esc (cancels|cancela)' && { search_ended || return 1; }
	keys C-p
	wait_for '(Step|Paso) 3 (of|de) 17' || return 1
	keys C-p
	wait_for '(Step|Paso) 2 (of|de) 17'
}
