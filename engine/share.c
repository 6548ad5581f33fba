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
#include "smtp_probe.h"
#include "xmalloc.h"

/* One loaded trust store per CA file (NULL: the system store). */
struct share_trust {
	char		      *ca_file;
	struct certinfo_trust *trust;
	struct share_trust    *next;
};

/* One probe of one (host, address, port, kind) for the run. */
struct share_probe {
	char			 *key;
	uint64_t		  hash;
	struct smtp_probe_result *r; /* one reference; NULL in flight */
	int			  inflight;
	int			  detached; /* out of the table */
	unsigned		  waiters;
	pthread_cond_t		  cv; /* its probe ended: only its waiters */
	struct share_probe	 *hnext, *prev, *next;
};

#define SHARE_PROBE_BUCKETS 4096

/* Connections open now to one address, and those waiting for one. */
struct share_dest {
	char		  *addr;
	unsigned	   open, waiting;
	pthread_cond_t	   cv; /* a connection to it ended */
	struct share_dest *next;
};

struct share {
	pthread_mutex_t	     lock;
	int		     refs;
	struct share_options opts;
	struct pool	    *pool;
	struct share_stats   stats;
	struct dns_cache    *dns;
	struct share_trust  *trust;
	struct share_dest   *dest;
	struct share_probe **pbucket;	    /* the probe cache */
	struct share_probe  *phead, *ptail; /* LRU: head most recent */
	size_t		     nprobe, maxprobe;
};

/* Waits are bounded on clock_ms()'s clock (monotonic). */
static void
share_cond_init(pthread_cond_t *cv)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(cv, &ca);
	pthread_condattr_destroy(&ca);
}

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
	s->dns = dns_cache_new(BUDGET_DNS_CACHE_ENTRIES, NULL);
	s->pbucket = xcalloc(SHARE_PROBE_BUCKETS, sizeof(*s->pbucket));
	s->maxprobe = s->opts.probe_entries != 0 ? s->opts.probe_entries
						 : BUDGET_PROBE_CACHE_ENTRIES;
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
	struct share_probe *p, *pn;
	int		    last;

	if (s == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	last = --s->refs == 0;
	pthread_mutex_unlock(&s->lock);
	if (!last)
		return;
	/*
	 * Joined when possible: the caller may tear down GnuTLS and libcurl
	 * next, which must not race the workers' thread-exit handlers.
	 */
	pool_free_join(s->pool);
	for (p = s->phead; p != NULL; p = pn) {
		pn = p->next;
		smtp_probe_result_free(p->r);
		free(p->key);
		free(p);
	}
	free(s->pbucket);
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
		/* Provider chains recur over a run: verify each once. */
		certinfo_trust_cache(trust, BUDGET_VERIFY_CACHE_ENTRIES);
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

static struct share_dest *
share_dest_find(struct share *s, const char *addr, struct share_dest ***pp)
{
	struct share_dest **p;

	for (p = &s->dest; *p != NULL; p = &(*p)->next)
		if (strcasecmp((*p)->addr, addr) == 0)
			break;
	if (pp != NULL)
		*pp = p;
	return *p;
}

/*
 * A record lives while a connection is open or waited for: the list holds
 * at most the run's connections at once, however many domains it checks.
 */
static void
share_dest_drop(struct share_dest **pp)
{
	struct share_dest *d = *pp;

	if (d->open > 0 || d->waiting > 0)
		return;
	*pp = d->next;
	pthread_cond_destroy(&d->cv);
	free(d->addr);
	free(d);
}

int
share_dest_acquire(struct share *s, const char *addr, int64_t deadline_ms)
{
	struct share_dest *d, **pp;
	struct timespec	   ts;
	int		   rc = 0;

	if (s == NULL || s->opts.per_dest == 0)
		return 0;
	pthread_mutex_lock(&s->lock);
	if ((d = share_dest_find(s, addr, NULL)) == NULL) {
		d = xcalloc(1, sizeof(*d));
		share_cond_init(&d->cv);
		d->addr = xstrdup(addr);
		d->next = s->dest;
		s->dest = d;
	}
	if (d->open >= s->opts.per_dest)
		s->stats.dest_waits++;
	d->waiting++;
	while (d->open >= s->opts.per_dest) {
		if (deadline_ms == 0) {
			pthread_cond_wait(&d->cv, &s->lock);
			continue;
		}
		if (clock_ms() >= deadline_ms) {
			rc = -1;
			break;
		}
		ts.tv_sec = deadline_ms / 1000;
		ts.tv_nsec = (long)(deadline_ms % 1000) * 1000000;
		pthread_cond_timedwait(&d->cv, &s->lock, &ts);
	}
	d->waiting--;
	if (rc == 0)
		d->open++;
	else {
		(void)share_dest_find(s, addr, &pp);
		share_dest_drop(pp);
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

void
share_dest_release(struct share *s, const char *addr)
{
	struct share_dest *d, **pp;

	if (s == NULL || s->opts.per_dest == 0)
		return;
	pthread_mutex_lock(&s->lock);
	if ((d = share_dest_find(s, addr, &pp)) != NULL) {
		if (d->open > 0)
			d->open--;
		/* Per address: a release wakes only that address's waiters. */
		if (d->waiting > 0)
			pthread_cond_broadcast(&d->cv);
		share_dest_drop(pp);
	}
	pthread_mutex_unlock(&s->lock);
}

size_t
share_dest_count(struct share *s)
{
	struct share_dest *d;
	size_t		   n = 0;

	pthread_mutex_lock(&s->lock);
	for (d = s->dest; d != NULL; d = d->next)
		n++;
	pthread_mutex_unlock(&s->lock);
	return n;
}

static uint64_t
share_hash(const char *k)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *k != '\0'; k++) {
		h ^= (unsigned char)*k;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Host lower-cased without its root dot, address, port, kind. */
static char *
share_probe_key(const char *host, const char *addr, unsigned port, int kind)
{
	size_t len = strlen(host), i;
	char  *k;

	if (len > 0 && host[len - 1] == '.')
		len--;
	k = xasprintf("%.*s %s %u %d", (int)len, host, addr, port, kind);
	for (i = 0; k[i] != '\0'; i++)
		k[i] = (char)tolower((unsigned char)k[i]);
	return k;
}

static void
share_probe_unlink(struct share *s, struct share_probe *p)
{
	if (p->prev != NULL)
		p->prev->next = p->next;
	else
		s->phead = p->next;
	if (p->next != NULL)
		p->next->prev = p->prev;
	else
		s->ptail = p->prev;
	p->prev = p->next = NULL;
}

static void
share_probe_front(struct share *s, struct share_probe *p)
{
	p->prev = NULL;
	p->next = s->phead;
	if (s->phead != NULL)
		s->phead->prev = p;
	s->phead = p;
	if (s->ptail == NULL)
		s->ptail = p;
}

static void
share_probe_entry_free(struct share_probe *p)
{
	smtp_probe_result_free(p->r);
	pthread_cond_destroy(&p->cv);
	free(p->key);
	free(p);
}

/* Out of the table; freed now unless someone still waits on it. */
static void
share_probe_detach(struct share *s, struct share_probe *p)
{
	struct share_probe **pp = &s->pbucket[p->hash % SHARE_PROBE_BUCKETS];

	while (*pp != p)
		pp = &(*pp)->hnext;
	*pp = p->hnext;
	share_probe_unlink(s, p);
	s->nprobe--;
	p->detached = 1;
	if (p->waiters == 0 && !p->inflight)
		share_probe_entry_free(p);
}

static void
share_probe_evict(struct share *s)
{
	struct share_probe *p = s->ptail, *prev;

	while (s->nprobe > s->maxprobe && p != NULL) {
		prev = p->prev;
		if (!p->inflight && p->waiters == 0)
			share_probe_detach(s, p);
		p = prev;
	}
}

struct smtp_probe_result *
share_probe_get(struct share *s, const char *host, const char *addr,
    unsigned port, int kind, int64_t deadline_ms, enum share_probe_got *got)
{
	char			 *key = share_probe_key(host, addr, port, kind);
	uint64_t		  h = share_hash(key);
	struct share_probe	 *p;
	struct smtp_probe_result *r = NULL;
	struct timespec		  ts;

	pthread_mutex_lock(&s->lock);
again:
	for (p = s->pbucket[h % SHARE_PROBE_BUCKETS]; p != NULL; p = p->hnext)
		if (p->hash == h && strcmp(p->key, key) == 0)
			break;
	if (p == NULL) {
		p = xcalloc(1, sizeof(*p));
		share_cond_init(&p->cv);
		p->key = key;
		p->hash = h;
		p->inflight = 1;
		p->hnext = s->pbucket[h % SHARE_PROBE_BUCKETS];
		s->pbucket[h % SHARE_PROBE_BUCKETS] = p;
		share_probe_front(s, p);
		s->nprobe++;
		if (kind == 0)
			s->stats.probes_run++;
		share_probe_evict(s);
		pthread_mutex_unlock(&s->lock);
		*got = SHARE_PROBE_CLAIMED;
		return NULL;
	}
	if (p->inflight) {
		p->waiters++;
		while (p->inflight) {
			if (deadline_ms == 0) {
				pthread_cond_wait(&p->cv, &s->lock);
				continue;
			}
			if (clock_ms() >= deadline_ms)
				break;
			ts.tv_sec = deadline_ms / 1000;
			ts.tv_nsec = (long)(deadline_ms % 1000) * 1000000;
			pthread_cond_timedwait(&p->cv, &s->lock, &ts);
		}
		p->waiters--;
		if (!p->inflight && p->r == NULL) {
			/* The first prober was cut: probe ourselves. */
			if (p->detached && p->waiters == 0)
				share_probe_entry_free(p);
			goto again;
		}
	}
	if (p->inflight) {
		*got = SHARE_PROBE_TIMEOUT;
	} else {
		r = smtp_probe_result_ref(p->r);
		*got = SHARE_PROBE_HIT;
		if (kind == 0)
			s->stats.probes_reused++;
		if (!p->detached) {
			share_probe_unlink(s, p);
			share_probe_front(s, p);
		} else if (p->waiters == 0)
			share_probe_entry_free(p);
	}
	pthread_mutex_unlock(&s->lock);
	free(key);
	return r;
}

void
share_probe_put(struct share *s, const char *host, const char *addr,
    unsigned port, int kind, struct smtp_probe_result *r)
{
	char		   *key = share_probe_key(host, addr, port, kind);
	uint64_t	    h = share_hash(key);
	struct share_probe *p;

	pthread_mutex_lock(&s->lock);
	for (p = s->pbucket[h % SHARE_PROBE_BUCKETS]; p != NULL; p = p->hnext)
		if (p->hash == h && strcmp(p->key, key) == 0)
			break;
	free(key);
	if (p == NULL || !p->inflight) {
		pthread_mutex_unlock(&s->lock);
		return;
	}
	p->inflight = 0;
	/* Before p may be freed below; its waiters run once we unlock. */
	pthread_cond_broadcast(&p->cv);
	/* A probe cut by its check's deadline says nothing: not kept. */
	if (r != NULL && !r->cut)
		p->r = smtp_probe_result_ref(r);
	if (p->r == NULL)
		share_probe_detach(s, p);
	else
		share_probe_evict(s);
	pthread_mutex_unlock(&s->lock);
}

size_t
share_probe_count(struct share *s)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->nprobe;
	pthread_mutex_unlock(&s->lock);
	return n;
}

void
share_stats(struct share *s, struct share_stats *out)
{
	pthread_mutex_lock(&s->lock);
	*out = s->stats;
	pthread_mutex_unlock(&s->lock);
	dns_cache_counts(s->dns, &out->dns_asked, &out->dns_reused);
}
