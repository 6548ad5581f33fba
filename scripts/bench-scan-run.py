#!/usr/bin/env python3
"""One measured run for scripts/bench-scan.sh: prints one line of figures.

usage: bench-scan-run.py TOOL NS LABEL DOMAINFILE KIND CONC
KIND: scan (mtasts-tui scan), xargs-check (xargs -P CONC mtasts-tui check
--json), xargs-smtp-check (xargs -P CONC smtp-check).  CPU is user + system
time of the process and every descendant it waited for (wait4); peak RSS is
the largest single process (ru_maxrss of the children is a maximum, not a
sum: for xargs it is the largest check, which is what one check costs).
"""
import os, subprocess, sys, time

tool, ns, label, dfile, kind, conc = sys.argv[1:7]
n = sum(1 for line in open(dfile) if line.strip())
out = dfile + ".out"
if kind == "scan":
    # --no-db: the figures stay comparable with the run in doc/bench-scan.txt
    # (made before scans were recorded), and nothing goes into the user's
    # state directory.
    cmd = [tool, "scan", "--no-db", "--concurrency", conc, "--out", out, dfile]
    stdin = subprocess.DEVNULL
elif kind == "xargs-check":
    cmd = ["xargs", "-P", conc, "-n", "1", tool, "check", "--json", "--no-history"]
    stdin = open(dfile)
else:
    # Go's x509 trusts the lab root and nothing else (as tests/lab/chasquid.sh).
    root = os.path.join(os.environ["MTASTS_LAB_DIR"], "pki", "root.pem")
    cmd = ["env", "SSL_CERT_FILE=" + root, "SSL_CERT_DIR=/nonexistent",
           "xargs", "-P", conc, "-n", "1", "smtp-check"]
    stdin = open(dfile)
if os.path.exists(out):
    os.unlink(out)
t0 = time.monotonic()
p = subprocess.Popen(["ip", "netns", "exec", ns] + cmd, stdin=stdin,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, ru = os.wait4(p.pid, 0)
wall = time.monotonic() - t0
cpu = ru.ru_utime + ru.ru_stime
done = n
if kind == "scan":
    try:
        done = sum(1 for line in open(out)
                   if line.endswith("\n") and not line.startswith('{"mtasts_scan'))
    except OSError:
        done = 0
print("%-34s %8d %9.1f %10.1f %12.1f %10.1f" % (
    label, done, wall, done / wall if wall > 0 else 0,
    1000.0 * cpu / max(done, 1), ru.ru_maxrss / 1024.0))
