/*
 * cmd_rollout: `mtasts-tui rollout start|status|next DOMAIN`, the rollout
 * plan from the command line (the wizard makes plans interactively).
 */
#ifndef MTASTS_CLI_CMD_ROLLOUT_H
#define MTASTS_CLI_CMD_ROLLOUT_H

#include "options.h"

struct domain_name;
struct state;

int cmd_rollout(const struct cli_options *, const struct domain_name *);
/* Writes the plan's milestones to --ics, if given; 0 or -1. */
int cmd_rollout_ics(const struct cli_options *, const struct state *);

#endif
