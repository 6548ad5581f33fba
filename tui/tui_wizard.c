#include "config.h"
#include "tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "app.h"
#include "check.h"
#include "domain.h"
#include "loop.h"
#include "run_config.h"
#include "term.h"
#include "text.h"
#include "view_wizard.h"
#include "wizard/draft.h"

/* An error before the screen exists, made safe for the terminal. */
static void
tui_wizard_error(char *cause)
{
	char *s = text_cleans(cause);

	fprintf(stderr, "mtasts-tui: %s\n", s);
	free(s);
	free(cause);
}

int
tui_wizard_run(const struct run_config *cfg, const struct domain_name *dn)
{
	struct view_wizard_end end = { 1, NULL };
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
	if ((d = wizard_draft_new(domain_name_ascii(dn), cfg->state_dir,
		 cfg->out_dir, cfg->force, &cause)) == NULL) {
		tui_wizard_error(cause);
		return EXIT_CHECK_UNKNOWN;
	}
	/* Before the screen exists, so its errors can be printed. */
	fprintf(stderr, "mtasts-tui: checking %s ...\n", domain_name_ascii(dn));
	if ((c = check_run_sync(domain_name_ascii(dn), &cfg->check, NULL, NULL,
		 &cause)) == NULL) {
		tui_wizard_error(cause);
		wizard_draft_free(d);
		return EXIT_CHECK_UNKNOWN;
	}
	wizard_draft_prefill(d, c);
	if (term_init(cfg->color, &ascii, &cause) != 0) {
		term_done();
		tui_wizard_error(cause);
		wizard_draft_free(d);
		check_free(c);
		return EXIT_CHECK_UNKNOWN;
	}
	app_init(&app, cfg, dn, ascii);
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
