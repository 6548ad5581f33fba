/*
 * check_diff: what changed between two `check --json` documents (two runs
 * of `check --watch`, or of the TUI's watch; later a stored scan and a new
 * one).  The documents are read as hostile input: every member is looked
 * up with its type checked, every array walk and the number of changes are
 * capped, and every string kept is sanitised for a terminal and cut
 * (utf8.h), so a change can be printed as it is.
 *
 * What is compared (one table in check_diff.c): the _mta-sts id, the
 * policy body (mode, max_age, mx lines), the MX set, the addresses of the
 * MX hosts and of the policy host, the leaf certificate per host and
 * address (fingerprint, expiry, verification verdict), findings added or
 * gone (by code and subject), each layer's status and the verdict's
 * answers.
 *
 * A struct check_diff owns its changes and their strings.  Pure: no
 * network, no globals; one thread per diff.
 */
#ifndef MTASTS_CHECK_DIFF_H
#define MTASTS_CHECK_DIFF_H

#include <jansson.h>
#include <stddef.h>

enum check_diff_kind {
	CHECK_DIFF_ID,	    /* the _mta-sts record's id */
	CHECK_DIFF_POLICY,  /* mode, max_age, an mx line */
	CHECK_DIFF_MX,	    /* an MX record (preference and host) */
	CHECK_DIFF_ADDRESS, /* an address of an MX host or the policy host */
	CHECK_DIFF_CERTIFICATE,	  /* the leaf served at a host and address */
	CHECK_DIFF_FINDING_ADDED, /* a finding (code and subject) is new */
	CHECK_DIFF_FINDING_GONE,  /* a finding is no longer reported */
	CHECK_DIFF_LAYER,	  /* a layer's status */
	CHECK_DIFF_VERDICT	  /* one of the verdict's answers */
};

struct check_diff_change {
	enum check_diff_kind kind;
	char		    *layer;   /* the layer (JSON id) showing it */
	char		    *subject; /* the record, host, "host address", or
					 finding code and subject */
	char		    *old;     /* NULL: absent in the older document */
	char *new;		      /* NULL: absent in the newer one */
};

/* Bounds (also what a hostile document can cost). */
#define CHECK_DIFF_MAX_ITEMS   2048 /* values read per aspect and document */
#define CHECK_DIFF_MAX_CHANGES 1000 /* changes kept; the rest counted cut */
#define CHECK_DIFF_MAX_STR     200  /* bytes of a value kept, then "..." */

struct check_diff;

/*
 * Compares two check documents; old or new may be NULL or no object (then
 * everything the other holds is added or gone).  Never NULL; free with
 * check_diff_free().
 */
struct check_diff *check_diff_new(const json_t *old, const json_t *new);
void		   check_diff_free(struct check_diff *);
size_t		   check_diff_count(const struct check_diff *);
const struct check_diff_change *check_diff_at(const struct check_diff *,
    size_t);
/* 1 when changes past CHECK_DIFF_MAX_CHANGES were left out. */
int check_diff_truncated(const struct check_diff *);

/* "id", "policy", "mx", "address", "certificate", "finding_added", ... */
const char *check_diff_kind_name(enum check_diff_kind);
/*
 * One line for a person (caller frees): "KIND SUBJECT: OLD -> NEW", with
 * "+ NEW" for something new and "- OLD" for something gone.
 */
char *check_diff_line(const struct check_diff_change *);
/*
 * [{kind, layer, subject, old, new}, ...] (old/new null when absent); a
 * new reference.
 */
json_t *check_diff_json(const struct check_diff *);

#endif
