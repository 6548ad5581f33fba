/*
 * mtasts-tui: the front end.  Parses the command line, validates the domain
 * and hands over to the engine (check, lint), the TUI or the wizard.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "check.h"
#include "cmd_check.h"
#include "cmd_export.h"
#include "cmd_lint.h"
#include "cmd_report.h"
#include "cmd_rollout.h"
#include "domain.h"
#include "options.h"
#include "../tui/tui.h"
#include "../wizard/wizard.h"

int
main(int argc, char **argv)
{
	struct cli_options  opts;
	struct domain_name *dn = NULL;
	char		   *cause;
	int		    rc;

	setlocale(LC_CTYPE, "");
	if (cli_options_parse(&opts, argc, argv) != 0)
		return EXIT_CHECK_UNKNOWN;

	switch (opts.command) {
	case CLI_HELP:
		cli_usage();
		return EXIT_CHECK_OK;
	case CLI_VERSION:
		printf("mtasts-tui %s\n", MTASTS_VERSION);
		return EXIT_CHECK_OK;
	case CLI_FINDINGS:
		return catalog_print(&opts);
	case CLI_LINT:
		return cmd_lint(&opts);
	case CLI_REPORT:
		return cmd_report(&opts);
	default:
		break;
	}

	if ((dn = domain_name_parse(opts.domain, &cause)) == NULL) {
		fprintf(stderr, "mtasts-tui: %s\n", cause);
		free(cause);
		return EXIT_CHECK_UNKNOWN;
	}
	/* Both forms, so the user sees which name is really looked up. */
	if (domain_name_unicode(dn) != NULL)
		fprintf(stderr, "mtasts-tui: checking %s (%s)\n",
		    domain_name_unicode(dn), domain_name_ascii(dn));
	if (check_global_init(&cause) != 0) {
		fprintf(stderr, "mtasts-tui: %s\n", cause);
		free(cause);
		domain_name_free(dn);
		return EXIT_CHECK_UNKNOWN;
	}
	switch (opts.command) {
	case CLI_CHECK:
		rc = cmd_check(&opts, dn);
		break;
	case CLI_WIZARD:
		rc = wizard_run(&opts, dn);
		break;
	case CLI_EXPORT:
		rc = cmd_export(&opts, dn);
		break;
	case CLI_ROLLOUT:
		rc = cmd_rollout(&opts, dn);
		break;
	default:
		rc = tui_run(&opts, dn);
		break;
	}
	domain_name_free(dn);
	check_global_cleanup();
	return rc;
}
