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

#endif
