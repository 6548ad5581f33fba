#!/bin/bash
# The s key never leaves an empty or half-written report where the previous
# one was: the TUI runs with a file size limit below the report's size, so
# the kernel kills it (SIGXFSZ) in the middle of writing; the report saved
# before must be intact.  Then, without the limit, y replaces it whole.
set -u
. "$(dirname "$0")/../tui/lib.sh"
tui_require

f=$TUI_TMP/mtasts-good-testing.test.json
printf '{"previous": "report", "pad": "%01000d"}\n' 0 >"$f"
before=$(cksum <"$f")

TUI_WRAP=(prlimit --fsize=1500)
tui_start 80 24 -- good-testing.test
tui_wait '^. verdict +. (PASS|WARN)' 15
check $? "good-testing.test loaded (file size limit 1500 bytes)"
tui_keys s Enter
tui_wait 'exists. Overwrite\? \(y/n\)' 3
check $? "saving over the previous report asks first"
tui_keys y
rc=$(tui_rc 5)
[ "$rc" != none ] && [ "$rc" != 0 ]
check $? "the write past the limit kills the TUI (status $rc)"
[ "$(cksum <"$f")" = "$before" ]
check $? "the previous report is intact after the kill"
if [ "$(cksum <"$f")" != "$before" ]; then
	echo "# now $(wc -c <"$f") bytes: $(head -c 80 "$f")"
fi

TUI_WRAP=()
tui_start 80 24 -- good-testing.test
tui_wait '^. verdict +. (PASS|WARN)' 15
check $? "good-testing.test loaded again, no limit"
tui_keys s Enter
tui_wait 'exists. Overwrite\? \(y/n\)' 3 && tui_keys y &&
    tui_wait 'saved the JSON report' 5
check $? "y replaces it"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if "good-testing.test" in json.dumps(d) else 1)' \
    "$f" 2>/dev/null
check $? "the file is now the whole JSON report of the domain"
tui_keys q
tui_rc 5 >/dev/null
finish
