/*
 * screens: the interactive wizard, a sequence of ncurses screens (current
 * state, MX patterns, mode and max_age, TLS-RPT, policy id, hosting,
 * output), each with a short explanation, defaults taken from the live
 * check and validation while typing.
 *
 * screens_run() owns the terminal from initscr() to endwin(); it writes the
 * files and the plan itself (asking before replacing a file) and prints a
 * summary once the screen is gone.
 */
#ifndef MTASTS_WIZARD_SCREENS_H
#define MTASTS_WIZARD_SCREENS_H

#include <time.h>

struct check;
struct state;

struct screens_input {
	const char	   *domain;
	const struct check *check; /* finished live check */
	const struct state *prev;  /* existing plan, or NULL */
	const char	   *state_path;
	const char	   *out_dir; /* NULL: ./mtasts-DOMAIN */
	int		    force;   /* replace files unasked */
	long		    today;
	time_t		    now;
	int		    embedded; /* curses is already up (the TUI's
					 screen): no initscr, no endwin, no
					 summary on stdout */
};

/* Returns an exit status: 0 written, 1 cancelled, 3 on errors. */
int screens_run(const struct screens_input *);

#endif
