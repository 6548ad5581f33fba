/*
 * dns_cache: a bounded LRU of DNS answers with one question in flight per
 * key (dns_cache.h).
 */
#include "config.h"
#include "dns_cache.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "budget.h"
#include "clock.h"
#include "dns.h"
#include "xmalloc.h"

struct dc_entry {
	char		  *key;
	uint64_t	   hash;
	struct dns_answer *a;	    /* NULL while in flight */
	int64_t		   stored;  /* cache clock, ms */
	int64_t		   expires; /* cache clock, ms */
	int		   inflight;
	int		   detached; /* out of the table: freed by the last
					waiter */
	unsigned	   waiters;
	pthread_cond_t	   cv; /* its answer came in: only its waiters */
	struct dc_entry	  *hnext;
	struct dc_entry	  *prev, *next; /* LRU: head is the most recent */
};

struct dns_cache {
	pthread_mutex_t lock;
	int64_t (*now)(void);
	size_t		  max, n, nbucket;
	struct dc_entry **bucket;
	struct dc_entry	 *head, *tail;
	size_t		  asked, reused;
};

static uint64_t
dc_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The name lower-cased and without a trailing dot, then type and flag. */
static char *
dc_key(const char *name, uint16_t type, int dnssec)
{
	size_t len = strlen(name), i;
	char  *k;

	if (len > 0 && name[len - 1] == '.')
		len--;
	k = xasprintf("%.*s/%u/%d", (int)len, name, (unsigned)type,
	    dnssec != 0);
	for (i = 0; i < len; i++)
		k[i] = (char)tolower((unsigned char)k[i]);
	return k;
}

/* Waits are bounded on clock_ms()'s clock (monotonic). */
static void
dc_cond_init(pthread_cond_t *cv)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(cv, &ca);
	pthread_condattr_destroy(&ca);
}

struct dns_cache *
dns_cache_new(size_t max, int64_t (*now_ms)(void))
{
	struct dns_cache *c = xcalloc(1, sizeof(*c));

	pthread_mutex_init(&c->lock, NULL);
	c->now = now_ms != NULL ? now_ms : clock_ms;
	c->max = max > 0 ? max : 1;
	c->nbucket = 64;
	while (c->nbucket < c->max && c->nbucket < ((size_t)1 << 20))
		c->nbucket <<= 1;
	c->bucket = xcalloc(c->nbucket, sizeof(*c->bucket));
	return c;
}

static void
dc_entry_free(struct dc_entry *e)
{
	dns_answer_free(e->a);
	pthread_cond_destroy(&e->cv);
	free(e->key);
	free(e);
}

static void
dc_lru_unlink(struct dns_cache *c, struct dc_entry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void
dc_lru_front(struct dns_cache *c, struct dc_entry *e)
{
	e->next = c->head;
	e->prev = NULL;
	if (c->head != NULL)
		c->head->prev = e;
	c->head = e;
	if (c->tail == NULL)
		c->tail = e;
}

/* Out of the table and the LRU; freed now unless someone waits on it. */
static void
dc_detach(struct dns_cache *c, struct dc_entry *e)
{
	struct dc_entry **pp = &c->bucket[e->hash & (c->nbucket - 1)];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	dc_lru_unlink(c, e);
	c->n--;
	e->detached = 1;
	if (e->waiters == 0 && !e->inflight)
		dc_entry_free(e);
}

static struct dc_entry *
dc_find(struct dns_cache *c, const char *key, uint64_t h)
{
	struct dc_entry *e;

	for (e = c->bucket[h & (c->nbucket - 1)]; e != NULL; e = e->hnext)
		if (e->hash == h && strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

/* Drops least recently used entries nobody waits for, down to max. */
static void
dc_evict(struct dns_cache *c)
{
	struct dc_entry *e = c->tail, *prev;

	while (c->n > c->max && e != NULL) {
		prev = e->prev;
		if (!e->inflight && e->waiters == 0)
			dc_detach(c, e);
		e = prev;
	}
}

/* A copy with every TTL reduced by the answer's age. */
static struct dns_answer *
dc_copy(const struct dc_entry *e, int64_t now)
{
	struct dns_answer *a = dns_answer_copy(e->a);
	int64_t		   age = (now - e->stored) / 1000;
	size_t		   i;

	if (age < 0)
		age = 0;
	for (i = 0; i < a->nrr; i++)
		a->rr[i].ttl =
		    a->rr[i].ttl > age ? a->rr[i].ttl - (uint32_t)age : 0;
	a->elapsed_ms = 0;
	return a;
}

static struct dns_answer *
dc_timeout(const char *name, uint16_t type)
{
	struct dns_answer *a = xcalloc(1, sizeof(*a));

	a->qname = xstrdup(name);
	a->qtype = type;
	a->status = DNS_TIMEOUT;
	a->cut = 1;
	a->error = xstrdup("no answer within the layer's deadline (the same "
			   "question was in flight for another check)");
	return a;
}

struct dns_answer *
dns_cache_get(struct dns_cache *c, const char *name, uint16_t type, int dnssec,
    int64_t deadline_ms)
{
	char		  *key = dc_key(name, type, dnssec);
	uint64_t	   h = dc_hash(key);
	struct dc_entry	  *e;
	struct dns_answer *a = NULL;
	struct timespec	   ts;
	int64_t		   now;

	pthread_mutex_lock(&c->lock);
again:
	now = c->now();
	e = dc_find(c, key, h);
	if (e != NULL && !e->inflight && e->expires <= now) {
		dc_detach(c, e);
		e = NULL;
	}
	if (e == NULL) {
		/* Claim it: the caller asks and puts the answer. */
		e = xcalloc(1, sizeof(*e));
		dc_cond_init(&e->cv);
		e->key = key;
		e->hash = h;
		e->inflight = 1;
		e->hnext = c->bucket[h & (c->nbucket - 1)];
		c->bucket[h & (c->nbucket - 1)] = e;
		dc_lru_front(c, e);
		c->n++;
		c->asked++;
		dc_evict(c);
		pthread_mutex_unlock(&c->lock);
		return NULL;
	}
	if (e->inflight) {
		e->waiters++;
		while (e->inflight) {
			if (deadline_ms == 0) {
				pthread_cond_wait(&e->cv, &c->lock);
				continue;
			}
			if (clock_ms() >= deadline_ms)
				break;
			ts.tv_sec = deadline_ms / 1000;
			ts.tv_nsec = (long)(deadline_ms % 1000) * 1000000;
			pthread_cond_timedwait(&e->cv, &c->lock, &ts);
		}
		e->waiters--;
		if (e->inflight) {
			/* Our own deadline: the first asker goes on. */
			a = dc_timeout(name, type);
		} else if (e->a == NULL) {
			/* The first asker was cut: ask again ourselves. */
			if (e->detached && e->waiters == 0)
				dc_entry_free(e);
			goto again;
		} else {
			a = dc_copy(e, c->now());
			c->reused++;
		}
		if (e->detached && e->waiters == 0 && !e->inflight)
			dc_entry_free(e);
		pthread_mutex_unlock(&c->lock);
		free(key);
		return a;
	}
	dc_lru_unlink(c, e);
	dc_lru_front(c, e);
	a = dc_copy(e, now);
	c->reused++;
	pthread_mutex_unlock(&c->lock);
	free(key);
	return a;
}

/* How long an answer is kept, in ms; 0: not at all. */
static int64_t
dc_keep_ms(const struct dns_answer *a)
{
	uint32_t min = UINT32_MAX;
	size_t	 i;

	switch (a->status) {
	case DNS_OK:
		for (i = 0; i < a->nrr; i++)
			if (a->rr[i].ttl < min)
				min = a->rr[i].ttl;
		if (a->nrr == 0)
			return 0;
		if ((int64_t)min * 1000 > BUDGET_DNS_CACHE_TTL_MAX_MS)
			return BUDGET_DNS_CACHE_TTL_MAX_MS;
		return (int64_t)min * 1000;
	case DNS_NODATA:
	case DNS_NXDOMAIN:
		return BUDGET_DNS_CACHE_NEG_MS;
	default:
		return 0;
	}
}

void
dns_cache_put(struct dns_cache *c, const char *name, uint16_t type, int dnssec,
    const struct dns_answer *a)
{
	char		*key = dc_key(name, type, dnssec);
	uint64_t	 h = dc_hash(key);
	struct dc_entry *e;
	int64_t		 keep = dc_keep_ms(a);

	pthread_mutex_lock(&c->lock);
	e = dc_find(c, key, h);
	free(key);
	if (e == NULL || !e->inflight) {
		/* Not claimed (cannot happen with a matching get). */
		pthread_mutex_unlock(&c->lock);
		return;
	}
	e->inflight = 0;
	/* Before e may be freed below; its waiters run once we unlock. */
	pthread_cond_broadcast(&e->cv);
	/*
	 * An answer cut by the asker's own deadline is nobody else's: the
	 * waiters ask again.  Other failures go to the waiters, not further.
	 */
	if (!a->cut)
		e->a = dns_answer_copy(a);
	e->stored = c->now();
	e->expires = e->stored + keep;
	if (keep == 0 || e->a == NULL)
		dc_detach(c, e);
	else
		dc_evict(c);
	pthread_mutex_unlock(&c->lock);
}

void
dns_cache_counts(struct dns_cache *c, size_t *asked, size_t *reused)
{
	pthread_mutex_lock(&c->lock);
	*asked = c->asked;
	*reused = c->reused;
	pthread_mutex_unlock(&c->lock);
}

size_t
dns_cache_size(struct dns_cache *c)
{
	size_t n;

	pthread_mutex_lock(&c->lock);
	n = c->n;
	pthread_mutex_unlock(&c->lock);
	return n;
}

void
dns_cache_free(struct dns_cache *c)
{
	struct dc_entry *e, *next;

	if (c == NULL)
		return;
	for (e = c->head; e != NULL; e = next) {
		next = e->next;
		dc_entry_free(e);
	}
	free(c->bucket);
	pthread_mutex_destroy(&c->lock);
	free(c);
}
