#include "config.h"
#include "layout.h"

#include <string.h>

static int  layout_grow(struct layout_rect *, const int *, size_t, int);
static void layout_column(struct layout_rect *, const int *, const int *,
    size_t, int, int, int, int, int);

size_t
layout_split(size_t n)
{
	return (n + 1) / 2;
}

int
layout_width(int cols, int ncolumns, int column)
{
	int lc = (cols - 1) / 2;

	if (ncolumns < 2)
		return cols;
	/* One blank column between the two. */
	return column == 0 ? lc : cols - lc - 1;
}

int
layout_sum(const int *v, size_t n)
{
	size_t i;
	int    s = 0;

	for (i = 0; i < n; i++)
		s += v[i];
	return s;
}

/* One row at a time to each pane below its goal, in turns; rows left. */
static int
layout_grow(struct layout_rect *r, const int *goal, size_t n, int left)
{
	size_t i;
	int    grew = 1;

	while (left > 0 && grew) {
		grew = 0;
		for (i = 0; i < n && left > 0; i++) {
			if (r[i].rows > 0 && r[i].rows < goal[i]) {
				r[i].rows++;
				left--;
				grew = 1;
			}
		}
	}
	return left;
}

/* Shares rows among n panes: titles, then needs, then wants. */
static void
layout_column(struct layout_rect *r, const int *want, const int *need, size_t n,
    int y, int x, int rows, int cols, int column)
{
	size_t i;
	int    left = rows;

	for (i = 0; i < n; i++) {
		r[i].rows = left > 0 ? 1 : 0;
		left -= r[i].rows;
	}
	left = layout_grow(r, need, n, left);
	layout_grow(r, want, n, left);
	for (i = 0; i < n; i++) {
		r[i].y = y;
		r[i].x = x;
		r[i].cols = cols;
		r[i].column = column;
		y += r[i].rows;
	}
}

void
layout_panes(struct layout_rect *r, const int *want, const int *need, size_t n,
    int y, int rows, int cols, int ncolumns)
{
	size_t left;

	memset(r, 0, n * sizeof(*r));
	if (n == 0 || rows <= 0 || cols <= 0)
		return;
	if (ncolumns < 2 || n < 2) {
		layout_column(r, want, need, n, y, 0, rows, cols, 0);
		return;
	}
	left = layout_split(n);
	layout_column(r, want, need, left, y, 0, rows, layout_width(cols, 2, 0),
	    0);
	layout_column(r + left, want + left, need + left, n - left, y,
	    layout_width(cols, 2, 0) + 1, rows, layout_width(cols, 2, 1), 1);
}
