#include "config.h"
#include "dane.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "budget.h"
#include "certinfo.h"
#include "finding.h"
#include "jsonw.h"
#include "mx_lookup.h"
#include "mx_tls.h"
#include "pool.h"
#include "smtp_probe.h"
#include "strbuf.h"
#include "xmalloc.h"

#define DANE_SHA256_LEN 32
#define DANE_SHA512_LEN 64
#define DANE_MAX_CERTS	16

/* One host's TLSA lookup, a task on the shared pool. */
struct dane_job {
	const struct dns_options *opts;
	const struct mx_host	 *src;
	struct dane_host	 *dst;
};

static void dane_lookup_host(const struct dns_options *, const struct mx_host *,
    struct dane_host *);
static int  dane_query_base(const struct dns_options *, const char *,
     struct dane_host *);
static void dane_job_run(void *);
static int  dane_der_tlv(const unsigned char *, size_t, size_t, size_t *,
     size_t *);
static int  dane_spki(const unsigned char *, size_t, const unsigned char **,
     size_t *);
static int  dane_rr_matches_cert(const struct dane_rr *,
     const struct certinfo *);
static int dane_ta_path(const struct certinfo_chain *, size_t, time_t, char **);
static int dane_ta_name(const struct certinfo *, const char *, const char *,
    int);
static int dane_match_rr(const struct dane_rr *, const struct dane_host *,
    const char *, int, const struct certinfo_chain *, time_t, long *, char **);
static int dane_reached_tls_step(const struct smtp_probe_result *);
static char *dane_rr_text(const struct dane_rr *);

const char *
dane_dnssec_name(enum dane_dnssec d)
{
	switch (d) {
	case DANE_DNSSEC_SECURE:
		return "secure";
	case DANE_DNSSEC_INSECURE:
		return "insecure";
	case DANE_DNSSEC_BOGUS:
		return "bogus";
	}
	return "?";
}

const char *
dane_rr_check_name(enum dane_rr_check c)
{
	switch (c) {
	case DANE_RR_USABLE:
		return "usable";
	case DANE_RR_PKIX_USAGE:
		return "pkix_usage";
	case DANE_RR_BAD_USAGE:
		return "unknown_usage";
	case DANE_RR_BAD_SELECTOR:
		return "unknown_selector";
	case DANE_RR_BAD_MTYPE:
		return "unknown_matching_type";
	case DANE_RR_BAD_LENGTH:
		return "bad_length";
	case DANE_RR_EMPTY:
		return "empty";
	}
	return "?";
}

/*
 * DANE-8, DANE-9: unknown parameters or data that cannot be a digest of
 * the type make a record unusable (RFC 6698 4.1); usages 0 and 1 are
 * unusable for SMTP (RFC 7672 3.1.3).  Unknown values are reported before
 * the PKIX usages, since they are unusable for every client.
 */
enum dane_rr_check
dane_rr_check(uint8_t usage, uint8_t selector, uint8_t mtype,
    const unsigned char *data, size_t datalen, unsigned *form)
{
	size_t l, hl;

	if (form != NULL)
		*form = 0;
	if (usage > 3)
		return DANE_RR_BAD_USAGE;
	if (selector > 1)
		return DANE_RR_BAD_SELECTOR;
	if (mtype > 2)
		return DANE_RR_BAD_MTYPE;
	if (datalen == 0 || data == NULL)
		return DANE_RR_EMPTY;
	if (mtype == 1 && datalen != DANE_SHA256_LEN)
		return DANE_RR_BAD_LENGTH;
	if (mtype == 2 && datalen != DANE_SHA512_LEN)
		return DANE_RR_BAD_LENGTH;
	if (mtype == 0 &&
	    (dane_der_tlv(data, datalen, 0, &hl, &l) != 0x30 ||
		hl + l != datalen))
		return DANE_RR_BAD_LENGTH;
	if (usage < 2)
		return DANE_RR_PKIX_USAGE;
	if (form != NULL) {
		if (mtype == 0)
			*form |= DANE_FORM_FULL;
		if (usage == 2 && selector == 1)
			*form |= DANE_FORM_TA_SPKI;
	}
	return DANE_RR_USABLE;
}

/*
 * One DER TLV at buf[pos]: returns the tag and sets the header and value
 * lengths, or returns -1 when it does not fit in len.  Only what X.509
 * needs: one-byte tags, definite lengths of up to four bytes.
 */
static int
dane_der_tlv(const unsigned char *buf, size_t len, size_t pos, size_t *hl,
    size_t *vl)
{
	size_t n, k, i;

	if (pos + 2 > len)
		return -1;
	n = buf[pos + 1];
	*hl = 2;
	if (n & 0x80) {
		k = n & 0x7f;
		if (k == 0 || k > 4 || pos + 2 + k > len)
			return -1;
		n = 0;
		for (i = 0; i < k; i++)
			n = (n << 8) | buf[pos + 2 + i];
		*hl += k;
	}
	if (n > len - pos - *hl)
		return -1;
	*vl = n;
	return buf[pos];
}

/*
 * The SubjectPublicKeyInfo inside a DER certificate, byte for byte as the
 * certificate carries it (no re-encoding): the sixth field of
 * tbsCertificate after the optional [0] version.
 */
static int
dane_spki(const unsigned char *der, size_t len, const unsigned char **out,
    size_t *outlen)
{
	size_t hl, vl, pos, end;
	int    tag, field;

	if (dane_der_tlv(der, len, 0, &hl, &vl) != 0x30)
		return -1;
	pos = hl;
	if (dane_der_tlv(der, len, pos, &hl, &vl) != 0x30)
		return -1;
	end = pos + hl + vl;
	pos += hl;
	for (field = 0; pos < end; field++) {
		if ((tag = dane_der_tlv(der, end, pos, &hl, &vl)) < 0)
			return -1;
		if (field == 0 && tag == 0xa0) {
			field = -1;
			pos += hl + vl;
			continue;
		}
		if (field == 5) {
			if (tag != 0x30)
				return -1;
			*out = der + pos;
			*outlen = hl + vl;
			return 0;
		}
		pos += hl + vl;
	}
	return -1;
}

/* Whether r's data is the selected part of c under r's matching type. */
static int
dane_rr_matches_cert(const struct dane_rr *r, const struct certinfo *c)
{
	unsigned char	     md[DANE_SHA512_LEN];
	const unsigned char *p;
	size_t		     plen;

	if (c->der == NULL || c->der_len == 0)
		return 0;
	if (r->selector == 0) {
		p = c->der;
		plen = c->der_len;
	} else if (dane_spki(c->der, c->der_len, &p, &plen) != 0)
		return 0;
	switch (r->mtype) {
	case 0:
		return plen == r->datalen && memcmp(p, r->data, plen) == 0;
	case 1:
		if (gnutls_hash_fast(GNUTLS_DIG_SHA256, p, plen, md) < 0)
			return 0;
		return r->datalen == DANE_SHA256_LEN &&
		    memcmp(md, r->data, DANE_SHA256_LEN) == 0;
	case 2:
		if (gnutls_hash_fast(GNUTLS_DIG_SHA512, p, plen, md) < 0)
			return 0;
		return r->datalen == DANE_SHA512_LEN &&
		    memcmp(md, r->data, DANE_SHA512_LEN) == 0;
	}
	return 0;
}

/*
 * DANE-7: the presented certificates below the trust anchor at depth ta
 * must chain to it by signature (the anchor is trusted as it is, whatever
 * its own dates), and each of them must be valid at now.
 */
static int
dane_ta_path(const struct certinfo_chain *ch, size_t ta, time_t now, char **why)
{
	gnutls_x509_crt_t	 crt[DANE_MAX_CERTS + 1];
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_datum_t		 d;
	unsigned		 status = 0;
	size_t			 i, n = 0;
	int			 ok = 0;

	if (ta == 0)
		return 1; /* the leaf is its own anchor */
	if (ta > DANE_MAX_CERTS) {
		*why = xstrdup("chain too long");
		return 0;
	}
	for (i = 0; i < ta; i++) {
		if (now < ch->certs[i].not_before) {
			*why = xasprintf("certificate at depth %zu is not "
					 "valid yet",
			    i);
			return 0;
		}
		if (now > ch->certs[i].not_after) {
			*why = xasprintf("certificate at depth %zu has "
					 "expired",
			    i);
			return 0;
		}
	}
	for (n = 0; n <= ta; n++) {
		d.data = ch->certs[n].der;
		d.size = (unsigned)ch->certs[n].der_len;
		if (gnutls_x509_crt_init(&crt[n]) < 0)
			break;
		if (gnutls_x509_crt_import(crt[n], &d, GNUTLS_X509_FMT_DER) <
		    0) {
			gnutls_x509_crt_deinit(crt[n]);
			break;
		}
	}
	if (n <= ta) {
		*why = xstrdup("a certificate of the chain cannot be parsed");
		goto out;
	}
	if (gnutls_x509_trust_list_init(&tl, 0) < 0) {
		tl = NULL;
		*why = xstrdup("GnuTLS trust list");
		goto out;
	}
	/* The list takes the anchor; it is deinitialised with the list. */
	if (gnutls_x509_trust_list_add_cas(tl, &crt[ta], 1, 0) != 1) {
		gnutls_x509_crt_deinit(crt[ta]);
		n = ta;
		*why = xstrdup("the trust anchor cannot be used");
		goto out;
	}
	n = ta;
	if (gnutls_x509_trust_list_verify_crt2(tl, crt, (unsigned)ta, NULL, 0,
		GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
		    GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
		&status, NULL) < 0) {
		*why = xstrdup("path verification failed");
		goto out;
	}
	if (status != 0) {
		*why = xasprintf("the chain does not lead to the trust anchor "
				 "at depth %zu by signature",
		    ta);
		goto out;
	}
	ok = 1;
out:
	if (tl != NULL)
		gnutls_x509_trust_list_deinit(tl, 1);
	for (i = 0; i < n; i++)
		gnutls_x509_crt_deinit(crt[i]);
	return ok;
}

/*
 * DANE-7 name check: SAN DNS-IDs only when there are any, else the CN;
 * reference identifiers are the TLSA base domain and, when the MX RRset
 * is secure, the recipient domain.
 */
static int
dane_ta_name(const struct certinfo *leaf, const char *base, const char *domain,
    int mx_secure)
{
	gnutls_x509_crt_t crt;
	gnutls_datum_t	  d;
	char		  cn[256];
	size_t		  i, cnlen = sizeof(cn);
	int		  ok = 0;

	for (i = 0; i < leaf->ndns; i++) {
		if (certinfo_name_match(leaf->dns_names[i], base))
			return 1;
		if (mx_secure && domain != NULL &&
		    certinfo_name_match(leaf->dns_names[i], domain))
			return 1;
	}
	if (leaf->ndns > 0 || gnutls_x509_crt_init(&crt) < 0)
		return 0;
	d.data = leaf->der;
	d.size = (unsigned)leaf->der_len;
	if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) >= 0 &&
	    gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0,
		0, cn, &cnlen) >= 0 &&
	    strlen(cn) == cnlen) {
		ok = certinfo_name_match(cn, base) ||
		    (mx_secure && domain != NULL &&
			certinfo_name_match(cn, domain));
	}
	gnutls_x509_crt_deinit(crt);
	return ok;
}

/*
 * One usable record against one chain.  Returns 1 on a match and sets
 * *depth; else 0 with *why saying what failed when the record named a
 * presented certificate (caller frees).
 */
static int
dane_match_rr(const struct dane_rr *r, const struct dane_host *h,
    const char *domain, int mx_secure, const struct certinfo_chain *ch,
    time_t now, long *depth, char **why)
{
	size_t i;

	*depth = -1;
	if (ch == NULL || ch->ncerts == 0)
		return 0;
	if (r->usage == 3) {
		/* DANE-6: the leaf only; names and dates do not matter. */
		if (!dane_rr_matches_cert(r, &ch->certs[0]))
			return 0;
		*depth = 0;
		return 1;
	}
	if (r->usage != 2)
		return 0;
	for (i = 0; i < ch->ncerts; i++) {
		if (!dane_rr_matches_cert(r, &ch->certs[i]))
			continue;
		free(*why);
		*why = NULL;
		if (!dane_ta_path(ch, i, now, why))
			continue;
		if (!dane_ta_name(&ch->certs[0], h->base, domain, mx_secure)) {
			*why = xasprintf(
			    "the trust anchor at depth %zu is "
			    "presented but the leaf certificate does not name "
			    "%s",
			    i, h->base);
			continue;
		}
		*depth = (long)i;
		return 1;
	}
	return 0;
}

void
dane_match_chain(struct dane_match *m, const struct dane_host *h,
    const char *domain, int mx_secure, const struct certinfo_chain *ch,
    time_t now)
{
	struct strbuf sb;
	char	     *why = NULL, *t;
	size_t	      i;
	long	      depth;

	memset(m, 0, sizeof(*m));
	m->rr = -1;
	m->depth = -1;
	if (now == 0)
		now = time(NULL);
	if (h->dnssec != DANE_DNSSEC_SECURE || h->nusable == 0) {
		m->status = DANE_MATCH_NONE;
		return;
	}
	if (ch == NULL || ch->ncerts == 0) {
		m->status = DANE_MATCH_NO_CHAIN;
		m->detail = xstrdup("no certificate chain was presented");
		return;
	}
	for (i = 0; i < h->nrrs; i++) {
		if (h->rrs[i].check != DANE_RR_USABLE)
			continue;
		if (dane_match_rr(&h->rrs[i], h, domain, mx_secure, ch, now,
			&depth, &why)) {
			m->status = DANE_MATCH_OK;
			m->rr = (long)i;
			m->depth = depth;
			t = dane_rr_text(&h->rrs[i]);
			m->detail = xasprintf("%s matches the certificate at "
					      "depth %ld",
			    t, depth);
			free(t);
			free(why);
			return;
		}
	}
	m->status = DANE_MATCH_FAIL;
	strbuf_init(&sb, DANE_LINE_MAX);
	strbuf_addf(&sb,
	    "none of the %zu usable TLSA records matches the "
	    "presented chain (leaf SPKI SHA-256 %s)",
	    h->nusable, ch->certs[0].spki_sha256);
	if (why != NULL)
		strbuf_addf(&sb, "; %s", why);
	free(why);
	m->detail = strbuf_detach(&sb, NULL);
}

void
dane_match(struct dane_match *m, const struct dane_host *h, const char *domain,
    int mx_secure, const struct mx_tls_addr *a, time_t now)
{
	dane_match_chain(m, h, domain, mx_secure,
	    a != NULL && a->probe != NULL ? a->probe->chain : NULL, now);
}

void
dane_match_clear(struct dane_match *m)
{
	free(m->detail);
	m->detail = NULL;
}

/* "3 1 1 4fe7d517…" with at most 16 hex digits of data. */
static char *
dane_rr_text(const struct dane_rr *r)
{
	struct strbuf sb;
	size_t	      i;

	strbuf_init(&sb, 256);
	strbuf_addf(&sb, "%u %u %u ", r->usage, r->selector, r->mtype);
	for (i = 0; i < r->datalen && i < 8; i++)
		strbuf_addf(&sb, "%02x", r->data[i]);
	if (r->datalen > 8)
		strbuf_addstr(&sb, "...");
	if (r->datalen == 0)
		strbuf_addstr(&sb, "(empty)");
	return strbuf_detach(&sb, NULL);
}

/*
 * Asks for _25._tcp.base and fills h.  Returns 1 when the answer settles
 * the host (secure records, or any lookup error), 0 when a fallback name
 * may still be tried.
 */
static int
dane_query_base(const struct dns_options *opts, const char *base,
    struct dane_host *h)
{
	struct dns_answer *a;
	struct dane_rr	  *r;
	size_t		   i;

	free(h->base);
	free(h->qname);
	free(h->error);
	h->error = NULL;
	h->base = xstrdup(base);
	h->qname = xasprintf("_%u._tcp.%s", DANE_PORT, base);
	a = dns_query(opts, h->qname, DNS_TYPE_TLSA);
	h->status = a->status;
	h->ad = a->ad;
	h->elapsed_ms += a->elapsed_ms;
	switch (a->status) {
	case DNS_OK:
	case DNS_NODATA:
	case DNS_NXDOMAIN:
		h->dnssec = a->ad ? DANE_DNSSEC_SECURE : DANE_DNSSEC_INSECURE;
		break;
	default:
		h->dnssec = DANE_DNSSEC_BOGUS;
		h->error = xstrdup(
		    a->error != NULL ? a->error : dns_status_name(a->status));
		break;
	}
	for (i = 0; i < h->nrrs; i++)
		free(h->rrs[i].data);
	free(h->rrs);
	h->rrs = NULL;
	h->nrrs = h->nusable = 0;
	if (a->status == DNS_OK && a->nrr > 0) {
		h->rrs = xcalloc(a->nrr, sizeof(*h->rrs));
		for (i = 0; i < a->nrr; i++) {
			if (a->rr[i].type != DNS_TYPE_TLSA)
				continue;
			r = &h->rrs[h->nrrs++];
			r->usage = a->rr[i].usage;
			r->selector = a->rr[i].selector;
			r->mtype = a->rr[i].mtype;
			r->datalen = a->rr[i].datalen;
			if (r->datalen > 0) {
				r->data = xmalloc(r->datalen);
				memcpy(r->data, a->rr[i].data, r->datalen);
			}
			r->check = dane_rr_check(r->usage, r->selector,
			    r->mtype, r->data, r->datalen, &r->form);
			if (r->check == DANE_RR_USABLE)
				h->nusable++;
		}
	}
	dns_answer_free(a);
	if (h->dnssec == DANE_DNSSEC_BOGUS)
		return 1;
	return h->dnssec == DANE_DNSSEC_SECURE && h->nrrs > 0;
}

/*
 * DANE-1: with a CNAME at the MX host, the expanded name is the first
 * candidate and the original name the second.  (We cannot see whether the
 * address lookup through the CNAME was secure; a secure TLSA answer at
 * the target is taken as the sign that it was.)
 */
static void
dane_lookup_host(const struct dns_options *opts, const struct mx_host *mh,
    struct dane_host *h)
{
	h->name = xstrdup(mh->name);
	if (mh->cname != NULL && strcasecmp(mh->cname, mh->name) != 0 &&
	    dane_query_base(opts, mh->cname, h))
		return;
	dane_query_base(opts, mh->name, h);
}

static void
dane_job_run(void *arg)
{
	const struct dane_job *job = arg;

	dane_lookup_host(job->opts, job->src, job->dst);
}

struct dane_result *
dane_lookup(const struct dns_options *opts, const char *domain,
    const struct mx_set *mx)
{
	struct dane_result *res;
	struct dns_options  o;
	struct dns_answer  *a;
	struct dane_job	   *jobs = NULL;
	struct pool_group  *g;
	struct timespec	    t0, t1;
	size_t		    i, n = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	res = xcalloc(1, sizeof(*res));
	res->domain = xstrdup(domain);
	memset(&o, 0, sizeof(o));
	if (opts != NULL)
		o = *opts;
	o.dnssec = 1;

	a = dns_query(&o, domain, DNS_TYPE_MX);
	res->mx_status = a->status;
	res->mx_ad = a->ad && a->status == DNS_OK;
	dns_answer_free(a);

	/*
	 * Every host's lookups on the shared pool, at most BUDGET_DANE_WORKERS
	 * at once; each question ends by the layer's deadline (o.deadline_ms).
	 */
	if (mx != NULL && mx->nhost > 0) {
		jobs = xcalloc(mx->nhost, sizeof(*jobs));
		res->hosts = xcalloc(mx->nhost, sizeof(*res->hosts));
		for (i = 0; i < mx->nhost; i++) {
			if (mx->host[i].ip_literal ||
			    mx->host[i].name == NULL ||
			    mx->host[i].name[0] == '\0')
				continue;
			jobs[n].opts = &o;
			jobs[n].src = &mx->host[i];
			jobs[n].dst = &res->hosts[n];
			n++;
		}
	}
	res->nhosts = n;
	g = pool_group_new(opts->pool != NULL ? opts->pool : pool_default(),
	    BUDGET_DANE_WORKERS);
	for (i = 0; i < n; i++)
		pool_group_add(g, dane_job_run, &jobs[i]);
	pool_group_wait(g);
	free(jobs);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->elapsed_ms = (long)((t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000);
	return res;
}

void
dane_result_free(struct dane_result *res)
{
	struct dane_host *h;
	size_t		  i, k;

	if (res == NULL)
		return;
	for (i = 0; i < res->nhosts; i++) {
		h = &res->hosts[i];
		for (k = 0; k < h->nrrs; k++)
			free(h->rrs[k].data);
		free(h->rrs);
		free(h->name);
		free(h->base);
		free(h->qname);
		free(h->error);
	}
	free(res->hosts);
	free(res->domain);
	free(res);
}

const struct mx_tls_host *
dane_tls_host(const struct mx_tls_result *tls, const char *name)
{
	size_t i;

	if (tls == NULL)
		return NULL;
	for (i = 0; i < tls->nhosts; i++)
		if (strcasecmp(tls->hosts[i].name, name) == 0)
			return &tls->hosts[i];
	return NULL;
}

/*
 * Whether the probe met the server and failed on the way to TLS (no
 * STARTTLS, refused, handshake): what a DANE sender must not get past.
 * Connection failures are the mx_tls layer's to report.
 */
static int
dane_reached_tls_step(const struct smtp_probe_result *p)
{
	if (p == NULL || p->tls)
		return 0;
	if (p->fail == SMTP_PROBE_FAIL_NOTLS)
		return 1;
	return p->fail != SMTP_PROBE_OK &&
	    (p->fail_state == SMTP_PROBE_STARTTLS ||
		p->fail_state == SMTP_PROBE_HANDSHAKE);
}

void
dane_judge(const struct dane_result *res, const struct mx_tls_result *tls,
    int policy_mode, struct finding_list *fl)
{
	const struct dane_host	    *h;
	const struct mx_tls_host    *th;
	const struct mx_tls_addr    *a;
	const struct dane_rr	    *r;
	const struct certinfo_chain *ch;
	struct dane_match	     m;
	unsigned char		     matched[256];
	char			    *t, *why, *subj;
	size_t			     i, k, n, nsecure = 0, nchains;
	long			     depth;
	time_t			     now;

	now = tls != NULL && tls->now != 0 ? tls->now : time(NULL);
	for (i = 0; i < res->nhosts; i++) {
		h = &res->hosts[i];
		switch (h->dnssec) {
		case DANE_DNSSEC_BOGUS:
			finding_add(fl, FINDING_DANE_LOOKUP_ERROR, h->name, 0,
			    "TLSA lookup of %s failed (%s): DANE senders "
			    "treat %s as unreachable",
			    h->qname,
			    h->error != NULL ? h->error
					     : dns_status_name(h->status),
			    h->name);
			continue;
		case DANE_DNSSEC_INSECURE:
			if (h->nrrs > 0)
				finding_add(fl, FINDING_DANE_INSECURE, h->name,
				    0,
				    "%zu TLSA record%s at %s without DNSSEC "
				    "validation (no AD bit): ignored by every "
				    "DANE sender",
				    h->nrrs, h->nrrs == 1 ? "" : "s", h->qname);
			else
				finding_add(fl, FINDING_DANE_NONE, h->name, 0,
				    "no TLSA record at %s (%s, not "
				    "DNSSEC-validated)",
				    h->qname, dns_status_name(h->status));
			continue;
		case DANE_DNSSEC_SECURE:
			break;
		}
		if (h->nrrs == 0) {
			finding_add(fl, FINDING_DANE_NONE, h->name, 0,
			    "no TLSA record at %s (secure denial of "
			    "existence)",
			    h->qname);
			continue;
		}
		nsecure++;

		/* The records themselves (DANE-8, DANE-9). */
		for (k = 0; k < h->nrrs; k++) {
			r = &h->rrs[k];
			t = dane_rr_text(r);
			if (r->check == DANE_RR_PKIX_USAGE)
				finding_add(fl, FINDING_DANE_PKIX_USAGE,
				    h->name, 0,
				    "%s: usage %u (%s) is "
				    "unusable for SMTP%s",
				    t, r->usage,
				    r->usage == 0 ? "PKIX-TA" : "PKIX-EE",
				    h->nusable == 0
					? "; no usable record "
					  "left: DANE senders require TLS but do "
					  "not authenticate"
					: "");
			else if (r->check != DANE_RR_USABLE)
				finding_add(fl, FINDING_DANE_UNUSABLE_RECORD,
				    h->name, 0, "%s: %s%s", t,
				    dane_rr_check_name(r->check),
				    h->nusable == 0
					? "; no usable record "
					  "left: DANE senders require TLS but do "
					  "not authenticate"
					: "");
			else if (r->form != 0)
				finding_add(fl, FINDING_DANE_NOT_RECOMMENDED,
				    h->name, 0, "%s: %s", t,
				    (r->form & DANE_FORM_FULL)
					? "matching type Full(0) is not recommended"
					: "DANE-TA should select the whole "
					  "certificate (2 0 1)");
			free(t);
		}

		/* Every served chain (DANE-5, DANE-6, DANE-7, DANE-13). */
		if ((th = dane_tls_host(tls, h->name)) == NULL || th->skipped)
			continue;
		memset(matched, 0, sizeof(matched));
		nchains = 0;
		for (k = 0; k < th->naddrs; k++) {
			a = &th->addrs[k];
			subj = xasprintf("%s %s", h->name, a->address);
			if (dane_reached_tls_step(a->probe)) {
				finding_add(fl, FINDING_DANE_NO_TLS, subj, 0,
				    "no TLS session (%s), but the MX has "
				    "secure TLSA records: DANE senders do not "
				    "deliver here",
				    a->probe->reason != NULL
					? a->probe->reason
					: "STARTTLS failed");
				free(subj);
				continue;
			}
			ch = a->probe != NULL ? a->probe->chain : NULL;
			if (ch == NULL || ch->ncerts == 0 || h->nusable == 0) {
				free(subj);
				continue;
			}
			nchains++;
			for (n = 0; n < h->nrrs && n < sizeof(matched); n++) {
				why = NULL;
				if (h->rrs[n].check == DANE_RR_USABLE &&
				    dane_match_rr(&h->rrs[n], h, res->domain,
					res->mx_ad, ch, now, &depth, &why))
					matched[n] = 1;
				free(why);
			}
			dane_match(&m, h, res->domain, res->mx_ad, a, now);
			if (m.status == DANE_MATCH_OK) {
				finding_add(fl, FINDING_DANE_OK, subj, 0, "%s",
				    m.detail);
				if (policy_mode > 0 && a->verify != NULL &&
				    a->verify->verdict != CERTINFO_OK)
					finding_add(fl,
					    FINDING_DANE_STS_CONFLICT, subj, 0,
					    "DANE senders deliver (TLSA "
					    "matches) but MTA-STS senders %s do "
					    "not: %s",
					    policy_mode == 2
						? "(mode enforce)"
						: "in enforce mode",
					    a->verify->detail);
			} else if (m.status == DANE_MATCH_FAIL) {
				finding_add(fl, FINDING_DANE_MISMATCH, subj, 0,
				    "%s", m.detail);
				if (policy_mode > 0 && a->verify != NULL &&
				    a->verify->verdict == CERTINFO_OK)
					finding_add(fl,
					    FINDING_DANE_STS_CONFLICT, subj, 0,
					    "MTA-STS senders deliver (the chain "
					    "is PKIX-valid) but DANE senders "
					    "defer (no TLSA record matches); a "
					    "sender doing both defers (RFC 8461 "
					    "section 2)");
			}
			dane_match_clear(&m);
			free(subj);
		}
		/* DANE-11: records no served chain matches. */
		for (n = 0; nchains > 0 && n < h->nrrs && n < sizeof(matched);
		     n++) {
			if (h->rrs[n].check != DANE_RR_USABLE || matched[n])
				continue;
			t = dane_rr_text(&h->rrs[n]);
			finding_add(fl, FINDING_DANE_UNMATCHED_RECORD, h->name,
			    0,
			    "%s matches no chain served by %s (pre-published "
			    "for a rollover, or stale)",
			    t, h->name);
			free(t);
		}
	}
	/* DANE-3: DANE covers the domain only with a secure MX RRset. */
	if (nsecure > 0 && !res->mx_ad && res->mx_status == DNS_OK)
		finding_add(fl, FINDING_DANE_MX_INSECURE, res->domain, 0,
		    "the MX RRset of %s is not DNSSEC-validated, so the "
		    "secure TLSA records of its MX hosts do not protect mail "
		    "to it from DANE senders' point of view",
		    res->domain);
}
