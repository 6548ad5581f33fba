#!/bin/sh
# The nginx snippet the wizard writes is a valid nginx configuration
# (nginx -t), with the certificate paths pointed at a throw-away key.  TAP.
cd "$(dirname "$0")/../.." || exit 1
if ! command -v nginx >/dev/null 2>&1 || ! command -v certtool >/dev/null 2>&1; then
	echo "ok - wizard nginx snippet # SKIP nginx or certtool not installed"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
certtool --generate-privkey --key-type=ecdsa --outfile "$tmp/key.pem" >/dev/null 2>&1
printf 'cn = mta-sts.example.org\ndns_name = mta-sts.example.org\nexpiration_days = 2\n' >"$tmp/cert.cfg"
certtool --generate-self-signed --load-privkey "$tmp/key.pem" \
    --template "$tmp/cert.cfg" --outfile "$tmp/cert.pem" >/dev/null 2>&1
./mtasts-tui export --format nginx --mx mx1.example.org example.org >"$tmp/snippet.conf" 2>"$tmp/err"
sed -i -e "s|ssl_certificate .*;|ssl_certificate $tmp/cert.pem;|" \
    -e "s|ssl_certificate_key .*;|ssl_certificate_key $tmp/key.pem;|" \
    -e "s|listen \[::\]:443 ssl;||" "$tmp/snippet.conf"
cat >"$tmp/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events { }
http {
	access_log off;
	client_body_temp_path $tmp;
	proxy_temp_path $tmp;
	fastcgi_temp_path $tmp;
	uwsgi_temp_path $tmp;
	scgi_temp_path $tmp;
	include $tmp/snippet.conf;
}
CONF
if nginx -t -q -e "$tmp/error.log" -p "$tmp" -c "$tmp/nginx.conf" >"$tmp/out" 2>&1; then
	echo "ok - the wizard's nginx snippet passes nginx -t"
else
	echo "not ok - the wizard's nginx snippet passes nginx -t"
	sed 's/^/#   /' "$tmp/out" "$tmp/err" | head -10
fi
