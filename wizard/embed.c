/*
 * embed: the TUI's way into the wizard while wizard_run_embedded() still
 * takes cli/'s options (issue 11, transitional).  The only wizard/ file
 * besides wizard.c that sees cli/; tests/static/includes.sh lists it.
 */
#include "config.h"
#include "wizard.h"

#include <string.h>

#include "cli/options.h"
#include "run_config.h"

int
wizard_embedded_run(const struct run_config *cfg, const struct domain_name *dn,
    const struct check *c, char **msg)
{
	struct cli_options opts;

	/* wizard_run_embedded() reads these three and nothing else. */
	memset(&opts, 0, sizeof(opts));
	opts.state_dir = cfg->state_dir;
	opts.out_dir = cfg->out_dir;
	opts.force = cfg->force;
	return wizard_run_embedded(&opts, dn, c, msg);
}
