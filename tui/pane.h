/*
 * pane: one layer on the main screen.  pane_update() computes the content
 * (status, elapsed time, the engine's summary lines, finding counts) apart
 * from drawing, like htop's meters; pane_draw() only renders it.
 */
#ifndef MTASTS_TUI_PANE_H
#define MTASTS_TUI_PANE_H

#include <stddef.h>

#include "check.h"
#include "curses.h"
#include "summary.h"
#include "theme.h"

#define PANE_MAX_FINDS 16 /* findings a pane can list */

struct pane_find {
	char		     *text; /* "code: message", one paragraph */
	enum finding_severity sev;
};

struct pane {
	enum check_layer  layer;
	enum check_status status;
	unsigned	  ms;
	struct summary	  sum;
	size_t		  nerr;
	size_t		  nwarn;
	size_t		  ninfo;
	/* Findings, the worst first (errors, warnings, then infos). */
	struct pane_find finds[PANE_MAX_FINDS];
	size_t		 nfinds;
	char		*note; /* skip reason or a wait */
	/* --watch: changes since the run before (pane_mark()). */
	size_t	      nchanged;
	unsigned char sum_mark[SUMMARY_MAX_LINES];
	unsigned char find_mark[PANE_MAX_FINDS];
	WINDOW	     *win;
	int	      rows;
	int	      cols;
};

void pane_init(struct pane *, enum check_layer);
void pane_free(struct pane *);
/* c may be NULL (no check could be started). */
void pane_update(struct pane *, const struct check *, int ascii);
/*
 * Rows the pane would like at cols columns, its title line included:
 * every line wrapped, nothing cut.
 */
int pane_want(const struct pane *, int cols);
/*
 * Rows it needs: the title and its worst error or warning whole; a pane
 * with neither needs its title line only (its first line goes there).
 */
int pane_need(const struct pane *, int cols);
/*
 * --watch: after pane_update(), marks what changed since the run before:
 * the count on the title line, and the summary lines showing a new value
 * and the findings that are new, in the left margin.  d may be NULL (no
 * marks).
 */
struct check_diff;
void pane_mark(struct pane *, const struct check_diff *d);
/* Makes the window again; rows 0 hides the pane. */
void pane_place(struct pane *, int y, int x, int rows, int cols);
void pane_draw(struct pane *, int selected, unsigned spin);

/* Shared by every view: how a layer status looks. */
enum theme_item pane_status_item(enum check_status);
const char     *pane_status_word(enum check_status);
const char     *pane_status_sym(enum check_status, unsigned spin);
enum theme_item pane_severity_item(enum finding_severity);
const char     *pane_severity_sym(enum finding_severity);

#endif
