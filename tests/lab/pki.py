#!/usr/bin/env python3
"""Make the lab PKI with certtool: root CA -> intermediate CA -> ECDSA P-256 leaves.

Usage: pki.py RUN_DIR      (reads RUN_DIR/certs.json written by gen.py)
       pki.py RUN_DIR --leaf HOST   (one `valid` leaf for a host outside the
                                     scenarios, e.g. the chasquid sender;
                                     the CAs must exist: run `lab up` first)

Everything lives in RUN_DIR/pki and is reused on the next run: a file is only
made when it is missing, which keeps repeated `lab up` fast.  Delete
RUN_DIR/pki to start over.

Per (host, kind) it writes pki/hosts/HOST/KIND/{key.pem,cert.pem,chain.pem,postfix.pem}:
chain.pem is what the server sends (leaf + intermediate, except where the
kind says otherwise), postfix.pem is key + chain in one file.
"""
import json
import os
import subprocess
import sys
import tempfile

KEYGEN = ["certtool", "--generate-privkey", "--key-type=ecdsa", "--curve=secp256r1"]
CA_DAYS = 10950        # CAs outlive every leaf, including the not-yet-valid one
LEAF_DAYS = 825


def run(args, **kw):
    r = subprocess.run(args, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"pki.py: {' '.join(args)} failed:\n{r.stdout}{r.stderr}")


def tmpl(lines):
    f = tempfile.NamedTemporaryFile("w", suffix=".tmpl", delete=False)
    f.write("\n".join(lines) + "\n")
    f.close()
    return f.name


def key(path):
    if not os.path.exists(path):
        run(KEYGEN + ["--outfile", path])


def cert(out, keyf, lines, ca=None):
    t = tmpl(lines)
    try:
        if ca is None:
            run(["certtool", "--generate-self-signed", "--load-privkey", keyf,
                 "--template", t, "--outfile", out])
        else:
            run(["certtool", "--generate-certificate", "--load-privkey", keyf,
                 "--load-ca-certificate", ca[0], "--load-ca-privkey", ca[1],
                 "--template", t, "--outfile", out])
    finally:
        os.unlink(t)


def read(p):
    with open(p) as f:
        return f.read()


def write(p, s):
    with open(p + ".tmp", "w") as f:
        f.write(s)
    os.replace(p + ".tmp", p)


def leaf_template(host, kind):
    t = [f'cn = "{host}"', "tls_www_server", "signing_key", "encryption_key"]
    if kind == "cn-only":
        return t                      # the name only in the subject CN, no SAN at all
    if kind == "wrong-name":
        t[0] = 'cn = "wrong-name.lab.test"'
        t.append('dns_name = "wrong-name.lab.test"')
        return t
    t.append(f'dns_name = "{host}"')
    if kind == "expired":
        t += ['activation_date = "2020-01-01 00:00:00"', 'expiration_date = "2021-01-01 00:00:00"']
    elif kind == "not-yet-valid":
        t += ['activation_date = "2040-01-01 00:00:00"', 'expiration_date = "2041-01-01 00:00:00"']
    else:
        t.append(f"expiration_days = {LEAF_DAYS}")
    return t


def leaf(pki, host, kind, ca):
    """Make pki/hosts/HOST/KIND/ unless it is there already."""
    d = os.path.join(pki, "hosts", host, kind)
    if os.path.exists(os.path.join(d, "postfix.pem")):
        return
    os.makedirs(d, exist_ok=True)
    k, c = os.path.join(d, "key.pem"), os.path.join(d, "cert.pem")
    key(k)
    if kind == "self-signed":
        cert(c, k, leaf_template(host, kind) + [], ca=None)
    else:
        cert(c, k, leaf_template(host, kind), ca=ca)
    chain = read(c)
    if kind not in ("self-signed", "no-intermediate"):
        chain += read(ca[0])
    write(os.path.join(d, "chain.pem"), chain)
    write(os.path.join(d, "postfix.pem"), read(k) + chain)


def main(rd):
    pki = os.path.join(rd, "pki")
    os.makedirs(pki, exist_ok=True)
    root, root_key = os.path.join(pki, "root.pem"), os.path.join(pki, "root.key")
    inter, inter_key = os.path.join(pki, "intermediate.pem"), os.path.join(pki, "intermediate.key")
    if not (os.path.exists(root) and os.path.exists(inter)):
        for p in (root, inter):
            if os.path.exists(p):
                os.unlink(p)
        # A fresh root invalidates every leaf below it.
        hosts = os.path.join(pki, "hosts")
        if os.path.isdir(hosts):
            subprocess.run(["rm", "-rf", "--", hosts], check=True)
        key(root_key)
        cert(root, root_key, ['cn = "mtasts-lab Root CA"', 'organization = "mtasts-tui test lab"',
                              "ca", "cert_signing_key", "crl_signing_key",
                              f"expiration_days = {CA_DAYS}"])
        key(inter_key)
        cert(inter, inter_key, ['cn = "mtasts-lab Intermediate CA"', 'organization = "mtasts-tui test lab"',
                                "ca", "path_len = 0", "cert_signing_key", "crl_signing_key",
                                f"expiration_days = {CA_DAYS}"], ca=(root, root_key))

    with open(os.path.join(rd, "certs.json")) as f:
        wanted = json.load(f)
    for host, kind in wanted:
        leaf(pki, host, kind, (inter, inter_key))

    # For the starttls-454 MX: a certificate with a key that does not belong to it.
    broken = os.path.join(pki, "broken-454.pem")
    if not os.path.exists(broken):
        bk = os.path.join(pki, "broken-454.key")
        key(bk)
        write(broken, read(bk) + read(inter))
    os.chmod(pki, 0o755)


def main_leaf(rd, host):
    pki = os.path.join(rd, "pki")
    inter = os.path.join(pki, "intermediate.pem")
    if not os.path.exists(inter):
        sys.exit(f"pki.py: {inter} is missing (run `lab up` first)")
    leaf(pki, host, "valid", (inter, os.path.join(pki, "intermediate.key")))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[2] == "--leaf":
        main_leaf(os.path.abspath(sys.argv[1]), sys.argv[3])
    elif len(sys.argv) == 2:
        main(os.path.abspath(sys.argv[1]))
    else:
        sys.exit("usage: pki.py RUN_DIR [--leaf HOST]")
