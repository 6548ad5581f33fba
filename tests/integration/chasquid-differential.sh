#!/bin/bash
# Differential test against a real MTA-STS sending MTA: a private chasquid
# (tests/lab/chasquid.sh) inside the lab sends one message to every scenario
# domain, first contact each time (empty STS cache).  For every MX host it
# tried, what happened (reached the server, skipped or refused for MTA-STS,
# TLS failed, connection failed) must match our verdict.delivery host
# outcomes, and delivered-or-reached / deferred must match its state, except
# for chasquid's departures from RFC 8461 listed in chasquid_known.txt (and
# doc/differential.md).  The lab's MX servers reject every recipient, so
# "reached" means an SMTP reply after the TLS decision.  TAP; exit 77 when
# it cannot run (no root, no chasquid).  About 75 s: every message is
# submitted at once and the log is polled for at most WAIT seconds.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lab/testlib.sh
. "$top/tests/lab/testlib.sh"
WAIT=${MTASTS_CHASQUID_WAIT:-70}
bin=${MTASTS_BIN:-$top/mtasts-tui}

if [ "$(id -u)" != 0 ]; then echo "needs root (the lab namespace)"; exit 77; fi
if ! command -v chasquid >/dev/null 2>&1; then
	echo "chasquid is not installed (Debian package chasquid, see tests/lab/packages)"
	exit 77
fi
lab_require_up
if [ ! -x "$bin" ]; then
	echo "not ok - mtasts-tui is built (./configure && make)"
	exit 1
fi

# Scenarios where no message can meaningfully be sent: DOMAIN<TAB>reason.
# (None so far: even a domain without a mail server gives chasquid's
# "no MX" answer to compare.)
skip_list=''

work=$(mktemp -d)
child=
# run_bg CMD...: run CMD in the background and wait, so a signal is handled at
# once (bash runs traps only after a foreground child ends).
run_bg() {
	local rc
	"$@" &
	child=$!
	wait "$child"
	rc=$?
	child=
	return $rc
}
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
	[ -n "$child" ] && kill -TERM "$child" 2>/dev/null
	"$top/tests/lab/chasquid.sh" down >/dev/null 2>&1
	rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if "$top/tests/lab/chasquid.sh" up 2>"$work/up.err"; then
	ok "chasquid runs in the lab namespace ($(chasquid -version 2>&1 | head -n 1))"
else
	notok "chasquid runs in the lab namespace"
	sed 's/^/#   /' "$work/up.err" | tail -n 12
	exit 1
fi

domains=
while read -r dom _; do
	why=$(printf '%s' "$skip_list" | awk -F'\t' -v d="$dom" '$1 == d {print $2}')
	if [ -n "$why" ]; then
		echo "ok - $dom # SKIP $why"
		continue
	fi
	domains="$domains $dom"
done < <("$LAB" list)

t0=$(date +%s)
# shellcheck disable=SC2086  # one argument per domain
if "$top/tests/lab/chasquid.sh" send $domains 2>"$work/send.err"; then
	ok "chasquid queued a message for each of $(echo $domains | wc -w) domains"
else
	notok "chasquid queued a message for every domain"
	sed 's/^/#   /' "$work/send.err" | head -n 12
fi

# Our answers, three at a time, while chasquid works on its queue.
# shellcheck disable=SC2086
printf '%s\n' $domains >"$work/domains"
# shellcheck disable=SC2016  # the inner sh expands $0..$3
run_bg xargs -a "$work/domains" -P 3 -I{} sh -c \
	'timeout 90 "$0" exec "$1" check --json --no-history "$2" >"$3/$2.json" 2>"$3/$2.err"' \
	"$LAB" "$bin" {} "$work"

# shellcheck disable=SC2086
run_bg "$PY" "$top/tests/integration/chasquid_diff.py" "$RUN/logs/chasquid.log" "$work" \
	"$top/tests/integration/chasquid_known.txt" "$((t0 + WAIT))" $domains
rc=$?
echo "# chasquid's logs: $RUN/logs/chasquid.log, $RUN/logs/chasquid-mail.log (kept until the next run)"
exit $rc
