#include "config.h"
#include "wizard.h"

#include <stdio.h>

#include "../cli/options.h"

/* The wizard arrives with its own issue; until then say so plainly. */
int
wizard_run(const struct cli_options *opts, const struct domain_name *dn)
{
	(void)opts;
	(void)dn;
	fprintf(stderr, "mtasts-tui: the wizard is not implemented yet\n");
	return EXIT_CHECK_UNKNOWN;
}
