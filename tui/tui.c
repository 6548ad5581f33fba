#include "config.h"
#include "tui.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "app.h"
#include "check.h"
#include "check_json.h"
#include "loop.h"
#include "run_config.h"
#include "term.h"
#include "view.h"
#include "xmalloc.h"

/*
 * --from-json FILE: the check rebuilt from the document, read before the
 * screen is set up so an error is a plain line on stderr.  The file is
 * read up to one byte over the document cap, so a bigger one is refused
 * without being held.
 */
static struct check *
tui_read_snapshot(const char *path)
{
	struct check *c;
	FILE	     *f;
	char	     *buf, *why;
	size_t	      n;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "mtasts-tui: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc((size_t)CHECK_JSON_MAX + 1);
	n = fread(buf, 1, (size_t)CHECK_JSON_MAX + 1, f);
	if (ferror(f)) {
		fprintf(stderr, "mtasts-tui: %s: read error\n", path);
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	c = check_from_json(buf, n, &why);
	free(buf);
	if (c == NULL) {
		fprintf(stderr, "mtasts-tui: %s: %s\n", path, why);
		free(why);
	}
	return c;
}

/*
 * Runs the screen.  The exit status is the plain commands' (0-3) for the
 * last check shown when it finished, else 3.
 */
int
tui_run(const struct run_config *cfg, const struct domain_name *dn)
{
	struct app    app;
	struct check *snap = NULL;
	char	     *cause;
	int	      ascii, rc;

	if (cfg->from_json != NULL &&
	    (snap = tui_read_snapshot(cfg->from_json)) == NULL)
		return EXIT_CHECK_UNKNOWN;
	if (term_init(cfg->color, &ascii, &cause) != 0) {
		term_done();
		fprintf(stderr, "mtasts-tui: %s\n", cause);
		free(cause);
		check_free(snap);
		return EXIT_CHECK_UNKNOWN;
	}
	app_init(&app, cfg, dn, ascii);
	if (snap == NULL)
		app_start(&app);
	else if (app_take_snapshot(&app, snap, &cause) != 0) {
		app_free(&app);
		term_done();
		fprintf(stderr, "mtasts-tui: %s: %s\n", cfg->from_json, cause);
		free(cause);
		return EXIT_CHECK_UNKNOWN;
	}
	loop_run(&app);
	rc = EXIT_CHECK_UNKNOWN;
	if (app.check != NULL && check_done(app.check))
		rc = check_exit_status(app.check);
	/* Windows go before the screen they belong to. */
	app_free(&app);
	term_done();
	return rc;
}

int
tui_fleet_run(const struct run_config *cfg)
{
	struct app app;
	char	  *cause;
	int	   ascii, busy, rc;

	if (term_init(cfg->color, &ascii, &cause) != 0) {
		term_done();
		fprintf(stderr, "mtasts-tui: %s\n", cause);
		free(cause);
		return EXIT_CHECK_UNKNOWN;
	}
	app_init_base(&app, cfg, NULL, ascii, &view_fleet_ops);
	loop_run(&app);
	busy = app.source.fd != NULL && app.source.fd(app.source.arg) != -1;
	if (busy) {
		/*
		 * Checks of an unfinished scan still run on their threads:
		 * freeing the scan would wait for them, and exit() would run
		 * the libraries' cleanup under them (as `scan` does when
		 * stopped).  What was written is out: end at once.
		 */
		term_done();
		fflush(NULL);
		_exit(EXIT_CHECK_OK);
	}
	rc = app.nviews > 0 && view_fleet_failed(app.views[0])
	    ? EXIT_CHECK_UNKNOWN
	    : EXIT_CHECK_OK;
	app_free(&app);
	term_done();
	return rc;
}
