#!/bin/sh
# Local HTTPS policy servers for the policy fetch tests, on loopback only.
#
#   fetch-local.sh start DIR   makes a test PKI in DIR (certtool), starts one
#                              python3 process serving every scenario on its
#                              own 127.0.0.1 port (some also on ::1), writes
#                              DIR/ports ("scenario port" lines), DIR/pid and
#                              DIR/ca.pem, and returns once it listens.
#   fetch-local.sh stop DIR    stops that process (by its pid only).
#   fetch-local.sh             runs tests/unit/test_policy_fetch (which calls
#                              start/stop itself) and prints its TAP lines.
#
# Requests are logged to DIR/requests ("scenario sni=... host=... ua=..."
# plus the request header names) so the test can check what we send.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

mk() {
	name=$1 signer=$2
	shift 2
	certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 \
	    --outfile "$name.key" 2>/dev/null
	printf '%s\n' "$@" > "$name.tmpl"
	if [ "$signer" = self ]; then
		certtool --generate-self-signed --load-privkey "$name.key" \
		    --template "$name.tmpl" --outfile "$name.pem" 2>/dev/null
	else
		certtool --generate-certificate --load-privkey "$name.key" \
		    --load-ca-certificate "$signer.pem" \
		    --load-ca-privkey "$signer.key" \
		    --template "$name.tmpl" --outfile "$name.pem" 2>/dev/null
	fi
}

pki() {
	host='dns_name = "mta-sts.example.test"'
	leaf='tls_www_server signing_key encryption_key'
	mk ca self 'cn = "Fetch Test Root"' ca cert_signing_key \
	    'expiration_days = 30'
	mk int ca 'cn = "Fetch Test Intermediate"' ca cert_signing_key \
	    'expiration_days = 30'
	mk leaf int 'cn = "mta-sts.example.test"' "$host" $leaf \
	    'expiration_days = 30'
	mk expired int "$host" $leaf \
	    'activation_date = "2020-01-01 00:00:00"' \
	    'expiration_date = "2021-01-01 00:00:00"'
	mk wrongname int 'dns_name = "mta-sts.other.test"' $leaf \
	    'expiration_days = 30'
	mk cnonly int 'cn = "mta-sts.example.test"' $leaf \
	    'expiration_days = 30'
	mk selfsigned self "$host" $leaf 'expiration_days = 30'
	cat leaf.pem int.pem > leaf-chain.pem
	cat expired.pem int.pem > expired-chain.pem
	cat wrongname.pem int.pem > wrongname-chain.pem
	cat cnonly.pem int.pem > cnonly-chain.pem
}

server_py() {
	cat <<'EOF'
import os, socket, ssl, sys, threading, time

d = sys.argv[1]
POLICY = b"version: STSv1\r\nmode: enforce\r\nmx: mx.example.test\r\nmax_age: 86400\r\n"
OK = [("Content-Type", "text/plain; charset=utf-8")]
# scenario: (cert, key, status, headers, body, tls options)
S = {
    "ok": ("leaf-chain", "leaf", 200, OK, POLICY, None),
    "notfound": ("leaf-chain", "leaf", 404, [("Content-Type", "text/html")],
                 b"<html>not here</html>", None),
    "redirect": ("leaf-chain", "leaf", 301,
                 [("Location", "https://www.example.test/mta-sts.txt"),
                  ("Content-Type", "text/html")], b"moved", None),
    "html": ("leaf-chain", "leaf", 200, [("Content-Type", "Text/HTML")],
             POLICY, None),
    "big": ("leaf-chain", "leaf", 200, OK, POLICY + b"#" * 70000, None),
    "exact": ("leaf-chain", "leaf", 200, OK,
              POLICY + b"x" * (65536 - len(POLICY)), None),
    "noct": ("leaf-chain", "leaf", 200, [], POLICY, None),
    "charset": ("leaf-chain", "leaf", 200,
                [("content-type", "TEXT/Plain ; format=flowed; charset=\"ISO-8859-1\""),
                 ("Cache-Control", "max-age=60"),
                 ("Cache-Control", "public")], POLICY, None),
    "untrusted": ("selfsigned", "selfsigned", 200, OK, POLICY, None),
    "expired": ("expired-chain", "expired", 200, OK, POLICY, None),
    "wrongname": ("wrongname-chain", "wrongname", 200, OK, POLICY, None),
    "cnonly": ("cnonly-chain", "cnonly", 200, OK, POLICY, None),
    "incomplete": ("leaf", "leaf", 200, OK, POLICY, None),
    "tls11": ("leaf-chain", "leaf", 200, OK, POLICY, "tls11"),
    "slow": ("leaf-chain", "leaf", 200, OK, POLICY, "slow"),
}
lock = threading.Lock()

def log(line):
    with lock:
        with open(os.path.join(d, "requests"), "a") as f:
            f.write(line + "\n")

def handle(name, conn, spec):
    cert, key, status, headers, body, opt = spec
    if opt == "slow":
        time.sleep(3600)   # handshake done, never answer the request
    try:
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                return
            data += chunk
        lines = data.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
        hdr = {}
        for l in lines[1:]:
            k, _, v = l.partition(":")
            hdr[k.strip().lower()] = v.strip()
        log("%s sni=%s path=%s host=%s ua=%s names=%s" % (
            name, getattr(conn, "sni", "-"), lines[0].split(" ")[1],
            hdr.get("host", "-"), hdr.get("user-agent", "-").replace(" ", "_"),
            ",".join(sorted(hdr))))
        reason = {200: "OK", 301: "Moved Permanently", 404: "Not Found"}[status]
        out = "HTTP/1.1 %d %s\r\n" % (status, reason)
        for k, v in headers:
            out += "%s: %s\r\n" % (k, v)
        out += "Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
        conn.sendall(out.encode("latin-1") + body)
    except Exception as e:
        log("%s error %s" % (name, e))
    finally:
        try:
            conn.close()
        except Exception:
            pass

def serve_tls(name, sock, spec):
    cert, key, status, headers, body, opt = spec
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(d, cert + ".pem"), os.path.join(d, key + ".key"))
    if opt == "tls11":
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    def sni_cb(s, server_name, c):
        s.sni = server_name
    ctx.sni_callback = sni_cb
    while True:
        raw, _ = sock.accept()
        try:
            conn = ctx.wrap_socket(raw, server_side=True)
        except Exception as e:
            log("%s handshake-failed %s" % (name, e))
            raw.close()
            continue
        threading.Thread(target=handle, args=(name, conn, spec), daemon=True).start()

def serve_stall(sock):
    held = []
    while True:
        c, _ = sock.accept()
        held.append(c)     # accept, never say anything

ports = []
for name in list(S) + ["stall"]:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    port = s.getsockname()[1]
    socks = [s]
    if name == "ok":
        try:
            s6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s6.bind(("::1", port))
            s6.listen(16)
            socks.append(s6)
        except OSError:
            pass
    for sk in socks:
        if name == "stall":
            t = threading.Thread(target=serve_stall, args=(sk,), daemon=True)
        else:
            t = threading.Thread(target=serve_tls, args=(name, sk, S[name]), daemon=True)
        t.start()
    ports.append("%s %d%s" % (name, port, " v6" if len(socks) > 1 else ""))
with open(os.path.join(d, "ports.tmp"), "w") as f:
    f.write("\n".join(ports) + "\n")
os.rename(os.path.join(d, "ports.tmp"), os.path.join(d, "ports"))
while True:
    time.sleep(3600)
EOF
}

case "${1:-}" in
start)
	dir=$2
	cd "$dir"
	pki
	server_py > server.py
	python3 server.py "$dir" > server.log 2>&1 &
	echo $! > pid
	i=0
	while [ ! -f ports ]; do
		i=$((i + 1))
		if [ "$i" -gt 100 ] || ! kill -0 "$(cat pid)" 2>/dev/null; then
			echo "fetch-local: server did not start" >&2
			cat server.log >&2
			exit 1
		fi
		sleep 0.1
	done
	;;
stop)
	dir=$2
	if [ -f "$dir/pid" ]; then
		kill "$(cat "$dir/pid")" 2>/dev/null || true
		rm -f "$dir/pid"
	fi
	;;
"")
	cd "$top"
	[ -x tests/unit/test_policy_fetch ] || make tests/unit/test_policy_fetch >/dev/null
	CMOCKA_MESSAGE_OUTPUT=TAP exec tests/unit/test_policy_fetch
	;;
*)
	echo "usage: $0 [start DIR | stop DIR]" >&2
	exit 2
	;;
esac
