/* Unit tests: the finding catalog and finding lists. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "finding.h"

static void
test_catalog(void **state)
{
	const char *code, *p;
	int	    i, j;

	(void)state;
	for (i = 0; i < FINDING__COUNT; i++) {
		code = finding_code_name(i);
		/* dotted lower case, at least two parts */
		assert_non_null(strchr(code, '.'));
		for (p = code; *p != '\0'; p++)
			assert_true(islower((unsigned char)*p) ||
			    isdigit((unsigned char)*p) || *p == '.' ||
			    *p == '_');
		assert_int_equal(finding_code_lookup(code), i);
		assert_true(strlen(finding_code_text(i)) > 10);
		assert_true(strlen(finding_code_fix(i)) > 5);
		assert_true(strlen(finding_code_rule(i)) > 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(code, finding_code_name(j));
	}
	assert_int_equal(finding_code_lookup("no.such.code"), -1);
}

static void
test_list(void **state)
{
	struct finding_list *a, *b;
	struct finding	    *f;

	(void)state;
	a = finding_list_new();
	b = finding_list_new();
	assert_int_equal(finding_list_worst(a), FINDING_NONE);
	finding_add(a, FINDING_STS_TXT_OTHER_RECORDS, NULL, 0, NULL);
	f = finding_add(a, FINDING_MX_UNCOVERED, "mx2.example", 0,
	    "%s is not covered", "mx2.example");
	f->severity = FINDING_WARNING;
	finding_set_fix(f, "add mx: %s", "mx2.example");
	finding_add(b, FINDING_POLICY_MODE, "line 2", 2, NULL);
	finding_list_move(a, b);
	assert_int_equal(finding_list_count(b), 0);
	assert_int_equal(finding_list_count(a), 3);
	assert_int_equal(finding_list_worst(a), FINDING_ERROR);
	finding_list_sort(a);
	assert_int_equal(finding_list_get(a, 0)->code, FINDING_POLICY_MODE);
	assert_int_equal(finding_list_get(a, 0)->line, 2);
	assert_int_equal(finding_list_get(a, 1)->code, FINDING_MX_UNCOVERED);
	assert_string_equal(finding_fix(finding_list_get(a, 1)),
	    "add mx: mx2.example");
	assert_string_equal(finding_fix(finding_list_get(a, 2)),
	    finding_code_fix(FINDING_STS_TXT_OTHER_RECORDS));
	assert_int_equal(finding_list_find(a, FINDING_MX_UNCOVERED, 0), 1);
	assert_int_equal(finding_list_find(a, FINDING_MX_UNCOVERED, 2), -1);
	finding_list_free(a);
	finding_list_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog),
		cmocka_unit_test(test_list),
	};

	return cmocka_run_group_tests_name("finding", tests, NULL, NULL);
}
