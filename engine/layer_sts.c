/*
 * layer_sts: the _mta-sts TXT record (JSON and catalog name "dns").
 */
#include "config.h"
#include "layer.h"

#include <stdlib.h>

#include "dns.h"
#include "jsonw.h"
#include "provider.h"
#include "report_json.h"
#include "sts_record.h"
#include "summary.h"

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

const struct layer_class layer_sts_class = {
	.name = "dns",
	.cut_code = FINDING_STS_TXT_CUT,
	.cut_step = "the _mta-sts TXT lookup",
	.summary = layer_sts_summary,
	.json = layer_sts_json,
};
