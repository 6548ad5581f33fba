/*
 * layer_tlsrpt: the _smtp._tls TXT record (TLS-RPT).
 */
#include "config.h"
#include "layer.h"

#include <stdlib.h>

#include "budget.h"
#include "check_json.h"
#include "dns.h"
#include "jsonw.h"
#include "report_json.h"
#include "summary.h"
#include "tlsrpt_record.h"
#include "txt_lookup.h"
#include "txt_record.h"
#include "xmalloc.h"

static void
layer_tlsrpt_summary(struct summary *s, const struct check *c, int ascii)
{
	const struct dns_answer	   *a = check_tlsrpt_answer(c);
	const struct tlsrpt_record *r = check_tlsrpt_record(c);
	char			   *raw;

	if (a == NULL)
		return;
	if (r == NULL || r->raw == NULL) {
		summary_add(s, "%s: no v=TLSRPTv1 record (%s)", a->qname,
		    dns_status_name(a->status));
		return;
	}
	raw = summary_clean(r->raw, r->rawlen, ascii);
	summary_add(s, "%s", raw);
	free(raw);
	summary_add(s, "%zu destination%s, %s", r->nuris,
	    r->nuris == 1 ? "" : "s", r->usable ? "usable" : "UNUSABLE");
}

static void
layer_tlsrpt_json(struct jsonw *j, const struct check *c)
{
	if (check_tlsrpt_answer(c) != NULL)
		report_json_answer(j, check_tlsrpt_answer(c));
	report_json_tlsrpt(j, check_tlsrpt_record(c));
}

struct layer_tlsrpt_data {
	struct dns_answer    *answer;
	struct tlsrpt_record *rpt;
};

static void
layer_tlsrpt_free(void *p)
{
	struct layer_tlsrpt_data *d = p;

	dns_answer_free(d->answer);
	tlsrpt_record_free(d->rpt);
	free(d);
}

static void *
layer_tlsrpt_select(const struct txt_rr *rrs, size_t n, const char *name,
    struct finding_list *fl)
{
	return tlsrpt_record_select(rrs, n, name, fl);
}

static void
layer_tlsrpt_work(struct layer_job *job)
{
	struct layer_tlsrpt_data *d = job->out = xcalloc(1, sizeof(*d));
	char			 *name;

	name = xasprintf("_smtp._tls.%s", job->env->domain);
	d->answer = txt_lookup_query(job, name);
	if (d->answer->cut)
		finding_add(job->fl, FINDING_TLSRPT_CUT, name, 0,
		    "TXT lookup of %s cut by the layer's deadline after %u ms: "
		    "%s",
		    name, d->answer->elapsed_ms, d->answer->error);
	d->rpt = txt_lookup_select(d->answer, FINDING_TLSRPT_DNS_ERROR, name,
	    layer_tlsrpt_select, job->fl);
	free(name);
}

/* As the dns layer's: the stored answer and the record selected from it. */
static void *
layer_tlsrpt_load(const json_t *data, const json_t *doc, const struct check *c)
{
	struct layer_tlsrpt_data *d;
	struct finding_list	 *fl;
	struct dns_answer	 *a;

	(void)doc;
	(void)c;
	if ((a = check_json_answer(data)) == NULL)
		return NULL;
	d = xcalloc(1, sizeof(*d));
	d->answer = a;
	fl = finding_list_new();
	d->rpt = txt_lookup_select(a, FINDING_TLSRPT_DNS_ERROR, a->qname,
	    layer_tlsrpt_select, fl);
	finding_list_free(fl);
	return d;
}

static int
layer_tlsrpt_judge(struct check *c, struct layer_job *job)
{
	check_layer_take(c, CHECK_TLSRPT, job);
	check_layer_finish(c, CHECK_TLSRPT,
	    check_layer_elapsed_ms(c, CHECK_TLSRPT));
	return 1;
}

const struct dns_answer *
check_tlsrpt_answer(const struct check *c)
{
	const struct layer_tlsrpt_data *d = check_layer_data(c, CHECK_TLSRPT);

	return d != NULL ? d->answer : NULL;
}

const struct tlsrpt_record *
check_tlsrpt_record(const struct check *c)
{
	const struct layer_tlsrpt_data *d = check_layer_data(c, CHECK_TLSRPT);

	return d != NULL ? d->rpt : NULL;
}

const struct layer_class layer_tlsrpt_class = {
	.name = "tlsrpt",
	.budget_ms = BUDGET_DNS_LAYER_MS,
	.work = layer_tlsrpt_work,
	.judge = layer_tlsrpt_judge,
	.free = layer_tlsrpt_free,
	.cut_code = FINDING_TLSRPT_CUT,
	.cut_step = "the _smtp._tls TXT lookup",
	.summary = layer_tlsrpt_summary,
	.json = layer_tlsrpt_json,
	.load = layer_tlsrpt_load,
};
