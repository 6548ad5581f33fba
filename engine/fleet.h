/*
 * fleet: many domains' check documents (`check --json`, as `scan` writes
 * them) turned into one row each and counted: the delivery answer, the
 * mode, the promotion blockers and the misconfiguration classes of
 * doc/scale.md.  The classes come from one table in fleet.c (finding code
 * or predicate -> class).
 *
 * A struct fleet owns its rows and every string in them; the tallies
 * borrow the rows' domain strings and are valid until the next
 * fleet_add() or fleet_free().  Not thread-safe: one thread per fleet.
 */
#ifndef MTASTS_FLEET_H
#define MTASTS_FLEET_H

#include <jansson.h>
#include <stddef.h>

/* One domain, as the fleet table sees it. */
struct fleet_row {
	char	     *domain;	/* lower-case A-label */
	const char   *answer;	/* all/some/none/no_mail/unknown/failed */
	const char   *mode;	/* enforce/testing/none/no_policy */
	char	    **blockers; /* promotion blocker codes, sorted */
	size_t	      nblockers;
	const char  **classes; /* static class names, sorted */
	size_t	      nclasses;
	int	      has_expiry;  /* a certificate was seen */
	long	      expiry_days; /* soonest days_left, policy host and MX */
	unsigned long seq;	   /* order of arrival (later wins) */
	char	     *where;	   /* where it came from, for notes */
};

/* The four dimensions counted. */
enum fleet_dim {
	FLEET_ANSWER,
	FLEET_MODE,
	FLEET_BLOCKER,
	FLEET_CLASS
};
#define FLEET_NDIM 4

/* One value of a dimension and the domains behind it (sorted). */
struct fleet_tally {
	const char  *key;
	const char **domains; /* borrowed from the rows */
	size_t	     n;
};

/*
 * Classifies one check document into *row (which the caller clears with
 * fleet_row_clear()).  Returns 0, or -1 with *cause (static text) when
 * doc is no check document (no "domain" string).
 */
int  fleet_classify(const json_t *doc, struct fleet_row *row,
     const char **cause);
void fleet_row_clear(struct fleet_row *);

/*
 * What the fleet table shows beside the classification, read from the
 * same document: the status string of the layer with this JSON id
 * ("pass", "warn", "fail", "skip", ...; NULL when absent), the MX hosts
 * listed by the mx layer (-1 when none are listed) and the check's
 * elapsed_ms (-1 when absent).
 */
const char *fleet_layer_status(const json_t *doc, const char *id);
long	    fleet_mx_count(const json_t *doc);
long	    fleet_elapsed_ms(const json_t *doc);

/* The answers and modes in their fixed order (the tallies'); NULL-ended. */
const char *const *fleet_answer_names(void);
const char *const *fleet_mode_names(void);

/* Every class name the table can give, in the table's order; NULL-ended. */
const char *const *fleet_class_names(void);

/* Notes (a dropped duplicate) go to note(arg, text); note may be NULL. */
typedef void fleet_note_fn(void *arg, const char *text);

struct fleet *fleet_new(fleet_note_fn *note, void *arg);
void	      fleet_free(struct fleet *);
/* Adds doc (borrowed); where (e.g. "file:line") names it in notes. */
int fleet_add(struct fleet *, const json_t *doc, const char *where);

/*
 * Rows sorted by domain, one per domain: the last added wins, and each
 * dropped earlier document is noted.  Call after the last fleet_add().
 */
size_t			fleet_count(struct fleet *);
const struct fleet_row *fleet_row_at(struct fleet *, size_t);

/*
 * The tallies of one dimension: answers and modes in their fixed order
 * (zero counts included), classes in fleet_class_names() order (zero
 * counts included), blockers by count, most first.
 */
size_t			  fleet_tally_count(struct fleet *, enum fleet_dim);
const struct fleet_tally *fleet_tally_at(struct fleet *, enum fleet_dim,
    size_t);
const char		 *fleet_dim_name(enum fleet_dim);

#endif
