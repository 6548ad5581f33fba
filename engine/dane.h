/*
 * dane: DANE for SMTP (RFC 7672, RFC 6698, RFC 7671) as a checker sees it.
 *
 * dane_lookup() collects: the MX RRset's DNSSEC status and, for every MX
 * host, the TLSA RRset at _25._tcp.<host> asked with the DO bit, judged by
 * the AD bit of the (validating) resolver, with each record's own checks
 * (DANE-8, DANE-9).  It blocks (one task per host on the shared pool, at
 * most BUDGET_DANE_WORKERS at once, each dns_query bounded by the DNS
 * options), so the check runs it on a worker thread once the MX set is
 * known.
 *
 * dane_judge() is pure: it takes that result, the mx_tls result (the chains
 * actually served on every address; NULL when the STARTTLS layer did not
 * run) and the policy mode, matches the usable records against every
 * served chain with dane_match() and adds the dane.* findings, including
 * the DANE-13 conflicts with MTA-STS.
 *
 * Matching is our own code on the DER certificate and its SPKI (GnuTLS
 * only for parsing, hashing and the DANE-TA path check); see doc/dane.md.
 *
 * Threads: no global state; every function may be called from any thread.
 * Ownership: the result owns everything in it; free it with
 * dane_result_free().  Read-only for clients.
 */
#ifndef MTASTS_DANE_H
#define MTASTS_DANE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "dns.h"

#define DANE_PORT     25
#define DANE_LINE_MAX 4096 /* one summary or finding line */

struct finding_list;
struct jsonw;
struct mx_set;
struct mx_tls_result;
struct mx_tls_host;
struct mx_tls_addr;

/* DNSSEC state of one answer (RFC 4035 section 4.3 terms, DANE-2). */
enum dane_dnssec {
	DANE_DNSSEC_SECURE = 0, /* AD set */
	DANE_DNSSEC_INSECURE,	/* an answer without AD */
	DANE_DNSSEC_BOGUS	/* SERVFAIL, timeout, any lookup error:
					   bogus and indeterminate look the
					   same through a validating resolver */
};

/* Why one TLSA record is (not) usable; the first problem found wins. */
enum dane_rr_check {
	DANE_RR_USABLE = 0,
	DANE_RR_PKIX_USAGE,   /* usage 0 or 1 (DANE-8) */
	DANE_RR_BAD_USAGE,    /* usage > 3 */
	DANE_RR_BAD_SELECTOR, /* selector > 1 */
	DANE_RR_BAD_MTYPE,    /* matching type > 2 */
	DANE_RR_BAD_LENGTH,   /* digest length does not fit the type,
					   or Full(0) data that is no DER
					   SEQUENCE */
	DANE_RR_EMPTY	      /* no association data */
};

/* Advice on a usable record's form (DANE-6, DANE-7, DANE-9); bits. */
#define DANE_FORM_FULL	  0x01u /* matching type Full(0) */
#define DANE_FORM_TA_SPKI 0x02u /* 2 1 x: selector Cert(0) advised */

struct dane_rr {
	uint8_t		   usage, selector, mtype;
	unsigned char	  *data;
	size_t		   datalen;
	enum dane_rr_check check;
	unsigned	   form; /* DANE_FORM_* */
};

/* One MX host's TLSA lookup; read-only for clients. */
struct dane_host {
	char		*name;	 /* MX host as in the mx_set */
	char		*base;	 /* TLSA base domain used: name,
						   or its CNAME target (DANE-1) */
	char		*qname;	 /* _25._tcp.<base> */
	enum dns_status	 status; /* of the TLSA query */
	int		 ad;	 /* AD bit on that answer */
	enum dane_dnssec dnssec;
	char		*error; /* one line, lookup errors */
	struct dane_rr	*rrs;	/* the TLSA RRset (OK only) */
	size_t		 nrrs;
	size_t		 nusable; /* rrs with DANE_RR_USABLE */
	unsigned	 elapsed_ms;
};

struct dane_result {
	char		 *domain;
	enum dns_status	  mx_status; /* MX query with DO */
	int		  mx_ad;     /* the MX RRset is secure */
	struct dane_host *hosts;     /* in mx_set order */
	size_t		  nhosts;
	long		  elapsed_ms;
};

/*
 * Looks up the MX RRset of domain and the TLSA RRset of every host in mx
 * (ip-literal hosts are left out: they have no TLSA base domain).  opts
 * should ask for DNSSEC; dane_lookup sets dnssec = 1 on its own copy.
 * Never NULL; the caller frees it.
 */
struct dane_result *dane_lookup(const struct dns_options *, const char *domain,
    const struct mx_set *mx);
void		    dane_result_free(struct dane_result *);

/* The check of one record (pure; used by dane_lookup, exposed for tests). */
enum dane_rr_check dane_rr_check(uint8_t usage, uint8_t selector, uint8_t mtype,
    const unsigned char *data, size_t datalen, unsigned *form);
const char	  *dane_rr_check_name(enum dane_rr_check);
const char	  *dane_dnssec_name(enum dane_dnssec);

/* Outcome of matching one host's records against one served chain. */
enum dane_match_status {
	DANE_MATCH_NONE = 0, /* no usable record to match */
	DANE_MATCH_OK,	     /* a usable record matches */
	DANE_MATCH_FAIL,     /* usable records, none matches */
	DANE_MATCH_NO_CHAIN  /* the address presented no chain */
};

struct dane_match {
	enum dane_match_status status;
	long		       rr;     /* index of the matching record,
						   or -1 */
	long		       depth;  /* chain depth it matched */
	char		      *detail; /* one line; caller frees with
						   dane_match_clear() */
};

/*
 * Matches h's usable records against the chain served at a (DANE-6:
 * DANE-EE on the leaf, names and expiry ignored; DANE-7: DANE-TA must be
 * presented, the path from the leaf to it must verify and the leaf must
 * name the TLSA base domain, or the domain when the MX RRset is secure).
 * domain may be NULL.  now: 0 is time(NULL).
 */
void dane_match(struct dane_match *, const struct dane_host *h,
    const char *domain, int mx_secure, const struct mx_tls_addr *a, time_t now);
void dane_match_clear(struct dane_match *);
/* Same on a bare chain (DER certificates, leaf first); for tests. */
struct certinfo_chain;
void dane_match_chain(struct dane_match *, const struct dane_host *h,
    const char *domain, int mx_secure, const struct certinfo_chain *,
    time_t now);

/*
 * Adds the dane.* findings to fl (subject "HOST" or "HOST ADDRESS").
 * tls may be NULL (the STARTTLS layer did not run): records are judged,
 * nothing is matched.  policy_mode: 0 no policy or mode none, 1 testing,
 * 2 enforce; the DANE-13 conflicts are reported only with a policy.
 */
void dane_judge(const struct dane_result *, const struct mx_tls_result *tls,
    int policy_mode, struct finding_list *fl);

/* The probe's host of that name, or NULL (shared with layer_dane.c). */
const struct mx_tls_host *dane_tls_host(const struct mx_tls_result *,
    const char *name);

#endif
