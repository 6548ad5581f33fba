/*
 * Unit tests for engine/verdict: the three answers (delivery, promotion,
 * hygiene) and the exit status, from facts alone.  Each case is one of the
 * situations issue 10 found judged wrongly, or one the model must keep.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "finding.h"
#include "policy_parse.h"
#include "verdict.h"

static const char *const one_pat[] = { "mx1.example.test" };
static const char *const two_pat[] = { "mx1.example.test", "mx2.example.test" };

static const struct verdict_addr_in ok_addr[] = { { "192.0.2.1", VERDICT_TLS_OK,
    0, NULL, 0, 0, NULL } };
static const struct verdict_addr_in ok_addr2[] = { { "192.0.2.2",
    VERDICT_TLS_OK, 0, NULL, 0, 0, NULL } };
static const struct verdict_addr_in bad_addr[] = { { "192.0.2.3",
    VERDICT_TLS_BAD, FINDING_MX_TLS_UNTRUSTED, "self-signed", 0, 0, NULL } };
static const struct verdict_addr_in closed_addr[] = { { "192.0.2.4",
    VERDICT_TLS_UNREACHABLE, FINDING_MX_TLS_CONNECT_FAILED,
    "connection refused", 0, 0, NULL } };
static const struct verdict_addr_in dane_addr[] = { { "192.0.2.5",
    VERDICT_TLS_OK, 0, NULL, 1, FINDING_DANE_MISMATCH, "no TLSA match" } };

/* A domain with one policy (or none) over the given MX hosts. */
struct fixture {
	struct verdict_policy	   pol;
	struct verdict_input	   in;
	struct finding_list	  *fl;
	struct finding_list	  *layer;
	const struct finding_list *layers[1];
	struct verdict		  *v;
};

static void
fx_init(struct fixture *f, enum policy_mode mode, const char *const *pat,
    size_t npat, const struct verdict_host_in *hosts, size_t nhosts)
{
	memset(f, 0, sizeof(*f));
	f->pol.mode = mode;
	f->pol.patterns = pat;
	f->pol.npatterns = npat;
	f->pol.max_age = 604800;
	f->in.domain = "example.test";
	f->in.now = 1796212800; /* 2026-12-02 */
	f->in.txt_present = f->in.txt_valid = f->in.fetched = 1;
	f->in.strict = &f->pol;
	f->in.hosts = hosts;
	f->in.nhosts = nhosts;
	f->in.tlsrpt_usable = 1;
	f->in.evidence = VERDICT_EVIDENCE_NOT_GIVEN;
	f->fl = finding_list_new();
	f->layer = finding_list_new();
	f->layers[0] = f->layer;
	f->in.layers = f->layers;
	f->in.nlayers = 1;
}

static void
fx_judge(struct fixture *f)
{
	f->v = verdict_judge(&f->in, f->fl);
}

static void
fx_free(struct fixture *f)
{
	verdict_free(f->v);
	finding_list_free(f->fl);
	finding_list_free(f->layer);
}

static const struct verdict_host_in two_ok[] = {
	{ "mx1.example.test", 10, 0, ok_addr, 1 },
	{ "mx2.example.test", 20, 0, ok_addr2, 1 },
};

/* TLS-RPT broken on a healthy enforce domain: hygiene, never delivery. */
static void
test_tlsrpt_is_hygiene(void **state)
{
	struct fixture f;

	(void)state;
	fx_init(&f, POLICY_MODE_ENFORCE, two_pat, 2, two_ok, 2);
	f.in.tlsrpt_usable = 0;
	finding_add(f.layer, FINDING_TLSRPT_MULTIPLE, "_smtp._tls.example.test",
	    0, "two records");
	/* The same code and subject twice is one item (and no leak). */
	finding_add(f.layer, FINDING_TLSRPT_MULTIPLE, "_smtp._tls.example.test",
	    0, "two records, again");
	fx_judge(&f);
	assert_int_equal(f.v->state, VERDICT_ALL);
	assert_int_equal(f.v->views[0].hosts[0].outcome, VERDICT_VERIFIED);
	assert_int_equal(f.v->nblockers, 0);
	assert_int_equal(f.v->nhygiene, 1);
	assert_int_equal(f.v->hygiene[0].code, FINDING_TLSRPT_MULTIPLE);
	assert_int_equal(f.v->exit_status, 1);
	assert_true(f.v->enforce_ready);
	fx_free(&f);
}

/* A healthy enforce domain with a long max_age: nothing to fix. */
static void
test_enforce_healthy(void **state)
{
	struct fixture f;

	(void)state;
	fx_init(&f, POLICY_MODE_ENFORCE, two_pat, 2, two_ok, 2);
	fx_judge(&f);
	assert_int_equal(f.v->exit_status, 0);
	assert_int_equal(f.v->step, VERDICT_STEP_KEEP);
	assert_int_equal(f.v->nviews, 1);
	fx_free(&f);
	/* A short max_age: the next step is to raise it, no exit change. */
	fx_init(&f, POLICY_MODE_ENFORCE, two_pat, 2, two_ok, 2);
	f.pol.max_age = 86400;
	fx_judge(&f);
	assert_int_equal(f.v->step, VERDICT_STEP_RAISE_MAX_AGE);
	assert_non_null(strstr(f.v->next, "86400"));
	assert_int_equal(f.v->exit_status, 0);
	fx_free(&f);
}

/* Null MX with an enforce policy: no mail by design, retire MTA-STS. */
static void
test_null_mx(void **state)
{
	struct fixture f;

	(void)state;
	fx_init(&f, POLICY_MODE_ENFORCE, one_pat, 1, NULL, 0);
	f.in.mx_state = VERDICT_MX_NULL;
	f.in.tlsrpt_usable = 0;
	finding_add(f.layer, FINDING_TLSRPT_MISSING, "_smtp._tls.example.test",
	    0, "none");
	fx_judge(&f);
	assert_int_equal(f.v->state, VERDICT_NO_MAIL);
	assert_int_equal(f.v->step, VERDICT_STEP_MOOT);
	assert_true(f.v->retire);
	/* No advice to publish TLS-RPT for a domain that takes no mail. */
	assert_int_equal(f.v->nhygiene, 0);
	assert_null(strstr(f.v->next, "TLSRPTv1"));
	assert_int_equal(f.v->exit_status, 1);
	assert_false(f.v->enforce_ready);
	fx_free(&f);
	/* Without any MTA-STS: nothing to do at all. */
	fx_init(&f, POLICY_MODE_ENFORCE, one_pat, 1, NULL, 0);
	f.in.mx_state = VERDICT_MX_NULL;
	f.in.strict = NULL;
	f.in.txt_present = f.in.txt_valid = f.in.fetched = 0;
	fx_judge(&f);
	assert_int_equal(f.v->exit_status, 0);
	fx_free(&f);
}

/* mode none: applied by senders, but no protection and no enforce. */
static void
test_mode_none(void **state)
{
	struct fixture f;

	(void)state;
	fx_init(&f, POLICY_MODE_NONE, NULL, 0, two_ok, 2);
	fx_judge(&f);
	assert_false(f.v->policy_applied);
	assert_false(f.v->enforce_ready);
	assert_int_equal(f.v->step, VERDICT_STEP_REMOVAL);
	assert_int_equal(f.v->views[0].hosts[0].outcome, VERDICT_OPPORTUNISTIC);
	assert_int_equal(f.v->exit_status, 0);
	fx_free(&f);
}

static const struct verdict_host_in one_ok_one_extra[] = {
	{ "mx1.example.test", 10, 0, ok_addr, 1 },
	{ "mx9.example.test", 20, 0, ok_addr2, 1 },
};

/* Testing with an uncovered MX: delivered and reported; a blocker. */
static void
test_testing_uncovered(void **state)
{
	struct fixture f;

	(void)state;
	fx_init(&f, POLICY_MODE_TESTING, one_pat, 1, one_ok_one_extra, 2);
	fx_judge(&f);
	assert_int_equal(f.v->state, VERDICT_ALL);
	assert_int_equal(f.v->views[0].hosts[1].outcome, VERDICT_REPORTED);
	assert_int_equal(f.v->views[0].hosts[1].code, FINDING_MX_UNCOVERED);
	assert_int_equal(f.v->step, VERDICT_STEP_TO_ENFORCE);
	assert_int_equal(f.v->nblockers, 1);
	assert_int_equal(f.v->blockers[0].code, FINDING_MX_UNCOVERED);
	assert_string_equal(f.v->blockers[0].subject, "mx9.example.test");
	assert_int_equal(f.v->exit_status, 1);
	assert_false(f.v->enforce_ready);
	fx_free(&f);
}

/* The same under enforce: mail refused at mx9, fix now, exit 2. */
static void
test_enforce_uncovered(void **state)
{
	struct fixture f;

	(void)state;
	fx_init(&f, POLICY_MODE_ENFORCE, one_pat, 1, one_ok_one_extra, 2);
	fx_judge(&f);
	assert_int_equal(f.v->state, VERDICT_SOME);
	assert_true(f.v->cause_mta_sts);
	assert_int_equal(f.v->views[0].hosts[1].outcome, VERDICT_REFUSED);
	assert_int_equal(f.v->step, VERDICT_STEP_FIX_NOW);
	assert_int_equal(f.v->exit_status, 2);
	fx_free(&f);
}

/* Testing without TLS-RPT: never "ready once reports are clean". */
static void
test_testing_without_tlsrpt(void **state)
{
	struct fixture f;

	(void)state;
	fx_init(&f, POLICY_MODE_TESTING, two_pat, 2, two_ok, 2);
	f.in.tlsrpt_usable = 0;
	fx_judge(&f);
	assert_int_equal(f.v->evidence, VERDICT_EVIDENCE_NO_TLSRPT);
	assert_non_null(strstr(f.v->next, "TLS-RPT record first"));
	assert_null(strstr(f.v->summary, "ready"));
	assert_true(finding_list_find(f.fl,
			FINDING_VERDICT_TESTING_WITHOUT_TLSRPT, 0) >= 0);
	assert_int_equal(f.v->exit_status, 1);
	fx_free(&f);
	/* Clean reports: ready, with the exact TXT to publish. */
	fx_init(&f, POLICY_MODE_TESTING, two_pat, 2, two_ok, 2);
	f.in.evidence = VERDICT_EVIDENCE_CLEAN;
	fx_judge(&f);
	assert_true(f.v->enforce_ready);
	assert_non_null(strstr(f.v->next, "id=20261202T"));
	assert_int_equal(f.v->exit_status, 0);
	fx_free(&f);
}

static const struct verdict_host_in unresolvable[] = {
	{ "mx1.example.test", 10, 0, NULL, 0 },
};
static const struct verdict_host_in closed[] = {
	{ "mx1.example.test", 10, 0, closed_addr, 1 },
};

/* No address or nothing listening: no delivery, not MTA-STS. */
static void
test_not_mta_sts(void **state)
{
	struct fixture f;

	(void)state;
	fx_init(&f, POLICY_MODE_ENFORCE, one_pat, 1, unresolvable, 1);
	f.in.strict = NULL;
	f.in.txt_present = f.in.txt_valid = f.in.fetched = 0;
	fx_judge(&f);
	assert_int_equal(f.v->state, VERDICT_NONE);
	assert_false(f.v->cause_mta_sts);
	assert_int_equal(f.v->views[0].hosts[0].code, FINDING_MX_UNRESOLVABLE);
	assert_non_null(strstr(f.v->delivery, "not an MTA-STS matter"));
	assert_int_equal(f.v->exit_status, 2);
	fx_free(&f);
	fx_init(&f, POLICY_MODE_ENFORCE, one_pat, 1, closed, 1);
	fx_judge(&f);
	assert_int_equal(f.v->views[0].hosts[0].outcome, VERDICT_UNREACHABLE);
	assert_false(f.v->views[0].refused);
	assert_non_null(strstr(f.v->next, "outside MTA-STS"));
	fx_free(&f);
	/* The domain does not exist. */
	fx_init(&f, POLICY_MODE_ENFORCE, one_pat, 1, NULL, 0);
	f.in.mx_state = VERDICT_MX_NXDOMAIN;
	fx_judge(&f);
	assert_int_equal(f.v->state, VERDICT_NONE);
	assert_int_equal(f.v->step, VERDICT_STEP_MOOT);
	fx_free(&f);
}

static const struct verdict_host_in one_bad[] = {
	{ "mx1.example.test", 10, 0, bad_addr, 1 },
};

/*
 * Strict senders refuse the policy, lenient ones apply it and refuse the
 * MX: the worse decides (exit 2), and the view says who does what.
 */
static void
test_lenient_worse(void **state)
{
	struct fixture	      f;
	struct verdict_policy len;

	(void)state;
	fx_init(&f, POLICY_MODE_ENFORCE, one_pat, 1, one_bad, 1);
	len = f.pol;
	f.in.strict = NULL;
	f.in.fetched = 0;
	f.in.lenient = &len;
	fx_judge(&f);
	assert_int_equal(f.v->nviews, 2);
	assert_int_equal(f.v->views[0].sender, VERDICT_SENDER_STRICT);
	assert_int_equal(f.v->views[0].hosts[0].outcome, VERDICT_OPPORTUNISTIC);
	assert_int_equal(f.v->views[1].sender, VERDICT_SENDER_LENIENT);
	assert_int_equal(f.v->views[1].hosts[0].outcome, VERDICT_REFUSED);
	assert_int_equal(f.v->state, VERDICT_NONE);
	assert_int_equal(f.v->step, VERDICT_STEP_REPAIR);
	assert_int_equal(f.v->nblockers, 1);
	assert_int_equal(f.v->exit_status, 2);
	fx_free(&f);
}

/* Two v=STSv1 records: strict senders none, first-taking ones apply. */
static void
test_multiple_txt(void **state)
{
	struct fixture f;

	(void)state;
	fx_init(&f, POLICY_MODE_ENFORCE, two_pat, 2, two_ok, 2);
	f.in.txt_valid = 0;
	f.in.txt_lenient = 1;
	fx_judge(&f);
	assert_false(f.v->policy_applied);
	assert_int_equal(f.v->nviews, 2);
	assert_int_equal(f.v->views[1].hosts[0].outcome, VERDICT_VERIFIED);
	assert_int_equal(f.v->step, VERDICT_STEP_REPAIR);
	assert_int_equal(f.v->exit_status, 1);
	fx_free(&f);
}

/* Policy served, TXT gone: senders holding the policy still enforce it. */
static void
test_holder(void **state)
{
	struct fixture f;

	(void)state;
	fx_init(&f, POLICY_MODE_ENFORCE, one_pat, 1, one_ok_one_extra, 2);
	f.in.txt_present = f.in.txt_valid = 0;
	fx_judge(&f);
	assert_int_equal(f.v->nviews, 2);
	assert_int_equal(f.v->views[1].sender, VERDICT_SENDER_HOLDER);
	assert_int_equal(f.v->views[1].hosts[1].outcome, VERDICT_REFUSED);
	assert_int_equal(f.v->exit_status, 2);
	/* Announcing this enforce policy would skip testing: say so. */
	assert_non_null(strstr(f.v->next, "Do not just publish the TXT"));
	fx_free(&f);
}

static const struct verdict_host_in dane_host[] = {
	{ "mx1.example.test", 10, 0, dane_addr, 1 },
};

/* RFC 8461 section 2: a failing DANE match is not overridden. */
static void
test_dane_refuses(void **state)
{
	struct fixture f;

	(void)state;
	fx_init(&f, POLICY_MODE_TESTING, one_pat, 1, dane_host, 1);
	fx_judge(&f);
	assert_int_equal(f.v->views[0].hosts[0].outcome, VERDICT_REFUSED);
	assert_int_equal(f.v->views[0].hosts[0].code, FINDING_DANE_MISMATCH);
	assert_int_equal(f.v->exit_status, 2);
	fx_free(&f);
}

/* One bad address of two: the host takes mail; the address is refused. */
static void
test_partial_host(void **state)
{
	static const struct verdict_addr_in addrs[] = {
		{ "192.0.2.1", VERDICT_TLS_OK, 0, NULL, 0, 0, NULL },
		{ "2001:db8::1", VERDICT_TLS_BAD, FINDING_MX_TLS_EXPIRED,
		    "expired", 0, 0, NULL },
	};
	static const struct verdict_host_in h[] = {
		{ "mx1.example.test", 10, 0, addrs, 2 },
	};
	struct fixture f;

	(void)state;
	fx_init(&f, POLICY_MODE_ENFORCE, one_pat, 1, h, 1);
	fx_judge(&f);
	assert_int_equal(f.v->views[0].hosts[0].outcome, VERDICT_VERIFIED);
	assert_int_equal(f.v->views[0].hosts[0].addrs[1].outcome,
	    VERDICT_REFUSED);
	assert_int_equal(f.v->state, VERDICT_ALL);
	assert_int_equal(f.v->exit_status, 2);
	assert_string_equal(f.v->blockers[0].subject,
	    "mx1.example.test 2001:db8::1");
	fx_free(&f);
}

static const struct verdict_addr_in unknown_addr[] = { { "192.0.2.9",
    VERDICT_TLS_UNKNOWN, 0, NULL, 0, 0, NULL } };
static const struct verdict_host_in unknown_host[] = {
	{ "mx1.example.test", 10, 0, unknown_addr, 1 },
};

/* Not examined: by choice (--no-mx-tls) nothing to fix; port 25 cut: 1. */
static void
test_unknown(void **state)
{
	struct fixture f;

	(void)state;
	fx_init(&f, POLICY_MODE_ENFORCE, one_pat, 1, unknown_host, 1);
	f.in.unknown_by_choice = 1;
	fx_judge(&f);
	assert_int_equal(f.v->state, VERDICT_STATE_UNKNOWN);
	assert_int_equal(f.v->exit_status, 0);
	fx_free(&f);
	fx_init(&f, POLICY_MODE_ENFORCE, one_pat, 1, unknown_host, 1);
	fx_judge(&f);
	assert_int_equal(f.v->exit_status, 1);
	fx_free(&f);
	/* One host examined, one not: "all" of those examined, said so. */
	fx_init(&f, POLICY_MODE_ENFORCE, two_pat, 2, two_ok, 2);
	f.in.hosts = (const struct verdict_host_in[]){ two_ok[0],
		{ "mx2.example.test", 20, 0, unknown_addr, 1 } };
	f.in.unknown_by_choice = 1;
	fx_judge(&f);
	assert_int_equal(f.v->state, VERDICT_ALL);
	assert_non_null(strstr(f.v->delivery, "1 not examined"));
	fx_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tlsrpt_is_hygiene),
		cmocka_unit_test(test_enforce_healthy),
		cmocka_unit_test(test_null_mx),
		cmocka_unit_test(test_mode_none),
		cmocka_unit_test(test_testing_uncovered),
		cmocka_unit_test(test_enforce_uncovered),
		cmocka_unit_test(test_testing_without_tlsrpt),
		cmocka_unit_test(test_not_mta_sts),
		cmocka_unit_test(test_lenient_worse),
		cmocka_unit_test(test_multiple_txt),
		cmocka_unit_test(test_holder),
		cmocka_unit_test(test_dane_refuses),
		cmocka_unit_test(test_partial_host),
		cmocka_unit_test(test_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
