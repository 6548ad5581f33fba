#!/bin/sh
# make bench: how long a check takes, concurrent against --serial, at 0 ms
# and at 50 ms round-trip time.  It prints figures and asserts nothing; see
# doc/benchmark.md for how to read them.
#
# It brings up a private lab (namespace mtasts-lab-bench, a temporary run
# directory, only the bench-three-mx.test and bench-two-mx.test scenarios)
# twice: without delay and with MTASTS_LAB_DELAY_MS=25 (25 ms each way
# through tests/lab/relay.py).  Each time, for each domain, it runs
# `mtasts-tui check --json --no-history DOMAIN` BENCH_RUNS times (default 5)
# in each mode, after one discarded warm-up run.
#
# Environment: BENCH_RUNS (runs per mode and delay, default 5), BENCH_DELAYS
# (one-way delays in ms, default "0 25"), BENCH_SAVE=1 (also write the output
# to doc/bench.txt), MTASTS_LAB_PYTHON (as for the lab).
# Needs root (the lab uses a network namespace); without it, says so and exits 0.

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

if [ "$(id -u)" != 0 ]; then
	echo "bench: needs root (the lab runs in a network namespace); nothing measured"
	exit 0
fi
if [ ! -x ./mtasts-tui ]; then
	echo "bench: ./mtasts-tui is not built (run make)" >&2
	exit 1
fi
PY=${MTASTS_LAB_PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3

RUNS=${BENCH_RUNS:-5}
DELAYS=${BENCH_DELAYS:-0 25}
DOMAINS="bench-three-mx.test bench-two-mx.test"
export MTASTS_LAB_NS=mtasts-lab-bench
tmp=$(mktemp -d /tmp/mtasts-bench.XXXXXX) || exit 1
chmod 755 "$tmp"   # Postfix (user postfix) must reach its data directory inside
export MTASTS_LAB_DIR=$tmp/run
export MTASTS_LAB_SCENARIOS=$tmp/scenarios
mkdir -p "$MTASTS_LAB_SCENARIOS"

cleanup() {
	tests/lab/lab down >/dev/null 2>&1
	rm -rf -- "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
for dom in $DOMAINS; do
	cp "tests/lab/scenarios/${dom%.test}.toml" "$MTASTS_LAB_SCENARIOS/" || exit 1
done
# Every run uses this copy, so a rebuild in the tree meanwhile cannot mix binaries.
cp ./mtasts-tui "$tmp/mtasts-tui" || exit 1

report=$tmp/report.txt
{
	echo "mtasts-tui bench: bench-three-mx.test (3 MX hosts) and bench-two-mx.test (2 MX hosts), one address each, $RUNS runs per mode"
	echo "date: $(date -u +%FT%TZ)  host: $(uname -srm)  cpus: $(nproc 2>/dev/null || echo ?)"
	echo "tool: $("$tmp/mtasts-tui" --version 2>/dev/null | head -n 1)  git: $(git describe --always --dirty 2>/dev/null || echo ?)"
} >"$report"
cat "$report"

for d in $DELAYS; do
	echo "bench: lab up with MTASTS_LAB_DELAY_MS=$d ..." >&2
	if ! MTASTS_LAB_DELAY_MS=$d tests/lab/lab up >"$tmp/up.log" 2>&1; then
		cat "$tmp/up.log" >&2
		echo "bench: the lab did not come up; no figures" >&2
		exit 1
	fi
	for dom in $DOMAINS; do
		echo >>"$report"
		echo
		"$PY" - "$tmp/mtasts-tui" "$dom" "$RUNS" "$d" "$MTASTS_LAB_NS" >"$tmp/part.txt" <<'EOF'
import json, os, statistics, subprocess, sys, tempfile, time

tool, domain, runs, delay, ns = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
LAYERS = []                                  # in the order the JSON lists them


def run(serial):
    # Popen + os.wait4 gives this child's own maximum RSS (what /usr/bin/time -v prints);
    # `ip netns exec` execs the tool, so the pid is the tool itself.
    cmd = ["ip", "netns", "exec", ns, tool, "check", "--json", "--no-history"]
    cmd += ["--serial"] if serial else []
    cmd.append(domain)
    with tempfile.TemporaryFile() as o, tempfile.TemporaryFile() as e:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=o, stderr=e)
        _, status, ru = os.wait4(p.pid, 0)
        wall = (time.monotonic() - t0) * 1000
        p.returncode = os.waitstatus_to_exitcode(status)
        o.seek(0)
        e.seek(0)
        out, err = o.read(), e.read()
    try:
        doc = json.loads(out)
    except ValueError:
        sys.exit(f"bench: no JSON from {' '.join(cmd)} (exit {p.returncode}): {err[:300]!r}")
    layers = {l["id"]: l.get("elapsed_ms") for l in doc["layers"]}
    LAYERS.extend(l for l in layers if l not in LAYERS)
    return {"wall": wall, "tool": doc.get("elapsed_ms"), "layers": layers, "rss": ru.ru_maxrss,
            "exit": p.returncode, "verdict": doc.get("verdict", {}).get("summary")}


res = {}
for serial in (False, True):
    run(serial)                              # warm-up, discarded
    res[serial] = [run(serial) for _ in range(runs)]


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "-"
    return f"{statistics.median(xs):7.0f} [{min(xs):5.0f}-{max(xs):5.0f}]"


rtt = 2 * delay
print(f"== {domain}, RTT {rtt} ms" + (" (no delay)" if delay == 0 else f" (MTASTS_LAB_DELAY_MS={delay}, through relay.py)"))
print(f"{'ms: median [min-max]':<22} {'concurrent':>21} {'--serial':>21} {'serial/conc':>12}")


def row(name, get):
    c = [get(r) for r in res[False]]
    s = [get(r) for r in res[True]]
    mc, ms = med(c), med(s)
    ratio = f"{ms / mc:.2f}x" if mc and ms is not None else "-"
    print(f"{name:<22} {fmt(c):>21} {fmt(s):>21} {ratio:>12}")


row("total wall (process)", lambda r: r["wall"])
row("total elapsed_ms", lambda r: r["tool"])
for l in LAYERS:
    row(f"  layer {l}", lambda r, l=l: r["layers"].get(l))
c_rss = max(r["rss"] for r in res[False])
s_rss = max(r["rss"] for r in res[True])
print(f"{'peak RSS (KiB, max)':<22} {c_rss:>21} {s_rss:>21}")
ex = sorted({(r["exit"], r["verdict"]) for rs in res.values() for r in rs}, key=str)
print("exit/verdict: " + "; ".join(f"{e} {v}" for e, v in ex))
EOF
		rc=$?
		cat "$tmp/part.txt"
		[ $rc -eq 0 ] || exit 1
		cat "$tmp/part.txt" >>"$report"
	done
	tests/lab/lab down >/dev/null 2>&1
done

if [ "${BENCH_SAVE:-}" = 1 ]; then
	cp "$report" doc/bench.txt && echo "bench: saved to doc/bench.txt" >&2
fi
