#!/bin/bash
# The auth pane on the screen, through tmux inside the lab: with --auth it is
# there with the servers that disagree and their serials; without --auth
# there is no such pane at all.
set -u
. "$(dirname "$0")/../tui/lib.sh"
tui_require
if [ ! -f "$(MTASTS_LAB_NS=${MTASTS_LAB_NS:-} "$LAB" env | sed -n 's/^MTASTS_LAB_DIR=//p')/nsd2.conf" ]; then
	echo "1..0 # SKIP the lab has no second name server (no [auth] scenario)"
	exit 77
fi

tui_start 120 45 -- --auth auth-stale.test
tui_wait 'verdict +. WARN' 20
check $? "auth-stale.test --auth: the verdict bar fills in (WARN)"
s=$(tui_screen)
echo "$s" | grep -Eq ". auth +. WARN"
check $? "--auth: the auth pane is there and warns"
echo "$s" | grep -q 'ns2.lab.test 127.0.53.6 serial 1'
check $? "--auth: the pane names the second server and its serial"
echo "$s" | grep -q 'servers disagree on 1 question'
check $? "--auth: the pane's summary line"
tui_keys q
tui_wait_pid_gone "$(tui_pid)" 5

tui_start 120 45 -- auth-stale.test
tui_wait 'verdict +. PASS' 20
check $? "auth-stale.test without --auth: the verdict bar fills in (PASS)"
s=$(tui_screen)
echo "$s" | grep -Eq ". auth +. "
check $((1 - $?)) "without --auth there is no auth pane"
echo "$s" | grep -Eq ". tlsrpt +. PASS"
check $? "without --auth the other panes are there"
tui_keys q
finish
