/*
 * layer_tlsrpt: the _smtp._tls TXT record (TLS-RPT).
 */
#include "config.h"
#include "layer.h"

#include <stdlib.h>

#include "dns.h"
#include "jsonw.h"
#include "report_json.h"
#include "summary.h"
#include "tlsrpt_record.h"

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

const struct layer_class layer_tlsrpt_class = {
	.name = "tlsrpt",
	.cut_code = FINDING_TLSRPT_CUT,
	.cut_step = "the _smtp._tls TXT lookup",
	.summary = layer_tlsrpt_summary,
	.json = layer_tlsrpt_json,
};
