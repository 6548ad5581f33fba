#include "config.h"
#include "mx_match.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>

#include "utf8.h"
#include "xmalloc.h"

#define MX_MATCH_MAX_LABEL 63
#define MX_MATCH_MAX_NAME  253

static int   mx_match_alnum(unsigned char);
static int   mx_match_ldh(unsigned char);
static int   mx_match_caseeq(const char *, size_t, const char *, size_t);
static char *mx_match_alabel_hint(const char *);
static enum mx_pattern_status mx_match_check_name(const char *, size_t,
    char **);
static const char	     *mx_match_count_word(size_t);

static int
mx_match_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static int
mx_match_ldh(unsigned char c)
{
	return mx_match_alnum(c) || c == '-';
}

/* ASCII-only case folding: locale must not change what matches. */
static int
mx_match_caseeq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t	      i;
	unsigned char x, y;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++) {
		x = (unsigned char)a[i];
		y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return 0;
	}
	return 1;
}

/* The A-label form of a UTF-8 name, for a hint, or NULL. */
static char *
mx_match_alabel_hint(const char *name)
{
	char *out = NULL, *copy;
	int   rc;

	if (!utf8_is_valid(name, strlen(name)))
		return NULL;
	rc =
	    idn2_to_ascii_8z(name, &out, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
	if (rc != IDN2_OK) {
		free(out);
		return NULL;
	}
	/* libidn2 allocates with malloc; hand back an xmalloc'd copy. */
	copy = xstrdup(out);
	free(out);
	return copy;
}

/*
 * The part after an optional "*.": an RFC 5321 Domain (LDH labels joined by
 * single dots).  Lengths are checked last, so a real syntax error wins.
 */
static enum mx_pattern_status
mx_match_check_name(const char *name, size_t len, char **cause)
{
	const char *start, *p, *end = name + len;
	size_t	    label, longest = 0;
	char	   *show;

	start = name;
	for (p = name;; p++) {
		if (p == end || *p == '.') {
			label = (size_t)(p - start);
			if (label == 0) {
				*cause = xstrdup("it has an empty label (two "
						 "dots in a row)");
				return MX_PATTERN_INVALID;
			}
			if (start[0] == '-' || p[-1] == '-') {
				show = utf8_show(start, label);
				*cause = xasprintf("label '%s' starts or ends "
						   "with a hyphen",
				    show);
				free(show);
				return MX_PATTERN_INVALID;
			}
			if (label > longest)
				longest = label;
			if (p == end)
				break;
			start = p + 1;
			continue;
		}
		if (*p == '_') {
			*cause =
			    xstrdup("it has an underscore: host names "
				    "allow only letters, digits and hyphens");
			return MX_PATTERN_INVALID;
		}
		if (!mx_match_ldh((unsigned char)*p)) {
			if ((unsigned char)*p > 0x20 &&
			    (unsigned char)*p < 0x7f)
				*cause = xasprintf("character '%c' cannot be "
						   "part of a host name",
				    *p);
			else
				*cause = xasprintf("byte 0x%02x cannot be part "
						   "of a host name",
				    (unsigned char)*p);
			return MX_PATTERN_INVALID;
		}
	}
	if (longest > MX_MATCH_MAX_LABEL) {
		*cause = xasprintf("a label is %zu octets long; DNS allows "
				   "at most %d, so no MX host can match",
		    longest, MX_MATCH_MAX_LABEL);
		return MX_PATTERN_TOO_LONG;
	}
	if (len > MX_MATCH_MAX_NAME) {
		*cause = xasprintf("the name is %zu octets long; DNS allows "
				   "at most %d, so no MX host can match",
		    len, MX_MATCH_MAX_NAME);
		return MX_PATTERN_TOO_LONG;
	}
	return MX_PATTERN_OK;
}

enum mx_pattern_status
mx_match_pattern_check(const char *pattern, char **cause)
{
	unsigned char addr[16];
	const char   *name;
	size_t	      len, i;
	char	     *hint;
	int	      nonascii = 0;

	*cause = NULL;
	len = strlen(pattern);
	if (len == 0) {
		*cause = xstrdup("the pattern is empty");
		return MX_PATTERN_INVALID;
	}
	for (i = 0; i < len; i++)
		if ((unsigned char)pattern[i] >= 0x80)
			nonascii = 1;
	if (nonascii) {
		name = pattern;
		if (strncmp(name, "*.", 2) == 0)
			name += 2;
		hint = mx_match_alabel_hint(name);
		if (hint != NULL) {
			*cause = xasprintf(
			    "it is not ASCII: internationalised "
			    "names must be written as A-labels, here '%s%s'",
			    name == pattern ? "" : "*.", hint);
			free(hint);
		} else
			*cause = xstrdup(
			    "it has bytes that are not ASCII: "
			    "internationalised names must be written as "
			    "A-labels (xn--...)");
		return MX_PATTERN_INVALID;
	}
	for (i = 0; i < len; i++) {
		if (pattern[i] == ',' || pattern[i] == ' ' ||
		    pattern[i] == '\t') {
			*cause = xstrdup("it holds several names: each pattern "
					 "needs its own mx: line");
			return MX_PATTERN_INVALID;
		}
		if ((unsigned char)pattern[i] < 0x20 || pattern[i] == 0x7f) {
			*cause = xasprintf("control byte 0x%02x cannot be part "
					   "of a host name",
			    (unsigned char)pattern[i]);
			return MX_PATTERN_INVALID;
		}
	}
	if (pattern[0] == '[' &&
	    (len < 3 || pattern[len - 1] != ']' ||
		strspn(pattern + 1, "0123456789abcdefABCDEF.:") != len - 2)) {
		*cause = xstrdup("'[' and ']' cannot be part of a host name "
				 "(an unfilled template?)");
		return MX_PATTERN_INVALID;
	}
	if (pattern[0] == '[' || inet_pton(AF_INET6, pattern, addr) == 1) {
		*cause = xstrdup("it is an IP address literal: patterns are "
				 "host names, never addresses");
		return MX_PATTERN_INVALID;
	}
	if (strchr(pattern, ':') != NULL) {
		*cause = xstrdup("it has a ':': a pattern is a host name "
				 "only, without a port");
		return MX_PATTERN_INVALID;
	}
	if (strcmp(pattern, ".") == 0) {
		*cause = xstrdup("'.' is the DNS root, not a host name");
		return MX_PATTERN_INVALID;
	}
	if (pattern[len - 1] == '.') {
		*cause =
		    xstrdup("it ends with a dot: patterns are written "
			    "without the root dot, and this one never matches");
		return MX_PATTERN_INVALID;
	}
	if (pattern[0] == '.') {
		*cause = xstrdup("it starts with a dot: to cover the hosts one "
				 "label below a name, write '*.' before it");
		return MX_PATTERN_INVALID;
	}
	name = pattern;
	if (pattern[0] == '*') {
		if (len == 1) {
			*cause = xstrdup(
			    "'*' alone is not a pattern: the "
			    "wildcard stands for one label of a named parent, "
			    "as in *.example.com");
			return MX_PATTERN_INVALID;
		}
		if (pattern[1] != '.') {
			*cause = xstrdup("'*' must be the whole first label, "
					 "followed by a dot (*.example.com)");
			return MX_PATTERN_INVALID;
		}
		name = pattern + 2;
	}
	if (strchr(name, '*') != NULL) {
		if (name != pattern)
			*cause = xstrdup(
			    "only the first label may be '*' "
			    "(*.*.example.com and similar are invalid)");
		else
			*cause = xstrdup(
			    "'*' may only be the whole first "
			    "label (partial wildcards such as mx*.example.com "
			    "are invalid)");
		return MX_PATTERN_INVALID;
	}
	if (inet_pton(AF_INET, name, addr) == 1) {
		*cause = xstrdup("it is an IPv4 address: patterns are host "
				 "names, never addresses");
		return MX_PATTERN_INVALID;
	}
	return mx_match_check_name(name, strlen(name), cause);
}

static const char *
mx_match_count_word(size_t n)
{
	static const char *words[] = { "no", "one", "two", "three", "four",
		"five", "six", "seven", "eight", "nine" };

	return n < sizeof(words) / sizeof(words[0]) ? words[n] : "many";
}

enum mx_match_result
mx_match_explain(const char *pattern, const char *host, char **why)
{
	enum mx_pattern_status st;
	const char	      *suffix, *p;
	char		      *cause, *sp, *sh, *ss;
	size_t		       hlen, slen, plen, labels;
	enum mx_match_result   r;

	hlen = strlen(host);
	plen = strlen(pattern);
	sp = utf8_show(pattern, plen);
	sh = utf8_show(host, hlen);
	st = mx_match_pattern_check(pattern, &cause);
	if (st == MX_PATTERN_INVALID) {
		if (why != NULL)
			*why = xasprintf(
			    "'%s' is not a valid pattern (%s); "
			    "senders ignore it, so it matches nothing",
			    sp, cause);
		r = MX_MATCH_BAD_PATTERN;
		goto out;
	}
	/* MX-2 INTERP: DNS tools print a root dot; one is not part of it. */
	if (hlen > 1 && host[hlen - 1] == '.')
		hlen--;
	if (hlen == 0 || (hlen == 1 && host[0] == '.')) {
		if (why != NULL)
			*why = xstrdup("an empty or root host name (null MX) "
				       "is covered by no pattern");
		r = MX_MATCH_NONE;
		goto out;
	}
	if (pattern[0] != '*') {
		if (mx_match_caseeq(pattern, plen, host, hlen)) {
			if (why != NULL)
				*why = xstrdup("exact match "
					       "(case-insensitive)");
			r = MX_MATCH_EXACT;
		} else {
			if (why != NULL && hlen > plen &&
			    host[hlen - plen - 1] == '.' &&
			    mx_match_caseeq(pattern, plen, host + hlen - plen,
				plen))
				*why = xasprintf(
				    "%s is below %s, but a "
				    "pattern without '*.' matches only that "
				    "exact name",
				    sh, sp);
			else if (why != NULL)
				*why = xasprintf("%s is not %s", sh, sp);
			r = MX_MATCH_NONE;
		}
		goto out;
	}
	suffix = pattern + 2;
	slen = plen - 2;
	ss = utf8_show(suffix, slen);
	if (hlen > slen + 1 && host[hlen - slen - 1] == '.' &&
	    mx_match_caseeq(suffix, slen, host + hlen - slen, slen)) {
		labels = 1;
		for (p = host; p < host + hlen - slen - 1; p++)
			if (*p == '.')
				labels++;
		/* A leading or doubled dot leaves an empty first label. */
		if (labels == 1 && host[0] != '.') {
			if (why != NULL)
				*why = xasprintf("%s covers %s (one label in "
						 "place of '*')",
				    sp, sh);
			r = MX_MATCH_WILDCARD;
		} else {
			if (why != NULL)
				*why = xasprintf("%s covers exactly one label; "
						 "%s has %s",
				    sp, sh, mx_match_count_word(labels));
			r = MX_MATCH_NONE;
		}
	} else if (mx_match_caseeq(suffix, slen, host, hlen)) {
		if (why != NULL)
			*why = xasprintf("%s is not covered by %s (the "
					 "wildcard needs one more label)",
			    sh, sp);
		r = MX_MATCH_NONE;
	} else {
		if (why != NULL)
			*why = xasprintf("%s is not under %s", sh, ss);
		r = MX_MATCH_NONE;
	}
	free(ss);
out:
	free(cause);
	free(sp);
	free(sh);
	return r;
}

enum mx_match_result
mx_match(const char *pattern, const char *host)
{
	return mx_match_explain(pattern, host, NULL);
}

void
mx_match_coverage(const char *const *hosts, size_t nhosts,
    const char *const *patterns, size_t npatterns, long *mx_first,
    int *pattern_used)
{
	enum mx_match_result r;
	size_t		     i, j;

	if (pattern_used != NULL)
		for (j = 0; j < npatterns; j++)
			pattern_used[j] = 0;
	for (i = 0; i < nhosts; i++) {
		if (mx_first != NULL)
			mx_first[i] = -1;
		for (j = 0; j < npatterns; j++) {
			r = mx_match(patterns[j], hosts[i]);
			if (r != MX_MATCH_EXACT && r != MX_MATCH_WILDCARD)
				continue;
			if (mx_first != NULL && mx_first[i] == -1)
				mx_first[i] = (long)j;
			if (pattern_used != NULL)
				pattern_used[j] = 1;
		}
	}
}
