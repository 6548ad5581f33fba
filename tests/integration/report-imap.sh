#!/bin/bash
# report / check --reports / rollout status --reports read TLS-RPT reports
# from the lab's Dovecot mailbox (tests/lab/imap.py, issue 16): the first
# read equals reading the same messages as files, a second read finds
# nothing new, an appended message is the only one read, a new UIDVALIDITY
# reads all again, a wrong password and a stalling server end with a clear
# error and exit 3, and nothing in the mailbox is flagged.  TAP; needs the
# lab up with Dovecot (77 without it).
set -u
# shellcheck source=tests/lab/testlib.sh
. "$(dirname "$0")/../lab/testlib.sh"
top=$(cd "$LAB_SRC/../.." && pwd)
bin=$top/mtasts-tui
lab_require_up
if [ ! -f "$RUN/dovecot/dovecot.conf" ]; then
    echo "1..0 # SKIP no IMAP server in the lab (dovecot-imapd or the corpus missing)"
    exit 77
fi
tmp=$(mktemp -d)
stall_pid=
cleanup() {
    [ -n "$stall_pid" ] && kill "$stall_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
# The message case 3 appends, left by an earlier run, goes first (the mailbox
# then holds the corpus only; its UIDs may be new, the contents are the same).
rm -f "$RUN"/imap/home/reports/Maildir/{new,cur}/1800000000.M999.lab*
pw=$RUN/dovecot/password
url=imaps://reports@imap.lab.test/INBOX
maildir=$RUN/imap/home/reports/Maildir
state=$tmp/state
# Each read: its own state directory, the password from the file.
rd() { LX_TIMEOUT=60 lx env XDG_STATE_HOME="$state" "$bin" "$@"; }

# norm FILE: report --json without the sources' names (a file name vs a
# mailbox UID) and in a fixed order, to compare the two readings.
norm() {
    "$PY" - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for s in d.get("sources", []):
    s.pop("source", None)
    for f in s.get("findings", []):
        f["subject"] = "(source)"
d["sources"] = sorted(d.get("sources", []), key=lambda s: json.dumps(s, sort_keys=True))
d["domains"] = sorted(d.get("domains", []), key=lambda s: json.dumps(s, sort_keys=True))
for f in d.get("findings", []):
    if f.get("subject", "").startswith(("/", "imap")):
        f["subject"] = "(source)"
print(json.dumps(d, sort_keys=True, indent=1))
PY
}
nmsg=$(find "$RUN/imap/expected" -type f | wc -l)

# 1. First read equals the files.
rd report --json --password-file "$pw" "$url" >"$tmp/imap.json" 2>"$tmp/imap.err"
rc=$?
rd report --json "$RUN/imap/expected" >"$tmp/files.json" 2>/dev/null
inputs=$("$PY" -c 'import json,sys;print(json.load(open(sys.argv[1]))["inputs"])' "$tmp/imap.json" 2>/dev/null)
check "$([ "$inputs" = "$nmsg" ] && echo 0)" "first read: every message of the mailbox read ($inputs of $nmsg)" "$(cat "$tmp/imap.err")"
norm "$tmp/imap.json" >"$tmp/imap.norm" 2>&1
norm "$tmp/files.json" >"$tmp/files.norm" 2>&1
diff -u "$tmp/files.norm" "$tmp/imap.norm" >"$tmp/diff" 2>&1
check $? "first read: the same summary, reports and findings as reading the messages as files" "$(head -n 6 "$tmp/diff")"
frc=$(rd report --password-file "$pw" "$RUN/imap/expected" >/dev/null 2>&1; echo $?)
check "$([ "$rc" = "$frc" ] && echo 0)" "first read: the same exit status as the files ($rc, $frc)"
grep -q "quirk-no-sending-mta-ip" "$tmp/imap.json" && grep -q "quirk-no-policy-domain" "$tmp/imap.json"
check $? "first read: the quirky reports (no sending-mta-ip, no policy-domain) are read, not lost"

# 1b. Each quirk is a report.lenient note on a report that is counted.
quirks=$("$PY" - "$tmp/imap.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
want = {"quirk-no-sending-mta-ip": "sending-mta-ip is missing",
        "quirk-mx-host-string": "mx-host is a string",
        "quirk-no-zone": "no time zone",
        "quirk-no-policy-domain": "policy-domain is missing"}
got = []
for s in d["sources"]:
    w = want.get(s.get("report_id"))
    if w and s.get("report") and any(f["code"] == "report.lenient" and w in f["message"]
                                     for f in s["findings"]):
        got.append(s["report_id"])
print(len(got), len(want))
PY
)
check "$([ "$quirks" = "4 4" ] && echo 0)" "quirks: each a report.lenient note on a counted report ($quirks)"

# 2. A second read finds nothing new.
rd report --json --password-file "$pw" "$url" >"$tmp/second.json" 2>"$tmp/second.err"
rc=$?
inputs=$("$PY" -c 'import json,sys;print(json.load(open(sys.argv[1]))["inputs"])' "$tmp/second.json" 2>/dev/null)
check "$([ "$inputs" = 0 ] && [ "$rc" = 3 ] && echo 0)" "second read: nothing new (inputs $inputs, exit $rc)" "$(cat "$tmp/second.err")"

# 3. An appended message is the only one read.
"$PY" - "$maildir/new/1800000000.M999.lab" <<'PY'
import json, sys
r = {"organization-name": "Appended", "contact-info": "x@reporter.example",
     "report-id": "appended-after-first-read",
     "date-range": {"start-datetime": "2026-11-22T00:00:00Z", "end-datetime": "2026-11-22T23:59:59Z"},
     "policies": [{"policy": {"policy-type": "sts", "policy-domain": "appended.example",
                              "mx-host": ["mx.appended.example"]},
                   "summary": {"total-successful-session-count": 7, "total-failure-session-count": 0}}]}
body = json.dumps(r)
msg = ("From: x@reporter.example\r\nTo: reports@lab.test\r\nSubject: appended\r\n"
       "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=tlsrpt; boundary=b\r\n\r\n"
       "--b\r\nContent-Type: text/plain\r\n\r\nreport\r\n"
       "--b\r\nContent-Type: application/tlsrpt+json\r\n\r\n" + body + "\r\n--b--\r\n")
open(sys.argv[1], "w").write(msg)
PY
chown 65534:65534 "$maildir/new/1800000000.M999.lab"
rd report --json --password-file "$pw" "$url" >"$tmp/third.json" 2>"$tmp/third.err"
out=$("$PY" -c 'import json,sys;d=json.load(open(sys.argv[1]));print(d["inputs"], d["domains"][0]["domain"] if d["domains"] else "-")' "$tmp/third.json" 2>&1)
check "$([ "$out" = "1 appended.example" ] && echo 0)" "appended message: the only one read ($out)" "$(cat "$tmp/third.err")"

# 4. A new UIDVALIDITY (the mailbox's index and UID list rebuilt) reads all again.
old=$(head -n 1 "$state"/mtasts-tui/imap/* 2>/dev/null)
rm -f "$maildir/dovecot-uidlist" "$maildir"/dovecot.index*
sleep 1 # Dovecot takes the time as the new UIDVALIDITY
rd report --json --password-file "$pw" "$url" >"$tmp/fourth.json" 2>"$tmp/fourth.err"
new=$(head -n 1 "$state"/mtasts-tui/imap/* 2>/dev/null)
inputs=$("$PY" -c 'import json,sys;print(json.load(open(sys.argv[1]))["inputs"])' "$tmp/fourth.json" 2>/dev/null)
check "$([ "$inputs" = $((nmsg + 1)) ] && [ "$old" != "$new" ] && echo 0)" \
    "UIDVALIDITY changed ($old -> $new): all $((nmsg + 1)) messages read again (got $inputs)" "$(cat "$tmp/fourth.err")"
dups=$("$PY" -c 'import json,sys;a=json.load(open(sys.argv[1]));b=json.load(open(sys.argv[2]));print(a["reports"]+1==b["reports"], a["duplicates"]==b["duplicates"])' "$tmp/imap.json" "$tmp/fourth.json" 2>&1)
check "$([ "$dups" = "True True" ] && echo 0)" "reread: reports counted once by report id (distinct +1, copies unchanged: $dups)"

# 5. Read-only: EXAMINE and BODY.PEEK[] leave no flag (Maildir :2,S would be \Seen).
flagged=$(find "$maildir" -type f -name '*:2,?*' | wc -l)
check "$([ "$flagged" = 0 ] && echo 0)" "read-only: no message flagged ($flagged)"

# 6. A folder path.
out=$(rd report --json --password-file "$pw" "imaps://reports@imap.lab.test/Archive/tlsrpt" 2>&1 |
    "$PY" -c 'import json,sys;print(json.load(sys.stdin)["inputs"])' 2>&1)
check "$([ "$out" = 1 ] && echo 0)" "folder path Archive/tlsrpt: its one message ($out)"

# 6a. A folder name outside ASCII, in the URL percent-encoded UTF-8.
out=$(rd report --json --password-file "$pw" "imaps://reports@imap.lab.test/Berichte/%C3%9Cbersicht" 2>&1 |
    "$PY" -c 'import json,sys;print(json.load(sys.stdin)["inputs"])' 2>&1)
check "$([ "$out" = 1 ] && echo 0)" "folder Berichte/Übersicht (modified UTF-7 on the wire): its one message ($out)"

# 6b. A message over the 16 MiB cap is skipped, said, and left unread.
big=$maildir/Big
rm -rf "$big"
mkdir -p "$big/cur" "$big/new" "$big/tmp"
cp "$RUN/imap/expected/stalwart-mailauth__rpt01.eml" "$big/cur/1700000001.M001.lab:2,"
{
    printf 'From: x@reporter.example\r\nSubject: big\r\nContent-Type: text/plain\r\n\r\n'
    head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' 'x' | fold -w 76
} >"$big/cur/1700000002.M002.lab:2,"
chown -R 65534:65534 "$big"
out=$(rd report --json --password-file "$pw" "imaps://reports@imap.lab.test/Big" 2>"$tmp/big.err" |
    "$PY" -c 'import json,sys;print(json.load(sys.stdin)["inputs"])' 2>&1)
check "$([ "$out" = 1 ] && grep -q "UID 2 is [0-9]* bytes, over the cap of 16777216; skipped" "$tmp/big.err" && echo 0)" \
    "a message over the size cap: skipped and said ($out read)" "$(cat "$tmp/big.err")"
out=$(rd report --json --password-file "$pw" "imaps://reports@imap.lab.test/Big" 2>&1 >/dev/null)
check "$([[ "$out" == *"UID 2 is"* ]] && echo 0)" "the skipped message stays unread: said again on the next run" "$out"
rm -rf "$big"

# 7. The password from the environment, and from ~/.netrc.
out=$(LX_TIMEOUT=60 lx env XDG_STATE_HOME="$tmp/s7" MTASTS_IMAP_PASSWORD="$(cat "$pw")" "$bin" report --json "$url" 2>&1 |
    "$PY" -c 'import json,sys;print(json.load(sys.stdin)["inputs"])' 2>&1)
check "$([ "$out" = $((nmsg + 1)) ] && echo 0)" "password from MTASTS_IMAP_PASSWORD ($out)"
mkdir -p "$tmp/home"
printf 'machine imap.lab.test login reports password %s\n' "$(cat "$pw")" >"$tmp/home/.netrc"
chmod 600 "$tmp/home/.netrc"
out=$(LX_TIMEOUT=60 lx env HOME="$tmp/home" XDG_STATE_HOME="$tmp/s8" "$bin" report --json "$url" 2>&1 |
    "$PY" -c 'import json,sys;print(json.load(sys.stdin)["inputs"])' 2>&1)
check "$([ "$out" = $((nmsg + 1)) ] && echo 0)" "password from ~/.netrc ($out)"
out=$(rd report "imaps://reports:secret@imap.lab.test/INBOX" 2>&1)
rc=$?
check "$([ "$rc" = 3 ] && [[ "$out" == *"process list"* ]] && echo 0)" "a password in the URL is refused (exit $rc)" "$out"

# 8. A wrong password: a clear error, exit 3.
echo not-the-password >"$tmp/bad"
out=$(rd report --password-file "$tmp/bad" "$url" 2>&1)
rc=$?
check "$([ "$rc" = 3 ] && [[ "$out" == *"login denied"* ]] && echo 0)" "wrong password: 'login denied', exit 3 (exit $rc)" "$out"

# 9. A server that accepts and never answers: ended by --timeout.
setsid ip netns exec "$(cat "$RUN/state/ns")" "$PY" -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.143.2", 993)); s.listen(8)
held = []
while True:
    c, _ = s.accept(); held.append(c)' </dev/null >/dev/null 2>&1 &
stall_pid=$!
sleep 0.5
t0=$(date +%s)
out=$(rd --timeout 2 report --password-file "$pw" "imaps://reports@127.0.143.2/INBOX" 2>&1)
rc=$?
t=$(($(date +%s) - t0))
check "$([ "$rc" = 3 ] && [ "$t" -le 8 ] && echo 0)" "stalling server: ends in ${t}s (--timeout 2), exit $rc" "$out"
kill "$stall_pid" 2>/dev/null
wait "$stall_pid" 2>/dev/null
stall_pid=

# 9b. A hostile server (tests/lab/imap_hostile.py: a real TLS login, then
# answers that break the rules): each ends with a clear error, exit 3,
# within the deadline, and the normal mode proves the server is usable.
hcert=$RUN/pki/hosts/hostile-imap.lab.test/valid
for mc in "normal:1 read" "endless-line:line longer than" "big-literal:over the cap" \
    "bad-literal:bad literal length" "short-literal:receiving data" \
    "many-uids:line longer than" "garbage-size:no size for message UID 1"; do
    mode=${mc%%:*} want=${mc#*:}
    setsid ip netns exec "$(cat "$RUN/state/ns")" "$PY" "$LAB_SRC/imap_hostile.py" "$hcert" 127.0.143.3 993 "$mode" \
        </dev/null >"$tmp/hostile.log" 2>&1 &
    stall_pid=$!
    for _ in $(seq 30); do lx "$PY" -c 'import socket;socket.create_connection(("127.0.143.3",993),1)' 2>/dev/null && break; sleep 0.1; done
    t0=$(date +%s)
    out=$(LX_TIMEOUT=60 lx env XDG_STATE_HOME="$tmp/h-$mode" MTASTS_IMAP_PASSWORD=x "$bin" --timeout 5 report \
        imaps://u@hostile-imap.lab.test/INBOX 2>&1)
    rc=$?
    t=$(($(date +%s) - t0))
    kill "$stall_pid" 2>/dev/null
    wait "$stall_pid" 2>/dev/null
    stall_pid=
    if [ "$mode" = normal ]; then wrc=0; else wrc=3; fi
    check "$([ "$rc" = "$wrc" ] && [[ "$out" == *"$want"* ]] && [ "$t" -le 15 ] && echo 0)" \
        "hostile server, $mode: '$want', exit $rc in ${t}s" "$(head -n 3 <<<"$out")"
done

# 9c. Progress on a terminal once a read takes over a second (script(1)
# gives the tool a terminal); none when stderr is not one.
if command -v script >/dev/null 2>&1; then
    setsid ip netns exec "$(cat "$RUN/state/ns")" "$PY" "$LAB_SRC/imap_hostile.py" "$hcert" 127.0.143.3 993 slow \
        </dev/null >"$tmp/hostile.log" 2>&1 &
    stall_pid=$!
    for _ in $(seq 30); do lx "$PY" -c 'import socket;socket.create_connection(("127.0.143.3",993),1)' 2>/dev/null && break; sleep 0.1; done
    LX_TIMEOUT=60 lx env XDG_STATE_HOME="$tmp/h-slow" MTASTS_IMAP_PASSWORD=x \
        script -qec "$bin report imaps://u@hostile-imap.lab.test/INBOX >/dev/null" /dev/null >"$tmp/tty.out" 2>&1
    LX_TIMEOUT=60 lx env XDG_STATE_HOME="$tmp/h-slow2" MTASTS_IMAP_PASSWORD=x \
        "$bin" report imaps://u@hostile-imap.lab.test/INBOX >/dev/null 2>"$tmp/notty.err"
    kill "$stall_pid" 2>/dev/null
    wait "$stall_pid" 2>/dev/null
    stall_pid=
    grep -q "message [45] of 5" "$tmp/tty.out"
    check $? "progress: 'message i of 5' on a terminal after a second" "$(tr '\r' '\n' <"$tmp/tty.out" | tail -n 3)"
    ! grep -q "of 5" "$tmp/notty.err"
    check $? "progress: nothing when stderr is not a terminal" "$(head -n 3 "$tmp/notty.err")"
fi

# 10. check --reports URL gives the verdict the same messages give as files.
verdict() {
    LX_TIMEOUT=90 lx env XDG_STATE_HOME="$state" "$bin" check --json --no-history --no-mx-tls \
        --password-file "$pw" --reports "$1" good-testing.test 2>"$tmp/check.err" |
        "$PY" -c 'import json,sys;d=json.load(sys.stdin);print(json.dumps(d["verdict"],sort_keys=True))' 2>&1
}
a=$(verdict "$RUN/imap/expected")
b=$(verdict "$url")
check "$([ -n "$a" ] && [ "$a" = "$b" ] && echo 0)" "check --reports URL: the verdict of the same reports as files" "$a | $b"
before=$(cat "$state"/mtasts-tui/imap/*)
verdict "$url" >/dev/null
after=$(cat "$state"/mtasts-tui/imap/*)
check "$([ "$before" = "$after" ] && echo 0)" "check --reports URL: reads every report, leaves report's state alone"

# 11. rollout status --reports URL says what the same reports as files say.
cp -r "$RUN/imap/expected" "$tmp/all"
cp "$maildir"/*/1800000000.M999.lab* "$tmp/all/appended.eml"
ro() {
    LX_TIMEOUT=90 lx env XDG_STATE_HOME="$tmp/ro" "$bin" rollout status --password-file "$pw" \
        --reports "$1" good-testing.test 2>&1
}
LX_TIMEOUT=90 lx env XDG_STATE_HOME="$tmp/ro" "$bin" rollout start --mode testing \
    --mx mx1.good-testing.test good-testing.test >"$tmp/ro.start" 2>&1
distinct=$("$PY" -c 'import json,sys;print(json.load(open(sys.argv[1]))["reports"])' "$tmp/fourth.json" 2>/dev/null)
a=$(ro "$tmp/all")
b=$(ro "$url")
check "$([ -n "$a" ] && [ "$a" = "$b" ] && [[ "$b" == *"$distinct reports read"* ]] && echo 0)" \
    "rollout status --reports URL: the same as the files ($(grep -o '[0-9]* reports read' <<<"$b"))" "$(diff <(echo "$a") <(echo "$b") | head -n 4)"

finish
