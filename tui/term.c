#include "config.h"
#include "term.h"

#include <sys/ioctl.h>

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curses.h"
#include "theme.h"
#include "xmalloc.h"

static void term_on_signal(int);
static void term_on_crash(int);
static void term_fatal(const char *);
static int  term_ascii_wanted(void);

static volatile sig_atomic_t term_winch;
static volatile sig_atomic_t term_quit;
static volatile sig_atomic_t term_active;
static int		     term_pipe[2] = { -1, -1 };
static SCREEN		    *term_screen;

static void
term_on_signal(int sig)
{
	int	saved = errno;
	ssize_t w;

	if (sig == SIGWINCH)
		term_winch = 1;
	else
		term_quit = 1;
	w = write(term_pipe[1], "", 1);
	(void)w;
	errno = saved;
}

/* A crash: give the terminal back, then die of the same signal. */
static void
term_on_crash(int sig)
{
	if (term_active)
		endwin();
	term_active = 0;
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
term_fatal(const char *why)
{
	term_done();
	fprintf(stderr, "mtasts-tui: %s\n", why);
}

/* A non-UTF-8 locale or a vt100-class terminal gets ASCII symbols. */
static int
term_ascii_wanted(void)
{
	const char *cs = nl_langinfo(CODESET), *t = getenv("TERM");

	if (cs == NULL || (strcmp(cs, "UTF-8") != 0 && strcmp(cs, "utf8") != 0))
		return 1;
	if (t == NULL || *t == '\0' || strcmp(t, "dumb") == 0)
		return 1;
	if (strncmp(t, "vt", 2) == 0 || strcmp(t, "ansi") == 0)
		return 1;
	/* The Linux console's fonts lack the check marks and the spinner. */
	if (strcmp(t, "linux") == 0 || strncmp(t, "linux-", 6) == 0)
		return 1;
	return 0;
}

int
term_init(int color, int *ascii, char **cause)
{
	struct sigaction sa;
	char		*cup;
	int		 i;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*cause =
		    xstrdup("the interactive screen needs a terminal "
			    "(use 'mtasts-tui check DOMAIN' for a report)");
		return -1;
	}
	if (pipe(term_pipe) == -1) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < 2; i++) {
		fcntl(term_pipe[i], F_SETFL,
		    fcntl(term_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(term_pipe[i], F_SETFD, FD_CLOEXEC);
	}

	/* Ours before initscr, so ncurses leaves SIGWINCH to us. */
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = term_on_signal;
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = term_on_crash;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	xmalloc_set_fatal(term_fatal);

	if ((term_screen = newterm(NULL, stdout, stdin)) == NULL) {
		*cause = xasprintf("cannot use terminal type %s",
		    getenv("TERM") != NULL ? getenv("TERM") : "(unset)");
		return -1;
	}
	/* A terminal that cannot place the cursor (dumb) shows no screen. */
	cup = tigetstr("cup");
	if (cup == NULL || cup == (char *)-1) {
		*cause = xasprintf("terminal type %s cannot move the cursor, "
				   "which the screen needs (use 'mtasts-tui "
				   "check DOMAIN' for a report)",
		    getenv("TERM") != NULL ? getenv("TERM") : "(unset)");
		return -1;
	}
	term_active = 1;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	*ascii = term_ascii_wanted();
	theme_init(color, *ascii);
	/* stdscr stays blank and untouched: input is read through it. */
	refresh();
	return 0;
}

void
term_done(void)
{
	if (term_active) {
		curs_set(1);
		endwin();
		term_active = 0;
	}
	if (term_screen != NULL) {
		delscreen(term_screen);
		term_screen = NULL;
	}
	if (term_pipe[0] != -1) {
		close(term_pipe[0]);
		close(term_pipe[1]);
		term_pipe[0] = term_pipe[1] = -1;
	}
}

int
term_fd(void)
{
	return term_pipe[0];
}

int
term_events(void)
{
	char buf[64];
	int  f;

	while (read(term_pipe[0], buf, sizeof(buf)) > 0)
		;
	f = 0;
	if (term_winch) {
		term_winch = 0;
		f |= TERM_EV_RESIZE;
	}
	if (term_quit) {
		term_quit = 0;
		f |= TERM_EV_QUIT;
	}
	return f;
}

void
term_resize(int *rows, int *cols)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	*rows = LINES;
	*cols = COLS;
}
