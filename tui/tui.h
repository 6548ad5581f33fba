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

/*
 * The fleet table: mtasts-tui -f FILE scans FILE's domains on the screen
 * (JSON Lines to --out FILE, else to a temporary file gone at exit);
 * mtasts-tui SCAN.jsonl... opens finished scans (shards merged, the last
 * document of a domain wins, as scan-summary counts).  Returns 0, or 3
 * when the input cannot be read.
 */
int tui_fleet_run(const struct run_config *);

#endif
