#!/bin/bash
# The fleet table's change column and change line (what changed since the
# previous scan), through tmux, on a private lab whose scenarios change
# between two recorded scans as in scan-db.sh: an _mta-sts id bumped, an MX
# added, MX certificates expired, a policy fixed under the same id, a domain
# dropped and one added.  The second scan's .jsonl opened in the TUI must
# agree with `scan-summary --since --json` on the same db: the count line,
# each row's change column, `change:KIND` (exactly those domains), the d
# key and the sort by that column; at 80x24 and wide.  Then -f against the
# history, --no-db, and a missing, corrupt or locked db: one note, the
# table still there, the file untouched.  TAP.
# Own namespace: MTASTS_FCHG_NS, else ${MTASTS_LAB_NS}-fc.
set -u
export LC_ALL=C
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
bin=$top/mtasts-tui
lab=$top/tests/lab/lab

if [ "$(id -u)" != 0 ]; then echo "1..0 # SKIP the lab needs root"; exit 77; fi
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }
[ -x "$bin" ] || { echo "not ok - $bin is not built"; exit 1; }

# shellcheck source=tests/lab/private.sh
. "$top/tests/lab/private.sh"
lab_private "${MTASTS_FCHG_NS:-${MTASTS_LAB_NS:-mtasts-lab}-fc}" fchg
# shellcheck source=tests/tui/lib.sh
. "$top/tests/tui/lib.sh"
trap 'tui_cleanup; lab_private_cleanup' EXIT
db=$work/scans.db

lab_up() { # STAGE
	if ! "$lab" up >"$work/lab-up.log" 2>&1; then
		notok "lab up ($1)"
		sed 's/^/# /' "$work/lab-up.log" | tail -20
		exit 1
	fi
}
in_lab() { "$lab" exec env XDG_STATE_HOME="$work/xdg" "$@"; }

# 1. Two scans with real changes between them (scan-db.sh's).
src=$top/tests/lab/scenarios
for s in good-enforce good-testing mx-uncovered policy-404 null-mx \
    cert-expiring-soon; do
	cp "$src/$s.toml" "$MTASTS_LAB_SCENARIOS/"
done
printf '%s\n' good-enforce.test good-testing.test mx-uncovered.test \
    policy-404.test cert-expiring-soon.test >"$work/list1"
printf '%s\n' good-enforce.test good-testing.test mx-uncovered.test \
    null-mx.test cert-expiring-soon.test >"$work/list2"
lab_up "first scan"
in_lab "$bin" scan --db "$db" --out "$work/1.jsonl" "$work/list1" 2>"$work/err1"
check $? "first scan recorded"
sleep 1
mid=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sleep 1
ge=$MTASTS_LAB_SCENARIOS/good-enforce.toml
sed -i 's/id=20261101T000000Z/id=20261202T000000Z/' "$ge"
cat >>"$ge" <<'EOF'

[[mx]]
host = "mx3.backup.good-enforce.test"
pref = 30
tls = "valid"
EOF
sed -i 's/tls = "valid"/tls = "expired"/' \
    "$MTASTS_LAB_SCENARIOS/good-testing.toml" \
    "$MTASTS_LAB_SCENARIOS/cert-expiring-soon.toml"
sed -i 's/^mx: mx1.mx-uncovered.test$/&\nmx: backup.elsewhere.mx-uncovered.test/' \
    "$MTASTS_LAB_SCENARIOS/mx-uncovered.toml"
lab_up "second scan"
in_lab "$bin" scan --db "$db" --out "$work/2.jsonl" "$work/list2" 2>"$work/err2"
check $? "second scan recorded"

"$bin" scan-summary --db "$db" --since "$mid" --json "$work/2.jsonl" \
    >"$work/want.json" 2>"$work/want.err"
check $? "scan-summary --since between the scans, the second scan's file"
# want.py WHAT: facts from scan-summary's JSON, kinds named as the table
# names them (tui/fleet_table.c), in scan_db's order.
cat >"$work/want.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["scan_changes"]
short = {"added": "new", "removed": "gone", "new_failure": "new-fail",
         "fixed": "fixed", "answer": "answer", "mode": "mode", "id": "id",
         "policy": "policy", "mx": "mx", "cert_expiring": "cert",
         "classes": "class"}
order = list(d["counts"].keys())
what = sys.argv[2]
if what == "line":  # the change line: total, then "name n" per kind
    print(("%d %s" % (d["count"], " ".join("%s %d" % (short[k], n)
                  for k, n in d["counts"].items() if n))).rstrip())
elif what == "kinds":  # kinds that a row can show
    print(" ".join(short[k] for k, n in d["counts"].items()
                   if n and k != "removed"))
elif what == "domains":  # the domains of one kind (short name)
    k = [k for k in short if short[k] == sys.argv[3]][0]
    print(" ".join(sorted({c["domain"] for c in d["changes"]
                           if c["kind"] == k})))
elif what == "cells":  # domain and its change column, in full
    per = {}
    for c in d["changes"]:
        if c["kind"] != "removed":
            per.setdefault(c["domain"], set()).add(c["kind"])
    for dom in sorted(per):
        print(dom, ",".join(short[k] for k in order if k in per[dom]))
elif what == "sorted":  # the order of the change column's sort
    per = {}
    for c in d["changes"]:
        if c["kind"] != "removed":
            per.setdefault(c["domain"], set()).add(c["kind"])
    key = lambda dom: (min(order.index(k) for k in per[dom]),
                       -len(per[dom]), dom)
    print(" ".join(sorted(per, key=key)))
PY
want() { python3 "$work/want.py" "$work/want.json" "$@"; }
[ "$(want line | cut -d' ' -f1)" -ge 10 ]
check $? "scan-summary lists the changes made ($(want line))"

sum_before=$(md5sum "$db" | cut -d' ' -f1)
ls "$work" >"$TUI_TMP/ls.before"

# The change line (third line of the screen) as "total name n ...".
chg_line() {
	tui_screen | sed -n 3p |
	    sed -n 's/^\([0-9]*\) changes\{0,1\} \(.*\)  since scan .*/\1 \2/p' |
	    tr -s ' ' | sed 's/ *$//'
}
shown() { tui_screen | tail -n 1 | sed -n 's/^\([0-9]*\/[0-9]*\) shown.*/\1/p'; }
# The domains of the rows on screen (under the headings, line 4).
rows() { tui_screen | sed '1,4d;$d' | awk 'NF > 1 { print $1 }'; }
# cells: domain and change cell per row, from the heading's columns.
cells() {
	tui_screen | sed '$d' | python3 -c '
import sys
lines = sys.stdin.buffer.read().decode().split("\n")
h = lines[3]
s = h.find("change")
e = h.find("classes") if "classes" in h else len(h) + 100
for l in lines[4:]:
    if s >= 0 and len(l.split()) > 1:
        print(l.split()[0], l[s:e].rstrip())'
}

for size in 80x24 200x50; do
	set -- "${size%x*}" "${size#*x}"
	tui_start "$1" "$2" NO_COLOR=1 -- --db "$db" "$work/2.jsonl"
	tui_wait '^ mtasts-tui  fleet  read ' 20
	check $? "$1x$2: the second scan's file is read"
	tui_wait '^[0-9]+ changes? ' 10
	# Cut at the edge at 80 columns: what is there agrees.
	got=$(tui_screen | sed -n 3p | tr -s ' ' | sed 's/ since scan .*//; s/ changes\{0,1\}//; s/ $//')
	w=$(want line)
	case "$w" in "$got"*) [ ${#got} -gt 20 ] && { [ "$1" = 80 ] || [ "$got" = "$w" ]; } ;; *) false ;; esac
	check $? "$1x$2: the change line is scan-summary's: '$got'"
	# Each row's cell: the kinds in full, or cut to the column.
	bad=
	while read -r dom full; do
		got=$(cells | awk -v d="$dom" 'index(d, $1) == 1 { print $2 }')
		case "$full" in "$got"*) ;; *) bad="$bad $dom:$got/$full" ;; esac
		[ -n "$got" ] && [ "$got" != - ] || bad="$bad $dom:none"
	done < <(want cells)
	[ -z "$bad" ]
	check $? "$1x$2: every row's change column agrees${bad:+ # differ:$bad}"
done
cells | sed 's/^/# /'

n=$(wc -l <"$work/list2")
for k in $(want kinds); do
	tui_keys / ; tui_keys -l "change:$k"; tui_keys Enter
	w=$(want domains "$k")
	c=$(echo "$w" | wc -w)
	tui_wait "^$c/$n shown  filter change:$k" 5 &&
	    [ "$(rows | sort | tr '\n' ' ' | sed 's/ $//')" = "$w" ]
	check $? "change:$k shows exactly $w"
	tui_keys Escape
	tui_wait "^$n/$n shown" 5
done
tui_keys / ; tui_keys -l 'change:nonsense'; tui_keys Enter
tui_wait "no change 'nonsense' \(new gone new-fail fixed" 5
check $? "an unknown kind is refused with the kinds there are"
tui_keys Escape; tui_keys Escape
tui_wait "^$n/$n shown" 5

first=$(want kinds | cut -d' ' -f1)
tui_keys d
tui_wait "shown  filter change:$first " 5
check $? "d shows the first kind with rows ($first)"
second=$(want kinds | cut -d' ' -f2)
tui_keys d
tui_wait "shown  filter change:$second " 5
check $? "d again: the next ($second)"
tui_keys Escape
tui_wait "^$n/$n shown" 5

for ((i = 0; i < 30; i++)); do
	tui_screen | sed -n 4p | grep -q 'change▲' && break
	tui_keys o
	sleep 0.1
done
tui_wait "sorted by change in" 5
got=$(rows | tr '\n' ' ' | sed 's/ $//')
[ "$got" = "$(want sorted)" ]
check $? "o to the change column: changed rows first, by kind ($got)"
tui_keys q
tui_rc 5 >/dev/null

# The fleet view wrote nothing: the same bytes, no -wal or -shm.
ls "$work" >"$TUI_TMP/ls.after"
[ "$(md5sum "$db" | cut -d' ' -f1)" = "$sum_before" ] &&
    cmp -s "$TUI_TMP/ls.before" "$TUI_TMP/ls.after"
check $? "the db is read only: unchanged, no file made next to it"
diff "$TUI_TMP/ls.before" "$TUI_TMP/ls.after" | sed 's/^/# /'

# The default is the scan before the file's own; --since as scan-summary.
tui_start 80 24 NO_COLOR=1 -- --db "$db" --since 2000-01-01 "$work/2.jsonl"
tui_wait 'changes: .*no scan recorded at or before th' 20
check $? "--since before every scan: the change line says so"
[ "$(rows | wc -l)" = "$n" ]
check $? "... and the table is there"

tui_start 80 24 NO_COLOR=1 -- --no-db "$work/2.jsonl"
tui_wait '^ mtasts-tui  fleet  read ' 20
! tui_screen | grep -Eq 'change|since scan' &&
    tui_screen | sed -n 3p | grep -q '^domain'
check $? "--no-db: no change line, no change column"

tui_start 80 24 NO_COLOR=1 -- --db "$work/none.db" "$work/2.jsonl"
tui_wait 'changes: .*none.db: No such file' 20 &&
    [ "$(rows | wc -l)" = "$n" ] && [ ! -e "$work/none.db" ]
check $? "a missing db: one note, the table, no file made"

head -c 8192 /dev/urandom >"$work/random.db"
cp "$work/random.db" "$work/random.orig"
tui_start 80 24 NO_COLOR=1 -- --db "$work/random.db" "$work/2.jsonl"
tui_wait 'changes: .*not a SQLite database' 20 &&
    [ "$(rows | wc -l)" = "$n" ] &&
    cmp -s "$work/random.db" "$work/random.orig"
check $? "a random file as db: one note, the table, the file untouched"

cp "$db" "$work/held.db"
python3 - "$work/held.db" "$work/held" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA locking_mode = EXCLUSIVE")
c.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close()
time.sleep(15)
c.execute("ROLLBACK")
PY
holder=$!
for _ in $(seq 50); do [ -e "$work/held" ] && break; sleep 0.1; done
tui_start 80 24 NO_COLOR=1 -- --db "$work/held.db" "$work/2.jsonl"
tui_wait 'changes: .*locked by ano' 20 &&
    [ "$(rows | wc -l)" = "$n" ]
check $? "a locked db: one note, the table"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

# -f: a scan on the screen against the scan recorded before it (the
# second), as scan-summary compares its output file with the newest; and
# with --since between the scans, against the first.
for since in "" "$mid"; do
	tui_start 160 30 NO_COLOR=1 -- --db "$db" ${since:+--since "$since"} \
	    -f "$work/list2" --out "$work/3.jsonl"
	tui_wait '^ mtasts-tui  fleet  scanned ' 120
	check $? "-f ${since:+--since $since }: the scan ends"
	tui_wait "changes? .*since scan ${since:+1}${since:-2} " 10
	"$bin" scan-summary --db "$db" ${since:+--since "$since"} --json \
	    "$work/3.jsonl" >"$work/want3.json" 2>&1
	got=$(chg_line)
	w=$(python3 "$work/want.py" "$work/want3.json" line)
	[ "$got" = "$w" ]
	check $? "-f ${since:+--since $since }: the change line is scan-summary's of its output ('$got')"
	tui_keys q
	tui_rc 5 >/dev/null
done
[ "$(md5sum "$db" | cut -d' ' -f1)" = "$sum_before" ]
check $? "-f: the db unchanged (the screen's scan is not recorded)"

finish
