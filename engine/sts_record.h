/*
 * sts_record: selects and parses the _mta-sts TXT record (RFC 8461 section
 * 3.1; rules TXT-3 to TXT-9).
 *
 * Call order: the DNS layer collects the TXT RRset at _mta-sts.DOMAIN as an
 * array of struct txt_rr (each a list of character-strings with explicit
 * lengths; any byte may occur) and calls sts_record_select(), which joins
 * each RR's strings (TXT-4), keeps the RRs starting with "v=STSv1;" (TXT-5),
 * and parses the one left with sts_record_parse() (TXT-6, TXT-7).  Findings
 * go to the caller's list.  The input is only borrowed during the call; the
 * returned struct sts_record owns copies of everything, is read-only for
 * callers, and is freed with sts_record_free().
 *
 * struct txt_rr and the selection itself live in txt_record.h, shared with
 * tlsrpt_record, which selects its record the same way.
 */
#ifndef MTASTS_STS_RECORD_H
#define MTASTS_STS_RECORD_H

#include <stddef.h>
#include <time.h>

#include "txt_record.h"

struct finding_list;

/* Fields of a record beyond this many are counted, not kept. */
#define STS_RECORD_MAX_FIELDS 64

struct sts_field {
	char  *name; /* NUL-terminated, as in the record */
	char  *value;
	size_t offset;	  /* 0-based byte offset of the name */
	int    duplicate; /* a repeat: ignored, the first wins (TXT-9) */
	int    known;	  /* "id" (the only field besides v) */
};

enum sts_record_status {
	STS_RECORD_NONE = 0, /* no RR is a candidate: not deployed */
	STS_RECORD_MULTIPLE, /* two or more candidates: no policy */
	STS_RECORD_ONE	     /* one candidate (or one lone RR), parsed */
};

/* Read-only for callers. */
struct sts_record {
	enum sts_record_status status;
	size_t		       nrrs;	    /* RRs in the RRset */
	size_t		       ncandidates; /* RRs taken as v=STSv1 */
	/* The selected record (status ONE), joined; NULL otherwise. */
	char  *raw;	    /* NUL-terminated copy */
	size_t rawlen;	    /* may hold NUL bytes */
	int    valid;	    /* 1: senders use it */
	int    first_valid; /* MULTIPLE: the first candidate is valid, so
				   senders that take the first apply it */
	int    space_before_semicolon;	 /* erratum 6285 */
	char  *id;			 /* if valid, else NULL */
	struct sts_field *fields;	 /* after v=, in record order */
	size_t		  nfields;	 /* kept (<= MAX_FIELDS) */
	size_t		  nfields_total; /* seen */
};

/*
 * Selects and parses the record from the RRset (nrrs may be 0).  subject
 * names the owner in findings (e.g. "_mta-sts.example.com").  Never
 * returns NULL.
 */
struct sts_record *sts_record_select(const struct txt_rr *rrs, size_t nrrs,
    const char *subject, struct finding_list *fl);

/*
 * Parses one record (already joined) by the strict grammar.  Returns a
 * record with status ONE; valid says whether senders would use it.
 */
struct sts_record *sts_record_parse(const char *rec, size_t len,
    const char *subject, struct finding_list *fl);

void sts_record_free(struct sts_record *);

#define STS_RECORD_ID_LEN 15 /* YYYYMMDDTHHMMSS */

/* A fresh id from t: its UTC time as YYYYMMDDTHHMMSS (TXT-7). */
void sts_record_new_id(char buf[STS_RECORD_ID_LEN + 1], time_t t);

/*
 * Gives each sts.txt.missing, .syntax, .id_invalid and .multiple finding
 * in fl the whole record to publish at owner (as in sts_record_select),
 * with a fresh id from now, the time of the check.  Called where that
 * time is known, after sts_record_select().
 */
void sts_record_fix(struct finding_list *fl, const char *owner, time_t now);

#endif
