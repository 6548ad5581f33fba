/*
 * Unit tests for engine/provider: matching CNAME targets against the table
 * of known policy-hosting providers (every provider's own target form, the
 * zone apex, case, trailing dot, lookalikes that must not match), and the
 * diagnosis provider_judge() adds for each state of a delegated host.
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

#include "findings_check.h"

#include "finding.h"
#include "policy_fetch.h"
#include "policy_parse.h"
#include "provider.h"
#include "xmalloc.h"

struct match_case {
	const char *name;
	const char *provider; /* expected name, NULL: no match */
};

static const struct match_case match_cases[] = {
	/* Each provider's target form from doc/field-data.md. */
	{ "a.com._mta-sts.mailhardener.com", "Mailhardener" },
	{ "a-com._mta.mta-sts.tech", "PowerDMARC" },
	{ "a-com._mta-sts.uriports.com", "URIports" },
	{ "a-com.mta-sts.dmarcinput.com", "DMARCReport" },
	{ "a_com__mta_sts.easydmarc.pro", "EasyDMARC" },
	{ "a.com._mta-sts.sdmarc.net", "Sendmarc" },
	{ "_mta-sts.a.com._mta-sts.smart.ondmarc.com", "OnDMARC" },
	{ "_mta-sts.tutanota.de", "Tutanota" },
	{ "mta-sts.tutanota.de", "Tutanota" },
	/* The zone apex itself, case, the root dot. */
	{ "mailhardener.com", "Mailhardener" },
	{ "A.COM._MTA-STS.MailHardener.Com", "Mailhardener" },
	{ "a-com._mta.mta-sts.tech.", "PowerDMARC" },
	{ "URIPORTS.COM.", "URIports" },
	/* Lookalikes: the zone must be the whole tail, on a label boundary. */
	{ "mailhardener.com.evil.example", NULL },
	{ "a.com._mta-sts.mailhardener.com.evil.example.", NULL },
	{ "evilmailhardener.com", NULL },
	{ "a.com._mta-sts.notmailhardener.com", NULL },
	{ "a-com._mta.xmta-sts.tech", NULL },
	{ "mta-sts.tech.test", NULL },
	{ "ailhardener.com", NULL },
	{ "com", NULL },
	{ "", NULL },
	{ ".", NULL },
	{ "other.example.net", NULL },
};

static void
test_match(void **state)
{
	const struct match_case *c = *state;
	const struct provider	*p = provider_match(c->name);

	if (c->provider == NULL) {
		if (p != NULL)
			fail_msg("%s matched %s", c->name, p->name);
		return;
	}
	if (p == NULL)
		fail_msg("%s matched nothing, expected %s", c->name,
		    c->provider);
	assert_string_equal(p->name, c->provider);
}

/* Every row: its own form matches it, and its zone is a plain name. */
static void
test_table(void **state)
{
	const struct provider *p;
	size_t		       i;

	(void)state;
	assert_true(provider_count() >= 8);
	assert_null(provider_get(provider_count()));
	assert_null(provider_match(NULL));
	for (i = 0; i < provider_count(); i++) {
		p = provider_get(i);
		assert_non_null(p->name);
		assert_non_null(p->after);
		assert_true(p->left != 0);
		assert_ptr_equal(provider_match(p->form), p);
		assert_ptr_equal(provider_match(p->zone), p);
		assert_true(p->zone[strlen(p->zone) - 1] != '.');
	}
}

/* A fetch result with one address that ended with outcome. */
static struct policy_fetch_result *
fake_fetch(enum policy_fetch_outcome outcome, const char *body)
{
	struct policy_fetch_result *r;

	r = xcalloc(1, sizeof(*r));
	r->host = xstrdup("mta-sts.a.test");
	r->url = xstrdup("https://mta-sts.a.test/.well-known/mta-sts.txt");
	r->findings = NULL;
	r->naddrs = 1;
	r->addrs = xcalloc(1, sizeof(*r->addrs));
	r->addrs[0].address = xstrdup("192.0.2.1");
	r->addrs[0].outcome = outcome;
	r->addrs[0].detail = xstrdup(outcome == POLICY_FETCH_TLS_NAME
		? "the certificate does not name mta-sts.a.test"
		: "HTTP 404");
	r->body_addr = -1;
	if (body != NULL) {
		r->addrs[0].body = xstrdup(body);
		r->addrs[0].body_len = strlen(body);
		r->body = r->addrs[0].body;
		r->body_len = r->addrs[0].body_len;
		r->body_addr = 0;
	}
	return r;
}

static void
fake_fetch_free(struct policy_fetch_result *r)
{
	free(r->addrs[0].address);
	free(r->addrs[0].detail);
	free(r->addrs[0].body);
	free(r->addrs);
	free(r->host);
	free(r->url);
	free(r);
}

struct judge_case {
	const char		 *desc;
	const char		 *host_chain[3];
	int			  nxdomain, nodata;
	const char		 *txt_chain[2];
	int			  fetch; /* 0: no fetch made */
	enum policy_fetch_outcome outcome;
	const char		 *body; /* NULL: none */
	enum provider_state	  state;
	const char		 *provider; /* of the host, NULL: unknown */
	const char		 *codes;
	const char		 *msg;	   /* substring of some message */
	const char		 *fix;	   /* substring of the diagnosis fix */
	int			  warning; /* the diagnosis is a warning */
};

#define GOOD "version: STSv1\nmode: enforce\nmx: mx.a.test\nmax_age: 86400\n"
#define NONE "version: STSv1\nmode: none\nmax_age: 86400\n"

static const struct judge_case judge_cases[] = {
	{ "not delegated", { NULL }, 0, 0, { NULL }, 1, POLICY_FETCH_OK, GOOD,
	    PROVIDER_STATE_NONE, NULL, "", NULL, NULL, 0 },
	{ "CNAME inside the domain is no delegation", { "web.a.test" }, 0, 0,
	    { NULL }, 1, POLICY_FETCH_OK, GOOD, PROVIDER_STATE_NONE, NULL, "",
	    NULL, NULL, 0 },
	{ "delegated and working", { "a.test._mta-sts.mailhardener.com" }, 0, 0,
	    { "a.test._mta-sts.mailhardener.com" }, 1, POLICY_FETCH_OK, GOOD,
	    PROVIDER_STATE_OK, "Mailhardener", "fetch.delegated",
	    "delegated to Mailhardener via CNAME "
	    "a.test._mta-sts.mailhardener.com; _mta-sts.a.test is delegated "
	    "to Mailhardener too",
	    NULL, 0 },
	{ "own host, then out",
	    { "web.a.test", "a-test._mta-sts.uriports.com" }, 0, 0, { NULL }, 1,
	    POLICY_FETCH_OK, GOOD, PROVIDER_STATE_OK, "URIports",
	    "fetch.delegated",
	    "via CNAME a-test._mta-sts.uriports.com; the _mta-sts TXT record "
	    "stays in a.test",
	    NULL, 0 },
	{ "unknown target", { "policy.other.example.net" }, 0, 0, { NULL }, 1,
	    POLICY_FETCH_OK, GOOD, PROVIDER_STATE_OK, NULL, "fetch.delegated",
	    "delegated by CNAME to policy.other.example.net (not a known "
	    "provider)",
	    NULL, 0 },
	{ "dangling", { "a-test._mta-sts.uriports.com" }, 1, 0, { NULL }, 0,
	    POLICY_FETCH_OK, NULL, PROVIDER_STATE_DANGLING, "URIports",
	    "fetch.delegated fetch.delegation_dangling",
	    "the CNAME target a-test._mta-sts.uriports.com does not exist "
	    "(NXDOMAIN)",
	    "Remove the CNAME mta-sts.a.test -> a-test._mta-sts.uriports.com "
	    "and the _mta-sts TXT record, or renew the hosting with URIports",
	    0 },
	{ "no address at the target", { "a-test._mta.mta-sts.tech" }, 0, 1,
	    { NULL }, 0, POLICY_FETCH_OK, NULL, PROVIDER_STATE_NO_ADDRESS,
	    "PowerDMARC", "fetch.delegated fetch.delegation_broken",
	    "which publishes no address for this name", NULL, 0 },
	{ "no certificate", { "a-test.mta-sts.dmarcinput.com" }, 0, 0, { NULL },
	    1, POLICY_FETCH_TLS_NAME, NULL, PROVIDER_STATE_NO_CERT,
	    "DMARCReport", "fetch.delegated fetch.delegation_broken",
	    "delegated to DMARCReport, which has no certificate for this name: "
	    "the hosting was never set up or has ended",
	    "Remove the CNAME mta-sts.a.test -> a-test.mta-sts.dmarcinput.com "
	    "and the _mta-sts TXT record, or renew the hosting with "
	    "DMARCReport.",
	    0 },
	{ "not served", { "a_test__mta_sts.easydmarc.pro" }, 0, 0, { NULL }, 1,
	    POLICY_FETCH_HTTP_STATUS, NULL, PROVIDER_STATE_NOT_SERVED,
	    "EasyDMARC", "fetch.delegated fetch.delegation_broken",
	    "which does not serve a policy for this name (HTTP 404)", NULL, 0 },
	{ "empty file", { "a-test.mta-sts.dmarcinput.com" }, 0, 0, { NULL }, 1,
	    POLICY_FETCH_OK, "", PROVIDER_STATE_EMPTY, "DMARCReport",
	    "fetch.delegated fetch.delegation_broken",
	    "serves an empty policy file for this name: the hosting was never "
	    "set up or has ended; DMARCReport keeps the certificate and serves "
	    "an empty policy when a customer leaves",
	    NULL, 0 },
	{ "mode none", { "a.test._mta-sts.mailhardener.com" }, 0, 0, { NULL },
	    1, POLICY_FETCH_OK, NONE, PROVIDER_STATE_MODE_NONE, "Mailhardener",
	    "fetch.delegated fetch.delegation_broken",
	    "which serves a policy in mode none: the hosting has ended, or "
	    "MTA-STS is being removed",
	    "delete the _mta-sts TXT record once the last max_age has passed",
	    1 },
	{ "unknown and broken", { "x.other.example.net" }, 0, 0, { NULL }, 1,
	    POLICY_FETCH_TLS_NAME, NULL, PROVIDER_STATE_NO_CERT, NULL,
	    "fetch.delegated fetch.delegation_broken",
	    "delegated to x.other.example.net (not a known provider), which "
	    "has no certificate",
	    "renew the hosting with the provider", 0 },
	{ "TXT only delegated: nothing to say here", { NULL }, 0, 0,
	    { "a.test._mta-sts.sdmarc.net" }, 1, POLICY_FETCH_OK, GOOD,
	    PROVIDER_STATE_NONE, NULL, "", NULL, NULL, 0 },
};

static size_t
chain_len(const char *const *v, size_t max)
{
	size_t n = 0;

	while (n < max && v[n] != NULL)
		n++;
	return n;
}

static void
test_judge(void **state)
{
	const struct judge_case	   *c = *state;
	struct provider_input	    in;
	struct provider_result	   *res;
	struct policy_fetch_result *fetch = NULL;
	struct policy		   *policy = NULL;
	struct finding_list	   *fl, *pfl;
	const struct finding	   *f;
	char			   *got, *want;
	long			    k;

	memset(&in, 0, sizeof(in));
	in.domain = "a.test";
	in.host_cname = c->host_chain;
	in.nhost_cname = chain_len(c->host_chain, 3);
	in.host_nxdomain = c->nxdomain;
	in.host_nodata = c->nodata;
	in.txt_cname = c->txt_chain;
	in.ntxt_cname = chain_len(c->txt_chain, 2);
	pfl = finding_list_new();
	if (c->fetch) {
		fetch = fake_fetch(c->outcome, c->body);
		if (fetch->body != NULL)
			policy = policy_parse(fetch->body, fetch->body_len,
			    fetch->url, pfl);
	}
	in.fetch = fetch;
	in.policy = policy;
	fl = finding_list_new();
	res = provider_judge(&in, fl);
	got = codes_of(fl);
	want = codes_sorted(c->codes);
	if (strcmp(got, want) != 0) {
		dump(fl);
		fail_msg("codes: got '%s', want '%s'", got, want);
	}
	assert_int_equal(res->state, c->state);
	if (c->state != PROVIDER_STATE_NONE) {
		assert_string_equal(res->host.owner, "mta-sts.a.test");
		assert_string_equal(res->host.cname, c->host_chain[0]);
		if (c->provider == NULL)
			assert_null(res->host.provider);
		else
			assert_string_equal(res->host.provider->name,
			    c->provider);
	} else
		assert_null(res->host.owner);
	if (c->msg != NULL && !has_message(fl, c->msg)) {
		dump(fl);
		fail_msg("no message with '%s'", c->msg);
	}
	k = finding_list_find(fl, FINDING_FETCH_DELEGATION_BROKEN, 0);
	if (k < 0)
		k = finding_list_find(fl, FINDING_FETCH_DELEGATION_DANGLING, 0);
	if (k >= 0) {
		f = finding_list_get(fl, (size_t)k);
		assert_int_equal(f->severity,
		    c->warning ? FINDING_WARNING : FINDING_ERROR);
		assert_non_null(f->fix);
		if (c->fix != NULL && strstr(f->fix, c->fix) == NULL)
			fail_msg("fix '%s' lacks '%s'", f->fix, c->fix);
	}
	assert_printable(fl);
	free(got);
	free(want);
	provider_result_free(res);
	finding_list_free(fl);
	finding_list_free(pfl);
	policy_free(policy);
	if (fetch != NULL)
		fake_fetch_free(fetch);
}

static void
test_state_names(void **state)
{
	(void)state;
	assert_string_equal(provider_state_name(PROVIDER_STATE_DANGLING),
	    "dangling");
	assert_string_equal(provider_state_name(PROVIDER_STATE_MODE_NONE),
	    "mode-none");
	assert_string_equal(provider_state_name((enum provider_state)99), "?");
}

int
main(void)
{
	struct CMUnitTest *t;
	size_t		   nm = sizeof(match_cases) / sizeof(match_cases[0]);
	size_t		   nj = sizeof(judge_cases) / sizeof(judge_cases[0]);
	size_t		   i, n = 0;
	int		   rc;

	t = xcalloc(nm + nj + 2, sizeof(*t));
	for (i = 0; i < nm; i++, n++) {
		t[n].name = match_cases[i].name[0] != '\0' ? match_cases[i].name
							   : "(empty name)";
		t[n].test_func = test_match;
		t[n].initial_state = (void *)(uintptr_t)&match_cases[i];
	}
	for (i = 0; i < nj; i++, n++) {
		t[n].name = judge_cases[i].desc;
		t[n].test_func = test_judge;
		t[n].initial_state = (void *)(uintptr_t)&judge_cases[i];
	}
	t[n].name = "every table row matches its own form and zone";
	t[n++].test_func = test_table;
	t[n].name = "state names";
	t[n++].test_func = test_state_names;
	rc = _cmocka_run_group_tests("provider", t, n, NULL, NULL);
	free(t);
	return rc;
}
