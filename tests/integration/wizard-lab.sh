#!/bin/bash
# The rollout wizard end to end, in a private lab instance whose only
# scenario is written from the wizard's own output: a plan is made, the
# testing files of 'rollout next' are installed, the checker reports the
# domain clean and postfix-mta-sts-resolver (mta-sts-query) accepts the
# policy; then the enforce step with its new id, the same again, and
# 'rollout status' across simulated dates (MTASTS_TODAY) at each stage.
# TAP lines; exit 77 without root.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
bin=${MTASTS_BIN:-$top/mtasts-tui}
lab=$top/tests/lab/lab
domain=wizard-e2e.test

if [ "$(id -u)" != 0 ]; then
	echo "the lab needs root"
	exit 77
fi
[ -x "$bin" ] || { echo "not ok - $bin is not built"; exit 1; }

# A private instance: its own namespace, run and scenario directories.
# shellcheck source=tests/lab/private.sh
. "$top/tests/lab/private.sh"
lab_private mtasts-lab-wiz-e2e wiz

# scenario [DIR]: the lab scenario for the domain, MX only or with the
# TXT records and the policy body taken byte for byte from DIR.
scenario() {
	python3 - "$domain" "${1:-}" >"$MTASTS_LAB_SCENARIOS/wizard-e2e.toml" <<'PY'
import re, sys
domain, d = sys.argv[1], sys.argv[2]
def q(s):
    out = '"'
    for ch in s:
        if ch in '"\\':
            out += '\\' + ch
        elif ch == '\r':
            out += '\\r'
        elif ch == '\n':
            out += '\\n'
        else:
            out += ch
    return out + '"'
print('domain = %s' % q(domain))
print('description = "written from the wizard\'s output"')
if d:
    print('[txt]')
    for line in open(d + '/zone.txt', encoding='ascii'):
        if line.startswith(';') or '\tTXT\t' not in line:
            continue
        owner = line.split('\t')[0]
        rel = owner[:-len('.' + domain + '.')]
        strings = re.findall(r'"((?:[^"\\]|\\.)*)"', line)
        strings = [re.sub(r'\\(.)', r'\1', s) for s in strings]
        print('%s = [[%s]]' % (q(rel), ', '.join(q(s) for s in strings)))
    body = open(d + '/mta-sts.txt', 'rb').read().decode('ascii')
    print('[policy]')
    print('body = %s' % q(body))
for i, host in enumerate(['mx1', 'mx2.backup']):
    print('[[mx]]')
    print('host = %s' % q(host + '.' + domain))
    print('pref = %d' % (10 * (i + 1)))
    print('tls = "valid"')
PY
}

lab_up() {
	if ! "$lab" up >"$work/lab-up.log" 2>&1; then
		nok "lab up ($1)"
		sed 's/^/# /' "$work/lab-up.log" | tail -20
		exit 1
	fi
}

# in_lab CMD...: run in the namespace with the plan's environment
in_lab() {
	"$lab" exec env MTASTS_TODAY="$today" XDG_STATE_HOME="$work/xdg" \
	    "$@"
}

status_has() {	# PATTERN: rollout status (text) mentions it
	grep -q -- "$1" "$work/status.txt"
}

# 1. Before: only the MX hosts exist.
scenario
lab_up "MX only"
today=2026-12-01
in_lab "$bin" rollout start --mx mx1.$domain --mx "*.backup.$domain" \
    --ics "$work/plan.ics" $domain >"$work/start.txt" 2>&1
check "rollout start makes a plan" grep -q "Rollout plan for $domain" \
    "$work/start.txt"
check "the plan is in XDG_STATE_HOME" \
    test -f "$work/xdg/mtasts-tui/rollouts/$domain.yaml"
check "--ics writes a calendar with CRLF line ends" \
    grep -q $'^BEGIN:VCALENDAR\r$' "$work/plan.ics"
in_lab "$bin" rollout status $domain >"$work/status.txt" 2>&1
rc=$?
check "status on day 0 exits 0" test "$rc" -eq 0
check "day 0: the testing policy is not served" \
    grep -q "not done .*no policy at https://mta-sts.$domain" \
    "$work/status.txt"
check "day 0: MX TLS is judged done by the STARTTLS probe" \
    grep -q "done .*every MX passes the STARTTLS probe" "$work/status.txt"
check "day 0: next is serving the policy, from day 7" \
    status_has "Next: Serve the policy in testing: starts on 2026-12-08"

today=2026-12-09
in_lab "$bin" rollout next --out "$work/out" $domain >"$work/next1.txt" 2>&1
check "rollout next on day 8 writes the testing files" \
    test -f "$work/out/testing/mta-sts.txt"
check "the testing policy is mode testing with CRLF" \
    grep -q $'^mode: testing\r$' "$work/out/testing/mta-sts.txt"
check "the testing TXT has the plan's first id" \
    grep -q 'id=20261201T000000Z' "$work/out/testing/zone.txt"

# 2. Testing deployed from the wizard's files.
scenario "$work/out/testing"
lab_up "testing"
in_lab "$bin" check --no-history $domain >"$work/check1.txt" 2>&1
rc=$?
check "check reports the testing deployment clean (exit $rc)" \
    test "$rc" -eq 0
if [ "$rc" -ne 0 ]; then sed 's/^/# /' "$work/check1.txt"; fi
if command -v mta-sts-query >/dev/null 2>&1; then
	in_lab mta-sts-query $domain >"$work/q1.txt" 2>&1
	check "mta-sts-query accepts the testing policy" \
	    grep -q "'mode': 'testing'" "$work/q1.txt"
	check "mta-sts-query sees the plan's id" \
	    grep -q "20261201T000000Z" "$work/q1.txt"
	sed 's/^/# /' "$work/q1.txt"
else
	echo "ok - mta-sts-query # SKIP postfix-mta-sts-resolver not installed"
fi
today=2026-12-11
in_lab "$bin" rollout status $domain >"$work/status.txt" 2>&1
check "day 10: the testing policy counts as served" \
    status_has "done .*a valid testing policy is served"
check "day 10: the records count as published" \
    status_has "done .*TXT (id 20261201T000000Z) and TLS-RPT published"
check "day 10: next is watching reports, from day 14" \
    status_has "Next: Watch TLS-RPT reports: starts on 2026-12-15"
in_lab "$bin" rollout status --json $domain >"$work/status.json" 2>&1
check "status --json is JSON naming the next phase" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["next"]["phase"] == "watch", d["next"]
assert d["next"]["artifacts"] == "enforce"
assert [p["status"] for p in d["phases"]][:4] == ["done", "done", "done", "unknown"]
' "$work/status.json"
in_lab "$bin" rollout next --out "$work/out" $domain >"$work/early.txt" 2>&1
rc=$?
check "rollout next refuses enforce before its planned start (exit 2)" \
    test "$rc" -eq 2
check "and writes nothing" test ! -e "$work/out/enforce"

today=2026-12-23
in_lab "$bin" rollout next --out "$work/out" $domain >"$work/next2.txt" 2>&1
check "rollout next on day 22 writes the enforce files" \
    test -f "$work/out/enforce/mta-sts.txt"
check "the enforce policy has mode enforce and max_age 1209600" \
    grep -q $'^max_age: 1209600\r$' "$work/out/enforce/mta-sts.txt"
check "the enforce TXT has a new id" \
    grep -q 'id=20261223T000000Z' "$work/out/enforce/zone.txt"
check "the state records the new id" grep -q 20261223T000000Z \
    "$work/xdg/mtasts-tui/rollouts/$domain.yaml"

# 3. Enforce deployed.
scenario "$work/out/enforce"
lab_up "enforce"
in_lab "$bin" check --no-history $domain >"$work/check2.txt" 2>&1
rc=$?
check "check reports the enforce deployment clean (exit $rc)" \
    test "$rc" -eq 0
if [ "$rc" -ne 0 ]; then sed 's/^/# /' "$work/check2.txt"; fi
if command -v mta-sts-query >/dev/null 2>&1; then
	in_lab mta-sts-query $domain >"$work/q2.txt" 2>&1
	check "mta-sts-query accepts the enforce policy" \
	    grep -q "'mode': 'enforce'" "$work/q2.txt"
	sed 's/^/# /' "$work/q2.txt"
fi
today=2026-12-24
in_lab "$bin" rollout status $domain >"$work/status.txt" 2>&1
check "day 23: enforce counts as done with the new id" \
    status_has "done .*enforce policy served, TXT id 20261223T000000Z"
check "day 23: next is raising max_age, from 2027-01-12" \
    status_has "Next: Raise max_age: starts on 2027-01-12"
today=2027-02-01
in_lab "$bin" rollout status $domain >"$work/status.txt" 2>&1
check "day 62: raising max_age is overdue" \
    status_has "Next: Raise max_age: overdue since 2027-01-25"
sed 's/^/# /' "$work/status.txt"

# 4. A state file we cannot read is reported and left alone.
state=$work/xdg/mtasts-tui/rollouts/$domain.yaml
sed -i 's/^version: [0-9]*$/version: 99/' "$state"
cp "$state" "$work/state.copy"
in_lab "$bin" rollout status $domain >"$work/newer.txt" 2>&1
rc=$?
check "a newer state version is an error (exit 3)" test "$rc" -eq 3
check "naming the newer version" grep -q "newer mtasts-tui" "$work/newer.txt"
check "and the file is untouched" cmp -s "$state" "$work/state.copy"

[ "$fails" -eq 0 ]
