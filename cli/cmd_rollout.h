/*
 * cmd_rollout: `mtasts-tui rollout start|status|next DOMAIN`, the rollout
 * plan from the command line (the wizard makes plans interactively).
 */
#ifndef MTASTS_CLI_CMD_ROLLOUT_H
#define MTASTS_CLI_CMD_ROLLOUT_H

#include "options.h"

struct domain_name;

int cmd_rollout(const struct cli_options *, const struct domain_name *);

#endif
