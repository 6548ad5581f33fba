/*
 * wizard: the rollout wizard (mtasts-tui wizard DOMAIN).
 */
#ifndef MTASTS_WIZARD_H
#define MTASTS_WIZARD_H

struct cli_options;
struct domain_name;

struct check;

int wizard_run(const struct cli_options *, const struct domain_name *);
/*
 * The wizard on a curses screen that is already up (the TUI's), judged by
 * a check that is done (the caller's).  Returns 0 when the files and the
 * plan were written, 1 when the wizard was left, 3 on errors; *msg gets
 * one line to show (caller frees).
 */
int wizard_run_embedded(const struct cli_options *, const struct domain_name *,
    const struct check *, char **msg);

#endif
