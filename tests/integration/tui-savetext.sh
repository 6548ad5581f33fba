#!/bin/bash
# S saves the view as plain text: on the main view the file is the screen
# (tmux's capture, status line aside); on a list view (help) every line of
# the list, the rows on screen among them.  y copies the selection with
# OSC 52: with tmux's set-clipboard on it lands in tmux's paste buffer
# when MTASTS_OSC52=1, and nothing arrives by default (TERM=screen has no
# Ms capability).  TAP output.
set -u
. "$(dirname "$0")/../tui/lib.sh"
tui_require

# The screen without the status line, trailing blanks cut (as S writes).
screen_body() { tui_screen | sed '$d' | sed 's/ *$//'; }

tui_start 100 30 -- good-enforce.test
tui_wait '^. verdict +. (PASS|WARN)' 15
check $? "good-enforce.test loaded"
tui_keys S
tui_wait 'Save screen text to: \./good-enforce\.test-main-[0-9]{8}T[0-9]{6}Z\.txt' 3
check $? "S proposes ./DOMAIN-VIEW-TIME.txt" "$(tui_screen | tail -1)"
screen_body >"$TUI_TMP/main.screen"
tui_keys C-u "$TUI_TMP/main.txt" Enter
tui_wait 'saved the screen as text \([0-9]+ bytes\)' 5
check $? "S then Enter saves" "$(tui_screen | tail -1)"
# The prompt covered only the status line, which is not saved.
diff "$TUI_TMP/main.screen" "$TUI_TMP/main.txt" >"$TUI_TMP/d1" 2>&1
check $? "main view: the file equals the screen" "$(head -5 "$TUI_TMP/d1")"
grep -q 'verdict' "$TUI_TMP/main.txt" && ! grep -q $'\x1b' "$TUI_TMP/main.txt"
check $? "main view: plain text (panes and verdict, no escape sequences)"

# Saving over it asks first; n keeps it.
cksum <"$TUI_TMP/main.txt" >"$TUI_TMP/sum"
tui_keys S C-u "$TUI_TMP/main.txt" Enter
tui_wait 'exists. Overwrite\? \(y/n\)' 3
check $? "an existing file: asks before overwriting"
tui_keys n
tui_wait 'not saved' 3 && [ "$(cksum <"$TUI_TMP/main.txt")" = "$(cat "$TUI_TMP/sum")" ]
check $? "n leaves it as it was"

# A list view longer than the screen: the whole list.
tui_keys '?'
tui_wait 'Moving' 5
check $? "help opened"
screen_body | sed '1d' >"$TUI_TMP/help.screen"
tui_keys S C-u "$TUI_TMP/help.txt" Enter
tui_wait 'saved the screen as text' 5
check $? "S on the help view saves"
n_screen=$(wc -l <"$TUI_TMP/help.screen")
n_file=$(wc -l <"$TUI_TMP/help.txt")
[ "$n_file" -gt "$n_screen" ]
check $? "help: the file holds the whole list ($n_file lines, $n_screen on screen)"
grep -q 'copy the selected line or pane' "$TUI_TMP/help.txt" &&
    grep -q 'Moving' "$TUI_TMP/help.txt"
check $? "help: lines from below the screen too"
# Every list row on screen (the title aside) is a line of the file, in order.
sed '1d' "$TUI_TMP/help.screen" | grep -v '^$' >"$TUI_TMP/help.rows"
python3 - "$TUI_TMP/help.rows" "$TUI_TMP/help.txt" <<'PY'
import sys
rows = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
lines = [l.rstrip("\n") for l in open(sys.argv[2], encoding="utf-8")]
i = 0
for r in rows:
    while i < len(lines) and lines[i].strip() != r.strip():
        i += 1
    if i == len(lines):
        print("not in the file:", r); sys.exit(1)
PY
check $? "help: the rows on screen are in the file, in order"

# The wizard takes every key for itself, but S still saves its screen.
tui_keys Escape w
tui_wait 'mtasts-tui wizard: good-enforce.test' 5
check $? "wizard opened"
screen_body >"$TUI_TMP/wiz.screen"
tui_keys S
tui_wait 'Save screen text to: \./good-enforce\.test-wizard-' 3
check $? "S in the wizard asks for a path" "$(tui_screen | tail -1)"
tui_keys C-u "$TUI_TMP/wiz.txt" Enter
tui_wait 'saved the screen as text' 5
diff "$TUI_TMP/wiz.screen" "$TUI_TMP/wiz.txt" >"$TUI_TMP/d2" 2>&1
check $? "wizard: the file equals the screen" "$(head -5 "$TUI_TMP/d2")"
tui_keys q q
tui_rc 5 >/dev/null

# y: OSC 52 into tmux's paste buffer.
"${TMUX_CMD[@]}" set-option -g set-clipboard on
tui_start 100 30 NO_COLOR=1 MTASTS_OSC52=1 -- good-enforce.test
"${TMUX_CMD[@]}" set-option -g set-clipboard on
tui_wait '^. verdict +. (PASS|WARN)' 15
check $? "loaded with MTASTS_OSC52=1"
"${TMUX_CMD[@]}" delete-buffer >/dev/null 2>&1
tui_keys Enter
tui_wait '(TXT|_mta-sts)' 5
tui_keys j j
tui_wait_selected 'v=STSv1' 3
check $? "a line of the dns layer view selected" "$(tui_selected)"
tui_keys y
tui_wait 'copied [0-9]+ bytes to the clipboard' 3
check $? "y says it copied" "$(tui_screen | tail -1)"
sleep 0.3
buf=$("${TMUX_CMD[@]}" show-buffer 2>/dev/null)
sel=$(tui_selected)
[ -n "$buf" ] && [ "$buf" = "$(printf '%s' "$sel" | sed 's/^ *//; s/ *$//')" ]
check $? "the selected line is in tmux's buffer" "buffer: [$buf] selected: [$sel]"
tui_keys Escape
tui_keys y
tui_wait 'copied [0-9]+ bytes to the clipboard' 3
sleep 0.3
buf=$("${TMUX_CMD[@]}" show-buffer 2>/dev/null)
printf '%s\n' "$buf" | head -1 | grep -qx 'dns'
check $? "on the main view: the selected pane (its layer name first)" "[$buf]"
tui_keys q
tui_rc 5 >/dev/null

# Default: no Ms in TERM=screen's terminfo, so nothing is sent.
tui_start 100 30 -- good-enforce.test
"${TMUX_CMD[@]}" set-option -g set-clipboard on
tui_wait '^. verdict +. (PASS|WARN)' 15
"${TMUX_CMD[@]}" delete-buffer >/dev/null 2>&1
while "${TMUX_CMD[@]}" delete-buffer >/dev/null 2>&1; do :; done
tui_keys y
tui_wait 'clipboard copy is off' 3
check $? "y without Ms or MTASTS_OSC52: says it is off" "$(tui_screen | tail -1)"
sleep 0.3
[ -z "$("${TMUX_CMD[@]}" list-buffers 2>/dev/null)" ]
check $? "nothing lands in tmux's buffers" "$("${TMUX_CMD[@]}" list-buffers 2>/dev/null)"
tui_keys q
tui_rc 5 >/dev/null
finish
