/*
 * cli: the plain commands' front end, and the one parser of the command
 * line.  cli_parse() also fills the run configuration that main.c hands to
 * the other front ends; struct cli_options stays cli/'s own.
 */
#ifndef MTASTS_CLI_H
#define MTASTS_CLI_H

#include "run_config.h"

struct cli_options;
struct domain_name;

/*
 * Parses argv and fills *rc (which borrows from the result).  Returns the
 * parsed command line (cli_free()), or NULL after printing a usage error.
 */
struct cli_options *cli_parse(int argc, char **argv, struct run_config *rc);
void		    cli_free(struct cli_options *);
/*
 * Runs the commands that take no domain to check (help, version, findings,
 * lint, report); returns their exit status, or -1 for any other command.
 */
int cli_run_standalone(const struct cli_options *);
/*
 * Runs a plain command on a validated domain, after check_global_init():
 * check, export, rollout -- and, until the wizard's entry takes a
 * run_config, the wizard.
 */
int cli_run(const struct cli_options *, const struct domain_name *);

#endif
