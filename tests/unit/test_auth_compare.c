/* Unit tests: the authoritative view's comparison (auth_compare.h). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auth_compare.h"
#include "auth_ns.h"
#include "finding.h"
#include "xmalloc.h"

/* One answer of n records, or none with status. */
static void
set(struct auth_rrset *s, enum dns_status st, uint32_t ttl, size_t n, ...)
{
	va_list ap;
	size_t	i;

	auth_rrset_clear(s);
	s->asked = 1;
	s->status = st;
	s->ttl = ttl;
	s->has_ttl = 1;
	s->rr = xcalloc(n + 1, sizeof(*s->rr));
	va_start(ap, n);
	for (i = 0; i < n; i++)
		s->rr[i] = xstrdup(va_arg(ap, const char *));
	va_end(ap);
	s->n = n;
}

/* A zone with nsrv servers all serving id 1, and a resolver agreeing. */
static struct auth_result *
zone(size_t nsrv)
{
	struct auth_result *r = xcalloc(1, sizeof(*r));
	size_t		    i;
	int		    q;

	r->apex = xstrdup("example.test");
	r->srv = xcalloc(nsrv, sizeof(*r->srv));
	r->nsrv = nsrv;
	for (i = 0; i < nsrv; i++) {
		r->srv[i].name = xasprintf("ns%zu.example.test", i + 1);
		r->srv[i].addr = xasprintf("192.0.2.%zu", i + 1);
		r->srv[i].has_serial = 1;
		r->srv[i].serial = 7;
		for (q = 0; q < AUTH_Q__COUNT; q++)
			set(&r->srv[i].q[q], DNS_NODATA, 60, 0);
		set(&r->srv[i].q[AUTH_Q_STS], DNS_OK, 300, 1,
		    "\"v=STSv1; id=1\"");
	}
	for (q = 0; q < AUTH_Q__COUNT; q++)
		set(&r->resolver[q], DNS_NODATA, 60, 0);
	set(&r->resolver[AUTH_Q_STS], DNS_OK, 250, 1, "\"v=STSv1; id=1\"");
	return r;
}

static struct finding_list *
judge(const struct auth_result *r, struct auth_tally *t)
{
	struct finding_list *fl = finding_list_new();

	auth_compare(r, "example.test", fl, t);
	return fl;
}

static const struct finding *
only(const struct finding_list *fl, enum finding_code code)
{
	long i = finding_list_find(fl, code, 0);

	assert_true(i >= 0);
	assert_true(finding_list_find(fl, code, (size_t)i + 1) < 0);
	return finding_list_get(fl, (size_t)i);
}

static void
test_agree(void **state)
{
	struct auth_result  *r = zone(2);
	struct auth_tally    t;
	struct finding_list *fl = judge(r, &t);

	(void)state;
	assert_int_equal(finding_list_count(fl), 1);
	only(fl, FINDING_AUTH_AGREE);
	assert_int_equal(t.ok, 2);
	assert_int_equal(t.disagree, 0);
	assert_int_equal(t.stale, 0);
	assert_false(t.serials);
	finding_list_free(fl);
	auth_result_free(r);
}

/* The secondary still serves the old id: both servers, serials, ids. */
static void
test_disagree(void **state)
{
	struct auth_result   *r = zone(2);
	struct auth_tally     t;
	struct finding_list  *fl;
	const struct finding *f;

	(void)state;
	r->srv[1].serial = 6;
	set(&r->srv[1].q[AUTH_Q_STS], DNS_OK, 300, 1, "\"v=STSv1; id=0\"");
	fl = judge(r, &t);
	f = only(fl, FINDING_AUTH_DISAGREE);
	assert_string_equal(f->subject, "_mta-sts.example.test TXT");
	assert_non_null(strstr(f->message,
	    "ns1.example.test (192.0.2.1, "
	    "serial 7) serves \"v=STSv1; id=1\""));
	assert_non_null(strstr(f->message,
	    "ns2.example.test (192.0.2.2, "
	    "serial 6) serves \"v=STSv1; id=0\""));
	assert_int_equal(t.disagree, 1);
	assert_true(t.serials);
	/* The resolver's id 1 is served by ns1: not stale. */
	assert_int_equal(t.stale, 0);
	assert_true(finding_list_find(fl, FINDING_AUTH_AGREE, 0) < 0);
	assert_true(finding_list_find(fl, FINDING_AUTH_SERIALS, 0) < 0);
	finding_list_free(fl);
	auth_result_free(r);
}

/* Servers in agreement are grouped: "A, B serve X; C serves Y". */
static void
test_groups(void **state)
{
	struct auth_result   *r = zone(3);
	struct auth_tally     t;
	struct finding_list  *fl;
	const struct finding *f;

	(void)state;
	set(&r->srv[2].q[AUTH_Q_MX], DNS_OK, 300, 2, "10 mx1.example.test",
	    "20 mx2.example.test");
	fl = judge(r, &t);
	f = only(fl, FINDING_AUTH_DISAGREE);
	assert_string_equal(f->subject, "example.test MX");
	assert_non_null(strstr(f->message,
	    "ns1.example.test (192.0.2.1, serial 7), ns2.example.test "
	    "(192.0.2.2, serial 7) serve nodata; ns3.example.test (192.0.2.3, "
	    "serial 7) serves 10 mx1.example.test | 20 mx2.example.test"));
	finding_list_free(fl);
	auth_result_free(r);
}

/* The resolver holds an id no server serves: stale, with its TTL. */
static void
test_resolver_stale(void **state)
{
	struct auth_result   *r = zone(2);
	struct auth_tally     t;
	struct finding_list  *fl;
	const struct finding *f;

	(void)state;
	set(&r->resolver[AUTH_Q_STS], DNS_OK, 42, 1, "\"v=STSv1; id=0\"");
	fl = judge(r, &t);
	f = only(fl, FINDING_AUTH_RESOLVER_STALE);
	assert_non_null(strstr(f->message, "\"v=STSv1; id=0\""));
	assert_non_null(strstr(f->message, "within 42 s"));
	assert_int_equal(t.stale, 1);
	assert_true(finding_list_find(fl, FINDING_AUTH_AGREE, 0) < 0);
	finding_list_free(fl);
	auth_result_free(r);
}

/* A resolver that failed is not compared: its failure is its own. */
static void
test_resolver_failed(void **state)
{
	struct auth_result  *r = zone(1);
	struct auth_tally    t;
	struct finding_list *fl;

	(void)state;
	set(&r->resolver[AUTH_Q_STS], DNS_SERVFAIL, 0, 0);
	fl = judge(r, &t);
	assert_int_equal(t.stale, 0);
	only(fl, FINDING_AUTH_AGREE);
	finding_list_free(fl);
	auth_result_free(r);
}

/* Lame and unreachable servers are findings, and left out of comparing. */
static void
test_lame_unreachable(void **state)
{
	struct auth_result  *r = zone(3);
	struct auth_tally    t;
	struct finding_list *fl;

	(void)state;
	r->srv[1].state = AUTH_SERVER_LAME;
	r->srv[1].why = xstrdup("answers refused");
	set(&r->srv[1].q[AUTH_Q_STS], DNS_OK, 1, 1, "\"v=STSv1; id=9\"");
	r->srv[2].state = AUTH_SERVER_UNREACHABLE;
	r->srv[2].why = xstrdup("no answer within 3.0 s");
	fl = judge(r, &t);
	assert_non_null(strstr(only(fl, FINDING_AUTH_LAME)->message,
	    "ns2.example.test (192.0.2.2)"));
	assert_non_null(strstr(only(fl, FINDING_AUTH_UNREACHABLE)->message,
	    "no answer within 3.0 s"));
	assert_true(finding_list_find(fl, FINDING_AUTH_DISAGREE, 0) < 0);
	assert_true(finding_list_find(fl, FINDING_AUTH_AGREE, 0) < 0);
	assert_int_equal(t.ok, 1);
	assert_int_equal(t.lame, 1);
	assert_int_equal(t.unreachable, 1);
	finding_list_free(fl);
	auth_result_free(r);
}

/* Same answers, different serials: only the INFO finding. */
static void
test_serials(void **state)
{
	struct auth_result  *r = zone(2);
	struct auth_tally    t;
	struct finding_list *fl;

	(void)state;
	r->srv[0].serial = 8;
	fl = judge(r, &t);
	only(fl, FINDING_AUTH_SERIALS);
	assert_true(t.serials);
	assert_int_equal(t.disagree, 0);
	finding_list_free(fl);
	auth_result_free(r);
}

static void
test_no_servers(void **state)
{
	struct auth_result  *r = xcalloc(1, sizeof(*r));
	struct auth_tally    t;
	struct finding_list *fl;

	(void)state;
	r->error = xstrdup("no SOA found at or above example.test");
	fl = judge(r, &t);
	assert_int_equal(finding_list_count(fl), 1);
	assert_non_null(
	    strstr(only(fl, FINDING_AUTH_NO_SERVERS)->message, "no SOA found"));
	finding_list_free(fl);
	auth_result_free(r);
}

static void
test_same_and_text(void **state)
{
	struct auth_rrset a, b;
	char		 *s;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	set(&a, DNS_OK, 1, 2, "a", "b");
	set(&b, DNS_OK, 99, 2, "a", "b");
	assert_true(auth_rrset_same(&a, &b)); /* TTLs do not count */
	set(&b, DNS_OK, 1, 2, "a", "c");
	assert_false(auth_rrset_same(&a, &b));
	set(&b, DNS_NXDOMAIN, 1, 0);
	assert_false(auth_rrset_same(&a, &b));
	s = auth_rrset_text(&a);
	assert_string_equal(s, "a | b");
	free(s);
	s = auth_rrset_text(&b);
	assert_string_equal(s, "nxdomain");
	free(s);
	auth_rrset_clear(&a);
	auth_rrset_clear(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agree),
		cmocka_unit_test(test_disagree),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_resolver_stale),
		cmocka_unit_test(test_resolver_failed),
		cmocka_unit_test(test_lame_unreachable),
		cmocka_unit_test(test_serials),
		cmocka_unit_test(test_no_servers),
		cmocka_unit_test(test_same_and_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
