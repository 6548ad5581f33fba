#!/bin/bash
# Differential test against a real sender implementation: Debian's
# postfix-mta-sts-resolver (mta-sts-query), run inside the lab on every
# scenario.  Its VALID must agree with our verdict.mode (strict senders get a
# policy of some mode, none included), and its FETCH_ERROR / NONE with no
# mode, except for the disagreements
# documented in differential_known.txt (and doc/differential.md).  TAP.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v mta-sts-query >/dev/null 2>&1; then
	echo "ok - differential test # SKIP mta-sts-query is not installed (postfix-mta-sts-resolver)"
	exit 0
fi
exec python3 - "$top" <<'PY'
import glob, json, os, re, subprocess, sys, tomllib
top = sys.argv[1]
lab = os.path.join(top, "tests/lab/lab")
known = {}
for line in open(os.path.join(top, "tests/integration/differential_known.txt")):
    if line.startswith("#") or not line.strip():
        continue
    dom, theirs, why = line.rstrip("\n").split("\t")
    known[dom] = (theirs, why)
failed = 0
for path in sorted(glob.glob(os.path.join(top, "tests/lab/scenarios/*.toml"))):
    with open(path, "rb") as f:
        dom = tomllib.load(f)["domain"]
    try:
        p = subprocess.run([lab, "exec", "timeout", "30", "mta-sts-query", dom],
                           capture_output=True, timeout=45)
        m = re.search(r"STSFetchResult\.(\w+)", p.stdout.decode(errors="replace"))
        theirs = m.group(1) if m else "UNKNOWN"
    except subprocess.TimeoutExpired:
        theirs = "TIMEOUT"
    q = subprocess.run([lab, "exec", os.path.join(top, "mtasts-tui"), "check", "--json",
                        "--no-history", "--no-mx-tls", "--timeout", "4", dom],
                       capture_output=True, timeout=120)
    try:
        ours = json.loads(q.stdout)["verdict"]["mode"] is not None
    except (ValueError, KeyError):
        print(f"not ok - {dom}: our --json output unreadable")
        failed += 1
        continue
    agree = (theirs == "VALID") == bool(ours)
    if dom in known:
        want, why = known[dom]
        ok = not agree and theirs == want
        print(f"{'ok' if ok else 'not ok'} - {dom}: documented disagreement (resolver {theirs}, ours applied={ours}): {why}")
    else:
        ok = agree
        print(f"{'ok' if ok else 'not ok'} - {dom}: resolver {theirs}, ours policy={ours}")
    failed += not ok
sys.exit(1 if failed else 0)
PY
