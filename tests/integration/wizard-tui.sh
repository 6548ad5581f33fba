#!/bin/bash
# The interactive wizard driven through tmux (private server, no config),
# from the first screen to the written files, against the lab's
# good-testing.test deployment (so the screens are prefilled from it).
# Needs the lab up (the test runner starts it) and tmux.  TAP lines.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
bin=${MTASTS_BIN:-$top/mtasts-tui}
lab=$top/tests/lab/lab
domain=good-testing.test

command -v tmux >/dev/null 2>&1 || { echo "tmux is not installed"; exit 77; }
if [ "$(id -u)" != 0 ]; then
	echo "the lab needs root"
	exit 77
fi
if ! "$lab" exec true >/dev/null 2>&1; then
	echo "the lab is not up"
	exit 77
fi

# One private server per run of the wizard (a fresh socket avoids racing
# the previous server's exit); every one is killed on the way out.
run=0
sock=mtasts-wiz-$$-$run
work=$(mktemp -d /tmp/mtasts-wiz-tui.XXXXXX)
tm() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() {
	local i
	for ((i = 0; i <= run; i++)); do
		tmux -L "mtasts-wiz-$$-$i" -f /dev/null kill-server \
		    >/dev/null 2>&1
		rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/mtasts-wiz-$$-$i"
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fails=0
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; fails=$((fails + 1)); }

# wait_for PATTERN [SECONDS]: poll the pane until it shows PATTERN.
wait_for() {
	local i n=$(( ${2:-20} * 10 ))
	for ((i = 0; i < n; i++)); do
		if tm capture-pane -p 2>/dev/null | grep -q -- "$1"; then
			return 0
		fi
		sleep 0.1
	done
	tm capture-pane -p 2>/dev/null | sed 's/^/# /'
	return 1
}
expect() {	# DESCRIPTION PATTERN
	if wait_for "$2" "${3:-5}"; then ok "$1"; else nok "$1"; fi
}
keys() { tm send-keys "$@"; }
# exit_is STATUS: the wizard's exit status, once it has exited (bounded wait).
exit_is() {
	n=0
	while [ ! -s "$work/exit" ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ "$(cat "$work/exit" 2>/dev/null)" = "$1" ]
}

# start: the wizard in a 100x36 pane; its exit status lands in a file.
start() {
	rm -f "$work/exit"
	tm kill-server >/dev/null 2>&1
	run=$((run + 1))
	sock=mtasts-wiz-$$-$run
	tm new-session -d -x 100 -y 36 "cd '$top' && '$lab' exec env \
MTASTS_TODAY=2026-12-01 XDG_STATE_HOME='$work/xdg' TERM=screen \
'$bin' wizard --no-history --out '$work/out' $domain; \
echo \$? >'$work/exit'; sleep 600"
}

start
expect "screen 1 shows the current state" "Current state" 30
expect "the live TXT id is shown" "valid, id 20261101T000000Z"
expect "the live policy is shown" "mode testing, max_age 86400, 2 mx"
keys Enter
expect "screen 2: MX patterns prefilled from the live policy" \
    "\*.backup.good-testing.test"
expect "coverage of every live MX is shown" \
    "mx2.backup.good-testing.test *covered by \*.backup"
keys a
keys "bad..name"
expect "a bad pattern is refused while typing" "two dots in a row"
keys Escape
keys a
keys "mx3.good-testing.test" Enter
expect "a valid pattern is added" "^    mx3.good-testing.test"
keys Down Down d
if wait_for "step 2 of 7" && ! tm capture-pane -p | grep -q "^    mx3"; then
	ok "the selected pattern is deleted"
else
	nok "the selected pattern is deleted"
fi
keys Enter
expect "screen 3: mode and max_age" "Mode and max_age"
keys e
expect "enforce is offered for a ready domain, with a longer max_age" \
    "max_age: 1209600 seconds"
keys t
expect "back to testing with a day" "max_age: 86400 seconds (1 day)"
keys Enter
expect "screen 4: TLS-RPT prefilled from the live record" \
    "https://report.good-testing.test/tlsrpt"
keys a
keys "http://x.example/"
expect "an unusable rua URI is refused while typing" "usable"
keys Escape
keys a
keys "mailto:extra@good-testing.test" Enter
expect "a valid rua URI is added" "^    mailto:extra@good-testing.test"
keys Down Down Down d
if wait_for "step 4 of 7" && ! tm capture-pane -p | grep -q "^    mailto:extra@"; then
	ok "the selected URI is deleted"
else
	nok "the selected URI is deleted"
fi
keys Enter
expect "screen 5: the unchanged policy keeps its id" \
    "keeping id 20261101T000000Z"
keys Enter
expect "screen 6: hosting" "Hosting of the policy"
keys 3
keys "cdn.example.net" Enter
expect "a CNAME target is taken" "CNAME cdn.example.net\."
keys Enter
expect "screen 7: output" "Directory: $work/out"
keys w
expect "the files are written and the wizard ends" "Written into" 10
if wait_for "Rollout plan saved" && exit_is 0
then
	ok "exit status 0"
else
	nok "exit status 0"
fi
for f in mta-sts.txt zone.txt octodns.yaml records.yaml nginx.conf \
    apache.conf; do
	if [ -s "$work/out/$f" ]; then ok "$f written"; else nok "$f written"; fi
done
want=$(printf 'version: STSv1\r\nmode: testing\r\nmx: mx1.good-testing.test\r\nmx: *.backup.good-testing.test\r\nmax_age: 86400\r\n')
if [ "$(cat "$work/out/mta-sts.txt")" = "$want" ]; then
	ok "the policy is the live one, CRLF"
else
	nok "the policy is the live one, CRLF"
fi
if grep -q "^mta-sts.$domain.	3600	IN	CNAME	cdn.example.net.$" \
    "$work/out/zone.txt"; then
	ok "the zone has the CNAME"
else
	nok "the zone has the CNAME"
fi
if "$bin" lint --policy "$work/out/mta-sts.txt" \
    --txt "v=STSv1; id=20261101T000000Z" \
    --tlsrpt "$(sed -n 's/.*_smtp._tls.*TXT	"\(.*\)"$/\1/p' "$work/out/zone.txt")" \
    >"$work/lint.txt" 2>&1; then
	ok "lint accepts the written policy and records"
else
	nok "lint accepts the written policy and records"
	sed 's/^/# /' "$work/lint.txt"
fi
if [ -f "$work/xdg/mtasts-tui/rollouts/$domain.yaml" ]; then
	ok "the plan is saved"
else
	nok "the plan is saved"
fi
"$lab" exec env MTASTS_TODAY=2026-12-10 XDG_STATE_HOME="$work/xdg" \
    "$bin" rollout status --no-history $domain >"$work/status.txt" 2>&1
if grep -q "done .*a valid testing policy is served" "$work/status.txt"
then
	ok "rollout status follows the wizard's plan"
else
	nok "rollout status follows the wizard's plan"
	sed 's/^/# /' "$work/status.txt"
fi

# Again into the same directory: nothing is replaced without one yes.
cp "$work/out/zone.txt" "$work/zone.before"
start
expect "second run starts" "Current state" 30
keys Enter Enter Enter Enter Enter Enter
expect "second run reaches the output screen" "step 7 of 7"
keys w
expect "the same files are shown as such" "zone.txt *exists, the same"
expect "the plan is asked about once" "Replace the plan? (y/n)"
keys n
expect "answering no keeps everything" \
    "nothing was written: the files and the plan are as they were"
keys q
expect "leaving writes nothing" "nothing was written" 10
if cmp -s "$work/out/zone.txt" "$work/zone.before"; then
	ok "zone.txt is unchanged"
else
	nok "zone.txt is unchanged"
fi
if exit_is 1; then
	ok "exit status 1 when left"
else
	nok "exit status 1 when left"
fi

[ "$fails" -eq 0 ]
