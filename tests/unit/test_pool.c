/* Unit tests: the worker pool (caps, nested fan-outs, free-standing tasks). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group_cap),
		cmocka_unit_test(test_nested_one_thread),
		cmocka_unit_test(test_submit_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
