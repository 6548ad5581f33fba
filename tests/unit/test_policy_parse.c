/*
 * Unit tests for engine/policy_parse (POL-1 to POL-17, section 11 items 9
 * to 15).  Table-driven: each case is a body and the exact multiset of
 * "code@line" findings it must produce.
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

#include "findings_check.h"

#include "scratch.h"

#include "finding.h"
#include "policy_parse.h"
#include "utf8.h"
#include "xmalloc.h"

struct pol_case {
	const char	*desc;
	const char	*body;
	size_t		 len;
	int		 valid;
	enum policy_mode mode;
	long long	 max_age;
	size_t		 nmx;
	const char	*codes; /* "code@line ...", any order */
	const char	*msg;	/* substring of a message, or NULL */
};
#define B(lit) lit, sizeof(lit) - 1

#define V   "version: STSv1\n"
#define ENF "mode: enforce\n"
#define TST "mode: testing\n"
#define MX  "mx: mail.example.com\n"
#define AGE "max_age: 604800\n"

static const struct pol_case cases[] = {
	/* Valid files that casual checkers flag (section 11 item 9). */
	{ "RFC example, LF",
	    B("version: STSv1\nmode: enforce\n"
	      "mx: mail.example.com\nmx: *.example.net\n"
	      "mx: backupmx.example.com\nmax_age: 604800\n"),
	    1, POLICY_MODE_ENFORCE, 604800, 3, "policy.mx_wildcard@4", NULL },
	{ "CRLF everywhere",
	    B("version: STSv1\r\nmode: enforce\r\n"
	      "mx: mail.example.com\r\nmax_age: 604800\r\n"),
	    1, POLICY_MODE_ENFORCE, 604800, 1, "", NULL },
	{ "mixed LF and CRLF",
	    B("version: STSv1\r\nmode: enforce\n"
	      "mx: mail.example.com\r\nmax_age: 604800\n"),
	    1, POLICY_MODE_ENFORCE, 604800, 1, "", NULL },
	{ "no final terminator", B(V ENF MX "max_age: 604800"), 1,
	    POLICY_MODE_ENFORCE, 604800, 1, "", NULL },
	{ "version not first", B(ENF MX AGE V), 1, POLICY_MODE_ENFORCE, 604800,
	    1, "", NULL },
	{ "no space after the colon",
	    B("version:STSv1\nmode:enforce\n"
	      "mx:mail.example.com\nmax_age:604800\n"),
	    1, POLICY_MODE_ENFORCE, 604800, 1, "", NULL },
	{ "tabs and spaces after the colon",
	    B("version:\t STSv1\n"
	      "mode: \tenforce\nmx:\t\tmail.example.com\nmax_age:  604800\n"),
	    1, POLICY_MODE_ENFORCE, 604800, 1, "", NULL },
	{ "trailing whitespace after values",
	    B("version: STSv1 \n"
	      "mode: enforce\t\nmx: mail.example.com  \nmax_age: 604800 \t"),
	    1, POLICY_MODE_ENFORCE, 604800, 1, "", NULL },
	{ "upper-case mx pattern", B(V ENF "mx: MAIL.Example.COM\n" AGE), 1,
	    POLICY_MODE_ENFORCE, 604800, 1, "", NULL },
	{ "testing with mx", B(V TST MX AGE), 1, POLICY_MODE_TESTING, 604800, 1,
	    "policy.mode_testing@2", NULL },
	/* POL-8 / section 11 item 14. */
	{ "mode none without mx", B(V "mode: none\nmax_age: 86400\n"), 1,
	    POLICY_MODE_NONE, 86400, 0, "policy.mode_none@2", NULL },
	{ "mode none, short max_age is fine",
	    B(V "mode: none\n"
		"max_age: 3600\n"),
	    1, POLICY_MODE_NONE, 3600, 0, "policy.mode_none@2", NULL },
	{ "testing without mx", B(V TST AGE), 0, POLICY_MODE_TESTING, 604800, 0,
	    "policy.mode_testing@2 policy.mx_missing@0", "there is none" },
	{ "enforce without mx", B(V ENF AGE), 0, POLICY_MODE_ENFORCE, 604800, 0,
	    "policy.mx_missing@0", NULL },
	{ "missing version", B(ENF MX AGE), 0, POLICY_MODE_ENFORCE, 604800, 1,
	    "policy.version@0", "no version line" },
	{ "missing mode", B(V MX AGE), 0, POLICY_MODE_MISSING, 604800, 1,
	    "policy.mode@0", NULL },
	{ "missing max_age", B(V ENF MX), 0, POLICY_MODE_ENFORCE, -1, 1,
	    "policy.max_age@0", NULL },
	{ "empty body", B(""), 0, POLICY_MODE_MISSING, -1, 0,
	    "policy.syntax@0 policy.version@0 policy.mode@0 policy.max_age@0",
	    "empty" },

	/* Invalid files casual checkers accept (section 11 item 10). */
	{ "indented line", B(V " mode: enforce\n" MX AGE), 0,
	    POLICY_MODE_MISSING, 604800, 1, "policy.syntax@2 policy.mode@0",
	    "column 1" },
	{ "tab-indented line", B(V ENF "\tmx: mail.example.com\n" AGE), 0,
	    POLICY_MODE_ENFORCE, 604800, 0,
	    "policy.syntax@3 policy.mx_missing@0", NULL },
	{ "space before the colon", B(V "mode : enforce\n" MX AGE), 0,
	    POLICY_MODE_MISSING, 604800, 1, "policy.syntax@2 policy.mode@0",
	    "'mode:'" },
	{ "blank line in the middle", B(V ENF "\n" MX AGE), 1,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.blank_line@3", NULL },
	{ "whitespace-only line", B(V ENF " \t\n" MX AGE), 1,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.blank_line@3",
	    "whitespace-only" },
	{ "two newlines at the end", B(V ENF MX AGE "\n"), 1,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.blank_line@5", NULL },
	{ "CRLF blank line at the end", B(V ENF MX AGE "\r\n"), 1,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.blank_line@5", NULL },
	{ "UTF-8 BOM", B("\xef\xbb\xbf" V ENF MX AGE), 0, POLICY_MODE_ENFORCE,
	    604800, 1, "policy.bom@1", "strip" },
	{ "Mode: Enforce", B(V "Mode: Enforce\n" MX AGE), 0,
	    POLICY_MODE_MISSING, 604800, 1, "policy.mode@2",
	    "'Mode' is not the field name 'mode' (names are case-sensitive); "
	    "the policy has no valid mode" },
	{ "mode: Enforce", B(V "mode: Enforce\n" MX AGE), 0,
	    POLICY_MODE_MISSING, 604800, 1, "policy.mode@2",
	    "mode 'Enforce' is not a mode (case-sensitive: testing, enforce or "
	    "none); the policy has no valid mode" },
	{ "mode: ENFORCE", B(V "mode: ENFORCE\n" MX AGE), 0,
	    POLICY_MODE_MISSING, 604800, 1, "policy.mode@2", NULL },
	{ "mode: strict", B(V "mode: strict\n" MX AGE), 0, POLICY_MODE_MISSING,
	    604800, 1, "policy.mode@2", "not testing, enforce or none" },
	{ "VERSION: STSv1", B("VERSION: STSv1\n" ENF MX AGE), 0,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.version@1", NULL },
	{ "version: STSv2", B("version: STSv2\n" ENF MX AGE), 0,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.version@1",
	    "version 'STSv2' is not STSv1" },
	{ "version: stsv1", B("version: stsv1\n" ENF MX AGE), 0,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.version@1", NULL },
	{ "no colon", B(V ENF "mx mail.example.com\n" AGE), 0,
	    POLICY_MODE_ENFORCE, 604800, 0,
	    "policy.syntax@3 policy.mx_missing@0", "no ':'" },
	{ "comment line", B("# MTA-STS policy\n" V ENF MX AGE), 0,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.syntax@1", NULL },
	{ "space inside a field name", B(V ENF MX "max age: 604800\n"), 0,
	    POLICY_MODE_ENFORCE, -1, 1, "policy.syntax@4 policy.max_age@0",
	    NULL },
	{ "field name starting with _", B(V ENF MX AGE "_x: 1\n"), 0,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.syntax@5", NULL },
	{ "field without value", B(V ENF MX AGE "foo:\n"), 0,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.syntax@5", "no value" },
	{ "mode without value", B(V "mode:\n" MX AGE), 0, POLICY_MODE_MISSING,
	    604800, 1, "policy.mode@2 policy.mode@0", NULL },
	{ "mx without value", B(V ENF "mx: \n" MX AGE), 0, POLICY_MODE_ENFORCE,
	    604800, 1, "policy.mx_invalid@3", NULL },
	{ "max-age instead of max_age", B(V ENF MX "max-age: 604800\n"), 0,
	    POLICY_MODE_ENFORCE, -1, 1, "policy.max_age@4",
	    "'max-age' is not the field name 'max_age'" },

	/* POL-9 / section 11 items 11 and 12. */
	{ "two mx on one line, comma",
	    B(V ENF "mx: a.example.com, b.example.com\n" AGE), 0,
	    POLICY_MODE_ENFORCE, 604800, 0,
	    "policy.mx_invalid@3 policy.mx_missing@0", "own mx: line" },
	{ "two mx on one line, space",
	    B(V ENF "mx: a.example.com b.example.com\n" AGE), 0,
	    POLICY_MODE_ENFORCE, 604800, 0,
	    "policy.mx_invalid@3 policy.mx_missing@0",
	    "all 1 mx lines are invalid" },
	{ "one bad mx among good ones",
	    B(V ENF MX "mx: mail_2.example.com\nmx: mx3.example.com\n" AGE), 1,
	    POLICY_MODE_ENFORCE, 604800, 2, "policy.mx_invalid@4",
	    "underscore" },
	{ "duplicate mode: testing wins", B(V TST ENF MX AGE), 1,
	    POLICY_MODE_TESTING, 604800, 1,
	    "policy.mode_testing@2 policy.duplicate_field@3",
	    "mode appears again ('enforce'); only the first, 'testing' on "
	    "line 2, counts" },
	{ "duplicate version", B(V V ENF MX AGE), 1, POLICY_MODE_ENFORCE,
	    604800, 1, "policy.duplicate_field@2", NULL },
	{ "duplicate max_age", B(V ENF MX AGE "max_age: 60\n"), 1,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.duplicate_field@5", NULL },
	{ "malformed mode then a good one", B(V "mode: Enforce\n" TST MX AGE),
	    1, POLICY_MODE_TESTING, 604800, 1,
	    "policy.mode@2 policy.mode_testing@3",
	    "senders ignore this line and use 'testing' from line 3" },
	{ "good mode then a malformed one", B(V ENF "mode: Testing\n" MX AGE),
	    1, POLICY_MODE_ENFORCE, 604800, 1, "policy.duplicate_field@3",
	    "not valid anyway" },
	{ "same mx twice is allowed", B(V ENF MX MX AGE), 1,
	    POLICY_MODE_ENFORCE, 604800, 2, "", NULL },

	/* POL-14 / section 11 item 13. */
	{ "max_age at the maximum", B(V ENF MX "max_age: 31557600\n"), 1,
	    POLICY_MODE_ENFORCE, 31557600, 1, "", NULL },
	{ "max_age over the maximum", B(V ENF MX "max_age: 31557601\n"), 0,
	    POLICY_MODE_ENFORCE, 31557601, 1, "policy.max_age_range@4",
	    "clamp or reject" },
	{ "max_age of 10 digits", B(V ENF MX "max_age: 9999999999\n"), 0,
	    POLICY_MODE_ENFORCE, 9999999999LL, 1, "policy.max_age_range@4",
	    NULL },
	{ "max_age of 11 digits", B(V ENF MX "max_age: 12345678901\n"), 0,
	    POLICY_MODE_ENFORCE, -1, 1, "policy.max_age@4", "11 digits" },
	{ "max_age 0", B(V ENF MX "max_age: 0\n"), 1, POLICY_MODE_ENFORCE, 0, 1,
	    "policy.max_age_zero@4", NULL },
	{ "max_age under a day", B(V ENF MX "max_age: 3600\n"), 1,
	    POLICY_MODE_ENFORCE, 3600, 1, "policy.max_age_short@4", NULL },
	{ "max_age a day", B(V TST MX "max_age: 86400\n"), 1,
	    POLICY_MODE_TESTING, 86400, 1,
	    "policy.mode_testing@2 policy.max_age_under_week@4", NULL },
	{ "max_age with leading zeros", B(V ENF MX "max_age: 0604800\n"), 1,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.max_age_leading_zero@4",
	    NULL },
	{ "max_age negative", B(V ENF MX "max_age: -1\n"), 0,
	    POLICY_MODE_ENFORCE, -1, 1, "policy.max_age@4", NULL },
	{ "max_age 1e6", B(V ENF MX "max_age: 1e6\n"), 0, POLICY_MODE_ENFORCE,
	    -1, 1, "policy.max_age@4", "not a number" },
	{ "max_age with a unit", B(V ENF MX "max_age: 7d\n"), 0,
	    POLICY_MODE_ENFORCE, -1, 1, "policy.max_age@4", NULL },

	/* POL-15 / section 11 item 15. */
	{ "mx with a trailing dot", B(V ENF "mx: mail.example.com.\n" AGE), 0,
	    POLICY_MODE_ENFORCE, 604800, 0,
	    "policy.mx_invalid@3 policy.mx_missing@0", "dot" },
	{ "mx wildcard", B(V ENF "mx: *.example.com\n" AGE), 1,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.mx_wildcard@3",
	    "one label below example.com" },
	{ "mx double wildcard", B(V ENF MX "mx: *.*.example.com\n" AGE), 1,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.mx_invalid@4", NULL },
	{ "mx partial wildcard", B(V ENF MX "mx: mx*.example.com\n" AGE), 1,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.mx_invalid@4", NULL },
	{ "mx IP literal", B(V ENF MX "mx: 192.0.2.25\n" AGE), 1,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.mx_invalid@4", NULL },
	{ "mx with a port", B(V ENF MX "mx: mail.example.com:25\n" AGE), 1,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.mx_invalid@4", NULL },
	{ "mx U-label",
	    B(V ENF MX "mx: mail.b\xc3\xbc"
		       "cher.example\n" AGE),
	    1, POLICY_MODE_ENFORCE, 604800, 1, "policy.mx_invalid@4",
	    "xn--bcher-kva" },
	{ "MX in capitals", B(V ENF MX "MX: b.example.com\n" AGE), 1,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.mx_invalid@4",
	    "case-sensitive" },
	{ "mx with a comment", B(V ENF "mx: mail.example.com # primary\n" AGE),
	    0, POLICY_MODE_ENFORCE, 604800, 0,
	    "policy.mx_invalid@3 policy.mx_missing@0", "comment" },
	{ "mx over 63 octets per label",
	    B(V ENF MX
		"mx: "
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		".example.com\n" AGE),
	    1, POLICY_MODE_ENFORCE, 604800, 2, "policy.mx_invalid@4", "63" },

	/* POL-10 and POL-16: extensions and bytes. */
	{ "unknown field", B(V ENF MX AGE "foo: bar baz\n"), 1,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.unknown_field@5", NULL },
	{ "unknown field repeated", B(V ENF MX AGE "foo: 1\nfoo: 2\n"), 1,
	    POLICY_MODE_ENFORCE, 604800, 1,
	    "policy.unknown_field@5 policy.duplicate_field@6",
	    "only the first, '1' on line 5, counts" },
	{ "UTF-8 in an extension value", B(V ENF MX AGE "note: caf\xc3\xa9\n"),
	    1, POLICY_MODE_ENFORCE, 604800, 1, "policy.unknown_field@5", NULL },
	{ "invalid UTF-8 in an extension value",
	    B(V ENF MX AGE "note: caf\xe9\n"), 0, POLICY_MODE_ENFORCE, 604800,
	    1, "policy.syntax@5", "UTF-8" },
	{ "overlong UTF-8", B(V ENF MX AGE "note: \xc0\xaf\n"), 0,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.syntax@5", NULL },
	{ "tab inside a value", B(V ENF MX AGE "note: a\tb\n"), 0,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.syntax@5", "0x09" },
	{ "NUL inside a value", B(V ENF "mx: mail\0.example.com\n" AGE), 0,
	    POLICY_MODE_ENFORCE, 604800, 0,
	    "policy.syntax@3 policy.mx_missing@0", "0x00" },
	{ "NUL as a line", B(V ENF MX AGE "\0\n"), 0, POLICY_MODE_ENFORCE,
	    604800, 1, "policy.syntax@5", NULL },
	{ "escape sequence", B(V ENF MX AGE "x: \x1b[2J\x1b[H\n"), 0,
	    POLICY_MODE_ENFORCE, 604800, 1, "policy.syntax@5", "0x1b" },
	{ "DEL byte", B(V ENF MX AGE "x: a\x7f\n"), 0, POLICY_MODE_ENFORCE,
	    604800, 1, "policy.syntax@5", "0x7f" },
	{ "non-ASCII field name",
	    B(V ENF MX AGE "m\xc3\xb6"
			   "de: x\n"),
	    0, POLICY_MODE_ENFORCE, 604800, 1, "policy.syntax@5", NULL },
	{ "0xff in the mode", B(V "mode: enforce\xff\n" MX AGE), 0,
	    POLICY_MODE_MISSING, 604800, 1, "policy.syntax@2 policy.mode@0",
	    NULL },
	/* POL-2: a bare CR is no terminator; the next line is lost too. */
	{ "bare CR", B(V "mode: enforce\rmx: mail.example.com\n" AGE), 0,
	    POLICY_MODE_MISSING, 604800, 0, "policy.syntax@2 policy.mode@0",
	    "bare CR" },
	{ "bare CR only file",
	    B("version: STSv1\rmode: none\r"
	      "max_age: 86400\r"),
	    0, POLICY_MODE_MISSING, -1, 0,
	    "policy.syntax@1 policy.version@0 policy.mode@0 policy.max_age@0",
	    "one broken line" },
	{ "CR CR LF", B(V ENF MX "max_age: 604800\r\r\n"), 0,
	    POLICY_MODE_ENFORCE, -1, 1, "policy.syntax@4 policy.max_age@0",
	    NULL },
};

/* Sorted "code@line" tokens of a list; caller frees. */
static char *
tokens_of(const struct finding_list *fl)
{
	char  *v[512], *t, *out;
	size_t n, i, j, len = 1;

	n = finding_list_count(fl);
	if (n > 512)
		n = 512;
	for (i = 0; i < n; i++)
		v[i] = xasprintf("%s@%u",
		    finding_code_name(finding_list_get(fl, i)->code),
		    finding_list_get(fl, i)->line);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	for (i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	out = xcalloc(1, len);
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(out, " ", len - strlen(out) - 1);
		strncat(out, v[i], len - strlen(out) - 1);
		free(v[i]);
	}
	return out;
}

static char *
tokens_sorted(const char *spec)
{
	struct finding_list *fl;
	char		    *copy, *p, *tok, *at, *out;
	int		     c;

	fl = finding_list_new();
	copy = xstrdup(spec);
	for (p = copy; (tok = strsep(&p, " ")) != NULL;) {
		if (*tok == '\0')
			continue;
		if ((at = strchr(tok, '@')) == NULL)
			fail_msg("token '%s' lacks @line", tok);
		*at++ = '\0';
		c = finding_code_lookup(tok);
		if (c < 0)
			fail_msg("unknown code '%s' in a test table", tok);
		finding_add(fl, (enum finding_code)c, NULL,
		    (unsigned)strtoul(at, NULL, 10), NULL);
	}
	out = tokens_of(fl);
	free(copy);
	finding_list_free(fl);
	return out;
}

static void
assert_sane(const struct policy *p, const struct finding_list *fl)
{
	const unsigned char *m;
	size_t		     i;

	for (i = 0; i < finding_list_count(fl); i++)
		for (m = (const unsigned char *)finding_list_get(fl, i)
			     ->message;
		     *m != '\0'; m++)
			assert_true(*m >= 0x20 && *m < 0x7f);
	for (i = 0; i < p->nlines; i++) {
		assert_int_equal(p->lines[i].lineno, i + 1);
		assert_true(p->lines[i].raw >= p->body);
		assert_true(
		    p->lines[i].raw + p->lines[i].len <= p->body + p->bodylen);
	}
	for (i = 0; i < p->nmx; i++)
		assert_true(
		    p->mx[i].lineno >= 1 && p->mx[i].lineno <= p->nlines);
}

static void
test_case(void **state)
{
	const struct pol_case *c = *state;
	struct finding_list   *fl;
	struct policy	      *p;
	char		      *got, *want;

	fl = finding_list_new();
	p = policy_parse(c->body, c->len,
	    "https://mta-sts.example.com/"
	    ".well-known/mta-sts.txt",
	    fl);
	got = tokens_of(fl);
	want = tokens_sorted(c->codes);
	if (strcmp(got, want) != 0 || p->valid != c->valid ||
	    p->mode != c->mode || p->max_age != c->max_age ||
	    p->nmx != c->nmx) {
		print_message(
		    "case '%s': got [%s] valid=%d mode=%d age=%lld "
		    "nmx=%zu; want [%s] valid=%d mode=%d age=%lld nmx=%zu\n",
		    c->desc, got, p->valid, p->mode, (long long)p->max_age,
		    p->nmx, want, c->valid, c->mode, c->max_age, c->nmx);
		dump(fl);
	}
	assert_string_equal(got, want);
	assert_int_equal(p->valid, c->valid);
	assert_int_equal(p->mode, c->mode);
	assert_int_equal(p->max_age, c->max_age);
	assert_int_equal(p->nmx, c->nmx);
	assert_int_equal(p->version_ok,
	    strstr(c->codes, "policy.version") == NULL);
	if (c->msg != NULL) {
		if (!has_message(fl, c->msg)) {
			print_message("case '%s': no message has '%s'\n",
			    c->desc, c->msg);
			dump(fl);
		}
		assert_true(has_message(fl, c->msg));
	}
	assert_sane(p, fl);
	free(got);
	free(want);
	policy_free(p);
	finding_list_free(fl);
}

/* The per-line view the TUI shows: terminators and raw bytes. */
static void
test_lines(void **state)
{
	static const char    body[] = "version: STSv1\r\nmode: none\n"
				      "x: 1\ry\nmax_age: 1";
	struct finding_list *fl;
	struct policy	    *p;

	(void)state;
	fl = finding_list_new();
	p = policy_parse(body, sizeof(body) - 1, "x", fl);
	assert_int_equal(p->nlines, 5);
	assert_int_equal(p->lines[0].eol, POLICY_EOL_CRLF);
	assert_int_equal(p->lines[0].len, 14);
	assert_memory_equal(p->lines[0].raw, "version: STSv1", 14);
	assert_true(p->lines[0].used);
	assert_int_equal(p->lines[1].eol, POLICY_EOL_LF);
	assert_int_equal(p->lines[2].eol, POLICY_EOL_CR);
	assert_false(p->lines[2].used);
	assert_int_equal(p->lines[3].eol, POLICY_EOL_LF);
	assert_int_equal(p->lines[3].len, 1);
	assert_false(p->lines[3].used);
	assert_int_equal(p->lines[4].eol, POLICY_EOL_NONE);
	assert_int_equal(p->max_age, 1);
	assert_string_equal(policy_mode_name(p->mode), "none");
	assert_string_equal(policy_mode_name(POLICY_MODE_MISSING), "missing");
	policy_free(p);
	finding_list_free(fl);
}

/* Bounds: huge bodies, many lines, many mx lines. */
static void
test_bounds(void **state)
{
	struct finding_list *fl;
	struct policy	    *p;
	char		    *b;
	size_t		     cap = 3 * 1024 * 1024, len, i;

	(void)state;
	b = xmalloc(cap);

	/* 3 MiB without a newline: one line, analysed up to 1 MiB. */
	memset(b, 'a', cap);
	fl = finding_list_new();
	p = policy_parse(b, cap, "x", fl);
	assert_true(p->truncated);
	assert_false(p->valid);
	assert_int_equal(p->bodylen, POLICY_MAX_BYTES);
	assert_int_equal(p->nlines, 1);
	assert_true(finding_list_find(fl, FINDING_POLICY_TRUNCATED, 0) >= 0);
	policy_free(p);
	finding_list_free(fl);

	/* 100000 newlines: POLICY_MAX_LINES lines kept. */
	memset(b, '\n', 100000);
	fl = finding_list_new();
	p = policy_parse(b, 100000, "x", fl);
	assert_true(p->truncated);
	assert_int_equal(p->nlines, POLICY_MAX_LINES);
	policy_free(p);
	finding_list_free(fl);

	/* 1000 mx lines: POLICY_MAX_MX kept, one truncation finding. */
	len = (size_t)snprintf(b, cap,
	    "version: STSv1\nmode: enforce\n"
	    "max_age: 604800\n");
	for (i = 0; i < 1000; i++)
		len += (size_t)snprintf(b + len, cap - len,
		    "mx: mx%zu.example.com\n", i);
	fl = finding_list_new();
	p = policy_parse(b, len, "x", fl);
	assert_true(p->valid);
	assert_true(p->truncated);
	assert_int_equal(p->nmx, POLICY_MAX_MX);
	assert_int_equal(finding_list_count(fl), 1);
	assert_int_equal(finding_list_get(fl, 0)->code,
	    FINDING_POLICY_TRUNCATED);
	policy_free(p);
	finding_list_free(fl);

	/* Every byte value, shuffled into lines: no crash, sane output. */
	for (i = 0; i < 65536; i++)
		b[i] = (char)((i * 7919) & 0xff);
	fl = finding_list_new();
	p = policy_parse(b, 65536, "x", fl);
	assert_false(p->valid);
	assert_sane(p, fl);
	policy_free(p);
	finding_list_free(fl);
	free(b);
}

/*
 * Corpus: policies/ from co-cddo/mta-sts-template, jpawlowski's template
 * and ukncsc's PolicyExample.resx.  Expectations follow our rules; the
 * files carry no verdicts of their own, except the resx whose name says
 * "ValidPolicy" (we agree it is valid).
 */
struct corpus_case {
	const char	*file;
	int		 valid;
	enum policy_mode mode;
	size_t		 nmx;
	const char	*codes;
};

static const struct corpus_case corpus[] = {
	/* CRLF, no final newline, "mx: ." (POL-15: the root is no host). */
	{ "cddo-template__mta-sts.txt", 0, POLICY_MODE_TESTING, 0,
	    "policy.mode_testing@2 policy.max_age_under_week@3 "
	    "policy.mx_invalid@4 policy.mx_missing@0" },
	{ "cddo-template-3eecd4b3__mta-sts.txt", 0, POLICY_MODE_TESTING, 0,
	    "policy.mode_testing@2 policy.mx_invalid@3 policy.mx_missing@0" },
	{ "cddo-template-38217566__mta-sts.txt", 1, POLICY_MODE_TESTING, 5,
	    "policy.mode_testing@2" },
	/* Unfilled placeholders: nothing is a valid field (POL-11). */
	{ "cddo-template-ed625252__mta-sts.txt", 0, POLICY_MODE_MISSING, 0,
	    "policy.mode@2 policy.mx_invalid@3 policy.max_age@4" },
	/* "#" comments do not exist in RFC 8461 (POL-1); indented lines
	 * are invalid (POL-3). */
	{ "pawlowski-template__mta-sts.txt", 0, POLICY_MODE_MISSING, 0,
	    "policy.mode@2 policy.mx_invalid@3 policy.mx_invalid@4 "
	    "policy.syntax@5 policy.max_age@6 policy.syntax@7" },
	/* Trailing dots and underscores in mx (POL-15). */
	{ "pawlowski-template-f1b7a9de__mta-sts.txt", 0, POLICY_MODE_MISSING, 0,
	    "policy.mode@2 policy.mx_invalid@3 policy.mx_invalid@4" },
};

static const char *
corpus_dir(void)
{
	const char *d = getenv("MTASTS_CORPUS");

	return d != NULL && *d != '\0' ? d : "../shared/corpus";
}

static void
test_corpus(void **state)
{
	struct finding_list *fl;
	struct policy	    *p;
	char		     path[1024], *b, *got, *want;
	size_t		     i, len = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/policies", corpus_dir());
	for (i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++) {
		snprintf(path, sizeof(path), "%s/policies/%s", corpus_dir(),
		    corpus[i].file);
		if ((b = scratch_slurp(path, &len)) == NULL) {
			print_message("corpus not found at %s (set "
				      "MTASTS_CORPUS); skipping\n",
			    path);
			skip();
		}
		fl = finding_list_new();
		p = policy_parse(b, len, corpus[i].file, fl);
		got = tokens_of(fl);
		want = tokens_sorted(corpus[i].codes);
		if (strcmp(got, want) != 0) {
			print_message("%s: got [%s]\n", corpus[i].file, got);
			dump(fl);
		}
		assert_string_equal(got, want);
		assert_int_equal(p->valid, corpus[i].valid);
		assert_int_equal(p->mode, corpus[i].mode);
		assert_int_equal(p->nmx, corpus[i].nmx);
		assert_sane(p, fl);
		free(got);
		free(want);
		policy_free(p);
		finding_list_free(fl);
		free(b);
	}
}

/* The ValidPolicy resource of ukncsc's PolicyExample.resx. */
static void
test_corpus_resx(void **state)
{
	struct finding_list *fl;
	struct policy	    *p;
	char		     path[1024], *b, *s, *e, *got;
	size_t		     len = 0;

	(void)state;
	snprintf(path, sizeof(path),
	    "%s/policies/ukncsc-mtasts__"
	    "PolicyExample.resx",
	    corpus_dir());
	if ((b = scratch_slurp(path, &len)) == NULL) {
		print_message("corpus not found at %s; skipping\n", path);
		skip();
	}
	b[len < (1 << 20) ? len : len - 1] = '\0';
	s = strstr(b, "name=\"ValidPolicy\"");
	assert_non_null(s);
	s = strstr(s, "<value>");
	assert_non_null(s);
	s += 7;
	e = strstr(s, "</value>");
	assert_non_null(e);
	fl = finding_list_new();
	p = policy_parse(s, (size_t)(e - s), "resx", fl);
	got = tokens_of(fl);
	assert_string_equal(got, "policy.max_age_under_week@4");
	assert_true(p->valid);
	assert_int_equal(p->mode, POLICY_MODE_ENFORCE);
	assert_int_equal(p->max_age, 86400);
	assert_int_equal(p->nmx, 1);
	assert_string_equal(p->mx[0].pattern,
	    "ncsc-gov-uk.mail.protection.outlook.com");
	assert_int_equal(p->mx[0].lineno, 3);
	free(got);
	policy_free(p);
	finding_list_free(fl);
	free(b);
}

int
main(void)
{
	struct CMUnitTest *t;
	size_t		   n = sizeof(cases) / sizeof(cases[0]), i;
	int		   rc;

	t = xcalloc(n + 4, sizeof(*t));
	for (i = 0; i < n; i++) {
		t[i].name = cases[i].desc;
		t[i].test_func = test_case;
		t[i].initial_state = (void *)(uintptr_t)&cases[i];
	}
	t[n].name = "line view";
	t[n].test_func = test_lines;
	t[n + 1].name = "bounds";
	t[n + 1].test_func = test_bounds;
	t[n + 2].name = "corpus: cddo and pawlowski templates";
	t[n + 2].test_func = test_corpus;
	t[n + 3].name = "corpus: ukncsc PolicyExample.resx";
	t[n + 3].test_func = test_corpus_resx;
	rc = _cmocka_run_group_tests("policy_parse", t, n + 4, NULL, NULL);
	free(t);
	return rc;
}
