/*
 * schedule: the rollout plan, six phases with planned dates counted from
 * the day the plan is made, and the calendar arithmetic it needs.
 *
 * Dates are day numbers (days since 1970-01-01, UTC), so plans do not
 * depend on the local time zone.  "Today" is the UTC date, or the date in
 * MTASTS_TODAY (YYYY-MM-DD) when that is set, so tests can move through a
 * plan.  Everything here is pure except schedule_today()/schedule_now().
 */
#ifndef MTASTS_WIZARD_SCHEDULE_H
#define MTASTS_WIZARD_SCHEDULE_H

#include <stddef.h>
#include <time.h>

enum schedule_phase_id {
	SCHEDULE_MX_TLS,  /* week 1: every MX passes STARTTLS */
	SCHEDULE_TESTING, /* week 2: serve the policy in testing */
	SCHEDULE_RECORDS, /* weeks 2-3: publish TXT and TLS-RPT */
	SCHEDULE_WATCH,	  /* weeks 3-4: 14 clean days of reports */
	SCHEDULE_ENFORCE, /* weeks 4-6: enforce, with a new id */
	SCHEDULE_MAX_AGE, /* then: raise max_age, with a new id */
	SCHEDULE__COUNT
};

#define SCHEDULE_CLEAN_DAYS 14 /* consecutive clean report days */

struct schedule_phase {
	long start; /* first day, inclusive */
	long end;   /* last day, inclusive */
};

struct schedule {
	long		      created;
	struct schedule_phase phase[SCHEDULE__COUNT];
};

/* The standard plan starting on day today. */
void schedule_make(struct schedule *, long today);
/* Stable key ("mx-tls", ...), title and a one-line instruction. */
const char *schedule_phase_key(enum schedule_phase_id);
const char *schedule_phase_title(enum schedule_phase_id);
const char *schedule_phase_help(enum schedule_phase_id);
/* The phase with that key, or -1. */
int schedule_phase_lookup(const char *key);

/* Strict YYYY-MM-DD; returns 0 and sets *day, or -1. */
int schedule_date_parse(const char *, long *day);
/* Writes YYYY-MM-DD (buf of at least 11 bytes). */
void schedule_date_format(long day, char *buf, size_t len);
/* Writes YYYYMMDD (buf of at least 9 bytes), as iCalendar wants. */
void schedule_date_compact(long day, char *buf, size_t len);
/*
 * Today's day number: MTASTS_TODAY if set, else the UTC date.  Returns
 * -1 with *cause set (caller frees) if MTASTS_TODAY is malformed.
 */
long schedule_today(char **cause);
/* Now; with MTASTS_TODAY set, midnight UTC of that day. */
time_t schedule_now(void);

#endif
