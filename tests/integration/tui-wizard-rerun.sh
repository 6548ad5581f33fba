#!/bin/bash
# Issue 13, cases 4 and 5, driven through tmux at 80x24 as a person would.
# 4: on the broken enforce domain mx-uncovered.test, adding the missing MX
#    pattern keeps enforce on offer and the result is a fix plan (serve the
#    body, then the id, verify), not a downgrade and an 8-week rollout.
# 5: running the wizard again opens on the saved plan (patterns, mode,
#    max_age, rua, hosting, id), lists on one screen which files exist and
#    differ, and asks once before replacing them and the plan.
set -u
. "$(dirname "$0")/../tui/lib.sh"
tui_require
dom=mx-uncovered.test
out=$TUI_TMP/out
plan=$TUI_TMP/state/mtasts-tui/rollouts/$dom.yaml
mkdir -p "$TUI_TMP/state"

# wiz_start: `mtasts-tui wizard` in session "t", 80x24, pane kept.
wiz_start() {
	local q
	"${TMUX_CMD[@]}" kill-session -t t >/dev/null 2>&1
	rm -f "$TUI_TMP/rc"
	q=$(printf '%q ' "$LAB" exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	    TERM=screen MTASTS_TODAY=2026-12-01 \
	    XDG_STATE_HOME="$TUI_TMP/state" "${MTASTS_BIN:-$TOP/mtasts-tui}" wizard \
	    --no-history --out "$out" $dom)
	"${TMUX_CMD[@]}" start-server \; set-option -g remain-on-exit on \; \
	    new-session -d -s t -x 80 -y 24 -c "$TUI_TMP" \
	    "$q; echo \$? > $TUI_TMP/rc.tmp; mv $TUI_TMP/rc.tmp $TUI_TMP/rc"
}
# step N [SECONDS]: the wizard shows screen N.
step() { tui_wait "step $1 of 7" "${2:-5}"; }

# Case 4.
wiz_start
step 1 30
check $? "the wizard opens on $dom"
tui_keys Enter
step 2 && tui_wait 'backup.elsewhere.mx-uncovered.test +NOT COVERED' 3
check $? "screen 2: the backup MX is not covered"
tui_keys Enter
step 3 && tui_wait '\(\*\) testing' 3 &&
    tui_wait 'enforce is not offered with these patterns' 3
check $? "unchanged patterns: enforce not offered, testing, said on screen"
tui_keys b
step 2
tui_keys a
tui_keys "backup.elsewhere.mx-uncovered.test" Enter
tui_wait 'backup.elsewhere.mx-uncovered.test +covered by backup' 3
check $? "the missing pattern is added and covers the backup MX"
tui_keys Enter
step 3 && tui_wait 'enforce +\(offered: the patterns fix it\)' 3
check $? "with the pattern, enforce stays on offer"
tui_keys e
tui_wait '\(\*\) enforce' 3
check $? "enforce is chosen"
tui_keys m
tui_keys 172800 Enter
tui_wait 'max_age: 172800 seconds' 3
check $? "a max_age is typed"
tui_keys Enter
step 4
tui_keys Enter
step 5 && tui_wait 'A fix in place: serve this body, then publish the id' 3
check $? "screen 5 says this is a fix in place, with a new id"
tui_keys Enter
step 6
tui_keys 2
tui_keys 192.0.2.10 Enter
tui_wait 'address 192.0.2.10' 3
check $? "an address for the policy host"
tui_keys Enter
step 7 && tui_wait 'mta-sts.txt +new' 3
check $? "screen 7 lists the files as new"
tui_keys w
tui_wait 'Fix plan saved in' 10
check $? "the result is a fix plan"
s=$(tui_screen -S -40)
echo "$s" | grep -q 'publish the new id from' &&
    ! echo "$s" | grep -q 'Prepare MX TLS'
check $? "the fix plan is body, id, verify; no rollout phases"
[ "$(tui_rc 5)" = 0 ]
check $? "exit status 0"
tr -d '\r' <"$out/mta-sts.txt" >"$TUI_TMP/policy"
grep -qx 'mode: enforce' "$TUI_TMP/policy" &&
    grep -qx 'mx: backup.elsewhere.mx-uncovered.test' "$TUI_TMP/policy"
check $? "the written policy is enforce with the missing pattern"
grep -qx 'kind: fix' "$plan"
check $? "the plan file records a fix plan (kind: fix)"

# The fix plan is followed as such (issue 13, "fix in place"): three
# steps, body then id then verify, not the six rollout phases.  The lab
# still serves the broken body with the old id: step 1 is next, and mail
# is refused now (exit 2).
rollout() {
	"$LAB" exec env MTASTS_TODAY=2026-12-01 XDG_STATE_HOME="$TUI_TMP/state" \
	    "${MTASTS_BIN:-$TOP/mtasts-tui}" rollout "$@"
}
cp "$plan" "$TUI_TMP/plan.fix"
rollout status $dom >"$TUI_TMP/status" 2>&1
rc=$?
sed 's/^/    | /' "$TUI_TMP/status"
[ $rc = 2 ] &&
    grep -q '^Fix plan for mx-uncovered.test (mode enforce, max_age 172800, new id ' "$TUI_TMP/status" &&
    grep -q '^FIX NOW: mail to mx-uncovered.test is refused now' "$TUI_TMP/status" &&
    grep -q "^1\. Serve the fixed policy body .* not done: the served policy is not the fixed one: .*no 'mx: backup.elsewhere.mx-uncovered.test'" "$TUI_TMP/status" &&
    grep -q '^2\. Publish the new id .* not done: the TXT id is ' "$TUI_TMP/status" &&
    grep -q '^3\. Verify: the check refuses no mail .* not done' "$TUI_TMP/status" &&
    grep -q '^Next: Serve the fixed policy body' "$TUI_TMP/status" &&
    ! grep -q 'Prepare MX TLS' "$TUI_TMP/status"
check $? "rollout status on the fix plan: 3 steps, next serve the body, exit 2"
rollout status --json $dom >"$TUI_TMP/status.json" 2>/dev/null
[ $? = 2 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["change"] == "fix" and len(d["steps"]) == 3, d
assert d["next"]["step"] == "serve-body" and d["fix_now"], d
' "$TUI_TMP/status.json"
check $? "rollout status --json on the fix plan"
cmp -s "$plan" "$TUI_TMP/plan.fix"
check $? "status leaves the fix plan file as it was (version 2, kind: fix)"
rollout next --out "$TUI_TMP/next" $dom >"$TUI_TMP/next.out" 2>&1
rc=$?
sed 's/^/    | /' "$TUI_TMP/next.out"
[ $rc = 0 ] && grep -q '^Serve the fixed policy body: wrote the files into' \
    "$TUI_TMP/next.out" &&
    cmp -s "$out/mta-sts.txt" "$TUI_TMP/next/fix-serve-body/mta-sts.txt" &&
    cmp -s "$out/zone.txt" "$TUI_TMP/next/fix-serve-body/zone.txt"
check $? "rollout next writes the fix plan's own files (the body, its id)"
cmp -s "$plan" "$TUI_TMP/plan.fix"
check $? "next hands out no new id for a fix plan"
# The TUI's plan view (p) shows the fix plan's steps too, as status does.
tui_start 100 40 MTASTS_TODAY=2026-12-01 XDG_STATE_HOME="$TUI_TMP/state" -- \
    $dom
tui_wait 'Fix plan: fix now, mail is refused \(p: schedule\)' 30
check $? "the verdict bar's plan line: the fix plan, fix now"
tui_keys p
tui_wait 'Serve the fixed policy body +not done' 5 &&
    tui_wait 'Publish the new id +not done' 3 &&
    tui_wait 'Verify: the check refuses no mail +not done' 3 &&
    tui_wait 'Fix now: mail is refused' 3 && ! tui_screen | grep -q 'Prepare MX TLS'
check $? "the plan view shows the three fix steps and fix now, no phases"
tui_keys q
tui_keys q
tui_rc 5 >/dev/null

# Case 5: again, on the saved plan.
echo mine >"$out/nginx.conf"
cp "$plan" "$TUI_TMP/plan.before"
wiz_start
step 1 30 && tui_wait 'A fix plan exists \(made 2026-12-01\): the next' 3
check $? "a re-run says on screen 1 that the plan's settings are the start"
tui_keys Enter
step 2 && tui_wait '^    backup.elsewhere.mx-uncovered.test' 3
check $? "a re-run opens on the plan's patterns"
tui_keys Enter
step 3 && tui_wait '\(\*\) enforce' 3 && tui_wait 'max_age: 172800' 3
check $? "a re-run opens on the plan's mode and max_age"
tui_keys Enter
step 4 && tui_wait '^    mailto:tlsrpt@mx-uncovered.test' 3
check $? "a re-run opens on the plan's rua"
tui_keys Enter
id=$(sed -n 's/^  id: "\(.*\)"$/\1/p' "$TUI_TMP/plan.before")
step 5 && [ -n "$id" ] && tui_wait "keeping id $id" 3
check $? "a re-run keeps the plan's id for the plan's body"
tui_keys Enter
step 6 && tui_wait '\(\*\) 2 own web server' 3 &&
    tui_wait 'address 192.0.2.10' 3
check $? "a re-run opens on the plan's hosting"
tui_keys Enter
step 7 && tui_wait 'nginx.conf +exists, differs: replaced' 3 &&
    tui_wait 'zone.txt +exists, the same' 3 &&
    tui_wait 'exists: replaced \(its ids are kept\)' 3
check $? "one screen lists which files exist and differ, and the plan"
tui_keys w
tui_wait 'Replace 1 file and the plan\? \(y/n\)' 3
check $? "one question for the file that differs and the plan"
tui_keys n
tui_wait 'nothing was written: the files and the plan are as they were' 3 &&
    [ "$(cat "$out/nginx.conf")" = mine ] &&
    cmp -s "$plan" "$TUI_TMP/plan.before"
check $? "no keeps every file and the plan"
tui_keys w
tui_wait 'Replace 1 file and the plan\? \(y/n\)' 3
tui_keys y
tui_wait 'Fix plan saved in' 10
check $? "one yes writes everything (no question per file)"
grep -q 'server_name mta-sts' "$out/nginx.conf"
check $? "the file that differed is replaced"
[ "$(tui_rc 5)" = 0 ]
check $? "exit status 0"
finish
