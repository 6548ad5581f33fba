/*
 * auth_ns: a domain's zone as its authoritative servers serve it now.
 *
 * auth_ns_run() finds the zone apex of the domain (SOA through the
 * resolver, walking up), the zone's NS names and their addresses, then
 * asks each server address directly (RD=0, UDP, TCP after TC=1, on its own
 * non-blocking sockets, as dns.c does) for the SOA serial and the
 * questions of auth_question(); and asks the resolver the same questions
 * (RD=1) for its view with the TTLs it still holds.  Every wait ends at the
 * caller's absolute deadline; each server gets at most BUDGET_AUTH_SERVER_MS
 * (scaled), and they are asked at once on the pool (dns_options.pool), so
 * a silent one costs that much and no more.  Blocking: call it
 * on a worker.  Answers are kept as sorted presentation strings (ldns), so
 * two views compare as strings; every reply is bounded by the DNS message
 * size and at most AUTH_MAX_RR records are kept per answer.
 */
#ifndef MTASTS_AUTH_NS_H
#define MTASTS_AUTH_NS_H

#include <stddef.h>
#include <stdint.h>

#include "dns.h"

#define AUTH_MAX_RR 32

/* The questions asked of every server and of the resolver. */
enum auth_q {
	AUTH_Q_STS,
	AUTH_Q_MX,
	AUTH_Q_A,
	AUTH_Q_AAAA,
	AUTH_Q_TLSRPT,
	AUTH_Q__COUNT
};

struct auth_question {
	const char *prefix; /* put before the domain: "_mta-sts." or "" */
	uint16_t    type;
	const char *key; /* JSON member name */
};
const struct auth_question *auth_question(enum auth_q);

/* One answer, reduced to what two views can be compared on. */
struct auth_rrset {
	int		asked;
	enum dns_status status;
	char	      **rr; /* presentation form of each rdata, sorted; a
				   CNAME at the name is the one "CNAME target" */
	size_t		n;
	uint32_t	ttl; /* smallest TTL, or the negative answer's SOA */
	int		has_ttl;
	char	       *error; /* one line, or NULL */
};

enum auth_state {
	AUTH_SERVER_OK,
	AUTH_SERVER_LAME,	/* answers, but not authoritatively */
	AUTH_SERVER_UNREACHABLE /* no answer before its deadline */
};

struct auth_server {
	char		 *name; /* NS name */
	char		 *addr;
	enum auth_state	  state;
	char		 *why; /* lame or unreachable: one line */
	int		  has_serial;
	uint32_t	  serial;
	char		 *mname; /* the SOA's primary (MNAME), or NULL */
	struct auth_rrset q[AUTH_Q__COUNT];
	unsigned	  elapsed_ms;
};

/* Read-only for callers; free with auth_result_free(). */
struct auth_result {
	char		   *apex;  /* the zone's apex, or NULL */
	char		   *error; /* why no server could be asked, or NULL */
	struct auth_server *srv;
	size_t		    nsrv;
	char		  **ns; /* the NS names, as the resolver gave them */
	size_t		    nns;
	struct auth_rrset   resolver[AUTH_Q__COUNT];
	int		    cut; /* the deadline came before the end */
};

/*
 * Never returns NULL.  resolver: the check's DNS options (its address or
 * /etc/resolv.conf); family 4 or 6 limits the server addresses asked.
 */
struct auth_result *auth_ns_run(const struct dns_options *resolver,
    const char *domain, int family, double scale, int64_t deadline);
void		    auth_result_free(struct auth_result *);
/*
 * The parsers of auth_ns_run(), for tests and fuzzing: a reply in wire
 * format read as the answer to qname/type into out (cleared first by the
 * caller), or as a server's reply to the SOA of its apex into s.  Return
 * 0, or -1 when the bytes are no DNS message.
 */
int  auth_ns_read(struct auth_rrset *out, const uint8_t *buf, size_t len,
     const char *qname, uint16_t type);
int  auth_ns_read_soa(struct auth_server *s, const uint8_t *buf, size_t len);
void auth_rrset_clear(struct auth_rrset *);
const char *auth_state_name(enum auth_state);

#endif
