#!/bin/bash
# engine/share in the lab: the checks of several domains made at once with
# ONE share give the same --json documents as without a share (modulo
# timing members and TTLs, which age), while the share reuses DNS answers
# and the STARTTLS probe of the MX host share-a.test and share-b.test
# have in common; with per_dest=1, checks of the same policy and MX
# addresses wait for each other.  Through tests/integration/share_driver.
# TAP output.
set -u
. "$(dirname "$0")/../lab/testlib.sh"
lab_require_up

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
DRV=tests/integration/share_driver
if ! make -s "$DRV" >/dev/null 2>&1 || [ ! -x "$DRV" ]; then
    echo "not ok - build $DRV"
    exit 1
fi
for d in share-a.test share-b.test good-enforce.test good-testing.test mx-uncovered.test policy-404.test; do
    if ! grep -q "\"$d\"" "$RUN/scenarios.json" 2>/dev/null; then
        echo "1..0 # SKIP the lab has no scenario $d"
        exit 77
    fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/shared" "$tmp/alone" "$tmp/capped"

# stat NAME FILE: one member of the driver's stats line
stat() { sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p" "$2"; }

# same A B: the two documents are equal once timing members are dropped
same() {
    "$PY" - "$1" "$2" <<'PYEOF'
import difflib, json, sys
DROP = {"elapsed_ms", "checked_at", "ms", "ttl"}
def norm(x):
    if isinstance(x, dict):
        return {k: norm(v) for k, v in x.items() if k not in DROP}
    if isinstance(x, list):
        return [norm(v) for v in x]
    return x
a, b = (norm(json.load(open(p))) for p in sys.argv[1:3])
if a != b:
    la = json.dumps(a, indent=1, sort_keys=True).splitlines()
    lb = json.dumps(b, indent=1, sort_keys=True).splitlines()
    print(" | ".join(list(difflib.unified_diff(la, lb, lineterm="", n=0))[2:8]))
    sys.exit(1)
PYEOF
}

# Not dane-good.test: the resolver rotates its TLSA RRset, so which record
# matches first differs from run to run, share or not.
doms=(share-a.test share-b.test good-enforce.test good-testing.test mx-uncovered.test policy-404.test)
LX_TIMEOUT=120 lx "$DRV" -o "$tmp/shared" "${doms[@]}" >"$tmp/shared.stats" 2>"$tmp/shared.err"
check $? "checks with one share ran" "$(cat "$tmp/shared.err")"
LX_TIMEOUT=120 lx "$DRV" -n -o "$tmp/alone" "${doms[@]}" >/dev/null 2>"$tmp/alone.err"
check $? "checks without a share ran" "$(cat "$tmp/alone.err")"
for i in "${!doms[@]}"; do
    out=$(same "$tmp/shared/0.$i.json" "$tmp/alone/0.$i.json")
    check $? "${doms[$i]}: the same --json document with and without a share" "$out"
done
echo "# shared: $(cat "$tmp/shared.stats")"
n=$(stat probes_reused "$tmp/shared.stats")
[ "${n:-0}" -gt 0 ]
check $? "share-a.test and share-b.test list one MX host: its probe is reused (probes_reused=$n)"
n=$(stat probes_run "$tmp/shared.stats")
[ "${n:-0}" -gt 0 ]
check $? "probes were run (probes_run=$n)"
n=$(stat dns_reused "$tmp/shared.stats")
[ "${n:-0}" -gt 0 ]
check $? "DNS answers are reused (dns_reused=$n)"
n=$(stat dns_asked "$tmp/shared.stats")
[ "${n:-0}" -gt 0 ]
check $? "DNS questions are asked (dns_asked=$n)"

# The same domain three times at once, one connection per address: the
# policy fetches (one address) and the probe kinds (one MX address) queue.
LX_TIMEOUT=120 lx "$DRV" -p 1 -r 2 -o "$tmp/capped" share-a.test share-a.test share-a.test share-b.test \
    >"$tmp/capped.stats" 2>"$tmp/capped.err"
check $? "checks with per_dest=1 ran" "$(cat "$tmp/capped.err")"
echo "# per_dest=1: $(cat "$tmp/capped.stats")"
n=$(stat dest_waits "$tmp/capped.stats")
[ "${n:-0}" -gt 0 ]
check $? "per_dest=1: connections to one address waited (dest_waits=$n)"
for r in 0 1; do
    for i in 0 1 2; do
        out=$(same "$tmp/capped/$r.$i.json" "$tmp/alone/0.0.json")
        check $? "per_dest=1, round $r, check $i of share-a.test: the same document as alone" "$out"
    done
    out=$(same "$tmp/capped/$r.3.json" "$tmp/alone/0.1.json")
    check $? "per_dest=1, round $r: share-b.test the same document as alone" "$out"
done
n=$(stat probes_run "$tmp/capped.stats")
[ "${n:-0}" = 1 ]
check $? "one MX address for two domains and two rounds: one judged probe (probes_run=$n)"
finish
