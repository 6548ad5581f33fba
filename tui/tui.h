/*
 * tui: the interactive screen (mtasts-tui DOMAIN).
 */
#ifndef MTASTS_TUI_H
#define MTASTS_TUI_H

struct domain_name;
struct run_config;

/* Runs the screen until the user quits; returns the exit status. */
int tui_run(const struct run_config *, const struct domain_name *);

#endif
