#!/bin/bash
# A scan of the whole scale population against its ground truth: a private
# scale lab (MTASTS_SCALE_DOMAINS domains, default 10000), then
#   mtasts-tui scan --concurrency 256 --out OUT domains.txt     (in the lab)
#   mtasts-tui scan-summary --per-domain OUT
# compared with truth.tsv line by line (the first mismatches and the count
# per class of mismatches are printed), and every domain of domains.txt must
# be in OUT.  Skips when `mtasts-tui scan --help` fails.  MTASTS_TUI names
# another binary (default: the tree's mtasts-tui).  TAP.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tool=${MTASTS_TUI:-$top/mtasts-tui}
if [ "$(id -u)" != 0 ]; then echo "1..0 # SKIP needs root"; exit 77; fi
[ -x "$tool" ] || { echo "1..0 # SKIP mtasts-tui is not built"; exit 77; }
# `scan --help` must work and name the options used here (an older binary
# may take "scan" for something else).
if ! "$tool" scan --help 2>&1 | grep -q -- --concurrency ||
    ! "$tool" scan-summary --help 2>&1 | grep -q -- --per-domain; then
    echo "1..0 # SKIP mtasts-tui has no scan / scan-summary command yet"
    exit 77
fi
# shellcheck source=tests/lab/scale/scalelib.sh
. "$top/tests/lab/scale/scalelib.sh"
scale_up
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi
# the scan's history goes to the run directory, not the user's state
export XDG_STATE_HOME=$SCALE_RUN/state
POP=$SCALE_RUN/lab/population
OUT=$SCALE_RUN/scan.jsonl
echo "1..4"
exec > >(tee "$SCALE_RUN/tap.out")
t0=$(date +%s.%N)
timeout "${MTASTS_SCALE_TIMEOUT:-900}" ip netns exec "$SCALE_NS" "$tool" scan \
    --concurrency 256 --out "$OUT" "$POP/domains.txt" 2>"$SCALE_RUN/scan.err"
rc=$?
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
if [ "$rc" = 0 ]; then echo "ok - scan of $SCALE_N domains at concurrency 256 ($secs s)"
else echo "not ok - scan of $SCALE_N domains exited $rc ($secs s)"; tail -n 5 "$SCALE_RUN/scan.err" | sed 's/^/#   /'; fi

"$tool" scan-summary --per-domain "$OUT" >"$SCALE_RUN/got.tsv" 2>"$SCALE_RUN/summary.err"
rc=$?
if [ "$rc" = 0 ]; then echo "ok - scan-summary --per-domain"
else echo "not ok - scan-summary --per-domain exited $rc"; tail -n 5 "$SCALE_RUN/summary.err" | sed 's/^/#   /'; fi

# Every input domain has its document (by A-label, as truth.tsv names them).
"$PY" - "$OUT" "$POP/truth.tsv" <<'PYEOF'
import json, os, sys
want = {l.split("\t", 1)[0] for l in open(sys.argv[2])}
got = set()
for line in open(sys.argv[1], encoding="utf-8", errors="replace") if os.path.exists(sys.argv[1]) else []:
    try:
        d = json.loads(line)
    except ValueError:
        continue
    if isinstance(d, dict) and "domain" in d and "mtasts_scan" not in d and "mtasts_scan_end" not in d:
        got.add(str(d["domain"]).lower().rstrip("."))
miss = sorted(want - got)
if miss:
    print(f"not ok - every domain of domains.txt is in the scan output # {len(miss)} missing, e.g. {miss[:5]}")
else:
    print(f"ok - every domain of domains.txt is in the scan output ({len(want)})")
PYEOF

# Line by line against the truth.
"$PY" - "$SCALE_RUN/got.tsv" "$POP/truth.tsv" <<'PYEOF'
import sys
def rows(p):
    out = {}
    for l in open(p):
        f = l.rstrip("\n").split("\t")
        if len(f) == 4:
            out[f[0]] = f
    return out
got, want = rows(sys.argv[1]), rows(sys.argv[2])
bad, per = [], {}
for d, w in sorted(want.items()):
    g = got.get(d)
    if g != w:
        bad.append((d, w, g))
        per[w[3]] = per.get(w[3], 0) + 1
if not bad:
    print(f"ok - scan-summary equals truth.tsv on all {len(want)} domains")
else:
    print(f"not ok - scan-summary equals truth.tsv # {len(bad)} of {len(want)} differ")
    for d, w, g in bad[:15]:
        print(f"#   {d}: want {'/'.join(w[1:])}, got {'/'.join(g[1:]) if g else '(absent)'}")
    for c, n in sorted(per.items(), key=lambda kv: -kv[1]):
        print(f"#   mismatches where truth is {c}: {n}")
PYEOF

# MTASTS_SCALE_SAVE=DIR keeps the scan output and the comparison for a look.
if [ -n "${MTASTS_SCALE_SAVE:-}" ]; then
    mkdir -p "$MTASTS_SCALE_SAVE" && cp "$OUT" "$SCALE_RUN/got.tsv" "$POP/truth.tsv" "$SCALE_RUN/scan.err" "$MTASTS_SCALE_SAVE/"
fi
# The exit status follows the TAP lines.
exec >&-
wait
! grep -q '^not ok' "$SCALE_RUN/tap.out"
