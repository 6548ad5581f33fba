/*
 * cmd_report: `mtasts-tui report FILE|DIR...`, reading TLS-RPT aggregate
 * reports (RFC 8460) and summarising them per policy domain and per day,
 * with the enforce gate of the rollout schedule (doc/reports.md).
 */
#ifndef MTASTS_CLI_CMD_REPORT_H
#define MTASTS_CLI_CMD_REPORT_H

#include "options.h"

/* Version of the --json document; bumped on incompatible changes. */
#define CMD_REPORT_JSON_VERSION 1

/*
 * Exit status: 0 every input read and no failed session, 1 failed
 * sessions reported or some input unreadable, 3 no report at all.
 */
int cmd_report(const struct cli_options *);

#endif
