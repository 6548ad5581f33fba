/*
 * layer_dane: the TLSA records of the MX hosts and their match, as shown.
 */
#include "config.h"
#include "layer.h"

#include <stdlib.h>

#include "budget.h"
#include "clock.h"
#include "dane.h"
#include "dns.h"
#include "finding.h"
#include "jsonw.h"
#include "layer_dane.h"
#include "mx_lookup.h"
#include "mx_tls.h"
#include "strbuf.h"
#include "summary.h"

char *
dane_summary(const struct dane_result *res, const struct dane_host *h,
    const struct mx_tls_addr *a)
{
	struct strbuf	  sb;
	struct dane_match m;

	strbuf_init(&sb, DANE_LINE_MAX);
	if (a == NULL) {
		strbuf_addf(&sb, "%s: ", h->name);
		if (h->dnssec == DANE_DNSSEC_BOGUS)
			strbuf_addf(&sb, "TLSA lookup failed (%s)",
			    h->error != NULL ? h->error
					     : dns_status_name(h->status));
		else if (h->nrrs == 0)
			strbuf_addf(&sb, "no TLSA (%s)",
			    dane_dnssec_name(h->dnssec));
		else
			strbuf_addf(&sb, "TLSA %s, %zu record%s, %zu usable",
			    dane_dnssec_name(h->dnssec), h->nrrs,
			    h->nrrs == 1 ? "" : "s", h->nusable);
		return strbuf_detach(&sb, NULL);
	}
	strbuf_addf(&sb, "%s %s: ", h->name, a->address);
	dane_match(&m, h, res->domain, res->mx_ad, a, 0);
	switch (m.status) {
	case DANE_MATCH_NONE:
		strbuf_addstr(&sb,
		    h->dnssec == DANE_DNSSEC_SECURE && h->nrrs > 0
			? "DANE: TLS required, not authenticated"
			: "no DANE");
		break;
	case DANE_MATCH_OK:
		strbuf_addf(&sb, "DANE match: %s", m.detail);
		break;
	case DANE_MATCH_FAIL:
		strbuf_addf(&sb, "DANE mismatch: %s", m.detail);
		break;
	case DANE_MATCH_NO_CHAIN:
		strbuf_addstr(&sb, "DANE: no chain to match");
		break;
	}
	dane_match_clear(&m);
	return strbuf_detach(&sb, NULL);
}

void
report_json_dane(struct jsonw *j, const struct dane_result *res)
{
	const struct dane_host *h;
	const struct dane_rr   *r;
	struct strbuf		sb;
	char		       *hex;
	size_t			i, k, b;

	jsonw_string(j, "mx_status", dns_status_name(res->mx_status));
	jsonw_bool(j, "mx_secure", res->mx_ad);
	jsonw_int(j, "elapsed_ms", res->elapsed_ms);
	jsonw_array_begin(j, "hosts");
	for (i = 0; i < res->nhosts; i++) {
		h = &res->hosts[i];
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "name", h->name);
		jsonw_string(j, "base", h->base);
		jsonw_string(j, "qname", h->qname);
		jsonw_string(j, "status", dns_status_name(h->status));
		jsonw_bool(j, "ad", h->ad);
		jsonw_string(j, "dnssec", dane_dnssec_name(h->dnssec));
		jsonw_string(j, "error", h->error);
		jsonw_uint(j, "usable", h->nusable);
		jsonw_uint(j, "elapsed_ms", h->elapsed_ms);
		jsonw_array_begin(j, "records");
		for (k = 0; k < h->nrrs; k++) {
			r = &h->rrs[k];
			strbuf_init(&sb, 2 * r->datalen + 16);
			for (b = 0; b < r->datalen; b++)
				strbuf_addf(&sb, "%02x", r->data[b]);
			hex = strbuf_detach(&sb, NULL);
			jsonw_object_begin(j, NULL);
			jsonw_uint(j, "usage", r->usage);
			jsonw_uint(j, "selector", r->selector);
			jsonw_uint(j, "matching_type", r->mtype);
			jsonw_string(j, "data", hex != NULL ? hex : "");
			jsonw_string(j, "check", dane_rr_check_name(r->check));
			jsonw_bool(j, "usable", r->check == DANE_RR_USABLE);
			jsonw_object_end(j);
			free(hex);
		}
		jsonw_array_end(j);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
}

void
report_json_dane_matches(struct jsonw *j, const struct dane_result *res,
    const struct mx_tls_result *tls)
{
	static const char	 *names[] = { "none", "match", "mismatch",
		       "no_chain" };
	const struct dane_host	 *h;
	const struct mx_tls_host *th;
	struct dane_match	  m;
	size_t			  i, k;

	jsonw_array_begin(j, "addresses");
	for (i = 0; i < res->nhosts; i++) {
		h = &res->hosts[i];
		if ((th = dane_tls_host(tls, h->name)) == NULL || th->skipped)
			continue;
		for (k = 0; k < th->naddrs; k++) {
			dane_match(&m, h, res->domain, res->mx_ad,
			    &th->addrs[k], tls->now);
			jsonw_object_begin(j, NULL);
			jsonw_string(j, "host", h->name);
			jsonw_string(j, "address", th->addrs[k].address);
			jsonw_string(j, "match", names[m.status]);
			if (m.rr >= 0) {
				jsonw_int(j, "record", m.rr);
				jsonw_int(j, "depth", m.depth);
			}
			jsonw_string(j, "detail", m.detail);
			jsonw_object_end(j);
			dane_match_clear(&m);
		}
	}
	jsonw_array_end(j);
}

static void
layer_dane_summary(struct summary *s, const struct check *c, int ascii)
{
	const struct dane_result *r = check_dane(c);
	size_t			  i;

	(void)ascii;
	if (r == NULL) {
		if (check_layer_skip_reason(c, CHECK_DANE) != NULL)
			summary_add(s, "skipped: %s",
			    check_layer_skip_reason(c, CHECK_DANE));
		return;
	}
	for (i = 0; i < r->nhosts && s->n < SUMMARY_MAX_LINES; i++)
		s->line[s->n++] = dane_summary(r, &r->hosts[i], NULL);
}

static void
layer_dane_json(struct jsonw *j, const struct check *c)
{
	if (check_dane(c) == NULL)
		return;
	report_json_dane(j, check_dane(c));
	if (check_mx_tls(c) != NULL)
		report_json_dane_matches(j, check_dane(c), check_mx_tls(c));
}

static void
layer_dane_free(void *p)
{
	dane_result_free(p);
}

static void
layer_dane_free_in(void *in)
{
	mx_set_free(in);
}

/* The TLSA lookups start once the MX set is known, on a copy of it. */
static int
layer_dane_prepare(struct check *c, struct layer_job *job)
{
	const struct mx_set *mx = check_mx(c);

	if (mx == NULL || mx->nhost == 0) {
		check_layer_skip(c, CHECK_DANE, "no MX host");
		return -1;
	}
	job->in = mx_set_clone(mx);
	return 0;
}

static void
layer_dane_work(struct layer_job *job)
{
	struct dns_options o = job->env->dns;
	int64_t		   t0 = clock_ms();

	o.deadline_ms = job->deadline;
	job->out = dane_lookup(&o, job->env->domain, job->in);
	if (clock_ms() >= job->deadline)
		finding_add(job->fl, FINDING_DANE_CUT, job->env->domain, 0,
		    "the TLSA lookups were cut by the layer's deadline after "
		    "%ld ms; a lookup still open counts as failed",
		    (long)(clock_ms() - t0));
}

static int
layer_dane_judge(struct check *c, struct layer_job *job)
{
	check_layer_take(c, CHECK_DANE, job);
	return 0;
}

/* DANE is judged against the chains the probe saw (DANE-13 needs both). */
static int
layer_dane_late(struct check *c)
{
	const struct dane_result *r = check_dane(c);

	if (r == NULL)
		return 1;
	dane_judge(r, check_mx_tls(c), check_applied_mode(c),
	    check_layer_fl(c, CHECK_DANE));
	check_layer_finish(c, CHECK_DANE,
	    check_layer_elapsed_ms(c, CHECK_DANE));
	return 1;
}

const struct dane_result *
check_dane(const struct check *c)
{
	return check_layer_data(c, CHECK_DANE);
}

const struct layer_class layer_dane_class = {
	.name = "dane",
	.needs = LAYER_BIT(CHECK_MX),
	.late_needs = LAYER_BIT(CHECK_MX_TLS) | LAYER_BIT(CHECK_POLICY),
	.budget_ms = BUDGET_DANE_LAYER_MS,
	.prepare = layer_dane_prepare,
	.work = layer_dane_work,
	.judge = layer_dane_judge,
	.late = layer_dane_late,
	.free = layer_dane_free,
	.free_in = layer_dane_free_in,
	.cut_code = FINDING_DANE_CUT,
	.cut_step = "the TLSA lookups",
	.cut_unstarted = "the MX set was not known yet",
	.summary = layer_dane_summary,
	.json = layer_dane_json,
};
