#!/bin/bash
# Shards through GNU parallel: three `scan --shard K/3` processes run by
# parallel(1), merged, equal the unsharded scan domain by domain (same
# domains, once each, same documents modulo timing).  TAP output.  Needs the
# lab up and parallel (deps/test.txt).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lab/testlib.sh
. "$top/tests/lab/testlib.sh"
bin="$top/mtasts-tui"
cmp="$top/tests/integration/scan_compare.py"
lab_require_up
if ! command -v parallel >/dev/null 2>&1; then
	echo "1..0 # SKIP GNU parallel not installed (deps/test.txt)"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/scan-parallel.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Scenarios whose documents do not depend on the order of an RRset.
for d in good-enforce good-testing no-txt mx-expired mx-self-signed \
	mx-wrong-name mx-uncovered mx-pattern-typo mx-policy-host policy-404 \
	policy-wrong-name policy-self-signed policy-html policy-mode-none \
	null-mx tlsrpt-syntax deleg-ok deleg-dangling mx-tld-mismatch \
	mx-not-yet-valid policy-redirect; do
	echo "$d.test"
done >"$tmp/list"
n=$(wc -l <"$tmp/list")

lx "$bin" scan --out "$tmp/all.jsonl" "$tmp/list" 2>"$tmp/err"
check $? "unsharded scan of $n domains" "$(cat "$tmp/err")"
# parallel runs inside the lab's namespace, as the shards would on N hosts.
LX_TIMEOUT=60 lx parallel --will-cite --halt now,fail=1 -j3 \
	"$bin" scan --shard '{}/3' --out "$tmp/shard-{}.jsonl" "$tmp/list" \
	::: 1 2 3 2>"$tmp/perr"
check $? "parallel -j3 ran shards 1..3 of 3" "$(cat "$tmp/perr")"
for k in 1 2 3; do
	grep -q "\"shard\":\"$k/3\"" "$tmp/shard-$k.jsonl" 2>/dev/null
	check $? "shard $k/3 wrote its metadata line"
done
out=$("$PY" "$cmp" merged "$tmp/all.jsonl" "$tmp"/shard-?.jsonl 2>&1)
check $? "merged shards equal the unsharded scan, domain by domain ($out)" "$out"
# Every shard got some work: the hash spreads even a small list.
for k in 1 2 3; do
	c=$("$PY" "$cmp" lines "$tmp/shard-$k.jsonl" | wc -l)
	[ "$c" -gt 0 ]
	check $? "shard $k/3 checked $c domains"
done

finish
