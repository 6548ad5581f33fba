#!/bin/bash
# Without Postfix the lab still runs: `lab up` with postfix hidden from PATH
# (as tests/static/lab-skip.sh hides it) and configure's refusal recorded
# says so in one line, runs the MX listeners on the fallback
# (tests/lab/README.md "MX backends"), and the tool gives the same answers
# as against Postfix on scenarios served by it; `lab down` leaves nothing.
# A private lab: namespace mtasts-lab-mxfb, run dir in a temporary
# directory, so the suite's own lab is untouched.  TAP; 77 without root.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$(id -u)" != 0 ]; then echo "1..0 # SKIP needs root (a lab namespace)"; exit 77; fi
if [ ! -x "$top/mtasts-tui" ]; then echo "not ok - mtasts-tui is built (./configure && make)"; exit 1; fi
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
t=$(mktemp -d "${TMPDIR:-/tmp}/mtasts-lab-mxfb.XXXXXX") || exit 1
export MTASTS_LAB_NS=mtasts-lab-mxfb MTASTS_LAB_DIR="$t/run"
unset MTASTS_LAB_MX MTASTS_LAB_DELAY_MS
fail=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fail=1; }
down() { "$top/tests/lab/lab" down >>"$t/down" 2>&1; }
trap 'down; rm -rf "$t"' EXIT
trap 'exit 130' INT TERM

# Every program on PATH except postfix.
mkdir "$t/bin" "$t/run"
. "$top/tests/lab/path-without.sh"
path_without postfix "$t/bin"
printf 'postfix\tit would remove exim4-daemon-light exim4-base exim4-config\n' >"$t/unavailable"

PATH="$t/bin" MTASTS_LAB_UNAVAILABLE="$t/unavailable" "$top/tests/lab/lab" up >"$t/up" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then ok "lab up without postfix starts the lab"
else notok "lab up without postfix starts the lab (status $rc: $(tail -n 3 "$t/up"))"; exit 1; fi

line=$(grep '^lab: postfix unavailable' "$t/up")
if [ "$(printf '%s\n' "$line" | grep -c .)" = 1 ]; then ok "one line says postfix is unavailable"
else notok "one line says postfix is unavailable ($(cat "$t/up"))"; fi
echo "# $line"
case $line in
*"(configure did not install it: it would remove exim4-daemon-light"*) ok "the line gives configure's reason" ;;
*) notok "the line gives configure's reason" ;;
esac
case $line in
*"): MX listeners run on scripted.py ("*valid*"); "[0-9]*" scenarios whose MX behaviour needs Postfix are skipped"*)
	ok "the line names the MX server, its kinds and the count of skipped scenarios" ;;
*) notok "the line names the MX server, its kinds and the count of skipped scenarios" ;;
esac

if grep -q '^postfix ' "$t/run/state/pids"; then notok "no postfix was started ($(cat "$t/run/state/pids"))"
else ok "no postfix was started"; fi
backend=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["infra"]["mx_backend"])' \
    "$t/run/scenarios.json" 2>&1)
if [ "$backend" = fallback ]; then ok "scenarios.json says mx_backend fallback"
else notok "scenarios.json says mx_backend fallback (got $backend)"; fi

# The same verdict and finding codes as with Postfix: each scenario's [check].
SCENARIO="good-enforce.test mx-expired.test mx-no-starttls.test mx-wrong-name.test mx-legacy-tls.test" \
    "$PY" "$top/tests/integration/check_scenarios.py" >"$t/check" 2>&1
crc=$?
cat "$t/check"
for d in good-enforce.test mx-expired.test mx-no-starttls.test; do
	grep -q "^ok - $d: " "$t/check" || notok "check_scenarios.py checked $d"
done
[ "$crc" = 0 ] || fail=1

down
trap 'rm -rf "$t"' EXIT
bash "$top/tests/lab/check-down.sh" || fail=1
exit $fail
