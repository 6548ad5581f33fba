/*
 * wizard: the entry of mtasts-tui wizard DOMAIN.  The screens are views
 * of the TUI (tui/view_wizard.h); the rules behind them are in draft.h.
 */
#ifndef MTASTS_WIZARD_H
#define MTASTS_WIZARD_H

struct cli_options;
struct domain_name;

int wizard_run(const struct cli_options *, const struct domain_name *);

#endif
