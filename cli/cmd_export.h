/*
 * cmd_export: `mtasts-tui export DOMAIN`, the wizard's generator for
 * scripts.  Also builds the settings `rollout start` uses.
 */
#ifndef MTASTS_CLI_CMD_EXPORT_H
#define MTASTS_CLI_CMD_EXPORT_H

#include <stddef.h>

#include "options.h"

struct domain_name;
struct wizard_draft;

int cmd_export(const struct cli_options *, const struct domain_name *);
/*
 * The settings from the one set of defaults (wizard_draft_prefill(): the
 * saved plan, else the live deployment, read when no --mx is given) with
 * the options given on top; ids the plan used are never handed out
 * again.  A weakening the options ask for is said on stderr.  On invalid
 * input prints one line naming the option and returns NULL (nothing has
 * been written).  The caller frees with wizard_draft_free().
 */
struct wizard_draft *cmd_export_draft(const struct cli_options *,
    const struct domain_name *);
/* The option a gen_field comes from, for error messages. */
const char *cmd_export_option(int field);

#endif
