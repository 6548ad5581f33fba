#include "config.h"
#include "wizard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "domain.h"
#include "../cli/cmd_check.h"
#include "../cli/msg.h"
#include "../cli/options.h"
#include "schedule.h"
#include "screens.h"
#include "state.h"
#include "xmalloc.h"

/*
 * Loads the plan, runs the live check (before the screen exists, so its
 * errors can be printed), then hands over to the screens.
 */
int
wizard_run(const struct cli_options *opts, const struct domain_name *dn)
{
	struct screens_input in;
	struct check_options co;
	struct state	    *prev = NULL;
	struct check	    *c;
	char		    *path, *cause;
	int		     rc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr,
		    "mtasts-tui: the wizard needs a terminal; "
		    "scripts use 'mtasts-tui export'\n");
		return EXIT_CHECK_UNKNOWN;
	}
	memset(&in, 0, sizeof(in));
	if ((in.today = schedule_today(&cause)) == -1) {
		msg_error("%s", cause);
		free(cause);
		return EXIT_CHECK_UNKNOWN;
	}
	in.now = schedule_now();
	path = state_path(opts->state_dir, domain_name_ascii(dn));
	if (state_load(path, &prev, &cause) == -1) {
		msg_error("%s", cause);
		free(cause);
		free(path);
		return EXIT_CHECK_UNKNOWN;
	}
	msg_error("checking %s ...", domain_name_ascii(dn));
	cmd_check_options(&co, opts);
	if ((c = check_run_sync(domain_name_ascii(dn), &co, NULL, NULL,
		 &cause)) == NULL) {
		msg_error("%s", cause);
		free(cause);
		state_free(prev);
		free(path);
		return EXIT_CHECK_UNKNOWN;
	}
	in.domain = domain_name_ascii(dn);
	in.check = c;
	in.prev = prev;
	in.state_path = path;
	in.out_dir = opts->out_dir;
	in.force = opts->force;
	rc = screens_run(&in);
	check_free(c);
	state_free(prev);
	free(path);
	return rc;
}

int
wizard_run_embedded(const struct cli_options *opts,
    const struct domain_name *dn, const struct check *c, char **msg)
{
	struct screens_input in;
	struct state	    *prev = NULL;
	char		    *path, *cause;
	int		     rc;

	*msg = NULL;
	memset(&in, 0, sizeof(in));
	if ((in.today = schedule_today(&cause)) == -1) {
		*msg = cause;
		return EXIT_CHECK_UNKNOWN;
	}
	in.now = schedule_now();
	path = state_path(opts->state_dir, domain_name_ascii(dn));
	if (state_load(path, &prev, &cause) == -1) {
		*msg = cause;
		free(path);
		return EXIT_CHECK_UNKNOWN;
	}
	in.domain = domain_name_ascii(dn);
	in.check = c;
	in.prev = prev;
	in.state_path = path;
	in.out_dir = opts->out_dir;
	in.force = opts->force;
	in.embedded = 1;
	rc = screens_run(&in);
	if (rc == 0)
		*msg = xasprintf("the wizard wrote its files; rollout plan "
				 "saved in %s",
		    path);
	else if (rc == 1)
		*msg = xasprintf("the wizard was left; nothing was written");
	state_free(prev);
	free(path);
	return rc;
}
