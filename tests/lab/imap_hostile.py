#!/usr/bin/env python3
"""A hostile IMAP server for report-imap.sh: a real TLS login, then answers
that break the rules in one way each (MODE).

    imap_hostile.py CERT_DIR ADDR PORT MODE

CERT_DIR holds the lab CA's chain.pem and key.pem for the name the client
uses.  Modes: endless-line (an untagged line that never ends), big-literal
(a literal far over the size announced), bad-literal (a literal length that
is no number), short-literal (a literal cut off by the server closing),
many-uids (a SEARCH line over the line cap), garbage-size (RFC822.SIZE that
is no number, then a normal message), slow (five messages, each sent after
0.4 s: a read that takes over a second, for the progress line).
"""
import socket
import ssl
import sys
import threading
import time

MSG = (b"From: x@reporter.example\r\nSubject: r\r\nMIME-Version: 1.0\r\n"
       b"Content-Type: application/tlsrpt+json\r\n\r\n"
       b'{"organization-name":"Hostile","report-id":"hostile-1",'
       b'"date-range":{"start-datetime":"2026-11-20T00:00:00Z","end-datetime":"2026-11-20T23:59:59Z"},'
       b'"contact-info":"x@reporter.example","policies":[{"policy":{"policy-type":"sts",'
       b'"policy-domain":"hostile.example"},"summary":{"total-successful-session-count":1,'
       b'"total-failure-session-count":0}}]}\r\n')


def serve(conn, mode):
    f = conn.makefile("rwb", buffering=0)
    f.write(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hostile ready\r\n")
    while True:
        line = f.readline()
        if not line:
            return
        parts = line.rstrip(b"\r\n").split(b" ", 2)
        tag, cmd = parts[0], parts[1].upper() if len(parts) > 1 else b""
        rest = parts[2] if len(parts) > 2 else b""
        if cmd == b"CAPABILITY":
            f.write(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + b" OK done\r\n")
        elif cmd == b"AUTHENTICATE":
            if b" " not in rest:          # the initial response on the next line
                f.write(b"+ \r\n")
                f.readline()
            f.write(tag + b" OK logged in\r\n")
        elif cmd == b"LOGIN":
            f.write(tag + b" OK logged in\r\n")
        elif cmd == b"EXAMINE":
            if mode == "endless-line":
                f.write(b"* OK ")
                chunk = b"x" * 65536
                try:
                    while True:
                        f.write(chunk)
                except OSError:
                    return
            f.write(b"* OK [UIDVALIDITY 7] ok\r\n" + tag + b" OK [READ-ONLY] done\r\n")
        elif cmd == b"UID" and rest.upper().startswith(b"SEARCH"):
            if mode == "many-uids":
                f.write(b"* SEARCH")
                try:
                    for i in range(1, 3000000):
                        f.write(b" %d" % i)
                except OSError:
                    return
                f.write(b"\r\n" + tag + b" OK done\r\n")
            elif mode == "slow":
                f.write(b"* SEARCH 1 2 3 4 5\r\n" + tag + b" OK done\r\n")
            else:
                f.write(b"* SEARCH 1\r\n" + tag + b" OK done\r\n")
        elif cmd == b"UID" and b"RFC822.SIZE" in rest.upper():
            size = b"lots" if mode == "garbage-size" else b"%d" % len(MSG)
            f.write(b"* 1 FETCH (UID 1 RFC822.SIZE " + size + b")\r\n" + tag + b" OK done\r\n")
        elif cmd == b"UID" and b"BODY.PEEK" in rest.upper():
            if mode == "big-literal":
                f.write(b"* 1 FETCH (UID 1 BODY[] {99999999999}\r\n")
                try:
                    while True:
                        f.write(b"y" * 65536)
                except OSError:
                    return
            elif mode == "slow":
                time.sleep(0.4)
                f.write(b"* 1 FETCH (UID 1 BODY[] {%d}\r\n" % len(MSG) + MSG + b")\r\n")
            elif mode == "bad-literal":
                f.write(b"* 1 FETCH (UID 1 BODY[] {12a}\r\n")
            elif mode == "short-literal":
                f.write(b"* 1 FETCH (UID 1 BODY[] {%d}\r\n" % (len(MSG) + 1000) + MSG)
                return
            else:
                f.write(b"* 1 FETCH (UID 1 BODY[] {%d}\r\n" % len(MSG) + MSG + b")\r\n")
            f.write(tag + b" OK done\r\n")
        elif cmd == b"LOGOUT":
            f.write(b"* BYE\r\n" + tag + b" OK bye\r\n")
            return
        else:
            f.write(tag + b" BAD what\r\n")


def main(certdir, addr, port, mode):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(certdir + "/chain.pem", certdir + "/key.pem")
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    s.listen(8)
    while True:
        c, _ = s.accept()

        def run(c=c):
            try:
                with ctx.wrap_socket(c, server_side=True) as t:
                    serve(t, mode)
            except (OSError, ssl.SSLError):
                pass
        threading.Thread(target=run, daemon=True).start()


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit("usage: imap_hostile.py CERT_DIR ADDR PORT MODE")
    main(*sys.argv[1:])
