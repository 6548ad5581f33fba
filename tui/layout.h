/*
 * layout: where the panes go.  Pure arithmetic, no curses: one column of
 * panes up to LAYOUT_TWO_COLUMNS columns, two columns from there; every
 * pane gets its title line first, then rows by what it wants to show.
 */
#ifndef MTASTS_TUI_LAYOUT_H
#define MTASTS_TUI_LAYOUT_H

#include <stddef.h>

#define LAYOUT_TWO_COLUMNS 120
#define LAYOUT_MAX_PANES   32

struct layout_rect {
	int y;
	int x;
	int rows; /* 0: no room for this pane */
	int cols;
	int column; /* 0 or 1 */
};

/*
 * Places n panes (want[i] rows each, title included) in the area of
 * rows x cols starting at row y; returns the number of columns used.
 */
int layout_panes(struct layout_rect *, const int *want, size_t n, int y,
    int rows, int cols);

#endif
