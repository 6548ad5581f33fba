#!/bin/sh
# The manual renders and passes mandoc's linter.
cd "$(dirname "$0")/../.." || exit 1
if command -v mandoc >/dev/null 2>&1; then
	out=$(mandoc -Tlint -W warning doc/mtasts-tui.1 2>&1)
	if [ -z "$out" ]; then
		echo "ok - mandoc -Tlint doc/mtasts-tui.1 is clean"
	else
		echo "not ok - mandoc -Tlint doc/mtasts-tui.1:"
		echo "$out" | sed 's/^/# /'
	fi
else
	echo "ok - mandoc lint # SKIP mandoc not installed"
fi
if command -v man >/dev/null 2>&1 &&
    MANWIDTH=80 man -l doc/mtasts-tui.1 2>/dev/null | grep -q 'mtasts-tui check'; then
	echo "ok - man -l renders the page"
elif command -v mandoc >/dev/null 2>&1 &&
    mandoc -Tutf8 doc/mtasts-tui.1 | grep -q 'check'; then
	echo "ok - mandoc renders the page (man not installed)"
else
	echo "not ok - the manual does not render"
fi
