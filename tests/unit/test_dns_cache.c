/*
 * Unit tests: the DNS answer cache of a run (keying, TTL ageing with an
 * injected clock, negative answers, failures, the LRU bound, one question
 * in flight).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

#include <cmocka.h>

#include "budget.h"
#include "clock.h"
#include "dns.h"
#include "dns_cache.h"
#include "xmalloc.h"

static int64_t fake_now;

static int64_t
fake_clock(void)
{
	return fake_now;
}

/* An answer of status st with one A record of the given TTL. */
static struct dns_answer *
answer(const char *name, enum dns_status st, uint32_t ttl)
{
	struct dns_answer *a = xcalloc(1, sizeof(*a));

	a->qname = xstrdup(name);
	a->qtype = DNS_TYPE_A;
	a->status = st;
	if (st == DNS_OK) {
		a->rr = xcalloc(1, sizeof(*a->rr));
		a->rr[0].type = DNS_TYPE_A;
		a->rr[0].ttl = ttl;
		a->rr[0].name = xstrdup("192.0.2.1");
		a->nrr = 1;
		a->cname = xcalloc(1, sizeof(*a->cname));
		a->cname[0] = xstrdup("target.example");
		a->ncname = 1;
	}
	if (st != DNS_OK && st != DNS_NODATA && st != DNS_NXDOMAIN)
		a->error = xstrdup("it failed");
	return a;
}

/* Claims name, then puts an answer for it. */
static void
fill(struct dns_cache *c, const char *name, enum dns_status st, uint32_t ttl)
{
	struct dns_answer *a;

	assert_null(dns_cache_get(c, name, DNS_TYPE_A, 1, 0));
	a = answer(name, st, ttl);
	dns_cache_put(c, name, DNS_TYPE_A, 1, a);
	dns_answer_free(a);
}

static void
test_key_case(void **state)
{
	struct dns_cache  *c = dns_cache_new(16, fake_clock);
	struct dns_answer *a;
	size_t		   asked, reused;

	(void)state;
	fake_now = 1000;
	fill(c, "MX1.Example.NET", DNS_OK, 300);
	a = dns_cache_get(c, "mx1.example.net.", DNS_TYPE_A, 1, 0);
	assert_non_null(a);
	assert_int_equal(a->status, DNS_OK);
	assert_int_equal(a->nrr, 1);
	assert_string_equal(a->rr[0].name, "192.0.2.1");
	assert_int_equal(a->ncname, 1);
	assert_string_equal(a->cname[0], "target.example");
	dns_answer_free(a);
	/* Another type or DNSSEC flag is another key: claimed. */
	assert_null(dns_cache_get(c, "mx1.example.net", DNS_TYPE_AAAA, 1, 0));
	dns_cache_put(c, "mx1.example.net", DNS_TYPE_AAAA, 1,
	    (a = answer("x", DNS_NODATA, 0)));
	dns_answer_free(a);
	assert_null(dns_cache_get(c, "mx1.example.net", DNS_TYPE_A, 0, 0));
	dns_cache_put(c, "mx1.example.net", DNS_TYPE_A, 0,
	    (a = answer("x", DNS_SERVFAIL, 0)));
	dns_answer_free(a);
	dns_cache_counts(c, &asked, &reused);
	assert_int_equal(asked, 3);
	assert_int_equal(reused, 1);
	dns_cache_free(c);
}

static void
test_ttl_ages(void **state)
{
	struct dns_cache  *c = dns_cache_new(16, fake_clock);
	struct dns_answer *a;

	(void)state;
	fake_now = 50000;
	fill(c, "a.example", DNS_OK, 10);
	fake_now += 4000;
	a = dns_cache_get(c, "a.example", DNS_TYPE_A, 1, 0);
	assert_non_null(a);
	assert_int_equal(a->rr[0].ttl, 6);
	dns_answer_free(a);
	fake_now += 5999;
	a = dns_cache_get(c, "a.example", DNS_TYPE_A, 1, 0);
	assert_non_null(a);
	assert_int_equal(a->rr[0].ttl, 1);
	dns_answer_free(a);
	/* Its TTL has run: asked again. */
	fake_now += 1;
	assert_null(dns_cache_get(c, "a.example", DNS_TYPE_A, 1, 0));
	dns_cache_put(c, "a.example", DNS_TYPE_A, 1,
	    (a = answer("a.example", DNS_OK, 0)));
	dns_answer_free(a);
	/* A zero TTL is not kept. */
	assert_null(dns_cache_get(c, "a.example", DNS_TYPE_A, 1, 0));
	dns_cache_put(c, "a.example", DNS_TYPE_A, 1,
	    (a = answer("a.example", DNS_OK, 5)));
	dns_answer_free(a);
	dns_cache_free(c);
}

static void
test_negative_and_failures(void **state)
{
	struct dns_cache  *c = dns_cache_new(16, fake_clock);
	struct dns_answer *a;

	(void)state;
	fake_now = 0;
	fill(c, "nx.example", DNS_NXDOMAIN, 0);
	fill(c, "servfail.example", DNS_SERVFAIL, 0);
	fill(c, "timeout.example", DNS_TIMEOUT, 0);
	fake_now = BUDGET_DNS_CACHE_NEG_MS - 1;
	a = dns_cache_get(c, "nx.example", DNS_TYPE_A, 1, 0);
	assert_non_null(a);
	assert_int_equal(a->status, DNS_NXDOMAIN);
	dns_answer_free(a);
	/* Failures are never kept: asked again at once. */
	fill(c, "servfail.example", DNS_OK, 60);
	fill(c, "timeout.example", DNS_OK, 60);
	fake_now = BUDGET_DNS_CACHE_NEG_MS;
	fill(c, "nx.example", DNS_OK, 60);
	/* A very long TTL is capped. */
	fake_now = 0;
	fill(c, "long.example", DNS_OK, 4000000000U);
	fake_now = BUDGET_DNS_CACHE_TTL_MAX_MS;
	fill(c, "long.example", DNS_OK, 60);
	dns_cache_free(c);
}

static void
test_lru_bound(void **state)
{
	struct dns_cache  *c = dns_cache_new(4, fake_clock);
	struct dns_answer *a;
	char		   name[32];
	int		   i;

	(void)state;
	fake_now = 0;
	fill(c, "keep.example", DNS_OK, 3600);
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "d%d.example", i);
		fill(c, name, DNS_OK, 3600);
		/* The one used all along stays. */
		a = dns_cache_get(c, "keep.example", DNS_TYPE_A, 1, 0);
		assert_non_null(a);
		dns_answer_free(a);
		assert_true(dns_cache_size(c) <= 4);
	}
	assert_int_equal(dns_cache_size(c), 4);
	/* The oldest others were dropped; the newest is there. */
	assert_null(dns_cache_get(c, "d0.example", DNS_TYPE_A, 1, 0));
	dns_cache_put(c, "d0.example", DNS_TYPE_A, 1,
	    (a = answer("d0.example", DNS_NODATA, 0)));
	dns_answer_free(a);
	a = dns_cache_get(c, "d99.example", DNS_TYPE_A, 1, 0);
	assert_non_null(a);
	dns_answer_free(a);
	dns_cache_free(c);
}

struct asker {
	struct dns_cache  *c;
	int64_t		   deadline;
	struct dns_answer *got; /* NULL: it claimed the key */
};

static void *
ask_thread(void *arg)
{
	struct asker *k = arg;

	k->got =
	    dns_cache_get(k->c, "busy.example", DNS_TYPE_A, 1, k->deadline);
	return NULL;
}

/* A second asker waits for the first and gets a copy of its answer. */
static void
test_in_flight(void **state)
{
	struct dns_cache  *c = dns_cache_new(16, NULL);
	struct asker	   k[3];
	pthread_t	   t[3];
	struct dns_answer *a;
	size_t		   asked, reused;
	int		   i;

	(void)state;
	assert_null(dns_cache_get(c, "busy.example", DNS_TYPE_A, 1, 0));
	for (i = 0; i < 3; i++) {
		k[i].c = c;
		k[i].deadline = i == 2 ? clock_ms() + 100 : 0;
		pthread_create(&t[i], NULL, ask_thread, &k[i]);
	}
	/* The one with a short deadline gives up on its own. */
	pthread_join(t[2], NULL);
	assert_non_null(k[2].got);
	assert_int_equal(k[2].got->status, DNS_TIMEOUT);
	assert_true(k[2].got->cut);
	usleep(50000);
	a = answer("busy.example", DNS_SERVFAIL, 0);
	dns_cache_put(c, "busy.example", DNS_TYPE_A, 1, a);
	dns_answer_free(a);
	for (i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		/* Waiters get even a failure; it is not kept for later. */
		assert_non_null(k[i].got);
		assert_int_equal(k[i].got->status, DNS_SERVFAIL);
		assert_string_equal(k[i].got->error, "it failed");
	}
	for (i = 0; i < 3; i++)
		dns_answer_free(k[i].got);
	dns_cache_counts(c, &asked, &reused);
	assert_int_equal(asked, 1);
	assert_int_equal(reused, 2);
	assert_null(dns_cache_get(c, "busy.example", DNS_TYPE_A, 1, 0));
	a = answer("busy.example", DNS_OK, 30);
	dns_cache_put(c, "busy.example", DNS_TYPE_A, 1, a);
	dns_answer_free(a);
	dns_cache_free(c);
}

/* An answer cut by its asker's deadline is not handed on: a waiter asks. */
static void
test_cut_not_shared(void **state)
{
	struct dns_cache  *c = dns_cache_new(16, NULL);
	struct asker	   k = { c, 0, NULL };
	pthread_t	   t;
	struct dns_answer *a;

	(void)state;
	assert_null(dns_cache_get(c, "busy.example", DNS_TYPE_A, 1, 0));
	pthread_create(&t, NULL, ask_thread, &k);
	usleep(50000);
	a = answer("busy.example", DNS_TIMEOUT, 0);
	a->cut = 1;
	dns_cache_put(c, "busy.example", DNS_TYPE_A, 1, a);
	dns_answer_free(a);
	pthread_join(t, NULL);
	assert_null(k.got); /* it claimed the key in turn */
	a = answer("busy.example", DNS_OK, 30);
	dns_cache_put(c, "busy.example", DNS_TYPE_A, 1, a);
	dns_answer_free(a);
	a = dns_cache_get(c, "busy.example", DNS_TYPE_A, 1, 0);
	assert_non_null(a);
	assert_int_equal(a->status, DNS_OK);
	dns_answer_free(a);
	dns_cache_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_case),
		cmocka_unit_test(test_ttl_ages),
		cmocka_unit_test(test_negative_and_failures),
		cmocka_unit_test(test_lru_bound),
		cmocka_unit_test(test_in_flight),
		cmocka_unit_test(test_cut_not_shared),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
