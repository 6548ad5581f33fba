/*
 * Unit tests for the monitoring outputs on hostile check documents:
 * engine/doc_certs (the leaf certificates), engine/metrics (label
 * escaping, bounds, the last document of a domain winning) and
 * cli/report_nagios (no '|' or newline from the network in the status
 * line, thresholds, UNKNOWN on a failure).
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

#include "cli/report_nagios.h"
#include "doc_certs.h"
#include "metrics.h"
#include "strbuf.h"
#include "xmalloc.h"

/* One MX with two addresses (certificates 30 and 40 days), a policy host
 * certificate of 80 days; the summary carries a '|' and a newline. */
static const char base_doc[] =
    "{\"version\":2,\"domain\":\"a.example\",\"failure\":null,"
    "\"exit_status\":0,\"elapsed_ms\":1500,"
    "\"checked_at\":\"2026-12-01T10:00:00Z\","
    "\"layers\":["
    "{\"id\":\"dns\",\"status\":\"pass\",\"data\":{\"record\":"
    "{\"candidates\":1,\"valid\":true}}},"
    "{\"id\":\"fetch\",\"status\":\"pass\",\"data\":{\"attempts\":["
    "{\"address\":\"192.0.2.1\",\"chain\":{\"certificates\":["
    "{\"days_left\":80,\"not_after\":\"2027-02-19T10:00:00Z\"}]}}]}},"
    "{\"id\":\"policy\",\"status\":\"pass\",\"data\":{\"valid\":true,"
    "\"max_age\":604800}},"
    "{\"id\":\"mx\",\"status\":\"pass\",\"data\":{\"hosts\":[{\"name\":"
    "\"mx.a.example\",\"judged\":true,\"covered_by\":\"mx.a.example\"}]}},"
    "{\"id\":\"mx_tls\",\"status\":\"warn\",\"data\":{\"hosts\":[{\"name\":"
    "\"mx\\\"=|' x.a.example\",\"addresses\":["
    "{\"address\":\"192.0.2.25\",\"chain\":{\"certificates\":["
    "{\"days_left\":30,\"not_after\":\"2026-12-31T10:00:00Z\"}]}},"
    "{\"address\":\"2001:db8::25\",\"chain\":{\"certificates\":["
    "{\"days_left\":40,\"not_after\":\"2027-01-10T10:00:00Z\"}]}}]}]}},"
    "{\"id\":\"evil{\\\"}\",\"status\":\"pass\",\"data\":{}}],"
    "\"findings\":[{\"severity\":\"warning\",\"code\":\"x.y\","
    "\"message\":\"one | two\\nthree\\u001b[31m\"}],"
    "\"verdict\":{\"mode\":\"enforce\",\"delivery\":{\"state\":\"all\","
    "\"summary\":\"all | good\\nMTA-STS OK: fake\"},"
    "\"promotion\":{\"step\":\"keep\",\"blockers\":[]},"
    "\"hygiene\":{\"items\":[]}}}";

static json_t *
load(const char *s)
{
	json_error_t e;
	json_t	    *d = json_loads(s, 0, &e);

	if (d == NULL)
		fail_msg("document: %s", e.text);
	return d;
}

static void
test_doc_certs(void **state)
{
	struct doc_cert dc[4];
	json_t	       *d = load(base_doc);
	size_t		n;

	(void)state;
	n = doc_certs(d, dc, 4);
	assert_int_equal(n, 3);
	assert_true(dc[0].policy);
	assert_string_equal(dc[0].host, "a.example");
	assert_int_equal(dc[0].days_left, 80);
	assert_int_equal(dc[1].days_left, 30);
	assert_int_equal(dc[1].not_after, 1798711200LL);
	assert_string_equal(dc[2].address, "2001:db8::25");
	/* More than max: counted, not written. */
	assert_int_equal(doc_certs(d, dc, 1), 3);
	json_decref(d);
}

static void
test_metrics_escape(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb, 64);
	metrics_escape(&sb, "a\"b\\c\nd");
	assert_string_equal(sb.data, "a\\\"b\\\\c\\nd");
	strbuf_free(&sb);
}

static void
test_metrics_render(void **state)
{
	struct metrics_scan sc;
	struct metrics	   *m = metrics_new();
	json_t		   *d = load(base_doc), *d2;
	char		   *out, *p;
	size_t		    len;

	(void)state;
	memset(&sc, 0, sizeof(sc));
	assert_int_equal(metrics_add(m, d), 0);
	/* A later document of the same domain wins. */
	d2 = load(base_doc);
	json_object_set_new(d2, "exit_status", json_integer(2));
	assert_int_equal(metrics_add(m, d2), 0);
	assert_int_equal(metrics_add(m, json_object_get(d, "verdict")), -1);
	assert_int_equal(metrics_count(m), 1);
	out = metrics_render(m, &sc, &len);
	assert_non_null(out);
	assert_int_equal(strlen(out), len);
	assert_non_null(
	    strstr(out, "mtasts_exit_status{domain=\"a.example\"} 2\n"));
	assert_null(
	    strstr(out, "mtasts_exit_status{domain=\"a.example\"} 0\n"));
	assert_non_null(strstr(out,
	    "mtasts_mx_certificate_expiry_timestamp_seconds{domain=\"a.example\""
	    ",mx_host=\"mx\\\"=|' x.a.example\"} 1798711200\n"));
	assert_non_null(strstr(out,
	    "mtasts_policy_certificate_expiry_timestamp_seconds{domain=\"a."
	    "example\"} 1803031200\n"));
	assert_non_null(strstr(out,
	    "mtasts_layer_status{domain=\"a.example\",layer=\"mx_tls\"} 1\n"));
	/* A layer id outside [a-z_] is dropped, not escaped. */
	assert_null(strstr(out, "evil"));
	assert_non_null(strstr(out,
	    "mtasts_last_check_timestamp_seconds{domain=\"a.example\"} "
	    "1796119200\n"));
	/* No finding text. */
	assert_null(strstr(out, "one | two"));
	for (p = out; *p != '\0'; p++)
		assert_true(*p != '\r' && (unsigned char)*p >= 0x0a);
	free(out);
	metrics_free(m);
	json_decref(d);
	json_decref(d2);
}

/* The first line of out, and how many '|' it holds. */
static size_t
first_line_bars(const char *out, char *line, size_t size)
{
	const char *nl = strchr(out, '\n');
	size_t n = nl != NULL ? (size_t)(nl - out) : strlen(out), i, bars = 0;

	assert_true(n < size);
	memcpy(line, out, n);
	line[n] = '\0';
	for (i = 0; i < n; i++)
		bars += line[i] == '|';
	return bars;
}

static char *
nagios(const json_t *d, int warn, int crit, int *rc)
{
	struct report_nagios_limits lim = { warn, crit };
	char			   *buf = NULL;
	size_t			    len = 0;
	FILE			   *f = open_memstream(&buf, &len);

	assert_non_null(f);
	*rc = report_nagios(f, d, &lim);
	fclose(f);
	return buf;
}

static void
test_nagios_hostile(void **state)
{
	json_t *d = load(base_doc);
	char	line[4096], *out;
	int	rc;

	(void)state;
	out = nagios(d, 21, 7, &rc);
	assert_int_equal(rc, NAGIOS_OK);
	assert_int_equal(first_line_bars(out, line, sizeof(line)), 1);
	assert_non_null(strstr(line,
	    "MTA-STS OK: a.example: all / good "
	    "MTA-STS OK: fake; next: keep | "));
	/* The label lost its quote, '=', '|', apostrophe and space. */
	assert_non_null(strstr(line,
	    " cert_days_mx_mx_____x.a.example_"
	    "192.0.2.25=30;21:;7: "));
	assert_non_null(strstr(line,
	    " cert_days_mx_mx_____x.a.example_"
	    "2001:db8::25=40;21:;7: "));
	assert_non_null(strstr(line,
	    " max_age=604800s;;;0 mx_covered=1;;;0;1 "
	    "mx_hosts=1;;;0 time=1.500s;;;0"));
	/* Long output: one line per item, the newline and ESC gone. */
	assert_non_null(strstr(out, "\n[warning] x.y: one / two three [31m\n"));
	assert_null(strchr(out, '\033'));
	free(out);

	/* The thresholds: 30 days left is not "within 30 days"; it is
	 * WARNING at -w 31 and CRITICAL at -c 31. */
	out = nagios(d, 30, 7, &rc);
	assert_int_equal(rc, NAGIOS_OK);
	free(out);
	out = nagios(d, 31, 7, &rc);
	assert_int_equal(rc, NAGIOS_WARNING);
	assert_non_null(strstr(out, "expires in 30 days | "));
	free(out);
	out = nagios(d, 60, 31, &rc);
	assert_int_equal(rc, NAGIOS_CRITICAL);
	free(out);

	/* A failed check is UNKNOWN whatever the rest says... */
	json_object_set_new(d, "failure", json_string("resolver | dead\n"));
	json_object_set_new(d, "exit_status", json_integer(3));
	out = nagios(d, 21, 7, &rc);
	assert_int_equal(rc, NAGIOS_UNKNOWN);
	assert_int_equal(first_line_bars(out, line, sizeof(line)), 1);
	assert_non_null(strstr(line, "could not check: resolver / dead  | "));
	free(out);
	/* ...unless a certificate is within -c: CRITICAL is worse. */
	out = nagios(d, 60, 31, &rc);
	assert_int_equal(rc, NAGIOS_CRITICAL);
	free(out);
	json_decref(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_certs),
		cmocka_unit_test(test_metrics_escape),
		cmocka_unit_test(test_metrics_render),
		cmocka_unit_test(test_nagios_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
