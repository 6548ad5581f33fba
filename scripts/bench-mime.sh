#!/bin/bash
# GMime 3 against our hand-written MIME code (engine/report_input.c), measured:
#   scripts/bench-mime.sh [CORPUS_DIR]
# runs scripts/bench-mime-driver.c with each parser over every message of
# the shared corpus (default ../shared/corpus beside the tree; its TLS-RPT
# JSON files are wrapped as report messages) and over generated hostile
# cases, and prints per case: reports extracted, whether both sides
# extracted the same reports (a hash of the sorted report ids), CPU time,
# peak memory growth and how the run ended (a crash, or a hang past
# MIME_BENCH_TIMEOUT seconds, default 20).  Then the dependency weight of
# GMime from dpkg.  Needs a built tree (engine/libmtasts.a) and python3;
# GMime's headers from pkg-config gmime-3.0, or GMIME_CFLAGS/GMIME_LIBS.
# Without GMime it says so and stops: the driver is built only with it.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$top/../shared/corpus}
limit=${MIME_BENCH_TIMEOUT:-20}
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-mime.XXXXXX")
trap 'rm -rf "$work"' EXIT

[ -f "$top/engine/libmtasts.a" ] || { echo "bench-mime: build the tree first" >&2; exit 1; }
if [ -z "${GMIME_CFLAGS:-}" ] && pkg-config --exists gmime-3.0 2>/dev/null; then
	GMIME_CFLAGS=$(pkg-config --cflags gmime-3.0)
	GMIME_LIBS=$(pkg-config --libs gmime-3.0)
fi
if [ -z "${GMIME_CFLAGS:-}" ]; then
	echo "bench-mime: GMime 3 not found (apt-get install libgmime-3.0-dev, or set GMIME_CFLAGS and GMIME_LIBS)" >&2
	exit 1
fi
libs=$(sed -n 's/^LIBS_ENGINE *= *//p' "$top/Makefile")
drv=$work/driver
# shellcheck disable=SC2086 # word lists
cc -O2 -std=gnu11 -I"$top/engine" $GMIME_CFLAGS -o "$drv" \
    "$top/scripts/bench-mime-driver.c" "$top/engine/libmtasts.a" \
    $GMIME_LIBS $libs || exit 1

mkdir -p "$work/cases"
python3 - "$corpus" "$work/cases" <<'EOF'
import base64, gzip, json, os, sys
corpus, out = sys.argv[1], sys.argv[2]
def w(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
def b64(data):
    s = base64.b64encode(data)
    return b"\r\n".join(s[i:i + 76] for i in range(0, len(s), 76))
def report(rid):
    return json.dumps({"organization-name": "bench", "report-id": rid,
        "date-range": {"start-datetime": "2026-01-01T00:00:00Z",
                       "end-datetime": "2026-01-01T23:59:59Z"},
        "contact-info": "tlsrpt@bench.example", "policies": [{"policy":
        {"policy-type": "sts", "policy-domain": "bench.example"},
        "summary": {"total-successful-session-count": 1,
                    "total-failure-session-count": 0}}]}).encode()
HEAD = (b"From: tlsrpt@bench.example\r\nTo: rua@bench.example\r\n"
        b"Subject: Report Domain: bench.example\r\n"
        b"TLS-Report-Domain: bench.example\r\nMIME-Version: 1.0\r\n")
def gzpart(body, extra=b""):
    return (b"Content-Type: application/tlsrpt+gzip; name=\"r.json.gz\"\r\n"
            b"Content-Transfer-Encoding: base64\r\n" + extra + b"\r\n"
            + b64(gzip.compress(body, mtime=0)) + b"\r\n")
def message(parts, head=HEAD, bnd=b"b0"):
    m = head + b"Content-Type: multipart/report; report-type=tlsrpt; boundary=\"" + bnd + b"\"\r\n\r\n"
    for p in parts:
        m += b"--" + bnd + b"\r\n" + p
    return m + b"--" + bnd + b"--\r\n"
TEXT = b"Content-Type: text/plain\r\n\r\nThis is a report.\r\n"

# The shared corpus: its messages as they are, its reports wrapped.
tl = os.path.join(corpus, "tlsrpt")
mbox = b""
for name in sorted(os.listdir(tl)):
    data = open(os.path.join(tl, name), "rb").read()
    if name.endswith(".eml"):
        w("corpus-" + name, data)
        mbox += b"From bench@example Thu Jan  1 00:00:00 2026\n" + data.replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From ") + b"\n"
    elif name.endswith(".json"):
        w("corpus-" + name[:-5] + ".wrapped.eml", message([TEXT, gzpart(data)]))
w("corpus-all.mbox", mbox)

r = report("hostile-1")
ok = gzpart(r)
# Deep nesting: 1,000 multipart levels, a report at the top next to them.
n = 1000
inner = TEXT
for i in range(n, 0, -1):
    b = b"d%d" % i
    inner = (b"Content-Type: multipart/mixed; boundary=\"" + b + b"\"\r\n\r\n--" + b
             + b"\r\n" + inner + b"--" + b + b"--\r\n")
w("hostile-nest-1000.eml", message([ok, inner]))
# A 10 MB header: one folded field in the message header.
junk = b"X-Junk: " + b"\r\n ".join([b"x" * 70] * (10 * 1024 * 1024 // 73)) + b"\r\n"
w("hostile-header-10mb.eml", message([ok], HEAD + junk))
# 100,000 header fields, and one 10 MB header line without folding.
w("hostile-header-fields-100k.eml", message([ok], HEAD + b"X-F: v\r\n" * 100000))
w("hostile-header-line-10mb.eml", message([ok], HEAD + b"X-Line: " + b"y" * (10 * 1024 * 1024) + b"\r\n"))
# 100,000 parts: the report first, then empty text parts.
w("hostile-parts-100k.eml", message([ok] + [TEXT] * 100000))
# The same with the report last (past any cap on parts).
w("hostile-parts-100k-last.eml", message([TEXT] * 100000 + [ok]))
# Broken base64: a stray byte, a cut in the middle, bad padding.
s = b64(gzip.compress(r, mtime=0))
def b64part(body):
    return (b"Content-Type: application/tlsrpt+gzip\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n" + body + b"\r\n")
w("hostile-b64-stray.eml", message([b64part(s[:20] + b"!*" + s[20:])]))
w("hostile-b64-cut.eml", message([b64part(s[:len(s) // 2])]))
w("hostile-b64-pad.eml", message([b64part(s + b"==")]))
w("hostile-b64-midpad.eml", message([b64part(s[:8] + b"=" + s[8:])]))
# Broken quoted-printable: bad escapes, a soft break, a lone '=' at the end.
j = r.replace(b"bench", b"=ZZbench", 1)
qp = j[:40] + b"=\r\n" + j[40:].replace(b"\"", b"=22", 3) + b"="
w("hostile-qp.eml", message([b"Content-Type: application/tlsrpt+json\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + qp + b"\r\n"]))
# Missing boundaries: no boundary parameter, no close delimiter, a
# boundary that never occurs.
w("hostile-bnd-none.eml", HEAD + b"Content-Type: multipart/report; report-type=tlsrpt\r\n\r\n--b0\r\n" + ok + b"--b0--\r\n")
w("hostile-bnd-noclose.eml", message([ok])[:-len(b"--b0--\r\n")])
w("hostile-bnd-absent.eml", message([ok]).replace(b"boundary=\"b0\"", b"boundary=\"zz\""))
# NUL bytes in the header, between parts and inside the JSON part.
w("hostile-nul.eml", message([TEXT.replace(b"This", b"Th\0is"), ok], HEAD + b"X-Nul: a\0b\r\n"))
w("hostile-nul-json.eml", message([b"Content-Type: application/tlsrpt+json\r\n\r\n" + r[:30] + b"\0" + r[30:] + b"\r\n"]))
# An mbox of 10,000 report messages, each with its own report id.
with open(os.path.join(out, "hostile-mbox-10k.mbox"), "wb") as f:
    for i in range(10000):
        f.write(b"From bench@example Thu Jan  1 00:00:00 2026\n")
        f.write(message([TEXT, gzpart(report("mbox-%d" % i))]).replace(b"\r\n", b"\n"))
        f.write(b"\n")
EOF

# One run: "reports ids cpu_ms rss_kb end" (end: ok, crash SIG, hang).
run() { # PARSER FILE
	local o rc
	o=$(timeout -s KILL "$limit" "$drv" "$1" "$2" 2>/dev/null)
	rc=$?
	if [ "$rc" = 137 ]; then
		echo "- - - - hang>${limit}s"
	elif [ "$rc" -gt 128 ]; then
		echo "- - - - crash(sig$((rc - 128)))"
	elif [ "$rc" != 0 ]; then
		echo "- - - - exit$rc"
	else
		echo "$o" | sed -E 's/reports=([0-9]+) unreadable=[0-9]+ ids=([0-9a-f]+) cpu_ms=([0-9]+) rss_kb=(-?[0-9]+)/\1 \2 \3 \4 ok/'
	fi
}

printf '%-68s %13s %5s %11s %17s %s\n' case "reports o/g" same "cpu ms o/g" "peak KiB o/g" "end o/g"
for f in "$work"/cases/*; do
	read -r ro io co mo eo <<<"$(run ours "$f")"
	read -r rg ig cg mg eg <<<"$(run gmime "$f")"
	same=no
	[ "$io" = "$ig" ] && [ "$ro" = "$rg" ] && same=yes
	printf '%-68s %13s %5s %11s %17s %s\n' "$(basename "$f")" "$ro/$rg" "$same" \
	    "$co/$cg" "$mo/$mg" "$eo/$eg"
done

echo
echo "dependency weight (dpkg Installed-Size, KiB):"
# Installed size from dpkg, or from the archive's index when not installed.
sz() {
	local s
	s=$(dpkg-query -W -f='${Installed-Size}' "$1" 2>/dev/null)
	[ -n "$s" ] || s=$(apt-cache show --no-all-versions "$1" 2>/dev/null |
	    sed -n 's/^Installed-Size: //p' | head -n 1)
	echo "${s:-?}"
}
st() {
	case $(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null) in
	ii*) echo "installed here" ;;
	*) echo "not installed here" ;;
	esac
}
total=0
for p in libgmime-3.0-0 libgpgme11 libglib2.0-0 libassuan0 libgpg-error0; do
	s=$(sz "$p")
	printf '  %-22s %8s  %s\n' "$p" "$s" "$(st "$p")"
	case $s in *[!0-9]* | '') ;; *) total=$((total + s)) ;; esac
done
echo "  runtime total          $total"
total=0
for p in libgmime-3.0-dev libglib2.0-dev libglib2.0-dev-bin libpcre2-dev libmount-dev libblkid-dev libselinux1-dev libsepol-dev; do
	s=$(sz "$p")
	printf '  %-22s %8s  %s\n' "$p" "$s" "$(st "$p")"
	case $s in *[!0-9]* | '') ;; *) total=$((total + s)) ;; esac
done
echo "  build-time total       $total (a from-source build needs these too)"
