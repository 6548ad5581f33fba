#!/bin/bash
# The keys: ? help, r re-run, / and Ctrl+L for another domain (with the
# error shown in the prompt line), s save (default name, never overwrite
# without asking), w, and the status line per view.
set -u
. "$(dirname "$0")/../tui/lib.sh"
tui_require

tui_start 80 24 -- good-testing.test
tui_wait '^. verdict +. (PASS|WARN)' 15
check $? "good-testing.test loaded"

tui_keys '?'
tui_wait '^. keys' 3
s=$(tui_screen)
echo "$s" | sed -n 2p | grep -Eq '^─ keys ─+ 1/[0-9]+ ─$'
check $? "? the scroll position stands on the title line"
echo "$s" | sed '1,2d;$d' | grep -Eq ' [0-9]+/[0-9]+ *$'
[ $? != 0 ]
check $? "? the scroll position covers no entry"
echo "$s" | grep -q 'the entry marked ▸$'
check $? "? the help names the mark the screen uses (▸)"
for k in 'Esc Backspace' 'r  ' '/ Ctrl+L' '  s  ' '  w  ' 'PgUp PgDn' 'Tab Shift+Tab' 'b  '; do
	echo "$s" | grep -q -- "$k"
	check $? "? lists the key(s) '$k'"
done
# The rest of the list is below, on 24 rows: page down through it.
s=
for page in 1 2 3; do
	tui_keys PgDn
	sleep 0.3
	s="$s
$(tui_screen)"
done
for k in '  p  ' '  t  ' 'q Ctrl+C'; do
	echo "$s" | grep -q -- "$k"
	check $? "? lists the key(s) '$k' (PgDn)"
done
# The wizard's keys close the list, from the table its view binds.
tui_keys End
sleep 0.3
s=$(tui_screen)
echo "$s" | grep -Eq '^ +q +leave the wizard; nothing is written'
check $? "? lists the wizard's keys (End)"
tui_keys Home
echo "$s" | tail -1 | grep -q 'close help'
check $? "the status line changes with the view"
tui_keys '?'
tui_wait '^. verdict' 3
check $? "? again closes the help"

tui_keys r
tui_wait 'run 2' 5 && tui_wait '^. verdict +. (PASS|WARN)' 15
check $? "r re-runs the check (header says run 2, verdict again)"

tui_keys /
tui_wait 'Domain:' 3
check $? "/ opens the domain prompt"
tui_keys 'bad_name!' Enter
tui_wait 'Domain: bad_name! .*[a-z]' 3
check $? "an invalid name is refused with the error in the prompt line"
tui_screen | tail -1 | sed 's/^/# prompt: /'
tui_keys Escape
tui_wait_gone 'Domain:' 3
check $? "Esc cancels the prompt"
tui_keys C-l
tui_wait 'Domain:' 3
check $? "Ctrl+L opens the domain prompt too"
tui_keys 'mx-uncovered.test' Enter
tui_wait 'mtasts-tui  mx-uncovered.test' 5 && tui_wait '^. verdict +. FAIL' 15
check $? "a valid name checks the new domain"

tui_keys s
tui_wait 'Save JSON report to: ./mtasts-mx-uncovered.test.json' 3
check $? "s proposes ./mtasts-DOMAIN.json"
tui_keys Enter
tui_wait 'saved the JSON report' 5
check $? "Enter saves it"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if "mx-uncovered.test" in json.dumps(d) else 1)' \
    "$TUI_TMP/mtasts-mx-uncovered.test.json" 2>/dev/null
check $? "the file is the JSON report of the domain"
before=$(cksum < "$TUI_TMP/mtasts-mx-uncovered.test.json")
echo '{"keep": true}' > "$TUI_TMP/mtasts-mx-uncovered.test.json"
tui_keys s Enter
tui_wait 'exists. Overwrite\? \(y/n\)' 3
check $? "saving over an existing file asks first"
tui_keys n
tui_wait 'not saved' 3 && grep -q keep "$TUI_TMP/mtasts-mx-uncovered.test.json"
check $? "n keeps the existing file"
tui_keys s Enter y
tui_wait 'saved the JSON report' 5 && [ "$(cksum < "$TUI_TMP/mtasts-mx-uncovered.test.json")" = "$before" ]
check $? "y overwrites it"

tui_keys w
tui_wait 'step 1 of 7' 5
check $? "w opens the wizard"
tui_keys q
tui_wait 'the wizard was left' 5
check $? "q in the wizard comes back to the TUI"
tui_keys q
rc=$(tui_rc 5)
[ "$rc" != none ]
check $? "q quits ($rc)"
finish
