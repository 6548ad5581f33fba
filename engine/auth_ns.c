/*
 * auth_ns: the zone apex, its NS set and each server asked directly.
 */
#include "config.h"
#include "auth_ns.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "budget.h"
#include "clock.h"
#include "dns_internal.h"
#include "pool.h"
#include "xmalloc.h"

/* Names of the questions, in enum auth_q order. */
static const struct auth_question auth_questions[AUTH_Q__COUNT] = {
	{ "_mta-sts.", DNS_TYPE_TXT, "sts_txt" },
	{ "", DNS_TYPE_MX, "mx" },
	{ "mta-sts.", DNS_TYPE_A, "policy_host_a" },
	{ "mta-sts.", DNS_TYPE_AAAA, "policy_host_aaaa" },
	{ "_smtp._tls.", DNS_TYPE_TXT, "tlsrpt_txt" },
};

/* Labels walked up from the domain before giving up on finding a SOA. */
#define AUTH_MAX_WALK 16

struct auth_peer {
	struct sockaddr_storage ss;
	socklen_t		sl;
};

const struct auth_question *
auth_question(enum auth_q q)
{
	return (unsigned)q < AUTH_Q__COUNT ? &auth_questions[q] : NULL;
}

const char *
auth_state_name(enum auth_state s)
{
	static const char *names[] = { "ok", "lame", "unreachable" };

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static int
auth_peer_set(struct auth_peer *p, const char *addr, unsigned port)
{
	struct sockaddr_storage *tmp;
	ldns_rdf		*rdf;
	size_t			 len;

	rdf = ldns_rdf_new_frm_str(
	    strchr(addr, ':') != NULL ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A,
	    addr);
	if (rdf == NULL)
		return -1;
	tmp = ldns_rdf2native_sockaddr_storage(rdf,
	    port != 0 ? (uint16_t)port : 53, &len);
	ldns_rdf_deep_free(rdf);
	if (tmp == NULL)
		return -1;
	memcpy(&p->ss, tmp, len);
	p->sl = (socklen_t)len;
	LDNS_FREE(tmp);
	return 0;
}

/* The resolver: the one given, else the first of /etc/resolv.conf. */
static int
auth_resolver(const struct dns_options *o, struct auth_peer *p, char **why)
{
	ldns_resolver		*res = NULL;
	struct sockaddr_storage *tmp;
	size_t			 len;
	int			 rc = -1;

	if (o->resolver != NULL) {
		if (auth_peer_set(p, o->resolver, o->port) == 0)
			return 0;
		*why = xasprintf("bad resolver address '%s'", o->resolver);
		return -1;
	}
	if (ldns_resolver_new_frm_file(&res, NULL) != LDNS_STATUS_OK) {
		*why = xstrdup("cannot read /etc/resolv.conf");
		return -1;
	}
	if (ldns_resolver_nameserver_count(res) > 0 &&
	    (tmp = ldns_rdf2native_sockaddr_storage(
		 ldns_resolver_nameservers(res)[0],
		 o->port != 0 ? (uint16_t)o->port : 53, &len)) != NULL) {
		memcpy(&p->ss, tmp, len);
		p->sl = (socklen_t)len;
		LDNS_FREE(tmp);
		rc = 0;
	} else
		*why = xstrdup("no nameserver in /etc/resolv.conf");
	ldns_resolver_deep_free(res);
	return rc;
}

/* A question to the resolver: its own timeout, within the layer's. */
static int64_t
auth_res_deadline(const struct dns_options *o, int64_t deadline)
{
	int64_t t = clock_ms() +
	    (int64_t)((o->timeout > 0 ? o->timeout
				      : BUDGET_DNS_QUERY_MS / 1000.0) *
		1000);

	return t < deadline ? t : deadline;
}

/* One question to one server; NULL: no usable reply by the deadline. */
static ldns_pkt *
auth_ask(const struct auth_peer *p, const char *name, uint16_t type, int rd,
    int64_t deadline)
{
	ldns_rdf *qname;
	ldns_pkt *q, *pkt = NULL;
	uint8_t	 *wire = NULL;
	size_t	  wlen = 0;
	uint16_t  id;

	if (deadline <= clock_ms())
		return NULL;
	if ((qname = ldns_dname_new_frm_str(name)) == NULL)
		return NULL;
	q = ldns_pkt_query_new(qname, type, LDNS_RR_CLASS_IN, rd ? LDNS_RD : 0);
	if (q == NULL) {
		ldns_rdf_deep_free(qname);
		return NULL;
	}
	id = ldns_get_random();
	ldns_pkt_set_id(q, id);
	ldns_pkt_set_edns_udp_size(q, 1232);
	if (ldns_pkt2wire(&wire, q, &wlen) == LDNS_STATUS_OK) {
		pkt =
		    dns_exchange(&p->ss, p->sl, wire, wlen, id, deadline, NULL);
	}
	LDNS_FREE(wire);
	ldns_pkt_free(q);
	return pkt;
}

/*
 * Every byte outside printable ASCII as \DDD, whatever the ldns version
 * left raw (a tab inside a TXT string): the text reaches screens.  Frees s.
 */
static char *
auth_escape(char *s)
{
	const unsigned char *p;
	char		    *out, *o;

	out = o = xmalloc(strlen(s) * 4 + 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p >= 0x7f) {
			*o++ = '\\';
			*o++ = (char)('0' + *p / 100);
			*o++ = (char)('0' + *p / 10 % 10);
			*o++ = (char)('0' + *p % 10);
		} else
			*o++ = (char)*p;
	}
	*o = '\0';
	free(s);
	return out;
}

/* The rdata of rr as one line: its fields joined by spaces. */
static char *
auth_rdata_str(const ldns_rr *rr)
{
	char  *s, *f, *out = xstrdup("");
	size_t i;

	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		f = ldns_rdf2str(ldns_rr_rdf(rr, i));
		s = xasprintf("%s%s%s", out, i > 0 ? " " : "",
		    f != NULL ? f : "?");
		free(f);
		free(out);
		out = s;
	}
	/* Names end without the root dot, as elsewhere in the tool. */
	if ((i = strlen(out)) > 1 && out[i - 1] == '.')
		out[i - 1] = '\0';
	return auth_escape(out);
}

static int
auth_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum dns_status
auth_rcode_status(ldns_pkt_rcode rc, size_t n)
{
	switch (rc) {
	case LDNS_RCODE_NOERROR:
		return n > 0 ? DNS_OK : DNS_NODATA;
	case LDNS_RCODE_NXDOMAIN:
		return DNS_NXDOMAIN;
	case LDNS_RCODE_SERVFAIL:
		return DNS_SERVFAIL;
	case LDNS_RCODE_REFUSED:
		return DNS_REFUSED;
	default:
		return DNS_ERROR;
	}
}

/*
 * The records of type at qname, or its CNAME (the first hop only: an
 * authoritative server may not know where the chain ends).
 */
static void
auth_rrset_take(struct auth_rrset *s, const ldns_pkt *pkt, const char *qname,
    uint16_t type)
{
	ldns_rr_list *an = ldns_pkt_answer(pkt), *au = ldns_pkt_authority(pkt);
	ldns_rdf     *owner;
	ldns_rr	     *rr;
	char	     *cname = NULL;
	size_t	      i;

	s->asked = 1;
	if ((owner = ldns_dname_new_frm_str(qname)) == NULL) {
		s->status = DNS_ERROR;
		return;
	}
	for (i = 0; an != NULL && i < ldns_rr_list_rr_count(an); i++) {
		rr = ldns_rr_list_rr(an, i);
		if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN ||
		    ldns_dname_compare(ldns_rr_owner(rr), owner) != 0)
			continue;
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME &&
		    type != LDNS_RR_TYPE_CNAME && cname == NULL &&
		    ldns_rr_rd_count(rr) > 0) {
			cname = auth_escape(dns_name_str(ldns_rr_rdf(rr, 0)));
			s->ttl = ldns_rr_ttl(rr);
			s->has_ttl = 1;
			continue;
		}
		if (ldns_rr_get_type(rr) != type || s->n >= AUTH_MAX_RR)
			continue;
		s->rr = xreallocarray(s->rr, s->n + 1, sizeof(*s->rr));
		s->rr[s->n++] = auth_rdata_str(rr);
		if (!s->has_ttl || ldns_rr_ttl(rr) < s->ttl)
			s->ttl = ldns_rr_ttl(rr);
		s->has_ttl = 1;
	}
	ldns_rdf_deep_free(owner);
	if (cname != NULL && s->n == 0) {
		s->rr = xcalloc(1, sizeof(*s->rr));
		s->rr[s->n++] = xasprintf("CNAME %s", cname);
	}
	free(cname);
	if (s->n > 1)
		qsort(s->rr, s->n, sizeof(*s->rr), auth_cmp_str);
	s->status = auth_rcode_status(ldns_pkt_get_rcode(pkt), s->n);
	/* A negative answer lives as long as its SOA's TTL says. */
	for (i = 0; s->n == 0 && au != NULL && i < ldns_rr_list_rr_count(au);
	     i++) {
		rr = ldns_rr_list_rr(au, i);
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA) {
			s->ttl = ldns_rr_ttl(rr);
			s->has_ttl = 1;
		}
	}
}

/* The owner of the zone's SOA in a reply (answer or authority). */
static char *
auth_soa_owner(const ldns_pkt *pkt)
{
	ldns_rr_list *l;
	ldns_rr	     *rr;
	size_t	      i, k;

	for (k = 0; k < 2; k++) {
		l = k == 0 ? ldns_pkt_answer(pkt) : ldns_pkt_authority(pkt);
		for (i = 0; l != NULL && i < ldns_rr_list_rr_count(l); i++) {
			rr = ldns_rr_list_rr(l, i);
			if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA)
				return auth_escape(
				    dns_name_str(ldns_rr_owner(rr)));
		}
	}
	return NULL;
}

/*
 * The apex: ask the SOA of the name; its owner, in the answer or with a
 * negative answer in the authority section, is the zone.  Otherwise walk
 * up a label.
 */
static char *
auth_find_apex(const struct auth_peer *res, const struct dns_options *o,
    const char *domain, int64_t deadline, char **why)
{
	const char *name = domain;
	ldns_pkt   *pkt;
	char	   *apex = NULL;
	int	    i;

	for (i = 0; i < AUTH_MAX_WALK && *name != '\0'; i++) {
		pkt = auth_ask(res, name, LDNS_RR_TYPE_SOA, 1,
		    auth_res_deadline(o, deadline));
		if (pkt == NULL) {
			*why = xasprintf("no answer from the resolver to SOA "
					 "%s",
			    name);
			return NULL;
		}
		if (ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NOERROR ||
		    ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NXDOMAIN)
			apex = auth_soa_owner(pkt);
		ldns_pkt_free(pkt);
		if (apex != NULL)
			return apex;
		if ((name = strchr(name, '.')) == NULL)
			break;
		name++;
	}
	*why = xasprintf("no SOA found at or above %s", domain);
	return NULL;
}

/* The apex's NS names through the resolver (at most AUTH_MAX_RR). */
static void
auth_find_ns(struct auth_result *r, const struct auth_peer *res,
    const struct dns_options *o, int64_t deadline)
{
	ldns_rr_list *an;
	ldns_rr	     *rr;
	ldns_pkt     *pkt;
	size_t	      i;

	if ((pkt = auth_ask(res, r->apex, LDNS_RR_TYPE_NS, 1,
		 auth_res_deadline(o, deadline))) == NULL) {
		r->error =
		    xasprintf("no answer from the resolver to NS %s", r->apex);
		return;
	}
	an = ldns_pkt_answer(pkt);
	for (i = 0; an != NULL && i < ldns_rr_list_rr_count(an); i++) {
		rr = ldns_rr_list_rr(an, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NS ||
		    ldns_rr_rd_count(rr) < 1 || r->nns >= AUTH_MAX_RR)
			continue;
		r->ns = xreallocarray(r->ns, r->nns + 1, sizeof(*r->ns));
		r->ns[r->nns++] = auth_escape(dns_name_str(ldns_rr_rdf(rr, 0)));
	}
	ldns_pkt_free(pkt);
	if (r->nns > 1)
		qsort(r->ns, r->nns, sizeof(*r->ns), auth_cmp_str);
	if (r->nns == 0)
		r->error = xasprintf("the resolver gave no NS for %s", r->apex);
}

static void
auth_add_server(struct auth_result *r, const char *name, const char *addr)
{
	struct auth_server *s;

	if (r->nsrv >= BUDGET_AUTH_MAX_SERVERS)
		return;
	r->srv = xreallocarray(r->srv, r->nsrv + 1, sizeof(*r->srv));
	s = &r->srv[r->nsrv++];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->addr = xstrdup(addr);
}

/*
 * A server's reply to the SOA of the apex: lame unless it answers
 * NOERROR or NXDOMAIN with the AA bit; the serial when the SOA is there.
 */
static void
auth_soa_judge(struct auth_server *s, const ldns_pkt *pkt)
{
	ldns_rr_list *an = ldns_pkt_answer(pkt), *au = ldns_pkt_authority(pkt);
	ldns_rr	     *rr;
	size_t	      i;

	if (ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NOERROR &&
	    ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NXDOMAIN) {
		s->state = AUTH_SERVER_LAME;
		s->why = xasprintf("answers %s",
		    dns_status_name(
			auth_rcode_status(ldns_pkt_get_rcode(pkt), 0)));
		return;
	}
	if (!ldns_pkt_aa(pkt)) {
		s->state = AUTH_SERVER_LAME;
		s->why = xstrdup(au != NULL && ldns_rr_list_rr_count(au) > 0
			? "answers with a referral, not authoritatively (no AA)"
			: "answers without the AA bit");
		return;
	}
	for (i = 0; an != NULL && i < ldns_rr_list_rr_count(an); i++) {
		rr = ldns_rr_list_rr(an, i);
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA &&
		    ldns_rr_rd_count(rr) >= 3 &&
		    ldns_rdf_get_type(ldns_rr_rdf(rr, 2)) ==
			LDNS_RDF_TYPE_INT32) {
			s->serial = ldns_rdf2native_int32(ldns_rr_rdf(rr, 2));
			s->has_serial = 1;
			free(s->mname);
			s->mname = dns_name_str(ldns_rr_rdf(rr, 0));
			return;
		}
	}
}

int
auth_ns_read(struct auth_rrset *out, const uint8_t *buf, size_t len,
    const char *qname, uint16_t type)
{
	ldns_pkt *pkt = NULL;

	if (ldns_wire2pkt(&pkt, buf, len) != LDNS_STATUS_OK)
		return -1;
	auth_rrset_take(out, pkt, qname, type);
	ldns_pkt_free(pkt);
	return 0;
}

int
auth_ns_read_soa(struct auth_server *s, const uint8_t *buf, size_t len)
{
	ldns_pkt *pkt = NULL;

	if (ldns_wire2pkt(&pkt, buf, len) != LDNS_STATUS_OK)
		return -1;
	auth_soa_judge(s, pkt);
	ldns_pkt_free(pkt);
	return 0;
}

/*
 * One server: the SOA first tells whether it is there and authoritative;
 * only then the questions, each bounded by the server's deadline.
 */
static void
auth_ask_server(struct auth_server *s, const char *apex, const char *domain,
    long budget, int64_t deadline)
{
	const struct auth_question *aq;
	struct auth_peer	    p;
	ldns_pkt		   *pkt;
	int64_t			    t0 = clock_ms(), dl;
	char			   *name;
	int			    q;

	dl = t0 + budget < deadline ? t0 + budget : deadline;
	if (auth_peer_set(&p, s->addr, 53) != 0) {
		s->state = AUTH_SERVER_UNREACHABLE;
		s->why = xstrdup("not an address");
		return;
	}
	if ((pkt = auth_ask(&p, apex, LDNS_RR_TYPE_SOA, 0, dl)) == NULL) {
		s->state = AUTH_SERVER_UNREACHABLE;
		s->why = xasprintf("no answer within %.1f s",
		    (clock_ms() - t0) / 1000.0);
		goto done;
	}
	auth_soa_judge(s, pkt);
	ldns_pkt_free(pkt);
	if (s->state != AUTH_SERVER_OK)
		goto done;
	for (q = 0; q < AUTH_Q__COUNT; q++) {
		aq = auth_question(q);
		name = xasprintf("%s%s", aq->prefix, domain);
		pkt = auth_ask(&p, name, aq->type, 0, dl);
		if (pkt == NULL) {
			s->q[q].asked = 1;
			s->q[q].status = DNS_TIMEOUT;
			s->q[q].error = xstrdup("no answer before the "
						"server's deadline");
		} else {
			auth_rrset_take(&s->q[q], pkt, name, aq->type);
			if (!ldns_pkt_aa(pkt) && s->q[q].error == NULL)
				s->q[q].error = xstrdup("not authoritative "
							"(no AA)");
			ldns_pkt_free(pkt);
		}
		free(name);
	}
done:
	s->elapsed_ms = (unsigned)(clock_ms() - t0);
}

struct auth_task {
	struct auth_server *s;
	const char	   *apex, *domain;
	long		    budget;
	int64_t		    deadline;
};

static void
auth_server_task(void *arg)
{
	struct auth_task *t = arg;

	auth_ask_server(t->s, t->apex, t->domain, t->budget, t->deadline);
}

struct auth_result *
auth_ns_run(const struct dns_options *o, const char *domain, int family,
    double scale, int64_t deadline)
{
	const struct auth_question *aq;
	struct auth_result	   *r = xcalloc(1, sizeof(*r));
	struct auth_peer	    res;
	struct dns_options	    ro = *o;
	struct dns_addrs	    da;
	struct auth_task	   *tasks;
	struct pool_group	   *g;
	ldns_pkt		   *pkt;
	char			   *name;
	size_t			    i, j;
	int			    q;

	if (auth_resolver(o, &res, &r->error) != 0)
		return r;
	if ((r->apex = auth_find_apex(&res, o, domain, deadline, &r->error)) ==
	    NULL)
		goto out;
	auth_find_ns(r, &res, o, deadline);
	/* The resolver's view, with the TTLs it holds now. */
	for (q = 0; q < AUTH_Q__COUNT; q++) {
		aq = auth_question(q);
		name = xasprintf("%s%s", aq->prefix, domain);
		if ((pkt = auth_ask(&res, name, aq->type, 1,
			 auth_res_deadline(o, deadline))) == NULL) {
			r->resolver[q].asked = 1;
			r->resolver[q].status = DNS_TIMEOUT;
			r->resolver[q].error = xstrdup("no answer from the "
						       "resolver");
		} else {
			auth_rrset_take(&r->resolver[q], pkt, name, aq->type);
			ldns_pkt_free(pkt);
		}
		free(name);
	}
	/* The servers' addresses: the glue the resolver holds. */
	ro.cache = NULL;
	ro.deadline_ms = deadline;
	for (i = 0; i < r->nns; i++) {
		dns_resolve_addrs(&ro, r->ns[i], family, &da);
		for (j = 0; j < da.n; j++)
			auth_add_server(r, r->ns[i], da.addr[j]);
		if (da.n == 0) {
			auth_add_server(r, r->ns[i], "");
			if (r->nsrv > 0 && r->srv[r->nsrv - 1].why == NULL) {
				r->srv[r->nsrv - 1].state =
				    AUTH_SERVER_UNREACHABLE;
				r->srv[r->nsrv - 1].why =
				    xasprintf("no address (%s)",
					dns_status_name(da.status4));
			}
		}
		dns_addrs_free(&da);
	}
	/* The servers at once: a silent one costs its budget, not a turn. */
	tasks = xcalloc(r->nsrv + 1, sizeof(*tasks));
	g = pool_group_new(o->pool != NULL ? o->pool : pool_default(),
	    BUDGET_AUTH_MAX_SERVERS);
	for (i = 0; i < r->nsrv; i++) {
		if (r->srv[i].why != NULL)
			continue;
		tasks[i].s = &r->srv[i];
		tasks[i].apex = r->apex;
		tasks[i].domain = domain;
		tasks[i].budget = budget_ms(BUDGET_AUTH_SERVER_MS, scale);
		tasks[i].deadline = deadline;
		pool_group_add(g, auth_server_task, &tasks[i]);
	}
	pool_group_wait(g);
	free(tasks);
out:
	r->cut = clock_ms() >= deadline;
	return r;
}

void
auth_rrset_clear(struct auth_rrset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->rr[i]);
	free(s->rr);
	free(s->error);
	memset(s, 0, sizeof(*s));
}

void
auth_result_free(struct auth_result *r)
{
	size_t i;
	int    q;

	if (r == NULL)
		return;
	for (i = 0; i < r->nsrv; i++) {
		free(r->srv[i].name);
		free(r->srv[i].addr);
		free(r->srv[i].why);
		free(r->srv[i].mname);
		for (q = 0; q < AUTH_Q__COUNT; q++)
			auth_rrset_clear(&r->srv[i].q[q]);
	}
	free(r->srv);
	for (i = 0; i < r->nns; i++)
		free(r->ns[i]);
	free(r->ns);
	for (q = 0; q < AUTH_Q__COUNT; q++)
		auth_rrset_clear(&r->resolver[q]);
	free(r->apex);
	free(r->error);
	free(r);
}
