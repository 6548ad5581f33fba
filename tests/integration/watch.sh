#!/bin/bash
# check --watch against a private lab (issue 15, "Watch and propagation"):
# the records and the policy change between two runs, as an operator
# changes them, and the next run says what changed, one line per change
# (text) or in the "changes" array of its JSON line.  The change is made
# on the servers themselves: NSD's zone file rewritten and NSD told to
# reload (SIGHUP), nginx's policy file rewritten.  The tool asks NSD
# directly (--resolver), since the lab's Unbound would keep the old
# answers for up to 60 s.  Also: a run against a stalling MX ends by its
# deadline, SIGINT and SIGTERM end the watch at once, and without SECONDS
# the next run comes at the shortest TTL (30 s at least).  TAP; exit 77
# without root.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
bin=${MTASTS_BIN:-$top/mtasts-tui}
lab=$top/tests/lab/lab

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP the lab needs root"
	exit 77
fi
[ -x "$bin" ] || { echo "not ok - $bin is not built"; exit 1; }

# shellcheck source=tests/lab/private.sh
. "$top/tests/lab/private.sh"
lab_private "${MTASTS_LAB_NS:-mtasts-lab}-w" wat

dom=wat.test
stall=wat-stall.test
ID0=20261101T000000Z
ID1=20261203T060000Z
AUTH=127.0.53.2 # NSD in the lab (tests/lab/README.md)

# shellcheck source=tests/lab/watch-scenario.sh
. "$top/tests/lab/watch-scenario.sh"
watch_scenario "$dom" "$ID0" "watch: a correct enforce domain that changes between runs"
cat >"$MTASTS_LAB_SCENARIOS/$stall.toml" <<EOF
domain = "$stall"
description = "watch: an MX that accepts TCP and never sends a banner"
[txt]
"_mta-sts" = [["v=STSv1; id=$ID0"]]
[policy]
body = """
version: STSv1
mode: enforce
mx: mx.$stall
max_age: 86400
"""
[[mx]]
host = "mx.$stall"
pref = 10
tls = "stall"
EOF
if ! "$lab" up >"$work/lab-up.log" 2>&1; then
	nok "lab up"
	sed 's/^/# /' "$work/lab-up.log" | tail -20
	exit 1
fi
ok "private lab up"

zone=$MTASTS_LAB_DIR/zones/$dom.zone
body=$MTASTS_LAB_DIR/www/mta-sts.$dom.body
nsd_pid=$(cat "$MTASTS_LAB_DIR/nsd/nsd.pid")

# wait_for FILE PATTERN SECONDS: until the pattern shows in the file
wait_for() {
	local i=0
	while ! grep -q -- "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -gt $(($3 * 10)) ] && return 1
		sleep 0.1
	done
}
# wait_gone PID SECONDS: until the process has ended
wait_gone() {
	local i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -gt $(($2 * 10)) ] && return 1
		sleep 0.1
	done
}
# publish ID MODE MAX_AGE PREF: the zone and the policy as an operator
# changes them, NSD reloads its zones.
publish() {
	sed -i -e "s/id=[A-Za-z0-9]*/id=$1/" \
	    -e "s/IN MX [0-9]* mx1/IN MX $4 mx1/" "$zone"
	printf 'version: STSv1\nmode: %s\nmx: mx1.%s\nmax_age: %s\n' \
	    "$2" "$dom" "$3" >"$body.new"
	mv "$body.new" "$body"
	kill -HUP "$nsd_pid"
	# NSD reloads in a child; wait until it serves the new id.
	local i=0
	while ! "$lab" exec drill -Q @$AUTH TXT "_mta-sts.$dom" 2>/dev/null |
	    grep -q "id=$1"; do
		i=$((i + 1))
		[ "$i" -gt 50 ] && return 1
		sleep 0.1
	done
}
watch_run() { # OUT ARGS...: the watch in the lab, in the background
	local out=$1
	shift
	"$lab" exec "$bin" check --no-history "$@" >"$out" 2>"$out.err" &
	pid=$!
}

# 1. Text: three runs, the change made after the first.
watch_run "$work/text.txt" --resolver $AUTH --watch=3 --count 3 $dom
if wait_for "$work/text.txt" '^watch: next run in 3 s' 30; then
	ok "run 1: the report, then when the next run comes"
else
	nok "run 1 did not finish"
fi
check "run 1 printed the whole report first" \
    grep -q "^  *exit: *0, nothing to fix" "$work/text.txt"
publish $ID1 testing 86400 20 || nok "NSD did not reload the zone"
wait_gone "$pid" 40
wait "$pid"
rc=$?
check "three runs, then exit with the last run's status (0)" test "$rc" -eq 0
has() { grep -qx -- "$2" "$work/$1"; } # FILE LINE
check "run 2 counts its changes" \
    grep -q "^watch: run 2 at .*Z: [0-9]* changes; next run in 3 s$" "$work/text.txt"
check "the id change" has text.txt "  id _mta-sts.$dom: $ID0 -> $ID1"
check "the policy's mode" has text.txt "  policy mode: enforce -> testing"
check "the policy's max_age" has text.txt "  policy max_age: 604800 -> 86400"
check "the MX record gone" has text.txt "  mx $dom: - 10 mx1.$dom"
check "the MX record new" has text.txt "  mx $dom: + 20 mx1.$dom"
check "the verdict's mode" has text.txt "  verdict mode: enforce -> testing"
check "run 3: nothing changed, and no next run" \
    grep -q "^watch: run 3 at .*Z: no change$" "$work/text.txt"
check "nothing on stderr" test ! -s "$work/text.txt.err"
if grep -q "^watch: run 4" "$work/text.txt"; then
	nok "--count 3 stops after three runs"
else
	ok "--count 3 stops after three runs"
fi

# 2. JSON Lines: the change back, in the second document's "changes".
watch_run "$work/lines.json" --json --resolver $AUTH --watch=2 --count 2 $dom
wait_for "$work/lines.json" '"run":1' 30 || nok "JSON run 1 did not finish"
publish $ID0 enforce 604800 10 || nok "NSD did not reload the zone"
wait_gone "$pid" 40
wait "$pid"
check "JSON: two documents with the changes back" python3 - "$work/lines.json" \
    "$dom" "$ID0" "$ID1" <<'PY'
import json, sys
path, dom, id0, id1 = sys.argv[1:]
docs = [json.loads(l) for l in open(path)]
assert len(docs) == 2, len(docs)
a, b = docs
assert a["domain"] == dom and a["watch"]["run"] == 1 and a["changes"] == [], a["watch"]
assert a["watch"]["next_in"] == 2 and b["watch"]["next_in"] is None, (a["watch"], b["watch"])
assert b["watch"]["run"] == 2 and isinstance(b["watch"]["ttl"], int), b["watch"]
ch = {(c["kind"], c["subject"], c["old"], c["new"]) for c in b["changes"]}
want = {("id", "_mta-sts." + dom, id1, id0),
        ("policy", "mode", "testing", "enforce"),
        ("policy", "max_age", "86400", "604800"),
        ("mx", dom, "20 mx1." + dom, None),
        ("mx", dom, None, "10 mx1." + dom)}
assert want <= ch, ch
assert all(set(c) == {"kind", "layer", "subject", "old", "new"} for c in b["changes"])
assert {c["layer"] for c in b["changes"] if c["kind"] == "id"} == {"dns"}
PY

# 3. A stalling MX: every run ends by its deadline (4 s), so two runs and
# the wait between them take well under 2 x 4 + 1 + slack.
start=$(date +%s)
timeout 40 "$lab" exec "$bin" check --no-history --deadline 4 --watch=1 \
    --count 2 $stall >"$work/stall.txt" 2>&1
rc=$?
spent=$(($(date +%s) - start))
check "stalling MX: two runs in ${spent}s (at most 14)" test "$spent" -le 14
check "stalling MX: both runs reported, exit 1 (cut: not examined)" sh -c \
    "test $rc -eq 1 && grep -q '^watch: run 2 at .*: no change$' '$work/stall.txt'"
check "stalling MX: the probe is reported as cut at the deadline" \
    grep -q "warning mx_tls.cut" "$work/stall.txt"

# 4. SIGINT during the wait ends the watch at once, with the status of the
# last run; SIGTERM too.  Without SECONDS the next run is at the shortest
# TTL: the lab's Unbound keeps answers at most 60 s, so 30..61 s.
watch_run "$work/int.txt" --watch=60 $dom
wait_for "$work/int.txt" '^watch: next run in 60 s' 30 || nok "SIGINT run 1"
kill -INT "$pid"
if wait_gone "$pid" 5; then ok "SIGINT ends the watch within 5 s"; else nok "SIGINT ends the watch within 5 s"; kill -KILL "$pid"; fi
wait "$pid"
check "SIGINT: exit status of the last run (0)" test $? -eq 0
watch_run "$work/ttl.txt" --watch $dom
wait_for "$work/ttl.txt" '^watch: next run in' 30 || nok "TTL run 1"
next=$(sed -n 's/^watch: next run in \([0-9]*\) s (shortest TTL).*/\1/p' "$work/ttl.txt")
check "no SECONDS: next run at the shortest TTL, 30..61 s (${next:-none})" \
    test "${next:-0}" -ge 30 -a "${next:-0}" -le 61
kill -TERM "$pid"
if wait_gone "$pid" 5; then ok "SIGTERM ends the watch within 5 s"; else nok "SIGTERM ends the watch within 5 s"; kill -KILL "$pid"; fi
wait "$pid"

# 5. A second SIGINT does not wait for the run under way (the stalling
# MX holds it for the whole deadline, 20 s).
watch_run "$work/int2.txt" --deadline 20 --watch=1 $stall
sleep 1.5
kill -INT "$pid"
sleep 0.3
check "one SIGINT during a run: the run goes on" kill -0 "$pid"
kill -INT "$pid"
if wait_gone "$pid" 3; then ok "a second SIGINT ends it at once"; else nok "a second SIGINT ends it at once"; kill -KILL "$pid"; fi
wait "$pid"

if [ "$fails" -ne 0 ]; then
	for f in "$work"/*.txt "$work"/*.json "$work"/*.err; do
		[ -f "$f" ] || continue
		echo "# --- ${f##*/}"
		cut -c1-300 "$f" | sed 's/^/# /' | tail -40
	done
fi
[ "$fails" -eq 0 ]
