/*
 * mx_match: MTA-STS mx patterns (RFC 8461 section 4.1; rules POL-15, MX-2).
 *
 * Pure functions, no state.  mx_match_pattern_check() judges the syntax of
 * one pattern as written in a policy; policy_parse uses it.  mx_match() and
 * mx_match_explain() compare one pattern with one MX host name;
 * mx_match_coverage() does it for every MX and every pattern, for the
 * verdict and the TUI's match matrix.
 *
 * Strings are NUL-terminated and borrowed; hosts may hold any bytes (they
 * come from DNS).  Every char ** result (cause, why) is the caller's to
 * free().
 */
#ifndef MTASTS_MX_MATCH_H
#define MTASTS_MX_MATCH_H

#include <stddef.h>

/* What mx_match_pattern_check() thinks of a pattern. */
enum mx_pattern_status {
	MX_PATTERN_OK = 0,
	MX_PATTERN_INVALID, /* not a pattern: senders ignore it */
	MX_PATTERN_TOO_LONG /* grammatical, but a label is over 63 or
				   the name over 253 octets: no host has it */
};

enum mx_match_result {
	MX_MATCH_NONE = 0,   /* the pattern does not cover the host */
	MX_MATCH_EXACT,	     /* equal, ignoring ASCII case */
	MX_MATCH_WILDCARD,   /* *.parent and host is one label under it */
	MX_MATCH_BAD_PATTERN /* the pattern is invalid: it matches nothing */
};

/*
 * Checks one pattern (the value of an mx: line, without surrounding
 * whitespace).  Returns MX_PATTERN_OK with *cause NULL, or another status
 * with *cause set to one sentence saying what is wrong.
 */
enum mx_pattern_status mx_match_pattern_check(const char *pattern,
    char						**cause);

/*
 * Whether pattern covers host.  One trailing root dot on host is ignored; a
 * pattern that fails mx_match_pattern_check (e.g. one with a trailing dot)
 * never matches.  MX_PATTERN_TOO_LONG patterns are compared normally.
 */
enum mx_match_result mx_match(const char *pattern, const char *host);

/*
 * As mx_match, and *why is set to a sentence for the user, such as
 * "*.example.com covers exactly one label; a.b.example.com has two".
 */
enum mx_match_result mx_match_explain(const char *pattern, const char *host,
    char **why);

/*
 * For each of the nhosts MX hosts, mx_first[i] is the index of the first
 * pattern that covers it, or -1.  For each of the npatterns patterns,
 * pattern_used[j] is 1 if it covers at least one host, else 0.  The caller
 * allocates both arrays; either may be NULL when not wanted.
 */
void mx_match_coverage(const char *const *hosts, size_t nhosts,
    const char *const *patterns, size_t npatterns, long *mx_first,
    int *pattern_used);

#endif
