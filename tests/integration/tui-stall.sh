#!/bin/bash
# Input is handled while a server stalls: policy-stall.test keeps the
# fetch layer waiting about 5 s; the help must appear at once, keys must
# work, the fetch pane fills in later, and quitting does not wait.
set -u
. "$(dirname "$0")/../tui/lib.sh"
tui_require

tui_start 80 24 -- policy-stall.test
tui_wait 'mtasts-tui  policy-stall.test' 5
check $? "the first frame is there before any network answer"
t0=$(date +%s%N)
tui_keys '?'
tui_wait '^. keys' 2
ok_help=$?
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
s=$(tui_screen)
[ $ok_help = 0 ] && echo "$s" | head -1 | grep -q running
check $? "? shows the help within ${ms} ms while the fetch still runs"
tui_keys Escape
tui_wait '^. fetch +. running' 2
check $? "Esc returns; the fetch pane still shows its spinner"
tui_keys j Enter
tui_wait 'fetch: detail +. running' 2
check $? "a drill-down view opens while the layer runs"
tui_keys Escape
tui_wait '^. fetch +. FAIL' 15
check $? "the fetch pane fills in when the layer gives up (FAIL)"
tui_screen | grep -q 'fetch.timeout'
check $? "... with its timeout finding"

# Quit in the middle of a stall: no waiting for the stalled server.
tui_start 80 24 -- policy-stall.test
tui_wait '^. fetch +. running' 5
pid=$(tui_pid)
t0=$(date +%s%N)
tui_keys q
tui_rc 3 >/dev/null
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
[ "$ms" -lt 2500 ] && ! kill -0 "${pid:-0}" 2>/dev/null
check $? "q during the stall exits in ${ms} ms, process gone"

# Re-run in the middle of a stall: the old check is dropped at once.
tui_start 80 24 -- policy-stall.test
tui_wait '^. fetch +. running' 5
tui_keys r
tui_wait 'run 2' 2
check $? "r during the stall starts a new run at once"
tui_keys q
tui_rc 3 >/dev/null
finish
