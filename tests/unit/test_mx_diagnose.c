/*
 * Unit tests for engine/mx_diagnose: the field classes of mx pattern / MX
 * mismatches (typo, policy host, third label, TLD, complete, stale), no
 * false claims, the fixes, and mx_lookup_cover/mx_lookup_stale using them.
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

#include "finding.h"
#include "history.h"
#include "mx_diagnose.h"
#include "mx_lookup.h"
#include "xmalloc.h"

#define OCT_1_2026 1790812800 /* 2026-10-01T00:00:00Z */

static void
assert_contains(const char *s, const char *want)
{
	if (s == NULL || strstr(s, want) == NULL)
		fail_msg("'%s' does not contain '%s'", s ? s : "(null)", want);
}

static void
assert_lacks(const char *s, const char *unwanted)
{
	if (s != NULL && strstr(s, unwanted) != NULL)
		fail_msg("'%s' contains '%s'", s, unwanted);
}

/* Diagnoses pattern against hosts (none covered) and returns the text. */
static char *
pattern_text(struct mx_diagnosis *d, const char *pattern,
    const char *const *hosts, size_t n, const char *domain)
{
	mx_diagnose_pattern(d, pattern, hosts, NULL, n, domain, NULL, 0);
	return mx_diagnose_text(d);
}

static void
test_distance(void **state)
{
	(void)state;
	assert_int_equal(mx_diagnose_distance("example", "exmaple", 3), 2);
	assert_int_equal(mx_diagnose_distance("MAIL", "mail", 3), 0);
	assert_int_equal(mx_diagnose_distance("", "abc", 3), 3);
	assert_int_equal(mx_diagnose_distance("abcdefgh", "zzzzzzzz", 3), 4);
	assert_int_equal(mx_diagnose_distance("a", "abcdefg", 3), 4);
}

static void
test_registered(void **state)
{
	(void)state;
	assert_string_equal(mx_diagnose_registered("mx.example.com"),
	    "example.com");
	assert_string_equal(mx_diagnose_registered("a.b.example.com"),
	    "example.com");
	assert_string_equal(mx_diagnose_registered("mx.example.co.uk"),
	    "example.co.uk");
	assert_string_equal(mx_diagnose_registered("mx.example.com.au"),
	    "example.com.au");
	assert_string_equal(mx_diagnose_registered("mx.example.de"),
	    "example.de");
	assert_string_equal(mx_diagnose_registered("example.com"),
	    "example.com");
	assert_string_equal(mx_diagnose_registered("com"), "com");
	assert_string_equal(mx_diagnose_suffix("mx.example.co.uk"), "co.uk");
	assert_string_equal(mx_diagnose_suffix("mx.example.test"), "test");
}

static void
test_typo(void **state)
{
	const char	   *hosts[] = { "mail.example.com" };
	struct mx_diagnosis d;
	char		   *t;

	(void)state;
	t = pattern_text(&d, "mail.exampe.com", hosts, 1, "example.com");
	assert_int_equal(d.cls, MX_DIAGNOSE_TYPO);
	assert_int_equal(d.edits, 1);
	assert_contains(t, "looks like a typo of MX mail.example.com (1 edit)");
	free(t);

	t = pattern_text(&d, "mail.exmaple.com", hosts, 1, "example.com");
	assert_int_equal(d.cls, MX_DIAGNOSE_TYPO);
	assert_int_equal(d.edits, 2);
	assert_string_equal(t,
	    "pattern mail.exmaple.com looks like a typo of MX "
	    "mail.example.com (2 edits)");
	free(t);

	t = pattern_text(&d, "MAIL.exmaple.con", hosts, 1, "example.com");
	assert_int_equal(d.cls, MX_DIAGNOSE_TYPO);
	assert_int_equal(d.edits, 3);
	free(t);

	/* Four edits is past the bound: another name, not a typo. */
	t = pattern_text(&d, "mial.exmaple.com", hosts, 1, "example.com");
	assert_int_not_equal(d.cls, MX_DIAGNOSE_TYPO);
	assert_int_equal(d.cls, MX_DIAGNOSE_COMPLETE);
	assert_lacks(t, "typo");
	free(t);

	/* A wildcard pattern is compared with the host's own first label. */
	t = pattern_text(&d, "*.exmaple.com", hosts, 1, NULL);
	assert_int_equal(d.cls, MX_DIAGNOSE_TYPO);
	assert_int_equal(d.edits, 2);
	free(t);
}

static void
test_policy_host(void **state)
{
	const char	   *hosts[] = { "mx1.example.com" };
	const char	   *patterns[] = { "mta-sts.example.com" };
	struct mx_diagnosis d;
	char		   *t, *fix;

	(void)state;
	t = pattern_text(&d, "mta-sts.example.com", hosts, 1, "example.com");
	assert_int_equal(d.cls, MX_DIAGNOSE_POLICY_HOST);
	assert_true(d.own_policy_host);
	assert_string_equal(t,
	    "mta-sts.example.com is the policy host, not a mail server");
	fix = mx_diagnose_fix_pattern(&d, "example.com");
	assert_contains(fix, "Remove \"mx: mta-sts.example.com\"");
	assert_contains(fix, "\"mx: mx1.example.com\"");
	assert_contains(fix, "new id at _mta-sts.example.com");
	free(fix);
	free(t);

	/* Even when it resembles no MX at all, and without the domain. */
	t = pattern_text(&d, "mta-sts.example.org", hosts, 1, NULL);
	assert_int_equal(d.cls, MX_DIAGNOSE_POLICY_HOST);
	assert_false(d.own_policy_host);
	assert_contains(t, "policy host, not a mail server");
	free(t);

	/* The MX's side: the policy names the policy host instead. */
	mx_diagnose_host(&d, "mx1.example.com", patterns, NULL, 1,
	    "example.com");
	assert_int_equal(d.cls, MX_DIAGNOSE_POLICY_HOST);
	fix = mx_diagnose_fix_host(&d, "mx1.example.com", 0, 0, "example.com");
	assert_contains(fix,
	    "Replace \"mx: mta-sts.example.com\" (the policy host) with "
	    "\"mx: mx1.example.com\"");
	free(fix);
}

static void
test_third_label(void **state)
{
	const char	   *hosts[] = { "mx.example.com" };
	struct mx_diagnosis d;
	char		   *t, *fix;

	(void)state;
	t = pattern_text(&d, "mail.example.com", hosts, 1, "example.com");
	assert_int_equal(d.cls, MX_DIAGNOSE_SAME_DOMAIN);
	assert_contains(t, "share the registered domain example.com");
	assert_lacks(t, "typo");
	fix = mx_diagnose_fix_pattern(&d, "example.com");
	assert_contains(fix,
	    "Replace \"mx: mail.example.com\" with \"mx: mx.example.com\"");
	free(fix);
	free(t);

	/* Numbered hosts are other hosts, not typos of each other. */
	t = pattern_text(&d, "mx2.example.com",
	    (const char *[]){ "mx1.example.com" }, 1, NULL);
	assert_int_equal(d.cls, MX_DIAGNOSE_SAME_DOMAIN);
	free(t);

	/* Under a two-level suffix the registered domain has three labels. */
	t = pattern_text(&d, "mail.example.co.uk",
	    (const char *[]){ "mx.example.co.uk" }, 1, NULL);
	assert_int_equal(d.cls, MX_DIAGNOSE_SAME_DOMAIN);
	assert_contains(t, "example.co.uk");
	free(t);
}

static void
test_tld(void **state)
{
	const char	   *hosts[] = { "mx.example.com" };
	struct mx_diagnosis d;
	char		   *t, *fix;

	(void)state;
	t = pattern_text(&d, "mx.example.net", hosts, 1, "example.com");
	assert_int_equal(d.cls, MX_DIAGNOSE_TLD);
	assert_string_equal(t,
	    "pattern mx.example.net differs from MX mx.example.com only in "
	    "the TLD");
	fix = mx_diagnose_fix_pattern(&d, NULL);
	assert_string_equal(fix,
	    "Correct \"mx: mx.example.net\" to \"mx: mx.example.com\"");
	free(fix);
	free(t);

	t = pattern_text(&d, "mx.example.co.uk", hosts, 1, NULL);
	assert_int_equal(d.cls, MX_DIAGNOSE_TLD);
	free(t);
}

static void
test_complete(void **state)
{
	const char	   *hosts[] = { "mx.example.com", "mx2.example.com" };
	struct mx_diagnosis d;
	char		   *t, *fix;

	(void)state;
	t = pattern_text(&d, "mail.other.org", hosts, 2, "example.com");
	assert_int_equal(d.cls, MX_DIAGNOSE_COMPLETE);
	assert_contains(t, "complete mismatch");
	assert_lacks(t, "typo");
	fix = mx_diagnose_fix_pattern(&d, "example.com");
	assert_contains(fix, "Remove \"mx: mail.other.org\"");
	free(fix);
	free(t);

	/* Short names close in edits but wholly different: no false typo. */
	t = pattern_text(&d, "mx.foo.net", (const char *[]){ "mx.bar.net" }, 1,
	    NULL);
	assert_int_equal(d.cls, MX_DIAGNOSE_COMPLETE);
	free(t);
	t = pattern_text(&d, "mail.abc.com", (const char *[]){ "mail.xyz.com" },
	    1, NULL);
	assert_int_equal(d.cls, MX_DIAGNOSE_COMPLETE);
	free(t);
	/* No MX at all: nothing to resemble. */
	t = pattern_text(&d, "mx.example.com", NULL, 0, NULL);
	assert_int_equal(d.cls, MX_DIAGNOSE_COMPLETE);
	free(t);
}

static void
test_stale(void **state)
{
	const char		     *hosts[] = { "new.example.com" };
	const struct mx_diagnose_seen seen[] = {
		{ "new.example.com", OCT_1_2026 + 86400 },
		{ "old.example.com", OCT_1_2026 },
		{ "a.legacy.example.net", OCT_1_2026 - 86400 },
	};
	struct mx_diagnosis d;
	char		   *t, *fix;

	(void)state;
	mx_diagnose_pattern(&d, "old.example.com", hosts, NULL, 1,
	    "example.com", seen, 3);
	assert_int_equal(d.cls, MX_DIAGNOSE_STALE);
	t = mx_diagnose_text(&d);
	assert_string_equal(t,
	    "stale after an MX change: this pattern matched MX "
	    "old.example.com, last seen on 2026-10-01 (local history)");
	fix = mx_diagnose_fix_pattern(&d, "example.com");
	assert_contains(fix, "Remove \"mx: old.example.com\"");
	free(fix);
	free(t);

	/* A wildcard that covered a former MX. */
	mx_diagnose_pattern(&d, "*.legacy.example.net", hosts, NULL, 1, NULL,
	    seen, 3);
	assert_int_equal(d.cls, MX_DIAGNOSE_STALE);
	assert_string_equal(d.seen_name, "a.legacy.example.net");

	/* Without history the same pattern is only a third-label miss. */
	mx_diagnose_pattern(&d, "old.example.com", hosts, NULL, 1, NULL, NULL,
	    0);
	assert_int_equal(d.cls, MX_DIAGNOSE_SAME_DOMAIN);
	/* A host on record that is still an MX makes nothing stale. */
	mx_diagnose_pattern(&d, "other.example.org", hosts, NULL, 1, NULL, seen,
	    3);
	assert_int_equal(d.cls, MX_DIAGNOSE_COMPLETE);
}

static void
test_host_fix(void **state)
{
	const char	   *patterns[] = { "mx1.example.com", "*.example.com" };
	int		    used[] = { 1, 0 };
	struct mx_diagnosis d;
	char		   *fix, *t;

	(void)state;
	mx_diagnose_host(&d, "mx9.example.com", patterns, used, 1,
	    "example.com");
	fix = mx_diagnose_fix_host(&d, "mx9.example.com", 0, 0, "example.com");
	assert_contains(fix, "Add \"mx: mx9.example.com\"");
	assert_contains(fix,
	    "\"mx: *.example.com\", which also trusts every host one label "
	    "below example.com that can get a publicly trusted certificate");
	assert_contains(fix, "publish a new id at _mta-sts.example.com");
	free(fix);

	/* Wildcard depth: the wildcard that would match, or the host. */
	mx_diagnose_host(&d, "a.b.example.com", patterns + 1, used + 1, 1,
	    "example.com");
	assert_int_equal(d.cls, MX_DIAGNOSE_WILDCARD_DEPTH);
	t = mx_diagnose_text(&d);
	assert_contains(t, "covers exactly one label below example.com");
	fix = mx_diagnose_fix_host(&d, "a.b.example.com", 0, 0, NULL);
	assert_contains(fix, "\"mx: a.b.example.com\"");
	assert_contains(fix, "\"mx: *.b.example.com\"");
	free(fix);
	free(t);

	/* The implicit MX gets no wildcard (MX-5), an address no pattern. */
	mx_diagnose_host(&d, "example.com", patterns, used, 2, NULL);
	fix = mx_diagnose_fix_host(&d, "example.com", 0, 1, NULL);
	assert_contains(fix, "Add \"mx: example.com\"");
	assert_lacks(fix, "*.");
	free(fix);
	fix = mx_diagnose_fix_host(&d, "192.0.2.1", 1, 0, NULL);
	assert_contains(fix, "host name");
	free(fix);
}

/* What mx_lookup_cover and mx_lookup_stale put into the findings. */
static void
test_cover_and_stale(void **state)
{
	const char *patterns[] = { "mail.exmaple.com", "mta-sts.example.com",
		"old.example.com" };
	struct finding_list  *fl = finding_list_new();
	struct mx_set	      set;
	struct mx_host	      host[2];
	struct history_result h;
	struct history_mx     prev[1];
	const struct finding *f;
	size_t		      i;
	int		      nunused = 0, nuncovered = 0;

	(void)state;
	memset(&set, 0, sizeof(set));
	memset(host, 0, sizeof(host));
	host[0].name = xstrdup("mail.example.com");
	host[0].pref = 10;
	host[1].name = xstrdup("mx2.example.com");
	host[1].pref = 20;
	set.status = DNS_OK;
	set.host = host;
	set.nhost = 2;
	mx_lookup_cover(&set, patterns, 3, 1, "example.com", fl);
	for (i = 0; i < finding_list_count(fl); i++) {
		f = finding_list_get(fl, i);
		if (f->code == FINDING_MX_UNCOVERED) {
			nuncovered++;
			assert_non_null(f->fix);
			assert_lacks(f->fix, "DOMAIN");
		} else if (f->code == FINDING_MX_PATTERN_UNUSED) {
			nunused++;
			assert_non_null(f->fix);
			if (strcmp(f->subject, "mail.exmaple.com") == 0)
				assert_contains(f->message, "typo");
			if (strcmp(f->subject, "mta-sts.example.com") == 0)
				assert_contains(f->message,
				    "mta-sts.example.com is the policy host, "
				    "not a mail server");
			if (strcmp(f->subject, "old.example.com") == 0)
				assert_lacks(f->message, "stale");
		}
	}
	assert_int_equal(nuncovered, 2);
	assert_int_equal(nunused, 3);

	/* The history knows old.example.com: that pattern is stale. */
	memset(&h, 0, sizeof(h));
	prev[0].name = "old.example.com";
	prev[0].last_seen = OCT_1_2026;
	h.prev_mx = prev;
	h.nprev_mx = 1;
	mx_lookup_stale(&set, &h, "example.com", fl);
	for (i = 0; i < finding_list_count(fl); i++) {
		f = finding_list_get(fl, i);
		if (f->code != FINDING_MX_PATTERN_UNUSED)
			continue;
		if (strcmp(f->subject, "old.example.com") == 0) {
			assert_contains(f->message,
			    "this pattern matched MX old.example.com, last "
			    "seen on 2026-10-01 (local history)");
			assert_contains(f->fix,
			    "Remove \"mx: old.example.com\"");
		} else
			assert_lacks(f->message, "stale");
	}
	for (i = 0; i < 2; i++) {
		free(host[i].name);
		free(host[i].why);
	}
	finding_list_free(fl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_registered),
		cmocka_unit_test(test_typo),
		cmocka_unit_test(test_policy_host),
		cmocka_unit_test(test_third_label),
		cmocka_unit_test(test_tld),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_stale),
		cmocka_unit_test(test_host_fix),
		cmocka_unit_test(test_cover_and_stale),
	};

	return cmocka_run_group_tests_name("mx_diagnose", tests, NULL, NULL);
}
