/*
 * mtasts-tui: parses the command line once (cli/), validates the domain
 * and hands the run configuration to the front end that runs the command:
 * the plain commands (cli/) or the interactive screen (tui/).
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "cli/cli.h"
#include "domain.h"
#include "run_config.h"
#include "tui/tui.h"

int
main(int argc, char **argv)
{
	struct run_config   rc;
	struct cli_options *cli;
	struct domain_name *dn = NULL;
	char		   *cause;
	int		    status;

	setlocale(LC_CTYPE, "");
	if ((cli = cli_parse(argc, argv, &rc)) == NULL)
		return EXIT_CHECK_UNKNOWN;
	if ((status = cli_run_standalone(cli)) >= 0) {
		cli_free(cli);
		return status;
	}

	/* The fleet table: many domains, none to validate here. */
	if (rc.front == RUN_FLEET) {
		if (check_global_init(&cause) != 0) {
			fprintf(stderr, "mtasts-tui: %s\n", cause);
			free(cause);
			cli_free(cli);
			return EXIT_CHECK_UNKNOWN;
		}
		status = tui_fleet_run(&rc);
		check_global_cleanup();
		cli_free(cli);
		return status;
	}
	/* --from-json: the document names the domain (tui_run reads it). */
	if (rc.from_json == NULL &&
	    (dn = domain_name_parse(rc.domain, &cause)) == NULL) {
		fprintf(stderr, "mtasts-tui: %s\n", cause);
		free(cause);
		cli_free(cli);
		return EXIT_CHECK_UNKNOWN;
	}
	/* Both forms, so the user sees which name is really looked up. */
	if (dn != NULL && domain_name_unicode(dn) != NULL)
		fprintf(stderr, "mtasts-tui: checking %s (%s)\n",
		    domain_name_unicode(dn), domain_name_ascii(dn));
	if (check_global_init(&cause) != 0) {
		fprintf(stderr, "mtasts-tui: %s\n", cause);
		free(cause);
		domain_name_free(dn);
		cli_free(cli);
		return EXIT_CHECK_UNKNOWN;
	}
	if (rc.front == RUN_SCREEN)
		status = tui_run(&rc, dn);
	else if (rc.front == RUN_WIZARD)
		status = tui_wizard_run(&rc, dn);
	else
		status = cli_run(cli, dn);
	domain_name_free(dn);
	check_global_cleanup();
	cli_free(cli);
	return status;
}
