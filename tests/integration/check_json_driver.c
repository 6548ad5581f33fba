/*
 * Test driver for engine/check_json: runs one live check of DOMAIN, writes
 * its --json document to PREFIX.json and its text report to PREFIX.txt,
 * then rebuilds a check from that document and writes the snapshot's text
 * report to PREFIX.snap.txt and its --json to PREFIX.snap.json.  For
 * tests/integration/tui-snapshot.sh and for saving the unit test's
 * fixtures (tests/golden/check/update.sh).  Not installed.
 *
 * usage: check_json_driver DOMAIN PREFIX
 *
 * The resolver, CA and ports are the defaults, as `mtasts-tui check`
 * inside the lab has them (MTASTS_SMTP_PORT, MTASTS_FETCH_PORT honoured).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "check_json.h"
#include "cli/report_text.h"
#include "report_json.h"
#include "xmalloc.h"

#define TOOL "mtasts-tui test"

static int
save(const char *prefix, const char *ext, const struct check *c, int text)
{
	struct report_text_style st = { 0, 0 };
	char			*path = xasprintf("%s%s", prefix, ext), *json;
	FILE			*f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		free(path);
		return -1;
	}
	if (text)
		report_text_check(f, c, NULL, &st);
	else {
		json = report_json(c, NULL, TOOL, NULL);
		fputs(json, f);
		free(json);
	}
	free(path);
	return fclose(f) == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct check_options co;
	struct check	    *c, *snap;
	char		    *cause = NULL, *json, *port;
	size_t		     len;
	int		     rc = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: check_json_driver DOMAIN PREFIX\n");
		return 2;
	}
	if (check_global_init(&cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		return 1;
	}
	memset(&co, 0, sizeof(co));
	co.no_history = 1;
	if ((port = getenv("MTASTS_SMTP_PORT")) != NULL)
		co.smtp_port = (unsigned)strtoul(port, NULL, 10);
	if ((port = getenv("MTASTS_FETCH_PORT")) != NULL)
		co.fetch_port = (unsigned)strtoul(port, NULL, 10);
	if ((c = check_run_sync(argv[1], &co, NULL, NULL, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		return 1;
	}
	if (save(argv[2], ".json", c, 0) != 0 ||
	    save(argv[2], ".txt", c, 1) != 0)
		rc = 1;
	json = report_json(c, NULL, TOOL, &len);
	if ((snap = check_from_json(json, len, &cause)) == NULL) {
		fprintf(stderr, "check_from_json: %s\n", cause);
		rc = 1;
	} else if (!check_is_snapshot(snap) ||
	    save(argv[2], ".snap.txt", snap, 1) != 0 ||
	    save(argv[2], ".snap.json", snap, 0) != 0)
		rc = 1;
	free(json);
	check_free(snap);
	check_free(c);
	check_global_cleanup();
	return rc;
}
