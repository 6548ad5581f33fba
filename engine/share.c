/*
 * share: the run-wide pool (share.h).  The DNS cache, probe cache,
 * per-address cap and trust store hang off the same object.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "pool.h"
#include "share.h"
#include "xmalloc.h"

struct share {
	pthread_mutex_t	     lock;
	int		     refs;
	struct share_options opts;
	struct pool	    *pool;
	struct share_stats   stats;
};

struct share *
share_new(const struct share_options *opts)
{
	struct share *s = xcalloc(1, sizeof(*s));

	pthread_mutex_init(&s->lock, NULL);
	s->refs = 1;
	if (opts != NULL)
		s->opts = *opts;
	s->pool = pool_new(
	    s->opts.threads != 0 ? s->opts.threads : BUDGET_POOL_THREADS);
	return s;
}

struct share *
share_ref(struct share *s)
{
	pthread_mutex_lock(&s->lock);
	s->refs++;
	pthread_mutex_unlock(&s->lock);
	return s;
}

void
share_free(struct share *s)
{
	int last;

	if (s == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	last = --s->refs == 0;
	pthread_mutex_unlock(&s->lock);
	if (!last)
		return;
	pool_free(s->pool);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

struct pool *
share_pool(struct share *s)
{
	return s->pool;
}

void
share_stats(struct share *s, struct share_stats *out)
{
	pthread_mutex_lock(&s->lock);
	*out = s->stats;
	pthread_mutex_unlock(&s->lock);
}
