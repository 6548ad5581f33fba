#include "config.h"
#include "tui.h"

#include <stdio.h>

#include "../cli/options.h"

/* The live screen arrives with the TUI issue; until then say so plainly. */
int
tui_run(const struct cli_options *opts, const struct domain_name *dn)
{
	(void)opts;
	(void)dn;
	fprintf(stderr, "mtasts-tui: the interactive screen is not "
	    "implemented yet\n");
	return EXIT_CHECK_UNKNOWN;
}
