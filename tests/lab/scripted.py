#!/usr/bin/env python3
"""Scripted misbehaving servers for the lab, and the readiness probe.

  scripted.py serve LISTENERS_JSON   run every listener in the file (one process)
  scripted.py wait RUN_DIR SECONDS   wait until the lab's servers answer

Modes (the "mode" of each listener):
  stall                 TCP: accept, read and discard, never send a byte
  smtp-stall            same, on an SMTP port (no banner ever)
  smtp-close-handshake  SMTP up to "220 ready to start TLS", then close as soon
                        as the ClientHello arrives
  smtp-sni-required     SMTP with STARTTLS; the TLS handshake is aborted with an
                        unrecognized_name alert when the client sends no SNI
  smtp-postfix          the lab's Postfix, for one MX kind ("tls" of the
                        listener), when Postfix is unavailable (README "MX
                        backends"): the listener's certificate whatever the
                        SNI; TLS >= 1.2, or exactly 1.2 (tls12-only), or only
                        1.0/1.1 at SECLEVEL=0 (legacy-tls); no STARTTLS in
                        EHLO (no-starttls); STARTTLS answered 454
                        (starttls-454); MAIL accepted, RCPT refused with
                        Postfix's 554 relay reply
  dns-servfail          UDP+TCP DNS: every query gets RCODE=SERVFAIL
  dns-blackhole         UDP: read queries, never answer; TCP: accept, never answer

Hostile modes (tests/integration/hostile.sh): each tries to hold a client for
as long as its own timeouts allow.  TRICKLE seconds between bytes.
  smtp-trickle          the banner, one byte every TRICKLE seconds
  smtp-stall-ehlo       banner, then EHLO is never answered
  smtp-stall-starttls   EHLO offers STARTTLS, STARTTLS is never answered
  smtp-stall-handshake  "220 ready", then the ClientHello is never answered
  smtp-stall-ehlo-tls   TLS completes (valid certificate), EHLO after it is
                        never answered
  smtp-flood            endless "220-" continuation lines, as fast as read
  smtp-huge             one endless banner line without CRLF
  https-trickle         TLS (valid certificate), then the HTTP response one
                        byte every TRICKLE seconds
  dns-tc-trickle        UDP: every answer is empty with TC=1; TCP: the answer
                        (SERVFAIL) one byte every 3 * TRICKLE seconds

Real servers (nginx, Postfix, NSD) cannot be told to behave like this, which is
why these exist.  Only Python's standard library is used.
"""
import asyncio
import json
import os
import socket
import ssl
import struct
import sys
import time
import warnings

HOLD = 3600  # stalled connections are held this long at most
TRICKLE = 1.0  # seconds between the bytes of a trickle


async def hold(reader, writer):
    try:
        while await asyncio.wait_for(reader.read(4096), HOLD):
            pass
    except (asyncio.TimeoutError, ConnectionError):
        pass
    writer.close()


def smtp_handler(name, mode, tls_ctx=None, kind=None):
    """kind: the MX tls kind of an smtp-postfix listener."""
    starttls = kind != "no-starttls"

    async def handle(reader, writer):
        async def say(s):
            writer.write(s.encode() + b"\r\n")
            await writer.drain()
        try:
            await say(f"220 {name} ESMTP lab-scripted ({mode})")
            in_tls = False
            while True:
                line = await asyncio.wait_for(reader.readline(), 300)
                if not line:
                    break
                verb = line.strip().split(b" ")[0].upper()
                if verb in (b"EHLO", b"HELO"):
                    if verb == b"HELO":
                        await say(f"250 {name}")
                    elif in_tls:
                        await say(f"250-{name}\r\n250 PIPELINING")
                    elif starttls:
                        await say(f"250-{name}\r\n250-PIPELINING\r\n250 STARTTLS")
                    else:
                        await say(f"250-{name}\r\n250 PIPELINING")
                elif verb == b"STARTTLS" and kind == "starttls-454":
                    # What Postfix says when it cannot load its key.
                    await say("454 4.7.0 TLS not available due to local problem")
                elif verb == b"STARTTLS" and not in_tls and starttls:
                    await say("220 2.0.0 Ready to start TLS")
                    if mode == "smtp-close-handshake":
                        # Wait for the ClientHello so the close lands mid-handshake.
                        await asyncio.wait_for(reader.read(1), 30)
                        writer.transport.abort()
                        return
                    try:
                        await writer.start_tls(tls_ctx)
                    except (ssl.SSLError, ConnectionError, OSError) as e:
                        print(f"{name}: handshake aborted: {e}", flush=True)
                        writer.transport.abort()
                        return
                    in_tls = True
                elif verb == b"QUIT":
                    await say("221 2.0.0 Bye")
                    break
                elif verb in (b"NOOP", b"RSET"):
                    await say("250 2.0.0 Ok")
                elif mode == "smtp-postfix" and verb == b"MAIL":
                    await say("250 2.1.0 Ok")
                elif mode == "smtp-postfix" and verb == b"RCPT":
                    # The lab's Postfix: smtpd_recipient_restrictions = reject
                    rcpt = line.partition(b":")[2].strip().decode(errors="replace")
                    await say(f"554 5.7.1 {rcpt}: Recipient address rejected: Access denied")
                elif mode == "smtp-postfix" and verb == b"DATA":
                    await say("554 5.5.1 Error: no valid recipients")
                elif mode == "smtp-postfix":
                    await say("500 5.5.2 Error: command not recognized")
                else:
                    await say("502 5.5.2 Error: command not recognized by the lab")
        except (asyncio.TimeoutError, ConnectionError, ssl.SSLError):
            pass
        try:
            writer.close()
        except Exception:
            pass
    return handle


def hostile_smtp(name, mode, tls_ctx=None):
    """The hostile SMTP modes: each stalls (or floods) at one state."""
    async def handle(reader, writer):
        async def say(s):
            writer.write(s.encode() + b"\r\n")
            await writer.drain()
        try:
            if mode == "smtp-trickle":
                for c in f"220 {name} ESMTP trickle\r\n".encode() * 100:
                    writer.write(bytes([c]))
                    await writer.drain()
                    await asyncio.sleep(TRICKLE)
                return
            if mode == "smtp-flood":
                line = b"220-" + b"f" * 70 + b"\r\n"
                while True:
                    writer.write(line * 64)
                    await writer.drain()
            if mode == "smtp-huge":
                writer.write(b"220 ")
                while True:
                    writer.write(b"h" * 4096)
                    await writer.drain()
            await say(f"220 {name} ESMTP lab-scripted ({mode})")
            in_tls = False
            while True:
                line = await asyncio.wait_for(reader.readline(), HOLD)
                if not line:
                    return
                verb = line.strip().split(b" ")[0].upper()
                if verb == b"EHLO":
                    if mode == "smtp-stall-ehlo" or (in_tls and mode == "smtp-stall-ehlo-tls"):
                        await hold(reader, writer)
                        return
                    await say(f"250-{name}\r\n250 STARTTLS" if not in_tls else f"250 {name}")
                elif verb == b"STARTTLS" and not in_tls:
                    if mode == "smtp-stall-starttls":
                        await hold(reader, writer)
                        return
                    await say("220 2.0.0 Ready to start TLS")
                    if mode == "smtp-stall-handshake":
                        await hold(reader, writer)
                        return
                    await writer.start_tls(tls_ctx)
                    in_tls = True
                elif verb == b"QUIT":
                    await say("221 2.0.0 Bye")
                    return
                else:
                    await say("502 5.5.2 Error")
        except (asyncio.TimeoutError, ConnectionError, ssl.SSLError, OSError):
            pass
        finally:
            try:
                writer.close()
            except Exception:
                pass
    return handle


def https_trickle(name):
    async def handle(reader, writer):
        body = b"version: STSv1\nmode: enforce\nmx: *.test\nmax_age: 86400\n"
        resp = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                + str(len(body)).encode() + b"\r\n\r\n" + body)
        try:
            await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            for c in resp:
                writer.write(bytes([c]))
                await writer.drain()
                await asyncio.sleep(TRICKLE)
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                ConnectionError, ssl.SSLError, OSError):
            pass
        try:
            writer.close()
        except Exception:
            pass
    return handle


def dns_tc_reply(q):
    """An empty answer with TC=1: the client must ask again over TCP."""
    r = dns_servfail_reply(q)
    if r is None:
        return None
    flags = struct.unpack("!H", r[2:4])[0]
    flags = (flags & ~0x000F) | 0x0200          # TC, RCODE=0
    return r[:2] + struct.pack("!H", flags) + r[4:]


class ReplyUDP(asyncio.DatagramProtocol):
    """A DNS server over UDP whose every answer is reply(query) (or none)."""

    def __init__(self, reply):
        self.reply = reply

    def connection_made(self, t):
        self.t = t

    def datagram_received(self, data, addr):
        r = self.reply(data)
        if r:
            self.t.sendto(r, addr)


async def dns_tc_trickle_tcp(reader, writer):
    try:
        ln = struct.unpack("!H", await reader.readexactly(2))[0]
        r = dns_servfail_reply(await reader.readexactly(ln))
        if r:
            for c in struct.pack("!H", len(r)) + r:
                writer.write(bytes([c]))
                await writer.drain()
                await asyncio.sleep(3 * TRICKLE)
    except (asyncio.IncompleteReadError, ConnectionError, OSError):
        pass
    writer.close()


def valid_ctx(run_dir, name):
    d = os.path.join(run_dir, "pki", "hosts", name, "valid")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(d, "chain.pem"), os.path.join(d, "key.pem"))
    return ctx


HOSTILE_SMTP = ("smtp-trickle", "smtp-stall-ehlo", "smtp-stall-starttls", "smtp-stall-handshake",
                "smtp-stall-ehlo-tls", "smtp-flood", "smtp-huge")


def postfix_ctx(run_dir, name, kind, cert):
    """The certificate and TLS versions the lab's Postfix uses for kind."""
    d = os.path.join(run_dir, "pki", "hosts", name, cert)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(d, "chain.pem"), os.path.join(d, "key.pem"))
    if kind == "legacy-tls":
        # OpenSSL 3 refuses TLS < 1.2 at its default security level, as for Postfix.
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        with warnings.catch_warnings():     # deprecated: that is the point of the kind
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = ssl.TLSVersion.TLSv1
            ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    else:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2    # smtpd_tls_protocols = >=TLSv1.2
        if kind == "tls12-only":
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def sni_required_ctx(chain, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(chain, key)

    def on_sni(sslobj, server_name, ctx_):
        if server_name is None:
            return ssl.ALERT_DESCRIPTION_UNRECOGNIZED_NAME
        return None
    ctx.sni_callback = on_sni
    return ctx


def dns_servfail_reply(q):
    if len(q) < 12:
        return None
    qid, flags, qd = struct.unpack("!HHH", q[:6])
    if flags & 0x8000:
        return None
    # Echo the question section so resolvers accept the reply as matching.
    i = 12
    for _ in range(qd):
        while i < len(q) and q[i] != 0:
            i += 1 + q[i]
        i += 5
    rflags = 0x8000 | (flags & 0x7900) | 0x0002   # QR, opcode, RD; RCODE=2
    return struct.pack("!HHHHHH", qid, rflags, qd, 0, 0, 0) + q[12:i]



class BlackholeUDP(asyncio.DatagramProtocol):
    def datagram_received(self, data, addr):
        pass


async def dns_servfail_tcp(reader, writer):
    try:
        while True:
            ln = struct.unpack("!H", await reader.readexactly(2))[0]
            r = dns_servfail_reply(await reader.readexactly(ln))
            if r:
                writer.write(struct.pack("!H", len(r)) + r)
                await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    writer.close()


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


async def serve(path):
    with open(path) as f:
        listeners = json.load(f)["listeners"]
    run_dir = os.path.dirname(os.path.abspath(path))
    loop = asyncio.get_running_loop()
    servers = []
    for l in listeners:
        mode, addr, port, name = l["mode"], l["addr"], l["port"], l.get("name", "lab")
        if mode in ("stall", "smtp-stall"):
            servers.append(await asyncio.start_server(hold, addr, port, reuse_address=True))
        elif mode == "smtp-postfix":
            ctx = postfix_ctx(run_dir, name, l["tls"], l["cert"])
            servers.append(await asyncio.start_server(smtp_handler(name, mode, ctx, l["tls"]),
                                                      addr, port, reuse_address=True))
        elif mode in ("smtp-close-handshake", "smtp-sni-required"):
            ctx = None
            if mode == "smtp-sni-required":
                d = os.path.join(run_dir, "pki", "hosts", name, "valid")
                ctx = sni_required_ctx(os.path.join(d, "chain.pem"), os.path.join(d, "key.pem"))
            servers.append(await asyncio.start_server(smtp_handler(name, mode, ctx), addr, port,
                                                      reuse_address=True))
        elif mode in HOSTILE_SMTP:
            ctx = valid_ctx(run_dir, name) if mode == "smtp-stall-ehlo-tls" else None
            servers.append(await asyncio.start_server(hostile_smtp(name, mode, ctx), addr, port,
                                                      reuse_address=True))
        elif mode == "https-trickle":
            servers.append(await asyncio.start_server(https_trickle(name), addr, port,
                                                      ssl=valid_ctx(run_dir, name), reuse_address=True))
        elif mode == "dns-tc-trickle":
            await loop.create_datagram_endpoint(lambda: ReplyUDP(dns_tc_reply), local_addr=(addr, port), family=family(addr))
            servers.append(await asyncio.start_server(dns_tc_trickle_tcp, addr, port, reuse_address=True))
        elif mode == "dns-servfail":
            await loop.create_datagram_endpoint(lambda: ReplyUDP(dns_servfail_reply), local_addr=(addr, port), family=family(addr))
            servers.append(await asyncio.start_server(dns_servfail_tcp, addr, port, reuse_address=True))
        elif mode == "dns-blackhole":
            await loop.create_datagram_endpoint(BlackholeUDP, local_addr=(addr, port), family=family(addr))
            servers.append(await asyncio.start_server(hold, addr, port, reuse_address=True))
        else:
            sys.exit(f"scripted.py: unknown mode {mode}")
        print(f"listening {mode} {addr} {port} ({name})", flush=True)
    print("ready", flush=True)
    await asyncio.Event().wait()


def dns_query(server, qname, timeout):
    """One UDP query; returns the RCODE, or None when nothing came back."""
    qid = os.getpid() & 0xFFFF
    q = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in qname.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    q += b"\0" + struct.pack("!HH", 6, 1)  # SOA IN
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    try:
        s.sendto(q, (server, 53))
        r = s.recv(4096)
        return r[3] & 0x0F
    except OSError:
        return None
    finally:
        s.close()


def tcp_up(addr, port):
    try:
        with socket.create_connection((addr, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait(run_dir, seconds):
    with open(os.path.join(run_dir, "endpoints.json")) as f:
        eps = json.load(f)
    with open(os.path.join(run_dir, "scenarios.json")) as f:
        infra = json.load(f)["infra"]
    pending = {(e["service"], e["addr"], e["port"]) for e in eps}
    dns = {("nsd", infra["authoritative"]), ("unbound", infra["resolver"])}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pending = {p for p in pending if not tcp_up(p[1], p[2])}
        dns = {d for d in dns if dns_query(d[1], "test.", 0.5) != 0}
        if not pending and not dns:
            return 0
        time.sleep(0.1)
    for p in sorted(pending):
        print(f"not answering: {p[0]} on {p[1]} port {p[2]}")
    for d in sorted(dns):
        print(f"not answering: {d[0]} on {d[1]} port 53 (SOA test.)")
    return 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        try:
            asyncio.run(serve(sys.argv[2]))
        except KeyboardInterrupt:
            pass
    elif len(sys.argv) == 4 and sys.argv[1] == "wait":
        sys.exit(wait(sys.argv[2], float(sys.argv[3])))
    else:
        sys.exit(__doc__)
