# shellcheck shell=bash
# Processes the lab started, recorded as "NAME PID STARTTIME" lines in
# $RUN/state/pids, so that only our own processes are ever signalled.
# Sourced by tests/lab/lab and tests/lab/chasquid.sh; the caller sets RUN
# and defines note().

# Process start time from /proc, so a recycled pid is never mistaken for ours.
# (comm can contain spaces, e.g. "nsd: main", so count fields after the last ')'.)
starttime() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $20}'; }

record() {  # record NAME PID
    echo "$1 $2 $(starttime "$2")" >>"$RUN/state/pids"
}

ours_alive() {  # ours_alive PID STARTTIME
    [ -n "$2" ] && [ "$(starttime "$1")" = "$2" ]
}

stop_pids() {  # stop_pids "pid start" lines on stdin: TERM, bounded wait, KILL
    local lines pid st left _
    lines=$(cat)
    [ -n "$lines" ] || return 0
    while read -r pid st; do
        ours_alive "$pid" "$st" && kill -TERM "$pid" 2>/dev/null
    done <<<"$lines"
    for _ in $(seq 50); do
        left=0
        while read -r pid st; do ours_alive "$pid" "$st" && left=1; done <<<"$lines"
        [ $left = 0 ] && return 0
        sleep 0.1
    done
    while read -r pid st; do
        if ours_alive "$pid" "$st"; then
            note "pid $pid ignored TERM, sending KILL"
            kill -KILL "$pid" 2>/dev/null
        fi
    done <<<"$lines"
    sleep 0.2
}
