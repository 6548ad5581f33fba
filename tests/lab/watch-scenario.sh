# Sourced by watch.sh and tui-watch.sh: the domain both watch change.
# watch_scenario DOMAIN ID DESCRIPTION: writes its scenario into
# $MTASTS_LAB_SCENARIOS (a correct enforce domain, one MX, TLS-RPT).
# shellcheck shell=bash
watch_scenario() {
	cat >"$MTASTS_LAB_SCENARIOS/$1.toml" <<EOT
domain = "$1"
description = "$3"
[txt]
"_mta-sts" = [["v=STSv1; id=$2"]]
"_smtp._tls" = [["v=TLSRPTv1; rua=mailto:tlsrpt@$1"]]
[policy]
body = """
version: STSv1
mode: enforce
mx: mx1.$1
max_age: 604800
"""
[[mx]]
host = "mx1.$1"
pref = 10
tls = "valid"
EOT
}
