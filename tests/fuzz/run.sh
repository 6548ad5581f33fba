#!/bin/sh
# Builds and runs the libFuzzer targets named on the command line (default:
# all of them) for FUZZ_SECONDS each.  Needs clang and a configured tree
# (config.h).  Exits non-zero if a target fails to build or finds a crash.
#
# The engine and the wizard's core are compiled once, with the sanitizers
# and libFuzzer's coverage, into tests/fuzz/bin/libfuzzengine.a; each
# target links only what it uses from it.  Objects are rebuilt when any
# source or header is newer than the archive.
#
# Usage: sh tests/fuzz/run.sh [target ...]   e.g. policy sts_record
set -u

cd "$(dirname "$0")/../.." || exit 1
: "${FUZZ_SECONDS:=20}"
: "${FUZZCC:=clang}"
bin=tests/fuzz/bin
mkdir -p "$bin/obj"

[ -f config.h ] || { echo "run.sh: run ./configure first" >&2; exit 1; }
command -v "$FUZZCC" >/dev/null 2>&1 ||
	{ echo "run.sh: $FUZZCC not found" >&2; exit 1; }

all="sts_record policy tlsrpt_record smtp_reply tlsrpt_report dns
	policy_fetch certinfo dane smtp_probe yamlr state history report_walk
	domain_list auth report_imap"
targets=$*
[ -n "$targets" ] || targets=$all

mods="ldns libcurl gnutls yaml-0.1 libidn2 jansson zlib"
# shellcheck disable=SC2086
pcflags=$(pkg-config --cflags $mods) || exit 1
# shellcheck disable=SC2086
libs="$(pkg-config --libs $mods) -lpthread -lm"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-std=c11 -g -O1 -I. -Iengine -Iwizard -Itests/fuzz $pcflags"
lib=$bin/libfuzzengine.a

# The archive: everything under engine/ and the wizard's core.
src=$(ls engine/*.c)
src="$src wizard/yamlr.c wizard/yamlw.c wizard/state.c wizard/gen.c
	wizard/schedule.c wizard/id.c wizard/output.c wizard/ics.c
	wizard/rollout.c"
stale=
if [ ! -f "$lib" ]; then
	stale=1
else
	# shellcheck disable=SC2086
	for f in $src engine/*.h wizard/*.h config.h; do
		[ "$f" -nt "$lib" ] && { stale=1; break; }
	done
fi
if [ -n "$stale" ]; then
	echo "run.sh: building $lib"
	objs=
	for f in $src; do
		o=$bin/obj/$(echo "$f" | tr / _ | sed 's/\.c$/.o/')
		# shellcheck disable=SC2086
		if ! $FUZZCC $cflags $san -fsanitize=fuzzer-no-link \
		    -c -o "$o" "$f" >"$bin/build.log" 2>&1; then
			echo "FAIL build of $f (see $bin/build.log)"
			exit 1
		fi
		objs="$objs $o"
	done
	rm -f "$lib"
	# shellcheck disable=SC2086
	ar rcs "$lib" $objs || exit 1
fi

failed=
for t in $targets; do
	f=tests/fuzz/$t-fuzzer.c
	if [ ! -f "$f" ]; then
		echo "FAIL $t: no $f"
		failed="$failed $t"
		continue
	fi
	# shellcheck disable=SC2086
	if ! $FUZZCC $cflags $san -fsanitize=fuzzer -o "$bin/$t-fuzzer" \
	    "$f" "$lib" $libs >"$bin/$t.build.log" 2>&1; then
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
		    "${FUZZ_SECONDS}s, cov $(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' \
		    "$bin/$t.log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\).*/\1/p')"
	else
		echo "FAIL $t: crash or leak, see $bin/$t.log and" \
		    "$bin/$t-crash-*"
		failed="$failed $t"
	fi
done
[ -z "$failed" ] || { echo "failed:$failed"; exit 1; }
