/*
 * watch: the screen's --watch.  After each run of the check it keeps the
 * run's `check --json` document, compares it with the run before
 * (check_diff.h) and plans the next run, at --watch=SECONDS or at the
 * shortest TTL left (check_ttl.h); the loop asks it how long to sleep and
 * lets it start the run when it is due.  The main view marks what changed
 * (pane_mark()), `c` opens the list of changes (view_changes_ops), and a
 * countdown sits at the right of the header.
 *
 * Owned by the loop (app->watch, NULL when --watch was not given); UI
 * thread only.
 */
#ifndef MTASTS_TUI_WATCH_H
#define MTASTS_TUI_WATCH_H

#include "check_diff.h"

struct app;
struct view_ops;

struct tui_watch *watch_new(unsigned secs);
void		  watch_free(struct tui_watch *);
/*
 * Once per loop turn: takes a run that has just finished, starts the next
 * one when it is due.  Returns APP_* flags.
 */
int watch_tick(struct tui_watch *, struct app *);
/* Milliseconds the loop may sleep before watch_tick() has work; -1: none. */
int watch_sleep_ms(const struct tui_watch *, const struct app *);
/* The countdown at the right of the header, after app_draw(). */
void watch_draw(const struct tui_watch *, struct app *);
/*
 * What changed between the shown run and the one before; NULL while a run
 * is under way, before the second run, or when w is NULL.
 */
const struct check_diff *watch_diff(const struct tui_watch *,
    const struct app *);
/* The run the diff compares with (1-based), for titles. */
unsigned watch_prev_run(const struct tui_watch *);

/* The list of changes (`c`). */
extern const struct view_ops view_changes_ops;

#endif
