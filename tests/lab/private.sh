# shellcheck shell=bash
# A private lab instance, for tests that rewrite their scenarios and bring
# the lab up again between steps (the lab serves fixed zones): its own
# namespace, run and scenario directories, a work directory $work, and
# `lab down` plus removal of both on exit.  Sourced once $lab is set; then
# `lab_private NAMESPACE TAG`.  Also the TAP helpers those tests share:
# ok, nok, check DESCRIPTION COMMAND..., and $fails.

lab_private_cleanup() {
	"${lab:?}" down >/dev/null 2>&1
	rm -rf "$MTASTS_LAB_DIR" "$work"
}

lab_private() {
	export MTASTS_LAB_NS=$1
	MTASTS_LAB_DIR=$(mktemp -d "/tmp/mtasts-$2-lab.XXXXXX")
	chmod 755 "$MTASTS_LAB_DIR" # the daemons run as their own users
	export MTASTS_LAB_DIR
	export MTASTS_LAB_SCENARIOS=$MTASTS_LAB_DIR/scenarios
	work=$(mktemp -d "/tmp/mtasts-$2-work.XXXXXX")
	trap lab_private_cleanup EXIT
	trap 'exit 130' INT TERM
	mkdir -p "$MTASTS_LAB_SCENARIOS"
}

fails=0
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; fails=$((fails + 1)); }
check() { # DESCRIPTION COMMAND...: ok when the command succeeds
	local d=$1
	shift
	if "$@"; then ok "$d"; else nok "$d"; fi
}
