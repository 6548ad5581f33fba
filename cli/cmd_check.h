/*
 * cmd_check: `mtasts-tui check DOMAIN`, the engine without a screen.
 */
#ifndef MTASTS_CLI_CMD_CHECK_H
#define MTASTS_CLI_CMD_CHECK_H

#include "check.h"
#include "options.h"

struct domain_name;

int cmd_check(const struct cli_options *, const struct domain_name *);
/* The engine options the command line asks for. */
void cmd_check_options(struct check_options *, const struct cli_options *);

#endif
