#!/bin/bash
# rollout apply against the lab's knotd (127.0.53.7, the [auth] dynamic zone
# apply-dyn.test, tests/lab/README.md "Dynamic updates") and nginx serving
# the zone's policy from a web root: the dry run, the policy that must be
# served before the id goes out, a web root nginx does not serve, a wrong
# key, a key that may not update, a record changed between the read and
# the send, then the apply and a check that reads the new records.
# Every refusal must leave the zone as it was.  TAP output.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lab/testlib.sh
. "$top/tests/lab/testlib.sh"
bin="$top/mtasts-tui"
lab_require_up
if [ ! -f "$RUN/knot.conf" ]; then
	echo "1..0 # SKIP the lab has no dynamic-update server (no [auth] dynamic scenario)"
	exit 77
fi
D=apply-dyn.test
KNOT=127.0.53.7
KEY=$RUN/knot/apply-key.key
OTHER=$RUN/knot/other-key.key
WEB=$RUN/www/mta-sts.$D.root
OLD_ID=20261101T000000Z
tmp=$(mktemp -d) || exit 1
# The lab's policy for the domain (gen.py writes it beside the web root).
cp "$RUN/www/mta-sts.$D.body" "$tmp/policy.orig" || exit 1
secret=$(sed -n 's/.*secret "\(.*\)".*/\1/p' "$KEY")

# set_txt ID: the _mta-sts record becomes that id, by an update of knsupdate
# (the other editor; knsupdate reads no BIND key file, hence -y).
set_txt() {
	printf 'server %s\nzone %s.\nupdate delete _mta-sts.%s. TXT\nupdate add _mta-sts.%s. 1 TXT "v=STSv1; id=%s"\nsend\n' \
		"$KNOT" "$D" "$D" "$D" "$1" | lx knsupdate -y "hmac-sha256:apply-key.:$secret"
}

# Back to the lab's record and policy, whatever a test did.
restore() {
	set_txt "$OLD_ID" >/dev/null 2>&1
	cp "$tmp/policy.orig" "$WEB/.well-known/mta-sts.txt"
	rm -f "$WEB/.well-known/mta-sts.txt.prev"
	for _ in $(seq 50); do
		[ "$(served)" = "\"v=STSv1; id=$OLD_ID\"" ] && return 0
		sleep 0.1
	done
	return 1
}
cleanup() {
	restore
	rm -rf "$tmp"
}
trap cleanup EXIT

# The _mta-sts TXT as knotd serves it now.
served() { lx kdig +short +norec TXT "_mta-sts.$D" @"$KNOT" 2>/dev/null; }
apply() { lx "$bin" rollout apply --state-dir "$tmp/state" "$@" "$D" >"$tmp/out" 2>"$tmp/err"; }
has() { grep -qF -- "$2" "$tmp/$1"; }

restore
check $? "the zone starts from the lab's file" "$(served)"

lx "$bin" rollout start --state-dir "$tmp/state" --mx "mx1.$D" --rua "mailto:tlsrpt@$D" "$D" >"$tmp/start" 2>&1
check $? "rollout start makes a plan" "$(cat "$tmp/start")"

# 1. The dry run: the exact update and its nsupdate script, nothing sent.
apply --tsig-key "$KEY"
rc=$?
check $((rc != 0)) "dry run exits 0" "rc=$rc $(cat "$tmp/err")"
has out "prereq yxrrset _mta-sts.$D. IN TXT \"v=STSv1; id=$OLD_ID\""
check $? "dry run: the prerequisite is the record read from the server" "$(cat "$tmp/out")"
grep -q "^update add _mta-sts.$D. [0-9]* IN TXT \"v=STSv1; id=2[0-9T]*Z\"$" "$tmp/out"
check $? "dry run: the script adds the step's TXT record" "$(cat "$tmp/out")"
has out ";; UPDATE SECTION:" && has out "opcode: UPDATE"
check $? "dry run: the update message is printed" "$(head -n 20 "$tmp/out")"
has out "server $KNOT 53" && has out "zone $D"
check $? "dry run: the script names the server and the zone" "$(cat "$tmp/out")"
has out "Dry run: nothing was sent"
check $? "dry run says nothing was sent" "$(tail -n 3 "$tmp/out")"
[ "$(served)" = "\"v=STSv1; id=$OLD_ID\"" ]
check $? "dry run: the zone is unchanged" "$(served)"
new_id=$(sed -n 's/^update add _mta-sts[^"]*"v=STSv1; id=\([0-9TZ]*\)"$/\1/p' "$tmp/out")
[ -n "$new_id" ] && [ "$new_id" != "$OLD_ID" ]
check $? "the step takes a new id" "new_id=$new_id"

# export --format nsupdate: the same script, for the export's settings.
lx "$bin" export --format nsupdate --mx "mx1.$D" --rua "mailto:tlsrpt@$D" --id 20261203T000000Z "$D" >"$tmp/export" 2>"$tmp/export.err"
check $? "export --format nsupdate exits 0" "$(cat "$tmp/export.err")"
sed -n '/^server /,/^answer$/p' "$tmp/out" | sed "s/id=$new_id/id=20261203T000000Z/" | diff - "$tmp/export" >"$tmp/export.diff"
check $? "export --format nsupdate writes the dry run's script" "$(cat "$tmp/export.diff")"

# The script as a user runs it: BIND's nsupdate with the key file.
if command -v nsupdate >/dev/null 2>&1; then
	lx nsupdate -k "$KEY" "$tmp/export" >"$tmp/nsupdate.out" 2>&1
	rc=$?
	[ "$rc" = 0 ] && [ "$(served)" = '"v=STSv1; id=20261203T000000Z"' ]
	check $? "nsupdate -k KEY runs the exported script: the server serves its id" "rc=$rc $(cat "$tmp/nsupdate.out") served $(served)"
	# Its prerequisite now fails: the record is no longer the one read.
	lx nsupdate -k "$KEY" "$tmp/export" >"$tmp/nsupdate.out" 2>&1
	grep -q NXRRSET "$tmp/nsupdate.out"
	check $? "the same script again: its prerequisite fails (NXRRSET)" "$(cat "$tmp/nsupdate.out")"
	restore
	check $? "back to the lab's record" "$(served)"
else
	ok "nsupdate -k KEY runs the exported script # SKIP nsupdate (bind9-dnsutils) is not installed"
fi

# 2. The plan's policy is not served yet: the id is not sent.
apply --tsig-key "$KEY" --yes
rc=$?
check $((rc != 2)) "no --webroot, the old policy served: exit 2" "rc=$rc $(cat "$tmp/err")"
has err "is not served" && has err "the DNS update was not sent"
check $? "it says the policy is not served and nothing was sent" "$(cat "$tmp/err")"
[ "$(served)" = "\"v=STSv1; id=$OLD_ID\"" ]
check $? "the zone is unchanged" "$(served)"

# 3. A web root nginx does not serve: written, and the fetch says so.
apply --tsig-key "$KEY" --webroot "$tmp/elsewhere" --yes
rc=$?
check $((rc != 2)) "a web root not served: exit 2" "rc=$rc $(cat "$tmp/err")"
[ -s "$tmp/elsewhere/.well-known/mta-sts.txt" ]
check $? "the policy was written into that web root" "$(ls -R "$tmp/elsewhere" 2>&1)"
has err "serves another body than the plan's"
check $? "the verification names the body served" "$(cat "$tmp/err")"
[ "$(served)" = "\"v=STSv1; id=$OLD_ID\"" ]
check $? "the zone is unchanged" "$(served)"

# 4. A wrong key (the right name, another secret).
printf 'key "apply-key." {\n\talgorithm hmac-sha256;\n\tsecret "%s";\n};\n' \
	"$(head -c 32 /dev/urandom | base64)" >"$tmp/wrong.key"
apply --tsig-key "$tmp/wrong.key" --webroot "$WEB" --yes
rc=$?
check $((rc != 2)) "a wrong key: exit 2" "rc=$rc $(cat "$tmp/err")"
has err "NOTAUTH" && has err "BADSIG" && has err "nothing was changed"
check $? "a wrong key: NOTAUTH, BADSIG, nothing changed" "$(cat "$tmp/err")"
[ -f "$WEB/.well-known/mta-sts.txt.prev" ] && cmp -s "$WEB/.well-known/mta-sts.txt.prev" "$tmp/policy.orig"
check $? "--webroot kept the previous policy as mta-sts.txt.prev" "$(ls "$WEB/.well-known")"
[ "$(served)" = "\"v=STSv1; id=$OLD_ID\"" ]
check $? "the zone is unchanged" "$(served)"

# 5. Updates the server does not allow: a key it knows but whose ACL does
# not allow updates, and an unsigned update.  knotd answers both NOTAUTH
# (BADKEY for the key) where other servers answer REFUSED; either way
# nothing may change.
apply --tsig-key "$OTHER" --webroot "$WEB" --yes
rc=$?
check $((rc != 2)) "a key that may not update: exit 2" "rc=$rc $(cat "$tmp/err")"
has err "NOTAUTH" && has err "BADKEY" && has err "nothing was changed"
check $? "it says NOTAUTH, BADKEY, nothing changed" "$(cat "$tmp/err")"
[ "$(served)" = "\"v=STSv1; id=$OLD_ID\"" ]
check $? "the zone is unchanged" "$(served)"
apply --webroot "$WEB" --yes
rc=$?
check $((rc != 2)) "an unsigned update: exit 2" "rc=$rc $(cat "$tmp/err")"
has out "No --tsig-key: the update goes unsigned." && has err "answered NOTAUTH" && has err "nothing was changed"
check $? "it says the server did not accept it, nothing changed" "$(cat "$tmp/err")"
[ "$(served)" = "\"v=STSv1; id=$OLD_ID\"" ]
check $? "the zone is unchanged" "$(served)"

# 6. The record changes between the read and the send (another editor).
MTASTS_TEST_APPLY_BEFORE_SEND="printf 'server $KNOT\nzone $D.\nupdate delete _mta-sts.$D. TXT\nupdate add _mta-sts.$D. 1 TXT \"v=STSv1; id=OTHER1\"\nsend\n' | knsupdate -y hmac-sha256:apply-key.:$secret" \
	apply --tsig-key "$KEY" --webroot "$WEB" --yes
rc=$?
check $((rc != 2)) "a concurrent edit: exit 2" "rc=$rc $(cat "$tmp/err")"
has err "NXRRSET" && has err "changed since they were read"
check $? "it says NXRRSET: the records changed since read" "$(cat "$tmp/err")"
[ "$(served)" = '"v=STSv1; id=OTHER1"' ]
check $? "the other editor's record stays" "$(served)"

# A server that never answers (the lab's blackhole) and one that trickles
# its TCP answer a byte every 3 s: each ends at the 10 s deadline.
for srv in blackhole_server tc_trickle_server; do
	addr=$("$PY" -c 'import json,sys;print(json.load(open(sys.argv[1]))["infra"][sys.argv[2]])' "$RUN/scenarios.json" "$srv")
	t0=$(date +%s)
	LX_TIMEOUT=40 apply --tsig-key "$KEY" --server "$addr" --yes
	rc=$? t=$(($(date +%s) - t0))
	[ "$rc" = 3 ] && [ "$t" -le 15 ] && has err "no answer before the deadline"
	check $? "$srv: ends in ${t}s (<= 15) saying no answer came, exit 3" "rc=$rc $(cat "$tmp/err")"
done

# 7. The apply: sent, every name server serves it, check reads it.
restore
apply --tsig-key "$KEY" --webroot "$WEB" --yes
rc=$?
check $rc "apply --yes exits 0" "rc=$rc $(cat "$tmp/err") $(tail -n 5 "$tmp/out")"
has out "answered NOERROR: applied"
check $? "the server applied the update" "$(tail -n 6 "$tmp/out")"
has out "ns3.lab.test ($KNOT) serves the new records after"
check $? "it says when the name server serves the new records" "$(tail -n 4 "$tmp/out")"
has out "Every name server of $D (1) serves the new records."
check $? "every name server serves them" "$(tail -n 2 "$tmp/out")"
[ "$(served)" = "\"v=STSv1; id=$new_id\"" ]
check $? "knotd serves the new id" "$(served) (want $new_id)"
cmp -s "$WEB/.well-known/mta-sts.txt" "$tmp/policy.orig"
check $((! $?)) "the web root holds the step's policy" "$(cat "$WEB/.well-known/mta-sts.txt")"
sleep 2 # the lab's TTL of 1 s in Unbound's cache
lx "$bin" check --no-mx-tls --no-history --json "$D" >"$tmp/check.json" 2>/dev/null
"$PY" - "$tmp/check.json" "$new_id" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
s = json.dumps(d)
sys.exit(0 if f"id={sys.argv[2]}" in s else 1)
EOF
check $? "check reads the new TXT record through the resolver" "$(head -c 300 "$tmp/check.json")"
lx "$bin" rollout status --state-dir "$tmp/state" "$D" >"$tmp/status" 2>&1
grep -A1 '^3\. ' "$tmp/status" | grep -q 'done '
check $? "rollout status: the records step is done" "$(grep -A1 '^3\. ' "$tmp/status")"
# The next step is enforce, weeks away: nothing is sent.
apply --tsig-key "$KEY" --webroot "$WEB" --yes
rc=$?
check $((rc != 2)) "the enforce step before its date: exit 2" "rc=$rc $(cat "$tmp/out")"
has err "give --force to go ahead now" && [ "$(served)" = "\"v=STSv1; id=$new_id\"" ]
check $? "it says why, and the zone keeps the step's id" "$(cat "$tmp/err") $(served)"

finish
