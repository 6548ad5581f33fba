#include "config.h"
#include "pool.h"

#include <pthread.h>
#include <stdlib.h>

#include "budget.h"
#include "xmalloc.h"

struct pool_task {
	pool_fn		   fn;
	void		  *arg;
	struct pool_group *group; /* NULL: free-standing */
	struct pool_task  *next;
};

struct pool {
	pthread_mutex_t	  lock;
	pthread_cond_t	  work; /* a task was queued, or quit */
	struct pool_task *head, *tail;
	size_t		  nqueued; /* tasks on the queue, not yet taken */
	unsigned	  max_threads;
	unsigned	  nthreads;
	unsigned	  nidle;
	unsigned	  started; /* workers ever started */
	size_t		  ran;
	int		  quit;
	/*
	 * Workers are joinable, their ids kept here, so pool_free_join() can
	 * wait for their thread-exit handlers (GnuTLS, OpenSSL per-thread
	 * state) before the process tears down those libraries.  pool_free()
	 * detaches them instead and the last to end frees the pool.
	 */
	pthread_t *tids;
	unsigned   ntids;
	int	   self_destroy;
};

/* The pool whose worker this thread is, or NULL. */
static _Thread_local struct pool *pool_current;

struct pool_group {
	struct pool	 *pool;
	pthread_cond_t	  done; /* a task of the group ended */
	unsigned	  max_parallel;
	unsigned	  queued_or_running;
	size_t		  outstanding;
	struct pool_task *held, *held_tail; /* over the cap, not queued yet */
};

struct pool *
pool_new(unsigned max_threads)
{
	struct pool *p = xcalloc(1, sizeof(*p));

	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	p->max_threads = max_threads > 0 ? max_threads : 1;
	p->tids = xcalloc(p->max_threads, sizeof(*p->tids));
	return p;
}

static void
pool_destroy(struct pool *p)
{
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	free(p->tids);
	free(p);
}

static struct pool   *pool_the_default;
static pthread_once_t pool_default_once = PTHREAD_ONCE_INIT;

static void
pool_default_init(void)
{
	pool_the_default = pool_new(BUDGET_POOL_THREADS);
}

struct pool *
pool_default(void)
{
	pthread_once(&pool_default_once, pool_default_init);
	return pool_the_default;
}

/* Ends a task's accounting; called locked. */
static void
pool_task_ended(struct pool *p, struct pool_task *t)
{
	struct pool_group *g = t->group;
	struct pool_task  *h;

	p->ran++;
	if (g == NULL)
		return;
	g->queued_or_running--;
	g->outstanding--;
	/* One slot is free under the group's cap: release a held task. */
	if ((h = g->held) != NULL) {
		g->held = h->next;
		if (g->held == NULL)
			g->held_tail = NULL;
		h->next = NULL;
		if (p->tail != NULL)
			p->tail->next = h;
		else
			p->head = h;
		p->tail = h;
		p->nqueued++;
		g->queued_or_running++;
		pthread_cond_signal(&p->work);
	}
	pthread_cond_broadcast(&g->done);
}

static void
pool_run_locked(struct pool *p, struct pool_task *t)
{
	pthread_mutex_unlock(&p->lock);
	t->fn(t->arg);
	pthread_mutex_lock(&p->lock);
	pool_task_ended(p, t);
	free(t);
}

static void *
pool_worker(void *arg)
{
	struct pool	 *p = arg;
	struct pool_task *t;
	int		  last;

	pool_current = p;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->head == NULL && !p->quit) {
			p->nidle++;
			pthread_cond_wait(&p->work, &p->lock);
			p->nidle--;
		}
		if ((t = p->head) == NULL)
			break; /* quit, and nothing left to run */
		p->head = t->next;
		if (p->head == NULL)
			p->tail = NULL;
		p->nqueued--;
		pool_run_locked(p, t);
	}
	last = --p->nthreads == 0 && p->self_destroy;
	pthread_mutex_unlock(&p->lock);
	if (last)
		pool_destroy(p);
	return NULL;
}

/* Queues t and makes sure a worker will take it; called locked. */
static void
pool_enqueue(struct pool *p, struct pool_task *t)
{
	pthread_t tid;

	/*
	 * A worker for every queued task: an idle one counts until it wakes,
	 * so a burst of tasks queued before it does must not all wait for it.
	 */
	if (!p->quit && p->nqueued >= p->nidle &&
	    p->nthreads < p->max_threads && p->ntids < p->max_threads) {
		if (pthread_create(&tid, NULL, pool_worker, p) == 0) {
			p->tids[p->ntids++] = tid;
			p->nthreads++;
			p->started++;
		}
	}
	/*
	 * No worker at all: a free-standing task runs here rather than never
	 * (a group's waiter runs its own queued tasks in any case).
	 */
	if (p->nthreads == 0 && t->group == NULL) {
		pool_run_locked(p, t);
		return;
	}
	t->next = NULL;
	if (p->tail != NULL)
		p->tail->next = t;
	else
		p->head = t;
	p->tail = t;
	p->nqueued++;
	pthread_cond_signal(&p->work);
}

void
pool_submit(struct pool *p, pool_fn fn, void *arg)
{
	struct pool_task *t = xcalloc(1, sizeof(*t));

	t->fn = fn;
	t->arg = arg;
	pthread_mutex_lock(&p->lock);
	pool_enqueue(p, t);
	pthread_mutex_unlock(&p->lock);
}

void
pool_free(struct pool *p)
{
	unsigned i;
	int	 none;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->quit = 1;
	p->self_destroy = 1;
	for (i = 0; i < p->ntids; i++)
		pthread_detach(p->tids[i]);
	p->ntids = 0;
	none = p->nthreads == 0;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	if (none)
		pool_destroy(p);
}

int
pool_is_worker(const struct pool *p)
{
	return p != NULL && pool_current == p;
}

void
pool_free_join(struct pool *p)
{
	unsigned i;

	if (p == NULL)
		return;
	if (pool_is_worker(p)) {
		pool_free(p); /* a thread cannot join itself */
		return;
	}
	pthread_mutex_lock(&p->lock);
	p->quit = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	/* No lock: no worker is started once quit is set. */
	for (i = 0; i < p->ntids; i++)
		pthread_join(p->tids[i], NULL);
	pool_destroy(p);
}

struct pool_group *
pool_group_new(struct pool *p, unsigned max_parallel)
{
	struct pool_group *g = xcalloc(1, sizeof(*g));

	g->pool = p;
	g->max_parallel = max_parallel;
	pthread_cond_init(&g->done, NULL);
	return g;
}

void
pool_group_add(struct pool_group *g, pool_fn fn, void *arg)
{
	struct pool	 *p = g->pool;
	struct pool_task *t = xcalloc(1, sizeof(*t));

	t->fn = fn;
	t->arg = arg;
	t->group = g;
	pthread_mutex_lock(&p->lock);
	g->outstanding++;
	if (g->max_parallel > 0 && g->queued_or_running >= g->max_parallel) {
		if (g->held_tail != NULL)
			g->held_tail->next = t;
		else
			g->held = t;
		g->held_tail = t;
	} else {
		g->queued_or_running++;
		pool_enqueue(p, t);
	}
	pthread_mutex_unlock(&p->lock);
}

/* Takes a queued, not yet started task of g off the pool's queue; locked. */
static struct pool_task *
pool_steal(struct pool *p, struct pool_group *g)
{
	struct pool_task *t, *prev = NULL;

	for (t = p->head; t != NULL; prev = t, t = t->next) {
		if (t->group != g)
			continue;
		if (prev != NULL)
			prev->next = t->next;
		else
			p->head = t->next;
		if (p->tail == t)
			p->tail = prev;
		p->nqueued--;
		return t;
	}
	return NULL;
}

void
pool_group_wait(struct pool_group *g)
{
	struct pool	 *p = g->pool;
	struct pool_task *t;

	pthread_mutex_lock(&p->lock);
	while (g->outstanding > 0) {
		if ((t = pool_steal(p, g)) != NULL)
			pool_run_locked(p, t);
		else
			pthread_cond_wait(&g->done, &p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	pthread_cond_destroy(&g->done);
	free(g);
}

void
pool_stats(struct pool *p, unsigned *threads, size_t *tasks_run)
{
	pthread_mutex_lock(&p->lock);
	*threads = p->started;
	*tasks_run = p->ran;
	pthread_mutex_unlock(&p->lock);
}
