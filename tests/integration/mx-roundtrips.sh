#!/bin/bash
# The MX chain at its round-trip bound, shown without timing anything:
#  1. every question about every MX host (A, AAAA, CNAME) is in flight at
#     the same time: a barrier in front of the lab's Unbound holds those
#     questions and forwards them only once all of them have arrived (or,
#     failing that, after a hold); the check must fill the barrier.  Asked
#     one after another, the first question would wait out the hold alone.
#  2. the STARTTLS probes send QUIT and close: no reply follows QUIT in any
#     transcript, and the transcript says so.
# The addresses and names come from the lab (good-enforce.test), so this
# runs in any lab instance.  TAP output.
set -u
. "$(dirname "$0")/../lab/testlib.sh"
lab_require_up

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/mtasts-tui
DOMAIN=good-enforce.test
tmp=$(mktemp -d)
relay_pid=
cleanup() {
    [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

lx "$BIN" check --json --no-history "$DOMAIN" >"$tmp/plain.json"
hosts=$("$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
mx = [l for l in d["layers"] if l["id"] == "mx"][0]["data"]
print(" ".join(h["name"] for h in mx["hosts"]))' "$tmp/plain.json")
n=$(echo "$hosts" | wc -w)
[ "$n" -ge 2 ]
check $? "$DOMAIN has at least 2 MX hosts ($hosts)"

# The barrier: UDP on 127.0.0.1 inside the namespace, forwarding each
# question to the lab's resolver on its own socket.  It writes "barrier"
# when the expected questions were all held at once, else "hold".
cat >"$tmp/barrier.py" <<'EOF'
import socket, struct, sys, threading

upstream, statefile, hold = sys.argv[1], sys.argv[2], float(sys.argv[3])
want = {(h.lower().rstrip("."), t) for h in sys.argv[4:] for t in (1, 28, 5)}
seen, cond, outcome = set(), threading.Condition(), []


def question(pkt):
    i, labels = 12, []
    while i < len(pkt) and pkt[i] != 0 and len(labels) < 128:
        n = pkt[i]
        labels.append(pkt[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    qtype = struct.unpack("!H", pkt[i + 1:i + 3])[0] if i + 3 <= len(pkt) else 0
    return ".".join(labels).lower(), qtype


def serve(pkt, peer, srv):
    q = question(pkt)
    if q in want:
        with cond:
            seen.add(q)
            if seen >= want and not outcome:
                outcome.append("barrier")
                cond.notify_all()
            if not cond.wait_for(lambda: outcome, timeout=hold):
                outcome.append("hold")
                cond.notify_all()
    up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    up.settimeout(5)
    try:
        up.sendto(pkt, (upstream, 53))
        srv.sendto(up.recv(65535), peer)
    except OSError:
        pass
    up.close()
    with cond:
        if outcome:
            with open(statefile, "w") as f:
                f.write(outcome[0] + "\n")


srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
srv.bind(("127.0.0.1", 0))
srv.settimeout(30)                  # idle that long: the test is over
print("ready", srv.getsockname()[1], flush=True)
while True:
    try:
        pkt, peer = srv.recvfrom(65535)
    except socket.timeout:
        sys.exit(0)
    threading.Thread(target=serve, args=(pkt, peer, srv), daemon=True).start()
EOF
# shellcheck disable=SC2016  # awk program, not shell
upstream=$(lx awk '$1 == "nameserver" { print $2; exit }' /etc/resolv.conf)
# Not through lx (a function: $! would be a subshell): timeout's pid.
# shellcheck disable=SC2086  # one argument per host
timeout 60 "$LAB" exec "$PY" "$tmp/barrier.py" "$upstream" "$tmp/state" 1.5 $hosts >"$tmp/relay.out" 2>&1 &
relay_pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
    grep -q ready "$tmp/relay.out" 2>/dev/null && break
    sleep 0.3
done
port=$(awk '$1 == "ready" { print $2 }' "$tmp/relay.out" 2>/dev/null)
[ -n "$port" ]
check $? "barrier resolver is up (127.0.0.1@$port, upstream $upstream)" "$(cat "$tmp/relay.out")"

LX_TIMEOUT=60 lx "$BIN" check --json --no-history --resolver "127.0.0.1@$port" "$DOMAIN" >"$tmp/barrier.json"
check $? "check through the barrier passes"
state=$(cat "$tmp/state" 2>/dev/null)
[ "$state" = barrier ]
check $? "A, AAAA and CNAME of all $n MX hosts were asked at the same time (got: ${state:-nothing})"
# Same MX result as without the barrier: names, addresses, CNAMEs.
mxdata() {
    "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
mx = [l for l in d["layers"] if l["id"] == "mx"][0]["data"]
print(json.dumps(mx["hosts"], sort_keys=True))' "$1"
}
a=$(mxdata "$tmp/plain.json")
b=$(mxdata "$tmp/barrier.json")
[ -n "$a" ] && [ "$a" = "$b" ] && echo "$a" | grep -q '"addresses": \["'
check $? "the MX layer's hosts are the same through the barrier"
kill "$relay_pid" 2>/dev/null
wait "$relay_pid" 2>/dev/null
relay_pid=

# 2. QUIT without waiting: in every transcript of every probe, nothing is
# received after '> QUIT'.
out=$("$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
tls = [l for l in d["layers"] if l["id"] == "mx_tls"][0]["data"]
nquit = bad = noted = 0
for h in tls["hosts"]:
    for a in h["addresses"]:
        for kind in ("probe", "no_sni", "legacy_tls"):
            p = a.get(kind) or {}
            t = p.get("transcript") or []
            q = [i for i, e in enumerate(t) if e["dir"] == ">" and e["text"] == "QUIT"]
            if not q:
                continue
            nquit += 1
            after = t[q[-1] + 1:]
            bad += any(e["dir"] == "<" for e in after)
            noted += any(e["dir"] == "*" and "without waiting" in e["text"] for e in after)
print(nquit, bad, noted)' "$tmp/plain.json")
read -r nquit bad noted <<<"$out"
[ "${nquit:-0}" -ge "$n" ]
check $? "probes sent QUIT ($nquit transcripts)"
[ "${bad:-1}" = 0 ]
check $? "no reply read after QUIT in any transcript ($bad with one)"
[ "${noted:-0}" = "${nquit:-x}" ]
check $? "every transcript notes the close without waiting ($noted of $nquit)"

finish
