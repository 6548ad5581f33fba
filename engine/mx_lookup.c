#include "config.h"
#include "mx_lookup.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "budget.h"
#include "domain.h"
#include "finding.h"
#include "history.h"
#include "mx_diagnose.h"
#include "mx_match.h"
#include "pool.h"
#include "xmalloc.h"

/* One DNS question about one MX host; the answer is kept for the merge. */
struct mx_question {
	const struct dns_options *opts;
	const char		 *name;
	uint16_t		  type;
	struct dns_answer	 *answer;
};

static void mx_ask(void *);
static int  mx_host_cmp(const void *, const void *);

static int
mx_host_cmp(const void *a, const void *b)
{
	const struct mx_host *x = a, *y = b;

	if (x->pref != y->pref)
		return x->pref < y->pref ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void
mx_ask(void *arg)
{
	struct mx_question *q = arg;

	q->answer = dns_query(q->opts, q->name, q->type);
}

/*
 * Every question about every host at once on the shared pool: the A and
 * AAAA (as the family asks) and, for a published exchange, the CNAME that
 * MX-7 notes.  They do not depend on one another, so the MX layer costs the
 * MX query and one round trip, not one per question (doc/benchmark.md).
 * At most BUDGET_MX_LOOKUP_WORKERS questions run at once; each ends by the
 * layer's deadline (opts->deadline_ms), so the wait is bounded too.  The
 * answers are merged afterwards in the order dns_resolve_addrs() uses (A,
 * then AAAA), so the result is the same as asking one after another.
 */
static void
mx_resolve_all(const struct dns_options *opts, struct mx_set *set, int family)
{
	static const struct {
		uint16_t type;
		int	 skip_family; /* not asked under this family */
		int	 published;   /* asked of a published exchange only */
	} ask[] = {
		{ DNS_TYPE_A, 6, 0 },
		{ DNS_TYPE_AAAA, 4, 0 },
		{ DNS_TYPE_CNAME, -1, 1 },
	};
#define MX_NASK (sizeof(ask) / sizeof(ask[0]))
	struct mx_question *qs, *q;
	struct mx_host	   *h;
	struct pool_group  *g;
	size_t		    i, k;

	qs = xcalloc(set->nhost * MX_NASK + 1, sizeof(*qs));
	g = pool_group_new(opts->pool != NULL ? opts->pool : pool_default(),
	    BUDGET_MX_LOOKUP_WORKERS);
	for (i = 0; i < set->nhost; i++) {
		h = &set->host[i];
		if (h->ip_literal)
			continue;
		for (k = 0; k < MX_NASK; k++) {
			if (ask[k].skip_family == family ||
			    (ask[k].published && h->implicit))
				continue;
			q = &qs[i * MX_NASK + k];
			q->opts = opts;
			q->name = h->name;
			q->type = ask[k].type;
			pool_group_add(g, mx_ask, q);
		}
	}
	pool_group_wait(g);

	for (i = 0; i < set->nhost; i++) {
		h = &set->host[i];
		if (h->ip_literal)
			continue;
		dns_addrs_init(&h->addrs);
		for (k = 0; k < MX_NASK; k++) {
			q = &qs[i * MX_NASK + k];
			if (q->answer == NULL)
				continue;
			if (q->type == DNS_TYPE_CNAME) {
				if (q->answer->status == DNS_OK &&
				    q->answer->nrr > 0 &&
				    q->answer->rr[0].name != NULL)
					h->cname =
					    xstrdup(q->answer->rr[0].name);
			} else
				dns_addrs_take(&h->addrs, q->type, q->answer);
			dns_answer_free(q->answer);
		}
	}
	free(qs);
#undef MX_NASK
}

struct mx_set *
mx_lookup(const struct dns_options *opts, const char *domain, int family,
    struct finding_list *fl)
{
	struct mx_set	  *set;
	struct dns_answer *a;
	struct mx_host	  *h;
	struct timespec	   t0, t1;
	size_t		   i, nnull = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	set = xcalloc(1, sizeof(*set));
	a = dns_query(opts, domain, DNS_TYPE_MX);
	set->status = a->status;
	switch (a->status) {
	case DNS_OK:
		break;
	case DNS_NODATA:
		set->implicit = 1;
		break;
	case DNS_NXDOMAIN:
		finding_add(fl, FINDING_MX_NXDOMAIN, domain, 0,
		    "%s does not exist (NXDOMAIN): mail to it bounces", domain);
		goto done;
	default:
		finding_add(fl, FINDING_MX_DNS_ERROR, domain, 0,
		    "MX lookup for %s failed: %s", domain,
		    a->error != NULL ? a->error : dns_status_name(a->status));
		goto done;
	}

	for (i = 0; i < a->nrr; i++) {
		if (!set->has_ttl || a->rr[i].ttl < set->ttl)
			set->ttl = a->rr[i].ttl;
		set->has_ttl = 1;
		if (a->rr[i].name != NULL && a->rr[i].name[0] == '\0')
			nnull++;
	}
	if (nnull > 0) {
		set->null_mx = 1;
		if (nnull < a->nrr)
			finding_add(fl, FINDING_MX_NULL_MIXED, domain, 0,
			    "%s publishes a null MX and %zu other MX "
			    "record(s)",
			    domain, a->nrr - nnull);
		else
			finding_add(fl, FINDING_MX_NULL, domain, 0,
			    "%s publishes a null MX: it accepts no mail%s",
			    domain,
			    a->rr[0].pref != 0
				? " (but its preference is not 0, so it is not a "
				  "conforming null MX)"
				: "");
	}
	if (set->implicit) {
		set->host = xcalloc(1, sizeof(*set->host));
		set->nhost = 1;
		set->host[0].name = xstrdup(domain);
		set->host[0].implicit = 1;
		finding_add(fl, FINDING_MX_IMPLICIT, domain, 0,
		    "%s has no MX records: senders deliver to %s itself, so "
		    "the policy needs \"mx: %s\"",
		    domain, domain, domain);
	} else {
		for (i = 0; i < a->nrr; i++) {
			if (a->rr[i].name == NULL || a->rr[i].name[0] == '\0')
				continue;
			if (set->nhost == BUDGET_MX_MAX_HOSTS) {
				set->ntruncated++;
				continue;
			}
			set->host = xreallocarray(set->host, set->nhost + 1,
			    sizeof(*set->host));
			h = &set->host[set->nhost++];
			memset(h, 0, sizeof(*h));
			h->name = xstrdup(a->rr[i].name);
			h->pref = a->rr[i].pref;
		}
		if (set->nhost > 1)
			qsort(set->host, set->nhost, sizeof(*set->host),
			    mx_host_cmp);
	}
	for (i = 0; i < set->nhost; i++) {
		set->host[i].pattern = -2;
		set->host[i].ip_literal =
		    domain_addr_family(set->host[i].name) != 0;
	}
	mx_resolve_all(opts, set, family);

	for (i = 0; i < set->nhost; i++) {
		h = &set->host[i];
		if (h->ip_literal) {
			finding_add(fl, FINDING_MX_IP_LITERAL, h->name, 0,
			    "MX exchange %s is an IP address, not a host name",
			    h->name);
			continue;
		}
		if (h->cname != NULL)
			finding_add(fl, FINDING_MX_CNAME_TARGET, h->name, 0,
			    "MX exchange %s is a CNAME to %s; the policy and "
			    "the certificate must still name %s",
			    h->name, h->cname, h->name);
		if (h->addrs.n == 0)
			finding_add(fl, FINDING_MX_UNRESOLVABLE, h->name, 0,
			    "MX host %s has no %s address (%s)", h->name,
			    family == 4	      ? "IPv4"
				: family == 6 ? "IPv6"
					      : "A or AAAA",
			    h->addrs.error != NULL
				? h->addrs.error
				: dns_status_name(h->addrs.status4 != DNS_NODATA
					  ? h->addrs.status4
					  : h->addrs.status6));
	}
	if (set->ntruncated > 0)
		finding_add(fl, FINDING_MX_DNS_ERROR, domain, 0,
		    "%s has more than %d MX hosts; %zu were not examined",
		    domain, BUDGET_MX_MAX_HOSTS, set->ntruncated)
		    ->severity = FINDING_WARNING;
done:
	dns_answer_free(a);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	set->elapsed_ms = (unsigned)((t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000);
	return set;
}

void
mx_lookup_cover(struct mx_set *set, const char *const *patterns,
    size_t npatterns, int enforce, const char *domain, struct finding_list *fl)
{
	struct mx_diagnosis d;
	struct finding	   *f;
	const char	  **hosts;
	long		   *first;
	int		   *used, *covered;
	size_t		    i, j;
	char		   *why, *text, *fix;

	if (set->null_mx && set->nhost == 0)
		return;
	hosts = mx_set_names(set);
	first = xcalloc(set->nhost + 1, sizeof(*first));
	covered = xcalloc(set->nhost + 1, sizeof(*covered));
	used = xcalloc(npatterns + 1, sizeof(*used));
	mx_match_coverage(hosts, set->nhost, patterns, npatterns, first, used);
	for (i = 0; i < set->nhost; i++)
		covered[i] = first[i] >= 0;
	for (i = 0; i < set->nhost; i++) {
		set->host[i].pattern = first[i];
		free(set->host[i].why);
		set->host[i].why = NULL;
		if (first[i] >= 0) {
			mx_match_explain(patterns[first[i]], hosts[i],
			    &set->host[i].why);
			continue;
		}
		mx_diagnose_host(&d, hosts[i], patterns, used, npatterns,
		    domain);
		set->host[i].why_class = (int)d.cls;
		text = mx_diagnose_text(&d);
		set->host[i].why = d.cls != MX_DIAGNOSE_COMPLETE
		    ? xstrdup(text)
		    : xasprintf("no mx pattern covers %s", hosts[i]);
		/* The closest miss explains the most: a wildcard one off. */
		for (j = 0; j < npatterns &&
		     (d.cls == MX_DIAGNOSE_WILDCARD_DEPTH ||
			 d.cls == MX_DIAGNOSE_COMPLETE);
		     j++) {
			why = NULL;
			mx_match_explain(patterns[j], hosts[i], &why);
			if (why != NULL && patterns[j][0] == '*') {
				free(set->host[i].why);
				set->host[i].why = why;
				break;
			}
			free(why);
		}
		f = finding_add(fl, FINDING_MX_UNCOVERED, hosts[i], 0,
		    "MX %s (preference %u) matches no mx pattern: %s; %s",
		    hosts[i], set->host[i].pref,
		    enforce ? "enforce senders will not deliver to it"
			    : "under enforce, senders would not deliver to it",
		    text);
		f->severity = enforce ? FINDING_ERROR : FINDING_WARNING;
		fix = mx_diagnose_fix_host(&d, hosts[i],
		    set->host[i].ip_literal, set->host[i].implicit, domain);
		finding_set_fix(f, "%s", fix);
		free(fix);
		free(text);
	}
	for (j = 0; j < npatterns; j++) {
		if (used[j])
			continue;
		mx_diagnose_pattern(&d, patterns[j], hosts, covered, set->nhost,
		    domain, NULL, 0);
		text = mx_diagnose_text(&d);
		fix = mx_diagnose_fix_pattern(&d, domain);
		f = finding_add(fl, FINDING_MX_PATTERN_UNUSED, patterns[j], 0,
		    "mx pattern %s matches none of the MX hosts: %s",
		    patterns[j], text);
		finding_set_fix(f, "%s", fix);
		free(fix);
		free(text);
	}
	free(used);
	free(covered);
	free(first);
	free(hosts);
}

void
mx_lookup_stale(const struct mx_set *set, const struct history_result *h,
    const char *domain, struct finding_list *fl)
{
	struct mx_diagnose_seen *seen;
	struct mx_diagnosis	 d;
	struct finding		*f;
	const char	       **hosts;
	int			*covered;
	size_t			 i, n;
	char			*text, *fix;

	if (h == NULL || h->nprev_mx == 0 || set == NULL || set->nhost == 0 ||
	    (set->status != DNS_OK && !set->implicit))
		return;
	seen = xcalloc(h->nprev_mx, sizeof(*seen));
	for (i = 0; i < h->nprev_mx; i++) {
		seen[i].name = h->prev_mx[i].name;
		seen[i].last_seen = h->prev_mx[i].last_seen;
	}
	hosts = mx_set_names(set);
	covered = xcalloc(set->nhost + 1, sizeof(*covered));
	for (i = 0; i < set->nhost; i++)
		covered[i] = set->host[i].pattern >= 0;
	n = finding_list_count(fl);
	for (i = 0; i < n; i++) {
		f = finding_list_at(fl, i);
		if (f->code != FINDING_MX_PATTERN_UNUSED || f->subject == NULL)
			continue;
		mx_diagnose_pattern(&d, f->subject, hosts, covered, set->nhost,
		    domain, seen, h->nprev_mx);
		if (d.cls != MX_DIAGNOSE_STALE)
			continue;
		text = mx_diagnose_text(&d);
		fix = mx_diagnose_fix_pattern(&d, domain);
		finding_set_message(f,
		    "mx pattern %s matches none of the MX hosts: %s",
		    f->subject, text);
		finding_set_fix(f, "%s", fix);
		free(fix);
		free(text);
	}
	free(covered);
	free(hosts);
	free(seen);
}

const char **
mx_set_names(const struct mx_set *set)
{
	const char **names;
	size_t	     i;

	names = xcalloc(set->nhost + 1, sizeof(*names));
	for (i = 0; i < set->nhost; i++)
		names[i] = set->host[i].name;
	return names;
}

struct mx_set *
mx_set_clone(const struct mx_set *set)
{
	struct mx_set  *c;
	struct mx_host *h;
	size_t		i, j;

	c = xcalloc(1, sizeof(*c));
	*c = *set;
	c->host = xcalloc(set->nhost + 1, sizeof(*c->host));
	for (i = 0; i < set->nhost; i++) {
		h = &c->host[i];
		*h = set->host[i];
		h->name = xstrdup(set->host[i].name);
		h->cname = set->host[i].cname != NULL
		    ? xstrdup(set->host[i].cname)
		    : NULL;
		h->why =
		    set->host[i].why != NULL ? xstrdup(set->host[i].why) : NULL;
		h->addrs.error = set->host[i].addrs.error != NULL
		    ? xstrdup(set->host[i].addrs.error)
		    : NULL;
		h->addrs.addr =
		    xcalloc(set->host[i].addrs.n + 1, sizeof(*h->addrs.addr));
		for (j = 0; j < set->host[i].addrs.n; j++)
			h->addrs.addr[j] = xstrdup(set->host[i].addrs.addr[j]);
		h->addrs.cname = xcalloc(set->host[i].addrs.ncname + 1,
		    sizeof(*h->addrs.cname));
		for (j = 0; j < set->host[i].addrs.ncname; j++)
			h->addrs.cname[j] =
			    xstrdup(set->host[i].addrs.cname[j]);
	}
	return c;
}

void
mx_set_free(struct mx_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->nhost; i++) {
		free(set->host[i].name);
		free(set->host[i].cname);
		free(set->host[i].why);
		dns_addrs_free(&set->host[i].addrs);
	}
	free(set->host);
	free(set);
}
