#include "config.h"
#include "check_ttl.h"

#include <stddef.h>

#include "check.h"
#include "dns.h"
#include "mx_lookup.h"

/* Folds one TTL into the minimum. */
static void
ttl_fold(int *have, uint32_t *min, uint32_t ttl)
{
	if (!*have || ttl < *min)
		*min = ttl;
	*have = 1;
}

static void
ttl_answer(const struct dns_answer *a, int *have, uint32_t *min)
{
	size_t i;

	if (a == NULL || a->status != DNS_OK)
		return;
	for (i = 0; i < a->nrr; i++)
		ttl_fold(have, min, a->rr[i].ttl);
}

static void
ttl_addrs(const struct dns_addrs *da, int *have, uint32_t *min)
{
	if (da != NULL && da->has_ttl)
		ttl_fold(have, min, da->ttl);
}

int
check_ttl_min(const struct check *c, uint32_t *ttl)
{
	const struct mx_set *mx = check_mx(c);
	uint32_t	     min = 0;
	int		     have = 0;
	size_t		     i;

	ttl_answer(check_sts_answer(c), &have, &min);
	ttl_answer(check_tlsrpt_answer(c), &have, &min);
	ttl_addrs(check_policy_host_addrs(c), &have, &min);
	if (mx != NULL) {
		if (mx->has_ttl)
			ttl_fold(&have, &min, mx->ttl);
		for (i = 0; i < mx->nhost; i++)
			ttl_addrs(&mx->host[i].addrs, &have, &min);
	}
	*ttl = min;
	return have;
}

unsigned
check_watch_next(const struct check *c, unsigned fixed, long *ttl_out)
{
	uint32_t ttl;
	unsigned spent, next;

	if (!check_ttl_min(c, &ttl)) {
		if (ttl_out != NULL)
			*ttl_out = -1;
		return fixed != 0 ? fixed : CHECK_WATCH_NO_TTL_S;
	}
	if (ttl_out != NULL)
		*ttl_out = (long)ttl;
	if (fixed != 0)
		return fixed;
	/* The TTLs were read during the check: what is left of them now. */
	spent = check_elapsed_ms(c) / 1000;
	next = ttl > spent ? ttl - spent + 1 : 1;
	if (next < CHECK_WATCH_MIN_S)
		next = CHECK_WATCH_MIN_S;
	if (next > CHECK_WATCH_MAX_S)
		next = CHECK_WATCH_MAX_S;
	return next;
}
