#include "config.h"
#include "policy_parse.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "finding.h"
#include "mx_match.h"
#include "utf8.h"
#include "xmalloc.h"

#define POLICY_NAME_MAX	      32
#define POLICY_MAX_AGE_DIGITS 10
#define POLICY_MAX_AGE_MAX    31557600 /* 365.25 days, POL-14 */
#define POLICY_ONE_DAY	      86400
#define POLICY_ONE_WEEK	      604800

/* What one line turned out to be, from the first pass. */
enum pl_kind {
	PL_SKIP = 0, /* blank or broken: no field */
	PL_VERSION,
	PL_MODE,
	PL_MAX_AGE,
	PL_MX,
	PL_EXT
};

struct pl_info {
	enum pl_kind kind;
	int	     wellformed; /* value is valid for its kind */
	int	     exact_name; /* name matched case-sensitively */
	const char  *name;
	size_t	     nlen;
	const char  *val;
	size_t	     vlen;
};

static int	   policy_wsp(unsigned char);
static int	   policy_alnum(unsigned char);
static const char *policy_comment_hint(const char *, size_t);
static void	   policy_split(struct policy *);
static int policy_line_syntax(struct policy *, size_t, const char *, size_t,
    struct pl_info *, const char *, struct finding_list *);
static enum pl_kind	 policy_kind(const char *, size_t, int *);
static int		 policy_value_ok(enum pl_kind, const char *, size_t);
static const char	*policy_kind_name(enum pl_kind);
static enum finding_code policy_kind_code(enum pl_kind);
static void policy_malformed(struct policy *, size_t, struct pl_info *, long,
    struct pl_info *, const char *, struct finding_list *);
static void policy_mx_line(struct policy *, size_t, struct pl_info *,
    const char *, struct finding_list *);
static void policy_max_age_checks(struct policy *, size_t, struct pl_info *,
    const char *, struct finding_list *);

static int
policy_wsp(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int
policy_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* Templates often carry "# ..." notes; the grammar has no comments. */
static const char *
policy_comment_hint(const char *v, size_t len)
{
	if (memchr(v, '#', len) != NULL)
		return " (policies have no comment syntax: the '#' text is "
		       "part of the value)";
	return "";
}

const char *
policy_mode_name(enum policy_mode m)
{
	switch (m) {
	case POLICY_MODE_NONE:
		return "none";
	case POLICY_MODE_TESTING:
		return "testing";
	case POLICY_MODE_ENFORCE:
		return "enforce";
	default:
		return "missing";
	}
}

/*
 * Cuts the body into lines at LF, CRLF and bare CR (POL-2), so the TUI can
 * show each terminator; at most POLICY_MAX_LINES are kept.
 */
static void
policy_split(struct policy *p)
{
	struct policy_line *l;
	const char	   *b = p->body;
	size_t		    i = 0, start, cap = 0;

	while (i < p->bodylen) {
		if (p->nlines == POLICY_MAX_LINES) {
			p->truncated = 1;
			break;
		}
		if (p->nlines == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			p->lines =
			    xreallocarray(p->lines, cap, sizeof(*p->lines));
		}
		l = &p->lines[p->nlines];
		memset(l, 0, sizeof(*l));
		l->lineno = (unsigned)++p->nlines;
		l->raw = b + i;
		start = i;
		while (i < p->bodylen && b[i] != '\n' && b[i] != '\r')
			i++;
		l->len = i - start;
		if (i == p->bodylen)
			l->eol = POLICY_EOL_NONE;
		else if (b[i] == '\n') {
			l->eol = POLICY_EOL_LF;
			i++;
		} else if (i + 1 < p->bodylen && b[i + 1] == '\n') {
			l->eol = POLICY_EOL_CRLF;
			i += 2;
		} else {
			l->eol = POLICY_EOL_CR;
			i++;
		}
	}
}

/* The field a name stands for; *exact is 0 for a case variant. */
static enum pl_kind
policy_kind(const char *n, size_t len, int *exact)
{
	static const struct {
		const char  *name;
		enum pl_kind kind;
		int	     alias; /* a misspelling, never the field */
	} names[] = {
		{ "version", PL_VERSION, 0 },
		{ "mode", PL_MODE, 0 },
		{ "max_age", PL_MAX_AGE, 0 },
		{ "mx", PL_MX, 0 },
		{ "max-age", PL_MAX_AGE, 1 },
		{ "maxage", PL_MAX_AGE, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i].name) != len ||
		    strncasecmp(names[i].name, n, len) != 0)
			continue;
		*exact = !names[i].alias && memcmp(names[i].name, n, len) == 0;
		return names[i].kind;
	}
	*exact = 1;
	return PL_EXT;
}

static int
policy_value_ok(enum pl_kind kind, const char *v, size_t len)
{
	size_t i;

	switch (kind) {
	case PL_VERSION:
		return len == 5 && memcmp(v, "STSv1", 5) == 0;
	case PL_MODE:
		return (len == 7 && memcmp(v, "testing", 7) == 0) ||
		    (len == 7 && memcmp(v, "enforce", 7) == 0) ||
		    (len == 4 && memcmp(v, "none", 4) == 0);
	case PL_MAX_AGE:
		if (len == 0 || len > POLICY_MAX_AGE_DIGITS)
			return 0;
		for (i = 0; i < len; i++)
			if (v[i] < '0' || v[i] > '9')
				return 0;
		return 1;
	default:
		return 1;
	}
}

static const char *
policy_kind_name(enum pl_kind kind)
{
	switch (kind) {
	case PL_VERSION:
		return "version";
	case PL_MODE:
		return "mode";
	case PL_MAX_AGE:
		return "max_age";
	case PL_MX:
		return "mx";
	default:
		return "field";
	}
}

static enum finding_code
policy_kind_code(enum pl_kind kind)
{
	switch (kind) {
	case PL_VERSION:
		return FINDING_POLICY_VERSION;
	case PL_MODE:
		return FINDING_POLICY_MODE;
	case PL_MAX_AGE:
		return FINDING_POLICY_MAX_AGE;
	case PL_MX:
		return FINDING_POLICY_MX_INVALID;
	default:
		return FINDING_POLICY_SYNTAX;
	}
}

/*
 * First pass over one line: the byte-level grammar (POL-1, POL-3, POL-4,
 * POL-16).  Fills *info and returns 0, or reports policy.syntax and
 * returns -1.
 */
static int
policy_line_syntax(struct policy *p, size_t idx, const char *c, size_t len,
    struct pl_info *info, const char *subject, struct finding_list *fl)
{
	unsigned    ln = p->lines[idx].lineno;
	const char *colon, *v, *ve;
	size_t	    nlen, i, n;
	char	   *show;

	memset(info, 0, sizeof(*info));
	colon = memchr(c, ':', len);
	for (i = 0; i < len && policy_wsp(c[i]); i++)
		;
	if (i > 0) {
		show = utf8_show(c, len);
		finding_add(fl, FINDING_POLICY_SYNTAX, subject, ln,
		    "the line starts with whitespace ('%s'): field names "
		    "must start in column 1; senders reject the policy",
		    show);
		free(show);
		return -1;
	}
	if (colon == NULL) {
		show = utf8_show(c, len);
		finding_add(fl, FINDING_POLICY_SYNTAX, subject, ln,
		    "the line has no ':' ('%s'): every line must be "
		    "'name: value'; senders reject the policy",
		    show);
		free(show);
		return -1;
	}
	nlen = (size_t)(colon - c);
	if (nlen > 0 && policy_wsp(c[nlen - 1])) {
		while (nlen > 0 && policy_wsp(c[nlen - 1]))
			nlen--;
		show = utf8_show(c, nlen);
		finding_add(fl, FINDING_POLICY_SYNTAX, subject, ln,
		    "whitespace before ':' after '%s': write '%s:' with the "
		    "colon right after the name; senders reject the policy",
		    show, show);
		free(show);
		return -1;
	}
	for (i = 0; i < nlen; i++)
		if (!policy_alnum(c[i]) && c[i] != '_' && c[i] != '-' &&
		    c[i] != '.')
			break;
	if (nlen == 0 || i < nlen || !policy_alnum(c[0]) ||
	    nlen > POLICY_NAME_MAX) {
		show = utf8_show(c, nlen);
		finding_add(fl, FINDING_POLICY_SYNTAX, subject, ln,
		    "'%s' is not a field name (1 to 32 letters, digits, "
		    "'_', '-' or '.', starting with a letter or digit); "
		    "senders reject the policy",
		    show);
		free(show);
		return -1;
	}
	/* fdelim = ":" *WSP; a field may be followed by *WSP (POL-1). */
	v = colon + 1;
	ve = c + len;
	while (v < ve && policy_wsp(*v))
		v++;
	while (ve > v && policy_wsp(ve[-1]))
		ve--;
	for (i = 0; v + i < ve; i += n) {
		n = 1;
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
			show = utf8_show(c, nlen);
			finding_add(fl, FINDING_POLICY_SYNTAX, subject, ln,
			    "control byte 0x%02x in the value of '%s' "
			    "(column %zu): not allowed anywhere in a "
			    "policy; senders reject the policy",
			    (unsigned char)v[i], show, (size_t)(v + i - c) + 1);
			free(show);
			return -1;
		}
		if ((unsigned char)v[i] >= 0x80) {
			n = utf8_valid_prefix((const unsigned char *)v + i,
			    (size_t)(ve - v) - i);
			if (n == 0) {
				show = utf8_show(c, nlen);
				finding_add(fl, FINDING_POLICY_SYNTAX, subject,
				    ln,
				    "byte 0x%02x in the value of '%s' "
				    "(column %zu) is not valid UTF-8; senders "
				    "reject the policy",
				    (unsigned char)v[i], show,
				    (size_t)(v + i - c) + 1);
				free(show);
				return -1;
			}
		}
	}
	info->name = c;
	info->nlen = nlen;
	info->val = v;
	info->vlen = (size_t)(ve - v);
	info->kind = policy_kind(c, nlen, &info->exact_name);
	if (info->vlen == 0) {
		/* Even an extension needs a value (POL-1 ext-value). */
		show = utf8_show(c, nlen);
		finding_add(fl,
		    info->kind == PL_EXT ? FINDING_POLICY_SYNTAX
					 : policy_kind_code(info->kind),
		    subject, ln, "'%s' has no value; senders reject the policy",
		    show);
		free(show);
		return -1;
	}
	info->wellformed = info->exact_name &&
	    policy_value_ok(info->kind, info->val, info->vlen);
	return 0;
}

/*
 * A version, mode or max_age line that is not well-formed: by the grammar
 * it is an unknown extension (POL-11), and what that means depends on
 * whether a good line for the field exists (first = its index, or -1).
 */
static void
policy_malformed(struct policy *p, size_t idx, struct pl_info *in, long first,
    struct pl_info *fin, const char *subject, struct finding_list *fl)
{
	const char *kname = policy_kind_name(in->kind);
	char	   *n, *v, *what, *cons, *fv;
	unsigned    ln = p->lines[idx].lineno;
	size_t	    i;

	n = utf8_show(in->name, in->nlen);
	v = utf8_show(in->val, in->vlen);
	if (first >= 0 && (size_t)first < idx) {
		fv = utf8_show(fin->val, fin->vlen);
		finding_add(fl, FINDING_POLICY_DUPLICATE_FIELD, subject, ln,
		    "'%s: %s' repeats %s (and is not valid anyway); the "
		    "first, '%s' on line %u, counts",
		    n, v, kname, fv, p->lines[first].lineno);
		free(fv);
		goto out;
	}
	if (!in->exact_name)
		what = xasprintf("'%s' is not the field name '%s' (%s)", n,
		    kname,
		    strcasecmp(n, kname) == 0 ? "names are "
						"case-sensitive"
					      : "so it is an unknown field");
	else if (in->kind == PL_VERSION)
		what = xasprintf("version '%s' is not STSv1 (the only "
				 "version, case-sensitive)%s",
		    v, policy_comment_hint(in->val, in->vlen));
	else if (in->kind == PL_MODE) {
		if (policy_value_ok(PL_MODE, in->val, in->vlen) ||
		    strcasecmp(v, "testing") == 0 ||
		    strcasecmp(v, "enforce") == 0 || strcasecmp(v, "none") == 0)
			what = xasprintf(
			    "mode '%s' is not a mode "
			    "(case-sensitive: testing, enforce or none)",
			    v);
		else
			what = xasprintf("mode '%s' is not testing, enforce "
					 "or none%s",
			    v, policy_comment_hint(in->val, in->vlen));
	} else {
		for (i = 0; i < in->vlen; i++)
			if (in->val[i] < '0' || in->val[i] > '9')
				break;
		if (i == in->vlen)
			what = xasprintf("max_age '%s' has %zu digits; at most "
					 "%d are allowed",
			    v, in->vlen, POLICY_MAX_AGE_DIGITS);
		else
			what = xasprintf("max_age '%s' is not a number of "
					 "seconds (1 to 10 digits only)%s",
			    v, policy_comment_hint(in->val, in->vlen));
	}
	if (first >= 0) {
		fv = utf8_show(fin->val, fin->vlen);
		cons = xasprintf("senders ignore this line and use '%s' from "
				 "line %u",
		    fv, p->lines[first].lineno);
		free(fv);
	} else
		cons = xasprintf("the policy has no valid %s", kname);
	finding_add(fl, policy_kind_code(in->kind), subject, ln, "%s; %s", what,
	    cons);
	free(what);
	free(cons);
out:
	free(n);
	free(v);
}

/* POL-9, POL-15: one mx line. */
static void
policy_mx_line(struct policy *p, size_t idx, struct pl_info *in,
    const char *subject, struct finding_list *fl)
{
	enum mx_pattern_status st;
	struct finding	      *f;
	unsigned	       ln = p->lines[idx].lineno;
	char		      *pat, *show, *cause = NULL;

	show = utf8_show(in->val, in->vlen);
	if (!in->exact_name) {
		finding_add(fl, FINDING_POLICY_MX_INVALID, subject, ln,
		    "'%.*s' is not the field name 'mx' (names are "
		    "case-sensitive); senders ignore the pattern '%s'",
		    (int)in->nlen, in->name, show);
		goto out;
	}
	if (memchr(in->val, '#', in->vlen) != NULL) {
		finding_add(fl, FINDING_POLICY_MX_INVALID, subject, ln,
		    "mx value '%s' has a '#' comment: policies have no "
		    "comments, so senders take it all as one pattern and "
		    "ignore it",
		    show);
		goto out;
	}
	if (memchr(in->val, ',', in->vlen) != NULL ||
	    memchr(in->val, ' ', in->vlen) != NULL ||
	    memchr(in->val, '\t', in->vlen) != NULL) {
		finding_add(fl, FINDING_POLICY_MX_INVALID, subject, ln,
		    "mx value '%s' holds several names: each pattern needs "
		    "its own mx: line; senders ignore this line",
		    show);
		goto out;
	}
	pat = xstrndup(in->val, in->vlen);
	if (strlen(pat) != in->vlen) {
		/* A NUL was caught by the syntax pass; be safe anyway. */
		free(pat);
		goto out;
	}
	st = mx_match_pattern_check(pat, &cause);
	if (st == MX_PATTERN_INVALID) {
		finding_add(fl, FINDING_POLICY_MX_INVALID, subject, ln,
		    "mx pattern '%s' is invalid: %s; senders ignore it", show,
		    cause);
		free(pat);
		goto out;
	}
	if (st == MX_PATTERN_TOO_LONG) {
		f = finding_add(fl, FINDING_POLICY_MX_INVALID, subject, ln,
		    "mx pattern '%s': %s", show, cause);
		f->severity = FINDING_WARNING;
	}
	if (p->nmx == POLICY_MAX_MX) {
		if (!p->truncated)
			finding_add(fl, FINDING_POLICY_TRUNCATED, subject, ln,
			    "more than %d mx patterns; the rest are not "
			    "analysed",
			    POLICY_MAX_MX);
		p->truncated = 1;
		free(pat);
		goto out;
	}
	p->mx = xreallocarray(p->mx, p->nmx + 1, sizeof(*p->mx));
	p->mx[p->nmx].pattern = pat;
	p->mx[p->nmx].lineno = ln;
	p->nmx++;
	p->lines[idx].used = 1;
	if (pat[0] == '*')
		finding_add(fl, FINDING_POLICY_MX_WILDCARD, subject, ln,
		    "'%s' trusts every host one label below %s that can get "
		    "a publicly trusted certificate",
		    show, show + 2);
out:
	free(cause);
	free(show);
}

/* POL-14 on the max_age that counts. */
static void
policy_max_age_checks(struct policy *p, size_t idx, struct pl_info *in,
    const char *subject, struct finding_list *fl)
{
	unsigned ln = p->lines[idx].lineno;
	int64_t	 v = 0;
	size_t	 i;

	for (i = 0; i < in->vlen; i++)
		v = v * 10 + (in->val[i] - '0');
	p->max_age = v;
	if (in->vlen > 1 && in->val[0] == '0')
		finding_add(fl, FINDING_POLICY_MAX_AGE_LEADING_ZERO, subject,
		    ln,
		    "max_age '%.*s' has leading zeros: valid, read as "
		    "%lld",
		    (int)in->vlen, in->val, (long long)v);
	if (v > POLICY_MAX_AGE_MAX)
		finding_add(fl, FINDING_POLICY_MAX_AGE_RANGE, subject, ln,
		    "max_age %lld exceeds the maximum of %d seconds (one "
		    "year): the RFC does not say whether senders clamp or "
		    "reject it; strict senders ignore the policy",
		    (long long)v, POLICY_MAX_AGE_MAX);
	else if (v == 0)
		finding_add(fl, FINDING_POLICY_MAX_AGE_ZERO, subject, ln,
		    "max_age is 0: senders do not cache the policy, so an "
		    "attacker who blocks the next fetch disables it");
	else if (p->mode == POLICY_MODE_NONE)
		; /* a short max_age speeds up removal (section 8.3) */
	else if (v < POLICY_ONE_DAY)
		finding_add(fl, FINDING_POLICY_MAX_AGE_SHORT, subject, ln,
		    "max_age %lld is under one day (86400)", (long long)v);
	else if (v < POLICY_ONE_WEEK)
		finding_add(fl, FINDING_POLICY_MAX_AGE_UNDER_WEEK, subject, ln,
		    "max_age %lld is under a week (604800); RFC 8461 expects "
		    "weeks or more",
		    (long long)v);
}

struct policy *
policy_parse(const char *body, size_t len, const char *subject,
    struct finding_list *fl)
{
	struct policy	   *p;
	struct pl_info	   *info;
	struct policy_line *l;
	const char	   *c;
	size_t		    i, j, clen, n, nbadmx = 0;
	long		    first[PL_EXT + 1];
	int		    bom = 0, syntax = 0, broken = 0;
	char		   *show, *fv;

	p = xcalloc(1, sizeof(*p));
	p->max_age = -1;
	n = len;
	if (n > POLICY_MAX_BYTES) {
		n = POLICY_MAX_BYTES;
		p->truncated = 1;
	}
	p->body = xmalloc(n + 1);
	if (n > 0)
		memcpy(p->body, body, n);
	p->body[n] = '\0';
	p->bodylen = n;
	policy_split(p);
	if (p->truncated)
		finding_add(fl, FINDING_POLICY_TRUNCATED, subject, 0,
		    "the policy is over %d bytes or %d lines; only the start "
		    "was analysed",
		    POLICY_MAX_BYTES, POLICY_MAX_LINES);

	if (n >= 3 && memcmp(p->body, "\xef\xbb\xbf", 3) == 0) {
		bom = 1;
		finding_add(fl, FINDING_POLICY_BOM, subject, 1,
		    "the policy starts with a UTF-8 byte order mark (EF BB "
		    "BF): by the grammar the first line is then invalid and "
		    "strict senders reject the policy; some senders strip "
		    "it, and the rest is read as if they did");
	}
	if (n == 0)
		finding_add(fl, FINDING_POLICY_SYNTAX, subject, 0,
		    "the policy body is empty");

	/* Pass 1: the grammar of each line. */
	info = xcalloc(p->nlines + 1, sizeof(*info));
	for (i = 0; i < p->nlines; i++) {
		l = &p->lines[i];
		c = l->raw;
		clen = l->len;
		if (i == 0 && bom) {
			c += 3;
			clen -= 3;
		}
		if (broken) {
			/* The rest of a line cut by a bare CR (POL-2). */
			broken = l->eol == POLICY_EOL_CR;
			continue;
		}
		if (l->eol == POLICY_EOL_CR) {
			show = utf8_show(c, clen);
			finding_add(fl, FINDING_POLICY_SYNTAX, subject,
			    l->lineno,
			    "'%s' ends in a bare CR (0x0d) without "
			    "LF, which is not a line terminator: senders read "
			    "it and the next line as one broken line; senders "
			    "reject the policy",
			    show);
			free(show);
			syntax = 1;
			broken = 1;
			continue;
		}
		for (j = 0; j < clen && policy_wsp(c[j]); j++)
			;
		if (j == clen) {
			finding_add(fl, FINDING_POLICY_BLANK_LINE, subject,
			    l->lineno,
			    clen == 0
				? "empty line: the grammar "
				  "has none (not even at the end); strict senders "
				  "reject the policy"
				: "whitespace-only line: the "
				  "grammar has none; strict senders reject the "
				  "policy");
			continue;
		}
		if (policy_line_syntax(p, i, c, clen, &info[i], subject, fl) ==
		    -1) {
			info[i].kind = PL_SKIP;
			syntax = 1;
		}
	}

	/* The first well-formed line of each single-valued field wins. */
	for (j = 0; j <= PL_EXT; j++)
		first[j] = -1;
	for (i = 0; i < p->nlines; i++)
		if (info[i].kind != PL_SKIP && info[i].kind != PL_MX &&
		    info[i].kind != PL_EXT && info[i].wellformed &&
		    first[info[i].kind] == -1)
			first[info[i].kind] = (long)i;
	if (first[PL_VERSION] >= 0)
		p->version_ok = 1;
	if (first[PL_MODE] >= 0) {
		c = info[first[PL_MODE]].val;
		p->mode = c[0] == 't' ? POLICY_MODE_TESTING
		    : c[0] == 'e'     ? POLICY_MODE_ENFORCE
				      : POLICY_MODE_NONE;
	}

	/* Pass 2: meaning, in line order. */
	for (i = 0; i < p->nlines; i++) {
		switch (info[i].kind) {
		case PL_SKIP:
			break;
		case PL_MX:
			policy_mx_line(p, i, &info[i], subject, fl);
			if (!p->lines[i].used)
				nbadmx++;
			break;
		case PL_VERSION:
		case PL_MODE:
		case PL_MAX_AGE:
			j = (size_t)first[info[i].kind];
			if (!info[i].wellformed) {
				policy_malformed(p, i, &info[i],
				    first[info[i].kind],
				    first[info[i].kind] >= 0 ? &info[j] : NULL,
				    subject, fl);
				break;
			}
			if (j == i) {
				p->lines[i].used = 1;
				if (info[i].kind == PL_MAX_AGE)
					policy_max_age_checks(p, i, &info[i],
					    subject, fl);
				break;
			}
			show = utf8_show(info[i].val, info[i].vlen);
			fv = utf8_show(info[j].val, info[j].vlen);
			finding_add(fl, FINDING_POLICY_DUPLICATE_FIELD, subject,
			    p->lines[i].lineno,
			    "%s appears again "
			    "('%s'); only the first, '%s' on line %u, counts",
			    policy_kind_name(info[i].kind), show, fv,
			    p->lines[j].lineno);
			free(show);
			free(fv);
			break;
		case PL_EXT:
			show = utf8_show(info[i].name, info[i].nlen);
			for (j = 0; j < i; j++)
				if (info[j].kind == PL_EXT &&
				    info[j].nlen == info[i].nlen &&
				    memcmp(info[j].name, info[i].name,
					info[i].nlen) == 0)
					break;
			if (j < i) {
				fv = utf8_show(info[j].val, info[j].vlen);
				finding_add(fl, FINDING_POLICY_DUPLICATE_FIELD,
				    subject, p->lines[i].lineno,
				    "field '%s' "
				    "appears again; only the first, '%s' on "
				    "line %u, counts",
				    show, fv, p->lines[j].lineno);
				free(fv);
			} else {
				finding_add(fl, FINDING_POLICY_UNKNOWN_FIELD,
				    subject, p->lines[i].lineno,
				    "unknown "
				    "field '%s' is ignored by senders",
				    show);
				p->lines[i].used = 1;
			}
			free(show);
			break;
		}
	}
	/* POL-8: the required fields. */
	for (j = PL_VERSION; j <= PL_MAX_AGE; j++) {
		if (first[j] >= 0)
			continue;
		for (i = 0; i < p->nlines; i++)
			if (info[i].kind == (enum pl_kind)j)
				break;
		if (i < p->nlines)
			continue; /* reported on the malformed line */
		finding_add(fl, policy_kind_code((enum pl_kind)j), subject, 0,
		    "the policy has no %s line; it is required",
		    policy_kind_name((enum pl_kind)j));
	}
	if ((p->mode == POLICY_MODE_TESTING ||
		p->mode == POLICY_MODE_ENFORCE) &&
	    p->nmx == 0) {
		if (nbadmx > 0)
			finding_add(fl, FINDING_POLICY_MX_MISSING, subject, 0,
			    "a %s policy needs at least one valid mx line; "
			    "all %zu mx lines are invalid, so senders reject "
			    "the policy",
			    policy_mode_name(p->mode), nbadmx);
		else
			finding_add(fl, FINDING_POLICY_MX_MISSING, subject, 0,
			    "a %s policy needs at least one mx line; there is "
			    "none, so senders reject the policy",
			    policy_mode_name(p->mode));
	}
	if (p->mode == POLICY_MODE_TESTING)
		finding_add(fl, FINDING_POLICY_MODE_TESTING, subject,
		    p->lines[first[PL_MODE]].lineno,
		    "mode is testing: "
		    "failures are reported through TLS-RPT, mail is still "
		    "delivered");
	else if (p->mode == POLICY_MODE_NONE)
		finding_add(fl, FINDING_POLICY_MODE_NONE, subject,
		    p->lines[first[PL_MODE]].lineno,
		    "mode is none: senders "
		    "apply no MTA-STS protection");

	/*
	 * POL-14: above the stated maximum the RFC leaves senders to clamp or
	 * reject; we judge by the strict reading, as strict senders do.
	 */
	p->valid = !bom && !syntax && p->version_ok &&
	    p->mode != POLICY_MODE_MISSING && p->max_age >= 0 &&
	    p->max_age <= POLICY_MAX_AGE_MAX &&
	    (p->mode == POLICY_MODE_NONE || p->nmx > 0);
	free(info);
	return p;
}

void
policy_free(struct policy *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nmx; i++)
		free(p->mx[i].pattern);
	free(p->mx);
	free(p->lines);
	free(p->body);
	free(p);
}

struct policy *
policy_parse_lenient(const char *body, size_t len)
{
	struct finding_list *scratch;
	struct policy	    *p;
	char		    *norm;
	size_t		     i = 0, n = 0, start;

	if (len > POLICY_MAX_BYTES)
		len = POLICY_MAX_BYTES;
	if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	norm = xmalloc(len + 1);
	while (i < len) {
		while (i < len && (body[i] == ' ' || body[i] == '\t'))
			i++;
		start = i;
		while (i < len && body[i] != '\n')
			i++;
		if (i < len)
			i++;
		/* A line of nothing but its terminator is skipped. */
		if (i - start > 2 || (i - start == 2 && body[start] != '\r') ||
		    (i - start == 1 && body[start] != '\n' &&
			body[start] != '\r')) {
			memcpy(norm + n, body + start, i - start);
			n += i - start;
		}
	}
	scratch = finding_list_new();
	p = policy_parse(norm, n, NULL, scratch);
	finding_list_free(scratch);
	free(norm);
	if (!p->valid) {
		policy_free(p);
		return NULL;
	}
	return p;
}
