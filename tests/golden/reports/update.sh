#!/bin/sh
# Regenerates the golden report summaries from the shared corpus with the
# built tool.  Review every diff against the input before committing.
# Usage: sh tests/golden/reports/update.sh [path/to/mtasts-tui]
top=$(cd "$(dirname "$0")/../../.." && pwd)
bin=${1:-$top/mtasts-tui}
case "$bin" in /*) ;; *) bin=$(pwd)/$bin ;; esac
corpus=${MTASTS_CORPUS:-$top/../shared/corpus}
case "$corpus" in /*) ;; *) corpus=$top/$corpus ;; esac
out=$top/tests/golden/reports
cd "$corpus/tlsrpt" || exit 1
for f in *; do
	"$bin" report --no-color "$f" >"$out/$f.txt"
	echo "$f: exit $?" >>"$out/.status.new"
done
"$bin" report --no-color . >"$out/all.txt"
echo "all: exit $?" >>"$out/.status.new"
"$bin" report --json . >"$out/all.json"
echo "all.json: exit $?" >>"$out/.status.new"
mv "$out/.status.new" "$out/status.txt"
