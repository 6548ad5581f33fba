#!/bin/bash
# mtasts-tui scan against the lab: every domain's line equals its
# `check --json` document (modulo timing), input notes, shards, --resume
# after SIGKILL, SIGINT, and a stalled server costing only its own deadline.
# TAP output.  Needs the lab up (tests/lab/lab up).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lab/testlib.sh
. "$top/tests/lab/testlib.sh"
bin="$top/mtasts-tui"
cmp="$top/tests/integration/scan_compare.py"
lab_require_up
tmp=$(mktemp -d "${TMPDIR:-/tmp}/scan.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Fast scenarios whose answers do not depend on the order of an RRset.
fast="good-enforce good-testing no-txt mx-expired mx-self-signed mx-wrong-name
	mx-uncovered mx-pattern-typo mx-policy-host policy-404 policy-wrong-name
	policy-self-signed policy-html policy-mode-none null-mx tlsrpt-syntax
	deleg-ok deleg-dangling mx-tld-mismatch mx-not-yet-valid policy-redirect"
: >"$tmp/list"
for d in $fast; do echo "$d.test" >>"$tmp/list"; done
echo 'bücher.test' >>"$tmp/list"
n=$(wc -l <"$tmp/list")

# 1. Each line is the check --json document of its domain.
mkdir "$tmp/check"
while read -r d; do
	lx "$bin" check --json --no-history "$d" >"$tmp/check/$d.json"
done <"$tmp/list"
# check --json names the file by the A-label.
mv "$tmp/check/bücher.test.json" "$tmp/check/xn--bcher-kva.test.json"
lx "$bin" scan --out "$tmp/all.jsonl" "$tmp/list" 2>"$tmp/err"
rc=$?
check "$rc" "scan of $n domains exits 0" "$(cat "$tmp/err")"
out=$("$PY" "$cmp" same "$tmp/all.jsonl" "$tmp/check" 2>&1)
check $? "every line equals check --json of its domain (modulo timing)" "$out"
got=$("$PY" "$cmp" lines "$tmp/all.jsonl" | wc -l)
[ "$got" = "$n" ]
check $? "one document per domain ($got of $n)"
"$PY" - "$tmp/all.jsonl" "$n" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
first, last = json.loads(lines[0]), json.loads(lines[-1])
m, e = first["mtasts_scan"], last["mtasts_scan_end"]
ok = (m["version"] == 1 and m["shard"] is None and
      m["input"]["to_check"] == int(sys.argv[2]) and
      m["options"]["history"] is False and
      e["checked"] == int(sys.argv[2]) and "share" in e and
      len(lines) == int(sys.argv[2]) + 2)
sys.exit(0 if ok else 1)
PY
check $? "metadata line first, end line last, counts right"
grep -q '"domain_unicode":"bücher.test"' "$tmp/all.jsonl"
check $? "IDN: domain_unicode kept"
lx "$bin" scan "$tmp/list" 2>/dev/null | "$PY" "$cmp" lines /dev/stdin >"$tmp/stdout.lines"
[ "$(wc -l <"$tmp/stdout.lines")" = "$n" ]
check $? "without --out the lines go to standard output"

# The progress line: on a terminal only.
script -qec "$LAB exec $bin scan --out $tmp/tty.jsonl $tmp/list" /dev/null >"$tmp/tty.err" 2>&1
tr '\r' '\n' <"$tmp/tty.err" | grep -Eq "^scan: $n/$n domains, [0-9.]+/s, ETA -, [0-9]+ with errors"
check $? "a terminal gets the progress line (done/total, rate, ETA, errors)" "$(tr '\r' '\n' <"$tmp/tty.err" | tail -3)"
grep -q '/s, ETA' "$tmp/err"
check $((1 - $?)) "no progress line when standard error is not a terminal"

# 2. Input notes, with line numbers; invalid lines are never fatal.
printf '# comment\n\n  good-enforce.test  \nbücher.test\nGOOD-ENFORCE.test.\nnot a domain\nxn--bcher-kva.test # again\n' >"$tmp/notes"
printf 'x%.0s' $(seq 1 2000) >>"$tmp/notes"
printf '\nno-txt.test' >>"$tmp/notes"
lx "$bin" scan --out "$tmp/notes.jsonl" "$tmp/notes" 2>"$tmp/notes.err"
rc=$?
check "$rc" "a list with bad lines still exits 0" "$(cat "$tmp/notes.err")"
grep -qx "scan: $tmp/notes:5: duplicate of line 3 (good-enforce.test), skipped" "$tmp/notes.err"
check $? "duplicate names both line numbers" "$(cat "$tmp/notes.err")"
grep -q "^scan: $tmp/notes:7: duplicate of line 4 (xn--bcher-kva.test)" "$tmp/notes.err"
check $? "an IDN and its A-label are one domain"
grep -q "^scan: $tmp/notes:6: invalid domain, skipped: " "$tmp/notes.err"
check $? "invalid line reported with its number"
grep -q "^scan: $tmp/notes:8: line longer than 1024 bytes, skipped" "$tmp/notes.err"
check $? "overlong line reported and skipped"
[ "$(grep -c . "$tmp/notes.err")" = 4 ]
check $? "no note for comments and blank lines" "$(cat "$tmp/notes.err")"
[ "$("$PY" "$cmp" lines "$tmp/notes.jsonl" | tr '\n' ' ')" = "good-enforce.test no-txt.test xn--bcher-kva.test " ]
check $? "three domains checked (last line without newline taken)"

# 3. Shards 1..3 of 3: disjoint, and their union is the unsharded scan.
for k in 1 2 3; do
	lx "$bin" scan --shard "$k/3" --out "$tmp/shard-$k.jsonl" "$tmp/list" 2>/dev/null
done
out=$("$PY" "$cmp" merged "$tmp/all.jsonl" "$tmp"/shard-?.jsonl 2>&1)
check $? "shards 1..3 of 3 are disjoint and cover the list, same documents" "$out"
grep -q '"shard":"2/3"' "$tmp/shard-2.jsonl"
check $? "the shard is in the metadata line"
lx "$bin" scan --shard 4/3 "$tmp/list" >/dev/null 2>&1
[ $? = 3 ]
check $? "--shard 4/3 is a usage error"

# A slower list for the kills: stalled servers among the fast, one at a time.
{ head -n 5 "$tmp/list"; echo policy-stall.test; sed -n '6,12p' "$tmp/list"
  echo mx-stall.test; tail -n +13 "$tmp/list"; } >"$tmp/slow"
n=$(wc -l <"$tmp/slow")
slow="--concurrency 1 --deadline 2"

# 4. SIGKILL mid-way, then --resume completes exactly the missing domains.
# Not through lx: the signal must reach mtasts-tui, not timeout(1).
# shellcheck disable=SC2086
"$LAB" exec "$bin" scan $slow --out "$tmp/res.jsonl" "$tmp/slow" 2>/dev/null &
pid=$!
sleep 1.5
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
before=$("$PY" "$cmp" lines "$tmp/res.jsonl" 2>&1)
check $? "after SIGKILL every line is a whole JSON document" "$before"
nb=$(printf '%s\n' "$before" | grep -c .)
[ "$nb" -gt 0 ] && [ "$nb" -lt "$n" ]
check $? "the kill came mid-way ($nb of $n done)"
# A write cut short leaves half a line: resume drops it.
printf '{"version":2,"domain":"half' >>"$tmp/res.jsonl"
# shellcheck disable=SC2086
lx "$bin" scan $slow --resume "$tmp/res.jsonl" "$tmp/slow" 2>"$tmp/res.err"
rc=$?
check "$rc" "--resume exits 0" "$(cat "$tmp/res.err")"
grep -q "last line has no newline" "$tmp/res.err"
check $? "--resume says it dropped the half line" "$(cat "$tmp/res.err")"
out=$("$PY" "$cmp" lines "$tmp/res.jsonl" 2>&1)
check $? "resumed file: whole lines, no domain twice" "$out"
[ "$(printf '%s\n' "$out" | grep -c .)" = "$n" ]
check $? "resumed file holds every domain"
grep -q "\"resumed\":$nb," "$tmp/res.jsonl"
check $? "the resumed run skipped the $nb domains already done"
grep -v -- '-stall\.test"' "$tmp/res.jsonl" >"$tmp/res-fast.jsonl"
out=$("$PY" "$cmp" same "$tmp/res-fast.jsonl" "$tmp/check" 2>&1)
check $? "resumed documents equal check --json" "$out"

# 5. SIGINT: a clean stop, exit 130, whole lines, the resume hint.
# shellcheck disable=SC2086
"$LAB" exec "$bin" scan $slow --out "$tmp/int.jsonl" "$tmp/slow" 2>"$tmp/int.err" &
pid=$!
sleep 1.5
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" = 130 ]
check $? "SIGINT: exit 130" "rc=$rc"
grep -Eq "^scan: interrupted after [0-9]+ of $n domains; run again with --resume $tmp/int.jsonl$" "$tmp/int.err"
check $? "SIGINT: says how far it got and how to resume" "$(cat "$tmp/int.err")"
out=$("$PY" "$cmp" lines "$tmp/int.jsonl" 2>&1)
check $? "SIGINT: whole lines only" "$out"
grep -q mtasts_scan_end "$tmp/int.jsonl"
check $((1 - $?)) "SIGINT: no end line (the run did not end normally)"

# 6. A stalled server costs only its own deadline.
printf 'mx-stall.test\npolicy-stall.test\ngood-enforce.test\nno-txt.test\n' >"$tmp/stall"
t0=$(date +%s%N)
lx "$bin" scan --deadline 3 --out "$tmp/stall.jsonl" "$tmp/stall" 2>/dev/null
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$rc" = 0 ] && [ "$ms" -lt 6000 ]
check $? "stalled servers: the scan ends within the deadline + margin (${ms} ms, deadline 3 s)" "rc=$rc"
"$PY" - "$tmp/stall.jsonl" <<'PY'
import json, sys
d = {}
for l in open(sys.argv[1]):
    j = json.loads(l)
    if "domain" in j:
        d[j["domain"]] = j["elapsed_ms"]
ok = (len(d) == 4 and d["good-enforce.test"] < 2000 and
      d["no-txt.test"] < 2000 and max(d.values()) < 4000)
print(d)
sys.exit(0 if ok else 1)
PY
check $? "stalled servers: the fast domains are not held up"

finish
