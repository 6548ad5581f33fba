/*
 * wizard: the rollout wizard (mtasts-tui wizard DOMAIN).
 */
#ifndef MTASTS_WIZARD_H
#define MTASTS_WIZARD_H

struct cli_options;
struct domain_name;

int wizard_run(const struct cli_options *, const struct domain_name *);

#endif
