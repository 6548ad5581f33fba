#include "config.h"
#include "provider.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "finding.h"
#include "policy_fetch.h"
#include "policy_parse.h"
#include "xmalloc.h"

static int  provider_under(const char *name, const char *zone);
static void provider_delegation_find(struct provider_delegation *,
    const char *owner, const char *domain, const char *const *chain, size_t n);
static void provider_delegation_clear(struct provider_delegation *);
static enum provider_state provider_host_state(const struct provider_input *,
    const char **detail);
static void		   provider_diagnose(const struct provider_result *,
		   const struct provider_input *, const char *detail, struct finding_list *);

/*
 * Known policy-hosting providers, from the 2025 measurement study
 * (doc/field-data.md): the zone their CNAME targets lie under, the target
 * they give a.com, and what they do when a customer leaves without
 * removing the records.  A new provider is one row.
 */
static const struct provider provider_table[] = {
	{ "Tutanota", "tutanota.de", "_mta-sts.tutanota.de",
	    "keeps serving its policy (and rejects mail to its MX)",
	    PROVIDER_LEFT_SERVING },
	{ "DMARCReport", "dmarcinput.com", "a-com.mta-sts.dmarcinput.com",
	    "keeps the certificate and serves an empty policy",
	    PROVIDER_LEFT_EMPTY },
	{ "PowerDMARC", "mta-sts.tech", "a-com._mta.mta-sts.tech",
	    "removes the name (NXDOMAIN) or serves mode: none",
	    PROVIDER_LEFT_NXDOMAIN | PROVIDER_LEFT_MODE_NONE },
	{ "EasyDMARC", "easydmarc.pro", "a_com__mta_sts.easydmarc.pro",
	    "keeps the certificate and stops updating the policy",
	    PROVIDER_LEFT_STALE },
	{ "Mailhardener", "mailhardener.com", "a.com._mta-sts.mailhardener.com",
	    "removes the name (NXDOMAIN) or serves mode: none",
	    PROVIDER_LEFT_NXDOMAIN | PROVIDER_LEFT_MODE_NONE },
	{ "URIports", "uriports.com", "a-com._mta-sts.uriports.com",
	    "removes the name (NXDOMAIN)", PROVIDER_LEFT_NXDOMAIN },
	{ "Sendmarc", "sdmarc.net", "a.com._mta-sts.sdmarc.net",
	    "keeps the certificate and stops updating the policy",
	    PROVIDER_LEFT_STALE },
	{ "OnDMARC", "ondmarc.com", "_mta-sts.a.com._mta-sts.smart.ondmarc.com",
	    "keeps the certificate and stops updating the policy",
	    PROVIDER_LEFT_STALE },
};

#define PROVIDER_COUNT (sizeof(provider_table) / sizeof(provider_table[0]))

size_t
provider_count(void)
{
	return PROVIDER_COUNT;
}

const struct provider *
provider_get(size_t i)
{
	return i < PROVIDER_COUNT ? &provider_table[i] : NULL;
}

/* name is zone or ends in ".zone"; any case, a trailing dot ignored. */
static int
provider_under(const char *name, const char *zone)
{
	size_t n = strlen(name), z = strlen(zone);

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (z > 0 && zone[z - 1] == '.')
		z--;
	if (z == 0 || n < z || strncasecmp(name + n - z, zone, z) != 0)
		return 0;
	return n == z || name[n - z - 1] == '.';
}

const struct provider *
provider_match(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < PROVIDER_COUNT; i++)
		if (provider_under(name, provider_table[i].zone))
			return &provider_table[i];
	return NULL;
}

const char *
provider_delegation_name(const struct provider_delegation *d)
{
	return d->provider != NULL ? d->provider->name : "";
}

const char *
provider_state_name(enum provider_state s)
{
	static const char *names[] = { "none", "ok", "dangling", "no-address",
		"no-certificate", "not-served", "empty", "mode-none" };

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

/*
 * owner is delegated when its chain leaves the domain: the target is the
 * first name outside it, the provider the first known one from there on.
 */
static void
provider_delegation_find(struct provider_delegation *d, const char *owner,
    const char *domain, const char *const *chain, size_t n)
{
	size_t i, out;

	for (out = 0; out < n; out++)
		if (!provider_under(chain[out], domain))
			break;
	if (out == n)
		return;
	d->owner = xstrdup(owner);
	d->cname = xstrdup(chain[0]);
	d->target = xstrdup(chain[out]);
	for (i = out; i < n && d->provider == NULL; i++)
		d->provider = provider_match(chain[i]);
}

static void
provider_delegation_clear(struct provider_delegation *d)
{
	free(d->owner);
	free(d->cname);
	free(d->target);
	memset(d, 0, sizeof(*d));
}

/* The worst symptom of the delegated host; *detail names the evidence. */
static enum provider_state
provider_host_state(const struct provider_input *in, const char **detail)
{
	const struct policy_fetch_result *r = in->fetch;
	const struct policy_fetch_addr	 *a, *first = NULL;
	size_t				  i;

	*detail = NULL;
	if (in->host_nxdomain)
		return PROVIDER_STATE_DANGLING;
	if (in->host_nodata)
		return PROVIDER_STATE_NO_ADDRESS;
	if (r == NULL)
		return PROVIDER_STATE_OK; /* a DNS error: not the provider */
	if (r->body == NULL) {
		for (i = 0; i < r->naddrs; i++) {
			a = &r->addrs[i];
			/* fetch.tls_name_mismatch has the detail. */
			if (a->outcome == POLICY_FETCH_TLS_NAME)
				return PROVIDER_STATE_NO_CERT;
			if (first == NULL && a->outcome != POLICY_FETCH_OK)
				first = a;
		}
		if (first == NULL)
			return PROVIDER_STATE_OK;
		*detail = first->detail;
		return PROVIDER_STATE_NOT_SERVED;
	}
	if (r->body_len == 0)
		return PROVIDER_STATE_EMPTY;
	if (in->policy != NULL && in->policy->valid &&
	    in->policy->mode == POLICY_MODE_NONE)
		return PROVIDER_STATE_MODE_NONE;
	return PROVIDER_STATE_OK;
}

/* The diagnosis on top of the fetch and policy layers' evidence. */
static void
provider_diagnose(const struct provider_result *res,
    const struct provider_input *in, const char *detail,
    struct finding_list *fl)
{
	const struct provider_delegation *h = &res->host;
	const struct provider		 *p = h->provider;
	struct finding			 *f;
	enum finding_code code = FINDING_FETCH_DELEGATION_BROKEN;
	const char	 *what = NULL;
	char		 *who, *why, *seen = NULL;
	unsigned	  bit = 0;

	switch (res->state) {
	case PROVIDER_STATE_DANGLING:
		code = FINDING_FETCH_DELEGATION_DANGLING;
		bit = PROVIDER_LEFT_NXDOMAIN;
		break;
	case PROVIDER_STATE_NO_ADDRESS:
		what = "which publishes no address for this name";
		break;
	case PROVIDER_STATE_NO_CERT:
		what = "which has no certificate for this name";
		break;
	case PROVIDER_STATE_NOT_SERVED:
		what = "which does not serve a policy for this name";
		break;
	case PROVIDER_STATE_EMPTY:
		what = "which serves an empty policy file for this name";
		bit = PROVIDER_LEFT_EMPTY;
		break;
	case PROVIDER_STATE_MODE_NONE:
		what = "which serves a policy in mode none";
		bit = PROVIDER_LEFT_MODE_NONE;
		break;
	default:
		return;
	}
	who = p != NULL ? xstrdup(p->name)
			: xasprintf("%s (not a known provider)", h->target);
	if (p != NULL && (p->left & bit) != 0)
		seen = xasprintf("; %s %s when a customer leaves", p->name,
		    p->after);
	if (res->state == PROVIDER_STATE_MODE_NONE)
		why = xstrdup("the hosting has ended, or MTA-STS is being "
			      "removed");
	else
		why = xstrdup("the hosting was never set up or has ended");

	if (code == FINDING_FETCH_DELEGATION_DANGLING)
		f = finding_add(fl, code, h->owner, 0,
		    "%s is delegated to %s, but the CNAME target %s does "
		    "not exist (NXDOMAIN): %s%s; whoever can register that "
		    "name with %s can serve a policy for %s",
		    h->owner, who, h->target, why, seen != NULL ? seen : "",
		    p != NULL ? p->name : "its operator", in->domain);
	else
		f = finding_add(fl, code, h->owner, 0,
		    "%s is delegated to %s, %s%s%s%s: %s%s", h->owner, who,
		    what, detail != NULL ? " (" : "",
		    detail != NULL ? detail : "", detail != NULL ? ")" : "",
		    why, seen != NULL ? seen : "");
	if (res->state == PROVIDER_STATE_MODE_NONE) {
		/* A valid removal step (SEC-7), not broken delivery. */
		f->severity = FINDING_WARNING;
		finding_set_fix(f,
		    "If MTA-STS is being removed, delete the _mta-sts TXT "
		    "record once the last max_age has passed, then the CNAME "
		    "%s -> %s; otherwise renew the hosting with %s.",
		    h->owner, h->cname, p != NULL ? p->name : "the provider");
	} else
		finding_set_fix(f,
		    "Remove the CNAME %s -> %s and the _mta-sts TXT record, "
		    "or renew the hosting with %s.",
		    h->owner, h->cname, p != NULL ? p->name : "the provider");
	free(who);
	free(why);
	free(seen);
}

struct provider_result *
provider_judge(const struct provider_input *in, struct finding_list *fl)
{
	struct provider_result		 *res;
	const struct provider_delegation *h, *t;
	const char			 *detail;
	char				 *owner, *txt;

	res = xcalloc(1, sizeof(*res));
	owner = xasprintf("mta-sts.%s", in->domain);
	provider_delegation_find(&res->host, owner, in->domain, in->host_cname,
	    in->nhost_cname);
	free(owner);
	owner = xasprintf("_mta-sts.%s", in->domain);
	provider_delegation_find(&res->txt, owner, in->domain, in->txt_cname,
	    in->ntxt_cname);
	free(owner);
	h = &res->host;
	t = &res->txt;
	if (h->owner == NULL)
		return res;

	if (t->owner == NULL)
		txt = xasprintf("the _mta-sts TXT record stays in %s",
		    in->domain);
	else if (t->provider != NULL && t->provider == h->provider)
		txt = xasprintf("%s is delegated to %s too", t->owner,
		    t->provider->name);
	else if (t->provider != NULL)
		txt = xasprintf("%s is delegated to %s", t->owner,
		    t->provider->name);
	else
		txt = xasprintf("%s is delegated by CNAME to %s", t->owner,
		    t->target);
	if (h->provider != NULL)
		finding_add(fl, FINDING_FETCH_DELEGATED, h->owner, 0,
		    "%s is delegated to %s via CNAME %s; %s", h->owner,
		    h->provider->name, h->target, txt);
	else
		finding_add(fl, FINDING_FETCH_DELEGATED, h->owner, 0,
		    "%s is delegated by CNAME to %s (not a known provider); %s",
		    h->owner, h->target, txt);
	free(txt);

	res->state = provider_host_state(in, &detail);
	provider_diagnose(res, in, detail, fl);
	return res;
}

void
provider_result_free(struct provider_result *res)
{
	if (res == NULL)
		return;
	provider_delegation_clear(&res->host);
	provider_delegation_clear(&res->txt);
	free(res);
}
