#!/bin/sh
# The engine never draws and never prints: it reports through data.
cd "$(dirname "$0")/../.." || exit 1
hits=$(grep -nE 'curses\.h|[^a-z_]printf\(|[^a-z_]puts\(|\bstdout\b|\bstderr\b' engine/*.c engine/*.h)
if [ -z "$hits" ]; then
	echo "ok - engine/ has no curses, printf, stdout or stderr"
else
	echo "not ok - engine/ prints or draws:"
	echo "$hits" | sed 's/^/# /'
fi
