#!/bin/sh
# Installs the missing Debian packages that mtasts-tui needs, and never
# removes or replaces an installed package.  ./configure --install-deps runs it
# with its log on file descriptor 3.
#
#   sh scripts/install-deps.sh SRCDIR build|test
#
# build: the packages in deps/build.txt (building and running the tool).
# test: those, plus deps/test.txt and tests/lab/packages (make check).
#
# Each line of those files is "package  # why"; the why is printed before
# anything is installed.  Every missing package is first simulated on its own
# (apt-get -s, which prints "Remv pkg [ver]" for a removal and
# "Inst pkg [oldver] (newver ...)" for an upgrade of an installed package).
# A package whose installation would remove or upgrade an installed package
# is not installed: one line names it and what it would have removed or
# upgraded.  The rest are simulated together once more, then installed with
# --no-remove while a temporary policy-rc.d keeps their daemons from starting
# (only if there is no policy-rc.d already; an existing one is never touched).
# In test mode the refused packages are written to config.unavailable
# ("package<TAB>reason"), which the lab and tests/run.sh read to say why a
# server is missing.  See doc/decisions.md, "Installing packages".
#
# MTASTS_POLICY_RC_D overrides /usr/sbin/policy-rc.d (for tests only).

set -u
srcdir=$1
mode=$2
policy_rc_d=${MTASTS_POLICY_RC_D:-/usr/sbin/policy-rc.d}
marker=config.unavailable

# Log to configure's config.log when run by configure, else nowhere.
{ : >&3; } 2>/dev/null || exec 3>/dev/null

say() { echo "configure: $*"; echo "install-deps: $*" >&3; }
die() { say "$*"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mtasts-deps.XXXXXX") || die "mktemp failed"
ours_rc_d=no
cleanup() {
	# Remove our policy-rc.d only: it carries our marker line.
	if [ "$ours_rc_d" = yes ] &&
	    grep -q '^# mtasts-tui configure: temporary' "$policy_rc_d" 2>/dev/null; then
		rm -f "$policy_rc_d"
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# want: "package<TAB>why<TAB>role", first mention of a package wins.
# A package line without "# why" is a mistake in the list: say so.
read_list() { # read_list FILE ROLE
	awk -v role="$2" -v file="$1" '
	/^[ \t]*(#|$)/ { next }
	{
		pkg = $1
		i = index($0, "#")
		why = i ? substr($0, i + 1) : ""
		sub(/^[ \t]+/, "", why)
		sub(/[ \t]+$/, "", why)
		if (why == "") {
			print "no reason given for " pkg " in " file > "/dev/stderr"
			exit 1
		}
		printf "%s\t%s\t%s\n", pkg, why, role
	}' "$srcdir/$1"
}
{
	read_list deps/build.txt build || exit 1
	if [ "$mode" = test ]; then
		read_list deps/test.txt test || exit 1
		read_list tests/lab/packages lab || exit 1
	fi
} >"$tmp/all" || die "fix the package lists first"
awk -F '\t' '!seen[$1]++' "$tmp/all" >"$tmp/want"

why_of() { awk -F '\t' -v p="$1" '$1 == p { print $3 ": " $2; exit }' "$tmp/want"; }
role_of() { awk -F '\t' -v p="$1" '$1 == p { print $3; exit }' "$tmp/want"; }

missing=
for p in $(cut -f 1 "$tmp/want"); do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed' || missing="$missing $p"
done

# The refusals of a test-mode run are rewritten every time; a build-mode run
# did not look at the test packages, so it leaves the marker alone.
[ "$mode" = test ] && rm -f "$marker"

if [ -z "$missing" ]; then
	if [ "$mode" = test ]; then what="to build, test and run the lab"; else what="to build and run"; fi
	say "all $(wc -l <"$tmp/want") Debian packages needed $what are installed"
	exit 0
fi
[ "$(id -u)" = 0 ] || die "--install-deps needs root (missing:$missing)"

export DEBIAN_FRONTEND=noninteractive LC_ALL=C

# simulate OUT PKG...: apt-get -s; fails if apt cannot find or resolve them.
simulate() {
	out=$1
	shift
	echo "\$ apt-get -s install --no-install-recommends $*" >&3
	apt-get -s install --no-install-recommends "$@" >"$out" 2>&1
	rc=$?
	cat "$out" >&3
	[ "$rc" -eq 0 ] && ! grep -q '^E: ' "$out"
}

# harm SIMFILE: what a simulation would remove or upgrade, on one line.
harm() {
	awk '
	$1 == "Remv" || $1 == "Purg" { rm = rm " " $2 }
	$1 == "Inst" && $3 ~ /^\[/ {
		old = $3; gsub(/[][]/, "", old)
		new = $4; sub(/^\(/, "", new)
		up = up " " $2 " " old "->" new
	}
	END {
		if (rm != "") s = "it would remove" rm
		if (up != "") s = s (s != "" ? " and " : "") "it would upgrade" up
		print s
	}' "$1"
}

# new_pkgs SIMFILE: the packages a simulation would newly install.
new_pkgs() { awk '$1 == "Inst" && $3 !~ /^\[/ { print $2 }' "$1"; }

updated=no
apt_update() {
	[ "$updated" = no ] || return 0
	updated=yes
	say "package lists do not know some packages: apt-get update"
	apt-get update >&3 2>&1 || die "apt-get update failed (see config.log)"
}

accepted= refused=
for pass in 1 2; do
	retry=
	for p in $missing; do
		if ! simulate "$tmp/sim.$p" "$p"; then
			retry="$retry $p"
			continue
		fi
		h=$(harm "$tmp/sim.$p")
		if [ -n "$h" ]; then
			refused="$refused $p"
			printf '%s\t%s\n' "$p" "$h" >>"$tmp/refused"
		else
			accepted="$accepted $p"
		fi
	done
	[ -n "$retry" ] || break
	missing=$retry
	if [ "$pass" = 1 ]; then
		apt_update
	else
		for p in $retry; do
			e=$(grep '^E: ' "$tmp/sim.$p" | head -n 1)
			refused="$refused $p"
			printf '%s\t%s\n' "$p" "apt-get cannot install it (${e:-no error text})" >>"$tmp/refused"
		done
	fi
done

# Say what will be installed and why, then what will not and why not.
if [ -n "$accepted" ]; then
	say "installing these missing Debian packages (nothing installed is removed or upgraded):"
	for p in $accepted; do
		deps=$(new_pkgs "$tmp/sim.$p" | grep -vxF "$p" | tr '\n' ' ' | sed 's/ $//')
		printf '  %-26s %s%s\n' "$p" "$(why_of "$p")" "${deps:+; pulls in $deps}"
	done
fi
if [ -n "$refused" ]; then
	while IFS="$(printf '\t')" read -r p h; do
		say "NOT installing $p ($(why_of "$p")): $h"
	done <"$tmp/refused"
fi
if [ "$mode" = test ] && [ -s "$tmp/refused" ]; then
	cp "$tmp/refused" "$marker"
fi

if [ -n "$accepted" ]; then
	# Together they must still be harmless (two packages may conflict).
	if ! simulate "$tmp/sim.all" $accepted; then
		die "apt-get cannot install$accepted together (see config.log)"
	fi
	h=$(harm "$tmp/sim.all")
	[ -z "$h" ] || die "not installing$accepted: together $h"

	if [ ! -e "$policy_rc_d" ]; then
		# Keep the new packages' daemons from starting: the lab runs its own.
		cat >"$policy_rc_d" <<'EOF'
#!/bin/sh
# mtasts-tui configure: temporary, removed when the install is over.
# Denies starting services while mtasts-tui's dependencies are installed.
exit 101
EOF
		chmod 755 "$policy_rc_d"
		ours_rc_d=yes
		echo "wrote a temporary $policy_rc_d" >&3
	else
		echo "$policy_rc_d exists: left as it is" >&3
	fi

	apt_install() {
		echo "\$ apt-get install -y --no-install-recommends --no-remove$accepted" >&3
		apt-get install -y --no-install-recommends --no-remove $accepted >&3 2>&1
	}
	if ! apt_install; then
		# Stale lists name versions the mirror no longer has: refresh, then
		# check the plan again before trying once more.
		[ "$updated" = no ] || die "apt-get install failed (see config.log)"
		apt_update
		simulate "$tmp/sim.all" $accepted ||
		    die "apt-get cannot install$accepted (see config.log)"
		h=$(harm "$tmp/sim.all")
		[ -z "$h" ] || die "not installing$accepted: after apt-get update $h"
		apt_install || die "apt-get install failed (see config.log)"
	fi

	# Debian enables the services of what it installs; say which, once.
	units=
	for p in $(new_pkgs "$tmp/sim.all"); do
		for u in $(dpkg -L "$p" 2>/dev/null |
		    grep '^/lib/systemd/system/[^@/]*\.service$'); do
			u=${u##*/}
			systemctl is-enabled -q "$u" 2>/dev/null && units="$units $u"
		done
	done
	if [ -n "$units" ]; then
		say "not started now, but enabled by Debian for the next boot:$units"
		say "mtasts-tui does not use them (systemctl disable$units turns them off)"
	fi
fi

for p in $refused; do
	[ "$(role_of "$p")" = build ] &&
	    die "cannot build without $p; install it by hand if what it would change is acceptable"
done
exit 0
