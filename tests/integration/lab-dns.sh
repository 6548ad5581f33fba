#!/bin/bash
# The lab resolver answers every record the scenario files declare, and only those:
# checked with kdig and drill from inside the namespace.  TAP output.
set -u
. "$(dirname "$0")/../lab/testlib.sh"
lab_require_up

# resolv.conf inside the namespace points at the lab resolver.
ns=$(lx sh -c 'grep ^nameserver /etc/resolv.conf')
res=$("$PY" -c 'import json,sys;print(json.load(open(sys.argv[1]))["infra"]["resolver"])' "$RUN/scenarios.json")
[ "$ns" = "nameserver $res" ]; check $? "resolv.conf in the namespace names the lab resolver $res" "$ns"

# No recursion to the outside: names outside test. are refused, never resolved.
out=$(lx kdig +timeout=2 +retry=0 A example.com 2>&1)
echo "$out" | grep -q 'status: REFUSED'; check $? "resolver refuses names outside test. (no recursion)" "$out"
out=$(lx kdig +timeout=2 +retry=0 NS . 2>&1)
echo "$out" | grep -q 'status: REFUSED'; check $? "resolver refuses the root zone" "$out"

# Provider zones (mailhardener.com, ...) that scenarios delegate to are served
# by the lab too, and nothing else outside test.: not their parent, not a lookalike.
pzones=$("$PY" -c 'import json,sys;print(" ".join(json.load(open(sys.argv[1]))["infra"]["provider_zones"]))' "$RUN/scenarios.json")
for z in $pzones; do
    out=$(lx kdig +timeout=2 +retry=0 SOA "$z" 2>&1)
    echo "$out" | grep -q 'status: NOERROR' && echo "$out" | grep -q 'ns.lab.test'
    check $? "provider zone $z is answered by the lab's NSD" "$out"
    out=$(lx kdig +timeout=2 +retry=0 A "$z.evil.example" 2>&1)
    echo "$out" | grep -q 'status: REFUSED'; check $? "resolver refuses the lookalike $z.evil.example" "$out"
    out=$(lx kdig +timeout=2 +retry=0 NS "${z#*.}" 2>&1)
    echo "$out" | grep -q 'status: REFUSED'; check $? "resolver refuses ${z#*.}, the parent of $z" "$out"
done

while IFS=$'\t' read -r kind dom typ name want; do
    case $kind in
    rr)
        out=$(lx kdig +timeout=3 +retry=1 +short "$typ" "$name" 2>&1)
        got=$(printf '%s\n' "$out" | tr 'A-Z' 'a-z' | sort -u | paste -sd "$RS")
        exp=$(printf '%s\n' "${want//$RS/$'\n'}" | tr 'A-Z' 'a-z' | sort -u | paste -sd "$RS")
        if [ "$exp" = "*" ]; then
            [ -n "$out" ]; check $? "$dom: $name $typ has an answer" "$out"
        else
            [ "$got" = "$exp" ]; check $? "$dom: $name $typ = ${want//$RS/ | }" "got: ${got//$RS/ | }"
        fi
        ;;
    servfail)
        out=$(lx kdig +timeout=5 +retry=0 "$typ" "$name" 2>&1)
        echo "$out" | grep -q 'status: SERVFAIL'; check $? "$dom: $name $typ is SERVFAIL" "$out"
        ;;
    timeout)
        # Unbound may answer SERVFAIL once it gives up on the silent server; what
        # must never happen is a real answer within the client's timeout.
        start=$(date +%s)
        out=$(lx kdig +timeout=3 +retry=0 "$typ" "$name" 2>&1)
        took=$(($(date +%s) - start))
        if echo "$out" | grep -q 'status: NOERROR\|status: NXDOMAIN'; then
            notok "$dom: $name $typ gets no answer (timeout or SERVFAIL)"; printf '#   %s\n' "$out" | head -5
        else
            ok "$dom: $name $typ gets no answer (timeout or SERVFAIL after ${took}s)"
        fi
        ;;
    esac
done < <(expect_rows dns)

# Explicit properties the brief calls out, with drill as a second client.
out=$(lx timeout 5 drill TXT _mta-sts.good-enforce.test 2>&1)
echo "$out" | grep -q $'IN\tTXT\t"v=STSv1; " "id=20261101T000000Z"'
check $? "drill: good-enforce _mta-sts TXT is two character-strings" "$out"
out=$(lx timeout 5 drill -t MX null-mx.test 2>&1)   # -t: over TCP, which must work too
echo "$out" | grep -qE $'IN\tMX\t0 \\.$'; check $? "drill (TCP): null-mx.test has MX 0 ." "$out"
out=$(lx kdig +timeout=3 +short TXT _mta-sts.txt-bytes.test 2>&1)
[ "$out" = '"v=STSv1; id=2026" "\233" "1101"' ]; check $? "txt-bytes: raw byte 0xE9 survives as \\233" "$out"
out=$(lx kdig +timeout=3 TXT _mta-sts.multi-txt.test 2>&1)
[ "$(echo "$out" | grep -c 'TXT.*"v=STSv1')" = 2 ]; check $? "multi-txt: two v=STSv1 RRs at one name" "$out"
out=$(lx kdig +timeout=3 TXT _mta-sts.no-txt.test 2>&1)
echo "$out" | grep -q 'status: NXDOMAIN'; check $? "no-txt: _mta-sts is NXDOMAIN" "$out"
out=$(lx kdig +timeout=3 TXT _mta-sts.txt-cname.test 2>&1)
echo "$out" | grep -q 'CNAME' && echo "$out" | grep -q 'TXT.*v=STSv1'
check $? "txt-cname: CNAME followed to the TXT" "$out"

out=$(lx kdig +timeout=3 A mta-sts.deleg-ok.test 2>&1)
echo "$out" | grep -q 'CNAME.*deleg-ok.test._mta-sts.mailhardener.com' && echo "$out" | grep -q 'mailhardener.com.*IN.*A.*127\.'
check $? "deleg-ok: mta-sts CNAME followed into the provider zone to an address" "$out"
out=$(lx kdig +timeout=3 A mta-sts.deleg-dangling.test 2>&1)
echo "$out" | grep -q 'status: NXDOMAIN' && echo "$out" | grep -q 'CNAME'
check $? "deleg-dangling: mta-sts is a CNAME to a name that does not exist (NXDOMAIN)" "$out"

finish
