#!/usr/bin/env python3
"""Writes the hand-made seed inputs of the fuzz targets that take binary
input (DNS replies in wire format).  Run from the top of the tree; the
files are committed, so this is only needed to change them."""
import os
import struct

OUT = "tests/fuzz/corpus"


def name(n):
    b = b""
    for label in n.rstrip(".").split("."):
        if label:
            b += bytes([len(label)]) + label.encode()
    return b + b"\0"


def rr(owner, rtype, rdata, ttl=300, ptr=None):
    o = struct.pack(">H", 0xC000 | ptr) if ptr is not None else name(owner)
    return o + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata


def txt(*strings):
    return b"".join(bytes([len(s)]) + s for s in strings)


def msg(qname, qtype, answers, rcode=0, ad=False, ident=0x1234):
    flags = 0x8180 | rcode | (0x20 if ad else 0)
    head = struct.pack(">HHHHHH", ident, flags, 1, len(answers), 0, 0)
    return head + name(qname) + struct.pack(">HH", qtype, 1) + b"".join(answers)


def write(target, fname, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, fname), "wb") as f:
        f.write(data)


q = "_mta-sts.example.com"
write("dns", "txt_one", msg(q, 16, [rr(q, 16, txt(b"v=STSv1; id=20240101T000000"), ptr=12)]))
write("dns", "txt_split", msg(q, 16, [rr(q, 16, txt(b"v=STSv1; ", b"id=1"), ptr=12),
                                      rr(q, 16, txt(b"v=spf1 -all"), ptr=12)]))
write("dns", "txt_binary", msg(q, 16, [rr(q, 16, txt(b"v=STSv1; id=\x1b[2J\x00\xff"), ptr=12)], ad=True))
write("dns", "cname_chain", msg(q, 16, [
    rr(q, 5, name("_mta-sts.provider.net"), ptr=12),
    rr("_mta-sts.provider.net", 5, name("sts.provider.net")),
    rr("sts.provider.net", 16, txt(b"v=STSv1; id=2"))]))
write("dns", "cname_loop", msg("a.example", 1, [
    rr("a.example", 5, name("b.example"), ptr=12),
    rr("b.example", 5, name("a.example"))]))
write("dns", "mx_two", msg("example.com", 15, [
    rr("example.com", 15, struct.pack(">H", 10) + name("mx1.example.com"), ptr=12),
    rr("example.com", 15, struct.pack(">H", 20) + name("mx2.example.com"), ptr=12)]))
write("dns", "mx_null", msg("example.com", 15, [
    rr("example.com", 15, struct.pack(">H", 0) + b"\0", ptr=12)]))
write("dns", "mx_odd_label", msg("example.com", 15, [
    rr("example.com", 15, struct.pack(">H", 10) + b"\x04m\x1bx.\x07example\x03com\x00", ptr=12)]))
write("dns", "a_aaaa", msg("mta-sts.example.com", 1, [
    rr("mta-sts.example.com", 1, bytes([192, 0, 2, 7]), ptr=12),
    rr("mta-sts.example.com", 28, bytes(range(16)), ptr=12)]))
write("dns", "aaaa", msg("mx1.example.com", 28, [
    rr("mx1.example.com", 28, bytes.fromhex("20010db8000000000000000000000025"), ptr=12)]))
tq = "_25._tcp.mx1.example.com"
write("dns", "tlsa", msg(tq, 52, [
    rr(tq, 52, bytes([3, 1, 1]) + bytes(range(32)), ptr=12),
    rr(tq, 52, bytes([2, 0, 1]) + bytes(range(32, 64)), ptr=12)], ad=True))
write("dns", "tlsa_short", msg(tq, 52, [rr(tq, 52, bytes([3, 1]), ptr=12)]))
write("dns", "nxdomain", msg(q, 16, [], rcode=3))
write("dns", "servfail", msg(q, 16, [], rcode=2))
write("dns", "refused", msg(q, 16, [], rcode=5))
write("dns", "nodata", msg(q, 16, []))
