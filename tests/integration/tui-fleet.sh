#!/bin/bash
# The fleet table through tmux, on a private scale lab (tests/lab/README.md
# "Scale lab"; MTASTS_SCALE_DOMAINS domains, default 10000; namespace
# MTASTS_SCALE_NS): a scan of the population saved with `scan`, opened with
# `mtasts-tui SCAN.jsonl` at 80x24: the count per answer equals
# `scan-summary` of the same file, sort (o, O), filter (/ text,
# answer:NAME, class:NAME, a), page through to the end, Enter, resize to
# 160x50 (the wide columns) and back; then `mtasts-tui -f LIST --out FILE`
# on a few hundred domains filling in live, its file read back.  TAP.
# --no-db throughout: the layout without the change line and column
# (what changed since the previous scan: tui-fleet-changes.sh).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$(id -u)" != 0 ]; then echo "1..0 # SKIP needs root"; exit 77; fi
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }
[ -x "$top/mtasts-tui" ] || { echo "1..0 # SKIP mtasts-tui is not built"; exit 77; }
# shellcheck source=tests/tui/lib.sh
. "$top/tests/tui/lib.sh"
# shellcheck source=tests/lab/scale/scalelib.sh
. "$top/tests/lab/scale/scalelib.sh"
scale_up
trap 'tui_cleanup; scale_down' EXIT
trap 'tui_cleanup; scale_down; exit 130' INT TERM
# tui_start runs the TUI through `lab exec` in this lab.
export MTASTS_LAB_NS=$SCALE_NS MTASTS_LAB_DIR=$SCALE_RUN/lab \
    MTASTS_LAB_SCENARIOS=$SCALE_RUN/scenarios MTASTS_LAB_POPULATION=$SCALE_N
tool=$top/mtasts-tui
POP=$SCALE_RUN/lab/population
SCAN=$SCALE_RUN/scan.jsonl

t0=$(date +%s.%N)
timeout "${MTASTS_SCALE_TIMEOUT:-900}" ip netns exec "$SCALE_NS" "$tool" scan \
    --concurrency 256 --out "$SCAN" "$POP/domains.txt" 2>"$SCALE_RUN/scan.err"
check $? "scan of the $SCALE_N domains saved ($(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s)"

# scan-summary's counts: section TITLE, then "  key  count  pct ...".
"$tool" scan-summary "$SCAN" >"$SCALE_RUN/summary.txt" 2>/dev/null
count() { # SECTION KEY
	awk -v sec="$1" -v key="$2" '
	    $0 == sec { on = 1; next } /^$/ { on = 0 }
	    on && $1 == key { print $2; exit }' "$SCALE_RUN/summary.txt"
}
answers="all some none no_mail unknown failed"

# The last visible line of the body (the row above the status line).
last_row() { tui_screen | sed '$d' | grep -v '^ *$' | tail -n 1; }
shown() { tui_screen | tail -n 1 | sed -n 's/^\([0-9]*\/[0-9]*\) shown.*/\1/p'; }
# The domains (first column) of the rows on screen.
rows() { tui_screen | sed '1,3d;$d' | awk 'NF > 1 { print $1 }'; }

tui_start 80 24 NO_COLOR=1 MTASTS_OSC52=1 -- --no-db "$SCAN"
t1=$(date +%s.%N)
tui_wait '^ mtasts-tui  fleet  read ' 60
check $? "mtasts-tui SCAN.jsonl reads the scan ($(awk -v a="$t1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s)"
line=$(tui_screen | sed -n 2p)
bad=
for a in $answers; do
	want=$(count "delivery answer" "$a")
	got=$(echo "$line" | grep -Eo "(^| )$a [0-9]+" | awk '{print $2}')
	[ -n "$want" ] && [ "$got" = "$want" ] || bad="$bad $a:$got/$want"
done
[ -z "$bad" ]
check $? "the count per answer equals scan-summary's ($line)${bad:+ # differ:$bad}"
total=$(echo "$line" | awk '{print $1}')
[ "$total" = "$SCALE_N" ] && [ "$(shown)" = "$SCALE_N/$SCALE_N" ]
check $? "all $SCALE_N rows, status line $(shown)"

# Domain order at first: the first rows are the smallest A-labels.
first=$(cut -f1 "$POP/truth.tsv" | LC_ALL=C sort | head -n 1)
[ "$(rows | head -n 1)" = "$first" ]
check $? "rows sorted by domain, the first is $first"

# o: the next column (answer); O: reversed.
tui_keys o
tui_wait "^$SCALE_N/$SCALE_N shown  sorted by answer in [0-9.]+ ms" 5
check $? "o sorts by answer, timed ($(tui_screen | tail -n 1))"
tui_screen | sed -n 3p | grep -q 'answer▲'
check $? "o marks the answer heading"
tui_screen | sed -n 4p | grep -Eq '^[^ ]+ +all '
check $? "sorted by answer: 'all' first"
worst=
for a in $answers; do [ "$(count "delivery answer" "$a")" != 0 ] && worst=$a; done
tui_keys O
tui_wait 'by answer \(reversed\)' 5 && tui_screen | sed -n 4p | grep -Eq "^[^ ]+ +$worst "
check $? "O reverses: '$worst' first"
tui_keys O
tui_wait 'sorted by answer in' 5
# Back to the domain column: o through every column.
for ((i = 0; i < 40; i++)); do
	tui_screen | sed -n 3p | grep -q 'domain▲' && break
	tui_keys o
	sleep 0.1
done
tui_screen | sed -n 3p | grep -q 'domain▲'
check $? "o cycles through the columns back to domain"

# / text: the rows whose domain holds it.
want=$(cut -f1 "$POP/truth.tsv" | grep -c 'cedar-00')
tui_keys / ; tui_keys -l 'cedar-00'; tui_keys Enter
tui_wait "^$want/$SCALE_N shown  filter cedar-00" 5
check $? "/cedar-00 shows the $want domains holding it ($(shown))"
! rows | grep -vq 'cedar-00'
check $? "/cedar-00: every row on screen holds it"
tui_keys Escape
tui_wait "^$SCALE_N/$SCALE_N shown" 5
check $? "Esc clears the filter"

# answer:NAME through the prompt, and a.
want=$(count "delivery answer" none)
tui_keys / ; tui_keys -l 'answer:none'; tui_keys Enter
tui_wait "^$want/$SCALE_N shown" 5
check $? "/answer:none shows scan-summary's $want"
! tui_screen | sed '1,3d;$d' | grep -v '^ *$' | awk '$2 != "none"' | grep -q .
check $? "/answer:none: every row on screen is none"
tui_keys / ; tui_keys -l ' answer:nonsense'; tui_keys Enter
tui_wait "no answer 'nonsense' \(all some none" 5
check $? "an unknown answer is refused with the names there are"
tui_keys Escape; tui_keys Escape
tui_wait "^$SCALE_N/$SCALE_N shown" 5
tui_keys a
want=$(count "delivery answer" all)
tui_wait "^$want/$SCALE_N shown  filter answer:all" 5
check $? "a shows answer:all ($want)"
tui_keys a
tui_wait "filter answer:some" 5 || tui_wait "filter answer:none" 1
check $? "a again: the next answer with domains ($(shown))"
tui_keys Escape
for cls in policy_tls_name mx_mismatch_policy_host; do
	want=$(count "misconfiguration classes" "$cls")
	tui_keys / ; tui_keys -l "class:$cls"; tui_keys Enter
	tui_wait "^$want/$SCALE_N shown" 5
	check $? "/class:$cls shows scan-summary's $want"
	tui_keys Escape
done
tui_keys c
tui_wait "filter class:[a-z_]+" 5
check $? "c shows one class ($(shown))"
tui_keys Escape
tui_wait "^$SCALE_N/$SCALE_N shown" 5

# Page through to the end: PgDn until the last domain.
last=$(cut -f1 "$POP/truth.tsv" | LC_ALL=C sort | tail -n 1)
t1=$(date +%s.%N)
pages=$(( SCALE_N / 20 + 2 ))
for ((i = 0; i < pages; i += 50)); do
	tui_keys -N 50 PgDn
done
# A bound on a hang, not a speed test (scripts/bench-fleet.sh measures).
tui_wait "^$last " 120
rc=$?
check $rc "PgDn x $pages reaches the last row $last ($(awk -v a="$t1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s)"
[ "$(tui_selected | awk '{print $1}')" = "$last" ]
check $? "the cursor is on the last row"
tui_keys g
tui_wait_selected "^$first " 5
check $? "g: back to the first row"

# Enter: the domain's screen from the scan's data; Esc back on the row.
tui_keys j j
sleep 0.5 # the two moves drawn before the row is read
sel=$(tui_selected | awk '{print $1}')
tui_keys Enter
tui_wait "^ mtasts-tui  $sel" 5
check $? "Enter opens $sel's screen"
tui_screen | grep -q 'scan data of'
check $? "the screen says it shows the scan's data"
tui_keys Escape
tui_wait_selected "^$sel " 5
check $? "Esc comes back to the table on $sel"

# y copies the selected row, S saves the table as on screen.
tui_keys y
tui_wait '^copied [0-9]+ bytes to the clipboard' 5
check $? "y copies the selected row"
tui_keys S
tui_wait 'Save screen text to: ./fleet-[0-9]{8}T' 5 && tui_keys Enter &&
    tui_wait '^saved the screen as text' 5
f=$(find "$TUI_TMP" -maxdepth 1 -name 'fleet-*.txt' | head -n 1)
[ -n "$f" ] && grep -qF "$line" "$f" && grep -q "^$sel " "$f"
check $? "S saves the table as text (${f##*/})"

# Wide: more columns, the same counts.
tui_resize 160 50
tui_wait 'blockers +expiry +elapsed +mx +classes' 5
check $? "160x50: the wide columns (blockers, expiry, elapsed, mx, classes)"
tui_screen | sed -n 3p | grep -q 'mx_tls'
check $? "160x50: layer columns by their whole names"
[ "$(tui_screen | sed -n 2p)" = "$line" ]
check $? "160x50: the same count line"
tui_resize 80 24
tui_wait '^domain▲ +answer +mode +dns' 5
check $? "back to 80x24: the narrow columns"
pid=$(tui_pid)
[ -n "$pid" ] && kill -0 "$pid"
check $? "no crash after resizing"
tui_keys q
[ "$(tui_rc 5)" = 0 ]
check $? "q quits with status 0"

# Shards: a second file in which five domains' answer changed; the later
# document wins in the table as in scan-summary.
python3 - "$SCAN" "$SCALE_RUN/shard2.jsonl" <<'PYEOF'
import json, sys
out = open(sys.argv[2], "w")
n = 0
for i, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    d = json.loads(line)
    if i == 0:
        out.write(line)
        continue
    v = d.get("verdict") or {}
    if n < 5 and (v.get("delivery") or {}).get("state") == "all":
        v["delivery"]["state"] = "none"
        out.write(json.dumps(d) + "\n")
        n += 1
PYEOF
"$tool" scan-summary "$SCAN" "$SCALE_RUN/shard2.jsonl" >"$SCALE_RUN/summary.txt" 2>/dev/null
tui_start 80 24 NO_COLOR=1 -- --no-db "$SCAN" "$SCALE_RUN/shard2.jsonl"
tui_wait '^ mtasts-tui  fleet  read ' 60
line2=$(tui_screen | sed -n 2p)
bad=
for a in $answers; do
	want=$(count "delivery answer" "$a")
	got=$(echo "$line2" | grep -Eo "(^| )$a [0-9]+" | awk '{print $2}')
	[ -n "$want" ] && [ "$got" = "$want" ] || bad="$bad $a:$got/$want"
done
[ -z "$bad" ] && [ "$line2" != "$line" ]
check $? "two shards, five answers changed in the later: counts equal scan-summary's${bad:+ # differ:$bad}"
tui_keys q

# A scan on the screen: -f LIST, filling in live, its lines in --out.
head -n 300 "$POP/domains.txt" >"$SCALE_RUN/list.txt"
tui_start 160 50 NO_COLOR=1 -- --no-db --concurrency 8 -f "$SCALE_RUN/list.txt" \
    --out "$SCALE_RUN/live.jsonl"
seen=
for ((i = 0; i < 1200; i++)); do
	n=$(tui_screen | sed -n 2p | awk '/ domains /{print $1}')
	[ -n "$n" ] && case " $seen " in *" $n "*) ;; *) seen="$seen $n" ;; esac
	tui_screen | head -n 1 | grep -q 'scanned 300/300' && break
	sleep 0.05
done
tui_screen | head -n 1 | grep -q 'scanned 300/300'
check $? "-f: the scan of 300 domains ends on the screen"
mid=$(for n in $seen; do [ "$n" -gt 0 ] && [ "$n" -lt 300 ] && echo "$n"; done | wc -l)
[ "$mid" -ge 2 ]
check $? "-f: rows filled in live (counts seen:$(echo "$seen" | tr ' ' '\n' | head -n 8 | tr '\n' ' ')...)"
line=$(tui_screen | sed -n 2p)
"$tool" scan-summary "$SCALE_RUN/live.jsonl" >"$SCALE_RUN/summary.txt" 2>/dev/null
bad=
for a in $answers; do
	want=$(count "delivery answer" "$a")
	got=$(echo "$line" | grep -Eo "(^| )$a [0-9]+" | awk '{print $2}')
	[ -n "$want" ] && [ "$got" = "$want" ] || bad="$bad $a:$got/$want"
done
[ -z "$bad" ] && [ "$(head -c 15 "$SCALE_RUN/live.jsonl")" = '{"mtasts_scan":' ] &&
    tail -n 1 "$SCALE_RUN/live.jsonl" | grep -q '^{"mtasts_scan_end":'
check $? "-f --out: a scan file whose scan-summary equals the count line${bad:+ # differ:$bad}"
tui_resize 80 24
tui_wait '^domain▲ +answer +mode +dns' 5
check $? "-f: resized to 80x24"
tui_keys q
[ "$(tui_rc 5)" = 0 ]
check $? "-f: q quits with status 0"

tui_start 80 24 NO_COLOR=1 -- --no-db "$SCALE_RUN/live.jsonl"
tui_wait '^ mtasts-tui  fleet  read ' 10 && [ "$(tui_screen | sed -n 2p)" = "$line" ]
check $? "the -f output opens again with the same counts"
tui_keys q

# Quitting during a scan: at once, with complete lines written.
tui_start 80 24 NO_COLOR=1 -- --no-db --concurrency 2 -f "$POP/domains.txt" \
    --out "$SCALE_RUN/cut.jsonl"
tui_wait 'scanning [1-9][0-9]*/' 20
tui_keys q
[ "$(tui_rc 5)" = 0 ] && "$top/mtasts-tui" scan-summary "$SCALE_RUN/cut.jsonl" \
    >/dev/null 2>"$SCALE_RUN/cut.err" && ! grep -q 'skipped' "$SCALE_RUN/cut.err"
check $? "q during a scan ends at once; every line written is whole"

# Not a scan, and a list that cannot be read: said on the screen.
echo '{"domain":"x.example"}' >"$SCALE_RUN/other.jsonl"
tui_start 80 24 NO_COLOR=1 -- --no-db "$SCALE_RUN/other.jsonl"
tui_wait 'other.jsonl: not a scan' 5
check $? "a file without the mtasts_scan line is refused on the screen"
tui_keys q
[ "$(tui_rc 5)" = 3 ]
check $? "... and the exit status is 3"
tui_start 80 24 NO_COLOR=1 -- --no-db -f "$SCALE_RUN/missing.txt"
tui_wait 'missing.txt: No such file' 5
check $? "-f with a missing file says so"
tui_keys q
[ "$(tui_rc 5)" = 3 ]
check $? "... and the exit status is 3"

echo "1..$((T_PASS + T_FAIL))"
finish
