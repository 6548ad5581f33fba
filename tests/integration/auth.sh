#!/bin/bash
# check --auth against the lab's two name servers (nsd at 127.0.53.2 and
# 127.0.53.6, tests/lab/README.md "Authoritative view"): servers that
# agree, a secondary serving the old id, a lame and an unreachable server,
# the resolver holding an answer the servers no longer serve, and the
# older policy senders may still use (from the local history).  Without
# --auth the layer is not there at all.  TAP output.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lab/testlib.sh
. "$top/tests/lab/testlib.sh"
bin="$top/mtasts-tui"
lab_require_up
if [ ! -f "$RUN/nsd2.conf" ]; then
	echo "1..0 # SKIP the lab has no second name server (no [auth] scenario)"
	exit 77
fi
tmp=$(mktemp -d) || exit 1
changed=0
cleanup() {
	[ "$changed" = 1 ] && restore_zone
	rm -rf "$tmp"
}
trap cleanup EXIT

# jq-less JSON questions: py FILE EXPR prints EXPR over the document d,
# the auth layer a (None when absent) and its findings f (code -> messages).
py() {
	"$PY" - "$1" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
a = next((l for l in d["layers"] if l["id"] == "auth"), None)
f = {}
for x in (a or {}).get("findings", []):
    f.setdefault(x["code"], []).append(x["message"])
print(eval(sys.argv[2]))
EOF
}

run() {  # run NAME DOMAIN ARGS...: check --json into $tmp/NAME.json
	local name=$1 dom=$2
	shift 2
	LX_TIMEOUT=40 lx "$bin" check --json --no-mx-tls "$@" "$dom" >"$tmp/$name.json" 2>"$tmp/$name.err"
}

# 1. Not asked: no layer, in JSON or in text.
run plain auth-agree.test --no-history
check "$(py "$tmp/plain.json" 'a is None and all("auth" not in c for c in (x["code"] for x in d["findings"]))' | grep -qx True; echo $?)" \
	"without --auth there is no auth layer in check --json"
LX_TIMEOUT=40 lx "$bin" check --text --no-color --no-mx-tls --no-history auth-agree.test >"$tmp/plain.txt" 2>&1
layer_line='^[A-Z]+ +auth( |$)'
grep -Eq "$layer_line" "$tmp/plain.txt"
check $((1 - $?)) "without --auth the text report has no auth line"
LX_TIMEOUT=40 lx "$bin" check --text --no-color --no-mx-tls --no-history --auth auth-agree.test >"$tmp/asked.txt" 2>&1
grep -Eq "$layer_line" "$tmp/asked.txt" && grep -q 'servers and resolver agree' "$tmp/asked.txt"
check $? "with --auth the text report has the auth layer and its pass line" "$(grep -A3 -E "$layer_line" "$tmp/asked.txt")"

# 2. Two servers serving the same zone: the pass line.
run agree auth-agree.test --no-history --auth
check "$(py "$tmp/agree.json" 'a["status"]' | grep -qx pass; echo $?)" \
	"agreeing servers: the auth layer passes" "$(py "$tmp/agree.json" 'a')"
check "$(py "$tmp/agree.json" '"auth.agree" in f and len(f) == 1' | grep -qx True; echo $?)" \
	"agreeing servers: auth.agree is the one finding" "$(py "$tmp/agree.json" 'f')"
out=$(py "$tmp/agree.json" 'sorted((s["name"], s["address"], s["state"], s["serial"]) for s in a["data"]["servers"])')
check "$([ "$out" = "[('ns.lab.test', '127.0.53.2', 'ok', 1), ('ns2.lab.test', '127.0.53.6', 'ok', 1)]" ]; echo $?)" \
	"agreeing servers: both name servers asked directly, with their serial" "$out"
out=$(py "$tmp/agree.json" 'a["data"]["apex"], a["data"]["resolver"]["sts_txt"]["records"], a["data"]["servers"][0]["answers"]["mx"]["records"]')
check "$([ "$out" = "('auth-agree.test', ['\"v=STSv1; id=20261101T000000Z\"'], ['10 mx1.auth-agree.test'])" ]; echo $?)" \
	"agreeing servers: the apex, the resolver's TXT and a server's MX in the data" "$out"

# 3. The secondary still serves the old id at serial 1.
run stale auth-stale.test --no-history --auth
msg=$(py "$tmp/stale.json" '" ".join(f.get("auth.disagree", []))')
printf '%s' "$msg" | grep -qF 'ns.lab.test (127.0.53.2, serial 2) serves "v=STSv1; id=20261101T000000Z"' &&
	printf '%s' "$msg" | grep -qF 'ns2.lab.test (127.0.53.6, serial 1) serves "v=STSv1; id=20250101T000000Z"'
check $? "disagreeing servers: auth.disagree names both servers, their serials and ids" "$msg"
check "$(py "$tmp/stale.json" 'a["status"], len(f["auth.disagree"]), a["data"]["disagree"]' | grep -qx "('warn', 1, 1)"; echo $?)" \
	"disagreeing servers: one question differs, the layer warns" "$(py "$tmp/stale.json" 'f')"

# 4. A listed server that answers SERVFAIL: lame delegation.
run lame auth-lame.test --no-history --auth
msg=$(py "$tmp/lame.json" '" ".join(f.get("auth.lame", []))')
printf '%s' "$msg" | grep -qF 'lame.lab.test (127.0.53.3) is listed as a name server of auth-lame.test but answers servfail'
check $? "lame server: auth.lame names it and what it answers" "$msg"
check "$(py "$tmp/lame.json" '"auth.disagree" not in f and "auth.unreachable" not in f' | grep -qx True; echo $?)" \
	"lame server: the two good servers still agree" "$(py "$tmp/lame.json" 'f')"

# 5. A listed server that never answers: unreachable, in bounded time.
t0=$(date +%s%N)
run unreach auth-unreach.test --no-history --auth
t1=$(date +%s%N)
msg=$(py "$tmp/unreach.json" '" ".join(f.get("auth.unreachable", []))')
printf '%s' "$msg" | grep -qF 'blackhole.lab.test (127.0.53.4), a name server of auth-unreach.test: no answer within'
check $? "unreachable server: auth.unreachable names it" "$msg"
ms=$(py "$tmp/unreach.json" 'a["elapsed_ms"]')
check "$([ "$ms" -ge 2500 ] && [ "$ms" -le 6000 ]; echo $?)" \
	"unreachable server: the layer waits its per-server budget (3 s), no more ($ms ms)"
check "$([ $(((t1 - t0) / 1000000)) -lt 15000 ]; echo $?)" \
	"unreachable server: the whole check ends in bounded time ($(((t1 - t0) / 1000000)) ms)"

t0=$(date +%s%N)
run short auth-unreach.test --no-history --auth --deadline 2
t1=$(date +%s%N)
check "$([ $(((t1 - t0) / 1000000)) -lt 4000 ]; echo $?)" \
	"unreachable server, --deadline 2: the check ends by its deadline ($(((t1 - t0) / 1000000)) ms)"
check "$(py "$tmp/short.json" '"auth.cut" in f and "auth.unreachable" in f' | grep -qx True; echo $?)" \
	"unreachable server, --deadline 2: the layer says it was cut, and which server did not answer" "$(py "$tmp/short.json" 'f')"

# 6. The resolver keeps an old answer: ask through Unbound, change the
#    zone on both servers and reload them, then check.
drill_ttl() {  # the TTL the resolver gives the scenario's _mta-sts TXT
	lx drill TXT _mta-sts.auth-agree.test 2>/dev/null |
		awk '$1 == "_mta-sts.auth-agree.test." && $4 == "TXT" { print $2, $0; exit }' >"$tmp/ttl"
	# An answer left from an earlier run (the changed id) must run out first.
	if grep -q 20261101T000000Z "$tmp/ttl"; then cut -d' ' -f1 "$tmp/ttl"; else echo "-$(cut -d' ' -f1 "$tmp/ttl")"; fi
}
served() {  # served ADDR: the TXT the server gives directly
	lx drill -Q TXT _mta-sts.auth-agree.test @"$1" 2>/dev/null
}
hup() {  # reloads both nsd instances (pids the lab recorded)
	awk '$1 == "nsd" || $1 == "nsd2" { print $2 }' "$RUN/state/pids" |
		while read -r pid; do kill -HUP "$pid"; done
}
restore_zone() {  # the scenario's zone back on both servers
	cp "$tmp/zones.orig" "$RUN/zones/auth-agree.test.zone"
	cp "$tmp/zones2.orig" "$RUN/zones2/auth-agree.test.zone"
	touch -d '+4 seconds' "$RUN/zones/auth-agree.test.zone" "$RUN/zones2/auth-agree.test.zone"
	hup
}
ttl=$(drill_ttl)
case $ttl in
	-*) sleep $((${ttl#-} + 1)); ttl=$(drill_ttl) ;;
	*) if [ "$ttl" -lt 20 ]; then sleep $((ttl + 1)); ttl=$(drill_ttl); fi ;;
esac
for z in "$RUN/zones/auth-agree.test.zone" "$RUN/zones2/auth-agree.test.zone"; do
	cp -p "$z" "$tmp/$(basename "$(dirname "$z")").orig"
	sed -i -e 's/id=20261101T000000Z/id=20261202T000000Z/' \
		-e 's/^\(auth-agree.test. IN SOA [^ ]* [^ ]* \)1 /\12 /' "$z"
	touch -d '+2 seconds' "$z"
done
changed=1
hup
for _ in $(seq 50); do
	served 127.0.53.2 | grep -q 20261202 && served 127.0.53.6 | grep -q 20261202 && break
	sleep 0.1
done
served 127.0.53.6 | grep -q 20261202
check $? "reloaded: both servers serve the new id"
run cached auth-agree.test --no-history --auth
msg=$(py "$tmp/cached.json" '" ".join(f.get("auth.resolver_stale", []))')
printf '%s' "$msg" | grep -qF 'the resolver answers "v=STSv1; id=20261101T000000Z" for _mta-sts.auth-agree.test TXT, which no authoritative server serves now' &&
	printf '%s' "$msg" | grep -qF 'serve "v=STSv1; id=20261202T000000Z"'
check $? "resolver cache: auth.resolver_stale names the old id the resolver holds and the new one the servers serve" "$msg"
left=$(printf '%s' "$msg" | sed -n 's/.*within \([0-9]*\) s (its remaining TTL).*/\1/p')
check "$([ -n "$left" ] && [ "$left" -ge 1 ] && [ "$left" -le 60 ]; echo $?)" \
	"resolver cache: how long until it must drop it is its remaining TTL (${left:-none} s, Unbound keeps at most 60)" "$msg"
restore_zone
changed=0
for _ in $(seq 50); do
	served 127.0.53.2 | grep -q 20261101 && served 127.0.53.6 | grep -q 20261101 && break
	sleep 0.1
done
served 127.0.53.6 | grep -q 20261101
check $? "restored: both servers serve the scenario's id again"

# 7. Until when senders may use an older policy: from the history.
export XDG_CACHE_HOME="$tmp/cache"
run hist1 auth-stale.test --auth
h="$XDG_CACHE_HOME/mtasts-tui/history/auth-stale.test"
if [ -f "$h" ]; then
	sed -i -e 's/^id .*/id 20240101T000000Z/' -e 's/^sha256 .*/sha256 00/' "$h"
fi
run hist2 auth-stale.test --auth
out=$(py "$tmp/hist2.json" 'a["data"]["older_policy"]')
printf '%s' "$out" | grep -q "'id': '20240101T000000Z'" &&
	printf '%s' "$out" | grep -q "'max_age': 86400"
check $? "older policy: the id on record, usable until its fetch + max_age" "$out"
until=$(py "$tmp/hist2.json" 'a["data"]["older_policy"]["usable_until"]' 2>/dev/null)
now=$(date -u +%s)
ts=$(date -u -d "$until" +%s 2>/dev/null || echo 0)
check "$([ $((ts - now)) -gt 86000 ] && [ $((ts - now)) -le 86400 ]; echo $?)" \
	"older policy: usable until about a day from now ($until)"
run hist0 auth-stale.test --auth --no-history
check "$(py "$tmp/hist0.json" 'a["data"]["older_policy"]' | grep -qx None; echo $?)" \
	"older policy: none without a history"
finish
