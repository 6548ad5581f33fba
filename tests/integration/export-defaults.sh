#!/bin/bash
# Issue 13, case 3: export and rollout start on a healthy enforce domain
# of the shared lab (good-enforce.test) keep what is live: mode enforce,
# the served max_age, the *.backup wildcard, and the published id while
# the body is unchanged.  A weaker policy is written only when an option
# asks for it, and is said on stderr.  TAP.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
lab="$top/tests/lab/lab"
bin=${MTASTS_BIN:-$top/mtasts-tui}
dom=good-enforce.test
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
ok() { echo "ok - $1"; }
nok() {
	echo "not ok - $1"
	fails=$((fails + 1))
	sed 's/^/# /' "$work/out" "$work/err"
}
# The policy has CRLF line ends: compared without them.
in_lab() {
	"$lab" exec env MTASTS_TODAY=2026-12-01 XDG_STATE_HOME="$work/xdg" "$@" |
	    tr -d '\r'
}
weak="weaker\|shorter\|dropped"

live_id=$("$lab" exec drill -Q TXT "_mta-sts.$dom" | sed -n 's/.*id=\([^";]*\).*/\1/p')
in_lab "$bin" export --format policy $dom >"$work/out" 2>"$work/err"
if grep -qx "mode: enforce" "$work/out" &&
    grep -qx "max_age: 604800" "$work/out" &&
    grep -qx "mx: \*.backup.$dom" "$work/out" &&
    ! grep -q "$weak" "$work/err"; then
	ok "export keeps enforce, the live max_age and the wildcard"
else
	nok "export keeps enforce, the live max_age and the wildcard"
fi
in_lab "$bin" export --format zone $dom >"$work/out" 2>"$work/err"
if [ -n "$live_id" ] && grep -q "id=$live_id" "$work/out"; then
	ok "export keeps the live id $live_id for the unchanged body"
else
	nok "export keeps the live id '$live_id' for the unchanged body"
fi
in_lab "$bin" export --format zone --max-age 1209600 $dom >"$work/out" \
    2>"$work/err"
if ! grep -q "id=$live_id" "$work/out" && grep -q "id=" "$work/out"; then
	ok "a changed body gets a new id"
else
	nok "a changed body gets a new id"
fi
in_lab "$bin" export --format policy --mode testing $dom >"$work/out" \
    2>"$work/err"
if grep -qx "mode: testing" "$work/out" &&
    grep -q "note: mode testing is weaker than the live policy's enforce" \
    "$work/err" &&
    grep -q "note: max_age 86400 is shorter than the live policy's 604800" \
    "$work/err"; then
	ok "--mode testing downgrades, and says so on stderr"
else
	nok "--mode testing downgrades, and says so on stderr"
fi
in_lab "$bin" export --format policy --mx mx1.$dom --mx mx2.backup.$dom \
    $dom >"$work/out" 2>"$work/err"
if grep -qx "mx: mx2.backup.$dom" "$work/out" &&
    grep -qx "mode: testing" "$work/out"; then
	ok "--mx replaces the patterns (live is not read then)"
else
	nok "--mx replaces the patterns (live is not read then)"
fi
in_lab "$bin" rollout start $dom >"$work/out" 2>"$work/err"
plan=$work/xdg/mtasts-tui/rollouts/$dom.yaml
if [ -f "$plan" ] && grep -q "enforce" "$plan" &&
    grep -q "\*.backup.$dom" "$plan" && grep -q "604800" "$plan"; then
	ok "rollout start starts from the same defaults"
else
	nok "rollout start starts from the same defaults"
	[ -f "$plan" ] && sed 's/^/# /' "$plan"
fi
in_lab "$bin" export --format zone $dom >"$work/out" 2>"$work/err"
if grep -q "id=$live_id" "$work/out" && ! grep -q "$weak" "$work/err"; then
	ok "with a plan, export starts from it and keeps the id"
else
	nok "with a plan, export starts from it and keeps the id"
fi
[ "$fails" -eq 0 ]
