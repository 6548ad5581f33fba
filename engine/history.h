/*
 * history: what this machine saw of a domain on earlier runs, kept as a
 * sender keeps its policy cache: the TXT id and the SHA-256 of the policy
 * body, per domain, under $XDG_CACHE_HOME/mtasts-tui/history/ (or
 * ~/.cache/...).  It lets a single run tell that the policy changed while
 * the id did not (TXT-8, FETCH-15).
 *
 * The file is small, line-based and versioned; a corrupt one is reported
 * and replaced, never fatal.  Writes are atomic (temporary file + rename).
 */
#ifndef MTASTS_HISTORY_H
#define MTASTS_HISTORY_H

#include <stddef.h>
#include <time.h>

struct finding_list;

/* Read-only for callers; free with history_result_free(). */
struct history_result {
	char  *path;	     /* the file used, or NULL if none */
	int    had_previous; /* an earlier run was on record */
	char  *prev_id;
	char  *prev_sha256;
	time_t prev_seen;
	char  *id;	/* this run's, or NULL */
	char  *sha256;	/* this run's policy body hash, or NULL */
	int    written; /* this run was recorded */
	char  *error;	/* why reading or writing failed */
};

/*
 * Compares this run (id and body may be NULL when absent) with the record
 * and writes the new one when both are present.  dir NULL means the
 * default directory.  Never returns NULL.
 */
struct history_result *history_update(const char *dir, const char *domain,
    const char *id, const char *body, size_t bodylen, time_t now,
    struct finding_list *fl);
void		       history_result_free(struct history_result *);

#endif
