#!/usr/bin/env python3
"""Compare chasquid's first delivery attempt per lab domain with our
verdict.delivery.  Used by chasquid-differential.sh; prints TAP.

Usage: chasquid_diff.py LOG OURS_DIR KNOWN DEADLINE DOMAIN...
       chasquid_diff.py --table LOG DOMAIN...     (what chasquid did, no comparison)

LOG is chasquid's debug log (-v 1 -logfile); OURS_DIR holds DOMAIN.json, the
output of `mtasts-tui check --json`; KNOWN is chasquid_known.txt; DEADLINE a
Unix time: the log is polled until every first attempt has ended or then.

What the log says (chasquid 1.11, read from real runs in the lab).  Each
line is "DATE TIME LEVEL FILE:LINE  FAMILY TITLE: MESSAGE"; an outgoing
delivery is traced as family Courier.SMTP with the recipient as title:

    alice@sender.lab.test  ->  postmaster@D        an attempt starts
    MXs: [mx1.d. mx2.d.]                           in preference order, at most 5
    "H" skipped as per MTA-STA policy              enforce, H not in the policy
    Secure - using TLS                             verified certificate
    Insecure - using TLS, but with an invalid cert
    Insecure - NOT using TLS                       no STARTTLS offered
    error: "H" returned transient error: E         next MX
    error: all MXs returned transient failures (last: E)
    error: Could not find mail server: E           MX lookup failed
    done                                           delivered

A permanent error (an SMTP 5xx) ends the attempt without naming the host:
it is the first MX not yet accounted for.  The attempt's end is the queue's
line "Queue.SendLoop ID: [error: ]postmaster@D permanent error|temporary
error|sent"; later lines for the same recipient are retries and ignored.
The policy chasquid got is in "STSCache.Fetch D: fetched: &{...}" or
"failed to fetch: E".
"""

import json
import os
import re
import sys
import time

LINE = re.compile(r"^\S+ \S+ \S+ \S+\s+(\S+) (\S+): (.*)$")
SENDER = "alice@sender.lab.test"

# chasquid's per-host result -> the outcomes of ours that mean the same.
DELIVERS = {"verified", "reported", "opportunistic"}
EXPECT = {
    "reached": DELIVERS,          # an SMTP reply after the TLS decision
    "sts-skipped": {"refused"},   # not in the enforce policy's mx list
    "sts-tls": {"refused"},       # enforce, TLS not verified (or plain)
    "tls-failed": {"refused"},    # STARTTLS or the handshake failed; no plaintext retry
    "no-address": {"unreachable"},
    "conn-failed": {"unreachable"},
    "no-smtp": {"unreachable"},
    # No answer within the test's bound: nothing is delivered there, but
    # whether chasquid would end it as a TLS error (a refusal for us) or a
    # dead server cannot be seen before its own 10-minute timeout.
    "stalled": {"unreachable", "refused"},
}
REFUSED = {"sts-skipped", "sts-tls", "tls-failed"}


def unquote(s):
    return s.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def host_key(h):
    """mx1.d. and MX1.d are one host; the null MX "." stays "."."""
    return h.rstrip(".").lower() or "."


def classify(err):
    """A transient per-host error -> (result, short detail)."""
    if err.startswith("Could not dial"):
        if "lookup " in err:
            return "no-address", err
        return "conn-failed", err
    if err.startswith(("Error creating client", "Error saying hello")):
        return "no-smtp", err
    if err.startswith("TLS error"):
        return "tls-failed", err
    m = re.match(r"invalid security level \((\w+)\)", err)
    if m:
        return "sts-tls", f"enforce policy, connection {m.group(1)}"
    if err.startswith(("MAIL+RCPT", "DATA")):
        return "reached", err
    return "other", err


def parse(log, domains):
    """First delivery attempt per domain -> dict (see attempt())."""
    att = {d: {"mxs": None, "sts": None, "hosts": [], "tls": None, "last_err": None,
               "started": False, "end": None, "detail": ""} for d in domains}
    rcpt = {f"postmaster@{d}": d for d in domains}
    try:
        f = open(log, errors="replace")
    except OSError:
        return att
    with f:
        for raw in f:
            m = LINE.match(raw.rstrip("\n"))
            if not m:
                continue
            fam, title, msg = m.group(1), m.group(2), unquote(m.group(3))
            if fam == "STSCache.Fetch" and title in att:
                a = att[title]
                if a["started"] and a["end"] is None and a["sts"] is None:
                    if msg.startswith("fetched: "):
                        a["sts"] = msg[len("fetched: "):]
                    elif msg.startswith("failed to fetch: "):
                        a["sts"] = "none (" + msg[len("failed to fetch: "):] + ")"
                continue
            if fam == "Queue.SendLoop":
                q = re.match(r"(?:error: )?(\S+) (permanent error|temporary error|sent)(?:: (.*))?$", msg)
                if q and q.group(1) in rcpt:
                    a = att[rcpt[q.group(1)]]
                    if a["started"] and a["end"] is None:
                        finish(a, q.group(2), q.group(3) or "")
                continue
            if fam != "Courier.SMTP" or title not in rcpt:
                continue
            a = att[rcpt[title]]
            if a["end"] is not None:
                continue                     # a retry
            if msg.startswith(SENDER) and "->" in msg:
                a["started"] = True
            elif msg.startswith("MXs: ["):
                a["mxs"] = msg[len("MXs: ["):].rstrip("]").split()
            elif msg.endswith(" skipped as per MTA-STA policy"):
                add_host(a, msg.split('"')[1], "sts-skipped", "not in the policy's mx list")
            elif msg.startswith("Secure - using TLS"):
                a["tls"] = "verified TLS"
            elif msg.startswith("Insecure - using TLS"):
                a["tls"] = "TLS, invalid certificate"
            elif msg.startswith("Insecure - NOT using TLS"):
                a["tls"] = "no STARTTLS"
            elif msg.startswith('error: "') and " returned transient error: " in msg:
                h = msg.split('"')[1]
                res, det = classify(msg.split(" returned transient error: ", 1)[1])
                add_host(a, h, res, det)
            elif msg.startswith("error: all MXs returned") or msg.startswith("error: Could not find"):
                pass                         # the queue line ends the attempt
            elif msg.startswith("error: "):
                a["last_err"] = msg[len("error: "):]
            elif msg == "done":
                a["last_err"] = None
    return att


def add_host(a, host, result, detail):
    tls, a["tls"] = a["tls"], None
    a["hosts"].append({"host": host_key(host), "result": result,
                       "detail": detail + (f" [{tls}]" if tls and result == "reached" else "")})


def current_host(a):
    done = {h["host"] for h in a["hosts"]}
    for mx in a["mxs"] or []:
        if host_key(mx) not in done:
            return host_key(mx)
    return None


def finish(a, kind, err):
    if kind == "sent":
        add_host(a, current_host(a) or "?", "reached", "delivered")
        a["end"], a["detail"] = "delivered", ""
    elif err.startswith("Could not find mail server"):
        a["end"], a["detail"] = "no-mx", err
    elif err.startswith("all MXs returned transient failures"):
        a["end"], a["detail"] = "deferred", ""
    else:
        h = current_host(a)
        res, det = classify(err)
        if h:
            add_host(a, h, res if res != "other" else "other", det)
        a["end"] = "reached" if res == "reached" else ("bounced" if kind == "permanent error" else "deferred")
        a["detail"] = err


def settle(a):
    """At the deadline: an attempt still running is stalled at its current MX."""
    if a["end"] is not None:
        return
    h = current_host(a) if a["mxs"] is not None else None
    if h:
        add_host(a, h, "stalled", "no result within the test's bound")
        if current_host(a) is None:
            a["end"] = "deferred"            # nothing left to try
            return
    a["end"] = "pending"


def signature(a):
    """One comparable string: host=result;...;end"""
    hs = ";".join(f"{h['host']}={h['result']}" for h in a["hosts"])
    return f"{hs};{a['end']}" if hs else a["end"]


def wait(log, domains, deadline):
    while True:
        att = parse(log, domains)
        if all(a["end"] is not None for a in att.values()) or time.time() >= deadline:
            break
        time.sleep(1)
    for a in att.values():
        settle(a)
    return att


def ours_view(delivery):
    """[(name, state, cause, {host: outcome})]: strict first, then lenient."""
    out = []

    def hosts(lst):
        return {host_key(h.get("host", "")): h.get("outcome") for h in lst or []}

    out.append(("strict", delivery.get("state"), delivery.get("cause"), hosts(delivery.get("hosts"))))
    for v in delivery.get("views") or []:
        if v.get("sender") == "lenient":
            out.append(("lenient", v.get("state"), v.get("cause", delivery.get("cause")),
                        hosts(v.get("hosts"))))
    return out


def compare(a, view):
    """Problems (list of strings) comparing one attempt with one view of ours."""
    _, state, cause, hosts = view
    bad = []
    for h in a["hosts"]:
        want = EXPECT.get(h["result"])
        got = hosts.get(h["host"])
        if h["host"] == "." and h["result"] != "reached" and got not in DELIVERS:
            continue                 # the null MX: no mail goes there, whatever the reason
        if want is None:
            bad.append(f"{h['host']}: chasquid result {h['result']} ({h['detail']}) has no counterpart")
        elif got not in want:
            bad.append(f"{h['host']}: chasquid {h['result']}, ours {got}")
    results = {h["result"] for h in a["hosts"]}
    end = a["end"]
    if end in ("reached", "delivered"):
        if state not in ("all", "some"):
            bad.append(f"chasquid reached an MX, ours state {state}")
    elif end == "deferred" and a["hosts"]:
        if state != "none":
            bad.append(f"chasquid deferred, ours state {state}")
        elif results <= REFUSED and cause != "mta-sts":
            bad.append(f"chasquid refused every MX for MTA-STS, ours cause {cause}")
        elif not results & (REFUSED | {"stalled"}) and cause == "mta-sts":
            bad.append("no MX failed for MTA-STS in chasquid, ours cause mta-sts")
    elif end == "deferred":          # no MX to try
        if state not in ("none", "no_mail", "unknown"):
            bad.append(f"chasquid had no MX to try, ours state {state}")
    elif end == "no-mx":             # the MX lookup failed: no delivery, not for MTA-STS
        if state not in ("none", "no_mail", "unknown") or cause == "mta-sts":
            bad.append(f"chasquid found no mail server ({a['detail']}), ours state {state} cause {cause}")
    elif end == "bounced":
        if state not in ("none", "no_mail"):
            bad.append(f"chasquid bounced ({a['detail']}), ours state {state}")
    elif end == "pending":
        bad.append("chasquid's attempt did not end within the bound")
    return bad


def read_known(path):
    known = {}
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        dom, sig, why = line.rstrip("\n").split("\t")
        known[dom] = (sig, why)
    return known


def short(h):
    """The evidence for one host, in a few words."""
    d = h["detail"]
    if h["result"] == "reached":
        m = re.match(r"(?:MAIL\+RCPT|DATA)\S* (\d{3})", d)
        tls = re.search(r"\[(.*)\]$", d)
        return ", ".join(x for x in (tls and tls.group(1), m and "then " + m.group(1)) if x) or d
    return d[:70]


def describe(a):
    hs = ", ".join(f"{h['host']} {h['result']} ({short(h)})" for h in a["hosts"]) or "no MX tried"
    return f"{hs}; {a['end']}" + (f" ({a['detail'][:70]})" if a["end"] in ("no-mx", "bounced") else "")


def main_compare(log, ours_dir, known_path, deadline, domains):
    known = read_known(known_path)
    att = wait(log, domains, deadline)
    failed = 0
    for d in domains:
        a = att[d]
        sig = signature(a)
        try:
            with open(os.path.join(ours_dir, d + ".json")) as f:
                delivery = json.load(f).get("verdict", {}).get("delivery")
        except (OSError, ValueError):
            print(f"not ok - {d}: our --json output unreadable")
            failed += 1
            continue
        if not a["started"]:
            print(f"not ok - {d}: chasquid never attempted delivery (see its log)")
            failed += 1
            continue
        if delivery is None:
            print(f"not ok - {d}: verdict.delivery is missing from our --json")
            failed += 1
            continue
        if d.startswith("hostile-") and any(h["result"] == "stalled" for h in a["hosts"]):
            # These servers stall on purpose to test our deadlines; chasquid's
            # own timeouts (up to 10 minutes, not configurable) outlast the
            # test's bound, so what it finally does is not seen here.
            print(f"ok - {d}: chasquid {describe(a)} # SKIP hostile server: chasquid's timeouts outlast the bound")
            continue
        views = ours_view(delivery)
        problems = {}
        agreed = None
        for v in views:
            p = compare(a, v)
            if not p:
                agreed = v[0]
                break
            problems[v[0]] = p
        if d in known:
            want, why = known[d]
            ok = agreed is None and sig == want
            if ok:
                print(f"ok - {d}: known departure: chasquid {describe(a)}: {why}")
            elif agreed is not None:
                print(f"not ok - {d}: listed departure no longer occurs (chasquid agrees with our "
                      f"{agreed} view: {describe(a)}); remove it from chasquid_known.txt")
            else:
                print(f"not ok - {d}: listed departure changed: chasquid {sig}, listed {want}")
                for p in problems.get("strict", []):
                    print(f"#   {p}")
            failed += not ok
            continue
        if agreed is not None:
            print(f"ok - {d}: chasquid {describe(a)}; ours {agreed} {views[0][1] if agreed == 'strict' else ''}"
                  .rstrip())
        else:
            print(f"not ok - {d}: chasquid {describe(a)} [{sig}]; ours state {views[0][1]}")
            for name, p in problems.items():
                for line in p[:6]:
                    print(f"#   {name}: {line}")
            failed += 1
    return 1 if failed else 0


def main_table(log, domains):
    att = parse(log, domains)
    for a in att.values():
        settle(a)
    for d in domains:
        a = att[d]
        print(f"{d}\t{a['sts'] or '-'}\t{signature(a)}")
        for h in a["hosts"]:
            print(f"\t{h['host']}\t{h['result']}\t{h['detail']}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--table":
        sys.exit(main_table(sys.argv[2], sys.argv[3:]))
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    sys.exit(main_compare(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5:]))
