/*
 * Unit tests for engine/report_imap: the commands after the login, run on
 * recorded server bytes (report_imap_replay).  Table-driven: each case is
 * what a server says, and what the reader must make of it.  The live
 * server is tested in tests/integration/report-imap.sh.
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

#include "report_imap.h"
#include "report_input.h"

#define EX "* OK [UIDVALIDITY 7] ok\r\nm1 OK [READ-ONLY] done\r\n"
#define RPT                                                            \
	"{\"organization-name\":\"U\",\"report-id\":\"u1\","           \
	"\"date-range\":{\"start-datetime\":\"2026-11-20T00:00:00Z\"," \
	"\"end-datetime\":\"2026-11-20T23:59:59Z\"},\"contact-info\":" \
	"\"a@b\",\"policies\":[]}"
#define MSG "Content-Type: application/tlsrpt+json\r\n\r\n" RPT "\r\n"

struct imap_case {
	const char *name;
	const char *server;
	size_t	    max;     /* size cap, 0: default */
	int	    rv;	     /* 0 or -1 */
	size_t	    nnew;    /* messages read */
	size_t	    reports; /* items with a report */
	const char *cause;   /* substring of the error, or NULL */
};

static char lit[64];

static const struct imap_case cases[] = {
	{ "empty mailbox", EX "* SEARCH\r\nm2 OK done\r\n", 0, 0, 0, 0, NULL },
	{ "one message", NULL, 0, 0, 1, 1, NULL },
	{ "no such mailbox", "m1 NO [NONEXISTENT] no\r\n", 0, -1, 0, 0,
	    "cannot open the mailbox" },
	{ "search refused", EX "m2 BAD no\r\n", 0, -1, 0, 0, "UID SEARCH" },
	{ "over the size cap: skipped",
	    EX "* SEARCH 1\r\nm2 OK done\r\n"
	       "* 1 FETCH (UID 1 RFC822.SIZE 5000)\r\nm3 OK done\r\n",
	    100, 0, 0, 0, NULL },
	{ "literal over the cap",
	    EX "* SEARCH 1\r\nm2 OK done\r\n"
	       "* 1 FETCH (UID 1 RFC822.SIZE 10)\r\nm3 OK "
	       "done\r\n* 1 FETCH (UID 1 BODY[] {999}\r\n",
	    100, -1, 0, 0, "over the cap" },
	{ "bad literal length",
	    EX "* SEARCH 1\r\nm2 OK done\r\n"
	       "* 1 FETCH (UID 1 RFC822.SIZE 10)\r\nm3 OK "
	       "done\r\n* 1 FETCH (UID 1 BODY[] {1x}\r\n",
	    0, -1, 0, 0, "bad literal" },
	{ "closed mid-literal",
	    EX "* SEARCH 1\r\nm2 OK done\r\n"
	       "* 1 FETCH (UID 1 RFC822.SIZE 10)\r\nm3 OK "
	       "done\r\n* 1 FETCH (UID 1 BODY[] {50}\r\nab",
	    0, -1, 0, 0, "closed" },
	{ "no size: skipped", EX "* SEARCH 1\r\nm2 OK done\r\nm3 OK done\r\n",
	    0, 0, 0, 0, NULL },
	{ "silence", "", 0, -1, 0, 0, "closed" },
};

static void
test_case(void **state)
{
	const struct imap_case *c = *state;
	struct report_input    *in = report_input_new();
	char		       *server, *cause = NULL;
	size_t			nnew = 0;
	int			rv;

	if (c->server != NULL)
		server = strdup(c->server);
	else {
		/* One message, its literal length computed. */
		snprintf(lit, sizeof(lit), "{%zu}", strlen(MSG));
		if (asprintf(&server,
			EX "* SEARCH 1\r\nm2 OK done\r\n"
			   "* 1 FETCH (UID 1 RFC822.SIZE %zu)\r\nm3 OK done\r\n"
			   "* 1 FETCH (UID 1 BODY[] %s\r\n" MSG ")\r\n"
			   "m4 OK done\r\n",
			strlen(MSG), lit) < 0)
			fail();
	}
	rv = report_imap_replay(in, server, strlen(server), c->max, &nnew,
	    &cause);
	if (rv != c->rv || (rv == 0 && nnew != c->nnew) ||
	    report_input_nreports(in) != c->reports ||
	    (c->cause != NULL &&
		(cause == NULL || strstr(cause, c->cause) == NULL)) ||
	    (rv != 0 && cause == NULL)) {
		print_error("%s: rv %d nnew %zu reports %zu cause %s\n",
		    c->name, rv, nnew, report_input_nreports(in),
		    cause != NULL ? cause : "(none)");
		fail();
	}
	free(cause);
	free(server);
	report_input_free(in);
}

static void
test_is_url(void **state)
{
	(void)state;
	assert_true(report_imap_is_url("imaps://u@h/INBOX"));
	assert_true(report_imap_is_url("IMAP://u@h/"));
	assert_false(report_imap_is_url("/tmp/imaps:/x"));
	assert_false(report_imap_is_url("https://h/"));
}

static void
test_url_password_refused(void **state)
{
	struct report_imap_opts o;
	struct report_input    *in = report_input_new();
	char		       *cause = NULL;

	(void)state;
	memset(&o, 0, sizeof(o));
	/* Refused before any connection is tried. */
	assert_int_equal(report_imap_read(in, "imaps://u:secret@127.0.0.1:1/",
			     &o, NULL, &cause),
	    -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "process list"));
	free(cause);
	report_input_free(in);
}

int
main(void)
{
	struct CMUnitTest t[sizeof(cases) / sizeof(cases[0]) + 2];
	size_t		  i, n = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t[n].name = cases[i].name;
		t[n].test_func = test_case;
		t[n].setup_func = NULL;
		t[n].teardown_func = NULL;
		t[n].initial_state = (void *)&cases[i];
		n++;
	}
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_is_url);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_url_password_refused);
	return _cmocka_run_group_tests("report_imap", t, n, NULL, NULL);
}
