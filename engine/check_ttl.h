/*
 * check_ttl: the shortest remaining TTL among the DNS answers a check shows
 * (the _mta-sts and _smtp._tls TXT records, the policy host's addresses,
 * the MX set and every MX host's addresses): when the soonest of them may
 * change at the resolver, so when `--watch` looks again.
 *
 * The TTLs are those the resolver gave, i.e. what was left of its cache
 * time when the check asked.  Read-only on a finished check (check.h);
 * same thread rules as the check's accessors.
 */
#ifndef MTASTS_CHECK_TTL_H
#define MTASTS_CHECK_TTL_H

#include <stdint.h>

struct check;

/* Returns 1 and sets *ttl (seconds), or 0 when no answer had a record. */
int check_ttl_min(const struct check *, uint32_t *ttl);

/*
 * --watch: when to look again.  At the shortest TTL left (plus a second,
 * so the resolver's copy is gone), but never sooner than MIN (a resolver
 * handing out TTL 0 or 1 must not make us hammer the servers) nor later
 * than MAX (a week-long TTL still gets a look each hour); without any
 * TTL (nothing resolved) after NO_TTL.  A fixed --watch=SECONDS (1 to
 * SECS_MAX) is taken as given.  doc/decisions.md, "Watch".
 */
#define CHECK_WATCH_MIN_S    30
#define CHECK_WATCH_MAX_S    3600
#define CHECK_WATCH_NO_TTL_S 300
#define CHECK_WATCH_SECS_MAX 86400

/*
 * Seconds from the end of check c to the next run: fixed when not 0, else
 * by the TTLs as above.  *ttl_out (may be NULL) gets the shortest TTL, or
 * -1 when there was none.
 */
unsigned check_watch_next(const struct check *c, unsigned fixed, long *ttl_out);

#endif
