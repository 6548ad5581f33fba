/*
 * Unit tests for engine/smtp_reply: the strict SMTP reply parser (RFC 5321
 * section 4.2) and the EHLO keyword lookup (RFC 3207, TLS-1).
 * Table-driven.
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

#include "smtp_reply.h"
#include "utf8.h"
#include "xmalloc.h"

struct parse_case {
	const char *name;
	const char *in;
	size_t	    len;  /* 0: strlen(in) */
	int	    code; /* 0: expect an error */
	size_t	    nlines;
	const char *last; /* text of the last line, or NULL */
	size_t	    used; /* 0: all of the input */
	int	    bare_lf;
	const char *cause; /* substring of the error */
};

static const struct parse_case parses[] = {
	{ "single line", "220 mx.example.test ESMTP\r\n", 0, 220, 1,
	    "mx.example.test ESMTP", 0, 0, NULL },
	{ "code alone", "250\r\n", 0, 250, 1, "", 0, 0, NULL },
	{ "code and space", "250 \r\n", 0, 250, 1, "", 0, 0, NULL },
	{ "multi-line",
	    "250-mx.example.test\r\n250-PIPELINING\r\n"
	    "250-SIZE 10240000\r\n250 STARTTLS\r\n",
	    0, 250, 4, "STARTTLS", 0, 0, NULL },
	{ "empty continuation", "220-\r\n220-\r\n220 ok\r\n", 0, 220, 3, "ok",
	    0, 0, NULL },
	{ "stops after one reply", "220 a\r\n250 b\r\n", 0, 220, 1, "a", 7, 0,
	    NULL },
	{ "STARTTLS injection stays unread", "220 go ahead\r\nEHLO x\r\n", 0,
	    220, 1, "go ahead", 14, 0, NULL },
	{ "bare LF tolerated", "220-a\n220 b\n", 0, 220, 2, "b", 0, 1, NULL },
	{ "mixed CRLF and LF", "220-a\r\n220 b\n", 0, 220, 2, "b", 0, 1, NULL },
	{ "tab in text", "250 a\tb\r\n", 0, 250, 1, "a\tb", 0, 0, NULL },
	{ "UTF-8 text", "220 h\xc3\xa9llo\r\n", 0, 220, 1, "h\xc3\xa9llo", 0, 0,
	    NULL },
	{ "4xx", "454 4.7.0 TLS not available due to local problem\r\n", 0, 454,
	    1, "4.7.0 TLS not available due to local problem", 0, 0, NULL },
	{ "559 highest code", "559 x\r\n", 0, 559, 1, "x", 0, 0, NULL },
	{ "200 lowest code", "200 x\r\n", 0, 200, 1, "x", 0, 0, NULL },

	{ "first digit 1", "120 wait\r\n", 0, 0, 0, NULL, 0, 0,
	    "bad reply code" },
	{ "first digit 6", "620 x\r\n", 0, 0, 0, NULL, 0, 0, "bad reply code" },
	{ "second digit 6", "260 x\r\n", 0, 0, 0, NULL, 0, 0,
	    "bad reply code" },
	{ "letters", "ABC x\r\n", 0, 0, 0, NULL, 0, 0, "bad reply code" },
	{ "two digits", "22 x\r\n", 0, 0, 0, NULL, 0, 0, "bad reply code" },
	{ "short line", "22\r\n", 0, 0, 0, NULL, 0, 0, "shorter" },
	{ "empty line", "\r\n", 0, 0, 0, NULL, 0, 0, "shorter" },
	{ "four digits", "2200 x\r\n", 0, 0, 0, NULL, 0, 0,
	    "neither space nor hyphen" },
	{ "leading space", " 220 x\r\n", 0, 0, 0, NULL, 0, 0,
	    "bad reply code" },
	{ "mixed codes", "250-a\r\n251 b\r\n", 0, 0, 0, NULL, 0, 0,
	    "changes from 250 to 251" },
	{ "mixed first digit", "220-a\r\n550 b\r\n", 0, 0, 0, NULL, 0, 0,
	    "changes from 220 to 550" },
	{ "no EOL at all", "220 ok", 0, 0, 0, NULL, 0, 0, "incomplete" },
	{ "CR only", "220 ok\r", 0, 0, 0, NULL, 0, 0, "incomplete" },
	{ "CR inside line", "220 o\rk\r\n", 0, 0, 0, NULL, 0, 0, "CR inside" },
	{ "continuation never ends", "250-a\r\n250-b\r\n", 0, 0, 0, NULL, 0, 0,
	    "incomplete" },
	{ "empty input", "", 0, 0, 0, NULL, 0, 0, "no reply" },
	{ "NUL byte", "220 a\0b\r\n", 9, 0, 0, NULL, 6, 0, "NUL" },
	{ "NUL in code",
	    "2\0"
	    "0 x\r\n",
	    7, 0, 0, NULL, 2, 0, "NUL" },
	{ "ESC in text", "220 \x1b[2Jx\r\n", 0, 0, 0, NULL, 0, 0,
	    "control character 0x1b" },
	{ "DEL in text", "220 \x7f\r\n", 0, 0, 0, NULL, 0, 0,
	    "control character 0x7f" },
};

static void
test_parse(void **state)
{
	const struct parse_case *c = *state;
	struct smtp_reply	*r;
	size_t			 len, used = 0;
	char			*cause = NULL;

	len = c->len != 0 ? c->len : strlen(c->in);
	r = smtp_reply_parse(c->in, len, &used, &cause);
	if (c->code == 0) {
		if (r != NULL)
			print_message("parsed as %d\n", r->code);
		assert_null(r);
		assert_non_null(cause);
		if (strstr(cause, c->cause) == NULL)
			print_message("cause '%s'\n", cause);
		assert_non_null(strstr(cause, c->cause));
		if (c->used != 0)
			assert_int_equal(used, c->used);
		free(cause);
		return;
	}
	if (r == NULL)
		print_message("error '%s'\n", cause);
	assert_non_null(r);
	assert_null(cause);
	assert_int_equal(r->code, c->code);
	assert_int_equal(r->nlines, c->nlines);
	assert_string_equal(r->lines[r->nlines - 1], c->last);
	assert_int_equal(used, c->used != 0 ? c->used : len);
	assert_int_equal(r->size, used);
	assert_int_equal(r->bare_lf, c->bare_lf);
	smtp_reply_free(r);
}

/* Line length: 1000 octets with the CRLF pass, 1001 do not. */
static void
test_line_limit(void **state)
{
	struct smtp_reply *r;
	char		   buf[SMTP_REPLY_LINEMAX + 8], *cause;
	size_t		   used;

	(void)state;
	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "250 ", 4);
	memcpy(buf + SMTP_REPLY_LINEMAX - 2, "\r\n", 2);
	r = smtp_reply_parse(buf, SMTP_REPLY_LINEMAX, &used, &cause);
	assert_non_null(r);
	assert_int_equal(strlen(r->lines[0]), SMTP_REPLY_LINEMAX - 6);
	smtp_reply_free(r);

	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "250 ", 4);
	memcpy(buf + SMTP_REPLY_LINEMAX - 1, "\r\n", 2);
	r = smtp_reply_parse(buf, SMTP_REPLY_LINEMAX + 1, &used, &cause);
	assert_null(r);
	assert_non_null(strstr(cause, "longer than 1000"));
	assert_true(used <= SMTP_REPLY_LINEMAX);
	free(cause);

	/* Same with a bare LF: the limit counts the EOL either way. */
	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "250 ", 4);
	buf[SMTP_REPLY_LINEMAX - 1] = '\n';
	r = smtp_reply_parse(buf, SMTP_REPLY_LINEMAX, &used, &cause);
	assert_non_null(r);
	smtp_reply_free(r);
}

static char *
lines_of(int n, int code, size_t width)
{
	char *s, *p;
	int   i;

	s = xmalloc((size_t)n * (width + 2) + 1);
	for (i = 0, p = s; i < n; i++) {
		snprintf(p, 5, "%d%c", code, i == n - 1 ? ' ' : '-');
		memset(p + 4, 'a', width - 4);
		memcpy(p + width, "\r\n", 2);
		p += width + 2;
	}
	*p = '\0';
	return s;
}

static void
test_lines_limit(void **state)
{
	struct smtp_reply *r;
	char		  *s, *cause;
	size_t		   used;

	(void)state;
	s = lines_of(SMTP_REPLY_MAXLINES, 250, 10);
	r = smtp_reply_parse(s, strlen(s), &used, &cause);
	assert_non_null(r);
	assert_int_equal(r->nlines, SMTP_REPLY_MAXLINES);
	smtp_reply_free(r);
	free(s);

	s = lines_of(SMTP_REPLY_MAXLINES + 1, 250, 10);
	r = smtp_reply_parse(s, strlen(s), &used, &cause);
	assert_null(r);
	assert_non_null(strstr(cause, "more than 100 lines"));
	free(cause);
	free(s);
}

static void
test_size_limit(void **state)
{
	struct smtp_reply *r;
	char		  *s, *cause;
	size_t		   used;

	(void)state;
	/* 50 lines of 400 octets: each line fine, the reply too big. */
	s = lines_of(50, 250, 398);
	r = smtp_reply_parse(s, strlen(s), &used, &cause);
	assert_null(r);
	assert_non_null(strstr(cause, "longer than 16384 octets"));
	assert_int_equal(used, SMTP_REPLY_MAXSIZE + 1);
	free(cause);
	free(s);
}

/* Byte-at-a-time feeding gives the same replies, one after the other. */
static void
test_incremental(void **state)
{
	const char		 *in = "220-a\r\n220 b\r\n"
				       "250-x\r\n250 STARTTLS\r\n";
	struct smtp_reply_parser *p;
	struct smtp_reply	 *r;
	enum smtp_reply_status	  st;
	size_t			  i, used;
	int			  got = 0;

	(void)state;
	p = smtp_reply_parser_new();
	for (i = 0; in[i] != '\0'; i++) {
		st = smtp_reply_parser_feed(p, in + i, 1, &used);
		assert_int_equal(used, 1);
		if (st == SMTP_REPLY_MORE) {
			assert_true(smtp_reply_parser_pending(p) > 0);
			continue;
		}
		assert_int_equal(st, SMTP_REPLY_DONE);
		/* Until taken, more input is refused. */
		assert_int_equal(smtp_reply_parser_feed(p, "2", 1, &used),
		    SMTP_REPLY_DONE);
		assert_int_equal(used, 0);
		r = smtp_reply_parser_take(p);
		assert_non_null(r);
		assert_int_equal(r->code, got == 0 ? 220 : 250);
		assert_int_equal(r->nlines, 2);
		assert_int_equal(smtp_reply_parser_pending(p), 0);
		smtp_reply_free(r);
		got++;
	}
	assert_int_equal(got, 2);
	assert_null(smtp_reply_parser_take(p));

	/* After an error the parser stays stuck. */
	assert_int_equal(smtp_reply_parser_feed(p, "999 x\r\n", 7, &used),
	    SMTP_REPLY_ERROR);
	assert_non_null(strstr(smtp_reply_parser_error(p), "bad reply"));
	assert_int_equal(smtp_reply_parser_feed(p, "250 x\r\n", 7, &used),
	    SMTP_REPLY_ERROR);
	assert_int_equal(used, 0);
	smtp_reply_parser_free(p);
}

struct ehlo_case {
	const char *reply;
	const char *keyword;
	int	    found;
	const char *params;
};

static const struct ehlo_case ehlos[] = {
	{ "250-mx.example.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n",
	    "STARTTLS", 1, "" },
	{ "250-mx.example.test\r\n250-starttls\r\n250 8BITMIME\r\n", "STARTTLS",
	    1, "" },
	{ "250-mx\r\n250 StartTLS\r\n", "starttls", 1, "" },
	{ "250-mx\r\n250 STARTTLS foo\r\n", "STARTTLS", 1, "foo" },
	{ "250-mx\r\n250 STARTTLS   foo bar\r\n", "STARTTLS", 1, "foo bar" },
	{ "250-mx\r\n250 STARTTLS \r\n", "STARTTLS", 1, "" },
	{ "250-mx\r\n250 SIZE 10240000\r\n", "SIZE", 1, "10240000" },
	{ "250-mx\r\n250-STARTTLSX\r\n250 XSTARTTLS\r\n", "STARTTLS", 0, NULL },
	{ "250-mx\r\n250 START TLS\r\n", "STARTTLS", 0, NULL },
	{ "250-mx\r\n250 STARTTLS=1\r\n", "STARTTLS", 0, NULL },
	{ "250-mx\r\n250  STARTTLS\r\n", "STARTTLS", 0, NULL },
	{ "250-mx\r\n250 \tSTARTTLS\r\n", "STARTTLS", 0, NULL },
	/* Line 0 is the greeting, never an extension. */
	{ "250 STARTTLS\r\n", "STARTTLS", 0, NULL },
	{ "250-STARTTLS\r\n250 PIPELINING\r\n", "STARTTLS", 0, NULL },
	{ "250-mx\r\n250 PIPELINING\r\n", "STARTTLS", 0, NULL },
	{ "250-mx\r\n250 -STARTTLS\r\n", "-STARTTLS", 0, NULL },
	{ "250-mx\r\n250 STARTTLS\r\n", "", 0, NULL },
};

static void
test_ehlo(void **state)
{
	const struct ehlo_case *c = *state;
	struct smtp_reply      *r;
	const char	       *params = NULL;
	size_t			used;
	char		       *cause;

	r = smtp_reply_parse(c->reply, strlen(c->reply), &used, &cause);
	assert_non_null(r);
	assert_int_equal(smtp_reply_ehlo_has(r, c->keyword, &params), c->found);
	if (c->found)
		assert_string_equal(params, c->params);
	assert_int_equal(smtp_reply_ehlo_has(r, c->keyword, NULL), c->found);
	smtp_reply_free(r);
	assert_int_equal(smtp_reply_ehlo_has(NULL, c->keyword, NULL), 0);
}

int
main(void)
{
	struct CMUnitTest *t;
	size_t		   np = sizeof(parses) / sizeof(parses[0]);
	size_t		   ne = sizeof(ehlos) / sizeof(ehlos[0]);
	size_t		   i, k = 0;
	char		 **names, *a;
	int		   rc;

	t = xcalloc(np + ne + 5, sizeof(*t));
	names = xcalloc(np + ne, sizeof(*names));
	for (i = 0; i < np; i++, k++) {
		names[k] = xasprintf("parse: %s", parses[i].name);
		t[k].name = names[k];
		t[k].test_func = test_parse;
		t[k].initial_state = (void *)(uintptr_t)&parses[i];
	}
	for (i = 0; i < ne; i++, k++) {
		a = utf8_sanitize(ehlos[i].reply, strlen(ehlos[i].reply), 1);
		names[k] = xasprintf("ehlo %s in '%s'", ehlos[i].keyword, a);
		free(a);
		t[k].name = names[k];
		t[k].test_func = test_ehlo;
		t[k].initial_state = (void *)(uintptr_t)&ehlos[i];
	}
	t[k].name = "line limit";
	t[k++].test_func = test_line_limit;
	t[k].name = "lines limit";
	t[k++].test_func = test_lines_limit;
	t[k].name = "size limit";
	t[k++].test_func = test_size_limit;
	t[k].name = "incremental";
	t[k++].test_func = test_incremental;
	rc = _cmocka_run_group_tests("smtp_reply", t, k, NULL, NULL);
	for (i = 0; i < np + ne; i++)
		free(names[i]);
	free(names);
	free(t);
	return rc;
}
