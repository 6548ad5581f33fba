/*
 * ics: the milestones of a rollout plan as an iCalendar file (RFC 5545):
 * one all-day event per phase (per step of a change plan, on the day it
 * may start at the earliest), CRLF line ends, lines folded at 75 octets,
 * UIDs stable for a plan so re-importing updates rather than duplicates.
 */
#ifndef MTASTS_WIZARD_ICS_H
#define MTASTS_WIZARD_ICS_H

#include <stddef.h>
#include <time.h>

struct state;

/* One milestone; title and help are owned by whoever made the event. */
struct ics_event {
	const char *key;	/* stable, part of the UID */
	long	    start, end; /* days, inclusive */
	char	   *title;
	char	   *help;
};

/* Returns the calendar (caller frees); now is its DTSTAMP. */
char *ics_format(const struct state *, time_t now);
/* The calendar of n events of the plan made on day created. */
char *ics_format_events(const char *domain, long created,
    const struct ics_event *, size_t n, time_t now);

#endif
