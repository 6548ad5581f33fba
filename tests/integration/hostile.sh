#!/bin/bash
# Time is bounded whatever a server does.  `check --json --deadline D` against
# every hostile-* scenario (servers that trickle, stall at each SMTP state,
# flood, a DNS server trickling its TCP answer after TC=1, a policy host that
# trickles, addresses over the caps): the check must end within D plus a
# margin, stay under a memory bound, print JSON that parses, and name the step
# that was cut (or the cap that left addresses out).  Cases run three at a
# time.  TAP; prints "# case: 4.6 s, 13 MB" per case.
set -u
. "$(dirname "$0")/../lab/testlib.sh"
lab_require_up

TOP=$(cd "$(dirname "$0")/../.." && pwd)
PROG=$TOP/mtasts-tui
D=${HOSTILE_DEADLINE:-5}    # --deadline for every case
MARGIN=3                    # seconds allowed past it
MAXKB=65536                 # peak RSS bound
# AddressSanitizer's shadow memory and quarantine add their own tens of MB:
# a sanitizer build gets a looser bound (its point there is the checks).
if grep -q -- '-fsanitize=' "$TOP/Makefile" 2>/dev/null; then
    MAXKB=$((MAXKB * 4))
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$PROG" ]; then
    echo "not ok - $PROG is built"
    exit 1
fi
tc=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["infra"]["tc_trickle_server"])' \
    "$RUN/scenarios.json")

# The system trust store (read here, outside the namespace) plus the lab root:
# loaded once per layer, not once per libcurl handle.
cat /etc/ssl/certs/ca-certificates.crt "$RUN/pki/root.pem" >"$tmp/store.pem" 2>/dev/null ||
    cp "$RUN/pki/root.pem" "$tmp/store.pem"
echo "# trust store for policy-many-store: $(grep -c 'BEGIN CERT' "$tmp/store.pem") certificates"

# name|domain|extra args|code that must appear|text its message must contain
cases="dns-tc-trickle|good-enforce.test|--resolver $tc|sts.txt.dns_error|over TCP
dns-tc-trickle-cut|good-enforce.test|--resolver $tc|fetch.cut|cut by the layer's deadline
smtp-trickle|hostile-smtp-trickle.test||mx_tls.cut|in banner
smtp-ehlo|hostile-smtp-ehlo.test||mx_tls.cut|in ehlo;
smtp-starttls|hostile-smtp-starttls.test||mx_tls.cut|in starttls
smtp-handshake|hostile-smtp-handshake.test||mx_tls.cut|in handshake
smtp-ehlo-tls|hostile-smtp-ehlo-tls.test||mx_tls.cut|in ehlo-tls
smtp-flood|hostile-smtp-flood.test||mx_tls.connect_failed|more than 100 lines
smtp-huge|hostile-smtp-huge.test||mx_tls.connect_failed|longer than
policy-trickle|hostile-policy-trickle.test||fetch.cut|cut by the layer's deadline
policy-many|hostile-policy-many.test||fetch.not_examined|8 more addresses
policy-many-store|hostile-policy-many.test|--ca-file $tmp/store.pem|fetch.not_examined|8 more addresses
mx-many|hostile-mx-many.test||mx_tls.not_examined|at most 16 per host"

# One case: the check under /usr/bin/time, its JSON and its exit status.
run_case() {  # run_case NAME DOMAIN ARGS
    local name=$1 dom=$2 args=$3
    # shellcheck disable=SC2086  # args are words
    timeout $((D + 30)) "$LAB" exec /usr/bin/time -f '%e %M' -o "$tmp/$name.time" \
        "$PROG" check --json --no-history --deadline "$D" $args "$dom" \
        >"$tmp/$name.json" 2>"$tmp/$name.err"
    echo $? >"$tmp/$name.rc"
}

# The two dns-tc cases are one run, asserted twice.
n=0
while IFS='|' read -r name dom args _ _; do
    case $name in dns-tc-trickle-cut) continue ;; esac
    run_case "$name" "$dom" "$args" &
    n=$((n + 1))
    [ $((n % 3)) = 0 ] && wait
done <<<"$cases"
wait
cp "$tmp/dns-tc-trickle.json" "$tmp/dns-tc-trickle-cut.json"
cp "$tmp/dns-tc-trickle.time" "$tmp/dns-tc-trickle-cut.time"
cp "$tmp/dns-tc-trickle.rc" "$tmp/dns-tc-trickle-cut.rc"

while IFS='|' read -r name dom _ code text; do
    # time -o puts "Command exited..." first when the status is not 0.
    last=$(tail -n 1 "$tmp/$name.time" 2>/dev/null || echo "999 0")
    secs=${last% *}
    kb=${last#* }
    echo "# $name: $secs s, $((kb / 1024)) MB (exit $(cat "$tmp/$name.rc"))"
    awk -v s="$secs" -v m=$((D + MARGIN)) 'BEGIN { exit !(s + 0 <= m) }'
    check $? "$name: ends within --deadline $D + ${MARGIN} s ($secs s)"
    [ "${kb:-0}" -gt 0 ] && [ "$kb" -le $MAXKB ]
    check $? "$name: peak RSS $((kb / 1024)) MB <= $((MAXKB / 1024)) MB"
    "$PY" - "$tmp/$name.json" "$code" "$text" >"$tmp/$name.why" 2>&1 <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
code, text = sys.argv[2], sys.argv[3]
found = [f for l in doc["layers"] for f in l.get("findings", [])
         if f["code"] == code]
if not found:
    sys.exit(f"no {code}: " + ", ".join(sorted({f['code'] for l in doc['layers']
                                                 for f in l.get('findings', [])})))
if not any(text in f["message"] for f in found):
    sys.exit(f"{code} without '{text}': " + found[0]["message"])
if doc.get("exit_status") not in (0, 1, 2, 3):
    sys.exit(f"exit_status {doc.get('exit_status')!r}")
EOF
    check $? "$name: JSON parses, $code names '$text'" "$(cat "$tmp/$name.why")"
done <<<"$cases"

finish
