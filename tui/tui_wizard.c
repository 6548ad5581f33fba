#include "config.h"
#include "tui_wizard.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../cli/cmd_check.h"
#include "../cli/msg.h"
#include "../cli/options.h"
#include "app.h"
#include "check.h"
#include "domain.h"
#include "loop.h"
#include "term.h"
#include "view_wizard.h"
#include "wizard/draft.h"

int
tui_wizard_run(const struct cli_options *opts, const struct domain_name *dn)
{
	struct view_wizard_end end = { 1, NULL };
	struct check_options   co;
	struct wizard_draft   *d;
	struct check	      *c;
	struct app	       app;
	char		      *cause;
	int		       ascii;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr,
		    "mtasts-tui: the wizard needs a terminal; "
		    "scripts use 'mtasts-tui export'\n");
		return EXIT_CHECK_UNKNOWN;
	}
	if ((d = wizard_draft_new(domain_name_ascii(dn), opts->state_dir,
		 opts->out_dir, opts->force, &cause)) == NULL) {
		msg_error("%s", cause);
		free(cause);
		return EXIT_CHECK_UNKNOWN;
	}
	/* Before the screen exists, so its errors can be printed. */
	msg_error("checking %s ...", domain_name_ascii(dn));
	cmd_check_options(&co, opts);
	if ((c = check_run_sync(domain_name_ascii(dn), &co, NULL, NULL,
		 &cause)) == NULL) {
		msg_error("%s", cause);
		free(cause);
		wizard_draft_free(d);
		return EXIT_CHECK_UNKNOWN;
	}
	wizard_draft_prefill(d, c);
	if (term_init(opts->color, &ascii, &cause) != 0) {
		term_done();
		fprintf(stderr, "mtasts-tui: %s\n", cause);
		free(cause);
		wizard_draft_free(d);
		check_free(c);
		return EXIT_CHECK_UNKNOWN;
	}
	app_init(&app, opts, dn, ascii);
	/* The panes below show the check the wizard starts from. */
	app.check = c;
	app.runs = 1;
	app.flags |= view_wizard_open(&app, d, &end);
	loop_run(&app);
	app_free(&app);
	term_done();
	if (end.rc == 0)
		fputs(end.summary, stdout);
	else
		printf("mtasts-tui: the wizard was left; nothing was "
		       "written.\n");
	free(end.summary);
	return end.rc;
}
