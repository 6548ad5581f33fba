#!/bin/bash
# A check rebuilt from its --json document (engine/check_json) against the
# live check, for every scenario of the lab: the text report is the same
# byte for byte, and the document saved again from the rebuilt check holds
# the same values.  tests/integration/check_json_driver runs one live
# check, writes both, rebuilds and writes both again.  TAP output.  Needs
# the lab up (tests/lab/lab up).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lab/testlib.sh
. "$top/tests/lab/testlib.sh"
drv="$top/tests/integration/check_json_driver"
lab_require_up
# Some scenarios stall a server until a deadline: more than lx's default.
LX_TIMEOUT=${LX_TIMEOUT:-60}
[ -x "$drv" ] || { echo "not ok - $drv is built (make $drv)"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-json.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

n=0
for f in "$LAB_SRC"/scenarios/*.toml; do
	d=$(sed -n 's/^domain *= *"\(.*\)"/\1/p' "$f" | head -n 1)
	[ -n "$d" ] || continue
	n=$((n + 1))
	p=$tmp/$d
	lx "$drv" "$d" "$p" >"$p.err" 2>&1
	check $? "$d: live check, rebuilt check" "$(cat "$p.err")"
	cmp -s "$p.txt" "$p.snap.txt"
	check $? "$d: the rebuilt check's text report is the live one's" \
	    "$(diff "$p.txt" "$p.snap.txt" | head -n 6)"
	"$PY" -c 'import json, sys
a, b = (json.load(open(x)) for x in sys.argv[1:3])
sys.exit(a != b)' "$p.json" "$p.snap.json"
	check $? "$d: saved again, the same document"
done
[ "$n" -ge 100 ]
check $? "every scenario of the lab was checked ($n)"
finish
