/*
 * The keys of the screen, one table (after tmux's key bindings with their
 * notes): the help view is made from it, and tests/static/keys.sh checks
 * that the KEYS section of doc/mtasts-tui.1 names the same keys.  One
 * entry a line; "{link}" stands for the mark of entries Enter opens
 * (theme_sym(SYM_LINK): a small triangle, ">" in ASCII).
 *
 * KEYS_SECTION(title)
 * KEYS_KEY(keys, what)     keys: names separated by spaces; "" continues
 *                          the entry above
 * KEYS_MARK(mark, what)    a mark on the screen, not a key
 */
KEYS_SECTION("Moving")
KEYS_KEY("Up Down j k", "move between panes, or lines in a view")
KEYS_KEY("Tab Shift+Tab", "next / previous pane (the verdict bar too);")
KEYS_KEY("", "in a view: next / previous entry marked {link}")
KEYS_KEY("Left Right", "the other column of panes (wide screens)")
KEYS_KEY("PgUp PgDn", "scroll a page")
KEYS_KEY("Home End g G", "first / last")
KEYS_SECTION("Views")
KEYS_KEY("Enter", "open the selected pane, or the entry marked {link}")
KEYS_KEY("Esc Backspace", "back to the previous view")
KEYS_KEY("b", "open the layer of the first blocker")
KEYS_KEY("?", "this help (again: close it)")
KEYS_SECTION("Actions")
KEYS_KEY("r", "run the check again")
KEYS_KEY("c", "--watch: what changed since the run before (again: close)")
KEYS_KEY("/ Ctrl+L", "check another domain (Esc cancels)")
KEYS_KEY("l", "list of domains to pick from (MTASTS_TUI_DOMAINS)")
KEYS_KEY("s", "save the JSON report to a file (asks before overwriting)")
KEYS_KEY("w",
    "the rollout wizard for this domain (q there comes back; during a check: when it ends)")
KEYS_KEY("p", "the rollout schedule of this domain, if it has a plan")
KEYS_KEY("t", "TLS-RPT reports: per-day bars, the clean-day gate")
KEYS_KEY("", "(--reports PATH, or asks for a file or directory)")
KEYS_KEY("S", "save this view as plain text (a list: all of it)")
KEYS_KEY("y", "copy the selected line or pane to the clipboard (OSC 52:")
KEYS_KEY("", "only when the terminal has Ms, or with MTASTS_OSC52=1)")
KEYS_KEY("q Ctrl+C", "quit")
KEYS_SECTION("Fleet table (mtasts-tui -f FILE, mtasts-tui SCAN.jsonl)")
KEYS_KEY("o", "sort by the next column (its heading is marked)")
KEYS_KEY("O", "reverse the order")
KEYS_KEY("/", "filter: text in the domain, answer:NAME, class:NAME,")
KEYS_KEY("", "mode:NAME, change:KIND, blocker:TEXT; all words must")
KEYS_KEY("", "match (live)")
KEYS_KEY("a", "show one delivery answer, the next, then all")
KEYS_KEY("c", "show one misconfiguration class, the next, then all")
KEYS_KEY("d", "show one kind of change since the previous scan, the")
KEYS_KEY("", "next, then all (not with --no-db)")
KEYS_KEY("Enter", "open the domain's screen from the scan; Esc comes back")
KEYS_KEY("Esc", "clear the filter")
KEYS_SECTION("Marks")
KEYS_MARK("PASS WARN FAIL SKIP", "layer status; a spinner while it runs")
KEYS_MARK("{link}", "an entry that opens another view (Enter)")
KEYS_MARK("~", "--watch: changed since the run before (pane title, line)")
KEYS_MARK("! * (policy body)",
    "a finding points at the line / a sender uses it")
