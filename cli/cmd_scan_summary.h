/*
 * cmd_scan_summary: `mtasts-tui scan-summary [--json] [--per-domain]
 * [--domains] FILE...`, the fleet table of one or more `scan` outputs
 * (shards are merged; a domain in several keeps its last document).
 */
#ifndef MTASTS_CLI_CMD_SCAN_SUMMARY_H
#define MTASTS_CLI_CMD_SCAN_SUMMARY_H

/* argv[0] is the command's name; returns the exit status (0, or 3). */
int cmd_scan_summary(int argc, char **argv);

#include <time.h>

/*
 * --since DATE: YYYY-MM-DD (the end of that day, UTC), YYYY-MM-DDTHH:MM:SSZ
 * or Nd (N days ago), as scan-summary and the fleet table take it.  0, -1.
 */
int scan_summary_parse_since(const char *, time_t *);

#endif
