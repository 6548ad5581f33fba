#!/bin/bash
# Run after `tests/lab/lab down`: proves nothing of the lab is left behind
# (namespace, /etc/netns entry, any process `up` recorded).  TAP output.
set -u
LAB_SRC=$(cd "$(dirname "$0")" && pwd)
RUN=${MTASTS_LAB_DIR:-$LAB_SRC/run}
fail=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fail=1; }
if [ "$(id -u)" != 0 ]; then echo "1..0 # SKIP needs root"; exit 77; fi

ns=${MTASTS_LAB_NS:-mtasts-lab}
[ -s "$RUN/state/ns.last" ] && ns=$(cat "$RUN/state/ns.last")
if ip netns list | awk '{print $1}' | grep -qxF "$ns"; then notok "namespace $ns is gone"; else ok "namespace $ns is gone"; fi
if [ -e "/etc/netns/$ns" ]; then notok "/etc/netns/$ns is gone"; else ok "/etc/netns/$ns is gone"; fi
if [ -e "$RUN/state/pids" ]; then notok "no pid list of a running lab remains"; else ok "no pid list of a running lab remains"; fi
if [ -s "$RUN/state/pids.last" ]; then
    while read -r name pid st; do
        now=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $20}')
        # Same pid and same start time would mean the very process is still there.
        if [ -n "$now" ] && [ "$now" = "$st" ]; then notok "$name (pid $pid) has stopped"
        else ok "$name (pid $pid) has stopped"; fi
    done <"$RUN/state/pids.last"
else
    notok "the last lab recorded its pids ($RUN/state/pids.last)"
fi
exit $fail
