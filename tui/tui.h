/*
 * tui: the interactive screen (mtasts-tui DOMAIN).
 */
#ifndef MTASTS_TUI_H
#define MTASTS_TUI_H

struct cli_options;
struct domain_name;

/* Runs the screen until the user quits; returns the exit status. */
int tui_run(const struct cli_options *, const struct domain_name *);

#endif
