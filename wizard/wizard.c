#include "config.h"
#include "wizard.h"

#include "../tui/tui_wizard.h"

/*
 * Transitional: the command's entry until the front end calls
 * tui_wizard_run() itself (issue 11, branch h-front).
 */
int
wizard_run(const struct cli_options *opts, const struct domain_name *dn)
{
	return tui_wizard_run(opts, dn);
}
