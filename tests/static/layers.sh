#!/bin/sh
# The layer registry (doc/architecture.md, "Engine: layers, scheduler,
# pool"): one list of layers, one class per layer, and nothing else in the
# tree that must change when a layer is added.  Last, the proof: a copy of
# the tree with one more layer added in three files builds, and the layer
# runs and shows in `check --json` and the text report.
cd "$(dirname "$0")/../.." || exit 1

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }

# The registry: X(CHECK_<X>, layer_<x>_class) lines of engine/layers.h.
enums=$(sed -n 's/^[[:space:]]*X(\(CHECK_[A-Z_]*\), *\(layer_[a-z_]*_class\)).*/\1/p' engine/layers.h)
classes=$(sed -n 's/^[[:space:]]*X(\(CHECK_[A-Z_]*\), *\(layer_[a-z_]*_class\)).*/\2/p' engine/layers.h)
alt=$(echo $enums | tr ' ' '|')

# 1. Every registered class is defined in exactly one engine/layer_*.c,
#    and every class defined there is registered.
bad=
for k in $classes; do
	n=$(grep -l "^const struct layer_class $k = {" engine/layer_*.c | wc -l)
	[ "$n" -eq 1 ] || bad="$bad $k($n)"
done
for k in $(sed -n 's/^const struct layer_class \(layer_[a-z_]*_class\) = {.*/\1/p' engine/layer_*.c); do
	echo "$classes" | grep -qx "$k" || bad="$bad $k(unregistered)"
done
if [ -n "$enums" ] && [ -z "$bad" ]; then
	ok "each of the $(echo $enums | wc -w) registered layers has one class in engine/layer_*.c"
else
	notok "registry and classes disagree:$bad"
fi

# 2. No per-layer switch: no file has case labels for three or more layers.
bad=
for f in engine/*.c cli/*.c tui/*.c wizard/*.c; do
	n=$(grep -cE "case ($alt):" "$f")
	[ "$n" -ge 3 ] && bad="$bad $f($n)"
done
if [ -z "$bad" ]; then
	ok "no switch over the layers (a class or a table keyed by layer instead)"
else
	notok "switches over the layers:$bad"
fi

# 3. No loop bounded by a layer: the verdict is found by LAYER_FINAL
#    (check_layer_final), never by being last.
hits=$(grep -nE "[<>]=? *($alt)\b" engine/*.c engine/*.h cli/*.c tui/*.c \
    tui/*.h wizard/*.c | grep -v '^engine/layers.h:')
if [ -z "$hits" ]; then
	ok "no loop stops at a layer"
else
	notok "loops bounded by a layer:"
	echo "$hits" | sed 's/^/# /'
fi

# 4. The generic modules name no layer and no layer's accessor.  The one
#    exception: the --json document's top-level "verdict" member and exit
#    status (doc/json-output.md), which report_json() writes itself.
accessors=$(sed -n 's/^\(check_[a-z_]*\)(.*/\1/p' engine/layer_*.c | sort -u |
    grep -vx check_exit_status)
acc=$(echo $accessors | tr ' ' '|')
hits=$(grep -nE "\b($alt|$acc)\b" engine/check.c engine/summary.c \
    engine/report_json.c engine/layer.c engine/layer.h |
    grep -v '^engine/report_json.c:[0-9]*:.report_json_verdict(j, check_verdict(c));$')
if [ -n "$accessors" ] && [ -z "$hits" ]; then
	ok "check.c, summary.c, report_json.c and layer.[ch] know no layer"
else
	notok "generic modules name a layer or its data:"
	echo "$hits" | sed 's/^/# /'
fi

# 5. Each layer's accessors live in its own file, and nowhere else.
bad=
for a in $accessors; do
	n=$(grep -l "^$a(" engine/*.c | wc -l)
	[ "$n" -eq 1 ] || bad="$bad $a($n)"
done
if [ -z "$bad" ]; then
	ok "$(echo $accessors | wc -w) layer accessors, each defined next to its layer"
else
	notok "accessors defined twice or outside the layer files:$bad"
fi

# 6. Outside the layer files, layers are named only where a front end or
#    the verdict's facts look at one layer's evidence on purpose.
allowed='^(engine/layers\.h|engine/layer_[a-z_]*\.c|engine/finding_table\.h|engine/verdict_facts\.c|tui/.*|wizard/.*):'
hits=$(grep -nE "\b($alt)\b" engine/*.c engine/*.h cli/*.c cli/*.h \
    tui/*.c tui/*.h wizard/*.c wizard/*.h | grep -vE "$allowed")
if [ -z "$hits" ]; then
	ok "layers are named only in their files, the catalog, the verdict's facts and the front ends' drill-downs"
else
	notok "a layer named where the registry should be used:"
	echo "$hits" | sed 's/^/# /'
fi

# 7. The proof: one more layer in three files (its class, its registry
#    line, its finding), nothing else; it builds, runs and is reported.
if [ -n "$MTASTS_SKIP_LAYER_BUILD" ]; then
	echo "ok - # SKIP the extra-layer build (MTASTS_SKIP_LAYER_BUILD)"
	exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
git ls-files -co --exclude-standard | grep -v '^tests/fuzz/corpus' |
    while read -r f; do
	[ -f "$f" ] && mkdir -p "$tmp/$(dirname "$f")" && cp -p "$f" "$tmp/$f"
done
cat >"$tmp/engine/layer_dummy.c" <<'EOF'
#include "config.h"
#include "layer.h"

#include "summary.h"

static int
layer_dummy_judge(struct check *c, struct layer_job *job)
{
	(void)job;
	finding_add(check_layer_fl(c, CHECK_DUMMY), FINDING_DUMMY_SEEN,
	    check_domain(c), 0, "the dummy layer ran after mx");
	check_layer_finish(c, CHECK_DUMMY, 0);
	return 1;
}

static void
layer_dummy_summary(struct summary *s, const struct check *c, int ascii)
{
	(void)ascii;
	summary_add(s, "dummy layer for %s", check_domain(c));
}

const struct layer_class layer_dummy_class = {
	.name = "dummy",
	.needs = LAYER_BIT(CHECK_MX),
	.judge = layer_dummy_judge,
	.summary = layer_dummy_summary,
};
EOF
sed -i 's/^\([[:space:]]*X(CHECK_FETCH, layer_fetch_class)\)/\1 X(CHECK_DUMMY, layer_dummy_class)/' \
    "$tmp/engine/layers.h"
printf '%s\n' 'FINDING(DUMMY_SEEN, "dummy.seen", INFO, CHECK_DUMMY, HYGIENE, "-",' \
    '    "The dummy layer ran.", "Nothing needed.")' >>"$tmp/engine/finding_table.h"
if (cd "$tmp" && ./configure >build.log 2>&1 && make -j4 mtasts-tui >>build.log 2>&1); then
	ok "the tree builds with one more layer added in engine/layers.h, engine/layer_dummy.c and engine/finding_table.h"
	out=$("$tmp/mtasts-tui" check --json --no-history --resolver 127.0.0.1@9 \
	    --deadline 2 example.test 2>/dev/null)
	txt=$("$tmp/mtasts-tui" check --text --no-history --resolver 127.0.0.1@9 \
	    --deadline 2 example.test 2>/dev/null)
	if printf '%s\n' "$out" | grep -q '"id": "dummy"' &&
	    printf '%s\n' "$out" | grep -q '"dummy.seen"' &&
	    printf '%s\n' "$txt" | grep -q 'dummy layer for example.test'; then
		ok "the extra layer runs and shows in check --json and the text report"
	else
		notok "the extra layer is missing from check's output"
	fi
else
	notok "the tree does not build with one more layer"
	tail -20 "$tmp/build.log" | sed 's/^/# /'
fi
