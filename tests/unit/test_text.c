/* Unit tests: JSON escaping, UTF-8 checks and terminal sanitising. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jsonw.h"
#include "strbuf.h"
#include "utf8.h"

static char *
escape(const char *s, size_t len)
{
	struct strbuf sb;

	strbuf_init(&sb, 4096);
	jsonw_escape(&sb, s, len);
	return strbuf_detach(&sb, NULL);
}

static void
test_json_escape(void **state)
{
	static const struct {
		const char *in;
		size_t	    len;
		const char *out;
	} cases[] = {
		{ "plain", 5, "plain" },
		{ "a\"b\\c", 5, "a\\\"b\\\\c" },
		{ "\n\r\t\x01\x1b\x7f", 6, "\\n\\r\\t\\u0001\\u001b\\u007f" },
		{ "nul\0x", 5, "nul\\u0000x" },
		{ "\xc3\xa9", 2, "\xc3\xa9" }, /* é */
		{ "\xff", 1, "\\ufffd" },
		{ "\xc3", 1, "\\ufffd" },			/* truncated */
		{ "\xc0\xaf", 2, "\\ufffd\\ufffd" },		/* overlong */
		{ "\xed\xa0\x80", 3, "\\ufffd\\ufffd\\ufffd" }, /* surrogate */
		{ "\xf4\x90\x80\x80", 4,
		    "\\ufffd\\ufffd\\ufffd\\ufffd" },	       /* > U+10FFFF */
		{ "\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80" }, /* emoji */
		/* Hidden characters: C1, bidi, zero-width, separators, tags. */
		{ "\xc2\x9b", 2, "\\u009b" },
		{ "a\xe2\x80\xae"
		  "b",
		    5, "a\\u202eb" },
		{ "\xd8\x9c\xe2\x80\x8e\xe2\x80\x8f", 8,
		    "\\u061c\\u200e\\u200f" },
		{ "\xe2\x81\xa6\xe2\x81\xa9", 6, "\\u2066\\u2069" },
		{ "\xe2\x80\x8b\xef\xbb\xbf", 6, "\\u200b\\ufeff" },
		{ "\xe2\x80\xa8\xe2\x80\xa9", 6, "\\u2028\\u2029" },
		{ "\xf3\xa0\x80\x81", 4, "\\udb40\\udc01" }, /* U+E0001 */
		{ "\xc2\xa0\xe2\x80\x90", 5, "\xc2\xa0\xe2\x80\x90" },
	};
	size_t i;
	char  *s;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = escape(cases[i].in, cases[i].len);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
}

static void
test_json_document(void **state)
{
	struct jsonw *j;
	char	     *s;

	(void)state;
	j = jsonw_new(0);
	jsonw_object_begin(j, NULL);
	jsonw_string(j, "a", "x\"y");
	jsonw_array_begin(j, "b");
	jsonw_int(j, NULL, -1);
	jsonw_bool(j, NULL, 1);
	jsonw_null(j, NULL);
	jsonw_string(j, NULL, NULL);
	jsonw_array_end(j);
	jsonw_object_begin(j, "c");
	jsonw_object_end(j);
	jsonw_uint(j, "d", 18446744073709551615ULL);
	jsonw_double(j, "e", 0.5);
	jsonw_object_end(j);
	s = jsonw_finish(j, NULL);
	assert_string_equal(s,
	    "{\"a\":\"x\\\"y\",\"b\":[-1,true,null,null],"
	    "\"c\":{},\"d\":18446744073709551615,\"e\":0.5}");
	free(s);
	jsonw_free(j);
}

static void
test_sanitize(void **state)
{
	static const struct {
		const char *in;
		int	    ascii;
		const char *out;
	} cases[] = {
		{ "ok", 0, "ok" },
		{ "\x1b]0;pwned\x07", 0, "\\x1b]0;pwned\\x07" },
		{ "a\\b", 0, "a\\\\b" },
		{ "caf\xc3\xa9", 0, "caf\xc3\xa9" },
		{ "caf\xc3\xa9", 1, "caf\\xc3\\xa9" },
		{ "\xc2\x9b"
		  "2J",
		    0, "<U+009B>2J" },	       /* C1 CSI */
		{ "\xc2\x85", 0, "<U+0085>" }, /* C1 NEL */
		{ "\xc2\xa0", 0, "\xc2\xa0" }, /* NBSP is shown */
		{ "evil\xe2\x80\xaetxt.exe", 0, "evil<U+202E>txt.exe" },
		{ "\xe2\x80\xae", 1, "\\xe2\\x80\\xae" },
		{ "\xd8\x9c\xe2\x80\x8e\xe2\x80\x8f\xe2\x80\xaa", 0,
		    "<U+061C><U+200E><U+200F><U+202A>" },
		{ "\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", 0,
		    "<U+2066><U+2067><U+2068><U+2069>" },
		{ "a\xe2\x80\x8b\xe2\x80\x8c\xe2\x80\x8d\xef\xbb\xbfz", 0,
		    "a<U+200B><U+200C><U+200D><U+FEFF>z" },
		{ "\xe2\x80\xa8\xe2\x80\xa9", 0, "<U+2028><U+2029>" },
		{ "\xf3\xa0\x80\x81", 0, "<U+E0001>" }, /* language tag */
		{ "\xe2\x80\x90\xe2\x80\xaf", 0,
		    "\xe2\x80\x90\xe2\x80\xaf" }, /* hyphen, NNBSP */
		{ "\xff", 0, "\\xff" },
		{ "\r\n\t", 0, "\\x0d\\x0a\\x09" },
	};
	size_t i;
	char  *s;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = utf8_sanitize(cases[i].in, strlen(cases[i].in),
		    cases[i].ascii);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
	assert_true(utf8_is_valid("caf\xc3\xa9", 5));
	assert_false(utf8_is_valid("caf\xc3", 4));
}

static void
test_strbuf_limit(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb, 10);
	assert_int_equal(strbuf_add(&sb, "0123456789", 10), 0);
	assert_int_equal(strbuf_addc(&sb, 'x'), -1);
	assert_true(sb.toobig);
	assert_int_equal(sb.len, 10);
	assert_string_equal(sb.data, "0123456789");
	strbuf_free(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_json_document),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_strbuf_limit),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
