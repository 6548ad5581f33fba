#!/bin/bash
# The screen's --watch at 80x24, through tmux, against a private lab whose
# zone and policy change between two runs (NSD reloads its zone file,
# nginx serves the new policy file; the TUI asks NSD directly, as in
# watch.sh): the countdown in the header counts down, the next run starts
# by itself, the panes that changed carry "~N changed" and "~" on the
# changed lines, c lists the changes and closes again, and a run with
# nothing new says "no change".  TAP; exit 77 without root or tmux.
set -u
# shellcheck source=tests/tui/lib.sh
. "$(dirname "$0")/../tui/lib.sh"

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root (lab)"
	exit 77
fi
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }

# A private lab (its own namespace, run and scenario directories), torn
# down on exit together with our tmux server.
export MTASTS_LAB_NS="${MTASTS_LAB_NS:-mtasts-lab}-tw"
MTASTS_LAB_DIR=$(mktemp -d /tmp/mtasts-tw-lab.XXXXXX)
chmod 755 "$MTASTS_LAB_DIR"
export MTASTS_LAB_DIR
export MTASTS_LAB_SCENARIOS=$MTASTS_LAB_DIR/scenarios
mkdir -p "$MTASTS_LAB_SCENARIOS"
watch_cleanup() {
	tui_cleanup
	"$LAB" down >/dev/null 2>&1
	rm -rf "$MTASTS_LAB_DIR"
}
trap watch_cleanup EXIT
trap 'exit 130' INT TERM

dom=wat.test
ID0=20261101T000000Z
ID1=20261203T060000Z
AUTH=127.0.53.2 # NSD in the lab (tests/lab/README.md)
# shellcheck source=tests/lab/watch-scenario.sh
. "$(dirname "$0")/../lab/watch-scenario.sh"
watch_scenario "$dom" "$ID0" "tui-watch: a correct enforce domain that changes between runs"
if ! "$LAB" up >"$TUI_TMP/lab-up.log" 2>&1; then
	echo "not ok - private lab up"
	sed 's/^/# /' "$TUI_TMP/lab-up.log" | tail -20
	exit 1
fi
tui_require
zone=$MTASTS_LAB_DIR/zones/$dom.zone
body=$MTASTS_LAB_DIR/www/mta-sts.$dom.body

tui_start 80 24 -- --resolver $AUTH --watch=5 $dom
tui_wait '^. verdict +. PASS' 15
check $? "the first run is shown"
# 80 columns leave the countdown little room: "next 5s", or just "5s".
tui_wait '^ mtasts-tui .* [1-5]s$' 5
check $? "the header counts down to the next run"
a=$(tui_screen | sed -n '1s/.* \([0-9]*\)s$/\1/p')
sleep 1.2
b=$(tui_screen | sed -n '1s/.* \([0-9]*\)s$/\1/p')
test -n "$a" && test -n "$b" && test "$b" -lt "$a"
check $? "... second by second ($a s, then $b s)"
tui_screen | tail -1 | grep -q 'c changes'
check $? "the key line names c"

# The operator publishes a new id and a testing policy.
sed -i "s/id=$ID0/id=$ID1/" "$zone"
printf 'version: STSv1\nmode: testing\nmx: mx1.%s\nmax_age: 86400\n' "$dom" >"$body.new"
mv "$body.new" "$body"
kill -HUP "$(cat "$MTASTS_LAB_DIR/nsd/nsd.pid")"

tui_wait '^ mtasts-tui .* run 2' 15
check $? "the next run starts by itself"
tui_wait '^. dns .*~1 changed' 5
check $? "the dns pane's title: ~1 changed"
tui_screen | grep -Eq "^~ +v=STSv1; id=$ID1"
check $? "the changed TXT line is marked ~ in the margin"
tui_screen | grep -Eq '^─ policy .*~[0-9]+ changed'
check $? "the policy pane's title is marked"
tui_screen | grep -Eq '^~ +mode testing'
check $? "the policy line with the new mode is marked ~"
tui_screen | grep -Eq '^─ (mx|fetch|mx_tls) .*changed'
[ $? != 0 ]
check $? "panes that did not change carry no mark"

tui_keys c
tui_wait '^. changes since run [0-9]+ \([0-9]+\)' 3
check $? "c opens the list of changes"
s=$(tui_screen)
echo "$s" | grep -q "id _mta-sts.$dom: $ID0 -> $ID1"
check $? "... the id change"
echo "$s" | grep -q "policy mode: enforce -> testing"
check $? "... the mode"
echo "$s" | grep -q "policy max_age: 604800 -> 86400"
check $? "... the max_age"
tui_keys c
tui_wait '^. verdict' 3
check $? "c again closes it"

# Nothing changes before the run after: no marks any more, and c says so.
tui_wait '^ mtasts-tui .* run 3' 15 && tui_wait '^. verdict +. PASS' 10
check $? "the third run"
tui_screen | grep -Eq '~[0-9]+ changed|^~ '
[ $? != 0 ]
check $? "... nothing changed: the marks are gone"
tui_keys c
tui_wait '^. changes since run 2 \(0\)' 3 && tui_wait '^ *no change' 1
check $? "... and c says no change"
tui_keys Escape
tui_wait '^. verdict' 3
check $? "Esc closes the list"

tui_keys q
rc=$(tui_rc 5)
test "$rc" = 0
check $? "q quits (exit $rc)"
finish
