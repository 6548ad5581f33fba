/*
 * layer_fetch: the HTTPS fetch of the policy and who hosts it.
 */
#include "config.h"
#include "layer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certinfo.h"
#include "dns.h"
#include "jsonw.h"
#include "policy_fetch.h"
#include "provider.h"
#include "report_json.h"
#include "summary.h"

/* "valid 89 days", "expired", ...: the certificate in a few words. */
static const char *
layer_fetch_cert(const struct certinfo_chain *chain,
    const struct certinfo_verify	     *v)
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
layer_fetch_summary(struct summary *s, const struct check *c, int ascii)
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
			    layer_fetch_cert(a->chain, a->verify));
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
report_json_fetch(struct jsonw *j, const struct dns_addrs *da,
    const struct policy_fetch_result *r, const struct provider_result *dg)
{
	const struct policy_fetch_addr *a;
	size_t				i;

	if (da != NULL) {
		jsonw_object_begin(j, "resolution");
		jsonw_string(j, "a", dns_status_name(da->status4));
		jsonw_string(j, "aaaa", dns_status_name(da->status6));
		report_json_strings(j, "addresses", da->addr, da->n);
		report_json_strings(j, "cname_chain", da->cname, da->ncname);
		jsonw_string(j, "error", da->error);
		jsonw_object_end(j);
	}
	if (dg != NULL)
		report_json_delegation(j, dg, &dg->host);
	if (r == NULL)
		return;
	jsonw_string(j, "url", r->url);
	if (r->body_addr >= 0)
		jsonw_string(j, "body_from", r->addrs[r->body_addr].address);
	else
		jsonw_null(j, "body_from");
	jsonw_array_begin(j, "attempts");
	for (i = 0; i < r->naddrs; i++) {
		a = &r->addrs[i];
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "address", a->address);
		jsonw_int(j, "family", a->family);
		jsonw_int(j, "elapsed_ms", a->elapsed_ms);
		jsonw_string(j, "outcome",
		    policy_fetch_outcome_name(a->outcome));
		jsonw_string(j, "detail", a->detail);
		if (a->http_status > 0)
			jsonw_int(j, "http_status", a->http_status);
		else
			jsonw_null(j, "http_status");
		jsonw_object_begin(j, "headers");
		jsonw_string(j, "content-type", a->content_type);
		jsonw_string(j, "location", a->location);
		jsonw_string(j, "cache-control", a->cache_control);
		jsonw_object_end(j);
		jsonw_uint(j, "body_length", a->body_len);
		jsonw_bool(j, "truncated", a->truncated);
		jsonw_string(j, "tls_version", a->tls_version);
		jsonw_string(j, "tls_cipher", a->tls_cipher);
		if (a->chain != NULL)
			report_json_chain(j, "chain", a->chain, a->verify);
		else
			jsonw_null(j, "chain");
		jsonw_string(j, "curl_error", a->curl_error);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
}

static void
layer_fetch_json(struct jsonw *j, const struct check *c)
{
	report_json_fetch(j, check_policy_host_addrs(c), check_fetch(c),
	    check_delegation(c));
}

const struct layer_class layer_fetch_class = {
	.name = "fetch",
	.cut_code = FINDING_FETCH_CUT,
	.cut_step = "the policy host lookup and HTTPS fetch",
	.summary = layer_fetch_summary,
	.json = layer_fetch_json,
};
