#include "config.h"
#include "cmd_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain.h"
#include "msg.h"
#include "report_json.h"
#include "report_nagios.h"
#include "report_text.h"

void
cmd_check_options(struct check_options *co, const struct cli_options *opts)
{
	const char *port;

	memset(co, 0, sizeof(*co));
	co->resolver = opts->resolver;
	co->resolver_port = opts->resolver_port;
	co->ca_file = opts->ca_file;
	co->timeout_scale = opts->timeout_scale;
	co->deadline = opts->deadline;
	co->family = opts->family;
	co->no_history = opts->no_history;
	co->serial = opts->serial;
	co->skip_mx = opts->skip_mx;
	co->nskip_mx = (size_t)opts->nskip_mx;
	co->expiry_warn_days = opts->expiry_warn;
	co->ehlo_name = opts->ehlo;
	co->no_mx_tls = opts->no_mx_tls;
	co->reports = opts->reports;
	if ((port = getenv("MTASTS_SMTP_PORT")) != NULL)
		co->smtp_port = (unsigned)strtoul(port, NULL, 10);
	/* For tests against servers on other ports; not a user option. */
	if ((port = getenv("MTASTS_FETCH_PORT")) != NULL)
		co->fetch_port = (unsigned)strtoul(port, NULL, 10);
}

/* The plugin output is made from the --json document (report_nagios.h). */
static int
cmd_check_nagios(struct check *c, const struct domain_name *dn,
    const struct cli_options *opts)
{
	struct report_nagios_limits lim;
	json_t			   *doc;
	char			   *json;
	int			    rc;

	lim.warn_days = opts->warn_days;
	lim.crit_days = opts->crit_days;
	json = report_json(c, domain_name_unicode(dn),
	    "mtasts-tui " MTASTS_VERSION, NULL);
	if ((doc = json_loads(json, 0, NULL)) == NULL)
		rc = report_nagios_unknown(stdout,
		    "internal: unreadable report");
	else
		rc = report_nagios(stdout, doc, &lim);
	json_decref(doc);
	free(json);
	return rc;
}

int
cmd_check(const struct cli_options *opts, const struct domain_name *dn)
{
	struct report_text_style st;
	struct check_options	 co;
	struct check		*c;
	char			*cause, *json;
	int			 rc;

	cmd_check_options(&co, opts);
	/* -w also sets the findings' expiry window (unless --expiry-warn
	 * does), so that hygiene and the threshold agree. */
	if (opts->format == CLI_FORMAT_NAGIOS && opts->expiry_warn == 0 &&
	    opts->warn_days > 0)
		co.expiry_warn_days = opts->warn_days;
	if ((c = check_run_sync(domain_name_ascii(dn), &co, NULL, NULL,
		 &cause)) == NULL) {
		if (opts->format == CLI_FORMAT_NAGIOS)
			report_nagios_unknown(stdout, cause);
		msg_error("%s", cause);
		free(cause);
		return EXIT_CHECK_UNKNOWN;
	}
	if (opts->format == CLI_FORMAT_NAGIOS) {
		rc = cmd_check_nagios(c, dn, opts);
		fflush(stdout);
		check_free(c);
		return rc;
	}
	if (opts->format == CLI_FORMAT_JSON) {
		json = report_json(c, domain_name_unicode(dn),
		    "mtasts-tui " MTASTS_VERSION, NULL);
		fputs(json, stdout);
		free(json);
	} else {
		report_text_style_init(&st, opts->color, stdout);
		report_text_check(stdout, c, domain_name_unicode(dn), &st);
	}
	if (check_failure(c) != NULL)
		msg_error("could not check %s: %s", domain_name_ascii(dn),
		    check_failure(c));
	rc = check_exit_status(c);
	/* The report is out before any wait for worker threads to end. */
	fflush(stdout);
	check_free(c);
	return rc;
}
