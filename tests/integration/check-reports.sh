#!/bin/bash
# check --reports DIR: the verdict needs 14 consecutive clean days of TLS-RPT
# reports before it calls enforce safe (issue 7, promotion gate).  TAP.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
lab="$top/tests/lab/lab"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

# mkreports DIR DOMAIN NDAYS [FAILDAY]: one report a day, ending yesterday.
mkreports() {
	python3 - "$@" <<'PY'
import datetime, json, os, sys
d, dom, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
fail = int(sys.argv[4]) if len(sys.argv) > 4 else -1
os.makedirs(d, exist_ok=True)
end = datetime.date.today() - datetime.timedelta(days=1)
for i in range(n):
    day = end - datetime.timedelta(days=n - 1 - i)
    s = day.strftime("%Y-%m-%d")
    failures = 3 if i == fail else 0
    rep = {"organization-name": "Lab Reporter", "contact-info": "tlsrpt@reporter.test",
           "report-id": f"{s}.{dom}@reporter.test",
           "date-range": {"start-datetime": s + "T00:00:00Z", "end-datetime": s + "T23:59:59Z"},
           "policies": [{"policy": {"policy-type": "sts", "policy-domain": dom,
                                    "policy-string": ["version: STSv1", "mode: testing"],
                                    "mx-host": ["mx1." + dom]},
                         "summary": {"total-successful-session-count": 40,
                                     "total-failure-session-count": failures},
                         **({"failure-details": [{"result-type": "certificate-expired",
                                                  "receiving-mx-hostname": "mx1." + dom,
                                                  "failed-session-count": failures}]} if failures else {})}]}
    with open(os.path.join(d, f"{s}.json"), "w") as f:
        json.dump(rep, f)
PY
}

run() {  # run DIR: prints exit status, verdict enforce_ready and codes
	"$lab" exec "$top/mtasts-tui" check --json --no-history --no-mx-tls \
	    --reports "$1" good-testing.test >"$tmp/out.json"
	rc=$?
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
codes = " ".join(sorted({f["code"] for f in d["findings"]}))
print(sys.argv[2], d["verdict"]["enforce_ready"], codes)' "$tmp/out.json" "$rc"
}

check() {  # check DESC EXPR OUTPUT
	if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; echo "#   $3"; fails=$((fails + 1)); fi
}

mkreports "$tmp/d13" good-testing.test 13
out=$(run "$tmp/d13")
check "13 clean days: not ready, verdict.reports_not_clean, exit 1" \
    '[[ "$out" == "1 False "* && "$out" == *verdict.reports_not_clean* ]]' "$out"

mkreports "$tmp/d14" good-testing.test 14
out=$(run "$tmp/d14")
check "14 clean days: enforce ready, verdict.reports_clean, exit 0" \
    '[[ "$out" == "0 True "* && "$out" == *verdict.reports_clean* ]]' "$out"

mkreports "$tmp/dfail" good-testing.test 20 15
out=$(run "$tmp/dfail")
check "a failure 5 days ago resets the count: not ready" \
    '[[ "$out" == "1 False "* && "$out" == *verdict.reports_not_clean* ]]' "$out"
why=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([f["message"] for f in d["findings"] if f["code"]=="verdict.reports_not_clean"][0])' "$tmp/out.json")
check "the verdict says which failure blocks" '[[ "$why" == *certificate-expired* || "$why" == *clean* ]]' "$why"

out=$("$lab" exec "$top/mtasts-tui" check --no-history --reports /nonexistent good-testing.test 2>&1)
check "an unreadable --reports path is a usage error" '[[ "$out" == *"--reports: cannot read"* ]]' "$out"
[ "$fails" -eq 0 ]
