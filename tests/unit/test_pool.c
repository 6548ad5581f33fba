/* Unit tests: the worker pool (caps, nested fan-outs, free-standing tasks). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

#include <cmocka.h>

#include "pool.h"

struct counter {
	pthread_mutex_t lock;
	int		running, peak, done;
};

static void
count_task(void *arg)
{
	struct counter *c = arg;

	pthread_mutex_lock(&c->lock);
	if (++c->running > c->peak)
		c->peak = c->running;
	pthread_mutex_unlock(&c->lock);
	usleep(2000);
	pthread_mutex_lock(&c->lock);
	c->running--;
	c->done++;
	pthread_mutex_unlock(&c->lock);
}

/* A group never runs more tasks at once than its cap. */
static void
test_group_cap(void **state)
{
	struct pool	  *p = pool_new(8);
	struct pool_group *g = pool_group_new(p, 3);
	struct counter	   c = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0 };
	int		   i;

	(void)state;
	for (i = 0; i < 40; i++)
		pool_group_add(g, count_task, &c);
	pool_group_wait(g);
	assert_int_equal(c.done, 40);
	assert_true(c.peak <= 3);
	assert_true(c.peak >= 1);
	pool_free(p);
}

struct nest {
	struct pool    *pool;
	struct counter *c;
};

/* A task that fans out on the same pool and waits for its children. */
static void
nest_task(void *arg)
{
	struct nest	  *n = arg;
	struct pool_group *g = pool_group_new(n->pool, 0);
	int		   i;

	for (i = 0; i < 5; i++)
		pool_group_add(g, count_task, n->c);
	pool_group_wait(g);
}

/* Every worker busy in a task that waits on a fan-out: still progresses. */
static void
test_nested_one_thread(void **state)
{
	struct pool	  *p = pool_new(1);
	struct pool_group *g = pool_group_new(p, 0);
	struct counter	   c = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0 };
	struct nest	   n = { p, &c };
	int		   i;

	(void)state;
	for (i = 0; i < 4; i++)
		pool_group_add(g, nest_task, &n);
	pool_group_wait(g);
	assert_int_equal(c.done, 20);
	pool_free(p);
}

static void
flag_task(void *arg)
{
	struct counter *c = arg;

	pthread_mutex_lock(&c->lock);
	c->done++;
	pthread_mutex_unlock(&c->lock);
}

/* Free-standing tasks run; the pool bounds its threads. */
static void
test_submit_bounded(void **state)
{
	struct pool   *p = pool_new(2);
	struct counter c = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0 };
	unsigned       threads;
	size_t	       ran;
	int	       i, done;

	(void)state;
	for (i = 0; i < 50; i++)
		pool_submit(p, flag_task, &c);
	for (i = 0; i < 5000; i++) {
		pthread_mutex_lock(&c.lock);
		done = c.done;
		pthread_mutex_unlock(&c.lock);
		if (done == 50)
			break;
		usleep(1000);
	}
	assert_int_equal(done, 50);
	pool_stats(p, &threads, &ran);
	assert_true(threads <= 2);
	pool_free(p);
}

struct order {
	pthread_mutex_t lock;
	int		seen[16];
	int		n, running, overlap;
};

struct order_item {
	struct order *o;
	int	      id;
};

static void
order_task(void *arg)
{
	struct order_item *it = arg;
	struct order	  *o = it->o;

	pthread_mutex_lock(&o->lock);
	if (o->running++ > 0)
		o->overlap = 1;
	o->seen[o->n++] = it->id;
	pthread_mutex_unlock(&o->lock);
	usleep(500);
	pthread_mutex_lock(&o->lock);
	o->running--;
	pthread_mutex_unlock(&o->lock);
}

/* Cap 1 (mx_tls with --serial): one at a time, in the order added. */
static void
test_group_serial_in_order(void **state)
{
	struct pool	  *p = pool_new(4);
	struct pool_group *g = pool_group_new(p, 1);
	struct order	   o;
	struct order_item  it[16];
	int		   i;

	(void)state;
	memset(&o, 0, sizeof(o));
	pthread_mutex_init(&o.lock, NULL);
	for (i = 0; i < 16; i++) {
		it[i].o = &o;
		it[i].id = i;
		pool_group_add(g, order_task, &it[i]);
	}
	pool_group_wait(g);
	assert_int_equal(o.n, 16);
	assert_int_equal(o.overlap, 0);
	for (i = 0; i < 16; i++)
		assert_int_equal(o.seen[i], i);
	pthread_mutex_destroy(&o.lock);
	pool_free(p);
}

/* A group with nothing in it (no MX host to look up) returns at once. */
static void
test_group_empty(void **state)
{
	struct pool *p = pool_new(1);

	(void)state;
	pool_group_wait(pool_group_new(p, 4));
	pool_group_wait(pool_group_new(p, 0));
	pool_free(p);
}

struct outer {
	struct pool    *pool;
	struct counter *c;
	pthread_mutex_t lock;
	int		finished;
};

/* A free-standing task (a check layer) that fans out on a capped group. */
static void
outer_task(void *arg)
{
	struct outer	  *o = arg;
	struct pool_group *g = pool_group_new(o->pool, 2);
	int		   i;

	for (i = 0; i < 6; i++)
		pool_group_add(g, count_task, o->c);
	pool_group_wait(g);
	pthread_mutex_lock(&o->lock);
	o->finished = 1;
	pthread_mutex_unlock(&o->lock);
}

/*
 * The only worker runs a free-standing task that waits on a capped group:
 * no worker is left for the group, so the waiter runs it, within the cap.
 */
static void
test_capped_group_in_submitted_task(void **state)
{
	struct pool   *p = pool_new(1);
	struct counter c = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0 };
	struct outer   o;
	int	       i, finished = 0;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.pool = p;
	o.c = &c;
	pthread_mutex_init(&o.lock, NULL);
	pool_submit(p, outer_task, &o);
	for (i = 0; i < 5000 && !finished; i++) {
		pthread_mutex_lock(&o.lock);
		finished = o.finished;
		pthread_mutex_unlock(&o.lock);
		if (!finished)
			usleep(1000);
	}
	assert_int_equal(finished, 1);
	assert_int_equal(c.done, 6);
	assert_true(c.peak >= 1 && c.peak <= 2);
	pthread_mutex_destroy(&o.lock);
	pool_free(p);
}

static void
slow_task(void *arg)
{
	struct counter *c = arg;

	pthread_mutex_lock(&c->lock);
	if (++c->running > c->peak)
		c->peak = c->running;
	pthread_mutex_unlock(&c->lock);
	usleep(30000);
	pthread_mutex_lock(&c->lock);
	c->running--;
	c->done++;
	pthread_mutex_unlock(&c->lock);
}

/*
 * One worker idle from earlier work, then a burst of a group's tasks: the
 * pool starts workers for the burst rather than leaving it to the idle one
 * and the waiter (which ran the probes of a layer two at a time).
 */
static void
test_burst_after_idle(void **state)
{
	struct pool	  *p = pool_new(8);
	struct pool_group *g;
	struct counter	   c = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0 };
	struct counter	   warm = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0 };
	int		   i;

	(void)state;
	g = pool_group_new(p, 0);
	pool_group_add(g, flag_task, &warm);
	pool_group_wait(g);
	usleep(10000); /* its worker is idle now */
	g = pool_group_new(p, 4);
	for (i = 0; i < 8; i++)
		pool_group_add(g, slow_task, &c);
	pool_group_wait(g);
	assert_int_equal(c.done, 8);
	assert_true(c.peak >= 3);
	assert_true(c.peak <= 4);
	pool_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group_cap),
		cmocka_unit_test(test_nested_one_thread),
		cmocka_unit_test(test_submit_bounded),
		cmocka_unit_test(test_group_serial_in_order),
		cmocka_unit_test(test_group_empty),
		cmocka_unit_test(test_capped_group_in_submitted_task),
		cmocka_unit_test(test_burst_after_idle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
