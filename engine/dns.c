#include "config.h"
#include "dns.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <ldns/ldns.h>

#include "dns_internal.h"
#include "xmalloc.h"

#define DNS_MAX_CNAME 16  /* longer chains are reported as errors */
#define DNS_MAX_RR    256 /* records kept per answer */

static unsigned dns_elapsed_ms(const struct timespec *);
static char    *dns_name_str(const ldns_rdf *);
static void	dns_rr_fill(struct dns_rr *, const ldns_rr *);

const char *
dns_status_name(enum dns_status s)
{
	switch (s) {
	case DNS_OK:
		return "ok";
	case DNS_NODATA:
		return "nodata";
	case DNS_NXDOMAIN:
		return "nxdomain";
	case DNS_SERVFAIL:
		return "servfail";
	case DNS_REFUSED:
		return "refused";
	case DNS_TIMEOUT:
		return "timeout";
	default:
		return "error";
	}
}

const char *
dns_type_name(uint16_t type)
{
	switch (type) {
	case DNS_TYPE_A:
		return "A";
	case DNS_TYPE_CNAME:
		return "CNAME";
	case DNS_TYPE_MX:
		return "MX";
	case DNS_TYPE_TXT:
		return "TXT";
	case DNS_TYPE_AAAA:
		return "AAAA";
	case DNS_TYPE_TLSA:
		return "TLSA";
	default:
		return "?";
	}
}

static unsigned
dns_elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (unsigned)((now.tv_sec - start->tv_sec) * 1000 +
	    (now.tv_nsec - start->tv_nsec) / 1000000);
}

/* Presentation form without the root dot; the root itself is "". */
static char *
dns_name_str(const ldns_rdf *rdf)
{
	char  *s, *r;
	size_t len;

	if ((s = ldns_rdf2str(rdf)) == NULL)
		return xstrdup("");
	len = strlen(s);
	if (len > 0 && s[len - 1] == '.')
		s[--len] = '\0';
	r = xstrdup(s);
	free(s);
	return r;
}

static void
dns_rr_fill(struct dns_rr *rr, const ldns_rr *lrr)
{
	const ldns_rdf *rdf;
	char	       *s;
	size_t		i, n;

	rr->type = ldns_rr_get_type(lrr);
	rr->ttl = ldns_rr_ttl(lrr);
	n = ldns_rr_rd_count(lrr);
	switch (rr->type) {
	case DNS_TYPE_TXT:
		rr->str = xcalloc(n, sizeof(*rr->str));
		for (i = 0; i < n; i++) {
			rdf = ldns_rr_rdf(lrr, i);
			/* A character-string: one length octet, then data. */
			if (ldns_rdf_size(rdf) < 1)
				continue;
			rr->str[rr->nstr].len = ldns_rdf_data(rdf)[0];
			if (rr->str[rr->nstr].len > ldns_rdf_size(rdf) - 1)
				rr->str[rr->nstr].len = ldns_rdf_size(rdf) - 1;
			rr->str[rr->nstr].data =
			    xmalloc(rr->str[rr->nstr].len + 1);
			memcpy(rr->str[rr->nstr].data, ldns_rdf_data(rdf) + 1,
			    rr->str[rr->nstr].len);
			rr->str[rr->nstr].data[rr->str[rr->nstr].len] = '\0';
			rr->nstr++;
		}
		break;
	case DNS_TYPE_MX:
		if (n >= 2) {
			rr->pref = ldns_rdf2native_int16(ldns_rr_rdf(lrr, 0));
			rr->name = dns_name_str(ldns_rr_rdf(lrr, 1));
		}
		break;
	case DNS_TYPE_CNAME:
		if (n >= 1)
			rr->name = dns_name_str(ldns_rr_rdf(lrr, 0));
		break;
	case DNS_TYPE_A:
	case DNS_TYPE_AAAA:
		if (n >= 1 && (s = ldns_rdf2str(ldns_rr_rdf(lrr, 0))) != NULL) {
			rr->name = xstrdup(s);
			free(s);
		}
		break;
	case DNS_TYPE_TLSA:
		if (n >= 4) {
			rr->usage = ldns_rdf2native_int8(ldns_rr_rdf(lrr, 0));
			rr->selector =
			    ldns_rdf2native_int8(ldns_rr_rdf(lrr, 1));
			rr->mtype = ldns_rdf2native_int8(ldns_rr_rdf(lrr, 2));
			rdf = ldns_rr_rdf(lrr, 3);
			rr->datalen = ldns_rdf_size(rdf);
			rr->data = xmalloc(rr->datalen + 1);
			memcpy(rr->data, ldns_rdf_data(rdf), rr->datalen);
		}
		break;
	}
}

/* Walks the answer section from qname through CNAMEs to the records. */
void
dns_answer_take(struct dns_answer *a, ldns_pkt *pkt)
{
	ldns_rr_list *answer = ldns_pkt_answer(pkt);
	ldns_rdf     *cur, *next;
	ldns_rr	     *lrr;
	size_t	      i, hops;
	int	      found;

	cur = ldns_dname_new_frm_str(a->qname);
	if (cur == NULL) {
		a->status = DNS_ERROR;
		a->error = xstrdup("cannot encode the name");
		return;
	}
	for (hops = 0;; hops++) {
		found = 0;
		next = NULL;
		for (i = 0; answer != NULL && i < ldns_rr_list_rr_count(answer);
		     i++) {
			lrr = ldns_rr_list_rr(answer, i);
			if (ldns_rr_get_class(lrr) != LDNS_RR_CLASS_IN ||
			    ldns_dname_compare(ldns_rr_owner(lrr), cur) != 0)
				continue;
			if (ldns_rr_get_type(lrr) == a->qtype &&
			    a->nrr < DNS_MAX_RR) {
				a->rr = xreallocarray(a->rr, a->nrr + 1,
				    sizeof(*a->rr));
				memset(&a->rr[a->nrr], 0, sizeof(*a->rr));
				dns_rr_fill(&a->rr[a->nrr++], lrr);
				found = 1;
			} else if (ldns_rr_get_type(lrr) ==
				LDNS_RR_TYPE_CNAME &&
			    next == NULL && ldns_rr_rd_count(lrr) > 0)
				next = ldns_rr_rdf(lrr, 0);
		}
		if (found || next == NULL)
			break;
		if (hops == DNS_MAX_CNAME) {
			a->status = DNS_ERROR;
			a->error = xasprintf("CNAME chain longer than %d",
			    DNS_MAX_CNAME);
			ldns_rdf_deep_free(cur);
			return;
		}
		a->cname =
		    xreallocarray(a->cname, a->ncname + 1, sizeof(*a->cname));
		a->cname[a->ncname++] = dns_name_str(next);
		ldns_rdf_deep_free(cur);
		cur = ldns_rdf_clone(next);
	}
	ldns_rdf_deep_free(cur);

	switch (a->rcode) {
	case LDNS_RCODE_NOERROR:
		a->status = a->nrr > 0 ? DNS_OK : DNS_NODATA;
		break;
	case LDNS_RCODE_NXDOMAIN:
		a->status = DNS_NXDOMAIN;
		break;
	case LDNS_RCODE_SERVFAIL:
		a->status = DNS_SERVFAIL;
		a->error = xstrdup("the resolver answered SERVFAIL");
		break;
	case LDNS_RCODE_REFUSED:
		a->status = DNS_REFUSED;
		a->error = xstrdup("the resolver REFUSED the query");
		break;
	default:
		a->status = DNS_ERROR;
		a->error =
		    xasprintf("the resolver answered rcode %d", a->rcode);
	}
}

struct dns_answer *
dns_query(const struct dns_options *opts, const char *name, uint16_t type)
{
	struct dns_answer *a;
	struct timespec	   start;
	struct timeval	   tv;
	ldns_resolver	  *res = NULL;
	ldns_rdf	  *qname = NULL, *ns;
	ldns_pkt	  *pkt = NULL;
	ldns_status	   st;
	double		   t;

	clock_gettime(CLOCK_MONOTONIC, &start);
	a = xcalloc(1, sizeof(*a));
	a->qname = xstrdup(name);
	a->qtype = type;
	a->status = DNS_ERROR;

	if (opts->resolver != NULL) {
		res = ldns_resolver_new();
		ns = ldns_rdf_new_frm_str(strchr(opts->resolver, ':') != NULL
			? LDNS_RDF_TYPE_AAAA
			: LDNS_RDF_TYPE_A,
		    opts->resolver);
		if (ns == NULL ||
		    ldns_resolver_push_nameserver(res, ns) != LDNS_STATUS_OK) {
			a->error = xasprintf("bad resolver address '%s'",
			    opts->resolver);
			ldns_rdf_deep_free(ns);
			goto done;
		}
		ldns_rdf_deep_free(ns);
	} else if ((st = ldns_resolver_new_frm_file(&res, NULL)) !=
	    LDNS_STATUS_OK) {
		a->error = xasprintf("cannot read /etc/resolv.conf: %s",
		    ldns_get_errorstr_by_id(st));
		res = NULL;
		goto done;
	}
	if (opts->port != 0)
		ldns_resolver_set_port(res, (uint16_t)opts->port);
	t = opts->timeout > 0 ? opts->timeout : 4.0;
	tv.tv_sec = (time_t)t;
	tv.tv_usec = (suseconds_t)((t - floor(t)) * 1e6);
	ldns_resolver_set_timeout(res, tv);
	ldns_resolver_set_retry(res, 1);
	ldns_resolver_set_retrans(res, 1);
	ldns_resolver_set_recursive(res, true);
	ldns_resolver_set_dnssec(res, opts->dnssec ? true : false);
	ldns_resolver_set_edns_udp_size(res, 1232);
	ldns_resolver_set_fallback(res, true);
	ldns_resolver_set_defnames(res, false);
	ldns_resolver_set_dnsrch(res, false);

	if ((qname = ldns_dname_new_frm_str(name)) == NULL) {
		a->error = xasprintf("'%s' cannot be a DNS name", name);
		goto done;
	}
	st = ldns_resolver_query_status(&pkt, res, qname, type,
	    LDNS_RR_CLASS_IN, LDNS_RD);
	if (st != LDNS_STATUS_OK || pkt == NULL) {
		/* ldns does not say "timeout": judge by the time spent. */
		if (dns_elapsed_ms(&start) + 100 >= (unsigned)(t * 1000)) {
			a->status = DNS_TIMEOUT;
			a->error = xasprintf("no answer from the resolver "
					     "within %.1f s",
			    t);
		} else
			a->error = xasprintf("query failed: %s",
			    ldns_get_errorstr_by_id(st));
		goto done;
	}
	a->rcode = ldns_pkt_get_rcode(pkt);
	a->ad = ldns_pkt_ad(pkt);
	dns_answer_take(a, pkt);

done:
	ldns_pkt_free(pkt);
	ldns_rdf_deep_free(qname);
	if (res != NULL)
		ldns_resolver_deep_free(res);
	a->elapsed_ms = dns_elapsed_ms(&start);
	return a;
}

void
dns_answer_free(struct dns_answer *a)
{
	size_t i, j;

	if (a == NULL)
		return;
	for (i = 0; i < a->nrr; i++) {
		for (j = 0; j < a->rr[i].nstr; j++)
			free(a->rr[i].str[j].data);
		free(a->rr[i].str);
		free(a->rr[i].name);
		free(a->rr[i].data);
	}
	free(a->rr);
	for (i = 0; i < a->ncname; i++)
		free(a->cname[i]);
	free(a->cname);
	free(a->qname);
	free(a->error);
	free(a);
}

void
dns_resolve_addrs(const struct dns_options *opts, const char *name, int family,
    struct dns_addrs *out)
{
	static const uint16_t types[] = { DNS_TYPE_A, DNS_TYPE_AAAA };
	struct dns_answer    *a;
	enum dns_status	     *st;
	size_t		      i, k;

	memset(out, 0, sizeof(*out));
	out->status4 = out->status6 = DNS_NODATA;
	for (k = 0; k < 2; k++) {
		if ((family == 4 && k == 1) || (family == 6 && k == 0))
			continue;
		st = k == 0 ? &out->status4 : &out->status6;
		a = dns_query(opts, name, types[k]);
		*st = a->status;
		if (a->error != NULL && out->error == NULL)
			out->error = xstrdup(a->error);
		for (i = 0; i < a->nrr; i++) {
			if (a->rr[i].name == NULL)
				continue;
			out->addr = xreallocarray(out->addr, out->n + 1,
			    sizeof(*out->addr));
			out->addr[out->n++] = xstrdup(a->rr[i].name);
		}
		if (out->ncname == 0 && a->ncname > 0) {
			out->cname = xcalloc(a->ncname, sizeof(*out->cname));
			for (i = 0; i < a->ncname; i++)
				out->cname[i] = xstrdup(a->cname[i]);
			out->ncname = a->ncname;
		}
		dns_answer_free(a);
	}
}

void
dns_addrs_free(struct dns_addrs *da)
{
	size_t i;

	for (i = 0; i < da->n; i++)
		free(da->addr[i]);
	free(da->addr);
	for (i = 0; i < da->ncname; i++)
		free(da->cname[i]);
	free(da->cname);
	free(da->error);
	memset(da, 0, sizeof(*da));
}
