#!/bin/bash
# make demo: brings the lab up, opens the TUI inside it on a domain with
# several instructive faults, with the lab's domains one key away ('l', or
# '/' to type one), and takes the lab down again when the TUI quits.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
lab="$top/tests/lab/lab"
domain=${1:-mx-uncovered.test}

if [ ! -x "$top/mtasts-tui" ]; then
	echo "demo: build first (make)" >&2
	exit 1
fi
# From here on, whatever happens, the lab goes down again.
list=$(mktemp)
cleanup() {
	rm -f "$list"
	"$lab" down >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
"$lab" up || exit $?
"$lab" list >"$list"
echo "demo: $(wc -l <"$list") lab domains; in the TUI: l picks one," \
    "/ types one, ? lists the keys, q quits" >&2
sleep 1
"$lab" exec env MTASTS_TUI_DOMAINS="$list" "$top/mtasts-tui" --no-history \
    "$domain"
