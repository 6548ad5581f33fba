#!/bin/sh
# The whole test suite: unit tests, static checks, then the lab and the
# integration tests against real servers inside it.  Every test prints TAP
# lines ("ok - ..." / "not ok - ..."); this runner counts them, keeps the
# output of failing tests only, and ends with every skip and its reason
# ("# SKIP" lines), then "N passed, N failed, N skipped".
#
# Environment: MTASTS_SKIP_LAB=1 skips the lab part; TESTS="pattern" runs
# only integration scripts whose name contains the pattern.  With the
# argument "unit" only the unit tests run (make unit).

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
logdir=${MTASTS_TEST_LOGS:-$top/tests/logs}
rm -rf "$logdir"
mkdir -p "$logdir"

passed=0 failed=0 skipped=0
# Only used by a sanitizer build; harmless otherwise.
LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
failures=
skips="$logdir/skips.txt"	# NAME: the skipped line, one per skip
: >"$skips"

# run NAME CMD...: runs a TAP-speaking test, counts its lines.
run() {
	name=$1
	shift
	log="$logdir/$(echo "$name" | tr '/ ' '__').log"
	"$@" >"$log" 2>&1
	rc=$?
	# cmocka prints a skipped test as "not ok N # SKIP": a skip, not a failure
	p=$(grep -c '^ok ' "$log")
	f=$(grep '^not ok ' "$log" | grep -vc '# *[Ss][Kk][Ii][Pp]')
	s=$(grep -c '^\(not \)\{0,1\}ok .*# *[Ss][Kk][Ii][Pp]' "$log")
	p=$((p - $(grep -c '^ok .*# *[Ss][Kk][Ii][Pp]' "$log")))
	if [ "$rc" -eq 77 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		# the test's own "cannot run here"
		s=$((s + 1))
		echo "ok - $name # SKIP $(tail -n 1 "$log")" >>"$log"
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# died without saying which assertion failed
		f=1
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	# "NAME: what # SKIP why" (a whole test's skip: "NAME: # SKIP why")
	grep '^\(not \)\{0,1\}ok .*# *[Ss][Kk][Ii][Pp]' "$log" |
	    sed -e "s|^\(not \)\{0,1\}ok [0-9]* *-\{0,1\} *|$name: |" \
	    -e "s|^$name: $name # SKIP \(1\.\.0 # SKIP \)\{0,1\}|$name: # SKIP |" >>"$skips"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	if [ "$f" -gt 0 ]; then
		failures="$failures $name"
		printf 'FAIL %-40s %d passed, %d failed\n' "$name" "$p" "$f"
		grep '^not ok ' "$log" | grep -v '# *[Ss][Kk][Ii][Pp]' |
		    sed 's/^/     /'
	else
		printf 'PASS %-40s %d passed\n' "$name" "$p"
		[ -n "${MTASTS_KEEP_LOGS:-}" ] || rm -f "$log"
	fi
}

echo "== unit tests"
for t in tests/unit/test_*; do
	case "$t" in *.c|*.o|*.d) continue ;; esac
	[ -x "$t" ] || continue
	run "unit/${t##*/}" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
done

if [ "${1:-}" = unit ]; then
	echo
	[ -n "$failures" ] && echo "failed:$failures"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
fi

echo "== static checks"
for t in tests/static/*.sh; do
	[ -f "$t" ] || continue
	run "static/${t##*/}" sh "$t"
done

lab_skip_reason=
if [ -n "${MTASTS_SKIP_LAB:-}" ]; then
	lab_skip_reason="MTASTS_SKIP_LAB is set"
elif [ "$(id -u)" -ne 0 ]; then
	lab_skip_reason="the lab needs root (network namespaces, ports 25/53/443)"
elif ! command -v ip >/dev/null 2>&1; then
	lab_skip_reason="iproute2 (ip) is not installed"
elif [ ! -x tests/lab/lab ]; then
	lab_skip_reason="tests/lab/lab is missing"
fi

if [ -n "$lab_skip_reason" ]; then
	echo "== lab tests SKIPPED: $lab_skip_reason"
	skipped=$((skipped + 1))
else
	echo "== lab"
	lab_down() {
		tests/lab/lab down >"$logdir/lab-down.log" 2>&1
	}
	trap 'lab_down; exit 130' INT TERM
	trap 'lab_down' EXIT
	start=$(date +%s)
	tests/lab/lab up >"$logdir/lab-up.log" 2>&1
	up=$?
	if [ "$up" -eq 77 ]; then
		# the lab's one line: what is missing and, if configure refused
		# the package, what installing it would have removed
		lab_skip_reason=$(tail -n 1 "$logdir/lab-up.log")
		echo "== lab tests SKIPPED: $lab_skip_reason"
		skipped=$((skipped + 1))
	elif [ "$up" -eq 0 ]; then
		echo "lab up in $(( $(date +%s) - start )) s"
		# Postfix missing: the MX listeners run on the fallback (one line).
		lab_mx=$(grep -m1 '^lab: postfix unavailable' "$logdir/lab-up.log")
		[ -n "$lab_mx" ] && echo "$lab_mx"
		for t in tests/integration/*.sh; do
			[ -f "$t" ] || continue
			case "$t" in *"${TESTS:-}"*) ;; *) continue ;; esac
			run "integration/${t##*/}" bash "$t"
		done
	else
		echo "not ok - lab up failed" >>"$logdir/lab-up.log"
		failed=$((failed + 1))
		failures="$failures lab-up"
		echo "FAIL lab up (see below)"
		tail -n 30 "$logdir/lab-up.log" | sed 's/^/     /'
	fi
	lab_down
	trap - EXIT INT TERM
	# A skipped `up` started nothing, so there is nothing to prove gone.
	if [ "$up" -ne 77 ] && [ -x tests/lab/check-down.sh ]; then
		run "lab/check-down" sh tests/lab/check-down.sh
	fi
fi

echo
[ -n "$failures" ] && echo "failed:$failures"
if [ -s "$skips" ]; then
	echo "skipped:"
	sed 's/^/  /' "$skips"
fi
[ -n "${lab_mx:-}" ] && echo "lab MX listeners: ${lab_mx#lab: }"
if [ -n "$lab_skip_reason" ]; then
	why=${lab_skip_reason#lab: }
	echo "$passed passed, $failed failed, $skipped skipped (lab tests: ${why%; skipping})"
elif [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
