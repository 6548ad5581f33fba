#!/bin/bash
# A scan's record on the domain screen (mtasts-tui --from-json FILE): the
# panes show the lines the document stored, the verdict bar its verdict;
# the MX x pattern matrix and the certificate chains open from the stored
# data; r checks the domain live against the lab; a hostile file is
# refused before the screen starts.  At 80x24 (a check --json document)
# and 160x50 (a line of a real scan).
set -u
. "$(dirname "$0")/../tui/lib.sh"
tui_require

bin=$TOP/mtasts-tui
doc=$TUI_TMP/mx-uncovered.json
"$LAB" exec "$bin" check --json --no-history mx-uncovered.test >"$TUI_TMP/live.json"
# A marker in the stored lines: the pane must show what the scan saw, not
# something recomputed from the data.
python3 - "$TUI_TMP/live.json" "$doc" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["layers"][0]["summary"][0] = "STORED LINE " + d["layers"][0]["summary"][0]
json.dump(d, open(sys.argv[2], "w"), indent=2)
PY
# mx1's address as the lab handed it out (addresses shift when scenarios
# are added: tests/lab/README.md), from the stored document itself.
mx1=$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
mx = [l for l in d["layers"] if l["id"] == "mx"][0]["data"]
h = [h for h in mx["hosts"] if h["name"].startswith("mx1.")][0]
print(h["addresses"][0] if isinstance(h["addresses"][0], str) else h["addresses"][0]["address"])' "$doc")
when=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["checked_at"]; print(t[:10] + " " + t[11:16] + " UTC")' "$doc")

tui_start 80 24 -- --from-json "$doc"
tui_wait 'verdict +. FAIL' 10
check $? "80x24: the stored check opens with its verdict"
s=$(tui_screen)
echo "$s" | head -1 | grep -q "mx-uncovered.test  scan data of $when"
check $? "80x24: the header says it is scan data, with its time ($when)"
echo "$s" | grep -q 'STORED LINE v=STSv1; id='
check $? "80x24: the dns pane shows the stored line"
echo "$s" | grep -q 'mx.uncovered: MX backup.elsewhere.mx-uncovered.test'
check $? "80x24: the mx pane shows the stored finding"

tui_keys j j j Enter
tui_wait 'mx: detail' 5
check $? "Enter on the mx pane opens its detail"
tui_keys Tab Enter
tui_wait 'MX x pattern matrix' 5
check $? "Tab + Enter opens the MX x pattern matrix from the stored data"
s=$(tui_screen)
echo "$s" | grep -Eq '^ +10 +mx1.mx-uncovered.test +. +covered'
check $? "matrix: mx1 covered by P1"
echo "$s" | grep -Eq '^ +20 +backup.elsewhere.mx-uncovered.test +. +UNCOVERED'
check $? "matrix: the backup MX is UNCOVERED"
echo "$s" | grep -qF "address $mx1"
check $? "matrix: the stored address of the MX"
tui_keys Escape Escape
tui_wait '^. verdict' 3
check $? "Esc twice returns to the panes"

tui_keys j Enter
tui_wait 'mx_tls: detail' 5
check $? "Enter on the mx_tls pane opens its detail"
tui_keys Tab Enter
tui_wait "certificate chain of mx1.mx-uncovered.test at $mx1" 5
check $? "Tab + Enter opens the stored chain of mx1's address"
s=$(tui_screen)
echo "$s" | grep -q '^#0 leaf'
check $? "chain: the leaf is entry #0"
echo "$s" | grep -Eq 'SAN DNS +mx1.mx-uncovered.test +. matched'
check $? "chain: the SAN that matched is marked"
echo "$s" | grep -q 'days left' && echo "$s" | grep -q 'key  *ECDSA P-256'
check $? "chain: validity and key from the stored certificate"
tui_keys Escape Escape
tui_wait '^. verdict' 3

# dane: its TLSA matching needs the certificates themselves, not stored.
tui_keys j Enter
tui_wait 'dane: detail' 5
check $? "Enter on the dane pane opens its detail"
tui_keys End
tui_wait "the scan did not keep this layer's details; r checks live" 3
check $? "dane detail: says plainly what the scan did not keep"
tui_keys Escape
tui_wait '^. verdict' 3

tui_keys r
tui_wait_gone 'scan data of' 5
check $? "r replaces the stored check with a live one"
tui_wait 'resolver .* done' 30
check $? "the live check finishes against the lab"
s=$(tui_screen)
echo "$s" | grep -q 'STORED LINE'
check $(( ! $? )) "the live panes no longer show the stored lines"
echo "$s" | grep -Eq 'verdict +. FAIL'
check $? "the live verdict is shown"
tui_keys q
rc=$(tui_rc 5)
[ "$rc" = 2 ]
check $? "quit after the live check: its exit status (2, got $rc)"

# 160x50: one line of a real scan.
printf 'good-enforce.test\n' >"$TUI_TMP/domains"
"$LAB" exec "$bin" scan "$TUI_TMP/domains" >"$TUI_TMP/scan.jsonl" 2>/dev/null
grep '"domain":"good-enforce.test"' "$TUI_TMP/scan.jsonl" >"$TUI_TMP/line.json"
[ "$(wc -l <"$TUI_TMP/line.json")" = 1 ]
check $? "the scan wrote one line for good-enforce.test"
tui_start 160 50 -- --from-json "$TUI_TMP/line.json"
tui_wait 'verdict +. PASS' 10
check $? "160x50: a scan line opens with its verdict"
s=$(tui_screen)
echo "$s" | head -1 | grep -q 'good-enforce.test  scan data of '
check $? "160x50: the header says scan data"
grep -o '"summary":\["[^"]*"' "$TUI_TMP/line.json" | head -1 |
    sed 's/.*\["//; s/"$//' >"$TUI_TMP/first"
[ -s "$TUI_TMP/first" ] && echo "$s" | grep -qF -- "$(cat "$TUI_TMP/first")"
check $? "160x50: the first pane shows the scan's first stored line"
tui_keys j Enter
tui_wait 'fetch: detail' 5
tui_keys Tab Enter
tui_wait 'certificate chain of mta-sts.good-enforce.test' 5
check $? "160x50: the policy host's stored chain opens"
tui_keys Escape Escape
tui_wait '^. verdict' 3
tui_keys r
tui_wait 'resolver .* done' 30
check $? "160x50: r checks good-enforce.test live"
tui_keys q
rc=$(tui_rc 5)
[ "$rc" = 0 ]
check $? "160x50: exit status of the live check (0, got $rc)"

# --watch: the record is the first run; the live run after it is compared
# with the scan's.
tui_start 100 30 -- --watch=4 --from-json "$doc"
tui_wait 'scan data of .* next run in' 10
check $? "--watch: the record waits for the next run"
tui_wait 'resolver .* done +run 2' 20
check $? "--watch: a live run follows the record (run 2)"
tui_keys c
tui_wait 'changes since run 1' 5
check $? "--watch: c lists the changes since the scan's record"
tui_keys Escape q
tui_rc 5 >/dev/null

# Hostile files: refused with the reason, before the screen starts.
head -c 700 "$doc" >"$TUI_TMP/cut.json"
out=$("$bin" --from-json "$TUI_TMP/cut.json" 2>&1)
rc=$?
[ "$rc" = 3 ] && echo "$out" | grep -q 'cut.json: not JSON'
check $? "a truncated document: exit 3 and the reason ($out)"
sed 's/"version": 2/"version": 9/' "$doc" >"$TUI_TMP/v9.json"
out=$("$bin" --from-json "$TUI_TMP/v9.json" 2>&1)
rc=$?
[ "$rc" = 3 ] && echo "$out" | grep -q "version 9"
check $? "another version: exit 3 and the reason ($out)"
finish
