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
WIZARD_KEY(WIZ_STEPS & ~WIZ_OUTPUT, WIZ_ENTER, "Enter", "Enter next",
    "the next screen, once its answers are valid", wiz_next)
WIZARD_KEY(WIZ_STEPS & ~WIZ_STATE, 'b', "b", "b back", "the screen before",
    wiz_back)
WIZARD_KEY(WIZ_STEPS, 'q', "q", "q quit",
    "leave the wizard; nothing is written", wiz_quit)
WIZARD_KEY(WIZ_STEPS, '?', "?", NULL, "the keys (this help)", wiz_help)
