#!/bin/sh
# ./configure --install-deps against stand-ins for the local package tools
# (apt-get, dpkg-query, dpkg, id) that replay simulations recorded in the real
# "apt-get -s" format of Debian 12: installing postfix would remove Exim,
# nsd would upgrade libssl3, knot-dnsutils is only known after apt-get update.
# Nothing here touches the real package database or the network.
cd "$(dirname "$0")/../.." || exit 1
top=$(pwd)
t=$(mktemp -d "${TMPDIR:-/tmp}/mtasts-install-deps.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
mkdir "$t/bin" "$t/build"

ok() { echo "ok - $1"; }
nok() { echo "not ok - $1${2:+ ($2)}"; }
check() { # check DESCRIPTION CMD...
	d=$1
	shift
	if "$@"; then ok "$d"; else nok "$d"; fi
}

pkgs() { grep -v '^[[:space:]]*\(#\|$\)' "$top/$1" | awk '{ print $1 }'; }
# Everything is installed except these.
absent="libjansson-dev tmux postfix nsd knot-dnsutils"
for p in $(pkgs deps/build.txt) $(pkgs deps/test.txt) $(pkgs tests/lab/packages); do
	case " $absent " in *" $p "*) ;; *) echo "$p" ;; esac
done >"$t/installed"

cat >"$t/bin/dpkg-query" <<'EOF'
#!/bin/sh
# dpkg-query -W -f='${Status}' PKG
for last; do :; done
echo "$last" >>"$T/dpkg-query.log"
if grep -qxF "$last" "$T/installed"; then
	printf 'install ok installed'
else
	echo "dpkg-query: no packages found matching $last" >&2
	exit 1
fi
EOF

cat >"$t/bin/dpkg" <<'EOF'
#!/bin/sh
# dpkg -L PKG: tmux ships no service, the others are not installed here.
exit 0
EOF

cat >"$t/bin/id" <<'EOF'
#!/bin/sh
[ "${1:-}" = -u ] && { echo 0; exit 0; }
exec /usr/bin/id "$@"
EOF

# Recorded from apt-get -s on Debian 12 (the Remv and upgrade lines in the
# form apt prints them: "Remv pkg [ver]", "Inst pkg [oldver] (newver ...)").
cat >"$t/bin/apt-get" <<'EOF'
#!/bin/sh
echo "$*" >>"$T/apt.log"
case " $* " in
*" update "*) touch "$T/updated"; exit 0 ;;
*" -s "*) ;;
*" install "*)
	if [ -e "$MTASTS_POLICY_RC_D" ]; then
		echo "policy-rc.d: $(tail -n 1 "$MTASTS_POLICY_RC_D")" >>"$T/rcd.log"
	else
		echo "policy-rc.d: none" >>"$T/rcd.log"
	fi
	echo "Setting up ..."
	exit 0 ;;
*) exit 100 ;;
esac
echo "Reading package lists..."
echo "Building dependency tree..."
echo "Reading state information..."
rc=0
for p; do
	case "$p" in
	-*|install) ;;
	postfix) cat <<'SIM'
The following packages will be REMOVED:
  exim4-base exim4-config exim4-daemon-light
The following NEW packages will be installed:
  postfix ssl-cert
0 upgraded, 2 newly installed, 3 to remove and 0 not upgraded.
Remv exim4-daemon-light [4.96-15+deb12u11]
Remv exim4-base [4.96-15+deb12u11]
Remv exim4-config [4.96-15+deb12u11]
Inst ssl-cert (1.1.2 Debian:12.15/oldstable [all])
Inst postfix (3.7.11-0+deb12u1 Debian:12.15/oldstable [amd64])
Conf ssl-cert (1.1.2 Debian:12.15/oldstable [all])
Conf postfix (3.7.11-0+deb12u1 Debian:12.15/oldstable [amd64])
SIM
	;;
	nsd) cat <<'SIM'
The following packages will be upgraded:
  libssl3
1 upgraded, 1 newly installed, 0 to remove and 0 not upgraded.
Inst libssl3 [3.0.15-1~deb12u1] (3.0.17-1~deb12u2 Debian-Security:12/oldstable-security [amd64])
Inst nsd (4.6.1-1 Debian:12.15/oldstable [amd64])
Conf libssl3 (3.0.17-1~deb12u2 Debian-Security:12/oldstable-security [amd64])
Conf nsd (4.6.1-1 Debian:12.15/oldstable [amd64])
SIM
	;;
	tmux) cat <<'SIM'
Inst libevent-core-2.1-7 (2.1.12-stable-8 Debian:12.15/oldstable [amd64])
Inst tmux (3.3a-3 Debian:12.15/oldstable [amd64])
Conf libevent-core-2.1-7 (2.1.12-stable-8 Debian:12.15/oldstable [amd64])
Conf tmux (3.3a-3 Debian:12.15/oldstable [amd64])
SIM
	;;
	libjansson-dev) cat <<'SIM'
Inst libjansson-dev (2.14-2 Debian:12.15/oldstable [amd64])
Conf libjansson-dev (2.14-2 Debian:12.15/oldstable [amd64])
SIM
	;;
	knot-dnsutils)
		if [ -e "$T/updated" ]; then cat <<'SIM'
Inst knot-dnsutils (3.2.6-1 Debian:12.15/oldstable [amd64])
Conf knot-dnsutils (3.2.6-1 Debian:12.15/oldstable [amd64])
SIM
		else
			echo "E: Unable to locate package knot-dnsutils" >&2
			rc=100
		fi ;;
	*) echo "E: Unable to locate package $p" >&2; rc=100 ;;
	esac
done
exit $rc
EOF
chmod +x "$t/bin/"*

# run MODE-OPTION: configure in a scratch build directory, output in $t/out.
run() {
	rm -f "$t/apt.log" "$t/rcd.log" "$t/updated" "$t/dpkg-query.log"
	(cd "$t/build" && T=$t MTASTS_POLICY_RC_D=$t/policy-rc.d \
	    PATH="$t/bin:$PATH" sh "$top/configure" "$1" >"$t/out" 2>&1)
	rc=$?
	[ -z "${MTASTS_SHOW:-}" ] || cat "$t/out" >&2
	return $rc
}
# real_installs: the apt-get install command lines that are not simulations.
real_installs() {
	grep -v -e '^-s ' -e ' -s ' "$t/apt.log" 2>/dev/null |
	    grep '\(^\| \)install '
}
# install_pkgs: the packages of the real installs, one per line.
install_pkgs() { real_installs | tr ' ' '\n' | grep -v '^-' | grep -vx install; }
install_has() { install_pkgs | grep -qx "$1"; }
# no_remove: there was a real install, and every one had --no-remove.
no_remove() {
	[ -n "$(real_installs)" ] && ! real_installs | grep -vq -- '--no-remove'
}
# reason_ok PKG FILE: configure printed PKG with the reason FILE gives it.
reason_ok() {
	why=$(grep "^$1[[:space:]]" "$top/$2" | sed 's/^[^#]*#[[:space:]]*//')
	[ -n "$why" ] && grep "^  $1 " "$t/out" | grep -qF -- "$why"
}

# --- build only: what running the tool needs, nothing from the test lists.
run --install-deps
rc=$?
if [ "$rc" -eq 0 ]; then ok "build mode: configure succeeds"
else nok "build mode: configure succeeds" "status $rc: $(tail -n 3 "$t/out")"; fi
asked=
for p in $(pkgs deps/test.txt) $(pkgs tests/lab/packages); do
	grep -qxF "$p" "$t/dpkg-query.log" 2>/dev/null && asked="$asked $p"
	grep -qw -- "$p" "$t/apt.log" 2>/dev/null && asked="$asked $p"
done
check "build mode never asks about a test or lab package${asked:+ (asked:$asked)}" \
    test -z "$asked"
check "build mode installs the missing build package" \
    install_has libjansson-dev
check "build mode prints libjansson-dev with its reason" \
    reason_ok libjansson-dev deps/build.txt
check "the install carries --no-remove" no_remove
check "a temporary policy-rc.d denies starts during the install" \
    grep -qx 'policy-rc.d: exit 101' "$t/rcd.log"
check "the temporary policy-rc.d is gone afterwards" test ! -e "$t/policy-rc.d"
check "no apt-get update when every package is known" test ! -e "$t/updated"
check "build mode writes no config.unavailable" \
    test ! -e "$t/build/config.unavailable"

# --- build and test, with an administrator's own policy-rc.d in place.
printf '#!/bin/sh\n# the administrator'"'"'s own\nexit 0\n' >"$t/policy-rc.d"
cp "$t/policy-rc.d" "$t/policy-rc.d.orig"
run --install-deps=test
rc=$?
if [ "$rc" -eq 0 ]; then ok "test mode: configure succeeds"
else nok "test mode: configure succeeds" "status $rc: $(tail -n 3 "$t/out")"; fi
installed=$(install_pkgs | tr '\n' ' ')
case " $installed " in
*" postfix "*|*" nsd "*) nok "nothing installed that would remove or upgrade a package" "installed: $installed" ;;
*) ok "nothing installed that would remove or upgrade a package" ;;
esac
check "the harmless ones are installed (tmux, libjansson-dev, knot-dnsutils)" \
    sh -c "echo ' $installed ' | grep ' tmux ' | grep ' libjansson-dev ' | grep -q ' knot-dnsutils '"
check "one line names postfix and what it would remove" \
    sh -c "grep 'postfix' '$t/out' | grep 'exim4-daemon-light' | grep 'exim4-base' | grep -q 'remove'"
check "one line names nsd and the upgrade it would make" \
    sh -c "grep 'nsd' '$t/out' | grep -q 'upgrade libssl3'"
missing_reason=
for p in $installed; do
	reason_ok "$p" deps/build.txt || reason_ok "$p" deps/test.txt ||
	    reason_ok "$p" tests/lab/packages || missing_reason="$missing_reason $p"
done
check "every package installed is printed with its reason${missing_reason:+ (not:$missing_reason)}" \
    test -z "$missing_reason"
check "the install carries --no-remove" no_remove
n=$(grep -c '^update' "$t/apt.log" 2>/dev/null)
check "apt-get update once, for the package the lists did not know (ran $n)" \
    test "$n" -eq 1
check "config.unavailable names postfix and what it would remove" \
    grep -qs '^postfix	.*exim4-daemon-light' "$t/build/config.unavailable"
check "an existing policy-rc.d is left as it is" \
    cmp -s "$t/policy-rc.d" "$t/policy-rc.d.orig"

# --- a build package that would remove something stops configure.
sed -i 's/^	postfix) cat/	libjansson-dev|postfix) cat/' "$t/bin/apt-get"
run --install-deps
rc=$?
check "a build package that would remove Exim stops configure" test "$rc" -ne 0
check "... and nothing is installed" test -z "$(install_pkgs)"
check "... and the message names it and what it would remove" \
    sh -c "grep 'libjansson-dev' '$t/out' | grep -q 'exim4-daemon-light'"

# The lists themselves: one reason per package.
bad=
for f in deps/build.txt deps/test.txt tests/lab/packages; do
	bad="$bad$(grep -v '^[[:space:]]*\(#\|$\)' "$top/$f" |
	    grep -v '^[^#[:space:]]\{1,\}[[:space:]]\{1,\}#[[:space:]]*[^[:space:]]' |
	    sed "s|^|$f: |" | tr '\n' ' ')"
done
check "every package in deps/*.txt and tests/lab/packages has a reason${bad:+ ($bad)}" \
    test -z "$bad"
