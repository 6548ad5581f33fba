#include "config.h"
#include "summary.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certinfo.h"
#include "dns.h"
#include "mx_lookup.h"
#include "mx_tls.h"
#include "dane.h"
#include "policy_fetch.h"
#include "policy_parse.h"
#include "provider.h"
#include "sts_record.h"
#include "tlsrpt_record.h"
#include "utf8.h"
#include "verdict.h"
#include "xmalloc.h"

static void summary_add(struct summary *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
summary_add(struct summary *s, const char *fmt, ...)
{
	va_list ap;

	if (s->n == SUMMARY_MAX_LINES)
		return;
	va_start(ap, fmt);
	s->line[s->n++] = xvasprintf(fmt, ap);
	va_end(ap);
}

void
summary_clear(struct summary *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->line[i]);
	s->n = 0;
}

char *
summary_duration(long long sec)
{
	if (sec >= 31557600 && sec % 86400 == 0 && sec / 86400 % 365 == 0)
		return xasprintf("%lld y", sec / 31536000);
	if (sec >= 86400 && sec % 86400 == 0)
		return xasprintf("%lld d", sec / 86400);
	if (sec >= 3600 && sec % 3600 == 0)
		return xasprintf("%lld h", sec / 3600);
	return xasprintf("%lld s", sec);
}

/* A sanitised copy of network text (caller frees). */
static char *
summary_clean(const char *p, size_t len, int ascii)
{
	return utf8_sanitize(p != NULL ? p : "", p != NULL ? len : 0, ascii);
}

static void
summary_dns(struct summary *s, const struct check *c, int ascii)
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

/* "valid 89 days", "expired", ...: the certificate in a few words. */
static const char *
summary_cert(const struct certinfo_chain *chain,
    const struct certinfo_verify	 *v)
{
	static char buf[64]; /* client thread only */

	if (v == NULL || chain == NULL || chain->ncerts == 0)
		return "not seen";
	if (v->verdict != CERTINFO_OK)
		return certinfo_verdict_name(v->verdict);
	snprintf(buf, sizeof(buf), "valid %ld days", chain->certs[0].days_left);
	return buf;
}

static void
summary_fetch(struct summary *s, const struct check *c, int ascii)
{
	const struct policy_fetch_result *r = check_fetch(c);
	const struct policy_fetch_addr	 *a;
	const struct dns_addrs		 *da = check_policy_host_addrs(c);
	const struct provider_result	 *d = check_delegation(c);
	char				 *ct;
	size_t				  i;

	if (d != NULL && d->host.owner != NULL && d->host.provider != NULL)
		summary_add(s, "delegated to %s via CNAME %s",
		    d->host.provider->name, d->host.target);
	else if (d != NULL && d->host.owner != NULL)
		summary_add(s,
		    "delegated by CNAME to %s (not a known provider)",
		    d->host.target);
	if (da != NULL && da->n == 0) {
		summary_add(s, "mta-sts.%s has no address (%s)",
		    check_domain(c),
		    da->error != NULL ? da->error : "no A or AAAA record");
		return;
	}
	if (r == NULL)
		return;
	for (i = 0; i < r->naddrs && s->n < SUMMARY_MAX_LINES; i++) {
		a = &r->addrs[i];
		if (a->outcome == POLICY_FETCH_OK ||
		    a->outcome == POLICY_FETCH_TOO_LARGE ||
		    a->outcome == POLICY_FETCH_CONTENT_TYPE) {
			ct = summary_clean(a->content_type,
			    a->content_type != NULL ? strlen(a->content_type)
						    : 0,
			    ascii);
			summary_add(s, "%s: %ld %s %zu B%s, %s, cert %s",
			    a->address, a->http_status,
			    a->content_type != NULL ? ct : "(no type)",
			    a->body_len, a->truncated ? "+" : "",
			    a->tls_version != NULL ? a->tls_version : "?",
			    summary_cert(a->chain, a->verify));
			free(ct);
		} else {
			ct = summary_clean(a->detail,
			    a->detail != NULL ? strlen(a->detail) : 0, ascii);
			summary_add(s, "%s: %s: %s", a->address,
			    policy_fetch_outcome_name(a->outcome), ct);
			free(ct);
		}
	}
}

static void
summary_policy(struct summary *s, const struct check *c)
{
	const struct policy *p = check_policy(c);
	char		    *d;

	if (p == NULL) {
		if (check_layer_skip_reason(c, CHECK_POLICY) != NULL)
			summary_add(s, "skipped: %s",
			    check_layer_skip_reason(c, CHECK_POLICY));
		return;
	}
	d = p->max_age >= 0 ? summary_duration(p->max_age) : xstrdup("missing");
	summary_add(s, "mode %s, %zu mx pattern%s, max_age %s%s",
	    policy_mode_name(p->mode), p->nmx, p->nmx == 1 ? "" : "s", d,
	    p->valid ? "" : " - INVALID: senders ignore it");
	free(d);
}

static void
summary_mx(struct summary *s, const struct check *c, int ascii)
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
summary_mx_tls(struct summary *s, const struct check *c)
{
	const struct mx_tls_result *r = check_mx_tls(c);
	const struct mx_tls_host   *h;
	size_t			    i, k;

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
summary_dane(struct summary *s, const struct check *c)
{
	const struct dane_result *r = check_dane(c);
	size_t			  i;

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
summary_tlsrpt(struct summary *s, const struct check *c, int ascii)
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
summary_verdict(struct summary *s, const struct check *c)
{
	const struct verdict *v = check_verdict(c);

	if (v == NULL)
		return;
	if (check_failure(c) != NULL) {
		summary_add(s, "Could not check: %s", check_failure(c));
		return;
	}
	summary_add(s, "%s", v->reason);
	summary_add(s, "%s", v->summary);
}

void
summary_layer(struct summary *s, const struct check *c, enum check_layer l,
    int ascii)
{
	memset(s, 0, sizeof(*s));
	switch (l) {
	case CHECK_DNS:
		summary_dns(s, c, ascii);
		break;
	case CHECK_FETCH:
		summary_fetch(s, c, ascii);
		break;
	case CHECK_POLICY:
		summary_policy(s, c);
		break;
	case CHECK_MX:
		summary_mx(s, c, ascii);
		break;
	case CHECK_MX_TLS:
		summary_mx_tls(s, c);
		break;
	case CHECK_DANE:
		summary_dane(s, c);
		break;
	case CHECK_TLSRPT:
		summary_tlsrpt(s, c, ascii);
		break;
	case CHECK_VERDICT:
		summary_verdict(s, c);
		break;
	default:
		if (check_layer_skip_reason(c, l) != NULL)
			summary_add(s, "skipped: %s",
			    check_layer_skip_reason(c, l));
		break;
	}
}
