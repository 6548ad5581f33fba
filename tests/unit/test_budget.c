/* Unit tests: the budget table and the one place --timeout scales it. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "budget.h"
#include "clock.h"

static const struct budget *
row(const char *name)
{
	size_t i;

	for (i = 0; i < budget_count; i++)
		if (strcmp(budget_table[i].name, name) == 0)
			return &budget_table[i];
	return NULL;
}

/* Every row is named once, positive, and times end in _MS. */
static void
test_table_rows(void **state)
{
	const struct budget *b;
	size_t		     i, j, n;

	(void)state;
	assert_true(budget_count > 0);
	for (i = 0; i < budget_count; i++) {
		b = &budget_table[i];
		assert_int_equal(strncmp(b->name, "BUDGET_", 7), 0);
		assert_true(b->value > 0);
		assert_non_null(b->what);
		assert_true(b->what[0] != '\0');
		n = strlen(b->name);
		if (b->kind != BUDGET_KIND_CAP)
			assert_string_equal(b->name + n - 3, "_MS");
		for (j = i + 1; j < budget_count; j++)
			assert_string_not_equal(b->name, budget_table[j].name);
	}
}

/* The constants and the rows are the same numbers. */
static void
test_table_constants(void **state)
{
	(void)state;
	assert_int_equal(row("BUDGET_CHECK_MS")->value, BUDGET_CHECK_MS);
	assert_int_equal(row("BUDGET_SMTP_BANNER_MS")->value,
	    BUDGET_SMTP_BANNER_MS);
	assert_int_equal(row("BUDGET_MX_TLS_WORKERS")->value,
	    BUDGET_MX_TLS_WORKERS);
	assert_int_equal(row("BUDGET_MX_TLS_WORKERS")->kind, BUDGET_KIND_CAP);
	assert_int_equal(row("BUDGET_DNS_QUERY_MS")->kind, BUDGET_KIND_STEP);
	assert_int_equal(row("BUDGET_DANE_LAYER_MS")->kind, BUDGET_KIND_LAYER);
	assert_int_equal(row("BUDGET_CHECK_MS")->kind, BUDGET_KIND_CHECK);
}

/* --timeout SECONDS: the scale, and budget_ms()'s clamps. */
static void
test_scale(void **state)
{
	(void)state;
	assert_true(budget_scale(0) == 1.0);
	assert_true(budget_scale(BUDGET_TIMEOUT_BASE_MS / 1000.0) == 1.0);
	assert_true(budget_scale(2 * BUDGET_TIMEOUT_BASE_MS / 1000.0) == 2.0);
	assert_int_equal(budget_ms(BUDGET_SMTP_BANNER_MS, 0),
	    BUDGET_SMTP_BANNER_MS);
	assert_int_equal(budget_ms(BUDGET_SMTP_BANNER_MS, 0.5),
	    BUDGET_SMTP_BANNER_MS / 2);
	assert_int_equal(budget_ms(1, 0.001), 1);
	assert_int_equal(budget_ms(BUDGET_CHECK_MAX_MS, 100),
	    BUDGET_CHECK_MAX_MS);
}

/* A layer never ends later than the check's deadline less the reserve. */
static void
test_layer_deadline(void **state)
{
	int64_t now = clock_ms(), d;

	(void)state;
	d = budget_layer_deadline(BUDGET_MX_TLS_LAYER_MS, 1, now + 1000);
	assert_true(d == now + 1000 - BUDGET_RESERVE_MS);
	d = budget_layer_deadline(BUDGET_DNS_LAYER_MS, 1, 0);
	assert_true(d >= now + BUDGET_DNS_LAYER_MS);
	assert_true(budget_left(0, 7) == 7);
	assert_true(budget_left(now - 1, 7) == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_rows),
		cmocka_unit_test(test_table_constants),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_layer_deadline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
