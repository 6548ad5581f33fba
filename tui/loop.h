/*
 * loop: the one UI loop.  poll()s the keyboard, the signal self-pipe and
 * the check's event descriptor together, so a key press is handled at
 * once however long a server stalls; wakes every LOOP_TICK_MS while the
 * check runs (spinner, elapsed time).  Handlers and engine callbacks set
 * flags; the loop updates the model once and draws once per iteration
 * (wnoutrefresh everywhere, then a single doupdate).
 */
#ifndef MTASTS_TUI_LOOP_H
#define MTASTS_TUI_LOOP_H

#define LOOP_TICK_MS 100

struct app;

void loop_run(struct app *);

#endif
