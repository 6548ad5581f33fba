/*
 * layer_mx: the MX hosts and whether the policy covers them.
 */
#include "config.h"
#include "layer.h"

#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "check_json.h"
#include "clock.h"
#include "dns.h"
#include "jsonw.h"
#include "mx_diagnose.h"
#include "mx_lookup.h"
#include "policy_parse.h"
#include "report_json.h"
#include "summary.h"
#include "xmalloc.h"

static void
layer_mx_summary(struct summary *s, const struct check *c, int ascii)
{
	const struct mx_set  *m = check_mx(c);
	const struct mx_host *h;
	size_t		      i, covered = 0, judged = 0;
	char		     *name;

	if (m == NULL)
		return;
	if (m->null_mx && m->nhost == 0) {
		summary_add(s, "null MX: the domain accepts no mail");
		return;
	}
	if (m->nhost == 0) {
		summary_add(s, "MX lookup: %s", dns_status_name(m->status));
		return;
	}
	for (i = 0; i < m->nhost; i++) {
		if (m->host[i].pattern != -2)
			judged++;
		if (m->host[i].pattern >= 0)
			covered++;
	}
	if (judged > 0)
		summary_add(s, "%zu/%zu MX covered", covered, m->nhost);
	else
		summary_add(s,
		    "%zu MX host%s (coverage not judged: no usable "
		    "policy)",
		    m->nhost, m->nhost == 1 ? "" : "s");
	for (i = 0; i < m->nhost && s->n < SUMMARY_MAX_LINES; i++) {
		h = &m->host[i];
		name = summary_clean(h->name, strlen(h->name), ascii);
		summary_add(s, "%u %s (%zu addr)%s%s", h->pref, name,
		    h->addrs.n,
		    h->pattern == -2	  ? ""
			: h->pattern >= 0 ? " covered"
					  : " UNCOVERED",
		    h->implicit ? " implicit" : "");
		free(name);
	}
}

static void
layer_mx_json(struct jsonw *j, const struct check *c)
{
	if (check_mx(c) != NULL)
		report_json_mx(j, check_mx(c), check_policy(c));
}

/* Hosts, addresses and coverage: what the MX x pattern view needs. */
static void *
layer_mx_load(const json_t *data, const json_t *doc, const struct check *c)
{
	const struct policy *p = check_policy(c);
	const json_t	    *hosts = check_json_array(data, "hosts"), *ho;
	struct mx_set	    *m;
	struct mx_host	    *h;
	const char	    *s, *cov;
	size_t i, k, n = check_json_count(hosts, BUDGET_MX_MAX_HOSTS);
	int    e;

	(void)doc;
	if (data == NULL || (s = check_json_str(data, "status")) == NULL)
		return NULL;
	m = xcalloc(1, sizeof(*m));
	m->status = DNS_ERROR;
	for (e = DNS_OK; e <= DNS_ERROR; e++)
		if (strcmp(s, dns_status_name(e)) == 0)
			m->status = e;
	m->null_mx = check_json_bool(data, "null_mx");
	m->implicit = check_json_bool(data, "implicit");
	m->host = xcalloc(n + 1, sizeof(*m->host));
	for (i = 0; i < n; i++) {
		ho = json_array_get(hosts, i);
		if (check_json_str(ho, "name") == NULL)
			continue;
		h = &m->host[m->nhost++];
		dns_addrs_init(&h->addrs);
		h->name = check_json_strdup(ho, "name");
		h->pref =
		    (unsigned)check_json_int(ho, "preference", 0, 65535, 0);
		h->implicit = check_json_bool(ho, "implicit");
		h->ip_literal = check_json_bool(ho, "ip_literal");
		h->cname = check_json_strdup(ho, "cname");
		h->addrs.addr = check_json_strings(ho, "addresses",
		    BUDGET_MX_MAX_ADDRS_CHECK, &h->addrs.n);
		h->why = check_json_strdup(ho, "why");
		/* covered_by names the pattern; the index is the policy's. */
		h->pattern = check_json_bool(ho, "judged") ? -1 : -2;
		cov = check_json_str(ho, "covered_by");
		for (k = 0; cov != NULL && p != NULL && k < p->nmx; k++) {
			if (strcmp(cov, p->mx[k].pattern) == 0) {
				h->pattern = (long)k;
				break;
			}
		}
		s = check_json_str(ho, "why_class");
		for (e = MX_DIAGNOSE_WILDCARD_DEPTH;
		     s != NULL && e <= MX_DIAGNOSE_COMPLETE; e++)
			if (strcmp(s, mx_diagnose_class_name(e)) == 0)
				h->why_class = e;
	}
	return m;
}

static void
layer_mx_free(void *p)
{
	mx_set_free(p);
}

static void
layer_mx_work(struct layer_job *job)
{
	struct dns_options o = job->env->dns;
	int64_t		   t0 = clock_ms();

	o.deadline_ms = job->deadline;
	job->out = mx_lookup(&o, job->env->domain, job->env->family, job->fl);
	if (clock_ms() >= job->deadline)
		finding_add(job->fl, FINDING_MX_CUT, job->env->domain, 0,
		    "the MX lookups were cut by the layer's deadline after "
		    "%ld ms: hosts still being resolved are not examined",
		    (long)(clock_ms() - t0));
}

static int
layer_mx_judge(struct check *c, struct layer_job *job)
{
	check_layer_take(c, CHECK_MX, job);
	check_layer_finish(c, CHECK_MX, check_layer_elapsed_ms(c, CHECK_MX));
	return 1;
}

/* MX coverage needs both the MX set and a usable policy. */
static int
layer_mx_late(struct check *c)
{
	struct mx_set	    *mx = check_layer_data(c, CHECK_MX);
	const struct policy *p = check_policy(c);
	const char	   **patterns;
	size_t		     i;

	if (mx == NULL)
		return 0;
	if (p == NULL || !p->valid || p->mode == POLICY_MODE_NONE)
		return 1;
	patterns = xcalloc(p->nmx + 1, sizeof(*patterns));
	for (i = 0; i < p->nmx; i++)
		patterns[i] = p->mx[i].pattern;
	mx_lookup_cover(mx, patterns, p->nmx, p->mode == POLICY_MODE_ENFORCE,
	    check_domain(c), check_layer_fl(c, CHECK_MX));
	free(patterns);
	check_layer_finish(c, CHECK_MX, check_layer_elapsed_ms(c, CHECK_MX));
	return 1;
}

const struct mx_set *
check_mx(const struct check *c)
{
	return check_layer_data(c, CHECK_MX);
}

const struct layer_class layer_mx_class = {
	.name = "mx",
	.late_needs = LAYER_BIT(CHECK_POLICY),
	.budget_ms = BUDGET_MX_LAYER_MS,
	.work = layer_mx_work,
	.judge = layer_mx_judge,
	.late = layer_mx_late,
	.free = layer_mx_free,
	.cut_code = FINDING_MX_CUT,
	.cut_step = "the MX lookup",
	.summary = layer_mx_summary,
	.json = layer_mx_json,
	.load = layer_mx_load,
};
