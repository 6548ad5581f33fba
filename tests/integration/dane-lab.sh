#!/bin/bash
# DANE in the lab: the lab really signs (kdig +dnssec: AD for names in
# signed zones, none for unsigned ones, SERVFAIL for the tampered TLSA), and
# engine/dane (through tests/integration/dane_driver, until the dane layer
# is wired into `check`) gives every dane-* scenario the dane.* and mx_tls.*
# codes its [check] table lists, and none of its absent ones.  Everything
# comes from scenarios.json and the scenario files.  TAP output.
set -u
. "$(dirname "$0")/../lab/testlib.sh"
lab_require_up

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
SCEN=${MTASTS_LAB_SCENARIOS:-$ROOT/tests/lab/scenarios}
DRV=tests/integration/dane_driver
if ! make -s "$DRV" >/dev/null 2>&1 || [ ! -x "$DRV" ]; then
    echo "not ok - build $DRV"
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# flags NAME TYPE: the header flags of the lab resolver's answer, and status
flags() {
    lx kdig +dnssec +timeout=3 +retry=1 "$2" "$1" 2>&1 |
        sed -n 's/^;; Flags: \([^;]*\);.*/\1/p; s/.*status: \([A-Z]*\).*/\1/p' | paste -sd ' '
}

# The trust anchor and the validator.
out=$(flags test. SOA)
case " $out " in *NOERROR*" ad "*) ok "test. SOA is secure (AD set)" ;;
    *) notok "test. SOA is secure (AD set)"; echo "#   $out" ;; esac
out=$(lx kdig +timeout=2 +retry=0 +dnssec A example.com 2>&1)
echo "$out" | grep -q 'status: REFUSED'; check $? "still refuses names outside test. with DNSSEC on" "$out"

# Rows: zone DOMAIN SIGNED | tlsa OWNER SIGNED BOGUS COUNT
"$PY" - "$RUN/scenarios.json" >"$tmp/rows" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))["domains"]
for dom, s in sorted(d.items()):
    if s["dns_faults"]:
        continue
    sec = s.get("dnssec", {})
    signed = 1 if sec.get("signed") else 0
    if signed or any(m.get("tlsa") for m in s["mx"]):
        print(f"zone\t{dom}\t{signed}")
    for m in s["mx"]:
        if not m.get("tlsa"):
            continue
        owner = f"_25._tcp.{m['host']}."
        # The TLSA lives in the zone that holds the host.
        zone = max((z for z in d if m["host"] == z or m["host"].endswith("." + z)), key=len)
        zs = d[zone].get("dnssec", {})
        zsigned = 1 if zs.get("signed") else 0
        bogus = 1 if owner in zs.get("bogus", []) else 0
        print(f"tlsa\t{owner}\t{zsigned}\t{bogus}\t{len(m['tlsa'])}")
EOF
while IFS=$'\t' read -r kind name signed bogus count; do
    case $kind in
    zone)
        out=$(flags "$name" MX)
        if [ "$signed" = 1 ]; then
            case " $out " in *" ad "*) ok "$name: MX answer is secure (AD)" ;;
                *) notok "$name: MX answer is secure (AD)"; echo "#   $out" ;; esac
        else
            case " $out " in *" ad "*) notok "$name: MX answer is insecure (no AD)"; echo "#   $out" ;;
                *) ok "$name: MX answer is insecure (no AD)" ;; esac
        fi
        ;;
    tlsa)
        full=$(lx kdig +dnssec +timeout=3 +retry=1 TLSA "$name" 2>&1)
        out=$(flags "$name" TLSA)
        n=$(echo "$full" | grep -c $'\tTLSA\t')
        if [ "$bogus" = 1 ]; then
            echo "$full" | grep -q 'status: SERVFAIL'
            check $? "$name: tampered RRSIG makes the TLSA answer SERVFAIL (bogus)" "$out"
            # With CD the data is there: only the signature is broken.
            cd=$(lx kdig +dnssec +cd +timeout=3 +retry=1 TLSA "$name" 2>&1 | grep -c $'\tTLSA\t')
            [ "$cd" = "$count" ]; check $? "$name: with +cd the $count TLSA record(s) are served" "got $cd"
        elif [ "$signed" = 1 ]; then
            case " $out " in *NOERROR*" ad "*) [ "$n" = "$count" ] ;; *) false ;; esac
            check $? "$name: $count TLSA record(s), secure (AD)" "$out; $n records"
        else
            case " $out " in *" ad "*) false ;; *NOERROR*) [ "$n" = "$count" ] ;; *) false ;; esac
            check $? "$name: $count TLSA record(s), insecure (no AD)" "$out; $n records"
        fi
        ;;
    esac
done <"$tmp/rows"

# engine/dane on every dane-* scenario, policy mode enforce.
doms=$("$PY" -c 'import json,sys;print(" ".join(d for d in sorted(json.load(open(sys.argv[1]))["domains"]) if d.startswith("dane-")))' "$RUN/scenarios.json")
if [ -z "$doms" ]; then
    echo "not ok - no dane-* scenario in the lab"
    finish
    exit 1
fi
# shellcheck disable=SC2086
LX_TIMEOUT=120 lx "$ROOT/$DRV" -m 2 -s 0.25 $doms >"$tmp/out" 2>"$tmp/err"
check $? "dane_driver ran on: $doms" "$(head -c 400 "$tmp/err")"

# Rows: DOMAIN want|absent CODE SEVERITY, from each scenario's [check] table.
"$PY" - "$SCEN" $doms >"$tmp/want" <<'EOF'
import os, sys, tomllib
d = sys.argv[1]
doms = set(sys.argv[2:])
for fn in sorted(os.listdir(d)):
    if not fn.endswith(".toml"):
        continue
    s = tomllib.load(open(os.path.join(d, fn), "rb"))
    if s["domain"] not in doms:
        continue
    c = s.get("check", {})
    for want in c.get("codes", []):
        code, _, sev = want.partition(":")
        if code.startswith(("dane.", "mx_tls.")):
            print(f"{s['domain']}\twant\t{code}\t{sev or '-'}")
    for code in c.get("absent", []):
        if code.startswith(("dane.", "mx_tls.")):
            print(f"{s['domain']}\tabsent\t{code}\t-")
EOF
while IFS=$'\t' read -r dom what code sev; do
    pat="\"type\":\"finding\",\"domain\":\"$dom\",\"code\":\"$code\""
    label=$code
    if [ "$sev" != - ]; then pat="$pat,\"severity\":\"$sev\""; label="$code:$sev"; fi
    got=$(grep "\"type\":\"finding\",\"domain\":\"$dom\"" "$tmp/out" |
        sed 's/.*"code":"\([^"]*\)","severity":"\([^"]*\)".*/\1:\2/' | sort -u | paste -sd ' ')
    if [ "$what" = want ]; then
        grep -qF "$pat" "$tmp/out"; check $? "$dom: finding $label" "got: $got"
    else
        ! grep -qF "$pat" "$tmp/out"; check $? "$dom: no finding $code" "got: $got"
    fi
done <"$tmp/want"

# Per-address data in the JSON: the matched record and its depth.
grep -F '"type":"dane","domain":"dane-good.test"' "$tmp/out" |
    grep -q '"host":"mx2.dane-good.test","address":"[^"]*","match":"match","record":0,"depth":1'
check $? "dane-good: mx2 matched by its 2 0 1 record at depth 1 (the intermediate)" \
    "$(grep -F '"domain":"dane-good.test"' "$tmp/out" | head -c 600)"
grep -F '"type":"dane","domain":"dane-good.test"' "$tmp/out" | grep -q '"mx_secure":true'
check $? "dane-good: the MX RRset is secure"
grep -F '"type":"dane","domain":"dane-insecure.test"' "$tmp/out" | grep -q '"dnssec":"insecure"'
check $? "dane-insecure: TLSA lookup state insecure"
grep -F '"type":"summary","domain":"dane-conflict.test"' "$tmp/out" | grep -q 'DANE match: 3 1 1'
check $? "dane-conflict: summary line says DANE match 3 1 1"

finish
