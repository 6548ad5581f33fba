#!/bin/sh
# The command line: version, help, usage errors and domain validation.
cd "$(dirname "$0")/../.." || exit 1
bin=./mtasts-tui

# expect DESCRIPTION STATUS PATTERN CMD...: STATUS and PATTERN on stdout+stderr
expect() {
	desc=$1 want=$2 pat=$3
	shift 3
	out=$(timeout 60 "$@" 2>&1 </dev/null)
	rc=$?
	if [ "$rc" -eq "$want" ] && printf '%s' "$out" | grep -q -- "$pat"; then
		echo "ok - $desc"
	else
		echo "not ok - $desc (status $rc, want $want; output: $(printf '%s' "$out" | head -3))"
	fi
}

expect "--version" 0 "^mtasts-tui [0-9]" $bin --version
expect "--help lists check" 0 "mtasts-tui check" $bin --help
expect "no arguments is a usage error" 3 "try 'mtasts-tui --help'" $bin
expect "unknown option" 3 "unknown option '--frobnicate'" $bin --frobnicate x.test
expect "two domains" 3 "one domain at a time" $bin check a.test b.test
expect "bad --timeout" 3 "--timeout" $bin check --timeout abc a.test
expect "bad --resolver" 3 "not an IP address" $bin check --resolver dns.example a.test
expect "bad --resolver port" 3 "bad port" $bin check --resolver 127.0.0.1@99999 a.test
expect "-4 with -6" 3 "exclude" $bin check -4 -6 a.test
expect "--json on the TUI" 3 "belong to" $bin --json a.test
expect "empty domain" 3 "empty domain" $bin check ""
expect "IPv4 literal" 3 "address literals" $bin check 192.0.2.7
expect "IPv6 literal" 3 "address literals" $bin check 2001:db8::25
expect "long label" 3 "more than 63" $bin check aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test
expect "underscore" 3 "'_' cannot" $bin check mail_host.test
expect "control byte" 3 "0x1b" $bin check "$(printf 'a\033b.test')"
expect "IDN shown in both forms" 3 "bücher.test (xn--bcher-kva.test)" $bin check --resolver 127.0.0.1@1 --timeout 1 bücher.test
expect "findings lists the catalog" 0 "sts.txt.missing" $bin findings

dest=$(mktemp -d)
if make -s install DESTDIR="$dest" PREFIX=/usr >/dev/null 2>&1 &&
    [ -x "$dest/usr/bin/mtasts-tui" ] &&
    [ -f "$dest/usr/share/man/man1/mtasts-tui.1" ] &&
    make -s uninstall DESTDIR="$dest" PREFIX=/usr >/dev/null 2>&1 &&
    [ ! -e "$dest/usr/bin/mtasts-tui" ]; then
	echo "ok - make install/uninstall with DESTDIR and PREFIX"
else
	echo "not ok - make install/uninstall with DESTDIR and PREFIX"
fi
rm -rf "$dest"

# A dead resolver: the check ends in bounded time with "could not check".
expect "unreachable resolver is exit 3" 3 "could not check" $bin check --no-history --resolver 127.0.0.1@9 --timeout 1 example.test

# Every long option of the option table is in --help and in the man page.
help=$($bin --help)
missing=
for o in $(sed -n '/cli_long_options\[\] = {/,/^};/p' cli/options.c |
    sed -n 's/^[[:space:]]*{ "\([a-z0-9-]*\)".*/\1/p'); do
	printf '%s\n' "$help" | grep -q -- "--$o" || missing="$missing --$o(help)"
	grep -q -- "Fl -$o" doc/mtasts-tui.1 || missing="$missing --$o(man)"
done
if [ -z "$missing" ]; then
	echo "ok - every long option is in --help and the man page"
else
	echo "not ok - every long option is in --help and the man page:$missing"
fi
# Documentation names the binary where the build puts it.
if grep -rn 'cli/mtasts-tui' README.md doc tests/lab/README.md >/dev/null; then
	echo "not ok - documentation names ./mtasts-tui, not ./cli/mtasts-tui"
else
	echo "ok - documentation names ./mtasts-tui, not ./cli/mtasts-tui"
fi
