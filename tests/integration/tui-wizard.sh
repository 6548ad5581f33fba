#!/bin/bash
# The rollout wizard from the TUI: w runs it on the same screen, judged by
# the TUI's finished check; q in the wizard comes back to the panes.
set -u
. "$(dirname "$0")/../tui/lib.sh"
tui_require

mkdir -p "$TUI_TMP/state"
tui_start 80 24 XDG_STATE_HOME="$TUI_TMP/state" -- mx-uncovered.test
tui_wait 'verdict +. FAIL' 15
check $? "mx-uncovered.test loaded"
tui_keys w
tui_wait 'mtasts-tui wizard: mx-uncovered.test +step 1 of 7' 5
check $? "w opens the wizard's first screen (step 1 of 7)"
tui_screen | grep -Eq 'Delivery +mail delivered only through mx1'
check $? "the wizard shows the TUI's check (delivery only through mx1)"
tui_keys q
tui_wait 'the wizard was left; nothing was written' 5
check $? "q in the wizard returns to the TUI with a message"
s=$(tui_screen)
echo "$s" | grep -q '^. dns ' && echo "$s" | grep -q 'mx_tls' &&
    echo "$s" | grep -Eq 'verdict +. FAIL'
check $? "the panes are back, the verdict intact"
echo "$s" | grep -q 'step 1 of 7'
[ $? != 0 ]
check $? "nothing of the wizard is left on the screen"
echo "$s" | grep -q '  run 2'
[ $? != 0 ]
check $? "no second check was started"
tui_keys j
tui_wait '^. fetch' 3
check $? "keys work again after the wizard (j moves)"
[ ! -e "$TUI_TMP/state/mtasts-tui/rollouts/mx-uncovered.test.yaml" ]
check $? "leaving the wizard writes no plan"

tui_keys q
rc=$(tui_rc 5)
[ "$rc" != none ]
check $? "q quits (status $rc)"

# 80x24: an error longer than the line wraps above the key line, whole,
# and the line being typed stays above it.
tui_start 80 24 XDG_STATE_HOME="$TUI_TMP/state" -- good-testing.test
tui_wait 'verdict +. (PASS|WARN|FAIL)' 15
tui_keys w
tui_wait 'step 1 of 7' 5
tui_keys Enter
tui_wait 'step 2 of 7' 5
tui_keys a
tui_wait 'New pattern:' 3
tui_keys 'bad..name'
tui_wait 'New pattern: bad..name' 3
tui_screen | tail -4 | head -3 | sed 's/^ *//' | tr '\n' ' ' |
    grep -q "^New pattern: bad..name 'bad..name' is not a usable mx pattern: it has an empty label (two dots in a row) *$"
check $? "80x24 wizard: the error wraps whole under the line being typed"
tui_keys Escape
tui_wait_gone 'New pattern:' 3
check $? "80x24 wizard: Esc takes the line and its error away"
tui_keys q
tui_wait 'the wizard was left' 5
tui_keys q
tui_rc 5 >/dev/null

# w while the check still runs (an MX that never answers, cut at the
# deadline): the wizard opens by itself once the check is done.
tui_start 80 24 XDG_STATE_HOME="$TUI_TMP/state" -- --deadline 4 mx-stall.test
tui_wait 'mx-stall.test' 5
tui_keys w
tui_wait 'the wizard opens when it is done' 3
check $? "w during the check: the wizard is promised for its end"
tui_wait 'mtasts-tui wizard: mx-stall.test +step 1 of 7' 15
check $? "w during the check: the wizard opens when the check is done"
tui_keys q
tui_wait 'the wizard was left' 5
tui_keys q
tui_rc 5 >/dev/null

# w twice during the check takes the request back.
tui_start 80 24 XDG_STATE_HOME="$TUI_TMP/state" -- --deadline 4 mx-stall.test
tui_wait 'mx-stall.test' 5
tui_keys w
tui_wait 'the wizard opens when it is done' 3
tui_keys w
tui_wait 'the wizard will not open' 3
check $? "w again during the check: the wizard will not open"
tui_wait 'verdict +. (FAIL|WARN|PASS)' 15
sleep 0.5
tui_screen | grep -q 'step 1 of 7'
[ $? != 0 ]
check $? "w again: the check ends on the panes, no wizard"
tui_keys q
tui_rc 5 >/dev/null
finish
