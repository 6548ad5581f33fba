#include "config.h"
#include "verdict_facts.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "dane.h"
#include "dns.h"
#include "finding.h"
#include "mx_lookup.h"
#include "mx_tls.h"
#include "policy_fetch.h"
#include "policy_parse.h"
#include "smtp_probe.h"
#include "sts_record.h"
#include "tlsrpt_record.h"
#include "xmalloc.h"

/* Everything the input points into, freed together. */
struct verdict_facts {
	struct verdict_input	input;
	struct verdict_policy	strict, lenient;
	struct policy	       *lenient_policy;
	const char	      **strict_pat, **lenient_pat;
	struct verdict_host_in *hosts;
	struct verdict_addr_in *addrs;
};

/* The first error of a layer: why its part is unusable. */
static enum finding_code
verdict_facts_first_error(const struct finding_list *fl, enum finding_code dflt)
{
	const struct finding *f;
	size_t		      i;

	for (i = 0; fl != NULL && i < finding_list_count(fl); i++) {
		f = finding_list_get(fl, i);
		if (f->severity == FINDING_ERROR)
			return f->code;
	}
	return dflt;
}

static const char **
verdict_facts_policy(struct verdict_policy *vp, const struct policy *p)
{
	const char **pat;
	size_t	     i;

	pat = xcalloc(p->nmx + 1, sizeof(*pat));
	for (i = 0; i < p->nmx; i++)
		pat[i] = p->mx[i].pattern;
	vp->mode = p->mode;
	vp->patterns = pat;
	vp->npatterns = p->nmx;
	vp->max_age = p->max_age;
	return pat;
}

/*
 * The body lenient senders may take where the strict reading has none: a
 * 200 answer refused only for its size (they truncate and apply it) or
 * one the strict grammar rejects (indentation, blank lines, a BOM).
 */
static void
verdict_facts_lenient(struct verdict_facts *vf, const struct check *c)
{
	const struct policy_fetch_result *fr = check_fetch(c);
	const struct policy		 *p = check_policy(c);
	const struct policy_fetch_addr	 *a;
	size_t				  i;

	if (p != NULL && p->valid)
		return;
	for (i = 0; fr != NULL && i < fr->naddrs; i++) {
		a = &fr->addrs[i];
		if (a->body == NULL || a->http_status != 200 ||
		    (a->outcome != POLICY_FETCH_OK &&
			a->outcome != POLICY_FETCH_TOO_LARGE))
			continue;
		vf->lenient_policy = policy_parse_lenient(a->body, a->body_len);
		if (vf->lenient_policy != NULL) {
			vf->lenient_pat = verdict_facts_policy(&vf->lenient,
			    vf->lenient_policy);
			vf->input.lenient = &vf->lenient;
			vf->input.lenient_why =
			    a->outcome == POLICY_FETCH_TOO_LARGE
			    ? "truncate the oversized policy and apply it"
			    : "strip the white space and blank lines the "
			      "grammar forbids, and apply the policy";
		}
		return;
	}
}

static const struct dane_host *
verdict_facts_dane_host(const struct dane_result *d, const char *name)
{
	size_t i;

	for (i = 0; d != NULL && i < d->nhosts; i++)
		if (strcasecmp(d->hosts[i].name, name) == 0)
			return &d->hosts[i];
	return NULL;
}

/*
 * DANE-5: where a DANE sender will not deliver to this address whatever
 * MTA-STS says (RFC 8461 section 2): the TLSA lookup fails validation, a
 * secure TLSA RRset with no TLS session, or usable records none matches.
 */
static void
verdict_facts_dane(const struct check *c, const char *host,
    const struct mx_tls_addr *a, struct verdict_addr_in *va)
{
	const struct dane_result *d = check_dane(c);
	const struct dane_host	 *h = verdict_facts_dane_host(d, host);
	struct dane_match	  m;

	if (h == NULL)
		return;
	if (h->dnssec == DANE_DNSSEC_BOGUS && h->status != DNS_NXDOMAIN &&
	    h->status != DNS_NODATA) {
		va->dane_refuses = 1;
		va->dane_code = FINDING_DANE_LOOKUP_ERROR;
		va->dane_why = "the TLSA lookup fails (bogus or no answer): "
			       "DANE senders defer";
		return;
	}
	if (h->dnssec != DANE_DNSSEC_SECURE || h->nrrs == 0)
		return;
	if (a->probe == NULL || !a->probe->tls) {
		va->dane_refuses = a->probe != NULL;
		va->dane_code = FINDING_DANE_NO_TLS;
		va->dane_why = "secure TLSA records and no TLS session: DANE "
			       "senders do not deliver here";
		return;
	}
	if (h->nusable == 0 || a->probe->chain == NULL)
		return;
	dane_match(&m, h, d->domain, d->mx_ad, a, check_mx_tls(c)->now);
	if (m.status == DANE_MATCH_FAIL) {
		va->dane_refuses = 1;
		va->dane_code = FINDING_DANE_MISMATCH;
		va->dane_why = "the DNSSEC-secure TLSA records match no "
			       "certificate served here: DANE senders defer";
	}
	dane_match_clear(&m);
}

static const struct mx_tls_host *
verdict_facts_tls_host(const struct mx_tls_result *t, size_t i,
    const char *name)
{
	if (t == NULL || i >= t->nhosts || strcmp(t->hosts[i].name, name) != 0)
		return NULL;
	return &t->hosts[i];
}

static void
verdict_facts_hosts(struct verdict_facts *vf, const struct check *c)
{
	const struct mx_set	   *mx = check_mx(c);
	const struct mx_tls_result *tls = check_mx_tls(c);
	const struct mx_tls_host   *th;
	struct verdict_addr_in	   *va;
	enum finding_code	    code;
	const char		   *why;
	size_t			    i, j, n = 0;
	int			    blocked;

	for (i = 0; i < mx->nhost; i++)
		n += mx->host[i].addrs.n;
	for (i = 0; tls != NULL && i < tls->nhosts; i++)
		n += tls->hosts[i].naddrs;
	vf->addrs = xcalloc(n + 1, sizeof(*vf->addrs));
	vf->hosts = xcalloc(mx->nhost + 1, sizeof(*vf->hosts));
	blocked = tls != NULL && mx_tls_port25_blocked(tls);
	va = vf->addrs;
	for (i = 0; i < mx->nhost; i++) {
		vf->hosts[i].name = mx->host[i].name;
		vf->hosts[i].pref = mx->host[i].pref;
		vf->hosts[i].ip_literal = mx->host[i].ip_literal;
		vf->hosts[i].addrs = va;
		th = verdict_facts_tls_host(tls, i, mx->host[i].name);
		if (th == NULL || th->skipped) {
			/* Not probed: the addresses exist, the outcome is
			 * not known. */
			for (j = 0; j < mx->host[i].addrs.n; j++, va++) {
				va->address = mx->host[i].addrs.addr[j];
				va->tls = VERDICT_TLS_UNKNOWN;
			}
			vf->hosts[i].naddrs = mx->host[i].addrs.n;
			continue;
		}
		for (j = 0; j < th->naddrs; j++, va++) {
			va->address = th->addrs[j].address;
			switch (
			    mx_tls_addr_outcome(&th->addrs[j], &code, &why)) {
			case MX_TLS_OUTCOME_OK:
				va->tls = VERDICT_TLS_OK;
				break;
			case MX_TLS_OUTCOME_BAD:
				va->tls = VERDICT_TLS_BAD;
				break;
			case MX_TLS_OUTCOME_UNREACHABLE:
				va->tls = blocked ? VERDICT_TLS_UNKNOWN
						  : VERDICT_TLS_UNREACHABLE;
				break;
			default:
				va->tls = VERDICT_TLS_UNKNOWN;
				break;
			}
			va->code = code;
			va->why = why;
			verdict_facts_dane(c, th->name, &th->addrs[j], va);
		}
		vf->hosts[i].naddrs = th->naddrs;
	}
	vf->input.hosts = vf->hosts;
	vf->input.nhosts = mx->nhost;
}

static void
verdict_facts_mx(struct verdict_facts *vf, const struct check *c)
{
	const struct mx_set *mx = check_mx(c);

	if (mx == NULL) {
		vf->input.mx_state = VERDICT_MX_DNS_ERROR;
		return;
	}
	if (mx->null_mx && mx->nhost == 0)
		vf->input.mx_state = VERDICT_MX_NULL;
	else if (mx->status == DNS_NXDOMAIN)
		vf->input.mx_state = VERDICT_MX_NXDOMAIN;
	else if (mx->status != DNS_OK && mx->status != DNS_NODATA)
		vf->input.mx_state = VERDICT_MX_DNS_ERROR;
	else
		vf->input.mx_state = VERDICT_MX_OK;
	if (vf->input.mx_state == VERDICT_MX_OK)
		verdict_facts_hosts(vf, c);
}

struct verdict *
verdict_facts_judge(const struct check *c, long long now,
    const struct verdict_reports *rep, const struct finding_list *const *layers,
    size_t nlayers, struct finding_list *fl)
{
	const struct sts_record		 *sts = check_sts_record(c);
	const struct policy_fetch_result *fr = check_fetch(c);
	const struct policy		 *p = check_policy(c);
	const struct tlsrpt_record	 *rpt = check_tlsrpt_record(c);
	const struct dns_answer		 *ans = check_sts_answer(c);
	struct verdict_facts		  vf;
	struct verdict_input		 *in = &vf.input;
	struct verdict			 *v;

	memset(&vf, 0, sizeof(vf));
	in->domain = check_domain(c);
	in->now = now;
	in->txt_present = sts != NULL && sts->status != STS_RECORD_NONE;
	in->txt_valid = sts != NULL && sts->valid;
	in->txt_lenient = sts != NULL && sts->status == STS_RECORD_MULTIPLE &&
	    sts->first_valid;
	in->txt_code = ans != NULL &&
		(ans->status == DNS_SERVFAIL || ans->status == DNS_TIMEOUT ||
		    ans->status == DNS_REFUSED || ans->status == DNS_ERROR)
	    ? FINDING_STS_TXT_DNS_ERROR
	    : verdict_facts_first_error(check_layer_findings(c, CHECK_DNS),
		  FINDING_STS_TXT_MISSING);
	in->fetched = fr != NULL && fr->body != NULL;
	in->fetch_code = verdict_facts_first_error(
	    check_layer_findings(c, CHECK_FETCH), FINDING_FETCH_CONNECT_FAILED);
	if (p != NULL && p->valid) {
		vf.strict_pat = verdict_facts_policy(&vf.strict, p);
		in->strict = &vf.strict;
	}
	in->policy_code = verdict_facts_first_error(
	    check_layer_findings(c, CHECK_POLICY), FINDING_POLICY_SYNTAX);
	verdict_facts_lenient(&vf, c);
	verdict_facts_mx(&vf, c);
	/*
	 * Not probing was asked for, unless the network cut it off: port 25
	 * blocked, or the deadline came first (a cut address is not
	 * examined, VERDICT_TLS_UNKNOWN).
	 */
	in->unknown_by_choice = !check_layer_cut(c, CHECK_MX_TLS) &&
	    !check_addr_cut(c) &&
	    (check_mx_tls(c) == NULL ||
		!mx_tls_port25_blocked(check_mx_tls(c)));
	in->tlsrpt_usable = rpt != NULL && rpt->usable;
	in->evidence = !rep->given ? VERDICT_EVIDENCE_NOT_GIVEN
	    : rep->clean	   ? VERDICT_EVIDENCE_CLEAN
				   : VERDICT_EVIDENCE_NOT_CLEAN;
	in->evidence_why = rep->why;
	in->layers = layers;
	in->nlayers = nlayers;

	v = verdict_judge(in, fl);

	free(vf.strict_pat);
	free(vf.lenient_pat);
	policy_free(vf.lenient_policy);
	free(vf.hosts);
	free(vf.addrs);
	return v;
}
