#!/bin/bash
# scan --metrics FILE against the lab: the textfile parses (our own parser
# of the text exposition format, and promtool check metrics when the
# prometheus package is installed), its values agree with the scan's JSON
# Lines, it is replaced atomically, an interrupted scan leaves it as it
# was, and --resume puts the resumed domains in it too.  TAP output.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lab/testlib.sh
. "$top/tests/lab/testlib.sh"
lab_require_up
bin="$top/mtasts-tui"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/scan-metrics.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

printf '%s\n' good-enforce.test mx-uncovered.test no-txt.test mx-expired.test \
    nowhere-at-all.test 'bücher.test' >"$tmp/list"

# parse FILE JSONL: the format rules, then the values against the documents.
parse() {
    "$PY" - "$1" "$2" <<'PY'
import json, re, sys
prom, jsonl = sys.argv[1], sys.argv[2]
name_re = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
lab_re = r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"'
sample = re.compile(r"(%s)(\{(%s(,%s)*)?\})? (?P<value>\S+)" % (name_re, lab_re, lab_re))
typed, helped, seen, series = {}, set(), set(), {}
errors = []
text = open(prom, encoding="utf-8").read()
if not text.endswith("\n"):
    errors.append("no newline at the end")
last_family = None
for n, line in enumerate(text.split("\n")[:-1], 1):
    if line.startswith("# HELP "):
        f = line.split(" ")[2]
        if f in helped: errors.append("%d: HELP twice for %s" % (n, f))
        helped.add(f)
        continue
    if line.startswith("# TYPE "):
        p = line.split(" ")
        if len(p) != 4 or p[3] not in ("gauge", "counter", "untyped"):
            errors.append("%d: bad TYPE %r" % (n, line))
        if p[2] in typed: errors.append("%d: TYPE twice for %s" % (n, p[2]))
        typed[p[2]] = p[3]
        last_family = p[2]
        continue
    if line.startswith("#"):
        continue
    m = sample.fullmatch(line)
    if not m:
        errors.append("%d: does not parse: %r" % (n, line)); continue
    name = m.group(1)
    if name != last_family:
        errors.append("%d: %s outside its family's block" % (n, name))
    labels = tuple(re.findall(lab_re, m.group(3) or ""))
    if len({k for k, _ in labels}) != len(labels):
        errors.append("%d: a label twice" % n)
    for k, _ in labels:
        if k not in ("domain", "answer", "mode", "layer", "mx_host"):
            errors.append("%d: unbounded label %s" % (n, k))
    try:
        v = float(m.group("value"))
    except ValueError:
        errors.append("%d: value %r" % (n, m.group("value"))); continue
    key = (name, labels)
    if key in series: errors.append("%d: series twice" % n)
    unesc = tuple((k, re.sub(r"\\(.)", lambda x: {"n": "\n"}.get(x.group(1), x.group(1)), v2)) for k, v2 in labels)
    series[(name, unesc)] = v
if errors:
    print("\n".join(errors[:10])); sys.exit(1)

def get(name, **lab):
    return series.get((name, tuple(lab.items())))

docs = [json.loads(l) for l in open(jsonl, encoding="utf-8")
        if l.startswith("{") and '"mtasts_scan' not in l[:20]]
bad = []
for d in docs:
    dom = d["domain"]
    v = d["verdict"]
    ans = v["delivery"]["state"] if not d.get("failure") else "failed"
    for a in ("all", "some", "none", "no_mail", "unknown", "failed"):
        want = 1.0 if a == ans else 0.0
        if get("mtasts_delivery", domain=dom, answer=a) != want:
            bad.append("%s delivery %s" % (dom, a))
    if get("mtasts_exit_status", domain=dom) != d["exit_status"]:
        bad.append("%s exit_status" % dom)
    for l in d["layers"]:
        st = {"pass": 0, "warn": 1, "fail": 2, "skip": -1}[l["status"]]
        if get("mtasts_layer_status", domain=dom, layer=l["id"]) != st:
            bad.append("%s layer %s" % (dom, l["id"]))
    import calendar, time
    t = calendar.timegm(time.strptime(d["checked_at"], "%Y-%m-%dT%H:%M:%SZ"))
    if get("mtasts_last_check_timestamp_seconds", domain=dom) != t:
        bad.append("%s checked_at" % dom)
    soon = {}
    for l in d["layers"]:
        if l["id"] != "mx_tls": continue
        for h in l["data"].get("hosts", []):
            for a in h["addresses"]:
                c = ((a.get("chain") or {}).get("certificates") or [None])[0]
                if c:
                    e = calendar.timegm(time.strptime(c["not_after"], "%Y-%m-%dT%H:%M:%SZ"))
                    soon[h["name"]] = min(e, soon.get(h["name"], e))
    for h, e in soon.items():
        if get("mtasts_mx_certificate_expiry_timestamp_seconds", domain=dom, mx_host=h) != e:
            bad.append("%s mx cert %s" % (dom, h))
n = {a: 0 for a in ("all", "some", "none", "no_mail", "unknown", "failed")}
for d in docs:
    n[d["verdict"]["delivery"]["state"] if not d.get("failure") else "failed"] += 1
for a, c in n.items():
    if get("mtasts_scan_domains", answer=a) != c:
        bad.append("scan_domains %s" % a)
if bad:
    print("\n".join(bad[:10])); sys.exit(1)
print("%d series, %d domains" % (len(series), len(docs)))
PY
}

# 1. A whole scan.
lx "$bin" scan --out "$tmp/s.jsonl" --metrics "$tmp/m.prom" "$tmp/list" 2>"$tmp/err"
rc=$?
check "$rc" "scan --metrics exits 0" "$(cat "$tmp/err")"
[ -s "$tmp/m.prom" ]
check $? "the metrics file is written"
out=$(parse "$tmp/m.prom" "$tmp/s.jsonl")
check $? "the textfile parses and agrees with the JSON Lines ($out)" "$out"
[ "$(stat -c %a "$tmp/m.prom")" = 644 ]
check $? "readable by the exporter's user (0644)" "$(stat -c %a "$tmp/m.prom")"
[ "$(find "$tmp" -name 'm.prom.*' | wc -l)" = 0 ]
check $? "no temporary file left behind"
grep -qx 'mtasts_delivery{domain="good-enforce.test",answer="all"} 1' "$tmp/m.prom"
check $? "good-enforce: answer all"
grep -qx 'mtasts_mode{domain="no-txt.test",mode="no_policy"} 1' "$tmp/m.prom"
check $? "no-txt: mode no_policy"
grep -qx 'mtasts_mx_certificate_expiry_timestamp_seconds{domain="mx-expired.test",mx_host="mx.mx-expired.test"} 1609459200' "$tmp/m.prom"
check $? "mx-expired: the MX certificate expired at 2021-01-01T00:00:00Z"
grep -qx 'mtasts_scan_checked 6' "$tmp/m.prom" && grep -qx 'mtasts_scan_to_check 6' "$tmp/m.prom"
check $? "scan totals: 6 of 6 checked"
grep -q 'domain="xn--bcher-kva.test"' "$tmp/m.prom"
check $? "IDN: the A-label as the domain label"
if grep -v '^#' "$tmp/m.prom" | grep -Eq 'message|why|fix'; then r=1; else r=0; fi
check $r "no finding text in any series"

# 2. promtool, when the prometheus package is installed (deps/test.txt).
if command -v promtool >/dev/null 2>&1; then
    out=$(promtool check metrics <"$tmp/m.prom" 2>&1)
    check $? "promtool check metrics: no problems" "$out"
else
    echo "ok - promtool check metrics # SKIP promtool not installed (deps/test.txt: prometheus)"
fi

# 3. A label value that needs escaping, through the same writer: a stored
#    document with a hostile MX name, resumed into a run.
"$PY" - "$tmp/s.jsonl" >"$tmp/h.jsonl" <<'PY'
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(l)
    if d.get("domain") != "good-enforce.test": continue
    for la in d["layers"]:
        if la["id"] == "mx_tls":
            la["data"]["hosts"][0]["name"] = 'evil"\\\nname.test'
    print(json.dumps(d))
PY
lx "$bin" scan --resume "$tmp/h.jsonl" --metrics "$tmp/h.prom" "$tmp/list" 2>"$tmp/herr"
check $? "--resume with --metrics exits 0" "$(cat "$tmp/herr")"
grep -qF 'mx_host="evil\"\\\nname.test"} ' "$tmp/h.prom"
check $? "label values escaped (quote, backslash, newline)" "$(grep evil "$tmp/h.prom")"
grep -qx 'mtasts_scan_resumed 1' "$tmp/h.prom" && grep -qx 'mtasts_scan_checked 5' "$tmp/h.prom"
check $? "--resume: the resumed domain counted" "$(grep -E '^mtasts_scan_(resumed|checked)' "$tmp/h.prom")"
grep -q '^mtasts_exit_status{domain="good-enforce.test"} 0$' "$tmp/h.prom"
check $? "--resume: the resumed domain is in the file"
if command -v promtool >/dev/null 2>&1; then
    out=$(promtool check metrics <"$tmp/h.prom" 2>&1)
    check $? "promtool accepts the escaped labels" "$out"
fi

# 4. An interrupted scan leaves the previous file as it was.
cp "$tmp/m.prom" "$tmp/keep.prom"
{ echo good-enforce.test; echo policy-stall.test; echo mx-stall.test; echo no-txt.test; } >"$tmp/slow"
# Not through lx: the signal must reach mtasts-tui, not timeout(1).
"$LAB" exec "$bin" scan --concurrency 1 --deadline 3 --out "$tmp/i.jsonl" \
    --metrics "$tmp/m.prom" "$tmp/slow" 2>"$tmp/ierr" &
pid=$!
sleep 1.5
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" = 130 ]
check $? "SIGINT: exit 130" "rc=$rc $(cat "$tmp/ierr")"
cmp -s "$tmp/m.prom" "$tmp/keep.prom"
check $? "SIGINT: the metrics file is left as it was"
grep -q "m.prom left as it was" "$tmp/ierr"
check $? "SIGINT: says so" "$(cat "$tmp/ierr")"

# 5. A directory that cannot take the file: a clear error, exit 3.
lx "$bin" scan --metrics /nonexistent-dir/m.prom "$tmp/list" >/dev/null 2>"$tmp/derr"
rc=$?
[ "$rc" = 3 ] && grep -q 'nonexistent-dir' "$tmp/derr"
check $? "an unwritable place: exit 3 and the path named" "rc=$rc $(cat "$tmp/derr")"

# 6. --metrics belongs to scan.
"$bin" check --metrics x.prom x.test >/dev/null 2>&1
[ $? = 3 ]
check $? "--metrics outside scan is a usage error"

finish
