#!/bin/bash
# scan-summary on real check documents: `check --json` of lab scenarios
# whose misconfiguration class the scenario defines, written as two shard
# outputs (metadata lines, a domain in both shards, a killed run's cut last
# line), then the --per-domain lines and the --json counts asserted.  TAP.
set -u
export LC_ALL=C # sort as scan-summary does (bytes)
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lab/testlib.sh
. "$top/tests/lab/testlib.sh"
bin="$top/mtasts-tui"
lab_require_up
# jq is no dependency of the tree: python3 (the lab's) compacts and queries.
compact() { "$PY" -c 'import json, sys; print(json.dumps(json.load(sys.stdin), separators=(",", ":"), ensure_ascii=False))'; }
# jget FILE EXPR: prints EXPR over the document d (a Python expression).
jget() { "$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); r = eval(sys.argv[2]); print(" ".join(r) if isinstance(r, list) else r)' "$1" "$2"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/scan-summary.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# scenario (without .test), answer, mode, classes: what the scenario is
# built to show (tests/lab/scenarios/*.toml).
expected="good-enforce	all	enforce	-
good-testing	all	testing	-
policy-wrong-name	all	no_policy	policy_tls_name
policy-404	all	no_policy	policy_not_served
policy-self-signed	all	no_policy	policy_not_served
policy-version	all	no_policy	policy_invalid
txt-syntax	all	no_policy	record_invalid
multi-txt	all	no_policy	record_invalid
mx-pattern-typo	none	enforce	mx_mismatch_typo
mx-policy-host	none	enforce	mx_mismatch_policy_host
mx-tld-mismatch	none	enforce	mx_mismatch_tld
mx-wildcard-depth	none	enforce	mx_mismatch_wildcard_depth
mx-uncovered	some	enforce	mx_mismatch_same_domain
mx-self-signed	none	enforce	mx_cert_all
mx-expired	none	enforce	mx_cert_all
mx-wrong-name	none	enforce	mx_cert_all
tlsrpt-syntax	all	enforce	tlsrpt_invalid
tlsrpt-multiple	all	enforce	tlsrpt_invalid
null-mx	no_mail	no_policy	-"

# Shard 1 takes the first half, shard 2 the rest and good-enforce again.
i=0
n=$(printf '%s\n' "$expected" | wc -l)
echo '{"mtasts_scan":{"version":1,"shard":"1/2"}}' >"$tmp/s1.jsonl"
echo '{"mtasts_scan":{"version":1,"shard":"2/2"}}' >"$tmp/s2.jsonl"
while IFS=$'\t' read -r d _; do
    i=$((i + 1))
    out=$tmp/s1.jsonl
    [ "$i" -gt $((n / 2)) ] && out=$tmp/s2.jsonl
    lx "$bin" check --json --no-history "$d.test" | compact >>"$out"
done <<<"$expected"
lx "$bin" check --json --no-history good-enforce.test | compact >>"$tmp/s2.jsonl"
echo '{"mtasts_scan_end":{"done":1}}' >>"$tmp/s1.jsonl"
printf '{"domain":"killed.test","layers":[' >>"$tmp/s2.jsonl"

lines=$(grep -c '"domain"' "$tmp/s1.jsonl" "$tmp/s2.jsonl" | awk -F: '{ s += $2 } END { print s }')
[ "$lines" = $((n + 2)) ]
check $? "inputs written: $n check documents, one repeated, one cut ($lines lines with a domain)"

"$bin" scan-summary --per-domain "$tmp/s1.jsonl" "$tmp/s2.jsonl" >"$tmp/per" 2>"$tmp/err"
rc=$?
check "$rc" "scan-summary --per-domain exits 0" "rc=$rc $(head -3 "$tmp/err")"
printf '%s\n' "$expected" | sed 's/^\([^\t]*\)/\1.test/' | sort >"$tmp/want"
diff "$tmp/want" "$tmp/per" >"$tmp/diff"
check $? "--per-domain: every domain's answer, mode and classes as the scenario defines" "$(head -6 "$tmp/diff")"
sort -c "$tmp/per" 2>/dev/null
check $? "--per-domain: sorted by domain"
grep -q 'good-enforce.test: .*s1.jsonl:[0-9]* is replaced by .*s2.jsonl:[0-9]*' "$tmp/err"
check $? "a domain in two shards: the last kept, with a note" "$(cat "$tmp/err")"
grep -q 's2.jsonl:[0-9]*: last line has no newline' "$tmp/err"
check $? "a killed run's cut last line: skipped with a note" "$(cat "$tmp/err")"

"$bin" scan-summary --json "$tmp/s1.jsonl" - <"$tmp/s2.jsonl" >"$tmp/json" 2>/dev/null
check $? "scan-summary --json (one input on stdin) exits 0"
"$PY" -c 'import json, sys; json.load(open(sys.argv[1]))' "$tmp/json"
check $? "--json is valid JSON"
# The counts, each derived from the expected table (not written here).
fails=0
for col in 2 3 4; do
    dim=$(echo "x answer mode classes" | cut -d' ' -f"$col")
    while read -r cnt key; do
        got=$(jget "$tmp/json" "d['scan_summary']['$dim']['$key']['count']")
        if [ "$got" != "$cnt" ]; then
            echo "#   $dim $key: got $got, want $cnt"
            fails=$((fails + 1))
        fi
    done < <(printf '%s\n' "$expected" | cut -f"$col" | tr ',' '\n' | grep -v '^-$' | sort | uniq -c)
done
[ "$fails" = 0 ]
check $? "--json counts per answer, mode and class match the scenarios"
got=$(jget "$tmp/json" "d['scan_summary']['domains']")
[ "$got" = "$n" ]
check $? "--json: $n domains (the duplicate merged, the cut line dropped)" "got $got"
want=$(printf '%s\n' "$expected" | awk -F'\t' '$4 != "-"' | wc -l)
got=$(jget "$tmp/json" "d['scan_summary']['misconfigured']['count']")
[ "$got" = "$want" ]
check $? "--json: misconfigured = domains with a class ($want)" "got $got"
got=$(jget "$tmp/json" "d['scan_summary']['classes']['mx_cert_all']['domains']")
[ "$got" = "mx-expired.test mx-self-signed.test mx-wrong-name.test" ]
check $? "--json: the domains behind a count, sorted" "got $got"
got=$(jget "$tmp/json" "d['scan_summary']['blockers']['mx.uncovered']['count']")
[ "$got" = 5 ]
check $? "--json: promotion blockers counted (mx.uncovered on the 5 mismatch domains)" "got $got"

# The why_class member scan-summary relies on.
lx "$bin" check --json --no-history mx-pattern-typo.test >"$tmp/typo.json"
got=$(jget "$tmp/typo.json" "[h['why_class'] for l in d['layers'] if l['id'] == 'mx' for h in l['data']['hosts'] if h['covered_by'] is None]")
[ "$got" = typo ]
check $? "check --json: an uncovered MX host carries why_class" "got $got"

text=$("$bin" scan-summary "$tmp/s1.jsonl" "$tmp/s2.jsonl" 2>/dev/null)
printf '%s\n' "$text" | grep -Eq '^  mx_cert_all +3 +15\.8%  mx-expired\.test, mx-self-signed\.test, mx-wrong-name\.test$'
check $? "text: a class with its count, percentage and domains" "$(printf '%s\n' "$text" | grep mx_cert)"
printf '%s\n' "$text" | grep -Eq '^  all .*\(.* more\)$'
check $? "text: long lists cut to the first few"
"$bin" scan-summary --domains "$tmp/s1.jsonl" "$tmp/s2.jsonl" 2>/dev/null | grep -q 'more)'
check $((1 - $?)) "text --domains: every domain, no cut"

"$bin" scan-summary "$tmp/nonexistent.jsonl" >/dev/null 2>&1
rc=$?
[ "$rc" = 3 ]
check $? "unreadable input: exit 3" "rc=$rc"
finish
