#!/usr/bin/env python3
"""Delaying relays for the lab: a round-trip time without netem.

  relay.py serve RELAYS_JSON [K/N] run every relay in the file (one process),
                                   or only every Nth from the Kth (1-based):
                                   `lab up` runs N of them for a scale population
  relay.py wait RELAYS_JSON SECS   wait until every TCP front accepts

`lab up` with MTASTS_LAB_DELAY_MS=N makes gen.py move the real servers from
their public port P to P + 10000 on the same address and write relays.json;
this program then listens on the public address:port and forwards:

  UDP (DNS)  each datagram is held N ms in each direction, so one query costs
             one round trip (2N ms).
  TCP        every chunk read is written N ms later, in each direction, in
             order; reading never waits for writing, so chunks pipeline as on
             a real link (no bandwidth limit).  The TCP handshake, which the
             relay cannot delay because the kernel completes it at once, is
             modelled so that what the application sees matches a real link
             of round-trip time 2N:
               - the upstream server is connected 1.5 RTT after the client's
                 connect (when its accept() would return on a real link), so
                 a greeting (SMTP banner) reaches the client 2 RTT after the
                 connect, as for real;
               - a byte the client sends is treated as sent no earlier than
                 1 RTT after its connect (when connect() would have
                 returned), so it reaches the server at >= 1.5 RTT.
             The only thing the client sees that a real link would not show
             is connect() returning at once instead of after 1 RTT.
  EOF is forwarded (half-close) with the same delay; a reset or error on
  either side closes both.

Only Python's standard library is used.  relays.json:
  {"delay_ms": 25, "relays": [{"proto": "tcp"|"udp", "addr": "127.0.1.1",
   "port": 443, "upstream_port": 10443, "name": "..."}]}
"""
import asyncio
import json
import socket
import sys
import time

CHUNK = 65536
UDP_IDLE = 30.0          # an upstream UDP socket with no reply is dropped after this


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


class Pipe:
    """One direction of a TCP relay: chunks are written `delay` after `not_before(read time)`."""

    def __init__(self, reader, delay, floor=0.0):
        self.reader = reader
        self.delay = delay
        self.floor = floor          # loop time before which nothing counts as sent
        self.queue = asyncio.Queue()

    async def read_side(self):
        loop = asyncio.get_running_loop()
        try:
            while True:
                data = await self.reader.read(CHUNK)
                self.queue.put_nowait((max(loop.time(), self.floor) + self.delay, data))
                if not data:
                    return
        except (ConnectionError, OSError):
            self.queue.put_nowait((None, None))   # error: close without delay

    async def write_side(self, writer):
        loop = asyncio.get_running_loop()
        while True:
            when, data = await self.queue.get()
            if when is None:
                return False
            wait = when - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                try:
                    if writer.can_write_eof():
                        writer.write_eof()
                except (ConnectionError, OSError):
                    return False
                return True
            try:
                writer.write(data)
                await writer.drain()
            except (ConnectionError, OSError):
                return False


def tcp_handler(addr, up_port, delay, log):
    rtt = 2 * delay

    async def handle(creader, cwriter):
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        # Client -> server starts reading at once, so each chunk keeps its own time.
        c2s = Pipe(creader, delay, floor=t0 + rtt)
        c2s_read = asyncio.ensure_future(c2s.read_side())
        uwriter = None
        try:
            await asyncio.sleep(1.5 * rtt)
            try:
                ureader, uwriter = await asyncio.open_connection(addr, up_port)
            except OSError as e:
                log(f"{addr}:{up_port}: upstream connect failed: {e}")
                return
            for w in (cwriter, uwriter):
                s = w.get_extra_info("socket")
                if s is not None:
                    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s2c = Pipe(ureader, delay)
            tasks = [c2s_read,
                     asyncio.ensure_future(c2s.write_side(uwriter)),
                     asyncio.ensure_future(s2c.read_side()),
                     asyncio.ensure_future(s2c.write_side(cwriter))]
            writers_done = 0
            pending = set(tasks)
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for t in done:
                    if t in (tasks[1], tasks[3]):
                        writers_done += 1
                        if t.result() is False:     # error on one side: drop both
                            pending = set()
                            break
                if writers_done == 2:
                    break
            for t in tasks:
                t.cancel()
        except asyncio.CancelledError:
            raise
        finally:
            c2s_read.cancel()
            for w in (cwriter, uwriter):
                if w is not None:
                    try:
                        w.close()
                    except Exception:
                        pass
    return handle


class UDPFront(asyncio.DatagramProtocol):
    """Public side of a UDP relay: each client datagram goes out on its own upstream socket."""

    def __init__(self, addr, up_port, delay):
        self.addr, self.up_port, self.delay = addr, up_port, delay

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, client):
        asyncio.ensure_future(self.forward(data, client))

    async def forward(self, data, client):
        loop = asyncio.get_running_loop()
        front = self
        got = loop.create_future()

        class Up(asyncio.DatagramProtocol):
            def datagram_received(self, reply, _addr):
                loop.call_later(front.delay, front.reply, reply, client)
                if not got.done():
                    got.set_result(True)

        await asyncio.sleep(self.delay)
        try:
            t, _ = await loop.create_datagram_endpoint(
                Up, remote_addr=(self.addr, self.up_port), family=family(self.addr))
        except OSError:
            return
        try:
            t.sendto(data)
            await asyncio.wait_for(got, UDP_IDLE)
            # A few more replies (rare) still get through while we linger briefly.
            await asyncio.sleep(0.5)
        except (asyncio.TimeoutError, OSError):
            pass
        finally:
            t.close()

    def reply(self, data, client):
        try:
            self.transport.sendto(data, client)
        except OSError:
            pass


async def serve(path, shard=(1, 1)):
    with open(path) as f:
        cfg = json.load(f)
    k, n = shard
    cfg["relays"] = cfg["relays"][k - 1::n]
    delay = cfg["delay_ms"] / 1000.0
    loop = asyncio.get_running_loop()

    def log(msg):
        print(f"{time.strftime('%H:%M:%S')} {msg}", flush=True)

    keep = []
    for r in cfg["relays"]:
        addr, port, up = r["addr"], r["port"], r["upstream_port"]
        if r["proto"] == "udp":
            t, _ = await loop.create_datagram_endpoint(
                lambda a=addr, u=up: UDPFront(a, u, delay), local_addr=(addr, port), family=family(addr))
            # A scan sends bursts of queries: a datagram dropped here would
            # cost the client a timeout, which a real resolver would not.
            try:
                t.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
            except OSError:
                pass
            keep.append(t)
        else:
            keep.append(await asyncio.start_server(tcp_handler(addr, up, delay, log), addr, port,
                                                   reuse_address=True))
        log(f"relay {r['proto']} {addr}:{port} -> :{up} delay {cfg['delay_ms']} ms ({r.get('name', '')})")
    log("ready")
    await asyncio.Event().wait()


def wait(path, seconds):
    with open(path) as f:
        cfg = json.load(f)
    pending = {(r["addr"], r["port"]) for r in cfg["relays"] if r["proto"] == "tcp"}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = set()
        for addr, port in pending:
            try:
                socket.create_connection((addr, port), timeout=0.5).close()
            except OSError:
                left.add((addr, port))
        pending = left
        if not pending:
            return 0
        time.sleep(0.1)
    for addr, port in sorted(pending):
        print(f"relay not listening on {addr} port {port}")
    return 1


if __name__ == "__main__":
    if len(sys.argv) in (3, 4) and sys.argv[1] == "serve":
        kn = (1, 1)
        if len(sys.argv) == 4:
            kk, _, nn = sys.argv[3].partition("/")
            if not (kk.isdigit() and nn.isdigit() and 1 <= int(kk) <= int(nn)):
                sys.exit("relay.py: shard must be K/N with 1 <= K <= N")
            kn = (int(kk), int(nn))
        try:
            asyncio.run(serve(sys.argv[2], kn))
        except KeyboardInterrupt:
            pass
    elif len(sys.argv) == 4 and sys.argv[1] == "wait":
        sys.exit(wait(sys.argv[2], float(sys.argv[3])))
    else:
        sys.exit(__doc__)
