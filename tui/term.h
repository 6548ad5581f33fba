/*
 * term: owns the terminal.  initscr()/endwin(), the signal handlers
 * (SIGWINCH, SIGINT, SIGTERM, SIGHUP, and SIGSEGV/SIGBUS/SIGABRT, which
 * restore the terminal before the process dies) and the allocation-failure
 * hook.  Signals only set flags and write a byte to a self-pipe that the
 * loop polls; nothing is drawn from a handler.
 */
#ifndef MTASTS_TUI_TERM_H
#define MTASTS_TUI_TERM_H

#define TERM_EV_RESIZE 0x1
#define TERM_EV_QUIT   0x2

/*
 * Sets up the screen.  Returns 0, or -1 with *cause set (caller frees).
 * *ascii is set when symbols must be ASCII (locale or terminal).
 */
int term_init(int color, int *ascii, char **cause);
/* Restores the terminal; safe to call more than once. */
void term_done(void);
/* The self-pipe's read end, readable when a signal arrived. */
int term_fd(void);
/* Drains the pipe; returns TERM_EV_* flags seen since the last call. */
int term_events(void);
/* Re-reads the terminal size after SIGWINCH. */
void term_resize(int *rows, int *cols);

#endif
