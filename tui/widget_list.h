/*
 * widget_list: the scrolling list every drill-down view is built from
 * (after tmux's mode-tree).  A view rebuilds the list from the engine's
 * model on every update: wlist_begin(), wlist_add()..., wlist_end().  Each
 * line has a stable tag chosen by the view, so the cursor stays on the
 * same entry across rebuilds.  A line may carry a link (a locator,
 * view_loc.h) that Enter opens.
 */
#ifndef MTASTS_TUI_WIDGET_LIST_H
#define MTASTS_TUI_WIDGET_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "curses.h"
#include "view_loc.h"

/*
 * A tag made of named parts instead of arithmetic: a block (a kind of
 * line, below 2^16, chosen by the view; block 0 is left to the helpers'
 * tags), an index inside it (below 2^32) and a line of that entry (below
 * 256: continuation lines of wrapped text count up from it).
 */
#define WLIST_TAG(block, index, line)                           \
	(((uint64_t)(block) << 40) | ((uint64_t)(index) << 8) | \
	    (uint64_t)(line))

struct wlist_seg {
	size_t off;
	size_t len;
	attr_t attr;
};

struct wlist_item {
	uint64_t	  tag;
	char		 *text; /* all segments, guarded */
	struct wlist_seg *segs;
	size_t		  nsegs;
	int		  link; /* Enter opens to */
	struct view_loc	  to;
	size_t		  arg; /* a number the view gives meaning to */
};

struct wlist {
	struct wlist_item *items;
	size_t		   n;
	size_t		   cap;
	size_t		   sel;
	uint64_t	   sel_tag;
	int		   sel_lost; /* sel_tag was not in the last build */
	size_t		   top;
	int		   rows; /* as last drawn */
};

void wlist_init(struct wlist *);
void wlist_free(struct wlist *);
/*
 * Empties the list, remembering the selected tag.  A tag missing from a
 * build (a re-run, a layer still running) stays wanted until it is back
 * or the user moves.
 */
void wlist_begin(struct wlist *);
/* Adds a line with one segment (printf-style). */
struct wlist_item *wlist_add(struct wlist *, uint64_t tag, attr_t, const char *,
    ...) __attribute__((format(printf, 4, 5)));
/* Appends a segment to the last line added. */
void wlist_append(struct wlist *, attr_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * Adds text wrapped to cols columns, each line after the first indented
 * by indent spaces; tags are tag, tag + 1, ...  Returns the lines added.
 */
size_t wlist_add_wrapped(struct wlist *, uint64_t tag, attr_t,
    const char *prefix, int indent, int cols, const char *text);
/* Puts the cursor back on the remembered tag (or as close as it can). */
void		   wlist_end(struct wlist *);
void		   wlist_select_tag(struct wlist *, uint64_t);
struct wlist_item *wlist_selected(struct wlist *);
/* Movement keys; returns 1 if the key was one. */
int wlist_key(struct wlist *, int key);
/* Moves to the next (dir 1) or previous (-1) line with a link. */
int  wlist_next_link(struct wlist *, int dir);
void wlist_draw(struct wlist *, WINDOW *, int y, int rows, int cols);
/*
 * The scroll position (" 12/40 ") when the list is longer than the rows
 * it was last drawn in; 0 when it all fits.  Views show it on their
 * title line, where it covers no entry.
 */
int wlist_position(const struct wlist *, char *buf, size_t len);

#endif
