#!/bin/sh
# Files read by path never hang the tool and are bounded: a FIFO or a
# device given (or planted) where a file is expected is refused at once
# with a reason, for --policy, the rollout plan and reports.  No network.
# TAP lines.
cd "$(dirname "$0")/../.." || exit 1
bin=$(pwd)/mtasts-tui
work=$(mktemp -d /tmp/mtasts-file-inputs.XXXXXX)
trap 'rm -rf "$work"' EXIT
XDG_STATE_HOME=$work/xdg XDG_CACHE_HOME=$work/cache MTASTS_TODAY=2026-12-01
export XDG_STATE_HOME XDG_CACHE_HOME MTASTS_TODAY
fails=0

# expect DESCRIPTION STATUS PATTERN CMD...: within 10 s, STATUS and
# PATTERN (ERE) on stdout+stderr.
expect() {
	desc=$1 want=$2 pat=$3
	shift 3
	out=$(timeout 10 "$@" 2>&1 </dev/null)
	rc=$?
	if [ "$rc" -eq "$want" ] && printf '%s' "$out" | grep -Eq -- "$pat"; then
		echo "ok - $desc"
	else
		echo "not ok - $desc (status $rc, want $want; output: $(printf '%s' "$out" | head -3))"
		fails=$((fails + 1))
	fi
}

mkfifo "$work/fifo"
expect "lint --policy FIFO is refused at once" 3 "not a regular file" \
    "$bin" lint --policy "$work/fifo"
expect "lint --policy /dev/zero is refused" 3 "not a regular file" \
    "$bin" lint --policy /dev/zero
expect "report FIFO: unreadable at once" 3 "not a regular file" \
    "$bin" report "$work/fifo"

mkdir -p "$XDG_STATE_HOME/mtasts-tui/rollouts"
plan=$XDG_STATE_HOME/mtasts-tui/rollouts/example.com.yaml
mkfifo "$plan"
expect "rollout status with a FIFO for the plan: refused at once" 3 \
    "not a regular file.*untouched" "$bin" rollout status example.com
expect "export with a FIFO for the plan: refused at once" 3 \
    "not a regular file" "$bin" export --format policy \
    --mx mx.example.com example.com
[ -p "$plan" ] && echo "ok - the FIFO is left as it was" ||
    { echo "not ok - the FIFO is left as it was"; fails=$((fails + 1)); }
rm -f "$plan"

# A report tree with symbolic link loops: each directory is read once.
# Eight "aN -> ." links gave 2,097,152 items and 1.29 GB before; "b -> .."
# leads out of the tree and is not followed (one unreadable input).
mkdir "$work/r"
cat >"$work/r/r.json" <<'JSON'
{"organization-name": "Loop Org", "contact-info": "tlsrpt@loop.example",
 "report-id": "loop-1", "date-range": {"start-datetime":
 "2026-11-01T00:00:00Z", "end-datetime": "2026-11-01T23:59:59Z"},
 "policies": [{"policy": {"policy-type": "sts", "policy-string":
 ["version: STSv1", "mode: testing", "mx: mx.loop.example",
 "max_age: 86400"], "policy-domain": "loop.example"}, "summary":
 {"total-successful-session-count": 5, "total-failure-session-count": 0}}]}
JSON
for i in 1 2 3 4 5 6 7 8; do ln -s . "$work/r/a$i"; done
ln -s .. "$work/r/b"
expect "a report tree with 8 loops and a link out: read once, at once" 1 \
    '"inputs": 2,' "$bin" report --json "$work/r"
expect "the link out of the tree is named and not followed" 1 \
    "r/b.*leading out of the directory given" "$bin" report "$work/r"

[ "$fails" -eq 0 ]
