/*
 * scan_db: the history of scans in one SQLite file (doc/decisions.md,
 * "Scan history in SQLite"): a row per scan and a row per domain checked,
 * with the fields a comparison needs and the compact `check --json`
 * document, zlib-compressed.
 *
 * Opening never loses what is stored: an existing file is never created
 * again, truncated or rewritten before it has been recognised as ours at a
 * version this build knows (PRAGMA application_id and user_version); a
 * file that is no database, is shorter than its header says, belongs to
 * something else or was made by a newer version is refused with a clear
 * message.  Migrations are the table of steps in scan_db.c, each run in
 * one transaction with its user_version.
 *
 * Writes are buffered and committed SCAN_DB_BATCH results (or
 * SCAN_DB_BATCH_MS) at a time, each batch one short transaction, so a
 * killed scan keeps every committed batch and its scan row has no end
 * time; other writers (shards of one scan) wait up to the busy timeout.
 *
 * A struct scan_db is one connection: one thread at a time.
 */
#ifndef MTASTS_SCAN_DB_H
#define MTASTS_SCAN_DB_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#define SCAN_DB_VERSION	 1    /* schema this build writes */
#define SCAN_DB_BUSY_MS	 5000 /* wait for another writer's lock */
#define SCAN_DB_BATCH	 100  /* results per transaction */
#define SCAN_DB_BATCH_MS 1000 /* or this long since the last commit */
#define SCAN_DB_MAX_DOC	 (16u * 1024 * 1024) /* a stored document */
#define SCAN_DB_FILE	 "scans.db"	     /* in the state directory */

struct scan_db;

/* One migration: the SQL that takes the schema from version - 1 to version. */
struct scan_db_step {
	int	    version;
	const char *sql;
};

/*
 * Opens path, creating it (and its directory) when it does not exist,
 * and migrates it to SCAN_DB_VERSION.  busy_ms 0: SCAN_DB_BUSY_MS.
 * Returns NULL with *why set (caller frees) on any refusal.
 */
struct scan_db *scan_db_open(const char *path, int busy_ms, char **why);
/* The same with another step table (tests: a later version's migration). */
struct scan_db *scan_db_open_steps(const char *path, int busy_ms,
    const struct scan_db_step *steps, size_t nsteps, char **why);
/*
 * Opens an existing file for reading only (the fleet view): never creates,
 * migrates or writes it, nor creates its -wal/-shm files; a file at an
 * older schema is refused (a scan migrates it).  NULL with *why.
 */
struct scan_db *scan_db_open_read(const char *path, int busy_ms, char **why);
/* Does not commit a pending batch: call scan_db_scan_end() first. */
void scan_db_close(struct scan_db *);
int  scan_db_version(struct scan_db *);
/* $XDG_STATE_HOME/mtasts-tui/scans.db or ~/.local/state/...  Caller frees. */
char *scan_db_default_path(void);

/* Writing one scan. */
struct scan_db_scan_info {
	time_t	    started_at;
	const char *tool;
	const char *options; /* JSON text */
	const char *shard;   /* "K/N" or NULL */
};
/* Inserts the scan row (committed at once).  0, or -1 with *why. */
int scan_db_scan_begin(struct scan_db *, const struct scan_db_scan_info *,
    char **why);
/*
 * Adds one check document (compact `check --json`) to the scan begun;
 * commits when a batch is full or old.  0, or -1 with *why: the rows of
 * the batch stay buffered and the next call tries again.
 */
int scan_db_add(struct scan_db *, const char *doc, size_t len, char **why);
/* The same from a parsed document (borrowed). */
int scan_db_add_json(struct scan_db *, const json_t *doc, char **why);
/*
 * Instead of scan_db_scan_begin() for a resumed scan: goes on with the
 * newest scan of this shard (NULL: none) that did not end.  1 when there
 * is one, 0 when not (begin a new one), -1 with *why.
 */
int scan_db_scan_continue(struct scan_db *, const char *shard, char **why);
/* Commits what is buffered.  0, or -1 with *why. */
int scan_db_flush(struct scan_db *, char **why);
/* Commits what is buffered and marks the scan ended at `at`. */
int scan_db_scan_end(struct scan_db *, time_t at, char **why);

/* A scan as stored. */
struct scan_db_scan {
	int64_t id;
	time_t	started_at;
	time_t	ended_at; /* 0: did not end (killed or interrupted) */
	char	shard[32];
	size_t	results;
};

/*
 * The scans to compare: *to is the newest scan; *from the one before it,
 * or, when since is not 0, the newest scan started at or before since.
 * Returns 1 with both set, 0 when there is no such pair (*why says which
 * is missing), -1 with *why on an error.
 */
int scan_db_pick(struct scan_db *, time_t since, struct scan_db_scan *from,
    struct scan_db_scan *to, char **why);

/*
 * One change of one domain between two results, the kinds in the order
 * of the table in scan_db.c: added, removed, new_failure, fixed, answer,
 * mode, id, policy, mx, cert_expiring, classes.  subject is the host of
 * cert_expiring, "id unchanged" for a policy changed under the same
 * _mta-sts id (senders keep their cached one), else NULL; old and new are
 * NULL where there is none.
 * Everything is borrowed for the call only.
 */
struct scan_db_change {
	const char *domain;
	const char *kind;
	const char *subject;
	const char *old;
	const char *new;
};
typedef void scan_db_change_fn(void *arg, const struct scan_db_change *);

/*
 * What changed between scan from_id and scan to_id, for one domain or
 * (domain NULL) all, in domain order.  A certificate enters the expiry
 * window when it has fewer than expiry_days days left (0: 14) at its
 * check and had not at the earlier one.  "removed" is not said when the
 * later scan did not end (its absence is no news).  This is what
 * `scan-summary --db` prints and what the fleet view can mark per row.
 * Returns the number of changes, or -1 with *why.
 */
long scan_db_changes(struct scan_db *, int64_t from_id, int64_t to_id,
    const char *domain, int expiry_days, scan_db_change_fn *fn, void *arg,
    char **why);

/*
 * The newer side from documents rather than a scan (`scan-summary --since
 * DATE FILE...`): a set of check documents, the last of a domain kept.
 */
struct scan_db_set *scan_db_set_new(void);
void		    scan_db_set_free(struct scan_db_set *);
/* Borrows doc for the call.  0, or -1 with *why (not a check document). */
int scan_db_set_add(struct scan_db_set *, const json_t *doc, char **why);
/* Domains in the set (sorts it and drops earlier duplicates). */
size_t scan_db_set_count(struct scan_db_set *);
/* As scan_db_changes(), scan from_id against the set, taken as whole. */
long scan_db_changes_set(struct scan_db *, int64_t from_id,
    struct scan_db_set *set, const char *domain, int expiry_days,
    scan_db_change_fn *fn, void *arg, char **why);
/*
 * The newest scan (any shard) started at or before at_or_before (0: the
 * newest of all).  1 with *s, 0 when there is none (*why), -1 on error.
 */
int scan_db_find(struct scan_db *, time_t at_or_before, struct scan_db_scan *s,
    char **why);

/* Every kind name, in order; NULL-ended. */
const char *const *scan_db_change_kinds(void);

#endif
