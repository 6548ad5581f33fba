#!/bin/bash
# The TUI's main screen fills in inside the lab: a correct domain shows PASS
# panes and a PASS verdict, a broken one the right FAIL/WARN panes and its
# blockers; q quits, the process is gone and the exit status is the check's.
set -u
. "$(dirname "$0")/../tui/lib.sh"
tui_require

# A correct deployment.
tui_start 80 24 -- good-enforce.test
tui_wait 'verdict +. PASS' 15
check $? "good-enforce.test: the verdict bar fills in (PASS)"
s=$(tui_screen)
for l in dns fetch policy mx tlsrpt; do
	echo "$s" | grep -Eq "^. $l +. PASS"
	check $? "good-enforce.test: pane $l is PASS"
done
echo "$s" | grep -q 'history  *. SKIP'
check $? "good-enforce.test: history pane says SKIP (--no-history)"
echo "$s" | head -1 | grep -q 'good-enforce.test  resolver 127.0.53.1 .* done'
check $? "header: domain, resolver, elapsed time, done"
echo "$s" | grep -q 'v=STSv1; id=20261101T000000Z'
check $? "dns pane shows the record (engine summary line)"
echo "$s" | grep -Eq 'delivery +all mail delivered over verified TLS'
check $? "verdict bar: delivery over verified TLS"
echo "$s" | grep -Eq 'next +The enforce policy refuses nothing'
check $? "verdict bar: the next step"
echo "$s" | grep -Eq 'hygiene +nothing to fix'
check $? "verdict bar: hygiene, nothing to fix"
echo "$s" | tail -1 | grep -q 'Enter\|open.*? help.*q quit'
check $? "status line lists the keys"
pid=$(tui_pid)
[ -n "$pid" ]
check $? "the TUI process is found (pid ${pid:-none})"
tui_keys q
tui_wait_pid_gone "${pid:-0}" 5
check $? "q: the process is gone"
rc=$(tui_rc 5)
[ "$rc" = 0 ]
check $? "q: exit status 0 for a correct domain ($rc)"
tui_screen | grep -q 'verdict'
[ $? != 0 ]
check $? "q: the screen is given back (alternate screen left)"

# A broken deployment.
tui_start 80 24 -- mx-uncovered.test
tui_wait 'verdict +. FAIL' 15
check $? "mx-uncovered.test: the verdict bar says FAIL"
s=$(tui_screen)
echo "$s" | grep -Eq '^. mx +. FAIL .*1 error'
check $? "mx-uncovered.test: mx pane FAIL with 1 error"
echo "$s" | grep -q 'UNCOVERED\|mx.uncovered'
check $? "mx-uncovered.test: the uncovered MX is named"
echo "$s" | grep -Eq '^. tlsrpt +! WARN'
check $? "mx-uncovered.test: tlsrpt pane WARN"
echo "$s" | grep -Eq '^. (dns|fetch) +. PASS'
check $? "mx-uncovered.test: dns/fetch still PASS"
echo "$s" | grep -q 'blocked (b: first): mx.uncovered backup.elsewhere'
check $? "mx-uncovered.test: the blocker is listed with its host"
echo "$s" | grep -Eq 'delivery +mail delivered only through mx1.mx-uncovered.test'
check $? "mx-uncovered.test: delivery only through mx1"
echo "$s" | grep -Eq 'verdict +. FAIL +senders refuse mail'
check $? "mx-uncovered.test: the bar says senders refuse mail"
pid=$(tui_pid)
tui_keys C-c
tui_wait_pid_gone "${pid:-0}" 5
check $? "Ctrl+C: the process is gone"
rc=$(tui_rc 5)
[ "$rc" = 2 ]
check $? "exit status 2 for a domain with errors ($rc)"
left=$(tui_pid)
[ -z "$left" ]
check $? "no mtasts-tui left under the pane"

finish
