#!/bin/sh
# make lint: clang-format, cppcheck, banned functions and the manual.
# Prints TAP lines (make check counts them) and exits 1 on any failure.
# LINT_FIX=1 reformats the files in place instead of checking them.
cd "$(dirname "$0")/.." || exit 1
fails=0
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; fails=$((fails + 1)); }

files=$(git ls-files '*.c' '*.h' 2>/dev/null | grep -v '^config\.h$')
[ -n "$files" ] || files=$(find engine cli tui wizard tests -name '*.[ch]')

if command -v clang-format >/dev/null 2>&1; then
	if [ -n "${LINT_FIX:-}" ]; then
		# shellcheck disable=SC2086
		clang-format -i $files && ok "clang-format: reformatted"
	else
		# shellcheck disable=SC2086
		out=$(clang-format --dry-run --Werror $files 2>&1)
		if [ -z "$out" ]; then
			ok "clang-format: every C file follows .clang-format"
		else
			notok "clang-format: files differ from .clang-format (make lint LINT_FIX=1)"
			printf '%s\n' "$out" | grep 'error:' | cut -d: -f1 | sort -u |
			    head -20 | sed 's/^/#   /'
		fi
	fi
else
	ok "clang-format # SKIP not installed"
fi

if command -v cppcheck >/dev/null 2>&1; then
	out=$(cppcheck --quiet --std=c11 --enable=warning,portability \
	    --error-exitcode=1 --inline-suppr -D__GNUC__ \
	    --suppress=missingIncludeSystem -I. -Iengine \
	    main.c engine cli tui wizard 2>&1)
	if [ $? -eq 0 ]; then
		ok "cppcheck: no warnings in main.c, engine, cli, tui, wizard"
	else
		notok "cppcheck"
		printf '%s\n' "$out" | head -20 | sed 's/^/#   /'
	fi
else
	ok "cppcheck # SKIP not installed"
fi

# House style: functions we never call (style.md, item 14).
# shellcheck disable=SC2086
hits=$(grep -nE '\b(sprintf|strcpy|strcat|gets|atoi|strtok)\(' \
    $(echo "$files" | grep -E '^(engine|cli|tui|wizard)/|^main\.c$') 2>/dev/null)
if [ -z "$hits" ]; then
	ok "no banned functions (sprintf, strcpy, strcat, gets, atoi, strtok)"
else
	notok "banned functions used"
	printf '%s\n' "$hits" | head -10 | sed 's/^/#   /'
fi

if command -v mandoc >/dev/null 2>&1; then
	out=$(mandoc -Tlint -W warning doc/mtasts-tui.1 2>&1)
	if [ -z "$out" ]; then ok "mandoc -Tlint: manual is clean"; else
		notok "mandoc -Tlint"; printf '%s\n' "$out" | sed 's/^/#   /'; fi
fi
[ "$fails" -eq 0 ]
