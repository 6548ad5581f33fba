/*
 * theme: the colour table and the symbol table of the screen.
 *
 * theme_init() runs once after initscr().  Without colour (--no-color,
 * NO_COLOR, or a terminal without colours) every item falls back to a
 * monochrome attribute; with ascii set (a non-UTF-8 locale or a
 * vt100-class terminal) every symbol and line falls back to ASCII.
 */
#ifndef MTASTS_TUI_THEME_H
#define MTASTS_TUI_THEME_H

#include "curses.h"

enum theme_item {
	THEME_NORMAL,
	THEME_HEADER,	/* the top bar */
	THEME_TITLE,	/* a pane's title line */
	THEME_SELECTED, /* the selected pane title or list line */
	THEME_PASS,
	THEME_WARN,
	THEME_FAIL,
	THEME_SKIP,
	THEME_RUNNING,
	THEME_DIM,
	THEME_SEV_ERROR,
	THEME_SEV_WARNING,
	THEME_SEV_INFO,
	THEME_MARK,    /* invisible characters made visible */
	THEME_MATCH,   /* the SAN or pattern that matched */
	THEME_LINK,    /* an entry Enter opens */
	THEME_SECTION, /* a heading inside a view */
	THEME_STATUS,  /* the key line */
	THEME_ERROR,   /* an error in the prompt line */
	THEME__COUNT
};

enum theme_sym {
	SYM_PASS,
	SYM_WARN,
	SYM_FAIL,
	SYM_SKIP,
	SYM_PENDING,
	SYM_LINK, /* an entry that opens a view */
	SYM_HLINE,
	SYM_VLINE,
	SYM_DASH,
	SYM_YES, /* a matrix cell that matches */
	SYM_NO,
	SYM_TAB, /* visible tab */
	SYM_LF,
	SYM_CRLF,
	SYM_CR,
	SYM_SPACE, /* visible trailing space */
	SYM_BOM,
	SYM_NOEOL,
	SYM_UPDOWN, /* in the key line */
	SYM_LEFT,   /* "back" */
	SYM_DOTS,
	SYM__COUNT
};

void	    theme_init(int color, int ascii);
int	    theme_ascii(void);
int	    theme_color(void);
attr_t	    theme_attr(enum theme_item);
const char *theme_sym(enum theme_sym);
/* One frame of the spinner; frame counts up forever. */
const char *theme_spinner(unsigned frame);

#endif
