/*
 * cmd_change: 'rollout start --change KIND', and 'rollout status' and
 * 'rollout next' on a change plan (wizard/change.h).  cmd_rollout hands
 * over to these when the option or the saved plan says so.
 */
#ifndef MTASTS_CLI_CMD_CHANGE_H
#define MTASTS_CLI_CMD_CHANGE_H

#include "options.h"

struct domain_name;
struct state;

/* A saved plan is replaced only with --force; its ids are kept. */
int cmd_change_start(const struct cli_options *, const struct domain_name *,
    const char *path, long today);
int cmd_change_status(const struct cli_options *, struct state *,
    const char *path, long today);
int cmd_change_next(const struct cli_options *, struct state *,
    const char *path, long today);

#endif
