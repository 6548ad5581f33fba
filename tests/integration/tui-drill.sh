#!/bin/bash
# Drill-down: a layer's detail with findings, the certificate chain of the
# policy host, the MX x pattern matrix, the raw policy body, and back with
# Esc; b jumps to the first blocker.
set -u
. "$(dirname "$0")/../tui/lib.sh"
tui_require

tui_start 80 24 -- mx-uncovered.test
tui_wait 'verdict +. FAIL' 15
check $? "mx-uncovered.test loaded"

# fetch pane -> detail -> certificate chain
tui_keys j Enter
tui_wait 'fetch: detail' 5
check $? "Enter on the fetch pane opens its detail"
tui_keys Tab Enter
tui_wait 'certificate chain of mta-sts.mx-uncovered.test' 5
check $? "Tab + Enter opens the policy host's certificate chain"
s=$(tui_screen)
echo "$s" | grep -q '^#0 leaf'
check $? "chain: the leaf is entry #0"
echo "$s" | grep -Eq 'SAN DNS +mta-sts.mx-uncovered.test +. matched'
check $? "chain: the SAN that matched is marked"
echo "$s" | grep -q 'days left' && echo "$s" | grep -q 'sha256 ' &&
    echo "$s" | grep -q 'key  *ECDSA P-256, signature'
check $? "chain: validity with days left, key, signature, fingerprint"
echo "$s" | grep -q 'anchors from: system trust store'
check $? "chain: where the trust anchor came from"
tui_keys PgDn PgDn
tui_wait '^#1 CA' 3
check $? "chain: PgDn scrolls to the intermediate (#1 CA)"
tui_keys Escape
tui_wait 'fetch: detail' 3
check $? "Esc returns to the fetch detail"
tui_keys Escape
tui_wait '^. verdict' 3
check $? "Esc again returns to the main screen"

# mx pane -> detail -> matrix
tui_keys Home j j j Enter
tui_wait 'mx: detail' 5
check $? "Enter on the mx pane opens its detail"
s=$(tui_screen)
echo "$s" | grep -q 'error   mx.uncovered  \[MX-1'
check $? "mx detail: finding with severity, code and rule ids"
echo "$s" | grep -q 'fix: Add "mx: backup.elsewhere'
check $? "mx detail: the fix is shown"
tui_keys Tab Enter
tui_wait 'MX x pattern matrix' 5
check $? "Tab + Enter opens the MX x pattern matrix"
s=$(tui_screen)
echo "$s" | grep -Eq '^ +10 +mx1.mx-uncovered.test +. +covered'
check $? "matrix: mx1 covered by P1"
echo "$s" | grep -Eq '^ +20 +backup.elsewhere.mx-uncovered.test +. +UNCOVERED'
check $? "matrix: the backup MX is UNCOVERED"
tui_keys j
tui_wait 'MX backup.elsewhere.mx-uncovered.test, preference 20' 3
check $? "matrix: moving to the backup MX shows its details"
tui_screen | grep -q 'P1 mx1.mx-uncovered.test: no match'
check $? "matrix: why the pattern does not match, per pattern"
tui_keys BSpace
tui_wait 'mx: detail' 3
check $? "Backspace returns to the mx detail"
tui_keys Escape
tui_wait '^. verdict' 3
check $? "and Esc to the main screen"

# policy pane -> raw body with invisible characters
tui_keys Home j j Enter
tui_wait 'policy: detail' 5
tui_keys Tab Enter
tui_wait 'policy body: [0-9]+ bytes' 5
check $? "the policy body view opens"
tui_screen | grep -Eq '^ +1\* version: STSv1␊'
check $? "policy body: line numbers, used-line mark and LF made visible"
tui_keys Escape Escape
tui_wait '^. verdict' 3

# b: first blocker
tui_keys b
tui_wait 'mx: detail' 5
check $? "b opens the layer of the first blocker"
tui_keys Escape
tui_wait '^. verdict' 3
check $? "Esc from there returns to the main screen"
tui_keys q
finish
