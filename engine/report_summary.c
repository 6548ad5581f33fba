#include "config.h"
#include "report_summary.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "report_imap.h"
#include "report_input.h"
#include "strbuf.h"
#include "tlsrpt_report.h"
#include "utf8.h"
#include "xmalloc.h"

#define RS_NOT_GIVEN "(not given)"
#define RS_WHERE_MAX 3 /* MX hosts named in one advice line */

/* One policy entry of one distinct report. */
struct rs_entry {
	const char		       *domain;
	const struct report_input_item *item;
	const struct tlsrpt_policy     *p;
	int64_t				day;
	int				span;
};

/*
 * One day one entry touches, the k-th of its span: successful sessions
 * are shared over the span, failures go to its last day.
 */
struct rs_mark {
	int64_t		       day;
	const struct rs_entry *e;
	int		       k;
};

/* A failure of an entry, flattened for sorting and grouping. */
struct rs_fail {
	const char	  *result_name;
	enum tlsrpt_result result;
	const char	  *mx;
	const char	  *ip;
	const char	  *rip;
	uint64_t	   sessions;
};

static int rs_attributable(const struct tlsrpt_policy *, enum tlsrpt_result);
static uint64_t rs_add(uint64_t, uint64_t);
static int	rs_strcmp_null(const char *, const char *);
static int	rs_entry_cmp(const void *, const void *);
static int	rs_mark_cmp(const void *, const void *);
static int	rs_fail_cmp(const void *, const void *);
static int	rs_tally_key_cmp(const void *, const void *);
static int	rs_tally_sessions_cmp(const void *, const void *);
static int	rs_str_cmp(const void *, const void *);
static int	rs_ptr_cmp(const void *, const void *);
static int	rs_dup_cmp(const void *, const void *);
static void rs_tally(struct report_tally **, size_t *, struct rs_fail *, size_t,
    int);
static void rs_domain(struct report_domain *, struct rs_entry *, size_t);
static void rs_days(struct report_domain *, struct rs_entry *, size_t);
static void rs_advice(struct report_domain *, struct rs_fail *, size_t);
static char *rs_mode(const struct tlsrpt_policy *);

static uint64_t
rs_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* Day k's share of n sessions spread over span days; the shares add up. */
static uint64_t
rs_share(uint64_t n, int span, int k)
{
	return n / (uint64_t)span + ((uint64_t)k < n % (uint64_t)span ? 1 : 0);
}

static int
rs_attributable(const struct tlsrpt_policy *p, enum tlsrpt_result r)
{
	switch (r) {
	case TLSRPT_RESULT_STS_POLICY_FETCH_ERROR:
	case TLSRPT_RESULT_STS_POLICY_INVALID:
	case TLSRPT_RESULT_STS_WEBPKI_INVALID:
		return 1;
	case TLSRPT_RESULT_TLSA_INVALID:
	case TLSRPT_RESULT_DNSSEC_INVALID:
	case TLSRPT_RESULT_DANE_REQUIRED:
		return 0;
	default:
		return p->type == TLSRPT_POLICY_STS;
	}
}

double
report_failure_rate(uint64_t ok, uint64_t failed)
{
	double all = (double)ok + (double)failed;

	return all > 0 ? 100.0 * (double)failed / all : 0.0;
}

int64_t
report_day_of(int64_t t)
{
	return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

/* Civil date of a day number (H. Hinnant's algorithm). */
void
report_day_format(int64_t day, char *buf, size_t len)
{
	int64_t	 z = day + 719468, era, y;
	unsigned doe, yoe, doy, mp, d, m;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(buf, len, "%04lld-%02u-%02u", (long long)(y + (m <= 2)), m, d);
}

static int
rs_strcmp_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
rs_entry_cmp(const void *a, const void *b)
{
	const struct rs_entry *x = a, *y = b;
	int		       c = strcmp(x->domain, y->domain);

	if (c != 0)
		return c;
	return (x->day > y->day) - (x->day < y->day);
}

static int
rs_mark_cmp(const void *a, const void *b)
{
	const struct rs_mark *x = a, *y = b;

	if (x->day != y->day)
		return (x->day > y->day) - (x->day < y->day);
	if (x->e->item != y->e->item)
		return (x->e->item > y->e->item) - (x->e->item < y->e->item);
	return (x->e > y->e) - (x->e < y->e);
}

static int
rs_fail_cmp(const void *a, const void *b)
{
	const struct rs_fail *x = a, *y = b;
	int		      c;

	if ((c = strcmp(x->result_name, y->result_name)) != 0)
		return c;
	if ((c = rs_strcmp_null(x->mx, y->mx)) != 0)
		return c;
	if ((c = rs_strcmp_null(x->ip, y->ip)) != 0)
		return c;
	return rs_strcmp_null(x->rip, y->rip);
}

static int
rs_tally_key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct report_tally *)a)->key,
	    ((const struct report_tally *)b)->key);
}

static int
rs_tally_sessions_cmp(const void *a, const void *b)
{
	const struct report_tally *x = a, *y = b;

	if (x->sessions != y->sessions)
		return x->sessions < y->sessions ? 1 : -1;
	return strcmp(x->key, y->key);
}

static int
rs_ptr_cmp(const void *a, const void *b)
{
	const void *x = *(const void *const *)a;
	const void *y = *(const void *const *)b;

	return (x > y) - (x < y);
}

static int
rs_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Tallies failures by one field: 0 result, 1 MX, 2 sending address. */
static void
rs_tally(struct report_tally **out, size_t *nout, struct rs_fail *f, size_t nf,
    int field)
{
	struct report_tally *t;
	const char	    *k;
	size_t		     i, n = 0;

	*out = NULL;
	*nout = 0;
	if (nf == 0)
		return;
	t = xcalloc(nf, sizeof(*t));
	for (i = 0; i < nf; i++) {
		k = field == 0	 ? f[i].result_name
		    : field == 1 ? f[i].mx
				 : f[i].ip;
		t[i].key = (char *)(k != NULL ? k : RS_NOT_GIVEN);
		t[i].sessions = f[i].sessions;
	}
	qsort(t, nf, sizeof(*t), rs_tally_key_cmp);
	for (i = 0; i < nf; i++) {
		if (n > 0 && strcmp(t[n - 1].key, t[i].key) == 0)
			t[n - 1].sessions =
			    rs_add(t[n - 1].sessions, t[i].sessions);
		else
			t[n++] = t[i];
	}
	for (i = 0; i < n; i++)
		t[i].key = xstrdup(t[i].key);
	qsort(t, n, sizeof(*t), rs_tally_sessions_cmp);
	*out = t;
	*nout = n;
}

/* The mode: line of an sts policy-string, or NULL. */
static char *
rs_mode(const struct tlsrpt_policy *p)
{
	const char *s;
	size_t	    i, n;

	for (i = 0; i < p->nstrings; i++) {
		s = p->strings[i];
		if (strncmp(s, "mode:", 5) != 0)
			continue;
		for (s += 5; *s == ' ' || *s == '\t'; s++)
			;
		n = strlen(s);
		while (n > 0 && isspace((unsigned char)s[n - 1]))
			n--;
		return xstrndup(s, n);
	}
	return NULL;
}

/* Per-day records from the entries of one domain (sorted by day). */
static void
rs_days(struct report_domain *d, struct rs_entry *e, size_t ne)
{
	struct rs_mark		    *m;
	struct report_day	    *day = NULL;
	struct report_failure	    *rf;
	const struct tlsrpt_policy  *p;
	const struct tlsrpt_failure *f;
	size_t			     nm = 0, cap = 0, i, j;
	int			     k, dirty, last;

	m = NULL;
	for (i = 0; i < ne; i++) {
		if (e[i].day == REPORT_DAY_NONE)
			continue;
		for (k = 0; k < e[i].span; k++) {
			if (nm == cap) {
				cap = cap == 0 ? 64 : cap * 2;
				m = xreallocarray(m, cap, sizeof(*m));
			}
			m[nm].day = e[i].day + k;
			m[nm].e = &e[i];
			m[nm].k = k;
			nm++;
		}
	}
	if (nm == 0)
		return;
	qsort(m, nm, sizeof(*m), rs_mark_cmp);
	d->days = xcalloc(nm, sizeof(*d->days));
	for (i = 0; i < nm; i++) {
		if (day == NULL || day->day != m[i].day) {
			day = &d->days[d->ndays++];
			day->day = m[i].day;
			report_day_format(day->day, day->date,
			    sizeof(day->date));
		}
		p = m[i].e->p;
		dirty = 0;
		for (j = 0; j < p->nfailures; j++)
			if (p->failures[j].failed_sessions > 0 &&
			    rs_attributable(p, p->failures[j].result))
				dirty = 1;
		/* A total without details still blocks an sts entry. */
		if (p->type == TLSRPT_POLICY_STS && p->failed_sessions > 0)
			dirty = 1;
		if (p->type == TLSRPT_POLICY_STS)
			day->covered = 1;
		last = m[i].k == m[i].e->span - 1;
		if (m[i].k == 0 &&
		    (i == 0 || m[i - 1].day != m[i].day ||
			m[i - 1].e->item != m[i].e->item || m[i - 1].k != 0))
			day->nreports++;
		day->successful = rs_add(day->successful,
		    rs_share(p->successful_sessions, m[i].e->span, m[i].k));
		/*
		 * Failures on the last day of the range: the latest day they
		 * can have happened, so a clean streak counted back from a
		 * later day stops no later than the failure (doc/reports.md).
		 */
		if (!last)
			continue;
		if (dirty)
			day->dirty = 1;
		day->failed = rs_add(day->failed, p->failed_sessions);
		if (p->nfailures == 0 && p->type == TLSRPT_POLICY_STS)
			day->attributable =
			    rs_add(day->attributable, p->failed_sessions);
		if (p->nfailures > 0)
			day->failures = xreallocarray(day->failures,
			    day->nfailures + p->nfailures,
			    sizeof(*day->failures));
		for (j = 0; j < p->nfailures; j++) {
			f = &p->failures[j];
			day->by_result[f->result] = rs_add(
			    day->by_result[f->result], f->failed_sessions);
			rf = &day->failures[day->nfailures++];
			memset(rf, 0, sizeof(*rf));
			rf->result = f->result;
			rf->result_name = xstrdup(f->result_name);
			if (f->receiving_mx_hostname != NULL)
				rf->mx = xstrdup(f->receiving_mx_hostname);
			if (f->sending_mta_ip != NULL)
				rf->sending_ip = xstrdup(f->sending_mta_ip);
			if (f->receiving_ip != NULL)
				rf->receiving_ip = xstrdup(f->receiving_ip);
			rf->sessions = f->failed_sessions;
			rf->attributable = rs_attributable(p, f->result);
			if (rf->attributable)
				day->attributable = rs_add(day->attributable,
				    f->failed_sessions);
		}
	}
	free(m);
}

/* One advice line per result type, naming where it happened. */
static void
rs_advice(struct report_domain *d, struct rs_fail *f, size_t nf)
{
	struct report_advice *a;
	struct report_tally  *mx;
	struct strbuf	      sb;
	const char	     *rip;
	size_t		      i, j, end, nmx, nrip;
	uint64_t	      total;
	char		     *clean;

	if (nf == 0)
		return;
	qsort(f, nf, sizeof(*f), rs_fail_cmp);
	d->advice = xcalloc(nf, sizeof(*d->advice));
	for (i = 0; i < nf; i = end) {
		for (end = i + 1; end < nf &&
		     strcmp(f[end].result_name, f[i].result_name) == 0;
		     end++)
			;
		total = 0;
		rip = NULL;
		nrip = 0;
		for (j = i; j < end; j++) {
			total = rs_add(total, f[j].sessions);
			if (f[j].rip != NULL &&
			    (rip == NULL || strcmp(rip, f[j].rip) != 0)) {
				if (rip == NULL || nrip < 2)
					nrip++;
				rip = f[j].rip;
			}
		}
		rs_tally(&mx, &nmx, f + i, end - i, 1);
		strbuf_init(&sb, 4096);
		for (j = 0; j < nmx && j < RS_WHERE_MAX; j++) {
			clean = utf8_sanitize(mx[j].key, strlen(mx[j].key), 0);
			strbuf_addf(&sb, "%s%s (%llu)", j > 0 ? ", " : "",
			    clean, (unsigned long long)mx[j].sessions);
			free(clean);
		}
		if (nmx == 1 && strcmp(mx[0].key, RS_NOT_GIVEN) == 0) {
			strbuf_reset(&sb);
			strbuf_addstr(&sb, "no MX named");
		}
		if (nmx > RS_WHERE_MAX)
			strbuf_addf(&sb, " and %zu more MX hosts",
			    nmx - RS_WHERE_MAX);
		if (nrip == 1 && rip != NULL) {
			clean = utf8_sanitize(rip, strlen(rip), 0);
			strbuf_addf(&sb, " on one address, %s", clean);
			free(clean);
		}
		a = &d->advice[d->nadvice++];
		a->result = f[i].result;
		a->result_name = xstrdup(f[i].result_name);
		a->sessions = total;
		a->where = strbuf_detach(&sb, NULL);
		clean =
		    utf8_sanitize(a->result_name, strlen(a->result_name), 0);
		a->text = xasprintf("%s%s%s: %llu failed session%s. %s %s",
		    clean, strcmp(a->where, "no MX named") == 0 ? ", " : " on ",
		    a->where, (unsigned long long)total, total == 1 ? "" : "s",
		    tlsrpt_result_meaning(a->result),
		    tlsrpt_result_fix(a->result));
		free(clean);
		for (j = 0; j < nmx; j++)
			free(mx[j].key);
		free(mx);
	}
}

/* One domain from its entries (sorted by day). */
static void
rs_domain(struct report_domain *d, struct rs_entry *e, size_t ne)
{
	struct rs_fail			*f = NULL;
	const struct tlsrpt_policy	*p;
	const struct tlsrpt_report	*r;
	const struct tlsrpt_failure	*pf;
	size_t				 nf = 0, cap = 0, i, j, n;
	int64_t				 latest = TLSRPT_TIME_NONE;
	char			       **rep;
	const struct report_input_item **items;

	d->domain = xstrdup(e[0].domain);
	rep = xcalloc(ne, sizeof(*rep));
	for (i = 0; i < ne; i++) {
		p = e[i].p;
		r = e[i].item->report;
		if (e[i].day == REPORT_DAY_NONE)
			d->nundated++;
		d->successful = rs_add(d->successful, p->successful_sessions);
		d->failed = rs_add(d->failed, p->failed_sessions);
		rep[i] = r->organization != NULL ? r->organization
		    : r->contact != NULL	 ? r->contact
						 : "(unnamed reporter)";
		if (p->type == TLSRPT_POLICY_STS &&
		    (d->mode == NULL || r->start >= latest)) {
			char *mode = rs_mode(p);

			if (mode != NULL) {
				free(d->mode);
				d->mode = mode;
				latest = r->start;
			}
		}
		for (j = 0; j < p->nfailures; j++) {
			pf = &p->failures[j];
			if (nf == cap) {
				cap = cap == 0 ? 32 : cap * 2;
				f = xreallocarray(f, cap, sizeof(*f));
			}
			f[nf].result_name = pf->result_name;
			f[nf].result = pf->result;
			f[nf].mx = pf->receiving_mx_hostname;
			f[nf].ip = pf->sending_mta_ip;
			f[nf].rip = pf->receiving_ip;
			f[nf].sessions = pf->failed_sessions;
			nf++;
			if (rs_attributable(p, pf->result))
				d->attributable = rs_add(d->attributable,
				    pf->failed_sessions);
		}
		if (p->nfailures == 0 && p->type == TLSRPT_POLICY_STS)
			d->attributable =
			    rs_add(d->attributable, p->failed_sessions);
	}
	/* Several entries of one report (RPT-JSON-7) are one report. */
	items = xcalloc(ne, sizeof(*items));
	for (i = 0; i < ne; i++)
		items[i] = e[i].item;
	qsort(items, ne, sizeof(*items), rs_ptr_cmp);
	for (i = 0; i < ne; i++)
		if (i == 0 || items[i] != items[i - 1])
			d->nreports++;
	free(items);
	qsort(rep, ne, sizeof(*rep), rs_str_cmp);
	for (i = 0, n = 0; i < ne; i++)
		if (n == 0 || strcmp(rep[n - 1], rep[i]) != 0)
			rep[n++] = rep[i];
	d->reporters = xcalloc(n, sizeof(*d->reporters));
	for (i = 0; i < n; i++)
		d->reporters[i] = xstrdup(rep[i]);
	d->nreporters = n;
	free(rep);
	rs_tally(&d->by_result, &d->nby_result, f, nf, 0);
	rs_tally(&d->by_mx, &d->nby_mx, f, nf, 1);
	rs_tally(&d->by_ip, &d->nby_ip, f, nf, 2);
	rs_advice(d, f, nf);
	free(f);
	rs_days(d, e, ne);
}

struct rs_dup {
	const char *contact;
	const char *id;
	size_t	    idx;
};

static int
rs_dup_cmp(const void *a, const void *b)
{
	const struct rs_dup *x = a, *y = b;
	int		     c;

	if ((c = strcmp(x->contact, y->contact)) != 0)
		return c;
	if ((c = strcmp(x->id, y->id)) != 0)
		return c;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

struct report_summary *
report_summary_new(const struct report_input *in)
{
	struct report_summary	       *s = xcalloc(1, sizeof(*s));
	const struct report_input_item *it;
	const struct tlsrpt_report     *r;
	struct rs_entry		       *e = NULL;
	struct rs_dup		       *dup;
	char			       *dupmark;
	size_t				n = report_input_count(in), i, j;
	size_t				ne = 0, cap = 0, nd = 0, start;
	int64_t				end;

	s->findings = finding_list_new();
	s->nitems = n;
	/* Copies of one report (same contact-info and report-id). */
	dup = xcalloc(n + 1, sizeof(*dup));
	dupmark = xcalloc(n + 1, 1);
	for (i = 0; i < n; i++) {
		r = report_input_get(in, i)->report;
		if (r != NULL && r->report_id != NULL) {
			dup[nd].contact = r->contact != NULL ? r->contact : "";
			dup[nd].id = r->report_id;
			dup[nd].idx = i;
			nd++;
		}
	}
	qsort(dup, nd, sizeof(*dup), rs_dup_cmp);
	for (i = 1; i < nd; i++)
		if (strcmp(dup[i].contact, dup[i - 1].contact) == 0 &&
		    strcmp(dup[i].id, dup[i - 1].id) == 0) {
			dupmark[dup[i].idx] = 1;
			finding_add(s->findings, FINDING_REPORT_DUPLICATE,
			    report_input_get(in, dup[i].idx)->source, 0,
			    "a copy of a report read before: counted once");
			s->nduplicates++;
		}
	free(dup);

	for (i = 0; i < n; i++) {
		it = report_input_get(in, i);
		if ((r = it->report) == NULL) {
			s->nunreadable++;
			continue;
		}
		if (dupmark[i])
			continue;
		s->nreports++;
		for (j = 0; j < r->npolicies; j++) {
			if (ne == cap) {
				cap = cap == 0 ? 64 : cap * 2;
				e = xreallocarray(e, cap, sizeof(*e));
			}
			e[ne].domain = r->policies[j].domain != NULL
			    ? r->policies[j].domain
			    : REPORT_NO_DOMAIN;
			e[ne].item = it;
			e[ne].p = &r->policies[j];
			e[ne].day = REPORT_DAY_NONE;
			e[ne].span = 1;
			if (r->start != TLSRPT_TIME_NONE) {
				e[ne].day = report_day_of(r->start);
				if (r->end != TLSRPT_TIME_NONE &&
				    r->end > r->start) {
					end = report_day_of(r->end - 1);
					if (end - e[ne].day + 1 >
					    REPORT_MAX_SPAN_DAYS)
						e[ne].span =
						    REPORT_MAX_SPAN_DAYS;
					else if (end > e[ne].day)
						e[ne].span =
						    (int)(end - e[ne].day + 1);
				}
			}
			s->successful = rs_add(s->successful,
			    r->policies[j].successful_sessions);
			s->failed =
			    rs_add(s->failed, r->policies[j].failed_sessions);
			ne++;
		}
	}
	free(dupmark);
	if (ne > 0) {
		qsort(e, ne, sizeof(*e), rs_entry_cmp);
		s->domains = xcalloc(ne, sizeof(*s->domains));
		for (start = 0, i = 1; i <= ne; i++) {
			if (i < ne && strcmp(e[i].domain, e[start].domain) == 0)
				continue;
			rs_domain(&s->domains[s->ndomains++], e + start,
			    i - start);
			start = i;
		}
	}
	free(e);
	for (i = 0; i < s->ndomains; i++) {
		struct report_domain *d = &s->domains[i];

		if (d->failed == 0)
			continue;
		finding_add(s->findings, FINDING_REPORT_FAILURES, d->domain, 0,
		    "%llu of %llu sessions failed (%.1f%%), %llu of them "
		    "because of the MTA-STS policy",
		    (unsigned long long)d->failed,
		    (unsigned long long)rs_add(d->failed, d->successful),
		    report_failure_rate(d->successful, d->failed),
		    (unsigned long long)d->attributable);
	}
	if (s->nreports == 0)
		finding_add(s->findings, FINDING_REPORT_NONE, NULL, 0, NULL);
	return s;
}

void
report_summary_free(struct report_summary *s)
{
	struct report_domain *d;
	size_t		      i, j, k;

	if (s == NULL)
		return;
	for (i = 0; i < s->ndomains; i++) {
		d = &s->domains[i];
		free(d->domain);
		free(d->mode);
		for (j = 0; j < d->ndays; j++) {
			for (k = 0; k < d->days[j].nfailures; k++) {
				free(d->days[j].failures[k].result_name);
				free(d->days[j].failures[k].mx);
				free(d->days[j].failures[k].sending_ip);
				free(d->days[j].failures[k].receiving_ip);
			}
			free(d->days[j].failures);
		}
		free(d->days);
		for (j = 0; j < d->nby_result; j++)
			free(d->by_result[j].key);
		free(d->by_result);
		for (j = 0; j < d->nby_mx; j++)
			free(d->by_mx[j].key);
		free(d->by_mx);
		for (j = 0; j < d->nby_ip; j++)
			free(d->by_ip[j].key);
		free(d->by_ip);
		for (j = 0; j < d->nreporters; j++)
			free(d->reporters[j]);
		free(d->reporters);
		for (j = 0; j < d->nadvice; j++) {
			free(d->advice[j].result_name);
			free(d->advice[j].where);
			free(d->advice[j].text);
		}
		free(d->advice);
	}
	free(s->domains);
	finding_list_free(s->findings);
	free(s);
}

const struct report_domain *
report_summary_domain(const struct report_summary *s, const char *domain)
{
	size_t i, n = strlen(domain);

	if (n > 1 && domain[n - 1] == '.')
		n--;
	for (i = 0; i < s->ndomains; i++)
		if (strlen(s->domains[i].domain) == n &&
		    strncasecmp(s->domains[i].domain, domain, n) == 0)
			return &s->domains[i];
	return NULL;
}

const char *
report_gate_state_name(enum report_gate_state st)
{
	switch (st) {
	case REPORT_GATE_READY:
		return "ready";
	case REPORT_GATE_WATCH:
		return "watch";
	default:
		return "no-data";
	}
}

enum report_gate_state
report_gate_evaluate(struct report_gate *g, const struct report_summary *s,
    const char *domain, int64_t asof)
{
	const struct report_domain  *d;
	const struct report_day	    *day;
	const struct report_failure *f;
	struct report_gate_blocker  *b;
	size_t			     i, j, last, cap = 0;
	int64_t			     expect;
	char			     date[16];

	memset(g, 0, sizeof(*g));
	g->needed = REPORT_GATE_DAYS;
	g->latest_day = g->stop_day = REPORT_DAY_NONE;
	g->nreports = s->nreports;
	d = report_summary_domain(s, domain);
	if (d != NULL)
		g->ndomain_reports = d->nreports;
	for (i = 0; d != NULL && asof != REPORT_DAY_NONE && i < d->ndays; i++)
		if (d->days[i].day > asof)
			g->nfuture += d->days[i].nreports;
	/* The latest covered day, not after asof. */
	last = 0;
	for (i = d != NULL ? d->ndays : 0; i > 0; i--) {
		day = &d->days[i - 1];
		if (day->covered &&
		    (asof == REPORT_DAY_NONE || day->day <= asof)) {
			g->latest_day = day->day;
			last = i;
			break;
		}
	}
	if (g->latest_day == REPORT_DAY_NONE) {
		g->state = REPORT_GATE_NO_DATA;
		g->why = xstrdup("no TLS-RPT report of an MTA-STS (sts) "
				 "policy for this domain yet: keep watching");
		return g->state;
	}
	expect = g->latest_day;
	for (i = last; i > 0; i--) {
		day = &d->days[i - 1];
		if (day->day != expect || !day->covered) {
			g->stop_day = expect;
			g->stop_missing = 1;
			break;
		}
		if (day->dirty) {
			g->stop_day = expect;
			break;
		}
		g->clean_days++;
		expect--;
	}
	if (i == 0 && g->stop_day == REPORT_DAY_NONE) {
		g->stop_day = expect;
		g->stop_missing = 1;
	}
	/* What blocks: attributable failures in the window, newest first. */
	for (i = last; i > 0; i--) {
		day = &d->days[i - 1];
		if (day->day <= g->latest_day - (int64_t)g->needed)
			break;
		for (j = 0; j < day->nfailures; j++) {
			f = &day->failures[j];
			if (!f->attributable || f->sessions == 0)
				continue;
			/* Repeated details of one kind read as one line. */
			b = g->nblockers > 0 ? &g->blockers[g->nblockers - 1]
					     : NULL;
			if (b != NULL && b->day == day->day &&
			    strcmp(b->result_name, f->result_name) == 0 &&
			    rs_strcmp_null(b->mx, f->mx) == 0 &&
			    rs_strcmp_null(b->sending_ip, f->sending_ip) == 0) {
				b->sessions = rs_add(b->sessions, f->sessions);
				continue;
			}
			if (g->nblockers == cap) {
				cap = cap == 0 ? 16 : cap * 2;
				g->blockers = xreallocarray(g->blockers, cap,
				    sizeof(*g->blockers));
			}
			b = &g->blockers[g->nblockers++];
			b->day = day->day;
			memcpy(b->date, day->date, sizeof(b->date));
			b->result = f->result;
			b->result_name = xstrdup(f->result_name);
			b->mx = f->mx != NULL ? xstrdup(f->mx) : NULL;
			b->sending_ip = f->sending_ip != NULL
			    ? xstrdup(f->sending_ip)
			    : NULL;
			b->sessions = f->sessions;
		}
	}
	g->state =
	    g->clean_days >= g->needed ? REPORT_GATE_READY : REPORT_GATE_WATCH;
	report_day_format(g->stop_day, date, sizeof(date));
	if (g->state == REPORT_GATE_READY)
		g->why = xasprintf("%u clean days in a row (%u needed): ready "
				   "to enforce",
		    g->clean_days, g->needed);
	else if (g->stop_missing)
		g->why = xasprintf("%u clean day%s of %u: no sts report for "
				   "%s; keep watching",
		    g->clean_days, g->clean_days == 1 ? "" : "s", g->needed,
		    date);
	else if (g->nblockers > 0 && g->blockers[0].day == g->stop_day) {
		char *r = utf8_sanitize(g->blockers[0].result_name,
		    strlen(g->blockers[0].result_name), 1);
		char *m = g->blockers[0].mx == NULL
		    ? NULL
		    : utf8_sanitize(g->blockers[0].mx,
			  strlen(g->blockers[0].mx), 1);

		g->why = xasprintf("%u clean day%s of %u: failures on %s "
				   "block enforce (%s%s%s, %llu session%s)",
		    g->clean_days, g->clean_days == 1 ? "" : "s", g->needed,
		    date, r, m != NULL ? " on " : "", m != NULL ? m : "",
		    (unsigned long long)g->blockers[0].sessions,
		    g->blockers[0].sessions == 1 ? "" : "s");
		free(r);
		free(m);
	} else
		g->why = xasprintf("%u clean day%s of %u: failures on %s "
				   "block enforce",
		    g->clean_days, g->clean_days == 1 ? "" : "s", g->needed,
		    date);
	return g->state;
}

enum report_gate_state
report_gate_path(struct report_gate *g, const char *path, const char *domain,
    int64_t asof, size_t *nunreadable)
{
	struct report_input   *in = report_input_new();
	struct report_summary *s;
	enum report_gate_state st;

	char *cause = NULL;
	int   bad = 0;

	/*
	 * A mailbox that cannot be read counts as one unreadable input (the
	 * cause went to report_imap's note callback).
	 */
	if (report_source_add(in, path, &cause) != 0) {
		free(cause);
		bad = 1;
	}
	s = report_summary_new(in);
	if (nunreadable != NULL)
		*nunreadable = s->nunreadable + (size_t)bad;
	st = report_gate_evaluate(g, s, domain, asof);
	report_summary_free(s);
	report_input_free(in);
	return st;
}

void
report_gate_clear(struct report_gate *g)
{
	size_t i;

	for (i = 0; i < g->nblockers; i++) {
		free(g->blockers[i].result_name);
		free(g->blockers[i].mx);
		free(g->blockers[i].sending_ip);
	}
	free(g->blockers);
	free(g->why);
	memset(g, 0, sizeof(*g));
}
