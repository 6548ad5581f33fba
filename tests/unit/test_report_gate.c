/*
 * End-to-end tests of the promotion gate: a directory of daily reports,
 * written here, read by report_input, summarised by report_summary and
 * judged by report_gate_path (13 clean days: keep watching; 14: ready; a
 * failure or a day without reports resets the count).  Also the per-day
 * and per-MX figures of the summary.
 */
#include "config.h"

#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "finding.h"
#include "report_input.h"
#include "report_summary.h"
#include "xmalloc.h"

#define DAY0 19783 /* 2024-03-01 */

struct rdir {
	char path[64];
};

/* One daily report for example.net; fail > 0 adds one failure detail. */
static char *
mkreport(int64_t day, const char *type, unsigned ok, unsigned fail,
    const char *result, const char *mx)
{
	char start[16], *detail, *doc;

	report_day_format(day, start, sizeof(start));
	detail = fail == 0
	    ? xstrdup("")
	    : xasprintf(
		  ",\"failure-details\":"
		  "[{\"result-type\":\"%s\",\"sending-mta-ip\":\"192.0.2.%u\","
		  "\"receiving-mx-hostname\":\"%s\",\"receiving-ip\":"
		  "\"198.51.100.2\",\"failed-session-count\":%u}]",
		  result, (unsigned)(day % 200), mx, fail);
	doc =
	    xasprintf("{\"organization-name\":\"Reporter\","
		      "\"date-range\":{\"start-datetime\":\"%sT00:00:00Z\","
		      "\"end-datetime\":\"%sT23:59:59Z\"},\"contact-info\":"
		      "\"tlsrpt@reporter.example\",\"report-id\":\"%s-%s\","
		      "\"policies\":[{\"policy\":{\"policy-type\":\"%s\","
		      "\"policy-string\":[\"version: STSv1\",\"mode: testing\","
		      "\"mx: *.example.net\",\"max_age: 86400\"],"
		      "\"policy-domain\":\"example.net\"},\"summary\":"
		      "{\"total-successful-session-count\":%u,"
		      "\"total-failure-session-count\":%u}%s}]}",
		start, start, start, type, type, ok, fail, detail);
	free(detail);
	return doc;
}

static void
rdir_new(struct rdir *d)
{
	snprintf(d->path, sizeof(d->path), "/tmp/test_report_gate.XXXXXX");
	assert_non_null(mkdtemp(d->path));
}

static void
rdir_put(struct rdir *d, int64_t day, const char *type, unsigned ok,
    unsigned fail, const char *result, const char *mx)
{
	char *doc = mkreport(day, type, ok, fail, result, mx), *p;
	FILE *f;

	p = xasprintf("%s/reporter.example!example.net!%lld!%s.json", d->path,
	    (long long)day * 86400, type);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(doc, f);
	fclose(f);
	free(p);
	free(doc);
}

static void
rdir_free(struct rdir *d)
{
	char *cmd = xasprintf("rm -rf '%s'", d->path);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* n clean sts days starting at DAY0, skipping day `gap` (-1: none). */
static void
clean_days(struct rdir *d, int n, int gap)
{
	int i;

	for (i = 0; i < n; i++)
		if (i != gap)
			rdir_put(d, DAY0 + i, "sts", 100 + i, 0, NULL, NULL);
}

static void
test_thirteen_days(void **state)
{
	struct rdir	   d;
	struct report_gate g;

	(void)state;
	rdir_new(&d);
	clean_days(&d, 13, -1);
	assert_int_equal(
	    report_gate_path(&g, d.path, "example.net", REPORT_DAY_NONE, NULL),
	    REPORT_GATE_WATCH);
	assert_int_equal(g.clean_days, 13);
	assert_true(g.latest_day == DAY0 + 12);
	assert_true(g.stop_missing);
	assert_non_null(strstr(g.why, "keep watching"));
	report_gate_clear(&g);
	rdir_free(&d);
}

static void
test_fourteen_days(void **state)
{
	struct rdir	   d;
	struct report_gate g;

	(void)state;
	rdir_new(&d);
	clean_days(&d, 14, -1);
	/* Case and a final dot do not matter. */
	assert_int_equal(
	    report_gate_path(&g, d.path, "Example.NET.", REPORT_DAY_NONE, NULL),
	    REPORT_GATE_READY);
	assert_int_equal(g.clean_days, 14);
	assert_int_equal(g.nblockers, 0);
	assert_non_null(strstr(g.why, "ready"));
	report_gate_clear(&g);
	/* As of the day before the last, only 13. */
	assert_int_equal(
	    report_gate_path(&g, d.path, "example.net", DAY0 + 12, NULL),
	    REPORT_GATE_WATCH);
	assert_int_equal(g.clean_days, 13);
	report_gate_clear(&g);
	rdir_free(&d);
}

/* A failure on day 10 resets the count; 14 more clean days are needed. */
static void
test_failure_resets(void **state)
{
	struct rdir	   d;
	struct report_gate g;
	char		   date[16];
	int		   i;

	(void)state;
	rdir_new(&d);
	for (i = 1; i <= 20; i++)
		rdir_put(&d, DAY0 + i, "sts", 50, i == 10 ? 3 : 0,
		    "starttls-not-supported", "mx2.example.net");
	assert_int_equal(
	    report_gate_path(&g, d.path, "example.net", REPORT_DAY_NONE, NULL),
	    REPORT_GATE_WATCH);
	assert_int_equal(g.clean_days, 10);
	assert_false(g.stop_missing);
	assert_true(g.stop_day == DAY0 + 10);
	assert_int_equal(g.nblockers, 1);
	assert_string_equal(g.blockers[0].result_name,
	    "starttls-not-supported");
	assert_string_equal(g.blockers[0].mx, "mx2.example.net");
	assert_true(g.blockers[0].sessions == 3);
	report_day_format(DAY0 + 10, date, sizeof(date));
	assert_non_null(strstr(g.why, date));
	assert_non_null(strstr(g.why, "starttls-not-supported"));
	report_gate_clear(&g);

	for (i = 21; i <= 24; i++)
		rdir_put(&d, DAY0 + i, "sts", 50, 0, NULL, NULL);
	assert_int_equal(
	    report_gate_path(&g, d.path, "example.net", REPORT_DAY_NONE, NULL),
	    REPORT_GATE_READY);
	assert_int_equal(g.clean_days, 14);
	/* The failure is outside the last 14 days: nothing blocks. */
	assert_int_equal(g.nblockers, 0);
	report_gate_clear(&g);
	rdir_free(&d);
}

static void
test_gap_resets(void **state)
{
	struct rdir	   d;
	struct report_gate g;

	(void)state;
	rdir_new(&d);
	clean_days(&d, 16, 6);
	assert_int_equal(
	    report_gate_path(&g, d.path, "example.net", REPORT_DAY_NONE, NULL),
	    REPORT_GATE_WATCH);
	assert_int_equal(g.clean_days, 9);
	assert_true(g.stop_missing);
	assert_true(g.stop_day == DAY0 + 6);
	report_gate_clear(&g);
	rdir_free(&d);
}

/* DANE failures and no-policy-found reports say nothing about MTA-STS. */
static void
test_what_counts(void **state)
{
	struct rdir	   d;
	struct report_gate g;
	size_t		   bad;
	int		   i;

	(void)state;
	rdir_new(&d);
	for (i = 0; i < 14; i++) {
		rdir_put(&d, DAY0 + i, "sts", 10, 0, NULL, NULL);
		rdir_put(&d, DAY0 + i, "tlsa", 10, 2, "tlsa-invalid",
		    "mx1.example.net");
	}
	assert_int_equal(
	    report_gate_path(&g, d.path, "example.net", REPORT_DAY_NONE, NULL),
	    REPORT_GATE_READY);
	report_gate_clear(&g);
	rdir_free(&d);

	rdir_new(&d);
	for (i = 0; i < 20; i++)
		rdir_put(&d, DAY0 + i, "no-policy-found", 10, 0, NULL, NULL);
	assert_int_equal(
	    report_gate_path(&g, d.path, "example.net", REPORT_DAY_NONE, &bad),
	    REPORT_GATE_NO_DATA);
	assert_int_equal(bad, 0);
	assert_int_equal(g.clean_days, 0);
	report_gate_clear(&g);
	/* An sts-policy-fetch-error blocks whatever the entry's type. */
	rdir_put(&d, DAY0 + 19, "sts", 10, 0, NULL, NULL);
	rdir_put(&d, DAY0 + 19, "tlsa", 0, 1, "sts-policy-fetch-error",
	    "mx1.example.net");
	assert_int_equal(
	    report_gate_path(&g, d.path, "example.net", REPORT_DAY_NONE, NULL),
	    REPORT_GATE_WATCH);
	assert_int_equal(g.clean_days, 0);
	assert_int_equal(g.nblockers, 1);
	report_gate_clear(&g);
	/* An unreadable file is counted and does not stop the rest. */
	{
		char *p = xasprintf("%s/zz-broken.json", d.path);
		FILE *f = fopen(p, "w");

		assert_non_null(f);
		fputs("{\"policies\":", f);
		fclose(f);
		free(p);
	}
	report_gate_path(&g, d.path, "example.net", REPORT_DAY_NONE, &bad);
	assert_int_equal(bad, 1);
	assert_int_equal(g.nblockers, 1);
	report_gate_clear(&g);
	rdir_free(&d);
}

static void
test_summary_figures(void **state)
{
	struct rdir		    d;
	struct report_input	   *in = report_input_new();
	struct report_summary	   *s;
	const struct report_domain *dom;
	const struct report_day	   *day;

	(void)state;
	rdir_new(&d);
	rdir_put(&d, DAY0, "sts", 90, 10, "starttls-not-supported",
	    "mx2.example.net");
	rdir_put(&d, DAY0 + 1, "sts", 99, 1, "certificate-expired",
	    "mx1.example.net");
	report_input_add_path(in, d.path);
	s = report_summary_new(in);
	assert_int_equal(s->nreports, 2);
	assert_null(report_summary_domain(s, "example.com"));
	dom = report_summary_domain(s, "example.net");
	assert_non_null(dom);
	assert_int_equal(dom->nreports, 2);
	assert_true(dom->successful == 189 && dom->failed == 11);
	assert_true(dom->attributable == 11);
	assert_string_equal(dom->mode, "testing");
	assert_int_equal(dom->ndays, 2);
	day = &dom->days[0];
	assert_string_equal(day->date, "2024-03-01");
	assert_true(day->successful == 90 && day->failed == 10);
	assert_true(day->by_result[TLSRPT_RESULT_STARTTLS_NOT_SUPPORTED] == 10);
	assert_true(day->covered && day->dirty);
	assert_int_equal(dom->nby_mx, 2);
	assert_string_equal(dom->by_mx[0].key, "mx2.example.net");
	assert_true(dom->by_mx[0].sessions == 10);
	assert_int_equal(dom->nby_ip, 2);
	assert_int_equal(dom->nadvice, 2);
	assert_non_null(strstr(dom->advice[1].text,
	    "starttls-not-supported on mx2.example.net"));
	assert_non_null(strstr(dom->advice[0].text,
	    "on one address, "
	    "198.51.100.2"));
	assert_int_equal(dom->nreporters, 1);
	assert_true(
	    finding_list_find(s->findings, FINDING_REPORT_FAILURES, 0) >= 0);
	report_summary_free(s);
	report_input_free(in);
	rdir_free(&d);
}

/* A report over days [day, day + span) with ok and failed sessions. */
static void
rdir_put_span(struct rdir *d, int64_t day, int span, unsigned ok, unsigned fail)
{
	char  start[16], end[16], *p;
	FILE *f;

	report_day_format(day, start, sizeof(start));
	report_day_format(day + span, end, sizeof(end));
	p = xasprintf("%s/week-%lld.json", d->path, (long long)day);
	f = fopen(p, "w");
	assert_non_null(f);
	fprintf(f,
	    "{\"organization-name\":\"Weekly\",\"date-range\":"
	    "{\"start-datetime\":\"%sT00:00:00Z\",\"end-datetime\":"
	    "\"%sT00:00:00Z\"},\"contact-info\":\"w@reporter.example\","
	    "\"report-id\":\"week-%s\",\"policies\":[{\"policy\":"
	    "{\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\","
	    "\"mode: testing\"],\"policy-domain\":\"example.net\"},"
	    "\"summary\":{\"total-successful-session-count\":%u,"
	    "\"total-failure-session-count\":%u}%s}]}",
	    start, end, start, ok, fail,
	    fail > 0 ? ",\"failure-details\":[{\"result-type\":"
		       "\"certificate-expired\",\"failed-session-count\":1}]"
		     : "");
	fclose(f);
	free(p);
}

/*
 * A 7-day report: its successful sessions are shared over its days (the
 * shares add up), its failures are on its last day, and the gate stops
 * there, never on a later day (doc/reports.md).
 */
static void
test_multi_day_spread(void **state)
{
	struct report_input	   *in;
	struct report_summary	   *s;
	const struct report_domain *dm;
	struct rdir		    d;
	struct report_gate	    g;
	uint64_t		    sum = 0;
	size_t			    i;

	(void)state;
	rdir_new(&d);
	rdir_put_span(&d, DAY0, 7, 23, 1);
	for (i = 7; i < 10; i++)
		rdir_put(&d, DAY0 + (int64_t)i, "sts", 10, 0, NULL, NULL);
	in = report_input_new();
	report_input_add_path(in, d.path);
	s = report_summary_new(in);
	dm = report_summary_domain(s, "example.net");
	assert_non_null(dm);
	assert_int_equal(dm->ndays, 10);
	for (i = 0; i < 7; i++) {
		assert_true(dm->days[i].covered);
		assert_true(
		    dm->days[i].successful == 3 || dm->days[i].successful == 4);
		sum += dm->days[i].successful;
		/* Clean but the last: no empty day that blocks enforce. */
		assert_int_equal(dm->days[i].dirty, i == 6);
		assert_int_equal(dm->days[i].failed, i == 6 ? 1 : 0);
		assert_int_equal(dm->days[i].nfailures, i == 6 ? 1 : 0);
		assert_int_equal(dm->days[i].nreports, i == 0 ? 1 : 0);
	}
	assert_int_equal(sum, 23);
	assert_int_equal(dm->successful, 23 + 30);
	assert_int_equal(dm->failed, 1);
	/* The streak counted back from the latest day stops on day 6. */
	report_gate_evaluate(&g, s, "example.net", REPORT_DAY_NONE);
	assert_int_equal(g.clean_days, 3);
	assert_true(g.stop_day == DAY0 + 6);
	assert_false(g.stop_missing);
	assert_int_equal(g.nreports, 4);
	assert_int_equal(g.ndomain_reports, 4);
	assert_int_equal(g.nfuture, 0);
	report_gate_clear(&g);
	/* As of day 8: the report of day 9 is dated after it. */
	report_gate_evaluate(&g, s, "example.net", DAY0 + 8);
	assert_int_equal(g.clean_days, 2);
	assert_int_equal(g.nfuture, 1);
	report_gate_clear(&g);
	/* Another domain: the reports were read, none is for it. */
	report_gate_evaluate(&g, s, "example.org", REPORT_DAY_NONE);
	assert_int_equal(g.state, REPORT_GATE_NO_DATA);
	assert_int_equal(g.nreports, 4);
	assert_int_equal(g.ndomain_reports, 0);
	report_gate_clear(&g);
	report_summary_free(s);
	report_input_free(in);
	rdir_free(&d);
}

static void
test_day_format(void **state)
{
	char b[16];

	(void)state;
	report_day_format(0, b, sizeof(b));
	assert_string_equal(b, "1970-01-01");
	report_day_format(DAY0, b, sizeof(b));
	assert_string_equal(b, "2024-03-01");
	report_day_format(-1, b, sizeof(b));
	assert_string_equal(b, "1969-12-31");
	assert_true(report_day_of(-1) == -1);
	assert_true(report_day_of(86399) == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thirteen_days),
		cmocka_unit_test(test_fourteen_days),
		cmocka_unit_test(test_failure_resets),
		cmocka_unit_test(test_gap_resets),
		cmocka_unit_test(test_what_counts),
		cmocka_unit_test(test_summary_figures),
		cmocka_unit_test(test_multi_day_spread),
		cmocka_unit_test(test_day_format),
	};

	return cmocka_run_group_tests_name("report_gate", tests, NULL, NULL);
}
