#include "config.h"
#include "layout.h"

#include <string.h>

static void layout_column(struct layout_rect *, const int *, size_t, int, int,
    int, int, int);

/* Shares rows among n panes: titles first, then a line each, then more. */
static void
layout_column(struct layout_rect *r, const int *want, size_t n, int y, int x,
    int rows, int cols, int column)
{
	size_t i;
	int    left = rows, grew, cap;

	for (i = 0; i < n; i++) {
		r[i].rows = left > 0 ? 1 : 0;
		left -= r[i].rows;
	}
	for (cap = 2; left > 0; cap++) {
		grew = 0;
		for (i = 0; i < n && left > 0; i++) {
			if (r[i].rows > 0 && r[i].rows < cap &&
			    r[i].rows < want[i]) {
				r[i].rows++;
				left--;
				grew = 1;
			}
		}
		if (!grew && cap > 64)
			break;
		if (!grew) {
			/* Everyone has what they want: leave the rest. */
			for (i = 0; i < n; i++)
				if (r[i].rows < want[i] && r[i].rows > 0)
					break;
			if (i == n)
				break;
		}
	}
	for (i = 0; i < n; i++) {
		r[i].y = y;
		r[i].x = x;
		r[i].cols = cols;
		r[i].column = column;
		y += r[i].rows;
	}
}

int
layout_panes(struct layout_rect *r, const int *want, size_t n, int y, int rows,
    int cols)
{
	size_t left;
	int    lc;

	memset(r, 0, n * sizeof(*r));
	if (n == 0 || rows <= 0 || cols <= 0)
		return 1;
	if (cols < LAYOUT_TWO_COLUMNS || n < 2) {
		layout_column(r, want, n, y, 0, rows, cols, 0);
		return 1;
	}
	/* Left column takes the first half (rounded up); one gap column. */
	left = (n + 1) / 2;
	lc = (cols - 1) / 2;
	layout_column(r, want, left, y, 0, rows, lc, 0);
	layout_column(r + left, want + left, n - left, y, lc + 1, rows,
	    cols - lc - 1, 1);
	return 2;
}
