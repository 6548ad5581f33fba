#!/bin/bash
# Per-MX TLS in the TUI: the MX x pattern matrix shows the STARTTLS result
# of each address of the MX under the cursor, Enter opens the address's
# certificate chain and its SMTP dialogue (banner, EHLO, transcript); the
# mx_tls layer's detail lists the same per address.
set -u
. "$(dirname "$0")/../tui/lib.sh"
tui_require

tui_start 80 24 NO_COLOR=1 -- mx-uncovered.test
tui_wait 'verdict +. FAIL' 15
check $? "mx-uncovered.test loaded"

tui_keys Home j j j Enter
tui_wait 'mx: detail' 5
check $? "Enter on the mx pane opens its detail"
tui_keys Tab Enter
tui_wait 'MX x pattern matrix' 5
check $? "Tab + Enter opens the MX x pattern matrix"
tui_wait 'TLS mx1.mx-uncovered.test 127\.0\.2\.[0-9]+: STARTTLS, TLS1\.[23]' 5
check $? "matrix: the MX under the cursor shows one TLS line per address"
tui_screen | grep -q 'certificate chain of 127\.0\.2\.'
check $? "matrix: a link to the address's certificate chain"
tui_wait_selected '^ +10 +mx1.mx-uncovered.test ' 3
check $? "matrix: the cursor starts on the first MX row"
tui_keys j
tui_wait 'MX backup.elsewhere.mx-uncovered.test, preference 20' 3
check $? "matrix: one Down from the first MX reaches the next MX"
tui_keys k
tui_wait 'MX mx1.mx-uncovered.test, preference 10' 3
# On the MX row, Enter goes to its first address's chain link.
tui_keys Enter
sleep 0.3
tui_keys Enter
tui_wait 'certificate chain of mx1.mx-uncovered.test at 127\.0\.2\.' 5
check $? "Enter opens the chain of the MX address"
s=$(tui_screen)
echo "$s" | grep -q 'subject   CN=mx1.mx-uncovered.test'
check $? "chain: the leaf's subject"
echo "$s" | grep -Eq 'SAN DNS +mx1.mx-uncovered.test +. matched'
check $? "chain: the SAN that matched the MX name is marked"
echo "$s" | grep -q 'days left' && echo "$s" | grep -q 'anchors from: '
check $? "chain: days left and where the trust anchor came from"
tui_keys Escape
tui_wait 'MX x pattern matrix' 3
check $? "Esc returns to the matrix"
tui_wait_selected 'certificate chain of 127\.0\.2\.' 3
check $? "back in the matrix, the cursor is on the link it left"
# A re-run while the chain is open: the matrix loses its TLS lines for a
# while; the cursor still comes back to the line the user left.
tui_keys Enter
tui_wait 'certificate chain of mx1.mx-uncovered.test at' 5
tui_keys r
tui_wait 'run 2' 5
tui_keys Escape
tui_wait 'MX x pattern matrix' 3 && tui_wait 'done' 15
tui_wait_selected 'certificate chain of 127\.0\.2\.' 5
check $? "after a re-run, back in the matrix on the link it left"
tui_keys Tab Enter
tui_wait 'SMTP at mx1.mx-uncovered.test 127\.0\.2\.' 5
check $? "the SMTP link opens the address's dialogue"
s=$(tui_screen)
echo "$s" | grep -Eq '^ +220 mx1.mx-uncovered.test ESMTP'
check $? "SMTP view: the banner's 220 line"
echo "$s" | grep -q 'EHLO before STARTTLS' &&
    echo "$s" | grep -q 'EHLO after STARTTLS'
check $? "SMTP view: the EHLO replies before and after STARTTLS"
tui_keys End
tui_wait '^ +[0-9]+ > STARTTLS' 3
check $? "SMTP view: End shows the transcript (> STARTTLS sent)"
tui_keys Escape Escape Escape
tui_wait '^. verdict' 3
check $? "Esc returns to the main screen"

# the mx_tls pane's detail
tui_keys Home j j j j Enter
tui_wait 'mx_tls: detail' 5
check $? "Enter on the mx_tls pane opens its detail"
tui_keys Tab
tui_wait 'STARTTLS per MX address' 3
s=$(tui_screen)
echo "$s" | grep -q 'TLS mx1.mx-uncovered.test 127\.0\.2\.[0-9]*: STARTTLS'
check $? "mx_tls detail: one line per address"
tui_keys Enter
tui_wait 'certificate chain of mx1.mx-uncovered.test' 5
check $? "mx_tls detail: Tab + Enter opens an address's chain"

tui_keys q
rc=$(tui_rc 5)
[ "$rc" != none ]
check $? "q quits (status $rc)"
finish
