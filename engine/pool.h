/*
 * pool: the one bounded set of worker threads that runs every blocking
 * network step (a layer's lookups, a fetch, a STARTTLS probe).
 *
 * Threads are started on demand up to the pool's size and then kept.  A
 * task is either free-standing (pool_submit: the caller never waits for it,
 * as a check abandons layers at its deadline) or one of a group
 * (pool_group_*: a fan-out the caller waits for, with its own cap on how
 * many run at once).  A caller waiting on a group runs that group's queued
 * tasks itself, so a group started from inside a task always progresses
 * even when every worker is busy: nested fan-outs cannot deadlock the pool.
 *
 * Tasks bound their own time (budget.h); the pool never cancels one.
 */
#ifndef MTASTS_POOL_H
#define MTASTS_POOL_H

#include <stddef.h>

struct pool;
struct pool_group;

typedef void (*pool_fn)(void *arg);

/* A pool of at most max_threads workers (at least 1). */
struct pool *pool_new(unsigned max_threads);
/* The process-wide pool, BUDGET_POOL_THREADS workers, made on first use. */
struct pool *pool_default(void);
/*
 * Asks idle workers to end and frees the pool once its last worker has
 * ended; tasks still queued or running are finished first.
 */
void pool_free(struct pool *);

/*
 * Waits for every worker to end (their queued and running tasks first,
 * then their thread-exit handlers), then frees the pool: for a caller
 * that will tear down library state next (the end of a scan).  From one
 * of the pool's own workers it is pool_free().
 */
void pool_free_join(struct pool *);
/* 1 when the calling thread is one of p's workers. */
int pool_is_worker(const struct pool *p);
/* Queues a free-standing task; never blocks and never fails. */
void pool_submit(struct pool *, pool_fn, void *arg);

/* A group of tasks of which at most max_parallel (0: no cap) run at once. */
struct pool_group *pool_group_new(struct pool *, unsigned max_parallel);
void		   pool_group_add(struct pool_group *, pool_fn, void *arg);
/* Returns once every task added to the group has ended; then frees it. */
void pool_group_wait(struct pool_group *);

/* Figures for benchmarks: workers started and tasks run so far. */
void pool_stats(struct pool *, unsigned *threads, size_t *tasks_run);

#endif
