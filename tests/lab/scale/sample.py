#!/usr/bin/env python3
"""Check a sample of the scale population with `mtasts-tui check --json`.

Usage: sample.py RUN_DIR PER_KIND CMD...   (CMD runs the tool in the lab's
namespace, e.g. `ip netns exec NS ./mtasts-tui`)

For every fault kind of population.json (and the correct domains) it takes
PER_KIND domains, spread over the policy modes, checks each and prints TAP:
the delivery answer, the mode and the classes (derived from the document by
the vocabulary of doc/scale.md) against truth.tsv, and the finding codes the
kind must raise.  It is the scale lab's own proof that its truth is what the
tool says, independent of scan and scan-summary.
"""
import json
import subprocess
import sys

# Finding codes one of which each kind must raise (severity error).
EXPECT = {
    "policy_tls_name_self": {"fetch.tls_name_mismatch"},
    "policy_tls_name_third": {"fetch.tls_name_mismatch"},
    "policy_expired_cert": {"fetch.tls_expired", "fetch.tls_failed", "fetch.tls_untrusted"},
    "policy_self_signed": {"fetch.tls_untrusted", "fetch.tls_failed"},
    "policy_unresolvable": {"fetch.host_unresolvable"},
    "policy_refused": {"fetch.connect_failed"},
    "policy_404": {"fetch.http_status"},
    "policy_500": {"fetch.http_status"},
    "record_invalid": {"sts.txt.syntax", "sts.txt.id_invalid"},
    "policy_invalid": {"policy."},
    "mx_cert_all": {"mx_tls.expired", "mx_tls.untrusted", "mx_tls.name_mismatch"},
    "mx_cert_some": {"mx_tls.expired", "mx_tls.untrusted", "mx_tls.name_mismatch"},
    "mx_mismatch_typo": {"mx.uncovered"},
    "mx_mismatch_policy_host": {"mx.uncovered"},
    "mx_mismatch_same_domain": {"mx.uncovered"},
    "mx_mismatch_complete": {"mx.uncovered"},
    "tlsrpt_invalid": {"tlsrpt.syntax", "tlsrpt.rua_invalid", "tlsrpt.no_destination", "tlsrpt.rua_missing"},
}
# Warnings a correct domain of the population may have (short max_age in
# testing, no TLS-RPT record, testing itself, a delegated host serving mode
# none, which the tool reads as hosting that ended).
HYGIENE_OK = {"policy.max_age_under_week", "policy.mode_testing", "tlsrpt.missing",
              "verdict.testing_without_tlsrpt", "policy.mx_wildcard", "policy.mode_none",
              "fetch.delegation_broken"}
CERT_BAD = {"mx_tls.untrusted", "mx_tls.expired", "mx_tls.not_yet_valid",
            "mx_tls.name_mismatch", "mx_tls.incomplete_chain"}
# mx_diagnose classes from the words of an uncovered host's "why", for a
# document without why_class (the mx layer's class word).
WHY_WORDS = [("edit", "typo"), ("policy host", "policy_host"),
             ("share the registered domain", "same_domain"), ("", "complete")]


def layer(doc, lid):
    for l in doc.get("layers") or []:
        if l.get("id") == lid:
            return l
    return {}


def classes(doc):
    out = set()
    codes = {f["code"] for f in doc.get("findings") or []}
    rec = (layer(doc, "dns").get("data") or {}).get("record") or {}
    has_txt = rec.get("raw") is not None
    if has_txt and rec.get("valid") is False:
        out.add("record_invalid")
    pol = layer(doc, "policy")
    if "fetch.tls_name_mismatch" in codes:
        out.add("policy_tls_name")
    elif has_txt and pol.get("status") == "skip":
        out.add("policy_not_served")
    if pol.get("status") != "skip" and (pol.get("data") or {}).get("valid") is False:
        out.add("policy_invalid")
    for h in (layer(doc, "mx").get("data") or {}).get("hosts") or []:
        if h.get("judged") and h.get("covered_by") is None:
            cls = h.get("why_class")
            if cls is None:
                why = h.get("why") or ""
                cls = next(c for w, c in WHY_WORDS if w in why)
            out.add("mx_mismatch_" + cls)
    # Count by the delivery view: an address whose code is a certificate fault.
    addrs = [a for h in ((doc.get("verdict") or {}).get("delivery") or {}).get("hosts") or []
             for a in h.get("addresses") or []]
    bad = sum(1 for a in addrs if a.get("code") in CERT_BAD)
    if bad:
        out.add("mx_cert_all" if bad == len(addrs) else "mx_cert_some")
    tr = (layer(doc, "tlsrpt").get("data") or {}).get("record") or {}
    if tr.get("raw") is not None and (tr.get("valid") is False or tr.get("usable") is False):
        out.add("tlsrpt_invalid")
    return ",".join(sorted(out)) or "-"


def main(run, per_kind, cmd):
    with open(f"{run}/population/population.json") as f:
        pop = json.load(f)
    truth = {}
    with open(f"{run}/population/truth.tsv") as f:
        for line in f:
            d, a, m, c = line.rstrip("\n").split("\t")
            truth[d] = (a, m, c)
    by = {}
    for x in pop["domains"]:
        by.setdefault(x["kind"], []).append(x)
    picks = []
    for kind in sorted(by):
        seen_modes, chosen = set(), []
        for x in by[kind]:          # one per mode first, then the next ones
            if x["mode"] not in seen_modes and len(chosen) < per_kind:
                seen_modes.add(x["mode"])
                chosen.append(x)
        for x in by[kind]:
            if len(chosen) >= per_kind:
                break
            if x not in chosen:
                chosen.append(x)
        picks += chosen
    print(f"1..{2 * len(picks)}")
    failed = 0
    for x in picks:
        d, kind = x["domain"], x["kind"]
        r = subprocess.run(cmd + ["check", "--json", "--no-history", x["input"]],
                           capture_output=True, timeout=60)
        try:
            doc = json.loads(r.stdout)
        except ValueError:
            doc = {}
        v = doc.get("verdict") or {}
        ans = "failed" if doc.get("failure") or not doc else (v.get("delivery") or {}).get("state")
        got = (ans, v.get("mode") or "no_policy", classes(doc) if doc else "?")
        want = truth[d]
        ok = got == want
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} - {kind} {d} ({x['input']}): {'/'.join(got)}"
              + ("" if ok else f" # want {'/'.join(want)}"))
        # Severities follow the mode (TLS-9): a warning under none counts.
        codes = {f["code"] for f in doc.get("findings") or [] if f.get("severity") in ("error", "warning")}
        if kind == "ok":
            codes = {c for c in codes if c not in HYGIENE_OK}
            ok = not codes
            what = f"no error or warning finding but hygiene (got {sorted(codes) or 'none'})"
        else:
            ok = any(c == e or (e.endswith(".") and c.startswith(e)) for c in codes for e in EXPECT[kind])
            what = f"one of {sorted(EXPECT[kind])} (errors: {sorted(codes)})"
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} - {kind} {d}: {what}")
    print(f"# {2 * len(picks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], int(sys.argv[2]), sys.argv[3:]))
