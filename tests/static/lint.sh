#!/bin/sh
# mtasts-tui lint: records and a policy judged offline, same codes and
# exit statuses as check.  TAP output.
cd "$(dirname "$0")/../.." || exit 1
bin=./mtasts-tui
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect DESC STATUS PATTERN CMD...: status, and PATTERN in stdout+stderr
expect() {
	desc=$1 want=$2 pat=$3
	shift 3
	out=$(timeout 20 "$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want" ] && printf '%s' "$out" | grep -q -- "$pat"; then
		echo "ok - $desc"
	else
		echo "not ok - $desc (status $rc, want $want)"
		printf '%s\n' "$out" | head -6 | sed 's/^/#   /'
	fi
}

printf 'version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\nmx: *.backup.example.test\r\nmax_age: 1209600\r\n' >"$tmp/good.txt"
printf '\357\273\277version: STSv1\nmode: enforce\nmx: mx1.example.test\nmax_age: 1209600\n' >"$tmp/bom.txt"
printf 'version: STSv1\nmode: testing\nmx: *.example.test\nmax_age: 86400\n' >"$tmp/wild.txt"

expect "good policy passes" 0 "PASS" $bin lint --policy "$tmp/good.txt"
expect "BOM policy fails with policy.bom" 2 "policy.bom" $bin lint --policy "$tmp/bom.txt"
expect "policy from stdin" 2 "policy.bom" sh -c "$bin lint --policy - <'$tmp/bom.txt'"
expect "one valid TXT record" 0 "PASS" $bin lint --txt 'v=STSv1; id=20261122T000000Z'
expect "TXT in zone-file syntax, two strings joined" 0 "PASS" $bin lint --txt '"v=STSv1; " "id=20261122"'
expect "two v=STSv1 records" 2 "sts.txt.multiple" $bin lint --txt 'v=STSv1; id=1' --txt 'v=STSv1; id=2'
expect "id with punctuation" 2 "sts.txt.id_invalid" $bin lint --txt 'v=STSv1; id=2026-11-22'
expect "TXT syntax error is a usage error" 3 "unterminated" $bin lint --txt '"v=STSv1; id=1'
expect "TLS-RPT record" 0 "PASS" $bin lint --tlsrpt 'v=TLSRPTv1; rua=mailto:tlsrpt@example.test'
expect "TLS-RPT !10m suffix" 2 "tlsrpt.rua_invalid" $bin lint --tlsrpt 'v=TLSRPTv1; rua=mailto:tlsrpt@example.test!10m'
expect "MX coverage: one label per *" 1 "mx.uncovered" $bin lint --policy "$tmp/wild.txt" --mx mx1.example.test --mx a.b.example.test
expect "MX coverage explains why" 1 "exactly one label" $bin lint --policy "$tmp/wild.txt" --mx a.b.example.test
# A U-label MX host is compared in its A-label form, as DNS gives it.
printf 'version: STSv1\nmode: enforce\nmx: mx.xn--bcher-kva.example\nmax_age: 86400\n' >"$tmp/idn.txt"
expect "--mx U-label matches the policy's A-label" 0 "PASS" $bin lint --policy "$tmp/idn.txt" --mx mx.bücher.example
expect "--mx U-label: the A-label is shown" 0 "mx.xn--bcher-kva.example" $bin lint --policy "$tmp/idn.txt" --mx MX.Bücher.example.
expect "--mx invalid name is a usage error" 3 "--mx" $bin lint --policy "$tmp/idn.txt" --mx 'mx..example'
expect "--mx without --policy" 3 "needs --policy" $bin lint --mx mx1.example.test
expect "lint without input" 3 "needs --policy" $bin lint
expect "network options do not apply" 3 "network options" $bin lint --resolver 127.0.0.1 --txt 'v=STSv1; id=1'

$bin lint --json --policy "$tmp/good.txt" --mx mx1.example.test --mx mx2.backup.example.test --txt 'v=STSv1; id=1' \
    --tlsrpt 'v=TLSRPTv1; rua=mailto:a@example.test' >"$tmp/out.json"
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ids = [l["id"] for l in d["layers"]]
assert d["command"] == "lint" and ids == ["dns", "policy", "mx", "tlsrpt"], ids
assert d["layers"][2]["data"]["hosts"][0]["covered_by"] == "mx1.example.test"
assert d["exit_status"] == 0
' "$tmp/out.json"; then
	echo "ok - lint --json has the layers given and the coverage"
else
	echo "not ok - lint --json has the layers given and the coverage"
fi
