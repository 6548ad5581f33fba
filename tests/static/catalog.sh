#!/bin/sh
# The finding catalog: doc/findings.md is exactly what the table generates,
# and every code in the table is emitted somewhere in the engine.
cd "$(dirname "$0")/../.." || exit 1
if ./mtasts-tui findings --markdown | diff -u doc/findings.md - >/tmp/catalog.$$.diff; then
	echo "ok - doc/findings.md matches engine/finding_table.h"
else
	echo "not ok - doc/findings.md differs from the table (regenerate with: ./mtasts-tui findings --markdown > doc/findings.md)"
	head -40 /tmp/catalog.$$.diff
fi
rm -f /tmp/catalog.$$.diff

missing=
for id in $(sed -n 's/^FINDING(\([A-Z0-9_]*\),.*/\1/p' engine/finding_table.h); do
	grep -q "FINDING_$id\b" engine/*.c || missing="$missing $id"
done
if [ -z "$missing" ]; then
	echo "ok - every catalog code is emitted by the engine"
else
	echo "not ok - catalog codes the engine never emits:$missing"
fi
