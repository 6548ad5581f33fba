#!/bin/bash
# engine/mx_tls + engine/smtp_probe against the lab's MX listeners: every
# MX address of every scenario is probed at once (as the tool does), and
# each TLS behaviour must give its finding code (TLS-1..TLS-8); `valid`
# must give no error.  Also: severity without a policy (TLS-9), --skip-mx,
# the expiry warning, port25_blocked (connects that time out), the
# transcript (never MAIL FROM/RCPT TO).  Addresses come from
# scenarios.json, so this runs in any lab instance.  TAP output.
set -u
. "$(dirname "$0")/../lab/testlib.sh"
lab_require_up

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
DRV=tests/integration/smtp_probe_driver
if ! make -s "$DRV" >/dev/null 2>&1 || [ ! -x "$DRV" ]; then
    echo "not ok - build $DRV"
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SCALE=0.25   # stall: 5 s banner timeout instead of 20 s

# finding CODE SEVERITY SUBJECT FILE: one such finding line is in FILE
finding() {
    grep -qF "\"code\":\"$1\",\"severity\":\"$2\",\"subject\":\"$3\"" "$4"
}
# errors SUBJECT FILE: the error findings for SUBJECT, one code per line
errors() {
    grep -F "\"severity\":\"error\",\"subject\":\"$1\"" "$2" |
        sed 's/.*"code":"\([^"]*\)".*/\1/'
}
summary() {  # summary HOST ADDR FILE
    grep -F "\"type\":\"summary\",\"host\":\"$1\",\"address\":\"$2\"" "$3" |
        sed 's/.*"line":"\([^"]*\)".*/\1/'
}

# One run over every MX address of every scenario, policy mode enforce.
args=()
declare -A seen=()
while IFS=$'\t' read -r _dom host addr _mode; do
    key="$host=$addr"
    [ -n "${seen[$key]:-}" ] && continue
    seen[$key]=1
    args+=("$host=$addr")
done < <(expect_rows smtp)
t0=$(date +%s)
LX_TIMEOUT=120 lx "$ROOT/$DRV" -v -m 2 -s $SCALE "${args[@]}" >"$tmp/all" 2>"$tmp/err"
rc=$?
t=$(($(date +%s) - t0))
check $rc "driver probes ${#args[@]} MX addresses (rc $rc)" "$(cat "$tmp/err")"
# Concurrency: the stall alone takes 5 s; serial would be far longer.
[ $t -le 20 ]; check $? "all addresses probed concurrently in ${t}s (<= 20 s)"

while IFS=$'\t' read -r dom host addr mode; do
    subj="$host $addr"
    what="$dom: $subj ($mode)"
    line=$(summary "$host" "$addr" "$tmp/all")
    code=
    case $mode in
    valid)
        errs=$(errors "$subj" "$tmp/all")
        [ -z "$errs" ]; check $? "$what: no error" "$errs"
        echo "$line" | grep -qE ': STARTTLS, TLS1\.[23], cert valid [0-9]+ days$'
        check $? "$what: summary '$line'"
        continue
        ;;
    tls12-only)
        errs=$(errors "$subj" "$tmp/all")
        [ -z "$errs" ]; check $? "$what: no error" "$errs"
        echo "$line" | grep -q ': STARTTLS, TLS1\.2, cert valid'
        check $? "$what: negotiates TLS1.2 ('$line')"
        continue
        ;;
    expired) code=mx_tls.expired ;;
    not-yet-valid) code=mx_tls.not_yet_valid ;;
    wrong-name|cn-only) code=mx_tls.name_mismatch ;;
    self-signed) code=mx_tls.untrusted ;;
    no-intermediate) code=mx_tls.incomplete_chain ;;
    no-starttls) code=mx_tls.no_starttls ;;
    starttls-454) code=mx_tls.starttls_refused ;;
    legacy-tls) code=mx_tls.tls_version ;;
    stall|unreachable) code=mx_tls.connect_failed ;;
    close-handshake) code=mx_tls.handshake_failed ;;
    trickle|stall-ehlo|flood|huge) code=mx_tls.connect_failed ;;
    stall-starttls) code=mx_tls.starttls_refused ;;
    stall-handshake|stall-ehlo-tls) code=mx_tls.handshake_failed ;;
    sni-required) code=mx_tls.sni_required ;;
    no-address|ref) continue ;;
    *)
        notok "$what: the test does not know this behaviour"
        continue
        ;;
    esac
    finding "$code" error "$subj" "$tmp/all"
    check $? "$what: $code (error under enforce)" "$(grep -F "\"subject\":\"$subj\"" "$tmp/all" | grep finding)"
    errs=$(errors "$subj" "$tmp/all" | sort -u | tr '\n' ' ')
    [ "$errs" = "$code " ]; check $? "$what: no other error (got: $errs)"
done < <(expect_rows smtp)

# What the rows above cannot show.
grep '"transcript"' "$tmp/all" | grep -qE 'MAIL FROM|RCPT TO'
[ $? = 1 ]; check $? "transcripts never contain MAIL FROM or RCPT TO"
grep '"type":"probe"' "$tmp/all" | grep -q '> STARTTLS' &&
    grep '"type":"probe"' "$tmp/all" | grep -q '> QUIT'
check $? "transcripts show STARTTLS and QUIT"
grep -q 'only TLS1\.[01]' "$tmp/all"
check $? "legacy-only MX summarised as 'STARTTLS, only TLS1.x'"

# Rows for the scenarios used below (first address of each).
row() { expect_rows smtp | awk -F'\t' -v m="$1" '$4 == m { print $2 "=" $3; exit }'; }
valid=$(row valid)
expired=$(row expired)
stall=$(row stall)

if [ -n "$valid" ] && [ -n "$expired" ] && [ -n "$stall" ]; then
    # TLS-9: without a policy the same problems are warnings.
    lx "$ROOT/$DRV" -m 0 -s $SCALE "$expired" >"$tmp/none" 2>&1
    finding mx_tls.expired warning "${expired/=/ }" "$tmp/none"
    check $? "no policy: mx_tls.expired is a warning" "$(grep finding "$tmp/none")"
    lx "$ROOT/$DRV" -m 1 -s $SCALE "$expired" >"$tmp/testing" 2>&1
    finding mx_tls.expired error "${expired/=/ }" "$tmp/testing"
    check $? "testing: mx_tls.expired is an error" "$(grep finding "$tmp/testing")"

    # --skip-mx: listed, not probed, not held against the domain.
    t0=$(date +%s)
    lx "$ROOT/$DRV" -m 2 -s $SCALE -k "${stall%%=*}." "$stall" "$valid" >"$tmp/skip" 2>&1
    t=$(($(date +%s) - t0))
    grep -qF "\"code\":\"mx_tls.skipped\",\"severity\":\"info\",\"subject\":\"${stall%%=*}\"" "$tmp/skip" &&
        ! grep -q '"severity":"error"' "$tmp/skip" && [ $t -le 3 ]
    check $? "--skip-mx: skipped (info), no error, not waited for (${t}s)" "$(grep -E 'finding|summary' "$tmp/skip")"

    # Expiry warning threshold (--expiry-warn): lab certificates last ~2 years.
    lx "$ROOT/$DRV" -m 2 -w 100000 "$valid" >"$tmp/warn" 2>&1
    finding mx_tls.expiring_soon warning "${valid/=/ }" "$tmp/warn"
    check $? "-w 100000: mx_tls.expiring_soon warning" "$(grep finding "$tmp/warn")"
    lx "$ROOT/$DRV" -m 2 "$valid" >"$tmp/nowarn" 2>&1
    ! grep -q expiring_soon "$tmp/nowarn"
    check $? "default 14 days: no expiry warning"

    # -6 with IPv4-only hosts: nothing probed, nothing reported.
    lx "$ROOT/$DRV" -m 2 -f 6 "$valid" >"$tmp/v6" 2>&1
    ! grep -q '"type":"finding"' "$tmp/v6" && ! grep -q '"type":"probe"' "$tmp/v6"
    check $? "family 6 filter leaves IPv4 addresses alone" "$(cat "$tmp/v6")"
else
    notok "lab has valid, expired and stall MX scenarios"
fi

# port25_blocked: a listener whose accept queue is full drops SYNs, so
# connects time out as on a network that filters port 25.
port=2599
lx "$PY" -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(0)
cs = []
for i in range(4):
    c = socket.socket(); c.setblocking(False)
    try: c.connect(("127.0.0.1", int(sys.argv[1])))
    except BlockingIOError: pass
    cs.append(c)
print("ready", flush=True)
time.sleep(20)
' $port >"$tmp/sink" 2>&1 &
sink=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q ready "$tmp/sink" && break; sleep 0.2; done
lx "$ROOT/$DRV" -m 2 -p $port -s 0.1 a.blocked.test=127.0.0.1 b.blocked.test=127.0.0.1 >"$tmp/blocked" 2>&1
kill "$sink" 2>/dev/null
wait "$sink" 2>/dev/null
n=$(grep -c '"type":"finding"' "$tmp/blocked")
grep -qF '"code":"mx_tls.port25_blocked","severity":"warning"' "$tmp/blocked" && [ "$n" = 1 ]
check $? "every connect times out: only mx_tls.port25_blocked ($n finding(s))" "$(grep -E 'finding|summary' "$tmp/blocked")"

finish
