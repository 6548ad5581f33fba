#!/bin/sh
# Builds and runs the libFuzzer targets named on the command line (default:
# all of them) for FUZZ_SECONDS each.  Needs clang and a configured tree
# (config.h).  Exits non-zero if a target fails to build or finds a crash.
#
# Usage: sh tests/fuzz/run.sh [target ...]   e.g. policy sts_record
set -u

cd "$(dirname "$0")/../.." || exit 1
: "${FUZZ_SECONDS:=20}"
: "${FUZZCC:=clang}"
bin=tests/fuzz/bin
mkdir -p "$bin"

[ -f config.h ] || { echo "run.sh: run ./configure first" >&2; exit 1; }
command -v "$FUZZCC" >/dev/null 2>&1 ||
	{ echo "run.sh: $FUZZCC not found" >&2; exit 1; }

targets=$*
[ -n "$targets" ] || targets="sts_record policy tlsrpt_record smtp_reply tlsrpt_report"

# The engine sources the parsers need; domain.c brings libidn2.
src="engine/xmalloc.c engine/strbuf.c engine/utf8.c engine/finding.c
	engine/domain.c engine/mx_match.c engine/sts_record.c
	engine/policy_parse.c engine/tlsrpt_record.c engine/txt_record.c
	engine/smtp_reply.c
	engine/tlsrpt_report.c engine/report_input.c engine/report_summary.c"
idn_cflags=$(pkg-config --cflags libidn2)
idn_libs="$(pkg-config --libs libidn2) $(pkg-config --libs jansson zlib) -lm"

failed=
for t in $targets; do
	f=tests/fuzz/$t-fuzzer.c
	if [ ! -f "$f" ]; then
		echo "FAIL $t: no $f"
		failed="$failed $t"
		continue
	fi
	# shellcheck disable=SC2086
	if ! $FUZZCC -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined -I. -Iengine -Itests/fuzz \
	    $idn_cflags -o "$bin/$t-fuzzer" "$f" $src $idn_libs \
	    >"$bin/$t.build.log" 2>&1; then
		echo "FAIL $t: build (see $bin/$t.build.log)"
		failed="$failed $t"
		continue
	fi
	# Work on a copy so new inputs do not land in the repository.
	work=$bin/$t-corpus
	mkdir -p "$work"
	cp tests/fuzz/corpus/"$t"/* "$work"/ 2>/dev/null
	dict=
	[ -f tests/fuzz/$t.dict ] && dict=-dict=tests/fuzz/$t.dict
	# shellcheck disable=SC2086
	if "$bin/$t-fuzzer" -max_total_time="$FUZZ_SECONDS" -max_len=4096 \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$bin/$t-" $dict "$work" \
	    >"$bin/$t.log" 2>&1; then
		echo "PASS $t: $(grep -E '^stat::number_of_executed_units' \
		    "$bin/$t.log" | awk '{print $2}') runs in" \
		    "${FUZZ_SECONDS}s"
	else
		echo "FAIL $t: crash or leak, see $bin/$t.log and" \
		    "$bin/$t-crash-*"
		failed="$failed $t"
	fi
done
[ -z "$failed" ] || { echo "failed:$failed"; exit 1; }
