/*
 * cmd_export: `mtasts-tui export DOMAIN`, the wizard's generator for
 * scripts.  Also builds the settings `rollout start` uses.
 */
#ifndef MTASTS_CLI_CMD_EXPORT_H
#define MTASTS_CLI_CMD_EXPORT_H

#include <stddef.h>

#include "options.h"

struct domain_name;
struct gen_spec;

int cmd_export(const struct cli_options *, const struct domain_name *);
/*
 * Fills spec (initialised by the call) from the options, with defaults;
 * used ids (may be NULL) are never handed out again.  Runs a live check
 * for the MX hosts when no --mx is given.  On invalid input prints one
 * line naming the option and returns -1 (nothing has been written).
 */
int cmd_export_spec(struct gen_spec *, const struct cli_options *,
    const struct domain_name *, const char *const *used, size_t nused);
/* The option a gen_field comes from, for error messages. */
const char *cmd_export_option(int field);

#endif
