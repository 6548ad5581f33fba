# shellcheck shell=bash
# Bring up a private scale lab for one test and always take it down by pid
# (sourced by tests/integration/scale*.sh).  Sets SCALE_RUN, SCALE_NS,
# SCALE_N; scale_up prints the time `lab up` took.
SCALE_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCALE_LAB="$SCALE_SRC/../lab"
SCALE_NS=${MTASTS_SCALE_NS:-mtasts-scale}
SCALE_N=${MTASTS_SCALE_DOMAINS:-10000}
SCALE_RUN=$(mktemp -d /tmp/mtasts-scale.XXXXXX)
chmod 755 "$SCALE_RUN"   # postfix (its own user) reads its data dir below
mkdir -p "$SCALE_RUN/scenarios" "$SCALE_RUN/lab"

scale_lab() {
    MTASTS_LAB_NS=$SCALE_NS MTASTS_LAB_DIR=$SCALE_RUN/lab MTASTS_LAB_SCENARIOS=$SCALE_RUN/scenarios \
        MTASTS_LAB_POPULATION=$SCALE_N "$SCALE_LAB" "$@"
}

scale_down() {
    scale_lab down >/dev/null 2>&1
    rm -rf -- "$SCALE_RUN"
}

scale_up() {
    local t0 rc
    trap 'scale_down' EXIT
    trap 'scale_down; exit 130' INT TERM
    t0=$(date +%s.%N)
    scale_lab up >"$SCALE_RUN/up.log" 2>&1
    rc=$?
    if [ "$rc" = 77 ]; then
        echo "1..0 # SKIP $(tail -n 1 "$SCALE_RUN/up.log")"
        exit 77
    fi
    if [ "$rc" != 0 ]; then
        echo "not ok - scale lab up ($SCALE_N domains)"
        sed 's/^/#   /' "$SCALE_RUN/up.log" | tail -n 30
        exit 1
    fi
    echo "# scale lab up: $SCALE_N domains in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
}
