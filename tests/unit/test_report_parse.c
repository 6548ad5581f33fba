/*
 * Unit tests for engine/tlsrpt_report: one TLS-RPT JSON document
 * (RPT-JSON-1 to RPT-JSON-10), the malformed cases one by one.
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

#include "finding.h"
#include "strbuf.h"
#include "tlsrpt_report.h"
#include "xmalloc.h"

/* RPT-JSON-10, the sheet's minimal valid report. */
#define HEAD                                                           \
	"{\"organization-name\":\"Reporter Example Ltd\","             \
	"\"date-range\":{\"start-datetime\":\"2024-03-01T00:00:00Z\"," \
	"\"end-datetime\":\"2024-03-01T23:59:59Z\"},"                  \
	"\"contact-info\":\"tlsrpt-admin@reporter.example\","          \
	"\"report-id\":\"20240301.0001@reporter.example\","
#define POLICY                                                           \
	"\"policy\":{\"policy-type\":\"sts\",\"policy-string\":"         \
	"[\"version: STSv1\",\"mode: enforce\",\"mx: mx1.example.net\"," \
	"\"max_age: 604800\"],\"policy-domain\":\"Example.NET\","        \
	"\"mx-host\":[\"mx1.example.net\"]}"
#define DETAIL(rt, n)                                                    \
	"{\"result-type\":\"" rt "\",\"sending-mta-ip\":\"192.0.2.10\"," \
	"\"receiving-mx-hostname\":\"mx1.example.net\","                 \
	"\"receiving-ip\":\"198.51.100.25\",\"failed-session-count\":" n "}"
#define ONE(summary, details)                                 \
	HEAD "\"policies\":[{" POLICY ",\"summary\":" summary \
	     ",\"failure-details\":[" details "]}]}"
#define SUM(ok, f)                                \
	"{\"total-successful-session-count\":" ok \
	",\"total-failure-session-count\":" f "}"
#define VALID ONE(SUM("12", "1"), DETAIL("certificate-expired", "1"))

struct parse_case {
	const char *desc;
	const char *doc;
	size_t	    len;      /* 0: strlen */
	int	    readable; /* a report comes back */
	const char *codes;    /* finding codes, space-separated */
	const char *msg;      /* substring of some message, or NULL */
};

static const struct parse_case cases[] = {
	{ "RPT-JSON-10 minimal report", VALID, 0, 1, "", NULL },
	{ "not JSON", "{\"organization-name\": nope}", 0, 0,
	    "report.invalid_json", "line 1" },
	{ "truncated JSON", HEAD "\"policies\":[{", 0, 0, "report.invalid_json",
	    NULL },
	{ "JSON but an array", "[1,2,3]", 0, 0, "report.invalid_json",
	    "not an object" },
	{ "empty input", "", 0, 0, "report.invalid_json", NULL },
	{ "integer beyond 64 bits",
	    ONE(SUM("123456789012345678901234567890", "0"), ""), 0, 0,
	    "report.invalid_json", NULL },
	{ "real beyond double range", ONE(SUM("1e400", "0"), ""), 0, 0,
	    "report.invalid_json", NULL },
	{ "count above the plausible maximum",
	    ONE(SUM("5000000000000000", "0"), ""), 0, 1, "report.schema",
	    "implausibly large" },
	{ "negative counts",
	    ONE(SUM("-5", "1"), DETAIL("certificate-expired", "-1")), 0, 1,
	    "report.schema report.schema report.count_mismatch", "negative" },
	{ "fractional count", ONE(SUM("2.5", "0"), ""), 0, 1, "report.schema",
	    "whole number" },
	{ "count with an exponent", ONE(SUM("1e2", "0"), ""), 0, 1,
	    "report.schema", "read as 100" },
	{ "count as a string", ONE(SUM("\"12\"", "0"), ""), 0, 1,
	    "report.schema", "not a number" },
	{ "unknown result type kept",
	    ONE(SUM("0", "4"), DETAIL("quantum-decoherence", "4")), 0, 1,
	    "report.unknown_result_type", "quantum-decoherence" },
	{ "unknown policy type",
	    HEAD
	    "\"policies\":[{\"policy\":"
	    "{\"policy-type\":\"carrier-pigeon\",\"policy-domain\":\"x.test\"},"
	    "\"summary\":" SUM("1", "0") "}]}",
	    0, 1, "report.unknown_policy_type", "carrier-pigeon" },
	{ "missing top-level members", "{\"policies\":[]}", 0, 1,
	    "report.schema report.schema report.schema report.schema", NULL },
	{ "policies not an array", HEAD "\"policies\":{}}", 0, 1,
	    "report.schema", "policies is not an array" },
	{ "wrong member types",
	    "{\"organization-name\":5,\"date-range\":[],"
	    "\"contact-info\":null,\"report-id\":true,\"policies\":[7]}",
	    0, 1,
	    "report.schema report.schema report.schema report.schema "
	    "report.schema",
	    NULL },
	{ "missing summary and detail members",
	    HEAD "\"policies\":[{" POLICY
		 ",\"failure-details\":[{\"result-type\":"
		 "\"starttls-not-supported\"}]}]}",
	    0, 1, "report.schema report.lenient report.schema report.schema",
	    NULL },
	{ "detail not an object", ONE(SUM("0", "0"), "42"), 0, 1,
	    "report.schema", "not an object" },
	{ "mx-host as a string (RPT-JSON-4)",
	    HEAD
	    "\"policies\":[{"
	    "\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[],"
	    "\"policy-domain\":\"example.net\",\"mx-host\":\"*.example.net\"},"
	    "\"summary\":" SUM("1", "0") "}]}",
	    0, 1, "report.lenient", NULL },
	{ "date-time without time zone",
	    "{\"organization-name\":\"M\","
	    "\"date-range\":{\"start-datetime\":\"2023-01-10T00:00:00\","
	    "\"end-datetime\":\"2023-01-10T23:59:59Z\"},\"contact-info\":\"a@b\","
	    "\"report-id\":\"1\",\"policies\":[]}",
	    0, 1, "report.lenient", "no time zone" },
	{ "date-time unreadable",
	    "{\"organization-name\":\"M\","
	    "\"date-range\":{\"start-datetime\":\"yesterday\","
	    "\"end-datetime\":\"2023-02-30T00:00:00Z\"},\"contact-info\":"
	    "\"a@b\",\"report-id\":\"1\",\"policies\":[]}",
	    0, 1, "report.date report.date", "not a date-time" },
	{ "weekly report",
	    "{\"organization-name\":\"M\","
	    "\"date-range\":{\"start-datetime\":\"2020-01-01T00:00:00Z\","
	    "\"end-datetime\":\"2020-01-07T23:59:59Z\"},\"contact-info\":"
	    "\"a@b\",\"report-id\":\"1\",\"policies\":[]}",
	    0, 1, "report.date_range", NULL },
	{ "duplicate member (I-JSON)",
	    "{\"organization-name\":\"A\","
	    "\"organization-name\":\"B\",\"date-range\":{\"start-datetime\":"
	    "\"2024-03-01T00:00:00Z\",\"end-datetime\":\"2024-03-01T23:59:59Z\"},"
	    "\"contact-info\":\"a@b\",\"report-id\":\"1\",\"policies\":[]}",
	    0, 1, "report.duplicate_member", NULL },
	{ "invalid UTF-8 repaired",
	    HEAD
	    "\"policies\":[{\"policy\":"
	    "{\"policy-type\":\"sts\",\"policy-string\":[],\"policy-domain\":"
	    "\"bad\xff\xfe.example\"},\"summary\":" SUM("3", "0") "}]}",
	    0, 1, "report.encoding", NULL },
	{ "bad IP address",
	    ONE(SUM("0", "1"),
		"{\"result-type\":"
		"\"starttls-not-supported\",\"sending-mta-ip\":\"not-an-ip\","
		"\"receiving-mx-hostname\":\"mx\",\"failed-session-count\":1}"),
	    0, 1, "report.schema", "not an IP address" },
};

static int
has_msg(const struct finding_list *fl, const char *sub)
{
	size_t i;

	for (i = 0; i < finding_list_count(fl); i++)
		if (strstr(finding_list_get(fl, i)->message, sub) != NULL)
			return 1;
	return 0;
}

static char *
codes_of(const struct finding_list *fl)
{
	struct strbuf sb;
	size_t	      i;

	strbuf_init(&sb, 65536);
	for (i = 0; i < finding_list_count(fl); i++)
		strbuf_addf(&sb, "%s%s", i > 0 ? " " : "",
		    finding_code_name(finding_list_get(fl, i)->code));
	return strbuf_detach(&sb, NULL);
}

static void
test_case(void **state)
{
	const struct parse_case *c = *state;
	struct finding_list	*fl = finding_list_new();
	struct tlsrpt_report	*r;
	char			*codes;
	size_t			 i;

	r = tlsrpt_report_parse(c->doc, c->len ? c->len : strlen(c->doc),
	    "t.json", fl);
	codes = codes_of(fl);
	if (strcmp(codes, c->codes) != 0)
		fail_msg("%s: codes \"%s\", want \"%s\"", c->desc, codes,
		    c->codes);
	if (c->msg != NULL && !has_msg(fl, c->msg))
		fail_msg("%s: no message with \"%s\"", c->desc, c->msg);
	assert_int_equal(r != NULL, c->readable);
	/* Messages reach terminals: printable ASCII only. */
	for (i = 0; i < finding_list_count(fl); i++) {
		const unsigned char *m =
		    (const unsigned char *)finding_list_get(fl, i)->message;

		for (; *m != '\0'; m++)
			assert_true(*m >= 0x20 && *m < 0x7f);
	}
	free(codes);
	tlsrpt_report_free(r);
	finding_list_free(fl);
}

static void
test_fields(void **state)
{
	struct finding_list   *fl = finding_list_new();
	struct tlsrpt_report  *r;
	struct tlsrpt_failure *f;

	(void)state;
	r = tlsrpt_report_parse(VALID, strlen(VALID), "t", fl);
	assert_non_null(r);
	assert_string_equal(r->organization, "Reporter Example Ltd");
	assert_string_equal(r->contact, "tlsrpt-admin@reporter.example");
	assert_true(r->start == 1709251200);
	assert_true(r->end == 1709251200 + 86399);
	assert_int_equal(r->npolicies, 1);
	assert_int_equal(r->policies[0].type, TLSRPT_POLICY_STS);
	assert_string_equal(r->policies[0].domain, "example.net");
	assert_int_equal(r->policies[0].nstrings, 4);
	assert_int_equal(r->policies[0].nmx_hosts, 1);
	assert_true(r->policies[0].successful_sessions == 12);
	assert_true(r->policies[0].failed_sessions == 1);
	assert_int_equal(r->policies[0].nfailures, 1);
	f = &r->policies[0].failures[0];
	assert_int_equal(f->result, TLSRPT_RESULT_CERTIFICATE_EXPIRED);
	assert_string_equal(f->sending_mta_ip, "192.0.2.10");
	assert_string_equal(f->receiving_ip, "198.51.100.25");
	assert_true(f->failed_sessions == 1);
	tlsrpt_report_free(r);
	finding_list_free(fl);
}

static void
test_unknown_kept(void **state)
{
	const char *doc =
	    ONE(SUM("0", "4"), DETAIL("quantum-decoherence", "4"));
	struct finding_list  *fl = finding_list_new();
	struct tlsrpt_report *r;

	(void)state;
	r = tlsrpt_report_parse(doc, strlen(doc), "t", fl);
	assert_non_null(r);
	assert_int_equal(r->policies[0].failures[0].result,
	    TLSRPT_RESULT_UNKNOWN);
	assert_string_equal(r->policies[0].failures[0].result_name,
	    "quantum-decoherence");
	assert_true(r->policies[0].failures[0].failed_sessions == 4);
	tlsrpt_report_free(r);
	finding_list_free(fl);
}

/* Nesting past the cap is refused before jansson sees it. */
static void
test_deep(void **state)
{
	struct finding_list  *fl = finding_list_new();
	struct tlsrpt_report *r;
	size_t		      n = 100000, i;
	char		     *doc = xmalloc(2 * n + 2);

	(void)state;
	for (i = 0; i < n; i++)
		doc[i] = '[';
	for (i = 0; i < n; i++)
		doc[n + i] = ']';
	r = tlsrpt_report_parse(doc, 2 * n, "deep", fl);
	assert_null(r);
	assert_int_equal(finding_list_count(fl), 1);
	assert_int_equal(finding_list_get(fl, 0)->code,
	    FINDING_REPORT_TOO_LARGE);
	assert_non_null(strstr(finding_list_get(fl, 0)->message, "nested"));
	free(doc);
	finding_list_free(fl);
}

/* Depth inside strings does not count. */
static void
test_brackets_in_strings(void **state)
{
	struct finding_list  *fl = finding_list_new();
	struct tlsrpt_report *r;
	struct strbuf	      sb;
	char		     *doc;
	size_t		      len, i;

	(void)state;
	strbuf_init(&sb, 1 << 20);
	strbuf_addstr(&sb, "{\"organization-name\":\"");
	for (i = 0; i < 1000; i++)
		strbuf_addstr(&sb, "[{\\\"");
	strbuf_addstr(&sb, "\",\"policies\":[]}");
	doc = strbuf_detach(&sb, &len);
	r = tlsrpt_report_parse(doc, len, "s", fl);
	assert_non_null(r);
	tlsrpt_report_free(r);
	free(doc);
	finding_list_free(fl);
}

static void
test_too_many_values(void **state)
{
	struct finding_list *fl = finding_list_new();
	struct strbuf	     sb;
	char		    *doc;
	size_t		     len, i;

	(void)state;
	strbuf_init(&sb, TLSRPT_REPORT_MAX_BYTES);
	strbuf_addstr(&sb, "{\"x\":[");
	for (i = 0; i < TLSRPT_REPORT_MAX_VALUES + 10; i++)
		strbuf_addstr(&sb, "0,");
	strbuf_addstr(&sb, "0]}");
	assert_false(sb.toobig);
	doc = strbuf_detach(&sb, &len);
	assert_null(tlsrpt_report_parse(doc, len, "v", fl));
	assert_int_equal(finding_list_get(fl, 0)->code,
	    FINDING_REPORT_TOO_LARGE);
	free(doc);
	finding_list_free(fl);
}

static void
test_time(void **state)
{
	int64_t t;
	int	nz;

	(void)state;
	assert_int_equal(tlsrpt_report_time("1970-01-01T00:00:00Z", 0, &t, &nz),
	    0);
	assert_true(t == 0);
	assert_int_equal(
	    tlsrpt_report_time("2024-02-29T12:00:00.5+02:00", 0, &t, &nz), 0);
	assert_true(t == 1709200800); /* 10:00Z */
	assert_int_equal(tlsrpt_report_time("2023-02-29T00:00:00Z", 0, &t, &nz),
	    -1);
	assert_int_equal(tlsrpt_report_time("2023-01-10T00:00:00", 0, &t, &nz),
	    -1);
	assert_int_equal(tlsrpt_report_time("2023-01-10T00:00:00", 1, &t, &nz),
	    0);
	assert_int_equal(nz, 1);
	assert_int_equal(tlsrpt_report_time("2023-01-10T24:00:00Z", 1, &t, &nz),
	    -1);
	assert_int_equal(
	    tlsrpt_report_time("2023-01-10T00:00:00Zjunk", 1, &t, &nz), -1);
	assert_int_equal(tlsrpt_report_time("", 1, &t, &nz), -1);
}

static void
test_result_names(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < TLSRPT_RESULT_UNKNOWN; i++) {
		assert_int_equal(tlsrpt_result_lookup(
				     tlsrpt_result_name((enum tlsrpt_result)i)),
		    i);
		assert_non_null(tlsrpt_result_meaning((enum tlsrpt_result)i));
		assert_non_null(tlsrpt_result_fix((enum tlsrpt_result)i));
	}
	assert_int_equal(tlsrpt_result_lookup("STARTTLS-NOT-SUPPORTED"),
	    TLSRPT_RESULT_UNKNOWN);
}

int
main(void)
{
	static const struct {
		const char	  *name;
		CMUnitTestFunction fn;
	} extra[] = {
		{ "fields of the minimal report", test_fields },
		{ "unknown result type kept with its name", test_unknown_kept },
		{ "deeply nested JSON", test_deep },
		{ "brackets inside strings", test_brackets_in_strings },
		{ "too many JSON values", test_too_many_values },
		{ "RFC 3339 date-times", test_time },
		{ "result type registry", test_result_names },
	};
	size_t		   n = sizeof(cases) / sizeof(cases[0]), i;
	size_t		   ne = sizeof(extra) / sizeof(extra[0]);
	struct CMUnitTest *t;
	int		   rc;

	t = xcalloc(n + ne, sizeof(*t));
	for (i = 0; i < n; i++) {
		t[i].name = cases[i].desc;
		t[i].test_func = test_case;
		t[i].initial_state = (void *)(uintptr_t)&cases[i];
	}
	for (i = 0; i < ne; i++) {
		t[n + i].name = extra[i].name;
		t[n + i].test_func = extra[i].fn;
	}
	rc = _cmocka_run_group_tests("report_parse", t, n + ne, NULL, NULL);
	free(t);
	return rc;
}
