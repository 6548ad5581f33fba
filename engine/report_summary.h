/*
 * report_summary: what a set of TLS-RPT reports says, per policy domain
 * and per UTC day, and the promotion gate built on it (issue 7).
 *
 * Call order: fill a struct report_input (report_input.h), then
 * report_summary_new() reads every item once and builds plain records that
 * are read-only for clients and owned by the summary (freed with
 * report_summary_free()); the input may be freed afterwards.  Then, for the
 * rollout schedule or `check --reports DIR`, report_gate_evaluate() judges
 * one domain.  report_gate_path() does the three steps for one path.
 *
 * Counting rules (doc/reports.md):
 * - a report with the same contact-info and report-id as an earlier one is
 *   a copy (the same report saved as .eml and .json) and counted once;
 * - a report belongs to the UTC day its date-range starts (RPT-JSON-5);
 *   a report that covers several days (at most 31) covers each of them
 *   for the gate, its successful sessions are shared over those days and
 *   its failures go to the last one, the latest day they can have
 *   happened, so the gate never counts a day after a failure as clean;
 * - failed sessions of an entry are the larger of total-failure-session-
 *   count and the sum of its failure-details (RPT-JSON-6);
 * - a failure is attributable to the MTA-STS policy when it is in an sts
 *   entry and is not a DANE result type (tlsa-invalid, dnssec-invalid,
 *   dane-required), or is an sts-policy-* result in any entry; unknown
 *   result types in an sts entry count as attributable.
 */
#ifndef MTASTS_REPORT_SUMMARY_H
#define MTASTS_REPORT_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "tlsrpt_report.h"

struct finding_list;
struct report_input;

/* Clean days in a row before enforce is "ready" (rollout weeks 3-4). */
#define REPORT_GATE_DAYS 14
/* A day number meaning "none" or, for asof, "no limit". */
#define REPORT_DAY_NONE INT64_MIN
/* The name under which entries without policy-domain are summarised. */
#define REPORT_NO_DOMAIN "(no policy-domain)"
/* A report covering more days than this covers only this many. */
#define REPORT_MAX_SPAN_DAYS 31

/* Sessions per key (a result type, an MX host, an address). */
struct report_tally {
	char	*key; /* "(not given)" when absent */
	uint64_t sessions;
};

/* Failed sessions on one day, by result type, MX and sending address. */
struct report_failure {
	enum tlsrpt_result result;
	char		  *result_name;
	char		  *mx;		 /* NULL: not given */
	char		  *sending_ip;	 /* NULL: not given */
	char		  *receiving_ip; /* NULL: not given */
	uint64_t	   sessions;
	int		   attributable; /* blocks the gate */
};

/*
 * One UTC day of one domain.  Days without any report are absent from the
 * array; day numbers let a per-day bar show the gaps.
 */
struct report_day {
	int64_t day;	  /* days since 1970-01-01 */
	char	date[16]; /* "YYYY-MM-DD" */
	size_t	nreports; /* reports starting this day */
	/* A multi-day report's successful sessions are shared over its days,
	 * its failures are on its last day. */
	uint64_t successful;
	uint64_t failed;
	/* Failed sessions by result type (index: enum tlsrpt_result). */
	uint64_t	       by_result[TLSRPT_RESULT__COUNT];
	uint64_t	       attributable; /* failed, attributable */
	int		       covered;	     /* an sts report covers it */
	int		       dirty;	     /* attributable failures */
	struct report_failure *failures;     /* started this day */
	size_t		       nfailures;
};

/* What one result type means for this domain, in words. */
struct report_advice {
	enum tlsrpt_result result;
	char		  *result_name;
	uint64_t	   sessions;
	char		  *where; /* "mx2.example.net", ... */
	char		  *text;  /* the whole sentence */
};

struct report_domain {
	char		     *domain; /* lower case */
	size_t		      nreports;
	size_t		      nundated; /* reports with no day */
	uint64_t	      successful;
	uint64_t	      failed;
	uint64_t	      attributable;
	char		     *mode; /* mode: of the latest sts
						   policy-string, or NULL */
	struct report_day    *days; /* oldest first */
	size_t		      ndays;
	struct report_tally  *by_result; /* most sessions first */
	size_t		      nby_result;
	struct report_tally  *by_mx;
	size_t		      nby_mx;
	struct report_tally  *by_ip; /* sending-mta-ip */
	size_t		      nby_ip;
	char		    **reporters; /* organization-name, sorted */
	size_t		      nreporters;
	struct report_advice *advice; /* one per result type seen */
	size_t		      nadvice;
};

/* Read-only for clients. */
struct report_summary {
	struct report_domain *domains; /* sorted by name */
	size_t		      ndomains;
	size_t		      nitems;	/* inputs and reports read */
	size_t		      nreports; /* distinct reports */
	size_t		      nduplicates;
	size_t		      nunreadable; /* inputs without a report */
	uint64_t	      successful;
	uint64_t	      failed;
	struct finding_list  *findings; /* report.failures, ... */
};

struct report_summary *report_summary_new(const struct report_input *);
void		       report_summary_free(struct report_summary *);
/* The domain's record (case-insensitive, final dot ignored) or NULL. */
const struct report_domain *report_summary_domain(const struct report_summary *,
    const char *domain);
/* Failed sessions as a percentage of all sessions; 0 when there are none. */
double report_failure_rate(uint64_t successful, uint64_t failed);
/* "YYYY-MM-DD" of a day number into buf (at least 16 bytes). */
void report_day_format(int64_t day, char *buf, size_t len);
/* The day number of a Unix time (floor division). */
int64_t report_day_of(int64_t t);

/*
 * The promotion gate.  clean_days counts consecutive clean days back from
 * the latest covered day (not after asof, when asof is not
 * REPORT_DAY_NONE).  A day is clean when an sts report covers it and no
 * report shows a failure attributable to the policy on it; a day with no
 * sts report ends the count like a failure does.
 */
enum report_gate_state {
	REPORT_GATE_NO_DATA = 0, /* no sts report for the domain */
	REPORT_GATE_WATCH,	 /* fewer than `needed` clean days */
	REPORT_GATE_READY	 /* needed or more: enforce is safe */
};

struct report_gate_blocker {
	int64_t		   day;
	char		   date[16];
	enum tlsrpt_result result;
	char		  *result_name;
	char		  *mx;	       /* NULL: not given */
	char		  *sending_ip; /* NULL: not given */
	uint64_t	   sessions;
};

struct report_gate {
	enum report_gate_state state;
	unsigned	       clean_days;
	unsigned	       needed;	     /* REPORT_GATE_DAYS */
	int64_t		       latest_day;   /* REPORT_DAY_NONE: no data */
	int64_t		       stop_day;     /* day that ended the streak */
	int		       stop_missing; /* ... as it had no report */
	/*
	 * Attributable failures in the last `needed` days up to latest_day,
	 * newest first: what stands between the domain and "ready".
	 */
	struct report_gate_blocker *blockers;
	size_t			    nblockers;
	char			   *why; /* one line in words */
	/* What was read, for messages ("3 reports read, none for ..."). */
	size_t nreports;	/* distinct reports, every domain */
	size_t ndomain_reports; /* of this domain */
	size_t nfuture;		/* of this domain, starting after asof */
};

/*
 * Judges domain from the summary.  Fills *gate (the caller clears it with
 * report_gate_clear()); returns gate->state.
 */
enum report_gate_state report_gate_evaluate(struct report_gate *gate,
    const struct report_summary *, const char *domain, int64_t asof);
/*
 * Reads path (a file or directory of reports), summarises and judges
 * domain in one call.  *nunreadable (if not NULL) gets the number of
 * inputs that gave no report.
 */
enum report_gate_state report_gate_path(struct report_gate *gate,
    const char *path, const char *domain, int64_t asof, size_t *nunreadable);
void		       report_gate_clear(struct report_gate *);
const char	      *report_gate_state_name(enum report_gate_state);

#endif
