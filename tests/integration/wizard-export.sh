#!/bin/bash
# mtasts-tui export: every --format byte for byte against the golden files
# (the same settings as tests/unit/test_wizard_gen.c), the zone snippet
# loaded by named-checkzone inside a zone whose $ORIGIN is elsewhere,
# invalid input refused naming the option with nothing written, and
# --out never replacing a file without --force.  No network: every case
# gives --mx.  TAP lines.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
bin=${MTASTS_BIN:-$top/mtasts-tui}
golden=$top/tests/golden/wizard
work=$(mktemp -d /tmp/mtasts-wiz-export.XXXXXX)
trap 'rm -rf "$work"' EXIT
export MTASTS_TODAY=2026-12-01 XDG_STATE_HOME=$work/xdg

fails=0
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; fails=$((fails + 1)); }

args_testing=(--mx mx1.example.com --mx '*.backup.example.com'
    --rua mailto:tlsrpt@example.com --policy-host-address 192.0.2.10
    --policy-host-address 2001:db8::10 --id 20261201T000000Z example.com)
args_enforce=(--mode enforce --mx mail.example.org
    --rua mailto:tls-reports@example.org
    --policy-host-cname policy.mta-sts-host.example.net.
    --id 20261222T093000Z example.org)
long=https://tlsrpt-collector.reports.example.net/v1/submit/0123456789abcdef0123456789abcdef0123456789abcdef
args_long=(--mode enforce --max-age 31557600 --mx mx.xn--bcher-kva.example
    --rua mailto:tlsrpt@xn--bcher-kva.example --rua ${long}0
    --rua ${long}1 --rua ${long}2 --rua ${long}3
    --policy-host-address 198.51.100.7 --id 20270202T020202Z
    xn--bcher-kva.example)

for c in testing enforce long; do
	declare -n a=args_$c
	for f in policy zone octodns yaml nginx apache; do
		case $f in
		policy) file=mta-sts.txt ;;
		zone) file=zone.txt ;;
		octodns) file=octodns.yaml ;;
		yaml) file=records.yaml ;;
		*) file=$f.conf ;;
		esac
		if "$bin" export --format $f "${a[@]}" >"$work/out" \
		    2>"$work/err" && cmp -s "$work/out" "$golden/$c/$file"; then
			ok "export --format $f ($c) matches $c/$file"
		else
			nok "export --format $f ($c) matches $c/$file"
			diff "$golden/$c/$file" "$work/out" | sed 's/^/# /'
			sed 's/^/# /' "$work/err"
		fi
	done
	unset -n a
done

# The snippet needs no $ORIGIN: load it after an $ORIGIN for another zone.
if command -v named-checkzone >/dev/null 2>&1; then
	for c in testing long; do
		zone=$(sed -n 's/^_mta-sts\.\(.*\)\.	.*/\1/p' \
		    "$golden/$c/zone.txt")
		{
			printf '$ORIGIN %s.\n$TTL 3600\n' "$zone"
			printf '@ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600\n'
			printf '@ IN NS ns1\nns1 IN A 192.0.2.53\n'
			printf '$ORIGIN unrelated.test.\n'
			cat "$golden/$c/zone.txt"
		} >"$work/$c.zone"
		if named-checkzone -q "$zone" "$work/$c.zone"; then
			ok "named-checkzone loads the $c snippet"
		else
			nok "named-checkzone loads the $c snippet"
			named-checkzone "$zone" "$work/$c.zone" | sed 's/^/# /'
		fi
	done
	# The CNAME snippet in a zone of its own (a CNAME needs its name alone).
	{
		printf '$ORIGIN example.org.\n$TTL 3600\n'
		printf '@ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600\n'
		printf '@ IN NS ns1\nns1 IN A 192.0.2.53\n'
		cat "$golden/enforce/zone.txt"
	} >"$work/enforce.zone"
	if named-checkzone -q example.org "$work/enforce.zone"; then
		ok "named-checkzone loads the enforce snippet (CNAME)"
	else
		nok "named-checkzone loads the enforce snippet (CNAME)"
	fi
else
	echo "ok - named-checkzone # SKIP bind9-utils not installed"
fi

# refused OPTION ARGS...: exit 3, the option named, nothing written.
refused() {
	local opt=$1
	shift
	rm -rf "$work/o"
	"$bin" export --out "$work/o" "$@" >"$work/out" 2>"$work/err"
	rc=$?
	if [ "$rc" -eq 3 ] && grep -q -- "^mtasts-tui: $opt" "$work/err" &&
	    [ ! -e "$work/o" ]; then
		ok "refused, naming $opt: $*"
	else
		nok "refused, naming $opt: $* (status $rc)"
		sed 's/^/# /' "$work/err"
	fi
}
refused --mx --mx mx1.example.com. example.com
refused --mx --mx 'mx*.example.com' example.com
refused --mx --mx a.example.com --mx A.example.com example.com
refused --mode --mode strict --mx a.example.com example.com
refused --mode --mode none example.com
refused --max-age --max-age 3600 --mx a.example.com example.com
refused --max-age --max-age 1e6 --mx a.example.com example.com
refused --max-age --max-age 31557601 --mx a.example.com example.com
refused --rua --rua http://r.example.com/ --mx a.example.com example.com
refused --rua --rua 'mailto:a@example.com!10m' --mx a.example.com \
    example.com
refused --id --id 2026-12-01 --mx a.example.com example.com
refused --id --id 012345678901234567890123456789012 --mx a.example.com \
    example.com
refused --policy-host-address --policy-host-address 192.0.2 \
    --mx a.example.com example.com
refused --policy-host-cname --policy-host-cname 'cdn_host.example' \
    --mx a.example.com example.com
refused --format --format json --mx a.example.com example.com

# --out: all six files; a second run replaces nothing without --force.
if "$bin" export --out "$work/d" "${args_testing[@]}" >/dev/null 2>&1 &&
    cmp -s "$work/d/zone.txt" "$golden/testing/zone.txt" &&
    [ "$(ls "$work/d" | wc -l)" -eq 6 ]; then
	ok "--out writes the six files"
else
	nok "--out writes the six files"
fi
echo mine >"$work/d/nginx.conf"
"$bin" export --out "$work/d" --mx mx9.example.com example.com \
    >/dev/null 2>"$work/err"
rc=$?
if [ "$rc" -eq 3 ] && grep -q -- "--force" "$work/err" &&
    [ "$(cat "$work/d/nginx.conf")" = mine ] &&
    cmp -s "$work/d/mta-sts.txt" "$golden/testing/mta-sts.txt"; then
	ok "an existing file stops the export before anything is written"
else
	nok "an existing file stops the export before anything is written"
fi
if "$bin" export --force --out "$work/d" --mx mx9.example.com \
    example.com >/dev/null 2>&1 &&
    grep -q "mx9.example.com" "$work/d/mta-sts.txt"; then
	ok "--force replaces the files"
else
	nok "--force replaces the files"
fi
if ls -a "$work/d" | grep -q tmp; then
	nok "no temporary files are left"
else
	ok "no temporary files are left"
fi

# A run killed half-way leaves no partial set and no temporaries that stop
# the next run.  1: the kernel kills it (SIGXFSZ) on the 4th file, whose
# 1315 bytes exceed a 1000-byte file size limit.
same() { # DIR: the six files of args_testing, nothing else
	local f
	for f in mta-sts.txt zone.txt octodns.yaml records.yaml nginx.conf \
	    apache.conf; do
		cmp -s "$1/$f" "$golden/testing/$f" || return 1
	done
	[ "$(ls -A "$1" | wc -l)" -eq 6 ]
}
rm -rf "$work/k"
(exec prlimit --fsize=1000 "$bin" export --out "$work/k" \
    "${args_testing[@]}" >/dev/null 2>&1)
rc=$?
if [ "$rc" -eq $((128 + 25)) ] &&
    [ -z "$(ls "$work/k" 2>/dev/null)" ]; then
	ok "killed while writing the set: no file of it in place"
else
	nok "killed while writing the set: no file of it in place (status $rc)"
	ls -A "$work/k" 2>&1 | sed 's/^/# /'
fi
if "$bin" export --out "$work/k" "${args_testing[@]}" >/dev/null \
    2>"$work/err" && same "$work/k"; then
	ok "the next run writes the whole set and leaves no temporary"
else
	nok "the next run writes the whole set and leaves no temporary"
	sed 's/^/# /' "$work/err"
	ls -A "$work/k" | sed 's/^/# /'
fi
# 2: killed (MTASTS_TEST_KILL_AT) after 3 of 6 staged files; then after 3
# of 6 moved into place, past the point of no return: the next run
# finishes that set, then refuses as after any complete run.
for at in stage:3 move:3; do
	case $at in
	stage:*) placed=0 next=0 ;; # nothing in place; the next run writes
	move:*) placed=3 next=3 ;;  # finished by the next run, which refuses
	esac
	rm -rf "$work/k"
	(MTASTS_TEST_KILL_AT=$at exec "$bin" export --out "$work/k" \
	    "${args_testing[@]}" >/dev/null 2>&1)
	rc=$?
	n=$(ls "$work/k" | wc -l)
	if [ "$rc" -eq 137 ] && [ "$n" -eq $placed ]; then
		ok "SIGKILL at $at: $n files in place"
	else
		nok "SIGKILL at $at: $n files in place (status $rc)"
	fi
	"$bin" export --out "$work/k" "${args_testing[@]}" >/dev/null \
	    2>"$work/err"
	rc=$?
	if same "$work/k" && [ "$rc" -eq $next ] &&
	    { [ $next -eq 0 ] || grep -q -- "--force" "$work/err"; }; then
		ok "after SIGKILL at $at the next run leaves the whole set" \
		    "(status $rc)"
	else
		nok "after SIGKILL at $at the next run leaves the whole set" \
		    "(status $rc)"
		sed 's/^/# /' "$work/err"
		ls -A "$work/k" | sed 's/^/# /'
	fi
done
# 3: temporaries of the earlier per-file writer are removed, others kept.
: >"$work/k/zone.txt.tmpAbC123"
: >"$work/k/notes.tmpAbC123"
"$bin" export --force --out "$work/k" "${args_testing[@]}" >/dev/null 2>&1
if [ ! -e "$work/k/zone.txt.tmpAbC123" ] &&
    [ -e "$work/k/notes.tmpAbC123" ]; then
	ok "stray temporaries of ours are removed, other files kept"
else
	nok "stray temporaries of ours are removed, other files kept"
fi

# An id the plan handed out before is never given again.
"$bin" rollout start --mx mx1.example.com --id 20261201T000000Z \
    example.com >/dev/null 2>&1
"$bin" export --format zone --mx mx1.example.com --id 20261201T000000Z \
    example.com >/dev/null 2>"$work/err"
rc=$?
if [ "$rc" -eq 3 ] && grep -q "never reused" "$work/err"; then
	ok "--id refuses an id of the rollout plan"
else
	nok "--id refuses an id of the rollout plan"
fi
# Another body needs a new id; the plan's own body keeps the plan's id.
if "$bin" export --format zone --mx mx2.example.com example.com |
    grep -q 'id=20261201T000001Z'; then
	ok "a new id steps past the plan's ids"
else
	nok "a new id steps past the plan's ids"
fi
if "$bin" export --format zone example.com 2>"$work/err" |
    grep -q 'id=20261201T000000Z' && [ ! -s "$work/err" ]; then
	ok "the plan's settings and id are the defaults, read offline"
else
	nok "the plan's settings and id are the defaults, read offline"
	sed 's/^/# /' "$work/err"
fi
# Weakening an enforce plan happens when asked for, and is said.
XDG_STATE_HOME=$work/xdg2 "$bin" rollout start --mode enforce \
    --mx mx1.example.com --mx '*.backup.example.com' example.com \
    >/dev/null 2>&1
XDG_STATE_HOME=$work/xdg2 "$bin" export --format policy example.com \
    >"$work/out" 2>"$work/err"
if grep -q "^mode: enforce" "$work/out" &&
    grep -q "^max_age: 1209600" "$work/out" &&
    grep -q "^mx: \*.backup.example.com" "$work/out" &&
    ! grep -q "weaker\|shorter\|dropped" "$work/err"; then
	ok "an enforce plan's mode, max_age and wildcard are kept"
else
	nok "an enforce plan's mode, max_age and wildcard are kept"
	sed 's/^/# /' "$work/out" "$work/err"
fi
XDG_STATE_HOME=$work/xdg2 "$bin" export --format policy --mode testing \
    --mx mx1.example.com example.com >"$work/out" 2>"$work/err"
if grep -q "^mode: testing" "$work/out" &&
    grep -q "note: mode testing is weaker than the plan's enforce" \
    "$work/err" &&
    grep -q "note: max_age 86400 is shorter than the plan's 1209600" \
    "$work/err" &&
    grep -q "note: the wildcard \*.backup.example.com of the plan is dropped" \
    "$work/err"; then
	ok "a weaker policy than the plan's is said on stderr"
else
	nok "a weaker policy than the plan's is said on stderr"
	sed 's/^/# /' "$work/err"
fi
if "$bin" rollout start --mx mx1.example.com example.com >/dev/null \
    2>"$work/err"; then
	nok "rollout start refuses to replace a plan without --force"
else
	grep -q -- "--force" "$work/err" &&
	    ok "rollout start refuses to replace a plan without --force" ||
	    nok "rollout start refuses to replace a plan without --force"
fi

[ "$fails" -eq 0 ]
