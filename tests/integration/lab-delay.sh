#!/bin/bash
# MTASTS_LAB_DELAY_MS really delays: a private lab instance (its own namespace
# and run directory, only the bench-three-mx.test scenario) comes up with a
# 50 ms one-way delay, and a DNS query (UDP and TCP), an HTTPS fetch, an SMTP
# banner and a whole check each take at least what the relay model imposes,
# and still work.  Lower bounds only, never an upper bound.  TAP output; exit
# 77 without root.  Independent of the shared lab that tests/run.sh brings up.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
LAB=$top/tests/lab/lab
if [ "$(id -u)" != 0 ]; then echo "1..0 # SKIP needs root"; exit 77; fi
if [ -x /usr/bin/python3 ]; then PY=${MTASTS_LAB_PYTHON:-/usr/bin/python3}; else PY=${MTASTS_LAB_PYTHON:-python3}; fi

DELAY=50                     # one way, ms
RTT=$((2 * DELAY))
DOM=bench-three-mx.test
export MTASTS_LAB_NS=mtasts-lab-delay
tmp=$(mktemp -d /tmp/mtasts-lab-delay.XXXXXX) || exit 1
chmod 755 "$tmp"             # Postfix (user postfix) must reach its data directory
export MTASTS_LAB_DIR=$tmp/run
export MTASTS_LAB_SCENARIOS=$tmp/scenarios
mkdir -p "$MTASTS_LAB_SCENARIOS"
cp "$top/tests/lab/scenarios/bench-three-mx.toml" "$MTASTS_LAB_SCENARIOS/" || exit 1
trap '"$LAB" down >/dev/null 2>&1; rm -rf -- "$tmp"' EXIT

fails=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fails=$((fails + 1)); }
diag() { printf '#   %s\n' "$@" | head -n 8; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
lx() { timeout 20 "$LAB" exec "$@"; }

# timed NAME MIN_MS CMD...: runs CMD in the namespace; $out, $rc, $ms; one TAP line for the bound.
timed() {
    local name=$1 min=$2 t0
    shift 2
    t0=$(now_ms)
    out=$(lx "$@" 2>&1)
    rc=$?
    ms=$(($(now_ms) - t0))
    if [ "$ms" -ge "$min" ]; then ok "$name takes >= $min ms (took $ms ms)"
    else notok "$name takes >= $min ms (took $ms ms)"; fi
}
works() {  # works DESC: the last timed command succeeded and its output matches the ERE $2
    if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -Eq "$2"; then ok "$1"
    else notok "$1"; diag "exit $rc" "$(printf '%s\n' "$out" | head -n 5)"; fi
}

t0=$(now_ms)
if ! MTASTS_LAB_DELAY_MS=$DELAY "$LAB" up >"$tmp/up.log" 2>&1; then
    notok "lab up with MTASTS_LAB_DELAY_MS=$DELAY"
    diag "$(tail -n 20 "$tmp/up.log")"
    exit 1
fi
ok "lab up with MTASTS_LAB_DELAY_MS=$DELAY ($(($(now_ms) - t0)) ms)"

if "$LAB" status | grep -q '^relay: running'; then ok "relay.py is running"
else notok "relay.py is running"; diag "$("$LAB" status)"; fi

mx1=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["domains"][sys.argv[2]]["mx"][0]["addresses"][0])' \
    "$MTASTS_LAB_DIR/scenarios.json" "$DOM")

# UDP DNS: the query and the answer each wait DELAY (Unbound -> NSD is not delayed).
timed "DNS query over UDP" "$RTT" drill TXT "_mta-sts.$DOM"
works "DNS query over UDP answers through the relay" 'v=STSv1'
# TCP DNS: the query counts as sent 1 RTT after connect, then 1 RTT for the answer.
timed "DNS query over TCP" $((2 * RTT)) drill -t TXT "_smtp._tls.$DOM"
works "DNS query over TCP answers through the relay" 'v=TLSRPTv1'
# HTTPS: A/AAAA (1 RTT) + connect (1) + TLS (>= 1) + GET (1).
timed "HTTPS fetch of the policy" $((4 * RTT)) curl -sS --max-time 15 "https://mta-sts.$DOM/.well-known/mta-sts.txt"
works "HTTPS fetch returns the policy" '^mode: enforce'
# SMTP: the banner arrives 2 RTT after connect (as on a real link).
timed "SMTP banner of $mx1" $((2 * RTT)) bash -c 'exec 3<>"/dev/tcp/$1/25" && IFS= read -r l <&3 && echo "$l" && printf "QUIT\r\n" >&3' _ "$mx1"
works "SMTP banner through the relay" '^220 .*ESMTP'
# The whole check: MX query, A query, banner (2), EHLO, STARTTLS, TLS, EHLO >= 8 RTT; bound at 4.
if [ -x "$top/mtasts-tui" ]; then
    timed "check $DOM" $((4 * RTT)) "$top/mtasts-tui" check --json --no-history "$DOM"
    works "check $DOM passes through the relays (exit 0, enforce ready)" '"enforce_ready": *true'
else
    echo "ok - check $DOM through the relays # SKIP ./mtasts-tui is not built"
fi

relay_pid=$(awk '$1 == "relay" {print $2, $3}' "$MTASTS_LAB_DIR/state/pids")
"$LAB" down >/dev/null 2>&1
if ip netns list | awk '{print $1}' | grep -qxF "$MTASTS_LAB_NS"; then notok "lab down removes namespace $MTASTS_LAB_NS"
else ok "lab down removes namespace $MTASTS_LAB_NS"; fi
read -r pid st <<<"$relay_pid"
if [ -n "${pid:-}" ] && [ "$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $20}')" != "$st" ]; then
    ok "lab down stops relay.py (pid $pid)"
else notok "lab down stops relay.py (pid ${pid:-?})"; fi

echo "# $fails failed"
[ "$fails" = 0 ]
