/*
 * dns: one DNS question, asked through ldns, with a bounded wait.
 *
 * dns_query() asks over UDP (resending once, to the next resolver when
 * there is one) and, after a truncated answer (TC=1), over TCP, on its own
 * non-blocking sockets; ldns builds and parses the packets.  Every wait
 * ends at ONE absolute deadline per question: now + timeout, or the
 * caller's deadline_ms when that is earlier, so a server trickling a TCP
 * answer byte by byte cannot stretch it.  Safe to call from several threads
 * at once.  With a cache (dns_options.cache, dns_cache.h) a question
 * already answered or in flight for another check is not asked again;
 * dns_resolve_addrs() goes through dns_query() and so through the cache.
 * It follows the CNAME chain inside the answer, keeps TXT character-strings
 * apart (the TXT and TLS-RPT parsers join them by the rules), and tells a
 * SERVFAIL or timeout apart from NXDOMAIN and NODATA (TXT-11).
 */
#ifndef MTASTS_DNS_H
#define MTASTS_DNS_H

#include <stddef.h>
#include <stdint.h>

#define DNS_TYPE_A     1
#define DNS_TYPE_CNAME 5
#define DNS_TYPE_MX    15
#define DNS_TYPE_TXT   16
#define DNS_TYPE_AAAA  28
#define DNS_TYPE_TLSA  52

struct dns_cache;
struct pool;
struct pool;

struct dns_options {
	const char *resolver;	 /* address; NULL: /etc/resolv.conf */
	unsigned    port;	 /* 0: 53 */
	double	    timeout;	 /* seconds per question (UDP + TCP) */
	int	    dnssec;	 /* set DO, report AD */
	int64_t	    deadline_ms; /* absolute clock_ms(); 0: none */
	/* A run's answers (dns_cache.h); NULL: every question is asked. */
	struct dns_cache *cache;
	/* Where fan-outs of questions (mx_lookup, dane) run; NULL: the
	 * process's pool_default(). */
	struct pool *pool;
};

enum dns_status {
	DNS_OK,	    /* records of the type were found */
	DNS_NODATA, /* the name exists, no records of the type */
	DNS_NXDOMAIN,
	DNS_SERVFAIL,
	DNS_REFUSED,
	DNS_TIMEOUT,
	DNS_ERROR /* anything else: FORMERR, network, bad reply */
};

struct dns_str {
	unsigned char *data; /* may hold any byte, NUL-terminated */
	size_t	       len;
};

/* One record of the asked type at the end of the CNAME chain. */
struct dns_rr {
	uint16_t	type;
	uint32_t	ttl;
	uint16_t	pref; /* MX */
	char	       *name; /* MX exchange (no root dot; "" for
					   the null MX), CNAME target, or the
					   A/AAAA address as text */
	struct dns_str *str;  /* TXT character-strings */
	size_t		nstr;
	uint8_t		usage, selector, mtype; /* TLSA */
	unsigned char  *data;			/* TLSA association data */
	size_t		datalen;
};

/* Read-only for callers; free with dns_answer_free(). */
struct dns_answer {
	char	       *qname;
	uint16_t	qtype;
	enum dns_status status;
	int		rcode;
	int		ad;    /* the resolver set the AD bit */
	char	      **cname; /* the chain: qname's CNAME target, ... */
	size_t		ncname;
	struct dns_rr  *rr;
	size_t		nrr;
	char	       *error; /* for errors: one line */
	unsigned	elapsed_ms;
	int		cut; /* DNS_TIMEOUT at the caller's deadline_ms */
};

/* Always returns an answer (the caller frees it), errors included. */
struct dns_answer *dns_query(const struct dns_options *, const char *name,
    uint16_t type);
void		   dns_answer_free(struct dns_answer *);
/* A deep copy, the caller's to free (the cache hands out copies). */
struct dns_answer *dns_answer_copy(const struct dns_answer *);
const char	  *dns_status_name(enum dns_status);
const char	  *dns_type_name(uint16_t);
/*
 * Appends the addresses (A, then AAAA unless family says otherwise), and
 * keeps the CNAME chain of the first query that had one: with a dangling
 * CNAME the chain is there and the status is DNS_NXDOMAIN.
 */
struct dns_addrs {
	char	      **addr;
	size_t		n;
	enum dns_status status4, status6; /* DNS_NODATA when not asked */
	char	       *error;		  /* first error, one line */
	char	      **cname;		  /* the chain: name's target, ... */
	size_t		ncname;
	/* The smallest TTL of the addresses taken, as the resolver gave it
	 * (what is left of its cache time); has_ttl 0: no address. */
	uint32_t ttl;
	int	 has_ttl;
};
void dns_resolve_addrs(const struct dns_options *, const char *name, int family,
    struct dns_addrs *);
/*
 * The same, for a caller that asks the A and AAAA questions itself (at
 * the same time): init, then take each answer (A first, then AAAA, for
 * the same order); an answer of another type is ignored.
 */
void dns_addrs_init(struct dns_addrs *);
void dns_addrs_take(struct dns_addrs *, uint16_t type,
    const struct dns_answer *);
void dns_addrs_free(struct dns_addrs *);

#endif
