/* Unit tests: the scan's shard function and domain selection (scan.h). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "domain_list.h"
#include "scan.h"

/* FNV-1a 64: the published vectors, then A-labels of our own. */
static void
test_fnv(void **state)
{
	(void)state;
	assert_true(scan_fnv1a64("") == UINT64_C(0xcbf29ce484222325));
	assert_true(scan_fnv1a64("a") == UINT64_C(0xaf63dc4c8601ec8c));
	assert_true(scan_fnv1a64("foobar") == UINT64_C(0x85944171f73967e8));
	assert_true(
	    scan_fnv1a64("example.com") == UINT64_C(0x576846634e2714c6));
	assert_int_equal(scan_shard_of("example.com", 3), 3);
	assert_int_equal(scan_shard_of("example.com", 7), 2);
	assert_int_equal(scan_shard_of("xn--bcher-kva.example", 3), 2);
	assert_int_equal(scan_shard_of("xn--bcher-kva.example", 7), 1);
	assert_int_equal(scan_shard_of("foobar", 3), 1);
	assert_int_equal(scan_shard_of("anything", 1), 1);
}

/* Shards 1..N of a list are disjoint and cover it; skips come off. */
static void
test_select(void **state)
{
	struct check_options co;
	struct scan_options  so;
	struct scan_progress p;
	struct domain_list  *dl;
	struct scan	    *s;
	char		     name[64];
	size_t		     sum = 0;
	unsigned	     k;
	int		     i;

	(void)state;
	dl = domain_list_new(NULL, NULL);
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "s%d.example\n", i);
		domain_list_feed(dl, name, strlen(name));
	}
	domain_list_end(dl);
	memset(&co, 0, sizeof(co));
	for (k = 1; k <= 4; k++) {
		memset(&so, 0, sizeof(so));
		so.check = &co;
		so.shard = k;
		so.nshards = 4;
		s = scan_new(dl, &so, NULL, NULL, NULL);
		scan_progress(s, &p);
		assert_int_equal(p.total + p.other_shards, 1000);
		assert_true(p.total > 150 && p.total < 350);
		sum += p.total;
		scan_free(s);
	}
	assert_int_equal(sum, 1000);

	memset(&so, 0, sizeof(so));
	so.check = &co;
	s = scan_new(dl, &so, NULL, NULL, NULL);
	assert_int_equal(scan_skip(s, "s5.example"), 1);
	assert_int_equal(scan_skip(s, "s5.example"), 0);
	assert_int_equal(scan_skip(s, "not-listed.example"), 0);
	scan_progress(s, &p);
	assert_int_equal(p.total, 999);
	assert_int_equal(p.skipped, 1);
	assert_int_equal(scan_threads(s), 128);
	scan_free(s);
	so.concurrency = 5000; /* capped */
	s = scan_new(dl, &so, NULL, NULL, NULL);
	assert_int_equal(scan_threads(s), SCAN_THREADS_MAX);
	scan_free(s);
	so.concurrency = 1;
	s = scan_new(dl, &so, NULL, NULL, NULL);
	assert_int_equal(scan_threads(s), SCAN_THREADS_MIN);
	scan_free(s);
	domain_list_free(dl);
}

/* Nothing to check: scan_run() ends at once, without the network. */
static void
test_run_empty(void **state)
{
	struct check_options co;
	struct scan_options  so;
	struct scan_progress p;
	struct domain_list  *dl;
	struct scan	    *s;
	char		    *cause = NULL;

	(void)state;
	dl = domain_list_new(NULL, NULL);
	domain_list_feed(dl, "# nothing\n\na.example\n", 21);
	domain_list_end(dl);
	memset(&co, 0, sizeof(co));
	memset(&so, 0, sizeof(so));
	so.check = &co;
	s = scan_new(dl, &so, NULL, NULL, NULL);
	assert_int_equal(scan_skip(s, "a.example"), 1);
	assert_int_equal(scan_run(s, -1, &cause), 0);
	assert_null(cause);
	scan_progress(s, &p);
	assert_int_equal(p.done, 0);
	assert_int_equal(p.total, 0);
	assert_int_equal(p.in_flight, 0);
	assert_int_equal(scan_process(s), 1);
	scan_free(s);
	domain_list_free(dl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fnv),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_run_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
