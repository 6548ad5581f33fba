#!/bin/bash
# End to end (issue 7): a directory of TLS-RPT reports spanning several days
# drives `rollout status` from "keep watching" to "ready to enforce".  Uses
# the shared lab's good-testing.test and simulated dates.  TAP.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
lab="$top/tests/lab/lab"
bin="$top/mtasts-tui"
dom=good-testing.test
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
check() {  # check DESC CMD...
	desc=$1
	shift
	if "$@"; then echo "ok - $desc"; else echo "not ok - $desc"; fails=$((fails + 1)); fi
}
in_lab() { "$lab" exec env MTASTS_TODAY="$today" XDG_STATE_HOME="$work/xdg" "$@"; }

# mkreports DIR LASTDAY NDAYS [FAILDAY]: daily reports ending on LASTDAY.
mkreports() {
	python3 - "$dom" "$@" <<'PY'
import datetime, json, os, sys
dom, d, last, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
fail = int(sys.argv[5]) if len(sys.argv) > 5 else -1
os.makedirs(d, exist_ok=True)
end = datetime.date.fromisoformat(last)
for i in range(n):
    s = (end - datetime.timedelta(days=n - 1 - i)).isoformat()
    bad = 2 if i == fail else 0
    pol = {"policy": {"policy-type": "sts", "policy-domain": dom,
                      "policy-string": ["version: STSv1", "mode: testing"],
                      "mx-host": ["mx1." + dom]},
           "summary": {"total-successful-session-count": 25,
                       "total-failure-session-count": bad}}
    if bad:
        pol["failure-details"] = [{"result-type": "starttls-not-supported",
                                   "receiving-mx-hostname": "mx2.backup." + dom,
                                   "failed-session-count": bad}]
    rep = {"organization-name": "Lab Reporter", "contact-info": "tlsrpt@reporter.test",
           "report-id": s + "@reporter.test",
           "date-range": {"start-datetime": s + "T00:00:00Z", "end-datetime": s + "T23:59:59Z"},
           "policies": [pol]}
    json.dump(rep, open(os.path.join(d, s + ".json"), "w"))
PY
}

today=2026-12-01
in_lab "$bin" rollout start --mode testing --mx mx1.$dom --mx "*.backup.$dom" $dom \
    >"$work/start.txt" 2>&1
check "rollout start makes a plan" grep -q "Rollout plan for $dom" "$work/start.txt"

today=2026-12-20
in_lab "$bin" rollout status $dom >"$work/s0.txt" 2>&1
check "without --reports the watch phase cannot be judged" grep -q -- "--reports" "$work/s0.txt"

mkreports "$work/r" 2026-12-19 6
in_lab "$bin" rollout status --reports "$work/r" $dom >"$work/s1.txt" 2>&1
check "6 days of clean reports: keep watching (6 of 14)" grep -q "6 of 14 consecutive clean days" "$work/s1.txt"

mkreports "$work/r2" 2026-12-19 16 4
in_lab "$bin" rollout status --reports "$work/r2" $dom >"$work/s2.txt" 2>&1
check "a failure 12 days ago: the count restarts after it (11 of 14)" grep -q "11 of 14 consecutive clean days" "$work/s2.txt"

today=2026-12-28
mkreports "$work/r3" 2026-12-27 15
in_lab "$bin" rollout status --reports "$work/r3" $dom >"$work/s3.txt" 2>&1
check "15 clean days: the watch phase is done" grep -q "done .*15 consecutive clean days" "$work/s3.txt"
in_lab "$bin" rollout status --json --reports "$work/r3" $dom >"$work/s3.json" 2>&1
check "status --json: watch done, next is enforce" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
st = {p["phase"]: p["status"] for p in d["phases"]}
assert st["watch"] == "done", st
' "$work/s3.json"
if [ "$fails" -ne 0 ]; then for f in "$work"/s*.txt; do sed 's/^/# /' "$f"; done; fi
[ "$fails" -eq 0 ]
