#!/bin/bash
# Every policy/web host serves what its scenario declares, checked with curl from
# inside the namespace against each of the host's addresses.  TAP output.
set -u
. "$(dirname "$0")/../lab/testlib.sh"
lab_require_up

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# curl against one address of a host (--resolve pins it); prints "rc code [type] size redirect".
fetch() {  # fetch SCHEME HOST PORT ADDR PATH [curl args...]
    local scheme=$1 host=$2 port=$3 addr=$4 path=$5 a rc
    shift 5
    a=$addr; case $a in *:*) a="[$a]" ;; esac
    out=$(lx curl -sS --max-time 4 --resolve "$host:$port:$a" -o "$tmp/body" \
        -w '%{http_code} [%{content_type}] %{size_download} %{redirect_url}' "$@" \
        "$scheme://$host$path" 2>"$tmp/err")
    rc=$?
    echo "$rc $out"
}

while IFS=$'\t' read -r dom host addr beh port path status ctype location cert blen bodyfile idx; do
    [ "$ctype" = "(none)" ] && ctype=
    what="$dom: $host via $addr"
    case $beh in
    refused)
        r=$(fetch https "$host" 443 "$addr" "$path")
        [ "${r%% *}" = 7 ]; check $? "$what: nothing listens (connection refused)" "$r $(cat "$tmp/err")"
        ;;
    stall)
        t0=$(date +%s)
        r=$(LX_TIMEOUT=10 fetch https "$host" 443 "$addr" "$path")
        t=$(($(date +%s) - t0))
        [ "${r%% *}" = 28 ] && [ $t -le 8 ]
        check $? "$what: accepts and stalls (curl times out in ${t}s)" "$r $(cat "$tmp/err")"
        ;;
    trickle)
        # Hostile: exercised by hostile.sh; here only that TLS is served.
        r=$(LX_TIMEOUT=6 lx curl -sS --max-time 3 -o /dev/null --resolve "$host:443:$addr" \
            "https://$host$path" 2>&1)
        echo "$r" | grep -q 'Operation timed out'
        check $? "$what: TLS, then the answer trickles (curl times out)" "$r"
        ;;
    http-only)
        r=$(fetch http "$host" 80 "$addr" "$path")
        set -- $r
        [ "$1" = 0 ] && [ "$2" = "$status" ]; check $? "$what: http:// port 80 answers $status" "$r $(cat "$tmp/err")"
        r=$(fetch https "$host" 443 "$addr" "$path")
        [ "${r%% *}" = 7 ]; check $? "$what: nothing on https port 443" "$r $(cat "$tmp/err")"
        ;;
    https)
        if [ "$cert" = valid ]; then
            r=$(fetch https "$host" 443 "$addr" "$path")
            [ "${r%% *}" = 0 ]; check $? "$what: certificate verifies against the lab root" "$r $(cat "$tmp/err")"
        else
            r=$(fetch https "$host" 443 "$addr" "$path")
            [ "${r%% *}" = 60 ]; check $? "$what: certificate ($cert) fails verification (curl 60)" "$r $(cat "$tmp/err")"
            r=$(fetch https "$host" 443 "$addr" "$path" -k)
        fi
        # The Content-Type may hold spaces: take it out before splitting.
        rtype=${r#*\[}; rtype=${rtype%%\]*}
        rrest=${r%%\[*}${r#*\]}
        set -- $rrest
        [ "$2" = "$status" ]; check $? "$what: HTTP status $status" "$r"
        if [ "$status" = 200 ]; then
            [ "$rtype" = "$ctype" ]; check $? "$what: Content-Type '${ctype:-(none)}'" "$r"
            [ "$3" = "$blen" ] && cmp -s "$tmp/body" "$bodyfile"
            check $? "$what: body is the declared $blen bytes" "$r"
            if [ "$blen" -gt 65536 ]; then
                ok "$what: body is over 64 KiB ($blen bytes)"
            fi
        fi
        case $status in 301|302|303|307|308)
            [ "$4" = "$location" ]; check $? "$what: Location $location" "$r" ;;
        esac
        ;;
    esac
    # The plain path (DNS + SNI, no --resolve) must behave like the first address.
    # (Not where the scenario makes the name's DNS fail on purpose.)
    if [ "$idx" = 0 ] && [ "$beh" = https ] && [ "$cert" = valid ] &&
        ! lx kdig +short +timeout=2 +retry=0 A "$host" 2>&1 | grep -q SERVFAIL &&
        [ -n "$(lx kdig +short +timeout=2 +retry=0 A "$host" 2>/dev/null)" ]; then
        out=$(lx curl -sS --max-time 4 -o /dev/null -w '%{http_code}' "https://$host$path" 2>&1)
        [ "$out" = "$status" ]; check $? "$dom: https://$host$path via DNS answers $status" "$out"
    fi
done < <(expect_rows web)

# The trust store inside the namespace holds only the lab root, for curl and GnuTLS alike.
n=$(lx grep -c 'BEGIN CERTIFICATE' /etc/ssl/certs/ca-certificates.crt)
[ "$n" = 1 ]; check $? "namespace trust store holds exactly one certificate (the lab root)" "$n"
out=$(lx gnutls-cli --port 443 mta-sts.good-enforce.test </dev/null 2>&1)
echo "$out" | grep -q 'The certificate is trusted'; check $? "gnutls-cli trusts the lab chain with no extra flags" "$(echo "$out" | grep -i status)"

finish
