/* Unit tests: domain name validation and IDN conversion. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain.h"

struct good_case {
	const char *input;
	const char *ascii;
	const char *unicode; /* NULL: not an IDN */
};

static const struct good_case good[] = {
	{ "example.com", "example.com", NULL },
	{ "Example.COM.", "example.com", NULL },
	{ "a-b.example", "a-b.example", NULL },
	{ "xn--bcher-kva.example", "xn--bcher-kva.example", "bücher.example" },
	{ "bücher.example", "xn--bcher-kva.example", "bücher.example" },
	{ "BÜCHER.example", "xn--bcher-kva.example", "bücher.example" },
	{ "例え.テスト", "xn--r8jz45g.xn--zckzah", "例え.テスト" },
	{ "localhost", "localhost", NULL },
	{ "1a.example", "1a.example", NULL },
};

/* Each bad input and a word its error message must contain. */
struct bad_case {
	const char *input;
	const char *why;
};

static const struct bad_case bad[] = {
	{ "", "empty" },
	{ ".", "empty" },
	{ "192.0.2.1", "address" },
	{ "[192.0.2.1]", "address" },
	{ "2001:db8::1", "address" },
	{ "[2001:db8::1]", "address" },
	{ "1.2.3", "address" },
	{ "example.123", "address" },
	{ "a..example", "empty label" },
	{ ".example", "empty label" },
	{ "-a.example", "hyphen" },
	{ "a-.example", "hyphen" },
	{ "a_b.example", "'_'" },
	{ "a b.example", "' '" },
	{ "a\x1b[2Jb.example", "0x1b" },
	{ "mail@example.com", "'@'" },
	{ "xn--zz.example", "A-label" },
	{ "\xff\xfe.example", "internationalised" },
};

static void
test_good(void **state)
{
	struct domain_name *dn;
	char		   *cause;
	size_t		    i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		dn = domain_name_parse(good[i].input, &cause);
		if (dn == NULL)
			fail_msg("%s: %s", good[i].input, cause);
		assert_string_equal(domain_name_ascii(dn), good[i].ascii);
		if (good[i].unicode == NULL)
			assert_null(domain_name_unicode(dn));
		else
			assert_string_equal(domain_name_unicode(dn),
			    good[i].unicode);
		domain_name_free(dn);
	}
}

static void
test_bad(void **state)
{
	struct domain_name *dn;
	char		   *cause;
	size_t		    i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dn = domain_name_parse(bad[i].input, &cause);
		if (dn != NULL)
			fail_msg("'%s' accepted", bad[i].input);
		assert_non_null(cause);
		if (strstr(cause, bad[i].why) == NULL)
			fail_msg("'%s': '%s' lacks '%s'", bad[i].input, cause,
			    bad[i].why);
		free(cause);
	}
}

static void
test_lengths(void **state)
{
	struct domain_name *dn;
	char		    name[300], *cause;

	(void)state;
	/* 63-octet label: fine; 64: refused. */
	memset(name, 'a', 63);
	strcpy(name + 63, ".example");
	dn = domain_name_parse(name, &cause);
	assert_non_null(dn);
	domain_name_free(dn);
	memset(name, 'a', 64);
	strcpy(name + 64, ".example");
	assert_null(domain_name_parse(name, &cause));
	assert_non_null(strstr(cause, "64 octets"));
	free(cause);

	/* 253 octets in all: fine; 254: refused. */
	memset(name, 'a', sizeof(name));
	for (size_t i = 63; i < 253; i += 64)
		name[i] = '.';
	name[253] = '\0';
	dn = domain_name_parse(name, &cause);
	if (dn == NULL)
		fail_msg("253: %s", cause);
	domain_name_free(dn);
	name[253] = 'a';
	name[254] = '\0';
	assert_null(domain_name_parse(name, &cause));
	assert_non_null(strstr(cause, "254 octets"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_lengths),
	};

	return cmocka_run_group_tests_name("domain", tests, NULL, NULL);
}
