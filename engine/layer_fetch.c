/*
 * layer_fetch: the HTTPS fetch of the policy and who hosts it.
 */
#include "config.h"
#include "layer.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "certinfo.h"
#include "check_json.h"
#include "clock.h"
#include "dns.h"
#include "jsonw.h"
#include "mx_tls.h"
#include "policy_fetch.h"
#include "provider.h"
#include "report_json.h"
#include "summary.h"
#include "xmalloc.h"

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

struct layer_fetch_data {
	int			    have_addrs; /* 0: the lookup was cut */
	struct dns_addrs	    addrs;	/* the policy host's */
	struct policy_fetch_result *fetch;
	struct provider_result	   *delegation;
};

static void
layer_fetch_free(void *p)
{
	struct layer_fetch_data *d = p;

	dns_addrs_free(&d->addrs);
	policy_fetch_result_free(d->fetch);
	provider_result_free(d->delegation);
	free(d);
}

/* A stored delegation (report_json_delegation); owner is not stored. */
static void
layer_fetch_load_delegation(struct provider_delegation *dg, const json_t *o,
    const char *owner)
{
	const char *name = check_json_str(o, "provider");
	size_t	    i;

	if (!json_is_object(o))
		return;
	dg->owner = xstrdup(owner);
	dg->cname = check_json_strdup(o, "cname");
	dg->target = check_json_strdup(o, "target");
	for (i = 0; name != NULL && i < provider_count(); i++)
		if (strcmp(name, provider_get(i)->name) == 0)
			dg->provider = provider_get(i);
}

/*
 * Who hosts the policy: the fetch layer's "delegation" (mta-sts.DOMAIN)
 * and the dns layer's (_mta-sts.DOMAIN), present when the live check had
 * judged it.
 */
/* The data object of another layer of the stored document, or NULL. */
static const json_t *
layer_fetch_doc_data(const json_t *doc, enum check_layer l)
{
	const json_t *layers = check_json_array(doc, "layers"), *o;
	const char   *s;
	size_t	      i;

	for (i = 0; i < check_json_count(layers, 64); i++) {
		o = json_array_get(layers, i);
		if ((s = check_json_str(o, "id")) != NULL &&
		    strcmp(s, check_layer_name(l)) == 0)
			return check_json_object(o, "data");
	}
	return NULL;
}

static struct provider_result *
layer_fetch_load_provider(const json_t *data, const json_t *doc,
    const struct check *c)
{
	const json_t	       *dns = layer_fetch_doc_data(doc, CHECK_DNS);
	const json_t	       *o;
	struct provider_result *res;
	const char	       *s;
	char		       *owner;
	int			e;

	if (json_object_get(data, "delegation") == NULL)
		return NULL;
	res = xcalloc(1, sizeof(*res));
	o = json_object_get(data, "delegation");
	owner = xasprintf("mta-sts.%s", check_domain(c));
	layer_fetch_load_delegation(&res->host, o, owner);
	free(owner);
	s = check_json_str(o, "state");
	for (e = PROVIDER_STATE_NONE;
	     s != NULL && e <= PROVIDER_STATE_MODE_NONE; e++)
		if (strcmp(s, provider_state_name(e)) == 0)
			res->state = e;
	owner = xasprintf("_mta-sts.%s", check_domain(c));
	layer_fetch_load_delegation(&res->txt,
	    json_object_get(dns, "delegation"), owner);
	free(owner);
	return res;
}

/* The attempts and their chains (the chain view), the resolution and the
 * delegation. */
static void *
layer_fetch_load(const json_t *data, const json_t *doc, const struct check *c)
{
	const json_t		   *at = check_json_array(data, "attempts");
	const json_t		   *res = check_json_object(data, "resolution");
	const json_t		   *ao, *ch, *hd;
	json_t			   *body;
	struct layer_fetch_data	   *d;
	struct policy_fetch_result *r;
	struct policy_fetch_addr   *a;
	const char		   *s, *from;
	size_t i, n = check_json_count(at, BUDGET_FETCH_MAX_ADDRS);
	int    e;

	if (data == NULL)
		return NULL;
	d = xcalloc(1, sizeof(*d));
	dns_addrs_init(&d->addrs);
	if (res != NULL) {
		d->have_addrs = 1;
		d->addrs.addr = check_json_strings(res, "addresses",
		    BUDGET_FETCH_MAX_ADDRS, &d->addrs.n);
		d->addrs.error = check_json_strdup(res, "error");
		d->addrs.cname = check_json_strings(res, "cname_chain", 16,
		    &d->addrs.ncname);
		for (e = DNS_OK; e <= DNS_ERROR; e++) {
			if ((s = check_json_str(res, "a")) != NULL &&
			    strcmp(s, dns_status_name(e)) == 0)
				d->addrs.status4 = e;
			if ((s = check_json_str(res, "aaaa")) != NULL &&
			    strcmp(s, dns_status_name(e)) == 0)
				d->addrs.status6 = e;
		}
	}
	d->delegation = layer_fetch_load_provider(data, doc, c);
	if (at == NULL)
		return d;
	r = d->fetch = xcalloc(1, sizeof(*r));
	r->host = xasprintf("mta-sts.%s", check_domain(c));
	r->url = check_json_strdup(data, "url");
	r->body_addr = -1;
	r->findings = finding_list_new();
	r->addrs = xcalloc(n + 1, sizeof(*r->addrs));
	from = check_json_str(data, "body_from");
	for (i = 0; i < n; i++) {
		ao = json_array_get(at, i);
		if (check_json_str(ao, "address") == NULL)
			continue;
		a = &r->addrs[r->naddrs++];
		a->address = check_json_strdup(ao, "address");
		a->family = (int)check_json_int(ao, "family", 0, 6, 0);
		a->elapsed_ms =
		    (long)check_json_int(ao, "elapsed_ms", 0, LONG_MAX, 0);
		a->outcome = POLICY_FETCH_HTTP_ERROR;
		s = check_json_str(ao, "outcome");
		for (e = POLICY_FETCH_OK;
		     s != NULL && e <= POLICY_FETCH_TOO_LARGE; e++)
			if (strcmp(s, policy_fetch_outcome_name(e)) == 0)
				a->outcome = e;
		a->detail = check_json_strdup(ao, "detail");
		a->http_status =
		    (long)check_json_int(ao, "http_status", 0, 999, 0);
		hd = check_json_object(ao, "headers");
		a->content_type = check_json_strdup(hd, "content-type");
		a->location = check_json_strdup(hd, "location");
		a->cache_control = check_json_strdup(hd, "cache-control");
		a->truncated = check_json_bool(ao, "truncated");
		/* Only the body that was used is stored (the policy's). */
		a->body_len = (size_t)check_json_int(ao, "body_length", 0,
		    POLICY_FETCH_MAX_BODY, 0);
		a->tls_version = check_json_strdup(ao, "tls_version");
		a->tls_cipher = check_json_strdup(ao, "tls_cipher");
		a->curl_error = check_json_strdup(ao, "curl_error");
		if ((ch = check_json_object(ao, "chain")) != NULL)
			check_json_chain(ch, &a->chain, &a->verify);
		if (from != NULL && r->body_addr < 0 &&
		    strcmp(from, a->address) == 0 &&
		    json_is_string(
			body = json_object_get(
			    layer_fetch_doc_data(doc, CHECK_POLICY), "body"))) {
			r->body_addr = (long)(r->naddrs - 1);
			a->body_len = json_string_length(body);
			a->body = xmalloc(a->body_len + 1);
			memcpy(a->body, json_string_value(body),
			    a->body_len + 1);
			r->body = a->body;
			r->body_len = a->body_len;
		}
	}
	return d;
}

static void
layer_fetch_work(struct layer_job *job)
{
	const struct layer_env	   *env = job->env;
	struct layer_fetch_data	   *d = job->out = xcalloc(1, sizeof(*d));
	struct policy_fetch_options fo;
	struct dns_options	    dno = env->dns;
	char			   *host, *cause = NULL;
	int64_t			    t0 = clock_ms();

	host = xasprintf("mta-sts.%s", env->domain);
	d->have_addrs = 1;
	dno.deadline_ms = job->deadline;
	dns_resolve_addrs(&dno, host, env->family, &d->addrs);
	if (d->addrs.n == 0 && clock_ms() >= job->deadline) {
		finding_add(job->fl, FINDING_FETCH_CUT, host, 0,
		    "the address lookup of %s was cut by the layer's "
		    "deadline after %ld ms: nothing was fetched",
		    host, (long)(clock_ms() - t0));
		free(host);
		return;
	}
	if (d->addrs.n == 0) {
		/* Say why: no such name is not the same as a failed lookup. */
		finding_add(job->fl, FINDING_FETCH_HOST_UNRESOLVABLE, host, 0,
		    "%s has no %saddress: %s", host,
		    env->family == 4	   ? "IPv4 "
			: env->family == 6 ? "IPv6 "
					   : "",
		    d->addrs.error != NULL ? d->addrs.error
					   : "no A or AAAA record");
		free(host);
		return;
	}
	memset(&fo, 0, sizeof(fo));
	fo.ca_file = env->ca_file;
	fo.connect_timeout_ms = budget_ms(BUDGET_FETCH_CONNECT_MS, env->scale);
	fo.total_timeout_ms = budget_ms(BUDGET_FETCH_TOTAL_MS, env->scale);
	fo.deadline_ms = job->deadline;
	fo.family = env->family;
	fo.port = env->fetch_port;
	fo.now = env->now;
	fo.share = env->share;
	d->fetch = policy_fetch(host, (const char *const *)d->addrs.addr,
	    d->addrs.n, &fo, &cause);
	if (d->fetch == NULL) {
		finding_add(job->fl, FINDING_FETCH_CONNECT_FAILED, host, 0,
		    "The policy fetch could not start: %s", cause);
		free(cause);
	} else {
		finding_list_move(job->fl, d->fetch->findings);
		if (d->fetch->cut)
			finding_add(job->fl, FINDING_FETCH_CUT, host, 0,
			    "the fetch from %s was cut by the layer's "
			    "deadline after %ld ms",
			    host, (long)(clock_ms() - t0));
	}
	free(host);
}

/* fetch.expiring_soon: a valid policy host certificate about to lapse. */
static void
layer_fetch_expiry(struct check *c, const struct policy_fetch_result *r)
{
	const struct policy_fetch_addr *a;
	int    warn = check_env(c)->tls.expiry_warn_days;
	size_t i;

	if (warn <= 0)
		warn = MX_TLS_EXPIRY_WARN_DAYS;
	for (i = 0; r != NULL && i < r->naddrs; i++) {
		a = &r->addrs[i];
		if (a->verify == NULL || a->verify->verdict != CERTINFO_OK ||
		    a->chain == NULL || a->chain->ncerts == 0 ||
		    a->chain->certs[0].days_left >= warn)
			continue;
		finding_add(check_layer_fl(c, CHECK_FETCH),
		    FINDING_FETCH_EXPIRING_SOON, a->address, 0,
		    "The certificate of %s at %s expires in %ld day%s "
		    "(warning threshold %d)",
		    r->host, a->address, a->chain->certs[0].days_left,
		    a->chain->certs[0].days_left == 1 ? "" : "s", warn);
	}
}

static int
layer_fetch_judge(struct check *c, struct layer_job *job)
{
	check_layer_take(c, CHECK_FETCH, job);
	layer_fetch_expiry(c, check_fetch(c));
	check_layer_finish(c, CHECK_FETCH,
	    check_layer_elapsed_ms(c, CHECK_FETCH));
	return 1;
}

/*
 * Delegation (provider.h): once the TXT chain, the policy host's chain and
 * the fetch and policy layers are known, name the provider and diagnose a
 * failing fetch in the fetch layer.
 */
static int
layer_fetch_late(struct check *c)
{
	struct layer_fetch_data *d = check_layer_data(c, CHECK_FETCH);
	const struct dns_answer *txt = check_sts_answer(c);
	const struct dns_addrs	*ha;
	struct provider_input	 in;

	/* Cut before it finished: judged on nothing fetched. */
	if (d == NULL)
		check_layer_set_data(c, CHECK_FETCH,
		    d = xcalloc(1, sizeof(*d)));
	ha = &d->addrs;
	memset(&in, 0, sizeof(in));
	in.domain = check_domain(c);
	in.host_cname = (const char *const *)ha->cname;
	in.nhost_cname = ha->ncname;
	in.host_nxdomain = ha->n == 0 &&
	    (ha->status4 == DNS_NXDOMAIN || ha->status6 == DNS_NXDOMAIN);
	in.host_nodata = ha->n == 0 && !in.host_nxdomain &&
	    ha->status4 == DNS_NODATA && ha->status6 == DNS_NODATA;
	if (txt != NULL) {
		in.txt_cname = (const char *const *)txt->cname;
		in.ntxt_cname = txt->ncname;
	}
	in.fetch = check_fetch(c);
	in.policy = check_policy(c);
	d->delegation = provider_judge(&in, check_layer_fl(c, CHECK_FETCH));
	check_layer_finish(c, CHECK_FETCH,
	    check_layer_elapsed_ms(c, CHECK_FETCH));
	return 1;
}

const struct dns_addrs *
check_policy_host_addrs(const struct check *c)
{
	const struct layer_fetch_data *d = check_layer_data(c, CHECK_FETCH);

	return d != NULL && d->have_addrs ? &d->addrs : NULL;
}

const struct policy_fetch_result *
check_fetch(const struct check *c)
{
	const struct layer_fetch_data *d = check_layer_data(c, CHECK_FETCH);

	return d != NULL ? d->fetch : NULL;
}

const struct provider_result *
check_delegation(const struct check *c)
{
	const struct layer_fetch_data *d = check_layer_data(c, CHECK_FETCH);

	return d != NULL ? d->delegation : NULL;
}

const struct layer_class layer_fetch_class = {
	.name = "fetch",
	.late_needs = LAYER_BIT(CHECK_DNS) | LAYER_BIT(CHECK_POLICY),
	.budget_ms = BUDGET_FETCH_LAYER_MS,
	.work = layer_fetch_work,
	.judge = layer_fetch_judge,
	.late = layer_fetch_late,
	.free = layer_fetch_free,
	.cut_code = FINDING_FETCH_CUT,
	.cut_step = "the policy host lookup and HTTPS fetch",
	.summary = layer_fetch_summary,
	.json = layer_fetch_json,
	.load = layer_fetch_load,
};
