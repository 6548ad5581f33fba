#!/bin/sh
# make bench-scan: how fast `mtasts-tui scan` goes through the scale lab's
# population, how much CPU and memory it takes, side by side with the ad-hoc
# alternatives (`xargs -P N mtasts-tui check --json`, `xargs -P N smtp-check`).
# It prints figures and asserts nothing; doc/benchmark.md says how to read them.
#
# It brings up a private scale lab (namespace mtasts-lab-bscan, a temporary
# run directory, MTASTS_LAB_POPULATION domains) once per one-way delay, and
# for each concurrency scans a sample of the population (the whole
# population from concurrency 64 up: small concurrencies on 10,000 domains
# at 50 ms would take hours and tell nothing more per domain).
#
# Environment: BENCH_SCAN_DOMAINS (population, default 10000),
# BENCH_SCAN_DELAYS (one-way ms, default "0 25"), BENCH_SCAN_CONC (default
# "1 16 64 256"), BENCH_SCAN_ALT (domains for each xargs alternative,
# default 400), BENCH_SCAN_RSS (populations for the memory row, default
# "1000 10000"; add 100000 for the issue's figure, ~10 more minutes),
# BENCH_SAVE=1 (also write the output to doc/bench-scan.txt).
# Needs root; without it, says so and exits 0.

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

if [ "$(id -u)" != 0 ]; then
	echo "bench-scan: needs root (the lab runs in a network namespace); nothing measured"
	exit 0
fi
if [ ! -x ./mtasts-tui ]; then
	echo "bench-scan: ./mtasts-tui is not built (run make)" >&2
	exit 1
fi
PY=${MTASTS_LAB_PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3

N=${BENCH_SCAN_DOMAINS:-10000}
DELAYS=${BENCH_SCAN_DELAYS:-0 25}
CONC=${BENCH_SCAN_CONC:-1 16 64 256}
ALT=${BENCH_SCAN_ALT:-400}
RSS=${BENCH_SCAN_RSS:-1000 10000}
export MTASTS_LAB_NS=mtasts-lab-bscan
tmp=$(mktemp -d /tmp/mtasts-bench-scan.XXXXXX) || exit 1
chmod 755 "$tmp"
export MTASTS_LAB_DIR="$tmp/run"
export MTASTS_LAB_SCENARIOS="$tmp/scenarios"
mkdir -p "$MTASTS_LAB_SCENARIOS"

cleanup() {
	tests/lab/lab down >/dev/null 2>&1
	rm -rf -- "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cp ./mtasts-tui "$tmp/mtasts-tui" || exit 1

report=$tmp/report.txt
{
	echo "mtasts-tui bench-scan: scale lab of $N domains"
	echo "date: $(date -u +%FT%TZ)  host: $(uname -srm)  cpus: $(nproc 2>/dev/null || echo ?)"
	echo "tool: $("$tmp/mtasts-tui" --version 2>/dev/null | head -n 1)  git: $(git describe --always --dirty 2>/dev/null || echo ?)"
} >"$report"
cat "$report"

# lab_up POPULATION DELAY
lab_up() {
	echo "bench-scan: scale lab up ($1 domains, one-way delay $2 ms) ..." >&2
	t0=$(date +%s)
	if ! MTASTS_LAB_POPULATION=$1 MTASTS_LAB_DELAY_MS=$2 tests/lab/lab up >"$tmp/up.log" 2>&1; then
		cat "$tmp/up.log" >&2
		echo "bench-scan: the scale lab did not come up; no figures" >&2
		exit 1
	fi
	echo "lab up: $1 domains in $(( $(date +%s) - t0 )) s" >>"$report"
}

measure() { # measure LABEL DOMAINFILE KIND CONC: one line of figures
	"$PY" "$top/scripts/bench-scan-run.py" "$tmp/mtasts-tui" "$MTASTS_LAB_NS" "$@" >>"$report" ||
		echo "$1: failed" >>"$report"
}

for d in $DELAYS; do
	lab_up "$N" "$d"
	pop=$MTASTS_LAB_DIR/population/domains.txt
	{
		echo
		echo "== RTT $((2 * d)) ms"
		printf '%-34s %8s %9s %10s %12s %10s\n' "run" "domains" "wall s" "domains/s" "CPU ms/dom" "peak MiB"
	} >>"$report"
	for c in $CONC; do
		# Enough domains per slot to reach a steady state, at most the population.
		n=$((c * 40)); [ "$n" -lt 200 ] && n=200; [ "$n" -gt "$N" ] && n=$N
		head -n "$n" "$pop" >"$tmp/sample.txt"
		measure "scan -c $c" "$tmp/sample.txt" scan "$c"
	done
	head -n "$ALT" "$pop" >"$tmp/alt.txt"
	for c in $CONC; do
		[ "$c" -lt 16 ] && continue
		measure "xargs -P $c mtasts-tui check" "$tmp/alt.txt" xargs-check "$c"
		measure "xargs -P $c smtp-check" "$tmp/alt.txt" xargs-smtp-check "$c"
	done
	tests/lab/lab down >/dev/null 2>&1
	tail -n +1 "$report" | sed -n "/== RTT $((2 * d)) ms/,\$p"
done

{
	echo
	echo "== peak RSS against population size (RTT 0 ms, concurrency 256)"
	printf '%-34s %8s %9s %10s %12s %10s\n' "run" "domains" "wall s" "domains/s" "CPU ms/dom" "peak MiB"
} >>"$report"
for p in $RSS; do
	lab_up "$p" 0
	measure "scan -c 256 ($p domains)" "$MTASTS_LAB_DIR/population/domains.txt" scan 256
	tests/lab/lab down >/dev/null 2>&1
done
sed -n '/== peak RSS/,$p' "$report"

if [ "${BENCH_SAVE:-}" = 1 ]; then
	cp "$report" doc/bench-scan.txt && echo "bench-scan: saved to doc/bench-scan.txt" >&2
fi
