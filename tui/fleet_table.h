/*
 * fleet_table: the fleet view's rows, without curses.  One row per domain,
 * made by the classification scan-summary uses (engine/fleet.h), so the
 * table and the summary agree; a later document of the same domain
 * replaces the row (the last one wins, as scan-summary counts shards).
 *
 * A row keeps only what the table shows and where its document is (a
 * source index, a byte offset and a length) to read it again for Enter:
 * never the document, so 10,000 rows and more cost a few MB.
 *
 * The rows shown are an index array kept in the chosen order under the
 * filter; ftable_refresh() rebuilds it (filter O(n), sort O(n log n)) only
 * when rows, order or filter changed.  Not thread-safe: the UI thread.
 */
#ifndef MTASTS_TUI_FLEET_TABLE_H
#define MTASTS_TUI_FLEET_TABLE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"

#define FTABLE_NO_EXPIRY INT32_MIN
#define FTABLE_NO_STATUS 0xff

struct ftable_row {
	char	     *domain;	/* lower-case A-label */
	char	     *blockers; /* codes joined by ", "; NULL: none */
	const char   *answer;	/* static names (fleet.h) */
	const char   *mode;
	uint32_t      classes;	  /* bit i: fleet_class_names()[i] */
	int32_t	      expiry;	  /* soonest days left, or FTABLE_NO_EXPIRY */
	int32_t	      elapsed_ms; /* -1: unknown */
	int32_t	      nmx;	  /* MX hosts; -1: none listed */
	uint16_t      nblockers;
	uint8_t	      answer_i; /* index in fleet_answer_names() */
	uint8_t	      mode_i;
	uint8_t	      status[CHECK_LAYER__COUNT]; /* enum check_status */
	uint16_t      changes; /* bit k: ftable_change_name(k) */
	unsigned      src;     /* the caller's source index */
	long long     off;     /* of the document in it */
	size_t	      len;
	unsigned long seq;
};

/* What a column sorts by. */
enum ftable_key {
	FTABLE_DOMAIN,
	FTABLE_ANSWER,
	FTABLE_MODE,
	FTABLE_LAYER, /* with a layer */
	FTABLE_BLOCKERS,
	FTABLE_EXPIRY,
	FTABLE_CLASSES,
	FTABLE_ELAPSED,
	FTABLE_MX,
	FTABLE_CHANGE
};

struct ftable;

struct ftable *ftable_new(void);
void	       ftable_free(struct ftable *);
/*
 * Adds the row of one check document (borrowed) found in source src at
 * off, len bytes.  Returns 0, or -1 with *cause (static) when doc is no
 * check document.
 */
int ftable_add(struct ftable *, const json_t *doc, unsigned src, long long off,
    size_t len, const char **cause);

/* Bit l: some row has a status for layer l (optional ones may not). */
unsigned ftable_layers_seen(const struct ftable *);

/* Order: by key (and layer for FTABLE_LAYER), then by domain. */
void ftable_sort(struct ftable *, enum ftable_key, enum check_layer,
    int reverse);
/*
 * Filter: words separated by blanks, all of which a row must match:
 * answer:NAME, mode:NAME, class:NAME (exact), change:KIND (a change of
 * that kind, short or long name, or "any"), blocker:TEXT (in a blocker
 * code), or TEXT (in the domain), case-insensitive.  "" shows every row.
 * Returns 0, or -1 with *why (caller frees) and the filter unchanged.
 */
int	    ftable_filter(struct ftable *, const char *spec, char **why);
const char *ftable_filter_text(const struct ftable *);
/* Sets or clears (NULL) the answer:, class: or change: word of the filter. */
void	    ftable_filter_change(struct ftable *, const char *kind);
const char *ftable_filtered_change(const struct ftable *);
/* Sets or clears (NULL) the answer: or class: word of the filter. */
void ftable_filter_answer(struct ftable *, const char *answer);
void ftable_filter_class(struct ftable *, const char *cls);
/* The filter's answer and class words, or NULL. */
const char *ftable_filtered_answer(const struct ftable *);
const char *ftable_filtered_class(const struct ftable *);

/*
 * Rebuilds the rows shown if anything changed; returns 1 when it did.
 * *us (may be NULL) gets the microseconds it took.
 */
int			 ftable_refresh(struct ftable *, uint64_t *us);
size_t			 ftable_total(const struct ftable *);
size_t			 ftable_shown(const struct ftable *);
const struct ftable_row *ftable_shown_at(const struct ftable *, size_t);
/* Position of the domain among the rows shown, or -1. */
long ftable_find_shown(const struct ftable *, const char *domain);
/* Rows with answer index i (fleet_answer_names()), all rows counted. */
size_t ftable_answer_count(const struct ftable *, size_t i);

/*
 * What changed since a previous scan, as scan_db_changes() says it
 * (engine/scan_db.h; the comparison is done there, never here): kind k is
 * scan_db_change_kinds()[k], shown by its short name ("new-fail", "cert").
 */
#define FTABLE_CHANGE_MAX 16
/* The short name of kind k, or NULL past the last. */
const char *ftable_change_name(size_t k);
/* The index of kind (its long or short name, any case), or -1. */
int ftable_change_find(const char *kind);
/* Kind k's scan_db name. */
const char *ftable_change_kind(size_t k);
/*
 * One change of domain: marks its row and counts it (a domain without a
 * row, one removed, is counted only).  1 when a row has it, 0 when not,
 * -1 for a kind that is not known.
 */
int ftable_change_add(struct ftable *, const char *domain, const char *kind);
/* Forgets every change (before a comparison is made again). */
void ftable_changes_clear(struct ftable *);
/* Changes of kind k, and of every kind, as counted by ftable_change_add(). */
size_t ftable_change_count(const struct ftable *, size_t k);
size_t ftable_change_total(const struct ftable *);
/* The short names of row's changes joined by ",", cut to len. */
void ftable_change_text(const struct ftable_row *, char *buf, size_t len);

#endif
