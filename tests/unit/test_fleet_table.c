/*
 * Unit tests for tui/fleet_table (the fleet view's rows, no curses) and
 * what it takes from the engine: fleet_layer_status(), fleet_mx_count(),
 * fleet_elapsed_ms(), and jsonl_offset()/jsonl_length() (where a document
 * is, to read it again).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fleet.h"
#include "jsonl.h"
#include "tui/fleet_table.h"
#include "xmalloc.h"

/*
 * A document with what the table reads: domain, answer, mode, blockers,
 * the policy host's certificate days, layer statuses, MX hosts, elapsed.
 */
static json_t *
doc(const char *domain, const char *answer, const char *mode, int days,
    const char *mx_status, int tls_name)
{
	json_error_t e;
	json_t	    *d;
	char	    *s;

	s = xasprintf(
	    "{\"version\":2,\"domain\":\"%s\",\"failure\":null,"
	    "\"elapsed_ms\":1234,\"layers\":["
	    "{\"id\":\"dns\",\"status\":\"pass\",\"data\":{\"record\":"
	    "{\"candidates\":1,\"valid\":true}}},"
	    "{\"id\":\"fetch\",\"status\":\"%s\",\"data\":{\"body_from\":"
	    "\"192.0.2.1\",\"attempts\":[{\"chain\":{\"certificates\":"
	    "[{\"days_left\":%d}]}}]}},"
	    "{\"id\":\"policy\",\"status\":\"pass\",\"data\":{\"valid\":true}},"
	    "{\"id\":\"mx\",\"status\":\"%s\",\"data\":{\"hosts\":["
	    "{\"name\":\"mx1\",\"judged\":true,\"covered_by\":\"mx1\"},"
	    "{\"name\":\"mx2\",\"judged\":true,\"covered_by\":\"mx2\"}]}}],"
	    "\"findings\":[%s],"
	    "\"verdict\":{\"mode\":\"%s\",\"delivery\":{\"state\":\"%s\"},"
	    "\"promotion\":{\"blockers\":[%s]}}}",
	    domain, tls_name ? "fail" : "pass", days, mx_status,
	    tls_name ? "{\"code\":\"fetch.tls_name_mismatch\"}" : "", mode,
	    answer,
	    strcmp(answer, "none") == 0 ? "{\"code\":\"mx.uncovered\"}" : "");
	d = json_loads(s, 0, &e);
	free(s);
	if (d == NULL)
		fail_msg("document: %s", e.text);
	return d;
}

static void
add(struct ftable *t, json_t *d, long long off)
{
	const char *cause = NULL;

	assert_int_equal(ftable_add(t, d, 0, off, 10, &cause), 0);
	json_decref(d);
}

static size_t
answer_i(const char *a)
{
	const char *const *list = fleet_answer_names();
	size_t		   i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], a) == 0)
			return i;
	fail_msg("no answer %s", a);
	return 0;
}

static struct ftable *
table(void)
{
	struct ftable *t = ftable_new();

	add(t, doc("b.example", "all", "enforce", 50, "pass", 0), 100);
	add(t, doc("a.example", "none", "enforce", 5, "fail", 0), 200);
	add(t, doc("c.example", "all", "testing", -3, "warn", 1), 300);
	add(t, doc("d.example", "some", "enforce", 70, "pass", 0), 400);
	return t;
}

static const char *
at(struct ftable *t, size_t i)
{
	const struct ftable_row *r = ftable_shown_at(t, i);

	return r != NULL ? r->domain : "(none)";
}

static void
test_rows(void **state)
{
	struct ftable		*t = table();
	const struct ftable_row *r;

	(void)state;
	assert_int_equal(ftable_refresh(t, NULL), 1);
	assert_int_equal(ftable_refresh(t, NULL), 0); /* nothing changed */
	assert_int_equal(ftable_total(t), 4);
	assert_int_equal(ftable_shown(t), 4);
	assert_string_equal(at(t, 0), "a.example"); /* by domain */
	r = ftable_shown_at(t, 0);
	assert_string_equal(r->answer, "none");
	assert_string_equal(r->blockers, "mx.uncovered");
	assert_int_equal(r->nblockers, 1);
	assert_int_equal(r->expiry, 5);
	assert_int_equal(r->nmx, 2);
	assert_int_equal(r->elapsed_ms, 1234);
	assert_int_equal(r->off, 200);
	assert_int_equal(r->status[CHECK_MX], CHECK_FAIL);
	assert_int_equal(r->status[CHECK_DNS], CHECK_PASS);
	assert_int_equal(r->status[CHECK_TLSRPT], FTABLE_NO_STATUS);
	assert_int_equal(ftable_answer_count(t, answer_i("all")), 2);
	assert_int_equal(ftable_answer_count(t, answer_i("none")), 1);
	assert_int_equal(ftable_answer_count(t, answer_i("some")), 1);
	ftable_free(t);
}

/* A later document of the same domain replaces its row and its count. */
static void
test_last_wins(void **state)
{
	struct ftable *t = table();
	const char    *cause = NULL;
	json_t	      *bad;

	(void)state;
	add(t, doc("a.example", "all", "enforce", 60, "pass", 0), 900);
	ftable_refresh(t, NULL);
	assert_int_equal(ftable_total(t), 4);
	assert_int_equal(ftable_answer_count(t, answer_i("none")), 0);
	assert_int_equal(ftable_answer_count(t, answer_i("all")), 3);
	assert_int_equal(ftable_shown_at(t, 0)->off, 900);
	/* No check document: refused, nothing counted. */
	bad = json_loads("{\"mtasts_scan\":{}}", 0, NULL);
	assert_int_equal(ftable_add(t, bad, 0, 0, 1, &cause), -1);
	assert_non_null(cause);
	json_decref(bad);
	assert_int_equal(ftable_total(t), 4);
	ftable_free(t);
}

static void
test_sort(void **state)
{
	struct ftable *t = table();

	(void)state;
	ftable_sort(t, FTABLE_EXPIRY, 0, 0);
	ftable_refresh(t, NULL);
	assert_string_equal(at(t, 0), "c.example"); /* expired: soonest */
	assert_string_equal(at(t, 3), "d.example");
	ftable_sort(t, FTABLE_EXPIRY, 0, 1);
	ftable_refresh(t, NULL);
	assert_string_equal(at(t, 0), "d.example");
	ftable_sort(t, FTABLE_ANSWER, 0, 0);
	ftable_refresh(t, NULL);
	/* all, all (by domain), some, none */
	assert_string_equal(at(t, 0), "b.example");
	assert_string_equal(at(t, 1), "c.example");
	assert_string_equal(at(t, 2), "d.example");
	assert_string_equal(at(t, 3), "a.example");
	ftable_sort(t, FTABLE_LAYER, CHECK_MX, 0);
	ftable_refresh(t, NULL);
	assert_string_equal(at(t, 0), "a.example"); /* fail first */
	assert_string_equal(at(t, 1), "c.example"); /* then warn */
	ftable_sort(t, FTABLE_BLOCKERS, 0, 0);
	ftable_refresh(t, NULL);
	assert_string_equal(at(t, 0), "a.example");
	assert_int_equal(ftable_find_shown(t, "d.example"), 3);
	assert_int_equal(ftable_find_shown(t, "x.example"), -1);
	ftable_free(t);
}

static void
test_filter(void **state)
{
	struct ftable *t = table();
	char	      *why = NULL;

	(void)state;
	assert_int_equal(ftable_filter(t, "answer:ALL", &why), 0);
	ftable_refresh(t, NULL);
	assert_int_equal(ftable_shown(t), 2);
	assert_string_equal(ftable_filtered_answer(t), "all");
	assert_int_equal(ftable_filter(t, " answer:all   c.ex ", &why), 0);
	assert_string_equal(ftable_filter_text(t), "answer:all c.ex");
	ftable_refresh(t, NULL);
	assert_int_equal(ftable_shown(t), 1);
	assert_string_equal(at(t, 0), "c.example");
	assert_int_equal(ftable_filter(t, "class:policy_tls_name", &why), 0);
	ftable_refresh(t, NULL);
	assert_int_equal(ftable_shown(t), 1);
	assert_string_equal(ftable_filtered_class(t), "policy_tls_name");
	assert_int_equal(
	    ftable_filter(t, "blocker:UNCOVERED mode:enforce", &why), 0);
	ftable_refresh(t, NULL);
	assert_int_equal(ftable_shown(t), 1);
	assert_string_equal(at(t, 0), "a.example");
	/* An unknown name: refused, the filter kept, the names listed. */
	assert_int_equal(ftable_filter(t, "answer:maybe", &why), -1);
	assert_non_null(strstr(why, "no_mail"));
	free(why);
	assert_string_equal(ftable_filter_text(t),
	    "blocker:UNCOVERED mode:enforce");
	assert_int_equal(ftable_filter(t, "class:nope", &why), -1);
	free(why);
	/* The a and c keys' words replace their own word only. */
	ftable_filter_answer(t, "none");
	assert_string_equal(ftable_filter_text(t),
	    "blocker:UNCOVERED mode:enforce answer:none");
	ftable_filter_answer(t, NULL);
	ftable_filter_class(t, "policy_tls_name");
	assert_string_equal(ftable_filter_text(t),
	    "blocker:UNCOVERED mode:enforce class:policy_tls_name");
	ftable_refresh(t, NULL);
	assert_int_equal(ftable_shown(t), 0);
	assert_int_equal(ftable_filter(t, "", &why), 0);
	ftable_refresh(t, NULL);
	assert_int_equal(ftable_shown(t), 4);
	/* Too long: refused. */
	{
		char long_spec[600];

		memset(long_spec, 'x', sizeof(long_spec) - 1);
		long_spec[sizeof(long_spec) - 1] = '\0';
		assert_int_equal(ftable_filter(t, long_spec, &why), -1);
		free(why);
	}
	ftable_free(t);
}

/* Many rows: the hash grows, every domain stays one row. */
static void
test_many(void **state)
{
	struct ftable *t = ftable_new();
	char	       name[64];
	int	       i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "d%05d.example", i % 3000);
		add(t,
		    doc(name, i % 7 ? "all" : "none", "enforce", i % 90, "pass",
			0),
		    i);
	}
	ftable_refresh(t, NULL);
	assert_int_equal(ftable_total(t), 3000);
	assert_int_equal(ftable_answer_count(t, answer_i("all")) +
		ftable_answer_count(t, answer_i("none")),
	    3000);
	assert_int_equal(ftable_shown_at(t, 0)->off, 3000); /* 0, then 3000 */
	ftable_free(t);
}

/* Where each document of a JSON Lines file starts, metadata skipped. */
/*
 * Changes since a previous scan, as scan_db_changes() reports them: each
 * marks its row and is counted (one of a domain without a row is counted
 * only); change:KIND filters by short or long name; the change column
 * sorts changed rows first, by their first kind.
 */
static void
test_changes(void **state)
{
	struct ftable		*t = table();
	const struct ftable_row *r;
	char			 buf[64], *why = NULL;
	size_t			 k;

	(void)state;
	/* Every kind scan_db has gets a short name. */
	for (k = 0; ftable_change_kind(k) != NULL; k++)
		assert_non_null(ftable_change_name(k));
	assert_int_equal(k, 11);
	assert_int_equal(ftable_change_find("new-fail"),
	    ftable_change_find("NEW_FAILURE"));
	assert_int_equal(ftable_change_find("nonsense"), -1);

	assert_int_equal(ftable_change_add(t, "d.example", "classes"), 1);
	assert_int_equal(ftable_change_add(t, "d.example", "new_failure"), 1);
	assert_int_equal(ftable_change_add(t, "b.example", "cert_expiring"), 1);
	assert_int_equal(ftable_change_add(t, "b.example", "cert_expiring"), 1);
	assert_int_equal(ftable_change_add(t, "gone.example", "removed"), 0);
	assert_int_equal(ftable_change_add(t, "b.example", "no_such_kind"), -1);
	assert_int_equal(ftable_change_total(t), 5);
	assert_int_equal(
	    ftable_change_count(t, (size_t)ftable_change_find("cert")), 2);
	assert_int_equal(
	    ftable_change_count(t, (size_t)ftable_change_find("removed")), 1);
	ftable_refresh(t, NULL);
	r = ftable_shown_at(t, (size_t)ftable_find_shown(t, "d.example"));
	/* In scan_db's order, whatever order they came in. */
	ftable_change_text(r, buf, sizeof(buf));
	assert_string_equal(buf, "new-fail,class");
	ftable_change_text(r, buf, 6);
	assert_string_equal(buf, "new-f");
	r = ftable_shown_at(t, (size_t)ftable_find_shown(t, "a.example"));
	ftable_change_text(r, buf, sizeof(buf));
	assert_string_equal(buf, "");

	assert_int_equal(ftable_filter(t, "change:cert", &why), 0);
	ftable_refresh(t, NULL);
	assert_int_equal(ftable_shown(t), 1);
	assert_string_equal(at(t, 0), "b.example");
	assert_string_equal(ftable_filtered_change(t), "cert");
	assert_int_equal(ftable_filter(t, "change:ANY", &why), 0);
	ftable_refresh(t, NULL);
	assert_int_equal(ftable_shown(t), 2);
	assert_int_equal(ftable_filter(t, "change:gone", &why), 0);
	ftable_refresh(t, NULL);
	assert_int_equal(ftable_shown(t), 0); /* counted, no row */
	assert_int_equal(ftable_filter(t, "change:bogus", &why), -1);
	assert_non_null(strstr(why, "new-fail"));
	free(why);
	ftable_filter_change(t, "class");
	ftable_filter_answer(t, "some");
	ftable_refresh(t, NULL);
	assert_string_equal(ftable_filter_text(t), "change:class answer:some");
	assert_int_equal(ftable_shown(t), 1);
	ftable_filter_change(t, NULL);
	ftable_filter_answer(t, NULL);

	ftable_sort(t, FTABLE_CHANGE, 0, 0);
	ftable_refresh(t, NULL);
	assert_string_equal(at(t, 0), "d.example"); /* new-fail first */
	assert_string_equal(at(t, 1), "b.example");
	assert_string_equal(at(t, 2), "a.example"); /* unchanged: by domain */

	/* A later document of a domain keeps its marks until compared. */
	add(t, doc("d.example", "all", "enforce", 60, "pass", 0), 900);
	ftable_refresh(t, NULL);
	assert_string_equal(at(t, 0), "d.example");
	ftable_changes_clear(t);
	ftable_refresh(t, NULL);
	assert_int_equal(ftable_change_total(t), 0);
	assert_string_equal(at(t, 0), "a.example");
	ftable_free(t);
}

static void
test_jsonl_offset(void **state)
{
	static const char text[] = "{\"mtasts_scan\":{}}\n"
				   "{\"domain\":\"a.example\"}\n"
				   "not json\n"
				   "\n"
				   "{\"domain\":\"b.example\"}\n";
	FILE		 *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct jsonl	 *r = jsonl_new(f, "t", 0, NULL, NULL);
	json_t		 *d;
	unsigned long	  line;

	(void)state;
	assert_int_equal(jsonl_next(r, &d, &line), 1);
	assert_int_equal(jsonl_offset(r), 19);
	assert_int_equal(jsonl_length(r), 22);
	assert_memory_equal(text + 19, "{\"domain\":\"a.example\"}", 22);
	json_decref(d);
	assert_int_equal(jsonl_next(r, &d, &line), 1);
	assert_int_equal(jsonl_offset(r), 19 + 23 + 9 + 1);
	assert_memory_equal(text + jsonl_offset(r), "{\"domain\":\"b", 12);
	json_decref(d);
	assert_int_equal(jsonl_next(r, &d, &line), 0);
	jsonl_free(r);
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_last_wins),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_jsonl_offset),
		cmocka_unit_test(test_changes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
