#!/bin/bash
# Resize at any moment: 80x24 (one column of panes) to 200x60 (two
# columns) and back, on the main screen and inside a drill-down view.
set -u
. "$(dirname "$0")/../tui/lib.sh"
tui_require

tui_start 80 24 -- mx-uncovered.test
tui_wait 'verdict +. FAIL' 15
check $? "80x24: the screen is complete"
tui_screen | grep -E '^. dns ' | grep -Eqv ' (fetch|policy|mx|mx_tls|tlsrpt|history) '
check $? "80x24: one column (the dns title line holds only dns)"

tui_resize 200 60
tui_wait '^. dns .* . (mx_tls|tlsrpt|mx) ' 5
check $? "200x60: two columns of panes side by side"
s=$(tui_screen)
echo "$s" | grep -q '10 mx1.mx-uncovered.test (1 addr) covered' &&
    echo "$s" | grep -q '20 backup.elsewhere.mx-uncovered.test (1 addr) UNCOVERED'
check $? "200x60: the mx pane has room for every MX line"
[ "$(echo "$s" | head -1 | wc -L)" -le 200 ] &&
    echo "$s" | grep -Eq '^. verdict .*FAIL'
check $? "200x60: header and verdict bar span the new width"

tui_resize 80 24
tui_wait_gone '^. dns .* . (mx_tls|tlsrpt|mx) ' 5 &&
    tui_wait '^. tlsrpt' 5 && tui_wait 'mtasts-tui  mx-uncovered.test' 5
check $? "back to 80x24: one column again"
s=$(tui_screen)
echo "$s" | grep -Eq '^. verdict .*FAIL' && echo "$s" | grep -q '^. tlsrpt'
check $? "back to 80x24: every pane and the verdict bar are there"
[ "$(echo "$s" | wc -L)" -le 80 ]
check $? "back to 80x24: nothing drawn past column 80"

# Resize inside a view: the detail re-wraps and Esc still works.
tui_keys j j j Enter
tui_wait 'mx: detail' 5
tui_resize 200 60
tui_wait 'MX backup.elsewhere.mx-uncovered.test \(preference 20\) matches no mx pattern: enforce senders will not deliver to it' 5
check $? "200x60 in the mx detail: the finding message fits on one line"
tui_resize 80 24
tui_wait 'mx: detail' 5
check $? "back to 80x24 in the mx detail"
tui_keys Escape
tui_wait '^. verdict' 5
check $? "Esc after the resizes returns to the main screen"
# Several resizes in a row while the check is re-run.
tui_keys r
tui_resize 120 40
tui_resize 90 30
tui_resize 80 24
tui_wait 'run 2.*|verdict +. FAIL' 10 && tui_wait '^. verdict +. FAIL' 10
check $? "re-run during a burst of resizes ends on a complete screen"
tui_keys q
rc=$(tui_rc 5)
[ "$rc" = 2 ]
check $? "quits normally after the resizes ($rc)"
finish
