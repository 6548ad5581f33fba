# shellcheck shell=bash
# Shared helpers for tests/integration/lab-*.sh (sourced, not run).
# They expect the lab to be up already (tests/lab/lab up).

LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB="$LAB_SRC/lab"
RUN=${MTASTS_LAB_DIR:-$LAB_SRC/run}
if [ -x /usr/bin/python3 ]; then PY=${MTASTS_LAB_PYTHON:-/usr/bin/python3}; else PY=${MTASTS_LAB_PYTHON:-python3}; fi
# shellcheck disable=SC2034  # RS is used by the sourcing scripts
RS=$'\x1e'
T_PASS=0
T_FAIL=0
# A scan records into $XDG_STATE_HOME/mtasts-tui/scans.db by default: the
# tests' scans go to a directory of their own, never the user's.
XDG_STATE_HOME=${MTASTS_TEST_STATE_HOME:-/tmp/mtasts-test-state}
export XDG_STATE_HOME

ok() { T_PASS=$((T_PASS + 1)); echo "ok - $*"; }
notok() { T_FAIL=$((T_FAIL + 1)); echo "not ok - $*"; }
# check COND-EXIT-STATUS DESCRIPTION [DIAG]: one TAP line per assertion
check() {
    if [ "$1" = 0 ]; then ok "$2"; else notok "$2"; [ -n "${3:-}" ] && printf '#   %s\n' "$3" | head -n 6; fi
    return 0
}

# Run inside the namespace; every client call also gets an outer timeout.
lx() { timeout "${LX_TIMEOUT:-15}" "$LAB" exec "$@"; }

lab_require_up() {
    if [ "$(id -u)" != 0 ]; then echo "1..0 # SKIP needs root"; exit 77; fi
    if ! "$LAB" status >/dev/null 2>&1; then
        echo "not ok - lab is up (run tests/lab/lab up first)"
        exit 1
    fi
}

expect_rows() { "$PY" "$LAB_SRC/expect.py" "$RUN" "$1"; }

finish() {
    echo "# $T_PASS passed, $T_FAIL failed"
    [ "$T_FAIL" = 0 ]
}
