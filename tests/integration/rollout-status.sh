#!/bin/bash
# Rollout status that is safe to follow (issue 13, cases 1, 2, 7 and 8):
# the plan's own files decide when a phase is done, a stricter live policy
# is a deviation with its risk, anything that refuses mail now is "fix now"
# with exit 2, an MX that refuses connections does not pass phase 1, and
# --reports says what it read.  Uses the shared lab and simulated dates.
# TAP.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
lab="$top/tests/lab/lab"
bin="$top/mtasts-tui"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
check() { # check DESC CMD...
	desc=$1
	shift
	if "$@"; then echo "ok - $desc"; else
		echo "not ok - $desc"
		fails=$((fails + 1))
	fi
}
in_lab() { "$lab" exec env MTASTS_TODAY="$today" XDG_STATE_HOME="$work/xdg" "$@"; }
has() { grep -q -- "$2" "$work/$1"; }
lacks() { ! grep -q -- "$2" "$work/$1"; }
file_has_not() { test -f "$1" && ! grep -q -- "$2" "$1"; }

# mkreport DIR DOMAIN START END OK FAILED: one report over [START, END).
mkreport() {
	python3 - "$@" <<'PY'
import json, os, sys
d, dom, start, end, ok, bad = sys.argv[1:7]
os.makedirs(d, exist_ok=True)
pol = {"policy": {"policy-type": "sts", "policy-domain": dom,
                  "policy-string": ["version: STSv1", "mode: testing"],
                  "mx-host": ["mx1." + dom]},
       "summary": {"total-successful-session-count": int(ok),
                   "total-failure-session-count": int(bad)}}
if int(bad):
    pol["failure-details"] = [{"result-type": "certificate-expired",
                               "receiving-mx-hostname": "mx1." + dom,
                               "failed-session-count": int(bad)}]
rep = {"organization-name": "Lab Reporter", "contact-info": "tlsrpt@reporter.test",
       "report-id": dom + "-" + start + "@reporter.test",
       "date-range": {"start-datetime": start + "T00:00:00Z",
                      "end-datetime": end + "T00:00:00Z"},
       "policies": [pol]}
json.dump(rep, open(os.path.join(d, dom + "-" + start + ".json"), "w"))
PY
}

# Case 1: the plan is testing, the live policy enforce (no TXT yet).
today=2026-12-01
in_lab "$bin" rollout start --mode testing --max-age 86400 \
    --mx mx.no-txt.test no-txt.test >"$work/start1.txt" 2>&1
check "case 1: a testing plan for no-txt.test" has start1.txt "Rollout plan for no-txt.test"
today=2026-12-09
in_lab "$bin" rollout status no-txt.test >"$work/c1.txt" 2>&1
rc=$?
check "case 1: a served enforce policy is not 'done' for the testing phase" \
    lacks c1.txt "done .*a valid enforce policy is served"
check "case 1: it is a deviation, with its risk" \
    has c1.txt "deviation .*enforce is live before any TLS-RPT evidence"
check "case 1: next is not publishing the TXT" lacks c1.txt "^Next: Publish the TXT"
check "case 1: next is the testing policy, now" \
    has c1.txt "^Next: Serve the policy in testing: now"
check "case 1: status exits 1 on a deviation (got $rc)" test "$rc" -eq 1
in_lab "$bin" rollout status --json no-txt.test >"$work/c1.json" 2>&1
check "case 1: --json says deviation" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
st = {p["phase"]: p["status"] for p in d["phases"]}
assert st["testing"] == "deviation", st
assert d["fix_now"] is None, d["fix_now"]
' "$work/c1.json"

# Case 2: a broken enforce domain refuses mail now.
today=2026-12-01
in_lab "$bin" rollout start --mode testing --mx mx1.mx-uncovered.test \
    --mx backup.elsewhere.mx-uncovered.test mx-uncovered.test >"$work/start2.txt" 2>&1
in_lab "$bin" rollout status mx-uncovered.test >"$work/c2.txt" 2>&1
rc=$?
check "case 2: status exits 2 while mail is refused (got $rc)" test "$rc" -eq 2
check "case 2: fix now comes first, before the phases" python3 -c '
import sys
t = open(sys.argv[1]).read()
assert 0 <= t.find("FIX NOW") < t.find("1. Prepare MX TLS"), t
' "$work/c2.txt"
check "case 2: fix now names the blocker and its fix" \
    has c2.txt 'mx.uncovered backup.elsewhere.mx-uncovered.test'
check "case 2: ... with the fix" has c2.txt 'fix: Add "mx: backup.elsewhere.mx-uncovered.test"'
check "case 2: fix now names the files rollout next writes" \
    has c2.txt "serve ./mtasts-mx-uncovered.test/testing/mta-sts.txt first, then publish ./mtasts-mx-uncovered.test/testing/zone.txt"
check "case 2: no 'no enforce policy with a published TXT is seen'" \
    lacks c2.txt "no enforce policy with a published TXT is seen"
check "case 2: no 'starts on DATE' as the next step" lacks c2.txt "^Next: .*starts on"
in_lab "$bin" rollout status --json mx-uncovered.test >"$work/c2.json" 2>&1
check "case 2: --json fix_now with the blocker and the files" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = d["fix_now"]
assert [b["code"] for b in f["blockers"]] == ["mx.uncovered"], f
assert f["files"] == "./mtasts-mx-uncovered.test/testing", f
' "$work/c2.json"
in_lab "$bin" rollout next --out "$work/out2" mx-uncovered.test >"$work/n2.txt" 2>&1
check "case 2: rollout next writes the testing files" \
    test -f "$work/out2/testing/mta-sts.txt"
check "case 2: the testing policy lists both MX" \
    grep -q "^mx: backup.elsewhere.mx-uncovered.test" "$work/out2/testing/mta-sts.txt"
check "case 2: its TXT id is not the live one" \
    file_has_not "$work/out2/testing/zone.txt" "id=20261101T000000Z"

# The plan's id on the live TXT over another body: rollout next makes a
# new one, or senders would keep the enforce policy they hold.
rm -rf "$work/xdg/mtasts-tui/rollouts/mx-uncovered.test.yaml"
in_lab "$bin" rollout start --mode testing --mx mx1.mx-uncovered.test \
    --mx backup.elsewhere.mx-uncovered.test --id 20261101T000000Z \
    mx-uncovered.test >"$work/start2b.txt" 2>&1
in_lab "$bin" rollout next --out "$work/out2b" mx-uncovered.test >"$work/n2b.txt" 2>&1
check "case 2: a new id when the live TXT has the plan's id over another body" \
    file_has_not "$work/out2b/testing/zone.txt" "id=20261101T000000Z"

# Case 7: the only MX refuses connections on port 25 (nothing deployed
# yet, so the probe's failure is only a warning in the check).
today=2026-12-01
in_lab "$bin" rollout start --mode testing --mx mx1.mx-refused-only.test \
    mx-refused-only.test >"$work/start7.txt" 2>&1
today=2026-12-10
in_lab "$bin" rollout status mx-refused-only.test >"$work/c7.txt" 2>&1
rc=$?
check "case 7: phase 1 is not done, naming the MX" has c7.txt "^   not done .*mx1.mx-refused-only.test .*takes no connection"
check "case 7: never 'every MX passes the STARTTLS probe'" \
    lacks c7.txt "every MX passes the STARTTLS probe"
check "case 7: no mail at all: fix now, exit 2 (got $rc)" test "$rc" -eq 2
check "case 7: fix now names the MX, not the policy's files" \
    has c7.txt "mx_tls.connect_failed mx1.mx-refused-only.test"
check "case 7: ... and says the policy is not the cause" \
    has c7.txt "not the policy's doing"

# Case 8: --reports says what it read; multi-day reports are spread.
dom=good-testing.test
today=2026-12-01
in_lab "$bin" rollout start --mode testing --mx mx1.$dom --mx "*.backup.$dom" \
    --id 20261101T000000Z $dom >"$work/start8.txt" 2>&1
today=2026-12-20
for d in 01 02 03; do mkreport "$work/other" elsewhere.test 2026-12-$d 2026-12-$((10#$d + 1)) 20 0; done
in_lab "$bin" rollout status --reports "$work/other" $dom >"$work/c8a.txt" 2>&1
check "case 8: reports of another domain: '3 reports read, none for this domain'" \
    has c8a.txt "3 reports read, none for this domain"
check "case 8: never 'no TLS-RPT reports given' when reports were given" \
    lacks c8a.txt "no TLS-RPT reports given"
mkreport "$work/future" $dom 2026-12-25 2026-12-26 20 0
mkreport "$work/future" $dom 2026-12-26 2026-12-27 20 0
in_lab "$bin" rollout status --reports "$work/future" $dom >"$work/c8b.txt" 2>&1
check "case 8: future reports: '2 reports dated after today, ignored'" \
    has c8b.txt "2 reports dated after today, ignored"
check "case 8: ... not 'no TLS-RPT reports given'" lacks c8b.txt "no TLS-RPT reports given"
# A weekly report with 70 sessions, then daily ones: its days are clean
# and carry its sessions.
mkreport "$work/week" $dom 2026-12-05 2026-12-12 70 0
for d in 12 13 14 15 16 17 18; do mkreport "$work/week" $dom 2026-12-$d 2026-12-$((d + 1)) 25 0; done
"$bin" report --no-color "$work/week" >"$work/r8.txt" 2>&1
check "case 8: report: the weekly report's sessions shared over its days" \
    has r8.txt "2026-12-08  .*  10 ok, 0 failed (0.00%)  clean"
in_lab "$bin" rollout status --reports "$work/week" $dom >"$work/c8c.txt" 2>&1
check "case 8: the weekly report's days count as clean (14 of 14)" \
    has c8c.txt "done .*14 consecutive clean days"
# A failure inside a weekly report breaks the streak on its last day.
mkreport "$work/weekbad" $dom 2026-12-05 2026-12-12 70 3
for d in 12 13 14 15 16 17 18; do mkreport "$work/weekbad" $dom 2026-12-$d 2026-12-$((d + 1)) 25 0; done
in_lab "$bin" rollout status --reports "$work/weekbad" $dom >"$work/c8d.txt" 2>&1
check "case 8: a failure in a weekly report stops the count at its last day (7 of 14)" \
    has c8d.txt "7 of 14 consecutive clean days"
"$bin" report --no-color "$work/weekbad" >"$work/r8d.txt" 2>&1
check "case 8: report: no empty days that block enforce" \
    lacks r8d.txt "0 ok, 0 failed (0.00%)  blocks enforce"
check "case 8: report: the failures on the weekly report's last day" \
    has r8d.txt "2026-12-11  .*  10 ok, 3 failed .*blocks enforce"
check "case 8: report: the gate names that day" \
    has r8d.txt "failures on 2026-12-11 block enforce"

if [ "$fails" -ne 0 ]; then for f in "$work"/c*.txt "$work"/r*.txt; do
	echo "# --- $f"
	sed 's/^/# /' "$f"
done; fi
[ "$fails" -eq 0 ]
