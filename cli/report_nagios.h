/*
 * report_nagios: `check --format nagios`, one check document as a
 * monitoring plugin's output (the Monitoring Plugins development
 * guidelines): a status line with performance data, then the findings as
 * long output, and the plugin's exit status 0..3 (doc/monitoring.md).
 *
 * Reads the `check --json` document, not the live check, so a stored scan
 * line gives the same answer.  Every string from the document is hostile:
 * no '|' or control byte reaches the output, labels are reduced to a safe
 * alphabet and every part is bounded.
 */
#ifndef MTASTS_CLI_REPORT_NAGIOS_H
#define MTASTS_CLI_REPORT_NAGIOS_H

#include <jansson.h>
#include <stdio.h>

#define NAGIOS_OK	0
#define NAGIOS_WARNING	1
#define NAGIOS_CRITICAL 2
#define NAGIOS_UNKNOWN	3

#define NAGIOS_WARN_DAYS 21 /* -w: certificate days left */
#define NAGIOS_CRIT_DAYS 7  /* -c */

struct report_nagios_limits {
	int warn_days; /* WARNING when a certificate has fewer days left */
	int crit_days; /* CRITICAL likewise; below warn_days */
};

/* Writes the plugin output for doc; returns the plugin's exit status. */
int report_nagios(FILE *, const json_t *doc,
    const struct report_nagios_limits *);
/* When no document exists (the check could not start). */
int report_nagios_unknown(FILE *, const char *why);

#endif
