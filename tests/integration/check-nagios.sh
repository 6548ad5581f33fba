#!/bin/bash
# check --format nagios against the lab: the status (OK, WARNING, CRITICAL,
# UNKNOWN) and the exit status agree, the first line has the plugin format
# of the Monitoring Plugins guidelines, the perfdata parses, -w/-c move the
# certificate thresholds.  TAP output.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lab/testlib.sh
. "$top/tests/lab/testlib.sh"
lab_require_up
bin="$top/mtasts-tui"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# nag NAME ARGS...: runs the check, keeps output in $tmp/NAME, rc in $tmp/NAME.rc
nag() {
    local name=$1
    shift
    lx "$bin" check --format nagios --no-history "$@" >"$tmp/$name" 2>"$tmp/$name.err"
    echo $? >"$tmp/$name.rc"
}

# The first line: "MTA-STS STATE: text | perfdata", each perfdata item
# 'label'=value[UOM];[warn];[crit];[min];[max] with the guidelines' rules.
parse() {
    "$PY" - "$1" "$2" <<'PY'
import re, sys
path, want = sys.argv[1], sys.argv[2]
lines = open(path, encoding="utf-8").read().split("\n")
first = lines[0]
m = re.fullmatch(r"MTA-STS (OK|WARNING|CRITICAL|UNKNOWN): ([^|\n]+) \| (.+)", first)
if not m:
    sys.exit("bad first line: %r" % first)
if m.group(1) != want:
    sys.exit("state %s, want %s" % (m.group(1), want))
num = r"-?[0-9]+(\.[0-9]+)?"
rng = r"(@?(~|%s)?(:(%s)?)?)?" % (num, num)
item = re.compile(r"([^ '=]+|'[^'=]+')=(%s|U)(s|%%|B|KB|MB|TB|c)?(;%s(;%s(;(%s)?(;(%s)?)?)?)?)?" % (num, rng, rng, num, num))
labels = []
for it in m.group(3).split(" "):
    mm = item.fullmatch(it)
    if not mm:
        sys.exit("perfdata item does not parse: %r" % it)
    labels.append(mm.group(1))
if len(set(labels)) != len(labels):
    sys.exit("duplicate labels: %r" % labels)
for l in lines[1:]:
    if "|" in l:
        sys.exit("a '|' in long output: %r" % l)
print(" ".join(labels))
PY
}

rcof() { cat "$tmp/$1.rc"; }

nag ok good-enforce.test
out=$(parse "$tmp/ok" OK)
check $? "good-enforce: OK, first line and perfdata parse" "$out$(head -1 "$tmp/ok")"
check "$([ "$(rcof ok)" = 0 ]; echo $?)" "good-enforce: exit 0" "rc=$(rcof ok)"
for l in cert_days_policy_ cert_days_mx_mx1.good-enforce.test_ cert_days_mx_mx2.backup.good-enforce.test_ max_age mx_covered mx_hosts time; do
    case " $out" in *" $l"*) r=0 ;; *) r=1 ;; esac
    check $r "good-enforce: perfdata has $l" "$out"
done
head -1 "$tmp/ok" | grep -q ' max_age=604800s;;;0 mx_covered=2;;;0;2 mx_hosts=2;;;0 time=[0-9.]*s;;;0$'
check $? "good-enforce: max_age, coverage 2 of 2, time in seconds" "$(head -1 "$tmp/ok")"
# The certificate days match the JSON document's days_left.
days=$(lx "$bin" check --json --no-history good-enforce.test | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
f = [l for l in d["layers"] if l["id"] == "fetch"][0]["data"]["attempts"][0]
print(f["chain"]["certificates"][0]["days_left"])')
head -1 "$tmp/ok" | grep -q "cert_days_policy_[0-9.]*=$days;21:;7: "
check $? "good-enforce: policy certificate days ($days) and default -w 21 -c 7" "$(head -1 "$tmp/ok")"
[ "$(sed -n 2p "$tmp/ok")" = "delivery: all mail delivered over verified TLS" ]
check $? "good-enforce: long output starts with the delivery answer" "$(sed -n 2p "$tmp/ok")"

# The verdict's 1: the deployment needs repair.
nag warn no-txt.test
out=$(parse "$tmp/warn" WARNING)
check $? "no-txt: WARNING" "$out$(head -1 "$tmp/warn")"
check "$([ "$(rcof warn)" = 1 ]; echo $?)" "no-txt: exit 1" "rc=$(rcof warn)"
grep -q '^\[error\] sts.txt.missing: ' "$tmp/warn"
check $? "no-txt: the finding in the long output"

# The verdict's 2: senders refuse mail.
nag crit mx-uncovered.test
out=$(parse "$tmp/crit" CRITICAL)
check $? "mx-uncovered: CRITICAL" "$out$(head -1 "$tmp/crit")"
check "$([ "$(rcof crit)" = 2 ]; echo $?)" "mx-uncovered: exit 2" "rc=$(rcof crit)"
head -1 "$tmp/crit" | grep -q ' mx_covered=1;;;0;2 '
check $? "mx-uncovered: coverage 1 of 2" "$(head -1 "$tmp/crit")"
grep -q '^mx refused backup.elsewhere.mx-uncovered.test: ' "$tmp/crit"
check $? "mx-uncovered: the refused host in the long output"

# An expired MX certificate: CRITICAL, negative days.
nag exp mx-expired.test
parse "$tmp/exp" CRITICAL >/dev/null
check $? "mx-expired: CRITICAL" "$(head -1 "$tmp/exp")"
head -1 "$tmp/exp" | grep -q 'cert_days_mx_mx.mx-expired.test_[0-9.]*=-[0-9]*;21:;7:'
check $? "mx-expired: negative days in perfdata" "$(head -1 "$tmp/exp")"

# The thresholds alone: a healthy domain whose certificates have $days
# days left turns WARNING or CRITICAL when -w or -c reach them.
nag tw -w $((days + 10)) -c $((days - 10)) good-enforce.test
parse "$tmp/tw" WARNING >/dev/null
check $? "good-enforce -w $((days + 10)): WARNING" "$(head -1 "$tmp/tw")"
check "$([ "$(rcof tw)" = 1 ]; echo $?)" "good-enforce -w: exit 1" "rc=$(rcof tw)"
head -1 "$tmp/tw" | grep -q "expires in $days days | "
check $? "good-enforce -w: the status line names the soonest expiry" "$(head -1 "$tmp/tw")"
# Exactly $days days left is not "within $days days" (the range "N:").
nag tb -w "$days" -c 7 good-enforce.test
parse "$tmp/tb" OK >/dev/null
check $? "good-enforce -w $days (the days left): still OK" "$(head -1 "$tmp/tb")"
nag tc -w $((days + 20)) -c $((days + 10)) good-enforce.test
parse "$tmp/tc" CRITICAL >/dev/null
check $? "good-enforce -c $((days + 10)): CRITICAL" "$(head -1 "$tmp/tc")"
check "$([ "$(rcof tc)" = 2 ]; echo $?)" "good-enforce -c: exit 2" "rc=$(rcof tc)"
head -1 "$tmp/tc" | grep -q "=$days;$((days + 20)):;$((days + 10)):"
check $? "good-enforce -c: thresholds in perfdata" "$(head -1 "$tmp/tc")"

# A dead resolver: UNKNOWN, exit 3, still one parseable line.
nag unk --timeout 1 --resolver 127.0.0.9 good-enforce.test
parse "$tmp/unk" UNKNOWN >/dev/null
check $? "dead resolver: UNKNOWN" "$(head -1 "$tmp/unk")"
check "$([ "$(rcof unk)" = 3 ]; echo $?)" "dead resolver: exit 3" "rc=$(rcof unk)"
head -1 "$tmp/unk" | grep -q '^MTA-STS UNKNOWN: good-enforce.test: could not check: '
check $? "dead resolver: says why" "$(head -1 "$tmp/unk")"

# Usage errors.
"$bin" check --format nagios -w 5 -c 9 x.test >/dev/null 2>"$tmp/e1"
r=$?
[ "$r" = 3 ] && grep -q 'fewer days' "$tmp/e1"
check $? "-c above -w is refused" "rc=$r $(cat "$tmp/e1")"
"$bin" check -w 5 x.test >/dev/null 2>"$tmp/e2"
r=$?
[ "$r" = 3 ] && grep -q "belong to 'check --format nagios'" "$tmp/e2"
check $? "-w without --format nagios is refused" "rc=$r $(cat "$tmp/e2")"
"$bin" check --format yaml x.test >/dev/null 2>"$tmp/e3"
r=$?
[ "$r" = 3 ] && grep -q "only 'nagios'" "$tmp/e3"
check $? "check --format other than nagios is refused" "rc=$r $(cat "$tmp/e3")"

finish
