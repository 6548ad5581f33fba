/*
 * share: the run-wide pool, DNS cache, trust stores and per-address caps
 * (share.h).  The probe cache lives in mx_tls.c's terms, so it is kept
 * here only as an opaque table the share frees.
 */
#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "budget.h"
#include "certinfo.h"
#include "clock.h"
#include "dns_cache.h"
#include "pool.h"
#include "share.h"
#include "xmalloc.h"

/* One loaded trust store per CA file (NULL: the system store). */
struct share_trust {
	char		      *ca_file;
	struct certinfo_trust *trust;
	struct share_trust    *next;
};

/* Connections open now to one address. */
struct share_dest {
	char		  *addr;
	unsigned	   open;
	struct share_dest *next;
};

struct share {
	pthread_mutex_t	     lock;
	pthread_cond_t	     slot; /* a destination's connection ended */
	int		     refs;
	struct share_options opts;
	struct pool	    *pool;
	struct share_stats   stats;
	struct dns_cache    *dns;
	struct share_trust  *trust;
	struct share_dest   *dest;
	void		    *probes;
	void (*probes_free)(void *);
};

struct share *
share_new(const struct share_options *opts)
{
	struct share	  *s = xcalloc(1, sizeof(*s));
	pthread_condattr_t ca;

	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->slot, &ca);
	pthread_condattr_destroy(&ca);
	s->refs = 1;
	if (opts != NULL)
		s->opts = *opts;
	s->pool = pool_new(
	    s->opts.threads != 0 ? s->opts.threads : BUDGET_POOL_THREADS);
	s->dns = dns_cache_new(BUDGET_DNS_CACHE_ENTRIES, NULL);
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
	struct share_trust *t, *tn;
	struct share_dest  *d, *dn;
	int		    last;

	if (s == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	last = --s->refs == 0;
	pthread_mutex_unlock(&s->lock);
	if (!last)
		return;
	pool_free(s->pool);
	if (s->probes_free != NULL)
		s->probes_free(s->probes);
	dns_cache_free(s->dns);
	for (t = s->trust; t != NULL; t = tn) {
		tn = t->next;
		certinfo_trust_free(t->trust);
		free(t->ca_file);
		free(t);
	}
	for (d = s->dest; d != NULL; d = dn) {
		dn = d->next;
		free(d->addr);
		free(d);
	}
	pthread_cond_destroy(&s->slot);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

struct pool *
share_pool(struct share *s)
{
	return s->pool;
}

struct dns_cache *
share_dns_cache(struct share *s)
{
	return s->dns;
}

static int
share_same_file(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

struct certinfo_trust *
share_trust(struct share *s, const char *ca_file, char **cause)
{
	struct share_trust    *t;
	struct certinfo_trust *trust;

	/*
	 * Loaded under the lock: the first check waits for the load, the
	 * others then share it (a failed load is not kept: each check
	 * reports its own cause).
	 */
	pthread_mutex_lock(&s->lock);
	for (t = s->trust; t != NULL; t = t->next)
		if (share_same_file(t->ca_file, ca_file))
			break;
	if (t != NULL) {
		trust = certinfo_trust_ref(t->trust);
		pthread_mutex_unlock(&s->lock);
		return trust;
	}
	if ((trust = certinfo_trust_new(ca_file, cause)) != NULL) {
		t = xcalloc(1, sizeof(*t));
		t->ca_file = ca_file != NULL ? xstrdup(ca_file) : NULL;
		t->trust = trust;
		t->next = s->trust;
		s->trust = t;
		trust = certinfo_trust_ref(trust);
	}
	pthread_mutex_unlock(&s->lock);
	return trust;
}

int
share_dest_acquire(struct share *s, const char *addr, int64_t deadline_ms)
{
	struct share_dest *d;
	struct timespec	   ts;
	int		   waited = 0;

	if (s == NULL || s->opts.per_dest == 0)
		return 0;
	pthread_mutex_lock(&s->lock);
	for (d = s->dest; d != NULL; d = d->next)
		if (strcasecmp(d->addr, addr) == 0)
			break;
	if (d == NULL) {
		/* Kept for the run: one small record per address. */
		d = xcalloc(1, sizeof(*d));
		d->addr = xstrdup(addr);
		d->next = s->dest;
		s->dest = d;
	}
	while (d->open >= s->opts.per_dest) {
		if (!waited) {
			s->stats.dest_waits++;
			waited = 1;
		}
		if (deadline_ms == 0) {
			pthread_cond_wait(&s->slot, &s->lock);
			continue;
		}
		if (clock_ms() >= deadline_ms) {
			pthread_mutex_unlock(&s->lock);
			return -1;
		}
		ts.tv_sec = deadline_ms / 1000;
		ts.tv_nsec = (long)(deadline_ms % 1000) * 1000000;
		pthread_cond_timedwait(&s->slot, &s->lock, &ts);
	}
	d->open++;
	pthread_mutex_unlock(&s->lock);
	return 0;
}

void
share_dest_release(struct share *s, const char *addr)
{
	struct share_dest *d;

	if (s == NULL || s->opts.per_dest == 0)
		return;
	pthread_mutex_lock(&s->lock);
	for (d = s->dest; d != NULL; d = d->next)
		if (strcasecmp(d->addr, addr) == 0)
			break;
	if (d != NULL && d->open > 0)
		d->open--;
	pthread_cond_broadcast(&s->slot);
	pthread_mutex_unlock(&s->lock);
}

void *
share_probes(struct share *s, void *(*make)(void), void (*destroy)(void *))
{
	void *p;

	pthread_mutex_lock(&s->lock);
	if (s->probes == NULL && make != NULL) {
		s->probes = make();
		s->probes_free = destroy;
	}
	p = s->probes;
	pthread_mutex_unlock(&s->lock);
	return p;
}

void
share_count_probe(struct share *s, int reused)
{
	pthread_mutex_lock(&s->lock);
	if (reused)
		s->stats.probes_reused++;
	else
		s->stats.probes_run++;
	pthread_mutex_unlock(&s->lock);
}

void
share_stats(struct share *s, struct share_stats *out)
{
	pthread_mutex_lock(&s->lock);
	*out = s->stats;
	pthread_mutex_unlock(&s->lock);
	dns_cache_counts(s->dns, &out->dns_asked, &out->dns_reused);
}
