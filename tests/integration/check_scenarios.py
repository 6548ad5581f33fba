#!/usr/bin/env python3
"""Runs `mtasts-tui check --json` on every lab scenario that has a [check]
table and asserts what the table says: exit status, finding codes (with an
optional ":severity"), codes that must be absent, layer statuses and the
verdict. Prints TAP lines; exits 1 if any assertion failed.

[check] keys: exit, codes, absent, layers (table), policy_applied,
enforce_ready, mode, args (extra command-line arguments), and the three
answers of the verdict (doc/verdict.md): delivery (the state: all, some,
none, no_mail, unknown), cause (mta-sts, other), views (the kinds of
sender, in order), refuses (any view refuses mail), step (the promotion
step), blockers and hygiene (the exact sets of codes).
fix_contains and message_contains (tables: code -> a substring, or a list of
them, that the fix or message of some finding with that code must contain; a
fix checked this way must also name no placeholder such as DOMAIN or
YYYYMMDD)."""

import glob
import json
import os
import subprocess
import sys
import tomllib

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LAB = os.path.join(TOP, "tests", "lab", "lab")
failed = 0


def tap(ok, desc, detail=None):
    global failed
    print(("ok - " if ok else "not ok - ") + desc)
    if not ok:
        failed += 1
        if detail:
            for line in str(detail).splitlines()[:12]:
                print("#   " + line)


def run_check(domain, args):
    cmd = [LAB, "exec", os.path.join(TOP, "mtasts-tui"), "check", "--json",
           "--no-history"] + args + [domain]
    p = subprocess.run(cmd, capture_output=True, timeout=120)
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        doc = None
        tap(False, f"{domain}: --json output parses", f"{e}\n{p.stdout[:400]!r}\n{p.stderr[:400]!r}")
    return p.returncode, doc, p.stderr.decode(errors="replace")


def check_answers(dom, exp, v):
    """The three answers of the verdict, each against the scenario."""
    dl = v.get("delivery") or {}
    pr = v.get("promotion") or {}
    hy = v.get("hygiene") or {}
    got = {
        "delivery": dl.get("state"),
        "cause": dl.get("cause"),
        "views": [w.get("sender") for w in dl.get("views", [])],
        "refuses": any(w.get("refuses") for w in dl.get("views", [])),
        "step": pr.get("step"),
        "blockers": sorted({b["code"] for b in pr.get("blockers", [])}),
        "hygiene": sorted({h["code"] for h in hy.get("items", [])}),
    }
    for key, val in got.items():
        if key not in exp:
            continue
        want = sorted(exp[key]) if key in ("blockers", "hygiene") else exp[key]
        tap(val == want, f"{dom}: verdict {key} = {want}", f"got {val}; summary: {v.get('summary')}")


def mx_skipped():
    """Scenarios the lab left out because their MX behaviour needs Postfix
    (the fallback MX backend, tests/lab/README.md "MX backends")."""
    run = os.environ.get("MTASTS_LAB_DIR") or os.path.join(TOP, "tests", "lab", "run")
    try:
        with open(os.path.join(run, "scenarios.json")) as f:
            return dict(json.load(f)["infra"].get("mx_skipped", []))
    except (OSError, ValueError, KeyError):
        return {}


def main():
    # SCENARIO: one domain, or several separated by spaces or commas.
    only = set(os.environ.get("SCENARIO", "").replace(",", " ").split())
    skipped = mx_skipped()
    for path in sorted(glob.glob(os.path.join(TOP, "tests/lab/scenarios/*.toml"))):
        with open(path, "rb") as f:
            sc = tomllib.load(f)
        exp = sc.get("check")
        if exp is None or (only and sc["domain"] not in only):
            continue
        dom = sc["domain"]
        if dom in skipped:
            print(f"ok - {dom} # SKIP needs postfix: {skipped[dom]}")
            continue
        rc, doc, err = run_check(dom, exp.get("args", []))
        if "exit" in exp:
            tap(rc == exp["exit"], f"{dom}: exit status {exp['exit']}", f"got {rc}; stderr: {err}")
        if doc is None:
            continue
        found = {(f["code"], f["severity"]) for f in doc["findings"]}
        codes = {c for c, _ in found}
        for want in exp.get("codes", []):
            code, _, sev = want.partition(":")
            ok = (code, sev) in found if sev else code in codes
            tap(ok, f"{dom}: finding {want}", f"got: {sorted(found)}")
        for code in exp.get("absent", []):
            tap(code not in codes, f"{dom}: no finding {code}", f"got: {sorted(found)}")
        for key, field in (("fix_contains", "fix"), ("message_contains", "message")):
            for code, subs in exp.get(key, {}).items():
                got = [f.get(field) or "" for f in doc["findings"] if f["code"] == code]
                for sub in [subs] if isinstance(subs, str) else subs:
                    tap(any(sub in g for g in got), f"{dom}: {code} {field} contains {sub!r}",
                        f"got: {got}")
                if field == "fix":
                    bad = [g for g in got if "DOMAIN" in g or "YYYYMMDD" in g]
                    tap(got and not bad, f"{dom}: {code} fix names real values", f"got: {got}")
        layers = {l["id"]: l["status"] for l in doc["layers"]}
        for lid, st in exp.get("layers", {}).items():
            tap(layers.get(lid) == st, f"{dom}: layer {lid} is {st}", f"got {layers.get(lid)}")
        v = doc.get("verdict", {})
        for key in ("policy_applied", "enforce_ready", "mode"):
            if key in exp:
                tap(v.get(key) == exp[key], f"{dom}: verdict {key} = {exp[key]}", f"got {v.get(key)}")
        check_answers(dom, exp, v)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
