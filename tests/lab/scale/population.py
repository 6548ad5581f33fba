#!/usr/bin/env python3
"""The scale lab: a generated population of MTA-STS domains with ground truth.

Usage: population.py RUN_DIR N [SEED]

Run by `lab up` when MTASTS_LAB_POPULATION=N is set, after gen.py, pki.py
and dnssec.py (it signs its leaves with the lab intermediate CA) and before
any server starts.  It adds to what gen.py wrote:

  zones/example.zone + a zone entry in nsd.conf   the whole population
  unbound.d/population.conf                       example. as a stub to NSD
  nginx.d/population.conf + pop/www/              one server per policy address
  postfix/master.cf (appended) or scripted.json   one MX listener per address
  relays.json, endpoints.json, addresses          the new listeners
  pop/pki/                                        multi-SAN leaves
  population/domains.txt, truth.tsv, population.json, shares.tsv

The population lives in one unsigned zone, `example.` (RFC 2606), so every
domain is a registered domain of its own (engine/mx_diagnose.h takes the last
label as the suffix) and no zone cut or DNSSEC signing costs time.  Shares of
fault kinds come from ../../shared field data; tests/lab/README.md "Scale lab"
gives them with their source.  The same N and SEED always give the same
population, truth and addresses (keys and certificates differ).
"""
import datetime
import hashlib
import json
import os
import random
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import gen  # noqa: E402  (the lab's addresses, delay and backend rules)

TLD = "example"
TTL = 300
POLICY_PATH = "/.well-known/mta-sts.txt"
SANS = 100               # names per certificate (Let's Encrypt's maximum)
POLICY_NET = "127.1."    # policy addresses: 127.1.X.Y
MX_NET = "127.2."        # MX addresses
REFUSED_ADDR = "127.3.0.1"   # in DNS, nothing listens

# Mail hosting: 5 providers with 2 MX hosts each, the two biggest in the
# proportion of field-data.md (Google 21.6 : Microsoft 16.7); the rest of
# the population runs its own MX ("self").
MX_PROVIDERS = [("mailprov1", 0.30), ("mailprov2", 0.24), ("mailprov3", 0.08),
                ("mailprov4", 0.05), ("mailprov5", 0.03)]
# Policy hosting: third-party providers take 53% (IMC 2025: 28,429
# third-party vs 25,365 self-managed policy servers); CNAME form as
# DMARCReport's (a-com.mta-sts.PROVIDER).
POLICY_PROVIDERS = [("stshost1", 0.22), ("stshost2", 0.16), ("stshost3", 0.09), ("stshost4", 0.06)]

# Fault kinds, one per misconfigured domain, as a share of ALL domains before
# scaling (field-data.md, IMC 2025, 68,030 domains): (kind, share, class, hosting).
# SCALE brings the sum to the study's 29.6% misconfigured.
FAULTS = [
    ("policy_tls_name_self", 8383 / 68030, "policy_tls_name"),
    ("policy_tls_name_third", 1113 / 68030, "policy_tls_name"),   # CNAME to a provider that never hosted it
    ("policy_expired_cert", 1116 / 68030 * 0.5, "policy_not_served"),  # TLS errors other than the name
    ("policy_self_signed", 1116 / 68030 * 0.5, "policy_not_served"),
    ("policy_unresolvable", 42 / 68030, "policy_not_served"),
    ("policy_refused", 227 / 68030, "policy_not_served"),
    ("policy_404", 1336 * 0.653 / 68030, "policy_not_served"),
    ("policy_500", 1336 * 0.347 / 68030, "policy_not_served"),
    ("policy_invalid", 136 / 68030, "policy_invalid"),
    ("record_invalid", 331 / 68030, "record_invalid"),
    ("mx_cert_all", 1326 / 68030, "mx_cert_all"),
    ("mx_cert_some", (1046 + 397 - 1326) / 68030, "mx_cert_some"),
    ("mx_mismatch_typo", 63 / 68030, "mx_mismatch_typo"),
    ("mx_mismatch_policy_host", 730 * 0.818 / 68030, "mx_mismatch_policy_host"),
    ("mx_mismatch_same_domain", 730 * 0.182 / 68030, "mx_mismatch_same_domain"),
    ("mx_mismatch_complete", 1023 / 68030, "mx_mismatch_complete"),
    ("tlsrpt_invalid", 0.01, "tlsrpt_invalid"),        # no published figure: 1%
]
SCALE = 0.296 / sum(f[1] for f in FAULTS)
MIN_PER_KIND = 3          # every kind present once the population is large enough
MODES = [("testing", 0.45), ("none", 0.03), ("enforce", 0.52)]   # 2026 survey: ~45% testing
IDN_SHARE = 0.005
TLSRPT_SHARE = 0.80       # correct domains with a (valid) TLS-RPT record

WORDS = ["acme", "north", "blue", "river", "stone", "cedar", "harbor", "maple", "orbit",
         "pixel", "quartz", "summit", "tundra", "violet", "willow", "zephyr", "amber", "birch",
         "cobalt", "delta", "ember", "fjord", "granite", "hazel", "iris", "juniper"]
IDN_WORDS = ["bücher", "müller", "café", "señor", "øresund", "ñandú", "gödel", "élan"]


def lev(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def counts(n, shares):
    """Largest-remainder split of n over shares (a list of (key, share))."""
    raw = [(k, s * n) for k, s in shares]
    out = {k: int(v) for k, v in raw}
    rest = n - sum(out.values())
    for k, v in sorted(raw, key=lambda kv: kv[1] - int(kv[1]), reverse=True)[:max(rest, 0)]:
        out[k] += 1
    return out


class Addr:
    def __init__(self, net):
        self.net, self.n = net, 0

    def take(self):
        a = f"{self.net}{self.n // 250}.{self.n % 250 + 1}"
        self.n += 1
        return a


class Groups:
    """Listeners sharing one multi-SAN certificate: names are added until SANS."""

    def __init__(self, alloc, prefix, kind, role):
        self.alloc, self.prefix, self.kind, self.role = alloc, prefix, kind, role
        self.list = []

    def add(self, name):
        if not self.list or len(self.list[-1]["names"]) >= SANS:
            self.list.append({"id": f"{self.prefix}-{len(self.list) + 1}", "addr": self.alloc.take(),
                              "kind": self.kind, "role": self.role, "names": []})
        self.list[-1]["names"].append(name)
        return self.list[-1]["addr"]


def build(n, seed):
    rnd = random.Random(seed)
    fault_counts = counts(n, [(k, s * SCALE) for k, s, _ in FAULTS])
    if n >= 20 * len(FAULTS):
        for k in fault_counts:
            fault_counts[k] = max(fault_counts[k], MIN_PER_KIND)
    kinds = [k for k, c in fault_counts.items() for _ in range(c)]
    kinds += ["ok"] * (n - len(kinds))
    rnd.shuffle(kinds)
    fault_class = {k: c for k, _, c in FAULTS}

    names, seen = [], set()
    n_idn = max(3, round(n * IDN_SHARE)) if n >= 100 else 0
    for i in range(n):
        if i < n_idn:
            u = f"{IDN_WORDS[i % len(IDN_WORDS)]}-{i:06d}.{TLD}"
            a = u.encode("idna").decode()
        else:
            u = a = f"{WORDS[i % len(WORDS)]}-{i:06d}.{TLD}"
        assert a not in seen
        seen.add(a)
        names.append((a, u))

    pol_alloc, mx_alloc = Addr(POLICY_NET), Addr(MX_NET)
    # Policy listeners: per provider, the self-hosters, and the faulty ones.
    pgroups = {p: Groups(pol_alloc, p, "valid", "provider") for p, _ in POLICY_PROVIDERS}
    pgroups["self"] = Groups(pol_alloc, "selfweb", "valid", "self")
    pgroups["expired"] = Groups(pol_alloc, "expiredweb", "expired", "self")
    pgroups["self-signed"] = Groups(pol_alloc, "selfsignedweb", "self-signed", "self")
    pgroups["500"] = Groups(pol_alloc, "brokenweb", "valid", "status500")
    mxgroups = {"self": Groups(mx_alloc, "selfmx", "valid", "mx"),
                "expired": Groups(mx_alloc, "expiredmx", "expired", "mx"),
                "self-signed": Groups(mx_alloc, "selfsignedmx", "self-signed", "mx"),
                "wrong-name": Groups(mx_alloc, "wrongnamemx", "wrong-name", "mx")}
    provider_mx = {}
    for p, _ in MX_PROVIDERS:
        g = Groups(mx_alloc, p, "valid", "mx")
        for h in ("mx1", "mx2"):
            g.list.append({"id": f"{p}-{h}", "addr": mx_alloc.take(), "kind": "valid", "role": "mx",
                           "names": [f"{h}.{p}.{TLD}"]})
        provider_mx[p] = g

    mx_pick = [p for p, s in MX_PROVIDERS]
    mx_w = [s for p, s in MX_PROVIDERS] + [1 - sum(s for _, s in MX_PROVIDERS)]
    pol_pick = [p for p, _ in POLICY_PROVIDERS] + ["self"]
    pol_w = [s for _, s in POLICY_PROVIDERS] + [1 - sum(s for _, s in POLICY_PROVIDERS)]
    bad_mx = ["expired", "self-signed", "wrong-name"]

    domains = []
    zone, files = [], {}
    for i, ((d, u), kind) in enumerate(zip(names, kinds)):
        mode = rnd.choices([m for m, _ in MODES], [s for _, s in MODES])[0]
        mxhost = rnd.choices(mx_pick + ["self"], mx_w)[0]
        polhost = rnd.choices(pol_pick, pol_w)[0]
        # The policy host listed as an mx is a miss only near the domain's
        # own MX names (mx_diagnose.h); certificate faults are the hoster's.
        if kind.startswith("mx_cert") or kind == "mx_mismatch_policy_host":
            mxhost = "self"
        # Under mode none the tool does not judge the mx patterns: a
        # mismatch there would be no fault, so these domains are enforce.
        if kind.startswith("mx_mismatch") and mode == "none":
            mode = "enforce"
        if kind in ("policy_tls_name_self", "policy_expired_cert", "policy_self_signed",
                    "policy_unresolvable", "policy_refused", "policy_404", "policy_500"):
            polhost = "self"
        elif kind == "policy_tls_name_third" and polhost == "self":
            polhost = POLICY_PROVIDERS[0][0]
        # MX hosts and their listeners.
        if mxhost == "self":
            nmx = 2 if (kind == "mx_cert_some" or rnd.random() < 0.4) else 1
            hosts = [f"mx{k}.{d}" for k in range(1, nmx + 1)]
            for k, h in enumerate(hosts):
                if kind == "mx_cert_all" or (kind == "mx_cert_some" and k == 1):
                    grp = mxgroups[bad_mx[i % 3]]
                else:
                    grp = mxgroups["self"]
                zone.append(f"{h}. IN A {grp.add(h)}")
            wildcard = False
        else:
            hosts = [f"mx1.{mxhost}.{TLD}", f"mx2.{mxhost}.{TLD}"]
            wildcard = rnd.random() < 0.5
        for k, h in enumerate(hosts):
            zone.append(f"{d}. IN MX {10 * (k + 1)} {h}.")
        patterns = [f"*.{mxhost}.{TLD}"] if wildcard else list(hosts)
        # mx mismatches: the patterns name none of the MX hosts, each for one
        # cause (engine/mx_diagnose.h), so every host is diagnosed alike.
        if kind.startswith("mx_mismatch"):
            if kind == "mx_mismatch_typo":
                # a doubled letter in the second label (mailprov1 ->
                # maailprov1): 1 edit, a typo by mx_diagnose's label rules
                patterns = []
                for h in hosts:
                    l1, l2, rest = h.split(".", 2)
                    patterns.append(f"{l1}.{l2[0]}{l2[1]}{l2[1:]}.{rest}")
            elif kind == "mx_mismatch_policy_host":
                patterns = [f"mta-sts.{d}"]
            elif kind == "mx_mismatch_same_domain":
                patterns = ["inbound-relay." + hosts[0].split(".", 1)[1]]
            else:
                patterns = [f"mail.formerhost{i % 7 + 1}.{TLD}"]
            for h in hosts:
                dist = min(lev(p, h) for p in patterns)
                assert (0 < dist <= 3) == (kind == "mx_mismatch_typo"), (d, patterns)
        # _mta-sts and the policy.
        pid = f"2026{i:08d}"
        txt = f"v=STSv1; id={pid}"
        if kind == "record_invalid":
            # Each still a v=STSv1 record (RFC 8461 3.1 discards records that
            # do not begin with "v=STSv1;": those are no record, not a bad one).
            txt = ["v=STSv1;", f"v=STSv1; id=2026-12-{i % 28 + 1:02d}", f"v=STSv1; id=2026-11-{i:06d}",
                   "v=STSv1; id=", f"v=STSv1; id={pid}!"][i % 5]
        zone.append(f'_mta-sts.{d}. IN TXT "{txt}"')
        max_age = {"enforce": 1209600, "testing": 86400, "none": 86400}[mode]
        eol = "\n" if i % 5 == 0 else "\r\n"
        lines = ["version: STSv1", f"mode: {mode}"] + [f"mx: {p}" for p in patterns] + [f"max_age: {max_age}"]
        if kind == "policy_invalid":
            sub = i % 4
            if sub == 0:
                lines = []                                   # an empty file
            elif sub == 1:
                lines[1] = "mode: enforcing"
            elif sub == 2:
                lines = [l for l in lines if not l.startswith("max_age")]
            else:
                lines[0] = "version: STSv2"
        body = eol.join(lines) + (eol if lines else "")
        host = f"mta-sts.{d}"
        if kind == "policy_unresolvable":
            pass
        elif kind == "policy_refused":
            zone.append(f"{host}. IN A {REFUSED_ADDR}")
        else:
            if kind in ("policy_tls_name_self", "policy_tls_name_third"):
                # Points at a listener whose certificate does not name it.
                grp = pgroups[polhost]
                if not grp.list:
                    grp.add(f"{polhost}.{TLD}")
                addr = grp.list[i % len(grp.list)]["addr"]
            else:
                g = {"policy_expired_cert": "expired", "policy_self_signed": "self-signed",
                     "policy_500": "500"}.get(kind, polhost)
                addr = pgroups[g].add(host)
            if polhost == "self":
                zone.append(f"{host}. IN A {addr}")
            else:
                target = f"{d.replace('.', '-')}.mta-sts.{polhost}.{TLD}"
                zone.append(f"{host}. IN CNAME {target}.")
                zone.append(f"{target}. IN A {addr}")
            if kind != "policy_404":
                files[host] = body
        # TLS-RPT
        if kind == "tlsrpt_invalid":
            rr = [f"v=TLSRPTv1; rua=tlsrpt@{d}", "v=TLSRPTv1;", f"v=TLSRPTv1; rua=ftp://reports.{d}/"][i % 3]
            zone.append(f'_smtp._tls.{d}. IN TXT "{rr}"')
        elif rnd.random() < TLSRPT_SHARE:
            zone.append(f'_smtp._tls.{d}. IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@{d}"')

        # Ground truth (doc/verdict.md): senders without a usable policy
        # deliver to every MX (all); testing and none deliver everywhere;
        # enforce refuses the uncovered host and the bad certificates.
        cls = "-" if kind == "ok" else fault_class[kind]
        policy_used = kind not in fault_class or fault_class[kind] in (
            "mx_cert_all", "mx_cert_some", "tlsrpt_invalid") or kind.startswith("mx_mismatch")
        tmode = mode if policy_used else "no_policy"
        answer = "all"
        if tmode == "enforce":
            if kind == "mx_cert_all":
                answer = "none"
            elif kind == "mx_cert_some":
                answer = "some"
            elif kind.startswith("mx_mismatch"):
                answer = "none"
        domains.append({"domain": d, "input": u, "kind": kind, "mode": mode, "mx": hosts,
                        "mx_provider": mxhost, "policy_host": polhost, "patterns": patterns,
                        "truth": [d, answer, tmode, cls]})

    # Provider hosts named in the zone (their own host names).
    for p, g in provider_mx.items():
        for l in g.list:
            zone.append(f"{l['names'][0]}. IN A {l['addr']}")
    pol_listeners = [l for g in pgroups.values() for l in g.list]
    mx_listeners = [l for g in list(mxgroups.values()) + list(provider_mx.values()) for l in g.list]
    return domains, zone, files, pol_listeners, mx_listeners, fault_counts


def make_pki(run, listeners):
    """One ECDSA key per kind, one leaf per listener naming its SANs,
    signed by the lab intermediate (self-signed: by itself)."""
    pki = os.path.join(run, "pki")
    with open(os.path.join(pki, "intermediate.pem"), "rb") as f:
        inter_pem = f.read()
    inter = x509.load_pem_x509_certificate(inter_pem)
    with open(os.path.join(pki, "intermediate.key"), "rb") as f:
        inter_key = serialization.load_pem_private_key(f.read(), None)
    ski = inter.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    now = datetime.datetime.now(datetime.timezone.utc)
    keys = {}
    for l in listeners:
        kind = l["kind"]
        key = keys.setdefault(kind, ec.generate_private_key(ec.SECP256R1()))
        names = ["wrong-name.lab.test"] if kind == "wrong-name" else l["names"]
        subj = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
        if kind == "expired":
            nb, na = datetime.datetime(2020, 1, 1), datetime.datetime(2021, 1, 1)
        else:
            nb, na = now - datetime.timedelta(days=1), now + datetime.timedelta(days=825)
        issuer, signer = (subj, key) if kind == "self-signed" else (inter.subject, inter_key)
        b = (x509.CertificateBuilder().subject_name(subj).issuer_name(issuer)
             .public_key(key.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(nb).not_valid_after(na)
             .add_extension(x509.SubjectAlternativeName([x509.DNSName(x) for x in names]), False)
             .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
             .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), False))
        if kind != "self-signed":
            # certtool's key ids are not SHA-1 of the key: copy the issuer's own.
            b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), False)
        cert = b.sign(signer, hashes.SHA256())
        cpem = cert.public_bytes(serialization.Encoding.PEM)
        kpem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
        chain = cpem + (b"" if kind == "self-signed" else inter_pem)
        # The layout of pki.py (pki/hosts/NAME/KIND/), so scripted.py finds it too.
        d = os.path.join(pki, "hosts", l["id"], kind)
        os.makedirs(d, exist_ok=True)
        for fn, data in (("key.pem", kpem), ("cert.pem", cpem), ("chain.pem", chain),
                         ("postfix.pem", kpem + chain)):
            with open(os.path.join(d, fn), "wb") as f:
                f.write(data)
        l["cdir"] = d


def write(run, n, seed):
    domains, zone, files, pol, mx, fault_counts = build(n, seed)
    delay = gen.DELAY_MS > 0
    off = gen.BACKEND_OFFSET
    pop = os.path.join(run, "population")
    os.makedirs(pop, exist_ok=True)
    with open(os.path.join(pop, "domains.txt"), "w", encoding="utf-8") as f:
        f.write("".join(x["input"] + "\n" for x in domains))
    with open(os.path.join(pop, "truth.tsv"), "w") as f:
        f.write("".join("\t".join(x["truth"]) + "\n" for x in sorted(domains, key=lambda x: x["domain"])))
    with open(os.path.join(pop, "population.json"), "w") as f:
        json.dump({"n": n, "seed": seed, "domains": domains}, f, indent=0)
    with open(os.path.join(pop, "shares.tsv"), "w") as f:
        f.write("".join(f"{k}\t{c}\n" for k, c in sorted(fault_counts.items())))

    # DNS: one zone, a stub in Unbound.
    with open(os.path.join(run, "zones", f"{TLD}.zone"), "w") as f:
        f.write(f"$TTL {TTL}\n{TLD}. IN SOA ns.lab.test. hostmaster.lab.test. 1 3600 600 86400 60\n"
                f"{TLD}. IN NS ns.lab.test.\n" + "\n".join(zone) + "\n")
    # A scan at concurrency 256 keeps the resolver and NSD busy: one
    # process each per core.
    with open(os.path.join(run, "nsd.conf")) as f:
        # NSD's response rate limiting (on in Debian's build, 200 a second
        # per class) would drop the resolver's bursts of NXDOMAIN for the
        # TLSA names of thousands of domains: Unbound then says SERVFAIL.
        conf = f.read().replace("  server-count: 1\n",
                                "  server-count: 2\n  rrl-ratelimit: 0\n  rrl-whitelist-ratelimit: 0\n")
    with open(os.path.join(run, "nsd.conf"), "w") as f:
        f.write(conf + f'zone:\n  name: "{TLD}."\n  zonefile: "{TLD}.zone"\n')
    with open(os.path.join(run, "unbound.d", "population.conf"), "w") as f:
        f.write(f'# generated by tests/lab/scale/population.py\nserver:\n  num-threads: 2\n'
                # A scan at concurrency 256 has about 1,500 questions out at
                # once: room for all of them rather than dropping the oldest.
                f'  num-queries-per-thread: 4096\n  outgoing-range: 8192\n  so-rcvbuf: 4m\n'
                f'  local-zone: "{TLD}." transparent\n'
                f'stub-zone:\n  name: "{TLD}."\n  stub-addr: {gen.AUTH}\n  stub-prime: no\n')

    make_pki(run, pol + mx)

    # nginx: one server per policy address, the file chosen by $host.
    www = os.path.join(run, "pop", "www")
    os.makedirs(www, exist_ok=True)
    for host, body in files.items():
        with open(os.path.join(www, host), "w", newline="") as f:
            f.write(body)
    srv = []
    for l in pol:
        resp = ("return 500;" if l["role"] == "status500"
                else f"alias {www}/$host;\n    types {{ }}\n    default_type text/plain;")
        srv.append(f"server {{\n  listen {l['addr']}:{443 + off} ssl;\n  server_name _;\n"
                   f"  ssl_certificate {l['cdir']}/chain.pem;\n  ssl_certificate_key {l['cdir']}/key.pem;\n"
                   f"  location = {POLICY_PATH} {{\n    {resp}\n  }}\n  location / {{ return 404; }}\n}}\n")
    os.makedirs(os.path.join(run, "nginx.d"), exist_ok=True)
    with open(os.path.join(run, "nginx.d", "population.conf"), "w") as f:
        f.write("# generated by tests/lab/scale/population.py\n" + "".join(srv))

    # MX listeners: Postfix (per-address certificate) or the fallback.
    if gen.MX_BACKEND == "postfix":
        lines = []
        for l in mx:
            lines.append(f"{l['addr']}:{25 + off} inet n - n - - smtpd\n  -o myhostname={l['id']}.{TLD}\n"
                         f"  -o syslog_name=postfix/{l['id']}\n  -o smtpd_tls_chain_files={l['cdir']}/postfix.pem\n"
                         "  -o smtpd_client_connection_count_limit=0\n  -o smtpd_client_connection_rate_limit=0")
        with open(os.path.join(run, "postfix", "master.cf"), "a") as f:
            f.write("# the scale population (tests/lab/scale/population.py)\n" + "\n".join(lines) + "\n")
    else:
        p = os.path.join(run, "scripted.json")
        with open(p) as f:
            sj = json.load(f)
        for l in mx:
            sj["listeners"].append({"mode": "smtp-postfix", "tls": l["kind"], "cert": l["kind"],
                                    "addr": l["addr"], "port": 25 + off, "name": l["id"]})
        with open(p, "w") as f:
            json.dump(sj, f, indent=1)

    eps_p = os.path.join(run, "endpoints.json")
    with open(eps_p) as f:
        eps = json.load(f)
    eps += [{"service": "nginx", "addr": l["addr"], "port": 443 + off} for l in pol]
    eps += [{"service": "postfix" if gen.MX_BACKEND == "postfix" else "scripted",
             "addr": l["addr"], "port": 25 + off} for l in mx]
    with open(eps_p, "w") as f:
        json.dump(eps, f, indent=1)
    if delay:
        rp = os.path.join(run, "relays.json")
        with open(rp) as f:
            rj = json.load(f)
        rj["relays"] += [{"proto": "tcp", "addr": l["addr"], "port": 443, "upstream_port": 443 + off,
                          "name": l["id"]} for l in pol]
        rj["relays"] += [{"proto": "tcp", "addr": l["addr"], "port": 25, "upstream_port": 25 + off,
                          "name": l["id"]} for l in mx]
        with open(rp, "w") as f:
            json.dump(rj, f, indent=1)
    with open(os.path.join(run, "addresses"), "a") as f:
        f.write("".join(l["addr"] + "\n" for l in pol + mx) + REFUSED_ADDR + "\n")
    print(f"population: {n} domains (seed {seed}), {len(pol)} policy and {len(mx)} MX listeners, "
          f"{sum(1 for x in domains if x['kind'] != 'ok')} misconfigured")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4) or not sys.argv[2].isdigit():
        sys.exit("usage: population.py RUN_DIR N [SEED]")
    write(os.path.abspath(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) == 4 else 14)
