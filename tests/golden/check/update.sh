#!/bin/sh
# Saves the fixtures of tests/unit/test_check_json.c from the lab: for each
# domain, a live check's --json document (DOMAIN.json) and its text report
# (DOMAIN.txt), both of the same check (tests/integration/check_json_driver).
# Needs the lab up (tests/lab/lab up) and `make tests/integration/check_json_driver`.
# Review the diff before committing.
# Usage: sh tests/golden/check/update.sh
top=$(cd "$(dirname "$0")/../../.." && pwd)
out=$top/tests/golden/check
for d in good-enforce mx-uncovered mx-self-signed mx-no-starttls policy-bom \
    null-mx deleg-dangling; do
	"$top/tests/lab/lab" exec "$top/tests/integration/check_json_driver" \
	    "$d.test" "$out/$d" || exit 1
	rm -f "$out/$d.snap.txt" "$out/$d.snap.json"
done
