#!/bin/bash
# The history of scans (scan --db, scan-summary --db --since) on a private
# lab whose scenarios change between two scans: an _mta-sts id bumped, an
# MX added, an MX certificate expired, an uncovered MX fixed by a new policy
# under the same id, a domain dropped from the list and one added.
# scan-summary must list exactly those changes.  Also: the default file
# under XDG_STATE_HOME, --no-db, a file that is no database or is locked
# (refused or not recorded, with a clear message, its bytes unchanged).
# TAP.  Own namespace: MTASTS_SCANDB_NS, else ${MTASTS_LAB_NS}-db.
set -u
export LC_ALL=C
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
lab_private "${MTASTS_SCANDB_NS:-${MTASTS_LAB_NS:-mtasts-lab}-db}" scandb
db=$work/scans.db

lab_up() { # STAGE
	if ! "$lab" up >"$work/lab-up.log" 2>&1; then
		nok "lab up ($1)"
		sed 's/^/# /' "$work/lab-up.log" | tail -20
		exit 1
	fi
}
# rows FILE SQL: the one value a query gives (python3's sqlite3, no CLI)
rows() {
	python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$1" "$2"
}
# in_lab CMD...: in the namespace, with a state directory of our own
in_lab() { "$lab" exec env XDG_STATE_HOME="$work/xdg" "$@"; }

src=$top/tests/lab/scenarios
for s in good-enforce good-testing mx-uncovered policy-404 null-mx \
    cert-expiring-soon; do
	cp "$src/$s.toml" "$MTASTS_LAB_SCENARIOS/"
done
printf '%s\n' good-enforce.test good-testing.test mx-uncovered.test \
    policy-404.test cert-expiring-soon.test >"$work/list1"
printf '%s\n' good-enforce.test good-testing.test mx-uncovered.test \
    null-mx.test cert-expiring-soon.test >"$work/list2"

# 1. The first scan.
lab_up "first scan"
in_lab "$bin" scan --db "$db" --out "$work/1.jsonl" "$work/list1" \
    2>"$work/err1"
rc=$?
n=$(rows "$db" 'select count(*) from results')
check "first scan exits 0 and records 5 domains ($n)" sh -c \
    "test $rc -eq 0 && test '$n' = 5"
"$bin" scan-summary --db "$db" >"$work/one.txt" 2>&1
rc=$?
check "one scan: nothing to compare yet (exit 3, said why)" sh -c \
    "test $rc -eq 3 && grep -q 'no scan before the newest' '$work/one.txt'"
sleep 1 # the second scan starts a second later
mid=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sleep 1

# 2. What changes between the two scans, in the served zones and files.
ge=$MTASTS_LAB_SCENARIOS/good-enforce.toml
sed -i 's/id=20261101T000000Z/id=20261202T000000Z/' "$ge"
cat >>"$ge" <<'EOF'

[[mx]]
host = "mx3.backup.good-enforce.test"
pref = 30
tls = "valid"
EOF
# expired MX certificates: in testing mode (mail still flows) and in
# enforce (no sender delivers: a new failure)
sed -i 's/tls = "valid"/tls = "expired"/' \
    "$MTASTS_LAB_SCENARIOS/good-testing.toml" \
    "$MTASTS_LAB_SCENARIOS/cert-expiring-soon.toml"
# mx-uncovered: the backup MX covered, the id left as it was
sed -i 's/^mx: mx1.mx-uncovered.test$/&\nmx: backup.elsewhere.mx-uncovered.test/' \
    "$MTASTS_LAB_SCENARIOS/mx-uncovered.toml"
lab_up "second scan"
in_lab "$bin" scan --db "$db" --out "$work/2.jsonl" "$work/list2" \
    2>"$work/err2"
rc=$?
check "second scan exits 0" test "$rc" -eq 0

"$bin" scan-summary --db "$db" --json >"$work/changes.json" 2>"$work/changes.err"
rc=$?
check "scan-summary --db --json exits 0" test "$rc" -eq 0
python3 - "$work/changes.json" >"$work/got.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["scan_changes"]
for c in d["changes"]:
    v = lambda s: "-" if s is None else s.replace("\n", "|")
    print(c["domain"], c["kind"], c["subject"] or "-", v(c["old"]), ">", v(c["new"]))
print("from", d["from"]["id"], "to", d["to"]["id"], "count", d["count"])
PY
cat >"$work/want.txt" <<'EOF'
cert-expiring-soon.test new_failure - ok > errors
cert-expiring-soon.test answer - all > none
cert-expiring-soon.test cert_expiring mx1.cert-expiring-soon.test N days > -N days
cert-expiring-soon.test classes - - > mx_cert_all
good-enforce.test id - 20261101T000000Z > 20261202T000000Z
good-enforce.test mx - mx1.good-enforce.test mx2.backup.good-enforce.test > mx1.good-enforce.test mx2.backup.good-enforce.test mx3.backup.good-enforce.test
good-testing.test cert_expiring mx1.good-testing.test N days > -N days
good-testing.test cert_expiring mx2.backup.good-testing.test N days > -N days
good-testing.test classes - - > mx_cert_all
mx-uncovered.test fixed - errors > warnings
mx-uncovered.test answer - some > all
mx-uncovered.test policy id unchanged POLICY
mx-uncovered.test classes - mx_mismatch_same_domain > -
null-mx.test added - - > no_mail
policy-404.test removed - all > -
from 1 to 2 count 15
EOF
# The certificates' days depend on today; the policy bodies are the
# scenario's: normalise both before comparing.
sed -e 's/ [0-9]* days > -[0-9]* days$/ N days > -N days/' \
    -e 's/policy id unchanged .*/policy id unchanged POLICY/' \
    -e 's/classes - \(.*\) > $/classes - \1 > -/' \
    -e 's/classes -  > /classes - - > /' \
    "$work/got.txt" >"$work/got.norm"
check "scan-summary lists exactly the changes made" \
    cmp -s "$work/want.txt" "$work/got.norm"
if ! cmp -s "$work/want.txt" "$work/got.norm"; then
	diff "$work/want.txt" "$work/got.norm" | sed 's/^/# /'
fi
grep -q '^mx-uncovered.test policy id unchanged .*mx: backup.elsewhere' \
    "$work/got.txt"
check "the policy change shows the new body, and that the id stayed" \
    test $? -eq 0

"$bin" scan-summary --db "$db" >"$work/changes.txt" 2>&1
sed 's/^/# /' "$work/changes.txt"
check "text: a heading per kind, the id drift and the new failure listed" \
    sh -c "grep -q '^_mta-sts id changed (1)' '$work/changes.txt' &&
	grep -q '^new failures (1)' '$work/changes.txt' &&
	grep -q '^  cert-expiring-soon.test  *ok -> errors' '$work/changes.txt' &&
	grep -q '^15 changes' '$work/changes.txt'"

"$bin" scan-summary --db "$db" --since "$mid" --json >"$work/since.json" 2>&1
check "--since between the scans compares with the first one" \
    python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['scan_changes']; sys.exit(0 if d['from']['id'] == 1 and d['count'] == 15 else 1)" \
    "$work/since.json"
"$bin" scan-summary --db "$db" --since "$mid" --json "$work/2.jsonl" \
    >"$work/files.json" 2>&1
check "the second scan's output file against the db: the same changes" \
    python3 -c "import json,sys; a,b=(json.load(open(f))['scan_changes'] for f in sys.argv[1:]); sys.exit(0 if a['changes'] == b['changes'] and b['to']['results'] == 5 and b['from']['id'] == 1 else 1)" \
    "$work/changes.json" "$work/files.json"
"$bin" scan-summary --db "$db" --since 2000-01-01 >"$work/since-old.txt" 2>&1
rc=$?
check "--since before every scan: exit 3, said why" sh -c \
    "test $rc -eq 3 && grep -q 'no scan before the newest' '$work/since-old.txt'"
"$bin" scan-summary --db "$db" --since yesterday >"$work/since-bad.txt" 2>&1
rc=$?
check "--since that is no date: exit 3" sh -c \
    "test $rc -eq 3 && grep -q 'is not YYYY-MM-DD' '$work/since-bad.txt'"

# 3. The default file, --no-db.
in_lab "$bin" scan --out "$work/3.jsonl" "$work/list2" 2>/dev/null
check "by default the scan is recorded in XDG_STATE_HOME/mtasts-tui/scans.db" \
    test -s "$work/xdg/mtasts-tui/scans.db"
in_lab "$bin" scan --out "$work/3b.jsonl" "$work/list2" 2>/dev/null
XDG_STATE_HOME=$work/xdg "$bin" scan-summary >"$work/bare.txt" 2>&1
rc=$?
check "bare scan-summary: the default file's last two scans, no change" \
    sh -c "test $rc -eq 0 && grep -q '^0 changes' '$work/bare.txt'"
in_lab env XDG_STATE_HOME="$work/xdg2" "$bin" scan --no-db \
    --out "$work/4.jsonl" "$work/list2" 2>/dev/null
check "--no-db writes no database" test ! -e "$work/xdg2/mtasts-tui/scans.db"

# 4. A file that is no database: refused before any domain is checked.
head -c 8192 /dev/urandom >"$work/random.db"
cp "$work/random.db" "$work/random.orig"
in_lab "$bin" scan --db "$work/random.db" --out "$work/5.jsonl" \
    "$work/list2" 2>"$work/err5"
rc=$?
check "a random file as --db: exit 3, 'not a SQLite database', untouched" \
    sh -c "test $rc -eq 3 && grep -q 'not a SQLite database' '$work/err5' &&
	cmp -s '$work/random.db' '$work/random.orig' && test ! -s '$work/5.jsonl'"

# 5. Another writer holds the file: the scan runs, says it could not
# record, and exits 3; what was stored stays.
cp "$db" "$work/before.db"
python3 - "$db" "$work/held" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(12)
c.execute("ROLLBACK")
PY
holder=$!
for _ in $(seq 50); do [ -e "$work/held" ] && break; sleep 0.1; done
start=$(date +%s)
in_lab "$bin" scan --db "$db" --out "$work/6.jsonl" "$work/list2" \
    2>"$work/err6"
rc=$?
took=$(($(date +%s) - start))
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
check "a locked file: exit 3 after the busy timeout, 'locked by another process'" \
    sh -c "test $rc -eq 3 && grep -q 'locked by another process' '$work/err6' &&
	test $took -lt 11"
check "... every domain still in the output" test "$(grep -c '"domain"' "$work/6.jsonl")" = 5
n=$(rows "$db" 'select count(*) from results')
check "... and the 10 results stored before are all there ($n)" test "$n" = 10

# 6. A scan stopped (SIGTERM) while one domain stalls: what was done is
# committed, the scan row has no end, and a domain it did not list is not
# called removed.
cp "$src/mx-stall.toml" "$MTASTS_LAB_SCENARIOS/"
lab_up "stopped scan"
grep -v null-mx "$work/list2" >"$work/list3"
echo mx-stall.test >>"$work/list3"
# not through in_lab: $! must be the scan (lab exec and env exec it)
"$lab" exec env XDG_STATE_HOME="$work/xdg" "$bin" scan --db "$db" \
    --out "$work/7.jsonl" "$work/list3" 2>"$work/err7" &
pid=$!
for _ in $(seq 300); do
	[ "$(grep -c '"domain"' "$work/7.jsonl" 2>/dev/null)" = 4 ] && break
	sleep 0.1
done
kill -TERM "$pid"
wait "$pid"
rc=$?
check "stopped while mx-stall.test stalls: exit 130, 4 domains out" sh -c \
    "test $rc -eq 130 && test \"\$(grep -c '\"domain\"' '$work/7.jsonl')\" = 4"
sed 's/^/# /' "$work/err7"
grep -o '"domain":"[^"]*"' "$work/7.jsonl" | sed 's/^/# /'
n=$(rows "$db" 'select count(*) from results where scan_id = 3')
e=$(rows "$db" 'select ended_at is null from scans where id = 3')
check "... its 4 results committed ($n), its row without an end ($e)" \
    test "$n-$e" = 4-1
"$bin" scan-summary --db "$db" >"$work/stopped.txt" 2>&1
sed 's/^/# /' "$work/stopped.txt"
check "... scan-summary: '(did not end)', nothing removed, no change" sh -c \
    "grep -q '^to   scan 3, .*(did not end)' '$work/stopped.txt' &&
	grep -q '^0 changes' '$work/stopped.txt' &&
	! grep -q '^domains removed' '$work/stopped.txt'"

# 7. --resume goes on with the stopped scan: the stalled domain is checked
# (with a short deadline), the scan row ends, no new row.
"$lab" exec env XDG_STATE_HOME="$work/xdg" "$bin" scan --db "$db" \
    --deadline 5 --resume "$work/7.jsonl" "$work/list3" 2>"$work/err8"
rc=$?
got=$rc-$(rows "$db" 'select count(*) from scans')-$(rows "$db" \
    'select count(*) from results where scan_id = 3')-$(rows "$db" \
    'select ended_at is not null from scans where id = 3')
check "--resume: exit 0, still 3 scans, scan 3 ended with 5 results ($got)" \
    test "$got" = 0-3-5-1
"$bin" scan-summary --db "$db" --json >"$work/resumed.json" 2>&1
check "... and now that it ended: mx-stall.test added, null-mx.test removed" \
    python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['scan_changes']; sys.exit(0 if [(c['domain'], c['kind']) for c in d['changes']] == [('mx-stall.test', 'added'), ('null-mx.test', 'removed')] else 1)" \
    "$work/resumed.json"

# 8. Killed (SIGKILL): what was buffered is lost from the record, and
# --resume puts it back from the output file.
"$lab" exec env XDG_STATE_HOME="$work/xdg" "$bin" scan --db "$db" \
    --out "$work/9.jsonl" "$work/list3" 2>"$work/err9" &
pid=$!
for _ in $(seq 300); do
	[ "$(grep -c '"domain"' "$work/9.jsonl" 2>/dev/null)" = 4 ] && break
	sleep 0.1
done
kill -KILL "$pid"
{ wait "$pid"; } 2>/dev/null
n=$(rows "$db" 'select count(*) from results where scan_id = 4')
check "killed: scan 4 has at most the 4 domains done ($n), no end" sh -c \
    "test $n -le 4 && test \"\$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select ended_at is null from scans where id = 4\").fetchone()[0])' '$db')\" = 1"
"$lab" exec env XDG_STATE_HOME="$work/xdg" "$bin" scan --db "$db" \
    --deadline 5 --resume "$work/9.jsonl" "$work/list3" 2>"$work/err10"
rc=$?
got=$rc-$(rows "$db" 'select count(*) from scans')-$(rows "$db" \
    'select count(*) from results where scan_id = 4')
check "--resume after SIGKILL: exit 0, scan 4 complete with 5 results ($got)" \
    test "$got" = 0-4-5

[ "$fails" = 0 ]
