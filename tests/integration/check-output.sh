#!/bin/bash
# check --json and --text on hostile records, a domain that does not exist,
# the per-layer timings, and the exit statuses.  TAP output.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
lab="$top/tests/lab/lab"
bin="$top/mtasts-tui"
fails=0
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; fails=$((fails + 1)); [ -n "${2:-}" ] && printf '%s\n' "$2" | head -8 | sed 's/^/#   /'; }
check() { if [ "$1" -eq 0 ]; then ok "$2"; else notok "$2" "${3:-}"; fi; }

# A TXT record with quotes, backslashes, ESC, BEL and 0xff.
json=$("$lab" exec "$bin" check --json --no-history txt-hostile.test)
printf '%s' "$json" | python3 -c 'import json,sys; json.load(sys.stdin)'
check $? "hostile TXT: --json output is valid JSON"
raw=$(printf '%s' "$json" | python3 -c '
import json, sys
s = json.load(sys.stdin)["layers"][0]["data"]["txt"][0]["strings"]
ok = s == ["v=STSv1; id=1\"q\\\\b", "\x1b", "]0;pwned", "\x07\ufffd"]
print(repr(s))
sys.exit(0 if ok else 1)')
check $? "hostile TXT: strings round-trip (ESC kept as a character, 0xff as U+FFFD, quotes and backslashes intact)" "$raw"
printf '%s' "$json" | grep -q $'\x1b'
check $((1 - $?)) "hostile TXT: no raw ESC byte in the JSON"
text=$("$lab" exec "$bin" check --text --no-history txt-hostile.test)
printf '%s' "$text" | grep -q $'\x1b\|\x07'
check $((1 - $?)) "hostile TXT: no raw ESC or BEL byte in --text output"
printf '%s' "$text" | grep -qF '\x1b]0;pwned\x07\xff'
check $? "hostile TXT: --text shows the bytes escaped" "$(printf '%s' "$text" | head -5)"
NO_COLOR=1 script -qec "$lab exec $bin check --no-history good-enforce.test" /dev/null >"${TMPDIR:-/tmp}/tty.$$" 2>&1
grep -q $'\x1b\[' "${TMPDIR:-/tmp}/tty.$$"
check $((1 - $?)) "NO_COLOR: no colour even on a terminal"
script -qec "$lab exec $bin check --no-history good-enforce.test" /dev/null >"${TMPDIR:-/tmp}/tty.$$" 2>&1
grep -q $'\x1b\[32m' "${TMPDIR:-/tmp}/tty.$$"
check $? "colour on a terminal by default"
rm -f "${TMPDIR:-/tmp}/tty.$$"

# A domain that does not exist at all.
out=$("$lab" exec "$bin" check --json --no-history nowhere-at-all.test)
rc=$?
[ "$rc" = 2 ] && printf '%s' "$out" | grep -q '"mx.nxdomain"'
check $? "nonexistent domain: mx.nxdomain, exit 2" "rc=$rc"

# Layers run at once: the total is close to the slowest layer, not the sum.
json=$("$lab" exec "$bin" check --json --no-history --timeout 4 policy-stall.test)
printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
t = {l["id"]: l["elapsed_ms"] for l in d["layers"]}
total = d["elapsed_ms"]
slowest = max(t.values())
ok = total < slowest + 1000 and t["fetch"] >= 1500
print("total", total, "per layer", t)
sys.exit(0 if ok else 1)' >"${TMPDIR:-/tmp}/conc.$$"
check $? "a stalled fetch does not delay the other layers (total ~ slowest layer)" "$(cat "${TMPDIR:-/tmp}/conc.$$")"
rm -f "${TMPDIR:-/tmp}/conc.$$"

# IDN: both forms shown, the A-label queried.
out=$("$lab" exec "$bin" check --json --no-history 'bücher.test' 2>&1)
printf '%s' "$out" | grep -q '"domain_unicode": "bücher.test"' && printf '%s' "$out" | grep -q '"domain": "xn--bcher-kva.test"'
check $? "IDN: domain and domain_unicode in JSON"

[ "$fails" -eq 0 ]
