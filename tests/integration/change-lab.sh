#!/bin/bash
# Change plans end to end (issue 13): an MX change (with the wrong order
# caught: MX records changed before the policy lists the new MX), a
# removal and a max_age raise, each across simulated dates
# (MTASTS_TODAY).  Between steps the test changes the records and the
# policy as an operator would: it rewrites the scenario files of a private
# lab instance (its own namespace, run and scenario directories) and
# brings the lab up again, since the lab serves fixed zones.  TAP; exit 77
# without root.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
bin=${MTASTS_BIN:-$top/mtasts-tui}
lab=$top/tests/lab/lab

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP the lab needs root"
	exit 77
fi
[ -x "$bin" ] || { echo "not ok - $bin is not built"; exit 1; }

# shellcheck source=tests/lab/private.sh
. "$top/tests/lab/private.sh"
lab_private "${MTASTS_LAB_NS:-mtasts-lab}-chg" chg
has() { grep -q -- "$2" "$work/$1"; } # FILE PATTERN

# scenario DOMAIN MXS DIR|ID:BODYFILE|none [own|badcert|moved]: the
# domain's scenario with MX hosts MXS (space separated labels), and the TXT
# id and policy body from a 'rollout next' directory, from ID and a body
# file, or none at all.  The last word places the policy host for a move to
# a provider's CNAME target PROV: own (on our host; PROV serves the body
# with only its own certificate), badcert (mta-sts points at PROV, which
# has no certificate for it) or moved (PROV serves it properly).
scenario() {
	python3 - "$@" >"$MTASTS_LAB_SCENARIOS/$1.toml" <<'PY'
import re, sys
domain, mxs, src = sys.argv[1], sys.argv[2].split(), sys.argv[3]
host = sys.argv[4] if len(sys.argv) > 4 else ''
prov = domain + '._mta-sts.mailhardener.com' 
def q(s):
    out = '"'
    for ch in s:
        out += {'"': '\\"', '\\': '\\\\', '\r': '\\r', '\n': '\\n'}.get(ch, ch)
    return out + '"'
print('domain = %s' % q(domain))
print('description = "change plan end to end"')
print('[txt]')
print('"_smtp._tls" = [["v=TLSRPTv1; rua=mailto:tlsrpt@%s"]]' % domain)
if src != 'none':
    if ':' in src:
        tid, bodyfile = src.split(':', 1)
        body = open(bodyfile).read()
    else:
        zone = open(src + '/zone.txt').read()
        tid = re.search(r'id=([A-Za-z0-9]+)', zone).group(1)
        body = open(src + '/mta-sts.txt', 'rb').read().decode('ascii')
    print('"_mta-sts" = [["v=STSv1; id=%s"]]' % tid)
    if host == 'own':
        print('"_lab.mailhardener.com." = [["keeps the provider zone served"]]')
    print('[policy]')
    print('body = %s' % q(body))
    if host in ('badcert', 'moved'):
        print('cname = %s' % q(prov + '.'))
    if host == 'badcert':
        print('cert = "target"')
    if host == 'own':
        print('[[hosts]]')
        print('host = %s' % q(prov))
        print('body = %s' % q(body))
for i, m in enumerate(mxs):
    print('[[mx]]')
    print('host = %s' % q(m + '.' + domain))
    print('pref = %d' % (10 * (i + 1)))
    print('tls = "valid"')
PY
}

lab_up() { # STAGE
	if ! "$lab" up >"$work/lab-up.log" 2>&1; then
		nok "lab up ($1)"
		sed 's/^/# /' "$work/lab-up.log" | tail -20
		exit 1
	fi
}

# in_lab CMD...: in the namespace, on the simulated day, with our state
in_lab() {
	"$lab" exec env MTASTS_TODAY="$today" XDG_STATE_HOME="$work/xdg" \
	    XDG_CACHE_HOME="$work/cache" "$@"
}
status() { # DOMAIN OUTFILE: rollout status, sets rc
	in_lab "$bin" rollout status "$1" >"$work/$2" 2>&1
	rc=$?
}

mx=chg-mx.test
rm=chg-rm.test
age=chg-age.test
host=chg-host.test
prov=$host._mta-sts.mailhardener.com
ID0=20261101T000000Z
for d in $mx $rm $age $host; do
	printf 'version: STSv1\r\nmode: enforce\r\nmx: mx1.%s\r\nmax_age: 604800\r\n' \
	    $d >"$work/$d.body"
done

# Stage 0, 2026-12-01: three healthy enforce domains; the plans are made.
today=2026-12-01
scenario $mx mx1 "$ID0:$work/$mx.body"
scenario $rm mx1 "$ID0:$work/$rm.body"
scenario $age mx1 "$ID0:$work/$age.body"
scenario $host mx1 "$ID0:$work/$host.body" own
lab_up "stage 0"
in_lab "$bin" rollout start --change mx --new-mx mx2.$mx --ics "$work/mx.ics" \
    $mx >"$work/start-mx.txt" 2>&1
check "start --change mx makes a plan" has start-mx.txt "MX change plan for $mx"
check "start: the served max_age is what senders may hold" \
    has start-mx.txt "up to 604800 s"
check "--ics: the MX switch is a milestone on 2026-12-09" \
    grep -q $'^DTSTART;VALUE=DATE:20261209\r$' "$work/mx.ics"
check "the plan file is version 3 with the change" \
    grep -q '^  kind: mx$' "$work/xdg/mtasts-tui/rollouts/$mx.yaml"
in_lab "$bin" rollout start --change remove $rm >"$work/start-rm.txt" 2>&1
check "start --change remove makes a plan" has start-rm.txt "Removal of MTA-STS plan"
in_lab "$bin" rollout start --change max-age $age >"$work/start-age.txt" 2>&1
check "start --change max-age makes a plan" has start-age.txt "Raise max_age plan"
in_lab "$bin" rollout start --change host --new-host-cname $prov $host \
    >"$work/start-host.txt" 2>&1
check "start --change host makes a plan" has start-host.txt "Policy host move plan"
status $host s0-host.txt
check "host: the provider has no certificate for mta-sts.$host: not done" \
    has s0-host.txt "^1\. .*not done: the new host has no valid certificate for mta-sts.$host"
check "host: exit 0 (nothing is broken yet)" test "$rc" -eq 0
in_lab "$bin" rollout next --out "$work/out" $host >"$work/n0-host.txt" 2>&1
check "host: no DNS files before the new host is verified" has n0-host.txt "has no files"
in_lab "$bin" rollout start --change mx --new-mx mx2.$mx $mx >"$work/again.txt" 2>&1
check "a second start without --force is refused" has again.txt "give --force"
status $mx s0-mx.txt
check "day 0: status exits 0" test "$rc" -eq 0
check "day 0: a Hold line says the MX records must not change yet" \
    has s0-mx.txt "^Hold until step 1 is done.*: do not change the MX records"
check "day 0: step 1 is next and says not to touch the MX yet" \
    has s0-mx.txt "Next: Add the new MX to the policy.*do NOT change the MX records yet"

# Stage 1: the operator changes the MX records first (the wrong order).
scenario $mx mx2 "$ID0:$work/$mx.body"
lab_up "stage 1"
status $mx s1-mx.txt
check "wrong order: status exits 2" test "$rc" -eq 2
check "wrong order: FIX NOW names the files to publish" \
    has s1-mx.txt "FIX NOW: an MX host is not listed in the served enforce policy.*rollout next $mx"
in_lab "$bin" rollout status --json $mx >"$work/s1-mx.json" 2>&1
check "status --json carries fix_now" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["change"] == "mx" and d["fix_now"], d
assert d["steps"][0]["status"] == "not_done", d
' "$work/s1-mx.json"
in_lab "$bin" rollout next --out "$work/out" $mx >"$work/n1-mx.txt" 2>&1
check "next writes the step 1 files" test -f "$work/out/mx-add-new/mta-sts.txt"
check "step 1 policy lists both MX hosts" sh -c \
    "grep -q 'mx: mx1.$mx' '$work/out/mx-add-new/mta-sts.txt' &&
     grep -q 'mx: mx2.$mx' '$work/out/mx-add-new/mta-sts.txt'"
check "step 1 has a new id" sh -c "! grep -q $ID0 '$work/out/mx-add-new/zone.txt'"
in_lab "$bin" rollout next --out "$work/out" $rm >"$work/n1-rm.txt" 2>&1
check "removal: step 1 files are mode none, max_age 86400" sh -c \
    "grep -q 'mode: none' '$work/out/remove-mode-none/mta-sts.txt' &&
     grep -q 'max_age: 86400' '$work/out/remove-mode-none/mta-sts.txt'"
in_lab "$bin" rollout next --out "$work/out" $age >"$work/n1-age.txt" 2>&1
check "max-age: the files raise max_age to 31557600" \
    grep -q 'max_age: 31557600' "$work/out/max-age-raise/mta-sts.txt"

# Stage 2: the step 1 files are published, the MX still on the new host.
scenario $mx mx2 "$work/out/mx-add-new"
scenario $rm mx1 "$work/out/remove-mode-none"
scenario $age mx1 "$work/out/max-age-raise"
scenario $host mx1 "$ID0:$work/$host.body" badcert
lab_up "stage 2"
status $host s2-host.txt
check "host moved to a host without the certificate: FIX NOW, exit 2" sh -c \
    "test $rc -eq 2 && grep -q 'FIX NOW: no valid policy is served for $host.*back at the old host' '$work/s2-host.txt'"
status $mx s2-mx.txt
check "policy fixed, MX switched on day 0: still exit 2" test "$rc" -eq 2
in_lab "$bin" rollout next --out "$work/out" $mx >"$work/n2-mx.txt" 2>&1
rc=$?
check "next writes nothing then (the switch is next), exit 2" sh -c \
    "test $rc -eq 2 && grep -q 'Step 2 (Change the MX records) has no files' '$work/n2-mx.txt' &&
     test ! -e '$work/out/mx-drop-old'"
check "... the old MX must come back until 2026-12-09" \
    has s2-mx.txt "FIX NOW: the MX records changed before.*put the old MX records back.*2026-12-09"
check "... step 1 is done" has s2-mx.txt "^1\. .* done: the served policy lists mx2.$mx"
status $rm s2-rm.txt
check "removal: mode none live, exit 0" test "$rc" -eq 0
check "removal: withdrawing waits for the old max_age (2026-12-09)" \
    has s2-rm.txt "^2\. .*waiting"
check "removal: next is not before 2026-12-09" has s2-rm.txt "not before 2026-12-09"
status $age s2-age.txt
check "max-age: the raise is live, every step done" has s2-age.txt "Every step is done"
check "max-age: exit 0" test "$rc" -eq 0

# Stage 3, 2026-12-02: the old MX is back; the wait runs.
today=2026-12-02
scenario $mx mx1 "$work/out/mx-add-new"
scenario $host mx1 "$ID0:$work/$host.body" moved
lab_up "stage 3"
status $host s3-host.txt
check "host moved properly, id kept: every step done, exit 0" sh -c \
    "test $rc -eq 0 && grep -q 'Every step is done' '$work/s3-host.txt' &&
     grep -q 'id $ID0 kept' '$work/s3-host.txt'"
status $mx s3-mx.txt
check "MX back: exit 0" test "$rc" -eq 0
check "MX back: Hold until 2026-12-09" \
    has s3-mx.txt "^Hold until 2026-12-09: do not change the MX records"
check "MX back: the switch waits until 2026-12-09" \
    has s3-mx.txt "Next: Change the MX records: not before 2026-12-09"
in_lab "$bin" rollout next --out "$work/out" $mx >"$work/n3-mx.txt" 2>&1
check "next: the switch has no files" has n3-mx.txt "has no files"

# Stage 4, 2026-12-09: the MX records change on time; the TXT is removed.
today=2026-12-09
scenario $mx mx2 "$work/out/mx-add-new"
scenario $rm mx1 none
lab_up "stage 4"
status $mx s4-mx.txt
check "switch on time: exit 0" test "$rc" -eq 0
check "switch on time: step 2 done, next drops the old pattern" \
    has s4-mx.txt "Next: Remove the old MX pattern"
in_lab "$bin" rollout next --out "$work/out" $mx >"$work/n4-mx.txt" 2>&1
check "step 3 policy lists only the new MX" sh -c \
    "grep -q 'mx: mx2.$mx' '$work/out/mx-drop-old/mta-sts.txt' &&
     ! grep -q 'mx: mx1' '$work/out/mx-drop-old/mta-sts.txt'"
status $rm s4-rm.txt
check "removal: TXT and policy gone on time, every step done" \
    has s4-rm.txt "Every step is done"
check "removal: exit 0" test "$rc" -eq 0

# Stage 5, 2026-12-10: the old pattern is gone.
today=2026-12-10
scenario $mx mx2 "$work/out/mx-drop-old"
lab_up "stage 5"
status $mx s5-mx.txt
check "MX change: every step done, exit 0" sh -c \
    "test $rc -eq 0 && grep -q 'Every step is done' '$work/s5-mx.txt'"
cp "$work/xdg/mtasts-tui/rollouts/$rm.yaml" "$work/rm-plan.yaml"
in_lab "$bin" rollout start --force --change remove $rm >"$work/start-rm2.txt" 2>&1
rc=$?
check "no policy served: a change plan is refused (exit 3)" sh -c \
    "test $rc -eq 3 && grep -q 'starts from a working deployment' '$work/start-rm2.txt'"
check "... and the saved plan is left as it was" \
    cmp -s "$work/rm-plan.yaml" "$work/xdg/mtasts-tui/rollouts/$rm.yaml"

# A max_age shortened before the plan: senders that fetched the longer one
# may hold it for a year.  The local history (a check run while it was
# served) makes the plan wait that out, not the day served now.
hold=chg-hold.test
printf 'version: STSv1\r\nmode: enforce\r\nmx: mx1.%s\r\nmax_age: 31557600\r\n' \
    $hold >"$work/$hold.long"
printf 'version: STSv1\r\nmode: enforce\r\nmx: mx1.%s\r\nmax_age: 86400\r\n' \
    $hold >"$work/$hold.short"
scenario $hold mx1 "$ID0:$work/$hold.long"
lab_up "hold: a year's max_age served"
in_lab "$bin" check $hold >"$work/check-hold.txt" 2>&1
scenario $hold mx1 "20261210T000000Z:$work/$hold.short"
lab_up "hold: max_age shortened to a day"
in_lab "$bin" rollout start --change remove $hold >"$work/start-hold.txt" 2>&1
check "removal after a shortened max_age: waits out the year on record" \
    grep -Eq 'up to 3155[0-9]{4} s' "$work/start-hold.txt"
in_lab "$bin" rollout start --force --no-history --change remove $hold \
    >"$work/start-hold2.txt" 2>&1
check "... which only the history knows (--no-history: a day)" \
    has start-hold2.txt "up to 86400 s"

if [ "$fails" -ne 0 ] || [ -n "${CHANGE_LAB_SHOW:-}" ]; then
	for f in "$work"/s*.txt "$work"/n*.txt "$work"/start*.txt; do
		echo "# --- ${f##*/}"
		sed 's/^/# /' "$f"
	done
fi
[ "$fails" -eq 0 ]
