#!/bin/bash
# The main paths under valgrind: a full check of a correct and of a broken
# domain (every layer, all worker threads), a check whose server stalls, and
# lint.  No invalid access and no leak of ours.  TAP.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
lab="$top/tests/lab/lab"
if ! command -v valgrind >/dev/null 2>&1; then
	echo "ok - valgrind # SKIP valgrind is not installed"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
vg="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"

run() {  # run NAME CMD...
	name=$1
	shift
	"$@" >/dev/null 2>"$tmp/vg.log"
	rc=$?
	if [ "$rc" -ne 99 ] && grep -q 'ERROR SUMMARY: 0 errors' "$tmp/vg.log"; then
		echo "ok - valgrind: $name"
	else
		echo "not ok - valgrind: $name (status $rc)"
		grep -E 'Invalid|uninitialised|definitely|indirectly|ERROR SUMMARY' "$tmp/vg.log" | head -8 | sed 's/^/#   /'
		fails=$((fails + 1))
	fi
}

run "check good-enforce.test" "$lab" exec $vg "$top/mtasts-tui" check --json --no-history good-enforce.test
run "check mx-uncovered.test (text)" "$lab" exec $vg "$top/mtasts-tui" check --text --no-history mx-uncovered.test
run "check policy-stall.test (a stalled fetch)" "$lab" exec $vg "$top/mtasts-tui" check --no-history --timeout 2 policy-stall.test
run "check dane-conflict.test (DANE and MTA-STS)" "$lab" exec $vg "$top/mtasts-tui" check --no-history dane-conflict.test
printf 'version: STSv1\nmode: enforce\nmx: *.example.test\nmax_age: 604800\n' >"$tmp/p.txt"
run "lint" $vg "$top/mtasts-tui" lint --policy "$tmp/p.txt" --mx a.example.test --txt 'v=STSv1; id=1' --tlsrpt 'v=TLSRPTv1; rua=mailto:a@example.test'
[ "$fails" -eq 0 ]
