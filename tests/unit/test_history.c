/* Unit tests: the per-domain history (id and policy hash across runs). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "scratch.h"

#include "finding.h"
#include "history.h"

static char dir[] = "/tmp/mtasts-history-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return scratch_make(dir, NULL);
}

static int
teardown(void **state)
{
	(void)state;
	return scratch_remove(dir);
}

/* One run; returns the codes it reported, space-separated (static). */
static const char *
run(const char *domain, const char *id, const char *body)
{
	static char	       codes[256];
	struct finding_list   *fl = finding_list_new();
	struct history_result *h;
	size_t		       i;

	const unsigned char *m;

	h = history_update(dir, domain, id, body,
	    body != NULL ? strlen(body) : 0, NULL, 0, -1, 1700000000, fl);
	codes[0] = '\0';
	for (i = 0; i < finding_list_count(fl); i++) {
		/* Messages reach terminals: printable ASCII, whatever the file. */
		m = (const unsigned char *)finding_list_get(fl, i)->message;
		for (; *m != '\0'; m++)
			assert_true(*m >= 0x20 && *m < 0x7f);
		if (i > 0)
			strncat(codes, " ", sizeof(codes) - strlen(codes) - 1);
		strncat(codes, finding_code_name(finding_list_get(fl, i)->code),
		    sizeof(codes) - strlen(codes) - 1);
	}
	history_result_free(h);
	finding_list_free(fl);
	return codes;
}

static void
test_sequence(void **state)
{
	(void)state;
	/* First sight: nothing to compare with. */
	assert_string_equal(run("a.test", "1", "mode: testing\n"), "");
	/* Same id, same body: quiet. */
	assert_string_equal(run("a.test", "1", "mode: testing\n"), "");
	/* Body changed, id did not: the classic update mistake. */
	assert_string_equal(run("a.test", "1", "mode: enforce\n"),
	    "sts.id_unchanged");
	/* The id moves on: noted. */
	assert_string_equal(run("a.test", "2", "mode: enforce\n"),
	    "sts.id_changed");
	/* Nothing to record without an id or a body. */
	assert_string_equal(run("a.test", NULL, "x"), "");
	assert_string_equal(run("a.test", "3", NULL), "");
	/* Other domains have their own record. */
	assert_string_equal(run("b.test", "2", "mode: other\n"), "");
}

static void
test_corrupt(void **state)
{
	char  path[512];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/c.test", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("garbage\x01\n", f);
	fclose(f);
	assert_string_equal(run("c.test", "1", "body"), "history.corrupt");
	/* Replaced: the next run reads it fine. */
	assert_string_equal(run("c.test", "1", "body"), "");
	/* A newer or foreign version line is corrupt too, never fatal. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("mtasts-tui-history 99\nid 1\n", f);
	fclose(f);
	assert_string_equal(run("c.test", "1", "body"), "history.corrupt");
}

/* Unblocks a run stuck in open() or read() on a FIFO: fails the test. */
static void
on_alarm(int sig)
{
	(void)sig;
	_exit(1);
}

/*
 * A FIFO (or a link to one) where the history file should be: reported as
 * history.corrupt at once, never a hang, and replaced by a regular file.
 */
static void
test_not_regular(void **state)
{
	char	    path[512], fifo[512];
	struct stat sb;

	(void)state;
	snprintf(path, sizeof(path), "%s/p.test", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	signal(SIGALRM, on_alarm);
	alarm(5);
	assert_string_equal(run("p.test", "1", "body"), "history.corrupt");
	alarm(0);
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_string_equal(run("p.test", "1", "body"), "");

	snprintf(fifo, sizeof(fifo), "%s/a-fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	snprintf(path, sizeof(path), "%s/l.test", dir);
	assert_int_equal(symlink(fifo, path), 0);
	alarm(5);
	assert_string_equal(run("l.test", "1", "body"), "history.corrupt");
	alarm(0);
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(lstat(fifo, &sb), 0);
	assert_true(S_ISFIFO(sb.st_mode));
}

/* Found by the history fuzzer: file bytes reached finding messages raw. */
static void
test_hostile(void **state)
{
	char  path[512];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/h.test", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("mtasts-tui-history 2\nid \x1b]0;pwned\x07\nsha256 x\n"
	      "seen 1\n",
	    f);
	fclose(f);
	/* Not "the id changed from <ESC>...": the record is not usable. */
	assert_string_equal(run("h.test", "2", "body"), "history.corrupt");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("mtasts-tui-history 2\nbad\x1b[2Jline\n", f);
	fclose(f);
	assert_string_equal(run("h.test", "2", "body"), "history.corrupt");
}

/* One run with MX hosts at time t; returns the result (caller frees). */
static struct history_result *
run_mx(const char *domain, const char *const *mx, size_t nmx, time_t t)
{
	struct finding_list   *fl = finding_list_new();
	struct history_result *h;

	h = history_update(dir, domain, "1", "body", 4, mx, nmx, -1, t, fl);
	/* An older format is read, never reported as corrupt. */
	assert_int_equal(finding_list_find(fl, FINDING_HISTORY_CORRUPT, 0), -1);
	finding_list_free(fl);
	return h;
}

static void
test_mx_round_trip(void **state)
{
	const char	      *first[] = { "mx1.m.test", "old.m.test" };
	const char	      *second[] = { "mx1.m.test", "MX2.m.test" };
	struct history_result *h;

	(void)state;
	h = run_mx("m.test", first, 2, 1000);
	assert_int_equal(h->nprev_mx, 0);
	assert_int_equal(h->nmx, 2);
	history_result_free(h);

	h = run_mx("m.test", second, 2, 2000);
	/* What was on record: both at 1000, by name. */
	assert_int_equal(h->nprev_mx, 2);
	assert_string_equal(h->prev_mx[0].name, "mx1.m.test");
	assert_int_equal(h->prev_mx[0].last_seen, 1000);
	assert_string_equal(h->prev_mx[1].name, "old.m.test");
	/* Now: the current hosts at 2000 first, the former one kept. */
	assert_int_equal(h->nmx, 3);
	assert_string_equal(h->mx[0].name, "MX2.m.test");
	assert_int_equal(h->mx[0].last_seen, 2000);
	assert_string_equal(h->mx[1].name, "mx1.m.test");
	assert_int_equal(h->mx[1].last_seen, 2000);
	assert_string_equal(h->mx[2].name, "old.m.test");
	assert_int_equal(h->mx[2].last_seen, 1000);
	history_result_free(h);

	/* A run whose MX lookup failed keeps the record as it was. */
	h = run_mx("m.test", NULL, 0, 3000);
	assert_int_equal(h->nprev_mx, 3);
	assert_int_equal(h->nmx, 3);
	assert_int_equal(h->mx[2].last_seen, 1000);
	history_result_free(h);
}

static void
test_mx_bounded(void **state)
{
	char		      *names[HISTORY_MAX_MX + 10];
	const char	      *one[1];
	struct history_result *h;
	size_t		       i;

	(void)state;
	/* One new host per run: the oldest fall off past the bound. */
	for (i = 0; i < HISTORY_MAX_MX + 10; i++) {
		names[i] = NULL;
		assert_true(asprintf(&names[i], "mx%zu.bound.test", i) > 0);
		one[0] = names[i];
		h = run_mx("bound.test", one, 1, (time_t)(1000 + i));
		history_result_free(h);
	}
	h = run_mx("bound.test", NULL, 0, 5000);
	assert_int_equal(h->nprev_mx, HISTORY_MAX_MX);
	assert_string_equal(h->prev_mx[0].name, names[HISTORY_MAX_MX + 9]);
	assert_string_equal(h->prev_mx[HISTORY_MAX_MX - 1].name, names[10]);
	history_result_free(h);
	for (i = 0; i < HISTORY_MAX_MX + 10; i++)
		free(names[i]);
}

static void
test_version_1(void **state)
{
	const char	      *mx[] = { "mx.v.test" };
	struct history_result *h;
	char		       path[512], line[128];
	FILE		      *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/v.test", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("mtasts-tui-history 1\nid 7\nsha256 abc\nseen 1700000000\n", f);
	fclose(f);
	h = run_mx("v.test", mx, 1, 1800000000);
	assert_true(h->had_previous);
	assert_string_equal(h->prev_id, "7");
	assert_int_equal(h->prev_seen, 1700000000);
	assert_int_equal(h->nprev_mx, 0);
	assert_true(h->written);
	history_result_free(h);
	/* Rewritten as version 2, with the MX host. */
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "mtasts-tui-history 2\n");
	fclose(f);
	h = run_mx("v.test", NULL, 0, 1900000000);
	assert_int_equal(h->nprev_mx, 1);
	assert_string_equal(h->prev_mx[0].name, "mx.v.test");
	assert_int_equal(h->prev_mx[0].last_seen, 1800000000);
	history_result_free(h);
}

/* One run at time t serving max_age (-1: none); caller frees. */
static struct history_result *
run_age(const char *domain, long long max_age, time_t t)
{
	struct finding_list   *fl = finding_list_new();
	struct history_result *h;

	h = history_update(dir, domain, "1", "body", 4, NULL, 0, max_age, t,
	    fl);
	assert_int_equal(finding_list_find(fl, FINDING_HISTORY_CORRUPT, 0), -1);
	finding_list_free(fl);
	return h;
}

/* A shortened max_age does not shorten what senders may still hold. */
static void
test_hold(void **state)
{
	struct history_result *h;

	(void)state;
	h = run_age("h.test", 31557600, 1000);
	assert_int_equal(h->prev_hold_until, 0);
	assert_int_equal(h->hold_until, 1000 + 31557600);
	history_result_free(h);

	h = run_age("h.test", 86400, 2000);
	assert_int_equal(h->prev_hold_until, 1000 + 31557600);
	assert_int_equal(h->prev_hold_max_age, 31557600);
	assert_int_equal(h->hold_until, 1000 + 31557600);
	history_result_free(h);

	/* Once the long one has run out, the short one is what is held. */
	h = run_age("h.test", 86400, 1000 + 31557600 + 10);
	assert_int_equal(h->hold_until, 1000 + 31557600 + 10 + 86400);
	assert_int_equal(h->hold_max_age, 86400);
	history_result_free(h);

	/* No policy this run: the record is kept as it was. */
	h = run_age("h.test", -1, 1000 + 31557600 + 20);
	assert_int_equal(h->hold_until, 1000 + 31557600 + 10 + 86400);
	history_result_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sequence),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_not_regular),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_mx_round_trip),
		cmocka_unit_test(test_mx_bounded),
		cmocka_unit_test(test_version_1),
		cmocka_unit_test(test_hold),
	};

	return cmocka_run_group_tests_name("history", tests, setup, teardown);
}
