#!/bin/bash
# Issue 13, the wizard entry for change plans, driven through tmux at
# 80x24 as a person would, on good-enforce.test (enforce, max_age 7 d, two
# MX hosts): from the first screen, "c" opens the change screen; a
# max_age raise is chosen and typed (checked while typed), a max_age the
# served policy already exceeds is refused with the words of 'rollout
# start --change', the plan's steps are shown, "n" saves nothing and "y"
# saves the change plan, which 'rollout status' then reads.  An MX change
# with a new MX is made the same way into a second state directory.
set -u
. "$(dirname "$0")/../tui/lib.sh"
tui_require
dom=good-enforce.test
bin=${MTASTS_BIN:-$TOP/mtasts-tui}

# wiz_start STATE_DIR: `mtasts-tui wizard` in session "t", 80x24.
wiz_start() {
	local q
	"${TMUX_CMD[@]}" kill-session -t t >/dev/null 2>&1
	rm -f "$TUI_TMP/rc"
	mkdir -p "$1"
	q=$(printf '%q ' "$LAB" exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	    TERM=screen MTASTS_TODAY=2026-12-01 \
	    XDG_STATE_HOME="$1" "$bin" wizard \
	    --no-history --out "$TUI_TMP/out" $dom)
	"${TMUX_CMD[@]}" start-server \; set-option -g remain-on-exit on \; \
	    new-session -d -s t -x 80 -y 24 -c "$TUI_TMP" \
	    "$q; echo \$? > $TUI_TMP/rc.tmp; mv $TUI_TMP/rc.tmp $TUI_TMP/rc"
}
# status STATE_DIR: the saved plan as 'rollout status' reads it.
status() {
	"$LAB" exec env MTASTS_TODAY=2026-12-01 "$bin" rollout status $dom \
	    --no-history --state-dir "$1/mtasts-tui/rollouts" 2>&1
}

# A max_age raise.
st=$TUI_TMP/state
plan=$st/mtasts-tui/rollouts/$dom.yaml
wiz_start "$st"
tui_wait 'step 1 of 7' 30 && tui_wait 'c change' 3
check $? "screen 1 offers c change for a served policy"
tui_keys c
tui_wait 'change plan' 3 && tui_wait 'Served now: mode enforce, max_age 604800' 3 &&
    tui_wait '\( \) 4 ' 3
check $? "c opens the change screen with what is served and the kinds"
tui_keys 4
tui_wait 'max_age \(seconds\):' 3
check $? "4 chooses the max_age raise and asks for the new max_age"
tui_keys 100
tui_wait 'a number of seconds from 86400' 3
check $? "the max_age is checked while typed"
tui_keys BSpace BSpace BSpace 86400 Enter
tui_wait 'new max_age 86400' 3 && tui_wait '\(\*\) 4 ' 3
check $? "a valid max_age is taken"
tui_keys Enter
tui_wait 'the new max_age must be above the served 604800' 3 &&
    tui_wait 'no plan' 3
check $? "a max_age below the served one is refused as by rollout start"
[ ! -e "$plan" ]
check $? "nothing is written after a refusal"
tui_keys m
tui_keys 31557600 Enter
tui_wait 'new max_age 31557600' 3
check $? "m types the max_age again"
tui_keys Enter
tui_wait 'Save this plan\? \(y/n\)' 5 && tui_wait '^ +1\. .*\(first\)' 3
check $? "Enter shows the plan's steps and asks once"
[ ! -e "$plan" ]
check $? "nothing is written before the answer"
tui_keys n
tui_wait 'nothing was written: the change plan was not saved' 3 &&
    [ ! -e "$plan" ]
check $? "n saves nothing"
tui_keys Enter
tui_wait 'Save this plan\? \(y/n\)' 5
tui_keys y
tui_wait 'plan for good-enforce.test saved in' 10
check $? "y saves the change plan; the summary is the command's"
[ "$(tui_rc 5)" = 0 ]
check $? "exit status 0"
[ ! -e "$TUI_TMP/out" ]
check $? "no other file is written"
s=$(status "$st")
echo "$s" | grep -q '^Raise max_age plan for good-enforce.test (new max_age 31557600), made 2026-12-01' &&
    echo "$s" | grep -q '^1\. Raise max_age, with a new id'
check $? "rollout status reads the change plan with the new max_age"

# An MX change, into a fresh state directory.
st2=$TUI_TMP/state2
plan2=$st2/mtasts-tui/rollouts/$dom.yaml
wiz_start "$st2"
tui_wait 'step 1 of 7' 30
tui_keys c
tui_wait 'change plan' 3
tui_keys 1
tui_wait 'New MX host:' 3
tui_keys mx3.good-enforce.test Enter
tui_wait 'new MX mx3.good-enforce.test' 3
check $? "1 chooses an MX change and takes the new MX"
tui_keys o
tui_keys mx1.good-enforce.test Enter
tui_wait 'old MX mx1.good-enforce.test' 3
check $? "o takes the old MX"
tui_keys Enter
tui_wait 'Save this plan\? \(y/n\)' 5
tui_keys y
tui_wait 'plan for good-enforce.test saved in' 10
check $? "the MX change plan is saved"
status "$st2" | grep -q '^MX change plan for good-enforce.test (new MX mx3.good-enforce.test, replacing mx1.good-enforce.test)'
check $? "rollout status shows the MX change with the new and old MX"

# The wizard's plans are the command's, byte for byte.
same() { # STATE_DIR ARGS...: rollout start --change ARGS, then cmp.
	local d=$TUI_TMP/cli s=$1
	shift
	rm -rf "$d"
	"$LAB" exec env MTASTS_TODAY=2026-12-01 XDG_STATE_HOME="$d" "$bin" \
	    rollout start $dom --no-history "$@" >/dev/null 2>&1 &&
	    cmp -s "$d/mtasts-tui/rollouts/$dom.yaml" \
		"$s/mtasts-tui/rollouts/$dom.yaml"
}
same "$st" --change max-age --max-age 31557600
check $? "the max_age plan is the one 'rollout start --change max-age' saves"
same "$st2" --change mx --new-mx mx3.good-enforce.test \
    --old-mx mx1.good-enforce.test
check $? "the MX plan is the one 'rollout start --change mx' saves"
finish
