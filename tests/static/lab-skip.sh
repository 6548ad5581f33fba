#!/bin/sh
# When configure refused a lab server package (postfix would have removed the
# machine's Exim) and the lab is told to need it (MTASTS_LAB_MX=postfix),
# `lab up` skips with one line that names the package and what it would have
# removed.  Postfix is hidden by a PATH without it; the lab stops at its tool
# check, before any namespace or daemon exists.  (By default the lab runs its
# MX listeners on the fallback instead: tests/integration/lab-mxfallback.sh.)
cd "$(dirname "$0")/../.." || exit 1
top=$(pwd)
if [ "$(id -u)" != 0 ]; then echo "1..0 # SKIP needs root (lab up checks root first)"; exit 77; fi
t=$(mktemp -d "${TMPDIR:-/tmp}/mtasts-lab-skip.XXXXXX") || exit 1
ns=mtasts-skip-$$
trap 'rm -rf "$t"' EXIT
mkdir "$t/bin" "$t/run"

# Every program on PATH except postfix.
. tests/lab/path-without.sh
path_without postfix "$t/bin"

printf 'postfix\tit would remove exim4-daemon-light exim4-base exim4-config\n' \
    >"$t/unavailable"

lab() {
	PATH="$t/bin" MTASTS_LAB_NS=$ns MTASTS_LAB_DIR="$t/run" MTASTS_LAB_MX=postfix \
	    MTASTS_LAB_UNAVAILABLE="$1" "$top/tests/lab/lab" up >"$t/out" 2>&1
}

lab "$t/unavailable"
rc=$?
if [ "$rc" -eq 0 ]; then
	# postfix was found after all: never leave a lab behind
	PATH="$t/bin" MTASTS_LAB_NS=$ns MTASTS_LAB_DIR="$t/run" \
	    "$top/tests/lab/lab" down >/dev/null 2>&1
fi
if [ "$rc" -eq 77 ]; then echo "ok - lab up skips (77) without postfix when told to need it"
else echo "not ok - lab up skips (77) without postfix when told to need it (status $rc: $(tail -n 2 "$t/out"))"; fi
if [ "$(wc -l <"$t/out")" -eq 1 ]; then echo "ok - in one line"
else echo "not ok - in one line ($(wc -l <"$t/out") lines)"; fi
if grep 'postfix' "$t/out" | grep -q 'would remove exim4-daemon-light'; then
	echo "ok - the line names postfix and what it would have removed"
else
	echo "not ok - the line names postfix and what it would have removed ($(cat "$t/out"))"
fi

lab "$t/none"
if grep -q 'missing tools: postfix (package postfix' "$t/out" &&
    grep -q 'install-deps=test' "$t/out"; then
	echo "ok - without config.unavailable: the package and how to install it"
else
	echo "not ok - without config.unavailable: the package and how to install it ($(cat "$t/out"))"
fi
if ip netns list 2>/dev/null | grep -q "^$ns\b"; then
	echo "not ok - no namespace was created"
else
	echo "ok - no namespace was created"
fi
MTASTS_LAB_NS=$ns MTASTS_LAB_DIR="$t/run" MTASTS_LAB_MX=exim \
    "$top/tests/lab/lab" up >"$t/out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'MTASTS_LAB_MX must be postfix, fallback or auto' "$t/out"; then
	echo "ok - an unknown MTASTS_LAB_MX is refused"
else
	echo "not ok - an unknown MTASTS_LAB_MX is refused (status $rc: $(cat "$t/out"))"
fi
if ip netns list 2>/dev/null | grep -q "^$ns\b"; then
	echo "not ok - still no namespace"
else
	echo "ok - still no namespace"
fi
