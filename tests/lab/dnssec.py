#!/usr/bin/env python3
"""DNSSEC for the lab: TLSA records, signed zones and Unbound's trust anchor.

Usage: dnssec.py RUN_DIR      (after gen.py and pki.py; reads RUN_DIR/dnssec.json)

1. Appends every MX `tlsa` entry to its zone file.  "auto" data is computed
   from the certificate the lab PKI made for that MX: usages 1 and 3 from the
   leaf, usages 0 and 2 from the trust anchor the server sends (the
   intermediate CA, or the leaf itself when it is self-signed); selector 0
   hashes the whole DER certificate, selector 1 its SubjectPublicKeyInfo;
   matching type 0 is the DER itself, 1 SHA-256, 2 SHA-512.
2. Signs every scenario zone with `[dnssec] signed = true` (ldns-signzone,
   NSEC, one ECDSA P-256 key per zone with the SEP flag), corrupts the RRSIG
   of every RRset at a `bogus` owner, and puts the zone's DS into test.
3. Signs test. and writes its DS as Unbound's trust anchor
   (unbound.d/dnssec.conf).  Zones without a DS in test. are provably
   insecure.

Keys are cached in RUN_DIR/dnssec/keys/ (like the PKI); zones are re-signed
on every run, which takes milliseconds.
"""
import base64
import glob
import hashlib
import json
import os
import subprocess
import sys
import time


def run(args, cwd=None):
    r = subprocess.run(args, capture_output=True, text=True, cwd=cwd)
    if r.returncode != 0:
        sys.exit(f"dnssec.py: {' '.join(args)} failed:\n{r.stdout}{r.stderr}")
    return r.stdout


def der_items(buf, pos, end):
    """Yields (tag, start of the whole TLV, start of value, end) for each TLV in buf[pos:end]."""
    while pos < end:
        tag = buf[pos]
        n = buf[pos + 1]
        hdr = 2
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(buf[pos + 2:pos + 2 + k], "big")
            hdr += k
        yield tag, pos, pos + hdr, pos + hdr + n
        pos += hdr + n


def spki_der(cert):
    """The SubjectPublicKeyInfo of a DER certificate (7th field of tbsCertificate,
    or 6th when the optional [0] version is absent)."""
    _, _, v, e = next(der_items(cert, 0, len(cert)))          # Certificate
    _, _, tv, te = next(der_items(cert, v, e))                 # tbsCertificate
    fields = list(der_items(cert, tv, te))
    if fields[0][0] == 0xA0:
        fields = fields[1:]
    _, start, _, end = fields[5]
    return cert[start:end]


def pem_der(path):
    with open(path) as f:
        text = f.read()
    b64 = text.split("-----BEGIN CERTIFICATE-----", 1)[1].split("-----END CERTIFICATE-----", 1)[0]
    return base64.b64decode("".join(b64.split()))


def tlsa_data(rd, t):
    if t["data"] != "auto":
        return t["data"]
    pki = os.path.join(rd, "pki")
    leaf = os.path.join(pki, "hosts", t["host"], t["cert"], "cert.pem")
    if t["usage"] in (1, 3) or t["cert"] == "self-signed":
        der = pem_der(leaf)
    else:
        der = pem_der(os.path.join(pki, "intermediate.pem"))
    if t["selector"] == 1:
        der = spki_der(der)
    if t["mtype"] == 1:
        return hashlib.sha256(der).hexdigest()
    if t["mtype"] == 2:
        return hashlib.sha512(der).hexdigest()
    return der.hex()


def zone_key(rd, zone):
    """The cached key of zone: (directory, base name)."""
    d = os.path.join(rd, "dnssec", "keys", zone)
    os.makedirs(d, exist_ok=True)
    found = sorted(glob.glob(os.path.join(d, "K*.private")))
    if not found:
        base = run(["ldns-keygen", "-a", "ECDSAP256SHA256", "-k", zone + "."], cwd=d).strip()
    else:
        base = os.path.basename(found[0])[:-len(".private")]
    return d, base


def sign(rd, zone, bogus):
    zfile = os.path.join(rd, "zones", zone + ".zone")
    d, base = zone_key(rd, zone)
    now = int(time.time())
    out = zfile + ".signed"
    run(["ldns-signzone", "-o", zone + ".", "-i", str(now - 86400), "-e", str(now + 30 * 86400),
         "-f", out, zfile, os.path.join(d, base)])
    with open(out) as f:
        lines = f.read().splitlines()
    for owner in bogus:
        hit = False
        for i, line in enumerate(lines):
            f = line.split()
            if len(f) > 5 and f[0].lower() == owner and f[3] == "RRSIG" and f[4] != "NSEC":
                # Change one signature character: still base64, no longer valid.
                sig = f[-1]
                k = len(sig) // 2
                f[-1] = sig[:k] + ("A" if sig[k] != "A" else "B") + sig[k + 1:]
                lines[i] = "\t".join(f)
                hit = True
        if not hit:
            sys.exit(f"dnssec.py: bogus owner {owner} has no RRset to corrupt in {zone}")
    with open(zfile + ".tmp", "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(zfile + ".tmp", zfile)
    os.unlink(out)
    with open(os.path.join(d, base + ".ds")) as f:
        return f.read().strip()


def main(rd):
    with open(os.path.join(rd, "dnssec.json")) as f:
        spec = json.load(f)
    for t in spec["tlsa"]:
        zfile = os.path.join(rd, "zones", t["zone"] + ".zone")
        if not os.path.exists(zfile):
            sys.exit(f"dnssec.py: {t['owner']}: zone {t['zone']} is not served by NSD")
        with open(zfile, "a") as f:
            f.write(f"{t['owner']} {spec['ttl']} IN TLSA {t['usage']} {t['selector']} {t['mtype']} "
                    f"{tlsa_data(rd, t)}\n")
    ds = []
    for zone in spec["signed"]:
        ds.append(sign(rd, zone, [o for o in spec["bogus"] if o == zone + "." or o.endswith("." + zone + ".")]))
    with open(os.path.join(rd, "zones", "test.zone"), "a") as f:
        f.write("".join(line + "\n" for line in ds))
    anchor = sign(rd, "test", [])
    os.makedirs(os.path.join(rd, "dnssec"), exist_ok=True)
    ta = os.path.join(rd, "dnssec", "test.ds")
    with open(ta, "w") as f:
        f.write(anchor + "\n")
    os.makedirs(os.path.join(rd, "unbound.d"), exist_ok=True)
    with open(os.path.join(rd, "unbound.d", "dnssec.conf"), "w") as f:
        f.write(f"# generated by tests/lab/dnssec.py: test. is signed\ntrust-anchor-file: \"{ta}\"\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: dnssec.py RUN_DIR")
    main(os.path.abspath(sys.argv[1]))
