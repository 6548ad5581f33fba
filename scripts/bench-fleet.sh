#!/bin/bash
# The fleet table's costs, measured through tmux (no timed assertion):
#   scripts/bench-fleet.sh [SCAN.jsonl] [COLSxROWS]
# opens SCAN.jsonl (without one: a scan of a private scale lab,
# MTASTS_SCALE_DOMAINS domains, default 10000; needs root) at 80x24 and
# prints the time to read it, the time of each sort (o through every
# column, O) and of a few filters as the table reports them, and the time
# per page of paging from the first row to the last (PgDn), a key at a
# time and in bursts.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
tool=$top/mtasts-tui
scan=${1:-}
size=${2:-80x24}
cols=${size%x*} rows=${size#*x}
command -v tmux >/dev/null 2>&1 || { echo "bench-fleet: needs tmux" >&2; exit 1; }
[ -x "$tool" ] || { echo "bench-fleet: build mtasts-tui first" >&2; exit 1; }
if [ -z "$scan" ]; then
	[ "$(id -u)" = 0 ] || { echo "bench-fleet: give a SCAN.jsonl, or run as root for a scale lab" >&2; exit 1; }
	# shellcheck source=tests/lab/scale/scalelib.sh
	. "$top/tests/lab/scale/scalelib.sh"
	scale_up
	scan=$SCALE_RUN/scan.jsonl
	ip netns exec "$SCALE_NS" "$tool" scan --concurrency 256 --out "$scan" \
	    "$SCALE_RUN/lab/population/domains.txt" 2>/dev/null
fi
SOCK=mtasts-bench-$$
T=(tmux -L "$SOCK" -f /dev/null)
trap '"${T[@]}" kill-server >/dev/null 2>&1' EXIT
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
screen() { "${T[@]}" capture-pane -p -t b; }
wait_for() { # REGEX SECONDS
	local i
	for ((i = 0; i < $2 * 100; i++)); do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.01
	done
	return 1
}
status() { screen | tail -n 1; }

echo "# $(wc -c <"$scan") bytes, $(($(wc -l <"$scan") - 2)) documents: $scan"
t0=$(now)
"${T[@]}" new-session -d -s b -x "$cols" -y "$rows" \
    "env LANG=C.UTF-8 TERM=screen NO_COLOR=1 $(printf '%q' "$tool") $(printf '%q' "$scan")"
wait_for '^ mtasts-tui  fleet  read ' 600 || { echo "not read"; exit 1; }
echo "read (parse + classify every document): $(since "$t0") s"
n=$(screen | sed -n 2p | awk '{print $1}')
echo "rows: $n, terminal ${cols}x${rows}"

echo "sorts (as the table times them: filter + qsort of the index):"
for ((i = 0; i < 30; i++)); do
	"${T[@]}" send-keys -t b o
	sleep 0.15
	s=$(status)
	echo "  $s" | sed 's/  *$//'
	echo "$s" | grep -q 'sorted by domain' && break
done
"${T[@]}" send-keys -t b O
sleep 0.15
echo "  $(status)"
"${T[@]}" send-keys -t b O

echo "filters:"
for f in 'answer:none' 'class:policy_tls_name' 'cedar' 'mode:enforce blocker:mx' ''; do
	"${T[@]}" send-keys -t b /
	"${T[@]}" send-keys -t b C-u
	[ -n "$f" ] && "${T[@]}" send-keys -t b -l "$f"
	"${T[@]}" send-keys -t b Enter
	sleep 0.15
	echo "  /$f: $(status)"
done

# Paging: one key at a time, each waited for (the latency a person sees),
# then the rest in bursts of 100 until the last row.
page=$((rows - 4))
"${T[@]}" send-keys -t b g
sleep 0.2
t0=$(now)
for ((i = 1; i <= 50; i++)); do
	prev=$(screen | sed -n 4p)
	"${T[@]}" send-keys -t b PgDn
	for ((k = 0; k < 500; k++)); do
		[ "$(screen | sed -n 4p)" != "$prev" ] && break
		sleep 0.002
	done
done
echo "PgDn one at a time, each until drawn: 50 pages in $(since "$t0") s (capture-pane polling included)"
last=$("$tool" scan-summary --per-domain "$scan" 2>/dev/null | cut -f1 | LC_ALL=C sort | tail -n 1)
t0=$(now)
pages=$((n / page + 2))
for ((i = 0; i < pages; i += 100)); do
	"${T[@]}" send-keys -t b -N 100 PgDn
done
wait_for "^$last " 120
echo "PgDn x $pages in bursts of 100 to the last row ($last): $(since "$t0") s"
"${T[@]}" send-keys -t b q
