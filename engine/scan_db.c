#include "config.h"
#include "scan_db.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "clock.h"
#include "doc_certs.h"
#include "file_out.h"
#include "fleet.h"
#include "report_json.h"
#include "xmalloc.h"

/* 'MTST': marks the file as ours (PRAGMA application_id). */
#define SCAN_DB_APP_ID 0x4d545354

/* How a stored document is encoded (results.doc_format). */
#define SCAN_DB_DOC_ZLIB 1

#define SCAN_DB_MAX_PENDING (8 * SCAN_DB_BATCH) /* buffered past failures */

/*
 * The migrations, oldest first: a later version appends a step (ALTER
 * TABLE, a new index) and never edits one already shipped.
 */
static const struct scan_db_step scan_db_steps[] = {
	{ 1,
	    "CREATE TABLE scans ("
	    " id INTEGER PRIMARY KEY,"
	    " started_at INTEGER NOT NULL," /* Unix seconds */
	    " ended_at INTEGER,"	    /* NULL: did not end */
	    " tool TEXT NOT NULL,"
	    " options TEXT NOT NULL," /* JSON */
	    " shard TEXT,"	      /* K/N or NULL */
	    " checked INTEGER NOT NULL DEFAULT 0,"
	    " errors INTEGER NOT NULL DEFAULT 0);"
	    "CREATE TABLE results ("
	    " scan_id INTEGER NOT NULL REFERENCES scans(id),"
	    " domain TEXT NOT NULL," /* A-label */
	    " checked_at INTEGER NOT NULL,"
	    " answer TEXT NOT NULL,"
	    " mode TEXT NOT NULL,"
	    " sts_id TEXT,"
	    " policy TEXT,"	       /* the policy body served */
	    " mx TEXT,"		       /* host names, sorted, space-separated */
	    " classes TEXT NOT NULL,"  /* sorted, comma-separated */
	    " blockers TEXT NOT NULL," /* sorted, comma-separated */
	    " cert_expiry TEXT NOT NULL," /* JSON {host: not_after} */
	    " exit_status INTEGER NOT NULL,"
	    " doc_format INTEGER NOT NULL," /* 1: zlib */
	    " doc_size INTEGER NOT NULL,"   /* uncompressed */
	    " doc BLOB,"		    /* NULL: pruned */
	    " PRIMARY KEY (scan_id, domain));"
	    "CREATE INDEX results_domain ON results(domain, scan_id);"
	    "CREATE INDEX scans_started ON scans(started_at);" },
};

/* One result ready to insert: the extracted fields and the document. */
struct scan_db_rec {
	char	      *domain;
	int64_t	       checked_at;
	char	      *answer, *mode, *sts_id, *policy, *mx;
	char	      *classes, *blockers, *cert_expiry;
	int	       exit_status;
	unsigned char *doc; /* compressed */
	size_t	       doc_len, doc_size;
	size_t	       seq; /* order added to a set */
};

struct scan_db {
	sqlite3		   *db;
	char		   *path;
	int		    busy_ms;
	int64_t		    scan_id; /* 0: no scan begun */
	struct scan_db_rec *pending;
	size_t		    npending;
	int64_t		    last_commit_ms;
};

static void
scan_db_rec_clear(struct scan_db_rec *r)
{
	free(r->domain);
	free(r->answer);
	free(r->mode);
	free(r->sts_id);
	free(r->policy);
	free(r->mx);
	free(r->classes);
	free(r->blockers);
	free(r->cert_expiry);
	free(r->doc);
	memset(r, 0, sizeof(*r));
}

/* The message of the last error, with what was being done. */
static char *
scan_db_err(struct scan_db *sd, const char *doing)
{
	int code = sqlite3_errcode(sd->db) & 0xff;

	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return xasprintf("%s: %s: locked by another process for more "
				 "than %d ms (another scan writing?)",
		    sd->path, doing, sd->busy_ms);
	if (code == SQLITE_NOTADB)
		return xasprintf("%s: not a SQLite database", sd->path);
	if (code == SQLITE_CORRUPT)
		return xasprintf("%s: %s: the database is damaged (%s); "
				 "nothing was changed",
		    sd->path, doing, sqlite3_errmsg(sd->db));
	return xasprintf("%s: %s: %s", sd->path, doing, sqlite3_errmsg(sd->db));
}

static int
scan_db_exec(struct scan_db *sd, const char *sql, const char *doing, char **why)
{
	if (sqlite3_exec(sd->db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	*why = scan_db_err(sd, doing);
	return -1;
}

/* The integer a one-value query returns; -1 with *why on error. */
static int
scan_db_int(struct scan_db *sd, const char *sql, long long *out, char **why)
{
	sqlite3_stmt *st;
	int	      rc;

	if (sqlite3_prepare_v2(sd->db, sql, -1, &st, NULL) != SQLITE_OK) {
		*why = scan_db_err(sd, "reading the header");
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		*out = 0;
	else
		*why = scan_db_err(sd, "reading the header");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Every parent of the file, private to the user. */
static int
scan_db_mkdirs(const char *path)
{
	char *copy = xstrdup(path);
	int   rc = file_out_mkdirs(dirname(copy), 0700, NULL);

	free(copy);
	return rc;
}

static uint32_t
scan_db_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * Looks at an existing file before SQLite does: its magic, and its length
 * against the page count in its header (when the header vouches for it and
 * no write-ahead log holds newer pages), since SQLite itself notices a cut
 * file only when it reads a missing page.  0, or -1 with *why.
 */
static int
scan_db_precheck(const char *path, off_t size, char **why)
{
	unsigned char h[100];
	char	     *wal;
	struct stat   st;
	uint64_t      pagesz, npages;
	int	      fd, has_wal;
	ssize_t	      n;

	if (size == 0)
		return 0; /* an empty file is an empty database */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*why = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	n = read(fd, h, sizeof(h));
	close(fd);
	if (n != (ssize_t)sizeof(h) || memcmp(h, "SQLite format 3", 16) != 0) {
		*why = xasprintf("%s: not a SQLite database (%lld bytes); "
				 "left as it is",
		    path, (long long)size);
		return -1;
	}
	pagesz = (uint64_t)h[16] << 8 | h[17];
	if (pagesz == 1)
		pagesz = 65536;
	npages = scan_db_be32(h + 28);
	wal = xasprintf("%s-wal", path);
	has_wal = stat(wal, &st) == 0 && st.st_size > 0;
	free(wal);
	if (!has_wal && npages != 0 &&
	    scan_db_be32(h + 24) == scan_db_be32(h + 92) &&
	    npages * pagesz > (uint64_t)size) {
		*why = xasprintf("%s: truncated: the header says %llu bytes, "
				 "the file has %lld; left as it is",
		    path, (unsigned long long)(npages * pagesz),
		    (long long)size);
		return -1;
	}
	return 0;
}

/*
 * Recognises the file: ours (application_id) or a new, empty one, at a
 * version we know.  0 with *version, or -1 with *why.
 */
static int
scan_db_recognise(struct scan_db *sd, int maxver, long long *version,
    char **why)
{
	long long appid, tables;

	if (scan_db_int(sd, "PRAGMA application_id", &appid, why) != 0 ||
	    scan_db_int(sd, "PRAGMA user_version", version, why) != 0 ||
	    scan_db_int(sd, "SELECT count(*) FROM sqlite_master", &tables,
		why) != 0)
		return -1;
	if (appid != SCAN_DB_APP_ID &&
	    (appid != 0 || tables != 0 || *version != 0)) {
		*why = xasprintf("%s: a SQLite database of something else "
				 "(application id %lld, %lld objects); left "
				 "as it is",
		    sd->path, appid, tables);
		return -1;
	}
	if (*version > maxver) {
		*why = xasprintf("%s: made by a newer mtasts-tui (schema %lld, "
				 "this one knows up to %d); left as it is",
		    sd->path, *version, maxver);
		return -1;
	}
	return 0;
}

/* Runs every step past the file's version in one transaction. */
static int
scan_db_migrate(struct scan_db *sd, const struct scan_db_step *steps,
    size_t nsteps, int maxver, char **why)
{
	long long ver;
	char	 *sql;
	size_t	  i;

	if (scan_db_exec(sd, "BEGIN IMMEDIATE", "migrating", why) != 0)
		return -1;
	/* Again under the lock: another process may have migrated. */
	if (scan_db_recognise(sd, maxver, &ver, why) != 0)
		goto fail;
	for (i = 0; i < nsteps; i++) {
		if (steps[i].version <= ver)
			continue;
		if (scan_db_exec(sd, steps[i].sql, "migrating", why) != 0)
			goto fail;
		sql = xasprintf("PRAGMA user_version = %d", steps[i].version);
		if (scan_db_exec(sd, sql, "migrating", why) != 0) {
			free(sql);
			goto fail;
		}
		free(sql);
	}
	sql = xasprintf("PRAGMA application_id = %d", SCAN_DB_APP_ID);
	if (scan_db_exec(sd, sql, "migrating", why) != 0) {
		free(sql);
		goto fail;
	}
	free(sql);
	return scan_db_exec(sd, "COMMIT", "migrating", why);
fail:
	sqlite3_exec(sd->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

struct scan_db *
scan_db_open_steps(const char *path, int busy_ms,
    const struct scan_db_step *steps, size_t nsteps, char **why)
{
	struct scan_db *sd;
	struct stat	st;
	long long	ver;
	int		flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	int		maxver = nsteps > 0 ? steps[nsteps - 1].version : 0;

	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			*why = xasprintf("%s: not a regular file", path);
			return NULL;
		}
		if (scan_db_precheck(path, st.st_size, why) != 0)
			return NULL;
	} else if (errno == ENOENT) {
		if (scan_db_mkdirs(path) != 0) {
			*why = xasprintf("%s: %s", path, strerror(errno));
			return NULL;
		}
		flags |= SQLITE_OPEN_CREATE;
	} else {
		*why = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	sd = xcalloc(1, sizeof(*sd));
	sd->path = xstrdup(path);
	sd->busy_ms = busy_ms > 0 ? busy_ms : SCAN_DB_BUSY_MS;
	if (sqlite3_open_v2(path, &sd->db, flags, NULL) != SQLITE_OK) {
		*why = sd->db != NULL ? scan_db_err(sd, "opening")
				      : xasprintf("%s: out of memory", path);
		goto fail;
	}
	sqlite3_extended_result_codes(sd->db, 0);
	sqlite3_busy_timeout(sd->db, sd->busy_ms);
	if (scan_db_recognise(sd, maxver, &ver, why) != 0)
		goto fail;
	/*
	 * WAL: readers (scan-summary, the fleet view) never wait for a
	 * scan's commits; NORMAL sync keeps the file whole after a crash
	 * (a power cut may lose the last batches, never the file).
	 */
	if (scan_db_exec(sd, "PRAGMA journal_mode = WAL", "setting WAL mode",
		why) != 0 ||
	    scan_db_exec(sd, "PRAGMA synchronous = NORMAL", "opening", why) !=
		0 ||
	    scan_db_exec(sd, "PRAGMA foreign_keys = ON", "opening", why) != 0)
		goto fail;
	if (ver < maxver &&
	    scan_db_migrate(sd, steps, nsteps, maxver, why) != 0)
		goto fail;
	if (scan_db_int(sd, "PRAGMA user_version", &ver, why) != 0)
		goto fail;
	sd->last_commit_ms = clock_ms();
	return sd;
fail:
	scan_db_close(sd);
	return NULL;
}

struct scan_db *
scan_db_open(const char *path, int busy_ms, char **why)
{
	return scan_db_open_steps(path, busy_ms, scan_db_steps,
	    sizeof(scan_db_steps) / sizeof(scan_db_steps[0]), why);
}

struct scan_db *
scan_db_open_read(const char *path, int busy_ms, char **why)
{
	struct scan_db *sd;
	struct stat	st;
	long long	ver;
	char	       *wal, *uri;
	size_t		i, n, len;
	int		live;

	if (stat(path, &st) != 0) {
		*why = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = xasprintf("%s: not a regular file", path);
		return NULL;
	}
	if (scan_db_precheck(path, st.st_size, why) != 0)
		return NULL;
	/*
	 * A reader of a WAL file creates its -wal and -shm files.  When there
	 * is no -wal, every commit is in the file (the last writer closed):
	 * read it as immutable, which creates nothing; a writer starting now
	 * writes to its -wal, which this connection does not need.
	 */
	wal = xasprintf("%s-wal", path);
	live = stat(wal, &st) == 0;
	free(wal);
	/* A URI: the characters it gives a meaning to, escaped. */
	len = strlen(path) * 3 + 64;
	uri = xmalloc(len);
	n = (size_t)snprintf(uri, len, "file:");
	for (i = 0; path[i] != '\0'; i++)
		n += (size_t)(strchr("?#%", path[i]) != NULL
			? snprintf(uri + n, len - n, "%%%02X",
			      (unsigned char)path[i])
			: snprintf(uri + n, len - n, "%c", path[i]));
	snprintf(uri + n, len - n, "?mode=ro%s", live ? "" : "&immutable=1");
	sd = xcalloc(1, sizeof(*sd));
	sd->path = xstrdup(path);
	sd->busy_ms = busy_ms > 0 ? busy_ms : SCAN_DB_BUSY_MS;
	if (sqlite3_open_v2(uri, &sd->db,
		SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
		NULL) != SQLITE_OK) {
		*why = sd->db != NULL ? scan_db_err(sd, "opening")
				      : xasprintf("%s: out of memory", path);
		goto fail;
	}
	free(uri);
	uri = NULL;
	sqlite3_extended_result_codes(sd->db, 0);
	sqlite3_busy_timeout(sd->db, sd->busy_ms);
	if (scan_db_recognise(sd, SCAN_DB_VERSION, &ver, why) != 0)
		goto fail;
	if (ver < SCAN_DB_VERSION) {
		*why = xasprintf("%s: %s (schema %lld); a scan with --db "
				 "brings it up to date",
		    path, ver == 0 ? "no scan recorded yet" : "an older schema",
		    ver);
		goto fail;
	}
	return sd;
fail:
	free(uri);
	scan_db_close(sd);
	return NULL;
}

void
scan_db_close(struct scan_db *sd)
{
	size_t i;

	if (sd == NULL)
		return;
	for (i = 0; i < sd->npending; i++)
		scan_db_rec_clear(&sd->pending[i]);
	free(sd->pending);
	sqlite3_close(sd->db);
	free(sd->path);
	free(sd);
}

int
scan_db_version(struct scan_db *sd)
{
	long long v = -1;
	char	 *why = NULL;

	if (scan_db_int(sd, "PRAGMA user_version", &v, &why) != 0)
		free(why);
	return (int)v;
}

char *
scan_db_default_path(void)
{
	const char *x, *home;

	if ((x = getenv("XDG_STATE_HOME")) != NULL && *x == '/')
		return xasprintf("%s/mtasts-tui/%s", x, SCAN_DB_FILE);
	if ((home = getenv("HOME")) == NULL || *home == '\0')
		home = ".";
	return xasprintf("%s/.local/state/mtasts-tui/%s", home, SCAN_DB_FILE);
}

static void
scan_db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

int
scan_db_scan_begin(struct scan_db *sd, const struct scan_db_scan_info *info,
    char **why)
{
	sqlite3_stmt *st;
	int	      rc;

	if (sqlite3_prepare_v2(sd->db,
		"INSERT INTO scans (started_at, tool, options, shard) "
		"VALUES (?, ?, ?, ?)",
		-1, &st, NULL) != SQLITE_OK) {
		*why = scan_db_err(sd, "recording the scan");
		return -1;
	}
	sqlite3_bind_int64(st, 1, (sqlite3_int64)info->started_at);
	scan_db_bind_text(st, 2, info->tool);
	scan_db_bind_text(st, 3, info->options != NULL ? info->options : "{}");
	scan_db_bind_text(st, 4, info->shard);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		*why = scan_db_err(sd, "recording the scan");
		return -1;
	}
	sd->scan_id = sqlite3_last_insert_rowid(sd->db);
	sd->last_commit_ms = clock_ms();
	return 0;
}

static char *
scan_db_strdup_or_null(const json_t *v)
{
	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

/* The soonest not_after of a chain's leaf into obj[host]. */
static void
scan_db_expiry(json_t *obj, const char *host, const json_t *chain)
{
	const json_t *leaf, *old;
	int64_t	      t;

	leaf = json_array_get(json_object_get(chain, "certificates"), 0);
	t = report_json_time_parse(
	    json_string_value(json_object_get(leaf, "not_after")));
	if (t < 0 || host == NULL)
		return;
	old = json_object_get(obj, host);
	if (old == NULL || json_integer_value(old) > t)
		json_object_set_new(obj, host, json_integer(t));
}

static char *
scan_db_join(char *const *v, size_t n, const char *sep)
{
	size_t i, k, len = 1, off = 0, seplen = strlen(sep);
	char  *s;

	for (i = 0; i < n; i++)
		len += strlen(v[i]) + seplen;
	s = xmalloc(len);
	for (i = 0; i < n; i++) {
		if (i > 0) {
			memcpy(s + off, sep, seplen);
			off += seplen;
		}
		k = strlen(v[i]);
		memcpy(s + off, v[i], k);
		off += k;
	}
	s[off] = '\0';
	return s;
}

static int
scan_db_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The MX host names, sorted and space-separated; NULL without an MX set. */
static char *
scan_db_mx(const json_t *mx)
{
	const json_t *hosts = json_object_get(mx, "hosts"), *h;
	char	    **v, *s;
	size_t	      i, n = 0;

	if (json_is_true(json_object_get(mx, "null_mx")))
		return xstrdup(".");
	if (!json_is_array(hosts))
		return NULL;
	v = xcalloc(json_array_size(hosts) + 1, sizeof(*v));
	json_array_foreach(hosts, i, h)
	{
		if (json_is_string(json_object_get(h, "name")))
			v[n++] = (char *)json_string_value(
			    json_object_get(h, "name"));
	}
	qsort(v, n, sizeof(*v), scan_db_cmp_str);
	s = scan_db_join(v, n, " ");
	free(v);
	return s;
}

/* Every certificate's soonest expiry by host, as sorted JSON. */
static char *
scan_db_cert_expiry(const json_t *doc, const char *domain)
{
	const json_t *list, *h, *a;
	json_t	     *obj = json_object();
	char	     *host, *s;
	size_t	      i, k;

	host = xasprintf("mta-sts.%s", domain);
	json_array_foreach(
	    json_object_get(doc_layer_data(doc, "fetch"), "attempts"), i, a)
	{
		scan_db_expiry(obj, host, json_object_get(a, "chain"));
	}
	free(host);
	list = json_object_get(doc_layer_data(doc, "mx_tls"), "hosts");
	json_array_foreach(list, i, h)
	{
		json_array_foreach(json_object_get(h, "addresses"), k, a)
		{
			scan_db_expiry(obj,
			    json_string_value(json_object_get(h, "name")),
			    json_object_get(a, "chain"));
		}
	}
	s = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(obj);
	if (s == NULL)
		return xstrdup("{}");
	host = xstrdup(s);
	free(s);
	return host;
}

/* The fields of one check document; -1 with *why when it is none. */
static int
scan_db_extract_json(const json_t *j, struct scan_db_rec *r, char **why)
{
	struct fleet_row row;
	const char	*cause;
	const json_t	*rec, *pol;

	memset(r, 0, sizeof(*r));
	if (fleet_classify(j, &row, &cause) != 0) {
		*why = xstrdup(cause);
		return -1;
	}
	r->domain = xstrdup(row.domain);
	r->answer = xstrdup(row.answer);
	r->mode = xstrdup(row.mode);
	r->classes =
	    scan_db_join((char *const *)row.classes, row.nclasses, ",");
	r->blockers = scan_db_join(row.blockers, row.nblockers, ",");
	fleet_row_clear(&row);
	r->checked_at = report_json_time_parse(
	    json_string_value(json_object_get(j, "checked_at")));
	if (r->checked_at < 0)
		r->checked_at = (int64_t)time(NULL);
	r->exit_status = json_is_integer(json_object_get(j, "exit_status"))
	    ? (int)json_integer_value(json_object_get(j, "exit_status"))
	    : 3;
	rec = json_object_get(doc_layer_data(j, "dns"), "record");
	if (json_is_true(json_object_get(rec, "valid")))
		r->sts_id = scan_db_strdup_or_null(json_object_get(rec, "id"));
	pol = doc_layer_data(j, "policy");
	r->policy = scan_db_strdup_or_null(json_object_get(pol, "body"));
	r->mx = scan_db_mx(doc_layer_data(j, "mx"));
	r->cert_expiry = scan_db_cert_expiry(j, r->domain);
	return 0;
}

static int
scan_db_extract(const char *doc, size_t len, struct scan_db_rec *r, char **why)
{
	json_error_t jerr;
	json_t	    *j;
	int	     rc;

	memset(r, 0, sizeof(*r));
	if ((j = json_loadb(doc, len, 0, &jerr)) == NULL) {
		*why = xasprintf("not JSON: %s", jerr.text);
		return -1;
	}
	rc = scan_db_extract_json(j, r, why);
	json_decref(j);
	return rc;
}

int
scan_db_scan_continue(struct scan_db *sd, const char *shard, char **why)
{
	sqlite3_stmt *st;
	int	      rc;

	if (sqlite3_prepare_v2(sd->db,
		"SELECT id FROM scans WHERE ended_at IS NULL AND shard IS ? "
		"ORDER BY id DESC LIMIT 1",
		-1, &st, NULL) != SQLITE_OK) {
		*why = scan_db_err(sd, "reading the scans");
		return -1;
	}
	scan_db_bind_text(st, 1, shard);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		sd->scan_id = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		*why = scan_db_err(sd, "reading the scans");
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		sd->last_commit_ms = clock_ms();
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
scan_db_add_json(struct scan_db *sd, const json_t *doc, char **why)
{
	char *text;
	int   rc;

	if ((text = json_dumps(doc, JSON_COMPACT)) == NULL) {
		*why = xstrdup("out of memory");
		return -1;
	}
	rc = scan_db_add(sd, text, strlen(text), why);
	free(text);
	return rc;
}

int
scan_db_add(struct scan_db *sd, const char *doc, size_t len, char **why)
{
	struct scan_db_rec r;
	uLongf		   clen;
	char		  *cause;

	if (sd->scan_id == 0) {
		*why = xstrdup("no scan begun");
		return -1;
	}
	if (len > SCAN_DB_MAX_DOC) {
		*why = xasprintf("a document of %zu bytes (over %u)", len,
		    SCAN_DB_MAX_DOC);
		return -1;
	}
	if (sd->npending >= SCAN_DB_MAX_PENDING) {
		if (scan_db_flush(sd, why) != 0)
			return -1;
	}
	if (scan_db_extract(doc, len, &r, &cause) != 0) {
		*why = xasprintf("not a check document: %s", cause);
		free(cause);
		return -1;
	}
	clen = compressBound((uLong)len);
	r.doc = xmalloc(clen);
	if (compress2(r.doc, &clen, (const Bytef *)doc, (uLong)len, 6) !=
	    Z_OK) {
		scan_db_rec_clear(&r);
		*why = xstrdup("zlib: compress failed");
		return -1;
	}
	r.doc_len = clen;
	r.doc_size = len;
	sd->pending =
	    xreallocarray(sd->pending, sd->npending + 1, sizeof(*sd->pending));
	sd->pending[sd->npending++] = r;
	if (sd->npending >= SCAN_DB_BATCH ||
	    clock_ms() - sd->last_commit_ms >= SCAN_DB_BATCH_MS) {
		/* A busy file is tried again at the next result. */
		if (scan_db_flush(sd, &cause) != 0) {
			if (sd->npending < SCAN_DB_MAX_PENDING) {
				free(cause);
				return 0;
			}
			*why = cause;
			return -1;
		}
	}
	return 0;
}

static int
scan_db_insert(struct scan_db *sd, sqlite3_stmt *st,
    const struct scan_db_rec *r)
{
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, sd->scan_id);
	scan_db_bind_text(st, 2, r->domain);
	sqlite3_bind_int64(st, 3, r->checked_at);
	scan_db_bind_text(st, 4, r->answer);
	scan_db_bind_text(st, 5, r->mode);
	scan_db_bind_text(st, 6, r->sts_id);
	scan_db_bind_text(st, 7, r->policy);
	scan_db_bind_text(st, 8, r->mx);
	scan_db_bind_text(st, 9, r->classes);
	scan_db_bind_text(st, 10, r->blockers);
	scan_db_bind_text(st, 11, r->cert_expiry);
	sqlite3_bind_int(st, 12, r->exit_status);
	sqlite3_bind_int(st, 13, SCAN_DB_DOC_ZLIB);
	sqlite3_bind_int64(st, 14, (sqlite3_int64)r->doc_size);
	sqlite3_bind_blob(st, 15, r->doc, (int)r->doc_len, SQLITE_STATIC);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

int
scan_db_flush(struct scan_db *sd, char **why)
{
	sqlite3_stmt *ins = NULL, *upd = NULL;
	size_t	      i;

	if (sd->npending == 0 || sd->scan_id == 0)
		return 0;
	if (scan_db_exec(sd, "BEGIN IMMEDIATE", "recording results", why) != 0)
		return -1;
	if (sqlite3_prepare_v2(sd->db,
		"INSERT OR REPLACE INTO results (scan_id, domain, "
		"checked_at, answer, mode, sts_id, policy, mx, classes, "
		"blockers, cert_expiry, exit_status, doc_format, doc_size, "
		"doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		-1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(sd->db,
		"UPDATE scans SET checked = (SELECT count(*) FROM results "
		"WHERE scan_id = ?3), errors = (SELECT count(*) FROM results "
		"WHERE scan_id = ?3 AND exit_status >= 2) WHERE id = ?3",
		-1, &upd, NULL) != SQLITE_OK)
		goto fail;
	for (i = 0; i < sd->npending; i++)
		if (scan_db_insert(sd, ins, &sd->pending[i]) != 0)
			goto fail;
	sqlite3_bind_int64(upd, 3, sd->scan_id);
	if (sqlite3_step(upd) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(ins);
	sqlite3_finalize(upd);
	ins = upd = NULL;
	if (scan_db_exec(sd, "COMMIT", "recording results", why) != 0) {
		sqlite3_exec(sd->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	for (i = 0; i < sd->npending; i++)
		scan_db_rec_clear(&sd->pending[i]);
	sd->npending = 0;
	sd->last_commit_ms = clock_ms();
	return 0;
fail:
	*why = scan_db_err(sd, "recording results");
	sqlite3_finalize(ins);
	sqlite3_finalize(upd);
	sqlite3_exec(sd->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int
scan_db_scan_end(struct scan_db *sd, time_t at, char **why)
{
	sqlite3_stmt *st;
	int	      rc;

	if (scan_db_flush(sd, why) != 0)
		return -1;
	if (sqlite3_prepare_v2(sd->db,
		"UPDATE scans SET ended_at = ? WHERE id = ?", -1, &st,
		NULL) != SQLITE_OK) {
		*why = scan_db_err(sd, "ending the scan");
		return -1;
	}
	sqlite3_bind_int64(st, 1, (sqlite3_int64)at);
	sqlite3_bind_int64(st, 2, sd->scan_id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		*why = scan_db_err(sd, "ending the scan");
		return -1;
	}
	return 0;
}

/* Reading. */

#define SCAN_DB_SCAN_COLS                                                \
	"SELECT id, started_at, ended_at, shard, (SELECT count(*) FROM " \
	"results WHERE scan_id = scans.id) FROM scans "

static int
scan_db_scan_row(struct scan_db *sd, sqlite3_stmt *st, struct scan_db_scan *s,
    char **why)
{
	const unsigned char *shard;
	int		     rc = sqlite3_step(st);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		*why = scan_db_err(sd, "reading the scans");
		return -1;
	}
	memset(s, 0, sizeof(*s));
	s->id = sqlite3_column_int64(st, 0);
	s->started_at = (time_t)sqlite3_column_int64(st, 1);
	s->ended_at = (time_t)sqlite3_column_int64(st, 2);
	if ((shard = sqlite3_column_text(st, 3)) != NULL)
		snprintf(s->shard, sizeof(s->shard), "%s", shard);
	s->results = (size_t)sqlite3_column_int64(st, 4);
	return 1;
}

int
scan_db_pick(struct scan_db *sd, time_t since, struct scan_db_scan *from,
    struct scan_db_scan *to, char **why)
{
	sqlite3_stmt *st;
	int	      rc;

	if (sqlite3_prepare_v2(sd->db,
		SCAN_DB_SCAN_COLS "ORDER BY id DESC LIMIT 1", -1, &st,
		NULL) != SQLITE_OK) {
		*why = scan_db_err(sd, "reading the scans");
		return -1;
	}
	rc = scan_db_scan_row(sd, st, to, why);
	sqlite3_finalize(st);
	if (rc <= 0) {
		if (rc == 0)
			*why = xasprintf("%s: no scan recorded yet", sd->path);
		return rc;
	}
	/* A shard is compared with the same shard of an earlier run. */
	if (sqlite3_prepare_v2(sd->db,
		since != 0 ? SCAN_DB_SCAN_COLS
		    "WHERE id < ?1 AND shard IS ?2 AND started_at <= ?3 "
		    "ORDER BY started_at DESC, id DESC LIMIT 1"
			   : SCAN_DB_SCAN_COLS
		    "WHERE id < ?1 AND shard IS ?2 ORDER BY id DESC LIMIT 1",
		-1, &st, NULL) != SQLITE_OK) {
		*why = scan_db_err(sd, "reading the scans");
		return -1;
	}
	sqlite3_bind_int64(st, 1, to->id);
	scan_db_bind_text(st, 2, to->shard[0] != '\0' ? to->shard : NULL);
	if (since != 0)
		sqlite3_bind_int64(st, 3, (sqlite3_int64)since);
	rc = scan_db_scan_row(sd, st, from, why);
	sqlite3_finalize(st);
	if (rc == 0)
		*why = xasprintf("%s: no scan before the newest (%lld)%s",
		    sd->path, (long long)to->id,
		    since != 0 ? " started at or before that time" : "");
	return rc;
}

/* Comparing two results. */

struct scan_db_cmp {
	const struct scan_db_rec *o, *n;
	int			  expiry_days;
	scan_db_change_fn	 *fn;
	void			 *arg;
	long			  count;
};

static void
scan_db_emit(struct scan_db_cmp *cx, const char *kind, const char *subject,
    const char *old, const char *new)
{
	struct scan_db_change c;

	c.domain = cx->n != NULL ? cx->n->domain : cx->o->domain;
	c.kind = kind;
	c.subject = subject;
	c.old = old;
	c.new = new;
	cx->fn(cx->arg, &c);
	cx->count++;
}

static int
scan_db_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static const char *
scan_db_status_name(int status)
{
	static const char *const names[] = { "ok", "warnings", "errors",
		"unknown" };

	return status >= 0 && status <= 3 ? names[status] : "unknown";
}

static void
scan_db_cmp_failure(struct scan_db_cmp *cx, const char *kind)
{
	int was = cx->o->exit_status >= 2, is = cx->n->exit_status >= 2;

	/* new_failure: good then failing; fixed: the other way round. */
	if (was == is || (strcmp(kind, "new_failure") == 0) != is)
		return;
	scan_db_emit(cx, kind, NULL, scan_db_status_name(cx->o->exit_status),
	    scan_db_status_name(cx->n->exit_status));
}

/* The text fields compared as they are, by offset. */
static void
scan_db_cmp_field(struct scan_db_cmp *cx, const char *kind, size_t off)
{
	const char *a = *(char *const *)((const char *)cx->o + off);
	const char *b = *(char *const *)((const char *)cx->n + off);

	const char *subject = NULL;

	/* A new policy under the same id is one senders never fetch. */
	if (off == offsetof(struct scan_db_rec, policy) &&
	    cx->o->sts_id != NULL && scan_db_same(cx->o->sts_id, cx->n->sts_id))
		subject = "id unchanged";
	if (!scan_db_same(a, b))
		scan_db_emit(cx, kind, subject, a, b);
}

/* Whole days from `at` until not_after (negative once expired). */
static long
scan_db_days_left(int64_t not_after, int64_t at)
{
	int64_t d = not_after - at;

	return (long)(d >= 0 ? d / 86400 : -((-d + 86399) / 86400));
}

static void
scan_db_cmp_certs(struct scan_db_cmp *cx)
{
	json_t	   *o, *n, *v, *ov;
	const char *host;
	char	    now[64], was[64];
	long	    left, oleft;

	o = json_loads(cx->o->cert_expiry, 0, NULL);
	n = json_loads(cx->n->cert_expiry, 0, NULL);
	json_object_foreach(n, host, v)
	{
		left =
		    scan_db_days_left(json_integer_value(v), cx->n->checked_at);
		if (left >= cx->expiry_days)
			continue;
		ov = json_object_get(o, host);
		if (ov != NULL) {
			oleft = scan_db_days_left(json_integer_value(ov),
			    cx->o->checked_at);
			if (oleft < cx->expiry_days)
				continue; /* in the window already */
			snprintf(was, sizeof(was), "%ld days", oleft);
		}
		snprintf(now, sizeof(now), "%ld days", left);
		scan_db_emit(cx, "cert_expiring", host, ov != NULL ? was : NULL,
		    now);
	}
	json_decref(o);
	json_decref(n);
}

enum scan_db_how {
	SDB_PRESENCE,
	SDB_FAILURE,
	SDB_FIELD,
	SDB_CERTS
};

/* The kinds of change, in the order they are listed for a domain. */
static const struct scan_db_kind {
	const char	*name;
	enum scan_db_how how;
	size_t		 off; /* SDB_FIELD: the field compared */
} scan_db_kinds[] = {
	{ "added", SDB_PRESENCE, 0 },
	{ "removed", SDB_PRESENCE, 0 },
	{ "new_failure", SDB_FAILURE, 0 },
	{ "fixed", SDB_FAILURE, 0 },
	{ "answer", SDB_FIELD, offsetof(struct scan_db_rec, answer) },
	{ "mode", SDB_FIELD, offsetof(struct scan_db_rec, mode) },
	{ "id", SDB_FIELD, offsetof(struct scan_db_rec, sts_id) },
	{ "policy", SDB_FIELD, offsetof(struct scan_db_rec, policy) },
	{ "mx", SDB_FIELD, offsetof(struct scan_db_rec, mx) },
	{ "cert_expiring", SDB_CERTS, 0 },
	{ "classes", SDB_FIELD, offsetof(struct scan_db_rec, classes) },
};
#define SCAN_DB_NKINDS (sizeof(scan_db_kinds) / sizeof(scan_db_kinds[0]))

const char *const *
scan_db_change_kinds(void)
{
	static const char *names[SCAN_DB_NKINDS + 1];
	size_t		   i;

	for (i = 0; i < SCAN_DB_NKINDS; i++)
		names[i] = scan_db_kinds[i].name;
	names[i] = NULL;
	return names;
}

static void
scan_db_compare(struct scan_db_cmp *cx, int to_ended)
{
	const struct scan_db_kind *k;
	size_t			   i;

	for (i = 0; i < SCAN_DB_NKINDS; i++) {
		k = &scan_db_kinds[i];
		if (k->how == SDB_PRESENCE) {
			if (cx->o == NULL && strcmp(k->name, "added") == 0)
				scan_db_emit(cx, k->name, NULL, NULL,
				    cx->n->answer);
			if (cx->n == NULL && to_ended &&
			    strcmp(k->name, "removed") == 0)
				scan_db_emit(cx, k->name, NULL, cx->o->answer,
				    NULL);
			continue;
		}
		if (cx->o == NULL || cx->n == NULL)
			continue;
		if (k->how == SDB_FAILURE)
			scan_db_cmp_failure(cx, k->name);
		else if (k->how == SDB_FIELD)
			scan_db_cmp_field(cx, k->name, k->off);
		else
			scan_db_cmp_certs(cx);
	}
}

static char *
scan_db_col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

/* The next result of a query over results; 1, 0 at the end, -1. */
static int
scan_db_next_rec(struct scan_db *sd, sqlite3_stmt *st, struct scan_db_rec *r,
    char **why)
{
	int rc = sqlite3_step(st);

	scan_db_rec_clear(r);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		*why = scan_db_err(sd, "reading results");
		return -1;
	}
	r->domain = scan_db_col(st, 0);
	r->checked_at = sqlite3_column_int64(st, 1);
	r->answer = scan_db_col(st, 2);
	r->mode = scan_db_col(st, 3);
	r->sts_id = scan_db_col(st, 4);
	r->policy = scan_db_col(st, 5);
	r->mx = scan_db_col(st, 6);
	r->classes = scan_db_col(st, 7);
	r->blockers = scan_db_col(st, 8);
	r->cert_expiry = scan_db_col(st, 9);
	r->exit_status = sqlite3_column_int(st, 10);
	if (r->domain == NULL || r->answer == NULL || r->mode == NULL ||
	    r->cert_expiry == NULL) {
		*why = xasprintf("%s: a result without its fields", sd->path);
		return -1;
	}
	return 1;
}

static sqlite3_stmt *
scan_db_results(struct scan_db *sd, int64_t scan_id, const char *domain,
    char **why)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(sd->db,
		"SELECT domain, checked_at, answer, mode, sts_id, policy, mx, "
		"classes, blockers, cert_expiry, exit_status FROM results "
		"WHERE scan_id = ?1 AND (?2 IS NULL OR domain = ?2) "
		"ORDER BY domain",
		-1, &st, NULL) != SQLITE_OK) {
		*why = scan_db_err(sd, "reading results");
		return NULL;
	}
	sqlite3_bind_int64(st, 1, scan_id);
	scan_db_bind_text(st, 2, domain);
	return st;
}

/*
 * One side of a comparison, in domain order: a query over a scan's
 * results, or a set built from documents.
 */
struct scan_db_cursor {
	sqlite3_stmt		 *st; /* NULL: the set */
	const struct scan_db_set *set;
	size_t			  i;
	struct scan_db_rec	  row; /* the query's current row */
	const struct scan_db_rec *cur;
};

struct scan_db_set {
	struct scan_db_rec *v;
	size_t		    n;
	size_t		    added; /* ever, for the order */
	int		    sorted;
};

static int
scan_db_cursor_next(struct scan_db *sd, struct scan_db_cursor *c, char **why)
{
	int rc;

	if (c->st == NULL) {
		c->cur = c->i < c->set->n ? &c->set->v[c->i++] : NULL;
		return c->cur != NULL;
	}
	rc = scan_db_next_rec(sd, c->st, &c->row, why);
	c->cur = rc == 1 ? &c->row : NULL;
	return rc;
}

/* Both sides sorted by domain: one merge. */
static long
scan_db_merge(struct scan_db *sd, struct scan_db_cursor *o,
    struct scan_db_cursor *n, const char *domain, int to_ended,
    struct scan_db_cmp *cx, char **why)
{
	int ho, hn, c;

	if ((ho = scan_db_cursor_next(sd, o, why)) < 0 ||
	    (hn = scan_db_cursor_next(sd, n, why)) < 0)
		return -1;
	while (ho || hn) {
		c = !ho ? 1 : !hn ? -1 : strcmp(o->cur->domain, n->cur->domain);
		cx->o = c <= 0 ? o->cur : NULL;
		cx->n = c >= 0 ? n->cur : NULL;
		if (domain == NULL ||
		    strcmp((cx->n != NULL ? cx->n : cx->o)->domain, domain) ==
			0)
			scan_db_compare(cx, to_ended);
		if (c <= 0 && (ho = scan_db_cursor_next(sd, o, why)) < 0)
			return -1;
		if (c >= 0 && (hn = scan_db_cursor_next(sd, n, why)) < 0)
			return -1;
	}
	return cx->count;
}

static void
scan_db_cmp_init(struct scan_db_cmp *cx, int expiry_days, scan_db_change_fn *fn,
    void *arg)
{
	memset(cx, 0, sizeof(*cx));
	cx->expiry_days = expiry_days > 0 ? expiry_days : 14;
	cx->fn = fn;
	cx->arg = arg;
}

long
scan_db_changes(struct scan_db *sd, int64_t from_id, int64_t to_id,
    const char *domain, int expiry_days, scan_db_change_fn *fn, void *arg,
    char **why)
{
	struct scan_db_cmp    cx;
	struct scan_db_cursor o, n;
	sqlite3_stmt	     *se = NULL;
	int		      to_ended = 0;
	long		      rv = -1;

	memset(&o, 0, sizeof(o));
	memset(&n, 0, sizeof(n));
	scan_db_cmp_init(&cx, expiry_days, fn, arg);
	if (sqlite3_prepare_v2(sd->db,
		"SELECT ended_at IS NOT NULL FROM scans WHERE id = ?", -1, &se,
		NULL) != SQLITE_OK) {
		*why = scan_db_err(sd, "reading the scans");
		return -1;
	}
	sqlite3_bind_int64(se, 1, to_id);
	if (sqlite3_step(se) == SQLITE_ROW)
		to_ended = sqlite3_column_int(se, 0);
	sqlite3_finalize(se);
	if ((o.st = scan_db_results(sd, from_id, domain, why)) != NULL &&
	    (n.st = scan_db_results(sd, to_id, domain, why)) != NULL)
		rv = scan_db_merge(sd, &o, &n, domain, to_ended, &cx, why);
	scan_db_rec_clear(&o.row);
	scan_db_rec_clear(&n.row);
	sqlite3_finalize(o.st);
	sqlite3_finalize(n.st);
	return rv;
}

struct scan_db_set *
scan_db_set_new(void)
{
	return xcalloc(1, sizeof(struct scan_db_set));
}

void
scan_db_set_free(struct scan_db_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		scan_db_rec_clear(&set->v[i]);
	free(set->v);
	free(set);
}

int
scan_db_set_add(struct scan_db_set *set, const json_t *doc, char **why)
{
	struct scan_db_rec r;

	if (scan_db_extract_json(doc, &r, why) != 0) {
		scan_db_rec_clear(&r);
		return -1;
	}
	r.seq = set->added++;
	set->v = xreallocarray(set->v, set->n + 1, sizeof(*set->v));
	set->v[set->n++] = r;
	set->sorted = 0;
	return 0;
}

/* By domain, the later of two of one domain first (kept by the dedup). */
static int
scan_db_set_cmp(const void *a, const void *b)
{
	const struct scan_db_rec *x = a, *y = b;
	int			  c = strcmp(x->domain, y->domain);

	return c != 0 ? c : (x->seq < y->seq ? 1 : -1);
}

size_t
scan_db_set_count(struct scan_db_set *set)
{
	size_t i, k;

	if (set->sorted)
		return set->n;
	/* seq breaks ties: the last added sorts first and stays. */
	qsort(set->v, set->n, sizeof(*set->v), scan_db_set_cmp);
	for (i = k = 0; i < set->n; i++) {
		if (k > 0 &&
		    strcmp(set->v[k - 1].domain, set->v[i].domain) == 0) {
			scan_db_rec_clear(&set->v[i]);
			continue;
		}
		if (k != i)
			set->v[k] = set->v[i];
		k++;
	}
	set->n = k;
	set->sorted = 1;
	return set->n;
}

long
scan_db_changes_set(struct scan_db *sd, int64_t from_id,
    struct scan_db_set *set, const char *domain, int expiry_days,
    scan_db_change_fn *fn, void *arg, char **why)
{
	struct scan_db_cmp    cx;
	struct scan_db_cursor o, n;
	long		      rv = -1;

	memset(&o, 0, sizeof(o));
	memset(&n, 0, sizeof(n));
	scan_db_cmp_init(&cx, expiry_days, fn, arg);
	scan_db_set_count(set);
	n.set = set;
	if ((o.st = scan_db_results(sd, from_id, domain, why)) != NULL)
		rv = scan_db_merge(sd, &o, &n, domain, 1, &cx, why);
	scan_db_rec_clear(&o.row);
	sqlite3_finalize(o.st);
	return rv;
}

int
scan_db_find(struct scan_db *sd, time_t at_or_before, struct scan_db_scan *s,
    char **why)
{
	sqlite3_stmt *st;
	int	      rc;

	if (sqlite3_prepare_v2(sd->db,
		SCAN_DB_SCAN_COLS "WHERE ?1 = 0 OR started_at <= ?1 "
				  "ORDER BY started_at DESC, id DESC LIMIT 1",
		-1, &st, NULL) != SQLITE_OK) {
		*why = scan_db_err(sd, "reading the scans");
		return -1;
	}
	sqlite3_bind_int64(st, 1, (sqlite3_int64)at_or_before);
	rc = scan_db_scan_row(sd, st, s, why);
	sqlite3_finalize(st);
	if (rc == 0)
		*why = xasprintf("%s: no scan recorded%s", sd->path,
		    at_or_before != 0 ? " at or before that time" : " yet");
	return rc;
}
