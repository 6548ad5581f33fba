#include "config.h"
#include "txt_lookup.h"

#include <stdlib.h>

#include "dns.h"
#include "layer.h"
#include "txt_record.h"
#include "xmalloc.h"

struct dns_answer *
txt_lookup_query(const struct layer_job *job, const char *name)
{
	struct dns_options o = job->env->dns;

	o.deadline_ms = job->deadline;
	return dns_query(&o, name, DNS_TYPE_TXT);
}

int
txt_lookup_failed(const struct dns_answer *a, enum finding_code code,
    struct finding_list *fl)
{
	switch (a->status) {
	case DNS_OK:
	case DNS_NODATA:
	case DNS_NXDOMAIN:
		return 0;
	default:
		finding_add(fl, code, a->qname, 0,
		    "TXT lookup of %s failed: %s", a->qname,
		    a->error != NULL ? a->error : dns_status_name(a->status));
		return 1;
	}
}

struct txt_rr *
txt_lookup_rrs(const struct dns_answer *a, struct txt_string **strs)
{
	struct txt_rr *rrs;
	size_t	       i, j, n = 0;

	for (i = 0; i < a->nrr; i++)
		n += a->rr[i].nstr;
	rrs = xcalloc(a->nrr + 1, sizeof(*rrs));
	*strs = xcalloc(n + 1, sizeof(**strs));
	n = 0;
	for (i = 0; i < a->nrr; i++) {
		rrs[i].strings = *strs + n;
		rrs[i].nstrings = a->rr[i].nstr;
		for (j = 0; j < a->rr[i].nstr; j++, n++) {
			(*strs)[n].data = a->rr[i].str[j].data;
			(*strs)[n].len = a->rr[i].str[j].len;
		}
	}
	return rrs;
}

void *
txt_lookup_select(const struct dns_answer *a, enum finding_code dns_error,
    const char *name, txt_lookup_select_fn *select, struct finding_list *fl)
{
	struct txt_string *strs;
	struct txt_rr	  *rrs;
	void		  *rec;

	if (txt_lookup_failed(a, dns_error, fl))
		return NULL;
	rrs = txt_lookup_rrs(a, &strs);
	rec = select(rrs, a->nrr, name, fl);
	free(rrs);
	free(strs);
	return rec;
}
