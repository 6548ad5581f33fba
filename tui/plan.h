/*
 * plan: the rollout plan of the domain on screen (the wizard's state
 * file), judged by the TUI's own finished check -- no second network
 * check.  The watch phase counts clean days in --reports when given.
 */
#ifndef MTASTS_TUI_PLAN_H
#define MTASTS_TUI_PLAN_H

struct app;
struct app_plan;

/*
 * Loads and judges the plan once per finished run (and again after
 * plan_invalidate); cheap otherwise.  Returns 1 when something changed.
 */
int  plan_refresh(struct app *);
void plan_invalidate(struct app *);
void plan_free(struct app *);
/* One line for the verdict bar, or NULL when there is no plan. */
const char *plan_line(const struct app *);

#endif
