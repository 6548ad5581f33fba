#include "config.h"
#include "certinfo.h"

#include <sys/socket.h>

#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "strbuf.h"
#include "xmalloc.h"

/*
 * What a chain's verification owes to the chain and the store alone (its
 * links, the judged path, GnuTLS's status with time checks off, and the
 * sentences about trust): the costly part, with its signature checks.
 * The name and validity checks depend on the reference name and the time
 * and are made on every call.  Kept per store when the store caches
 * (certinfo_trust_cache: a scan's provider chains are judged once).
 */
struct certinfo_trusted {
	char			*key; /* the chain's SHA-256s, in order */
	struct certinfo_link	*links;
	size_t			 nlinks, end;
	char			*anchor;
	unsigned		 problems, gnutls_status;
	char			*text;	/* "...; " sentences, or "" */
	struct certinfo_trusted *next;	/* age order */
	struct certinfo_trusted *hnext; /* its bucket */
};

#define CERTINFO_BUCKETS 1024

struct certinfo_trust {
	gnutls_x509_trust_list_t  tl;
	char			 *source;
	pthread_mutex_t		  lock; /* refs and the cache: the list is
					  read-only */
	int			  refs;
	size_t			  cache_max; /* 0: no cache */
	size_t			  ncached;
	struct certinfo_trusted	 *cached, *cached_tail; /* oldest first */
	struct certinfo_trusted **bucket; /* CERTINFO_BUCKETS heads */
};

static void certinfo_trusted_free(struct certinfo_trusted *);

static size_t
certinfo_key_hash(const char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 0x100000001b3ULL;
	return (size_t)(h % CERTINFO_BUCKETS);
}

/*
 * Time is judged by us against the caller's `now`, so GnuTLS must not look
 * at the clock; everything else uses its defaults (which also refuse
 * MD5/SHA-1 signatures, as current senders do).
 */
#define CERTINFO_VFLAGS                      \
	(GNUTLS_VERIFY_DISABLE_TIME_CHECKS | \
	    GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS)

static char *certinfo_dn(gnutls_x509_crt_t, int);
static void  certinfo_date(char *, size_t, time_t);
static void  certinfo_hex(char *, const unsigned char *, size_t);
static char *certinfo_keyname(gnutls_x509_crt_t);
static void  certinfo_sans(struct certinfo *, gnutls_x509_crt_t);
static int   certinfo_signs(gnutls_x509_crt_t, gnutls_x509_crt_t);
static int   certinfo_fill(struct certinfo *, const unsigned char *, size_t,
      time_t, char **);
static void  certinfo_clear(struct certinfo *);
static gnutls_x509_crt_t *certinfo_import(const struct certinfo_chain *);
static void		  certinfo_deinit(gnutls_x509_crt_t *, size_t);

static char *
certinfo_dn(gnutls_x509_crt_t crt, int issuer)
{
	gnutls_datum_t d = { NULL, 0 };
	char	      *s;
	int	       rv;

	if (issuer)
		rv = gnutls_x509_crt_get_issuer_dn3(crt, &d, 0);
	else
		rv = gnutls_x509_crt_get_dn3(crt, &d, 0);
	if (rv < 0)
		return xstrdup("");
	s = xstrndup((const char *)d.data, d.size);
	gnutls_free(d.data);
	return s;
}

static void
certinfo_date(char *buf, size_t len, time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, len, "%lld", (long long)t);
}

static void
certinfo_hex(char *out, const unsigned char *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t		  i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

/* Names as administrators know them: NIST curves by their P- name. */
static char *
certinfo_keyname(gnutls_x509_crt_t crt)
{
	unsigned int	   bits = 0;
	gnutls_ecc_curve_t curve;
	const char	  *cname;
	int		   alg;

	alg = gnutls_x509_crt_get_pk_algorithm(crt, &bits);
	switch (alg) {
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS:
		return xasprintf("%s %u",
		    alg == GNUTLS_PK_RSA ? "RSA" : "RSA-PSS", bits);
	case GNUTLS_PK_EC:
		if (gnutls_x509_crt_get_pk_ecc_raw(crt, &curve, NULL, NULL) < 0)
			return xasprintf("ECDSA %u", bits);
		switch (curve) {
		case GNUTLS_ECC_CURVE_SECP256R1:
			return xstrdup("ECDSA P-256");
		case GNUTLS_ECC_CURVE_SECP384R1:
			return xstrdup("ECDSA P-384");
		case GNUTLS_ECC_CURVE_SECP521R1:
			return xstrdup("ECDSA P-521");
		default:
			cname = gnutls_ecc_curve_get_name(curve);
			return xasprintf("ECDSA %s", cname ? cname : "?");
		}
	case GNUTLS_PK_EDDSA_ED25519:
		return xstrdup("Ed25519");
	case GNUTLS_PK_EDDSA_ED448:
		return xstrdup("Ed448");
	default:
		cname = alg < 0 ? NULL : gnutls_pk_algorithm_get_name(alg);
		return xasprintf("%s %u", cname ? cname : "unknown", bits);
	}
}

static void
certinfo_sans(struct certinfo *ci, gnutls_x509_crt_t crt)
{
	unsigned char buf[1024];
	char	      addr[INET6_ADDRSTRLEN];
	size_t	      size;
	unsigned int  critical;
	unsigned int  i;
	int	      type;

	for (i = 0;; i++) {
		size = sizeof(buf) - 1;
		type = gnutls_x509_crt_get_subject_alt_name(crt, i, buf, &size,
		    &critical);
		if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (type == GNUTLS_E_SHORT_MEMORY_BUFFER)
			continue; /* absurdly long entry: skip it */
		if (type < 0)
			break;
		if (type == GNUTLS_SAN_DNSNAME) {
			ci->dns_names = xreallocarray(ci->dns_names,
			    ci->ndns + 1, sizeof(*ci->dns_names));
			ci->dns_names[ci->ndns++] =
			    xstrndup((const char *)buf, size);
		} else if (type == GNUTLS_SAN_IPADDRESS &&
		    (size == 4 || size == 16)) {
			if (inet_ntop(size == 4 ? AF_INET : AF_INET6, buf, addr,
				sizeof(addr)) == NULL)
				continue;
			ci->ip_addrs = xreallocarray(ci->ip_addrs, ci->nip + 1,
			    sizeof(*ci->ip_addrs));
			ci->ip_addrs[ci->nip++] = xstrdup(addr);
		}
	}
}

/* Whether issuer's name and key account for crt's signature. */
static int
certinfo_signs(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer)
{
	unsigned int status = 0;

	if (!gnutls_x509_crt_check_issuer(crt, issuer))
		return 0;
	if (gnutls_x509_crt_verify(crt, &issuer, 1,
		CERTINFO_VFLAGS | GNUTLS_VERIFY_DISABLE_CA_SIGN, &status) < 0)
		return 0;
	return (status &
		   (GNUTLS_CERT_SIGNATURE_FAILURE |
		       GNUTLS_CERT_SIGNER_NOT_FOUND)) == 0;
}

static int
certinfo_fill(struct certinfo *ci, const unsigned char *der, size_t len,
    time_t now, char **cause)
{
	gnutls_x509_crt_t crt;
	gnutls_pubkey_t	  pub;
	gnutls_datum_t	  d, spki = { NULL, 0 };
	unsigned char	  md[32];
	size_t		  mdlen = sizeof(md);
	unsigned int	  critical = 0;
	int		  rv, ca;

	memset(ci, 0, sizeof(*ci));
	if (gnutls_x509_crt_init(&crt) < 0) {
		*cause = xstrdup("gnutls_x509_crt_init failed");
		return -1;
	}
	d.data = (unsigned char *)der;
	d.size = len;
	if ((rv = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER)) < 0) {
		*cause = xasprintf("certificate does not parse: %s",
		    gnutls_strerror(rv));
		gnutls_x509_crt_deinit(crt);
		return -1;
	}

	ci->der = xmalloc(len);
	memcpy(ci->der, der, len);
	ci->der_len = len;
	ci->subject = certinfo_dn(crt, 0);
	ci->issuer = certinfo_dn(crt, 1);
	certinfo_sans(ci, crt);
	ci->not_before = gnutls_x509_crt_get_activation_time(crt);
	ci->not_after = gnutls_x509_crt_get_expiration_time(crt);
	/* Round towards minus infinity so "expired an hour ago" is -1. */
	if (ci->not_after >= now)
		ci->days_left = (long)((ci->not_after - now) / 86400);
	else
		ci->days_left = -(long)((now - ci->not_after + 86399) / 86400);
	ci->key = certinfo_keyname(crt);
	rv = gnutls_x509_crt_get_signature_algorithm(crt);
	ci->sig_alg = xstrdup(rv >= 0 && gnutls_sign_get_name(rv) != NULL
		? gnutls_sign_get_name(rv)
		: "unknown");

	if (gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256, md,
		&mdlen) == 0 &&
	    mdlen == sizeof(md))
		certinfo_hex(ci->fpr_sha256, md, mdlen);
	if (gnutls_pubkey_init(&pub) == 0) {
		if (gnutls_pubkey_import_x509(pub, crt, 0) == 0 &&
		    gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &spki) ==
			0) {
			if (gnutls_hash_fast(GNUTLS_DIG_SHA256, spki.data,
				spki.size, md) == 0)
				certinfo_hex(ci->spki_sha256, md, sizeof(md));
			gnutls_free(spki.data);
		}
		gnutls_pubkey_deinit(pub);
	}

	ca = gnutls_x509_crt_get_basic_constraints(crt, &critical, NULL, NULL);
	ci->is_ca = ca > 0;
	ci->self_signed = certinfo_signs(crt, crt);
	gnutls_x509_crt_deinit(crt);
	return 0;
}

static void
certinfo_clear(struct certinfo *ci)
{
	size_t i;

	free(ci->subject);
	free(ci->issuer);
	for (i = 0; i < ci->ndns; i++)
		free(ci->dns_names[i]);
	free(ci->dns_names);
	for (i = 0; i < ci->nip; i++)
		free(ci->ip_addrs[i]);
	free(ci->ip_addrs);
	free(ci->key);
	free(ci->sig_alg);
	free(ci->der);
}

struct certinfo_chain *
certinfo_chain_new(const struct certinfo_der *der, size_t n, time_t now,
    char **cause)
{
	struct certinfo_chain *chain;
	size_t		       i;

	chain = xcalloc(1, sizeof(*chain));
	if (n == 0)
		return chain;
	chain->certs = xcalloc(n, sizeof(*chain->certs));
	for (i = 0; i < n; i++) {
		if (certinfo_fill(&chain->certs[i], der[i].data, der[i].len,
			now, cause) != 0) {
			chain->ncerts = i;
			certinfo_chain_free(chain);
			return NULL;
		}
		chain->ncerts = i + 1;
	}
	return chain;
}

struct certinfo_chain *
certinfo_chain_new_pem(const char *const *pem, size_t n, time_t now,
    char **cause)
{
	struct certinfo_der   *der;
	struct certinfo_chain *chain = NULL;
	gnutls_datum_t	      *bin, in;
	size_t		       i;
	int		       rv;

	der = xcalloc(n ? n : 1, sizeof(*der));
	bin = xcalloc(n ? n : 1, sizeof(*bin));
	for (i = 0; i < n; i++) {
		in.data = (unsigned char *)pem[i];
		in.size = strlen(pem[i]);
		rv = gnutls_pem_base64_decode2("CERTIFICATE", &in, &bin[i]);
		if (rv < 0) {
			*cause = xasprintf("certificate %zu is not PEM: %s", i,
			    gnutls_strerror(rv));
			goto out;
		}
		der[i].data = bin[i].data;
		der[i].len = bin[i].size;
	}
	chain = certinfo_chain_new(der, n, now, cause);
out:
	for (i = 0; i < n; i++)
		gnutls_free(bin[i].data);
	free(bin);
	free(der);
	return chain;
}

void
certinfo_chain_free(struct certinfo_chain *chain)
{
	size_t i;

	if (chain == NULL)
		return;
	for (i = 0; i < chain->ncerts; i++)
		certinfo_clear(&chain->certs[i]);
	free(chain->certs);
	free(chain);
}

struct certinfo_trust *
certinfo_trust_new(const char *cafile, char **cause)
{
	struct certinfo_trust *trust;
	int		       rv;

	trust = xcalloc(1, sizeof(*trust));
	pthread_mutex_init(&trust->lock, NULL);
	trust->refs = 1;
	if (gnutls_x509_trust_list_init(&trust->tl, 0) < 0) {
		pthread_mutex_destroy(&trust->lock);
		free(trust);
		*cause = xstrdup("gnutls_x509_trust_list_init failed");
		return NULL;
	}
	if (cafile != NULL) {
		rv = gnutls_x509_trust_list_add_trust_file(trust->tl, cafile,
		    NULL, GNUTLS_X509_FMT_PEM, 0, 0);
		trust->source = xasprintf("CA file %s", cafile);
	} else {
		rv = gnutls_x509_trust_list_add_system_trust(trust->tl, 0, 0);
		trust->source = xstrdup("system trust store");
	}
	if (rv <= 0) {
		*cause =
		    xasprintf("%s: no certificates loaded%s%s", trust->source,
			rv < 0 ? ": " : "", rv < 0 ? gnutls_strerror(rv) : "");
		certinfo_trust_free(trust);
		return NULL;
	}
	return trust;
}

struct certinfo_trust *
certinfo_trust_ref(struct certinfo_trust *trust)
{
	pthread_mutex_lock(&trust->lock);
	trust->refs++;
	pthread_mutex_unlock(&trust->lock);
	return trust;
}

void
certinfo_trust_free(struct certinfo_trust *trust)
{
	struct certinfo_trusted *t;
	int			 last;

	if (trust == NULL)
		return;
	pthread_mutex_lock(&trust->lock);
	last = --trust->refs == 0;
	pthread_mutex_unlock(&trust->lock);
	if (!last)
		return;
	pthread_mutex_destroy(&trust->lock);
	gnutls_x509_trust_list_deinit(trust->tl, 1);
	while ((t = trust->cached) != NULL) {
		trust->cached = t->next;
		certinfo_trusted_free(t);
	}
	free(trust->bucket);
	free(trust->source);
	free(trust);
}

const char *
certinfo_trust_source(const struct certinfo_trust *trust)
{
	return trust->source;
}

const char *
certinfo_verdict_name(enum certinfo_verdict v)
{
	switch (v) {
	case CERTINFO_OK:
		return "ok";
	case CERTINFO_UNTRUSTED:
		return "untrusted";
	case CERTINFO_INCOMPLETE_CHAIN:
		return "incomplete-chain";
	case CERTINFO_OTHER:
		return "other";
	case CERTINFO_NAME_MISMATCH:
		return "name-mismatch";
	case CERTINFO_EXPIRED:
		return "expired";
	case CERTINFO_NOT_YET_VALID:
		return "not-yet-valid";
	}
	return "?";
}

int
certinfo_name_match(const char *pattern, const char *refname)
{
	const char *pdot, *rdot;
	size_t	    plen, rlen;

	plen = strlen(pattern);
	rlen = strlen(refname);
	if (rlen > 0 && refname[rlen - 1] == '.')
		rlen--;
	if (plen == 0 || rlen == 0)
		return 0;
	if (pattern[0] != '*')
		return memchr(pattern, '*', plen) == NULL && plen == rlen &&
		    strncasecmp(pattern, refname, rlen) == 0;

	/* "*.rest": rest must have two labels, refname one label more. */
	if (plen < 3 || pattern[1] != '.' ||
	    memchr(pattern + 1, '*', plen - 1) != NULL)
		return 0;
	pdot = pattern + 1;
	if (strchr(pdot + 1, '.') == NULL)
		return 0;
	rdot = memchr(refname, '.', rlen);
	if (rdot == NULL || rdot == refname)
		return 0;
	return (size_t)(refname + rlen - rdot) == plen - 1 &&
	    strncasecmp(rdot, pdot, plen - 1) == 0;
}

static gnutls_x509_crt_t *
certinfo_import(const struct certinfo_chain *chain)
{
	gnutls_x509_crt_t *crts;
	gnutls_datum_t	   d;
	size_t		   i;

	crts = xcalloc(chain->ncerts, sizeof(*crts));
	for (i = 0; i < chain->ncerts; i++) {
		d.data = chain->certs[i].der;
		d.size = chain->certs[i].der_len;
		if (gnutls_x509_crt_init(&crts[i]) < 0 ||
		    gnutls_x509_crt_import(crts[i], &d, GNUTLS_X509_FMT_DER) <
			0) {
			/* Parsed once already, so only memory can fail. */
			certinfo_deinit(crts, i + 1);
			return NULL;
		}
	}
	return crts;
}

static void
certinfo_deinit(gnutls_x509_crt_t *crts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (crts[i] != NULL)
			gnutls_x509_crt_deinit(crts[i]);
	free(crts);
}

static void
certinfo_trusted_free(struct certinfo_trusted *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nlinks; i++)
		free(t->links[i].anchor);
	free(t->links);
	free(t->anchor);
	free(t->text);
	free(t->key);
	free(t);
}

static struct certinfo_trusted *
certinfo_trusted_copy(const struct certinfo_trusted *t)
{
	struct certinfo_trusted *c = xcalloc(1, sizeof(*c));
	size_t			 i;

	*c = *t;
	c->next = NULL;
	c->key = NULL;
	c->links = xcalloc(t->nlinks, sizeof(*c->links));
	for (i = 0; i < t->nlinks; i++) {
		c->links[i] = t->links[i];
		if (t->links[i].anchor != NULL)
			c->links[i].anchor = xstrdup(t->links[i].anchor);
	}
	c->anchor = t->anchor != NULL ? xstrdup(t->anchor) : NULL;
	c->text = xstrdup(t->text);
	return c;
}

/* The trust half of certinfo_verify (see struct certinfo_trusted). */
static struct certinfo_trusted *
certinfo_trusted_judge(const struct certinfo_chain *chain,
    const struct certinfo_trust *trust, gnutls_x509_crt_t *crts)
{
	struct certinfo_trusted *t = xcalloc(1, sizeof(*t));
	struct certinfo_link	*l;
	const struct certinfo	*last;
	gnutls_x509_crt_t	 issuer;
	gnutls_datum_t		 txt;
	struct strbuf		 sb;
	size_t			 i, len;
	unsigned int		 status = 0;
	int			 rv;

	strbuf_init(&sb, 4096);
	/* Links, in the order sent; the judged path is the signed prefix. */
	t->nlinks = chain->ncerts;
	t->links = xcalloc(t->nlinks, sizeof(*t->links));
	t->end = chain->ncerts;
	for (i = 0; i < chain->ncerts; i++) {
		l = &t->links[i];
		if (i + 1 < chain->ncerts)
			l->signed_by_next =
			    certinfo_signs(crts[i], crts[i + 1]);
		else
			l->signed_by_next = -1;
		if (gnutls_x509_trust_list_get_issuer(trust->tl, crts[i],
			&issuer, GNUTLS_TL_GET_COPY) == 0) {
			if (certinfo_signs(crts[i], issuer)) {
				l->anchor = certinfo_dn(issuer, 0);
				l->is_anchor =
				    gnutls_x509_crt_equals(crts[i], issuer);
			}
			gnutls_x509_crt_deinit(issuer);
		}
		if (t->end == chain->ncerts &&
		    (l->anchor != NULL || l->signed_by_next != 1))
			t->end = i + 1;
	}
	for (i = 0; i < t->end; i++)
		t->links[i].in_path = 1;
	for (i = 0; i < t->end; i++)
		if (t->links[i].anchor != NULL) {
			t->anchor = xstrdup(t->links[i].anchor);
			break;
		}

	rv = gnutls_x509_trust_list_verify_crt2(trust->tl, crts, chain->ncerts,
	    NULL, 0, CERTINFO_VFLAGS, &status, NULL);
	if (rv < 0) {
		status |= GNUTLS_CERT_INVALID;
		strbuf_addf(&sb, "verification error: %s; ",
		    gnutls_strerror(rv));
		t->problems |= CERTINFO_P_OTHER;
	}
	t->gnutls_status = status;
	last = &chain->certs[t->end - 1];
	if (status & GNUTLS_CERT_SIGNER_NOT_FOUND) {
		/*
		 * TLS-5: a last certificate that is not self-issued names an
		 * issuer the server should have sent.  A self-signed one
		 * (leaf or private root) can never chain to the store.
		 */
		if (last->self_signed ||
		    strcmp(last->subject, last->issuer) == 0) {
			t->problems |= CERTINFO_P_UNTRUSTED;
			strbuf_addf(&sb,
			    "%s is self-signed and not in the "
			    "%s; ",
			    t->end == 1 ? "the certificate"
					: "the chain's root",
			    trust->source);
		} else {
			t->problems |= CERTINFO_P_INCOMPLETE;
			strbuf_addf(&sb,
			    "issuer \"%s\" of the last certificate "
			    "sent is neither sent nor in the %s; ",
			    last->issuer, trust->source);
		}
		status &= ~(GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_INVALID);
	}
	status &= ~GNUTLS_CERT_INVALID;
	if (status != 0) {
		t->problems |= CERTINFO_P_OTHER;
		if (gnutls_certificate_verification_status_print(status,
			GNUTLS_CRT_X509, &txt, 0) == 0) {
			/* GnuTLS ends its sentences with a space. */
			while (txt.size > 0 && txt.data[txt.size - 1] == ' ')
				txt.size--;
			strbuf_addf(&sb, "%.*s; ", (int)txt.size,
			    (const char *)txt.data);
			gnutls_free(txt.data);
		}
	}
	t->text = strbuf_detach(&sb, &len);
	return t;
}

void
certinfo_trust_cache(struct certinfo_trust *trust, size_t max_entries)
{
	pthread_mutex_lock(&trust->lock);
	if (trust->bucket == NULL)
		trust->bucket =
		    xcalloc(CERTINFO_BUCKETS, sizeof(*trust->bucket));
	trust->cache_max = max_entries;
	pthread_mutex_unlock(&trust->lock);
}

/* The chain's key: its certificates' SHA-256s, in the order sent. */
static char *
certinfo_chain_key(const struct certinfo_chain *chain)
{
	char  *key = xcalloc(chain->ncerts, CERTINFO_HEXLEN + 1);
	size_t i;

	for (i = 0; i < chain->ncerts; i++) {
		memcpy(key + i * (CERTINFO_HEXLEN + 1),
		    chain->certs[i].fpr_sha256, CERTINFO_HEXLEN);
		key[i * (CERTINFO_HEXLEN + 1) + CERTINFO_HEXLEN] =
		    i + 1 < chain->ncerts ? ',' : '\0';
	}
	return key;
}

/*
 * The trust half for chain: a copy of the store's cached one, or judged
 * now (and cached when the store caches).  Returns NULL when the chain
 * cannot be re-imported.
 */
static struct certinfo_trusted *
certinfo_trusted_get(const struct certinfo_chain *chain,
    const struct certinfo_trust			 *ctrust)
{
	/* The cache is the store's mutable part, under its lock. */
	struct certinfo_trust	*trust = (struct certinfo_trust *)ctrust;
	struct certinfo_trusted *t, *c = NULL, *old, **pp;
	gnutls_x509_crt_t	*crts;
	char			*key = NULL;
	size_t			 b = 0;
	int			 caching;

	pthread_mutex_lock(&trust->lock);
	caching = trust->cache_max > 0;
	pthread_mutex_unlock(&trust->lock);
	if (caching) {
		key = certinfo_chain_key(chain);
		b = certinfo_key_hash(key);
		pthread_mutex_lock(&trust->lock);
		for (t = trust->bucket[b]; t != NULL; t = t->hnext)
			if (strcmp(t->key, key) == 0) {
				c = certinfo_trusted_copy(t);
				break;
			}
		pthread_mutex_unlock(&trust->lock);
		if (c != NULL) {
			free(key);
			return c;
		}
	}
	if ((crts = certinfo_import(chain)) == NULL) {
		free(key);
		return NULL;
	}
	t = certinfo_trusted_judge(chain, trust, crts);
	certinfo_deinit(crts, chain->ncerts);
	if (key == NULL)
		return t;
	c = certinfo_trusted_copy(t);
	t->key = key;
	pthread_mutex_lock(&trust->lock);
	if (trust->cached_tail != NULL)
		trust->cached_tail->next = t;
	else
		trust->cached = t;
	trust->cached_tail = t;
	t->hnext = trust->bucket[b];
	trust->bucket[b] = t;
	old = NULL;
	if (++trust->ncached > trust->cache_max) {
		old = trust->cached;
		trust->cached = old->next;
		if (trust->cached == NULL)
			trust->cached_tail = NULL;
		trust->ncached--;
		pp = &trust->bucket[certinfo_key_hash(old->key)];
		while (*pp != old)
			pp = &(*pp)->hnext;
		*pp = old->hnext;
	}
	pthread_mutex_unlock(&trust->lock);
	certinfo_trusted_free(old);
	return c;
}

struct certinfo_verify *
certinfo_verify(const struct certinfo_chain *chain,
    const struct certinfo_trust *trust, const char *refname, time_t now)
{
	struct certinfo_verify	*v;
	struct certinfo_trusted *t;
	const struct certinfo	*ci;
	struct strbuf		 sb;
	char			 date[32];
	size_t			 i, end, len;

	v = xcalloc(1, sizeof(*v));
	v->matched_dns = -1;
	v->anchor_source = xstrdup(certinfo_trust_source(trust));
	strbuf_init(&sb, 4096);
	if (chain->ncerts == 0) {
		v->verdict = CERTINFO_OTHER;
		v->problems = CERTINFO_P_OTHER;
		v->detail = xstrdup("the server sent no certificate");
		strbuf_free(&sb);
		return v;
	}
	if ((t = certinfo_trusted_get(chain, trust)) == NULL) {
		v->verdict = CERTINFO_OTHER;
		v->problems = CERTINFO_P_OTHER;
		v->detail = xstrdup("certificates could not be re-imported");
		strbuf_free(&sb);
		return v;
	}
	/* The trust half is taken over whole; its strings move to v. */
	v->links = t->links;
	v->nlinks = t->nlinks;
	v->anchor = t->anchor;
	v->problems = t->problems;
	v->gnutls_status = t->gnutls_status;
	end = t->end;
	strbuf_add(&sb, t->text, strlen(t->text));
	free(t->text);
	free(t);

	if (refname != NULL) {
		ci = &chain->certs[0];
		for (i = 0; i < ci->ndns; i++)
			if (certinfo_name_match(ci->dns_names[i], refname)) {
				v->matched_dns = (long)i;
				break;
			}
		if (v->matched_dns < 0) {
			v->problems |= CERTINFO_P_NAME;
			if (ci->ndns == 0)
				strbuf_addf(&sb,
				    "no subjectAltName DNS name "
				    "(the subject CN is not used) for %s; ",
				    refname);
			else
				strbuf_addf(&sb,
				    "no subjectAltName DNS name "
				    "matches %s; ",
				    refname);
		}
	}

	for (i = 0; i < end; i++) {
		ci = &chain->certs[i];
		if (now > ci->not_after) {
			v->problems |= CERTINFO_P_EXPIRED;
			certinfo_date(date, sizeof(date), ci->not_after);
			strbuf_addf(&sb, "certificate %zu (%s) expired on %s; ",
			    i, *ci->subject ? ci->subject : "no subject", date);
		} else if (now < ci->not_before) {
			v->problems |= CERTINFO_P_NOT_YET;
			certinfo_date(date, sizeof(date), ci->not_before);
			strbuf_addf(&sb,
			    "certificate %zu (%s) is not valid "
			    "before %s; ",
			    i, *ci->subject ? ci->subject : "no subject", date);
		}
	}

	if (v->problems & CERTINFO_P_UNTRUSTED)
		v->verdict = CERTINFO_UNTRUSTED;
	else if (v->problems & CERTINFO_P_INCOMPLETE)
		v->verdict = CERTINFO_INCOMPLETE_CHAIN;
	else if (v->problems & CERTINFO_P_OTHER)
		v->verdict = CERTINFO_OTHER;
	else if (v->problems & CERTINFO_P_NAME)
		v->verdict = CERTINFO_NAME_MISMATCH;
	else if (v->problems & CERTINFO_P_EXPIRED)
		v->verdict = CERTINFO_EXPIRED;
	else if (v->problems & CERTINFO_P_NOT_YET)
		v->verdict = CERTINFO_NOT_YET_VALID;
	else
		v->verdict = CERTINFO_OK;

	if (v->verdict == CERTINFO_OK) {
		if (v->matched_dns >= 0)
			strbuf_addf(&sb,
			    "trusted via \"%s\" (%s); name matches "
			    "SAN %s",
			    v->anchor ? v->anchor : "?", v->anchor_source,
			    chain->certs[0].dns_names[v->matched_dns]);
		else
			strbuf_addf(&sb, "trusted via \"%s\" (%s)",
			    v->anchor ? v->anchor : "?", v->anchor_source);
	}
	v->detail = strbuf_detach(&sb, &len);
	if (len >= 2 && v->detail[len - 1] == ' ')
		v->detail[len - 2] = '\0'; /* the last "; " */
	return v;
}

void
certinfo_verify_free(struct certinfo_verify *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->nlinks; i++)
		free(v->links[i].anchor);
	free(v->links);
	free(v->detail);
	free(v->anchor);
	free(v->anchor_source);
	free(v);
}
