/* Unit tests: where the panes of the main screen go (tui/layout.c). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "tui/layout.h"

/* Titles first, then needs, then wants, in turns; no row past the area. */
static void
test_layout_short(void **state)
{
	struct layout_rect r[3];
	const int	   want[3] = { 4, 6, 3 }, need[3] = { 1, 4, 1 };

	(void)state;
	layout_panes(r, want, need, 3, 1, 7, 80, 1);
	/* 3 titles, then pane 1's need (3 more rows), then one want. */
	assert_int_equal(r[0].rows, 2);
	assert_int_equal(r[1].rows, 4);
	assert_int_equal(r[2].rows, 1);
	assert_int_equal(r[0].y, 1);
	assert_int_equal(r[1].y, 3);
	assert_int_equal(r[2].y, 7);
	assert_int_equal(r[2].cols, 80);
}

/* With room for all, each pane gets what it wants and no more. */
static void
test_layout_room(void **state)
{
	struct layout_rect r[2];
	const int	   want[2] = { 3, 5 }, need[2] = { 1, 2 };

	(void)state;
	layout_panes(r, want, need, 2, 0, 40, 80, 1);
	assert_int_equal(r[0].rows, 3);
	assert_int_equal(r[1].rows, 5);
	assert_int_equal(layout_sum(want, 2), 8);
}

/* Two columns: the left takes the first half, one blank column between. */
static void
test_layout_two(void **state)
{
	struct layout_rect r[5];
	const int want[5] = { 2, 2, 2, 2, 2 }, need[5] = { 1, 1, 1, 1, 1 };

	(void)state;
	assert_int_equal(layout_split(5), 3);
	assert_int_equal(layout_width(121, 2, 0), 60);
	assert_int_equal(layout_width(121, 2, 1), 60);
	assert_int_equal(layout_width(121, 1, 0), 121);
	layout_panes(r, want, need, 5, 1, 30, 121, 2);
	assert_int_equal(r[2].column, 0);
	assert_int_equal(r[3].column, 1);
	assert_int_equal(r[3].x, 61);
	assert_int_equal(r[3].y, 1);
	assert_int_equal(r[4].y, 3);
}

/* No rows at all: nothing placed. */
static void
test_layout_none(void **state)
{
	struct layout_rect r[2];
	const int	   want[2] = { 2, 2 }, need[2] = { 1, 1 };

	(void)state;
	layout_panes(r, want, need, 2, 1, 1, 80, 1);
	assert_int_equal(r[0].rows, 1);
	assert_int_equal(r[1].rows, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_short),
		cmocka_unit_test(test_layout_room),
		cmocka_unit_test(test_layout_two),
		cmocka_unit_test(test_layout_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
