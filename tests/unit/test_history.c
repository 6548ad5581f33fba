/* Unit tests: the per-domain history (id and policy hash across runs). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scratch.h"

#include "finding.h"
#include "history.h"

static char dir[] = "/tmp/mtasts-history-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return scratch_make(dir, NULL);
}

static int
teardown(void **state)
{
	(void)state;
	return scratch_remove(dir);
}

/* One run; returns the codes it reported, space-separated (static). */
static const char *
run(const char *domain, const char *id, const char *body)
{
	static char	       codes[256];
	struct finding_list   *fl = finding_list_new();
	struct history_result *h;
	size_t		       i;

	h = history_update(dir, domain, id, body,
	    body != NULL ? strlen(body) : 0, 1700000000, fl);
	codes[0] = '\0';
	for (i = 0; i < finding_list_count(fl); i++) {
		if (i > 0)
			strncat(codes, " ", sizeof(codes) - strlen(codes) - 1);
		strncat(codes, finding_code_name(finding_list_get(fl, i)->code),
		    sizeof(codes) - strlen(codes) - 1);
	}
	history_result_free(h);
	finding_list_free(fl);
	return codes;
}

static void
test_sequence(void **state)
{
	(void)state;
	/* First sight: nothing to compare with. */
	assert_string_equal(run("a.test", "1", "mode: testing\n"), "");
	/* Same id, same body: quiet. */
	assert_string_equal(run("a.test", "1", "mode: testing\n"), "");
	/* Body changed, id did not: the classic update mistake. */
	assert_string_equal(run("a.test", "1", "mode: enforce\n"),
	    "sts.id_unchanged");
	/* The id moves on: noted. */
	assert_string_equal(run("a.test", "2", "mode: enforce\n"),
	    "sts.id_changed");
	/* Nothing to record without an id or a body. */
	assert_string_equal(run("a.test", NULL, "x"), "");
	assert_string_equal(run("a.test", "3", NULL), "");
	/* Other domains have their own record. */
	assert_string_equal(run("b.test", "2", "mode: other\n"), "");
}

static void
test_corrupt(void **state)
{
	char  path[512];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/c.test", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("garbage\x01\n", f);
	fclose(f);
	assert_string_equal(run("c.test", "1", "body"), "history.corrupt");
	/* Replaced: the next run reads it fine. */
	assert_string_equal(run("c.test", "1", "body"), "");
	/* A newer or foreign version line is corrupt too, never fatal. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("mtasts-tui-history 99\nid 1\n", f);
	fclose(f);
	assert_string_equal(run("c.test", "1", "body"), "history.corrupt");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sequence),
		cmocka_unit_test(test_corrupt),
	};

	return cmocka_run_group_tests_name("history", tests, setup, teardown);
}
