/*
 * Unit tests for engine/mx_match: pattern syntax (POL-15) and matching
 * (MX-2, MX-5, section 11 item 15).  Table-driven.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mx_match.h"
#include "utf8.h"
#include "xmalloc.h"

struct check_case {
	const char	      *pattern;
	enum mx_pattern_status status;
	const char	      *cause; /* substring, or NULL */
};

static const struct check_case checks[] = {
	{ "mail.example.com", MX_PATTERN_OK, NULL },
	{ "MAIL.Example.COM", MX_PATTERN_OK, NULL },
	{ "*.example.net", MX_PATTERN_OK, NULL },
	{ "*.mail.protection.outlook.com", MX_PATTERN_OK, NULL },
	{ "localhost", MX_PATTERN_OK, NULL },
	{ "*.com", MX_PATTERN_OK, NULL },
	{ "xn--bcher-kva.example", MX_PATTERN_OK, NULL },
	{ "a-b.c0.example", MX_PATTERN_OK, NULL },
	{ "123.example.com", MX_PATTERN_OK, NULL },
	{ "", MX_PATTERN_INVALID, "empty" },
	{ "mail.example.com.", MX_PATTERN_INVALID, "ends with a dot" },
	{ "*.example.com.", MX_PATTERN_INVALID, "ends with a dot" },
	{ ".", MX_PATTERN_INVALID, "root" },
	{ ".example.com", MX_PATTERN_INVALID, "starts with a dot" },
	{ "*", MX_PATTERN_INVALID, "alone" },
	{ "*.*.example.net", MX_PATTERN_INVALID, "only the first label" },
	{ "mx*.example.net", MX_PATTERN_INVALID, "partial" },
	{ "*example.net", MX_PATTERN_INVALID, "followed by a dot" },
	{ "*mx.example.net", MX_PATTERN_INVALID, "followed by a dot" },
	{ "mail.*.example.net", MX_PATTERN_INVALID, "partial" },
	{ "mail_1.example.com", MX_PATTERN_INVALID, "underscore" },
	{ "mx1.your_domain.tld", MX_PATTERN_INVALID, "underscore" },
	{ "a..example.com", MX_PATTERN_INVALID, "empty label" },
	{ "-a.example.com", MX_PATTERN_INVALID, "hyphen" },
	{ "a-.example.com", MX_PATTERN_INVALID, "hyphen" },
	{ "192.0.2.1", MX_PATTERN_INVALID, "IPv4" },
	{ "*.192.0.2.1", MX_PATTERN_INVALID, "IPv4" },
	{ "[192.0.2.1]", MX_PATTERN_INVALID, "address literal" },
	{ "2001:db8::1", MX_PATTERN_INVALID, "address literal" },
	{ "mail.example.com:25", MX_PATTERN_INVALID, "port" },
	{ "a.example.com,b.example.com", MX_PATTERN_INVALID, "several" },
	{ "a.example.com b.example.com", MX_PATTERN_INVALID, "several" },
	{ "b\xc3\xbc"
	  "cher.example",
	    MX_PATTERN_INVALID, "'xn--bcher-kva.example'" },
	{ "*.b\xc3\xbc"
	  "cher.example",
	    MX_PATTERN_INVALID, "'*.xn--bcher-kva.example'" },
	{ "\xff.example", MX_PATTERN_INVALID, "A-labels" },
	{ "mail\x1b[2J.example", MX_PATTERN_INVALID, "control byte 0x1b" },
	{ "mail/x.example", MX_PATTERN_INVALID, "'/'" },
	{ "[mx]", MX_PATTERN_INVALID, "template" },
	{ "[2001:db8::1]", MX_PATTERN_INVALID, "address literal" },
	/* DNS limits are not stated by RFC 8461 (POL-15 INTERP: warn). */
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  ".example",
	    MX_PATTERN_TOO_LONG, "64 octets" },
};

struct match_case {
	const char	    *pattern;
	const char	    *host;
	enum mx_match_result result;
	const char	    *why; /* exact text, or NULL */
};

static const struct match_case matches[] = {
	{ "mail.example.com", "mail.example.com", MX_MATCH_EXACT,
	    "exact match (case-insensitive)" },
	{ "mail.example.com", "MAIL.EXAMPLE.COM", MX_MATCH_EXACT, NULL },
	{ "MAIL.example.com", "mail.EXAMPLE.com", MX_MATCH_EXACT, NULL },
	/* MX-2 INTERP: one root dot on the MX name is ignored. */
	{ "mail.example.com", "mail.example.com.", MX_MATCH_EXACT, NULL },
	{ "mail.example.com", "mail.example.com..", MX_MATCH_NONE, NULL },
	/* ... but a pattern with one never matches (POL-15). */
	{ "mail.example.com.", "mail.example.com.", MX_MATCH_BAD_PATTERN,
	    NULL },
	{ "mail.example.com.", "mail.example.com", MX_MATCH_BAD_PATTERN, NULL },
	{ "*.example.com", "mail.example.com", MX_MATCH_WILDCARD,
	    "*.example.com covers mail.example.com (one label in place of "
	    "'*')" },
	{ "*.example.com", "MAIL.Example.Com.", MX_MATCH_WILDCARD, NULL },
	{ "*.EXAMPLE.com", "mx.example.COM", MX_MATCH_WILDCARD, NULL },
	/* Section 11 item 15: depth and the implicit MX (MX-5). */
	{ "*.example.com", "a.b.example.com", MX_MATCH_NONE,
	    "*.example.com covers exactly one label; a.b.example.com has two" },
	{ "*.example.com", "a.b.c.example.com", MX_MATCH_NONE,
	    "*.example.com covers exactly one label; a.b.c.example.com has "
	    "three" },
	{ "*.example.com", "example.com", MX_MATCH_NONE,
	    "example.com is not covered by *.example.com (the wildcard needs "
	    "one more label)" },
	{ "*.example.com", "example.com.", MX_MATCH_NONE, NULL },
	{ "*.example.com", "mail.example.org", MX_MATCH_NONE,
	    "mail.example.org is not under example.com" },
	{ "*.example.com", "mailexample.com", MX_MATCH_NONE, NULL },
	{ "*.example.com", ".example.com", MX_MATCH_NONE, NULL },
	{ "example.com", "mail.example.com", MX_MATCH_NONE,
	    "mail.example.com is below example.com, but a pattern without "
	    "'*.' matches only that exact name" },
	{ "mail.example.com", "example.com", MX_MATCH_NONE,
	    "example.com is not mail.example.com" },
	{ "mail.example.com", "mail.example.co", MX_MATCH_NONE, NULL },
	{ "example.com", "example.com", MX_MATCH_EXACT, NULL },
	{ "mail_1.example.com", "mail_1.example.com", MX_MATCH_BAD_PATTERN,
	    NULL },
	{ "*.example.com", "", MX_MATCH_NONE, NULL },
	{ "*.example.com", ".", MX_MATCH_NONE, NULL },
	{ "mail.example.com", "", MX_MATCH_NONE, NULL },
	/* Hostile bytes in a label are compared as bytes, escaped in why. */
	{ "*.example.com", "\x1b[31m.example.com", MX_MATCH_WILDCARD, NULL },
	{ "mail.example.com", "mail.example.com\xff", MX_MATCH_NONE, NULL },
	/* ASCII-only case folding: no locale tricks with non-ASCII. */
	{ "xn--bcher-kva.example", "XN--BCHER-KVA.EXAMPLE", MX_MATCH_EXACT,
	    NULL },
};

static void
test_check(void **state)
{
	const struct check_case *c = *state;
	enum mx_pattern_status	 st;
	char			*cause = NULL;

	st = mx_match_pattern_check(c->pattern, &cause);
	if (st != c->status ||
	    (c->cause != NULL &&
		(cause == NULL || strstr(cause, c->cause) == NULL)))
		print_message("pattern '%s': status %d cause '%s'\n",
		    c->pattern, st, cause != NULL ? cause : "(null)");
	assert_int_equal(st, c->status);
	if (c->status == MX_PATTERN_OK)
		assert_null(cause);
	else {
		assert_non_null(cause);
		if (c->cause != NULL)
			assert_non_null(strstr(cause, c->cause));
	}
	free(cause);
}

static void
test_match(void **state)
{
	const struct match_case *c = *state;
	enum mx_match_result	 r;
	const unsigned char	*p;
	char			*why = NULL;

	r = mx_match_explain(c->pattern, c->host, &why);
	assert_non_null(why);
	if (r != c->result || (c->why != NULL && strcmp(why, c->why) != 0))
		print_message("'%s' vs '%s': %d '%s'\n", c->pattern, c->host, r,
		    why);
	assert_int_equal(r, c->result);
	assert_int_equal(mx_match(c->pattern, c->host), r);
	if (c->why != NULL)
		assert_string_equal(why, c->why);
	for (p = (const unsigned char *)why; *p != '\0'; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);
	free(why);
}

static void
test_coverage(void **state)
{
	const char *hosts[] = { "mx1.example.com.", "mx2.example.com",
		"backup.example.net", "example.com" };
	const char *pats[] = { "mx1.example.com", "*.example.com",
		"mx2.example.com", "unused.example.org",
		"backup.example.net." };
	long	    first[4];
	int	    used[5];

	(void)state;
	mx_match_coverage(hosts, 4, pats, 5, first, used);
	assert_int_equal(first[0], 0);
	assert_int_equal(first[1], 1);
	assert_int_equal(first[2], -1); /* the only candidate is invalid */
	assert_int_equal(first[3], -1); /* implicit MX needs an exact one */
	assert_int_equal(used[0], 1);
	assert_int_equal(used[1], 1);
	assert_int_equal(used[2], 1);
	assert_int_equal(used[3], 0);
	assert_int_equal(used[4], 0);
	/* Either output may be omitted; empty inputs are fine. */
	mx_match_coverage(hosts, 4, pats, 5, NULL, used);
	mx_match_coverage(hosts, 4, pats, 5, first, NULL);
	mx_match_coverage(NULL, 0, NULL, 0, NULL, NULL);
	mx_match_coverage(hosts, 4, NULL, 0, first, NULL);
	assert_int_equal(first[0], -1);
}

/* Very long names stay bounded and never match by accident. */
static void
test_long(void **state)
{
	char  *host, *pat, *why, *cause;
	size_t n = 100000;

	(void)state;
	host = xmalloc(n + 1);
	memset(host, 'a', n);
	host[n] = '\0';
	host[1] = '.';
	pat = xasprintf("*.%s", host + 2);
	assert_int_equal(mx_match_explain(pat, host, &why), MX_MATCH_WILDCARD);
	assert_true(strlen(why) < 400);
	free(why);
	assert_int_equal(mx_match_pattern_check(pat, &cause),
	    MX_PATTERN_TOO_LONG);
	free(cause);
	free(pat);
	free(host);
}

/*
 * Corpus: snawoot-resolver's refdata.tsv expects "match=mail.loc" for
 * good.loc, i.e. its policy lists mail.loc and the MX is mail.loc.
 */
static void
test_corpus_snawoot(void **state)
{
	const char *dir = getenv("MTASTS_CORPUS");
	char	    path[1024], line[512], *m, *e;
	FILE	   *f;
	int	    n = 0;

	(void)state;
	if (dir == NULL || *dir == '\0')
		dir = "../shared/corpus";
	snprintf(path, sizeof(path),
	    "%s/policies/snawoot-resolver__"
	    "refdata.tsv",
	    dir);
	if ((f = fopen(path, "r")) == NULL) {
		print_message("corpus not found at %s (set MTASTS_CORPUS); "
			      "skipping\n",
		    path);
		skip();
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((m = strstr(line, "match=")) == NULL)
			continue;
		m += 6;
		e = m + strcspn(m, " \t\r\n");
		*e = '\0';
		assert_int_equal(mx_match(m, m), MX_MATCH_EXACT);
		assert_int_equal(mx_match(m, "MAIL.LOC."), MX_MATCH_EXACT);
		n++;
	}
	fclose(f);
	assert_true(n > 0);
}

int
main(void)
{
	struct CMUnitTest *t;
	size_t		   nc = sizeof(checks) / sizeof(checks[0]);
	size_t		   nm = sizeof(matches) / sizeof(matches[0]);
	size_t		   i, k = 0;
	char		 **names, *a, *b;
	int		   rc;

	t = xcalloc(nc + nm + 3, sizeof(*t));
	names = xcalloc(nc + nm, sizeof(*names));
	for (i = 0; i < nc; i++, k++) {
		a = utf8_sanitize(checks[i].pattern, strlen(checks[i].pattern),
		    1);
		names[k] = xasprintf("check '%s'", a);
		free(a);
		t[k].name = names[k];
		t[k].test_func = test_check;
		t[k].initial_state = (void *)(uintptr_t)&checks[i];
	}
	for (i = 0; i < nm; i++, k++) {
		a = utf8_sanitize(matches[i].pattern,
		    strlen(matches[i].pattern), 1);
		b = utf8_sanitize(matches[i].host, strlen(matches[i].host), 1);
		names[k] = xasprintf("match '%s' vs '%s'", a, b);
		free(a);
		free(b);
		t[k].name = names[k];
		t[k].test_func = test_match;
		t[k].initial_state = (void *)(uintptr_t)&matches[i];
	}
	t[k].name = "coverage";
	t[k++].test_func = test_coverage;
	t[k].name = "long names";
	t[k++].test_func = test_long;
	t[k].name = "corpus: snawoot-resolver refdata match=";
	t[k++].test_func = test_corpus_snawoot;
	rc = _cmocka_run_group_tests("mx_match", t, k, NULL, NULL);
	for (i = 0; i < nc + nm; i++)
		free(names[i]);
	free(names);
	free(t);
	return rc;
}
