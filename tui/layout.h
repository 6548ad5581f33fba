/*
 * layout: where the panes go.  Pure arithmetic, no curses: one column of
 * panes below LAYOUT_TWO_COLUMNS columns; from there two columns, or one
 * when two would cut lines that one wide column shows whole.  Every pane
 * gets its title line first, then the rows it needs (its worst finding),
 * then the rows it would like, in turns; rows nobody wants stay empty.
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

/* Panes in the left column when n panes stand in two. */
size_t layout_split(size_t n);
/* The width of column (0 or 1) when cols are shared by ncolumns. */
int layout_width(int cols, int ncolumns, int column);
/*
 * Places n panes in ncolumns (1 or 2) in the area of rows x cols starting
 * at row y.  Pane i would like want[i] rows and needs need[i] (titles
 * included; need[i] <= want[i]); when rows are short, titles come first,
 * then needs, then wants.
 */
void layout_panes(struct layout_rect *, const int *want, const int *need,
    size_t n, int y, int rows, int cols, int ncolumns);
/* Rows n panes in one column take: the sum of want (or of need). */
int layout_sum(const int *, size_t n);

#endif
