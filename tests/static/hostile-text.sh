#!/bin/sh
# Strings read from files reach the terminal escaped (issue 12): a rollout
# state file whose domain holds an escape sequence, a BEL and U+202E (RLO).
# Nothing here touches the network: a plan of another domain is refused
# before any check runs.
cd "$(dirname "$0")/../.." || exit 1
bin=./mtasts-tui
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

cat >"$dir/a.test.yaml" <<'YAML'
version: 2
domain: "evil\e]0;pwned\a\u202e.test"
created: "2026-01-05"
settings:
  mode: testing
  max_age: 86400
  ttl: 3600
  mx: ["mx\e[2J.a.test"]
  rua: ["mailto:tlsrpt@a.test"]
  policy_host_address: []
phases:
  - {phase: mx-tls, start: "2026-01-05", end: "2026-01-12"}
  - {phase: testing, start: "2026-01-12", end: "2026-01-19"}
  - {phase: records, start: "2026-01-19", end: "2026-01-26"}
  - {phase: watch, start: "2026-01-26", end: "2026-02-09"}
  - {phase: enforce, start: "2026-02-09", end: "2026-02-16"}
  - {phase: max-age, start: "2026-02-16", end: "2026-02-23"}
ids: []
end: "mtasts-tui plan complete"
YAML

# ok_if DESCRIPTION: the last output has no ESC, BEL or raw U+202E and
# contains PATTERN.
ok_if() {
	if printf '%s' "$out" | LC_ALL=C grep -q "$(printf '[\033\007]')" ||
	    printf '%s' "$out" | LC_ALL=C grep -q "$(printf '\342\200\256')"; then
		echo "not ok - $1: raw control bytes: $(printf '%s' "$out" | od -c | head -3)"
	elif printf '%s' "$out" | grep -qF -- "$2"; then
		echo "ok - $1"
	else
		echo "not ok - $1 (output: $out)"
	fi
}

for action in status next; do
	out=$(LC_ALL=C.UTF-8 timeout 20 $bin rollout "$action" a.test \
	    --state-dir "$dir" --resolver 127.0.0.1@9 --timeout 1 2>&1)
	ok_if "rollout $action: the state file's domain is escaped" \
	    'plan of evil\x1b]0;pwned\x07<U+202E>.test'
done
out=$(LC_ALL=C timeout 20 $bin rollout status a.test --state-dir "$dir" \
    --resolver 127.0.0.1@9 --timeout 1 2>&1)
ok_if "rollout status, C locale: every non-ASCII byte escaped" \
    'pwned\x07\xe2\x80\xae.test'
