/*
 * scan: checks the domains of a list, at most `concurrency` at once, all
 * on one share (share.h) so they do common network work once.
 *
 * The runner is in the engine because two front ends drive it: `mtasts-tui
 * scan` blocks in scan_run(); a screen polls scan_fd() in its own loop and
 * calls scan_process() whenever it is readable and at least every
 * SCAN_TICK_MS (the checks' deadlines are judged there), as it does for one
 * check (check.h).
 *
 * Which domains: those of this shard (scan_shard_of() == options.shard,
 * or all of them when nshards is 0), minus the ones scan_skip() names (a
 * resumed run), in list order.
 *
 * Each finished check goes to the done callback (write it out there; the
 * runner frees it when the callback returns), then the progress callback
 * runs.  scan_stop() starts no more checks and abandons those in flight
 * (check_free: their threads end on their own timeouts); what was handed to
 * the done callback is all the caller gets.
 *
 * Threads: the share's pool has clamp(2 * concurrency, SCAN_THREADS_MIN,
 * SCAN_THREADS_MAX) workers: a check spends most of its time waiting on the
 * network, about two blocking steps at once (DNS and a fetch or a probe),
 * and past a few hundred threads their stacks cost more than they bring.
 *
 * Not thread-safe: one thread drives a scan.  Linux (the one fd is an
 * epoll set of the checks' fds).
 */
#ifndef MTASTS_SCAN_H
#define MTASTS_SCAN_H

#include <stddef.h>
#include <stdint.h>

#define SCAN_CONCURRENCY     64	  /* default */
#define SCAN_CONCURRENCY_MAX 1024 /* ceiling */
#define SCAN_PER_DEST	     16	  /* default connections per address */
#define SCAN_THREADS_MIN     16
#define SCAN_THREADS_MAX     512
#define SCAN_TICK_MS	     200 /* scan_process() at least this often */

struct check;
struct check_options;
struct domain_list;
struct scan;
struct share_stats;

struct scan_options {
	/* Template for every check; its share member is ignored. */
	const struct check_options *check;
	unsigned concurrency; /* 0: SCAN_CONCURRENCY; capped at the max */
	unsigned shard;	      /* K of N, 1-based */
	unsigned nshards;     /* N; 0: no sharding */
	unsigned per_dest;    /* 0: SCAN_PER_DEST */
};

struct scan_progress {
	size_t	 total;	    /* domains this run checks */
	size_t	 done;	    /* handed to the done callback */
	size_t	 errors;    /* of those, exit status 2 or 3 */
	size_t	 in_flight; /* started, not done */
	size_t	 skipped;   /* of this shard, skipped by scan_skip() */
	size_t	 other_shards;
	uint64_t elapsed_ms; /* since scan_start() */
};

/* unicode is the entry's U-label form or NULL (domain_list.h). */
typedef void (*scan_done_cb)(struct check *, const char *unicode, void *arg);
typedef void (*scan_progress_cb)(const struct scan_progress *, void *arg);

/* The list must outlive the scan. */
struct scan *scan_new(const struct domain_list *, const struct scan_options *,
    scan_done_cb, scan_progress_cb, void *arg);
/* Abandons what is in flight and frees everything. */
void scan_free(struct scan *);
/* Before scan_start(): do not check this A-label.  1 if it was to be. */
int scan_skip(struct scan *, const char *ascii);
/* Returns 0, or -1 with *cause set (caller frees). */
int scan_start(struct scan *, char **cause);
/*
 * Readable when some check in flight has something to do; -1 before
 * scan_start().
 */
int scan_fd(const struct scan *);
/* Returns 1 once every domain is done or the scan was stopped. */
int  scan_process(struct scan *);
void scan_stop(struct scan *);
/*
 * scan_start(), then processes until done or until interrupt_fd (-1:
 * none) is readable, which stops the scan.  Returns 0 when every domain
 * was done, 1 when interrupted, -1 with *cause set (caller frees).
 */
int  scan_run(struct scan *, int interrupt_fd, char **cause);
void scan_progress(const struct scan *, struct scan_progress *);
void scan_share_stats(const struct scan *, struct share_stats *);
/* Checks at once (the option, capped). */
unsigned scan_concurrency(const struct scan *);
/* The worker threads the run's share was made with. */
unsigned scan_threads(const struct scan *);

/* FNV-1a 64 of the bytes of s. */
uint64_t scan_fnv1a64(const char *s);
/* The shard (1..n) an A-label belongs to; n >= 1. */
unsigned scan_shard_of(const char *ascii, unsigned n);

#endif
