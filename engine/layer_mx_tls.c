/*
 * layer_mx_tls: STARTTLS on port 25 of every MX address, as shown.
 */
#include "config.h"
#include "layer.h"

#include <stdlib.h>

#include "certinfo.h"
#include "jsonw.h"
#include "layer_mx_tls.h"
#include "mx_tls.h"
#include "report_json.h"
#include "smtp_probe.h"
#include "strbuf.h"
#include "summary.h"

char *
mx_tls_summary(const struct mx_tls_result *res, const struct mx_tls_host *h,
    const struct mx_tls_addr *a)
{
	const struct smtp_probe_result *p;
	const struct certinfo_verify   *v;
	struct strbuf			sb;
	size_t				idx;
	long				days;

	strbuf_init(&sb, 1024);
	if (a == NULL) {
		strbuf_addf(&sb, "%s: %s", h->name,
		    h->skipped		 ? "skipped (--skip-mx)"
			: h->naddrs == 0 ? "no address"
					 : "not probed");
		return strbuf_detach(&sb, NULL);
	}
	strbuf_addf(&sb, "%s %s: ", h->name, a->address);
	if (h->skipped || (p = a->probe) == NULL) {
		strbuf_addstr(&sb,
		    h->skipped	    ? "skipped (--skip-mx)"
			: a->capped ? "not probed (over the address cap)"
			: a->cut    ? "not probed (the deadline came first)"
				    : "not probed");
		return strbuf_detach(&sb, NULL);
	}
	if (p->fail != SMTP_PROBE_OK && !p->tls) {
		if (p->fail == SMTP_PROBE_FAIL_NOTLS)
			strbuf_addstr(&sb, "no STARTTLS");
		else if (p->fail_state == SMTP_PROBE_HANDSHAKE &&
		    mx_tls_legacy_ok(a))
			strbuf_addf(&sb, "STARTTLS, only %s",
			    a->legacy->tls_version);
		else
			strbuf_addf(&sb, "failed at %s: %s", mx_tls_where(p),
			    p->reason);
		return strbuf_detach(&sb, NULL);
	}
	strbuf_addf(&sb, "STARTTLS, %s",
	    p->tls_version != NULL ? p->tls_version : "TLS");
	v = a->verify;
	if (v == NULL)
		strbuf_addstr(&sb, ", no certificate");
	else if (v->problems == 0 && p->chain != NULL && p->chain->ncerts > 0) {
		days = mx_tls_min_days(p->chain, v, &idx);
		strbuf_addf(&sb, ", cert valid %ld day%s", days,
		    days == 1 ? "" : "s");
	} else
		strbuf_addf(&sb, ", cert %s",
		    certinfo_verdict_name(v->verdict));
	if (a->nosni != NULL && !a->nosni->tls)
		strbuf_addstr(&sb, ", fails without SNI");
	if (mx_tls_legacy_ok(a))
		strbuf_addf(&sb, ", also %s", a->legacy->tls_version);
	if (p->starttls_repeated)
		strbuf_addstr(&sb, ", STARTTLS offered again");
	if (p->fail != SMTP_PROBE_OK)
		strbuf_addf(&sb, ", then failed at %s", mx_tls_where(p));
	(void)res;
	return strbuf_detach(&sb, NULL);
}

static void
layer_mx_tls_summary(struct summary *s, const struct check *c, int ascii)
{
	const struct mx_tls_result *r = check_mx_tls(c);
	const struct mx_tls_host   *h;
	size_t			    i, k;

	(void)ascii;
	if (r == NULL) {
		if (check_layer_skip_reason(c, CHECK_MX_TLS) != NULL)
			summary_add(s, "skipped: %s",
			    check_layer_skip_reason(c, CHECK_MX_TLS));
		return;
	}
	for (i = 0; i < r->nhosts && s->n < SUMMARY_MAX_LINES; i++) {
		h = &r->hosts[i];
		if (h->skipped || h->naddrs == 0) {
			s->line[s->n++] = mx_tls_summary(r, h, NULL);
			continue;
		}
		for (k = 0; k < h->naddrs && s->n < SUMMARY_MAX_LINES; k++)
			s->line[s->n++] = mx_tls_summary(r, h, &h->addrs[k]);
	}
}

static void
layer_mx_tls_json(struct jsonw *j, const struct check *c)
{
	if (check_mx_tls(c) != NULL)
		report_json_mx_tls(j, check_mx_tls(c));
}

const struct layer_class layer_mx_tls_class = {
	.name = "mx_tls",
	.needs = LAYER_BIT(CHECK_MX),
	.cut_code = FINDING_MX_TLS_CUT,
	.cut_step = "the STARTTLS probes",
	.cut_unstarted = "the MX set was not known yet",
	.summary = layer_mx_tls_summary,
	.json = layer_mx_tls_json,
};
