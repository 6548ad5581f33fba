"""Compares scan JSON Lines with check --json documents, modulo timing.

Usage: scan_compare.py lines SCAN.jsonl
         every line a whole JSON object; prints the domains, one a line
       scan_compare.py same SCAN.jsonl DIR
         each domain's document equals DIR/DOMAIN.json (check --json)
       scan_compare.py merged OUT.jsonl SHARD.jsonl...
         the shards hold the same domains as OUT, once each, same documents
Exits 1 with a reason on the first difference.
"""
import json
import os
import re
import sys

# Members that say when or how long, not what: differ between two runs
# (a TTL counts down in the resolver's cache).
TIMING = {"elapsed_ms", "checked_at", "ttl", "ms"}


# The next step's advice proposes a new policy id made from the time now.
NEW_ID = re.compile(r"id=\d{8}T\d{6}")


def strip(v):
    if isinstance(v, str):
        return NEW_ID.sub("id=TIME", v)
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in TIMING}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v


def diff(a, b, path=""):
    """The first place where a and b differ, as a short text."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return diff(a.get(k), b.get(k), path + "." + k)
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return diff(x, y, "%s[%d]" % (path, i))
    return "%s: %s != %s" % (path, json.dumps(a)[:200], json.dumps(b)[:200])


def docs(path):
    """The per-domain documents of a scan file: {domain: doc}."""
    out = {}
    with open(path, "rb") as f:
        data = f.read()
    if data and not data.endswith(b"\n"):
        sys.exit("%s: last line has no newline" % path)
    for n, line in enumerate(data.split(b"\n")[:-1], 1):
        try:
            d = json.loads(line)
        except ValueError as e:
            sys.exit("%s:%d: not whole JSON: %s" % (path, n, e))
        if not isinstance(d, dict):
            sys.exit("%s:%d: not an object" % (path, n))
        if "mtasts_scan" in d or "mtasts_scan_end" in d:
            continue
        if d["domain"] in out:
            sys.exit("%s:%d: %s twice" % (path, n, d["domain"]))
        out[d["domain"]] = d
    return out


def main():
    cmd = sys.argv[1]
    a = docs(sys.argv[2])
    if cmd == "lines":
        for k in sorted(a):
            print(k)
    elif cmd == "same":
        for dom, d in sorted(a.items()):
            with open(os.path.join(sys.argv[3], dom + ".json")) as f:
                want = json.load(f)
            if strip(d) != strip(want):
                for k in set(want) | set(d):
                    if k in TIMING:
                        continue
                    if strip(d.get(k)) != strip(want[k]):
                        sys.exit("%s: member %s differs: %s"
                                 % (dom, k, diff(strip(d.get(k)), strip(want.get(k)))))
                sys.exit("%s: documents differ" % dom)
        print("%d documents equal" % len(a))
    elif cmd == "merged":
        merged = {}
        for p in sys.argv[3:]:
            for dom, d in docs(p).items():
                if dom in merged:
                    sys.exit("%s in two shards" % dom)
                merged[dom] = d
        if sorted(merged) != sorted(a):
            sys.exit("domains differ: only unsharded %s, only shards %s" % (
                sorted(set(a) - set(merged))[:5],
                sorted(set(merged) - set(a))[:5]))
        for dom in a:
            if strip(a[dom]) != strip(merged[dom]):
                sys.exit("%s: shard document differs" % dom)
        print("%d domains, same documents" % len(a))


main()
