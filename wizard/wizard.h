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

/*
 * Transitional (issue 11): wizard_run_embedded() on the run configuration
 * (its plan directory, output directory and --force), for the TUI, which
 * does not see cli/'s options.  Goes when the wizard's entries take a
 * struct run_config themselves.
 */
struct run_config;
int wizard_embedded_run(const struct run_config *, const struct domain_name *,
    const struct check *, char **msg);

#endif
