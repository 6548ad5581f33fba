#include "config.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "cmd_check.h"
#include "cmd_export.h"
#include "cmd_lint.h"
#include "cmd_report.h"
#include "cmd_rollout.h"
#include "cmd_scan.h"
#include "cmd_scan_summary.h"
#include "options.h"
#include "report_imap.h"
#include "xmalloc.h"

/* report_imap's voice: the engine never prints. */
static void
cli_imap_note(const char *msg, void *arg)
{
	(void)arg;
	fprintf(stderr, "mtasts-tui: %s\n", msg);
}

/* Progress only where someone watches: a terminal, overwritten in place. */
static void
cli_imap_progress(size_t done, size_t total, void *arg)
{
	(void)arg;
	if (!isatty(STDERR_FILENO))
		return;
	if (done == total)
		fputs("\r\033[K", stderr);
	else
		fprintf(stderr, "\rreading the mailbox: message %zu of %zu",
		    done + 1, total);
}

struct cli_options *
cli_parse(int argc, char **argv, struct run_config *rc)
{
	struct cli_options *opts = xcalloc(1, sizeof(*opts));

	memset(rc, 0, sizeof(*rc));
	/* scan-summary has options of its own and shares none. */
	if (argc >= 2 && strcmp(argv[1], "scan-summary") == 0) {
		opts->command = CLI_SCAN_SUMMARY;
		opts->paths = argv + 1;
		opts->npaths = argc - 1;
		return opts;
	}
	if (cli_options_parse(opts, argc, argv) != 0) {
		free(opts);
		return NULL;
	}
	rc->front = opts->command == CLI_INTERACTIVE ? RUN_SCREEN
	    : opts->command == CLI_WIZARD	     ? RUN_WIZARD
	    : opts->command == CLI_FLEET	     ? RUN_FLEET
						     : RUN_PLAIN;
	{
		struct report_imap_opts io = { 0 };

		/* Before any thread: the rollout gate reads these. */
		io.password_file = opts->password_file;
		/* The screen owns the terminal: no lines over it. */
		if (rc->front == RUN_PLAIN) {
			io.note = cli_imap_note;
			io.progress = cli_imap_progress;
		}
		/* --timeout bounds every IMAP wait too. */
		if (opts->timeout > 0)
			io.timeout_ms = (long)(opts->timeout * 1000);
		report_imap_set_defaults(&io);
	}
	rc->domain = opts->domain;
	cmd_check_options(&rc->check, opts);
	rc->color = opts->color;
	rc->reports = opts->reports;
	rc->from_json = opts->from_json;
	rc->state_dir = opts->state_dir;
	rc->out_dir = opts->out_dir;
	rc->force = opts->force;
	if (opts->command == CLI_FLEET) {
		rc->fleet_list = opts->fleet_list;
		rc->fleet_out = opts->out_dir;
		rc->fleet_scans = opts->paths;
		rc->nfleet_scans = opts->npaths;
		rc->concurrency = opts->concurrency;
		rc->per_dest = opts->per_dest;
		rc->fleet_db = opts->db;
		rc->fleet_no_db = opts->no_db;
		rc->fleet_since = opts->since_t;
	}
	rc->watch = opts->watch;
	rc->watch_secs = opts->watch_secs;
	return opts;
}

void
cli_free(struct cli_options *opts)
{
	free(opts);
}

int
cli_run_standalone(const struct cli_options *opts)
{
	switch (opts->command) {
	case CLI_HELP:
		cli_usage();
		return EXIT_CHECK_OK;
	case CLI_VERSION:
		printf("mtasts-tui %s\n", MTASTS_VERSION);
		return EXIT_CHECK_OK;
	case CLI_FINDINGS:
		return catalog_print(opts);
	case CLI_LINT:
		return cmd_lint(opts);
	case CLI_REPORT:
		return cmd_report(opts);
	case CLI_SCAN:
		return cmd_scan(opts);
	case CLI_SCAN_SUMMARY:
		return cmd_scan_summary(opts->npaths, opts->paths);
	default:
		return -1;
	}
}

int
cli_run(const struct cli_options *opts, const struct domain_name *dn)
{
	switch (opts->command) {
	case CLI_CHECK:
		return cmd_check(opts, dn);
	case CLI_EXPORT:
		return cmd_export(opts, dn);
	case CLI_ROLLOUT:
		return cmd_rollout(opts, dn);
	default:
		return EXIT_CHECK_UNKNOWN;
	}
}
