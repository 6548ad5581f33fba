#!/bin/bash
# The TUI with --reports imaps://... (issue 16): t shows the reports read
# from the lab's Dovecot mailbox, the same count as report(1) reads there,
# and no line is written over the screen; a wrong password is one
# unreadable input in the view, not a broken screen.  TAP; 77 without
# the lab's IMAP server.
set -u
. "$(dirname "$0")/../tui/lib.sh"
tui_require
RUN=${MTASTS_LAB_DIR:-$TOP/tests/lab/run}
if [ ! -f "$RUN/dovecot/dovecot.conf" ]; then
	echo "1..0 # SKIP no IMAP server in the lab"
	exit 77
fi
dom=good-testing.test
url=imaps://reports@imap.lab.test/INBOX
pw=$RUN/dovecot/password

# What report(1) reads in the mailbox now (it has no state of its own here).
n=$("$LAB" exec env XDG_STATE_HOME="$TUI_TMP/s" "$TOP/mtasts-tui" report --json \
	--password-file "$pw" "$url" 2>/dev/null |
	python3 -c 'import json,sys;print(json.load(sys.stdin)["inputs"])' 2>/dev/null)

tui_start 100 40 XDG_STATE_HOME="$TUI_TMP/x" -- --password-file "$pw" --reports "$url" "$dom"
tui_wait 'verdict +. ' 20
check $? "$dom loaded with --reports URL"
tui_keys t
tui_wait "TLS-RPT reports for $dom" 10
check $? "t opens the reports view"
s=$(tui_screen)
echo "$s" | grep -Eq "$n (inputs|files|items)"
check $? "the view counts the mailbox's $n messages" "$(echo "$s" | head -n 8)"
! echo "$s" | grep -q "reading the mailbox"
check $? "no progress line over the screen"
tui_keys q

echo wrong >"$TUI_TMP/bad"
tui_start 100 40 XDG_STATE_HOME="$TUI_TMP/x" -- --password-file "$TUI_TMP/bad" --reports "$url" "$dom"
tui_wait 'verdict +. ' 20
check $? "$dom loaded with a wrong IMAP password"
tui_keys t
tui_wait "TLS-RPT reports for $dom" 10
s=$(tui_screen)
! echo "$s" | grep -q "login denied"
check $? "no error line written over the screen" "$(echo "$s" | grep 'login denied')"
echo "$s" | grep -Eq "1 (unreadable|input without)"
check $? "the mailbox counts as one unreadable input" "$(echo "$s" | head -n 8)"
tui_keys q
finish
