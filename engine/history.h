/*
 * history: what this machine saw of a domain on earlier runs, kept as a
 * sender keeps its policy cache: the TXT id and the SHA-256 of the policy
 * body, per domain, under $XDG_CACHE_HOME/mtasts-tui/history/ (or
 * ~/.cache/...).  It lets a single run tell that the policy changed while
 * the id did not (TXT-8, FETCH-15).  It also keeps the MX host names seen,
 * each with the time it was last seen (at most HISTORY_MAX_MX, the oldest
 * dropped), so that an mx pattern left over from an MX change can be told
 * from a typo (mx_lookup_stale()).  And it keeps the latest moment a
 * sender that fetched any policy this machine saw may still hold it (the
 * longest fetch time + max_age), so that a change plan waits out an old,
 * longer max_age even after the served one was shortened.
 *
 * The file is small, line-based and versioned; a corrupt one is reported
 * and replaced, never fatal.  Writes are atomic (temporary file + rename).
 */
#ifndef MTASTS_HISTORY_H
#define MTASTS_HISTORY_H

#include <stddef.h>
#include <time.h>

struct finding_list;

#define HISTORY_MAX_MX 64

/* One MX host name on record. */
struct history_mx {
	char  *name;
	time_t last_seen;
};

/* Read-only for callers; free with history_result_free(). */
struct history_result {
	char		  *path;	 /* the file used, or NULL if none */
	int		   had_previous; /* an earlier run was on record */
	char		  *prev_id;
	char		  *prev_sha256;
	time_t		   prev_seen;
	struct history_mx *prev_mx; /* on record before this run, latest
				       first; none in a version 1 file */
	size_t		   nprev_mx;
	/* Senders may hold a policy seen before this run until this time
	   (0: none on record), and its max_age. */
	time_t		   prev_hold_until;
	long long	   prev_hold_max_age;
	struct history_mx *mx; /* the record now: this run's hosts merged in */
	size_t		   nmx;
	char		  *id;	   /* this run's, or NULL */
	char		  *sha256; /* this run's policy body hash, or NULL */
	time_t	  hold_until;	   /* the record now: this run's merged in */
	long long hold_max_age;
	int	  written; /* this run was recorded */
	char	 *error;   /* why reading or writing failed */
};

/*
 * Compares this run (id and body may be NULL when absent) with the record
 * and writes the new one when both are present, with the nmx MX host
 * names of this run (may be 0: the hosts on record are kept) and the
 * served policy's max_age (-1: none).  dir NULL means the default
 * directory.  Never returns NULL.
 */
struct history_result *history_update(const char *dir, const char *domain,
    const char *id, const char *body, size_t bodylen, const char *const *mx,
    size_t nmx, long long max_age, time_t now, struct finding_list *fl);
void		       history_result_free(struct history_result *);

#endif
