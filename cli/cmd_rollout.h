/*
 * cmd_rollout: `mtasts-tui rollout start|status|next DOMAIN`, the rollout
 * plan from the command line (the wizard makes plans interactively).
 */
#ifndef MTASTS_CLI_CMD_ROLLOUT_H
#define MTASTS_CLI_CMD_ROLLOUT_H

#include "options.h"

struct domain_name;
struct rollout_facts;
struct rollout_report;
struct state;

int cmd_rollout(const struct cli_options *, const struct domain_name *);
/* Writes the plan's milestones to --ics, if given; 0 or -1. */
int cmd_rollout_ics(const struct cli_options *, const struct state *);
/*
 * The plan saved at path, for a start that replaces it: 0 with *old
 * (NULL: none; caller frees), or -1 after saying why: unreadable, or a
 * plan exists ("DOMAIN has HAS (PATH); give --force to FORCE_TO").
 */
struct domain_name;
int cmd_rollout_old_plan(const struct cli_options *, const struct domain_name *,
    const char *path, const char *has, const char *force_to,
    struct state **old);

/*
 * The live check judged against the plan (and --reports): the report
 * (caller frees), *f the facts; NULL after saying why no check ran.
 */
struct rollout_report *cmd_rollout_judge(const struct cli_options *,
    const struct state *, long today, struct rollout_facts *f);
/*
 * The step `rollout next` and `rollout apply` work on: the plan judged by
 * a live check, its first phase not done (>= 0); CMD_ROLLOUT_ALL_DONE after
 * saying every step is done ("nothing to VERB"); -1 when the plan could not
 * be judged.
 */
#define CMD_ROLLOUT_ALL_DONE (-2)
int cmd_rollout_next_phase(const struct cli_options *, const struct state *,
    long today, struct rollout_facts *f, const char *verb);
/* May phase's files go out today?  0, or -1 after saying why not. */
int cmd_rollout_may(const struct cli_options *, const struct state *, int phase,
    long today, const struct rollout_facts *f);

#endif
