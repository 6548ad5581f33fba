/*
 * tlsrpt_record: selects and parses the _smtp._tls TXT record (RFC 8460
 * section 3; rules RPT-2 to RPT-6).
 *
 * Call order: the DNS layer collects the TXT RRset at _smtp._tls.DOMAIN as
 * struct txt_rr values (see sts_record.h) and calls tlsrpt_record_select(),
 * which joins each RR's strings, keeps the RRs starting with "v=TLSRPTv1;"
 * and parses the one left with tlsrpt_record_parse(): the grammar, then
 * every rua URI.  Findings go to the caller's list.  The input is borrowed
 * during the call only; the returned struct owns copies of everything, is
 * read-only for callers and is freed with tlsrpt_record_free().
 */
#ifndef MTASTS_TLSRPT_RECORD_H
#define MTASTS_TLSRPT_RECORD_H

#include <stddef.h>

#include "sts_record.h"

struct finding_list;

/* rua URIs beyond this many are counted, not kept. */
#define TLSRPT_MAX_URIS 32

enum tlsrpt_scheme {
	TLSRPT_SCHEME_NONE = 0, /* not a URI at all */
	TLSRPT_SCHEME_MAILTO,
	TLSRPT_SCHEME_HTTPS,
	TLSRPT_SCHEME_OTHER /* a URI, but no meaning in RFC 8460 */
};

struct tlsrpt_uri {
	char		  *uri; /* as written */
	enum tlsrpt_scheme scheme;
	/* mailto: the decoded address; https: the host (lower case). */
	char	*target; /* NULL if not parsed */
	unsigned port;	 /* https: explicit port, or 0 */
	int	 usable; /* reporters can deliver */
};

enum tlsrpt_record_status {
	TLSRPT_RECORD_NONE = 0, /* no candidate: not deployed */
	TLSRPT_RECORD_MULTIPLE, /* two or more: reporters ignore all */
	TLSRPT_RECORD_ONE	/* one candidate (or lone RR), parsed */
};

/* Read-only for callers. */
struct tlsrpt_record {
	enum tlsrpt_record_status status;
	size_t			  nrrs;
	size_t			  ncandidates;
	char			 *raw;	  /* selected record or NULL */
	size_t			  rawlen; /* may hold NUL bytes */
	int			  valid;  /* grammatical, with rua= */
	int			  usable; /* valid, >= 1 usable URI */
	size_t			  nrua;	  /* rua= fields seen */
	struct tlsrpt_uri	 *uris;	  /* in record order */
	size_t			  nuris;  /* kept (<= TLSRPT_MAX_URIS) */
};

/*
 * Selects and parses the record from the RRset (nrrs may be 0).  subject
 * names the owner in findings (e.g. "_smtp._tls.example.com").  Never
 * returns NULL.
 */
struct tlsrpt_record *tlsrpt_record_select(const struct txt_rr *rrs,
    size_t nrrs, const char *subject, struct finding_list *fl);
/* Parses one joined record; status is then TLSRPT_RECORD_ONE. */
struct tlsrpt_record *tlsrpt_record_parse(const char *rec, size_t len,
    const char *subject, struct finding_list *fl);
void		      tlsrpt_record_free(struct tlsrpt_record *);
const char	     *tlsrpt_scheme_name(enum tlsrpt_scheme);

#endif
