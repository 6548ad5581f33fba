#!/bin/sh
# The budgets as documented agree with engine/budget.h: the generated blocks
# of the manual and doc/decisions.md, and every figure quoted elsewhere.
cd "$(dirname "$0")/../.." || exit 1
gen=scripts/gen-budgets.sh
man=doc/mtasts-tui.1
dec=doc/decisions.md

# check DESCRIPTION CONDITION...: one TAP line.
check() {
	desc=$1
	shift
	if "$@"; then echo "ok - $desc"; else echo "not ok - $desc"; fi
}

# block FILE: the lines from BEGIN budgets to END budgets.
block() { sed -n '/BEGIN budgets/,/END budgets/p' "$1"; }

rows=$(sh $gen rows) || rows=
if [ -z "$rows" ]; then
	echo "not ok - $gen rows reads no row from engine/budget.h"
	exit 0
fi
nrows=$(printf '%s\n' "$rows" | wc -l)
echo "ok - engine/budget.h has $nrows budgets"

# v NAME: the value of BUDGET_NAME; s NAME: in whole seconds.
v() { printf '%s\n' "$rows" | awk -F '	' -v n="BUDGET_$1" '$1 == n { print $2 }'; }
s() { echo $(($(v "$1") / 1000)); }

# The generated blocks are current, and each lists every row once.
for pair in "$man:man" "$dec:markdown"; do
	file=${pair%%:*} kind=${pair#*:}
	want=$(sh $gen "$kind")
	have=$(block "$file")
	if [ "$want" = "$have" ]; then
		echo "ok - $file: the budgets block matches engine/budget.h"
	else
		echo "not ok - $file: the budgets block is stale (sh $gen -w)"
		printf '%s\n' "$want" >/tmp/budgets-want.$$
		printf '%s\n' "$have" | diff /tmp/budgets-want.$$ - | head -10 |
		    sed 's/^/# /'
		rm -f /tmp/budgets-want.$$
	fi
done
n=$(block $man | grep -c '^\.It .* Ta .* Ta ')
check "$man lists all $nrows budgets, one line each (has $((n - 1)))" \
    [ "$((n - 1))" -eq "$nrows" ]
missing=$(printf '%s\n' "$rows" | cut -f1 | while read -r name; do
	block $dec | grep -q "^| \`$name\` |" || echo "$name"
done)
check "$dec lists every budget by name${missing:+ (missing: $missing)}" \
    [ -z "$missing" ]

# Figures quoted in prose, each built from the table.
has() { grep -q -F -- "$2" "$1"; }
check "$man: --deadline range and default" \
    has $man "Pq $(s CHECK_MIN_MS) to $(s CHECK_MAX_MS); the default is $(s CHECK_MS) ."
check "$man: --timeout's base and default" \
    has $man "divided by $(s TIMEOUT_BASE_MS): the default, $(s TIMEOUT_BASE_MS) seconds,"
check "$man: --timeout's examples (banner, DNS question)" \
    has $man "Pq the SMTP banner $(s SMTP_BANNER_MS) seconds, a DNS question $(s DNS_QUERY_MS) ."
check "$dec: the check's default deadline and range" \
    has $dec "$(s CHECK_MS) s by default (\`--deadline\`, $(s CHECK_MIN_MS) to $(s CHECK_MAX_MS))"
probe=$(($(v SMTP_CONNECT_MS) + $(v SMTP_BANNER_MS) + 2 * $(v SMTP_EHLO_MS) +
    $(v SMTP_STARTTLS_MS) + $(v SMTP_HANDSHAKE_MS) + $(v SMTP_QUIT_MS)))
check "$dec: one probe's states add up to $((probe / 1000)) s" \
    has $dec "add up to $((probe / 1000)) s at most, under"
check "$dec: the STARTTLS layer's budget" \
    has $dec "its layer's $(s MX_TLS_LAYER_MS) s"
check "finding catalog: mx_tls.not_examined names the address caps" \
    has engine/finding_table.h "($(v MX_MAX_ADDRS_HOST) per host, $(v MX_MAX_ADDRS_CHECK) in all)"

# --help prints its figures from the table; the binary must agree.
if [ -x ./mtasts-tui ]; then
	./mtasts-tui --help >/tmp/budgets-help.$$ 2>&1
	check "--help: --timeout base and default" \
	    has /tmp/budgets-help.$$ "by SECONDS/$(s TIMEOUT_BASE_MS)"
	check "--help: --timeout default" \
	    has /tmp/budgets-help.$$ "(default $(s TIMEOUT_BASE_MS):"
	check "--help: --deadline default" \
	    has /tmp/budgets-help.$$ "reported as cut ($(s CHECK_MS))"
	rm -f /tmp/budgets-help.$$
else
	echo "ok - --help figures # SKIP ./mtasts-tui not built"
fi
