#!/bin/bash
# The main screen uses its room (issue 12): panes get the rows that are
# free and wrap their lines before anything is cut, at 80x24, 120x40 and
# 200x60; on 80x24 the worst finding and the verdict's delivery line come
# whole, and a pane with nothing wrong gives its line to its title.
set -u
. "$(dirname "$0")/../tui/lib.sh"
tui_require
# Characters, not bytes, for sed and grep below (the rules are multibyte).
export LC_ALL=C.UTF-8

# joined: the screen with each wrapped continuation line appended to the
# line above it, so a text wrapped at any width can be searched in one piece.
joined() {
	tui_screen | awk '
	    NR > 1 && /^    +[^ ]/ && prev != "" { sub(/^ +/, ""); prev = prev " " $0; next }
	    { if (NR > 1) print prev; prev = $0 }
	    END { print prev }'
}
# Text from the right column goes away; the left half is enough at 120/200.
left() { sed -E "s/^(.{$1}).*/\1/"; }

MSG='MX backup.elsewhere.mx-uncovered.test (preference 20) matches no mx pattern: enforce senders will not deliver to it; pattern mx1.mx-uncovered.test and MX backup.elsewhere.mx-uncovered.test share the registered domain mx-uncovered.test but name different hosts'
DELIVERY='mail delivered only through mx1.mx-uncovered.test; not through backup.elsewhere.mx-uncovered.test (refused: mx.uncovered)'

for size in "80 24" "120 40" "200 60"; do
	set -- $size
	cols=$1 rows=$2
	tui_start "$cols" "$rows" -- mx-uncovered.test
	tui_wait 'verdict +. FAIL' 15
	check $? "${cols}x$rows: mx-uncovered.test loaded"
	s=$(tui_screen)
	w=$cols
	[ "$cols" -ge 120 ] && w=$(( (cols - 1) / 2 ))
	# The mx pane is in the left column; its finding comes whole.
	tui_screen | left "$w" | sed 's/ *$//' | awk '
	    /^    +[^ ]/ { sub(/^ +/, ""); cur = cur " " $0; next }
	    { print cur; cur = $0 } END { print cur }' | grep -qF -- "✘ mx.uncovered: $MSG"
	check $? "${cols}x$rows: the mx finding is shown whole, wrapped"
	joined | grep -qF -- "delivery $DELIVERY"
	check $? "${cols}x$rows: the delivery line is shown whole, wrapped"
	# Only a title line that holds a pane's first line may end short.
	echo "$s" | grep -v '^[─▸] ' | grep -q '…'
	[ $? != 0 ]
	check $? "${cols}x$rows: no content line is cut short (no ellipsis)"
	[ "$(echo "$s" | wc -L)" -le "$cols" ]
	check $? "${cols}x$rows: nothing drawn past column $cols"
	missing=
	for l in dns fetch policy mx mx_tls dane tlsrpt history; do
		echo "$s" | grep -Eq "(^| )[^ ] $l +. (PASS|WARN|FAIL|SKIP)" ||
		    missing="$missing $l"
	done
	[ -z "$missing" ]
	check $? "${cols}x$rows: every pane has its title line (missing:${missing:- none})"
	echo "$s" | grep -Eq 'hygiene +tlsrpt.missing' &&
	    echo "$s" | grep -q 'next     blocked (b: first): mx.uncovered'
	check $? "${cols}x$rows: the verdict bar keeps next and hygiene"
	tui_keys q
	tui_rc 5 >/dev/null
done

# 80x24: a pane with nothing wrong and no row of its own shows its first
# line on the title line; tlsrpt's warning is whole.
tui_start 80 24 -- mx-uncovered.test
tui_wait 'verdict +. FAIL' 15
joined | grep -qF 'tlsrpt.missing: no TXT record at _smtp._tls.mx-uncovered.test: nobody receives TLS failure reports'
check $? "80x24: the tlsrpt warning is whole"
tui_screen | grep -Eq '^. (mx_tls|dane|history) +. (PASS|SKIP) .*(mx1|skipped)'
check $? "80x24: a pane reduced to its title line shows its first line there"

# Detail views wrap long summary lines (mx_tls: the backup MX's line is
# wider than 80 columns, in the summary and in the per-address list).
tui_keys Home j j j j Enter
tui_wait 'mx_tls: detail' 5
check $? "80x24: the mx_tls detail opens"
BACKUP='backup.elsewhere.mx-uncovered.test 127.0.2.[0-9]+: STARTTLS, TLS1.3, cert valid [0-9]+ days'
joined | grep -Eq "^  $BACKUP\$"
check $? "80x24 mx_tls detail: the summary line is wrapped, not cut"
tui_keys End
tui_wait 'MX backup.elsewhere.mx-uncovered.test, preference 20' 3
joined | grep -Eq "^  TLS $BACKUP( |\$)"
check $? "80x24 mx_tls detail: the per-address TLS line is wrapped, not cut"
tui_keys Escape
tui_wait '^. verdict' 3
tui_keys q
tui_rc 5 >/dev/null

# 120x40: the rows that are free list the info findings too.
tui_start 120 40 -- mx-uncovered.test
tui_wait 'verdict +. FAIL' 15
tui_screen | grep -q 'i policy.max_age_under_week: max_age 86400'
check $? "120x40: free rows show the info findings"
tui_screen | grep -Eq '^. dns .* . mx_tls '
check $? "120x40: two columns"
tui_keys q
tui_rc 5 >/dev/null
finish
