/*
 * catalog: prints the finding catalog (mtasts-tui findings).  The Markdown
 * form is doc/findings.md; a test keeps the two equal.
 */
#ifndef MTASTS_CLI_CATALOG_H
#define MTASTS_CLI_CATALOG_H

#include "options.h"

int catalog_print(const struct cli_options *);

#endif
