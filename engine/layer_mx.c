/*
 * layer_mx: the MX hosts and whether the policy covers them.
 */
#include "config.h"
#include "layer.h"

#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "jsonw.h"
#include "mx_lookup.h"
#include "report_json.h"
#include "summary.h"

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

const struct layer_class layer_mx_class = {
	.name = "mx",
	.cut_code = FINDING_MX_CUT,
	.cut_step = "the MX lookup",
	.summary = layer_mx_summary,
	.json = layer_mx_json,
};
