/*
 * Unit tests: the run-wide share without the network (the probe cache's
 * keying, reference counts, bound and cut probes; the per-address cap;
 * one trust store per CA file; the stats).
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

#include "certinfo.h"
#include "clock.h"
#include "share.h"
#include "smtp_probe.h"
#include "xmalloc.h"

/* A result as smtp_probe() makes it: one reference. */
static struct smtp_probe_result *
result(const char *host, int cut)
{
	struct smtp_probe_result *r = xcalloc(1, sizeof(*r));

	r->host = xstrdup(host);
	r->address = xstrdup("192.0.2.25");
	r->port = 25;
	r->cut = cut;
	atomic_init(&r->refs, 1);
	return r;
}

static int
refs(struct smtp_probe_result *r)
{
	return atomic_load(&r->refs);
}

static void
test_probe_shared(void **state)
{
	struct share *s = share_new(&(struct share_options){ 2, 0, 0 });
	struct smtp_probe_result *r, *got, *got2;
	enum share_probe_got	  g;
	struct share_stats	  st;

	(void)state;
	assert_null(
	    share_probe_get(s, "MX.Example.NET.", "192.0.2.25", 25, 0, 0, &g));
	assert_int_equal(g, SHARE_PROBE_CLAIMED);
	r = result("mx.example.net", 0);
	share_probe_put(s, "MX.Example.NET.", "192.0.2.25", 25, 0, r);
	assert_int_equal(refs(r), 2); /* ours and the cache's */
	got = share_probe_get(s, "mx.example.net", "192.0.2.25", 25, 0, 0, &g);
	assert_int_equal(g, SHARE_PROBE_HIT);
	assert_ptr_equal(got, r);
	assert_int_equal(refs(r), 3);
	/* Another port, address or kind is another probe. */
	assert_null(
	    share_probe_get(s, "mx.example.net", "192.0.2.25", 587, 0, 0, &g));
	assert_int_equal(g, SHARE_PROBE_CLAIMED);
	share_probe_put(s, "mx.example.net", "192.0.2.25", 587, 0, NULL);
	assert_null(
	    share_probe_get(s, "mx.example.net", "192.0.2.25", 25, 1, 0, &g));
	assert_int_equal(g, SHARE_PROBE_CLAIMED);
	share_probe_put(s, "mx.example.net", "192.0.2.25", 25, 1, NULL);
	smtp_probe_result_free(r);
	assert_int_equal(refs(got), 2);
	got2 = share_probe_get(s, "mx.example.net", "192.0.2.25", 25, 0, 0, &g);
	assert_ptr_equal(got2, got);
	smtp_probe_result_free(got2);
	smtp_probe_result_free(got);
	assert_int_equal(refs(got), 1); /* the cache's */
	share_stats(s, &st);
	assert_int_equal(st.probes_run, 2); /* kind 0 on ports 25, 587 */
	assert_int_equal(st.probes_reused, 2);
	/* The cache's reference goes with the share (LeakSanitizer). */
	share_free(s);
}

static void
test_probe_bound(void **state)
{
	struct share *s = share_new(&(struct share_options){ 2, 0, 4 });
	struct smtp_probe_result *r, *keep;
	enum share_probe_got	  g;
	char			  host[64];
	int			  i;

	(void)state;
	assert_null(
	    share_probe_get(s, "keep.example", "192.0.2.1", 25, 0, 0, &g));
	keep = result("keep.example", 0);
	share_probe_put(s, "keep.example", "192.0.2.1", 25, 0, keep);
	for (i = 0; i < 50; i++) {
		snprintf(host, sizeof(host), "mx%d.example", i);
		assert_null(
		    share_probe_get(s, host, "192.0.2.1", 25, 0, 0, &g));
		r = result(host, 0);
		share_probe_put(s, host, "192.0.2.1", 25, 0, r);
		smtp_probe_result_free(r);
		smtp_probe_result_free(share_probe_get(s, "keep.example",
		    "192.0.2.1", 25, 0, 0, &g));
		assert_int_equal(g, SHARE_PROBE_HIT);
		assert_true(share_probe_count(s) <= 4);
	}
	/* An evicted result stays alive for whoever holds a reference. */
	assert_int_equal(refs(keep), 2);
	smtp_probe_result_free(keep);
	assert_null(
	    share_probe_get(s, "mx0.example", "192.0.2.1", 25, 0, 0, &g));
	assert_int_equal(g, SHARE_PROBE_CLAIMED);
	share_probe_put(s, "mx0.example", "192.0.2.1", 25, 0, NULL);
	share_free(s);
}

/* Probers report under this lock, so the test reads no racing value. */
static pthread_mutex_t probers_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t  probers_cond = PTHREAD_COND_INITIALIZER;
static int	       probers_done;

struct prober {
	struct share		 *s;
	int64_t			  deadline;
	enum share_probe_got	  got;
	struct smtp_probe_result *r;
};

static void *
probe_thread(void *arg)
{
	struct prober		 *p = arg;
	struct smtp_probe_result *r;
	enum share_probe_got	  got;

	r = share_probe_get(p->s, "mx.example", "192.0.2.9", 25, 0, p->deadline,
	    &got);
	pthread_mutex_lock(&probers_lock);
	p->r = r;
	p->got = got;
	probers_done++;
	pthread_cond_broadcast(&probers_cond);
	pthread_mutex_unlock(&probers_lock);
	return NULL;
}

/* Waiters share the first probe; a cut probe is handed to nobody. */
static void
test_probe_in_flight(void **state)
{
	struct share *s = share_new(&(struct share_options){ 2, 0, 0 });
	struct prober p[3];
	pthread_t     t[3];
	struct smtp_probe_result *r;
	enum share_probe_got	  g;
	int			  i;

	(void)state;
	probers_done = 0;
	assert_null(
	    share_probe_get(s, "mx.example", "192.0.2.9", 25, 0, 0, &g));
	for (i = 0; i < 3; i++) {
		p[i].s = s;
		p[i].got = SHARE_PROBE_TIMEOUT;
		p[i].r = NULL;
		p[i].deadline = i == 2 ? clock_ms() + 100 : 0;
		pthread_create(&t[i], NULL, probe_thread, &p[i]);
	}
	pthread_join(t[2], NULL);
	assert_int_equal(p[2].got, SHARE_PROBE_TIMEOUT);
	assert_null(p[2].r);
	usleep(50000);
	/* Cut: the first waiter to wake claims it, the other waits again. */
	r = result("mx.example", 1);
	share_probe_put(s, "mx.example", "192.0.2.9", 25, 0, r);
	assert_int_equal(refs(r), 1);
	smtp_probe_result_free(r);
	/* One of the two woken waiters claims the key and returns. */
	pthread_mutex_lock(&probers_lock);
	while (probers_done < 2)
		pthread_cond_wait(&probers_cond, &probers_lock);
	i = p[0].got == SHARE_PROBE_CLAIMED ? 0 : 1;
	pthread_mutex_unlock(&probers_lock);
	pthread_join(t[i], NULL);
	assert_int_equal(p[i].got, SHARE_PROBE_CLAIMED);
	r = result("mx.example", 0);
	share_probe_put(s, "mx.example", "192.0.2.9", 25, 0, r);
	pthread_join(t[1 - i], NULL);
	assert_int_equal(p[1 - i].got, SHARE_PROBE_HIT);
	assert_ptr_equal(p[1 - i].r, r);
	smtp_probe_result_free(p[1 - i].r);
	smtp_probe_result_free(r);
	share_free(s);
}

static void
test_dest_cap(void **state)
{
	struct share	  *s = share_new(&(struct share_options){ 2, 1, 0 });
	struct share	  *none = share_new(NULL);
	struct share_stats st;

	(void)state;
	assert_int_equal(share_dest_acquire(s, "192.0.2.1", 0), 0);
	assert_int_equal(share_dest_acquire(s, "192.0.2.2", 0), 0);
	/* The second connection to an address waits, here in vain. */
	assert_int_equal(share_dest_acquire(s, "192.0.2.1", clock_ms() + 50),
	    -1);
	share_dest_release(s, "192.0.2.1");
	assert_int_equal(share_dest_acquire(s, "192.0.2.1", clock_ms() + 50),
	    0);
	assert_int_equal(share_dest_count(s), 2);
	share_dest_release(s, "192.0.2.1");
	share_dest_release(s, "192.0.2.2");
	/* Nothing open: no record kept (flat memory over a scan). */
	assert_int_equal(share_dest_count(s), 0);
	share_stats(s, &st);
	assert_int_equal(st.dest_waits, 1);
	/* No cap: never waits. */
	assert_int_equal(share_dest_acquire(none, "192.0.2.1", 0), 0);
	assert_int_equal(share_dest_acquire(none, "192.0.2.1", 0), 0);
	assert_int_equal(share_dest_acquire(NULL, "192.0.2.1", 0), 0);
	share_free(none);
	share_free(s);
}

static void
test_one_trust_store(void **state)
{
	struct share	      *s = share_new(NULL);
	struct certinfo_trust *a, *b;
	char		      *cause = NULL;

	(void)state;
	a = share_trust(s, NULL, &cause);
	if (a == NULL) {
		free(cause);
		share_free(s);
		skip(); /* no system trust store here */
	}
	b = share_trust(s, NULL, &cause);
	assert_ptr_equal(a, b);
	certinfo_trust_free(a);
	certinfo_trust_free(b);
	/* A file that cannot be loaded is not kept: its cause each time. */
	assert_null(share_trust(s, "/nonexistent/ca.pem", &cause));
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_null(share_trust(s, "/nonexistent/ca.pem", &cause));
	assert_non_null(cause);
	free(cause);
	/* The share's reference outlives the checks' ones. */
	share_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_shared),
		cmocka_unit_test(test_probe_bound),
		cmocka_unit_test(test_probe_in_flight),
		cmocka_unit_test(test_dest_cap),
		cmocka_unit_test(test_one_trust_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
