/*
 * tlsrpt_report: parses one TLS-RPT aggregate report, the JSON document of
 * RFC 8460 section 4 (rules RPT-JSON-1 to RPT-JSON-10).
 *
 * Call order: report_input finds the document (a file, a gzip stream, an
 * e-mail part) and calls tlsrpt_report_parse() on the bytes, which are
 * borrowed for the call only.  The parser is lenient where the RFC is
 * inconsistent (RPT-JSON-4: mx-host as a string or an array, and so on)
 * and reports everything else that is wrong as findings in the caller's
 * list without discarding what is readable: a policy with a missing member
 * is kept with that member unset, an unknown result type is kept with
 * TLSRPT_RESULT_UNKNOWN and its name as written.  Only a document that is
 * not JSON at all (or exceeds a cap) gives NULL.
 *
 * Bounds: the input is at most TLSRPT_REPORT_MAX_BYTES, nested at most
 * TLSRPT_REPORT_MAX_DEPTH deep and holds at most TLSRPT_REPORT_MAX_VALUES
 * JSON values; each is checked before the JSON library sees the bytes, so
 * memory use is bounded by a small multiple of the input size.
 *
 * The returned struct owns copies of everything, is read-only for callers
 * and is freed with tlsrpt_report_free().
 */
#ifndef MTASTS_TLSRPT_REPORT_H
#define MTASTS_TLSRPT_REPORT_H

#include <stddef.h>
#include <stdint.h>

struct finding_list;

#define TLSRPT_REPORT_MAX_BYTES	 (8 * 1024 * 1024)
#define TLSRPT_REPORT_MAX_DEPTH	 32
#define TLSRPT_REPORT_MAX_VALUES 1000000
/* Session counts above this are refused as implausible (RPT-JSON-1). */
#define TLSRPT_REPORT_MAX_COUNT 1000000000000ULL
/* No time: start and end when the date-time could not be read. */
#define TLSRPT_TIME_NONE INT64_MIN

enum tlsrpt_policy_type {
	TLSRPT_POLICY_MISSING = 0, /* no policy-type member */
	TLSRPT_POLICY_STS,
	TLSRPT_POLICY_TLSA,
	TLSRPT_POLICY_NO_POLICY_FOUND,
	TLSRPT_POLICY_OTHER /* kept, flagged: see type_name */
};

/* The initial registry of RFC 8460 section 4.3 (RPT-JSON-9). */
enum tlsrpt_result {
	TLSRPT_RESULT_STARTTLS_NOT_SUPPORTED = 0,
	TLSRPT_RESULT_CERTIFICATE_HOST_MISMATCH,
	TLSRPT_RESULT_CERTIFICATE_EXPIRED,
	TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED,
	TLSRPT_RESULT_VALIDATION_FAILURE,
	TLSRPT_RESULT_TLSA_INVALID,
	TLSRPT_RESULT_DNSSEC_INVALID,
	TLSRPT_RESULT_DANE_REQUIRED,
	TLSRPT_RESULT_STS_POLICY_FETCH_ERROR,
	TLSRPT_RESULT_STS_POLICY_INVALID,
	TLSRPT_RESULT_STS_WEBPKI_INVALID,
	TLSRPT_RESULT_UNKNOWN, /* not in the registry: kept, flagged */
	TLSRPT_RESULT__COUNT
};

/* One failure-details[] entry.  Strings are NULL when absent. */
struct tlsrpt_failure {
	enum tlsrpt_result result;
	char		  *result_name; /* as written, never NULL */
	char		  *sending_mta_ip;
	char		  *receiving_mx_hostname;
	char		  *receiving_mx_helo;
	char		  *receiving_ip;
	char		  *failure_reason_code;
	char		  *additional_information;
	uint64_t	   failed_sessions; /* 0 if unusable */
};

/* One policies[] entry. */
struct tlsrpt_policy {
	enum tlsrpt_policy_type type;
	char		       *type_name; /* as written, or NULL */
	char		       *domain;	   /* lower case, no final dot */
	char		      **strings;   /* policy-string */
	size_t			nstrings;
	char		      **mx_hosts; /* mx-host, string or array */
	size_t			nmx_hosts;
	uint64_t		successful_sessions;
	uint64_t		failed_sessions;
	int			has_successful; /* present, usable */
	int			has_failed;
	struct tlsrpt_failure  *failures;
	size_t			nfailures;
};

/* Read-only for callers. */
struct tlsrpt_report {
	char		     *organization;
	char		     *contact;
	char		     *report_id;
	char		     *start_text; /* date-range as written */
	char		     *end_text;
	int64_t		      start; /* or TLSRPT_TIME_NONE */
	int64_t		      end;
	struct tlsrpt_policy *policies;
	size_t		      npolicies;
	size_t		      nproblems; /* findings this report added */
};

/*
 * Parses one report document.  subject names it in findings (a file name,
 * "FILE: part 2").  Returns NULL, with an error finding, when the bytes are
 * not a JSON object or exceed a cap.
 */
struct tlsrpt_report *tlsrpt_report_parse(const void *buf, size_t len,
    const char *subject, struct finding_list *fl);
void		      tlsrpt_report_free(struct tlsrpt_report *);

const char *tlsrpt_result_name(enum tlsrpt_result);
/* The registry value for a name, or TLSRPT_RESULT_UNKNOWN. */
enum tlsrpt_result tlsrpt_result_lookup(const char *);
/* One sentence: what a sender saw (RPT-JSON-9). */
const char *tlsrpt_result_meaning(enum tlsrpt_result);
/* One sentence: what the receiving domain should do about it. */
const char *tlsrpt_result_fix(enum tlsrpt_result);
const char *tlsrpt_policy_type_name(enum tlsrpt_policy_type);

/*
 * Reads an RFC 3339 date-time ("2024-03-01T00:00:00Z", with optional
 * fraction and numeric offset) into Unix time.  lenient accepts a missing
 * offset as UTC and sets *no_zone.  Returns 0 or -1.
 */
int tlsrpt_report_time(const char *s, int lenient, int64_t *t, int *no_zone);

#endif
