/*
 * The keys of the rollout wizard's screens, one table: the wizard view
 * dispatches from it, its key line is made from it and the help view
 * lists it, so bindings, hints and help cannot drift apart
 * (tests/static/keys.sh checks the view binds no key outside it).  One
 * entry a line, in the order of the key line; the first entry that
 * matches the screen and the key wins.
 *
 * WIZARD_KEY(screens, key, name, hint, what, handler)
 *   screens  WIZ_* bits (view_wizard.h) where the key works
 *   key      the key (keys.h); WIZ_ENTER stands for every Enter key
 *   name     as the help shows it
 *   hint     in the key line; NULL: not shown there
 *   what     the help text
 *   handler  static int handler(struct view *, struct wiz *) in
 *            view_wizard.c, returning APP_* flags
 */
WIZARD_KEY(WIZ_LISTS, 'a', "a", "a add",
    "MX patterns, TLS-RPT: add one (checked while typing)", wiz_list_add)
WIZARD_KEY(WIZ_LISTS, 'e', "e", "e edit",
    "MX patterns, TLS-RPT: edit the selected one", wiz_list_edit)
WIZARD_KEY(WIZ_LISTS, 'd', "d", "d delete",
    "MX patterns, TLS-RPT: delete the selected one", wiz_list_delete)
WIZARD_KEY(WIZ_MX, 'w', "w", "w wildcard",
    "MX patterns: use the *. pattern offered for MX hosts sharing a parent",
    wiz_wildcard)
WIZARD_KEY(WIZ_LISTS, KEYS_UP, "Up", "Up/Down",
    "MX patterns, TLS-RPT: select the one above", wiz_list_up)
WIZARD_KEY(WIZ_LISTS, KEYS_DOWN, "Down", NULL,
    "MX patterns, TLS-RPT: select the one below", wiz_list_down)
WIZARD_KEY(WIZ_MODE, 't', "t", "t testing",
    "Mode: testing, with its max_age unless one was typed", wiz_testing)
WIZARD_KEY(WIZ_MODE, 'e', "e", "e enforce",
    "Mode: enforce, offered when the live check says ready", wiz_enforce)
WIZARD_KEY(WIZ_MODE, 'm', "m", "m max_age", "Mode: type a max_age in seconds",
    wiz_max_age)
WIZARD_KEY(WIZ_HOSTING, '1', "1", "1 none",
    "Hosting: leave the mta-sts record out of the zone", wiz_host_none)
WIZARD_KEY(WIZ_HOSTING, '2', "2", "2 addresses",
    "Hosting: own web server, type an address", wiz_host_addr)
WIZARD_KEY(WIZ_HOSTING, '3', "3", "3 CNAME",
    "Hosting: CDN or provider, type the CNAME target", wiz_host_cname)
WIZARD_KEY(WIZ_HOSTING, 'a', "a", "a add address", "Hosting: one more address",
    wiz_host_addr)
WIZARD_KEY(WIZ_OUTPUT, 'w', "w", "w write",
    "Output: write the files and the plan", wiz_write)
WIZARD_KEY(WIZ_OUTPUT, WIZ_ENTER, "Enter", NULL,
    "Output: write the files and the plan", wiz_write)
WIZARD_KEY(WIZ_OUTPUT, 'e', "e", "e edit directory",
    "Output: type the directory", wiz_dir)
WIZARD_KEY(WIZ_ASK, 'y', "y", "y replace all",
    "files differ or a plan exists: replace them all", wiz_replace_yes)
WIZARD_KEY(WIZ_ASK, 'Y', "Y", NULL,
    "files differ or a plan exists: replace them all", wiz_replace_yes)
WIZARD_KEY(WIZ_ASK, 'n', "n", "n keep all",
    "files differ or a plan exists: keep them (nothing is written)",
    wiz_replace_no)
WIZARD_KEY(WIZ_ASK, 'N', "N", NULL,
    "files differ or a plan exists: keep them (nothing is written)",
    wiz_replace_no)
WIZARD_KEY(WIZ_ASK, KEYS_ESC, "Esc", NULL,
    "files differ or a plan exists: keep them (nothing is written)",
    wiz_replace_no)
WIZARD_KEY(WIZ_STATE, 'c', "c", "c change",
    "Current state: plan a change of the served policy instead (MX change, "
    "removal, policy-host move, raise max_age)",
    wiz_change)
WIZARD_KEY(WIZ_CHANGE, '1', "1", "1 MX",
    "Change: an MX change; type the new MX host", wiz_change_mx)
WIZARD_KEY(WIZ_CHANGE, '2', "2", "2 removal",
    "Change: remove MTA-STS (mode none with a short max_age first)",
    wiz_change_remove)
WIZARD_KEY(WIZ_CHANGE, '3', "3", "3 host",
    "Change: move the policy host; type the new host's CNAME target",
    wiz_change_host)
WIZARD_KEY(WIZ_CHANGE, '4', "4", "4 max_age",
    "Change: raise max_age; type the new max_age", wiz_change_age)
WIZARD_KEY(WIZ_CHANGE, 'n', "n", NULL, "Change (MX): type the new MX host",
    wiz_change_new_mx)
WIZARD_KEY(WIZ_CHANGE, 'o', "o", NULL,
    "Change (MX): type the old MX host (default: the only MX)",
    wiz_change_old_mx)
WIZARD_KEY(WIZ_CHANGE, 'c', "c", NULL,
    "Change (host): type the new host's CNAME target", wiz_change_cname)
WIZARD_KEY(WIZ_CHANGE, 'a', "a", NULL,
    "Change (host): type the new host's address instead", wiz_change_addr)
WIZARD_KEY(WIZ_CHANGE, 'm', "m", NULL,
    "Change (removal, max_age): type the max_age in seconds",
    wiz_change_max_age)
WIZARD_KEY(WIZ_CHANGE, WIZ_ENTER, "Enter", "Enter plan",
    "Change: make the plan and show its steps (nothing is written)",
    wiz_change_make)
WIZARD_KEY(WIZ_CHANGE, 'b', "b", "b back", "Change: back to the current state",
    wiz_change_back)
WIZARD_KEY(WIZ_CHASK, 'y', "y", "y save plan",
    "Change: save the change plan shown", wiz_change_yes)
WIZARD_KEY(WIZ_CHASK, 'Y', "Y", NULL, "Change: save the change plan shown",
    wiz_change_yes)
WIZARD_KEY(WIZ_CHASK, 'n', "n", "n keep",
    "Change: do not save it (nothing is written)", wiz_change_no)
WIZARD_KEY(WIZ_CHASK, 'N', "N", NULL,
    "Change: do not save it (nothing is written)", wiz_change_no)
WIZARD_KEY(WIZ_CHASK, KEYS_ESC, "Esc", NULL,
    "Change: do not save it (nothing is written)", wiz_change_no)
WIZARD_KEY(WIZ_STEPS & ~WIZ_OUTPUT, WIZ_ENTER, "Enter", "Enter next",
    "the next screen, once its answers are valid", wiz_next)
WIZARD_KEY(WIZ_STEPS & ~WIZ_STATE, 'b', "b", "b back", "the screen before",
    wiz_back)
WIZARD_KEY(WIZ_STEPS | WIZ_CHANGE, 'q', "q", "q quit",
    "leave the wizard; nothing is written", wiz_quit)
WIZARD_KEY(WIZ_STEPS | WIZ_CHANGE, '?', "?", NULL, "the keys (this help)",
    wiz_help)
WIZARD_KEY(WIZ_STEPS | WIZ_CHANGE, 'S', "S", NULL,
    "save this screen as plain text (the screen's S)", wiz_screen_key)
