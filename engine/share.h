/*
 * share: what the checks of one run have in common, so that a scan of
 * thousands of domains does each piece of network work once and stays
 * polite to the hosts many domains share (about 38% of mail domains are on
 * two providers' MX hosts: ../shared/doc/field-data.md).
 *
 * A share holds, for every check made with it (check_options.share):
 *  - the worker pool the checks' layer work and fan-outs run on, sized for
 *    the run rather than for one check;
 *  - a DNS answer cache: an answer is reused while its TTL runs, and one
 *    question is in flight at a time (a second asker waits for the first);
 *  - a probe cache: each (MX host name, address, port) gets one STARTTLS
 *    probe set per run (each handshake kind once), whichever domain lists
 *    it first; results are shared by reference count;
 *  - a cap on connections at once per destination address (policy hosts
 *    and MX addresses alike);
 *  - one trust store, loaded once.
 *
 * Thread-safe.  Reference-counted: share_new() returns one reference; each
 * check takes one for as long as its work may run (abandoned work
 * included), so share_free() may be called as soon as the caller is done
 * with its checks.  Without a share (NULL) a check behaves as it always
 * has: the process-wide pool, no cache, no per-address cap.  The last
 * share_free() lets the pool's workers end on their own (pool_free): a
 * process should not call check_global_cleanup() right after it.
 * Design and bounds: doc/architecture.md, "Shared work".
 */
#ifndef MTASTS_SHARE_H
#define MTASTS_SHARE_H
#include <stddef.h>
#include <stdint.h>

struct certinfo_trust;
struct dns_cache;
struct pool;
struct smtp_probe_result;

struct share_options {
	unsigned threads;	/* worker threads; 0: BUDGET_POOL_THREADS */
	unsigned per_dest;	/* connections at once per address; 0: no cap */
	size_t	 probe_entries; /* probe results kept; 0:
				   BUDGET_PROBE_CACHE_ENTRIES */
};

struct share_stats {
	size_t dns_asked;  /* questions asked of the resolver */
	size_t dns_reused; /* answered from the cache or an asker in flight */
	size_t probes_run; /* judged STARTTLS probes made */
	size_t probes_reused; /* judged probes taken from the cache */
	size_t dest_waits; /* connections that waited for the per-address cap */
};

struct share *share_new(const struct share_options *);
/* Takes another reference (a check does, for its work). */
struct share *share_ref(struct share *);
/* Drops one reference; the last frees everything.  NULL is a no-op. */
void share_free(struct share *);
/* The run's worker pool (owned by the share). */
struct pool *share_pool(struct share *);
void	     share_stats(struct share *, struct share_stats *);

/* The run's DNS answers (dns_cache.h), for dns_options.cache. */
struct dns_cache *share_dns_cache(struct share *);
/*
 * The trust store of ca_file (NULL: the system store), loaded once per
 * share; a reference the caller drops with certinfo_trust_free().  NULL
 * with *cause set when it cannot be loaded (not kept: tried again).
 */
struct certinfo_trust *share_trust(struct share *, const char *ca_file,
    char **cause);
/*
 * A connection slot to addr under share_options.per_dest: 0 once taken,
 * -1 when deadline_ms (absolute clock_ms(), 0: none) passed first.  A
 * NULL share or per_dest 0 always gives one at once.  Every 0 must be
 * matched by share_dest_release() when the connection is closed.
 */
int  share_dest_acquire(struct share *, const char *addr, int64_t deadline_ms);
void share_dest_release(struct share *, const char *addr);
/* Addresses with a connection open or waited for now (for tests). */
size_t share_dest_count(struct share *);
/*
 * The probe cache: one STARTTLS probe per (host, address, port, kind) per
 * run.  share_probe_get() returns a reference to the result (HIT), or
 * NULL with the key claimed (CLAIMED: the caller probes and MUST call
 * share_probe_put(), with NULL if it gave up), or NULL when deadline_ms
 * passed while another check's probe was in flight (TIMEOUT).  A cut
 * result is handed to nobody: waiters claim the key in turn.  Kind 0
 * (the judged probe) is what probes_run/probes_reused count.
 */
enum share_probe_got {
	SHARE_PROBE_CLAIMED,
	SHARE_PROBE_HIT,
	SHARE_PROBE_TIMEOUT
};
struct smtp_probe_result *share_probe_get(struct share *, const char *host,
    const char *addr, unsigned port, int kind, int64_t deadline_ms,
    enum share_probe_got *);
/* Takes its own reference to r (the caller keeps its own). */
void share_probe_put(struct share *, const char *host, const char *addr,
    unsigned port, int kind, struct smtp_probe_result *r);
/* Probe results held now (for tests of the bound). */
size_t share_probe_count(struct share *);
#endif
