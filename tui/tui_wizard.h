/*
 * tui_wizard: mtasts-tui wizard DOMAIN -- the live check first (its
 * errors go to the terminal), then the screen's one loop with the wizard
 * view on top; what was written is printed once the screen is gone.
 */
#ifndef MTASTS_TUI_TUI_WIZARD_H
#define MTASTS_TUI_TUI_WIZARD_H

struct cli_options;
struct domain_name;

/* Returns an exit status: 0 written, 1 left, 3 on errors. */
int tui_wizard_run(const struct cli_options *, const struct domain_name *);

#endif
