#!/bin/bash
# The scale lab's ground truth against the tool itself: a private scale lab
# (tests/lab/README.md "Scale lab"; MTASTS_SCALE_DOMAINS domains, default
# 10000), then `check --json` on 3 domains of every fault kind and 3 correct
# ones: delivery answer, mode and classes as truth.tsv says, and the finding
# codes each kind must raise (tests/lab/scale/sample.py).  TAP.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$(id -u)" != 0 ]; then echo "1..0 # SKIP needs root"; exit 77; fi
[ -x "$top/mtasts-tui" ] || { echo "1..0 # SKIP mtasts-tui is not built"; exit 77; }
# shellcheck source=tests/lab/scale/scalelib.sh
. "$top/tests/lab/scale/scalelib.sh"
scale_up
cd "$top" || exit 1
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi
"$PY" "$top/tests/lab/scale/sample.py" "$SCALE_RUN/lab" "${MTASTS_SCALE_PER_KIND:-3}" \
    ip netns exec "$SCALE_NS" "$top/mtasts-tui"
