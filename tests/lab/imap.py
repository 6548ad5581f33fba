#!/usr/bin/env python3
"""The lab's IMAP mailbox: a Dovecot config and a Maildir of TLS-RPT messages.

    imap.py RUN_DIR CORPUS_DIR

Writes RUN_DIR/dovecot/ (dovecot.conf, passwd, its base and state dirs; never
/etc/dovecot) and the mailbox of user `reports` (password in
RUN_DIR/dovecot/password): every report of the shared corpus's tlsrpt/ folder
as a real message (a .eml as it is; a .json wrapped as multipart/report;
report-type=tlsrpt with an application/tlsrpt+gzip part, every other one as
+json) plus the quirky cases real reporters send.  The same messages go to
RUN_DIR/imap/expected/ as .eml files, so a test can compare reading the
mailbox with reading files.  TLS comes from the lab CA (pki.py --leaf).
"""
import base64
import gzip
import json
import os
import shutil
import subprocess
import sys

HOST = "imap.lab.test"
HOSTILE = "hostile-imap.lab.test"   # tests/lab/imap_hostile.py, started by the test
ADDR = "127.0.143.1"       # Dovecot, imaps on 993
STALL = "127.0.143.2"      # a listener that accepts and never answers (the test starts it)
USER = "reports"
PASSWORD = "lab-imap-secret"
NOBODY = 65534             # the mail user: Dovecot refuses root for mail access

# Derived from the RFC 8460 section 4.4 example, written here; each carries
# one quirk the reader must take as a note, not lose the report for.
RFC_BASE = {
    "organization-name": "Quirk Reporter",
    "date-range": {"start-datetime": "2026-11-20T00:00:00Z",
                   "end-datetime": "2026-11-20T23:59:59Z"},
    "contact-info": "tlsrpt@reporter.example",
    "report-id": "quirk-base",
    "policies": [{
        "policy": {"policy-type": "sts",
                   "policy-string": ["version: STSv1", "mode: testing",
                                     "mx: mx.quirk.example", "max_age: 86400"],
                   "policy-domain": "quirk.example",
                   "mx-host": ["mx.quirk.example"]},
        "summary": {"total-successful-session-count": 10,
                    "total-failure-session-count": 1},
        "failure-details": [{"result-type": "certificate-expired",
                             "sending-mta-ip": "192.0.2.1",
                             "receiving-mx-hostname": "mx.quirk.example",
                             "failed-session-count": 1}]}]}


def quirks():
    out = []

    def variant(rid, f):
        r = json.loads(json.dumps(RFC_BASE))
        r["report-id"] = rid
        f(r)
        out.append((rid, r))
    variant("quirk-no-sending-mta-ip",
            lambda r: r["policies"][0]["failure-details"][0].pop("sending-mta-ip"))
    variant("quirk-mx-host-string",
            lambda r: r["policies"][0]["policy"].__setitem__("mx-host", "mx.quirk.example"))
    variant("quirk-mx-host-array", lambda r: None)

    def nozone(r):
        r["date-range"] = {"start-datetime": "2026-11-21T00:00:00",
                           "end-datetime": "2026-11-21T23:59:59"}
    variant("quirk-no-zone", nozone)
    variant("quirk-no-policy-domain",
            lambda r: r["policies"][0]["policy"].pop("policy-domain"))
    return out


def wrap(name, body, gz, n):
    """A multipart/report; report-type=tlsrpt message carrying body."""
    b = "tlsrpt-lab-boundary-%d" % n
    if gz:
        ctype, data = "application/tlsrpt+gzip", gzip.compress(body, mtime=0)
        fname = name + ".json.gz"
    else:
        ctype, data, fname = "application/tlsrpt+json", body, name + ".json"
    enc = base64.encodebytes(data).decode()
    return ("From: tlsrpt@reporter.example\r\n"
            "To: reports@lab.test\r\n"
            "Subject: Report Domain: lab.test Submitter: reporter.example Report-ID: <%s>\r\n"
            "Date: Fri, 20 Nov 2026 12:00:%02d +0000\r\n"
            "Message-ID: <lab-%d@reporter.example>\r\n"
            "TLS-Report-Domain: lab.test\r\n"
            "TLS-Report-Submitter: reporter.example\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: multipart/report; report-type=\"tlsrpt\";\r\n"
            "\tboundary=\"%s\"\r\n"
            "\r\n"
            "--%s\r\n"
            "Content-Type: text/plain; charset=us-ascii\r\n"
            "\r\n"
            "This is an aggregate TLS report.\r\n"
            "\r\n"
            "--%s\r\n"
            "Content-Type: %s\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            "Content-Disposition: attachment; filename=\"%s\"\r\n"
            "\r\n"
            "%s"
            "--%s--\r\n" % (name, n % 60, n, b, b, b, ctype, fname,
                            enc.replace("\n", "\r\n"), b)).encode()


def messages(corpus):
    msgs = []
    d = os.path.join(corpus, "tlsrpt")
    n = 0
    for f in sorted(os.listdir(d)):
        p = os.path.join(d, f)
        # The attachments and expected.json repeat what an .eml carries or
        # are not reports; the .eml itself is the message.
        if f.endswith(".attachment.json") or f.endswith("expected.json"):
            continue
        with open(p, "rb") as fh:
            data = fh.read()
        n += 1
        if f.endswith(".eml"):
            msgs.append((f, data))
        elif f.endswith(".json"):
            msgs.append((f + ".eml", wrap(f[:-5], data, n % 2 == 1, n)))
    for rid, r in quirks():
        n += 1
        msgs.append((rid + ".eml",
                     wrap(rid, json.dumps(r, indent=1).encode(), n % 2 == 1, n)))
    return msgs


def maildir(path):
    for s in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(path, s), exist_ok=True)


def main(rd, corpus):
    dv = os.path.join(rd, "dovecot")
    im = os.path.join(rd, "imap")
    for p in (dv, im):
        shutil.rmtree(p, ignore_errors=True)
    for p in ("base", "state"):
        os.makedirs(os.path.join(dv, p))
    exp = os.path.join(im, "expected")
    os.makedirs(exp)
    home = os.path.join(im, "home", USER)
    inbox = os.path.join(home, "Maildir")
    maildir(inbox)
    # A folder path: Archive/tlsrpt holds one message (LAYOUT=fs: a subdirectory).
    folder = os.path.join(inbox, "Archive", "tlsrpt")
    maildir(folder)
    # UIDs in the order of the file names: reading the mailbox and reading
    # expected/ then meet the reports in the same order.
    for i, (name, data) in enumerate(sorted(messages(corpus))):
        with open(os.path.join(exp, name), "wb") as f:
            f.write(data)
        # Maildir names sort in the order given: Dovecot gives UIDs in it.
        with open(os.path.join(inbox, "cur", "1700000000.M%03d.lab:2," % i), "wb") as f:
            f.write(data)
    with open(os.path.join(corpus, "tlsrpt", "stalwart-mailauth__rpt01.eml"), "rb") as f:
        rpt01 = f.read()
    with open(os.path.join(folder, "cur", "1700000000.M000.lab:2,"), "wb") as f:
        f.write(rpt01)
    # A folder name outside ASCII: "Berichte/Übersicht", stored (and named
    # over IMAP) in modified UTF-7.
    utf = os.path.join(inbox, "Berichte", "&ANw-bersicht")
    maildir(utf)
    with open(os.path.join(utf, "cur", "1700000000.M000.lab:2,"), "wb") as f:
        f.write(rpt01)

    subprocess.run(["python3", os.path.join(os.path.dirname(os.path.abspath(__file__)), "pki.py"),
                    rd, "--leaf", HOST], check=True)
    subprocess.run(["python3", os.path.join(os.path.dirname(os.path.abspath(__file__)), "pki.py"),
                    rd, "--leaf", HOSTILE], check=True)
    cert = os.path.join(rd, "pki", "hosts", HOST, "valid")
    with open(os.path.join(dv, "password"), "w") as f:
        f.write(PASSWORD + "\n")
    os.chmod(os.path.join(dv, "password"), 0o600)
    with open(os.path.join(dv, "passwd"), "w") as f:
        f.write("%s:{PLAIN}%s:%d:%d::%s::\n" % (USER, PASSWORD, NOBODY, NOBODY, home))
    with open(os.path.join(dv, "dovecot.conf"), "w") as f:
        f.write(f"""# Written by tests/lab/imap.py; the lab's own Dovecot, never /etc/dovecot.
base_dir = {dv}/base
state_dir = {dv}/state
log_path = {rd}/logs/dovecot.log
protocols = imap
listen = {ADDR}
ssl = required
ssl_cert = <{cert}/chain.pem
ssl_key = <{cert}/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
default_internal_user = dovecot
default_login_user = dovenull
mail_location = maildir:~/Maildir:LAYOUT=fs
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dv}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {dv}/passwd
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = 993
    ssl = yes
  }}
}}
""")
    for root, dirs, files in os.walk(os.path.join(im, "home")):
        for p in dirs + files:
            os.chown(os.path.join(root, p), NOBODY, NOBODY)
    os.chown(os.path.join(im, "home"), NOBODY, NOBODY)
    # Dovecot's mail processes run as nobody: the run dir must be traversable.
    for p in (rd, im):
        os.chmod(p, os.stat(p).st_mode | 0o711)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: imap.py RUN_DIR CORPUS_DIR")
    main(os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]))
