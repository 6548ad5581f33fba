/*
 * cmd_scan: `mtasts-tui scan [options] [FILE|-]`, the check of many
 * domains (engine/scan.h) written as JSON Lines (doc/json-output.md, "Scan
 * output"): a metadata line, one `check --json` document per domain on one
 * line, and an end line when the run ends normally.
 *
 * Each line goes out in one write() on a descriptor opened with O_APPEND,
 * so a killed run leaves only whole lines; --resume FILE reads such a file,
 * drops a last line without its newline, and appends what is missing.
 */
#ifndef MTASTS_CLI_CMD_SCAN_H
#define MTASTS_CLI_CMD_SCAN_H

#include "options.h"

#define CMD_SCAN_JSON_VERSION	  1   /* of the two metadata lines */
#define CMD_SCAN_EXIT_INTERRUPTED 130 /* SIGINT or SIGTERM */
/* Descriptors a check may hold at once (its pipe, DNS, fetch, probes). */
#define CMD_SCAN_FDS_PER_CHECK 16
/* A document of a --resume file longer than this is not read. */
#define CMD_SCAN_RESUME_MAX_LINE (64 * 1024 * 1024)

/*
 * Exit status: 0 every domain was checked (their verdicts are in the
 * output), 3 the input or the output failed, 130 interrupted.
 */
int cmd_scan(const struct cli_options *);

#endif
