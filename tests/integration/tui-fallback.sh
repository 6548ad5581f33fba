#!/bin/bash
# Terminals without UTF-8 or colour: TERM=vt100 and LANG=C give ASCII
# symbols and lines; NO_COLOR and --no-color give no colour; hostile bytes
# from DNS are shown escaped, never sent to the terminal.
set -u
. "$(dirname "$0")/../tui/lib.sh"
tui_require

nonascii() { LC_ALL=C grep -c '[^ -~]' ; }
# An SGR sequence that sets a colour (39/49, "default colour", does not).
COLOR_RE=$'\e\\[([0-9]*;)*(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9]*)*m'

tui_start 80 24 TERM=vt100 -- good-enforce.test
tui_wait 'verdict +. PASS' 15
s=$(tui_screen)
[ "$(echo "$s" | nonascii)" = 0 ]
check $? "TERM=vt100: only ASCII on the screen"
echo "$s" | grep -Eq '^> dns +\+ PASS' && echo "$s" | grep -q '^- fetch .*-----'
check $? "TERM=vt100: ASCII marks (> + -) and lines"
tui_keys q; tui_rc 3 >/dev/null

# The Linux console: its fonts lack the check marks and the braille
# spinner, so it gets the ASCII set too.
tui_start 80 24 TERM=linux -- good-enforce.test
tui_wait 'verdict +. PASS' 15
s=$(tui_screen)
[ "$(echo "$s" | nonascii)" = 0 ] && echo "$s" | grep -Eq '^> dns +\+ PASS'
check $? "TERM=linux: ASCII symbols and lines"
tui_keys '?'
tui_wait '^- keys' 3 && tui_screen | grep -q 'the entry marked >$'
check $? "TERM=linux: the help names the mark the screen uses (>)"
tui_keys q q; tui_rc 3 >/dev/null

# A terminal that cannot move the cursor gets a clear refusal, not a
# blank screen.
tui_start 80 24 TERM=dumb -- good-enforce.test
rc=$(tui_rc 10)
# The message may have scrolled up past blank lines a dumb terminal gets:
# read the scrollback too, with wrapped lines joined.
[ "$rc" = 3 ] && tui_screen -J -S -200 | tr -d '\n' |
    grep -q 'terminal type dumb cannot move the cursor'
check $? "TERM=dumb: refused with a reason and status 3 ($rc)"

tui_start 80 24 LANG=C LC_ALL=C -- txt-bytes.test
tui_wait 'verdict +. FAIL' 15
s=$(tui_screen)
[ "$(echo "$s" | nonascii)" = 0 ]
check $? "LANG=C: only ASCII on the screen"
echo "$s" | grep -q 'id=2026\\xe91101 - INVALID'
check $? "LANG=C: the 0xE9 byte of txt-bytes.test is shown as \\xe9"
tui_keys q; tui_rc 3 >/dev/null

tui_start 80 24 -- txt-bytes.test
tui_wait 'verdict +. FAIL' 15
tui_screen | grep -q 'id=2026\\xe91101 — INVALID'
check $? "UTF-8: an invalid byte is still shown as \\xe9"
tui_screen -e | grep -Eq "$COLOR_RE"
check $? "with colour allowed, colours are used (sanity)"
tui_keys q; tui_rc 3 >/dev/null

tui_start 80 24 NO_COLOR=1 -- good-enforce.test
tui_wait 'verdict +. PASS' 15
tui_screen -e | grep -Eq "$COLOR_RE"
[ $? != 0 ]
check $? "NO_COLOR: no colour at all (attributes only)"
tui_keys q; tui_rc 3 >/dev/null

tui_start 80 24 -- --no-color good-enforce.test
tui_wait 'verdict +. PASS' 15
tui_screen -e | grep -Eq "$COLOR_RE"
[ $? != 0 ]
check $? "--no-color: no colour at all"
tui_keys q; tui_rc 3 >/dev/null

# ESC sequences in a TXT record (txt-escape.test: ESC [2J, ESC ]0;pwned BEL)
tui_start 80 24 -- txt-escape.test
tui_wait 'verdict +. FAIL' 15
s=$(tui_screen)
echo "$s" | grep -q 'id=20261101\\x1b\[2J\\x1b\]0;pwned\\x07'
check $? "ESC sequences from DNS are shown as \\x1b ... \\x07"
echo "$s" | head -1 | grep -q 'mtasts-tui  txt-escape.test'
check $? "the screen was not cleared by them (header intact)"
[ "$(tui_pane '#{pane_title}')" != pwned ]
check $? "the terminal title was not changed by them"
tui_keys Enter
tui_wait 'dns: detail' 3
tui_wait '\[1\] "v=STSv1; id=20261101"' 3 && tui_wait '\[2\] "\\x1b"' 3
check $? "dns detail: every TXT string shown on its own, escaped"
tui_keys q; tui_rc 3 >/dev/null
finish
