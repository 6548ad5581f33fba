#!/usr/bin/env python3
"""Turn tests/lab/scenarios/*.toml into the lab's server configuration.

Usage: gen.py SCENARIO_DIR RUN_DIR

Writes into RUN_DIR: zones/ + nsd.conf, unbound.conf, nginx.conf + www/,
postfix/main.cf + master.cf (only with the postfix MX backend),
mx-fallback.txt (only with the fallback), scripted.json, endpoints.json, addresses,
certs.json (which certificates pki.py must make), dnssec.json (what
dnssec.py must add and sign once the PKI exists) and scenarios.json (the
machine-readable description tests read).  It never starts anything.
"""
import base64
import json
import re
import os
import sys
import tomllib

# Fixed infrastructure addresses inside the namespace (documented in README).
RESOLVER = "127.0.53.1"     # unbound, named in resolv.conf
AUTH = "127.0.53.2"         # nsd, authoritative for test. and every scenario zone
LAME = "127.0.53.3"         # scripted: answers SERVFAIL to everything
BLACKHOLE = "127.0.53.4"    # scripted: reads DNS queries and never answers
TC_TRICKLE = "127.0.53.5"   # scripted: TC=1 over UDP, then trickles the TCP answer
AUTH2 = "127.0.53.6"        # a second nsd, for the zones of scenarios with [auth] secondary
AUTH3 = "127.0.53.7"        # knotd: the zones of scenarios with [auth] dynamic, TSIG updates

# MTASTS_LAB_DELAY_MS=N (README "Delay"): the resolver, web and MX servers move to
# port + BACKEND_OFFSET and relay.py takes their public address:port, delaying N ms
# each way.  Unset or 0: no relays, every server on its public port.
DELAY_MS = int(os.environ.get("MTASTS_LAB_DELAY_MS") or 0)
BACKEND_OFFSET = 10000 if DELAY_MS > 0 else 0

POLICY_NET = "127.0.1."     # policy / web hosts that get a server
MX_NET = "127.0.2."         # MX hosts
UNUSED_NET = "127.0.3."     # addresses in DNS where nothing listens

# Zones outside test. the lab may serve, so delegations to policy-hosting
# providers resolve under the providers' real names (the tool's table in
# engine/provider.c matches those).  Only the zones some scenario names are
# served; Unbound answers for test. and exactly those, and refuses the rest.
PROVIDER_ZONES = ("mailhardener.com", "mta-sts.tech", "uriports.com", "dmarcinput.com",
                  "easydmarc.pro", "sdmarc.net", "ondmarc.com", "tutanota.de")

POLICY_PATH = "/.well-known/mta-sts.txt"
TTL = 300

MX_TLS_POSTFIX = {"valid", "expired", "not-yet-valid", "wrong-name",
                  "self-signed", "cn-only", "no-intermediate", "no-starttls",
                  "tls12-only", "legacy-tls", "starttls-454"}
MX_TLS_SCRIPTED = {"stall", "close-handshake", "sni-required",
                   # hostile (tests/integration/hostile.sh)
                   "trickle", "stall-ehlo", "stall-starttls", "stall-handshake",
                   "stall-ehlo-tls", "flood", "huge"}
# MTASTS_LAB_MX_BACKEND (set by `lab up`, which resolves MTASTS_LAB_MX):
# "postfix" runs the kinds of MX_TLS_POSTFIX on Postfix; "fallback" (Postfix
# unavailable) runs each on the server MX_FALLBACK names, the one table of
# README "MX backends".  Every kind has a scripted.py stand-in (mode
# smtp-postfix) that does what the lab's Postfix does for it: the same
# certificate on the listener whatever the SNI, TLS >= 1.2 unless the kind
# says otherwise, Postfix's replies.  chasquid was tried and is not used: its
# Go TLS server accepts TLS 1.0/1.1 with no setting to refuse them, so the
# tool would report mx_tls.legacy_tls on every MX (README "MX backends").
# A kind of MX_TLS_POSTFIX missing here needs Postfix: with the fallback its
# whole scenario is left out and listed (scenarios.json infra.mx_skipped).
MX_BACKEND = os.environ.get("MTASTS_LAB_MX_BACKEND") or "postfix"
MX_FALLBACK = {k: "scripted" for k in ("valid", "expired", "not-yet-valid", "wrong-name",
                                       "self-signed", "cn-only", "no-intermediate", "no-starttls",
                                       "tls12-only", "legacy-tls", "starttls-454")}

# MX entries that put no server on an address of their own.
MX_TLS_NOSERVER = {"unreachable", "no-address", "ref"}
CERT_KINDS = {"valid", "expired", "not-yet-valid", "wrong-name", "self-signed",
              "cn-only", "no-intermediate", "target"}
SERVE = {"https", "http-only", "stall", "trickle", "none"}


class ScenarioError(Exception):
    pass


def fqdn(name, domain):
    """Owner names in scenario files are relative to the domain unless they end in a dot."""
    if name in ("@", ""):
        return domain + "."
    if name.endswith("."):
        return name.lower()
    return f"{name}.{domain}.".lower()


def provider_zone(name):
    """The provider zone holding name, or None."""
    n = name.rstrip(".").lower()
    for z in PROVIDER_ZONES:
        if n == z or n.endswith("." + z):
            return z
    return None


def provider_zones_named(scens):
    """Provider zones some scenario puts a record in or points a CNAME at."""
    names = []
    for s in scens:
        d = s["domain"]
        names += [fqdn(o, d) for o in s.get("txt", {})]
        for rec in s.get("records", []):
            names.append(fqdn(rec.get("owner", "@"), d))
            if rec["type"].upper() == "CNAME":
                names.append(rec["data"])
        for w in [s.get("policy", {})] + s.get("hosts", []):
            if w.get("cname"):
                names.append(w["cname"])
    return sorted({z for z in map(provider_zone, names) if z})


def txt_string(piece):
    """One <character-string> in zone-file syntax; every non-printable byte becomes \\DDD."""
    if isinstance(piece, dict):
        if "hex" not in piece:
            raise ScenarioError(f"TXT piece {piece!r}: only {{hex = \"...\"}} tables are allowed")
        raw = bytes.fromhex(piece["hex"])
    elif isinstance(piece, str):
        raw = piece.encode("utf-8")
    else:
        raise ScenarioError(f"TXT piece {piece!r} is neither a string nor {{hex=...}}")
    if len(raw) > 255:
        raise ScenarioError(f"TXT string longer than 255 bytes ({len(raw)}): split it into several strings")
    out = []
    for b in raw:
        if b in (0x22, 0x5C):
            out.append("\\" + chr(b))
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append("\\%03d" % b)
    return '"' + "".join(out) + '"'


class Alloc:
    """Hands out addresses in file order so the same scenario set always gets the same addresses."""

    def __init__(self):
        self.next = {POLICY_NET: 1, MX_NET: 1, UNUSED_NET: 1}
        self.used = set()

    def take(self, net):
        while True:
            n = self.next[net]
            if n > 254:
                raise ScenarioError(f"address pool {net}0/24 exhausted")
            self.next[net] = n + 1
            addr = f"{net}{n}"
            if addr not in self.used:
                self.used.add(addr)
                return addr

    def pin(self, addr):
        # The lab lives on loopback only; the 127.0.53.x block belongs to the DNS servers.
        parts = addr.split(".")
        if (len(parts) != 4 or parts[0] != "127" or not all(p.isdigit() and int(p) < 256 for p in parts)
                or addr.startswith("127.0.53.") or addr == "127.0.0.1"):
            raise ScenarioError(f"pinned address {addr} must be in 127.0.0.0/8 (not 127.0.0.1 or 127.0.53.x)")
        if addr in self.used:
            raise ScenarioError(f"address {addr} pinned twice")
        self.used.add(addr)
        return addr


def is_v6(addr):
    return ":" in addr


def load(scen_dir):
    scen = []
    for fn in sorted(os.listdir(scen_dir)):
        if not fn.endswith(".toml"):
            continue
        path = os.path.join(scen_dir, fn)
        with open(path, "rb") as f:
            try:
                data = tomllib.load(f)
            except tomllib.TOMLDecodeError as e:
                raise ScenarioError(f"{path}: {e}")
        for key in ("domain", "description"):
            if key not in data:
                raise ScenarioError(f"{path}: missing '{key}'")
        data["domain"] = data["domain"].rstrip(".").lower()
        if not data["domain"].endswith(".test"):
            raise ScenarioError(f"{path}: domain must be under .test")
        data["_file"] = fn
        dnssec = data.get("dnssec", {})
        if not isinstance(dnssec, dict) or set(dnssec) - {"signed", "bogus"}:
            raise ScenarioError(f"{path}: [dnssec] takes only signed = bool and bogus = [owners]")
        if dnssec.get("bogus") and not dnssec.get("signed"):
            raise ScenarioError(f"{path}: [dnssec] bogus needs signed = true")
        auth = data.get("auth", {})
        if not isinstance(auth, dict) or set(auth) - {"secondary", "stale_txt", "extra_ns", "dynamic"}:
            raise ScenarioError(f"{path}: [auth] takes only secondary, stale_txt, extra_ns and dynamic")
        if auth.get("dynamic") and (set(auth) - {"dynamic"}):
            raise ScenarioError(f"{path}: [auth] dynamic goes alone (one knotd serves the zone)")
        if auth.get("secondary", "none") not in ("none", "same", "stale"):
            raise ScenarioError(f"{path}: [auth] secondary must be none, same or stale")
        if ("stale_txt" in auth) != (auth.get("secondary") == "stale"):
            raise ScenarioError(f"{path}: [auth] stale_txt goes with secondary = \"stale\" and only with it")
        if set(auth.get("extra_ns", [])) - {"servfail", "timeout"}:
            raise ScenarioError(f"{path}: [auth] extra_ns entries must be servfail or timeout")
        if auth and dnssec.get("signed"):
            raise ScenarioError(f"{path}: [auth] zones are not signed")
        scen.append(data)
    seen = set()
    for s in scen:
        if s["domain"] in seen:
            raise ScenarioError(f"domain {s['domain']} declared twice")
        seen.add(s["domain"])
    return scen


def make_body(web):
    body = web.get("body", "")
    size = web.get("body_size")
    if size is not None:
        # Pad with extension lines so the body stays a syntactically valid policy.
        line = "x_pad: " + "p" * 70 + "\n"
        if body and not body.endswith("\n"):
            body += "\n"
        while len(body.encode()) + len(line) <= size:
            body += line
        rest = size - len(body.encode())
        if rest > 0:
            body += "x" * rest
    return body.encode("utf-8")


def needs_postfix(s):
    """Why scenario s cannot run without Postfix (None: it can)."""
    if MX_BACKEND == "postfix":
        return None
    kinds = sorted({m.get("tls", "valid") for m in s.get("mx", [])
                    if m.get("tls", "valid") in MX_TLS_POSTFIX - set(MX_FALLBACK)})
    return f"MX tls {', '.join(kinds)} has no fallback server" if kinds else None


def main(scen_dir, run):
    if MX_BACKEND not in ("postfix", "fallback"):
        raise ScenarioError(f"MTASTS_LAB_MX_BACKEND must be postfix or fallback, not {MX_BACKEND!r}")
    scens = load(scen_dir)
    mx_skipped = [[s["domain"], needs_postfix(s)] for s in scens if needs_postfix(s)]
    scens = [s for s in scens if not needs_postfix(s)]
    alloc = Alloc()
    pzones = provider_zones_named(scens)
    zones = {z: [] for z in pzones}   # zone apex (no dot) -> list of zone-file lines
    placed = []           # (owner fqdn, zone-file line): into the enclosing zone later
    delegations = []      # (owner fqdn, kind) for test. or per-domain cuts
    addr_records = []     # (fqdn, addr)
    web_hosts = []        # dict per web host
    mx_servers = []       # dict per MX listener
    scripted = []         # listeners the scripted server must run
    certs = {}            # (host, kind) -> True
    out_scen = {}
    v6_mx_owner = None
    tlsa = []             # TLSA RRs for dnssec.py: owner, host, cert kind, spec
    signed = []           # scenario zones to sign
    bogus = []            # owners whose RRSIGs dnssec.py corrupts

    for s in scens:
        d = s["domain"]
        zl = zones.setdefault(d, [])
        info = {"file": s["_file"], "description": s["description"],
                "expect": s.get("expect", {}), "txt": {}, "records": [],
                "dns_faults": {}, "web": [], "mx": [],
                "auth": s.get("auth", {}),
                "dnssec": {"signed": bool(s.get("dnssec", {}).get("signed", False)),
                           "bogus": [fqdn(o, d) for o in s.get("dnssec", {}).get("bogus", [])]}}
        if info["dnssec"]["signed"]:
            signed.append(d)
            bogus.extend(info["dnssec"]["bogus"])
        for owner, rrs in s.get("txt", {}).items():
            name = fqdn(owner, d)
            if isinstance(rrs, str):
                rrs = [[rrs]]
            norm = []
            for rr in rrs:
                if isinstance(rr, (str, dict)):
                    rr = [rr]
                placed.append((name, f"{name} {TTL} IN TXT " + " ".join(txt_string(p) for p in rr)))
                norm.append([p if isinstance(p, str) else {"hex": p["hex"]} for p in rr])
            info["txt"][name] = norm
        for rec in s.get("records", []):
            name = fqdn(rec.get("owner", "@"), d)
            placed.append((name, f"{name} {rec.get('ttl', TTL)} IN {rec['type'].upper()} {rec['data']}"))
            info["records"].append({"owner": name, "type": rec["type"].upper(), "data": rec["data"]})
        for kind in ("servfail", "timeout"):
            for owner in s.get("dns", {}).get(kind, []):
                name = fqdn(owner, d)
                delegations.append((name, kind))
                info["dns_faults"][name] = kind

        webs = []
        if "policy" in s:
            p = dict(s["policy"])
            p.setdefault("host", f"mta-sts.{d}")
            webs.append(p)
        for h in s.get("hosts", []):
            if "host" not in h:
                raise ScenarioError(f"{s['_file']}: [[hosts]] entry without host")
            webs.append(dict(h))
        for w in webs:
            host = w["host"].rstrip(".").lower()
            serve = w.get("serve", "https")
            if serve not in SERVE:
                raise ScenarioError(f"{s['_file']}: {host}: serve must be one of {sorted(SERVE)}")
            cert = w.get("cert", "valid")
            if cert not in CERT_KINDS:
                raise ScenarioError(f"{s['_file']}: {host}: cert must be one of {sorted(CERT_KINDS)}")
            # cname: host is a CNAME to this name, which holds the addresses (a
            # provider's host); nginx still serves host by SNI.
            cname = (w.get("cname") or "").rstrip(".").lower() or None
            if cname:
                placed.append((host + ".", f"{host}. {TTL} IN CNAME {cname}."))
            elif cert == "target":
                raise ScenarioError(f"{s['_file']}: {host}: cert = \"target\" needs cname")
            # target: the certificate names the CNAME target only, as a
            # provider's default certificate does for a name it does not host.
            cert_host, cert_kind = (cname, "valid") if cert == "target" else (host, cert)
            addrs = []
            for a in w.get("addresses", ["auto"]):
                if a == "auto":
                    addrs.append({"addr": alloc.take(POLICY_NET), "listens": serve != "none"})
                elif a == "unused":
                    addrs.append({"addr": alloc.take(UNUSED_NET), "listens": False})
                elif a == "::1":
                    if serve not in ("https", "http-only"):
                        raise ScenarioError(f"{host}: ::1 only works with serve=https/http-only (nginx shares it via SNI)")
                    addrs.append({"addr": "::1", "listens": True})
                else:
                    addrs.append({"addr": alloc.pin(a), "listens": serve != "none"})
            for a in addrs:
                addr_records.append(((cname or host) + ".", a["addr"]))
            entry = {
                "host": host, "path": w.get("path", POLICY_PATH), "serve": serve,
                "status": int(w.get("status", 200)), "location": w.get("location"),
                "content_type": w.get("content_type", "text/plain"),
                "cert": cert, "addresses": addrs, "cname": cname,
                "cert_host": cert_host, "cert_kind": cert_kind,
                "port": 80 if serve == "http-only" else 443,
                # [auth] dynamic: the policy is a file in a web root that
                # rollout apply --webroot writes (README "Dynamic updates").
                "webroot": bool(s.get("auth", {}).get("dynamic")) and w is webs[0] and "policy" in s,
            }
            for key in ("content_type", "location", "path"):
                v = w.get(key) or ""
                if any(c in v for c in '"\\$') or any(ord(c) < 0x20 or ord(c) > 0x7E for c in v):
                    raise ScenarioError(f"{s['_file']}: {host}: {key} {v!r} has characters nginx.conf cannot carry")
            body = make_body(w)
            entry["body_len"] = len(body)
            entry["_body"] = body
            if serve in ("https", "http-only") and entry["status"] in (301, 302, 303, 307, 308) and not entry["location"]:
                raise ScenarioError(f"{host}: status {entry['status']} needs location")
            if serve == "https":
                certs[(cert_host, cert_kind)] = True
            if serve in ("stall", "trickle"):
                if serve == "trickle":
                    certs[(host, "valid")] = True
                for a in addrs:
                    if a["listens"]:
                        scripted.append({"mode": "stall" if serve == "stall" else "https-trickle",
                                         "addr": a["addr"], "port": 443, "name": host})
            web_hosts.append(entry)
            info["web"].append({k: v for k, v in entry.items()
                                if not k.startswith("_") and k not in ("cert_host", "cert_kind")})

        for m in s.get("mx", []):
            host = m["host"].rstrip(".").lower()
            pref = int(m.get("pref", 10))
            tls = m.get("tls", "valid")
            if tls not in MX_TLS_POSTFIX | MX_TLS_SCRIPTED | MX_TLS_NOSERVER:
                raise ScenarioError(f"{s['_file']}: {host}: unknown tls '{tls}'")
            zl.append(f"{d}. {TTL} IN MX {pref} {host}.")
            ent = {"host": host, "pref": pref, "tls": tls, "addresses": [], "server": None,
                   "tlsa": [parse_tlsa(s["_file"], host, t) for t in m.get("tlsa", [])]}
            if tls not in ("no-address", "ref"):
                if tls == "unreachable":
                    a = alloc.take(UNUSED_NET)
                elif "address" in m and m["address"] != "auto":
                    a = alloc.pin(m["address"])
                else:
                    a = alloc.take(MX_NET)
                ent["addresses"].append(a)
                if m.get("ipv6", False):
                    if v6_mx_owner:
                        raise ScenarioError(f"{host}: [::1]:25 already belongs to {v6_mx_owner}")
                    v6_mx_owner = host
                    ent["addresses"].append("::1")
                for a in ent["addresses"]:
                    addr_records.append((host + ".", a))
                if tls in MX_TLS_POSTFIX:
                    kind = "valid" if tls in ("no-starttls", "tls12-only", "legacy-tls", "starttls-454") else tls
                    certs[(host, kind)] = True
                    ent["server"] = "postfix" if MX_BACKEND == "postfix" else MX_FALLBACK[tls]
                    for a in ent["addresses"]:
                        if ent["server"] == "scripted":
                            scripted.append({"mode": "smtp-postfix", "tls": tls, "cert": kind,
                                             "addr": a, "port": 25, "name": host})
                        else:
                            mx_servers.append({"host": host, "addr": a, "tls": tls, "cert": kind})
                elif tls in MX_TLS_SCRIPTED:
                    ent["server"] = "scripted"
                    if tls in ("sni-required", "stall-ehlo-tls"):
                        certs[(host, "valid")] = True
                    for a in ent["addresses"]:
                        scripted.append({"mode": "smtp-" + tls, "addr": a, "port": 25, "name": host})
            # The certificate the MX serves, for TLSA "auto" data.
            if tls in MX_TLS_POSTFIX:
                served = "valid" if tls in ("no-starttls", "tls12-only", "legacy-tls", "starttls-454") else tls
            elif tls == "sni-required":
                served = "valid"
            else:
                served = None
            for t in ent["tlsa"]:
                if t["data"] == "auto" and served is None:
                    raise ScenarioError(f"{s['_file']}: {host}: tlsa 'auto' needs an MX that serves a certificate")
                tlsa.append({"owner": f"_25._tcp.{host}.", "host": host, "cert": served, **t})
            info["mx"].append(ent)
        out_scen[d] = info

    # Records go into whichever zone is the closest enclosing one.
    for name, line in placed:
        zones[enclosing_zone(zones, name)].append(line)
    for name, addr in addr_records:
        owner = name.rstrip(".")
        zone = None
        for d in zones:
            if (owner == d or owner.endswith("." + d)) and (zone is None or len(d) > len(zone)):
                zone = d
        if zone is None:
            raise ScenarioError(f"{owner} is not inside any scenario domain or provider zone")
        zones[zone].append(f"{name} {TTL} IN {'AAAA' if is_v6(addr) else 'A'} {addr}")
    for t in tlsa:
        t["zone"] = enclosing_zone(zones, t["owner"])
    for d in signed:
        if any(n == d + "." for n, _ in delegations):
            raise ScenarioError(f"{d}: a zone with an apex DNS fault cannot be signed")

    os.makedirs(os.path.join(run, "zones"), exist_ok=True)
    auth = {s["domain"]: s.get("auth", {}) for s in scens if s.get("auth")}
    write_zones(run, zones, delegations, pzones, auth)
    dynamic = sorted(d for d, o in auth.items() if o.get("dynamic"))
    write_nsd(run, {z: l for z, l in zones.items() if z not in dynamic})
    write_nsd2(run, auth)
    write_knot(run, dynamic)
    write_unbound(run, pzones)
    write_relays(run, web_hosts, mx_servers, scripted)   # before the servers' configs
    write_nginx(run, web_hosts)
    if MX_BACKEND == "postfix":
        write_postfix(run, mx_servers)

    scripted.append({"mode": "dns-servfail", "addr": LAME, "port": 53, "name": "lame.lab.test"})
    scripted.append({"mode": "dns-blackhole", "addr": BLACKHOLE, "port": 53, "name": "blackhole.lab.test"})
    scripted.append({"mode": "dns-tc-trickle", "addr": TC_TRICKLE, "port": 53, "name": "tc-trickle.lab.test"})
    with open(os.path.join(run, "scripted.json"), "w") as f:
        json.dump({"listeners": scripted}, f, indent=1)

    # TCP endpoints `lab up` waits for before declaring the lab ready.
    eps = []
    for w in web_hosts:
        if w["serve"] in ("https", "http-only"):
            for a in w["addresses"]:
                if a["listens"]:
                    eps.append({"service": "nginx", "addr": a["addr"], "port": w["port"]})
    for m in mx_servers:
        eps.append({"service": "postfix", "addr": m["addr"], "port": m.get("port", 25)})
    if any(o.get("secondary", "none") != "none" for o in auth.values()):
        eps.append({"service": "nsd2", "addr": AUTH2, "port": 53})
    if dynamic:
        eps.append({"service": "knot", "addr": AUTH3, "port": 53})
    for sc in scripted:
        eps.append({"service": "scripted", "addr": sc["addr"], "port": sc["port"]})
    uniq = {(e["service"], e["addr"], e["port"]): e for e in eps}
    with open(os.path.join(run, "endpoints.json"), "w") as f:
        json.dump(list(uniq.values()), f, indent=1)

    v4 = sorted({a for a in alloc.used if not is_v6(a)} | {RESOLVER, AUTH, AUTH2, AUTH3, LAME, BLACKHOLE, TC_TRICKLE},
                key=lambda a: tuple(int(x) for x in a.split(".")))
    with open(os.path.join(run, "addresses"), "w") as f:
        f.write("\n".join(v4) + "\n")

    with open(os.path.join(run, "certs.json"), "w") as f:
        json.dump(sorted([h, k] for h, k in certs), f, indent=1)

    with open(os.path.join(run, "dnssec.json"), "w") as f:
        json.dump({"ttl": TTL, "signed": sorted(signed), "bogus": sorted(bogus), "tlsa": tlsa},
                  f, indent=1)

    if MX_BACKEND == "fallback":
        # The rest of `lab up`'s one line: which server runs which MX kinds,
        # and the scenarios left out because their MX behaviour needs Postfix.
        by = {}
        for info in out_scen.values():
            for m in info["mx"]:
                if m["tls"] in MX_FALLBACK:
                    by.setdefault(m["server"], set()).add(m["tls"])
        runs = " and ".join(f"{'scripted.py' if k == 'scripted' else k} ({', '.join(sorted(v))})"
                            for k, v in sorted(by.items()))
        tail = ": " + ", ".join(f"{d} ({why})" for d, why in mx_skipped) if mx_skipped else ""
        with open(os.path.join(run, "mx-fallback.txt"), "w") as f:
            f.write(f"MX listeners run on {runs or 'no server'}; {len(mx_skipped)} scenarios "
                    f"whose MX behaviour needs Postfix are skipped{tail}\n")

    with open(os.path.join(run, "scenarios.json"), "w") as f:
        json.dump({
            "infra": {"resolver": RESOLVER, "authoritative": AUTH, "servfail_server": LAME,
                      "secondary_authoritative": AUTH2, "dynamic_authoritative": AUTH3,
                      "blackhole_server": BLACKHOLE, "tc_trickle_server": TC_TRICKLE,
                      "ca": "pki/root.pem",
                      "provider_zones": pzones,
                      "mx_backend": MX_BACKEND, "mx_skipped": mx_skipped},
            "domains": out_scen,
        }, f, indent=1, sort_keys=True)


def parse_tlsa(fn, host, spec):
    """'U S M DATA' where DATA is hex or "auto" (computed by dnssec.py from the lab PKI)."""
    f = spec.split()
    if len(f) != 4 or not all(x.isdigit() and int(x) < 256 for x in f[:3]):
        raise ScenarioError(f"{fn}: {host}: tlsa {spec!r} is not 'USAGE SELECTOR MTYPE DATA'")
    u, sel, mt = (int(x) for x in f[:3])
    data = f[3].lower()
    if data == "auto":
        if sel not in (0, 1) or mt not in (0, 1, 2):
            raise ScenarioError(f"{fn}: {host}: tlsa {spec!r}: auto needs selector 0/1 and matching type 0/1/2")
    elif not data or len(data) % 2 or any(c not in "0123456789abcdef" for c in data):
        raise ScenarioError(f"{fn}: {host}: tlsa {spec!r}: data must be hex or auto")
    return {"usage": u, "selector": sel, "mtype": mt, "data": data}


def enclosing_zone(zones, name):
    owner = name.rstrip(".")
    zone = None
    for d in zones:
        if (owner == d or owner.endswith("." + d)) and (zone is None or len(d) > len(zone)):
            zone = d
    if zone is None:
        raise ScenarioError(f"{owner} is not inside any scenario domain or provider zone")
    return zone


# [auth] extra_ns: listed servers that are not authoritative (README "Authoritative view").
AUTH_EXTRA_NS = {"servfail": "lame.lab.test.", "timeout": "blackhole.lab.test."}


def auth_ns(opts):
    """The NS set of a zone: ns.lab.test., ns2.lab.test. for a secondary, the extra ones."""
    if opts.get("dynamic"):
        return ["ns3.lab.test."]
    ns = ["ns.lab.test."]
    if opts.get("secondary", "none") != "none":
        ns.append("ns2.lab.test.")
    return ns + [AUTH_EXTRA_NS[k] for k in opts.get("extra_ns", [])]


def write_zones(run, zones, delegations, pzones, auth):
    # test. delegates each scenario zone back to nsd, so a later DNSSEC step can sign a
    # single scenario zone and put its DS into test.
    tz = [f"$TTL {TTL}", f"test. IN SOA ns.lab.test. hostmaster.lab.test. 1 3600 600 86400 60",
          "test. IN NS ns.lab.test.",
          f"ns.lab.test. IN A {AUTH}",
          f"ns2.lab.test. IN A {AUTH2}",
          f"ns3.lab.test. IN A {AUTH3}",
          f"lame.lab.test. IN A {LAME}",
          f"blackhole.lab.test. IN A {BLACKHOLE}"]
    fault_ns = {"servfail": "lame.lab.test.", "timeout": "blackhole.lab.test."}
    apex_faults = {}
    for name, kind in delegations:
        apex_faults[name] = kind
    for d in sorted(z for z in zones if z not in pzones):   # provider zones are not under test.
        kind = apex_faults.get(d + ".")
        for ns in [fault_ns[kind]] if kind else auth_ns(auth.get(d, {})):
            tz.append(f"{d}. IN NS {ns}")
    with open(os.path.join(run, "zones", "test.zone"), "w") as f:
        f.write("\n".join(tz) + "\n")
    # A zone whose apex is faulted must not be served by NSD at all, or NSD
    # would answer from it and ignore the delegation to the fault server.
    for d in [d for d in zones if apex_faults.get(d + ".")]:
        del zones[d]
    for d, lines in zones.items():
        opts = auth.get(d, {})
        # A stale secondary serves serial 1; the primary has moved on to 2.
        serial = 2 if opts.get("secondary") == "stale" else 1
        # A dynamic zone's answers are cached 1 s, so a check right after
        # rollout apply sees the update through Unbound.
        if opts.get("dynamic"):
            lines = [re.sub(r"^(\S+) \d+ IN ", r"\1 1 IN ", l) for l in lines]
        # A dynamic zone's primary (MNAME) is the server taking updates.
        mname = 'ns3.lab.test.' if opts.get('dynamic') else 'ns.lab.test.'
        zl = [f"$TTL {1 if opts.get('dynamic') else TTL}", f"{d}. IN SOA {mname} hostmaster.lab.test. {serial} 3600 600 86400 60"]
        zl += [f"{d}. IN NS {ns}" for ns in auth_ns(opts)]
        for name, kind in delegations:
            if name != d + "." and name.endswith("." + d + "."):
                # A cut below the apex; everything at or under it is answered by the fault server.
                zl.append(f"{name} IN NS {fault_ns[kind]}")
                lines = [l for l in lines if not (l.split()[0] == name or l.split()[0].endswith("." + name))]
        with open(os.path.join(run, "zones", d + ".zone"), "w") as f:
            f.write("\n".join(zl + lines) + "\n")
        if opts.get("secondary", "none") == "none":
            continue
        # The second server's copy: the same zone, or the one before the
        # last change (serial 1, the older _mta-sts TXT).
        os.makedirs(os.path.join(run, "zones2"), exist_ok=True)
        z2 = zl + lines
        if opts["secondary"] == "stale":
            sts = f"_mta-sts.{d}."
            z2 = [l.replace(f" {serial} 3600 600", " 1 3600 600") if l.startswith(f"{d}. IN SOA") else l
                  for l in z2 if l.split()[0] != sts]
            for rr in opts["stale_txt"]:
                rr = [rr] if isinstance(rr, str) else rr
                z2.append(f"{sts} {TTL} IN TXT " + " ".join(txt_string(p) for p in rr))
        with open(os.path.join(run, "zones2", d + ".zone"), "w") as f:
            f.write("\n".join(z2) + "\n")


def write_nsd(run, zones):
    z = ["zone:\n  name: \"test.\"\n  zonefile: \"test.zone\"\n"]
    for d in sorted(zones):
        z.append(f"zone:\n  name: \"{d}.\"\n  zonefile: \"{d}.zone\"\n")
    conf = f"""# generated by tests/lab/gen.py
server:
  ip-address: {AUTH}
  port: 53
  username: ""
  chroot: ""
  zonesdir: "{run}/zones"
  database: ""
  zonelistfile: "{run}/nsd/zone.list"
  xfrdfile: "{run}/nsd/xfrd.state"
  xfrdir: "{run}/nsd"
  pidfile: "{run}/nsd/nsd.pid"
  logfile: "{run}/logs/nsd.log"
  server-count: 1
  verbosity: 1
  hide-version: yes
  refuse-any: no
remote-control:
  control-enable: no
""" + "".join(z)
    os.makedirs(os.path.join(run, "nsd"), exist_ok=True)
    with open(os.path.join(run, "nsd.conf"), "w") as f:
        f.write(conf)


def write_nsd2(run, auth):
    """The second authoritative server: only the zones of scenarios with a secondary."""
    zs = sorted(d for d, o in auth.items() if o.get("secondary", "none") != "none")
    if not zs:
        return
    conf = f"""# generated by tests/lab/gen.py: the second name server ([auth] secondary)
server:
  ip-address: {AUTH2}
  port: 53
  username: ""
  chroot: ""
  zonesdir: "{run}/zones2"
  database: ""
  zonelistfile: "{run}/nsd2/zone.list"
  xfrdfile: "{run}/nsd2/xfrd.state"
  xfrdir: "{run}/nsd2"
  pidfile: "{run}/nsd2/nsd.pid"
  logfile: "{run}/logs/nsd2.log"
  server-count: 1
  verbosity: 1
  hide-version: yes
  refuse-any: no
remote-control:
  control-enable: no
""" + "".join(f"zone:\n  name: \"{d}.\"\n  zonefile: \"{d}.zone\"\n" for d in zs)
    os.makedirs(os.path.join(run, "nsd2"), exist_ok=True)
    with open(os.path.join(run, "nsd2.conf"), "w") as f:
        f.write(conf)


def write_knot(run, dynamic):
    """knotd for the [auth] dynamic zones: TSIG-signed updates from
    knot/apply-key.key (BIND format, new secrets every `up`); other-key is
    known but may not update (a refused update)."""
    if not dynamic:
        return
    kd = os.path.join(run, "knot")
    os.makedirs(os.path.join(kd, "db"), exist_ok=True)
    keys = ""
    for k in ("apply-key", "other-key"):
        secret = base64.b64encode(os.urandom(32)).decode()
        with open(os.path.join(kd, k + ".key"), "w") as f:
            f.write(f'key "{k}." {{\n\talgorithm hmac-sha256;\n\tsecret "{secret}";\n}};\n')
        keys += f"  - id: {k}.\n    algorithm: hmac-sha256\n    secret: {secret}\n"
    conf = f"""# generated by tests/lab/gen.py: the dynamic-update server ([auth] dynamic)
server:
  listen: {AUTH3}@53
  rundir: "{kd}"
  pidfile: "{kd}/knot.pid"
  background-workers: 1
  udp-workers: 1
  tcp-workers: 1
control:
  listen: "{kd}/knot.sock"
log:
  - target: "{run}/logs/knot.log"
    any: info
database:
  storage: "{kd}/db"
key:
{keys}acl:
  - id: update
    key: apply-key.
    action: update
  - id: other
    key: other-key.
    action: transfer
template:
  - id: default
    storage: "{run}/zones"
    # Updates live in memory only: `knotc zone-reload -f` restores the file.
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: off
zone:
""" + "".join(f"  - domain: {d}.\n    file: \"{d}.zone\"\n    acl: [update, other]\n" for d in dynamic)
    with open(os.path.join(run, "knot.conf"), "w") as f:
        f.write(conf)


def write_unbound(run, pzones):
    # The resolver knows only the lab: "." is refused locally, test. and the
    # provider zones some scenario names are stubs to nsd.
    # A DNSSEC step can add a trust anchor by dropping files into unbound.d/ and
    # switching module-config; see README.
    os.makedirs(os.path.join(run, "unbound.d"), exist_ok=True)
    conf = f"""# generated by tests/lab/gen.py
server:
  interface: {RESOLVER}
  port: {53 + BACKEND_OFFSET}
  do-ip6: no
  access-control: 127.0.0.0/8 allow
  username: ""
  chroot: ""
  directory: "{run}"
  pidfile: "{run}/unbound.pid"
  logfile: "{run}/logs/unbound.log"
  use-syslog: no
  verbosity: 1
  do-daemonize: no
  do-not-query-localhost: no
  # The validator only acts on zones below a trust anchor: dnssec.py signs
  # test. and drops its anchor into unbound.d/, so unsigned scenario zones
  # are provably insecure (no AD) and signed ones secure (AD).
  module-config: "validator iterator"
  val-log-level: 2
  auto-trust-anchor-file: ""
  num-threads: 1
  # Lab data changes on every `up`; keep cached answers short anyway.
  cache-max-ttl: 60
  cache-max-negative-ttl: 5
  # Keep asking a silent server instead of caching "host down", so a timeout
  # scenario keeps timing out rather than turning into a quick SERVFAIL.
  infra-keep-probing: yes
  infra-host-ttl: 1
  local-zone: "." refuse
  local-zone: "test." transparent
""" + "".join(f'  local-zone: "{z}." transparent\n' for z in pzones) + f"""  include: "{run}/unbound.d/*.conf"
""" + "".join(f"""stub-zone:
  name: "{z}."
  stub-addr: {AUTH}
  stub-prime: no
""" for z in ["test"] + list(pzones))
    with open(os.path.join(run, "unbound.conf"), "w") as f:
        f.write(conf)


def write_nginx(run, web_hosts):
    www = os.path.join(run, "www")
    os.makedirs(www, exist_ok=True)
    servers = []
    for i, w in enumerate(web_hosts):
        if w["serve"] not in ("https", "http-only"):
            continue
        bodyfile = os.path.join(www, f"{w['host']}.body")
        with open(bodyfile, "wb") as f:
            f.write(w["_body"])
        listens = []
        for a in w["addresses"]:
            if not a["listens"]:
                continue
            addr = f"[{a['addr']}]" if is_v6(a["addr"]) else a["addr"]
            listens.append(f"  listen {addr}:{w['port']}{' ssl' if w['serve'] == 'https' else ''};")
        if not listens:
            continue
        tls = ""
        if w["serve"] == "https":
            cdir = os.path.join(run, "pki", "hosts", w["cert_host"], w["cert_kind"])
            tls = f"  ssl_certificate {cdir}/chain.pem;\n  ssl_certificate_key {cdir}/key.pem;\n"
        st = w["status"]
        if st == 200 and w.get("webroot"):
            # The policy as a file under a web root, read on every request.
            root = os.path.join(www, f"{w['host']}.root")
            os.makedirs(os.path.join(root, ".well-known"), exist_ok=True)
            with open(os.path.join(root, ".well-known", "mta-sts.txt"), "wb") as f:
                f.write(w["_body"])
            resp = (f"    root {root};\n    types {{ }}\n    default_type \"text/plain\";\n"
                    "    open_file_cache off;\n")
        elif st == 200:
            ct = w["content_type"]
            # An empty default_type makes nginx send no Content-Type header at all.
            resp = (f"    alias {bodyfile};\n    types {{ }}\n    default_type \"{ct}\";\n")
        elif st in (301, 302, 303, 307, 308):
            resp = f"    return {st} \"{w['location']}\";\n"
        else:
            resp = f"    return {st};\n"
        servers.append(
            "server {\n" + "\n".join(listens) + "\n"
            f"  server_name {w['host']};\n" + tls +
            f"  location = {w['path']} {{\n{resp}  }}\n"
            "  location / { return 404; }\n}\n")
    conf = f"""# generated by tests/lab/gen.py
daemon off;
user root;
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/logs/nginx.error.log info;
# The scale population (README "Scale lab") is scanned at concurrency 256.
events {{ worker_connections 2048; }}
http {{
  access_log {run}/logs/nginx.access.log;
  client_body_temp_path {run}/nginx/body;
  proxy_temp_path {run}/nginx/proxy;
  fastcgi_temp_path {run}/nginx/fastcgi;
  uwsgi_temp_path {run}/nginx/uwsgi;
  scgi_temp_path {run}/nginx/scgi;
  server_tokens off;
  ssl_protocols TLSv1.2 TLSv1.3;
  etag off;
  # nginx would otherwise rewrite relative Locations and pick a default server by itself.
  absolute_redirect off;
  server_names_hash_bucket_size 128;
""" + "".join(servers) + f"  include {run}/nginx.d/*.conf;\n}}\n"
    os.makedirs(os.path.join(run, "nginx"), exist_ok=True)
    with open(os.path.join(run, "nginx.conf"), "w") as f:
        f.write(conf)


def write_postfix(run, mx_servers):
    pdir = os.path.join(run, "postfix")
    os.makedirs(pdir, exist_ok=True)
    main_cf = f"""# generated by tests/lab/gen.py -- a receive-only Postfix that never relays or delivers
compatibility_level = 3.6
queue_directory = {pdir}/queue
data_directory = {pdir}/data
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.lab.test
mydomain = lab.test
myorigin = lab.test
mydestination =
relay_domains =
mynetworks =
mynetworks_style = host
local_recipient_maps =
alias_maps =
alias_database =
local_transport = error:5.7.1 the lab does not deliver
default_transport = error:5.7.1 the lab does not relay
relay_transport = error:5.7.1 the lab does not relay
smtpd_relay_restrictions = reject
smtpd_recipient_restrictions = reject
smtpd_peername_lookup = no
inet_interfaces = all
inet_protocols = all
maillog_file = {run}/logs/postfix.log
maillog_file_prefixes = {run}/logs
biff = no
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_session_cache_database =
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_tls_received_header = no
tls_random_source = dev:/dev/urandom
"""
    base = """# service type  private unpriv  chroot  wakeup  maxproc command
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
postlog   unix-dgram n  -       n       -       1       postlogd
"""
    lines = []
    for m in mx_servers:
        addr = f"[{m['addr']}]" if is_v6(m["addr"]) else m["addr"]
        cdir = os.path.join(run, "pki", "hosts", m["host"], m["cert"])
        opts = [f"-o myhostname={m['host']}", f"-o syslog_name=postfix/{m['host']}"]
        t = m["tls"]
        if t == "no-starttls":
            opts.append("-o smtpd_tls_security_level=none")
        else:
            chain = f"{cdir}/postfix.pem"
            if t == "starttls-454":
                # A key that does not match the certificate: smtpd still offers STARTTLS
                # but cannot build a TLS context, so it answers 454.
                chain = f"{run}/pki/broken-454.pem"
            opts.append(f"-o smtpd_tls_chain_files={chain}")
            if t == "tls12-only":
                opts.append("-o { smtpd_tls_protocols = >=TLSv1.2 <=TLSv1.2 }")
            elif t == "legacy-tls":
                opts.append("-o { smtpd_tls_protocols = >=TLSv1 <=TLSv1.1 }")
                # OpenSSL 3 refuses TLS < 1.2 at its default security level.
                opts.append("-o { tls_medium_cipherlist = DEFAULT:@SECLEVEL=0 }")
        lines.append(f"{addr}:{m.get('port', 25)} inet n - n - - smtpd\n  " + "\n  ".join(opts))
    with open(os.path.join(pdir, "main.cf"), "w") as f:
        f.write(main_cf)
    with open(os.path.join(pdir, "master.cf"), "w") as f:
        f.write("# generated by tests/lab/gen.py\n" + base + "\n".join(lines) + "\n")


def write_relays(run, web_hosts, mx_servers, scripted):
    """With a delay, move every server the client reaches (resolver, web, MX; not
    the servers behind the resolver) to port + BACKEND_OFFSET and list the relays
    relay.py must run on the public ports in relays.json.  Runs before the configs
    are written, so nginx.conf, master.cf, scripted.json and endpoints.json (the
    readiness probe) all name the real servers' ports; scenarios.json keeps the
    public ones.  Without a delay it only writes an empty list."""
    relays = []
    if DELAY_MS > 0:
        relays += [{"proto": p, "addr": RESOLVER, "port": 53, "upstream_port": 53 + BACKEND_OFFSET,
                    "name": "unbound"} for p in ("udp", "tcp")]
        seen = set()
        for w in web_hosts:
            if w["serve"] not in ("https", "http-only", "stall", "trickle"):
                continue
            for a in w["addresses"]:
                if a["listens"] and (a["addr"], w["port"]) not in seen:
                    seen.add((a["addr"], w["port"]))
                    relays.append({"proto": "tcp", "addr": a["addr"], "port": w["port"],
                                   "upstream_port": w["port"] + BACKEND_OFFSET, "name": w["host"]})
            w["port"] += BACKEND_OFFSET
        for m in mx_servers:
            m["port"] = 25 + BACKEND_OFFSET
        for l in mx_servers + [l for l in scripted if l["port"] == 25]:
            relays.append({"proto": "tcp", "addr": l["addr"], "port": 25,
                           "upstream_port": 25 + BACKEND_OFFSET, "name": l.get("host", l.get("name"))})
        for l in scripted:
            l["port"] += BACKEND_OFFSET     # only stall (443) and smtp-* (25) exist at this point
    with open(os.path.join(run, "relays.json"), "w") as f:
        json.dump({"delay_ms": DELAY_MS, "relays": relays}, f, indent=1)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: gen.py SCENARIO_DIR RUN_DIR")
    try:
        main(sys.argv[1], os.path.abspath(sys.argv[2]))
    except (ScenarioError, KeyError, ValueError) as e:
        sys.exit(f"gen.py: {e}")
