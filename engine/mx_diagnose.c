#include "config.h"
#include "mx_diagnose.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "mx_match.h"
#include "xmalloc.h"

#define MX_DIAGNOSE_NAME_MAX 255

static char    *mx_diagnose_norm(const char *);
static size_t	mx_diagnose_labels(const char *);
static int	mx_diagnose_digits_only(const char *, const char *);
static unsigned mx_diagnose_typo(const char *, const char *);
static int	mx_diagnose_policy_host(const char *);
static int	mx_diagnose_better(const struct mx_diagnosis *,
	 const struct mx_diagnosis *);
static enum mx_diagnose_class mx_diagnose_pair(const char *, const char *,
    unsigned *);
static char		     *mx_diagnose_wildcard(const char *);

/* Second-level labels that sit under a two-letter ccTLD as a suffix. */
static const char *const mx_diagnose_sld[] = { "ac", "co", "com", "edu", "go",
	"gob", "gov", "ltd", "mil", "ne", "net", "nhs", "nom", "or", "org",
	"plc", "sch" };

static const char *const mx_diagnose_names[] = { "wildcard_depth", "stale",
	"tld", "typo", "policy_host", "same_domain", "complete" };

const char *
mx_diagnose_class_name(enum mx_diagnose_class c)
{
	return (unsigned)c <
		sizeof(mx_diagnose_names) / sizeof(mx_diagnose_names[0])
	    ? mx_diagnose_names[c]
	    : "?";
}

/* Lower-case copy without one trailing root dot. */
static char *
mx_diagnose_norm(const char *name)
{
	char  *s = xstrdup(name != NULL ? name : "");
	size_t i, n = strlen(s);

	if (n > 1 && s[n - 1] == '.')
		s[n - 1] = '\0';
	for (i = 0; s[i] != '\0'; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	return s;
}

static size_t
mx_diagnose_labels(const char *name)
{
	size_t n = 1;

	for (; *name != '\0'; name++)
		if (*name == '.')
			n++;
	return n;
}

unsigned
mx_diagnose_distance(const char *a, const char *b, unsigned max)
{
	unsigned row[2][MX_DIAGNOSE_NAME_MAX + 2], best, cost, v;
	size_t	 la = strlen(a), lb = strlen(b), i, j;
	int	 cur = 0;

	if (la > MX_DIAGNOSE_NAME_MAX || lb > MX_DIAGNOSE_NAME_MAX)
		return max + 1;
	if ((la > lb ? la - lb : lb - la) > max)
		return max + 1;
	for (j = 0; j <= lb; j++)
		row[cur][j] = (unsigned)j;
	for (i = 1; i <= la; i++) {
		row[!cur][0] = (unsigned)i;
		best = row[!cur][0];
		for (j = 1; j <= lb; j++) {
			cost = tolower((unsigned char)a[i - 1]) ==
				tolower((unsigned char)b[j - 1])
			    ? 0
			    : 1;
			v = row[cur][j - 1] + cost;
			if (row[cur][j] + 1 < v)
				v = row[cur][j] + 1;
			if (row[!cur][j - 1] + 1 < v)
				v = row[!cur][j - 1] + 1;
			row[!cur][j] = v;
			if (v < best)
				best = v;
		}
		cur = !cur;
		if (best > max)
			return max + 1; /* every path is already over */
	}
	return row[cur][lb] > max ? max + 1 : row[cur][lb];
}

const char *
mx_diagnose_suffix(const char *name)
{
	const char *last, *second;
	size_t	    i, n;

	if ((last = strrchr(name, '.')) == NULL)
		return name;
	last++;
	if (strlen(last) != 2)
		return last;
	for (second = last - 1; second > name && second[-1] != '.'; second--)
		;
	n = (size_t)(last - 1 - second);
	for (i = 0; i < sizeof(mx_diagnose_sld) / sizeof(mx_diagnose_sld[0]);
	     i++)
		if (strlen(mx_diagnose_sld[i]) == n &&
		    strncasecmp(second, mx_diagnose_sld[i], n) == 0)
			return second;
	return last;
}

const char *
mx_diagnose_registered(const char *name)
{
	const char *s = mx_diagnose_suffix(name), *p;

	if (s == name)
		return name;
	for (p = s - 1; p > name && p[-1] != '.'; p--)
		;
	return p;
}

/* The two names differ only in digits (mx1 / mx2): other hosts, not typos. */
static int
mx_diagnose_digits_only(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), pre = 0, suf = 0, i;

	while (pre < la && pre < lb && a[pre] == b[pre])
		pre++;
	while (suf < la - pre && suf < lb - pre &&
	    a[la - 1 - suf] == b[lb - 1 - suf])
		suf++;
	if (pre + suf == la && pre + suf == lb)
		return 0;
	for (i = pre; i < la - suf; i++)
		if (!isdigit((unsigned char)a[i]))
			return 0;
	for (i = pre; i < lb - suf; i++)
		if (!isdigit((unsigned char)b[i]))
			return 0;
	return 1;
}

/*
 * The edits between two names if one reads as a typo of the other, else
 * MX_DIAGNOSE_MAX_EDITS + 1.  A typo keeps the labels: the same number of
 * them, and no label with more edits than half its length (mx.foo.net is
 * not a typo of mx.bar.net, nor mail of mx: those are other names); names
 * that differ only in digits (mx1 and mx2) are other hosts, not typos.
 */
static unsigned
mx_diagnose_typo(const char *a, const char *b)
{
	const char *ea, *eb;
	char	    la[MX_DIAGNOSE_NAME_MAX + 1], lb[MX_DIAGNOSE_NAME_MAX + 1];
	unsigned    total = 0, d;
	size_t	    na, nb;

	if (mx_diagnose_labels(a) != mx_diagnose_labels(b) ||
	    mx_diagnose_digits_only(a, b))
		return MX_DIAGNOSE_MAX_EDITS + 1;
	for (;;) {
		ea = strchr(a, '.');
		eb = strchr(b, '.');
		na = ea != NULL ? (size_t)(ea - a) : strlen(a);
		nb = eb != NULL ? (size_t)(eb - b) : strlen(b);
		if (na > MX_DIAGNOSE_NAME_MAX || nb > MX_DIAGNOSE_NAME_MAX)
			return MX_DIAGNOSE_MAX_EDITS + 1;
		memcpy(la, a, na);
		la[na] = '\0';
		memcpy(lb, b, nb);
		lb[nb] = '\0';
		d = mx_diagnose_distance(la, lb, MX_DIAGNOSE_MAX_EDITS - total);
		if (d > MX_DIAGNOSE_MAX_EDITS - total ||
		    2 * d > (na < nb ? na : nb))
			return MX_DIAGNOSE_MAX_EDITS + 1;
		total += d;
		if (ea == NULL || eb == NULL)
			break;
		a = ea + 1;
		b = eb + 1;
	}
	return total;
}

/* Named like an RFC 8461 policy host: "mta-sts." and at least one label. */
static int
mx_diagnose_policy_host(const char *p)
{
	return strncmp(p, "mta-sts.", 8) == 0 && p[8] != '\0';
}

/*
 * One pattern against one host, both normalised.  A wildcard pattern is
 * compared with the host's own first label in place of the "*".
 */
static enum mx_diagnose_class
mx_diagnose_pair(const char *p, const char *h, unsigned *edits)
{
	enum mx_diagnose_class c = MX_DIAGNOSE_COMPLETE;
	const char	      *cmp = p, *parent, *dot, *ps, *hs;
	char		      *x = NULL;
	size_t		       lp, lh;
	unsigned	       d;

	*edits = 0;
	if (p[0] == '*' && p[1] == '.') {
		parent = p + 2;
		lp = strlen(parent);
		lh = strlen(h);
		if (lh > lp + 1 && h[lh - lp - 1] == '.' &&
		    strcmp(h + lh - lp, parent) == 0 &&
		    mx_diagnose_labels(h) >= mx_diagnose_labels(parent) + 2)
			return MX_DIAGNOSE_WILDCARD_DEPTH;
		if ((dot = strchr(h, '.')) == NULL)
			return MX_DIAGNOSE_COMPLETE;
		x = xasprintf("%.*s.%s", (int)(dot - h), h, parent);
		cmp = x;
	} else if (mx_diagnose_policy_host(p) &&
	    strcmp(mx_diagnose_registered(p), mx_diagnose_registered(h)) == 0)
		return MX_DIAGNOSE_POLICY_HOST;

	ps = mx_diagnose_suffix(cmp);
	hs = mx_diagnose_suffix(h);
	if (ps != cmp && hs != h && ps - cmp == hs - h &&
	    strncmp(cmp, h, (size_t)(ps - cmp)) == 0 && strcmp(ps, hs) != 0)
		c = MX_DIAGNOSE_TLD;
	else if ((d = mx_diagnose_typo(cmp, h)) <= MX_DIAGNOSE_MAX_EDITS) {
		c = MX_DIAGNOSE_TYPO;
		*edits = d;
	} else if (strcmp(mx_diagnose_registered(cmp),
		       mx_diagnose_registered(h)) == 0)
		c = MX_DIAGNOSE_SAME_DOMAIN;
	free(x);
	return c;
}

/* Whether a is a better diagnosis than b. */
static int
mx_diagnose_better(const struct mx_diagnosis *a, const struct mx_diagnosis *b)
{
	if (a->cls != b->cls)
		return a->cls < b->cls;
	if (a->other_covered != b->other_covered)
		return !a->other_covered;
	return a->cls == MX_DIAGNOSE_TYPO && a->edits < b->edits;
}

void
mx_diagnose_pattern(struct mx_diagnosis *d, const char *pattern,
    const char *const *hosts, const int *covered, size_t nhosts,
    const char *domain, const struct mx_diagnose_seen *seen, size_t nseen)
{
	struct mx_diagnosis  try;
	enum mx_match_result m;
	char		    *p, *h, *dom;
	size_t		     i, j;
	int		     present;

	memset(d, 0, sizeof(*d));
	d->cls = MX_DIAGNOSE_COMPLETE;
	d->pattern = pattern;
	d->nseen = seen != NULL ? nseen : 0;
	p = mx_diagnose_norm(pattern);
	for (i = 0; i < nhosts; i++) {
		h = mx_diagnose_norm(hosts[i]);
		memset(&try, 0, sizeof(try));
		try.cls = mx_diagnose_pair(p, h, &try.edits);
		try.host = hosts[i];
		try.other_covered = covered != NULL && covered[i];
		if (d->host == NULL || mx_diagnose_better(&try, d)) {
			d->cls = try.cls;
			d->host = try.host;
			d->edits = try.edits;
			d->other_covered = try.other_covered;
		}
		free(h);
	}
	if (mx_diagnose_policy_host(p)) {
		/* Certain whatever the MX hosts are. */
		if (d->cls != MX_DIAGNOSE_POLICY_HOST)
			d->host = NULL;
		d->cls = MX_DIAGNOSE_POLICY_HOST;
		d->edits = 0;
		if (domain != NULL) {
			dom = mx_diagnose_norm(domain);
			d->own_policy_host = strcmp(p + 8, dom) == 0;
			free(dom);
		}
		free(p);
		return;
	}
	if (d->cls > MX_DIAGNOSE_STALE && seen != NULL) {
		/* Evidence outranks resemblance: the latest former MX. */
		for (j = 0; j < nseen; j++) {
			if (seen[j].name == NULL)
				continue;
			m = mx_match(pattern, seen[j].name);
			if (m == MX_MATCH_NONE || m == MX_MATCH_BAD_PATTERN)
				continue;
			present = 0;
			for (i = 0; i < nhosts; i++)
				if (strcasecmp(hosts[i], seen[j].name) == 0)
					present = 1;
			if (present ||
			    (d->seen_name != NULL &&
				seen[j].last_seen <= d->seen_time))
				continue;
			d->seen_name = seen[j].name;
			d->seen_time = seen[j].last_seen;
		}
		if (d->seen_name != NULL) {
			d->cls = MX_DIAGNOSE_STALE;
			d->host = NULL;
			d->edits = 0;
		}
	}
	if (d->cls == MX_DIAGNOSE_COMPLETE)
		d->host = NULL;
	free(p);
}

void
mx_diagnose_host(struct mx_diagnosis *d, const char *host,
    const char *const *patterns, const int *used, size_t npatterns,
    const char *domain)
{
	struct mx_diagnosis try;
	char		   *p, *h, *dom;
	size_t		    j;

	memset(d, 0, sizeof(*d));
	d->cls = MX_DIAGNOSE_COMPLETE;
	d->host = host;
	h = mx_diagnose_norm(host);
	for (j = 0; j < npatterns; j++) {
		if (patterns[j] == NULL || patterns[j][0] == '\0')
			continue;
		p = mx_diagnose_norm(patterns[j]);
		memset(&try, 0, sizeof(try));
		try.cls = mx_diagnose_pair(p, h, &try.edits);
		try.pattern = patterns[j];
		try.other_covered = used != NULL && used[j];
		if (d->pattern == NULL || mx_diagnose_better(&try, d)) {
			d->cls = try.cls;
			d->pattern = try.pattern;
			d->edits = try.edits;
			d->other_covered = try.other_covered;
			d->own_policy_host = 0;
			if (try.cls == MX_DIAGNOSE_POLICY_HOST &&
			    domain != NULL) {
				dom = mx_diagnose_norm(domain);
				d->own_policy_host = strcmp(p + 8, dom) == 0;
				free(dom);
			}
		}
		free(p);
	}
	if (d->cls == MX_DIAGNOSE_COMPLETE)
		d->pattern = NULL;
	free(h);
}

char *
mx_diagnose_text(const struct mx_diagnosis *d)
{
	char	   *h, date[16];
	struct tm   tm;
	const char *reg;
	char	   *s;

	switch (d->cls) {
	case MX_DIAGNOSE_POLICY_HOST:
		if (d->own_policy_host)
			return xasprintf("%s is the policy host, not a mail "
					 "server",
			    d->pattern);
		return xasprintf("%s is named like an MTA-STS policy host, not "
				 "a mail server",
		    d->pattern);
	case MX_DIAGNOSE_WILDCARD_DEPTH:
		h = mx_diagnose_norm(d->host);
		s = xasprintf("pattern %s covers exactly one label below %s; "
			      "MX %s is %zu labels below it",
		    d->pattern, d->pattern + 2, d->host,
		    mx_diagnose_labels(h) - mx_diagnose_labels(d->pattern + 2));
		free(h);
		return s;
	case MX_DIAGNOSE_STALE:
		if (gmtime_r(&d->seen_time, &tm) == NULL ||
		    strftime(date, sizeof(date), "%Y-%m-%d", &tm) == 0)
			memcpy(date, "?", 2);
		return xasprintf("stale after an MX change: this pattern "
				 "matched MX %s, last seen on %s (local "
				 "history)",
		    d->seen_name, date);
	case MX_DIAGNOSE_TLD:
		return xasprintf("pattern %s differs from MX %s only in the "
				 "TLD",
		    d->pattern, d->host);
	case MX_DIAGNOSE_TYPO:
		return xasprintf("pattern %s looks like a typo of MX %s (%u "
				 "edit%s)",
		    d->pattern, d->host, d->edits, d->edits == 1 ? "" : "s");
	case MX_DIAGNOSE_SAME_DOMAIN:
		h = mx_diagnose_norm(d->host);
		s = xasprintf("pattern %s and MX %s share the registered "
			      "domain %s but name different hosts",
		    d->pattern, d->host, mx_diagnose_registered(h));
		free(h);
		return s;
	default:
		break;
	}
	if (d->pattern != NULL)
		return xasprintf("complete mismatch: %s shares no registered "
				 "domain with any MX%s",
		    d->pattern,
		    d->nseen > 0 ? ", nor with the MX hosts on record" : "");
	h = mx_diagnose_norm(d->host);
	reg = mx_diagnose_registered(h);
	s = xasprintf("complete mismatch: no mx pattern names a host of %s",
	    reg);
	free(h);
	return s;
}

/* "*.parent" when that wildcard is narrower than a registered domain. */
static char *
mx_diagnose_wildcard(const char *host)
{
	const char *dot = strchr(host, '.');
	char	   *h = mx_diagnose_norm(host);
	char	   *w = NULL;
	size_t	    off;

	if (dot != NULL) {
		off = (size_t)(dot + 1 - host);
		if (mx_diagnose_registered(h) >= h + off)
			w = xasprintf("*.%s", h + off);
	}
	free(h);
	return w;
}

char *
mx_diagnose_fix_pattern(const struct mx_diagnosis *d, const char *domain)
{
	char *fix, *s, *w;

	switch (d->cls) {
	case MX_DIAGNOSE_POLICY_HOST:
		fix = d->host != NULL && !d->other_covered
		    ? xasprintf(
			  "Remove \"mx: %s\": the policy host only serves "
			  "the policy over HTTPS; list the MX hosts "
			  "instead (\"mx: %s\")",
			  d->pattern, d->host)
		    : xasprintf(
			  "Remove \"mx: %s\": the policy host only serves "
			  "the policy over HTTPS; list the MX hosts "
			  "instead",
			  d->pattern);
		break;
	case MX_DIAGNOSE_WILDCARD_DEPTH:
		w = mx_diagnose_wildcard(d->host);
		fix = d->other_covered
		    ? xasprintf(
			  "Remove \"mx: %s\": MX %s is covered by another "
			  "pattern",
			  d->pattern, d->host)
		    : xasprintf("Replace \"mx: %s\" with \"mx: %s\" or \"mx: "
				"%s\"",
			  d->pattern, w != NULL ? w : d->host, d->host);
		free(w);
		break;
	case MX_DIAGNOSE_STALE:
		fix = xasprintf("Remove \"mx: %s\": MX %s is no longer "
				"published",
		    d->pattern, d->seen_name);
		break;
	case MX_DIAGNOSE_TLD:
	case MX_DIAGNOSE_TYPO:
		fix = d->other_covered
		    ? xasprintf(
			  "Remove \"mx: %s\": MX %s is already covered by "
			  "another pattern",
			  d->pattern, d->host)
		    : xasprintf("Correct \"mx: %s\" to \"mx: %s\"", d->pattern,
			  d->host);
		break;
	case MX_DIAGNOSE_SAME_DOMAIN:
		fix = d->other_covered
		    ? xasprintf("Remove \"mx: %s\" unless %s is about to "
				"become an MX",
			  d->pattern, d->pattern)
		    : xasprintf("Replace \"mx: %s\" with \"mx: %s\" if that is "
				"the host meant; otherwise remove it",
			  d->pattern, d->host);
		break;
	default:
		fix = xasprintf("Remove \"mx: %s\" unless it is an MX you are "
				"about to add",
		    d->pattern);
		break;
	}
	if (domain == NULL)
		return fix;
	s = xasprintf("%s; then publish a new id at _mta-sts.%s", fix, domain);
	free(fix);
	return s;
}

char *
mx_diagnose_fix_host(const struct mx_diagnosis *d, const char *host,
    int ip_literal, int implicit, const char *domain)
{
	char *fix, *w, *s;

	if (ip_literal)
		return xstrdup("Publish the MX under a host name: no mx "
			       "pattern can cover an address");
	w = implicit ? NULL : mx_diagnose_wildcard(host);
	switch (d->cls) {
	case MX_DIAGNOSE_TLD:
	case MX_DIAGNOSE_TYPO:
		fix = xasprintf("Correct \"mx: %s\" to \"mx: %s\"", d->pattern,
		    host);
		break;
	case MX_DIAGNOSE_POLICY_HOST:
		fix = xasprintf("Replace \"mx: %s\" (the policy host) with "
				"\"mx: %s\"",
		    d->pattern, host);
		break;
	default:
		if (implicit)
			fix = xasprintf("Add \"mx: %s\" (the domain itself "
					"receives the mail), or publish MX "
					"records",
			    host);
		else if (w != NULL)
			fix = xasprintf("Add \"mx: %s\", or \"mx: %s\", which "
					"also trusts every host one label "
					"below %s that can get a publicly "
					"trusted certificate",
			    host, w, w + 2);
		else
			fix = xasprintf("Add \"mx: %s\"", host);
		break;
	}
	free(w);
	if (domain == NULL)
		return fix;
	s = xasprintf("%s; then publish a new id at _mta-sts.%s", fix, domain);
	free(fix);
	return s;
}
