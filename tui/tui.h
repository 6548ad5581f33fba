/*
 * tui: the interactive screen (mtasts-tui DOMAIN, mtasts-tui wizard DOMAIN).
 */
#ifndef MTASTS_TUI_H
#define MTASTS_TUI_H

struct domain_name;
struct run_config;

/* Runs the screen until the user quits; returns the exit status. */
int tui_run(const struct run_config *, const struct domain_name *);
/*
 * mtasts-tui wizard DOMAIN: the live check first (its errors go to the
 * terminal), then the same screen with the wizard view on top; what was
 * written is printed once the screen is gone.  Returns 0 written, 1 left,
 * 3 on errors.
 */
int tui_wizard_run(const struct run_config *, const struct domain_name *);

#endif
