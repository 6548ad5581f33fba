/* Unit tests: the scan's input list (engine/domain_list.h). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain_list.h"

struct notes {
	unsigned long line[16];
	char	      msg[16][256];
	int	      n;
};

static void
note_cb(unsigned long line, const char *msg, void *arg)
{
	struct notes *ns = arg;

	if (ns->n < 16) {
		ns->line[ns->n] = line;
		snprintf(ns->msg[ns->n], sizeof(ns->msg[0]), "%s", msg);
	}
	ns->n++;
}

static struct domain_list *
parse(const char *text, size_t len, size_t chunk, struct notes *ns)
{
	struct domain_list *dl = domain_list_new(note_cb, ns);
	size_t		    i, n;

	memset(ns, 0, sizeof(*ns));
	for (i = 0; i < len; i += n) {
		n = len - i < chunk ? len - i : chunk;
		domain_list_feed(dl, text + i, n);
	}
	domain_list_end(dl);
	return dl;
}

static const char mixed[] = "# a comment\n"
			    "\n"
			    "  example.com  \n"
			    "Bücher.example # trailing comment\n"
			    "\t\n"
			    "EXAMPLE.com.\n"
			    "not a domain\n"
			    "xn--bcher-kva.example\n"
			    "last.example";

static void
test_mixed(void **state)
{
	struct domain_list_counts c;
	struct domain_list	 *dl;
	struct notes		  ns;
	size_t			  chunk;

	(void)state;
	/* Whole, byte by byte and in odd chunks: the same result. */
	for (chunk = 1; chunk <= sizeof(mixed); chunk += 7) {
		dl = parse(mixed, sizeof(mixed) - 1, chunk, &ns);
		assert_int_equal(domain_list_count(dl), 3);
		assert_string_equal(domain_list_ascii(dl, 0), "example.com");
		assert_null(domain_list_unicode(dl, 0));
		assert_int_equal(domain_list_line(dl, 0), 3);
		assert_string_equal(domain_list_ascii(dl, 1),
		    "xn--bcher-kva.example");
		assert_string_equal(domain_list_unicode(dl, 1),
		    "bücher.example");
		assert_int_equal(domain_list_line(dl, 1), 4);
		assert_string_equal(domain_list_ascii(dl, 2), "last.example");
		assert_int_equal(domain_list_line(dl, 2), 9);
		assert_int_equal(domain_list_find(dl, "last.example"), 2);
		assert_int_equal(domain_list_find(dl, "other.example"), -1);
		assert_int_equal(ns.n, 3);
		/* Line 6 repeats line 3, line 8 line 4 (as an A-label). */
		assert_int_equal(ns.line[0], 6);
		assert_non_null(strstr(ns.msg[0], "duplicate of line 3"));
		assert_int_equal(ns.line[1], 7);
		assert_non_null(strstr(ns.msg[1], "invalid"));
		assert_int_equal(ns.line[2], 8);
		assert_non_null(strstr(ns.msg[2], "duplicate of line 4"));
		domain_list_counts(dl, &c);
		assert_int_equal(c.lines, 9);
		assert_int_equal(c.domains, 3);
		assert_int_equal(c.invalid, 1);
		assert_int_equal(c.duplicates, 2);
		domain_list_free(dl);
	}
}

static void
test_hostile(void **state)
{
	struct domain_list *dl;
	struct notes	    ns;
	char		   *buf;
	size_t		    len = 0, i;

	(void)state;
	buf = malloc(8192);
	len += (size_t)sprintf(buf + len, "a.example\n");
	/* Line 2: longer than the cap, consumed without being kept. */
	for (i = 0; i < DOMAIN_LIST_MAX_LINE + 10; i++)
		buf[len++] = 'x';
	buf[len++] = '\n';
	/* Line 3: a NUL byte. */
	memcpy(buf + len, "b.exa\0mple\n", 11);
	len += 11;
	/* Line 4: invalid UTF-8. */
	len += (size_t)sprintf(buf + len, "c\xff\xfe.example\n");
	/* Line 5: exactly the cap is kept (and invalid as a name). */
	for (i = 0; i < DOMAIN_LIST_MAX_LINE; i++)
		buf[len++] = 'y';
	buf[len++] = '\n';
	len += (size_t)sprintf(buf + len, "d.example\n");
	dl = parse(buf, len, 100, &ns);
	assert_int_equal(domain_list_count(dl), 2);
	assert_string_equal(domain_list_ascii(dl, 1), "d.example");
	assert_int_equal(domain_list_line(dl, 1), 6);
	assert_int_equal(ns.n, 4);
	assert_int_equal(ns.line[0], 2);
	assert_non_null(strstr(ns.msg[0], "longer than"));
	assert_int_equal(ns.line[1], 3);
	assert_non_null(strstr(ns.msg[1], "NUL"));
	assert_int_equal(ns.line[2], 4);
	assert_non_null(strstr(ns.msg[2], "UTF-8"));
	assert_int_equal(ns.line[3], 5);
	assert_non_null(strstr(ns.msg[3], "invalid domain"));
	domain_list_free(dl);
	free(buf);
}

static void
test_empty(void **state)
{
	struct domain_list *dl;
	struct notes	    ns;

	(void)state;
	dl = parse("", 0, 1, &ns);
	assert_int_equal(domain_list_count(dl), 0);
	assert_int_equal(domain_list_find(dl, "a.example"), -1);
	assert_int_equal(ns.n, 0);
	domain_list_free(dl);
	/* CRLF line ends and a long run of blank lines. */
	dl = parse("a.example\r\n\r\n\r\nb.example\r\n", 25, 3, &ns);
	assert_int_equal(domain_list_count(dl), 2);
	assert_string_equal(domain_list_ascii(dl, 1), "b.example");
	assert_int_equal(domain_list_line(dl, 1), 4);
	domain_list_free(dl);
}

/* Many names: the table grows and finds every one. */
static void
test_many(void **state)
{
	struct domain_list *dl;
	char		    name[64];
	long		    i;

	(void)state;
	dl = domain_list_new(NULL, NULL);
	for (i = 0; i < 20000; i++) {
		snprintf(name, sizeof(name), "d%ld.example\n", i);
		domain_list_feed(dl, name, strlen(name));
	}
	domain_list_feed(dl, "d7.example\n", 11);
	domain_list_end(dl);
	assert_int_equal(domain_list_count(dl), 20000);
	for (i = 0; i < 20000; i += 997) {
		snprintf(name, sizeof(name), "d%ld.example", i);
		assert_int_equal(domain_list_find(dl, name), i);
	}
	domain_list_free(dl);
}

/* Found by the fuzzer: a cause quoting the line, an IDN that maps away. */
static void
test_fuzz_found(void **state)
{
	static const char   in[] = "[2001:d\x18\x1b]2J::1]\n2\xef\xbb\xbf\n";
	struct domain_list *dl;
	struct notes	    ns;
	const char	   *p;
	int		    i;

	(void)state;
	dl = parse(in, sizeof(in) - 1, 5, &ns);
	assert_int_equal(domain_list_count(dl), 0);
	assert_int_equal(ns.n, 2);
	for (i = 0; i < ns.n; i++)
		for (p = ns.msg[i]; *p != '\0'; p++)
			assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
	assert_int_equal(ns.line[1], 2);
	assert_non_null(strstr(ns.msg[1], "address"));
	domain_list_free(dl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_fuzz_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
