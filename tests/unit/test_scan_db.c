/*
 * Unit tests: the history of scans in SQLite -- create, reopen, migrate
 * (a fresh file, a later version's step table), refuse a locked, foreign,
 * newer, random or cut file with a clear message and its bytes unchanged,
 * a killed scan keeping its committed batches, and the changes between two
 * scans.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "scratch.h"

#include "clock.h"
#include "scan_db.h"

static char dir[] = "/tmp/mtasts-scandb-XXXXXX";

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

static char *
path_of(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

/* What one domain looks like in a document. */
struct fake {
	const char *domain;
	const char *checked_at;
	int	    exit_status;
	const char *id;	    /* NULL: no valid record */
	const char *policy; /* NULL: none served */
	const char *mx1, *mx2;
	const char *mx1_not_after;
};

/* A compact check document with the members scan_db reads. */
static char *
doc_of(const struct fake *f)
{
	char *rec, *pol, *mx, *tls, *doc;

	rec = f->id != NULL
	    ? xasprintf("{\"candidates\":1,\"valid\":true,\"id\":\"%s\"}",
		  f->id)
	    : xstrdup("{\"candidates\":0,\"valid\":false,\"id\":null}");
	pol = f->policy != NULL
	    ? xasprintf("{\"valid\":true,\"mode\":\"enforce\",\"body\":\"%s\"}",
		  f->policy)
	    : xstrdup("{\"valid\":false,\"body\":null}");
	mx =
	    xasprintf("{\"null_mx\":false,\"hosts\":[{\"name\":\"%s\"}%s%s%s]}",
		f->mx1, f->mx2 != NULL ? ",{\"name\":\"" : "",
		f->mx2 != NULL ? f->mx2 : "", f->mx2 != NULL ? "\"}" : "");
	tls =
	    xasprintf("{\"hosts\":[{\"name\":\"%s\",\"addresses\":[{\"chain\":"
		      "{\"certificates\":[{\"not_after\":\"%s\"}]}}]}]}",
		f->mx1, f->mx1_not_after);
	doc =
	    xasprintf("{\"version\":1,\"domain\":\"%s\",\"checked_at\":\"%s\","
		      "\"exit_status\":%d,\"layers\":["
		      "{\"id\":\"dns\",\"data\":{\"record\":%s}},"
		      "{\"id\":\"policy\",\"data\":%s},"
		      "{\"id\":\"mx\",\"data\":%s},"
		      "{\"id\":\"mx_tls\",\"data\":%s}],\"findings\":[]}",
		f->domain, f->checked_at, f->exit_status, rec, pol, mx, tls);
	free(rec);
	free(pol);
	free(mx);
	free(tls);
	return doc;
}

static void
add(struct scan_db *db, const struct fake *f)
{
	char *doc = doc_of(f), *why = NULL;

	assert_int_equal(scan_db_add(db, doc, strlen(doc), &why), 0);
	free(doc);
}

static void
begin(struct scan_db *db, time_t at)
{
	struct scan_db_scan_info info = { at, "test", "{}", NULL };
	char			*why = NULL;

	assert_int_equal(scan_db_scan_begin(db, &info, &why), 0);
}

/* The file's bytes, for "left as it is". */
static char *
bytes(const char *path, size_t *len)
{
	char *b = scratch_slurp(path, len);

	assert_non_null(b);
	return b;
}

static void
assert_unchanged(const char *path, const char *before, size_t len)
{
	size_t n;
	char  *now = bytes(path, &n);

	assert_int_equal(n, len);
	assert_memory_equal(now, before, len);
	free(now);
}

static long long
count(const char *path, const char *sql)
{
	sqlite3	     *db;
	sqlite3_stmt *st;
	long long     n = -1;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void
exec_sql(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static const struct fake good = { "a.test", "2026-12-01T00:00:00Z", 0, "1",
	"version: STSv1\\nmode: enforce\\n", "mx1.a.test", NULL,
	"2027-12-01T00:00:00Z" };

/* A file with one ended scan of n domains. */
static void
make_db(const char *path, int n)
{
	struct scan_db *db;
	struct fake	f = good;
	char	       *why = NULL, name[64];
	int		i;

	db = scan_db_open(path, 0, &why);
	assert_non_null(db);
	begin(db, 1000);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "d%04d.test", i);
		f.domain = name;
		add(db, &f);
	}
	assert_int_equal(scan_db_scan_end(db, 2000, &why), 0);
	scan_db_close(db);
}

static void
test_create_reopen(void **state)
{
	struct scan_db *db;
	char	       *p = path_of("new/dir/scans.db"), *why = NULL;

	(void)state;
	db = scan_db_open(p, 0, &why);
	assert_non_null(db);
	assert_int_equal(scan_db_version(db), SCAN_DB_VERSION);
	scan_db_close(db);
	make_db(p, 3);
	db = scan_db_open(p, 0, &why);
	assert_non_null(db);
	assert_int_equal(scan_db_version(db), SCAN_DB_VERSION);
	scan_db_close(db);
	assert_int_equal(count(p, "SELECT count(*) FROM results"), 3);
	assert_int_equal(count(p, "SELECT ended_at FROM scans"), 2000);
	assert_int_equal(count(p, "PRAGMA application_id"), 0x4d545354);
	free(p);
}

/* A file SQLite made with no tables (version 0), and an empty file. */
static void
test_migrate_v0(void **state)
{
	struct scan_db *db;
	char	       *p = path_of("v0.db"), *q = path_of("empty.db");
	char	       *why = NULL;
	FILE	       *f;

	(void)state;
	exec_sql(p, "PRAGMA user_version = 0; VACUUM");
	db = scan_db_open(p, 0, &why);
	assert_non_null(db);
	assert_int_equal(scan_db_version(db), 1);
	scan_db_close(db);
	assert_int_equal(count(p, "SELECT count(*) FROM scans"), 0);
	assert_non_null(f = fopen(q, "w"));
	fclose(f);
	db = scan_db_open(q, 0, &why);
	assert_non_null(db);
	assert_int_equal(scan_db_version(db), 1);
	scan_db_close(db);
	free(p);
	free(q);
}

/* A version 1 file taken to a (test) version 2, keeping its rows. */
static void
test_migrate_v2(void **state)
{
	struct scan_db_step steps[2];
	struct scan_db	   *db;
	char		   *p = path_of("v1.db"), *why = NULL, *before;
	size_t		    len;

	(void)state;
	make_db(p, 2);
	/* The shipped step 1, whatever it is, then a new one. */
	db = scan_db_open(p, 0, &why);
	scan_db_close(db);
	steps[0].version = 1;
	steps[0].sql = "SELECT 1"; /* never run again on a v1 file */
	steps[1].version = 2;
	steps[1].sql = "ALTER TABLE results ADD COLUMN note TEXT";
	db = scan_db_open_steps(p, 0, steps, 2, &why);
	assert_non_null(db);
	assert_int_equal(scan_db_version(db), 2);
	scan_db_close(db);
	assert_int_equal(count(p,
			     "SELECT count(*) FROM results WHERE note IS "
			     "NULL"),
	    2);
	/* This build knows only version 1: refused, the file untouched. */
	before = bytes(p, &len);
	assert_null(scan_db_open(p, 0, &why));
	assert_non_null(strstr(why, "newer"));
	free(why);
	assert_unchanged(p, before, len);
	free(before);
	free(p);
}

static void
test_newer(void **state)
{
	char  *p = path_of("newer.db"), *why = NULL, *before;
	size_t len;

	(void)state;
	make_db(p, 1);
	exec_sql(p, "PRAGMA user_version = 7");
	before = bytes(p, &len);
	assert_null(scan_db_open(p, 0, &why));
	assert_non_null(strstr(why, "newer mtasts-tui (schema 7"));
	free(why);
	assert_unchanged(p, before, len);
	assert_int_equal(count(p, "SELECT count(*) FROM results"), 1);
	free(before);
	free(p);
}

static void
test_foreign(void **state)
{
	char  *p = path_of("foreign.db"), *why = NULL, *before;
	size_t len;

	(void)state;
	exec_sql(p, "CREATE TABLE mail (x); INSERT INTO mail VALUES (1)");
	before = bytes(p, &len);
	assert_null(scan_db_open(p, 0, &why));
	assert_non_null(strstr(why, "of something else"));
	free(why);
	assert_unchanged(p, before, len);
	free(before);
	free(p);
}

static void
test_random(void **state)
{
	char	     *p = path_of("random.db"), *why = NULL, *before;
	unsigned char buf[4096];
	FILE	     *f;
	size_t	      i, len;
	unsigned long x = 12345;

	(void)state;
	for (i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245 + 12345;
		buf[i] = (unsigned char)(x >> 16);
	}
	assert_non_null(f = fopen(p, "wb"));
	fwrite(buf, 1, sizeof(buf), f);
	fclose(f);
	before = bytes(p, &len);
	assert_null(scan_db_open(p, 0, &why));
	assert_non_null(strstr(why, "not a SQLite database"));
	free(why);
	assert_unchanged(p, before, len);
	free(before);
	/* The header of a database and then garbage: SQLite's own error. */
	memcpy(buf, "SQLite format 3", 16);
	assert_non_null(f = fopen(p, "wb"));
	fwrite(buf, 1, sizeof(buf), f);
	fclose(f);
	before = bytes(p, &len);
	assert_null(scan_db_open(p, 0, &why));
	assert_non_null(strstr(why, p));
	free(why);
	assert_unchanged(p, before, len);
	free(before);
	free(p);
}

static void
test_truncated(void **state)
{
	struct stat st;
	char	   *p = path_of("cut.db"), *why = NULL, *before;
	size_t	    len;

	(void)state;
	make_db(p, 150);
	assert_int_equal(stat(p, &st), 0);
	assert_true(st.st_size > 8192);
	assert_int_equal(truncate(p, st.st_size / 2), 0);
	before = bytes(p, &len);
	assert_null(scan_db_open(p, 0, &why));
	assert_non_null(strstr(why, "truncated"));
	free(why);
	assert_unchanged(p, before, len);
	free(before);
	free(p);
}

/* Another connection holds the write lock past our busy timeout. */
static void
test_locked(void **state)
{
	struct scan_db		*db;
	struct scan_db_scan_info info = { 3000, "test", "{}", NULL };
	sqlite3			*other;
	char			*p = path_of("locked.db"), *why = NULL;
	int64_t			 t0, waited;

	(void)state;
	make_db(p, 2);
	assert_int_equal(sqlite3_open(p, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other,
			     "BEGIN IMMEDIATE; INSERT INTO scans (started_at, "
			     "tool, options) VALUES (1, 'other', '{}')",
			     NULL, NULL, NULL),
	    SQLITE_OK);
	db = scan_db_open(p, 300, &why);
	assert_non_null(db); /* reading is not blocked (WAL) */
	t0 = clock_ms();
	assert_int_equal(scan_db_scan_begin(db, &info, &why), -1);
	waited = clock_ms() - t0;
	assert_non_null(strstr(why,
	    "locked by another process for more than "
	    "300 ms"));
	free(why);
	assert_true(waited >= 250 && waited < 3000);
	scan_db_close(db);
	assert_int_equal(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(other);
	assert_int_equal(count(p, "SELECT count(*) FROM scans"), 1);
	assert_int_equal(count(p, "SELECT count(*) FROM results"), 2);
	free(p);
}

/*
 * Killed after the first batch: it stays, the scan row has no end; a
 * resumed run goes on with it.
 */
static void
test_killed(void **state)
{
	struct scan_db *db;
	struct fake	f = good;
	char	       *p = path_of("killed.db"), *why = NULL, name[64];
	int		i;
	long long	n;

	(void)state;
	db = scan_db_open(p, 0, &why);
	assert_non_null(db);
	begin(db, 1000);
	for (i = 0; i < SCAN_DB_BATCH + 5; i++) {
		snprintf(name, sizeof(name), "d%04d.test", i);
		f.domain = name;
		add(db, &f);
	}
	scan_db_close(db); /* no end, no flush: as if killed */
	/* SCAN_DB_BATCH at once, or fewer when a batch grew old (slow run). */
	n = count(p, "SELECT count(*) FROM results");
	assert_true(n > 0 && n <= SCAN_DB_BATCH);
	assert_int_equal(count(p, "SELECT checked FROM scans"), n);
	assert_int_equal(count(p,
			     "SELECT count(*) FROM scans WHERE ended_at "
			     "IS NULL"),
	    1);
	/* --resume: the same scan goes on; every domain again, none twice. */
	db = scan_db_open(p, 0, &why);
	assert_non_null(db);
	assert_int_equal(scan_db_scan_continue(db, "1/2", &why), 0);
	assert_int_equal(scan_db_scan_continue(db, NULL, &why), 1);
	for (i = 0; i < SCAN_DB_BATCH + 5; i++) {
		snprintf(name, sizeof(name), "d%04d.test", i);
		f.domain = name;
		add(db, &f);
	}
	assert_int_equal(scan_db_scan_end(db, 2000, &why), 0);
	scan_db_close(db);
	assert_int_equal(count(p, "SELECT count(*) FROM scans"), 1);
	assert_int_equal(count(p, "SELECT checked FROM scans"),
	    SCAN_DB_BATCH + 5);
	assert_int_equal(count(p, "SELECT count(*) FROM results"),
	    SCAN_DB_BATCH + 5);
	db = scan_db_open(p, 0, &why);
	assert_non_null(db);
	assert_int_equal(scan_db_scan_continue(db, NULL, &why), 0);
	scan_db_close(db);
	free(p);
}

static void
test_not_regular(void **state)
{
	char *why = NULL;

	(void)state;
	assert_null(scan_db_open(dir, 0, &why));
	assert_non_null(strstr(why, "not a regular file"));
	free(why);
}

static void
collect(void *arg, const struct scan_db_change *c)
{
	char  *out = arg, line[512];
	size_t n = strlen(out);

	snprintf(line, sizeof(line), "%s %s%s%s %s>%s\n", c->domain, c->kind,
	    c->subject != NULL ? ":" : "", c->subject != NULL ? c->subject : "",
	    c->old != NULL ? c->old : "-", c->new != NULL ? c->new : "-");
	assert_true(n + strlen(line) < 4096);
	strcat(out, line);
}

static void
test_changes(void **state)
{
	struct scan_db	   *db;
	struct scan_db_scan from, to;
	char		   *p = path_of("changes.db"), *why = NULL;
	char		    out[4096] = "";
	struct fake	    f;
	long		    n;

	(void)state;
	db = scan_db_open(p, 0, &why);
	assert_non_null(db);
	assert_int_equal(scan_db_pick(db, 0, &from, &to, &why), 0);
	free(why);

	begin(db, 1000);
	f = good; /* unchanged */
	add(db, &f);
	f.domain = "b.test"; /* id, then failing */
	add(db, &f);
	f.domain = "c.test"; /* policy under the same id, MX */
	add(db, &f);
	f.domain = "d.test"; /* failing, then fixed; certificate */
	f.exit_status = 2;
	add(db, &f);
	f = good;
	f.domain = "gone.test";
	add(db, &f);
	assert_int_equal(scan_db_scan_end(db, 1100, &why), 0);

	begin(db, 90000);
	f = good;
	add(db, &f);
	f.domain = "b.test";
	f.id = "2";
	f.exit_status = 2;
	add(db, &f);
	f = good;
	f.domain = "c.test";
	f.policy = "version: STSv1\\nmode: testing\\n";
	f.mx2 = "mx2.c.test";
	add(db, &f);
	f = good;
	f.domain = "d.test";
	f.checked_at = "2026-12-02T00:00:00Z";
	f.mx1_not_after = "2026-12-10T00:00:00Z";
	add(db, &f);
	f = good;
	f.domain = "new.test";
	add(db, &f);
	assert_int_equal(scan_db_scan_end(db, 90100, &why), 0);

	assert_int_equal(scan_db_pick(db, 0, &from, &to, &why), 1);
	assert_int_equal(to.results, 5);
	assert_int_equal(from.ended_at, 1100);
	n = scan_db_changes(db, from.id, to.id, NULL, 14, collect, out, &why);
	assert_string_equal(out,
	    "b.test new_failure ok>errors\n"
	    "b.test id 1>2\n"
	    "c.test policy:id unchanged version: STSv1\nmode: enforce\n>"
	    "version: STSv1\nmode: testing\n\n"
	    "c.test mx mx1.a.test>mx1.a.test mx2.c.test\n"
	    "d.test fixed errors>ok\n"
	    "d.test cert_expiring:mx1.a.test 365 days>8 days\n"
	    "gone.test removed unknown>-\n" /* no verdict: fleet.h */
	    "new.test added ->unknown\n");
	assert_int_equal(n, 8);

	/* One domain, and a window that the certificate was in already. */
	out[0] = '\0';
	n = scan_db_changes(db, from.id, to.id, "d.test", 400, collect, out,
	    &why);
	assert_string_equal(out, "d.test fixed errors>ok\n");
	assert_int_equal(n, 1);

	/* --since: the scan at or before the time; none before the first. */
	assert_int_equal(scan_db_pick(db, 1000, &from, &to, &why), 1);
	assert_int_equal(from.started_at, 1000);
	assert_int_equal(scan_db_pick(db, 999, &from, &to, &why), 0);
	assert_non_null(strstr(why, "no scan before"));
	free(why);
	scan_db_close(db);
	free(p);
}

/* Documents against a recorded scan; the last of a domain counts. */
static void
test_set(void **state)
{
	struct scan_db	   *db;
	struct scan_db_set *set;
	struct scan_db_scan from;
	struct fake	    f = good;
	json_t		   *j;
	char		   *p = path_of("set.db"), *why = NULL, *doc;
	char		    out[4096] = "";
	long		    n;

	(void)state;
	db = scan_db_open(p, 0, &why);
	assert_non_null(db);
	assert_int_equal(scan_db_find(db, 0, &from, &why), 0);
	free(why);
	begin(db, 1000);
	add(db, &f);
	assert_int_equal(scan_db_scan_end(db, 1100, &why), 0);
	assert_int_equal(scan_db_find(db, 1000, &from, &why), 1);

	set = scan_db_set_new();
	f.id = "2"; /* a first document of a.test, then the one that counts */
	doc = doc_of(&f);
	assert_non_null(j = json_loads(doc, 0, NULL));
	assert_int_equal(scan_db_set_add(set, j, &why), 0);
	json_decref(j);
	free(doc);
	f.id = "3";
	doc = doc_of(&f);
	assert_non_null(j = json_loads(doc, 0, NULL));
	assert_int_equal(scan_db_set_add(set, j, &why), 0);
	json_decref(j);
	free(doc);
	assert_non_null(j = json_loads("{\"no\":\"domain\"}", 0, NULL));
	assert_int_equal(scan_db_set_add(set, j, &why), -1);
	free(why);
	json_decref(j);
	assert_int_equal(scan_db_set_count(set), 1);
	n = scan_db_changes_set(db, from.id, set, NULL, 14, collect, out, &why);
	assert_string_equal(out, "a.test id 1>3\n");
	assert_int_equal(n, 1);
	scan_db_set_free(set);
	scan_db_close(db);
	free(p);
}

/*
 * The fleet view's read-only open: a missing file stays missing, a closed
 * history is read as it is (no byte changed, no -wal or -shm made), a
 * history with no schema yet or a random file is refused.
 */
static void
test_open_read(void **state)
{
	struct scan_db	   *db;
	struct scan_db_scan s;
	struct stat	    st;
	char  *p = path_of("ro/scans.db"), *q = path_of("ro-none.db");
	char  *e = path_of("ro-empty.db"), *why = NULL;
	char  *wal = xasprintf("%s-wal", p), *shm = xasprintf("%s-shm", p);
	char  *before;
	size_t len;
	FILE  *f;

	(void)state;
	assert_null(scan_db_open_read(q, 0, &why));
	assert_non_null(strstr(why, "No such file"));
	free(why);
	assert_int_equal(stat(q, &st), -1);

	make_db(p, 3);
	before = bytes(p, &len);
	assert_int_equal(stat(wal, &st), -1);
	db = scan_db_open_read(p, 0, &why);
	assert_non_null(db);
	assert_int_equal(scan_db_find(db, 0, &s, &why), 1);
	assert_int_equal(s.results, 3);
	scan_db_close(db);
	assert_unchanged(p, before, len);
	assert_int_equal(stat(wal, &st), -1);
	assert_int_equal(stat(shm, &st), -1);
	free(before);

	assert_non_null(f = fopen(e, "w"));
	fclose(f);
	assert_null(scan_db_open_read(e, 0, &why));
	assert_non_null(strstr(why, "no scan recorded yet"));
	free(why);
	assert_int_equal(stat(e, &st), 0);
	assert_int_equal(st.st_size, 0);
	free(p);
	free(q);
	free(e);
	free(wal);
	free(shm);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_reopen),
		cmocka_unit_test(test_migrate_v0),
		cmocka_unit_test(test_migrate_v2),
		cmocka_unit_test(test_newer),
		cmocka_unit_test(test_foreign),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_locked),
		cmocka_unit_test(test_killed),
		cmocka_unit_test(test_not_regular),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_open_read),
	};

	return cmocka_run_group_tests_name("scan_db", tests, setup, teardown);
}
