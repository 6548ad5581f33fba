/*
 * layer_sts: the _mta-sts TXT record (JSON and catalog name "dns").
 */
#include "config.h"
#include "layer.h"

#include <stdlib.h>

#include "budget.h"
#include "check_json.h"
#include "dns.h"
#include "jsonw.h"
#include "provider.h"
#include "report_json.h"
#include "sts_record.h"
#include "summary.h"
#include "txt_lookup.h"
#include "txt_record.h"
#include "xmalloc.h"

static void
layer_sts_summary(struct summary *s, const struct check *c, int ascii)
{
	const struct dns_answer *a = check_sts_answer(c);
	const struct sts_record *r = check_sts_record(c);
	char			*raw;

	if (a == NULL)
		return;
	if (a->status != DNS_OK && a->status != DNS_NODATA &&
	    a->status != DNS_NXDOMAIN) {
		summary_add(s, "%s: %s", a->qname, dns_status_name(a->status));
		return;
	}
	if (r == NULL || r->status == STS_RECORD_NONE) {
		summary_add(s, "%s: no v=STSv1 record (%s)", a->qname,
		    a->nrr == 0 ? dns_status_name(a->status)
				: "only other TXT records");
		return;
	}
	if (r->status == STS_RECORD_MULTIPLE) {
		summary_add(s, "%s: %zu v=STSv1 records: MTA-STS is off",
		    a->qname, r->ncandidates);
		return;
	}
	raw = summary_clean(r->raw, r->rawlen, ascii);
	summary_add(s, "%s %s %s", raw, ascii ? "-" : "\u2014",
	    r->valid ? "valid" : "INVALID");
	free(raw);
	summary_add(s, "DNSSEC: %s",
	    a->ad ? "validated (AD)" : "not validated (no AD bit)");
	if (a->ncname > 0)
		summary_add(s, "via CNAME %s", a->cname[a->ncname - 1]);
}

static void
layer_sts_json(struct jsonw *j, const struct check *c)
{
	if (check_sts_answer(c) != NULL)
		report_json_answer(j, check_sts_answer(c));
	report_json_sts(j, check_sts_record(c));
	if (check_delegation(c) != NULL)
		report_json_delegation(j, check_delegation(c),
		    &check_delegation(c)->txt);
}

struct layer_sts_data {
	struct dns_answer *answer;
	struct sts_record *sts;
};

static void
layer_sts_free(void *p)
{
	struct layer_sts_data *d = p;

	dns_answer_free(d->answer);
	sts_record_free(d->sts);
	free(d);
}

static void
layer_sts_work(struct layer_job *job)
{
	struct layer_sts_data *d = job->out = xcalloc(1, sizeof(*d));
	struct txt_string     *strs;
	struct txt_rr	      *rrs;
	char		      *name;

	name = xasprintf("_mta-sts.%s", job->env->domain);
	d->answer = txt_lookup_query(job, name);
	if (d->answer->cut)
		finding_add(job->fl, FINDING_STS_TXT_CUT, name, 0,
		    "TXT lookup of %s cut by the layer's deadline after %u ms: "
		    "%s",
		    name, d->answer->elapsed_ms, d->answer->error);
	if (txt_lookup_failed(d->answer, FINDING_STS_TXT_DNS_ERROR, job->fl)) {
		free(name);
		return;
	}
	if (d->answer->ncname > 0)
		finding_add(job->fl, FINDING_STS_TXT_CNAME, name, 0,
		    "%s is a CNAME; senders follow it to %s", name,
		    d->answer->cname[d->answer->ncname - 1]);
	rrs = txt_lookup_rrs(d->answer, &strs);
	d->sts = sts_record_select(rrs, d->answer->nrr, name, job->fl);
	sts_record_fix(job->fl, name, job->env->now);
	free(rrs);
	free(strs);
	/* Only the positive fact is a finding; the summary says either. */
	if (d->answer->nrr > 0 && d->answer->ad)
		finding_add(job->fl, FINDING_STS_TXT_DNSSEC, name, 0,
		    "The answer for %s was DNSSEC-validated by the resolver "
		    "(AD bit)",
		    name);
	free(name);
}

/* sts_record_select() as txt_lookup.h calls a parser. */
static void *
layer_sts_select(const struct txt_rr *rrs, size_t n, const char *name,
    struct finding_list *fl)
{
	return sts_record_select(rrs, n, name, fl);
}

/*
 * The stored answer, and the record selected from it by the same code as
 * a live check (its findings are the document's, not made again here).
 */
static void *
layer_sts_load(const json_t *data, const json_t *doc, const struct check *c)
{
	struct layer_sts_data *d;
	struct finding_list   *fl;
	struct dns_answer     *a;

	(void)doc;
	(void)c;
	if ((a = check_json_answer(data)) == NULL)
		return NULL;
	d = xcalloc(1, sizeof(*d));
	d->answer = a;
	fl = finding_list_new();
	d->sts = txt_lookup_select(a, FINDING_STS_TXT_DNS_ERROR, a->qname,
	    layer_sts_select, fl);
	finding_list_free(fl);
	return d;
}

static int
layer_sts_judge(struct check *c, struct layer_job *job)
{
	check_layer_take(c, CHECK_DNS, job);
	check_layer_finish(c, CHECK_DNS, check_layer_elapsed_ms(c, CHECK_DNS));
	return 1;
}

const struct dns_answer *
check_sts_answer(const struct check *c)
{
	const struct layer_sts_data *d = check_layer_data(c, CHECK_DNS);

	return d != NULL ? d->answer : NULL;
}

const struct sts_record *
check_sts_record(const struct check *c)
{
	const struct layer_sts_data *d = check_layer_data(c, CHECK_DNS);

	return d != NULL ? d->sts : NULL;
}

const struct layer_class layer_sts_class = {
	.name = "dns",
	.budget_ms = BUDGET_DNS_LAYER_MS,
	.work = layer_sts_work,
	.judge = layer_sts_judge,
	.free = layer_sts_free,
	.cut_code = FINDING_STS_TXT_CUT,
	.cut_step = "the _mta-sts TXT lookup",
	.summary = layer_sts_summary,
	.load = layer_sts_load,
	.json = layer_sts_json,
};
