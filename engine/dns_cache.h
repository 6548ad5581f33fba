/*
 * dns_cache: the DNS answers of one run (share.h), so that a name many
 * domains have in common (MX host addresses, TLSA, policy hosts) is asked
 * once while its TTL runs, and only one question per key is in flight.
 *
 * A key is (lower-case name, type, DNSSEC flag).  dns_cache_get() returns
 * a deep copy of a fresh answer with TTLs reduced by its age; when the key
 * is in flight it waits (until the caller's deadline) for the first
 * asker's answer and returns a copy of it; otherwise it claims the key and
 * returns NULL: the caller asks and MUST then call dns_cache_put() with
 * whatever it got (errors included) so waiters are released.
 * What is kept: DNS_OK for min(TTL) (at most BUDGET_DNS_CACHE_TTL_MAX_MS),
 * NODATA/NXDOMAIN for BUDGET_DNS_CACHE_NEG_MS, nothing else (a SERVFAIL,
 * timeout or error goes only to the askers already waiting).
 * Bounded: at most max entries; the least recently used entry neither in
 * flight nor waited for is dropped first.
 *
 * Thread-safe.  The clock is injectable for tests (NULL: clock_ms()).
 */
#ifndef MTASTS_DNS_CACHE_H
#define MTASTS_DNS_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct dns_answer;
struct dns_cache;

struct dns_cache *dns_cache_new(size_t max, int64_t (*now_ms)(void));
/* Callers must be done with it (no claim outstanding). */
void dns_cache_free(struct dns_cache *);
/*
 * A copy of the cached (or in-flight) answer, the caller's to free; or
 * NULL with the key claimed for the caller.  deadline_ms (absolute, 0:
 * none) bounds the wait for an asker in flight: past it, a DNS_TIMEOUT
 * answer (cut) is returned.
 */
struct dns_answer *dns_cache_get(struct dns_cache *, const char *name,
    uint16_t type, int dnssec, int64_t deadline_ms);
/* Releases the caller's claim on the key with its answer (not taken). */
void dns_cache_put(struct dns_cache *, const char *name, uint16_t type,
    int dnssec, const struct dns_answer *);
/* Questions that went to the resolver / were answered from the cache. */
void dns_cache_counts(struct dns_cache *, size_t *asked, size_t *reused);
/* Entries held now (for tests of the bound). */
size_t dns_cache_size(struct dns_cache *);

#endif
