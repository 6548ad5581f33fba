#!/bin/bash
# Every MX listener shows the TLS behaviour its scenario declares, checked with
# gnutls-cli (STARTTLS + PKIX verification) and curl (the SMTP dialogue) from
# inside the namespace.  TAP output.
set -u
. "$(dirname "$0")/../lab/testlib.sh"
lab_require_up

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# STARTTLS handshake against one address, SNI and name check = the MX host name.
tls() {  # tls HOST ADDR [gnutls-cli args...]; output in $out, status in $rc
    local host=$1 addr=$2
    shift 2
    out=$(lx gnutls-cli --starttls-proto=smtp --port 25 --sni-hostname "$host" \
        --verify-hostname "$host" "$@" "$addr" </dev/null 2>&1)
    rc=$?
}
# The SMTP dialogue up to STARTTLS, as curl -v shows it.
dialog() {  # dialog HOST ADDR; output in $out, curl status in $rc
    local a=$2
    case $a in *:*) a="[$a]" ;; esac
    out=$(lx curl -v --max-time 4 --ssl-reqd --resolve "$1:25:$a" "smtp://$1" 2>&1)
    rc=$?
}
status() { echo "$out" | grep -E 'Status:|Fatal|Error|alert' | head -3; }
completed() { echo "$out" | grep -q 'Handshake was completed'; }
trusted() { echo "$out" | grep -q 'The certificate is trusted'; }

while IFS=$'\t' read -r dom host addr mode; do
    what="$dom: $host ($addr) $mode"
    case $mode in
    valid|tls12-only|legacy-tls|sni-required|cn-only)
        tls "$host" "$addr"
        if [ "$mode" = cn-only ]; then
            # Name only in the CN: GnuTLS falls back to it; the point is the missing SAN.
            completed; check $? "$what: STARTTLS handshake completes" "$(status)"
            lx gnutls-cli --starttls-proto=smtp --port 25 --sni-hostname "$host" --insecure \
                --print-cert "$addr" </dev/null 2>/dev/null | sed -n '/BEGIN CERT/,/END CERT/p;/END CERT/q' >"$tmp/leaf.pem"
            certtool -i --infile "$tmp/leaf.pem" >"$tmp/leaf.txt" 2>&1
            ! grep -q 'Subject Alternative Name' "$tmp/leaf.txt" && grep -q "CN=$host" "$tmp/leaf.txt"
            check $? "$what: leaf has CN=$host and no subjectAltName" "$(grep -E 'Subject:|Alternative' "$tmp/leaf.txt")"
            echo "# $what: GnuTLS says: $(echo "$out" | grep -m1 'Status:')"
        else
            completed && trusted; check $? "$what: STARTTLS handshake completes, chain verifies" "$(status)"
        fi
        case $mode in
        valid)
            echo "$out" | grep -q 'Description: (TLS1\.[23]'; check $? "$what: TLS 1.2 or 1.3" "$(echo "$out" | grep Description)"
            ;;
        tls12-only)
            echo "$out" | grep -q 'Description: (TLS1\.2-'; check $? "$what: negotiates TLS 1.2" "$(echo "$out" | grep Description)"
            tls "$host" "$addr" --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3'
            ! completed; check $? "$what: refuses a TLS 1.3-only client" "$(status)"
            tls "$host" "$addr" --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.1:+VERS-TLS1.0'
            ! completed; check $? "$what: refuses TLS 1.0/1.1" "$(status)"
            ;;
        legacy-tls)
            echo "$out" | grep -q 'Description: (TLS1\.[01]-'; check $? "$what: negotiates TLS 1.0/1.1" "$(echo "$out" | grep Description)"
            tls "$host" "$addr" --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2'
            ! completed; check $? "$what: refuses TLS 1.2 and 1.3" "$(status)"
            ;;
        sni-required)
            tls "$host" "$addr" --disable-sni
            ! completed; check $? "$what: handshake without SNI is aborted" "$(status)"
            ;;
        esac
        dialog "$host" "$addr"
        echo "$out" | grep -q "^< 220 $host ESMTP"; check $? "$what: banner names $host" "$(echo "$out" | grep '^<' | head -2)"
        ;;
    expired|not-yet-valid|wrong-name|self-signed|no-intermediate)
        case $mode in
        expired) why='expired certificate' ;;
        not-yet-valid) why='not yet valid|not yet activated' ;;
        wrong-name) why='does not match' ;;
        self-signed|no-intermediate) why='issuer is unknown' ;;
        esac
        tls "$host" "$addr"
        [ $rc != 0 ] && ! trusted && echo "$out" | grep -qE "$why"
        check $? "$what: verification fails ($why)" "$(status)"
        tls "$host" "$addr" --insecure
        completed; check $? "$what: the TLS handshake itself works (--insecure)" "$(status)"
        ;;
    no-starttls)
        dialog "$host" "$addr"
        echo "$out" | grep -q '^< 220 ' && [ $rc = 64 ] && ! echo "$out" | grep -q '^< 250.STARTTLS'
        check $? "$what: EHLO offers no STARTTLS (curl 64)" "$(echo "$out" | grep -E '^<|curl:' | tail -3)"
        ;;
    starttls-454)
        dialog "$host" "$addr"
        echo "$out" | grep -q '^< 250.STARTTLS' && echo "$out" | grep -q '^< 454 '
        check $? "$what: STARTTLS offered, answered 454" "$(echo "$out" | grep -E '^<|curl:' | tail -3)"
        ;;
    stall)
        t0=$(date +%s)
        dialog "$host" "$addr"
        t=$(($(date +%s) - t0))
        [ $rc = 28 ] && ! echo "$out" | grep -q '^< ' && [ $t -le 8 ]
        check $? "$what: no banner, curl times out in ${t}s" "$(echo "$out" | tail -2)"
        ;;
    close-handshake)
        dialog "$host" "$addr"
        echo "$out" | grep -q '^< 220 2\.0\.0' && [ $rc = 35 ]
        check $? "$what: 220 to STARTTLS, then the handshake dies (curl 35)" "$(echo "$out" | grep -E '^<|curl:' | tail -3)"
        tls "$host" "$addr"
        ! completed; check $? "$what: gnutls-cli handshake fails" "$(status)"
        ;;
    unreachable)
        dialog "$host" "$addr"
        [ $rc = 7 ]; check $? "$what: nothing listens on port 25 (curl 7)" "$(echo "$out" | tail -1)"
        ;;
    trickle|stall-ehlo|stall-starttls|stall-handshake|stall-ehlo-tls|flood|huge)
        # Hostile servers: tests/integration/hostile.sh holds the tool to them.
        lx timeout 3 bash -c "exec 3<>/dev/tcp/$addr/25" 2>/dev/null
        check $? "$what: hostile server accepts on port 25 (see hostile.sh)"
        ;;
    *)
        notok "$what: the test does not know this behaviour"
        ;;
    esac
done < <(expect_rows smtp)

# Postfix must never relay: a RCPT to anywhere is refused.
out=$(lx curl -v --max-time 5 --mail-from a@lab.test --mail-rcpt victim@example.org -T /dev/null \
    --ssl-reqd smtp://mx1.good-enforce.test 2>&1)
echo "$out" | grep -q '^< 554 '; check $? "Postfix refuses to relay (RCPT answered 554)" "$(echo "$out" | grep -E '^<' | tail -2)"

finish
