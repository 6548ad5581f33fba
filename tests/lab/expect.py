#!/usr/bin/env python3
"""Print what the lab is supposed to serve, as tab-separated rows for the
tests/integration/lab-*.sh scripts (which run the real clients).

Usage: expect.py RUN_DIR dns|web|smtp

Everything comes from RUN_DIR/scenarios.json, i.e. from the scenario files,
so a new scenario is tested without editing the tests.  Multi-valued fields
are joined with ASCII RS (0x1e), one value per answer line in `kdig +short`
form.  Empty fields are written as "(none)" or "-" because bash `read` merges
adjacent tabs.
"""
import json
import os
import sys

RS = "\x1e"


def txt_short(rr):
    """A TXT RR the way `kdig +short` prints it: quoted strings, \\DDD for other bytes."""
    out = []
    for p in rr:
        raw = bytes.fromhex(p["hex"]) if isinstance(p, dict) else p.encode()
        s = ""
        for b in raw:
            if b in (0x22, 0x5C):
                s += "\\" + chr(b)
            elif 0x20 <= b < 0x7F:
                s += chr(b)
            else:
                s += "\\%03d" % b
        out.append(f'"{s}"')
    return " ".join(out)


def under(name, cut):
    return name == cut or name.endswith("." + cut)


def dns(data):
    for dom, s in sorted(data["domains"].items()):
        faults = s["dns_faults"]
        apex_fault = faults.get(dom + ".")

        def hidden(name):
            return any(under(name, cut) for cut in faults)
        want = {}
        stale = s.get("auth", {}).get("secondary") == "stale"
        for owner, rrs in s["txt"].items():
            # [auth] secondary = "stale": the resolver gives the _mta-sts of
            # whichever server it asked, the new or the old; auth.sh checks each.
            if stale and owner == f"_mta-sts.{dom}.":
                continue
            want.setdefault((owner, "TXT"), []).extend(txt_short(rr) for rr in rrs)
        for m in s["mx"]:
            want.setdefault((dom + ".", "MX"), []).append(f"{m['pref']} {m['host']}.")
            for a in m["addresses"]:
                want.setdefault((m["host"] + ".", "AAAA" if ":" in a else "A"), []).append(a)
        for w in s["web"]:
            # A host delegated by CNAME: its addresses are at the target.
            owner = w["host"] + "."
            if w.get("cname"):
                want.setdefault((owner, "CNAME"), []).append(w["cname"] + ".")
                owner = w["cname"] + "."
            for a in w["addresses"]:
                want.setdefault((owner, "AAAA" if ":" in a["addr"] else "A"), []).append(a["addr"])
        for r in s["records"]:
            if r["type"] in ("MX", "CNAME", "A", "AAAA", "NS"):
                want.setdefault((r["owner"], r["type"]), []).append(r["data"].lower())
            else:
                want.setdefault((r["owner"], r["type"]), []).append("*")
        for (name, typ), vals in sorted(want.items()):
            if apex_fault or hidden(name):
                continue
            print(f"rr\t{dom}\t{typ}\t{name}\t{RS.join(sorted(set(vals)))}")
        for name, kind in sorted(faults.items()):
            print(f"{kind}\t{dom}\tTXT\t{name}\t")


def web(data, run):
    for dom, s in sorted(data["domains"].items()):
        for w in s["web"]:
            body = os.path.join(run, "www", w["host"] + ".body")
            for i, a in enumerate(w["addresses"]):
                behaviour = w["serve"] if a["listens"] else "refused"
                print("\t".join([dom, w["host"], a["addr"], behaviour, str(w["port"]), w["path"],
                                 str(w["status"]), w["content_type"] or "(none)", w["location"] or "-",
                                 w["cert"], str(w["body_len"]), body, str(i)]))


def smtp(data):
    for dom, s in sorted(data["domains"].items()):
        for m in s["mx"]:
            for a in m["addresses"]:
                print("\t".join([dom, m["host"], a, m["tls"]]))


if __name__ == "__main__":
    run, what = sys.argv[1], sys.argv[2]
    with open(os.path.join(run, "scenarios.json")) as f:
        data = json.load(f)
    {"dns": lambda: dns(data), "web": lambda: web(data, run), "smtp": lambda: smtp(data)}[what]()
