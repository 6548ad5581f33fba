/*
 * txt_record: what the _mta-sts and _smtp._tls records have in common.
 * Both are chosen from a TXT RRset by a case-sensitive version prefix
 * ("v=STSv1;", "v=TLSRPTv1;"), and a record that misses it deserves the
 * same explanation.  Used by sts_record and tlsrpt_record.
 */
#ifndef MTASTS_TXT_RECORD_H
#define MTASTS_TXT_RECORD_H

#include <stddef.h>

#include "finding.h"

/* One <character-string> of a TXT RR: 0 to 255 bytes, any values. */
struct txt_string {
	const unsigned char *data;
	size_t		     len;
};

/* One TXT RR: its character-strings in wire order. */
struct txt_rr {
	const struct txt_string *strings;
	size_t			 nstrings;
};

enum txt_record_kind {
	TXT_RECORD_OTHER = 0, /* unrelated: discarded quietly */
	TXT_RECORD_NEAR,      /* looks like a broken record of this kind */
	TXT_RECORD_CANDIDATE, /* starts with exactly VERSION ";" */
	TXT_RECORD_SPACED     /* VERSION " ;" (erratum 6285) */
};

/* version is the field without ";", e.g. "v=STSv1". */
enum txt_record_kind txt_record_classify(const char *s, size_t len,
    const char *version);
/*
 * Adds one finding (code) explaining why s does not begin with version;
 * what names the kind of record for the last case (e.g. "a TLS-RPT
 * record"), or NULL.
 */
void txt_record_bad_start(const char *s, size_t len, const char *version,
    const char *what, enum finding_code code, const char *subject,
    struct finding_list *fl);
/*
 * Joins the strings of one RR with nothing in between (TXT-4).  Returns a
 * NUL-terminated copy the caller frees; *len (if not NULL) is its length.
 * The data may hold NUL bytes, so use *len rather than strlen().
 */
char *txt_record_join(const struct txt_rr *, size_t *len);

/*
 * An RRset joined and sorted out by version prefix (TXT-5, RPT-2):
 * txt_selection_init(), then the caller judges ncand, then
 * txt_selection_discarded() reports the rest; txt_selection_free().
 */
struct txt_selection {
	char		    **joined;
	size_t		     *len;
	enum txt_record_kind *kind;
	size_t		      n;
	size_t		      chosen; /* the first candidate, else 0 */
	size_t		      ncand;  /* CANDIDATE or SPACED (erratum 6285) */
	size_t		      nspaced;
};

void txt_selection_init(struct txt_selection *, const struct txt_rr *, size_t,
    const char *version);
/* One record to parse: one candidate, or one lone RR (TXT-6). */
int txt_selection_single(const struct txt_selection *);
/* The candidates quoted, "'a', 'b'" (caller frees). */
char *txt_selection_candidates(const struct txt_selection *);
/*
 * Findings for the RRs that are not candidates: a near miss is near_error
 * when no candidate is left (it was probably meant), else other, like the
 * unrelated ones; at most max_shown unrelated ones are listed.  who is
 * "senders" or "reporters".
 */
void txt_selection_discarded(const struct txt_selection *, const char *version,
    const char *what, const char *who, enum finding_code near_error,
    enum finding_code other, size_t max_shown, const char *subject,
    struct finding_list *fl);
void txt_selection_free(struct txt_selection *);

/*
 * One kind of version-tagged TXT record (the _mta-sts one, the _smtp._tls
 * one): what differs between them, as data and callbacks, so that the
 * steps of selecting one record from an RRset (TXT-5, TXT-6, RPT-2) are
 * written once, in txt_record_select().
 */
struct txt_record_kind_ops {
	const char	 *version;	 /* "v=STSv1" */
	const char	 *default_owner; /* in messages when subject is NULL */
	const char	 *consequence; /* of no record: "senders do not ..." */
	const char	 *near_what;   /* txt_selection_discarded()'s what */
	const char	 *who;	       /* "senders", "reporters" */
	enum finding_code missing, near_error, other;
	size_t		  max_shown;
	/* The record parsed from one string; the record for "none". */
	void *(*parse)(const char *, size_t, const char *subject,
	    struct finding_list *);
	void *(*none)(void);
	/* The record and its finding when several candidates are left. */
	void *(*multiple)(const struct txt_selection *, const char *subject,
	    struct finding_list *);
	/* Optional: sets the fix of a "missing" finding. */
	void (*fix_missing)(struct finding *, const char *subject);
	/* Stores the RRset's counts in the record. */
	void (*counts)(void *record, size_t nrrs, size_t ncandidates);
};

/*
 * Selects and parses the record of kind k from the RRset (nrrs may be 0);
 * findings go to fl.  Returns the kind's record, never NULL; the caller
 * frees it with the kind's own free function.
 */
void *txt_record_select(const struct txt_record_kind_ops *k,
    const struct txt_rr *rrs, size_t nrrs, const char *subject,
    struct finding_list *fl);

/* "byte 0x.. (not US-ASCII)", "control byte 0x..", "'c'" (caller frees). */
char *txt_record_describe_byte(unsigned char c);

#endif
