#!/bin/bash
# The rollout schedule and the TLS-RPT reports in the TUI (issues 6, 7):
# with a plan made by `rollout start` the verdict bar names the current
# phase and p lists the phases with dates and done / not done, judged by
# the TUI's own check; with --reports DIR, t shows one row per day with a
# bar of successful and failed sessions and the clean-day count; reports
# given at t count in the schedule like --reports.
set -u
. "$(dirname "$0")/../tui/lib.sh"
tui_require

dom=good-testing.test
xdg="$TUI_TMP/xdg"

# mkreports DIR LASTDAY NDAYS [FAILDAY]: daily reports ending on LASTDAY.
mkreports() {
	python3 - "$dom" "$@" <<'PY'
import datetime, json, os, sys
dom, d, last, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
fail = int(sys.argv[5]) if len(sys.argv) > 5 else -1
os.makedirs(d, exist_ok=True)
end = datetime.date.fromisoformat(last)
for i in range(n):
    s = (end - datetime.timedelta(days=n - 1 - i)).isoformat()
    bad = 2 if i == fail else 0
    pol = {"policy": {"policy-type": "sts", "policy-domain": dom,
                      "policy-string": ["version: STSv1", "mode: testing"],
                      "mx-host": ["mx1." + dom]},
           "summary": {"total-successful-session-count": 25,
                       "total-failure-session-count": bad}}
    if bad:
        pol["failure-details"] = [{"result-type": "starttls-not-supported",
                                   "receiving-mx-hostname": "mx2.backup." + dom,
                                   "sending-mta-ip": "192.0.2.7",
                                   "failed-session-count": bad}]
    rep = {"organization-name": "Lab Reporter",
           "contact-info": "tlsrpt@reporter.test",
           "report-id": s + "@reporter.test",
           "date-range": {"start-datetime": s + "T00:00:00Z",
                          "end-datetime": s + "T23:59:59Z"},
           "policies": [pol]}
    json.dump(rep, open(os.path.join(d, s + ".json"), "w"))
PY
}

"$LAB" exec env MTASTS_TODAY=2026-12-01 XDG_STATE_HOME="$xdg" \
    "$TOP/mtasts-tui" rollout start --mode testing --mx "mx1.$dom" \
    --mx "*.backup.$dom" --id 20261101T000000Z "$dom" \
    >"$TUI_TMP/start.txt" 2>&1
check $? "rollout start makes a plan"
mkreports "$TUI_TMP/r" 2026-12-19 16 4

tui_start 80 30 MTASTS_TODAY=2026-12-20 XDG_STATE_HOME="$xdg" -- \
    --reports "$TUI_TMP/r" "$dom"
tui_wait 'verdict +. ' 15
check $? "$dom loaded with --reports"
tui_wait 'rollout: phase 4 of 6, Watch TLS-RPT reports, due 2026-12-28' 5
check $? "the verdict bar names the current phase and when it is due"
tui_keys p
tui_wait 'rollout schedule of good-testing.test' 5
check $? "p opens the schedule"
s=$(tui_screen)
echo "$s" | grep -Eq '1\. Prepare MX TLS +2026-12-01 \.\. 2026-12-07 +done'
check $? "schedule: phase 1 with its dates, done (by the TUI's check)"
echo "$s" | grep -Eq '4\. Watch TLS-RPT reports +2026-12-15 \.\. 2026-12-28 +not done'
check $? "schedule: phase 4 not done"
echo "$s" | grep -q '11 of 14 consecutive clean days'
check $? "schedule: the watch phase counts the clean days of --reports"
[ "$(echo "$s" | grep -Ec '^ *. *[1-6]\. ')" = 6 ]
check $? "schedule: six phases"
echo "$s" | grep -q '  run 2'
[ $? != 0 ]
check $? "the schedule made no second check"
tui_keys Escape
tui_wait '^. dns' 3
check $? "Esc returns to the panes"

tui_keys t
tui_wait 'TLS-RPT reports for good-testing.test' 5
check $? "t opens the reports view"
s=$(tui_screen)
echo "$s" | grep -q 'gate: 11 of 14 clean days (watch)'
check $? "reports: the gate (11 of 14 clean days)"
echo "$s" | grep -Eq '^2026-12-0[4-9] █+ +25 ok +0 failed +clean$'
check $? "reports: a clean day with its bar"
echo "$s" | grep -Eq '^2026-12-08 █+▒+ +25 ok +2 failed +not clean$'
check $? "reports: the day with failures has a failed part in its bar"
[ "$(echo "$s" | grep -Ec '^2026-12-[0-9]{2} ')" -ge 10 ]
check $? "reports: one row per day"
tui_keys End
tui_wait 'starttls-not-supported on mx2.backup.good-testing.test' 3
check $? "reports: advice names the result type and the MX"
tui_screen | grep -q '192.0.2.7'
check $? "reports: failures by sending IP"
tui_keys Escape
tui_wait '^. dns' 3
check $? "Esc returns to the panes"
tui_keys q
tui_rc 5 >/dev/null
check $? "q quits"

# 80x24: a rollout line longer than the screen is wide wraps, not cut.
"$LAB" exec env MTASTS_TODAY=2026-12-01 XDG_STATE_HOME="$TUI_TMP/xdg3" \
    "$TOP/mtasts-tui" rollout start --mode testing --max-age 604800 \
    --id 20261101T000000Z --mx mx1.testing-no-tlsrpt.test \
    testing-no-tlsrpt.test >"$TUI_TMP/start3.txt" 2>&1
tui_start 80 24 MTASTS_TODAY=2026-12-20 XDG_STATE_HOME="$TUI_TMP/xdg3" -- \
    testing-no-tlsrpt.test
tui_wait 'verdict +. (PASS|WARN|FAIL)' 15
tui_screen | awk '/^  rollout: / { l = $0; getline n; sub(/^ +/, "", n); print l " " n }' |
    grep -q 'rollout: phase 3 of 6, Publish the TXT and TLS-RPT records, due 2026-12-21 (p: schedule)'
check $? "80x24: the long rollout line wraps onto a second line, whole"
tui_keys q
tui_rc 5 >/dev/null

# A broken enforce domain under a testing plan (issue 13): the bar says
# fix now, the schedule has the fix-now block and the deviation.
"$LAB" exec env MTASTS_TODAY=2026-12-01 XDG_STATE_HOME="$TUI_TMP/xdg4" \
    "$TOP/mtasts-tui" rollout start --mode testing \
    --mx mx1.mx-uncovered.test --mx backup.elsewhere.mx-uncovered.test \
    mx-uncovered.test >"$TUI_TMP/start4.txt" 2>&1
tui_start 100 40 MTASTS_TODAY=2026-12-03 XDG_STATE_HOME="$TUI_TMP/xdg4" -- \
    mx-uncovered.test
tui_wait 'rollout: fix now, mail is refused \(p: schedule\)' 15
check $? "fix now: the verdict bar's rollout line says so"
tui_keys p
tui_wait 'Fix now: mail is refused' 5
check $? "fix now: the schedule opens with the fix-now block"
s=$(tui_screen)
echo "$s" | grep -q 'mx.uncovered backup.elsewhere.mx-uncovered.test'
check $? "fix now: the blocker, as rollout status names it"
echo "$s" | grep -q 'mtasts-mx-uncovered.test/testing/'
check $? "fix now: the files rollout next writes"
echo "$s" | grep -Eq '2\. Serve the policy in testing +2026-12-08 \.\. 2026-12-14 +deviation'
check $? "fix now: the testing phase is a deviation, not done"
tui_keys q
tui_rc 5 >/dev/null

# The reports given at t reach the plan: p judges the watch phase by them.
tui_start 100 30 MTASTS_TODAY=2026-12-20 XDG_STATE_HOME="$xdg" -- "$dom"
tui_wait 'verdict +. ' 15
check $? "$dom loaded without --reports"
tui_keys p
tui_wait "judged by this screen's check\$" 5
check $? "schedule without reports: judged by the check alone"
tui_wait 'no TLS-RPT reports given' 3
check $? "schedule without reports: the watch phase cannot be judged"
tui_screen | grep -q 'consecutive clean days'
[ $? != 0 ]
check $? "schedule without reports: no clean days counted"
tui_keys Escape
tui_wait '^. dns' 3
tui_keys t
tui_wait 'TLS-RPT reports \(file or directory\):' 3
tui_keys "$TUI_TMP/r" Enter
tui_wait 'gate: 11 of 14 clean days' 5
check $? "t reads the reports given"
tui_keys Escape p
tui_wait '11 of 14 consecutive clean days' 5
check $? "schedule: the watch phase counts the clean days of the reports given at t"
tui_wait "judged by this screen's check and the reports in $TUI_TMP/r" 3
check $? "schedule: names the reports it was judged by"
tui_screen | grep -q '  run 2'
[ $? != 0 ]
check $? "the reports made no second check"
tui_keys q
tui_rc 5 >/dev/null
check $? "q quits"

# Without --reports, t asks for the path; the ASCII bar.
tui_start 80 30 MTASTS_TODAY=2026-12-20 XDG_STATE_HOME="$TUI_TMP/none" \
    LANG=C LC_ALL=C -- "$dom"
tui_wait 'verdict +[^ ]* ' 15
tui_screen | grep -q 'rollout:'
[ $? != 0 ]
check $? "no plan: no rollout line"
tui_keys t
tui_wait 'TLS-RPT reports \(file or directory\):' 3
check $? "t without --reports asks for a path"
tui_keys "$TUI_TMP/r" Enter
tui_wait 'gate: 11 of 14 clean days' 5
check $? "the path given is read"
tui_screen | grep -Eq '^2026-12-08 =+#+ +25 ok +2 failed'
check $? "reports: ASCII bar in a non-UTF-8 locale"
tui_keys Escape p
tui_wait 'no rollout plan for good-testing.test' 3
check $? "p without a plan says so"
tui_keys q
finish
