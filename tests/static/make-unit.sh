#!/bin/sh
# make unit runs the unit tests (not only builds them) and ends with the
# count line.  TAP output.
cd "$(dirname "$0")/../.." || exit 1
[ -f Makefile ] || { echo "1..0 # SKIP not configured"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Its own log directory: run.sh empties the one it is given.
MTASTS_TEST_LOGS=$tmp/logs make -s unit >"$tmp/out" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && grep -q '^PASS unit/test_' "$tmp/out"; then
	echo "ok - make unit runs the unit tests"
else
	echo "not ok - make unit runs the unit tests (status $rc)"
	tail -5 "$tmp/out" | sed 's/^/#   /'
fi
if tail -n 1 "$tmp/out" | grep -Eq '^[1-9][0-9]* passed, 0 failed$'; then
	echo "ok - make unit ends with the count line"
else
	echo "not ok - make unit ends with the count line"
fi
if grep -q '== static checks' "$tmp/out"; then
	echo "not ok - make unit runs nothing but the unit tests"
else
	echo "ok - make unit runs nothing but the unit tests"
fi
