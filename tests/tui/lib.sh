# shellcheck shell=bash
# Helpers for tests/integration/tui-*.sh: drive mtasts-tui in a private tmux
# server, inside the lab, as a person would (send-keys, capture-pane).
# Sourced, not run.  Every wait is bounded; cleanup kills only our server.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LAB="$TOP/tests/lab/lab"
SOCK="mtasts-test-$$"
TMUX_CMD=(tmux -L "$SOCK" -f /dev/null)
T_PASS=0
T_FAIL=0
TUI_TMP=$(mktemp -d)

tui_cleanup() {
	"${TMUX_CMD[@]}" kill-server >/dev/null 2>&1
	rm -rf "$TUI_TMP"
}
trap tui_cleanup EXIT

tui_require() {
	if [ "$(id -u)" != 0 ]; then
		echo "1..0 # SKIP needs root (lab)"
		exit 77
	fi
	command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }
	if ! "$LAB" status >/dev/null 2>&1; then
		echo "not ok - lab is up (run tests/lab/lab up first)"
		exit 1
	fi
	[ -x "$TOP/mtasts-tui" ] || { echo "not ok - mtasts-tui is built"; exit 1; }
}

# tui_start COLS ROWS [ENV=VALUE...] -- ARGS...: opens the TUI in session "t".
# The pane stays after the program exits so its status can be read.  The
# array TUI_WRAP, if set, is a command the TUI runs under (e.g. prlimit).
tui_start() {
	local cols=$1 rows=$2 envs=() q
	shift 2
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
	shift
	"${TMUX_CMD[@]}" kill-session -t t >/dev/null 2>&1
	rm -f "$TUI_TMP/rc"
	q=$(printf '%q ' "$LAB" exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	    TERM=screen "${envs[@]}" "${TUI_WRAP[@]}" "$TOP/mtasts-tui" \
	    --no-history "$@")
	# A shell waits for the TUI and records its exit status.  exit-empty
	# off: killing the last session above must not leave a server on its
	# way out for this command to reach ("server exited unexpectedly").
	"${TMUX_CMD[@]}" start-server \; set-option -g exit-empty off \; \
	    set-option -g remain-on-exit on \; \
	    new-session -d -s t -x "$cols" -y "$rows" -c "$TUI_TMP" \
	    "$q; echo \$? > $TUI_TMP/rc.tmp; mv $TUI_TMP/rc.tmp $TUI_TMP/rc"
}

tui_screen() { "${TMUX_CMD[@]}" capture-pane -p -t t "$@" 2>/dev/null; }
tui_keys() { "${TMUX_CMD[@]}" send-keys -t t "$@"; }
tui_resize() { "${TMUX_CMD[@]}" resize-window -t t -x "$1" -y "$2"; }
tui_pane() { "${TMUX_CMD[@]}" display-message -p -t t "$1" 2>/dev/null; }

# The lines drawn in reverse video between the header and the status line:
# the cursor of a list or the selected pane (start the TUI with NO_COLOR=1,
# where the selection is reverse video rather than a colour).
tui_selected() {
	tui_screen -e | sed '1d;$d' | grep $'\e\[[0-9;]*7m' |
	    sed $'s/\e\[[0-9;]*m//g'
}

# tui_wait_selected REGEX [SECONDS]: until the selected line matches.
tui_wait_selected() {
	local re=$1 limit=${2:-10} i
	for ((i = 0; i < limit * 20; i++)); do
		tui_selected | grep -Eq -- "$re" && return 0
		sleep 0.05
	done
	return 1
}

# tui_wait REGEX [SECONDS]: polls the screen until it matches (ERE).
tui_wait() {
	local re=$1 limit=${2:-10} i
	for ((i = 0; i < limit * 20; i++)); do
		tui_screen | grep -Eq -- "$re" && return 0
		sleep 0.05
	done
	return 1
}

# tui_wait_gone REGEX [SECONDS]: until the screen no longer matches.
tui_wait_gone() {
	local re=$1 limit=${2:-10} i
	for ((i = 0; i < limit * 20; i++)); do
		tui_screen | grep -Eq -- "$re" || return 0
		sleep 0.05
	done
	return 1
}

# The pid of mtasts-tui under the pane (lab exec may sit in between).
tui_pid() {
	local p=${1:-} kids c
	[ -z "$p" ] && p=$(tui_pane '#{pane_pid}')
	[ -z "$p" ] && return 1
	if [ "$(ps -o comm= -p "$p" 2>/dev/null)" = mtasts-tui ]; then
		echo "$p"
		return 0
	fi
	kids=$(ps -o pid= --ppid "$p" 2>/dev/null)
	for c in $kids; do
		tui_pid "$c" && return 0
	done
	return 1
}

# tui_rc [SECONDS]: the TUI's exit status, once it has exited.
tui_rc() {
	local limit=${1:-5} i
	for ((i = 0; i < limit * 20; i++)); do
		[ -f "$TUI_TMP/rc" ] && { cat "$TUI_TMP/rc"; return 0; }
		sleep 0.05
	done
	echo none
	return 1
}

# tui_wait_pid_gone PID [SECONDS]
tui_wait_pid_gone() {
	local pid=$1 limit=${2:-5} i
	for ((i = 0; i < limit * 20; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}

ok() { T_PASS=$((T_PASS + 1)); echo "ok - $*"; }
notok() {
	T_FAIL=$((T_FAIL + 1))
	echo "not ok - $*"
	tui_screen | sed 's/^/# /'
}
# check STATUS DESCRIPTION
check() { if [ "$1" = 0 ]; then ok "$2"; else notok "$2"; fi; }

finish() {
	echo "# $T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" = 0 ]
}
