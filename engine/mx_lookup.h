/*
 * mx_lookup: the domain's MX set as a sender builds it (RFC 5321 section
 * 5.1, RFC 7505), every host with all its addresses, and the coverage of
 * each host by the policy's mx patterns (RFC 8461 section 4.1).
 *
 * mx_lookup() blocks (the check runs it on a worker thread); after the MX
 * answer it asks every host's questions (A, AAAA, CNAME) at once as tasks on
 * the shared pool (pool.h), at most BUDGET_MX_LOOKUP_WORKERS questions at
 * once, and examines at most BUDGET_MX_MAX_HOSTS hosts.  mx_lookup_cover() is pure and runs once
 * the policy is known.  The result is read-only to callers.
 */
#ifndef MTASTS_MX_LOOKUP_H
#define MTASTS_MX_LOOKUP_H

#include <stddef.h>

#include "budget.h"
#include "dns.h"

struct finding_list;
struct history_result;

struct mx_host {
	char		*name; /* exchange as published, no root dot */
	unsigned	 pref;
	int		 implicit;   /* the domain itself (no MX records) */
	int		 ip_literal; /* the exchange is an address */
	char		*cname;	     /* final CNAME target, or NULL */
	struct dns_addrs addrs;
	long		 pattern;   /* covering pattern index, -1: none,
					   -2: not judged (no policy) */
	char		*why;	    /* why (not) covered, for the user */
	int		 why_class; /* pattern -1: enum mx_diagnose_class,
				       for scripts (the JSON's why_class) */
};

struct mx_set {
	enum dns_status status;	  /* of the MX query */
	int		null_mx;  /* a "0 ." record was published */
	int		implicit; /* NODATA: the domain is its own MX */
	struct mx_host *host;	  /* sorted by preference */
	size_t		nhost;
	size_t		ntruncated; /* hosts over the limit, left out */
	unsigned	elapsed_ms;
	uint32_t	ttl;	 /* smallest TTL of the MX records */
	int		has_ttl; /* 0: no MX record (nothing to time) */
};

/* Never NULL; findings go to fl.  Free with mx_set_free(). */
struct mx_set *mx_lookup(const struct dns_options *, const char *domain,
    int family, struct finding_list *fl);
void	       mx_set_free(struct mx_set *);
/* A deep copy, for a worker that must not share the caller's set. */
struct mx_set *mx_set_clone(const struct mx_set *);

/*
 * Judges every host against the patterns, sets pattern/why, and adds
 * mx.uncovered (an error under enforce, a warning under testing) and
 * mx.pattern_unused, each with the likely cause (mx_diagnose.h) in its
 * message and a fix naming the lines to change.  enforce is 1 for mode
 * enforce, 0 for testing.  domain is the policy domain, or NULL when
 * unknown (lint): it names the policy host and the record to update.
 */
void mx_lookup_cover(struct mx_set *, const char *const *patterns,
    size_t npatterns, int enforce, const char *domain, struct finding_list *fl);

/*
 * Once the history is read (it runs after coverage): re-judges each
 * mx.pattern_unused finding in fl against the MX hosts on record, and
 * says so when the pattern matched a former MX (stale after an MX change).
 * Does nothing when h is NULL or the MX lookup did not succeed.
 */
void mx_lookup_stale(const struct mx_set *, const struct history_result *h,
    const char *domain, struct finding_list *fl);

/* The hosts' names, borrowed, in a NULL-terminated array the caller frees. */
const char **mx_set_names(const struct mx_set *);

#endif
