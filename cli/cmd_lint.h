/*
 * cmd_lint: `mtasts-tui lint`, judging records and a policy before they
 * are published, with the checker's own parsers and no network use.
 */
#ifndef MTASTS_CLI_CMD_LINT_H
#define MTASTS_CLI_CMD_LINT_H

#include "options.h"

int cmd_lint(const struct cli_options *);

/*
 * Splits a TXT value as the user wrote it into character-strings: either
 * one plain string, or zone-file syntax ("a" "b", with \" \\ and \DDD).
 * Returns the number of strings (at most max) or -1 on a syntax error.
 * Each out[i].data is malloc'd; the caller frees them.
 */
struct txt_string;
int cmd_lint_split_txt(const char *arg, struct txt_string *out, int max,
    char **cause);

#endif
