/*
 * mx_diagnose: why an mx pattern and an MX host missed each other, in the
 * classes a field study of 68,030 MTA-STS domains found (Ashiq, Fiebig,
 * Chung, IMC 2025; doc/decisions.md "MX diagnosis"): a typo, the policy
 * host listed as an mx, another host of the same registered domain, another
 * TLD, a pattern left over from an earlier MX (stale), or nothing in common.
 *
 * Pure functions, no I/O.  Names are compared label-wise and ignoring ASCII
 * case, in A-label form as DNS and the policy carry them; one trailing root
 * dot is ignored.  The "registered domain" is approximated without a public
 * suffix list (see mx_diagnose_registered()).
 *
 * A struct mx_diagnosis borrows its strings from the caller's arrays; it is
 * valid while they are.  Every char * returned is the caller's to free().
 */
#ifndef MTASTS_MX_DIAGNOSE_H
#define MTASTS_MX_DIAGNOSE_H

#include <stddef.h>
#include <time.h>

#define MX_DIAGNOSE_MAX_EDITS 3 /* the study's bound for a typo */

/*
 * Strongest first: a diagnosis takes the first class that applies, except
 * that a pattern named mta-sts.* is POLICY_HOST whatever else applies (for
 * an MX, a policy-host pattern nearby only explains what no closer miss
 * does).
 */
enum mx_diagnose_class {
	MX_DIAGNOSE_WILDCARD_DEPTH = 0, /* *.P, the host two or more below P */
	MX_DIAGNOSE_STALE,		/* matched an MX seen on earlier runs */
	MX_DIAGNOSE_TLD,		/* equal but for the public suffix */
	MX_DIAGNOSE_TYPO,		/* within MX_DIAGNOSE_MAX_EDITS edits */
	MX_DIAGNOSE_POLICY_HOST,	/* the pattern is mta-sts.SOMETHING */
	MX_DIAGNOSE_SAME_DOMAIN,	/* same registered domain, other host */
	MX_DIAGNOSE_COMPLETE		/* nothing in common */
};

/* An MX host on record from earlier runs (history). */
struct mx_diagnose_seen {
	const char *name;
	time_t	    last_seen;
};

struct mx_diagnosis {
	enum mx_diagnose_class cls;
	const char	      *pattern; /* the pattern judged or chosen */
	const char	      *host;	/* the MX judged or chosen, or NULL */
	int		       other_covered;	/* host is covered elsewhere, or
						 pattern covers another MX */
	unsigned	       edits;		/* TYPO: the distance */
	int		       own_policy_host; /* POLICY_HOST: mta-sts.DOMAIN
						   of the policy's domain */
	const char	      *seen_name;	/* STALE */
	time_t		       seen_time;	/* STALE */
	size_t		       nseen;		/* MX hosts on record */
};

/*
 * Levenshtein distance ignoring ASCII case; max + 1 as soon as it is
 * certain to exceed max (names over 255 octets always do).
 */
unsigned mx_diagnose_distance(const char *a, const char *b, unsigned max);

/*
 * The public suffix and the registered domain of name (no trailing dot),
 * as pointers into name.  The suffix is the last label, or the last two
 * when the last is two letters (a ccTLD) and the one before it is a known
 * second-level label such as co, com, ac, gov, org, net ("co.uk",
 * "com.au"); the registered domain is the suffix plus one label.  A name
 * with no label above its suffix is its own registered domain.
 */
const char *mx_diagnose_suffix(const char *name);
const char *mx_diagnose_registered(const char *name);

/*
 * Why pattern covers none of the nhosts MX hosts.  covered[i] (may be NULL)
 * is 1 when host i is covered by some pattern: uncovered hosts are the
 * likelier meaning of a broken pattern.  domain (may be NULL) is the policy
 * domain; seen (may be NULL) the MX hosts on record from earlier runs.
 */
void mx_diagnose_pattern(struct mx_diagnosis *, const char *pattern,
    const char *const *hosts, const int *covered, size_t nhosts,
    const char *domain, const struct mx_diagnose_seen *seen, size_t nseen);

/*
 * Why no pattern covers host.  used[j] (may be NULL) is 1 when pattern j
 * covers some MX: unused patterns are the likelier near misses.
 */
void mx_diagnose_host(struct mx_diagnosis *, const char *host,
    const char *const *patterns, const int *used, size_t npatterns,
    const char *domain);

/* One clause for a finding's message, e.g. "pattern mail.exmaple.com looks
 * like a typo of MX mail.example.com (2 edits)". */
char *mx_diagnose_text(const struct mx_diagnosis *);

/*
 * The fix for mx.pattern_unused (of d->pattern) or mx.uncovered (of host,
 * with flags for an address or the implicit MX), naming the real lines to
 * change.  domain (may be NULL) adds the new id to publish.
 */
char *mx_diagnose_fix_pattern(const struct mx_diagnosis *, const char *domain);
char *mx_diagnose_fix_host(const struct mx_diagnosis *, const char *host,
    int ip_literal, int implicit, const char *domain);

const char *mx_diagnose_class_name(enum mx_diagnose_class);

#endif
